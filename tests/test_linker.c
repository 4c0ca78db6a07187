// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The BPF static linker: linker_a.bpf.o + linker_b.bpf.o (functions calling
 * across objects, shared variables and maps, weak/strong, hidden, statics
 * of the same name, a CO-RE relocation) linked in both orders through every
 * entry point and `evbpf-gen object`; the result loads and runs on evbpf and
 * on the system libbpf (tests/linker_libbpf_ref.c), and a subskeleton
 * generated from it works. Bad inputs fail with -errno and one log line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "evbpf_test.h"
#include "bpf/bpf.h"
#include "bpf/btf.h"
#include "bpf/libbpf.h"
#include "progs/linker_common.h"
#include "linker_ab.subskel.h"

static char tmp_dir[] = "/tmp/evbpf-linker-XXXXXX";

static char *tmp_path(const char *name)
{
	static char buf[4][256];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", tmp_dir, name);
	return p;
}

/* Path of the compiled test object NAME (NAME.bpf.o); four rotating
 * buffers so a call may take several. */
static const char *obj_path(const char *name)
{
	static char buf[4][4096];
	static int i;
	const char *dir = getenv("EVBPF_TEST_PROGS");
	char *p = buf[i++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/linker/%s.bpf.o", dir ? dir : "tests/progs", name);
	return p;
}

/* offsetof(struct task_struct, pid) in the running kernel's BTF */
static __u64 kernel_pid_offset(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const struct btf_type *t;
	const struct btf_member *m;
	__u64 off = ~0ull;
	int id, i;

	assert_non_null(btf);
	id = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
	assert_true(id > 0);
	t = btf__type_by_id(btf, id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(btf, m[i].name_off), "pid"))
			off = btf_member_bit_offset(t, i) / 8;
	btf__free(btf);
	return off;
}

static void expected(__u64 *want)
{
	want[LINKER_OUT_ADD_TWO] = 5 * 3 + 100 + 2;
	want[LINKER_OUT_PICK] = 2;
	want[LINKER_OUT_CORE] = kernel_pid_offset();
	want[LINKER_OUT_HIDDEN] = 42;
	want[LINKER_OUT_SHARED] = 117;
	want[LINKER_OUT_STATIC_A] = 1;
	want[LINKER_OUT_STATIC_B] = 41;
}

/* Loads @obj, runs linker_prog once, fills @got from linker_out. */
static void run_obj(struct bpf_object *obj, __u64 *got)
{
	char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = 1);
	struct bpf_program *prog;
	struct bpf_map *map;
	__u32 k;

	assert_int_equal(bpf_object__load(obj), 0);
	prog = bpf_object__find_program_by_name(obj, "linker_prog");
	map = bpf_object__find_map_by_name(obj, "linker_out");
	assert_non_null(prog);
	assert_non_null(map);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &topts), 0);
	assert_int_equal(topts.retval, XDP_PASS);
	for (k = 0; k < LINKER_OUT_CNT; k++)
		assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(map), &k, &got[k]), 0);
}

static void check_runs(const char *path)
{
	__u64 want[LINKER_OUT_CNT], got[LINKER_OUT_CNT];
	struct bpf_object *obj;
	int k;

	expected(want);
	obj = bpf_object__open_file(path, NULL);
	assert_non_null(obj);
	run_obj(obj, got);
	bpf_object__close(obj);
	for (k = 0; k < LINKER_OUT_CNT; k++) {
		if (got[k] != want[k])
			fail_msg("%s: slot %d = %llu, want %llu", path, k,
				 (unsigned long long)got[k], (unsigned long long)want[k]);
	}
}

static void link_files(const char *out, const char *first, const char *second)
{
	struct bpf_linker *l = bpf_linker__new(out, NULL);

	assert_non_null(l);
	assert_int_equal(bpf_linker__add_file(l, obj_path(first), NULL), 0);
	assert_int_equal(bpf_linker__add_file(l, obj_path(second), NULL), 0);
	assert_int_equal(bpf_linker__finalize(l), 0);
	bpf_linker__free(l);
}

static void assert_same_file(const char *a, const char *b)
{
	size_t sa, sb;
	void *da = evbpf_test_read_file(a, &sa), *db = evbpf_test_read_file(b, &sb);

	assert_non_null(da);
	assert_non_null(db);
	assert_int_equal(sa, sb);
	assert_memory_equal(da, db, sa);
	free(da);
	free(db);
}

