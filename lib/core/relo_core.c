// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The CO-RE relocation engine, kernel-free: parse a relocation's access
 * string against the object's BTF, match it against candidate target
 * types, compute the value the instruction needs and patch it.
 *
 * Semantics follow libbpf's documented CO-RE rules (and clang's relocation
 * encoding, see the kernel's Documentation/bpf/llvm_reloc.rst):
 *  - field relocations walk the access string: the first index is an array
 *    index into the root type, later ones are member or element indexes;
 *    named members are matched by name in the target (anonymous
 *    struct/union members are searched through), array indexes must stay
 *    in bounds (flexible trailing arrays excepted);
 *  - type relocations compare whole types (a shallow "compatible" relation,
 *    or the deep "matches" relation for TYPE_MATCHES);
 *  - enum value relocations match enumerators by name;
 *  - "___suffix" flavors are ignored when comparing type names;
 *  - several candidates must agree, else the relocation is refused.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <endian.h>

#include "base/base_internal.h"
#include "btf/btf_internal.h"
#include "core_engine_internal.h"

static const char *const kind_strs[] = {
	[BPF_CORE_FIELD_BYTE_OFFSET] = "byte_off",
	[BPF_CORE_FIELD_BYTE_SIZE] = "byte_sz",
	[BPF_CORE_FIELD_EXISTS] = "field_exists",
	[BPF_CORE_FIELD_SIGNED] = "signed",
	[BPF_CORE_FIELD_LSHIFT_U64] = "lshift_u64",
	[BPF_CORE_FIELD_RSHIFT_U64] = "rshift_u64",
	[BPF_CORE_TYPE_ID_LOCAL] = "local_type_id",
	[BPF_CORE_TYPE_ID_TARGET] = "target_type_id",
	[BPF_CORE_TYPE_EXISTS] = "type_exists",
	[BPF_CORE_TYPE_SIZE] = "type_size",
	[BPF_CORE_ENUMVAL_EXISTS] = "enumval_exists",
	[BPF_CORE_ENUMVAL_VALUE] = "enumval_value",
	[BPF_CORE_TYPE_MATCHES] = "type_matches",
};

const char *evbpf__core_kind_str(enum bpf_core_relo_kind kind)
{
	if ((unsigned int)kind < ARRAY_SIZE(kind_strs) && kind_strs[kind])
		return kind_strs[kind];
	return "unknown";
}

const char *evbpf__core_kind_name(const struct btf_type *t)
{
	static const char *const names[] = {
		"void", "int", "ptr", "array", "struct", "union", "enum",
		"fwd", "typedef", "volatile", "const", "restrict", "func",
		"func_proto", "var", "datasec", "float", "decl_tag",
		"type_tag", "enum64",
	};
	unsigned int k = btf_kind(t);

	if (k == BTF_KIND_FWD)
		return btf_kflag(t) ? "union" : "struct";
	return k < ARRAY_SIZE(names) ? names[k] : "unknown";
}

static bool str_empty(const char *s)
{
	return !s || !*s;
}

static const char *name_of(const struct btf *btf, __u32 off)
{
	const char *s = btf__name_by_offset(btf, off);

	return s ? s : "";
}

/* "X___Y" with X and Y not underscores marks where a flavor begins. */
size_t evbpf__core_essential_name_len(const char *name)
{
	size_t n = strlen(name);
	size_t i;

	if (n < 5)
		return n;
	for (i = n - 4; i-- > 0;) {
		if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' &&
		    name[i + 3] == '_' && name[i + 4] != '_')
			return i + 1;
	}
	return n;
}

const struct btf_type *evbpf__core_skip_mods_typedefs(const struct btf *btf,
						      __u32 id, __u32 *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int guard = 0;

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		if (++guard > 1024)
			return NULL;	/* a loop in malformed BTF */
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (t && res_id)
		*res_id = id;
	return t;
}

#define skip_mt evbpf__core_skip_mods_typedefs

/* ---- spec parsing ---- */

/* A zero-length (or unsized) array that is the last member of a struct
 * reached through @prev: indexes into it are not bounds-checked. */
static bool is_flex_arr(const struct btf *btf, const struct evbpf__core_acc *prev,
			const struct btf_array *arr)
{
	const struct btf_type *t;

	if (!prev->name || arr->nelems > 0)
		return false;
	t = btf__type_by_id(btf, prev->type_id);
	return t && btf_is_composite(t) && prev->idx == (__u32)btf_vlen(t) - 1;
}

static int parse_access_str(const char *s, struct evbpf__core_spec *spec)
{
	if (str_empty(s) || *s == ':')
		return -EINVAL;
	while (*s) {
		unsigned long v;
		char *end;

		if (*s == ':')
			s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || v > INT_MAX)
			return -EINVAL;
		if (spec->raw_len == EVBPF_CORE_SPEC_MAX)
			return -E2BIG;
		spec->raw[spec->raw_len++] = (__u32)v;
		s = end;
		if (*s && *s != ':')
			return -EINVAL;
	}
	return spec->raw_len ? 0 : -EINVAL;
}

