// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * USDT parsing, pure and kernel-free: the probe sites of a binary's
 * .note.stapsdt section and the argument strings of each site, decoded into
 * the spec layout <bpf/usdt.bpf.h> reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach_internal.h"
#include "base/base_internal.h"
#include "usdt_internal.h"

#define STAPSDT_NOTE_TYPE 3
#define STAPSDT_OWNER "stapsdt"

/* ---- .note.stapsdt ---- */

static void note_clear(struct evbpf__usdt_note *n)
{
	free(n->provider);
	free(n->name);
	free(n->args);
}

void evbpf__usdt_notes_free(struct evbpf__usdt_note *notes, size_t cnt)
{
	size_t i;

	for (i = 0; notes && i < cnt; i++)
		note_clear(&notes[i]);
	free(notes);
}

/* Decodes one note descriptor: 3 addresses, then provider, name, args. */
static int parse_note_desc(const char *path, size_t note_off, const char *desc,
			   size_t size, bool is64, struct evbpf__usdt_note *n,
			   unsigned long *note_base)
{
	size_t asz = is64 ? 8 : 4, off = 3 * asz;
	const char *strs[3];
	unsigned long addrs[3];
	int i;

	if (size < off + 3)
		goto bad;
	for (i = 0; i < 3; i++) {
		if (is64) {
			uint64_t v;

			memcpy(&v, desc + i * 8, 8);
			addrs[i] = (unsigned long)v;
		} else {
			uint32_t v;

			memcpy(&v, desc + i * 4, 4);
			addrs[i] = v;
		}
	}
	for (i = 0; i < 3; i++) {
		const char *end = memchr(desc + off, '\0', size - off);

		if (!end)
			goto bad;
		strs[i] = desc + off;
		off = end - desc + 1;
	}
	n->loc_addr = addrs[0];
	*note_base = addrs[1];
	n->sema_addr = addrs[2];
	n->provider = strdup(strs[0]);
	n->name = strdup(strs[1]);
	n->args = strdup(strs[2]);
	if (!n->provider || !n->name || !n->args)
		return -ENOMEM;
	return 0;
bad:
	pr_warn("usdt: '%s': malformed stapsdt note in .note.stapsdt at offset %zu",
		path, note_off);
	return -LIBBPF_ERRNO__FORMAT;
}

int evbpf__usdt_read_notes(const char *path, const char *provider,
			   const char *name, struct evbpf__usdt_note **notes,
			   size_t *cnt)
{
	struct evbpf__usdt_note *arr = NULL, *tmp;
	Elf_Scn *scn = NULL, *note_scn = NULL;
	unsigned long base_addr = 0;
	bool has_base = false, is64;
	size_t n = 0, cap = 0, shstrndx, off, name_off, desc_off;
	Elf_Data *data;
	GElf_Nhdr nh;
	GElf_Shdr sh;
	Elf *elf;
	int fd, ret = 0;

	*notes = NULL;
	*cnt = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		pr_warn("usdt: cannot open '%s': %s", path, strerror(-ret));
		return ret;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx)) {
		pr_warn("usdt: '%s' is not an ELF file", path);
		ret = -LIBBPF_ERRNO__FORMAT;
		goto out;
	}
	is64 = gelf_getclass(elf) == ELFCLASS64;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *sname;

		if (!gelf_getshdr(scn, &sh))
			continue;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sname)
			continue;
		if (sh.sh_type == SHT_NOTE && !strcmp(sname, ".note.stapsdt"))
			note_scn = scn;
		else if (!strcmp(sname, ".stapsdt.base")) {
			has_base = true;
			base_addr = sh.sh_addr;
		}
	}
	if (!note_scn)
		goto out;
	data = elf_getdata(note_scn, NULL);
	if (!data)
		goto out;
	off = 0;
	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		struct evbpf__usdt_note note = { 0 };
		unsigned long note_base;
		long o;

		if (nh.n_type != STAPSDT_NOTE_TYPE ||
		    nh.n_namesz != sizeof(STAPSDT_OWNER) ||
		    memcmp((char *)data->d_buf + name_off, STAPSDT_OWNER,
			   sizeof(STAPSDT_OWNER)))
			continue;
		ret = parse_note_desc(path, desc_off,
				      (char *)data->d_buf + desc_off,
				      nh.n_descsz, is64, &note, &note_base);
		if (ret < 0) {
			note_clear(&note);
			goto fail;
		}
		if ((provider && strcmp(provider, note.provider)) ||
		    (name && strcmp(name, note.name))) {
			note_clear(&note);
			continue;
		}
		/* A prelinked binary moved .stapsdt.base: move sites with it. */
		if (has_base && note_base) {
			note.loc_addr += base_addr - note_base;
			if (note.sema_addr)
				note.sema_addr += base_addr - note_base;
		}
		o = evbpf__elf_addr_to_offset(elf, note.loc_addr);
		if (o < 0) {
			pr_warn("usdt: '%s': probe %s:%s at 0x%lx is in no loadable segment",
				path, note.provider, note.name, note.loc_addr);
			note_clear(&note);
			ret = -LIBBPF_ERRNO__FORMAT;
			goto fail;
		}
		note.loc_off = o;
		if (note.sema_addr) {
			o = evbpf__elf_addr_to_offset(elf, note.sema_addr);
			if (o < 0) {
				pr_warn("usdt: '%s': semaphore of %s:%s at 0x%lx is in no loadable segment",
					path, note.provider, note.name,
					note.sema_addr);
				note_clear(&note);
				ret = -LIBBPF_ERRNO__FORMAT;
				goto fail;
			}
			note.sema_off = o;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			tmp = realloc(arr, cap * sizeof(*arr));
			if (!tmp) {
				note_clear(&note);
				ret = -ENOMEM;
				goto fail;
			}
			arr = tmp;
		}
		arr[n++] = note;
	}
	*notes = arr;
	*cnt = n;
	goto out;
