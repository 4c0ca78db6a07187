/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF ring buffer reader shared by the evbpf_ring API (ringbuf.c) and the
 * libbpf-compatible ring_buffer__* calls (ringbuf_compat.c).
 */
#ifndef EVBPF_IO_RINGBUF_INTERNAL_H
#define EVBPF_IO_RINGBUF_INTERNAL_H

#include "io_internal.h"

struct evbpf_ring {
	struct evbpf__consumer base;
	int map_fd;
	evbpf_batch_fn fn;
	void *ctx;
	unsigned long *cons_page;	/* RW mapping: the consumer position */
	unsigned long *prod_page;	/* RO mapping: producer position, data */
	__u8 *data;			/* data area, mapped twice by the kernel */
	size_t size;			/* data size, a power of two */
	size_t page_size;
	unsigned long cons;		/* delivered up to here */
	unsigned long pub;		/* last published consumer position */
	unsigned long pub_step;		/* mid-delivery: publish after this many bytes */
	unsigned long walked;		/* furthest position a walk reached */
	__u64 last_ns;			/* when the last records were delivered */
	__u64 busy_until;		/* busy polling: no look before this (0: look at once) */
	__u64 busy_last_ns;		/* busy polling: when a look last found records */
	bool hold_wait;		/* adaptive hold after a large delivery: wait for the timer */
	__u32 batch_max;
	__u32 coalesce_bytes;
	__u32 coalesce_usec;
	int drops_fd;
	__u32 flags;			/* enum evbpf_ring_flags */
	int watch;			/* watch id on the loop, -1 */
	size_t peeked;			/* records of the last evbpf_ring_peek() */
	unsigned long peek_end;		/* position after the last one walked */
	__u64 peek_bytes;
	const struct evbpf_rec *peek_recs;	/* the caller's array */
	struct evbpf_rec *recs;		/* batch_max entries */
};

/*
 * Delivers up to @limit records to ring->fn in batches. @hold keeps the last
 * consumed record unpublished (see evbpf_ring_opts). Without @hold, a
 * caught-up reader publishes its position, issues a full barrier and checks
 * again, so a producer that committed meanwhile is never missed. Returns
 * records delivered or a callback's -errno.
 */
long evbpf__ring_deliver(struct evbpf_ring *ring, size_t limit, bool hold);

/*
 * The libbpf-compatible flavour: @cb per record, straight from the walk (no
 * batch array), the consumer position published once per walk. A negative
 * @cb return consumes that record, stops, and lands in *@cb_err. Once
 * @hold_min records were delivered, the last one is kept unpublished (as
 * @hold of evbpf__ring_deliver; SIZE_MAX: never); a later call that
 * delivers fewer, or finds the ring empty, publishes everything. Returns
 * records delivered or -errno.
 */
long evbpf__ring_deliver_each_hold(struct evbpf_ring *ring, size_t limit,
				   int (*cb)(void *ctx, void *data, size_t size),
				   void *ctx, size_t hold_min, int *cb_err);

static inline long evbpf__ring_deliver_each(struct evbpf_ring *ring, size_t limit,
					    int (*cb)(void *ctx, void *data, size_t size),
					    void *ctx, int *cb_err)
{
	return evbpf__ring_deliver_each_hold(ring, limit, cb, ctx, SIZE_MAX, cb_err);
}

/* Publishes @pos as the consumer position (release store), once. */
static inline void evbpf__ring_publish(struct evbpf_ring *ring, unsigned long pos)
{
	if (pos == ring->pub)
		return;
	ring->pub = pos;
	evbpf__store_release(ring->cons_page, pos);
}

/*
 * Within a delivery that goes on walking: publishes @pos only once it is
 * ring->pub_step bytes past the last publication. Every publication takes
 * the position's cache line away from the producers, which read it on every
 * reserve; the delivery publishes what it consumed before it returns.
 */
static inline void evbpf__ring_publish_some(struct evbpf_ring *ring, unsigned long pos)
{
	if (pos - ring->pub >= ring->pub_step)
		evbpf__ring_publish(ring, pos);
}

/*
 * The hold every reader of a fast producer uses (the loop's adaptive
 * policy, busy polling, the compatible ring_buffer__poll()): entered after
 * a run of EVBPF__RING_HOLD_RECORDS records, on rings of
 * EVBPF__RING_HOLD_MIN_SIZE bytes or more (big enough to absorb a busy
 * producer meanwhile), for at most EVBPF__RING_HOLD_NS.
 */
#define EVBPF__RING_HOLD_RECORDS	64
#define EVBPF__RING_HOLD_NS		50000ull
#define EVBPF__RING_HOLD_MIN_SIZE	(64 * 1024)

/*
 * How long a reader may leave a ring alone after taking @bytes that came in
 * over @span_ns: EVBPF__RING_HOLD_NS, shorter when at that rate @room bytes
 * (an eighth of the ring, say) would fill meanwhile.
 */
static inline __u64 evbpf__ring_hold_ns(size_t room, unsigned long bytes, __u64 span_ns)
{
	__u64 fill;

	if (!bytes || !span_ns)
		return EVBPF__RING_HOLD_NS;
	fill = (__u64)room * span_ns / bytes;
	return fill < EVBPF__RING_HOLD_NS ? fill : EVBPF__RING_HOLD_NS;
}

/* The producer position (acquire load). */
unsigned long evbpf__ring_prod(const struct evbpf_ring *ring);

#endif /* EVBPF_IO_RINGBUF_INTERNAL_H */
