// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Generated loader refusal: maps and global data the loader creates, then
 * a program the verifier refuses (a read past the end of a map value). */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 counter = 1;			/* .data */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");

SEC("raw_tp/sys_enter")
int past_end(void *ctx)
{
	__u32 key = 0;
	volatile __u64 *v = bpf_map_lookup_elem(&vals, &key);

	if (!v)
		return 0;
	counter++;
	return (int)v[100];
}
