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
LIBBPF_API struct evbpf_event *evbpf_event_new(struct event_base *base,
					       struct evbpf_loop *loop,
					       evbpf_event_error_fn err_fn,
					       void *ctx);

/** @brief Removes the event from its base and frees the adapter; accepts
 * NULL. Does not drain or free the loop. */
LIBBPF_API void evbpf_event_free(struct evbpf_event *ev);

#ifdef __cplusplus
}
#endif

#endif /* EVBPF_EVBPF_EVENT_H */
