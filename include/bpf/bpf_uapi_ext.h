/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF UAPI constants newer than the system's <linux/bpf.h>.
 *
 * Distributions ship kernel UAPI headers older than the kernels they run
 * (Debian 12: 6.1 headers). Everything here is a fact of the kernel ABI that
 * the system header may lack, under the name the kernel's header gives it.
 * Each block is guarded by the header version that introduced it, so nothing
 * is defined when the system header is new enough. The values are plain
 * integer macros (usable in #if and switch, and free of the enum-conversion
 * warnings an enumerator outside the kernel's named enum would bring), and
 * every one sits behind #ifndef: a program that defines one of these names
 * itself before including evbpf keeps its own definition and never meets a
 * redefinition from here.
 */
#ifndef __EVBPF_BPF_UAPI_EXT_H
#define __EVBPF_BPF_UAPI_EXT_H

#include <linux/bpf.h>
#include <linux/version.h>

#ifndef KERNEL_VERSION
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#endif

/* ---- 6.2 ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#ifndef BPF_MAP_TYPE_CGRP_STORAGE
#define BPF_MAP_TYPE_CGRP_STORAGE	32
#endif
#ifndef BPF_FUNC_cgrp_storage_get
#define BPF_FUNC_cgrp_storage_get	210
#endif
#ifndef BPF_FUNC_cgrp_storage_delete
#define BPF_FUNC_cgrp_storage_delete	211
#endif
#endif

/* ---- 6.3 ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY	(1U << 6)	/* prog_flags */
#endif
#endif

/* ---- 6.4: struct_ops links, netfilter ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#ifndef BPF_PROG_TYPE_NETFILTER
#define BPF_PROG_TYPE_NETFILTER		32
#endif
#ifndef BPF_STRUCT_OPS
#define BPF_STRUCT_OPS			44
#endif
#ifndef BPF_NETFILTER
#define BPF_NETFILTER			45
#endif
#ifndef BPF_LINK_TYPE_NETFILTER
#define BPF_LINK_TYPE_NETFILTER		10
#endif
#ifndef BPF_F_LINK
#define BPF_F_LINK			(1U << 13)	/* map_flags */
#endif
#endif

/* ---- 6.5 ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#ifndef BPF_F_PATH_FD
#define BPF_F_PATH_FD			(1U << 14)	/* obj pin/get file_flags */
#endif
#endif

/* ---- 6.6: tcx, uprobe_multi, mprog ordering ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS			46
#endif
#ifndef BPF_TCX_EGRESS
#define BPF_TCX_EGRESS			47
#endif
#ifndef BPF_TRACE_UPROBE_MULTI
#define BPF_TRACE_UPROBE_MULTI		48
#endif
#ifndef BPF_LINK_TYPE_TCX
#define BPF_LINK_TYPE_TCX		11
#endif
#ifndef BPF_LINK_TYPE_UPROBE_MULTI
#define BPF_LINK_TYPE_UPROBE_MULTI	12
#endif
#ifndef BPF_F_BEFORE
#define BPF_F_BEFORE			(1U << 3)	/* attach/link flags */
#endif
#ifndef BPF_F_AFTER
#define BPF_F_AFTER			(1U << 4)
#endif
#ifndef BPF_F_ID
#define BPF_F_ID			(1U << 5)
#endif
#ifndef BPF_F_UPROBE_MULTI_RETURN
#define BPF_F_UPROBE_MULTI_RETURN	(1U << 0)
#endif
#ifndef BPF_F_NETFILTER_IP_DEFRAG
#define BPF_F_NETFILTER_IP_DEFRAG	(1U << 0)
#endif
#ifndef TCX_NEXT
#define TCX_NEXT			(-1)	/* tcx program return codes */
#endif
#ifndef TCX_PASS
#define TCX_PASS			0
#endif
#ifndef TCX_DROP
#define TCX_DROP			2
#endif
#ifndef TCX_REDIRECT
#define TCX_REDIRECT			7
#endif
#endif

/* ---- 6.7: unix sockaddr hooks, netkit ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
#ifndef BPF_CGROUP_UNIX_CONNECT
#define BPF_CGROUP_UNIX_CONNECT		49
#endif
#ifndef BPF_CGROUP_UNIX_SENDMSG
#define BPF_CGROUP_UNIX_SENDMSG		50
#endif
#ifndef BPF_CGROUP_UNIX_RECVMSG
#define BPF_CGROUP_UNIX_RECVMSG		51
#endif
#ifndef BPF_CGROUP_UNIX_GETPEERNAME
#define BPF_CGROUP_UNIX_GETPEERNAME	52
#endif
#ifndef BPF_CGROUP_UNIX_GETSOCKNAME
#define BPF_CGROUP_UNIX_GETSOCKNAME	53
#endif
#ifndef BPF_NETKIT_PRIMARY
#define BPF_NETKIT_PRIMARY		54
#endif
#ifndef BPF_NETKIT_PEER
#define BPF_NETKIT_PEER			55
#endif
#ifndef BPF_LINK_TYPE_NETKIT
#define BPF_LINK_TYPE_NETKIT		13
#endif
#ifndef BPF_F_TEST_REG_INVARIANTS
#define BPF_F_TEST_REG_INVARIANTS	(1U << 7)	/* prog_flags */
#endif
#endif

/* ---- 6.9: tokens, arena ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
#ifndef BPF_TOKEN_CREATE
#define BPF_TOKEN_CREATE		36
#endif
#ifndef BPF_MAP_TYPE_ARENA
#define BPF_MAP_TYPE_ARENA		33
#endif
#ifndef BPF_F_VTYPE_BTF_OBJ_FD
#define BPF_F_VTYPE_BTF_OBJ_FD		(1U << 15)	/* map_flags */
#endif
#ifndef BPF_F_TOKEN_FD
#define BPF_F_TOKEN_FD			(1U << 16)	/* map/prog/btf flags */
#endif
#ifndef BPF_F_SEGV_ON_FAULT
#define BPF_F_SEGV_ON_FAULT		(1U << 17)	/* arena map_flags */
#endif
#ifndef BPF_F_NO_USER_CONV
#define BPF_F_NO_USER_CONV		(1U << 18)	/* arena map_flags */
#endif
#endif

/* ---- 6.10 ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#ifndef BPF_TRACE_KPROBE_SESSION
#define BPF_TRACE_KPROBE_SESSION	56
#endif
#ifndef BPF_LINK_TYPE_SOCKMAP
#define BPF_LINK_TYPE_SOCKMAP		14
#endif
#endif

/* ---- 6.13 ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#ifndef BPF_TRACE_UPROBE_SESSION
#define BPF_TRACE_UPROBE_SESSION	57
#endif
#endif

/* ---- 6.17 ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#ifndef BPF_PROG_STREAM_READ_BY_FD
#define BPF_PROG_STREAM_READ_BY_FD	37
#endif
#ifndef BPF_STREAM_STDOUT
#define BPF_STREAM_STDOUT			1	/* program streams */
#endif
#ifndef BPF_STREAM_STDERR
#define BPF_STREAM_STDERR			2
#endif
#endif

/* ---- 6.19 ---- */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 19, 0)
#ifndef BPF_PROG_ASSOC_STRUCT_OPS
#define BPF_PROG_ASSOC_STRUCT_OPS	38
#endif
#endif

