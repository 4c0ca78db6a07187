/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF-side basics for programs built with clang -target bpf: section and map
 * definition macros, attributes the loader understands, printk, iterators,
 * and the helper declarations (bpf_helper_defs.h, generated at build time).
 *
 * Include <linux/types.h> or "vmlinux.h" first: the helper declarations use
 * __u32 and friends.
 */
#ifndef __BPF_HELPERS__
#define __BPF_HELPERS__

/* Compile-time check that evbpf's BPF-side headers are the ones in use. */
#define EVBPF_BPF_HEADERS 1

#include "bpf_helper_defs.h"

/* ---- internal preprocessor toolbox (shared with the other BPF headers) ---- */

#define __evbpf_cat(a, b)	__evbpf_cat_(a, b)
#define __evbpf_cat_(a, b)	a##b
/* Number of arguments, 0 to 24. */
#define __evbpf_nargs(...)						\
	__evbpf_pick25(_, ##__VA_ARGS__, 24, 23, 22, 21, 20, 19, 18, 17,	\
		       16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3,	\
		       2, 1, 0)
#define __evbpf_pick25(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11,	\
		       _12, _13, _14, _15, _16, _17, _18, _19, _20, _21,	\
		       _22, _23, _24, n, ...) n
/* Expands to fn<number of the remaining args>(args). */
#define __evbpf_dispatch(fn, ...)					\
	__evbpf_cat(fn, __evbpf_nargs(__VA_ARGS__))(__VA_ARGS__)

/* Names other headers written for libbpf expect to find here. */
#ifndef ___bpf_concat
#define ___bpf_concat(a, b) a##b
#endif
#ifndef ___bpf_apply
#define ___bpf_apply(fn, n) ___bpf_concat(fn, n)
#endif
#ifndef ___bpf_nth
#define ___bpf_nth(_, _1, _2, _3, _4, _5, _6, _7, _8, _9, _a, _b, _c, N, ...) N
#endif
#ifndef ___bpf_narg
#define ___bpf_narg(...) __evbpf_nargs(__VA_ARGS__)
#endif

/* ---- map definitions (BTF-defined maps in SEC(".maps")) ---- */

/* An integer attribute: encoded as the array size of a pointer member. */
#define __uint(name, val)	int (*name)[val]
/* A type attribute (key, value): encoded as a pointer to that type. */
#define __type(name, val)	typeof(val) *name
/* Inner maps / programs of a map-in-map or prog array. */
#define __array(name, val)	typeof(val) *name[]
/* A 64-bit integer attribute (map_extra): encoded as an enum's value. */
#define __ulong(name, val)						\
	enum { __evbpf_cat(__evbpf_ulong_, __COUNTER__) = (val) } name

/*
 * Places a program, map or variable in ELF section @name, which tells the
 * loader what it is. The pragmas keep clang quiet when SEC() is used on an
 * extern declaration, where `used` is meaningless.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define SEC(name) __attribute__((section(name), used))
#else
#define SEC(name)							\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wignored-attributes\"")	\
	__attribute__((section(name), used))				\
	_Pragma("GCC diagnostic pop")
#endif

/* ---- attributes ---- */

/* <linux/stddef.h> has a weaker definition; BPF code wants real inlining. */
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
/* A global subprogram the verifier checks with its caller's context, as if it
 * were static. */
#define __hidden __attribute__((visibility("hidden")))

/* Extern resolved from the running kernel's config (CONFIG_*) or a value the
 * loader provides (LINUX_KERNEL_VERSION, LINUX_HAS_SYSCALL_WRAPPER...). */
#define __kconfig __attribute__((section(".kconfig")))
/* Extern resolved to a kernel symbol (variable address or kfunc). */
#define __ksym __attribute__((section(".ksyms")))

