// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Built with -Werror: code written for libbpf's headers compiles on
 * evbpf's. The file includes nothing but the bpf headers, so every library
 * function it uses must come through them as it does with libbpf.
 */

/* A program's own copies of UAPI names newer than the system header, made
 * before the bpf headers are included (as code supporting old headers
 * does): evbpf must not redefine them. */
#define BPF_F_LINK			(1U << 13)
#define BPF_F_BEFORE			(1U << 3)
#define BPF_TCX_INGRESS			46
#define BPF_MAP_TYPE_ARENA		33
#define BPF_F_TOKEN_FD			(1U << 16)

#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

/* ... and copies guarded the usual way after the include */
#ifndef BPF_NETKIT_PRIMARY
#define BPF_NETKIT_PRIMARY		54
#endif
#ifndef BPF_F_AFTER
#define BPF_F_AFTER			(1U << 4)
#endif

/* version guards of the kind loaders use */
#if !defined(LIBBPF_MAJOR_VERSION) || !defined(LIBBPF_MINOR_VERSION)
#error "libbpf version macros missing"
#endif
#if !__LIBBPF_CURRENT_VERSION_GEQ(0, 0)
#error "__LIBBPF_CURRENT_VERSION_GEQ is wrong"
#endif
#if __LIBBPF_CURRENT_VERSION_GEQ(LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION + 1)
#error "__LIBBPF_CURRENT_VERSION_GEQ claims a newer level"
#endif

/* layouts of fields newer than the system libbpf (1.1.2), as upstream's
 * headers lay them out on 64-bit targets */
#include <stddef.h>
#if __SIZEOF_POINTER__ == 8
_Static_assert(offsetof(struct bpf_perf_event_opts, dont_enable) == 17, "");
_Static_assert(sizeof(struct bpf_perf_event_opts) == 24, "");
_Static_assert(offsetof(struct bpf_kprobe_multi_opts, session) == 41, "");
_Static_assert(offsetof(struct bpf_kprobe_multi_opts, unique_match) == 42, "");
_Static_assert(sizeof(struct bpf_kprobe_multi_opts) == 48, "");
_Static_assert(offsetof(struct bpf_cgroup_opts, flags) == 8, "");
_Static_assert(offsetof(struct bpf_cgroup_opts, relative_fd) == 12, "");
_Static_assert(offsetof(struct bpf_cgroup_opts, relative_id) == 16, "");
_Static_assert(offsetof(struct bpf_cgroup_opts, expected_revision) == 24, "");
_Static_assert(sizeof(struct bpf_cgroup_opts) == 32, "");
_Static_assert(offsetof(struct bpf_prog_assoc_struct_ops_opts, flags) == 8, "");
_Static_assert(sizeof(struct bpf_prog_assoc_struct_ops_opts) == 16, "");
_Static_assert(offsetof(struct bpf_map_skeleton, link) == 24, "");
_Static_assert(offsetof(struct bpf_tc_hook, handle) == 20, "");
_Static_assert(offsetof(struct bpf_tc_hook, qdisc) == 24, "");
_Static_assert(sizeof(struct bpf_tc_hook) == 32, "");
_Static_assert(BPF_TC_QDISC == 1 << 3, "");
_Static_assert(offsetof(struct bpf_map_create_opts, token_fd) == 52, "");
_Static_assert(offsetof(struct bpf_map_create_opts, excl_prog_hash) == 56, "");
_Static_assert(offsetof(struct bpf_map_create_opts, excl_prog_hash_size) == 64, "");
_Static_assert(offsetof(struct bpf_map_create_opts, log_opts) == 72, "");
_Static_assert(sizeof(struct bpf_map_create_opts) == 80, "");
_Static_assert(offsetof(struct bpf_log_opts, buf) == 8, "");
_Static_assert(offsetof(struct bpf_log_opts, size) == 16, "");
_Static_assert(offsetof(struct bpf_log_opts, level) == 20, "");
_Static_assert(offsetof(struct bpf_log_opts, true_size) == 24, "");
_Static_assert(sizeof(struct bpf_log_opts) == 32, "");
_Static_assert(offsetof(struct bpf_object_open_opts, bpf_token_path) == 80, "");
_Static_assert(offsetof(struct bpf_tracing_multi_opts, ids) == 8, "");
_Static_assert(offsetof(struct bpf_tracing_multi_opts, cookies) == 16, "");
_Static_assert(offsetof(struct bpf_tracing_multi_opts, cnt) == 24, "");
_Static_assert(sizeof(struct bpf_tracing_multi_opts) == 32, "");
_Static_assert(sizeof(struct bpf_object_open_opts) == 88, "");
_Static_assert(offsetof(struct btf_dump_type_data_opts, emit_strings) == 23, "");
_Static_assert(sizeof(struct btf_dump_type_data_opts) == 24, "");
_Static_assert(offsetof(struct btf_new_opts, base_btf) == 8, "");
_Static_assert(offsetof(struct btf_new_opts, add_layout) == 16, "");
_Static_assert(sizeof(struct btf_new_opts) == 24, "");
_Static_assert(offsetof(struct btf_permute_opts, btf_ext) == 8, "");
_Static_assert(sizeof(struct btf_permute_opts) == 16, "");
#endif

/* deprecation markers as libbpf's own headers use them */
LIBBPF_DEPRECATED_SINCE(0, 7, "use something else")
int header_parity_old_api(void);

/* a print callback relying on libbpf.h for <stdio.h> and <stdarg.h> */
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(void)
{
	enum bpf_attach_type t = BPF_TCX_INGRESS;
	__u32 flags = BPF_F_LINK | BPF_F_BEFORE | BPF_F_AFTER | BPF_F_TOKEN_FD;
	struct btf_type bt = { .info = (1u << 31) | 0xffff };

	libbpf_set_print(print_fn);
	/* btf_vlen() is __u32, as upstream's */
	__u32 vlen = btf_vlen(&bt);
	return (t == BPF_TCX_INGRESS && flags && vlen == 0xffff &&
		BPF_NETKIT_PRIMARY == 54 && BPF_MAP_TYPE_ARENA == 33) ? 0 : 1;
}
