// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CO-RE load-time object: memory descriptor fields. */
#include "core_common.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int core_mm(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct core_out *o = out_slot();

	if (!o)
		return 0;
	o->a = BPF_CORE_READ(t, mm, total_vm);
	o->b = BPF_CORE_READ(t, mm, start_stack);
	o->c = BPF_CORE_READ(t, real_parent, mm, total_vm);
	return 0;
}
