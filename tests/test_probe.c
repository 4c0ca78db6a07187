// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Feature probing: the public libbpf_probe_* calls, the type-name tables,
 * libbpf_num_possible_cpus() and the internal cached kernel-feature probes,
 * against the running kernel. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>
#include "sys/features_internal.h"
#include "base/base_internal.h"
#include "evbpf_test.h"

/* Every enumerator of the kernel's enum @ename (its BTF) has the name
 * @str_fn gives: the enumerator without @prefix, in lower case. */
static void names_match_kernel(const struct btf *vmlinux, const char *ename,
			       const char *prefix, const char *(*str_fn)(int))
{
	__s32 id = btf__find_by_name_kind(vmlinux, ename, BTF_KIND_ENUM);
	const struct btf_type *t;
	__u32 i;

	assert_true(id > 0);
	t = btf__type_by_id(vmlinux, id);
	for (i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(vmlinux, btf_enum(t)[i].name_off);
		const char *got = str_fn(btf_enum(t)[i].val);
		char want[128];
		size_t k;

		/* the end marker, and aliases kept for old sources */
		if (!strncmp(n, "__MAX", 5) || strstr(n, "_DEPRECATED"))
			continue;
		assert_true(!strncmp(n, prefix, strlen(prefix)));
		for (k = 0; n[strlen(prefix) + k] && k + 1 < sizeof(want); k++)
			want[k] = (char)tolower((unsigned char)n[strlen(prefix) + k]);
		want[k] = '\0';
		if (!got)
			fail_msg("%s %s (%d) has no name", ename, n, btf_enum(t)[i].val);
		assert_string_equal(got, want);
	}
}

static const char *attach_str(int v) { return libbpf_bpf_attach_type_str(v); }
static const char *link_str(int v) { return libbpf_bpf_link_type_str(v); }
static const char *map_str(int v) { return libbpf_bpf_map_type_str(v); }
static const char *prog_str(int v) { return libbpf_bpf_prog_type_str(v); }

static void test_type_names_like_kernel(void **state)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();

	if (!vmlinux)
		EVBPF_SKIP("no kernel BTF");
	names_match_kernel(vmlinux, "bpf_attach_type", "BPF_", attach_str);
	names_match_kernel(vmlinux, "bpf_link_type", "BPF_LINK_TYPE_", link_str);
	names_match_kernel(vmlinux, "bpf_map_type", "BPF_MAP_TYPE_", map_str);
	names_match_kernel(vmlinux, "bpf_prog_type", "BPF_PROG_TYPE_", prog_str);
	btf__free(vmlinux);

	/* values newer than this kernel, named the same way */
	assert_string_equal(attach_str(BPF_TRACE_FSESSION), "trace_fsession");
	assert_string_equal(attach_str(BPF_TRACE_FENTRY_MULTI), "trace_fentry_multi");
	assert_string_equal(attach_str(BPF_TRACE_FEXIT_MULTI), "trace_fexit_multi");
	assert_string_equal(attach_str(BPF_TRACE_FSESSION_MULTI), "trace_fsession_multi");
	assert_string_equal(link_str(BPF_LINK_TYPE_TRACING_MULTI), "tracing_multi");
}

static void test_probe_map_types(void **state)
{
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_HASH, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_ARRAY, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_LPM_TRIE, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_HASH_OF_MAPS, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_SK_STORAGE, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_CGRP_STORAGE, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_STRUCT_OPS, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_BLOOM_FILTER, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_UNSPEC, NULL), 0);
	assert_int_equal(libbpf_probe_bpf_map_type((enum bpf_map_type)1000, NULL), 0);
	assert_int_equal(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_HASH, &errno), -EINVAL);
}

