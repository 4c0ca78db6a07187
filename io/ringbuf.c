// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF ring buffer (BPF_MAP_TYPE_RINGBUF) reader.
 *
 * Mapping: page 0 of the map is the consumer position (ours, read-write);
 * from page 1 on come the producer position page and the data area, which the
 * kernel maps twice in a row so that a record crossing the end of the ring is
 * still contiguous. Records are handed out as {pointer, length} into that
 * mapping, never copied.
 *
 * Ordering: the producer position and every record header are read with
 * acquire loads (a header is written by a release store when committed); the
 * consumer position is published with a release store, within a delivery
 * every sixteenth of the ring and once more before it returns. Before a
 * reader that caught up goes to sleep it publishes, issues a full barrier and
 * re-reads the producer position: a producer that committed in between
 * either is seen here, or sees our position equal to its record and wakes us.
 *
 * Wakeups: the kernel wakes the consumer when a commit finds the consumer
 * position equal to the committed record's position, i.e. a caught-up
 * consumer. A reader that knows it will look again soon (busy polling, a
 * coalescing timer) keeps its last consumed record unpublished, so no commit
 * can find it caught up and producers never pay for a wakeup.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "bpf/bpf.h"
#include "ringbuf_internal.h"

#define RING_DEFAULT_BATCH	256
/*
 * Adaptive hold: entered after a delivery of this many records, or of any
 * records less than RING_ADAPT_GAP_NS after the previous delivery (a
 * steady producer, however slow its records come in); checked again after
 * RING_ADAPT_NS.
 */
#define RING_ADAPT_RECORDS	EVBPF__RING_HOLD_RECORDS
#define RING_ADAPT_NS		EVBPF__RING_HOLD_NS
#define RING_ADAPT_GAP_NS	(4 * RING_ADAPT_NS)
/* ...only on rings big enough to absorb a busy producer for that long */
#define RING_ADAPT_MIN_SIZE	EVBPF__RING_HOLD_MIN_SIZE
#define RB_BUSY			(1U << 31)
#define RB_DISCARD		(1U << 30)
#define RB_HDR_SZ		8
/*
 * A batch handed to a callback covers at most this many ring bytes, so the
 * records the walk just touched are still in L1 when the callback reads
 * them (a 256-record batch of 256-byte records would be 67 KB: twice L1).
 * The per-record flavour walks this many bytes at a time too.
 */
#define RING_BATCH_BYTES	(16 * 1024)
/*
 * Within one delivery the consumer position is published once this part of
 * the ring has been consumed since the last publication, and the producer
 * position read again only once the walk has reached the one read last:
 * each publication and each read moves a cache line from one CPU to the
 * other, and the producers pay for both on their next reserve. The delivery
 * publishes everything before it returns.
 */
#define RING_PUB_PARTS		16
/*
 * Records of at least this size are not covered by the hardware prefetcher
 * (one line touched per record, a stride it stops at every 4 KiB page): the
 * walk prefetches the record RING_PF_RECS ahead, its header line and the
 * line after it (where the payload's start lies for one header in eight).
 * Smaller records share lines and are streamed by the hardware prefetcher,
 * except across a page end: for them the walk prefetches RING_PF_BYTES
 * ahead, far enough to keep memory busy while the callback runs through a
 * batch (2 KiB read 64-byte records at 0.8x the speed of 8 KiB). Only
 * committed data is prefetched: a line a producer is still writing would
 * bounce between the CPUs.
 */
#define RING_PF_STRIDE		256
#define RING_PF_RECS		16
#define RING_PF_BYTES		8192
/*
 * Busy polling, a fast producer: a look that finds several records, coming
 * in at RING_BUSY_FAST or more per RING_ADAPT_NS, leaves the ring alone
 * for up to RING_ADAPT_NS; see ring_busy_read().
 */
#define RING_BUSY_FAST		16
/* records per callback at most: the batch array is allocated up front */
#define RING_MAX_BATCH		65536

static inline struct evbpf_ring *to_ring(struct evbpf__consumer *c)
{
	return (struct evbpf_ring *)c;
}

unsigned long evbpf__ring_prod(const struct evbpf_ring *ring)
{
	return evbpf__load_acquire(ring->prod_page);
}

/* Where the record handed out as @rec ends, as a ring position. The batch
 * never spans more than the ring, so the offset from ring->cons is exact. */
static unsigned long rec_end(const struct evbpf_ring *ring, const struct evbpf_rec *rec)
{
	unsigned long mask = ring->size - 1;
	unsigned long off = ((const __u8 *)rec->data - ring->data - RB_HDR_SZ -
			     (ring->cons & mask)) & mask;

	return ring->cons + off + (((unsigned long)rec->len + RB_HDR_SZ + 7) & ~7UL);
}

