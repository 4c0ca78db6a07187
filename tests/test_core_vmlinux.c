// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE against the running kernel's BTF (no program is loaded): the
 * fixture tests/progs/core_task.bpf.c must get the task_struct offsets,
 * type size and enum value that /sys/kernel/btf/vmlinux describes; a field
 * no kernel has is poisoned with a message naming the candidate. Also: the
 * kernel BTF list and candidate index are built once per process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/bpf.h>

#include <bpf/btf.h>
#include "btf/btf_internal.h"
#include "core/core_internal.h"
#include "core/core_engine_internal.h"
#include "evbpf_test.h"

static struct bpf_insn *sec_insns(const char *path, const char *sec, size_t *cnt)
{
	struct bpf_insn *insns = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		gelf_getshdr(scn, &sh);
		if (strcmp(elf_strptr(elf, shstrndx, sh.sh_name), sec))
			continue;
		d = elf_getdata(scn, NULL);
		insns = malloc(d->d_size);
		assert_non_null(insns);
		memcpy(insns, d->d_buf, d->d_size);
		*cnt = d->d_size / sizeof(*insns);
	}
	elf_end(elf);
	close(fd);
	assert_non_null(insns);
	return insns;
}

/* Byte offset of member @name of composite @id, searching anonymous
 * members; -1 when absent. */
static long member_off(const struct btf *btf, __u32 id, const char *name)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;
	int i;

	while (btf_is_typedef(t) || btf_is_mod(t))
		t = btf__type_by_id(btf, t->type);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(btf, m->name_off);
		long sub;

		if (n && !strcmp(n, name))
			return btf_member_bit_offset(t, i) / 8;
		if (n && *n)
			continue;
		sub = member_off(btf, m->type, name);
		if (sub >= 0)
			return btf_member_bit_offset(t, i) / 8 + sub;
	}
	return -1;
}

static const struct btf *vmlinux(void)
{
	const struct btf *v = evbpf__vmlinux_btf(NULL);

	if (!v)
		EVBPF_SKIP("kernel BTF (/sys/kernel/btf/vmlinux)");
	return v;
}

struct fx {
	struct btf *local;
	struct btf_ext *ext;
	struct evbpf__core *core;
	struct bpf_insn *insns;
	size_t cnt;
};

static void fx_run(struct fx *f)
{
	struct evbpf__core_opts o = { .obj_name = "core_task" };

	memset(f, 0, sizeof(*f));
	f->local = btf__parse_elf(evbpf_test_prog_path("core_task"), &f->ext);
	assert_non_null(f->local);
	o.local_btf = f->local;
	o.btf_ext = f->ext;
	f->core = evbpf__core_new(&o);
	assert_non_null(f->core);
	f->insns = sec_insns(evbpf_test_prog_path("core_task"), "core/task", &f->cnt);
	assert_int_equal(evbpf__core_relocate(f->core, "core/task", 0, f->insns, f->cnt), 11);
}

static void fx_close(struct fx *f)
{
	evbpf__core_free(f->core);
	free(f->insns);
	btf__free(f->local);
	btf_ext__free(f->ext);
}

static void test_task_struct(void **state)
{
	const struct btf *v = vmlinux();
	const struct evbpf__core_result *r;
	__s32 task = btf__find_by_name_kind(v, "task_struct", BTF_KIND_STRUCT);
	__s32 lh = btf__find_by_name_kind(v, "list_head", BTF_KIND_STRUCT);
	__s32 mt = btf__find_by_name_kind(v, "bpf_map_type", BTF_KIND_ENUM);
	const struct btf_type *t;
	struct bpf_insn *in;
	struct fx f;
	int i, ringbuf = -1;

	assert_true(task > 0 && lh > 0 && mt > 0);
	t = btf__type_by_id(v, mt);
	for (i = 0; i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(v, btf_enum(t)[i].name_off), "BPF_MAP_TYPE_RINGBUF"))
			ringbuf = btf_enum(t)[i].val;
	assert_true(ringbuf > 0);

	fx_run(&f);
	in = f.insns;
	assert_int_equal(in[0].off, member_off(v, task, "pid"));
	assert_int_equal(in[1].off, member_off(v, task, "tgid"));
	assert_int_equal(in[3].off, member_off(v, task, "comm") + 3);
	assert_int_equal(in[7].off, member_off(v, task, "real_parent"));
	assert_int_equal(in[8].off, member_off(v, task, "pid"));
	assert_int_equal(in[10].off, member_off(v, task, "children") + 8);
	assert_int_equal(in[12].off, member_off(v, task, "flags"));
	assert_int_equal(in[14].imm, btf__resolve_size(v, lh));
	assert_int_equal(in[16].imm, ringbuf);
	assert_int_equal(in[19].imm, 0);
	assert_int_equal(in[21].code, BPF_JMP | BPF_CALL);
	assert_int_equal(in[21].imm, EVBPF_CORE_POISON_IMM);

	r = evbpf__core_find_poisoned(f.core, "core/task", 21 * 8);
	assert_non_null(r);
	assert_non_null(strstr(r->text, "struct task_struct___evt.evt_no_such_field"));
	assert_non_null(strstr(r->text, "not found in kernel BTF; candidates: ["));
	assert_non_null(strstr(r->text, "struct task_struct in vmlinux (no compatible field "
				       "'evt_no_such_field')"));
	fx_close(&f);
}

