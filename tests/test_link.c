// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The link API: an XDP link on a veth pair in a test network namespace is
 * pinned, re-opened from bpffs, switched to another program, detached and
 * unpinned, with frames counted at each step; disconnect; pin errors. */
#include <errno.h>
#include <sys/syscall.h>
#include <linux/if_link.h>

#include "evbpf_test.h"

static struct evbpf_test_netns ns;
static struct bpf_object *obj;

static int setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	obj = evbpf_test_open_load("attach_net");
	if (evbpf_test_netns_enter(&ns, "link"))
		ns.name[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	if (ns.name[0])
		evbpf_test_netns_leave(&ns);
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

static void send_and_wait(int n, __u32 counter, __u64 want)
{
	evbpf_test_send_frames(ns.ifindex0, n);
	/* counts[counter]: poll (bounded) until it reaches @want */
	{
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		while (evbpf_test_counts(obj, counter) < want) {
			clock_gettime(CLOCK_MONOTONIC, &b);
			assert_true(b.tv_sec - a.tv_sec <= 5);
			sched_yield();
		}
	}
}

static void test_pin_open_update_detach(void **state)
{
	struct bpf_link *link, *again;
	char path[128];
	__u64 a0, b0;
	__u32 id = 0;

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	snprintf(path, sizeof(path), "/sys/fs/bpf/evbpf_link_%d", (int)getpid());
	link = bpf_program__attach_xdp(evbpf_test_prog(obj, "xdp_a"), ns.ifindex1);
	assert_non_null(link);
	assert_true(bpf_link__fd(link) >= 0);
	assert_null(bpf_link__pin_path(link));
	a0 = evbpf_test_counts(obj, 0);
	send_and_wait(3, 0, a0 + 3);

	/* pin, re-open, the pin path travels with it */
	assert_int_equal(bpf_link__pin(link, path), 0);
	assert_string_equal(bpf_link__pin_path(link), path);
	assert_int_equal(bpf_link__pin(link, path), -EBUSY);
	again = bpf_link__open(path);
	assert_non_null(again);
	assert_string_equal(bpf_link__pin_path(again), path);

	/* switch the program through the re-opened link */
	assert_int_equal(bpf_link__update_program(again, evbpf_test_prog(obj, "xdp_b")), 0);
	a0 = evbpf_test_counts(obj, 0);
	b0 = evbpf_test_counts(obj, 1);
	send_and_wait(2, 1, b0 + 2);
	assert_int_equal(evbpf_test_counts(obj, 0), a0);

	/* the pin keeps it attached after the first link object is gone */
	assert_int_equal(bpf_link__destroy(link), 0);
	send_and_wait(1, 1, b0 + 3);
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, 0, &id), 0);
	assert_true(id != 0);

	/* detach: the link stays, the hook is empty */
	assert_int_equal(bpf_link__detach(again), 0);
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, 0, &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(bpf_link__update_program(again, evbpf_test_prog(obj, "xdp_a")),
			 -ENOLINK);

	assert_int_equal(bpf_link__unpin(again), 0);
	assert_null(bpf_link__pin_path(again));
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(bpf_link__unpin(again), -EINVAL);
	assert_int_equal(bpf_link__destroy(again), 0);
}

static void test_xdp_link_busy(void **state)
{
	struct bpf_link *link;

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	/* a netlink-attached program blocks the link, and the reverse */
	assert_int_equal(bpf_xdp_attach(ns.ifindex1, bpf_program__fd(evbpf_test_prog(obj, "xdp_a")),
					XDP_FLAGS_SKB_MODE, NULL), 0);
	evbpf_test_capture_log();
	assert_null(bpf_program__attach_xdp(evbpf_test_prog(obj, "xdp_b"), ns.ifindex1));
	assert_int_equal(errno, EEXIST);
	assert_non_null(strstr(evbpf_test_log(), "failed to attach to XDP hook"));
	assert_int_equal(bpf_xdp_detach(ns.ifindex1, XDP_FLAGS_SKB_MODE, NULL), 0);
	link = bpf_program__attach_xdp(evbpf_test_prog(obj, "xdp_b"), ns.ifindex1);
	assert_non_null(link);
	assert_int_equal(bpf_xdp_attach(ns.ifindex1, bpf_program__fd(evbpf_test_prog(obj, "xdp_a")),
					0, NULL), -EBUSY);
	bpf_link__destroy(link);
}

static void test_disconnect(void **state)
{
	struct bpf_link *link;
	__u32 id = 0;
	int fd;

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	link = bpf_program__attach_xdp(evbpf_test_prog(obj, "xdp_a"), ns.ifindex1);
	assert_non_null(link);
	fd = bpf_link__fd(link);
	bpf_link__disconnect(link);
	assert_int_equal(bpf_link__destroy(link), 0);
	/* still attached: the fd lives on, now ours */
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, 0, &id), 0);
	assert_true(id != 0);
	close(fd);
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, 0, &id), 0);
	assert_int_equal(id, 0);
}

static void test_pin_errors(void **state)
{
	struct bpf_link *link;

	evbpf_test_capture_log();
	assert_null(bpf_link__open("/sys/fs/bpf/evbpf_no_such_link"));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(bpf_link__destroy(NULL), 0);
	assert_int_equal(bpf_link__fd(NULL), -EINVAL);
	assert_int_equal(bpf_link__unpin(NULL), -EINVAL);

	/* a raw tracepoint link: pinned outside bpffs fails clearly */
	{
		struct bpf_object *tp = evbpf_test_open_load("attach_tp");

		link = bpf_program__attach_raw_tracepoint(evbpf_test_prog(tp, "raw_enter"),
							  "sys_enter");
		assert_non_null(link);
		evbpf_test_log_reset();
		assert_int_equal(bpf_link__pin(link, "/tmp/evbpf_link_pin"), -EINVAL);
		assert_non_null(strstr(evbpf_test_log(), "not in a BPF file system"));
		assert_int_equal(bpf_link__pin(link, "/sys/fs/bpf/no/such/dir/x"),
				 -ENOENT);
		/* raw tracepoint links cannot switch programs */
		assert_true(bpf_link__update_program(link, evbpf_test_prog(tp, "raw_long")) < 0);
		bpf_link__destroy(link);
		bpf_object__close(tp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_open_update_detach),
		cmocka_unit_test(test_xdp_link_busy),
		cmocka_unit_test(test_disconnect),
		cmocka_unit_test(test_pin_errors),
	};

	return cmocka_run_group_tests_name("link", tests, setup, teardown);
}
