// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops maps: each variable of a .struct_ops (or .struct_ops.link)
 * section is a map of type BPF_MAP_TYPE_STRUCT_OPS whose value is the
 * kernel's bpf_struct_ops_<name> wrapper of struct <name>. Function pointer
 * members name programs (relocations of the section); those programs are
 * loaded with the kernel struct as attach_btf_id and the member index as
 * expected attach type; the slots hold the struct bpf_program pointers
 * from open to load, so that a skeleton may swap them. Data members are
 * copied into the kernel layout by name. Registering the value (map update / link) is the attach code's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "bpf/bpf.h"
#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "loader_internal.h"

#define STRUCT_OPS_VALUE_PREFIX "bpf_struct_ops_"

static int so_err(const struct bpf_object *obj, const char *sec, size_t off, int err,
		  const char *what, const char *name)
{
	pr_warn("%s: section '%s' offset %#zx: %s '%s'", obj->name, sec, off, what, name);
	return err;
}

static int collect_sec(struct bpf_object *obj, int si)
{
	const struct evbpf__sec *sec = &obj->secs[si];
	const struct btf_var_secinfo *vsi;
	const struct btf_type *ds;
	__s32 ds_id;
	size_t r;
	__u16 i;

	ds_id = btf__find_by_name_kind(obj->btf, sec->name, BTF_KIND_DATASEC);
	if (ds_id < 0)
		return so_err(obj, sec->name, 0, -EINVAL, "no BTF DATASEC for", sec->name);
	ds = btf__type_by_id(obj->btf, ds_id);
	vsi = btf_var_secinfos(ds);
	for (i = 0; i < btf_vlen(ds); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(obj->btf, vsi->type), *t;
		const char *name;
		struct bpf_map *map;
		__u32 tid;

		if (!var || !btf_is_var(var))
			return so_err(obj, sec->name, vsi->offset, -EINVAL, "entry is not a variable",
				      "?");
		name = btf__name_by_offset(obj->btf, var->name_off);
		t = evbpf__btf_skip_mods(obj->btf, var->type, &tid);
		if (!name || !t || !btf_is_struct(t) || !t->name_off)
			return so_err(obj, sec->name, vsi->offset, -EINVAL,
				      "struct_ops variable is not a named struct:", name ? name : "?");
		if (!sec->data || (__u64)vsi->offset + vsi->size > sec->size ||
		    vsi->size < t->size)
			return so_err(obj, sec->name, vsi->offset, -EINVAL,
				      "struct_ops variable outside its section:", name);
		map = evbpf__map_add(obj);
		if (!map)
			return -ENOMEM;
		map->name = strdup(name);
		map->st_data = malloc(t->size ? t->size : 1);
		map->st_progs = malloc((btf_vlen(t) ? btf_vlen(t) : 1) * sizeof(int));
		if (!map->name || !map->st_data || !map->st_progs)
			return -ENOMEM;
		memcpy(map->st_data, (const char *)sec->data + vsi->offset, t->size);
		memset(map->st_progs, 0xff, (btf_vlen(t) ? btf_vlen(t) : 1) * sizeof(int));
		map->st_size = t->size;
		map->st_type_id = tid;
		map->sec = si;
		map->sec_off = vsi->offset;
		map->type = BPF_MAP_TYPE_STRUCT_OPS;
		map->key_size = sizeof(int);
		/* the local struct until prepare finds the kernel's value type */
		map->value_size = t->size;
		map->max_entries = 1;
		if (!strcmp(sec->name, ".struct_ops.link"))
			map->map_flags = BPF_F_LINK;
	}

	/* function pointer members: relocations against programs */
	for (r = 0; r < sec->nr_rels; r++) {
		const struct evbpf__rel *rel = &sec->rels[r];
		const struct evbpf__sym *sym = &obj->syms[rel->sym];
		const struct btf_member *m;
		const struct btf_type *t;
		struct bpf_map *map = NULL;
		size_t k;
		__u32 off;
		int prog = -1;

		for (k = 0; k < obj->nr_maps; k++)
			if (obj->maps[k].sec == si && obj->maps[k].type == BPF_MAP_TYPE_STRUCT_OPS &&
			    rel->off >= obj->maps[k].sec_off &&
			    rel->off < obj->maps[k].sec_off + obj->maps[k].st_size)
				map = &obj->maps[k];
		if (!map)
			return so_err(obj, sec->name, rel->off, -EINVAL,
				      "relocation outside any struct_ops variable:", sym->name);
		for (k = 0; k < obj->nr_progs; k++)
			if (!strcmp(obj->progs[k].name, sym->name))
				prog = (int)k;
		if (prog < 0)
			return so_err(obj, sec->name, rel->off, -EINVAL,
				      "struct_ops member refers to no program:", sym->name);
		if (obj->progs[prog].type != BPF_PROG_TYPE_STRUCT_OPS)
			return so_err(obj, sec->name, rel->off, -EINVAL,
				      "struct_ops member refers to a program not in SEC(\"struct_ops\"):",
				      sym->name);
		t = btf__type_by_id(obj->btf, map->st_type_id);
		m = btf_members(t);
		off = (__u32)(rel->off - map->sec_off);
		for (k = 0; k < btf_vlen(t); k++)
			if (btf_member_bit_offset(t, (__u32)k) == off * 8)
				break;
		if (k == btf_vlen(t))
			return so_err(obj, sec->name, rel->off, -EINVAL,
				      "relocation is not at a member of", map->name);
		(void)m;
		map->st_progs[k] = prog;
		/* the slot holds the program itself (a skeleton's shadow type
		 * shows it as struct bpf_program *; prepare reads it back) */
		if (btf__resolve_size(obj->btf, m[k].type) == sizeof(void *)) {
			struct bpf_program *p = &obj->progs[prog];

			memcpy((char *)map->st_data + off, &p, sizeof(p));
		}
	}
	return 0;
}

