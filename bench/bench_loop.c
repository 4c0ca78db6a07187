// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* evbpf's own consumers under the bench; see bench_loop.h. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <liburing.h>

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <evbpf/evbpf.h>
#ifdef EVBPF_BENCH_LIBEVENT
#include <event2/event.h>
#include <evbpf/evbpf_event.h>
#endif

#include "bench_loop.h"
#include "compat.h"

struct lctx {
	struct bench_run run;
	const struct bench_params *p;
	struct evbpf_loop *loop;
	struct evbpf_ring *ring;
	struct evbpf_perf *perf;
	bool timer;
	int outer_ep;			/* OUTER_EPOLL: the application's epoll */
	struct io_uring outer_ring;	/* OUTER_URING: the application's ring */
	bool outer_ring_ok;
#ifdef EVBPF_BENCH_LIBEVENT
	struct event_base *base;
	struct evbpf_event *adapter;
	struct event *tick;
	int ev_err;
#endif
};

/* bench_on_record() for each record, with the counters kept in registers
 * across the batch and stored once: what a batch lets a consumer do and a
 * callback per record does not. */
static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct bench_run *r = ctx;
	uint64_t events = r->events, bytes = r->bytes;
	uint32_t mask = r->lat_mask;
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t seq = bench_rec_seq(recs[i].data);
		bool first = events++ == 0;

		bytes += recs[i].len;
		if (__builtin_expect(first || !(seq & mask), 0)) {
			r->events = events;
			r->bytes = bytes;
			bench_on_sampled(r, recs[i].data, first);
		}
	}
	r->events = events;
	r->bytes = bytes;
	return (int)n;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	((struct bench_run *)ctx)->lost += cnt;
}

static int step_run(void *c)
{
	struct lctx *l = c;

	if (l->timer) {
		/* No BPF-side wakeups: take everything on a timer. */
		bench_timer_sleep(l->p);
		return evbpf_loop_drain(l->loop);
	}
	return evbpf_loop_run(l->loop, l->p->poll_ms);
}

static int step_drain(void *c)
{
	return evbpf_loop_drain(((struct lctx *)c)->loop);
}

static int step_ring_consume(void *c)
{
	struct lctx *l = c;

	if (l->perf)
		return evbpf_perf_consume(l->perf);
	return evbpf_ring_consume(l->ring);
}

/* A timer-mode round of an outer reactor: everything, on a timer. */
static int outer_timer_round(struct lctx *l)
{
	bench_timer_sleep(l->p);
	return evbpf_loop_drain(l->loop);
}

/* The application's epoll_wait on the loop fd, then one dispatch. */
static int step_outer_epoll(void *c)
{
	struct lctx *l = c;
	struct epoll_event ev;
	int n;

	if (l->timer)
		return outer_timer_round(l);
	n = epoll_wait(l->outer_ep, &ev, 1, l->p->poll_ms);
	if (n < 0)
		return -errno;
	return n ? evbpf_loop_dispatch(l->loop) : 0;
}

static int outer_uring_arm(struct lctx *l)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&l->outer_ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_multishot(sqe, evbpf_loop_fd(l->loop), POLLIN);
	return io_uring_submit(&l->outer_ring) == 1 ? 0 : -EIO;
}

/* The application's io_uring: a multishot POLL_ADD on the loop fd. */
static int step_outer_uring(void *c)
{
	struct lctx *l = c;
	struct __kernel_timespec ts = {
		.tv_sec = l->p->poll_ms / 1000,
		.tv_nsec = (l->p->poll_ms % 1000) * 1000000ll,
	};
	struct io_uring_cqe *cqe;
	bool more;
	int ret;

	if (l->timer)
		return outer_timer_round(l);
	ret = io_uring_wait_cqe_timeout(&l->outer_ring, &cqe, &ts);
	if (ret == -ETIME || ret == -EINTR)
		return 0;
	if (ret < 0)
		return ret;
	more = cqe->flags & IORING_CQE_F_MORE;
	io_uring_cqe_seen(&l->outer_ring, cqe);
	if (!more && (ret = outer_uring_arm(l)))
		return ret;
	return evbpf_loop_dispatch(l->loop);
}

static int outer_setup(struct lctx *l, enum bench_loop_kind kind)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd = evbpf_loop_fd(l->loop);

	if (fd < 0)
		return fd;
	if (kind == BENCH_L_OUTER_EPOLL) {
		l->outer_ep = epoll_create1(EPOLL_CLOEXEC);
		if (l->outer_ep < 0)
			return -errno;
		return epoll_ctl(l->outer_ep, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
	}
	if (io_uring_queue_init(8, &l->outer_ring, 0))
		return -ENOMEM;
	l->outer_ring_ok = true;
	return outer_uring_arm(l);
}

