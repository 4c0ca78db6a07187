// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * own_loop: evbpf's loop inside an event loop of your own. The outer loop
 * (plain epoll, or io_uring with -o io_uring) waits on its own 1 ms timer
 * and on evbpf_loop_fd(); whenever that fd is readable it calls
 * evbpf_loop_dispatch(), which delivers the BPF ring buffer's records and
 * completes the map operations queued on the loop.
 *
 *   own_loop [-o epoll|io_uring] [-b auto|epoll|io_uring] [-n COUNT]
 *
 * -o the outer loop (default epoll)
 * -b evbpf's backend (default auto: io_uring where allowed, else epoll)
 * -n records to produce (default 1000)
 *
 * It stores a tag into a BPF array map with evbpf_mapq_update(), then makes
 * COUNT getppid() calls in bursts from its timer, checks that every record
 * arrives in order carrying the tag, reads the program's call count back
 * with evbpf_mapq_lookup() and prints one line. Exit status 0 when all
 * records and both map operations arrived.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <liburing.h>
#include <bpf/libbpf.h>
#include <evbpf/evbpf.h>
#include <evbpf/mapops.h>
#include "own_loop.h"
#include "own_loop.skel.h"

#define TAG 42
#define BURST 50
#define MAX_TICKS 10000	/* give up after ~10 s of timer ticks */

struct state {
	struct evbpf_mapq *q;
	int calls_fd;
	long want, produced, received, ticks;
	/* keys and values of queued operations must live until completion */
	__u32 zero, tgid;
	__u64 tag, counted;
	int tag_set, lookup_queued, done, failed;
};

/* Records arrive in batches pointing into the ring: read them, don't keep them. */
static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct state *st = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct own_loop_event *e = recs[i].data;

		if (recs[i].len < sizeof(*e) || e->tag != TAG || e->seq != st->received + 1) {
			fprintf(stderr, "own_loop: record %ld out of order or without the tag\n",
				st->received + 1);
			st->failed = 1;
		}
		st->received++;
	}
	/* a callback may queue map operations; they complete in a later dispatch */
	if (st->received >= st->want && !st->lookup_queued) {
		if (evbpf_mapq_lookup(st->q, st->calls_fd, &st->tgid, &st->counted, NULL))
			st->failed = st->done = 1;
		st->lookup_queued = 1;
	}
	return n;
}

static void on_mapop(void *ctx, const struct evbpf_mapop_done *d)
{
	struct state *st = ctx;

	if (d->res) {
		fprintf(stderr, "own_loop: map operation: %s\n", strerror(-d->res));
		st->failed = st->done = 1;
	} else if (d->kind == EVBPF_MAPOP_UPDATE) {
		st->tag_set = 1;
	} else {
		st->done = 1;
	}
}

/* One timer tick: a burst of getppid() calls, each a record. */
static void tick(struct state *st)
{
	int k;

	if (++st->ticks > MAX_TICKS) {
		fprintf(stderr, "own_loop: timed out\n");
		st->failed = st->done = 1;
		return;
	}
	for (k = 0; k < BURST && st->tag_set && st->produced < st->want; k++) {
		syscall(SYS_getppid);
		st->produced++;
	}
}

static int run_epoll(struct evbpf_loop *loop, struct state *st)
{
	struct itimerspec its = { .it_interval.tv_nsec = 1000000, .it_value.tv_nsec = 1000000 };
	struct epoll_event ev = { .events = EPOLLIN }, got[4];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	int err = 0, n, i;

	if (ep < 0 || tfd < 0 || timerfd_settime(tfd, 0, &its, NULL))
		err = -errno;
	ev.data.fd = tfd;
	if (!err && epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev))
		err = -errno;
	ev.data.fd = evbpf_loop_fd(loop);
	if (!err && epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev))
		err = -errno;
	while (!err && !st->done) {
		n = epoll_wait(ep, got, 4, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		for (i = 0; i < n && !err; i++) {
			if (got[i].data.fd == tfd) {
				uint64_t expirations;

				if (read(tfd, &expirations, sizeof(expirations)) > 0)
					tick(st);
			} else {
				int r = evbpf_loop_dispatch(loop);	/* never blocks */

				if (r < 0)
					err = r;
			}
		}
	}
	if (tfd >= 0)
		close(tfd);
	if (ep >= 0)
		close(ep);
	return err;
}

enum { POLL_LOOP_FD = 1, TIMER = 2 };

static void arm(struct io_uring *ring, int what, int fd, struct __kernel_timespec *ts)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (what == POLL_LOOP_FD)
		io_uring_prep_poll_add(sqe, fd, POLLIN);
	else
		io_uring_prep_timeout(sqe, ts, 0, 0);
	io_uring_sqe_set_data64(sqe, what);
}

