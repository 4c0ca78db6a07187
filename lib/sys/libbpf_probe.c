// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Public probes of program types, map types and helpers, the type-name
 * tables, and the count of possible CPUs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpf/bpf.h"
#include "bpf/bpf_uapi_ext.h"
#include "base/base_internal.h"
#include "probe_internal.h"

/* ---- program types ---- */

/* Kernel version as kprobe programs of old kernels had to state it. */
static __u32 running_kernel_version(void)
{
	unsigned int major = 0, minor = 0, patch = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &major, &minor, &patch) < 2)
		return 0;
	return KERNEL_VERSION(major, minor, patch > 255 ? 255 : patch);
}

static bool needs_attach_btf(enum bpf_prog_type type)
{
	switch (type) {
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_EXT:
	case BPF_PROG_TYPE_LSM:
	case BPF_PROG_TYPE_STRUCT_OPS:
		return true;
	default:
		return false;
	}
}

/* Sets up what a minimal program of @type needs beyond its instructions. */
static void prep_prog_attr(enum bpf_prog_type type, union evbpf__attr *attr)
{
	memset(attr, 0, sizeof(*attr));
	switch ((int)type) {
	case BPF_PROG_TYPE_KPROBE:
		attr->prog_load.kern_version = running_kernel_version();
		break;
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
		attr->prog_load.expected_attach_type = BPF_CGROUP_INET4_CONNECT;
		break;
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		attr->prog_load.expected_attach_type = BPF_CGROUP_GETSOCKOPT;
		break;
	case BPF_PROG_TYPE_SK_LOOKUP:
		attr->prog_load.expected_attach_type = BPF_SK_LOOKUP;
		break;
	case BPF_PROG_TYPE_NETFILTER:
		attr->prog_load.expected_attach_type = BPF_NETFILTER;
		break;
	case BPF_PROG_TYPE_SYSCALL:
		attr->prog_load.prog_flags = BPF_F_SLEEPABLE;
		break;
	default:
		break;
	}
}

LIBBPF_API int libbpf_probe_bpf_prog_type(enum bpf_prog_type prog_type,
					  const void *opts)
{
	static const struct bpf_insn insns[] = {
		P_MOV64_IMM(BPF_REG_0, 0),
		P_EXIT(),
	};
	union evbpf__attr attr;
	char log[512];
	int fd;

	if (opts)
		return evbpf__err(-EINVAL);
	if (prog_type == BPF_PROG_TYPE_UNSPEC)
		return 0;

	prep_prog_attr(prog_type, &attr);
	fd = evbpf__probe_load_prog(prog_type, insns, ARRAY_SIZE(insns), &attr,
				    log, sizeof(log));
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	/* Types that attach by BTF id cannot load without a target; the
	 * kernel knows the type when it got as far as the verifier (which
	 * wrote a log) or refused on policy grounds rather than the type. */
	if (needs_attach_btf(prog_type))
		return log[0] != '\0' || fd == -EPERM || fd == -EACCES;
	if (fd == -EPERM || fd == -EACCES)
		return evbpf__err(fd);
	return 0;
}

/* ---- helpers ---- */

LIBBPF_API int libbpf_probe_bpf_helper(enum bpf_prog_type prog_type,
				       enum bpf_func_id helper_id,
				       const void *opts)
{
	static const char *const refusals[] = {
		"invalid func ",
		"unknown func ",
		"program of this type cannot use helper ",
	};
	struct bpf_insn insns[] = {
		P_CALL_HELPER(0),
		P_EXIT(),
	};
	union evbpf__attr attr;
	char log[4096];
	size_t i;
	int fd, ret;

	if (opts)
		return evbpf__err(-EINVAL);
	if (needs_attach_btf(prog_type))
		return evbpf__err(-EOPNOTSUPP);
	ret = libbpf_probe_bpf_prog_type(prog_type, NULL);
	if (ret <= 0)
		return evbpf__err(ret < 0 ? ret : -EOPNOTSUPP);

	insns[0].imm = helper_id;
	prep_prog_attr(prog_type, &attr);
	fd = evbpf__probe_load_prog(prog_type, insns, ARRAY_SIZE(insns), &attr,
				    log, sizeof(log));
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	/* The program may fail for other reasons (arguments, return value);
	 * only a refusal of the call itself means "not available". */
	for (i = 0; i < ARRAY_SIZE(refusals); i++)
		if (strstr(log, refusals[i]))
			return 0;
	if (!log[0])
		return evbpf__err(fd);
	return 1;
}

