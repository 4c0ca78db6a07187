// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The BPF static linker: bpf_linker__*.
 *
 * Each added object (ELF64, ET_REL, EM_BPF) is read with libelf and merged
 * at once: every allocated section is appended, aligned, to the output
 * section of the same name; local symbols are copied with their section and
 * offset adjusted; global and weak symbols are resolved by name (a strong
 * definition wins over weak ones and over extern declarations, two strong
 * definitions conflict); relocations are copied with their offsets moved
 * and, when they point at a section symbol, the addend stored in the
 * instruction or data word moved by where that section now starts.
 * BTF and BTF.ext are merged at finalize (linker_btf.c), when every
 * symbol's definition is known, and the result is written with libelf.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base_internal.h"
#include "btf/btf_internal.h"
#include "linker_internal.h"

#ifndef R_BPF_64_ABS64
#define R_BPF_64_ABS64 2
#endif
#ifndef R_BPF_64_ABS32
#define R_BPF_64_ABS32 3
#endif

#define BPF_INSN_SZ 8

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	memset((char *)q + *cap * elem, 0, (n - *cap) * elem);
	*p = q;
	*cap = n;
	return 0;
}

static struct bpf_linker *linker_alloc(void)
{
	struct bpf_linker *l = calloc(1, sizeof(*l));

	if (l)
		l->fd = -1;
	return l;
}

struct bpf_linker *bpf_linker__new(const char *filename, struct bpf_linker_opts *opts)
{
	struct bpf_linker *l;

	if (!filename || !OPTS_VALID(opts, bpf_linker_opts, sz))
		return evbpf__err_ptr(-EINVAL);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return evbpf__err_ptr(-EOPNOTSUPP);
	l = linker_alloc();
	if (!l || !(l->out_name = strdup(filename))) {
		free(l);
		return evbpf__err_ptr(-ENOMEM);
	}
	l->fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (l->fd < 0) {
		int err = -errno;

		pr_warn("linker: cannot create '%s': %s", filename, strerror(-err));
		bpf_linker__free(l);
		return evbpf__err_ptr(err);
	}
	l->own_fd = true;
	return l;
}

struct bpf_linker *bpf_linker__new_fd(int fd, struct bpf_linker_opts *opts)
{
	struct bpf_linker *l;

	if (fd < 0 || !OPTS_VALID(opts, bpf_linker_opts, sz))
		return evbpf__err_ptr(-EINVAL);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return evbpf__err_ptr(-EOPNOTSUPP);
	l = linker_alloc();
	if (!l)
		return evbpf__err_ptr(-ENOMEM);
	l->fd = fd;
	return l;
}

void bpf_linker__free(struct bpf_linker *l)
{
	size_t i;

	if (!l)
		return;
	if (l->own_fd && l->fd >= 0)
		close(l->fd);
	for (i = 0; i < l->nsecs; i++) {
		free(l->secs[i].name);
		free(l->secs[i].data);
		free(l->secs[i].rels);
	}
	for (i = 0; i < l->nlocals; i++)
		free(l->locals[i].name);
	for (i = 0; i < l->nglobals; i++)
		free(l->globals[i].name);
	for (i = 0; i < l->nfiles; i++) {
		free(l->files[i].name);
		free(l->files[i].secs);
		btf__free(l->files[i].btf);
		btf_ext__free(l->files[i].ext);
		free(l->files[i].btf_map);
	}
	free(l->secs);
	free(l->locals);
	free(l->globals);
	free(l->files);
	btf__free(l->btf);
	free(l->ext_raw);
	free(l->out_name);
	free(l);
}

struct evbpf__lk_sym *evbpf__lk_global(struct bpf_linker *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nglobals; i++)
		if (!strcmp(l->globals[i].name, name))
			return &l->globals[i];
	return NULL;
}

/* Appends a symbol to the local or global list; returns its reference, 0
 * on allocation failure. */
static __u32 add_sym(struct bpf_linker *l, bool global, const struct evbpf__lk_sym *s)
{
	struct evbpf__lk_sym **list = global ? &l->globals : &l->locals;
	size_t *n = global ? &l->nglobals : &l->nlocals;
	size_t *cap = global ? &l->globals_cap : &l->locals_cap;

	if (!global && !l->nlocals)
		*n = 1;		/* local 0 stands for the null symbol */
	if (grow((void **)list, cap, *n + 1, sizeof(**list)))
		return 0;
	(*list)[*n] = *s;
	return (__u32)(*n)++ | (global ? EVBPF_LK_GLOBAL : 0);
}

