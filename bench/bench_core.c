// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Library-free half of evbpf-bench; see bench_core.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench_core.h"

#define LAT_CAP (1u << 20)
#define FIFO_PRIO 50

bool bench_count_syscalls;

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

int bench_map_update(int fd, const void *key, const void *val, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)val;
	a.flags = flags;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a) ? -errno : 0;
}

int bench_map_lookup(int fd, const void *key, void *val)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)val;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) ? -errno : 0;
}

int bench_possible_cpus(void)
{
	char buf[256];
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int max = 0;
	char *s;

	if (fd < 0)
		return (int)sysconf(_SC_NPROCESSORS_CONF);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return (int)sysconf(_SC_NPROCESSORS_CONF);
	buf[n] = 0;
	/* "0-3,5,7-8": the count is the highest number plus one. */
	for (s = buf; *s;) {
		char *end;
		long v;

		if (*s < '0' || *s > '9') {
			s++;
			continue;
		}
		v = strtol(s, &end, 10);
		if (end == s) {
			s++;
			continue;
		}
		if (v + 1 > max)
			max = (int)v + 1;
		s = end;
	}
	return max > 0 ? max : 1;
}

const char *bench_wakeup_name(unsigned wakeup)
{
	switch (wakeup) {
	case BENCH_WAKE_SAMPLED: return "sampled";
	case BENCH_WAKE_NONE: return "timer";
	case BENCH_WAKE_ADAPTIVE: return "adaptive";
	default: return "default";
	}
}

void bench_params_default(struct bench_params *p)
{
	memset(p, 0, sizeof(*p));
	p->producer = BENCH_PROD_XDP;
	p->buffer = BENCH_BUF_RB;
	p->conf.rec_size = BENCH_MIN_REC;
	p->conf.sample_n = 500;
	p->count = 2000000;
	p->duration_ms = 1000;
	p->threads = 1;
	p->pb_pages = 0;
	p->pb_wakeup = 500;
	p->timer_us = 100;
	p->lat_every = 256;
	p->poll_ms = 1;
	p->prod_cpu = 0;
	p->cons_cpu = 1;
}

static uint64_t pow2_at_least(uint64_t v)
{
	uint64_t r = 4096;

	while (r < v)
		r <<= 1;
	return r;
}

unsigned bench_rb_rec_bytes(const struct bench_params *p)
{
	/* an 8-byte header, 8-byte aligned */
	return ((p->conf.rec_size + 7) & ~7u) + 8;
}

unsigned bench_pb_rec_bytes(const struct bench_params *p)
{
	/* perf_event_header, then a u32 size and the data, padded to 8 */
	return 8 + ((4 + p->conf.rec_size + 7) & ~7u);
}

/* @base for 16-byte records, scaled with the bytes a record takes. */
static uint64_t scaled(uint64_t base, unsigned rec_bytes, unsigned min_bytes)
{
	return pow2_at_least(base * rec_bytes / min_bytes);
}

unsigned bench_ring_size(const struct bench_params *p)
{
	uint64_t need;

	if (p->ring_size)
		return p->ring_size;
	if (!p->prefill)
		need = scaled(4u << 20, bench_rb_rec_bytes(p), BENCH_MIN_REC + 8);
	else
		need = pow2_at_least(p->count * bench_rb_rec_bytes(p));
	return need > (1u << 30) ? 1u << 30 : (unsigned)need;
}

unsigned bench_pb_pages(const struct bench_params *p)
{
	uint64_t pages;

	if (p->pb_pages)
		return p->pb_pages;
	/* as many bytes as the ring buffer rows get: a smaller perf ring
	 * drops (on a loaded machine) where the ring rows do not, and the
	 * rates then compare different amounts of work */
	pages = scaled(4u << 20, bench_pb_rec_bytes(p), BENCH_MIN_REC + 16) / 4096;
	return pages > 65536 ? 65536 : (unsigned)pages;
}

bool bench_fifo_permitted(void)
{
	struct sched_param sp = { .sched_priority = FIFO_PRIO }, old;
	int policy;

	if (pthread_getschedparam(pthread_self(), &policy, &old))
		return false;
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		return false;
	pthread_setschedparam(pthread_self(), policy, &old);
	return true;
}

