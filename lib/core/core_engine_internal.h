/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private declarations of the CO-RE engine: access specs, candidates and
 * relocation results shared by relo_core.c (pure matching and patching),
 * core_cands.c (candidate indexes) and core.c (the per-object state).
 * Nothing here touches the kernel except core_cands.c's enumeration of
 * kernel BTF objects.
 */
#ifndef EVBPF_LIB_CORE_INTERNAL_H
#define EVBPF_LIB_CORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

#include "core_internal.h"

struct btf;
struct btf_type;

/* Deepest access path a relocation may describe. */
#define EVBPF_CORE_SPEC_MAX 64

/* One step of an access path that has a meaning across BTFs: a named
 * member (name set) or an array index (name NULL). */
struct evbpf__core_acc {
	__u32 type_id;		/* struct/union holding the member; or the
				 * array's element type; or the enum */
	__u32 idx;		/* member, element or enumerator index */
	const char *name;	/* member / enumerator name; NULL for [idx] */
};

/* A relocation's access path resolved against one BTF. */
struct evbpf__core_spec {
	const struct btf *btf;
	__u32 root_type_id;
	enum bpf_core_relo_kind kind;
	int len;				/* entries of acc[] */
	int raw_len;				/* entries of raw[] */
	__u32 bit_offset;			/* of the accessed field */
	struct evbpf__core_acc acc[EVBPF_CORE_SPEC_MAX];
	__u32 raw[EVBPF_CORE_SPEC_MAX];		/* the access string */
};

/* One candidate target type of a local type. */
struct evbpf__core_cand {
	const struct btf *btf;
	__u32 id;
	const char *btf_name;	/* "vmlinux", a module name, or a path */
};

struct evbpf__core_cands {
	struct evbpf__core_cand *c;
	size_t len;
	size_t cap;
	bool searched;		/* filled (len may be 0) */
};

/* The outcome of a relocation, before patching. */
struct evbpf__core_res {
	__u64 orig_val;
	__u64 new_val;
	__u32 orig_sz, new_sz;		/* memory access sizes (field relos) */
	__u32 orig_type_id, new_type_id;
	bool poison;
	bool validate;			/* check the insn holds orig_val */
	bool fail_memsz_adjust;		/* sizes differ in an unsafe way */
	bool matched;			/* some candidate matched */
	__u32 matched_cnt;
};

static inline bool evbpf__core_kind_is_field(enum bpf_core_relo_kind k)
{
	return k <= BPF_CORE_FIELD_RSHIFT_U64;
}

static inline bool evbpf__core_kind_is_type(enum bpf_core_relo_kind k)
{
	return (k >= BPF_CORE_TYPE_ID_LOCAL && k <= BPF_CORE_TYPE_SIZE) ||
	       k == BPF_CORE_TYPE_MATCHES;
}

static inline bool evbpf__core_kind_is_enumval(enum bpf_core_relo_kind k)
{
	return k == BPF_CORE_ENUMVAL_EXISTS || k == BPF_CORE_ENUMVAL_VALUE;
}

/* Short name of @kind as in log lines: "byte_off", "type_size", ... */
const char *evbpf__core_kind_str(enum bpf_core_relo_kind kind);

/* "struct", "union", "enum", "typedef", ... of @t (forward declarations
 * by what they declare). */
const char *evbpf__core_kind_name(const struct btf_type *t);

/* Length of @name without a "___flavor" suffix ("foo___v2" -> 3). */
size_t evbpf__core_essential_name_len(const char *name);

/* Skips typedefs and modifiers; *@res_id (may be NULL) gets the final id.
 * NULL for an id out of range. */
const struct btf_type *evbpf__core_skip_mods_typedefs(const struct btf *btf,
						      __u32 id, __u32 *res_id);

/*
 * Parses @relo's access string against @btf into @spec. -EINVAL (and a
 * debug line from the caller) for strings that do not fit the types.
 */
int evbpf__core_parse_spec(const struct btf *btf, const struct bpf_core_relo *relo,
			   struct evbpf__core_spec *spec);

/*
 * Matches @local against target type @targ_id of @targ_btf, filling @targ.
 * 1: match, 0: no match, <0: error.
 */
int evbpf__core_spec_match(const struct evbpf__core_spec *local,
			   const struct btf *targ_btf, __u32 targ_id,
			   struct evbpf__core_spec *targ);

/* Compatibility relations used by type-based relocations; 1/0/-errno. */
int evbpf__core_types_are_compat(const struct btf *local_btf, __u32 local_id,
				 const struct btf *targ_btf, __u32 targ_id);
int evbpf__core_types_match(const struct btf *local_btf, __u32 local_id,
			    const struct btf *targ_btf, __u32 targ_id);

/*
 * Computes the relocation of @local over @cands (NULL/empty: nothing
 * found). Candidates that do not match are dropped from @cands (which is
 * per-object and per local type), like libbpf's candidate cache. @targ gets
 * the spec of the chosen candidate (valid when res->matched).
 * -EINVAL on ambiguity with a message in @why (size @why_sz).
 */
int evbpf__core_calc_relo(const struct evbpf__core_spec *local,
			  struct evbpf__core_cands *cands,
			  struct evbpf__core_spec *targ, struct evbpf__core_spec *scratch,
			  struct evbpf__core_res *res, char *why, size_t why_sz);

/*
 * Patches @insn (with @insn_left instructions available from it) with
 * @res. -EINVAL with a message in @why when the instruction does not fit.
 * A res->fail_memsz_adjust on a memory insn turns into poisoning and sets
 * res->poison.
 */
int evbpf__core_patch_insn(struct bpf_insn *insn, size_t insn_left,
			   struct evbpf__core_res *res, char *why, size_t why_sz);

/* Replaces @insn (and the 2nd half of an ld_imm64) with the poison call. */
void evbpf__core_poison_insn(struct bpf_insn *insn, size_t insn_left);

/* Appends the readable form of @spec to @buf ("<byte_off> [7] struct
 * foo.bar (0:1 @ offset 8)"); returns the length it wanted. */
int evbpf__core_format_spec(char *buf, size_t size, const struct evbpf__core_spec *spec);

/* ---- candidate indexes (core_cands.c) ---- */

struct evbpf__cand_index;

/* Builds the name index of types [@start_id, type_cnt) of @btf. */
struct evbpf__cand_index *evbpf__cand_index_new(const struct btf *btf, __u32 start_id);
void evbpf__cand_index_free(struct evbpf__cand_index *idx);

/* The process-wide index of kernel BTF object @k (built on first use, thread
 * safe, never freed). NULL + errno on ENOMEM. */
const struct evbpf__cand_index *evbpf__cand_index_kernel(const struct evbpf__kbtf *k);

/*
 * Appends to @cands every type of @idx whose kind is CO-RE compatible with
 * local type @local_id of @local_btf and whose essential name equals the
 * local one, in increasing id order. Returns the number added or -ENOMEM.
 */
int evbpf__cand_index_find(const struct evbpf__cand_index *idx, const char *btf_name,
			   const struct btf *local_btf, __u32 local_id,
			   struct evbpf__core_cands *cands);

/* The running kernel's vmlinux entry only, without enumerating modules
 * (its id is 0; evbpf__core_kernel_btfs() has the real one). */
int evbpf__core_kernel_vmlinux(const struct evbpf__kbtf **k);

#endif /* EVBPF_LIB_CORE_INTERNAL_H */
