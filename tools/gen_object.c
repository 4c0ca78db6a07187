// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `evbpf-gen object OUT.o IN.o...`: statically links BPF objects into one
 * with the library's bpf_linker (as `bpftool gen object` does).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bpf/libbpf.h"
#include "gen.h"

int evbpf_gen__object(int argc, char **argv)
{
	struct bpf_linker *l;
	int i, err;

	if (argc < 3) {
		fprintf(stderr, "usage: evbpf-gen object OUTPUT_FILE INPUT_FILE...\n");
		return 2;
	}
	l = bpf_linker__new(argv[1], NULL);
	if (!l) {
		fprintf(stderr, "evbpf-gen: failed to create '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (i = 2; i < argc; i++) {
		err = bpf_linker__add_file(l, argv[i], NULL);
		if (err) {
			fprintf(stderr, "evbpf-gen: failed to link '%s': %s\n", argv[i], strerror(-err));
			goto fail;
		}
	}
	err = bpf_linker__finalize(l);
	if (err) {
		fprintf(stderr, "evbpf-gen: failed to finalize '%s': %s\n", argv[1], strerror(-err));
		goto fail;
	}
	bpf_linker__free(l);
	return 0;
fail:
	bpf_linker__free(l);
	remove(argv[1]);
	return 1;
}
