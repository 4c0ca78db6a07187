// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* USDT probes of the test binary (tests/test_usdt.c): arguments, argument
 * count, cookies and a probe with a semaphore. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
/* few slots, so the test can fill them and see them reused */
#define BPF_USDT_MAX_SPEC_CNT 4
#include <bpf/usdt.bpf.h>
#include "attach_common.h"

char LICENSE[] SEC("license") = "GPL";

SEC("usdt")
int BPF_USDT(usdt_two, int a, unsigned long b)
{
	if (mine()) {
		bump(0);
		put(0, (__u64)(long)a);
		put(1, b);
		put(2, bpf_usdt_cookie(ctx));
		put(3, bpf_usdt_arg_cnt(ctx));
	}
	return 0;
}

SEC("usdt//proc/self/exe:evbpftest:sema")
int BPF_USDT(usdt_sema, int a)
{
	if (mine()) {
		bump(1);
		put(4, (__u64)(long)a);
	}
	return 0;
}

SEC("usdt")
int usdt_none(struct pt_regs *ctx)
{
	long r = 1;

	if (mine()) {
		bump(2);
		put(5, bpf_usdt_arg_cnt(ctx));
		put(6, (__u64)(long)bpf_usdt_arg(ctx, 0, &r));
		put(7, r);
	}
	return 0;
}
