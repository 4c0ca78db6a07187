// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE relocation engine, no kernel needed: the fixture
 * tests/progs/core_reloc.bpf.c is relocated against target BTFs built here
 * with the btf__add_* writer, and the patched instructions and results are
 * checked against values computed by hand from the target layouts.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/bpf.h>

#include <bpf/btf.h>
#include "core/core_internal.h"
#include "core/core_engine_internal.h"
#include "evbpf_test.h"

#define POISON EVBPF_CORE_POISON_IMM
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Instructions of ELF section @sec of the object at @path (malloc'ed). */
static struct bpf_insn *sec_insns(const char *path, const char *sec, size_t *cnt)
{
	struct bpf_insn *insns = NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		gelf_getshdr(scn, &sh);
		if (strcmp(elf_strptr(elf, shstrndx, sh.sh_name), sec))
			continue;
		d = elf_getdata(scn, NULL);
		assert_non_null(d);
		insns = malloc(d->d_size);
		assert_non_null(insns);
		memcpy(insns, d->d_buf, d->d_size);
		*cnt = d->d_size / sizeof(*insns);
		break;
	}
	elf_end(elf);
	close(fd);
	assert_non_null(insns);
	return insns;
}

struct fx {
	struct btf *local;
	struct btf_ext *ext;
	struct btf *targ;
	struct evbpf__core *core;
	struct bpf_insn *insns;
	size_t cnt;
};

static void fx_open(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->local = btf__parse_elf(evbpf_test_prog_path("core_reloc"), &f->ext);
	assert_non_null(f->local);
	assert_non_null(f->ext);
	f->targ = btf__new_empty();
	assert_non_null(f->targ);
}

static void fx_core(struct fx *f)
{
	struct evbpf__core_opts o = {
		.obj_name = "core_reloc", .local_btf = f->local, .btf_ext = f->ext,
		.target_btf = f->targ,
	};

	evbpf__core_free(f->core);
	f->core = evbpf__core_new(&o);
	assert_non_null(f->core);
}

/* Relocates section @sec; returns evbpf__core_relocate()'s result. */
static int fx_reloc(struct fx *f, const char *sec)
{
	free(f->insns);
	f->insns = sec_insns(evbpf_test_prog_path("core_reloc"), sec, &f->cnt);
	return evbpf__core_relocate(f->core, sec, 0, f->insns, f->cnt);
}

static void fx_close(struct fx *f)
{
	evbpf__core_free(f->core);
	free(f->insns);
	btf__free(f->targ);
	btf__free(f->local);
	btf_ext__free(f->ext);
}

/* The result of kind @kind whose local description contains @needle. */
static const struct evbpf__core_result *res(struct fx *f, enum bpf_core_relo_kind kind,
					    const char *needle)
{
	size_t i;

	for (i = 0; i < evbpf__core_result_cnt(f->core); i++) {
		const struct evbpf__core_result *r = evbpf__core_result(f->core, i);
		const char *hit = strstr(r->text, needle);
		const char *arrow = strstr(r->text, " -> ");
		const char *nf = strstr(r->text, " not found");

		if (r->kind != kind || !hit)
			continue;
		if ((arrow && hit > arrow) || (nf && hit > nf))
			continue;
		return r;
	}
	fail_msg("no %s result for '%s'", evbpf__core_kind_str(kind), needle);
	return NULL;
}

static struct bpf_insn *insn_of(struct fx *f, const struct evbpf__core_result *r)
{
	return &f->insns[r->insn_off / sizeof(struct bpf_insn)];
}

static void assert_poisoned(const struct bpf_insn *insn)
{
	assert_int_equal(insn->code, BPF_JMP | BPF_CALL);
	assert_int_equal(insn->imm, POISON);
}

/* Basic types of a target BTF: ids int, uint, char, short, long, llong, uchar. */
struct tt {
	int i, u, c, s, l, ll, uc, sz;
};

static void add_base(struct btf *b, struct tt *t)
{
	t->i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	t->u = btf__add_int(b, "unsigned int", 4, 0);
	t->c = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	t->s = btf__add_int(b, "short", 2, BTF_INT_SIGNED);
	t->l = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	t->ll = btf__add_int(b, "long long", 8, BTF_INT_SIGNED);
	t->uc = btf__add_int(b, "unsigned char", 1, 0);
	t->sz = btf__add_int(b, "__ARRAY_SIZE_TYPE__", 4, 0);
	assert_true(t->i > 0 && t->sz > 0);
}

