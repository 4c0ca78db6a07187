/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * State of the BPF static linker, shared by linker.c (ELF sections,
 * symbols, relocations, output) and linker_btf.c (BTF and BTF.ext merge).
 */
#ifndef EVBPF_LIB_LINKER_INTERNAL_H
#define EVBPF_LIB_LINKER_INTERNAL_H

#include <gelf.h>
#include <linux/types.h>

#include "bpf/btf.h"
#include "bpf/libbpf_linker.h"

/* A symbol reference: index into the local list, or EVBPF_LK_GLOBAL | index
 * into the global list. 0 is the null symbol. Final ELF indexes are known
 * only at output time (locals first, then globals). */
#define EVBPF_LK_GLOBAL 0x80000000u

/* One output section: the concatenation of the input sections of its name. */
struct evbpf__lk_sec {
	char *name;
	GElf_Word type;			/* SHT_PROGBITS or SHT_NOBITS */
	GElf_Xword flags;
	__u64 align;
	char *data;			/* NULL for SHT_NOBITS */
	size_t size, cap;
	GElf_Rel *rels;			/* r_info's symbol part is a reference */
	size_t nrels, rels_cap;
	__u32 sec_sym;			/* local reference of its section symbol */
	size_t shndx;			/* ELF index in the output */
};

struct evbpf__lk_sym {
	char *name;			/* NULL for section symbols */
	unsigned char info, other;
	int sec;			/* output section, -1 undefined, -2 absolute */
	__u64 value, size;
	int def_file;			/* globals: defining object, -1 while extern */
	int decl_file;			/* globals: first object naming it */
};

/* One input section that was appended to an output section. */
struct evbpf__lk_in_sec {
	const char *name;		/* points into the output section */
	int out;			/* output section, -1 when not linked */
	__u64 off;			/* where it starts in the output section */
};

struct evbpf__lk_file {
	char *name;
	struct evbpf__lk_in_sec *secs;	/* by input section index */
	size_t nsecs;
	struct btf *btf;		/* NULL when the object has none */
	struct btf_ext *ext;
	__u32 *btf_map;			/* input type id -> output id (finalize) */
};

struct bpf_linker {
	char *out_name;			/* NULL when writing to a caller's fd */
	int fd;
	bool own_fd;
	int err;			/* sticky: a failed add poisons the link */
	unsigned char ei_data;		/* byte order of the objects (0: none yet) */

	struct evbpf__lk_sec *secs;
	size_t nsecs;
	struct evbpf__lk_sym *locals, *globals;
	size_t nlocals, nglobals, locals_cap, globals_cap;
	struct evbpf__lk_file *files;
	size_t nfiles;

	struct btf *btf;		/* merged output BTF (finalize) */
	void *ext_raw;			/* merged .BTF.ext bytes (finalize) */
	__u32 ext_size;
};

/* Merges the BTF and BTF.ext of every added object into linker->btf and
 * linker->ext_raw; -errno with one log line on a conflict. */
int evbpf__lk_merge_btf(struct bpf_linker *l);

/* Global symbol named @name, or NULL. */
struct evbpf__lk_sym *evbpf__lk_global(struct bpf_linker *l, const char *name);

/* Checks that @name declared in @a (type @a_id) and in @b (type @b_id)
 * describe the same thing: same size for variables, same parameter count for
 * functions, the same map definition for BTF-defined maps. 0 or -EINVAL with
 * one log line naming both objects. */
int evbpf__lk_btf_compatible(const char *name, const struct evbpf__lk_file *a, __u32 a_id,
			     const struct evbpf__lk_file *b, __u32 b_id, bool is_map);

#endif /* EVBPF_LIB_LINKER_INTERNAL_H */
