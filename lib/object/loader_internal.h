/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The loader's model behind <bpf/libbpf_object.h>: the layouts of struct
 * bpf_object, bpf_program and bpf_map, and the steps of open, prepare and
 * load that object.c runs in order. Private to lib/object/; other layers
 * use object_internal.h. Never installed.
 */
#ifndef EVBPF_LIB_OBJECT_LOADER_INTERNAL_H
#define EVBPF_LIB_OBJECT_LOADER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

#include "bpf/libbpf.h"
#include "base/base_internal.h"
#include "object_internal.h"

struct btf;
struct btf_ext;
struct evbpf__core;
struct evbpf__ext;
struct evbpf__gen;
typedef struct Elf Elf;

/* ---- SEC() definitions (sec_def.c) ---- */

enum evbpf__sec_flags {
	EVBPF_SEC_EXP_ATTACH_OPT = 1 << 0, /* expected_attach_type is optional */
	EVBPF_SEC_ATTACHABLE = 1 << 1,	/* has a BPF_PROG_ATTACH attach type */
	EVBPF_SEC_ATTACH_BTF = 1 << 2,	/* attach_btf_id from the section name */
	EVBPF_SEC_SLEEPABLE = 1 << 3,	/* BPF_F_SLEEPABLE */
	EVBPF_SEC_XDP_FRAGS = 1 << 4,	/* BPF_F_XDP_HAS_FRAGS */
	EVBPF_SEC_USDT = 1 << 5,
	EVBPF_SEC_CUSTOM = 1 << 6,	/* registered by libbpf_register_prog_handler */
};

struct evbpf__sec_def {
	const char *sec;		/* "xdp", "kprobe/", "cgroup_skb+"... */
	enum bpf_prog_type prog_type;
	enum bpf_attach_type attach_type;
	unsigned int flags;		/* enum evbpf__sec_flags */
	/* custom handlers only */
	long cookie;
	libbpf_prog_setup_fn_t setup_fn;
	libbpf_prog_prepare_load_fn_t prepare_fn;
	libbpf_prog_attach_fn_t attach_fn;
	int handler_id;
};

/* The definition matching section name @sec_name, or NULL. Custom handlers
 * first, then the built-in table, then the catch-all custom handler. The
 * result points into a table that unregistering may change: copy it. */
const struct evbpf__sec_def *evbpf__find_sec_def(const char *sec_name);

/* ---- sections and symbols seen at open ---- */

enum evbpf__sec_kind {
	EVBPF_SEC_OTHER,
	EVBPF_SEC_PROG,		/* executable code (incl. .text) */
	EVBPF_SEC_DATA,		/* .data, .data.* */
	EVBPF_SEC_RODATA,	/* .rodata, .rodata.* */
	EVBPF_SEC_BSS,		/* .bss, .bss.* */
	EVBPF_SEC_MAPS,		/* .maps: BTF-defined maps */
	EVBPF_SEC_LEGACY_MAPS,	/* maps: struct bpf_map_def */
	EVBPF_SEC_STRUCT_OPS,	/* .struct_ops, .struct_ops.link */
};

/* One relocation record of a code or .maps section. */
struct evbpf__rel {
	__u32 off;		/* byte offset in the section */
	__u32 sym;		/* symbol index */
	__u32 type;		/* R_BPF_* */
};

struct evbpf__sec {
	const char *name;	/* borrowed from the ELF string table */
	size_t idx;		/* ELF section index */
	enum evbpf__sec_kind kind;
	const void *data;	/* borrowed; NULL for NOBITS */
	size_t size;
	struct evbpf__rel *rels;	/* sorted by off */
	size_t nr_rels;
	/* code sections: a private copy that CO-RE patches in place */
	struct bpf_insn *insns;
	size_t insn_cnt;
	bool *core_done;	/* per insn: CO-RE already applied */
	int map_idx;		/* global data sections: the map, else -1 */
};

