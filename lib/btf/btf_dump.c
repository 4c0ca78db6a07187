// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF to C: type definitions in dependency order (btf_dump__dump_type) and
 * single declarations (btf_dump__emit_type_decl). Values are printed by
 * btf_dump_data.c.
 *
 * Ordering: a type is emitted once all types it needs complete (members by
 * value, array elements) are; types needed only by name (through pointers,
 * in prototypes, as typedef targets) get a forward declaration. Anonymous
 * structs, unions and referenced anonymous enums are printed inline where
 * used. Clashing names get a "___N" suffix, as C has one tag namespace.
 * Type tags become btf_type_tag attributes, so a program compiled against
 * the output carries them in its own BTF again.
 *
 * Layout: clang must reproduce every BTF offset, so holes the natural
 * layout would not produce are filled with unnamed bitfields, and structs
 * whose members sit off their natural alignment get
 * __attribute__((packed)).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_dump_internal.h"

/* ---- growable strings ---- */

void evbpf__sb_free(struct evbpf__sb *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

static bool sb_reserve(struct evbpf__sb *sb, size_t add)
{
	void *p = sb->s;
	size_t cap = sb->cap;

	if (sb->oom)
		return false;
	if (evbpf__btf_grow(&p, &cap, sb->len + add + 1)) {
		sb->oom = true;
		return false;
	}
	sb->s = p;
	sb->cap = cap;
	return true;
}

void evbpf__sb_add(struct evbpf__sb *sb, const char *s, size_t n)
{
	if (!sb_reserve(sb, n))
		return;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void evbpf__sb_puts(struct evbpf__sb *sb, const char *s)
{
	evbpf__sb_add(sb, s, strlen(s));
}

void evbpf__sb_printf(struct evbpf__sb *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

static void sb_prepend(struct evbpf__sb *sb, const char *s)
{
	size_t n = strlen(s);

	if (!sb_reserve(sb, n))
		return;
	memmove(sb->s + n, sb->s, sb->len + 1);
	memcpy(sb->s, s, n);
	sb->len += n;
}

static void sb_tabs(struct evbpf__sb *sb, int n)
{
	while (n-- > 0)
		evbpf__sb_add(sb, "\t", 1);
}

static const char *sb_str(const struct evbpf__sb *sb)
{
	return sb->s ? sb->s : "";
}

/* ---- output ---- */

void evbpf__dump_printf(struct btf_dump *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	d->printf_fn(d->ctx, fmt, ap);
	va_end(ap);
}

/* Prints @sb through the user's callback in bounded pieces. */
static void emit_sb(struct btf_dump *d, const struct evbpf__sb *sb)
{
	if (sb->len)
		evbpf__dump_printf(d, "%s", sb->s);
}

/* Prints @sb unless @err is set or @sb ran out of memory, then frees it;
 * returns @err, or -ENOMEM for an incomplete @sb. */
static int emit_sb_free(struct btf_dump *d, struct evbpf__sb *sb, int err)
{
	if (!err && sb->oom)
		err = -ENOMEM;
	if (!err)
		emit_sb(d, sb);
	evbpf__sb_free(sb);
	return err;
}

/* ---- names ---- */

/* Per-namespace counts of names already handed out. */
static __u32 *name_slot(struct evbpf__name_set *set, const char *name, bool *found)
{
	__u32 h = evbpf__btf_hash(name), i;

	if (2 * (set->cnt + 1) > set->cap) {
		__u32 ncap = set->cap ? set->cap * 2 : 1024, j;
		struct evbpf__name_ent *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (j = 0; j < set->cap; j++) {
			struct evbpf__name_ent *e = &set->ents[j];
			__u32 k;

			if (!e->name)
				continue;
			for (k = e->hash & (ncap - 1); n[k].name; k = (k + 1) & (ncap - 1))
				;
			n[k] = *e;
		}
		free(set->ents);
		set->ents = n;
		set->cap = ncap;
	}
	for (i = h & (set->cap - 1); set->ents[i].name; i = (i + 1) & (set->cap - 1)) {
		if (set->ents[i].hash == h && strcmp(set->ents[i].name, name) == 0) {
			*found = true;
			return &set->ents[i].cnt;
		}
	}
	set->ents[i].name = name;
	set->ents[i].hash = h;
	set->cnt++;
	*found = false;
	return &set->ents[i].cnt;
}

static void name_set_free(struct evbpf__name_set *set)
{
	free(set->ents);
	memset(set, 0, sizeof(*set));
}

/* Returns @name, or "name___N" when @set already handed it out; the
 * result lives in @d's string arena. */
static const char *unique_name(struct btf_dump *d, struct evbpf__name_set *set,
			       const char *name)
{
	bool found;
	__u32 *cnt = name_slot(set, name, &found);
	char *s;
	int n;

	if (!cnt) {
		d->oom = true;
		return name;
	}
	if (!found) {
		*cnt = 1;
		return name;
	}
	(*cnt)++;
	n = snprintf(NULL, 0, "%s___%u", name, *cnt);
	s = malloc((size_t)n + 1);
	if (!s) {
		d->oom = true;
		return name;
	}
	snprintf(s, (size_t)n + 1, "%s___%u", name, *cnt);
	if (d->nallocs == d->allocs_cap) {
		size_t cap = d->allocs_cap * sizeof(char *);
		void *p = d->allocs;

		if (evbpf__btf_grow(&p, &cap, cap + sizeof(char *))) {
			free(s);
			d->oom = true;
			return name;
		}
		d->allocs = p;
		d->allocs_cap = cap / sizeof(char *);
	}
	d->allocs[d->nallocs++] = s;
	return s;
}

static const char *raw_name(const struct btf_dump *d, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(d->btf, id);
	const char *s = t ? btf__name_by_offset(d->btf, t->name_off) : NULL;

	return s ? s : "";
}

/* The C name of type @id (tag or typedef), assigned on first use. */
static const char *type_name(struct btf_dump *d, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(d->btf, id);
	const char *raw = raw_name(d, id);

	if (d->names[id])
		return d->names[id];
	if (!*raw)
		return "";
	/* Forward declarations name whatever full type has that name. */
	if (btf_is_fwd(t) || (btf_is_any_enum(t) && btf_vlen(t) == 0))
		d->names[id] = raw;
	else if (btf_is_typedef(t))
		d->names[id] = unique_name(d, &d->idents, raw);
	else
		d->names[id] = unique_name(d, &d->tags, raw);
	return d->names[id];
}

/* ---- layout helpers ---- */

static const struct btf_type *skip_mods(const struct btf *btf, __u32 id, __u32 *out)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int depth = 0;

	while (t && btf_is_mod(t) && depth++ < EVBPF_BTF_MAX_RESOLVE_DEPTH) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (out)
		*out = id;
	return t;
}

/* Bit offset and bitfield size of member @i, for both kflag encodings. */
void evbpf__member_bits(const struct btf *btf, const struct btf_type *t, __u32 i,
			__u32 *off, __u32 *bits)
{
	const struct btf_member *m = btf_members(t) + i;
	const struct btf_type *mt;

	*off = btf_member_bit_offset(t, i);
	*bits = btf_member_bitfield_size(t, i);
	if (btf_kflag(t))
		return;
	mt = skip_mods(btf, m->type, NULL);
	while (mt && btf_is_typedef(mt))
		mt = skip_mods(btf, mt->type, NULL);
	if (mt && btf_is_int(mt) && btf_int_bits(mt) != mt->size * 8) {
		*off += btf_int_offset(mt);
		*bits = btf_int_bits(mt);
	}
}

static int dump_align(struct btf_dump *d, __u32 id)
{
	if (id >= d->nr)
		return btf__align_of(d->btf, id);
	if (!d->align[id])
		d->align[id] = btf__align_of(d->btf, id);
	return d->align[id];
}

static bool is_packed(struct btf_dump *d, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(d->btf, id);
	__u32 i;

	if (!btf_is_composite(t) || dump_align(d, id) != 1)
		return false;
	/* Alignment 1 is natural when no member wants more. */
	for (i = 0; i < btf_vlen(t); i++)
		if (dump_align(d, btf_members(t)[i].type) > 1)
			return true;
	return false;
}

/* Fills bits [from, to) with unnamed bitfields, largest aligned units
 * first; a long byte-aligned run becomes one named char array instead. */
static void emit_padding(struct evbpf__sb *sb, __u64 from, __u64 to, int lvl)
{
	static const struct { __u32 bits; const char *type; } units[] = {
		{ 64, "long" }, { 32, "int" }, { 16, "short" }, { 8, "char" },
	};

	while (from < to) {
		__u64 step = 0;
		size_t i;

		if (from % 8 == 0 && to - from >= 8 * 64) {
			step = (to - from) / 8 * 8;
			sb_tabs(sb, lvl);
			evbpf__sb_printf(sb, "char __pad_%" PRIu64 "[%" PRIu64 "];\n",
					 (uint64_t)(from / 8), (uint64_t)(step / 8));
			from += step;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(units); i++) {
			if (from % units[i].bits == 0 && to - from >= units[i].bits) {
				step = units[i].bits;
				sb_tabs(sb, lvl);
				evbpf__sb_printf(sb, "%s: %u;\n", units[i].type, units[i].bits);
				break;
			}
		}
		if (!step) {
			step = evbpf__min(8 - from % 8, to - from);
			sb_tabs(sb, lvl);
			evbpf__sb_printf(sb, "char: %u;\n", (unsigned)step);
		}
		from += step;
	}
}

/* ---- declarations ---- */

static int decl_str(struct btf_dump *d, __u32 id, const char *name, int lvl,
		    bool strip_mods, struct evbpf__sb *out, int depth);

static int body_str(struct btf_dump *d, __u32 id, int lvl, struct evbpf__sb *out, int depth)
{
	const struct btf_type *t = btf__type_by_id(d->btf, id);
	__u16 vlen = btf_vlen(t);
	__u64 pos = 0, aligned;
	__u32 i;
	bool packed;
	int err;

	if (btf_is_any_enum(t)) {
		evbpf__sb_puts(out, "{\n");
		for (i = 0; i < vlen; i++) {
			const char *n;

			sb_tabs(out, lvl + 1);
			if (btf_is_enum(t)) {
				const struct btf_enum *e = btf_enum(t) + i;

				n = unique_name(d, &d->idents, btf__name_by_offset(d->btf, e->name_off));
				/* Compilers before kflag-signedness wrote signed
				 * enums unflagged: small negatives stay negative. */
				if (btf_kflag(t) || (e->val < 0 && e->val >= -0x10000))
					evbpf__sb_printf(out, "%s = %d,\n", n, e->val);
				else
					evbpf__sb_printf(out, "%s = %u,\n", n, (__u32)e->val);
			} else {
				const struct btf_enum64 *e = btf_enum64(t) + i;
				__u64 v = btf_enum64_value(e);

				n = unique_name(d, &d->idents,
						btf__name_by_offset(d->btf, *(const __u32 *)e));
				if (btf_kflag(t))
					evbpf__sb_printf(out, "%s = %" PRId64 "LL,\n", n, (int64_t)v);
				else
					evbpf__sb_printf(out, "%s = %" PRIu64 "ULL,\n", n, (uint64_t)v);
			}
		}
		sb_tabs(out, lvl);
		evbpf__sb_puts(out, "}");
		if (t->size < 4)
			evbpf__sb_puts(out, " __attribute__((packed))");
		return 0;
	}

	packed = is_packed(d, id);
	evbpf__sb_puts(out, "{\n");
	for (i = 0; i < vlen; i++) {
		const struct btf_member *m = btf_members(t) + i;
		const char *mname = btf__name_by_offset(d->btf, m->name_off);
		__u32 off, bits;

		if (--d->budget < 0)
			return -E2BIG;
		evbpf__member_bits(d->btf, t, i, &off, &bits);
		if (btf_is_struct(t)) {
			int a = packed ? 1 : dump_align(d, m->type);

			if (a <= 0)
				a = 1;
			aligned = (pos + 8 * a - 1) / (8 * a) * (8 * a);
			if (bits ? off > pos : off > aligned)
				emit_padding(out, pos, off, lvl + 1);
		}
		sb_tabs(out, lvl + 1);
		err = decl_str(d, m->type, mname ? mname : "", lvl + 1, false, out, depth + 1);
		if (err)
			return err;
		if (bits)
			evbpf__sb_printf(out, ": %u", bits);
		evbpf__sb_puts(out, ";\n");
		if (btf_is_struct(t)) {
			__s64 sz = bits ? 0 : btf__resolve_size(d->btf, m->type);

			pos = off + (bits ? bits : (__u64)(sz > 0 ? sz : 0) * 8);
		}
	}
	if (btf_is_struct(t)) {
		int a = packed ? 1 : dump_align(d, id);
		__u64 end = (__u64)t->size * 8;

		if (a <= 0)
			a = 1;
		if (end > (pos + 8 * a - 1) / (8 * a) * (8 * a) && end > pos)
			emit_padding(out, pos, end, lvl + 1);
	}
	sb_tabs(out, lvl);
	evbpf__sb_puts(out, "}");
	if (packed)
		evbpf__sb_puts(out, " __attribute__((packed))");
	return 0;
}

static const char *mod_name(__u16 kind)
{
	switch (kind) {
	case BTF_KIND_CONST: return "const";
	case BTF_KIND_VOLATILE: return "volatile";
	case BTF_KIND_RESTRICT: return "restrict";
	default: return NULL;
	}
}

/*
 * Appends "<base type> <declarator>" for type @id named @name to @out. The
 * declarator grows inside out: pointers prepend, arrays and prototypes
 * append, and a pointer to an array or function gets parentheses.
 */
static int decl_str(struct btf_dump *d, __u32 id, const char *name, int lvl,
		    bool strip_mods, struct evbpf__sb *out, int depth)
{
	struct evbpf__sb decl = {}, base_mods = {}, post_mods = {};
	const struct btf_type *t;
	int err = 0, steps = 0;
	__u32 base_mask = 0;

	if (depth > EVBPF_DUMP_MAX_DEPTH)
		return -ELOOP;
	if (--d->budget < 0)
		return -E2BIG;
	evbpf__sb_puts(&decl, name);
	for (;;) {
		const struct btf_type *next;
		__u32 i;

		t = btf__type_by_id(d->btf, id);
		if (!t || ++steps > EVBPF_DUMP_MAX_DEPTH) {
			err = -EINVAL;
			goto out;
		}
		switch (btf_kind(t)) {
		case BTF_KIND_PTR:
			sb_prepend(&decl, "*");
			next = skip_mods(d->btf, t->type, NULL);
			if (next && (btf_is_array(next) || btf_is_func_proto(next))) {
				sb_prepend(&decl, "(");
				evbpf__sb_puts(&decl, ")");
			}
			id = t->type;
			continue;
		case BTF_KIND_ARRAY:
			evbpf__sb_printf(&decl, "[%u]", btf_array(t)->nelems);
			id = btf_array(t)->type;
			continue;
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
			next = skip_mods(d->btf, t->type, NULL);
			if (!strip_mods && next && btf_is_ptr(next)) {
				if (decl.len)
					sb_prepend(&decl, " ");
				sb_prepend(&decl, mod_name(btf_kind(t)));
			} else if (!strip_mods && next && !btf_is_func_proto(next) &&
				   !(base_mask & (1u << btf_kind(t)))) {
				/* C allows each qualifier once per specifier list */
				base_mask |= 1u << btf_kind(t);
				evbpf__sb_puts(&base_mods, mod_name(btf_kind(t)));
				evbpf__sb_puts(&base_mods, " ");
			}
			id = t->type;
			continue;
		case BTF_KIND_TYPE_TAG: {
			const char *tag = raw_name(d, id);
			char buf[256];

			/* "btf_type_tag" keeps the tag in the program's BTF;
			 * kflag tags are whole attributes. */
			if (btf_kflag(t))
				snprintf(buf, sizeof(buf), "__attribute__((%s))", tag);
			else
				snprintf(buf, sizeof(buf), "__attribute__((btf_type_tag(\"%s\")))", tag);
			next = skip_mods(d->btf, t->type, NULL);
			if (strip_mods) {
				/* nothing */
			} else if (next && btf_is_ptr(next)) {
				if (decl.len)
					sb_prepend(&decl, " ");
				sb_prepend(&decl, buf);
			} else if (next && !btf_is_func_proto(next)) {
				evbpf__sb_puts(&post_mods, " ");
				evbpf__sb_puts(&post_mods, buf);
			}
			id = t->type;
			continue;
		}
		case BTF_KIND_FUNC_PROTO: {
			struct evbpf__sb params = {};
			__u16 vlen = btf_vlen(t);
			bool unproto = false;

			evbpf__sb_puts(&params, "(");
			/* "(...)" alone is not C: an unprototyped "()" is
			 * what the compiler saw */
			if (vlen == 1 && btf_params(t)[0].type == 0)
				vlen = 0, unproto = true;
			for (i = 0; i < vlen; i++) {
				const struct btf_param *p = btf_params(t) + i;
				const char *pn = btf__name_by_offset(d->btf, p->name_off);

				if (i)
					evbpf__sb_puts(&params, ", ");
				if (p->type == 0) {
					evbpf__sb_puts(&params, "...");
					continue;
				}
				err = decl_str(d, p->type, pn ? pn : "", lvl, strip_mods,
					       &params, depth + 1);
				if (err) {
					evbpf__sb_free(&params);
					goto out;
				}
			}
			evbpf__sb_puts(&params, vlen || unproto ? ")" : "void)");
			evbpf__sb_puts(&decl, sb_str(&params));
			evbpf__sb_free(&params);
			id = t->type;
			continue;
		}
		case BTF_KIND_FUNC:
		case BTF_KIND_VAR:
			id = t->type;
			continue;
		default:
			break;
		}
		break;
	}

	evbpf__sb_puts(out, sb_str(&base_mods));
	switch (btf_kind(t)) {
	case BTF_KIND_UNKN:
		evbpf__sb_puts(out, "void");
		break;
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		evbpf__sb_puts(out, raw_name(d, id));
		break;
	case BTF_KIND_TYPEDEF:
		evbpf__sb_puts(out, type_name(d, id));
		break;
	case BTF_KIND_FWD:
		evbpf__sb_printf(out, "%s %s", btf_kflag(t) ? "union" : "struct", type_name(d, id));
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		evbpf__sb_puts(out, btf_is_struct(t) ? "struct" : btf_is_union(t) ? "union" : "enum");
		if (*raw_name(d, id)) {
			evbpf__sb_printf(out, " %s", type_name(d, id));
		} else {
			evbpf__sb_puts(out, " ");
			err = body_str(d, id, lvl, out, depth + 1);
			if (err)
				goto out;
		}
		break;
	default:
		err = -EINVAL;
		goto out;
	}
	evbpf__sb_puts(out, sb_str(&post_mods));
	if (decl.len) {
		evbpf__sb_puts(out, " ");
		evbpf__sb_puts(out, decl.s);
	}
out:
	evbpf__sb_free(&decl);
	evbpf__sb_free(&base_mods);
	evbpf__sb_free(&post_mods);
	if (!err && (out->oom || d->oom))
		err = -ENOMEM;
	return err;
}

int evbpf__dump_decl_str(struct btf_dump *d, __u32 id, struct evbpf__sb *out)
{
	return decl_str(d, id, "", 0, false, out, 0);
}

/* ---- ordering and emission of definitions ---- */

enum { ST_NONE, ST_EMITTING, ST_EMITTED };

static void emit_fwd(struct btf_dump *d, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(d->btf, id);
	const char *kw;

	if (d->fwd_done[id] || d->state[id] == ST_EMITTED)
		return;
	if (btf_is_any_enum(t))
		kw = "enum";
	else if (btf_is_union(t) || (btf_is_fwd(t) && btf_kflag(t)))
		kw = "union";
	else
		kw = "struct";
	evbpf__dump_printf(d, "%s %s;\n\n", kw, type_name(d, id));
	d->fwd_done[id] = true;
}

static int emit_def(struct btf_dump *d, __u32 id, const char *kw)
{
	struct evbpf__sb sb = {};
	int err;

	evbpf__sb_printf(&sb, "%s", kw);
	if (*raw_name(d, id))
		evbpf__sb_printf(&sb, " %s", type_name(d, id));
	evbpf__sb_puts(&sb, " ");
	err = body_str(d, id, 0, &sb, 0);
	evbpf__sb_puts(&sb, ";\n\n");
	return emit_sb_free(d, &sb, err);
}

static int order(struct btf_dump *d, __u32 id, bool need_def, int depth)
{
	const struct btf_type *t = btf__type_by_id(d->btf, id);
	__u16 vlen;
	__u32 i;
	int err;

	if (!t)
		return -EINVAL;
	if (depth > EVBPF_DUMP_MAX_DEPTH)
		return -ELOOP;
	if (--d->budget < 0)
		return -E2BIG;
	vlen = btf_vlen(t);
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		return order(d, t->type, false, depth + 1);
	case BTF_KIND_ARRAY:
		return order(d, btf_array(t)->type, true, depth + 1);
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return order(d, t->type, need_def, depth + 1);
	case BTF_KIND_FUNC_PROTO:
		if (d->state[id] != ST_NONE)
			return 0;
		d->state[id] = ST_EMITTING;
		err = order(d, t->type, false, depth + 1);
		for (i = 0; !err && i < vlen; i++)
			if (btf_params(t)[i].type)
				err = order(d, btf_params(t)[i].type, false, depth + 1);
		d->state[id] = ST_EMITTED;
		return err;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!*raw_name(d, id) || d->state[id] == ST_EMITTED)
			return 0;
		d->state[id] = ST_EMITTED;
		if (!vlen) {
			emit_fwd(d, id);
			return 0;
		}
		return emit_def(d, id, "enum");
	case BTF_KIND_FWD:
		if (*raw_name(d, id))
			emit_fwd(d, id);
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (d->state[id] == ST_EMITTED)
			return 0;
		if (*raw_name(d, id) && !need_def) {
			emit_fwd(d, id);
			return 0;
		}
		if (d->state[id] == ST_EMITTING)
			return 0;	/* only reachable through a pointer to an array */
		d->state[id] = ST_EMITTING;
		for (i = 0; i < vlen; i++) {
			err = order(d, btf_members(t)[i].type, true, depth + 1);
			if (err)
				return err;
		}
		if (*raw_name(d, id)) {
			err = emit_def(d, id, btf_is_struct(t) ? "struct" : "union");
			if (err)
				return err;
		}
		d->state[id] = ST_EMITTED;
		return 0;
	case BTF_KIND_TYPEDEF:
		if (d->state[id] == ST_NONE) {
			struct evbpf__sb sb = {};

			d->state[id] = ST_EMITTING;
			err = order(d, t->type, false, depth + 1);
			if (err)
				return err;
			evbpf__sb_puts(&sb, "typedef ");
			err = decl_str(d, t->type, type_name(d, id), 0, false, &sb, 0);
			evbpf__sb_puts(&sb, ";\n\n");
			err = emit_sb_free(d, &sb, err);
			if (err)
				return err;
			d->state[id] = ST_EMITTED;
		}
		if (need_def && d->state[id] == ST_EMITTED)
			return order(d, t->type, true, depth + 1);
		return 0;
	default:
		/* void, int, float: built in; func, var, datasec, decl_tag:
		 * nothing to declare in a header of types. */
		return 0;
	}
}

