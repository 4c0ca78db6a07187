// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor of map updates for evbpf-bench: one test run of floor_update
 * updates keys ctx[0]..ctx[1]-1 of "upd" (value 3 * key) with bpf_loop.
 * No user memory is read and no system call is made per update, so what is
 * measured is the map update itself plus a loop step.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);		/* set before loading */
	__type(key, __u32);
	__type(value, __u64);
} upd SEC(".maps");

struct floor_ctx {
	__u32 from;
	int err;
};

static long update_one(__u64 i, void *data)
{
	struct floor_ctx *c = data;
	__u32 key = c->from + (__u32)i;
	__u64 val = key * 3ull;
	long err = bpf_map_update_elem(&upd, &key, &val, BPF_ANY);

	if (err) {
		c->err = (int)err;
		return 1;
	}
	return 0;
}

SEC("syscall")
int floor_update(__u32 *ctx)
{
	struct floor_ctx c = { .from = ctx[0], .err = 0 };

	bpf_loop(ctx[1] - ctx[0], update_one, &c, 0);
	return c.err;
}

char LICENSE[] SEC("license") = "GPL";
