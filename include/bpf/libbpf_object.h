/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Part of <bpf/libbpf.h>; see the list there.
 *
 * The BPF object model: a struct bpf_object is opened from an ELF file or
 * memory (pure parsing, no kernel), then loaded (maps created, instructions
 * relocated, BTF and programs loaded into the kernel) and finally closed.
 * Programs and maps belong to their object: their pointers stay valid until
 * bpf_object__close() and must not be freed by the caller.
 */
#ifndef __LIBBPF_LIBBPF_OBJECT_H
#define __LIBBPF_LIBBPF_OBJECT_H

#include "libbpf_base.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_insn;
struct bpf_prog_load_opts;

/* pinning attribute values of BTF-defined maps */
enum libbpf_pin_type {
	LIBBPF_PIN_NONE,
	/* pin at <pin_root_path>/<map name>, reuse a compatible pinned map */
	LIBBPF_PIN_BY_NAME,
};

struct bpf_object_open_opts {
	size_t sz;
	/* object name; default: file base name up to the first '.', or
	 * "<buffer address>-<size>" for memory */
	const char *object_name;
	/* tolerate unknown attributes in map definitions */
	bool relaxed_maps;
	/* folder of LIBBPF_PIN_BY_NAME maps; default "/sys/fs/bpf" */
	const char *pin_root_path;
	__u32 :32; /* removed attach_prog_fd */
	/* extra "CONFIG_X=y" lines for .kconfig externs, override the system's */
	const char *kconfig;
	/* BTF file used instead of vmlinux BTF for CO-RE relocations */
	const char *btf_custom_path;
	/* buffer for the kernel's logs (BTF and program loads); a program's
	 * own buffer set with bpf_program__set_log_buf() takes precedence */
	char *kernel_log_buf;
	size_t kernel_log_size;
	/* 0: log only on failure; > 0: request the log from the first attempt */
	__u32 kernel_log_level;
	/* bpffs mount to create a BPF token from, used by every map, BTF and
	 * program load and feature probe of the object. NULL: the
	 * LIBBPF_BPF_TOKEN_PATH environment variable when set, else
	 * "/sys/fs/bpf" if it allows delegation (silently skipped otherwise);
	 * "": no token. A path given here or in the environment must work. */
	const char *bpf_token_path;
	size_t :0;
};
#define bpf_object_open_opts__last_field bpf_token_path

/*
 * Output of loader generation for light skeletons: the loader program's
 * instructions and its data blob, both owned by the object they came from.
 */
struct gen_loader_opts {
	size_t sz;
	const char *data;
	const char *insns;
	__u32 data_sz;
	__u32 insns_sz;
};
#define gen_loader_opts__last_field insns_sz

/**
 * @brief Makes the next bpf_object__load() of @p obj generate a loader
 * instead of loading: that load creates nothing in the kernel and writes
 * into @p opts->insns/insns_sz a BPF_PROG_TYPE_SYSCALL program and into
 * @p opts->data/data_sz its data blob, which bpf_load_and_run()
 * (bpf/skel_internal.h) loads and runs. Run with a struct bpf_loader_ctx
 * followed by one struct bpf_map_desc per map and one struct bpf_prog_desc
 * per program of @p obj (object order) as its context, the loader loads the
 * BTF, creates the maps with their BTF type ids and initial contents
 * (freezing .rodata), loads the programs with their map references,
 * func/line info and verifier log settings, stores the fds into that
 * context and returns 0; on the first failure it closes what it made and
 * returns that step's negative errno. CO-RE relocations, kconfig/ksym
 * externs and attach BTF ids are resolved at generation time against the
 * running kernel's BTF, as a normal load does. Maps in maps, struct_ops,
 * pinned, reused and exclusive maps and module BTF are refused at load.
 * The buffers are the object's: valid until bpf_object__close().
 * @return 0, or a negative errno (errno set); @p opts must live until the
 * load.
 */
LIBBPF_API int bpf_object__gen_loader(struct bpf_object *obj, struct gen_loader_opts *opts);