/* Numbers take k, M, G (powers of 1000) or Ki, Mi, Gi (powers of 1024). */
static int parse_num(const char *s, uint64_t *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	if (!strcmp(end, "k"))
		v *= 1e3;
	else if (!strcmp(end, "M"))
		v *= 1e6;
	else if (!strcmp(end, "G"))
		v *= 1e9;
	else if (!strcmp(end, "Ki"))
		v *= 1024;
	else if (!strcmp(end, "Mi"))
		v *= 1024 * 1024;
	else if (!strcmp(end, "Gi"))
		v *= 1024.0 * 1024 * 1024;
	else if (*end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

const char bench_opts_help[] =
"  --producer xdp|tp      XDP test runs (default) or getpgid() tracepoint\n"
"  --record-size N        bytes per record, 16..4096 (default 16)\n"
"  --output               bpf_ringbuf_output() instead of reserve+submit\n"
"  --wakeup MODE          default | sampled:N | timer[:USEC] | adaptive:BYTES\n"
"  --count N              records per run (default 2M; k/M/G, Ki/Mi/Gi)\n"
"  --duration-ms N        stop producers after N ms (default 1000; 0: never)\n"
"  --rate N               tracepoint producer rate, records/s (0: flat out)\n"
"  --threads N            producer threads (default 1)\n"
"  --ring-size N          ring buffer bytes (default 4Mi at 16 B, scaled with the size)\n"
"  --pb-pages N           perf ring pages per CPU (default 1024 at 16 B, scaled)\n"
"  --pb-wakeup N          wakeup_events of tuned perf consumers (default 500)\n"
"  --lat-every N          latency of one record in N, power of two (default 256)\n"
"  --poll-ms N            consumer poll timeout (default 1)\n"
"  --prod-cpu N --cons-cpu N   pinning (default 0 and 1; -1: none)\n"
"  --fifo                 consumer thread at SCHED_FIFO\n"
"  --count-syscalls       count the consumer's system calls (slows them)\n";

int bench_parse_opt(struct bench_params *p, int argc, char **argv, int *i)
{
	const char *o = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	uint64_t n = 0;

	if (!strcmp(o, "--output")) {
		p->conf.use_output = 1;
		return 1;
	}
	if (!strcmp(o, "--prefill")) {
		p->prefill = true;
		return 1;
	}
	if (!strcmp(o, "--fifo")) {
		p->fifo = true;
		return 1;
	}
	if (!strcmp(o, "--count-syscalls")) {
		bench_count_syscalls = true;
		return 1;
	}
	if (strncmp(o, "--", 2) || !strcmp(o, "--json") || !strcmp(o, "--plot"))
		return 0;
	if (!strcmp(o, "--producer")) {
		if (!v)
			return -1;
		if (!strcmp(v, "xdp"))
			p->producer = BENCH_PROD_XDP;
		else if (!strcmp(v, "tp"))
			p->producer = BENCH_PROD_TP;
		else
			return -1;
		(*i)++;
		return 1;
	}
	if (!strcmp(o, "--wakeup")) {
		const char *arg;

		if (!v)
			return -1;
		arg = strchr(v, ':');
		if (!strncmp(v, "default", 7)) {
			p->conf.wakeup = BENCH_WAKE_DEFAULT;
		} else if (!strncmp(v, "sampled", 7)) {
			p->conf.wakeup = BENCH_WAKE_SAMPLED;
			p->conf.sample_n = 500;
		} else if (!strncmp(v, "timer", 5)) {
			p->conf.wakeup = BENCH_WAKE_NONE;
		} else if (!strncmp(v, "adaptive", 8)) {
			p->conf.wakeup = BENCH_WAKE_ADAPTIVE;
			p->conf.sample_n = 64 * 1024;
		} else {
			return -1;
		}
		if (arg) {
			if (parse_num(arg + 1, &n) || !n || n > UINT32_MAX)
				return -1;
			if (p->conf.wakeup == BENCH_WAKE_NONE)
				p->timer_us = (unsigned)n;
			else
				p->conf.sample_n = (uint32_t)n;
		}
		(*i)++;
		return 1;
	}
	if (!v)
		return 0;
	if (!strcmp(o, "--prod-cpu") || !strcmp(o, "--cons-cpu")) {
		int c = atoi(v);

		*(!strcmp(o, "--prod-cpu") ? &p->prod_cpu : &p->cons_cpu) = c < 0 ? -1 : c;
		(*i)++;
		return 1;
	}
	if (parse_num(v, &n))
		return 0;
	if (!strcmp(o, "--record-size")) {
		if (n < BENCH_MIN_REC || n > BENCH_MAX_REC)
			return -1;
		p->conf.rec_size = (uint32_t)n;
	} else if (!strcmp(o, "--count")) {
		if (!n)
			return -1;
		p->count = n;
	} else if (!strcmp(o, "--duration-ms")) {
		p->duration_ms = (unsigned)n;
	} else if (!strcmp(o, "--rate")) {
		p->rate = (unsigned)n;
	} else if (!strcmp(o, "--threads")) {
		if (!n || n > BENCH_MAX_THREADS)
			return -1;
		p->threads = (unsigned)n;
	} else if (!strcmp(o, "--ring-size")) {
		if (n < 4096 || (n & (n - 1)) || n > (1u << 31))
			return -1;
		p->ring_size = (unsigned)n;
	} else if (!strcmp(o, "--pb-pages")) {
		if (!n || (n & (n - 1)))
			return -1;
		p->pb_pages = (unsigned)n;
	} else if (!strcmp(o, "--pb-wakeup")) {
		p->pb_wakeup = n ? (unsigned)n : 1;
	} else if (!strcmp(o, "--lat-every")) {
		if (!n || (n & (n - 1)))
			return -1;
		p->lat_every = (unsigned)n;
	} else if (!strcmp(o, "--poll-ms")) {
		p->poll_ms = (int)n;
	} else {
		return 0;
	}
	(*i)++;
	return 1;
}

/* Pins the calling thread to @cpu (< 0: anywhere). Best effort: a CPU that
 * is not online just leaves the thread unpinned. */
static void pin_self(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu % CPU_SETSIZE, &set);
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static int tracepoint_id(const char *cat, const char *name)
{
	static const char *const roots[] = {
		"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events",
	};
	char path[256], buf[32];
	size_t i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		int fd;
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s/%s/id", roots[i], cat, name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = 0;
			return atoi(buf);
		}
	}
	return -ENOENT;
}