/* Kernel pointers stored in map values (BTF type tags the verifier reads). */
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __kptr_ref __attribute__((btf_type_tag("kptr_ref")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#define __uptr __attribute__((btf_type_tag("uptr")))

/* What a bpf_list_head / bpf_rb_root holds: struct @name linked by @node. */
#define __contains(name, node)						\
	__attribute__((btf_decl_tag("contains:" #name ":" #node)))

/* Argument annotations for global subprograms. */
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#define __arg_untrusted __attribute__((btf_decl_tag("arg:untrusted")))
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))

/* ---- small conveniences vmlinux.h users have no system header for ---- */

#ifndef NULL
#define NULL ((void *)0)
#endif

#ifndef KERNEL_VERSION
#define KERNEL_VERSION(a, b, c)						\
	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#endif

/* Written as address arithmetic rather than __builtin_offsetof so that on
 * CO-RE (preserve_access_index) types the offset is relocated too. */
#ifndef offsetof
#define offsetof(type, member) ((unsigned long)&((type *)0)->member)
#endif

#ifndef container_of
#define container_of(ptr, type, member)					\
	({								\
		void *__evbpf_mptr = (void *)(ptr);			\
		((type *)(__evbpf_mptr - offsetof(type, member)));	\
	})
#endif

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Compiler barrier: memory is assumed changed across it. */
#ifndef barrier
#define barrier() asm volatile("" ::: "memory")
#endif

/* Makes @var opaque to the optimiser at this point, so the compiler cannot
 * carry assumptions about its value (e.g. skip a zero extension) past it. */
#ifndef barrier_var
#define barrier_var(var) asm volatile("" : "+r"(var))
#endif

/* Fails the build if the code path survives optimisation: the BPF back end
 * has no trap instruction to lower it to. */
#ifndef __bpf_unreachable
#define __bpf_unreachable() __builtin_trap()
#endif

/*
 * Tail call through @map at constant index @slot. The call sequence is
 * written in assembly so the compiler cannot merge paths with different
 * slots into one call instruction, which keeps the kernel's direct-jump
 * optimisation of constant-slot tail calls possible.
 */
#if defined(__bpf__) && __clang_major__ >= 8
static __always_inline void
bpf_tail_call_static(void *ctx, const void *map, const __u32 slot)
{
	if (!__builtin_constant_p(slot))
		__bpf_unreachable();
	asm volatile("r1 = %[ctx]\n\t"
		     "r2 = %[map]\n\t"
		     "r3 = %[slot]\n\t"
		     "call 12"
		     :: [ctx]"r"(ctx), [map]"r"(map), [slot]"i"(slot)
		     : "r0", "r1", "r2", "r3", "r4", "r5");
}
#endif

/* Values of a map's `pinning` attribute. */
enum libbpf_pin_type {
	LIBBPF_PIN_NONE,
	LIBBPF_PIN_BY_NAME,	/* pinned as <pin root>/<map name> */
};

/* Values of tristate CONFIG_* externs. */
enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

/*
 * True when the __weak __ksym @sym was found in the running kernel. Used on
 * a non-weak extern it could never be false, hence the static assertion.
 */
#define bpf_ksym_exists(sym) ({						\
	_Static_assert(!__builtin_constant_p(!!(sym)),			\
		       #sym " should be marked as __weak");		\
	!!(sym);							\
})

/* ---- formatted output ---- */

/* Stores each argument into consecutive slots of the u64 array @arr. */
#define __evbpf_store0(arr, i)
#define __evbpf_store1(arr, i, a) arr[i] = (a);
#define __evbpf_store2(arr, i, a, ...) arr[i] = (a); __evbpf_store1(arr, i + 1, __VA_ARGS__)
#define __evbpf_store3(arr, i, a, ...) arr[i] = (a); __evbpf_store2(arr, i + 1, __VA_ARGS__)
#define __evbpf_store4(arr, i, a, ...) arr[i] = (a); __evbpf_store3(arr, i + 1, __VA_ARGS__)
#define __evbpf_store5(arr, i, a, ...) arr[i] = (a); __evbpf_store4(arr, i + 1, __VA_ARGS__)
#define __evbpf_store6(arr, i, a, ...) arr[i] = (a); __evbpf_store5(arr, i + 1, __VA_ARGS__)
#define __evbpf_store7(arr, i, a, ...) arr[i] = (a); __evbpf_store6(arr, i + 1, __VA_ARGS__)
#define __evbpf_store8(arr, i, a, ...) arr[i] = (a); __evbpf_store7(arr, i + 1, __VA_ARGS__)
#define __evbpf_store9(arr, i, a, ...) arr[i] = (a); __evbpf_store8(arr, i + 1, __VA_ARGS__)
#define __evbpf_store10(arr, i, a, ...) arr[i] = (a); __evbpf_store9(arr, i + 1, __VA_ARGS__)
#define __evbpf_store11(arr, i, a, ...) arr[i] = (a); __evbpf_store10(arr, i + 1, __VA_ARGS__)
#define __evbpf_store12(arr, i, a, ...) arr[i] = (a); __evbpf_store11(arr, i + 1, __VA_ARGS__)
#define __evbpf_store(arr, ...)						\
	__evbpf_cat(__evbpf_store, __evbpf_nargs(__VA_ARGS__))(arr, 0, ##__VA_ARGS__)

/* Names libbpf code sometimes uses directly. */
#ifndef ___bpf_fill
#define ___bpf_fill(arr, args...) __evbpf_store(arr, ##args)
#endif

/* Declares ___fmt (the format) and ___param (the arguments as u64s). The
 * pragma lets pointers be passed as integers, as printf users expect. */
#define __evbpf_fmt_args(fmt, ...)					\
	static const char ___fmt[] = fmt;				\
	unsigned long long ___param[__evbpf_nargs(__VA_ARGS__)];	\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")		\
	__evbpf_store(___param, ##__VA_ARGS__)				\
	_Pragma("GCC diagnostic pop")

/* bpf_seq_printf() with ordinary variadic arguments (iterator programs). */
#define BPF_SEQ_PRINTF(seq, fmt, args...) ({				\
	__evbpf_fmt_args(fmt, ##args)					\
	bpf_seq_printf(seq, ___fmt, sizeof(___fmt),			\
		       ___param, sizeof(___param));			\
})

/* bpf_snprintf() with ordinary variadic arguments. */
#define BPF_SNPRINTF(out, out_size, fmt, args...) ({			\
	__evbpf_fmt_args(fmt, ##args)					\
	bpf_snprintf(out, out_size, ___fmt, ___param, sizeof(___param)); \
})

/* Without global data support the format string lives on the stack. */
#ifdef BPF_NO_GLOBAL_DATA
#define BPF_PRINTK_FMT_MOD
#else
#define BPF_PRINTK_FMT_MOD static const
#endif

/* Up to three arguments: bpf_trace_printk() takes them directly. */
#define __bpf_printk(fmt, ...) ({					\
	BPF_PRINTK_FMT_MOD char ____fmt[] = fmt;			\
	bpf_trace_printk(____fmt, sizeof(____fmt), ##__VA_ARGS__);	\
})