static void test_probe_prog_types(void **state)
{
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SOCKET_FILTER, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SCHED_CLS, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SK_LOOKUP, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_NETFILTER, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACING, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_UNSPEC, NULL), 0);
	assert_int_equal(libbpf_probe_bpf_prog_type((enum bpf_prog_type)1000, NULL), 0);
	assert_int_equal(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, &errno), -EINVAL);
}

static void test_probe_helpers(void **state)
{
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER,
						 BPF_FUNC_map_lookup_elem, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP,
						 BPF_FUNC_ringbuf_output, NULL), 1);
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP,
						 BPF_FUNC_xdp_adjust_head, NULL), 1);
	/* a helper of another program type, and a helper that does not exist */
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER,
						 BPF_FUNC_xdp_adjust_head, NULL), 0);
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP,
						 (enum bpf_func_id)9999, NULL), 0);
	/* types that attach by BTF id cannot be probed this way */
	errno = 0;
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACING,
						 BPF_FUNC_map_lookup_elem, NULL), -EOPNOTSUPP);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(libbpf_probe_bpf_helper((enum bpf_prog_type)1000,
						 BPF_FUNC_map_lookup_elem, NULL), -EOPNOTSUPP);
	assert_int_equal(libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP,
						 BPF_FUNC_map_lookup_elem, &errno), -EINVAL);
}

static void test_type_names(void **state)
{
	int i;

	assert_string_equal(libbpf_bpf_prog_type_str(BPF_PROG_TYPE_SOCKET_FILTER), "socket_filter");
	assert_string_equal(libbpf_bpf_prog_type_str(BPF_PROG_TYPE_XDP), "xdp");
	assert_string_equal(libbpf_bpf_prog_type_str(BPF_PROG_TYPE_NETFILTER), "netfilter");
	assert_string_equal(libbpf_bpf_map_type_str(BPF_MAP_TYPE_RINGBUF), "ringbuf");
	assert_string_equal(libbpf_bpf_map_type_str(BPF_MAP_TYPE_CGROUP_STORAGE), "cgroup_storage");
	assert_string_equal(libbpf_bpf_map_type_str(BPF_MAP_TYPE_ARENA), "arena");
	assert_string_equal(libbpf_bpf_attach_type_str(BPF_CGROUP_INET_INGRESS),
			    "cgroup_inet_ingress");
	assert_string_equal(libbpf_bpf_attach_type_str(BPF_TCX_INGRESS), "tcx_ingress");
	assert_string_equal(libbpf_bpf_attach_type_str(BPF_TRACE_UPROBE_SESSION),
			    "trace_uprobe_session");
	assert_string_equal(libbpf_bpf_link_type_str(BPF_LINK_TYPE_TCX), "tcx");
	assert_string_equal(libbpf_bpf_link_type_str(BPF_LINK_TYPE_SOCKMAP), "sockmap");

	/* every value the kernel headers know has a name; past the end: NULL */
	for (i = 0; i < EVBPF_MAX_BPF_PROG_TYPE; i++)
		assert_non_null(libbpf_bpf_prog_type_str(i));
	for (i = 0; i < EVBPF_MAX_BPF_MAP_TYPE; i++)
		assert_non_null(libbpf_bpf_map_type_str(i));
	for (i = 0; i < EVBPF_MAX_BPF_ATTACH_TYPE; i++)
		assert_non_null(libbpf_bpf_attach_type_str(i));
	for (i = 0; i < EVBPF_MAX_BPF_LINK_TYPE; i++)
		assert_non_null(libbpf_bpf_link_type_str(i));
	assert_null(libbpf_bpf_prog_type_str(EVBPF_MAX_BPF_PROG_TYPE));
	assert_null(libbpf_bpf_map_type_str(EVBPF_MAX_BPF_MAP_TYPE));
	assert_null(libbpf_bpf_attach_type_str(EVBPF_MAX_BPF_ATTACH_TYPE));
	assert_null(libbpf_bpf_link_type_str(EVBPF_MAX_BPF_LINK_TYPE));
	assert_null(libbpf_bpf_prog_type_str((enum bpf_prog_type)-1));
}