static int find_or_add_sec(struct bpf_linker *l, const char *file, const char *name,
			   const GElf_Shdr *sh)
{
	struct evbpf__lk_sec *s;
	size_t i;

	for (i = 0; i < l->nsecs; i++) {
		s = &l->secs[i];
		if (strcmp(s->name, name))
			continue;
		if (s->type != sh->sh_type ||
		    (s->flags & SHF_EXECINSTR) != (sh->sh_flags & SHF_EXECINSTR)) {
			pr_warn("linker: %s: section '%s' has type %u flags 0x%llx, but an earlier object's has type %u flags 0x%llx",
				file, name, sh->sh_type, (unsigned long long)sh->sh_flags,
				s->type, (unsigned long long)s->flags);
			return -EINVAL;
		}
		return (int)i;
	}
	if (grow((void **)&l->secs, &(size_t){ l->nsecs }, l->nsecs + 1, sizeof(*l->secs)))
		return -ENOMEM;
	s = &l->secs[l->nsecs];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name)
		return -ENOMEM;
	s->type = sh->sh_type;
	s->flags = sh->sh_flags & (SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR | SHF_MERGE | SHF_STRINGS);
	s->align = 1;
	s->sec_sym = add_sym(l, false, &(struct evbpf__lk_sym){
		.info = GELF_ST_INFO(STB_LOCAL, STT_SECTION), .sec = (int)l->nsecs });
	if (!s->sec_sym) {
		free(s->name);
		return -ENOMEM;
	}
	return (int)l->nsecs++;
}

/* Appends input section @scn to output section @out; returns its offset
 * there (>= 0) or -errno. */
static long long append_sec(struct bpf_linker *l, const char *file, int out,
			    Elf_Scn *scn, const GElf_Shdr *sh, const char *name)
{
	struct evbpf__lk_sec *s = &l->secs[out];
	__u64 align = sh->sh_addralign ? sh->sh_addralign : 1;
	__u64 off;
	Elf_Data *d;

	if (align & (align - 1) || align > 4096) {
		pr_warn("linker: %s: section '%s' has invalid alignment %llu",
			file, name, (unsigned long long)align);
		return -EINVAL;
	}
	if ((sh->sh_flags & SHF_EXECINSTR) && sh->sh_size % BPF_INSN_SZ) {
		pr_warn("linker: %s: code section '%s' size %llu is not a multiple of %d",
			file, name, (unsigned long long)sh->sh_size, BPF_INSN_SZ);
		return -EINVAL;
	}
	if (sh->sh_size > (1ull << 32)) {
		pr_warn("linker: %s: section '%s' is too large (%llu bytes)",
			file, name, (unsigned long long)sh->sh_size);
		return -E2BIG;
	}
	off = (s->size + align - 1) & ~(align - 1);
	if (align > s->align)
		s->align = align;
	if (s->type == SHT_NOBITS) {
		s->size = off + sh->sh_size;
		return (long long)off;
	}
	d = elf_getdata(scn, NULL);
	if (!d || (sh->sh_size && (!d->d_buf || d->d_size != sh->sh_size))) {
		pr_warn("linker: %s: cannot read section '%s' at offset %llu: %s", file, name,
			(unsigned long long)sh->sh_offset, elf_errmsg(-1));
		return -EINVAL;
	}
	if (grow((void **)&s->data, &s->cap, off + sh->sh_size, 1))
		return -ENOMEM;
	memset(s->data + s->size, 0, off - s->size);
	if (sh->sh_size)
		memcpy(s->data + off, d->d_buf, sh->sh_size);
	s->size = off + sh->sh_size;
	return (long long)off;
}

/* Whether an input section is merged into the output: allocated data and
 * code. .BTF/.BTF.ext are merged separately, relocations follow their
 * target, symbol/string tables are rebuilt and the rest (DWARF, addrsig)
 * is dropped. */
static bool linked_sec(const GElf_Shdr *sh)
{
	return (sh->sh_type == SHT_PROGBITS || sh->sh_type == SHT_NOBITS) &&
	       (sh->sh_flags & SHF_ALLOC);
}

struct in_obj {
	const char *file;
	Elf *elf;
	size_t shstrndx;
	Elf_Scn *symtab;
	GElf_Shdr symtab_sh;
	Elf_Data *syms;
	size_t nsyms;
	__u32 *sym_refs;	/* input symbol index -> reference */
	struct evbpf__lk_file *f;
	int fidx;
};

