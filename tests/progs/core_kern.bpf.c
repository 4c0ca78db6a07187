// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * End-to-end CO-RE fixture for tests/test_core_kern.c, loaded by evbpf and
 * run with BPF_PROG_TEST_RUN in the test's own task: reads task_struct
 * fields through BPF_CORE_READ with local (not vmlinux.h) definitions,
 * checks field existence, and reads kconfig and ksym externs. (No typed
 * variable ksym: kernels without CONFIG_KALLSYMS_ALL cannot take them.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

struct task_struct___evt {
	int evt_no_such_field;
} __attribute__((preserve_access_index));


extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_BPF_COOKIE __kconfig;
extern enum libbpf_tristate CONFIG_BPF_SYSCALL __kconfig;
extern int CONFIG_EVT_FROM_OPTS __kconfig __weak;
extern int CONFIG_EVT_NOWHERE __kconfig __weak;
extern const void _stext __ksym;
extern const int evt_no_such_var __ksym __weak;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void evt_no_such_kfunc(void) __ksym __weak;

struct {
	__s32 pid, tgid, ppid;
	char comm[16];
	__u32 has_missing_field;
	__u32 missing_val;
	__u32 kver;
	__u32 cookie;
	__u32 bpf_syscall;
	__s32 from_opts;
	__s32 nowhere;
	__u64 stext;
	__s32 cpu;
	__u32 cpu_seen;
	__u32 no_var;
	__u32 no_kfunc;
	__u32 ran;
} out;

SEC("raw_tp") int core_kern(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	out.pid = BPF_CORE_READ(t, pid);
	out.tgid = BPF_CORE_READ(t, tgid);
	out.ppid = BPF_CORE_READ(t, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&out.comm, t, comm);
	out.has_missing_field = bpf_core_field_exists(((struct task_struct___evt *)t)->evt_no_such_field);
	if (bpf_core_field_exists(((struct task_struct___evt *)t)->evt_no_such_field))
		out.missing_val = BPF_CORE_READ((struct task_struct___evt *)t, evt_no_such_field);
	out.kver = LINUX_KERNEL_VERSION;
	out.cookie = LINUX_HAS_BPF_COOKIE;
	out.bpf_syscall = CONFIG_BPF_SYSCALL;
	out.from_opts = CONFIG_EVT_FROM_OPTS;
	out.nowhere = CONFIG_EVT_NOWHERE;
	out.stext = (__u64)(unsigned long)&_stext;
	out.cpu = bpf_get_smp_processor_id();
	out.cpu_seen = 1;
	out.no_var = bpf_ksym_exists(&evt_no_such_var);
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	if (bpf_ksym_exists(evt_no_such_kfunc)) {
		evt_no_such_kfunc();
		out.no_kfunc = 1;
	}
	out.ran = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
