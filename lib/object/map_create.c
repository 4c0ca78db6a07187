// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Creating an object's maps in the kernel: reuse of pinned maps
 * (LIBBPF_PIN_BY_NAME), map-in-map templates, global data maps filled from
 * their image, mmapped in place of it and frozen for .rodata, and static
 * initialisation of map-in-map slots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

#include "bpf/bpf.h"
#include "bpf/btf.h"
#include "base/sha256_internal.h"
#include "sys/features_internal.h"
#include "loader_internal.h"

static bool map_is_internal(const struct bpf_map *map)
{
	return map->kind != EVBPF_MAP_USER;
}

void evbpf__map_unload(struct bpf_map *map)
{
	if (map->mmaped && map->image) {
		/* Put an anonymous copy back so the pointer users hold stays
		 * valid (and keeps the last contents) until close. */
		void *copy = mmap(map->image, map->mmap_sz, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (copy == MAP_FAILED) {
			munmap(map->image, map->mmap_sz);
			map->image = NULL;
		}
	}
	map->mmaped = NULL;
	evbpf__close(map->fd);
	map->fd = -1;
}

static int check_pinned_compat(struct bpf_map *map, int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int err;

	memset(&info, 0, sizeof(info));
	err = bpf_map_get_info_by_fd(fd, &info, &len);
	if (err)
		return err;
	if (info.type != map->type || info.key_size != map->key_size ||
	    info.value_size != map->value_size || info.max_entries != map->max_entries ||
	    info.map_flags != map->map_flags || info.map_extra != map->map_extra) {
		pr_warn("%s: map '%s': pinned map at %s is incompatible: type %u/%u, key %u/%u, "
			"value %u/%u, max_entries %u/%u, flags %#x/%#x (pinned/ours)",
			map->obj->name, map->name, map->pin_path, info.type, map->type,
			info.key_size, map->key_size, info.value_size, map->value_size,
			info.max_entries, map->max_entries, info.map_flags, map->map_flags);
		return -EINVAL;
	}
	return 0;
}

/* Reuses the map pinned at the map's pin path: 1 when reused, 0 when
 * nothing is pinned there, -errno otherwise. */
static int reuse_pinned(struct bpf_map *map)
{
	int fd, err;

	fd = bpf_obj_get(map->pin_path);
	if (fd < 0) {
		if (fd == -ENOENT)
			return 0;
		pr_warn("%s: map '%s': cannot open pinned map %s: %d",
			map->obj->name, map->name, map->pin_path, fd);
		return fd;
	}
	err = check_pinned_compat(map, fd);
	if (err) {
		close(fd);
		return err;
	}
	map->fd = fd;
	map->pinned = true;
	map->reused = true;
	pr_debug("%s: map '%s': reusing pinned map %s", map->obj->name, map->name, map->pin_path);
	return 1;
}

/* Map types whose values are fds or that take no BTF key/value types. */
static bool btf_value_ok(enum bpf_map_type t)
{
	switch (t) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
	case BPF_MAP_TYPE_PROG_ARRAY:
		return false;
	default:
		return true;
	}
}

static bool is_map_in_map(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_ARRAY_OF_MAPS || t == BPF_MAP_TYPE_HASH_OF_MAPS;
}

int evbpf__map_create_defaults(struct bpf_map *map)
{
	if (map->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && !map->max_entries) {
		int cpus = libbpf_num_possible_cpus();

		if (cpus < 0)
			return cpus;
		map->max_entries = (__u32)cpus;
	}
	if (map->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		/* fds of perf events: the sizes are implied */
		if (!map->key_size)
			map->key_size = sizeof(int);
		if (!map->value_size)
			map->value_size = sizeof(int);
	}
	if (!btf_value_ok(map->type))
		map->btf_key_type_id = map->btf_value_type_id = 0;
	return 0;
}

