// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf-compatible ring_buffer__* / ring__* with real producers.
 */
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include <bpf/libbpf.h>
#include "io_test.h"

struct sink {
	__u64 seen[4096];
	size_t cnt;
	int fail_at;	/* return -EIO on this record (1-based), 0: never */
	bool bad;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct sink *s = ctx;
	const __u64 *v = data;
	size_t j;

	for (j = 1; j < size / 8; j++)
		if (v[j] != v[0])
			s->bad = true;
	if (s->cnt < 4096)
		s->seen[s->cnt] = v[0];
	s->cnt++;
	if (s->fail_at && (int)s->cnt == s->fail_at)
		return -EIO;
	return 0;
}

struct prod {
	int rb, state, prog;
};

static void prod_new(struct prod *p, __u32 size, enum io_prod_mode mode, int mask)
{
	p->rb = io_ringbuf_map(size);
	assert_true(p->rb >= 0);
	p->state = io_array_map(8, false);
	assert_true(p->state >= 0);
	p->prog = io_xdp_producer(p->rb, p->state, -1, mode, mask, 0);
	assert_true(p->prog >= 0);
}

static void prod_free(struct prod *p)
{
	close(p->prog);
	close(p->state);
	close(p->rb);
}

static void check_seq(struct sink *s, size_t n, __u64 step)
{
	size_t i;

	assert_false(s->bad);
	assert_int_equal(s->cnt, n);
	for (i = 0; i < n; i++)
		assert_int_equal(s->seen[i], i * step);
}

static void test_poll_count_order(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct ring_buffer *rb;
	struct prod p;
	struct ring *r;
	int n, total = 0;

	prod_new(&p, 8192, IO_PROD_OUTPUT, 15);
	rb = ring_buffer__new(p.rb, on_sample, s, NULL);
	assert_non_null(rb);
	assert_true(ring_buffer__epoll_fd(rb) >= 0);
	/* idle: times out with 0 */
	assert_int_equal(ring_buffer__poll(rb, 0), 0);
	for (int round = 0; round < 10; round++) {
		assert_int_equal(io_run(p.prog, 50), 0);
		while (total < (round + 1) * 50) {
			n = ring_buffer__poll(rb, 5000);
			assert_true(n > 0);
			total += n;
		}
	}
	check_seq(s, 500, 1);
	r = ring_buffer__ring(rb, 0);
	assert_non_null(r);
	assert_null(ring_buffer__ring(rb, 1));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(ring__size(r), 8192);
	assert_int_equal(ring__map_fd(r), p.rb);
	assert_int_equal(ring__avail_data_size(r), 0);
	assert_int_equal(ring__consumer_pos(r), ring__producer_pos(r));
	assert_true(ring__consumer_pos(r) > 500 * 16);
	ring_buffer__free(rb);
	prod_free(&p);
	free(s);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* The per-CPU counter at key 0 of @fd, summed. */
static __u64 percpu_sum(int fd)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	__u64 *v = calloc(ncpu > 0 ? ncpu : 1, sizeof(*v)), sum = 0;
	__u32 key = 0;

	assert_non_null(v);
	assert_int_equal(bpf_map_lookup_elem(fd, &key, v), 0);
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	free(v);
	return sum;
}

/* Sequence checker for long runs: every record in order, none twice (a
 * record the producer could not reserve leaves a gap, counted as a drop). */
struct seq_sink {
	__u64 next, got;
	bool bad;
};

static int on_seq(void *ctx, void *data, size_t size)
{
	struct seq_sink *s = ctx;
	__u64 seq = *(const __u64 *)data;

	if (size != 16 || seq < s->next)
		s->bad = true;
	s->next = seq + 1;
	s->got++;
	return 0;
}

/*
 * A producer writing flat out on another CPU into a ring large enough for
 * ring_buffer__poll() to hold its last record between looks: every record
 * arrives in order, no call overstays its timeout by more than a look, and
 * every call returns with what it consumed published (nothing held between
 * calls).
 */
static void test_poll_flat_out(void **state)
{
	const int total = 400000;
	struct seq_sink s = {};
	struct ring_buffer *rb;
	struct io_producer pr;
	struct prod p;
	struct ring *r;
	__u64 t0, t1, worst = 0, drops = 0, give_up = now_ns() + 60 * 1000000000ull;
	int n, got = 0, calls = 0, drops_fd;
	unsigned long cons;

	drops_fd = io_array_map(8, true);
	assert_true(drops_fd >= 0);
	p.rb = io_ringbuf_map(1 << 20);
	p.state = io_array_map(8, false);
	assert_true(p.rb >= 0 && p.state >= 0);
	p.prog = io_xdp_producer(p.rb, p.state, drops_fd, IO_PROD_FIXED16, 0, 0);
	assert_true(p.prog >= 0);
	rb = ring_buffer__new(p.rb, on_seq, &s, NULL);
	assert_non_null(rb);
	r = ring_buffer__ring(rb, 0);
	assert_int_equal(io_start(&pr, p.prog, total, 0), 0);
	while (got + (int)drops < total) {
		t0 = now_ns();
		assert_true(t0 < give_up);
		n = ring_buffer__poll(rb, 20);
		t1 = now_ns();
		assert_true(n >= 0);
		got += n;
		calls++;
		if (t1 - t0 > worst)
			worst = t1 - t0;
		/* nothing held: the published position is what was taken */
		cons = ring__consumer_pos(r);
		assert_int_equal(cons, (unsigned long)s.got * 24);
		if (!n && io_producer_done(&pr))
			drops = percpu_sum(drops_fd);
	}
	assert_int_equal(io_join(&pr), 0);
	assert_false(s.bad);
	assert_int_equal(got, total - (int)drops);
	assert_int_equal(s.got, (__u64)got);
	assert_int_equal(ring_buffer__poll(rb, 0), 0);
	assert_int_equal(ring__avail_data_size(r), 0);
	/* 20 ms plus at most one look (and scheduling on a shared machine) */
	assert_true(worst < 200 * 1000000ull);
	print_message("flat-out: %d records in %d polls, %llu dropped, longest call %.1f ms\n",
		      got, calls, (unsigned long long)drops, worst / 1e6);
	ring_buffer__free(rb);
	prod_free(&p);
	close(drops_fd);
}

