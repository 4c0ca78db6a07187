// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loader fixture: a bloom filter whose map_extra (the number of hash
 * functions) is set with __ulong(), the libbpf >= 1.3 syntax for 64-bit
 * map attributes. Test-run by tests/test_object_load.c.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 16);
	__type(value, __u32);
	__ulong(map_extra, 3);
} ulong_bloom SEC(".maps");

struct {
	long push_ret;
	long peek_ret;
} bloom_out = { -1, -1 };

SEC("xdp")
int bloom_prog(struct xdp_md *ctx)
{
	__u32 v = 42;

	(void)ctx;
	bloom_out.push_ret = bpf_map_push_elem(&ulong_bloom, &v, BPF_ANY);
	bloom_out.peek_ret = bpf_map_peek_elem(&ulong_bloom, &v);
	return XDP_PASS;
}
