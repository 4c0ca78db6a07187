// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* TC through rtnetlink (clsact hooks, direct-action bpf filters) and tcx
 * links on a veth pair in a network namespace the test creates, counting
 * frames sent through the pair at ingress and egress; netkit errors. */
#include <errno.h>
#include <linux/pkt_cls.h>

#include <bpf/libbpf.h>
#include "evbpf_test.h"

static struct evbpf_test_netns ns;

static int group_setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	if (evbpf_test_netns_enter(&ns, "tc"))
		ns.name[0] = '\0';
	return 0;
}

static int group_teardown(void **state)
{
	if (ns.name[0])
		evbpf_test_netns_leave(&ns);
	return evbpf_test_fd_teardown(state);
}

static void test_tc_ingress_egress(void **state)
{
	LIBBPF_OPTS(bpf_tc_hook, in_hook, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_hook, eg_hook, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_hook, both, .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, a);
	LIBBPF_OPTS(bpf_tc_opts, b);
	LIBBPF_OPTS(bpf_tc_opts, q);
	int in_cnt, eg_cnt, prog, prog2, eg_prog;
	__u32 h, p;

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	in_cnt = evbpf_test_counter_map();
	eg_cnt = evbpf_test_counter_map();
	prog = evbpf_test_counting_prog(BPF_PROG_TYPE_SCHED_CLS, 0, in_cnt, TC_ACT_OK);
	prog2 = evbpf_test_counting_prog(BPF_PROG_TYPE_SCHED_CLS, 0, in_cnt, TC_ACT_OK);
	eg_prog = evbpf_test_counting_prog(BPF_PROG_TYPE_SCHED_CLS, 0, eg_cnt, TC_ACT_OK);

	in_hook.ifindex = ns.ifindex1;
	assert_int_equal(bpf_tc_hook_create(&in_hook), 0);
	evbpf_test_capture_log();
	assert_int_equal(bpf_tc_hook_create(&in_hook), -EEXIST);

	a.prog_fd = prog;
	assert_int_equal(bpf_tc_attach(&in_hook, &a), 0);
	assert_true(a.handle != 0);
	assert_true(a.priority != 0);
	assert_int_equal(a.prog_id, evbpf_test_prog_id(prog));
	h = a.handle;
	p = a.priority;

	q.handle = h;
	q.priority = p;
	assert_int_equal(bpf_tc_query(&in_hook, &q), 0);
	assert_int_equal(q.prog_id, evbpf_test_prog_id(prog));

	/* egress of the sending side: the clsact qdisc of veth0 */
	eg_hook.ifindex = ns.ifindex0;
	assert_int_equal(bpf_tc_hook_create(&eg_hook), 0);
	b.prog_fd = eg_prog;
	b.handle = 7;
	b.priority = 3;
	assert_int_equal(bpf_tc_attach(&eg_hook, &b), 0);
	assert_int_equal(b.handle, 7);
	assert_int_equal(b.priority, 3);

	evbpf_test_send_frames(ns.ifindex0, 4);
	assert_true(evbpf_test_counter_wait(in_cnt, 4) >= 4);
	assert_true(evbpf_test_counter_wait(eg_cnt, 4) >= 4);

	/* same handle and priority: exists, unless replacing */
	LIBBPF_OPTS_RESET(a, .prog_fd = prog2, .handle = h, .priority = p);
	assert_int_equal(bpf_tc_attach(&in_hook, &a), -EEXIST);
	LIBBPF_OPTS_RESET(a, .prog_fd = prog2, .handle = h, .priority = p,
			  .flags = BPF_TC_F_REPLACE);
	assert_int_equal(bpf_tc_attach(&in_hook, &a), 0);
	LIBBPF_OPTS_RESET(q, .handle = h, .priority = p);
	assert_int_equal(bpf_tc_query(&in_hook, &q), 0);
	assert_int_equal(q.prog_id, evbpf_test_prog_id(prog2));

	/* detach, then the filter is gone (a second one keeps the chain) */
	LIBBPF_OPTS_RESET(a, .prog_fd = prog, .handle = h, .priority = p + 1);
	assert_int_equal(bpf_tc_attach(&in_hook, &a), 0);
	LIBBPF_OPTS_RESET(q, .handle = h, .priority = p);
	assert_int_equal(bpf_tc_detach(&in_hook, &q), 0);
	assert_int_equal(bpf_tc_query(&in_hook, &q), -ENOENT);
	assert_int_equal(bpf_tc_detach(&in_hook, &q), -ENOENT);
	LIBBPF_OPTS_RESET(q, .handle = h, .priority = p + 1);
	assert_int_equal(bpf_tc_detach(&in_hook, &q), 0);
	/* the last filter took its chain with it */
	assert_true(bpf_tc_query(&in_hook, &q) < 0);

	/* destroy of one direction flushes its filters */
	assert_int_equal(bpf_tc_hook_destroy(&eg_hook), 0);
	LIBBPF_OPTS_RESET(q, .handle = 7, .priority = 3);
	/* the flushed chain is gone too: the kernel says -EINVAL or -ENOENT */
	assert_true(bpf_tc_query(&eg_hook, &q) < 0);

	/* both directions remove the qdisc */
	both.ifindex = ns.ifindex1;
	assert_int_equal(bpf_tc_hook_destroy(&both), 0);
	both.ifindex = ns.ifindex0;
	assert_int_equal(bpf_tc_hook_destroy(&both), 0);
	assert_true(bpf_tc_hook_destroy(&both) < 0);

	close(prog);
	close(prog2);
	close(eg_prog);
	close(in_cnt);
	close(eg_cnt);
}

