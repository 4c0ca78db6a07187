// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Map definitions found at open: BTF-defined maps in .maps (including
 * map-in-map and prog array templates with static initialisation), the
 * legacy `maps` section of struct bpf_map_def, and one internal array map
 * per global data section. Pure parsing; maps are created in map_create.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <gelf.h>

#include "bpf/bpf.h"
#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "object_internal.h"

#ifndef BPF_OBJ_NAME_LEN
#define BPF_OBJ_NAME_LEN 16U
#endif

/* Legacy definition: the first five fields of struct bpf_map_def. */
struct legacy_map_def {
	__u32 type, key_size, value_size, max_entries, map_flags;
};

static int map_err(const struct bpf_object *obj, const char *sec, size_t off,
		   int err, const char *fmt, const char *arg)
{
	char what[192];

	snprintf(what, sizeof(what), fmt, arg);
	pr_warn("%s: section '%s' offset %#zx: %s", obj->name, sec, off, what);
	return err;
}

void evbpf__internal_map_name(const char *obj_name, const char *sec_name,
			      char *buf, size_t size)
{
	size_t sfx = evbpf__max((size_t)7, strlen(sec_name)), pfx;
	char tmp[BPF_OBJ_NAME_LEN];
	char *p;

	/* Custom ".data.foo" sections keep their own name; the standard ones
	 * get as much of the object's name as leaves room for the suffix. */
	if (sfx >= BPF_OBJ_NAME_LEN || strchr(sec_name + 1, '.'))
		pfx = 0;
	else
		pfx = evbpf__min(BPF_OBJ_NAME_LEN - sfx - 1, strlen(obj_name));
	snprintf(tmp, sizeof(tmp), "%.*s%.*s", (int)pfx, obj_name, (int)sfx, sec_name);
	for (p = tmp; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			*p = '_';
	evbpf__strlcpy(buf, tmp, size);
}

static struct bpf_map *add_map(struct bpf_object *obj)
{
	struct bpf_map *grown, *m;
	size_t i;

	grown = realloc(obj->maps, (obj->nr_maps + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	/* maps point back at nothing but obj: a move is safe during open,
	 * but fix the inner templates' owner pointers */
	obj->maps = grown;
	for (i = 0; i < obj->nr_maps; i++)
		if (obj->maps[i].inner)
			obj->maps[i].inner->obj = obj;
	m = &obj->maps[obj->nr_maps++];
	memset(m, 0, sizeof(*m));
	m->obj = obj;
	m->fd = -1;
	m->inner_map_fd = -1;
	m->sec = -1;
	m->sym = -1;
	m->values_off = -1;
	m->autocreate = true;
	return m;
}

/* ---- BTF-defined maps ---- */

/* __uint(name, val): a pointer to an array of val elements. */
static bool get_uint(const struct btf *btf, const struct btf_member *m, __u32 *val)
{
	const struct btf_type *t = evbpf__btf_skip_mods(btf, m->type, NULL);

	if (!t || !btf_is_ptr(t))
		return false;
	t = evbpf__btf_skip_mods(btf, t->type, NULL);
	if (!t || !btf_is_array(t))
		return false;
	*val = btf_array(t)->nelems;
	return true;
}

/* __ulong(name, val): an anonymous enum with the one value val (64-bit
 * attributes like map_extra, libbpf >= 1.3). __uint() is accepted too. */
static bool get_ulong(const struct btf *btf, const struct btf_member *m, __u64 *val)
{
	const struct btf_type *t = evbpf__btf_skip_mods(btf, m->type, NULL);
	__u32 v32;

	if (get_uint(btf, m, &v32)) {
		*val = v32;
		return true;
	}
	if (!t || btf_vlen(t) != 1)
		return false;
	if (btf_is_enum(t)) {
		*val = (__u32)btf_enum(t)->val;
		return true;
	}
	if (btf_is_enum64(t)) {
		*val = btf_enum64_value(btf_enum64(t));
		return true;
	}
	return false;
}

struct map_def_ctx {
	struct bpf_object *obj;
	const char *sec;
	size_t off;
	const char *name;
};

static int parse_btf_map_def(struct map_def_ctx *c, struct bpf_map *map,
			     const struct btf_type *def, bool is_inner,
			     const struct btf_type **values_elem, __u32 *values_off)
{
	const struct btf *btf = c->obj->btf;
	const struct btf_member *m = btf_members(def);
	__u16 i, vlen = btf_vlen(def);
	__u32 key_size = 0, value_size = 0, val;

	for (i = 0; i < vlen; i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);

		if (!name || !*name)
			return map_err(c->obj, c->sec, c->off, -EINVAL,
				       "map '%s': unnamed attribute", c->name);
		if (!strcmp(name, "type") || !strcmp(name, "max_entries") ||
		    !strcmp(name, "map_flags") || !strcmp(name, "numa_node") ||
		    !strcmp(name, "key_size") || !strcmp(name, "value_size") ||
		    !strcmp(name, "pinning")) {
			if (!get_uint(btf, m, &val))
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "map attribute '%s' is not __uint()", name);
			if (!strcmp(name, "type"))
				map->type = val;
			else if (!strcmp(name, "max_entries"))
				map->max_entries = val;
			else if (!strcmp(name, "map_flags"))
				map->map_flags = val;
			else if (!strcmp(name, "numa_node"))
				map->numa_node = val;
			else if (!strcmp(name, "key_size"))
				key_size = val;
			else if (!strcmp(name, "value_size"))
				value_size = val;
			else if (is_inner)
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "inner map of '%s' cannot be pinned", c->name);
			else if (val != LIBBPF_PIN_NONE && val != LIBBPF_PIN_BY_NAME)
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "map '%s': unknown pinning value", c->name);
			else
				map->pinning = val;
		} else if (!strcmp(name, "map_extra")) {
			if (!get_ulong(btf, m, &map->map_extra))
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "map attribute '%s' is neither __uint() nor __ulong()",
					       name);
		} else if (!strcmp(name, "key") || !strcmp(name, "value")) {
			const struct btf_type *t = evbpf__btf_skip_mods(btf, m->type, NULL);
			__u32 id;
			__s64 sz;

			if (!t || !btf_is_ptr(t))
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "map attribute '%s' is not __type()", name);
			id = t->type;
			sz = btf__resolve_size(btf, id);
			if (sz < 0)
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "map attribute '%s' has a type of unknown size", name);
			if (name[0] == 'k') {
				if (key_size && key_size != sz)
					return map_err(c->obj, c->sec, c->off, -EINVAL,
						       "map '%s': key_size and key type disagree",
						       c->name);
				key_size = (__u32)sz;
				map->btf_key_type_id = id;
			} else {
				if (value_size && value_size != sz)
					return map_err(c->obj, c->sec, c->off, -EINVAL,
						       "map '%s': value_size and value type disagree",
						       c->name);
				value_size = (__u32)sz;
				map->btf_value_type_id = id;
			}
		} else if (!strcmp(name, "values")) {
			const struct btf_type *t = evbpf__btf_skip_mods(btf, m->type, NULL);

			if (is_inner)
				return map_err(c->obj, c->sec, c->off, -EOPNOTSUPP,
					       "map '%s': nested map-in-map is not supported", c->name);
			if (!t || !btf_is_array(t) || btf_array(t)->nelems)
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "map '%s': 'values' is not __array()", c->name);
			t = evbpf__btf_skip_mods(btf, btf_array(t)->type, NULL);
			if (!t || !btf_is_ptr(t))
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "map '%s': 'values' elements are not pointers", c->name);
			*values_elem = evbpf__btf_skip_mods(btf, t->type, NULL);
			*values_off = btf_member_bit_offset(def, i) / 8;
			if (!*values_elem || (!btf_is_struct(*values_elem) &&
					      !btf_is_func_proto(*values_elem)))
				return map_err(c->obj, c->sec, c->off, -EINVAL,
					       "map '%s': 'values' must point to a map or function",
					       c->name);
		} else if (c->obj->relaxed_maps) {
			pr_debug("%s: map '%s': ignoring unknown attribute '%s'",
				 c->obj->name, c->name, name);
		} else {
			return map_err(c->obj, c->sec, c->off, -EOPNOTSUPP,
				       "unknown map attribute '%s'", name);
		}
	}
	if (map->btf_key_type_id && !map->btf_value_type_id)
		map->btf_key_type_id = 0;
	map->key_size = key_size;
	map->value_size = value_size;
	if (!map->type)
		return map_err(c->obj, c->sec, c->off, -EINVAL,
			       "map '%s' has no type", c->name);
	return 0;
}

