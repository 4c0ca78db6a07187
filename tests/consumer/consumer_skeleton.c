// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The skeleton ABI as an outside program sees it through the installed
 * headers (built by scripts/check-install with pkg-config alone): libbpf
 * 1.x struct layouts, and the skeleton calls exported and failing cleanly on
 * an image that is not a BPF object. Exit status 0 means every check held.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <bpf/libbpf.h>

#define CHECK(cond, what)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "consumer_skeleton: %s failed (errno %d)\n", \
				(what), errno);				\
			return 1;					\
		}							\
	} while (0)

int main(void)
{
	static const char junk[64] = "definitely not an ELF image";
	struct bpf_object_skeleton *s = calloc(1, sizeof(*s));
	struct bpf_object *obj = NULL;
	int err;

	/* libbpf 1.x layouts (generated code fills these directly) */
	CHECK(offsetof(struct bpf_map_skeleton, mmaped) == 2 * sizeof(void *), "map layout");
	CHECK(offsetof(struct bpf_map_skeleton, link) == 3 * sizeof(void *), "map link");
	CHECK(sizeof(struct bpf_prog_skeleton) == 3 * sizeof(void *), "prog layout");
	CHECK(sizeof(struct bpf_var_skeleton) == 3 * sizeof(void *), "var layout");
	CHECK(offsetof(struct bpf_object_skeleton, obj) == 4 * sizeof(void *), "object layout");

	CHECK(s != NULL, "calloc");
	s->sz = sizeof(*s);
	s->name = "consumer";
	s->data = junk;
	s->data_sz = sizeof(junk);
	s->obj = &obj;
	err = bpf_object__open_skeleton(s, NULL);
	CHECK(err < 0 && errno == -err && obj == NULL, "open_skeleton(junk)");
	bpf_object__destroy_skeleton(s);
	bpf_object__destroy_skeleton(NULL);
	bpf_object__destroy_subskeleton(NULL);
	return 0;
}
