// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loader fixture: every BTF map definition style, global data in all
 * sections, .text subprograms, a static function in a program section, a
 * bpf_loop callback, map-in-map and a prog array with static
 * initialisation, a tail call. The XDP program is test-run by
 * tests/test_object_load.c, which reads the results back.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* key/value by type */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* key/value by size, flags */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u64));
	__uint(map_flags, BPF_F_NO_PREALLOC);
} by_size SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} percpu SEC(".maps");

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

int tail_target(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&tail_target },
};

/* global data in every section */
int data_var = 7;
int data_arr[4] = { 1, 2, 3, 4 };
const volatile int ro_var = 100;
const volatile char ro_str[8] = "rodata";
int bss_var;
__u64 bss_result;
__u64 bss_loop_sum;
__u32 bss_tail_hit;
int custom_data SEC(".data.custom") = 42;
const volatile int custom_ro SEC(".rodata.custom") = 1000;
static volatile int static_data = 5;

/* global subprogram in .text */
__attribute__((noinline)) int global_add(int a, int b)
{
	return a + b + static_data;
}

/* static subprogram in .text */
static __attribute__((noinline)) int text_mul(int a)
{
	return a * 3;
}

static int loop_cb(__u32 idx, void *ctx)
{
	__u64 *sum = ctx;

	*sum += idx;
	return 0;
}

/* static subprogram inside a program section */
SEC("xdp")
static __attribute__((noinline)) int in_section_helper(int x)
{
	return x + custom_data;
}

SEC("xdp")
int xdp_main(struct xdp_md *ctx)
{
	__u32 key = 0, *iv;
	__u64 *c, sum = 0;
	void *inner;

	c = bpf_map_lookup_elem(&counters, &key);
	if (c)
		__sync_fetch_and_add(c, 1);
	bss_var = global_add(data_var, ro_var);		/* 7 + 100 + 5 */
	bss_result = text_mul(in_section_helper(custom_ro));	/* (1000+42)*3 */
	bpf_loop(5, loop_cb, &sum, 0);
	bss_loop_sum = sum;				/* 0+1+2+3+4 */
	data_arr[3] = ro_str[0];
	inner = bpf_map_lookup_elem(&outer, &key);
	if (inner) {
		iv = bpf_map_lookup_elem(inner, &key);
		if (iv)
			*iv = 77;
	}
	bpf_tail_call(ctx, &jumps, 1);
	return XDP_PASS;
}

SEC("xdp")
int tail_target(struct xdp_md *ctx)
{
	bss_tail_hit = 1;
	return XDP_TX;
}

SEC("socket")
int sock_prog(struct __sk_buff *skb)
{
	__u32 key = 1;
	__u64 *c = bpf_map_lookup_elem(&counters, &key);

	if (c)
		__sync_fetch_and_add(c, 1);
	return global_add(1, 2);
}
