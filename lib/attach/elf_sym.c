// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User-space ELF symbols for uprobes: finding a binary or shared library the
 * way the dynamic loader does, and turning a function name (optionally with
 * a symbol version) into the file offset a uprobe needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach_internal.h"

bool evbpf__glob_match(const char *str, const char *pat)
{
	const char *star = NULL, *retry = NULL;

	while (*str) {
		if (*pat == '*') {
			star = pat++;
			retry = str;
		} else if (*pat == '?' || *pat == *str) {
			pat++;
			str++;
		} else if (star) {
			pat = star + 1;
			str = ++retry;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

/* ---- finding files ---- */

/* True when @path is an ELF file of this process's class and machine. */
static bool elf_matches_self(const char *path)
{
	static const unsigned char self_class =
		sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32;
	unsigned char ident[EI_NIDENT + 4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = false;
	uint16_t machine;

	if (fd < 0)
		return false;
	if (pread(fd, ident, sizeof(ident), 0) == (ssize_t)sizeof(ident) &&
	    !memcmp(ident, ELFMAG, SELFMAG) && ident[EI_CLASS] == self_class) {
		/* e_machine follows e_ident and e_type */
		memcpy(&machine, ident + EI_NIDENT + 2, sizeof(machine));
#if defined(__x86_64__)
		ok = machine == EM_X86_64;
#elif defined(__aarch64__)
		ok = machine == EM_AARCH64;
#elif defined(__i386__)
		ok = machine == EM_386;
#else
		ok = true;
#endif
	}
	close(fd);
	return ok;
}

static bool try_dir(const char *dir, size_t dir_len, const char *name,
		    char *out, size_t size, bool want_elf)
{
	if (!dir_len)
		return false;
	if ((size_t)snprintf(out, size, "%.*s/%s", (int)dir_len, dir, name) >= size)
		return false;
	if (access(out, want_elf ? R_OK : X_OK) < 0)
		return false;
	return !want_elf || elf_matches_self(out);
}

/* Searches a ':'-separated list of directories. */
static bool search_list(const char *list, const char *name, char *out,
			size_t size, bool want_elf)
{
	const char *p = list, *end;

	while (p && *p) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (try_dir(p, end - p, name, out, size, want_elf))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/* glibc's /etc/ld.so.cache ("glibc-ld.so.cache1.1"), possibly after the old
 * "ld.so-1.7.0" table. String offsets are relative to the new header. */
#define LDCACHE_OLD_MAGIC "ld.so-1.7.0"
#define LDCACHE_NEW_MAGIC "glibc-ld.so.cache1.1"

struct ldcache_new_hdr {
	char magic[17 + 3];
	uint32_t nlibs;
	uint32_t len_strings;
	uint8_t flags;
	uint8_t pad[3];
	uint32_t ext_off;
	uint32_t unused[3];
};

struct ldcache_new_entry {
	int32_t flags;
	uint32_t key;
	uint32_t value;
	uint32_t osversion;
	uint64_t hwcap;
};

static bool search_ldcache(const char *name, char *out, size_t size)
{
	const struct ldcache_new_hdr *hdr;
	const struct ldcache_new_entry *e;
	const char *base, *key, *val;
	struct stat st;
	size_t off = 0, avail, i;
	bool found = false;
	void *map;
	int fd;

	fd = open("/etc/ld.so.cache", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(*hdr)) {
		close(fd);
		return false;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return false;
	if (!memcmp(map, LDCACHE_OLD_MAGIC, strlen(LDCACHE_OLD_MAGIC))) {
		uint32_t old_n;

		memcpy(&old_n, (char *)map + 12, sizeof(old_n));
		off = 16 + (size_t)old_n * 12;
		off = (off + 7) & ~(size_t)7;
	}
	if (off + sizeof(*hdr) > (size_t)st.st_size)
		goto out;
	base = (const char *)map + off;
	hdr = (const void *)base;
	if (memcmp(hdr->magic, LDCACHE_NEW_MAGIC, strlen(LDCACHE_NEW_MAGIC)))
		goto out;
	avail = st.st_size - off;
	if ((avail - sizeof(*hdr)) / sizeof(*e) < hdr->nlibs)
		goto out;
	e = (const void *)(hdr + 1);
	for (i = 0; i < hdr->nlibs && !found; i++) {
		if (e[i].key >= avail || e[i].value >= avail)
			continue;
		key = base + e[i].key;
		val = base + e[i].value;
		if (!memchr(key, 0, avail - e[i].key) ||
		    !memchr(val, 0, avail - e[i].value))
			continue;
		if (strcmp(key, name) || strlen(val) >= size)
			continue;
		if (elf_matches_self(val)) {
			strcpy(out, val);
			found = true;
		}
	}
out:
	munmap(map, st.st_size);
	return found;
}

int evbpf__resolve_binary(const char *name, char *out, size_t size)
{
	static const char *std_dirs =
#if defined(__x86_64__)
		"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:"
#elif defined(__aarch64__)
		"/lib/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu:"
#endif
		"/lib64:/usr/lib64:/lib:/usr/lib";
	bool is_lib;

	if (!name || !*name)
		return -EINVAL;
	if (strchr(name, '/')) {
		if (strlen(name) >= size)
			return -ENAMETOOLONG;
		strcpy(out, name);
		return access(out, R_OK) == 0 ? 0 : -errno;
	}
	is_lib = strstr(name, ".so") != NULL;
	if (is_lib) {
		if (search_list(getenv("LD_LIBRARY_PATH"), name, out, size, true) ||
		    search_ldcache(name, out, size) ||
		    search_list(std_dirs, name, out, size, true))
			return 0;
	} else if (search_list(getenv("PATH"), name, out, size, false)) {
		return 0;
	}
	pr_warn("cannot find '%s' in %s", name,
		is_lib ? "LD_LIBRARY_PATH, /etc/ld.so.cache or the standard library directories"
		       : "PATH");
	return -ENOENT;
}

/* ---- symbols ---- */

struct elf_file {
	int fd;
	Elf *elf;
	const char *path;
};

static int elf_file_open(const char *path, struct elf_file *ef)
{
	ef->path = path;
	ef->elf = NULL;
	ef->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0) {
		int err = -errno;

		pr_warn("elf: cannot open '%s': %s", path, strerror(-err));
		return err;
	}
	elf_version(EV_CURRENT);
	ef->elf = elf_begin(ef->fd, ELF_C_READ_MMAP, NULL);
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF) {
		pr_warn("elf: '%s' is not an ELF file", path);
		if (ef->elf)
			elf_end(ef->elf);
		close(ef->fd);
		ef->fd = -1;
		ef->elf = NULL;
		(void)elf_errno();
		return -LIBBPF_ERRNO__FORMAT;
	}
	return 0;
}

static void elf_file_close(struct elf_file *ef)
{
	if (ef->elf)
		elf_end(ef->elf);
	if (ef->fd >= 0)
		close(ef->fd);
	/* libelf's error is sticky per thread: leave none behind for the
	 * next user that checks elf_errno() */
	(void)elf_errno();
}

/* Virtual address to file offset through the executable PT_LOAD segment
 * that contains it (a shared object's text is usually at vaddr == offset,
 * a PIE's or an executable's is not). */
long evbpf__elf_addr_to_offset(Elf *elf, __u64 addr)
{
	GElf_Phdr ph;
	size_t n, i;

	if (elf_getphdrnum(elf, &n))
		return -LIBBPF_ERRNO__FORMAT;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_memsz)
			return (long)(addr - ph.p_vaddr + ph.p_offset);
	}
	return -ENOENT;
}

long evbpf__elf_vaddr_to_offset(const char *path, unsigned long addr)
{
	struct elf_file ef;
	long off;
	int ret;

	ret = elf_file_open(path, &ef);
	if (ret < 0)
		return ret;
	off = evbpf__elf_addr_to_offset(ef.elf, addr);
	elf_file_close(&ef);
	return off;
}

/* Version name of dynamic symbol @idx, or NULL. @hidden: the version is not
 * the default one ("name@VER" rather than "name@@VER"). */
static const char *sym_version(Elf *elf, Elf_Data *versym, Elf_Scn *verdef_scn,
			       size_t idx, bool *hidden)
{
	GElf_Versym vs;
	GElf_Shdr sh;
	Elf_Data *data;
	size_t off = 0;
	int i;

	*hidden = false;
	if (!versym || !verdef_scn || !gelf_getversym(versym, (int)idx, &vs))
		return NULL;
	*hidden = vs & 0x8000;
	vs &= 0x7fff;
	if (vs <= 1) /* local or global, no version */
		return NULL;
	data = elf_getdata(verdef_scn, NULL);
	if (!data || !gelf_getshdr(verdef_scn, &sh))
		return NULL;
	for (i = 0; i < (int)sh.sh_info; i++) {
		GElf_Verdef vd;
		GElf_Verdaux va;

		if (!gelf_getverdef(data, (int)off, &vd))
			return NULL;
		if (vd.vd_ndx == vs &&
		    gelf_getverdaux(data, (int)(off + vd.vd_aux), &va))
			return elf_strptr(elf, sh.sh_link, va.vda_name);
		if (!vd.vd_next)
			break;
		off += vd.vd_next;
	}
	return NULL;
}

typedef int (*sym_cb)(void *ctx, const char *name, const char *ver,
		      bool hidden, GElf_Addr addr);

/* Calls @cb for every defined function symbol of .symtab and .dynsym. */
static int for_each_func(struct elf_file *ef, sym_cb cb, void *ctx)
{
	Elf_Scn *scn = NULL, *versym_scn = NULL, *verdef_scn = NULL;
	Elf_Scn *tabs[2] = { NULL, NULL };
	Elf_Data *versym = NULL;
	GElf_Shdr sh;
	int t, ret;

	while ((scn = elf_nextscn(ef->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB)
			tabs[0] = scn;
		else if (sh.sh_type == SHT_DYNSYM)
			tabs[1] = scn;
		else if (sh.sh_type == SHT_GNU_versym)
			versym_scn = scn;
		else if (sh.sh_type == SHT_GNU_verdef)
			verdef_scn = scn;
	}
	if (versym_scn)
		versym = elf_getdata(versym_scn, NULL);
	for (t = 0; t < 2; t++) {
		Elf_Data *data;
		size_t n, i;

		if (!tabs[t] || !gelf_getshdr(tabs[t], &sh) || !sh.sh_entsize)
			continue;
		data = elf_getdata(tabs[t], NULL);
		if (!data)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			const char *name, *ver = NULL;
			bool hidden = false;
			GElf_Sym sym;
			int type;

			if (!gelf_getsym(data, (int)i, &sym))
				break;
			type = GELF_ST_TYPE(sym.st_info);
			if ((type != STT_FUNC && type != STT_GNU_IFUNC) ||
			    sym.st_shndx == SHN_UNDEF || !sym.st_value)
				continue;
			name = elf_strptr(ef->elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			if (t == 1)
				ver = sym_version(ef->elf, versym, verdef_scn, i,
						  &hidden);
			ret = cb(ctx, name, ver, hidden, sym.st_value);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct find_ctx {
	const char *name;	/* base name */
	size_t name_len;
	const char *ver;	/* wanted version or NULL */
	GElf_Addr addr;		/* match so far, 0 if none */
	bool addr_default;	/* match so far is a default version */
	bool ambiguous;
};

static int find_cb(void *p, const char *name, const char *ver, bool hidden,
		   GElf_Addr addr)
{
	struct find_ctx *c = p;
	/* .symtab spells versions into the name ("memcpy@GLIBC_2.2.5") */
	const char *at = strchr(name, '@');
	size_t len = at ? (size_t)(at - name) : strlen(name);
	bool is_default;

	if (len != c->name_len || strncmp(name, c->name, len))
		return 0;
	if (at && !ver) {
		hidden = at[1] != '@';
		ver = at + (hidden ? 1 : 2);
	}
	if (c->ver && (!ver || strcmp(ver, c->ver)))
		return 0;
	is_default = !hidden;
	if (!c->addr) {
		c->addr = addr;
		c->addr_default = is_default;
	} else if (c->addr != addr) {
		/* Without a version asked for, the default one wins. */
		if (is_default && !c->addr_default) {
			c->addr = addr;
			c->addr_default = true;
		} else if (is_default == c->addr_default) {
			c->ambiguous = true;
		}
	}
	return 0;
}

long evbpf__elf_func_offset(const char *path, const char *func)
{
	struct find_ctx c = { 0 };
	struct elf_file ef;
	char base[256];
	const char *at;
	long off;
	int ret;

	if (!func || !*func)
		return -EINVAL;
	at = strchr(func, '@');
	c.name_len = at ? (size_t)(at - func) : strlen(func);
	if (c.name_len >= sizeof(base))
		return -ENAMETOOLONG;
	memcpy(base, func, c.name_len);
	base[c.name_len] = '\0';
	c.name = base;
	if (at)
		c.ver = at[1] == '@' ? at + 2 : at + 1;
	ret = elf_file_open(path, &ef);
	if (ret < 0)
		return ret;
	for_each_func(&ef, find_cb, &c);
	if (!c.addr) {
		pr_warn("elf: function '%s' not found in '%s'", func, path);
		off = -ENOENT;
	} else if (c.ambiguous) {
		pr_warn("elf: function '%s' has several definitions in '%s'",
			func, path);
		off = -ENOTUNIQ;
	} else {
		off = evbpf__elf_addr_to_offset(ef.elf, c.addr);
		if (off < 0)
			pr_warn("elf: '%s' of '%s' at 0x%llx is in no loadable segment",
				func, path, (unsigned long long)c.addr);
	}
	elf_file_close(&ef);
	return off;
}

struct match_ctx {
	Elf *elf;
	const char *pattern;
	unsigned long *offs;
	char **names;
	size_t cnt, cap;
	int err;
};

static int match_cb(void *p, const char *name, const char *ver, bool hidden,
		    GElf_Addr addr)
{
	struct match_ctx *m = p;
	const char *at = strchr(name, '@');
	size_t len = at ? (size_t)(at - name) : strlen(name);
	char base[256];
	long off;
	size_t i;

	if (hidden || len >= sizeof(base))
		return 0;
	memcpy(base, name, len);
	base[len] = '\0';
	if (!evbpf__glob_match(base, m->pattern))
		return 0;
	for (i = 0; i < m->cnt; i++)
		if (!strcmp(m->names[i], base))
			return 0;
	off = evbpf__elf_addr_to_offset(m->elf, addr);
	if (off < 0)
		return 0;
	if (m->cnt == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		unsigned long *o = realloc(m->offs, cap * sizeof(*o));
		char **n;

		if (!o)
			return -ENOMEM;
		m->offs = o;
		n = realloc(m->names, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		m->names = n;
		m->cap = cap;
	}
	m->names[m->cnt] = strdup(base);
	if (!m->names[m->cnt])
		return -ENOMEM;
	m->offs[m->cnt++] = (unsigned long)off;
	return 0;
}

void evbpf__elf_syms_free(char **names, size_t cnt)
{
	size_t i;

	for (i = 0; names && i < cnt; i++)
		free(names[i]);
	free(names);
}

int evbpf__elf_funcs_matching(const char *path, const char *pattern,
			      unsigned long **offs, char ***names, size_t *cnt)
{
	struct match_ctx m = { .pattern = pattern };
	struct elf_file ef;
	int ret;

	ret = elf_file_open(path, &ef);
	if (ret < 0)
		return ret;
	m.elf = ef.elf;
	ret = for_each_func(&ef, match_cb, &m);
	elf_file_close(&ef);
	if (ret < 0) {
		evbpf__elf_syms_free(m.names, m.cnt);
		free(m.offs);
		return ret;
	}
	*offs = m.offs;
	*names = m.names;
	*cnt = m.cnt;
	return 0;
}
