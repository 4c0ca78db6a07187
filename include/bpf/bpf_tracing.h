/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF-side tracing helpers: register access on struct pt_regs per target
 * architecture (PT_REGS_*), and program definition macros that unpack the
 * context into typed arguments (BPF_PROG, BPF_PROG2, BPF_KPROBE,
 * BPF_KRETPROBE, BPF_UPROBE, BPF_URETPROBE, BPF_KSYSCALL).
 *
 * The architecture comes from -D__TARGET_ARCH_<arch> (x86, arm64, s390,
 * riscv), else from the compiler's own target macros. Register names follow
 * the kernel's struct pt_regs when vmlinux.h is in use (or __KERNEL__), and
 * the UAPI <asm/ptrace.h> names otherwise.
 */
#ifndef __BPF_TRACING_H__
#define __BPF_TRACING_H__

#include "bpf_helpers.h"
#include "bpf_core_read.h"

#if defined(__TARGET_ARCH_x86) || \
    (!defined(__TARGET_ARCH_arm64) && !defined(__TARGET_ARCH_s390) && \
     !defined(__TARGET_ARCH_riscv) && defined(__x86_64__))
#define bpf_target_x86
#define bpf_target_defined
#elif defined(__TARGET_ARCH_arm64) || (!defined(__TARGET_ARCH_s390) && \
      !defined(__TARGET_ARCH_riscv) && defined(__aarch64__))
#define bpf_target_arm64
#define bpf_target_defined
#elif defined(__TARGET_ARCH_s390) || (!defined(__TARGET_ARCH_riscv) && defined(__s390__))
#define bpf_target_s390
#define bpf_target_defined
#elif defined(__TARGET_ARCH_riscv) || (defined(__riscv) && __riscv_xlen == 64)
#define bpf_target_riscv
#define bpf_target_defined
#endif

/* ---- where each value lives, per architecture ---- */

#if defined(bpf_target_x86)

#if defined(__KERNEL__) || defined(__VMLINUX_H__)
#define __PT_PARM1_REG di
#define __PT_PARM2_REG si
#define __PT_PARM3_REG dx
#define __PT_PARM4_REG cx
#define __PT_PARM5_REG r8
#define __PT_PARM6_REG r9
#define __PT_RET_REG sp		/* the return address is at the stack top */
#define __PT_FP_REG bp
#define __PT_RC_REG ax
#define __PT_SP_REG sp
#define __PT_IP_REG ip
#else
#define __PT_PARM1_REG rdi
#define __PT_PARM2_REG rsi
#define __PT_PARM3_REG rdx
#define __PT_PARM4_REG rcx
#define __PT_PARM5_REG r8
#define __PT_PARM6_REG r9
#define __PT_RET_REG rsp
#define __PT_FP_REG rbp
#define __PT_RC_REG rax
#define __PT_SP_REG rsp
#define __PT_IP_REG rip
#endif
/* The syscall ABI passes the 4th argument in r10 instead of rcx. */
#define __PT_PARM4_SYSCALL_REG r10

#elif defined(bpf_target_arm64)

/* The kernel's pt_regs starts with the UAPI user_pt_regs. */
#define __PT_REGS_CAST(x) ((const struct user_pt_regs *)(x))
#define __PT_PARM1_REG regs[0]
#define __PT_PARM2_REG regs[1]
#define __PT_PARM3_REG regs[2]
#define __PT_PARM4_REG regs[3]
#define __PT_PARM5_REG regs[4]
#define __PT_PARM6_REG regs[5]
#define __PT_PARM7_REG regs[6]
#define __PT_PARM8_REG regs[7]
#define __PT_RET_REG regs[30]	/* link register */
#define __PT_FP_REG regs[29]	/* needs CONFIG_FRAME_POINTER */
#define __PT_RC_REG regs[0]
#define __PT_SP_REG sp
#define __PT_IP_REG pc
/* x0 is overwritten by the return value; the kernel keeps the first syscall
 * argument in orig_x0, which only the kernel's own pt_regs has. */
struct pt_regs___evbpf_arm64 {
	unsigned long orig_x0;
};
#define __PT_PARM1_SYSCALL_CORE(x)					\
	BPF_CORE_READ((const struct pt_regs___evbpf_arm64 *)(x), orig_x0)

