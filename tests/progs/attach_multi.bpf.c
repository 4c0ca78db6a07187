// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Multi-function tracing programs: one program on every function a
 * pattern matches. Kernels up to 6.19 have no such programs and refuse them
 * at load; tests/test_objapi.c checks that refusal. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 entries = 0, exits = 0;

SEC("fentry.multi/bpf_fentry_test*")
int multi_entry(__u64 *ctx)
{
	__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("fexit.multi/bpf_fentry_test*")
int multi_exit(__u64 *ctx)
{
	__sync_fetch_and_add(&exits, 1);
	return 0;
}
