// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The loop fd inside other people's reactors, on every backend a loop can
 * be created with: libevent (through evbpf_event_new), a plain epoll set
 * (level- and edge-triggered) and an outer io_uring (multishot and one-shot
 * POLL_ADD). A flat-out XDP producer (one BPF_PROG_TEST_RUN with a large
 * repeat, on a thread pinned to another CPU) fills a 4 MiB ring with
 * 16-byte records: every record arrives exactly once and in order, nothing
 * is dropped, and map operations submitted from the ring callback complete.
 * The longest gap between deliveries is reported, not asserted.
 *
 * The consuming thread runs at real-time priority when it may: on a
 * machine shared with other work, a consumer the scheduler keeps off its
 * CPU for longer than the ring lasts (9 ms at 20 M records/s) would drop
 * records whatever the library does; the test is about the library.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <event2/event.h>
#include <liburing.h>

#include <evbpf/evbpf_event.h>
#include <evbpf/mapops.h>
#include "io_test.h"

#define RING_SIZE	(4u << 20)
#define RECORDS		1000000
#define WAIT_MS		5000
#define ATTEMPTS	3

static struct io_producer *cur_prod;

enum reactor {
	R_LIBEVENT,
	R_EPOLL_LT,
	R_EPOLL_ET,
	R_URING_MULTI,
	R_URING_ONESHOT,
};

static const char *const reactor_name[] = {
	"libevent", "epoll-level", "epoll-edge", "io_uring-multishot", "io_uring-oneshot",
};

struct sink {
	__u64 next;
	size_t cnt;
	bool bad;
	__u64 last_ns, max_gap_ns;
	int schedstat;		/* /proc/thread-self/schedstat */
	__u64 last_wait_ns, max_gap_wait_ns;	/* time spent waiting for a CPU */
	struct evbpf_loop *loop;
	struct evbpf_mapq *q;
	int arr;
	__u32 key;
	__u64 val;
	size_t submitted, completed, batches;
	struct event_base *base;
	size_t want;
};

/* Nanoseconds this thread spent runnable but waiting for a CPU. */
static __u64 cpu_wait_ns(int fd)
{
	char buf[128];
	unsigned long long run, wait;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = 0;
	return sscanf(buf, "%llu %llu", &run, &wait) == 2 ? wait : 0;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static bool finished(const struct sink *s);

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct sink *s = ctx;
	__u64 t = now_ns(), w;
	size_t i;

	for (i = 0; i < n; i++) {
		const __u64 *v = recs[i].data;

		if (recs[i].len != 16 || v[0] != s->next || v[1] != v[0])
			s->bad = true;
		s->next++;
	}
	s->cnt += n;
	w = s->schedstat >= 0 ? cpu_wait_ns(s->schedstat) : 0;
	if (s->last_ns && t - s->last_ns > s->max_gap_ns) {
		s->max_gap_ns = t - s->last_ns;
		s->max_gap_wait_ns = w - s->last_wait_ns;
	}
	s->last_ns = t;
	s->last_wait_ns = w;
	/* a map operation from inside the callback, now and then */
	if (s->q && (s->batches++ % 64) == 0 && !evbpf_mapq_pending(s->q)) {
		s->val = s->cnt;
		/* key and value stay valid until the completion */
		if (evbpf_mapq_update(s->q, s->arr, &s->key, &s->val, BPF_ANY, NULL) == 0)
			s->submitted++;
	}
	if (s->base && finished(s))
		event_base_loopbreak(s->base);
	return (int)n;
}

static void on_done(void *ctx, const struct evbpf_mapop_done *d)
{
	struct sink *s = ctx;

	if (d->res)
		s->bad = true;
	s->completed++;
	if (s->base && finished(s))
		event_base_loopbreak(s->base);
}

/* What a failed wait found, for the log. */
static void explain(struct evbpf_loop *loop, const struct sink *s)
{
	struct evbpf_stats st;

	evbpf_loop_stats(loop, &st);
	print_message("    stuck: %zu records, %zu/%zu map ops, producer %s (%d), "
		      "%llu drops, timeout %d, fd readable %d, longest gap %.2f ms\n", s->cnt, s->completed,
		      s->submitted, io_producer_done(cur_prod) ? "done" : "running",
		      cur_prod->a.ret, (unsigned long long)st.drops,
		      evbpf_loop_timeout(loop), io_wait_fd(evbpf_loop_fd(loop), 0),
		      s->max_gap_ns / 1e6);
}

