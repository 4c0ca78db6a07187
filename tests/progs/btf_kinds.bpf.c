// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF fixture for tests/test_btf*.c: one of every kind clang emits (int,
 * ptr, array, struct, union, enum, fwd, typedef, volatile, const, restrict,
 * func, func_proto, var, datasec, float, decl_tag, type_tag), bitfields,
 * anonymous members, and a subprogram so that .BTF.ext has func_info and
 * line_info for two functions.
 */
#define SEC(n) __attribute__((section(n), used))
#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __ttag(x) __attribute__((btf_type_tag(x)))

struct opaque;			/* FWD */
union opaque_u;

typedef unsigned int u32_t;

enum colour { RED = 1, GREEN = 2, BLUE = -3 };

struct bits {
	unsigned int a : 3;
	int b : 5;
	unsigned char c;
	unsigned long long d : 40;
} __tag("bits_tag");

struct kinds {
	int i;
	const volatile long cv;
	char *restrict rp;
	int __ttag("user") *tagged;
	struct opaque *op;
	union opaque_u *ou;
	u32_t arr[4][2];
	enum colour col;
	struct bits bits;
	union {
		int u_i;
		float u_f;
	};
	struct {
		short x, y;
	} point;
	double dbl;
	int (*fn)(int, const char *);
	struct kinds *next;
} __attribute__((aligned(8)));

struct packed {
	char c;
	int i;
} __attribute__((packed));

struct kinds g_kinds SEC(".data.kinds");
struct packed g_packed;
int g_counter = 1;
const volatile int g_ro = 7;

static __attribute__((noinline)) int helper(struct kinds *k __tag("arg_tag"), int n)
{
	return k->i + n + (int)k->bits.b;
}

SEC("socket")
int btf_kinds_prog(void *ctx)
{
	g_counter += helper(&g_kinds, g_ro) + g_packed.i;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