#elif defined(bpf_target_s390)

#define __PT_REGS_CAST(x) ((const user_pt_regs *)(x))
#define __PT_PARM1_REG gprs[2]
#define __PT_PARM2_REG gprs[3]
#define __PT_PARM3_REG gprs[4]
#define __PT_PARM4_REG gprs[5]
#define __PT_PARM5_REG gprs[6]
#define __PT_RET_REG gprs[14]
#define __PT_FP_REG gprs[11]	/* needs CONFIG_FRAME_POINTER */
#define __PT_RC_REG gprs[2]
#define __PT_SP_REG gprs[15]
#define __PT_IP_REG psw.addr
struct pt_regs___evbpf_s390 {
	unsigned long orig_gpr2;
};
#define __PT_PARM1_SYSCALL_CORE(x)					\
	BPF_CORE_READ((const struct pt_regs___evbpf_s390 *)(x), orig_gpr2)

#elif defined(bpf_target_riscv)

#define __PT_REGS_CAST(x) ((const struct user_regs_struct *)(x))
#define __PT_PARM1_REG a0
#define __PT_PARM2_REG a1
#define __PT_PARM3_REG a2
#define __PT_PARM4_REG a3
#define __PT_PARM5_REG a4
#define __PT_PARM6_REG a5
#define __PT_PARM7_REG a6
#define __PT_PARM8_REG a7
#define __PT_RET_REG ra
#define __PT_FP_REG s0
#define __PT_RC_REG a0
#define __PT_SP_REG sp
#define __PT_IP_REG pc
struct pt_regs___evbpf_riscv {
	unsigned long orig_a0;
};
#define __PT_PARM1_SYSCALL_CORE(x)					\
	BPF_CORE_READ((const struct pt_regs___evbpf_riscv *)(x), orig_a0)

#endif

struct pt_regs;

/* ---- PT_REGS_* accessors ---- */

/* Expands to a compile error naming what is missing, only when used. */
#define __evbpf_no_reg(what) ({						\
	_Static_assert(0, what " is not available for this target "	\
		       "(set -D__TARGET_ARCH_<arch>)");			\
	0l;								\
})

#ifndef __PT_REGS_CAST
#define __PT_REGS_CAST(x) (x)
#endif

#define __evbpf_reg(x, reg) (__PT_REGS_CAST(x)->reg)
#define __evbpf_reg_core(x, reg) BPF_CORE_READ(__PT_REGS_CAST(x), reg)