static int read_sections(struct bpf_linker *l, struct in_obj *o)
{
	Elf_Scn *scn = NULL;
	Elf_Data *btf_data = NULL, *ext_data = NULL;
	GElf_Shdr sh;
	const char *name;
	int out;
	long long off;

	while ((scn = elf_nextscn(o->elf, scn))) {
		size_t idx = elf_ndxscn(scn);

		if (!gelf_getshdr(scn, &sh) ||
		    !(name = elf_strptr(o->elf, o->shstrndx, sh.sh_name))) {
			pr_warn("linker: %s: bad header or name of section %zu", o->file, idx);
			return -EINVAL;
		}
		if (sh.sh_type == SHT_SYMTAB) {
			if (o->symtab) {
				pr_warn("linker: %s: more than one symbol table (section %zu)", o->file, idx);
				return -EINVAL;
			}
			o->symtab = scn;
			o->symtab_sh = sh;
			continue;
		}
		if (sh.sh_type == SHT_RELA) {
			pr_warn("linker: %s: section '%s': RELA relocations are not used by BPF", o->file, name);
			return -EINVAL;
		}
		if (!strcmp(name, ".BTF") || !strcmp(name, ".BTF.ext")) {
			Elf_Data *d = elf_getdata(scn, NULL);

			if (!d || !d->d_buf || d->d_size != sh.sh_size || sh.sh_type != SHT_PROGBITS) {
				pr_warn("linker: %s: cannot read section '%s' at offset %llu", o->file, name,
					(unsigned long long)sh.sh_offset);
				return -EINVAL;
			}
			*(name[4] ? &ext_data : &btf_data) = d;
			continue;
		}
		if (!linked_sec(&sh))
			continue;
		out = find_or_add_sec(l, o->file, name, &sh);
		if (out < 0)
			return out;
		off = append_sec(l, o->file, out, scn, &sh, name);
		if (off < 0)
			return (int)off;
		o->f->secs[idx] = (struct evbpf__lk_in_sec){ l->secs[out].name, out, (__u64)off };
	}
	if (!o->symtab) {
		pr_warn("linker: %s: no symbol table", o->file);
		return -EINVAL;
	}
	if (btf_data) {
		o->f->btf = evbpf__btf_parse_data(btf_data->d_buf, (__u32)btf_data->d_size, NULL,
						  o->file);
		if (!o->f->btf)
			return -errno;
	}
	if (ext_data) {
		if (!o->f->btf) {
			pr_warn("linker: %s: .BTF.ext without .BTF", o->file);
			return -EINVAL;
		}
		o->f->ext = btf_ext__new(ext_data->d_buf, (__u32)ext_data->d_size);
		if (!o->f->ext) {
			pr_warn("linker: %s: malformed .BTF.ext", o->file);
			return -errno;
		}
		if (evbpf__btf_ext_validate(o->f->ext, o->f->btf, o->file))
			return -EINVAL;
	}
	return 0;
}

/* BTF id of the FUNC or VAR that declares @name in @f, 0 when none. */
static __u32 decl_btf_id(const struct evbpf__lk_file *f, const char *name, bool func)
{
	int id;

	if (!f->btf)
		return 0;
	id = btf__find_by_name_kind(f->btf, name, func ? BTF_KIND_FUNC : BTF_KIND_VAR);
	return id > 0 ? (__u32)id : 0;
}

static bool in_maps_sec(const struct bpf_linker *l, const struct evbpf__lk_sym *s)
{
	return s->sec >= 0 && !strcmp(l->secs[s->sec].name, ".maps");
}

/* Resolves global symbol @sym of the object being added against the globals
 * seen so far; returns its reference or -errno. */
