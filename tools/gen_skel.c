// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `evbpf-gen skeleton OBJ [name NAME]` and `evbpf-gen subskeleton OBJ`:
 * write a .skel.h for a compiled BPF object with the API bpftool's
 * skeletons have (NAME__open, __open_opts, __open_and_load, __load,
 * __attach, __detach, __destroy, __elf_bytes; typed structs for the global
 * data sections; maps/progs/links members), usable from C and C++.
 *
 * The object is opened (never loaded) with evbpf's own loader to learn its
 * maps, programs and BTF; variable types are printed with btf_dump.
 *
 * `evbpf-gen skeleton -L` writes a light skeleton instead: the struct and
 * functions of bpftool's light skeletons around the loader that
 * bpf_object__gen_loader() generates from the object (relocated against
 * the running kernel, still nothing loaded), run by bpf/skel_internal.h.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/btf.h"
#include "bpf/libbpf.h"
#include "gen_skel.h"

#define NAME_MAX_LEN 128
#define GUARD_MAX_LEN (NAME_MAX_LEN + 16)

struct gen {
	const char *path;
	const char *base;		/* file name part of path */
	char name[NAME_MAX_LEN];	/* skeleton identifier */
	void *elf;
	size_t elf_sz;
	struct bpf_object *obj;
	const struct btf *btf;
	struct btf_dump *dump;
	FILE *out;
	bool subskel;
	bool light;			/* -L: loader program, no libbpf */
	struct gen_loader_opts loader;	/* -L: the object's generated loader */
};

static void emit(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void emit(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(g->out, fmt, ap);
	va_end(ap);
}

static void dump_printf(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

/* Replaces every character that cannot be in a C identifier with '_'. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			*s = '_';
}

static int fail(const struct gen *g, const char *what, int err)
{
	fprintf(stderr, "evbpf-gen: %s: %s%s%s\n", g->path, what,
		err ? ": " : "", err ? strerror(err < 0 ? -err : err) : "");
	return 1;
}

/* Section of a global data map (".rodata", ".data.foo"), or NULL. */
static const char *map_section(const struct bpf_map *map)
{
	const char *name = bpf_map__name(map);

	if (!name || !bpf_map__is_internal(map))
		return NULL;
	return name[0] == '.' ? name : strchr(name, '.');
}

/* A global data map the skeleton exposes as a typed pointer. */
static bool map_is_mmapable_data(const struct bpf_map *map)
{
	return map_section(map) && (bpf_map__map_flags(map) & BPF_F_MMAPABLE);
}

/* Member name of @map in `maps` (and of its data pointer). */
static void map_ident(const struct bpf_map *map, char *buf, size_t size)
{
	const char *sec = map_section(map);

	snprintf(buf, size, "%s", sec ? sec + 1 : bpf_map__name(map));
	sanitize(buf);
}

static const struct btf_type *map_datasec(const struct gen *g,
					  const struct bpf_map *map)
{
	const char *sec = map_section(map);
	__s32 id;

	if (!sec || !g->btf)
		return NULL;
	id = btf__find_by_name_kind(g->btf, sec, BTF_KIND_DATASEC);
	return id > 0 ? btf__type_by_id(g->btf, id) : NULL;
}

/* Whether the variable behind secinfo @vsi appears in the skeleton: static
 * variables do not (several may share a name once objects are linked). */
static const char *var_name(const struct gen *g,
			    const struct btf_var_secinfo *vsi)
{
	const struct btf_type *var = btf__type_by_id(g->btf, vsi->type);

	if (!var || !btf_is_var(var) || btf_var(var)->linkage == BTF_VAR_STATIC)
		return NULL;
	return btf__name_by_offset(g->btf, var->name_off);
}

static int emit_decl(struct gen *g, __u32 type_id, const char *field,
		     bool strip_mods)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts,
		.field_name = field,
		.indent_level = 2,
		.strip_mods = strip_mods,
	);

	return btf_dump__emit_type_decl(g->dump, type_id, &opts);
}

/*
 * Members of the struct for a data section: each variable at its offset,
 * explicit char padding where the section has a gap. In a subskeleton each
 * member is a pointer to the variable instead.
 */
static int emit_datasec_members(struct gen *g, const struct btf_type *sec,
				bool strip_mods)
{
	const struct btf_var_secinfo *vsi = btf_var_secinfos(sec);
	__u32 end = 0;
	int i, err, pad = 0;

	for (i = 0; i < btf_vlen(sec); i++) {
		const struct btf_type *var;
		const char *name = var_name(g, &vsi[i]);
		char field[256];

		if (!name)
			continue;
		var = btf__type_by_id(g->btf, vsi[i].type);
		if (!g->subskel && vsi[i].offset > end) {
			/* padding only where alignment does not produce the gap,
			 * alignment capped at 4 so 32-bit hosts agree (bpftool's
			 * rule, same struct text) */
			int align = btf__align_of(g->btf, var->type);
			__u32 aligned;

			if (align <= 0 || align > 4)
				align = align <= 0 ? 1 : 4;
			aligned = (end + align - 1) / align * align;
			if (aligned != vsi[i].offset)
				emit(g, "\t\tchar __pad%d[%u];\n", pad++, vsi[i].offset - end);
		}
		if (g->subskel) {
			const struct btf_type *t = btf__type_by_id(g->btf, var->type);

			/* (*x)[N] for arrays: a pointer to the whole array */
			while (t && btf_is_mod(t))
				t = btf__type_by_id(g->btf, t->type);
			snprintf(field, sizeof(field),
				 t && btf_is_array(t) ? "(*%s)" : "*%s", name);
		} else {
			snprintf(field, sizeof(field), "%s", name);
		}
		emit(g, "\t\t");
		err = emit_decl(g, var->type, field, strip_mods);
		if (err)
			return err;
		emit(g, ";\n");
		if (vsi[i].offset + vsi[i].size > end)
			end = vsi[i].offset + vsi[i].size;
	}
	return 0;
}

