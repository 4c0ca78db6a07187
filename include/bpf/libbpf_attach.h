/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Part of <bpf/libbpf.h>; see the list there.
 *
 * Attaching loaded programs to hooks, and the bpf_link objects that keep them
 * attached. Every attach call returns a new struct bpf_link the caller owns
 * and releases with bpf_link__destroy() (which detaches, unless the link was
 * pinned or disconnected), or NULL with errno set.
 */
#ifndef __LIBBPF_LIBBPF_ATTACH_H
#define __LIBBPF_LIBBPF_ATTACH_H

#include "libbpf_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- links ---- */

/**
 * @brief Opens the link pinned at @p path in a BPF file system.
 * @return a new link the caller owns (its pin path is @p path), or NULL with
 * errno set. Destroying it closes the fd; the pin stays.
 */
LIBBPF_API struct bpf_link *bpf_link__open(const char *path);
/** @brief The link's fd (owned by the link), or -1 for links without one. */
LIBBPF_API int bpf_link__fd(const struct bpf_link *link);
/** @brief Path the link is pinned at, or NULL; owned by the link. */
LIBBPF_API const char *bpf_link__pin_path(const struct bpf_link *link);
/**
 * @brief Pins @p link at @p path, which must be inside a BPF file system;
 * the link then outlives this process until unpinned.
 * @return 0, or -errno (errno set); -EBUSY when already pinned.
 */
LIBBPF_API int bpf_link__pin(struct bpf_link *link, const char *path);
/**
 * @brief Removes the pin made by bpf_link__pin() or found by bpf_link__open().
 * @return 0, or -errno (errno set); -EINVAL when not pinned.
 */
LIBBPF_API int bpf_link__unpin(struct bpf_link *link);
/**
 * @brief Replaces the program behind @p link by @p prog, atomically.
 * @return 0, or -errno (errno set).
 */
LIBBPF_API int bpf_link__update_program(struct bpf_link *link,
					struct bpf_program *prog);
/**
 * @brief Replaces the struct_ops map behind a struct_ops BPF @p link (from
 * bpf_map__attach_struct_ops() of a BPF_F_LINK map) by the loaded @p map.
 * @return 0, or -errno (errno set); -EINVAL for other links.
 */
LIBBPF_API int bpf_link__update_map(struct bpf_link *link,
				    const struct bpf_map *map);
/**
 * @brief Makes bpf_link__destroy() free @p link without detaching it: the
 * attachment stays as long as the kernel object lives (its fd stays open).
 */
LIBBPF_API void bpf_link__disconnect(struct bpf_link *link);
/**
 * @brief Asks the kernel to detach the link (BPF_LINK_DETACH) while the fd
 * and the struct stay valid.
 * @return 0, or -errno (errno set).
 */
LIBBPF_API int bpf_link__detach(struct bpf_link *link);
/**
 * @brief Detaches (unless disconnected) and frees @p link. NULL is allowed.
 * @return 0, or the -errno of the detach step (the link is freed anyway).
 */
LIBBPF_API int bpf_link__destroy(struct bpf_link *link);

/* ---- attach by section name ---- */

/**
 * @brief Attaches @p prog as its SEC() name says (tracepoint/, raw_tp/,
 * tp_btf/, fentry/, fexit/, fmod_ret/, lsm/, kprobe/, kretprobe/,
 * kprobe.multi/, ksyscall/, kretsyscall/, uprobe/, uretprobe/, uprobe.multi/,
 * usdt/, iter/, ...).
 * @return a new link the caller owns, or NULL with errno set; -EOPNOTSUPP
 * when the section does not name enough to attach (e.g. a bare "kprobe").
 */
LIBBPF_API struct bpf_link *
bpf_program__attach(const struct bpf_program *prog);

/* ---- perf events ---- */

