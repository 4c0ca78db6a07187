// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE fixture relocated against the running kernel's BTF by
 * tests/test_core_vmlinux.c: task_struct fields, a flavored type with a
 * field no kernel has, an enum value and a type size.
 */
#define SEC(n) __attribute__((section(n), used))
#define __pai __attribute__((preserve_access_index))

struct list_head {
	struct list_head *next, *prev;
} __pai;

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	struct list_head children;
	unsigned int flags;
} __pai;

struct task_struct___evt {
	int evt_no_such_field;
} __pai;

enum bpf_map_type { BPF_MAP_TYPE_RINGBUF = 1 };

SEC("core/task") int task(struct task_struct *t)
{
	long r = 0;

	r += t->pid;
	r += t->tgid;
	r += t->comm[3];
	r += t->real_parent->pid;
	r += (long)t->children.prev;
	r += t->flags;
	r += __builtin_preserve_type_info(*(struct list_head *)0, 1);
	r += __builtin_preserve_enum_value(*(enum bpf_map_type *)BPF_MAP_TYPE_RINGBUF, 1);
	if (__builtin_preserve_field_info(((struct task_struct___evt *)t)->evt_no_such_field, 2))
		r += ((struct task_struct___evt *)t)->evt_no_such_field;
	return r;
}

char _license[] SEC("license") = "GPL";
