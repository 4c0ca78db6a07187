/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The record the BPF side streams to the server, one per exec. */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#define HTTP_SERVER_COMM_LEN 16

struct exec_event {
	unsigned int pid;		/* tgid of the process that exec'ed */
	unsigned int pad;
	unsigned long long count;	/* its execs so far, this one included */
	char comm[HTTP_SERVER_COMM_LEN];	/* the new program's name */
};

#endif