/* What one walk found; see ring_walk_impl(). */
struct ring_walk {
	unsigned long end;	/* position after the last header walked */
	unsigned long last;	/* start of that header */
	__u64 bytes;		/* payload bytes of the records taken */
	int err;		/* -EBADMSG: the ring's positions or a header are corrupt */
	int cb_err;		/* per-record flavour: the callback's negative return */
};

/* Per-record callback of the libbpf-compatible flavour. */
typedef int (*ring_rec_fn)(void *ctx, void *data, size_t size);

/*
 * The walk's run of small records into an array, four at a time while the
 * next four headers all equal @fast and the fourth starts before @qlim: four
 * independent loads, one test, a quarter of the loop's bookkeeping. Its
 * own loop, so that the few values it needs stay in registers. Returns the
 * new record count; *@posp moves past what was taken.
 */
static __attribute__((always_inline)) inline size_t
ring_walk_quads(const __u8 *data, unsigned long mask, unsigned long *posp,
		unsigned long qlim, unsigned long step, __u32 fast,
		struct evbpf_rec *recs, size_t i, size_t max, bool set_cpu,
		unsigned long pflim, unsigned long pfoff)
{
	unsigned long pos = *posp;

	while (pos < qlim && max - i >= 4) {
		const __u8 *b = data + (pos & mask);
		__u32 h0 = evbpf__load_acquire((const __u32 *)b);
		__u32 h1 = evbpf__load_acquire((const __u32 *)(b + step));
		__u32 h2 = evbpf__load_acquire((const __u32 *)(b + 2 * step));
		__u32 h3 = evbpf__load_acquire((const __u32 *)(b + 3 * step));

		if (__builtin_expect(((h0 ^ fast) | (h1 ^ fast) | (h2 ^ fast) |
				      (h3 ^ fast)) != 0, 0))
			break;
		if (pos < pflim) {
			__builtin_prefetch(data + ((pos + pfoff) & mask));
			__builtin_prefetch(data + ((pos + pfoff + 2 * step) & mask));
		}
		for (int k = 0; k < 4; k++) {
			recs[i + k].data = b + k * step + RB_HDR_SZ;
			recs[i + k].len = fast;
			if (set_cpu)
				recs[i + k].cpu = -1;
		}
		pos += 4 * step;
		i += 4;
	}
	*posp = pos;
	return i;
}

/*
 * One pass over the committed records from ring->cons: at most @max records,
 * none that starts at or after @stop (the producer position @prod, or short
 * of it), and about @max_bytes ring bytes (the record that crosses the
 * bound is the last one). With @cb each record goes to @cb right where the
 * walk reads it; a negative return consumes that record and stops the walk
 * (w->cb_err). Without @cb the records are written to @recs (and their cpu
 * set to -1 when @set_cpu; the reader's own array has it preset). Returns
 * the records taken.
 *
 * Safety: a producer position behind ring->cons or more than the ring size
 * ahead of it, and a header that claims more bytes than are committed (or
 * than the ring holds), are corrupt: the walk stops there with w->err =
 * -EBADMSG and one log line, having read nothing outside the mapping.
 *
 * Speed: each header says where the next one is, a chain of dependent loads.
 * The walk remembers the last plain header it saw; a header equal to it (a
 * committed record of the same size, the common case) takes a short path
 * that steps by the remembered size, so the next position never waits for
 * the current load and the CPU runs ahead through a run of equal records.
 * Anything else (a new size, a busy or discarded record) takes the full
 * path, a branch the CPU rarely mispredicts. Into an array, small records
 * go four at a time (ring_walk_quads()). Every header is still read with
 * acquire ordering, in ring order.
 */
static __attribute__((always_inline)) inline size_t
ring_walk_impl(struct evbpf_ring *ring, unsigned long prod, unsigned long stop,
	       struct evbpf_rec *recs, size_t max, unsigned long max_bytes,
	       struct ring_walk *w, bool set_cpu, ring_rec_fn cb, void *ctx)
{
	const unsigned long mask = ring->size - 1;
	const __u8 *data = ring->data;
	const unsigned long start = ring->cons;
	unsigned long pos = start, bend;
	/* the short path holds while pos < lim: a record of @step bytes at
	 * pos ends within what is committed and before the byte bound */
	unsigned long lastpos = pos, step = 0, lim = 0, qlim = 0, total, pfoff = 0;
	/* never prefetch what a producer may still be writing */
	unsigned long pflim = 0;
	/* busy and discarded together never occur in a header */
	__u32 fast = RB_BUSY | RB_DISCARD, hdr, len;
	size_t i = 0;
	__u64 sum = 0, discarded = 0;
	const __u32 *hdrp;
	int ret;

