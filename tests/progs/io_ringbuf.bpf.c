// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Producers of the consumer tests, written with the BPF-side
 * helpers of <bpf/evbpf_ringbuf.bpf.h>: drop counting and adaptive wakeups.
 * cfg[0]: the tgid the tracepoint producer watches; cfg[1]: the adaptive
 * wakeup threshold in bytes (0: the kernel's default wakeups).
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/evbpf_ringbuf.bpf.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16384);
} rb SEC(".maps");

EVBPF_RINGBUF_DROPS_MAP(drops);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seq SEC(".maps");

struct rec {
	__u64 seq;
	__u64 pad[3];
};

static __always_inline void produce_one(void)
{
	__u32 zero = 0, one = 1;
	__u64 *s = bpf_map_lookup_elem(&seq, &zero);
	__u64 *thr = bpf_map_lookup_elem(&cfg, &one);
	struct rec *r;
	__u64 n;

	if (!s || !thr)
		return;
	n = __sync_fetch_and_add(s, 1);
	r = evbpf_ringbuf_reserve(&rb, &drops, sizeof(*r));
	if (!r)
		return;
	r->seq = n;
	r->pad[0] = n;
	r->pad[1] = n;
	r->pad[2] = n;
	if (*thr)
		evbpf_ringbuf_submit_adaptive(r, &rb, *thr);
	else
		bpf_ringbuf_submit(r, 0);
}

SEC("xdp")
int xdp_produce(struct xdp_md *ctx)
{
	produce_one();
	return XDP_PASS;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx)
{
	__u32 zero = 0;
	__u64 *tgid = bpf_map_lookup_elem(&cfg, &zero);

	if (tgid && (bpf_get_current_pid_tgid() >> 32) == *tgid)
		produce_one();
	return 0;
}
