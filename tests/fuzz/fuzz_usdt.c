// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the USDT parsers: a fuzzed ELF file's .note.stapsdt
 * (notes, .stapsdt.base adjustment, address-to-offset translation through
 * the program headers), then the argument string of every site found, and
 * the input itself as one argument string.
 */
#include <stdlib.h>

#include "attach/usdt_internal.h"
#include "fuzz_util.h"

static void parse_args(const uint8_t *data, size_t size)
{
	struct evbpf__usdt_spec spec;
	char *s = malloc(size + 1);

	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)evbpf__usdt_parse_args(s, &spec, "fuzz");
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evbpf__usdt_spec spec;
	struct evbpf__usdt_note *notes;
	char path[64];
	size_t cnt, i;
	int fd;

	fuzz_quiet();
	if (size < 256)
		parse_args(data, size);
	fd = fuzz_memfd(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	if (!evbpf__usdt_read_notes(path, NULL, NULL, &notes, &cnt)) {
		for (i = 0; i < cnt; i++)
			(void)evbpf__usdt_parse_args(notes[i].args, &spec, "fuzz");
		evbpf__usdt_notes_free(notes, cnt);
	}
	close(fd);
	return 0;
}
