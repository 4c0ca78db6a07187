// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btf_dump__dump_type_data(): a value in memory printed as a C compound
 * literal, e.g. (struct pair){.a = (int)1,.b = (char)'x',}. Zero-valued
 * members are left out unless emit_zeroes; char arrays print as strings
 * when emit_strings asks for it.
 */
#include <inttypes.h>
#include <stdio.h>

#include "btf_dump_internal.h"

struct data_ctx {
	struct btf_dump *d;
	struct evbpf__sb *out;
	const char *indent;
	const unsigned char *end;	/* end of the caller's data */
	int base_lvl;
	bool compact, skip_names, emit_zeroes, emit_strings;
};

static bool all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Whether @n bytes from @p lie inside the caller's data: BTF says how big a
 * type is, but not that its members or elements stay inside that size. */
static bool in_data(const struct data_ctx *c, const unsigned char *p, __u64 n)
{
	return p <= c->end && n <= (__u64)(c->end - p);
}

static void newline(struct data_ctx *c, int lvl)
{
	int i;

	if (c->compact)
		return;
	evbpf__sb_puts(c->out, "\n");
	for (i = 0; i < c->base_lvl + lvl; i++)
		evbpf__sb_puts(c->out, c->indent);
}

static int cast(struct data_ctx *c, __u32 id)
{
	int err;

	const struct btf_type *t = btf__type_by_id(c->d->btf, id);

	if (c->skip_names)
		return 0;
	if (btf_is_composite(t) && !t->name_off) {
		/* an anonymous body would not make a readable cast */
		evbpf__sb_puts(c->out, btf_is_struct(t) ? "(struct)" : "(union)");
		return 0;
	}
	evbpf__sb_puts(c->out, "(");
	err = evbpf__dump_decl_str(c->d, id, c->out);
	evbpf__sb_puts(c->out, ")");
	return err;
}

/* Reads @bits bits at bit @off of @p as an unsigned value (little or big
 * endian host: BTF bit offsets count from the lowest address). */
static __u64 read_bits(const unsigned char *p, __u32 off, __u32 bits)
{
	__u64 v = 0;
	__u32 i;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (i = 0; i < bits; i++) {
		__u32 b = off + i;

		v |= (__u64)((p[b / 8] >> (b % 8)) & 1) << i;
	}
#else
	for (i = 0; i < bits; i++) {
		__u32 b = off + i;

		v = (v << 1) | ((p[b / 8] >> (7 - b % 8)) & 1);
	}
#endif
	return v;
}

static __u64 read_uint(const unsigned char *p, __u32 size)
{
	union { __u8 u8; __u16 u16; __u32 u32; __u64 u64; } v;

	memcpy(&v, p, size);
	switch (size) {
	case 1: return v.u8;
	case 2: return v.u16;
	case 4: return v.u32;
	default: return v.u64;
	}
}

static void print_int(struct data_ctx *c, const struct btf_type *t, __u64 v, __u32 bits)
{
	__u8 enc = btf_int_encoding(t);
	const char *name = btf__name_by_offset(c->d->btf, t->name_off);

	if (enc & BTF_INT_BOOL) {
		evbpf__sb_puts(c->out, v ? "true" : "false");
	} else if ((enc & BTF_INT_CHAR) || (t->size == 1 && name && strstr(name, "char"))) {
		if (v >= 0x20 && v < 0x7f && v != '\'' && v != '\\')
			evbpf__sb_printf(c->out, "'%c'", (int)v);
		else
			evbpf__sb_printf(c->out, "%" PRIu64, (uint64_t)v);
	} else if (enc & BTF_INT_SIGNED) {
		__s64 s = bits < 64 && (v >> (bits - 1)) & 1 ? (__s64)(v | (~0ull << bits)) : (__s64)v;

		evbpf__sb_printf(c->out, "%" PRId64, (int64_t)s);
	} else {
		evbpf__sb_printf(c->out, "%" PRIu64, (uint64_t)v);
	}
}

static int value(struct data_ctx *c, __u32 id, const unsigned char *p, __u32 bit_off,
		 __u32 bits, int lvl, int depth);