static int run_uring(struct evbpf_loop *loop, struct state *st)
{
	struct __kernel_timespec ts = { .tv_nsec = 1000000 };
	struct io_uring ring;
	int err = io_uring_queue_init(8, &ring, 0);

	if (err)
		return err;
	arm(&ring, POLL_LOOP_FD, evbpf_loop_fd(loop), NULL);
	arm(&ring, TIMER, -1, &ts);
	io_uring_submit(&ring);
	while (!err && !st->done) {
		struct io_uring_cqe *cqe;
		__u64 what;
		int res;

		err = io_uring_wait_cqe(&ring, &cqe);
		if (err == -EINTR) {
			err = 0;
			continue;
		}
		if (err)
			break;
		what = io_uring_cqe_get_data64(cqe);
		res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		if (what == POLL_LOOP_FD) {
			/* one-shot poll: dispatch, then ask again */
			err = res < 0 ? res : evbpf_loop_dispatch(loop);
			err = err < 0 ? err : 0;
			arm(&ring, POLL_LOOP_FD, evbpf_loop_fd(loop), NULL);
		} else {
			tick(st);
			arm(&ring, TIMER, -1, &ts);
		}
		io_uring_submit(&ring);
	}
	io_uring_queue_exit(&ring);
	return err;
}

int main(int argc, char **argv)
{
	struct evbpf_loop_opts lopts = { .sz = sizeof(lopts) };
	struct state st = { .want = 1000, .tag = TAG };
	const char *outer = "epoll";
	struct evbpf_loop *loop = NULL;
	struct own_loop *skel;
	int opt, err = 0, ok = 0;

	while ((opt = getopt(argc, argv, "o:b:n:")) != -1) {
		if (opt == 'o' && (!strcmp(optarg, "epoll") || !strcmp(optarg, "io_uring")))
			outer = optarg;
		else if (opt == 'b' && !strcmp(optarg, "epoll"))
			lopts.backend = EVBPF_BACKEND_EPOLL;
		else if (opt == 'b' && !strcmp(optarg, "io_uring"))
			lopts.backend = EVBPF_BACKEND_IO_URING;
		else if (opt == 'b' && !strcmp(optarg, "auto"))
			lopts.backend = EVBPF_BACKEND_AUTO;
		else if (opt == 'n' && atol(optarg) > 0)
			st.want = atol(optarg);
		else {
			fprintf(stderr, "usage: own_loop [-o epoll|io_uring] [-b auto|epoll|io_uring] [-n COUNT]\n");
			return 2;
		}
	}

	skel = own_loop__open();
	if (!skel) {
		perror("own_loop: open");
		return 1;
	}
	st.tgid = getpid();
	skel->rodata->target_tgid = st.tgid;
	err = own_loop__load(skel);
	if (!err)
		err = own_loop__attach(skel);
	if (err) {
		fprintf(stderr, "own_loop: load/attach: %s\n", strerror(-err));
		goto out;
	}

	loop = evbpf_loop_new(&lopts);
	if (!loop || !evbpf_ring_new(loop, bpf_map__fd(skel->maps.events), on_batch, &st, NULL) ||
	    !(st.q = evbpf_mapq_new(loop, on_mapop, &st, NULL))) {
		err = -errno;
		fprintf(stderr, "own_loop: evbpf loop: %s\n", strerror(errno));
		goto out;
	}
	st.calls_fd = bpf_map__fd(skel->maps.calls);
	/* queued now, executed by a later evbpf_loop_dispatch() */
	err = evbpf_mapq_update(st.q, bpf_map__fd(skel->maps.tag), &st.zero, &st.tag, BPF_ANY, NULL);
	if (!err)
		err = strcmp(outer, "io_uring") ? run_epoll(loop, &st) : run_uring(loop, &st);
	if (err)
		fprintf(stderr, "own_loop: %s\n", strerror(-err));

	printf("own_loop: %s outer loop, %s backend: %ld of %ld records with tag %d, "
	       "%llu getppid() calls counted by the BPF program\n", outer,
	       evbpf_loop_backend(loop) == EVBPF_BACKEND_IO_URING ? "io_uring" : "epoll",
	       st.received, st.want, TAG, (unsigned long long)st.counted);
	ok = !err && !st.failed && st.received == st.want && st.counted == (__u64)st.want;
out:
	evbpf_loop_free(loop);	/* frees the ring consumer and the queue too */
	own_loop__destroy(skel);
	return ok ? 0 : 1;
}