static long long resolve_global(struct bpf_linker *l, struct in_obj *o, const char *name,
				const GElf_Sym *sym, const struct evbpf__lk_sym *ns, size_t i)
{
	struct evbpf__lk_sym *g = evbpf__lk_global(l, name);
	bool defined = ns->sec != -1, weak = GELF_ST_BIND(sym->st_info) == STB_WEAK;
	int type = GELF_ST_TYPE(sym->st_info), gtype, other;
	__u32 ref;

	if (!g) {
		struct evbpf__lk_sym s = *ns;

		s.name = strdup(name);
		if (!s.name)
			return -ENOMEM;
		s.def_file = defined ? o->fidx : -1;
		s.decl_file = o->fidx;
		ref = add_sym(l, true, &s);
		if (!ref) {
			free(s.name);
			return -ENOMEM;
		}
		return ref;
	}
	ref = (__u32)(g - l->globals) | EVBPF_LK_GLOBAL;
	gtype = GELF_ST_TYPE(g->info);
	if (type != STT_NOTYPE && gtype != STT_NOTYPE && type != gtype) {
		pr_warn("linker: %s: symbol #%zu '%s' is of type %d, but %s declares it of type %d",
			o->file, i, name, type, l->files[g->decl_file].name, gtype);
		return -EINVAL;
	}
	other = GELF_ST_VISIBILITY(sym->st_other);
	if (defined && g->def_file >= 0 && other != GELF_ST_VISIBILITY(g->other)) {
		pr_warn("linker: %s: symbol #%zu '%s' has visibility %d, but %s defines it with visibility %d",
			o->file, i, name, other, l->files[g->def_file].name,
			GELF_ST_VISIBILITY(g->other));
		return -EINVAL;
	}
	{
		/* declarations and definitions must agree on what the name is */
		int cmp_file = g->def_file >= 0 ? g->def_file : g->decl_file;
		bool func = type == STT_FUNC || gtype == STT_FUNC;
		bool is_map = in_maps_sec(l, ns) || in_maps_sec(l, g);
		__u32 a = decl_btf_id(&l->files[cmp_file], name, func);
		__u32 b = decl_btf_id(o->f, name, func);
		int err;

		if (a && b) {
			err = evbpf__lk_btf_compatible(name, &l->files[cmp_file], a, o->f, b, is_map);
			if (err)
				return err;
		}
	}
	if (!defined) {
		if (GELF_ST_VISIBILITY(g->other) < other)
			g->other = (g->other & ~3) | other;
		return ref;
	}
	if (g->def_file >= 0) {
		bool gweak = GELF_ST_BIND(g->info) == STB_WEAK;

		if (!gweak && !weak) {
			pr_warn("linker: %s: symbol #%zu '%s' (section '%s' offset %llu) is already defined by %s",
				o->file, i, name, l->secs[ns->sec].name,
				(unsigned long long)sym->st_value, l->files[g->def_file].name);
			return -EINVAL;
		}
		if (weak)
			return ref;	/* the earlier definition stays */
	}
	/* this definition wins: a strong one over a weak one or an extern */
	g->info = ns->info;
	if (gtype != STT_NOTYPE && type == STT_NOTYPE)
		g->info = GELF_ST_INFO(GELF_ST_BIND(ns->info), gtype);
	g->other = ns->other;
	g->sec = ns->sec;
	g->value = ns->value;
	g->size = ns->size;
	g->def_file = o->fidx;
	return ref;
}

static int read_symbols(struct bpf_linker *l, struct in_obj *o)
{
	GElf_Sym sym;
	size_t i;

	o->syms = elf_getdata(o->symtab, NULL);
	if (!o->syms || !o->symtab_sh.sh_entsize ||
	    o->symtab_sh.sh_entsize != sizeof(Elf64_Sym) || !o->syms->d_buf) {
		pr_warn("linker: %s: malformed symbol table", o->file);
		return -EINVAL;
	}
	o->nsyms = o->syms->d_size / sizeof(Elf64_Sym);
	o->sym_refs = calloc(o->nsyms ? o->nsyms : 1, sizeof(*o->sym_refs));
	if (!o->sym_refs)
		return -ENOMEM;
	for (i = 1; i < o->nsyms; i++) {
		struct evbpf__lk_sym ns = { .sec = -1 };
		int bind, type;
		const char *name;
		long long ref;

		if (!gelf_getsym(o->syms, (int)i, &sym) ||
		    !(name = elf_strptr(o->elf, o->symtab_sh.sh_link, sym.st_name))) {
			pr_warn("linker: %s: symbol #%zu: bad entry or name", o->file, i);
			return -EINVAL;
		}
		bind = GELF_ST_BIND(sym.st_info);
		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_FILE)
			continue;
		if (sym.st_shndx == SHN_COMMON) {
			pr_warn("linker: %s: symbol #%zu '%s' is a common symbol (compile with -fno-common)",
				o->file, i, name);
			return -EINVAL;
		}
		if (sym.st_shndx == SHN_ABS) {
			ns.sec = -2;
		} else if (sym.st_shndx != SHN_UNDEF) {
			const struct evbpf__lk_in_sec *is;

			if (sym.st_shndx >= o->f->nsecs) {
				pr_warn("linker: %s: symbol #%zu '%s' is in section %u, past the last (%zu)",
					o->file, i, name, sym.st_shndx, o->f->nsecs);
				return -EINVAL;
			}
			is = &o->f->secs[sym.st_shndx];
			if (is->out < 0) {
				if (bind != STB_LOCAL) {
					pr_warn("linker: %s: global symbol #%zu '%s' is in section %u, which is not linked",
						o->file, i, name, sym.st_shndx);
					return -EINVAL;
				}
				continue;	/* e.g. a DWARF section's label */
			}
			if (sym.st_value > l->secs[is->out].size - is->off) {
				pr_warn("linker: %s: symbol #%zu '%s' at offset %llu is past the end of section '%s'",
					o->file, i, name, (unsigned long long)sym.st_value, is->name);
				return -EINVAL;
			}
			if (type == STT_SECTION) {
				o->sym_refs[i] = l->secs[is->out].sec_sym;
				continue;
			}
			ns.sec = is->out;
			ns.value = sym.st_value + is->off;
		}
		ns.info = sym.st_info;
		ns.other = sym.st_other;
		ns.size = sym.st_size;
		ns.def_file = -1;
		if (bind == STB_LOCAL) {
			if (ns.sec == -1)
				continue;
			ns.name = strdup(name);
			if (!ns.name)
				return -ENOMEM;
			ref = add_sym(l, false, &ns);
			if (!ref) {
				free(ns.name);
				return -ENOMEM;
			}
		} else if (bind == STB_GLOBAL || bind == STB_WEAK) {
			if (!*name) {
				pr_warn("linker: %s: global symbol #%zu has no name", o->file, i);
				return -EINVAL;
			}
			ref = resolve_global(l, o, name, &sym, &ns, i);
			if (ref < 0)
				return (int)ref;
		} else {
			pr_warn("linker: %s: symbol #%zu '%s' has unsupported binding %d", o->file, i, name, bind);
			return -EINVAL;
		}
		o->sym_refs[i] = (__u32)ref;
	}
	return 0;
}

