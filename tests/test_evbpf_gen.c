// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The evbpf-gen command line: subcommand dispatch, `helpers` output, the
 * default skeleton name, and error messages that name the object and what
 * is wrong. (Generated skeletons themselves are exercised by
 * test_skeleton*.)
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "evbpf_test.h"
#include "bpf/bpf.h"
#include "bpf/btf.h"
#include "bpf/libbpf.h"
#include "btf/btf_internal.h"
#include "core/core_internal.h"

#ifndef EVBPF_GEN_PATH
#error "the build must define EVBPF_GEN_PATH"
#endif
#ifndef LLVM_OBJCOPY_PATH
#error "the build must define LLVM_OBJCOPY_PATH (llvm-objcopy)"
#endif

struct result {
	int status;
	char *out;
	char *err;
};

static char *slurp(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf = calloc(1, size + 1);

	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, size, 0), size);
	close(fd);
	return buf;
}

/* Runs @prog with @args (NULL-terminated), capturing its output. */
static struct result run_prog(const char *prog, const char *const *args)
{
	const char *argv[16] = { prog };
	int out = memfd_create("out", MFD_CLOEXEC), err = memfd_create("err", MFD_CLOEXEC);
	struct result r;
	int i, status;
	pid_t pid;

	assert_true(out >= 0 && err >= 0);
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	r.status = WEXITSTATUS(status);
	r.out = slurp(out);
	r.err = slurp(err);
	return r;
}

/* Runs evbpf-gen with @args. */
static struct result run(const char *const *args)
{
	return run_prog(EVBPF_GEN_PATH, args);
}

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static void test_usage(void **state)
{
	struct result r = run((const char *[]){ NULL });

	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "evbpf-gen skeleton OBJ"));
	result_free(&r);

	r = run((const char *[]){ "frobnicate", NULL });
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
	result_free(&r);

	r = run((const char *[]){ "skeleton", NULL });
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "usage: evbpf-gen skeleton OBJ"));
	result_free(&r);
}

static void test_helpers(void **state)
{
	char path[4096];
	size_t size;
	char *want;
	struct result r = run((const char *[]){ "helpers", NULL });

	snprintf(path, sizeof(path), "%s/include/bpf/bpf_helper_defs.h",
		 getenv("EVBPF_SOURCE_ROOT"));
	want = evbpf_test_read_file(path, &size);
	assert_non_null(want);
	assert_int_equal(r.status, 0);
	assert_int_equal(strlen(r.out), size);
	assert_memory_equal(r.out, want, size);
	assert_non_null(strstr(r.out, "(* const bpf_map_lookup_elem)"));
	free(want);
	result_free(&r);
}

static void test_skeleton_errors(void **state)
{
	char junk[] = "/tmp/evbpf-gen-junk-XXXXXX";
	struct result r;
	int fd;

	r = run((const char *[]){ "skeleton", "/nonexistent/x.bpf.o", NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "/nonexistent/x.bpf.o: cannot read the object"));
	assert_string_equal(r.out, "");
	result_free(&r);

	fd = mkstemp(junk);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not an ELF file at all", 22), 22);
	close(fd);
	r = run((const char *[]){ "skeleton", junk, NULL });
	unlink(junk);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, junk));
	assert_non_null(strstr(r.err, "not a loadable BPF ELF object"));
	assert_string_equal(r.out, "");
	result_free(&r);

	r = run((const char *[]){ "skeleton", evbpf_test_prog_path("hdr_basic"),
				  "name", "1bad-name", NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "'1bad-name' is not a C identifier"));
	result_free(&r);
}

