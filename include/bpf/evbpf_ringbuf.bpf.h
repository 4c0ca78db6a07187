/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF-side companions of evbpf's ring buffer consumer (include after
 * <bpf/bpf_helpers.h>):
 *
 * Drop accounting. The kernel's ring buffer counts no drops: a reserve or
 * output that finds the ring full just fails. The helpers below count such
 * failures in a per-CPU array (key 0, one __u64) declared with
 * EVBPF_RINGBUF_DROPS_MAP(); hand that map's fd to the consumer
 * (evbpf_ring_opts.drops_map_fd) and its stats show drops, so that
 * produced = consumed + dropped.
 *
 * Adaptive wakeups. By default every commit that finds the consumer caught up
 * wakes it, which costs the producer microseconds per wakeup.
 * evbpf_ringbuf_wakeup_flags() asks for no wakeup (BPF_RB_NO_WAKEUP) until the
 * pending data reaches a threshold, then forces one (BPF_RB_FORCE_WAKEUP).
 * Below the threshold nothing wakes the consumer: pair it with a coalescing
 * timer on the consumer (evbpf_ring_opts.coalesce_usec, and coalesce_bytes
 * equal to the threshold) to bound latency.
 */
#ifndef __EVBPF_RINGBUF_BPF_H
#define __EVBPF_RINGBUF_BPF_H

/* Declares the per-CPU drop counter map @name. */
#define EVBPF_RINGBUF_DROPS_MAP(name)					\
	struct {							\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);		\
		__uint(max_entries, 1);					\
		__type(key, __u32);					\
		__type(value, __u64);					\
	} name SEC(".maps")

/* Adds one to the drop counter of @drops (a map of EVBPF_RINGBUF_DROPS_MAP). */
static __always_inline void evbpf_ringbuf_count_drop(void *drops)
{
	__u32 zero = 0;
	__u64 *cnt = bpf_map_lookup_elem(drops, &zero);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
}

/* bpf_ringbuf_reserve() that counts a failure in @drops. */
static __always_inline void *evbpf_ringbuf_reserve(void *ringbuf, void *drops,
						   __u64 size)
{
	void *sample = bpf_ringbuf_reserve(ringbuf, size, 0);

	if (!sample)
		evbpf_ringbuf_count_drop(drops);
	return sample;
}

/* bpf_ringbuf_output() that counts a failure in @drops. */
static __always_inline long evbpf_ringbuf_output(void *ringbuf, void *drops,
						 void *data, __u64 size,
						 __u64 flags)
{
	long err = bpf_ringbuf_output(ringbuf, data, size, flags);

	if (err)
		evbpf_ringbuf_count_drop(drops);
	return err;
}

/* Wakeup flags for a submit: force a wakeup once @threshold bytes (this
 * record included, when already reserved) are pending, none before. */
static __always_inline __u64 evbpf_ringbuf_wakeup_flags(void *ringbuf,
							__u64 threshold)
{
	return bpf_ringbuf_query(ringbuf, BPF_RB_AVAIL_DATA) >= threshold ?
		BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* Submits @sample of @ringbuf with adaptive wakeup flags. */
static __always_inline void evbpf_ringbuf_submit_adaptive(void *sample,
							  void *ringbuf,
							  __u64 threshold)
{
	bpf_ringbuf_submit(sample, evbpf_ringbuf_wakeup_flags(ringbuf, threshold));
}

#endif /* __EVBPF_RINGBUF_BPF_H */
