// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * SEC() names → program type, expected attach type and flags, for the
 * whole table libbpf documents (program_types.rst), the `type` vs `type+`
 * matching rule, sleepable `.s` variants and custom handlers. No kernel.
 */
#include <errno.h>
#include <stdbool.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "object/object_internal.h"
#include "evbpf_test.h"

struct row {
	const char *sec;
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
	bool sleepable;
};

#define R(s, t, a) { s, BPF_PROG_TYPE_##t, a, false }
#define S(s, t, a) { s, BPF_PROG_TYPE_##t, a, true }

static const struct row table[] = {
	R("cgroup/dev", CGROUP_DEVICE, BPF_CGROUP_DEVICE),
	R("cgroup/skb", CGROUP_SKB, 0),
	R("cgroup_skb/egress", CGROUP_SKB, BPF_CGROUP_INET_EGRESS),
	R("cgroup_skb/ingress", CGROUP_SKB, BPF_CGROUP_INET_INGRESS),
	R("cgroup/getsockopt", CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT),
	R("cgroup/setsockopt", CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT),
	R("cgroup/bind4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND),
	R("cgroup/connect4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT),
	R("cgroup/getpeername4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME),
	R("cgroup/getsockname4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME),
	R("cgroup/bind6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND),
	R("cgroup/connect6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT),
	R("cgroup/getpeername6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME),
	R("cgroup/getsockname6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME),
	R("cgroup/recvmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG),
	R("cgroup/sendmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG),
	R("cgroup/recvmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG),
	R("cgroup/sendmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG),
	R("cgroup/connect_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_CONNECT),
	R("cgroup/sendmsg_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_SENDMSG),
	R("cgroup/recvmsg_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_RECVMSG),
	R("cgroup/getpeername_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETPEERNAME),
	R("cgroup/getsockname_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETSOCKNAME),
	R("cgroup/post_bind4", CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND),
	R("cgroup/post_bind6", CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND),
	R("cgroup/sock_create", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE),
	R("cgroup/sock", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE),
	R("cgroup/sock_release", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE),
	R("cgroup/sysctl", CGROUP_SYSCTL, BPF_CGROUP_SYSCTL),
	R("freplace", EXT, 0),
	R("freplace/some_func", EXT, 0),
	R("flow_dissector", FLOW_DISSECTOR, BPF_FLOW_DISSECTOR),
	R("kprobe", KPROBE, 0),
	R("kprobe/do_sys_open", KPROBE, 0),
	R("kprobe/do_sys_open+16", KPROBE, 0),
	R("kretprobe/do_sys_open", KPROBE, 0),
	R("ksyscall/openat", KPROBE, 0),
	R("kretsyscall/openat", KPROBE, 0),
	R("uprobe", KPROBE, 0),
	R("uprobe//lib/x86_64-linux-gnu/libc.so.6:malloc", KPROBE, 0),
	S("uprobe.s//bin/bash:readline", KPROBE, 0),
	R("uretprobe/binary:func", KPROBE, 0),
	S("uretprobe.s/binary:func", KPROBE, 0),
	R("usdt/binary:provider:name", KPROBE, 0),
	R("kprobe.multi/tcp_*", KPROBE, BPF_TRACE_KPROBE_MULTI),
	R("kretprobe.multi/tcp_*", KPROBE, BPF_TRACE_KPROBE_MULTI),
	R("uprobe.multi/binary:func*", KPROBE, BPF_TRACE_UPROBE_MULTI),
	R("uretprobe.multi/binary:func*", KPROBE, BPF_TRACE_UPROBE_MULTI),
	R("lirc_mode2", LIRC_MODE2, BPF_LIRC_MODE2),
	R("lsm_cgroup/socket_bind", LSM, BPF_LSM_CGROUP),
	R("lsm/file_open", LSM, BPF_LSM_MAC),
	S("lsm.s/bprm_committed_creds", LSM, BPF_LSM_MAC),
	R("lwt_in", LWT_IN, 0),
	R("lwt_out", LWT_OUT, 0),
	R("lwt_seg6local", LWT_SEG6LOCAL, 0),
	R("lwt_xmit", LWT_XMIT, 0),
	R("perf_event", PERF_EVENT, 0),
	R("raw_tp.w/sys_enter", RAW_TRACEPOINT_WRITABLE, 0),
	R("raw_tracepoint.w/sys_enter", RAW_TRACEPOINT_WRITABLE, 0),
	R("raw_tp/sys_enter", RAW_TRACEPOINT, 0),
	R("raw_tp", RAW_TRACEPOINT, 0),
	R("raw_tracepoint/sys_enter", RAW_TRACEPOINT, 0),
	R("action", SCHED_ACT, 0),
	R("classifier", SCHED_CLS, 0),
	R("tc", SCHED_CLS, 0),
	R("tc/ingress", SCHED_CLS, BPF_TCX_INGRESS),
	R("tcx/egress", SCHED_CLS, BPF_TCX_EGRESS),
	R("netkit/primary", SCHED_CLS, BPF_NETKIT_PRIMARY),
	R("sk_lookup", SK_LOOKUP, BPF_SK_LOOKUP),
	R("sk_msg", SK_MSG, BPF_SK_MSG_VERDICT),
	R("sk_reuseport/migrate", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE),
	R("sk_reuseport", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT),
	R("sk_skb", SK_SKB, 0),
	R("sk_skb/stream_parser", SK_SKB, BPF_SK_SKB_STREAM_PARSER),
	R("sk_skb/stream_verdict", SK_SKB, BPF_SK_SKB_STREAM_VERDICT),
	R("sk_skb/verdict", SK_SKB, BPF_SK_SKB_VERDICT),
	R("socket", SOCKET_FILTER, 0),
	R("sockops", SOCK_OPS, BPF_CGROUP_SOCK_OPS),
	R("struct_ops", STRUCT_OPS, 0),
	R("struct_ops/tcp_init", STRUCT_OPS, 0),
	S("struct_ops.s/x", STRUCT_OPS, 0),
	S("syscall", SYSCALL, 0),
	R("tp/syscalls/sys_enter_openat", TRACEPOINT, 0),
	R("tracepoint/syscalls/sys_enter_openat", TRACEPOINT, 0),
	R("tp", TRACEPOINT, 0),
	R("fmod_ret/security_file_open", TRACING, BPF_MODIFY_RETURN),
	S("fmod_ret.s/x", TRACING, BPF_MODIFY_RETURN),
	R("fentry/do_unlinkat", TRACING, BPF_TRACE_FENTRY),
	S("fentry.s/do_unlinkat", TRACING, BPF_TRACE_FENTRY),
	R("fexit/do_unlinkat", TRACING, BPF_TRACE_FEXIT),
	S("fexit.s/do_unlinkat", TRACING, BPF_TRACE_FEXIT),
	R("iter/task", TRACING, BPF_TRACE_ITER),
	S("iter.s/task", TRACING, BPF_TRACE_ITER),
	R("tp_btf/sched_switch", TRACING, BPF_TRACE_RAW_TP),
	R("xdp.frags/cpumap", XDP, BPF_XDP_CPUMAP),
	R("xdp/cpumap", XDP, BPF_XDP_CPUMAP),
	R("xdp.frags/devmap", XDP, BPF_XDP_DEVMAP),
	R("xdp/devmap", XDP, BPF_XDP_DEVMAP),
	R("xdp.frags", XDP, BPF_XDP),
	R("xdp", XDP, BPF_XDP),
	R("netfilter", NETFILTER, BPF_NETFILTER),
};

static void test_whole_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		enum bpf_prog_type type = 0;
		enum bpf_attach_type at = 0;
		const struct evbpf__sec_def *def;

		if (libbpf_prog_type_by_name(table[i].sec, &type, &at))
			fail_msg("'%s' not recognised", table[i].sec);
		if (type != table[i].type || at != table[i].attach)
			fail_msg("'%s': type %d attach %d, want %d %d", table[i].sec, type, at,
				 table[i].type, table[i].attach);
		def = evbpf__find_sec_def(table[i].sec);
		assert_non_null(def);
		if (!!(def->flags & EVBPF_SEC_SLEEPABLE) != table[i].sleepable)
			fail_msg("'%s': sleepable flag wrong", table[i].sec);
	}
}

static void test_exact_vs_plus(void **state)
{
	static const char *const refused[] = {
		"socket/extra",	  /* "socket" is exact */
		"xdp/foo",	  /* only xdp/devmap and xdp/cpumap */
		"kprobex",	  /* "kprobe+" needs '/' after the prefix */
		"tracepointfoo",
		"sk_skb/other",
		"cgroup/unknown",
		"syscall/x",
		"",
		"fentryx/foo",
	};
	enum bpf_prog_type type;
	enum bpf_attach_type at;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		errno = 0;
		if (libbpf_prog_type_by_name(refused[i], &type, &at) != -ESRCH)
			fail_msg("'%s' should be unknown", refused[i]);
		assert_int_equal(errno, ESRCH);
	}
	assert_int_equal(libbpf_prog_type_by_name(NULL, &type, &at), -EINVAL);
}

static void test_flags(void **state)
{
	(void)state;
	assert_true(evbpf__find_sec_def("xdp.frags")->flags & EVBPF_SEC_XDP_FRAGS);
	assert_false(evbpf__find_sec_def("xdp")->flags & EVBPF_SEC_XDP_FRAGS);
	assert_true(evbpf__find_sec_def("fentry/x")->flags & EVBPF_SEC_ATTACH_BTF);
	assert_true(evbpf__find_sec_def("tp_btf/x")->flags & EVBPF_SEC_ATTACH_BTF);
	assert_false(evbpf__find_sec_def("kprobe/x")->flags & EVBPF_SEC_ATTACH_BTF);
	assert_true(evbpf__find_sec_def("usdt/a:b:c")->flags & EVBPF_SEC_USDT);
}

static void test_attach_type_by_name(void **state)
{
	enum bpf_attach_type at = 0;

	(void)state;
	assert_int_equal(libbpf_attach_type_by_name("cgroup_skb/ingress", &at), 0);
	assert_int_equal(at, BPF_CGROUP_INET_INGRESS);
	assert_int_equal(libbpf_attach_type_by_name("cgroup/connect6", &at), 0);
	assert_int_equal(at, BPF_CGROUP_INET6_CONNECT);
	assert_int_equal(libbpf_attach_type_by_name("sk_lookup", &at), 0);
	assert_int_equal(at, BPF_SK_LOOKUP);
	/* known, but not attachable with BPF_PROG_ATTACH */
	assert_int_equal(libbpf_attach_type_by_name("kprobe/x", &at), -EINVAL);
	assert_int_equal(libbpf_attach_type_by_name("socket", &at), -EINVAL);
	assert_int_equal(libbpf_attach_type_by_name("nonsense", &at), -ESRCH);
}

static void test_custom_handlers(void **state)
{
	enum bpf_prog_type type;
	enum bpf_attach_type at;
	int plain, slash, plus, any;

	(void)state;
	plain = libbpf_register_prog_handler("evbpf_a", BPF_PROG_TYPE_XDP, 0, NULL);
	slash = libbpf_register_prog_handler("evbpf_b/", BPF_PROG_TYPE_KPROBE, 0, NULL);
	plus = libbpf_register_prog_handler("evbpf_c+", BPF_PROG_TYPE_SCHED_CLS, 0, NULL);
	/* custom handlers come before the built-in table */
	any = libbpf_register_prog_handler("socket", BPF_PROG_TYPE_SK_SKB, 0, NULL);
	assert_true(plain > 0 && slash > 0 && plus > 0 && any > 0);

	assert_int_equal(libbpf_prog_type_by_name("evbpf_a", &type, &at), 0);
	assert_int_equal(type, BPF_PROG_TYPE_XDP);
	assert_int_equal(libbpf_prog_type_by_name("evbpf_a/x", &type, &at), -ESRCH);
	assert_int_equal(libbpf_prog_type_by_name("evbpf_b", &type, &at), -ESRCH);
	assert_int_equal(libbpf_prog_type_by_name("evbpf_b/x", &type, &at), 0);
	assert_int_equal(type, BPF_PROG_TYPE_KPROBE);
	assert_int_equal(libbpf_prog_type_by_name("evbpf_c", &type, &at), 0);
	assert_int_equal(libbpf_prog_type_by_name("evbpf_c/y", &type, &at), 0);
	assert_int_equal(type, BPF_PROG_TYPE_SCHED_CLS);
	assert_int_equal(libbpf_prog_type_by_name("socket", &type, &at), 0);
	assert_int_equal(type, BPF_PROG_TYPE_SK_SKB);

	/* a catch-all handler: one at a time */
	int catchall = libbpf_register_prog_handler(NULL, BPF_PROG_TYPE_TRACEPOINT, 0, NULL);

	assert_true(catchall > 0);
	assert_int_equal(libbpf_register_prog_handler(NULL, BPF_PROG_TYPE_XDP, 0, NULL), -EBUSY);
	assert_int_equal(libbpf_prog_type_by_name("whatever/else", &type, &at), 0);
	assert_int_equal(type, BPF_PROG_TYPE_TRACEPOINT);

	assert_int_equal(libbpf_unregister_prog_handler(plain), 0);
	assert_int_equal(libbpf_unregister_prog_handler(slash), 0);
	assert_int_equal(libbpf_unregister_prog_handler(plus), 0);
	assert_int_equal(libbpf_unregister_prog_handler(any), 0);
	assert_int_equal(libbpf_unregister_prog_handler(catchall), 0);
	assert_int_equal(libbpf_unregister_prog_handler(catchall), -ENOENT);
	assert_int_equal(libbpf_prog_type_by_name("socket", &type, &at), 0);
	assert_int_equal(type, BPF_PROG_TYPE_SOCKET_FILTER);
	assert_int_equal(libbpf_prog_type_by_name("evbpf_a", &type, &at), -ESRCH);

	/* bad opts */
	struct { size_t sz; long cookie; void *a, *b, *c; long junk; } big = { sizeof(big) };

	big.junk = 1;
	assert_int_equal(libbpf_register_prog_handler("x", BPF_PROG_TYPE_XDP, 0,
						      (const void *)&big), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_table),
		cmocka_unit_test(test_exact_vs_plus),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_attach_type_by_name),
		cmocka_unit_test(test_custom_handlers),
	};

	evbpf_test_capture_log();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