#ifdef bpf_target_defined
#define PT_REGS_PARM1(x) __evbpf_reg(x, __PT_PARM1_REG)
#define PT_REGS_PARM2(x) __evbpf_reg(x, __PT_PARM2_REG)
#define PT_REGS_PARM3(x) __evbpf_reg(x, __PT_PARM3_REG)
#define PT_REGS_PARM4(x) __evbpf_reg(x, __PT_PARM4_REG)
#define PT_REGS_PARM5(x) __evbpf_reg(x, __PT_PARM5_REG)
#define PT_REGS_RET(x) __evbpf_reg(x, __PT_RET_REG)
#define PT_REGS_FP(x) __evbpf_reg(x, __PT_FP_REG)
#define PT_REGS_RC(x) __evbpf_reg(x, __PT_RC_REG)
#define PT_REGS_SP(x) __evbpf_reg(x, __PT_SP_REG)
#define PT_REGS_IP(x) __evbpf_reg(x, __PT_IP_REG)
#define PT_REGS_PARM1_CORE(x) __evbpf_reg_core(x, __PT_PARM1_REG)
#define PT_REGS_PARM2_CORE(x) __evbpf_reg_core(x, __PT_PARM2_REG)
#define PT_REGS_PARM3_CORE(x) __evbpf_reg_core(x, __PT_PARM3_REG)
#define PT_REGS_PARM4_CORE(x) __evbpf_reg_core(x, __PT_PARM4_REG)
#define PT_REGS_PARM5_CORE(x) __evbpf_reg_core(x, __PT_PARM5_REG)
#define PT_REGS_RET_CORE(x) __evbpf_reg_core(x, __PT_RET_REG)
#define PT_REGS_FP_CORE(x) __evbpf_reg_core(x, __PT_FP_REG)
#define PT_REGS_RC_CORE(x) __evbpf_reg_core(x, __PT_RC_REG)
#define PT_REGS_SP_CORE(x) __evbpf_reg_core(x, __PT_SP_REG)
#define PT_REGS_IP_CORE(x) __evbpf_reg_core(x, __PT_IP_REG)
#else
#define PT_REGS_PARM1(x) __evbpf_no_reg("PT_REGS_PARM1")
#define PT_REGS_PARM2(x) __evbpf_no_reg("PT_REGS_PARM2")
#define PT_REGS_PARM3(x) __evbpf_no_reg("PT_REGS_PARM3")
#define PT_REGS_PARM4(x) __evbpf_no_reg("PT_REGS_PARM4")
#define PT_REGS_PARM5(x) __evbpf_no_reg("PT_REGS_PARM5")
#define PT_REGS_RET(x) __evbpf_no_reg("PT_REGS_RET")
#define PT_REGS_FP(x) __evbpf_no_reg("PT_REGS_FP")
#define PT_REGS_RC(x) __evbpf_no_reg("PT_REGS_RC")
#define PT_REGS_SP(x) __evbpf_no_reg("PT_REGS_SP")
#define PT_REGS_IP(x) __evbpf_no_reg("PT_REGS_IP")
#define PT_REGS_PARM1_CORE(x) __evbpf_no_reg("PT_REGS_PARM1_CORE")
#define PT_REGS_PARM2_CORE(x) __evbpf_no_reg("PT_REGS_PARM2_CORE")
#define PT_REGS_PARM3_CORE(x) __evbpf_no_reg("PT_REGS_PARM3_CORE")
#define PT_REGS_PARM4_CORE(x) __evbpf_no_reg("PT_REGS_PARM4_CORE")
#define PT_REGS_PARM5_CORE(x) __evbpf_no_reg("PT_REGS_PARM5_CORE")
#define PT_REGS_RET_CORE(x) __evbpf_no_reg("PT_REGS_RET_CORE")
#define PT_REGS_FP_CORE(x) __evbpf_no_reg("PT_REGS_FP_CORE")
#define PT_REGS_RC_CORE(x) __evbpf_no_reg("PT_REGS_RC_CORE")
#define PT_REGS_SP_CORE(x) __evbpf_no_reg("PT_REGS_SP_CORE")
#define PT_REGS_IP_CORE(x) __evbpf_no_reg("PT_REGS_IP_CORE")
#endif

#ifdef __PT_PARM6_REG
#define PT_REGS_PARM6(x) __evbpf_reg(x, __PT_PARM6_REG)
#define PT_REGS_PARM6_CORE(x) __evbpf_reg_core(x, __PT_PARM6_REG)
#else
#define PT_REGS_PARM6(x) __evbpf_no_reg("PT_REGS_PARM6")
#define PT_REGS_PARM6_CORE(x) __evbpf_no_reg("PT_REGS_PARM6_CORE")
#endif
#ifdef __PT_PARM7_REG
#define PT_REGS_PARM7(x) __evbpf_reg(x, __PT_PARM7_REG)
#define PT_REGS_PARM7_CORE(x) __evbpf_reg_core(x, __PT_PARM7_REG)
#else
#define PT_REGS_PARM7(x) __evbpf_no_reg("PT_REGS_PARM7")
#define PT_REGS_PARM7_CORE(x) __evbpf_no_reg("PT_REGS_PARM7_CORE")
#endif
#ifdef __PT_PARM8_REG
#define PT_REGS_PARM8(x) __evbpf_reg(x, __PT_PARM8_REG)
#define PT_REGS_PARM8_CORE(x) __evbpf_reg_core(x, __PT_PARM8_REG)
#else
#define PT_REGS_PARM8(x) __evbpf_no_reg("PT_REGS_PARM8")
#define PT_REGS_PARM8_CORE(x) __evbpf_no_reg("PT_REGS_PARM8_CORE")
#endif

