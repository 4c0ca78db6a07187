// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The btf__add_* writer API: appends types and strings to a btf in place.
 * Containers (struct, union, enum, func_proto, datasec) are added first and
 * their members appended right after, so a container is always the last
 * type while it grows.
 */
#include <stdlib.h>

#include "btf_layout_internal.h"

/* ---- strings ---- */

static void str_insert(__u32 *tab, __u32 cap, const char *strs, __u32 off)
{
	__u32 i = evbpf__btf_hash(strs + off) & (cap - 1);

	while (tab[i])
		i = (i + 1) & (cap - 1);
	tab[i] = off + 1;
}

/* (Re)builds the dedup index of own strings with room for @extra more. */
static int build_str_idx(struct btf *btf, __u32 extra)
{
	__u32 cnt = 0, cap = 256, off, *tab;

	for (off = 0; off < btf->strs_len; off += (__u32)strlen(btf->strs + off) + 1)
		cnt++;
	while (cap < 2 * (cnt + extra) + 16)
		cap *= 2;
	tab = calloc(cap, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (off = 0; off < btf->strs_len; off += (__u32)strlen(btf->strs + off) + 1)
		str_insert(tab, cap, btf->strs, off);
	free(btf->str_idx);
	btf->str_idx = tab;
	btf->str_idx_cap = cap;
	btf->str_idx_cnt = cnt;
	return 0;
}

/* Own offset (relative to btf->strs) of @s, or -ENOENT. */
static int find_own_str(struct btf *btf, const char *s)
{
	__u32 i, cap;
	int err;

	if (!btf->str_idx) {
		err = build_str_idx(btf, 64);
		if (err)
			return err;
	}
	cap = btf->str_idx_cap;
	for (i = evbpf__btf_hash(s) & (cap - 1); btf->str_idx[i]; i = (i + 1) & (cap - 1)) {
		__u32 off = btf->str_idx[i] - 1;

		if (strcmp(btf->strs + off, s) == 0)
			return (int)off;
	}
	return -ENOENT;
}

int btf__find_str(struct btf *btf, const char *s)
{
	int off;

	if (!s)
		return evbpf__err(-EINVAL);
	if (!*s && (btf->base || btf->strs_len))
		return 0;
	off = find_own_str(btf, s);
	if (off < 0)
		return evbpf__err(off);
	return (int)(btf->start_str_off + (__u32)off);
}

int btf__add_str(struct btf *btf, const char *s)
{
	size_t len;
	__u32 off;
	int err;

	if (!s)
		return evbpf__err(-EINVAL);
	if (!*s && (btf->base || btf->strs_len))
		return 0;
	err = find_own_str(btf, s);
	if (err >= 0)
		return (int)(btf->start_str_off + (__u32)err);
	if (err != -ENOENT)
		return evbpf__err(err);
	len = strlen(s) + 1;
	if ((__u64)evbpf__btf_strs_end(btf) + len > EVBPF_BTF_MAX_STR_OFF)
		return evbpf__err(-E2BIG);
	err = evbpf__ensure_mem((void **)&btf->strs, &btf->strs_cap, 1, btf->strs_len + len);
	if (err)
		return evbpf__err(err);
	off = (__u32)btf->strs_len;
	memcpy(btf->strs + off, s, len);
	btf->strs_len += len;
	if (2 * (btf->str_idx_cnt + 1) + 16 > btf->str_idx_cap) {
		err = build_str_idx(btf, btf->str_idx_cnt);
		if (err)
			return evbpf__err(err);
	} else {
		str_insert(btf->str_idx, btf->str_idx_cap, btf->strs, off);
		btf->str_idx_cnt++;
	}
	evbpf__btf_invalidate(btf);
	return (int)(btf->start_str_off + off);
}

/* Name offset for @name: 0 for NULL/"" unless @required. */
static int name_off(struct btf *btf, const char *name, bool required)
{
	if (!name || !*name)
		return required ? -EINVAL : 0;
	return btf__add_str(btf, name);
}

/* ---- types ---- */

/* Like libbpf, ids of types not added yet are accepted (so cycles can be
 * built in any order); btf__new()/the kernel check the finished BTF. */
static bool ref_ok(const struct btf *btf, int id)
{
	return id >= 0 && (__u32)id <= EVBPF_BTF_MAX_TYPE;
}

/* Appends a zeroed @size-byte record; returns its new id or -errno. */
static int append_type(struct btf *btf, size_t size, struct btf_type **out)
{
	__u32 id = btf__type_cnt(btf);
	int err;

	if (id > EVBPF_BTF_MAX_TYPE)
		return -E2BIG;
	err = evbpf__ensure_mem((void **)&btf->types, &btf->types_cap, 1, btf->types_len + size);
	if (err)
		return err;
	if (btf->nr_types == btf->offs_cap) {
		size_t cap = (size_t)btf->offs_cap * sizeof(__u32);

		err = evbpf__ensure_mem((void **)&btf->offs, &cap, 1, cap + sizeof(__u32));
		if (err)
			return err;
		btf->offs_cap = (__u32)(cap / sizeof(__u32));
	}
	memset(btf->types + btf->types_len, 0, size);
	btf->offs[btf->nr_types++] = (__u32)btf->types_len;
	*out = (struct btf_type *)(btf->types + btf->types_len);
	btf->types_len += size;
	evbpf__btf_invalidate(btf);
	btf->last_container = 0;
	return (int)id;
}

/* Appends a record of @kind with @name (string added first so that a
 * failure leaves no half-added type). */
static int add_simple(struct btf *btf, __u16 kind, const char *name, bool name_required,
		      bool kflag, __u32 size_or_type, size_t extra, struct btf_type **out)
{
	struct btf_type *t = NULL;
	int off, id, err;

	off = name_off(btf, name, name_required);
	if (off < 0)
		return off;
	id = append_type(btf, sizeof(*t) + extra, &t);
	if (id < 0)
		return id;
	t->name_off = (__u32)off;
	t->info = EVBPF_BTF_INFO(kind, kflag, 0);
	t->size = size_or_type;
	err = evbpf__btf_index_type(btf, (__u32)id);
	if (err)
		return err;
	if (out)
		*out = t;
	return id;
}

int btf__add_int(struct btf *btf, const char *name, size_t byte_sz, int encoding)
{
	struct btf_type *t = NULL;
	int id;

	if ((byte_sz != 1 && byte_sz != 2 && byte_sz != 4 && byte_sz != 8 && byte_sz != 16) ||
	    (encoding != 0 && encoding != BTF_INT_SIGNED && encoding != BTF_INT_CHAR &&
	     encoding != BTF_INT_BOOL))
		return evbpf__err(-EINVAL);
	id = add_simple(btf, BTF_KIND_INT, name, true, false, (__u32)byte_sz, 4, &t);
	if (id < 0)
		return evbpf__err(id);
	*(__u32 *)(t + 1) = ((__u32)encoding << 24) | (__u32)(byte_sz * 8);
	return id;
}

int btf__add_float(struct btf *btf, const char *name, size_t byte_sz)
{
	if (byte_sz != 2 && byte_sz != 4 && byte_sz != 8 && byte_sz != 12 && byte_sz != 16)
		return evbpf__err(-EINVAL);
	return evbpf__err(add_simple(btf, BTF_KIND_FLOAT, name, true, false,
				     (__u32)byte_sz, 0, NULL));
}

static int add_ref(struct btf *btf, __u16 kind, const char *name, bool name_required,
		   int ref_type_id)
{
	if (!ref_ok(btf, ref_type_id))
		return evbpf__err(-EINVAL);
	return evbpf__err(add_simple(btf, kind, name, name_required, false,
				     (__u32)ref_type_id, 0, NULL));
}

int btf__add_ptr(struct btf *btf, int ref_type_id)
{
	return add_ref(btf, BTF_KIND_PTR, NULL, false, ref_type_id);
}

int btf__add_typedef(struct btf *btf, const char *name, int ref_type_id)
{
	return add_ref(btf, BTF_KIND_TYPEDEF, name, true, ref_type_id);
}

int btf__add_volatile(struct btf *btf, int ref_type_id)
{
	return add_ref(btf, BTF_KIND_VOLATILE, NULL, false, ref_type_id);
}

int btf__add_const(struct btf *btf, int ref_type_id)
{
	return add_ref(btf, BTF_KIND_CONST, NULL, false, ref_type_id);
}

int btf__add_restrict(struct btf *btf, int ref_type_id)
{
	return add_ref(btf, BTF_KIND_RESTRICT, NULL, false, ref_type_id);
}

int btf__add_type_tag(struct btf *btf, const char *value, int ref_type_id)
{
	return add_ref(btf, BTF_KIND_TYPE_TAG, value, true, ref_type_id);
}

int btf__add_array(struct btf *btf, int index_type_id, int elem_type_id, __u32 nr_elems)
{
	struct btf_type *t = NULL;
	int id;

	if (!ref_ok(btf, index_type_id) || !ref_ok(btf, elem_type_id) || elem_type_id == 0)
		return evbpf__err(-EINVAL);
	id = add_simple(btf, BTF_KIND_ARRAY, NULL, false, false, 0,
			sizeof(struct btf_array), &t);
	if (id < 0)
		return evbpf__err(id);
	btf_array(t)->type = (__u32)elem_type_id;
	btf_array(t)->index_type = (__u32)index_type_id;
	btf_array(t)->nelems = nr_elems;
	return id;
}

static int add_container(struct btf *btf, __u16 kind, const char *name, bool kflag, __u32 sz)
{
	int id = add_simple(btf, kind, name, false, kflag, sz, 0, NULL);

	if (id < 0)
		return evbpf__err(id);
	btf->last_container = (__u32)id;
	return id;
}

int btf__add_struct(struct btf *btf, const char *name, __u32 sz)
{
	return add_container(btf, BTF_KIND_STRUCT, name, false, sz);
}

int btf__add_union(struct btf *btf, const char *name, __u32 sz)
{
	return add_container(btf, BTF_KIND_UNION, name, false, sz);
}

/* The last added type when it is a container of @kind (or @kind2), with
 * @entry_sz more bytes reserved for one more entry; NULL otherwise. */
static struct btf_type *grow_container(struct btf *btf, int kind, int kind2,
				       size_t entry_sz, int *err)
{
	struct btf_type *t = NULL;
	__u32 id = btf__type_cnt(btf) - 1;

	*err = -EINVAL;
	if (!btf->last_container || btf->last_container != id)
		return NULL;
	t = evbpf__btf_own_type(btf, id);
	if (!t || (btf_kind(t) != kind && btf_kind(t) != kind2) || btf_vlen(t) == 0xffff)
		return NULL;
	*err = evbpf__ensure_mem((void **)&btf->types, &btf->types_cap, 1,
				 btf->types_len + entry_sz);
	if (*err)
		return NULL;
	evbpf__btf_invalidate(btf);
	return evbpf__btf_own_type(btf, id);
}

static void bump_vlen(struct btf *btf, struct btf_type *t, size_t entry_sz)
{
	t->info = EVBPF_BTF_INFO(btf_kind(t), btf_kflag(t), btf_vlen(t) + 1);
	btf->types_len += entry_sz;
}

int btf__add_field(struct btf *btf, const char *name, int type_id,
		   __u32 bit_offset, __u32 bit_size)
{
	struct btf_member *m;
	struct btf_type *t = NULL;
	int off, err;

	if (!ref_ok(btf, type_id) || type_id == 0 || bit_size > 255 ||
	    (bit_size && bit_offset > 0xffffff))
		return evbpf__err(-EINVAL);
	off = name_off(btf, name, false);
	if (off < 0)
		return evbpf__err(off);
	t = grow_container(btf, BTF_KIND_STRUCT, BTF_KIND_UNION, sizeof(*m), &err);
	if (!t)
		return evbpf__err(err);
	if (btf_is_union(t) && bit_offset)
		return evbpf__err(-EINVAL);
	if (bit_size && !btf_kflag(t)) {
		__u32 i;

		/* Switch to the kflag encoding; earlier members must fit. */
		for (i = 0; i < btf_vlen(t); i++)
			if (btf_members(t)[i].offset > 0xffffff)
				return evbpf__err(-EINVAL);
		t->info |= 1u << 31;
	}
	if (btf_kflag(t) && bit_offset > 0xffffff)
		return evbpf__err(-EINVAL);
	m = btf_members(t) + btf_vlen(t);
	m->name_off = (__u32)off;
	m->type = (__u32)type_id;
	m->offset = btf_kflag(t) ? EVBPF_BTF_MEMBER_OFF(bit_size, bit_offset) : bit_offset;
	bump_vlen(btf, t, sizeof(*m));
	return 0;
}

int btf__add_enum(struct btf *btf, const char *name, __u32 bytes_sz)
{
	if (bytes_sz != 1 && bytes_sz != 2 && bytes_sz != 4 && bytes_sz != 8)
		return evbpf__err(-EINVAL);
	return add_container(btf, BTF_KIND_ENUM, name, false, bytes_sz);
}

int btf__add_enum_value(struct btf *btf, const char *name, __s64 value)
{
	struct btf_enum *e;
	struct btf_type *t = NULL;
	int off, err;

	if (value < INT32_MIN || value > UINT32_MAX)
		return evbpf__err(-E2BIG);
	off = name_off(btf, name, true);
	if (off < 0)
		return evbpf__err(off);
	t = grow_container(btf, BTF_KIND_ENUM, BTF_KIND_ENUM, sizeof(*e), &err);
	if (!t)
		return evbpf__err(err);
	e = btf_enum(t) + btf_vlen(t);
	e->name_off = (__u32)off;
	e->val = (__s32)(__u32)value;
	if (value < 0)
		t->info |= 1u << 31;	/* signed enum */
	bump_vlen(btf, t, sizeof(*e));
	return 0;
}

int btf__add_enum64(struct btf *btf, const char *name, __u32 bytes_sz, bool is_signed)
{
	if (bytes_sz != 1 && bytes_sz != 2 && bytes_sz != 4 && bytes_sz != 8)
		return evbpf__err(-EINVAL);
	return add_container(btf, BTF_KIND_ENUM64, name, is_signed, bytes_sz);
}

int btf__add_enum64_value(struct btf *btf, const char *name, __u64 value)
{
	struct btf_type *t = NULL;
	__u32 *w;
	int off, err;

	off = name_off(btf, name, true);
	if (off < 0)
		return evbpf__err(off);
	t = grow_container(btf, BTF_KIND_ENUM64, BTF_KIND_ENUM64, 12, &err);
	if (!t)
		return evbpf__err(err);
	w = (__u32 *)(t + 1) + 3 * btf_vlen(t);
	w[0] = (__u32)off;
	w[1] = (__u32)value;
	w[2] = (__u32)(value >> 32);
	bump_vlen(btf, t, 12);
	return 0;
}

int btf__add_fwd(struct btf *btf, const char *name, enum btf_fwd_kind fwd_kind)
{
	switch (fwd_kind) {
	case BTF_FWD_STRUCT:
	case BTF_FWD_UNION:
		return evbpf__err(add_simple(btf, BTF_KIND_FWD, name, true,
					     fwd_kind == BTF_FWD_UNION, 0, 0, NULL));
	case BTF_FWD_ENUM:
		/* An enum forward declaration is an enum without values. */
		if (!name || !*name)
			return evbpf__err(-EINVAL);
		return btf__add_enum(btf, name, sizeof(int));
	default:
		return evbpf__err(-EINVAL);
	}
}

int btf__add_func(struct btf *btf, const char *name, enum btf_func_linkage linkage,
		  int proto_type_id)
{
	struct btf_type *t = NULL;
	int id;

	if ((unsigned)linkage > BTF_FUNC_EXTERN || !ref_ok(btf, proto_type_id) ||
	    ((__u32)proto_type_id < btf__type_cnt(btf) &&
	     !btf_is_func_proto(btf__type_by_id(btf, (__u32)proto_type_id))))
		return evbpf__err(-EINVAL);
	id = add_simple(btf, BTF_KIND_FUNC, name, true, false, (__u32)proto_type_id, 0, &t);
	if (id < 0)
		return evbpf__err(id);
	t->info = EVBPF_BTF_INFO(BTF_KIND_FUNC, 0, linkage);
	return id;
}

int btf__add_func_proto(struct btf *btf, int ret_type_id)
{
	int id;

	if (!ref_ok(btf, ret_type_id))
		return evbpf__err(-EINVAL);
	id = add_container(btf, BTF_KIND_FUNC_PROTO, NULL, false, (__u32)ret_type_id);
	return id;
}

int btf__add_func_param(struct btf *btf, const char *name, int type_id)
{
	struct btf_param *p;
	struct btf_type *t = NULL;
	int off, err;

	if (!ref_ok(btf, type_id))
		return evbpf__err(-EINVAL);
	off = name_off(btf, name, false);
	if (off < 0)
		return evbpf__err(off);
	t = grow_container(btf, BTF_KIND_FUNC_PROTO, BTF_KIND_FUNC_PROTO, sizeof(*p), &err);
	if (!t)
		return evbpf__err(err);
	p = btf_params(t) + btf_vlen(t);
	p->name_off = (__u32)off;
	p->type = (__u32)type_id;
	bump_vlen(btf, t, sizeof(*p));
	return 0;
}

int btf__add_var(struct btf *btf, const char *name, int linkage, int type_id)
{
	struct btf_type *t = NULL;
	int id;

	if (linkage < BTF_VAR_STATIC || linkage > BTF_VAR_GLOBAL_EXTERN ||
	    !ref_ok(btf, type_id) || type_id == 0)
		return evbpf__err(-EINVAL);
	id = add_simple(btf, BTF_KIND_VAR, name, true, false, (__u32)type_id,
			sizeof(struct btf_var), &t);
	if (id < 0)
		return evbpf__err(id);
	btf_var(t)->linkage = (__u32)linkage;
	return id;
}

int btf__add_datasec(struct btf *btf, const char *name, __u32 byte_sz)
{
	if (!name || !*name)
		return evbpf__err(-EINVAL);
	return add_container(btf, BTF_KIND_DATASEC, name, false, byte_sz);
}

int btf__add_datasec_var_info(struct btf *btf, int var_type_id, __u32 offset, __u32 byte_sz)
{
	struct btf_var_secinfo *v;
	struct btf_type *t = NULL;
	int err;

	if (!ref_ok(btf, var_type_id) || var_type_id == 0)
		return evbpf__err(-EINVAL);
	t = grow_container(btf, BTF_KIND_DATASEC, BTF_KIND_DATASEC, sizeof(*v), &err);
	if (!t)
		return evbpf__err(err);
	v = btf_var_secinfos(t) + btf_vlen(t);
	v->type = (__u32)var_type_id;
	v->offset = offset;
	v->size = byte_sz;
	bump_vlen(btf, t, sizeof(*v));
	return 0;
}

int btf__add_decl_tag(struct btf *btf, const char *value, int ref_type_id, int component_idx)
{
	struct btf_type *t = NULL;
	int id;

	if (!ref_ok(btf, ref_type_id) || ref_type_id == 0 || component_idx < -1)
		return evbpf__err(-EINVAL);
	id = add_simple(btf, BTF_KIND_DECL_TAG, value, true, false, (__u32)ref_type_id,
			sizeof(struct btf_decl_tag), &t);
	if (id < 0)
		return evbpf__err(id);
	btf_decl_tag(t)->component_idx = component_idx;
	return id;
}

int btf__add_decl_attr(struct btf *btf, const char *value, int ref_type_id, int component_idx)
{
	int id = btf__add_decl_tag(btf, value, ref_type_id, component_idx);

	if (id > 0)
		evbpf__btf_own_type(btf, (__u32)id)->info |= 1u << 31;
	return id;
}

int btf__add_type_attr(struct btf *btf, const char *value, int ref_type_id)
{
	int id = btf__add_type_tag(btf, value, ref_type_id);

	if (id > 0)
		evbpf__btf_own_type(btf, (__u32)id)->info |= 1u << 31;
	return id;
}

/* ---- copying types between btfs ---- */

/* Calls @fn on every string offset field of record @t. */
static int for_each_str(struct btf_type *t, int (*fn)(__u32 *off, void *ctx), void *ctx)
{
	__u32 i, vlen = btf_vlen(t);
	int err = fn(&t->name_off, ctx);

	for (i = 0; !err && i < vlen; i++) {
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			err = fn(&btf_members(t)[i].name_off, ctx);
			break;
		case BTF_KIND_ENUM:
			err = fn(&btf_enum(t)[i].name_off, ctx);
			break;
		case BTF_KIND_ENUM64:
			err = fn((__u32 *)(t + 1) + 3 * i, ctx);
			break;
		case BTF_KIND_FUNC_PROTO:
			err = fn(&btf_params(t)[i].name_off, ctx);
			break;
		default:
			return err;
		}
	}
	return err;
}

