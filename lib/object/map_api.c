// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The public bpf_map__* API: getters, setters before load, pinning and the
 * size-checked element operations. */
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "bpf/bpf.h"
#include "loader_internal.h"

static bool map_busy(const struct bpf_map *map)
{
	return map->obj->prepared || map->obj->loaded || map->fd >= 0;
}

#define MAP_GETTER(ret, field)						\
	LIBBPF_API ret bpf_map__##field(const struct bpf_map *map)	\
	{								\
		return map ? map->field : 0;				\
	}
#define MAP_SETTER(arg, field)						\
	LIBBPF_API int bpf_map__set_##field(struct bpf_map *map, arg v)	\
	{								\
		if (!map)						\
			return evbpf__err(-EINVAL);			\
		if (map_busy(map))					\
			return evbpf__err(-EBUSY);			\
		map->field = v;						\
		return 0;						\
	}

MAP_GETTER(enum bpf_map_type, type)
MAP_GETTER(__u32, max_entries)
MAP_GETTER(__u32, map_flags)
MAP_GETTER(__u32, numa_node)
MAP_GETTER(__u32, key_size)
MAP_GETTER(__u32, value_size)
MAP_GETTER(__u32, btf_key_type_id)
MAP_GETTER(__u32, btf_value_type_id)
MAP_GETTER(__u32, ifindex)
MAP_GETTER(__u64, map_extra)
MAP_SETTER(enum bpf_map_type, type)
MAP_SETTER(__u32, map_flags)
MAP_SETTER(__u32, numa_node)
MAP_SETTER(__u32, ifindex)
MAP_SETTER(__u64, map_extra)

LIBBPF_API int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries)
{
	if (!map)
		return evbpf__err(-EINVAL);
	if (map_busy(map))
		return evbpf__err(-EBUSY);
	if (map->type == BPF_MAP_TYPE_RINGBUF || map->type == BPF_MAP_TYPE_USER_RINGBUF)
		max_entries = evbpf__ringbuf_size(max_entries);
	map->max_entries = max_entries;
	return 0;
}

LIBBPF_API int bpf_map__set_key_size(struct bpf_map *map, __u32 size)
{
	if (!map)
		return evbpf__err(-EINVAL);
	if (map_busy(map))
		return evbpf__err(-EBUSY);
	if (map->key_size != size)
		map->btf_key_type_id = map->btf_value_type_id = 0;
	map->key_size = size;
	return 0;
}

