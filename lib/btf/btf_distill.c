// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Moving split BTF between bases, and renumbering types:
 *
 * - btf__distill_base(): the base types split BTF refers to are cut down
 *   to a small "distilled" base of named types that any other base can
 *   match by kind, name and size (structs, unions and enums lose their
 *   members); the base types that cannot be matched that way (anonymous
 *   types, typedefs, pointers, arrays, prototypes...) are copied into the
 *   new split BTF instead, ahead of its own types.
 * - btf__relocate(): the reverse, onto a full base, matching each type of
 *   the distilled base there and renumbering the split types after it.
 * - btf__permute(): reorders a BTF's own types per a caller's id map.
 */
#include <stdlib.h>
#include <string.h>

#include "btf_layout_internal.h"

/* Mutable view of a record only read through evbpf__btf_type_id_ref(). */
static struct btf_type *rd(const struct btf_type *t)
{
	return (struct btf_type *)t;
}

/* A base type kept in the distilled base: named and matched by name. */
static bool distill_keeps(const struct btf_type *t)
{
	if (!t->name_off)
		return false;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		return true;
	default:
		return false;
	}
}

enum { UNUSED, IN_BASE, IN_SPLIT };

/* Marks base type @id of @src as needed; queues it when its own
 * references must be followed (it moves into the split BTF). */
static void need(const struct btf *src, __u32 id, unsigned char *mark, __u32 *stack, __u32 *sp)
{
	const struct btf_type *t;

	if (!id || id >= src->start_id || mark[id])
		return;
	t = evbpf__btf_type(src, id);
	mark[id] = distill_keeps(t) ? IN_BASE : IN_SPLIT;
	if (mark[id] == IN_SPLIT)
		stack[(*sp)++] = id;
}

static void need_refs(const struct btf *src, __u32 id, unsigned char *mark, __u32 *stack,
		      __u32 *sp)
{
	const struct btf_type *t = evbpf__btf_type(src, id);
	__u32 k, *r;

	for (k = 0; (r = evbpf__btf_type_id_ref(rd(t), k)); k++)
		need(src, *r, mark, stack, sp);
}

/* Adds the distilled form of base type @id of @src to @dst. */
static int add_distilled(struct btf *dst, const struct btf *src, __u32 id, const __u32 *map)
{
	const struct btf_type *t = evbpf__btf_type(src, id);
	const char *name = btf__name_by_offset(src, t->name_off);
	int nid;

	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
		return btf__add_struct(dst, name, t->size);
	case BTF_KIND_UNION:
		return btf__add_union(dst, name, t->size);
	case BTF_KIND_ENUM:
		nid = btf__add_enum(dst, name, t->size);
		if (nid > 0 && btf_kflag(t))	/* signed values */
			evbpf__btf_own_type(dst, (__u32)nid)->info |= 1u << 31;
		return nid;
	case BTF_KIND_ENUM64:
		return btf__add_enum64(dst, name, t->size, btf_kflag(t));
	default:	/* INT, FLOAT, FWD: kept whole (they refer to nothing) */
		return evbpf__btf_copy_type_mapped(dst, src, id, map);
	}
}

int btf__distill_base(const struct btf *src_btf, struct btf **new_base_btf,
		      struct btf **new_split_btf)
{
	struct btf *nb = NULL, *ns = NULL;
	unsigned char *mark = NULL;
	__u32 *map = NULL, *stack = NULL, sp = 0, start, cnt, i, next;
	int err = 0, id;

	if (!src_btf || !new_base_btf || !new_split_btf)
		return evbpf__err(-EINVAL);
	if (!src_btf->base) {
		pr_warn("btf__distill_base: the BTF is not split BTF (it has no base to distill)\n");
		return evbpf__err(-EINVAL);
	}
	start = src_btf->start_id;
	cnt = btf__type_cnt(src_btf);
	map = calloc(cnt, sizeof(*map));
	mark = calloc(start, 1);
	stack = malloc(start * sizeof(*stack));
	if (!map || !mark || !stack) {
		err = -ENOMEM;
		goto out;
	}
	for (i = start; i < cnt; i++)
		need_refs(src_btf, i, mark, stack, &sp);
	while (sp)
		need_refs(src_btf, stack[--sp], mark, stack, &sp);

