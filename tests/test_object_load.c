// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loading objects into the kernel: every map style, global data,
 * subprograms, static functions, callbacks, map-in-map, tail calls; the
 * verifier log; teardown after success and after a failed load.
 */
#include <errno.h>
#include <string.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/if_ether.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "object/object_internal.h"
#include "evbpf_test.h"

static struct bpf_object *open_prog(const char *name)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path(name), NULL);

	assert_non_null(obj);
	return obj;
}

static int run_xdp(const struct bpf_program *prog, __u32 *retval)
{
	unsigned char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = 1);
	int err;

	pkt[12] = 0x08; /* IPv4 ethertype, not that it matters */
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);
	*retval = topts.retval;
	return err;
}

struct basic_bss {
	int bss_var;
	__u64 bss_result;
	__u64 bss_loop_sum;
	__u32 bss_tail_hit;
};

static void test_basic_load_and_run(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_program *xdp, *sock;
	struct bpf_map *bss, *data, *counters, *outer, *inner_a;
	struct basic_bss *b;
	__u32 key = 0, retval = 0, val = 0;
	__u64 cnt = 0;
	size_t sz = 0;
	int *d;

	(void)state;
	assert_int_equal(bpf_object__load(obj), 0);
	xdp = bpf_object__find_program_by_name(obj, "xdp_main");
	sock = bpf_object__find_program_by_name(obj, "sock_prog");
	assert_non_null(xdp);
	assert_non_null(sock);
	assert_true(bpf_program__fd(xdp) >= 0);

	assert_int_equal(run_xdp(xdp, &retval), 0);
	/* the tail call into tail_target answers XDP_TX */
	assert_int_equal(retval, XDP_TX);

	bss = bpf_object__find_map_by_name(obj, ".bss");
	assert_non_null(bss);
	assert_string_equal(bpf_map__name(bss), "loader_b.bss");
	b = bpf_map__initial_value(bss, &sz);
	assert_non_null(b);
	assert_true(sz >= offsetof(struct basic_bss, bss_tail_hit) + sizeof(__u32));
	assert_int_equal(b->bss_var, 7 + 100 + 5);
	assert_int_equal(b->bss_result, (1000 + 42) * 3);
	assert_int_equal(b->bss_loop_sum, 0 + 1 + 2 + 3 + 4);
	assert_int_equal(b->bss_tail_hit, 1);

	data = bpf_object__find_map_by_name(obj, "loader_b.data");
	assert_non_null(data);
	d = bpf_map__initial_value(data, &sz);
	assert_non_null(d);
	assert_int_equal(d[0], 7);
	assert_int_equal(d[4], 'r'); /* data_arr[3] = ro_str[0] */

	counters = bpf_object__find_map_by_name(obj, "counters");
	assert_int_equal(bpf_map__lookup_elem(counters, &key, sizeof(key), &cnt, sizeof(cnt), 0), 0);
	assert_int_equal(cnt, 1);

	/* the statically initialised inner map got the write */
	outer = bpf_object__find_map_by_name(obj, "outer");
	inner_a = bpf_object__find_map_by_name(obj, "inner_a");
	assert_non_null(outer);
	assert_non_null(bpf_map__inner_map(outer));
	assert_int_equal(bpf_map__lookup_elem(inner_a, &key, sizeof(key), &val, sizeof(val), 0), 0);
	assert_int_equal(val, 77);

	bpf_object__close(obj);
}

static void test_socket_filter_run(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	unsigned char pkt[ETH_HLEN + 20] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt, .data_size_in = sizeof(pkt));
	struct bpf_program *sock;
	__u32 key = 1;
	__u64 cnt = 0;

	(void)state;
	assert_int_equal(bpf_object__load(obj), 0);
	sock = bpf_object__find_program_by_name(obj, "sock_prog");
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(sock), &topts), 0);
	assert_int_equal(topts.retval, 1 + 2 + 5);
	assert_int_equal(bpf_map__lookup_elem(bpf_object__find_map_by_name(obj, "counters"),
					      &key, sizeof(key), &cnt, sizeof(cnt), 0), 0);
	assert_int_equal(cnt, 1);
	bpf_object__close(obj);
}