static int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	return (int)syscall(__NR_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* Counts the calling thread's syscalls through raw_syscalls:sys_enter. */
static int open_syscall_counter(void)
{
	struct perf_event_attr attr;
	int id = tracepoint_id("raw_syscalls", "sys_enter");

	if (id < 0)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	return perf_open(&attr, 0, -1);
}

static int64_t read_counter(int fd)
{
	uint64_t v;

	if (fd < 0 || read(fd, &v, sizeof(v)) != sizeof(v))
		return -1;
	return (int64_t)v;
}

static int64_t thread_vcsw(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return ru.ru_nvcsw;
}

static void counters_start(struct bench_run *r)
{
	r->cpu0 = bench_now(CLOCK_THREAD_CPUTIME_ID);
	r->vcsw0 = thread_vcsw();
	r->sys0 = read_counter(r->sys_fd);
}

void bench_first(struct bench_run *r, const struct bench_rec *rec)
{
	r->first_ts = rec->ts;
	r->first_ts_events = r->events;
	if (!r->p->prefill)
		counters_start(r);
}

void bench_on_sampled(struct bench_run *r, const void *data, bool first)
{
	struct bench_rec rec;

	memcpy(&rec, data, sizeof(rec));
	if (first)
		bench_first(r, &rec);
	if (!(rec.seq & r->lat_mask))
		bench_lat(r, &rec);
}

void bench_lat(struct bench_run *r, const struct bench_rec *rec)
{
	uint64_t now = bench_now(CLOCK_MONOTONIC);

	/* After untimed laps the first record delivered may carry no
	 * stamp: the producer's span starts at the first that does. */
	if (!r->first_ts) {
		r->first_ts = rec->ts;
		r->first_ts_events = r->events;
	}
	r->last_ts = rec->ts;
	r->last_ts_events = r->events;
	if (r->lat_n < r->lat_cap)
		r->lat[r->lat_n++] = now > rec->ts ? now - rec->ts : 0;
}

static int read_stats(struct bench_run *r, uint64_t *produced, uint64_t *dropped);
static void producers_reset(struct bench_run *r);

/* What the timed run reports starts here: the producers' counters so far
 * are taken out of its result. */
static int warm_mark(struct bench_run *r)
{
	uint64_t produced, dropped;
	int err = read_stats(r, &produced, &dropped);

	if (err)
		return err;
	r->warm_produced = produced;
	r->warm_dropped = dropped;
	return 0;
}

bool bench_ring_prewarmed(const struct bench_params *p)
{
	return p->buffer == BENCH_BUF_RB && !p->prefill && p->producer == BENCH_PROD_XDP;
}

int bench_run_init(struct bench_run *r, const struct bench_params *p,
		   const struct bench_fds *fds)
{
	memset(r, 0, sizeof(*r));
	r->tp_fd = r->sys_fd = r->done_efd = r->start_efd = -1;
	r->p = p;
	r->fds = *fds;
	r->lat_mask = p->lat_every ? p->lat_every - 1 : 0;
	r->lat_cap = LAT_CAP;
	r->lat = malloc(r->lat_cap * sizeof(*r->lat));
	if (!r->lat)
		return -ENOMEM;
	r->done_efd = eventfd(0, EFD_CLOEXEC);
	if (r->done_efd < 0)
		return -errno;
	r->start_efd = eventfd(0, EFD_CLOEXEC);
	if (r->start_efd < 0)
		return -errno;
	pin_self(p->cons_cpu);
	if (p->fifo) {
		struct sched_param sp = { .sched_priority = FIFO_PRIO };
		int err = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);

		if (err)
			return -err;
		r->fifo = true;
	}
	if (bench_count_syscalls)
		r->sys_fd = open_syscall_counter();
	return 0;
}

