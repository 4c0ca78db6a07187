// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf-gen: code generation for evbpf users.
 *
 *   evbpf-gen skeleton OBJ [name NAME]      .skel.h for a BPF object
 *   evbpf-gen subskeleton OBJ [name NAME]   .subskel.h (library part)
 *   evbpf-gen btf dump FILE [format c|raw]  vmlinux.h / BTF listing
 *   evbpf-gen object OUT IN...              static linking of BPF objects
 *   evbpf-gen core explain OBJ [--btf PATH] CO-RE relocations (when built in)
 *   evbpf-gen helpers                       bpf_helper_defs.h of this build
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/libbpf.h"
#include "gen.h"
#include "gen_skel.h"

static int helpers(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: evbpf-gen helpers\n");
		return 2;
	}
	fputs(evbpf_gen__helper_defs, stdout);
	return fflush(stdout) ? 1 : 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "skeleton", evbpf_gen__skeleton },
	{ "subskeleton", evbpf_gen__subskeleton },
	{ "btf", evbpf_gen__btf },
	{ "object", evbpf_gen__object },
#ifdef EVBPF_GEN_HAVE_CORE
	{ "core", evbpf_gen__core },
#endif
	{ "helpers", helpers },
};

static int usage(FILE *f)
{
	fprintf(f,
		"usage: evbpf-gen skeleton OBJ [name NAME]\n"
		"       evbpf-gen subskeleton OBJ [name NAME]\n"
		"       evbpf-gen btf dump FILE [format c|raw]\n"
		"       evbpf-gen object OUTPUT_FILE INPUT_FILE...\n"
#ifdef EVBPF_GEN_HAVE_CORE
		"       evbpf-gen core explain OBJ [--btf PATH]\n"
#endif
		"       evbpf-gen helpers\n");
	return 2;
}

/* Library warnings go to stderr; info/debug only with EVBPF_GEN_VERBOSE. */
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_WARN && !getenv("EVBPF_GEN_VERBOSE"))
		return 0;
	return vfprintf(stderr, fmt, args);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout), 0;
	libbpf_set_print(print_fn);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "evbpf-gen: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
