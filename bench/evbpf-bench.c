// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf-bench: event-throughput benchmark of evbpf's consumers side by side
 * with the system libbpf (run as the evbpf-bench-libbpf subprocess).
 *
 *   evbpf-bench [--quick | --full] [--runs N] [--only BENCH[,BENCH]]
 *               [--json] [--plot FILE.svg] [producer options]
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bench_loop.h"
#include "bench_map.h"
#include "compat.h"
#include "evbpf-bench.h"

#define MAX_ROWS 128

static struct bench_row rows[MAX_ROWS];
static unsigned nrows;
static const char *only;

static bool wanted(const char *bench)
{
	const char *s;
	size_t len = strlen(bench);

	if (!only)
		return true;
	for (s = only; s && *s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
		if (!strncmp(s, bench, len) && (s[len] == ',' || !s[len]))
			return true;
	return false;
}

static struct bench_row *add(const char *bench, const char *consumer, const char *backend,
			     const char *cmp, enum bench_runner runner, int mode,
			     const struct bench_params *p)
{
	struct bench_row *r;

	if (!wanted(bench) || nrows == MAX_ROWS)
		return NULL;
	r = &rows[nrows++];
	memset(r, 0, sizeof(*r));
	r->bench = bench;
	r->consumer = consumer;
	r->backend = backend;
	r->cmp = cmp;
	r->runner = runner;
	r->mode = mode;
	r->p = *p;
	if (runner == BENCH_R_LIBBPF || runner == BENCH_R_COMPAT)
		bench_compat_adjust(&r->p, (enum bench_compat_mode)mode);
	if (runner == BENCH_R_LOOP &&
	    (mode == BENCH_L_DRAIN || mode == BENCH_L_PRODUCER))
		r->p.prefill = true;
	r->is_limit = runner == BENCH_R_LOOP && mode == BENCH_L_PRODUCER;
	r->sys_counted_per_kev = -1;
	return r;
}

/* Consumers that wait on the loop fd in another reactor, on each backend a
 * loop can be created with. */
static void add_fd_rows(const char *bench, const struct bench_params *p)
{
	static const struct { const char *name; int on; } be[] = {
		{ "auto", 0 },
		{ "epoll", BENCH_L_ON_EPOLL },
		{ "io_uring", BENCH_L_ON_URING },
	};
	unsigned i;

	for (i = 0; i < sizeof(be) / sizeof(be[0]); i++) {
#ifdef EVBPF_BENCH_LIBEVENT
		add(bench, "evbpf-libevent", be[i].name, "poll", BENCH_R_LOOP,
		    BENCH_L_LIBEVENT | be[i].on, p);
#endif
		add(bench, "outer-epoll", be[i].name, "poll", BENCH_R_LOOP,
		    BENCH_L_OUTER_EPOLL | be[i].on, p);
		add(bench, "outer-io_uring", be[i].name, "poll", BENCH_R_LOOP,
		    BENCH_L_OUTER_URING | be[i].on, p);
	}
}

/*
 * The producer alone on configuration @p: the limit of every consumer of
 * @bench. It fills the very ring the consumers use (same size, so the same
 * memory the producer writes to), up to 90 % of it, with nobody reading;
 * its rate is taken from the records' own timestamps, so enough of them
 * carry one.
 */
static void add_producer(const char *bench, const struct bench_params *p)
{
	struct bench_params q = *p;
	uint64_t fit;

	if (q.buffer == BENCH_BUF_PB) {
		q.pb_pages = bench_pb_pages(p);
		fit = (uint64_t)q.pb_pages * 4096 / bench_pb_rec_bytes(p) * 9 / 10;
	} else {
		q.ring_size = bench_ring_size(p);
		fit = q.ring_size / bench_rb_rec_bytes(p) * 9 / 10;
	}
	if (q.count > fit) {
		/* as many records as a consumer row, in laps of one
		 * filling each (see bench_producer_laps()) */
		q.laps = (unsigned)((q.count + fit - 1) / fit);
		q.count = fit;
	}
	while (q.lat_every > 1 && q.count / q.lat_every < 256)
		q.lat_every /= 2;
	add(bench, "producer", "alone", NULL, BENCH_R_LOOP, BENCH_L_PRODUCER, &q);
}

/* The rows of one ring-buffer configuration: libbpf's two ways, evbpf's
 * libbpf-compatible API, evbpf's loop on every backend. */
static bool have_cilium;

static void add_ring_set(const char *bench, const struct bench_params *p, bool have_ref,
			 bool full_set)
{
	add_producer(bench, p);
	if (have_cilium)
		add(bench, "cilium/ebpf", "ringbuf.Reader", "poll", BENCH_R_CILIUM, 0, p);
	if (have_ref) {
		add(bench, "libbpf", "ring_buffer__poll", "poll", BENCH_R_LIBBPF, BENCH_C_POLL, p);
		if (full_set)
			add(bench, "libbpf", "ring_buffer__consume", "busy", BENCH_R_LIBBPF,
			    BENCH_C_BUSY, p);
	}
	add(bench, "evbpf-compat", "ring_buffer__poll", "poll", BENCH_R_COMPAT, BENCH_C_POLL, p);
	if (full_set)
		add(bench, "evbpf-compat", "ring_buffer__consume", "busy", BENCH_R_COMPAT,
		    BENCH_C_BUSY, p);
	add(bench, "evbpf", "io_uring", "poll", BENCH_R_LOOP, BENCH_L_URING, p);
	add(bench, "evbpf", "epoll", "poll", BENCH_R_LOOP, BENCH_L_EPOLL, p);
	if (full_set) {
		add(bench, "evbpf", "io_uring+coalesce", "poll", BENCH_R_LOOP, BENCH_L_COALESCE, p);
		add(bench, "evbpf", "busy", "busy", BENCH_R_LOOP, BENCH_L_BUSY, p);
		add_fd_rows(bench, p);
	}
}

/* The loop-fd rows (libevent, outer epoll, outer io_uring) against what
 * they promise: at least 0.9 of the producer alone with no drops, and a p99
 * commit-to-callback latency under 1 ms at a low rate. One line each. */
static bool fd_row(const struct bench_row *r)
{
	return !strcmp(r->consumer, "evbpf-libevent") || !strncmp(r->consumer, "outer-", 6);
}

static void print_fd_checks(FILE *f, const struct bench_row *rows, unsigned n)
{
	const struct bench_row *alone;
	unsigned i, k;

	for (i = 0; i < n; i++) {
		const struct bench_row *r = &rows[i];

		if (!fd_row(r) || !r->nres)
			continue;
		if (!strcmp(r->bench, "latency")) {
			fprintf(f, "# check latency %s/%s: p99 %.1f us %s 1 ms\n", r->consumer,
				r->backend, r->lat_p99 / 1000,
				r->lat_p99 >= 0 && r->lat_p99 < 1e6 ? "under" : "NOT under");
			continue;
		}
		for (alone = NULL, k = 0; k < n; k++)
			if (!strcmp(rows[k].bench, r->bench) &&
			    !strcmp(rows[k].consumer, "producer") && rows[k].nres)
				alone = &rows[k];
		if (!alone || alone->eps_med <= 0)
			continue;
		fprintf(f, "# check %s %s/%s: %.2f of the producer alone, %.0f drops: %s\n",
			r->bench, r->consumer, r->backend, r->eps_med / alone->eps_med, r->drops,
			r->eps_med >= 0.9 * alone->eps_med && !r->drops ? "ok" : "NOT ok");
	}
}

/*
 * A file evbpf-bench uses: next to the binary (the build tree), else in
 * @installed_dir (where `meson install` put it; relative to the binary's
 * folder unless absolute). NULL when neither exists.
 */
static char *sibling_in(const char *name, const char *installed_dir)
{
	char exe[PATH_MAX], *dir = NULL, *out;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	unsigned i;

	if (n > 0) {
		exe[n] = 0;
		dir = dirname(exe);
	}
	for (i = 0; i < 2; i++) {
		int r;

		if (i == 0)
			r = dir ? asprintf(&out, "%s/%s", dir, name) : -1;
		else if (installed_dir[0] == '/')
			r = asprintf(&out, "%s/%s", installed_dir, name);
		else
			r = dir ? asprintf(&out, "%s/%s/%s", dir, installed_dir, name) : -1;
		if (r < 0)
			continue;
		if (!access(out, F_OK))
			return out;
		free(out);
	}
	return NULL;
}

/* The BPF objects and the libbpf reference binary. */
static char *sibling(const char *name)
{
	if (strstr(name, ".bpf.o"))
		return sibling_in(name, EVBPF_BENCH_DATADIR);
	return sibling_in(name, EVBPF_BENCH_LIBEXECDIR);
}

static char load_list[4096];

/* The CO-RE objects built next to the binary, each listed twice. */
static void make_load_list(void)
{
	static const char *const names[] = { "core_task", "core_mm", "core_files", "core_comm" };
	unsigned i, k;

	load_list[0] = 0;
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			char name[64], *path;

			snprintf(name, sizeof(name), "%s.bpf.o", names[i]);
			path = sibling(name);
			if (!path || access(path, R_OK)) {
				free(path);
				load_list[0] = 0;
				return;
			}
			if (load_list[0])
				strncat(load_list, ",", sizeof(load_list) - strlen(load_list) - 1);
			strncat(load_list, path, sizeof(load_list) - strlen(load_list) - 1);
			free(path);
		}
}

