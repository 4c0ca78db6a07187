// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF and BTF.ext of the static linker.
 *
 * Every object's types are copied into one BTF, ids shifted, except:
 * DATASECs (rebuilt per output section, their variables at the offsets the
 * sections got), extern FUNCs/VARs whose symbol another object defines (their
 * references go to the definition) and variables whose weak definition lost.
 * btf__dedup() then merges the types the objects share. BTF.ext records are
 * regrouped by output section with instruction offsets moved, type ids
 * remapped and strings copied.
 */
#include <stdlib.h>

#include "base/base_internal.h"
#include "btf/btf_internal.h"
#include "linker_internal.h"

/* ---- declarations of one name in two objects ---- */

static const struct btf_type *resolved(const struct btf *btf, __u32 id)
{
	return evbpf__btf_skip_mods(btf, id, NULL);
}

/* The value a map definition field encodes: __uint(name, N) is a pointer to
 * an array of N elements, __type(name, T) a pointer to T (its size). */
static __s64 map_field_value(const struct btf *btf, __u32 type_id)
{
	const struct btf_type *t = resolved(btf, type_id), *p;

	if (!t)
		return -1;
	if (!btf_is_ptr(t))
		return btf__resolve_size(btf, type_id);
	p = resolved(btf, t->type);
	if (!p)
		return -1;
	if (btf_is_array(p))
		return btf_array(p)->nelems;
	return btf__resolve_size(btf, t->type);
}

static int maps_compatible(const char *name, const struct evbpf__lk_file *a, const struct btf_type *sa,
			   const struct evbpf__lk_file *b, const struct btf_type *sb)
{
	const struct btf_member *ma, *mb;
	__u16 i, j;

	if (!btf_is_struct(sa) || !btf_is_struct(sb)) {
		pr_warn("linker: map '%s': definition in %s or %s is not a struct", name, a->name, b->name);
		return -EINVAL;
	}
	ma = btf_members(sa);
	for (i = 0; i < btf_vlen(sa); i++) {
		const char *fa = btf__name_by_offset(a->btf, ma[i].name_off);

		mb = btf_members(sb);
		for (j = 0; j < btf_vlen(sb); j++)
			if (!strcmp(fa, btf__name_by_offset(b->btf, mb[j].name_off)))
				break;
		if (j == btf_vlen(sb) ||
		    map_field_value(a->btf, ma[i].type) != map_field_value(b->btf, mb[j].type)) {
			pr_warn("linker: map '%s': field '%s' of the definition in %s differs in %s",
				name, fa, a->name, b->name);
			return -EINVAL;
		}
	}
	if (btf_vlen(sa) != btf_vlen(sb)) {
		pr_warn("linker: map '%s': definitions in %s and %s have different fields",
			name, a->name, b->name);
		return -EINVAL;
	}
	return 0;
}

int evbpf__lk_btf_compatible(const char *name, const struct evbpf__lk_file *a, __u32 a_id,
			     const struct evbpf__lk_file *b, __u32 b_id, bool is_map)
{
	const struct btf_type *ta = btf__type_by_id(a->btf, a_id);
	const struct btf_type *tb = btf__type_by_id(b->btf, b_id);
	const struct btf_type *pa, *pb;

	if (!ta || !tb || btf_kind(ta) != btf_kind(tb)) {
		pr_warn("linker: symbol '%s': %s and %s declare different kinds of things",
			name, a->name, b->name);
		return -EINVAL;
	}
	if (btf_is_func(ta)) {
		pa = btf__type_by_id(a->btf, ta->type);
		pb = btf__type_by_id(b->btf, tb->type);
		if (!pa || !pb || btf_vlen(pa) != btf_vlen(pb)) {
			pr_warn("linker: function '%s': %s and %s declare different parameter lists",
				name, a->name, b->name);
			return -EINVAL;
		}
		return 0;
	}
	if (is_map)
		return maps_compatible(name, a, resolved(a->btf, ta->type), b,
				       resolved(b->btf, tb->type));
	if (btf__resolve_size(a->btf, ta->type) != btf__resolve_size(b->btf, tb->type)) {
		pr_warn("linker: variable '%s': %s declares %lld bytes, %s %lld",
			name, a->name, (long long)btf__resolve_size(a->btf, ta->type), b->name,
			(long long)btf__resolve_size(b->btf, tb->type));
		return -EINVAL;
	}
	return 0;
}