#ifdef EVBPF_BENCH_LIBEVENT
static void on_adapter_error(struct evbpf_loop *loop, int err, void *c)
{
	((struct lctx *)c)->ev_err = err;
}

/* Bounds each wait of the event_base (and, in timer mode, is the timer that
 * takes what no wakeup announced). */
static void on_tick(evutil_socket_t fd, short what, void *c)
{
	struct lctx *l = c;
	int n;

	if (!l->timer)
		return;
	n = evbpf_loop_drain(l->loop);
	if (n < 0)
		l->ev_err = n;
}

/* One round of the application's own event loop; evbpf's adapter calls
 * evbpf_loop_dispatch() from inside it. */
static int step_libevent(void *c)
{
	struct lctx *l = c;
	uint64_t before = l->run.events;

	if (event_base_loop(l->base, EVLOOP_ONCE) < 0)
		return -EIO;
	if (l->ev_err)
		return l->ev_err;
	return l->run.events - before > 0;
}

static int libevent_setup(struct lctx *l)
{
	struct timeval tv = {
		.tv_sec = l->p->poll_ms / 1000,
		.tv_usec = (l->p->poll_ms % 1000) * 1000,
	};

	if (l->timer) {
		tv.tv_sec = l->p->timer_us / 1000000;
		tv.tv_usec = l->p->timer_us % 1000000;
	}
	l->base = event_base_new();
	if (!l->base)
		return -ENOMEM;
	l->adapter = evbpf_event_new(l->base, l->loop, on_adapter_error, l);
	if (!l->adapter)
		return -errno;
	l->tick = event_new(l->base, -1, EV_PERSIST, on_tick, l);
	if (!l->tick || event_add(l->tick, &tv))
		return -ENOMEM;
	return 0;
}
#endif

/*
 * Reads every line of the ring's data pages once. A consumer that keeps up
 * leaves the ring's lines in the caches (it has just read them), so its
 * producer writes into cached lines; the producer alone would otherwise
 * write into a ring nobody has touched since it was allocated and time
 * memory misses that no consumer row meets.
 */
static void warm_ring(int fd, size_t size)
{
	long pg = sysconf(_SC_PAGESIZE);
	volatile const unsigned char *m;
	size_t off;

	m = mmap(NULL, pg + size, PROT_READ, MAP_SHARED, fd, pg);
	if (m == MAP_FAILED)
		return;
	for (off = 0; off < size; off += 64)
		(void)m[pg + off];
	munmap((void *)m, pg + size);
}

static int make_loop(struct lctx *l, enum bench_loop_kind kind, int on)
{
	struct evbpf_loop_opts lo;

	memset(&lo, 0, sizeof(lo));
	lo.sz = sizeof(lo);
	if (on == BENCH_L_ON_URING)
		lo.backend = EVBPF_BACKEND_IO_URING;
	else if (on == BENCH_L_ON_EPOLL)
		lo.backend = EVBPF_BACKEND_EPOLL;
	switch (kind) {
	case BENCH_L_URING:
	case BENCH_L_COALESCE:
	case BENCH_L_PERF_TUNED:
		lo.backend = EVBPF_BACKEND_IO_URING;
		break;
	case BENCH_L_EPOLL:
		lo.backend = EVBPF_BACKEND_EPOLL;
		break;
	case BENCH_L_BUSY:
		lo.flags = EVBPF_LOOP_BUSY_POLL;
		break;
	default:
		break;
	}
	l->loop = evbpf_loop_new(&lo);
	return l->loop ? 0 : -errno;
}