int bench_attach_tp(struct bench_run *r)
{
	struct perf_event_attr attr;
	int id = tracepoint_id("syscalls", "sys_enter_getpgid");

	if (id < 0)
		return id;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	r->tp_fd = perf_open(&attr, -1, 0);
	if (r->tp_fd < 0)
		return -errno;
	if (ioctl(r->tp_fd, PERF_EVENT_IOC_SET_BPF, r->fds.prog_fd) ||
	    ioctl(r->tp_fd, PERF_EVENT_IOC_ENABLE, 0))
		return -errno;
	return 0;
}

/* Each producer thread, once it runs: the duration counts from there. */
static void producer_started(struct bench_run *r)
{
	uint64_t one = 1;

	if (atomic_fetch_add(&r->started, 1) + 1 == r->nthr &&
	    write(r->start_efd, &one, sizeof(one)) < 0)
		r->err = -errno;
}

static void producer_finished(struct bench_run *r)
{
	uint64_t one = 1;

	if (atomic_fetch_sub(&r->running, 1) == 1) {
		atomic_store_explicit(&r->done, true, memory_order_release);
		if (write(r->done_efd, &one, sizeof(one)) < 0)
			r->err = -errno;
	}
}

static void *xdp_thread(void *arg)
{
	struct bench_targ *t = arg;
	struct bench_run *r = t->r;
	unsigned char pkt[64];
	union bpf_attr a;
	uint64_t left = t->n;

	pin_self(t->cpu);
	producer_started(r);
	memset(pkt, 0, sizeof(pkt));
	/* One large call: each call with repeat > 1 pays an RCU grace period. */
	while (left && !atomic_load(&r->stop)) {
		uint32_t n = left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;

		memset(&a, 0, sizeof(a));
		a.test.prog_fd = r->fds.prog_fd;
		a.test.repeat = n;
		a.test.data_in = (uintptr_t)pkt;
		a.test.data_size_in = sizeof(pkt);
		if (sys_bpf(BPF_PROG_TEST_RUN, &a)) {
			r->err = -errno;
			break;
		}
		left -= n;
	}
	producer_finished(r);
	return NULL;
}

