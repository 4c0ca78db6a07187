// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Program- and BTF-side wrappers of <bpf/bpf.h>: program load (with the
 * verifier log), BTF load, test runs, BPF_PROG_ATTACH/DETACH/QUERY, links,
 * raw tracepoints and iterators.
 */
#include "bpf/bpf.h"
#include "bpf_internal.h"
#include "features_internal.h"
#include "base/base_internal.h"

/* ---- program load ---- */

/* One BPF_PROG_LOAD, repeated while the kernel says EAGAIN (it does so
 * when it is short of memory for the verifier's state). */
static int prog_load_attempts(union evbpf__attr *attr, int attempts)
{
	int fd;

	do {
		fd = evbpf__sys_bpf_fd(BPF_PROG_LOAD, attr, sizeof(attr->prog_load));
	} while (fd == -EAGAIN && --attempts > 0);
	return fd;
}

LIBBPF_API int bpf_prog_load(enum bpf_prog_type prog_type,
			     const char *prog_name, const char *license,
			     const struct bpf_insn *insns, size_t insn_cnt,
			     struct bpf_prog_load_opts *opts)
{
	struct evbpf__attr_prog_load *a;
	union evbpf__attr attr;
	char *log_buf;
	__u32 log_size, log_level;
	int attempts, fd;

	if (!OPTS_VALID(opts, bpf_prog_load_opts, fd_array_cnt))
		return evbpf__err(-EINVAL);

	attempts = OPTS_GET(opts, attempts, 0);
	if (attempts < 0)
		return evbpf__err(-EINVAL);
	if (attempts == 0)
		attempts = EVBPF_PROG_LOAD_ATTEMPTS;
	if (!insns || !insn_cnt || insn_cnt > UINT32_MAX)
		return evbpf__err(-EINVAL);

	log_buf = OPTS_GET(opts, log_buf, NULL);
	log_size = OPTS_GET(opts, log_size, 0);
	log_level = OPTS_GET(opts, log_level, 0);
	if (!!log_buf != !!log_size)
		return evbpf__err(-EINVAL);
	if (log_level && !log_buf)
		return evbpf__err(-EINVAL);

	evbpf__bump_memlock();

	memset(&attr, 0, sizeof(attr));
	a = &attr.prog_load;
	a->prog_type = prog_type;
	a->insns = evbpf__ptr_to_u64(insns);
	a->insn_cnt = (__u32)insn_cnt;
	a->license = evbpf__ptr_to_u64(license);
	if (prog_name && evbpf__feat_supported(EVBPF_FEAT_PROG_NAME))
		evbpf__strlcpy(a->prog_name, prog_name, sizeof(a->prog_name));

	a->expected_attach_type = OPTS_GET(opts, expected_attach_type, 0);
	a->prog_btf_fd = OPTS_GET(opts, prog_btf_fd, 0);
	a->prog_flags = OPTS_GET(opts, prog_flags, 0);
	a->prog_ifindex = OPTS_GET(opts, prog_ifindex, 0);
	a->kern_version = OPTS_GET(opts, kern_version, 0);
	a->prog_token_fd = OPTS_GET(opts, token_fd, 0);

	a->attach_btf_id = OPTS_GET(opts, attach_btf_id, 0);
	if (OPTS_GET(opts, attach_prog_fd, 0) && OPTS_GET(opts, attach_btf_obj_fd, 0))
		return evbpf__err(-EINVAL);
	a->attach_prog_fd = OPTS_GET(opts, attach_prog_fd, 0);
	if (!a->attach_prog_fd)
		a->attach_prog_fd = OPTS_GET(opts, attach_btf_obj_fd, 0);

	a->fd_array = evbpf__ptr_to_u64(OPTS_GET(opts, fd_array, NULL));
	a->fd_array_cnt = OPTS_GET(opts, fd_array_cnt, 0);

	a->func_info = evbpf__ptr_to_u64(OPTS_GET(opts, func_info, NULL));
	a->func_info_cnt = OPTS_GET(opts, func_info_cnt, 0);
	a->func_info_rec_size = OPTS_GET(opts, func_info_rec_size, 0);
	a->line_info = evbpf__ptr_to_u64(OPTS_GET(opts, line_info, NULL));
	a->line_info_cnt = OPTS_GET(opts, line_info_cnt, 0);
	a->line_info_rec_size = OPTS_GET(opts, line_info_rec_size, 0);

