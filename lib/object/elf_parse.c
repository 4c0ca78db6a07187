// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The open phase: reads a BPF ELF object with libelf into sections,
 * symbols, functions (programs and subprograms) and relocation records.
 * Pure parsing: nothing here touches the kernel. Every malformed input gets
 * a negative errno and one log line naming object, section and offset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <gelf.h>
#include <libelf.h>

#include "bpf/btf.h"
#include "btf/btf_layout_internal.h"
#include "object_internal.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#ifndef R_BPF_NONE
#define R_BPF_NONE 0
#endif

#define BPF_INSN_SZ sizeof(struct bpf_insn)

static int sec_err(const struct bpf_object *obj, const char *sec, size_t off,
		   int err, const char *what)
{
	pr_warn("%s: section '%s' offset %#zx: %s", obj->name, sec ? sec : "?", off, what);
	return err;
}

int evbpf__sec_by_shndx(const struct bpf_object *obj, size_t shndx)
{
	size_t i;

	for (i = 0; i < obj->nr_secs; i++)
		if (obj->secs[i].idx == shndx)
			return (int)i;
	return -1;
}

static bool is_sec_family(const char *name, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (name[n] == '\0' || name[n] == '.');
}

/* ---- sections ---- */

static int add_sec(struct bpf_object *obj, const char *name, size_t idx,
		   enum evbpf__sec_kind kind, const void *data, size_t size)
{
	struct evbpf__sec *s, *grown;

	grown = realloc(obj->secs, (obj->nr_secs + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	obj->secs = grown;
	s = &obj->secs[obj->nr_secs++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->idx = idx;
	s->kind = kind;
	s->data = data;
	s->size = size;
	s->map_idx = -1;
	if (kind == EVBPF_SEC_PROG) {
		if (size % BPF_INSN_SZ)
			return sec_err(obj, name, size, -EINVAL,
				       "code size is not a multiple of 8");
		s->insn_cnt = size / BPF_INSN_SZ;
		s->insns = malloc(size ? size : 1);
		s->core_done = calloc(s->insn_cnt ? s->insn_cnt : 1, 1);
		if (!s->insns || !s->core_done)
			return -ENOMEM;
		memcpy(s->insns, data, size);
	}
	return 0;
}

static int parse_rels(struct bpf_object *obj, Elf_Scn *scn, const GElf_Shdr *sh,
		      const char *name, Elf_Data *data)
{
	int target = evbpf__sec_by_shndx(obj, sh->sh_info);
	struct evbpf__sec *s;
	size_t i, n;

	if (target < 0)
		return 0; /* relocations of debug info and the like */
	s = &obj->secs[target];
	if (s->kind != EVBPF_SEC_PROG && s->kind != EVBPF_SEC_MAPS &&
	    s->kind != EVBPF_SEC_STRUCT_OPS)
		return 0;
	if (s->rels)
		return sec_err(obj, name, 0, -EINVAL, "second relocation section for one section");
	if (sh->sh_entsize != sizeof(Elf64_Rel) || !data || data->d_size % sizeof(Elf64_Rel))
		return sec_err(obj, name, 0, -EINVAL, "bad relocation entry size");
	n = data->d_size / sizeof(Elf64_Rel);
	s->rels = calloc(n ? n : 1, sizeof(*s->rels));
	if (!s->rels)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		GElf_Rel rel;
		char what[96];

		if (!gelf_getrel(data, (int)i, &rel))
			return sec_err(obj, name, i * sizeof(Elf64_Rel), -EINVAL,
				       "unreadable relocation");
		if (GELF_R_SYM(rel.r_info) >= obj->nr_syms) {
			snprintf(what, sizeof(what), "relocation #%zu: symbol %llu out of range",
				 i, (unsigned long long)GELF_R_SYM(rel.r_info));
			return sec_err(obj, name, i * sizeof(Elf64_Rel), -EINVAL, what);
		}
		if (rel.r_offset >= s->size ||
		    (s->kind == EVBPF_SEC_PROG && rel.r_offset % BPF_INSN_SZ)) {
			snprintf(what, sizeof(what),
				 "relocation #%zu: offset %#llx outside section '%s' (%zu bytes)",
				 i, (unsigned long long)rel.r_offset, s->name, s->size);
			return sec_err(obj, name, i * sizeof(Elf64_Rel), -EINVAL, what);
		}
		s->rels[s->nr_rels].off = (__u32)rel.r_offset;
		s->rels[s->nr_rels].sym = (__u32)GELF_R_SYM(rel.r_info);
		s->rels[s->nr_rels].type = (__u32)GELF_R_TYPE(rel.r_info);
		s->nr_rels++;
	}
	(void)scn;
	return 0;
}

static int rel_cmp(const void *a, const void *b)
{
	const struct evbpf__rel *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static int parse_symtab(struct bpf_object *obj, Elf_Data *data, size_t strndx,
			const char *secname)
{
	size_t i, n = data ? data->d_size / sizeof(Elf64_Sym) : 0;

	obj->syms = calloc(n ? n : 1, sizeof(*obj->syms));
	if (!obj->syms)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym))
			return sec_err(obj, secname, i * sizeof(Elf64_Sym), -EINVAL,
				       "unreadable symbol");
		name = elf_strptr(obj->elf, strndx, sym.st_name);
		if (!name)
			return sec_err(obj, secname, i * sizeof(Elf64_Sym), -EINVAL,
				       "symbol name outside the string table");
		obj->syms[i].name = name;
		obj->syms[i].value = sym.st_value;
		obj->syms[i].size = sym.st_size;
		obj->syms[i].shndx = sym.st_shndx;
		obj->syms[i].type = GELF_ST_TYPE(sym.st_info);
		obj->syms[i].bind = GELF_ST_BIND(sym.st_info);
		obj->syms[i].vis = GELF_ST_VISIBILITY(sym.st_other);
	}
	obj->nr_syms = n;
	return 0;
}

