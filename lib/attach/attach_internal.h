/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private declarations of the attach code: the bpf_link object, the helpers
 * the attach_*.c files share, tracefs, ELF symbol lookup and USDT. Never
 * installed.
 */
#ifndef EVBPF_LIB_ATTACH_INTERNAL_H
#define EVBPF_LIB_ATTACH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "bpf/bpf.h"
#include "bpf/libbpf.h"
#include "base/base_internal.h"

/*
 * A link. Every kind embeds this struct first. @detach undoes the
 * attachment (closing fds the kind owns; link.c closes @fd when @detach is
 * NULL); @dealloc frees the containing struct (NULL: free(link)).
 */
struct bpf_link {
	int fd;
	bool disconnected;
	char *pin_path;
	int (*detach)(struct bpf_link *link);
	void (*dealloc)(struct bpf_link *link);
};

/* A link of @size bytes (>= sizeof(struct bpf_link)), zeroed, owning @fd.
 * Returns NULL (errno set) on allocation failure; @fd is then untouched. */
struct bpf_link *evbpf__link_alloc(size_t size, int fd);

/* Wraps a kernel link fd in a new bpf_link; closes @fd on failure. */
struct bpf_link *evbpf__link_from_fd(int fd);

/* The program's fd, or -EINVAL with one log line when it is not loaded. */
int evbpf__prog_fd_checked(const struct bpf_program *prog);

/* "prog 'name'" for log lines, formatted into @buf. */
const char *evbpf__prog_desc(const struct bpf_program *prog, char *buf,
			     size_t size);

/* bpf_link_create() wrapped in a link; logs one line naming @what on error. */
struct bpf_link *evbpf__link_create(const struct bpf_program *prog,
				    int target, enum bpf_attach_type type,
				    const struct bpf_link_create_opts *opts,
				    const char *what);

/*
 * Auto-attach by section name. Returns 0 with *link set, 0 with *link NULL
 * when the section names no target (skeletons skip such programs), or
 * -errno (errno set) with one log line.
 */
int evbpf__prog_auto_attach(const struct bpf_program *prog,
			    struct bpf_link **link);

/* ---- perf-event based probes (attach_probe.c) ---- */

/* A link over a perf event fd: a BPF link on it, or PERF_EVENT_IOC_SET_BPF.
 * @legacy_probe: tracefs probe name to remove on detach (NULL: none),
 * @legacy_uprobe: whether that name is in uprobe_events (else kprobe_events). */
struct bpf_link *evbpf__perf_link(const struct bpf_program *prog, int pfd,
				  __u64 cookie, bool force_ioctl,
				  const char *legacy_probe, bool legacy_uprobe);

/* ---- tracefs.c ---- */

/* The tracefs root ("/sys/kernel/tracing" or the debugfs one), mounting
 * tracefs at /sys/kernel/tracing when neither is there. NULL if unavailable. */
const char *evbpf__tracefs_root(void);
/* Opens @rel below the tracefs root with @flags; -errno on failure. */
int evbpf__tracefs_open(const char *rel, int flags);
/* Appends @cmd to tracefs file @rel ("uprobe_events"); 0 or -errno. */
int evbpf__tracefs_write(const char *rel, const char *cmd);
/* Reads events/@category/@name/id; the id or -errno. */
int evbpf__tracefs_event_id(const char *category, const char *name);
/* True when tracefs has the file @rel. */
bool evbpf__tracefs_has(const char *rel);

/* Type number of PMU @pmu ("uprobe", "kprobe") in sysfs, or -errno. */
int evbpf__pmu_type(const char *pmu);
/* Bit of the "retprobe" format of PMU @pmu, or -errno. */
int evbpf__pmu_retprobe_bit(const char *pmu);

/* ---- elf_sym.c ---- */

/* Resolves @name the way the dynamic loader does: a path (contains '/')
 * is returned as is; "libc.so.6" is looked up in LD_LIBRARY_PATH,
 * /etc/ld.so.cache and the standard directories. 0 or -ENOENT. */
int evbpf__resolve_binary(const char *name, char *out, size_t size);

/* File offset of function @func ("name", "name@VER", "name@@VER") in ELF
 * @path, from .symtab then .dynsym. -ENOENT if absent, -ENOTUNIQ if several
 * differing definitions, other -errno on bad files. One log line on error. */
long evbpf__elf_func_offset(const char *path, const char *func);

/* Virtual address @addr of ELF @path as a file offset; -errno. */
long evbpf__elf_vaddr_to_offset(const char *path, unsigned long addr);
/* The same in the open libelf handle @elf: the offset through the PT_LOAD
 * segment containing @addr; -ENOENT when none does, or -errno. */
struct Elf;
long evbpf__elf_addr_to_offset(struct Elf *elf, __u64 addr);

/* Collects offsets of every defined function of @path matching glob
 * @pattern into *@offs and their names into *@names (malloc'ed arrays of
 * *@cnt entries, names strdup'ed; free with evbpf__elf_syms_free). */
int evbpf__elf_funcs_matching(const char *path, const char *pattern,
			      unsigned long **offs, char ***names, size_t *cnt);
void evbpf__elf_syms_free(char **names, size_t cnt);

/* Glob match with '*' and '?'. */
bool evbpf__glob_match(const char *str, const char *pat);

#endif /* EVBPF_LIB_ATTACH_INTERNAL_H */
