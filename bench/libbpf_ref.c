// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf-bench-libbpf: the reference consumers, built against the system's
 * libbpf (Debian libbpf-dev) and nothing of evbpf's. evbpf-bench runs it as a
 * subprocess (libbpf's symbols collide with ours) and reads one JSON line of
 * metrics per run from its stdout.
 *
 *   evbpf-bench-libbpf --obj bench_prod.bpf.o --mode MODE [--runs N] [options]
 *   MODE: poll | busy | drain | perf | perf-tuned
 *   evbpf-bench-libbpf --load OBJ[,OBJ...] [--runs N]: open+load time
 *   evbpf-bench-libbpf --mapupdate N [--runs N]: N map updates, one syscall each
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "compat.h"

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int load_runs(char *list, unsigned runs)
{
	char *paths[64], *save = NULL, *tok;
	unsigned n = 0, i;

	for (tok = strtok_r(list, ",", &save); tok && n < 64; tok = strtok_r(NULL, ",", &save))
		paths[n++] = tok;
	for (i = 0; i < runs; i++) {
		struct bench_result res;
		int err = bench_compat_load(paths, n, &res);

		if (err) {
			fprintf(stderr, "evbpf-bench-libbpf: load failed: %s\n", strerror(-err));
			return 1;
		}
		bench_result_json(stdout, &res);
		putchar('\n');
		fflush(stdout);
	}
	return 0;
}

static int mapupdate_runs(unsigned n, unsigned runs)
{
	unsigned i;

	for (i = 0; i < runs; i++) {
		struct bench_result res;
		int err = bench_compat_mapupdate(n, &res);

		if (err) {
			fprintf(stderr, "evbpf-bench-libbpf: map updates failed: %s\n",
				strerror(-err));
			return 1;
		}
		bench_result_json(stdout, &res);
		putchar('\n');
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_params p;
	const char *obj = NULL;
	char *load_list = NULL;
	unsigned mapupdate = 0;
	enum bench_compat_mode m = BENCH_C_POLL;
	unsigned runs = 1, i;
	int a, err;

	bench_params_default(&p);
	for (a = 1; a < argc; a++) {
		int took = bench_parse_opt(&p, argc, argv, &a);

		if (took < 0) {
			fprintf(stderr, "bad value for %s\n", argv[a]);
			return 2;
		}
		if (took)
			continue;
		if (!strcmp(argv[a], "--mapupdate") && a + 1 < argc) {
			mapupdate = (unsigned)atoi(argv[++a]);
		} else if (!strcmp(argv[a], "--load") && a + 1 < argc) {
			load_list = argv[++a];
		} else if (!strcmp(argv[a], "--obj") && a + 1 < argc) {
			obj = argv[++a];
		} else if (!strcmp(argv[a], "--runs") && a + 1 < argc) {
			runs = (unsigned)atoi(argv[++a]);
		} else if (!strcmp(argv[a], "--mode") && a + 1 < argc) {
			const char *v = argv[++a];

			if (bench_compat_mode_parse(v, &m))
				goto usage;
		} else {
			goto usage;
		}
	}
	libbpf_set_print(quiet_print);
	if (load_list)
		return load_runs(load_list, runs);
	if (mapupdate)
		return mapupdate_runs(mapupdate, runs);
	if (!obj)
		goto usage;
	bench_compat_adjust(&p, m);
	for (i = 0; i < runs; i++) {
		struct bench_result res;

		err = bench_compat_run(obj, &p, m, &res);
		if (!err) {
			bench_result_json(stdout, &res);
			putchar('\n');
			fflush(stdout);
		} else {
			fprintf(stderr, "evbpf-bench-libbpf: run failed: %s\n", strerror(-err));
			return 1;
		}
	}
	return 0;
usage:
	fprintf(stderr, "usage: evbpf-bench-libbpf --obj FILE --mode poll|busy|drain|perf|perf-tuned"
		" [--runs N] [options]\n"
		"       evbpf-bench-libbpf --load OBJ[,OBJ...] [--runs N]\n"
		"       evbpf-bench-libbpf --mapupdate N [--runs N]\n%s", bench_opts_help);
	return 2;
}