/* ---- map types ---- */

static int make_inner_map(void)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_create.map_type = BPF_MAP_TYPE_ARRAY;
	attr.map_create.key_size = 4;
	attr.map_create.value_size = 4;
	attr.map_create.max_entries = 1;
	return evbpf__probe_create_map(&attr);
}

static int make_int_btf(void)
{
	static const char strs[] = "\0int";
	static const __u32 types[] = { P_BTF_INT(1) };

	return evbpf__probe_load_btf(types, sizeof(types), strs, sizeof(strs));
}

LIBBPF_API int libbpf_probe_bpf_map_type(enum bpf_map_type map_type,
					 const void *opts)
{
	struct evbpf__attr_map_create *m;
	union evbpf__attr attr;
	int fd, inner_fd = -1, btf_fd = -1;

	if (opts)
		return evbpf__err(-EINVAL);
	if (map_type == BPF_MAP_TYPE_UNSPEC)
		return 0;

	memset(&attr, 0, sizeof(attr));
	m = &attr.map_create;
	m->map_type = map_type;
	m->key_size = 4;
	m->value_size = 4;
	m->max_entries = 1;

	switch ((int)map_type) {
	case BPF_MAP_TYPE_STACK_TRACE:
		m->value_size = 8;
		break;
	case BPF_MAP_TYPE_LPM_TRIE:
		m->key_size = 8;
		m->value_size = 8;
		m->map_flags = BPF_F_NO_PREALLOC;
		break;
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		m->key_size = sizeof(struct bpf_cgroup_storage_key);
		m->max_entries = 0;
		break;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_BLOOM_FILTER:
		m->key_size = 0;
		break;
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		m->key_size = 0;
		m->value_size = 0;
		m->max_entries = (__u32)sysconf(_SC_PAGESIZE);
		break;
	case BPF_MAP_TYPE_ARENA:
		m->key_size = 0;
		m->value_size = 0;
		m->map_flags = BPF_F_MMAPABLE;
		break;
	case BPF_MAP_TYPE_STRUCT_OPS:
		/* any id: the kernel checks it is a struct_ops value type */
		m->btf_vmlinux_value_type_id = 1;
		break;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		inner_fd = make_inner_map();
		if (inner_fd < 0)
			return evbpf__err(inner_fd);
		m->inner_map_fd = inner_fd;
		break;
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case BPF_MAP_TYPE_CGRP_STORAGE:
		btf_fd = make_int_btf();
		if (btf_fd < 0)
			return evbpf__err(btf_fd);
		m->btf_fd = btf_fd;
		m->btf_key_type_id = 1;
		m->btf_value_type_id = 1;
		m->map_flags = BPF_F_NO_PREALLOC;
		m->max_entries = 0;
		break;
	default:
		break;
	}

	fd = evbpf__probe_create_map(&attr);
	evbpf__close(inner_fd);
	evbpf__close(btf_fd);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	/* a kernel with struct_ops maps refuses the bogus value type with
	 * ENOTSUPP (kernel-internal 524) instead of the map type */
	if (map_type == BPF_MAP_TYPE_STRUCT_OPS)
		return fd == -524;
	if (fd == -EPERM || fd == -EACCES)
		return evbpf__err(fd);
	return 0;
}

/* ---- names ---- */