struct copy_ctx {
	struct btf *dst;
	const struct btf *src;
	__u32 src_start, dst_start;
	const __u32 *map;	/* when set: every id X becomes map[X] */
};

int evbpf__btf_copy_str(struct btf *dst, const struct btf *src, __u32 *off)
{
	const char *s = btf__str_by_offset(src, *off);
	int r;

	if (!s)
		return -EINVAL;
	r = btf__add_str(dst, s);
	if (r < 0)
		return r;
	*off = (__u32)r;
	return 0;
}

static int copy_str(__u32 *off, void *vctx)
{
	struct copy_ctx *c = vctx;

	return evbpf__btf_copy_str(c->dst, c->src, off);
}

static void remap_id(__u32 *id, const struct copy_ctx *c)
{
	if (c->map)
		*id = c->map[*id];
	else if (*id >= c->src_start)
		*id = *id - c->src_start + c->dst_start;
}

/* Copies @src_type into @btf (strings re-added); ids remapped when @remap. */
static int copy_type(struct btf *btf, const struct btf *src, const struct btf_type *src_type,
		     struct copy_ctx *c, bool remap)
{
	size_t sz = evbpf__btf_type_size(src_type);
	struct btf_type *t, *tmp;
	__u32 i, *ref;
	int id, err;

