// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rtnetlink for the attach points that predate BPF links: XDP programs set
 * on a device (RTM_SETLINK / IFLA_XDP) and TC direct-action bpf filters on
 * the clsact qdisc (RTM_{NEW,DEL,GET}QDISC and TFILTER). Kernel error
 * strings from extended acks are passed on in the log line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>

#include "attach_internal.h"
#include "netlink_internal.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

/* ---- message building ---- */

void evbpf__nl_init(struct evbpf__nl_req *req, __u16 type, __u16 flags,
		    const void *fam, size_t fam_len)
{
	memset(req, 0, sizeof(*req));
	req->hdr.nlmsg_len = NLMSG_LENGTH(fam_len);
	req->hdr.nlmsg_type = type;
	req->hdr.nlmsg_flags = flags;
	if (fam_len)
		memcpy(NLMSG_DATA(&req->hdr), fam, fam_len);
}

int evbpf__nl_put(struct evbpf__nl_req *req, __u16 type, const void *data,
		  size_t len)
{
	size_t off = NLMSG_ALIGN(req->hdr.nlmsg_len);
	struct nlattr *a;

	if (off + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(req->buf))
		return -EMSGSIZE;
	a = (struct nlattr *)(req->buf + off);
	a->nla_type = type;
	a->nla_len = (__u16)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	req->hdr.nlmsg_len = (__u32)(off + NLA_ALIGN(a->nla_len));
	return 0;
}

struct nlattr *evbpf__nl_nest_start(struct evbpf__nl_req *req, __u16 type)
{
	struct nlattr *nest = (struct nlattr *)(req->buf +
						NLMSG_ALIGN(req->hdr.nlmsg_len));

	if (evbpf__nl_put(req, type | NLA_F_NESTED, NULL, 0) < 0)
		return NULL;
	return nest;
}

void evbpf__nl_nest_end(struct evbpf__nl_req *req, struct nlattr *nest)
{
	nest->nla_len = (__u16)(req->buf + req->hdr.nlmsg_len - (char *)nest);
}

int evbpf__nl_xdp_req(struct evbpf__nl_req *req, int ifindex, int prog_fd,
		      int old_fd, __u32 flags)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nlattr *nest;
	__s32 fd = prog_fd;

	evbpf__nl_init(req, RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi,
		       sizeof(ifi));
	nest = evbpf__nl_nest_start(req, IFLA_XDP);
	if (!nest || evbpf__nl_put(req, IFLA_XDP_FD, &fd, sizeof(fd)) < 0)
		return -EMSGSIZE;
	if (flags && evbpf__nl_put(req, IFLA_XDP_FLAGS, &flags, sizeof(flags)) < 0)
		return -EMSGSIZE;
	if (flags & XDP_FLAGS_REPLACE) {
		fd = old_fd;
		if (evbpf__nl_put(req, IFLA_XDP_EXPECTED_FD, &fd, sizeof(fd)) < 0)
			return -EMSGSIZE;
	}
	evbpf__nl_nest_end(req, nest);
	return 0;
}

/* ---- talking to the kernel ---- */

typedef int (*nl_msg_cb)(struct nlmsghdr *msg, void *ctx);

static int nl_open(int protocol, __u32 *port)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(sa);
	int one = 1, fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -errno;
	/* best effort: the kernel's reason comes with the error */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	*port = sa.nl_pid;
	return fd;
}