static void test_skeleton_default_name(void **state)
{
	struct result r = run((const char *[]){ "skeleton",
						evbpf_test_prog_path("skel_basic"), NULL });

	assert_int_equal(r.status, 0);
	/* bpftool's rule: file name without ".o", as an identifier */
	assert_non_null(strstr(r.out, "struct skel_basic_bpf {"));
	assert_non_null(strstr(r.out, "skel_basic_bpf__open_and_load(void)"));
	assert_non_null(strstr(r.out, "struct bpf_program *skel_xdp_pass;"));
	assert_non_null(strstr(r.out, "struct bpf_map *counts;"));
	assert_non_null(strstr(r.out, "struct skel_basic_bpf__data_custom {"));
	/* .rodata loses its const so it can be set before load */
	assert_non_null(strstr(r.out, "struct skel_basic_bpf__kconfig {"));
	assert_non_null(strstr(r.out, "\t\tint LINUX_KERNEL_VERSION;"));
	assert_non_null(strstr(r.out, "\t\t__u64 rodata_magic;"));
	result_free(&r);

	r = run((const char *[]){ "subskeleton", evbpf_test_prog_path("hdr_basic"),
				  "name", "libpart", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "struct libpart {"));
	assert_non_null(strstr(r.out, "__u64 *hits;"));
	assert_non_null(strstr(r.out, "s->maps[2].name = \".rodata\";"));
	result_free(&r);
}

static void test_btf_dispatch(void **state)
{
	struct result r = run((const char *[]){ "btf", "dump",
						evbpf_test_prog_path("hdr_basic"),
						"format", "c", NULL });

	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "struct task_struct___hdr {"));
	result_free(&r);
}

static void test_version(void **state)
{
	struct result r = run((const char *[]){ "--version", NULL });
	struct result v = run((const char *[]){ "-V", NULL });

	assert_int_equal(r.status, 0);
	assert_true(!strncmp(r.out, "evbpf-gen v", 11));
	assert_non_null(strstr(r.out, "libbpf API v"));
	assert_int_equal(v.status, 0);
	assert_string_equal(r.out, v.out);
	result_free(&r);
	result_free(&v);
}

/* Same output from evbpf-gen and from Debian's bpftool for @args (the
 * words after "bpftool"). */
static void same_as_bpftool(const char *const *args)
{
#ifdef BPFTOOL_PATH
	struct result e = run(args), b = run_prog(BPFTOOL_PATH, args);
	char cmd[512] = "";
	int i;

	for (i = 0; args[i]; i++)
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " %s", args[i]);
	if (e.status || b.status)
		fail_msg("%s: evbpf-gen exit %d (%s), bpftool exit %d (%s)", cmd, e.status, e.err,
			 b.status, b.err);
	if (strcmp(e.out, b.out))
		fail_msg("%s: evbpf-gen and bpftool differ", cmd);
	assert_true(strlen(e.out) > 0);
	result_free(&e);
	result_free(&b);
#else
	if (evbpf_test_in_ci())
		fail_msg("no bpftool to compare with");
	skip();
#endif
}

/* `btf dump file` of objects, raw format, line for line like bpftool. */
static void test_btf_dump_file_like_bpftool(void **state)
{
	static const char *const objs[] = { "btf_kinds", "core_reloc", "linker/linker_ab", "skel_basic" };
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		snprintf(path, sizeof(path), "%s", evbpf_test_prog_path(objs[i]));
		same_as_bpftool((const char *[]){ "btf", "dump", "file", path, NULL });
		same_as_bpftool((const char *[]){ "btf", "dump", "file", path, "format", "raw", NULL });
	}
}

/* The kernel's own BTF object by id, and split BTF over it with -B. */
static void test_btf_dump_id_and_split(void **state)
{
	char idbuf[16], path[] = "/tmp/evbpf-gen-split-XXXXXX";
	struct btf *vmlinux = btf__load_vmlinux_btf(), *split;
	__u32 id = 0, size;
	const void *raw;
	int fd, sid, ptr;

	assert_non_null(vmlinux);
	while (!bpf_btf_get_next_id(id, &id)) {
		struct bpf_btf_info info = { 0 };
		char name[64] = "";
		__u32 len = sizeof(info);
		int f = bpf_btf_get_fd_by_id(id);

		if (f < 0)
			continue;
		info.name = (__u64)(unsigned long)name;
		info.name_len = sizeof(name);
		if (!bpf_btf_get_info_by_fd(f, &info, &len) && info.kernel_btf &&
		    !strcmp(name, "vmlinux")) {
			close(f);
			break;
		}
		close(f);
	}
	snprintf(idbuf, sizeof(idbuf), "%u", id);
	same_as_bpftool((const char *[]){ "btf", "dump", "id", idbuf, NULL });

	/* a split BTF file: two types over vmlinux's */
	split = btf__new_empty_split(vmlinux);
	assert_non_null(split);
	ptr = btf__add_ptr(split, btf__find_by_name_kind(vmlinux, "task_struct", BTF_KIND_STRUCT));
	assert_true(ptr > 0);
	sid = btf__add_struct(split, "evbpf_split_s", 16);
	assert_true(sid > 0);
	assert_int_equal(btf__add_field(split, "a", btf__find_by_name_kind(vmlinux, "int", BTF_KIND_INT),
					0, 0), 0);
	assert_int_equal(btf__add_field(split, "task", ptr, 64, 0), 0);
	raw = btf__raw_data(split, &size);
	assert_non_null(raw);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, raw, size), (ssize_t)size);
	close(fd);
	same_as_bpftool((const char *[]){ "btf", "dump", "file", path, "-B",
					  "/sys/kernel/btf/vmlinux", NULL });
	same_as_bpftool((const char *[]){ "-B", "/sys/kernel/btf/vmlinux", "btf", "dump", "file",
					  path, NULL });
	unlink(path);
	btf__free(split);
	btf__free(vmlinux);
}

/* `btf dump prog` / `btf dump map` of a loaded object, by id and name. */
static void test_btf_dump_prog_map(void **state)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path("linker/linker_ab"), NULL);
	struct bpf_prog_info pi = { 0 };
	struct bpf_map_info mi = { 0 };
	__u32 len;
	char pid[16], mid[16];

	assert_non_null(obj);
	assert_int_equal(bpf_object__load(obj), 0);
	len = sizeof(pi);
	assert_int_equal(bpf_prog_get_info_by_fd(bpf_program__fd(
		bpf_object__find_program_by_name(obj, "linker_prog")), &pi, &len), 0);
	len = sizeof(mi);
	assert_int_equal(bpf_map_get_info_by_fd(bpf_map__fd(
		bpf_object__find_map_by_name(obj, "linker_out")), &mi, &len), 0);
	snprintf(pid, sizeof(pid), "%u", pi.id);
	snprintf(mid, sizeof(mid), "%u", mi.id);
	same_as_bpftool((const char *[]){ "btf", "dump", "prog", "id", pid, NULL });
	same_as_bpftool((const char *[]){ "btf", "dump", "map", "id", mid, NULL });
	same_as_bpftool((const char *[]){ "btf", "dump", "map", "id", mid, "value", NULL });
	same_as_bpftool((const char *[]){ "btf", "dump", "map", "id", mid, "all", NULL });
	same_as_bpftool((const char *[]){ "btf", "dump", "map", "id", mid, "kv", "format", "raw", NULL });
	bpf_object__close(obj);
}

/* The skeleton struct (members, data section structs) up to its C++
 * part, from generator output @text; NULL when absent. */
static char *skel_struct(const char *text)
{
	const char *a = strstr(text, "\nstruct t {"), *b = a ? strstr(a, "#ifdef __cplusplus") : NULL;

	return a && b ? strndup(a, (size_t)(b - a)) : NULL;
}

/* The skeleton struct of every test object, as Debian's bpftool writes it
 * (objects with struct_ops maps excepted: that bpftool predates
 * .struct_ops.link and shadow types). */