struct evbpf__sym {
	const char *name;
	__u64 value;
	__u64 size;
	__u16 shndx;
	unsigned char type;	/* STT_* */
	unsigned char bind;	/* STB_* */
	unsigned char vis;	/* STV_* */
};

/* ---- programs ---- */

/* A piece of code copied into a program's final image. */
struct evbpf__piece {
	int fn;			/* index into obj->funcs */
	__u32 off;		/* insn offset in the final image */
};

/* An ld_imm64 (insn index of a final image) that loads map @map's fd. */
struct evbpf__map_ref {
	__u32 insn;
	__u32 map;
};

/* A function symbol of a code section: a program or a subprogram. */
struct evbpf__func {
	const char *name;
	int sym;		/* index into obj->syms */
	int sec;		/* index into obj->secs */
	__u32 sec_off;		/* insn offset in the section */
	__u32 cnt;		/* insns */
	int prog;		/* program index, -1 for a subprogram */
};

struct bpf_program {
	struct bpf_object *obj;
	char *name;
	char *sec_name;
	int fn;			/* its evbpf__func */
	struct evbpf__sec_def def;	/* copy of the matching definition */
	bool has_def;

	enum bpf_prog_type type;
	enum bpf_attach_type expected_attach_type;
	__u32 prog_flags;
	__u32 ifindex;
	bool autoload;
	bool autoattach;

	/* attach target */
	char *attach_name;	/* from section or set_attach_target */
	int attach_prog_fd;
	__u32 attach_btf_id;
	__u32 attach_btf_obj_fd_id;	/* kernel BTF object id (modules) */

	/* the current image: from the section at open, linked at prepare */
	struct bpf_insn *insns;
	size_t insn_cnt;
	bool user_insns;	/* set with bpf_program__set_insns() */
	struct evbpf__piece *pieces;	/* after linking */
	size_t nr_pieces;
	void *func_info;
	__u32 func_info_cnt, func_info_rec_size;
	void *line_info;
	__u32 line_info_cnt, line_info_rec_size;
	int *fd_array;		/* module BTF fds of kfunc calls; [0] unused */
	size_t fd_array_cnt, fd_array_cap;
	/* ld_imm64 of the final image that refer to maps created only after
	 * relocation (exclusive maps): insn index and map index */
	struct evbpf__map_ref *late_refs;
	size_t nr_late_refs, late_refs_cap;

	/* log */
	char *log_buf;		/* the user's */
	size_t log_size;
	__u32 log_level;

	int fd;
};

/* ---- maps ---- */

enum evbpf__map_kind {
	EVBPF_MAP_USER,		/* .maps or legacy maps */
	EVBPF_MAP_DATA,
	EVBPF_MAP_RODATA,
	EVBPF_MAP_BSS,
	EVBPF_MAP_KCONFIG,
};

struct bpf_map {
	struct bpf_object *obj;
	char *name;		/* the kernel-visible name */
	char *real_name;	/* ".data.foo" for global data, else NULL */
	enum evbpf__map_kind kind;
	int sec;		/* defining section, -1 for .kconfig */
	__u64 sec_off;		/* offset of the definition in .maps / maps */
	int sym;		/* defining symbol, -1 for global data */

	enum bpf_map_type type;
	__u32 key_size, value_size, max_entries, map_flags, numa_node, ifindex;
	__u64 map_extra;
	__u32 btf_key_type_id, btf_value_type_id;
	__u32 btf_vmlinux_value_type_id;
	unsigned int pinning;
	char *pin_path;
	bool pinned;
	bool autocreate;
	/* struct_ops: the skeleton attaches it (bpf_map__set_autoattach) */
	bool autoattach;
	bool reused;
	/* the only program the kernel lets use the map (created after
	 * relocation, with the SHA-256 of that program's final image) */
	struct bpf_program *excl_prog;
	__u8 excl_hash[32];

