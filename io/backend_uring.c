// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * io_uring backend: one multishot poll (IORING_POLL_ADD_MULTI) per watched
 * fd, and an eventfd registered with the ring that the kernel signals on
 * every completion. That eventfd is the loop fd, so an outer reactor needs
 * to watch one fd only. Completions are reaped from the mapped CQ ring
 * without a system call; submissions happen only when a poll is armed,
 * re-armed or removed.
 *
 * user_data: 0 for poll-remove requests (their completions are ignored),
 * (watch id << 1) | 1 for polls.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <liburing.h>

#include "io_internal.h"

#define URING_DEFAULT_ENTRIES	64
#define URING_CQ_ENTRIES	4096

struct uring_priv {
	struct io_uring ring;
	bool ring_ok;
	bool defer;	/* IORING_SETUP_DEFER_TASKRUN: completions on request */
	unsigned queued;	/* SQEs prepared but not yet submitted */
	bool closing;		/* removing every poll: none is re-armed */
	pid_t creator;		/* the thread the kernel tracks the ring in */
};

static int ur_submit(struct evbpf_loop *loop)
{
	struct uring_priv *p = loop->be_priv;
	int ret;

	if (!p->queued)
		return 0;
	loop->stats.syscalls++;
	ret = io_uring_submit(&p->ring);
	if (ret < 0) {
		if (ret == -EEXIST)
			pr_warn("loop: an io_uring loop used from a thread other than the one that created it");
		return ret;
	}
	p->queued = 0;
	return 0;
}

static struct io_uring_sqe *ur_sqe(struct evbpf_loop *loop)
{
	struct uring_priv *p = loop->be_priv;
	struct io_uring_sqe *sqe;

	sqe = io_uring_get_sqe(&p->ring);
	if (!sqe) {
		/* the SQ is full: push what is queued and retry once */
		if (ur_submit(loop) < 0)
			return NULL;
		sqe = io_uring_get_sqe(&p->ring);
	}
	if (sqe)
		p->queued++;
	return sqe;
}

static int ur_arm(struct evbpf_loop *loop, int id)
{
	struct evbpf__watch *w = &loop->watches[id];
	struct io_uring_sqe *sqe;

	sqe = ur_sqe(loop);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_multishot(sqe, w->fd, POLLIN);
	io_uring_sqe_set_data64(sqe, ((__u64)id << 1) | 1);
	w->armed = true;
	return 0;
}

static int ur_init(struct evbpf_loop *loop, const struct evbpf_loop_opts *opts)
{
	struct io_uring_params params = {};
	struct uring_priv *p;
	__u32 entries;
	int err;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	loop->be_priv = p;

	entries = OPTS_GET(opts, uring_entries, 0);
	if (!entries)
		entries = URING_DEFAULT_ENTRIES;
	params.flags = IORING_SETUP_CQSIZE;
	params.cq_entries = evbpf__max(URING_CQ_ENTRIES, entries * 2);
	if (OPTS_GET(opts, flags, 0) & EVBPF_LOOP_SQPOLL) {
		params.flags |= IORING_SETUP_SQPOLL;
		params.sq_thread_idle = OPTS_GET(opts, sqpoll_idle_ms, 0);
		err = io_uring_queue_init_params(entries, &p->ring, &params);
	} else {
		/*
		 * Completions run when we ask for them, not by interrupting
		 * the thread: otherwise every poll completion would flag a
		 * pending "signal" on the loop's thread and make its
		 * interruptible system calls (BPF_PROG_TEST_RUN with repeat,
		 * for one) fail with EINTR. The eventfd is still signalled.
		 */
		params.flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
		err = io_uring_queue_init_params(entries, &p->ring, &params);
		if (err == -EINVAL) {
			params.flags &= ~(IORING_SETUP_SINGLE_ISSUER |
					  IORING_SETUP_DEFER_TASKRUN);
			err = io_uring_queue_init_params(entries, &p->ring, &params);
		}
	}
	if (err < 0)
		return err;
	p->defer = params.flags & IORING_SETUP_DEFER_TASKRUN;
	p->ring_ok = true;
	p->creator = gettid();
	if (!(params.features & IORING_FEAT_NODROP))
		return -EOPNOTSUPP;

	loop->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (loop->fd < 0)
		return -errno;
	loop->kick_fd = loop->fd;
	err = io_uring_register_eventfd(&p->ring, loop->fd);
	if (err < 0)
		return err;
	return 0;
}

