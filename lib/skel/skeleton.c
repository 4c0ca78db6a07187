// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The skeleton runtime behind generated .skel.h files: open/load/attach/
 * detach/destroy of a bpf_object_skeleton and the subskeleton lookups.
 *
 * Generated code was compiled against some version of the skeleton structs
 * and records each element size (map_skel_sz...). Elements are reached by
 * those sizes, and a field is read only when the recorded size covers it,
 * so skeletons from older and newer generators both work.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/btf.h"
#include "bpf/libbpf.h"
#include "base/base_internal.h"
#include "object/object_internal.h"
#include "attach/attach_internal.h"

/* Element @i of an array whose elements are @sz bytes. */
static void *skel_elem(void *base, int sz, int i)
{
	return (char *)base + (size_t)sz * (size_t)i;
}

/* The data section a global data map stands for (".rodata", ".data.foo"),
 * from its name ("obj.rodata" or ".rodata"); NULL for other maps. */
static const char *map_section(const struct bpf_map *map)
{
	const char *name = bpf_map__name(map);

	if (!name || !bpf_map__is_internal(map))
		return NULL;
	return name[0] == '.' ? name : strchr(name, '.');
}

static bool map_is_kconfig(const struct bpf_map *map)
{
	const char *sec = map_section(map);

	return sec && !strcmp(sec, ".kconfig");
}

/*
 * Finds skeleton map @name in @obj. Global data maps are also matched by
 * their section name, so a skeleton whose generator shortened the object
 * name differently from ours ("myobj.rodata" vs "myob.rodata") still works.
 */
static struct bpf_map *skel_find_map(const struct bpf_object *obj,
				     const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	const char *dot;

	if (map || !name)
		return map;
	dot = strchr(name, '.');
	if (!dot || dot == name)
		return NULL;
	bpf_object__for_each_map(map, obj) {
		const char *sec = map_section(map);

		if (sec && !strcmp(sec, dot))
			return map;
	}
	return NULL;
}

/* Checks the element sizes the generator recorded against the fields this
 * library needs from every element. */
static int check_arrays(const char *what, const void *maps, int map_cnt,
			int map_sz, const void *progs, int prog_cnt, int prog_sz)
{
	if (map_cnt < 0 || prog_cnt < 0 || (map_cnt && !maps) || (prog_cnt && !progs) ||
	    (map_cnt && map_sz < (int)offsetofend(struct bpf_map_skeleton, mmaped)) ||
	    (prog_cnt && prog_sz < (int)offsetofend(struct bpf_prog_skeleton, link))) {
		pr_warn("%s: invalid skeleton: %d maps of %d bytes, %d programs of %d bytes",
			what, map_cnt, map_sz, prog_cnt, prog_sz);
		return -EINVAL;
	}
	return 0;
}

/* Fills *map / *prog of each element by name. */
static int fill_maps_progs(const char *what, const struct bpf_object *obj,
			   void *maps, int map_cnt, int map_sz,
			   void *progs, int prog_cnt, int prog_sz)
{
	int i;

	for (i = 0; i < map_cnt; i++) {
		struct bpf_map_skeleton *ms = skel_elem(maps, map_sz, i);
		struct bpf_map *map = skel_find_map(obj, ms->name);

		if (!map) {
			pr_warn("%s: skeleton map '%s' not found in the object",
				what, ms->name ? ms->name : "(null)");
			return -ESRCH;
		}
		if (ms->map)
			*ms->map = map;
	}
	for (i = 0; i < prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = skel_elem(progs, prog_sz, i);
		struct bpf_program *prog;

		prog = ps->name ? bpf_object__find_program_by_name(obj, ps->name) : NULL;
		if (!prog) {
			pr_warn("%s: skeleton program '%s' not found in the object",
				what, ps->name ? ps->name : "(null)");
			return -ESRCH;
		}
		if (ps->prog)
			*ps->prog = prog;
	}
	return 0;
}

/* Global data memory of @map now: the map's memory once created, else its
 * initial image. */
static void *map_memory(const struct bpf_map *map, size_t *size)
{
	void *mem = evbpf__map_mmaped(map, size);

	if (mem)
		return mem;
	return bpf_map__initial_value(map, size);
}

