/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF CO-RE ("compile once, run everywhere") reads. Each macro makes clang
 * record a relocation (field offset/size/existence, type existence/size/id,
 * enum value) against the program's BTF; the loader rewrites the instruction
 * to match the running kernel's BTF.
 */
#ifndef __BPF_CORE_READ_H__
#define __BPF_CORE_READ_H__

#include "bpf_helpers.h"

/* What __builtin_preserve_field_info() reports. */
enum bpf_field_info_kind {
	BPF_FIELD_BYTE_OFFSET = 0,
	BPF_FIELD_BYTE_SIZE = 1,
	BPF_FIELD_EXISTS = 2,
	BPF_FIELD_SIGNED = 3,
	BPF_FIELD_LSHIFT_U64 = 4,
	BPF_FIELD_RSHIFT_U64 = 5,
};

/* What __builtin_btf_type_id() reports. */
enum bpf_type_id_kind {
	BPF_TYPE_ID_LOCAL = 0,
	BPF_TYPE_ID_TARGET = 1,
};

/* What __builtin_preserve_type_info() reports. */
enum bpf_type_info_kind {
	BPF_TYPE_EXISTS = 0,
	BPF_TYPE_SIZE = 1,
	BPF_TYPE_MATCHES = 2,
};

/* What __builtin_preserve_enum_value() reports. */
enum bpf_enum_value_kind {
	BPF_ENUMVAL_EXISTS = 0,
	BPF_ENUMVAL_VALUE = 1,
};

#define __CORE_RELO(src, field, info)					\
	__builtin_preserve_field_info((src)->field, BPF_FIELD_##info)

/* ---- bitfields ---- */

/*
 * A bitfield is read as the integer that holds it (relocated offset and
 * size), shifted left so the field's top bit is bit 63, then shifted right
 * (arithmetically when signed) so the field ends at bit 0. The two shift
 * amounts are relocations too.
 */
#define __evbpf_bitfield_extract(s, field, raw) ({			\
	unsigned long long __evbpf_v = (raw);				\
	__evbpf_v <<= __CORE_RELO(s, field, LSHIFT_U64);		\
	__CORE_RELO(s, field, SIGNED)					\
		? (unsigned long long)((long long)__evbpf_v >>		\
				       __CORE_RELO(s, field, RSHIFT_U64)) \
		: __evbpf_v >> __CORE_RELO(s, field, RSHIFT_U64);	\
})

/* Reads the integer holding the bitfield into *dst (a u64) with
 * bpf_probe_read_kernel(); on big-endian it fills the low-order end. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define __CORE_BITFIELD_PROBE_READ(dst, src, fld)			\
	bpf_probe_read_kernel((void *)(dst),				\
			      __CORE_RELO(src, fld, BYTE_SIZE),		\
			      (const void *)(src) +			\
			      __CORE_RELO(src, fld, BYTE_OFFSET))
#else
#define __CORE_BITFIELD_PROBE_READ(dst, src, fld)			\
	bpf_probe_read_kernel((void *)(dst) +				\
			      (8 - __CORE_RELO(src, fld, BYTE_SIZE)),	\
			      __CORE_RELO(src, fld, BYTE_SIZE),		\
			      (const void *)(src) +			\
			      __CORE_RELO(src, fld, BYTE_OFFSET))
#endif

/* Value of bitfield s->field as u64, read with bpf_probe_read_kernel(). */
#define BPF_CORE_READ_BITFIELD_PROBED(s, field) ({			\
	unsigned long long __evbpf_raw = 0;				\
	__CORE_BITFIELD_PROBE_READ(&__evbpf_raw, s, field);		\
	__evbpf_bitfield_extract(s, field, __evbpf_raw);		\
})

/* Value of bitfield s->field as u64, read by a direct load (for programs
 * that may dereference @s, e.g. tp_btf / fentry arguments). */
#define BPF_CORE_READ_BITFIELD(s, field) ({				\
	const void *__evbpf_p = (const void *)(s) +			\
				__CORE_RELO(s, field, BYTE_OFFSET);	\
	unsigned long long __evbpf_raw = 0;				\
	/* one offset relocation, not one per load width below */	\
	barrier_var(__evbpf_p);						\
	switch (__CORE_RELO(s, field, BYTE_SIZE)) {			\
	case 1: __evbpf_raw = *(const unsigned char *)__evbpf_p; break;	\
	case 2: __evbpf_raw = *(const unsigned short *)__evbpf_p; break; \
	case 4: __evbpf_raw = *(const unsigned int *)__evbpf_p; break;	\
	case 8: __evbpf_raw = *(const unsigned long long *)__evbpf_p; break; \
	}								\
	__evbpf_bitfield_extract(s, field, __evbpf_raw);		\
})

