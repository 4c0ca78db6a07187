// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A TCP congestion control whose skeleton carries a struct_ops shadow
 * type: test_skel_struct_ops.c changes the data member `flags` and the
 * ssthresh program slot through the shadow before load. Only the members
 * used are declared; the loader matches them by name.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct sock;

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	__u32 flags;
	char name[16];
};

SEC("struct_ops/sk_ssthresh")
__u32 sk_ssthresh(unsigned long long *ctx)
{
	return 2;
}

/* in no slot of the compiled struct; a test puts it into one */
SEC("struct_ops/sk_ssthresh_alt")
__u32 sk_ssthresh_alt(unsigned long long *ctx)
{
	return 4;
}

SEC("struct_ops/sk_cong_avoid")
void sk_cong_avoid(unsigned long long *ctx)
{
}

SEC("struct_ops/sk_undo_cwnd")
__u32 sk_undo_cwnd(unsigned long long *ctx)
{
	return 10;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops evbpf_sk_ca = {
	.ssthresh = (void *)sk_ssthresh,
	.cong_avoid = (void *)sk_cong_avoid,
	.undo_cwnd = (void *)sk_undo_cwnd,
	.name = "evbpf_sk_ca",
};