/*
 * One struct per global data map, as bpftool writes them: a skeleton has
 * one for every mmapable data map, empty when its variables are all static
 * or when the section has no DATASEC (e.g. .rodata.str1.1), so code using
 * skel->bss compiles whatever the object holds; a subskeleton has one per
 * DATASEC.
 */
static int emit_datasecs(struct gen *g)
{
	struct bpf_map *map;
	char ident[256];
	int err;

	bpf_object__for_each_map(map, g->obj) {
		const struct btf_type *sec;
		bool kconfig;

		if (!map_is_mmapable_data(map))
			continue;
		sec = map_datasec(g, map);
		map_ident(map, ident, sizeof(ident));
		if (!sec) {
			if (!g->subskel)
				emit(g, "\tstruct %s__%s {\n\t} *%s;\n", g->name, ident, ident);
			continue;
		}
		kconfig = !strcmp(map_section(map), ".kconfig");
		emit(g, "\tstruct %s__%s {\n", g->name, ident);
		/* .kconfig stays const: the kernel's values, read-only */
		err = emit_datasec_members(g, sec, !kconfig);
		if (err)
			return err;
		emit(g, g->subskel ? "\t} %s;\n" : "\t} *%s;\n", ident);
	}
	return 0;
}

/* static_asserts that the compiler laid the data structs out as the BPF
 * object did (sizes of each variable). */
static void emit_asserts(struct gen *g)
{
	struct bpf_map *map;
	char ident[256];

	emit(g, "\n__attribute__((unused)) static void\n%s__assert(struct %s *s __attribute__((unused)))\n{\n",
	     g->name, g->name);
	emit(g, "#ifdef __cplusplus\n#define _Static_assert static_assert\n#endif\n");
	bpf_object__for_each_map(map, g->obj) {
		const struct btf_type *sec = map_is_mmapable_data(map) ?
					     map_datasec(g, map) : NULL;
		const struct btf_var_secinfo *vsi;
		int i;

		if (!sec)
			continue;
		map_ident(map, ident, sizeof(ident));
		vsi = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++) {
			const char *name = var_name(g, &vsi[i]);

			if (!name)
				continue;
			emit(g, "\t_Static_assert(sizeof(%ss->%s%s%s) == %u, \"unexpected size of '%s'\");\n",
			     g->subskel ? "*" : "", ident, g->subskel ? "." : "->",
			     name, vsi[i].size, name);
		}
	}
	emit(g, "#ifdef __cplusplus\n#undef _Static_assert\n#endif\n}\n");
}

static int count_maps(const struct gen *g)
{
	struct bpf_map *map;
	int n = 0;

	bpf_object__for_each_map(map, g->obj)
		n++;
	return n;
}

static int count_progs(const struct gen *g)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, g->obj)
		n++;
	return n;
}

static bool is_struct_ops(const struct bpf_map *map)
{
	return bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS;
}

/* The type @id names once modifiers and typedefs are peeled off. */
static const struct btf_type *skip_mods_typedefs(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

/* Whether type @id is a pointer to a function. */
static bool is_func_ptr(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = skip_mods_typedefs(btf, id);

	if (!t || !btf_is_ptr(t))
		return false;
	t = skip_mods_typedefs(btf, t->type);
	return t && btf_is_func_proto(t);
}

/*
 * The shadow type of struct_ops map @map, laid out like the struct the
 * kernel gets: scalar members under their own types (modifiers stripped),
 * function pointers as the struct bpf_program that implements them, every
 * other member an opaque __unsupported_<index> byte array, gaps as
 * __padding_<index> and __padding_end. bpftool's layout and names.
 */
static int emit_st_ops_shadow(struct gen *g, const struct bpf_map *map, const char *ident)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .indent_level = 3, .strip_mods = true);
	__u32 type_id = bpf_map__btf_value_type_id(map), next = 0, off;
	const struct btf_type *st = btf__type_by_id(g->btf, type_id);
	const struct btf_member *m;
	__s64 size;
	int i, err;

	if (!st || !btf_is_struct(st)) {
		/* the variable that defines the map in .struct_ops[.link] */
		__s32 var = btf__find_by_name_kind(g->btf, bpf_map__name(map), BTF_KIND_VAR);

		st = var > 0 ? btf__type_by_id(g->btf, (__u32)var) : NULL;
		type_id = st ? st->type : 0;
		st = type_id ? skip_mods_typedefs(g->btf, type_id) : NULL;
	}
	if (!st || !btf_is_struct(st)) {
		fprintf(stderr, "evbpf-gen: %s: struct_ops map '%s' has no struct type\n", g->path,
			bpf_map__name(map));
		return -EINVAL;
	}
	emit(g, "\t\tstruct %s__%s__%s {\n", g->name, ident,
	     btf__name_by_offset(g->btf, st->name_off));
	m = btf_members(st);
	for (i = 0; i < btf_vlen(st); i++, m++) {
		const char *mname = btf__name_by_offset(g->btf, m->name_off);
		const struct btf_type *mt;

		off = btf_member_bit_offset(st, i) / 8;
		if (off > next)
			emit(g, "\t\t\tchar __padding_%d[%u];\n", i, off - next);
		mt = skip_mods_typedefs(g->btf, m->type);
		size = btf__resolve_size(g->btf, m->type);
		if (size < 0) {
			fprintf(stderr, "evbpf-gen: %s: size of member '%s' of '%s' unknown\n", g->path,
				mname, btf__name_by_offset(g->btf, st->name_off));
			return (int)size;
		}
		if (mt && !btf_member_bitfield_size(st, i) &&
		    (btf_is_int(mt) || btf_is_any_enum(mt) || btf_is_float(mt))) {
			emit(g, "\t\t\t");
			opts.field_name = mname;
			err = btf_dump__emit_type_decl(g->dump, m->type, &opts);
			if (err)
				return err;
			emit(g, ";\n");
		} else if (!btf_member_bitfield_size(st, i) && is_func_ptr(g->btf, m->type)) {
			emit(g, "\t\t\tstruct bpf_program *%s;\n", mname);
		} else {
			emit(g, "\t\t\tchar __unsupported_%d[%lld];\n", i, (long long)size);
		}
		next = off + (__u32)size;
	}
	size = btf__resolve_size(g->btf, type_id);
	if (size > 0 && next < (__u32)size)
		emit(g, "\t\t\tchar __padding_end[%u];\n", (__u32)size - next);
	emit(g, "\t\t} *%s;\n", ident);
	return 0;
}

