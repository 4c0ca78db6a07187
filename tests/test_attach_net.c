// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Link attachment of sk_lookup (network namespace), netfilter and sockmap
 * programs, inside a network namespace the test creates; loopback UDP is
 * counted by the sk_lookup and netfilter programs, TCP data by the sockmap
 * verdict program. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>

#include "evbpf_test.h"

static struct evbpf_test_netns ns;
static struct bpf_object *obj;

static int setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	obj = evbpf_test_open_load("attach_net");
	if (evbpf_test_netns_enter(&ns, "net"))
		ns.name[0] = '\0';
	else
		assert_int_equal(evbpf_test_sh("ip link set lo up"), 0);
	return 0;
}

static int teardown(void **state)
{
	if (ns.name[0])
		evbpf_test_netns_leave(&ns);
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

/* One UDP datagram over loopback, received before returning. */
static void udp_roundtrip(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	struct timeval tv = { 5, 0 };
	char buf[8];
	int rx, tx;

	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(rx >= 0 && tx >= 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(rx, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&addr, &alen), 0);
	assert_int_equal(setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(sendto(tx, "x", 1, 0, (struct sockaddr *)&addr,
				sizeof(addr)), 1);
	assert_int_equal(recv(rx, buf, sizeof(buf), 0), 1);
	close(rx);
	close(tx);
}

static void test_sk_lookup_netns(void **state)
{
	struct bpf_link *link;
	int nsfd;

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(nsfd >= 0);
	link = bpf_program__attach_netns(evbpf_test_prog(obj, "skl"), nsfd);
	assert_non_null(link);
	udp_roundtrip();
	assert_true(evbpf_test_counts(obj, 9) >= 1);
	bpf_link__destroy(link);
	close(nsfd);

	/* not a namespace fd */
	evbpf_test_capture_log();
	assert_null(bpf_program__attach_netns(evbpf_test_prog(obj, "skl"), 0));
	assert_non_null(strstr(evbpf_test_log(), "network namespace"));
}

static void test_netfilter(void **state)
{
	LIBBPF_OPTS(bpf_netfilter_opts, opts, .pf = 2 /* NFPROTO_IPV4 */,
		    .hooknum = 1 /* NF_INET_LOCAL_IN */, .priority = -100);
	struct bpf_link *link;
	__u64 before;

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	link = bpf_program__attach_netfilter(evbpf_test_prog(obj, "nf_count"), &opts);
	assert_non_null(link);
	before = evbpf_test_counts(obj, 8);
	udp_roundtrip();
	assert_true(evbpf_test_counts(obj, 8) >= before + 1);
	bpf_link__destroy(link);

	/* options are required; bad hooks are the kernel's to refuse */
	assert_null(bpf_program__attach_netfilter(evbpf_test_prog(obj, "nf_count"), NULL));
	assert_int_equal(errno, EINVAL);
	opts.hooknum = 99;
	assert_null(bpf_program__attach_netfilter(evbpf_test_prog(obj, "nf_count"), &opts));
}

/* A connected TCP pair over loopback: *@srv is the accepted side. */
static void tcp_pair(int *cli, int *srv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	int lst;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lst = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(lst >= 0);
	assert_int_equal(bind(lst, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(lst, 1), 0);
	assert_int_equal(getsockname(lst, (struct sockaddr *)&addr, &alen), 0);
	*cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(*cli >= 0);
	assert_int_equal(connect(*cli, (struct sockaddr *)&addr, sizeof(addr)), 0);
	*srv = accept4(lst, NULL, NULL, SOCK_CLOEXEC);
	assert_true(*srv >= 0);
	close(lst);
}

static void test_sockmap(void **state)
{
	struct timeval tv = { 5, 0 };
	struct bpf_link *link;
	int map, cli, srv, key = 0;
	char buf[8];

	if (!ns.name[0])
		EVBPF_SKIP("ip netns");
	map = bpf_map_create(BPF_MAP_TYPE_SOCKMAP, "t_sockmap", 4, 4, 2, NULL);
	assert_true(map >= 0);
	link = bpf_program__attach_sockmap(evbpf_test_prog(obj, "skb_verdict"), map);
	assert_non_null(link);
	assert_true(bpf_link__fd(link) >= 0);

	/* data arriving on a socket in the map passes the verdict program */
	tcp_pair(&cli, &srv);
	assert_int_equal(bpf_map_update_elem(map, &key, &srv, BPF_ANY), 0);
	assert_int_equal(setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(send(cli, "ping", 4, 0), 4);
	assert_int_equal(recv(srv, buf, sizeof(buf), 0), 4);
	assert_true(evbpf_test_counts(obj, 10) >= 1);
	close(cli);
	close(srv);
	bpf_link__destroy(link);
	close(map);

	evbpf_test_capture_log();
	assert_null(bpf_program__attach_sockmap(evbpf_test_prog(obj, "skb_verdict"), -1));
	assert_non_null(strstr(evbpf_test_log(), "sockmap"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sk_lookup_netns),
		cmocka_unit_test(test_netfilter),
		cmocka_unit_test(test_sockmap),
	};

	return cmocka_run_group_tests_name("attach_net", tests, setup, teardown);
}
