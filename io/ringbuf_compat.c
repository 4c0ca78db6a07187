// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf-compatible ring_buffer__* and ring__* on top of the ring reader of
 * ringbuf.c: each ring is a standalone evbpf_ring, the manager owns an epoll
 * set (level-triggered, as libbpf's, so a ring left non-empty by a stopping
 * callback reports again on the next poll). ring_buffer__poll() first takes
 * what is already committed without a syscall and only calls epoll_wait()
 * when every ring is empty. Records go to the per-record
 * callback straight from the reader's walk, in place; a negative callback
 * return consumes that record, stops, and is returned.
 *
 * A flat-out producer: when a poll that may wait (a timeout other than 0)
 * delivers a large run from a ring, it keeps that ring's last record
 * unpublished and looks again after a nap instead of returning to
 * epoll_wait(): the loop's hold period, shorter when at the rate seen an
 * eighth of the ring would fill meanwhile (ringbuf_internal.h). No commit finds the consumer caught up meanwhile, so the
 * producer fires no wakeups (each costs it microseconds) and the next look
 * takes a large batch. The poll returns once the producer slows down (a look
 * finds a shorter run) or its timeout is spent, and always
 * with every consumed record published: between two calls nothing is held.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <time.h>
#include <sys/epoll.h>

#include "bpf/libbpf.h"
#include "ringbuf_internal.h"

struct ring {
	struct evbpf_ring *rd;
	ring_buffer_sample_fn cb;
	void *ctx;
};

struct ring_buffer {
	struct ring **rings;
	struct epoll_event *events;
	int cnt;
	int epoll_fd;
};

/* A poll that may wait forever holds for this long at most. */
#define POLL_HOLD_MAX_NS	10000000ull

/*
 * Consumes up to @limit records of @r, with @hold keeping the last one of a
 * large run unpublished (see the file comment). Records consumed or -errno.
 */
static long ring_consume_hold(struct ring *r, size_t limit, bool hold)
{
	size_t hold_min = hold && r->rd->size >= EVBPF__RING_HOLD_MIN_SIZE ?
			  EVBPF__RING_HOLD_RECORDS : SIZE_MAX;
	long n;
	int cb_err;

	n = evbpf__ring_deliver_each_hold(r->rd, limit, r->cb, r->ctx, hold_min, &cb_err);
	if (cb_err)
		return cb_err;
	return n;
}

static long ring_consume_limit(struct ring *r, size_t limit)
{
	return ring_consume_hold(r, limit, false);
}

static bool ring_held(const struct ring *r)
{
	return r->rd->pub != r->rd->cons;
}

struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb,
				     void *ctx, const struct ring_buffer_opts *opts)
{
	struct ring_buffer *rb;
	int err;

	if (!OPTS_VALID(opts, ring_buffer_opts, sz))
		return evbpf__err_ptr(-EINVAL);
	rb = calloc(1, sizeof(*rb));
	if (!rb) {
		pr_warn("ringbuf: no memory for the ring_buffer manager");
		return evbpf__err_ptr(-ENOMEM);
	}
	rb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epoll_fd < 0) {
		err = -errno;
		pr_warn("ringbuf: epoll_create1 failed: %d", err);
		free(rb);
		return evbpf__err_ptr(err);
	}
	err = ring_buffer__add(rb, map_fd, sample_cb, ctx);
	if (err) {
		ring_buffer__free(rb);
		return evbpf__err_ptr(err);
	}
	return rb;
}

