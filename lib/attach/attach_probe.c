// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Perf-event based attachment: perf events opened by the caller, kprobes,
 * uprobes (through the kprobe/uprobe PMUs or the legacy tracefs files),
 * ksyscall, and the multi-probe links (kprobe.multi, uprobe.multi).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "attach_internal.h"
#include "sys/features_internal.h"

#define PERF_UPROBE_REF_CTR_SHIFT 32

/* ---- perf event links ---- */

struct perf_link {
	struct bpf_link link;
	int perf_fd;
	char *legacy_probe;	/* "group/name" to remove, or NULL */
	bool legacy_uprobe;
};

static void remove_legacy_probe(const char *probe, bool uprobe)
{
	char cmd[256];
	int ret;

	snprintf(cmd, sizeof(cmd), "-:%s", probe);
	ret = evbpf__tracefs_write(uprobe ? "uprobe_events" : "kprobe_events", cmd);
	if (ret < 0)
		pr_warn("failed to remove legacy %s '%s': %s",
			uprobe ? "uprobe" : "kprobe", probe, strerror(-ret));
}

static int perf_link_detach(struct bpf_link *link)
{
	struct perf_link *pl = (struct perf_link *)link;
	int ret = 0;

	if (pl->link.fd != pl->perf_fd && pl->link.fd >= 0)
		close(pl->link.fd);
	if (pl->perf_fd >= 0) {
		if (ioctl(pl->perf_fd, PERF_EVENT_IOC_DISABLE, 0) < 0)
			ret = -errno;
		close(pl->perf_fd);
	}
	/* The probe can only go once no perf event refers to it. */
	if (pl->legacy_probe)
		remove_legacy_probe(pl->legacy_probe, pl->legacy_uprobe);
	return ret;
}

static void perf_link_dealloc(struct bpf_link *link)
{
	struct perf_link *pl = (struct perf_link *)link;

	free(pl->legacy_probe);
	free(pl);
}

struct bpf_link *evbpf__perf_link(const struct bpf_program *prog, int pfd,
				  __u64 cookie, bool force_ioctl,
				  const char *legacy_probe, bool legacy_uprobe)
{
	char desc[128], err[EVBPF_ERRSTR_MAX];
	struct perf_link *pl;
	int prog_fd, ret;

	evbpf__prog_desc(prog, desc, sizeof(desc));
	prog_fd = evbpf__prog_fd_checked(prog);
	if (prog_fd < 0)
		return evbpf__err_ptr(prog_fd);
	if (pfd < 0) {
		pr_warn("%s: invalid perf event fd %d", desc, pfd);
		return evbpf__err_ptr(-EINVAL);
	}
	pl = (struct perf_link *)evbpf__link_alloc(sizeof(*pl), -1);
	if (!pl)
		return NULL;
	pl->link.detach = perf_link_detach;
	pl->link.dealloc = perf_link_dealloc;
	pl->perf_fd = pfd;
	pl->legacy_uprobe = legacy_uprobe;
	if (legacy_probe) {
		pl->legacy_probe = strdup(legacy_probe);
		if (!pl->legacy_probe) {
			free(pl);
			return evbpf__err_ptr(-ENOMEM);
		}
	}

	if (!force_ioctl && evbpf__feat_supported(EVBPF_FEAT_PERF_LINK)) {
		LIBBPF_OPTS(bpf_link_create_opts, lopts,
			    .perf_event.bpf_cookie = cookie);

		ret = bpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, &lopts);
		if (ret < 0) {
			ret = -errno;
			pr_warn("%s: failed to create a BPF link on perf event fd %d: %s",
				desc, pfd, evbpf__errstr(ret, err, sizeof(err)));
			goto fail;
		}
		pl->link.fd = ret;
	} else {
		if (cookie) {
			pr_warn("%s: BPF cookies need perf-event BPF links, %s",
				desc,
				force_ioctl ? "but this attach mode uses the perf ioctl"
					    : "which this kernel lacks");
			ret = -EOPNOTSUPP;
			goto fail;
		}
		if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0) {
			ret = -errno;
			pr_warn("%s: failed to attach to perf event fd %d: %s",
				desc, pfd,
				evbpf__errstr(ret, err, sizeof(err)));
			goto fail;
		}
		pl->link.fd = pfd;
	}
	if (ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		ret = -errno;
		pr_warn("%s: failed to enable perf event fd %d: %s",
			desc, pfd,
			evbpf__errstr(ret, err, sizeof(err)));
		goto fail;
	}
	return &pl->link;
