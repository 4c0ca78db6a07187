/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The part of evbpf-bench that knows no BPF library: producer threads (XDP
 * test runs, paced tracepoint syscalls), the per-record accounting consumers
 * call, CPU/syscall/wakeup counters of the consumer thread, and the metrics
 * line. Linked into both evbpf-bench and evbpf-bench-libbpf, so it talks to
 * the kernel through raw bpf(2)/perf_event_open(2) only and every symbol
 * starts with bench_ (no clash with libbpf's or evbpf's names).
 */
#ifndef EVBPF_BENCH_CORE_H
#define EVBPF_BENCH_CORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench_rec.h"

#define BENCH_MAX_THREADS 64

enum bench_producer { BENCH_PROD_XDP, BENCH_PROD_TP };
enum bench_buffer { BENCH_BUF_RB, BENCH_BUF_PB };

/* One configuration of one run, as the command line of either binary gives it. */
struct bench_params {
	enum bench_producer producer;
	enum bench_buffer buffer;
	struct bench_conf conf;	/* the producers' .rodata */
	uint64_t count;		/* records attempted per run (all threads) */
	unsigned duration_ms;	/* stop the producers after this long; 0: never */
	unsigned rate;		/* TP producer: records/s (all threads); 0: flat out */
	unsigned threads;	/* producer threads */
	unsigned ring_size;	/* ring buffer bytes; 0: bench_ring_size() */
	unsigned pb_pages;	/* perf ring pages per CPU; 0: bench_pb_pages() */
	unsigned pb_wakeup;	/* perf wakeup_events for tuned perf consumers */
	unsigned laps;		/* producer alone: timed laps of count records (0: 1) */
	unsigned timer_us;	/* consumer timer period for BENCH_WAKE_NONE */
	unsigned lat_every;	/* sample latency of 1 record in N (power of two) */
	int poll_ms;		/* consumer poll timeout */
	int prod_cpu;		/* first producer CPU; -1: no pinning */
	int cons_cpu;		/* consumer CPU; -1: no pinning */
	bool prefill;		/* produce everything first, then time a drain */
	bool fifo;		/* consumer thread at SCHED_FIFO (fails without permission) */
};

/*
 * Whether consumer runs count their thread's system calls. The per-thread
 * perf counter that counts them adds a few hundred ns to every system call
 * of the thread, so rates are measured with it off and syscalls in a
 * separate run of the same configuration (--count-syscalls).
 */
extern bool bench_count_syscalls;

/* Fds of a loaded bench_prod object; whichever library loaded it. */
struct bench_fds {
	int prog_fd;	/* xdp_rb/xdp_pb or tp_rb/tp_pb */
	int stats_fd;
	int ctl_fd;
	int rb_fd;
	int pb_fd;
};

struct bench_result {
	uint64_t events;	/* records delivered to the consumer */
	uint64_t bytes;
	uint64_t produced;	/* committed by the producers */
	uint64_t drops;		/* producer-side reserve/output failures */
	uint64_t lost;		/* perf lost samples reported to the consumer */
	uint64_t elapsed_ns;	/* first record produced .. last delivered */
	uint64_t cpu_ns;	/* consumer thread CPU over the same span */
	int64_t syscalls;	/* consumer thread syscalls; -1: not measurable */
	int64_t wakeups;	/* consumer thread voluntary context switches */
	uint64_t lat_p50_ns, lat_p99_ns, lat_samples;
	uint64_t prod_span_ns;	/* first..last stamped record (the producer's own time) */
	uint64_t prod_span_events;	/* records produced in that span */
	uint64_t blocked_ns;	/* map bench: time the thread spent in map commands */
};

struct bench_run;
struct bench_targ {
	struct bench_run *r;
	int cpu;
	uint64_t n;
};

