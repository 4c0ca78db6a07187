// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The evbpf loop: one pollable fd over every consumer registered on it, a
 * non-blocking dispatch step, a standalone run, busy polling, coalescing
 * timers and stats. The backends (backend_uring.c, backend_epoll.c) only
 * turn fd readiness into "something happened"; dispatch then asks every
 * consumer to deliver what is due, which costs one acquire load per ring.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/timerfd.h>

#include "io_internal.h"

static int loop_init_backend(struct evbpf_loop *loop,
			     const struct evbpf__backend_ops *be,
			     enum evbpf_backend kind,
			     const struct evbpf_loop_opts *opts)
{
	int err;

	loop->be = be;
	loop->backend = kind;
	err = be->init(loop, opts);
	if (err) {
		be->fini(loop);
		loop->be = NULL;
		loop->fd = -1;
		loop->kick_fd = -1;
		loop->be_priv = NULL;
	}
	return err;
}

struct evbpf_loop *evbpf_loop_new(const struct evbpf_loop_opts *opts)
{
	enum evbpf_backend kind;
	struct evbpf_loop *loop;
	int err;

	if (!OPTS_VALID(opts, evbpf_loop_opts, sqpoll_idle_ms))
		return evbpf__err_ptr(-EINVAL);
	kind = OPTS_GET(opts, backend, EVBPF_BACKEND_AUTO);
	if (kind != EVBPF_BACKEND_AUTO && kind != EVBPF_BACKEND_IO_URING &&
	    kind != EVBPF_BACKEND_EPOLL) {
		pr_warn("loop: unknown backend %d", (int)kind);
		return evbpf__err_ptr(-EINVAL);
	}

	loop = calloc(1, sizeof(*loop));
	if (!loop)
		return evbpf__err_ptr(-ENOMEM);
	loop->fd = -1;
	loop->kick_fd = -1;
	loop->timer_fd = -1;
	loop->timer_watch = -1;
	loop->busy = OPTS_GET(opts, flags, 0) & EVBPF_LOOP_BUSY_POLL;

	err = -EINVAL;
	if (kind != EVBPF_BACKEND_EPOLL) {
		err = loop_init_backend(loop, &evbpf__backend_uring,
					EVBPF_BACKEND_IO_URING, opts);
		if (err && kind == EVBPF_BACKEND_IO_URING) {
			pr_warn("loop: io_uring backend unavailable: %d", err);
			goto err_out;
		}
		if (err)
			pr_debug("loop: io_uring unavailable (%d), using epoll", err);
	}
	if (err) {
		err = loop_init_backend(loop, &evbpf__backend_epoll,
					EVBPF_BACKEND_EPOLL, opts);
		if (err) {
			pr_warn("loop: epoll backend failed: %d", err);
			goto err_out;
		}
	}
	return loop;

err_out:
	evbpf_loop_free(loop);
	return evbpf__err_ptr(err);
}

void evbpf_loop_free(struct evbpf_loop *loop)
{
	if (!loop)
		return;
	if (loop->be)
		evbpf_loop_drain(loop);
	while (loop->consumers) {
		struct evbpf__consumer *c = loop->consumers;

		evbpf__loop_unlink(c);
		c->ops->destroy(c);
	}
	if (loop->timer_watch >= 0)
		evbpf__loop_unwatch(loop, loop->timer_watch);
	if (loop->be)
		loop->be->fini(loop);
	evbpf__close(loop->timer_fd);
	free(loop->watches);
	free(loop);
}

enum evbpf_backend evbpf_loop_backend(const struct evbpf_loop *loop)
{
	return loop->backend;
}

int evbpf_loop_fd(const struct evbpf_loop *loop)
{
	if (!loop)
		return evbpf__err(-EINVAL);
	return loop->fd;
}

/* ---- consumers and watches ---- */

void evbpf__loop_link(struct evbpf_loop *loop, struct evbpf__consumer *c)
{
	c->loop = loop;
	c->next = loop->consumers;
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &loop->consumers;
	loop->consumers = c;
}

void evbpf__loop_unlink(struct evbpf__consumer *c)
{
	struct evbpf_loop *loop = c->loop;
	int i;

	if (!loop)
		return;
	for (i = 0; i < loop->watch_cnt; i++) {
		if (loop->watches[i].active && loop->watches[i].owner == c)
			evbpf__loop_unwatch(loop, i);
	}
	if (c->pprev) {
		*c->pprev = c->next;
		if (c->next)
			c->next->pprev = c->pprev;
	}
	c->next = NULL;
	c->pprev = NULL;
	c->loop = NULL;
}

