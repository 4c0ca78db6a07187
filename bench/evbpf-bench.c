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
	return r;
}

/* The rows of one ring-buffer configuration: libbpf's two ways, evbpf's
 * libbpf-compatible API, evbpf's loop on every backend. */
static void add_ring_set(const char *bench, const struct bench_params *p, bool have_ref,
			 bool full_set)
{
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
#ifdef EVBPF_BENCH_LIBEVENT
		add(bench, "evbpf-libevent", "event_base", "poll", BENCH_R_LOOP,
		    BENCH_L_LIBEVENT, p);
#endif
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

static void plan(const struct bench_params *base, bool full, bool have_ref)
{
	struct bench_params p = *base, q;
	struct bench_row *r;

	/* Ring buffer, default BPF-side wakeups, XDP producer. The producer
	 * alone fills a ring of the size the consumers use, no more than it
	 * holds: a ring far larger than the caches would time memory
	 * bandwidth instead, which a consumer that keeps up never meets. */
	q = p;
	q.ring_size = p.ring_size ? p.ring_size : 4u << 20;
	if (q.count > q.ring_size / (((q.conf.rec_size + 7) & ~7u) + 8) * 9 / 10)
		q.count = q.ring_size / (((q.conf.rec_size + 7) & ~7u) + 8) * 9 / 10;
	add("ringbuf", "producer", "alone", NULL, BENCH_R_LOOP, BENCH_L_PRODUCER, &q);
	add_ring_set("ringbuf", &p, have_ref, true);

	/* Consumer work alone: drain a pre-filled ring. */
	if (have_ref)
		add("drain", "libbpf", "ring_buffer__consume", "drain", BENCH_R_LIBBPF,
		    BENCH_C_DRAIN, &p);
	add("drain", "evbpf-compat", "ring_buffer__consume", "drain", BENCH_R_COMPAT,
	    BENCH_C_DRAIN, &p);
	add("drain", "evbpf", "evbpf_ring_consume", "drain", BENCH_R_LOOP, BENCH_L_DRAIN, &p);

	/* Perf buffers. */
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
	 * record's latency measured. */
	q = p;
	q.producer = BENCH_PROD_TP;
	q.rate = 100000;
	q.lat_every = 1;
	q.count = full ? 100000 : 30000;
	q.duration_ms = 0;
	if (have_ref)
		if ((r = add("latency", "libbpf", "ring_buffer__poll", "poll", BENCH_R_LIBBPF,
			     BENCH_C_POLL, &q)))
			r->ratio_by_p99 = true;
	if ((r = add("latency", "evbpf-compat", "ring_buffer__poll", "poll", BENCH_R_COMPAT,
		     BENCH_C_POLL, &q)))
		r->ratio_by_p99 = true;
	if ((r = add("latency", "evbpf", "io_uring", "poll", BENCH_R_LOOP, BENCH_L_URING, &q)))
		r->ratio_by_p99 = true;
	if ((r = add("latency", "evbpf", "epoll", "poll", BENCH_R_LOOP, BENCH_L_EPOLL, &q)))
		r->ratio_by_p99 = true;
	if ((r = add("latency", "evbpf", "busy", "poll", BENCH_R_LOOP, BENCH_L_BUSY, &q)))
		r->ratio_by_p99 = true;

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

	/* Map updates: one syscall each vs evbpf's asynchronous batched queue. */
	if (have_ref && (r = add("mapupdate", "libbpf", "bpf_map_update_elem", "map",
				 BENCH_R_LIBBPF, 0, &p))) {
		r->unit = "updates/s";
		r->map_n = 100000;
	}
	if ((r = add("mapupdate", "evbpf-compat", "bpf_map_update_elem", "map",
		     BENCH_R_MAPSYNC, 0, &p))) {
		r->unit = "updates/s";
		r->map_n = 100000;
	}
	if ((r = add("mapupdate", "evbpf", "mapq io_uring", "map", BENCH_R_MAPQ,
		     BENCH_L_URING, &p))) {
		r->unit = "updates/s";
		r->map_n = 100000;
	}
	if ((r = add("mapupdate", "evbpf", "mapq epoll", "map", BENCH_R_MAPQ,
		     BENCH_L_EPOLL, &p))) {
		r->unit = "updates/s";
		r->map_n = 100000;
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
	/* Record sizes and bpf_ringbuf_output(). */
	q = p;
	q.conf.rec_size = 256;
	add_ring_set("size256", &q, have_ref, false);
	q.conf.rec_size = 1024;
	add_ring_set("size1024", &q, have_ref, false);
	q = p;
	q.conf.use_output = 1;
	add_ring_set("output", &q, have_ref, false);
	/* Tracepoint producer, flat out. */
	q = p;
	q.producer = BENCH_PROD_TP;
	add_ring_set("tracepoint", &q, have_ref, false);
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
	arg(a, "%u", p->pb_pages);
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
	if (p->ring_size) {
		arg(a, "--ring-size");
		arg(a, "%u", p->ring_size);
	}
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

/* Runs the reference binary for @r, at most @timeout_s seconds, and reads
 * one JSON line per run from its stdout. */
static int run_ref(struct bench_row *r, const char *ref, const char *obj, unsigned runs,
		   unsigned timeout_s)
{
	static const char *const modes[] = { "poll", "busy", "drain", "perf", "perf-tuned" };
	struct argv_buf a = { .n = 0 };
	char buf[8192];
	size_t len = 0;
	uint64_t end = bench_now(CLOCK_MONOTONIC) + timeout_s * 1000000000ull;
	int pfd[2], status, err = 0;
	pid_t pid;

	arg(&a, "%s", ref);
	arg(&a, "--runs");
	arg(&a, "%u", runs);
	if (r->load_list) {
		arg(&a, "--load");
		arg(&a, "%s", r->load_list);
	} else if (r->map_n) {
		arg(&a, "--mapupdate");
		arg(&a, "%u", r->map_n);
	} else {
		arg(&a, "--obj");
		arg(&a, "%s", obj);
		arg(&a, "--mode");
		arg(&a, "%s", modes[r->mode]);
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
	return r->nres ? 0 : -EIO;
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
"                         sampled timer adaptive size256 size1024 output tracepoint)\n"
"  --json                 one JSON object per configuration instead of the table\n"
"  --plot FILE.svg        also draw events/s per consumer\n"
"  --obj FILE             producer object (default: next to this binary)\n"
"  --libbpf-ref FILE      reference binary (default: next to this binary)\n"
"  --no-libbpf            skip the system-libbpf rows\n"
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
	const char *plot = NULL, *obj = NULL, *ref = NULL;
	char *obj_found = NULL, *ref_found = NULL;
	bool json = false, full = false, no_ref = false, list = false, have_ref;
	struct bench_params base;
	unsigned runs = 3, i, j;
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
		else {
			usage();
			return 2;
		}
	}
	if (!runs || runs > BENCH_MAX_RUNS) {
		fprintf(stderr, "evbpf-bench: --runs must be 1..%d\n", BENCH_MAX_RUNS);
		return 2;
	}
	if (!obj)
		obj = obj_found = sibling("bench_prod.bpf.o");
	if (!ref && !no_ref)
		ref = ref_found = sibling("evbpf-bench-libbpf");
	if (!obj || access(obj, R_OK)) {
		fprintf(stderr, "evbpf-bench: producer object not found (--obj)\n");
		failed = 1;
		goto out;
	}
	have_ref = !no_ref && ref && access(ref, X_OK) == 0;
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
	for (i = 0; i < nrows; i++) {
		struct bench_row *r = &rows[i];

		if (!json) {
			fprintf(stderr, "\r[%u/%u] %-10s %-14s %-24s", i + 1, nrows, r->bench,
				r->consumer, r->backend);
			fflush(stderr);
		}
		if (r->runner == BENCH_R_LIBBPF) {
			r->err = run_ref(r, ref, obj, runs,
					 runs * ((r->p.duration_ms ? r->p.duration_ms : 60000) / 1000 + 30));
		} else {
			for (j = 0; j < runs; j++) {
				struct bench_result *x = &r->res[r->nres];

				if (r->runner == BENCH_R_LOAD)
					r->err = load_in_process(r->load_list, x);
				else if (r->runner == BENCH_R_MAPSYNC)
					r->err = bench_compat_mapupdate(r->map_n, x);
				else if (r->runner == BENCH_R_MAPQ)
					r->err = bench_mapq_run((enum bench_loop_kind)r->mode,
								r->map_n, x);
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
			failed++;
			r->nres = 0;
		}
	}
	if (!json)
		fprintf(stderr, "\r%-70s\r", "");
	bench_summarize(rows, nrows);
	if (json) {
		bench_print_json(stdout, rows, nrows);
	} else {
		machine_line(stdout);
		printf("# %u runs per configuration; rate = median records/s delivered "
		       "(min..max); vs lib = ratio to system libbpf on the same mode "
		       "(latency: libbpf p99 / this p99)\n", runs);
		bench_print_table(stdout, rows, nrows);
	}
	if (plot && bench_write_svg(plot, rows, nrows, "evbpf-bench: events/s per consumer")) {
		fprintf(stderr, "evbpf-bench: cannot write %s\n", plot);
		failed++;
	}
out:
	free(obj_found);
	free(ref_found);
	return failed ? 1 : 0;
}
