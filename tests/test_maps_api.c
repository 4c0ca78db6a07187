// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bpf_map__* API against the kernel: size-checked element operations,
 * per-CPU value sizes, reuse_fd, inner map fds, global data memory after
 * load, and pinning of maps and programs (one by one and per object).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void test_elem_ops(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_map *m;
	__u32 key = 3, next = 0, k2 = 5;
	__u64 val = 11, got = 0, key64 = 0;

	(void)state;
	assert_int_equal(bpf_object__load(obj), 0);
	m = bpf_object__find_map_by_name(obj, "by_size");
	assert_int_equal(bpf_map__update_elem(m, &key, 4, &val, 8, BPF_NOEXIST), 0);
	assert_int_equal(bpf_map__update_elem(m, &key, 4, &val, 8, BPF_NOEXIST), -EEXIST);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(bpf_map__lookup_elem(m, &key, 4, &got, 8, 0), 0);
	assert_int_equal(got, 11);
	/* wrong sizes never reach the kernel */
	assert_int_equal(bpf_map__lookup_elem(m, &key64, 8, &got, 8, 0), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(bpf_map__lookup_elem(m, &key, 4, &got, 4, 0), -EINVAL);
	assert_int_equal(bpf_map__update_elem(m, &key, 2, &val, 8, 0), -EINVAL);
	assert_int_equal(bpf_map__delete_elem(m, &key, 8, 0), -EINVAL);
	assert_int_equal(bpf_map__get_next_key(m, NULL, &next, 8), -EINVAL);
	assert_int_equal(bpf_map__get_next_key(m, NULL, &next, 4), 0);
	assert_int_equal(next, 3);
	assert_int_equal(bpf_map__get_next_key(m, &next, &next, 4), -ENOENT);
	assert_int_equal(bpf_map__update_elem(m, &k2, 4, &val, 8, 0), 0);
	assert_int_equal(bpf_map__lookup_and_delete_elem(m, &k2, 4, &got, 8, 0), 0);
	assert_int_equal(bpf_map__lookup_elem(m, &k2, 4, &got, 8, 0), -ENOENT);
	assert_int_equal(bpf_map__delete_elem(m, &key, 4, 0), 0);
	assert_int_equal(bpf_map__delete_elem(m, &key, 4, 0), -ENOENT);
	bpf_object__close(obj);

	/* before load: no fd yet */
	obj = open_prog("loader_basic");
	m = bpf_object__find_map_by_name(obj, "by_size");
	assert_int_equal(bpf_map__lookup_elem(m, &key, 4, &got, 8, 0), -EINVAL);
	bpf_object__close(obj);
}

static void test_percpu_sizes(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	int cpus = libbpf_num_possible_cpus();
	struct bpf_map *m;
	__u64 *vals;
	__u32 key = 0;
	size_t sz;

	(void)state;
	assert_true(cpus > 0);
	assert_int_equal(bpf_object__load(obj), 0);
	m = bpf_object__find_map_by_name(obj, "percpu");
	/* 4-byte values are laid out 8 bytes apart, one per possible CPU */
	sz = 8 * (size_t)cpus;
	vals = calloc((size_t)cpus, 8);
	assert_non_null(vals);
	assert_int_equal(bpf_map__lookup_elem(m, &key, 4, vals, 4, 0), -EINVAL);
	assert_int_equal(bpf_map__lookup_elem(m, &key, 4, vals, sz, 0), 0);
	vals[0] = 9;
	assert_int_equal(bpf_map__update_elem(m, &key, 4, vals, sz, 0), 0);
	vals[0] = 0;
	assert_int_equal(bpf_map__lookup_elem(m, &key, 4, vals, sz, 0), 0);
	assert_int_equal((__u32)vals[0], 9);
	free(vals);
	bpf_object__close(obj);
}

static void test_reuse_fd_and_queue(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "by_size");
	struct bpf_map_info a, b;
	__u32 la = sizeof(a), lb = sizeof(b);
	__u64 v = 5, got = 0;
	int qfd;

	(void)state;
	qfd = bpf_map_create(BPF_MAP_TYPE_QUEUE, "evbpf_q", 0, 8, 4, NULL);
	assert_true(qfd >= 0);
	assert_int_equal(bpf_map__reuse_fd(m, qfd), 0);
	assert_int_equal(bpf_map__type(m), BPF_MAP_TYPE_QUEUE);
	assert_int_equal(bpf_map__key_size(m), 0);
	assert_int_equal(bpf_map__max_entries(m), 4);
	assert_int_equal(bpf_object__load(obj), 0);
	/* a duplicate of the caller's fd: same map, different fd */
	assert_int_not_equal(bpf_map__fd(m), qfd);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_int_equal(bpf_map_get_info_by_fd(qfd, &a, &la), 0);
	assert_int_equal(bpf_map_get_info_by_fd(bpf_map__fd(m), &b, &lb), 0);
	assert_int_equal(a.id, b.id);
	close(qfd);
	/* queues: no key */
	assert_int_equal(bpf_map__update_elem(m, NULL, 0, &v, 8, 0), 0);
	assert_int_equal(bpf_map__lookup_and_delete_elem(m, NULL, 0, &got, 8, 0), 0);
	assert_int_equal(got, 5);
	assert_int_equal(bpf_map__lookup_and_delete_elem(m, NULL, 0, &got, 8, 0), -ENOENT);
	bpf_object__close(obj);
}

