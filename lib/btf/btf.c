// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF parsing, validation and queries. Parsing is pure (no kernel): raw
 * BTF in either byte order becomes host-order type and string buffers that
 * the writer (btf_write.c) can extend in place.
 */
#include <byteswap.h>
#include <endian.h>
#include <stdlib.h>

#include "btf_layout_internal.h"

#if __BYTE_ORDER == __LITTLE_ENDIAN
#define HOST_BIG_ENDIAN false
#else
#define HOST_BIG_ENDIAN true
#endif

static const struct btf_type void_type;

__u32 *evbpf__btf_type_id_ref(struct btf_type *t, __u32 i)
{
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return i == 0 ? &t->type : NULL;
	case BTF_KIND_ARRAY:
		return i == 0 ? &btf_array(t)->type : i == 1 ? &btf_array(t)->index_type : NULL;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return i < btf_vlen(t) ? &btf_members(t)[i].type : NULL;
	case BTF_KIND_FUNC_PROTO:
		if (i == 0)
			return &t->type;
		return i <= btf_vlen(t) ? &btf_params(t)[i - 1].type : NULL;
	case BTF_KIND_DATASEC:
		return i < btf_vlen(t) ? &btf_var_secinfos(t)[i].type : NULL;
	default:
		return NULL;
	}
}

size_t evbpf__btf_type_size(const struct btf_type *t)
{
	size_t sz = sizeof(struct btf_type);
	__u16 vlen = btf_vlen(t);

	switch (btf_kind(t)) {
	case BTF_KIND_FWD:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return sz;
	case BTF_KIND_INT:
		return sz + sizeof(__u32);
	case BTF_KIND_ARRAY:
		return sz + sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return sz + vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return sz + vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return sz + vlen * 3 * sizeof(__u32);
	case BTF_KIND_FUNC_PROTO:
		return sz + vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sz + sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return sz + vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sz + sizeof(__u32);
	default:
		return 0;
	}
}