static const char *const attach_type_name[] = {
	[BPF_CGROUP_INET_INGRESS] = "cgroup_inet_ingress",
	[BPF_CGROUP_INET_EGRESS] = "cgroup_inet_egress",
	[BPF_CGROUP_INET_SOCK_CREATE] = "cgroup_inet_sock_create",
	[BPF_CGROUP_SOCK_OPS] = "cgroup_sock_ops",
	[BPF_SK_SKB_STREAM_PARSER] = "sk_skb_stream_parser",
	[BPF_SK_SKB_STREAM_VERDICT] = "sk_skb_stream_verdict",
	[BPF_CGROUP_DEVICE] = "cgroup_device",
	[BPF_SK_MSG_VERDICT] = "sk_msg_verdict",
	[BPF_CGROUP_INET4_BIND] = "cgroup_inet4_bind",
	[BPF_CGROUP_INET6_BIND] = "cgroup_inet6_bind",
	[BPF_CGROUP_INET4_CONNECT] = "cgroup_inet4_connect",
	[BPF_CGROUP_INET6_CONNECT] = "cgroup_inet6_connect",
	[BPF_CGROUP_INET4_POST_BIND] = "cgroup_inet4_post_bind",
	[BPF_CGROUP_INET6_POST_BIND] = "cgroup_inet6_post_bind",
	[BPF_CGROUP_UDP4_SENDMSG] = "cgroup_udp4_sendmsg",
	[BPF_CGROUP_UDP6_SENDMSG] = "cgroup_udp6_sendmsg",
	[BPF_LIRC_MODE2] = "lirc_mode2",
	[BPF_FLOW_DISSECTOR] = "flow_dissector",
	[BPF_CGROUP_SYSCTL] = "cgroup_sysctl",
	[BPF_CGROUP_UDP4_RECVMSG] = "cgroup_udp4_recvmsg",
	[BPF_CGROUP_UDP6_RECVMSG] = "cgroup_udp6_recvmsg",
	[BPF_CGROUP_GETSOCKOPT] = "cgroup_getsockopt",
	[BPF_CGROUP_SETSOCKOPT] = "cgroup_setsockopt",
	[BPF_TRACE_RAW_TP] = "trace_raw_tp",
	[BPF_TRACE_FENTRY] = "trace_fentry",
	[BPF_TRACE_FEXIT] = "trace_fexit",
	[BPF_MODIFY_RETURN] = "modify_return",
	[BPF_LSM_MAC] = "lsm_mac",
	[BPF_TRACE_ITER] = "trace_iter",
	[BPF_CGROUP_INET4_GETPEERNAME] = "cgroup_inet4_getpeername",
	[BPF_CGROUP_INET6_GETPEERNAME] = "cgroup_inet6_getpeername",
	[BPF_CGROUP_INET4_GETSOCKNAME] = "cgroup_inet4_getsockname",
	[BPF_CGROUP_INET6_GETSOCKNAME] = "cgroup_inet6_getsockname",
	[BPF_XDP_DEVMAP] = "xdp_devmap",
	[BPF_CGROUP_INET_SOCK_RELEASE] = "cgroup_inet_sock_release",
	[BPF_XDP_CPUMAP] = "xdp_cpumap",
	[BPF_SK_LOOKUP] = "sk_lookup",
	[BPF_XDP] = "xdp",
	[BPF_SK_SKB_VERDICT] = "sk_skb_verdict",
	[BPF_SK_REUSEPORT_SELECT] = "sk_reuseport_select",
	[BPF_SK_REUSEPORT_SELECT_OR_MIGRATE] = "sk_reuseport_select_or_migrate",
	[BPF_PERF_EVENT] = "perf_event",
	[BPF_TRACE_KPROBE_MULTI] = "trace_kprobe_multi",
	[BPF_LSM_CGROUP] = "lsm_cgroup",
	[BPF_STRUCT_OPS] = "struct_ops",
	[BPF_NETFILTER] = "netfilter",
	[BPF_TCX_INGRESS] = "tcx_ingress",
	[BPF_TCX_EGRESS] = "tcx_egress",
	[BPF_TRACE_UPROBE_MULTI] = "trace_uprobe_multi",
	[BPF_CGROUP_UNIX_CONNECT] = "cgroup_unix_connect",
	[BPF_CGROUP_UNIX_SENDMSG] = "cgroup_unix_sendmsg",
	[BPF_CGROUP_UNIX_RECVMSG] = "cgroup_unix_recvmsg",
	[BPF_CGROUP_UNIX_GETPEERNAME] = "cgroup_unix_getpeername",
	[BPF_CGROUP_UNIX_GETSOCKNAME] = "cgroup_unix_getsockname",
	[BPF_NETKIT_PRIMARY] = "netkit_primary",
	[BPF_NETKIT_PEER] = "netkit_peer",
	[BPF_TRACE_KPROBE_SESSION] = "trace_kprobe_session",
	[BPF_TRACE_UPROBE_SESSION] = "trace_uprobe_session",
	[BPF_TRACE_FSESSION] = "trace_fsession",
	[BPF_TRACE_FENTRY_MULTI] = "trace_fentry_multi",
	[BPF_TRACE_FEXIT_MULTI] = "trace_fexit_multi",
	[BPF_TRACE_FSESSION_MULTI] = "trace_fsession_multi",
};