fail:
	/* The caller keeps @pfd on failure. */
	if (pl->link.fd >= 0 && pl->link.fd != pfd)
		close(pl->link.fd);
	free(pl->legacy_probe);
	free(pl);
	return evbpf__err_ptr(ret);
}

struct bpf_link *
bpf_program__attach_perf_event_opts(const struct bpf_program *prog, int pfd,
				    const struct bpf_perf_event_opts *opts)
{
	if (!OPTS_VALID(opts, bpf_perf_event_opts, force_ioctl_attach))
		return evbpf__err_ptr(-EINVAL);
	return evbpf__perf_link(prog, pfd, OPTS_GET(opts, bpf_cookie, 0),
				OPTS_GET(opts, force_ioctl_attach, false), NULL,
				false);
}

struct bpf_link *
bpf_program__attach_perf_event(const struct bpf_program *prog, int pfd)
{
	return bpf_program__attach_perf_event_opts(prog, pfd, NULL);
}

static int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	int fd = (int)syscall(__NR_perf_event_open, attr, pid, cpu, -1,
			      PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* ---- creating kprobe / uprobe perf events ---- */

static atomic_uint probe_counter;

/* A tracefs event name unique to this process: evbpf_<pid>_<n>_<what>. */
static void legacy_probe_name(char *buf, size_t size, const char *what)
{
	size_t i, len;

	snprintf(buf, size, "evbpf_%d_%u_%s", (int)getpid(),
		 atomic_fetch_add(&probe_counter, 1), what);
	len = strlen(buf);
	for (i = 0; i < len; i++)
		if (!((buf[i] >= 'a' && buf[i] <= 'z') ||
		      (buf[i] >= 'A' && buf[i] <= 'Z') ||
		      (buf[i] >= '0' && buf[i] <= '9')))
			buf[i] = '_';
	/* tracefs limits event names to 64 bytes */
	if (len > 63)
		buf[63] = '\0';
}

/* One probe to create: a kernel function+offset or a file+offset. */
struct probe_req {
	bool uprobe;
	bool retprobe;
	const char *target;	/* kernel function, or binary path */
	size_t offset;
	size_t ref_ctr_offset;
	pid_t pid;		/* uprobes: -1 all, 0 self, else that pid */
};

/* Opens a probe event through the kprobe/uprobe PMU. */
static int pmu_probe_open(const struct probe_req *r)
{
	const char *pmu = r->uprobe ? "uprobe" : "kprobe";
	struct perf_event_attr attr;
	int type, bit;

	type = evbpf__pmu_type(pmu);
	if (type < 0)
		return type;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	if (r->retprobe) {
		bit = evbpf__pmu_retprobe_bit(pmu);
		if (bit < 0)
			return bit;
		attr.config |= 1ULL << bit;
	}
	if (r->uprobe)
		attr.config |= (__u64)r->ref_ctr_offset << PERF_UPROBE_REF_CTR_SHIFT;
	attr.config1 = evbpf__ptr_to_u64(r->target);	/* kprobe_func / uprobe_path */
	attr.config2 = r->offset;			/* probe_offset */
	return perf_event_open(&attr, r->pid < 0 ? -1 : r->pid,
			       r->pid == -1 ? 0 : -1);
}

/* Creates a probe in kprobe_events/uprobe_events and opens its tracepoint.
 * On success *@probe holds "group/name" (malloc'ed). */
static int legacy_probe_open(const struct probe_req *r, char **probe)
{
	const char *file = r->uprobe ? "uprobe_events" : "kprobe_events";
	const char *group = r->uprobe ? "evbpf_uprobes" : "evbpf_kprobes";
	struct perf_event_attr attr;
	char name[64], cmd[PATH_MAX + 256], ref[32] = "";
	const char *base = strrchr(r->target, '/');
	int id, fd, ret;

	legacy_probe_name(name, sizeof(name), base ? base + 1 : r->target);
	if (r->uprobe) {
		if (r->ref_ctr_offset)
			snprintf(ref, sizeof(ref), "(0x%zx)", r->ref_ctr_offset);
		snprintf(cmd, sizeof(cmd), "%c:%s/%s %s:0x%zx%s\n",
			 r->retprobe ? 'r' : 'p', group, name, r->target,
			 r->offset, ref);
	} else {
		snprintf(cmd, sizeof(cmd), "%c:%s/%s %s+%zu\n",
			 r->retprobe ? 'r' : 'p', group, name, r->target,
			 r->offset);
	}
	ret = evbpf__tracefs_write(file, cmd);
	if (ret < 0)
		return ret;
	if (asprintf(probe, "%s/%s", group, name) < 0) {
		*probe = NULL;
		ret = -ENOMEM;
		goto remove;
	}
	id = evbpf__tracefs_event_id(group, name);
	if (id < 0) {
		ret = id;
		goto remove;
	}
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = id;
	fd = perf_event_open(&attr, r->pid < 0 ? -1 : r->pid,
			     r->pid == -1 ? 0 : -1);
	if (fd < 0) {
		ret = fd;
		goto remove;
	}
	return fd;
remove:
	snprintf(cmd, sizeof(cmd), "%s/%s", group, name);
	remove_legacy_probe(cmd, r->uprobe);
	free(*probe);
	*probe = NULL;
	return ret;
}

/* Creates the probe in @mode and attaches @prog to it. */
static struct bpf_link *attach_probe(const struct bpf_program *prog,
				     const struct probe_req *r,
				     enum probe_attach_mode mode, __u64 cookie)
{
	const char *kind = r->uprobe ? (r->retprobe ? "uretprobe" : "uprobe")
				     : (r->retprobe ? "kretprobe" : "kprobe");
	const char *events = r->uprobe ? "uprobe_events" : "kprobe_events";
	char desc[128], err[EVBPF_ERRSTR_MAX];
	bool has_pmu, has_legacy;
	struct bpf_link *link;
	char *probe = NULL;
	int pfd;

	evbpf__prog_desc(prog, desc, sizeof(desc));
	if (evbpf__prog_fd_checked(prog) < 0)
		return NULL;
	has_pmu = evbpf__pmu_type(r->uprobe ? "uprobe" : "kprobe") >= 0;
	has_legacy = evbpf__tracefs_root() && evbpf__tracefs_has(events);
	if (!has_pmu && !has_legacy) {
		pr_warn("%s: cannot attach %s to '%s': kernel has no %s support: no %s PMU and no %s",
			desc, kind, r->target, r->uprobe ? "uprobe" : "kprobe",
			r->uprobe ? "uprobe" : "kprobe", events);
		return evbpf__err_ptr(-EOPNOTSUPP);
	}
	if (mode == PROBE_ATTACH_MODE_DEFAULT)
		mode = has_pmu ? (evbpf__feat_supported(EVBPF_FEAT_PERF_LINK)
					  ? PROBE_ATTACH_MODE_LINK
					  : PROBE_ATTACH_MODE_PERF)
			       : PROBE_ATTACH_MODE_LEGACY;
	if ((mode == PROBE_ATTACH_MODE_LEGACY && !has_legacy) ||
	    (mode != PROBE_ATTACH_MODE_LEGACY && !has_pmu)) {
		pr_warn("%s: cannot attach %s to '%s' in the requested mode: kernel has no %s",
			desc, kind, r->target,
			mode == PROBE_ATTACH_MODE_LEGACY ? events
			: r->uprobe ? "uprobe PMU" : "kprobe PMU");
		return evbpf__err_ptr(-EOPNOTSUPP);
	}
	if (mode == PROBE_ATTACH_MODE_LINK &&
	    !evbpf__feat_supported(EVBPF_FEAT_PERF_LINK)) {
		pr_warn("%s: kernel has no perf-event BPF links for %s", desc, kind);
		return evbpf__err_ptr(-EOPNOTSUPP);
	}
	if (mode == PROBE_ATTACH_MODE_LEGACY)
		pfd = legacy_probe_open(r, &probe);
	else
		pfd = pmu_probe_open(r);
	if (pfd < 0) {
		if (r->uprobe)
			pr_warn("%s: failed to create %s at %s:0x%zx: %s", desc,
				kind, r->target, r->offset,
				evbpf__errstr(pfd, err, sizeof(err)));
		else
			pr_warn("%s: failed to create %s at %s+%zu: %s", desc,
				kind, r->target, r->offset,
				evbpf__errstr(pfd, err, sizeof(err)));
		return evbpf__err_ptr(pfd);
	}
	link = evbpf__perf_link(prog, pfd, cookie,
				mode == PROBE_ATTACH_MODE_PERF, probe, r->uprobe);
	if (!link) {
		int ret = -errno;

		close(pfd);
		if (probe)
			remove_legacy_probe(probe, r->uprobe);
		free(probe);
		return evbpf__err_ptr(ret);
	}
	free(probe);
	return link;
}

/* ---- kprobes ---- */

struct bpf_link *
bpf_program__attach_kprobe_opts(const struct bpf_program *prog,
				const char *func_name,
				const struct bpf_kprobe_opts *opts)
{
	struct probe_req r = { .pid = -1 };
	enum probe_attach_mode mode;

	if (!OPTS_VALID(opts, bpf_kprobe_opts, attach_mode))
		return evbpf__err_ptr(-EINVAL);
	if (!func_name || !*func_name)
		return evbpf__err_ptr(-EINVAL);
	r.target = func_name;
	r.offset = OPTS_GET(opts, offset, 0);
	r.retprobe = OPTS_GET(opts, retprobe, false);
	mode = OPTS_GET(opts, attach_mode, PROBE_ATTACH_MODE_DEFAULT);
	return attach_probe(prog, &r, mode, OPTS_GET(opts, bpf_cookie, 0));
}

struct bpf_link *
bpf_program__attach_kprobe(const struct bpf_program *prog, bool retprobe,
			   const char *func_name)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = retprobe);

	return bpf_program__attach_kprobe_opts(prog, func_name, &opts);
}

