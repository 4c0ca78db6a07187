/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Part of <bpf/libbpf.h>: the libbpf 1.x consumers of BPF ring buffers
 * (BPF_MAP_TYPE_RINGBUF), user ring buffers (BPF_MAP_TYPE_USER_RINGBUF) and
 * perf buffers (BPF_MAP_TYPE_PERF_EVENT_ARRAY).
 *
 * evbpf implements these on the same readers as its event loop
 * (<evbpf/evbpf.h>); the calls behave as libbpf's: a negative callback return
 * stops consumption and is returned, counts are capped at INT_MAX, and an
 * interrupted wait returns -EINTR.
 *
 * Threads: an object of this file may be used from one thread at a time; it
 * may move between threads when no call on it is in progress.
 */
#ifndef __LIBBPF_LIBBPF_BUFFERS_H
#define __LIBBPF_LIBBPF_BUFFERS_H

#include "libbpf_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- BPF ring buffer consumer ---- */

struct ring_buffer;
struct ring;
struct user_ring_buffer;

/* Called once per record; @data points into the mmapped ring and is valid
 * until the callback returns. A negative return stops consumption (the record
 * counts as consumed) and is returned by the poll/consume call. */
typedef int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size);

struct ring_buffer_opts {
	size_t sz; /* size of this struct, for forward/backward compatibility */
};
#define ring_buffer_opts__last_field sz

/**
 * @brief Creates a ring buffer manager consuming the ring buffer map @p map_fd
 * with @p sample_cb.
 * @return the manager (caller frees with ring_buffer__free()), or NULL with
 * errno set. @p map_fd stays owned by the caller.
 */
LIBBPF_API struct ring_buffer *
ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb, void *ctx,
		 const struct ring_buffer_opts *opts);
/** @brief Unmaps every ring and frees @p rb; accepts NULL. */
LIBBPF_API void ring_buffer__free(struct ring_buffer *rb);
/**
 * @brief Adds another ring buffer map to @p rb, consumed with its own
 * callback and context.
 * @return 0 or a negative errno (errno set).
 */
LIBBPF_API int ring_buffer__add(struct ring_buffer *rb, int map_fd,
				ring_buffer_sample_fn sample_cb, void *ctx);
/**
 * @brief Waits up to @p timeout_ms (-1: forever) for data on any ring, then
 * consumes the rings that have data.
 * @return the number of records consumed (at most INT_MAX), or a negative
 * errno: -EINTR when the wait was interrupted, or a callback's negative return.
 */
LIBBPF_API int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms);
/**
 * @brief Consumes every available record of every ring without waiting.
 * @return records consumed (at most INT_MAX) or a negative errno.
 */
LIBBPF_API int ring_buffer__consume(struct ring_buffer *rb);
/**
 * @brief Like ring_buffer__consume() but stops after @p n records.
 * @return records consumed (at most min(n, INT_MAX)) or a negative errno.
 */
LIBBPF_API int ring_buffer__consume_n(struct ring_buffer *rb, size_t n);
/** @brief The epoll fd that becomes readable when any ring has data; owned by
 * @p rb. */
LIBBPF_API int ring_buffer__epoll_fd(const struct ring_buffer *rb);
/**
 * @brief The @p idx-th ring added to @p rb (0 is the one of
 * ring_buffer__new()).
 * @return the ring (owned by @p rb), or NULL with errno = ENOENT.
 */
LIBBPF_API struct ring *ring_buffer__ring(struct ring_buffer *rb,
					  unsigned int idx);

/** @brief The ring's consumer position (bytes consumed since creation). */
LIBBPF_API unsigned long ring__consumer_pos(const struct ring *r);
/** @brief The ring's producer position (bytes committed or reserved). */
LIBBPF_API unsigned long ring__producer_pos(const struct ring *r);
/** @brief Bytes between the consumer and producer positions. */
LIBBPF_API size_t ring__avail_data_size(const struct ring *r);
/** @brief Size of the ring's data area in bytes. */
LIBBPF_API size_t ring__size(const struct ring *r);
/** @brief The map fd the ring was created from (owned by the caller). */
LIBBPF_API int ring__map_fd(const struct ring *r);
/** @brief Consumes every available record of this ring only.
 * @return records consumed (at most INT_MAX) or a negative errno. */
LIBBPF_API int ring__consume(struct ring *r);
/** @brief Consumes at most @p n records of this ring.
 * @return records consumed (at most min(n, INT_MAX)) or a negative errno. */
LIBBPF_API int ring__consume_n(struct ring *r, size_t n);

/* ---- user ring buffer producer ---- */

struct user_ring_buffer_opts {
	size_t sz; /* size of this struct, for forward/backward compatibility */
};
#define user_ring_buffer_opts__last_field sz

/**
 * @brief Maps the BPF_MAP_TYPE_USER_RINGBUF map @p map_fd for producing.
 * @return the producer (free with user_ring_buffer__free()), or NULL with
 * errno set.
 */
LIBBPF_API struct user_ring_buffer *
user_ring_buffer__new(int map_fd, const struct user_ring_buffer_opts *opts);
/**
 * @brief Reserves @p size bytes in the ring. Not thread-safe: serialise
 * producers.
 * @return an 8-byte aligned pointer into the ring, to be passed to
 * user_ring_buffer__submit() or __discard(); NULL with errno E2BIG (never
 * fits) or ENOSPC (no room now).
 */