fail:
	evbpf__usdt_notes_free(arr, n);
out:
	if (elf)
		elf_end(elf);
	close(fd);
	/* libelf's error is sticky per thread: clear it for the next user */
	(void)elf_errno();
	return ret;
}

/* ---- argument strings ---- */

#if defined(__x86_64__)
/* offsetof(struct pt_regs, reg) of the x86-64 kernel, for every name a
 * register of any width goes by. */
static const struct {
	const char *names[4];
	short off;
} regs[] = {
	{ { "rip", NULL }, 128 },
	{ { "rax", "eax", "ax", "al" }, 80 },
	{ { "rbx", "ebx", "bx", "bl" }, 40 },
	{ { "rcx", "ecx", "cx", "cl" }, 88 },
	{ { "rdx", "edx", "dx", "dl" }, 96 },
	{ { "rsi", "esi", "si", "sil" }, 104 },
	{ { "rdi", "edi", "di", "dil" }, 112 },
	{ { "rbp", "ebp", "bp", "bpl" }, 32 },
	{ { "rsp", "esp", "sp", "spl" }, 152 },
	{ { "r8", "r8d", "r8w", "r8b" }, 72 },
	{ { "r9", "r9d", "r9w", "r9b" }, 64 },
	{ { "r10", "r10d", "r10w", "r10b" }, 56 },
	{ { "r11", "r11d", "r11w", "r11b" }, 48 },
	{ { "r12", "r12d", "r12w", "r12b" }, 24 },
	{ { "r13", "r13d", "r13w", "r13b" }, 16 },
	{ { "r14", "r14d", "r14w", "r14b" }, 8 },
	{ { "r15", "r15d", "r15w", "r15b" }, 0 },
};

static int reg_offset(const char *name, size_t len)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(regs); i++)
		for (j = 0; j < 4 && regs[i].names[j]; j++)
			if (strlen(regs[i].names[j]) == len &&
			    !strncmp(regs[i].names[j], name, len))
				return regs[i].off;
	return -ENOENT;
}

/* One operand after "N@": "%reg", "off(%reg)", "(%reg)" or "$imm". */
static int parse_operand(const char *s, size_t len,
			 struct evbpf__usdt_arg_spec *a)
{
	char buf[64], *end;
	const char *p;
	long long v;
	int reg;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] == '$') {
		errno = 0;
		v = strtoll(buf + 1, &end, 0);
		if (errno || end == buf + 1 || *end)
			return -EINVAL;
		a->arg_type = EVBPF_USDT_ARG_CONST;
		a->val_off = (__u64)v;
		return 0;
	}
	if (buf[0] == '%') {
		reg = reg_offset(buf + 1, strlen(buf + 1));
		if (reg < 0)
			return -EOPNOTSUPP;
		a->arg_type = EVBPF_USDT_ARG_REG;
		a->reg_off = (short)reg;
		return 0;
	}
	p = strchr(buf, '(');
	if (!p || buf[len - 1] != ')' || p[1] != '%')
		return -EINVAL;
	v = 0;
	if (p != buf) {
		errno = 0;
		v = strtoll(buf, &end, 0);
		if (errno || end != p)
			return -EINVAL;
	}
	/* "(%rax,%rbx,8)" index forms are not something compilers emit for
	 * USDT arguments in practice; refuse them clearly. */
	if (memchr(p, ',', buf + len - p))
		return -EOPNOTSUPP;
	reg = reg_offset(p + 2, buf + len - 1 - (p + 2));
	if (reg < 0)
		return -EOPNOTSUPP;
	a->arg_type = EVBPF_USDT_ARG_REG_DEREF;
	a->reg_off = (short)reg;
	a->val_off = (__u64)v;
	return 0;
}
#endif

int evbpf__usdt_parse_args(const char *args, struct evbpf__usdt_spec *spec,
			   const char *what)
{
	const char *p = args, *at, *end;
	int ret;

	memset(spec, 0, sizeof(*spec));
	while (p && *p) {
		struct evbpf__usdt_arg_spec *a;
		long size;
		char *num_end;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (spec->arg_cnt >= EVBPF_USDT_MAX_ARGS) {
			pr_warn("usdt: %s: more than %d arguments in '%s'", what,
				EVBPF_USDT_MAX_ARGS, args);
			return -E2BIG;
		}
		a = &spec->args[spec->arg_cnt];
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		at = memchr(p, '@', end - p);
		errno = 0;
		size = at ? strtol(p, &num_end, 10) : 0;
		if (!at || errno || num_end != at ||
		    (labs(size) != 1 && labs(size) != 2 && labs(size) != 4 &&
		     labs(size) != 8)) {
			pr_warn("usdt: %s: bad argument '%.*s' in '%s'", what,
				(int)(end - p), p, args);
			return -EINVAL;
		}
		a->arg_signed = size < 0;
		a->arg_bitshift = (char)(64 - labs(size) * 8);
#if defined(__x86_64__)
		ret = parse_operand(at + 1, end - (at + 1), a);
#else
		ret = -EOPNOTSUPP;
#endif
		if (ret < 0) {
			pr_warn("usdt: %s: %s argument '%.*s' in '%s'", what,
				ret == -EOPNOTSUPP ? "unsupported" : "bad",
				(int)(end - p), p, args);
			return ret;
		}
		spec->arg_cnt++;
		p = end;
	}
	return 0;
}

