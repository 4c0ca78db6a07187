// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The btf__add_* writer: every kind built, serialised, re-parsed and
 * compared field by field; strings deduplicated; argument checks; copying
 * types between btfs.
 */
#include <errno.h>

#include "evbpf_test.h"
#include "bpf/btf.h"
#include "btf/btf_internal.h"

/* Builds one type of every kind; returns the btf. Ids are fixed (asserted). */
static struct btf *build_all(void)
{
	struct btf *btf = btf__new_empty();
	int id;

	assert_non_null(btf);
	assert_int_equal(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_float(btf, "double", 8), 2);
	assert_int_equal(btf__add_ptr(btf, 1), 3);
	assert_int_equal(btf__add_array(btf, 1, 1, 16), 4);
	assert_int_equal(btf__add_struct(btf, "s", 16), 5);
	assert_int_equal(btf__add_field(btf, "a", 1, 0, 0), 0);
	assert_int_equal(btf__add_field(btf, "bf", 1, 32, 3), 0);
	assert_int_equal(btf__add_field(btf, NULL, 3, 64, 0), 0);	/* anonymous member */
	assert_int_equal(btf__add_union(btf, "u", 8), 6);
	assert_int_equal(btf__add_field(btf, "x", 1, 0, 0), 0);
	assert_int_equal(btf__add_field(btf, "d", 2, 0, 0), 0);
	assert_int_equal(btf__add_union(btf, NULL, 8), 7);
	assert_int_equal(btf__add_field(btf, "p", 3, 0, 0), 0);
	assert_int_equal(btf__add_enum(btf, "e", 4), 8);
	assert_int_equal(btf__add_enum_value(btf, "E_A", 1), 0);
	assert_int_equal(btf__add_enum_value(btf, "E_NEG", -5), 0);
	assert_int_equal(btf__add_enum64(btf, "e64", 8, false), 9);
	assert_int_equal(btf__add_enum64_value(btf, "E64_BIG", 0xfedcba9876543210ull), 0);
	assert_int_equal(btf__add_fwd(btf, "fs", BTF_FWD_STRUCT), 10);
	assert_int_equal(btf__add_fwd(btf, "fu", BTF_FWD_UNION), 11);
	assert_int_equal(btf__add_fwd(btf, "fe", BTF_FWD_ENUM), 12);
	assert_int_equal(btf__add_typedef(btf, "td", 5), 13);
	assert_int_equal(btf__add_volatile(btf, 1), 14);
	assert_int_equal(btf__add_const(btf, 14), 15);
	assert_int_equal(btf__add_restrict(btf, 3), 16);
	assert_int_equal(btf__add_type_tag(btf, "user", 1), 17);
	assert_int_equal(btf__add_func_proto(btf, 1), 18);
	assert_int_equal(btf__add_func_param(btf, "x", 1), 0);
	assert_int_equal(btf__add_func_param(btf, NULL, 3), 0);
	assert_int_equal(btf__add_func(btf, "f", BTF_FUNC_GLOBAL, 18), 19);
	assert_int_equal(btf__add_var(btf, "v", BTF_VAR_GLOBAL_ALLOCATED, 5), 20);
	assert_int_equal(btf__add_datasec(btf, ".data", 16), 21);
	assert_int_equal(btf__add_datasec_var_info(btf, 20, 0, 16), 0);
	assert_int_equal(btf__add_decl_tag(btf, "tag", 5, 1), 22);
	id = btf__add_decl_tag(btf, "ftag", 19, -1);
	assert_int_equal(id, 23);
	return btf;
}

static const char *name_of(const struct btf *btf, __u32 id)
{
	return btf__name_by_offset(btf, btf__type_by_id(btf, id)->name_off);
}

