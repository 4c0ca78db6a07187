// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Perf buffers on the evbpf loop (both backends): an XDP producer calls
 * bpf_perf_event_output() on the test's CPU; small rings wrap and lose.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <evbpf/evbpf.h>
#include "io_test.h"

struct sink {
	__u64 seen[8192];
	size_t cnt;
	__u64 lost;
	int lost_calls;
	bool bad;
	int cpu;
	size_t stop_every;	/* consume at most this many per call (0: all) */
};

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct sink *s = ctx;
	size_t i, j;

	if (s->stop_every && n > s->stop_every)
		n = s->stop_every;
	for (i = 0; i < n; i++) {
		/* perf sample data sits 4 bytes past an 8-byte boundary */
		__u64 v[16] = {};

		memcpy(v, recs[i].data, recs[i].len < sizeof(v) ? recs[i].len : sizeof(v));

		/* perf pads the raw data: 8-byte multiples plus 4 */
		if (recs[i].len < 12 || recs[i].len % 8 != 4 || recs[i].cpu != s->cpu)
			s->bad = true;
		for (j = 1; j < recs[i].len / 8 && j < 16; j++)
			if (v[j] != v[0])
				s->bad = true;
		if (s->cnt < 8192)
			s->seen[s->cnt] = v[0];
		s->cnt++;
	}
	return (int)n;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	struct sink *s = ctx;

	if (cpu != s->cpu)
		s->bad = true;
	s->lost += cnt;
	s->lost_calls++;
}

struct fixture {
	struct evbpf_loop *loop;
	int pa, state, prog;
	cpu_set_t old;
	int cpu;
};

static void fx_init(void **state, struct fixture *f, int size_mask)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	cpu_set_t one;

	/* one CPU: all samples land in one ring, in order */
	assert_int_equal(sched_getaffinity(0, sizeof(f->old), &f->old), 0);
	f->cpu = sched_getcpu();
	CPU_ZERO(&one);
	CPU_SET(f->cpu, &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);

	f->loop = evbpf_loop_new(&lo);
	assert_non_null(f->loop);
	f->pa = io_perf_map();
	assert_true(f->pa >= 0);
	f->state = io_array_map(8, false);
	assert_true(f->state >= 0);
	f->prog = io_xdp_producer(f->pa, f->state, -1, IO_PROD_PERF, size_mask, 0);
	assert_true(f->prog >= 0);
}

static void fx_fini(struct fixture *f)
{
	evbpf_loop_free(f->loop);
	close(f->prog);
	close(f->state);
	close(f->pa);
	sched_setaffinity(0, sizeof(f->old), &f->old);
}

static void pump(struct evbpf_loop *loop, struct sink *s, size_t want)
{
	int rounds = 0;

	while (s->cnt < want) {
		assert_true(io_wait_fd(evbpf_loop_fd(loop), 5000) > 0);
		assert_true(evbpf_loop_dispatch(loop) >= 0);
		assert_true(++rounds < 100000);
	}
}

/* libbpf-like wakeups (every sample); a one-page ring wraps many times. */
static void test_wrap_order(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	LIBBPF_OPTS(evbpf_perf_opts, po, .page_cnt = 1, .wakeup_events = 1);
	struct evbpf_stats st;
	struct fixture f;
	size_t i;
	int round;

	fx_init(state, &f, 15);
	s->cpu = f.cpu;
	assert_non_null(evbpf_perf_new(f.loop, f.pa, on_batch, on_lost, s, &po));
	for (round = 0; round < 60; round++) {
		assert_int_equal(io_run(f.prog, 20), 0);
		pump(f.loop, s, (round + 1) * 20);
	}
	assert_false(s->bad);
	assert_int_equal(s->cnt, 1200);
	assert_int_equal(s->lost, 0);
	for (i = 0; i < 1200; i++)
		assert_int_equal(s->seen[i], i);
	assert_int_equal(evbpf_loop_stats(f.loop, &st), 0);
	assert_int_equal(st.records, 1200);
	assert_int_equal(st.lost, 0);
	fx_fini(&f);
	free(s);
}

/* A full ring loses samples; produced = consumed + lost. */
static void test_lost(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	LIBBPF_OPTS(evbpf_perf_opts, po, .page_cnt = 1, .wakeup_events = 1);
	struct evbpf_stats st;
	struct fixture f;
	__u64 produced;

	fx_init(state, &f, 3);
	s->cpu = f.cpu;
	assert_non_null(evbpf_perf_new(f.loop, f.pa, on_batch, on_lost, s, &po));
	assert_int_equal(io_run(f.prog, 1000), 0);
	pump(f.loop, s, 1);
	assert_true(evbpf_loop_drain(f.loop) >= 0);
	/* the kernel reports the loss with the next sample that fits */
	assert_int_equal(io_run(f.prog, 1), 0);
	produced = io_array_u64(f.state);
	while (s->cnt + s->lost < produced) {
		assert_true(io_wait_fd(evbpf_loop_fd(f.loop), 5000) > 0);
		assert_true(evbpf_loop_dispatch(f.loop) >= 0);
	}
	assert_false(s->bad);
	assert_true(s->lost > 0);
	assert_true(s->lost_calls >= 1);
	assert_int_equal(s->cnt + s->lost, produced);
	assert_int_equal(s->seen[s->cnt - 1], produced - 1);
	assert_int_equal(evbpf_loop_stats(f.loop, &st), 0);
	assert_int_equal(st.lost, s->lost);
	assert_int_equal(st.records, s->cnt);
	fx_fini(&f);
	free(s);
}