/*
 * Stores @new_val into bitfield s->field with a direct read-modify-write of
 * the integer holding it (programs that may write @s). The field's bit
 * position inside that integer is RSHIFT_U64 - LSHIFT_U64.
 */
#define BPF_CORE_WRITE_BITFIELD(s, field, new_val) ({			\
	void *__evbpf_p = (void *)(s) + __CORE_RELO(s, field, BYTE_OFFSET); \
	unsigned int __evbpf_lsh = __CORE_RELO(s, field, LSHIFT_U64);	\
	unsigned int __evbpf_rsh = __CORE_RELO(s, field, RSHIFT_U64);	\
	unsigned long long __evbpf_mask, __evbpf_old = 0;		\
	unsigned long long __evbpf_new = (new_val);			\
	barrier_var(__evbpf_p);						\
	switch (__CORE_RELO(s, field, BYTE_SIZE)) {			\
	case 1: __evbpf_old = *(unsigned char *)__evbpf_p; break;	\
	case 2: __evbpf_old = *(unsigned short *)__evbpf_p; break;	\
	case 4: __evbpf_old = *(unsigned int *)__evbpf_p; break;	\
	case 8: __evbpf_old = *(unsigned long long *)__evbpf_p; break;	\
	}								\
	__evbpf_mask = (~0ULL << __evbpf_rsh) >> __evbpf_lsh;		\
	__evbpf_old = (__evbpf_old & ~__evbpf_mask) |			\
		      ((__evbpf_new << (__evbpf_rsh - __evbpf_lsh)) & __evbpf_mask); \
	switch (__CORE_RELO(s, field, BYTE_SIZE)) {			\
	case 1: *(unsigned char *)__evbpf_p = __evbpf_old; break;	\
	case 2: *(unsigned short *)__evbpf_p = __evbpf_old; break;	\
	case 4: *(unsigned int *)__evbpf_p = __evbpf_old; break;	\
	case 8: *(unsigned long long *)__evbpf_p = __evbpf_old; break;	\
	}								\
})

/* ---- field, type and enum relocations ---- */

/* A field is named either as an expression (p->a.b) or as (type, a.b). */
#define __evbpf_field_ref1(expr) (expr)
#define __evbpf_field_ref2(type, field) (((typeof(type) *)0)->field)
#define __evbpf_field_ref(...) __evbpf_dispatch(__evbpf_field_ref, __VA_ARGS__)

/* 1 if the field exists in the running kernel, else 0. */
#define bpf_core_field_exists(field...)					\
	__builtin_preserve_field_info(__evbpf_field_ref(field), BPF_FIELD_EXISTS)
/* The field's size in bytes in the running kernel. */
#define bpf_core_field_size(field...)					\
	__builtin_preserve_field_info(__evbpf_field_ref(field), BPF_FIELD_BYTE_SIZE)
/* The field's byte offset in the running kernel. */
#define bpf_core_field_offset(field...)					\
	__builtin_preserve_field_info(__evbpf_field_ref(field), BPF_FIELD_BYTE_OFFSET)

/* BTF type id of @type in the program's own BTF. */
#define bpf_core_type_id_local(type)					\
	__builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_LOCAL)
/* BTF type id of the matching kernel type, or 0. */
#define bpf_core_type_id_kernel(type)					\
	__builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_TARGET)
/* 1 if a compatible named type exists in the running kernel. */
#define bpf_core_type_exists(type)					\
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_EXISTS)
/* 1 if the kernel's type matches this one field by field (stricter). */
#define bpf_core_type_matches(type)					\
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_MATCHES)
/* Size in bytes of the kernel's type, or 0 if it does not exist. */
#define bpf_core_type_size(type)					\
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_SIZE)

/* 1 if enumerator @enum_value of @enum_type exists in the running kernel. */
#define bpf_core_enum_value_exists(enum_type, enum_value)		\
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, \
				      BPF_ENUMVAL_EXISTS)