static void check_all(const struct btf *btf)
{
	const struct btf_type *t;

	assert_int_equal(btf__type_cnt(btf), 24);
	t = btf__type_by_id(btf, 1);
	assert_true(btf_is_int(t));
	assert_int_equal(btf_int_encoding(t), BTF_INT_SIGNED);
	assert_int_equal(btf_int_bits(t), 32);
	assert_true(btf_is_float(btf__type_by_id(btf, 2)));
	assert_int_equal(btf__type_by_id(btf, 2)->size, 8);
	assert_true(btf_is_ptr(btf__type_by_id(btf, 3)));
	t = btf__type_by_id(btf, 4);
	assert_int_equal(btf_array(t)->nelems, 16);
	assert_int_equal(btf__resolve_size(btf, 4), 64);

	t = btf__type_by_id(btf, 5);
	assert_true(btf_is_struct(t));
	assert_true(btf_kflag(t));
	assert_int_equal(btf_vlen(t), 3);
	assert_int_equal(btf_member_bit_offset(t, 1), 32);
	assert_int_equal(btf_member_bitfield_size(t, 1), 3);
	assert_int_equal(btf_member_bit_offset(t, 2), 64);
	assert_int_equal(btf_members(t)[2].name_off, 0);
	assert_string_equal(name_of(btf, 5), "s");
	assert_true(btf_is_union(btf__type_by_id(btf, 6)));
	assert_int_equal(btf__align_of(btf, 6), 8);

	t = btf__type_by_id(btf, 8);
	assert_true(btf_is_enum(t));
	assert_true(btf_kflag(t));
	assert_int_equal(btf_enum(t)[1].val, -5);
	assert_string_equal(btf__name_by_offset(btf, btf_enum(t)[1].name_off), "E_NEG");
	t = btf__type_by_id(btf, 9);
	assert_true(btf_is_enum64(t));
	assert_true(btf_is_any_enum(t));
	assert_true(btf_enum64_value(btf_enum64(t)) == 0xfedcba9876543210ull);

	assert_true(btf_is_fwd(btf__type_by_id(btf, 10)));
	assert_false(btf_kflag(btf__type_by_id(btf, 10)));
	assert_true(btf_kflag(btf__type_by_id(btf, 11)));
	assert_true(btf_is_enum(btf__type_by_id(btf, 12)));
	assert_int_equal(btf_vlen(btf__type_by_id(btf, 12)), 0);
	assert_true(btf_is_typedef(btf__type_by_id(btf, 13)));
	assert_true(btf_is_volatile(btf__type_by_id(btf, 14)));
	assert_true(btf_is_const(btf__type_by_id(btf, 15)));
	assert_true(btf_is_restrict(btf__type_by_id(btf, 16)));
	assert_true(btf_is_type_tag(btf__type_by_id(btf, 17)));
	assert_string_equal(name_of(btf, 17), "user");
	assert_int_equal(btf__resolve_type(btf, 15), 1);
	assert_int_equal(btf__resolve_size(btf, 13), 16);

	t = btf__type_by_id(btf, 18);
	assert_true(btf_is_func_proto(t));
	assert_int_equal(btf_vlen(t), 2);
	assert_int_equal(btf_params(t)[1].type, 3);
	t = btf__type_by_id(btf, 19);
	assert_true(btf_is_func(t));
	assert_int_equal(btf_vlen(t), BTF_FUNC_GLOBAL);
	t = btf__type_by_id(btf, 20);
	assert_true(btf_is_var(t));
	assert_int_equal(btf_var(t)->linkage, BTF_VAR_GLOBAL_ALLOCATED);
	t = btf__type_by_id(btf, 21);
	assert_true(btf_is_datasec(t));
	assert_int_equal(btf_var_secinfos(t)[0].type, 20);
	assert_int_equal(btf_var_secinfos(t)[0].size, 16);
	t = btf__type_by_id(btf, 22);
	assert_true(btf_is_decl_tag(t));
	assert_int_equal(btf_decl_tag(t)->component_idx, 1);
	assert_int_equal(btf_decl_tag(btf__type_by_id(btf, 23))->component_idx, -1);

	assert_int_equal(btf__find_by_name_kind(btf, "e64", BTF_KIND_ENUM64), 9);
	assert_int_equal(btf__find_by_name_kind(btf, "f", BTF_KIND_FUNC), 19);
	assert_int_equal(btf__find_by_name(btf, "td"), 13);
}

