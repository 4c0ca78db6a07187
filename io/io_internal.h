/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private declarations of io/: the consumer base every ring and perf reader
 * embeds, the backend interface (io_uring, epoll) and the loop object.
 * Never installed; lib/ never includes this.
 */
#ifndef EVBPF_IO_INTERNAL_H
#define EVBPF_IO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/base_internal.h"
#include "evbpf/evbpf.h"

/* ---- memory ordering against the kernel's producer/consumer ---- */

#define evbpf__load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define evbpf__store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define evbpf__smp_mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)

static inline __u64 evbpf__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* ---- consumers ---- */

struct evbpf__consumer;

struct evbpf__consumer_ops {
	/*
	 * Deliver what is due. @drain: everything now, ignoring coalescing,
	 * holds and earlier stops. Returns records delivered or -errno. Sets
	 * c->pending when it stopped early with data left.
	 */
	int (*service)(struct evbpf__consumer *c, __u64 now, bool drain);
	/* Publish every held consumer position (busy mode turned off). */
	void (*unhold)(struct evbpf__consumer *c);
	/* Frees the consumer; it has already been unlinked from its loop. */
	void (*destroy)(struct evbpf__consumer *c);
	/* Adds drop counters read from the kernel into @stats. */
	void (*read_drops)(const struct evbpf__consumer *c, struct evbpf_stats *stats);
};

struct evbpf__consumer {
	const struct evbpf__consumer_ops *ops;
	struct evbpf_loop *loop;	/* NULL: standalone */
	struct evbpf__consumer *next;
	struct evbpf__consumer **pprev;
	__u64 deadline_ns;		/* 0: no timer wanted */
	bool pending;			/* stopped early with data left */
	struct evbpf_stats stats;
};

/* ---- backends ---- */

/* A watched fd; user_data of CQEs / epoll events is the watch's id. */
struct evbpf__watch {
	int fd;
	bool active;			/* false: removed, waiting for the last CQE */
	bool armed;			/* io_uring: a multishot poll is in flight */
	struct evbpf__consumer *owner;	/* NULL for the loop's own fds */
};

struct evbpf__backend_ops {
	const char *name;
	/* Sets loop->fd on success. */
	int (*init)(struct evbpf_loop *loop, const struct evbpf_loop_opts *opts);
	void (*fini)(struct evbpf_loop *loop);
	/* Starts watching watch @id for POLLIN. */
	int (*add)(struct evbpf_loop *loop, int id);
	/* Stops watching watch @id; the slot is reusable when it returns
	 * true, else after the backend saw the last completion. */
	bool (*del)(struct evbpf_loop *loop, int id);
	/* Collects notifications without blocking; returns how many. @light:
	 * only what costs no system call (evbpf_loop_run() checks the rings
	 * itself and then waits, which collects the rest). */
	int (*harvest)(struct evbpf_loop *loop, bool light);
	/* Waits up to @timeout_ms (-1: forever) for notifications and
	 * collects them, in as few system calls as the backend allows; for
	 * evbpf_loop_run(). Returns how many, 0 on timeout or signal. */
	int (*wait)(struct evbpf_loop *loop, int timeout_ms);
	/* Makes the loop fd readable (there is work left). */
	void (*kick)(struct evbpf_loop *loop);
};

extern const struct evbpf__backend_ops evbpf__backend_epoll;
extern const struct evbpf__backend_ops evbpf__backend_uring;

struct evbpf_loop {
	const struct evbpf__backend_ops *be;
	enum evbpf_backend backend;
	int fd;				/* the loop fd */
	int kick_fd;			/* epoll: eventfd in the set; uring: == fd */
	int timer_fd;			/* timerfd for coalescing, -1 until needed */
	int timer_watch;		/* watch id of timer_fd, or -1 */
	__u64 timer_armed_ns;		/* deadline timer_fd is armed for, 0: none */
	bool busy;
	bool kicked;			/* kick_fd holds an unread count */
	bool dispatching;		/* re-entrancy guard */
	struct evbpf__consumer *consumers;
	struct evbpf__watch *watches;
	int watch_cnt, watch_cap;
	struct evbpf_stats stats;	/* the loop's own syscalls and wakeups */
	void *be_priv;			/* backend state */
};

/* Registers @c on @loop's consumer list. */
void evbpf__loop_link(struct evbpf_loop *loop, struct evbpf__consumer *c);
/* Removes @c from its loop (if any), dropping its watches. */
void evbpf__loop_unlink(struct evbpf__consumer *c);
/* Watches @fd for readability on behalf of @owner; returns the watch id. */
int evbpf__loop_watch(struct evbpf_loop *loop, int fd, struct evbpf__consumer *owner);
/* Stops watch @id. */
void evbpf__loop_unwatch(struct evbpf_loop *loop, int id);
/* A notification for watch @id arrived (called by backends). */
void evbpf__loop_notified(struct evbpf_loop *loop, int id);
/* Called by backends when watch @id will see no more completions. */
void evbpf__loop_watch_done(struct evbpf_loop *loop, int id);

/* ---- CPUs ---- */

/*
 * Parses a kernel CPU list file ("0-3,5") into a malloc'ed bool array of
 * *@cnt entries (one past the highest CPU listed). Returns 0 or -errno.
 */
int evbpf__parse_cpu_list(const char *path, bool **mask, int *cnt);

/* Sums the per-CPU __u64 at key 0 of per-CPU array @map_fd into *@sum.
 * Returns 0 or -errno. */
int evbpf__percpu_sum(int map_fd, __u64 *sum);

#endif /* EVBPF_IO_INTERNAL_H */