static int set_pin_by_name(struct bpf_object *obj, struct bpf_map *map)
{
	char path[4096];
	int n;

	n = snprintf(path, sizeof(path), "%s/%s",
		     obj->pin_root_path ? obj->pin_root_path : "/sys/fs/bpf", map->name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	free(map->pin_path);
	map->pin_path = strdup(path);
	return map->pin_path ? 0 : -ENOMEM;
}

static int collect_btf_maps(struct bpf_object *obj)
{
	const struct evbpf__sec *sec = &obj->secs[obj->maps_sec];
	const struct btf_type *ds;
	const struct btf_var_secinfo *vsi;
	__s32 ds_id;
	__u16 i;
	int err;

	ds_id = btf__find_by_name_kind(obj->btf, ".maps", BTF_KIND_DATASEC);
	if (ds_id < 0)
		return map_err(obj, ".maps", 0, -ENOENT, "no DATASEC '%s' in BTF", ".maps");
	ds = btf__type_by_id(obj->btf, ds_id);
	vsi = btf_var_secinfos(ds);
	for (i = 0; i < btf_vlen(ds); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(obj->btf, vsi->type), *def;
		const struct btf_type *values_elem = NULL;
		__u32 values_off = 0;
		struct map_def_ctx c = { obj, ".maps", vsi->offset, NULL };
		struct bpf_map *map;
		size_t k;

		if (!var || !btf_is_var(var))
			return map_err(obj, ".maps", vsi->offset, -EINVAL,
				       "DATASEC entry is not a %s", "variable");
		c.name = btf__name_by_offset(obj->btf, var->name_off);
		if (!c.name || !*c.name)
			return map_err(obj, ".maps", vsi->offset, -EINVAL, "map %s without a name", "");
		if ((__u64)vsi->offset + vsi->size > sec->size)
			return map_err(obj, ".maps", vsi->offset, -EINVAL,
				       "map '%s' lies outside the section", c.name);
		def = evbpf__btf_skip_mods(obj->btf, var->type, NULL);
		if (!def || !btf_is_struct(def))
			return map_err(obj, ".maps", vsi->offset, -EINVAL,
				       "map '%s' is not a struct", c.name);
		for (k = 0; k < obj->nr_maps; k++)
			if (!strcmp(obj->maps[k].name, c.name))
				return map_err(obj, ".maps", vsi->offset, -EEXIST,
					       "duplicate map name '%s'", c.name);
		map = add_map(obj);
		if (!map)
			return -ENOMEM;
		map->sec = obj->maps_sec;
		map->sec_off = vsi->offset;
		map->name = strdup(c.name);
		if (!map->name)
			return -ENOMEM;
		err = parse_btf_map_def(&c, map, def, false, &values_elem, &values_off);
		if (err)
			return err;
		if (map->pinning == LIBBPF_PIN_BY_NAME) {
			err = set_pin_by_name(obj, map);
			if (err)
				return err;
		}
		if (values_elem && btf_is_struct(values_elem)) {
			struct bpf_map *inner = calloc(1, sizeof(*inner));
			char iname[256];

			if (!inner)
				return -ENOMEM;
			map->inner = inner;
			inner->obj = obj;
			inner->fd = -1;
			inner->inner_map_fd = -1;
			inner->sec = -1;
			inner->sym = -1;
			inner->values_off = -1;
			snprintf(iname, sizeof(iname), "%s.inner", c.name);
			inner->name = strdup(iname);
			if (!inner->name)
				return -ENOMEM;
			err = parse_btf_map_def(&c, inner, values_elem, true, NULL, NULL);
			if (err)
				return err;
		} else if (values_elem) {
			map->init_slots_progs = true;
		}
		if (values_elem) {
			/* slots hold fds: 4-byte values, no value type */
			map->values_off = (int)values_off;
			if (!map->value_size)
				map->value_size = sizeof(int);
			map->btf_value_type_id = map->btf_key_type_id = 0;
		}
	}
	return 0;
}

/* Static initialisation of `values` slots: relocations in .maps. */
static int collect_init_slots(struct bpf_object *obj)
{
	const struct evbpf__sec *sec;
	size_t r;

	if (obj->maps_sec < 0)
		return 0;
	sec = &obj->secs[obj->maps_sec];
	for (r = 0; r < sec->nr_rels; r++) {
		const struct evbpf__rel *rel = &sec->rels[r];
		const struct evbpf__sym *sym = &obj->syms[rel->sym];
		struct bpf_map *map = NULL;
		size_t k, slot;
		int target = -1;

		for (k = 0; k < obj->nr_maps; k++) {
			struct bpf_map *m = &obj->maps[k];

			if (m->kind == EVBPF_MAP_USER && m->sec == obj->maps_sec &&
			    m->values_off >= 0 && rel->off >= m->sec_off + (__u32)m->values_off)
				if (!map || m->sec_off > map->sec_off)
					map = m;
		}
		if (!map)
			return map_err(obj, ".maps", rel->off, -EINVAL,
				       "relocation against '%s' outside any 'values' array", sym->name);
		if ((rel->off - map->sec_off - (__u32)map->values_off) % 8)
			return map_err(obj, ".maps", rel->off, -EINVAL,
				       "misaligned 'values' slot for '%s'", sym->name);
		slot = (rel->off - map->sec_off - (__u32)map->values_off) / 8;
		if (map->init_slots_progs) {
			for (k = 0; k < obj->nr_progs; k++)
				if (!strcmp(obj->progs[k].name, sym->name))
					target = (int)k;
		} else {
			for (k = 0; k < obj->nr_maps; k++)
				if (obj->maps[k].sec == obj->maps_sec &&
				    !strcmp(obj->maps[k].name, sym->name))
					target = (int)k;
		}
		if (target < 0)
			return map_err(obj, ".maps", rel->off, -ENOENT,
				       "'values' refers to unknown '%s'", sym->name);
		if (slot >= map->max_entries)
			return map_err(obj, ".maps", rel->off, -E2BIG,
				       "'values' slot beyond max_entries for '%s'", sym->name);
		if (slot >= map->nr_init_slots) {
			int *grown = realloc(map->init_slots, (slot + 1) * sizeof(int));

			if (!grown)
				return -ENOMEM;
			for (k = map->nr_init_slots; k <= slot; k++)
				grown[k] = -1;
			map->init_slots = grown;
			map->nr_init_slots = slot + 1;
		}
		map->init_slots[slot] = target;
	}
	return 0;
}

/* ---- legacy maps section ---- */

/* Every named data symbol of the section is a definition, static ones too
 * (cilium accepts those); compiler-local labels are not. */
static bool is_legacy_map_sym(const struct evbpf__sym *sym, const struct evbpf__sec *sec)
{
	return sym->shndx == sec->idx && sym->name[0] && sym->name[0] != '.' &&
	       (sym->type == STT_OBJECT || sym->type == STT_NOTYPE);
}

static int collect_legacy_maps(struct bpf_object *obj)
{
	const struct evbpf__sec *sec = &obj->secs[obj->legacy_maps_sec];
	size_t i, nr = 0, def_sz;
	bool extra = false;

	for (i = 0; i < obj->nr_syms; i++)
		if (is_legacy_map_sym(&obj->syms[i], sec))
			nr++;
	if (!nr)
		return 0;
	def_sz = sec->size / nr;
	if (def_sz < sizeof(struct legacy_map_def) || sec->size % nr || !sec->data)
		return map_err(obj, "maps", 0, -EINVAL,
			       "legacy map definitions of unexpected size (%s)", "need 20+ bytes each");
	for (i = 0; i < obj->nr_syms; i++) {
		const struct evbpf__sym *sym = &obj->syms[i];
		struct legacy_map_def d;
		struct bpf_map *map;
		const unsigned char *raw;
		size_t k;

		if (!is_legacy_map_sym(sym, sec))
			continue;
		if (sym->value > sec->size || def_sz > sec->size - sym->value)
			return map_err(obj, "maps", sym->value, -EINVAL,
				       "map '%s' lies outside the section", sym->name);
		raw = (const unsigned char *)sec->data + sym->value;
		memcpy(&d, raw, sizeof(d));
		for (k = sizeof(d); k < def_sz; k++)
			if (raw[k])
				extra = true;
		for (k = 0; k < obj->nr_maps; k++)
			if (!strcmp(obj->maps[k].name, sym->name))
				return map_err(obj, "maps", sym->value, -EEXIST,
					       "duplicate map name '%s'", sym->name);
		map = add_map(obj);
		if (!map)
			return -ENOMEM;
		map->name = strdup(sym->name);
		if (!map->name)
			return -ENOMEM;
		map->sec = obj->legacy_maps_sec;
		map->sec_off = sym->value;
		map->sym = (int)i;
		map->type = d.type;
		map->key_size = d.key_size;
		map->value_size = d.value_size;
		map->max_entries = d.max_entries;
		map->map_flags = d.map_flags;
		if (!map->type)
			return map_err(obj, "maps", sym->value, -EINVAL,
				       "map '%s' has no type", sym->name);
	}
	pr_warn("%s: section 'maps' offset 0: legacy struct bpf_map_def maps (%zu) accepted; "
		"use BTF-defined maps in .maps%s", obj->name, nr,
		extra ? " (extra definition fields ignored)" : "");
	return 0;
}

/* ---- global data ---- */

struct bpf_map *evbpf__add_internal_map(struct bpf_object *obj,
					const char *sec_name,
					enum evbpf__map_kind kind,
					__u32 value_size)
{
	char name[BPF_OBJ_NAME_LEN];
	struct bpf_map *map;
	__s32 ds;

	map = add_map(obj);
	if (!map)
		return NULL;
	map->kind = kind;
	evbpf__internal_map_name(obj->name, sec_name, name, sizeof(name));
	map->name = strdup(name);
	map->real_name = strdup(sec_name);
	if (!map->name || !map->real_name)
		return NULL;
	map->type = BPF_MAP_TYPE_ARRAY;
	map->key_size = sizeof(int);
	map->value_size = value_size;
	map->max_entries = 1;
	map->map_flags = BPF_F_MMAPABLE;
	if (kind == EVBPF_MAP_RODATA || kind == EVBPF_MAP_KCONFIG)
		map->map_flags |= BPF_F_RDONLY_PROG;
	ds = obj->btf ? btf__find_by_name_kind(obj->btf, sec_name, BTF_KIND_DATASEC) : -1;
	if (ds > 0)
		map->btf_value_type_id = (__u32)ds;
	map->mmap_sz = evbpf__map_mmap_size(map);
	map->image = mmap(NULL, map->mmap_sz, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (map->image == MAP_FAILED) {
		map->image = NULL;
		return NULL;
	}
	return map;
}

static int collect_data_maps(struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_secs; i++) {
		struct evbpf__sec *s = &obj->secs[i];
		enum evbpf__map_kind kind;
		struct bpf_map *map;

		if (s->kind != EVBPF_SEC_DATA && s->kind != EVBPF_SEC_RODATA &&
		    s->kind != EVBPF_SEC_BSS)
			continue;
		if (!s->size)
			continue;
		if (s->size > UINT32_MAX)
			return map_err(obj, s->name, 0, -E2BIG, "global data section too big%s", "");
		kind = s->kind == EVBPF_SEC_DATA ? EVBPF_MAP_DATA :
		       s->kind == EVBPF_SEC_RODATA ? EVBPF_MAP_RODATA : EVBPF_MAP_BSS;
		map = evbpf__add_internal_map(obj, s->name, kind, (__u32)s->size);
		if (!map)
			return -ENOMEM;
		map->sec = (int)i;
		if (s->data)
			memcpy(map->image, s->data, s->size);
		s->map_idx = (int)(map - obj->maps);
	}
	return 0;
}

/* Ring buffers must be a power-of-2 multiple of the page size; like
 * libbpf, round a definition up instead of failing. */
__u32 evbpf__ringbuf_size(__u32 size)
{
	size_t page = (size_t)sysconf(_SC_PAGE_SIZE), pages = 1;

	while (pages * page < size && pages < (1u << 19))
		pages <<= 1;
	return (__u32)(pages * page);
}

static void fix_defaults(struct bpf_map *map)
{
	if (map->type == BPF_MAP_TYPE_RINGBUF || map->type == BPF_MAP_TYPE_USER_RINGBUF)
		map->max_entries = evbpf__ringbuf_size(map->max_entries);
	if ((map->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || map->type == BPF_MAP_TYPE_HASH_OF_MAPS ||
	     map->type == BPF_MAP_TYPE_PROG_ARRAY) && !map->value_size)
		map->value_size = sizeof(int);
}

size_t evbpf__map_mmap_size(const struct bpf_map *map)
{
	size_t page = 4096, sz = ((size_t)map->value_size + 7) / 8 * 8 * map->max_entries;

	if (!sz)
		sz = 1;
	return (sz + page - 1) / page * page;
}

int evbpf__maps_collect(struct bpf_object *obj)
{
	int err = 0;

	if (obj->maps_sec >= 0)
		err = collect_btf_maps(obj);
	if (!err && obj->legacy_maps_sec >= 0)
		err = collect_legacy_maps(obj);
	if (!err)
		err = collect_data_maps(obj);
	if (!err)
		err = collect_init_slots(obj);
	if (!err)
		for (size_t i = 0; i < obj->nr_maps; i++)
			fix_defaults(&obj->maps[i]);
	return err;
}

void evbpf__map_free(struct bpf_map *map)
{
	if (!map)
		return;
	evbpf__map_unload(map);
	if (map->inner) {
		evbpf__map_free(map->inner);
		free(map->inner);
		map->inner = NULL;
	}
	if (map->image)
		munmap(map->image, map->mmap_sz);
	map->image = NULL;
	free(map->name);
	free(map->real_name);
	free(map->pin_path);
	free(map->init_slots);
	free(map->st_data);
	free(map->st_progs);
	free(map->st_kern_value);
	evbpf__close(map->inner_map_fd);
	map->inner_map_fd = -1;
}
