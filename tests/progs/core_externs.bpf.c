// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Extern fixture for tests/test_kconfig.c and tests/test_ksym.c: kconfig
 * externs of every supported type, typeless / typed / weak ksyms and
 * kfuncs. Attributes are spelled out so the fixture needs no BPF headers.
 */
#define SEC(n) __attribute__((section(n), used))
#define __kconfig __attribute__((section(".kconfig")))
#define __ksym __attribute__((section(".ksyms")))
#define __weak __attribute__((weak))

typedef _Bool bool;
typedef unsigned long long u64;

enum libbpf_tristate { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };

extern int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern bool CONFIG_EVT_BOOL __kconfig;
extern enum libbpf_tristate CONFIG_EVT_TRI __kconfig;
extern char CONFIG_EVT_CHAR __kconfig;
extern int CONFIG_EVT_INT __kconfig;
extern u64 CONFIG_EVT_U64 __kconfig;
extern char CONFIG_EVT_STR[8] __kconfig;
extern int CONFIG_EVT_MISSING __kconfig __weak;
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

extern const void _stext __ksym;
extern const void evt_no_such_symbol __ksym __weak;
extern const int cpu_number __ksym;
extern const int evt_no_such_var __ksym __weak;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock___v2(void) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __weak;
extern void evt_no_such_kfunc(void) __ksym __weak;

long out[32];

SEC("tc") int externs(void *ctx)
{
	out[0] = LINUX_KERNEL_VERSION;
	out[1] = LINUX_HAS_BPF_COOKIE;
	out[2] = LINUX_HAS_SYSCALL_WRAPPER;
	out[3] = CONFIG_EVT_BOOL;
	out[4] = CONFIG_EVT_TRI;
	out[5] = CONFIG_EVT_CHAR;
	out[6] = CONFIG_EVT_INT;
	out[7] = CONFIG_EVT_U64;
	out[8] = CONFIG_EVT_STR[1];
	out[9] = CONFIG_EVT_MISSING;
	out[10] = CONFIG_BPF_SYSCALL;
	out[11] = (long)&_stext;
	out[12] = (long)&evt_no_such_symbol;
	out[13] = (long)&cpu_number;
	out[14] = (long)&evt_no_such_var;
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock___v2();
	if (bpf_task_acquire)
		out[15] = (long)bpf_task_acquire((void *)0);
	if (evt_no_such_kfunc)
		evt_no_such_kfunc();
	return 0;
}

char _license[] SEC("license") = "GPL";
