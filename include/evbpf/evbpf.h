/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The evbpf event loop: BPF ring-buffer and perf-buffer consumers driven by
 * io_uring or epoll, reachable through ONE pollable fd.
 *
 *   loop = evbpf_loop_new(NULL);
 *   evbpf_ring_new(loop, map_fd, on_batch, ctx, NULL);
 *   ... add evbpf_loop_fd(loop) to your reactor; when it is readable call
 *   evbpf_loop_dispatch(loop) (never blocks), or call evbpf_loop_run().
 *
 * Records reach a callback as a zero-copy batch: an array of {data, len}
 * pointing into the mmapped ring, valid until the callback returns.
 *
 * Threads: run one loop per thread; different loops are independent. A loop
 * and everything registered on it are used from one thread. An epoll-backed
 * loop (with its consumers) may move to another thread when no call on any
 * of them is in progress; an io_uring-backed loop stays on the thread that
 * created it (the kernel ties its completions to that thread). A single
 * consumer never moves apart from its loop. Standalone readers (loop NULL)
 * may move freely between calls. Signals: an interrupted wait is retried by
 * evbpf_loop_run(); no call returns -EINTR.
 *
 * Errors: integers return >= 0 or -errno with errno set; constructors return
 * NULL with errno set.
 *
 * Backends and the loop fd. The loop fd is readable within microseconds
 * whenever dispatch has work (a committed record, an expired coalescing or
 * hold timer, a queued map operation), in level- and edge-triggered epoll,
 * libevent and an outer io_uring (multishot or one-shot POLL_ADD), and it
 * never makes the caller's own waits fail with EINTR. Only an epoll set
 * keeps that promise on Linux 6.18, measured with a pipe, a multishot
 * POLL_ADD and an outer epoll_wait on the readiness object, 400 wakeups:
 *  - io_uring with DEFER_TASKRUN, registered eventfd: the eventfd is
 *    signalled one RCU grace period late (p50 23.7 ms, p99 58 ms);
 *  - the same ring's own fd polled instead: p50 6 us, but about 1 % of the
 *    wakeups never arrive (the wait times out after 1 s);
 *  - io_uring without DEFER_TASKRUN (plain or COOP_TASKRUN): p50 6 us, but
 *    the completion's task work interrupts the waiting thread: 104-153 of
 *    400 outer epoll_wait calls failed with EINTR;
 *  - SQPOLL: no EINTR, but p99 36 ms (the idle poller thread's wakeup).
 * So EVBPF_BACKEND_AUTO is epoll, and the libevent adapter and any caller
 * of evbpf_loop_fd() get an epoll set: an io_uring loop moves onto one the
 * first time its fd is asked for (evbpf_loop_backend() then says EPOLL).
 * EVBPF_BACKEND_IO_URING serves evbpf_loop_run(), which sleeps inside
 * io_uring_enter() where the deferred completions run; it measured the
 * same throughput and latency as epoll there. Ask for the loop fd before
 * the rings fill up: a ring that already holds records when the loop moves
 * makes the fd readable once. Freeing a loop that used io_uring takes
 * about 25 ms on the thread that created it: it waits until the kernel has
 * freed the ring, which it does only after delivering its clean-up
 * notification; that notification would otherwise fail the thread's next
 * wait with EINTR. Freed on another thread, the loop cannot take it, and
 * the creating thread's next interruptible wait may return EINTR once.
 */
#ifndef EVBPF_EVBPF_H
#define EVBPF_EVBPF_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "evbpf_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct evbpf_loop;
struct evbpf_ring;
struct evbpf_perf;

/* ---- the loop ---- */

enum evbpf_backend {
	EVBPF_BACKEND_AUTO = 0,		/* epoll (see "Backends" above) */
	/* multishot poll per ring fd, for evbpf_loop_run() only: asking for
	 * the loop fd moves the loop onto an epoll set */
	EVBPF_BACKEND_IO_URING = 1,
	EVBPF_BACKEND_EPOLL = 2,	/* an epoll set; the loop fd is the epoll fd */
};

enum evbpf_loop_flags {
	/* io_uring: let a kernel thread poll the submission queue (needs
	 * backend EVBPF_BACKEND_IO_URING) */
	EVBPF_LOOP_SQPOLL = 1U << 0,
	/* start in busy-poll mode (see evbpf_loop_set_busy_poll()) */
	EVBPF_LOOP_BUSY_POLL = 1U << 1,
};

struct evbpf_loop_opts {
	size_t sz;			/* sizeof(struct evbpf_loop_opts) */
	enum evbpf_backend backend;	/* default EVBPF_BACKEND_AUTO */
	__u32 flags;			/* enum evbpf_loop_flags */
	__u32 uring_entries;		/* io_uring queue size, at most 32768; 0: 64 */
	__u32 sqpoll_idle_ms;		/* with EVBPF_LOOP_SQPOLL; 0: kernel default */
	/*
	 * Dispatch budget of evbpf_loop_dispatch() and evbpf_loop_run(): at
	 * most this many records (0: no limit) and about this many
	 * microseconds (0: no limit; checked between batches, so one batch
	 * may overrun it). Work left over keeps the loop fd readable, and the
	 * next dispatch starts with the consumer the last one did not reach.
	 */
	__u32 dispatch_records;
	__u32 dispatch_usec;
	__u32 __reserved;	/* must be zero: named, so that a zeroed or
				 * designated initializer leaves no padding */
};

/**
 * @brief Creates a loop with the backend asked for in @p opts (NULL: AUTO,
 * which is epoll).
 * @return the loop (free with evbpf_loop_free()) or NULL with errno set:
 * EINVAL for unknown flags or backends, uring_entries above 32768 or SQPOLL
 * without IO_URING (one log line each); with IO_URING, the kernel's
 * refusal (e.g. EPERM or ENOSYS).
 */
EVBPF_API struct evbpf_loop *evbpf_loop_new(const struct evbpf_loop_opts *opts);

/**
 * @brief Delivers everything already in the rings (evbpf_loop_drain()), then
 * frees every consumer still registered and the loop; accepts NULL. Called
 * from a callback, the loop is freed when the dispatching call returns.
 */
EVBPF_API void evbpf_loop_free(struct evbpf_loop *loop);

/** @brief The backend in use (never AUTO; -EINVAL for NULL). */
EVBPF_API enum evbpf_backend evbpf_loop_backend(const struct evbpf_loop *loop);

/**
 * @brief The loop's one pollable fd: readable (POLLIN) within microseconds
 * whenever evbpf_loop_dispatch() has work, in level- or edge-triggered
 * reactors; after a dispatch it is readable again if work is left. Owned by
 * the loop; do not close or read it. Always an epoll fd: an io_uring loop
 * moves onto an epoll set on the first call (see "Backends" above).
 * @return the fd, or a negative errno (-EBUSY when that move is asked for
 * from inside a callback).
 */
EVBPF_API int evbpf_loop_fd(const struct evbpf_loop *loop);

/**
 * @brief Processes whatever is ready (records, expired coalescing timers,
 * queued map operations) without ever blocking.
 * @return the number of records and map-operation completions delivered (at
 * most INT_MAX) or a negative errno: a callback's negative return or a
 * backend error.
 */
EVBPF_API int evbpf_loop_dispatch(struct evbpf_loop *loop);

/**
 * @brief evbpf_loop_dispatch() with its own budget: at most @p max_records
 * records and about @p max_usec microseconds (0: no limit for either),
 * instead of the loop's dispatch_records/dispatch_usec. Work left over keeps
 * the loop fd readable.
 * @return as evbpf_loop_dispatch().
 */
EVBPF_API int evbpf_loop_dispatch_budget(struct evbpf_loop *loop, __u32 max_records,
					  __u32 max_usec);

/**
 * @brief Waits up to @p timeout_ms (-1: forever, 0: no wait) for work, then
 * dispatches. Returns as soon as at least one record was delivered or the
 * timeout passed; EINTR is retried. In busy-poll mode spins instead of
 * sleeping. Without a timerfd (EMFILE) its waits are bounded by the next
 * coalescing deadline instead (logged once).
 * @return records delivered (0 on timeout) or a negative errno (-EINVAL for
 * a timeout below -1).
 */
EVBPF_API int evbpf_loop_run(struct evbpf_loop *loop, int timeout_ms);

/**
 * @brief Delivers every record already in every ring, ignoring coalescing
 * and held records, and publishes all consumer positions; a callback that
 * stops early is offered the rest again as long as it takes some. Used on
 * teardown; never blocks.
 * @return records delivered or a negative errno.
 */
EVBPF_API int evbpf_loop_drain(struct evbpf_loop *loop);

/**
 * @brief Busy-poll mode: evbpf_loop_run() spins over the rings instead of
 * sleeping and consumers keep the last record of each batch unpublished, so
 * producers never pay for a wakeup. Lowest latency, one CPU kept busy. The
 * spin backs off (pause) while nothing arrives. A look takes the records up
 * to the producer position it found; when records come in fast (two or
 * more per look, 320 k/s or more), the ring (of 64 KiB or more) is left
 * alone for up to 50 us, less if an eighth of it would fill at the rate
 * seen, so the reader does not take the producer's cache lines on every
 * spin. A slow producer's records are taken as soon as the spin sees them.
 * Turning it off publishes every held position.
 * @return 0 or a negative errno.
 */
EVBPF_API int evbpf_loop_set_busy_poll(struct evbpf_loop *loop, bool on);

/**
 * @brief Milliseconds until the next coalescing or hold timer expires (0:
 * work is ready now), -1 when none is armed; for callers that run their own
 * wait. (The loop fd also becomes readable when a timer expires.)
 */
EVBPF_API int evbpf_loop_timeout(const struct evbpf_loop *loop);

/* Counters; every field is cumulative since creation. */
struct evbpf_stats {
	__u64 records;	/* records handed to callbacks (discarded ones not counted) */
	__u64 bytes;	/* payload bytes of those records */
	__u64 batches;	/* callback invocations */
	__u64 wakeups;	/* readiness notifications received (CQEs, epoll events, timer expiries) */
	__u64 syscalls;	/* system calls the consumer path made */
	__u64 drops;	/* records the producers could not reserve (drop counter map) */
	__u64 lost;	/* samples the kernel reported lost (perf buffers) */
	__u64 discarded;	/* records the producers discarded (skipped) */
};

/**
 * @brief Copies the loop's totals (the sum over its consumers plus the loop's
 * own syscalls and wakeups) into @p stats. Reading the drop counters costs
 * one map lookup per consumer that has a drop counter map.
 * @return 0 or a negative errno.
 */
EVBPF_API int evbpf_loop_stats(const struct evbpf_loop *loop, struct evbpf_stats *stats);

/* ---- records and callbacks ---- */

/* One record: @data points into the ring mapping (or, for a perf record that
 * wraps the ring's end, into a per-ring scratch copy) and is valid until the
 * callback returns. Ring buffer records are 8-byte aligned; perf samples,
 * by perf's layout, only 4-byte aligned. */
struct evbpf_rec {
	const void *data;
	__u32 len;
	__s32 cpu;	/* perf buffers: the CPU; ring buffers: -1 */
};

/*
 * Called from dispatch/run/drain/consume with @n >= 1 records in ring order.
 * A callback may submit map operations, add consumers and free any
 * consumer or the loop (the memory goes when the dispatching call returns;
 * a freed consumer gets no further batch). Calling the loop's
 * dispatch/run/drain or its own consumer's consume returns -EBUSY. Returns how many of them it
 * consumed: @n (or more) consumes the batch and delivery goes on; 0 <= k < n
 * consumes the first k and stops, the rest stay in the ring and are offered
 * again by the next dispatch; a negative value stops, consumes none of this
 * batch and is returned by the dispatching call.
 */
typedef int (*evbpf_batch_fn)(void *ctx, const struct evbpf_rec *recs, size_t n);

/* Perf buffers: the kernel dropped @cnt samples on @cpu. */
typedef void (*evbpf_lost_fn)(void *ctx, int cpu, __u64 cnt);

/* ---- BPF ring buffer consumer ---- */

struct evbpf_ring_opts {
	size_t sz;		/* sizeof(struct evbpf_ring_opts) */
	/* records per callback, at most 65536; 0: 256. A batch also ends
	 * after 16 KiB of ring, so that it is still in L1 when the callback
	 * reads it. */
	__u32 batch_max;
	/*
	 * Coalescing: with coalesce_usec > 0, a notification does not deliver
	 * at once unless coalesce_bytes (> 0) are pending; otherwise delivery
	 * happens coalesce_usec after data was first seen, through a timer of
	 * the loop. While the timer will bring the consumer back, it keeps the
	 * last consumed record unpublished (at most one record of the ring), so
	 * producers see no caught-up consumer and fire no wakeups.
	 */
	__u32 coalesce_bytes;
	__u32 coalesce_usec;
	/* fd of a per-CPU array map (4-byte key, 8-byte value) whose key 0
	 * holds a __u64 drop counter (see <bpf/evbpf_ringbuf.bpf.h>); <= 0:
	 * none; any other map: -EINVAL. Owned by the caller. */
	int drops_map_fd;
	/* enum evbpf_ring_flags */
	__u32 flags;
	__u32 __reserved;	/* must be zero: named, so that a zeroed or
				 * designated initializer leaves no padding */
};

enum evbpf_ring_flags {
	/*
	 * Without coalescing, a consumer of a ring of 64 KiB or more adapts
	 * by default: while the producer is steady (64 records or more in one
	 * delivery, or any records less than 200 µs after the previous
	 * delivery, however slowly they come) it keeps its last record
	 * unpublished and looks again after ~50 µs on a loop timer, so
	 * producers fire no wakeups; after a quiet period it publishes
	 * everything and sleeps until the next commit wakes it, for the
	 * lowest latency. This flag turns adaptation off: publish after every
	 * delivery and rely on producer wakeups only (libbpf's behaviour).
	 */
	EVBPF_RING_IMMEDIATE = 1U << 0,
};

/**
 * @brief Maps the BPF_MAP_TYPE_RINGBUF @p map_fd (which stays the caller's)
 * and registers it on @p loop. @p fn may be NULL for a pull-only consumer
 * (evbpf_ring_peek()/evbpf_ring_release()); @p loop may be NULL for a
 * standalone reader driven by evbpf_ring_consume() or the pull API.
 * @return the consumer (owned by the caller; evbpf_ring_free() or, if still
 * registered, evbpf_loop_free() frees it) or NULL with errno set.
 */
EVBPF_API struct evbpf_ring *evbpf_ring_new(struct evbpf_loop *loop, int map_fd,
				  evbpf_batch_fn fn, void *ctx,
				  const struct evbpf_ring_opts *opts);

/** @brief Unregisters from the loop, publishes the consumer position (a
 * held record is not seen again by the next reader), unmaps and frees;
 * accepts NULL. Records still in the ring are not delivered (drain first if
 * they matter). From a callback: no further batch, freed on return. */
EVBPF_API void evbpf_ring_free(struct evbpf_ring *ring);

/**
 * @brief Delivers every available record now (ignoring coalescing) and
 * publishes the consumer position.
 * @return records delivered or a negative errno (-EBUSY from inside this
 * ring's own callback).
 */
EVBPF_API int evbpf_ring_consume(struct evbpf_ring *ring);

/**
 * @brief Pull API: fills @p recs with up to @p max records starting at the
 * consumer position, without consuming them. The pointers stay valid until
 * evbpf_ring_release() releases them; @p recs must stay untouched until
 * then too.
 * @return the number of records filled (0: none available).
 */
EVBPF_API int evbpf_ring_peek(struct evbpf_ring *ring, struct evbpf_rec *recs, size_t max);

/**
 * @brief Pull API: consumes the first @p n records of the last peek and
 * publishes the consumer position (one release store).
 * @return 0, or -EINVAL when @p n exceeds what was peeked.
 */
EVBPF_API int evbpf_ring_release(struct evbpf_ring *ring, size_t n);

/** @brief The ring's map fd (the caller's). */
EVBPF_API int evbpf_ring_map_fd(const struct evbpf_ring *ring);
/** @brief Bytes committed or reserved but not yet consumed (0 for NULL). */
EVBPF_API size_t evbpf_ring_avail(const struct evbpf_ring *ring);
/** @brief Size of the ring's data area in bytes (0 for NULL). */
EVBPF_API size_t evbpf_ring_size(const struct evbpf_ring *ring);
/** @brief This consumer's counters (see struct evbpf_stats). */
EVBPF_API int evbpf_ring_stats(const struct evbpf_ring *ring, struct evbpf_stats *stats);

/* ---- perf buffer consumer ---- */

struct evbpf_perf_opts {
	size_t sz;		/* sizeof(struct evbpf_perf_opts) */
	/* data pages per CPU ring, a power of two; 0: 64 */
	__u32 page_cnt;
	/* records per callback, at most 65536; 0: 256. A batch also ends
	 * after 16 KiB of ring, so that it is still in L1 when the callback
	 * reads it. */
	__u32 batch_max;
	/* wake the consumer every this many samples; 0: see below */
	__u32 wakeup_events;
	/* ...or once this many bytes are pending (perf watermark); used when
	 * wakeup_events is 0; 0 with wakeup_events 0: a quarter of the ring */
	__u32 watermark_bytes;
	/* a timer of the loop checks every ring at least this often, so that
	 * samples below the wakeup threshold are not held indefinitely;
	 * 0: 1000 µs unless wakeup_events is 1 (then no timer) */
	__u32 flush_usec;
	__u32 __reserved;	/* must be zero: named, so that a zeroed or
				 * designated initializer leaves no padding */
};

/**
 * @brief Opens one perf ring (PERF_COUNT_SW_BPF_OUTPUT) per online CPU, stores
 * each fd into the BPF_MAP_TYPE_PERF_EVENT_ARRAY @p map_fd at the CPU's index,
 * and registers the rings on @p loop (NULL: standalone, driven by
 * evbpf_perf_consume()). Possible but offline CPUs are skipped. @p lost_fn
 * may be NULL (losses are still counted in the stats).
 * @return the consumer or NULL with errno set.
 */
EVBPF_API struct evbpf_perf *evbpf_perf_new(struct evbpf_loop *loop, int map_fd,
				  evbpf_batch_fn fn, evbpf_lost_fn lost_fn,
				  void *ctx, const struct evbpf_perf_opts *opts);

/** @brief Unregisters, clears the map slots (of the map it was created on,
 * through its own duplicate of the fd), unmaps, closes, frees; accepts NULL.
 * From a callback: no further batch, freed on return. */
EVBPF_API void evbpf_perf_free(struct evbpf_perf *perf);

/** @brief Delivers every available record of every CPU ring now.
 * @return records delivered or a negative errno (-EBUSY from inside this
 * consumer's own callback). */
EVBPF_API int evbpf_perf_consume(struct evbpf_perf *perf);

/** @brief This consumer's counters. */
EVBPF_API int evbpf_perf_stats(const struct evbpf_perf *perf, struct evbpf_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* EVBPF_EVBPF_H */
