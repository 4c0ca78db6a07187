/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Asynchronous map operations on an evbpf loop.
 *
 * A submit call only queues the operation and returns at once; the loop fd
 * becomes readable, and the next evbpf_loop_dispatch() executes what is
 * queued and reports each operation to the queue's callback with its result
 * in `res` (0 or -errno; errno is never used for completions). Execution
 * coalesces: consecutive updates (or deletes) of one map with the same flags
 * become one BPF_MAP_UPDATE_BATCH (BPF_MAP_DELETE_BATCH) command; lookups
 * are one command each. Array maps created with BPF_F_MMAPABLE are read and
 * written through a mapping, with plain loads and stores and no system call.
 *
 * Buffers: @key and @value of a submit stay the caller's and must stay valid
 * (and, for updates, unchanged) until the completion is reported. A map fd
 * is inspected once per queue: keep it open while the queue lives.
 *
 * Threads: a queue belongs to its loop's thread.
 */
#ifndef EVBPF_MAPOPS_H
#define EVBPF_MAPOPS_H

#include "evbpf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct evbpf_mapq;

enum evbpf_mapop_kind {
	EVBPF_MAPOP_LOOKUP = 1,
	EVBPF_MAPOP_UPDATE = 2,
	EVBPF_MAPOP_DELETE = 3,
};

/* One completed operation, as submitted, plus its result. */
struct evbpf_mapop_done {
	enum evbpf_mapop_kind kind;
	int map_fd;
	const void *key;
	void *value;		/* lookup: filled when res == 0 */
	__u64 flags;
	void *cookie;		/* the submitter's */
	int res;		/* 0 or -errno */
};

/* Called from evbpf_loop_dispatch() once per operation, in submit order. */
typedef void (*evbpf_mapop_fn)(void *ctx, const struct evbpf_mapop_done *done);

struct evbpf_mapq_opts {
	size_t sz;		/* sizeof(struct evbpf_mapq_opts) */
	/* most elements per batch command; 0: 1024 */
	__u32 batch_max;
	size_t :0;
};

/**
 * @brief Creates an operation queue on @p loop whose completions go to
 * @p fn.
 * @return the queue (evbpf_mapq_free() or evbpf_loop_free() frees it) or
 * NULL with errno set.
 */
LIBBPF_API struct evbpf_mapq *evbpf_mapq_new(struct evbpf_loop *loop,
					     evbpf_mapop_fn fn, void *ctx,
					     const struct evbpf_mapq_opts *opts);

/** @brief Frees the queue; operations still queued are dropped without a
 * completion. Accepts NULL. */
LIBBPF_API void evbpf_mapq_free(struct evbpf_mapq *q);

/**
 * @brief Queues a lookup of @p key; the value lands in @p value (the map's
 * value size; per-CPU maps: one 8-byte aligned slot per possible CPU).
 * @return 0 (queued) or a negative errno (nothing queued).
 */
LIBBPF_API int evbpf_mapq_lookup(struct evbpf_mapq *q, int map_fd,
				 const void *key, void *value, void *cookie);

/** @brief Queues an update of @p key to @p value with BPF_ANY, BPF_NOEXIST
 * or BPF_EXIST in @p flags.
 * @return 0 or a negative errno. */
LIBBPF_API int evbpf_mapq_update(struct evbpf_mapq *q, int map_fd,
				 const void *key, const void *value,
				 __u64 flags, void *cookie);

/** @brief Queues a delete of @p key.
 * @return 0 or a negative errno. */
LIBBPF_API int evbpf_mapq_delete(struct evbpf_mapq *q, int map_fd,
				 const void *key, void *cookie);

/** @brief Operations queued and not yet completed. */
LIBBPF_API size_t evbpf_mapq_pending(const struct evbpf_mapq *q);

/** @brief This queue's counters: records = completions, batches = batch
 * commands, syscalls = map commands issued. */
LIBBPF_API int evbpf_mapq_stats(const struct evbpf_mapq *q, struct evbpf_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* EVBPF_MAPOPS_H */
