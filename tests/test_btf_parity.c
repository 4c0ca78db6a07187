// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btf__new_empty_opts(), distilled base BTF and relocation of split BTF
 * (on a hand-built base and on the running kernel's vmlinux BTF), and
 * btf__permute() (round trips, .BTF.ext ids, the kernel accepting the
 * result, invalid maps).
 */
#include <errno.h>
#include <string.h>

#include "evbpf_test.h"
#include "bpf/btf.h"
#include "btf/btf_internal.h"

/* ---- structural comparison ---- */

static const char *nm(const struct btf *b, __u32 off)
{
	const char *s = btf__name_by_offset(b, off);

	return s ? s : "";
}

/* Whether type @ia of @a and @ib of @b are the same type, following
 * references @depth levels deep (names, sizes, members, values). */
static bool same(const struct btf *a, __u32 ia, const struct btf *b, __u32 ib, int depth)
{
	const struct btf_type *x = btf__type_by_id(a, ia), *y = btf__type_by_id(b, ib);
	__u32 i, n;

	if (!x || !y)
		return false;
	if (ia == 0 || ib == 0)
		return ia == ib;
	if (x->info != y->info || strcmp(nm(a, x->name_off), nm(b, y->name_off)))
		return false;
	if (depth <= 0)
		return true;
	n = btf_vlen(x);
	switch (btf_kind(x)) {
	case BTF_KIND_INT:
		return x->size == y->size && *(const __u32 *)(x + 1) == *(const __u32 *)(y + 1);
	case BTF_KIND_FLOAT:
		return x->size == y->size;
	case BTF_KIND_FWD:
		return true;
	case BTF_KIND_ARRAY:
		return btf_array(x)->nelems == btf_array(y)->nelems &&
		       same(a, btf_array(x)->type, b, btf_array(y)->type, depth - 1) &&
		       same(a, btf_array(x)->index_type, b, btf_array(y)->index_type, depth - 1);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (x->size != y->size)
			return false;
		for (i = 0; i < n; i++) {
			const struct btf_member *mx = btf_members(x) + i, *my = btf_members(y) + i;

			if (mx->offset != my->offset || strcmp(nm(a, mx->name_off), nm(b, my->name_off)) ||
			    !same(a, mx->type, b, my->type, depth - 1))
				return false;
		}
		return true;
	case BTF_KIND_ENUM:
		for (i = 0; i < n; i++)
			if (btf_enum(x)[i].val != btf_enum(y)[i].val ||
			    strcmp(nm(a, btf_enum(x)[i].name_off), nm(b, btf_enum(y)[i].name_off)))
				return false;
		return x->size == y->size;
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < n; i++)
			if (!same(a, btf_params(x)[i].type, b, btf_params(y)[i].type, depth - 1))
				return false;
		return same(a, x->type, b, y->type, depth - 1);
	case BTF_KIND_VAR:
		return btf_var(x)->linkage == btf_var(y)->linkage &&
		       same(a, x->type, b, y->type, depth - 1);
	default:	/* PTR, TYPEDEF, modifiers, FUNC, tags */
		return same(a, x->type, b, y->type, depth - 1);
	}
}

/* The own types of @orig and the last own types of @moved (which may have
 * copies of base types in front) are the same, one by one. */
static void same_own_types(const struct btf *orig, const struct btf *moved)
{
	__u32 ocnt = btf__type_cnt(orig), mcnt = btf__type_cnt(moved);
	__u32 ostart = btf__type_cnt(btf__base_btf(orig)), i;

	assert_true(mcnt - btf__type_cnt(btf__base_btf(moved)) >= ocnt - ostart);
	for (i = ostart; i < ocnt; i++) {
		if (!same(orig, i, moved, mcnt - (ocnt - i), 6))
			fail_msg("type [%u] differs after the move (now [%u])", i, mcnt - (ocnt - i));
	}
}

/* ---- btf__new_empty_opts ---- */

