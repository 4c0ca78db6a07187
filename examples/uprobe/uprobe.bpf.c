// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Traces calls of one libc function: the entry probe remembers the first
 * argument and the time per thread, the return probe reports argument,
 * return value and latency through a ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "uprobe.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct entry {
	u64 ts;
	unsigned long arg1;
};

/* calls in flight, by thread id */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct entry);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} calls SEC(".maps");

/* only this process (0: all) */
const volatile int target_pid = 0;

/* SEC("uprobe") names no target: user space attaches these itself */
SEC("uprobe")
int BPF_UPROBE(on_entry, unsigned long arg1)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct entry e = { .ts = bpf_ktime_get_ns(), .arg1 = arg1 };

	if (target_pid && (id >> 32) != (u32)target_pid)
		return 0;
	bpf_map_update_elem(&inflight, &tid, &e, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_URETPROBE(on_return, long ret)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct entry *e = bpf_map_lookup_elem(&inflight, &tid);
	struct call *c;

	if (!e)
		return 0;
	c = bpf_ringbuf_reserve(&calls, sizeof(*c), 0);
	if (c) {
		c->pid = id >> 32;
		c->arg1 = e->arg1;
		c->ret = ret;
		c->latency_ns = bpf_ktime_get_ns() - e->ts;
		bpf_get_current_comm(&c->comm, sizeof(c->comm));
		bpf_ringbuf_submit(c, 0);
	}
	bpf_map_delete_elem(&inflight, &tid);
	return 0;
}