int evbpf__loop_watch(struct evbpf_loop *loop, int fd, struct evbpf__consumer *owner)
{
	struct evbpf__watch *w;
	int id, err;

	for (id = 0; id < loop->watch_cnt; id++) {
		w = &loop->watches[id];
		if (w->fd < 0 && !w->active && !w->armed)
			break;
	}
	if (id == loop->watch_cnt) {
		if (loop->watch_cnt == loop->watch_cap) {
			int cap = loop->watch_cap ? loop->watch_cap * 2 : 8;

			w = realloc(loop->watches, cap * sizeof(*w));
			if (!w)
				return -ENOMEM;
			loop->watches = w;
			loop->watch_cap = cap;
		}
		loop->watch_cnt++;
	}
	w = &loop->watches[id];
	w->fd = fd;
	w->active = true;
	w->armed = false;
	w->owner = owner;
	err = loop->be->add(loop, id);
	if (err) {
		w->fd = -1;
		w->active = false;
		w->owner = NULL;
		return err;
	}
	return id;
}

void evbpf__loop_unwatch(struct evbpf_loop *loop, int id)
{
	struct evbpf__watch *w = &loop->watches[id];

	if (!w->active)
		return;
	w->owner = NULL;
	w->active = false;
	/* the slot is free once the backend will report nothing more on it */
	if (loop->be->del(loop, id))
		evbpf__loop_watch_done(loop, id);
}

void evbpf__loop_watch_done(struct evbpf_loop *loop, int id)
{
	struct evbpf__watch *w = &loop->watches[id];

	w->armed = false;
	if (!w->active)
		w->fd = -1;
}

void evbpf__loop_notified(struct evbpf_loop *loop, int id)
{
	struct evbpf__watch *w;
	__u64 cnt;

	if (id < 0 || id >= loop->watch_cnt)
		return;
	w = &loop->watches[id];
	if (!w->active)
		return;
	loop->stats.wakeups++;
	if (w->owner) {
		w->owner->stats.wakeups++;
		return;
	}
	if (id == loop->timer_watch) {
		/* expired: the deadlines are re-evaluated by dispatch */
		loop->stats.syscalls++;
		if (read(loop->timer_fd, &cnt, sizeof(cnt)) == sizeof(cnt))
			loop->timer_armed_ns = 0;
	}
}

/* ---- timers ---- */

static int loop_arm_timer(struct evbpf_loop *loop, __u64 deadline_ns)
{
	struct itimerspec its = {};
	int id;

	if (deadline_ns == loop->timer_armed_ns)
		return 0;
	if (loop->timer_fd < 0) {
		if (!deadline_ns)
			return 0;
		loop->timer_fd = timerfd_create(CLOCK_MONOTONIC,
						TFD_NONBLOCK | TFD_CLOEXEC);
		if (loop->timer_fd < 0)
			return -errno;
		id = evbpf__loop_watch(loop, loop->timer_fd, NULL);
		if (id < 0) {
			evbpf__close(loop->timer_fd);
			loop->timer_fd = -1;
			return id;
		}
		loop->timer_watch = id;
	}
	its.it_value.tv_sec = deadline_ns / 1000000000ull;
	its.it_value.tv_nsec = deadline_ns % 1000000000ull;
	loop->stats.syscalls++;
	if (timerfd_settime(loop->timer_fd, TFD_TIMER_ABSTIME, &its, NULL))
		return -errno;
	loop->timer_armed_ns = deadline_ns;
	return 0;
}

int evbpf_loop_timeout(const struct evbpf_loop *loop)
{
	const struct evbpf__consumer *c;
	__u64 min = 0, now;

	for (c = loop->consumers; c; c = c->next) {
		if (c->pending)
			return 0;
		if (c->deadline_ns && (!min || c->deadline_ns < min))
			min = c->deadline_ns;
	}
	if (!min)
		return -1;
	now = evbpf__now_ns();
	if (min <= now)
		return 0;
	return (int)evbpf__min((min - now + 999999) / 1000000, (__u64)INT_MAX);
}

/* ---- dispatch ---- */

enum harvest_mode {
	HARVEST_FULL,	/* collect everything: dispatch, drain */
	HARVEST_LIGHT,	/* only what needs no system call: run, before waiting */
	HARVEST_NONE,	/* the backend's wait collected already: run */
};

