/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the evbpf headers share: the export macro of evbpf's own API and the
 * library's log callback. <bpf/libbpf.h> includes this too, so
 * evbpf_set_print() is reachable from either side.
 */
#ifndef EVBPF_EVBPF_COMMON_H
#define EVBPF_EVBPF_COMMON_H

/* Marks a function of evbpf's own API as exported from the shared library
 * (the library builds with -fvisibility=hidden). */
#define EVBPF_API __attribute__((visibility("default")))

/* enum libbpf_print_level (this header is also included from there) */
#include "../bpf/libbpf_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief evbpf extension of libbpf_set_print(): the callback also receives
 * @p ctx, so one process can route messages of several users apart.
 * Replaces any callback set by either call; NULL @p fn silences the library.
 * The library prints only through this callback (default: WARN to stderr).
 */
typedef int (*evbpf_print_fn_t)(enum libbpf_print_level level,
				const char *msg, void *ctx);
EVBPF_API void evbpf_set_print(evbpf_print_fn_t fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* EVBPF_EVBPF_COMMON_H */