/* Everything delivered, or (the producer done) delivered or dropped. */
static bool finished(const struct sink *s)
{
	struct evbpf_stats st;

	if (s->completed != s->submitted)
		return false;
	if (s->cnt >= s->want)
		return true;
	if (!io_producer_done(cur_prod) || evbpf_loop_stats(s->loop, &st))
		return false;
	return s->cnt + st.drops >= s->want;
}

/* ---- the reactors ---- */

static void run_libevent(struct evbpf_loop *loop, struct sink *s)
{
	struct timeval tv = { .tv_sec = 60 };
	struct evbpf_event *ev;

	s->base = event_base_new();
	assert_non_null(s->base);
	ev = evbpf_event_new(s->base, loop, NULL, NULL);
	assert_non_null(ev);
	assert_int_equal(event_base_loopexit(s->base, &tv), 0);
	assert_int_equal(event_base_loop(s->base, 0), 0);
	if (!finished(s))
		explain(loop, s);
	evbpf_event_free(ev);
	event_base_free(s->base);
	s->base = NULL;
}

static void run_epoll(struct evbpf_loop *loop, struct sink *s, bool edge)
{
	struct epoll_event ev = { .events = EPOLLIN | (edge ? EPOLLET : 0) }, out;
	int ep = epoll_create1(EPOLL_CLOEXEC), n;

	assert_true(ep >= 0);
	assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, evbpf_loop_fd(loop), &ev), 0);

	while (!finished(s)) {
		n = epoll_wait(ep, &out, 1, WAIT_MS);
		/* A timeout with work left means the fd failed to turn
		 * readable (the producer may have ended, dropping, just before
		 * the wait); an EINTR fails the test: neither the loop nor the
		 * test's own rings may leave one behind. */
		if (n == 0 && finished(s))
			break;
		if (n != 1)
			explain(loop, s);
		assert_int_equal(n, 1);
		assert_true(evbpf_loop_dispatch(loop) >= 0);
	}
	close(ep);
}

static void uring_arm(struct io_uring *ring, int fd, bool multi)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	assert_non_null(sqe);
	if (multi)
		io_uring_prep_poll_multishot(sqe, fd, POLLIN);
	else
		io_uring_prep_poll_add(sqe, fd, POLLIN);
	assert_int_equal(io_uring_submit(ring), 1);
}

/*
 * Closes this test's own ring. Closing a ring the thread submitted to
 * interrupts the thread's next wait once, some milliseconds later (the
 * kernel removes the thread's io_uring context by task work): that wait is
 * taken here, so it cannot land in the next reactor's epoll_wait. A pipe
 * whose write end only the ring holds tells when the kernel is done: the
 * ring's files go after the task work has run, so the sleep below lasts
 * until EPOLLHUP.
 */
static void uring_exit_quiet(struct io_uring *ring)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fds[2], ep = epoll_create1(EPOLL_CLOEXEC);

	assert_true(ep >= 0);
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	assert_int_equal(io_uring_register_files(ring, &fds[1], 1), 0);
	close(fds[1]);
	io_uring_queue_exit(ring);
	assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev), 0);
	/* every EINTR on the way is one of the ring's notifications (the
	 * cancelled poll's completion, the context's removal): wait on */
	while (epoll_wait(ep, &ev, 1, 10000) < 0 && errno == EINTR)
		;
	close(fds[0]);
	close(ep);
}

static void run_uring(struct evbpf_loop *loop, struct sink *s, bool multi)
{
	struct __kernel_timespec ts = { .tv_sec = WAIT_MS / 1000 };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int fd = evbpf_loop_fd(loop), ret;
	size_t wakeups = 0, rearms = 0;
	bool more;

	assert_int_equal(io_uring_queue_init(8, &ring, 0), 0);
	uring_arm(&ring, fd, multi);
	while (!finished(s)) {
		ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		if (ret == -ETIME && finished(s))
			break;
		if (ret)
			explain(loop, s);
		assert_int_equal(ret, 0);
		assert_true(cqe->res > 0);
		more = cqe->flags & IORING_CQE_F_MORE;
		io_uring_cqe_seen(&ring, cqe);
		wakeups++;
		assert_true(evbpf_loop_dispatch(loop) >= 0);
		if (!more) {
			rearms += multi;
			uring_arm(&ring, fd, multi);
		}
	}
	if (multi)
		print_message("    outer multishot poll: %zu wakeups, %zu re-arms\n",
			      wakeups, rearms);
	uring_exit_quiet(&ring);
}