static int emit_members(struct gen *g, bool links)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char ident[256];
	bool any = false;
	int err;

	if (count_maps(g)) {
		emit(g, "\tstruct {\n");
		bpf_object__for_each_map(map, g->obj) {
			map_ident(map, ident, sizeof(ident));
			emit(g, "\t\tstruct bpf_map *%s;\n", ident);
		}
		emit(g, "\t} maps;\n");
	}
	/* skeletons: typed access to each struct_ops map's members */
	bpf_object__for_each_map(map, g->obj) {
		if (!links || !is_struct_ops(map))
			continue;
		if (!any)
			emit(g, "\tstruct {\n");
		any = true;
		map_ident(map, ident, sizeof(ident));
		err = emit_st_ops_shadow(g, map, ident);
		if (err)
			return err;
	}
	if (any)
		emit(g, "\t} struct_ops;\n");
	if (count_progs(g)) {
		emit(g, "\tstruct {\n");
		bpf_object__for_each_program(prog, g->obj)
			emit(g, "\t\tstruct bpf_program *%s;\n", bpf_program__name(prog));
		emit(g, "\t} progs;\n");
	}
	if (!links || (!count_progs(g) && !any))
		return 0;
	/* a link per program, and one per struct_ops map (registered by
	 * attach, unregistered by detach) */
	emit(g, "\tstruct {\n");
	bpf_object__for_each_program(prog, g->obj)
		emit(g, "\t\tstruct bpf_link *%s;\n", bpf_program__name(prog));
	bpf_object__for_each_map(map, g->obj) {
		if (!is_struct_ops(map))
			continue;
		map_ident(map, ident, sizeof(ident));
		emit(g, "\t\tstruct bpf_link *%s;\n", ident);
	}
	emit(g, "\t} links;\n");
	return 0;
}

/* After open: each struct_ops shadow pointer aims at the map's data. */
static void emit_st_ops_init(struct gen *g)
{
	struct bpf_map *map;
	char ident[256];

	bpf_object__for_each_map(map, g->obj) {
		if (!is_struct_ops(map))
			continue;
		map_ident(map, ident, sizeof(ident));
		emit(g, "\tobj->struct_ops.%s = (__typeof__(obj->struct_ops.%s))\n"
		     "\t\tbpf_map__initial_value(obj->maps.%s, NULL);\n", ident, ident, ident);
	}
}

/* Fills s->maps / s->progs (and vars for a subskeleton) in create code. */
static void emit_skel_arrays(struct gen *g)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char ident[256];
	int i, n;

	n = count_maps(g);
	if (n) {
		emit(g, "\n\t/* maps */\n\ts->map_cnt = %d;\n\ts->map_skel_sz = sizeof(*s->maps);\n", n);
		emit(g, "\ts->maps = (struct bpf_map_skeleton *)calloc(s->map_cnt, s->map_skel_sz);\n");
		emit(g, "\tif (!s->maps)\n\t\tgoto err;\n");
		i = 0;
		bpf_object__for_each_map(map, g->obj) {
			map_ident(map, ident, sizeof(ident));
			/* a subskeleton's object is named by someone else: use
			 * section names for global data maps */
			emit(g, "\n\ts->maps[%d].name = \"%s\";\n", i,
			     g->subskel && map_section(map) ? map_section(map)
							    : bpf_map__name(map));
			emit(g, "\ts->maps[%d].map = &obj->maps.%s;\n", i, ident);
			if (!g->subskel && map_is_mmapable_data(map))
				emit(g, "\ts->maps[%d].mmaped = (void **)&obj->%s;\n", i, ident);
			if (!g->subskel && bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
				emit(g, "\ts->maps[%d].link = &obj->links.%s;\n", i, ident);
			i++;
		}
	}
	n = count_progs(g);
	if (n) {
		emit(g, "\n\t/* programs */\n\ts->prog_cnt = %d;\n\ts->prog_skel_sz = sizeof(*s->progs);\n", n);
		emit(g, "\ts->progs = (struct bpf_prog_skeleton *)calloc(s->prog_cnt, s->prog_skel_sz);\n");
		emit(g, "\tif (!s->progs)\n\t\tgoto err;\n");
		i = 0;
		bpf_object__for_each_program(prog, g->obj) {
			const char *pn = bpf_program__name(prog);

			emit(g, "\n\ts->progs[%d].name = \"%s\";\n", i, pn);
			emit(g, "\ts->progs[%d].prog = &obj->progs.%s;\n", i, pn);
			if (!g->subskel)
				emit(g, "\ts->progs[%d].link = &obj->links.%s;\n", i, pn);
			i++;
		}
	}
}