	w->err = 0;
	w->cb_err = 0;
	if (__builtin_expect(prod - pos > ring->size, 0)) {
		pr_warn("ringbuf map fd %d: producer position %lu is %s consumer position %lu",
			ring->map_fd, prod, (long)(prod - pos) < 0 ? "behind the" :
			"more than the ring size ahead of the", pos);
		w->err = -EBADMSG;
		goto out;
	}
	bend = pos + (max_bytes < ring->size ? max_bytes : ring->size);
	if (bend > stop)
		bend = stop;
	while (i < max) {
		if (__builtin_expect(pos >= lim, 0)) {
			if (pos >= bend)
				break;
			hdrp = (const __u32 *)(data + (pos & mask));
			hdr = evbpf__load_acquire(hdrp);
			goto full;
		}
		if (!cb && pos < qlim && max - i >= 4) {
			size_t i0 = i;

			i = ring_walk_quads(data, mask, &pos, qlim, step, fast, recs, i, max,
					    set_cpu, pflim, pfoff);
			if (i != i0) {
				sum += (__u64)(i - i0) * fast;
				lastpos = pos - step;
				continue;
			}
		}
		hdrp = (const __u32 *)(data + (pos & mask));
		hdr = evbpf__load_acquire(hdrp);
		if (__builtin_expect(hdr != fast, 0))
			goto full;
deliver:
		/* a plain header is the length; the data follows it, contiguous
		 * even across the ring's end thanks to the double mapping */
		lastpos = pos;
		if (pos < pflim) {
			__builtin_prefetch(data + ((pos + pfoff) & mask));
			__builtin_prefetch(data + ((pos + pfoff + 63) & mask));
		}
		pos += step;
		sum += hdr;
		if (cb) {
			i++;
			ret = cb(ctx, (void *)(hdrp + RB_HDR_SZ / sizeof(*hdrp)), hdr);
			if (__builtin_expect(ret < 0, 0)) {
				/* as libbpf: the record counts as consumed */
				w->cb_err = ret;
				break;
			}
			continue;
		}
		recs[i].data = hdrp + RB_HDR_SZ / sizeof(*hdrp);
		recs[i].len = hdr;
		if (set_cpu)
			recs[i].cpu = -1;
		i++;
		continue;
full:
		if (hdr & RB_BUSY)
			break;
		len = hdr & ~(RB_BUSY | RB_DISCARD);
		total = ((unsigned long)len + RB_HDR_SZ + 7) & ~7UL;
		if (__builtin_expect(total > prod - pos, 0)) {
			pr_warn("ringbuf map fd %d: record at offset %lu claims %u bytes, only %lu committed",
				ring->map_fd, pos & mask, len, prod - pos);
			w->err = -EBADMSG;
			break;
		}
		if (hdr & RB_DISCARD) {
			discarded++;
			lastpos = pos;
			pos += total;
			continue;
		}
		fast = hdr;
		step = total;
		/* the short path may start a record before bend (it ends
		 * within prod), as the full path does */
		lim = bend - step + 1 <= bend ? bend - step + 1 : 0;
		/* four at once: small records only (large ones are prefetched
		 * record by record), the fourth starting before lim */
		qlim = step < RING_PF_STRIDE && lim > 3 * step ? lim - 3 * step : 0;
		if (step >= RING_PF_STRIDE) {
			/* every line prefetched lies in what is committed */
			pfoff = step * RING_PF_RECS;
			pflim = prod - pfoff - 64;
		} else {
			/* the same, with the prefetch half-way through
			 * four records */
			pfoff = RING_PF_BYTES;
			pflim = prod - RING_PF_BYTES - 64 - 2 * step;
		}
		if (pflim > prod)
			pflim = 0;
		/* keep this a branch: none of these may depend on the load */
		__asm__ __volatile__("" : "+r"(step), "+r"(fast), "+r"(lim), "+r"(pflim), "+r"(pfoff),
				     "+r"(qlim));
		goto deliver;
	}
out:
	ring->base.stats.discarded += discarded;
	w->end = pos;
	w->last = lastpos;
	w->bytes = sum;
	return i;
}

/*
 * Discarded records between @from and @to, both header positions already
 * walked. For the rare walk that starts again over headers an earlier walk
 * counted (a callback stopped early, a peek was not released).
 */