/* Consumer work alone: the producers fill a ring holding the whole count
 * (at most 64 MiB of records), then only the drain is timed. */
static void add_drain_set(const char *bench, const struct bench_params *p, bool have_ref)
{
	struct bench_params q = *p;
	uint64_t fit = (64u << 20) / bench_rb_rec_bytes(p);

	if (q.count > fit)
		q.count = fit;
	if (have_ref)
		add(bench, "libbpf", "ring_buffer__consume", "drain", BENCH_R_LIBBPF,
		    BENCH_C_DRAIN, &q);
	add(bench, "evbpf-compat", "ring_buffer__consume", "drain", BENCH_R_COMPAT,
	    BENCH_C_DRAIN, &q);
	add(bench, "evbpf", "evbpf_ring_consume", "drain", BENCH_R_LOOP, BENCH_L_DRAIN, &q);
}

static void add_latency_set(const char *bench, const struct bench_params *q, bool have_ref,
			    bool busy)
{
	struct bench_row *r;

	if (have_ref && (r = add(bench, "libbpf", "ring_buffer__poll", "poll", BENCH_R_LIBBPF,
				 BENCH_C_POLL, q)))
		r->ratio_by_p99 = true;
	if (have_cilium && (r = add(bench, "cilium/ebpf", "ringbuf.Reader", "poll",
				    BENCH_R_CILIUM, 0, q)))
		r->ratio_by_p99 = true;
	if ((r = add(bench, "evbpf-compat", "ring_buffer__poll", "poll", BENCH_R_COMPAT,
		     BENCH_C_POLL, q)))
		r->ratio_by_p99 = true;
	if ((r = add(bench, "evbpf", "io_uring", "poll", BENCH_R_LOOP, BENCH_L_URING, q)))
		r->ratio_by_p99 = true;
	if ((r = add(bench, "evbpf", "epoll", "poll", BENCH_R_LOOP, BENCH_L_EPOLL, q)))
		r->ratio_by_p99 = true;
	/* a spinning consumer at SCHED_FIFO would only starve the machine */
	if (busy && (r = add(bench, "evbpf", "busy", "poll", BENCH_R_LOOP, BENCH_L_BUSY, q)))
		r->ratio_by_p99 = true;
}

