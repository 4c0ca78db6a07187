// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Perf buffer reader: one perf ring per CPU (PERF_COUNT_SW_BPF_OUTPUT), its
 * fd stored in a BPF_MAP_TYPE_PERF_EVENT_ARRAY at the CPU's index.
 *
 * Each ring is a control page plus 2^n data pages mapped once, so a record
 * can wrap the end of the data area. Records are handed out in place; the
 * one record of a batch that wraps is copied into a per-ring scratch buffer
 * (a batch never covers more than one wrap, and a second wrapping record
 * simply starts the next batch). data_head is read with acquire, data_tail
 * is published with a release store once per batch.
 *
 * Wakeups: the kernel wakes the reader every wakeup_events samples or when
 * watermark bytes are pending. With a threshold above one sample, a timer
 * of the loop ("flush") looks at every ring periodically so that a quiet
 * producer's last samples are still delivered.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "bpf/bpf.h"
#include "perfbuf_internal.h"

#define PERF_DEFAULT_PAGES	64
#define PERF_DEFAULT_BATCH	256
#define PERF_DEFAULT_FLUSH_US	1000
/* ring bytes per batch: the records stay in L1 until the callback reads them */
#define PERF_BATCH_BYTES	(16 * 1024)
/* records per callback at most: the batch arrays are allocated up front */
#define PERF_MAX_BATCH		65536

struct lost_rec {
	struct perf_event_header hdr;
	__u64 id;
	__u64 lost;
};

static inline struct evbpf_perf *to_perf(struct evbpf__consumer *c)
{
	return (struct evbpf_perf *)c;
}

void *evbpf__perf_rec(struct evbpf__perf_ring *r, __u64 pos, __u32 size, bool *copied)
{
	size_t off = pos & (r->data_size - 1);
	size_t first;

	*copied = false;
	if (off + size <= r->data_size)
		return r->data + off;
	if (size > r->scratch_size) {
		__u8 *s = realloc(r->scratch, size);

		if (!s)
			return NULL;
		r->scratch = s;
		r->scratch_size = size;
	}
	first = r->data_size - off;
	memcpy(r->scratch, r->data + off, first);
	memcpy(r->scratch + first, r->data, size - first);
	*copied = true;
	return r->scratch;
}

static void perf_lost(struct evbpf_perf *perf, struct evbpf__perf_ring *r,
		      const struct lost_rec *l)
{
	perf->base.stats.lost += l->lost;
	if (perf->lost_fn)
		perf->lost_fn(perf->ctx, r->cpu, l->lost);
}

/* The position after the first @k records from r->tail (already validated). */
static __u64 perf_skip(const struct evbpf__perf_ring *r, size_t k)
{
	__u64 pos = r->tail;

	while (k--)
		pos += ((const struct perf_event_header *)
			(r->data + (pos & (r->data_size - 1))))->size;
	return pos;
}

int evbpf__perf_head(struct evbpf__perf_ring *r, __u64 *head)
{
	*head = evbpf__load_acquire(&r->ctl->data_head);
	/* positions are compared by distance only: they may wrap 2^64 */
	if (*head - r->tail > r->data_size) {
		/* the kernel never writes more than the ring holds ahead of
		 * the reader: a corrupt head is not walked */
		pr_warn("perf buffer cpu %d: head %llu more than the ring ahead of tail %llu; skipping to head",
			r->cpu, (unsigned long long)*head, (unsigned long long)r->tail);
		r->tail = *head;
		evbpf__perf_publish(r);
		return -EBADMSG;
	}
	return 0;
}

__u32 evbpf__perf_hdr_size(const struct evbpf__perf_ring *r, __u64 pos, __u64 head)
{
	const struct perf_event_header *eh;
	__u32 size;

	/* headers are 8-byte aligned: a corrupt position is not read */
	if (pos & 7)
		return 0;
	eh = (const void *)(r->data + (pos & (r->data_size - 1)));
	size = eh->size;
	if (size < sizeof(*eh) || size > head - pos || size > r->data_size)
		return 0;
	return size;
}