/*
 * struct foo in the target: a new 8-byte field in front, c moved to bit
 * 109, a bigger arr, everything else shifted. @with_e/@with_c drop fields;
 * @a_long makes a a long (a size change that cannot be adjusted).
 */
static int add_foo(struct btf *b, const struct tt *t, bool with_e, bool with_c, bool a_long)
{
	int arr, un, nest, flex, foo;

	arr = btf__add_array(b, t->sz, t->i, 8);
	flex = btf__add_array(b, t->sz, t->uc, 0);
	un = btf__add_union(b, NULL, 8);
	assert_int_equal(btf__add_field(b, "u1", t->i, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "u2", t->l, 0, 0), 0);
	nest = btf__add_struct(b, NULL, 4);
	assert_int_equal(btf__add_field(b, "n1", t->s, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "n2", t->s, 16, 0), 0);
	foo = btf__add_struct(b, "foo", 80);
	assert_true(foo > 0);
	assert_int_equal(btf__add_field(b, "pad", t->l, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "a", a_long ? t->l : t->i, 64, 0), 0);
	assert_int_equal(btf__add_field(b, "b", t->c, a_long ? 128 : 96, 0), 0);
	if (with_c)
		assert_int_equal(btf__add_field(b, "c", t->u, 141, 3), 0);
	assert_int_equal(btf__add_field(b, "d", t->i, 144, 5), 0);
	assert_int_equal(btf__add_field(b, "arr", arr, 160, 0), 0);
	assert_int_equal(btf__add_field(b, NULL, un, 448, 0), 0);
	assert_int_equal(btf__add_field(b, "nested", nest, 512, 0), 0);
	if (with_e)
		assert_int_equal(btf__add_field(b, "e", t->ll, 576, 0), 0);
	assert_int_equal(btf__add_field(b, "flex", flex, 640, 0), 0);
	return foo;
}

static void test_essential_name(void **state)
{
	assert_int_equal(evbpf__core_essential_name_len("foo"), 3);
	assert_int_equal(evbpf__core_essential_name_len("foo___v2"), 3);
	assert_int_equal(evbpf__core_essential_name_len("foo___v2___x"), 8);
	assert_int_equal(evbpf__core_essential_name_len("foo____v2"), 9);
	assert_int_equal(evbpf__core_essential_name_len("___foo"), 6);
	assert_int_equal(evbpf__core_essential_name_len("a___b"), 1);
	assert_int_equal(evbpf__core_essential_name_len("foo___"), 6);
}

static void test_fields_moved(void **state)
{
	const struct evbpf__core_result *r;
	struct fx f;
	struct tt t;

	fx_open(&f);
	add_base(f.targ, &t);
	add_foo(f.targ, &t, true, true, false);
	fx_core(&f);
	assert_int_equal(evbpf__core_sec_relo_cnt(f.core, "core/fields"), 15);
	assert_int_equal(fx_reloc(&f, "core/fields"), 15);

	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.a ");
	assert_int_equal(r->orig_val, 0);
	assert_int_equal(r->new_val, 8);
	assert_int_equal(insn_of(&f, r)->off, 8);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.b ");
	assert_int_equal(r->new_val, 12);
	assert_int_equal(insn_of(&f, r)->off, 12);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.arr[2] ");
	assert_int_equal(r->orig_val, 16);
	assert_int_equal(r->new_val, 20 + 8);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.u1 ");
	assert_int_equal(r->orig_val, 24);
	assert_int_equal(r->new_val, 56);
	assert_non_null(strstr(r->text, "(0:5:0 @ offset 24)"));
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.nested.n2 ");
	assert_int_equal(r->new_val, 66);
	assert_int_equal(insn_of(&f, r)->off, 66);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.e ");
	assert_int_equal(r->new_val, 72);

	/* bitfield c: bits 141..143 -> 4-byte load at 16, shifted */
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.c ");
	assert_int_equal(r->new_val, 16);
	assert_int_equal(insn_of(&f, r)->imm, 16);
	r = res(&f, BPF_CORE_FIELD_BYTE_SIZE, "struct foo.c ");
	assert_int_equal(r->new_val, 4);
	r = res(&f, BPF_CORE_FIELD_LSHIFT_U64, "struct foo.c ");
	assert_int_equal(r->new_val, 64 - (141 + 3 - 128));
	r = res(&f, BPF_CORE_FIELD_RSHIFT_U64, "struct foo.c ");
	assert_int_equal(r->new_val, 61);
	r = res(&f, BPF_CORE_FIELD_SIGNED, "struct foo.d ");
	assert_int_equal(r->new_val, 1);
	r = res(&f, BPF_CORE_FIELD_SIGNED, "struct foo.c ");
	assert_int_equal(r->new_val, 0);
	r = res(&f, BPF_CORE_FIELD_EXISTS, "struct foo.e ");
	assert_int_equal(r->new_val, 1);
	r = res(&f, BPF_CORE_FIELD_BYTE_SIZE, "struct foo.arr[3] ");
	assert_int_equal(r->new_val, 4);
	/* flexible array: index 5 is past nelems 0 but allowed */
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.flex[5] ");
	assert_int_equal(r->new_val, 80 + 5);
	assert_false(r->poisoned);
	fx_close(&f);
}