struct bpf_perf_event_opts {
	size_t sz;
	/* value returned by bpf_get_attach_cookie() in the program */
	__u64 bpf_cookie;
	/* attach with PERF_EVENT_IOC_SET_BPF even when BPF links exist */
	bool force_ioctl_attach;
	/* leave the event as it is instead of enabling it (PERF_EVENT_IOC_ENABLE) */
	bool dont_enable;
	size_t :0;
};
#define bpf_perf_event_opts__last_field dont_enable

/**
 * @brief Attaches @p prog to the perf event @p pfd (opened by the caller)
 * and enables the event. The link takes ownership of @p pfd and closes it
 * on destroy.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_perf_event(const struct bpf_program *prog, int pfd);
/** @brief bpf_program__attach_perf_event() with a BPF cookie and options. */
LIBBPF_API struct bpf_link *
bpf_program__attach_perf_event_opts(const struct bpf_program *prog, int pfd,
				    const struct bpf_perf_event_opts *opts);

/* How a kprobe/uprobe is created: perf PMU with a BPF link, perf PMU with
 * an ioctl, or the legacy tracefs kprobe_events/uprobe_events file. */
enum probe_attach_mode {
	PROBE_ATTACH_MODE_DEFAULT = 0,
	PROBE_ATTACH_MODE_LEGACY,
	PROBE_ATTACH_MODE_PERF,
	PROBE_ATTACH_MODE_LINK,
};

/* ---- kprobes ---- */

struct bpf_kprobe_opts {
	size_t sz;
	/* value returned by bpf_get_attach_cookie() */
	__u64 bpf_cookie;
	/* offset inside the function */
	size_t offset;
	/* probe the function's return instead of its entry */
	bool retprobe;
	enum probe_attach_mode attach_mode;
	size_t :0;
};
#define bpf_kprobe_opts__last_field attach_mode

/**
 * @brief Attaches @p prog to the entry (or return) of kernel function
 * @p func_name. Fails with -EOPNOTSUPP when the kernel has no kprobes.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_kprobe(const struct bpf_program *prog, bool retprobe,
			   const char *func_name);
/** @brief bpf_program__attach_kprobe() with cookie, offset and mode. */
LIBBPF_API struct bpf_link *
bpf_program__attach_kprobe_opts(const struct bpf_program *prog,
				const char *func_name,
				const struct bpf_kprobe_opts *opts);

struct bpf_kprobe_multi_opts {
	size_t sz;
	/* function names to attach to (or addrs, or a pattern argument) */
	const char **syms;
	const unsigned long *addrs;
	/* one bpf_get_attach_cookie() value per function, optional */
	const __u64 *cookies;
	/* entries in syms/addrs/cookies */
	size_t cnt;
	bool retprobe;
	/* entry+return session program */
	bool session;
	/* with a pattern: fail (-EINVAL) unless it matches exactly one function */
	bool unique_match;
	size_t :0;
};
#define bpf_kprobe_multi_opts__last_field unique_match

/**
 * @brief Attaches @p prog to many kernel functions at once: every function
 * of available_filter_functions matching glob @p pattern, or those of
 * @p opts (syms or addrs). Needs the kernel's kprobe.multi links.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_kprobe_multi_opts(const struct bpf_program *prog,
				      const char *pattern,
				      const struct bpf_kprobe_multi_opts *opts);

struct bpf_tracing_multi_opts {
	size_t sz; /* sizeof(struct bpf_tracing_multi_opts) */
	/* kernel BTF ids of the functions (instead of a pattern) */
	const __u32 *ids;
	/* per function, for bpf_get_attach_cookie(); needs ids */
	const __u64 *cookies;
	size_t cnt;
	size_t :0;
};
#define bpf_tracing_multi_opts__last_field cnt

