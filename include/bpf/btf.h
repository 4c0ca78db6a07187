/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BTF (BPF Type Format): parse, query, build, load and print type
 * information. libbpf 1.x compatible names, signatures and inline accessors.
 *
 * Ownership: a struct btf returned by any constructor belongs to the caller
 * and is released with btf__free(). Pointers returned by queries
 * (btf__type_by_id(), btf__name_by_offset(), btf__raw_data()) point into the
 * btf and stay valid until the btf is modified (btf__add_*) or freed.
 * A split BTF keeps a pointer to its base, which must outlive it.
 *
 * All parsed BTF is converted to the host's byte order on load; the original
 * byte order is remembered (btf__endianness()) and used by btf__raw_data().
 */
#ifndef __LIBBPF_BTF_H
#define __LIBBPF_BTF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/btf.h>
#include <linux/types.h>

#include "libbpf_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BTF_ELF_SEC ".BTF"
#define BTF_EXT_ELF_SEC ".BTF.ext"
#define MAPS_ELF_SEC ".maps"

struct btf;
struct btf_ext;
struct btf_type;
struct bpf_object;

enum btf_endianness {
	BTF_LITTLE_ENDIAN = 0,
	BTF_BIG_ENDIAN = 1,
};

/* ---- construction and destruction ---- */

/** @brief Frees @p btf (NULL is fine) and closes its kernel fd if any. */
LIBBPF_API void btf__free(struct btf *btf);

/**
 * @brief Parses raw BTF (header + types + strings, either byte order) from
 * @p data of @p size bytes; the data is copied.
 * @return new btf, or NULL with errno set (EINVAL for malformed input).
 */
LIBBPF_API struct btf *btf__new(const void *data, __u32 size);

/**
 * @brief Like btf__new() for split BTF whose type ids and string offsets
 * continue those of @p base_btf (which must outlive the result).
 */
LIBBPF_API struct btf *btf__new_split(const void *data, __u32 size, struct btf *base_btf);

/** @brief New empty btf (only the void type) for the btf__add_* writer API. */
LIBBPF_API struct btf *btf__new_empty(void);

/** @brief New empty split btf on top of @p base_btf. */
LIBBPF_API struct btf *btf__new_empty_split(struct btf *base_btf);

struct btf_new_opts {
	size_t sz;
	struct btf *base_btf;	/* optional base BTF (split BTF on top of it) */
	bool add_layout;	/* add a kind layout section to the raw data */
	size_t :0;
};
#define btf_new_opts__last_field add_layout

/**
 * @brief New empty btf, split on top of opts->base_btf when it is set
 * (NULL @p opts: like btf__new_empty()). add_layout is refused with
 * -EOPNOTSUPP: evbpf writes BTF without the kind layout section.
 * @return new btf (free with btf__free()), or NULL with errno set
 * (-EINVAL for unknown non-zero bytes of @p opts).
 */
LIBBPF_API struct btf *btf__new_empty_opts(struct btf_new_opts *opts);

/**
 * @brief Splits split BTF @p src_btf from its full base: *new_base_btf
 * gets a distilled base holding only the named INT, FLOAT, STRUCT, UNION,
 * ENUM, ENUM64 and FWD base types @p src_btf refers to (structs, unions and
 * enums without members, keeping name and size); *new_split_btf gets
 * @p src_btf's types on top of it, preceded by copies of every other base
 * type it needs (anonymous types, typedefs, pointers, arrays, ...), which
 * cannot be matched by name. btf__relocate() later moves the new split BTF
 * onto any base with matching named types.
 * @return 0 with both set (the caller frees them, the split one first), or
 * -errno (-EINVAL when @p src_btf has no base); nothing is allocated on
 * error.
 */
LIBBPF_API int btf__distill_base(const struct btf *src_btf, struct btf **new_base_btf,
				 struct btf **new_split_btf);

/**
 * @brief Re-parents split BTF @p btf (built on a distilled base, see
 * btf__distill_base()) onto @p base_btf: each type of its current base is
 * matched in @p base_btf by kind and name, and by size too except for a
 * struct or union that @p btf only refers to through pointers (an INT also
 * by encoding, a FWD by struct/union kind); the first match is taken. Every
 * type id and string of @p btf is then rewritten for the new base.
 * @return 0 (@p btf's base is now @p base_btf, which must outlive it), or
 * -errno with @p btf unchanged: -EINVAL with one log line naming the first
 * type with no match.
 */
