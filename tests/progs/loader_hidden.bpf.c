// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loader fixture: a hidden global subprogram (like those of the system's
 * usdt.bpf.h). It dereferences its pointer argument without a NULL check,
 * which the verifier accepts only when it checks the function in its
 * caller's context (where the map value is known non-NULL), i.e. only when
 * the loader gives the function static BTF linkage. Test-run by
 * tests/test_object_load.c.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hidden_vals SEC(".maps");

__u64 hidden_out;

__noinline __hidden __u64 hidden_add(__u64 *v)
{
	return *v + 1;
}

SEC("xdp")
int hidden_caller(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v;

	(void)ctx;
	v = bpf_map_lookup_elem(&hidden_vals, &key);
	if (!v)
		return XDP_ABORTED;
	*v = 41;
	hidden_out = hidden_add(v);
	return XDP_PASS;
}
