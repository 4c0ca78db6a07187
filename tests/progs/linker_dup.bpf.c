// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A second strong add_two(): linking it with linker_b.bpf.o must fail. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__noinline int add_two(int x)
{
	return x + 2;
}
