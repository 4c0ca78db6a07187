// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * First half of a statically linked object (test_linker.c): the XDP
 * program, calling functions, sharing variables and maps defined in
 * linker_b.bpf.c, plus a static function, a static variable and a weak
 * function whose names the other half also uses.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "linker_common.h"

extern int shared_counter;
extern int add_two(int x);
extern __hidden int hidden_twice(int x);
extern int bump_b(void);
extern __u32 core_pid_offset(void);
extern struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LINKER_OUT_CNT);
	__type(key, __u32);
	__type(value, __u64);
} linker_out SEC(".maps");

int a_global = 5;
const volatile int a_mult = 3;
static int counter;

static __noinline int helper(int x)
{
	return x * a_mult;
}

__weak __noinline int pick(void)
{
	return 1;
}

static void put(__u32 k, __u64 v)
{
	bpf_map_update_elem(&linker_out, &k, &v, BPF_ANY);
}

SEC("xdp")
int linker_prog(struct xdp_md *ctx)
{
	int r = add_two(helper(a_global));

	shared_counter += r;
	put(LINKER_OUT_ADD_TWO, r);
	put(LINKER_OUT_PICK, pick());
	put(LINKER_OUT_CORE, core_pid_offset());
	put(LINKER_OUT_HIDDEN, hidden_twice(21));
	put(LINKER_OUT_SHARED, shared_counter);
	put(LINKER_OUT_STATIC_A, ++counter);
	put(LINKER_OUT_STATIC_B, bump_b());
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
