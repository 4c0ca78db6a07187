// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Build-time generator: `evbpf-gen-btf btf dump FILE format c` prints
 * vmlinux.h. A standalone executable so that the build does not depend on
 * the full evbpf-gen tool.
 */
#include "gen.h"

int main(int argc, char **argv)
{
	return evbpf_gen__btf(argc - 1, argv + 1);
}