int ring_buffer__add(struct ring_buffer *rb, int map_fd,
		     ring_buffer_sample_fn sample_cb, void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct epoll_event *evs;
	struct ring **rings;
	struct ring *r;
	int err;

	if (!rb || !sample_cb)
		return evbpf__err(-EINVAL);
	rings = realloc(rb->rings, (rb->cnt + 1) * sizeof(*rings));
	evs = rings ? realloc(rb->events, (rb->cnt + 1) * sizeof(*evs)) : NULL;
	r = evs ? calloc(1, sizeof(*r)) : NULL;
	if (rings)
		rb->rings = rings;
	if (evs)
		rb->events = evs;
	if (!r) {
		pr_warn("ringbuf: map fd %d: no memory to add the ring", map_fd);
		return evbpf__err(-ENOMEM);
	}
	r->cb = sample_cb;
	r->ctx = ctx;
	/* pull-only reader: records go straight to the sample callback */
	r->rd = evbpf_ring_new(NULL, map_fd, NULL, NULL, NULL);
	if (!r->rd) {
		err = -errno;
		free(r);
		return evbpf__err(err);
	}
	ev.data.u32 = rb->cnt;
	if (epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev)) {
		err = -errno;
		pr_warn("ringbuf: map fd %d: epoll_ctl failed: %d", map_fd, err);
		evbpf_ring_free(r->rd);
		free(r);
		return evbpf__err(err);
	}
	rb->rings[rb->cnt++] = r;
	return 0;
}

void ring_buffer__free(struct ring_buffer *rb)
{
	int i;

	if (!rb)
		return;
	for (i = 0; i < rb->cnt; i++) {
		evbpf_ring_free(rb->rings[i]->rd);
		free(rb->rings[i]);
	}
	evbpf__close(rb->epoll_fd);
	free(rb->rings);
	free(rb->events);
	free(rb);
}

int ring_buffer__consume_n(struct ring_buffer *rb, size_t n)
{
	long total = 0, ret;
	int i;

	if (!rb)
		return evbpf__err(-EINVAL);
	for (i = 0; i < rb->cnt && (size_t)total < n; i++) {
		ret = ring_consume_limit(rb->rings[i], n - (size_t)total);
		if (ret < 0)
			return evbpf__err((int)ret);
		total += ret;
	}
	return (int)evbpf__min(total, (long)INT_MAX);
}

int ring_buffer__consume(struct ring_buffer *rb)
{
	return ring_buffer__consume_n(rb, SIZE_MAX);
}

/* What a look found: a ring still held, the ring bytes it consumed, an
 * eighth of the smallest held ring. */
struct look {
	bool held;
	unsigned long bytes;
	size_t room;
};

/* Consumes @r per @hold and adds what it found to @lk. Records or -errno. */
static long look_ring(struct ring *r, bool hold, struct look *lk)
{
	unsigned long from = r->rd->cons;
	long ret = ring_consume_hold(r, SIZE_MAX, hold);

	if (ret < 0)
		return ret;
	lk->bytes += r->rd->cons - from;
	if (ring_held(r)) {
		lk->held = true;
		lk->room = evbpf__min(lk->room, r->rd->size / 8);
	}
	return ret;
}

static void look_init(struct look *lk)
{
	lk->held = false;
	lk->bytes = 0;
	lk->room = SIZE_MAX;
}

/*
 * One look at every ring that has records (or is held): consumes them,
 * holding per @hold, and fills @lk. Records consumed or -errno.
 */
static long poll_look(struct ring_buffer *rb, bool hold, struct look *lk)
{
	long total = 0, ret;
	struct ring *r;
	int i;

	look_init(lk);
	for (i = 0; i < rb->cnt; i++) {
		r = rb->rings[i];
		/* positions are two loads, epoll_wait a microsecond */
		if (evbpf__ring_prod(r->rd) == r->rd->cons && !ring_held(r))
			continue;
		ret = look_ring(r, hold, lk);
		if (ret < 0)
			return ret;
		total += ret;
	}
	return total;
}

/*
 * Publishes every held ring. With @take it first takes what arrived
 * meanwhile (a producer that found us held sent no wakeup), stopping at a
 * callback's error. Records consumed or -errno.
 */
static long poll_release(struct ring_buffer *rb, bool take)
{
	long total = 0, ret;
	struct ring *r;
	int i;

	for (i = 0; i < rb->cnt; i++) {
		r = rb->rings[i];
		if (!ring_held(r))
			continue;
		if (take) {
			ret = ring_consume_limit(r, SIZE_MAX);
			if (ret < 0) {
				total = ret;
				take = false;
			} else {
				total += ret;
			}
		}
		evbpf__ring_publish(r->rd, r->rd->cons);
	}
	return total;
}

