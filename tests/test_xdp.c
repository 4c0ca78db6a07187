// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* XDP through rtnetlink: bpf_xdp_attach / detach / query / query_id on a
 * veth pair in a network namespace the test creates; frames sent through
 * the pair are counted by the program. */
#include <errno.h>
#include <linux/if_link.h>

#include <bpf/libbpf.h>
#include "evbpf_test.h"

static struct evbpf_test_netns ns;
static int counter_fd = -1;

static int group_setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	if (evbpf_test_netns_enter(&ns, "xdp")) {
		print_message("SKIP: cannot create a network namespace with ip\n");
		ns.name[0] = '\0';
	}
	return 0;
}

static int group_teardown(void **state)
{
	if (ns.name[0])
		evbpf_test_netns_leave(&ns);
	return evbpf_test_fd_teardown(state);
}

static void check_mode(__u32 mode_flag, __u8 attached)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int prog, other;
	__u32 id = 0;
	__u64 before;

	counter_fd = evbpf_test_counter_map();
	prog = evbpf_test_counting_prog(BPF_PROG_TYPE_XDP, BPF_XDP, counter_fd, XDP_PASS);
	other = evbpf_test_counting_prog(BPF_PROG_TYPE_XDP, BPF_XDP, counter_fd, XDP_PASS);

	assert_int_equal(bpf_xdp_attach(ns.ifindex1, prog, mode_flag, NULL), 0);
	assert_int_equal(bpf_xdp_query(ns.ifindex1, 0, &q), 0);
	assert_int_equal(q.attach_mode, attached);
	assert_int_equal(q.prog_id, evbpf_test_prog_id(prog));
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, mode_flag, &id), 0);
	assert_int_equal(id, evbpf_test_prog_id(prog));

	before = evbpf_test_counter_read(counter_fd);
	evbpf_test_send_frames(ns.ifindex0, 5);
	assert_true(evbpf_test_counter_wait(counter_fd, before + 5) >= before + 5);

	/* only if nothing is attached yet */
	evbpf_test_capture_log();
	assert_int_equal(bpf_xdp_attach(ns.ifindex1, other,
					mode_flag | XDP_FLAGS_UPDATE_IF_NOEXIST,
					NULL), -EBUSY);
	assert_int_equal(errno, EBUSY);
	assert_non_null(strstr(evbpf_test_log(), "XDP attach on ifindex"));
	/* replace: the expected old program must match */
	{
		LIBBPF_OPTS(bpf_xdp_attach_opts, o, .old_prog_fd = other);

		assert_int_equal(bpf_xdp_attach(ns.ifindex1, other, mode_flag, &o),
				 -EEXIST);
		o.old_prog_fd = prog;
		assert_int_equal(bpf_xdp_attach(ns.ifindex1, other, mode_flag, &o), 0);
	}
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, mode_flag, &id), 0);
	assert_int_equal(id, evbpf_test_prog_id(other));

	assert_int_equal(bpf_xdp_detach(ns.ifindex1, mode_flag, NULL), 0);
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, mode_flag, &id), 0);
	assert_int_equal(id, 0);
	memset(&q, 0, sizeof(q));
	q.sz = sizeof(q);
	assert_int_equal(bpf_xdp_query(ns.ifindex1, 0, &q), 0);
	assert_int_equal(q.attach_mode, XDP_ATTACHED_NONE);

	close(prog);
	close(other);
	close(counter_fd);
}

static void test_xdp_skb_mode(void **state)
{
	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	check_mode(XDP_FLAGS_SKB_MODE, XDP_ATTACHED_SKB);
}

static void test_xdp_drv_mode(void **state)
{
	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	/* veth runs XDP in its driver */
	check_mode(XDP_FLAGS_DRV_MODE, XDP_ATTACHED_DRV);
}

static void test_xdp_features(void **state)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	assert_int_equal(bpf_xdp_query(ns.ifindex1, 0, &q), 0);
	/* veth: at least XDP_PASS/DROP/TX (NETDEV_XDP_ACT_BASIC) */
	assert_true(q.feature_flags & 1);
	/* an older, shorter opts struct is not written past its end */
	{
		struct { struct bpf_xdp_query_opts o; } small;

		memset(&small, 0xab, sizeof(small));
		small.o.sz = offsetof(struct bpf_xdp_query_opts, feature_flags);
		assert_int_equal(bpf_xdp_query(ns.ifindex1, 0, &small.o), 0);
		assert_int_equal(small.o.feature_flags, 0xababababababababULL);
	}
}

static void test_xdp_errors(void **state)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct { struct bpf_xdp_query_opts o; char extra[8]; } big;
	__u32 id;

	evbpf_test_capture_log();
	assert_int_equal(bpf_xdp_attach(0, 3, 0, NULL), -EINVAL);
	assert_int_equal(bpf_xdp_attach(1, 3, 1U << 30, NULL), -EINVAL);
	assert_int_equal(bpf_xdp_query_id(1, 0, NULL), -EINVAL);
	/* no such device */
	assert_int_equal(bpf_xdp_query(999999, 0, &q), -ENODEV);
	assert_int_equal(bpf_xdp_detach(999999, 0, NULL), -ENODEV);
	assert_true(bpf_xdp_query_id(999999, 0, &id) < 0);
	/* unknown trailing option bytes */
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.extra[2] = 1;
	assert_int_equal(bpf_xdp_query(1, 0, &big.o), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp_skb_mode),
		cmocka_unit_test(test_xdp_drv_mode),
		cmocka_unit_test(test_xdp_features),
		cmocka_unit_test(test_xdp_errors),
	};

	return cmocka_run_group_tests_name("xdp", tests, group_setup,
					   group_teardown);
}