/* Moves the addend kept in the relocated instruction or data word by @delta
 * bytes (where the referenced section's input now starts). */
static int shift_addend(const struct in_obj *o, struct evbpf__lk_sec *s, const char *sec_name,
			__u64 off, __u32 type, __u64 delta)
{
	if (s->flags & SHF_EXECINSTR) {
		struct bpf_insn insn;

		if (off % BPF_INSN_SZ || off + BPF_INSN_SZ > s->size)
			goto bad;
		memcpy(&insn, s->data + off, sizeof(insn));
		if (insn.code == (BPF_JMP | BPF_CALL))
			insn.imm += (__s32)(delta / BPF_INSN_SZ);
		else
			insn.imm += (__s32)delta;
		memcpy(s->data + off, &insn, sizeof(insn));
		return 0;
	}
	if (type == R_BPF_64_ABS64) {
		__u64 v;

		if (off + 8 > s->size || !s->data)
			goto bad;
		memcpy(&v, s->data + off, 8);
		v += delta;
		memcpy(s->data + off, &v, 8);
	} else if (type == R_BPF_64_ABS32) {
		__u32 v;

		if (off + 4 > s->size || !s->data)
			goto bad;
		memcpy(&v, s->data + off, 4);
		v += (__u32)delta;
		memcpy(s->data + off, &v, 4);
	}
	return 0;
bad:
	pr_warn("linker: %s: relocation at section '%s' offset %llu is outside the section",
		o->file, sec_name, (unsigned long long)off);
	return -EINVAL;
}

static int read_relocs(struct bpf_linker *l, struct in_obj *o)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(o->elf, scn))) {
		const struct evbpf__lk_in_sec *tgt;
		struct evbpf__lk_sec *s;
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL)
			continue;
		if (sh.sh_info >= o->f->nsecs || o->f->secs[sh.sh_info].out < 0)
			continue;	/* relocations of .BTF, DWARF: not linked */
		tgt = &o->f->secs[sh.sh_info];
		s = &l->secs[tgt->out];
		d = elf_getdata(scn, NULL);
		if (sh.sh_link != elf_ndxscn(o->symtab) || sh.sh_entsize != sizeof(Elf64_Rel) ||
		    !d || (d->d_size && !d->d_buf)) {
			pr_warn("linker: %s: malformed relocation section for '%s'", o->file, tgt->name);
			return -EINVAL;
		}
		n = d->d_size / sizeof(Elf64_Rel);
		if (grow((void **)&s->rels, &s->rels_cap, s->nrels + n, sizeof(*s->rels)))
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			GElf_Rel r;
			GElf_Sym sym;
			size_t si;
			__u64 off;

			if (!gelf_getrel(d, (int)i, &r))
				return -EINVAL;
			si = GELF_R_SYM(r.r_info);
			off = r.r_offset + tgt->off;
			if (r.r_offset >= s->size - tgt->off) {
				pr_warn("linker: %s: relocation #%zu of section '%s' at offset %llu is past the section's end",
					o->file, i, tgt->name, (unsigned long long)r.r_offset);
				return -EINVAL;
			}
			if (!si || si >= o->nsyms || !o->sym_refs[si] || !gelf_getsym(o->syms, (int)si, &sym)) {
				pr_warn("linker: %s: relocation #%zu of section '%s' at offset %llu names invalid symbol #%zu",
					o->file, i, tgt->name, (unsigned long long)r.r_offset, si);
				return -EINVAL;
			}
			if (GELF_ST_TYPE(sym.st_info) == STT_SECTION) {
				__u64 delta = o->f->secs[sym.st_shndx].off;
				int err;

				if (s->type == SHT_NOBITS) {
					pr_warn("linker: %s: relocation #%zu at offset %llu targets section '%s', which has no contents",
						o->file, i, (unsigned long long)r.r_offset, tgt->name);
					return -EINVAL;
				}
				err = shift_addend(o, s, tgt->name, off, (__u32)GELF_R_TYPE(r.r_info), delta);
				if (err)
					return err;
			}
			s->rels[s->nrels].r_offset = off;
			s->rels[s->nrels].r_info = GELF_R_INFO((__u64)o->sym_refs[si],
							      GELF_R_TYPE(r.r_info));
			s->nrels++;
		}
	}
	return 0;
}