static int loop_process(struct evbpf_loop *loop, bool drain, enum harvest_mode mode)
{
	struct evbpf__consumer *c, *next;
	__u64 now, min_deadline = 0;
	bool need_kick = false;
	long total = 0;
	int ret, err = 0;

	if (loop->dispatching) {
		pr_warn("loop: dispatch called from inside a callback");
		return evbpf__err(-EBUSY);
	}
	loop->dispatching = true;

	if (mode != HARVEST_NONE) {
		ret = loop->be->harvest(loop, mode == HARVEST_LIGHT);
		if (ret < 0)
			err = ret;
	}

	now = evbpf__now_ns();
	for (c = loop->consumers; c; c = next) {
		next = c->next;
		if (err) {
			if (c->pending || c->deadline_ns)
				need_kick = true;
			continue;
		}
		ret = c->ops->service(c, now, drain);
		/* draining: a callback that stopped early is offered the rest
		 * again, as long as it keeps taking some */
		while (drain && ret > 0 && c->pending) {
			total += ret;
			ret = c->ops->service(c, now, drain);
		}
		if (ret < 0) {
			err = ret;
			need_kick = true;
			continue;
		}
		total += ret;
		if (c->pending)
			need_kick = true;
		if (c->deadline_ns && (!min_deadline || c->deadline_ns < min_deadline))
			min_deadline = c->deadline_ns;
	}
	/* a callback may have queued work (a map operation) on a consumer
	 * serviced before it in this pass: that work needs the fd readable too */
	for (c = loop->consumers; c && !need_kick; c = c->next)
		need_kick = c->pending;

	if (!loop->busy) {
		ret = loop_arm_timer(loop, min_deadline);
		if (ret < 0 && !err)
			err = ret;
		if (need_kick)
			loop->be->kick(loop);
	}
	loop->dispatching = false;
	if (err)
		return evbpf__err(err);
	return (int)evbpf__min(total, (long)INT_MAX);
}

int evbpf_loop_dispatch(struct evbpf_loop *loop)
{
	if (!loop)
		return evbpf__err(-EINVAL);
	return loop_process(loop, false, HARVEST_FULL);
}

int evbpf_loop_drain(struct evbpf_loop *loop)
{
	if (!loop)
		return evbpf__err(-EINVAL);
	return loop_process(loop, true, HARVEST_FULL);
}

int evbpf_loop_run(struct evbpf_loop *loop, int timeout_ms)
{
	enum harvest_mode mode = HARVEST_LIGHT;
	__u64 end = 0, now;
	int n, wait_ms;

	if (!loop)
		return evbpf__err(-EINVAL);
	if (timeout_ms > 0)
		end = evbpf__now_ns() + (__u64)timeout_ms * 1000000ull;

	for (;;) {
		n = loop_process(loop, false, mode);
		mode = HARVEST_LIGHT;
		if (n != 0)
			return n;
		if (timeout_ms == 0)
			return 0;
		if (timeout_ms > 0) {
			now = evbpf__now_ns();
			if (now >= end)
				return 0;
			wait_ms = (int)((end - now + 999999) / 1000000);
		} else {
			wait_ms = -1;
		}
		/* busy polling spins; left-over work (a kick) is picked up by
		 * the next round's full harvest without waiting */
		if (loop->busy)
			continue;
		if (loop->kicked) {
			mode = HARVEST_FULL;
			continue;
		}
		/* waits and collects in one go; an interrupted wait returns 0
		 * and is simply retried */
		n = loop->be->wait(loop, wait_ms);
		if (n < 0)
			return evbpf__err(n);
		mode = HARVEST_NONE;
	}
}

int evbpf_loop_set_busy_poll(struct evbpf_loop *loop, bool on)
{
	struct evbpf__consumer *c;

	if (!loop)
		return evbpf__err(-EINVAL);
	if (loop->busy == on)
		return 0;
	loop->busy = on;
	if (!on) {
		for (c = loop->consumers; c; c = c->next)
			c->ops->unhold(c);
		/* let the next dispatch re-check everything and re-arm timers */
		loop->be->kick(loop);
	}
	return 0;
}

/* ---- stats ---- */

static void stats_add(struct evbpf_stats *dst, const struct evbpf_stats *src)
{
	dst->records += src->records;
	dst->bytes += src->bytes;
	dst->batches += src->batches;
	dst->wakeups += src->wakeups;
	dst->syscalls += src->syscalls;
	dst->drops += src->drops;
	dst->lost += src->lost;
	dst->discarded += src->discarded;
}

int evbpf_loop_stats(const struct evbpf_loop *loop, struct evbpf_stats *stats)
{
	const struct evbpf__consumer *c;
	struct evbpf_stats sum;

	if (!loop || !stats)
		return evbpf__err(-EINVAL);
	sum = loop->stats;
	/* the loop's wakeups already include the consumers' ones */
	for (c = loop->consumers; c; c = c->next) {
		struct evbpf_stats cs = c->stats;

		cs.wakeups = 0;
		if (c->ops->read_drops)
			c->ops->read_drops(c, &cs);
		stats_add(&sum, &cs);
	}
	*stats = sum;
	return 0;
}
