/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* evbpf's own consumers (the loop API of <evbpf/evbpf.h>) under the bench. */
#ifndef EVBPF_BENCH_LOOP_H
#define EVBPF_BENCH_LOOP_H

#include "bench_core.h"

enum bench_loop_kind {
	BENCH_L_URING,		/* evbpf_loop_run() on io_uring */
	BENCH_L_EPOLL,		/* evbpf_loop_run() on epoll */
	BENCH_L_BUSY,		/* busy-poll mode */
	BENCH_L_COALESCE,	/* io_uring with consumer-side coalescing */
	BENCH_L_LIBEVENT,	/* loop fd inside a libevent event_base */
	BENCH_L_DRAIN,		/* prefill, then evbpf_ring_consume() (standalone) */
	BENCH_L_PRODUCER,	/* prefill; reports the producer's own rate */
	BENCH_L_PERF_TUNED,	/* io_uring, perf wakeup_events = pb_wakeup */
	BENCH_L_OUTER_EPOLL,	/* loop fd in the application's own epoll set */
	BENCH_L_OUTER_URING,	/* loop fd polled by the application's io_uring */
};

/* For the rows that wait on the loop fd (LIBEVENT, OUTER_*): the backend
 * the loop is created with, or'ed into the kind (none: AUTO). */
#define BENCH_L_ON_URING	(1 << 8)
#define BENCH_L_ON_EPOLL	(2 << 8)

/* One run of @kind on the producers at @obj_path; fills @res. Perf buffers
 * when p->buffer is BENCH_BUF_PB. */
int bench_loop_run(const char *obj_path, const struct bench_params *p,
		   enum bench_loop_kind kind, struct bench_result *res);

#endif /* EVBPF_BENCH_LOOP_H */