static int add_obj(struct bpf_linker *l, const char *file, void *buf, size_t size)
{
	struct in_obj o = { .file = file };
	struct evbpf__lk_file *f;
	GElf_Ehdr eh;
	size_t nsecs, i;
	int err = -EINVAL;

	if (l->err)
		return l->err;
	if (grow((void **)&l->files, &(size_t){ l->nfiles }, l->nfiles + 1, sizeof(*l->files)))
		return -ENOMEM;
	f = &l->files[l->nfiles];
	memset(f, 0, sizeof(*f));
	f->name = strdup(file);
	if (!f->name)
		return -ENOMEM;
	o.fidx = (int)l->nfiles++;
	o.f = f;
	o.elf = elf_memory(buf, size);
	if (!o.elf || elf_kind(o.elf) != ELF_K_ELF || !gelf_getehdr(o.elf, &eh)) {
		pr_warn("linker: %s: not an ELF file (%s)", file, elf_errmsg(-1));
		goto out;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_BPF || eh.e_type != ET_REL) {
		pr_warn("linker: %s: not a BPF relocatable object (class %u, machine %u, type %u)",
			file, eh.e_ident[EI_CLASS], eh.e_machine, eh.e_type);
		goto out;
	}
	if (eh.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB)) {
		pr_warn("linker: %s: byte order differs from this host's", file);
		err = -EOPNOTSUPP;
		goto out;
	}
	l->ei_data = eh.e_ident[EI_DATA];
	if (elf_getshdrstrndx(o.elf, &o.shstrndx) || elf_getshdrnum(o.elf, &nsecs)) {
		pr_warn("linker: %s: cannot read the section table (%s)", file, elf_errmsg(-1));
		goto out;
	}
	f->nsecs = nsecs;
	f->secs = calloc(nsecs ? nsecs : 1, sizeof(*f->secs));
	if (!f->secs) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nsecs; i++)
		f->secs[i].out = -1;
	err = read_sections(l, &o);
	if (!err)
		err = read_symbols(l, &o);
	if (!err)
		err = read_relocs(l, &o);
out:
	free(o.sym_refs);
	if (o.elf)
		elf_end(o.elf);
	if (err)
		l->err = err;
	return err;
}

int bpf_linker__add_buf(struct bpf_linker *l, void *buf, size_t buf_sz,
			const struct bpf_linker_file_opts *opts)
{
	char name[32];
	void *copy;
	int err;

	if (!l || !buf || !buf_sz || !OPTS_VALID(opts, bpf_linker_file_opts, sz))
		return evbpf__err(-EINVAL);
	copy = malloc(buf_sz);
	if (!copy)
		return evbpf__err(-ENOMEM);
	memcpy(copy, buf, buf_sz);
	snprintf(name, sizeof(name), "mem:%p+%zu", buf, buf_sz);
	err = add_obj(l, name, copy, buf_sz);
	free(copy);
	return evbpf__err(err);
}

/* Reads all of @fd into a new buffer. */
static int read_fd(int fd, const char *what, void **buf, size_t *size)
{
	size_t cap = 65536, len = 0;
	char *p = malloc(cap), *q;
	ssize_t n;

	if (!p)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			q = realloc(p, cap *= 2);
			if (!q) {
				free(p);
				return -ENOMEM;
			}
			p = q;
		}
		n = read(fd, p + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			pr_warn("linker: cannot read %s: %s", what, strerror(-err));
			free(p);
			return err;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	if (!len) {
		pr_warn("linker: %s: empty file", what);
		free(p);
		return -EINVAL;
	}
	*buf = p;
	*size = len;
	return 0;
}

static int add_from_fd(struct bpf_linker *l, int fd, const char *name)
{
	void *buf = NULL;
	size_t size = 0;
	int err;

	err = read_fd(fd, name, &buf, &size);
	if (err) {
		l->err = err;
		return err;
	}
	err = add_obj(l, name, buf, size);
	free(buf);
	return err;
}