static const char *const link_type_name[] = {
	[BPF_LINK_TYPE_UNSPEC] = "unspec",
	[BPF_LINK_TYPE_RAW_TRACEPOINT] = "raw_tracepoint",
	[BPF_LINK_TYPE_TRACING] = "tracing",
	[BPF_LINK_TYPE_CGROUP] = "cgroup",
	[BPF_LINK_TYPE_ITER] = "iter",
	[BPF_LINK_TYPE_NETNS] = "netns",
	[BPF_LINK_TYPE_XDP] = "xdp",
	[BPF_LINK_TYPE_PERF_EVENT] = "perf_event",
	[BPF_LINK_TYPE_KPROBE_MULTI] = "kprobe_multi",
	[BPF_LINK_TYPE_STRUCT_OPS] = "struct_ops",
	[BPF_LINK_TYPE_NETFILTER] = "netfilter",
	[BPF_LINK_TYPE_TCX] = "tcx",
	[BPF_LINK_TYPE_UPROBE_MULTI] = "uprobe_multi",
	[BPF_LINK_TYPE_NETKIT] = "netkit",
	[BPF_LINK_TYPE_SOCKMAP] = "sockmap",
	[BPF_LINK_TYPE_TRACING_MULTI] = "tracing_multi",
};

static const char *const map_type_name[] = {
	[BPF_MAP_TYPE_UNSPEC] = "unspec",
	[BPF_MAP_TYPE_HASH] = "hash",
	[BPF_MAP_TYPE_ARRAY] = "array",
	[BPF_MAP_TYPE_PROG_ARRAY] = "prog_array",
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = "perf_event_array",
	[BPF_MAP_TYPE_PERCPU_HASH] = "percpu_hash",
	[BPF_MAP_TYPE_PERCPU_ARRAY] = "percpu_array",
	[BPF_MAP_TYPE_STACK_TRACE] = "stack_trace",
	[BPF_MAP_TYPE_CGROUP_ARRAY] = "cgroup_array",
	[BPF_MAP_TYPE_LRU_HASH] = "lru_hash",
	[BPF_MAP_TYPE_LRU_PERCPU_HASH] = "lru_percpu_hash",
	[BPF_MAP_TYPE_LPM_TRIE] = "lpm_trie",
	[BPF_MAP_TYPE_ARRAY_OF_MAPS] = "array_of_maps",
	[BPF_MAP_TYPE_HASH_OF_MAPS] = "hash_of_maps",
	[BPF_MAP_TYPE_DEVMAP] = "devmap",
	[BPF_MAP_TYPE_SOCKMAP] = "sockmap",
	[BPF_MAP_TYPE_CPUMAP] = "cpumap",
	[BPF_MAP_TYPE_XSKMAP] = "xskmap",
	[BPF_MAP_TYPE_SOCKHASH] = "sockhash",
	[BPF_MAP_TYPE_CGROUP_STORAGE] = "cgroup_storage",
	[BPF_MAP_TYPE_REUSEPORT_SOCKARRAY] = "reuseport_sockarray",
	[BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE] = "percpu_cgroup_storage",
	[BPF_MAP_TYPE_QUEUE] = "queue",
	[BPF_MAP_TYPE_STACK] = "stack",
	[BPF_MAP_TYPE_SK_STORAGE] = "sk_storage",
	[BPF_MAP_TYPE_DEVMAP_HASH] = "devmap_hash",
	[BPF_MAP_TYPE_STRUCT_OPS] = "struct_ops",
	[BPF_MAP_TYPE_RINGBUF] = "ringbuf",
	[BPF_MAP_TYPE_INODE_STORAGE] = "inode_storage",
	[BPF_MAP_TYPE_TASK_STORAGE] = "task_storage",
	[BPF_MAP_TYPE_BLOOM_FILTER] = "bloom_filter",
	[BPF_MAP_TYPE_USER_RINGBUF] = "user_ringbuf",
	[BPF_MAP_TYPE_CGRP_STORAGE] = "cgrp_storage",
	[BPF_MAP_TYPE_ARENA] = "arena",
};