	a->log_buf = evbpf__ptr_to_u64(log_buf);
	a->log_size = log_size;
	a->log_level = log_level;

	fd = prog_load_attempts(&attr, attempts);
	OPTS_SET(opts, log_true_size, a->log_true_size);
	if (fd >= 0)
		return fd;

	/* A buffer without a level means "explain failures": load again with
	 * the verifier's log turned on so the buffer says why. */
	if (log_level == 0 && log_buf) {
		log_buf[0] = '\0';
		a->log_level = 1;
		a->log_true_size = 0;
		fd = prog_load_attempts(&attr, attempts);
		OPTS_SET(opts, log_true_size, a->log_true_size);
	}
	return evbpf__err(fd);
}

/* ---- BTF load ---- */

LIBBPF_API int bpf_btf_load(const void *btf_data, size_t btf_size,
			    struct bpf_btf_load_opts *opts)
{
	struct evbpf__attr_btf_load *a;
	union evbpf__attr attr;
	char *log_buf;
	__u32 log_size, log_level;
	int fd;

	if (!OPTS_VALID(opts, bpf_btf_load_opts, token_fd))
		return evbpf__err(-EINVAL);
	if (!btf_data || !btf_size || btf_size > UINT32_MAX)
		return evbpf__err(-EINVAL);

	log_buf = OPTS_GET(opts, log_buf, NULL);
	log_size = OPTS_GET(opts, log_size, 0);
	log_level = OPTS_GET(opts, log_level, 0);
	if (!!log_buf != !!log_size)
		return evbpf__err(-EINVAL);
	if (log_level && !log_buf)
		return evbpf__err(-EINVAL);

	evbpf__bump_memlock();

	memset(&attr, 0, sizeof(attr));
	a = &attr.btf_load;
	a->btf = evbpf__ptr_to_u64(btf_data);
	a->btf_size = (__u32)btf_size;
	a->btf_flags = OPTS_GET(opts, btf_flags, 0);
	a->btf_token_fd = OPTS_GET(opts, token_fd, 0);
	a->btf_log_buf = evbpf__ptr_to_u64(log_buf);
	a->btf_log_size = log_size;
	a->btf_log_level = log_level;

	fd = evbpf__sys_bpf_fd(BPF_BTF_LOAD, &attr, sizeof(*a));
	OPTS_SET(opts, log_true_size, a->btf_log_true_size);
	if (fd < 0 && log_level == 0 && log_buf) {
		log_buf[0] = '\0';
		a->btf_log_level = 1;
		a->btf_log_true_size = 0;
		fd = evbpf__sys_bpf_fd(BPF_BTF_LOAD, &attr, sizeof(*a));
		OPTS_SET(opts, log_true_size, a->btf_log_true_size);
	}
	return evbpf__err(fd);
}

/* ---- test runs ---- */

LIBBPF_API int bpf_prog_test_run_opts(int prog_fd,
				      struct bpf_test_run_opts *opts)
{
	struct evbpf__attr_test_run *t;
	union evbpf__attr attr;
	int ret;

	if (!opts || !OPTS_VALID(opts, bpf_test_run_opts, batch_size))
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	t = &attr.test;
	t->prog_fd = prog_fd;
	t->batch_size = OPTS_GET(opts, batch_size, 0);
	t->cpu = OPTS_GET(opts, cpu, 0);
	t->flags = OPTS_GET(opts, flags, 0);
	t->repeat = OPTS_GET(opts, repeat, 0);
	t->duration = OPTS_GET(opts, duration, 0);
	t->ctx_size_in = OPTS_GET(opts, ctx_size_in, 0);
	t->ctx_size_out = OPTS_GET(opts, ctx_size_out, 0);
	t->data_size_in = OPTS_GET(opts, data_size_in, 0);
	t->data_size_out = OPTS_GET(opts, data_size_out, 0);
	t->ctx_in = evbpf__ptr_to_u64(OPTS_GET(opts, ctx_in, NULL));
	t->ctx_out = evbpf__ptr_to_u64(OPTS_GET(opts, ctx_out, NULL));
	t->data_in = evbpf__ptr_to_u64(OPTS_GET(opts, data_in, NULL));
	t->data_out = evbpf__ptr_to_u64(OPTS_GET(opts, data_out, NULL));