/**
 * @brief Opens the BPF ELF object at @p path with default options.
 * @return a new object owned by the caller (free with bpf_object__close()),
 * or NULL with errno set.
 */
LIBBPF_API struct bpf_object *bpf_object__open(const char *path);

/**
 * @brief Opens the BPF ELF object at @p path; @p opts may be NULL.
 * Parsing only: the kernel is not touched.
 * @return a new object owned by the caller, or NULL with errno set.
 */
LIBBPF_API struct bpf_object *
bpf_object__open_file(const char *path, const struct bpf_object_open_opts *opts);

/**
 * @brief Opens a BPF ELF object from @p obj_buf of @p obj_buf_sz bytes. The
 * buffer is copied; the caller keeps ownership of it.
 * @return a new object owned by the caller, or NULL with errno set.
 */
LIBBPF_API struct bpf_object *
bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
		     const struct bpf_object_open_opts *opts);

/**
 * @brief Everything of bpf_object__load() except loading the programs:
 * BTF loaded, maps created (and pinned), instructions relocated. Setters
 * of maps are refused afterwards; programs can still be adjusted.
 * @return 0 or a negative errno (errno set).
 */
LIBBPF_API int bpf_object__prepare(struct bpf_object *obj);

/**
 * @brief Loads the object into the kernel: prepare (if not done), then each
 * program with autoload set. On failure everything already created is
 * released again; the object can then only be closed.
 * @return 0 or a negative errno (errno set).
 */
LIBBPF_API int bpf_object__load(struct bpf_object *obj);

/** @brief Releases every fd, mapping and allocation of @p obj; NULL is fine. */
LIBBPF_API void bpf_object__close(struct bpf_object *obj);

/**
 * @brief Pins every map: at @p path/<map name> when @p path is given,
 * otherwise each map with a pin path at that path (others are skipped).
 * @return 0 or a negative errno; on failure maps pinned by this call are
 * unpinned again.
 */
LIBBPF_API int bpf_object__pin_maps(struct bpf_object *obj, const char *path);
/** @brief Undoes bpf_object__pin_maps() with the same @p path rule. */
LIBBPF_API int bpf_object__unpin_maps(struct bpf_object *obj, const char *path);
/** @brief Pins every loaded program at @p path/<program name>. */
LIBBPF_API int bpf_object__pin_programs(struct bpf_object *obj, const char *path);
/** @brief Removes @p path/<program name> for every program. */
LIBBPF_API int bpf_object__unpin_programs(struct bpf_object *obj, const char *path);
/** @brief Pins maps then programs under @p path. */
LIBBPF_API int bpf_object__pin(struct bpf_object *obj, const char *path);
/** @brief Unpins maps then programs under @p path. */
LIBBPF_API int bpf_object__unpin(struct bpf_object *obj, const char *path);

/** @brief The object's name; owned by the object. */
LIBBPF_API const char *bpf_object__name(const struct bpf_object *obj);
/** @brief The "version" section's value, 0 when absent. */
LIBBPF_API unsigned int bpf_object__kversion(const struct bpf_object *obj);
/** @brief Overrides the kernel version passed at program load (before load). */
LIBBPF_API int bpf_object__set_kversion(struct bpf_object *obj, __u32 kern_version);
/** @brief The object's BTF, NULL when it has none; owned by the object. */
LIBBPF_API struct btf *bpf_object__btf(const struct bpf_object *obj);
/** @brief fd of the object's BTF in the kernel, or -1 when not loaded. */
LIBBPF_API int bpf_object__btf_fd(const struct bpf_object *obj);
/**
 * @brief fd of the BPF token the object created at prepare (see
 * bpf_object_open_opts.bpf_token_path); owned by the object and closed
 * with it.
 * @return the token fd, or -1 when the object uses none
 */
LIBBPF_API int bpf_object__token_fd(const struct bpf_object *obj);

/** @brief The program named @p name (function name), or NULL with errno ENOENT. */
LIBBPF_API struct bpf_program *
bpf_object__find_program_by_name(const struct bpf_object *obj, const char *name);