static int ur_reap(struct evbpf_loop *loop);

/*
 * Removes every poll and waits for their last completions inside our own
 * io_uring_enter(), so that closing the ring leaves no cancellation work
 * queued on this thread: such work would make the thread's next
 * interruptible wait (the caller's epoll_wait, say) fail with EINTR.
 */
static void ur_quiesce(struct evbpf_loop *loop)
{
	struct uring_priv *p = loop->be_priv;
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int id, armed, tries;

	p->closing = true;
	for (id = 0; id < loop->watch_cnt; id++) {
		if (!loop->watches[id].armed)
			continue;
		sqe = ur_sqe(loop);
		if (!sqe)
			break;
		io_uring_prep_poll_remove(sqe, ((__u64)id << 1) | 1);
		io_uring_sqe_set_data64(sqe, 0);
	}
	for (tries = 0; tries < 100; tries++) {
		for (armed = 0, id = 0; id < loop->watch_cnt; id++)
			armed += loop->watches[id].armed;
		if (!armed)
			break;
		if (ur_submit(loop) < 0)
			break;
		loop->stats.syscalls++;
		io_uring_wait_cqe_timeout(&p->ring, &cqe, &ts);
		ur_reap(loop);
	}
}

/*
 * Closing a ring makes the kernel remove the creating thread's io_uring
 * context by task work, about an RCU grace period later (15 ms measured),
 * with a notification that fails that thread's next interruptible wait with
 * EINTR. That wait is taken here, so the caller's own waits never see it.
 *
 * Its end is observed, not guessed: before the ring is closed, the write
 * end of a pipe is registered with it and our own copy closed, so the
 * ring's file table holds the last reference. The kernel frees that table
 * only after the thread's task work has run, so EPOLLHUP on the read end
 * means nothing of this ring is left to arrive. The EINTRs met on the way
 * are the notification itself (or one left by another ring the thread
 * closed): they end nothing, the sleep goes on until the hang-up. Only when
 * the pipe cannot be registered does a bounded sleep that the first EINTR
 * ends remain. On another thread than the creator there is nothing to
 * take: the notification goes to the creator.
 */
#define URING_EXIT_WAIT_MS	1000
#define URING_EXIT_CAP_MS	10000	/* a kernel that never frees the ring */

static int ur_exit_watch(struct uring_priv *p)
{
	int fds[2], rd = -1;

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK))
		return -1;
	if (io_uring_register_files(&p->ring, &fds[1], 1) == 0)
		rd = fds[0];
	else
		close(fds[0]);
	close(fds[1]);
	return rd;
}

static void ur_absorb_exit(int rd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct timespec t0, t;
	int ep, n, left = URING_EXIT_WAIT_MS;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep >= 0 && rd >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, rd, &ev) == 0) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (left = URING_EXIT_CAP_MS; left > 0;) {
			n = epoll_wait(ep, &ev, 1, left);
			if (n != -1 || errno != EINTR)
				break;
			clock_gettime(CLOCK_MONOTONIC, &t);
			left = URING_EXIT_CAP_MS - (int)((t.tv_sec - t0.tv_sec) * 1000 +
							 (t.tv_nsec - t0.tv_nsec) / 1000000);
		}
	} else if (ep >= 0) {
		epoll_wait(ep, &ev, 1, left);
	}
	if (ep >= 0)
		close(ep);
	if (rd >= 0)
		close(rd);
}

void evbpf__uring_close(void *ring)
{
	struct uring_priv *p = ring;
	bool mine;
	int rd = -1;

	if (!p)
		return;
	if (p->ring_ok) {
		mine = p->creator == gettid();
		if (mine)
			rd = ur_exit_watch(p);
		io_uring_queue_exit(&p->ring);
		if (mine)
			ur_absorb_exit(rd);
	}
	free(p);
}

void *evbpf__uring_park(struct evbpf_loop *loop)
{
	struct uring_priv *p = loop->be_priv;

	if (p && p->ring_ok)
		ur_quiesce(loop);
	loop->be_priv = NULL;
	evbpf__close(loop->fd);
	loop->fd = -1;
	loop->kick_fd = -1;
	return p;
}

static void ur_fini(struct evbpf_loop *loop)
{
	evbpf__uring_close(evbpf__uring_park(loop));
}

static int ur_add(struct evbpf_loop *loop, int id)
{
	int err;

	err = ur_arm(loop, id);
	if (err)
		return err;
	return ur_submit(loop);
}