int evbpf__core_parse_spec(const struct btf *btf, const struct bpf_core_relo *relo,
			   struct evbpf__core_spec *spec)
{
	const char *str = btf__str_by_offset(btf, relo->access_str_off);
	const struct btf_type *t;
	struct evbpf__core_acc *acc;
	__u32 id = relo->type_id;
	__s64 sz;
	int i, err;

	memset(spec, 0, offsetof(struct evbpf__core_spec, acc));
	spec->btf = btf;
	spec->root_type_id = relo->type_id;
	spec->kind = relo->kind;

	if (relo->type_id == 0 || !btf__type_by_id(btf, relo->type_id))
		return -EINVAL;
	if (!str)
		return -EINVAL;

	if (evbpf__core_kind_is_type(relo->kind))
		return strcmp(str, "0") ? -EINVAL : 0;

	err = parse_access_str(str, spec);
	if (err)
		return err;

	t = skip_mt(btf, id, &id);
	if (!t)
		return -EINVAL;
	acc = &spec->acc[0];
	acc->type_id = id;
	acc->idx = spec->raw[0];
	acc->name = NULL;
	spec->len = 1;

	if (evbpf__core_kind_is_enumval(relo->kind)) {
		__u32 off;

		if (!btf_is_any_enum(t) || spec->raw_len > 1 || acc->idx >= btf_vlen(t))
			return -EINVAL;
		off = btf_is_enum(t) ? btf_enum(t)[acc->idx].name_off
				     : ((const __u32 *)btf_enum64(t))[acc->idx * 3];
		acc->name = name_of(btf, off);
		return 0;
	}

	if (!evbpf__core_kind_is_field(relo->kind))
		return -EINVAL;

	sz = btf__resolve_size(btf, id);
	if (sz < 0)
		return (int)sz;
	spec->bit_offset = (__u32)((__u64)spec->raw[0] * (__u64)sz * 8);