static void test_fields_missing(void **state)
{
	const struct evbpf__core_result *r;
	struct fx f;
	struct tt t;

	fx_open(&f);
	add_base(f.targ, &t);
	add_foo(f.targ, &t, false, false, false);
	fx_core(&f);
	assert_int_equal(fx_reloc(&f, "core/fields"), 15);

	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.e ");
	assert_true(r->poisoned);
	assert_poisoned(insn_of(&f, r));
	assert_non_null(strstr(r->text, "not found in target BTF; candidates: ["));
	assert_ptr_equal(evbpf__core_find_poisoned(f.core, "core/fields", r->insn_off), r);
	r = res(&f, BPF_CORE_FIELD_EXISTS, "struct foo.e ");
	assert_false(r->poisoned);
	assert_int_equal(r->orig_val, 1);
	assert_int_equal(r->new_val, 0);
	assert_int_equal(insn_of(&f, r)->imm, 0);
	r = res(&f, BPF_CORE_FIELD_LSHIFT_U64, "struct foo.c ");
	assert_true(r->poisoned);
	assert_poisoned(insn_of(&f, r));
	/* still resolved */
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.a ");
	assert_false(r->poisoned);
	assert_int_equal(r->new_val, 8);
	assert_null(evbpf__core_find_poisoned(f.core, "core/fields", r->insn_off));

	/* a whole type missing: guarded load poisoned, exists check 0 */
	assert_int_equal(fx_reloc(&f, "core/missing"), 3);
	r = res(&f, BPF_CORE_FIELD_EXISTS, "struct missing.x ");
	assert_int_equal(r->new_val, 0);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct missing.x ");
	assert_true(r->poisoned);
	assert_non_null(strstr(r->text, "candidates: none"));
	fx_close(&f);
}

static void test_field_size_change(void **state)
{
	const struct evbpf__core_result *r;
	struct fx f;
	struct tt t;

	fx_open(&f);
	add_base(f.targ, &t);
	add_foo(f.targ, &t, true, true, true);
	fx_core(&f);
	assert_int_equal(fx_reloc(&f, "core/fields"), 15);
	/* signed int -> long cannot be re-sized: poisoned */
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.a ");
	assert_true(r->poisoned);
	assert_poisoned(insn_of(&f, r));
	fx_close(&f);
}

static void test_types(void **state)
{
	const struct evbpf__core_result *r;
	struct fx f;
	struct tt t;
	int foo, td;

	fx_open(&f);
	add_base(f.targ, &t);
	foo = add_foo(f.targ, &t, true, true, false);
	td = btf__add_typedef(f.targ, "foo_t", foo);
	assert_true(td > 0);
	fx_core(&f);
	assert_int_equal(fx_reloc(&f, "core/types"), 7);

	r = res(&f, BPF_CORE_TYPE_EXISTS, "struct foo");
	assert_int_equal(r->new_val, 1);
	r = res(&f, BPF_CORE_TYPE_SIZE, "struct foo");
	assert_int_equal(r->orig_val, 48);
	assert_int_equal(r->new_val, 80);
	assert_int_equal(insn_of(&f, r)->imm, 80);
	r = res(&f, BPF_CORE_TYPE_EXISTS, "struct missing");
	assert_int_equal(r->new_val, 0);
	assert_false(r->poisoned);
	r = res(&f, BPF_CORE_TYPE_SIZE, "struct missing");
	assert_int_equal(r->new_val, 0);
	r = res(&f, BPF_CORE_TYPE_SIZE, "typedef foo_t");
	assert_int_equal(r->new_val, 80);
	r = res(&f, BPF_CORE_TYPE_ID_LOCAL, "struct foo");
	assert_int_equal(r->new_val, btf__find_by_name_kind(f.local, "foo", BTF_KIND_STRUCT));
	r = res(&f, BPF_CORE_TYPE_ID_TARGET, "struct foo");
	assert_int_equal(r->new_val, foo);
	/* ld_imm64: both halves */
	assert_int_equal(insn_of(&f, r)->code, BPF_LD | BPF_IMM | BPF_DW);
	assert_int_equal(insn_of(&f, r)[0].imm, foo);
	assert_int_equal(insn_of(&f, r)[1].imm, 0);
	fx_close(&f);
}