LIBBPF_API int btf__relocate(struct btf *btf, const struct btf *base_btf);

struct btf_permute_opts {
	size_t sz;
	/* .BTF.ext whose type ids follow the permutation (optional) */
	struct btf_ext *btf_ext;
	size_t :0;
};
#define btf_permute_opts__last_field btf_ext

/**
 * @brief Reorders the types of @p btf in place: the type with id X moves to
 * id id_map[X] (base BTF: @p id_map_cnt is btf__type_cnt() and id_map[0]
 * is 0) or to id_map[X - start] (split BTF: only its own types, start being
 * btf__type_cnt() of the base). Every type reference, and opts->btf_ext's
 * func_info and CO-RE relocation type ids, is rewritten to match.
 * @return 0, or -errno with @p btf unchanged (-EINVAL with one log line for
 * a map that is not a permutation of the ids: wrong count, duplicate or out
 * of range id).
 */
LIBBPF_API int btf__permute(struct btf *btf, __u32 *id_map, __u32 id_map_cnt,
			    const struct btf_permute_opts *opts);

/**
 * @brief Parses @p path as an ELF object (its .BTF and, when @p btf_ext is
 * not NULL, its .BTF.ext) or, when it is not ELF, as raw BTF.
 * @return new btf (and *btf_ext, caller frees both), or NULL with errno set.
 */
LIBBPF_API struct btf *btf__parse(const char *path, struct btf_ext **btf_ext);
/** @brief btf__parse() for split BTF on top of @p base_btf. */
LIBBPF_API struct btf *btf__parse_split(const char *path, struct btf *base_btf);
/** @brief Parses the .BTF (and optionally .BTF.ext) section of ELF @p path. */
LIBBPF_API struct btf *btf__parse_elf(const char *path, struct btf_ext **btf_ext);
/** @brief btf__parse_elf() for split BTF on top of @p base_btf. */
LIBBPF_API struct btf *btf__parse_elf_split(const char *path, struct btf *base_btf);
/** @brief Parses the file @p path as raw BTF (e.g. /sys/kernel/btf/vmlinux). */
LIBBPF_API struct btf *btf__parse_raw(const char *path);
/** @brief btf__parse_raw() for split BTF (e.g. /sys/kernel/btf/<module>). */
LIBBPF_API struct btf *btf__parse_raw_split(const char *path, struct btf *base_btf);

/**
 * @brief Parses the running kernel's BTF (/sys/kernel/btf/vmlinux, or the
 * usual fallback paths). A new private copy each call; caller frees.
 */
LIBBPF_API struct btf *btf__load_vmlinux_btf(void);
/**
 * @brief Parses /sys/kernel/btf/@p module_name as split BTF on top of
 * @p vmlinux_btf (which must outlive the result). Caller frees.
 */
LIBBPF_API struct btf *btf__load_module_btf(const char *module_name, struct btf *vmlinux_btf);

/** @brief Fetches the kernel's BTF object @p id (BPF_BTF_GET_FD_BY_ID). */
LIBBPF_API struct btf *btf__load_from_kernel_by_id(__u32 id);
/** @brief Same, for split BTF on top of @p base_btf. */
LIBBPF_API struct btf *btf__load_from_kernel_by_id_split(__u32 id, struct btf *base_btf);

/**
 * @brief Loads @p btf into the kernel (BPF_BTF_LOAD); the btf then owns the
 * fd (btf__fd()), closed by btf__free(). Retries with a log buffer on
 * failure and logs the kernel's verdict.
 * @return 0, or -errno (errno set).
 */
LIBBPF_API int btf__load_into_kernel(struct btf *btf);

/* ---- queries ---- */

/**
 * @brief Type id of the first type (in id order, base BTF included) named
 * @p type_name; "void" gives 0. Uses a name index, O(1) on average.
 * @return id, or -ENOENT (errno set).
 */
LIBBPF_API __s32 btf__find_by_name(const struct btf *btf, const char *type_name);
/** @brief Like btf__find_by_name() but only types of kind @p kind. */
LIBBPF_API __s32 btf__find_by_name_kind(const struct btf *btf,
					const char *type_name, __u32 kind);
/**
 * @brief Like btf__find_by_name_kind() but only among @p btf's own types,
 * not those of its base (split BTF).
 * @return the type id, or -ENOENT (errno set).
 */
LIBBPF_API __s32 btf__find_by_name_kind_own(const struct btf *btf,
					    const char *type_name, __u32 kind);
