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

/*
 * True when the libbpf API level these headers claim (libbpf_version.h) is
 * at least MAJOR.MINOR.
 */
#define __LIBBPF_CURRENT_VERSION_GEQ(major, minor)			\
	(LIBBPF_MAJOR_VERSION > (major) ||				\
	 (LIBBPF_MAJOR_VERSION == (major) && LIBBPF_MINOR_VERSION >= (minor)))

/*
 * LIBBPF_DEPRECATED_SINCE(MAJOR, MINOR, MSG) marks a declaration deprecated
 * from API level MAJOR.MINOR on: it expands through
 * __LIBBPF_MARK_DEPRECATED_<MAJOR>_<MINOR>, which applies the attribute
 * only when the claimed level has reached that version.
 */
#define LIBBPF_DEPRECATED_SINCE(major, minor, msg)			\
	__LIBBPF_MARK_DEPRECATED_ ## major ## _ ## minor		\
		(LIBBPF_DEPRECATED("libbpf v" # major "." # minor "+: " msg))

#if __LIBBPF_CURRENT_VERSION_GEQ(0, 7)
#define __LIBBPF_MARK_DEPRECATED_0_7(X) X
#else
#define __LIBBPF_MARK_DEPRECATED_0_7(X)
#endif
#if __LIBBPF_CURRENT_VERSION_GEQ(0, 8)
#define __LIBBPF_MARK_DEPRECATED_0_8(X) X
#else
#define __LIBBPF_MARK_DEPRECATED_0_8(X)
#endif
#if __LIBBPF_CURRENT_VERSION_GEQ(1, 0)
#define __LIBBPF_MARK_DEPRECATED_1_0(X) X
#else
#define __LIBBPF_MARK_DEPRECATED_1_0(X)
#endif

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