static void emit_subskel_vars(struct gen *g)
{
	struct bpf_map *map;
	char ident[256];
	int i, n = 0;

	bpf_object__for_each_map(map, g->obj) {
		const struct btf_type *sec = map_is_mmapable_data(map) ?
					     map_datasec(g, map) : NULL;
		const struct btf_var_secinfo *vsi;

		if (!sec)
			continue;
		vsi = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++)
			n += var_name(g, &vsi[i]) != NULL;
	}
	if (!n)
		return;
	emit(g, "\n\t/* variables */\n\ts->var_cnt = %d;\n\ts->var_skel_sz = sizeof(*s->vars);\n", n);
	emit(g, "\ts->vars = (struct bpf_var_skeleton *)calloc(s->var_cnt, s->var_skel_sz);\n");
	emit(g, "\tif (!s->vars)\n\t\tgoto err;\n");
	n = 0;
	bpf_object__for_each_map(map, g->obj) {
		const struct btf_type *sec = map_is_mmapable_data(map) ?
					     map_datasec(g, map) : NULL;
		const struct btf_var_secinfo *vsi;

		if (!sec)
			continue;
		map_ident(map, ident, sizeof(ident));
		vsi = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++) {
			const char *name = var_name(g, &vsi[i]);

			if (!name)
				continue;
			emit(g, "\n\ts->vars[%d].name = \"%s\";\n", n, name);
			emit(g, "\ts->vars[%d].map = &obj->maps.%s;\n", n, ident);
			emit(g, "\ts->vars[%d].addr = (void **)&obj->%s.%s;\n", n, ident, name);
			n++;
		}
	}
}

/* @sz bytes at @p as the body of a string literal, every byte escaped. */
static void emit_bytes(struct gen *g, const void *p, size_t sz)
{
	const unsigned char *b = p;
	size_t i;

	emit(g, "\"");
	for (i = 0; i < sz; i++) {
		if (i && i % 24 == 0)
			emit(g, "\"\n\t\t\"");
		if (b[i])
			emit(g, "\\x%02x", b[i]);
		else
			emit(g, "\\0");
	}
	emit(g, "\"");
}

/* The ELF image as a string literal. */
static void emit_elf_bytes(struct gen *g)
{
	emit(g, "\nstatic inline const void *%s__elf_bytes(size_t *sz)\n{\n", g->name);
	emit(g, "\t*sz = %zu;\n\treturn (const void *)\n\t\t", g->elf_sz);
	emit_bytes(g, g->elf, g->elf_sz);
	emit(g, ";\n}\n");
}

/* The include guard "__<NAME>_<SUFFIX>_H__" of the header for @g. */
static void guard_name(const struct gen *g, const char *suffix, char *buf,
		       size_t size)
{
	size_t i;

	snprintf(buf, size, "__%s_%s_H__", g->name, suffix);
	for (i = 0; buf[i]; i++)
		buf[i] = toupper((unsigned char)buf[i]);
}

/* The header's opening: licence, origin, include guard, includes, then
 * struct <name> from its first members @head through the data sections
 * (with the program links when @links). */
static int emit_prologue(struct gen *g, const char *kind, const char *guard,
			 const char *head, bool links)
{
	int err;

	emit(g, "/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */\n"
	     "/* Generated by evbpf-gen %s from %s; do not edit. */\n"
	     "#ifndef %s\n#define %s\n\n"
	     "#include <errno.h>\n#include <stdlib.h>\n#include <bpf/libbpf.h>\n\n",
	     kind, g->base, guard, guard);
	/* skeletons carry struct_ops link slots that attach fills */
	if (links)
		emit(g, "#define BPF_SKEL_SUPPORTS_MAP_AUTO_ATTACH 1\n\n");
	emit(g, "struct %s {\n%s", g->name, head);
	err = emit_members(g, links);
	return err ? err : emit_datasecs(g);
}