	/* map-in-map: template of the inner map (owned), and slot inits */
	struct bpf_map *inner;
	int inner_map_fd;	/* set_inner_map_fd (owned dup) */
	int values_off;		/* offset of `values` in the definition, -1 */
	int *init_slots;	/* map index or program index per slot, -1 none */
	size_t nr_init_slots, init_slots_cap;
	bool init_slots_progs;

	/* struct_ops: the variable as compiled (local layout), the programs
	 * of its function pointer members, the value for the kernel */
	__u32 st_type_id;	/* local struct type */
	void *st_data;
	size_t st_size;
	int *st_progs;		/* per local member: program index or -1 */
	__u32 st_kern_type_id;	/* kernel struct (e.g. tcp_congestion_ops) */
	void *st_kern_value;	/* bpf_struct_ops_<name>, value_size bytes */
	__u32 st_kern_data_off;	/* offset of the struct in that value */

	/* global data: the initial image (value_size bytes) */
	void *image;
	void *mmaped;		/* after creation, when mmapable */
	size_t mmap_sz;

	int fd;
};

/* ---- the object ---- */

struct bpf_object {
	char *name;
	char *path;		/* NULL for memory */
	void *elf_buf;		/* owned copy of the file */
	size_t elf_size;
	Elf *elf;

	struct evbpf__sec *secs;
	size_t nr_secs, secs_cap;
	struct evbpf__sym *syms;
	size_t nr_syms;
	int text_sec;		/* index into secs of .text, or -1 */
	int maps_sec, legacy_maps_sec;

	struct evbpf__func *funcs;
	size_t nr_funcs;
	struct bpf_program *progs;
	size_t nr_progs;
	struct bpf_map *maps;
	size_t nr_maps, maps_cap;

	char license[64];
	__u32 kern_version;

	struct btf *btf;	/* NULL when the object has none */
	struct btf_ext *btf_ext;
	bool btf_loaded;

	/* externs */
	struct evbpf__ext *exts;
	size_t nr_exts;
	size_t kcfg_sz;
	int kcfg_map;		/* index, -1 */

	struct evbpf__core *core;

	/* open options */
	bool relaxed_maps;
	char *pin_root_path;
	char *kconfig;
	char *btf_custom_path;
	char *log_buf;
	size_t log_size;
	__u32 log_level;
	/* bpffs path of the BPF token; NULL: try the default quietly */
	char *token_path;

	/* the token (-1: none) and the feature cache probed through it */
	int token_fd;
	struct evbpf__feat_cache *feat_cache;

	/* bpf_object__gen_loader(): load writes a loader instead */
	struct evbpf__gen *gen;

	bool prepared;
	bool loaded;
	bool failed;		/* a load failed: only close is left */
};

/* ---- steps, one file each (object.c runs them in order) ---- */

/* elf_parse.c: the first step of open, pure parsing of the owned buffer
 * into sections, symbols, functions, relocation records, .BTF, .BTF.ext. */
int evbpf__elf_parse(struct bpf_object *obj);
void evbpf__elf_free(struct bpf_object *obj);
/* Index into obj->secs of ELF section @shndx, or -1. */
int evbpf__sec_by_shndx(const struct bpf_object *obj, size_t shndx);
/* Index into obj->funcs of the function holding insn @off of section
 * @sec, or -1. */
int evbpf__func_at(const struct bpf_object *obj, int sec, long off);

/* maps.c */
int evbpf__maps_collect(struct bpf_object *obj);
/* Appends a map with every field at its default (fds -1, no section or
 * symbol, autocreate on); NULL when out of memory. Earlier bpf_map
 * pointers may move. */
struct bpf_map *evbpf__map_add(struct bpf_object *obj);
/* Creates every map to create except exclusive ones, which wait for the
 * final image of their program: evbpf__maps_create_exclusive() after
 * relocation creates them and patches their fd into the late references. */