static const char *syscall_prefix(void)
{
#if defined(__x86_64__)
	return "__x64_sys_";
#elif defined(__aarch64__)
	return "__arm64_sys_";
#elif defined(__s390x__)
	return "__s390x_sys_";
#elif defined(__riscv)
	return "__riscv_sys_";
#elif defined(__i386__)
	return "__ia32_sys_";
#else
	return "__se_sys_";
#endif
}

struct bpf_link *
bpf_program__attach_ksyscall(const struct bpf_program *prog,
			     const char *syscall_name,
			     const struct bpf_ksyscall_opts *opts)
{
	LIBBPF_OPTS(bpf_kprobe_opts, kopts);
	char func[128];

	if (!OPTS_VALID(opts, bpf_ksyscall_opts, retprobe))
		return evbpf__err_ptr(-EINVAL);
	if (!syscall_name || !*syscall_name)
		return evbpf__err_ptr(-EINVAL);
	/* Kernels since 4.17 route syscalls through arch wrappers. */
	if (evbpf__feat_supported(EVBPF_FEAT_SYSCALL_WRAPPER))
		snprintf(func, sizeof(func), "%s%s", syscall_prefix(), syscall_name);
	else
		snprintf(func, sizeof(func), "sys_%s", syscall_name);
	kopts.retprobe = OPTS_GET(opts, retprobe, false);
	kopts.bpf_cookie = OPTS_GET(opts, bpf_cookie, 0);
	return bpf_program__attach_kprobe_opts(prog, func, &kopts);
}