static void test_consume_n_and_ring(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct ring_buffer *rb;
	struct prod p;
	struct ring *r;

	prod_new(&p, 8192, IO_PROD_OUTPUT, 0);
	rb = ring_buffer__new(p.rb, on_sample, s, NULL);
	assert_non_null(rb);
	assert_int_equal(io_run(p.prog, 40), 0);
	r = ring_buffer__ring(rb, 0);
	assert_int_equal(ring__avail_data_size(r), 40 * 16);
	assert_int_equal(ring_buffer__consume_n(rb, 5), 5);
	assert_int_equal(ring__consume_n(r, 10), 10);
	assert_int_equal(ring__avail_data_size(r), 25 * 16);
	assert_int_equal(ring__consume(r), 25);
	assert_int_equal(ring_buffer__consume(rb), 0);
	check_seq(s, 40, 1);
	ring_buffer__free(rb);
	prod_free(&p);
	free(s);
}

static void test_several_and_discard(void **state)
{
	struct sink *s1 = calloc(1, sizeof(*s1)), *s2 = calloc(1, sizeof(*s2));
	struct ring_buffer *rb;
	struct prod p1, p2;
	int total = 0, n;

	prod_new(&p1, 4096, IO_PROD_OUTPUT, 7);
	prod_new(&p2, 4096, IO_PROD_DISCARD_ODD, 0);
	rb = ring_buffer__new(p1.rb, on_sample, s1, NULL);
	assert_non_null(rb);
	assert_int_equal(ring_buffer__add(rb, p2.rb, on_sample, s2), 0);
	assert_int_equal(io_run(p1.prog, 30), 0);
	assert_int_equal(io_run(p2.prog, 60), 0);
	while (total < 60) {
		n = ring_buffer__poll(rb, 5000);
		assert_true(n > 0);
		total += n;
	}
	check_seq(s1, 30, 1);
	check_seq(s2, 30, 2);
	ring_buffer__free(rb);
	prod_free(&p1);
	prod_free(&p2);
	free(s1);
	free(s2);
}

/* A negative return stops, is returned, and the record counts as consumed. */
static void test_callback_error(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct ring_buffer *rb;
	struct prod p;

	prod_new(&p, 8192, IO_PROD_OUTPUT, 0);
	rb = ring_buffer__new(p.rb, on_sample, s, NULL);
	assert_int_equal(io_run(p.prog, 10), 0);
	s->fail_at = 4;
	assert_int_equal(ring_buffer__consume(rb), -EIO);
	assert_int_equal(errno, EIO);
	assert_int_equal(s->cnt, 4);
	s->fail_at = 0;
	assert_int_equal(ring_buffer__poll(rb, 5000), 6);
	check_seq(s, 10, 1);
	ring_buffer__free(rb);
	prod_free(&p);
	free(s);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* An interrupted wait returns -EINTR, as libbpf's does. */
static void test_eintr(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	struct itimerspec its = { .it_value.tv_nsec = 20 * 1000 * 1000 };
	struct ring_buffer *rb;
	timer_t timer;
	struct prod p;

	prod_new(&p, 4096, IO_PROD_OUTPUT, 0);
	rb = ring_buffer__new(p.rb, on_sample, s, NULL);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
	assert_int_equal(timer_settime(timer, 0, &its, NULL), 0);
	assert_int_equal(ring_buffer__poll(rb, 10000), -EINTR);
	assert_int_equal(errno, EINTR);
	timer_delete(timer);
	sigaction(SIGALRM, &old, NULL);
	ring_buffer__free(rb);
	prod_free(&p);
	free(s);
}

static void test_bad_map(void **state)
{
	int fd = io_array_map(8, false);

	assert_null(ring_buffer__new(fd, on_sample, NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(ring_buffer__new(-1, on_sample, NULL, NULL));
	close(fd);
	ring_buffer__free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_count_order),
		cmocka_unit_test(test_consume_n_and_ring),
		cmocka_unit_test(test_poll_flat_out),
		cmocka_unit_test(test_several_and_discard),
		cmocka_unit_test(test_callback_error),
		cmocka_unit_test(test_eintr),
		cmocka_unit_test(test_bad_map),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
