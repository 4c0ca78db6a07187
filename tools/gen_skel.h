/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * evbpf-gen's skeleton subcommands (tools/gen_skel.c). Each takes the
 * arguments after its name (argv[0] is the subcommand) and returns the
 * process exit code; the header goes to stdout, errors to stderr.
 */
#ifndef EVBPF_TOOLS_GEN_SKEL_H
#define EVBPF_TOOLS_GEN_SKEL_H

/* `skeleton OBJ [name NAME]` */
int evbpf_gen__skeleton(int argc, char **argv);

/* `subskeleton OBJ [name NAME]` */
int evbpf_gen__subskeleton(int argc, char **argv);

/* The bpf_helper_defs.h generated at build time (tools/helper_defs_text.c). */
extern const char evbpf_gen__helper_defs[];

#endif
