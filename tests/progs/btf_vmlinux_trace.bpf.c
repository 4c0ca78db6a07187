// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A tracing program built against the vmlinux.h that evbpf dumps at build
 * time (tools/meson.build): proves the dumped header compiles, and gives
 * the loader tests a CO-RE object reading task_struct fields.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

int target_tgid;
int seen_tgid;
int seen_count;

SEC("tracepoint/syscalls/sys_enter_getppid")
int btf_vmlinux_trace(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if ((int)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	seen_tgid = BPF_CORE_READ(task, tgid);
	seen_count++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