static int emit_skeleton(struct gen *g)
{
	const char *n = g->name;
	char guard[GUARD_MAX_LEN];
	int err;

	guard_name(g, "SKEL", guard, sizeof(guard));
	err = emit_prologue(g, "skeleton", guard,
			    "\tstruct bpf_object_skeleton *skeleton;\n\tstruct bpf_object *obj;\n",
			    true);
	if (err)
		return err;
	emit(g, "\n#ifdef __cplusplus\n"
	     "\tstatic inline struct %s *open(const struct bpf_object_open_opts *opts = nullptr);\n"
	     "\tstatic inline struct %s *open_and_load();\n"
	     "\tstatic inline int load(struct %s *skel);\n"
	     "\tstatic inline int attach(struct %s *skel);\n"
	     "\tstatic inline void detach(struct %s *skel);\n"
	     "\tstatic inline void destroy(struct %s *skel);\n"
	     "\tstatic inline const void *elf_bytes(size_t *sz);\n"
	     "#endif /* __cplusplus */\n};\n", n, n, n, n, n, n);

	emit(g, "\nstatic inline void\n%s__destroy(struct %s *obj)\n{\n"
	     "\tif (!obj)\n\t\treturn;\n"
	     "\tif (obj->skeleton)\n\t\tbpf_object__destroy_skeleton(obj->skeleton);\n"
	     "\tfree(obj);\n}\n", n, n);
	emit(g, "\nstatic inline const void *%s__elf_bytes(size_t *sz);\n", n);

	emit(g, "\nstatic inline int\n%s__create_skeleton(struct %s *obj)\n{\n"
	     "\tstruct bpf_object_skeleton *s;\n\n"
	     "\ts = (struct bpf_object_skeleton *)calloc(1, sizeof(*s));\n"
	     "\tif (!s)\n\t\tgoto err;\n"
	     "\ts->sz = sizeof(*s);\n\ts->name = \"%s\";\n\ts->obj = &obj->obj;\n",
	     n, n, n);
	emit_skel_arrays(g);
	emit(g, "\n\ts->data = %s__elf_bytes(&s->data_sz);\n"
	     "\tobj->skeleton = s;\n\treturn 0;\nerr:\n"
	     "\tbpf_object__destroy_skeleton(s);\n\treturn -ENOMEM;\n}\n", n);

	emit(g, "\nstatic inline struct %s *\n%s__open_opts(const struct bpf_object_open_opts *opts)\n{\n"
	     "\tstruct %s *obj;\n\tint err;\n\n"
	     "\tobj = (struct %s *)calloc(1, sizeof(*obj));\n"
	     "\tif (!obj) {\n\t\terrno = ENOMEM;\n\t\treturn NULL;\n\t}\n"
	     "\terr = %s__create_skeleton(obj);\n"
	     "\tif (!err)\n\t\terr = bpf_object__open_skeleton(obj->skeleton, opts);\n"
	     "\tif (err) {\n\t\t%s__destroy(obj);\n\t\terrno = -err;\n\t\treturn NULL;\n\t}\n",
	     n, n, n, n, n, n);
	emit_st_ops_init(g);
	emit(g, "\treturn obj;\n}\n");
	emit(g, "\nstatic inline struct %s *\n%s__open(void)\n{\n"
	     "\treturn %s__open_opts(NULL);\n}\n", n, n, n);
	emit(g, "\nstatic inline int\n%s__load(struct %s *obj)\n{\n"
	     "\treturn bpf_object__load_skeleton(obj->skeleton);\n}\n", n, n);
	emit(g, "\nstatic inline struct %s *\n%s__open_and_load(void)\n{\n"
	     "\tstruct %s *obj;\n\tint err;\n\n"
	     "\tobj = %s__open();\n\tif (!obj)\n\t\treturn NULL;\n"
	     "\terr = %s__load(obj);\n"
	     "\tif (err) {\n\t\t%s__destroy(obj);\n\t\terrno = -err;\n\t\treturn NULL;\n\t}\n"
	     "\treturn obj;\n}\n", n, n, n, n, n, n);
	emit(g, "\nstatic inline int\n%s__attach(struct %s *obj)\n{\n"
	     "\treturn bpf_object__attach_skeleton(obj->skeleton);\n}\n", n, n);
	emit(g, "\nstatic inline void\n%s__detach(struct %s *obj)\n{\n"
	     "\tbpf_object__detach_skeleton(obj->skeleton);\n}\n", n, n);
	emit_elf_bytes(g);

	emit(g, "\n#ifdef __cplusplus\n"
	     "struct %s *%s::open(const struct bpf_object_open_opts *opts) { return %s__open_opts(opts); }\n"
	     "struct %s *%s::open_and_load() { return %s__open_and_load(); }\n"
	     "int %s::load(struct %s *skel) { return %s__load(skel); }\n"
	     "int %s::attach(struct %s *skel) { return %s__attach(skel); }\n"
	     "void %s::detach(struct %s *skel) { %s__detach(skel); }\n"
	     "void %s::destroy(struct %s *skel) { %s__destroy(skel); }\n"
	     "const void *%s::elf_bytes(size_t *sz) { return %s__elf_bytes(sz); }\n"
	     "#endif /* __cplusplus */\n",
	     n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n);
	emit_asserts(g);
	emit(g, "\n#endif /* %s */\n", guard);
	return 0;
}

