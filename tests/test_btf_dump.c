// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF to C: exact output for hand-built types, declarations, values, and
 * the whole kernel BTF: the build-time vmlinux.h must compile with clang
 * -target bpf and reproduce every struct size and member offset (checked
 * with _Static_assert by clang itself).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "evbpf_test.h"
#include "bpf/btf.h"
#include "btf/btf_internal.h"

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static void to_file(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
}

static const char *out_str(struct out *o)
{
	fflush(o->f);
	return o->buf;
}

static void out_close(struct out *o)
{
	fclose(o->f);
	free(o->buf);
}

/* Hand-built types: a struct with a forward-referenced pointer, bitfields
 * (one of enum type), an anonymous union, a function-pointer typedef, an
 * array, and a packed struct. */
static struct btf *node_btf(void)
{
	struct btf *btf = btf__new_empty();
	int i, c, l, u, e, fp, td, s;

	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);		/* 1 */
	c = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);		/* 2 */
	l = btf__add_int(btf, "long", 8, BTF_INT_SIGNED);		/* 3 */
	u = btf__add_union(btf, NULL, 8);				/* 4 */
	btf__add_field(btf, "ui", i, 0, 0);
	btf__add_field(btf, "ul", l, 0, 0);
	e = btf__add_enum(btf, "mode", 4);				/* 5 */
	btf__add_enum_value(btf, "M_A", 0);
	btf__add_enum_value(btf, "M_B", -1);
	fp = btf__add_func_proto(btf, i);				/* 6 */
	btf__add_func_param(btf, "x", i);
	btf__add_func_param(btf, NULL, 10);				/* struct node * */
	fp = btf__add_ptr(btf, fp);					/* 7 */
	td = btf__add_typedef(btf, "cb_t", fp);				/* 8 */
	s = btf__add_struct(btf, "node", 40);				/* 9 */
	btf__add_field(btf, "next", 10, 0, 0);
	btf__add_field(btf, "flags", i, 64, 3);
	btf__add_field(btf, "kind", e, 67, 2);
	btf__add_field(btf, "tag", c, 72, 0);
	btf__add_field(btf, NULL, u, 128, 0);
	btf__add_field(btf, "cb", td, 192, 0);
	btf__add_field(btf, "name", 11, 256, 0);
	assert_int_equal(btf__add_ptr(btf, s), 10);
	assert_int_equal(btf__add_array(btf, i, c, 3), 11);
	assert_int_equal(btf__add_struct(btf, "pk", 5), 12);
	btf__add_field(btf, "c", c, 0, 0);
	btf__add_field(btf, "i", i, 8, 0);
	/* 13: struct with a hole the natural layout would not leave */
	assert_int_equal(btf__add_struct(btf, "holes", 24), 13);
	btf__add_field(btf, "a", c, 0, 0);
	btf__add_field(btf, "b", i, 96, 0);
	return btf;
}

static const char node_expected[] =
	"enum mode {\n\tM_A = 0,\n\tM_B = -1,\n};\n\n"
	"struct node;\n\n"
	"typedef int (*cb_t)(int x, struct node *);\n\n"
	"struct node {\n"
	"\tstruct node *next;\n"
	"\tint flags: 3;\n"
	"\tenum mode kind: 2;\n"
	"\tchar tag;\n"
	"\tunion {\n\t\tint ui;\n\t\tlong ul;\n\t};\n"
	"\tcb_t cb;\n"
	"\tchar name[3];\n"
	"};\n\n"
	"struct pk {\n\tchar c;\n\tint i;\n} __attribute__((packed));\n\n"
	"struct holes {\n\tchar a;\n\tchar: 8;\n\tshort: 16;\n\tint: 32;\n\tint: 32;\n"
	"\tint b;\n\tlong: 64;\n};\n\n";

static void dump_all(const struct btf *btf, FILE *f)
{
	struct btf_dump *d = btf_dump__new(btf, to_file, f, NULL);
	__u32 id;

	assert_non_null(d);
	for (id = 1; id < btf__type_cnt(btf); id++)
		assert_int_equal(btf_dump__dump_type(d, id), 0);
	btf_dump__free(d);
}

