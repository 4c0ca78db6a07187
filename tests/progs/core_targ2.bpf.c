// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Second target for tests/test_core_libbpf.c: fields missing or of other
 * kinds (poisoning), an anonymous struct around members, two compatible
 * flavors of bar at the same offsets (not ambiguous), a bigger enum.
 */
struct foo {
	struct {
		int a;
		short b;
	};
	unsigned long long c;
	int arr[2];
	int u1;
	struct {
		short n2;
	} nested;
	unsigned char flex[4];
};
typedef struct foo foo_t;
struct bar___v1 { int x; int y; };
struct bar___v2 { int x; int y; long z; };
struct amb { long w; int z; };
struct missing { char x; };
enum e___new { E_C = 7, E_B = 3, E_A = 1 };

struct foo g_foo;
foo_t g_foo_t;
struct bar___v1 g_bar1;
struct bar___v2 g_bar2;
struct amb g_amb;
struct missing g_missing;
enum e___new g_e;