/* The default configuration (watermark + flush timer) delivers a trickle. */
static void test_default_flush(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct fixture f;
	int n, total = 0;

	fx_init(state, &f, 0);
	s->cpu = f.cpu;
	assert_non_null(evbpf_perf_new(f.loop, f.pa, on_batch, NULL, s, NULL));
	assert_int_equal(io_run(f.prog, 3), 0);
	while (total < 3) {
		n = evbpf_loop_run(f.loop, 5000);
		assert_true(n > 0);
		total += n;
	}
	assert_int_equal(s->cnt, 3);
	/* teardown drains what is left */
	assert_int_equal(io_run(f.prog, 7), 0);
	evbpf_loop_free(f.loop);
	f.loop = NULL;
	assert_int_equal(s->cnt, 10);
	fx_fini(&f);
	free(s);
}

/* A callback that stops early: the rest stays and comes back, in order. */
static void test_early_stop(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	LIBBPF_OPTS(evbpf_perf_opts, po, .page_cnt = 2, .wakeup_events = 1);
	struct fixture f;
	size_t i;
	int n;

	fx_init(state, &f, 1);
	s->cpu = f.cpu;
	s->stop_every = 6;
	assert_non_null(evbpf_perf_new(f.loop, f.pa, on_batch, on_lost, s, &po));
	assert_int_equal(io_run(f.prog, 50), 0);
	while (s->cnt < 50) {
		assert_true(io_wait_fd(evbpf_loop_fd(f.loop), 5000) > 0);
		n = evbpf_loop_dispatch(f.loop);
		assert_true(n >= 0 && n <= 6);
	}
	assert_false(s->bad);
	for (i = 0; i < 50; i++)
		assert_int_equal(s->seen[i], i);
	assert_int_equal(evbpf_loop_dispatch(f.loop), 0);
	fx_fini(&f);
	free(s);
}

static void test_bad_map(void **state)
{
	int fd = io_array_map(8, false);

	assert_null(evbpf_perf_new(NULL, fd, on_batch, NULL, NULL, NULL));
	assert_int_equal(errno, EINVAL);
	close(fd);
	fd = io_perf_map();
	{
		LIBBPF_OPTS(evbpf_perf_opts, po, .page_cnt = 3);

		assert_null(evbpf_perf_new(NULL, fd, on_batch, NULL, NULL, &po));
		assert_int_equal(errno, EINVAL);
	}
	{
		/* refused, not allocated */
		LIBBPF_OPTS(evbpf_perf_opts, po, .batch_max = 1u << 28);

		evbpf_test_capture_log();
		assert_null(evbpf_perf_new(NULL, fd, on_batch, NULL, NULL, &po));
		assert_int_equal(errno, EINVAL);
		assert_non_null(strstr(evbpf_test_log(), "batch_max"));
	}
	close(fd);
}

/* Freeing the consumer clears its slots in the map it was created on, not
 * in whatever map has since taken the same fd number. */
static void test_free_after_fd_reuse(void **state)
{
	int pa = io_perf_map(), other, key, ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);
	__u32 v = 7, out;
	struct evbpf_perf *perf;
	struct sink s = {};

	assert_true(pa >= 0);
	perf = evbpf_perf_new(NULL, pa, on_batch, NULL, &s, NULL);
	assert_non_null(perf);
	close(pa);
	other = bpf_map_create(BPF_MAP_TYPE_HASH, "reuse", 4, 4, 64, NULL);
	assert_int_equal(other, pa);
	for (key = 0; key < ncpu; key++)
		assert_int_equal(bpf_map_update_elem(other, &key, &v, BPF_ANY), 0);
	evbpf_perf_free(perf);
	for (key = 0; key < ncpu; key++)
		assert_int_equal(bpf_map_lookup_elem(other, &key, &out), 0);
	close(other);
}

/* Re-entry: consuming from its own callback is refused with -EBUSY; the
 * consumer freed from its own callback gets no further batch. */
struct perf_reenter {
	struct evbpf_perf *perf;
	int consume_ret;
	size_t calls;
};

static int on_batch_reenter(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct perf_reenter *re = ctx;

	re->calls++;
	re->consume_ret = evbpf_perf_consume(re->perf);
	evbpf_perf_free(re->perf);
	return 1;
}

static void test_reentry(void **state)
{
	struct perf_reenter re = {};
	struct fixture f;
	LIBBPF_OPTS(evbpf_perf_opts, po, .wakeup_events = 1);

	fx_init(state, &f, 0);
	re.perf = evbpf_perf_new(f.loop, f.pa, on_batch_reenter, NULL, &re, &po);
	assert_non_null(re.perf);
	assert_int_equal(io_run(f.prog, 5), 0);
	assert_true(io_wait_fd(evbpf_loop_fd(f.loop), 5000) > 0);
	assert_int_equal(evbpf_loop_dispatch(f.loop), 1);
	assert_int_equal(re.calls, 1);
	assert_int_equal(re.consume_ret, -EBUSY);
	assert_int_equal(evbpf_loop_dispatch(f.loop), 0);
	fx_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_wrap_order),
		BOTH(test_lost),
		BOTH(test_default_flush),
		BOTH(test_early_stop),
		cmocka_unit_test(test_bad_map),
		cmocka_unit_test(test_free_after_fd_reuse),
		BOTH(test_reentry),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