static void test_dump_small(void **state)
{
	struct btf *btf = node_btf();
	struct btf_dump *d;
	struct out o;

	out_open(&o);
	dump_all(btf, o.f);
	assert_string_equal(out_str(&o), node_expected);
	out_close(&o);

	/* Dumping one type emits what it needs, once. */
	out_open(&o);
	d = btf_dump__new(btf, to_file, o.f, NULL);
	assert_int_equal(btf_dump__dump_type(d, 8), 0);
	assert_string_equal(out_str(&o), "struct node;\n\ntypedef int (*cb_t)(int x, struct node *);\n\n");
	assert_int_equal(btf_dump__dump_type(d, 8), 0);
	assert_int_equal(btf_dump__dump_type(d, 999), -EINVAL);
	btf_dump__free(d);
	out_close(&o);
	btf__free(btf);
}

static void decl_is(struct btf_dump *d, FILE *f, struct out *o, __u32 id,
		    const char *name, bool strip, const char *want)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = name, .strip_mods = strip);

	rewind(f);
	fflush(f);
	o->len = 0;
	assert_int_equal(btf_dump__emit_type_decl(d, id, &opts), 0);
	fputc('\0', f);
	fflush(f);
	assert_string_equal(o->buf, want);
}

static void test_emit_decl(void **state)
{
	struct btf *btf = btf__new_empty();
	struct btf_dump *d;
	struct out o;
	int i, c, cc, pcc, arr, parr, fp, pfp, apfp, v, cp, unproto, tagged;

	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	c = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	cc = btf__add_const(btf, c);
	pcc = btf__add_ptr(btf, cc);			/* const char * */
	arr = btf__add_array(btf, i, pcc, 4);		/* const char *[4] */
	parr = btf__add_ptr(btf, arr);			/* const char *(*)[4] */
	fp = btf__add_func_proto(btf, pcc);
	btf__add_func_param(btf, "a", i);
	btf__add_func_param(btf, NULL, 0);		/* ... */
	pfp = btf__add_ptr(btf, fp);
	apfp = btf__add_array(btf, i, pfp, 2);		/* array of fn pointers */
	v = btf__add_volatile(btf, pcc);		/* const char *volatile */
	cp = btf__add_const(btf, btf__add_ptr(btf, 0));	/* void *const */
	unproto = btf__add_func_proto(btf, i);
	btf__add_func_param(btf, NULL, 0);		/* int () */
	unproto = btf__add_ptr(btf, unproto);
	tagged = btf__add_ptr(btf, btf__add_type_tag(btf, "user", i));

	out_open(&o);
	d = btf_dump__new(btf, to_file, o.f, NULL);
	assert_non_null(d);
	decl_is(d, o.f, &o, pcc, "s", false, "const char *s");
	decl_is(d, o.f, &o, pcc, "s", true, "char *s");
	decl_is(d, o.f, &o, arr, "v", false, "const char *v[4]");
	decl_is(d, o.f, &o, parr, "p", false, "const char *(*p)[4]");
	decl_is(d, o.f, &o, pfp, "fn", false, "const char *(*fn)(int a, ...)");
	decl_is(d, o.f, &o, apfp, "tbl", false, "const char *(*tbl[2])(int a, ...)");
	decl_is(d, o.f, &o, v, "x", false, "const char *volatile x");
	decl_is(d, o.f, &o, cp, "", false, "void *const");
	decl_is(d, o.f, &o, i, NULL, false, "int");
	decl_is(d, o.f, &o, unproto, "clock", false, "int (*clock)()");
	decl_is(d, o.f, &o, tagged, "u", false, "int __attribute__((btf_type_tag(\"user\"))) *u");
	decl_is(d, o.f, &o, tagged, "u", true, "int *u");
	btf_dump__free(d);
	out_close(&o);
	btf__free(btf);
}

static void data_is_opts(const struct btf *btf, __u32 id, const void *data, size_t sz,
			 const struct btf_dump_type_data_opts *opts, const char *want)
{
	struct btf_dump *d;
	struct out o;

	out_open(&o);
	d = btf_dump__new(btf, to_file, o.f, NULL);
	assert_int_equal(btf_dump__dump_type_data(d, id, data, sz, opts),
			 (int)btf__resolve_size(btf, id));
	assert_string_equal(out_str(&o), want);
	btf_dump__free(d);
	out_close(&o);
}

