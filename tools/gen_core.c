// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `evbpf-gen core explain OBJ [--btf PATH]`: for every CO-RE relocation of
 * a compiled BPF object, what it resolves to against the running kernel's
 * BTF (or PATH), or why it does not. Nothing is loaded into the kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btf/btf_internal.h"
#include "core/core_internal.h"
#include "core/core_engine_internal.h"
#include "gen.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: evbpf-gen core explain OBJ [--btf PATH]\n"
		"  Lists each CO-RE relocation of the BPF object OBJ and what it\n"
		"  resolves to in the running kernel's BTF (or the BTF at PATH).\n");
}

/* Copies the instructions of section @name of @elf into a malloc'ed array. */
static struct bpf_insn *sec_insns(Elf *elf, const char *name, size_t *cnt)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		struct bpf_insn *insns;
		const char *sname;
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh))
			return NULL;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, name) || sh.sh_type != SHT_PROGBITS)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size % sizeof(*insns))
			return NULL;
		insns = malloc(d->d_size ? d->d_size : 1);
		if (!insns)
			return NULL;
		memcpy(insns, d->d_buf, d->d_size);
		*cnt = d->d_size / sizeof(*insns);
		return insns;
	}
	return NULL;
}

/* The library's last warning while evbpf_gen__parse_btf() runs. */
static char parse_why[256];

static int capture_warn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_WARN) {
		vsnprintf(parse_why, sizeof(parse_why), fmt, args);
		parse_why[strcspn(parse_why, "\n")] = '\0';
	}
	return 0;
}

struct btf *evbpf_gen__parse_btf(const char *path, struct btf_ext **ext, bool elf_only)
{
	libbpf_print_fn_t old;
	struct btf *btf;
	int err;

	parse_why[0] = '\0';
	old = libbpf_set_print(capture_warn);
	btf = elf_only ? btf__parse_elf(path, ext) : btf__parse(path, ext);
	err = btf ? 0 : errno;
	libbpf_set_print(old);
	if (!btf) {
		/* the library's line names the path too: keep what follows */
		const char *why = strstr(parse_why, path);

		why = why && !strncmp(why + strlen(path), ": ", 2) ? why + strlen(path) + 2
								   : parse_why;
		fprintf(stderr, "%s: cannot read BTF: %s\n", path, why[0] ? why : strerror(err));
		errno = err;
	}
	return btf;
}

int evbpf_gen__core_walk(const char *path, struct evbpf__core_opts *o, bool print,
			 bool need_ext)
{
	const struct evbpf__btf_ext_info *info;
	struct btf_ext *ext = NULL;
	struct evbpf__core *core = NULL;
	size_t done = 0, poisoned = 0, refused = 0;
	struct btf *btf;
	Elf *elf = NULL;
	int fd = -1, ret = 1;
	__u32 s;

	btf = evbpf_gen__parse_btf(path, &ext, true);
	if (!btf)
		return 1;
	if (!ext) {
		if (need_ext) {
			fprintf(stderr, "%s: no .BTF.ext section: not a CO-RE object\n", path);
		} else {
			printf("%s: no .BTF.ext, no CO-RE relocations\n", path);
			ret = 0;
		}
		goto out;
	}
	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	if (!elf) {
		fprintf(stderr, "%s: cannot open as ELF\n", path);
		goto out;
	}
	o->obj_name = path;
	o->local_btf = btf;
	o->btf_ext = ext;
	core = evbpf__core_new(o);
	if (!core) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		goto out;
	}

	info = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_CORE_RELO);
	for (s = 0; s < info->sec_cnt; s++) {
		const char *name = btf__name_by_offset(btf, info->secs[s].sec_name_off);
		size_t before = evbpf__core_result_cnt(core), cnt = 0, i;
		struct bpf_insn *insns;
		int err;

		if (!name) {
			if (!print)
				fprintf(stderr, "%s: CO-RE section name %u out of range\n", path,
					info->secs[s].sec_name_off);
			refused++;
			continue;
		}
		if (print)
			printf("section '%s': %u CO-RE relocations\n", name,
			       info->secs[s].num_info);
		insns = sec_insns(elf, name, &cnt);
		if (!insns) {
			if (print)
				printf("  cannot read the section's instructions\n");
			else
				fprintf(stderr, "%s: cannot read the instructions of section "
					"'%s'\n", path, name);
			refused++;
			continue;
		}
		err = evbpf__core_relocate(core, name, 0, insns, cnt);
		for (i = before; i < evbpf__core_result_cnt(core); i++) {
			const struct evbpf__core_result *r = evbpf__core_result(core, i);

			if (print)
				printf("  insn #%u: %s\n", r->insn_off / 8, r->text);
			done++;
			poisoned += r->poisoned;
		}
		if (err < 0) {
			if (print)
				printf("  REFUSED after %zu relocations: %s (the loader would "
				       "fail to load this section)\n",
				       evbpf__core_result_cnt(core) - before, strerror(-err));
			refused++;
		}
		free(insns);
	}
	if (print)
		printf("%zu relocations: %zu resolved, %zu poisoned (the verifier refuses "
		       "those if reached); %zu sections refused\n", done, done - poisoned,
		       poisoned, refused);
	ret = refused ? 1 : 0;
out:
	evbpf__core_free(core);
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	btf_ext__free(ext);
	btf__free(btf);
	return ret;
}

static int explain(const char *path, const char *btf_path)
{
	struct evbpf__core_opts o = { .btf_custom_path = btf_path };

	return evbpf_gen__core_walk(path, &o, true, false);
}

int evbpf_gen__core(int argc, char **argv)
{
	const char *obj = NULL, *btf_path = NULL;
	int i;

	if (argc < 2 || strcmp(argv[1], "explain")) {
		usage();
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--btf") && i + 1 < argc)
			btf_path = argv[++i];
		else if (!obj && argv[i][0] != '-')
			obj = argv[i];
		else {
			usage();
			return 2;
		}
	}
	if (!obj) {
		usage();
		return 2;
	}
	return explain(obj, btf_path);
}