static void test_new_empty_opts(void **state)
{
	struct btf *base, *split, *b;
	LIBBPF_OPTS(btf_new_opts, opts);
	struct btf_new_opts big[2] = {};

	(void)state;
	b = btf__new_empty_opts(NULL);
	assert_non_null(b);
	assert_int_equal(btf__type_cnt(b), 1);
	assert_null(btf__base_btf(b));
	btf__free(b);

	base = btf__new_empty_opts(&opts);
	assert_non_null(base);
	assert_int_equal(btf__add_int(base, "int", 4, BTF_INT_SIGNED), 1);
	opts.base_btf = base;
	split = btf__new_empty_opts(&opts);
	assert_non_null(split);
	assert_ptr_equal(btf__base_btf(split), base);
	assert_int_equal(btf__add_ptr(split, 1), 2);
	assert_int_equal(btf__find_by_name(split, "int"), 1);
	btf__free(split);

	/* a byte this library does not know */
	big[0].sz = sizeof(big);
	((unsigned char *)big)[sizeof(big[0]) + 3] = 1;
	evbpf_test_capture_log();
	assert_null(btf__new_empty_opts(big));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "btf_new_opts"));

	/* the kind layout section is refused, not silently left out */
	opts.add_layout = true;
	evbpf_test_log_reset();
	assert_null(btf__new_empty_opts(&opts));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_non_null(strstr(evbpf_test_log(), "add_layout"));
	btf__free(base);
}

/* ---- distill / relocate on a hand-built base ---- */

/*
 * base: [1] int  [2] struct foo {int a; int b;}  [3] struct bar {int x;}
 *       [4] typedef int myint  [5] anon struct {int q;}  [6] enum e {E1}
 *       [7] ptr -> bar  [8] struct unused {int u;}  [9] long
 *       [10] array of foo[2]
 */
static struct btf *hand_base(bool reorder)
{
	struct btf *b = btf__new_empty();
	int i_int, foo, bar, anon, e;

	assert_non_null(b);
	if (reorder) {	/* the same named types at other ids, plus others */
		assert_true(btf__add_int(b, "char", 1, BTF_INT_CHAR) > 0);
		assert_true(btf__add_struct(b, "unrelated", 4) > 0);
		assert_true(btf__add_struct(b, "foo", 16) > 0);	/* same name, other size */
	}
	i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	if (reorder)
		assert_true(btf__add_enum(b, "e", 4) > 0 && btf__add_enum_value(b, "E1", 1) == 0);
	foo = btf__add_struct(b, "foo", 8);
	assert_int_equal(btf__add_field(b, "a", i_int, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "b", i_int, 32, 0), 0);
	bar = btf__add_struct(b, "bar", 4);
	assert_int_equal(btf__add_field(b, "x", i_int, 0, 0), 0);
	assert_true(btf__add_typedef(b, "myint", i_int) > 0);
	anon = btf__add_struct(b, NULL, 4);
	assert_int_equal(btf__add_field(b, "q", i_int, 0, 0), 0);
	if (!reorder) {
		e = btf__add_enum(b, "e", 4);
		assert_int_equal(btf__add_enum_value(b, "E1", 1), 0);
		assert_int_equal(e, 6);
	}
	assert_true(btf__add_ptr(b, bar) > 0);
	assert_true(btf__add_struct(b, "unused", 4) > 0);
	assert_int_equal(btf__add_field(b, "u", i_int, 0, 0), 0);
	assert_true(btf__add_int(b, "long", 8, BTF_INT_SIGNED) > 0);
	assert_true(btf__add_array(b, i_int, foo, 2) > 0);
	(void)anon;
	return b;
}

/* split on hand_base(false): struct s {struct foo f; struct bar *p; myint t;
 * anon a; enum e v; struct foo arr[2]}; */
static struct btf *hand_split(struct btf *base)
{
	struct btf *s = btf__new_empty_split(base);
	int id;

	assert_non_null(s);
	id = btf__add_struct(s, "s", 8 + 8 + 4 + 4 + 4 + 16);
	assert_int_equal(id, 11);
	assert_int_equal(btf__add_field(s, "f", 2, 0, 0), 0);
	assert_int_equal(btf__add_field(s, "p", 7, 64, 0), 0);
	assert_int_equal(btf__add_field(s, "t", 4, 128, 0), 0);
	assert_int_equal(btf__add_field(s, "a", 5, 160, 0), 0);
	assert_int_equal(btf__add_field(s, "v", 6, 192, 0), 0);
	assert_int_equal(btf__add_field(s, "arr", 10, 224, 0), 0);
	assert_int_equal(btf__add_ptr(s, 11), 12);
	assert_int_equal(btf__add_func_proto(s, 1), 13);
	assert_int_equal(btf__add_func_param(s, "sp", 12), 0);
	assert_int_equal(btf__add_func(s, "fn", BTF_FUNC_GLOBAL, 13), 14);
	return s;
}

