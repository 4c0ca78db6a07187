// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* evbpf's own consumers under the bench; see bench_loop.h. */
#include <errno.h>
#include <string.h>
#include <sys/time.h>

#include <stdlib.h>
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
#ifdef EVBPF_BENCH_LIBEVENT
	struct event_base *base;
	struct evbpf_event *adapter;
	struct event *tick;
	int ev_err;
#endif
};

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct bench_run *r = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		bench_on_record(r, recs[i].data, recs[i].len);
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
	return evbpf_ring_consume(((struct lctx *)c)->ring);
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

static int make_loop(struct lctx *l, enum bench_loop_kind kind)
{
	struct evbpf_loop_opts lo;

	memset(&lo, 0, sizeof(lo));
	lo.sz = sizeof(lo);
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
		   enum bench_loop_kind kind, struct bench_result *res)
{
	bool standalone = kind == BENCH_L_DRAIN || kind == BENCH_L_PRODUCER;
	struct bpf_object *obj = NULL;
	struct bench_fds fds;
	struct lctx l;
	int err;

#ifndef EVBPF_BENCH_LIBEVENT
	if (kind == BENCH_L_LIBEVENT)
		return -EOPNOTSUPP;
#endif
	memset(&l, 0, sizeof(l));
	l.p = p;
	l.timer = p->conf.wakeup == BENCH_WAKE_NONE;
	err = bench_load(obj_path, p, &obj, &fds);
	if (err)
		goto out_obj;
	err = bench_run_init(&l.run, p, &fds);
	if (err)
		goto out;
	if (!standalone) {
		err = make_loop(&l, kind);
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
		po.page_cnt = p->pb_pages;
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
	if (p->producer == BENCH_PROD_TP) {
		err = bench_attach_tp(&l.run);
		if (err)
			goto out;
	}
	err = bench_run_start(&l.run);
	if (err)
		goto out;
	if (standalone)
		err = bench_drain_timed(&l.run, step_ring_consume, &l);
#ifdef EVBPF_BENCH_LIBEVENT
	else if (kind == BENCH_L_LIBEVENT)
		err = bench_consume_loop(&l.run, step_libevent, step_drain, &l);
#endif
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
	evbpf_ring_free(l.ring);
	evbpf_perf_free(l.perf);
	evbpf_loop_free(l.loop);
out_obj:
	bpf_object__close(obj);
	return err;
}
