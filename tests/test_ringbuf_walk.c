// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The ring reader's walk on ring contents no kernel would write: a consumer
 * position past the producer's, headers that claim more than is committed,
 * random header words. The fake ring is a memfd mapped twice in a row (as
 * the kernel maps a ring's data pages) between two PROT_NONE guard pages, so
 * a read outside the mapping faults; a walk that spins hangs the test (its
 * timeout fails it). Plus the same corrupt consumer position on a real ring.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "io_test.h"
#include "ringbuf_internal.h"

#define FAKE_SIZE	(4 * 4096UL)
#define BUSY		(1U << 31)
#define DISCARD		(1U << 30)

struct fake {
	struct evbpf_ring ring;
	unsigned long cons_word, prod_word;
	__u8 *area;		/* guard page, data twice, guard page */
	int memfd;
	size_t delivered;
	bool out_of_bounds;
	int stop_after;		/* callback returns this many (batch) / -EIO (each) */
	__u32 next_seq;		/* on_batch_seq: the sequence number expected next */
	size_t budget;		/* on_batch_seq: records it still takes */
	bool out_of_order;
};

static void check_rec(struct fake *f, const void *data, size_t len)
{
	const __u8 *p = data;

	/* inside the double mapping, and the whole record too */
	if (p < f->ring.data + 8 || p + len > f->ring.data + 2 * FAKE_SIZE ||
	    len + 8 > FAKE_SIZE)
		f->out_of_bounds = true;
}

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct fake *f = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		check_rec(f, recs[i].data, recs[i].len);
	f->delivered += n;
	if (f->stop_after && (size_t)f->stop_after < n)
		return f->stop_after;
	return (int)n;
}

static int on_each(void *ctx, void *data, size_t size)
{
	struct fake *f = ctx;

	check_rec(f, data, size);
	f->delivered++;
	if (f->stop_after && f->delivered == (size_t)f->stop_after)
		return -EIO;
	return 0;
}

