// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf-compatible perf_buffer__* on the perf reader of perfbuf.c: the
 * manager owns a standalone reader and an epoll set with one entry per CPU
 * ring (level-triggered, as libbpf's). Samples reach the per-record callback
 * one by one out of the reader's batches.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "bpf/libbpf.h"
#include "perfbuf_internal.h"

struct perf_buffer {
	struct evbpf_perf *rd;
	perf_buffer_sample_fn sample_cb;
	perf_buffer_lost_fn lost_cb;
	void *ctx;
	int epoll_fd;
	struct epoll_event *events;
	int ring_live;		/* rings actually opened */
};

static int compat_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct perf_buffer *pb = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		pb->sample_cb(pb->ctx, recs[i].cpu, (void *)recs[i].data, recs[i].len);
	return (int)n;
}

static void compat_lost(void *ctx, int cpu, __u64 cnt)
{
	struct perf_buffer *pb = ctx;

	if (pb->lost_cb)
		pb->lost_cb(pb->ctx, cpu, cnt);
}

static struct perf_buffer *pb_new(int map_fd, const struct evbpf__perf_params *pp,
				  perf_buffer_event_fn raw_fn, void *raw_ctx,
				  perf_buffer_sample_fn sample_cb,
				  perf_buffer_lost_fn lost_cb, void *ctx)
{
	struct perf_buffer *pb;
	int i, err;

	pb = calloc(1, sizeof(*pb));
	if (!pb) {
		pr_warn("perf buffer: map fd %d: no memory for the perf_buffer", map_fd);
		return evbpf__err_ptr(-ENOMEM);
	}
	pb->sample_cb = sample_cb;
	pb->lost_cb = lost_cb;
	pb->ctx = ctx;
	pb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (pb->epoll_fd < 0) {
		err = -errno;
		pr_warn("perf buffer: map fd %d: epoll_create1 failed: %d", map_fd, err);
		goto err_out;
	}
	pb->rd = evbpf__perf_open(NULL, map_fd, pp);
	if (!pb->rd) {
		err = -errno;
		goto err_out;
	}
	if (raw_fn) {
		pb->rd->raw_fn = raw_fn;
		pb->rd->ctx = raw_ctx;
	} else {
		pb->rd->fn = compat_batch;
		pb->rd->lost_fn = compat_lost;
		pb->rd->ctx = pb;
	}
	err = -ENOMEM;
	pb->events = calloc(pb->rd->ring_cnt ?: 1, sizeof(*pb->events));
	if (!pb->events) {
		pr_warn("perf buffer: map fd %d: no memory for %d epoll events", map_fd,
			pb->rd->ring_cnt);
		goto err_out;
	}
	for (i = 0; i < pb->rd->ring_cnt; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

		if (pb->rd->rings[i].fd < 0)
			continue;
		if (epoll_ctl(pb->epoll_fd, EPOLL_CTL_ADD, pb->rd->rings[i].fd, &ev)) {
			err = -errno;
			pr_warn("perf buffer: epoll_ctl on cpu %d ring failed: %d",
				pb->rd->rings[i].cpu, err);
			goto err_out;
		}
		pb->ring_live++;
	}
	return pb;

err_out:
	perf_buffer__free(pb);
	return evbpf__err_ptr(err);
}

struct perf_buffer *perf_buffer__new(int map_fd, size_t page_cnt,
				     perf_buffer_sample_fn sample_cb,
				     perf_buffer_lost_fn lost_cb, void *ctx,
				     const struct perf_buffer_opts *opts)
{
	struct evbpf__perf_params pp = {};
	__u32 period;

	if (!OPTS_VALID(opts, perf_buffer_opts, sample_period))
		return evbpf__err_ptr(-EINVAL);
	if (!sample_cb)
		return evbpf__err_ptr(-EINVAL);
	period = OPTS_GET(opts, sample_period, 0);
	pp.page_cnt = page_cnt;
	pp.attr.size = sizeof(pp.attr);
	pp.attr.type = PERF_TYPE_SOFTWARE;
	pp.attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	pp.attr.sample_type = PERF_SAMPLE_RAW;
	/* as libbpf: the period is both; BPF output ignores sample_period */
	pp.attr.sample_period = period ?: 1;
	pp.attr.wakeup_events = period ?: 1;
	return pb_new(map_fd, &pp, NULL, NULL, sample_cb, lost_cb, ctx);
}

struct perf_buffer *perf_buffer__new_raw(int map_fd, size_t page_cnt,
					 struct perf_event_attr *attr,
					 perf_buffer_event_fn event_cb, void *ctx,
					 const struct perf_buffer_raw_opts *opts)
{
	struct evbpf__perf_params pp = {};

	if (!OPTS_VALID(opts, perf_buffer_raw_opts, map_keys))
		return evbpf__err_ptr(-EINVAL);
	if (!attr || !event_cb)
		return evbpf__err_ptr(-EINVAL);
	pp.page_cnt = page_cnt;
	pp.attr = *attr;
	pp.cpu_cnt = OPTS_GET(opts, cpu_cnt, 0);
	pp.cpus = OPTS_GET(opts, cpus, NULL);
	pp.map_keys = OPTS_GET(opts, map_keys, NULL);
	if (pp.cpu_cnt < 0 || (pp.cpu_cnt > 0 && (!pp.cpus || !pp.map_keys)))
		return evbpf__err_ptr(-EINVAL);
	return pb_new(map_fd, &pp, event_cb, ctx, NULL, NULL, NULL);
}