int evbpf__perf_bad(struct evbpf__perf_ring *r, __u64 pos, __u64 head, const char *what)
{
	pr_warn("perf buffer cpu %d: bad %s at offset %llu; skipping to head",
		r->cpu, what, (unsigned long long)(pos & (r->data_size - 1)));
	r->tail = head;
	evbpf__perf_publish(r);
	return -EBADMSG;
}

long evbpf__perf_read_ring(struct evbpf_perf *perf, int idx)
{
	struct evbpf__perf_ring *r = &perf->rings[idx];
	struct evbpf_stats *st = &perf->base.stats;
	const size_t mask = r->data_size - 1;
	const __u32 hsz = sizeof(struct perf_event_header);
	__u64 head, pos, walked, budget, bytes;
	long cnt = 0;
	size_t n, k, i, off;
	bool copied, used_scratch;
	int ret;

	if (r->fd < 0)
		return 0;
	ret = evbpf__perf_head(r, &head);
	if (ret)
		return ret;
	/* every batch advances the tail, and the walk ends at the head read
	 * at entry: at most data_size bytes */
	while (r->tail != head) {
		n = 0;
		bytes = 0;
		walked = 0;
		used_scratch = false;
		pos = r->tail;
		/* one batch stays in L1 while the callback reads it */
		budget = evbpf__min(head - pos, (__u64)PERF_BATCH_BYTES);
		while (walked < budget && n < perf->batch_max) {
			__u32 size = evbpf__perf_hdr_size(r, pos, head), type, len;
			__u8 *p;

			if (!size)
				return evbpf__perf_bad(r, pos, head, "record header");
			type = ((const struct perf_event_header *)(r->data + (pos & mask)))->type;
			off = pos & mask;
			if (__builtin_expect(type == PERF_RECORD_SAMPLE && off + size <= r->data_size, 1)) {
				/* the common case: a sample in place */
				p = r->data + off;
			} else {
				if (type != PERF_RECORD_SAMPLE && n)
					break;	/* deliver what precedes it first */
				if (used_scratch && off + size > r->data_size)
					break;	/* a second wrap: next batch */
				p = evbpf__perf_rec(r, pos, size, &copied);
				if (!p) {
					pr_warn("perf buffer cpu %d: no memory to copy a wrapped record of %u bytes",
						r->cpu, size);
					evbpf__perf_publish(r);
					return -ENOMEM;
				}
				used_scratch |= copied;
				if (type != PERF_RECORD_SAMPLE) {
					if (type == PERF_RECORD_LOST && size >= sizeof(struct lost_rec))
						perf_lost(perf, r, (const struct lost_rec *)p);
					pos += size;
					r->tail = pos;
					break;
				}
			}
			/* a sample: header, u32 size, the data */
			if (size < hsz + 4 || (len = *(const __u32 *)(p + hsz)) > size - hsz - 4)
				return evbpf__perf_bad(r, pos, head, "sample");
			perf->recs[n].data = p + hsz + 4;
			perf->recs[n].len = len;
			perf->recs[n].cpu = r->cpu;
			bytes += len;
			pos += size;
			walked += size;
			n++;
		}
		if (!n) {
			evbpf__perf_publish(r);
			continue;
		}
		ret = perf->fn(perf->ctx, perf->recs, n);
		st->batches++;
		if (ret < 0) {
			evbpf__perf_publish(r);
			return ret;
		}
		k = evbpf__min((size_t)ret, n);
		st->records += k;
		cnt += k;
		if (k < n) {
			for (i = 0; i < k; i++)
				st->bytes += perf->recs[i].len;
			r->tail = perf_skip(r, k);
			evbpf__perf_publish(r);
			perf->base.pending = true;
			break;
		}
		st->bytes += bytes;
		r->tail = pos;
		evbpf__perf_publish(r);
	}
	return cnt;
}

/* ---- consumer ops ---- */

/* Reads the CPU rings round-robin from where the last budget-limited
 * dispatch stopped, within the dispatch's budget. */
