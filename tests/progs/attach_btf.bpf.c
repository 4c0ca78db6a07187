// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* BTF-typed programs that this kernel runs: tp_btf on sys_enter and a task
 * iterator. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "attach_common.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int BPF_PROG(tpbtf_enter, struct pt_regs *regs, long id)
{
	if (mine() && id == (long)cfg_get(1)) {
		bump(0);
		put(0, bpf_get_attach_cookie(ctx));
	}
	return 0;
}

SEC("iter/task")
int iter_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	if (!task)
		return 0;
	/* one line per process (thread group leader) */
	if (task->pid == task->tgid)
		BPF_SEQ_PRINTF(seq, "%d %s\n", task->tgid, task->comm);
	return 0;
}
