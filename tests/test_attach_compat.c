// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Objects compiled against the system libbpf's headers (not evbpf's) attach
 * on evbpf by section name and run: tracepoint, raw tracepoint, uprobe and
 * uretprobe (test binary and libc), uprobe.multi; XDP in a netns. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "evbpf_test.h"

__attribute__((noinline, used)) int evbpf_uprobe_target(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x * 2 + 1;
}

__attribute__((noinline, used)) int evbpf_umulti_a(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x + 1;
}

static int (*volatile target)(int) = evbpf_uprobe_target;

static bool have(const char *name)
{
	return access(evbpf_test_prog_path(name), R_OK) == 0;
}

static void test_sys_tracepoints(void **state)
{
	struct bpf_object *obj;
	struct bpf_link *a, *b;

	if (!have("attach_tp_sys"))
		EVBPF_SKIP("system libbpf headers (libbpf-dev)");
	obj = evbpf_test_open_load("attach_tp_sys");
	evbpf_test_cfg(obj, 1, SYS_getppid);
	a = bpf_program__attach(evbpf_test_prog(obj, "tp_getppid"));
	b = bpf_program__attach(evbpf_test_prog(obj, "raw_enter"));
	assert_non_null(a);
	assert_non_null(b);
	syscall(SYS_getppid);
	assert_int_equal(evbpf_test_counts(obj, 0), 1);
	assert_int_equal(evbpf_test_counts(obj, 2), 1);
	bpf_link__destroy(a);
	bpf_link__destroy(b);
	bpf_object__close(obj);
}

static void test_sys_uprobes(void **state)
{
	const char *names[] = { "up_auto", "uret_auto", "up_libc", "uret_libc", "umulti" };
	struct bpf_link *links[5];
	struct bpf_object *obj;
	size_t i;

	if (!have("attach_uprobe_sys"))
		EVBPF_SKIP("system libbpf headers (libbpf-dev)");
	obj = evbpf_test_open_load("attach_uprobe_sys");
	for (i = 0; i < 5; i++) {
		links[i] = bpf_program__attach(evbpf_test_prog(obj, names[i]));
		assert_non_null(links[i]);
	}
	target(10);
	evbpf_umulti_a(1);
	assert_int_equal(getpgid(0), getpgrp());
	assert_int_equal(evbpf_test_counts(obj, 2), 1);
	assert_int_equal(evbpf_test_counts(obj, 3), 1);
	assert_int_equal(evbpf_test_vals(obj, 3), 21);
	assert_true(evbpf_test_counts(obj, 4) >= 1);
	assert_true(evbpf_test_counts(obj, 5) >= 1);
	assert_int_equal(evbpf_test_counts(obj, 6), 1);
	for (i = 0; i < 5; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
}

static void test_sys_xdp(void **state)
{
	struct evbpf_test_netns ns;
	struct bpf_object *obj;
	struct bpf_link *link;
	struct timespec a, b;

	if (!have("attach_net_sys"))
		EVBPF_SKIP("system libbpf headers (libbpf-dev)");
	obj = evbpf_test_open_load("attach_net_sys");
	if (evbpf_test_netns_enter(&ns, "compat")) {
		bpf_object__close(obj);
		EVBPF_SKIP("ip netns");
	}
	link = bpf_program__attach_xdp(evbpf_test_prog(obj, "xdp_a"), ns.ifindex1);
	assert_non_null(link);
	evbpf_test_send_frames(ns.ifindex0, 2);
	clock_gettime(CLOCK_MONOTONIC, &a);
	while (evbpf_test_counts(obj, 0) < 2) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		assert_true(b.tv_sec - a.tv_sec <= 5);
		sched_yield();
	}
	bpf_link__destroy(link);
	evbpf_test_netns_leave(&ns);
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sys_tracepoints),
		cmocka_unit_test(test_sys_uprobes),
		cmocka_unit_test(test_sys_xdp),
	};

	return cmocka_run_group_tests_name("attach_compat", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