/* True when member @m of a struct_ops struct is a function pointer. */
static bool is_func_ptr(const struct btf *btf, const struct btf_member *m)
{
	const struct btf_type *t = evbpf__btf_skip_mods(btf, m->type, NULL);

	if (!t || !btf_is_ptr(t))
		return false;
	t = evbpf__btf_skip_mods(btf, t->type, NULL);
	return t && btf_is_func_proto(t);
}

/*
 * The programs in the function pointer slots of @map's data, which the
 * user may have changed after open (through a skeleton's struct_ops shadow
 * or bpf_map__initial_value()): NULL leaves the member unset, anything else
 * must be a SEC("struct_ops") program of this object.
 */
static int read_prog_slots(struct bpf_object *obj, struct bpf_map *map)
{
	const struct btf_type *lt = btf__type_by_id(obj->btf, map->st_type_id);
	const struct btf_member *lm = btf_members(lt);
	__u16 i;

	for (i = 0; i < btf_vlen(lt); i++, lm++) {
		__u32 off = btf_member_bit_offset(lt, i) / 8;
		struct bpf_program *p;
		size_t k;

		if (!is_func_ptr(obj->btf, lm) || off + sizeof(p) > map->st_size)
			continue;
		memcpy(&p, (const char *)map->st_data + off, sizeof(p));
		map->st_progs[i] = -1;
		if (!p)
			continue;
		for (k = 0; k < obj->nr_progs && p != &obj->progs[k]; k++)
			;
		if (k == obj->nr_progs)
			return so_err(obj, obj->secs[map->sec].name, map->sec_off + off, -EINVAL,
				      "function pointer slot holds no program of this object:",
				      btf__name_by_offset(obj->btf, lm->name_off));
		if (obj->progs[k].type != BPF_PROG_TYPE_STRUCT_OPS)
			return so_err(obj, obj->secs[map->sec].name, map->sec_off + off, -EINVAL,
				      "function pointer slot holds a program not in "
				      "SEC(\"struct_ops\"):", obj->progs[k].name);
		map->st_progs[i] = (int)k;
	}
	return 0;
}