/* Adds a copy of @name to the growing array *@names. */
static int push_name(char ***names, size_t *n, size_t *cap, const char *name)
{
	char **tmp;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		tmp = realloc(*names, *cap * sizeof(**names));
		if (!tmp)
			return -ENOMEM;
		*names = tmp;
	}
	(*names)[*n] = strdup(name);
	if (!(*names)[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/*
 * Kernel functions matching @pattern: from tracefs available_filter_functions
 * ("name [module]" lines) when readable, else the text symbols of
 * /proc/kallsyms ("addr t name [module]").
 */
static int kernel_funcs_matching(const char *pattern, char ***out, size_t *cnt)
{
	char line[512], name[256], type;
	char **names = NULL;
	size_t n = 0, cap = 0;
	bool kallsyms = false;
	FILE *f = NULL;
	int fd, ret = 0;

	fd = evbpf__tracefs_open("available_filter_functions", O_RDONLY);
	if (fd >= 0) {
		f = fdopen(fd, "r");
		if (!f)
			close(fd);
	}
	/* ftrace may be there but unreadable (lockdown): use kallsyms */
	if (f && !fgets(line, sizeof(line), f) && ferror(f)) {
		fclose(f);
		f = NULL;
	} else if (f) {
		rewind(f);
	}
	if (!f) {
		f = fopen("/proc/kallsyms", "re");
		kallsyms = true;
	}
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (kallsyms) {
			if (sscanf(line, "%*s %c %255s", &type, name) != 2 ||
			    (type != 't' && type != 'T'))
				continue;
		} else if (sscanf(line, "%255s", name) != 1) {
			continue;
		}
		if (!evbpf__glob_match(name, pattern))
			continue;
		ret = push_name(&names, &n, &cap, name);
		if (ret < 0)
			break;
	}
	if (!ret && ferror(f))
		ret = -EIO;
	fclose(f);
	if (ret < 0) {
		evbpf__elf_syms_free(names, n);
		return ret;
	}
	*out = names;
	*cnt = n;
	return 0;
}

struct bpf_link *
bpf_program__attach_kprobe_multi_opts(const struct bpf_program *prog,
				      const char *pattern,
				      const struct bpf_kprobe_multi_opts *opts)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	char desc[128], err[EVBPF_ERRSTR_MAX];
	const char **syms;
	char **found = NULL;
	size_t cnt, nfound = 0;
	bool retprobe, session;
	int prog_fd, fd, ret;

	if (!OPTS_VALID(opts, bpf_kprobe_multi_opts, session))
		return evbpf__err_ptr(-EINVAL);
	evbpf__prog_desc(prog, desc, sizeof(desc));
	prog_fd = evbpf__prog_fd_checked(prog);
	if (prog_fd < 0)
		return evbpf__err_ptr(prog_fd);
	syms = OPTS_GET(opts, syms, NULL);
	cnt = OPTS_GET(opts, cnt, 0);
	retprobe = OPTS_GET(opts, retprobe, false);
	session = OPTS_GET(opts, session, false);
	if ((!!pattern + !!syms + !!OPTS_GET(opts, addrs, NULL)) != 1 ||
	    (pattern && cnt) || (!pattern && !cnt) ||
	    (pattern && OPTS_GET(opts, cookies, NULL)) || (retprobe && session)) {
		pr_warn("%s: kprobe.multi needs exactly one of a pattern, syms or addrs (with cnt)",
			desc);
		return evbpf__err_ptr(-EINVAL);
	}
	if (pattern) {
		ret = kernel_funcs_matching(pattern, &found, &nfound);
		if (ret < 0) {
			pr_warn("%s: cannot list kernel functions for kprobe.multi pattern '%s': %s",
				desc, pattern, evbpf__errstr(ret, err, sizeof(err)));
			return evbpf__err_ptr(ret);
		}
		if (!nfound) {
			pr_warn("%s: no kernel function matches '%s'", desc, pattern);
			free(found);
			return evbpf__err_ptr(-ENOENT);
		}
		syms = (const char **)found;
		cnt = nfound;
	}
	lopts.kprobe_multi.syms = syms;
	lopts.kprobe_multi.addrs = OPTS_GET(opts, addrs, NULL);
	lopts.kprobe_multi.cookies = OPTS_GET(opts, cookies, NULL);
	lopts.kprobe_multi.cnt = (__u32)cnt;
	lopts.kprobe_multi.flags = retprobe ? BPF_F_KPROBE_MULTI_RETURN : 0;
	fd = bpf_link_create(prog_fd, 0,
			     session ? BPF_TRACE_KPROBE_SESSION : BPF_TRACE_KPROBE_MULTI,
			     &lopts);
	ret = fd < 0 ? -errno : 0;
	evbpf__elf_syms_free(found, nfound);
	if (fd < 0) {
		if (ret == -EOPNOTSUPP &&
		    evbpf__pmu_type("kprobe") < 0 && !evbpf__tracefs_has("kprobe_events"))
			pr_warn("%s: cannot create kprobe.multi link: kernel has no kprobe support: no kprobe PMU and no kprobe_events (%s)",
				desc, evbpf__errstr(ret, err, sizeof(err)));
		else
			pr_warn("%s: failed to create kprobe.multi link: %s",
				desc, evbpf__errstr(ret, err, sizeof(err)));
		return evbpf__err_ptr(ret);
	}
	return evbpf__link_from_fd(fd);
}

