// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A libbpf-style program for the skeleton tests: tracepoint, ring buffer,
 * hash map, and globals in .rodata/.data/.bss and custom .data.* /
 * .rodata.* sections that user space sets before load and reads after.
 * Built with evbpf's BPF headers, and with the system libbpf's when
 * SKEL_SYSTEM_HEADERS is defined (the build checks which ones it got).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#ifdef SKEL_SYSTEM_HEADERS
#ifdef EVBPF_BPF_HEADERS
#error "evbpf's BPF headers were picked up instead of the system libbpf's"
#endif
#else
#ifndef EVBPF_BPF_HEADERS
#error "the system libbpf's BPF headers shadow evbpf's: fix the -I order"
#endif
#endif

struct skel_event {
	__u32 pid;
	__u32 hits;
	__u64 magic;
	__u64 counter;
	char tag[8];
};

struct task_struct___skel {
	int tgid;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* .rodata: set through skel->rodata before load, frozen after */
const volatile __u32 filter_pid = 0;
const volatile __u64 rodata_magic = 0;
const volatile __u32 rodata_arr[4] = { 1, 2, 3, 4 };
/* .data: initial values from the object, editable before load */
__u64 data_counter = 100;
char data_tag[8] = "init";
/* .bss: zero, written by the program */
__u32 bss_hits;
__u64 bss_last_magic;
__u32 bss_tgid;
/* custom sections */
__u32 custom_val SEC(".data.custom") = 5;
const volatile __u32 rodata_custom SEC(".rodata.custom") = 9;

/* .kconfig: filled by the loader, read-only */
extern int LINUX_KERNEL_VERSION __kconfig;
__u32 bss_kversion;

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp/syscalls/sys_enter_getppid")
int skel_on_getppid(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct task_struct___skel *task;
	struct skel_event *e;
	__u64 one = 1, *cnt;

	if (pid != filter_pid)
		return 0;
	task = (struct task_struct___skel *)bpf_get_current_task();
	bss_tgid = BPF_CORE_READ(task, tgid);
	bss_kversion = LINUX_KERNEL_VERSION;
	bss_hits++;
	data_counter++;
	bss_last_magic = rodata_magic + custom_val + rodata_custom + rodata_arr[3];

	cnt = bpf_map_lookup_elem(&counts, &pid);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&counts, &pid, &one, BPF_ANY);

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	e->hits = bss_hits;
	e->magic = bss_last_magic;
	e->counter = data_counter;
	__builtin_memcpy(e->tag, data_tag, sizeof(e->tag));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* No target in the section name: skeleton attach must skip it. */
SEC("xdp")
int skel_xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* Autoattach turned off by the test before attach. Filtered like the
 * other program: where it is attached, getpgid() calls of other processes
 * (a parallel test, a bench) must not count. */
SEC("tp/syscalls/sys_enter_getpgid")
int skel_manual(void *ctx)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != filter_pid)
		return 0;
	bss_hits += 1000;
	return 0;
}
