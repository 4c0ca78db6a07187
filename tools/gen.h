/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Subcommands of the evbpf-gen tool. Each takes the arguments after its
 * name (argv[0] is the subcommand name) and returns the process exit code.
 */
#ifndef EVBPF_TOOLS_GEN_H
#define EVBPF_TOOLS_GEN_H

/* `btf dump FILE [format c|raw]`: prints FILE's BTF (ELF object or raw BTF,
 * e.g. /sys/kernel/btf/vmlinux) as a C header (vmlinux.h) or as a listing. */
int evbpf_gen__btf(int argc, char **argv);
/* Base BTF for split BTF given before the command (`-B FILE btf dump ...`);
 * NULL when none. */
extern const char *evbpf_gen__base_btf;

/* `core explain OBJ [--btf PATH]` (tools/gen_core.c): what each CO-RE
 * relocation of OBJ resolves to on this kernel (or PATH's BTF), or why not. */
int evbpf_gen__core(int argc, char **argv);

/* `object OUT IN...` (tools/gen_object.c): links BPF objects IN into OUT. */
int evbpf_gen__object(int argc, char **argv);

#endif