int evbpf__struct_ops_collect(struct bpf_object *obj)
{
	size_t i;
	int err;

	for (i = 0; i < obj->nr_secs; i++) {
		if (obj->secs[i].kind != EVBPF_SEC_STRUCT_OPS)
			continue;
		if (!obj->btf)
			return so_err(obj, obj->secs[i].name, 0, -EINVAL, "needs BTF:",
				      obj->secs[i].name);
		err = collect_sec(obj, (int)i);
		if (err)
			return err;
	}
	return 0;
}

/* Kernel member of @kt named @name: its index, or -1. */
static int kern_member(const struct btf *kbtf, const struct btf_type *kt, const char *name)
{
	const struct btf_member *m = btf_members(kt);
	__u16 i;

	for (i = 0; i < btf_vlen(kt); i++, m++) {
		const char *n = btf__name_by_offset(kbtf, m->name_off);

		if (n && !strcmp(n, name))
			return i;
	}
	return -1;
}

static int prepare_map(struct bpf_object *obj, struct bpf_map *map, const struct btf *kbtf)
{
	const struct btf_type *lt = btf__type_by_id(obj->btf, map->st_type_id), *kt, *vt;
	const char *tname = btf__name_by_offset(obj->btf, lt->name_off);
	const char *sec = obj->secs[map->sec].name;
	const struct btf_member *lm = btf_members(lt), *vm;
	char vname[256];
	__s32 kid, vid;
	__u16 i;

	int err = read_prog_slots(obj, map);

	if (err)
		return err;
	kid = btf__find_by_name_kind(kbtf, tname, BTF_KIND_STRUCT);
	snprintf(vname, sizeof(vname), STRUCT_OPS_VALUE_PREFIX "%s", tname);
	vid = btf__find_by_name_kind(kbtf, vname, BTF_KIND_STRUCT);
	if (kid < 0 || vid < 0)
		return so_err(obj, sec, map->sec_off, -ENOTSUP,
			      "kernel has no struct_ops type", tname);
	kt = btf__type_by_id(kbtf, kid);
	vt = btf__type_by_id(kbtf, vid);
	vm = btf_members(vt);
	for (i = 0; i < btf_vlen(vt); i++, vm++) {
		__u32 mid;

		evbpf__btf_skip_mods(kbtf, vm->type, &mid);
		if (mid == (__u32)kid)
			break;
	}
	if (i == btf_vlen(vt))
		return so_err(obj, sec, map->sec_off, -EINVAL,
			      "kernel value type does not embed", tname);
	map->st_kern_type_id = (__u32)kid;
	map->st_kern_data_off = btf_member_bit_offset(vt, i) / 8;
	map->btf_vmlinux_value_type_id = (__u32)vid;
	map->value_size = vt->size;
	free(map->st_kern_value);
	map->st_kern_value = calloc(1, vt->size ? vt->size : 1);
	if (!map->st_kern_value)
		return -ENOMEM;

	for (i = 0; i < btf_vlen(lt); i++, lm++) {
		const char *mname = btf__name_by_offset(obj->btf, lm->name_off);
		const struct btf_type *lmt, *kmt;
		__u32 loff = btf_member_bit_offset(lt, i) / 8, koff;
		__s64 lsz, ksz;
		int kidx;

		if (!mname || !*mname)
			continue;
		kidx = kern_member(kbtf, kt, mname);
		lmt = evbpf__btf_skip_mods(obj->btf, lm->type, NULL);
		if (kidx < 0) {
			if (map->st_progs[i] >= 0)
				return so_err(obj, sec, map->sec_off + loff, -ENOTSUP,
					      "kernel struct has no member", mname);
			continue; /* a member this kernel lacks, unused: fine */
		}
		koff = btf_member_bit_offset(kt, (__u32)kidx) / 8;
		kmt = evbpf__btf_skip_mods(kbtf, btf_members(kt)[kidx].type, NULL);
		if (lmt && btf_is_ptr(lmt) && kmt && btf_is_ptr(kmt)) {
			struct bpf_program *prog;

			if (map->st_progs[i] < 0)
				continue;
			prog = &obj->progs[map->st_progs[i]];
			prog->attach_btf_id = (__u32)kid;
			prog->expected_attach_type = (enum bpf_attach_type)kidx;
			continue;
		}
		lsz = btf__resolve_size(obj->btf, lm->type);
		ksz = btf__resolve_size(kbtf, btf_members(kt)[kidx].type);
		if (lsz < 0 || lsz != ksz || loff + lsz > map->st_size)
			return so_err(obj, sec, map->sec_off + loff, -EINVAL,
				      "member size differs from the kernel's:", mname);
		memcpy((char *)map->st_kern_value + map->st_kern_data_off + koff,
		       (const char *)map->st_data + loff, (size_t)lsz);
	}
	return 0;
}

