/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpf 0.x compatibility switches. evbpf always behaves as libbpf 1.0
 * "strict mode": these exist so that code which still calls them builds.
 */
#ifndef __LIBBPF_LEGACY_BPF_H
#define __LIBBPF_LEGACY_BPF_H

#include "libbpf_common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum libbpf_strict_mode {
	LIBBPF_STRICT_ALL = 0xffffffff,
	LIBBPF_STRICT_NONE = 0x00,
	LIBBPF_STRICT_CLEAN_PTRS = 0x01,
	LIBBPF_STRICT_DIRECT_ERRS = 0x02,
	LIBBPF_STRICT_SEC_NAME = 0x04,
	LIBBPF_STRICT_NO_OBJECT_LIST = 0x08,
	LIBBPF_STRICT_AUTO_RLIMIT_MEMLOCK = 0x10,
	LIBBPF_STRICT_MAP_DEFINITIONS = 0x20,
	__LIBBPF_STRICT_LAST,
};

/** @brief Accepted for source compatibility; evbpf is always strict. Returns 0. */
LIBBPF_API int libbpf_set_strict_mode(enum libbpf_strict_mode mode);

#define DECLARE_LIBBPF_OPTS LIBBPF_OPTS

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LEGACY_BPF_H */
