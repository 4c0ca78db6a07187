// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF-side headers: bpf_helper_defs.h carries the UAPI helper
 * ids, and BPF C written for libbpf compiled with evbpf's headers yields the
 * same program shape (sections, symbols, helper calls) as with the system
 * libbpf's headers (objects inspected with libelf). hdr_runtime is loaded
 * to check the features only the kernel can judge (argument unpacking,
 * iterators, vprintk, CO-RE checks).
 */
#include <fcntl.h>
#include <gelf.h>
#include <sys/wait.h>
#include <libelf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <sys/syscall.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "evbpf_test.h"

struct elf_obj {
	void *buf;
	size_t size;
	Elf *elf;
	size_t shstrndx;
};

static int obj_open(struct elf_obj *o, const char *name)
{
	memset(o, 0, sizeof(*o));
	o->buf = evbpf_test_read_file(evbpf_test_prog_path(name), &o->size);
	if (!o->buf)
		return -1;
	elf_version(EV_CURRENT);
	o->elf = elf_memory(o->buf, o->size);
	if (!o->elf || elf_getshdrstrndx(o->elf, &o->shstrndx))
		return -1;
	return 0;
}

static void obj_close(struct elf_obj *o)
{
	if (o->elf)
		elf_end(o->elf);
	free(o->buf);
}

static Elf_Scn *obj_section(struct elf_obj *o, const char *want)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(o->elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(o->elf, o->shstrndx, sh.sh_name);
		if (name && !strcmp(name, want))
			return scn;
	}
	return NULL;
}

/* Sorted, de-duplicated helper ids called from section @sec. */
static int helper_calls(struct elf_obj *o, const char *sec, int *ids, int max)
{
	Elf_Scn *scn = obj_section(o, sec);
	Elf_Data *d;
	const struct bpf_insn *insn;
	size_t i, n;
	int cnt = 0;

	assert_non_null(scn);
	d = elf_getdata(scn, NULL);
	assert_non_null(d);
	insn = d->d_buf;
	n = d->d_size / sizeof(*insn);
	for (i = 0; i < n; i++) {
		int j, dup = 0;

		if (insn[i].code != (BPF_JMP | BPF_CALL) || insn[i].src_reg != 0)
			continue;
		for (j = 0; j < cnt; j++)
			dup |= ids[j] == insn[i].imm;
		if (!dup && cnt < max)
			ids[cnt++] = insn[i].imm;
	}
	for (int a = 0; a < cnt; a++)
		for (int b = a + 1; b < cnt; b++)
			if (ids[b] < ids[a]) {
				int t = ids[a];

				ids[a] = ids[b];
				ids[b] = t;
			}
	return cnt;
}

static int has_symbol(struct elf_obj *o, const char *want)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(o->elf, scn))) {
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(d, i, &sym))
				continue;
			name = elf_strptr(o->elf, sh.sh_link, sym.st_name);
			if (name && !strcmp(name, want))
				return 1;
		}
	}
	return 0;
}

static int section_contains(struct elf_obj *o, const char *sec, const char *str)
{
	Elf_Scn *scn = obj_section(o, sec);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;

	return d && memmem(d->d_buf, d->d_size, str, strlen(str) + 1) != NULL;
}

#define HELPER_ID(name) { #name, BPF_FUNC_##name }
static const struct {
	const char *name;
	int id;
} uapi_ids[] = {
	__BPF_FUNC_MAPPER(HELPER_ID)
};

/* Every helper of the UAPI enum is declared with its id in the checked-in
 * (and installed) header. */
static void test_helper_defs_ids(void **state)
{
	char path[4096];
	const char *root = getenv("EVBPF_SOURCE_ROOT");
	size_t size, i;
	char *text;
	int found = 0;

	snprintf(path, sizeof(path), "%s/include/bpf/bpf_helper_defs.h",
		 root ? root : ".");
	text = evbpf_test_read_file(path, &size);
	assert_non_null(text);
	text = realloc(text, size + 1);
	text[size] = 0;

	for (i = 1; i < sizeof(uapi_ids) / sizeof(uapi_ids[0]); i++) {
		char needle[128], *p;
		int id;

		snprintf(needle, sizeof(needle), "(* const bpf_%s)(", uapi_ids[i].name);
		p = strstr(text, needle);
		if (!p) {
			print_message("helper bpf_%s missing\n", uapi_ids[i].name);
			continue;
		}
		p = strstr(p, "= (void *) ");
		assert_non_null(p);
		id = atoi(p + strlen("= (void *) "));
		assert_int_equal(id, uapi_ids[i].id);
		found++;
	}
	/* every documented helper; 6.1 documents all of them */
	assert_int_equal(found, (int)(sizeof(uapi_ids) / sizeof(uapi_ids[0])) - 1);
	assert_non_null(strstr(text, "struct bpf_dynptr;"));
	free(text);
}