static void *tp_thread(void *arg)
{
	struct bench_targ *t = arg;
	struct bench_run *r = t->r;
	unsigned rate = r->p->rate / (r->nthr ? r->nthr : 1);
	uint64_t period = rate ? 1000000000ull / rate : 0;
	uint64_t start, i;

	pin_self(t->cpu);
	producer_started(r);
	start = bench_now(CLOCK_MONOTONIC);
	for (i = 0; i < t->n; i++) {
		if ((i & 63) == 0 && atomic_load_explicit(&r->stop, memory_order_relaxed))
			break;
		if (period)
			while (bench_now(CLOCK_MONOTONIC) < start + i * period)
				;
		syscall(SYS_getpgid, 0);
	}
	producer_finished(r);
	return NULL;
}

/* Ends the producers after duration_ms unless they are done first. */
static void *stopper_thread(void *arg)
{
	struct bench_run *r = arg;
	struct pollfd pfd = { .fd = r->done_efd, .events = POLLIN };
	struct pollfd both[2] = {
		{ .fd = r->start_efd, .events = POLLIN },
		{ .fd = r->done_efd, .events = POLLIN },
	};
	struct bench_ctl c = { .stop = 1 };
	uint32_t zero = 0;
	int ret;

	/* On a loaded machine a producer thread may wait long for its CPU:
	 * the duration counts from when every producer runs. */
	do
		ret = poll(both, 2, -1);
	while (ret < 0 && errno == EINTR);
	if (ret < 0 || both[1].revents)
		return NULL;
	do
		ret = poll(&pfd, 1, (int)r->p->duration_ms);
	while (ret < 0 && errno == EINTR);
	if (ret == 0) {
		atomic_store(&r->stop, true);
		bench_map_update(r->fds.ctl_fd, &zero, &c, BPF_ANY);
	}
	return NULL;
}

int bench_run_start(struct bench_run *r)
{
	const struct bench_params *p = r->p;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	unsigned i;
	int err;

	r->nthr = p->threads ? p->threads : 1;
	atomic_store(&r->running, r->nthr);
	/* A producer that never finishes must not hang the bench. */
	r->deadline = bench_now(CLOCK_MONOTONIC) +
		((uint64_t)(p->duration_ms ? p->duration_ms : 60000) + 30000) * 1000000ull;
	for (i = 0; i < r->nthr; i++) {
		struct bench_targ *t = &r->targ[i];

		t->r = r;
		t->n = p->count / r->nthr + (i == 0 ? p->count % r->nthr : 0);
		t->cpu = p->prod_cpu < 0 ? -1 : (p->prod_cpu + (int)i) % (ncpu > 0 ? ncpu : 1);
		err = pthread_create(&r->thr[i], NULL,
				     p->producer == BENCH_PROD_TP ? tp_thread : xdp_thread, t);
		if (err) {
			/* The threads not started count as finished. */
			while (i++ < r->nthr)
				producer_finished(r);
			return -err;
		}
	}
	if (p->duration_ms && !p->prefill) {
		err = pthread_create(&r->stopper, NULL, stopper_thread, r);
		if (err)
			return -err;
		r->stopper_started = true;
	}
	return 0;
}

void bench_wait_producers(struct bench_run *r)
{
	struct pollfd pfd = { .fd = r->done_efd, .events = POLLIN };

	while (!bench_producer_done(r) && bench_now(CLOCK_MONOTONIC) < r->deadline)
		poll(&pfd, 1, 1000);
}

int bench_consume_loop(struct bench_run *r, bench_step_fn step,
		       bench_step_fn drain, void *ctx)
{
	for (;;) {
		bool done = bench_producer_done(r);
		int n = step(ctx);

		if (n < 0 && n != -EINTR)
			return n;
		if (n > 0) {
			bench_mark(r);
			continue;
		}
		if (!done) {
			if (bench_now(CLOCK_MONOTONIC) > r->deadline)
				return -ETIMEDOUT;
			continue;
		}
		/* Producers finished before this empty step: take what a
		 * missing wakeup may have left, then stop. */
		n = drain(ctx);
		if (n < 0)
			return n;
		if (n > 0)
			bench_mark(r);
		return 0;
	}
}

static int read_stats(struct bench_run *r, uint64_t *produced, uint64_t *dropped);

/* Joins the finished producer threads and makes the run ready for
 * bench_run_start() again. */
