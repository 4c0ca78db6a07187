// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A TCP congestion control as struct_ops, plain and as a link map. Only the
 * members used are declared; the loader matches them by name. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct sock;

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

SEC("struct_ops/g_ssthresh")
__u32 g_ssthresh(unsigned long long *ctx)
{
	return 2;
}

SEC("struct_ops/g_cong_avoid")
void g_cong_avoid(unsigned long long *ctx)
{
}

SEC("struct_ops/g_undo_cwnd")
__u32 g_undo_cwnd(unsigned long long *ctx)
{
	return 10;
}

SEC(".struct_ops")
struct tcp_congestion_ops evbpf_g_ca = {
	.ssthresh = (void *)g_ssthresh,
	.cong_avoid = (void *)g_cong_avoid,
	.undo_cwnd = (void *)g_undo_cwnd,
	.name = "evbpf_g_ca",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops evbpf_g_ca_link = {
	.ssthresh = (void *)g_ssthresh,
	.cong_avoid = (void *)g_cong_avoid,
	.undo_cwnd = (void *)g_undo_cwnd,
	.name = "evbpf_g_cal",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops evbpf_g_ca_link2 = {
	.ssthresh = (void *)g_ssthresh,
	.cong_avoid = (void *)g_cong_avoid,
	.undo_cwnd = (void *)g_undo_cwnd,
	.name = "evbpf_g_cal",	/* an update keeps the name */
};