static int emit_subskeleton(struct gen *g)
{
	const char *n = g->name;
	char guard[GUARD_MAX_LEN];
	int err;

	guard_name(g, "SUBSKEL", guard, sizeof(guard));
	err = emit_prologue(g, "subskeleton", guard,
			    "\tstruct bpf_object *obj;\n\tstruct bpf_object_subskeleton *subskel;\n",
			    false);
	if (err)
		return err;
	emit(g, "\n#ifdef __cplusplus\n"
	     "\tstatic inline struct %s *open(const struct bpf_object *src);\n"
	     "\tstatic inline void destroy(struct %s *skel);\n"
	     "#endif /* __cplusplus */\n};\n", n, n);
	emit(g, "\nstatic inline void\n%s__destroy(struct %s *skel)\n{\n"
	     "\tif (!skel)\n\t\treturn;\n"
	     "\tif (skel->subskel)\n\t\tbpf_object__destroy_subskeleton(skel->subskel);\n"
	     "\tfree(skel);\n}\n", n, n);
	emit(g, "\nstatic inline struct %s *\n%s__open(const struct bpf_object *src)\n{\n"
	     "\tstruct bpf_object_subskeleton *s = NULL;\n\tstruct %s *obj;\n\tint err;\n\n"
	     "\tobj = (struct %s *)calloc(1, sizeof(*obj));\n"
	     "\tif (!obj) {\n\t\terrno = ENOMEM;\n\t\treturn NULL;\n\t}\n"
	     "\ts = (struct bpf_object_subskeleton *)calloc(1, sizeof(*s));\n"
	     "\tif (!s)\n\t\tgoto err;\n"
	     "\ts->sz = sizeof(*s);\n\ts->obj = src;\n\tobj->subskel = s;\n\tobj->obj = (struct bpf_object *)src;\n",
	     n, n, n, n);
	emit_skel_arrays(g);
	emit_subskel_vars(g);
	emit(g, "\n\terr = bpf_object__open_subskeleton(s);\n"
	     "\tif (err) {\n\t\t%s__destroy(obj);\n\t\terrno = -err;\n\t\treturn NULL;\n\t}\n"
	     "\treturn obj;\nerr:\n\t%s__destroy(obj);\n\terrno = ENOMEM;\n\treturn NULL;\n}\n",
	     n, n);
	emit(g, "\n#ifdef __cplusplus\n"
	     "struct %s *%s::open(const struct bpf_object *src) { return %s__open(src); }\n"
	     "void %s::destroy(struct %s *skel) { %s__destroy(skel); }\n"
	     "#endif /* __cplusplus */\n", n, n, n, n, n, n);
	emit_asserts(g);
	emit(g, "\n#endif /* %s */\n", guard);
	return 0;
}

/* ---- light skeletons (-L) ---- */

/* The raw tracepoint a light skeleton's attach opens for @prog: "" for a
 * BTF-targeted program (tp_btf, fentry/fexit, lsm), the tracepoint name
 * for raw_tp/NAME, NULL when the program is attached by its user. */
static const char *lskel_attach_target(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);
	const char *slash = strchr(sec, '/');

	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return slash && slash[1] ? slash + 1 : NULL;
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_LSM:
		return bpf_program__expected_attach_type(prog) == BPF_TRACE_ITER ? NULL : "";
	default:
		return NULL;
	}
}

static void emit_lskel_struct(struct gen *g)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char ident[256];

	emit(g, "struct %s {\n\tstruct bpf_loader_ctx ctx;\n\tstruct {\n", g->name);
	bpf_object__for_each_map(map, g->obj) {
		map_ident(map, ident, sizeof(ident));
		emit(g, "\t\tstruct bpf_map_desc %s;\n", ident);
	}
	emit(g, "\t} maps;\n\tstruct {\n");
	bpf_object__for_each_program(prog, g->obj)
		emit(g, "\t\tstruct bpf_prog_desc %s;\n", bpf_program__name(prog));
	emit(g, "\t} progs;\n\tstruct {\n");
	bpf_object__for_each_program(prog, g->obj)
		emit(g, "\t\tint %s_fd;\n", bpf_program__name(prog));
	emit(g, "\t} links;\n");
}

