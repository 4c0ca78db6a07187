/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libevent adapter (library libevbpf-event): drives an evbpf loop from a
 * libevent event_base. The loop's one fd is registered as a persistent read
 * event; when it fires the adapter calls evbpf_loop_dispatch(), so records
 * are delivered from inside event_base_dispatch()/event_base_loop().
 *
 * Threads: the adapter, its loop and the event_base must be used from one
 * thread (the event_base's).
 */
#ifndef EVBPF_EVBPF_EVENT_H
#define EVBPF_EVBPF_EVENT_H

#include "evbpf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct event_base;
struct evbpf_event;

/* Called when a dispatch fails: @err is the negative errno (a callback's
 * negative return, or a backend error). */
typedef void (*evbpf_event_error_fn)(struct evbpf_loop *loop, int err, void *ctx);

/**
 * @brief Registers @p loop's fd on @p base. @p err_fn may be NULL (dispatch
 * errors are then ignored; the records stay in the rings).
 * @return the adapter (free with evbpf_event_free() before freeing @p loop or
 * @p base, which stay the caller's), or NULL with errno set.
 */
EVBPF_API struct evbpf_event *evbpf_event_new(struct event_base *base,
					       struct evbpf_loop *loop,
					       evbpf_event_error_fn err_fn,
					       void *ctx);

struct evbpf_event_opts {
	size_t sz;		/* sizeof(struct evbpf_event_opts) */
	/* libevent priority of the event: 0 keeps the base's default (the
	 * middle one); n > 0 sets priority n - 1 (event_priority_set()), so a
	 * server can put its own events before or after the records */
	int priority;
	/* each dispatch delivers at most this many records / runs about this
	 * many microseconds (evbpf_loop_dispatch_budget()); 0: no limit. What
	 * is left fires the event again on the next round of the base. */
	__u32 budget_records;
	__u32 budget_usec;
	__u32 __reserved;	/* must be zero: named, so that a zeroed or
				 * designated initializer leaves no padding */
};

/**
 * @brief evbpf_event_new() with options (NULL: as evbpf_event_new()).
 * @return the adapter or NULL with errno set (EINVAL: bad options or a
 * priority the base does not have).
 */
EVBPF_API struct evbpf_event *evbpf_event_new_opts(struct event_base *base,
						    struct evbpf_loop *loop,
						    evbpf_event_error_fn err_fn,
						    void *ctx,
						    const struct evbpf_event_opts *opts);

/** @brief The adapter's libevent event (owned by the adapter), e.g. for
 * event_priority_set() or inspection; NULL for NULL. */
EVBPF_API struct event *evbpf_event_get(const struct evbpf_event *ev);

/** @brief Removes the event from its base and frees the adapter; accepts
 * NULL. Does not drain or free the loop. */
EVBPF_API void evbpf_event_free(struct evbpf_event *ev);

#ifdef __cplusplus
}
#endif

#endif /* EVBPF_EVBPF_EVENT_H */