static void producers_reset(struct bench_run *r)
{
	uint64_t v;
	unsigned i;

	for (i = 0; i < r->nthr; i++)
		pthread_join(r->thr[i], NULL);
	/* both were written once by the lap that ended */
	if (read(r->done_efd, &v, sizeof(v)) < 0 || read(r->start_efd, &v, sizeof(v)) < 0)
		r->err = -errno;
	atomic_store(&r->started, 0);
	atomic_store(&r->done, false);
}

/* One untimed lap: waits for the producers, lets @drain take every record
 * and joins them. */
static int lap_drained(struct bench_run *r, bench_step_fn drain, void *ctx)
{
	int n = 0, err = 0;

	bench_wait_producers(r);
	if (!bench_producer_done(r))
		err = -ETIMEDOUT;
	while (!err && (n = drain(ctx)) > 0)
		;
	if (n < 0)
		err = n;
	producers_reset(r);
	return err ?: r->err;
}

/* The timed run's counters start here. */
static int warm_done(struct bench_run *r)
{
	int err = warm_mark(r);

	r->events = r->bytes = r->lost = 0;
	r->first_ts = r->last_ts = r->last_ts_events = r->first_ts_events = r->t_last = 0;
	r->lat_n = 0;
	return err;
}

/*
 * Untimed laps before the timed one, until the producers have written the
 * whole ring once and the consumer has read it through its own mapping.
 * On a virtual machine the first read of each page through a new mapping
 * costs microseconds in the hypervisor (no guest page fault, but a
 * second-level table fill), the same for every consumer: without the warm
 * laps a drain of large records times that, one page per 4 KiB record, not
 * the consumer. A consumer that has run for one lap of its ring no longer
 * pays it. Entered with the first lap's producers started; leaves the
 * timed run's started.
 */
static int drain_warm(struct bench_run *r, bench_step_fn drain, void *ctx)
{
	const struct bench_params *p = r->p;
	bool pb = p->buffer == BENCH_BUF_PB;
	/* a perf producer writes only its own CPU's ring: one ring's bytes */
	uint64_t ring = pb ? (uint64_t)bench_pb_pages(p) * 4096 : bench_ring_size(p);
	uint64_t lap = p->count * (pb ? bench_pb_rec_bytes(p) : bench_rb_rec_bytes(p));
	uint64_t covered = 0;
	int err;

	for (;;) {
		err = lap_drained(r, drain, ctx);
		if (err)
			return err;
		covered += lap;
		if (covered >= ring)
			break;
		err = bench_run_start(r);
		if (err)
			return err;
	}
	return warm_done(r) ?: bench_run_start(r);
}

int bench_consumer_warm(struct bench_run *r, bench_step_fn drain, void *ctx)
{
	const struct bench_params *p = r->p;
	uint64_t size, covered = 0;
	struct bench_params q;
	int err = 0;

	if (!bench_ring_prewarmed(p))
		return 0;
	size = bench_ring_size(p);
	q = *p;
	q.count = size / bench_rb_rec_bytes(p) * 9 / 10;
	q.duration_ms = 0;
	r->p = &q;
	while (!err && covered < size) {
		err = bench_run_start(r) ?: lap_drained(r, drain, ctx);
		covered += q.count * bench_rb_rec_bytes(p);
	}
	r->p = p;
	return err ?: warm_done(r);
}

int bench_drain_timed(struct bench_run *r, bench_step_fn drain, void *ctx, bool warm)
{
	int n;

	if (warm) {
		n = drain_warm(r, drain, ctx);
		if (n)
			return n;
	}
	bench_wait_producers(r);
	if (!bench_producer_done(r))
		return -ETIMEDOUT;
	r->t0 = bench_now(CLOCK_MONOTONIC);
	counters_start(r);
	do {
		n = drain(ctx);
		if (n < 0)
			return n;
	} while (n > 0);
	bench_mark(r);
	return 0;
}

