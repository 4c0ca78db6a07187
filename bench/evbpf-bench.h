/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* evbpf-bench: the rows of one invocation and how they are reported. */
#ifndef EVBPF_BENCH_H
#define EVBPF_BENCH_H

#include "bench_core.h"

#define BENCH_MAX_RUNS 64	/* runs of one row over all rounds */
#define BENCH_MAX_ROUNDS 32

enum bench_runner {
	BENCH_R_LIBBPF,		/* evbpf-bench-libbpf subprocess, compat mode */
	BENCH_R_COMPAT,		/* evbpf's libbpf-compatible API, in process */
	BENCH_R_LOOP,		/* evbpf's loop API */
	BENCH_R_LOAD,		/* open+load of CO-RE objects, evbpf in process */
	BENCH_R_MAPSYNC,	/* bpf_map_update_elem() per update, evbpf in process */
	BENCH_R_MAPQ,		/* evbpf_mapq updates on a loop of kind `mode` */
	BENCH_R_CILIUM,		/* evbpf-bench-cilium subprocess (cilium/ebpf, Go) */
};

struct bench_row {
	const char *bench;	/* ringbuf, perfbuf, drain, latency, ... */
	const char *consumer;	/* libbpf, evbpf, evbpf-compat, producer, ... */
	const char *backend;	/* how it waits: epoll, io_uring, busy, ... */
	const char *cmp;	/* rows with equal bench+cmp are compared to libbpf's */
	enum bench_runner runner;
	int mode;		/* compat mode, loop kind or extra bench id */
	struct bench_params p;
	bool is_limit;		/* the producer alone: the limit of its bench's rows */
	/* results of every run of every round */
	struct bench_result res[BENCH_MAX_RUNS];
	unsigned nres;
	unsigned round_start;	/* first result of the current round */
	int err;
	/* per round: median rate, ratio to libbpf, ratio to the limit (< 0: none) */
	double round_eps[BENCH_MAX_ROUNDS], round_ratio[BENCH_MAX_ROUNDS];
	double round_limit[BENCH_MAX_ROUNDS];
	unsigned nrounds;
	/* the separate run that counted system calls (-1: none) */
	double sys_counted_per_kev;
	/* summary, filled by bench_summarize() */
	double eps_med, eps_min, eps_max;
	double cpu_ns_per_ev, sys_per_kev, wake_per_kev;
	double lat_p50, lat_p99;
	double drops, events;
	double missing;		/* produced - delivered, summed over the runs */
	double ratio;		/* < 0: no libbpf row to compare with */
	double ratio_min, ratio_max;	/* over the rounds */
	double limit_ratio;	/* rate / its producer-alone rate (latency: / paced rate) */
	double limit_min, limit_max;
	double blocked_per_op;	/* map bench: ns blocked in map commands per update */
	const char *unit;	/* NULL: events/s; else what eps_* measure */
	bool ratio_by_p99;
	const char *load_list;	/* load bench: comma-separated object paths */
	unsigned map_n;		/* map bench: updates per run */
};

/* Summarizes the current round of every row (results from round_start on)
 * and records its per-round rate and ratios. */
void bench_summarize_round(struct bench_row *rows, unsigned n);
/* The final summary: medians of the per-round figures, [min..max] over the
 * rounds (over the runs with a single round), the other columns over every
 * run of every round. */
void bench_summarize(struct bench_row *rows, unsigned n);
void bench_print_table(FILE *f, const struct bench_row *rows, unsigned n);
void bench_print_json(FILE *f, const struct bench_row *rows, unsigned n);
int bench_write_svg(const char *path, const struct bench_row *rows, unsigned n,
		    const char *title);

#endif /* EVBPF_BENCH_H */
