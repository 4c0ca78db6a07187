/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF side of USDT support: a program attached with
 * bpf_program__attach_usdt() (or SEC("usdt/path:provider:name")) reads the
 * probe's arguments with bpf_usdt_arg(), their number with
 * bpf_usdt_arg_cnt() and the attach-time cookie with bpf_usdt_cookie();
 * BPF_USDT() declares a handler that receives the arguments as parameters.
 *
 * User space stores one spec per probe site in __bpf_usdt_specs and makes
 * the slot index the uprobe's BPF cookie. The map names and the spec layout
 * are the same as libbpf's, so objects built against either header load on
 * either library.
 */
#ifndef __USDT_BPF_H__
#define __USDT_BPF_H__

#include <linux/errno.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* Slots for probe sites of all USDT attachments of the object. */
#ifndef BPF_USDT_MAX_SPEC_CNT
#define BPF_USDT_MAX_SPEC_CNT 256
#endif
/* Kept for layout compatibility; evbpf finds specs through BPF cookies. */
#ifndef BPF_USDT_MAX_IP_CNT
#define BPF_USDT_MAX_IP_CNT (4 * BPF_USDT_MAX_SPEC_CNT)
#endif

enum __bpf_usdt_arg_type {
	BPF_USDT_ARG_CONST,	/* val_off is the value */
	BPF_USDT_ARG_REG,	/* the register at reg_off of pt_regs */
	BPF_USDT_ARG_REG_DEREF,	/* memory at that register + val_off */
};

struct __bpf_usdt_arg_spec {
	__u64 val_off;
	enum __bpf_usdt_arg_type arg_type;
	short reg_off;
	_Bool arg_signed;
	/* 64 - 8 * argument size: shifts that truncate and extend */
	char arg_bitshift;
};

#define BPF_USDT_MAX_ARG_CNT 12
struct __bpf_usdt_spec {
	struct __bpf_usdt_arg_spec args[BPF_USDT_MAX_ARG_CNT];
	__u64 usdt_cookie;
	short arg_cnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BPF_USDT_MAX_SPEC_CNT);
	__type(key, int);
	__type(value, struct __bpf_usdt_spec);
} __bpf_usdt_specs SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BPF_USDT_MAX_IP_CNT);
	__type(key, long);
	__type(value, __u32);
} __bpf_usdt_ip_to_spec_id SEC(".maps") __weak;

static __always_inline struct __bpf_usdt_spec *
__bpf_usdt_spec_of(struct pt_regs *ctx)
{
	int id = (int)bpf_get_attach_cookie(ctx);

	return bpf_map_lookup_elem(&__bpf_usdt_specs, &id);
}

/* Number of arguments of the probe that fired, or -ESRCH. */
__weak __hidden
int bpf_usdt_arg_cnt(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = __bpf_usdt_spec_of(ctx);

	return spec ? spec->arg_cnt : -ESRCH;
}

/*
 * Argument @arg_num (from 0) of the probe that fired, widened to 64 bits
 * with its sign, in *@res. Returns 0, -ENOENT past the last argument, -ESRCH
 * when no spec is found, or the error of the memory read (*@res is 0 then).
 */
