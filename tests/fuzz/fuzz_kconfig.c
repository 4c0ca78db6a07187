// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target for the kernel config reader: the input as a config file
 * (gzip-compressed or plain; zlib tells them apart) resolved against
 * externs of every kconfig type and size, and as the `kconfig` open option.
 */
#include <stdlib.h>

#include "object/externs_internal.h"
#include "fuzz_util.h"

#define EXT(n, t, s, sgn) { .name = n, .type = EVBPF_EXT_KCFG, .is_weak = true, \
	.kcfg = { .type = t, .sz = s, .align = s > 8 ? 1 : s, .is_signed = sgn } }

static const struct evbpf__ext templ[] = {
	EXT("CONFIG_BPF", EVBPF_KCFG_TRISTATE, 4, false),
	EXT("CONFIG_HZ", EVBPF_KCFG_INT, 4, false),
	EXT("CONFIG_NR_CPUS", EVBPF_KCFG_INT, 2, false),
	EXT("CONFIG_SIGNED", EVBPF_KCFG_INT, 8, true),
	EXT("CONFIG_BYTE", EVBPF_KCFG_INT, 1, true),
	EXT("CONFIG_DEBUG_INFO_BTF", EVBPF_KCFG_BOOL, 1, false),
	EXT("CONFIG_MODULES", EVBPF_KCFG_CHAR, 1, false),
	EXT("CONFIG_LOCALVERSION", EVBPF_KCFG_CHAR_ARR, 16, false),
	EXT("CONFIG_DEFAULT_HOSTNAME", EVBPF_KCFG_CHAR_ARR, 2, false),
	EXT("LINUX_KERNEL_VERSION", EVBPF_KCFG_INT, 4, false),
};
#define N_EXT (sizeof(templ) / sizeof(templ[0]))

static void layout(struct evbpf__ext *exts, size_t *total)
{
	size_t i, off = 0;

	memcpy(exts, templ, sizeof(templ));
	for (i = 0; i < N_EXT; i++) {
		off = (off + exts[i].kcfg.align - 1) / exts[i].kcfg.align * exts[i].kcfg.align;
		exts[i].kcfg.data_off = (__u32)off;
		off += exts[i].kcfg.sz;
	}
	*total = off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evbpf__ext exts[N_EXT];
	__u8 image[128];
	char path[64], *opt;
	size_t total;
	int fd;

	fuzz_quiet();
	layout(exts, &total);
	if (total > sizeof(image))
		abort();
	fd = fuzz_memfd(data, size, path, sizeof(path));
	if (fd >= 0) {
		(void)evbpf__kconfig_resolve_file("fuzz", exts, N_EXT, NULL, path, image);
		close(fd);
	}
	opt = malloc(size + 1);
	if (opt) {
		memcpy(opt, data, size);
		opt[size] = '\0';
		layout(exts, &total);
		(void)evbpf__kconfig_resolve_file("fuzz", exts, N_EXT, opt, "/dev/null", image);
		free(opt);
	}
	return 0;
}