	ret = evbpf__sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(*t));

	OPTS_SET(opts, data_size_out, t->data_size_out);
	OPTS_SET(opts, ctx_size_out, t->ctx_size_out);
	OPTS_SET(opts, duration, t->duration);
	OPTS_SET(opts, retval, t->retval);
	return evbpf__err(ret);
}

/* ---- BPF_PROG_ATTACH / DETACH / QUERY ---- */

/* Sets the mprog ordering anchor (tcx, netkit, ...) in *@relative: a
 * relative fd or id, never both; an id is flagged with BPF_F_ID in *@flags.
 * *@relative is written only when an anchor is given (in BPF_LINK_CREATE it
 * shares storage with other fields). */
static int set_anchor(__u32 *relative, __u32 *flags, __u32 relative_fd,
		      __u32 relative_id)
{
	if (relative_fd && relative_id)
		return -EINVAL;
	if (relative_id) {
		*relative = relative_id;
		*flags |= BPF_F_ID;
	} else if (relative_fd) {
		*relative = relative_fd;
	}
	return 0;
}

/* Fills the attr shared by BPF_PROG_ATTACH and BPF_PROG_DETACH. */
static int prep_attach_attr(union evbpf__attr *attr, int prog_fd, int target,
			    enum bpf_attach_type type, __u32 flags,
			    int relative_fd, __u32 relative_id,
			    __u64 expected_revision)
{
	struct evbpf__attr_prog_attach *a = &attr->attach;

	memset(attr, 0, sizeof(*attr));
	a->target_fd = target;
	a->attach_bpf_fd = prog_fd;
	a->attach_type = type;
	a->attach_flags = flags;
	a->expected_revision = expected_revision;
	return set_anchor(&a->relative_fd, &a->attach_flags, relative_fd,
			  relative_id);
}

LIBBPF_API int bpf_prog_attach_opts(int prog_fd, int target,
				     enum bpf_attach_type type,
				     const struct bpf_prog_attach_opts *opts)
{
	union evbpf__attr attr;
	int err;

	if (!OPTS_VALID(opts, bpf_prog_attach_opts, expected_revision))
		return evbpf__err(-EINVAL);

	err = prep_attach_attr(&attr, prog_fd, target, type,
			       OPTS_GET(opts, flags, 0),
			       OPTS_GET(opts, relative_fd, 0),
			       OPTS_GET(opts, relative_id, 0),
			       OPTS_GET(opts, expected_revision, 0));
	if (err)
		return evbpf__err(err);
	attr.attach.replace_bpf_fd = OPTS_GET(opts, replace_fd, 0);

	return evbpf__err(evbpf__sys_bpf(BPF_PROG_ATTACH, &attr, sizeof(attr.attach)));
}

LIBBPF_API int bpf_prog_attach(int prog_fd, int attachable_fd,
			       enum bpf_attach_type type, unsigned int flags)
{
	LIBBPF_OPTS(bpf_prog_attach_opts, opts, .flags = flags);

	return bpf_prog_attach_opts(prog_fd, attachable_fd, type, &opts);
}

LIBBPF_API int bpf_prog_detach_opts(int prog_fd, int target,
				    enum bpf_attach_type type,
				    const struct bpf_prog_detach_opts *opts)
{
	union evbpf__attr attr;
	int err;

	if (!OPTS_VALID(opts, bpf_prog_detach_opts, expected_revision))
		return evbpf__err(-EINVAL);

	err = prep_attach_attr(&attr, prog_fd, target, type,
			       OPTS_GET(opts, flags, 0),
			       OPTS_GET(opts, relative_fd, 0),
			       OPTS_GET(opts, relative_id, 0),
			       OPTS_GET(opts, expected_revision, 0));
	if (err)
		return evbpf__err(err);

	return evbpf__err(evbpf__sys_bpf(BPF_PROG_DETACH, &attr, sizeof(attr.attach)));
}

LIBBPF_API int bpf_prog_detach(int attachable_fd, enum bpf_attach_type type)
{
	return bpf_prog_detach_opts(0, attachable_fd, type, NULL);
}

LIBBPF_API int bpf_prog_detach2(int prog_fd, int attachable_fd,
				enum bpf_attach_type type)
{
	return bpf_prog_detach_opts(prog_fd, attachable_fd, type, NULL);
}