/* ---- the test ---- */

struct param {
	enum evbpf_backend backend;
	enum reactor reactor;
};

static int other_cpu(void)
{
	int cpu = sched_getcpu(), n = (int)sysconf(_SC_NPROCESSORS_ONLN);

	return n > 1 ? (cpu + 1) % n : -1;
}

/*
 * One run; returns the records dropped. *@cpu_stall: the longest gap between
 * deliveries was mostly time the consumer spent waiting for its CPU (other
 * work on the machine, a kernel not preempting it), so drops then say
 * nothing about the library.
 */
static __u64 embed_once(const struct param *p, bool *cpu_stall)
{
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = p->backend);
	int rb, st, drops, arr, prog, cpu;
	struct sink *s = calloc(1, sizeof(*s));
	struct io_producer prod;
	struct evbpf_loop *loop;
	struct evbpf_stats stats;
	struct sched_param rt = { .sched_priority = 1 }, old_prio;
	int old_policy = sched_getscheduler(0);
	cpu_set_t old, one;

	assert_non_null(s);
	rb = io_ringbuf_map(RING_SIZE);
	st = io_array_map(8, false);
	drops = io_array_map(8, true);
	arr = io_array_map(8, false);
	assert_true(rb >= 0 && st >= 0 && drops >= 0 && arr >= 0);
	prog = io_xdp_producer(rb, st, drops, IO_PROD_FIXED16, 0, 0);
	assert_true(prog >= 0);

	loop = evbpf_loop_new(&lo);
	assert_non_null(loop);
	assert_non_null(evbpf_ring_new(loop, rb, on_batch, s, &(struct evbpf_ring_opts){
		.sz = sizeof(struct evbpf_ring_opts), .drops_map_fd = drops }));
	/* created after the ring: its service comes before the ring's in a
	 * dispatch, so ops the ring's callback submits are left for later */
	s->q = evbpf_mapq_new(loop, on_done, s, NULL);
	assert_non_null(s->q);
	s->arr = arr;
	s->want = RECORDS;
	s->loop = loop;
	s->schedstat = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	/* ask for the fd before the records flow, as embedding code does when
	 * it sets up its reactor (an io_uring loop moves onto epoll here) */
	assert_true(evbpf_loop_fd(loop) >= 0);

	/* consumer on this CPU, producer on the other one */
	assert_int_equal(sched_getaffinity(0, sizeof(old), &old), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	sched_getparam(0, &old_prio);
	if (sched_setscheduler(0, SCHED_FIFO, &rt))
		print_message("    (no real-time priority: %s)\n", strerror(errno));
	cpu = other_cpu();
	cur_prod = &prod;
	assert_int_equal(io_start(&prod, prog, RECORDS, cpu), 0);

	switch (p->reactor) {
	case R_LIBEVENT:
		run_libevent(loop, s);
		break;
	case R_EPOLL_LT:
	case R_EPOLL_ET:
		run_epoll(loop, s, p->reactor == R_EPOLL_ET);
		break;
	case R_URING_MULTI:
	case R_URING_ONESHOT:
		run_uring(loop, s, p->reactor == R_URING_MULTI);
		break;
	}
	assert_int_equal(io_join(&prod), 0);
	sched_setscheduler(0, old_policy, &old_prio);
	assert_int_equal(sched_setaffinity(0, sizeof(old), &old), 0);

	assert_int_equal(evbpf_loop_stats(loop, &stats), 0);
	print_message("    %s on %s: %zu records, %llu dropped, longest gap between deliveries %.2f ms, %llu wakeups, %zu map ops\n",
		      reactor_name[p->reactor],
		      p->backend == EVBPF_BACKEND_IO_URING ? "io_uring" :
		      p->backend == EVBPF_BACKEND_EPOLL ? "epoll" : "auto",
		      s->cnt, (unsigned long long)stats.drops, s->max_gap_ns / 1e6,
		      (unsigned long long)stats.wakeups, s->completed);
	assert_false(s->bad);
	assert_int_equal(s->cnt + stats.drops, RECORDS);
	assert_int_equal(stats.records, s->cnt + s->completed);
	assert_true(s->submitted > 0);
	assert_int_equal(s->completed, s->submitted);
	assert_int_equal(evbpf_mapq_pending(s->q), 0);
	*cpu_stall = s->max_gap_wait_ns * 2 > s->max_gap_ns;
	if (stats.drops)
		print_message("    the longest gap: %.2f ms, %.2f ms of it waiting for a CPU\n",
			      s->max_gap_ns / 1e6, s->max_gap_wait_ns / 1e6);

	evbpf_loop_free(loop);
	if (s->schedstat >= 0)
		close(s->schedstat);
	close(prog);
	close(arr);
	close(drops);
	close(st);
	close(rb);
	free(s);
	return stats.drops;
}

