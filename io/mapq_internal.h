/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private declarations of the map operation queue (mapops.c) and of its
 * program path (mapq_prog.c): runs of updates and deletes applied by a BPF
 * program that drains a user ring buffer.
 */
#ifndef EVBPF_MAPQ_INTERNAL_H
#define EVBPF_MAPQ_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "evbpf/mapops.h"

/* The elements of one run: keys (and values) at @keys/@vals, @kstride and
 * @vstride bytes apart, or, when @ptrs is set, at ptrs[i].key/.value of the
 * submitted operations (@pstride bytes between two of them). */
struct evbpf__mapq_elems {
	const __u8 *keys, *vals;
	const __u8 *ptrs;
	size_t pstride;
	size_t n;
};

static inline const void *evbpf__mapq_key(const struct evbpf__mapq_elems *e, size_t i,
					  size_t ksz)
{
	if (e->ptrs)
		return ((const struct evbpf_mapop_done *)(e->ptrs + i * e->pstride))->key;
	return e->keys + i * ksz;
}

static inline const void *evbpf__mapq_val(const struct evbpf__mapq_elems *e, size_t i,
					  size_t vsz)
{
	if (e->ptrs)
		return ((const struct evbpf_mapop_done *)(e->ptrs + i * e->pstride))->value;
	return e->vals + i * vsz;
}

/* The queue's user ring buffer and result slots, shared by the programs of
 * every map it applies operations to. */
struct evbpf__mapq_ring {
	int ring_fd;		/* BPF_MAP_TYPE_USER_RINGBUF */
	int res_fd;		/* mmapable ARRAY, one value: an __s32 per slot */
	struct user_ring_buffer *rb;
	__u8 *res;		/* the result slots, 4 bytes apart */
	size_t res_size;
	__u32 slots;		/* elements per program run, at most */
	__u32 ring_bytes;
	bool failed;		/* setup failed or a run went wrong: never again */
};

/* Largest key + value (each rounded up to 8 bytes) a program can apply: its
 * stack holds both. */
#define EVBPF__MAPQ_PROG_MAX_KV	448

/* Creates the ring and result slots for runs of up to @slots elements of up
 * to @max_kv key + value bytes. Returns 0 or -errno (logged at debug level:
 * the queue then uses map commands). */
int evbpf__mapq_ring_init(struct evbpf__mapq_ring *r, __u32 slots, __u32 max_kv);
void evbpf__mapq_ring_fini(struct evbpf__mapq_ring *r);

/* Loads the program that applies updates and deletes of @map_fd (keys of
 * @ksz, values of @vsz bytes) drained from @r. Returns the program fd or
 * -errno. */
int evbpf__mapq_prog_load(struct evbpf__mapq_ring *r, int map_fd, __u32 ksz, __u32 vsz);

/*
 * Applies elements of @e in order with one run of @prog_fd: updates with
 * @flags or deletes, per @kind. Element i's result goes to res[i]. Returns
 * how many leading elements were applied and have their result (possibly
 * fewer than e->n: the rest must take another path), or -errno when the run
 * failed before any element; afterwards r->failed tells whether the path
 * may be used again.
 */
long evbpf__mapq_prog_run(struct evbpf__mapq_ring *r, int prog_fd,
			  enum evbpf_mapop_kind kind, __u64 flags,
			  const struct evbpf__mapq_elems *e, __u32 ksz, __u32 vsz,
			  int *res);

#endif /* EVBPF_MAPQ_INTERNAL_H */