static void test_distill_relocate(void **state)
{
	struct btf *base = hand_base(false), *other = hand_base(true), *split = hand_split(base);
	struct btf *dbase = NULL, *dsplit = NULL, *dsplit2 = NULL;
	const struct btf_type *t;
	__u32 i, n_named = 0;
	int id;

	(void)state;
	assert_int_equal(btf__distill_base(split, &dbase, &dsplit), 0);
	assert_ptr_equal(btf__base_btf(dsplit), dbase);
	/* the distilled base: int, foo, bar, e only; structs without members */
	for (i = 1; i < btf__type_cnt(dbase); i++) {
		t = btf__type_by_id(dbase, i);
		assert_true(t->name_off != 0);
		if (btf_is_composite(t) || btf_is_enum(t))
			assert_int_equal(btf_vlen(t), 0);
		n_named++;
	}
	assert_int_equal(n_named, 4);
	id = btf__find_by_name_kind(dbase, "foo", BTF_KIND_STRUCT);
	assert_true(id > 0);
	assert_int_equal(btf__type_by_id(dbase, id)->size, 8);
	assert_true(btf__find_by_name_kind(dbase, "unused", BTF_KIND_STRUCT) < 0);
	assert_true(btf__find_by_name_kind(dbase, "long", BTF_KIND_INT) < 0);
	/* typedef, anon struct, pointer and array moved into the split BTF */
	assert_true(btf__find_by_name_kind_own(dsplit, "myint", BTF_KIND_TYPEDEF) > 0);
	assert_int_equal(btf__type_cnt(dsplit) - btf__type_cnt(dbase), 4 + 4);
	/* distilled split BTF serialises and parses back on its base */
	{
		__u32 sz;
		const void *raw = btf__raw_data(dsplit, &sz);
		struct btf *back;

		assert_non_null(raw);
		back = btf__new_split(raw, sz, dbase);
		assert_non_null(back);
		assert_int_equal(btf__type_cnt(back), btf__type_cnt(dsplit));
		btf__free(back);
	}

	/* back onto the original base: the same types as before */
	assert_int_equal(btf__relocate(dsplit, base), 0);
	assert_ptr_equal(btf__base_btf(dsplit), base);
	same_own_types(split, dsplit);
	/* own types refer to the real base ids again */
	id = btf__find_by_name_kind_own(dsplit, "s", BTF_KIND_STRUCT);
	assert_true(id > 0);
	assert_int_equal(btf_members(btf__type_by_id(dsplit, id))[0].type, 2);

	/* onto a base with other ids, extra types and a same-named foo of
	 * another size: matched by kind, name and size */
	btf__free(dsplit);
	btf__free(dbase);
	assert_int_equal(btf__distill_base(split, &dbase, &dsplit2), 0);
	assert_int_equal(btf__relocate(dsplit2, other), 0);
	same_own_types(split, dsplit2);
	id = btf__find_by_name_kind_own(dsplit2, "s", BTF_KIND_STRUCT);
	assert_int_equal(btf_members(btf__type_by_id(dsplit2, id))[0].type,
			 6 /* the 8-byte foo of `other` */);

	btf__free(dsplit2);
	btf__free(dbase);
	btf__free(split);
	btf__free(other);
	btf__free(base);
}

