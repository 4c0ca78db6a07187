// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * SEC() names: which program type, expected attach type and load flags a
 * section name stands for, after the table libbpf documents (program_types
 * in the kernel's libbpf docs). An entry "x" matches SEC("x") only, "x+"
 * matches SEC("x") and SEC("x/<extras>"), "x/" matches SEC("x/<extras>").
 * Custom handlers registered by the user are tried before the table.
 */
#include <stdlib.h>

#include "bpf/bpf.h"
#include "loader_internal.h"

#define ATT_OPT (EVBPF_SEC_ATTACHABLE | EVBPF_SEC_EXP_ATTACH_OPT)
#define ATT EVBPF_SEC_ATTACHABLE
#define BTF EVBPF_SEC_ATTACH_BTF
#define SLP EVBPF_SEC_SLEEPABLE
#define P(t) BPF_PROG_TYPE_##t

static const struct evbpf__sec_def builtin_defs[] = {
	{ "socket", P(SOCKET_FILTER), 0, 0 },
	{ "sk_reuseport/migrate", P(SK_REUSEPORT), BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, ATT_OPT },
	{ "sk_reuseport", P(SK_REUSEPORT), BPF_SK_REUSEPORT_SELECT, ATT_OPT },
	{ "kprobe+", P(KPROBE), 0, 0 },
	{ "uprobe+", P(KPROBE), 0, 0 },
	{ "uprobe.s+", P(KPROBE), 0, SLP },
	{ "kretprobe+", P(KPROBE), 0, 0 },
	{ "uretprobe+", P(KPROBE), 0, 0 },
	{ "uretprobe.s+", P(KPROBE), 0, SLP },
	{ "kprobe.multi+", P(KPROBE), BPF_TRACE_KPROBE_MULTI, 0 },
	{ "kretprobe.multi+", P(KPROBE), BPF_TRACE_KPROBE_MULTI, 0 },
	{ "kprobe.session+", P(KPROBE), BPF_TRACE_KPROBE_SESSION, 0 },
	{ "uprobe.multi+", P(KPROBE), BPF_TRACE_UPROBE_MULTI, 0 },
	{ "uretprobe.multi+", P(KPROBE), BPF_TRACE_UPROBE_MULTI, 0 },
	{ "uprobe.session+", P(KPROBE), BPF_TRACE_UPROBE_SESSION, 0 },
	{ "uprobe.multi.s+", P(KPROBE), BPF_TRACE_UPROBE_MULTI, SLP },
	{ "uretprobe.multi.s+", P(KPROBE), BPF_TRACE_UPROBE_MULTI, SLP },
	{ "uprobe.session.s+", P(KPROBE), BPF_TRACE_UPROBE_SESSION, SLP },
	{ "ksyscall+", P(KPROBE), 0, 0 },
	{ "kretsyscall+", P(KPROBE), 0, 0 },
	{ "usdt+", P(KPROBE), 0, EVBPF_SEC_USDT },
	{ "usdt.s+", P(KPROBE), 0, EVBPF_SEC_USDT | SLP },
	{ "tc/ingress", P(SCHED_CLS), BPF_TCX_INGRESS, 0 },
	{ "tc/egress", P(SCHED_CLS), BPF_TCX_EGRESS, 0 },
	{ "tcx/ingress", P(SCHED_CLS), BPF_TCX_INGRESS, 0 },
	{ "tcx/egress", P(SCHED_CLS), BPF_TCX_EGRESS, 0 },
	{ "tc", P(SCHED_CLS), 0, 0 },
	{ "classifier", P(SCHED_CLS), 0, 0 },
	{ "action", P(SCHED_ACT), 0, 0 },
	{ "netkit/primary", P(SCHED_CLS), BPF_NETKIT_PRIMARY, 0 },
	{ "netkit/peer", P(SCHED_CLS), BPF_NETKIT_PEER, 0 },
	{ "tracepoint+", P(TRACEPOINT), 0, 0 },
	{ "tp+", P(TRACEPOINT), 0, 0 },
	{ "raw_tracepoint+", P(RAW_TRACEPOINT), 0, 0 },
	{ "raw_tp+", P(RAW_TRACEPOINT), 0, 0 },
	{ "raw_tracepoint.w+", P(RAW_TRACEPOINT_WRITABLE), 0, 0 },
	{ "raw_tp.w+", P(RAW_TRACEPOINT_WRITABLE), 0, 0 },
	{ "tp_btf+", P(TRACING), BPF_TRACE_RAW_TP, BTF },
	/* one program on many functions: the functions are named at attach
	 * (bpf_program__attach_tracing_multi), none at load */
	{ "fentry.multi+", P(TRACING), BPF_TRACE_FENTRY_MULTI, 0 },
	{ "fexit.multi+", P(TRACING), BPF_TRACE_FEXIT_MULTI, 0 },
	{ "fsession.multi+", P(TRACING), BPF_TRACE_FSESSION_MULTI, 0 },
	{ "fentry+", P(TRACING), BPF_TRACE_FENTRY, BTF },
	{ "fmod_ret+", P(TRACING), BPF_MODIFY_RETURN, BTF },
	{ "fexit+", P(TRACING), BPF_TRACE_FEXIT, BTF },
	{ "fentry.s+", P(TRACING), BPF_TRACE_FENTRY, BTF | SLP },
	{ "fmod_ret.s+", P(TRACING), BPF_MODIFY_RETURN, BTF | SLP },
	{ "fexit.s+", P(TRACING), BPF_TRACE_FEXIT, BTF | SLP },
	{ "freplace+", P(EXT), 0, BTF },
	{ "lsm+", P(LSM), BPF_LSM_MAC, BTF },
	{ "lsm.s+", P(LSM), BPF_LSM_MAC, BTF | SLP },
	{ "lsm_cgroup+", P(LSM), BPF_LSM_CGROUP, BTF },
	{ "iter+", P(TRACING), BPF_TRACE_ITER, BTF },
	{ "iter.s+", P(TRACING), BPF_TRACE_ITER, BTF | SLP },
	{ "syscall", P(SYSCALL), 0, SLP },
	{ "xdp.frags/devmap", P(XDP), BPF_XDP_DEVMAP, EVBPF_SEC_XDP_FRAGS },
	{ "xdp/devmap", P(XDP), BPF_XDP_DEVMAP, ATT_OPT },
	{ "xdp.frags/cpumap", P(XDP), BPF_XDP_CPUMAP, EVBPF_SEC_XDP_FRAGS },
	{ "xdp/cpumap", P(XDP), BPF_XDP_CPUMAP, ATT_OPT },
	{ "xdp.frags", P(XDP), BPF_XDP, EVBPF_SEC_XDP_FRAGS },
	{ "xdp", P(XDP), BPF_XDP, ATT_OPT },
	{ "perf_event", P(PERF_EVENT), 0, 0 },
	{ "lwt_in", P(LWT_IN), 0, 0 },
	{ "lwt_out", P(LWT_OUT), 0, 0 },
	{ "lwt_xmit", P(LWT_XMIT), 0, 0 },
	{ "lwt_seg6local", P(LWT_SEG6LOCAL), 0, 0 },
	{ "sockops", P(SOCK_OPS), BPF_CGROUP_SOCK_OPS, ATT_OPT },
	{ "sk_skb/stream_parser", P(SK_SKB), BPF_SK_SKB_STREAM_PARSER, ATT_OPT },
	{ "sk_skb/stream_verdict", P(SK_SKB), BPF_SK_SKB_STREAM_VERDICT, ATT_OPT },
	{ "sk_skb/verdict", P(SK_SKB), BPF_SK_SKB_VERDICT, ATT_OPT },
	{ "sk_skb", P(SK_SKB), 0, 0 },
	{ "sk_msg", P(SK_MSG), BPF_SK_MSG_VERDICT, ATT_OPT },
	{ "lirc_mode2", P(LIRC_MODE2), BPF_LIRC_MODE2, ATT_OPT },
	{ "flow_dissector", P(FLOW_DISSECTOR), BPF_FLOW_DISSECTOR, ATT_OPT },
	{ "cgroup_skb/ingress", P(CGROUP_SKB), BPF_CGROUP_INET_INGRESS, ATT_OPT },
	{ "cgroup_skb/egress", P(CGROUP_SKB), BPF_CGROUP_INET_EGRESS, ATT_OPT },
	{ "cgroup/skb", P(CGROUP_SKB), 0, 0 },
	{ "cgroup/sock_create", P(CGROUP_SOCK), BPF_CGROUP_INET_SOCK_CREATE, ATT },
	{ "cgroup/sock_release", P(CGROUP_SOCK), BPF_CGROUP_INET_SOCK_RELEASE, ATT },
	{ "cgroup/sock", P(CGROUP_SOCK), BPF_CGROUP_INET_SOCK_CREATE, ATT_OPT },
	{ "cgroup/post_bind4", P(CGROUP_SOCK), BPF_CGROUP_INET4_POST_BIND, ATT },
	{ "cgroup/post_bind6", P(CGROUP_SOCK), BPF_CGROUP_INET6_POST_BIND, ATT },
	{ "cgroup/bind4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET4_BIND, ATT },
	{ "cgroup/bind6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET6_BIND, ATT },
	{ "cgroup/connect4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET4_CONNECT, ATT },
	{ "cgroup/connect6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET6_CONNECT, ATT },
	{ "cgroup/connect_unix", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UNIX_CONNECT, ATT },
	{ "cgroup/sendmsg4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UDP4_SENDMSG, ATT },
	{ "cgroup/sendmsg6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UDP6_SENDMSG, ATT },
	{ "cgroup/sendmsg_unix", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UNIX_SENDMSG, ATT },
	{ "cgroup/recvmsg4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UDP4_RECVMSG, ATT },
	{ "cgroup/recvmsg6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UDP6_RECVMSG, ATT },
	{ "cgroup/recvmsg_unix", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UNIX_RECVMSG, ATT },
	{ "cgroup/getpeername4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET4_GETPEERNAME, ATT },
	{ "cgroup/getpeername6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET6_GETPEERNAME, ATT },
	{ "cgroup/getpeername_unix", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UNIX_GETPEERNAME, ATT },
	{ "cgroup/getsockname4", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET4_GETSOCKNAME, ATT },
	{ "cgroup/getsockname6", P(CGROUP_SOCK_ADDR), BPF_CGROUP_INET6_GETSOCKNAME, ATT },
	{ "cgroup/getsockname_unix", P(CGROUP_SOCK_ADDR), BPF_CGROUP_UNIX_GETSOCKNAME, ATT },
	{ "cgroup/sysctl", P(CGROUP_SYSCTL), BPF_CGROUP_SYSCTL, ATT },
	{ "cgroup/getsockopt", P(CGROUP_SOCKOPT), BPF_CGROUP_GETSOCKOPT, ATT },
	{ "cgroup/setsockopt", P(CGROUP_SOCKOPT), BPF_CGROUP_SETSOCKOPT, ATT },
	{ "cgroup/dev", P(CGROUP_DEVICE), BPF_CGROUP_DEVICE, ATT_OPT },
	{ "struct_ops+", P(STRUCT_OPS), 0, 0 },
	{ "struct_ops.s+", P(STRUCT_OPS), 0, SLP },
	{ "sk_lookup", P(SK_LOOKUP), BPF_SK_LOOKUP, ATT },
	{ "netfilter", P(NETFILTER), BPF_NETFILTER, 0 },
};

/* Registered custom handlers; handler ids count up from 1. */
static struct evbpf__sec_def *custom_defs;
static size_t nr_custom_defs, custom_defs_cap;
static struct evbpf__sec_def *catchall_def;
static int last_handler_id;

static bool sec_def_matches(const char *pattern, const char *name)
{
	size_t len = strlen(pattern);

	if (len && pattern[len - 1] == '+') {
		len--;
		if (strncmp(name, pattern, len))
			return false;
		return name[len] == '\0' || name[len] == '/';
	}
	if (len && pattern[len - 1] == '/')
		return !strncmp(name, pattern, len);
	return !strcmp(name, pattern);
}

const struct evbpf__sec_def *evbpf__find_sec_def(const char *sec_name)
{
	size_t i;

	if (!sec_name)
		return NULL;
	for (i = 0; i < nr_custom_defs; i++)
		if (sec_def_matches(custom_defs[i].sec, sec_name))
			return &custom_defs[i];
	for (i = 0; i < ARRAY_SIZE(builtin_defs); i++)
		if (sec_def_matches(builtin_defs[i].sec, sec_name))
			return &builtin_defs[i];
	return catchall_def;
}

LIBBPF_API int libbpf_prog_type_by_name(const char *name, enum bpf_prog_type *prog_type,
					enum bpf_attach_type *expected_attach_type)
{
	const struct evbpf__sec_def *def;

	if (!name || !prog_type || !expected_attach_type)
		return evbpf__err(-EINVAL);
	def = evbpf__find_sec_def(name);
	if (!def) {
		pr_debug("no program type for section name '%s'", name);
		return evbpf__err(-ESRCH);
	}
	*prog_type = def->prog_type;
	*expected_attach_type = def->attach_type;
	return 0;
}

LIBBPF_API int libbpf_attach_type_by_name(const char *name,
					  enum bpf_attach_type *attach_type)
{
	const struct evbpf__sec_def *def;

	if (!name || !attach_type)
		return evbpf__err(-EINVAL);
	def = evbpf__find_sec_def(name);
	if (!def) {
		pr_debug("no program type for section name '%s'", name);
		return evbpf__err(-ESRCH);
	}
	if (!(def->flags & EVBPF_SEC_ATTACHABLE)) {
		pr_debug("section '%s' has no BPF_PROG_ATTACH attach type", name);
		return evbpf__err(-EINVAL);
	}
	*attach_type = def->attach_type;
	return 0;
}

LIBBPF_API int libbpf_register_prog_handler(const char *sec,
					    enum bpf_prog_type prog_type,
					    enum bpf_attach_type exp_attach_type,
					    const struct libbpf_prog_handler_opts *opts)
{
	struct evbpf__sec_def *def;
	char *copy = NULL;

	if (!OPTS_VALID(opts, libbpf_prog_handler_opts, prog_attach_fn))
		return evbpf__err(-EINVAL);
	if (!sec && catchall_def) {
		pr_warn("a catch-all program handler is already registered");
		return evbpf__err(-EBUSY);
	}
	if (sec) {
		copy = strdup(sec);
		if (!copy)
			return evbpf__err(-ENOMEM);
		if (evbpf__ensure_mem((void **)&custom_defs, &custom_defs_cap,
				      sizeof(*custom_defs), nr_custom_defs + 1)) {
			free(copy);
			return evbpf__err(-ENOMEM);
		}
		def = &custom_defs[nr_custom_defs++];
	} else {
		def = calloc(1, sizeof(*def));
		if (!def)
			return evbpf__err(-ENOMEM);
		catchall_def = def;
	}
	memset(def, 0, sizeof(*def));
	def->sec = copy;
	def->prog_type = prog_type;
	def->attach_type = exp_attach_type;
	def->flags = EVBPF_SEC_CUSTOM;
	def->cookie = OPTS_GET(opts, cookie, 0);
	def->setup_fn = OPTS_GET(opts, prog_setup_fn, NULL);
	def->prepare_fn = OPTS_GET(opts, prog_prepare_load_fn, NULL);
	def->attach_fn = OPTS_GET(opts, prog_attach_fn, NULL);
	def->handler_id = ++last_handler_id;
	return def->handler_id;
}

LIBBPF_API int libbpf_unregister_prog_handler(int handler_id)
{
	size_t i;

	if (catchall_def && catchall_def->handler_id == handler_id) {
		free(catchall_def);
		catchall_def = NULL;
		return 0;
	}
	for (i = 0; i < nr_custom_defs; i++) {
		if (custom_defs[i].handler_id != handler_id)
			continue;
		free((char *)custom_defs[i].sec);
		memmove(&custom_defs[i], &custom_defs[i + 1],
			(nr_custom_defs - i - 1) * sizeof(*custom_defs));
		nr_custom_defs--;
		if (!nr_custom_defs) {
			free(custom_defs);
			custom_defs = NULL;
			custom_defs_cap = 0;
		}
		return 0;
	}
	return evbpf__err(-ENOENT);
}

int evbpf__prog_handler_attach(const struct bpf_program *prog, struct bpf_link **link)
{
	if (link)
		*link = NULL;
	if (!prog || !link)
		return -EINVAL;
	/* The copy taken at open carries the callbacks; a handler removed since
	 * then is no longer asked. */
	if (!prog->has_def || !(prog->def.flags & EVBPF_SEC_CUSTOM) ||
	    !prog->def.attach_fn)
		return -ENOENT;
	if (!evbpf__find_sec_def(prog->sec_name) ||
	    evbpf__find_sec_def(prog->sec_name)->handler_id != prog->def.handler_id)
		return -ENOENT;
	return prog->def.attach_fn(prog, prog->def.cookie, link);
}