static void plan(const struct bench_params *base, bool full, bool have_ref)
{
	struct bench_params p = *base, q;
	struct bench_row *r;

	/* Ring buffer, default BPF-side wakeups, XDP producer. */
	add_ring_set("ringbuf", &p, have_ref, true);

	/* Consumer work alone: drain a pre-filled ring. */
	add_drain_set("drain", &p, have_ref);

	/* Perf buffers. */
	q = p;
	q.buffer = BENCH_BUF_PB;
	add_producer("perfbuf", &q);
	if (have_cilium)
		add("perfbuf", "cilium/ebpf", "perf.Reader", "perf", BENCH_R_CILIUM, 1, &q);
	if (have_ref) {
		add("perfbuf", "libbpf", "perf_buffer__poll", "perf", BENCH_R_LIBBPF,
		    BENCH_C_PERF, &p);
		add("perfbuf", "libbpf", "perf raw wakeup_events", "perf-tuned", BENCH_R_LIBBPF,
		    BENCH_C_PERF_TUNED, &p);
	}
	add("perfbuf", "evbpf-compat", "perf_buffer__poll", "perf", BENCH_R_COMPAT,
	    BENCH_C_PERF, &p);
	q = p;
	q.buffer = BENCH_BUF_PB;
	add("perfbuf", "evbpf", "io_uring", "perf", BENCH_R_LOOP, BENCH_L_URING, &q);
	add("perfbuf", "evbpf", "epoll", "perf", BENCH_R_LOOP, BENCH_L_EPOLL, &q);
	if (full)
		add("perfbuf", "evbpf", "io_uring wakeup_events", "perf-tuned", BENCH_R_LOOP,
		    BENCH_L_PERF_TUNED, &q);

	/* Latency at a low rate: tracepoint producer paced at 100k/s, every
	 * record's latency measured; at normal priority, and with the
	 * consumer thread at SCHED_FIFO where that is permitted. */
	q = p;
	q.producer = BENCH_PROD_TP;
	q.rate = 100000;
	q.lat_every = 1;
	q.count = full ? 100000 : 30000;
	q.duration_ms = 0;
	add_latency_set("latency", &q, have_ref, true);
	if (bench_fifo_permitted()) {
		q.fifo = true;
		add_latency_set("latency-fifo", &q, have_ref, false);
	}
	/* readiness of the loop fd: commit to callback through another reactor */
	q.fifo = false;
	if ((r = add("latency", "outer-epoll", "auto", "poll", BENCH_R_LOOP,
		     BENCH_L_OUTER_EPOLL, &q)))
		r->ratio_by_p99 = true;
	if ((r = add("latency", "outer-io_uring", "auto", "poll", BENCH_R_LOOP,
		     BENCH_L_OUTER_URING, &q)))
		r->ratio_by_p99 = true;

	/* Tracepoint producer, flat out: its own rate, and loop-fd consumers. */
	q = p;
	q.producer = BENCH_PROD_TP;
	add("tracepoint", "evbpf", "epoll", "poll", BENCH_R_LOOP, BENCH_L_EPOLL, &q);
	add("tracepoint", "outer-epoll", "auto", "poll", BENCH_R_LOOP, BENCH_L_OUTER_EPOLL, &q);
	add_producer("tracepoint", &q);

	/* Open+load of CO-RE objects: objects/s. */
	make_load_list();
	if (load_list[0]) {
		if (have_ref && (r = add("load", "libbpf", "open+load CO-RE", "load",
					 BENCH_R_LIBBPF, 0, &p))) {
			r->unit = "objects/s";
			r->load_list = load_list;
		}
		if ((r = add("load", "evbpf", "open+load CO-RE", "load", BENCH_R_LOAD, 0, &p))) {
			r->unit = "objects/s";
			r->load_list = load_list;
		}
	}

	/* Map updates: one syscall each, raw batch commands, evbpf's queue,
	 * and the in-program floor (bench_map.c). */
	if (have_ref && (r = add("mapupdate", "libbpf", "bpf_map_update_elem", "map",
				 BENCH_R_LIBBPF, 0, &p))) {
		r->unit = "updates/s";
		r->map_n = 100000;
	}
	{
		static const struct {
			const char *consumer;
			enum bench_runner runner;
			enum bench_map_kind kind;
		} maprows[] = {
			{ "evbpf-compat", BENCH_R_MAPSYNC, BENCH_M_SINGLE },
			{ "kernel", BENCH_R_MAPQ, BENCH_M_RAW_BATCH },
			{ "evbpf", BENCH_R_MAPQ, BENCH_M_MAPQ_URING },
			{ "evbpf", BENCH_R_MAPQ, BENCH_M_MAPQ_EPOLL },
			{ "evbpf", BENCH_R_MAPQ, BENCH_M_MAPQ_CMDS },
			{ "evbpf", BENCH_R_MAPQ, BENCH_M_MAPQ_BATCH },
			{ "evbpf", BENCH_R_MAPQ, BENCH_M_MAPQ_NOEXIST },
			{ "evbpf", BENCH_R_MAPQ, BENCH_M_MAPQ_NOEXIST_CMDS },
			{ "kernel", BENCH_R_MAPQ, BENCH_M_FLOOR },
		};
		unsigned m;

		for (m = 0; m < sizeof(maprows) / sizeof(maprows[0]); m++)
			if ((r = add("mapupdate", maprows[m].consumer,
				     bench_map_kind_name(maprows[m].kind), "map",
				     maprows[m].runner, maprows[m].kind, &p))) {
				r->unit = "updates/s";
				r->map_n = 100000;
			}
	}

	if (!full)
		return;
	/* Wakeup policies of the producer. */
	q = p;
	q.conf.wakeup = BENCH_WAKE_SAMPLED;
	q.conf.sample_n = 500;
	add_ring_set("sampled", &q, have_ref, false);
	q = p;
	q.conf.wakeup = BENCH_WAKE_NONE;
	add_ring_set("timer", &q, have_ref, false);
	q = p;
	q.conf.wakeup = BENCH_WAKE_ADAPTIVE;
	q.conf.sample_n = 256 * 1024;
	add_ring_set("adaptive", &q, have_ref, false);
	/* Record sizes (rings scaled with them) and bpf_ringbuf_output(). */
	q = p;
	q.conf.rec_size = 64;
	add_ring_set("size64", &q, have_ref, false);
	add_drain_set("drain64", &q, have_ref);
	q.conf.rec_size = 256;
	add_ring_set("size256", &q, have_ref, false);
	add_drain_set("drain256", &q, have_ref);
	q.conf.rec_size = 1024;
	add_ring_set("size1024", &q, have_ref, false);
	add_drain_set("drain1024", &q, have_ref);
	q.conf.rec_size = 4096;
	add_drain_set("drain4096", &q, have_ref);
	q = p;
	q.conf.use_output = 1;
	add_ring_set("output", &q, have_ref, false);
	/* Tracepoint producer, flat out: every consumer. */
	q = p;
	q.producer = BENCH_PROD_TP;
	add_ring_set("tracepoint-all", &q, have_ref, false);
}