static int run_sock(const struct bpf_program *prog)
{
	unsigned char pkt[ETH_HLEN + 20] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt, .data_size_in = sizeof(pkt));

	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &topts), 0);
	return (int)topts.retval;
}

static void test_legacy_maps_and_static_prog(void **state)
{
	struct bpf_object *obj;
	struct bpf_program *p, *opt;
	struct bpf_map *arr, *hash, *stat;
	__u32 key = 0, hv = 0, sv = 0;
	__u64 v = 0;

	(void)state;
	evbpf_test_log_reset();
	obj = open_prog("loader_legacy");
	/* exactly one WARN line about the legacy section */
	assert_non_null(strstr(evbpf_test_log(), "legacy struct bpf_map_def"));
	p = bpf_object__find_program_by_name(obj, "static_prog");
	opt = bpf_object__find_program_by_name(obj, "optional_prog");
	assert_non_null(p);
	assert_non_null(opt);
	assert_false(bpf_program__autoload(opt));
	assert_string_equal(bpf_program__section_name(opt), "socket");
	arr = bpf_object__find_map_by_name(obj, "legacy_arr");
	hash = bpf_object__find_map_by_name(obj, "legacy_hash");
	assert_int_equal(bpf_map__type(arr), BPF_MAP_TYPE_ARRAY);
	assert_int_equal(bpf_map__value_size(arr), 8);
	assert_int_equal(bpf_map__max_entries(hash), 8);
	assert_int_equal(bpf_object__load(obj), 0);
	assert_int_equal(bpf_program__fd(opt), -EINVAL);
	assert_int_equal(run_sock(p), 9);
	assert_int_equal(bpf_map__lookup_elem(arr, &key, 4, &v, 8, 0), 0);
	assert_int_equal(v, 10);
	assert_int_equal(bpf_map__lookup_elem(hash, &key, 4, &hv, 4, 0), 0);
	assert_int_equal(hv, 5);
	/* the static map, referenced through the section symbol + addend */
	stat = bpf_object__find_map_by_name(obj, "legacy_static");
	assert_non_null(stat);
	assert_int_equal(bpf_map__lookup_elem(stat, &key, 4, &sv, 4, 0), 0);
	assert_int_equal(sv, 77);
	bpf_object__close(obj);
}

static char pin_root[128];

static void make_pin_root(void)
{
	snprintf(pin_root, sizeof(pin_root), "/sys/fs/bpf/evbpf_loader_%d", (int)getpid());
	if (mkdir(pin_root, 0700) && errno != EEXIST)
		fail_msg("cannot create %s: %s", pin_root, strerror(errno));
}

static void test_pin_by_name_reuse(void **state)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *a, *b;
	struct bpf_map *ma, *mb;
	char path[256];
	__u32 key = 0;
	__u64 v = 41, got = 0;

	(void)state;
	make_pin_root();
	opts.pin_root_path = pin_root;
	snprintf(path, sizeof(path), "%s/pinned_counts", pin_root);
	a = bpf_object__open_file(evbpf_test_prog_path("loader_pin"), &opts);
	assert_non_null(a);
	ma = bpf_object__find_map_by_name(a, "pinned_counts");
	assert_string_equal(bpf_map__pin_path(ma), path);
	assert_int_equal(bpf_object__load(a), 0);
	assert_true(bpf_map__is_pinned(ma));
	/* ringbuf size rounded up to a power-of-2 number of pages */
	assert_int_equal(bpf_map__max_entries(bpf_object__find_map_by_name(a, "events")), 8192);
	assert_int_equal(bpf_map__update_elem(ma, &key, 4, &v, 8, 0), 0);

	b = bpf_object__open_file(evbpf_test_prog_path("loader_pin"), &opts);
	assert_non_null(b);
	assert_int_equal(bpf_object__load(b), 0);
	mb = bpf_object__find_map_by_name(b, "pinned_counts");
	assert_true(bpf_map__is_pinned(mb));
	/* same kernel map: b sees a's value and a's program counts into it */
	assert_int_equal(bpf_map__lookup_elem(mb, &key, 4, &got, 8, 0), 0);
	assert_int_equal(got, 41);
	run_sock(bpf_object__find_program_by_name(a, "count_it"));
	assert_int_equal(bpf_map__lookup_elem(mb, &key, 4, &got, 8, 0), 0);
	assert_int_equal(got, 42);
	bpf_object__close(b);
	assert_int_equal(bpf_map__unpin(ma, NULL), 0);
	bpf_object__close(a);
	assert_int_equal(access(path, F_OK), -1);
	rmdir(pin_root);
}