LIBBPF_API int bpf_prog_query_opts(int target, enum bpf_attach_type type,
				   struct bpf_prog_query_opts *opts)
{
	struct evbpf__attr_query *q;
	union evbpf__attr attr;
	int ret;

	if (!OPTS_VALID(opts, bpf_prog_query_opts, revision))
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	q = &attr.query;
	q->target_fd = target;
	q->attach_type = type;
	q->query_flags = OPTS_GET(opts, query_flags, 0);
	q->prog_cnt = OPTS_GET(opts, prog_cnt, 0);
	q->prog_ids = evbpf__ptr_to_u64(OPTS_GET(opts, prog_ids, NULL));
	q->prog_attach_flags = evbpf__ptr_to_u64(OPTS_GET(opts, prog_attach_flags, NULL));
	q->link_ids = evbpf__ptr_to_u64(OPTS_GET(opts, link_ids, NULL));
	q->link_attach_flags = evbpf__ptr_to_u64(OPTS_GET(opts, link_attach_flags, NULL));

	ret = evbpf__sys_bpf(BPF_PROG_QUERY, &attr, sizeof(*q));

	OPTS_SET(opts, attach_flags, q->attach_flags);
	OPTS_SET(opts, revision, q->revision);
	OPTS_SET(opts, prog_cnt, q->prog_cnt);
	return evbpf__err(ret);
}

LIBBPF_API int bpf_prog_query(int target_fd, enum bpf_attach_type type,
			      __u32 query_flags, __u32 *attach_flags,
			      __u32 *prog_ids, __u32 *prog_cnt)
{
	LIBBPF_OPTS(bpf_prog_query_opts, opts);
	int ret;

	if (!prog_cnt)
		return evbpf__err(-EINVAL);
	opts.query_flags = query_flags;
	opts.prog_ids = prog_ids;
	opts.prog_cnt = *prog_cnt;

	ret = bpf_prog_query_opts(target_fd, type, &opts);

	if (attach_flags)
		*attach_flags = opts.attach_flags;
	*prog_cnt = opts.prog_cnt;
	return evbpf__err(ret);
}

/* ---- links ---- */

/* True when no byte of the per-type union of @opts (nor anything after
 * it) is set. */
static bool link_union_zero(const struct bpf_link_create_opts *opts)
{
	size_t off = offsetof(struct bpf_link_create_opts, perf_event), end, i;

	if (!opts)
		return true;
	end = evbpf__min(opts->sz, sizeof(*opts));
	for (i = off; i < end; i++)
		if (((const char *)opts)[i])
			return false;
	return true;
}

static bool is_cgroup_type(enum bpf_attach_type t)
{
	switch ((int)t) {
	case BPF_CGROUP_INET_INGRESS:
	case BPF_CGROUP_INET_EGRESS:
	case BPF_CGROUP_INET_SOCK_CREATE:
	case BPF_CGROUP_SOCK_OPS:
	case BPF_CGROUP_DEVICE:
	case BPF_CGROUP_INET4_BIND ... BPF_CGROUP_UDP6_SENDMSG:
	case BPF_CGROUP_SYSCTL ... BPF_CGROUP_SETSOCKOPT:
	case BPF_CGROUP_INET4_GETPEERNAME ... BPF_CGROUP_INET6_GETSOCKNAME:
	case BPF_CGROUP_INET_SOCK_RELEASE:
	case BPF_LSM_CGROUP:
	case BPF_CGROUP_UNIX_CONNECT ... BPF_CGROUP_UNIX_GETSOCKNAME:
		return true;
	default:
		return false;
	}
}

static bool is_tracing_type(enum bpf_attach_type t)
{
	switch (t) {
	case BPF_TRACE_RAW_TP:
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_MODIFY_RETURN:
	case BPF_LSM_MAC:
		return true;
	default:
		return false;
	}
}

