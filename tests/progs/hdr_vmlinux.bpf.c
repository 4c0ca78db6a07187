// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf-bootstrap-style programs on the build-time vmlinux.h: the BPF-side
 * headers together with the kernel's own types (pt_regs names, enums,
 * kfunc declarations). Built with evbpf's headers and, as
 * hdr_vmlinux_sys.bpf.o, with the system libbpf's; test_bpf_headers
 * compares the two objects.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#ifdef HDR_SYSTEM_HEADERS
#ifdef EVBPF_BPF_HEADERS
#error "evbpf's BPF headers were picked up instead of the system libbpf's"
#endif
#else
#ifndef EVBPF_BPF_HEADERS
#error "the system libbpf's BPF headers shadow evbpf's: fix the -I order"
#endif
#endif

#define ETH_P_IP 0x0800
#define TC_ACT_OK 0

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} vm_events SEC(".maps");

const volatile pid_t vm_filter = 0;
long vm_out;

SEC("tp_btf/sched_process_exec")
int BPF_PROG(vm_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	char comm[16];

	if (vm_filter && p->tgid != vm_filter)
		return 0;
	bpf_probe_read_kernel_str(comm, sizeof(comm), p->comm);
	vm_out = old_pid + BPF_CORE_READ(p, real_parent, tgid);
	return 0;
}

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(vm_unlinkat, int dfd, struct filename *name)
{
	const char *fname = BPF_CORE_READ(name, name);
	char buf[32];

	bpf_probe_read_kernel_str(buf, sizeof(buf), fname);
	bpf_printk("unlink %d %s", dfd, buf);
	return 0;
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(vm_unlinkat_exit, long ret)
{
	vm_out = ret + PT_REGS_PARM1_CORE(ctx) + PT_REGS_IP(ctx);
	return 0;
}

SEC("fentry/do_unlinkat")
int BPF_PROG(vm_fentry, int dfd, struct filename *name)
{
	vm_out = dfd + name->refcnt.counter;
	return 0;
}

SEC("ksyscall/kill")
int BPF_KSYSCALL(vm_kill, pid_t pid, int sig)
{
	vm_out = pid + sig;
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(vm_uprobe, int a, int b)
{
	vm_out = a + b;
	return 0;
}

SEC("tc")
int vm_tc(struct __sk_buff *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		vm_out++;
	return TC_ACT_OK;
}

SEC("tp/syscalls/sys_enter_getppid")
int vm_tp(void *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	int *e;

	if (bpf_core_field_exists(t->pid) && bpf_core_type_exists(struct task_struct))
		vm_out += bpf_core_field_size(struct task_struct, comm);
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_ringbuf_output))
		vm_out += bpf_core_enum_value(enum bpf_func_id, BPF_FUNC_ringbuf_output);
#ifdef bpf_for
	{
		int i;

		bpf_for(i, 0, 4)
			vm_out += i;
	}
#endif
	e = bpf_ringbuf_reserve(&vm_events, sizeof(*e), 0);
	if (e) {
		*e = BPF_CORE_READ(t, mm, total_vm);
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}