__weak __hidden
int bpf_usdt_arg(struct pt_regs *ctx, __u64 arg_num, long *res)
{
	struct __bpf_usdt_spec *spec = __bpf_usdt_spec_of(ctx);
	struct __bpf_usdt_arg_spec *a;
	unsigned long v;
	int err;

	/* a global function's pointer argument may be NULL to the verifier */
	if (!res)
		return -EINVAL;
	*res = 0;
	if (!spec)
		return -ESRCH;
	if (arg_num >= BPF_USDT_MAX_ARG_CNT || arg_num >= (__u64)spec->arg_cnt)
		return -ENOENT;
	a = &spec->args[arg_num];
	if (a->arg_type == BPF_USDT_ARG_CONST) {
		v = a->val_off;
	} else if (a->arg_type == BPF_USDT_ARG_REG ||
		   a->arg_type == BPF_USDT_ARG_REG_DEREF) {
		/* pt_regs offsets vary per spec: read, do not index, ctx */
		err = bpf_probe_read_kernel(&v, sizeof(v), (void *)ctx + a->reg_off);
		if (err)
			return err;
		if (a->arg_type == BPF_USDT_ARG_REG_DEREF) {
			err = bpf_probe_read_user(&v, sizeof(v),
						  (void *)v + a->val_off);
			if (err)
				return err;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			v >>= a->arg_bitshift;
#endif
		}
	} else {
		return -EINVAL;
	}
	v <<= a->arg_bitshift;
	if (a->arg_signed)
		v = (unsigned long)(((long)v) >> a->arg_bitshift);
	else
		v >>= a->arg_bitshift;
	*res = (long)v;
	return 0;
}

/* The usdt_cookie given in bpf_usdt_opts at attach time (USDT programs use
 * the BPF cookie internally), or 0. */
__weak __hidden
long bpf_usdt_cookie(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = __bpf_usdt_spec_of(ctx);

	return spec ? (long)spec->usdt_cookie : 0;
}

#define ___evbpf_usdt_arg(i) \
	({ long ___v; bpf_usdt_arg(ctx, i, &___v); (void *)___v; })
#define ___evbpf_usdt_args0() ctx
#define ___evbpf_usdt_args1(x) ___evbpf_usdt_args0(), ___evbpf_usdt_arg(0)
#define ___evbpf_usdt_args2(x, a...) ___evbpf_usdt_args1(a), ___evbpf_usdt_arg(1)
#define ___evbpf_usdt_args3(x, a...) ___evbpf_usdt_args2(a), ___evbpf_usdt_arg(2)
#define ___evbpf_usdt_args4(x, a...) ___evbpf_usdt_args3(a), ___evbpf_usdt_arg(3)
#define ___evbpf_usdt_args5(x, a...) ___evbpf_usdt_args4(a), ___evbpf_usdt_arg(4)
#define ___evbpf_usdt_args6(x, a...) ___evbpf_usdt_args5(a), ___evbpf_usdt_arg(5)
#define ___evbpf_usdt_args7(x, a...) ___evbpf_usdt_args6(a), ___evbpf_usdt_arg(6)
#define ___evbpf_usdt_args8(x, a...) ___evbpf_usdt_args7(a), ___evbpf_usdt_arg(7)
#define ___evbpf_usdt_args9(x, a...) ___evbpf_usdt_args8(a), ___evbpf_usdt_arg(8)
#define ___evbpf_usdt_args10(x, a...) ___evbpf_usdt_args9(a), ___evbpf_usdt_arg(9)
#define ___evbpf_usdt_args11(x, a...) ___evbpf_usdt_args10(a), ___evbpf_usdt_arg(10)
#define ___evbpf_usdt_args12(x, a...) ___evbpf_usdt_args11(a), ___evbpf_usdt_arg(11)
#define ___evbpf_usdt_args(a...) \
	___bpf_apply(___evbpf_usdt_args, ___bpf_narg(a))(a)

/*
 * BPF_USDT(name, type1 arg1, ...) defines USDT handler @name whose body
 * sees the probe's arguments as typed parameters (and the context as ctx):
 *
 *	SEC("usdt/./app:myprov:myprobe")
 *	int BPF_USDT(handle, int x, long y) { ... }
 */
#define BPF_USDT(name, args...)						\
name(struct pt_regs *ctx);						\
static __always_inline typeof(name(0))					\
____##name(struct pt_regs *ctx, ##args);				\
typeof(name(0)) name(struct pt_regs *ctx)				\
{									\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")		\
	return ____##name(___evbpf_usdt_args(args));			\
	_Pragma("GCC diagnostic pop")					\
}									\
static __always_inline typeof(name(0))					\
____##name(struct pt_regs *ctx, ##args)

#endif /* __USDT_BPF_H__ */
