/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpf 0.x compatibility switches. evbpf always behaves as libbpf 1.0
 * "strict mode": these exist so that code which still calls them builds.
 */
#ifndef __LIBBPF_LEGACY_BPF_H
#define __LIBBPF_LEGACY_BPF_H

#include <linux/bpf.h>
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

/*
 * Pre-1.0 names, each the same call as its replacement; exported so that
 * programs linked against an older libbpf run.
 */
struct bpf_program;
struct bpf_map;
struct btf;
struct btf_ext;

/** @brief Same as btf__load_vmlinux_btf(): the running kernel's BTF. */
LIBBPF_API struct btf *libbpf_find_kernel_btf(void);
/** @brief Same as bpf_program__type(). */
LIBBPF_API enum bpf_prog_type bpf_program__get_type(const struct bpf_program *prog);
/** @brief Same as bpf_program__expected_attach_type(). */
LIBBPF_API enum bpf_attach_type
bpf_program__get_expected_attach_type(const struct bpf_program *prog);
/** @brief Same as bpf_map__pin_path(). */
LIBBPF_API const char *bpf_map__get_pin_path(const struct bpf_map *map);
/** @brief Same as btf__raw_data(). */
LIBBPF_API const void *btf__get_raw_data(const struct btf *btf, __u32 *size);
/** @brief Same as btf_ext__raw_data(). */
LIBBPF_API const void *btf_ext__get_raw_data(const struct btf_ext *btf_ext, __u32 *size);

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LEGACY_BPF_H */
