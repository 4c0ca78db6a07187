// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Counts execs per process (sched_process_exec tracepoint) and streams one
 * ring buffer record per exec, except for processes whose pid user space
 * put into `blocked`.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "http_server.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* execs per pid */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* key 0: every exec seen; key 1: execs of blocked processes */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} totals SEC(".maps");

/* pids whose execs are counted but not streamed (POST /block?key=PID) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} blocked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} rb SEC(".maps");

static __always_inline void bump(__u32 key)
{
	__u64 *v = bpf_map_lookup_elem(&totals, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("tp/sched/sched_process_exec")
int on_exec(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, cnt = 1, *c;
	struct exec_event *e;

	bump(0);
	c = bpf_map_lookup_elem(&counts, &pid);
	if (c)
		cnt = __sync_fetch_and_add(c, 1) + 1;
	else
		bpf_map_update_elem(&counts, &pid, &one, BPF_NOEXIST);
	if (bpf_map_lookup_elem(&blocked, &pid)) {
		bump(1);
		return 0;
	}
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	e->pad = 0;
	e->count = cnt;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}