static enum evbpf__sec_kind classify(const char *name, const GElf_Shdr *sh)
{
	if (sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR))
		return EVBPF_SEC_PROG;
	if (!strcmp(name, ".maps"))
		return EVBPF_SEC_MAPS;
	if (!strcmp(name, "maps"))
		return EVBPF_SEC_LEGACY_MAPS;
	if (sh->sh_type == SHT_PROGBITS &&
	    (!strcmp(name, ".struct_ops") || !strcmp(name, ".struct_ops.link")))
		return EVBPF_SEC_STRUCT_OPS;
	if (sh->sh_type == SHT_PROGBITS && is_sec_family(name, ".data"))
		return EVBPF_SEC_DATA;
	if (sh->sh_type == SHT_PROGBITS && is_sec_family(name, ".rodata"))
		return EVBPF_SEC_RODATA;
	if (sh->sh_type == SHT_NOBITS && is_sec_family(name, ".bss"))
		return EVBPF_SEC_BSS;
	return EVBPF_SEC_OTHER;
}

static int parse_sections(struct bpf_object *obj)
{
	const void *btf_data = NULL, *ext_data = NULL;
	size_t btf_size = 0, ext_size = 0, shstrndx, symtab_idx = 0, strndx = 0;
	size_t nr_shdrs = 0, nr_seen = 0;
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Ehdr eh;
	int err;

	if (!gelf_getehdr(obj->elf, &eh))
		return sec_err(obj, "ELF header", 0, -EINVAL, "not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return sec_err(obj, "ELF header", EI_CLASS, -EINVAL, "not a 64-bit ELF file");
	if ((__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && eh.e_ident[EI_DATA] != ELFDATA2LSB) ||
	    (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ && eh.e_ident[EI_DATA] != ELFDATA2MSB))
		return sec_err(obj, "ELF header", EI_DATA, -EOPNOTSUPP,
			       "byte order differs from this machine's");
	if (eh.e_type != ET_REL || (eh.e_machine && eh.e_machine != EM_BPF))
		return sec_err(obj, "ELF header", 0, -EINVAL,
			       "not a relocatable BPF object (e_type/e_machine)");
	if (elf_getshdrstrndx(obj->elf, &shstrndx))
		return sec_err(obj, "ELF header", 0, -EINVAL, "no section name table");
	if (elf_getshdrnum(obj->elf, &nr_shdrs))
		return sec_err(obj, "ELF header", 0, -EINVAL, "unreadable section count");

	/* First pass: sections that own data, the symbol table. Errors come
	 * from return values only: libelf's error number is per thread and
	 * sticky, so an earlier failure elsewhere would show up here. */
	while ((scn = elf_nextscn(obj->elf, scn))) {
		size_t idx = elf_ndxscn(scn);

		nr_seen++;
		enum evbpf__sec_kind kind;
		Elf_Data *data;
		const char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			return sec_err(obj, "section headers", idx, -EINVAL,
				       "unreadable section header");
		name = elf_strptr(obj->elf, shstrndx, sh.sh_name);
		if (!name)
			return sec_err(obj, "section headers", idx, -EINVAL,
				       "section name outside the string table");
		if (sh.sh_type == SHT_NOBITS) {
			data = NULL;
		} else {
			data = elf_getdata(scn, NULL);
			if (!data && sh.sh_size)
				return sec_err(obj, name, sh.sh_offset, -EINVAL,
					       "section data outside the file");
		}
		if (sh.sh_type == SHT_SYMTAB) {
			if (symscn)
				return sec_err(obj, name, 0, -EINVAL, "more than one symbol table");
			if (sh.sh_entsize != sizeof(Elf64_Sym))
				return sec_err(obj, name, 0, -EINVAL, "bad symbol size");
			symscn = scn;
			symtab_idx = idx;
			strndx = sh.sh_link;
			err = parse_symtab(obj, data, strndx, name);
			if (err)
				return err;
			continue;
		}
		if (!strcmp(name, "license")) {
			if (!data || !data->d_size)
				return sec_err(obj, name, 0, -EINVAL, "empty license");
			memcpy(obj->license, data->d_buf,
			       evbpf__min(sizeof(obj->license) - 1, data->d_size));
			continue;
		}
		if (!strcmp(name, "version")) {
			if (!data || data->d_size != sizeof(__u32))
				return sec_err(obj, name, 0, -EINVAL, "version is not 4 bytes");
			memcpy(&obj->kern_version, data->d_buf, sizeof(__u32));
			continue;
		}
		if (!strcmp(name, ".BTF")) {
			btf_data = data ? data->d_buf : NULL;
			btf_size = data ? data->d_size : 0;
			continue;
		}
		if (!strcmp(name, ".BTF.ext")) {
			ext_data = data ? data->d_buf : NULL;
			ext_size = data ? data->d_size : 0;
			continue;
		}
		kind = classify(name, &sh);
		if (kind == EVBPF_SEC_OTHER || (kind == EVBPF_SEC_PROG && !sh.sh_size))
			continue;
		err = add_sec(obj, name, idx, kind, data ? data->d_buf : NULL,
			      data ? data->d_size : sh.sh_size);
		if (err)
			return err;
		if (kind == EVBPF_SEC_PROG && !strcmp(name, ".text"))
			obj->text_sec = (int)obj->nr_secs - 1;
		if (kind == EVBPF_SEC_MAPS)
			obj->maps_sec = (int)obj->nr_secs - 1;
		if (kind == EVBPF_SEC_LEGACY_MAPS)
			obj->legacy_maps_sec = (int)obj->nr_secs - 1;
	}
	/* elf_nextscn() also ends on an error: all but section 0 were seen? */
	if (nr_shdrs && nr_seen != nr_shdrs - 1)
		return sec_err(obj, "section headers", nr_seen + 1, -EINVAL,
			       "section table ends early");
	if (!symscn)
		return sec_err(obj, ".symtab", 0, -ENOENT, "no symbol table");
	(void)symtab_idx;

	/* Second pass: relocations of code and .maps. */
	scn = NULL;
	while ((scn = elf_nextscn(obj->elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL)
			continue;
		name = elf_strptr(obj->elf, shstrndx, sh.sh_name);
		if (sh.sh_link != elf_ndxscn(symscn))
			return sec_err(obj, name, 0, -EINVAL,
				       "relocations refer to another symbol table");
		err = parse_rels(obj, scn, &sh, name, elf_getdata(scn, NULL));
		if (err)
			return err;
	}
	for (size_t i = 0; i < obj->nr_secs; i++)
		if (obj->secs[i].nr_rels)
			qsort(obj->secs[i].rels, obj->secs[i].nr_rels,
			      sizeof(struct evbpf__rel), rel_cmp);

	if (btf_data && btf_size) {
		char what[256];

		/* the BTF parser's one log line then names object and section */
		snprintf(what, sizeof(what), "%s: section '.BTF'", obj->name);
		obj->btf = evbpf__btf_parse_data(btf_data, (__u32)btf_size, NULL, what);
		if (!obj->btf) {
			err = -errno;
			if (obj->maps_sec >= 0)
				return err;
			pr_info("%s: malformed .BTF ignored (%d)", obj->name, err);
		}
	}
	if (obj->btf && ext_data && ext_size) {
		obj->btf_ext = btf_ext__new(ext_data, (__u32)ext_size);
		if (!obj->btf_ext)
			pr_info("%s: malformed .BTF.ext ignored (%d)", obj->name, -errno);
	}
	if (obj->maps_sec >= 0 && !obj->btf)
		return sec_err(obj, ".maps", 0, -ENOENT, "BTF-defined maps need a .BTF section");
	return 0;
}

/* ---- functions ---- */

static int func_cmp(const void *a, const void *b)
{
	const struct evbpf__func *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	return x->sec_off < y->sec_off ? -1 : x->sec_off > y->sec_off;
}

/* Old compilers (clang < 9) give functions untyped, unsized symbols;
 * such a symbol names code up to the next one. Labels are not functions. */
static bool is_untyped_func(const struct bpf_object *obj, const struct evbpf__sym *sym,
			    const bool *has_typed)
{
	int si;

	if (sym->type != STT_NOTYPE || !sym->name[0] || sym->name[0] == '.' ||
	    !strncmp(sym->name, "LBB", 3))
		return false;
	si = evbpf__sec_by_shndx(obj, sym->shndx);
	return si >= 0 && obj->secs[si].kind == EVBPF_SEC_PROG && !has_typed[si];
}

static int collect_funcs(struct bpf_object *obj)
{
	bool *has_typed;
	size_t i;

	obj->funcs = calloc(obj->nr_syms ? obj->nr_syms : 1, sizeof(*obj->funcs));
	has_typed = calloc(obj->nr_secs ? obj->nr_secs : 1, sizeof(bool));
	if (!obj->funcs || !has_typed) {
		free(has_typed);
		return -ENOMEM;
	}
	for (i = 0; i < obj->nr_syms; i++) {
		int si = evbpf__sec_by_shndx(obj, obj->syms[i].shndx);

		if (si >= 0 && obj->syms[i].type == STT_FUNC)
			has_typed[si] = true;
	}
	for (i = 0; i < obj->nr_syms; i++) {
		const struct evbpf__sym *sym = &obj->syms[i];
		bool untyped = is_untyped_func(obj, sym, has_typed);
		struct evbpf__func *fn;
		const struct evbpf__sec *s;
		size_t k;
		int si;

		if (sym->type != STT_FUNC && !untyped)
			continue;
		si = evbpf__sec_by_shndx(obj, sym->shndx);
		if (si < 0 || obj->secs[si].kind != EVBPF_SEC_PROG)
			continue;
		s = &obj->secs[si];
		for (k = 0; untyped && k < obj->nr_funcs; k++)
			if (obj->funcs[k].sec == si && obj->funcs[k].sec_off * BPF_INSN_SZ == sym->value)
				break;
		if (untyped && k < obj->nr_funcs)
			continue; /* an alias */
		if (sym->value % BPF_INSN_SZ || sym->size % BPF_INSN_SZ ||
		    sym->value >= s->size || sym->size > s->size - sym->value ||
		    (!sym->size && !untyped)) {
			char what[128];

			snprintf(what, sizeof(what),
				 "function '%s' (offset %#llx, size %llu) does not fit the section",
				 sym->name, (unsigned long long)sym->value,
				 (unsigned long long)sym->size);
			free(has_typed);
			return sec_err(obj, s->name, sym->value, -EINVAL, what);
		}
		fn = &obj->funcs[obj->nr_funcs++];
		fn->name = sym->name;
		fn->sym = (int)i;
		fn->sec = si;
		fn->sec_off = (__u32)(sym->value / BPF_INSN_SZ);
		fn->cnt = (__u32)(sym->size / BPF_INSN_SZ); /* 0: up to the next */
		fn->prog = -1;
	}
	free(has_typed);
	qsort(obj->funcs, obj->nr_funcs, sizeof(*obj->funcs), func_cmp);
	for (i = 0; i < obj->nr_funcs; i++) {
		struct evbpf__func *fn = &obj->funcs[i];

		if (fn->cnt)
			continue;
		if (i + 1 < obj->nr_funcs && obj->funcs[i + 1].sec == fn->sec)
			fn->cnt = obj->funcs[i + 1].sec_off - fn->sec_off;
		else
			fn->cnt = (__u32)obj->secs[fn->sec].insn_cnt - fn->sec_off;
	}
	for (i = 1; i < obj->nr_funcs; i++) {
		const struct evbpf__func *a = &obj->funcs[i - 1], *b = &obj->funcs[i];

		if (a->sec == b->sec && a->sec_off + a->cnt > b->sec_off)
			return sec_err(obj, obj->secs[b->sec].name, b->sec_off * BPF_INSN_SZ,
				       -EINVAL, "functions overlap");
	}
	return 0;
}

/* The function containing insn @off of section @sec, or -1. */
static int func_at(const struct bpf_object *obj, int sec, __u32 off)
{
	size_t i;

	for (i = 0; i < obj->nr_funcs; i++)
		if (obj->funcs[i].sec == sec && off >= obj->funcs[i].sec_off &&
		    off < obj->funcs[i].sec_off + obj->funcs[i].cnt)
			return (int)i;
	return -1;
}

/* Marks functions that code calls or takes the address of: a static
 * function in a program section that others call is a subprogram. */
static void mark_referenced(const struct bpf_object *obj, bool *referenced)
{
	size_t si, r;

	for (si = 0; si < obj->nr_secs; si++) {
		const struct evbpf__sec *s = &obj->secs[si];
		size_t i;

		if (s->kind != EVBPF_SEC_PROG)
			continue;
		r = 0;
		for (i = 0; i < s->insn_cnt; i++) {
			const struct bpf_insn *insn = &s->insns[i];
			const struct evbpf__rel *rel = NULL;
			long target = -1;
			int tsec = (int)si, fn;

			while (r < s->nr_rels && s->rels[r].off < i * BPF_INSN_SZ)
				r++;
			if (r < s->nr_rels && s->rels[r].off == i * BPF_INSN_SZ)
				rel = &s->rels[r];
			if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL) {
				if (rel) {
					const struct evbpf__sym *sym = &obj->syms[rel->sym];

					tsec = evbpf__sec_by_shndx(obj, sym->shndx);
					target = (long)(sym->value / BPF_INSN_SZ) + insn->imm + 1;
				} else {
					target = (long)i + insn->imm + 1;
				}
			} else if (insn->code == (BPF_LD | BPF_IMM | BPF_DW) && rel) {
				const struct evbpf__sym *sym = &obj->syms[rel->sym];

				tsec = evbpf__sec_by_shndx(obj, sym->shndx);
				if (tsec < 0 || obj->secs[tsec].kind != EVBPF_SEC_PROG)
					continue;
				target = (long)((sym->value + (__u32)insn->imm) / BPF_INSN_SZ);
			}
			if (target < 0 || tsec < 0 || target > UINT32_MAX)
				continue;
			fn = func_at(obj, tsec, (__u32)target);
			if (fn >= 0)
				referenced[fn] = true;
		}
	}
}

static int add_program(struct bpf_object *obj, int fn_idx)
{
	struct evbpf__func *fn = &obj->funcs[fn_idx];
	const struct evbpf__sec *s = &obj->secs[fn->sec];
	const char *sec_name = s->name;
	const struct evbpf__sec_def *def;
	struct bpf_program *p;
	bool optional = false;

	/* SEC("?name"): a program that is not loaded unless asked for */
	if (sec_name[0] == '?') {
		optional = true;
		sec_name++;
	}

	p = &obj->progs[obj->nr_progs];
	memset(p, 0, sizeof(*p));
	p->obj = obj;
	p->fd = -1;
	p->fn = fn_idx;
	p->autoload = !optional;
	p->autoattach = true;
	p->attach_prog_fd = -1;
	p->name = strdup(fn->name);
	p->sec_name = strdup(sec_name);
	p->insn_cnt = fn->cnt;
	p->insns = malloc(fn->cnt * BPF_INSN_SZ);
	if (!p->name || !p->sec_name || !p->insns) {
		evbpf__prog_free(p);
		return -ENOMEM;
	}
	memcpy(p->insns, s->insns + fn->sec_off, fn->cnt * BPF_INSN_SZ);
	fn->prog = (int)obj->nr_progs++;

	def = evbpf__find_sec_def(sec_name);
	if (!def) {
		pr_debug("%s: section '%s': program '%s' has an unknown section name",
			 obj->name, sec_name, fn->name);
		return 0;
	}
	p->def = *def;
	p->def.sec = NULL; /* may be freed by unregistering; never used later */
	p->has_def = true;
	p->type = def->prog_type;
	p->expected_attach_type = def->attach_type;
	if (def->flags & EVBPF_SEC_SLEEPABLE)
		p->prog_flags |= BPF_F_SLEEPABLE;
	if (def->flags & EVBPF_SEC_XDP_FRAGS)
		p->prog_flags |= BPF_F_XDP_HAS_FRAGS;
	if (def->flags & EVBPF_SEC_ATTACH_BTF) {
		const char *slash = strchr(sec_name, '/');

		if (slash && slash[1]) {
			p->attach_name = strdup(slash + 1);
			if (!p->attach_name)
				return -ENOMEM;
		}
	}
	return 0;
}

static int collect_programs(struct bpf_object *obj)
{
	bool *referenced;
	size_t i;
	int err = 0;

	referenced = calloc(obj->nr_funcs ? obj->nr_funcs : 1, sizeof(bool));
	obj->progs = calloc(obj->nr_funcs ? obj->nr_funcs : 1, sizeof(*obj->progs));
	if (!referenced || !obj->progs) {
		free(referenced);
		return -ENOMEM;
	}
	mark_referenced(obj, referenced);
	for (i = 0; i < obj->nr_funcs && !err; i++) {
		const struct evbpf__func *fn = &obj->funcs[i];
		const struct evbpf__sym *sym = &obj->syms[fn->sym];
		size_t k;

		if (fn->sec == obj->text_sec)
			continue;
		if (sym->bind == STB_LOCAL && referenced[i])
			continue;
		for (k = 0; k < obj->nr_progs; k++) {
			if (!strcmp(obj->progs[k].name, fn->name)) {
				err = sec_err(obj, obj->secs[fn->sec].name,
					      fn->sec_off * BPF_INSN_SZ, -EINVAL,
					      "duplicate program name");
				break;
			}
		}
		if (!err)
			err = add_program(obj, (int)i);
	}
	free(referenced);
	return err;
}

static int run_setup_callbacks(struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++) {
		struct bpf_program *p = &obj->progs[i];
		int err;

		if (!p->has_def || !p->def.setup_fn)
			continue;
		err = p->def.setup_fn(p, p->def.cookie);
		if (err < 0) {
			pr_warn("%s: section '%s': setup callback of program '%s' failed: %d",
				obj->name, p->sec_name, p->name, err);
			return err;
		}
	}
	return 0;
}

