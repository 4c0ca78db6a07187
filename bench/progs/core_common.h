/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The few kernel types the CO-RE load-time objects read, declared with only
 * the fields used and preserve_access_index, so no vmlinux.h is needed: the
 * loader relocates each access against the running kernel's BTF.
 */
#ifndef EVBPF_BENCH_CORE_COMMON_H
#define EVBPF_BENCH_CORE_COMMON_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct mm_struct {
	unsigned long total_vm;
	unsigned long start_stack;
} __attribute__((preserve_access_index));

struct files_struct {
	int next_fd;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct mm_struct *mm;
	struct files_struct *files;
	unsigned int flags;
	int prio;
} __attribute__((preserve_access_index));

struct core_out {
	__u64 a, b, c, d;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct core_out);
} core_out SEC(".maps");

static __always_inline struct core_out *out_slot(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&core_out, &zero);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif
