// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the CO-RE matcher: a fixed local BTF (the types a BPF
 * program would be compiled against) and a fixed list of relocations of
 * every kind, matched against a fuzzed target BTF as if it were the
 * kernel's. Every relocation must parse, find its candidates, compute its
 * result and patch an instruction of the right shape without crashing,
 * hanging or reading outside either BTF.
 */
#include <stdlib.h>

#include <bpf/btf.h>
#include "btf/btf_internal.h"
#include "core/core_engine_internal.h"
#include "fuzz_util.h"

struct relo_def {
	const char *type;	/* local type name */
	int kind;		/* enum btf_kind of the local type */
	const char *access;
	enum bpf_core_relo_kind relo;
};

static const struct relo_def relos[] = {
	{ "task", BTF_KIND_STRUCT, "0:0", BPF_CORE_FIELD_BYTE_OFFSET },
	{ "task", BTF_KIND_STRUCT, "0:1:0", BPF_CORE_FIELD_BYTE_OFFSET },
	{ "task", BTF_KIND_STRUCT, "0:1:1:2", BPF_CORE_FIELD_BYTE_OFFSET },
	{ "task", BTF_KIND_STRUCT, "0:1:1", BPF_CORE_FIELD_BYTE_SIZE },
	{ "task", BTF_KIND_STRUCT, "0:1:2", BPF_CORE_FIELD_LSHIFT_U64 },
	{ "task", BTF_KIND_STRUCT, "0:1:2", BPF_CORE_FIELD_RSHIFT_U64 },
	{ "task", BTF_KIND_STRUCT, "0:1:2", BPF_CORE_FIELD_SIGNED },
	{ "task", BTF_KIND_STRUCT, "0:2:1", BPF_CORE_FIELD_EXISTS },
	{ "task", BTF_KIND_STRUCT, "0:3", BPF_CORE_FIELD_BYTE_SIZE },
	{ "task", BTF_KIND_STRUCT, "0:4", BPF_CORE_FIELD_BYTE_OFFSET },
	{ "task", BTF_KIND_STRUCT, "3:5", BPF_CORE_FIELD_BYTE_OFFSET },
	{ "task", BTF_KIND_STRUCT, "0", BPF_CORE_TYPE_EXISTS },
	{ "task", BTF_KIND_STRUCT, "0", BPF_CORE_TYPE_SIZE },
	{ "task", BTF_KIND_STRUCT, "0", BPF_CORE_TYPE_ID_TARGET },
	{ "task", BTF_KIND_STRUCT, "0", BPF_CORE_TYPE_ID_LOCAL },
	{ "task", BTF_KIND_STRUCT, "0", BPF_CORE_TYPE_MATCHES },
	{ "task_t", BTF_KIND_TYPEDEF, "0", BPF_CORE_TYPE_MATCHES },
	{ "task_t", BTF_KIND_TYPEDEF, "0", BPF_CORE_TYPE_SIZE },
	{ "inner", BTF_KIND_STRUCT, "0:1:3", BPF_CORE_FIELD_BYTE_OFFSET },
	{ "inner", BTF_KIND_STRUCT, "0", BPF_CORE_TYPE_MATCHES },
	{ "uu", BTF_KIND_UNION, "0:1", BPF_CORE_FIELD_BYTE_SIZE },
	{ "state", BTF_KIND_ENUM, "0", BPF_CORE_ENUMVAL_EXISTS },
	{ "state", BTF_KIND_ENUM, "1", BPF_CORE_ENUMVAL_VALUE },
	{ "state", BTF_KIND_ENUM, "0", BPF_CORE_TYPE_EXISTS },
	{ "big", BTF_KIND_ENUM64, "1", BPF_CORE_ENUMVAL_VALUE },
	{ "cb_t", BTF_KIND_TYPEDEF, "0", BPF_CORE_TYPE_MATCHES },
};

static struct btf *local;
static __u32 access_off[sizeof(relos) / sizeof(relos[0])];

/* struct task { int pid; struct inner in; union uu u; enum state st;
 *               int *p; struct task *next; unsigned flags:5; };
 * with struct inner { int a; long b[4]; int c:3; long d[2][3]; }. */
static struct btf *build_local(void)
{
	struct btf *b = btf__new_empty();
	int i_int, i_long, i_uint, i_arr, i_arr2, i_arr23, i_inner, i_uu, i_enum;
	int i_ptr, i_task, i_tptr, i_proto;

	if (!b)
		abort();
	i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	i_long = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	i_uint = btf__add_int(b, "unsigned int", 4, 0);
	i_arr = btf__add_array(b, i_int, i_long, 4);
	i_arr2 = btf__add_array(b, i_int, i_long, 3);
	i_arr23 = btf__add_array(b, i_int, i_arr2, 2);
	i_inner = btf__add_struct(b, "inner", 96);
	btf__add_field(b, "a", i_int, 0, 0);
	btf__add_field(b, "b", i_arr, 64, 0);
	btf__add_field(b, "c", i_int, 320, 3);
	btf__add_field(b, "d", i_arr23, 384, 0);
	i_uu = btf__add_union(b, "uu", 8);
	btf__add_field(b, "x", i_int, 0, 0);
	btf__add_field(b, "y", i_long, 0, 0);
	i_enum = btf__add_enum(b, "state", 4);
	btf__add_enum_value(b, "ST_A", 0);
	btf__add_enum_value(b, "ST_B", 5);
	btf__add_enum64(b, "big", 8, false);
	btf__add_enum64_value(b, "BIG_A", 1);
	btf__add_enum64_value(b, "BIG_B", 1ULL << 40);
	i_ptr = btf__add_ptr(b, i_int);
	/* fields must follow their struct directly: the self pointer goes
	 * through a forward declaration made first */
	i_tptr = btf__add_ptr(b, btf__add_fwd(b, "task", BTF_FWD_STRUCT));
	i_task = btf__add_struct(b, "task", 144);
	btf__add_field(b, "pid", i_int, 0, 0);
	btf__add_field(b, "in", i_inner, 64, 0);
	btf__add_field(b, "u", i_uu, 832, 0);
	btf__add_field(b, "st", i_enum, 896, 0);
	btf__add_field(b, "p", i_ptr, 960, 0);
	btf__add_field(b, "next", i_tptr, 1024, 0);
	btf__add_field(b, "flags", i_uint, 1088, 5);
	btf__add_typedef(b, "task_t", i_task);
	i_tptr = btf__add_ptr(b, i_task);
	i_proto = btf__add_func_proto(b, i_int);
	btf__add_func_param(b, "t", i_tptr);
	btf__add_typedef(b, "cb_t", btf__add_ptr(b, i_proto));
	return b;
}

static void init(void)
{
	size_t i;

	fuzz_quiet();
	local = build_local();
	for (i = 0; i < sizeof(relos) / sizeof(relos[0]); i++) {
		int off = btf__add_str(local, relos[i].access);

		if (off < 0)
			abort();
		access_off[i] = (__u32)off;
	}
}

/* An instruction of the shape relocation @kind patches. */
static void make_insns(struct bpf_insn *insn, enum bpf_core_relo_kind kind,
		       __u64 orig)
{
	memset(insn, 0, 2 * sizeof(*insn));
	if (kind == BPF_CORE_FIELD_BYTE_OFFSET) {
		insn[0].code = BPF_LDX | BPF_MEM | BPF_W;
		insn[0].dst_reg = 1;
		insn[0].src_reg = 2;
		insn[0].off = (__s16)orig;
	} else if (kind == BPF_CORE_ENUMVAL_VALUE && orig > UINT32_MAX) {
		insn[0].code = BPF_LD | BPF_IMM | BPF_DW;
		insn[0].imm = (__s32)orig;
		insn[1].imm = (__s32)(orig >> 32);
	} else {
		insn[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
		insn[0].imm = (__s32)orig;
	}
}

static void relocate(struct btf *targ, const struct evbpf__cand_index *idx,
		     size_t i)
{
	struct evbpf__core_spec lspec, tspec, scratch;
	struct evbpf__core_cands cands = { 0 };
	struct bpf_core_relo relo;
	struct evbpf__core_res res;
	struct bpf_insn insn[2];
	char why[128], spec_str[256];
	size_t c;
	int id;

	id = btf__find_by_name_kind(local, relos[i].type, relos[i].kind);
	if (id <= 0)
		abort();	/* the local BTF is ours */
	relo.insn_off = 0;
	relo.type_id = (__u32)id;
	relo.access_str_off = access_off[i];
	relo.kind = relos[i].relo;
	if (evbpf__core_parse_spec(local, &relo, &lspec))
		abort();	/* and so are its access strings */
	if (evbpf__cand_index_find(idx, "fuzz", local, (__u32)id, &cands) < 0)
		goto out;
	for (c = 0; c < cands.len; c++) {
		(void)evbpf__core_types_are_compat(local, (__u32)id, targ, cands.c[c].id);
		(void)evbpf__core_types_match(local, (__u32)id, targ, cands.c[c].id);
	}
	if (evbpf__core_calc_relo(&lspec, &cands, &tspec, &scratch, &res, why,
				  sizeof(why)))
		goto out;
	if (res.matched)
		(void)evbpf__core_format_spec(spec_str, sizeof(spec_str), &tspec);
	make_insns(insn, relo.kind, res.orig_val);
	(void)evbpf__core_patch_insn(insn, 2, &res, why, sizeof(why));
out:
	free(cands.c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evbpf__cand_index *idx;
	struct btf *targ;
	size_t i;

	if (!local)
		init();
	if (size > UINT32_MAX)
		return 0;
	targ = btf__new(data, (__u32)size);
	if (!targ)
		return 0;
	idx = evbpf__cand_index_new(targ, 1);
	if (idx) {
		for (i = 0; i < sizeof(relos) / sizeof(relos[0]); i++)
			relocate(targ, idx, i);
		evbpf__cand_index_free(idx);
	}
	btf__free(targ);
	return 0;
}