LIBBPF_API int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
					 const struct bpf_object_open_opts *opts)
{
	struct bpf_object_open_opts local;
	struct bpf_object *obj;
	const char *what;
	int err, i;

	if (!s || s->sz < offsetofend(struct bpf_object_skeleton, progs) ||
	    !s->obj || !s->data || !s->data_sz) {
		pr_warn("skeleton '%s': invalid skeleton",
			s && s->sz >= offsetofend(struct bpf_object_skeleton, name) &&
			s->name ? s->name : "?");
		return evbpf__err(-EINVAL);
	}
	what = s->name ? s->name : "skeleton";
	err = check_arrays(what, s->maps, s->map_cnt, s->map_skel_sz, s->progs,
			   s->prog_cnt, s->prog_skel_sz);
	if (err)
		return evbpf__err(err);
	if (!OPTS_VALID(opts, bpf_object_open_opts, bpf_token_path))
		return evbpf__err(-EINVAL);

	/* the object is named after the skeleton unless the caller says */
	memset(&local, 0, sizeof(local));
	if (opts)
		memcpy(&local, opts, evbpf__min(opts->sz, sizeof(local)));
	local.sz = sizeof(local);
	if (!local.object_name)
		local.object_name = s->name;

	/* the loader already logged why; these follow-ups are debug only,
	 * so one failure gives one warning */
	obj = bpf_object__open_mem(s->data, s->data_sz, &local);
	if (!obj) {
		err = -errno;
		pr_debug("skeleton '%s': failed to open the embedded object: %d",
			 what, err);
		return evbpf__err(err);
	}
	*s->obj = obj;

	err = fill_maps_progs(what, obj, s->maps, s->map_cnt, s->map_skel_sz,
			      s->progs, s->prog_cnt, s->prog_skel_sz);
	if (err)
		return evbpf__err(err);

	/* global data: the initial image, which the caller may edit until
	 * load; .kconfig values only exist after load */
	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = skel_elem(s->maps, s->map_skel_sz, i);
		struct bpf_map *map = skel_find_map(obj, ms->name);

		if (!ms->mmaped)
			continue;
		*ms->mmaped = map_is_kconfig(map) ? NULL :
			      bpf_map__initial_value(map, NULL);
	}
	return 0;
}

LIBBPF_API int bpf_object__load_skeleton(struct bpf_object_skeleton *s)
{
	struct bpf_object *obj;
	int err, i;

	if (!s || s->sz < offsetofend(struct bpf_object_skeleton, progs) ||
	    !s->obj || !*s->obj)
		return evbpf__err(-EINVAL);
	obj = *s->obj;
	err = bpf_object__load(obj);
	if (err) {
		pr_debug("skeleton '%s': failed to load the object: %d",
			 s->name ? s->name : "?", err);
		return evbpf__err(err);
	}
	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = skel_elem(s->maps, s->map_skel_sz, i);

		if (!ms->mmaped || !ms->map || !*ms->map)
			continue;
		/* NULL when the map could not be mmapped (not mmapable) */
		*ms->mmaped = evbpf__map_mmaped(*ms->map, NULL);
	}
	return 0;
}

LIBBPF_API int bpf_object__attach_skeleton(struct bpf_object_skeleton *s)
{
	const char *what;
	int err, i;

	if (!s || s->sz < offsetofend(struct bpf_object_skeleton, progs))
		return evbpf__err(-EINVAL);
	what = s->name ? s->name : "skeleton";
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = skel_elem(s->progs, s->prog_skel_sz, i);
		struct bpf_program *prog = ps->prog ? *ps->prog : NULL;
		struct bpf_link *link = NULL;

		if (!prog || !ps->link || *ps->link)
			continue;
		if (!bpf_program__autoload(prog) || !bpf_program__autoattach(prog))
			continue;
		/* 0 with no link: the section names no target; skip it */
		err = evbpf__prog_auto_attach(prog, &link);
		if (err) {
			pr_debug("skeleton '%s': failed to auto-attach program '%s': %d",
				 what, ps->name, err);
			return evbpf__err(err);
		}
		*ps->link = link;
	}

	/* struct_ops maps: registered into the map's link slot, which only
	 * skeletons generated for libbpf 1.5 and later carry */
	for (i = 0; i < s->map_cnt && s->maps; i++) {
		struct bpf_map_skeleton *ms = skel_elem(s->maps, s->map_skel_sz, i);
		struct bpf_map *map = ms->map ? *ms->map : NULL;
		struct bpf_link *link;

		if (!map || bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS ||
		    !bpf_map__autocreate(map) || !bpf_map__autoattach(map))
			continue;
		if (s->map_skel_sz < (int)offsetofend(struct bpf_map_skeleton, link) ||
		    !ms->link) {
			pr_warn("skeleton '%s': struct_ops map '%s' has no link slot "
				"(skeleton generated for libbpf < 1.5): not attached; "
				"regenerate it or call bpf_map__attach_struct_ops()",
				what, bpf_map__name(map));
			continue;
		}
		if (*ms->link)
			continue;
		link = bpf_map__attach_struct_ops(map);
		if (!link) {
			err = -errno;
			pr_warn("skeleton '%s': failed to attach struct_ops map '%s': %d",
				what, bpf_map__name(map), err);
			return evbpf__err(err);
		}
		*ms->link = link;
	}
	return 0;
}

