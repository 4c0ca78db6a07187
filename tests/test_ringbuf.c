// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The evbpf loop consuming BPF ring buffers, on both backends, with real
 * producers: an XDP program test-run with `repeat` writes one record per run.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <evbpf/evbpf.h>
#include "io_test.h"

#define MAX_SEEN 20000

struct sink {
	__u64 seen[MAX_SEEN];
	size_t cnt;
	size_t batches;
	size_t stop_every;	/* consume at most this many per call (0: all) */
	bool bad;		/* a record's content did not match its seq */
	int fail_with;		/* negative: return it */
};

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct sink *s = ctx;
	size_t i, j, take = n;

	if (s->fail_with)
		return s->fail_with;
	if (s->stop_every && take > s->stop_every)
		take = s->stop_every;
	for (i = 0; i < take; i++) {
		const __u64 *v = recs[i].data;
		__u64 seq = v[0];

		if (recs[i].len < 8 || recs[i].len % 8 || recs[i].cpu != -1)
			s->bad = true;
		for (j = 1; j < recs[i].len / 8; j++)
			if (v[j] != seq)
				s->bad = true;
		if (s->cnt < MAX_SEEN)
			s->seen[s->cnt] = seq;
		s->cnt++;
	}
	s->batches++;
	return (int)take;
}

struct fixture {
	enum evbpf_backend backend;
	struct evbpf_loop *loop;
	int rb, state, drops, prog;
};

static struct fixture *fx_new(void **state, __u32 rb_size, enum io_prod_mode mode,
			      int size_mask, int rb_flags)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->backend = *be;
	f->loop = evbpf_loop_new(&lo);
	assert_non_null(f->loop);
	assert_int_equal(evbpf_loop_backend(f->loop), *be);
	f->rb = io_ringbuf_map(rb_size);
	assert_true(f->rb >= 0);
	f->state = io_array_map(8, false);
	assert_true(f->state >= 0);
	f->drops = io_array_map(8, true);
	assert_true(f->drops >= 0);
	f->prog = io_xdp_producer(f->rb, f->state, f->drops, mode, size_mask, rb_flags);
	assert_true(f->prog >= 0);
	return f;
}

static void fx_free(struct fixture *f)
{
	evbpf_loop_free(f->loop);
	close(f->prog);
	close(f->drops);
	close(f->state);
	close(f->rb);
	free(f);
}

/* Waits on the loop fd and dispatches until @s has @want records. */
static void pump(struct evbpf_loop *loop, struct sink *s, size_t want)
{
	int rounds = 0;

	while (s->cnt < want) {
		assert_true(io_wait_fd(evbpf_loop_fd(loop), 5000) > 0);
		assert_true(evbpf_loop_dispatch(loop) >= 0);
		assert_true(++rounds < 100000);
	}
}

static void check_order(struct sink *s, __u64 first, size_t n, __u64 step)
{
	size_t i;

	assert_false(s->bad);
	for (i = 0; i < n && i < MAX_SEEN; i++)
		assert_int_equal(s->seen[i], first + i * step);
}

/* Variable sizes, records straddling the ring's end, exact count and order. */
static void test_count_order(void **state)
{
	struct fixture *f = fx_new(state, 16384, IO_PROD_OUTPUT, 15, 0);
	struct sink *s = calloc(1, sizeof(*s));
	struct evbpf_ring *r;
	struct evbpf_stats st;
	int i;

	r = evbpf_ring_new(f->loop, f->rb, on_batch, s, NULL);
	assert_non_null(r);
	assert_int_equal(evbpf_ring_size(r), 16384);
	for (i = 0; i < 20; i++) {
		assert_int_equal(io_run(f->prog, 100), 0);
		pump(f->loop, s, (i + 1) * 100);
	}
	assert_int_equal(s->cnt, 2000);
	check_order(s, 0, 2000, 1);
	assert_int_equal(evbpf_ring_avail(r), 0);
	assert_int_equal(evbpf_ring_stats(r, &st), 0);
	assert_int_equal(st.records, 2000);
	assert_int_equal(st.drops, 0);
	assert_true(st.batches >= 20);
	assert_true(st.bytes > 2000 * 8);
	assert_int_equal(evbpf_loop_stats(f->loop, &st), 0);
	assert_int_equal(st.records, 2000);
	assert_true(st.wakeups >= 1);
	fx_free(f);
	free(s);
}

