// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Kernel probes of every kind; this kernel has no kprobes, so the test checks
 * the errors (and counts hits where a kind works anyway). */
#include <linux/bpf.h>
#include <linux/types.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "attach_common.h"

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe/__task_pid_nr_ns")
int kp(struct pt_regs *ctx)
{
	if (mine())
		bump(0);
	return 0;
}

SEC("kretprobe/__task_pid_nr_ns")
int krp(struct pt_regs *ctx)
{
	if (mine())
		bump(1);
	return 0;
}

SEC("ksyscall/getppid")
int ksys(struct pt_regs *ctx)
{
	if (mine())
		bump(2);
	return 0;
}

SEC("kretsyscall/getppid")
int kretsys(struct pt_regs *ctx)
{
	if (mine())
		bump(3);
	return 0;
}

SEC("kprobe.multi/__x64_sys_getppi*")
int kmulti(struct pt_regs *ctx)
{
	if (mine()) {
		bump(4);
		put(4, bpf_get_attach_cookie(ctx));
	}
	return 0;
}

SEC("kretprobe.multi/__x64_sys_getppi*")
int kretmulti(struct pt_regs *ctx)
{
	if (mine())
		bump(5);
	return 0;
}

SEC("kprobe")
int kbare(struct pt_regs *ctx)
{
	return 0;
}