static void test_skeleton_struct_like_bpftool(void **state)
{
#ifdef BPFTOOL_PATH
	static const char *const objs[] = {
		"skel_basic", "linker/linker_ab", "btf_kinds", "core_reloc", "core_targ2",
		"core_externs", "hdr_basic", "io_ringbuf", "loader_pin", "loader_kfunc",
		"loader_hidden", "loader_extern", "attach_tp", "attach_net", "attach_usdt",
	};
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		struct result e, b;
		char *se, *sb;

		snprintf(path, sizeof(path), "%s", evbpf_test_prog_path(objs[i]));
		e = run((const char *[]){ "skeleton", path, "name", "t", NULL });
		b = run_prog(BPFTOOL_PATH, (const char *[]){ "gen", "skeleton", path, "name", "t", NULL });
		assert_int_equal(e.status, 0);
		assert_int_equal(b.status, 0);
		se = skel_struct(e.out);
		sb = skel_struct(b.out);
		assert_non_null(se);
		assert_non_null(sb);
		if (strcmp(se, sb))
			fail_msg("%s: skeleton struct differs from bpftool's:\n%s\n---\n%s", objs[i], se, sb);
		free(se);
		free(sb);
		result_free(&e);
		result_free(&b);
	}
#else
	if (evbpf_test_in_ci())
		fail_msg("no bpftool to compare with");
	skip();
#endif
}

/* An extern call nothing defines is refused when generating, as bpftool
 * does; the same object linked with its partner is accepted. */
static void test_skeleton_unresolved_extern(void **state)
{
	char path[4096];
	struct result r;

	snprintf(path, sizeof(path), "%s", evbpf_test_prog_path("linker/linker_a"));
	r = run((const char *[]){ "skeleton", path, NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "extern function 'add_two'"));
	assert_non_null(strstr(r.err, "linker_a.bpf.o"));
	assert_string_equal(r.out, "");
	result_free(&r);
#ifdef BPFTOOL_PATH
	r = run_prog(BPFTOOL_PATH, (const char *[]){ "gen", "skeleton", path, NULL });
	assert_int_not_equal(r.status, 0);
	result_free(&r);
#endif
	snprintf(path, sizeof(path), "%s", evbpf_test_prog_path("linker/linker_ab"));
	r = run((const char *[]){ "gen", "skeleton", path, NULL });
	assert_int_equal(r.status, 0);
	result_free(&r);
}

/* struct_ops maps: shadow types, link slots and their initialisation. */
static void test_skeleton_struct_ops(void **state)
{
	char path[4096];
	struct result r;

	snprintf(path, sizeof(path), "%s", evbpf_test_prog_path("attach_struct_ops"));
	r = run((const char *[]){ "skeleton", path, "name", "so", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\t\tstruct so__evbpf_g_ca__tcp_congestion_ops {\n"
				      "\t\t\tstruct bpf_program *ssthresh;\n"));
	assert_non_null(strstr(r.out, "\t\t\tchar __unsupported_3[16];\n\t\t} *evbpf_g_ca;\n"));
	assert_non_null(strstr(r.out, "\t} struct_ops;\n"));
	assert_non_null(strstr(r.out, "\t\tstruct bpf_link *evbpf_g_ca_link;\n"));
	assert_non_null(strstr(r.out, "s->maps[1].link = &obj->links.evbpf_g_ca_link;"));
	assert_non_null(strstr(r.out, "obj->struct_ops.evbpf_g_ca = (__typeof__(obj->struct_ops.evbpf_g_ca))"));
	assert_non_null(strstr(r.out, "#define BPF_SKEL_SUPPORTS_MAP_AUTO_ATTACH 1"));
	result_free(&r);
}

/* ---- min_core_btf ---- */

/* Creates the empty file @tmpl ("...XXXXXX", filled in). */
static void make_tmp(char *tmpl)
{
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	close(fd);
}

/* What tests/progs/core_kern.bpf.c writes (its .bss). */
struct core_kern_out {
	__s32 pid, tgid, ppid;
	char comm[16];
	__u32 has_missing_field;
	__u32 missing_val;
	__u32 rest[14];
};

/* Opens core_kern with CO-RE target @btf_path (NULL: the kernel's), loads
 * it, runs it in this task; returns the object with *@out filled. */
static struct bpf_object *run_core_kern(const char *btf_path, struct core_kern_out *out)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .kconfig = "CONFIG_EVT_FROM_OPTS=42\n",
		    .btf_custom_path = btf_path);
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct bpf_object *obj;
	__u32 zero = 0;

	obj = bpf_object__open_file(evbpf_test_prog_path("core_kern"), &oo);
	assert_non_null(obj);
	assert_int_equal(bpf_object__load(obj), 0);
	assert_int_equal(bpf_prog_test_run_opts(
		bpf_program__fd(bpf_object__find_program_by_name(obj, "core_kern")), &run), 0);
	memset(out, 0, sizeof(*out));
	assert_int_equal(bpf_map_lookup_elem(evbpf_test_map_fd(obj, ".bss"), &zero, out), 0);
	return obj;
}