/* ---- type merge ---- */

enum { KEEP, SKIP_DATASEC, SKIP_TO_DEF, SKIP_DROP };

/* What happens to type @id of file @fi. */
static int classify(struct bpf_linker *l, size_t fi, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(l->files[fi].btf, id);
	const struct evbpf__lk_sym *g;
	bool ext;

	if (btf_is_datasec(t))
		return SKIP_DATASEC;
	if (btf_is_func(t))
		ext = btf_vlen(t) == BTF_FUNC_EXTERN;
	else if (btf_is_var(t))
		ext = btf_var(t)->linkage == BTF_VAR_GLOBAL_EXTERN;
	else
		return KEEP;
	if (!ext && !(btf_is_var(t) && btf_var(t)->linkage == BTF_VAR_GLOBAL_ALLOCATED))
		return KEEP;
	g = evbpf__lk_global(l, btf__name_by_offset(l->files[fi].btf, t->name_off));
	if (!g || g->def_file < 0 || g->def_file == (int)fi)
		return KEEP;
	/* defined elsewhere: an extern points at the definition; a variable
	 * whose weak definition lost is dropped with its DATASEC entry */
	return ext ? SKIP_TO_DEF : SKIP_DROP;
}

static int compute_maps(struct bpf_linker *l, __u8 **cls)
{
	__u32 next = 1, id, n;
	size_t fi;

	for (fi = 0; fi < l->nfiles; fi++) {
		struct evbpf__lk_file *f = &l->files[fi];

		if (!f->btf)
			continue;
		n = btf__type_cnt(f->btf);
		f->btf_map = calloc(n, sizeof(__u32));
		cls[fi] = calloc(n, 1);
		if (!f->btf_map || !cls[fi])
			return -ENOMEM;
		for (id = 1; id < n; id++) {
			cls[fi][id] = (__u8)classify(l, fi, id);
			if (cls[fi][id] == KEEP)
				f->btf_map[id] = next++;
		}
	}
	for (fi = 0; fi < l->nfiles; fi++) {
		struct evbpf__lk_file *f = &l->files[fi];

		if (!f->btf)
			continue;
		n = btf__type_cnt(f->btf);
		for (id = 1; id < n; id++) {
			const struct btf_type *t;
			const struct evbpf__lk_sym *g;
			const struct evbpf__lk_file *df;
			int def;

			if (cls[fi][id] != SKIP_TO_DEF)
				continue;
			t = btf__type_by_id(f->btf, id);
			g = evbpf__lk_global(l, btf__name_by_offset(f->btf, t->name_off));
			df = &l->files[g->def_file];
			def = df->btf ? btf__find_by_name_kind(df->btf, btf__name_by_offset(f->btf, t->name_off),
							       btf_kind(t)) : -1;
			if (def > 0 && cls[g->def_file][def] == KEEP)
				f->btf_map[id] = df->btf_map[def];
		}
	}
	return 0;
}

static int copy_types(struct bpf_linker *l, __u8 **cls)
{
	size_t fi;
	__u32 id, n, k, *ref;

	for (fi = 0; fi < l->nfiles; fi++) {
		struct evbpf__lk_file *f = &l->files[fi];

		if (!f->btf)
			continue;
		n = btf__type_cnt(f->btf);
		for (id = 1; id < n; id++) {
			struct btf_type *t;
			int nid;

			if (cls[fi][id] != KEEP)
				continue;
			nid = btf__add_type(l->btf, f->btf, btf__type_by_id(f->btf, id));
			if (nid < 0)
				return nid;
			t = evbpf__btf_type_mut(l->btf, (__u32)nid);
			for (k = 0; (ref = evbpf__btf_type_id_ref(t, k)); k++) {
				if (*ref >= n) {
					pr_warn("linker: %s: BTF type [%u] refers to type %u, past the last (%u)",
						f->name, id, *ref, n - 1);
					return -EINVAL;
				}
				if (*ref && !f->btf_map[*ref]) {
					pr_warn("linker: %s: BTF type [%u] refers to [%u], whose definition has no BTF",
						f->name, id, *ref);
					return -EINVAL;
				}
				*ref = f->btf_map[*ref];
			}
		}
	}
	return 0;
}