/* Discarded records are skipped and counted. */
static void test_discard(void **state)
{
	struct fixture *f = fx_new(state, 8192, IO_PROD_DISCARD_ODD, 0, 0);
	struct sink *s = calloc(1, sizeof(*s));
	struct evbpf_stats st;

	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, NULL));
	assert_int_equal(io_run(f->prog, 200), 0);
	pump(f->loop, s, 100);
	assert_int_equal(s->cnt, 100);
	check_order(s, 0, 100, 2);
	assert_int_equal(evbpf_loop_stats(f->loop, &st), 0);
	assert_int_equal(st.discarded, 100);
	assert_int_equal(st.records, 100);
	fx_free(f);
	free(s);
}

/* A callback that stops early leaves the rest in the ring; it comes back. */
static void test_early_stop(void **state)
{
	struct fixture *f = fx_new(state, 16384, IO_PROD_OUTPUT, 3, 0);
	struct sink *s = calloc(1, sizeof(*s));
	int n;

	s->stop_every = 7;
	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, NULL));
	assert_int_equal(io_run(f->prog, 50), 0);
	assert_true(io_wait_fd(evbpf_loop_fd(f->loop), 5000) > 0);
	n = evbpf_loop_dispatch(f->loop);
	assert_int_equal(n, 7);
	/* the rest stays and the loop fd says so */
	while (s->cnt < 50) {
		assert_true(io_wait_fd(evbpf_loop_fd(f->loop), 5000) > 0);
		n = evbpf_loop_dispatch(f->loop);
		assert_true(n > 0 && n <= 7);
	}
	assert_int_equal(s->cnt, 50);
	check_order(s, 0, 50, 1);
	/* nothing left: the loop fd goes quiet */
	assert_int_equal(evbpf_loop_dispatch(f->loop), 0);
	assert_int_equal(io_wait_fd(evbpf_loop_fd(f->loop), 0), 0);
	/* a drain offers the rest again after every early stop */
	assert_int_equal(io_run(f->prog, 30), 0);
	assert_int_equal(evbpf_loop_drain(f->loop), 30);
	check_order(s, 0, 80, 1);
	fx_free(f);
	free(s);
}

/* A negative callback return stops and is returned; nothing is lost. */
static void test_callback_error(void **state)
{
	struct fixture *f = fx_new(state, 16384, IO_PROD_OUTPUT, 0, 0);
	struct sink *s = calloc(1, sizeof(*s));

	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, NULL));
	assert_int_equal(io_run(f->prog, 10), 0);
	s->fail_with = -E2BIG;
	assert_int_equal(evbpf_loop_run(f->loop, 5000), -E2BIG);
	assert_int_equal(errno, E2BIG);
	s->fail_with = 0;
	assert_int_equal(evbpf_loop_run(f->loop, 5000), 10);
	check_order(s, 0, 10, 1);
	fx_free(f);
	free(s);
}

/* Overflow: produced = consumed + dropped, exactly. */
static void test_overflow_drops(void **state)
{
	struct fixture *f = fx_new(state, 4096, IO_PROD_OUTPUT, 0, 0);
	struct sink *s = calloc(1, sizeof(*s));
	LIBBPF_OPTS(evbpf_ring_opts, ro, .drops_map_fd = f->drops);
	struct evbpf_stats st;
	__u64 produced;

	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, &ro));
	assert_int_equal(io_run(f->prog, 1000), 0);
	produced = io_array_u64(f->state);
	assert_int_equal(produced, 1000);
	/* the kernel keeps one record's worth of the ring free */
	pump(f->loop, s, 4096 / 16 - 1);
	assert_int_equal(evbpf_loop_drain(f->loop), 0);
	assert_int_equal(evbpf_loop_stats(f->loop, &st), 0);
	assert_int_equal(st.records, s->cnt);
	assert_int_equal(s->cnt, 4096 / 16 - 1);
	assert_int_equal(produced, st.records + st.drops);
	check_order(s, 0, s->cnt, 1);
	fx_free(f);
	free(s);
}

