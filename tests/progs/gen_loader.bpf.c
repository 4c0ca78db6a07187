// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Generated loader program: a raw tracepoint on syscall entry that finds
 * its process through a CO-RE read of the task, counts one syscall into
 * .bss, .data, an array and a hash map through a subprogram, and reports
 * each call into a ring buffer. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* the kernel's task_struct, only the field read here */
struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

struct event {
	__u32 tgid;
	__u32 seq;
	__u64 nr;
};

const volatile __u32 target_tgid = 0;	/* .rodata, set before load */
const volatile __u64 target_nr = 0;
__u64 base = 40;			/* .data */
__u32 seq = 0;				/* .bss */
__u64 hits = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);	/* the test sets 8 before load */
	__type(key, __u32);
	__type(value, __u64);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u64);
	__type(value, __u64);
} seen SEC(".maps");

static __attribute__((noinline)) int record(__u64 nr)
{
	__u32 slot = 7;
	__u64 one = 1, *v;
	struct event *e;

	hits++;
	base += 2;
	v = bpf_map_lookup_elem(&slots, &slot);
	if (v)
		*v += 1;
	v = bpf_map_lookup_elem(&seen, &nr);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&seen, &nr, &one, BPF_ANY);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->tgid = target_tgid;
	e->seq = ++seq;
	e->nr = nr;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/sys_enter")
int on_enter(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if ((__u32)BPF_CORE_READ(task, tgid) != target_tgid)
		return 0;
	if (ctx[1] != target_nr)
		return 0;
	return record(ctx[1]);
}