/* Zero drops; a run that dropped only because the scheduler kept the
 * consumer off its CPU is run again (reported), up to ATTEMPTS times. */
static void test_embed(void **state)
{
	const struct param *p = *state;
	bool stall = false;
	__u64 dropped = 0;
	int i;

	for (i = 0; i < ATTEMPTS; i++) {
		dropped = embed_once(p, &stall);
		if (!dropped || !stall)
			break;
		print_message("    dropped while the consumer waited for a CPU: again\n");
	}
	assert_int_equal(dropped, 0);
}

/* A map operation submitted from a ring callback on a loop whose queue was
 * created after the ring: after the dispatch the fd is readable, and the
 * next dispatch completes it. */
static void test_mapop_from_callback(void **state)
{
	const struct param *p = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = p->backend);
	struct sink *s = calloc(1, sizeof(*s));
	int rb = io_ringbuf_map(65536), st = io_array_map(8, false);
	int arr = io_array_map(8, false), prog, fd;
	struct evbpf_loop *loop = evbpf_loop_new(&lo);

	assert_non_null(loop);
	prog = io_xdp_producer(rb, st, -1, IO_PROD_FIXED16, 0, 0);
	assert_true(prog >= 0);
	assert_non_null(evbpf_ring_new(loop, rb, on_batch, s, NULL));
	s->q = evbpf_mapq_new(loop, on_done, s, NULL);
	assert_non_null(s->q);
	s->arr = arr;
	s->schedstat = -1;
	fd = evbpf_loop_fd(loop);
	assert_true(fd >= 0);
	assert_int_equal(io_run(prog, 3), 0);
	assert_true(io_wait_fd(fd, WAIT_MS) > 0);
	assert_int_equal(evbpf_loop_dispatch(loop), 3);
	assert_int_equal(s->submitted, 1);
	assert_int_equal(evbpf_mapq_pending(s->q), 1);
	assert_int_equal(evbpf_loop_timeout(loop), 0);
	assert_true(io_wait_fd(fd, 0) > 0);
	assert_int_equal(evbpf_loop_dispatch(loop), 1);
	assert_int_equal(s->completed, 1);
	assert_int_equal(io_array_u64(arr), 3);
	evbpf_loop_free(loop);
	close(prog);
	close(arr);
	close(st);
	close(rb);
	free(s);
}

#define P(be, r) (&(struct param){ be, r })
#define EMBED(be, r) cmocka_unit_test_prestate(test_embed, P(be, r))
#define ALL_REACTORS(be) \
	EMBED(be, R_LIBEVENT), EMBED(be, R_EPOLL_LT), EMBED(be, R_EPOLL_ET), \
	EMBED(be, R_URING_MULTI), EMBED(be, R_URING_ONESHOT)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_mapop_from_callback,
					  P(EVBPF_BACKEND_AUTO, R_EPOLL_LT)),
		cmocka_unit_test_prestate(test_mapop_from_callback,
					  P(EVBPF_BACKEND_IO_URING, R_EPOLL_LT)),
		ALL_REACTORS(EVBPF_BACKEND_AUTO),
		ALL_REACTORS(EVBPF_BACKEND_EPOLL),
		ALL_REACTORS(EVBPF_BACKEND_IO_URING),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
