// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf-bench producers. XDP programs are driven by BPF_PROG_TEST_RUN with a
 * large repeat count (no syscall per event); tracepoint programs fire on the
 * getpgid() syscalls of one process. Each writes one record per run into the
 * ring buffer "rb" or the perf event array "pb".
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../bench_rec.h"

const volatile struct bench_conf conf = {
	.rec_size = BENCH_MIN_REC,
	.sample_n = 500,
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_stats);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_ctl);
} ctl SEC(".maps");

struct scratch_buf {
	__u8 data[BENCH_MAX_REC];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch_buf);
} scratch SEC(".maps");

static __always_inline __u64 wake_flags(__u64 seq)
{
	switch (conf.wakeup) {
	case BENCH_WAKE_SAMPLED:
		return (seq % conf.sample_n) ? BPF_RB_NO_WAKEUP : BPF_RB_FORCE_WAKEUP;
	case BENCH_WAKE_NONE:
		return BPF_RB_NO_WAKEUP;
	case BENCH_WAKE_ADAPTIVE:
		/* Like the kernel's own benchmark: stay quiet until enough
		 * data is pending to make a wakeup worth its cost. */
		if (bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) >= conf.sample_n)
			return BPF_RB_FORCE_WAKEUP;
		return BPF_RB_NO_WAKEUP;
	default:
		return 0;
	}
}

/* Returns the stats slot of this CPU, or NULL when stopped. */
static __always_inline struct bench_stats *begin(void)
{
	__u32 zero = 0;
	struct bench_ctl *c = bpf_map_lookup_elem(&ctl, &zero);

	if (!c || c->stop)
		return NULL;
	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline void fill(struct bench_rec *r, __u64 seq)
{
	/* Reading the clock costs about as much as the rest of a record, so
	 * only the records whose latency the consumer samples carry it. */
	r->ts = (seq & conf.ts_mask) ? 0 : bpf_ktime_get_ns();
	r->seq = seq;
	r->cpu = bpf_get_smp_processor_id();
}

static __always_inline void produce_rb(void)
{
	struct bench_stats *st = begin();
	struct bench_rec *r;
	__u64 seq;
	__u32 zero = 0;

	if (!st)
		return;
	seq = st->produced + st->dropped;
	if (conf.use_output) {
		r = bpf_map_lookup_elem(&scratch, &zero);
		if (!r)
			return;
		fill(r, seq);
		if (bpf_ringbuf_output(&rb, r, conf.rec_size, wake_flags(seq)))
			st->dropped++;
		else
			st->produced++;
		return;
	}
	r = bpf_ringbuf_reserve(&rb, conf.rec_size, 0);
	if (!r) {
		st->dropped++;
		return;
	}
	fill(r, seq);
	bpf_ringbuf_submit(r, wake_flags(seq));
	st->produced++;
}

static __always_inline void produce_pb(void *ctx)
{
	struct bench_stats *st = begin();
	struct bench_rec *r;
	__u64 seq;
	__u32 zero = 0;

	if (!st)
		return;
	r = bpf_map_lookup_elem(&scratch, &zero);
	if (!r)
		return;
	seq = st->produced + st->dropped;
	fill(r, seq);
	if (bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, r, conf.rec_size))
		st->dropped++;
	else
		st->produced++;
}

SEC("xdp")
int xdp_rb(struct xdp_md *ctx)
{
	produce_rb();
	return XDP_PASS;
}

SEC("xdp")
int xdp_pb(struct xdp_md *ctx)
{
	produce_pb(ctx);
	return XDP_PASS;
}

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == conf.target_tgid;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int tp_rb(void *ctx)
{
	if (mine())
		produce_rb();
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int tp_pb(void *ctx)
{
	if (mine())
		produce_pb(ctx);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
