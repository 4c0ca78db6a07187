// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Exercises the rest of the BPF-side header surface, including what newer
 * libbpf releases added (open-coded iterators, BPF_PROG2, argument tags,
 * bpf_core_cast, __ulong, uprobe macros). Compile-only with evbpf's headers;
 * test_bpf_headers checks what clang recorded in the object.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#ifndef EVBPF_BPF_HEADERS
#error "the system libbpf's BPF headers shadow evbpf's: fix the -I order"
#endif

/* Complete type for the numbers iterator (the 6.1 UAPI lacks it). */
struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

struct file___x {
	unsigned int f_flags;
} __attribute__((preserve_access_index));

struct task_struct___x {
	int pid;
	unsigned int in_execve:1;
	unsigned int in_iowait:1;
	struct file___x *file;
	struct task_struct___x *parent;
} __attribute__((preserve_access_index));

struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct___x *task;
} __attribute__((preserve_access_index));

enum pid_type___x { PIDTYPE_PID___x, PIDTYPE_TGID___x };

struct node_data {
	long key;
	struct task_struct___x __kptr *owned;
	struct task_struct___x __kptr_untrusted *seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct node_data);
} kptrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__type(value, __u32);
	__ulong(map_extra, 3);	/* number of hash functions */
} bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jmp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned SEC(".maps");

extern int LINUX_KERNEL_VERSION __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT_ALWAYS_ON __kconfig __weak;
extern int bpf_fake_kfunc_for_test(void) __ksym __weak;

__u64 out;
char LICENSE[] SEC("license") = "GPL";

struct pair {
	__u64 a;
	__u64 b;
};

static __noinline int sub(int x)
{
	return x * 2;
}

__hidden int global_sub(void *ctx __arg_ctx, int *p __arg_nonnull)
{
	return *p + 1;
}

SEC("tp/syscalls/sys_enter_getppid")
int extra_tp(void *ctx)
{
	struct task_struct___x *t = (void *)bpf_get_current_task();
	int i, sum = 0, v = 1;
	char buf[32];

	bpf_for(i, 0, 10)
		sum += i;
	bpf_repeat(3)
		sum++;
	if (likely(sum > 0) && !unlikely(sum > 1000))
		sum += sub(sum) + global_sub(ctx, &v);
	barrier_var(sum);
	barrier();
	sum += BPF_CORE_READ_BITFIELD_PROBED(t, in_iowait);
	if (sum < 0) {
		/* compile-only: a direct bitfield write and read */
		BPF_CORE_WRITE_BITFIELD(t, in_execve, 1);
		sum += BPF_CORE_READ_BITFIELD(t, in_execve);
	}
	sum += BPF_CORE_READ(t, parent, parent, file, f_flags);
	sum += bpf_core_field_size(t->pid) + bpf_core_field_offset(struct task_struct___x, pid);
	sum += bpf_core_type_exists(struct task_struct___x) + bpf_core_type_id_kernel(struct task_struct___x);
	sum += bpf_core_type_id_local(struct task_struct___x);
	if (bpf_core_enum_value_exists(enum pid_type___x, PIDTYPE_TGID___x))
		sum += bpf_core_enum_value(enum pid_type___x, PIDTYPE_TGID___x);
	sum += bpf_core_cast(t, struct task_struct___x)->pid;
	if (bpf_ksym_exists(bpf_fake_kfunc_for_test))
		sum += bpf_fake_kfunc_for_test();
	if (CONFIG_BPF_JIT_ALWAYS_ON == TRI_YES && LINUX_KERNEL_VERSION > KERNEL_VERSION(5, 0, 0))
		sum++;
	switch (bpf_ntohs(sum)) {
	case bpf_htons(0x800):
		sum++;
		break;
	default:
		break;
	}
	sum += bpf_be64_to_cpu(bpf_cpu_to_be64((__u64)sum)) + bpf_ntohl(bpf_htonl(sum));
	BPF_SNPRINTF(buf, sizeof(buf), "%d %d %d %d %d", sum, 1, 2, 3, 4);
	bpf_printk("five %d %d %d %d %d", sum, 1, 2, 3, 4);
	bpf_printk("three %d %d %d", sum, 1, 2);
	bpf_printk("none");
	bpf_tail_call_static(ctx, &jmp, 1);
	out = sum;
	return 0;
}

SEC("iter/task")
int extra_iter(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;

	BPF_SEQ_PRINTF(seq, "%d %d\n", 1, 2);
	BPF_SEQ_PRINTF(seq, "plain\n");
	return 0;
}

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(extra_kprobe, int dfd, void *name, long a3, long a4, long a5, long a6)
{
	unsigned long ip = 0;

	BPF_KPROBE_READ_RET_IP(ip, ctx);
	out = dfd + a3 + a4 + a5 + a6 + ip + PT_REGS_PARM1_CORE(ctx) + PT_REGS_IP(ctx) +
	      PT_REGS_SP(ctx) + PT_REGS_FP(ctx) + PT_REGS_RET(ctx);
	return 0;
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(extra_kretprobe, long ret)
{
	out = ret + PT_REGS_RC_CORE(ctx);
	return 0;
}

SEC("ksyscall/openat")
int BPF_KSYSCALL(extra_ksyscall, int dfd, const char *path, int flags, int mode)
{
	out = dfd + flags + mode + PT_REGS_PARM4_CORE_SYSCALL(PT_REGS_SYSCALL_REGS(ctx));
	return 0;
}

SEC("kprobe/__x64_sys_close")
int BPF_KPROBE_SYSCALL(extra_kprobe_sys, int fd)
{
	out = fd;
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(extra_uprobe, const char *s, int n)
{
	out = n;
	return 0;
}

SEC("uretprobe")
int BPF_URETPROBE(extra_uretprobe, int rc)
{
	out = rc;
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(extra_prog, bool preempt, struct task_struct___x *prev)
{
	out = preempt + prev->pid;
	return 0;
}

SEC("fentry/bpf_fentry_test_pair")
int BPF_PROG2(extra_prog2, int, a, struct pair, p, char, c, short, s)
{
	out = a + p.a + p.b + c + s;
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(extra_noargs)
{
	out = ctx[0];
	return 0;
}

SEC("fentry/bpf_fentry_test1")
int BPF_PROG2(extra_prog2_noargs)
{
	return 0;
}