/* A UAPI header in the newer format (explicit ids in ___BPF_FUNC_MAPPER,
 * after the 6.1 one this machine has): the generator takes ids from it. */
static const char new_uapi[] =
	"/*\n * Start of BPF helper function descriptions:\n *\n"
	" * void *bpf_map_lookup_elem(struct bpf_map *map, const void *key)\n"
	" * \tDescription\n * \t\tLook up.\n * \tReturn\n * \t\tValue.\n *\n"
	" * long bpf_skb_pull_data(struct sk_buff *skb, u32 len)\n"
	" * \tDescription\n * \t\tPull.\n * \tReturn\n * \t\t0.\n *\n"
	" * u64 bpf_ktime_get_tai_ns(void)\n"
	" * \tDescription\n * \t\tTime.\n * \tReturn\n * \t\tns.\n */\n"
	"#define ___BPF_FUNC_MAPPER(FN, ctx...)\t\\\n"
	"\tFN(unspec, 0, ##ctx)\t\\\n"
	"\tFN(map_lookup_elem, 1, ##ctx)\t\\\n"
	"\tFN(skb_pull_data, 39, ##ctx)\t\\\n"
	"\tFN(ktime_get_tai_ns, 208, ##ctx)\t\\\n"
	"\t/* */\n\n"
	"#define __BPF_FUNC_MAPPER_APPLY(name, value, FN) FN(name),\n"
	"#define __BPF_FUNC_MAPPER(FN) ___BPF_FUNC_MAPPER(__BPF_FUNC_MAPPER_APPLY, FN)\n";

