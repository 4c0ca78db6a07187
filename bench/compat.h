/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * compat.c: loading the producers and consuming them through the libbpf 1.x
 * API. The same source is built against the system libbpf (the reference
 * binary) and against evbpf's libbpf-compatible API (inside evbpf-bench).
 */
#ifndef EVBPF_BENCH_COMPAT_H
#define EVBPF_BENCH_COMPAT_H

#include <string.h>

#include "bench_core.h"

struct bpf_object;

enum bench_compat_mode {
	BENCH_C_POLL,		/* ring_buffer__poll(), or consume on a timer */
	BENCH_C_BUSY,		/* ring_buffer__consume() spinning */
	BENCH_C_DRAIN,		/* prefill, then time ring_buffer__consume() */
	BENCH_C_PERF,		/* perf_buffer__new() + perf_buffer__poll() */
	BENCH_C_PERF_TUNED,	/* perf_buffer__new_raw(), wakeup_events = pb_wakeup */
};

static inline int bench_compat_mode_parse(const char *s, enum bench_compat_mode *m)
{
	static const char *const names[] = { "poll", "busy", "drain", "perf", "perf-tuned" };
	unsigned i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*m = (enum bench_compat_mode)i;
			return 0;
		}
	return -1;
}

/* The parameters a mode implies (which buffer, prefill). */
static inline void bench_compat_adjust(struct bench_params *p, enum bench_compat_mode m)
{
	if (m == BENCH_C_PERF || m == BENCH_C_PERF_TUNED)
		p->buffer = BENCH_BUF_PB;
	if (m == BENCH_C_DRAIN)
		p->prefill = true;
}

/* Opens @path, sets the producers' .rodata and ring size from @p, loads
 * only the program @p needs and fills @fds. *objp is set even on failure
 * (close it with bpf_object__close()). */
int bench_load(const char *path, const struct bench_params *p,
	       struct bpf_object **objp, struct bench_fds *fds);

/* Opens, loads and closes each of the @n objects at @paths, timed as one
 * piece; res->events is @n. */
int bench_compat_load(char *const *paths, unsigned n, struct bench_result *res);

/* Creates a hash map of @n entries and updates each key once with
 * bpf_map_update_elem(): one system call per update. */
int bench_compat_mapupdate(unsigned n, struct bench_result *res);

/* One run of mode @m; fills @res. */
int bench_compat_run(const char *path, const struct bench_params *p,
		     enum bench_compat_mode m, struct bench_result *res);

#endif /* EVBPF_BENCH_COMPAT_H */
