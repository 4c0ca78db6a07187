// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf-stress: producers on every CPU against one small BPF ring buffer,
 * consumed through an evbpf loop, checking that nothing is lost, doubled
 * or reordered: per producer (CPU) every record's sequence number is
 * greater than the last one seen, and at the end
 *     produced = delivered + dropped + discarded
 * exactly, with produced/dropped/discarded counted on the BPF side.
 *
 *   evbpf-stress [--records N] [--ring-size BYTES] [--backend uring|epoll|all]
 *                [--embed run|epoll|all] [--teardown MS] [--signals] [--burst N]
 *
 * --records   attempts per CPU (default 1000000)
 * --obj       the producer object (default: the one built with this program)
 * --burst     attempts per test run of a producer (default 256)
 * --teardown  frees and recreates the consumer every MS milliseconds while
 *             producers run (0: never)
 * --signals   a thread sends SIGUSR1 to the consumer thread non-stop
 * Every backend x embedding combination asked for runs in turn; one line
 * each, then "stress: ok" or the first violation (exit status 1).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <evbpf/evbpf.h>

struct stress_rec {
	__u32 cpu;
	__u32 len;
	__u64 seq;
};

struct stress_counts {
	__u64 produced, dropped, discarded;
};

struct cfg {
	unsigned long records;
	__u32 ring_size;
	unsigned teardown_ms;
	__u32 burst;
	bool signals;
};

struct run {
	const struct cfg *cfg;
	int prog_fd, rb_fd, counts_fd, ncpu;
	__u64 *last;			/* per CPU: last seq seen + 1 (0: none) */
	__u64 delivered;
	char bad[256];			/* first violation */
	volatile int producers_left;
	pthread_t consumer;
	volatile bool stop_signals;
};

struct producer {
	struct run *r;
	int cpu;
	pthread_t t;
};