/* The kernel's value of that enumerator (0 if missing). */
#define bpf_core_enum_value(enum_type, enum_value)			\
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, \
				      BPF_ENUMVAL_VALUE)

/* Kfunc behind bpf_core_cast(), kernel 6.5+. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/* Treats @ptr as a read-only pointer to kernel type @type that the verifier
 * lets the program dereference directly. */
#define bpf_core_cast(ptr, type)					\
	((typeof(type) *)bpf_rdonly_cast((ptr), bpf_core_type_id_kernel(type)))

/* ---- single reads ---- */

/* bpf_probe_read_*() of @sz bytes at @src, with @src's field access
 * relocated. */
#define bpf_core_read(dst, sz, src)					\
	bpf_probe_read_kernel(dst, sz,					\
			      (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user(dst, sz, src)				\
	bpf_probe_read_user(dst, sz,					\
			    (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_str(dst, sz, src)					\
	bpf_probe_read_kernel_str(dst, sz,				\
				  (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user_str(dst, sz, src)				\
	bpf_probe_read_user_str(dst, sz,				\
				(const void *)__builtin_preserve_access_index(src))

/* ---- pointer chains: BPF_CORE_READ(s, a, b.c, d) == s->a->b.c->d ---- */

/*
 * Each hop reads the next pointer into a local of exactly the type it has in
 * the source, using @hop (a relocated pointer-sized read); the last accessor
 * is read into @dst with @last. The value of the whole expression is what
 * the last read returned. Up to 10 accessors.
 */
#define __evbpf_rd_last(last, dst, src, acc)				\
	last((void *)(dst), sizeof(*(dst)), &(src)->acc)
#define __evbpf_rd_hop(hop, var, src, acc)				\
	typeof((src)->acc) var;						\
	hop((void *)&var, sizeof(var), &(src)->acc);

#define __evbpf_rd1(last, hop, dst, s, a)				\
	__evbpf_rd_last(last, dst, s, a)
#define __evbpf_rd2(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t2, s, a)				\
	__evbpf_rd1(last, hop, dst, __evbpf_t2, __VA_ARGS__); })
#define __evbpf_rd3(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t3, s, a)				\
	__evbpf_rd2(last, hop, dst, __evbpf_t3, __VA_ARGS__); })
#define __evbpf_rd4(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t4, s, a)				\
	__evbpf_rd3(last, hop, dst, __evbpf_t4, __VA_ARGS__); })
#define __evbpf_rd5(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t5, s, a)				\
	__evbpf_rd4(last, hop, dst, __evbpf_t5, __VA_ARGS__); })
#define __evbpf_rd6(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t6, s, a)				\
	__evbpf_rd5(last, hop, dst, __evbpf_t6, __VA_ARGS__); })
#define __evbpf_rd7(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t7, s, a)				\
	__evbpf_rd6(last, hop, dst, __evbpf_t7, __VA_ARGS__); })
#define __evbpf_rd8(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t8, s, a)				\
	__evbpf_rd7(last, hop, dst, __evbpf_t8, __VA_ARGS__); })
#define __evbpf_rd9(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t9, s, a)				\
	__evbpf_rd8(last, hop, dst, __evbpf_t9, __VA_ARGS__); })
#define __evbpf_rd10(last, hop, dst, s, a, ...) ({			\
	__evbpf_rd_hop(hop, __evbpf_t10, s, a)				\
	__evbpf_rd9(last, hop, dst, __evbpf_t10, __VA_ARGS__); })
#define __evbpf_rd(last, hop, dst, src, ...)				\
	__evbpf_cat(__evbpf_rd, __evbpf_nargs(__VA_ARGS__))		\
		(last, hop, dst, src, __VA_ARGS__)

