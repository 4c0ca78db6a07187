// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops registration: the loader prepares the kernel-layout value of a
 * struct_ops map (programs as fds); attaching stores it at key 0, which
 * registers the ops, and for maps made with BPF_F_LINK wraps the map in a
 * BPF link whose lifetime is the registration's.
 */
#include <errno.h>
#include <unistd.h>

#include "attach_internal.h"
#include "object/object_internal.h"

/* The link of a struct_ops map: a kernel link (fd owned), or for maps
 * without BPF_F_LINK the map fd itself (borrowed: the map owns it). */
struct struct_ops_link {
	struct bpf_link link;
	bool real_link;
};

static int struct_ops_detach(struct bpf_link *link)
{
	struct struct_ops_link *sl = (struct struct_ops_link *)link;
	int zero = 0;

	if (sl->real_link)
		return close(link->fd) < 0 ? -errno : 0;
	/* deleting the value unregisters the ops */
	return bpf_map_delete_elem(link->fd, &zero) < 0 ? -errno : 0;
}

/* Stores the prepared value of @map; -EBUSY (already registered) is fine
 * for link maps, whose value may only be set once. */
static int store_value(const struct bpf_map *map, bool link_map)
{
	char err[EVBPF_ERRSTR_MAX];
	const void *value;
	size_t size;
	int zero = 0, ret;

	ret = evbpf__struct_ops_kern_value(map, &value, &size);
	if (ret < 0) {
		pr_warn("map '%s': not a loaded struct_ops map",
			bpf_map__name(map));
		return ret;
	}
	if (bpf_map_update_elem(bpf_map__fd(map), &zero, value, 0) < 0) {
		ret = -errno;
		if (link_map && ret == -EBUSY)
			return 0;
		pr_warn("map '%s': failed to register struct_ops: %s",
			bpf_map__name(map), evbpf__errstr(ret, err, sizeof(err)));
		return ret;
	}
	return 0;
}

struct bpf_link *bpf_map__attach_struct_ops(const struct bpf_map *map)
{
	char err[EVBPF_ERRSTR_MAX];
	struct struct_ops_link *sl;
	bool link_map;
	int ret, fd;

	if (!map)
		return evbpf__err_ptr(-EINVAL);
	link_map = bpf_map__map_flags(map) & BPF_F_LINK;
	ret = store_value(map, link_map);
	if (ret < 0)
		return evbpf__err_ptr(ret);
	if (!link_map) {
		sl = (struct struct_ops_link *)evbpf__link_alloc(sizeof(*sl),
								 bpf_map__fd(map));
		if (!sl)
			return NULL;
		sl->link.detach = struct_ops_detach;
		return &sl->link;
	}
	fd = bpf_link_create(bpf_map__fd(map), 0, BPF_STRUCT_OPS, NULL);
	if (fd < 0) {
		ret = -errno;
		pr_warn("map '%s': failed to create struct_ops link: %s",
			bpf_map__name(map), evbpf__errstr(ret, err, sizeof(err)));
		return evbpf__err_ptr(ret);
	}
	sl = (struct struct_ops_link *)evbpf__link_alloc(sizeof(*sl), fd);
	if (!sl) {
		close(fd);
		return evbpf__err_ptr(-ENOMEM);
	}
	sl->real_link = true;
	sl->link.detach = struct_ops_detach;
	return &sl->link;
}

int bpf_link__update_map(struct bpf_link *link, const struct bpf_map *map)
{
	char err[EVBPF_ERRSTR_MAX];
	int ret;

	if (!link || link->fd < 0 || !map)
		return evbpf__err(-EINVAL);
	if (link->detach != struct_ops_detach ||
	    !((struct struct_ops_link *)link)->real_link) {
		pr_warn("map '%s': only struct_ops BPF links switch maps",
			bpf_map__name(map));
		return evbpf__err(-EINVAL);
	}
	ret = store_value(map, true);
	if (ret < 0)
		return evbpf__err(ret);
	if (bpf_link_update(link->fd, bpf_map__fd(map), NULL) < 0) {
		ret = -errno;
		pr_warn("map '%s': failed to switch the struct_ops link: %s",
			bpf_map__name(map), evbpf__errstr(ret, err, sizeof(err)));
		return evbpf__err(ret);
	}
	return 0;
}
