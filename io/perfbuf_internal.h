/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The perf buffer reader shared by the evbpf_perf API (perfbuf.c) and the
 * libbpf-compatible perf_buffer__* calls (perfbuf_compat.c).
 */
#ifndef EVBPF_IO_PERFBUF_INTERNAL_H
#define EVBPF_IO_PERFBUF_INTERNAL_H

#include <linux/perf_event.h>

#include "io_internal.h"
#include "bpf/libbpf_buffers.h"

struct evbpf__perf_ring {
	int cpu;
	int map_key;
	int fd;				/* perf event fd, -1: no ring (offline) */
	int watch;			/* watch id on the loop, -1 */
	void *base;			/* mmap: control page + data pages */
	size_t mmap_size;
	struct perf_event_mmap_page *ctl;
	__u8 *data;
	size_t data_size;		/* a power of two */
	__u64 tail;			/* consumed up to here */
	__u8 *scratch;			/* copy of the one record that wraps */
	size_t scratch_size;
};

struct evbpf_perf {
	struct evbpf__consumer base;
	int map_fd;			/* our duplicate of the caller's map fd */
	evbpf_batch_fn fn;
	evbpf_lost_fn lost_fn;
	perf_buffer_event_fn raw_fn;	/* raw mode (perf_buffer__new_raw) */
	void *ctx;
	struct evbpf__perf_ring *rings;
	int ring_cnt;			/* slots, offline CPUs included */
	int next_ring;			/* where the next service starts */
	__u32 batch_max;
	__u64 flush_ns;			/* 0: no flush timer */
	struct evbpf_rec *recs;
};

/* How the perf rings are opened. */
struct evbpf__perf_params {
	size_t page_cnt;
	struct perf_event_attr attr;	/* complete attr for every ring */
	int cpu_cnt;			/* 0: every online CPU */
	const int *cpus;
	const int *map_keys;
	__u32 batch_max;
	__u64 flush_ns;
};

/* Opens every ring, stores the fds in @map_fd, registers on @loop (NULL:
 * standalone). Returns the consumer or NULL with errno set. */
struct evbpf_perf *evbpf__perf_open(struct evbpf_loop *loop, int map_fd,
				    const struct evbpf__perf_params *params);

/*
 * Reads ring @idx: SAMPLE records go to perf->fn in batches, LOST records to
 * the stats and lost_fn. Returns records delivered, or a callback's negative
 * return, or -errno. (Raw mode, perf_buffer__new_raw(), is read by
 * perfbuf_compat.c.)
 */
long evbpf__perf_read_ring(struct evbpf_perf *perf, int idx);

/* The record at @pos, contiguous: in place, or copied into the ring's
 * scratch buffer (*@copied). NULL when that copy cannot be allocated. */
void *evbpf__perf_rec(struct evbpf__perf_ring *r, __u64 pos, __u32 size, bool *copied);

/* Reads the ring's head into *@head; -EBADMSG (one log line, tail moved to
 * the head) when it is more than the ring ahead of the tail. */
int evbpf__perf_head(struct evbpf__perf_ring *r, __u64 *head);

/* The size of the record at @pos when its header is sound (aligned, at least
 * a header, within @head and the ring), else 0. */
__u32 evbpf__perf_hdr_size(const struct evbpf__perf_ring *r, __u64 pos, __u64 head);

/* Refuses the ring's contents at @pos: one log line naming @what, the tail
 * moved to @head and published. Returns -EBADMSG. */
int evbpf__perf_bad(struct evbpf__perf_ring *r, __u64 pos, __u64 head, const char *what);

/* Raw mode (perf_buffer__new_raw()): every record of ring @idx to
 * perf->raw_fn. Returns records read, a callback's non-CONT return, or
 * -errno. */
long evbpf__perf_read_raw(struct evbpf_perf *perf, int idx);

/* Publishes r->tail to the kernel (release store). */
static inline void evbpf__perf_publish(struct evbpf__perf_ring *r)
{
	evbpf__store_release(&r->ctl->data_tail, r->tail);
}

#endif /* EVBPF_IO_PERFBUF_INTERNAL_H */