/**
 * @brief Program type and expected attach type that a SEC() name stands for.
 * @return 0, or -ESRCH (errno set) for an unknown section name.
 */
LIBBPF_API int
libbpf_prog_type_by_name(const char *name, enum bpf_prog_type *prog_type,
			 enum bpf_attach_type *expected_attach_type);
/**
 * @brief Attach type of the SEC() name @p name for BPF_PROG_ATTACH.
 * @return 0, or -EINVAL (errno set) when the section has no attach type.
 */
LIBBPF_API int libbpf_attach_type_by_name(const char *name,
					  enum bpf_attach_type *attach_type);
/**
 * @brief BTF id in vmlinux BTF of the kernel function or type a program of
 * @p attach_type named @p name attaches to (e.g. "sys_enter" for tp_btf).
 * @return the id, or a negative errno.
 */
LIBBPF_API int libbpf_find_vmlinux_btf_id(const char *name,
					  enum bpf_attach_type attach_type);

/* ---- programs ---- */

/** @brief The program after @p prog (the first for NULL), or NULL at the end. */
LIBBPF_API struct bpf_program *
bpf_object__next_program(const struct bpf_object *obj, struct bpf_program *prog);
/** @brief The program before @p prog (the last for NULL), or NULL. */
LIBBPF_API struct bpf_program *
bpf_object__prev_program(const struct bpf_object *obj, struct bpf_program *prog);

#define bpf_object__for_each_program(pos, obj)			\
	for ((pos) = bpf_object__next_program((obj), NULL);	\
	     (pos) != NULL;					\
	     (pos) = bpf_object__next_program((obj), (pos)))

/** @brief Sets the device a program is offloaded to (before load). */
LIBBPF_API void bpf_program__set_ifindex(struct bpf_program *prog, __u32 ifindex);
/** @brief The program's function name; owned by the object. */
LIBBPF_API const char *bpf_program__name(const struct bpf_program *prog);
/** @brief The ELF section the program came from; owned by the object. */
LIBBPF_API const char *bpf_program__section_name(const struct bpf_program *prog);
/** @brief Whether bpf_object__load() loads the program. */
LIBBPF_API bool bpf_program__autoload(const struct bpf_program *prog);
/** @brief Chooses whether the program is loaded; -EINVAL after load. */
LIBBPF_API int bpf_program__set_autoload(struct bpf_program *prog, bool autoload);
/** @brief Whether skeleton attach attaches the program. */
LIBBPF_API bool bpf_program__autoattach(const struct bpf_program *prog);
/** @brief Chooses whether skeleton attach attaches the program. */
LIBBPF_API void bpf_program__set_autoattach(struct bpf_program *prog, bool autoattach);
/**
 * @brief The program's instructions at this point of its life: as in the
 * ELF after open, relocated with subprograms appended after load. Owned by
 * the object; never NULL for a program of an open object.
 */
LIBBPF_API const struct bpf_insn *bpf_program__insns(const struct bpf_program *prog);
/**
 * @brief Replaces the program's instructions (copied) with @p new_insns;
 * meant for a prog_prepare_load_fn callback. They are loaded as given.
 * @return 0, -EBUSY after load, -ENOMEM.
 */
LIBBPF_API int bpf_program__set_insns(struct bpf_program *prog,
				      struct bpf_insn *new_insns, size_t new_insn_cnt);
/** @brief Number of instructions bpf_program__insns() points to. */
LIBBPF_API size_t bpf_program__insn_cnt(const struct bpf_program *prog);
/** @brief The loaded program's fd (owned by the object), or -EINVAL (errno set). */
LIBBPF_API int bpf_program__fd(const struct bpf_program *prog);
/**
 * @brief Loads one more copy of @p prog, relocated at bpf_object__prepare(),
 * into the kernel; the program's own fd and the object are left as they are.
 * Load options come from the program and the object (and a custom
 * handler's prepare callback); every non-zero field of @p opts (may be
 * NULL) overrides them, e.g. attach_btf_id or attach_prog_fd of a tracing
 * program, log_buf/log_size/log_level for the verifier's log.
 * @return a new program fd owned by the caller, or a negative errno (errno
 * set): -EINVAL before prepare or for a program not relocated (autoload
 * off at prepare), the kernel's error when it refuses the program
 */