	for (i = 1; i < spec->raw_len; i++) {
		__u32 idx = spec->raw[i];

		t = skip_mt(btf, id, &id);
		if (!t)
			return -EINVAL;
		acc = &spec->acc[spec->len];

		if (btf_is_composite(t)) {
			const struct btf_member *m;

			if (idx >= btf_vlen(t))
				return -EINVAL;
			m = btf_members(t) + idx;
			spec->bit_offset += btf_member_bit_offset(t, idx);
			if (m->name_off) {
				const char *name = btf__name_by_offset(btf, m->name_off);

				if (str_empty(name))
					return -EINVAL;
				acc->type_id = id;
				acc->idx = idx;
				acc->name = name;
				spec->len++;
			}
			id = m->type;
		} else if (btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);
			bool flex;

			if (!skip_mt(btf, a->type, &id))
				return -EINVAL;
			flex = is_flex_arr(btf, acc - 1, a);
			if (!flex && idx >= a->nelems)
				return -EINVAL;
			acc->type_id = id;
			acc->idx = idx;
			acc->name = NULL;
			spec->len++;
			sz = btf__resolve_size(btf, id);
			if (sz < 0)
				return (int)sz;
			spec->bit_offset += (__u32)((__u64)idx * (__u64)sz * 8);
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- type relations ---- */

/* Essential names equal; an anonymous target matches an anonymous local
 * only. */
static bool names_match(const struct btf *l_btf, __u32 l_off,
			const struct btf *t_btf, __u32 t_off)
{
	const char *l = name_of(l_btf, l_off);
	const char *t = name_of(t_btf, t_off);
	size_t ll, tl;

	if (!*t)
		return !*l;
	ll = evbpf__core_essential_name_len(l);
	tl = evbpf__core_essential_name_len(t);
	return ll == tl && strncmp(l, t, ll) == 0;
}

/* Skips modifiers and typedefs from @lid and @tid (both updated) to the
 * types @lt and @tt; -EINVAL when either side is not a valid type. */
static int skip_mt_both(const struct btf *lbtf, __u32 *lid,
			const struct btf_type **lt, const struct btf *tbtf,
			__u32 *tid, const struct btf_type **tt)
{
	*lt = skip_mt(lbtf, *lid, lid);
	*tt = skip_mt(tbtf, *tid, tid);
	return *lt && *tt ? 0 : -EINVAL;
}

/* Whether a local member type can be read as the target member type. */
static int fields_are_compat(const struct btf *lbtf, __u32 lid,
			     const struct btf *tbtf, __u32 tid)
{
	const struct btf_type *lt, *tt;
	int depth;

	for (depth = 0; depth < 64; depth++) {
		if (skip_mt_both(lbtf, &lid, &lt, tbtf, &tid, &tt))
			return -EINVAL;
		if (btf_is_composite(lt) && btf_is_composite(tt))
			return 1;
		if (!btf_kind_core_compat(lt, tt))
			return 0;
		switch (btf_kind(lt)) {
		case BTF_KIND_PTR:
		case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			return names_match(lbtf, lt->name_off, tbtf, tt->name_off);
		case BTF_KIND_INT:
			/* bit offsets inside INT encodings are a relic; refuse */
			return btf_int_offset(lt) == 0 && btf_int_offset(tt) == 0;
		case BTF_KIND_ARRAY:
			lid = btf_array(lt)->type;
			tid = btf_array(tt)->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

static int types_compat(const struct btf *lbtf, __u32 lid,
			const struct btf *tbtf, __u32 tid, int level)
{
	const struct btf_type *lt, *tt;
	int depth = 32;

	/* the roots themselves (a typedef stays a typedef) */
	lt = btf__type_by_id(lbtf, lid);
	tt = btf__type_by_id(tbtf, tid);
	if (!lt || !tt)
		return -EINVAL;
	if (!btf_kind_core_compat(lt, tt))
		return 0;

	for (;;) {
		if (--depth < 0)
			return -EINVAL;
		if (skip_mt_both(lbtf, &lid, &lt, tbtf, &tid, &tt))
			return -EINVAL;
		if (!btf_kind_core_compat(lt, tt))
			return 0;

		switch (btf_kind(lt)) {
		case BTF_KIND_UNKN:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_FWD:
			return 1;
		case BTF_KIND_INT:
			return btf_int_offset(lt) == 0 && btf_int_offset(tt) == 0;
		case BTF_KIND_PTR:
			lid = lt->type;
			tid = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			lid = btf_array(lt)->type;
			tid = btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *lp = btf_params(lt);
			const struct btf_param *tp = btf_params(tt);
			int i, err;

			if (btf_vlen(lt) != btf_vlen(tt))
				return 0;
			for (i = 0; i < btf_vlen(lt); i++) {
				__u32 lp_id = 0, tp_id = 0;

				if (level <= 0)
					return -EINVAL;
				/* params are compared from their resolved types */
				if (!skip_mt(lbtf, lp[i].type, &lp_id) ||
				    !skip_mt(tbtf, tp[i].type, &tp_id))
					return -EINVAL;
				err = types_compat(lbtf, lp_id, tbtf, tp_id, level - 1);
				if (err <= 0)
					return err;
			}
			if (!skip_mt(lbtf, lt->type, &lid) || !skip_mt(tbtf, tt->type, &tid))
				return -EINVAL;
			continue;
		}
		default:
			return 0;
		}
	}
}

int evbpf__core_types_are_compat(const struct btf *local_btf, __u32 local_id,
				 const struct btf *targ_btf, __u32 targ_id)
{
	return types_compat(local_btf, local_id, targ_btf, targ_id, 32);
}

static __u32 enum_name_off(const struct btf_type *t, int i)
{
	return btf_is_enum(t) ? btf_enum(t)[i].name_off
			      : ((const __u32 *)btf_enum64(t))[i * 3];
}

static int enums_match(const struct btf *lbtf, const struct btf_type *lt,
		       const struct btf *tbtf, const struct btf_type *tt)
{
	int i, j;

	if (lt->size != tt->size || btf_vlen(lt) > btf_vlen(tt))
		return 0;
	for (i = 0; i < btf_vlen(lt); i++) {
		bool found = false;

		for (j = 0; j < btf_vlen(tt) && !found; j++)
			found = names_match(lbtf, enum_name_off(lt, i), tbtf, enum_name_off(tt, j));
		if (!found)
			return 0;
	}
	return 1;
}

static int types_match(const struct btf *lbtf, __u32 lid, const struct btf *tbtf,
		       __u32 tid, bool behind_ptr, int level);

static int composites_match(const struct btf *lbtf, const struct btf_type *lt,
			    const struct btf *tbtf, const struct btf_type *tt,
			    bool behind_ptr, int level)
{
	const struct btf_member *lm = btf_members(lt);
	int i, j, err;

	if (btf_vlen(lt) > btf_vlen(tt))
		return 0;
	for (i = 0; i < btf_vlen(lt); i++, lm++) {
		const struct btf_member *tm = btf_members(tt);
		bool found = false;

		for (j = 0; j < btf_vlen(tt) && !found; j++, tm++) {
			if (!names_match(lbtf, lm->name_off, tbtf, tm->name_off))
				continue;
			err = types_match(lbtf, lm->type, tbtf, tm->type, behind_ptr, level - 1);
			if (err < 0)
				return err;
			found = err > 0;
		}
		if (!found)
			return 0;
	}
	return 1;
}

static int types_match(const struct btf *lbtf, __u32 lid, const struct btf *tbtf,
		       __u32 tid, bool behind_ptr, int level)
{
	const struct btf_type *lt, *tt;
	int depth = 32;
	__u16 lk, tk;

	if (level <= 0)
		return -EINVAL;
	for (;;) {
		if (--depth < 0)
			return -EINVAL;
		if (skip_mt_both(lbtf, &lid, &lt, tbtf, &tid, &tt))
			return -EINVAL;
		if (!names_match(lbtf, lt->name_off, tbtf, tt->name_off))
			return 0;
		lk = btf_kind(lt);
		tk = btf_kind(tt);

		switch (lk) {
		case BTF_KIND_UNKN:
			return lk == tk;
		case BTF_KIND_FWD:
			if (behind_ptr) {
				if (lk == tk)
					return btf_kflag(lt) == btf_kflag(tt);
				/* a forward declaration's kflag says union */
				return (tk == BTF_KIND_STRUCT && !btf_kflag(lt)) ||
				       (tk == BTF_KIND_UNION && btf_kflag(lt));
			}
			return lk == tk && btf_kflag(lt) == btf_kflag(tt);
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (!btf_is_any_enum(tt))
				return 0;
			return enums_match(lbtf, lt, tbtf, tt);
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (behind_ptr) {
				if (lk == tk)
					return 1;
				if (tk != BTF_KIND_FWD)
					return 0;
				return (lk == BTF_KIND_UNION) == btf_kflag(tt);
			}
			if (lk != tk)
				return 0;
			return composites_match(lbtf, lt, tbtf, tt, behind_ptr, level);
		case BTF_KIND_INT:
			if (lk != tk)
				return 0;
			return lt->size == tt->size &&
			       (btf_int_encoding(lt) & BTF_INT_SIGNED) ==
			       (btf_int_encoding(tt) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (lk != tk)
				return 0;
			behind_ptr = true;
			lid = lt->type;
			tid = tt->type;
			continue;
		case BTF_KIND_ARRAY:
			if (lk != tk || btf_array(lt)->nelems != btf_array(tt)->nelems)
				return 0;
			lid = btf_array(lt)->type;
			tid = btf_array(tt)->type;
			continue;
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *lp = btf_params(lt);
			const struct btf_param *tp = btf_params(tt);
			int i, err;

			if (lk != tk || btf_vlen(lt) != btf_vlen(tt))
				return 0;
			for (i = 0; i < btf_vlen(lt); i++) {
				err = types_match(lbtf, lp[i].type, tbtf, tp[i].type,
						  behind_ptr, level - 1);
				if (err <= 0)
					return err;
			}
			lid = lt->type;
			tid = tt->type;
			continue;
		}
		default:
			return 0;
		}
	}
}

int evbpf__core_types_match(const struct btf *local_btf, __u32 local_id,
			    const struct btf *targ_btf, __u32 targ_id)
{
	return types_match(local_btf, local_id, targ_btf, targ_id, false, 32);
}

/* ---- matching a spec against a candidate ---- */

/*
 * Looks for the member named by local accessor @lacc in target composite
 * @tid, descending into anonymous members; on success the path taken is
 * appended to @spec and *@next_id is the member's type.
 */
static int match_member(const struct btf *lbtf, const struct evbpf__core_acc *lacc,
			const struct btf *tbtf, __u32 tid,
			struct evbpf__core_spec *spec, __u32 *next_id, int depth)
{
	const struct btf_type *lt = btf__type_by_id(lbtf, lacc->type_id);
	const struct btf_member *lm, *m;
	const struct btf_type *tt;
	int i, found;

	if (!lt || depth > EVBPF_CORE_SPEC_MAX)
		return -EINVAL;
	lm = btf_members(lt) + lacc->idx;
	tt = skip_mt(tbtf, tid, &tid);
	if (!tt)
		return -EINVAL;
	if (!btf_is_composite(tt))
		return 0;

	m = btf_members(tt);
	for (i = 0; i < btf_vlen(tt); i++, m++) {
		__u32 bit_off = btf_member_bit_offset(tt, i);
		const char *tname;

		if (spec->raw_len == EVBPF_CORE_SPEC_MAX)
			return -E2BIG;
		/* tentatively take this member */
		spec->bit_offset += bit_off;
		spec->raw[spec->raw_len++] = i;

		tname = name_of(tbtf, m->name_off);
		if (!*tname) {
			found = match_member(lbtf, lacc, tbtf, m->type, spec, next_id,
					     depth + 1);
			if (found)
				return found;
		} else if (strcmp(lacc->name, tname) == 0) {
			struct evbpf__core_acc *tacc = &spec->acc[spec->len++];

			tacc->type_id = tid;
			tacc->idx = i;
			tacc->name = tname;
			*next_id = m->type;
			found = fields_are_compat(lbtf, lm->type, tbtf, m->type);
			if (!found)
				spec->len--;
			return found;
		}
		spec->bit_offset -= bit_off;
		spec->raw_len--;
	}
	return 0;
}

int evbpf__core_spec_match(const struct evbpf__core_spec *local,
			   const struct btf *targ_btf, __u32 targ_id,
			   struct evbpf__core_spec *targ)
{
	const struct evbpf__core_acc *lacc;
	struct evbpf__core_acc *tacc;
	const struct btf_type *tt;
	int i, found;

	memset(targ, 0, offsetof(struct evbpf__core_spec, acc));
	targ->btf = targ_btf;
	targ->root_type_id = targ_id;
	targ->kind = local->kind;

	if (evbpf__core_kind_is_type(local->kind)) {
		if (local->kind == BPF_CORE_TYPE_MATCHES)
			return evbpf__core_types_match(local->btf, local->root_type_id,
						       targ_btf, targ_id);
		return evbpf__core_types_are_compat(local->btf, local->root_type_id,
						    targ_btf, targ_id);
	}

	lacc = &local->acc[0];
	tacc = &targ->acc[0];

	if (evbpf__core_kind_is_enumval(local->kind)) {
		size_t llen = evbpf__core_essential_name_len(lacc->name);

		tt = skip_mt(targ_btf, targ_id, &targ_id);
		if (!tt || !btf_is_any_enum(tt))
			return 0;
		for (i = 0; i < btf_vlen(tt); i++) {
			const char *tname = name_of(targ_btf, enum_name_off(tt, i));

			if (evbpf__core_essential_name_len(tname) != llen ||
			    strncmp(lacc->name, tname, llen))
				continue;
			tacc->type_id = targ_id;
			tacc->idx = i;
			tacc->name = tname;
			targ->len = 1;
			targ->raw[0] = i;
			targ->raw_len = 1;
			return 1;
		}
		return 0;
	}

	if (!evbpf__core_kind_is_field(local->kind))
		return -EINVAL;

	for (i = 0; i < local->len; i++, lacc++, tacc++) {
		tt = skip_mt(targ_btf, targ_id, &targ_id);
		if (!tt)
			return -EINVAL;

		if (lacc->name) {
			found = match_member(local->btf, lacc, targ_btf, targ_id, targ,
					     &targ_id, 0);
			if (found <= 0)
				return found;
			/* match_member appended the accessor itself */
			tacc = &targ->acc[targ->len - 1];
		} else {
			__s64 sz;

			/* index 0 applies to the root itself; later ones need
			 * an array here */
			if (i > 0) {
				const struct btf_array *a;

				if (!btf_is_array(tt))
					return 0;
				a = btf_array(tt);
				if (!is_flex_arr(targ_btf, tacc - 1, a) && lacc->idx >= a->nelems)
					return 0;
				if (!skip_mt(targ_btf, a->type, &targ_id))
					return -EINVAL;
			}
			if (targ->raw_len == EVBPF_CORE_SPEC_MAX)
				return -E2BIG;
			tacc->type_id = targ_id;
			tacc->idx = lacc->idx;
			tacc->name = NULL;
			targ->len++;
			targ->raw[targ->raw_len++] = lacc->idx;
			sz = btf__resolve_size(targ_btf, targ_id);
			if (sz < 0)
				return (int)sz;
			targ->bit_offset += (__u32)((__u64)lacc->idx * (__u64)sz * 8);
		}
	}
	return 1;
}

/* ---- computing values ---- */

#define POISON_REQ (-EUCLEAN)

static int calc_field(const struct evbpf__core_spec *spec, enum bpf_core_relo_kind kind,
		      __u64 *val, __u32 *field_sz, __u32 *type_id, bool *validate)
{
	const struct evbpf__core_acc *acc;
	const struct btf_type *t, *mt;
	const struct btf_member *m;
	__u32 byte_off, byte_sz, bit_off, bit_sz, field_type_id = 0;
	bool bitfield;
	__s64 sz;

	*field_sz = 0;
	if (kind == BPF_CORE_FIELD_EXISTS) {
		*val = spec ? 1 : 0;
		return 0;
	}
	if (!spec)
		return POISON_REQ;

	acc = &spec->acc[spec->len - 1];
	t = btf__type_by_id(spec->btf, acc->type_id);
	if (!t)
		return -EINVAL;

	if (!acc->name) {
		/* the path ends in an array element (or the root) */
		sz = btf__resolve_size(spec->btf, acc->type_id);
		if (sz < 0)
			return -EINVAL;
		if (kind == BPF_CORE_FIELD_BYTE_OFFSET) {
			*val = spec->bit_offset / 8;
			*field_sz = (__u32)sz;
			*type_id = acc->type_id;
		} else if (kind == BPF_CORE_FIELD_BYTE_SIZE) {
			*val = (__u64)sz;
		} else {
			return -EINVAL;
		}
		if (validate)
			*validate = true;
		return 0;
	}

	m = btf_members(t) + acc->idx;
	mt = skip_mt(spec->btf, m->type, &field_type_id);
	if (!mt)
		return -EINVAL;
	bit_off = spec->bit_offset;
	bit_sz = btf_member_bitfield_size(t, acc->idx);
	bitfield = bit_sz > 0;

	if (bitfield) {
		byte_sz = mt->size;
		if (byte_sz == 0 || byte_sz > 8)
			return -EINVAL;
		byte_off = bit_off / 8 / byte_sz * byte_sz;
		/* grow the load until it covers the whole bitfield */
		while (bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
			if (byte_sz >= 8)
				return -E2BIG;
			byte_sz *= 2;
			byte_off = bit_off / 8 / byte_sz * byte_sz;
		}
	} else {
		sz = btf__resolve_size(spec->btf, field_type_id);
		if (sz < 0)
			return -EINVAL;
		byte_sz = (__u32)sz;
		byte_off = bit_off / 8;
		bit_sz = byte_sz * 8;
	}

	/* the compiler's bitfield values may legitimately differ from ours */
	if (validate)
		*validate = !bitfield;

	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		if (!bitfield) {
			*field_sz = byte_sz;
			*type_id = field_type_id;
		}
		break;
	case BPF_CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		break;
	case BPF_CORE_FIELD_SIGNED:
		*val = (btf_is_any_enum(mt) && btf_kflag(mt)) ||
		       (btf_is_int(mt) && (btf_int_encoding(mt) & BTF_INT_SIGNED));
		if (validate)
			*validate = true;
		break;
	case BPF_CORE_FIELD_LSHIFT_U64:
#if __BYTE_ORDER == __LITTLE_ENDIAN
		*val = 64 - (bit_off + bit_sz - byte_off * 8);
#else
		*val = (8 - byte_sz) * 8 + (bit_off - byte_off * 8);
#endif
		break;
	case BPF_CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		if (validate)
			*validate = true;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return 0;
}

static int calc_type(const struct evbpf__core_spec *spec, enum bpf_core_relo_kind kind,
		     __u64 *val, bool *validate)
{
	__s64 sz;

	if (!spec) {
		/* a missing type reads as 0 for every type relocation */
		*val = 0;
		return 0;
	}
	switch (kind) {
	case BPF_CORE_TYPE_ID_LOCAL:
		*val = spec->root_type_id;
		if (validate)
			*validate = false;	/* ids move when objects are linked */
		break;
	case BPF_CORE_TYPE_ID_TARGET:
		*val = spec->root_type_id;
		if (validate)
			*validate = false;	/* the compiled local id may move */
		break;
	case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_MATCHES:
		*val = 1;
		break;
	case BPF_CORE_TYPE_SIZE:
		sz = btf__resolve_size(spec->btf, spec->root_type_id);
		if (sz < 0)
			return -EINVAL;
		*val = (__u64)sz;
		break;
	default:
		return -EOPNOTSUPP;
	}
	return 0;
}

static int calc_enumval(const struct evbpf__core_spec *spec, enum bpf_core_relo_kind kind,
			__u64 *val)
{
	const struct btf_type *t;

	switch (kind) {
	case BPF_CORE_ENUMVAL_EXISTS:
		*val = spec ? 1 : 0;
		return 0;
	case BPF_CORE_ENUMVAL_VALUE:
		if (!spec)
			return POISON_REQ;
		t = btf__type_by_id(spec->btf, spec->acc[0].type_id);
		if (!t)
			return -EINVAL;
		if (btf_is_enum(t))
			*val = (__u64)(__s64)btf_enum(t)[spec->acc[0].idx].val;
		else
			*val = btf_enum64_value((const struct btf_enum64 *)
						((const __u32 *)btf_enum64(t) + spec->acc[0].idx * 3));
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* Value of @local and (optional) @targ for one candidate. */
static int calc_one(const struct evbpf__core_spec *local,
		    const struct evbpf__core_spec *targ, struct evbpf__core_res *res)
{
	enum bpf_core_relo_kind kind = local->kind;
	int err = -EOPNOTSUPP;

	memset(res, 0, sizeof(*res));
	res->validate = true;

	if (evbpf__core_kind_is_field(kind)) {
		err = calc_field(local, kind, &res->orig_val, &res->orig_sz,
				 &res->orig_type_id, &res->validate);
		if (!err)
			err = calc_field(targ, kind, &res->new_val, &res->new_sz,
					 &res->new_type_id, NULL);
		if (!err && res->orig_sz != res->new_sz) {
			const struct btf_type *ot, *nt;

			ot = btf__type_by_id(local->btf, res->orig_type_id);
			nt = btf__type_by_id(targ->btf, res->new_type_id);
			/* narrowing or widening a load is only value-preserving
			 * for pointers and unsigned integers */
			if (ot && nt && btf_is_ptr(ot) && btf_is_ptr(nt))
				;
			else if (ot && nt && btf_is_int(ot) && btf_is_int(nt) &&
				 !(btf_int_encoding(ot) & BTF_INT_SIGNED) &&
				 !(btf_int_encoding(nt) & BTF_INT_SIGNED))
				;
			else
				res->fail_memsz_adjust = true;
		}
	} else if (evbpf__core_kind_is_type(kind)) {
		err = calc_type(local, kind, &res->orig_val, &res->validate);
		if (!err)
			err = calc_type(targ, kind, &res->new_val, NULL);
	} else if (evbpf__core_kind_is_enumval(kind)) {
		err = calc_enumval(local, kind, &res->orig_val);
		if (!err)
			err = calc_enumval(targ, kind, &res->new_val);
	}

	if (err == POISON_REQ) {
		res->poison = true;
		err = 0;
	}
	return err;
}

static void whyf(char *why, size_t sz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void whyf(char *why, size_t sz, const char *fmt, ...)
{
	va_list ap;

	if (!why || !sz)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sz, fmt, ap);
	va_end(ap);
}

int evbpf__core_calc_relo(const struct evbpf__core_spec *local,
			  struct evbpf__core_cands *cands,
			  struct evbpf__core_spec *targ, struct evbpf__core_spec *scratch,
			  struct evbpf__core_res *res, char *why, size_t why_sz)
{
	struct evbpf__core_res cres;
	size_t i, kept = 0;
	int err;

	if (local->kind == BPF_CORE_TYPE_ID_LOCAL) {
		memset(res, 0, sizeof(*res));
		res->orig_val = res->new_val = local->root_type_id;
		res->matched = true;
		res->matched_cnt = 1;
		*targ = *local;
		return 0;
	}

	for (i = 0; cands && i < cands->len; i++) {
		const struct evbpf__core_cand *c = &cands->c[i];

		err = evbpf__core_spec_match(local, c->btf, c->id, scratch);
		if (err < 0) {
			whyf(why, why_sz, "error %d matching candidate [%u] in %s",
			     err, c->id, c->btf_name);
			return err;
		}
		if (err == 0)
			continue;
		err = calc_one(local, scratch, &cres);
		if (err) {
			whyf(why, why_sz, "cannot compute value for candidate [%u] in %s (error %d)",
			     c->id, c->btf_name, err);
			return err;
		}
		if (kept == 0) {
			*res = cres;
			*targ = *scratch;
		} else if (evbpf__core_kind_is_field(local->kind) &&
			   scratch->bit_offset != targ->bit_offset) {
			whyf(why, why_sz, "ambiguous: candidates [%u] and [%u] in %s put the "
			     "field at different offsets (%u.%u vs %u.%u)",
			     targ->root_type_id, c->id, c->btf_name,
			     targ->bit_offset / 8, targ->bit_offset % 8,
			     scratch->bit_offset / 8, scratch->bit_offset % 8);
			return -EINVAL;
		} else if (cres.poison != res->poison || cres.new_val != res->new_val) {
			whyf(why, why_sz, "ambiguous: candidates [%u] and [%u] in %s resolve "
			     "differently (%s%llu vs %s%llu)",
			     targ->root_type_id, c->id, c->btf_name,
			     res->poison ? "poison " : "", (unsigned long long)res->new_val,
			     cres.poison ? "poison " : "", (unsigned long long)cres.new_val);
			return -EINVAL;
		}
		cands->c[kept++] = *c;
	}

	/* nothing matched: keep the list for the next relocation and compute
	 * the "not found" outcome (0, or poison) */
	if (kept > 0) {
		cands->len = kept;
		res->matched = true;
		res->matched_cnt = (__u32)kept;
		return 0;
	}
	err = calc_one(local, NULL, res);
	if (err)
		whyf(why, why_sz, "cannot compute value (error %d)", err);
	return err;
}

/* ---- patching ---- */

static bool is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

void evbpf__core_poison_insn(struct bpf_insn *insn, size_t insn_left)
{
	size_t n = is_ldimm64(insn) && insn_left > 1 ? 2 : 1;
	size_t i;

	for (i = 0; i < n; i++) {
		insn[i].code = BPF_JMP | BPF_CALL;
		insn[i].dst_reg = 0;
		insn[i].src_reg = 0;
		insn[i].off = 0;
		insn[i].imm = EVBPF_CORE_POISON_IMM;
	}
}

static int bytes_to_bpf_size(__u32 sz)
{
	switch (sz) {
	case 1: return BPF_B;
	case 2: return BPF_H;
	case 4: return BPF_W;
	case 8: return BPF_DW;
	default: return -1;
	}
}

static __u32 bpf_size_to_bytes(__u8 code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

int evbpf__core_patch_insn(struct bpf_insn *insn, size_t insn_left,
			   struct evbpf__core_res *res, char *why, size_t why_sz)
{
	__u64 orig = res->orig_val, val = res->new_val;
	__u8 cls = BPF_CLASS(insn->code);

	if (res->poison) {
		evbpf__core_poison_insn(insn, insn_left);
		return 0;
	}

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(insn->code) != BPF_K) {
			whyf(why, why_sz, "ALU insn with a register source");
			return -EINVAL;
		}
		if (res->validate && (__u64)(__s64)insn->imm != orig) {
			whyf(why, why_sz, "ALU insn holds %d, expected %llu",
			     insn->imm, (unsigned long long)orig);
			return -EINVAL;
		}
		insn->imm = (__s32)val;
		return 0;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		if (res->validate && (__u64)(__s64)insn->off != orig) {
			whyf(why, why_sz, "memory insn has offset %d, expected %llu",
			     insn->off, (unsigned long long)orig);
			return -EINVAL;
		}
		if (val > SHRT_MAX) {
			whyf(why, why_sz, "offset %llu does not fit a memory insn",
			     (unsigned long long)val);
			return -ERANGE;
		}
		if (res->fail_memsz_adjust) {
			/* a signed or non-scalar field changed size: reading it
			 * with another width would give wrong values */
			res->poison = true;
			evbpf__core_poison_insn(insn, insn_left);
			return 0;
		}
		insn->off = (__s16)val;
		if (res->new_sz != res->orig_sz) {
			int bsz;

			if (bpf_size_to_bytes(insn->code) != res->orig_sz) {
				whyf(why, why_sz, "memory insn accesses %u bytes, expected %u",
				     bpf_size_to_bytes(insn->code), res->orig_sz);
				return -EINVAL;
			}
			bsz = bytes_to_bpf_size(res->new_sz);
			if (bsz < 0) {
				whyf(why, why_sz, "field size %u cannot be loaded", res->new_sz);
				return -EINVAL;
			}
			insn->code = BPF_MODE(insn->code) | bsz | BPF_CLASS(insn->code);
		}
		return 0;
	case BPF_LD: {
		__u64 imm;

		if (!is_ldimm64(insn) || insn_left < 2 || insn[0].src_reg || insn[0].off ||
		    insn[1].code || insn[1].dst_reg || insn[1].src_reg || insn[1].off) {
			whyf(why, why_sz, "ld_imm64 insn of unexpected form");
			return -EINVAL;
		}
		imm = (__u32)insn[0].imm | ((__u64)(__u32)insn[1].imm << 32);
		if (res->validate && imm != orig) {
			whyf(why, why_sz, "ld_imm64 holds %llu, expected %llu",
			     (unsigned long long)imm, (unsigned long long)orig);
			return -EINVAL;
		}
		insn[0].imm = (__s32)(__u32)val;
		insn[1].imm = (__s32)(__u32)(val >> 32);
		return 0;
	}
	default:
		whyf(why, why_sz, "insn code 0x%x cannot be relocated", insn->code);
		return -EINVAL;
	}
}

/* ---- formatting ---- */

struct sbuf {
	char *buf;
	size_t size;
	int len;
};

static void sbuf_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sbuf_add(struct sbuf *b, const char *fmt, ...)
{
	size_t room = b->len < (int)b->size ? b->size - b->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += n;
}

int evbpf__core_format_spec(char *buf, size_t size, const struct evbpf__core_spec *spec)
{
	struct sbuf b = { buf, size, 0 };
	const struct btf_type *t = btf__type_by_id(spec->btf, spec->root_type_id);
	const char *s;
	int i;

	if (size)
		buf[0] = '\0';
	if (!t)
		return 0;
	s = name_of(spec->btf, t->name_off);
	sbuf_add(&b, "<%s> [%u] %s %s", evbpf__core_kind_str(spec->kind),
		 spec->root_type_id, evbpf__core_kind_name(t), *s ? s : "<anon>");

	if (evbpf__core_kind_is_type(spec->kind))
		return b.len;

	if (evbpf__core_kind_is_enumval(spec->kind)) {
		t = skip_mt(spec->btf, spec->root_type_id, NULL);
		if (!t || !btf_is_any_enum(t) || spec->raw_len < 1 ||
		    spec->raw[0] >= btf_vlen(t))
			return b.len;
		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + spec->raw[0];

			if (btf_kflag(t))
				sbuf_add(&b, "::%s = %d", name_of(spec->btf, e->name_off), e->val);
			else
				sbuf_add(&b, "::%s = %u", name_of(spec->btf, e->name_off),
					 (__u32)e->val);
		} else {
			const __u32 *e = (const __u32 *)btf_enum64(t) + spec->raw[0] * 3;
			__u64 v = btf_enum64_value((const struct btf_enum64 *)e);

			if (btf_kflag(t))
				sbuf_add(&b, "::%s = %lld", name_of(spec->btf, e[0]), (long long)v);
			else
				sbuf_add(&b, "::%s = %llu", name_of(spec->btf, e[0]),
					 (unsigned long long)v);
		}
		return b.len;
	}

	for (i = 0; i < spec->len; i++) {
		if (spec->acc[i].name)
			sbuf_add(&b, ".%s", spec->acc[i].name);
		else if (i > 0 || spec->acc[i].idx > 0)
			sbuf_add(&b, "[%u]", spec->acc[i].idx);
	}
	sbuf_add(&b, " (");
	for (i = 0; i < spec->raw_len; i++)
		sbuf_add(&b, "%s%u", i ? ":" : "", spec->raw[i]);
	if (spec->bit_offset % 8)
		sbuf_add(&b, " @ offset %u.%u)", spec->bit_offset / 8, spec->bit_offset % 8);
	else
		sbuf_add(&b, " @ offset %u)", spec->bit_offset / 8);
	return b.len;
}
