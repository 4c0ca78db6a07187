// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf_program__attach(): attach by what the SEC() name says. Each section
 * prefix has a parser that pulls the target out of the rest of the name and
 * calls the explicit attach function. A section that names no target (a
 * bare SEC("kprobe"), an "xdp" program needing an ifindex) attaches to
 * nothing: the skeleton skips it, bpf_program__attach() fails -EOPNOTSUPP.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach_internal.h"
#include "object/object_internal.h"

typedef int (*auto_fn)(const struct bpf_program *prog, const char *sec,
		       const char *arg, struct bpf_link **link);

/* Result of an attach call as the auto-attach convention wants it. */
static int link_result(struct bpf_link *l, struct bpf_link **link)
{
	if (!l)
		return -errno;
	*link = l;
	return 0;
}

static int bad_section(const struct bpf_program *prog, const char *sec,
		       const char *why)
{
	char desc[128];

	pr_warn("%s: section '%s': %s",
		evbpf__prog_desc(prog, desc, sizeof(desc)), sec, why);
	return -EINVAL;
}

static int auto_tracepoint(const struct bpf_program *prog, const char *sec,
			   const char *arg, struct bpf_link **link)
{
	char cat[256];
	const char *slash = strchr(arg, '/');

	if (!slash || slash == arg || !slash[1] || slash - arg >= (long)sizeof(cat))
		return bad_section(prog, sec, "expected tracepoint/<category>/<name>");
	memcpy(cat, arg, slash - arg);
	cat[slash - arg] = '\0';
	return link_result(bpf_program__attach_tracepoint(prog, cat, slash + 1),
			   link);
}

static int auto_raw_tp(const struct bpf_program *prog, const char *sec,
		       const char *arg, struct bpf_link **link)
{
	return link_result(bpf_program__attach_raw_tracepoint(prog, arg), link);
}

static int auto_trace(const struct bpf_program *prog, const char *sec,
		      const char *arg, struct bpf_link **link)
{
	return link_result(bpf_program__attach_trace(prog), link);
}

static int auto_lsm(const struct bpf_program *prog, const char *sec,
		    const char *arg, struct bpf_link **link)
{
	return link_result(bpf_program__attach_lsm(prog), link);
}

static int auto_iter(const struct bpf_program *prog, const char *sec,
		     const char *arg, struct bpf_link **link)
{
	return link_result(bpf_program__attach_iter(prog, NULL), link);
}

/* "func" or "func+offset" */
static int split_offset(const char *arg, char *func, size_t size,
			unsigned long *off)
{
	const char *plus = strrchr(arg, '+');
	size_t len = plus ? (size_t)(plus - arg) : strlen(arg);
	char *end;

	*off = 0;
	if (!len || len >= size)
		return -EINVAL;
	memcpy(func, arg, len);
	func[len] = '\0';
	if (plus) {
		errno = 0;
		*off = strtoul(plus + 1, &end, 0);
		if (errno || end == plus + 1 || *end)
			return -EINVAL;
	}
	return 0;
}

static bool sec_is(const char *sec, const char *a, const char *b)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0;

	return (!strncmp(sec, a, la) && sec[la] == '/') ||
	       (b && !strncmp(sec, b, lb) && sec[lb] == '/');
}

static int auto_kprobe(const struct bpf_program *prog, const char *sec,
		       const char *arg, struct bpf_link **link)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts);
	unsigned long off;
	char func[256];

	if (split_offset(arg, func, sizeof(func), &off))
		return bad_section(prog, sec, "expected kprobe/<function>[+<offset>]");
	opts.retprobe = sec_is(sec, "kretprobe", NULL);
	if (opts.retprobe && off)
		return bad_section(prog, sec, "kretprobes take no offset");
	opts.offset = off;
	return link_result(bpf_program__attach_kprobe_opts(prog, func, &opts),
			   link);
}

static int auto_ksyscall(const struct bpf_program *prog, const char *sec,
			 const char *arg, struct bpf_link **link)
{
	LIBBPF_OPTS(bpf_ksyscall_opts, opts);

	opts.retprobe = sec_is(sec, "kretsyscall", NULL);
	return link_result(bpf_program__attach_ksyscall(prog, arg, &opts), link);
}

