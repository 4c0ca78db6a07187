// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf-stress producer, driven by BPF_PROG_TEST_RUN from one thread per
 * CPU. Every run is one attempt: every fifth is reserved and discarded,
 * the others are written with bpf_ringbuf_output() in sizes that vary so
 * records wrap the ring's end; a full ring counts as a drop. Each record
 * carries its CPU and that CPU's attempt number, so a consumer can check
 * order and uniqueness per producer.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct stress_rec {
	__u32 cpu;
	__u32 len;
	__u64 seq;
	__u64 payload[8];
};

struct stress_counts {
	__u64 produced, dropped, discarded;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);	/* set by the command */
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stress_counts);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stress_rec);
} scratch SEC(".maps");

SEC("xdp")
int stress_prod(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct stress_counts *c = bpf_map_lookup_elem(&counts, &zero);
	struct stress_rec *r = bpf_map_lookup_elem(&scratch, &zero);
	__u64 seq, n;

	if (!c || !r)
		return XDP_PASS;
	seq = c->produced++;
	if (seq % 5 == 4) {
		struct stress_rec *d = bpf_ringbuf_reserve(&rb, 16, 0);

		if (!d) {
			c->dropped++;
			return XDP_PASS;
		}
		bpf_ringbuf_discard(d, 0);
		c->discarded++;
		return XDP_PASS;
	}
	n = (seq * 3) & 7;	/* 0..7 payload words: 16..72 bytes */
	r->cpu = bpf_get_smp_processor_id();
	r->seq = seq;
	r->len = 16 + n * 8;
	r->payload[0] = seq;
	if (bpf_ringbuf_output(&rb, r, 16 + n * 8, 0))
		c->dropped++;
	return XDP_PASS;
}