static void test_enums(void **state)
{
	const struct evbpf__core_result *r;
	struct fx f;
	struct bpf_insn *in;
	int e;

	fx_open(&f);
	e = btf__add_enum(f.targ, "e", 4);
	assert_true(e > 0);
	assert_int_equal(btf__add_enum_value(f.targ, "E_A", 10), 0);
	assert_int_equal(btf__add_enum_value(f.targ, "E_B", -20), 0);
	fx_core(&f);
	assert_int_equal(fx_reloc(&f, "core/enums"), 4);
	r = res(&f, BPF_CORE_ENUMVAL_EXISTS, "enum e::E_B");
	assert_int_equal(r->new_val, 1);
	r = res(&f, BPF_CORE_ENUMVAL_VALUE, "enum e::E_B");
	assert_int_equal(r->orig_val, 2);
	assert_int_equal((__s64)r->new_val, -20);
	in = insn_of(&f, r);
	assert_int_equal(in[0].imm, -20);
	assert_int_equal(in[1].imm, -1);
	r = res(&f, BPF_CORE_ENUMVAL_EXISTS, "enum e::E_C");
	assert_int_equal(r->new_val, 0);
	r = res(&f, BPF_CORE_ENUMVAL_VALUE, "enum e::E_C");
	assert_true(r->poisoned);
	in = insn_of(&f, r);
	assert_poisoned(&in[0]);
	assert_poisoned(&in[1]);
	fx_close(&f);
}

static void test_enum64_target(void **state)
{
	const struct evbpf__core_result *r;
	struct bpf_insn *in;
	struct fx f;
	int e;

	fx_open(&f);
	/* a flavored enum64 in the target matches the local plain enum */
	e = btf__add_enum64(f.targ, "e___new", 8, false);
	assert_true(e > 0);
	assert_int_equal(btf__add_enum64_value(f.targ, "E_C", 5), 0);
	assert_int_equal(btf__add_enum64_value(f.targ, "E_B", 0x100000002ULL), 0);
	fx_core(&f);
	assert_int_equal(fx_reloc(&f, "core/enums"), 4);
	r = res(&f, BPF_CORE_ENUMVAL_VALUE, "enum e::E_B");
	assert_int_equal(r->new_val, 0x100000002ULL);
	in = insn_of(&f, r);
	assert_int_equal(in[0].imm, 2);
	assert_int_equal(in[1].imm, 1);
	r = res(&f, BPF_CORE_ENUMVAL_VALUE, "enum e::E_C");
	assert_int_equal(r->new_val, 5);
	fx_close(&f);
}

static void test_flavor(void **state)
{
	const struct evbpf__core_result *r;
	struct fx f;
	struct tt t;
	int bar;

	fx_open(&f);
	add_base(f.targ, &t);
	bar = btf__add_struct(f.targ, "bar", 12);
	assert_int_equal(btf__add_field(f.targ, "w", t.i, 0, 0), 0);
	assert_int_equal(btf__add_field(f.targ, "y", t.i, 32, 0), 0);
	assert_int_equal(btf__add_field(f.targ, "x", t.i, 64, 0), 0);
	/* a struct of another name is no candidate */
	assert_true(btf__add_struct(f.targ, "barx", 4) > 0);
	fx_core(&f);
	assert_int_equal(fx_reloc(&f, "core/flavor"), 2);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct bar___old.x ");
	assert_int_equal(r->new_val, 8);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct bar___old.y ");
	assert_int_equal(r->new_val, 4);
	assert_non_null(strstr(r->text, "struct bar.y"));
	(void)bar;
	fx_close(&f);
}

static void test_ambiguity(void **state)
{
	struct fx f;
	struct tt t;
	int s;

	fx_open(&f);
	add_base(f.targ, &t);
	s = btf__add_struct(f.targ, "amb", 8);
	assert_int_equal(btf__add_field(f.targ, "z", t.i, 0, 0), 0);
	assert_int_equal(btf__add_field(f.targ, "w", t.i, 32, 0), 0);
	s = btf__add_struct(f.targ, "amb___v2", 8);
	assert_int_equal(btf__add_field(f.targ, "w", t.i, 0, 0), 0);
	assert_int_equal(btf__add_field(f.targ, "z", t.i, 32, 0), 0);
	assert_true(s > 0);
	fx_core(&f);
	evbpf_test_capture_log();
	assert_int_equal(fx_reloc(&f, "core/amb"), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "ambiguous"));
	assert_non_null(strstr(evbpf_test_log(), "core/amb"));
	evbpf_test_log_reset();
	fx_close(&f);
}