/** @brief Number of type ids, void and base BTF included (last id + 1). */
LIBBPF_API __u32 btf__type_cnt(const struct btf *btf);
/** @brief The base of a split btf, or NULL. */
LIBBPF_API const struct btf *btf__base_btf(const struct btf *btf);
/** @brief The type with id @p id, or NULL with errno=EINVAL when out of range. */
LIBBPF_API const struct btf_type *btf__type_by_id(const struct btf *btf, __u32 id);
/** @brief Pointer size of the BTF's target (guessed from "long"), or 0. */
LIBBPF_API size_t btf__pointer_size(const struct btf *btf);
/** @brief Overrides the pointer size (4 or 8). @return 0 or -EINVAL. */
LIBBPF_API int btf__set_pointer_size(struct btf *btf, size_t ptr_sz);
/** @brief Byte order the BTF was parsed from (or will be written in). */
LIBBPF_API enum btf_endianness btf__endianness(const struct btf *btf);
/** @brief Sets the byte order btf__raw_data() produces. @return 0 or -EINVAL. */
LIBBPF_API int btf__set_endianness(struct btf *btf, enum btf_endianness endian);
/** @brief Size in bytes of type @p type_id, through typedefs/modifiers/arrays. */
LIBBPF_API __s64 btf__resolve_size(const struct btf *btf, __u32 type_id);
/** @brief Id of @p type_id with typedefs, modifiers and var skipped. */
LIBBPF_API int btf__resolve_type(const struct btf *btf, __u32 type_id);
/** @brief Natural alignment of type @p id in bytes, or -errno. */
LIBBPF_API int btf__align_of(const struct btf *btf, __u32 id);
/** @brief Kernel fd of the loaded btf, or -1. */
LIBBPF_API int btf__fd(const struct btf *btf);
/** @brief Sets the kernel fd (the btf takes ownership). */
LIBBPF_API void btf__set_fd(struct btf *btf, int fd);
/**
 * @brief Raw BTF bytes (header, types, strings) in btf__endianness() order;
 * *@p size gets the length. Owned by @p btf, valid until it is modified.
 */
LIBBPF_API const void *btf__raw_data(const struct btf *btf, __u32 *size);
/** @brief String at @p offset (base strings included), or NULL. */
LIBBPF_API const char *btf__name_by_offset(const struct btf *btf, __u32 offset);
/** @brief Same as btf__name_by_offset(). */
LIBBPF_API const char *btf__str_by_offset(const struct btf *btf, __u32 offset);

/* ---- .BTF.ext ---- */

/**
 * @brief Parses a .BTF.ext section (either byte order; converted to host
 * order): func_info, line_info and CO-RE relocation records.
 * @return new btf_ext (caller frees), or NULL with errno set.
 */
LIBBPF_API struct btf_ext *btf_ext__new(const __u8 *data, __u32 size);
/** @brief Frees @p btf_ext (NULL is fine). */
LIBBPF_API void btf_ext__free(struct btf_ext *btf_ext);
/** @brief Raw .BTF.ext bytes in btf_ext__endianness() order (the original
 * one unless changed); owned by @p btf_ext, valid until it changes. */
LIBBPF_API const void *btf_ext__raw_data(const struct btf_ext *btf_ext, __u32 *size);
/** @brief Byte order of btf_ext__raw_data(). */
LIBBPF_API enum btf_endianness btf_ext__endianness(const struct btf_ext *btf_ext);
/** @brief Sets the byte order of btf_ext__raw_data(). @return 0 or -EINVAL. */
LIBBPF_API int btf_ext__set_endianness(struct btf_ext *btf_ext, enum btf_endianness endian);

/* ---- writer ---- */

/** @brief Offset of string @p s in @p btf's own strings, or -ENOENT. */
LIBBPF_API int btf__find_str(struct btf *btf, const char *s);
/** @brief Adds @p s (deduplicated); @return its offset, or -errno. */
LIBBPF_API int btf__add_str(struct btf *btf, const char *s);
/** @brief Copies @p src_type of @p src_btf (strings re-added, type ids kept
 * as they are). @return new type id, or -errno. */
LIBBPF_API int btf__add_type(struct btf *btf, const struct btf *src_btf,
			     const struct btf_type *src_type);
/** @brief Appends all types of @p src_btf, remapping ids and strings.
 * @return id of the first appended type, or -errno. */
LIBBPF_API int btf__add_btf(struct btf *btf, const struct btf *src_btf);