static void emit_lskel_functions(struct gen *g)
{
	const char *n = g->name;
	struct bpf_program *prog;
	struct bpf_map *map;
	char ident[256];

	/* the mapping size of a global data map on the running machine */
	emit(g, "static inline size_t\n%s__mmap_sz(size_t sz)\n{\n"
	     "\tsize_t page = (size_t)sysconf(_SC_PAGESIZE);\n\n"
	     "\treturn (sz + page - 1) / page * page;\n}\n\n", n);
	bpf_object__for_each_program(prog, g->obj) {
		const char *p = bpf_program__name(prog), *target = lskel_attach_target(prog);

		if (!target)
			continue;
		emit(g, "static inline int\n%s__%s__attach(struct %s *skel)\n{\n"
		     "\tint fd = skel_raw_tracepoint_open(", n, p, n);
		if (*target)
			emit(g, "\"%s\"", target);
		else
			emit(g, "NULL");
		emit(g, ", skel->progs.%s.prog_fd);\n\n"
		     "\tif (fd < 0)\n\t\treturn -errno;\n"
		     "\tskel->links.%s_fd = fd;\n\treturn 0;\n}\n\n", p, p);
	}
	emit(g, "/* Attaches the raw tracepoint, tracing and LSM programs; others are\n"
	     " * attached by their user with the fds in skel->progs. */\n"
	     "static inline int\n%s__attach(struct %s *skel)\n{\n\tint err = 0;\n\n", n, n);
	bpf_object__for_each_program(prog, g->obj)
		if (lskel_attach_target(prog))
			emit(g, "\terr = err ? err : %s__%s__attach(skel);\n", n,
			     bpf_program__name(prog));
	emit(g, "\treturn err;\n}\n\n");
	emit(g, "static inline void\n%s__detach(struct %s *skel)\n{\n", n, n);
	bpf_object__for_each_program(prog, g->obj)
		emit(g, "\tskel_closenz(skel->links.%s_fd);\n\tskel->links.%s_fd = 0;\n",
		     bpf_program__name(prog), bpf_program__name(prog));
	emit(g, "}\n\n");

	emit(g, "static inline void\n%s__destroy(struct %s *skel)\n{\n"
	     "\tif (!skel)\n\t\treturn;\n\t%s__detach(skel);\n", n, n, n);
	bpf_object__for_each_program(prog, g->obj)
		emit(g, "\tskel_closenz(skel->progs.%s.prog_fd);\n", bpf_program__name(prog));
	bpf_object__for_each_map(map, g->obj) {
		map_ident(map, ident, sizeof(ident));
		if (map_is_mmapable_data(map))
			emit(g, "\tskel_free_map_data(skel->%s, skel->maps.%s.initial_value, "
			     "%s__mmap_sz(%u));\n", ident, ident, n, bpf_map__value_size(map));
		emit(g, "\tskel_closenz(skel->maps.%s.map_fd);\n", ident);
	}
	emit(g, "\tskel_free(skel);\n}\n\n");

	/* open: the global data staged in anonymous mappings the caller may
	 * change until load */
	emit(g, "static inline struct %s *\n%s__open(void)\n{\n\tstruct %s *skel;\n\n"
	     "\tskel = (struct %s *)skel_alloc(sizeof(*skel));\n\tif (!skel)\n\t\treturn NULL;\n"
	     "\tskel->ctx.sz = (__u32)offsetof(struct %s, links);\n", n, n, n, n, n);
	bpf_object__for_each_map(map, g->obj) {
		const void *init;
		size_t sz = 0;

		if (!map_is_mmapable_data(map))
			continue;
		map_ident(map, ident, sizeof(ident));
		init = bpf_map__initial_value(map, &sz);
		emit(g, "\tskel->%s = (__typeof__(skel->%s))skel_prep_map_data((const void *)\n\t\t",
		     ident, ident);
		if (init && sz)
			emit_bytes(g, init, sz);
		else
			emit(g, "\"\"");
		emit(g, ", %s__mmap_sz(%zu), %zu);\n\tif (!skel->%s)\n\t\tgoto fail;\n"
		     "\tskel->maps.%s.initial_value = (__u64)(unsigned long)skel->%s;\n",
		     n, sz, init ? sz : 0, ident, ident, ident);
	}
	emit(g, "\treturn skel;\nfail:\n\t%s__destroy(skel);\n\treturn NULL;\n}\n\n", n);

	/* load: the generated loader, then the maps' memory over the staging
	 * copies */
	emit(g, "static inline int\n%s__load(struct %s *skel)\n{\n"
	     "\tstruct bpf_load_and_run_opts opts = {0};\n\tvoid *m;\n\tint err;\n\n"
	     "\topts.ctx = (struct bpf_loader_ctx *)skel;\n"
	     "\topts.data_sz = %u;\n\topts.data = (const void *)\n\t\t", n, n, g->loader.data_sz);
	emit_bytes(g, g->loader.data, g->loader.data_sz);
	emit(g, ";\n\topts.insns_sz = %u;\n\topts.insns = (const void *)\n\t\t",
	     g->loader.insns_sz);
	emit_bytes(g, g->loader.insns, g->loader.insns_sz);
	emit(g, ";\n\terr = bpf_load_and_run(&opts);\n\tif (err < 0)\n\t\treturn err;\n");
	bpf_object__for_each_map(map, g->obj) {
		const char *sec = map_section(map);
		bool rdonly;

		if (!map_is_mmapable_data(map))
			continue;
		rdonly = !strncmp(sec, ".rodata", 7) || !strcmp(sec, ".kconfig");
		map_ident(map, ident, sizeof(ident));
		emit(g, "\tm = skel_finalize_map_data(&skel->maps.%s.initial_value, "
		     "%s__mmap_sz(%u),\n\t\t\t\t   %s, skel->maps.%s.map_fd);\n"
		     "\tif (!m)\n\t\treturn -errno;\n\tskel->%s = (__typeof__(skel->%s))m;\n",
		     ident, n, bpf_map__value_size(map),
		     rdonly ? "PROT_READ" : "PROT_READ | PROT_WRITE", ident, ident, ident);
	}
	emit(g, "\treturn 0;\n}\n\n");
	emit(g, "static inline struct %s *\n%s__open_and_load(void)\n{\n"
	     "\tstruct %s *skel = %s__open();\n\n\tif (!skel)\n\t\treturn NULL;\n"
	     "\tif (%s__load(skel)) {\n\t\t%s__destroy(skel);\n\t\treturn NULL;\n\t}\n"
	     "\treturn skel;\n}\n", n, n, n, n, n, n);
}

static int emit_lskeleton(struct gen *g)
{
	char guard[GUARD_MAX_LEN];
	int err;

	guard_name(g, "LSKEL", guard, sizeof(guard));
	emit(g, "/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */\n"
	     "/* Generated by evbpf-gen skeleton -L from %s; do not edit. */\n"
	     "#ifndef %s\n#define %s\n\n"
	     "#include <errno.h>\n#include <stddef.h>\n#include <unistd.h>\n"
	     "#include <bpf/skel_internal.h>\n\n", g->base, guard, guard);
	emit_lskel_struct(g);
	err = emit_datasecs(g);
	if (err)
		return err;
	emit(g, "};\n\n");
	emit_lskel_functions(g);
	emit(g, "\n#endif /* %s */\n", guard);
	return 0;
}

