// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * epoll backend: the loop fd is an epoll fd. Ring and perf fds are watched
 * edge-triggered: a ring a consumer deliberately leaves non-empty (coalescing,
 * held records) must not keep the loop fd readable; only a producer's wakeup
 * should. The loop's own eventfd ("kick": work left over) and timerfd are
 * level-triggered and read by the loop.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "io_internal.h"

#define EPOLL_BATCH 64

static int ep_ctl(struct evbpf_loop *loop, int op, int fd, __u32 events, int id)
{
	struct epoll_event ev = { .events = events, .data.u64 = (__u64)id };

	loop->stats.syscalls++;
	if (epoll_ctl(loop->fd, op, fd, &ev))
		return -errno;
	return 0;
}

static int ep_init(struct evbpf_loop *loop, const struct evbpf_loop_opts *opts)
{
	int err;

	loop->fd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->fd < 0)
		return -errno;
	loop->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (loop->kick_fd < 0)
		return -errno;
	/* the kick fd is not a watch: id -1 marks it */
	err = ep_ctl(loop, EPOLL_CTL_ADD, loop->kick_fd, EPOLLIN, -1);
	if (err)
		return err;
	return 0;
}

static void ep_fini(struct evbpf_loop *loop)
{
	evbpf__close(loop->kick_fd);
	evbpf__close(loop->fd);
	loop->kick_fd = -1;
	loop->fd = -1;
}

static int ep_add(struct evbpf_loop *loop, int id)
{
	const struct evbpf__watch *w = &loop->watches[id];
	__u32 events = EPOLLIN;

	if (w->owner)
		events |= EPOLLET;
	return ep_ctl(loop, EPOLL_CTL_ADD, w->fd, events, id);
}

static bool ep_del(struct evbpf_loop *loop, int id)
{
	/* the fd may already be closed by its owner; nothing to undo then */
	ep_ctl(loop, EPOLL_CTL_DEL, loop->watches[id].fd, 0, id);
	return true;
}

static int ep_handle(struct evbpf_loop *loop, const struct epoll_event *evs, int n)
{
	__u64 cnt;
	int i;

	for (i = 0; i < n; i++) {
		int id = (int)evs[i].data.u64;

		if (id < 0) {
			loop->stats.syscalls++;
			if (read(loop->kick_fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
				return -errno;
			loop->kicked = false;
			continue;
		}
		evbpf__loop_notified(loop, id);
	}
	return n;
}

static int ep_harvest(struct evbpf_loop *loop, bool light)
{
	struct epoll_event evs[EPOLL_BATCH];
	int n, err, total = 0;

	if (loop->busy || light)
		return 0;
	do {
		loop->stats.syscalls++;
		n = epoll_wait(loop->fd, evs, EPOLL_BATCH, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		err = ep_handle(loop, evs, n);
		if (err < 0)
			return err;
		total += n;
	} while (n == EPOLL_BATCH);
	return total;
}

static int ep_wait(struct evbpf_loop *loop, int timeout_ms)
{
	struct epoll_event evs[EPOLL_BATCH];
	int n;

	loop->stats.syscalls++;
	n = epoll_wait(loop->fd, evs, EPOLL_BATCH, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return ep_handle(loop, evs, n);
}

static void ep_kick(struct evbpf_loop *loop)
{
	__u64 one = 1;

	if (loop->kicked)
		return;
	loop->stats.syscalls++;
	if (write(loop->kick_fd, &one, sizeof(one)) == sizeof(one))
		loop->kicked = true;
}

const struct evbpf__backend_ops evbpf__backend_epoll = {
	.name = "epoll",
	.init = ep_init,
	.fini = ep_fini,
	.add = ep_add,
	.del = ep_del,
	.harvest = ep_harvest,
	.wait = ep_wait,
	.kick = ep_kick,
};