/**
 * @brief Attaches a multi-function tracing program (SEC("fentry.multi"),
 * "fexit.multi", "fsession.multi") to every kernel function whose name
 * matches the glob @p pattern ('*' and '?'), or to the functions whose
 * vmlinux BTF ids @p opts gives (with optional cookies) -- one of the two.
 * One link covers all of them. Needs a kernel with tracing_multi links
 * (newer than 6.19); older kernels refuse such programs at load.
 * @return a new link, or NULL with errno set (-ENOENT: nothing matches).
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_tracing_multi(const struct bpf_program *prog, const char *pattern,
				  const struct bpf_tracing_multi_opts *opts);

struct bpf_ksyscall_opts {
	size_t sz;
	__u64 bpf_cookie;
	bool retprobe;
	size_t :0;
};
#define bpf_ksyscall_opts__last_field retprobe

/**
 * @brief Attaches @p prog as a kprobe to the kernel handler of syscall
 * @p syscall_name ("openat"), resolving the arch wrapper name.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_ksyscall(const struct bpf_program *prog,
			     const char *syscall_name,
			     const struct bpf_ksyscall_opts *opts);

/* ---- uprobes ---- */

struct bpf_uprobe_opts {
	size_t sz;
	/* file offset of the reference counter (USDT semaphore), or 0 */
	size_t ref_ctr_offset;
	__u64 bpf_cookie;
	/* probe the function's return instead of its entry */
	bool retprobe;
	/* function to probe: "name" or "name@VERSION"; func_offset then is an
	 * offset inside that function */
	const char *func_name;
	enum probe_attach_mode attach_mode;
	size_t :0;
};
#define bpf_uprobe_opts__last_field attach_mode

/**
 * @brief Attaches @p prog to file offset @p func_offset of @p binary_path
 * (a path, or a library name found the way the dynamic loader finds it).
 * @p pid: 0 this process, -1 every process, else that process.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_uprobe(const struct bpf_program *prog, bool retprobe,
			   pid_t pid, const char *binary_path,
			   size_t func_offset);
/** @brief bpf_program__attach_uprobe() with function name, cookie, mode. */
LIBBPF_API struct bpf_link *
bpf_program__attach_uprobe_opts(const struct bpf_program *prog, pid_t pid,
				const char *binary_path, size_t func_offset,
				const struct bpf_uprobe_opts *opts);

struct bpf_uprobe_multi_opts {
	size_t sz;
	/* function names, or file offsets, to attach to */
	const char **syms;
	const unsigned long *offsets;
	const unsigned long *ref_ctr_offsets;
	const __u64 *cookies;
	size_t cnt;
	bool retprobe;
	bool session;
	size_t :0;
};
#define bpf_uprobe_multi_opts__last_field session

/**
 * @brief Attaches @p prog to every function of @p binary_path matching glob
 * @p func_pattern (or to opts' syms/offsets) with one uprobe.multi link.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_uprobe_multi(const struct bpf_program *prog, pid_t pid,
				 const char *binary_path,
				 const char *func_pattern,
				 const struct bpf_uprobe_multi_opts *opts);

struct bpf_usdt_opts {
	size_t sz;
	/* value returned by bpf_usdt_cookie() in the program */
	__u64 usdt_cookie;
	size_t :0;
};
#define bpf_usdt_opts__last_field usdt_cookie

/**
 * @brief Attaches @p prog to every site of USDT probe
 * @p usdt_provider:@p usdt_name in @p binary_path, filling the
 * program's USDT spec map so usdt_arg() can fetch arguments.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_usdt(const struct bpf_program *prog,
			 pid_t pid, const char *binary_path,
			 const char *usdt_provider, const char *usdt_name,
			 const struct bpf_usdt_opts *opts);

/* ---- tracepoints and BTF-typed tracing ---- */

struct bpf_tracepoint_opts {
	size_t sz;
	__u64 bpf_cookie;
};
#define bpf_tracepoint_opts__last_field bpf_cookie