/* Each btf__add_<kind>() returns the new type's id, or -errno (errno set). */
LIBBPF_API int btf__add_int(struct btf *btf, const char *name, size_t byte_sz, int encoding);
LIBBPF_API int btf__add_float(struct btf *btf, const char *name, size_t byte_sz);
LIBBPF_API int btf__add_ptr(struct btf *btf, int ref_type_id);
LIBBPF_API int btf__add_array(struct btf *btf,
			      int index_type_id, int elem_type_id, __u32 nr_elems);
/* struct/union: add the type, then its fields in order with btf__add_field()
 * (bit_size 0 for a non-bitfield). */
LIBBPF_API int btf__add_struct(struct btf *btf, const char *name, __u32 sz);
LIBBPF_API int btf__add_union(struct btf *btf, const char *name, __u32 sz);
/** @return 0 or -errno; applies to the last added struct/union. */
LIBBPF_API int btf__add_field(struct btf *btf, const char *name, int field_type_id,
			      __u32 bit_offset, __u32 bit_size);

LIBBPF_API int btf__add_enum(struct btf *btf, const char *name, __u32 bytes_sz);
/** @return 0 or -errno; applies to the last added enum. */
LIBBPF_API int btf__add_enum_value(struct btf *btf, const char *name, __s64 value);
LIBBPF_API int btf__add_enum64(struct btf *btf, const char *name, __u32 bytes_sz, bool is_signed);
/** @return 0 or -errno; applies to the last added enum64. */
LIBBPF_API int btf__add_enum64_value(struct btf *btf, const char *name, __u64 value);

enum btf_fwd_kind {
	BTF_FWD_STRUCT = 0,
	BTF_FWD_UNION = 1,
	BTF_FWD_ENUM = 2,
};

LIBBPF_API int btf__add_fwd(struct btf *btf, const char *name, enum btf_fwd_kind fwd_kind);
LIBBPF_API int btf__add_typedef(struct btf *btf, const char *name, int ref_type_id);
LIBBPF_API int btf__add_volatile(struct btf *btf, int ref_type_id);
LIBBPF_API int btf__add_const(struct btf *btf, int ref_type_id);
LIBBPF_API int btf__add_restrict(struct btf *btf, int ref_type_id);
LIBBPF_API int btf__add_type_tag(struct btf *btf, const char *value, int ref_type_id);

LIBBPF_API int btf__add_func(struct btf *btf, const char *name,
			     enum btf_func_linkage linkage, int proto_type_id);
LIBBPF_API int btf__add_func_proto(struct btf *btf, int ret_type_id);
/** @return 0 or -errno; applies to the last added func_proto. */
LIBBPF_API int btf__add_func_param(struct btf *btf, const char *name, int type_id);

LIBBPF_API int btf__add_var(struct btf *btf, const char *name, int linkage, int type_id);
LIBBPF_API int btf__add_datasec(struct btf *btf, const char *name, __u32 byte_sz);
/** @return 0 or -errno; applies to the last added datasec. */
LIBBPF_API int btf__add_datasec_var_info(struct btf *btf, int var_type_id,
					 __u32 offset, __u32 byte_sz);

/** @brief Tag @p value on @p ref_type_id (@p component_idx -1 for the type
 * itself, else member/param index). */
LIBBPF_API int btf__add_decl_tag(struct btf *btf, const char *value, int ref_type_id,
				 int component_idx);
/** @brief Like btf__add_decl_tag() but @p value is a whole attribute
 * (kflag set: printed as __attribute__((value))). */
LIBBPF_API int btf__add_decl_attr(struct btf *btf, const char *value, int ref_type_id,
				  int component_idx);
/** @brief Like btf__add_type_tag() but @p value is a whole attribute. */
LIBBPF_API int btf__add_type_attr(struct btf *btf, const char *value, int ref_type_id);

struct btf_dedup_opts {
	size_t sz;
	/* .BTF.ext whose type ids follow the merge (optional) */
	struct btf_ext *btf_ext;
	/* accepted for compatibility; evbpf compares full contents anyway */
	bool force_collisions;
	size_t :0;
};
#define btf_dedup_opts__last_field force_collisions

/**
 * @brief Merges structurally identical types of @p btf (cycles included)
 * and resolves forward declarations to the one struct/union of their name.
 * Each set of equal types keeps its lowest id; ids of later types shift
 * down, and opts->btf_ext (if any) is remapped along. For split BTF only
 * its own types are merged. Strings are not compacted.
 * @return 0, or -errno (errno set); @p btf is unchanged on error.
 */