int bpf_linker__add_file(struct bpf_linker *l, const char *filename,
			 const struct bpf_linker_file_opts *opts)
{
	int fd, err;

	if (!l || !filename || !OPTS_VALID(opts, bpf_linker_file_opts, sz))
		return evbpf__err(-EINVAL);
	if (l->err)
		return evbpf__err(l->err);
	fd = open(filename, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		pr_warn("linker: cannot open '%s': %s", filename, strerror(-err));
		return evbpf__err(err);
	}
	err = add_from_fd(l, fd, filename);
	close(fd);
	return evbpf__err(err);
}

int bpf_linker__add_fd(struct bpf_linker *l, int fd, const struct bpf_linker_file_opts *opts)
{
	char name[32];

	if (!l || fd < 0 || !OPTS_VALID(opts, bpf_linker_file_opts, sz))
		return evbpf__err(-EINVAL);
	if (l->err)
		return evbpf__err(l->err);
	snprintf(name, sizeof(name), "fd:%d", fd);
	return evbpf__err(add_from_fd(l, fd, name));
}

/* ---- output ---- */

struct strtab {
	char *buf;
	size_t len, cap;
};

static long strtab_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1;
	long off = (long)t->len;

	if (grow((void **)&t->buf, &t->cap, t->len + n, 1))
		return -ENOMEM;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	return off;
}

static Elf_Scn *new_scn(Elf *e, long name, GElf_Word type, GElf_Xword flags, void *buf,
			size_t size, Elf_Type dtype, __u64 align)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d;
	GElf_Shdr sh;

	if (!scn || !(d = elf_newdata(scn)) || !gelf_getshdr(scn, &sh))
		return NULL;
	d->d_buf = buf;
	d->d_size = size;
	d->d_type = dtype;
	d->d_align = align;
	d->d_version = EV_CURRENT;
	sh.sh_name = (GElf_Word)name;
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addralign = align;
	sh.sh_size = size;
	return gelf_update_shdr(scn, &sh) ? scn : NULL;
}

static int set_link(Elf_Scn *scn, GElf_Word link, GElf_Word info, GElf_Xword entsize)
{
	GElf_Shdr sh;

	if (!gelf_getshdr(scn, &sh))
		return -EINVAL;
	sh.sh_link = link;
	sh.sh_info = info;
	sh.sh_entsize = entsize;
	return gelf_update_shdr(scn, &sh) ? 0 : -EINVAL;
}

/* Final ELF symbol index of reference @ref. */
static __u32 sym_index(const struct bpf_linker *l, __u32 ref)
{
	return ref & EVBPF_LK_GLOBAL ? (__u32)l->nlocals + (ref & ~EVBPF_LK_GLOBAL) : ref;
}

static int fill_sym(const struct bpf_linker *l, struct strtab *st, const struct evbpf__lk_sym *s,
		    Elf64_Sym *out)
{
	long name = s->name ? strtab_add(st, s->name) : 0;

	if (name < 0)
		return -ENOMEM;
	out->st_name = (Elf64_Word)name;
	out->st_info = s->info;
	out->st_other = s->other;
	out->st_shndx = s->sec >= 0 ? (Elf64_Section)l->secs[s->sec].shndx :
			s->sec == -2 ? SHN_ABS : SHN_UNDEF;
	out->st_value = s->value;
	out->st_size = s->size;
	return 0;
}

