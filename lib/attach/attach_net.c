// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Link-based attachment of networking and cgroup programs: cgroups, network
 * namespaces, XDP, tcx, netkit, sockmaps and netfilter hooks. Each is one
 * BPF_LINK_CREATE with the target the caller names.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach_internal.h"

struct bpf_link *
bpf_program__attach_cgroup(const struct bpf_program *prog, int cgroup_fd)
{
	return evbpf__link_create(prog, cgroup_fd,
				  bpf_program__expected_attach_type(prog), NULL,
				  "cgroup");
}

struct bpf_link *
bpf_program__attach_netns(const struct bpf_program *prog, int netns_fd)
{
	return evbpf__link_create(prog, netns_fd,
				  bpf_program__expected_attach_type(prog), NULL,
				  "network namespace");
}

struct bpf_link *
bpf_program__attach_xdp(const struct bpf_program *prog, int ifindex)
{
	/* BPF_XDP regardless of the program's expected attach type, which
	 * devmap/cpumap programs set differently. */
	return evbpf__link_create(prog, ifindex, BPF_XDP, NULL, "XDP hook");
}

struct bpf_link *
bpf_program__attach_sockmap(const struct bpf_program *prog, int map_fd)
{
	return evbpf__link_create(prog, map_fd,
				  bpf_program__expected_attach_type(prog), NULL,
				  "sockmap");
}

/* What tcx and netkit attachments share: the program must be of one of the
 * hook's kinds (@type_ok), the interface real, and the anchor a relative fd
 * or id, never both (an id is flagged with BPF_F_ID). @lopts holds the
 * hook's own fields; @kind names the expected program in the warning. */
static struct bpf_link *
attach_mprog(const struct bpf_program *prog, int ifindex,
	     enum bpf_attach_type type, bool type_ok, const char *kind,
	     const char *target, struct bpf_link_create_opts *lopts,
	     __u32 relative_fd, __u32 relative_id)
{
	char desc[128];

	if (!type_ok) {
		pr_warn("%s: not a %s",
			evbpf__prog_desc(prog, desc, sizeof(desc)), kind);
		return evbpf__err_ptr(-EINVAL);
	}
	if (ifindex <= 0)
		return evbpf__err_ptr(-EINVAL);
	if (relative_fd && relative_id)
		return evbpf__err_ptr(-EINVAL);
	if (relative_id)
		lopts->flags |= BPF_F_ID;
	return evbpf__link_create(prog, ifindex, type, lopts, target);
}

struct bpf_link *
bpf_program__attach_tcx(const struct bpf_program *prog, int ifindex,
			const struct bpf_tcx_opts *opts)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	enum bpf_attach_type type = bpf_program__expected_attach_type(prog);

	if (!OPTS_VALID(opts, bpf_tcx_opts, expected_revision))
		return evbpf__err_ptr(-EINVAL);
	lopts.flags = OPTS_GET(opts, flags, 0);
	lopts.tcx.relative_fd = OPTS_GET(opts, relative_fd, 0);
	lopts.tcx.relative_id = OPTS_GET(opts, relative_id, 0);
	lopts.tcx.expected_revision = OPTS_GET(opts, expected_revision, 0);
	return attach_mprog(prog, ifindex, type,
			    type == BPF_TCX_INGRESS || type == BPF_TCX_EGRESS,
			    "tcx program (SEC(\"tcx/ingress\") or SEC(\"tcx/egress\"))",
			    "tcx hook", &lopts, lopts.tcx.relative_fd,
			    lopts.tcx.relative_id);
}

struct bpf_link *
bpf_program__attach_netkit(const struct bpf_program *prog, int ifindex,
			   const struct bpf_netkit_opts *opts)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	enum bpf_attach_type type = bpf_program__expected_attach_type(prog);

	if (!OPTS_VALID(opts, bpf_netkit_opts, expected_revision))
		return evbpf__err_ptr(-EINVAL);
	lopts.flags = OPTS_GET(opts, flags, 0);
	lopts.netkit.relative_fd = OPTS_GET(opts, relative_fd, 0);
	lopts.netkit.relative_id = OPTS_GET(opts, relative_id, 0);
	lopts.netkit.expected_revision = OPTS_GET(opts, expected_revision, 0);
	return attach_mprog(prog, ifindex, type,
			    type == BPF_NETKIT_PRIMARY || type == BPF_NETKIT_PEER,
			    "netkit program (SEC(\"netkit/primary\") or SEC(\"netkit/peer\"))",
			    "netkit device", &lopts, lopts.netkit.relative_fd,
			    lopts.netkit.relative_id);
}

struct bpf_link *
bpf_program__attach_netfilter(const struct bpf_program *prog,
			      const struct bpf_netfilter_opts *opts)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);

	if (!opts || !OPTS_VALID(opts, bpf_netfilter_opts, flags))
		return evbpf__err_ptr(-EINVAL);
	lopts.netfilter.pf = OPTS_GET(opts, pf, 0);
	lopts.netfilter.hooknum = OPTS_GET(opts, hooknum, 0);
	lopts.netfilter.priority = OPTS_GET(opts, priority, 0);
	lopts.netfilter.flags = OPTS_GET(opts, flags, 0);
	return evbpf__link_create(prog, 0, BPF_NETFILTER, &lopts,
				  "netfilter hook");
}
