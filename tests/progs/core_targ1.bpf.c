// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Target types (no code) for tests/test_core_libbpf.c: used as
 * btf_custom_path when relocating core_reloc.bpf.o, by evbpf and by the
 * system libbpf. Fields moved, an array grown, an enum renumbered, a
 * flavor (amb___v2) that later relocations must prune.
 */
struct foo {
	long pad;
	int a;
	char b;
	unsigned int c : 3;
	int d : 5;
	int arr[8];
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
};
typedef struct foo foo_t;
struct bar { int w; int y; int x; };
struct barx { int q; };
struct amb { int z; int w; };
struct amb___v2 { int w; long pad; };
enum e { E_A = 10, E_B = -20 };

struct foo g_foo;
foo_t g_foo_t;
struct bar g_bar;
struct barx g_barx;
struct amb g_amb;
struct amb___v2 g_amb2;
enum e g_e;
