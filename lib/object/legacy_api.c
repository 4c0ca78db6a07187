// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Pre-1.0 names libbpf still exports (libbpf_legacy.h): each is the call
 * that replaced it, kept so that programs linked against an older libbpf
 * find the symbol.
 */
#include "bpf/libbpf.h"
#include "bpf/btf.h"

LIBBPF_API enum bpf_prog_type bpf_program__get_type(const struct bpf_program *prog)
{
	return bpf_program__type(prog);
}

LIBBPF_API enum bpf_attach_type
bpf_program__get_expected_attach_type(const struct bpf_program *prog)
{
	return bpf_program__expected_attach_type(prog);
}

LIBBPF_API const char *bpf_map__get_pin_path(const struct bpf_map *map)
{
	return bpf_map__pin_path(map);
}

LIBBPF_API const void *btf__get_raw_data(const struct btf *btf, __u32 *size)
{
	return btf__raw_data(btf, size);
}

LIBBPF_API const void *btf_ext__get_raw_data(const struct btf_ext *btf_ext, __u32 *size)
{
	return btf_ext__raw_data(btf_ext, size);
}

LIBBPF_API struct btf *libbpf_find_kernel_btf(void)
{
	return btf__load_vmlinux_btf();
}