static int create_one(struct bpf_object *obj, struct bpf_map *map, bool is_inner)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	__u32 max_entries = map->max_entries;
	int inner_fd = -1, fd, err;

	if (map->inner && map->inner_map_fd < 0) {
		err = create_one(obj, map->inner, true);
		if (err)
			return err;
		inner_fd = map->inner->fd;
	} else if (map->inner_map_fd >= 0) {
		inner_fd = map->inner_map_fd;
	}
	err = evbpf__map_create_defaults(map);
	if (err)
		return err;
	max_entries = map->max_entries;
	if ((map->map_flags & BPF_F_MMAPABLE) && map_is_internal(map) &&
	    !evbpf__feat_supported(EVBPF_FEAT_ARRAY_MMAP))
		map->map_flags &= ~BPF_F_MMAPABLE;

	opts.map_flags = map->map_flags;
	opts.numa_node = map->numa_node;
	opts.map_ifindex = map->ifindex;
	opts.map_extra = map->map_extra;
	if (inner_fd >= 0)
		opts.inner_map_fd = (__u32)inner_fd;
	if (obj->token_fd > 0) {
		opts.map_flags |= BPF_F_TOKEN_FD;
		opts.token_fd = (__u32)obj->token_fd;
	}
	if (map->excl_prog && !is_inner) {
		opts.excl_prog_hash = map->excl_hash;
		opts.excl_prog_hash_size = sizeof(map->excl_hash);
	}
	if (map->btf_vmlinux_value_type_id) {
		if (!obj->btf_loaded) {
			pr_warn("%s: struct_ops map '%s' needs the object's BTF in the kernel",
				obj->name, map->name);
			return -ENOTSUP;
		}
		opts.btf_fd = (__u32)btf__fd(obj->btf);
		opts.btf_vmlinux_value_type_id = map->btf_vmlinux_value_type_id;
	} else if (obj->btf_loaded && map->btf_value_type_id) {
		opts.btf_fd = (__u32)btf__fd(obj->btf);
		opts.btf_key_type_id = map->btf_key_type_id;
		opts.btf_value_type_id = map->btf_value_type_id;
	}
	fd = bpf_map_create(map->type, map->name, map->key_size, map->value_size,
			    max_entries, &opts);
	if (fd < 0 && opts.btf_fd && !opts.btf_vmlinux_value_type_id) {
		/* some map types take no BTF on some kernels: try without */
		pr_debug("%s: map '%s': creation with BTF failed (%d), retrying without",
			 obj->name, map->name, fd);
		opts.btf_fd = opts.btf_key_type_id = opts.btf_value_type_id = 0;
		fd = bpf_map_create(map->type, map->name, map->key_size, map->value_size,
				    max_entries, &opts);
	}
	if (map->inner && map->inner_map_fd < 0 && !is_inner) {
		/* the template is only needed to create the outer map */
		evbpf__close(map->inner->fd);
		map->inner->fd = -1;
	}
	if (fd < 0) {
		char buf[EVBPF_ERRSTR_MAX];

		pr_warn("%s: map '%s': failed to create (type %u, key %u, value %u, max_entries %u, "
			"flags %#x%s%s): %s", obj->name, map->name, map->type, map->key_size,
			map->value_size, max_entries, map->map_flags,
			opts.excl_prog_hash ? ", exclusive to prog " : "",
			opts.excl_prog_hash ? map->excl_prog->name : "",
			evbpf__errstr(fd, buf, sizeof(buf)));
		return fd;
	}
	map->fd = fd;
	return 0;
}

static int populate_internal(struct bpf_object *obj, struct bpf_map *map)
{
	bool rdonly = map->kind == EVBPF_MAP_RODATA || map->kind == EVBPF_MAP_KCONFIG;
	int zero = 0, err;
	void *m;

	err = bpf_map_update_elem(map->fd, &zero, map->image, 0);
	if (err) {
		pr_warn("%s: map '%s': failed to set initial contents: %d",
			obj->name, map->name, err);
		return err;
	}
	if (rdonly) {
		err = bpf_map_freeze(map->fd);
		if (err) {
			pr_warn("%s: map '%s': failed to freeze: %d", obj->name, map->name, err);
			return err;
		}
	}
	if (!(map->map_flags & BPF_F_MMAPABLE))
		return 0;
	m = mmap(map->image, map->mmap_sz, rdonly ? PROT_READ : PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, map->fd, 0);
	if (m == MAP_FAILED) {
		err = -errno;
		pr_warn("%s: map '%s': mmap failed: %d", obj->name, map->name, err);
		/* MAP_FIXED failure may have dropped the old mapping */
		m = mmap(map->image, map->mmap_sz, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (m == MAP_FAILED)
			map->image = NULL;
		return err;
	}
	map->mmaped = m;
	return 0;
}

static int pin_new(struct bpf_map *map)
{
	int err = bpf_obj_pin(map->fd, map->pin_path);

	if (err) {
		pr_warn("%s: map '%s': failed to pin at %s: %d",
			map->obj->name, map->name, map->pin_path, err);
		return err;
	}
	map->pinned = true;
	return 0;
}

/* Creates (or reuses the pin of) one map, fills global data, pins. */
static int create_map(struct bpf_object *obj, struct bpf_map *map)
{
	int err;

	if (is_map_in_map(map->type) && !map->inner && map->inner_map_fd < 0) {
		/* legacy definitions cannot describe the inner map */
		pr_warn("%s: map '%s': map-in-map without an inner map definition is not "
			"created; set one with bpf_map__set_inner_map_fd()",
			obj->name, map->name);
		map->autocreate = false;
		return 0;
	}
	if (map->pin_path && !map->reused) {
		err = reuse_pinned(map);
		if (err < 0)
			return err;
		if (err > 0)
			return 0;
	}
	err = create_one(obj, map, false);
	if (err)
		return err;
	if (map_is_internal(map)) {
		err = populate_internal(obj, map);
		if (err)
			return err;
	}
	if (map->pin_path && !map->pinned) {
		err = pin_new(map);
		if (err)
			return err;
	}
	return 0;
}

int evbpf__maps_create(struct bpf_object *obj)
{
	size_t i;
	int err;

	for (i = 0; i < obj->nr_maps; i++) {
		struct bpf_map *map = &obj->maps[i];

		if (!map->autocreate || map->fd >= 0 || map->excl_prog)
			continue;
		err = create_map(obj, map);
		if (err)
			return err;
	}
	return 0;
}

static bool is_map_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE);
}

