// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libevent_ring: an evbpf loop inside a libevent server. evbpf_event_new()
 * registers the loop's fd on the event_base; records are delivered from
 * inside event_base_dispatch() next to the server's own events (here a
 * 1 ms timer that makes getppid() calls, each producing a record).
 *
 *   libevent_ring [-n COUNT]
 *
 * Produces COUNT records (default 10000) in bursts, stops when every one
 * was either delivered or counted as a drop by the BPF program, and prints
 * the loop's counters. Exit status 0 when delivered + dropped == produced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <event2/event.h>
#include <bpf/libbpf.h>
#include <evbpf/evbpf.h>
#include <evbpf/evbpf_event.h>
#include "libevent_ring.skel.h"

#define BURST 500
#define MAX_TICKS 10000	/* give up after ~10 s of timer ticks */

struct state {
	struct event_base *base;
	struct evbpf_loop *loop;
	long want, produced, delivered, ticks;
	int failed;
};

/* Finished when everything produced was delivered or counted as dropped. */
static void check_done(struct state *st)
{
	struct evbpf_stats s;

	if (st->produced < st->want || evbpf_loop_stats(st->loop, &s))
		return;
	if ((long)(s.records + s.drops) >= st->want)
		event_base_loopbreak(st->base);
}

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct state *st = ctx;

	st->delivered += n;
	check_done(st);
	return n;
}

static void on_error(struct evbpf_loop *loop, int err, void *ctx)
{
	struct state *st = ctx;

	fprintf(stderr, "libevent_ring: dispatch: %s\n", strerror(-err));
	st->failed = 1;
	event_base_loopbreak(st->base);
}

static void on_timer(evutil_socket_t fd, short what, void *ctx)
{
	struct state *st = ctx;
	int k;

	if (++st->ticks > MAX_TICKS) {
		fprintf(stderr, "libevent_ring: timed out\n");
		st->failed = 1;
		event_base_loopbreak(st->base);
		return;
	}
	for (k = 0; k < BURST && st->produced < st->want; k++) {
		syscall(SYS_getppid);
		st->produced++;
	}
	check_done(st);
}

int main(int argc, char **argv)
{
	struct timeval one_ms = { .tv_usec = 1000 };
	struct state st = { .want = 10000 };
	struct evbpf_ring_opts ropts = { .sz = sizeof(ropts) };
	struct libevent_ring *skel;
	struct evbpf_event *adapter = NULL;
	struct event *timer = NULL;
	struct evbpf_stats s = { 0 };
	int opt, ok = 0, err;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n' && atol(optarg) > 0) {
			st.want = atol(optarg);
		} else {
			fprintf(stderr, "usage: libevent_ring [-n COUNT]\n");
			return 2;
		}
	}

	skel = libevent_ring__open();
	if (!skel) {
		perror("libevent_ring: open");
		return 1;
	}
	skel->rodata->target_tgid = getpid();
	err = libevent_ring__load(skel);
	if (!err)
		err = libevent_ring__attach(skel);
	if (err) {
		fprintf(stderr, "libevent_ring: load/attach: %s\n", strerror(-err));
		goto out;
	}

	st.base = event_base_new();
	st.loop = evbpf_loop_new(NULL);
	/* the drop counter map makes drops visible in evbpf_loop_stats() */
	ropts.drops_map_fd = bpf_map__fd(skel->maps.drops);
	if (!st.base || !st.loop ||
	    !evbpf_ring_new(st.loop, bpf_map__fd(skel->maps.events), on_batch, &st, &ropts) ||
	    !(adapter = evbpf_event_new(st.base, st.loop, on_error, &st)) ||
	    !(timer = event_new(st.base, -1, EV_PERSIST, on_timer, &st)) ||
	    event_add(timer, &one_ms)) {
		fprintf(stderr, "libevent_ring: setup: %s\n", strerror(errno));
		goto out;
	}

	event_base_dispatch(st.base);

	if (!evbpf_loop_stats(st.loop, &s))
		printf("libevent_ring: produced %ld, delivered %llu, dropped %llu, in %llu batches\n",
		       st.produced, (unsigned long long)s.records,
		       (unsigned long long)s.drops, (unsigned long long)s.batches);
	ok = !st.failed && st.produced == st.want && (long)s.records == st.delivered &&
	     (long)(s.records + s.drops) == st.produced;
out:
	if (timer)
		event_free(timer);
	evbpf_event_free(adapter);	/* before the loop and the base */
	evbpf_loop_free(st.loop);
	if (st.base)
		event_base_free(st.base);
	libevent_ring__destroy(skel);
	return ok ? 0 : 1;
}