/* The extended-ack message of an error reply, or NULL. */
static const char *ext_ack_msg(struct nlmsghdr *msg)
{
	struct nlmsgerr *e = NLMSG_DATA(msg);
	size_t off, len;
	struct nlattr *a;

	if (!(msg->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(msg->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	while (off + NLA_HDRLEN <= msg->nlmsg_len) {
		a = (struct nlattr *)((char *)msg + off);
		len = a->nla_len;
		if (len < NLA_HDRLEN || off + len > msg->nlmsg_len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    len > NLA_HDRLEN && ((char *)a)[len - 1] == '\0')
			return (char *)a + NLA_HDRLEN;
		off += NLA_ALIGN(len);
	}
	return NULL;
}

/*
 * Sends @req on a @protocol socket and reads replies until the ack (or DONE
 * for dumps), calling @cb for every other message of this request. @what
 * names the operation for the log line on error; @quiet_err is an error
 * the caller handles without a log line (0: none).
 */
static int nl_talk_proto(int protocol, struct evbpf__nl_req *req, nl_msg_cb cb,
			 void *ctx, const char *what, int quiet_err)
{
	static __u32 seq_counter;
	char buf[16384], err[EVBPF_ERRSTR_MAX];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *msg;
	__u32 port = 0, seq;
	ssize_t n;
	int fd, ret = 0;
	bool done = false;

	fd = nl_open(protocol, &port);
	if (fd < 0) {
		pr_warn("%s: cannot open an rtnetlink socket: %s", what,
			evbpf__errstr(fd, err, sizeof(err)));
		return fd;
	}
	seq = __atomic_add_fetch(&seq_counter, 1, __ATOMIC_RELAXED);
	req->hdr.nlmsg_seq = seq;
	if (sendto(fd, req, req->hdr.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	while (!done) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out;
		}
		/* n stays signed: NLMSG_NEXT past an unaligned last message
		 * makes it negative, which NLMSG_OK must see as "no more" */
		for (msg = (struct nlmsghdr *)buf; NLMSG_OK(msg, n);
		     msg = NLMSG_NEXT(msg, n)) {
			if (msg->nlmsg_pid != port) {
				ret = -LIBBPF_ERRNO__WRNGPID;
				goto out;
			}
			if (msg->nlmsg_seq != seq) {
				ret = -LIBBPF_ERRNO__INVSEQ;
				goto out;
			}
			if (msg->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(msg);
				const char *why;

				if (msg->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					ret = -LIBBPF_ERRNO__NLPARSE;
					goto out;
				}
				ret = e->error;
				if (ret > 0 || ret < -4095) {
					/* not an errno: a reply we cannot read */
					pr_warn("%s: netlink error reply carries %d, not an errno",
						what, ret);
					ret = -LIBBPF_ERRNO__NLPARSE;
					goto out;
				}
				if (ret && ret != quiet_err) {
					why = ext_ack_msg(msg);
					if (why)
						pr_warn("%s: %s (kernel: %s)", what,
							evbpf__errstr(ret, err, sizeof(err)),
							why);
					else if (cb || ret != -ENOENT)
						pr_warn("%s: %s", what,
							evbpf__errstr(ret, err, sizeof(err)));
				}
				done = true;
				break;
			}
			if (msg->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (cb) {
				ret = cb(msg, ctx);
				if (ret < 0)
					goto out;
			}
		}
	}
out:
	close(fd);
	return ret;
}

static int nl_talk(struct evbpf__nl_req *req, nl_msg_cb cb, void *ctx,
		   const char *what)
{
	return nl_talk_proto(NETLINK_ROUTE, req, cb, ctx, what, 0);
}

/* Walks the attributes in [@start, @start + @len) into @tb[0..max]. */
static void nl_parse(struct nlattr **tb, int max, void *start, size_t len)
{
	struct nlattr *a = start;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (type <= max)
			tb[type] = a;
		len -= NLA_ALIGN(a->nla_len) < len ? NLA_ALIGN(a->nla_len) : len;
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

static void *nla_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static __u32 nla_u32(struct nlattr *a)
{
	__u32 v = 0;

	if (a && a->nla_len >= NLA_HDRLEN + sizeof(v))
		memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

/* ---- XDP ---- */

/* Installs @fd (-1: removes the program) on @ifindex; with opts->old_prog_fd
 * only while that program is the one installed. */
static int xdp_set(int ifindex, int fd, __u32 flags,
		   const struct bpf_xdp_attach_opts *opts, const char *what)
{
	struct evbpf__nl_req req;
	char buf[64];
	int old_fd, ret;

	if (!OPTS_VALID(opts, bpf_xdp_attach_opts, old_prog_fd))
		return -EINVAL;
	if (ifindex <= 0 || (flags & ~XDP_FLAGS_MASK))
		return -EINVAL;
	old_fd = OPTS_GET(opts, old_prog_fd, 0);
	if (old_fd)
		flags |= XDP_FLAGS_REPLACE;
	else
		old_fd = -1;
	ret = evbpf__nl_xdp_req(&req, ifindex, fd, old_fd, flags);
	if (ret < 0)
		return ret;
	snprintf(buf, sizeof(buf), "%s on ifindex %d", what, ifindex);
	return nl_talk(&req, NULL, NULL, buf);
}

int bpf_xdp_attach(int ifindex, int prog_fd, __u32 flags,
		   const struct bpf_xdp_attach_opts *opts)
{
	return evbpf__err(xdp_set(ifindex, prog_fd, flags, opts, "XDP attach"));
}

int bpf_xdp_detach(int ifindex, __u32 flags,
		   const struct bpf_xdp_attach_opts *opts)
{
	return evbpf__err(xdp_set(ifindex, -1, flags, opts, "XDP detach"));
}

struct xdp_query_ctx {
	int ifindex;
	bool found;
	__u8 attach_mode;
	__u32 prog_id, drv_id, skb_id, hw_id;
};

static int xdp_query_cb(struct nlmsghdr *msg, void *p)
{
	struct xdp_query_ctx *q = p;
	struct nlattr *tb[IFLA_MAX + 1], *xdp[IFLA_XDP_MAX + 1];
	struct ifinfomsg *ifi = NLMSG_DATA(msg);
	size_t len;

	if (msg->nlmsg_type != RTM_NEWLINK ||
	    msg->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)) ||
	    ifi->ifi_index != q->ifindex)
		return 0;
	q->found = true;
	len = msg->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	nl_parse(tb, IFLA_MAX, (char *)ifi + NLMSG_ALIGN(sizeof(*ifi)), len);
	if (!tb[IFLA_XDP])
		return 0;
	nl_parse(xdp, IFLA_XDP_MAX, nla_data(tb[IFLA_XDP]),
		 tb[IFLA_XDP]->nla_len - NLA_HDRLEN);
	if (xdp[IFLA_XDP_ATTACHED])
		q->attach_mode = *(__u8 *)nla_data(xdp[IFLA_XDP_ATTACHED]);
	q->prog_id = nla_u32(xdp[IFLA_XDP_PROG_ID]);
	q->drv_id = nla_u32(xdp[IFLA_XDP_DRV_PROG_ID]);
	q->skb_id = nla_u32(xdp[IFLA_XDP_SKB_PROG_ID]);
	q->hw_id = nla_u32(xdp[IFLA_XDP_HW_PROG_ID]);
	return 0;
}

/* ---- XDP features: the "netdev" generic netlink family (6.3+) ---- */

#define NETDEV_FAMILY_NAME "netdev"
#define NETDEV_CMD_DEV_GET_ 1
#define NETDEV_A_DEV_IFINDEX_ 1
#define NETDEV_A_DEV_XDP_FEATURES_ 3
#define NETDEV_A_DEV_XDP_ZC_MAX_SEGS_ 4
#define NETDEV_A_DEV_MAX_ 8

static int genl_family_cb(struct nlmsghdr *msg, void *p)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	__u16 *id = p;

	if (msg->nlmsg_type != GENL_ID_CTRL ||
	    msg->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return 0;
	nl_parse(tb, CTRL_ATTR_MAX, (char *)NLMSG_DATA(msg) + GENL_HDRLEN,
		 msg->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
	if (tb[CTRL_ATTR_FAMILY_ID] &&
	    tb[CTRL_ATTR_FAMILY_ID]->nla_len >= NLA_HDRLEN + sizeof(*id))
		memcpy(id, nla_data(tb[CTRL_ATTR_FAMILY_ID]), sizeof(*id));
	return 0;
}

/* The id of generic netlink family @name; -ENOENT when the kernel has none. */
static int genl_family_id(const char *name)
{
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 2 };
	struct evbpf__nl_req req;
	__u16 id = 0;
	int ret;

	evbpf__nl_init(&req, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, &g, sizeof(g));
	if (evbpf__nl_put(&req, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1) < 0)
		return -EMSGSIZE;
	ret = nl_talk_proto(NETLINK_GENERIC, &req, genl_family_cb, &id,
			    "generic netlink family lookup", -ENOENT);
	if (ret < 0)
		return ret;
	return id ? id : -ENOENT;
}

struct xdp_feat_ctx {
	__u64 features;
	__u32 zc_max_segs;
};

static int xdp_feat_cb(struct nlmsghdr *msg, void *p)
{
	struct nlattr *tb[NETDEV_A_DEV_MAX_ + 1];
	struct xdp_feat_ctx *f = p;

	if (msg->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return 0;
	nl_parse(tb, NETDEV_A_DEV_MAX_, (char *)NLMSG_DATA(msg) + GENL_HDRLEN,
		 msg->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
	if (tb[NETDEV_A_DEV_XDP_FEATURES_] &&
	    tb[NETDEV_A_DEV_XDP_FEATURES_]->nla_len >= NLA_HDRLEN + sizeof(__u64))
		memcpy(&f->features, nla_data(tb[NETDEV_A_DEV_XDP_FEATURES_]),
		       sizeof(__u64));
	f->zc_max_segs = nla_u32(tb[NETDEV_A_DEV_XDP_ZC_MAX_SEGS_]);
	return 0;
}

/* XDP features of @ifindex; 0 with all zero when the kernel cannot say. */
static int xdp_features(int ifindex, struct xdp_feat_ctx *f)
{
	struct genlmsghdr g = { .cmd = NETDEV_CMD_DEV_GET_, .version = 1 };
	struct evbpf__nl_req req;
	__u32 idx = (__u32)ifindex;
	int id;

	memset(f, 0, sizeof(*f));
	id = genl_family_id(NETDEV_FAMILY_NAME);
	if (id == -ENOENT)
		return 0;
	if (id < 0)
		return id;
	evbpf__nl_init(&req, (__u16)id, NLM_F_REQUEST | NLM_F_ACK, &g, sizeof(g));
	if (evbpf__nl_put(&req, NETDEV_A_DEV_IFINDEX_, &idx, sizeof(idx)) < 0)
		return -EMSGSIZE;
	return nl_talk_proto(NETLINK_GENERIC, &req, xdp_feat_cb, f,
			     "XDP features query", 0);
}

int bpf_xdp_query(int ifindex, int flags, struct bpf_xdp_query_opts *opts)
{
	struct xdp_feat_ctx feat = { 0 };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct xdp_query_ctx q = { .ifindex = ifindex };
	struct evbpf__nl_req req;
	char what[64];
	int ret;

	if (!OPTS_VALID(opts, bpf_xdp_query_opts, xdp_zc_max_segs))
		return evbpf__err(-EINVAL);
	if (ifindex <= 0 || (flags & ~XDP_FLAGS_MASK))
		return evbpf__err(-EINVAL);
	evbpf__nl_init(&req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifi,
		       sizeof(ifi));
	snprintf(what, sizeof(what), "XDP query on ifindex %d", ifindex);
	ret = nl_talk(&req, xdp_query_cb, &q, what);
	if (ret < 0)
		return evbpf__err(ret);
	if (!q.found)
		return evbpf__err(-ENODEV);
	OPTS_SET(opts, prog_id, q.prog_id);
	OPTS_SET(opts, drv_prog_id, q.drv_id);
	OPTS_SET(opts, hw_prog_id, q.hw_id);
	OPTS_SET(opts, skb_prog_id, q.skb_id);
	OPTS_SET(opts, attach_mode, q.attach_mode);
	if (OPTS_HAS(opts, feature_flags)) {
		ret = xdp_features(ifindex, &feat);
		if (ret < 0)
			return evbpf__err(ret);
	}
	OPTS_SET(opts, feature_flags, feat.features);
	OPTS_SET(opts, xdp_zc_max_segs, feat.zc_max_segs);
	return 0;
}

int bpf_xdp_query_id(int ifindex, int flags, __u32 *prog_id)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, opts);
	int ret;

	if (!prog_id)
		return evbpf__err(-EINVAL);
	ret = bpf_xdp_query(ifindex, flags, &opts);
	if (ret < 0)
		return ret;
	flags &= XDP_FLAGS_MODES;
	if (opts.attach_mode != XDP_ATTACHED_MULTI && !flags)
		*prog_id = opts.prog_id;
	else if (flags & XDP_FLAGS_DRV_MODE)
		*prog_id = opts.drv_prog_id;
	else if (flags & XDP_FLAGS_HW_MODE)
		*prog_id = opts.hw_prog_id;
	else if (flags & XDP_FLAGS_SKB_MODE)
		*prog_id = opts.skb_prog_id;
	else
		*prog_id = 0;
	return 0;
}

/* ---- TC ---- */

static int tc_hook_parent(const struct bpf_tc_hook *hook, __u32 *parent)
{
	enum bpf_tc_attach_point ap = OPTS_GET(hook, attach_point, 0);
	__u32 p = OPTS_GET(hook, parent, 0);

	switch (ap) {
	case BPF_TC_INGRESS:
		if (p && p != TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS))
			return -EINVAL;
		*parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
		return 0;
	case BPF_TC_EGRESS:
		if (p && p != TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS))
			return -EINVAL;
		*parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
		return 0;
	case BPF_TC_CUSTOM:
		if (!p)
			return -EINVAL;
		*parent = p;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Creates or deletes the hook's qdisc: clsact for the ingress/egress
 * hooks, or with BPF_TC_QDISC the qdisc of kind hook->qdisc with
 * hook->handle under hook->parent (the root when 0). */
static int tc_qdisc(const struct bpf_tc_hook *hook, int cmd, int flags)
{
	struct tcmsg t = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = OPTS_GET(hook, ifindex, 0),
		.tcm_handle = TC_H_MAKE(TC_H_CLSACT, 0),
		.tcm_parent = TC_H_CLSACT,
	};
	const char *kind = "clsact";
	struct evbpf__nl_req req;
	char what[96];

	if (OPTS_GET(hook, attach_point, 0) == BPF_TC_QDISC) {
		kind = OPTS_GET(hook, qdisc, NULL);
		if (!kind || !*kind || strlen(kind) >= 32) {
			pr_warn("tc hook on ifindex %d: BPF_TC_QDISC needs the qdisc's kind",
				t.tcm_ifindex);
			return -EINVAL;
		}
		t.tcm_handle = OPTS_GET(hook, handle, 0);
		t.tcm_parent = OPTS_GET(hook, parent, 0) ?: TC_H_ROOT;
	}
	evbpf__nl_init(&req, cmd, NLM_F_REQUEST | NLM_F_ACK | flags, &t,
		       sizeof(t));
	if (evbpf__nl_put(&req, TCA_KIND, kind, strlen(kind) + 1) < 0)
		return -EMSGSIZE;
	snprintf(what, sizeof(what), "%s qdisc %s on ifindex %d", kind,
		 cmd == RTM_NEWQDISC ? "create" : "delete", t.tcm_ifindex);
	return nl_talk(&req, NULL, NULL, what);
}

static bool tc_hook_ok(const struct bpf_tc_hook *hook)
{
	return hook && OPTS_VALID(hook, bpf_tc_hook, qdisc) &&
	       OPTS_GET(hook, ifindex, 0) > 0;
}

int bpf_tc_hook_create(struct bpf_tc_hook *hook)
{
	enum bpf_tc_attach_point ap;

	if (!tc_hook_ok(hook))
		return evbpf__err(-EINVAL);
	ap = OPTS_GET(hook, attach_point, 0);
	if (ap != BPF_TC_QDISC &&
	    (!(ap & (BPF_TC_INGRESS | BPF_TC_EGRESS)) || (ap & ~(BPF_TC_INGRESS | BPF_TC_EGRESS))))
		return evbpf__err(-EINVAL);
	return evbpf__err(tc_qdisc(hook, RTM_NEWQDISC,
				   NLM_F_CREATE | NLM_F_EXCL));
}

/* Removes every filter under @parent (no handle, no priority: a flush). */
static int tc_flush(int ifindex, __u32 parent)
{
	struct tcmsg t = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = ifindex,
		.tcm_parent = parent,
	};
	struct evbpf__nl_req req;

	evbpf__nl_init(&req, RTM_DELTFILTER, NLM_F_REQUEST | NLM_F_ACK, &t,
		       sizeof(t));
	return nl_talk(&req, NULL, NULL, "TC filter flush");
}

int bpf_tc_hook_destroy(struct bpf_tc_hook *hook)
{
	enum bpf_tc_attach_point ap;
	int ifindex;

	if (!tc_hook_ok(hook))
		return evbpf__err(-EINVAL);
	ap = OPTS_GET(hook, attach_point, 0);
	ifindex = OPTS_GET(hook, ifindex, 0);
	switch ((int)ap) {
	case BPF_TC_INGRESS | BPF_TC_EGRESS:
	case BPF_TC_QDISC:
		return evbpf__err(tc_qdisc(hook, RTM_DELQDISC, 0));
	case BPF_TC_INGRESS:
		return evbpf__err(tc_flush(ifindex, TC_H_MAKE(TC_H_CLSACT,
							      TC_H_MIN_INGRESS)));
	case BPF_TC_EGRESS:
		return evbpf__err(tc_flush(ifindex, TC_H_MAKE(TC_H_CLSACT,
							      TC_H_MIN_EGRESS)));
	case BPF_TC_CUSTOM:
		return evbpf__err(-EOPNOTSUPP);
	default:
		return evbpf__err(-EINVAL);
	}
}

struct tc_reply {
	bool found;
	__u32 handle, priority, prog_id;
};

static int tc_filter_cb(struct nlmsghdr *msg, void *p)
{
	struct tc_reply *r = p;
	struct nlattr *tb[TCA_MAX + 1], *bpf[TCA_BPF_MAX + 1];
	struct tcmsg *t = NLMSG_DATA(msg);

	if (msg->nlmsg_type != RTM_NEWTFILTER ||
	    msg->nlmsg_len < NLMSG_LENGTH(sizeof(*t)))
		return 0;
	nl_parse(tb, TCA_MAX, (char *)t + NLMSG_ALIGN(sizeof(*t)),
		 msg->nlmsg_len - NLMSG_LENGTH(sizeof(*t)));
	if (!tb[TCA_KIND] || strcmp(nla_data(tb[TCA_KIND]), "bpf") ||
	    !tb[TCA_OPTIONS])
		return 0;
	nl_parse(bpf, TCA_BPF_MAX, nla_data(tb[TCA_OPTIONS]),
		 tb[TCA_OPTIONS]->nla_len - NLA_HDRLEN);
	if (!bpf[TCA_BPF_ID])
		return 0;
	r->found = true;
	r->handle = t->tcm_handle;
	r->priority = TC_H_MAJ(t->tcm_info) >> 16;
	r->prog_id = nla_u32(bpf[TCA_BPF_ID]);
	return 0;
}

static void tc_msg(struct tcmsg *t, int ifindex, __u32 parent, __u32 handle,
		   __u32 priority)
{
	memset(t, 0, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = parent;
	t->tcm_handle = handle;
	t->tcm_info = TC_H_MAKE(priority << 16, htons(ETH_P_ALL));
}

int bpf_tc_attach(const struct bpf_tc_hook *hook, struct bpf_tc_opts *opts)
{
	__u32 parent, handle, priority, flags, bpf_flags = TCA_BPF_FLAG_ACT_DIRECT;
	struct bpf_prog_info info;
	__u32 info_len = sizeof(info);
	struct tc_reply r = { 0 };
	struct evbpf__nl_req req;
	struct nlattr *nest;
	char name[BPF_OBJ_NAME_LEN + 16];
	struct tcmsg t;
	__u16 nlflags;
	int prog_fd, ret;

	if (!tc_hook_ok(hook) || !opts || !OPTS_VALID(opts, bpf_tc_opts, priority))
		return evbpf__err(-EINVAL);
	prog_fd = OPTS_GET(opts, prog_fd, 0);
	handle = OPTS_GET(opts, handle, 0);
	priority = OPTS_GET(opts, priority, 0);
	flags = OPTS_GET(opts, flags, 0);
	if (prog_fd <= 0 || OPTS_GET(opts, prog_id, 0) ||
	    (flags & ~BPF_TC_F_REPLACE) || priority > 0xffff ||
	    ((flags & BPF_TC_F_REPLACE) && (!handle || !priority)))
		return evbpf__err(-EINVAL);
	ret = tc_hook_parent(hook, &parent);
	if (ret < 0)
		return evbpf__err(ret);
	memset(&info, 0, sizeof(info));
	if (bpf_prog_get_info_by_fd(prog_fd, &info, &info_len) < 0)
		return evbpf__err(-errno);
	snprintf(name, sizeof(name), "%s:[%u]", info.name, info.id);

	nlflags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO | NLM_F_CREATE |
		  ((flags & BPF_TC_F_REPLACE) ? NLM_F_REPLACE : NLM_F_EXCL);
	tc_msg(&t, OPTS_GET(hook, ifindex, 0), parent, handle, priority);
	evbpf__nl_init(&req, RTM_NEWTFILTER, nlflags, &t, sizeof(t));
	if (evbpf__nl_put(&req, TCA_KIND, "bpf", sizeof("bpf")) < 0 ||
	    !(nest = evbpf__nl_nest_start(&req, TCA_OPTIONS)) ||
	    evbpf__nl_put(&req, TCA_BPF_FD, &prog_fd, sizeof(prog_fd)) < 0 ||
	    evbpf__nl_put(&req, TCA_BPF_NAME, name, strlen(name) + 1) < 0 ||
	    evbpf__nl_put(&req, TCA_BPF_FLAGS, &bpf_flags, sizeof(bpf_flags)) < 0)
		return evbpf__err(-EMSGSIZE);
	evbpf__nl_nest_end(&req, nest);
	ret = nl_talk(&req, tc_filter_cb, &r, "TC filter attach");
	if (ret < 0)
		return evbpf__err(ret);
	if (!r.found)
		return evbpf__err(-LIBBPF_ERRNO__NLPARSE);
	OPTS_SET(opts, handle, r.handle);
	OPTS_SET(opts, priority, r.priority);
	OPTS_SET(opts, prog_id, r.prog_id);
	return 0;
}

/* Checks the filter that bpf_tc_detach()/bpf_tc_query() name (handle and
 * priority, nothing else) and starts the @type request for it in @req. */
static int tc_filter_req(const struct bpf_tc_hook *hook,
			 const struct bpf_tc_opts *opts, __u16 type,
			 struct evbpf__nl_req *req)
{
	__u32 parent, handle, priority;
	struct tcmsg t;
	int ret;

	if (!tc_hook_ok(hook) || !opts || !OPTS_VALID(opts, bpf_tc_opts, priority))
		return -EINVAL;
	handle = OPTS_GET(opts, handle, 0);
	priority = OPTS_GET(opts, priority, 0);
	if (!handle || !priority || priority > 0xffff ||
	    OPTS_GET(opts, prog_fd, 0) || OPTS_GET(opts, prog_id, 0) ||
	    OPTS_GET(opts, flags, 0))
		return -EINVAL;
	ret = tc_hook_parent(hook, &parent);
	if (ret < 0)
		return ret;
	tc_msg(&t, OPTS_GET(hook, ifindex, 0), parent, handle, priority);
	evbpf__nl_init(req, type, NLM_F_REQUEST | NLM_F_ACK, &t, sizeof(t));
	if (evbpf__nl_put(req, TCA_KIND, "bpf", sizeof("bpf")) < 0)
		return -EMSGSIZE;
	return 0;
}

int bpf_tc_detach(const struct bpf_tc_hook *hook, const struct bpf_tc_opts *opts)
{
	struct evbpf__nl_req req;
	int ret;

	ret = tc_filter_req(hook, opts, RTM_DELTFILTER, &req);
	if (ret < 0)
		return evbpf__err(ret);
	return evbpf__err(nl_talk(&req, NULL, NULL, "TC filter detach"));
}

int bpf_tc_query(const struct bpf_tc_hook *hook, struct bpf_tc_opts *opts)
{
	struct tc_reply r = { 0 };
	struct evbpf__nl_req req;
	int ret;

	ret = tc_filter_req(hook, opts, RTM_GETTFILTER, &req);
	if (ret < 0)
		return evbpf__err(ret);
	ret = nl_talk(&req, tc_filter_cb, &r, "TC filter query");
	if (ret < 0)
		return evbpf__err(ret);
	if (!r.found)
		return evbpf__err(-ENOENT);
	OPTS_SET(opts, prog_id, r.prog_id);
	return 0;
}
