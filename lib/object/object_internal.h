/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What code outside the loader (attach/, skel/) may ask of objects,
 * programs and maps beyond the public API. The structs stay opaque here;
 * their layout is the loader's (loader_internal.h). Never installed.
 */
#ifndef EVBPF_LIB_OBJECT_INTERNAL_H
#define EVBPF_LIB_OBJECT_INTERNAL_H

#include <stddef.h>

#include "bpf/libbpf.h"

/*
 * Runs the attach callback of the custom handler (libbpf_register_prog_handler)
 * that matched @prog's section. Returns -ENOENT when no handler with an
 * attach callback applies, else the callback's result (*link may be NULL).
 */
int evbpf__prog_handler_attach(const struct bpf_program *prog, struct bpf_link **link);

/* The map's mmapped memory after load (NULL when not mmapable or not yet
 * created), size in *@size if non-NULL. */
void *evbpf__map_mmaped(const struct bpf_map *map, size_t *size);

/*
 * For bpf_map__attach_struct_ops(): the value to store at key 0 of a
 * loaded struct_ops map (the kernel's bpf_struct_ops_<name> layout, data
 * members copied, function pointers set to program fds). Owned by the map.
 * -EINVAL when @map is no loaded struct_ops map.
 */
int evbpf__struct_ops_kern_value(const struct bpf_map *map, const void **value,
				 size_t *size);

/* The object @prog belongs to. */
const struct bpf_object *evbpf__prog_obj(const struct bpf_program *prog);

#endif /* EVBPF_LIB_OBJECT_INTERNAL_H */
