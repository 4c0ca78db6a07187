// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loader fixture for what libbpf 1.x refuses but evbpf accepts: the legacy
 * `maps` section of struct bpf_map_def, and a static program function.
 * Also a '?'-prefixed section (autoload off by default).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def SEC("maps") legacy_arr = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 2,
};

struct legacy_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 8,
};

/* static: clang relocates references against the section symbol, the
 * definition's offset in the addend (imm) */
static struct legacy_map_def SEC("maps") legacy_static = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 1,
};

SEC("socket")
static int static_prog(struct __sk_buff *skb)
{
	__u32 key = 0, hv = 5;
	__u64 *v = bpf_map_lookup_elem(&legacy_arr, &key);

	if (v)
		*v += 10;
	bpf_map_update_elem(&legacy_hash, &key, &hv, BPF_ANY);
	hv = 77;
	bpf_map_update_elem(&legacy_static, &key, &hv, BPF_ANY);
	return 9;
}

SEC("?socket")
int optional_prog(struct __sk_buff *skb)
{
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