struct bench_run {
	const struct bench_params *p;
	struct bench_fds fds;
	/* consumer side; touched only by the consumer thread */
	uint64_t events, bytes, lost;
	uint64_t first_ts;
	uint64_t last_ts, last_ts_events;	/* newest stamped record, records up to it */
	uint64_t first_ts_events;	/* records up to the oldest stamped one */
	uint64_t span_ns_sum, span_events_sum;	/* earlier timed laps of a producer alone */
	/* earlier timed laps of a drain: time, consumer CPU, switches, syscalls */
	uint64_t drain_ns_sum, drain_cpu_sum;
	int64_t drain_vcsw_sum, drain_sys_sum;
	uint64_t t0, t_last, cpu0;
	int64_t sys0, vcsw0;
	uint32_t lat_mask;
	uint64_t *lat;
	size_t lat_n, lat_cap;
	int sys_fd;
	bool fifo;		/* this thread was raised to SCHED_FIFO */
	/* producer side */
	pthread_t thr[BENCH_MAX_THREADS];
	struct bench_targ targ[BENCH_MAX_THREADS];
	unsigned nthr;
	atomic_uint running;
	atomic_uint started;	/* producer threads that are running */
	int start_efd;		/* written once every producer thread runs */
	atomic_bool done;
	atomic_bool stop;
	int done_efd;
	int tp_fd;
	pthread_t stopper;
	bool stopper_started;
	uint64_t deadline;	/* CLOCK_MONOTONIC; past it, the consume loop gives up */
	uint64_t warm_produced, warm_dropped;	/* by a drain's untimed laps */
	int err;
};

static inline uint64_t bench_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void bench_first(struct bench_run *r, const struct bench_rec *rec);
void bench_lat(struct bench_run *r, const struct bench_rec *rec);

/* The rare part of accounting a record: the first one of a run, or one
 * whose latency is sampled. */
void bench_on_sampled(struct bench_run *r, const void *data, bool first);

/* The record's sequence number (perf samples are only 4-byte aligned). */
static inline uint32_t bench_rec_seq(const void *data)
{
	uint32_t seq;

	memcpy(&seq, (const char *)data + offsetof(struct bench_rec, seq), sizeof(seq));
	return seq;
}

/* Accounts one delivered record: the whole per-record work of every
 * consumer (a batch callback does the same per record, see on_batch()). */
static inline void bench_on_record(struct bench_run *r, const void *data, size_t len)
{
	uint32_t seq = bench_rec_seq(data);
	bool first = r->events++ == 0;

	r->bytes += len;
	if (__builtin_expect(first || !(seq & r->lat_mask), 0))
		bench_on_sampled(r, data, first);
}

/* Call after a consume step that delivered records. */
static inline void bench_mark(struct bench_run *r)
{
	r->t_last = bench_now(CLOCK_MONOTONIC);
}

static inline bool bench_producer_done(struct bench_run *r)
{
	return atomic_load_explicit(&r->done, memory_order_acquire);
}

/* Sets defaults for every field. */
void bench_params_default(struct bench_params *p);
/* Ring bytes of a run: p->ring_size, else the whole count for a prefill,
 * else 4 MiB for 16-byte records scaled with the record size (so that every
 * record size gets the same number of records of slack). */
unsigned bench_ring_size(const struct bench_params *p);
/* Bytes one record takes in a ring buffer (header, 8-byte aligned). */
unsigned bench_rb_rec_bytes(const struct bench_params *p);
/* Perf ring pages per CPU: p->pb_pages, else 1024 (4 MiB, the ring buffer
 * rows' size) for 16-byte records scaled with the record size. */
unsigned bench_pb_pages(const struct bench_params *p);
/* Bytes one record takes in a perf ring (header, size word, 8-byte aligned). */
unsigned bench_pb_rec_bytes(const struct bench_params *p);
/* Whether this process may run a thread at SCHED_FIFO. */
bool bench_fifo_permitted(void);
/* Parses one shared option (--count etc.) at argv[*i]; returns 1 when taken,
 * 0 when not ours, -1 on a bad value. */
int bench_parse_opt(struct bench_params *p, int argc, char **argv, int *i);
extern const char bench_opts_help[];