/* The instructions of @obj's program "core_kern" with the imm of ld_imm64
 * pseudo loads (map fds, which differ per load) cleared. */
static struct bpf_insn *final_insns(struct bpf_object *obj, size_t *cnt)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, "core_kern");
	struct bpf_insn *insns;
	size_t i;

	*cnt = bpf_program__insn_cnt(p);
	insns = malloc(*cnt * sizeof(*insns));
	assert_non_null(insns);
	memcpy(insns, bpf_program__insns(p), *cnt * sizeof(*insns));
	for (i = 0; i + 1 < *cnt; i++)
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) && insns[i].src_reg) {
			insns[i].imm = 0;
			insns[++i].imm = 0;
		}
	return insns;
}

static void check_min_btf_loads(const char *min_path)
{
	struct core_kern_out full, min;
	struct bpf_object *fobj, *mobj;
	struct bpf_insn *fi, *mi, *orig;
	size_t fcnt, mcnt, ocnt;

	fobj = run_core_kern(NULL, &full);
	mobj = run_core_kern(min_path, &min);
	assert_int_equal(min.pid, full.pid);
	assert_int_equal(min.tgid, full.tgid);
	assert_int_equal(min.ppid, full.ppid);
	assert_int_equal(min.ppid, getppid());
	assert_string_equal(min.comm, full.comm);
	assert_int_equal(min.has_missing_field, 0);
	assert_memory_equal(&min, &full, offsetof(struct core_kern_out, rest));

	/* the same instructions after relocation, and relocation did change
	 * them (task_struct offsets are not the local ones) */
	fi = final_insns(fobj, &fcnt);
	mi = final_insns(mobj, &mcnt);
	orig = evbpf_test_sec_insns(evbpf_test_prog_path("core_kern"), "raw_tp", &ocnt);
	assert_non_null(orig);
	assert_int_equal(fcnt, mcnt);
	assert_memory_equal(fi, mi, fcnt * sizeof(*fi));
	assert_true(ocnt <= fcnt);
	assert_memory_not_equal(orig, fi, ocnt * sizeof(*fi));
	free(orig);
	free(fi);
	free(mi);
	bpf_object__close(fobj);
	bpf_object__close(mobj);
}