	if (!sz)
		return -EINVAL;
	/* Strings first, on a private copy, so @src_type may point into
	 * @btf itself (it may move when @btf grows). */
	tmp = malloc(sz);
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, src_type, sz);
	err = for_each_str(tmp, copy_str, c);
	if (err) {
		free(tmp);
		return err;
	}
	for (i = 0; remap && (ref = evbpf__btf_type_id_ref(tmp, i)); i++)
		remap_id(ref, c);
	id = append_type(btf, sz, &t);
	if (id >= 0) {
		memcpy(t, tmp, sz);
		err = evbpf__btf_index_type(btf, (__u32)id);
		if (err)
			id = err;
	}
	free(tmp);
	return id;
}

int evbpf__btf_copy_type_mapped(struct btf *dst, const struct btf *src, __u32 id,
				const __u32 *map)
{
	struct copy_ctx c = { .dst = dst, .src = src, .map = map };
	const struct btf_type *t = evbpf__btf_type(src, id);

	if (!t)
		return -EINVAL;
	return copy_type(dst, src, t, &c, true);
}

int btf__add_type(struct btf *btf, const struct btf *src_btf, const struct btf_type *src_type)
{
	struct copy_ctx c = { .dst = btf, .src = src_btf };

	if (!src_btf || !src_type)
		return evbpf__err(-EINVAL);
	return evbpf__err(copy_type(btf, src_btf, src_type, &c, false));
}