int evbpf__elf_parse(struct bpf_object *obj)
{
	int err;

	obj->text_sec = obj->maps_sec = obj->legacy_maps_sec = -1;
	obj->kcfg_map = -1;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return sec_err(obj, "ELF header", 0, -EINVAL, "libelf too old");
	/* reads and clears a libelf error left by whoever ran before */
	(void)elf_errno();
	obj->elf = elf_memory(obj->elf_buf, obj->elf_size);
	if (!obj->elf || elf_kind(obj->elf) != ELF_K_ELF)
		return sec_err(obj, "ELF header", 0, -EINVAL, "not an ELF file");
	err = parse_sections(obj);
	if (!err)
		err = collect_funcs(obj);
	if (!err)
		err = collect_programs(obj);
	if (!err)
		err = evbpf__btf_fixup(obj);
	if (!err)
		err = evbpf__maps_collect(obj);
	if (!err)
		err = evbpf__struct_ops_collect(obj);
	if (!err)
		err = run_setup_callbacks(obj);
	/* errors were reported above; leave no sticky libelf error behind
	 * for the next user in this thread */
	(void)elf_errno();
	return err;
}

void evbpf__elf_free(struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_secs; i++) {
		free(obj->secs[i].rels);
		free(obj->secs[i].insns);
		free(obj->secs[i].core_done);
	}
	free(obj->secs);
	obj->secs = NULL;
	obj->nr_secs = 0;
	free(obj->syms);
	obj->syms = NULL;
	free(obj->funcs);
	obj->funcs = NULL;
	if (obj->elf)
		elf_end(obj->elf);
	obj->elf = NULL;
}