static void test_min_core_btf(void **state)
{
	char kern[4096], task[4096], out[] = "/tmp/evbpf-min-core-XXXXXX";
	const char *vmlinux = "/sys/kernel/btf/vmlinux";
	struct btf *full, *min;
	struct result r;
	size_t size;
	void *data;

	if (access(vmlinux, R_OK))
		EVBPF_SKIP("no kernel BTF at /sys/kernel/btf/vmlinux");
	snprintf(kern, sizeof(kern), "%s", evbpf_test_prog_path("core_kern"));
	snprintf(task, sizeof(task), "%s", evbpf_test_prog_path("core_task"));
	make_tmp(out);

	r = run((const char *[]){ "min_core_btf", vmlinux, out, kern, task, NULL });
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	result_free(&r);

	/* raw BTF, a sliver of vmlinux, with what the relocations need */
	data = evbpf_test_read_file(out, &size);
	assert_non_null(data);
	min = btf__new(data, size);
	assert_non_null(min);
	free(data);
	full = btf__parse(vmlinux, NULL);
	assert_non_null(full);
	assert_true(btf__type_cnt(min) < 64);
	assert_true(btf__type_cnt(min) * 1000 < btf__type_cnt(full));
	{
		__s32 id = btf__find_by_name_kind(min, "task_struct", BTF_KIND_STRUCT);
		__s32 fid = btf__find_by_name_kind(full, "task_struct", BTF_KIND_STRUCT);
		const struct btf_type *t = btf__type_by_id(min, id);

		assert_true(id > 0 && fid > 0);
		assert_int_equal(t->size, btf__type_by_id(full, fid)->size);
		/* pid, tgid, real_parent, comm (core_kern); children, flags
		 * (core_task) */
		assert_int_equal(btf_vlen(t), 6);
		/* core_task: bpf_core_type_size(struct list_head), enum value */
		assert_true(btf__find_by_name_kind(min, "list_head", BTF_KIND_STRUCT) > 0);
		assert_true(btf__find_by_name_kind(min, "bpf_map_type", BTF_KIND_ENUM) > 0);
	}
	btf__free(min);
	btf__free(full);

	check_min_btf_loads(out);
	unlink(out);

#ifdef BPFTOOL_PATH
	/* where bpftool's own reduction works, ours works the same way */
	r = run_prog(BPFTOOL_PATH, (const char *[]){ "gen", "min_core_btf", vmlinux, out,
						     kern, NULL });
	if (r.status == 0)
		check_min_btf_loads(out);
	unlink(out);
	result_free(&r);
#endif
}

/* Relocates every CO-RE section of @obj_path against @target; returns
 * the results' values as "sec insn kind value|poison" lines (malloc'ed),
 * type ids of the target (bpf_core_type_id_kernel()) left out: they are
 * ids of whichever BTF was the target. */
static char *relocate_all(const char *obj_path, const struct btf *target)
{
	struct btf_ext *ext = NULL;
	struct btf *btf = btf__parse_elf(obj_path, &ext);
	const struct evbpf__btf_ext_info *info;
	struct evbpf__core *core;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	__u32 s;

	assert_non_null(btf);
	assert_non_null(ext);
	assert_non_null(f);
	core = evbpf__core_new(&(struct evbpf__core_opts){ .obj_name = obj_path,
		.local_btf = btf, .btf_ext = ext, .target_btf = target });
	assert_non_null(core);
	info = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_CORE_RELO);
	for (s = 0; s < info->sec_cnt; s++) {
		const char *name = btf__name_by_offset(btf, info->secs[s].sec_name_off);
		struct bpf_insn *insns;
		size_t cnt;

		insns = evbpf_test_sec_insns(obj_path, name, &cnt);
		assert_non_null(insns);
		assert_true(evbpf__core_relocate(core, name, 0, insns, cnt) >= 0);
		free(insns);
	}
	for (i = 0; i < evbpf__core_result_cnt(core); i++) {
		const struct evbpf__core_result *r = evbpf__core_result(core, i);

		if (r->kind == BPF_CORE_TYPE_ID_TARGET && !r->poisoned)
			continue;
		fprintf(f, "%s %u %d %s%llu\n", r->sec_name, r->insn_off, r->kind,
			r->poisoned ? "poison " : "", (unsigned long long)r->new_val);
	}
	fclose(f);
	evbpf__core_free(core);
	btf_ext__free(ext);
	btf__free(btf);
	return text;
}

/* For objects with many kinds of relocations (field offsets, sizes,
 * signedness, existence, type and enum relocations, flavors, misses):
 * relocated against the reduced BTF each gives what it gives against the
 * full one. */