/* Several rings in one loop; per-ring order. */
static void test_several_rings(void **state)
{
	struct fixture *f[3];
	struct sink *s[3];
	struct evbpf_loop *loop;
	int i, round;

	for (i = 0; i < 3; i++) {
		f[i] = fx_new(state, 8192, IO_PROD_OUTPUT, i * 3, 0);
		s[i] = calloc(1, sizeof(*s[i]));
	}
	loop = f[0]->loop;
	for (i = 0; i < 3; i++)
		assert_non_null(evbpf_ring_new(loop, f[i]->rb, on_batch, s[i], NULL));
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 3; i++)
			assert_int_equal(io_run(f[i]->prog, 30 + i * 10), 0);
		for (i = 0; i < 3; i++)
			pump(loop, s[i], (round + 1) * (30 + i * 10));
	}
	for (i = 0; i < 3; i++) {
		assert_int_equal(s[i]->cnt, 5 * (30 + i * 10));
		check_order(s[i], 0, s[i]->cnt, 1);
	}
	for (i = 0; i < 3; i++) {
		fx_free(f[i]);
		free(s[i]);
	}
}

/* The loop fd inside the test's own epoll loop. */
static void test_outer_epoll(void **state)
{
	struct fixture *f = fx_new(state, 65536, IO_PROD_OUTPUT, 7, 0);
	struct sink *s = calloc(1, sizeof(*s));
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int ep = epoll_create1(EPOLL_CLOEXEC), rounds = 0;

	assert_true(ep >= 0);
	assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, evbpf_loop_fd(f->loop), &ev), 0);
	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, NULL));
	assert_int_equal(io_run(f->prog, 300), 0);
	while (s->cnt < 300) {
		assert_int_equal(epoll_wait(ep, &out, 1, 5000), 1);
		assert_true(evbpf_loop_dispatch(f->loop) >= 0);
		assert_true(++rounds < 1000);
	}
	check_order(s, 0, 300, 1);
	/* a big batch left the consumer holding on a short timer; once that
	 * expired with nothing new, the loop is idle and the outer epoll
	 * sees nothing */
	while (evbpf_loop_timeout(f->loop) >= 0) {
		assert_int_equal(epoll_wait(ep, &out, 1, 5000), 1);
		assert_int_equal(evbpf_loop_dispatch(f->loop), 0);
	}
	assert_int_equal(epoll_wait(ep, &out, 1, 0), 0);
	assert_int_equal(io_run(f->prog, 5), 0);
	assert_int_equal(epoll_wait(ep, &out, 1, 5000), 1);
	assert_int_equal(evbpf_loop_dispatch(f->loop), 5);
	close(ep);
	fx_free(f);
	free(s);
}

/* Default adaptation: a big batch holds one record on a short timer (no
 * producer wakeups meanwhile); a quiet period publishes everything again.
 * EVBPF_RING_IMMEDIATE never holds. */
static void test_adaptive_hold(void **state)
{
	struct fixture *f = fx_new(state, 65536, IO_PROD_OUTPUT, 0, 0);
	struct sink *s = calloc(1, sizeof(*s)), *s2 = calloc(1, sizeof(*s2));
	LIBBPF_OPTS(evbpf_ring_opts, ro, .flags = EVBPF_RING_IMMEDIATE);
	struct evbpf_ring *r, *r2;
	int rb2 = io_ringbuf_map(65536), st2 = io_array_map(8, false), p2;

	p2 = io_xdp_producer(rb2, st2, -1, IO_PROD_OUTPUT, 0, 0);
	assert_true(p2 >= 0);
	r = evbpf_ring_new(f->loop, f->rb, on_batch, s, NULL);
	r2 = evbpf_ring_new(f->loop, rb2, on_batch, s2, &ro);
	assert_non_null(r);
	assert_non_null(r2);
	assert_int_equal(io_run(f->prog, 200), 0);
	assert_int_equal(io_run(p2, 200), 0);
	assert_int_equal(evbpf_loop_run(f->loop, 5000), 400);
	/* r delivered everything but keeps its last record unpublished, with
	 * a timer armed to look again */
	assert_int_equal(evbpf_ring_avail(r), 0);
	assert_true(evbpf_loop_timeout(f->loop) >= 0);
	while (evbpf_loop_timeout(f->loop) >= 0)
		assert_true(evbpf_loop_run(f->loop, 100) >= 0);
	/* a trickle is delivered at once on a producer wakeup, on both */
	assert_int_equal(io_run(f->prog, 2), 0);
	assert_int_equal(io_run(p2, 2), 0);
	assert_int_equal(evbpf_loop_run(f->loop, 5000), 4);
	assert_int_equal(evbpf_loop_timeout(f->loop), -1);
	check_order(s, 0, 202, 1);
	check_order(s2, 0, 202, 1);
	assert_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, &(struct evbpf_ring_opts){
		.sz = sizeof(struct evbpf_ring_opts), .flags = 0x80 }));
	assert_int_equal(errno, EINVAL);
	fx_free(f);
	close(p2);
	close(st2);
	close(rb2);
	free(s);
	free(s2);
}

