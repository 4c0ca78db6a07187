// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE fixture for tests/test_core.c: every relocation kind clang 14 can
 * emit, in one section per scenario so that a refused section (ambiguity)
 * does not hide the others. Uses the compiler builtins directly.
 */
#define SEC(n) __attribute__((section(n), used))
#define __pai __attribute__((preserve_access_index))

enum { FBO, FBS, FEX, FSG, FLS, FRS };	/* field info kinds */
enum { TEX, TSZ };			/* type info kinds */
enum { EEX, EVAL };			/* enum value kinds */

struct foo {
	int a;
	char b;
	unsigned int c : 3;
	int d : 5;
	int arr[4];
	union {
		int u1;
		long u2;
	};
	struct {
		short n1;
		short n2;
	} nested;
	long long e;
	unsigned char flex[];
} __pai;

typedef struct foo foo_t;

struct missing {
	int x;
} __pai;

struct bar___old {
	int x;
	int y;
} __pai;

struct amb {
	int z;
	int w;
} __pai;

enum e { E_A = 1, E_B = 2, E_C = 3 };

SEC("core/fields") int fields(struct foo *s)
{
	int r = 0;

	r += s->a;
	r += s->b;
	r += s->arr[2];
	r += s->u1;
	r += s->nested.n2;
	r += s->e;
	r += __builtin_preserve_field_info(s->c, FBO);
	r += __builtin_preserve_field_info(s->c, FBS);
	r += __builtin_preserve_field_info(s->c, FLS);
	r += __builtin_preserve_field_info(s->c, FRS);
	r += __builtin_preserve_field_info(s->d, FSG);
	r += __builtin_preserve_field_info(s->c, FSG);
	r += __builtin_preserve_field_info(s->e, FEX);
	r += __builtin_preserve_field_info(s->arr[3], FBS);
	r += __builtin_preserve_field_info(s->flex[5], FBO);
	return r;
}

SEC("core/types") int types(void *ctx)
{
	long r = 0;

	r += __builtin_preserve_type_info(*(struct foo *)0, TEX);
	r += __builtin_preserve_type_info(*(struct foo *)0, TSZ);
	r += __builtin_preserve_type_info(*(struct missing *)0, TEX);
	r += __builtin_preserve_type_info(*(struct missing *)0, TSZ);
	r += __builtin_preserve_type_info(*(foo_t *)0, TSZ);
	r += __builtin_btf_type_id(*(struct foo *)0, 0);
	r += __builtin_btf_type_id(*(struct foo *)0, 1);
	return r;
}

SEC("core/enums") int enums(void *ctx)
{
	long r = 0;

	r += __builtin_preserve_enum_value(*(enum e *)E_B, EEX);
	r += __builtin_preserve_enum_value(*(enum e *)E_B, EVAL);
	r += __builtin_preserve_enum_value(*(enum e *)E_C, EEX);
	r += __builtin_preserve_enum_value(*(enum e *)E_C, EVAL);
	return r;
}

SEC("core/flavor") int flavor(struct bar___old *b)
{
	return b->x + b->y;
}

SEC("core/missing") int missing(struct missing *m, struct foo *s)
{
	int r = 0;

	if (__builtin_preserve_field_info(m->x, FEX))
		r += m->x;
	r += s->a;
	return r;
}

SEC("core/amb") int amb(struct amb *a)
{
	return a->z;
}

SEC("core/amb2") int amb2(struct amb *a)
{
	return a->w + a->z;
}

char _license[] SEC("license") = "GPL";