int btf__add_btf(struct btf *btf, const struct btf *src_btf)
{
	struct copy_ctx c;
	__u32 i, first;
	size_t saved_types, saved_strs;
	__u32 saved_nr;
	int id;

	if (!src_btf || src_btf == btf)
		return evbpf__err(-EINVAL);
	first = btf__type_cnt(btf);
	c = (struct copy_ctx){ btf, src_btf, src_btf->start_id, first };
	saved_types = btf->types_len;
	saved_strs = btf->strs_len;
	saved_nr = btf->nr_types;
	for (i = 0; i < src_btf->nr_types; i++) {
		id = copy_type(btf, src_btf, evbpf__btf_type(src_btf, src_btf->start_id + i),
			       &c, true);
		if (id < 0)
			goto rollback;
	}
	return (int)first;
rollback:
	/* Leave @btf as it was: drop the partial copy and rebuild indexes. */
	btf->types_len = saved_types;
	btf->strs_len = saved_strs;
	btf->nr_types = saved_nr;
	free(btf->name_idx);
	btf->name_idx = NULL;
	btf->name_idx_cap = btf->name_idx_cnt = 0;
	free(btf->str_idx);
	btf->str_idx = NULL;
	btf->str_idx_cap = btf->str_idx_cnt = 0;
	evbpf__btf_invalidate(btf);
	return evbpf__err(id);
}