static void data_is(const struct btf *btf, __u32 id, const void *data, size_t sz,
		    bool compact, bool zeroes, const char *want)
{
	LIBBPF_OPTS(btf_dump_type_data_opts, opts, .compact = compact, .emit_zeroes = zeroes,
		    .emit_strings = true);

	data_is_opts(btf, id, data, sz, &opts, want);
}

#define CHAR_ARRAY_WANT \
	"(struct node){.flags = (int)-3,.kind = (enum mode)M_B,.tag = (char)'q'," \
	"(union){.ui = (int)7,.ul = (long)7,},.name = [(char)'a',(char)'b',(char)0,],}"

static void test_dump_data(void **state)
{
	struct btf *btf = node_btf();
	struct btf_dump *d;
	unsigned char node[40] = {};
	int v = -42;

	data_is(btf, 1, &v, sizeof(v), true, false, "(int)-42");
	/* flags = -3 (3 bits: 101), kind = M_B (2 bits 11) */
	node[8] = 0x05 | (0x3 << 3);
	node[9] = 'q';
	node[16] = 7;
	memcpy(node + 32, "ab", 3);
	data_is(btf, 9, node, sizeof(node), true, false,
		"(struct node){.flags = (int)-3,.kind = (enum mode)M_B,.tag = (char)'q',"
		"(union){.ui = (int)7,.ul = (long)7,},.name = \"ab\",}");
	{
		/* without emit_strings, and for opts that end before the field,
		 * a char array prints as an array of chars */
		LIBBPF_OPTS(btf_dump_type_data_opts, plain, .compact = true);
		struct btf_dump_type_data_opts old_sz = { .compact = true };

		old_sz.sz = offsetof(struct btf_dump_type_data_opts, emit_strings);
		data_is_opts(btf, 9, node, sizeof(node), &plain, CHAR_ARRAY_WANT);
		data_is_opts(btf, 9, node, sizeof(node), &old_sz, CHAR_ARRAY_WANT);
	}
	data_is(btf, 12, "\x01\x02\0\0\0", 5, false, true,
		"(struct pk){\n\t.c = (char)1,\n\t.i = (int)2,\n}");
	d = btf_dump__new(btf, to_file, stderr, NULL);
	assert_int_equal(btf_dump__dump_type_data(d, 9, node, 8, NULL), -E2BIG);
	btf_dump__free(d);
	btf__free(btf);
}

/* Writes a .c file that includes @header and checks with _Static_assert
 * that clang lays out every uniquely named struct/union of @btf exactly as
 * BTF says; compiles it with clang -target bpf. */
static void check_layout(const struct btf *btf, const char *header)
{
	char path[] = "/tmp/evbpf-layout-XXXXXX.c", cmd[1024];
	__u32 id, i, n = btf__type_cnt(btf), checked = 0;
	FILE *f;
	int fd;

	fd = mkstemps(path, 2);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "#include \"%s\"\n", header);
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off), *kw;
		int k;

		if (!btf_is_composite(t) || !*name)
			continue;
		/* names that clash get a suffix in the header: skip those */
		for (k = BTF_KIND_STRUCT; k <= BTF_KIND_ENUM; k++) {
			__s32 o = btf__find_by_name_kind(btf, name, k);

			if (o > 0 && (__u32)o != id)
				break;
		}
		if (k <= BTF_KIND_ENUM || btf__find_by_name_kind(btf, name, BTF_KIND_ENUM64) > 0)
			continue;
		kw = btf_is_struct(t) ? "struct" : "union";
		fprintf(f, "_Static_assert(sizeof(%s %s) == %u, \"%s\");\n", kw, name, t->size, name);
		for (i = 0; i < btf_vlen(t); i++) {
			const char *mn = btf__name_by_offset(btf, btf_members(t)[i].name_off);

			if (!*mn || btf_member_bitfield_size(t, i))
				continue;
			fprintf(f, "_Static_assert(__builtin_offsetof(%s %s, %s) == %u, \"%s.%s\");\n",
				kw, name, mn, btf_member_bit_offset(t, i) / 8, name, mn);
		}
		checked++;
	}
	fclose(f);
	assert_true(checked > 0);
	snprintf(cmd, sizeof(cmd),
		 "clang -target bpf -fsyntax-only -Werror -Wno-unused-value %s", path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
}