static int perf_service(struct evbpf__consumer *c, __u64 now, bool drain)
{
	struct evbpf_perf *perf = to_perf(c);
	size_t quota = evbpf__loop_quota(c);
	long total = 0, n = 0;
	int i, idx;

	c->pending = false;
	c->depth++;
	for (i = 0; i < perf->ring_cnt; i++) {
		idx = (perf->next_ring + i) % perf->ring_cnt;
		n = evbpf__perf_read_ring(perf, idx);
		if (n < 0)
			break;
		total += n;
		if (c->doomed || (c->pending && !drain))
			break;
		if (i + 1 < perf->ring_cnt &&
		    ((size_t)total >= quota || evbpf__loop_out_of_time(c))) {
			perf->next_ring = (idx + 1) % perf->ring_cnt;
			c->pending = true;
			break;
		}
	}
	c->depth--;
	if (n < 0)
		return (int)n;
	if (perf->flush_ns && c->loop && !c->loop->busy && !drain &&
	    (!c->deadline_ns || now >= c->deadline_ns))
		c->deadline_ns = now + perf->flush_ns;
	return (int)evbpf__min(total, (long)INT32_MAX);
}

static void perf_destroy(struct evbpf__consumer *c)
{
	struct evbpf_perf *perf = to_perf(c);
	int i;

	for (i = 0; perf->rings && i < perf->ring_cnt; i++) {
		struct evbpf__perf_ring *r = &perf->rings[i];

		if (r->fd >= 0) {
			int key = r->map_key;

			/* leave no stale ring behind in the map (our own
			 * duplicate of its fd: the caller's may be reused) */
			if (perf->map_fd >= 0)
				bpf_map_delete_elem(perf->map_fd, &key);
			ioctl(r->fd, PERF_EVENT_IOC_DISABLE, 0);
		}
		if (r->base && r->base != MAP_FAILED)
			munmap(r->base, r->mmap_size);
		evbpf__close(r->fd);
		free(r->scratch);
	}
	free(perf->rings);
	free(perf->recs);
	evbpf__close(perf->map_fd);
	free(perf);
}

static const struct evbpf__consumer_ops perf_ops = {
	.service = perf_service,
	.destroy = perf_destroy,
};

/* ---- construction ---- */