/* ---- uprobes ---- */

struct bpf_link *
bpf_program__attach_uprobe_opts(const struct bpf_program *prog, pid_t pid,
				const char *binary_path, size_t func_offset,
				const struct bpf_uprobe_opts *opts)
{
	struct probe_req r = { .uprobe = true };
	char path[PATH_MAX], desc[128];
	const char *func;
	long off;
	int ret;

	if (!OPTS_VALID(opts, bpf_uprobe_opts, attach_mode))
		return evbpf__err_ptr(-EINVAL);
	if (!binary_path)
		return evbpf__err_ptr(-EINVAL);
	evbpf__prog_desc(prog, desc, sizeof(desc));
	/* both lookups log their own line on failure */
	ret = evbpf__resolve_binary(binary_path, path, sizeof(path));
	if (ret < 0)
		return evbpf__err_ptr(ret);
	func = OPTS_GET(opts, func_name, NULL);
	if (func && *func) {
		off = evbpf__elf_func_offset(path, func);
		if (off < 0)
			return evbpf__err_ptr((int)off);
		func_offset += off;
	}
	r.target = path;
	r.offset = func_offset;
	r.retprobe = OPTS_GET(opts, retprobe, false);
	r.ref_ctr_offset = OPTS_GET(opts, ref_ctr_offset, 0);
	r.pid = pid;
	return attach_probe(prog, &r,
			    OPTS_GET(opts, attach_mode, PROBE_ATTACH_MODE_DEFAULT),
			    OPTS_GET(opts, bpf_cookie, 0));
}