static void test_generator_new_uapi_format(void **state)
{
	char in[] = "/tmp/evbpf-uapi-XXXXXX", out[] = "/tmp/evbpf-defs-XXXXXX";
	char script[4096];
	const char *src = getenv("EVBPF_SOURCE_ROOT");
	int fd, status;
	size_t size;
	char *text;
	pid_t pid;

	snprintf(script, sizeof(script), "%s/tools/gen-helper-defs.py", src ? src : ".");
	fd = mkstemp(in);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, new_uapi, strlen(new_uapi)), (ssize_t)strlen(new_uapi));
	close(fd);
	fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	pid = fork();
	if (pid == 0) {
		execlp("python3", "python3", script, "--input", in, "--output", out,
		       (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(in);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	text = evbpf_test_read_file(out, &size);
	unlink(out);
	assert_non_null(text);
	text = realloc(text, size + 1);
	text[size] = 0;
	assert_non_null(strstr(text, "static void *(* const bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;"));
	/* kernel types mapped to what BPF programs see */
	assert_non_null(strstr(text, "static long (* const bpf_skb_pull_data)(struct __sk_buff *skb, __u32 len) = (void *) 39;"));
	assert_non_null(strstr(text, "static __u64 (* const bpf_ktime_get_tai_ns)(void) = (void *) 208;"));
	assert_non_null(strstr(text, "struct __sk_buff;"));
	free(text);
}

/* The libbpf-style program has every section libbpf users expect. */
static void test_basic_object_shape(void **state)
{
	static const char *const secs[] = {
		"tp/syscalls/sys_enter_getppid", ".maps", "license",
		".rodata", ".data", ".bss", ".BTF", ".BTF.ext",
	};
	static const char *const syms[] = {
		"hdr_on_getppid", "hdr_events", "hdr_counts", "target_pid",
		"data_val", "hits", "last_ppid", "LICENSE",
	};
	struct elf_obj o;

	assert_int_equal(obj_open(&o, "hdr_basic"), 0);
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		assert_non_null(obj_section(&o, secs[i]));
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		assert_true(has_symbol(&o, syms[i]));
	/* BPF_CORE_READ recorded its field accesses */
	assert_true(section_contains(&o, ".BTF", "task_struct___hdr"));
	assert_true(section_contains(&o, ".BTF", "real_parent"));
	obj_close(&o);
}

/* Same source with the system libbpf headers: same symbols, same helpers. */
static void test_same_as_system_headers(void **state)
{
	struct elf_obj ours, sys;
	int a[64], b[64], na, nb;

	if (access("/usr/include/bpf/bpf_helpers.h", R_OK))
		EVBPF_SKIP("libbpf-dev headers (/usr/include/bpf) not installed");
	assert_int_equal(obj_open(&ours, "hdr_basic"), 0);
	assert_int_equal(obj_open(&sys, "hdr_basic_sys"), 0);

	na = helper_calls(&ours, "tp/syscalls/sys_enter_getppid", a, 64);
	nb = helper_calls(&sys, "tp/syscalls/sys_enter_getppid", b, 64);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na * sizeof(int));
	/* get_current_pid_tgid, lookup, update, reserve, submit, probe reads */
	assert_true(na >= 6);
	assert_true(has_symbol(&sys, "hdr_on_getppid"));
	assert_true(section_contains(&sys, ".BTF", "task_struct___hdr"));
	obj_close(&ours);
	obj_close(&sys);
}

/* On vmlinux.h: every program section calls the same helpers both ways. */
static void test_vmlinux_same_as_system(void **state)
{
	static const char *const secs[] = {
		"tp_btf/sched_process_exec", "kprobe/do_unlinkat",
		"kretprobe/do_unlinkat", "fentry/do_unlinkat", "ksyscall/kill",
		"uprobe", "tc", "tp/syscalls/sys_enter_getppid",
	};
	struct elf_obj ours, sys;

	if (access(evbpf_test_prog_path("hdr_vmlinux"), R_OK))
		EVBPF_SKIP("no kernel BTF: vmlinux.h programs not built");
	if (access(evbpf_test_prog_path("hdr_vmlinux_sys"), R_OK))
		EVBPF_SKIP("libbpf-dev headers (/usr/include/bpf) not installed");
	assert_int_equal(obj_open(&ours, "hdr_vmlinux"), 0);
	assert_int_equal(obj_open(&sys, "hdr_vmlinux_sys"), 0);
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		int a[64], b[64], na, nb;

		na = helper_calls(&ours, secs[i], a, 64);
		nb = helper_calls(&sys, secs[i], b, 64);
		if (na != nb || memcmp(a, b, na * sizeof(int)))
			fail_msg("section %s: helper calls differ", secs[i]);
	}
	/* BPF_KSYSCALL's virtual kconfig extern is there both ways */
	assert_true(has_symbol(&ours, "LINUX_HAS_SYSCALL_WRAPPER"));
	assert_true(has_symbol(&sys, "LINUX_HAS_SYSCALL_WRAPPER"));
	obj_close(&ours);
	obj_close(&sys);
}

/* Newer-libbpf features: tags, externs, printk flavours, tail calls. */
static void test_extra_features(void **state)
{
	struct elf_obj o;
	int ids[64], n, i;
	int want[] = {
		BPF_FUNC_tail_call, BPF_FUNC_trace_printk, BPF_FUNC_snprintf,
		BPF_FUNC_trace_vprintk, BPF_FUNC_get_current_task,
		BPF_FUNC_probe_read_kernel,
	};

	assert_int_equal(obj_open(&o, "hdr_extra"), 0);
	n = helper_calls(&o, "tp/syscalls/sys_enter_getppid", ids, 64);
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		int seen = 0;

		for (i = 0; i < n; i++)
			seen |= ids[i] == want[w];
		if (!seen)
			fail_msg("helper %d not called", want[w]);
	}
	n = helper_calls(&o, "iter/task", ids, 64);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], BPF_FUNC_seq_printf);

	/* (clang 14 drops the __kptr type tags from BTF; newer clang keeps
	 * them, so they are not checked here) */
	assert_true(section_contains(&o, ".BTF", "arg:ctx"));
	assert_true(section_contains(&o, ".BTF", "arg:nonnull"));
	assert_true(section_contains(&o, ".BTF", ".kconfig"));
	assert_true(section_contains(&o, ".BTF", ".ksyms"));
	assert_true(has_symbol(&o, "bpf_iter_num_new"));
	assert_true(has_symbol(&o, "bpf_iter_num_next"));
	assert_true(has_symbol(&o, "bpf_iter_num_destroy"));
	assert_true(has_symbol(&o, "bpf_rdonly_cast"));
	assert_true(has_symbol(&o, "LINUX_KERNEL_VERSION"));
	assert_true(has_symbol(&o, "LINUX_HAS_SYSCALL_WRAPPER"));
	for (const char *const *p = (const char *const[]){
		     "kprobe/do_unlinkat", "kretprobe/do_unlinkat",
		     "ksyscall/openat", "kprobe/__x64_sys_close", "uprobe",
		     "uretprobe", "tp_btf/sched_switch",
		     "fentry/bpf_fentry_test_pair", "raw_tp/sys_enter", NULL };
	     *p; p++)
		assert_non_null(obj_section(&o, *p));
	obj_close(&o);
}

