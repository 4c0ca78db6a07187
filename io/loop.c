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

#define LOOP_KNOWN_FLAGS	(EVBPF_LOOP_SQPOLL | EVBPF_LOOP_BUSY_POLL)
/* io_uring's own limit on submission queue entries */
#define LOOP_MAX_URING_ENTRIES	32768

static int loop_check_opts(const struct evbpf_loop_opts *opts, enum evbpf_backend kind)
{
	__u32 flags = OPTS_GET(opts, flags, 0);
	__u32 entries = OPTS_GET(opts, uring_entries, 0);

	if (kind != EVBPF_BACKEND_AUTO && kind != EVBPF_BACKEND_IO_URING &&
	    kind != EVBPF_BACKEND_EPOLL) {
		pr_warn("loop: unknown backend %d", (int)kind);
		return -EINVAL;
	}
	if (flags & ~LOOP_KNOWN_FLAGS) {
		pr_warn("loop: unknown flags 0x%x", flags & ~LOOP_KNOWN_FLAGS);
		return -EINVAL;
	}
	if ((flags & EVBPF_LOOP_SQPOLL) && kind != EVBPF_BACKEND_IO_URING) {
		pr_warn("loop: EVBPF_LOOP_SQPOLL needs backend EVBPF_BACKEND_IO_URING");
		return -EINVAL;
	}
	if (entries > LOOP_MAX_URING_ENTRIES) {
		pr_warn("loop: uring_entries %u out of range (at most %u)",
			entries, LOOP_MAX_URING_ENTRIES);
		return -EINVAL;
	}
	return 0;
}

struct evbpf_loop *evbpf_loop_new(const struct evbpf_loop_opts *opts)
{
	enum evbpf_backend kind;
	struct evbpf_loop *loop;
	int err;

	if (!OPTS_VALID(opts, evbpf_loop_opts, dispatch_usec))
		return evbpf__err_ptr(-EINVAL);
	kind = OPTS_GET(opts, backend, EVBPF_BACKEND_AUTO);
	err = loop_check_opts(opts, kind);
	if (err)
		return evbpf__err_ptr(err);

	loop = calloc(1, sizeof(*loop));
	if (!loop) {
		pr_warn("loop: no memory for the loop");
		return evbpf__err_ptr(-ENOMEM);
	}
	loop->fd = -1;
	loop->kick_fd = -1;
	loop->timer_fd = -1;
	loop->timer_watch = -1;
	loop->busy = OPTS_GET(opts, flags, 0) & EVBPF_LOOP_BUSY_POLL;
	loop->budget_records = OPTS_GET(opts, dispatch_records, 0);
	loop->budget_usec = OPTS_GET(opts, dispatch_usec, 0);

