// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* linker_out declared with another size than linker_b.bpf.c defines: the
 * link must fail. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 99);
	__type(key, __u32);
	__type(value, __u64);
} linker_out SEC(".maps");

SEC("xdp")
int badmap_prog(struct xdp_md *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&linker_out, &k) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
