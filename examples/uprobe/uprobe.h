/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Record shared by uprobe.bpf.c and uprobe.c. */
#ifndef UPROBE_EXAMPLE_H
#define UPROBE_EXAMPLE_H

struct call {
	int pid;
	unsigned long arg1;
	long ret;
	unsigned long long latency_ns;
	char comm[16];
};

#endif