/* Marks types that some other type refers to: anonymous enums referred to
 * are printed inline there, the others at top level. */
static void mark_refs(struct btf_dump *d)
{
	__u32 id, n = btf__type_cnt(d->btf), i;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(d->btf, id);

		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			for (i = 0; i < btf_vlen(t); i++)
				d->referenced[btf_members(t)[i].type] = true;
			break;
		case BTF_KIND_FUNC_PROTO:
			d->referenced[t->type] = true;
			for (i = 0; i < btf_vlen(t); i++)
				d->referenced[btf_params(t)[i].type] = true;
			break;
		case BTF_KIND_ARRAY:
			d->referenced[btf_array(t)->type] = true;
			break;
		case BTF_KIND_PTR:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
		case BTF_KIND_VAR:
			d->referenced[t->type] = true;
			break;
		default:
			break;
		}
	}
}

/* ---- public API ---- */

struct btf_dump *btf_dump__new(const struct btf *btf, btf_dump_printf_fn_t printf_fn,
			       void *ctx, const struct btf_dump_opts *opts)
{
	struct btf_dump *d;
	__u32 n;

	if (!btf || !printf_fn || !OPTS_VALID(opts, btf_dump_opts, sz))
		return evbpf__err_ptr(-EINVAL);
	d = calloc(1, sizeof(*d));
	if (!d)
		return evbpf__err_ptr(-ENOMEM);
	d->btf = btf;
	d->printf_fn = printf_fn;
	d->ctx = ctx;
	n = btf__type_cnt(btf);
	d->nr = n;
	d->state = calloc(n, 1);
	d->fwd_done = calloc(n, sizeof(bool));
	d->referenced = calloc(n, sizeof(bool));
	d->names = calloc(n, sizeof(*d->names));
	d->align = calloc(n, sizeof(*d->align));
	if (!d->state || !d->fwd_done || !d->referenced || !d->names || !d->align) {
		btf_dump__free(d);
		return evbpf__err_ptr(-ENOMEM);
	}
	mark_refs(d);
	/* Names the compiler reserves: the kernel's own __builtin_va_list
	 * (an array of __va_list_tag on x86) must keep its layout, so it is
	 * printed under a suffixed name. */
	{
		bool found;

		if (!name_slot(&d->idents, "__builtin_va_list", &found)) {
			btf_dump__free(d);
			return evbpf__err_ptr(-ENOMEM);
		}
		*name_slot(&d->idents, "__builtin_va_list", &found) = 1;
	}
	return d;
}

