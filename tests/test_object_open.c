// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The open phase, without the kernel: programs, sections, maps, global
 * data names and images found in our compiled fixtures; setters before
 * load; and the malformed-ELF corpus of tests/corpus/elf/, every file of
 * which must fail with one log line naming object, section and offset.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <libelf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "object/object_internal.h"
#include "evbpf_test.h"

static struct bpf_object *open_prog(const char *name)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path(name), NULL);

	assert_non_null(obj);
	return obj;
}

static void test_programs(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	const char *names[] = { "tail_target", "xdp_main", "sock_prog" };
	struct bpf_program *p;
	size_t n = 0;

	(void)state;
	assert_string_equal(bpf_object__name(obj), "loader_basic");
	assert_int_equal(bpf_object__kversion(obj), 0);
	assert_non_null(bpf_object__btf(obj));
	assert_int_equal(bpf_object__btf_fd(obj), -1);
	bpf_object__for_each_program(p, obj) {
		assert_true(n < 3);
		assert_string_equal(bpf_program__name(p), names[n]);
		n++;
	}
	assert_int_equal(n, 3);
	/* a static function of a program section that others call is a
	 * subprogram, not a program */
	assert_null(bpf_object__find_program_by_name(obj, "in_section_helper"));
	assert_int_equal(errno, ENOENT);
	assert_null(bpf_object__find_program_by_name(obj, "global_add"));

	p = bpf_object__find_program_by_name(obj, "xdp_main");
	assert_string_equal(bpf_program__section_name(p), "xdp");
	assert_int_equal(bpf_program__type(p), BPF_PROG_TYPE_XDP);
	assert_int_equal(bpf_program__expected_attach_type(p), BPF_XDP);
	assert_true(bpf_program__autoload(p));
	assert_true(bpf_program__autoattach(p));
	assert_int_equal(bpf_program__fd(p), -EINVAL);
	/* before load: the function's own instructions, 8 bytes each */
	assert_int_equal(bpf_program__insn_cnt(p), 576 / 8);
	assert_non_null(bpf_program__insns(p));
	assert_int_equal(bpf_program__insns(p)[0].code, bpf_program__insns(p)[0].code);

	p = bpf_object__find_program_by_name(obj, "sock_prog");
	assert_int_equal(bpf_program__type(p), BPF_PROG_TYPE_SOCKET_FILTER);
	assert_ptr_equal(bpf_object__prev_program(obj, p),
			 bpf_object__find_program_by_name(obj, "xdp_main"));
	assert_ptr_equal(bpf_object__prev_program(obj, NULL), p);
	assert_null(bpf_object__next_program(obj, p));
	bpf_object__close(obj);
}

