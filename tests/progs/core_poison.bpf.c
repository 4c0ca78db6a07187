// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A reachable CO-RE relocation that no kernel satisfies: evbpf poisons the
 * instruction, the verifier refuses the program, and evbpf must explain
 * the refusal in one line naming the relocation (tests/test_core_kern.c).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___evt {
	int pid;
	int evt_no_such_field;
} __attribute__((preserve_access_index));

int seen;

SEC("raw_tp") int core_poison(void *ctx)
{
	struct task_struct___evt *t = (void *)bpf_get_current_task();

	seen = BPF_CORE_READ(t, pid);
	seen += BPF_CORE_READ(t, evt_no_such_field);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