LIBBPF_API int bpf_program__clone(struct bpf_program *prog,
				  const struct bpf_prog_load_opts *opts);
/** @brief Pins the loaded program at @p path in a BPF file system. */
LIBBPF_API int bpf_program__pin(struct bpf_program *prog, const char *path);
/** @brief Removes the pin at @p path. */
LIBBPF_API int bpf_program__unpin(struct bpf_program *prog, const char *path);
/** @brief Closes the program's fd; the object stays usable for its maps. */
LIBBPF_API void bpf_program__unload(struct bpf_program *prog);

/** @brief The program's type. */
LIBBPF_API enum bpf_prog_type bpf_program__type(const struct bpf_program *prog);
/** @brief Overrides the program type (before load); -EBUSY after. */
LIBBPF_API int bpf_program__set_type(struct bpf_program *prog, enum bpf_prog_type type);
/** @brief The expected attach type passed at load. */
LIBBPF_API enum bpf_attach_type
bpf_program__expected_attach_type(const struct bpf_program *prog);
/** @brief Overrides the expected attach type (before load); -EBUSY after. */
LIBBPF_API int bpf_program__set_expected_attach_type(struct bpf_program *prog,
						     enum bpf_attach_type type);
/** @brief BPF_F_* program load flags (e.g. BPF_F_SLEEPABLE). */
LIBBPF_API __u32 bpf_program__flags(const struct bpf_program *prog);
/** @brief Sets the load flags (before load); -EBUSY after. */
LIBBPF_API int bpf_program__set_flags(struct bpf_program *prog, __u32 flags);
/**
 * @brief The BTF function records (.BTF.ext func_info) of the program as it
 * is loaded: subprograms appended, insn_off counted in the final program,
 * type_id in bpf_object__btf(). Available from bpf_object__prepare() on;
 * owned by the program.
 * @return the records, or NULL with errno set (ENOENT: none or not yet
 * prepared; EOPNOTSUPP: the object's records are not
 * struct bpf_func_info sized).
 */
LIBBPF_API struct bpf_func_info *bpf_program__func_info(const struct bpf_program *prog);
/** @brief Number of records bpf_program__func_info() returns, 0 without. */
LIBBPF_API __u32 bpf_program__func_info_cnt(const struct bpf_program *prog);
/** @brief The line records (.BTF.ext line_info), as bpf_program__func_info(). */
LIBBPF_API struct bpf_line_info *bpf_program__line_info(const struct bpf_program *prog);
/** @brief Number of records bpf_program__line_info() returns, 0 without. */
LIBBPF_API __u32 bpf_program__line_info_cnt(const struct bpf_program *prog);
/** @brief Adds @p flags to the load flags (before load); -EBUSY after. */
LIBBPF_API int bpf_program__add_flags(struct bpf_program *prog, __u32 flags);
/** @brief Removes @p flags from the load flags (before load); -EBUSY after. */
LIBBPF_API int bpf_program__clear_flags(struct bpf_program *prog, __u32 flags);
/** @brief Verifier log level the program is loaded with. */
LIBBPF_API __u32 bpf_program__log_level(const struct bpf_program *prog);
/** @brief Sets the verifier log level (before load); -EBUSY after. */
LIBBPF_API int bpf_program__set_log_level(struct bpf_program *prog, __u32 log_level);
/** @brief The user's log buffer set with bpf_program__set_log_buf(), its size in @p log_size. */
LIBBPF_API const char *bpf_program__log_buf(const struct bpf_program *prog, size_t *log_size);
/**
 * @brief Gives the program a buffer (owned by the caller, must outlive the
 * load) that receives the verifier log. -EBUSY after load.
 */
LIBBPF_API int bpf_program__set_log_buf(struct bpf_program *prog, char *log_buf,
					size_t log_size);