static __u64 ring_discards(const struct evbpf_ring *ring, unsigned long from,
			   unsigned long to)
{
	const unsigned long mask = ring->size - 1;
	__u64 cnt = 0;
	__u32 hdr;

	while (from < to) {
		hdr = evbpf__load_acquire((const __u32 *)(ring->data + (from & mask)));
		if (hdr & RB_BUSY)
			break;
		cnt += !!(hdr & RB_DISCARD);
		from += ((unsigned long)(hdr & ~(RB_BUSY | RB_DISCARD)) + RB_HDR_SZ + 7) & ~7UL;
	}
	return cnt;
}

/* Keeps stats.discarded exact: what the walk just counted again is taken
 * back out. ring->walked: the furthest position any walk reached. */
static inline void ring_walk_seen(struct evbpf_ring *ring, unsigned long start,
				  unsigned long end)
{
	if (__builtin_expect(start < ring->walked, 0))
		ring->base.stats.discarded -=
			ring_discards(ring, start, evbpf__min(ring->walked, end));
	if (end > ring->walked)
		ring->walked = end;
}

/* The pull API's walk: into the caller's array, every record available. */
static size_t ring_walk(struct evbpf_ring *ring, struct evbpf_rec *recs,
			size_t max, struct ring_walk *w)
{
	unsigned long prod = evbpf__ring_prod(ring), start = ring->cons;
	size_t n = ring_walk_impl(ring, prod, prod, recs, max, ~0UL, w, true, NULL, NULL);

	ring_walk_seen(ring, start, w->end);
	return n;
}

/* A batch for the reader's callback: into ring->recs (cpu fields preset),
 * bounded by RING_BATCH_BYTES. */
static size_t ring_walk_own(struct evbpf_ring *ring, unsigned long prod,
			    unsigned long stop, size_t max, struct ring_walk *w)
{
	unsigned long start = ring->cons;
	size_t n = ring_walk_impl(ring, prod, stop, ring->recs, max, RING_BATCH_BYTES, w,
				  false, NULL, NULL);

	ring_walk_seen(ring, start, w->end);
	return n;
}

/* True when a committed record (or a discarded one) waits at ring->cons. */
static bool ring_ready(const struct evbpf_ring *ring)
{
	const __u32 *hdrp;
	unsigned long prod = evbpf__ring_prod(ring);

	if (prod == ring->cons)
		return false;
	/* a corrupt position: let the next walk report it */
	if (prod - ring->cons > ring->size)
		return true;
	hdrp = (const __u32 *)(ring->data + (ring->cons & (ring->size - 1)));
	return !(evbpf__load_acquire(hdrp) & RB_BUSY);
}

/*
 * A delivery that caught up and holds nothing: publishes, issues a full
 * barrier and looks once more. True when it should walk again, with *@prod
 * set to be read again: once without progress (*@relooked), since a record
 * still being written (or a corrupt header) stays ready without turning
 * readable, and its commit wakes us, the published position pointing at it.
 */
static bool ring_relook(struct evbpf_ring *ring, bool *relooked, unsigned long *prod)
{
	evbpf__ring_publish(ring, ring->cons);
	evbpf__smp_mb();
	if (*relooked || !ring_ready(ring))
		return false;
	*relooked = true;
	*prod = ring->cons;
	return true;
}

long evbpf__ring_deliver(struct evbpf_ring *ring, size_t limit, bool hold)
{
	struct evbpf_stats *st = &ring->base.stats;
	bool busy = hold && ring->base.loop && ring->base.loop->busy;
	struct ring_walk w;
	/* what is published before returning */
	unsigned long prod = 0, want = ring->pub;
	long cnt = 0, err = 0;
	size_t n, k, i, max;
	bool relooked = false, looked = false;
	int ret;

	ring->base.pending = false;
	while ((size_t)cnt < limit) {
		max = evbpf__min((size_t)ring->batch_max, limit - (size_t)cnt);
		/* the producer position is read again once the walk reached
		 * it (see RING_PUB_PARTS); busy polling walks up to the one it
		 * found and no further: a reader that went on re-reading it
		 * would follow a fast producer record by record */
		if (!looked || (!busy && ring->cons == prod))
			prod = evbpf__ring_prod(ring);
		looked = true;
		n = ring_walk_own(ring, prod, prod, max, &w);
		if (w.err) {
			err = w.err;
			break;
		}
		if (w.end == ring->cons) {
			if (hold)
				break;
			want = ring->cons;
			if (ring_relook(ring, &relooked, &prod))
				continue;
			break;
		}
		relooked = false;	/* progress */
		if (n == 0) {
			/* only discarded records */
			ring->cons = w.end;
			want = hold ? w.last : w.end;
			evbpf__ring_publish_some(ring, want);
			continue;
		}
		ret = ring->fn(ring->ctx, ring->recs, n);
		st->batches++;
		if (ret < 0) {
			err = ret;
			break;
		}
		k = evbpf__min((size_t)ret, n);
		cnt += k;
		st->records += k;
		if (k < n) {
			/* stopped early: the rest stays for the next dispatch */
			for (i = 0; i < k; i++)
				st->bytes += ring->recs[i].len;
			if (k)
				ring->cons = rec_end(ring, &ring->recs[k - 1]);
			want = ring->cons;
			ring->base.pending = true;
			break;
		}
		st->bytes += w.bytes;
		ring->cons = w.end;
		want = hold ? w.last : w.end;
		evbpf__ring_publish_some(ring, want);
	}
	evbpf__ring_publish(ring, want);
	return err ?: cnt;
}