/* The kernel BTF list and its candidate index are built once per process
 * and shared by every object. */
static void test_cached_once(void **state)
{
	const struct evbpf__kbtf *l1, *l2;
	const struct evbpf__cand_index *i1, *i2;
	struct evbpf__core_cands cands = { 0 };
	size_t c1, c2;
	struct fx f;
	int n;

	vmlinux();
	assert_int_equal(evbpf__core_kernel_btfs(&l1, &c1), 0);
	assert_int_equal(evbpf__core_kernel_btfs(&l2, &c2), 0);
	assert_ptr_equal(l1, l2);
	assert_int_equal(c1, c2);
	assert_true(c1 >= 1);
	assert_string_equal(l1[0].name, "vmlinux");
	assert_ptr_equal(l1[0].btf, evbpf__vmlinux_btf(NULL));
	assert_true(l1[0].id > 0);

	i1 = evbpf__cand_index_kernel(&l1[0]);
	i2 = evbpf__cand_index_kernel(&l2[0]);
	assert_non_null(i1);
	assert_ptr_equal(i1, i2);

	/* many objects: each relocation reuses the index */
	for (n = 0; n < 20; n++) {
		fx_run(&f);
		fx_close(&f);
	}
	assert_ptr_equal(evbpf__cand_index_kernel(&l1[0]), i1);

	/* the index finds task_struct by its essential name */
	fx_run(&f);
	n = evbpf__cand_index_find(i1, "vmlinux", f.local,
				   btf__find_by_name_kind(f.local, "task_struct___evt",
							  BTF_KIND_STRUCT), &cands);
	assert_int_equal(n, 1);
	assert_int_equal(cands.c[0].id,
			 btf__find_by_name_kind(l1[0].btf, "task_struct", BTF_KIND_STRUCT));
	free(cands.c);
	fx_close(&f);
}

static void test_kbtf_fd(void **state)
{
	const struct evbpf__kbtf *l;
	size_t c;
	int fd;

	vmlinux();
	assert_int_equal(evbpf__core_kernel_btfs(&l, &c), 0);
	fd = evbpf__core_kbtf_fd(l[0].id);
	assert_true(fd >= 0);
	close(fd);
	assert_true(evbpf__core_kbtf_fd(0xfffffff0) < 0);
}

/* `evbpf-gen core explain OBJ` prints one line per relocation. */
static void test_explain_tool(void **state)
{
	const char *root = getenv("EVBPF_BUILD_ROOT");
	char cmd[4096], line[1024];
	int lines = 0, poisoned = 0, summary = 0;
	FILE *p;

	vmlinux();
	assert_non_null(root);
	snprintf(cmd, sizeof(cmd), "%s/tools/evbpf-gen core explain %s 2>&1", root,
		 evbpf_test_prog_path("core_task"));
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		lines += strstr(line, "  insn #") != NULL;
		poisoned += strstr(line, "instruction poisoned") != NULL;
		summary += strstr(line, "11 relocations: 10 resolved, 1 poisoned") != NULL;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(lines, 11);
	assert_int_equal(poisoned, 1);
	assert_int_equal(summary, 1);
}

/* Objects relocated from several threads at once share the process-wide
 * kernel BTF and index safely. No cmocka asserts inside threads. */
static struct bpf_insn *task_insns;
static size_t task_cnt;

static void *reloc_thread(void *arg)
{
	long bad = 0;
	int n;

	(void)arg;
	for (n = 0; n < 5; n++) {
		struct evbpf__core_opts o = { .obj_name = "core_task" };
		struct btf_ext *ext = NULL;
		struct btf *local = btf__parse_elf(evbpf_test_prog_path("core_task"), &ext);
		struct bpf_insn *insns = malloc(task_cnt * sizeof(*insns));
		struct evbpf__core *core;

		if (!local || !insns) {
			bad++;
			free(insns);
			btf__free(local);
			btf_ext__free(ext);
			continue;
		}
		o.local_btf = local;
		o.btf_ext = ext;
		core = evbpf__core_new(&o);
		memcpy(insns, task_insns, task_cnt * sizeof(*insns));
		if (!core || evbpf__core_relocate(core, "core/task", 0, insns, task_cnt) != 11)
			bad++;
		evbpf__core_free(core);
		free(insns);
		btf_ext__free(ext);
		btf__free(local);
	}
	return (void *)bad;
}

static void test_threads(void **state)
{
	const struct evbpf__kbtf *l;
	pthread_t th[4];
	size_t c;
	int i;

	vmlinux();
	task_insns = sec_insns(evbpf_test_prog_path("core_task"), "core/task", &task_cnt);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, reloc_thread, NULL), 0);
	for (i = 0; i < 4; i++) {
		void *ret;

		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_null(ret);
	}
	free(task_insns);
	assert_int_equal(evbpf__core_kernel_btfs(&l, &c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: the threads race to build the process-wide cache */
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_task_struct),
		cmocka_unit_test(test_cached_once),
		cmocka_unit_test(test_kbtf_fd),
		cmocka_unit_test(test_explain_tool),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