	nb = btf__new_empty();
	if (!nb) {
		err = -errno;
		goto out;
	}
	for (i = 1; i < start; i++) {
		if (mark[i] != IN_BASE)
			continue;
		id = add_distilled(nb, src_btf, i, map);
		if (id < 0) {
			err = id;
			goto out;
		}
		map[i] = (__u32)id;
	}
	ns = btf__new_empty_split(nb);
	if (!ns) {
		err = -errno;
		goto out;
	}
	/* moved base types first (in base order), then the split's own */
	next = btf__type_cnt(nb);
	for (i = 1; i < cnt; i++)
		if (i >= start || mark[i] == IN_SPLIT)
			map[i] = next++;
	for (i = 1; i < cnt; i++) {
		if (i < start && mark[i] != IN_SPLIT)
			continue;
		id = evbpf__btf_copy_type_mapped(ns, src_btf, i, map);
		if (id < 0) {
			err = id;
			goto out;
		}
	}
	if (src_btf->ptr_sz) {
		nb->ptr_sz = src_btf->ptr_sz;
		ns->ptr_sz = src_btf->ptr_sz;
	}
	*new_base_btf = nb;
	*new_split_btf = ns;
	nb = ns = NULL;
out:
	btf__free(ns);
	btf__free(nb);
	free(map);
	free(mark);
	free(stack);
	return evbpf__err(err);
}

/* Whether @c (of @cb) can stand for distilled type @t (of @tb); a struct
 * or union must have the same size only when @sized (it is embedded in a
 * type of the split BTF, whose layout depends on it). */
static bool matches(const struct btf *tb, const struct btf_type *t,
		    const struct btf *cb, const struct btf_type *c, bool sized)
{
	int tk = btf_kind(t), ck = btf_kind(c);

	switch (tk) {
	case BTF_KIND_INT:
		if (ck != tk || c->size != t->size ||
		    *(const __u32 *)(c + 1) != *(const __u32 *)(t + 1))
			return false;
		break;
	case BTF_KIND_FLOAT:
		if (ck != tk || c->size != t->size)
			return false;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (ck != tk || (sized && c->size != t->size))
			return false;
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if ((ck != BTF_KIND_ENUM && ck != BTF_KIND_ENUM64) || c->size != t->size)
			return false;
		break;
	case BTF_KIND_FWD:
		if (ck == BTF_KIND_FWD ? btf_kflag(c) != btf_kflag(t)
				       : ck != (btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT))
			return false;
		break;
	default:
		return false;
	}
	return strcmp(btf__name_by_offset(tb, t->name_off),
		      btf__name_by_offset(cb, c->name_off)) == 0;
}

/* Marks in @embedded the base types of @btf (ids below its start id)
 * that a struct/union of its own holds by value, through typedefs,
 * modifiers and arrays. */
static void mark_embedded(const struct btf *btf, unsigned char *embedded)
{
	__u32 cnt = btf__type_cnt(btf), i, m, id;
	int depth;

	for (i = btf->start_id; i < cnt; i++) {
		const struct btf_type *t = evbpf__btf_type(btf, i);

		if (!btf_is_composite(t))
			continue;
		for (m = 0; m < btf_vlen(t); m++) {
			const struct btf_type *mt;

			id = btf_members(t)[m].type;
			for (depth = 0; depth < EVBPF_BTF_MAX_RESOLVE_DEPTH; depth++) {
				mt = evbpf__btf_type(btf, id);
				if (!mt || !(btf_is_mod(mt) || btf_is_typedef(mt) || btf_is_array(mt)))
					break;
				id = btf_is_array(mt) ? btf_array(mt)->type : mt->type;
			}
			if (id && id < btf->start_id)
				embedded[id] = 1;
		}
	}
}

static const char *kind_name(const struct btf_type *t)
{
	static const char *const names[] = {
		[BTF_KIND_INT] = "INT", [BTF_KIND_FLOAT] = "FLOAT",
		[BTF_KIND_STRUCT] = "STRUCT", [BTF_KIND_UNION] = "UNION",
		[BTF_KIND_ENUM] = "ENUM", [BTF_KIND_ENUM64] = "ENUM64",
		[BTF_KIND_FWD] = "FWD",
	};
	unsigned int k = btf_kind(t);

	return k < sizeof(names) / sizeof(names[0]) && names[k] ? names[k] : "type";
}

