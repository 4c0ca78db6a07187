/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internal BTF interface shared by btf*.c, the loader (BTF sanitising and
 * loading, func/line info) and CO-RE (relocation records, candidate lookup).
 * Never installed.
 */
#ifndef EVBPF_LIB_BTF_INTERNAL_H
#define EVBPF_LIB_BTF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

#include "bpf/btf.h"

/* ---- encoders ---- */

/* The info word of a type, the kflag member offset, an INT's encoding. */
#define EVBPF_BTF_INFO(kind, kflag, vlen) \
	(((__u32)!!(kflag) << 31) | ((__u32)(kind) << 24) | ((__u32)(vlen) & 0xffff))
#define EVBPF_BTF_MEMBER_OFF(bitfield_size, bit_off) \
	(((__u32)(bitfield_size) << 24) | (bit_off))
#define EVBPF_BTF_INT(encoding, bits_offset, nr_bits) \
	((__u32)(encoding) << 24 | (__u32)(bits_offset) << 16 | (__u32)(nr_bits))

/* ---- .BTF.ext ---- */

enum evbpf__btf_ext_kind {
	EVBPF_BTF_EXT_FUNC_INFO,	/* struct bpf_func_info records */
	EVBPF_BTF_EXT_LINE_INFO,	/* struct bpf_line_info records */
	EVBPF_BTF_EXT_CORE_RELO,	/* struct bpf_core_relo records */
	__EVBPF_BTF_EXT_KIND_CNT,
};

/*
 * The records of one ELF section for one kind. Records are rec_size bytes
 * each (as in the file, >= the struct this library knows; extra trailing
 * bytes are kept), already in host byte order. insn_off is a BYTE offset
 * into the section, as written by the compiler.
 */
struct evbpf__btf_ext_sec {
	__u32 sec_name_off;		/* offset into the .BTF string table */
	__u32 num_info;			/* number of records */
	const void *data;		/* num_info * rec_size bytes */
};

struct evbpf__btf_ext_info {
	__u32 rec_size;			/* 0 when the kind is absent */
	__u32 sec_cnt;
	const struct evbpf__btf_ext_sec *secs;
};

/* All sections of one kind of @ext (never NULL; sec_cnt 0 when absent). */
const struct evbpf__btf_ext_info *
evbpf__btf_ext_info(const struct btf_ext *ext, enum evbpf__btf_ext_kind kind);

/*
 * The records of @kind for ELF section @sec_name, resolving section names
 * through @btf's strings. NULL (no errno) when there are none.
 */
const struct evbpf__btf_ext_sec *
evbpf__btf_ext_find_sec(const struct btf_ext *ext, const struct btf *btf,
			enum evbpf__btf_ext_kind kind, const char *sec_name);

/* Record @i of @sec (with @info's rec_size). */
static inline const void *
evbpf__btf_ext_rec(const struct evbpf__btf_ext_info *info,
		   const struct evbpf__btf_ext_sec *sec, __u32 i)
{
	return (const char *)sec->data + (size_t)i * info->rec_size;
}

/*
 * Cross-checks @ext against @btf: section names, func_info type ids (must be
 * FUNC), line_info file/line string offsets, core_relo type ids, access
 * strings and kinds. -EINVAL with one log line naming @obj_name, the kind,
 * section and record index on the first bad record.
 */
int evbpf__btf_ext_validate(const struct btf_ext *ext, const struct btf *btf,
			    const char *obj_name);

/* Rewrites every type id of @ext's func_info and core_relo records through
 * @map (btf__dedup() uses it); btf_ext__raw_data() follows. */
int evbpf__btf_ext_remap_types(struct btf_ext *ext, __u32 (*map)(__u32 id, void *ctx),
			       void *ctx);

/* ---- struct btf internals usable by the loader ---- */

/*
 * btf__new_split() with @what (object or file name) in the single log line
 * a malformed blob gets: "BTF <what>: type [N] ...". @base may be NULL.
 */
struct btf *evbpf__btf_parse_data(const void *data, __u32 size,
				  struct btf *base, const char *what);

