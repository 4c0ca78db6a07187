// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf's CO-RE results against the system libbpf's, relocation by
 * relocation: core_reloc.bpf.o against two custom target BTFs, and
 * core_task.bpf.o / core_kern.bpf.o against the running kernel. The libbpf
 * side runs in tests/core_libbpf_ref (a separate program: both libraries
 * export the same names) and reports "SECTION INSN VALUE|poison" lines;
 * evbpf's are built here from evbpf__core results. Both lists must be equal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/bpf.h>

#include <bpf/btf.h>
#include "btf/btf_internal.h"
#include "core/core_internal.h"
#include "evbpf_test.h"

#define MAX_LINES 512

struct lines {
	char *l[MAX_LINES];
	int n;
};

static void add_line(struct lines *ls, const char *s)
{
	assert_true(ls->n < MAX_LINES);
	ls->l[ls->n] = strdup(s);
	assert_non_null(ls->l[ls->n]);
	ls->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_lines(struct lines *ls)
{
	while (ls->n)
		free(ls->l[--ls->n]);
}

static struct bpf_insn *sec_insns(Elf *elf, const char *name, size_t *cnt)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		struct bpf_insn *insns;

		gelf_getshdr(scn, &sh);
		if (strcmp(elf_strptr(elf, shstrndx, sh.sh_name), name))
			continue;
		d = elf_getdata(scn, NULL);
		insns = malloc(d->d_size);
		assert_non_null(insns);
		memcpy(insns, d->d_buf, d->d_size);
		*cnt = d->d_size / sizeof(*insns);
		return insns;
	}
	fail_msg("no section %s", name);
	return NULL;
}

static void evbpf_lines(const char *obj, const char *btf_path, struct lines *out)
{
	struct evbpf__core_opts o = { .obj_name = obj, .btf_custom_path = btf_path };
	const struct evbpf__btf_ext_info *info;
	struct btf_ext *ext = NULL;
	struct evbpf__core *core;
	struct btf *btf;
	Elf *elf;
	__u32 s;
	int fd;

	btf = btf__parse_elf(obj, &ext);
	assert_non_null(btf);
	assert_non_null(ext);
	elf_version(EV_CURRENT);
	fd = open(obj, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	o.local_btf = btf;
	o.btf_ext = ext;
	core = evbpf__core_new(&o);
	assert_non_null(core);

	info = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_CORE_RELO);
	for (s = 0; s < info->sec_cnt; s++) {
		const char *name = btf__name_by_offset(btf, info->secs[s].sec_name_off);
		size_t cnt = 0, before = evbpf__core_result_cnt(core), i;
		struct bpf_insn *insns = sec_insns(elf, name, &cnt);
		struct bpf_insn *orig = malloc(cnt * sizeof(*orig));

		assert_non_null(orig);
		memcpy(orig, insns, cnt * sizeof(*orig));
		assert_true(evbpf__core_relocate(core, name, 0, insns, cnt) >= 0);
		for (i = before; i < evbpf__core_result_cnt(core); i++) {
			const struct evbpf__core_result *r = evbpf__core_result(core, i);
			__u32 idx = r->insn_off / 8;
			char line[256];

			if (r->poisoned) {
				snprintf(line, sizeof(line), "%s %u poison", name, idx);
				add_line(out, line);
				if (orig[idx].code == (BPF_LD | BPF_IMM | BPF_DW)) {
					snprintf(line, sizeof(line), "%s %u poison", name, idx + 1);
					add_line(out, line);
				}
			} else {
				snprintf(line, sizeof(line), "%s %u %llu", name, idx,
					 (unsigned long long)r->new_val);
				add_line(out, line);
			}
		}
		free(orig);
		free(insns);
	}
	evbpf__core_free(core);
	elf_end(elf);
	close(fd);
	btf_ext__free(ext);
	btf__free(btf);
}

static void libbpf_lines(const char *obj, const char *btf_path, struct lines *out)
{
	const char *root = getenv("EVBPF_BUILD_ROOT");
	char *cmd = NULL, line[512];
	FILE *p;

	assert_non_null(root);
	assert_true(asprintf(&cmd, "%s/tests/core_libbpf_ref %s %s", root, obj,
			     btf_path ? btf_path : "") > 0);
	p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		add_line(out, line);
	}
	assert_int_equal(pclose(p), 0);
}

static void compare(const char *prog, const char *targ)
{
	struct lines a = { 0 }, b = { 0 };
	char obj[4096], btf_path[4096];
	int i;

	snprintf(obj, sizeof(obj), "%s", evbpf_test_prog_path(prog));
	if (targ)
		snprintf(btf_path, sizeof(btf_path), "%s", evbpf_test_prog_path(targ));
	libbpf_lines(obj, targ ? btf_path : NULL, &a);
	evbpf_lines(obj, targ ? btf_path : NULL, &b);
	qsort(a.l, a.n, sizeof(char *), cmp_str);
	qsort(b.l, b.n, sizeof(char *), cmp_str);
	/* duplicates (a relocation applied for several programs) once */
	for (i = 0; i < a.n || i < b.n; i++) {
		const char *x = i < a.n ? a.l[i] : "(none)";
		const char *y = i < b.n ? b.l[i] : "(none)";

		if (strcmp(x, y))
			fail_msg("%s/%s: libbpf '%s' vs evbpf '%s'", prog, targ ? targ : "kernel",
				 x, y);
	}
	assert_true(a.n > 0);
	free_lines(&a);
	free_lines(&b);
}

static void test_custom_targets(void **state)
{
	compare("core_reloc", "core_targ1");
	compare("core_reloc", "core_targ2");
}

static void test_kernel_target(void **state)
{
	if (!evbpf__vmlinux_btf(NULL))
		EVBPF_SKIP("kernel BTF (/sys/kernel/btf/vmlinux)");
	compare("core_task", NULL);
	compare("core_kern", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_custom_targets),
		cmocka_unit_test(test_kernel_target),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