LIBBPF_API int bpf_link_create(int prog_fd, int target_fd,
			       enum bpf_attach_type attach_type,
			       const struct bpf_link_create_opts *opts)
{
	struct evbpf__attr_link_create *l;
	union evbpf__attr attr;
	__u32 relative_fd = 0, relative_id = 0, iter_info_len, target_btf_id;
	int fd;

	if (!OPTS_VALID(opts, bpf_link_create_opts, uprobe_multi.pid))
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	l = &attr.link_create;
	l->prog_fd = prog_fd;
	l->target_fd = target_fd;
	l->attach_type = attach_type;
	l->flags = OPTS_GET(opts, flags, 0);

	iter_info_len = OPTS_GET(opts, iter_info_len, 0);
	target_btf_id = OPTS_GET(opts, target_btf_id, 0);
	if (iter_info_len && target_btf_id)
		return evbpf__err(-EINVAL);
	if (iter_info_len) {
		l->iter_info = evbpf__ptr_to_u64(OPTS_GET(opts, iter_info, NULL));
		l->iter_info_len = iter_info_len;
	} else if (target_btf_id) {
		l->target_btf_id = target_btf_id;
	}

	switch ((int)attach_type) {
	case BPF_PERF_EVENT:
		l->perf_event.bpf_cookie = OPTS_GET(opts, perf_event.bpf_cookie, 0);
		break;
	case BPF_TRACE_KPROBE_MULTI:
	case BPF_TRACE_KPROBE_SESSION:
		l->kprobe_multi.flags = OPTS_GET(opts, kprobe_multi.flags, 0);
		l->kprobe_multi.cnt = OPTS_GET(opts, kprobe_multi.cnt, 0);
		l->kprobe_multi.syms = evbpf__ptr_to_u64(OPTS_GET(opts, kprobe_multi.syms, NULL));
		l->kprobe_multi.addrs = evbpf__ptr_to_u64(OPTS_GET(opts, kprobe_multi.addrs, NULL));
		l->kprobe_multi.cookies = evbpf__ptr_to_u64(OPTS_GET(opts, kprobe_multi.cookies, NULL));
		break;
	case BPF_TRACE_UPROBE_MULTI:
	case BPF_TRACE_UPROBE_SESSION:
		l->uprobe_multi.flags = OPTS_GET(opts, uprobe_multi.flags, 0);
		l->uprobe_multi.cnt = OPTS_GET(opts, uprobe_multi.cnt, 0);
		l->uprobe_multi.path = evbpf__ptr_to_u64(OPTS_GET(opts, uprobe_multi.path, NULL));
		l->uprobe_multi.offsets = evbpf__ptr_to_u64(OPTS_GET(opts, uprobe_multi.offsets, NULL));
		l->uprobe_multi.ref_ctr_offsets =
			evbpf__ptr_to_u64(OPTS_GET(opts, uprobe_multi.ref_ctr_offsets, NULL));
		l->uprobe_multi.cookies = evbpf__ptr_to_u64(OPTS_GET(opts, uprobe_multi.cookies, NULL));
		l->uprobe_multi.pid = OPTS_GET(opts, uprobe_multi.pid, 0);
		break;
	case BPF_TRACE_RAW_TP:
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_MODIFY_RETURN:
	case BPF_LSM_MAC:
		l->tracing.cookie = OPTS_GET(opts, tracing.cookie, 0);
		break;
	case BPF_TRACE_FENTRY_MULTI:
	case BPF_TRACE_FEXIT_MULTI:
	case BPF_TRACE_FSESSION_MULTI:
		l->tracing_multi.ids = evbpf__ptr_to_u64(OPTS_GET(opts, tracing_multi.ids, NULL));
		l->tracing_multi.cookies =
			evbpf__ptr_to_u64(OPTS_GET(opts, tracing_multi.cookies, NULL));
		l->tracing_multi.cnt = OPTS_GET(opts, tracing_multi.cnt, 0);
		break;
	case BPF_NETFILTER:
		l->netfilter.pf = OPTS_GET(opts, netfilter.pf, 0);
		l->netfilter.hooknum = OPTS_GET(opts, netfilter.hooknum, 0);
		l->netfilter.priority = OPTS_GET(opts, netfilter.priority, 0);
		l->netfilter.flags = OPTS_GET(opts, netfilter.flags, 0);
		break;
	case BPF_TCX_INGRESS:
	case BPF_TCX_EGRESS:
		relative_fd = OPTS_GET(opts, tcx.relative_fd, 0);
		relative_id = OPTS_GET(opts, tcx.relative_id, 0);
		l->mprog.expected_revision = OPTS_GET(opts, tcx.expected_revision, 0);
		break;
	case BPF_NETKIT_PRIMARY:
	case BPF_NETKIT_PEER:
		relative_fd = OPTS_GET(opts, netkit.relative_fd, 0);
		relative_id = OPTS_GET(opts, netkit.relative_id, 0);
		l->mprog.expected_revision = OPTS_GET(opts, netkit.expected_revision, 0);
		break;
	default:
		/* Other types take nothing from the union, except cgroup hooks,
		 * which accept ordering on new kernels. */
		if (link_union_zero(opts))
			break;
		if (!is_cgroup_type(attach_type) || iter_info_len || target_btf_id)
			return evbpf__err(-EINVAL);
		relative_fd = OPTS_GET(opts, cgroup.relative_fd, 0);
		relative_id = OPTS_GET(opts, cgroup.relative_id, 0);
		l->mprog.expected_revision = OPTS_GET(opts, cgroup.expected_revision, 0);
		break;
	}
	if (set_anchor(&l->mprog.relative_fd, &l->flags, relative_fd, relative_id))
		return evbpf__err(-EINVAL);

	fd = evbpf__sys_bpf_fd(BPF_LINK_CREATE, &attr, sizeof(*l));
	if (fd >= 0 || fd != -EINVAL)
		return evbpf__err(fd);

	/* Kernels before 5.x attach tracing programs only through
	 * BPF_RAW_TRACEPOINT_OPEN; fall back when nothing else was asked. */
	if (is_tracing_type(attach_type) && !target_fd && !target_btf_id &&
	    !l->flags && link_union_zero(opts))
		return bpf_raw_tracepoint_open(NULL, prog_fd);
	return evbpf__err(fd);
}

