// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Uprobes and uretprobes on functions of the test binary and of libc,
 * attached explicitly and by section name, plus uprobe.multi. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "attach_common.h"

char LICENSE[] SEC("license") = "GPL";

SEC("uprobe")
int up_func(struct pt_regs *ctx)
{
	if (mine()) {
		bump(0);
		put(0, PT_REGS_PARM1(ctx));
		put(1, bpf_get_attach_cookie(ctx));
	}
	return 0;
}

SEC("uretprobe")
int uret_func(struct pt_regs *ctx)
{
	if (mine()) {
		bump(1);
		put(2, PT_REGS_RC(ctx));
	}
	return 0;
}

SEC("uprobe//proc/self/exe:evbpf_uprobe_target")
int up_auto(struct pt_regs *ctx)
{
	if (mine())
		bump(2);
	return 0;
}

SEC("uretprobe//proc/self/exe:evbpf_uprobe_target")
int uret_auto(struct pt_regs *ctx)
{
	if (mine()) {
		bump(3);
		put(3, PT_REGS_RC(ctx));
	}
	return 0;
}

SEC("uprobe/libc.so.6:getpgid")
int up_libc(struct pt_regs *ctx)
{
	if (mine()) {
		bump(4);
		put(4, PT_REGS_PARM1(ctx));
	}
	return 0;
}

SEC("uretprobe/libc.so.6:getpgid")
int uret_libc(struct pt_regs *ctx)
{
	if (mine())
		bump(5);
	return 0;
}

SEC("uprobe.multi//proc/self/exe:evbpf_umulti_*")
int umulti(struct pt_regs *ctx)
{
	__u64 c = bpf_get_attach_cookie(ctx);

	if (mine()) {
		bump(6);
		if (c == 11)
			bump(8);
		else if (c == 22)
			bump(9);
	}
	return 0;
}

SEC("uprobe")
int up_other(struct pt_regs *ctx)
{
	if (mine())
		bump(7);
	return 0;
}

SEC("uprobe//proc/self/exe")
int up_bad(struct pt_regs *ctx)
{
	return 0;
}

/* malformed sections: each must fail with -EINVAL and say why */
SEC("uretprobe//proc/self/exe:evbpf_uprobe_target+4")
int uret_offset(struct pt_regs *ctx)
{
	return 0;
}

SEC("usdt//proc/self/exe:onlyprovider")
int usdt_bad(struct pt_regs *ctx)
{
	return 0;
}

SEC("uprobe.multi//proc/self/exe")
int umulti_bad(struct pt_regs *ctx)
{
	return 0;
}

SEC("uprobe//proc/self/exe:evbpf_uprobe_target+zz")
int up_badoff(struct pt_regs *ctx)
{
	return 0;
}
