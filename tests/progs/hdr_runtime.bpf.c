// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF-side header features that need the kernel to check them: BPF_PROG and
 * BPF_PROG2 argument unpacking (tp_btf / raw_tp), PT_REGS_*_CORE_SYSCALL on
 * the syscall's registers, open-coded iterators (bpf_for, bpf_repeat),
 * bpf_printk with more than three arguments, CO-RE existence/enum checks and
 * bpf_ksym_exists. test_bpf_headers loads it and reads the results.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* set by user space before load */
const volatile int rt_pid = 0;
const volatile long rt_nr = -1;		/* syscall number to watch */

/* results */
long rt_prog_id, rt_prog_arg1;		/* BPF_PROG on tp_btf/sys_enter */
long rt_prog2_id, rt_prog2_arg1;	/* BPF_PROG2 on raw_tp/sys_enter */
long rt_for_sum, rt_repeat;
long rt_enum_val, rt_exists, rt_missing, rt_ksym;
long rt_printk_ret;
__u32 rt_hits;

struct task_struct___rt_missing {
	int no_such_field_in_any_kernel;
} __attribute__((preserve_access_index));

static __always_inline bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == (u32)rt_pid;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(rt_tp_btf, struct pt_regs *regs, long id)
{
	int i;

	if (!mine() || id != rt_nr)
		return 0;
	rt_prog_id = id;
	rt_prog_arg1 = PT_REGS_PARM1_CORE_SYSCALL(regs);
	rt_for_sum = 0;
	bpf_for(i, 0, 10)
		rt_for_sum += i;
	rt_repeat = 0;
	bpf_repeat(3)
		rt_repeat++;
	rt_enum_val = bpf_core_enum_value(enum bpf_func_id, BPF_FUNC_ringbuf_output);
	rt_exists = bpf_core_field_exists(struct task_struct, pid) +
		    bpf_core_type_exists(struct task_struct);
	rt_missing = bpf_core_field_exists(struct task_struct___rt_missing,
					   no_such_field_in_any_kernel);
	rt_ksym = bpf_ksym_exists(bpf_iter_num_new);
	rt_printk_ret = bpf_printk("evbpf hdr_runtime %d %d %d %d %d", 1, 2, 3, 4, 5);
	__sync_fetch_and_add(&rt_hits, 1);
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG2(rt_raw_tp, struct pt_regs *, regs, long, id)
{
	if (!mine() || id != rt_nr)
		return 0;
	rt_prog2_id = id;
	rt_prog2_arg1 = PT_REGS_PARM1_CORE(regs);
	return 0;
}