LIBBPF_API void bpf_object__detach_skeleton(struct bpf_object_skeleton *s)
{
	int i;

	if (!s || s->sz < offsetofend(struct bpf_object_skeleton, progs))
		return;
	for (i = 0; i < s->prog_cnt && s->progs; i++) {
		struct bpf_prog_skeleton *ps = skel_elem(s->progs, s->prog_skel_sz, i);

		if (!ps->link)
			continue;
		bpf_link__destroy(*ps->link);
		*ps->link = NULL;
	}
	if (s->map_skel_sz < (int)offsetofend(struct bpf_map_skeleton, link))
		return;
	for (i = 0; i < s->map_cnt && s->maps; i++) {
		struct bpf_map_skeleton *ms = skel_elem(s->maps, s->map_skel_sz, i);

		if (!ms->link)
			continue;
		bpf_link__destroy(*ms->link);
		*ms->link = NULL;
	}
}

LIBBPF_API void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s)
{
	int err = errno;

	if (!s)
		return;
	bpf_object__detach_skeleton(s);
	if (s->obj) {
		bpf_object__close(*s->obj);
		*s->obj = NULL;
	}
	free(s->maps);
	free(s->progs);
	free(s);
	errno = err;
}

/* Points each variable at its place in its map's global data memory. */
static int fill_vars(const char *what, const struct bpf_object *obj,
		     struct bpf_object_subskeleton *s)
{
	const struct btf *btf = bpf_object__btf(obj);
	int i;

	for (i = 0; i < s->var_cnt; i++) {
		struct bpf_var_skeleton *vs = skel_elem(s->vars, s->var_skel_sz, i);
		const struct bpf_map *map = vs->map ? *vs->map : NULL;
		const struct btf_var_secinfo *vsi;
		const struct btf_type *sec;
		const char *sec_name;
		size_t size = 0;
		char *mem;
		__s32 id;
		int j, n;

		sec_name = map ? map_section(map) : NULL;
		if (!sec_name || !btf || !vs->name) {
			pr_warn("%s: variable '%s': no global data map for it",
				what, vs->name ? vs->name : "(null)");
			return -EINVAL;
		}
		id = btf__find_by_name_kind(btf, sec_name, BTF_KIND_DATASEC);
		sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
		mem = map_memory(map, &size);
		if (!sec || !mem) {
			pr_warn("%s: variable '%s': section '%s' has no BTF or data",
				what, vs->name, sec_name);
			return -ESRCH;
		}
		vsi = btf_var_secinfos(sec);
		n = btf_vlen(sec);
		for (j = 0; j < n; j++) {
			const struct btf_type *var = btf__type_by_id(btf, vsi[j].type);
			const char *name = var ? btf__name_by_offset(btf, var->name_off) : NULL;

			if (name && !strcmp(name, vs->name))
				break;
		}
		if (j == n || vsi[j].offset + (size_t)vsi[j].size > size) {
			pr_warn("%s: variable '%s' not found in section '%s'",
				what, vs->name, sec_name);
			return -ESRCH;
		}
		if (vs->addr)
			*vs->addr = mem + vsi[j].offset;
	}
	return 0;
}

LIBBPF_API int bpf_object__open_subskeleton(struct bpf_object_subskeleton *s)
{
	const char *what;
	int err;

	if (!s || s->sz < offsetofend(struct bpf_object_subskeleton, vars) ||
	    !s->obj)
		return evbpf__err(-EINVAL);
	what = bpf_object__name(s->obj);
	what = what ? what : "subskeleton";
	err = check_arrays(what, s->maps, s->map_cnt, s->map_skel_sz, s->progs,
			   s->prog_cnt, s->prog_skel_sz);
	if (!err && (s->var_cnt < 0 || (s->var_cnt && !s->vars) ||
		     (s->var_cnt && s->var_skel_sz <
		      (int)offsetofend(struct bpf_var_skeleton, addr)))) {
		pr_warn("%s: invalid subskeleton: %d variables of %d bytes",
			what, s->var_cnt, s->var_skel_sz);
		err = -EINVAL;
	}
	if (!err)
		err = fill_maps_progs(what, s->obj, s->maps, s->map_cnt,
				      s->map_skel_sz, s->progs, s->prog_cnt,
				      s->prog_skel_sz);
	if (!err)
		err = fill_vars(what, s->obj, s);
	return err ? evbpf__err(err) : 0;
}

LIBBPF_API void bpf_object__destroy_subskeleton(struct bpf_object_subskeleton *s)
{
	if (!s)
		return;
	free(s->maps);
	free(s->progs);
	free(s->vars);
	free(s);
}
