// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target: bpf_object__open_mem() on arbitrary bytes must fail cleanly
 * or succeed, never crash, hang or leak. Built for libFuzzer with the meson
 * option `fuzz` (clang), and run over tests/corpus/elf/ by fuzz_driver.c in
 * every build.
 */
#include <stddef.h>
#include <stdint.h>

#include <bpf/libbpf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "fuzz");
	struct bpf_object *obj;
	static int quiet;

	if (!quiet) {
		libbpf_set_print(NULL);
		quiet = 1;
	}
	obj = bpf_object__open_mem(data, size, &opts);
	if (obj) {
		struct bpf_program *prog;
		struct bpf_map *map;

		/* walk what was found, as a user would */
		bpf_object__for_each_program(prog, obj)
			(void)bpf_program__insn_cnt(prog);
		bpf_object__for_each_map(map, obj)
			(void)bpf_map__initial_value(map, NULL);
	}
	bpf_object__close(obj);
	return 0;
}
