// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for btf_dump: a fuzzed BTF printed as C (whole header,
 * single declarations with and without modifiers) and fuzzed bytes printed
 * as typed data of each of its types, in every option combination the
 * input's flag byte picks. Input: 2-byte length, BTF, flag byte, data.
 */
#include <bpf/btf.h>
#include "fuzz_util.h"

/* Counts output so the printer's arguments are all consumed. */
static void count_out(void *ctx, const char *fmt, va_list args)
{
	char buf[64];

	*(size_t *)ctx += (size_t)vsnprintf(buf, sizeof(buf), fmt, args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *raw, *rest;
	size_t raw_sz, rest_sz, out = 0;
	struct btf_dump *d;
	struct btf *btf;
	__u32 id, n;
	__u8 flags;

	fuzz_quiet();
	fuzz_split(data, size, &raw, &raw_sz, &rest, &rest_sz);
	flags = rest_sz ? rest[0] : 0;
	if (rest_sz) {
		rest++;
		rest_sz--;
	}
	btf = btf__new(raw, (__u32)raw_sz);
	if (!btf)
		return 0;
	n = btf__type_cnt(btf);
	if (n > 512)
		n = 512;	/* a long input is not a deeper test */
	d = btf_dump__new(btf, count_out, &out, NULL);
	if (d) {
		LIBBPF_OPTS(btf_dump_emit_type_decl_opts, decl,
			    .field_name = (flags & 1) ? "f" : NULL,
			    .indent_level = flags >> 6,
			    .strip_mods = flags & 2);
		LIBBPF_OPTS(btf_dump_type_data_opts, topts,
			    .indent_str = (flags & 4) ? "  " : NULL,
			    .indent_level = (flags >> 4) & 3,
			    .compact = flags & 8,
			    .skip_names = flags & 16,
			    .emit_zeroes = flags & 32);

		for (id = 1; id < n; id++) {
			(void)btf_dump__dump_type(d, id);
			(void)btf_dump__emit_type_decl(d, id, &decl);
			(void)btf_dump__dump_type_data(d, id, rest, rest_sz, &topts);
		}
		btf_dump__free(d);
	}
	btf__free(btf);
	return 0;
}