int bench_drain_laps(struct bench_run *r, bench_step_fn drain, void *ctx)
{
	uint64_t per = r->p->count ? r->p->count : 1;
	uint64_t laps = (BENCH_DRAIN_RECORDS + per - 1) / per, i;
	int err;

	if (laps > BENCH_DRAIN_LAPS)
		laps = BENCH_DRAIN_LAPS;
	err = bench_drain_timed(r, drain, ctx, true);
	for (i = 1; !err && i < laps; i++) {
		/* bank this lap's figures; the refill is not timed */
		r->drain_ns_sum += r->t_last - r->t0;
		r->drain_cpu_sum += bench_now(CLOCK_THREAD_CPUTIME_ID) - r->cpu0;
		r->drain_vcsw_sum += thread_vcsw() - r->vcsw0;
		if (r->sys_fd >= 0)
			r->drain_sys_sum += read_counter(r->sys_fd) - r->sys0;
		producers_reset(r);
		err = r->err ?: bench_run_start(r);
		if (!err)
			err = bench_drain_timed(r, drain, ctx, false);
	}
	return err;
}

/*
 * The producer alone: after the warm laps (unless bench_consumer_warm()
 * ran them), p->laps timed laps of p->count
 * records (a ring's worth), each read back untimed before the next. The
 * producer's own spans of the laps add up, so the limit covers as many
 * records, and as much of the machine's other load, as a consumer row does
 * rather than the few milliseconds one filling of the ring takes.
 */
int bench_producer_laps(struct bench_run *r, bench_step_fn drain, void *ctx)
{
	unsigned laps = r->p->laps ? r->p->laps : 1, i;
	int err;

	err = bench_drain_timed(r, drain, ctx, !bench_ring_prewarmed(r->p));
	for (i = 1; !err && i < laps; i++) {
		if (r->last_ts > r->first_ts) {
			r->span_ns_sum += r->last_ts - r->first_ts;
			r->span_events_sum += r->last_ts_events - r->first_ts_events;
		}
		r->first_ts = r->last_ts = r->first_ts_events = r->last_ts_events = 0;
		producers_reset(r);
		err = r->err ?: bench_run_start(r);
		if (!err)
			err = bench_drain_timed(r, drain, ctx, false);
	}
	return err;
}