static int write_elf(struct bpf_linker *l)
{
	struct strtab st = { 0 };
	Elf64_Sym *syms = NULL;
	Elf64_Rel **rels = NULL;
	const void *btf_raw;
	__u32 btf_size = 0;
	size_t nsyms, i, next_idx;
	Elf_Scn *strscn, *symscn, *scn;
	GElf_Ehdr eh;
	Elf *e = NULL;
	int err = -ENOMEM;

	if (!l->nlocals)
		l->nlocals = 1;
	nsyms = l->nlocals + l->nglobals;
	syms = calloc(nsyms, sizeof(*syms));
	rels = calloc(l->nsecs + 1, sizeof(*rels));
	if (!syms || !rels || strtab_add(&st, "") < 0)
		goto out;
	btf_raw = l->btf ? btf__raw_data(l->btf, &btf_size) : NULL;
	if (l->btf && !btf_raw)
		goto out;
	if (ftruncate(l->fd, 0) && errno != EINVAL) {
		err = -errno;
		pr_warn("linker: cannot truncate the output: %s", strerror(errno));
		goto out;
	}
	e = elf_begin(l->fd, ELF_C_WRITE, NULL);
	if (!e || !gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
		goto elf_err;
	eh.e_ident[EI_DATA] = l->ei_data ? l->ei_data :
		(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB);
	eh.e_machine = EM_BPF;
	eh.e_type = ET_REL;
	eh.e_version = EV_CURRENT;
	/* section indexes: .strtab 1, .symtab 2, then the linked sections */
	strscn = new_scn(e, strtab_add(&st, ".strtab"), SHT_STRTAB, SHF_STRINGS, NULL, 0,
			 ELF_T_BYTE, 1);
	symscn = new_scn(e, strtab_add(&st, ".symtab"), SHT_SYMTAB, 0, syms,
			 nsyms * sizeof(*syms), ELF_T_SYM, 8);
	if (!strscn || !symscn)
		goto elf_err;
	for (i = 0; i < l->nsecs; i++) {
		struct evbpf__lk_sec *s = &l->secs[i];

		scn = new_scn(e, strtab_add(&st, s->name), s->type, s->flags, s->data, s->size,
			      ELF_T_BYTE, s->align);
		if (!scn)
			goto elf_err;
		s->shndx = elf_ndxscn(scn);
	}
	next_idx = 3 + l->nsecs;
	for (i = 0; i < l->nsecs; i++) {
		struct evbpf__lk_sec *s = &l->secs[i];
		char *name;
		size_t k;
		long off;

		if (!s->nrels)
			continue;
		rels[i] = calloc(s->nrels, sizeof(Elf64_Rel));
		if (!rels[i] || asprintf(&name, ".rel%s", s->name) < 0)
			goto out;
		off = strtab_add(&st, name);
		free(name);
		for (k = 0; k < s->nrels; k++) {
			rels[i][k].r_offset = s->rels[k].r_offset;
			rels[i][k].r_info = ELF64_R_INFO(sym_index(l, (__u32)GELF_R_SYM(s->rels[k].r_info)),
							 GELF_R_TYPE(s->rels[k].r_info));
		}
		scn = new_scn(e, off, SHT_REL, SHF_INFO_LINK, rels[i], s->nrels * sizeof(Elf64_Rel),
			      ELF_T_REL, 8);
		if (!scn || set_link(scn, 2, (GElf_Word)s->shndx, sizeof(Elf64_Rel)))
			goto elf_err;
		next_idx++;
	}
	if (btf_raw && !new_scn(e, strtab_add(&st, ".BTF"), SHT_PROGBITS, 0, (void *)btf_raw,
				btf_size, ELF_T_BYTE, 4))
		goto elf_err;
	if (l->ext_raw && !new_scn(e, strtab_add(&st, ".BTF.ext"), SHT_PROGBITS, 0, l->ext_raw,
				   l->ext_size, ELF_T_BYTE, 4))
		goto elf_err;
	for (i = 1; i < l->nlocals; i++)
		if (fill_sym(l, &st, &l->locals[i], &syms[i]))
			goto out;
	for (i = 0; i < l->nglobals; i++)
		if (fill_sym(l, &st, &l->globals[i], &syms[l->nlocals + i]))
			goto out;
	if (set_link(symscn, 1, (GElf_Word)l->nlocals, sizeof(Elf64_Sym)))
		goto elf_err;
	{
		Elf_Data *d = elf_getdata(strscn, NULL);
		GElf_Shdr sh;

		d->d_buf = st.buf;
		d->d_size = st.len;
		if (!gelf_getshdr(strscn, &sh))
			goto elf_err;
		sh.sh_size = st.len;
		if (!gelf_update_shdr(strscn, &sh))
			goto elf_err;
	}
	eh.e_shstrndx = 1;
	if (!gelf_update_ehdr(e, &eh) || elf_update(e, ELF_C_WRITE) < 0)
		goto elf_err;
	err = 0;
	goto out;
elf_err:
	pr_warn("linker: writing %s failed: %s", l->out_name ? l->out_name : "the output",
		elf_errmsg(-1));
	err = -EIO;
out:
	if (e)
		elf_end(e);
	for (i = 0; rels && i < l->nsecs; i++)
		free(rels[i]);
	free(rels);
	free(syms);
	free(st.buf);
	return err;
}

int bpf_linker__finalize(struct bpf_linker *l)
{
	int err;

	if (!l)
		return evbpf__err(-EINVAL);
	if (l->err)
		return evbpf__err(l->err);
	err = evbpf__lk_merge_btf(l);
	if (!err)
		err = write_elf(l);
	if (err) {
		l->err = err;
		return evbpf__err(err);
	}
	if (l->own_fd) {
		close(l->fd);
		l->fd = -1;
	}
	l->err = -EALREADY;	/* finalized: nothing more to add */
	return 0;
}