/*
 * Syscall arguments, given the pt_regs of the syscall itself (for a kprobe on
 * a wrapped __<arch>_sys_foo, that is PT_REGS_SYSCALL_REGS(ctx)). The _CORE
 * forms read kernel memory and work on any such pointer.
 */
#ifdef __PT_PARM1_SYSCALL_CORE
#define PT_REGS_PARM1_SYSCALL(x) __PT_PARM1_SYSCALL_CORE(x)
#define PT_REGS_PARM1_CORE_SYSCALL(x) __PT_PARM1_SYSCALL_CORE(x)
#else
#define PT_REGS_PARM1_SYSCALL(x) PT_REGS_PARM1(x)
#define PT_REGS_PARM1_CORE_SYSCALL(x) PT_REGS_PARM1_CORE(x)
#endif
#define PT_REGS_PARM2_SYSCALL(x) PT_REGS_PARM2(x)
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_SYSCALL(x) PT_REGS_PARM3(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#ifdef __PT_PARM4_SYSCALL_REG
#define PT_REGS_PARM4_SYSCALL(x) __evbpf_reg(x, __PT_PARM4_SYSCALL_REG)
#define PT_REGS_PARM4_CORE_SYSCALL(x) __evbpf_reg_core(x, __PT_PARM4_SYSCALL_REG)
#else
#define PT_REGS_PARM4_SYSCALL(x) PT_REGS_PARM4(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) PT_REGS_PARM4_CORE(x)
#endif
#define PT_REGS_PARM5_SYSCALL(x) PT_REGS_PARM5(x)
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_SYSCALL(x) PT_REGS_PARM6(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) PT_REGS_PARM6_CORE(x)

/* With syscall wrappers the probed function's first argument is the
 * pt_regs of the syscall. */
#ifndef PT_REGS_SYSCALL_REGS
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)PT_REGS_PARM1(ctx))
#endif

/* Return address of the probed function, at entry and at return. */
#if defined(bpf_target_x86)
#define BPF_KPROBE_READ_RET_IP(ip, ctx)					\
	({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)PT_REGS_RET(ctx)); })
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx)				\
	({ bpf_probe_read_kernel(&(ip), sizeof(ip),			\
				 (void *)(PT_REGS_FP(ctx) + sizeof(ip))); })
#elif defined(bpf_target_defined)
/* The link register holds it. */
#define BPF_KPROBE_READ_RET_IP(ip, ctx) ({ (ip) = PT_REGS_RET(ctx); })
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx)				\
	({ bpf_probe_read_kernel(&(ip), sizeof(ip),			\
				 (void *)(PT_REGS_FP(ctx) + sizeof(ip))); })
#else
#define BPF_KPROBE_READ_RET_IP(ip, ctx) __evbpf_no_reg("BPF_KPROBE_READ_RET_IP")
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx) __evbpf_no_reg("BPF_KRETPROBE_READ_RET_IP")
#endif

/* ---- program definition macros ---- */

/*
 * ", f(1), f(2), ..., f(N)" where N is the number of arguments after f.
 * The program macros use it to pass the unpacked context to the body.
 */
#define __evbpf_seq0(f)
#define __evbpf_seq1(f) , f(1)
#define __evbpf_seq2(f) __evbpf_seq1(f), f(2)
#define __evbpf_seq3(f) __evbpf_seq2(f), f(3)
#define __evbpf_seq4(f) __evbpf_seq3(f), f(4)
#define __evbpf_seq5(f) __evbpf_seq4(f), f(5)
#define __evbpf_seq6(f) __evbpf_seq5(f), f(6)
#define __evbpf_seq7(f) __evbpf_seq6(f), f(7)
#define __evbpf_seq8(f) __evbpf_seq7(f), f(8)
#define __evbpf_seq9(f) __evbpf_seq8(f), f(9)
#define __evbpf_seq10(f) __evbpf_seq9(f), f(10)
#define __evbpf_seq11(f) __evbpf_seq10(f), f(11)
#define __evbpf_seq12(f) __evbpf_seq11(f), f(12)
#define __evbpf_seq_for(f, ...)						\
	__evbpf_cat(__evbpf_seq, __evbpf_nargs(__VA_ARGS__))(f)