LIBBPF_API int btf__dedup(struct btf *btf, const struct btf_dedup_opts *opts);

/* ---- C output ---- */

struct btf_dump;

struct btf_dump_opts {
	size_t sz;
};
#define btf_dump_opts__last_field sz

typedef void (*btf_dump_printf_fn_t)(void *ctx, const char *fmt, va_list args);

/**
 * @brief New C printer for @p btf (which must outlive it); all output goes
 * through @p printf_fn with @p ctx.
 * @return new btf_dump (free with btf_dump__free()), or NULL with errno set.
 */
LIBBPF_API struct btf_dump *btf_dump__new(const struct btf *btf,
					  btf_dump_printf_fn_t printf_fn,
					  void *ctx,
					  const struct btf_dump_opts *opts);

/** @brief Frees @p d (NULL is fine). */
LIBBPF_API void btf_dump__free(struct btf_dump *d);

/**
 * @brief Emits C definitions of type @p id and of every type it needs that
 * was not emitted by an earlier call on @p d (dependencies first, forward
 * declarations where a cycle needs them). Calling it for every id emits a
 * complete, compilable header.
 * @return 0 or -errno.
 */
LIBBPF_API int btf_dump__dump_type(struct btf_dump *d, __u32 id);

struct btf_dump_emit_type_decl_opts {
	/* size of this struct, for forward/backward compatibility */
	size_t sz;
	/* optional declarator name: "int (*<field_name>)(void)" */
	const char *field_name;
	/* extra tabs for the second and later lines of multi-line types */
	int indent_level;
	/* drop const/volatile/restrict */
	bool strip_mods;
	size_t :0;
};
#define btf_dump_emit_type_decl_opts__last_field strip_mods

/** @brief Emits a C declaration (no trailing ';') of type @p id. @return 0 or -errno. */
LIBBPF_API int
btf_dump__emit_type_decl(struct btf_dump *d, __u32 id,
			 const struct btf_dump_emit_type_decl_opts *opts);

struct btf_dump_type_data_opts {
	/* size of this struct, for forward/backward compatibility */
	size_t sz;
	const char *indent_str;
	int indent_level;
	bool compact;		/* no newlines/indentation */
	bool skip_names;	/* skip member/type names */
	bool emit_zeroes;	/* show 0-valued fields */
	bool emit_strings;	/* print char arrays as strings */
	size_t :0;
};
#define btf_dump_type_data_opts__last_field emit_strings

/**
 * @brief Prints the value at @p data (@p data_sz bytes) as a C initialiser
 * of type @p id, e.g. "(struct s){.a = (int)1,}". A char array prints as
 * a string literal only when emit_strings is set (and its bytes hold a
 * printable NUL-terminated string); otherwise, and for callers whose
 * opts predate the field, as an array of chars.
 * @return bytes of @p data consumed, or -errno (-E2BIG when data_sz is short).
 */
LIBBPF_API int
btf_dump__dump_type_data(struct btf_dump *d, __u32 id,
			 const void *data, size_t data_sz,
			 const struct btf_dump_type_data_opts *opts);

/* ---- inline accessors ---- */

/* Older UAPI headers lack the newer kinds; the values are ABI. */
#ifndef BTF_KIND_FUNC
#define BTF_KIND_FUNC		12
#define BTF_KIND_FUNC_PROTO	13
#endif
#ifndef BTF_KIND_VAR
#define BTF_KIND_VAR		14
#define BTF_KIND_DATASEC	15
#endif
#ifndef BTF_KIND_FLOAT
#define BTF_KIND_FLOAT		16
#endif
/* Newer UAPI headers declare these as enumerators only. */
#define BTF_KIND_DECL_TAG	17
#define BTF_KIND_TYPE_TAG	18
#define BTF_KIND_ENUM64		19

static inline __u16 btf_kind(const struct btf_type *t)
{
	return BTF_INFO_KIND(t->info);
}

static inline __u32 btf_vlen(const struct btf_type *t)
{
	return BTF_INFO_VLEN(t->info);
}

static inline bool btf_kflag(const struct btf_type *t)
{
	return BTF_INFO_KFLAG(t->info);
}

static inline bool btf_is_void(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_UNKN;
}

static inline bool btf_is_int(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_INT;
}

static inline bool btf_is_ptr(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_PTR;
}

static inline bool btf_is_array(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ARRAY;
}