/* Coalescing holds delivery until the timer; teardown drains the rest. */
static void test_coalesce_and_drain(void **state)
{
	struct fixture *f = fx_new(state, 16384, IO_PROD_OUTPUT, 0, 0);
	struct sink *s = calloc(1, sizeof(*s));
	LIBBPF_OPTS(evbpf_ring_opts, ro, .coalesce_usec = 20000);
	int rounds = 0;

	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, &ro));
	assert_int_equal(io_run(f->prog, 10), 0);
	/* delivered only once the coalescing timer expired */
	while (s->cnt < 10) {
		assert_true(io_wait_fd(evbpf_loop_fd(f->loop), 5000) > 0);
		assert_true(evbpf_loop_dispatch(f->loop) >= 0);
		assert_true(++rounds < 1000);
	}
	assert_true(evbpf_loop_timeout(f->loop) >= 0);
	check_order(s, 0, 10, 1);
	/* more arrives; tearing down delivers it without waiting */
	assert_int_equal(io_run(f->prog, 25), 0);
	evbpf_loop_free(f->loop);
	f->loop = NULL;
	assert_int_equal(s->cnt, 35);
	check_order(s, 0, 35, 1);
	fx_free(f);
	free(s);
}

/* Coalescing by size: enough bytes pending deliver at once. */
static void test_coalesce_bytes(void **state)
{
	struct fixture *f = fx_new(state, 16384, IO_PROD_OUTPUT, 0, 0);
	struct sink *s = calloc(1, sizeof(*s));
	LIBBPF_OPTS(evbpf_ring_opts, ro, .coalesce_usec = 10000000,
		    .coalesce_bytes = 160);

	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, &ro));
	assert_int_equal(io_run(f->prog, 20), 0);	/* 320 bytes */
	assert_true(io_wait_fd(evbpf_loop_fd(f->loop), 5000) > 0);
	assert_int_equal(evbpf_loop_dispatch(f->loop), 20);
	assert_int_equal(evbpf_loop_drain(f->loop), 0);
	fx_free(f);
	free(s);
}

/* Busy-poll mode: run spins, producers are not woken. */
static void test_busy_poll(void **state)
{
	struct fixture *f = fx_new(state, 16384, IO_PROD_OUTPUT, 1, 0);
	struct sink *s = calloc(1, sizeof(*s));
	int n, total = 0;

	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, s, NULL));
	assert_int_equal(evbpf_loop_set_busy_poll(f->loop, true), 0);
	assert_int_equal(io_run(f->prog, 100), 0);
	while (total < 100) {
		n = evbpf_loop_run(f->loop, 5000);
		assert_true(n > 0);
		total += n;
	}
	assert_int_equal(io_run(f->prog, 100), 0);
	while (total < 200) {
		n = evbpf_loop_run(f->loop, 5000);
		assert_true(n > 0);
		total += n;
	}
	check_order(s, 0, 200, 1);
	assert_int_equal(evbpf_loop_set_busy_poll(f->loop, false), 0);
	assert_int_equal(io_run(f->prog, 3), 0);
	assert_int_equal(evbpf_loop_run(f->loop, 5000), 3);
	fx_free(f);
	free(s);
}

