// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loaded by other people's binaries (ip, tc, xdp-loader) running on the
 * libbpf.so.1 compatibility build: each program counts the packets it sees
 * in its own slot of `compat_hits`, which the test reads by program id.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} compat_hits SEC(".maps");

static __always_inline void hit(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&compat_hits, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int compat_xdp(struct xdp_md *ctx)
{
	hit(0);
	return XDP_PASS;
}

SEC("tc")
int compat_tc(struct __sk_buff *skb)
{
	hit(1);
	return TC_ACT_OK;
}