static void test_tc_bad_args(void **state)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = 1, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o);

	assert_int_equal(bpf_tc_attach(NULL, &o), -EINVAL);
	assert_int_equal(bpf_tc_attach(&hook, NULL), -EINVAL);
	/* no program */
	assert_int_equal(bpf_tc_attach(&hook, &o), -EINVAL);
	/* prog_id is output only */
	LIBBPF_OPTS_RESET(o, .prog_fd = 3, .prog_id = 1);
	assert_int_equal(bpf_tc_attach(&hook, &o), -EINVAL);
	/* replace needs handle and priority */
	LIBBPF_OPTS_RESET(o, .prog_fd = 3, .flags = BPF_TC_F_REPLACE);
	assert_int_equal(bpf_tc_attach(&hook, &o), -EINVAL);
	/* detach and query need handle and priority */
	LIBBPF_OPTS_RESET(o, .handle = 1);
	assert_int_equal(bpf_tc_detach(&hook, &o), -EINVAL);
	assert_int_equal(bpf_tc_query(&hook, &o), -EINVAL);
	/* hooks */
	hook.attach_point = BPF_TC_CUSTOM;
	assert_int_equal(bpf_tc_hook_create(&hook), -EINVAL);
	hook.ifindex = 0;
	hook.attach_point = BPF_TC_INGRESS;
	assert_int_equal(bpf_tc_hook_create(&hook), -EINVAL);
	assert_int_equal(errno, EINVAL);
}

static void wait_count(struct bpf_object *obj, __u32 idx, __u64 want)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	while (evbpf_test_counts(obj, idx) < want) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		assert_true(b.tv_sec - a.tv_sec <= 5);
		sched_yield();
	}
}

