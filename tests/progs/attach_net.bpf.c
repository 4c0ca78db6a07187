// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Networking and cgroup hooks, each counting what passes through it. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include "attach_common.h"

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int xdp_a(struct xdp_md *ctx)
{
	bump(0);
	return XDP_PASS;
}

SEC("xdp")
int xdp_b(struct xdp_md *ctx)
{
	bump(1);
	return XDP_PASS;
}

/* tcx return codes: TCX_NEXT (-1) lets the next program run */
SEC("tcx/ingress")
int tcx_in(struct __sk_buff *skb)
{
	bump(2);
	return -1;
}

SEC("tcx/egress")
int tcx_out(struct __sk_buff *skb)
{
	bump(3);
	return -1;
}

SEC("tcx/ingress")
int tcx_in2(struct __sk_buff *skb)
{
	bump(4);
	return -1;
}

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb)
{
	bump(5);
	return 1;
}

SEC("cgroup_skb/ingress")
int cg_ingress(struct __sk_buff *skb)
{
	bump(6);
	return 1;
}

SEC("cgroup/sock_create")
int cg_sock(struct bpf_sock *sk)
{
	if (mine())
		bump(7);
	return 1;
}

SEC("netfilter")
int nf_count(void *ctx)
{
	bump(8);
	return 1;	/* NF_ACCEPT */
}

SEC("sk_lookup")
int skl(struct bpf_sk_lookup *ctx)
{
	bump(9);
	return SK_PASS;
}

SEC("netkit/primary")
int nk(struct __sk_buff *skb)
{
	return -1;
}

SEC("sk_skb/stream_verdict")
int skb_verdict(struct __sk_buff *skb)
{
	bump(10);
	return SK_PASS;
}