static void test_pin_incompatible(void **state)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *obj;
	char path[256];
	int fd, err;

	(void)state;
	make_pin_root();
	snprintf(path, sizeof(path), "%s/pinned_counts", pin_root);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "other", 4, 8, 99, NULL);
	assert_true(fd >= 0);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	close(fd);

	opts.pin_root_path = pin_root;
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_pin"), &opts);
	assert_non_null(obj);
	evbpf_test_log_reset();
	err = bpf_object__load(obj);
	assert_int_equal(err, -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "incompatible"));
	assert_non_null(strstr(evbpf_test_log(), "max_entries 99/4"));
	bpf_object__close(obj);
	/* the pinned map of someone else stays */
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
	rmdir(pin_root);
}

static void test_verifier_log(void **state)
{
	struct bpf_object *obj = open_prog("loader_fail");
	struct bpf_program *bad, *fentry;
	char buf[65536];
	int err;

	(void)state;
	bad = bpf_object__find_program_by_name(obj, "bad_access");
	fentry = bpf_object__find_program_by_name(obj, "fentry_prog");
	assert_int_equal(bpf_program__set_autoload(fentry, false), 0);
	assert_int_equal(bpf_program__set_log_buf(bad, buf, sizeof(buf)), 0);
	evbpf_test_log_reset();
	err = bpf_object__load(obj);
	assert_true(err < 0);
	assert_int_equal(errno, -err);
	/* whole log in the user's buffer, its tail in the WARN line */
	assert_non_null(strstr(buf, "invalid bpf_context access"));
	assert_non_null(strstr(evbpf_test_log(), "prog 'bad_access'"));
	assert_non_null(strstr(evbpf_test_log(), "invalid bpf_context access"));
	/* a failed load leaves only close */
	assert_int_equal(bpf_object__load(obj), -EINVAL);
	bpf_object__close(obj);

	/* without a user buffer the library captures the log itself */
	obj = open_prog("loader_fail");
	bpf_program__set_autoload(bpf_object__find_program_by_name(obj, "fentry_prog"), false);
	evbpf_test_log_reset();
	assert_true(bpf_object__load(obj) < 0);
	assert_non_null(strstr(evbpf_test_log(), "invalid bpf_context access"));
	bpf_object__close(obj);
}

static void test_trampoline_eperm(void **state)
{
	struct bpf_object *obj = open_prog("loader_fail");
	int err;

	(void)state;
	bpf_program__set_autoload(bpf_object__find_program_by_name(obj, "bad_access"), false);
	evbpf_test_log_reset();
	err = bpf_object__load(obj);
	if (!err) {
		/* a kernel that allows trampolines */
		assert_true(bpf_program__fd(bpf_object__find_program_by_name(obj, "fentry_prog")) >= 0);
	} else {
		assert_int_equal(err, -EPERM);
		assert_non_null(strstr(evbpf_test_log(), "kernel refused a trampoline program (EPERM)"));
		assert_null(strstr(evbpf_test_log(), "ulimit"));
	}
	bpf_object__close(obj);
}

