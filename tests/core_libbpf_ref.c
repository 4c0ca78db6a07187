// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reference helper for tests/test_core_libbpf.c, linked against the
 * system's libbpf (never evbpf): opens OBJ (with BTF as btf_custom_path
 * when given), lets libbpf apply its CO-RE relocations, and prints one line
 * per relocated instruction, "SECTION INSN VALUE" or "SECTION INSN poison",
 * taken from libbpf's debug log. Loading the programs may fail afterwards;
 * the relocations are done by then.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

static char logbuf[1 << 20];
static size_t loglen;

static int collect(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (loglen >= sizeof(logbuf) - 1)
		return 0;
	n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);
	if (n > 0)
		loglen += (size_t)n < sizeof(logbuf) - loglen ? (size_t)n : sizeof(logbuf) - 1 - loglen;
	return 0;
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct bpf_object *obj;
	char *line, *save = NULL;

	if (argc < 2)
		return 2;
	if (argc > 2)
		oo.btf_custom_path = argv[2];
	libbpf_set_print(collect);
	obj = bpf_object__open_file(argv[1], &oo);
	if (!obj)
		return 1;
	bpf_object__load(obj);
	for (line = strtok_r(logbuf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char prog[128];
		unsigned long long a, b;
		int relo, insn;
		const struct bpf_program *p;
		const char *rest;

		if (sscanf(line, "libbpf: prog '%127[^']': relo #%d: ", prog, &relo) != 2)
			continue;
		p = bpf_object__find_program_by_name(obj, prog);
		if (!p)
			continue;
		if ((rest = strstr(line, ": patched insn #")) &&
		    sscanf(rest, ": patched insn #%d", &insn) == 1) {
			const char *arrow = strstr(rest, " -> ");
			const char *val = strrchr(rest, ')');

			if (!arrow || !val || strstr(rest, "mem_sz"))
				continue;
			if (sscanf(val, ") %*s %llu -> %llu", &a, &b) != 2)
				continue;
			printf("%s %d %llu\n", bpf_program__section_name(p), insn, b);
		} else if ((rest = strstr(line, ": substituting insn #")) &&
			   sscanf(rest, ": substituting insn #%d", &insn) == 1) {
			printf("%s %d poison\n", bpf_program__section_name(p), insn);
		}
	}
	bpf_object__close(obj);
	return 0;
}
