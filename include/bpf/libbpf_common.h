/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Common definitions shared by every evbpf public header: the export macro,
 * the deprecation helper and the LIBBPF_OPTS() initialiser for extensible
 * option structs (every such struct starts with `size_t sz`).
 */
#ifndef __LIBBPF_LIBBPF_COMMON_H
#define __LIBBPF_LIBBPF_COMMON_H

#include <string.h>
#include "libbpf_version.h"

/* Marks a symbol as part of the shared library's public ABI. The library is
 * built with -fvisibility=hidden, so everything else stays internal. */
#ifndef LIBBPF_API
#define LIBBPF_API __attribute__((visibility("default")))
#endif

#define LIBBPF_DEPRECATED(msg) __attribute__((deprecated(msg)))

/* Compile-time check that evbpf's headers (not another libbpf's) are in use. */
#define EVBPF_HEADERS 1

/*
 * Declares and zero-initialises an options struct TYPE named NAME, sets its
 * `sz` to sizeof(struct TYPE) and applies the designated initialisers given.
 * The memset makes padding bytes zero too, which the library checks.
 */
#define LIBBPF_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE) {						\
			.sz = sizeof(struct TYPE),			\
			__VA_ARGS__					\
		};							\
	})

/* Re-initialises an existing options struct NAME in place. */
#define LIBBPF_OPTS_RESET(NAME, ...)					\
	do {								\
		typeof(NAME) ___##NAME = ({				\
			memset(&___##NAME, 0, sizeof(NAME));		\
			(typeof(NAME)) {				\
				.sz = sizeof(NAME),			\
				__VA_ARGS__				\
			};						\
		});							\
		memcpy(&NAME, &___##NAME, sizeof(NAME));		\
	} while (0)

#endif /* __LIBBPF_LIBBPF_COMMON_H */
