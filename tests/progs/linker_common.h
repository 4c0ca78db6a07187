/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Slots of linker_out: what linker_a.bpf.c's program found (test_linker.c). */
#ifndef LINKER_COMMON_H
#define LINKER_COMMON_H

enum {
	LINKER_OUT_ADD_TWO,	/* add_two(helper(a_global)) = (5*3)+100+2 */
	LINKER_OUT_PICK,	/* the strong pick() of linker_b: 2 */
	LINKER_OUT_CORE,	/* offsetof(struct task_struct, pid) in the kernel */
	LINKER_OUT_HIDDEN,	/* hidden_twice(21) = 42 */
	LINKER_OUT_SHARED,	/* shared_counter after the run */
	LINKER_OUT_STATIC_A,	/* linker_a's static counter: 1 */
	LINKER_OUT_STATIC_B,	/* linker_b's static counter: 41 */
	LINKER_OUT_CNT,
};

#endif