/**
 * @brief Attaches @p prog to tracepoint @p tp_category:@p tp_name
 * ("syscalls", "sys_enter_getpid").
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_tracepoint(const struct bpf_program *prog,
			       const char *tp_category,
			       const char *tp_name);
/** @brief bpf_program__attach_tracepoint() with a BPF cookie. */
LIBBPF_API struct bpf_link *
bpf_program__attach_tracepoint_opts(const struct bpf_program *prog,
				    const char *tp_category,
				    const char *tp_name,
				    const struct bpf_tracepoint_opts *opts);

struct bpf_raw_tracepoint_opts {
	size_t sz;
	__u64 cookie;
	size_t :0;
};
#define bpf_raw_tracepoint_opts__last_field cookie

/**
 * @brief Attaches @p prog to raw tracepoint @p tp_name ("sys_enter").
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_raw_tracepoint(const struct bpf_program *prog,
				   const char *tp_name);
/** @brief bpf_program__attach_raw_tracepoint() with a BPF cookie. */
LIBBPF_API struct bpf_link *
bpf_program__attach_raw_tracepoint_opts(const struct bpf_program *prog,
					const char *tp_name,
					struct bpf_raw_tracepoint_opts *opts);

struct bpf_trace_opts {
	size_t sz;
	__u64 cookie;
};
#define bpf_trace_opts__last_field cookie

/**
 * @brief Attaches a tp_btf/fentry/fexit/fmod_ret/freplace/lsm program to
 * the target it was loaded for.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_trace(const struct bpf_program *prog);
/** @brief bpf_program__attach_trace() with a BPF cookie. */
LIBBPF_API struct bpf_link *
bpf_program__attach_trace_opts(const struct bpf_program *prog,
			       const struct bpf_trace_opts *opts);
/** @brief Attaches an lsm/ program to its LSM hook. */
LIBBPF_API struct bpf_link *
bpf_program__attach_lsm(const struct bpf_program *prog);

/**
 * @brief Attaches an freplace program in place of function
 * @p attach_func_name of the loaded program @p target_fd (both 0/NULL: the
 * target given at load).
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_freplace(const struct bpf_program *prog,
			     int target_fd, const char *attach_func_name);

struct bpf_iter_attach_opts {
	size_t sz;
	union bpf_iter_link_info *link_info;
	__u32 link_info_len;
};
#define bpf_iter_attach_opts__last_field link_info_len

/**
 * @brief Creates an iterator link for an iter/ program; read the output
 * through bpf_iter_create(bpf_link__fd(link)).
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_iter(const struct bpf_program *prog,
			 const struct bpf_iter_attach_opts *opts);

/* ---- cgroups, namespaces, networking ---- */

/**
 * @brief Attaches @p prog to the cgroup (v2 directory fd) @p cgroup_fd with
 * its expected attach type, as a multi-attach link.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_cgroup(const struct bpf_program *prog, int cgroup_fd);
/** @brief Attaches a flow_dissector/sk_lookup program to network namespace
 * @p netns_fd (an fd of /proc/PID/ns/net). */
LIBBPF_API struct bpf_link *
bpf_program__attach_netns(const struct bpf_program *prog, int netns_fd);
/** @brief Attaches an XDP program to interface @p ifindex as an XDP link. */
LIBBPF_API struct bpf_link *
bpf_program__attach_xdp(const struct bpf_program *prog, int ifindex);
/** @brief Attaches an sk_skb/sk_msg program to the sockmap @p map_fd with
 * its expected attach type, as a link. */
LIBBPF_API struct bpf_link *
bpf_program__attach_sockmap(const struct bpf_program *prog, int map_fd);

struct bpf_cgroup_opts {
	size_t sz;
	/* BPF_F_BEFORE / BPF_F_AFTER / BPF_F_ID / BPF_F_LINK, with the anchor
	 * (ordering of a cgroup hook's programs: kernels from 6.16 on) */
	__u32 flags;
	__u32 relative_fd;
	__u32 relative_id;
	/* fail with -ESTALE when the hook's revision differs, if non-zero */
	__u64 expected_revision;
	size_t :0;
};
#define bpf_cgroup_opts__last_field expected_revision