static void test_tcx_links(void **state)
{
	LIBBPF_OPTS(bpf_tcx_opts, opts);
	LIBBPF_OPTS(bpf_prog_query_opts, q);
	struct bpf_link *in, *out, *in2;
	struct bpf_object *obj;
	__u32 ids[4];

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	obj = evbpf_test_open_load("attach_net");
	in = bpf_program__attach_tcx(evbpf_test_prog(obj, "tcx_in"), ns.ifindex1, NULL);
	assert_non_null(in);
	out = bpf_program__attach_tcx(evbpf_test_prog(obj, "tcx_out"), ns.ifindex0, NULL);
	assert_non_null(out);
	evbpf_test_send_frames(ns.ifindex0, 3);
	wait_count(obj, 2, 3);
	wait_count(obj, 3, 3);

	/* ordering: in2 before in, at the revision we expect */
	q.prog_ids = ids;
	q.count = 4;
	assert_int_equal(bpf_prog_query_opts(ns.ifindex1, BPF_TCX_INGRESS, &q), 0);
	assert_int_equal(q.count, 1);
	opts.flags = BPF_F_BEFORE;
	opts.relative_fd = bpf_program__fd(evbpf_test_prog(obj, "tcx_in"));
	opts.expected_revision = q.revision + 5;
	evbpf_test_capture_log();
	assert_null(bpf_program__attach_tcx(evbpf_test_prog(obj, "tcx_in2"), ns.ifindex1, &opts));
	assert_int_equal(errno, ESTALE);
	opts.expected_revision = q.revision;
	in2 = bpf_program__attach_tcx(evbpf_test_prog(obj, "tcx_in2"), ns.ifindex1, &opts);
	assert_non_null(in2);
	q.count = 4;
	assert_int_equal(bpf_prog_query_opts(ns.ifindex1, BPF_TCX_INGRESS, &q), 0);
	assert_int_equal(q.count, 2);
	{
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		bpf_prog_get_info_by_fd(bpf_program__fd(evbpf_test_prog(obj, "tcx_in2")), &info, &len);
		assert_int_equal(ids[0], info.id);
	}
	evbpf_test_send_frames(ns.ifindex0, 2);
	wait_count(obj, 4, 2);
	wait_count(obj, 2, 5);

	/* a program that is not tcx */
	assert_null(bpf_program__attach_tcx(evbpf_test_prog(obj, "xdp_a"), ns.ifindex1, NULL));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "not a tcx program"));

	bpf_link__destroy(in2);
	bpf_link__destroy(in);
	bpf_link__destroy(out);
	q.count = 4;
	assert_int_equal(bpf_prog_query_opts(ns.ifindex1, BPF_TCX_INGRESS, &q), 0);
	assert_int_equal(q.count, 0);
	bpf_object__close(obj);
}

static void test_netkit_errors(void **state)
{
	struct bpf_object *obj = evbpf_test_open_load("attach_net");

	evbpf_test_capture_log();
	/* loopback is no netkit device */
	assert_null(bpf_program__attach_netkit(evbpf_test_prog(obj, "nk"), 1, NULL));
	assert_non_null(strstr(evbpf_test_log(), "failed to attach to netkit device"));
	assert_null(bpf_program__attach_netkit(evbpf_test_prog(obj, "tcx_in"), 1, NULL));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "not a netkit program"));
	bpf_object__close(obj);
}

/* True when `tc qdisc show dev veth0` lists a line containing @what. */
static int qdisc_listed(const char *what)
{
	char line[512];
	int found = 0;
	FILE *f = popen("tc qdisc show dev veth0", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, what))
			found = 1;
	pclose(f);
	return found;
}

/* BPF_TC_QDISC: any qdisc by kind, handle and parent. */
static void test_tc_hook_qdisc(void **state)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ns.ifindex0,
		    .attach_point = BPF_TC_QDISC, .handle = TC_H_MAKE(0x2a << 16, 0),
		    .qdisc = "pfifo");

	if (!ns.name[0])
		EVBPF_SKIP("ip netns (iproute2)");
	assert_int_equal(bpf_tc_hook_create(&hook), 0);
	assert_true(qdisc_listed("qdisc pfifo 2a: root"));
	assert_int_equal(bpf_tc_hook_create(&hook), -EEXIST);
	assert_int_equal(bpf_tc_hook_destroy(&hook), 0);
	assert_false(qdisc_listed("qdisc pfifo 2a:"));

	/* the kind is required; an unknown one is the kernel's refusal */
	evbpf_test_capture_log();
	hook.qdisc = NULL;
	assert_int_equal(bpf_tc_hook_create(&hook), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "needs the qdisc's kind"));
	hook.qdisc = "no_such_qdisc_evbpf";
	assert_true(bpf_tc_hook_create(&hook) < 0);
	assert_non_null(strstr(evbpf_test_log(), "no_such_qdisc_evbpf qdisc create"));
	/* QDISC does not combine with the clsact hooks */
	hook.qdisc = "pfifo";
	hook.attach_point = BPF_TC_QDISC | BPF_TC_INGRESS;
	assert_int_equal(bpf_tc_hook_create(&hook), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tc_ingress_egress),
		cmocka_unit_test(test_tcx_links),
		cmocka_unit_test(test_netkit_errors),
		cmocka_unit_test(test_tc_bad_args),
		cmocka_unit_test(test_tc_hook_qdisc),
	};

	return cmocka_run_group_tests_name("tc", tests, group_setup,
					   group_teardown);
}