const struct btf_type *evbpf__btf_skip_mods(const struct btf *btf, __u32 id,
					    __u32 *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

int evbpf__btf_swap_types(void *data, size_t len, bool to_host)
{
	size_t off = 0;

	while (off < len) {
		__u32 *w = (__u32 *)((char *)data + off);
		struct btf_type *t = (struct btf_type *)w;
		size_t sz, i;

		if (len - off < sizeof(*t))
			return -EINVAL;
		if (to_host)
			for (i = 0; i < 3; i++)
				w[i] = bswap_32(w[i]);
		sz = evbpf__btf_type_size(t);
		if (!sz || sz > len - off)
			return -EINVAL;
		if (!to_host)
			for (i = 0; i < 3; i++)
				w[i] = bswap_32(w[i]);
		for (i = 3; i < sz / 4; i++)
			w[i] = bswap_32(w[i]);
		off += sz;
	}
	return 0;
}

struct btf *evbpf__btf_alloc(struct btf *base)
{
	struct btf *btf = calloc(1, sizeof(*btf));

	if (!btf)
		return NULL;
	btf->fd = -1;
	btf->base = base;
	if (base) {
		btf->start_id = btf__type_cnt(base);
		btf->start_str_off = evbpf__btf_strs_end(base);
		btf->big_endian = base->big_endian;
		btf->ptr_sz = base->ptr_sz;
	} else {
		btf->start_id = 1;
		btf->big_endian = HOST_BIG_ENDIAN;
	}
	return btf;
}

void btf__free(struct btf *btf)
{
	if (!btf)
		return;
	evbpf__close(btf->fd);
	free(btf->types);
	free(btf->offs);
	free(btf->strs);
	free(btf->raw);
	free(btf->name_idx);
	free(btf->str_idx);
	free(btf);
}

void evbpf__btf_replace(struct btf *dst, struct btf *src)
{
	struct btf old = *dst;

	src->big_endian = dst->big_endian;
	if (dst->ptr_sz)
		src->ptr_sz = dst->ptr_sz;
	*dst = *src;
	*src = old;
	btf__free(src);
}

void evbpf__btf_set_types(struct btf *btf, const char *types, size_t len,
			  const __u32 *offs, __u32 n)
{
	memcpy(btf->types, types, len);
	memcpy(btf->offs, offs, n * sizeof(*offs));
	btf->types_len = len;
	btf->nr_types = n;
	btf->last_container = 0;
	free(btf->name_idx);
	btf->name_idx = NULL;
	btf->name_idx_cap = btf->name_idx_cnt = 0;
	evbpf__btf_invalidate(btf);
}

void evbpf__btf_invalidate(struct btf *btf)
{
	free(btf->raw);
	btf->raw = NULL;
	btf->raw_size = 0;
}

/* ---- lookups ---- */

const struct btf_type *evbpf__btf_type(const struct btf *btf, __u32 id)
{
	if (id == 0)
		return &void_type;
	if (id < btf->start_id)
		return btf->base ? evbpf__btf_type(btf->base, id) : NULL;
	if (id - btf->start_id >= btf->nr_types)
		return NULL;
	return (const struct btf_type *)(btf->types + btf->offs[id - btf->start_id]);
}

struct btf_type *evbpf__btf_own_type(struct btf *btf, __u32 id)
{
	if (id < btf->start_id || id - btf->start_id >= btf->nr_types)
		return NULL;
	return (struct btf_type *)(btf->types + btf->offs[id - btf->start_id]);
}

struct btf_type *evbpf__btf_type_mut(struct btf *btf, __u32 id)
{
	struct btf_type *t = evbpf__btf_own_type(btf, id);

	if (t) {
		/* The caller may rename or re-kind it: drop derived data
		 * (the name index is rebuilt on the next lookup). */
		evbpf__btf_invalidate(btf);
		free(btf->name_idx);
		btf->name_idx = NULL;
		btf->name_idx_cap = btf->name_idx_cnt = 0;
	}
	return t;
}

static int vsi_cmp(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

void evbpf__btf_datasec_sort(struct btf_type *t)
{
	qsort(btf_var_secinfos(t), btf_vlen(t), sizeof(struct btf_var_secinfo), vsi_cmp);
}

__u32 evbpf__btf_start_id(const struct btf *btf)
{
	return btf->start_id;
}

const struct btf_type *btf__type_by_id(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = evbpf__btf_type(btf, id);

	if (!t)
		errno = EINVAL;
	return t;
}

__u32 btf__type_cnt(const struct btf *btf)
{
	return btf->start_id + btf->nr_types;
}

const struct btf *btf__base_btf(const struct btf *btf)
{
	return btf->base;
}

const char *btf__str_by_offset(const struct btf *btf, __u32 offset)
{
	if (offset < btf->start_str_off)
		return btf__str_by_offset(btf->base, offset);
	if (offset - btf->start_str_off < btf->strs_len)
		return btf->strs + (offset - btf->start_str_off);
	errno = EINVAL;
	return NULL;
}

const char *btf__name_by_offset(const struct btf *btf, __u32 offset)
{
	return btf__str_by_offset(btf, offset);
}

int btf__fd(const struct btf *btf)
{
	return btf->fd;
}

void btf__set_fd(struct btf *btf, int fd)
{
	btf->fd = fd;
}

enum btf_endianness btf__endianness(const struct btf *btf)
{
	return btf->big_endian ? BTF_BIG_ENDIAN : BTF_LITTLE_ENDIAN;
}

int btf__set_endianness(struct btf *btf, enum btf_endianness endian)
{
	if (endian != BTF_LITTLE_ENDIAN && endian != BTF_BIG_ENDIAN)
		return evbpf__err(-EINVAL);
	if (btf->big_endian != (endian == BTF_BIG_ENDIAN))
		evbpf__btf_invalidate(btf);
	btf->big_endian = endian == BTF_BIG_ENDIAN;
	return 0;
}

static size_t guess_ptr_sz(const struct btf *btf)
{
	static const char *const longs[] = {
		"long", "long int", "int long", "unsigned long",
		"long unsigned int", "unsigned long int",
	};
	__u32 id, n = btf__type_cnt(btf);
	size_t i;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = evbpf__btf_type(btf, id);
		const char *name;

		if (!btf_is_int(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name)
			continue;
		for (i = 0; i < ARRAY_SIZE(longs); i++) {
			if (strcmp(name, longs[i]) == 0 &&
			    (t->size == 4 || t->size == 8))
				return t->size;
		}
	}
	return 0;
}

size_t btf__pointer_size(const struct btf *btf)
{
	struct btf *mut = (struct btf *)btf;

	if (!btf->ptr_sz)
		mut->ptr_sz = guess_ptr_sz(btf);
	return btf->ptr_sz ? btf->ptr_sz : sizeof(void *);
}

int btf__set_pointer_size(struct btf *btf, size_t ptr_sz)
{
	if (ptr_sz != 4 && ptr_sz != 8)
		return evbpf__err(-EINVAL);
	btf->ptr_sz = ptr_sz;
	return 0;
}

__s64 btf__resolve_size(const struct btf *btf, __u32 type_id)
{
	__u64 nelems = 1, size;
	int depth;

	for (depth = 0; depth < EVBPF_BTF_MAX_RESOLVE_DEPTH; depth++) {
		const struct btf_type *t = evbpf__btf_type(btf, type_id);

		if (!t)
			return evbpf__errl(-EINVAL);
		switch (btf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_DATASEC:
		case BTF_KIND_FLOAT:
			size = t->size;
			goto done;
		case BTF_KIND_PTR:
			size = btf__pointer_size(btf);
			goto done;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
		case BTF_KIND_TYPE_TAG:
			type_id = t->type;
			break;
		case BTF_KIND_ARRAY:
			if (nelems && btf_array(t)->nelems > UINT32_MAX / nelems &&
			    nelems * btf_array(t)->nelems > (__u64)INT64_MAX)
				return evbpf__errl(-E2BIG);
			nelems *= btf_array(t)->nelems;
			type_id = btf_array(t)->type;
			break;
		default:
			return evbpf__errl(-EINVAL);
		}
	}
	return evbpf__errl(-EINVAL);
done:
	if (size && nelems > (__u64)INT64_MAX / size)
		return evbpf__errl(-E2BIG);
	return (__s64)(nelems * size);
}

int btf__resolve_type(const struct btf *btf, __u32 type_id)
{
	int depth;

	for (depth = 0; depth < EVBPF_BTF_MAX_RESOLVE_DEPTH; depth++) {
		const struct btf_type *t = evbpf__btf_type(btf, type_id);

		if (!t)
			return evbpf__err(-EINVAL);
		if (!btf_is_typedef(t) && !btf_is_mod(t) && !btf_is_var(t))
			return (int)type_id;
		type_id = t->type;
	}
	return evbpf__err(-EINVAL);
}

/* True when a bitfield of @bits at @off crosses a storage unit of its
 * type: only a packed struct lays bitfields out that way. */
static bool straddles(const struct btf *btf, __u32 type, __u32 off, __u32 bits)
{
	__s64 sz = btf__resolve_size(btf, type);
	__u32 unit;

	if (sz <= 0 || sz > 8)
		return false;
	unit = (__u32)sz * 8;
	return off / unit != (off + bits - 1) / unit;
}

static int align_of(const struct btf *btf, __u32 id, int depth, int *budget)
{
	const struct btf_type *t = evbpf__btf_type(btf, id);
	int ptr_sz = (int)btf__pointer_size(btf);
	__u32 i, n;
	int max = 1;

	if (!t || depth > EVBPF_BTF_MAX_RESOLVE_DEPTH)
		return -EINVAL;
	/* Nested structs share members: bound the walk on hostile BTF. */
	if (--*budget < 0)
		return -E2BIG;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		return evbpf__min((int)t->size, ptr_sz) ? (int)evbpf__min((int)t->size, ptr_sz) : 1;
	case BTF_KIND_PTR:
		return ptr_sz;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return align_of(btf, t->type, depth + 1, budget);
	case BTF_KIND_ARRAY:
		return align_of(btf, btf_array(t)->type, depth + 1, budget);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		n = btf_vlen(t);
		for (i = 0; i < n; i++) {
			const struct btf_member *m = btf_members(t) + i;
			int a = align_of(btf, m->type, depth + 1, budget);

			if (a < 0)
				return a;
			/* A member off its natural alignment means the struct
			 * is packed: alignment 1. */
			if (btf_member_bitfield_size(t, i) == 0 &&
			    btf_member_bit_offset(t, i) % (8 * a))
				return 1;
			if (btf_member_bitfield_size(t, i) &&
			    straddles(btf, m->type, btf_member_bit_offset(t, i),
				      btf_member_bitfield_size(t, i)))
				return 1;
			max = evbpf__max(max, a);
		}
		if (t->size % max)
			return 1;
		return max;
	default:
		return -EINVAL;
	}
}

int btf__align_of(const struct btf *btf, __u32 id)
{
	int budget = 1 << 14;

	return evbpf__err(align_of(btf, id, 0, &budget));
}

/* ---- name index ---- */

static const char *own_type_name(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = evbpf__btf_type(btf, id);
	const char *name = btf__name_by_offset(btf, t->name_off);

	return name ? name : "";
}

static void index_insert(__u32 *tab, __u32 cap, const char *name, __u32 id)
{
	__u32 i = evbpf__btf_hash(name) & (cap - 1);

	while (tab[i])
		i = (i + 1) & (cap - 1);
	tab[i] = id;
}

static int build_name_index(struct btf *btf, __u32 want)
{
	__u32 cap = 64, i, *tab;

	while (cap < 2 * want + 16)
		cap *= 2;
	tab = calloc(cap, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (i = 0; i < btf->nr_types; i++) {
		__u32 id = btf->start_id + i;
		const struct btf_type *t = evbpf__btf_type(btf, id);

		if (!t->name_off)
			continue;
		index_insert(tab, cap, own_type_name(btf, id), id);
	}
	free(btf->name_idx);
	btf->name_idx = tab;
	btf->name_idx_cap = cap;
	btf->name_idx_cnt = want;
	return 0;
}

static int ensure_name_index(const struct btf *cbtf)
{
	struct btf *btf = (struct btf *)cbtf;
	__u32 i, named = 0;

	if (btf->base) {
		int err = ensure_name_index(btf->base);

		if (err)
			return err;
	}
	if (btf->name_idx)
		return 0;
	for (i = 0; i < btf->nr_types; i++)
		if (evbpf__btf_type(btf, btf->start_id + i)->name_off)
			named++;
	return build_name_index(btf, named);
}

int evbpf__btf_index_type(struct btf *btf, __u32 id)
{
	const struct btf_type *t = evbpf__btf_type(btf, id);

	if (!btf->name_idx || !t->name_off)
		return 0;
	if (2 * (btf->name_idx_cnt + 1) + 16 > btf->name_idx_cap)
		return build_name_index(btf, btf->name_idx_cnt + 1);
	index_insert(btf->name_idx, btf->name_idx_cap, own_type_name(btf, id), id);
	btf->name_idx_cnt++;
	return 0;
}

/* Looks @name up among the types of @btf itself, then (@with_base) of its
 * base chain first, as ids are numbered from the base on. */
static __s32 find_own(const struct btf *btf, const char *name, int kind,
		      bool with_base)
{
	__u32 cap = btf->name_idx_cap, i;

	if (btf->base && with_base) {
		__s32 id = find_own(btf->base, name, kind, true);

		if (id > 0)
			return id;
	}
	if (!cap)
		return -ENOENT;
	for (i = evbpf__btf_hash(name) & (cap - 1); btf->name_idx[i]; i = (i + 1) & (cap - 1)) {
		__u32 id = btf->name_idx[i];

		if (kind >= 0 && btf_kind(evbpf__btf_type(btf, id)) != kind)
			continue;
		if (strcmp(own_type_name(btf, id), name) == 0)
			return (__s32)id;
	}
	return -ENOENT;
}

/* find_own() without the index: the lowest matching id, base BTF first. */
static __s32 find_linear(const struct btf *btf, const char *name, int kind,
			 bool with_base)
{
	__u32 i;

	if (btf->base && with_base) {
		__s32 id = find_linear(btf->base, name, kind, true);

		if (id > 0)
			return id;
	}
	for (i = 0; i < btf->nr_types; i++) {
		__u32 id = btf->start_id + i;
		const struct btf_type *t = evbpf__btf_type(btf, id);

		if (!t->name_off || (kind >= 0 && btf_kind(t) != kind))
			continue;
		if (strcmp(own_type_name(btf, id), name) == 0)
			return (__s32)id;
	}
	return -ENOENT;
}

static __s32 find_by_name(const struct btf *btf, const char *name, int kind,
			  bool with_base)
{
	int err;

	if (!name)
		return evbpf__err(-EINVAL);
	if (strcmp(name, "void") == 0 && (kind < 0 || kind == BTF_KIND_UNKN))
		return 0;
	err = ensure_name_index(btf);
	if (err)
		/* no memory for the index: a miss must not read as "not
		 * there", so look the slow way */
		return evbpf__err(find_linear(btf, name, kind, with_base));
	return evbpf__err(find_own(btf, name, kind, with_base));
}

__s32 btf__find_by_name(const struct btf *btf, const char *type_name)
{
	return find_by_name(btf, type_name, -1, true);
}

__s32 btf__find_by_name_kind(const struct btf *btf, const char *type_name, __u32 kind)
{
	if (kind > BTF_KIND_MAX)
		return evbpf__err(-EINVAL);
	return find_by_name(btf, type_name, (int)kind, true);
}

__s32 btf__find_by_name_kind_own(const struct btf *btf, const char *type_name,
				 __u32 kind)
{
	if (kind > BTF_KIND_MAX)
		return evbpf__err(-EINVAL);
	return find_by_name(btf, type_name, (int)kind, false);
}

/* ---- raw data ---- */

const void *btf__raw_data(const struct btf *cbtf, __u32 *size)
{
	struct btf *btf = (struct btf *)cbtf;
	struct btf_header *hdr;
	size_t total;
	char *raw;

	if (btf->raw) {
		*size = btf->raw_size;
		return btf->raw;
	}
	total = sizeof(*hdr) + btf->types_len + btf->strs_len;
	if (total > UINT32_MAX)
		return evbpf__err_ptr(-E2BIG);
	raw = calloc(1, total);
	if (!raw)
		return evbpf__err_ptr(-ENOMEM);
	hdr = (struct btf_header *)raw;
	hdr->magic = BTF_MAGIC;
	hdr->version = BTF_VERSION;
	hdr->hdr_len = sizeof(*hdr);
	hdr->type_off = 0;
	hdr->type_len = (__u32)btf->types_len;
	hdr->str_off = (__u32)btf->types_len;
	hdr->str_len = (__u32)btf->strs_len;
	if (btf->types_len)
		memcpy(raw + sizeof(*hdr), btf->types, btf->types_len);
	if (btf->strs_len)
		memcpy(raw + sizeof(*hdr) + btf->types_len, btf->strs, btf->strs_len);
	if (btf->big_endian != HOST_BIG_ENDIAN) {
		evbpf__btf_swap_types(raw + sizeof(*hdr), btf->types_len, false);
		hdr->magic = bswap_16(hdr->magic);
		hdr->hdr_len = bswap_32(hdr->hdr_len);
		hdr->type_off = bswap_32(hdr->type_off);
		hdr->type_len = bswap_32(hdr->type_len);
		hdr->str_off = bswap_32(hdr->str_off);
		hdr->str_len = bswap_32(hdr->str_len);
	}
	btf->raw = raw;
	btf->raw_size = (__u32)total;
	*size = btf->raw_size;
	return raw;
}

/* ---- parsing and validation ---- */

#define bad(what, fmt, ...) \
	pr_warn("BTF %s: " fmt, (what), ##__VA_ARGS__)

static bool str_ok(const struct btf *btf, __u32 off)
{
	return off < evbpf__btf_strs_end(btf);
}

static bool name_ok(const struct btf *btf, __u32 off, bool required)
{
	const char *s;

	if (!str_ok(btf, off))
		return false;
	if (!required)
		return true;
	s = btf__str_by_offset(btf, off);
	return s && *s;
}

static bool id_ok(const struct btf *btf, __u32 id)
{
	return id < btf__type_cnt(btf);
}

/* Kinds a value (member, array element, variable, parameter) may have. */
static bool value_kind_ok(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = evbpf__btf_type(btf, id);

	switch (btf_kind(t)) {
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
		return false;
	default:
		return true;
	}
}

/* Members and array elements need a complete type: not a FWD and not a
 * function prototype (neither has a size, the kernel refuses both), also
 * not behind typedefs and modifiers. A FWD later resolved by dedup would
 * otherwise be able to contain itself, directly or as the return or
 * parameter type of a prototype held by value. */
static bool complete_ok(const struct btf *btf, __u32 id)
{
	int depth;

	for (depth = 0; depth < EVBPF_BTF_MAX_RESOLVE_DEPTH; depth++) {
		const struct btf_type *t;

		if (!id_ok(btf, id))
			return true;	/* reported elsewhere */
		t = evbpf__btf_type(btf, id);
		if (btf_is_fwd(t) || btf_is_func_proto(t))
			return false;
		if (!btf_is_typedef(t) && !btf_is_mod(t))
			return true;
		id = t->type;
	}
	return true;	/* loops are reported by check_loops() */
}

/* Checks one own type; every referenced id is already known to exist in
 * the id space (they are checked here too). */
static int check_type(const struct btf *btf, __u32 id, const char *what)
{
	const struct btf_type *t = evbpf__btf_type(btf, id);
	__u16 kind = btf_kind(t), vlen = btf_vlen(t);
	__u32 i, enc;

	if (!str_ok(btf, t->name_off)) {
		bad(what, "type [%u]: name offset %u out of range", id, t->name_off);
		return -EINVAL;
	}
	switch (kind) {
	case BTF_KIND_INT:
		enc = *(const __u32 *)(t + 1);
		if (vlen || (t->size != 1 && t->size != 2 && t->size != 4 &&
			     t->size != 8 && t->size != 16) ||
		    BTF_INT_BITS(enc) > 128 ||
		    BTF_INT_OFFSET(enc) + BTF_INT_BITS(enc) > t->size * 8 ||
		    (BTF_INT_ENCODING(enc) & ~7u) || (enc & 0x0000ff00u)) {
			bad(what, "type [%u] INT: invalid size %u / encoding 0x%x", id, t->size, enc);
			return -EINVAL;
		}
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		if (vlen) {
			bad(what, "type [%u] kind %u: non-zero vlen %u", id, kind, vlen);
			return -EINVAL;
		}
		if (!id_ok(btf, t->type)) {
			bad(what, "type [%u] kind %u: referenced type id %u out of range", id, kind, t->type);
			return -EINVAL;
		}
		if ((kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_TYPE_TAG) &&
		    !name_ok(btf, t->name_off, true)) {
			bad(what, "type [%u] kind %u: missing name", id, kind);
			return -EINVAL;
		}
		if (kind != BTF_KIND_PTR && !value_kind_ok(btf, t->type) &&
		    !btf_is_func_proto(evbpf__btf_type(btf, t->type))) {
			bad(what, "type [%u] kind %u: invalid target kind of type %u", id, kind, t->type);
			return -EINVAL;
		}
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);

		if (vlen || !id_ok(btf, a->type) || !id_ok(btf, a->index_type) ||
		    a->type == 0 || !value_kind_ok(btf, a->type) || !complete_ok(btf, a->type)) {
			bad(what, "type [%u] ARRAY: bad element/index type %u/%u", id, a->type, a->index_type);
			return -EINVAL;
		}
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < vlen; i++) {
			const struct btf_member *m = btf_members(t) + i;

			if (id_ok(btf, m->type) && !complete_ok(btf, m->type)) {
				bad(what, "type [%u]: member #%u of incomplete type %u (forward declaration or function)",
				    id, i, m->type);
				return -EINVAL;
			}
			if (!str_ok(btf, m->name_off) || !id_ok(btf, m->type) ||
			    m->type == 0 || !value_kind_ok(btf, m->type)) {
				bad(what, "type [%u] %s: member #%u has bad name offset %u or type %u",
				    id, kind == BTF_KIND_STRUCT ? "STRUCT" : "UNION", i,
				    m->name_off, m->type);
				return -EINVAL;
			}
		}
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8) {
			bad(what, "type [%u] ENUM: invalid size %u", id, t->size);
			return -EINVAL;
		}
		for (i = 0; i < vlen; i++) {
			__u32 off = kind == BTF_KIND_ENUM ? btf_enum(t)[i].name_off :
				    ((const __u32 *)(t + 1))[3 * i];

			if (!name_ok(btf, off, true)) {
				bad(what, "type [%u] ENUM: value #%u has bad name offset %u", id, i, off);
				return -EINVAL;
			}
		}
		break;
	case BTF_KIND_FWD:
	case BTF_KIND_FUNC:
		if ((kind == BTF_KIND_FWD && vlen) || (kind == BTF_KIND_FUNC && vlen > 2) ||
		    !name_ok(btf, t->name_off, true)) {
			bad(what, "type [%u] kind %u: bad name or vlen %u", id, kind, vlen);
			return -EINVAL;
		}
		if (kind == BTF_KIND_FUNC && (!id_ok(btf, t->type) ||
		    !btf_is_func_proto(evbpf__btf_type(btf, t->type)))) {
			bad(what, "type [%u] FUNC: type %u is not a FUNC_PROTO", id, t->type);
			return -EINVAL;
		}
		break;
	case BTF_KIND_FUNC_PROTO:
		if (!id_ok(btf, t->type) || !value_kind_ok(btf, t->type)) {
			bad(what, "type [%u] FUNC_PROTO: bad return type %u", id, t->type);
			return -EINVAL;
		}
		for (i = 0; i < vlen; i++) {
			const struct btf_param *p = btf_params(t) + i;

			if (!str_ok(btf, p->name_off) || !id_ok(btf, p->type) ||
			    (p->type == 0 && i + 1 != vlen) || !value_kind_ok(btf, p->type)) {
				bad(what, "type [%u] FUNC_PROTO: param #%u has bad name offset %u or type %u",
				    id, i, p->name_off, p->type);
				return -EINVAL;
			}
		}
		break;
	case BTF_KIND_VAR:
		if (vlen || !name_ok(btf, t->name_off, true) || !id_ok(btf, t->type) ||
		    t->type == 0 || !value_kind_ok(btf, t->type) || btf_var(t)->linkage > 2) {
			bad(what, "type [%u] VAR: bad name, type %u or linkage", id, t->type);
			return -EINVAL;
		}
		break;
	case BTF_KIND_DATASEC:
		if (!name_ok(btf, t->name_off, true)) {
			bad(what, "type [%u] DATASEC: missing name", id);
			return -EINVAL;
		}
		for (i = 0; i < vlen; i++) {
			const struct btf_var_secinfo *v = btf_var_secinfos(t) + i;
			const struct btf_type *vt;

			vt = id_ok(btf, v->type) ? evbpf__btf_type(btf, v->type) : NULL;
			if (!vt || (!btf_is_var(vt) && !btf_is_func(vt))) {
				bad(what, "type [%u] DATASEC: entry #%u type %u is not a VAR", id, i, v->type);
				return -EINVAL;
			}
		}
		break;
	case BTF_KIND_FLOAT:
		if (vlen || (t->size != 2 && t->size != 4 && t->size != 8 &&
			     t->size != 12 && t->size != 16)) {
			bad(what, "type [%u] FLOAT: invalid size %u", id, t->size);
			return -EINVAL;
		}
		break;
	case BTF_KIND_DECL_TAG: {
		__s32 idx = (__s32)btf_decl_tag(t)->component_idx;
		const struct btf_type *tt;

		if (vlen || !name_ok(btf, t->name_off, true) || !id_ok(btf, t->type) ||
		    t->type == 0 || idx < -1) {
			bad(what, "type [%u] DECL_TAG: bad name, type %u or index %d", id, t->type, idx);
			return -EINVAL;
		}
		tt = evbpf__btf_type(btf, t->type);
		if (idx >= 0) {
			if (btf_is_func(tt) && id_ok(btf, tt->type))
				tt = evbpf__btf_type(btf, tt->type);
			if ((!btf_is_composite(tt) && !btf_is_func_proto(tt)) ||
			    idx >= btf_vlen(tt)) {
				bad(what, "type [%u] DECL_TAG: component %d out of range of type %u",
				    id, idx, t->type);
				return -EINVAL;
			}
		}
		break;
	}
	default:
		bad(what, "type [%u]: unknown kind %u", id, kind);
		return -EINVAL;
	}
	return 0;
}