/* Both orders: each puts the other object's .text past offset 0. */
static void test_link_and_run(void **state)
{
	link_files(tmp_path("ab.o"), "linker_a", "linker_b");
	check_runs(tmp_path("ab.o"));
	link_files(tmp_path("ba.o"), "linker_b", "linker_a");
	check_runs(tmp_path("ba.o"));
	/* the object built at build time by `evbpf-gen object` is the same */
	assert_same_file(tmp_path("ab.o"), obj_path("linker_ab"));
}

/* new_fd / add_buf / add_fd give the same bytes as the file entry points. */
static void test_fd_and_buf(void **state)
{
	size_t sz, osz;
	void *a = evbpf_test_read_file(obj_path("linker_a"), &sz);
	int out = memfd_create("linked", MFD_CLOEXEC);
	int in = open(obj_path("linker_b"), O_RDONLY | O_CLOEXEC);
	struct bpf_linker *l;
	struct bpf_object *obj;
	__u64 got[LINKER_OUT_CNT], want[LINKER_OUT_CNT];
	struct stat st;
	void *linked;

	assert_non_null(a);
	assert_true(out >= 0 && in >= 0);
	l = bpf_linker__new_fd(out, NULL);
	assert_non_null(l);
	assert_int_equal(bpf_linker__add_buf(l, a, sz, NULL), 0);
	assert_int_equal(bpf_linker__add_fd(l, in, NULL), 0);
	assert_int_equal(bpf_linker__finalize(l), 0);
	bpf_linker__free(l);
	free(a);
	close(in);
	/* the caller's fd stays open and holds the object */
	assert_int_equal(fstat(out, &st), 0);
	osz = (size_t)st.st_size;
	linked = malloc(osz);
	assert_int_equal(pread(out, linked, osz, 0), (ssize_t)osz);
	close(out);
	link_files(tmp_path("ab_ref.o"), "linker_a", "linker_b");
	a = evbpf_test_read_file(tmp_path("ab_ref.o"), &sz);
	assert_int_equal(sz, osz);
	assert_memory_equal(a, linked, sz);
	free(a);
	obj = bpf_object__open_mem(linked, osz, NULL);
	assert_non_null(obj);
	run_obj(obj, got);
	bpf_object__close(obj);
	free(linked);
	expected(want);
	assert_memory_equal(got, want, sizeof(got));
}

/* The system libbpf loads and runs the evbpf-linked object alike. */
static void test_libbpf_runs_it(void **state)
{
#ifdef LINKER_LIBBPF_REF
	__u64 want[LINKER_OUT_CNT];
	char cmd[1024], line[64];
	FILE *p;
	int k = 0;

	link_files(tmp_path("ba_sys.o"), "linker_b", "linker_a");
	expected(want);
	snprintf(cmd, sizeof(cmd), "%s %s linker_prog linker_out", LINKER_LIBBPF_REF,
		 tmp_path("ba_sys.o"));
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) && k < LINKER_OUT_CNT) {
		unsigned long long v = strtoull(line, NULL, 10);

		if (v != want[k])
			fail_msg("libbpf: slot %d = %llu, want %llu", k, v, (unsigned long long)want[k]);
		k++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(k, LINKER_OUT_CNT);
#else
	if (evbpf_test_in_ci())
		fail_msg("no system libbpf (libbpf-dev) to compare with");
	skip();
#endif
}

/* A subskeleton generated from the linked object reaches its globals. */
static void test_subskeleton(void **state)
{
	__u64 got[LINKER_OUT_CNT];
	struct bpf_object *obj = bpf_object__open_file(obj_path("linker_ab"), NULL);
	struct linker_ab *sub;

	assert_non_null(obj);
	sub = linker_ab__open(obj);
	assert_non_null(sub);
	assert_ptr_equal(sub->progs.linker_prog, bpf_object__find_program_by_name(obj, "linker_prog"));
	assert_non_null(sub->maps.linker_out);
	assert_int_equal(*sub->data.a_global, 5);
	assert_int_equal(*sub->rodata.a_mult, 3);
	*sub->data.a_global = 7;	/* before load: (7*3)+100+2 */
	*sub->rodata.a_mult = 2;	/* (7*2)+100+2 */
	run_obj(obj, got);
	assert_int_equal(got[LINKER_OUT_ADD_TWO], 7 * 2 + 100 + 2);
	assert_int_equal(*sub->bss.shared_counter, 116);
	linker_ab__destroy(sub);
	bpf_object__close(obj);
}