long evbpf__ring_deliver_each_hold(struct evbpf_ring *ring, size_t limit,
				   int (*cb)(void *ctx, void *data, size_t size),
				   void *ctx, size_t hold_min, int *cb_err)
{
	struct evbpf_stats *st = &ring->base.stats;
	struct ring_walk w;
	/* what is published before returning */
	unsigned long prod = 0, want = ring->pub;
	bool relooked = false, looked = false;
	long cnt = 0;
	size_t n;

	/* One pass: the walk calls @cb on each record as it reads it. */
	*cb_err = 0;
	while ((size_t)cnt < limit) {
		/* read again once the walk reached it (see RING_PUB_PARTS) */
		if (!looked || ring->cons == prod)
			prod = evbpf__ring_prod(ring);
		looked = true;
		n = ring_walk_impl(ring, prod, prod, NULL, limit - (size_t)cnt,
				   RING_BATCH_BYTES, &w, false, cb, ctx);
		if (w.end == ring->cons && !w.err) {
			/* caught up after a large delivery: the last record
			 * stays unpublished, so no commit finds us caught up */
			if ((size_t)cnt >= hold_min)
				break;
			want = ring->cons;
			if (ring_relook(ring, &relooked, &prod))
				continue;
			break;
		}
		relooked = false;	/* progress */
		cnt += (long)n;
		st->records += n;
		st->bytes += w.bytes;
		if (n)
			st->batches++;
		ring->cons = w.end;
		if (w.cb_err || w.err) {
			evbpf__ring_publish(ring, w.end);
			*cb_err = w.cb_err;
			return w.cb_err ? cnt : w.err;
		}
		want = (size_t)cnt >= hold_min ? w.last : w.end;
		evbpf__ring_publish_some(ring, want);
	}
	evbpf__ring_publish(ring, want);
	return cnt;
}

/* ---- consumer ops ---- */

/*
 * Reading, apart from the policy: delivers with @hold what the dispatch's
 * budget allows (records, and time checked between batches), and marks the
 * consumer pending when the budget ran out before the ring did.
 */
static long ring_read(struct evbpf_ring *ring, bool hold)
{
	struct evbpf__consumer *c = &ring->base;
	size_t quota = evbpf__loop_quota(c), step;
	bool timed = c->loop && c->loop->budget_end_ns;
	long n, total = 0;

	c->depth++;
	for (;;) {
		step = timed ? evbpf__min(quota, (size_t)ring->batch_max) : quota;
		n = evbpf__ring_deliver(ring, step, hold);
		if (n < 0) {
			total = n;
			break;
		}
		total += n;
		if (c->pending || c->doomed || (size_t)n < step)
			break;
		if (quota != SIZE_MAX)
			quota -= (size_t)n;
		if (!quota || evbpf__loop_out_of_time(c)) {
			c->pending = ring_ready(ring);
			break;
		}
	}
	c->depth--;
	return total;
}

/* Adaptive policy: is the producer steady enough to hold for? */
static bool ring_steady(struct evbpf_ring *ring, long n, __u64 now)
{
	bool steady = n >= RING_ADAPT_RECORDS ||
		      (n > 0 && ring->last_ns && now - ring->last_ns < RING_ADAPT_GAP_NS);

	if (n > 0)
		ring->last_ns = now;
	return steady && ring->base.loop && ring->size >= RING_ADAPT_MIN_SIZE;
}

/*
 * Busy polling. A look that finds records delivers them at once, so a slow
 * producer's records wait only for the spin to come round. A reader that
 * followed a fast producer that way took 2-4 records per look and read the
 * producer-position line and the lines just written on every spin: the
 * producer ran at 0.2-0.3 of its rate alone. Each look costs the producer
 * far more than the records it takes (measured: hold 10 us, 0.5 of the
 * rate alone; 50 us, 0.85-0.95; 200 us, 1.0), so when records come in fast
 * (two or more in this look, at RING_BUSY_FAST or more per hold over the
 * time since the previous look that found some) the ring is left alone for
 * a hold: nothing of it is read until the hold ends, and the next look
 * takes what came meanwhile. The hold is the adaptive hold's period,
 * shortened so that at the rate just seen at most an eighth of the ring
 * fills meanwhile (evbpf__ring_hold_ns()), and only on rings the adaptive
 * hold would use either. A dispatch budget that ran out looks again at once.
 */