/* Type of src->a->b...: the chain written out with arrows. */
#define __evbpf_arrow1(s, a) (s)->a
#define __evbpf_arrow2(s, a, ...) __evbpf_arrow1((s)->a, __VA_ARGS__)
#define __evbpf_arrow3(s, a, ...) __evbpf_arrow2((s)->a, __VA_ARGS__)
#define __evbpf_arrow4(s, a, ...) __evbpf_arrow3((s)->a, __VA_ARGS__)
#define __evbpf_arrow5(s, a, ...) __evbpf_arrow4((s)->a, __VA_ARGS__)
#define __evbpf_arrow6(s, a, ...) __evbpf_arrow5((s)->a, __VA_ARGS__)
#define __evbpf_arrow7(s, a, ...) __evbpf_arrow6((s)->a, __VA_ARGS__)
#define __evbpf_arrow8(s, a, ...) __evbpf_arrow7((s)->a, __VA_ARGS__)
#define __evbpf_arrow9(s, a, ...) __evbpf_arrow8((s)->a, __VA_ARGS__)
#define __evbpf_arrow10(s, a, ...) __evbpf_arrow9((s)->a, __VA_ARGS__)
#define __evbpf_chain_type(s, ...)					\
	typeof(__evbpf_cat(__evbpf_arrow, __evbpf_nargs(__VA_ARGS__))(s, __VA_ARGS__))

/* Into *dst: relocated kernel reads. */
#define BPF_CORE_READ_INTO(dst, src, a, ...) ({				\
	__evbpf_rd(bpf_core_read, bpf_core_read, dst, (src), a, ##__VA_ARGS__); \
})
#define BPF_CORE_READ_USER_INTO(dst, src, a, ...) ({			\
	__evbpf_rd(bpf_core_read_user, bpf_core_read_user,		\
		   dst, (src), a, ##__VA_ARGS__);			\
})
/* The last accessor is a string: read with *_str (returns its length). */
#define BPF_CORE_READ_STR_INTO(dst, src, a, ...) ({			\
	__evbpf_rd(bpf_core_read_str, bpf_core_read,			\
		   dst, (src), a, ##__VA_ARGS__);			\
})
#define BPF_CORE_READ_USER_STR_INTO(dst, src, a, ...) ({		\
	__evbpf_rd(bpf_core_read_user_str, bpf_core_read_user,		\
		   dst, (src), a, ##__VA_ARGS__);			\
})

/* Same without relocations, for any (non-kernel) types. */
#define BPF_PROBE_READ_INTO(dst, src, a, ...) ({			\
	__evbpf_rd(bpf_probe_read, bpf_probe_read, dst, (src), a, ##__VA_ARGS__); \
})
#define BPF_PROBE_READ_USER_INTO(dst, src, a, ...) ({			\
	__evbpf_rd(bpf_probe_read_user, bpf_probe_read_user,		\
		   dst, (src), a, ##__VA_ARGS__);			\
})
#define BPF_PROBE_READ_STR_INTO(dst, src, a, ...) ({			\
	__evbpf_rd(bpf_probe_read_str, bpf_probe_read,			\
		   dst, (src), a, ##__VA_ARGS__);			\
})
#define BPF_PROBE_READ_USER_STR_INTO(dst, src, a, ...) ({		\
	__evbpf_rd(bpf_probe_read_user_str, bpf_probe_read_user,	\
		   dst, (src), a, ##__VA_ARGS__);			\
})

/*
 * Value of src->a->b->... (each pointer read with a relocated probe read):
 * BPF_CORE_READ(task, mm, exe_file, f_path.dentry). The _USER form reads
 * user memory but still relocates against kernel types.
 */
#define BPF_CORE_READ(src, a, ...) ({					\
	__evbpf_chain_type((src), a, ##__VA_ARGS__) __evbpf_r;		\
	BPF_CORE_READ_INTO(&__evbpf_r, (src), a, ##__VA_ARGS__);	\
	__evbpf_r;							\
})
#define BPF_CORE_READ_USER(src, a, ...) ({				\
	__evbpf_chain_type((src), a, ##__VA_ARGS__) __evbpf_r;		\
	BPF_CORE_READ_USER_INTO(&__evbpf_r, (src), a, ##__VA_ARGS__);	\
	__evbpf_r;							\
})
#define BPF_PROBE_READ(src, a, ...) ({					\
	__evbpf_chain_type((src), a, ##__VA_ARGS__) __evbpf_r;		\
	BPF_PROBE_READ_INTO(&__evbpf_r, (src), a, ##__VA_ARGS__);	\
	__evbpf_r;							\
})
#define BPF_PROBE_READ_USER(src, a, ...) ({				\
	__evbpf_chain_type((src), a, ##__VA_ARGS__) __evbpf_r;		\
	BPF_PROBE_READ_USER_INTO(&__evbpf_r, (src), a, ##__VA_ARGS__);	\
	__evbpf_r;							\
})

#endif /* __BPF_CORE_READ_H__ */
