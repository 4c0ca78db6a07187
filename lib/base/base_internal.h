/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Declarations shared by every file of lib/ and io/: logging, the error
 * convention, option-struct checks and small helpers. Never installed.
 *
 * Naming: every non-static symbol that is not public API starts with
 * "evbpf__". The library is built with -fvisibility=hidden, so such symbols
 * never reach the dynamic symbol table, and the prefix keeps them from
 * colliding with a user's symbols in a static link.
 */
#ifndef EVBPF_LIB_INTERNAL_H
#define EVBPF_LIB_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bpf/libbpf_base.h"

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define evbpf__min(a, b) ((a) < (b) ? (a) : (b))
#define evbpf__max(a, b) ((a) > (b) ? (a) : (b))

/* ---- logging: the library prints only through these ---- */

/* Formats one message and hands it to the user's print callback (or the
 * default stderr printer). A trailing newline is added when missing. */
void evbpf__log(enum libbpf_print_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* True when a message at @level would be printed; lets callers skip building
 * expensive messages (a verifier log tail, a type dump). */
bool evbpf__log_enabled(enum libbpf_print_level level);

#define pr_warn(fmt, ...)  evbpf__log(LIBBPF_WARN, "evbpf: " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)  evbpf__log(LIBBPF_INFO, "evbpf: " fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) evbpf__log(LIBBPF_DEBUG, "evbpf: " fmt, ##__VA_ARGS__)

/* ---- errors: integers return >= 0 or -errno with errno set ---- */

/* Sets errno from a negative return and passes the value through. */
static inline int evbpf__err(int ret)
{
	if (ret < 0)
		errno = -ret;
	return ret;
}

static inline long evbpf__errl(long ret)
{
	if (ret < 0)
		errno = (int)-ret;
	return ret;
}

/* For pointer-returning calls: sets errno from a negative @err, returns NULL. */
static inline void *evbpf__err_ptr(int err)
{
	errno = err < 0 ? -err : err;
	return NULL;
}

/* Turns a raw syscall result (-1 + errno) into -errno; other values pass. */
static inline int evbpf__syserr(int ret)
{
	return ret < 0 ? -errno : ret;
}

/* Formats @err with libbpf_strerror() into @buf; returns @buf. */
const char *evbpf__errstr(int err, char *buf, size_t size);
#define EVBPF_ERRSTR_MAX 128

/* ---- options structs: first field is size_t sz ---- */

/*
 * True when @opts is NULL, or its sz is at least sizeof(size_t) and every
 * byte past the @known_sz bytes this library understands is zero. Logs a
 * WARN naming @type_name otherwise.
 */
bool evbpf__opts_valid(const void *opts, size_t known_sz, const char *type_name);

/* OPTS_VALID(opts, bpf_map_create_opts, map_ifindex): @last is the last
 * field of struct @type this library knows. */
#define OPTS_VALID(opts, type, last)					\
	evbpf__opts_valid((opts), offsetofend(struct type, last), #type)
static inline bool evbpf__opts_has(const void *opts, size_t end)
{
	return opts && *(const size_t *)opts >= end;
}
/* True when the caller's struct is big enough to contain @field. */
#define OPTS_HAS(opts, field)						\
	evbpf__opts_has((opts), offsetofend(typeof(*(opts)), field))
/* The caller's @field, or @fallback when the struct does not reach it. */
#define OPTS_GET(opts, field, fallback)					\
	(OPTS_HAS(opts, field) ? (opts)->field : (fallback))
#define OPTS_SET(opts, field, value)					\
	do {								\
		if (OPTS_HAS(opts, field))				\
			(opts)->field = (value);			\
	} while (0)

/* ---- small helpers ---- */

/* Pointer to/from the __u64 the kernel's attrs carry. */
static inline __u64 evbpf__ptr_to_u64(const void *p)
{
	return (__u64)(unsigned long)p;
}

/* strncpy that always terminates and never pads; returns @dst. */
char *evbpf__strlcpy(char *dst, const char *src, size_t size);

/* Close @fd if it is >= 0, keeping errno; for error paths. */
void evbpf__close(int fd);

#endif /* EVBPF_LIB_INTERNAL_H */