static void test_relocate_refused(void **state)
{
	struct btf *base = hand_base(false), *split = hand_split(base);
	struct btf *dbase, *dsplit, *poor;
	__u32 cnt, sz1, sz2;
	const void *raw;
	void *before;

	(void)state;
	assert_int_equal(btf__distill_base(split, &dbase, &dsplit), 0);
	/* a base without struct bar */
	poor = btf__new_empty();
	assert_true(btf__add_int(poor, "int", 4, BTF_INT_SIGNED) > 0);
	assert_true(btf__add_struct(poor, "foo", 8) > 0);
	assert_true(btf__add_enum(poor, "e", 4) > 0);
	cnt = btf__type_cnt(dsplit);
	raw = btf__raw_data(dsplit, &sz1);
	before = malloc(sz1);
	memcpy(before, raw, sz1);
	evbpf_test_capture_log();
	assert_int_equal(btf__relocate(dsplit, poor), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "STRUCT 'bar' size 4"));
	assert_null(strchr(strchr(evbpf_test_log(), '\n') + 1, '\n'));	/* one line */
	/* unchanged */
	assert_ptr_equal(btf__base_btf(dsplit), dbase);
	assert_int_equal(btf__type_cnt(dsplit), cnt);
	raw = btf__raw_data(dsplit, &sz2);
	assert_int_equal(sz1, sz2);
	assert_memory_equal(raw, before, sz1);
	free(before);

	/* struct bar is reached only through a pointer: another size is fine;
	 * struct foo is embedded in struct s: its size must match */
	btf__free(poor);
	poor = btf__new_empty();
	assert_true(btf__add_int(poor, "int", 4, BTF_INT_SIGNED) > 0);
	assert_true(btf__add_struct(poor, "bar", 12) > 0);
	assert_true(btf__add_struct(poor, "foo", 16) > 0);
	assert_true(btf__add_enum(poor, "e", 4) > 0);
	evbpf_test_log_reset();
	assert_int_equal(btf__relocate(dsplit, poor), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "STRUCT 'foo' size 8"));
	assert_true(btf__add_struct(poor, "foo", 8) > 0);
	assert_int_equal(btf__relocate(dsplit, poor), 0);
	assert_ptr_equal(btf__base_btf(dsplit), poor);

	/* a BTF that is not split BTF */
	evbpf_test_log_reset();
	assert_int_equal(btf__relocate(base, poor), -EINVAL);
	assert_int_equal(btf__distill_base(base, &dbase, &dsplit), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "not split BTF"));

	btf__free(poor);
	btf__free(dsplit);
	btf__free(dbase);
	btf__free(split);
	btf__free(base);
}

/* ---- distill / relocate on the running kernel's BTF ---- */

static void test_distill_vmlinux(void **state)
{
	struct btf *vm = btf__load_vmlinux_btf(), *split, *dbase = NULL, *dsplit = NULL;
	int task, file, u32t, list, id, ptr, fptr;
	__u32 i;

	(void)state;
	if (!vm)
		EVBPF_SKIP("kernel has no BTF (/sys/kernel/btf/vmlinux)");
	task = btf__find_by_name_kind(vm, "task_struct", BTF_KIND_STRUCT);
	file = btf__find_by_name_kind(vm, "file", BTF_KIND_STRUCT);
	u32t = btf__find_by_name_kind(vm, "u32", BTF_KIND_TYPEDEF);
	list = btf__find_by_name_kind(vm, "list_head", BTF_KIND_STRUCT);
	assert_true(task > 0 && file > 0 && u32t > 0 && list > 0);
	split = btf__new_empty_split(vm);
	ptr = btf__add_ptr(split, task);
	fptr = btf__add_ptr(split, file);
	id = btf__add_struct(split, "probe_ctx", 8 + 8 + 4 + 4 + 16);
	assert_int_equal(btf__add_field(split, "task", ptr, 0, 0), 0);
	assert_int_equal(btf__add_field(split, "file", fptr, 64, 0), 0);
	assert_int_equal(btf__add_field(split, "n", u32t, 128, 0), 0);
	assert_int_equal(btf__add_field(split, "pad", u32t, 160, 0), 0);
	assert_int_equal(btf__add_field(split, "node", list, 192, 0), 0);
	assert_true(id > 0);

	assert_int_equal(btf__distill_base(split, &dbase, &dsplit), 0);
	/* far smaller than vmlinux, and no struct keeps members */
	assert_true(btf__type_cnt(dbase) < 64);
	for (i = 1; i < btf__type_cnt(dbase); i++) {
		const struct btf_type *t = btf__type_by_id(dbase, i);

		if (btf_is_composite(t))
			assert_int_equal(btf_vlen(t), 0);
	}
	assert_true(btf__find_by_name_kind(dbase, "task_struct", BTF_KIND_STRUCT) > 0);
	assert_int_equal(btf__relocate(dsplit, vm), 0);
	same_own_types(split, dsplit);
	id = btf__find_by_name_kind_own(dsplit, "probe_ctx", BTF_KIND_STRUCT);
	assert_int_equal(btf_members(btf__type_by_id(dsplit, id))[4].type, (__u32)list);

	btf__free(dsplit);
	btf__free(dbase);
	btf__free(split);
	btf__free(vm);
}