/**
 * @brief Sets the BTF attach target: the function @p attach_func_name of
 * the loaded program @p attach_prog_fd when it is > 0 (freplace), otherwise
 * the vmlinux function or type of that name. Before load; -EBUSY after.
 */
LIBBPF_API int bpf_program__set_attach_target(struct bpf_program *prog,
					      int attach_prog_fd,
					      const char *attach_func_name);

struct bpf_prog_assoc_struct_ops_opts;
/**
 * @brief Associates loaded program @p prog (not itself a struct_ops
 * program) with the created struct_ops map @p map, see
 * bpf_prog_assoc_struct_ops().
 * @return 0, or -errno (errno set); -EINVAL with a log line when either is
 * not loaded or of the wrong kind, the kernel's error otherwise.
 */
LIBBPF_API int bpf_program__assoc_struct_ops(struct bpf_program *prog, struct bpf_map *map,
					     struct bpf_prog_assoc_struct_ops_opts *opts);

/* ---- custom SEC() handlers ---- */

/* Called at open for each program of a handled section. */
typedef int (*libbpf_prog_setup_fn_t)(struct bpf_program *prog, long cookie);
/* Called right before the program is loaded; may adjust @opts. */
typedef int (*libbpf_prog_prepare_load_fn_t)(struct bpf_program *prog,
					     struct bpf_prog_load_opts *opts,
					     long cookie);
/* Called by bpf_program__attach(): 0 with *link set (or NULL when there is
 * nothing to attach), or a negative errno. */
typedef int (*libbpf_prog_attach_fn_t)(const struct bpf_program *prog, long cookie,
				       struct bpf_link **link);

struct libbpf_prog_handler_opts {
	size_t sz;
	/* passed to each callback */
	long cookie;
	libbpf_prog_setup_fn_t prog_setup_fn;
	libbpf_prog_prepare_load_fn_t prog_prepare_load_fn;
	libbpf_prog_attach_fn_t prog_attach_fn;
};
#define libbpf_prog_handler_opts__last_field prog_attach_fn

/**
 * @brief Registers a handler for programs in sections named @p sec: "abc"
 * matches SEC("abc") only, "abc/" matches SEC("abc/<anything>"), "abc+"
 * matches both; NULL handles sections nothing else recognises (one such
 * handler at a time). Custom handlers are tried before the built-in table.
 * Not thread-safe, like libbpf's.
 * @return a handler id >= 0 for libbpf_unregister_prog_handler(), or a
 * negative errno.
 */
LIBBPF_API int libbpf_register_prog_handler(const char *sec,
					    enum bpf_prog_type prog_type,
					    enum bpf_attach_type exp_attach_type,
					    const struct libbpf_prog_handler_opts *opts);
/** @brief Removes a registered handler. @return 0 or -ENOENT. */
LIBBPF_API int libbpf_unregister_prog_handler(int handler_id);

/* ---- maps ---- */

/** @brief The map named @p name (also ".data"-style section names of global
 * data maps), or NULL with errno ENOENT. */
LIBBPF_API struct bpf_map *
bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name);
/** @brief fd of the map named @p name, or a negative errno. */
LIBBPF_API int bpf_object__find_map_fd_by_name(const struct bpf_object *obj,
					       const char *name);
/** @brief The map after @p map (first for NULL), or NULL at the end. */
LIBBPF_API struct bpf_map *
bpf_object__next_map(const struct bpf_object *obj, const struct bpf_map *map);
/** @brief The map before @p map (last for NULL), or NULL. */
LIBBPF_API struct bpf_map *
bpf_object__prev_map(const struct bpf_object *obj, const struct bpf_map *map);

#define bpf_object__for_each_map(pos, obj)		\
	for ((pos) = bpf_object__next_map((obj), NULL);	\
	     (pos) != NULL;				\
	     (pos) = bpf_object__next_map((obj), (pos)))
#define bpf_map__for_each bpf_object__for_each_map