static void test_vmlinux_h(void **state)
{
	const char *root = getenv("EVBPF_BUILD_ROOT");
	const struct btf *vml;
	char header[512];

	vml = evbpf__vmlinux_btf(NULL);
	if (!vml)
		EVBPF_SKIP("no kernel BTF");
	assert_non_null(root);
	snprintf(header, sizeof(header), "%s/tools/vmlinux.h", root);
	assert_int_equal(access(header, R_OK), 0);
	check_layout(vml, header);
}

static void test_dump_vmlinux_api(void **state)
{
	const struct btf *vml = evbpf__vmlinux_btf(NULL);
	struct btf_dump *d;
	__s32 id;
	struct out o;

	if (!vml)
		EVBPF_SKIP("no kernel BTF");
	id = btf__find_by_name_kind(vml, "task_struct", BTF_KIND_STRUCT);
	assert_true(id > 0);
	out_open(&o);
	d = btf_dump__new(vml, to_file, o.f, NULL);
	assert_int_equal(btf_dump__dump_type(d, id), 0);
	assert_non_null(strstr(out_str(&o), "struct task_struct {\n"));
	assert_non_null(strstr(out_str(&o), "\tpid_t tgid;\n"));
	btf_dump__free(d);
	out_close(&o);
}

/* The tracing program compiled against the build-time vmlinux.h: its BTF
 * and CO-RE records parse and validate. */
static void test_vmlinux_prog(void **state)
{
	const struct evbpf__btf_ext_info *info;
	struct btf_ext *ext = NULL;
	struct btf *btf;

	if (!evbpf__vmlinux_btf(NULL))
		EVBPF_SKIP("no kernel BTF");
	btf = btf__parse_elf(evbpf_test_prog_path("btf_vmlinux_trace"), &ext);
	assert_non_null(btf);
	assert_non_null(ext);
	assert_true(btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT) > 0);
	info = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_CORE_RELO);
	assert_true(info->sec_cnt >= 1);
	assert_non_null(evbpf__btf_ext_find_sec(ext, btf, EVBPF_BTF_EXT_CORE_RELO,
						"tracepoint/syscalls/sys_enter_getppid"));
	assert_int_equal(evbpf__btf_ext_validate(ext, btf, "btf_vmlinux_trace"), 0);
	btf_ext__free(ext);
	btf__free(btf);
}

/* The compiled fixture object dumped by evbpf compiles and keeps layouts. */
static void test_kinds_header(void **state)
{
	char path[] = "/tmp/evbpf-kinds-XXXXXX.h";
	struct btf *btf = btf__parse_elf(evbpf_test_prog_path("btf_kinds"), NULL);
	FILE *f;
	int fd;

	assert_non_null(btf);
	fd = mkstemps(path, 2);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	dump_all(btf, f);
	fclose(f);
	check_layout(btf, path);
	unlink(path);
	btf__free(btf);
}

static void test_hand_built_layout(void **state)
{
	char path[] = "/tmp/evbpf-node-XXXXXX.h";
	struct btf *btf = node_btf();
	FILE *f;
	int fd;

	fd = mkstemps(path, 2);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	dump_all(btf, f);
	fclose(f);
	check_layout(btf, path);
	unlink(path);
	btf__free(btf);
}

static void test_bad_args(void **state)
{
	struct btf *btf = node_btf();
	struct {
		size_t sz;
		long junk[4];
	} big = { sizeof(big), { 0, 1, 0, 0 } };

	assert_null(btf_dump__new(NULL, to_file, NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(btf_dump__new(btf, NULL, NULL, NULL));
	assert_null(btf_dump__new(btf, to_file, NULL, (const struct btf_dump_opts *)&big));
	btf_dump__free(NULL);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_small),
		cmocka_unit_test(test_emit_decl),
		cmocka_unit_test(test_dump_data),
		cmocka_unit_test(test_hand_built_layout),
		cmocka_unit_test(test_kinds_header),
		cmocka_unit_test(test_dump_vmlinux_api),
		cmocka_unit_test(test_vmlinux_h),
		cmocka_unit_test(test_vmlinux_prog),
		cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
