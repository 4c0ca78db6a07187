/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Part of <bpf/libbpf.h>; see the list there.
 *
 * The skeleton ABI: the structs a generated .skel.h (from `bpftool gen
 * skeleton` or `evbpf-gen skeleton`) fills in, and the calls its inline
 * functions make. The layouts are libbpf 1.x's. Generated code records the
 * size of each array element it was compiled with (map_skel_sz, ...), and
 * the library walks the arrays by those sizes, so skeletons generated
 * against older or newer headers keep working.
 */
#ifndef __LIBBPF_LIBBPF_SKEL_H
#define __LIBBPF_LIBBPF_SKEL_H

#include <stddef.h>

#include "libbpf_base.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_object;
struct bpf_map;
struct bpf_program;
struct bpf_link;
struct bpf_object_open_opts;

/* One map of a skeleton. */
struct bpf_map_skeleton {
	/* map name as bpf_map__name() reports it ("obj.rodata" for
	 * global data, or the data section name ".rodata") */
	const char *name;
	/* filled with the map at open */
	struct bpf_map **map;
	/* global data maps only (else NULL): filled with the initial image
	 * after open and the map's memory after load */
	void **mmaped;
	/* newer skeletons only: link slot of a struct_ops map, destroyed by
	 * bpf_object__detach_skeleton() when set */
	struct bpf_link **link;
};

/* One program of a skeleton. */
struct bpf_prog_skeleton {
	const char *name;
	/* filled with the program at open */
	struct bpf_program **prog;
	/* filled by attach; the skeleton owns the link */
	struct bpf_link **link;
};

/* A whole object embedded in a generated header. */
struct bpf_object_skeleton {
	size_t sz; /* sizeof(struct bpf_object_skeleton) of the generator */

	/* object name, used as the object name unless opts give one */
	const char *name;
	/* the ELF image and its size (owned by the generated header) */
	const void *data;
	size_t data_sz;

	/* filled with the opened object */
	struct bpf_object **obj;

	int map_cnt;
	int map_skel_sz; /* sizeof(struct bpf_map_skeleton) of the generator */
	struct bpf_map_skeleton *maps;

	int prog_cnt;
	int prog_skel_sz; /* sizeof(struct bpf_prog_skeleton) of the generator */
	struct bpf_prog_skeleton *progs;
};

/**
 * @brief Opens the embedded object of @p s (bpf_object__open_mem() with
 * @p opts, object name defaulting to s->name) and fills the skeleton's map,
 * program and global data pointers.
 * @return 0, or -errno (errno set). On error the caller still destroys the
 * skeleton with bpf_object__destroy_skeleton(), which frees what was made.
 */
LIBBPF_API int
bpf_object__open_skeleton(struct bpf_object_skeleton *s,
			  const struct bpf_object_open_opts *opts);

/**
 * @brief Loads the skeleton's object (bpf_object__load()) and points each
 * global data pointer at its map's memory (read-only for .rodata and
 * .kconfig, which are frozen; NULL when the map cannot be mmapped).
 * @return 0, or -errno (errno set).
 */
LIBBPF_API int bpf_object__load_skeleton(struct bpf_object_skeleton *s);

/**
 * @brief Attaches every loaded program whose autoattach is on and whose link
 * slot is still empty, by its section name; programs whose section names no
 * target are skipped.
 * @return 0, or -errno (errno set) from the first attach that failed; links
 * made so far stay in the skeleton (bpf_object__detach_skeleton() drops
 * them).
 */
LIBBPF_API int bpf_object__attach_skeleton(struct bpf_object_skeleton *s);

/** @brief Destroys every link held by the skeleton and clears the slots. */
LIBBPF_API void bpf_object__detach_skeleton(struct bpf_object_skeleton *s);

/**
 * @brief Detaches, closes the object and frees @p s with its arrays (which
 * generated code allocates with calloc()). Accepts NULL and skeletons whose
 * open failed half way.
 */
LIBBPF_API void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s);

/* One global variable of a subskeleton. */
struct bpf_var_skeleton {
	const char *name;
	/* the map holding the variable (one of the subskeleton's maps) */
	struct bpf_map **map;
	/* filled with the variable's address in that map's memory */
	void **addr;
};

/*
 * A view of part of an object opened elsewhere (e.g. a library's BPF code
 * linked into an application's object): maps, programs and variables found
 * by name. It does not own the object.
 */
struct bpf_object_subskeleton {
	size_t sz; /* sizeof(struct bpf_object_subskeleton) of the generator */

	const struct bpf_object *obj;

	int map_cnt;
	int map_skel_sz;
	struct bpf_map_skeleton *maps;

	int prog_cnt;
	int prog_skel_sz;
	struct bpf_prog_skeleton *progs;

	int var_cnt;
	int var_skel_sz;
	struct bpf_var_skeleton *vars;
};

/**
 * @brief Fills the subskeleton's map, program and variable pointers from
 * s->obj (opened, loaded or not: variable addresses stay valid across load).
 * @return 0, or -errno (errno set) naming what was not found in the log.
 */
LIBBPF_API int
bpf_object__open_subskeleton(struct bpf_object_subskeleton *s);

/** @brief Frees @p s and its arrays (not the object). Accepts NULL. */
LIBBPF_API void
bpf_object__destroy_subskeleton(struct bpf_object_subskeleton *s);

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LIBBPF_SKEL_H */