/* A sink that checks order without keeping the records. */
struct stream_sink {
	__u64 next;		/* the lowest seq the next record may carry */
	__u64 cnt;
	bool bad;
};

static int on_stream(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct stream_sink *s = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		__u64 seq = *(const __u64 *)recs[i].data;

		/* dropped records leave gaps; nothing comes twice or late */
		if (seq < s->next)
			s->bad = true;
		s->next = seq + 1;
		s->cnt++;
	}
	return (int)n;
}

static int other_cpu(void)
{
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), cpu = sched_getcpu();

	return ncpu > 1 && cpu >= 0 ? (cpu + 1) % ncpu : -1;
}

/*
 * Busy polling against a producer flat out on another CPU: the reader
 * leaves a fast producer's ring alone between looks, and every record
 * still arrives once and in order, with busy mode turned off and on every
 * few rounds, a dispatch budget, and a last look after the producer is
 * done (the hold a fast producer earned must end by itself).
 */
static void test_busy_poll_stream(void **state)
{
	enum { RECORDS = 300000, BUDGET = 700 };
	struct fixture *f = fx_new(state, 256 * 1024, IO_PROD_OUTPUT, 1, 0);
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = f->backend,
		    .flags = EVBPF_LOOP_BUSY_POLL, .dispatch_records = BUDGET);
	LIBBPF_OPTS(evbpf_ring_opts, ro, .drops_map_fd = f->drops);
	struct stream_sink *s = calloc(1, sizeof(*s));
	struct io_producer prod;
	struct evbpf_stats st;
	bool busy = true;
	int n, rounds = 0;

	assert_non_null(s);
	evbpf_loop_free(f->loop);
	f->loop = evbpf_loop_new(&lo);
	assert_non_null(f->loop);
	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_stream, s, &ro));
	assert_int_equal(io_start(&prod, f->prog, RECORDS, other_cpu()), 0);
	while (!io_producer_done(&prod)) {
		n = evbpf_loop_run(f->loop, 10);
		assert_true(n >= 0 && n <= BUDGET);
		if (++rounds % 16 == 0) {
			busy = !busy;
			assert_int_equal(evbpf_loop_set_busy_poll(f->loop, busy), 0);
		}
	}
	assert_int_equal(io_join(&prod), 0);
	assert_int_equal(evbpf_loop_set_busy_poll(f->loop, true), 0);
	assert_int_equal(evbpf_loop_stats(f->loop, &st), 0);
	/* the rest without a drain: busy looks only, the last one after
	 * whatever hold the stream left behind */
	while (s->cnt + st.drops < RECORDS) {
		n = evbpf_loop_run(f->loop, 5000);
		assert_true(n > 0 && n <= BUDGET);
		assert_int_equal(evbpf_loop_stats(f->loop, &st), 0);
	}
	assert_int_equal(evbpf_loop_drain(f->loop), 0);
	assert_int_equal(evbpf_loop_stats(f->loop, &st), 0);
	assert_false(s->bad);
	assert_true(s->cnt > 0);
	assert_int_equal(st.records, s->cnt);
	assert_int_equal(s->cnt + st.drops, RECORDS);
	assert_int_equal(io_array_u64(f->state), RECORDS);
	fx_free(f);
	free(s);
}

/* Pull API on a standalone reader. */
static void test_pull(void **state)
{
	struct fixture *f = fx_new(state, 8192, IO_PROD_OUTPUT, 0, 0);
	struct evbpf_rec recs[8];
	struct evbpf_ring *r;
	__u64 next = 0;
	int n, i;

	r = evbpf_ring_new(NULL, f->rb, NULL, NULL, NULL);
	assert_non_null(r);
	assert_int_equal(evbpf_ring_peek(r, recs, 8), 0);
	assert_int_equal(io_run(f->prog, 20), 0);
	while (next < 20) {
		n = evbpf_ring_peek(r, recs, 8);
		assert_true(n > 0);
		for (i = 0; i < n; i++)
			assert_int_equal(*(const __u64 *)recs[i].data, next + i);
		/* release only part; the rest is peeked again */
		assert_int_equal(evbpf_ring_release(r, n > 3 ? 3 : n), 0);
		next += n > 3 ? 3 : n;
	}
	assert_int_equal(evbpf_ring_avail(r), 0);
	assert_int_equal(evbpf_ring_release(r, 1), -EINVAL);
	evbpf_ring_free(r);
	fx_free(f);
}