static void test_inner_map_fd(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_map *outer = bpf_object__find_map_by_name(obj, "outer");
	int tmpl;

	(void)state;
	tmpl = bpf_map_create(BPF_MAP_TYPE_ARRAY, "evbpf_tmpl", 4, 4, 1, NULL);
	assert_true(tmpl >= 0);
	assert_int_equal(bpf_map__set_inner_map_fd(outer, tmpl), 0);
	close(tmpl); /* the map keeps its own duplicate */
	assert_int_equal(bpf_object__load(obj), 0);
	assert_true(bpf_map__fd(outer) >= 0);
	assert_int_equal(bpf_map__set_inner_map_fd(outer, 0), -EBUSY);
	bpf_object__close(obj);
}

static void test_global_data_memory(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	struct bpf_map *data = bpf_object__find_map_by_name(obj, ".data");
	void *before, *after;
	int *d, zero = 0, buf[16];
	size_t sz;

	(void)state;
	before = bpf_map__initial_value(data, NULL);
	assert_null(evbpf__map_mmaped(data, NULL));
	assert_int_equal(bpf_object__load(obj), 0);
	/* the image pointer taken before load now shows the map's memory */
	after = bpf_map__initial_value(data, &sz);
	assert_ptr_equal(before, after);
	assert_ptr_equal(evbpf__map_mmaped(data, NULL), after);
	d = after;
	d[0] = 4242;
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(data), &zero, buf), 0);
	assert_int_equal(buf[0], 4242);
	assert_non_null(evbpf__map_mmaped(bss, &sz));
	assert_true(sz >= 4096);
	bpf_object__close(obj);
}

static char dir[128];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/evbpf_maps_api_%d", (int)getpid());
	if (mkdir(dir, 0700) && errno != EEXIST)
		fail_msg("mkdir %s: %s", dir, strerror(errno));
}

static bool exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void test_pinning(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_map *counters;
	struct bpf_program *prog;
	char path[256];
	int fd;

	(void)state;
	make_dir();
	assert_int_equal(bpf_object__pin_maps(obj, dir), -ENOENT); /* not loaded */
	assert_int_equal(bpf_object__load(obj), 0);
	counters = bpf_object__find_map_by_name(obj, "counters");
	prog = bpf_object__find_program_by_name(obj, "sock_prog");

	/* one map, one program */
	snprintf(path, sizeof(path), "%s/one_map", dir);
	assert_int_equal(bpf_map__pin(counters, path), 0);
	assert_true(bpf_map__is_pinned(counters));
	assert_string_equal(bpf_map__pin_path(counters), path);
	fd = bpf_obj_get(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(bpf_map__unpin(counters, NULL), 0);
	assert_false(bpf_map__is_pinned(counters));
	assert_false(exists("one_map"));
	snprintf(path, sizeof(path), "%s/one_prog", dir);
	assert_int_equal(bpf_program__pin(prog, path), 0);
	assert_true(exists("one_prog"));
	assert_int_equal(bpf_program__unpin(prog, path), 0);
	assert_false(exists("one_prog"));
	assert_int_equal(bpf_map__set_pin_path(counters, NULL), 0);

	/* maps with a pin path only, when no folder is given */
	snprintf(path, sizeof(path), "%s/by_path", dir);
	assert_int_equal(bpf_map__set_pin_path(counters, path), 0);
	assert_int_equal(bpf_object__pin_maps(obj, NULL), 0);
	assert_true(exists("by_path"));
	assert_false(exists("loader_b_bss"));
	assert_int_equal(bpf_object__unpin_maps(obj, NULL), 0);
	assert_false(exists("by_path"));
	assert_int_equal(bpf_map__set_pin_path(counters, NULL), 0);

	/* the whole object */
	assert_int_equal(bpf_object__pin(obj, dir), 0);
	assert_true(exists("counters"));
	assert_true(exists("loader_b_bss")); /* bpffs takes no dots */
	assert_true(exists("xdp_main"));
	assert_true(exists("sock_prog"));
	assert_int_equal(bpf_object__unpin(obj, dir), 0);
	assert_false(exists("counters"));
	assert_false(exists("xdp_main"));

	bpf_object__close(obj);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elem_ops),
		cmocka_unit_test(test_percpu_sizes),
		cmocka_unit_test(test_reuse_fd_and_queue),
		cmocka_unit_test(test_inner_map_fd),
		cmocka_unit_test(test_global_data_memory),
		cmocka_unit_test(test_pinning),
	};

	evbpf_test_capture_log();
	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
