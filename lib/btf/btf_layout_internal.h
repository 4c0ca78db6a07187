/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The layout of struct btf, private to lib/btf/. Everyone else goes
 * through include/bpf/btf.h and btf_internal.h.
 */
#ifndef EVBPF_LIB_BTF_PRIV_H
#define EVBPF_LIB_BTF_PRIV_H

#include "btf_internal.h"
#include "base/base_internal.h"

/* Deepest chain of typedefs/modifiers/arrays followed when resolving. */
#define EVBPF_BTF_MAX_RESOLVE_DEPTH 32
/* Largest string offset BTF can encode in a name_off. */
#define EVBPF_BTF_MAX_STR_OFF 0x7fffffffu
/* Largest type id (and count) the kernel accepts. */
#define EVBPF_BTF_MAX_TYPE 0x000fffffu

struct btf {
	/* Own types, host byte order, back to back. */
	char *types;
	size_t types_len, types_cap;
	/* offs[i]: offset in types of type id start_id + i. */
	__u32 *offs;
	__u32 nr_types, offs_cap;
	/* Own strings; offset start_str_off + k is strs[k]. */
	char *strs;
	size_t strs_len, strs_cap;

	struct btf *base;
	__u32 start_id;
	__u32 start_str_off;

	bool big_endian;	/* byte order of btf__raw_data() */
	size_t ptr_sz;		/* 0: not yet guessed */
	int fd;

	/* btf__raw_data() cache, freed on any modification. */
	void *raw;
	__u32 raw_size;

	/* Name index (open addressing, linear probing, ids in insertion
	 * order along each probe run): built on first lookup. */
	__u32 *name_idx;
	__u32 name_idx_cap;	/* power of two, 0 when not built */
	__u32 name_idx_cnt;

	/* String dedup index for the writer: offsets into strs + 1, 0 empty. */
	__u32 *str_idx;
	__u32 str_idx_cap;
	__u32 str_idx_cnt;

	/* Writer state: last struct/enum/proto/datasec id to which
	 * btf__add_field() etc. append, 0 when none. */
	__u32 last_container;
};

/* FNV-1a hash of NUL-terminated @s, for the name and string indexes. */
static inline __u32 evbpf__btf_hash(const char *s)
{
	__u32 h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Type record by id (0 gives a static void type); NULL when out of range. */
const struct btf_type *evbpf__btf_type(const struct btf *btf, __u32 id);

/* Own (mutable) type record by id; NULL when not owned by @btf. */
struct btf_type *evbpf__btf_own_type(struct btf *btf, __u32 id);

/* Drops caches derived from the contents (raw data); keeps the indexes. */
void evbpf__btf_invalidate(struct btf *btf);

/* Adds id (a just-appended own type) to the name index if it is built. */
int evbpf__btf_index_type(struct btf *btf, __u32 id);

/* Total string bytes, base included. */
static inline __u32 evbpf__btf_strs_end(const struct btf *btf)
{
	return btf->start_str_off + (__u32)btf->strs_len;
}


/* Byte-swaps every 32-bit word of the type records in @data (@len bytes);
 * @to_host says whether headers are read before (true) or after swapping. */
int evbpf__btf_swap_types(void *data, size_t len, bool to_host);

/* Allocates an empty btf with the given base (may be NULL). */
struct btf *evbpf__btf_alloc(struct btf *base);

/*
 * Appends to @dst a copy of type @id of @src, its strings re-added to @dst
 * and every type id X it refers to replaced by @map[X] (@map covers all ids
 * of @src, base included). Returns the new id or -errno.
 */
int evbpf__btf_copy_type_mapped(struct btf *dst, const struct btf *src, __u32 id,
				const __u32 *map);

/* Replaces @btf's own types by the @n records of @types (@len bytes,
 * record k at @offs[k]; both no larger than what @btf holds now) and drops
 * the caches and the name index that depended on them. */
void evbpf__btf_set_types(struct btf *btf, const char *types, size_t len,
			  const __u32 *offs, __u32 n);

/* Moves the contents of @src (types, strings, base) into @dst, frees what
 * @dst held and then @src itself; @dst keeps its address. */
void evbpf__btf_replace(struct btf *dst, struct btf *src);


#endif /* EVBPF_LIB_BTF_PRIV_H */