static bool ur_del(struct evbpf_loop *loop, int id)
{
	struct evbpf__watch *w = &loop->watches[id];
	struct io_uring_sqe *sqe;

	if (!w->armed)
		return true;
	sqe = ur_sqe(loop);
	if (!sqe)
		return false;	/* the poll stays; its completions are ignored */
	io_uring_prep_poll_remove(sqe, ((__u64)id << 1) | 1);
	io_uring_sqe_set_data64(sqe, 0);
	/* submitted now: the owner may close the fd right after */
	ur_submit(loop);
	return false;
}

static int ur_reap(struct evbpf_loop *loop)
{
	struct uring_priv *p = loop->be_priv;
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0;
	int total = 0;

	io_uring_for_each_cqe(&p->ring, head, cqe) {
		__u64 ud = cqe->user_data;
		int id = (int)(ud >> 1);

		seen++;
		if (!ud || id >= loop->watch_cnt)
			continue;
		if (cqe->res >= 0) {
			evbpf__loop_notified(loop, id);
			total++;
		}
		if (!(cqe->flags & IORING_CQE_F_MORE)) {
			struct evbpf__watch *w = &loop->watches[id];

			evbpf__loop_watch_done(loop, id);
			/* the kernel ended the multishot poll: arm it again
			 * (dispatch checks every ring, so nothing is missed) */
			if (p->closing)
				continue;
			if (w->active && cqe->res >= 0 && ur_arm(loop, id) == 0)
				continue;
			if (w->active)
				pr_warn("loop: io_uring poll on fd %d ended: %d",
					w->fd, cqe->res);
		}
	}
	io_uring_cq_advance(&p->ring, seen);
	return total;
}

static int ur_harvest(struct evbpf_loop *loop, bool light)
{
	struct uring_priv *p = loop->be_priv;
	__u64 cnt;
	int total = 0, n, err;

	if (loop->busy || light)
		goto reap;
	/* deferred completions are posted (signalling the eventfd once more)
	 * by this enter, so it comes before resetting the eventfd */
	if (p->defer || io_uring_cq_has_overflow(&p->ring)) {
		loop->stats.syscalls++;
		io_uring_get_events(&p->ring);
	}
	/* reset the eventfd before reaping: a completion posted after this
	 * read signals it again, so none is missed */
	loop->stats.syscalls++;
	if (read(loop->fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		return -errno;
	loop->kicked = false;
reap:
	do {
		n = ur_reap(loop);
		total += n;
	} while (n > 0 && io_uring_cq_ready(&p->ring));
	if (light && !p->queued)
		return total;
	err = ur_submit(loop);
	if (err < 0)
		return err;
	return total;
}

static int ur_wait(struct evbpf_loop *loop, int timeout_ms)
{
	struct uring_priv *p = loop->be_priv;
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;
	int ret, total = 0, n;

	ret = ur_submit(loop);
	if (ret < 0)
		return ret;
	if (!io_uring_cq_ready(&p->ring)) {
		/* one io_uring_enter() that waits, running deferred completions;
		 * the eventfd is left alone: only outer pollers need it reset,
		 * and the next dispatch does that */
		loop->stats.syscalls++;
		if (timeout_ms < 0) {
			ret = io_uring_wait_cqe(&p->ring, &cqe);
		} else {
			ts.tv_sec = timeout_ms / 1000;
			ts.tv_nsec = (long long)(timeout_ms % 1000) * 1000000;
			ret = io_uring_wait_cqe_timeout(&p->ring, &cqe, &ts);
		}
		if (ret < 0 && ret != -ETIME && ret != -EINTR)
			return ret;
	}
	do {
		n = ur_reap(loop);
		total += n;
	} while (n > 0 && io_uring_cq_ready(&p->ring));
	ret = ur_submit(loop);
	return ret < 0 ? ret : total;
}

static void ur_kick(struct evbpf_loop *loop)
{
	__u64 one = 1;

	if (loop->kicked)
		return;
	loop->stats.syscalls++;
	if (write(loop->fd, &one, sizeof(one)) == sizeof(one))
		loop->kicked = true;
}

const struct evbpf__backend_ops evbpf__backend_uring = {
	.name = "io_uring",
	.init = ur_init,
	.fini = ur_fini,
	.add = ur_add,
	.del = ur_del,
	.harvest = ur_harvest,
	.wait = ur_wait,
	.kick = ur_kick,
};