/** @brief Whether bpf_object__load() creates the map; -EBUSY after load. */
LIBBPF_API int bpf_map__set_autocreate(struct bpf_map *map, bool autocreate);
LIBBPF_API bool bpf_map__autocreate(const struct bpf_map *map);
/**
 * @brief Whether bpf_object__attach_skeleton() registers this struct_ops
 * map (into the skeleton's link slot of the map); default true.
 * @return 0, or -EINVAL (errno set) for a map that is not struct_ops.
 */
LIBBPF_API int bpf_map__set_autoattach(struct bpf_map *map, bool autoattach);
/** @brief The map's autoattach flag (see bpf_map__set_autoattach()). */
LIBBPF_API bool bpf_map__autoattach(const struct bpf_map *map);
/**
 * @brief Makes the map exclusive to @p prog of the same object: the map is
 * created, after relocation, with the SHA-256 digest of the program's final
 * instructions, and the kernel refuses every other program that uses it.
 * Needs a kernel with exclusive maps (6.18 on).
 * @return 0, -EINVAL (errno set) once the map is created or for a program
 * of another object
 */
LIBBPF_API int bpf_map__set_exclusive_program(struct bpf_map *map, struct bpf_program *prog);
/** @brief The program the map is exclusive to, or NULL; owned by the object. */
LIBBPF_API struct bpf_program *bpf_map__exclusive_program(struct bpf_map *map);
/** @brief The map's fd (owned by the object), or -EINVAL before creation. */
LIBBPF_API int bpf_map__fd(const struct bpf_map *map);
/**
 * @brief Makes the map use the existing map @p fd (duplicated; the caller
 * keeps @p fd) instead of creating one; its attributes are taken from it.
 */
LIBBPF_API int bpf_map__reuse_fd(struct bpf_map *map, int fd);
/** @brief The map's name; owned by the object. */
LIBBPF_API const char *bpf_map__name(const struct bpf_map *map);