/* ---- after 6.19: fsession and multi-function tracing links ----
 * No header version is known to carry these yet: #ifndef only. */
#ifndef BPF_TRACE_FSESSION
#define BPF_TRACE_FSESSION		58
#endif
#ifndef BPF_TRACE_FENTRY_MULTI
#define BPF_TRACE_FENTRY_MULTI		59
#endif
#ifndef BPF_TRACE_FEXIT_MULTI
#define BPF_TRACE_FEXIT_MULTI		60
#endif
#ifndef BPF_TRACE_FSESSION_MULTI
#define BPF_TRACE_FSESSION_MULTI	61
#endif
#ifndef BPF_LINK_TYPE_TRACING_MULTI
#define BPF_LINK_TYPE_TRACING_MULTI	15
#endif

/*
 * Counts of the enums as of the newest kernel these headers know (6.18);
 * the system header's __MAX_* values stop at its own version.
 */
#define EVBPF_MAX_BPF_CMD		38
#define EVBPF_MAX_BPF_MAP_TYPE		34
#define EVBPF_MAX_BPF_PROG_TYPE		33
#define EVBPF_MAX_BPF_ATTACH_TYPE	62
#define EVBPF_MAX_BPF_LINK_TYPE		16

#endif /* __EVBPF_BPF_UAPI_EXT_H */