/* The id of edge @i of type @t, or -1 past the last edge. @ptrs: follow
 * pointers; @members: follow struct/union members. */
static __s64 edge(const struct btf_type *t, __u32 i, bool ptrs, bool members)
{
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		return ptrs && i == 0 ? (__s64)t->type : -1;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
		return i == 0 ? (__s64)t->type : -1;
	case BTF_KIND_ARRAY:
		return i == 0 ? (__s64)btf_array(t)->type : -1;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return members && i < btf_vlen(t) ? (__s64)btf_members(t)[i].type : -1;
	case BTF_KIND_FUNC_PROTO:
		if (i == 0)
			return t->type;
		return i <= btf_vlen(t) ? (__s64)btf_params(t)[i - 1].type : -1;
	default:
		return -1;
	}
}

/*
 * Finds a cycle among own types along the selected edges (iterative DFS:
 * hostile input may chain a million types). A cycle without members is a
 * modifier/pointer loop; one without pointers is an infinitely big type.
 */
static int check_loops(const struct btf *btf, bool ptrs, bool members, const char *what)
{
	__u32 n = btf->nr_types, s = btf->start_id, root, sp;
	struct frame { __u32 id, next; } *stack;
	__u8 *color;
	int err = 0;

	if (!n)
		return 0;
	color = calloc(n, 1);
	stack = calloc(n, sizeof(*stack));
	if (!color || !stack) {
		err = -ENOMEM;
		goto out;
	}
	for (root = 0; root < n && !err; root++) {
		if (color[root])
			continue;
		sp = 0;
		stack[sp++] = (struct frame){ s + root, 0 };
		color[root] = 1;
		while (sp) {
			struct frame *f = &stack[sp - 1];
			__s64 to = edge(evbpf__btf_type(btf, f->id), f->next++, ptrs, members);

			if (to < 0) {
				color[f->id - s] = 2;
				sp--;
				continue;
			}
			if ((__u32)to < s)
				continue;	/* base BTF was checked on its own */
			if (color[to - s] == 1) {
				bad(what, "type [%u]: reference loop through type [%u]%s",
				    f->id, (__u32)to, ptrs ? "" : " (type contains itself)");
				err = -EINVAL;
				break;
			}
			if (color[to - s] == 0) {
				color[to - s] = 1;
				stack[sp++] = (struct frame){ (__u32)to, 0 };
			}
		}
	}
out:
	free(color);
	free(stack);
	return err;
}