static void test_num_possible_cpus(void **state)
{
	int n = libbpf_num_possible_cpus();

	assert_true(n > 0);
	assert_true(n >= sysconf(_SC_NPROCESSORS_ONLN));
	assert_int_equal(libbpf_num_possible_cpus(), n);
}

/* What a 6.x kernel with BTF (the kind evbpf targets) must support. */
static const enum evbpf__feat required[] = {
	EVBPF_FEAT_PROG_NAME, EVBPF_FEAT_GLOBAL_DATA, EVBPF_FEAT_BTF,
	EVBPF_FEAT_BTF_FUNC, EVBPF_FEAT_BTF_GLOBAL_FUNC, EVBPF_FEAT_BTF_DATASEC,
	EVBPF_FEAT_BTF_FLOAT, EVBPF_FEAT_BTF_DECL_TAG, EVBPF_FEAT_BTF_TYPE_TAG,
	EVBPF_FEAT_BTF_ENUM64, EVBPF_FEAT_BTF_FUNC_PROTO_NO_NAME_PARAMS,
	EVBPF_FEAT_ARRAY_MMAP, EVBPF_FEAT_EXP_ATTACH_TYPE,
	EVBPF_FEAT_PROBE_READ_KERN, EVBPF_FEAT_RINGBUF, EVBPF_FEAT_USER_RINGBUF,
	EVBPF_FEAT_BPF_COOKIE, EVBPF_FEAT_PERF_LINK, EVBPF_FEAT_MEMCG_ACCOUNT,
};

/* Needs kernel 6.6+ / 6.8+ (the machine runs 6.18). */
static const enum evbpf__feat recent[] = {
	EVBPF_FEAT_TCX_LINK, EVBPF_FEAT_BTF_QMARK_DATASEC, EVBPF_FEAT_ARG_CTX_TAG,
};

static void *probe_all(void *arg)
{
	long yes = 0;
	int i;

	for (i = 0; i < __EVBPF_FEAT_CNT; i++)
		yes += evbpf__feat_supported(i);
	return (void *)yes;
}

static void test_kernel_features(void **state)
{
	pthread_t th[4];
	void *res[4];
	size_t i;
	int saved;

	/* first use from several threads at once: all see the same answers */
	for (i = 0; i < ARRAY_SIZE(th); i++)
		assert_int_equal(pthread_create(&th[i], NULL, probe_all, NULL), 0);
	for (i = 0; i < ARRAY_SIZE(th); i++)
		assert_int_equal(pthread_join(th[i], &res[i]), 0);
	for (i = 1; i < ARRAY_SIZE(th); i++)
		assert_ptr_equal(res[i], res[0]);

	for (i = 0; i < ARRAY_SIZE(required); i++) {
		if (!evbpf__feat_supported(required[i]))
			fail_msg("kernel lacks %s", evbpf__feat_name(required[i]));
	}
	for (i = 0; i < ARRAY_SIZE(recent); i++) {
		if (!evbpf__feat_supported(recent[i]))
			EVBPF_SKIP(evbpf__feat_name(recent[i]));
	}
	/* probes leave errno alone; names exist for all */
	saved = errno = 1234;
	(void)evbpf__feat_supported(EVBPF_FEAT_RINGBUF);
	assert_int_equal(errno, saved);
	for (i = 0; i < __EVBPF_FEAT_CNT; i++)
		assert_non_null(evbpf__feat_name(i));
	assert_false(evbpf__feat_supported(__EVBPF_FEAT_CNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_features),
		cmocka_unit_test(test_probe_map_types),
		cmocka_unit_test(test_type_names_like_kernel),
		cmocka_unit_test(test_probe_prog_types),
		cmocka_unit_test(test_probe_helpers),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_num_possible_cpus),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup,
				      evbpf_test_fd_teardown);
}
