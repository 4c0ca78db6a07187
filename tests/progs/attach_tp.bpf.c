// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Tracepoints and raw tracepoints on syscall entry; cfg[1] is the syscall
 * number raw_tp filters on. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include "attach_common.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx)
{
	if (mine()) {
		bump(0);
		put(0, bpf_get_attach_cookie(ctx));
	}
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int tp_short(void *ctx)
{
	if (mine())
		bump(1);
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == cfg_get(1)) {
		bump(2);
		put(2, bpf_get_attach_cookie(ctx));
	}
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int raw_long(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == cfg_get(1))
		bump(3);
	return 0;
}

/* sections that name no target: auto-attach attaches nothing */
SEC("tracepoint")
int tp_bare(void *ctx)
{
	bump(4);
	return 0;
}

SEC("raw_tp")
int raw_bare(void *ctx)
{
	bump(5);
	return 0;
}

/* malformed target: "tracepoint/<category>/<name>" expected */
SEC("tracepoint/nocategory")
int tp_bad(void *ctx)
{
	bump(6);
	return 0;
}