/* First type id owned by @btf (1 for non-split BTF). */
__u32 evbpf__btf_start_id(const struct btf *btf);

/* Sorts the variables of DATASEC @t by offset, as the kernel wants them. */
void evbpf__btf_datasec_sort(struct btf_type *t);

/*
 * Mutable access to a type for in-place sanitising (the loader rewrites
 * kinds the kernel lacks). NULL for ids of the base BTF or out of range.
 * Invalidates the cached raw data and the name index (rebuilt on the next
 * btf__find_by_name*(); fetch all records first, then look names up).
 */
struct btf_type *evbpf__btf_type_mut(struct btf *btf, __u32 id);

/* The @i-th type-id field of record @t (counting from 0), or NULL past the
 * last; the order is fixed (e.g. a FUNC_PROTO's return type first). */
__u32 *evbpf__btf_type_id_ref(struct btf_type *t, __u32 i);

/* Copies string *@off of @src into @dst (deduplicated) and stores its
 * offset there in *@off. 0 or -errno. */
int evbpf__btf_copy_str(struct btf *dst, const struct btf *src, __u32 *off);

/* Byte size of type record @t (header plus kind-specific trailer). */
size_t evbpf__btf_type_size(const struct btf_type *t);

/* Follows modifiers and typedefs from @id; returns the type reached (NULL
 * for an id out of range) and, when @res_id is not NULL, stores its id
 * (the last id tried, also when NULL is returned). */
const struct btf_type *evbpf__btf_skip_mods(const struct btf *btf, __u32 id,
					    __u32 *res_id);

/*
 * Loads @btf like btf__load_into_kernel() but with the caller's log buffer
 * (may be NULL) and level, through BPF token @token_fd when > 0; on
 * failure the log is left in @log_buf.
 */
int evbpf__btf_load(struct btf *btf, char *log_buf, __u32 log_size, __u32 log_level,
		    int token_fd);

/* ---- process-wide vmlinux BTF (kernel_btf.c) ---- */

/*
 * The running kernel's BTF, parsed once per process on first call (thread
 * safe) with its name index built, then shared read-only by every caller.
 * Lifetime: lives until process exit; callers must NOT free or modify it.
 * Queries (type_by_id, find_by_name*, name_by_offset, resolve_*, align_of,
 * pointer_size) are lock-free and safe from any thread; btf__raw_data() and
 * btf__add_* are not (they write caches). It may be the base of split BTF
 * (module BTF, btf__new_empty_split()): a split btf only reads its base.
 * Returns NULL and sets *err (if non-NULL) to -errno when the kernel has no
 * BTF; the failure is cached too.
 */
const struct btf *evbpf__vmlinux_btf(int *err);

/*
 * Split BTF of kernel module @name on top of evbpf__vmlinux_btf(), parsed
 * once per process and cached the same way (read-only, never freed).
 * NULL with *err = -errno when the module has no BTF.
 */
const struct btf *evbpf__module_btf(const char *name, int *err);

/* ---- the kernel's BTF objects (kernel_btf.c) ---- */

/* One BTF object of the running kernel. */
struct evbpf__kbtf {
	const char *name;		/* "vmlinux" or the module's name */
	__u32 id;			/* kernel BTF object id (0 if unknown) */
	const struct btf *btf;		/* read-only; modules split on vmlinux */
};

/*
 * The running kernel's BTF objects: [0] is vmlinux, then every module
 * with BTF. Enumerated and parsed once per process (thread safe); the
 * array and everything it points to live until process exit and must not
 * be freed. Returns 0, or -errno when the kernel has no BTF.
 */
int evbpf__kbtf_list(const struct evbpf__kbtf **list, size_t *cnt);

/* Opens a new fd of kernel BTF object @id (the caller closes it);
 * -errno on failure. */
int evbpf__kbtf_fd(__u32 id);

/* The running kernel's vmlinux entry only, without enumerating modules
 * (its id is 0; evbpf__kbtf_list() has the real one). */
int evbpf__kbtf_vmlinux(const struct evbpf__kbtf **k);

#endif /* EVBPF_LIB_BTF_INTERNAL_H */