/**
 * @brief bpf_program__attach_cgroup() with the program's place among the
 * hook's programs (@p opts may be NULL).
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_cgroup_opts(const struct bpf_program *prog, int cgroup_fd,
				const struct bpf_cgroup_opts *opts);

struct bpf_tcx_opts {
	size_t sz;
	/* BPF_F_BEFORE / BPF_F_AFTER / BPF_F_ID / BPF_F_LINK, with the anchor */
	__u32 flags;
	__u32 relative_fd;
	__u32 relative_id;
	/* fail with -ESTALE when the hook's revision differs, if non-zero */
	__u64 expected_revision;
	size_t :0;
};
#define bpf_tcx_opts__last_field expected_revision

/**
 * @brief Attaches a tcx/ingress or tcx/egress program to @p ifindex.
 * @return a new link, or NULL with errno set.
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_tcx(const struct bpf_program *prog, int ifindex,
			const struct bpf_tcx_opts *opts);

struct bpf_netkit_opts {
	size_t sz;
	__u32 flags;
	__u32 relative_fd;
	__u32 relative_id;
	__u64 expected_revision;
	size_t :0;
};
#define bpf_netkit_opts__last_field expected_revision

/** @brief Attaches a netkit/primary or netkit/peer program to netkit
 * device @p ifindex. */
LIBBPF_API struct bpf_link *
bpf_program__attach_netkit(const struct bpf_program *prog, int ifindex,
			   const struct bpf_netkit_opts *opts);

struct bpf_netfilter_opts {
	size_t sz;
	__u32 pf;
	__u32 hooknum;
	__s32 priority;
	__u32 flags;
};
#define bpf_netfilter_opts__last_field flags

/** @brief Attaches a netfilter program to hook @p opts->hooknum of
 * protocol family @p opts->pf at @p opts->priority. */
LIBBPF_API struct bpf_link *
bpf_program__attach_netfilter(const struct bpf_program *prog,
			      const struct bpf_netfilter_opts *opts);

/**
 * @brief Registers the loaded struct_ops @p map with the kernel: stores its
 * value (programs as fds) and, for maps made with BPF_F_LINK
 * (SEC(".struct_ops.link")), creates a BPF link for the registration.
 * Destroying the link unregisters the ops.
 * @return a new link, or NULL with errno set; -EINVAL when @p map is not a
 * loaded struct_ops map.
 */
LIBBPF_API struct bpf_link *bpf_map__attach_struct_ops(const struct bpf_map *map);

/* ---- XDP through netlink ---- */

struct bpf_xdp_set_link_opts {
	size_t sz;
	int old_fd;
	size_t :0;
};
#define bpf_xdp_set_link_opts__last_field old_fd

struct bpf_xdp_attach_opts {
	size_t sz;
	/* with XDP_FLAGS_REPLACE: the program expected to be attached now */
	int old_prog_fd;
	size_t :0;
};
#define bpf_xdp_attach_opts__last_field old_prog_fd

struct bpf_xdp_query_opts {
	size_t sz;
	__u32 prog_id;		/* output */
	__u32 drv_prog_id;	/* output */
	__u32 hw_prog_id;	/* output */
	__u32 skb_prog_id;	/* output */
	__u8 attach_mode;	/* output: XDP_ATTACHED_* */
	__u64 feature_flags;	/* output: NETDEV_XDP_ACT_* (0 if the kernel
				 * has no "netdev" genetlink family) */
	__u32 xdp_zc_max_segs;	/* output */
	size_t :0;
};
#define bpf_xdp_query_opts__last_field xdp_zc_max_segs

/**
 * @brief Attaches @p prog_fd as the XDP program of @p ifindex through
 * rtnetlink; @p flags are XDP_FLAGS_* (mode, UPDATE_IF_NOEXIST, REPLACE).
 * @return 0, or -errno (errno set).
 */
