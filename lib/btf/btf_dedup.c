// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btf__dedup(): merges types that are structurally the same.
 *
 * Two types are the same when they have the same "shape" (kind, name,
 * sizes, member names and offsets, enum values: everything but referenced
 * type ids) and their referenced types are the same, recursively, cycles
 * included. That is the coarsest partition stable under "shape and classes
 * of referenced types", found by partition refinement: start from classes
 * of equal shape, split by the classes of referenced types until nothing
 * splits. Each class keeps its smallest id. Forward declarations are then
 * resolved to the one struct/union of their name, when there is exactly
 * one, and the refinement runs again.
 *
 * Split BTF: only the btf's own types are merged (among themselves); ids of
 * the base stay as they are. Strings are not compacted.
 */
#include <stdlib.h>

#include "btf_layout_internal.h"

struct dedup {
	struct btf *btf;
	__u32 s, n;		/* own ids: s .. s + n - 1 */
	__u32 *cls;		/* class of own type i (index i = id - s) */
	__u32 *next;		/* scratch: new classes */
	__u32 *tab;		/* hash table of representative indexes + 1 */
	__u32 cap;
};

static __u64 mix(__u64 h, __u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static __u64 str_hash(const char *s)
{
	__u64 h = 1469598103934665603ull;

	while (s && *s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static const struct btf_type *own(const struct dedup *dd, __u32 i)
{
	return evbpf__btf_type(dd->btf, dd->s + i);
}

static const char *str(const struct dedup *dd, __u32 off)
{
	const char *s = btf__str_by_offset(dd->btf, off);

	return s ? s : "";
}

/* True when the btf_type's size/type word holds a type id. */
static bool size_is_ref(struct btf_type *t)
{
	return evbpf__btf_type_id_ref(t, 0) == &t->type;
}

/* True when trailer word @i (counted from the record start) of @t is a
 * string offset. */
static bool is_str_word(const struct btf_type *t, size_t i)
{
	size_t k = i - 3;

	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM64:
		return k % 3 == 0;
	case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_ENUM:
		return k % 2 == 0;
	default:
		return false;
	}
}

static bool is_ref_word(struct btf_type *t, const __u32 *w)
{
	__u32 j, *r;

	for (j = 0; (r = evbpf__btf_type_id_ref(t, j)); j++)
		if (r == w)
			return true;
	return false;
}

/* Hash of everything but referenced type ids; strings by content. */
static __u64 shape_hash(const struct dedup *dd, const struct btf_type *t)
{
	struct btf_type *m = (struct btf_type *)t;
	size_t words = evbpf__btf_type_size(t) / 4, i;
	const __u32 *w = (const __u32 *)t;
	__u64 h = mix(t->info, str_hash(str(dd, t->name_off)));

	if (!size_is_ref(m))
		h = mix(h, t->size);
	for (i = 3; i < words; i++) {
		if (is_ref_word(m, &w[i]))
			continue;
		h = mix(h, is_str_word(t, i) ? str_hash(str(dd, w[i])) : w[i]);
	}
	return h;
}

static bool shape_eq(const struct dedup *dd, const struct btf_type *a, const struct btf_type *b)
{
	struct btf_type *ma = (struct btf_type *)a;
	size_t words = evbpf__btf_type_size(a) / 4, i;
	const __u32 *wa = (const __u32 *)a, *wb = (const __u32 *)b;

	if (a->info != b->info || strcmp(str(dd, a->name_off), str(dd, b->name_off)))
		return false;
	if (!size_is_ref(ma) && a->size != b->size)
		return false;
	for (i = 3; i < words; i++) {
		if (is_ref_word(ma, &wa[i]))
			continue;
		if (is_str_word(a, i) ? strcmp(str(dd, wa[i]), str(dd, wb[i])) != 0
				      : wa[i] != wb[i])
			return false;
	}
	return true;
}

/* Class key of a referenced id: base ids are their own class. */
static __u64 ref_cls(const struct dedup *dd, __u32 id)
{
	return id < dd->s ? id : (__u64)dd->s + dd->cls[id - dd->s];
}

/* Assigns classes by (previous class [or shape], classes of refs). */
static __u32 assign(struct dedup *dd, bool by_shape)
{
	__u32 i, classes = 0;

	memset(dd->tab, 0, dd->cap * sizeof(*dd->tab));
	for (i = 0; i < dd->n; i++) {
		struct btf_type *t = (struct btf_type *)own(dd, i);
		__u64 h;
		__u32 k, j, *r;

		if (btf_is_datasec(t)) {	/* never merged */
			dd->next[i] = classes++;
			continue;
		}
		if (by_shape) {
			h = shape_hash(dd, t);
		} else {
			h = mix(dd->cls[i], 0);
			for (j = 0; (r = evbpf__btf_type_id_ref(t, j)); j++)
				h = mix(h, ref_cls(dd, *r));
		}
		for (k = (__u32)h & (dd->cap - 1);; k = (k + 1) & (dd->cap - 1)) {
			__u32 o;
			struct btf_type *ot;
			bool same = true;

			if (!dd->tab[k]) {
				dd->tab[k] = i + 1;
				dd->next[i] = classes++;
				break;
			}
			o = dd->tab[k] - 1;
			ot = (struct btf_type *)own(dd, o);
			if (btf_is_datasec(ot))
				continue;
			if (by_shape) {
				same = shape_eq(dd, t, ot);
			} else {
				if (dd->cls[o] != dd->cls[i])
					continue;
				for (j = 0; same && (r = evbpf__btf_type_id_ref(t, j)); j++)
					same = ref_cls(dd, *r) ==
					       ref_cls(dd, *evbpf__btf_type_id_ref(ot, j));
			}
			if (same) {
				dd->next[i] = dd->next[o];
				break;
			}
		}
	}
	memcpy(dd->cls, dd->next, dd->n * sizeof(*dd->cls));
	return classes;
}

static void refine(struct dedup *dd)
{
	__u32 before = assign(dd, true), after;

	for (;;) {
		after = assign(dd, false);
		if (after == before)
			return;
		before = after;
	}
}

/* Points references to a FWD at the single struct/union class of that
 * name and kind; returns how many FWDs were resolved. */
static __u32 resolve_fwds(struct dedup *dd, __u32 *rep, __u32 *alias)
{
	__u32 i, j, resolved = 0, *r;

	for (i = 0; i < dd->n; i++) {
		const struct btf_type *f = own(dd, i);
		const char *name;
		__u32 target = 0;
		bool unique = true;

		if (!btf_is_fwd(f))
			continue;
		name = str(dd, f->name_off);
		for (j = 0; j < dd->n && unique; j++) {
			const struct btf_type *t = own(dd, j);

			if (!btf_is_composite(t) || btf_is_union(t) != btf_kflag(f) ||
			    strcmp(str(dd, t->name_off), name))
				continue;
			if (target && rep[j] != rep[target - 1])
				unique = false;
			target = j + 1;
		}
		if (!target || !unique)
			continue;
		alias[i] = target;
		/* Rewrite every reference to this FWD. */
		for (j = 0; j < dd->n; j++) {
			struct btf_type *t = evbpf__btf_own_type(dd->btf, dd->s + j);
			__u32 k;

			for (k = 0; (r = evbpf__btf_type_id_ref(t, k)); k++)
				if (*r == dd->s + i)
					*r = dd->s + rep[target - 1];
		}
		resolved++;
	}
	return resolved;
}

/* rep[i]: index of the smallest member of i's class. */
static void representatives(struct dedup *dd, __u32 *rep)
{
	__u32 i, classes = 0, *first;

	for (i = 0; i < dd->n; i++)
		classes = evbpf__max(classes, dd->cls[i] + 1);
	first = dd->next;	/* reuse scratch: first index of each class */
	for (i = 0; i < classes; i++)
		first[i] = UINT32_MAX;
	for (i = 0; i < dd->n; i++) {
		if (first[dd->cls[i]] == UINT32_MAX)
			first[dd->cls[i]] = i;
		rep[i] = first[dd->cls[i]];
	}
}

struct remap_ctx {
	const struct dedup *dd;
	const __u32 *rep, *new_id;
};

static __u32 remap(__u32 id, void *vctx)
{
	const struct remap_ctx *c = vctx;

	if (id < c->dd->s || id - c->dd->s >= c->dd->n)
		return id;
	return c->new_id[c->rep[id - c->dd->s]];
}

int btf__dedup(struct btf *btf, const struct btf_dedup_opts *opts)
{
	struct dedup dd = { .btf = btf };
	__u32 *rep = NULL, *new_id = NULL, *offs = NULL, *alias = NULL, i, kept = 0, *r, k;
	struct btf_ext *ext;
	struct remap_ctx rc;
	char *types = NULL;
	size_t len = 0;
	int err = 0;

	if (!btf || !OPTS_VALID(opts, btf_dedup_opts, force_collisions))
		return evbpf__err(-EINVAL);
	ext = OPTS_GET(opts, btf_ext, NULL);
	dd.s = btf->start_id;
	dd.n = btf->nr_types;
	if (!dd.n)
		return 0;
	for (dd.cap = 64; dd.cap < 2 * dd.n; dd.cap *= 2)
		;
	dd.cls = calloc(dd.n, sizeof(__u32));
	dd.next = calloc(dd.n, sizeof(__u32));
	dd.tab = calloc(dd.cap, sizeof(__u32));
	rep = calloc(dd.n, sizeof(__u32));
	new_id = calloc(dd.n, sizeof(__u32));
	offs = calloc(dd.n, sizeof(__u32));
	alias = calloc(dd.n, sizeof(__u32));
	types = malloc(btf->types_len ? btf->types_len : 1);
	if (!dd.cls || !dd.next || !dd.tab || !rep || !new_id || !offs || !alias || !types) {
		err = -ENOMEM;
		goto out;
	}
	refine(&dd);
	representatives(&dd, rep);
	if (resolve_fwds(&dd, rep, alias)) {
		refine(&dd);
		representatives(&dd, rep);
		/* a resolved FWD becomes its struct */
		for (i = 0; i < dd.n; i++)
			if (alias[i])
				rep[i] = rep[alias[i] - 1];
	}

	/* Keep one type per class, in id order, remapping references. */
	for (i = 0; i < dd.n; i++) {
		if (rep[i] == i)
			new_id[i] = dd.s + kept++;
	}
	rc = (struct remap_ctx){ &dd, rep, new_id };
	kept = 0;
	for (i = 0; i < dd.n; i++) {
		const struct btf_type *t = own(&dd, i);
		size_t sz = evbpf__btf_type_size(t);

		if (rep[i] != i)
			continue;
		memcpy(types + len, t, sz);
		for (k = 0; (r = evbpf__btf_type_id_ref((struct btf_type *)(types + len), k)); k++)
			*r = remap(*r, &rc);
		offs[kept++] = (__u32)len;
		len += sz;
	}
	if (ext)
		evbpf__btf_ext_remap_types(ext, remap, &rc);
	evbpf__btf_set_types(btf, types, len, offs, kept);
out:
	free(dd.cls);
	free(dd.next);
	free(dd.tab);
	free(rep);
	free(new_id);
	free(offs);
	free(alias);
	free(types);
	return evbpf__err(err);
}