struct ds_var {
	__u32 type, off, size;
	const char *name;
};

static int ds_var_cmp(const void *a, const void *b)
{
	const struct ds_var *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* Output section of the input section named @name in @f, -1 if none. */
static int in_sec_by_name(const struct evbpf__lk_file *f, const char *name, __u64 *off)
{
	size_t i;

	for (i = 0; i < f->nsecs; i++)
		if (f->secs[i].out >= 0 && !strcmp(f->secs[i].name, name)) {
			*off = f->secs[i].off;
			return f->secs[i].out;
		}
	return -1;
}

/* Adds the DATASEC named @name: the variables of every object's DATASEC of
 * that name, at offsets moved to where their section now starts. */
static int add_datasec(struct bpf_linker *l, __u8 **cls, const char *name, __u32 size)
{
	struct ds_var *vars = NULL, *nv;
	size_t nvars = 0, fi, i;
	bool extern_sec = true;
	int err = 0, id;

	for (fi = 0; fi < l->nfiles; fi++) {
		const struct evbpf__lk_file *f = &l->files[fi];
		__u32 n = f->btf ? btf__type_cnt(f->btf) : 0, tid;

		for (tid = 1; tid < n; tid++) {
			const struct btf_type *t = btf__type_by_id(f->btf, tid);
			const struct btf_var_secinfo *vi;
			__u64 base = 0;

			if (!btf_is_datasec(t) || strcmp(btf__name_by_offset(f->btf, t->name_off), name))
				continue;
			if (in_sec_by_name(f, name, &base) >= 0)
				extern_sec = false;
			vi = btf_var_secinfos(t);
			for (i = 0; i < btf_vlen(t); i++) {
				const struct btf_type *v = btf__type_by_id(f->btf, vi[i].type);
				const char *vname;
				size_t k;

				if (!v || vi[i].type >= n || cls[fi][vi[i].type] != KEEP)
					continue;	/* resolved extern or lost weak */
				vname = btf__name_by_offset(f->btf, v->name_off);
				if (btf_is_var(v) && btf_var(v)->linkage == BTF_VAR_GLOBAL_EXTERN) {
					/* one unresolved extern per name */
					for (k = 0; k < nvars; k++)
						if (!strcmp(vars[k].name, vname))
							break;
					if (k < nvars)
						continue;
				}
				nv = realloc(vars, (nvars + 1) * sizeof(*vars));
				if (!nv) {
					err = -ENOMEM;
					goto out;
				}
				vars = nv;
				vars[nvars++] = (struct ds_var){ f->btf_map[vi[i].type],
					(__u32)(vi[i].offset + base), vi[i].size, vname };
			}
		}
	}
	if (!nvars && size == (__u32)-1)
		goto out;
	if (!extern_sec)
		qsort(vars, nvars, sizeof(*vars), ds_var_cmp);
	id = btf__add_datasec(l->btf, name, size == (__u32)-1 ? 0 : size);
	if (id < 0) {
		err = id;
		goto out;
	}
	for (i = 0; i < nvars; i++) {
		err = btf__add_datasec_var_info(l->btf, (int)vars[i].type, vars[i].off, vars[i].size);
		if (err)
			goto out;
	}
out:
	free(vars);
	return err;
}

static int add_datasecs(struct bpf_linker *l, __u8 **cls)
{
	size_t i, fi;
	int err;

	for (i = 0; i < l->nsecs; i++) {
		bool any = false;

		/* only sections some object describes with a DATASEC */
		for (fi = 0; fi < l->nfiles && !any; fi++)
			any = l->files[fi].btf &&
			      btf__find_by_name_kind(l->files[fi].btf, l->secs[i].name, BTF_KIND_DATASEC) > 0;
		if (!any)
			continue;
		err = add_datasec(l, cls, l->secs[i].name, (__u32)l->secs[i].size);
		if (err)
			return err;
	}
	/* DATASECs without an ELF section (.kconfig, .ksyms): extern-only */
	for (fi = 0; fi < l->nfiles; fi++) {
		const struct evbpf__lk_file *f = &l->files[fi];
		__u32 n = f->btf ? btf__type_cnt(f->btf) : 0, tid;
		__u64 off;

		for (tid = 1; tid < n; tid++) {
			const struct btf_type *t = btf__type_by_id(f->btf, tid);
			const char *name;

			if (!btf_is_datasec(t))
				continue;
			name = btf__name_by_offset(f->btf, t->name_off);
			if (in_sec_by_name(f, name, &off) >= 0 ||
			    btf__find_by_name_kind(l->btf, name, BTF_KIND_DATASEC) > 0)
				continue;
			err = add_datasec(l, cls, name, (__u32)-1);
			if (err)
				return err;
		}
	}
	return 0;
}

/* ---- BTF.ext ---- */

struct ext_buf {
	char *p;
	size_t len, cap;
};

static int ext_put(struct ext_buf *b, const void *src, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *q;

		while (cap < b->len + n)
			cap *= 2;
		q = realloc(b->p, cap);
		if (!q)
			return -ENOMEM;
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
	return 0;
}

/* Rewrites one record of @kind from @f in place: offset moved by @delta,
 * type ids mapped, strings copied. */
static int fix_record(struct bpf_linker *l, const struct evbpf__lk_file *f,
		      enum evbpf__btf_ext_kind kind, __u32 *rec, __u64 delta)
{
	int err = 0;

	rec[0] += (__u32)delta;
	switch (kind) {
	case EVBPF_BTF_EXT_FUNC_INFO:	/* insn_off, type_id */
		rec[1] = f->btf_map[rec[1]];
		break;
	case EVBPF_BTF_EXT_LINE_INFO:	/* insn_off, file_name_off, line_off, line_col */
		err = evbpf__btf_copy_str(l->btf, f->btf, &rec[1]);
		if (!err)
			err = evbpf__btf_copy_str(l->btf, f->btf, &rec[2]);
		break;
	case EVBPF_BTF_EXT_CORE_RELO:	/* insn_off, type_id, access_str_off, kind */
		rec[1] = f->btf_map[rec[1]];
		err = evbpf__btf_copy_str(l->btf, f->btf, &rec[2]);
		break;
	default:
		break;
	}
	return err;
}

static int merge_ext_kind(struct bpf_linker *l, enum evbpf__btf_ext_kind kind, struct ext_buf *b,
			  __u32 *rec_size_out)
{
	__u32 rec_size = 0, *rec = NULL;
	size_t si, fi, i, j;
	int err = 0;

	for (fi = 0; fi < l->nfiles; fi++) {
		const struct evbpf__btf_ext_info *info;

		if (!l->files[fi].ext)
			continue;
		info = evbpf__btf_ext_info(l->files[fi].ext, kind);
		if (!info->sec_cnt)
			continue;
		if (rec_size && info->rec_size != rec_size) {
			pr_warn("linker: %s: .BTF.ext record size %u differs from the %u of earlier objects",
				l->files[fi].name, info->rec_size, rec_size);
			return -EINVAL;
		}
		rec_size = info->rec_size;
	}
	*rec_size_out = rec_size;
	if (!rec_size)
		return 0;
	rec = malloc(rec_size);
	if (!rec)
		return -ENOMEM;
	err = ext_put(b, &rec_size, 4);
	for (si = 0; si < l->nsecs && !err; si++) {
		size_t cnt_pos = 0;
		__u32 cnt = 0, name_off;

		for (fi = 0; fi < l->nfiles && !err; fi++) {
			struct evbpf__lk_file *f = &l->files[fi];
			const struct evbpf__btf_ext_info *info;

			if (!f->ext)
				continue;
			info = evbpf__btf_ext_info(f->ext, kind);
			for (i = 0; i < info->sec_cnt && !err; i++) {
				const struct evbpf__btf_ext_sec *sec = &info->secs[i];
				const char *sname = btf__name_by_offset(f->btf, sec->sec_name_off);
				__u64 off = 0;

				if (!sname || in_sec_by_name(f, sname, &off) != (int)si)
					continue;
				if (!cnt) {
					err = btf__add_str(l->btf, l->secs[si].name);
					if (err < 0)
						break;
					name_off = (__u32)err;
					err = ext_put(b, &name_off, 4);
					cnt_pos = b->len;
					if (!err)
						err = ext_put(b, &cnt, 4);
				}
				for (j = 0; j < sec->num_info && !err; j++) {
					memcpy(rec, evbpf__btf_ext_rec(info, sec, (__u32)j), rec_size);
					err = fix_record(l, f, kind, rec, off);
					if (!err)
						err = ext_put(b, rec, rec_size);
					cnt++;
				}
			}
		}
		if (cnt && !err)
			memcpy(b->p + cnt_pos, &cnt, 4);
	}
	free(rec);
	return err < 0 ? err : 0;
}

static int merge_ext(struct bpf_linker *l)
{
	struct ext_buf parts[__EVBPF_BTF_EXT_KIND_CNT] = { 0 }, out = { 0 };
	__u32 hdr[8] = { 0 }, rec_size;
	struct btf_ext *ext = NULL;
	bool any = false;
	size_t fi;
	int k, err = 0;

	for (fi = 0; fi < l->nfiles; fi++)
		any |= l->files[fi].ext != NULL;
	if (!any)
		return btf__dedup(l->btf, NULL);
	for (k = 0; k < __EVBPF_BTF_EXT_KIND_CNT && !err; k++)
		err = merge_ext_kind(l, (enum evbpf__btf_ext_kind)k, &parts[k], &rec_size);
	if (err)
		goto out;
	/* header: magic, version 1, flags 0; hdr_len; then off/len per kind
	 * (offsets from the end of the header) */
	hdr[0] = 0xeB9F | (1u << 16);
	hdr[1] = sizeof(hdr);
	for (k = 0; k < __EVBPF_BTF_EXT_KIND_CNT; k++) {
		hdr[2 + 2 * k] = (__u32)out.len;
		hdr[3 + 2 * k] = (__u32)parts[k].len;
		if (parts[k].len && (err = ext_put(&out, parts[k].p, parts[k].len)))
			goto out;
	}
	{
		struct ext_buf whole = { 0 };

		err = ext_put(&whole, hdr, sizeof(hdr));
		if (!err && out.len)
			err = ext_put(&whole, out.p, out.len);
		free(out.p);
		out = whole;
	}
	if (err)
		goto out;
	ext = btf_ext__new((const __u8 *)out.p, (__u32)out.len);
	if (!ext) {
		err = -errno;
		pr_warn("linker: the merged .BTF.ext does not parse");
		goto out;
	}
	{
		LIBBPF_OPTS(btf_dedup_opts, dopts, .btf_ext = ext);
		const void *raw;
		__u32 size;

		err = btf__dedup(l->btf, &dopts);
		if (err)
			goto out;
		raw = btf_ext__raw_data(ext, &size);
		if (!raw || !(l->ext_raw = malloc(size))) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(l->ext_raw, raw, size);
		l->ext_size = size;
	}
out:
	for (k = 0; k < __EVBPF_BTF_EXT_KIND_CNT; k++)
		free(parts[k].p);
	free(out.p);
	btf_ext__free(ext);
	return err;
}

int evbpf__lk_merge_btf(struct bpf_linker *l)
{
	__u8 **cls;
	size_t fi;
	bool any = false;
	int err;

	for (fi = 0; fi < l->nfiles; fi++)
		any |= l->files[fi].btf != NULL;
	if (!any)
		return 0;
	cls = calloc(l->nfiles, sizeof(*cls));
	l->btf = btf__new_empty();
	if (!cls || !l->btf) {
		free(cls);
		return -ENOMEM;
	}
	err = compute_maps(l, cls);
	if (!err)
		err = copy_types(l, cls);
	if (!err)
		err = add_datasecs(l, cls);
	if (!err)
		err = merge_ext(l);
	for (fi = 0; fi < l->nfiles; fi++)
		free(cls[fi]);
	free(cls);
	return err;
}