/* ---- the reference subprocess ---- */

struct argv_buf {
	char *v[64];
	char store[4096];
	size_t used;
	unsigned n;
};

static void arg(struct argv_buf *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arg(struct argv_buf *a, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (a->n + 1 >= sizeof(a->v) / sizeof(a->v[0]) || a->used >= sizeof(a->store))
		return;
	va_start(ap, fmt);
	len = vsnprintf(a->store + a->used, sizeof(a->store) - a->used, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(a->store) - a->used)
		return;
	a->v[a->n++] = a->store + a->used;
	a->v[a->n] = NULL;
	a->used += len + 1;
}

static void params_args(struct argv_buf *a, const struct bench_params *p)
{
	arg(a, "--producer");
	arg(a, "%s", p->producer == BENCH_PROD_TP ? "tp" : "xdp");
	arg(a, "--record-size");
	arg(a, "%u", p->conf.rec_size);
	if (p->conf.use_output)
		arg(a, "--output");
	arg(a, "--count");
	arg(a, "%llu", (unsigned long long)p->count);
	arg(a, "--duration-ms");
	arg(a, "%u", p->duration_ms);
	arg(a, "--rate");
	arg(a, "%u", p->rate);
	arg(a, "--threads");
	arg(a, "%u", p->threads);
	arg(a, "--pb-pages");
	arg(a, "%u", bench_pb_pages(p));
	arg(a, "--pb-wakeup");
	arg(a, "%u", p->pb_wakeup);
	arg(a, "--lat-every");
	arg(a, "%u", p->lat_every);
	arg(a, "--poll-ms");
	arg(a, "%d", p->poll_ms);
	arg(a, "--prod-cpu");
	arg(a, "%d", p->prod_cpu);
	arg(a, "--cons-cpu");
	arg(a, "%d", p->cons_cpu);
	arg(a, "--wakeup");
	switch (p->conf.wakeup) {
	case BENCH_WAKE_SAMPLED: arg(a, "sampled:%u", p->conf.sample_n); break;
	case BENCH_WAKE_NONE: arg(a, "timer:%u", p->timer_us); break;
	case BENCH_WAKE_ADAPTIVE: arg(a, "adaptive:%u", p->conf.sample_n); break;
	default: arg(a, "default"); break;
	}
	arg(a, "--ring-size");
	arg(a, "%u", bench_ring_size(p));
	if (p->prefill)
		arg(a, "--prefill");
	if (p->fifo)
		arg(a, "--fifo");
	if (bench_count_syscalls)
		arg(a, "--count-syscalls");
}

static void parse_ref_line(struct bench_row *r, const char *line)
{
	struct bench_result *x = &r->res[r->nres];
	double v;

	if (r->nres >= BENCH_MAX_RUNS || !bench_json_num(line, "events", &v))
		return;
	memset(x, 0, sizeof(*x));
	x->events = (uint64_t)v;
#define GET(key, field, type) if (bench_json_num(line, key, &v)) x->field = (type)v
	GET("bytes", bytes, uint64_t);
	GET("produced", produced, uint64_t);
	GET("drops", drops, uint64_t);
	GET("lost", lost, uint64_t);
	GET("elapsed_ns", elapsed_ns, uint64_t);
	GET("consumer_cpu_ns", cpu_ns, uint64_t);
	GET("syscalls", syscalls, int64_t);
	GET("wakeups", wakeups, int64_t);
	GET("lat_p50_ns", lat_p50_ns, uint64_t);
	GET("lat_p99_ns", lat_p99_ns, uint64_t);
	GET("lat_samples", lat_samples, uint64_t);
	GET("prod_span_ns", prod_span_ns, uint64_t);
	GET("prod_span_events", prod_span_events, uint64_t);
	GET("blocked_ns", blocked_ns, uint64_t);
#undef GET
	r->nres++;
}

/* Runs the reference binary @ref for @r (libbpf's or cilium/ebpf's), at most
 * @timeout_s seconds, and reads one JSON line per run from its stdout. */
static int run_ref(struct bench_row *r, const char *ref, const char *obj, unsigned runs,
		   unsigned timeout_s)
{
	static const char *const modes[] = { "poll", "busy", "drain", "perf", "perf-tuned" };
	static const char *const cilium_modes[] = { "ringbuf", "perf" };
	unsigned start = r->nres;
	struct argv_buf a = { .n = 0 };
	char buf[8192];
	size_t len = 0;
	uint64_t end = bench_now(CLOCK_MONOTONIC) + timeout_s * 1000000000ull;
	int pfd[2], status, err = 0;
	pid_t pid;

	arg(&a, "%s", ref);
	arg(&a, "--runs");
	arg(&a, "%u", runs);
	if (r->load_list || r->map_n) {
		if (bench_count_syscalls)
			arg(&a, "--count-syscalls");
		arg(&a, r->load_list ? "--load" : "--mapupdate");
		if (r->load_list)
			arg(&a, "%s", r->load_list);
		else
			arg(&a, "%u", r->map_n);
	} else {
		arg(&a, "--obj");
		arg(&a, "%s", obj);
		arg(&a, "--mode");
		arg(&a, "%s", r->runner == BENCH_R_CILIUM ? cilium_modes[r->mode] : modes[r->mode]);
		params_args(&a, &r->p);
	}
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return err;
	}
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		execv(ref, a.v);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		uint64_t now = bench_now(CLOCK_MONOTONIC);
		ssize_t n;
		char *nl;

		if (now >= end) {
			kill(pid, SIGKILL);
			err = -ETIMEDOUT;
			break;
		}
		if (poll(&p, 1, (int)((end - now) / 1000000) + 1) <= 0)
			continue;
		n = read(pfd[0], buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		buf[len] = 0;
		while ((nl = strchr(buf, '\n'))) {
			*nl = 0;
			parse_ref_line(r, buf);
			len -= nl + 1 - buf;
			memmove(buf, nl + 1, len + 1);
		}
		if (len == sizeof(buf) - 1)
			len = 0;	/* an absurd line: drop it */
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (err)
		return err;
	/* A reference that failed part-way keeps the runs it finished; its
	 * own message went to stderr. */
	return r->nres > start ? 0 : -EIO;
}

static int load_in_process(const char *list, struct bench_result *res);

/* @runs runs of @r appended to its results; a failed round leaves none. */
/* The in-program map-update floor's object, found beside the bench. */
static const char *map_floor_obj;

static int run_row(struct bench_row *r, const char *obj, const char *ref,
		   const char *cilium, unsigned runs)
{
	unsigned j;

	r->round_start = r->nres;
	r->err = 0;
	if (r->runner == BENCH_R_LIBBPF || r->runner == BENCH_R_CILIUM) {
		r->err = run_ref(r, r->runner == BENCH_R_LIBBPF ? ref : cilium, obj, runs,
				 runs * ((r->p.duration_ms ? r->p.duration_ms : 60000) / 1000 + 30));
	} else {
		for (j = 0; j < runs && r->nres < BENCH_MAX_RUNS; j++) {
			struct bench_result *x = &r->res[r->nres];

			if (r->runner == BENCH_R_LOAD)
				r->err = load_in_process(r->load_list, x);
			else if (r->runner == BENCH_R_MAPSYNC || r->runner == BENCH_R_MAPQ)
				r->err = bench_map_run((enum bench_map_kind)r->mode,
						       r->map_n, map_floor_obj, x);
			else if (r->runner == BENCH_R_COMPAT)
				r->err = bench_compat_run(obj, &r->p,
					(enum bench_compat_mode)r->mode, x);
			else
				r->err = bench_loop_run(obj, &r->p,
					(enum bench_loop_kind)r->mode, x);
			if (r->err)
				break;
			r->nres++;
		}
	}
	if (r->err) {
		r->nres = r->round_start;
		return r->err;
	}
	return 0;
}

static int load_in_process(const char *list, struct bench_result *res)
{
	char buf[sizeof(load_list)], *paths[64], *save = NULL, *tok;
	unsigned n = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok && n < 64; tok = strtok_r(NULL, ",", &save))
		paths[n++] = tok;
	return bench_compat_load(paths, n, res);
}