/* Candidates that fail to match are dropped for later relocations of the
 * same local type, as libbpf does: amb___v2 lacks z, so after core/amb
 * only amb is left and w is no longer ambiguous. */
static void test_candidate_pruning(void **state)
{
	const struct evbpf__core_result *r;
	struct fx f;
	struct tt t;

	fx_open(&f);
	add_base(f.targ, &t);
	assert_true(btf__add_struct(f.targ, "amb", 8) > 0);
	assert_int_equal(btf__add_field(f.targ, "z", t.i, 0, 0), 0);
	assert_int_equal(btf__add_field(f.targ, "w", t.i, 32, 0), 0);
	assert_true(btf__add_struct(f.targ, "amb___v2", 12) > 0);
	assert_int_equal(btf__add_field(f.targ, "w", t.i, 64, 0), 0);
	fx_core(&f);
	assert_int_equal(fx_reloc(&f, "core/amb"), 1);
	assert_int_equal(fx_reloc(&f, "core/amb2"), 2);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct amb.w ");
	assert_int_equal(r->new_val, 4);

	/* a fresh object sees both candidates and refuses w */
	fx_core(&f);
	evbpf_test_capture_log();
	assert_int_equal(fx_reloc(&f, "core/amb2"), -EINVAL);
	evbpf_test_log_reset();
	fx_close(&f);
}

/* Relocating only a sub-range (one program of a section) leaves the rest. */
static void test_range(void **state)
{
	struct fx f;
	struct tt t;
	struct bpf_insn *copy;

	fx_open(&f);
	add_base(f.targ, &t);
	add_foo(f.targ, &t, true, true, false);
	fx_core(&f);
	free(f.insns);
	f.insns = sec_insns(evbpf_test_prog_path("core_reloc"), "core/fields", &f.cnt);
	copy = malloc(f.cnt * sizeof(*copy));
	assert_non_null(copy);
	memcpy(copy, f.insns, f.cnt * sizeof(*copy));
	/* instructions 1.. only: the load of a at insn 0 is outside */
	assert_int_equal(evbpf__core_relocate(f.core, "core/fields", 8, f.insns + 1,
					      f.cnt - 1), 14);
	assert_memory_equal(&f.insns[0], &copy[0], sizeof(*copy));
	assert_int_equal(f.insns[1].off, 12);
	free(copy);
	assert_int_equal(evbpf__core_relocate(f.core, "nosuchsec", 0, f.insns, f.cnt), 0);
	fx_close(&f);
}

static void test_type_relations(void **state)
{
	struct btf *a = btf__new_empty(), *b = btf__new_empty();
	int ai, au, bi, bu, ap, bp, as, bs, bfwd, ae, be;

	assert_non_null(a);
	assert_non_null(b);
	ai = btf__add_int(a, "int", 4, BTF_INT_SIGNED);
	au = btf__add_int(a, "unsigned int", 4, 0);
	bi = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	bu = btf__add_int(b, "unsigned int", 4, 0);
	as = btf__add_struct(a, "s", 8);
	btf__add_field(a, "x", ai, 0, 0);
	bs = btf__add_struct(b, "s___2", 12);
	btf__add_field(b, "y", bu, 0, 0);
	btf__add_field(b, "x", bi, 32, 0);
	ap = btf__add_ptr(a, as);
	bfwd = btf__add_fwd(b, "s", BTF_FWD_STRUCT);
	bp = btf__add_ptr(b, bfwd);
	ae = btf__add_enum(a, "en", 4);
	btf__add_enum_value(a, "X", 1);
	be = btf__add_enum(b, "en", 4);
	btf__add_enum_value(b, "Y", 1);
	btf__add_enum_value(b, "X", 7);

	/* "compatible": shallow, ints are ints whatever the sign */
	assert_int_equal(evbpf__core_types_are_compat(a, ai, b, bu), 1);
	assert_int_equal(evbpf__core_types_are_compat(a, as, b, bs), 1);
	assert_int_equal(evbpf__core_types_are_compat(a, ap, b, bp), 0);
	/* "matches": deep, signedness and members by name */
	assert_int_equal(evbpf__core_types_match(a, ai, b, bi), 1);
	assert_int_equal(evbpf__core_types_match(a, ai, b, bu), 0);
	assert_int_equal(evbpf__core_types_match(a, au, b, bu), 1);
	assert_int_equal(evbpf__core_types_match(a, as, b, bs), 1);
	assert_int_equal(evbpf__core_types_match(b, bs, a, as), 0);
	/* behind a pointer a struct matches a forward declaration */
	assert_int_equal(evbpf__core_types_match(a, ap, b, bp), 1);
	assert_int_equal(evbpf__core_types_match(a, ae, b, be), 1);
	assert_int_equal(evbpf__core_types_match(b, be, a, ae), 0);
	btf__free(a);
	btf__free(b);
}