LIBBPF_API int bpf_map__set_value_size(struct bpf_map *map, __u32 size)
{
	if (!map)
		return evbpf__err(-EINVAL);
	if (map_busy(map))
		return evbpf__err(-EBUSY);
	if (map->kind != EVBPF_MAP_USER && map->image) {
		size_t old = map->mmap_sz, new_sz;
		__u32 old_size = map->value_size;
		void *img;

		map->value_size = size;
		new_sz = evbpf__map_mmap_size(map);
		img = mmap(NULL, new_sz, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (img == MAP_FAILED) {
			map->value_size = old_size;
			return evbpf__err(-ENOMEM);
		}
		memcpy(img, map->image, evbpf__min(old_size, size));
		munmap(map->image, old);
		map->image = img;
		map->mmap_sz = new_sz;
		/* the DATASEC no longer describes the value */
		map->btf_key_type_id = map->btf_value_type_id = 0;
		return 0;
	}
	if (map->value_size != size)
		map->btf_key_type_id = map->btf_value_type_id = 0;
	map->value_size = size;
	return 0;
}

LIBBPF_API const char *bpf_map__name(const struct bpf_map *map)
{
	return map ? map->name : NULL;
}

LIBBPF_API int bpf_map__fd(const struct bpf_map *map)
{
	if (!map || map->fd < 0)
		return evbpf__err(-EINVAL);
	return map->fd;
}

LIBBPF_API bool bpf_map__autocreate(const struct bpf_map *map)
{
	return map && map->autocreate;
}

LIBBPF_API int bpf_map__set_autocreate(struct bpf_map *map, bool autocreate)
{
	if (!map)
		return evbpf__err(-EINVAL);
	if (map_busy(map))
		return evbpf__err(-EBUSY);
	map->autocreate = autocreate;
	return 0;
}

LIBBPF_API int bpf_map__set_exclusive_program(struct bpf_map *map, struct bpf_program *prog)
{
	if (!map || !prog)
		return evbpf__err(-EINVAL);
	if (map_busy(map)) {
		pr_warn("%s: map '%s': an exclusive program is set before the map is created",
			map->obj->name, map->name);
		return evbpf__err(-EINVAL);
	}
	if (prog->obj != map->obj) {
		pr_warn("%s: map '%s': exclusive program '%s' belongs to another object",
			map->obj->name, map->name, prog->name);
		return evbpf__err(-EINVAL);
	}
	map->excl_prog = prog;
	return 0;
}

LIBBPF_API struct bpf_program *bpf_map__exclusive_program(struct bpf_map *map)
{
	return map ? map->excl_prog : NULL;
}

LIBBPF_API int bpf_map__set_autoattach(struct bpf_map *map, bool autoattach)
{
	if (!map)
		return evbpf__err(-EINVAL);
	if (map->type != BPF_MAP_TYPE_STRUCT_OPS) {
		pr_warn("map '%s': only struct_ops maps are attached by a skeleton",
			map->name);
		return evbpf__err(-EINVAL);
	}
	map->autoattach = autoattach;
	return 0;
}

LIBBPF_API bool bpf_map__autoattach(const struct bpf_map *map)
{
	return map && map->autoattach;
}

LIBBPF_API bool bpf_map__is_internal(const struct bpf_map *map)
{
	return map && map->kind != EVBPF_MAP_USER;
}

LIBBPF_API int bpf_map__set_initial_value(struct bpf_map *map, const void *data, size_t size)
{
	if (!map || !data)
		return evbpf__err(-EINVAL);
	if (map_busy(map))
		return evbpf__err(-EBUSY);
	if (map->kind == EVBPF_MAP_USER || map->kind == EVBPF_MAP_KCONFIG || !map->image ||
	    size != map->value_size)
		return evbpf__err(-EINVAL);
	memcpy(map->image, data, size);
	return 0;
}

LIBBPF_API void *bpf_map__initial_value(const struct bpf_map *map, size_t *psize)
{
	if (map && map->type == BPF_MAP_TYPE_STRUCT_OPS && map->st_data) {
		/* the struct as compiled; what the kernel gets is built at load */
		if (psize)
			*psize = map->st_size;
		return map->st_data;
	}
	if (!map || map->kind == EVBPF_MAP_USER || !map->image) {
		errno = EINVAL;
		return NULL;
	}
	if (psize)
		*psize = map->value_size;
	/* Before load: the initial image. After load of an mmapable map the
	 * map's memory is mapped at this same address. */
	return map->image;
}

void *evbpf__map_mmaped(const struct bpf_map *map, size_t *size)
{
	if (!map || !map->mmaped)
		return NULL;
	if (size)
		*size = map->mmap_sz;
	return map->mmaped;
}

LIBBPF_API int bpf_map__reuse_fd(struct bpf_map *map, int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int nfd, err;

	if (!map || fd < 0)
		return evbpf__err(-EINVAL);
	if (map_busy(map))
		return evbpf__err(-EBUSY);
	memset(&info, 0, sizeof(info));
	err = bpf_map_get_info_by_fd(fd, &info, &len);
	if (err)
		return evbpf__err(err);
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (nfd < 0)
		return evbpf__err(-errno);
	map->fd = nfd;
	map->reused = true;
	map->type = info.type;
	map->key_size = info.key_size;
	map->value_size = info.value_size;
	map->max_entries = info.max_entries;
	map->map_flags = info.map_flags;
	map->map_extra = info.map_extra;
	map->btf_key_type_id = info.btf_key_type_id;
	map->btf_value_type_id = info.btf_value_type_id;
	return 0;
}

LIBBPF_API int bpf_map__set_inner_map_fd(struct bpf_map *map, int fd)
{
	int nfd;

	if (!map || fd < 0)
		return evbpf__err(-EINVAL);
	if (map_busy(map))
		return evbpf__err(-EBUSY);
	if (map->type != BPF_MAP_TYPE_ARRAY_OF_MAPS && map->type != BPF_MAP_TYPE_HASH_OF_MAPS) {
		pr_warn("%s: map '%s': not a map-in-map", map->obj->name, map->name);
		return evbpf__err(-EINVAL);
	}
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (nfd < 0)
		return evbpf__err(-errno);
	evbpf__close(map->inner_map_fd);
	map->inner_map_fd = nfd;
	return 0;
}

LIBBPF_API struct bpf_map *bpf_map__inner_map(struct bpf_map *map)
{
	if (!map || !map->inner) {
		errno = ENOENT;
		return NULL;
	}
	return map->inner;
}

/* ---- pinning ---- */

LIBBPF_API int bpf_map__set_pin_path(struct bpf_map *map, const char *path)
{
	char *copy = NULL;

	if (!map)
		return evbpf__err(-EINVAL);
	if (path) {
		copy = strdup(path);
		if (!copy)
			return evbpf__err(-ENOMEM);
	}
	free(map->pin_path);
	map->pin_path = copy;
	return 0;
}

LIBBPF_API const char *bpf_map__pin_path(const struct bpf_map *map)
{
	return map ? map->pin_path : NULL;
}

LIBBPF_API bool bpf_map__is_pinned(const struct bpf_map *map)
{
	return map && map->pinned;
}

LIBBPF_API int bpf_map__pin(struct bpf_map *map, const char *path)
{
	int err;

	if (!map)
		return evbpf__err(-EINVAL);
	if (!path)
		path = map->pin_path;
	if (!path) {
		pr_warn("%s: map '%s': no pin path", map->obj->name, map->name);
		return evbpf__err(-EINVAL);
	}
	if (map->pinned && map->pin_path && !strcmp(path, map->pin_path))
		return 0;
	if (map->pinned && map->pin_path) {
		pr_warn("%s: map '%s': already pinned at %s", map->obj->name, map->name,
			map->pin_path);
		return evbpf__err(-EEXIST);
	}
	if (map->fd < 0) {
		pr_warn("%s: map '%s': cannot pin a map that is not created", map->obj->name,
			map->name);
		return evbpf__err(-EINVAL);
	}
	err = bpf_obj_pin(map->fd, path);
	if (err) {
		pr_warn("%s: map '%s': failed to pin at %s: %d", map->obj->name, map->name,
			path, err);
		return evbpf__err(err);
	}
	if (path != map->pin_path) {
		err = bpf_map__set_pin_path(map, path);
		if (err)
			return err;
	}
	map->pinned = true;
	return 0;
}

LIBBPF_API int bpf_map__unpin(struct bpf_map *map, const char *path)
{
	if (!map)
		return evbpf__err(-EINVAL);
	if (map->pin_path && path && strcmp(path, map->pin_path)) {
		pr_warn("%s: map '%s': pinned at %s, not %s", map->obj->name, map->name,
			map->pin_path, path);
		return evbpf__err(-EINVAL);
	}
	if (!path)
		path = map->pin_path;
	if (!path)
		return evbpf__err(-EINVAL);
	if (unlink(path))
		return evbpf__err(-errno);
	map->pinned = false;
	return 0;
}

/* ---- element operations ---- */

static bool is_percpu(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static int check_sizes(const struct bpf_map *map, size_t key_sz, size_t value_sz,
		       bool check_value)
{
	if (!map)
		return -EINVAL;
	if (map->fd < 0) {
		pr_warn("map '%s': not created", map->name);
		return -EINVAL;
	}
	if (key_sz != map->key_size) {
		pr_warn("map '%s': key size %zu, map has %u", map->name, key_sz, map->key_size);
		return -EINVAL;
	}
	if (!check_value)
		return 0;
	if (is_percpu(map->type)) {
		int cpus = libbpf_num_possible_cpus();
		size_t want;

		if (cpus < 0)
			return cpus;
		want = ((size_t)map->value_size + 7) / 8 * 8 * (size_t)cpus;
		if (value_sz != want) {
			pr_warn("map '%s': value size %zu, per-CPU map needs %zu",
				map->name, value_sz, want);
			return -EINVAL;
		}
		return 0;
	}
	if (value_sz != map->value_size) {
		pr_warn("map '%s': value size %zu, map has %u", map->name, value_sz,
			map->value_size);
		return -EINVAL;
	}
	return 0;
}

LIBBPF_API int bpf_map__lookup_elem(const struct bpf_map *map, const void *key,
				    size_t key_sz, void *value, size_t value_sz, __u64 flags)
{
	int err = check_sizes(map, key_sz, value_sz, true);

	if (err)
		return evbpf__err(err);
	return bpf_map_lookup_elem_flags(map->fd, key, value, flags);
}

LIBBPF_API int bpf_map__update_elem(const struct bpf_map *map, const void *key,
				    size_t key_sz, const void *value, size_t value_sz,
				    __u64 flags)
{
	int err = check_sizes(map, key_sz, value_sz, true);

	if (err)
		return evbpf__err(err);
	return bpf_map_update_elem(map->fd, key, value, flags);
}

LIBBPF_API int bpf_map__delete_elem(const struct bpf_map *map, const void *key,
				    size_t key_sz, __u64 flags)
{
	int err = check_sizes(map, key_sz, 0, false);

	if (err)
		return evbpf__err(err);
	return bpf_map_delete_elem_flags(map->fd, key, flags);
}

LIBBPF_API int bpf_map__lookup_and_delete_elem(const struct bpf_map *map, const void *key,
					       size_t key_sz, void *value, size_t value_sz,
					       __u64 flags)
{
	int err = check_sizes(map, key_sz, value_sz, true);

	if (err)
		return evbpf__err(err);
	return bpf_map_lookup_and_delete_elem_flags(map->fd, key, value, flags);
}

LIBBPF_API int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key,
				     void *next_key, size_t key_sz)
{
	int err = check_sizes(map, key_sz, 0, false);

	if (err)
		return evbpf__err(err);
	return bpf_map_get_next_key(map->fd, cur_key, next_key);
}