static int validate(const struct btf *btf, const char *what)
{
	__u32 i;
	int err;

	for (i = 0; i < btf->nr_types; i++) {
		err = check_type(btf, btf->start_id + i, what);
		if (err)
			return err;
	}
	err = check_loops(btf, true, false, what);
	if (!err)
		err = check_loops(btf, false, true, what);
	return err;
}

/* Splits btf->types into records and fills offs; swaps each record to
 * host order first when @swap. */
static int index_types(struct btf *btf, bool swap, const char *what)
{
	size_t off = 0;

	while (off < btf->types_len) {
		struct btf_type *t = (struct btf_type *)(btf->types + off);
		__u32 *w = (__u32 *)t, id = btf->start_id + btf->nr_types;
		size_t sz, i;
		int err;

		if (btf->types_len - off < sizeof(*t)) {
			bad(what, "type [%u] at offset %zu: truncated header", id, off);
			return -EINVAL;
		}
		if (swap)
			for (i = 0; i < 3; i++)
				w[i] = bswap_32(w[i]);
		if (btf_kind(t) == BTF_KIND_UNKN || btf_kind(t) > BTF_KIND_MAX) {
			bad(what, "type [%u] at offset %zu: invalid kind %u", id, off, btf_kind(t));
			return -EINVAL;
		}
		sz = evbpf__btf_type_size(t);
		if (sz > btf->types_len - off) {
			bad(what, "type [%u] at offset %zu: %zu-byte record truncated (%zu left)",
			    id, off, sz, btf->types_len - off);
			return -EINVAL;
		}
		if (swap)
			for (i = 3; i < sz / 4; i++)
				w[i] = bswap_32(w[i]);
		if (id > EVBPF_BTF_MAX_TYPE) {
			bad(what, "more than %u types", EVBPF_BTF_MAX_TYPE);
			return -E2BIG;
		}
		if (btf->nr_types == btf->offs_cap) {
			size_t cap = (size_t)btf->offs_cap * sizeof(__u32);

			err = evbpf__ensure_mem((void **)&btf->offs, &cap, 1,
					      cap + sizeof(__u32));
			if (err)
				return err;
			btf->offs_cap = (__u32)(cap / sizeof(__u32));
		}
		btf->offs[btf->nr_types++] = (__u32)off;
		off += sz;
	}
	return 0;
}

