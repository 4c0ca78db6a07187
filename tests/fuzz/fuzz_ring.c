// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the record walkers of the BPF ring buffer reader (batch
 * and per-record flavours) and the perf buffer reader (batch and raw) on
 * fuzzed ring contents and positions, the consumer position past the
 * producer's included. The rings are laid out as the kernel maps them: the
 * BPF ring's data area mapped twice back to back, then an inaccessible
 * page, so a walk that reads past what the kernel maps faults here too.
 *
 * Input: flag byte, size byte, 8-byte consumer position, 2-byte producer
 * delta (signed, in 8-byte units), then the ring's data.
 */
#include <stdlib.h>

#include "ringbuf_internal.h"
#include "perfbuf_internal.h"
#include "fuzz_util.h"

#define MAX_DATA (4 * 4096)

static __u8 *ring_data;		/* MAX_DATA, twice, then a guard page */
static int ring_memfd = -1;

struct walk_ctx {
	unsigned stop_after;	/* 0: take every batch */
	unsigned calls;
	__u64 sum;
};

static void touch(struct walk_ctx *w, const void *p, size_t len)
{
	const volatile __u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		w->sum += b[i];
}

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct walk_ctx *w = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		touch(w, recs[i].data, recs[i].len);
	if (w->stop_after && ++w->calls >= w->stop_after)
		return (int)(n / 2);
	return (int)n;
}

static int on_rec(void *ctx, void *data, size_t size)
{
	struct walk_ctx *w = ctx;

	touch(w, data, size);
	if (w->stop_after && ++w->calls >= w->stop_after)
		return -1;
	return 0;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	((struct walk_ctx *)ctx)->sum += cnt;
}

static enum bpf_perf_event_ret on_raw(void *ctx, int cpu, struct perf_event_header *e)
{
	struct walk_ctx *w = ctx;

	touch(w, e, e->size);
	if (w->stop_after && ++w->calls >= w->stop_after)
		return LIBBPF_PERF_EVENT_DONE;
	return LIBBPF_PERF_EVENT_CONT;
}

/* Maps the memfd twice at the start of a reservation of 3 x MAX_DATA. */
static int map_ring(size_t size)
{
	static __u8 *area;

	if (!area) {
		area = mmap(NULL, 3 * MAX_DATA, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ring_memfd = memfd_create("fuzz_ring", MFD_CLOEXEC);
		if (area == MAP_FAILED || ring_memfd < 0 || ftruncate(ring_memfd, MAX_DATA))
			abort();
	}
	munmap(area, 3 * MAX_DATA);
	area = mmap(area, 3 * MAX_DATA, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (area == MAP_FAILED ||
	    mmap(area, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, ring_memfd, 0) == MAP_FAILED ||
	    mmap(area + size, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, ring_memfd, 0) == MAP_FAILED)
		abort();
	ring_data = area;
	return 0;
}

static void fuzz_bpf_ring(__u8 flags, size_t size, unsigned long cons,
			  unsigned long prod, struct walk_ctx *w)
{
	struct evbpf_rec recs[16];
	unsigned long cons_pos = cons, prod_pos = prod;
	struct evbpf_ring ring;
	int cb_err = 0;

	memset(&ring, 0, sizeof(ring));
	ring.map_fd = -1;
	ring.drops_fd = -1;
	ring.watch = -1;
	ring.fn = on_batch;
	ring.ctx = w;
	ring.cons_page = &cons_pos;
	ring.prod_page = &prod_pos;
	ring.data = ring_data;
	ring.size = size;
	ring.page_size = 4096;
	ring.cons = ring.pub = ring.walked = cons;
	ring.batch_max = 1 + (flags >> 4);
	ring.recs = recs;
	if (flags & 4)
		(void)evbpf__ring_deliver_each(&ring, 1024, on_rec, w, &cb_err);
	else
		(void)evbpf__ring_deliver(&ring, 1024, flags & 8);
}

static void fuzz_perf_ring(__u8 flags, size_t size, __u64 tail, __u64 head,
			   struct walk_ctx *w)
{
	struct perf_event_mmap_page ctl;
	struct evbpf__perf_ring r;
	struct evbpf_rec recs[16];
	struct evbpf_perf perf;

	memset(&ctl, 0, sizeof(ctl));
	memset(&r, 0, sizeof(r));
	memset(&perf, 0, sizeof(perf));
	ctl.data_head = head;
	ctl.data_tail = tail;
	r.fd = 0;	/* "a ring is there"; never closed here */
	r.watch = -1;
	r.ctl = &ctl;
	r.data = ring_data;
	r.data_size = size;
	r.tail = tail;
	perf.map_fd = -1;
	perf.fn = on_batch;
	perf.lost_fn = on_lost;
	perf.raw_fn = (flags & 4) ? on_raw : NULL;
	perf.ctx = w;
	perf.rings = &r;
	perf.ring_cnt = 1;
	perf.batch_max = 1 + (flags >> 4);
	perf.recs = recs;
	if (perf.raw_fn)
		(void)evbpf__perf_read_raw(&perf, 0);
	else
		(void)evbpf__perf_read_ring(&perf, 0);
	free(r.scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk_ctx w = { 0 };
	unsigned long cons, prod;
	__u8 flags;
	size_t ring_sz;
	__s16 delta;

	fuzz_quiet();
	if (size < 12)
		return 0;
	flags = data[0];
	ring_sz = (size_t)4096 << (data[1] % 3);	/* 4, 8 or 16 KiB */
	memcpy(&cons, data + 2, 8);
	delta = (__s16)(data[10] | data[11] << 8);
	data += 12;
	size -= 12;
	map_ring(ring_sz);
	memset(ring_data, 0, ring_sz);
	memcpy(ring_data, data, size < ring_sz ? size : ring_sz);
	cons &= ~7UL;
	/* the kernel never lets a producer run more than a ring ahead */
	if (delta > 0)
		delta = (__s16)(delta % (ring_sz / 8 + 1));
	prod = cons + (unsigned long)((long)delta * 8);
	w.stop_after = flags & 3;
	if (flags & 0x80)
		fuzz_perf_ring(flags, ring_sz, cons, prod, &w);
	else
		fuzz_bpf_ring(flags, ring_sz, cons, prod, &w);
	return 0;
}
