// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bpf_link object: what every attach call returns. A link owns the fd
 * that keeps a program attached (a kernel BPF link, a perf event, ...) and
 * knows how to undo its attachment; pinning and re-opening apply to links
 * that are kernel BPF links.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "attach_internal.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

struct bpf_link *evbpf__link_alloc(size_t size, int fd)
{
	struct bpf_link *link = calloc(1, size);

	if (!link)
		return evbpf__err_ptr(-ENOMEM);
	link->fd = fd;
	return link;
}

struct bpf_link *evbpf__link_from_fd(int fd)
{
	struct bpf_link *link = evbpf__link_alloc(sizeof(*link), fd);

	if (!link) {
		evbpf__close(fd);
		errno = ENOMEM;
	}
	return link;
}

const char *evbpf__prog_desc(const struct bpf_program *prog, char *buf,
			     size_t size)
{
	const char *name = prog ? bpf_program__name(prog) : NULL;

	snprintf(buf, size, "prog '%s'", name ? name : "?");
	return buf;
}

int evbpf__prog_fd_checked(const struct bpf_program *prog)
{
	char desc[128];
	int fd;

	if (!prog)
		return evbpf__err(-EINVAL);
	fd = bpf_program__fd(prog);
	if (fd < 0) {
		pr_warn("%s: attach before load: the program has no fd",
			evbpf__prog_desc(prog, desc, sizeof(desc)));
		return evbpf__err(-EINVAL);
	}
	return fd;
}

struct bpf_link *evbpf__link_create(const struct bpf_program *prog,
				    int target, enum bpf_attach_type type,
				    const struct bpf_link_create_opts *opts,
				    const char *what)
{
	char desc[128], err[EVBPF_ERRSTR_MAX];
	int prog_fd, fd;

	prog_fd = evbpf__prog_fd_checked(prog);
	if (prog_fd < 0)
		return evbpf__err_ptr(prog_fd);
	fd = bpf_link_create(prog_fd, target, type, opts);
	if (fd < 0) {
		fd = -errno;
		pr_warn("%s: failed to attach to %s: %s",
			evbpf__prog_desc(prog, desc, sizeof(desc)), what,
			evbpf__errstr(fd, err, sizeof(err)));
		return evbpf__err_ptr(fd);
	}
	return evbpf__link_from_fd(fd);
}

struct bpf_link *bpf_link__open(const char *path)
{
	char err[EVBPF_ERRSTR_MAX];
	struct bpf_link *link;
	int fd;

	if (!path)
		return evbpf__err_ptr(-EINVAL);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		fd = -errno;
		pr_warn("failed to open link pinned at '%s': %s", path,
			evbpf__errstr(fd, err, sizeof(err)));
		return evbpf__err_ptr(fd);
	}
	link = evbpf__link_from_fd(fd);
	if (!link)
		return NULL;
	link->pin_path = strdup(path);
	if (!link->pin_path) {
		bpf_link__destroy(link);
		return evbpf__err_ptr(-ENOMEM);
	}
	return link;
}

int bpf_link__fd(const struct bpf_link *link)
{
	return link ? link->fd : evbpf__err(-EINVAL);
}

const char *bpf_link__pin_path(const struct bpf_link *link)
{
	return link ? link->pin_path : NULL;
}

/* The directory of @path must be on a BPF file system. */
static int check_bpffs_path(const char *path)
{
	char buf[PATH_MAX];
	struct statfs st;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	if (statfs(dirname(buf), &st) < 0)
		return -errno;
	if (st.f_type != BPF_FS_MAGIC)
		return -EINVAL;
	return 0;
}

int bpf_link__pin(struct bpf_link *link, const char *path)
{
	char err[EVBPF_ERRSTR_MAX];
	int ret;

	if (!link || !path)
		return evbpf__err(-EINVAL);
	if (link->pin_path)
		return evbpf__err(-EBUSY);
	if (link->fd < 0) {
		pr_warn("link cannot be pinned: it is not a kernel BPF link");
		return evbpf__err(-EOPNOTSUPP);
	}
	ret = check_bpffs_path(path);
	if (ret < 0) {
		pr_warn("cannot pin link at '%s': %s", path,
			ret == -EINVAL ? "not in a BPF file system"
				       : evbpf__errstr(ret, err, sizeof(err)));
		return evbpf__err(ret);
	}
	link->pin_path = strdup(path);
	if (!link->pin_path)
		return evbpf__err(-ENOMEM);
	if (bpf_obj_pin(link->fd, path) < 0) {
		ret = -errno;
		free(link->pin_path);
		link->pin_path = NULL;
		pr_warn("failed to pin link at '%s': %s", path,
			evbpf__errstr(ret, err, sizeof(err)));
		return evbpf__err(ret);
	}
	return 0;
}

int bpf_link__unpin(struct bpf_link *link)
{
	if (!link || !link->pin_path)
		return evbpf__err(-EINVAL);
	if (unlink(link->pin_path) < 0)
		return evbpf__err(-errno);
	free(link->pin_path);
	link->pin_path = NULL;
	return 0;
}

int bpf_link__update_program(struct bpf_link *link, struct bpf_program *prog)
{
	int prog_fd;

	if (!link || link->fd < 0)
		return evbpf__err(-EINVAL);
	prog_fd = evbpf__prog_fd_checked(prog);
	if (prog_fd < 0)
		return prog_fd;
	return evbpf__err(bpf_link_update(link->fd, prog_fd, NULL) < 0 ? -errno : 0);
}

void bpf_link__disconnect(struct bpf_link *link)
{
	if (link)
		link->disconnected = true;
}

int bpf_link__detach(struct bpf_link *link)
{
	if (!link || link->fd < 0)
		return evbpf__err(-EINVAL);
	return evbpf__err(bpf_link_detach(link->fd) < 0 ? -errno : 0);
}

int bpf_link__destroy(struct bpf_link *link)
{
	int ret = 0;

	if (!link)
		return 0;
	if (!link->disconnected) {
		if (link->detach)
			ret = link->detach(link);
		else if (link->fd >= 0 && close(link->fd) < 0)
			ret = -errno;
	}
	free(link->pin_path);
	if (link->dealloc)
		link->dealloc(link);
	else
		free(link);
	return evbpf__err(ret);
}