int evbpf__maps_create(struct bpf_object *obj);
int evbpf__maps_create_exclusive(struct bpf_object *obj);
/* What creation derives from @map's definition: a perf event array's size
 * (one slot per possible CPU) and entry sizes, no BTF type ids for map
 * types that take none. */
int evbpf__map_create_defaults(struct bpf_map *map);
/* The digest the kernel computes of @insns (SHA-256 with the fd and value
 * offset of map references zeroed): what an exclusive map must carry. */
int evbpf__prog_digest(const struct bpf_insn *insns, size_t cnt, __u8 out[32]);
int evbpf__maps_init_slots(struct bpf_object *obj, bool progs);
void evbpf__map_free(struct bpf_map *map);
/* Bytes an mmapable array map of @map's shape maps (page multiple). */
size_t evbpf__map_mmap_size(const struct bpf_map *map);
/* @size rounded up to a power-of-2 multiple of the page size. */
__u32 evbpf__ringbuf_size(__u32 size);
void evbpf__map_unload(struct bpf_map *map);
/* Internal map name of a global data section like libbpf: object name
 * prefix truncated so that the suffix fits BPF_OBJ_NAME_LEN. */
void evbpf__internal_map_name(const char *obj_name, const char *sec_name,
			      char *buf, size_t size);
/* Appends to @obj the mmapable one-entry array map of @kind (data, rodata,
 * bss or kconfig) that backs section @sec_name, with a zeroed image of
 * @value_size bytes; NULL when out of memory. Earlier bpf_map pointers may
 * move. */
struct bpf_map *evbpf__add_internal_map(struct bpf_object *obj,
					const char *sec_name,
					enum evbpf__map_kind kind,
					__u32 value_size);

/* program.c: programs (functions that are not subprograms) at open, the
 * custom handlers' setup callbacks, one program's load. */
int evbpf__progs_collect(struct bpf_object *obj);
int evbpf__progs_setup(struct bpf_object *obj);
int evbpf__prog_load(struct bpf_object *obj, struct bpf_program *prog);
void evbpf__prog_free(struct bpf_program *prog);
/* "kernel refused a trampoline program ..." when @prog is one of those. */
bool evbpf__prog_is_trampoline(const struct bpf_program *prog);
int evbpf__prog_resolve_attach_btf(struct bpf_object *obj, struct bpf_program *prog);

/* reloc.c: links every program to load (subprograms appended, maps, data,
 * calls, externs patched, CO-RE applied first). */
int evbpf__relocate(struct bpf_object *obj);
/* The section and byte offset of insn @idx of @prog's final image. */
bool evbpf__prog_insn_origin(const struct bpf_program *prog, size_t idx,
			     const char **sec_name, __u32 *sec_off);

/* object_externs.c: .kconfig/.ksyms externs (externs_internal.h does the
 * resolving): collected at open, resolved at prepare, patched in reloc. */
int evbpf__obj_externs_collect(struct bpf_object *obj);
int evbpf__obj_externs_resolve(struct bpf_object *obj);
int evbpf__extern_patch(struct bpf_object *obj, struct bpf_program *prog,
			struct bpf_insn *insn, const struct evbpf__sym *sym);

/* struct_ops.c: maps of .struct_ops sections (open), kernel types and
 * program attach ids (prepare), program fds into the kernel value (load). */
int evbpf__struct_ops_collect(struct bpf_object *obj);
int evbpf__struct_ops_prepare(struct bpf_object *obj);
int evbpf__struct_ops_fill_progs(struct bpf_object *obj);

/* btf_fixup.c: DATASEC sizes, variable offsets and hidden functions'
 * linkage filled in obj->btf at open. */
int evbpf__btf_fixup(struct bpf_object *obj);
/* btf_sanitize.c: at prepare, a copy of obj->btf with what the kernel lacks
 * rewritten is loaded; obj->btf gets its fd. */
int evbpf__btf_load_sanitized(struct bpf_object *obj);

#endif /* EVBPF_LIB_OBJECT_LOADER_INTERNAL_H */