static void test_every_kind_roundtrip(void **state)
{
	struct btf *btf = build_all(), *back;
	const void *raw;
	__u32 size;

	check_all(btf);
	raw = btf__raw_data(btf, &size);
	assert_non_null(raw);
	back = btf__new(raw, size);
	assert_non_null(back);
	check_all(back);
	/* Big-endian output parses back to the same types. */
	assert_int_equal(btf__set_endianness(btf, BTF_BIG_ENDIAN), 0);
	raw = btf__raw_data(btf, &size);
	btf__free(back);
	back = btf__new(raw, size);
	assert_non_null(back);
	assert_int_equal(btf__endianness(back), BTF_BIG_ENDIAN);
	check_all(back);
	btf__free(back);
	btf__free(btf);
}

static void test_strings(void **state)
{
	struct btf *btf = btf__new_empty();
	int a, b;

	a = btf__add_str(btf, "hello");
	assert_true(a > 0);
	b = btf__add_str(btf, "hello");
	assert_int_equal(a, b);
	assert_int_equal(btf__find_str(btf, "hello"), a);
	assert_int_equal(btf__find_str(btf, "nope"), -ENOENT);
	assert_int_equal(btf__add_str(btf, ""), 0);
	assert_string_equal(btf__str_by_offset(btf, a), "hello");
	/* Many strings: the index grows and stays correct. */
	for (int i = 0; i < 5000; i++) {
		char s[32];

		snprintf(s, sizeof(s), "str_%d", i);
		assert_true(btf__add_str(btf, s) > 0);
	}
	assert_int_equal(btf__find_str(btf, "hello"), a);
	assert_string_equal(btf__str_by_offset(btf, btf__find_str(btf, "str_4999")), "str_4999");
	/* Name index keeps up with added types. */
	for (int i = 0; i < 3000; i++) {
		char s[32];

		snprintf(s, sizeof(s), "t_%d", i);
		assert_int_equal(btf__add_int(btf, s, 4, 0), i + 1);
		if (i == 10)
			assert_int_equal(btf__find_by_name(btf, "t_3"), 4);
	}
	assert_int_equal(btf__find_by_name_kind(btf, "t_2999", BTF_KIND_INT), 3000);
	btf__free(btf);
}

