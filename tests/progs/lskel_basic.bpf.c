// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Light skeleton program: a raw tracepoint on syscall entry counts the
 * getppid calls of one process into .bss, a hash map and an array. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;   /* .rodata, set before load */
const volatile __u64 target_nr = 0;     /* syscall number to count */
__u64 base = 1000;                      /* .data, initial value checked */
__u64 hits = 0;                         /* .bss */
__u64 last_arg = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("raw_tp/sys_enter")
int count_enter(__u64 *ctx)
{
	__u32 key = 1;
	__u64 one = 1, *v;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (ctx[1] != target_nr)
		return 0;
	hits++;
	last_arg = ctx[1];
	base++;
	v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_ANY);
	return 0;
}
