// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rtnetlink message building without a socket: the RTM_SETLINK request of
 * bpf_xdp_attach() and nested attributes. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>

#include "attach/netlink_internal.h"
#include "evbpf_test.h"

static struct nlattr *attr_at(void *base, size_t off)
{
	return (struct nlattr *)((char *)base + off);
}

static void test_xdp_request(void **state)
{
	struct evbpf__nl_req req;
	struct ifinfomsg *ifi;
	struct nlattr *nest, *a;
	size_t off;
	__s32 v;
	__u32 f;

	assert_int_equal(evbpf__nl_xdp_req(&req, 7, 42, 13,
					   XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE), 0);
	assert_int_equal(req.hdr.nlmsg_type, RTM_SETLINK);
	assert_int_equal(req.hdr.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	ifi = NLMSG_DATA(&req.hdr);
	assert_int_equal(ifi->ifi_index, 7);
	assert_int_equal(ifi->ifi_family, AF_UNSPEC);

	off = NLMSG_LENGTH(sizeof(*ifi));
	nest = attr_at(&req, off);
	assert_int_equal(nest->nla_type, IFLA_XDP | NLA_F_NESTED);
	/* nest: 3 attrs of 4 bytes each, 8 bytes with header */
	assert_int_equal(nest->nla_len, NLA_HDRLEN + 3 * 8);
	assert_int_equal(req.hdr.nlmsg_len, off + nest->nla_len);

	a = attr_at(nest, NLA_HDRLEN);
	assert_int_equal(a->nla_type, IFLA_XDP_FD);
	memcpy(&v, (char *)a + NLA_HDRLEN, 4);
	assert_int_equal(v, 42);
	a = attr_at(a, NLA_ALIGN(a->nla_len));
	assert_int_equal(a->nla_type, IFLA_XDP_FLAGS);
	memcpy(&f, (char *)a + NLA_HDRLEN, 4);
	assert_int_equal(f, XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE);
	a = attr_at(a, NLA_ALIGN(a->nla_len));
	assert_int_equal(a->nla_type, IFLA_XDP_EXPECTED_FD);
	memcpy(&v, (char *)a + NLA_HDRLEN, 4);
	assert_int_equal(v, 13);

	/* detach without flags: just the fd -1 */
	assert_int_equal(evbpf__nl_xdp_req(&req, 3, -1, -1, 0), 0);
	nest = attr_at(&req, NLMSG_LENGTH(sizeof(*ifi)));
	assert_int_equal(nest->nla_len, NLA_HDRLEN + 8);
	memcpy(&v, (char *)nest + 2 * NLA_HDRLEN, 4);
	assert_int_equal(v, -1);
}

static void test_attr_overflow(void **state)
{
	struct evbpf__nl_req req;
	char big[1024] = { 0 };
	int i, ret = 0;

	evbpf__nl_init(&req, RTM_GETLINK, NLM_F_REQUEST, NULL, 0);
	for (i = 0; i < 8 && !ret; i++)
		ret = evbpf__nl_put(&req, 1, big, sizeof(big));
	assert_int_equal(ret, -EMSGSIZE);
	assert_true(req.hdr.nlmsg_len <= EVBPF_NL_BUF);
	/* odd sizes are padded to 4 */
	evbpf__nl_init(&req, RTM_GETLINK, NLM_F_REQUEST, NULL, 0);
	assert_int_equal(evbpf__nl_put(&req, 3, "abc\0e", 5), 0);
	assert_int_equal(req.hdr.nlmsg_len, NLMSG_HDRLEN + NLA_HDRLEN + 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp_request),
		cmocka_unit_test(test_attr_overflow),
	};

	return cmocka_run_group_tests_name("xdp_nlmsg", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