static void test_min_core_btf_same_relocations(void **state)
{
	static const char *const objs[] = { "hdr_extra", "hdr_vmlinux", "hdr_runtime",
					    "core_reloc", "core_task", "attach_btf" };
	const char *vmlinux = "/sys/kernel/btf/vmlinux";
	char out[] = "/tmp/evbpf-min-core-XXXXXX", obj[4096];
	struct btf *full;
	size_t i;

	if (access(vmlinux, R_OK))
		EVBPF_SKIP("no kernel BTF at /sys/kernel/btf/vmlinux");
	full = btf__parse(vmlinux, NULL);
	assert_non_null(full);
	make_tmp(out);
	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		struct btf *min;
		struct result r;
		char *a, *b;

		snprintf(obj, sizeof(obj), "%s", evbpf_test_prog_path(objs[i]));
		r = run((const char *[]){ "min_core_btf", vmlinux, out, obj, NULL });
		assert_int_equal(r.status, 0);
		result_free(&r);
		min = btf__parse(out, NULL);
		assert_non_null(min);
		assert_true(btf__type_cnt(min) * 20 < btf__type_cnt(full));
		a = relocate_all(obj, full);
		b = relocate_all(obj, min);
		assert_true(strlen(a) > 0);
		assert_string_equal(a, b);
		free(a);
		free(b);
		btf__free(min);
	}
	unlink(out);
	btf__free(full);
}

static void test_min_core_btf_refusals(void **state)
{
	char kern[4096], noext[4096], out[] = "/tmp/evbpf-min-core-XXXXXX";
	struct result r;

	snprintf(kern, sizeof(kern), "%s", evbpf_test_prog_path("core_kern"));
	make_tmp(out);

	r = run((const char *[]){ "min_core_btf", "/nonexistent/vmlinux", out, kern, NULL });
	assert_int_not_equal(r.status, 0);
	assert_non_null(strstr(r.err, "/nonexistent/vmlinux: cannot read BTF"));
	assert_int_equal(strchr(r.err, '\n') + 1 - r.err, (long)strlen(r.err));
	result_free(&r);

	/* a file that is not BTF */
	r = run((const char *[]){ "min_core_btf", "/proc/self/status", out, kern, NULL });
	assert_int_not_equal(r.status, 0);
	assert_non_null(strstr(r.err, "/proc/self/status: cannot read BTF"));
	assert_int_equal(strchr(r.err, '\n') + 1 - r.err, (long)strlen(r.err));
	result_free(&r);

	/* an object without .BTF.ext */
	snprintf(noext, sizeof(noext), "%s.noext.o", out);
	r = run_prog(LLVM_OBJCOPY_PATH, (const char *[]){ "--remove-section=.BTF.ext",
						       "--remove-section=.rel.BTF.ext", kern, noext,
						       NULL });
	assert_int_equal(r.status, 0);
	result_free(&r);
	r = run((const char *[]){ "min_core_btf", "/sys/kernel/btf/vmlinux", out, noext, NULL });
	assert_int_not_equal(r.status, 0);
	assert_non_null(strstr(r.err, "no .BTF.ext section: not a CO-RE object"));
	assert_int_equal(strchr(r.err, '\n') + 1 - r.err, (long)strlen(r.err));
	result_free(&r);
	unlink(noext);

	/* too few arguments */
	r = run((const char *[]){ "min_core_btf", "/sys/kernel/btf/vmlinux", out, NULL });
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "usage: evbpf-gen min_core_btf"));
	result_free(&r);
	unlink(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_skeleton_errors),
		cmocka_unit_test(test_skeleton_default_name),
		cmocka_unit_test(test_btf_dispatch),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_btf_dump_file_like_bpftool),
		cmocka_unit_test(test_btf_dump_id_and_split),
		cmocka_unit_test(test_btf_dump_prog_map),
		cmocka_unit_test(test_skeleton_struct_like_bpftool),
		cmocka_unit_test(test_skeleton_unresolved_extern),
		cmocka_unit_test(test_skeleton_struct_ops),
		cmocka_unit_test(test_min_core_btf),
		cmocka_unit_test(test_min_core_btf_same_relocations),
		cmocka_unit_test(test_min_core_btf_refusals),
	};

	return cmocka_run_group_tests_name("evbpf_gen", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
