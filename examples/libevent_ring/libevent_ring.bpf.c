// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A record into a ring buffer for every getppid() call of one process; a
 * record that finds the ring full is counted in a drop counter map instead.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/evbpf_ringbuf.bpf.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 target_tgid;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

EVBPF_RINGBUF_DROPS_MAP(drops);

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u64 *e;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	e = evbpf_ringbuf_reserve(&events, &drops, sizeof(*e));
	if (!e)
		return 0;
	*e = bpf_ktime_get_ns();
	bpf_ringbuf_submit(e, 0);
	return 0;
}