/* Global variable @name of the loaded object, through its data map. */
static void *rt_var(struct bpf_object *obj, const char *sec, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, sec);
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *ds;
	const struct btf_var_secinfo *vsi;
	char *mem;
	__s32 id;

	assert_non_null(map);
	mem = bpf_map__initial_value(map, NULL);
	assert_non_null(mem);
	id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	assert_true(id > 0);
	ds = btf__type_by_id(btf, id);
	vsi = btf_var_secinfos(ds);
	for (int i = 0; i < btf_vlen(ds); i++) {
		const struct btf_type *v = btf__type_by_id(btf, vsi[i].type);

		if (!strcmp(btf__name_by_offset(btf, v->name_off), name))
			return mem + vsi[i].offset;
	}
	fail_msg("no variable %s in %s", name, sec);
	return NULL;
}

/* Loads hdr_runtime, makes one getpgid(4242) call and checks what the
 * programs recorded. */
static void test_runtime(void **state)
{
	struct bpf_link *links[2] = { NULL, NULL };
	struct bpf_object *obj;
	struct bpf_program *prog;
	int n = 0;

	if (access(evbpf_test_prog_path("hdr_runtime"), R_OK))
		EVBPF_SKIP("no kernel BTF: vmlinux.h programs not built");
	obj = bpf_object__open_file(evbpf_test_prog_path("hdr_runtime"), NULL);
	assert_non_null(obj);
	*(int *)rt_var(obj, ".rodata", "rt_pid") = getpid();
	*(long *)rt_var(obj, ".rodata", "rt_nr") = SYS_getpgid;
	assert_int_equal(bpf_object__load(obj), 0);
	bpf_object__for_each_program(prog, obj) {
		links[n] = bpf_program__attach(prog);
		assert_non_null(links[n]);
		n++;
	}
	assert_int_equal(n, 2);

	syscall(SYS_getpgid, 4242);

	assert_int_equal(*(__u32 *)rt_var(obj, ".bss", "rt_hits"), 1);
	/* BPF_PROG / BPF_PROG2 unpacked (regs, id); PT_REGS_PARM1 read */
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_prog_id"), SYS_getpgid);
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_prog_arg1"), 4242);
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_prog2_id"), SYS_getpgid);
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_prog2_arg1"), 4242);
	/* open-coded iterators */
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_for_sum"), 45);
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_repeat"), 3);
	/* CO-RE checks against the kernel */
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_enum_val"), BPF_FUNC_ringbuf_output);
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_exists"), 2);
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_missing"), 0);
	assert_int_equal(*(long *)rt_var(obj, ".bss", "rt_ksym"), 1);
	/* bpf_trace_vprintk returns the bytes written */
	assert_true(*(long *)rt_var(obj, ".bss", "rt_printk_ret") > 0);

	for (int i = 0; i < n; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper_defs_ids),
		cmocka_unit_test(test_generator_new_uapi_format),
		cmocka_unit_test(test_basic_object_shape),
		cmocka_unit_test(test_same_as_system_headers),
		cmocka_unit_test(test_vmlinux_same_as_system),
		cmocka_unit_test(test_extra_features),
		cmocka_unit_test(test_runtime),
	};

	return cmocka_run_group_tests_name("bpf_headers", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
