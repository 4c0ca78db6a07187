/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* evbpf-bench: the map-update rows (bench_map.c). */
#ifndef EVBPF_BENCH_MAP_H
#define EVBPF_BENCH_MAP_H

#include <stdio.h>

#include "bench_core.h"

enum bench_map_kind {
	BENCH_M_SINGLE,		/* one BPF_MAP_UPDATE_ELEM per update */
	BENCH_M_RAW_BATCH,	/* BPF_MAP_UPDATE_BATCH of 1024 on the caller's arrays */
	BENCH_M_MAPQ_URING,	/* evbpf_mapq_update() per update, io_uring loop */
	BENCH_M_MAPQ_EPOLL,	/* ... epoll loop */
	BENCH_M_MAPQ_CMDS,	/* ... io_uring loop, EVBPF_MAPQ_NO_PROG */
	BENCH_M_MAPQ_BATCH,	/* evbpf_mapq_update_batch() of 1024, io_uring loop */
	BENCH_M_MAPQ_NOEXIST,	/* evbpf_mapq_update(BPF_NOEXIST) per update, io_uring */
	BENCH_M_MAPQ_NOEXIST_CMDS, /* ... EVBPF_MAPQ_NO_PROG: batch commands refuse
				    * NOEXIST, so one command per update */
	BENCH_M_FLOOR,		/* a BPF program updating the map itself (bpf_loop) */
	BENCH_M__CNT
};

const char *bench_map_kind_name(enum bench_map_kind k);

/* @n updates of a fresh hash map done the @k way; fills elapsed_ns, cpu_ns,
 * syscalls (counted without a perf counter) and events of @res.
 * @floor_obj: map_floor.bpf.o (BENCH_M_FLOOR only). Returns 0 or -errno. */
int bench_map_run(enum bench_map_kind k, unsigned n, const char *floor_obj,
		  struct bench_result *res);

/* @rounds rounds, each running every kind once (in a rotating order), and
 * the per-round ratios printed to @f as "# " lines: median [min..max]. */
int bench_map_rounds(FILE *f, unsigned n, unsigned rounds, const char *floor_obj);

#endif /* EVBPF_BENCH_MAP_H */
