// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf-gen: code generation for evbpf users.
 *
 *   evbpf-gen skeleton OBJ [name NAME]      .skel.h for a BPF object
 *   evbpf-gen skeleton -L OBJ [name NAME]   light skeleton (no library)
 *   evbpf-gen subskeleton OBJ [name NAME]   .subskel.h (library part)
 *   evbpf-gen btf dump BTF_SRC [format c|raw] [-B BASE]
 *                                           vmlinux.h / BTF listing of a file,
 *                                           kernel BTF id, prog or map
 *   evbpf-gen object OUT IN...              static linking of BPF objects
 *   evbpf-gen min_core_btf IN OUT OBJ...    the part of BTF IN that the CO-RE
 *                                           relocations of OBJ... need
 *   evbpf-gen core explain OBJ [--btf PATH] CO-RE relocations
 *   evbpf-gen helpers                       bpf_helper_defs.h of this build
 *   evbpf-gen --version
 *
 * bpftool's spelling works as well: `evbpf-gen gen skeleton ...`,
 * `evbpf-gen gen object ...`, options -d/--debug and -V/--version.
 */
#include <stdarg.h>
#include <stdbool.h>
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
	{ "min_core_btf", evbpf_gen__min_core_btf },
	{ "core", evbpf_gen__core },
	{ "helpers", helpers },
};

static int usage(FILE *f)
{
	fprintf(f,
		"usage: evbpf-gen skeleton OBJ [name NAME]\n"
		"       evbpf-gen skeleton -L OBJ [name NAME]\n"
		"       evbpf-gen subskeleton OBJ [name NAME]\n"
		"       evbpf-gen btf dump BTF_SRC [format c|raw] [-B BASE_FILE]\n"
		"       evbpf-gen object OUTPUT_FILE INPUT_FILE...\n"
		"       evbpf-gen min_core_btf INPUT OUTPUT OBJECT [OBJECT...]\n"
		"       evbpf-gen core explain OBJ [--btf PATH]\n"
		"       evbpf-gen helpers\n"
		"       evbpf-gen --version\n"
		"Options: -d/--debug (library debug messages), -V/--version,\n"
		"         -B/--base-btf FILE (base of split BTF for btf dump)\n");
	return 2;
}

static bool verbose;

/* Library warnings go to stderr; info/debug only with -d or
 * EVBPF_GEN_VERBOSE. */
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_WARN && !verbose && !getenv("EVBPF_GEN_VERBOSE"))
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int version(void)
{
	printf("evbpf-gen v%s\nusing evbpf with the libbpf API v%s\n", EVBPF_GEN_VERSION,
	       libbpf_version_string() + (libbpf_version_string()[0] == 'v'));
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	size_t i;

	/* global options before the command, as bpftool takes them */
	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
			return usage(stdout), 0;
		if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
			return version();
		if (!strcmp(argv[1], "-d") || !strcmp(argv[1], "--debug")) {
			verbose = true;
		} else if ((!strcmp(argv[1], "-B") || !strcmp(argv[1], "--base-btf")) && argc > 2) {
			evbpf_gen__base_btf = argv[2];
			argc--;
			argv++;
		} else {
			fprintf(stderr, "evbpf-gen: unknown option '%s'\n", argv[1]);
			return usage(stderr);
		}
		argc--;
		argv++;
	}
	if (argc > 1 && (!strcmp(argv[1], "version")))
		return version();
	/* `gen skeleton`, `gen object`, ...: bpftool's command group */
	if (argc > 2 && !strcmp(argv[1], "gen")) {
		argc--;
		argv++;
	}
	if (argc < 2)
		return usage(stderr);
	libbpf_set_print(print_fn);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "evbpf-gen: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