struct btf *evbpf__btf_parse_data(const void *data, __u32 size,
				  struct btf *base, const char *what)
{
	struct btf_header hdr;
	struct btf *btf = NULL;
	const char *p = data;
	bool swap;
	__u32 rest, i;
	int err = -EINVAL;

	if (!data || size < sizeof(hdr)) {
		bad(what, "%u bytes, too short for a BTF header", size);
		return evbpf__err_ptr(-EINVAL);
	}
	memcpy(&hdr, data, sizeof(hdr));
	swap = hdr.magic == bswap_16(BTF_MAGIC);
	if (!swap && hdr.magic != BTF_MAGIC) {
		bad(what, "bad magic 0x%04x at offset 0", hdr.magic);
		return evbpf__err_ptr(-EINVAL);
	}
	if (swap) {
		hdr.hdr_len = bswap_32(hdr.hdr_len);
		hdr.type_off = bswap_32(hdr.type_off);
		hdr.type_len = bswap_32(hdr.type_len);
		hdr.str_off = bswap_32(hdr.str_off);
		hdr.str_len = bswap_32(hdr.str_len);
	}
	if (hdr.version != BTF_VERSION || hdr.flags) {
		bad(what, "unsupported version %u / flags 0x%x", hdr.version, hdr.flags);
		return evbpf__err_ptr(-EINVAL);
	}
	if (hdr.hdr_len < sizeof(hdr) || hdr.hdr_len > size) {
		bad(what, "header length %u out of range (file %u bytes)", hdr.hdr_len, size);
		return evbpf__err_ptr(-EINVAL);
	}
	for (i = sizeof(hdr); i < hdr.hdr_len; i++) {
		if (p[i]) {
			bad(what, "unknown non-zero header byte at offset %u", i);
			return evbpf__err_ptr(-EINVAL);
		}
	}
	rest = size - hdr.hdr_len;
	if ((__u64)hdr.type_off + hdr.type_len > rest ||
	    (__u64)hdr.str_off + hdr.str_len > rest || hdr.type_off % 4 ||
	    hdr.type_len % 4) {
		bad(what, "types [%u+%u] or strings [%u+%u] outside the %u data bytes",
		    hdr.type_off, hdr.type_len, hdr.str_off, hdr.str_len, rest);
		return evbpf__err_ptr(-EINVAL);
	}
	if (hdr.type_len && hdr.str_len && hdr.type_off < hdr.str_off + hdr.str_len &&
	    hdr.str_off < hdr.type_off + hdr.type_len) {
		bad(what, "type and string sections overlap");
		return evbpf__err_ptr(-EINVAL);
	}
	if ((!base && hdr.str_len == 0) ||
	    (hdr.str_len && p[hdr.hdr_len + hdr.str_off + hdr.str_len - 1] != '\0') ||
	    (!base && p[hdr.hdr_len + hdr.str_off] != '\0') ||
	    hdr.str_len > EVBPF_BTF_MAX_STR_OFF) {
		bad(what, "string section at offset %u must start and end with NUL",
		    hdr.hdr_len + hdr.str_off);
		return evbpf__err_ptr(-EINVAL);
	}

