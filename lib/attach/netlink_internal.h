/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * rtnetlink message building for netlink.c, kept separate so that the
 * message layout can be unit-tested without a socket. Never installed.
 */
#ifndef EVBPF_LIB_NETLINK_INTERNAL_H
#define EVBPF_LIB_NETLINK_INTERNAL_H

#include <stddef.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define EVBPF_NL_BUF 4096

/* A request being built: the header, then the family header, then attrs. */
struct evbpf__nl_req {
	union {
		struct nlmsghdr hdr;
		char buf[EVBPF_NL_BUF];
	};
};

/* Starts a request of @type/@flags whose family header is @fam_len bytes
 * (copied from @fam). */
void evbpf__nl_init(struct evbpf__nl_req *req, __u16 type, __u16 flags,
		    const void *fam, size_t fam_len);
/* Appends attribute @type with @len bytes of @data; -EMSGSIZE when full. */
int evbpf__nl_put(struct evbpf__nl_req *req, __u16 type, const void *data,
		  size_t len);
/* Opens a nested attribute; returns it for evbpf__nl_nest_end, or NULL. */
struct nlattr *evbpf__nl_nest_start(struct evbpf__nl_req *req, __u16 type);
void evbpf__nl_nest_end(struct evbpf__nl_req *req, struct nlattr *nest);

/* Builds the RTM_SETLINK request of bpf_xdp_attach(). */
int evbpf__nl_xdp_req(struct evbpf__nl_req *req, int ifindex, int prog_fd,
		      int old_fd, __u32 flags);

#endif /* EVBPF_LIB_NETLINK_INTERNAL_H */