/* stats.discarded counts each discarded record once, also when a callback
 * stops early and when a peek is not released (the walk goes over the same
 * headers again). */
static void test_discard_counted_once(void **state)
{
	struct fixture *f = fx_new(state, 8192, IO_PROD_DISCARD_ODD, 0, 0);
	struct sink *s = calloc(1, sizeof(*s));
	struct evbpf_rec recs[8];
	struct evbpf_stats st;
	struct evbpf_ring *r;

	r = evbpf_ring_new(NULL, f->rb, on_batch, s, NULL);
	assert_non_null(r);
	assert_int_equal(io_run(f->prog, 100), 0);
	assert_int_equal(evbpf_ring_peek(r, recs, 8), 8);
	assert_int_equal(evbpf_ring_peek(r, recs, 8), 8);
	s->stop_every = 3;
	while (s->cnt < 50)
		assert_true(evbpf_ring_consume(r) > 0);
	assert_int_equal(evbpf_ring_stats(r, &st), 0);
	assert_int_equal(st.records, 50);
	assert_int_equal(st.discarded, 50);
	check_order(s, 0, 50, 2);
	evbpf_ring_free(r);
	fx_free(f);
	free(s);
}

/* Freeing a consumer that holds its last record back publishes it: the
 * next consumer of the map does not get that record again. */
static void test_free_publishes_held(void **state)
{
	struct fixture *f = fx_new(state, 65536, IO_PROD_OUTPUT, 0, 0);
	struct sink *s = calloc(1, sizeof(*s)), *s2 = calloc(1, sizeof(*s2));
	struct evbpf_ring *r;

	r = evbpf_ring_new(f->loop, f->rb, on_batch, s, NULL);
	assert_non_null(r);
	assert_int_equal(io_run(f->prog, 200), 0);
	assert_int_equal(evbpf_loop_run(f->loop, 5000), 200);
	/* a big batch: the last record is held, a timer armed */
	assert_true(evbpf_loop_timeout(f->loop) >= 0);
	evbpf_ring_free(r);
	r = evbpf_ring_new(NULL, f->rb, on_batch, s2, NULL);
	assert_non_null(r);
	assert_int_equal(evbpf_ring_consume(r), 0);
	assert_int_equal(s2->cnt, 0);
	evbpf_ring_free(r);
	fx_free(f);
	free(s);
	free(s2);
}

/* A drop counter map must be a per-CPU array of __u64: anything else is
 * refused with -EINVAL and one log line. */
static void test_drops_map_checked(void **state)
{
	struct fixture *f = fx_new(state, 8192, IO_PROD_OUTPUT, 0, 0);
	int bad[3], i;

	bad[0] = bpf_map_create(BPF_MAP_TYPE_ARRAY, "d", 4, 4096, 1, NULL);
	bad[1] = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "d", 4, 16, 1, NULL);
	bad[2] = bpf_map_create(BPF_MAP_TYPE_HASH, "d", 4, 8, 1, NULL);
	for (i = 0; i < 3; i++) {
		assert_true(bad[i] >= 0);
		evbpf_test_capture_log();
		assert_null(evbpf_ring_new(f->loop, f->rb, on_batch, NULL,
			&(struct evbpf_ring_opts){ .sz = sizeof(struct evbpf_ring_opts),
						   .drops_map_fd = bad[i] }));
		assert_int_equal(errno, EINVAL);
		assert_non_null(strstr(evbpf_test_log(), "drops_map_fd"));
		close(bad[i]);
	}
	/* a good one still works */
	assert_non_null(evbpf_ring_new(f->loop, f->rb, on_batch, NULL,
		&(struct evbpf_ring_opts){ .sz = sizeof(struct evbpf_ring_opts),
					   .drops_map_fd = f->drops }));
	/* huge batches are refused rather than allocated */
	evbpf_test_capture_log();
	assert_null(evbpf_ring_new(f->loop, f->rb, on_batch, NULL,
		&(struct evbpf_ring_opts){ .sz = sizeof(struct evbpf_ring_opts),
					   .batch_max = 1u << 28 }));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "batch_max"));
	assert_int_equal(evbpf_ring_avail(NULL), 0);
	assert_int_equal(evbpf_ring_size(NULL), 0);
	fx_free(f);
}