static int silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void usage(void)
{
	fprintf(stderr,
"usage: evbpf-bench [options]\n"
"  --quick                the short comparison (default)\n"
"  --full                 also wakeup policies, record sizes, output, tracepoint\n"
"  --runs N               repetitions per configuration (default 3)\n"
"  --only B1,B2           only these benches (ringbuf drain perfbuf latency load mapupdate\n"
"                         latency-fifo sampled timer adaptive size64 size256 size1024\n"
"                         drain64 drain256 drain1024 drain4096 output tracepoint\n"
"                         tracepoint-all)\n"
"  --rounds N             repeat the whole comparison N times: medians and [min..max]\n"
"                         of the per-round rates and ratios (default 1)\n"
"  --json                 one JSON object per configuration instead of the table\n"
"  --plot FILE.svg        also draw events/s per consumer\n"
"  --obj FILE             producer object (default: next to this binary)\n"
"  --libbpf-ref FILE      reference binary (default: next to this binary)\n"
"  --cilium-ref FILE      cilium/ebpf reference binary (default: next to this binary)\n"
"  --no-libbpf            skip the reference rows (libbpf, cilium/ebpf)\n"
"  --list                 print the configurations and exit\n"
"  --version              print the version and exit\n"
"producer options (applied to every configuration):\n%s", bench_opts_help);
}

