/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers shared by the fuzz targets: silence the library's log, hand the
 * input to code that wants a path, split an input in two.
 */
#ifndef EVBPF_FUZZ_UTIL_H
#define EVBPF_FUZZ_UTIL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/libbpf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_quiet_print(enum libbpf_print_level level, const char *fmt,
			    va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static inline void fuzz_quiet(void)
{
	static int done;

	if (!done) {
		libbpf_set_print(fuzz_quiet_print);
		done = 1;
	}
}

/* Writes @data into a fresh memfd; @path gets "/proc/self/fd/N" (a path
 * that opens a new description of it). Returns the fd or -1. */
static inline int fuzz_memfd(const uint8_t *data, size_t size, char *path,
			     size_t path_sz)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	snprintf(path, path_sz, "/proc/self/fd/%d", fd);
	return fd;
}

/* Splits the input after a 2-byte little-endian length: [@a, @a_sz] is the
 * first part (clamped to what is there), [@b, @b_sz] the rest. */
static inline void fuzz_split(const uint8_t *data, size_t size,
			      const uint8_t **a, size_t *a_sz,
			      const uint8_t **b, size_t *b_sz)
{
	size_t n = size >= 2 ? (size_t)(data[0] | data[1] << 8) : 0;

	data += size >= 2 ? 2 : size;
	size -= size >= 2 ? 2 : size;
	if (n > size)
		n = size;
	*a = data;
	*a_sz = n;
	*b = data + n;
	*b_sz = size - n;
}

#endif