static inline bool btf_is_struct(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_STRUCT;
}

static inline bool btf_is_union(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_UNION;
}

static inline bool btf_is_composite(const struct btf_type *t)
{
	return btf_is_struct(t) || btf_is_union(t);
}

static inline bool btf_is_enum(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ENUM;
}

static inline bool btf_is_enum64(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ENUM64;
}

static inline bool btf_is_fwd(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FWD;
}

static inline bool btf_is_typedef(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_TYPEDEF;
}

static inline bool btf_is_volatile(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_VOLATILE;
}

static inline bool btf_is_const(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_CONST;
}

static inline bool btf_is_restrict(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_RESTRICT;
}

/* const, volatile, restrict and type tags. */
static inline bool btf_is_mod(const struct btf_type *t)
{
	__u16 k = btf_kind(t);

	return k == BTF_KIND_VOLATILE || k == BTF_KIND_CONST ||
	       k == BTF_KIND_RESTRICT || k == BTF_KIND_TYPE_TAG;
}

static inline bool btf_is_func(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FUNC;
}

static inline bool btf_is_func_proto(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FUNC_PROTO;
}

static inline bool btf_is_var(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_VAR;
}

static inline bool btf_is_datasec(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_DATASEC;
}

static inline bool btf_is_float(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FLOAT;
}

static inline bool btf_is_decl_tag(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_DECL_TAG;
}

static inline bool btf_is_type_tag(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_TYPE_TAG;
}

static inline bool btf_is_any_enum(const struct btf_type *t)
{
	return btf_is_enum(t) || btf_is_enum64(t);
}

/* Same kind, or both enums of either width: CO-RE treats those as one. */
static inline bool btf_kind_core_compat(const struct btf_type *t1,
					const struct btf_type *t2)
{
	return btf_kind(t1) == btf_kind(t2) ||
	       (btf_is_any_enum(t1) && btf_is_any_enum(t2));
}

static inline __u8 btf_int_encoding(const struct btf_type *t)
{
	return BTF_INT_ENCODING(*(const __u32 *)(t + 1));
}

static inline __u8 btf_int_offset(const struct btf_type *t)
{
	return BTF_INT_OFFSET(*(const __u32 *)(t + 1));
}

static inline __u8 btf_int_bits(const struct btf_type *t)
{
	return BTF_INT_BITS(*(const __u32 *)(t + 1));
}

static inline struct btf_array *btf_array(const struct btf_type *t)
{
	return (struct btf_array *)(t + 1);
}

static inline struct btf_enum *btf_enum(const struct btf_type *t)
{
	return (struct btf_enum *)(t + 1);
}

/* Layout: { __u32 name_off; __u32 val_lo32; __u32 val_hi32; }. Declared
 * opaquely so that pre-6.0 UAPI headers still work. */
struct btf_enum64;

static inline struct btf_enum64 *btf_enum64(const struct btf_type *t)
{
	return (struct btf_enum64 *)(t + 1);
}

static inline __u64 btf_enum64_value(const struct btf_enum64 *e)
{
	const __u32 *w = (const __u32 *)e;

	return ((__u64)w[2] << 32) | w[1];
}

static inline struct btf_member *btf_members(const struct btf_type *t)
{
	return (struct btf_member *)(t + 1);
}

/* Bit offset of member @member_idx of struct/union @t. */
static inline __u32 btf_member_bit_offset(const struct btf_type *t,
					  __u32 member_idx)
{
	const struct btf_member *m = btf_members(t) + member_idx;

	return btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

/* Bitfield size of member @member_idx, 0 when it is not a bitfield (or when
 * the struct predates kflag encoding: then the INT type carries it). */
static inline __u32 btf_member_bitfield_size(const struct btf_type *t,
					     __u32 member_idx)
{
	const struct btf_member *m = btf_members(t) + member_idx;

	return btf_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
}

static inline struct btf_param *btf_params(const struct btf_type *t)
{
	return (struct btf_param *)(t + 1);
}

static inline struct btf_var *btf_var(const struct btf_type *t)
{
	return (struct btf_var *)(t + 1);
}

static inline struct btf_var_secinfo *
btf_var_secinfos(const struct btf_type *t)
{
	return (struct btf_var_secinfo *)(t + 1);
}

struct btf_decl_tag;

static inline struct btf_decl_tag *btf_decl_tag(const struct btf_type *t)
{
	return (struct btf_decl_tag *)(t + 1);
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBBPF_BTF_H */
