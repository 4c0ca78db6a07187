/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Asynchronous map operations on an evbpf loop.
 *
 * A submit call only queues the operation and returns at once; the loop fd
 * becomes readable, and the next evbpf_loop_dispatch() executes what is
 * queued and reports each operation to the queue's callback with its result
 * in `res` (0 or -errno; errno is never used for completions). Every queued
 * operation completes exactly once: with its result, or with -ECANCELED when
 * it was cancelled or its queue freed before it ran. An operation completes
 * with 0 only if the kernel applied it.
 *
 * Execution, in submit order: consecutive updates (or deletes) of one map
 * with the same flags run together, as one BPF_MAP_UPDATE_BATCH
 * (BPF_MAP_DELETE_BATCH) command where the kernel accepts the batch, else
 * element by element; every element still gets its own result. Where the
 * kernel and the map type allow it, long runs of updates and deletes of a
 * hash, LRU hash or array map are applied instead by a small BPF program the
 * queue loads for that map, fed through a user ring buffer: one system call
 * per run, at the cost of a batch command, and BPF_NOEXIST/BPF_EXIST runs
 * too, which batch commands refuse. It is never used with BPF_F_LOCK, nor
 * where the commands may not write (a frozen map, a read-only fd). The first
 * such run of a queue creates a user ring buffer and a result array (two
 * fds), the first of each map loads its program (one fd, milliseconds of
 * verification); EVBPF_MAPQ_NO_PROG turns the path off. Lookups are one
 * command each.
 * Array maps created with BPF_F_MMAPABLE are read and written through a
 * mapping, with plain loads and stores and no system call.
 *
 * Buffers: by default nothing is copied. @key and @value of a submit stay
 * the caller's and must stay valid (and, for updates, unchanged) until the
 * completion is reported; keys and values that lie back to back in memory
 * are handed to the kernel where they are. With EVBPF_MAPQ_COPY the queue
 * copies keys and update values at submission, so the caller may reuse them
 * at once (a lookup's output buffer always stays the caller's).
 *
 * A map fd is inspected once per queue, and the queue keeps what it learnt
 * (sizes, a mapping, a program bound to that map): keep the fd open while
 * the queue lives, or call evbpf_mapq_forget_map() before closing it.
 * Otherwise operations on a new map that happens to get the same fd number
 * would be applied to the first one.
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
	const void *key;	/* EVBPF_MAPQ_COPY: the queue's copy */
	void *value;		/* lookup: filled when res == 0 */
	__u64 flags;
	void *cookie;		/* the submitter's */
	int res;		/* 0 or -errno; batch: the first element's error */
	/* batch submissions (evbpf_mapq_update_batch/delete_batch): elements,
	 * elements applied, and the caller's per-element results (or NULL);
	 * single operations: 1, 1 or 0, NULL */
	__u32 count;
	__u32 applied;
	int *results;
};

/* Called from evbpf_loop_dispatch() once per operation, in submit order. */
typedef void (*evbpf_mapop_fn)(void *ctx, const struct evbpf_mapop_done *done);

enum evbpf_mapq_flags {
	/* copy keys and update values at submission (default: zero-copy) */
	EVBPF_MAPQ_COPY = 1 << 0,
	/* never apply operations through a BPF program: batch commands and
	 * single commands only */
	EVBPF_MAPQ_NO_PROG = 1 << 1,
};

struct evbpf_mapq_opts {
	size_t sz;		/* sizeof(struct evbpf_mapq_opts) */
	/* most elements per batch command; 0: 1024; at most 1 << 20 */
	__u32 batch_max;
	__u32 flags;		/* enum evbpf_mapq_flags */
	/* operations the queue holds without growing; 0: 64. Submitting more
	 * grows it (doubling) */
	__u32 queue_size;
	__u32 __reserved;	/* must be zero: named, so that a zeroed or
				 * designated initializer leaves no padding */
};

/**
 * @brief Creates an operation queue on @p loop whose completions go to
 * @p fn.
 * @return the queue (evbpf_mapq_free() or evbpf_loop_free() frees it) or
 * NULL with errno set (EINVAL: NULL loop or fn, unknown flags, batch_max
 * out of range).
 */
LIBBPF_API struct evbpf_mapq *evbpf_mapq_new(struct evbpf_loop *loop,
					     evbpf_mapop_fn fn, void *ctx,
					     const struct evbpf_mapq_opts *opts);

/**
 * @brief Frees the queue. Operations still queued complete first, from
 * inside this call, with -ECANCELED; no completion is reported after it
 * returns. Accepts NULL. May be called from any callback of the queue's
 * loop, its own completions included: the operations of the run being
 * reported then complete inside this call with their results (they ran),
 * the queued ones with -ECANCELED, and the memory is released when the
 * dispatch ends. Called again from a completion this call reports, it does
 * nothing.
 * @return 0.
 */
