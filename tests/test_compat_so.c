// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The libbpf.so.1 compatibility build under programs that were linked
 * against Debian's libbpf 1.1.2: iproute2's ip and tc, xdp-tools'
 * xdp-loader (through libxdp) and xdpdump, each run with LD_LIBRARY_PATH
 * pointing at the compatibility folder, against a veth pair in a network
 * namespace. Each attach is checked through the kernel (the program on the
 * interface is ours, by name) and by traffic: the program's own counter map
 * counts the frames sent through it.
 */
#include <errno.h>
#include <linux/if_link.h>
#include "evbpf_test.h"

static char compat_dir[512];
static char obj_path[512];

/* Runs @cmd with the compatibility library first on the library path;
 * returns its exit status. */
static int run_compat(const char *cmd)
{
	return evbpf_test_sh("LD_LIBRARY_PATH=%s %s >/dev/null 2>&1", compat_dir, cmd);
}

/* True when @bin resolves libbpf.so.1 to the compatibility build. */
static int resolves_to_compat(const char *bin)
{
	char cmd[1200], line[1024], want[600];
	int found = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "LD_TRACE_LOADED_OBJECTS=1 LD_LIBRARY_PATH=%s %s 2>/dev/null",
		 compat_dir, bin);
	snprintf(want, sizeof(want), "libbpf.so.1 => %s/libbpf.so.1 ", compat_dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, want))
			found = 1;
	pclose(f);
	return found;
}

static int have_tool(const char *path)
{
	return access(path, X_OK) == 0;
}

/* The counter map of program @prog_id (its only map), slot @slot. */
static __u64 prog_counter(__u32 prog_id, __u32 slot, __u64 want)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), map_id = 0;
	__u32 key = slot;
	__u64 v = 0;
	int pfd, mfd, i;

	pfd = bpf_prog_get_fd_by_id(prog_id);
	assert_true(pfd >= 0);
	info.nr_map_ids = 1;
	info.map_ids = (__u64)(unsigned long)&map_id;
	assert_int_equal(bpf_prog_get_info_by_fd(pfd, &info, &len), 0);
	assert_int_equal(info.nr_map_ids, 1);
	close(pfd);
	mfd = bpf_map_get_fd_by_id(map_id);
	assert_true(mfd >= 0);
	/* frames are counted in softirq, possibly after sendto() returned */
	for (i = 0; i < 1000000; i++) {
		assert_int_equal(bpf_map_lookup_elem(mfd, &key, &v), 0);
		if (v >= want)
			break;
		sched_yield();
	}
	close(mfd);
	return v;
}

static void assert_prog_name(__u32 prog_id, const char *name)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int pfd = bpf_prog_get_fd_by_id(prog_id);

	assert_true(pfd >= 0);
	assert_int_equal(bpf_prog_get_info_by_fd(pfd, &info, &len), 0);
	assert_string_equal(info.name, name);
	close(pfd);
}

static void test_binaries_resolve_to_compat(void **state)
{
	const char *bins[] = { "/usr/sbin/ip", "/usr/sbin/tc",
			       "/usr/sbin/xdp-loader", "/usr/sbin/xdpdump" };
	size_t i;

	for (i = 0; i < sizeof(bins) / sizeof(bins[0]); i++) {
		if (!have_tool(bins[i]))
			EVBPF_SKIP("iproute2 / xdp-tools not installed");
		if (!resolves_to_compat(bins[i]))
			fail_msg("%s does not load %s/libbpf.so.1", bins[i], compat_dir);
	}
}

static void test_ip_xdp(void **state)
{
	char cmd[1024];
	struct evbpf_test_netns ns;
	__u32 id = 0;

	if (!have_tool("/usr/sbin/ip"))
		EVBPF_SKIP("iproute2 not installed");
	assert_int_equal(evbpf_test_netns_enter(&ns, "compat_ip"), 0);
	snprintf(cmd, sizeof(cmd), "ip link set dev veth1 xdp obj %s sec xdp", obj_path);
	assert_int_equal(run_compat(cmd), 0);
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, 0, &id), 0);
	assert_true(id > 0);
	assert_prog_name(id, "compat_xdp");
	evbpf_test_send_frames(ns.ifindex0, 3);
	assert_true(prog_counter(id, 0, 3) >= 3);
	assert_int_equal(run_compat("ip link set dev veth1 xdp off"), 0);
	assert_int_equal(bpf_xdp_query_id(ns.ifindex1, 0, &id), 0);
	assert_int_equal(id, 0);
	evbpf_test_netns_leave(&ns);
}

/* The tc program's id as `tc filter show` reports it ("... id N name X"). */
static __u32 tc_filter_prog_id(const char *dev, const char *dir)
{
	char cmd[256], line[1024];
	__u32 id = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "tc filter show dev %s %s", dev, dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " id ");

		if (p && strstr(line, "name compat_tc"))
			id = (__u32)strtoul(p + 4, NULL, 10);
	}
	pclose(f);
	return id;
}

