// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libevent adapter: one persistent EV_READ event on the evbpf loop fd whose
 * callback runs evbpf_loop_dispatch(). The loop fd stays readable until a
 * dispatch has taken the work, which suits libevent's level-triggered
 * backends; coalescing timers fire through the same fd.
 */
#include <errno.h>
#include <stdlib.h>
#include <event2/event.h>

#include "base/base_internal.h"	/* header-only helpers: evbpf__err_ptr() */
#include "evbpf/evbpf_event.h"

struct evbpf_event {
	struct event *ev;
	struct evbpf_loop *loop;
	evbpf_event_error_fn err_fn;
	void *ctx;
};

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct evbpf_event *e = arg;
	int ret;

	/* the adapter is its own library: it reaches evbpf only through the
	 * public API, so errors go to the user's callback, not to the log */
	ret = evbpf_loop_dispatch(e->loop);
	if (ret < 0 && e->err_fn)
		e->err_fn(e->loop, ret, e->ctx);
}

struct evbpf_event *evbpf_event_new(struct event_base *base, struct evbpf_loop *loop,
				    evbpf_event_error_fn err_fn, void *ctx)
{
	struct evbpf_event *e;

	if (!base || !loop)
		return evbpf__err_ptr(-EINVAL);
	e = calloc(1, sizeof(*e));
	if (!e)
		return evbpf__err_ptr(-ENOMEM);
	e->loop = loop;
	e->err_fn = err_fn;
	e->ctx = ctx;
	e->ev = event_new(base, evbpf_loop_fd(loop), EV_READ | EV_PERSIST,
			  on_readable, e);
	if (!e->ev || event_add(e->ev, NULL)) {
		evbpf_event_free(e);
		return evbpf__err_ptr(-ENOMEM);
	}
	return e;
}

void evbpf_event_free(struct evbpf_event *e)
{
	if (!e)
		return;
	if (e->ev)
		event_free(e->ev);
	free(e);
}
