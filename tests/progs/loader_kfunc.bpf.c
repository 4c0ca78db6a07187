// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loader fixture: kfunc calls, one with unnamed parameters that the
 * kernel does not have. The object's BTF (extern FUNC entries included)
 * must still load, so that the program carries func_info. Loaded by
 * tests/test_object_load.c.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern int evbpf_loader_no_such_kfunc(int, void *) __ksym __weak;

struct {
	__u32 ran;
	__u32 missing_called;
} kfunc_out;

static __noinline int kfunc_sub(int x)
{
	return x + 1;
}

SEC("raw_tp")
int kfunc_prog(void *ctx)
{
	bpf_rcu_read_lock();
	kfunc_out.ran = kfunc_sub((int)kfunc_out.missing_called);
	bpf_rcu_read_unlock();
	if (bpf_ksym_exists(evbpf_loader_no_such_kfunc))
		kfunc_out.missing_called = evbpf_loader_no_such_kfunc(1, ctx) + 1;
	return 0;
}