static void test_externs(void **state)
{
	struct bpf_object *obj = open_prog("loader_extern");
	struct bpf_map *bss;
	struct { __u32 version; int missing; __u64 ksym; } *g;
	unsigned long long addr = 0;
	char line[256];
	FILE *f;

	(void)state;
	assert_int_equal(bpf_object__load(obj), 0);
	run_sock(bpf_object__find_program_by_name(obj, "read_externs"));
	bss = bpf_object__find_map_by_name(obj, ".bss");
	g = bpf_map__initial_value(bss, NULL);
	assert_non_null(g);
	assert_true(g->version >= (6u << 16));
	assert_int_equal(g->missing, 0);
	f = fopen("/proc/kallsyms", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char type, name[200];

		if (sscanf(line, "%llx %c %199s", &addr, &type, name) == 3 &&
		    !strcmp(name, "__start_rodata"))
			break;
		addr = 0;
	}
	fclose(f);
	if (addr)
		assert_int_equal(g->ksym, addr);
	bpf_object__close(obj);
}

static void test_rodata_initial_value(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_map *ro, *bss;
	size_t sz = 0;
	int *img, zero = 0;
	char big[4096];
	struct basic_bss *b;
	__u32 retval;

	(void)state;
	ro = bpf_object__find_map_by_name(obj, ".rodata");
	assert_non_null(ro);
	assert_string_equal(bpf_map__name(ro), "loader_b.rodata");
	img = bpf_map__initial_value(ro, &sz);
	assert_non_null(img);
	assert_int_equal(img[0], 100);
	img[0] = 200; /* the way skeletons set .rodata before load */
	assert_int_equal(bpf_map__set_initial_value(ro, big, 3), -EINVAL);
	assert_int_equal(bpf_object__load(obj), 0);
	assert_int_equal(run_xdp(bpf_object__find_program_by_name(obj, "xdp_main"), &retval), 0);
	bss = bpf_object__find_map_by_name(obj, ".bss");
	b = bpf_map__initial_value(bss, NULL);
	assert_int_equal(b->bss_var, 7 + 200 + 5);
	/* .rodata is frozen: user space cannot change it any more */
	assert_true(bpf_map_update_elem(bpf_map__fd(ro), &zero, big, 0) < 0);
	/* and setters are refused after load */
	assert_int_equal(bpf_map__set_max_entries(bss, 5), -EBUSY);
	assert_int_equal(bpf_map__set_initial_value(bss, big, bpf_map__value_size(bss)), -EBUSY);
	bpf_object__close(obj);
}

static int setup_calls;
static int prepare_calls;

static int my_setup(struct bpf_program *prog, long cookie)
{
	assert_int_equal(cookie, 1234);
	setup_calls++;
	return bpf_program__set_type(prog, BPF_PROG_TYPE_SOCKET_FILTER);
}

static int my_prepare(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	(void)prog;
	(void)opts;
	assert_int_equal(cookie, 1234);
	prepare_calls++;
	return 0;
}

static void test_custom_handler(void **state)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, hopts, .cookie = 1234,
		    .prog_setup_fn = my_setup, .prog_prepare_load_fn = my_prepare);
	struct bpf_object *obj;
	struct bpf_program *p;
	int id;

	(void)state;
	/* take over "socket" programs */
	id = libbpf_register_prog_handler("socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, &hopts);
	assert_true(id > 0);
	obj = open_prog("loader_fail");
	assert_int_equal(setup_calls, 2);
	bpf_program__set_autoload(bpf_object__find_program_by_name(obj, "bad_access"), false);
	bpf_program__set_autoload(bpf_object__find_program_by_name(obj, "fentry_prog"), false);
	assert_int_equal(bpf_object__load(obj), 0);
	assert_int_equal(prepare_calls, 1);
	p = bpf_object__find_program_by_name(obj, "fine_prog");
	assert_int_equal(run_sock(p), 3);
	bpf_object__close(obj);
	assert_int_equal(libbpf_unregister_prog_handler(id), 0);
	assert_int_equal(libbpf_unregister_prog_handler(id), -ENOENT);
}