void btf_dump__free(struct btf_dump *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nallocs; i++)
		free(d->allocs[i]);
	free(d->allocs);
	free(d->state);
	free(d->fwd_done);
	free(d->referenced);
	free(d->names);
	free(d->align);
	name_set_free(&d->tags);
	name_set_free(&d->idents);
	free(d);
}

/* Types added to the btf after btf_dump__new(): grow the per-id arrays. */
static int sync_types(struct btf_dump *d)
{
	__u32 n = btf__type_cnt(d->btf), old = d->nr;
	void *p;

	if (n <= old)
		return 0;
#define GROW(field) do {						\
		p = realloc(d->field, n * sizeof(*d->field));		\
		if (!p)							\
			return -ENOMEM;					\
		d->field = p;						\
		memset(d->field + old, 0, (n - old) * sizeof(*d->field)); \
	} while (0)
	GROW(state);
	GROW(fwd_done);
	GROW(referenced);
	GROW(names);
	GROW(align);
#undef GROW
	d->nr = n;
	memset(d->referenced, 0, n * sizeof(*d->referenced));
	mark_refs(d);
	return 0;
}

int btf_dump__dump_type(struct btf_dump *d, __u32 id)
{
	const struct btf_type *t;
	int err;

	if (!d)
		return evbpf__err(-EINVAL);
	err = sync_types(d);
	if (err)
		return evbpf__err(err);
	d->budget = EVBPF_DUMP_BUDGET;
	t = btf__type_by_id(d->btf, id);
	if (!t)
		return evbpf__err(-EINVAL);
	if (btf_is_any_enum(t) && !*raw_name(d, id)) {
		/* Anonymous enums nobody refers to carry constants: print
		 * them at top level, once. */
		if (d->referenced[id] || d->state[id] == ST_EMITTED || !btf_vlen(t))
			return 0;
		d->state[id] = ST_EMITTED;
		return evbpf__err(emit_def(d, id, "enum"));
	}
	err = order(d, id, true, 0);
	if (!err && d->oom)
		err = -ENOMEM;
	return evbpf__err(err);
}

int btf_dump__emit_type_decl(struct btf_dump *d, __u32 id,
			     const struct btf_dump_emit_type_decl_opts *opts)
{
	struct evbpf__sb sb = {};
	const char *fname;
	int err, lvl;
	bool strip;

	if (!d || !OPTS_VALID(opts, btf_dump_emit_type_decl_opts, strip_mods))
		return evbpf__err(-EINVAL);
	err = sync_types(d);
	if (err)
		return evbpf__err(err);
	if (!btf__type_by_id(d->btf, id))
		return evbpf__err(-EINVAL);
	d->budget = EVBPF_DUMP_BUDGET;
	fname = OPTS_GET(opts, field_name, NULL);
	lvl = OPTS_GET(opts, indent_level, 0);
	strip = OPTS_GET(opts, strip_mods, false);
	err = decl_str(d, id, fname ? fname : "", lvl, strip, &sb, 0);
	if (!err)
		emit_sb(d, &sb);
	evbpf__sb_free(&sb);
	return evbpf__err(err);
}