LIBBPF_API void *user_ring_buffer__reserve(struct user_ring_buffer *rb, __u32 size);
/**
 * @brief Like user_ring_buffer__reserve() but waits up to @p timeout_ms
 * (-1: forever, 0: no wait) for the kernel to free room.
 * @return the sample, or NULL with errno E2BIG, ENOSPC (timed out), EINVAL
 * (@p timeout_ms < -1) or the wait's error.
 */
LIBBPF_API void *user_ring_buffer__reserve_blocking(struct user_ring_buffer *rb,
						    __u32 size,
						    int timeout_ms);
/** @brief Publishes a reserved sample to the kernel. */
LIBBPF_API void user_ring_buffer__submit(struct user_ring_buffer *rb, void *sample);
/** @brief Releases a reserved sample without handing it to the kernel. */
LIBBPF_API void user_ring_buffer__discard(struct user_ring_buffer *rb, void *sample);
/** @brief Unmaps and frees @p rb; accepts NULL. The map fd stays open. */
LIBBPF_API void user_ring_buffer__free(struct user_ring_buffer *rb);

/* ---- perf buffer consumer ---- */

struct perf_buffer;

/* Called once per sample; @data is valid until the callback returns. */
typedef void (*perf_buffer_sample_fn)(void *ctx, int cpu,
				      void *data, __u32 size);
/* Called when the kernel reports @cnt samples lost on @cpu. */
typedef void (*perf_buffer_lost_fn)(void *ctx, int cpu, __u64 cnt);

struct perf_buffer_opts {
	size_t sz;
	/* wake the consumer every this many samples (0: 1, as libbpf) */
	__u32 sample_period;
	size_t :0;
};
#define perf_buffer_opts__last_field sample_period

/**
 * @brief Opens one perf ring of @p page_cnt pages (a power of two) per
 * online CPU and stores each ring's fd in the BPF_MAP_TYPE_PERF_EVENT_ARRAY
 * @p map_fd at the CPU's index. Possible but offline CPUs are skipped.
 * @return the manager (free with perf_buffer__free()), or NULL with errno set.
 */
LIBBPF_API struct perf_buffer *
perf_buffer__new(int map_fd, size_t page_cnt,
		 perf_buffer_sample_fn sample_cb, perf_buffer_lost_fn lost_cb, void *ctx,
		 const struct perf_buffer_opts *opts);

enum bpf_perf_event_ret {
	LIBBPF_PERF_EVENT_DONE	= 0,
	LIBBPF_PERF_EVENT_ERROR	= -1,
	LIBBPF_PERF_EVENT_CONT	= -2,
};

struct perf_event_header;

/* Raw callback: sees every perf record; return LIBBPF_PERF_EVENT_CONT to go
 * on, anything else stops the ring's consumption and is returned. */
typedef enum bpf_perf_event_ret
(*perf_buffer_event_fn)(void *ctx, int cpu, struct perf_event_header *event);

struct perf_buffer_raw_opts {
	size_t sz;
	long :0;
	long :0;
	/* 0: every online CPU (up to the map's max_entries) */
	int cpu_cnt;
	/* with cpu_cnt > 0: the CPUs to open rings on */
	int *cpus;
	/* with cpu_cnt > 0: the map keys to store each ring's fd at */
	int *map_keys;
};
#define perf_buffer_raw_opts__last_field map_keys

struct perf_event_attr;

/**
 * @brief Like perf_buffer__new() with the caller's perf_event_attr and a raw
 * per-record callback.
 * @return the manager or NULL with errno set.
 */
LIBBPF_API struct perf_buffer *
perf_buffer__new_raw(int map_fd, size_t page_cnt, struct perf_event_attr *attr,
		     perf_buffer_event_fn event_cb, void *ctx,
		     const struct perf_buffer_raw_opts *opts);

/** @brief Removes the rings from the map, unmaps, closes and frees; accepts
 * NULL. */
LIBBPF_API void perf_buffer__free(struct perf_buffer *pb);
/** @brief The epoll fd readable when any ring has data; owned by @p pb. */
LIBBPF_API int perf_buffer__epoll_fd(const struct perf_buffer *pb);
/**
 * @brief Waits up to @p timeout_ms for data, then consumes the rings that
 * have data.
 * @return the number of rings that had data (at most INT_MAX), or a negative
 * errno (-EINTR when interrupted).
 */
LIBBPF_API int perf_buffer__poll(struct perf_buffer *pb, int timeout_ms);
/** @brief Consumes every ring without waiting.
 * @return 0 or a negative errno. */
LIBBPF_API int perf_buffer__consume(struct perf_buffer *pb);
/** @brief Consumes the @p buf_idx-th ring only.
 * @return 0, -ENOENT for a bad index, or a negative errno. */
LIBBPF_API int perf_buffer__consume_buffer(struct perf_buffer *pb, size_t buf_idx);
/** @brief Number of rings (one per possible CPU slot). */
LIBBPF_API size_t perf_buffer__buffer_cnt(const struct perf_buffer *pb);
/** @brief The perf event fd of ring @p buf_idx, or -ENOENT when there is no
 * ring there (offline CPU). */
LIBBPF_API int perf_buffer__buffer_fd(const struct perf_buffer *pb, size_t buf_idx);
/**
 * @brief The raw mapping of ring @p buf_idx: a struct perf_event_mmap_page
 * followed by the data pages.
 * @return 0 with *@p buf and *@p buf_size set, or -ENOENT.
 */
LIBBPF_API int perf_buffer__buffer(struct perf_buffer *pb, int buf_idx, void **buf,
				   size_t *buf_size);

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LIBBPF_BUFFERS_H */