/* btf_custom_path: the target comes from a BTF file instead of the kernel. */
static void test_custom_path(void **state)
{
	struct evbpf__core_opts o = { .obj_name = "core_reloc" };
	const struct evbpf__core_result *r;
	char path[128];
	const void *raw;
	__u32 raw_sz;
	struct fx f;
	struct tt t;
	FILE *fp;

	fx_open(&f);
	add_base(f.targ, &t);
	add_foo(f.targ, &t, true, true, false);
	raw = btf__raw_data(f.targ, &raw_sz);
	assert_non_null(raw);
	snprintf(path, sizeof(path), "/tmp/evbpf-test-core-%d.btf", (int)getpid());
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(raw, 1, raw_sz, fp), raw_sz);
	fclose(fp);

	o.local_btf = f.local;
	o.btf_ext = f.ext;
	o.btf_custom_path = path;
	f.core = evbpf__core_new(&o);
	assert_non_null(f.core);
	assert_int_equal(fx_reloc(&f, "core/fields"), 15);
	r = res(&f, BPF_CORE_FIELD_BYTE_OFFSET, "struct foo.a ");
	assert_int_equal(r->new_val, 8);
	assert_non_null(strstr(r->text, path));
	unlink(path);

	/* a path that does not exist fails the relocation with a message */
	evbpf__core_free(f.core);
	o.btf_custom_path = "/nonexistent/evbpf.btf";
	f.core = evbpf__core_new(&o);
	evbpf_test_capture_log();
	assert_true(fx_reloc(&f, "core/fields") < 0);
	assert_non_null(strstr(evbpf_test_log(), "/nonexistent/evbpf.btf"));
	evbpf_test_log_reset();
	fx_close(&f);
}

/* ---- synthetic records: kinds clang 14 cannot emit, malformed input ---- */

struct syn_rec {
	__u32 insn_off;
	__u32 type_id;
	const char *access;
	__u32 kind;
};

/* A .BTF.ext with CO-RE records @recs for section "syn" of @btf. */
static struct btf_ext *syn_ext(struct btf *btf, const struct syn_rec *recs, int n)
{
	__u32 buf[256] = { 0 };
	__u32 *w = buf + 8;
	struct btf_ext *ext;
	const __u16 magic = 0xeB9F;
	const __u8 version = 1;
	int i;

	assert_true(n * 4 + 11 < 256);
	memcpy(buf, &magic, 2);
	memcpy((char *)buf + 2, &version, 1);
	buf[1] = 32;			/* hdr_len */
	*w++ = 16;			/* rec_size */
	*w++ = btf__add_str(btf, "syn");
	*w++ = n;
	for (i = 0; i < n; i++) {
		*w++ = recs[i].insn_off;
		*w++ = recs[i].type_id;
		*w++ = btf__add_str(btf, recs[i].access);
		*w++ = recs[i].kind;
	}
	buf[6] = 0;					/* core_relo_off */
	buf[7] = (__u32)((w - (buf + 8)) * 4);		/* core_relo_len */
	ext = btf_ext__new((const __u8 *)buf, (__u32)((w - buf) * 4));
	assert_non_null(ext);
	return ext;
}

struct syn {
	struct btf *local, *targ;
	struct btf_ext *ext;
	struct evbpf__core *core;
	int l_s, l_ps, t_s, t_s2;
};

/* local: struct s { int a; unsigned int b; }, struct s *;
 * target: struct s { int a; unsigned int b; long c; }, s___2 { int a; } */