LIBBPF_API int bpf_xdp_attach(int ifindex, int prog_fd, __u32 flags,
			      const struct bpf_xdp_attach_opts *opts);
/** @brief Removes the XDP program of @p ifindex in the mode of @p flags. */
LIBBPF_API int bpf_xdp_detach(int ifindex, __u32 flags,
			      const struct bpf_xdp_attach_opts *opts);
/** @brief Fills @p opts with the XDP programs attached to @p ifindex. */
LIBBPF_API int bpf_xdp_query(int ifindex, int flags, struct bpf_xdp_query_opts *opts);
/** @brief The id of the XDP program of @p ifindex for the mode in @p flags
 * (any mode if none given) in *@p prog_id, 0 if none. */
LIBBPF_API int bpf_xdp_query_id(int ifindex, int flags, __u32 *prog_id);

/* ---- TC (clsact qdisc + bpf filters) through netlink ---- */

enum bpf_tc_attach_point {
	BPF_TC_INGRESS = 1 << 0,
	BPF_TC_EGRESS  = 1 << 1,
	BPF_TC_CUSTOM  = 1 << 2,
	/* bpf_tc_hook_create/destroy: the qdisc named by bpf_tc_hook.qdisc */
	BPF_TC_QDISC   = 1 << 3,
};

#define BPF_TC_PARENT(a, b) \
	((((a) << 16) & 0xFFFF0000U) | ((b) & 0x0000FFFFU))

enum bpf_tc_flags {
	BPF_TC_F_REPLACE = 1 << 0,
};

struct bpf_tc_hook {
	size_t sz;
	int ifindex;
	enum bpf_tc_attach_point attach_point;
	/* with BPF_TC_CUSTOM: the parent qdisc/class handle; with
	 * BPF_TC_QDISC: where the qdisc goes (0: the root) */
	__u32 parent;
	/* with BPF_TC_QDISC: the qdisc's handle and kind ("fq", "pfifo", ...) */
	__u32 handle;
	const char *qdisc;
	size_t :0;
};
#define bpf_tc_hook__last_field qdisc

struct bpf_tc_opts {
	size_t sz;
	int prog_fd;
	__u32 flags;
	__u32 prog_id;
	__u32 handle;
	__u32 priority;
	size_t :0;
};
#define bpf_tc_opts__last_field priority

/**
 * @brief Creates the clsact qdisc of @p hook->ifindex (ingress/egress), or
 * with BPF_TC_QDISC the qdisc of kind hook->qdisc with hook->handle under
 * hook->parent.
 * @return 0, -EEXIST if it exists already, or another -errno (errno set).
 */
LIBBPF_API int bpf_tc_hook_create(struct bpf_tc_hook *hook);
/** @brief Removes the clsact qdisc (ingress|egress) and all its filters, or
 * just the filters of one direction when only one is given, or with
 * BPF_TC_QDISC the qdisc hook->handle under hook->parent. */
LIBBPF_API int bpf_tc_hook_destroy(struct bpf_tc_hook *hook);
/**
 * @brief Adds a direct-action bpf filter running @p opts->prog_fd at
 * @p hook, at @p opts->handle / @p opts->priority (0: kernel picks); fills
 * in handle, priority and prog_id.
 * @return 0, or -errno (errno set); -EEXIST without BPF_TC_F_REPLACE.
 */
LIBBPF_API int bpf_tc_attach(const struct bpf_tc_hook *hook,
			     struct bpf_tc_opts *opts);
/** @brief Removes the filter @p opts->handle / @p opts->priority. */
LIBBPF_API int bpf_tc_detach(const struct bpf_tc_hook *hook,
			     const struct bpf_tc_opts *opts);
/** @brief Fills @p opts->prog_id of filter @p opts->handle/priority. */
LIBBPF_API int bpf_tc_query(const struct bpf_tc_hook *hook,
			    struct bpf_tc_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LIBBPF_ATTACH_H */