void bench_timer_sleep(const struct bench_params *p)
{
	struct timespec ts = {
		.tv_sec = p->timer_us / 1000000,
		.tv_nsec = (long)(p->timer_us % 1000000) * 1000,
	};

	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

void bench_measure_begin(struct bench_measure *m)
{
	m->sys_fd = bench_count_syscalls ? open_syscall_counter() : -1;
	m->sys0 = read_counter(m->sys_fd);
	m->vcsw0 = thread_vcsw();
	m->cpu0 = bench_now(CLOCK_THREAD_CPUTIME_ID);
	m->t0 = bench_now(CLOCK_MONOTONIC);
}

void bench_measure_end(struct bench_measure *m, struct bench_result *res)
{
	res->elapsed_ns = bench_now(CLOCK_MONOTONIC) - m->t0;
	res->cpu_ns = bench_now(CLOCK_THREAD_CPUTIME_ID) - m->cpu0;
	res->wakeups = thread_vcsw() - m->vcsw0;
	/* minus the read() that takes the second sample */
	res->syscalls = m->sys_fd >= 0 ? read_counter(m->sys_fd) - m->sys0 - 1 : -1;
	if (m->sys_fd >= 0)
		close(m->sys_fd);
	m->sys_fd = -1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int read_stats(struct bench_run *r, uint64_t *produced, uint64_t *dropped)
{
	int ncpu = bench_possible_cpus(), i, err;
	struct bench_stats *v = calloc(ncpu, sizeof(*v));
	uint32_t zero = 0;

	if (!v)
		return -ENOMEM;
	err = bench_map_lookup(r->fds.stats_fd, &zero, v);
	*produced = *dropped = 0;
	for (i = 0; !err && i < ncpu; i++) {
		*produced += v[i].produced;
		*dropped += v[i].dropped;
	}
	free(v);
	return err;
}

int bench_run_finish(struct bench_run *r, struct bench_result *res)
{
	unsigned i;
	int err;

	memset(res, 0, sizeof(*res));
	res->cpu_ns = r->events ?
		bench_now(CLOCK_THREAD_CPUTIME_ID) - r->cpu0 + r->drain_cpu_sum : 0;
	res->wakeups = r->events ? thread_vcsw() - r->vcsw0 + r->drain_vcsw_sum : 0;
	res->syscalls = r->sys_fd >= 0 && r->events ?
		read_counter(r->sys_fd) - r->sys0 + r->drain_sys_sum : -1;
	for (i = 0; i < r->nthr; i++)
		pthread_join(r->thr[i], NULL);
	r->nthr = 0;
	if (r->stopper_started) {
		pthread_join(r->stopper, NULL);
		r->stopper_started = false;
	}
	err = read_stats(r, &res->produced, &res->drops);
	if (err)
		return err;
	res->produced -= r->warm_produced;
	res->drops -= r->warm_dropped;
	if (r->err)
		return r->err;
	if (!r->events)
		return -ENODATA;	/* nothing measured: report, do not average */
	res->events = r->events;
	res->bytes = r->bytes;
	res->lost = r->lost;
	if (r->events) {
		uint64_t t0 = r->p->prefill ? r->t0 : r->first_ts;

		res->elapsed_ns = (r->t_last > t0 ? r->t_last - t0 : 1) + r->drain_ns_sum;
		res->prod_span_ns = r->span_ns_sum +
			(r->last_ts > r->first_ts ? r->last_ts - r->first_ts : 0);
		res->prod_span_events = r->span_events_sum +
			(r->last_ts_events > r->first_ts_events ?
			 r->last_ts_events - r->first_ts_events : 0);
	}
	if (r->lat_n) {
		qsort(r->lat, r->lat_n, sizeof(*r->lat), cmp_u64);
		res->lat_p50_ns = r->lat[r->lat_n / 2];
		res->lat_p99_ns = r->lat[(r->lat_n * 99) / 100];
		res->lat_samples = r->lat_n;
	}
	return 0;
}

void bench_run_free(struct bench_run *r)
{
	unsigned i;

	if (r->nthr) {
		/* An error path: stop the producers before joining them. */
		uint32_t zero = 0;
		struct bench_ctl c = { .stop = 1 };

		atomic_store(&r->stop, true);
		bench_map_update(r->fds.ctl_fd, &zero, &c, BPF_ANY);
		for (i = 0; i < r->nthr; i++)
			pthread_join(r->thr[i], NULL);
		r->nthr = 0;
	}
	if (r->stopper_started) {
		uint64_t one = 1;

		if (write(r->done_efd, &one, sizeof(one)) < 0)
			r->err = -errno;
		pthread_join(r->stopper, NULL);
	}
	if (r->fifo) {
		struct sched_param sp = { .sched_priority = 0 };

		pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp);
		r->fifo = false;
	}
	if (r->tp_fd >= 0)
		close(r->tp_fd);
	if (r->sys_fd >= 0)
		close(r->sys_fd);
	if (r->done_efd >= 0)
		close(r->done_efd);
	if (r->start_efd >= 0)
		close(r->start_efd);
	free(r->lat);
	r->lat = NULL;
	r->tp_fd = r->sys_fd = r->done_efd = r->start_efd = -1;
}

void bench_result_json(FILE *f, const struct bench_result *res)
{
	fprintf(f, "{\"events\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"produced\":%" PRIu64
		",\"drops\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"elapsed_ns\":%" PRIu64
		",\"consumer_cpu_ns\":%" PRIu64 ",\"syscalls\":%" PRId64
		",\"wakeups\":%" PRId64 ",\"lat_p50_ns\":%" PRIu64 ",\"lat_p99_ns\":%" PRIu64
		",\"lat_samples\":%" PRIu64 ",\"prod_span_ns\":%" PRIu64
		",\"prod_span_events\":%" PRIu64 ",\"blocked_ns\":%" PRIu64 "}",
		res->events, res->bytes, res->produced, res->drops, res->lost,
		res->elapsed_ns, res->cpu_ns, res->syscalls, res->wakeups,
		res->lat_p50_ns, res->lat_p99_ns, res->lat_samples, res->prod_span_ns,
		res->prod_span_events, res->blocked_ns);
}

bool bench_json_num(const char *line, const char *key, double *out)
{
	char pat[64];
	const char *s;
	char *end;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	s = strstr(line, pat);
	if (!s)
		return false;
	s += strlen(pat);
	*out = strtod(s, &end);
	return end != s;
}