/* A char array whose bytes form a NUL-terminated printable string. */
static bool is_string(const struct btf *btf, const struct btf_type *arr, const unsigned char *p)
{
	const struct btf_type *e = btf__type_by_id(btf, btf__resolve_type(btf, btf_array(arr)->type));
	__u32 n = btf_array(arr)->nelems, i;

	if (!e || !btf_is_int(e) || e->size != 1 || !n)
		return false;
	for (i = 0; i < n && p[i]; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '"' || p[i] == '\\')
			return false;
	return i < n;
}

static int composite(struct data_ctx *c, __u32 id, const struct btf_type *t,
		     const unsigned char *p, int lvl, int depth)
{
	__u32 i;
	int err;

	evbpf__sb_puts(c->out, "{");
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_member *m = btf_members(t) + i;
		const char *mn = btf__name_by_offset(c->d->btf, m->name_off);
		__u32 off, bits;
		__s64 sz;

		if (--c->d->budget < 0)
			return -E2BIG;
		evbpf__member_bits(c->d->btf, t, i, &off, &bits);
		if (!bits) {
			sz = btf__resolve_size(c->d->btf, m->type);
			if (sz < 0)
				return (int)sz;
			if (!in_data(c, p + off / 8, (__u64)sz))
				return -E2BIG;
			if (!c->emit_zeroes && all_zero(p + off / 8, (size_t)sz))
				continue;
		} else if (bits > 64 || !in_data(c, p, ((__u64)off + bits + 7) / 8)) {
			return bits > 64 ? -EINVAL : -E2BIG;
		} else if (!c->emit_zeroes && read_bits(p, off, bits) == 0) {
			continue;
		}
		newline(c, lvl + 1);
		if (!c->skip_names && mn && *mn)
			evbpf__sb_printf(c->out, ".%s = ", mn);
		err = value(c, m->type, p, off, bits, lvl + 1, depth + 1);
		if (err)
			return err;
		evbpf__sb_puts(c->out, ",");
	}
	newline(c, lvl);
	evbpf__sb_puts(c->out, "}");
	return 0;
}

/* Prints the value of type @id found at bit @bit_off of @p (@bits: a
 * bitfield's width, 0 otherwise). */