/* Re-entry from a callback: consuming its own ring is refused with -EBUSY;
 * freeing its ring (or another consumer, or the loop) is safe: no further
 * batch reaches it and the memory goes when the dispatch unwinds. */
struct reenter {
	struct evbpf_ring *self, *other;
	struct evbpf_loop *loop;
	int consume_ret;
	size_t calls;
	bool free_self, free_other, free_loop;
};

static int on_batch_reenter(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct reenter *re = ctx;

	re->calls++;
	re->consume_ret = evbpf_ring_consume(re->self);
	if (re->free_other) {
		evbpf_ring_free(re->other);
		re->other = NULL;
	}
	if (re->free_self)
		evbpf_ring_free(re->self);
	if (re->free_loop)
		evbpf_loop_free(re->loop);
	return 1;	/* one at a time: more batches would follow */
}

static void test_reentry(void **state)
{
	struct fixture *f = fx_new(state, 16384, IO_PROD_OUTPUT, 0, 0);
	struct reenter re = { .loop = f->loop };
	struct sink *s = calloc(1, sizeof(*s));
	int rb2 = io_ringbuf_map(16384);

	re.self = evbpf_ring_new(f->loop, f->rb, on_batch_reenter, &re, NULL);
	re.other = evbpf_ring_new(f->loop, rb2, on_batch, s, NULL);
	assert_non_null(re.self);
	assert_non_null(re.other);
	assert_int_equal(io_run(f->prog, 10), 0);
	evbpf_test_capture_log();
	assert_int_equal(evbpf_loop_dispatch(f->loop), 1);
	assert_int_equal(re.consume_ret, -EBUSY);
	assert_non_null(strstr(evbpf_test_log(), "inside its own delivery"));
	/* the other consumer and then itself, from inside the callback */
	re.free_other = true;
	re.free_self = true;
	re.calls = 0;
	assert_int_equal(evbpf_loop_dispatch(f->loop), 1);
	assert_int_equal(re.calls, 1);
	assert_null(re.other);
	assert_int_equal(evbpf_loop_dispatch(f->loop), 0);

	/* standalone: freed from its own callback inside evbpf_ring_consume */
	re = (struct reenter){ .free_self = true };
	re.self = evbpf_ring_new(NULL, f->rb, on_batch_reenter, &re, NULL);
	assert_non_null(re.self);
	assert_int_equal(evbpf_ring_consume(re.self), 1);
	assert_int_equal(re.calls, 1);

	/* the loop itself, from inside a callback: the dispatch returns and
	 * the loop is gone (the fd check of the group sees its fds closed) */
	re = (struct reenter){ .free_loop = true, .loop = f->loop };
	re.self = evbpf_ring_new(f->loop, f->rb, on_batch_reenter, &re, NULL);
	assert_non_null(re.self);
	assert_true(evbpf_loop_dispatch(f->loop) >= 1);
	f->loop = NULL;
	fx_free(f);
	close(rb2);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_count_order),
		BOTH(test_discard),
		BOTH(test_early_stop),
		BOTH(test_callback_error),
		BOTH(test_overflow_drops),
		BOTH(test_several_rings),
		BOTH(test_outer_epoll),
		BOTH(test_adaptive_hold),
		BOTH(test_coalesce_and_drain),
		BOTH(test_coalesce_bytes),
		BOTH(test_busy_poll),
		BOTH(test_busy_poll_stream),
		BOTH(test_pull),
		BOTH(test_discard_counted_once),
		BOTH(test_free_publishes_held),
		BOTH(test_drops_map_checked),
		BOTH(test_reentry),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