/* Generates the object's loader (bpf_object__gen_loader()): the object is
 * relocated against the running kernel, nothing is loaded. */
static int gen_light_loader(struct gen *g)
{
	int err;

	g->loader.sz = sizeof(g->loader);
	err = bpf_object__gen_loader(g->obj, &g->loader);
	if (!err)
		err = bpf_object__load(g->obj);
	return err;
}

/*
 * An extern function that is neither a kfunc (declared __ksym, so in the
 * .ksyms DATASEC) nor defined in the object can never be loaded: the
 * object needs `evbpf-gen object` with the one defining it first. Refused
 * here, as bpftool refuses it, rather than at the user's load.
 */
static bool unresolved_extern_call(const struct gen *g)
{
	__u32 id, n = btf__type_cnt(g->btf), i, k;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(g->btf, id);
		bool in_sec = false;

		if (!btf_is_func(t) || btf_vlen(t) != BTF_FUNC_EXTERN)
			continue;
		for (i = 1; i < n && !in_sec; i++) {
			const struct btf_type *ds = btf__type_by_id(g->btf, i);

			if (!btf_is_datasec(ds))
				continue;
			for (k = 0; k < btf_vlen(ds) && !in_sec; k++)
				in_sec = btf_var_secinfos(ds)[k].type == id;
		}
		if (in_sec)
			continue;
		fprintf(stderr, "evbpf-gen: %s: extern function '%s' (BTF type [%u]) is defined nowhere: "
			"link the object defining it first (evbpf-gen object) or declare it __ksym\n",
			g->path, btf__name_by_offset(g->btf, t->name_off), id);
		return true;
	}
	return false;
}

/* bpftool's default name: the file name without ".o", as an identifier
 * ("foo.bpf.o" -> "foo_bpf"). */
static void default_name(const char *path, char *buf, size_t size)
{
	char *copy = strdup(path);
	const char *base = copy ? basename(copy) : path;
	size_t len;

	snprintf(buf, size, "%s", base);
	len = strlen(buf);
	if (len > 2 && !strcmp(buf + len - 2, ".o"))
		buf[len - 2] = 0;
	sanitize(buf);
	free(copy);
}

static int read_file(struct gen *g)
{
	FILE *f = fopen(g->path, "rb");
	long size;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	g->elf = malloc(size ? size : 1);
	if (!g->elf) {
		fclose(f);
		return -ENOMEM;
	}
	g->elf_sz = size;
	if (fread(g->elf, 1, size, f) != (size_t)size) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	return 0;
}

static int run(int argc, char **argv, bool subskel)
{
	struct gen g = { .out = stdout, .subskel = subskel };
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	int err, ret = 1;

	/* bpftool's `skeleton -L OBJ`: a light skeleton */
	if (!subskel && argc >= 2 && !strcmp(argv[1], "-L")) {
		g.light = true;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "name"))) {
		fprintf(stderr, "usage: evbpf-gen %s OBJ [name NAME]\n", argv[0]);
		if (!subskel)
			fprintf(stderr, "       evbpf-gen %s -L OBJ [name NAME]\n", argv[0]);
		return 2;
	}
	g.path = argv[1];
	g.base = strrchr(g.path, '/') ? strrchr(g.path, '/') + 1 : g.path;
	if (argc == 4)
		snprintf(g.name, sizeof(g.name), "%s", argv[3]);
	else
		default_name(g.path, g.name, sizeof(g.name));
	if (!g.name[0] || isdigit((unsigned char)g.name[0]) ||
	    strspn(g.name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
	    strlen(g.name)) {
		fprintf(stderr, "evbpf-gen: %s: skeleton name '%s' is not a C identifier\n",
			g.path, g.name);
		return 1;
	}

	err = read_file(&g);
	if (err)
		return fail(&g, "cannot read the object", err);
	opts.object_name = g.name;
	g.obj = bpf_object__open_mem(g.elf, g.elf_sz, &opts);
	if (!g.obj) {
		fail(&g, "not a loadable BPF ELF object", errno);
		goto out;
	}
	g.btf = bpf_object__btf(g.obj);
	if (!g.btf) {
		fail(&g, "the object has no BTF (compile with clang -g)", 0);
		goto out;
	}
	if (!subskel && unresolved_extern_call(&g))
		goto out;
	if (g.light) {
		err = gen_light_loader(&g);
		if (err) {
			fail(&g, "cannot generate the light skeleton's loader", err);
			goto out;
		}
	}
	g.dump = btf_dump__new(g.btf, dump_printf, g.out, NULL);
	if (!g.dump) {
		fail(&g, "cannot print its BTF", errno);
		goto out;
	}
	err = subskel ? emit_subskeleton(&g) : g.light ? emit_lskeleton(&g) : emit_skeleton(&g);
	if (err) {
		fail(&g, "cannot print a variable's type", err);
		goto out;
	}
	if (fflush(g.out) || ferror(g.out)) {
		fail(&g, "write error", errno);
		goto out;
	}
	ret = 0;
out:
	btf_dump__free(g.dump);
	bpf_object__close(g.obj);
	free(g.elf);
	return ret;
}

int evbpf_gen__skeleton(int argc, char **argv)
{
	return run(argc, argv, false);
}

int evbpf_gen__subskeleton(int argc, char **argv)
{
	return run(argc, argv, true);
}