static void test_autoload_and_autocreate(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_program *sock = bpf_object__find_program_by_name(obj, "sock_prog");
	struct bpf_map *by_size = bpf_object__find_map_by_name(obj, "by_size");

	(void)state;
	assert_int_equal(bpf_program__set_autoload(sock, false), 0);
	/* by_size is used by nobody: skipping it is fine */
	assert_int_equal(bpf_map__set_autocreate(by_size, false), 0);
	assert_int_equal(bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "counters"), 8), 0);
	assert_int_equal(bpf_object__load(obj), 0);
	assert_int_equal(bpf_program__fd(sock), -EINVAL);
	assert_int_equal(bpf_map__fd(by_size), -EINVAL);
	assert_int_equal(bpf_map__max_entries(bpf_object__find_map_by_name(obj, "counters")), 8);
	assert_int_equal(bpf_object__load(obj), -EINVAL); /* twice */
	bpf_object__close(obj);
}

static void test_open_mem_and_close_unloaded(void **state)
{
	size_t size = 0;
	void *buf = evbpf_test_read_file(evbpf_test_prog_path("loader_basic"), &size);
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "mem_obj");
	struct bpf_object *obj;

	(void)state;
	assert_non_null(buf);
	obj = bpf_object__open_mem(buf, size, &opts);
	free(buf); /* the object keeps its own copy */
	assert_non_null(obj);
	assert_string_equal(bpf_object__name(obj), "mem_obj");
	assert_non_null(bpf_object__find_map_by_name(obj, "mem_obj.bss"));
	assert_int_equal(bpf_object__prepare(obj), 0);
	assert_true(bpf_map__fd(bpf_object__find_map_by_name(obj, "counters")) >= 0);
	assert_true(bpf_object__btf_fd(obj) >= 0);
	bpf_object__close(obj); /* prepared, never loaded */
}


static void test_log_level_own_buffer(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_program *xdp = bpf_object__find_program_by_name(obj, "xdp_main");

	(void)state;
	/* a level without a buffer of the user's: the library's own buffer,
	 * printed whole at INFO */
	assert_int_equal(bpf_program__set_log_level(xdp, 2), 0);
	evbpf_test_log_reset();
	assert_int_equal(bpf_object__load(obj), 0);
	assert_non_null(strstr(evbpf_test_log(), "prog 'xdp_main': verifier log"));
	assert_non_null(strstr(evbpf_test_log(), "processed"));
	bpf_object__close(obj);
}

static void test_find_vmlinux_btf_id(void **state)
{
	(void)state;
	assert_true(libbpf_find_vmlinux_btf_id("sched_switch", BPF_TRACE_RAW_TP) > 0);
	assert_true(libbpf_find_vmlinux_btf_id("do_nanosleep", BPF_TRACE_FENTRY) > 0);
	assert_true(libbpf_find_vmlinux_btf_id("task", BPF_TRACE_ITER) > 0);
	assert_int_equal(libbpf_find_vmlinux_btf_id("evbpf_no_such_fn", BPF_TRACE_FENTRY), -ESRCH);
}

static void test_struct_ops(void **state)
{
	struct bpf_object *obj = open_prog("loader_struct_ops");
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "evbpf_ca");
	const void *value = NULL;
	const char *name;
	size_t size = 0;
	int zero = 0, err;

	(void)state;
	assert_non_null(map);
	assert_int_equal(bpf_map__type(map), BPF_MAP_TYPE_STRUCT_OPS);
	name = (const char *)bpf_map__initial_value(map, &size) + 3 * sizeof(void *);
	assert_string_equal(name, "evbpf_ca");
	assert_int_equal(bpf_object__load(obj), 0);
	assert_true(bpf_map__fd(map) >= 0);
	assert_true(bpf_map__value_size(map) > size);
	assert_true(bpf_program__fd(bpf_object__find_program_by_name(obj, "evbpf_ssthresh")) >= 0);
	assert_true(bpf_program__fd(bpf_object__find_program_by_name(obj, "evbpf_cong_avoid")) >= 0);
	assert_true(bpf_program__fd(bpf_object__find_program_by_name(obj, "evbpf_undo_cwnd")) >= 0);
	/* used by no struct_ops map: not loaded */
	assert_int_equal(bpf_program__fd(bpf_object__find_program_by_name(obj, "evbpf_unused")),
			 -EINVAL);
	/* the kernel value: data member copied by name, programs as fds */
	assert_int_equal(evbpf__struct_ops_kern_value(map, &value, &size), 0);
	assert_int_equal(size, bpf_map__value_size(map));
	assert_non_null(memmem(value, size, "evbpf_ca", 9));
	/* registering it is the attach code's job; the value must be one the
	 * kernel accepts (or refuses only for lack of trampolines) */
	err = bpf_map_update_elem(bpf_map__fd(map), &zero, value, 0);
	assert_true(err == 0 || err == -EPERM || err == -EEXIST || err == -524 /* ENOTSUPP */);
	if (!err)
		bpf_map_delete_elem(bpf_map__fd(map), &zero);
	bpf_object__close(obj);
}

