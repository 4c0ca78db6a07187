// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The failure injector of tests/inject.h. Definitions here take the place
 * of libc's for the whole process (glibc's own internal allocations go
 * through them as well); the real work is done by glibc's __libc_*
 * allocator entry points and raw system calls, so nothing here needs
 * dlsym() before the allocator works.
 */
/* the plain symbols (open, mmap, fcntl) are the ones defined here; their
 * *64 twins are aliases */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "inject.h"

#if !defined(__x86_64__)
#error "the injector's raw system calls are written for x86-64"
#endif

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *p);

static int armed_kind = -1;
static unsigned long armed_n, seen;
static bool fired;
static long live;

void evbpf_inject_arm(enum evbpf_inject_kind kind, unsigned long n)
{
	__atomic_store_n(&seen, 0, __ATOMIC_SEQ_CST);
	fired = false;
	armed_n = n;
	__atomic_store_n(&armed_kind, (int)kind, __ATOMIC_SEQ_CST);
}

unsigned long evbpf_inject_disarm(bool *was_fired)
{
	__atomic_store_n(&armed_kind, -1, __ATOMIC_SEQ_CST);
	if (was_fired)
		*was_fired = fired;
	return __atomic_load_n(&seen, __ATOMIC_SEQ_CST);
}

long evbpf_inject_live_blocks(void)
{
	return __atomic_load_n(&live, __ATOMIC_SEQ_CST);
}

const char *evbpf_inject_kind_name(enum evbpf_inject_kind kind)
{
	static const char *const names[] = { "malloc", "fd", "mmap" };

	return kind < EVBPF_INJECT_KINDS ? names[kind] : "?";
}

/* True when this call of @kind is the one to fail (errno set). */
static bool fail_now(enum evbpf_inject_kind kind, int err)
{
	if (__atomic_load_n(&armed_kind, __ATOMIC_SEQ_CST) != (int)kind)
		return false;
	if (__atomic_add_fetch(&seen, 1, __ATOMIC_SEQ_CST) != armed_n)
		return false;
	fired = true;
	errno = err;
	return true;
}

static long raw6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

#define RAW(nr, a, b, c, d, e, f) raw6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* ---- allocator ---- */

static void *counted(void *p)
{
	if (p)
		__atomic_add_fetch(&live, 1, __ATOMIC_SEQ_CST);
	return p;
}

void *malloc(size_t size)
{
	return fail_now(EVBPF_INJECT_MEM, ENOMEM) ? NULL : counted(__libc_malloc(size));
}

void *calloc(size_t n, size_t size)
{
	return fail_now(EVBPF_INJECT_MEM, ENOMEM) ? NULL : counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t size)
{
	void *q;

	if (!p)
		return malloc(size);
	if (!size) {
		free(p);
		return NULL;
	}
	if (fail_now(EVBPF_INJECT_MEM, ENOMEM))
		return NULL;
	q = __libc_realloc(p, size);
	return q;
}

void *reallocarray(void *p, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, total);
}

void free(void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&live, 1, __ATOMIC_SEQ_CST);
	__libc_free(p);
}

void *memalign(size_t align, size_t size)
{
	return fail_now(EVBPF_INJECT_MEM, ENOMEM) ? NULL : counted(__libc_memalign(align, size));
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (fail_now(EVBPF_INJECT_MEM, ENOMEM))
		return ENOMEM;
	p = counted(__libc_memalign(align, size));
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t size)
{
	return memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

/* ---- fds ---- */

static long fd_call(long nr, long a, long b, long c, long d, long e, long f)
{
	if (fail_now(EVBPF_INJECT_FD, EMFILE))
		return -1;
	return raw6(nr, a, b, c, d, e, f);
}

/* The mode argument of open()/openat(), present with O_CREAT or O_TMPFILE. */
#define MODE_ARG(flags, mode)						\
	do {								\
		va_list ap;						\
									\
		(mode) = 0;						\
		if ((flags) & (O_CREAT | __O_TMPFILE)) {		\
			va_start(ap, flags);				\
			(mode) = va_arg(ap, mode_t);			\
			va_end(ap);					\
		}							\
	} while (0)

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode;

	MODE_ARG(flags, mode);
	return (int)fd_call(SYS_openat, dirfd, (long)path, flags, mode, 0, 0);
}

int open(const char *path, int flags, ...)
{
	mode_t mode;

	MODE_ARG(flags, mode);
	return (int)fd_call(SYS_openat, AT_FDCWD, (long)path, flags, mode, 0, 0);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));
int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int socket(int domain, int type, int proto)
{
	return (int)fd_call(SYS_socket, domain, type, proto, 0, 0, 0);
}

int eventfd(unsigned int initval, int flags)
{
	return (int)fd_call(SYS_eventfd2, initval, flags, 0, 0, 0, 0);
}

int epoll_create1(int flags)
{
	return (int)fd_call(SYS_epoll_create1, flags, 0, 0, 0, 0, 0);
}

int timerfd_create(int clockid, int flags)
{
	return (int)fd_call(SYS_timerfd_create, clockid, flags, 0, 0, 0, 0);
}

int memfd_create(const char *name, unsigned int flags)
{
	return (int)fd_call(SYS_memfd_create, (long)name, flags, 0, 0, 0, 0);
}

int dup(int fd)
{
	return (int)fd_call(SYS_dup, fd, 0, 0, 0, 0, 0);
}

int dup3(int fd, int fd2, int flags)
{
	return (int)fd_call(SYS_dup3, fd, fd2, flags, 0, 0, 0);
}

int pipe2(int fds[2], int flags)
{
	return (int)fd_call(SYS_pipe2, (long)fds, flags, 0, 0, 0, 0);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		return (int)fd_call(SYS_fcntl, fd, cmd, arg, 0, 0, 0);
	return (int)RAW(SYS_fcntl, fd, cmd, arg, 0, 0, 0);
}

int fcntl64(int fd, int cmd, ...) __attribute__((alias("fcntl")));

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);

	if (fail_now(EVBPF_INJECT_FD, EMFILE))
		return NULL;
	if (!real)
		real = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	return real(path, mode);
}

FILE *fopen64(const char *path, const char *mode) __attribute__((alias("fopen")));

/* bpf() commands that return a new fd. */
static bool bpf_makes_fd(long cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE: case BPF_PROG_LOAD: case BPF_OBJ_GET:
	case BPF_PROG_GET_FD_BY_ID: case BPF_MAP_GET_FD_BY_ID:
	case BPF_BTF_LOAD: case BPF_BTF_GET_FD_BY_ID: case BPF_LINK_CREATE:
	case BPF_LINK_GET_FD_BY_ID: case BPF_RAW_TRACEPOINT_OPEN:
	case BPF_ITER_CREATE:
		return true;
	default:
		return false;
	}
}

long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if ((nr == SYS_bpf && bpf_makes_fd(a[0])) || nr == SYS_perf_event_open)
		return fd_call(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return raw6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* ---- mappings ---- */

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long ret;

	if (fail_now(EVBPF_INJECT_MMAP, ENOMEM))
		return MAP_FAILED;
	ret = RAW(SYS_mmap, addr, len, prot, flags, fd, off);
	return ret == -1 ? MAP_FAILED : (void *)ret;
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));
