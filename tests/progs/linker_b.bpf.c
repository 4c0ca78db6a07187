// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Second half of the linked object (test_linker.c): defines what
 * linker_a.bpf.c declares extern, a strong pick() over its weak one, a
 * static function and variable of the same names, and a CO-RE relocation
 * in a function that lands past the start of the linked .text.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "linker_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LINKER_OUT_CNT);
	__type(key, __u32);
	__type(value, __u64);
} linker_out SEC(".maps");

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

int shared_counter;
static int counter = 40;

static __noinline int helper(int x)
{
	return x + 100;
}

__noinline int add_two(int x)
{
	return helper(x) + 2;
}

__hidden __noinline int hidden_twice(int x)
{
	return x * 2;
}

__noinline int pick(void)
{
	return 2;
}

__noinline int bump_b(void)
{
	return ++counter;
}

__noinline __u32 core_pid_offset(void)
{
	return bpf_core_field_offset(struct task_struct, pid);
}