static long ring_busy_read(struct evbpf_ring *ring, __u64 now)
{
	struct evbpf__consumer *c = &ring->base;
	unsigned long from = ring->cons;
	__u64 gap;
	long n;

	if (now < ring->busy_until)
		return 0;
	ring->busy_until = 0;
	n = ring_read(ring, true);
	if (n <= 0)
		return n;
	gap = now - ring->busy_last_ns;
	ring->busy_last_ns = now;
	if (n >= 2 && !c->pending && ring->size >= RING_ADAPT_MIN_SIZE &&
	    (__u64)n * RING_ADAPT_NS >= RING_BUSY_FAST * gap)
		ring->busy_until = now + evbpf__ring_hold_ns(ring->size / 8,
							     ring->cons - from, gap);
	return n;
}

/*
 * The hold policy. Adaptive (default): records from a steady producer are
 * delivered with the last one held and the consumer comes back on a short
 * timer, so producers never find it caught up and fire no wakeups; a
 * delivery after a quiet period publishes everything and sleeps until the
 * next commit wakes it. Coalescing: delivery waits for the period or the
 * byte threshold, holding meanwhile. Busy: always hold, no timer; see
 * ring_busy_read().
 */
static int ring_service(struct evbpf__consumer *c, __u64 now, bool drain)
{
	struct evbpf_ring *ring = to_ring(c);
	__u64 period = (__u64)ring->coalesce_usec * 1000;
	unsigned long avail;
	long n, more;

	c->pending = false;
	if (!ring->fn)
		return 0;
	if (drain) {
		c->deadline_ns = 0;
		return ring_read(ring, false);
	}
	if (c->loop && c->loop->busy)
		return ring_busy_read(ring, now);
	if (!period && (ring->flags & EVBPF_RING_IMMEDIATE))
		return ring_read(ring, false);
	if (!period) {
		/* holding after a large delivery (a flat-out producer): the
		 * timer brings us back; looking before it would only follow the
		 * producer closer (fewer records per round, its lines pulled
		 * away). After a small one (a slow, steady producer) looking
		 * early costs little and keeps its records' latency low. */
		if (ring->hold_wait && c->deadline_ns && now < c->deadline_ns &&
		    evbpf__ring_prod(ring) - ring->cons < ring->size / 4)
			return 0;
		n = ring_read(ring, true);
		if (n < 0 || c->pending) {
			c->deadline_ns = 0;
			return n;
		}
		if (ring_steady(ring, n, now)) {
			c->deadline_ns = now + RING_ADAPT_NS;
			ring->hold_wait = n >= RING_ADAPT_RECORDS;
			return n;
		}
		c->deadline_ns = 0;
		more = ring_read(ring, false);
		return more < 0 ? more : n + more;
	}

	avail = evbpf__ring_prod(ring) - ring->cons;
	if (!avail) {
		if (c->deadline_ns && now < c->deadline_ns)
			return 0;
		/* a quiet period: release the held record and sleep until a
		 * producer wakes us */
		c->deadline_ns = 0;
		return ring_read(ring, false);
	}
	if (!ring->coalesce_bytes || avail < ring->coalesce_bytes) {
		if (!c->deadline_ns) {
			c->deadline_ns = now + period;
			return 0;
		}
		if (now < c->deadline_ns)
			return 0;
	}
	n = ring_read(ring, true);
	c->deadline_ns = c->pending ? 0 : now + period;
	return n;
}

static void ring_unhold(struct evbpf__consumer *c)
{
	struct evbpf_ring *ring = to_ring(c);

	evbpf__ring_publish(ring, ring->cons);
	/* busy polling turned on again starts with no hold and no history */
	ring->busy_until = 0;
	ring->busy_last_ns = 0;
}

static void ring_read_drops(const struct evbpf__consumer *c, struct evbpf_stats *st)
{
	const struct evbpf_ring *ring = (const struct evbpf_ring *)c;
	__u64 sum;

	if (ring->drops_fd > 0 && evbpf__percpu_sum(ring->drops_fd, &sum) == 0) {
		st->drops += sum;
		st->syscalls++;
	}
}