static const char *const prog_type_name[] = {
	[BPF_PROG_TYPE_UNSPEC] = "unspec",
	[BPF_PROG_TYPE_SOCKET_FILTER] = "socket_filter",
	[BPF_PROG_TYPE_KPROBE] = "kprobe",
	[BPF_PROG_TYPE_SCHED_CLS] = "sched_cls",
	[BPF_PROG_TYPE_SCHED_ACT] = "sched_act",
	[BPF_PROG_TYPE_TRACEPOINT] = "tracepoint",
	[BPF_PROG_TYPE_XDP] = "xdp",
	[BPF_PROG_TYPE_PERF_EVENT] = "perf_event",
	[BPF_PROG_TYPE_CGROUP_SKB] = "cgroup_skb",
	[BPF_PROG_TYPE_CGROUP_SOCK] = "cgroup_sock",
	[BPF_PROG_TYPE_LWT_IN] = "lwt_in",
	[BPF_PROG_TYPE_LWT_OUT] = "lwt_out",
	[BPF_PROG_TYPE_LWT_XMIT] = "lwt_xmit",
	[BPF_PROG_TYPE_SOCK_OPS] = "sock_ops",
	[BPF_PROG_TYPE_SK_SKB] = "sk_skb",
	[BPF_PROG_TYPE_CGROUP_DEVICE] = "cgroup_device",
	[BPF_PROG_TYPE_SK_MSG] = "sk_msg",
	[BPF_PROG_TYPE_RAW_TRACEPOINT] = "raw_tracepoint",
	[BPF_PROG_TYPE_CGROUP_SOCK_ADDR] = "cgroup_sock_addr",
	[BPF_PROG_TYPE_LWT_SEG6LOCAL] = "lwt_seg6local",
	[BPF_PROG_TYPE_LIRC_MODE2] = "lirc_mode2",
	[BPF_PROG_TYPE_SK_REUSEPORT] = "sk_reuseport",
	[BPF_PROG_TYPE_FLOW_DISSECTOR] = "flow_dissector",
	[BPF_PROG_TYPE_CGROUP_SYSCTL] = "cgroup_sysctl",
	[BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE] = "raw_tracepoint_writable",
	[BPF_PROG_TYPE_CGROUP_SOCKOPT] = "cgroup_sockopt",
	[BPF_PROG_TYPE_TRACING] = "tracing",
	[BPF_PROG_TYPE_STRUCT_OPS] = "struct_ops",
	[BPF_PROG_TYPE_EXT] = "ext",
	[BPF_PROG_TYPE_LSM] = "lsm",
	[BPF_PROG_TYPE_SK_LOOKUP] = "sk_lookup",
	[BPF_PROG_TYPE_SYSCALL] = "syscall",
	[BPF_PROG_TYPE_NETFILTER] = "netfilter",
};

#define NAME_OF(table, v)						\
	((unsigned int)(v) < ARRAY_SIZE(table) ? (table)[(unsigned int)(v)] : NULL)

LIBBPF_API const char *libbpf_bpf_attach_type_str(enum bpf_attach_type t)
{
	return NAME_OF(attach_type_name, t);
}

LIBBPF_API const char *libbpf_bpf_link_type_str(enum bpf_link_type t)
{
	return NAME_OF(link_type_name, t);
}

LIBBPF_API const char *libbpf_bpf_map_type_str(enum bpf_map_type t)
{
	return NAME_OF(map_type_name, t);
}

LIBBPF_API const char *libbpf_bpf_prog_type_str(enum bpf_prog_type t)
{
	return NAME_OF(prog_type_name, t);
}

/* ---- CPUs ---- */

LIBBPF_API int libbpf_num_possible_cpus(void)
{
	return evbpf__err(evbpf__possible_cpus());
}
