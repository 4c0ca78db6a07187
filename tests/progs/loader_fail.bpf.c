// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loader fixture with programs the kernel refuses: one the verifier
 * rejects (reads a packet byte through a plain pointer in a socket
 * filter), and a trampoline program (fentry), which this kernel refuses
 * with EPERM. Tests choose one with bpf_program__set_autoload().
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int bad_access(struct __sk_buff *skb)
{
	unsigned char *p = (unsigned char *)(long)skb->data;

	return *p;
}

SEC("fentry/do_nanosleep")
int fentry_prog(void *ctx)
{
	return 0;
}

SEC("socket")
int fine_prog(struct __sk_buff *skb)
{
	return 3;
}

char LICENSE[] SEC("license") = "GPL";