static int perf_open_ring(struct evbpf_perf *perf, struct evbpf__perf_ring *r,
			  const struct evbpf__perf_params *pp, size_t page_size)
{
	struct perf_event_attr attr = pp->attr;
	int err;

	r->fd = syscall(__NR_perf_event_open, &attr, -1, r->cpu, -1,
			PERF_FLAG_FD_CLOEXEC);
	if (r->fd < 0) {
		err = -errno;
		pr_warn("perf buffer: perf_event_open on cpu %d failed: %d", r->cpu, err);
		return err;
	}
	r->data_size = pp->page_cnt * page_size;
	r->mmap_size = r->data_size + page_size;
	r->base = mmap(NULL, r->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       r->fd, 0);
	if (r->base == MAP_FAILED) {
		err = -errno;
		r->base = NULL;
		pr_warn("perf buffer: mmap of cpu %d ring failed: %d", r->cpu, err);
		return err;
	}
	r->ctl = r->base;
	r->data = (__u8 *)r->base + page_size;
	r->tail = evbpf__load_acquire(&r->ctl->data_tail);
	if (ioctl(r->fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		err = -errno;
		pr_warn("perf buffer: enabling cpu %d ring failed: %d", r->cpu, err);
		return err;
	}
	if (bpf_map_update_elem(perf->map_fd, &r->map_key, &r->fd, BPF_ANY)) {
		err = -errno;
		pr_warn("perf buffer: storing cpu %d ring at key %d failed: %d",
			r->cpu, r->map_key, err);
		return err;
	}
	return 0;
}

struct evbpf_perf *evbpf__perf_open(struct evbpf_loop *loop, int map_fd,
				    const struct evbpf__perf_params *pp)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	size_t page_size = sysconf(_SC_PAGESIZE);
	bool *online = NULL;
	int online_cnt = 0, possible_cnt = 0, i, err, id;
	bool *possible = NULL;
	struct evbpf_perf *perf;

	if (!pp->page_cnt || (pp->page_cnt & (pp->page_cnt - 1))) {
		pr_warn("perf buffer: page count %zu is not a power of two", pp->page_cnt);
		return evbpf__err_ptr(-EINVAL);
	}
	if (bpf_map_get_info_by_fd(map_fd, &info, &info_len)) {
		err = -errno;
		pr_warn("perf buffer: map fd %d: cannot get map info: %d", map_fd, err);
		return evbpf__err_ptr(err);
	}
	if (info.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		pr_warn("perf buffer: map fd %d is of type %u, not a perf event array",
			map_fd, info.type);
		return evbpf__err_ptr(-EINVAL);
	}

	perf = calloc(1, sizeof(*perf));
	if (!perf) {
		pr_warn("perf buffer: map fd %d: no memory for the consumer", map_fd);
		return evbpf__err_ptr(-ENOMEM);
	}
	perf->base.ops = &perf_ops;
	perf->batch_max = pp->batch_max ?: PERF_DEFAULT_BATCH;
	perf->flush_ns = pp->flush_ns;
	perf->map_fd = fcntl(map_fd, F_DUPFD_CLOEXEC, 3);
	if (perf->map_fd < 0) {
		err = -errno;
		pr_warn("perf buffer: map fd %d: cannot duplicate it: %d", map_fd, err);
		goto err_out;
	}
	if (perf->batch_max > PERF_MAX_BATCH) {
		pr_warn("perf buffer: map fd %d: batch_max %u out of range (at most %u)",
			map_fd, perf->batch_max, PERF_MAX_BATCH);
		err = -EINVAL;
		goto err_out;
	}
	err = -ENOMEM;
	perf->recs = calloc(perf->batch_max, sizeof(*perf->recs));
	if (!perf->recs) {
		pr_warn("perf buffer: map fd %d: no memory for a batch of %u records",
			map_fd, perf->batch_max);
		goto err_out;
	}

	if (pp->cpu_cnt > 0) {
		perf->ring_cnt = pp->cpu_cnt;
	} else {
		err = evbpf__parse_cpu_list("/sys/devices/system/cpu/possible",
					    &possible, &possible_cnt);
		if (!err)
			err = evbpf__parse_cpu_list("/sys/devices/system/cpu/online",
						    &online, &online_cnt);
		if (err) {
			pr_warn("perf buffer: map fd %d: cannot read the possible and online CPUs: %d",
				map_fd, err);
			goto err_out;
		}
		perf->ring_cnt = evbpf__min(possible_cnt, (int)info.max_entries);
	}
	err = -ENOMEM;
	perf->rings = calloc(perf->ring_cnt, sizeof(*perf->rings));
	if (!perf->rings) {
		pr_warn("perf buffer: map fd %d: no memory for %d rings", map_fd, perf->ring_cnt);
		goto err_out;
	}
	for (i = 0; i < perf->ring_cnt; i++) {
		perf->rings[i].fd = -1;
		perf->rings[i].watch = -1;
	}

	for (i = 0; i < perf->ring_cnt; i++) {
		struct evbpf__perf_ring *r = &perf->rings[i];

		if (pp->cpu_cnt > 0) {
			r->cpu = pp->cpus[i];
			r->map_key = pp->map_keys[i];
		} else {
			r->cpu = i;
			r->map_key = i;
			/* possible but offline: no ring, no failure */
			if (!possible[i] || i >= online_cnt || !online[i])
				continue;
		}
		err = perf_open_ring(perf, r, pp, page_size);
		if (err)
			goto err_out;
	}

	if (loop) {
		evbpf__loop_link(loop, &perf->base);
		for (i = 0; i < perf->ring_cnt; i++) {
			if (perf->rings[i].fd < 0)
				continue;
			id = evbpf__loop_watch(loop, perf->rings[i].fd, &perf->base);
			if (id < 0) {
				err = id;
				pr_warn("perf buffer: map fd %d: cannot watch the cpu %d ring: %d",
					map_fd, perf->rings[i].cpu, err);
				goto err_out;
			}
			perf->rings[i].watch = id;
		}
	}
	free(possible);
	free(online);
	return perf;

err_out:
	free(possible);
	free(online);
	evbpf__loop_unlink(&perf->base);
	perf_destroy(&perf->base);
	return evbpf__err_ptr(err);
}

