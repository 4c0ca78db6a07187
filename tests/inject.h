/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Failure injection for the tests: tests/inject.c, linked into a test
 * program, interposes the allocator, the calls that create file
 * descriptors (open, socket, eventfd, epoll, timerfd, memfd, dup, fopen,
 * and the fd-creating bpf() and perf_event_open() syscalls) and mmap, and
 * fails the N-th call of one kind once armed. Not for sanitizer builds,
 * whose runtimes own the allocator.
 */
#ifndef EVBPF_TEST_INJECT_H
#define EVBPF_TEST_INJECT_H

#include <stdbool.h>

enum evbpf_inject_kind {
	EVBPF_INJECT_MEM,	/* malloc and friends fail with ENOMEM */
	EVBPF_INJECT_FD,	/* fd-creating calls fail with EMFILE */
	EVBPF_INJECT_MMAP,	/* mmap fails with ENOMEM */
	EVBPF_INJECT_KINDS,
};

/* Fails the @n-th (from 1) call of @kind from now on, once. */
void evbpf_inject_arm(enum evbpf_inject_kind kind, unsigned long n);

/* Stops injecting; returns the calls of the armed kind seen since
 * evbpf_inject_arm(), and in *@fired whether the failure happened. */
unsigned long evbpf_inject_disarm(bool *fired);

/* Blocks the allocator has handed out and not had back, since start. */
long evbpf_inject_live_blocks(void);

/* Name of @kind for messages: "malloc", "fd", "mmap". */
const char *evbpf_inject_kind_name(enum evbpf_inject_kind kind);

#endif
