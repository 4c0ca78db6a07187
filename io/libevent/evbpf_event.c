// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libevent adapter: one persistent EV_READ event on the evbpf loop fd whose
 * callback runs a dispatch (bounded by the adapter's budget when it has
 * one). The loop fd stays readable while a dispatch left work, which suits
 * libevent's level-triggered backends; timers fire through the same fd.
 *
 * The adapter is its own library and uses evbpf's public API only, so
 * errors go to the user's callback, not to evbpf's log.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <event2/event.h>

#include "evbpf/evbpf_event.h"

struct evbpf_event {
	struct event *ev;
	struct evbpf_loop *loop;
	evbpf_event_error_fn err_fn;
	void *ctx;
	__u32 budget_records;
	__u32 budget_usec;
};

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct evbpf_event *e = arg;
	int ret;

	if (e->budget_records || e->budget_usec)
		ret = evbpf_loop_dispatch_budget(e->loop, e->budget_records,
						 e->budget_usec);
	else
		ret = evbpf_loop_dispatch(e->loop);
	if (ret < 0 && e->err_fn)
		e->err_fn(e->loop, ret, e->ctx);
}

static struct evbpf_event *fail(struct evbpf_event *e, int err)
{
	evbpf_event_free(e);
	errno = err;
	return NULL;
}

/* The caller's opts: a size we know, or a bigger one with zeros past it. */
static int opts_check(const struct evbpf_event_opts *opts)
{
	size_t known = offsetof(struct evbpf_event_opts, budget_usec) +
		       sizeof(opts->budget_usec), i;

	if (!opts)
		return 0;
	if (opts->sz < sizeof(opts->sz))
		return -EINVAL;
	for (i = known; i < opts->sz; i++) {
		if (((const char *)opts)[i])
			return -EINVAL;
	}
	return 0;
}

#define EV_OPT(opts, field) \
	((opts) && (opts)->sz >= offsetof(struct evbpf_event_opts, field) + \
	 sizeof((opts)->field) ? (opts)->field : 0)

struct evbpf_event *evbpf_event_new_opts(struct event_base *base, struct evbpf_loop *loop,
					 evbpf_event_error_fn err_fn, void *ctx,
					 const struct evbpf_event_opts *opts)
{
	struct evbpf_event *e;
	int fd, prio;

	if (!base || !loop || opts_check(opts))
		return fail(NULL, EINVAL);
	fd = evbpf_loop_fd(loop);
	if (fd < 0)
		return fail(NULL, -fd);
	e = calloc(1, sizeof(*e));
	if (!e)
		return fail(NULL, ENOMEM);
	e->loop = loop;
	e->err_fn = err_fn;
	e->ctx = ctx;
	e->budget_records = EV_OPT(opts, budget_records);
	e->budget_usec = EV_OPT(opts, budget_usec);
	e->ev = event_new(base, fd, EV_READ | EV_PERSIST, on_readable, e);
	if (!e->ev)
		return fail(e, ENOMEM);
	prio = EV_OPT(opts, priority);
	if (prio > 0 && event_priority_set(e->ev, prio - 1))
		return fail(e, EINVAL);
	if (event_add(e->ev, NULL))
		return fail(e, ENOMEM);
	return e;
}

struct evbpf_event *evbpf_event_new(struct event_base *base, struct evbpf_loop *loop,
				    evbpf_event_error_fn err_fn, void *ctx)
{
	return evbpf_event_new_opts(base, loop, err_fn, ctx, NULL);
}

struct event *evbpf_event_get(const struct evbpf_event *e)
{
	return e ? e->ev : NULL;
}

void evbpf_event_free(struct evbpf_event *e)
{
	if (!e)
		return;
	if (e->ev)
		event_free(e->ev);
	free(e);
}