static void syn_open(struct syn *y, const struct syn_rec *recs, int n)
{
	struct evbpf__core_opts o = { .obj_name = "syn" };
	int li, lu, ti, tu, tl;

	memset(y, 0, sizeof(*y));
	y->local = btf__new_empty();
	y->targ = btf__new_empty();
	li = btf__add_int(y->local, "int", 4, BTF_INT_SIGNED);
	lu = btf__add_int(y->local, "unsigned int", 4, 0);
	y->l_s = btf__add_struct(y->local, "s", 8);
	btf__add_field(y->local, "a", li, 0, 0);
	btf__add_field(y->local, "b", lu, 32, 0);
	y->l_ps = btf__add_ptr(y->local, y->l_s);
	ti = btf__add_int(y->targ, "int", 4, BTF_INT_SIGNED);
	tu = btf__add_int(y->targ, "unsigned int", 4, 0);
	tl = btf__add_int(y->targ, "long", 8, BTF_INT_SIGNED);
	y->t_s = btf__add_struct(y->targ, "s", 16);
	btf__add_field(y->targ, "a", ti, 0, 0);
	btf__add_field(y->targ, "b", tu, 32, 0);
	btf__add_field(y->targ, "c", tl, 64, 0);
	y->t_s2 = btf__add_struct(y->targ, "s___2", 4);
	btf__add_field(y->targ, "a", ti, 0, 0);
	y->ext = syn_ext(y->local, recs, n);
	o.local_btf = y->local;
	o.btf_ext = y->ext;
	o.target_btf = y->targ;
	y->core = evbpf__core_new(&o);
	assert_non_null(y->core);
}

static void syn_close(struct syn *y)
{
	evbpf__core_free(y->core);
	btf_ext__free(y->ext);
	btf__free(y->local);
	btf__free(y->targ);
}

#define MOV_IMM(v) { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = (v) }

static void test_type_matches(void **state)
{
	struct bpf_insn insns[4] = { MOV_IMM(1), MOV_IMM(1), MOV_IMM(3), MOV_IMM(3) };
	const struct syn_rec recs[] = {
		{ 0, 3, "0", BPF_CORE_TYPE_MATCHES },
		{ 8, 3, "0", BPF_CORE_TYPE_EXISTS },
		{ 16, 3, "0", BPF_CORE_TYPE_ID_TARGET },
		{ 24, 3, "0", BPF_CORE_TYPE_ID_LOCAL },
	};
	struct syn_rec one;
	struct syn y;

	/* s matches (every local member exists with a matching type); s___2
	 * lacks b, so it is dropped and later relocations of s see one
	 * candidate only: the target id is not ambiguous */
	syn_open(&y, recs, 4);
	assert_int_equal(y.l_s, 3);
	assert_int_equal(evbpf__core_relocate(y.core, "syn", 0, insns, 4), 4);
	assert_int_equal(insns[0].imm, 1);
	assert_int_equal(insns[1].imm, 1);
	assert_int_equal(insns[2].imm, y.t_s);
	assert_int_equal(insns[3].imm, 3);
	syn_close(&y);

	/* without the matches relocation first, two compatible candidates
	 * give two different target ids: refused */
	one = recs[2];
	one.insn_off = 0;
	syn_open(&y, &one, 1);
	insns[0] = (struct bpf_insn)MOV_IMM(3);
	evbpf_test_capture_log();
	assert_int_equal(evbpf__core_relocate(y.core, "syn", 0, insns, 1), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "ambiguous"));
	evbpf_test_log_reset();
	syn_close(&y);
}

static void test_bad_records(void **state)
{
	static const struct { const char *access; __u32 kind; __u32 type; __u32 off; int err; } cases[] = {
		{ "0:5", BPF_CORE_FIELD_BYTE_OFFSET, 3, 0, -EINVAL },	/* no member 5 */
		{ "x", BPF_CORE_FIELD_BYTE_OFFSET, 3, 0, -EINVAL },
		{ "0::1", BPF_CORE_FIELD_BYTE_OFFSET, 3, 0, -EINVAL },
		{ "", BPF_CORE_FIELD_BYTE_OFFSET, 3, 0, -EINVAL },
		{ "1", BPF_CORE_TYPE_SIZE, 3, 0, -EINVAL },		/* type relos take "0" */
		{ "0:0", BPF_CORE_ENUMVAL_VALUE, 3, 0, -EINVAL },	/* not an enum */
		{ "0:1", BPF_CORE_FIELD_BYTE_OFFSET, 3, 4, -EINVAL },	/* misaligned */
		{ "0:1", 77, 3, 0, -EINVAL },				/* unknown kind */
		{ "0:1:1", BPF_CORE_FIELD_BYTE_OFFSET, 3, 0, -EINVAL },	/* int has no members */
	};
	struct bpf_insn insns[2] = { MOV_IMM(4), MOV_IMM(0) };
	size_t i;

	evbpf_test_capture_log();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
			struct syn_rec r = { cases[i].off, cases[i].type, cases[i].access, cases[i].kind };
		struct syn y;

		syn_open(&y, &r, 1);
		insns[0].imm = 4;
		assert_int_equal(evbpf__core_relocate(y.core, "syn", 0, insns, 2), cases[i].err);
		assert_non_null(strstr(evbpf_test_log(), "syn"));
		evbpf_test_log_reset();
		syn_close(&y);
	}
}