	btf = evbpf__btf_alloc(base);
	if (!btf)
		return evbpf__err_ptr(-ENOMEM);
	btf->big_endian = swap ? !HOST_BIG_ENDIAN : HOST_BIG_ENDIAN;
	if (hdr.type_len) {
		btf->types = malloc(hdr.type_len);
		if (!btf->types)
			goto nomem;
		memcpy(btf->types, p + hdr.hdr_len + hdr.type_off, hdr.type_len);
		btf->types_len = btf->types_cap = hdr.type_len;
	}
	if (hdr.str_len) {
		btf->strs = malloc(hdr.str_len);
		if (!btf->strs)
			goto nomem;
		memcpy(btf->strs, p + hdr.hdr_len + hdr.str_off, hdr.str_len);
		btf->strs_len = btf->strs_cap = hdr.str_len;
	}
	err = index_types(btf, swap, what);
	if (err)
		goto fail;
	err = validate(btf, what);
	if (err)
		goto fail;
	return btf;
nomem:
	err = -ENOMEM;
fail:
	btf__free(btf);
	return evbpf__err_ptr(err);
}

struct btf *btf__new(const void *data, __u32 size)
{
	return evbpf__btf_parse_data(data, size, NULL, "<memory>");
}

struct btf *btf__new_split(const void *data, __u32 size, struct btf *base_btf)
{
	return evbpf__btf_parse_data(data, size, base_btf, "<memory>");
}

struct btf *btf__new_empty(void)
{
	return btf__new_empty_split(NULL);
}

struct btf *btf__new_empty_split(struct btf *base_btf)
{
	struct btf *btf = evbpf__btf_alloc(base_btf);

	if (!btf)
		return evbpf__err_ptr(-ENOMEM);
	if (!base_btf) {
		btf->strs = calloc(1, 64);
		if (!btf->strs) {
			btf__free(btf);
			return evbpf__err_ptr(-ENOMEM);
		}
		btf->strs_len = 1;
		btf->strs_cap = 64;
	}
	return btf;
}

struct btf *btf__new_empty_opts(struct btf_new_opts *opts)
{
	if (!OPTS_VALID(opts, btf_new_opts, add_layout))
		return evbpf__err_ptr(-EINVAL);
	if (OPTS_GET(opts, add_layout, false)) {
		pr_warn("btf_new_opts: add_layout is not supported: BTF is written without a kind layout section\n");
		return evbpf__err_ptr(-EOPNOTSUPP);
	}
	return btf__new_empty_split(OPTS_GET(opts, base_btf, NULL));
}