static int value(struct data_ctx *c, __u32 id, const unsigned char *p, __u32 bit_off,
		 __u32 bits, int lvl, int depth)
{
	const struct btf *btf = c->d->btf;
	const struct btf_type *t = btf__type_by_id(btf, id);
	__u32 rid, i;
	__s64 sz;
	int err;

	if (!t || depth > EVBPF_DUMP_MAX_DEPTH || bits > 64)
		return -EINVAL;
	if (--c->d->budget < 0)
		return -E2BIG;
	rid = (__u32)btf__resolve_type(btf, id);
	t = btf__type_by_id(btf, rid);
	if (!t)
		return -EINVAL;
	if (!bits)
		p += bit_off / 8;
	sz = bits ? ((__s64)bit_off + bits + 7) / 8 : btf__resolve_size(btf, rid);
	if (sz < 0)
		return (int)sz;
	if (!in_data(c, p, (__u64)sz))
		return -E2BIG;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		err = cast(c, id);
		if (bits)
			print_int(c, t, read_bits(p, bit_off, bits), bits);
		else if (t->size > 8)
			evbpf__sb_printf(c->out, "0x%016" PRIx64 "%016" PRIx64,
					 (uint64_t)read_uint(p + 8, 8), (uint64_t)read_uint(p, 8));
		else
			print_int(c, t, read_uint(p, t->size), t->size * 8);
		return err;
	case BTF_KIND_FLOAT:
		err = cast(c, id);
		if (t->size == 4) {
			float f;

			memcpy(&f, p, 4);
			evbpf__sb_printf(c->out, "%.9g", (double)f);
		} else if (t->size == 8) {
			double f;

			memcpy(&f, p, 8);
			evbpf__sb_printf(c->out, "%.17g", f);
		} else {
			evbpf__sb_puts(c->out, "0x");
			for (i = t->size; i > 0; i--)
				evbpf__sb_printf(c->out, "%02x", p[i - 1]);
		}
		return err;
	case BTF_KIND_PTR:
		err = cast(c, id);
		evbpf__sb_printf(c->out, "0x%" PRIx64,
				 (uint64_t)read_uint(p, (__u32)btf__pointer_size(btf)));
		return err;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		__u64 v = bits ? read_bits(p, bit_off, bits) : read_uint(p, t->size);

		err = cast(c, id);
		for (i = 0; i < btf_vlen(t); i++) {
			__u64 ev;
			__u32 noff;

			if (btf_is_enum(t)) {
				ev = (__u32)btf_enum(t)[i].val;
				noff = btf_enum(t)[i].name_off;
			} else {
				ev = btf_enum64_value(btf_enum64(t) + i);
				noff = *(const __u32 *)(btf_enum64(t) + i);
			}
			if (bits && bits < 64)
				ev &= (1ull << bits) - 1;
			else if (t->size < 8)
				ev &= (1ull << (t->size * 8)) - 1;
			if (ev == v) {
				evbpf__sb_puts(c->out, btf__name_by_offset(btf, noff));
				return err;
			}
		}
		evbpf__sb_printf(c->out, "%" PRIu64, (uint64_t)v);
		return err;
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		__s64 esz = btf__resolve_size(btf, a->type);

		if (esz < 0)
			return (int)esz;
		if (c->emit_strings && is_string(btf, t, p)) {
			evbpf__sb_printf(c->out, "\"%s\"", (const char *)p);
			return 0;
		}
		evbpf__sb_puts(c->out, "[");
		/* elements without bytes show nothing, however many there are */
		for (i = 0; esz && i < a->nelems; i++) {
			err = value(c, a->type, p + i * esz, 0, 0, lvl, depth + 1);
			if (err)
				return err;
			evbpf__sb_puts(c->out, ",");
		}
		evbpf__sb_puts(c->out, "]");
		return 0;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		err = cast(c, id);
		return err ? err : composite(c, rid, t, p, lvl, depth);
	case BTF_KIND_DATASEC:
		evbpf__sb_printf(c->out, "SEC(\"%s\") ", btf__name_by_offset(btf, t->name_off));
		for (i = 0; i < btf_vlen(t); i++) {
			const struct btf_var_secinfo *v = btf_var_secinfos(t) + i;
			const struct btf_type *vt = btf__type_by_id(btf, v->type);

			if (!btf_is_var(vt))
				continue;
			newline(c, lvl);
			evbpf__sb_printf(c->out, "%s = ", btf__name_by_offset(btf, vt->name_off));
			err = value(c, vt->type, p + v->offset, 0, 0, lvl, depth + 1);
			if (err)
				return err;
			evbpf__sb_puts(c->out, ";");
		}
		return 0;
	default:
		return -EINVAL;
	}
}

int btf_dump__dump_type_data(struct btf_dump *d, __u32 id, const void *data, size_t data_sz,
			     const struct btf_dump_type_data_opts *opts)
{
	struct evbpf__sb out = {};
	struct data_ctx c;
	__s64 size;
	int err;

	if (!d || !data || !OPTS_VALID(opts, btf_dump_type_data_opts, emit_strings))
		return evbpf__err(-EINVAL);
	size = btf__resolve_size(d->btf, id);
	if (size < 0)
		return evbpf__err((int)size);
	if ((__u64)size > data_sz)
		return evbpf__err(-E2BIG);
	d->budget = EVBPF_DUMP_BUDGET;
	c = (struct data_ctx){
		.d = d,
		.out = &out,
		.end = (const unsigned char *)data + data_sz,
		.indent = OPTS_GET(opts, indent_str, NULL) ? OPTS_GET(opts, indent_str, NULL) : "\t",
		.base_lvl = OPTS_GET(opts, indent_level, 0),
		.compact = OPTS_GET(opts, compact, false),
		.skip_names = OPTS_GET(opts, skip_names, false),
		.emit_zeroes = OPTS_GET(opts, emit_zeroes, false),
		.emit_strings = OPTS_GET(opts, emit_strings, false),
	};
	err = value(&c, id, data, 0, 0, 0, 0);
	if (!err && out.oom)
		err = -ENOMEM;
	if (!err && out.len)
		evbpf__dump_printf(d, "%s", out.s);
	evbpf__sb_free(&out);
	if (err)
		return evbpf__err(err);
	if (size > INT32_MAX)
		return evbpf__err(-E2BIG);
	return (int)size;
}
