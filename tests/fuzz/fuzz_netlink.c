// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the netlink reply parsers (XDP query and features, TC
 * filter query, acks with extended-ack messages). The target defines
 * sendto() and recv() itself, so requests never reach the kernel (nothing
 * is attached anywhere) and every reply the library reads is fuzzed.
 *
 * Input: a flag byte, then chunks of [2-byte little-endian length, bytes];
 * each recv() returns the next chunk, and -EAGAIN once they run out. Unless
 * flag bit 0 is set, every header of a chunk gets the port and sequence
 * number of the request, so parsing goes past the sender checks.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <bpf/libbpf.h>
#include "fuzz_util.h"

static const uint8_t *in;
static size_t in_left;
static __u32 last_seq;
static int patch;

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t to_len)
{
	const struct nlmsghdr *h = buf;

	(void)fd;
	(void)flags;
	(void)to;
	(void)to_len;
	if (len >= sizeof(*h))
		last_seq = h->nlmsg_seq;
	return (ssize_t)len;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	struct sockaddr_nl sa;
	socklen_t sa_len = sizeof(sa);
	struct nlmsghdr *h;
	size_t n;
	int left;	/* signed: NLMSG_NEXT may step past the end */

	(void)flags;
	if (in_left < 2) {
		errno = EAGAIN;
		return -1;
	}
	n = (size_t)(in[0] | in[1] << 8);
	in += 2;
	in_left -= 2;
	if (n > in_left)
		n = in_left;
	if (n > len)
		n = len;
	memcpy(buf, in, n);
	in += n;
	in_left -= n;
	if (patch && !getsockname(fd, (struct sockaddr *)&sa, &sa_len)) {
		for (h = buf, left = (int)n; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			h->nlmsg_pid = sa.nl_pid;
			h->nlmsg_seq = last_seq;
		}
	}
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, xq);
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = 1, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, tq, .handle = 1, .priority = 1);
	__u32 id;

	fuzz_quiet();
	if (!size)
		return 0;
	patch = !(data[0] & 1);
	in = data + 1;
	in_left = size - 1;
	(void)bpf_xdp_query(1, data[0] & 0x0e, &xq);
	(void)bpf_xdp_query_id(1, 0, &id);
	(void)bpf_tc_query(&hook, &tq);
	(void)bpf_xdp_detach(1, 0, NULL);
	(void)bpf_tc_hook_create(&hook);
	return 0;
}
