// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the BTF and .BTF.ext parsers. Whatever btf__new()
 * accepts must also be safe to query, print as C, re-serialise and
 * deduplicate; the re-serialised bytes must parse again.
 *
 * Built with -fsanitize=fuzzer when meson option fuzz=true (clang). Built
 * without EVBPF_LIBFUZZER it gets a plain main() that runs the files and
 * folders named on the command line through the same entry point, so the
 * checked-in corpus (tests/corpus/btf) is exercised in every build.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bpf/btf.h"
#include "bpf/libbpf.h"
#include "btf/btf_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void discard(void *ctx, const char *fmt, va_list args)
{
	(void)ctx;
	(void)fmt;
	(void)args;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static void exercise(struct btf *btf)
{
	struct btf_dump *d;
	struct btf *again;
	const void *raw;
	__u32 id, n = btf__type_cnt(btf), raw_size;

	for (id = 0; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);

		(void)btf__resolve_size(btf, id);
		(void)btf__resolve_type(btf, id);
		(void)btf__align_of(btf, id);
		if (name && *name)
			(void)btf__find_by_name_kind(btf, name, btf_kind(t));
	}
	d = btf_dump__new(btf, discard, NULL, NULL);
	if (d) {
		for (id = 1; id < n; id++)
			(void)btf_dump__dump_type(d, id);
		btf_dump__free(d);
	}
	raw = btf__raw_data(btf, &raw_size);
	if (raw) {
		again = btf__new(raw, raw_size);
		if (!again)
			abort();	/* our own output must parse */
		/* merging types keeps BTF valid */
		if (btf__dedup(again, NULL) == 0) {
			raw = btf__raw_data(again, &raw_size);
			if (raw) {
				struct btf *third = btf__new(raw, raw_size);

				if (!third)
					abort();
				btf__free(third);
			}
		}
		btf__free(again);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_ext *ext;
	struct btf *btf;

	libbpf_set_print(quiet);
	if (size > UINT32_MAX)
		return 0;
	btf = btf__new(data, (__u32)size);
	if (btf)
		exercise(btf);
	ext = btf_ext__new(data, (__u32)size);
	if (ext && btf)
		(void)evbpf__btf_ext_validate(ext, btf, "fuzz");
	btf_ext__free(ext);
	btf__free(btf);
	return 0;
}

#ifndef EVBPF_LIBFUZZER
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (len == cap) {
			unsigned char *p = realloc(buf, cap ? cap * 2 : 4096);

			if (!p) {
				fclose(f);
				free(buf);
				return 1;
			}
			buf = p;
			cap = cap ? cap * 2 : 4096;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, files = 0, err = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent *de;
		DIR *dir;

		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			err |= run_file(argv[i]);
			files++;
			continue;
		}
		dir = opendir(argv[i]);
		while (dir && (de = readdir(dir))) {
			char path[4096];

			if (de->d_name[0] == '.' || strcmp(de->d_name, "README") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			err |= run_file(path);
			files++;
		}
		if (dir)
			closedir(dir);
	}
	printf("fuzz_btf: %d inputs, %s\n", files, err ? "errors" : "no crash");
	return err;
}
#endif