/* ---- btf__permute ---- */

/* [1] int [2] ptr->3 [3] struct s {int a; struct s *n;} [4] proto(int, s*)
 * [5] func f [6] array int[4] */
static struct btf *perm_btf(void)
{
	struct btf *b = btf__new_empty();

	assert_int_equal(btf__add_int(b, "int", 4, BTF_INT_SIGNED), 1);
	assert_int_equal(btf__add_ptr(b, 3), 2);
	assert_int_equal(btf__add_struct(b, "s", 16), 3);
	assert_int_equal(btf__add_field(b, "a", 1, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "n", 2, 64, 0), 0);
	assert_int_equal(btf__add_func_proto(b, 1), 4);
	assert_int_equal(btf__add_func_param(b, "p", 2), 0);
	assert_int_equal(btf__add_func(b, "f", BTF_FUNC_GLOBAL, 4), 5);
	assert_int_equal(btf__add_array(b, 1, 1, 4), 6);
	return b;
}

static void test_permute(void **state)
{
	struct btf *b = perm_btf(), *orig = perm_btf();
	__u32 map[7] = { 0, 6, 5, 4, 3, 2, 1 }, inv[7], i, sz1, sz2;
	const void *r1, *r2;
	int fd;

	(void)state;
	assert_int_equal(btf__permute(b, map, 7, NULL), 0);
	for (i = 1; i < 7; i++)
		if (!same(orig, i, b, map[i], 6))
			fail_msg("type [%u] is not at [%u] after permuting", i, map[i]);
	assert_int_equal(btf__find_by_name_kind(b, "s", BTF_KIND_STRUCT), 4);
	assert_int_equal(btf__type_by_id(b, 5)->type, 4);	/* ptr -> s */
	assert_int_equal(btf_members(btf__type_by_id(b, 4))[1].type, 5);
	/* the kernel takes the permuted BTF */
	fd = btf__load_into_kernel(b) == 0 ? btf__fd(b) : -1;
	assert_true(fd >= 0);

	/* inverse map: back to the original bytes */
	for (i = 0; i < 7; i++)
		inv[map[i]] = i;
	assert_int_equal(btf__permute(b, inv, 7, NULL), 0);
	r1 = btf__raw_data(orig, &sz1);
	r2 = btf__raw_data(b, &sz2);
	assert_int_equal(sz1, sz2);
	assert_memory_equal(r1, r2, sz1);

	btf__free(b);
	btf__free(orig);
}

static void test_permute_split(void **state)
{
	struct btf *base = perm_btf(), *s = btf__new_empty_split(base);
	__u32 map[3] = { 9, 7, 8 };	/* own ids 7, 8, 9 */

	(void)state;
	assert_int_equal(btf__add_ptr(s, 3), 7);		/* s* */
	assert_int_equal(btf__add_const(s, 7), 8);		/* const s* */
	assert_int_equal(btf__add_typedef(s, "cp", 8), 9);
	assert_int_equal(btf__permute(s, map, 3, NULL), 0);
	assert_int_equal(btf__find_by_name_kind(s, "cp", BTF_KIND_TYPEDEF), 8);
	assert_int_equal(btf__type_by_id(s, 8)->type, 7);		/* -> const */
	assert_true(btf_is_const(btf__type_by_id(s, 7)));
	assert_int_equal(btf__type_by_id(s, 7)->type, 9);		/* -> ptr */
	assert_int_equal(btf__type_by_id(s, 9)->type, 3);		/* base id kept */
	btf__free(s);
	btf__free(base);
}

