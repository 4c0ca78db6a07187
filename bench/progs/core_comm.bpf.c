// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CO-RE load-time object: reads a string field and a parent chain. */
#include "core_common.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int core_comm(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct core_out *o = out_slot();
	char comm[16];

	if (!o)
		return 0;
	BPF_CORE_READ_STR_INTO(&comm, t, comm);
	o->a = comm[0];
	o->b = BPF_CORE_READ(t, real_parent, real_parent, tgid);
	o->c = bpf_core_field_exists(t->files);
	return 0;
}
