// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tracing attachment: perf tracepoints, raw tracepoints, BTF-typed tracing
 * programs (tp_btf, fentry, fexit, fmod_ret, lsm), multi-function tracing
 * links, freplace and iterators.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/btf.h>
#include <linux/perf_event.h>

#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "attach_internal.h"

struct bpf_link *
bpf_program__attach_tracepoint_opts(const struct bpf_program *prog,
				    const char *tp_category,
				    const char *tp_name,
				    const struct bpf_tracepoint_opts *opts)
{
	char desc[128], err[EVBPF_ERRSTR_MAX];
	struct perf_event_attr attr;
	struct bpf_link *link;
	int id, pfd;

	if (!OPTS_VALID(opts, bpf_tracepoint_opts, bpf_cookie))
		return evbpf__err_ptr(-EINVAL);
	if (!tp_category || !tp_name || !*tp_category || !*tp_name ||
	    strchr(tp_category, '/') || strchr(tp_name, '/'))
		return evbpf__err_ptr(-EINVAL);
	evbpf__prog_desc(prog, desc, sizeof(desc));
	if (evbpf__prog_fd_checked(prog) < 0)
		return NULL;
	id = evbpf__tracefs_event_id(tp_category, tp_name);
	if (id < 0) {
		pr_warn("%s: tracepoint '%s/%s' not found in tracefs: %s", desc,
			tp_category, tp_name, evbpf__errstr(id, err, sizeof(err)));
		return evbpf__err_ptr(id);
	}
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = id;
	pfd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1,
			   PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		pfd = -errno;
		pr_warn("%s: failed to open tracepoint '%s/%s': %s", desc,
			tp_category, tp_name, evbpf__errstr(pfd, err, sizeof(err)));
		return evbpf__err_ptr(pfd);
	}
	link = evbpf__perf_link(prog, pfd, OPTS_GET(opts, bpf_cookie, 0), false,
				false, NULL, false);
	if (!link) {
		int ret = -errno;

		close(pfd);
		return evbpf__err_ptr(ret);
	}
	return link;
}

struct bpf_link *
bpf_program__attach_tracepoint(const struct bpf_program *prog,
			       const char *tp_category, const char *tp_name)
{
	return bpf_program__attach_tracepoint_opts(prog, tp_category, tp_name,
						   NULL);
}

struct bpf_link *
bpf_program__attach_raw_tracepoint_opts(const struct bpf_program *prog,
					const char *tp_name,
					struct bpf_raw_tracepoint_opts *opts)
{
	LIBBPF_OPTS(bpf_raw_tp_opts, ropts);
	char desc[128], err[EVBPF_ERRSTR_MAX];
	int prog_fd, fd;

	if (!OPTS_VALID(opts, bpf_raw_tracepoint_opts, cookie))
		return evbpf__err_ptr(-EINVAL);
	if (!tp_name || !*tp_name)
		return evbpf__err_ptr(-EINVAL);
	prog_fd = evbpf__prog_fd_checked(prog);
	if (prog_fd < 0)
		return evbpf__err_ptr(prog_fd);
	ropts.tp_name = tp_name;
	ropts.cookie = OPTS_GET(opts, cookie, 0);
	fd = bpf_raw_tracepoint_open_opts(prog_fd, &ropts);
	if (fd < 0) {
		fd = -errno;
		pr_warn("%s: failed to attach to raw tracepoint '%s': %s",
			evbpf__prog_desc(prog, desc, sizeof(desc)), tp_name,
			evbpf__errstr(fd, err, sizeof(err)));
		return evbpf__err_ptr(fd);
	}
	return evbpf__link_from_fd(fd);
}

struct bpf_link *
bpf_program__attach_raw_tracepoint(const struct bpf_program *prog,
				   const char *tp_name)
{
	return bpf_program__attach_raw_tracepoint_opts(prog, tp_name, NULL);
}