static void machine_line(FILE *f)
{
	char model[256] = "unknown CPU", line[512];
	struct utsname u;
	FILE *c = fopen("/proc/cpuinfo", "r");

	if (c) {
		while (fgets(line, sizeof(line), c))
			if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
				snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
				model[strcspn(model, "\n")] = 0;
				break;
			}
		fclose(c);
	}
	uname(&u);
	fprintf(f, "# %s, %ld CPUs, Linux %s\n", model, sysconf(_SC_NPROCESSORS_ONLN), u.release);
}

int main(int argc, char **argv)
{
	const char *plot = NULL, *obj = NULL, *ref = NULL, *cilium = NULL;
	char *obj_found = NULL, *ref_found = NULL, *cilium_found = NULL, *floor_obj = NULL;
	bool json = false, full = false, no_ref = false, list = false, have_ref;
	struct bench_params base;
	unsigned runs = 3, rounds = 1, round, i;
	int a, failed = 0;

	bench_params_default(&base);
	base.duration_ms = 400;
	for (a = 1; a < argc; a++) {
		int took = bench_parse_opt(&base, argc, argv, &a);

		if (took < 0) {
			fprintf(stderr, "evbpf-bench: bad value for %s\n", argv[a]);
			return 2;
		}
		if (took)
			continue;
		if (!strcmp(argv[a], "--json"))
			json = true;
		else if (!strcmp(argv[a], "--quick"))
			full = false;
		else if (!strcmp(argv[a], "--full"))
			full = true;
		else if (!strcmp(argv[a], "--no-libbpf"))
			no_ref = true;
		else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			usage();
			return 0;
		} else if (!strcmp(argv[a], "--version")) {
			printf("evbpf-bench %s\n", EVBPF_VERSION);
			return 0;
		} else if (!strcmp(argv[a], "--list"))
			list = true;
		else if (!strcmp(argv[a], "--plot") && a + 1 < argc)
			plot = argv[++a];
		else if (!strcmp(argv[a], "--obj") && a + 1 < argc)
			obj = argv[++a];
		else if (!strcmp(argv[a], "--libbpf-ref") && a + 1 < argc)
			ref = argv[++a];
		else if (!strcmp(argv[a], "--only") && a + 1 < argc)
			only = argv[++a];
		else if (!strcmp(argv[a], "--runs") && a + 1 < argc)
			runs = (unsigned)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--rounds") && a + 1 < argc)
			rounds = (unsigned)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--cilium-ref") && a + 1 < argc)
			cilium = argv[++a];
		else {
			usage();
			return 2;
		}
	}
	if (!runs || !rounds || rounds > BENCH_MAX_ROUNDS || runs * rounds >= BENCH_MAX_RUNS) {
		fprintf(stderr, "evbpf-bench: --runs and --rounds must be >= 1, rounds <= %d "
			"and runs x rounds < %d\n", BENCH_MAX_ROUNDS, BENCH_MAX_RUNS);
		return 2;
	}
	if (!obj)
		obj = obj_found = sibling("bench_prod.bpf.o");
	if (!ref && !no_ref)
		ref = ref_found = sibling("evbpf-bench-libbpf");
	floor_obj = sibling("map_floor.bpf.o");
	map_floor_obj = floor_obj;
	if (!obj || access(obj, R_OK)) {
		fprintf(stderr, "evbpf-bench: producer object not found (--obj)\n");
		failed = 1;
		goto out;
	}
	have_ref = !no_ref && ref && access(ref, X_OK) == 0;
	if (!cilium && !no_ref)
		cilium = cilium_found = sibling("evbpf-bench-cilium");
	have_cilium = !no_ref && cilium && access(cilium, X_OK) == 0;
	if (!have_ref && !no_ref && !json)
		fprintf(stderr, "evbpf-bench: %s not found: no libbpf rows\n",
			ref ? ref : "evbpf-bench-libbpf");
	libbpf_set_print(silent_print);
	plan(&base, full, have_ref);
	if (list) {
		for (i = 0; i < nrows; i++)
			printf("%-10s %-14s %s\n", rows[i].bench, rows[i].consumer, rows[i].backend);
		goto out;
	}
	for (round = 0; round < rounds; round++) {
		for (i = 0; i < nrows; i++) {
			struct bench_row *r = &rows[i];

			if (!json) {
				fprintf(stderr, "\r[%u/%u %u/%u] %-12s %-14s %-24s", round + 1,
					rounds, i + 1, nrows, r->bench, r->consumer, r->backend);
				fflush(stderr);
			}
			if (run_row(r, obj, ref, cilium, runs))
				failed++;
		}
		bench_summarize_round(rows, nrows);
	}
	/* System calls per record, counted in one more run of each row with
	 * the (costly) per-thread counter on; that run's rate is not used. */
	bench_count_syscalls = true;
	for (i = 0; i < nrows; i++) {
		struct bench_row *r = &rows[i];
		unsigned keep = r->nres;

		if (r->is_limit || !r->nres || r->nres >= BENCH_MAX_RUNS)
			continue;
		if (!json) {
			fprintf(stderr, "\r[syscalls %u/%u] %-12s %-14s %-24s", i + 1, nrows,
				r->bench, r->consumer, r->backend);
			fflush(stderr);
		}
		if (!run_row(r, obj, ref, cilium, 1) && r->nres > keep &&
		    r->res[keep].syscalls >= 0 && r->res[keep].events)
			r->sys_counted_per_kev = r->res[keep].syscalls * 1000.0 /
						 r->res[keep].events;
		r->nres = keep;
		r->err = 0;
	}
	bench_count_syscalls = false;
	if (!json)
		fprintf(stderr, "\r%-70s\r", "");
	bench_summarize(rows, nrows);
	if (json) {
		bench_print_json(stdout, rows, nrows);
	} else {
		machine_line(stdout);
		printf("# %u round(s) of %u runs per configuration; rate = median records/s "
		       "delivered [min .. max]; vs libbpf = ratio to system libbpf on the same "
		       "mode (latency: libbpf p99 / this p99); of limit = rate / the producer "
		       "alone's (latency: / the paced rate); with several rounds both are the "
		       "median of the per-round ratios [min..max]; sys/kev from a separate run "
		       "with the syscall counter\n", rounds, runs);
		bench_print_table(stdout, rows, nrows);
		print_fd_checks(stdout, rows, nrows);
		if (wanted("mapupdate") &&
		    bench_map_rounds(stdout, 100000, runs < 5 ? 5 : runs, floor_obj))
			failed++;
	}
	if (plot && bench_write_svg(plot, rows, nrows, "evbpf-bench: events/s per consumer")) {
		fprintf(stderr, "evbpf-bench: cannot write %s\n", plot);
		failed++;
	}
out:
	free(obj_found);
	free(ref_found);
	free(cilium_found);
	free(floor_obj);
	return failed ? 1 : 0;
}