static void test_map_not_created_poison(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");

	(void)state;
	/* a program that uses a map left out is refused only where it
	 * reaches the reference, and the error names the map */
	assert_int_equal(bpf_map__set_autocreate(bpf_object__find_map_by_name(obj, "counters"),
						 false), 0);
	evbpf_test_log_reset();
	assert_true(bpf_object__load(obj) < 0);
	assert_non_null(strstr(evbpf_test_log(), "uses map 'counters', which was not created"));
	bpf_object__close(obj);
}

static void test_object_log_buf(void **state)
{
	static char buf[1 << 16];
	LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = buf,
		    .kernel_log_size = sizeof(buf));
	struct bpf_object *obj;

	(void)state;
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_fail"), &opts);
	assert_non_null(obj);
	bpf_program__set_autoload(bpf_object__find_program_by_name(obj, "fentry_prog"), false);
	assert_true(bpf_object__load(obj) < 0);
	/* the object-wide buffer received the failing program's log */
	assert_non_null(strstr(buf, "invalid bpf_context access"));
	bpf_object__close(obj);
}

/* The global data section @sec of @obj after load. */
static void *obj_data(struct bpf_object *obj, const char *sec)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, sec);
	size_t sz = 0;

	assert_non_null(map);
	return bpf_map__initial_value(map, &sz);
}

static void test_hidden_func_is_static(void **state)
{
	struct bpf_object *obj = open_prog("loader_hidden");
	const struct btf_type *t;
	struct btf *btf;
	__u32 retval = 0;
	__u64 *out;
	__s32 id;

	(void)state;
	/* only loads when verified in the caller's context */
	assert_int_equal(bpf_object__load(obj), 0);
	assert_true(bpf_object__btf_fd(obj) >= 0);
	btf = bpf_object__btf(obj);
	id = btf__find_by_name_kind(btf, "hidden_add", BTF_KIND_FUNC);
	assert_true(id > 0);
	t = btf__type_by_id(btf, (__u32)id);
	assert_int_equal(btf_vlen(t), BTF_FUNC_STATIC);
	assert_int_equal(run_xdp(bpf_object__find_program_by_name(obj, "hidden_caller"),
				 &retval), 0);
	assert_int_equal(retval, XDP_PASS);
	out = obj_data(obj, ".bss");
	assert_non_null(out);
	assert_int_equal(*out, 42);
	bpf_object__close(obj);
}

static void test_kfunc_object_btf_loads(void **state)
{
	struct bpf_object *obj = open_prog("loader_kfunc");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "kfunc_prog");
	struct bpf_prog_info info;
	__u32 len = sizeof(info), *bss;
	LIBBPF_OPTS(bpf_test_run_opts, run);

	(void)state;
	assert_non_null(prog);
	evbpf_test_log_reset();
	assert_int_equal(bpf_object__load(obj), 0);
	/* no "Invalid func linkage" / "Invalid arg#": the BTF went in */
	assert_null(strstr(evbpf_test_log(), "refused the object's BTF"));
	assert_true(bpf_object__btf_fd(obj) >= 0);
	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len), 0);
	/* kfunc_prog and kfunc_sub */
	assert_int_equal(info.nr_func_info, 2);
	assert_true(info.nr_line_info > 0);
	assert_int_equal(info.btf_id != 0, 1);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &run), 0);
	bss = obj_data(obj, ".bss");
	assert_int_equal(bss[0], 1);	/* kfunc_ran */
	assert_int_equal(bss[1], 0);	/* the missing kfunc was not called */
	bpf_object__close(obj);
}

