// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The evbpf loop itself: backend choice (AUTO, SQPOLL), option checks,
 * bounded waits, signals during evbpf_loop_run(), re-entrancy, stats.
 */
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include <evbpf/evbpf.h>
#include "io_test.h"

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	size_t *cnt = ctx;

	*cnt += n;
	return (int)n;
}

static struct evbpf_loop *reentry_loop;
static int reentry_ret;

static int on_batch_reenter(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	reentry_ret = evbpf_loop_dispatch(reentry_loop);
	return (int)n;
}

/* Runs @n records through a ring on @loop. */
static void round_trip(struct evbpf_loop *loop, int n)
{
	int rb = io_ringbuf_map(8192), st = io_array_map(8, false), prog, got;
	size_t cnt = 0;
	struct evbpf_ring *r;

	assert_true(rb >= 0 && st >= 0);
	prog = io_xdp_producer(rb, st, -1, IO_PROD_OUTPUT, 0, 0);
	assert_true(prog >= 0);
	r = evbpf_ring_new(loop, rb, on_batch, &cnt, NULL);
	assert_non_null(r);
	assert_int_equal(io_run(prog, n), 0);
	while (cnt < (size_t)n) {
		got = evbpf_loop_run(loop, 5000);
		assert_true(got > 0);
	}
	assert_int_equal(cnt, n);
	evbpf_ring_free(r);
	close(prog);
	close(st);
	close(rb);
}

static void test_auto_and_sqpoll(void **state)
{
	LIBBPF_OPTS(evbpf_loop_opts, sq, .backend = EVBPF_BACKEND_IO_URING,
		    .flags = EVBPF_LOOP_SQPOLL, .sqpoll_idle_ms = 10);
	struct evbpf_loop *loop;

	LIBBPF_OPTS(evbpf_loop_opts, ur, .backend = EVBPF_BACKEND_IO_URING);

	/* AUTO is epoll: its fd serves any reactor */
	loop = evbpf_loop_new(NULL);
	assert_non_null(loop);
	assert_int_equal(evbpf_loop_backend(loop), EVBPF_BACKEND_EPOLL);
	assert_true(evbpf_loop_fd(loop) >= 0);
	round_trip(loop, 50);
	evbpf_loop_free(loop);

	/* io_uring serves evbpf_loop_run(); asking for the fd moves the loop
	 * onto an epoll set, consumers included */
	loop = evbpf_loop_new(&ur);
	assert_non_null(loop);
	assert_int_equal(evbpf_loop_backend(loop), EVBPF_BACKEND_IO_URING);
	round_trip(loop, 50);
	assert_true(evbpf_loop_fd(loop) >= 0);
	assert_int_equal(evbpf_loop_backend(loop), EVBPF_BACKEND_EPOLL);
	round_trip(loop, 50);
	evbpf_loop_free(loop);

	loop = evbpf_loop_new(&sq);
	assert_non_null(loop);
	assert_int_equal(evbpf_loop_backend(loop), EVBPF_BACKEND_IO_URING);
	round_trip(loop, 50);
	evbpf_loop_free(loop);
}

static void test_bad_opts(void **state)
{
	LIBBPF_OPTS(evbpf_loop_opts, bad, .backend = (enum evbpf_backend)7);
	struct {
		struct evbpf_loop_opts o;
		char tail[8];
	} big = { .o.sz = sizeof(big), .tail = { 1 } };

	assert_null(evbpf_loop_new(&bad));
	assert_int_equal(errno, EINVAL);
	assert_null(evbpf_loop_new(&big.o));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(evbpf_loop_fd(NULL), -EINVAL);
	assert_int_equal(evbpf_loop_dispatch(NULL), -EINVAL);
	assert_int_equal(evbpf_loop_run(NULL, 0), -EINVAL);
	evbpf_loop_free(NULL);
	evbpf_ring_free(NULL);
	evbpf_perf_free(NULL);
	assert_null(evbpf_ring_new(NULL, -1, on_batch, NULL, NULL));
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Idle: run times out with 0, a signal in between does not end it early
 * with -EINTR, and the loop fd stays quiet. */
static void test_idle_and_signal(void **state)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	struct itimerspec its = { .it_value.tv_nsec = 10 * 1000 * 1000 };
	struct evbpf_loop *loop = evbpf_loop_new(&lo);
	struct timespec t0, t1;
	timer_t timer;
	long ms;

	assert_non_null(loop);
	assert_int_equal(evbpf_loop_dispatch(loop), 0);
	assert_int_equal(evbpf_loop_timeout(loop), -1);
	assert_int_equal(io_wait_fd(evbpf_loop_fd(loop), 0), 0);
	assert_int_equal(evbpf_loop_run(loop, 0), 0);

	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
	assert_int_equal(timer_settime(timer, 0, &its, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(evbpf_loop_run(loop, 100), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= 99);
	timer_delete(timer);
	sigaction(SIGALRM, &old, NULL);
	evbpf_loop_free(loop);
}

/* Dispatch from inside a callback is refused, the outer one goes on. */
static void test_reentry(void **state)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	int rb = io_ringbuf_map(4096), st = io_array_map(8, false), prog;
	struct evbpf_stats stats;

	reentry_loop = evbpf_loop_new(&lo);
	assert_non_null(reentry_loop);
	prog = io_xdp_producer(rb, st, -1, IO_PROD_OUTPUT, 0, 0);
	assert_true(prog >= 0);
	assert_non_null(evbpf_ring_new(reentry_loop, rb, on_batch_reenter, NULL, NULL));
	assert_int_equal(io_run(prog, 3), 0);
	assert_int_equal(evbpf_loop_run(reentry_loop, 5000), 3);
	assert_int_equal(reentry_ret, -EBUSY);
	assert_int_equal(evbpf_loop_stats(reentry_loop, &stats), 0);
	assert_int_equal(stats.records, 3);
	assert_int_equal(stats.batches, 1);
	assert_true(stats.syscalls > 0);
	assert_int_equal(evbpf_loop_stats(reentry_loop, NULL), -EINVAL);
	evbpf_loop_free(reentry_loop);
	close(prog);
	close(st);
	close(rb);
}

/* Consumers come and go on a live loop; watch slots are reused. */
static void test_churn(void **state)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	struct evbpf_loop *loop = evbpf_loop_new(&lo);
	int i;

	assert_non_null(loop);
	for (i = 0; i < 20; i++)
		round_trip(loop, 5);
	evbpf_loop_free(loop);
}

static void *run_elsewhere(void *loop)
{
	round_trip(loop, 30);
	return NULL;
}

/* An epoll loop may move to another thread between calls. */
static void test_epoll_moves(void **state)
{
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = EVBPF_BACKEND_EPOLL);
	struct evbpf_loop *loop = evbpf_loop_new(&lo);
	pthread_t t;

	assert_non_null(loop);
	round_trip(loop, 10);
	assert_int_equal(pthread_create(&t, NULL, run_elsewhere, loop), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	round_trip(loop, 10);
	evbpf_loop_free(loop);
}

static enum evbpf_backend be_uring = EVBPF_BACKEND_IO_URING;
static enum evbpf_backend be_epoll = EVBPF_BACKEND_EPOLL;

#define BOTH(fn) cmocka_unit_test_prestate(fn, &be_uring), \
		 cmocka_unit_test_prestate(fn, &be_epoll)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto_and_sqpoll),
		cmocka_unit_test(test_bad_opts),
		cmocka_unit_test(test_epoll_moves),
		BOTH(test_idle_and_signal),
		BOTH(test_reentry),
		BOTH(test_churn),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