static void test_bad_arguments(void **state)
{
	struct btf *btf = btf__new_empty();

	assert_int_equal(btf__add_int(btf, "x", 3, 0), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(btf__add_int(btf, "", 4, 0), -EINVAL);
	assert_int_equal(btf__add_int(btf, "x", 4, 3), -EINVAL);
	assert_int_equal(btf__add_float(btf, "f", 3), -EINVAL);
	assert_int_equal(btf__add_ptr(btf, 0x7fffffff), -EINVAL);
	assert_int_equal(btf__add_ptr(btf, -1), -EINVAL);
	/* No container: members are refused. */
	assert_int_equal(btf__add_field(btf, "a", 0, 0, 0), -EINVAL);
	assert_int_equal(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_field(btf, "a", 1, 0, 0), -EINVAL);
	assert_int_equal(btf__add_enum_value(btf, "A", 1), -EINVAL);
	assert_int_equal(btf__add_func_param(btf, "a", 1), -EINVAL);
	assert_int_equal(btf__add_datasec_var_info(btf, 1, 0, 4), -EINVAL);
	assert_int_equal(btf__add_union(btf, "u", 4), 2);
	assert_int_equal(btf__add_field(btf, "a", 1, 8, 0), -EINVAL);	/* union offset */
	assert_int_equal(btf__add_field(btf, "a", 1, 0, 300), -EINVAL);
	assert_int_equal(btf__add_enum(btf, "e", 3), -EINVAL);
	assert_int_equal(btf__add_enum(btf, "e", 4), 3);
	assert_int_equal(btf__add_enum_value(btf, "BIG", 1ll << 40), -E2BIG);
	assert_int_equal(btf__add_enum_value(btf, NULL, 1), -EINVAL);
	assert_int_equal(btf__add_func(btf, "f", BTF_FUNC_GLOBAL, 1), -EINVAL);
	assert_int_equal(btf__add_func(btf, "f", 9, 1), -EINVAL);
	assert_int_equal(btf__add_var(btf, "v", 7, 1), -EINVAL);
	assert_int_equal(btf__add_var(btf, "v", 0, 0), -EINVAL);
	assert_int_equal(btf__add_datasec(btf, NULL, 4), -EINVAL);
	assert_int_equal(btf__add_decl_tag(btf, "t", 1, -2), -EINVAL);
	assert_int_equal(btf__add_typedef(btf, NULL, 1), -EINVAL);
	assert_int_equal(btf__add_fwd(btf, "x", 7), -EINVAL);
	assert_int_equal(btf__add_array(btf, 1, 0, 1), -EINVAL);
	assert_int_equal(btf__type_cnt(btf), 4);
	/* attribute flavours of the tags */
	assert_int_equal(btf__add_decl_attr(btf, "aligned(8)", 2, -1), 4);
	assert_true(btf_kflag(btf__type_by_id(btf, 4)));
	assert_int_equal(btf__add_type_attr(btf, "address_space(1)", 1), 5);
	assert_true(btf_kflag(btf__type_by_id(btf, 5)));
	assert_true(btf_is_type_tag(btf__type_by_id(btf, 5)));
	assert_int_equal(btf__add_type_attr(btf, NULL, 1), -EINVAL);
	assert_int_equal(btf__set_pointer_size(btf, 3), -EINVAL);
	assert_int_equal(btf__set_pointer_size(btf, 4), 0);
	assert_int_equal(btf__pointer_size(btf), 4);
	btf__free(btf);
}

static void test_add_btf_and_type(void **state)
{
	struct btf *src = build_all(), *dst = btf__new_empty();
	const struct btf_type *t;
	int first, id;

	assert_int_equal(btf__add_int(dst, "char", 1, BTF_INT_CHAR), 1);
	first = btf__add_btf(dst, src);
	assert_int_equal(first, 2);
	assert_int_equal(btf__type_cnt(dst), 1 + 23 + 1);
	/* ids were shifted by one */
	t = btf__type_by_id(dst, 5 + 1);
	assert_true(btf_is_struct(t));
	assert_int_equal(btf_members(t)[2].type, 3 + 1);
	assert_string_equal(btf__name_by_offset(dst, btf_members(t)[1].name_off), "bf");
	assert_int_equal(btf__find_by_name_kind(dst, "e64", BTF_KIND_ENUM64), 10);
	assert_int_equal(btf__add_btf(dst, dst), -EINVAL);

	/* add_type keeps type ids as they are */
	id = btf__add_type(dst, src, btf__type_by_id(src, 3));
	assert_int_equal(id, 25);
	assert_int_equal(btf__type_by_id(dst, id)->type, 1);
	/* from itself, too (the record may move while copying) */
	id = btf__add_type(dst, dst, btf__type_by_id(dst, 6));
	assert_int_equal(id, 26);
	assert_string_equal(name_of(dst, 26), "s");
	btf__free(dst);
	btf__free(src);
}

/* One "compilation unit": int, struct node { node *next; int v; },
 * typedef node_t. */
static void add_cu(struct btf *btf)
{
	int i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	int n = btf__add_struct(btf, "node", 16);

	btf__add_field(btf, "next", n + 1, 0, 0);
	btf__add_field(btf, "v", i, 64, 0);
	assert_int_equal(btf__add_ptr(btf, n), n + 1);
	btf__add_typedef(btf, "node_t", n);
}

static void test_dedup_cycles(void **state)
{
	struct btf *btf = btf__new_empty();
	const struct btf_type *t;
	__s32 id;

	add_cu(btf);
	add_cu(btf);
	add_cu(btf);
	assert_int_equal(btf__type_cnt(btf), 13);
	assert_int_equal(btf__dedup(btf, NULL), 0);
	assert_int_equal(btf__type_cnt(btf), 5);
	id = btf__find_by_name_kind(btf, "node", BTF_KIND_STRUCT);
	assert_int_equal(id, 2);
	t = btf__type_by_id(btf, id);
	assert_int_equal(btf_members(t)[0].type, 3);
	assert_int_equal(btf__type_by_id(btf, 3)->type, 2);
	assert_int_equal(btf__find_by_name(btf, "node_t"), 4);
	/* Different shapes stay apart. */
	btf__add_struct(btf, "node", 8);
	btf__add_field(btf, "v", 1, 0, 0);
	assert_int_equal(btf__dedup(btf, NULL), 0);
	assert_int_equal(btf__type_cnt(btf), 6);
	btf__free(btf);
}

static void test_dedup_fwd(void **state)
{
	struct btf *btf = btf__new_empty();
	int i, foo, p1, fwd, p2;

	/* CU 1 knows struct foo; CU 2 only declares it. */
	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);	/* 1 */
	foo = btf__add_struct(btf, "foo", 4);			/* 2 */
	btf__add_field(btf, "a", i, 0, 0);
	p1 = btf__add_ptr(btf, foo);				/* 3 */
	btf__add_struct(btf, "bar", 8);				/* 4 */
	btf__add_field(btf, "p", p1, 0, 0);
	fwd = btf__add_fwd(btf, "foo", BTF_FWD_STRUCT);		/* 5 */
	p2 = btf__add_ptr(btf, fwd);				/* 6 */
	btf__add_struct(btf, "bar", 8);				/* 7 */
	btf__add_field(btf, "p", p2, 0, 0);
	btf__add_fwd(btf, "only_fwd", BTF_FWD_UNION);		/* 8 */
	assert_int_equal(btf__dedup(btf, NULL), 0);
	assert_int_equal(btf__type_cnt(btf), 6);
	assert_int_equal(btf__find_by_name_kind(btf, "foo", BTF_KIND_FWD), -ENOENT);
	assert_int_equal(btf__find_by_name_kind(btf, "only_fwd", BTF_KIND_FWD), 5);
	btf__free(btf);
}

