// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User ring buffer (BPF_MAP_TYPE_USER_RINGBUF): user space produces, BPF
 * programs drain with bpf_user_ringbuf_drain().
 *
 * Mapping: page 0 holds the kernel's consumer position and may only be
 * mapped read-only; from page 1 on come our producer position and the data
 * area (mapped twice by the kernel, so a sample never wraps), read-write.
 *
 * Protocol: reserve writes the header (length | BUSY) and then publishes the
 * new producer position with a release store; submit/discard replace the
 * header with a release store (BUSY cleared, DISCARD set for discard). The
 * kernel stops draining at a BUSY header, so samples are seen in order.
 * Reserving is single-producer (callers serialise); submit and discard touch
 * only their own header. The map fd is watched edge-triggered for EPOLLOUT:
 * the kernel wakes the producer after a drain consumed samples, and a ring
 * that has some room, but not enough, must not make the wait return at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>

#include "bpf/bpf.h"
#include "bpf/libbpf.h"
#include "io_internal.h"

#define URB_BUSY	(1U << 31)
#define URB_DISCARD	(1U << 30)
#define URB_HDR_SZ	8

struct user_ring_buffer {
	int map_fd;
	int epoll_fd;
	size_t page_size;
	size_t size;
	unsigned long *cons_page;	/* RO: kernel's consumer position */
	unsigned long *prod_page;	/* RW: our producer position, data */
	__u8 *data;
};

void user_ring_buffer__free(struct user_ring_buffer *rb)
{
	if (!rb)
		return;
	if (rb->cons_page && rb->cons_page != MAP_FAILED)
		munmap(rb->cons_page, rb->page_size);
	if (rb->prod_page && rb->prod_page != MAP_FAILED)
		munmap(rb->prod_page, rb->page_size + 2 * rb->size);
	evbpf__close(rb->epoll_fd);
	free(rb);
}

struct user_ring_buffer *user_ring_buffer__new(int map_fd,
					       const struct user_ring_buffer_opts *opts)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
	struct user_ring_buffer *rb;
	int err;

	if (!OPTS_VALID(opts, user_ring_buffer_opts, sz))
		return evbpf__err_ptr(-EINVAL);
	if (bpf_map_get_info_by_fd(map_fd, &info, &info_len)) {
		err = -errno;
		pr_warn("user ringbuf: map fd %d: cannot get map info: %d", map_fd, err);
		return evbpf__err_ptr(err);
	}
	if (info.type != BPF_MAP_TYPE_USER_RINGBUF) {
		pr_warn("user ringbuf: map fd %d is of type %u, not a user ring buffer",
			map_fd, info.type);
		return evbpf__err_ptr(-EINVAL);
	}

	rb = calloc(1, sizeof(*rb));
	if (!rb) {
		pr_warn("user ringbuf: map fd %d: no memory for the producer", map_fd);
		return evbpf__err_ptr(-ENOMEM);
	}
	rb->map_fd = map_fd;
	rb->page_size = sysconf(_SC_PAGESIZE);
	rb->size = info.max_entries;
	rb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (rb->epoll_fd < 0) {
		err = -errno;
		pr_warn("user ringbuf: map fd %d: epoll_create1 failed: %d", map_fd, err);
		goto err_out;
	}
	rb->cons_page = mmap(NULL, rb->page_size, PROT_READ, MAP_SHARED, map_fd, 0);
	if (rb->cons_page == MAP_FAILED) {
		err = -errno;
		pr_warn("user ringbuf: map fd %d: mmap of the consumer page failed: %d",
			map_fd, err);
		goto err_out;
	}
	rb->prod_page = mmap(NULL, rb->page_size + 2 * rb->size,
			     PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, rb->page_size);
	if (rb->prod_page == MAP_FAILED) {
		err = -errno;
		pr_warn("user ringbuf: map fd %d: mmap of the data pages failed: %d",
			map_fd, err);
		goto err_out;
	}
	rb->data = (__u8 *)rb->prod_page + rb->page_size;
	if (epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev)) {
		err = -errno;
		pr_warn("user ringbuf: map fd %d: epoll_ctl failed: %d", map_fd, err);
		goto err_out;
	}
	return rb;

err_out:
	user_ring_buffer__free(rb);
	return evbpf__err_ptr(err);
}

void *user_ring_buffer__reserve(struct user_ring_buffer *rb, __u32 size)
{
	unsigned long cons, prod, total;
	__u32 *hdr;

	if (!rb)
		return evbpf__err_ptr(-EINVAL);
	total = ((unsigned long)size + URB_HDR_SZ + 7) & ~7UL;
	if (size & (URB_BUSY | URB_DISCARD) || total > rb->size)
		return evbpf__err_ptr(-E2BIG);
	cons = evbpf__load_acquire(rb->cons_page);
	/* only we write the producer position */
	prod = *rb->prod_page;
	if (prod - cons + total > rb->size)
		return evbpf__err_ptr(-ENOSPC);
	hdr = (__u32 *)(rb->data + (prod & (rb->size - 1)));
	hdr[0] = size | URB_BUSY;
	hdr[1] = 0;
	evbpf__store_release(rb->prod_page, prod + total);
	return hdr + 2;
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void *user_ring_buffer__reserve_blocking(struct user_ring_buffer *rb, __u32 size,
					 int timeout_ms)
{
	struct epoll_event ev;
	__u64 start, elapsed;
	void *sample;
	int cnt, wait;

	if (!rb || timeout_ms < -1)
		return evbpf__err_ptr(-EINVAL);
	start = now_ms();
	for (;;) {
		sample = user_ring_buffer__reserve(rb, size);
		if (sample || errno != ENOSPC)
			return sample;
		elapsed = now_ms() - start;
		if (timeout_ms >= 0 && elapsed >= (__u64)timeout_ms)
			return evbpf__err_ptr(-ENOSPC);
		wait = timeout_ms < 0 ? -1 : (int)((__u64)timeout_ms - elapsed);
		cnt = epoll_wait(rb->epoll_fd, &ev, 1, wait);
		if (cnt < 0)
			return evbpf__err_ptr(-errno);
	}
}

static void urb_finish(void *sample, __u32 flag)
{
	__u32 *hdr = (__u32 *)sample - 2;
	__u32 len = hdr[0] & ~(URB_BUSY | URB_DISCARD);

	evbpf__store_release(hdr, len | flag);
}

void user_ring_buffer__submit(struct user_ring_buffer *rb, void *sample)
{
	if (rb && sample)
		urb_finish(sample, 0);
}

void user_ring_buffer__discard(struct user_ring_buffer *rb, void *sample)
{
	if (rb && sample)
		urb_finish(sample, URB_DISCARD);
}