static void test_permute_invalid(void **state)
{
	struct btf *b = perm_btf();
	__u32 dup[7] = { 0, 1, 2, 3, 4, 5, 5 }, range[7] = { 0, 1, 2, 3, 4, 5, 7 };
	__u32 moved_void[7] = { 1, 0, 2, 3, 4, 5, 6 }, ok[7] = { 0, 1, 2, 3, 4, 5, 6 };
	struct btf_permute_opts bad[2] = {};
	__u32 sz1, sz2;
	const void *raw;
	void *before;

	(void)state;
	raw = btf__raw_data(b, &sz1);
	before = malloc(sz1);
	memcpy(before, raw, sz1);
	evbpf_test_capture_log();
	assert_int_equal(btf__permute(b, dup, 7, NULL), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "id_map[6] = 5: duplicate"));
	evbpf_test_log_reset();
	assert_int_equal(btf__permute(b, range, 7, NULL), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "id_map[6] = 7: out of range"));
	assert_int_equal(btf__permute(b, moved_void, 7, NULL), -EINVAL);
	assert_int_equal(btf__permute(b, ok, 6, NULL), -EINVAL);
	assert_int_equal(btf__permute(b, NULL, 7, NULL), -EINVAL);
	bad[0].sz = sizeof(bad);
	((unsigned char *)bad)[sizeof(bad[0]) + 1] = 1;
	assert_int_equal(btf__permute(b, ok, 7, bad), -EINVAL);
	raw = btf__raw_data(b, &sz2);
	assert_int_equal(sz1, sz2);
	assert_memory_equal(raw, before, sz1);
	/* the identity is fine */
	assert_int_equal(btf__permute(b, ok, 7, NULL), 0);
	free(before);
	btf__free(b);
}

/* func_info / CO-RE type ids of .BTF.ext follow the permutation */
static void test_permute_ext(void **state)
{
	struct btf_ext *ext = NULL;
	struct btf *btf = btf__parse_elf(evbpf_test_prog_path("core_reloc"), &ext);
	const struct evbpf__btf_ext_info *fi;
	LIBBPF_OPTS(btf_permute_opts, opts);
	char **names_before;
	__u32 n, i, s, r, cnt, *map, k = 0;

	(void)state;
	assert_non_null(btf);
	assert_non_null(ext);
	cnt = btf__type_cnt(btf);
	fi = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_FUNC_INFO);
	n = 0;
	for (s = 0; s < fi->sec_cnt; s++)
		n += fi->secs[s].num_info;
	assert_true(n > 0);
	names_before = calloc(n, sizeof(*names_before));
	for (s = 0; s < fi->sec_cnt; s++)
		for (r = 0; r < fi->secs[s].num_info; r++) {
			const __u32 *w = evbpf__btf_ext_rec(fi, &fi->secs[s], r);

			names_before[k++] = strdup(btf__name_by_offset(btf, btf__type_by_id(btf, w[1])->name_off));
		}
	/* reverse every id */
	map = calloc(cnt, sizeof(*map));
	for (i = 1; i < cnt; i++)
		map[i] = cnt - i;
	opts.btf_ext = ext;
	assert_int_equal(btf__permute(btf, map, cnt, &opts), 0);
	k = 0;
	fi = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_FUNC_INFO);
	for (s = 0; s < fi->sec_cnt; s++)
		for (r = 0; r < fi->secs[s].num_info; r++) {
			const __u32 *w = evbpf__btf_ext_rec(fi, &fi->secs[s], r);
			const struct btf_type *t = btf__type_by_id(btf, w[1]);

			assert_true(btf_is_func(t));
			assert_string_equal(btf__name_by_offset(btf, t->name_off), names_before[k]);
			free(names_before[k++]);
		}
	assert_int_equal(evbpf__btf_ext_validate(ext, btf, "core_reloc"), 0);
	free(names_before);
	free(map);
	btf_ext__free(ext);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_empty_opts),
		cmocka_unit_test(test_distill_relocate),
		cmocka_unit_test(test_relocate_refused),
		cmocka_unit_test(test_distill_vmlinux),
		cmocka_unit_test(test_permute),
		cmocka_unit_test(test_permute_split),
		cmocka_unit_test(test_permute_invalid),
		cmocka_unit_test(test_permute_ext),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