int btf__relocate(struct btf *btf, const struct btf *base_btf)
{
	const struct btf *ob;
	struct btf *n = NULL;
	__u32 *map = NULL, ostart, nstart, cnt, ncnt, i, j;
	unsigned char *embedded = NULL;
	int err = 0, id;

	if (!btf || !base_btf || btf == base_btf)
		return evbpf__err(-EINVAL);
	ob = btf->base;
	if (!ob) {
		pr_warn("btf__relocate: the BTF is not split BTF (it has no base to replace)\n");
		return evbpf__err(-EINVAL);
	}
	ostart = btf->start_id;
	cnt = btf__type_cnt(btf);
	nstart = btf__type_cnt(base_btf);
	map = calloc(cnt, sizeof(*map));
	embedded = calloc(ostart, 1);
	if (!map || !embedded) {
		err = -ENOMEM;
		goto out;
	}
	mark_embedded(btf, embedded);
	for (i = 1; i < ostart; i++) {
		const struct btf_type *t = evbpf__btf_type(btf, i);

		for (j = 1; j < nstart; j++)
			if (matches(btf, t, base_btf, evbpf__btf_type(base_btf, j), embedded[i]))
				break;
		if (j == nstart) {
			pr_warn("btf__relocate: no type of the new base matches %s '%s' size %u (base type [%u])\n",
				kind_name(t), btf__name_by_offset(btf, t->name_off),
				btf_is_fwd(t) ? 0 : t->size, i);
			err = -EINVAL;
			goto out;
		}
		map[i] = j;
	}
	for (i = ostart; i < cnt; i++)
		map[i] = nstart + (i - ostart);
	n = btf__new_empty_split((struct btf *)base_btf);
	if (!n) {
		err = -errno;
		goto out;
	}
	ncnt = cnt - ostart;
	for (i = 0; i < ncnt; i++) {
		id = evbpf__btf_copy_type_mapped(n, btf, ostart + i, map);
		if (id < 0) {
			err = id;
			goto out;
		}
	}
	evbpf__btf_replace(btf, n);
	n = NULL;
out:
	btf__free(n);
	free(embedded);
	free(map);
	return evbpf__err(err);
}

static __u32 permute_id(__u32 id, void *ctx)
{
	const struct btf *btf = ((void **)ctx)[0];
	const __u32 *fmap = ((void **)ctx)[1];

	return id < btf__type_cnt(btf) ? fmap[id] : id;
}

int btf__permute(struct btf *btf, __u32 *id_map, __u32 id_map_cnt,
		 const struct btf_permute_opts *opts)
{
	__u32 start, n, cnt, skip, i, k, *fmap = NULL, *order = NULL, *offs = NULL, *r;
	struct btf_ext *ext;
	char *types = NULL;
	size_t len = 0;
	int err = 0;

	if (!btf || !id_map || !OPTS_VALID(opts, btf_permute_opts, btf_ext))
		return evbpf__err(-EINVAL);
	ext = OPTS_GET(opts, btf_ext, NULL);
	start = btf->start_id;
	n = btf->nr_types;
	cnt = btf__type_cnt(btf);
	skip = btf->base ? 0 : 1;	/* base BTF maps void too */
	if (id_map_cnt != n + skip) {
		pr_warn("btf__permute: id_map has %u entries, the BTF needs %u\n", id_map_cnt, n + skip);
		return evbpf__err(-EINVAL);
	}
	if (skip && id_map[0] != 0) {
		pr_warn("btf__permute: id_map[0] = %u: void (id 0) cannot move\n", id_map[0]);
		return evbpf__err(-EINVAL);
	}
	fmap = calloc(cnt, sizeof(*fmap));
	order = calloc(n ? n : 1, sizeof(*order));
	offs = malloc((n ? n : 1) * sizeof(*offs));
	types = malloc(btf->types_len ? btf->types_len : 1);
	if (!fmap || !order || !offs || !types) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < start; i++)
		fmap[i] = i;
	/* order[] holds old id + 1 so that 0 marks a free slot */
	for (i = 0; i < n; i++) {
		__u32 to = id_map[i + skip];

		if (to < start || to >= cnt || order[to - start]) {
			pr_warn("btf__permute: id_map[%u] = %u: %s\n", i + skip, to,
				to < start || to >= cnt ? "out of range" : "duplicate id");
			err = -EINVAL;
			goto out;
		}
		order[to - start] = start + i + 1;
		fmap[start + i] = to;
	}
	for (i = 0; i < n; i++) {
		const struct btf_type *t = evbpf__btf_type(btf, order[i] - 1);
		size_t sz = evbpf__btf_type_size(t);

		memcpy(types + len, t, sz);
		for (k = 0; (r = evbpf__btf_type_id_ref((struct btf_type *)(types + len), k)); k++)
			*r = fmap[*r];
		offs[i] = (__u32)len;
		len += sz;
	}
	if (ext)
		evbpf__btf_ext_remap_types(ext, permute_id, (void *[]){ btf, fmap });
	evbpf__btf_set_types(btf, types, len, offs, n);
out:
	free(fmap);
	free(order);
	free(offs);
	free(types);
	return evbpf__err(err);
}