int bench_loop_run(const char *obj_path, const struct bench_params *p,
		   enum bench_loop_kind mode, struct bench_result *res)
{
	enum bench_loop_kind kind = mode & 0xff;
	bool standalone = kind == BENCH_L_DRAIN || kind == BENCH_L_PRODUCER;
	bool outer = kind == BENCH_L_OUTER_EPOLL || kind == BENCH_L_OUTER_URING;
	struct bpf_object *obj = NULL;
	struct bench_fds fds;
	struct lctx l;
	int err;

#ifndef EVBPF_BENCH_LIBEVENT
	if (kind == BENCH_L_LIBEVENT)
		return -EOPNOTSUPP;
#endif
	memset(&l, 0, sizeof(l));
	l.outer_ep = -1;
	l.p = p;
	l.timer = p->conf.wakeup == BENCH_WAKE_NONE;
	err = bench_load(obj_path, p, &obj, &fds);
	if (err)
		goto out_obj;
	err = bench_run_init(&l.run, p, &fds);
	if (err)
		goto out;
	if (!standalone) {
		err = make_loop(&l, kind, mode & ~0xff);
		if (err)
			goto out;
	}
	if (p->buffer == BENCH_BUF_RB) {
		struct evbpf_ring_opts ro;

		memset(&ro, 0, sizeof(ro));
		ro.sz = sizeof(ro);
		if (kind == BENCH_L_COALESCE) {
			ro.coalesce_usec = 100;
			ro.coalesce_bytes = 256 * 1024;
		}
		l.ring = evbpf_ring_new(l.loop, fds.rb_fd, on_batch, &l.run, &ro);
		if (!l.ring) {
			err = -errno;
			goto out;
		}
	} else {
		struct evbpf_perf_opts po;

		memset(&po, 0, sizeof(po));
		po.sz = sizeof(po);
		po.page_cnt = bench_pb_pages(p);
		if (kind == BENCH_L_PERF_TUNED)
			po.wakeup_events = p->pb_wakeup;
		l.perf = evbpf_perf_new(l.loop, fds.pb_fd, on_batch, on_lost, &l.run, &po);
		if (!l.perf) {
			err = -errno;
			goto out;
		}
	}
#ifdef EVBPF_BENCH_LIBEVENT
	if (kind == BENCH_L_LIBEVENT) {
		err = libevent_setup(&l);
		if (err)
			goto out;
	}
#endif
	if (outer) {
		err = outer_setup(&l, kind);
		if (err)
			goto out;
	}
	if (p->producer == BENCH_PROD_TP) {
		err = bench_attach_tp(&l.run);
		if (err)
			goto out;
	}
	if (kind == BENCH_L_PRODUCER && p->buffer == BENCH_BUF_RB && !bench_ring_prewarmed(p))
		warm_ring(fds.rb_fd, bench_ring_size(p));
	err = bench_consumer_warm(&l.run, standalone ? step_ring_consume : step_drain, &l);
	if (err)
		goto out;
	err = bench_run_start(&l.run);
	if (err)
		goto out;
	if (standalone)
		/* The producer alone also gets the untimed laps: the first
		 * write to each page of a new ring costs the hypervisor far more
		 * than any later one, and a consumer row, which runs many laps
		 * of its ring, pays it only once. */
		err = kind == BENCH_L_PRODUCER ?
		      bench_producer_laps(&l.run, step_ring_consume, &l) :
		      bench_drain_laps(&l.run, step_ring_consume, &l);
#ifdef EVBPF_BENCH_LIBEVENT
	else if (kind == BENCH_L_LIBEVENT)
		err = bench_consume_loop(&l.run, step_libevent, step_drain, &l);
#endif
	else if (kind == BENCH_L_OUTER_EPOLL)
		err = bench_consume_loop(&l.run, step_outer_epoll, step_drain, &l);
	else if (kind == BENCH_L_OUTER_URING)
		err = bench_consume_loop(&l.run, step_outer_uring, step_drain, &l);
	else
		err = bench_consume_loop(&l.run, step_run, step_drain, &l);
	if (err)
		goto out;
	err = bench_run_finish(&l.run, res);
	if (!err && kind == BENCH_L_PRODUCER) {
		/* The producer's own rate: records between the first and the
		 * last stamped record over their timestamps. */
		res->events = res->prod_span_events;
		res->elapsed_ns = res->prod_span_ns ? res->prod_span_ns : 1;
		res->cpu_ns = 0;
		res->syscalls = -1;
		res->wakeups = 0;
		res->lat_p50_ns = res->lat_p99_ns = res->lat_samples = 0;
	}
out:
	bench_run_free(&l.run);
#ifdef EVBPF_BENCH_LIBEVENT
	if (l.tick)
		event_free(l.tick);
	evbpf_event_free(l.adapter);
	if (l.base)
		event_base_free(l.base);
#endif
	if (l.outer_ep >= 0)
		close(l.outer_ep);
	if (l.outer_ring_ok)
		io_uring_queue_exit(&l.outer_ring);
	evbpf_ring_free(l.ring);
	evbpf_perf_free(l.perf);
	evbpf_loop_free(l.loop);
out_obj:
	bpf_object__close(obj);
	return err;
}