/* ---- public API ---- */

struct evbpf_perf *evbpf_perf_new(struct evbpf_loop *loop, int map_fd,
				  evbpf_batch_fn fn, evbpf_lost_fn lost_fn,
				  void *ctx, const struct evbpf_perf_opts *opts)
{
	struct evbpf__perf_params pp = {};
	__u32 wakeup_events, watermark, flush_us;
	struct evbpf_perf *perf;

	if (!OPTS_VALID(opts, evbpf_perf_opts, flush_usec))
		return evbpf__err_ptr(-EINVAL);
	if (!fn)
		return evbpf__err_ptr(-EINVAL);
	pp.page_cnt = OPTS_GET(opts, page_cnt, 0) ?: PERF_DEFAULT_PAGES;
	pp.batch_max = OPTS_GET(opts, batch_max, 0);
	wakeup_events = OPTS_GET(opts, wakeup_events, 0);
	watermark = OPTS_GET(opts, watermark_bytes, 0);
	flush_us = OPTS_GET(opts, flush_usec, 0);
	if (!flush_us && wakeup_events != 1)
		flush_us = PERF_DEFAULT_FLUSH_US;
	pp.flush_ns = (__u64)flush_us * 1000;

	pp.attr.size = sizeof(pp.attr);
	pp.attr.type = PERF_TYPE_SOFTWARE;
	pp.attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	pp.attr.sample_type = PERF_SAMPLE_RAW;
	pp.attr.sample_period = 1;
	if (wakeup_events) {
		pp.attr.wakeup_events = wakeup_events;
	} else {
		pp.attr.watermark = 1;
		pp.attr.wakeup_watermark = watermark ?:
			(__u32)(pp.page_cnt * sysconf(_SC_PAGESIZE) / 4);
	}

	perf = evbpf__perf_open(loop, map_fd, &pp);
	if (!perf)
		return NULL;
	perf->fn = fn;
	perf->lost_fn = lost_fn;
	perf->ctx = ctx;
	if (loop)
		evbpf__loop_kick(loop);
	return perf;
}

/* The callback of a consumer freed from inside a delivery: stops it. */
static int perf_stop_fn(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	return 0;
}

void evbpf_perf_free(struct evbpf_perf *perf)
{
	if (!perf)
		return;
	if (!evbpf__consumer_release(&perf->base)) {
		/* from a callback: no further batch; freed on unwind */
		perf->fn = perf_stop_fn;
		return;
	}
	perf_destroy(&perf->base);
}

int evbpf_perf_consume(struct evbpf_perf *perf)
{
	long total = 0, n = 0;
	int i;

	if (!perf)
		return evbpf__err(-EINVAL);
	if (perf->base.depth || perf->base.doomed) {
		pr_warn("perf buffer: consume called from inside its own delivery");
		return evbpf__err(-EBUSY);
	}
	perf->base.depth++;
	for (i = 0; i < perf->ring_cnt && !perf->base.doomed; i++) {
		n = evbpf__perf_read_ring(perf, i);
		if (n < 0)
			break;
		total += n;
	}
	perf->base.depth--;
	evbpf__consumer_unwind(&perf->base);
	if (n < 0)
		return evbpf__err((int)n);
	return (int)evbpf__min(total, (long)INT32_MAX);
}

int evbpf_perf_stats(const struct evbpf_perf *perf, struct evbpf_stats *stats)
{
	if (!perf || !stats)
		return evbpf__err(-EINVAL);
	*stats = perf->base.stats;
	return 0;
}