static void test_tc_bpf(void **state)
{
	char cmd[1024];
	struct evbpf_test_netns ns;
	__u32 id;

	if (!have_tool("/usr/sbin/tc"))
		EVBPF_SKIP("iproute2 not installed");
	assert_int_equal(evbpf_test_netns_enter(&ns, "compat_tc"), 0);
	assert_int_equal(run_compat("tc qdisc add dev veth0 clsact"), 0);
	/* egress of the sending side: the filter runs inside sendto() */
	snprintf(cmd, sizeof(cmd),
		 "tc filter add dev veth0 egress bpf da obj %s sec tc", obj_path);
	assert_int_equal(run_compat(cmd), 0);
	id = tc_filter_prog_id("veth0", "egress");
	assert_true(id > 0);
	assert_prog_name(id, "compat_tc");
	evbpf_test_send_frames(ns.ifindex0, 2);
	assert_true(prog_counter(id, 1, 2) >= 2);
	evbpf_test_netns_leave(&ns);
}

static void test_xdp_loader(void **state)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char cmd[1024];
	struct evbpf_test_netns ns;

	if (!have_tool("/usr/sbin/xdp-loader"))
		EVBPF_SKIP("xdp-tools not installed");
	assert_int_equal(evbpf_test_netns_enter(&ns, "compat_xdpl"), 0);
	snprintf(cmd, sizeof(cmd), "xdp-loader load -m skb veth1 %s -s xdp", obj_path);
	assert_int_equal(run_compat(cmd), 0);
	assert_int_equal(bpf_xdp_query(ns.ifindex1, XDP_FLAGS_SKB_MODE, &q), 0);
	assert_true(q.skb_prog_id > 0);
	assert_prog_name(q.skb_prog_id, "compat_xdp");
	evbpf_test_send_frames(ns.ifindex0, 4);
	assert_true(prog_counter(q.skb_prog_id, 0, 4) >= 4);
	assert_int_equal(run_compat("xdp-loader unload veth1 --all"), 0);
	assert_int_equal(bpf_xdp_query(ns.ifindex1, XDP_FLAGS_SKB_MODE, &q), 0);
	assert_int_equal(q.skb_prog_id, 0);
	evbpf_test_netns_leave(&ns);
}

/* Output and exit status of @cmd, run with or without the compatibility
 * library on the library path. */
static int capture(const char *cmd, int compat, char *out, size_t size)
{
	char line[1200];
	size_t n;
	FILE *f;

	snprintf(line, sizeof(line), "LD_LIBRARY_PATH=%s %s 2>&1 </dev/null",
		 compat ? compat_dir : "", cmd);
	f = popen(line, "r");
	assert_non_null(f);
	n = fread(out, 1, size - 1, f);
	out[n] = 0;
	return pclose(f);
}

/*
 * xdpdump -D lists every interface with its XDP programs (through
 * bpf_xdp_query, program info and the program's BTF): on the compatibility
 * build it prints what it prints on libbpf 1.1.2. A capture traces the XDP
 * program with fentry/fexit programs, which this kernel refuses at load
 * (EPERM): xdpdump must end the same way on both, with the kernel's error.
 */
static void test_xdpdump_same_answer(void **state)
{
	char cmd[1024], out_sys[4096], out_evbpf[4096];
	int st_sys, st_evbpf;
	struct evbpf_test_netns ns;

	if (!have_tool("/usr/sbin/xdpdump"))
		EVBPF_SKIP("xdp-tools not installed");
	assert_int_equal(evbpf_test_netns_enter(&ns, "compat_xdpd"), 0);
	snprintf(cmd, sizeof(cmd), "ip link set dev veth1 xdpgeneric obj %s sec xdp", obj_path);
	assert_int_equal(evbpf_test_sh("%s", cmd), 0);

	st_sys = capture("xdpdump -D", 0, out_sys, sizeof(out_sys));
	st_evbpf = capture("xdpdump -D", 1, out_evbpf, sizeof(out_evbpf));
	assert_int_equal(st_evbpf, st_sys);
	assert_string_equal(out_evbpf, out_sys);
	assert_non_null(strstr(out_evbpf, "compat_xdp"));

	st_sys = capture("timeout 60 xdpdump -i veth1 -w /dev/null", 0,
			 out_sys, sizeof(out_sys));
	st_evbpf = capture("timeout 60 xdpdump -i veth1 -w /dev/null", 1,
			   out_evbpf, sizeof(out_evbpf));
	print_message("xdpdump capture on libbpf 1.1.2: status %d: %s", st_sys, out_sys);
	print_message("xdpdump capture on evbpf: status %d: %s", st_evbpf, out_evbpf);
	assert_int_equal(st_evbpf, st_sys);
	if (st_sys != 0 && strstr(out_sys, "Operation not permitted"))
		assert_non_null(strstr(out_evbpf, "Operation not permitted"));
	evbpf_test_netns_leave(&ns);
}

int main(void)
{
	const char *root = getenv("EVBPF_BUILD_ROOT");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binaries_resolve_to_compat),
		cmocka_unit_test(test_ip_xdp),
		cmocka_unit_test(test_tc_bpf),
		cmocka_unit_test(test_xdp_loader),
		cmocka_unit_test(test_xdpdump_same_answer),
	};

	if (!root) {
		fprintf(stderr, "EVBPF_BUILD_ROOT is not set\n");
		return 1;
	}
	snprintf(compat_dir, sizeof(compat_dir), "%s/lib/compat", root);
	snprintf(obj_path, sizeof(obj_path), "%s", evbpf_test_prog_path("compat_net"));
	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