static void test_maps(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	const char *names[] = {
		/* .maps in definition offset order, then sections in ELF order */
		"inner_a", "inner_b", "outer", "jumps", "counters", "by_size", "percpu",
		"loader_b.data", "loader_b.rodata", ".data.custom", ".rodata.custom",
		"loader_b.bss",
	};
	struct bpf_map *m;
	size_t n = 0, sz;
	const int *img;

	(void)state;
	bpf_object__for_each_map(m, obj) {
		assert_true(n < ARRAY_SIZE(names));
		assert_string_equal(bpf_map__name(m), names[n]);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(names));

	m = bpf_object__find_map_by_name(obj, "counters");
	assert_int_equal(bpf_map__type(m), BPF_MAP_TYPE_ARRAY);
	assert_int_equal(bpf_map__key_size(m), 4);
	assert_int_equal(bpf_map__value_size(m), 8);
	assert_int_equal(bpf_map__max_entries(m), 4);
	assert_true(bpf_map__btf_key_type_id(m) > 0);
	assert_true(bpf_map__btf_value_type_id(m) > 0);
	assert_false(bpf_map__is_internal(m));
	assert_null(bpf_map__initial_value(m, &sz));
	assert_int_equal(bpf_map__fd(m), -EINVAL);
	assert_int_equal(bpf_object__find_map_fd_by_name(obj, "counters"), -EINVAL);
	assert_int_equal(bpf_object__find_map_fd_by_name(obj, "nope"), -ENOENT);

	m = bpf_object__find_map_by_name(obj, "by_size");
	assert_int_equal(bpf_map__type(m), BPF_MAP_TYPE_HASH);
	assert_int_equal(bpf_map__key_size(m), 4);
	assert_int_equal(bpf_map__value_size(m), 8);
	assert_int_equal(bpf_map__map_flags(m), BPF_F_NO_PREALLOC);
	assert_int_equal(bpf_map__btf_value_type_id(m), 0);

	m = bpf_object__find_map_by_name(obj, "outer");
	assert_int_equal(bpf_map__type(m), BPF_MAP_TYPE_ARRAY_OF_MAPS);
	assert_int_equal(bpf_map__value_size(m), 4);
	assert_non_null(bpf_map__inner_map(m));
	assert_int_equal(bpf_map__type(bpf_map__inner_map(m)), BPF_MAP_TYPE_ARRAY);
	assert_int_equal(bpf_map__value_size(bpf_map__inner_map(m)), 4);
	assert_int_equal(bpf_map__type(bpf_object__find_map_by_name(obj, "jumps")),
			 BPF_MAP_TYPE_PROG_ARRAY);
	assert_null(bpf_map__inner_map(bpf_object__find_map_by_name(obj, "jumps")));

	/* global data: by kernel name and by section name */
	m = bpf_object__find_map_by_name(obj, ".data");
	assert_ptr_equal(m, bpf_object__find_map_by_name(obj, "loader_b.data"));
	assert_true(bpf_map__is_internal(m));
	assert_int_equal(bpf_map__type(m), BPF_MAP_TYPE_ARRAY);
	assert_int_equal(bpf_map__max_entries(m), 1);
	assert_true(bpf_map__map_flags(m) & BPF_F_MMAPABLE);
	img = bpf_map__initial_value(m, &sz);
	assert_non_null(img);
	assert_int_equal(sz, bpf_map__value_size(m));
	assert_int_equal(img[0], 7);			/* data_var */
	assert_int_equal(img[1], 1);			/* data_arr[0] */
	m = bpf_object__find_map_by_name(obj, ".rodata");
	assert_true(bpf_map__map_flags(m) & BPF_F_RDONLY_PROG);
	assert_int_equal(((const int *)bpf_map__initial_value(m, NULL))[0], 100);
	assert_string_equal((const char *)bpf_map__initial_value(m, NULL) + 4, "rodata");
	m = bpf_object__find_map_by_name(obj, ".rodata.custom");
	assert_int_equal(((const int *)bpf_map__initial_value(m, NULL))[0], 1000);
	m = bpf_object__find_map_by_name(obj, ".bss");
	img = bpf_map__initial_value(m, &sz);
	assert_int_equal(img[0], 0);
	assert_true(bpf_map__btf_value_type_id(m) > 0);

	assert_ptr_equal(bpf_object__prev_map(obj, NULL), m);
	assert_null(bpf_object__next_map(obj, m));
	bpf_object__close(obj);
}