struct bpf_link *
bpf_program__attach_uprobe(const struct bpf_program *prog, bool retprobe,
			   pid_t pid, const char *binary_path,
			   size_t func_offset)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = retprobe);

	return bpf_program__attach_uprobe_opts(prog, pid, binary_path,
					       func_offset, &opts);
}

struct bpf_link *
bpf_program__attach_uprobe_multi(const struct bpf_program *prog, pid_t pid,
				 const char *binary_path,
				 const char *func_pattern,
				 const struct bpf_uprobe_multi_opts *opts)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	char path[PATH_MAX], desc[128], err[EVBPF_ERRSTR_MAX];
	unsigned long *offs = NULL;
	const unsigned long *use_offs;
	const char **syms;
	char **names = NULL;
	size_t cnt, nnames = 0, i;
	bool retprobe, session;
	int prog_fd, fd, ret;

	if (!OPTS_VALID(opts, bpf_uprobe_multi_opts, session))
		return evbpf__err_ptr(-EINVAL);
	evbpf__prog_desc(prog, desc, sizeof(desc));
	prog_fd = evbpf__prog_fd_checked(prog);
	if (prog_fd < 0)
		return evbpf__err_ptr(prog_fd);
	syms = OPTS_GET(opts, syms, NULL);
	use_offs = OPTS_GET(opts, offsets, NULL);
	cnt = OPTS_GET(opts, cnt, 0);
	retprobe = OPTS_GET(opts, retprobe, false);
	session = OPTS_GET(opts, session, false);
	if (!binary_path || (!!func_pattern + !!syms + !!use_offs) != 1 ||
	    (func_pattern && cnt) || (!func_pattern && !cnt) ||
	    (retprobe && session)) {
		pr_warn("%s: uprobe.multi needs a binary and exactly one of a pattern, syms or offsets (with cnt)",
			desc);
		return evbpf__err_ptr(-EINVAL);
	}
	ret = evbpf__resolve_binary(binary_path, path, sizeof(path));
	if (ret < 0)
		return evbpf__err_ptr(ret);
	if (func_pattern) {
		ret = evbpf__elf_funcs_matching(path, func_pattern, &offs,
						&names, &nnames);
		if (ret < 0)
			return evbpf__err_ptr(ret);
		if (!nnames) {
			pr_warn("%s: no function of '%s' matches '%s'", desc,
				path, func_pattern);
			free(offs);
			free(names);
			return evbpf__err_ptr(-ENOENT);
		}
		cnt = nnames;
		use_offs = offs;
	} else if (syms) {
		offs = calloc(cnt, sizeof(*offs));
		if (!offs)
			return evbpf__err_ptr(-ENOMEM);
		for (i = 0; i < cnt; i++) {
			long off = evbpf__elf_func_offset(path, syms[i]);

			if (off < 0) {
				free(offs);
				return evbpf__err_ptr((int)off);
			}
			offs[i] = off;
		}
		use_offs = offs;
	}
	lopts.uprobe_multi.path = path;
	lopts.uprobe_multi.offsets = use_offs;
	lopts.uprobe_multi.ref_ctr_offsets = OPTS_GET(opts, ref_ctr_offsets, NULL);
	lopts.uprobe_multi.cookies = OPTS_GET(opts, cookies, NULL);
	lopts.uprobe_multi.cnt = (__u32)cnt;
	lopts.uprobe_multi.flags = retprobe ? BPF_F_UPROBE_MULTI_RETURN : 0;
	lopts.uprobe_multi.pid = pid < 0 ? 0 : (pid ? (__u32)pid : (__u32)getpid());
	fd = bpf_link_create(prog_fd, 0,
			     session ? BPF_TRACE_UPROBE_SESSION : BPF_TRACE_UPROBE_MULTI,
			     &lopts);
	ret = fd < 0 ? -errno : 0;
	free(offs);
	evbpf__elf_syms_free(names, nnames);
	if (fd < 0) {
		pr_warn("%s: failed to create uprobe.multi link on '%s': %s",
			desc, path, evbpf__errstr(ret, err, sizeof(err)));
		return evbpf__err_ptr(ret);
	}
	return evbpf__link_from_fd(fd);
}