/* More arguments: bpf_trace_vprintk() takes them as an array. */
#define __bpf_vprintk(fmt, args...) ({					\
	__evbpf_fmt_args(fmt, ##args)					\
	bpf_trace_vprintk(___fmt, sizeof(___fmt),			\
			  ___param, sizeof(___param));			\
})

#define __evbpf_printk_pick(...)					\
	__evbpf_pick25(_, ##__VA_ARGS__,				\
		       __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,	\
		       __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,	\
		       __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,	\
		       __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,	\
		       __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,	\
		       __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,	\
		       __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,	\
		       __bpf_printk, __bpf_printk, __bpf_printk,	\
		       __bpf_printk)

#define ___bpf_pick_printk(...) __evbpf_printk_pick(__VA_ARGS__)

/* Prints to the kernel trace pipe (/sys/kernel/tracing/trace_pipe). */
#define bpf_printk(fmt, args...) __evbpf_printk_pick(args)(fmt, ##args)

/* ---- open-coded iterators (kfuncs, kernel 6.4+) ---- */

struct bpf_iter_num;
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

/*
 * for-each over the open-coded iterator "bpf_iter_<type>": @cur receives each
 * element returned by bpf_iter_<type>_next(); extra arguments go to
 * bpf_iter_<type>_new(). The iterator is destroyed when the loop is left by
 * any path (cleanup attribute). struct bpf_iter_<type> must be complete
 * (vmlinux.h or a recent <linux/bpf.h>).
 *
 * The destroy function is also named once in an expression so that clang
 * emits BTF for it, which it does not do for cleanup() alone.
 */
#ifndef bpf_for_each
#define bpf_for_each(type, cur, args...) for (				\
	struct bpf_iter_##type ___it					\
		__attribute__((aligned(8), cleanup(bpf_iter_##type##_destroy))), \
	*___p __attribute__((unused)) = (				\
		bpf_iter_##type##_new(&___it, ##args),			\
		(void)bpf_iter_##type##_destroy, (void *)0);		\
	((cur) = bpf_iter_##type##_next(&___it));			\
)
#endif

/* for (i = start; i < end; i++) the verifier can check without unrolling. */
#ifndef bpf_for
#define bpf_for(i, start, end) for (					\
	struct bpf_iter_num ___it					\
		__attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
	*___p __attribute__((unused)) = (				\
		bpf_iter_num_new(&___it, (start), (end)),		\
		(void)bpf_iter_num_destroy, (void *)0);			\
	({								\
		int *___n = bpf_iter_num_next(&___it);			\
		/* the range check tells the verifier i's bounds */	\
		___n && ((i) = *___n, (i) >= (start) && (i) < (end));	\
	});								\
)
#endif

/* Repeats the loop body @N times. */
#ifndef bpf_repeat
#define bpf_repeat(N) for (						\
	struct bpf_iter_num ___it					\
		__attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
	*___p __attribute__((unused)) = (				\
		bpf_iter_num_new(&___it, 0, (N)),			\
		(void)bpf_iter_num_destroy, (void *)0);			\
	bpf_iter_num_next(&___it);					\
)
#endif

#endif /* __BPF_HELPERS__ */
