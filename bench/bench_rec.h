/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Layouts shared by the bench producers (bench/progs/) and every
 * consumer of evbpf-bench and evbpf-bench-libbpf. Plain C with <linux/types.h>
 * only, so that clang -target bpf and the host compiler both read it.
 */
#ifndef EVBPF_BENCH_REC_H
#define EVBPF_BENCH_REC_H

#include <linux/types.h>

/* Largest record the producers can write (the per-CPU scratch buffer). */
#define BENCH_MAX_REC 4096
/* Smallest record: the header below. */
#define BENCH_MIN_REC 16

/* Head of every record; larger records are padded after it. */
struct bench_rec {
	__u64 ts;	/* bpf_ktime_get_ns() when produced (CLOCK_MONOTONIC), on
			 * sampled records only (see ts_mask); 0 on the others */
	__u32 seq;	/* per-CPU attempt number */
	__u32 cpu;
};

enum bench_wakeup {
	BENCH_WAKE_DEFAULT = 0,	/* flags 0: the kernel wakes when caught up */
	BENCH_WAKE_SAMPLED = 1,	/* force a wakeup every Nth record, else none */
	BENCH_WAKE_NONE = 2,	/* never wake; the consumer polls on a timer */
	BENCH_WAKE_ADAPTIVE = 3,/* wake only once N bytes are pending */
};

/* The producers' .rodata: one struct so that its offset is 0 and a loader
 * can set it whole with bpf_map__set_initial_value(). */
struct bench_conf {
	__u32 rec_size;		/* BENCH_MIN_REC..BENCH_MAX_REC */
	__u32 use_output;	/* 1: bpf_ringbuf_output() from scratch, 0: reserve+submit */
	__u32 wakeup;		/* enum bench_wakeup */
	__u32 sample_n;		/* SAMPLED: every Nth; ADAPTIVE: pending bytes */
	__u32 target_tgid;	/* tracepoint producers fire for this process only */
	__u32 ts_mask;		/* timestamp records whose seq & ts_mask == 0 (else ts 0) */
};

/* Per-CPU counters, map "stats". */
struct bench_stats {
	__u64 produced;
	__u64 dropped;
};

/* Control word, map "ctl" (array, one entry): non-zero stop makes every
 * producer return at once, which ends a long test run early. */
struct bench_ctl {
	__u32 stop;
	__u32 pad;
};

#endif /* EVBPF_BENCH_REC_H */