static int auto_kprobe_multi(const struct bpf_program *prog, const char *sec,
			     const char *arg, struct bpf_link **link)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts);

	opts.retprobe = sec_is(sec, "kretprobe.multi", NULL);
	opts.session = sec_is(sec, "kprobe.session", NULL);
	return link_result(bpf_program__attach_kprobe_multi_opts(prog, arg, &opts),
			   link);
}

static int auto_tracing_multi(const struct bpf_program *prog, const char *sec,
			      const char *arg, struct bpf_link **link)
{
	return link_result(bpf_program__attach_tracing_multi(prog, arg, NULL), link);
}

/* "path:rest": the binary path ends at the first ':'. */
static int split_path(const char *arg, char *path, size_t size,
		      const char **rest)
{
	const char *colon = strchr(arg, ':');

	if (!colon || colon == arg || (size_t)(colon - arg) >= size || !colon[1])
		return -EINVAL;
	memcpy(path, arg, colon - arg);
	path[colon - arg] = '\0';
	*rest = colon + 1;
	return 0;
}

static int auto_uprobe(const struct bpf_program *prog, const char *sec,
		       const char *arg, struct bpf_link **link)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts);
	char path[PATH_MAX], func[256];
	unsigned long off;
	const char *rest;

	if (split_path(arg, path, sizeof(path), &rest) ||
	    split_offset(rest, func, sizeof(func), &off))
		return bad_section(prog, sec,
				   "expected uprobe/<path>:<function>[+<offset>]");
	opts.retprobe = sec_is(sec, "uretprobe", "uretprobe.s");
	if (opts.retprobe && off)
		return bad_section(prog, sec, "uretprobes take no offset");
	/* a bare address: "uprobe/path:0x1234" */
	if (func[0] >= '0' && func[0] <= '9') {
		char *end;

		errno = 0;
		off += strtoul(func, &end, 0);
		if (errno || *end)
			return bad_section(prog, sec, "bad probe address");
	} else {
		opts.func_name = func;
	}
	return link_result(bpf_program__attach_uprobe_opts(prog, -1, path, off,
							   &opts),
			   link);
}

static int auto_uprobe_multi(const struct bpf_program *prog, const char *sec,
			     const char *arg, struct bpf_link **link)
{
	LIBBPF_OPTS(bpf_uprobe_multi_opts, opts);
	char path[PATH_MAX];
	const char *pattern;

	if (split_path(arg, path, sizeof(path), &pattern))
		return bad_section(prog, sec, "expected uprobe.multi/<path>:<pattern>");
	opts.retprobe = sec_is(sec, "uretprobe.multi", "uretprobe.multi.s");
	opts.session = sec_is(sec, "uprobe.session", "uprobe.session.s");
	return link_result(bpf_program__attach_uprobe_multi(prog, -1, path,
							    pattern, &opts),
			   link);
}

static int auto_usdt(const struct bpf_program *prog, const char *sec,
		     const char *arg, struct bpf_link **link)
{
	char path[PATH_MAX], provider[256];
	const char *rest, *colon;

	if (split_path(arg, path, sizeof(path), &rest) ||
	    !(colon = strchr(rest, ':')) || colon == rest || !colon[1] ||
	    (size_t)(colon - rest) >= sizeof(provider))
		return bad_section(prog, sec, "expected usdt/<path>:<provider>:<name>");
	memcpy(provider, rest, colon - rest);
	provider[colon - rest] = '\0';
	return link_result(bpf_program__attach_usdt(prog, -1, path, provider,
						    colon + 1, NULL),
			   link);
}

/*
 * Section prefixes with an auto-attach. "name" matches the bare section
 * (attaches to nothing) and "name/..." (the target follows the '/').
 */