static void ring_destroy(struct evbpf__consumer *c)
{
	struct evbpf_ring *ring = to_ring(c);

	if (ring->cons_page && ring->cons_page != MAP_FAILED) {
		/* a held record was delivered: the next reader starts after it */
		if (ring->prod_page && ring->prod_page != MAP_FAILED)
			evbpf__ring_publish(ring, ring->cons);
		munmap(ring->cons_page, ring->page_size);
	}
	if (ring->prod_page && ring->prod_page != MAP_FAILED)
		munmap(ring->prod_page, ring->page_size + 2 * ring->size);
	free(ring->recs);
	free(ring);
}

static const struct evbpf__consumer_ops ring_ops = {
	.service = ring_service,
	.unhold = ring_unhold,
	.destroy = ring_destroy,
	.read_drops = ring_read_drops,
};

/* ---- public API ---- */

/* A drop counter map is a per-CPU array with a __u32 key and a __u64 value:
 * anything else would make evbpf__percpu_sum() read past its buffer. */
static int ring_check_drops_map(int map_fd, int drops_fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int err;

	if (drops_fd <= 0)
		return 0;
	if (bpf_map_get_info_by_fd(drops_fd, &info, &len)) {
		err = -errno;
		pr_warn("ringbuf: map fd %d: drops_map_fd %d: cannot get map info: %d",
			map_fd, drops_fd, err);
		return err == -EBADF ? -EINVAL : err;
	}
	if (info.type != BPF_MAP_TYPE_PERCPU_ARRAY || info.key_size != 4 ||
	    info.value_size != 8 || !info.max_entries) {
		pr_warn("ringbuf: map fd %d: drops_map_fd %d is not a per-CPU array of __u64 "
			"(type %u, key %u, value %u bytes, %u entries)", map_fd, drops_fd,
			info.type, info.key_size, info.value_size, info.max_entries);
		return -EINVAL;
	}
	return 0;
}

struct evbpf_ring *evbpf_ring_new(struct evbpf_loop *loop, int map_fd,
				  evbpf_batch_fn fn, void *ctx,
				  const struct evbpf_ring_opts *opts)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	struct evbpf_ring *ring;
	__u32 i;
	int err;

	if (!OPTS_VALID(opts, evbpf_ring_opts, flags))
		return evbpf__err_ptr(-EINVAL);
	if (map_fd < 0)
		return evbpf__err_ptr(-EINVAL);
	err = bpf_map_get_info_by_fd(map_fd, &info, &info_len);
	if (err) {
		err = -errno;
		pr_warn("ringbuf: map fd %d: cannot get map info: %d", map_fd, err);
		return evbpf__err_ptr(err);
	}
	if (info.type != BPF_MAP_TYPE_RINGBUF) {
		pr_warn("ringbuf: map fd %d is of type %u, not a ring buffer",
			map_fd, info.type);
		return evbpf__err_ptr(-EINVAL);
	}

	ring = calloc(1, sizeof(*ring));
	if (!ring) {
		pr_warn("ringbuf: map fd %d: no memory for the consumer", map_fd);
		return evbpf__err_ptr(-ENOMEM);
	}
	ring->base.ops = &ring_ops;
	ring->map_fd = map_fd;
	ring->fn = fn;
	ring->ctx = ctx;
	ring->watch = -1;
	ring->size = info.max_entries;
	ring->pub_step = ring->size / RING_PUB_PARTS;
	ring->page_size = sysconf(_SC_PAGESIZE);
	ring->batch_max = OPTS_GET(opts, batch_max, 0) ?: RING_DEFAULT_BATCH;
	ring->coalesce_bytes = OPTS_GET(opts, coalesce_bytes, 0);
	ring->coalesce_usec = OPTS_GET(opts, coalesce_usec, 0);
	ring->drops_fd = OPTS_GET(opts, drops_map_fd, 0);
	ring->flags = OPTS_GET(opts, flags, 0);
	if (ring->flags & ~EVBPF_RING_IMMEDIATE) {
		pr_warn("ringbuf: map fd %d: unknown flags 0x%x", map_fd, ring->flags);
		err = -EINVAL;
		goto err_out;
	}
	if (ring->batch_max > RING_MAX_BATCH) {
		pr_warn("ringbuf: map fd %d: batch_max %u out of range (at most %u)",
			map_fd, ring->batch_max, RING_MAX_BATCH);
		err = -EINVAL;
		goto err_out;
	}
	err = ring_check_drops_map(map_fd, ring->drops_fd);
	if (err)
		goto err_out;

	err = -ENOMEM;
	ring->recs = calloc(ring->batch_max, sizeof(*ring->recs));
	if (!ring->recs) {
		pr_warn("ringbuf: map fd %d: no memory for a batch of %u records",
			map_fd, ring->batch_max);
		goto err_out;
	}
	for (i = 0; i < ring->batch_max; i++)
		ring->recs[i].cpu = -1;

	ring->cons_page = mmap(NULL, ring->page_size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, map_fd, 0);
	if (ring->cons_page == MAP_FAILED) {
		err = -errno;
		pr_warn("ringbuf: map fd %d: mmap of the consumer page failed: %d",
			map_fd, err);
		goto err_out;
	}
	ring->prod_page = mmap(NULL, ring->page_size + 2 * ring->size, PROT_READ,
			       MAP_SHARED, map_fd, ring->page_size);
	if (ring->prod_page == MAP_FAILED) {
		err = -errno;
		pr_warn("ringbuf: map fd %d: mmap of the data pages failed: %d",
			map_fd, err);
		goto err_out;
	}
	ring->data = (__u8 *)ring->prod_page + ring->page_size;
	ring->cons = evbpf__load_acquire(ring->cons_page);
	ring->pub = ring->cons;
	ring->walked = ring->cons;

	if (loop) {
		evbpf__loop_link(loop, &ring->base);
		err = evbpf__loop_watch(loop, map_fd, &ring->base);
		if (err < 0)
			goto err_out;
		ring->watch = err;
		/* data may already be waiting: let the first dispatch look */
		evbpf__loop_kick(loop);
	}
	return ring;

