// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The evbpf loop itself: backend choice (AUTO, SQPOLL), option checks,
 * bounded waits, signals during evbpf_loop_run(), re-entrancy, stats.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>

#include <evbpf/evbpf.h>
#include "io_test.h"

/* > 0: each batch takes this long (a spin, not a sleep), so that a time
 * budget is spent after one batch whatever the machine's speed */
static long batch_cost_ns;

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	size_t *cnt = ctx;
	struct timespec t0, t;

	*cnt += n;
	if (batch_cost_ns) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec <
		       batch_cost_ns);
	}
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
	assert_int_equal((int)evbpf_loop_backend(NULL), -EINVAL);
	assert_int_equal(evbpf_loop_timeout(NULL), -EINVAL);
	assert_int_equal(evbpf_loop_dispatch_budget(NULL, 1, 1), -EINVAL);
}

/* Every refused option: -EINVAL and one log line naming it. */
static void refused(const struct evbpf_loop_opts *o, const char *word)
{
	evbpf_test_capture_log();
	assert_null(evbpf_loop_new(o));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), word));
	assert_null(strchr(strchr(evbpf_test_log(), '\n') + 1, '\n'));
}

static void test_refusals(void **state)
{
	LIBBPF_OPTS(evbpf_loop_opts, flags, .flags = 1u << 7);
	LIBBPF_OPTS(evbpf_loop_opts, entries, .backend = EVBPF_BACKEND_IO_URING,
		    .uring_entries = 0xffffffffu);
	LIBBPF_OPTS(evbpf_loop_opts, sqpoll, .flags = EVBPF_LOOP_SQPOLL);
	struct evbpf_loop *loop;

	refused(&flags, "flags");
	refused(&entries, "uring_entries");
	refused(&sqpoll, "SQPOLL");
	loop = evbpf_loop_new(NULL);
	assert_non_null(loop);
	evbpf_test_capture_log();
	assert_int_equal(evbpf_loop_run(loop, -5), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "timeout"));
	evbpf_loop_free(loop);
}

/* Without a timerfd (EMFILE) the loop logs once, publishes held positions
 * and bounds its waits by the next deadline instead of spinning. */
static void test_no_timerfd(void **state)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	LIBBPF_OPTS(evbpf_ring_opts, ro, .coalesce_usec = 2000);
	int rb = io_ringbuf_map(8192), st = io_array_map(8, false), prog, lowest;
	struct evbpf_loop *loop = evbpf_loop_new(&lo);
	struct evbpf_stats stats;
	struct rlimit old, lim;
	size_t cnt = 0;
	const char *log;

	assert_non_null(loop);
	prog = io_xdp_producer(rb, st, -1, IO_PROD_OUTPUT, 0, 0);
	assert_true(prog >= 0);
	assert_non_null(evbpf_ring_new(loop, rb, on_batch, &cnt, &ro));
	assert_int_equal(io_run(prog, 10), 0);
	/* no new fd from here on */
	lowest = dup(0);
	assert_true(lowest >= 0);
	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	lim = old;
	lim.rlim_cur = lowest;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
	evbpf_test_capture_log();
	while (cnt < 10)
		assert_true(evbpf_loop_run(loop, 5000) >= 0);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	log = evbpf_test_log();
	assert_non_null(strstr(log, "no timer"));
	assert_null(strstr(strstr(log, "no timer") + 1, "no timer"));
	assert_int_equal(evbpf_loop_stats(loop, &stats), 0);
	/* a spinning run makes thousands of calls in 2 ms */
	assert_true(stats.syscalls < 200);
	evbpf_loop_free(loop);
	close(prog);
	close(st);
	close(rb);
}

/* A dispatch budget bounds the records per dispatch; what is left keeps the
 * fd readable, and the next dispatch starts with the ring the last one did
 * not reach. */
static void test_budget(void **state)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be, .dispatch_records = 100);
	LIBBPF_OPTS(evbpf_ring_opts, ro, .batch_max = 16);
	int rb[2], st[2], prog[2], i, n, total = 0, fd;
	struct evbpf_loop *loop = evbpf_loop_new(&lo);
	size_t cnt[2] = {};

	assert_non_null(loop);
	fd = evbpf_loop_fd(loop);
	for (i = 0; i < 2; i++) {
		rb[i] = io_ringbuf_map(65536);
		st[i] = io_array_map(8, false);
		prog[i] = io_xdp_producer(rb[i], st[i], -1, IO_PROD_OUTPUT, 0, 0);
		assert_true(prog[i] >= 0);
		assert_non_null(evbpf_ring_new(loop, rb[i], on_batch, &cnt[i], &ro));
		assert_int_equal(io_run(prog[i], 150), 0);
	}
	assert_true(io_wait_fd(fd, 5000) > 0);
	n = evbpf_loop_dispatch(loop);
	assert_int_equal(n, 100);
	/* the other ring comes first next time */
	assert_true(io_wait_fd(fd, 0) > 0);
	n = evbpf_loop_dispatch(loop);
	assert_int_equal(n, 100);
	assert_true(cnt[0] > 0 && cnt[1] > 0);
	total = 200;
	while (total < 300) {
		assert_true(io_wait_fd(fd, 5000) > 0);
		n = evbpf_loop_dispatch(loop);
		assert_true(n >= 0 && n <= 100);
		total += n;
	}
	/* per call, and by time: a 1 µs budget stops after a batch */
	assert_int_equal(io_run(prog[0], 100), 0);
	assert_true(io_wait_fd(fd, 5000) > 0);
	batch_cost_ns = 20000;
	n = evbpf_loop_dispatch_budget(loop, 0, 1);
	batch_cost_ns = 0;
	assert_int_equal(n, 16);
	total += n;
	while (total < 400) {
		assert_true(io_wait_fd(fd, 5000) > 0);
		total += evbpf_loop_dispatch_budget(loop, 10, 0);
	}
	assert_int_equal(cnt[0] + cnt[1], 400);
	evbpf_loop_free(loop);
	for (i = 0; i < 2; i++) {
		close(prog[i]);
		close(st[i]);
		close(rb[i]);
	}
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

/*
 * Freeing an io_uring loop leaves nothing behind for the thread's own
 * waits, whether the loop ran or was only created (as in the cases before): the kernel's late clean-up of the ring (task work
 * that interrupts the next interruptible wait) is taken inside
 * evbpf_loop_free(). Each free is followed by a wait longer than that
 * clean-up takes (one RCU grace period) that must end by its timeout.
 */
static void test_free_leaves_no_eintr(void **state)
{
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = EVBPF_BACKEND_IO_URING);
	int ep = epoll_create1(EPOLL_CLOEXEC), i;
	struct epoll_event ev;

	(void)state;
	assert_true(ep >= 0);
	for (i = 0; i < 20; i++) {
		struct evbpf_loop *loop = evbpf_loop_new(&lo);

		assert_non_null(loop);
		assert_int_equal(evbpf_loop_backend(loop), EVBPF_BACKEND_IO_URING);
		round_trip(loop, 5);
		evbpf_loop_free(loop);
		assert_int_equal(epoll_wait(ep, &ev, 1, 50), 0);
	}
	close(ep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto_and_sqpoll),
		cmocka_unit_test(test_bad_opts),
		cmocka_unit_test(test_refusals),
		BOTH(test_no_timerfd),
		BOTH(test_budget),
		cmocka_unit_test(test_epoll_moves),
		cmocka_unit_test(test_free_leaves_no_eintr),
		BOTH(test_idle_and_signal),
		BOTH(test_reentry),
		BOTH(test_churn),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
