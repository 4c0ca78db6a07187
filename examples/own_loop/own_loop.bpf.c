// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A record into a ring buffer for every getppid() call of one process. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include "own_loop.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* set by user space before load */
const volatile __u32 target_tgid;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* written by user space through an evbpf map-operation queue */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tag SEC(".maps");

/* calls per process, read back through the same queue */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, zero = 0;
	__u64 one = 1, seq = 1, *n, *t;
	struct own_loop_event *e;

	if (tgid != target_tgid)
		return 0;
	n = bpf_map_lookup_elem(&calls, &tgid);
	if (n)
		seq = __sync_add_and_fetch(n, 1);
	else
		bpf_map_update_elem(&calls, &tgid, &one, BPF_NOEXIST);

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	t = bpf_map_lookup_elem(&tag, &zero);
	e->tgid = tgid;
	e->seq = seq;
	e->tag = t ? *t : 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