static void fake_init(struct fake *f)
{
	long pg = sysconf(_SC_PAGESIZE);
	__u32 i;

	memset(f, 0, sizeof(*f));
	f->memfd = memfd_create("fake_ring", MFD_CLOEXEC);
	assert_true(f->memfd >= 0);
	assert_int_equal(ftruncate(f->memfd, FAKE_SIZE), 0);
	f->area = mmap(NULL, 2 * pg + 2 * FAKE_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(f->area != MAP_FAILED);
	assert_true(mmap(f->area + pg, FAKE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, f->memfd, 0) != MAP_FAILED);
	assert_true(mmap(f->area + pg + FAKE_SIZE, FAKE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, f->memfd, 0) != MAP_FAILED);
	f->ring.data = f->area + pg;
	f->ring.size = FAKE_SIZE;
	f->ring.page_size = pg;
	f->ring.cons_page = &f->cons_word;
	f->ring.prod_page = &f->prod_word;
	f->ring.map_fd = -1;
	f->ring.watch = -1;
	f->ring.fn = on_batch;
	f->ring.ctx = f;
	f->ring.batch_max = 64;
	f->ring.recs = calloc(f->ring.batch_max, sizeof(*f->ring.recs));
	assert_non_null(f->ring.recs);
	for (i = 0; i < f->ring.batch_max; i++)
		f->ring.recs[i].cpu = -1;
}

static void fake_free(struct fake *f)
{
	munmap(f->area, 2 * f->ring.page_size + 2 * FAKE_SIZE);
	close(f->memfd);
	free(f->ring.recs);
}

/* Positions as the reader would find them (the reader starts at @cons). */
static void fake_pos(struct fake *f, unsigned long cons, unsigned long prod)
{
	f->cons_word = cons;
	f->prod_word = prod;
	f->ring.cons = f->ring.pub = cons;
}

static void hdr(struct fake *f, unsigned long pos, __u32 word)
{
	*(__u32 *)(f->ring.data + (pos & (FAKE_SIZE - 1))) = word;
}

static void test_consumer_past_producer(void **state)
{
	struct evbpf_rec recs[4];
	struct fake f;
	int cb_err;

	evbpf_test_capture_log();
	fake_init(&f);
	fake_pos(&f, 4096, 0);
	hdr(&f, 4096, 8);
	assert_int_equal(evbpf__ring_deliver(&f.ring, SIZE_MAX, false), -EBADMSG);
	assert_int_equal(evbpf__ring_deliver(&f.ring, SIZE_MAX, true), -EBADMSG);
	assert_int_equal(evbpf__ring_deliver_each(&f.ring, SIZE_MAX, on_each, &f, &cb_err),
			 -EBADMSG);
	assert_int_equal(evbpf_ring_peek(&f.ring, recs, 4), -EBADMSG);
	assert_non_null(strstr(evbpf_test_log(), "behind the consumer position"));
	/* nothing consumed, nothing published */
	assert_int_equal(f.delivered, 0);
	assert_int_equal(f.ring.cons, 4096);
	assert_int_equal(f.cons_word, 4096);

	/* a producer more than the ring size ahead */
	evbpf_test_log_reset();
	fake_pos(&f, 0, 2 * FAKE_SIZE);
	hdr(&f, 0, 8);
	assert_int_equal(evbpf__ring_deliver(&f.ring, SIZE_MAX, false), -EBADMSG);
	assert_non_null(strstr(evbpf_test_log(), "more than the ring size ahead"));
	fake_free(&f);
}

static void test_header_past_committed(void **state)
{
	struct fake f;
	int cb_err;

	evbpf_test_capture_log();
	fake_init(&f);
	/* one good record, then one claiming 4 KiB of which 64 B are committed */
	fake_pos(&f, 0, 16 + 64);
	hdr(&f, 0, 8);
	hdr(&f, 16, 4096);
	assert_int_equal(evbpf__ring_deliver(&f.ring, SIZE_MAX, false), -EBADMSG);
	assert_non_null(strstr(evbpf_test_log(), "claims 4096 bytes, only 64 committed"));
	fake_pos(&f, 0, 16 + 64);
	assert_int_equal(evbpf__ring_deliver_each(&f.ring, SIZE_MAX, on_each, &f, &cb_err),
			 -EBADMSG);
	assert_int_equal(cb_err, 0);
	/* the good record was delivered and consumed, the bad one was not */
	assert_int_equal(f.ring.cons, 16);
	/* a record larger than the ring */
	fake_pos(&f, 0, FAKE_SIZE);
	hdr(&f, 0, FAKE_SIZE);
	assert_int_equal(evbpf__ring_deliver(&f.ring, SIZE_MAX, false), -EBADMSG);
	assert_false(f.out_of_bounds);
	fake_free(&f);
}

/* A well-formed ring: records of random sizes, some discarded, a busy one at
 * the end; both flavours deliver exactly the committed ones in order, in
 * batches bounded by bytes, and stop at the busy one. */
static void test_random_valid(void **state)
{
	unsigned seed = 12345, round;
	struct fake f;

	fake_init(&f);
	for (round = 0; round < 2000; round++) {
		unsigned long start = rand_r(&seed) % (4 * FAKE_SIZE) & ~7UL, pos = start;
		size_t want = 0, got;
		int cb_err;
		long n;

		while (1) {
			__u32 len = rand_r(&seed) % 600;
			unsigned long total = (len + 8 + 7) & ~7UL;
			bool discard = rand_r(&seed) % 8 == 0;

			if (pos + total - start > FAKE_SIZE - 64)
				break;
			hdr(&f, pos, len | (discard ? DISCARD : 0));
			want += !discard;
			pos += total;
		}
		/* a record still being written ends the committed run */
		hdr(&f, pos, BUSY | 8);
		fake_pos(&f, start, pos + 16);
		f.delivered = 0;
		if (round % 2)
			n = evbpf__ring_deliver(&f.ring, SIZE_MAX, round % 4 == 1);
		else
			n = evbpf__ring_deliver_each(&f.ring, SIZE_MAX, on_each, &f, &cb_err);
		got = f.delivered;
		assert_int_equal(n, want);
		assert_int_equal(got, want);
		assert_int_equal(f.ring.cons, pos);
		assert_false(f.out_of_bounds);
	}
	fake_free(&f);
}

/* Batch callback checking order: each record's payload starts with its
 * sequence number; takes what is left of f->budget and stops there. */
static int on_batch_seq(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct fake *f = ctx;
	size_t i, take = n;
	__u32 seq;

	if (take > f->budget)
		take = f->budget;
	f->budget -= take;
	for (i = 0; i < take; i++) {
		check_rec(f, recs[i].data, recs[i].len);
		memcpy(&seq, recs[i].data, sizeof(seq));
		if (seq != f->next_seq)
			f->out_of_order = true;
		f->next_seq++;
	}
	f->delivered += take;
	return (int)take;
}

/*
 * Delivers with on_batch_seq until the reader reaches @end: random budgets
 * and limits, and with @hold a hold in every other call. When a call
 * returns, its position is published up to where it stopped, or (holding)
 * up to the start of the last record it took. In the end @want records
 * came in order, @discards were counted, and a delivery that finds nothing
 * publishes @end.
 */
static void deliver_all(struct fake *f, unsigned *seed, unsigned long end, bool hold,
			size_t want, size_t discards)
{
	size_t calls = 0;
	long n;

	f->delivered = 0;
	f->next_seq = 0;
	f->out_of_order = false;
	do {
		f->budget = rand_r(seed) % 3 ? SIZE_MAX : rand_r(seed) % 300;
		n = evbpf__ring_deliver(&f->ring, rand_r(seed) % 2 ? SIZE_MAX :
					1 + rand_r(seed) % 200, hold && rand_r(seed) % 2);
		assert_true(n >= 0);
		assert_true(f->cons_word <= f->ring.cons);
		assert_true(f->ring.cons - f->cons_word <= (hold ? 8 + 248 : 0));
		assert_true(++calls < 100000);
	} while (f->ring.cons != end);
	assert_int_equal(f->delivered, want);
	assert_false(f->out_of_order);
	assert_false(f->out_of_bounds);
	assert_int_equal(f->ring.base.stats.discarded, discards);
	assert_int_equal(evbpf__ring_deliver(&f->ring, SIZE_MAX, false), 0);
	assert_int_equal(f->cons_word, end);
}

/* Many batches, discarded records among them, a callback that stops in
 * the middle of a batch: every committed record arrives once and in order
 * over the calls, the discarded count is exact and the consumer position
 * ends after the last record. */
static void test_stop_and_resume(void **state)
{
	unsigned seed = 4242, round;
	struct fake f;

	fake_init(&f);
	f.ring.fn = on_batch_seq;
	for (round = 0; round < 500; round++) {
		unsigned long start = rand_r(&seed) % (4 * FAKE_SIZE) & ~7UL, pos = start;
		size_t want = 0, discards = 0;
		__u32 seq = 0;

		f.ring.batch_max = 1 + rand_r(&seed) % 64;
		while (1) {
			__u32 len = 4 + rand_r(&seed) % (round % 2 ? 40 : 600);
			unsigned long total = (len + 8 + 7) & ~7UL;
			bool discard = rand_r(&seed) % 6 == 0;

			if (pos + total - start > FAKE_SIZE - 64)
				break;
			hdr(&f, pos, len | (discard ? DISCARD : 0));
			if (!discard)
				memcpy(f.ring.data + ((pos + 8) & (FAKE_SIZE - 1)), &seq, sizeof(seq));
			seq += !discard;
			want += !discard;
			discards += discard;
			pos += total;
		}
		fake_pos(&f, start, pos);
		f.ring.walked = start;
		f.ring.base.stats.discarded = 0;
		deliver_all(&f, &seed, pos, false, want, discards);
	}
	f.ring.batch_max = 64;
	fake_free(&f);
}

/* Runs of equal records (the walk takes four at once), broken by a record
 * of another size, a discarded one or, at the end, one still being written;
 * any start, so runs cross the ring's end. Batches of any size and stops in
 * the middle: every record arrives once and in order, and once a call
 * returns the consumer position it published is where it stopped, however
 * seldom it publishes on the way. The peek flavour sees the same records. */
static void test_equal_runs(void **state)
{
	unsigned seed = 777, round;
	struct evbpf_rec peek[64];
	struct fake f;

	fake_init(&f);
	f.ring.fn = on_batch_seq;
	f.ring.pub_step = FAKE_SIZE / 16;
	for (round = 0; round < 1000; round++) {
		unsigned long start = rand_r(&seed) % (4 * FAKE_SIZE) & ~7UL, pos = start;
		size_t want = 0, discards = 0, run = 0;
		__u32 seq = 0, len = 0, s;
		int k, np;

		f.ring.batch_max = 1 + rand_r(&seed) % 64;
		while (1) {
			unsigned long total;
			bool discard = false;

			if (!run) {
				/* a new run: its size, its length, and now and
				 * then a discarded record in front of it */
				len = 4 + rand_r(&seed) % (round % 3 ? 60 : 240);
				run = 1 + rand_r(&seed) % 24;
				discard = rand_r(&seed) % 5 == 0;
			}
			total = (len + 8 + 7) & ~7UL;
			if (pos + total - start > FAKE_SIZE - 64)
				break;
			hdr(&f, pos, len | (discard ? DISCARD : 0));
			if (!discard) {
				memcpy(f.ring.data + ((pos + 8) & (FAKE_SIZE - 1)), &seq, sizeof(seq));
				seq++;
				want++;
				run--;
			}
			discards += discard;
			pos += total;
		}
		/* half the rounds end on a record still being written */
		if (round % 2)
			hdr(&f, pos, BUSY | 8);
		fake_pos(&f, start, round % 2 ? pos + 16 : pos);
		f.ring.walked = start;
		f.ring.base.stats.discarded = 0;

		/* peek first: the same records, in order, cpu -1 */
		np = evbpf_ring_peek(&f.ring, peek, 1 + rand_r(&seed) % 64);
		assert_true(np >= 0 && (size_t)np <= want);
		for (k = 0; k < np; k++) {
			memcpy(&s, peek[k].data, sizeof(s));
			assert_int_equal(s, k);
			assert_int_equal(peek[k].cpu, -1);
		}
		assert_int_equal(evbpf_ring_release(&f.ring, 0), 0);

		deliver_all(&f, &seed, pos, true, want, discards);
	}
	f.ring.batch_max = 64;
	fake_free(&f);
}

/* Random header words and positions: every call returns, reads only the
 * mapping, and never delivers a record that does not fit. */
static void test_fuzz(void **state)
{
	unsigned seed = 777, round;
	struct evbpf_rec recs[32];
	struct fake f;

	evbpf_test_capture_log();
	fake_init(&f);
	for (round = 0; round < 20000; round++) {
		unsigned long cons = (unsigned long)rand_r(&seed) << 3;
		unsigned long prod = cons + (rand_r(&seed) % (3 * FAKE_SIZE)) - FAKE_SIZE / 2;
		unsigned k, words = 1 + rand_r(&seed) % 64;
		int cb_err, ret;
		long n;

		for (k = 0; k < words; k++) {
			__u32 w = (__u32)rand_r(&seed) ^ ((__u32)rand_r(&seed) << 16);

			/* small lengths are the interesting ones */
			if (rand_r(&seed) % 2)
				w &= BUSY | DISCARD | 0x1ff;
			hdr(&f, cons + 8 * (rand_r(&seed) % 256), w);
		}
		fake_pos(&f, cons, prod);
		f.stop_after = rand_r(&seed) % 4 == 0 ? 1 + rand_r(&seed) % 5 : 0;
		switch (round % 4) {
		case 0:
			n = evbpf__ring_deliver(&f.ring, SIZE_MAX, false);
			break;
		case 1:
			n = evbpf__ring_deliver(&f.ring, 1 + rand_r(&seed) % 100, true);
			break;
		case 2:
			n = evbpf__ring_deliver_each(&f.ring, SIZE_MAX, on_each, &f, &cb_err);
			break;
		default:
			ret = evbpf_ring_peek(&f.ring, recs, 32);
			if (ret > 0) {
				for (k = 0; k < (unsigned)ret; k++)
					check_rec(&f, recs[k].data, recs[k].len);
				assert_int_equal(evbpf_ring_release(&f.ring, ret), 0);
			}
			n = ret;
			break;
		}
		assert_true(n >= -EBADMSG);
		assert_false(f.out_of_bounds);
		/* the reader never moves past the producer */
		assert_true(f.ring.cons == cons || f.ring.cons - cons <= prod - cons);
		evbpf_test_log_reset();
	}
	fake_free(&f);
}

/* The same corrupt consumer position on a real ring, through the public
 * calls: an error, not a spin. */
static void test_real_ring_consumer_past_producer(void **state)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct ring_buffer *rb;
	struct evbpf_ring *ring;
	unsigned long *cons;
	struct fake f;
	int fd;

	evbpf_test_capture_log();
	fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "walk_rb", 0, 0, 4 * pg, NULL);
	assert_true(fd >= 0);
	cons = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(cons != MAP_FAILED);
	*cons = 4096;
	memset(&f, 0, sizeof(f));
	ring = evbpf_ring_new(NULL, fd, on_batch, &f, NULL);
	assert_non_null(ring);
	assert_int_equal(evbpf_ring_consume(ring), -EBADMSG);
	evbpf_ring_free(ring);
	rb = ring_buffer__new(fd, on_each, &f, NULL);
	assert_non_null(rb);
	assert_int_equal(ring_buffer__consume(rb), -EBADMSG);
	assert_int_equal(ring_buffer__poll(rb, 0), -EBADMSG);
	ring_buffer__free(rb);
	assert_int_equal(f.delivered, 0);
	munmap(cons, pg);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consumer_past_producer),
		cmocka_unit_test(test_header_past_committed),
		cmocka_unit_test(test_random_valid),
		cmocka_unit_test(test_stop_and_resume),
		cmocka_unit_test(test_equal_runs),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_real_ring_consumer_past_producer),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
