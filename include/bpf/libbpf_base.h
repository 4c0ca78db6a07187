/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Logging, error reporting and version queries of the libbpf-compatible API.
 * Included by <bpf/libbpf.h>; not meant to be included on its own.
 */
#ifndef __LIBBPF_LIBBPF_BASE_H
#define __LIBBPF_LIBBPF_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/bpf.h>

#include "libbpf_common.h"
#include "libbpf_legacy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque objects of the high-level API. */
struct bpf_object;
struct bpf_program;
struct bpf_map;
struct bpf_link;
struct btf;
struct btf_ext;
struct ring_buffer;
struct ring;
struct user_ring_buffer;
struct perf_buffer;

/** @brief Major version of the libbpf API evbpf implements. */
LIBBPF_API __u32 libbpf_major_version(void);
/** @brief Minor version of the libbpf API evbpf implements. */
LIBBPF_API __u32 libbpf_minor_version(void);
/** @brief "v<major>.<minor>" of the libbpf API level; static storage. */
LIBBPF_API const char *libbpf_version_string(void);

/* Library-specific error codes, beyond errno values. */
enum libbpf_errno {
	__LIBBPF_ERRNO__START = 4000,
	LIBBPF_ERRNO__LIBELF = __LIBBPF_ERRNO__START, /* something wrong in libelf */
	LIBBPF_ERRNO__FORMAT,	/* BPF object format invalid */
	LIBBPF_ERRNO__KVERSION,	/* incorrect or no 'version' section */
	LIBBPF_ERRNO__ENDIAN,	/* endian mismatch */
	LIBBPF_ERRNO__INTERNAL,	/* internal error in the library */
	LIBBPF_ERRNO__RELOC,	/* relocation failed */
	LIBBPF_ERRNO__LOAD,	/* load program failed for unknown reason */
	LIBBPF_ERRNO__VERIFY,	/* kernel verifier blocked the program */
	LIBBPF_ERRNO__PROG2BIG,	/* program too big */
	LIBBPF_ERRNO__KVER,	/* incorrect kernel version */
	LIBBPF_ERRNO__PROGTYPE,	/* kernel does not support this program type */
	LIBBPF_ERRNO__WRNGPID,	/* wrong pid in netlink message */
	LIBBPF_ERRNO__INVSEQ,	/* invalid netlink sequence */
	LIBBPF_ERRNO__NLPARSE,	/* netlink parse error */
	__LIBBPF_ERRNO__END,
};

/**
 * @brief Writes a description of error @p err (positive or negative errno, or
 * a LIBBPF_ERRNO__ code) into @p buf of @p size bytes, always NUL-terminated.
 * @return 0, or -EINVAL (errno set) when @p err is unknown; the buffer then
 * still holds a generic description.
 */
LIBBPF_API int libbpf_strerror(int err, char *buf, size_t size);

/**
 * @brief libbpf 1.0 error extraction: returns -errno when @p ptr is NULL and
 * 0 otherwise. evbpf never returns error-encoded pointers.
 */
LIBBPF_API long libbpf_get_error(const void *ptr);

enum libbpf_print_level {
	LIBBPF_WARN,
	LIBBPF_INFO,
	LIBBPF_DEBUG,
};

typedef int (*libbpf_print_fn_t)(enum libbpf_print_level level,
				 const char *, va_list ap);

/**
 * @brief Routes every message the library prints through @p fn (NULL silences
 * the library). The default prints WARN to stderr; the LIBBPF_LOG_LEVEL
 * environment variable (warn, info, debug) raises the default's level.
 * @return the previous callback (NULL if the previous one was evbpf_set_print's).
 */
LIBBPF_API libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn);

/* evbpf_set_print(), declared with evbpf's own API */
#include "../evbpf/evbpf_common.h"

/* ---- feature probes, type names, CPUs ---- */

/**
 * @brief Checks whether the running kernel can load programs of @p prog_type
 * by loading a tiny one. @p opts must be NULL.
 * @return 1 if supported, 0 if not, -errno if the probe itself failed
 */
LIBBPF_API int libbpf_probe_bpf_prog_type(enum bpf_prog_type prog_type,
					  const void *opts);
/**
 * @brief Checks whether the running kernel can create maps of @p map_type.
 * @p opts must be NULL.
 * @return 1 if supported, 0 if not, -errno if the probe itself failed
 */
LIBBPF_API int libbpf_probe_bpf_map_type(enum bpf_map_type map_type,
					 const void *opts);
/**
 * @brief Checks whether programs of @p prog_type may call helper
 * @p helper_id. @p opts must be NULL.
 * @return 1 if allowed, 0 if not, -errno if the probe itself failed
 * (-EOPNOTSUPP when @p prog_type cannot be probed this way)
 */
LIBBPF_API int libbpf_probe_bpf_helper(enum bpf_prog_type prog_type,
				       enum bpf_func_id helper_id,
				       const void *opts);

/** @brief Name of @p t as libbpf spells it ("cgroup_inet_ingress"), or NULL if unknown; static storage. */
LIBBPF_API const char *libbpf_bpf_attach_type_str(enum bpf_attach_type t);
/** @brief Name of @p t ("raw_tracepoint", "tcx", ...), or NULL if unknown; static storage. */
LIBBPF_API const char *libbpf_bpf_link_type_str(enum bpf_link_type t);
/** @brief Name of @p t ("hash", "ringbuf", ...), or NULL if unknown; static storage. */
LIBBPF_API const char *libbpf_bpf_map_type_str(enum bpf_map_type t);
/** @brief Name of @p t ("socket_filter", "xdp", ...), or NULL if unknown; static storage. */
LIBBPF_API const char *libbpf_bpf_prog_type_str(enum bpf_prog_type t);

/**
 * @brief Number of possible CPUs (from /sys/devices/system/cpu/possible),
 * the size per-CPU map values are laid out for. Cached after the first call.
 * @return the count, or -errno
 */
LIBBPF_API int libbpf_num_possible_cpus(void);

/** @brief Raises RLIMIT_MEMLOCK when the kernel needs it; also in <bpf/bpf.h>. */
LIBBPF_API int libbpf_set_memlock_rlim(size_t memlock_bytes);


#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LIBBPF_BASE_H */