static const struct {
	const char *prefix;
	auto_fn fn;
	bool needs_target;	/* a bare section attaches to nothing */
} auto_defs[] = {
	{ "tracepoint", auto_tracepoint, true },
	{ "tp", auto_tracepoint, true },
	{ "raw_tracepoint", auto_raw_tp, true },
	{ "raw_tp", auto_raw_tp, true },
	{ "raw_tracepoint.w", auto_raw_tp, true },
	{ "raw_tp.w", auto_raw_tp, true },
	{ "tp_btf", auto_trace, false },
	{ "fentry", auto_trace, false },
	{ "fentry.s", auto_trace, false },
	{ "fexit", auto_trace, false },
	{ "fexit.s", auto_trace, false },
	{ "fmod_ret", auto_trace, false },
	{ "fmod_ret.s", auto_trace, false },
	{ "freplace", auto_trace, false },
	{ "lsm", auto_lsm, false },
	{ "lsm.s", auto_lsm, false },
	{ "iter", auto_iter, false },
	{ "iter.s", auto_iter, false },
	{ "kprobe", auto_kprobe, true },
	{ "kretprobe", auto_kprobe, true },
	{ "ksyscall", auto_ksyscall, true },
	{ "kretsyscall", auto_ksyscall, true },
	{ "fentry.multi", auto_tracing_multi, true },
	{ "fexit.multi", auto_tracing_multi, true },
	{ "fsession.multi", auto_tracing_multi, true },
	{ "kprobe.multi", auto_kprobe_multi, true },
	{ "kretprobe.multi", auto_kprobe_multi, true },
	{ "kprobe.session", auto_kprobe_multi, true },
	{ "uprobe", auto_uprobe, true },
	{ "uprobe.s", auto_uprobe, true },
	{ "uretprobe", auto_uprobe, true },
	{ "uretprobe.s", auto_uprobe, true },
	{ "uprobe.multi", auto_uprobe_multi, true },
	{ "uprobe.multi.s", auto_uprobe_multi, true },
	{ "uretprobe.multi", auto_uprobe_multi, true },
	{ "uretprobe.multi.s", auto_uprobe_multi, true },
	{ "uprobe.session", auto_uprobe_multi, true },
	{ "uprobe.session.s", auto_uprobe_multi, true },
	{ "usdt", auto_usdt, true },
	{ "usdt.s", auto_usdt, true },
};

int evbpf__prog_auto_attach(const struct bpf_program *prog,
			    struct bpf_link **link)
{
	const char *sec, *arg;
	char desc[128];
	size_t i, len;
	int ret;

	if (!prog || !link)
		return evbpf__err(-EINVAL);
	*link = NULL;
	ret = evbpf__prog_handler_attach(prog, link);
	if (ret != -ENOENT)
		return evbpf__err(ret);
	*link = NULL;
	sec = bpf_program__section_name(prog);
	if (!sec)
		return evbpf__err(-EINVAL);
	for (i = 0; i < ARRAY_SIZE(auto_defs); i++) {
		len = strlen(auto_defs[i].prefix);
		if (strncmp(sec, auto_defs[i].prefix, len))
			continue;
		if (sec[len] == '\0') {
			if (!auto_defs[i].needs_target)
				return evbpf__err(auto_defs[i].fn(prog, sec, "", link));
			pr_debug("%s: section '%s' names no target: not attached",
				evbpf__prog_desc(prog, desc, sizeof(desc)), sec);
			return 0;
		}
		if (sec[len] != '/')
			continue;
		arg = sec + len + 1;
		if (!*arg && auto_defs[i].needs_target) {
			pr_debug("%s: section '%s' names no target: not attached",
				evbpf__prog_desc(prog, desc, sizeof(desc)), sec);
			return 0;
		}
		return evbpf__err(auto_defs[i].fn(prog, sec, arg, link));
	}
	pr_debug("%s: section '%s' cannot be attached automatically: not attached",
		evbpf__prog_desc(prog, desc, sizeof(desc)), sec);
	return 0;
}

struct bpf_link *bpf_program__attach(const struct bpf_program *prog)
{
	unsigned seq = evbpf__warn_seq();
	char desc[128], buf[EVBPF_ERRSTR_MAX];
	struct bpf_link *link = NULL;
	int ret;

	ret = evbpf__prog_auto_attach(prog, &link);
	if (ret < 0) {
		if (evbpf__warn_seq() == seq)
			pr_warn("%s: attach failed: %s", evbpf__prog_desc(prog, desc, sizeof(desc)),
				evbpf__errstr(ret, buf, sizeof(buf)));
		return evbpf__err_ptr(ret);
	}
	if (!link) {
		pr_warn("%s: section '%s' does not say where to attach; use an explicit bpf_program__attach_*() call",
			evbpf__prog_desc(prog, desc, sizeof(desc)),
			bpf_program__section_name(prog));
		return evbpf__err_ptr(-EOPNOTSUPP);
	}
	return link;
}
