// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reference helper for tests/test_linker.c, linked against the system's
 * libbpf (never evbpf): opens and loads the linked object OBJ, runs its XDP
 * program PROG once on a zeroed packet, and prints every value of map MAP
 * (__u32 keys, __u64 values), one per line. Exit status 1 with libbpf's
 * message on stderr when a step fails.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = 1);
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	__u32 k, n;
	__u64 v;
	int err;

	if (argc != 4) {
		fprintf(stderr, "usage: %s OBJ PROG MAP\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		return 1;
	prog = bpf_object__find_program_by_name(obj, argv[2]);
	map = bpf_object__find_map_by_name(obj, argv[3]);
	if (!prog || !map || bpf_object__load(obj)) {
		fprintf(stderr, "open/load of %s failed\n", argv[1]);
		bpf_object__close(obj);
		return 1;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);
	if (err) {
		fprintf(stderr, "test run failed: %d\n", err);
		bpf_object__close(obj);
		return 1;
	}
	n = bpf_map__max_entries(map);
	for (k = 0; k < n; k++) {
		if (bpf_map_lookup_elem(bpf_map__fd(map), &k, &v))
			v = ~0ull;
		printf("%llu\n", (unsigned long long)v);
	}
	bpf_object__close(obj);
	return 0;
}
