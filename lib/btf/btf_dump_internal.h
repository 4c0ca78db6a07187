/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* State of a btf_dump, shared by btf_dump.c and btf_dump_data.c. */
#ifndef EVBPF_LIB_BTF_DUMP_PRIV_H
#define EVBPF_LIB_BTF_DUMP_PRIV_H

#include <stdarg.h>

#include "btf_layout_internal.h"

/* Steps one public call may take: bounds the time spent on hostile BTF
 * (types shared by many parents make naive walks exponential). */
#define EVBPF_DUMP_BUDGET (1L << 22)
/* Deepest nesting of types followed while printing. */
#define EVBPF_DUMP_MAX_DEPTH 256

struct evbpf__sb {
	char *s;
	size_t len, cap;
	bool oom;
};

struct evbpf__name_ent {
	const char *name;	/* points into the btf's strings */
	__u32 hash;
	__u32 cnt;
};

struct evbpf__name_set {
	struct evbpf__name_ent *ents;
	__u32 cap, cnt;
};

struct btf_dump {
	const struct btf *btf;
	btf_dump_printf_fn_t printf_fn;
	void *ctx;
	__u32 nr;		/* type ids the per-id arrays cover */
	__u8 *state;		/* per id: none / emitting / emitted */
	bool *fwd_done;		/* per id: forward declaration printed */
	bool *referenced;	/* per id: some type refers to it */
	const char **names;	/* per id: C name, NULL until assigned */
	int *align;		/* per id: btf__align_of() cache, 0 unknown */
	long budget;		/* steps left in this call (hostile BTF) */
	struct evbpf__name_set tags;	/* struct/union/enum tags */
	struct evbpf__name_set idents;	/* typedefs and enumerators */
	char **allocs;		/* "name___N" strings */
	size_t nallocs, allocs_cap;
	bool oom;
};

void evbpf__sb_free(struct evbpf__sb *sb);
void evbpf__sb_add(struct evbpf__sb *sb, const char *s, size_t n);
void evbpf__sb_puts(struct evbpf__sb *sb, const char *s);
void evbpf__sb_printf(struct evbpf__sb *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void evbpf__dump_printf(struct btf_dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends the C name of type @id ("struct s", "int *", "char [4]"). */
int evbpf__dump_decl_str(struct btf_dump *d, __u32 id, struct evbpf__sb *out);
void evbpf__member_bits(const struct btf *btf, const struct btf_type *t, __u32 i,
			__u32 *off, __u32 *bits);

#endif
