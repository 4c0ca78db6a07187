/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF static linker: combines BPF ELF relocatable objects into one
 * (sections, symbols, relocations, BTF, BTF.ext), like `ld -r` for BPF.
 * Included from <bpf/libbpf.h>.
 */
#ifndef __LIBBPF_LIBBPF_LINKER_H
#define __LIBBPF_LIBBPF_LINKER_H

#include <stddef.h>

#include "libbpf_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_linker_opts {
	/* size of this struct, for forward/backward compatibility */
	size_t sz;
};
#define bpf_linker_opts__last_field sz

struct bpf_linker_file_opts {
	/* size of this struct, for forward/backward compatibility */
	size_t sz;
};
#define bpf_linker_file_opts__last_field sz

struct bpf_linker;

/**
 * @brief Starts a link whose result bpf_linker__finalize() writes to
 * @filename (created or truncated then).
 * @return a new linker (free with bpf_linker__free()), or NULL with errno
 * set.
 */
LIBBPF_API struct bpf_linker *bpf_linker__new(const char *filename, struct bpf_linker_opts *opts);

/**
 * @brief Like bpf_linker__new() but writes the result to @fd, which stays
 * the caller's (never closed by the linker).
 */
LIBBPF_API struct bpf_linker *bpf_linker__new_fd(int fd, struct bpf_linker_opts *opts);

/**
 * @brief Adds the BPF object file @filename: its sections are appended to
 * the output's sections of the same name, its global symbols resolved
 * against those added before.
 * @return 0, or -errno (errno set) with one log line naming the object and
 * the offending section, symbol or offset. After a failure the linker only
 * accepts bpf_linker__free().
 */
LIBBPF_API int bpf_linker__add_file(struct bpf_linker *linker, const char *filename,
				    const struct bpf_linker_file_opts *opts);

/** @brief bpf_linker__add_file() for an object read from @fd (not closed). */
LIBBPF_API int bpf_linker__add_fd(struct bpf_linker *linker, int fd,
				  const struct bpf_linker_file_opts *opts);

/** @brief bpf_linker__add_file() for an object in memory (@buf is copied). */
LIBBPF_API int bpf_linker__add_buf(struct bpf_linker *linker, void *buf, size_t buf_sz,
				   const struct bpf_linker_file_opts *opts);

/**
 * @brief Merges the BTF and BTF.ext of the added objects and writes the
 * linked object.
 * @return 0 or -errno (errno set).
 */
LIBBPF_API int bpf_linker__finalize(struct bpf_linker *linker);

/** @brief Frees @linker (NULL accepted); closes the output file it opened. */
LIBBPF_API void bpf_linker__free(struct bpf_linker *linker);

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LIBBPF_LINKER_H */