static void test_btf_refused_warns_once(void **state)
{
	struct bpf_object *obj = open_prog("loader_kfunc");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "kfunc_prog");
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	const char *log, *hit;
	struct btf_type *t;
	__s32 id;

	(void)state;
	/* break the object's BTF in a way only the kernel objects to: a
	 * defined variable with extern linkage */
	id = btf__find_by_name_kind(bpf_object__btf(obj), "kfunc_out", BTF_KIND_VAR);
	assert_true(id > 0);
	t = (struct btf_type *)btf__type_by_id(bpf_object__btf(obj), (__u32)id);
	btf_var(t)->linkage = BTF_VAR_GLOBAL_EXTERN;
	evbpf_test_log_reset();
	/* BTF only adds information: the object still loads, without it */
	assert_int_equal(bpf_object__load(obj), 0);
	assert_int_equal(bpf_object__btf_fd(obj), -1);
	log = evbpf_test_log();
	hit = strstr(log, "loader_kfunc: section '.BTF' offset 0: kernel refused the object's BTF");
	assert_non_null(hit);
	assert_null(strstr(hit + strlen("loader_kfunc: section '.BTF' offset 0: kernel refused"),
			   "refused the object's BTF"));
	assert_non_null(strstr(log, "Linkage not supported"));
	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len), 0);
	assert_int_equal(info.nr_func_info, 0);
	bpf_object__close(obj);
}

static void test_ulong_map_extra(void **state)
{
	struct bpf_object *obj = open_prog("loader_ulong");
	struct bpf_map *bloom = bpf_object__find_map_by_name(obj, "ulong_bloom");
	struct bpf_map_info info;
	__u32 len = sizeof(info), retval = 0, v;
	long *bss;

	(void)state;
	assert_non_null(bloom);
	assert_int_equal(bpf_map__type(bloom), BPF_MAP_TYPE_BLOOM_FILTER);
	assert_int_equal(bpf_map__map_extra(bloom), 3);
	assert_int_equal(bpf_object__load(obj), 0);
	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_map_get_info_by_fd(bpf_map__fd(bloom), &info, &len), 0);
	assert_int_equal(info.map_extra, 3);
	assert_int_equal(run_xdp(bpf_object__find_program_by_name(obj, "bloom_prog"), &retval), 0);
	assert_int_equal(retval, XDP_PASS);
	bss = obj_data(obj, ".data");
	assert_int_equal(bss[0], 0);	/* push */
	assert_int_equal(bss[1], 0);	/* peek found it */
	/* and user space sees it too */
	v = 42;
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(bloom), NULL, &v), 0);
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_load_and_run),
		cmocka_unit_test(test_socket_filter_run),
		cmocka_unit_test(test_legacy_maps_and_static_prog),
		cmocka_unit_test(test_pin_by_name_reuse),
		cmocka_unit_test(test_pin_incompatible),
		cmocka_unit_test(test_verifier_log),
		cmocka_unit_test(test_trampoline_eperm),
		cmocka_unit_test(test_externs),
		cmocka_unit_test(test_rodata_initial_value),
		cmocka_unit_test(test_custom_handler),
		cmocka_unit_test(test_autoload_and_autocreate),
		cmocka_unit_test(test_open_mem_and_close_unloaded),
		cmocka_unit_test(test_log_level_own_buffer),
		cmocka_unit_test(test_find_vmlinux_btf_id),
		cmocka_unit_test(test_struct_ops),
		cmocka_unit_test(test_map_not_created_poison),
		cmocka_unit_test(test_object_log_buf),
		cmocka_unit_test(test_hidden_func_is_static),
		cmocka_unit_test(test_kfunc_object_btf_loads),
		cmocka_unit_test(test_btf_refused_warns_once),
		cmocka_unit_test(test_ulong_map_extra),
	};

	/* library messages go to a buffer the tests inspect (and to stderr
	 * with EVBPF_TEST_VERBOSE) */
	evbpf_test_capture_log();
	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