static void test_bad_insns(void **state)
{
	const struct syn_rec rec = { 0, 3, "0:1", BPF_CORE_FIELD_BYTE_OFFSET };
	struct bpf_insn insns[2];
	struct syn y;

	evbpf_test_capture_log();
	/* the compiled value does not match the local layout */
	syn_open(&y, &rec, 1);
	insns[0] = (struct bpf_insn)MOV_IMM(5);
	assert_int_equal(evbpf__core_relocate(y.core, "syn", 0, insns, 1), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "expected 4"));
	syn_close(&y);
	/* register-source ALU */
	syn_open(&y, &rec, 1);
	insns[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_ADD | BPF_X, .imm = 4 };
	assert_int_equal(evbpf__core_relocate(y.core, "syn", 0, insns, 1), -EINVAL);
	syn_close(&y);
	/* an exit instruction cannot be relocated */
	syn_open(&y, &rec, 1);
	insns[0] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	assert_int_equal(evbpf__core_relocate(y.core, "syn", 0, insns, 1), -EINVAL);
	syn_close(&y);
	/* a half ld_imm64 at the end of the range */
	syn_open(&y, &rec, 1);
	insns[0] = (struct bpf_insn){ .code = BPF_LD | BPF_IMM | BPF_DW, .imm = 4 };
	assert_int_equal(evbpf__core_relocate(y.core, "syn", 0, insns, 1), -EINVAL);
	syn_close(&y);
	/* a good one: 4 -> 4 (b is at 4 in both) */
	syn_open(&y, &rec, 1);
	insns[0] = (struct bpf_insn)MOV_IMM(4);
	assert_int_equal(evbpf__core_relocate(y.core, "syn", 0, insns, 1), 1);
	assert_int_equal(insns[0].imm, 4);
	syn_close(&y);
	evbpf_test_log_reset();
}

/* Random records and instructions: any outcome but a crash (run under
 * ASan/UBSan in CI). */
static void test_random_records(void **state)
{
	unsigned int seed = 12345;
	int i;

	evbpf_test_capture_log();
	for (i = 0; i < 500; i++) {
		struct bpf_insn insns[3];
		char access[32];
		struct syn_rec r;
		struct syn y;
		int n, k, len = 0, ret;

		n = 1 + rand_r(&seed) % 4;
		for (k = 0; k < n; k++)
			len += snprintf(access + len, sizeof(access) - len, "%s%d", k ? ":" : "",
					rand_r(&seed) % 4);
		r.insn_off = (rand_r(&seed) % 4) * 8;
		r.type_id = rand_r(&seed) % 8;
		r.access = access;
		r.kind = rand_r(&seed) % 14;
		for (k = 0; k < 3; k++) {
			insns[k].code = (__u8[]){ BPF_ALU64 | BPF_MOV | BPF_K,
						  BPF_LDX | BPF_MEM | BPF_W,
						  BPF_LD | BPF_IMM | BPF_DW, 0 }[rand_r(&seed) % 4];
			insns[k].dst_reg = 1;
			insns[k].src_reg = 0;
			insns[k].off = (__s16)(rand_r(&seed) % 8);
			insns[k].imm = rand_r(&seed) % 8;
		}
		syn_open(&y, &r, 1);
		ret = evbpf__core_relocate(y.core, "syn", 0, insns, 3);
		assert_true(ret >= -4095 && ret <= 1);
		syn_close(&y);
		evbpf_test_log_reset();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_essential_name),
		cmocka_unit_test(test_fields_moved),
		cmocka_unit_test(test_fields_missing),
		cmocka_unit_test(test_field_size_change),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_enum64_target),
		cmocka_unit_test(test_flavor),
		cmocka_unit_test(test_ambiguity),
		cmocka_unit_test(test_candidate_pruning),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_type_relations),
		cmocka_unit_test(test_custom_path),
		cmocka_unit_test(test_type_matches),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_bad_insns),
		cmocka_unit_test(test_random_records),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