/* BTF-typed programs: the target was fixed at load (attach_btf_id). */
static struct bpf_link *attach_btf_target(const struct bpf_program *prog,
					  __u64 cookie, const char *what)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts, .tracing.cookie = cookie);
	char desc[128], err[EVBPF_ERRSTR_MAX];
	int prog_fd, fd;

	prog_fd = evbpf__prog_fd_checked(prog);
	if (prog_fd < 0)
		return evbpf__err_ptr(prog_fd);
	fd = bpf_link_create(prog_fd, 0, bpf_program__expected_attach_type(prog),
			     &lopts);
	if (fd < 0 && !cookie && (errno == EINVAL || errno == EOPNOTSUPP))
		/* kernels before BPF_LINK_CREATE knew tracing programs */
		fd = bpf_raw_tracepoint_open(NULL, prog_fd);
	if (fd < 0) {
		fd = -errno;
		pr_warn("%s: failed to attach %s program: %s",
			evbpf__prog_desc(prog, desc, sizeof(desc)), what,
			evbpf__errstr(fd, err, sizeof(err)));
		return evbpf__err_ptr(fd);
	}
	return evbpf__link_from_fd(fd);
}

struct bpf_link *
bpf_program__attach_trace_opts(const struct bpf_program *prog,
			       const struct bpf_trace_opts *opts)
{
	if (!OPTS_VALID(opts, bpf_trace_opts, cookie))
		return evbpf__err_ptr(-EINVAL);
	return attach_btf_target(prog, OPTS_GET(opts, cookie, 0), "tracing");
}

struct bpf_link *bpf_program__attach_trace(const struct bpf_program *prog)
{
	return bpf_program__attach_trace_opts(prog, NULL);
}

struct bpf_link *bpf_program__attach_lsm(const struct bpf_program *prog)
{
	return attach_btf_target(prog, 0, "LSM");
}

static bool is_tracing_multi(enum bpf_attach_type type)
{
	return (int)type == BPF_TRACE_FENTRY_MULTI || (int)type == BPF_TRACE_FEXIT_MULTI ||
	       (int)type == BPF_TRACE_FSESSION_MULTI;
}

/* The vmlinux BTF ids of the functions whose name matches @pattern, in
 * *@ids (malloc'ed, *@cnt of them). */
static int match_kernel_funcs(const char *pattern, __u32 **ids, size_t *cnt)
{
	const struct btf *vmlinux;
	size_t n = 0, cap = 0;
	__u32 *out = NULL, id, nr;
	int err;

	vmlinux = evbpf__vmlinux_btf(&err);
	if (!vmlinux)
		return err;
	nr = btf__type_cnt(vmlinux);
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(vmlinux, id);

		if (!btf_is_func(t) ||
		    !evbpf__glob_match(btf__name_by_offset(vmlinux, t->name_off), pattern))
			continue;
		if (evbpf__ensure_mem((void **)&out, &cap, sizeof(*out), n + 1)) {
			free(out);
			return -ENOMEM;
		}
		out[n++] = id;
	}
	*ids = out;
	*cnt = n;
	return 0;
}