/* While a ring is held (@lk, from the look just made): look again after a
 * nap, until the producers slow down or @end_ns. */
static long poll_hold(struct ring_buffer *rb, struct look *lk, __u64 end_ns)
{
	__u64 now = evbpf__now_ns(), prev = 0, nap;
	struct timespec ts = { 0 };
	long total = 0, ret;

	while (lk->held) {
		/* the first nap knows no rate: the whole period */
		nap = evbpf__ring_hold_ns(lk->room, lk->bytes, prev ? now - prev : 0);
		if (now + nap > end_ns)
			break;
		ts.tv_nsec = (long)nap;
		nanosleep(&ts, NULL);
		prev = now;
		ret = poll_look(rb, true, lk);
		if (ret < 0) {
			poll_release(rb, false);
			return ret;
		}
		total += ret;
		now = evbpf__now_ns();
	}
	ret = poll_release(rb, true);
	return ret < 0 ? ret : total + ret;
}

int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms)
{
	bool hold = timeout_ms != 0;
	struct look lk;
	__u64 end_ns = 0;
	long total, ret;
	int i, cnt;

	if (!rb)
		return evbpf__err(-EINVAL);
	if (hold)
		end_ns = evbpf__now_ns() + (timeout_ms > 0 ?
			 (__u64)timeout_ms * 1000000ull : POLL_HOLD_MAX_NS);
	/* records already waiting need no epoll_wait */
	total = poll_look(rb, hold, &lk);
	if (total < 0)
		goto fail;
	if (!total) {
		cnt = epoll_wait(rb->epoll_fd, rb->events, rb->cnt, timeout_ms);
		if (cnt < 0)
			return evbpf__err(-errno);
		for (i = 0; i < cnt; i++) {
			__u32 idx = rb->events[i].data.u32;

			if (idx >= (__u32)rb->cnt)
				continue;
			ret = look_ring(rb->rings[idx], hold, &lk);
			if (ret < 0) {
				total = ret;
				goto fail;
			}
			total += ret;
		}
	}
	if (lk.held) {
		ret = poll_hold(rb, &lk, end_ns);
		if (ret < 0)
			return evbpf__err((int)ret);
		total += ret;
	}
	return (int)evbpf__min(total, (long)INT_MAX);
fail:
	poll_release(rb, false);
	return evbpf__err((int)total);
}

int ring_buffer__epoll_fd(const struct ring_buffer *rb)
{
	return rb ? rb->epoll_fd : evbpf__err(-EINVAL);
}

struct ring *ring_buffer__ring(struct ring_buffer *rb, unsigned int idx)
{
	if (!rb || idx >= (unsigned int)rb->cnt)
		return evbpf__err_ptr(-ENOENT);
	return rb->rings[idx];
}

unsigned long ring__consumer_pos(const struct ring *r)
{
	return evbpf__load_acquire(r->rd->cons_page);
}

unsigned long ring__producer_pos(const struct ring *r)
{
	return evbpf__ring_prod(r->rd);
}

size_t ring__avail_data_size(const struct ring *r)
{
	return ring__producer_pos(r) - ring__consumer_pos(r);
}

size_t ring__size(const struct ring *r)
{
	return r->rd->size;
}

int ring__map_fd(const struct ring *r)
{
	return r->rd->map_fd;
}

int ring__consume_n(struct ring *r, size_t n)
{
	long ret;

	if (!r)
		return evbpf__err(-EINVAL);
	ret = ring_consume_limit(r, n);
	if (ret < 0)
		return evbpf__err((int)ret);
	return (int)evbpf__min(ret, (long)INT_MAX);
}

int ring__consume(struct ring *r)
{
	return ring__consume_n(r, SIZE_MAX);
}
