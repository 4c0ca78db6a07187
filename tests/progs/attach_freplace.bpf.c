// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* freplace: a tc program with a global function, and an extension program
 * replacing it. Loaded as two objects by the test (target first). */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__attribute__((noinline)) int freplace_target(struct __sk_buff *skb)
{
	return skb->len ? 0 : 1;
}

SEC("tc")
int tc_main(struct __sk_buff *skb)
{
	return freplace_target(skb);
}

SEC("freplace/freplace_target")
int new_target(struct __sk_buff *skb)
{
	return 0;
}