struct bpf_link *
bpf_program__attach_tracing_multi(const struct bpf_program *prog, const char *pattern,
				  const struct bpf_tracing_multi_opts *opts)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	const __u32 *ids = OPTS_GET(opts, ids, NULL);
	const __u64 *cookies = OPTS_GET(opts, cookies, NULL);
	size_t cnt = OPTS_GET(opts, cnt, 0);
	char desc[128], err[EVBPF_ERRSTR_MAX];
	__u32 *matched = NULL;
	int prog_fd, fd;

	if (!prog || !OPTS_VALID(opts, bpf_tracing_multi_opts, cnt))
		return evbpf__err_ptr(-EINVAL);
	evbpf__prog_desc(prog, desc, sizeof(desc));
	if (!!pattern == !!ids || (ids && !cnt) || (!ids && (cookies || cnt)) ||
	    cnt > UINT32_MAX) {
		pr_warn("%s: tracing_multi attach takes a pattern or opts.ids with opts.cnt "
			"(and cookies only with ids)", desc);
		return evbpf__err_ptr(-EINVAL);
	}
	if (!is_tracing_multi(bpf_program__expected_attach_type(prog))) {
		pr_warn("%s: section '%s' is no multi-function tracing program (fentry.multi, "
			"fexit.multi, fsession.multi)", desc, bpf_program__section_name(prog));
		return evbpf__err_ptr(-EINVAL);
	}
	prog_fd = evbpf__prog_fd_checked(prog);
	if (prog_fd < 0)
		return evbpf__err_ptr(prog_fd);
	if (pattern) {
		fd = match_kernel_funcs(pattern, &matched, &cnt);
		if (fd < 0) {
			pr_warn("%s: cannot match '%s' against the kernel's functions: %s", desc,
				pattern, evbpf__errstr(fd, err, sizeof(err)));
			return evbpf__err_ptr(fd);
		}
		if (!cnt) {
			pr_warn("%s: no kernel function matches '%s'", desc, pattern);
			free(matched);
			return evbpf__err_ptr(-ENOENT);
		}
		ids = matched;
	}
	lopts.tracing_multi.ids = ids;
	lopts.tracing_multi.cookies = cookies;
	lopts.tracing_multi.cnt = (__u32)cnt;
	fd = bpf_link_create(prog_fd, 0, bpf_program__expected_attach_type(prog), &lopts);
	free(matched);
	if (fd < 0) {
		fd = -errno;
		pr_warn("%s: kernel refused the tracing_multi link to %zu functions%s%s: %s", desc,
			cnt, pattern ? " matching " : "", pattern ? pattern : "",
			evbpf__errstr(fd, err, sizeof(err)));
		return evbpf__err_ptr(fd);
	}
	return evbpf__link_from_fd(fd);
}

/* BTF id of function @name in the BTF of loaded program @prog_fd. */
static int target_func_btf_id(int prog_fd, const char *name)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	struct btf *btf;
	int id;

	memset(&info, 0, sizeof(info));
	if (bpf_prog_get_info_by_fd(prog_fd, &info, &len) < 0)
		return -errno;
	if (!info.btf_id)
		return -EINVAL;
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		return -errno;
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	btf__free(btf);
	return id;
}

struct bpf_link *
bpf_program__attach_freplace(const struct bpf_program *prog, int target_fd,
			     const char *attach_func_name)
{
	char desc[128], err[EVBPF_ERRSTR_MAX];
	int btf_id;

	evbpf__prog_desc(prog, desc, sizeof(desc));
	if (!!target_fd != !!attach_func_name) {
		pr_warn("%s: freplace needs both a target fd and a function name, or neither",
			desc);
		return evbpf__err_ptr(-EINVAL);
	}
	if (bpf_program__type(prog) != BPF_PROG_TYPE_EXT) {
		pr_warn("%s: only freplace (BPF_PROG_TYPE_EXT) programs can replace functions",
			desc);
		return evbpf__err_ptr(-EINVAL);
	}
	if (!target_fd)
		return attach_btf_target(prog, 0, "freplace");
	btf_id = target_func_btf_id(target_fd, attach_func_name);
	if (btf_id < 0) {
		pr_warn("%s: function '%s' not found in the BTF of target program fd %d: %s",
			desc, attach_func_name, target_fd,
			evbpf__errstr(btf_id, err, sizeof(err)));
		return evbpf__err_ptr(btf_id);
	}
	{
		LIBBPF_OPTS(bpf_link_create_opts, lopts, .target_btf_id = btf_id);

		return evbpf__link_create(prog, target_fd,
					  bpf_program__expected_attach_type(prog),
					  &lopts, "freplace target");
	}
}

struct bpf_link *
bpf_program__attach_iter(const struct bpf_program *prog,
			 const struct bpf_iter_attach_opts *opts)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);

	if (!OPTS_VALID(opts, bpf_iter_attach_opts, link_info_len))
		return evbpf__err_ptr(-EINVAL);
	lopts.iter_info = OPTS_GET(opts, link_info, NULL);
	lopts.iter_info_len = OPTS_GET(opts, link_info_len, 0);
	return evbpf__link_create(prog, 0, BPF_TRACE_ITER, &lopts, "iterator");
}