LIBBPF_API int bpf_link_detach(int link_fd)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_detach.link_fd = link_fd;
	return evbpf__err(evbpf__sys_bpf(BPF_LINK_DETACH, &attr, sizeof(attr.link_detach)));
}

LIBBPF_API int bpf_link_update(int link_fd, int new_prog_fd,
			       const struct bpf_link_update_opts *opts)
{
	union evbpf__attr attr;
	__u32 old_prog_fd, old_map_fd;

	if (!OPTS_VALID(opts, bpf_link_update_opts, old_map_fd))
		return evbpf__err(-EINVAL);
	old_prog_fd = OPTS_GET(opts, old_prog_fd, 0);
	old_map_fd = OPTS_GET(opts, old_map_fd, 0);
	if (old_prog_fd && old_map_fd)
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	attr.link_update.link_fd = link_fd;
	attr.link_update.new_prog_fd = new_prog_fd;
	attr.link_update.flags = OPTS_GET(opts, flags, 0);
	attr.link_update.old_prog_fd = old_prog_fd ? old_prog_fd : old_map_fd;

	return evbpf__err(evbpf__sys_bpf(BPF_LINK_UPDATE, &attr, sizeof(attr.link_update)));
}

LIBBPF_API int bpf_iter_create(int link_fd)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = link_fd;
	return evbpf__err(evbpf__sys_bpf_fd(BPF_ITER_CREATE, &attr,
					    sizeof(attr.iter_create)));
}

LIBBPF_API int bpf_raw_tracepoint_open_opts(int prog_fd, struct bpf_raw_tp_opts *opts)
{
	union evbpf__attr attr;

	if (!OPTS_VALID(opts, bpf_raw_tp_opts, cookie))
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	attr.raw_tp.prog_fd = prog_fd;
	attr.raw_tp.name = evbpf__ptr_to_u64(OPTS_GET(opts, tp_name, NULL));
	attr.raw_tp.cookie = OPTS_GET(opts, cookie, 0);
	/* kernels without cookies know only name and prog_fd */
	return evbpf__err(evbpf__sys_bpf_fd(BPF_RAW_TRACEPOINT_OPEN, &attr,
					    attr.raw_tp.cookie ? sizeof(attr.raw_tp) :
					    offsetofend(struct evbpf__attr_raw_tp, prog_fd)));
}

LIBBPF_API int bpf_raw_tracepoint_open(const char *name, int prog_fd)
{
	LIBBPF_OPTS(bpf_raw_tp_opts, opts, .tp_name = name);

	return bpf_raw_tracepoint_open_opts(prog_fd, &opts);
}