static void test_dedup_ext(void **state)
{
	struct btf_ext *ext = NULL;
	struct btf *obj = btf__parse_elf(evbpf_test_prog_path("btf_kinds"), &ext);
	struct btf *btf = btf__new_empty();
	const struct evbpf__btf_ext_info *fi;
	struct bpf_func_info *rec;
	__u32 n, orig, size, datasecs = 0;
	const void *raw;
	LIBBPF_OPTS(btf_dedup_opts, opts, .btf_ext = ext);

	assert_non_null(obj);
	n = btf__type_cnt(obj) - 1;
	assert_int_equal(btf__add_btf(btf, obj), 1);
	assert_int_equal(btf__add_btf(btf, obj), (int)n + 1);
	fi = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_FUNC_INFO);
	rec = (struct bpf_func_info *)fi->secs[0].data;
	orig = rec->type_id;
	rec->type_id += n;	/* point at the second copy */
	assert_int_equal(btf__dedup(btf, &opts), 0);
	/* DATASECs are never merged: the second copy keeps its own */
	for (__u32 id = 1; id <= n; id++)
		if (btf_is_datasec(btf__type_by_id(obj, id)))
			datasecs++;
	assert_true(datasecs > 0);
	assert_int_equal(btf__type_cnt(btf), n + 1 + datasecs);
	assert_int_equal(rec->type_id, orig);
	raw = btf_ext__raw_data(ext, &size);
	assert_non_null(raw);
	assert_int_equal(btf__find_by_name_kind(btf, "kinds", BTF_KIND_STRUCT),
			 btf__find_by_name_kind(obj, "kinds", BTF_KIND_STRUCT));
	/* the result is valid BTF */
	raw = btf__raw_data(btf, &size);
	btf__free(obj);
	obj = btf__new(raw, size);
	assert_non_null(obj);
	btf__free(obj);
	btf_ext__free(ext);
	btf__free(btf);
}

static void test_dedup_vmlinux(void **state)
{
	struct btf *vml = btf__load_vmlinux_btf();
	__u32 before;

	if (!vml)
		EVBPF_SKIP("no kernel BTF");
	before = btf__type_cnt(vml);
	assert_int_equal(btf__dedup(vml, NULL), 0);
	assert_true(btf__type_cnt(vml) <= before);
	assert_true(btf__type_cnt(vml) > before / 2);
	assert_true(btf__find_by_name_kind(vml, "task_struct", BTF_KIND_STRUCT) > 0);
	btf__free(vml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_roundtrip),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_add_btf_and_type),
		cmocka_unit_test(test_dedup_cycles),
		cmocka_unit_test(test_dedup_fwd),
		cmocka_unit_test(test_dedup_ext),
		cmocka_unit_test(test_dedup_vmlinux),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
