// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* struct_ops maps: a TCP congestion control registered by its map value and
 * as a BPF link, seen usable by a TCP socket while attached and gone after;
 * kernels that refuse struct_ops programs get the exact load error. */
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "evbpf_test.h"

static __u32 map_id(const struct bpf_map *map)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_map_get_info_by_fd(bpf_map__fd(map), &info, &len), 0);
	return info.id;
}

/* The struct_ops map id a link reports: the first word of the link info's
 * per-type union (newer than the system's UAPI header). */
static __u32 link_map_id(const struct bpf_link *link)
{
	struct bpf_link_info info;
	__u32 len = sizeof(info), id;

	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_link_get_info_by_fd(bpf_link__fd(link), &info, &len), 0);
	memcpy(&id, &info.raw_tracepoint, sizeof(id));
	return id;
}

static void test_struct_ops(void **state)
{
	struct bpf_object *obj;
	struct bpf_map *plain, *lmap;
	struct bpf_link *l1, *l2;
	int err;

	obj = bpf_object__open_file(evbpf_test_prog_path("attach_struct_ops"), NULL);
	assert_non_null(obj);
	plain = bpf_object__find_map_by_name(obj, "evbpf_g_ca");
	lmap = bpf_object__find_map_by_name(obj, "evbpf_g_ca_link");
	assert_non_null(plain);
	assert_non_null(lmap);
	assert_int_equal(bpf_map__type(plain), BPF_MAP_TYPE_STRUCT_OPS);

	/* not loaded yet */
	evbpf_test_capture_log();
	assert_null(bpf_map__attach_struct_ops(plain));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "not a loaded struct_ops map"));

	err = bpf_object__load(obj);
	if (err) {
		/* struct_ops programs run on trampolines, refused here */
		assert_int_equal(err, -EPERM);
		assert_non_null(strstr(evbpf_test_log(),
				       "kernel refused a trampoline program (EPERM)"));
		assert_null(bpf_map__attach_struct_ops(lmap));
		assert_int_equal(errno, EINVAL);
		bpf_object__close(obj);
		return;
	}
	/* by value: registered until the value is deleted (not by closing
	 * fds), so detach right after the check */
	assert_false(evbpf_test_tcp_cc_usable("evbpf_g_ca"));
	l1 = bpf_map__attach_struct_ops(plain);
	assert_non_null(l1);
	assert_int_equal(bpf_link__fd(l1), bpf_map__fd(plain));
	err = evbpf_test_tcp_cc_usable("evbpf_g_ca") ? 0 : -1;
	assert_int_equal(bpf_link__destroy(l1), 0);
	assert_int_equal(err, 0);
	assert_false(evbpf_test_tcp_cc_usable("evbpf_g_ca"));

	/* as a link: gone with the link */
	l2 = bpf_map__attach_struct_ops(lmap);
	assert_non_null(l2);
	assert_true(bpf_link__fd(l2) != bpf_map__fd(lmap));
	assert_true(evbpf_test_tcp_cc_usable("evbpf_g_cal"));
	/* switch to the other map (tcp requires the same name) */
	assert_int_equal(bpf_link__update_map(l2, bpf_object__find_map_by_name(
						 obj, "evbpf_g_ca_link2")), 0);
	assert_int_equal(link_map_id(l2), map_id(bpf_object__find_map_by_name(
						 obj, "evbpf_g_ca_link2")));
	assert_true(evbpf_test_tcp_cc_usable("evbpf_g_cal"));
	assert_int_equal(bpf_link__destroy(l2), 0);
	assert_false(evbpf_test_tcp_cc_usable("evbpf_g_cal"));
	bpf_object__close(obj);
}

static void test_not_struct_ops(void **state)
{
	struct bpf_object *obj = evbpf_test_open_load("attach_tp");
	struct bpf_link *link;

	evbpf_test_capture_log();
	assert_null(bpf_map__attach_struct_ops(bpf_object__find_map_by_name(obj, "counts")));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_map__attach_struct_ops(NULL));
	assert_int_equal(errno, EINVAL);
	/* a link that is no struct_ops link */
	link = bpf_program__attach_raw_tracepoint(evbpf_test_prog(obj, "raw_enter"), "sys_enter");
	assert_non_null(link);
	assert_int_equal(bpf_link__update_map(link, bpf_object__find_map_by_name(obj, "counts")),
			 -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "only struct_ops BPF links switch maps"));
	bpf_link__destroy(link);
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_struct_ops),
		cmocka_unit_test(test_not_struct_ops),
	};

	return cmocka_run_group_tests_name("attach_struct_ops", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