static void test_internal_map_names(void **state)
{
	static const struct { const char *obj, *sec, *want; } cases[] = {
		{ "minimal", ".bss", "minimal.bss" },
		{ "minimal", ".rodata", "minimal.rodata" },
		{ "test_global_data", ".rodata", "test_glo.rodata" },
		{ "test_global_data", ".bss", "test_glo.bss" },
		{ "x", ".kconfig", "x.kconfig" },
		{ "obj", ".data.custom", ".data.custom" },
		{ "obj", ".rodata.str1.1", ".rodata.str1.1" },
		{ "obj", ".data.this_is_a_very_long_name", ".data.this_is_a" },
		{ "my-obj", ".bss", "my_obj.bss" },
	};
	char buf[BPF_OBJ_NAME_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		evbpf__internal_map_name(cases[i].obj, cases[i].sec, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_setters(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_program *p = bpf_object__find_program_by_name(obj, "sock_prog");
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "counters");
	struct bpf_map *data = bpf_object__find_map_by_name(obj, ".data");
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char log[16];
	size_t sz;
	int buf[64] = { 0 };

	(void)state;
	assert_int_equal(bpf_program__set_type(p, BPF_PROG_TYPE_SCHED_CLS), 0);
	assert_int_equal(bpf_program__type(p), BPF_PROG_TYPE_SCHED_CLS);
	assert_int_equal(bpf_program__set_expected_attach_type(p, BPF_CGROUP_INET_INGRESS), 0);
	assert_int_equal(bpf_program__expected_attach_type(p), BPF_CGROUP_INET_INGRESS);
	assert_int_equal(bpf_program__set_flags(p, BPF_F_SLEEPABLE), 0);
	assert_int_equal(bpf_program__flags(p), BPF_F_SLEEPABLE);
	assert_int_equal(bpf_program__set_log_level(p, 2), 0);
	assert_int_equal(bpf_program__log_level(p), 2);
	assert_int_equal(bpf_program__set_log_buf(p, log, sizeof(log)), 0);
	assert_ptr_equal(bpf_program__log_buf(p, &sz), log);
	assert_int_equal(sz, sizeof(log));
	assert_int_equal(bpf_program__set_log_buf(p, log, 0), -EINVAL);
	assert_int_equal(bpf_program__set_autoload(p, false), 0);
	assert_false(bpf_program__autoload(p));
	bpf_program__set_autoattach(p, false);
	assert_false(bpf_program__autoattach(p));
	assert_int_equal(bpf_program__set_insns(p, insns, 2), 0);
	assert_int_equal(bpf_program__insn_cnt(p), 2);
	assert_int_equal(bpf_program__insns(p)[1].code, BPF_JMP | BPF_EXIT);
	assert_int_equal(bpf_program__set_attach_target(p, 0, "do_unlinkat"), 0);

	assert_int_equal(bpf_map__set_type(m, BPF_MAP_TYPE_HASH), 0);
	assert_int_equal(bpf_map__type(m), BPF_MAP_TYPE_HASH);
	assert_int_equal(bpf_map__set_max_entries(m, 99), 0);
	assert_int_equal(bpf_map__max_entries(m), 99);
	assert_int_equal(bpf_map__set_map_flags(m, BPF_F_NO_PREALLOC), 0);
	assert_int_equal(bpf_map__map_flags(m), BPF_F_NO_PREALLOC);
	assert_int_equal(bpf_map__set_numa_node(m, 0), 0);
	assert_int_equal(bpf_map__set_map_extra(m, 0), 0);
	assert_int_equal(bpf_map__set_key_size(m, 8), 0);
	assert_int_equal(bpf_map__key_size(m), 8);
	assert_int_equal(bpf_map__btf_key_type_id(m), 0); /* no longer describes the key */
	assert_int_equal(bpf_map__set_value_size(m, 16), 0);
	assert_int_equal(bpf_map__set_autocreate(m, false), 0);
	assert_false(bpf_map__autocreate(m));
	assert_int_equal(bpf_map__set_pin_path(m, "/sys/fs/bpf/x"), 0);
	assert_string_equal(bpf_map__pin_path(m), "/sys/fs/bpf/x");
	assert_false(bpf_map__is_pinned(m));
	assert_int_equal(bpf_map__set_pin_path(m, NULL), 0);
	assert_null(bpf_map__pin_path(m));
	assert_int_equal(bpf_map__set_initial_value(m, buf, 8), -EINVAL); /* not global data */
	assert_int_equal(bpf_map__set_inner_map_fd(m, 0), -EINVAL);	   /* not map-in-map */

	/* global data: new initial image, and resizing keeps the prefix */
	buf[0] = 1234;
	assert_int_equal(bpf_map__set_initial_value(data, buf, bpf_map__value_size(data)), 0);
	assert_int_equal(((const int *)bpf_map__initial_value(data, NULL))[0], 1234);
	assert_int_equal(bpf_map__set_value_size(data, 256), 0);
	assert_int_equal(((const int *)bpf_map__initial_value(data, &sz))[0], 1234);
	assert_int_equal(sz, 256);

	assert_int_equal(bpf_object__set_kversion(obj, 0x60000), 0);
	assert_int_equal(bpf_object__kversion(obj), 0x60000);
	bpf_object__close(obj);
}

static void test_open_errors(void **state)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct { struct bpf_object_open_opts o; long extra; } big;

	(void)state;
	assert_null(bpf_object__open_file(NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_object__open("/nonexistent/evbpf.o"));
	assert_int_equal(errno, ENOENT);
	assert_null(bpf_object__open_mem(NULL, 10, NULL));
	assert_int_equal(errno, EINVAL);
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.extra = 1;
	assert_null(bpf_object__open_file(evbpf_test_prog_path("loader_basic"), &big.o));
	assert_int_equal(errno, EINVAL);
	opts.kernel_log_size = 10; /* size without buffer */
	assert_null(bpf_object__open_file(evbpf_test_prog_path("loader_basic"), &opts));
	assert_int_equal(errno, EINVAL);
	bpf_object__close(NULL);
}

/* libelf keeps one sticky error number per thread: an error left by
 * someone else must not fail the next open, and a failed open must not
 * leave one behind. */
static void test_open_after_libelf_error(void **state)
{
	static const char junk[64] = "definitely not an ELF file";
	static const char elf_hdr_only[16] = "\177ELF";
	struct bpf_object *obj;
	size_t n;
	Elf *e;

	(void)state;
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	e = elf_memory((char *)junk, sizeof(junk));
	assert_non_null(e);
	assert_int_not_equal(elf_getshdrstrndx(e, &n), 0);
	elf_end(e);
	assert_int_not_equal(elf_errno(), 0);
	/* again, and leave it set this time */
	e = elf_memory((char *)junk, sizeof(junk));
	assert_int_not_equal(elf_getshdrstrndx(e, &n), 0);
	elf_end(e);

	obj = bpf_object__open_file(evbpf_test_prog_path("loader_basic"), NULL);
	assert_non_null(obj);
	assert_non_null(bpf_object__find_program_by_name(obj, "xdp_main"));
	bpf_object__close(obj);

	/* a failed open clears what libelf recorded */
	assert_null(bpf_object__open_mem(elf_hdr_only, sizeof(elf_hdr_only), NULL));
	assert_int_equal(elf_errno(), 0);
}

static const char *corpus_dir(void)
{
	static char path[4096];
	const char *src = getenv("EVBPF_TEST_SRC");

	snprintf(path, sizeof(path), "%s/corpus/elf", src ? src : "tests");
	return path;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_malformed_corpus(void **state)
{
	DIR *d = opendir(corpus_dir());
	struct dirent *e;
	int bad = 0, good = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = e->d_name);
		char path[8192];
		struct bpf_object *obj;
		size_t size;
		void *buf;

		if (strncmp(e->d_name, "bad_", 4) && strncmp(e->d_name, "good_", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s", corpus_dir(), e->d_name);
		buf = evbpf_test_read_file(path, &size);
		assert_non_null(buf);
		evbpf_test_log_reset();
		errno = 0;
		obj = bpf_object__open_mem(buf, size, &opts);
		free(buf);
		if (e->d_name[0] == 'g') {
			if (!obj)
				fail_msg("%s: did not open (%d): %s", e->d_name, errno,
					 evbpf_test_log());
			bpf_object__close(obj);
			good++;
			continue;
		}
		if (obj)
			fail_msg("%s: opened", e->d_name);
		if (errno <= 0)
			fail_msg("%s: errno %d", e->d_name, errno);
		/* BTF's own parser words the offset its way ("types [0+2544]") */
		if (count_lines(evbpf_test_log()) != 1 ||
		    !strstr(evbpf_test_log(), e->d_name) ||
		    !strstr(evbpf_test_log(), "section") ||
		    (!strstr(evbpf_test_log(), "offset") && !strstr(evbpf_test_log(), ".BTF")))
			fail_msg("%s: want one line naming object, section, offset; got:\n%s",
				 e->d_name, evbpf_test_log());
		bad++;
	}
	closedir(d);
	assert_true(bad >= 20);
	assert_true(good >= 2);
}

static void test_relaxed_maps(void **state)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .relaxed_maps = true);
	char path[8192];
	struct bpf_object *obj;
	size_t size;
	void *buf;

	(void)state;
	snprintf(path, sizeof(path), "%s/bad_unknown_map_attribute.o", corpus_dir());
	buf = evbpf_test_read_file(path, &size);
	assert_non_null(buf);
	obj = bpf_object__open_mem(buf, size, &opts);
	free(buf);
	assert_non_null(obj);
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_internal_map_names),
		cmocka_unit_test(test_setters),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_open_after_libelf_error),
		cmocka_unit_test(test_malformed_corpus),
		cmocka_unit_test(test_relaxed_maps),
	};

	evbpf_test_capture_log();
	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