void perf_buffer__free(struct perf_buffer *pb)
{
	if (!pb)
		return;
	evbpf_perf_free(pb->rd);
	evbpf__close(pb->epoll_fd);
	free(pb->events);
	free(pb);
}

/* Raw mode: every record to raw_fn, libbpf's perf_event_read_simple rules. */
long evbpf__perf_read_raw(struct evbpf_perf *perf, int idx)
{
	struct evbpf__perf_ring *r = &perf->rings[idx];
	__u64 head;
	long cnt = 0;
	bool copied;
	__u32 size;
	int ret;
	void *p;

	if (r->fd < 0)
		return 0;
	ret = evbpf__perf_head(r, &head);
	if (ret)
		return ret;
	while (r->tail != head) {
		size = evbpf__perf_hdr_size(r, r->tail, head);
		if (!size)
			return evbpf__perf_bad(r, r->tail, head, "record header");
		p = evbpf__perf_rec(r, r->tail, size, &copied);
		if (!p) {
			pr_warn("perf buffer cpu %d: no memory to copy a wrapped record of %u bytes",
				r->cpu, size);
			evbpf__perf_publish(r);
			return -ENOMEM;
		}
		ret = perf->raw_fn(perf->ctx, r->cpu, p);
		r->tail += size;
		cnt++;
		if (ret != LIBBPF_PERF_EVENT_CONT) {
			evbpf__perf_publish(r);
			return ret;
		}
	}
	evbpf__perf_publish(r);
	return cnt;
}

/* Reads ring @idx the way the buffer was created: raw or in batches. */
static long pb_read_ring(struct perf_buffer *pb, int idx)
{
	if (pb->rd->raw_fn)
		return evbpf__perf_read_raw(pb->rd, idx);
	return evbpf__perf_read_ring(pb->rd, idx);
}

int perf_buffer__epoll_fd(const struct perf_buffer *pb)
{
	return pb ? pb->epoll_fd : evbpf__err(-EINVAL);
}

int perf_buffer__consume_buffer(struct perf_buffer *pb, size_t buf_idx)
{
	long ret;

	if (!pb || buf_idx >= (size_t)pb->rd->ring_cnt || pb->rd->rings[buf_idx].fd < 0)
		return evbpf__err(-ENOENT);
	ret = pb_read_ring(pb, (int)buf_idx);
	return ret < 0 ? evbpf__err((int)ret) : 0;
}

int perf_buffer__consume(struct perf_buffer *pb)
{
	int i;
	long ret;

	if (!pb)
		return evbpf__err(-EINVAL);
	for (i = 0; i < pb->rd->ring_cnt; i++) {
		ret = pb_read_ring(pb, i);
		if (ret < 0)
			return evbpf__err((int)ret);
	}
	return 0;
}

int perf_buffer__poll(struct perf_buffer *pb, int timeout_ms)
{
	int cnt, i;
	long ret;

	if (!pb)
		return evbpf__err(-EINVAL);
	cnt = epoll_wait(pb->epoll_fd, pb->events, pb->ring_live ?: 1, timeout_ms);
	if (cnt < 0)
		return evbpf__err(-errno);
	for (i = 0; i < cnt; i++) {
		__u32 idx = pb->events[i].data.u32;

		if (idx >= (__u32)pb->rd->ring_cnt)
			continue;
		ret = pb_read_ring(pb, (int)idx);
		if (ret < 0)
			return evbpf__err((int)ret);
	}
	return cnt;
}

size_t perf_buffer__buffer_cnt(const struct perf_buffer *pb)
{
	return pb ? (size_t)pb->rd->ring_cnt : 0;
}

int perf_buffer__buffer_fd(const struct perf_buffer *pb, size_t buf_idx)
{
	if (!pb || buf_idx >= (size_t)pb->rd->ring_cnt || pb->rd->rings[buf_idx].fd < 0)
		return evbpf__err(-ENOENT);
	return pb->rd->rings[buf_idx].fd;
}

int perf_buffer__buffer(struct perf_buffer *pb, int buf_idx, void **buf,
			size_t *buf_size)
{
	if (!pb || buf_idx < 0 || buf_idx >= pb->rd->ring_cnt ||
	    pb->rd->rings[buf_idx].fd < 0)
		return evbpf__err(-ENOENT);
	*buf = pb->rd->rings[buf_idx].base;
	*buf_size = pb->rd->rings[buf_idx].mmap_size;
	return 0;
}