/* The n-th (1-based) argument of each context kind, as void *; the body's
 * declared parameter types convert it (hence the -Wint-conversion pragma). */
#define __evbpf_prog_arg(n) (void *)ctx[(n) - 1]
#define __evbpf_kprobe_arg(n) (void *)__evbpf_cat(PT_REGS_PARM, n)(ctx)
#define __evbpf_kretprobe_arg(n) (void *)PT_REGS_RC(ctx)
#define __evbpf_sys_arg(n) (void *)__evbpf_cat(__evbpf_cat(PT_REGS_PARM, n), _SYSCALL)(regs)
#define __evbpf_syswrap_arg(n) (void *)__evbpf_cat(__evbpf_cat(PT_REGS_PARM, n), _CORE_SYSCALL)(regs)

#define __evbpf_body(name) __evbpf_cat(____, name)

/* Common shape: the program @name(ctx_decl) calls the always-inlined body
 * with (ctx, unpacked args...); the user's block becomes the body. */
#define __evbpf_define(name, ctx_type, argf, args...)			\
name(ctx_type ctx);							\
static __always_inline typeof(name(0))					\
__evbpf_body(name)(ctx_type ctx, ##args);				\
typeof(name(0)) name(ctx_type ctx)					\
{									\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")		\
	return __evbpf_body(name)(ctx __evbpf_seq_for(argf, ##args));	\
	_Pragma("GCC diagnostic pop")					\
}									\
static __always_inline typeof(name(0))					\
__evbpf_body(name)(ctx_type ctx, ##args)

/*
 * Program whose context is an array of u64 arguments (tp_btf, raw_tp,
 * fentry/fexit, struct_ops...): BPF_PROG(name, struct task_struct *t, int x)
 * { ... }. Each argument must fit in 8 bytes.
 */
#define BPF_PROG(name, args...)						\
	__evbpf_define(name, unsigned long long *, __evbpf_prog_arg, ##args)

/* kprobe / uprobe: arguments from the probed function's registers. */
#define BPF_KPROBE(name, args...)					\
	__evbpf_define(name, struct pt_regs *, __evbpf_kprobe_arg, ##args)
#define BPF_UPROBE(name, args...) BPF_KPROBE(name, ##args)

/* kretprobe / uretprobe: at most one argument, the return value. */
#define BPF_KRETPROBE(name, args...)					\
	__evbpf_define(name, struct pt_regs *, __evbpf_kretprobe_arg, ##args)
#define BPF_URETPROBE(name, args...) BPF_KRETPROBE(name, ##args)

/*
 * kprobe on a syscall entry (SEC("ksyscall/<name>")): arguments are the
 * syscall's, whether or not the kernel wraps syscalls (the loader provides
 * the LINUX_HAS_SYSCALL_WRAPPER kconfig value).
 */
#define BPF_KSYSCALL(name, args...)					\
name(struct pt_regs *ctx);						\
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;			\
static __always_inline typeof(name(0))					\
__evbpf_body(name)(struct pt_regs *ctx, ##args);			\
typeof(name(0)) name(struct pt_regs *ctx)				\
{									\
	struct pt_regs *regs = LINUX_HAS_SYSCALL_WRAPPER		\
			       ? (struct pt_regs *)PT_REGS_PARM1(ctx)	\
			       : ctx;					\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")		\
	if (LINUX_HAS_SYSCALL_WRAPPER)					\
		return __evbpf_body(name)(ctx				\
			__evbpf_seq_for(__evbpf_syswrap_arg, ##args));	\
	return __evbpf_body(name)(ctx					\
			__evbpf_seq_for(__evbpf_sys_arg, ##args));	\
	_Pragma("GCC diagnostic pop")					\
}									\
static __always_inline typeof(name(0))					\
__evbpf_body(name)(struct pt_regs *ctx, ##args)
#define BPF_KPROBE_SYSCALL BPF_KSYSCALL

/*
 * BPF_PROG2(name, type1, arg1, type2, arg2, ...): like BPF_PROG, with types
 * and names given separately, which allows arguments of up to 16 bytes
 * (structs passed by value take two context slots).
 */
#define __evbpf_p2_slots(t) (sizeof(t) > 8 ? 2 : 1)
#define __evbpf_p2_as(t, w, n) ({					\
	union { w __w; t __v; } __evbpf_u = { .__w = (w)ctx[n] };	\
	__evbpf_u.__v;							\
})
#define __evbpf_p2_as2(t, n) ({						\
	union { __u64 __w[2]; t __v; } __evbpf_u;			\
	__evbpf_u.__w[0] = ctx[n];					\
	__evbpf_u.__w[1] = ctx[(n) + 1];				\
	__evbpf_u.__v;							\
})
/* Narrow values are taken from the low-order end of their slot. */
#define __evbpf_p2_val(t, n)						\
	__builtin_choose_expr(sizeof(t) == 1, __evbpf_p2_as(t, __u8, n),	\
	__builtin_choose_expr(sizeof(t) == 2, __evbpf_p2_as(t, __u16, n),	\
	__builtin_choose_expr(sizeof(t) == 4, __evbpf_p2_as(t, __u32, n),	\
	__builtin_choose_expr(sizeof(t) <= 8, __evbpf_p2_as(t, __u64, n),	\
	__builtin_choose_expr(sizeof(t) <= 16, __evbpf_p2_as2(t, n),	\
			      (void)0)))))

#define __evbpf_p2_decl0()
#define __evbpf_p2_decl2(t, x) , t x
#define __evbpf_p2_decl4(t, x, ...) , t x __evbpf_p2_decl2(__VA_ARGS__)
#define __evbpf_p2_decl6(t, x, ...) , t x __evbpf_p2_decl4(__VA_ARGS__)
#define __evbpf_p2_decl8(t, x, ...) , t x __evbpf_p2_decl6(__VA_ARGS__)
#define __evbpf_p2_decl10(t, x, ...) , t x __evbpf_p2_decl8(__VA_ARGS__)
#define __evbpf_p2_decl12(t, x, ...) , t x __evbpf_p2_decl10(__VA_ARGS__)
#define __evbpf_p2_decl14(t, x, ...) , t x __evbpf_p2_decl12(__VA_ARGS__)
#define __evbpf_p2_decl16(t, x, ...) , t x __evbpf_p2_decl14(__VA_ARGS__)
#define __evbpf_p2_decl18(t, x, ...) , t x __evbpf_p2_decl16(__VA_ARGS__)
#define __evbpf_p2_decl20(t, x, ...) , t x __evbpf_p2_decl18(__VA_ARGS__)
#define __evbpf_p2_decl22(t, x, ...) , t x __evbpf_p2_decl20(__VA_ARGS__)
#define __evbpf_p2_decl24(t, x, ...) , t x __evbpf_p2_decl22(__VA_ARGS__)
#define __evbpf_p2_decl(...)						\
	__evbpf_cat(__evbpf_p2_decl, __evbpf_nargs(__VA_ARGS__))(__VA_ARGS__)

/* @n is the context slot of the first pair, a constant expression. */
#define __evbpf_p2_arg0(n)
#define __evbpf_p2_arg2(n, t, x) , __evbpf_p2_val(t, n)
#define __evbpf_p2_arg4(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg2((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg6(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg4((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg8(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg6((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg10(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg8((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg12(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg10((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg14(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg12((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg16(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg14((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg18(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg16((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg20(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg18((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg22(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg20((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_arg24(n, t, x, ...) , __evbpf_p2_val(t, n) __evbpf_p2_arg22((n) + __evbpf_p2_slots(t), __VA_ARGS__)
#define __evbpf_p2_args(...)						\
	__evbpf_cat(__evbpf_p2_arg, __evbpf_nargs(__VA_ARGS__))(0, ##__VA_ARGS__)

#define BPF_PROG2(name, args...)					\
name(unsigned long long *ctx);						\
static __always_inline typeof(name(0))					\
__evbpf_body(name)(unsigned long long *ctx __evbpf_p2_decl(args));	\
typeof(name(0)) name(unsigned long long *ctx)				\
{									\
	return __evbpf_body(name)(ctx __evbpf_p2_args(args));		\
}									\
static __always_inline typeof(name(0))					\
__evbpf_body(name)(unsigned long long *ctx __evbpf_p2_decl(args))

#endif /* __BPF_TRACING_H__ */
