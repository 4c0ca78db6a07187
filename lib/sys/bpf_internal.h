/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The raw bpf(2) entry points every wrapper of lib/sys/bpf*.c goes through;
 * also usable by other parts of lib/ and io/ that need a command the public
 * wrappers do not expose, or need an fd moved above stdio.
 */
#ifndef EVBPF_LIB_BPF_INTERNAL_H
#define EVBPF_LIB_BPF_INTERNAL_H

#include <stddef.h>

#include "bpf_attr_internal.h"

/*
 * Issues bpf(@cmd, @attr, @size). Returns the kernel's result, or -errno
 * (errno is left set as the syscall set it). Retries on EINTR.
 */
int evbpf__sys_bpf(int cmd, union evbpf__attr *attr, unsigned int size);

/*
 * Like evbpf__sys_bpf() for commands that return a new fd: the fd is moved
 * above 2 (so a closed stdin/stdout/stderr is never reused for a BPF
 * object) and is O_CLOEXEC. Returns the fd or -errno.
 */
int evbpf__sys_bpf_fd(int cmd, union evbpf__attr *attr, unsigned int size);

/*
 * evbpf__sys_bpf_fd() of @cmd with the common attributes @common (see
 * EVBPF_BPF_COMMON_ATTRS) of @common_size bytes.
 */
int evbpf__sys_bpf_common_fd(int cmd, union evbpf__attr *attr, unsigned int size,
			     struct evbpf__attr_common *common, unsigned int common_size);

/*
 * Makes @fd safe to hand out: when it is 0, 1 or 2 it is duplicated to the
 * lowest free fd >= 3 with FD_CLOEXEC and the original is closed. Returns
 * the (possibly new) fd, @fd itself when negative, or -errno (the original
 * is closed then too).
 */
int evbpf__ensure_good_fd(int fd);

/*
 * Raises RLIMIT_MEMLOCK once per process when the kernel charges BPF memory
 * to it (no memcg accounting). Called before creating maps, programs, BTF.
 */
void evbpf__bump_memlock(void);

/* Default number of attempts of BPF_PROG_LOAD on -EAGAIN. */
#define EVBPF_PROG_LOAD_ATTEMPTS 5

#endif /* EVBPF_LIB_BPF_INTERNAL_H */