err_out:
	evbpf_ring_free(ring);
	return evbpf__err_ptr(err);
}

/* The callback of a ring freed from inside a delivery: stops it. */
static int ring_stop_fn(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	return 0;
}

void evbpf_ring_free(struct evbpf_ring *ring)
{
	if (!ring)
		return;
	if (!evbpf__consumer_release(&ring->base)) {
		/* from a callback: no further batch; freed on unwind */
		if (ring->fn)
			ring->fn = ring_stop_fn;
		return;
	}
	ring_destroy(&ring->base);
}

int evbpf_ring_consume(struct evbpf_ring *ring)
{
	long n;

	if (!ring || !ring->fn)
		return evbpf__err(-EINVAL);
	if (ring->base.depth || ring->base.doomed) {
		pr_warn("ringbuf: map fd %d: consume called from inside its own delivery",
			ring->map_fd);
		return evbpf__err(-EBUSY);
	}
	ring->base.deadline_ns = 0;
	ring->base.depth++;
	n = evbpf__ring_deliver(ring, SIZE_MAX, false);
	ring->base.depth--;
	evbpf__consumer_unwind(&ring->base);
	if (n < 0)
		return evbpf__err((int)n);
	return (int)evbpf__min(n, (long)INT32_MAX);
}

int evbpf_ring_peek(struct evbpf_ring *ring, struct evbpf_rec *recs, size_t max)
{
	struct ring_walk w;
	size_t n;

	if (!ring || (!recs && max))
		return evbpf__err(-EINVAL);
	n = ring_walk(ring, recs, max, &w);
	if (w.err)
		return evbpf__err(w.err);
	ring->peek_end = w.end;
	ring->peek_recs = recs;
	ring->peeked = n;
	ring->peek_bytes = w.bytes;
	return (int)evbpf__min(n, (size_t)INT32_MAX);
}

int evbpf_ring_release(struct evbpf_ring *ring, size_t n)
{
	size_t i;

	if (!ring || n > ring->peeked)
		return evbpf__err(-EINVAL);
	if (!n)
		return 0;
	if (n == ring->peeked) {
		ring->base.stats.bytes += ring->peek_bytes;
		ring->cons = ring->peek_end;
	} else {
		for (i = 0; i < n; i++)
			ring->base.stats.bytes += ring->peek_recs[i].len;
		ring->cons = rec_end(ring, &ring->peek_recs[n - 1]);
	}
	ring->base.stats.records += n;
	ring->base.stats.batches++;
	ring->peeked = 0;
	evbpf__ring_publish(ring, ring->cons);
	return 0;
}

int evbpf_ring_map_fd(const struct evbpf_ring *ring)
{
	return ring ? ring->map_fd : evbpf__err(-EINVAL);
}

size_t evbpf_ring_avail(const struct evbpf_ring *ring)
{
	return ring ? evbpf__ring_prod(ring) - ring->cons : 0;
}

size_t evbpf_ring_size(const struct evbpf_ring *ring)
{
	return ring ? ring->size : 0;
}

int evbpf_ring_stats(const struct evbpf_ring *ring, struct evbpf_stats *stats)
{
	if (!ring || !stats)
		return evbpf__err(-EINVAL);
	*stats = ring->base.stats;
	ring_read_drops(&ring->base, stats);
	return 0;
}