int evbpf__struct_ops_prepare(struct bpf_object *obj)
{
	const struct btf *kbtf = NULL;
	size_t i;
	int err = 0;

	for (i = 0; i < obj->nr_maps && !err; i++) {
		struct bpf_map *map = &obj->maps[i];

		if (map->type != BPF_MAP_TYPE_STRUCT_OPS || !map->st_data || !map->autocreate)
			continue;
		if (!kbtf) {
			kbtf = evbpf__vmlinux_btf(&err);
			if (!kbtf) {
				pr_warn("%s: struct_ops map '%s' needs kernel BTF: %d", obj->name,
					map->name, err);
				return err ? err : -ENOTSUP;
			}
		}
		err = prepare_map(obj, map, kbtf);
	}
	return err;
}

int evbpf__struct_ops_fill_progs(struct bpf_object *obj)
{
	const struct btf *kbtf = NULL;
	size_t i;
	int err = 0;

	for (i = 0; i < obj->nr_maps; i++) {
		struct bpf_map *map = &obj->maps[i];
		const struct btf_type *lt, *kt;
		const struct btf_member *lm;
		__u16 k;

		if (map->type != BPF_MAP_TYPE_STRUCT_OPS || !map->st_kern_value)
			continue;
		if (!kbtf && !(kbtf = evbpf__vmlinux_btf(&err)))
			return err;
		lt = btf__type_by_id(obj->btf, map->st_type_id);
		kt = btf__type_by_id(kbtf, map->st_kern_type_id);
		lm = btf_members(lt);
		for (k = 0; k < btf_vlen(lt); k++, lm++) {
			const struct bpf_program *prog;
			const char *mname;
			__u64 fd;
			int kidx;

			if (map->st_progs[k] < 0)
				continue;
			prog = &obj->progs[map->st_progs[k]];
			if (prog->fd < 0)
				continue;
			mname = btf__name_by_offset(obj->btf, lm->name_off);
			kidx = kern_member(kbtf, kt, mname);
			if (kidx < 0)
				continue;
			fd = (__u64)prog->fd;
			memcpy((char *)map->st_kern_value + map->st_kern_data_off +
			       btf_member_bit_offset(kt, (__u32)kidx) / 8, &fd, sizeof(fd));
		}
	}
	return 0;
}

int evbpf__struct_ops_kern_value(const struct bpf_map *map, const void **value, size_t *size)
{
	if (!map || map->type != BPF_MAP_TYPE_STRUCT_OPS || !map->st_kern_value ||
	    map->fd < 0)
		return -EINVAL;
	*value = map->st_kern_value;
	*size = map->value_size;
	return 0;
}
