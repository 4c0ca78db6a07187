// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loader fixture: a struct_ops map (a TCP congestion control) whose
 * function pointers name programs, with a data member (name) that is
 * copied into the kernel's layout. Only the members used are declared: the
 * loader matches members by name against the kernel's struct.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sock;

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

SEC("struct_ops/evbpf_ssthresh")
__u32 evbpf_ssthresh(unsigned long long *ctx)
{
	return 2;
}

SEC("struct_ops/evbpf_cong_avoid")
void evbpf_cong_avoid(unsigned long long *ctx)
{
}

SEC("struct_ops/evbpf_undo_cwnd")
__u32 evbpf_undo_cwnd(unsigned long long *ctx)
{
	return 10;
}

SEC("struct_ops/evbpf_unused")
__u32 evbpf_unused(unsigned long long *ctx)
{
	return 0;
}

SEC(".struct_ops")
struct tcp_congestion_ops evbpf_ca = {
	.ssthresh = (void *)evbpf_ssthresh,
	.cong_avoid = (void *)evbpf_cong_avoid,
	.undo_cwnd = (void *)evbpf_undo_cwnd,
	.name = "evbpf_ca",
};

char LICENSE[] SEC("license") = "GPL";
