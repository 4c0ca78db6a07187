// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Object API fixture: two socket filters that share one array map and a
 * global counter, a subprogram, and read-only data, so that the final
 * image of a program differs from its section (subprogram appended, map
 * references patched). tests/test_objapi.c loads it through a BPF token,
 * makes the map exclusive to one program, and clones the programs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} shared SEC(".maps");

__u64 runs = 0;
const volatile __u64 step = 3;

static __attribute__((noinline)) int bump(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&shared, &idx);

	if (!v)
		return 0;
	__sync_fetch_and_add(v, step);
	return 1;
}

SEC("socket")
int owner(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&runs, 1);
	return bump(0);
}

SEC("socket")
int intruder(struct __sk_buff *skb)
{
	return bump(1);
}