LIBBPF_API int evbpf_mapq_free(struct evbpf_mapq *q);

/**
 * @brief Queues a lookup of @p key; the value lands in @p value (the map's
 * value size; per-CPU maps: one 8-byte aligned slot per possible CPU).
 * @return 0 (queued) or a negative errno (nothing queued).
 */
LIBBPF_API int evbpf_mapq_lookup(struct evbpf_mapq *q, int map_fd,
				 const void *key, void *value, void *cookie);

/** @brief Queues an update of @p key to @p value with BPF_ANY, BPF_NOEXIST
 * or BPF_EXIST in @p flags, optionally with BPF_F_LOCK.
 * @return 0 or a negative errno. */
LIBBPF_API int evbpf_mapq_update(struct evbpf_mapq *q, int map_fd,
				 const void *key, const void *value,
				 __u64 flags, void *cookie);

/** @brief Queues a delete of @p key.
 * @return 0 or a negative errno. */
LIBBPF_API int evbpf_mapq_delete(struct evbpf_mapq *q, int map_fd,
				 const void *key, void *cookie);

/**
 * @brief Queues @p count updates as one operation: @p keys holds @p count
 * keys back to back (key size each), @p values as many values (value size
 * each; per-CPU maps: 8-byte aligned slots for every possible CPU). One
 * completion reports the whole batch: `applied` elements succeeded, `res`
 * is 0 or the first failing element's error, and @p results (NULL: not
 * wanted) receives every element's own result. Buffers stay the caller's
 * until the completion, whatever the queue's flags.
 * @return 0 or a negative errno (@p count 0 or above 1 << 24: -EINVAL).
 */
LIBBPF_API int evbpf_mapq_update_batch(struct evbpf_mapq *q, int map_fd,
				       const void *keys, const void *values,
				       __u32 count, __u64 flags, int *results,
				       void *cookie);

/** @brief Queues @p count deletes as one operation; see
 * evbpf_mapq_update_batch() for buffers and results.
 * @return 0 or a negative errno. */
LIBBPF_API int evbpf_mapq_delete_batch(struct evbpf_mapq *q, int map_fd,
				       const void *keys, __u32 count,
				       int *results, void *cookie);

/**
 * @brief Cancels the queued operations submitted with @p cookie that have
 * not run yet: each completes once, with -ECANCELED, in the next dispatch
 * (in its place in submit order). Operations already executed keep their
 * result. May be called from a completion callback.
 * @return how many operations were cancelled (0: none matched), or -EINVAL.
 */
LIBBPF_API int evbpf_mapq_cancel(struct evbpf_mapq *q, void *cookie);

/** @brief Drops what the queue keeps about @p map_fd (call it before closing
 * a map fd the queue has used); operations queued on it later inspect the
 * fd again.
 * @return 0 or -EINVAL. */
LIBBPF_API int evbpf_mapq_forget_map(struct evbpf_mapq *q, int map_fd);

/** @brief Operations queued and not yet completed. */
LIBBPF_API size_t evbpf_mapq_pending(const struct evbpf_mapq *q);

/** @brief This queue's counters in the loop's terms: records = completions,
 * batches = batch commands and program runs, syscalls = system calls made. */
LIBBPF_API int evbpf_mapq_stats(const struct evbpf_mapq *q, struct evbpf_stats *stats);

/* A queue's own counters, all since evbpf_mapq_new(). */
struct evbpf_mapq_info {
	size_t sz;		/* set by the caller: sizeof(struct evbpf_mapq_info) */
	__u64 submitted;	/* operations accepted by a submit call */
	__u64 completed;	/* completions reported (any result) */
	__u64 failed;		/* ... with a result other than 0 and -ECANCELED */
	__u64 cancelled;	/* ... with -ECANCELED */
	__u64 pending;		/* queued now */
	__u64 pending_max;	/* the most ever queued at once */
	__u64 elements;		/* map elements executed (a batch counts each) */
	__u64 batch_cmds;	/* BPF_MAP_*_BATCH commands */
	__u64 single_cmds;	/* one-element map commands */
	__u64 prog_runs;	/* runs of a queue's BPF program */
	__u64 prog_elements;	/* elements applied through those runs */
	__u64 mmap_ops;		/* lookups and updates served by a mapping */
	__u64 copied_bytes;	/* keys and values copied at submission */
};

/** @brief Fills @p info (up to info->sz bytes) with the queue's counters.
 * @return 0 or -EINVAL. */
LIBBPF_API int evbpf_mapq_info(const struct evbpf_mapq *q, struct evbpf_mapq_info *info);

#ifdef __cplusplus
}
#endif

#endif /* EVBPF_MAPOPS_H */