int evbpf__prog_digest(const struct bpf_insn *insns, size_t cnt, __u8 out[32])
{
	struct bpf_insn *copy;
	size_t i;

	copy = malloc(cnt ? cnt * sizeof(*copy) : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, insns, cnt * sizeof(*copy));
	/* map fds differ from load to load: the kernel leaves them (and the
	 * value offset in the second half) out of the digest */
	for (i = 0; i + 1 < cnt; i++) {
		struct bpf_insn *next = &copy[i + 1];

		if (!is_map_ldimm64(&copy[i]))
			continue;
		copy[i].imm = 0;
		if (!next->code && !next->dst_reg && !next->src_reg && !next->off)
			next->imm = 0;
		i++;
	}
	evbpf__sha256(copy, cnt * sizeof(*copy), out);
	free(copy);
	return 0;
}

int evbpf__maps_create_exclusive(struct bpf_object *obj)
{
	size_t i, p, r;
	int err;

	for (i = 0; i < obj->nr_maps; i++) {
		struct bpf_map *map = &obj->maps[i];
		struct bpf_program *prog = map->excl_prog;

		if (!prog || !map->autocreate || map->fd >= 0)
			continue;
		if (!prog->autoload || prog->user_insns || !prog->nr_pieces) {
			pr_warn("%s: map '%s': exclusive to prog '%s', which is not loaded with "
				"the object (autoload off or instructions set by hand): no digest "
				"to create the map with", obj->name, map->name, prog->name);
			return -EINVAL;
		}
		err = evbpf__prog_digest(prog->insns, prog->insn_cnt, map->excl_hash);
		if (!err)
			err = create_map(obj, map);
		if (err)
			return err;
		for (p = 0; p < obj->nr_progs; p++) {
			struct bpf_program *user = &obj->progs[p];

			for (r = 0; r < user->nr_late_refs; r++)
				if (user->late_refs[r].map == i)
					user->insns[user->late_refs[r].insn].imm = map->fd;
		}
	}
	return 0;
}

/* Fills statically initialised map-in-map slots (after maps exist) or
 * prog array slots (after programs are loaded). */
int evbpf__maps_init_slots(struct bpf_object *obj, bool progs)
{
	size_t i, s;

	for (i = 0; i < obj->nr_maps; i++) {
		struct bpf_map *map = &obj->maps[i];

		if (map->fd < 0 || map->init_slots_progs != progs || map->reused)
			continue;
		for (s = 0; s < map->nr_init_slots; s++) {
			int target = map->init_slots[s], fd, err;
			__u32 key = (__u32)s;

			if (target < 0)
				continue;
			fd = progs ? obj->progs[target].fd : obj->maps[target].fd;
			if (fd < 0)
				continue; /* not loaded / not created by choice */
			err = bpf_map_update_elem(map->fd, &key, &fd, 0);
			if (err) {
				pr_warn("%s: map '%s': failed to set slot %zu to '%s': %d",
					obj->name, map->name, s,
					progs ? obj->progs[target].name : obj->maps[target].name,
					err);
				return err;
			}
		}
	}
	return 0;
}