/* Pins the calling thread (the consumer), opens its counters. */
int bench_run_init(struct bench_run *r, const struct bench_params *p,
		   const struct bench_fds *fds);
/* For TP producers: attaches prog_fd to syscalls:sys_enter_getpgid. */
int bench_attach_tp(struct bench_run *r);
/* Starts the producer threads (and the duration stopper). */
int bench_run_start(struct bench_run *r);
/* Waits until every producer thread is done (prefill runs). Then marks the
 * start of the timed consumer phase. */
void bench_wait_producers(struct bench_run *r);
/* Joins everything, reads the producer counters, fills @res. */
int bench_run_finish(struct bench_run *r, struct bench_result *res);
void bench_run_free(struct bench_run *r);

/*
 * The common consume loop: step() consumes, may block up to poll_ms and
 * returns records delivered or -errno; drain() consumes what is left without
 * blocking. Ends once the producers are done and nothing more arrives.
 */
typedef int (*bench_step_fn)(void *ctx);
int bench_consume_loop(struct bench_run *r, bench_step_fn step,
		       bench_step_fn drain, void *ctx);
/* Prefill runs: with @warm, untimed laps until the consumer has read its
 * whole ring once; then waits for the producers and times drain() alone. */
int bench_drain_timed(struct bench_run *r, bench_step_fn drain, void *ctx, bool warm);
/* A drain row: the warm laps, then timed drains of prefilled rings until
 * about BENCH_DRAIN_RECORDS records (at most BENCH_DRAIN_LAPS rings) were
 * read; the result adds the timed drains up. One ring of large records is
 * read in well under a millisecond, short enough for one interruption to
 * decide the row. */
#define BENCH_DRAIN_RECORDS	(4u << 20)
#define BENCH_DRAIN_LAPS	16
int bench_drain_laps(struct bench_run *r, bench_step_fn drain, void *ctx);
/* True for ring-buffer runs of the XDP producer that are not prefilled:
 * their rows warm the ring with bench_consumer_warm(), so no other warm-up
 * is needed. */
bool bench_ring_prewarmed(const struct bench_params *p);
/* Before bench_run_start() of a run over a prewarmed ring: untimed laps of
 * 90 % of the ring, each read by @drain through the row's own reader and
 * mapping (the producer alone's is the one that reads its laps back), until
 * the ring has been written once. On this kind of virtual machine the first
 * write of each page of a new ring, and the first read of each page through
 * a new mapping, cost microseconds in the hypervisor; a long-running
 * producer and consumer pay that once, and so does every row here before it
 * is timed. 0 at once on other runs. */
int bench_consumer_warm(struct bench_run *r, bench_step_fn drain, void *ctx);
/* The producer alone: warm laps, then p->laps timed laps of p->count records,
 * read back untimed in between; the producer's spans add up. */
int bench_producer_laps(struct bench_run *r, bench_step_fn drain, void *ctx);

/* Counters of the calling thread around a piece of work that is not a
 * consumer run (loading objects, map updates). */
struct bench_measure {
	uint64_t t0, cpu0;
	int64_t sys0, vcsw0;
	int sys_fd;
};
void bench_measure_begin(struct bench_measure *m);
/* Fills elapsed_ns, cpu_ns, syscalls, wakeups of @res; closes the counter. */
void bench_measure_end(struct bench_measure *m, struct bench_result *res);

/* Sleeps one consumer timer period (BENCH_WAKE_NONE consumers). */
void bench_timer_sleep(const struct bench_params *p);

/* One JSON object, no newline, with the raw metrics. */
void bench_result_json(FILE *f, const struct bench_result *res);
/* Reads a number after "key": in a flat JSON line; false when absent. */
bool bench_json_num(const char *line, const char *key, double *out);

/* Raw bpf(2) helpers, library-free. */
int bench_map_update(int fd, const void *key, const void *val, uint64_t flags);
int bench_map_lookup(int fd, const void *key, void *val);
int bench_possible_cpus(void);
const char *bench_wakeup_name(unsigned wakeup);

#endif /* EVBPF_BENCH_CORE_H */
