// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF C written the usual libbpf way (tracepoint, ring buffer, hash map,
 * .rodata/.data/.bss globals, CO-RE reads of kernel structs). The build
 * compiles it twice: with evbpf's BPF-side headers and, as
 * hdr_basic_sys.bpf.o, with the system libbpf's (HDR_SYSTEM_HEADERS).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#ifdef HDR_SYSTEM_HEADERS
#ifdef EVBPF_BPF_HEADERS
#error "evbpf's BPF headers were picked up instead of the system libbpf's"
#endif
#else
#ifndef EVBPF_BPF_HEADERS
#error "the system libbpf's BPF headers shadow evbpf's: fix the -I order"
#endif
#endif

/* Kernel types, declared locally; the ___hdr flavour still matches the
 * kernel's task_struct for CO-RE. */
struct task_struct___hdr {
	int pid;
	int tgid;
	struct task_struct___hdr *real_parent;
	char comm[16];
} __attribute__((preserve_access_index));

struct hdr_event {
	__u32 pid;
	__u32 ppid;
	__u32 seq;
	__u32 data_val;
	__u32 be_magic;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} hdr_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, __u32);
	__type(value, __u64);
} hdr_counts SEC(".maps");

const volatile __u32 target_pid = 0;	/* .rodata, set before load */
__u32 data_val = 7;			/* .data */
__u64 hits;				/* .bss */
__u32 last_ppid;			/* .bss */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp/syscalls/sys_enter_getppid")
int hdr_on_getppid(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct task_struct___hdr *task;
	struct hdr_event *e;
	__u64 one = 1, *cnt;

	if (target_pid && pid != target_pid)
		return 0;

	task = (struct task_struct___hdr *)bpf_get_current_task();
	cnt = bpf_map_lookup_elem(&hdr_counts, &pid);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&hdr_counts, &pid, &one, BPF_ANY);

	e = bpf_ringbuf_reserve(&hdr_events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->seq = __sync_fetch_and_add(&hits, 1);
	e->data_val = data_val;
	e->be_magic = bpf_htonl(0x11223344);
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	last_ppid = e->ppid;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
