/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The loader generator behind bpf_object__gen_loader() (gen_loader.c):
 * object.c runs these steps instead of creating maps and loading programs
 * when an object has one. Private to lib/object/; never installed.
 */
#ifndef EVBPF_LIB_OBJECT_GEN_LOADER_INTERNAL_H
#define EVBPF_LIB_OBJECT_GEN_LOADER_INTERNAL_H

struct bpf_object;
struct evbpf__gen;

/* Refuses (-EOPNOTSUPP, one log line) what a generated loader cannot
 * create; marks the object's BTF as going into the loader. */
int evbpf__gen_check(struct bpf_object *obj);
/* After relocation: writes the loader's instructions and data blob into
 * the options given to bpf_object__gen_loader(). */
int evbpf__gen_emit(struct bpf_object *obj);
void evbpf__gen_free(struct evbpf__gen *gen);

#endif /* EVBPF_LIB_OBJECT_GEN_LOADER_INTERNAL_H */