/* Each refusal: -errno, errno set, one log line naming object and what. */
static void expect_fail(const char *first, const char *second, int err, const char *what)
{
	struct bpf_linker *l = bpf_linker__new(tmp_path("bad.o"), NULL);
	const char *log;

	assert_non_null(l);
	evbpf_test_log_reset();
	assert_int_equal(bpf_linker__add_file(l, first, NULL), 0);
	assert_int_equal(bpf_linker__add_file(l, second, NULL), err);
	assert_int_equal(errno, -err);
	log = evbpf_test_log();
	if (!strstr(log, what) || strchr(log, '\n') != strrchr(log, '\n'))
		fail_msg("log '%s' lacks '%s' or has more than one line", log, what);
	/* a failed link stays failed */
	assert_int_equal(bpf_linker__finalize(l), err);
	bpf_linker__free(l);
}

static void test_bad_inputs(void **state)
{
	char trunc_path[256];
	size_t sz;
	void *a = evbpf_test_read_file(obj_path("linker_a"), &sz);
	struct bpf_linker *l;
	int fd;

	evbpf_test_capture_log();
	expect_fail(obj_path("linker_b"), obj_path("linker_dup"),
		    -EINVAL, "linker_dup.bpf.o: symbol #");
	expect_fail(obj_path("linker_b"), obj_path("linker_badmap"),
		    -EINVAL, "field 'max_entries'");
	/* not BPF: this very test program */
	expect_fail(obj_path("linker_b"), "/proc/self/exe", -EINVAL,
		    "not a BPF relocatable object");
	/* a truncated object */
	assert_non_null(a);
	snprintf(trunc_path, sizeof(trunc_path), "%s", tmp_path("trunc.o"));
	fd = open(trunc_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, a, sz / 2), (ssize_t)(sz / 2));
	close(fd);
	expect_fail(obj_path("linker_b"), trunc_path, -EINVAL, "trunc.o");
	/* a code section whose size is not whole instructions, via add_buf */
	l = bpf_linker__new(tmp_path("bad2.o"), NULL);
	assert_non_null(l);
	assert_int_equal(bpf_linker__add_buf(l, a, 10, NULL), -EINVAL);
	bpf_linker__free(l);
	/* missing file, bad arguments */
	l = bpf_linker__new(tmp_path("bad3.o"), NULL);
	assert_int_equal(bpf_linker__add_file(l, tmp_path("missing.o"), NULL), -ENOENT);
	assert_int_equal(bpf_linker__add_buf(l, NULL, 0, NULL), -EINVAL);
	bpf_linker__free(l);
	assert_null(bpf_linker__new_fd(-1, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_linker__new(tmp_path("nodir/x.o"), NULL));
	assert_int_equal(errno, ENOENT);
	free(a);
}

/* `evbpf-gen object` writes what the API writes and refuses bad input. */
static void test_tool(void **state)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "%s object %s %s %s 2>/dev/null", EVBPF_GEN_PATH,
		 tmp_path("tool.o"), obj_path("linker_b"),
		 obj_path("linker_a"));
	assert_int_equal(system(cmd), 0);
	link_files(tmp_path("ba_api.o"), "linker_b", "linker_a");
	assert_same_file(tmp_path("tool.o"), tmp_path("ba_api.o"));
	snprintf(cmd, sizeof(cmd), "%s object %s %s %s 2>/dev/null", EVBPF_GEN_PATH,
		 tmp_path("tool_bad.o"), obj_path("linker_b"),
		 obj_path("linker_dup"));
	assert_int_not_equal(system(cmd), 0);
	assert_int_equal(access(tmp_path("tool_bad.o"), F_OK), -1);
}

static int group_setup(void **state)
{
	if (!mkdtemp(tmp_dir))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp_dir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_link_and_run, evbpf_test_fd_setup,
						evbpf_test_fd_teardown),
		cmocka_unit_test_setup_teardown(test_fd_and_buf, evbpf_test_fd_setup,
						evbpf_test_fd_teardown),
		cmocka_unit_test_setup_teardown(test_libbpf_runs_it, evbpf_test_fd_setup,
						evbpf_test_fd_teardown),
		cmocka_unit_test_setup_teardown(test_subskeleton, evbpf_test_fd_setup,
						evbpf_test_fd_teardown),
		cmocka_unit_test_setup_teardown(test_bad_inputs, evbpf_test_fd_setup,
						evbpf_test_fd_teardown),
		cmocka_unit_test_setup_teardown(test_tool, evbpf_test_fd_setup,
						evbpf_test_fd_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