/* Getters, and setters that work before load only (-EBUSY after). */
LIBBPF_API enum bpf_map_type bpf_map__type(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_type(struct bpf_map *map, enum bpf_map_type type);
LIBBPF_API __u32 bpf_map__max_entries(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries);
LIBBPF_API __u32 bpf_map__map_flags(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_map_flags(struct bpf_map *map, __u32 flags);
LIBBPF_API __u32 bpf_map__numa_node(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_numa_node(struct bpf_map *map, __u32 numa_node);
LIBBPF_API __u32 bpf_map__key_size(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_key_size(struct bpf_map *map, __u32 size);
LIBBPF_API __u32 bpf_map__value_size(const struct bpf_map *map);
/** @brief For global data maps, also resizes the initial image (zero-filled). */
LIBBPF_API int bpf_map__set_value_size(struct bpf_map *map, __u32 size);
LIBBPF_API __u32 bpf_map__btf_key_type_id(const struct bpf_map *map);
LIBBPF_API __u32 bpf_map__btf_value_type_id(const struct bpf_map *map);
LIBBPF_API __u32 bpf_map__ifindex(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_ifindex(struct bpf_map *map, __u32 ifindex);
LIBBPF_API __u64 bpf_map__map_extra(const struct bpf_map *map);
LIBBPF_API int bpf_map__set_map_extra(struct bpf_map *map, __u64 map_extra);

/**
 * @brief Replaces the initial contents of a global data map (@p size must
 * equal its value size); copied. -EBUSY after load, -EINVAL otherwise.
 */
LIBBPF_API int bpf_map__set_initial_value(struct bpf_map *map,
					  const void *data, size_t size);
/**
 * @brief The initial image of a global data map before load, and the map's
 * own mmapped memory after load (when the map is mmapable; the address does
 * not change). For a struct_ops map, the struct as compiled. Size in @p psize.
 * @return the pointer (owned by the object), or NULL for other maps.
 */
LIBBPF_API void *bpf_map__initial_value(const struct bpf_map *map, size_t *psize);

/** @brief True for maps evbpf made for .data/.rodata/.bss/.kconfig sections. */
LIBBPF_API bool bpf_map__is_internal(const struct bpf_map *map);
/** @brief Sets where the map is pinned at load (copied); NULL clears. */
LIBBPF_API int bpf_map__set_pin_path(struct bpf_map *map, const char *path);
/** @brief The map's pin path, or NULL. */
LIBBPF_API const char *bpf_map__pin_path(const struct bpf_map *map);
/** @brief True when the map is pinned at its pin path. */
LIBBPF_API bool bpf_map__is_pinned(const struct bpf_map *map);
/** @brief Pins the created map at @p path (or its pin path when NULL). */
LIBBPF_API int bpf_map__pin(struct bpf_map *map, const char *path);
/** @brief Removes the pin at @p path (or its pin path when NULL). */
LIBBPF_API int bpf_map__unpin(struct bpf_map *map, const char *path);

/** @brief For map-in-map: the template inner map fd used at creation (dup'ed). */
LIBBPF_API int bpf_map__set_inner_map_fd(struct bpf_map *map, int fd);
/** @brief The inner map template of a map-in-map, or NULL. */
LIBBPF_API struct bpf_map *bpf_map__inner_map(struct bpf_map *map);

/*
 * Element operations on a created map. Sizes are checked against the map's
 * key and value size (for per-CPU maps the value is value_size rounded up
 * to 8, times the number of possible CPUs): -EINVAL on mismatch. Otherwise
 * the result of the bpf() command: 0 or a negative errno (errno set).
 */
LIBBPF_API int bpf_map__lookup_elem(const struct bpf_map *map,
				    const void *key, size_t key_sz,
				    void *value, size_t value_sz, __u64 flags);
LIBBPF_API int bpf_map__update_elem(const struct bpf_map *map,
				    const void *key, size_t key_sz,
				    const void *value, size_t value_sz, __u64 flags);
LIBBPF_API int bpf_map__delete_elem(const struct bpf_map *map,
				    const void *key, size_t key_sz, __u64 flags);
LIBBPF_API int bpf_map__lookup_and_delete_elem(const struct bpf_map *map,
					       const void *key, size_t key_sz,
					       void *value, size_t value_sz, __u64 flags);
/** @brief Next key after @p cur_key (first for NULL); -ENOENT at the end. */
LIBBPF_API int bpf_map__get_next_key(const struct bpf_map *map,
				     const void *cur_key, void *next_key, size_t key_sz);

/* ---- source lines of a loaded program ---- */

struct bpf_prog_linfo;
struct bpf_prog_info;

/**
 * @brief Copies the line info of a loaded program out of @p info (filled by
 * bpf_prog_get_info_by_fd() with nr_line_info/line_info, and for JITed
 * lookups also jited_line_info, jited_ksyms and jited_func_lens).
 * @return a new object owned by the caller (free with
 * bpf_prog_linfo__free()), or NULL with errno set (EINVAL: no or partial
 * line info).
 */
LIBBPF_API struct bpf_prog_linfo *bpf_prog_linfo__new(const struct bpf_prog_info *info);
/** @brief Frees @p prog_linfo; NULL is fine. */
LIBBPF_API void bpf_prog_linfo__free(struct bpf_prog_linfo *prog_linfo);
/**
 * @brief The line info record covering JITed address @p addr of function
 * @p func_idx (index into jited_ksyms), searching from that function's
 * @p nr_skip-th record on.
 * @return a record owned by @p prog_linfo, or NULL with errno ENOENT.
 */
LIBBPF_API const struct bpf_line_info *
bpf_prog_linfo__lfind_addr_func(const struct bpf_prog_linfo *prog_linfo,
				__u64 addr, __u32 func_idx, __u32 nr_skip);
/**
 * @brief The line info record covering instruction @p insn_off of the
 * translated program, searching from record @p nr_skip on.
 * @return a record owned by @p prog_linfo, or NULL with errno ENOENT.
 */
LIBBPF_API const struct bpf_line_info *
bpf_prog_linfo__lfind(const struct bpf_prog_linfo *prog_linfo,
		      __u32 insn_off, __u32 nr_skip);

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LIBBPF_OBJECT_H */
