/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Cached probes of what the running kernel supports. Each feature is probed
 * at most once per process (thread-safe), on first use, by creating a tiny
 * map / program / BTF and closing it again. The loader uses these to decide
 * how to sanitise BTF and create maps; attach code uses the link probes.
 */
#ifndef EVBPF_LIB_FEATURES_H
#define EVBPF_LIB_FEATURES_H

#include <stdbool.h>

enum evbpf__feat {
	EVBPF_FEAT_PROG_NAME,		/* BPF_PROG_LOAD takes prog_name */
	EVBPF_FEAT_GLOBAL_DATA,		/* ld_imm64 BPF_PSEUDO_MAP_VALUE */
	EVBPF_FEAT_BTF,			/* BPF_BTF_LOAD at all */
	EVBPF_FEAT_BTF_FUNC,		/* BTF_KIND_FUNC / FUNC_PROTO */
	EVBPF_FEAT_BTF_GLOBAL_FUNC,	/* BTF_FUNC_GLOBAL linkage */
	EVBPF_FEAT_BTF_DATASEC,		/* BTF_KIND_VAR / DATASEC */
	EVBPF_FEAT_BTF_FLOAT,		/* BTF_KIND_FLOAT */
	EVBPF_FEAT_BTF_DECL_TAG,	/* BTF_KIND_DECL_TAG */
	EVBPF_FEAT_BTF_TYPE_TAG,	/* BTF_KIND_TYPE_TAG */
	EVBPF_FEAT_BTF_ENUM64,		/* BTF_KIND_ENUM64 */
	EVBPF_FEAT_BTF_FUNC_PROTO_NO_NAME_PARAMS, /* unnamed FUNC_PROTO params */
	EVBPF_FEAT_ARRAY_MMAP,		/* BPF_F_MMAPABLE array maps */
	EVBPF_FEAT_EXP_ATTACH_TYPE,	/* expected_attach_type on prog load */
	EVBPF_FEAT_PROBE_READ_KERN,	/* bpf_probe_read_kernel helper */
	EVBPF_FEAT_RINGBUF,		/* BPF_MAP_TYPE_RINGBUF */
	EVBPF_FEAT_USER_RINGBUF,	/* BPF_MAP_TYPE_USER_RINGBUF */
	EVBPF_FEAT_BPF_COOKIE,		/* bpf_get_attach_cookie helper */
	EVBPF_FEAT_PERF_LINK,		/* BPF_LINK_CREATE for perf events */
	EVBPF_FEAT_UPROBE_MULTI_LINK,	/* BPF_TRACE_UPROBE_MULTI links */
	EVBPF_FEAT_KPROBE_MULTI_LINK,	/* BPF_TRACE_KPROBE_MULTI links */
	EVBPF_FEAT_MEMCG_ACCOUNT,	/* memory cgroup accounting of BPF memory */
	EVBPF_FEAT_SYSCALL_WRAPPER,	/* syscalls are __x64_sys_* wrappers */
	EVBPF_FEAT_TCX_LINK,		/* BPF_LINK_TYPE_TCX */
	EVBPF_FEAT_NETKIT_LINK,		/* BPF_LINK_TYPE_NETKIT */
	EVBPF_FEAT_BTF_QMARK_DATASEC,	/* '?' in DATASEC names */
	EVBPF_FEAT_ARG_CTX_TAG,		/* __arg_ctx decl tags on global funcs */
	EVBPF_FEAT_COMMON_ATTRS,	/* bpf(2) common attributes (command logs) */
	__EVBPF_FEAT_CNT,
};

/* True when the running kernel supports @feat. Probes once, then caches
 * (in the scope's cache while one is entered, see below). */
bool evbpf__feat_supported(enum evbpf__feat feat);

/*
 * A feature cache of its own, for an object that loads through a BPF token:
 * its probes pass @token_fd (not owned), since without the token they may
 * be refused where the object's own loads are allowed (a user namespace),
 * and what one token allows says nothing about the process at large.
 */
struct evbpf__feat_cache;
struct evbpf__feat_cache *evbpf__feat_cache_new(int token_fd);
void evbpf__feat_cache_free(struct evbpf__feat_cache *cache);
/* Makes evbpf__feat_supported() of this thread use @cache (NULL: the
 * process-wide one) until the matching leave; returns the cache to restore. */
struct evbpf__feat_cache *evbpf__feat_scope_enter(struct evbpf__feat_cache *cache);
void evbpf__feat_scope_leave(struct evbpf__feat_cache *prev);

/*
 * Prefix of this architecture's syscall entry wrappers ("__x64_" for
 * "__x64_sys_bpf"), or NULL where none is known. Whether the running
 * kernel uses them is EVBPF_FEAT_SYSCALL_WRAPPER.
 */
const char *evbpf__syscall_prefix(void);

/* Human-readable name of @feat, for log lines ("BTF_KIND_FLOAT", ...). */
const char *evbpf__feat_name(enum evbpf__feat feat);

#endif /* EVBPF_LIB_FEATURES_H */