	/* AUTO is epoll: see "Backends" in evbpf.h for the measurements */
	if (kind == EVBPF_BACKEND_IO_URING) {
		err = loop_init_backend(loop, &evbpf__backend_uring,
					EVBPF_BACKEND_IO_URING, opts);
		if (err) {
			pr_warn("loop: io_uring backend unavailable: %d", err);
			goto err_out;
		}
	} else {
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

enum harvest_mode {
	HARVEST_FULL,	/* collect everything: dispatch, drain */
	HARVEST_LIGHT,	/* only what needs no system call: run, before waiting */
	HARVEST_NONE,	/* the backend's wait collected already: run */
};

static void loop_destroy(struct evbpf_loop *loop)
{
	while (loop->consumers) {
		struct evbpf__consumer *c = loop->consumers;

		evbpf__loop_unlink(c);
		c->ops->destroy(c);
	}
	if (loop->timer_watch >= 0)
		evbpf__loop_unwatch(loop, loop->timer_watch);
	if (loop->be)
		loop->be->fini(loop);
	evbpf__uring_close(loop->parked_ring);
	evbpf__close(loop->timer_fd);
	free(loop->watches);
	free(loop);
}

static int loop_process(struct evbpf_loop *loop, bool drain, enum harvest_mode mode,
			__u32 max_records, __u32 max_usec, bool *gone);

void evbpf_loop_free(struct evbpf_loop *loop)
{
	bool gone = false;

	if (!loop)
		return;
	/* from a callback, the dispatching call frees it on its way out;
	 * else the drain below does, once the rings are delivered */
	loop->free_deferred = true;
	if (loop->dispatching)
		return;
	if (loop->be)
		loop_process(loop, true, HARVEST_FULL, 0, 0, &gone);
	if (!gone)
		loop_destroy(loop);
}

enum evbpf_backend evbpf_loop_backend(const struct evbpf_loop *loop)
{
	if (!loop)
		return (enum evbpf_backend)evbpf__err(-EINVAL);
	return loop->backend;
}

/*
 * Moves an io_uring loop onto an epoll set, for a caller that waits on the
 * loop fd itself: the ring's registered eventfd reaches an outer reactor
 * only after an RCU grace period (see evbpf.h, "Backends"). Every active
 * watch is re-added; dispatch looks at every ring anyway, so nothing that
 * the ring had seen but not yet posted is lost.
 */
static int loop_embed(struct evbpf_loop *loop)
{
	int ufd = loop->fd, ukick = loop->kick_fd, id, err;
	void *upriv = loop->be_priv;
	struct evbpf__consumer *c;
	bool ukicked = loop->kicked;

	if (loop->dispatching) {
		pr_warn("loop: the loop fd of an io_uring loop asked for from inside a callback");
		return -EBUSY;
	}
	loop->be_priv = NULL;
	loop->kicked = false;
	loop->fd = -1;
	loop->kick_fd = -1;
	err = evbpf__backend_epoll.init(loop, NULL);
	if (err) {
		evbpf__backend_epoll.fini(loop);
		loop->fd = ufd;
		loop->kick_fd = ukick;
		loop->be_priv = upriv;
		loop->kicked = ukicked;
		pr_warn("loop: cannot move the io_uring loop onto epoll: %d", err);
		return err;
	}
	{
		int efd = loop->fd, ekick = loop->kick_fd;

		loop->fd = ufd;
		loop->kick_fd = ukick;
		loop->be_priv = upriv;
		loop->parked_ring = evbpf__uring_park(loop);
		loop->fd = efd;
		loop->kick_fd = ekick;
	}
	loop->be = &evbpf__backend_epoll;
	loop->backend = EVBPF_BACKEND_EPOLL;
	for (id = 0; id < loop->watch_cnt; id++) {
		struct evbpf__watch *w = &loop->watches[id];

		w->armed = false;
		if (!w->active) {
			w->fd = -1;
			continue;
		}
		err = loop->be->add(loop, id);
		if (err) {
			pr_warn("loop: fd %d: cannot watch it on epoll: %d", w->fd, err);
			return err;
		}
	}
	pr_debug("loop: io_uring loop moved onto epoll for its loop fd");
	/* a ring with records is reported by the epoll set as soon as it is
	 * added; work the fd stood for besides that needs a kick */
	for (c = loop->consumers; c; c = c->next)
		ukicked |= c->pending;
	if (ukicked)
		loop->be->kick(loop);
	return 0;
}

int evbpf_loop_fd(const struct evbpf_loop *loop)
{
	int err;

	if (!loop)
		return evbpf__err(-EINVAL);
	if (loop->be == &evbpf__backend_uring) {
		/* the loop object is the caller's; const only promises that
		 * no consumer or setting visible to it changes */
		err = loop_embed((struct evbpf_loop *)loop);
		if (err)
			return evbpf__err(err);
	}
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
			if (!w) {
				pr_warn("loop: no memory to watch fd %d (%d watches)", fd, cap);
				return -ENOMEM;
			}
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
		if (loop->timer_fd < 0) {
			int err = -errno;

			pr_warn("loop: timerfd_create failed: %d", err);
			return err;
		}
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

/*
 * Arms the loop timer for the earliest consumer deadline. Without a timer
 * (no timerfd: EMFILE, ENFILE, ENOMEM) the loop still works: every held
 * position is published, so producers wake the loop as without holding,
 * evbpf_loop_run() bounds its waits by evbpf_loop_timeout() and embedding
 * callers have to do the same. Logged once per failure period.
 */
static void loop_set_timer(struct evbpf_loop *loop, __u64 deadline_ns)
{
	struct evbpf__consumer *c;
	int err;

	err = loop_arm_timer(loop, deadline_ns);
	if (!err) {
		loop->timer_failed = false;
		return;
	}
	if (!loop->timer_failed)
		pr_warn("loop: no timer for coalescing and held records (%d); "
			"publishing every position, waits bounded by evbpf_loop_timeout()",
			err);
	loop->timer_failed = true;
	for (c = loop->consumers; c; c = c->next) {
		if (c->ops->unhold)
			c->ops->unhold(c);
	}
}

int evbpf_loop_timeout(const struct evbpf_loop *loop)
{
	const struct evbpf__consumer *c;
	__u64 min = 0, now;

	if (!loop)
		return evbpf__err(-EINVAL);
	if (loop->kicked || loop->kick_deferred)
		return 0;
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

/* ---- kicks, budgets, consumers freed from callbacks ---- */

void evbpf__loop_kick(struct evbpf_loop *loop)
{
	if (loop->dispatching)
		loop->kick_deferred = true;
	else
		loop->be->kick(loop);
}

size_t evbpf__loop_quota(const struct evbpf__consumer *c)
{
	if (!c->loop || !c->loop->dispatching)
		return SIZE_MAX;
	return c->loop->budget_left;
}

bool evbpf__loop_out_of_time(const struct evbpf__consumer *c)
{
	const struct evbpf_loop *loop = c->loop;

	return loop && loop->dispatching && loop->budget_end_ns &&
	       evbpf__now_ns() >= loop->budget_end_ns;
}

static void loop_charge(struct evbpf_loop *loop, long n)
{
	if (loop->budget_left == SIZE_MAX || n <= 0)
		return;
	loop->budget_left -= evbpf__min((size_t)n, loop->budget_left);
}

static bool loop_spent(const struct evbpf_loop *loop)
{
	return !loop->budget_left ||
	       (loop->budget_end_ns && evbpf__now_ns() >= loop->budget_end_ns);
}

bool evbpf__consumer_release(struct evbpf__consumer *c)
{
	struct evbpf_loop *loop = c->loop;
	int i;

	if (c->depth || (loop && loop->dispatching)) {
		c->doomed = true;
		if (loop) {
			loop->doomed_any = true;
			for (i = 0; i < loop->watch_cnt; i++) {
				if (loop->watches[i].active && loop->watches[i].owner == c)
					evbpf__loop_unwatch(loop, i);
			}
		}
		return false;
	}
	evbpf__loop_unlink(c);
	return true;
}

bool evbpf__consumer_unwind(struct evbpf__consumer *c)
{
	if (!c->doomed || c->depth || (c->loop && c->loop->dispatching))
		return false;
	evbpf__loop_unlink(c);
	c->ops->destroy(c);
	return true;
}

/* Destroys the consumers freed from callbacks of the dispatch ending. */
static void loop_reap(struct evbpf_loop *loop)
{
	struct evbpf__consumer *c, *next;

	if (!loop->doomed_any)
		return;
	loop->doomed_any = false;
	for (c = loop->consumers; c; c = next) {
		next = c->next;
		if (c->doomed && !c->depth) {
			evbpf__loop_unlink(c);
			c->ops->destroy(c);
		}
	}
}

/* Moves @c and everything after it to the front, so that the next dispatch
 * starts where a spent budget stopped this one. */
static void loop_rotate(struct evbpf_loop *loop, struct evbpf__consumer *c)
{
	struct evbpf__consumer *tail;

	if (c == loop->consumers)
		return;
	for (tail = c; tail->next; tail = tail->next)
		;
	*c->pprev = NULL;
	tail->next = loop->consumers;
	loop->consumers->pprev = &tail->next;
	loop->consumers = c;
	c->pprev = &loop->consumers;
}

/* ---- dispatch ---- */

/* *@gone: set when a callback freed the loop, which is gone on return. */
static int loop_process(struct evbpf_loop *loop, bool drain, enum harvest_mode mode,
			__u32 max_records, __u32 max_usec, bool *gone)
{
	struct evbpf__consumer *c, *next;
	__u64 now, min_deadline = 0;
	bool need_kick = false, served = false;
	long total = 0;
	int ret, err = 0;

	if (loop->dispatching) {
		pr_warn("loop: dispatch called from inside a callback");
		return evbpf__err(-EBUSY);
	}
	loop->dispatching = true;
	loop->kick_deferred = false;

	if (mode != HARVEST_NONE) {
		ret = loop->be->harvest(loop, mode == HARVEST_LIGHT);
		if (ret < 0)
			err = ret;
	}

	now = evbpf__now_ns();
	loop->budget_left = drain || !max_records ? SIZE_MAX : max_records;
	loop->budget_end_ns = drain || !max_usec ? 0 : now + (__u64)max_usec * 1000;
	for (c = loop->consumers; c; c = next) {
		next = c->next;
		if (c->doomed)
			continue;
		if (err)
			break;
		/* the budget binds once something was delivered: every
		 * dispatch makes progress */
		if (served && loop_spent(loop)) {
			/* the rest waits for the next dispatch, which starts here */
			loop_rotate(loop, c);
			need_kick = true;
			break;
		}
		ret = c->ops->service(c, now, drain);
		/* draining: a callback that stopped early is offered the rest
		 * again, as long as it keeps taking some */
		while (drain && ret > 0 && c->pending && !c->doomed) {
			total += ret;
			ret = c->ops->service(c, now, drain);
		}
		if (ret < 0) {
			err = ret;
			continue;
		}
		total += ret;
		served |= ret > 0;
		loop_charge(loop, ret);
	}
	/* a callback may have queued work on a consumer serviced before it */
	for (c = loop->consumers; c; c = c->next) {
		if (c->doomed)
			continue;
		if (c->pending)
			need_kick = true;
		if (c->deadline_ns && (!min_deadline || c->deadline_ns < min_deadline))
			min_deadline = c->deadline_ns;
	}
	loop->dispatching = false;
	loop_reap(loop);
	if (loop->free_deferred) {
		/* freed from a callback: deliver what is left, then free */
		if (!drain)
			loop_process(loop, true, HARVEST_FULL, 0, 0, gone);
		if (!*gone)
			loop_destroy(loop);
		*gone = true;
		return err ? evbpf__err(err) : (int)evbpf__min(total, (long)INT_MAX);
	}

	if (err || loop->kick_deferred)
		need_kick = true;
	loop->kick_deferred = false;
	if (!loop->busy) {
		loop_set_timer(loop, min_deadline);
		if (need_kick)
			loop->be->kick(loop);
	}
	if (err)
		return evbpf__err(err);
	return (int)evbpf__min(total, (long)INT_MAX);
}

int evbpf_loop_dispatch(struct evbpf_loop *loop)
{
	bool gone = false;

	if (!loop)
		return evbpf__err(-EINVAL);
	return loop_process(loop, false, HARVEST_FULL, loop->budget_records,
			    loop->budget_usec, &gone);
}

int evbpf_loop_dispatch_budget(struct evbpf_loop *loop, __u32 max_records,
			       __u32 max_usec)
{
	bool gone = false;

	if (!loop)
		return evbpf__err(-EINVAL);
	return loop_process(loop, false, HARVEST_FULL, max_records, max_usec, &gone);
}

int evbpf_loop_drain(struct evbpf_loop *loop)
{
	bool gone = false;

	if (!loop)
		return evbpf__err(-EINVAL);
	return loop_process(loop, true, HARVEST_FULL, 0, 0, &gone);
}

/* Busy polling: longest back-off of an empty round, in pause instructions. */
#define BUSY_BACKOFF_MAX 128

static inline void busy_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

int evbpf_loop_run(struct evbpf_loop *loop, int timeout_ms)
{
	enum harvest_mode mode = HARVEST_LIGHT;
	unsigned backoff = 0, spin;
	__u64 end = 0, now;
	int n, wait_ms, next;
	bool gone = false;

	if (!loop)
		return evbpf__err(-EINVAL);
	if (timeout_ms < -1) {
		pr_warn("loop: run timeout %d ms out of range (-1: forever)", timeout_ms);
		return evbpf__err(-EINVAL);
	}
	if (timeout_ms > 0)
		end = evbpf__now_ns() + (__u64)timeout_ms * 1000000ull;

	for (;;) {
		n = loop_process(loop, false, mode, loop->budget_records,
				 loop->budget_usec, &gone);
		mode = HARVEST_LIGHT;
		if (n != 0 || gone)
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
		 * the next round's full harvest without waiting. An empty round
		 * backs off (pause, doubling up to BUSY_BACKOFF_MAX) before
		 * looking again: every look reads the producer position, a line
		 * the producer writes on every record. */
		if (loop->busy) {
			for (spin = 0; spin < backoff; spin++)
				busy_relax();
			if (backoff < BUSY_BACKOFF_MAX)
				backoff = backoff ? backoff * 2 : 1;
			continue;
		}
		if (loop->kicked) {
			mode = HARVEST_FULL;
			continue;
		}
		/* without a timer, deadlines bound the wait instead */
		if (loop->timer_failed) {
			next = evbpf_loop_timeout(loop);
			if (next >= 0 && (wait_ms < 0 || next < wait_ms))
				wait_ms = next ? next : 1;
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
		for (c = loop->consumers; c; c = c->next) {
			if (c->ops->unhold)
				c->ops->unhold(c);
		}
		/* let the next dispatch re-check everything and re-arm timers */
		evbpf__loop_kick(loop);
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
