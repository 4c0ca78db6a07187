/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Subcommands of the evbpf-gen tool. Each takes the arguments after its
 * name (argv[0] is the subcommand name) and returns the process exit code.
 */
#ifndef EVBPF_TOOLS_GEN_H
#define EVBPF_TOOLS_GEN_H

#include <stdbool.h>

/* `btf dump FILE [format c|raw]`: prints FILE's BTF (ELF object or raw BTF,
 * e.g. /sys/kernel/btf/vmlinux) as a C header (vmlinux.h) or as a listing. */
int evbpf_gen__btf(int argc, char **argv);
/* Base BTF for split BTF given before the command (`-B FILE btf dump ...`);
 * NULL when none. */
extern const char *evbpf_gen__base_btf;

/* `core explain OBJ [--btf PATH]` (tools/gen_core.c): what each CO-RE
 * relocation of OBJ resolves to on this kernel (or PATH's BTF), or why not. */
int evbpf_gen__core(int argc, char **argv);

struct btf;
struct btf_ext;
struct evbpf__core_opts;

/* btf__parse() (btf__parse_elf() when @elf_only) of @path; on failure one
 * line "PATH: cannot read BTF: REASON" on stderr (the library's own reason
 * when it logged one) and NULL + errno. */
struct btf *evbpf_gen__parse_btf(const char *path, struct btf_ext **ext, bool elf_only);

/* Runs the CO-RE relocations of every section of BPF object @path with @o
 * (whose obj_name, local_btf and btf_ext it fills in); prints each result
 * when @print. An object without .BTF.ext is refused when @need_ext. 0 when
 * every section relocated, else 1 with a message on stderr (or stdout when
 * printing). */
int evbpf_gen__core_walk(const char *path, struct evbpf__core_opts *o, bool print,
			 bool need_ext);

/* `min_core_btf INPUT OUTPUT OBJ...` (tools/gen_min_core.c): writes to
 * OUTPUT the raw BTF holding the part of INPUT the CO-RE relocations of the
 * objects resolve to. */
int evbpf_gen__min_core_btf(int argc, char **argv);

/* `object OUT IN...` (tools/gen_object.c): links BPF objects IN into OUT. */
int evbpf_gen__object(int argc, char **argv);

#endif