static void on_sigusr1(int sig)
{
	(void)sig;
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000 + (__u64)ts.tv_nsec / 1000000;
}

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct run *r = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct stress_rec *s = recs[i].data;

		if (recs[i].len < sizeof(*s) || s->len != recs[i].len ||
		    s->cpu >= (__u32)r->ncpu) {
			if (!r->bad[0])
				snprintf(r->bad, sizeof(r->bad), "malformed record (len %u)",
					 recs[i].len);
			continue;
		}
		if (r->last[s->cpu] && s->seq < r->last[s->cpu]) {
			if (!r->bad[0])
				snprintf(r->bad, sizeof(r->bad),
					 "cpu %u: seq %llu after %llu (duplicate or reordered)",
					 s->cpu, (unsigned long long)s->seq,
					 (unsigned long long)r->last[s->cpu] - 1);
			continue;
		}
		r->last[s->cpu] = s->seq + 1;
		r->delivered++;
	}
	return (int)n;
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	unsigned long left = p->r->cfg->records;
	char pkt[64] = { 0 };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	while (left) {
		__u32 chunk = left > p->r->cfg->burst ? p->r->cfg->burst : (__u32)left;
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
			    .data_size_in = sizeof(pkt), .repeat = chunk);

		if (bpf_prog_test_run_opts(p->r->prog_fd, &o)) {
			/* repeat runs stop early on a signal; o.duration
			 * says nothing about how many ran, so the BPF side
			 * counts attempts itself */
			if (errno == EINTR)
				continue;
			fprintf(stderr, "stress: test run on cpu %d: %s\n", p->cpu,
				strerror(errno));
			break;
		}
		left -= chunk;
		sched_yield();	/* bursts, not a flood the consumer never meets */
	}
	__atomic_sub_fetch(&p->r->producers_left, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void *signal_storm(void *arg)
{
	struct run *r = arg;

	while (!r->stop_signals)
		pthread_kill(r->consumer, SIGUSR1);
	return NULL;
}

static int wait_embedded(struct evbpf_loop *loop, int epfd, bool own_epoll)
{
	struct epoll_event ev;
	int n;

	if (!own_epoll)
		return evbpf_loop_run(loop, 50);
	n = epoll_wait(epfd, &ev, 1, 50);
	if (n < 0 && errno != EINTR)
		return -errno;
	return evbpf_loop_dispatch(loop);
}

static int one_run(const struct cfg *cfg, struct bpf_object *obj, enum evbpf_backend be,
		   bool own_epoll)
{
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = be);
	struct stress_counts sum = { 0 }, *pc;
	struct run r = { .cfg = cfg };
	struct producer *prods;
	struct evbpf_loop *loop;
	struct evbpf_ring *ring;
	pthread_t storm;
	__u64 t0, last_td;
	__u32 zero = 0;
	int i, err = 0, epfd = -1;

	r.ncpu = libbpf_num_possible_cpus();
	r.prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "stress_prod"));
	r.rb_fd = bpf_object__find_map_fd_by_name(obj, "rb");
	r.counts_fd = bpf_object__find_map_fd_by_name(obj, "counts");
	r.last = calloc((size_t)r.ncpu, sizeof(*r.last));
	prods = calloc((size_t)r.ncpu, sizeof(*prods));
	pc = calloc((size_t)r.ncpu, sizeof(*pc));
	if (!r.last || !prods || !pc)
		return -ENOMEM;
	/* a fresh start: zero the BPF counters */
	memset(pc, 0, (size_t)r.ncpu * sizeof(*pc));
	if (bpf_map_update_elem(r.counts_fd, &zero, pc, BPF_ANY))
		return -errno;
	loop = evbpf_loop_new(&lo);
	if (!loop)
		return -errno;
	ring = evbpf_ring_new(loop, r.rb_fd, on_batch, &r, NULL);
	if (!ring) {
		err = -errno;
		evbpf_loop_free(loop);
		return err;
	}
	if (own_epoll) {
		struct epoll_event ev = { .events = EPOLLIN };

		epfd = epoll_create1(EPOLL_CLOEXEC);
		if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, evbpf_loop_fd(loop), &ev))
			return -errno;
	}
	r.consumer = pthread_self();
	if (cfg->signals)
		pthread_create(&storm, NULL, signal_storm, &r);
	t0 = last_td = now_ms();
	r.producers_left = r.ncpu;
	for (i = 0; i < r.ncpu; i++) {
		prods[i].r = &r;
		prods[i].cpu = i;
		pthread_create(&prods[i].t, NULL, produce, &prods[i]);
	}
	while (__atomic_load_n(&r.producers_left, __ATOMIC_SEQ_CST) > 0 && !r.bad[0]) {
		int ret = wait_embedded(loop, epfd, own_epoll);

		if (ret < 0 && ret != -EINTR) {
			err = ret;
			break;
		}
		if (cfg->teardown_ms && now_ms() - last_td >= cfg->teardown_ms) {
			/* teardown under load: records left in the ring go to
			 * the next consumer of the map */
			evbpf_ring_free(ring);
			ring = evbpf_ring_new(loop, r.rb_fd, on_batch, &r, NULL);
			if (!ring) {
				err = -errno;
				break;
			}
			last_td = now_ms();
		}
	}
	for (i = 0; i < r.ncpu; i++)
		pthread_join(prods[i].t, NULL);
	r.stop_signals = true;
	if (cfg->signals)
		pthread_join(storm, NULL);
	if (!err && ring) {
		err = evbpf_loop_drain(loop);
		while (err >= 0 && evbpf_ring_avail(ring))
			err = evbpf_ring_consume(ring);
		err = err < 0 ? err : 0;
	}
	if (!bpf_map_lookup_elem(r.counts_fd, &zero, pc))
		for (i = 0; i < r.ncpu; i++) {
			sum.produced += pc[i].produced;
			sum.dropped += pc[i].dropped;
			sum.discarded += pc[i].discarded;
		}
	printf("stress: backend %s, %s, ring %u B, %d producers: produced %llu = delivered %llu"
	       " + dropped %llu + discarded %llu%s in %.1f s%s%s\n",
	       evbpf_loop_backend(loop) == EVBPF_BACKEND_IO_URING ? "io_uring" : "epoll",
	       own_epoll ? "outer epoll" : "evbpf_loop_run", cfg->ring_size, r.ncpu,
	       (unsigned long long)sum.produced, (unsigned long long)r.delivered,
	       (unsigned long long)sum.dropped, (unsigned long long)sum.discarded,
	       sum.produced == r.delivered + sum.dropped + sum.discarded ? "" : " MISMATCH",
	       (now_ms() - t0) / 1000.0, r.bad[0] ? ": " : "", r.bad);
	if (!err && (r.bad[0] || sum.produced != r.delivered + sum.dropped + sum.discarded ||
		     sum.produced != cfg->records * (unsigned long)r.ncpu))
		err = -EPROTO;
	evbpf_ring_free(ring);
	evbpf_loop_free(loop);
	if (epfd >= 0)
		close(epfd);
	free(r.last);
	free(prods);
	free(pc);
	return err;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "records", required_argument, NULL, 'n' },
		{ "ring-size", required_argument, NULL, 'r' },
		{ "backend", required_argument, NULL, 'b' },
		{ "embed", required_argument, NULL, 'e' },
		{ "teardown", required_argument, NULL, 't' },
		{ "signals", no_argument, NULL, 's' },
		{ "burst", required_argument, NULL, 'u' },
		{ "obj", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct cfg cfg = { .records = 1000000, .ring_size = 16384, .burst = 256 };
	const char *backend = "all", *embed = "all";
	struct sigaction sa = { .sa_handler = on_sigusr1 };	/* no SA_RESTART */
	struct bpf_object *obj;
	const char *path = STRESS_OBJ;
	int c, b, e, err = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': cfg.records = strtoul(optarg, NULL, 0); break;
		case 'r': cfg.ring_size = (__u32)strtoul(optarg, NULL, 0); break;
		case 'b': backend = optarg; break;
		case 'e': embed = optarg; break;
		case 't': cfg.teardown_ms = (unsigned)strtoul(optarg, NULL, 0); break;
		case 's': cfg.signals = true; break;
		case 'o': path = optarg; break;
		case 'u': cfg.burst = (__u32)strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: evbpf-stress [--records N] [--ring-size BYTES]"
				" [--backend uring|epoll|all] [--embed run|epoll|all]"
				" [--teardown MS] [--signals] [--burst N]\n");
			return 2;
		}
	}
	sigaction(SIGUSR1, &sa, NULL);
	obj = bpf_object__open_file(path, NULL);
	if (!obj || bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "rb"),
					     cfg.ring_size) ||
	    bpf_object__load(obj)) {
		fprintf(stderr, "stress: cannot load %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (b = 0; b < 2 && !err; b++) {
		if (strcmp(backend, "all") && strcmp(backend, b ? "epoll" : "uring"))
			continue;
		for (e = 0; e < 2 && !err; e++) {
			if (strcmp(embed, "all") && strcmp(embed, e ? "epoll" : "run"))
				continue;
			err = one_run(&cfg, obj, b ? EVBPF_BACKEND_EPOLL : EVBPF_BACKEND_IO_URING, e);
		}
	}
	bpf_object__close(obj);
	if (err) {
		fprintf(stderr, "stress: FAILED: %s\n", strerror(-err));
		return 1;
	}
	printf("stress: ok\n");
	return 0;
}
