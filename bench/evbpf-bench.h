/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* evbpf-bench: the rows of one invocation and how they are reported. */
#ifndef EVBPF_BENCH_H
#define EVBPF_BENCH_H

#include "bench_core.h"

#define BENCH_MAX_RUNS 15

enum bench_runner {
	BENCH_R_LIBBPF,		/* evbpf-bench-libbpf subprocess, compat mode */
	BENCH_R_COMPAT,		/* evbpf's libbpf-compatible API, in process */
	BENCH_R_LOOP,		/* evbpf's loop API */
	BENCH_R_LOAD,		/* open+load of CO-RE objects, evbpf in process */
	BENCH_R_MAPSYNC,	/* bpf_map_update_elem() per update, evbpf in process */
	BENCH_R_MAPQ,		/* evbpf_mapq updates on a loop of kind `mode` */
};

struct bench_row {
	const char *bench;	/* ringbuf, perfbuf, drain, latency, ... */
	const char *consumer;	/* libbpf, evbpf, evbpf-compat, producer, ... */
	const char *backend;	/* how it waits: epoll, io_uring, busy, ... */
	const char *cmp;	/* rows with equal bench+cmp are compared to libbpf's */
	enum bench_runner runner;
	int mode;		/* compat mode, loop kind or extra bench id */
	struct bench_params p;
	/* results */
	struct bench_result res[BENCH_MAX_RUNS];
	unsigned nres;
	int err;
	/* summary, filled by bench_summarize() */
	double eps_med, eps_min, eps_max;
	double cpu_ns_per_ev, sys_per_kev, wake_per_kev;
	double lat_p50, lat_p99;
	double drops, events;
	double missing;		/* produced - delivered, summed over the runs */
	double ratio;		/* < 0: no libbpf row to compare with */
	double blocked_per_op;	/* map bench: ns blocked in map commands per update */
	const char *unit;	/* NULL: events/s; else what eps_* measure */
	bool ratio_by_p99;
	const char *load_list;	/* load bench: comma-separated object paths */
	unsigned map_n;		/* map bench: updates per run */	/* ratio = libbpf's p99 latency / this row's */
};

void bench_summarize(struct bench_row *rows, unsigned n);
void bench_print_table(FILE *f, const struct bench_row *rows, unsigned n);
void bench_print_json(FILE *f, const struct bench_row *rows, unsigned n);
int bench_write_svg(const char *path, const struct bench_row *rows, unsigned n,
		    const char *title);

#endif /* EVBPF_BENCH_H */
