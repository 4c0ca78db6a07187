// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Programs whose sections name no attach target: a skeleton attaches none
 * of them, and says nothing about it at INFO or WARN level. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 hits;

SEC("uprobe")
int probe_any_user(void *ctx)
{
	hits++;
	return 0;
}

SEC("uretprobe")
int probe_any_user_ret(void *ctx)
{
	hits++;
	return 0;
}

SEC("usdt")
int probe_any_usdt(void *ctx)
{
	hits++;
	return 0;
}
