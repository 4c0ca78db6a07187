// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bootstrap: prints a line for every process exec and exit, using the
 * bootstrap.skel.h skeleton (evbpf-gen) and a BPF ring buffer.
 *
 *   bootstrap [-d MIN_MS] [-P PPID] [-n COUNT] [-v]
 *
 * -d only reports exits of processes that ran at least MIN_MS
 * -P only processes whose parent is PPID
 * -n exits after COUNT records
 * Prints "ready" once attached; Ctrl-C stops it.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "bootstrap.h"
#include "bootstrap.skel.h"

static volatile sig_atomic_t exiting;
static bool verbose;
static long remaining = -1;

static void on_signal(int sig)
{
	exiting = 1;
}

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct event *e = data;

	if (e->exit_event) {
		printf("EXIT %-16s %-7d %-7d [%u]", e->comm, e->pid, e->ppid, e->exit_code);
		if (e->duration_ns)
			printf(" (%llums)", e->duration_ns / 1000000);
		printf("\n");
	} else {
		printf("EXEC %-16s %-7d %-7d %s\n", e->comm, e->pid, e->ppid, e->filename);
	}
	fflush(stdout);
	if (remaining > 0 && --remaining == 0)
		exiting = 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct ring_buffer *rb = NULL;
	struct bootstrap *skel;
	long min_ms = 0, ppid = 0;
	int opt, err;

	while ((opt = getopt(argc, argv, "d:P:n:v")) != -1) {
		switch (opt) {
		case 'd': min_ms = strtol(optarg, NULL, 10); break;
		case 'P': ppid = strtol(optarg, NULL, 10); break;
		case 'n': remaining = strtol(optarg, NULL, 10); break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: %s [-d MIN_MS] [-P PPID] [-n COUNT] [-v]\n", argv[0]);
			return 2;
		}
	}
	libbpf_set_print(print_fn);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	skel = bootstrap__open();
	if (!skel) {
		fprintf(stderr, "failed to open the BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	/* filters: .rodata, writable until load */
	skel->rodata->min_duration_ns = min_ms * 1000000ULL;
	skel->rodata->target_ppid = ppid;

	err = bootstrap__load(skel);
	if (!err)
		err = bootstrap__attach(skel);
	if (err) {
		fprintf(stderr, "failed to load/attach the BPF skeleton: %s\n", strerror(-err));
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "failed to create the ring buffer: %s\n", strerror(errno));
		goto out;
	}
	printf("ready\n");
	fflush(stdout);
	while (!exiting) {
		err = ring_buffer__poll(rb, 100 /* ms */);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "ring buffer poll: %s\n", strerror(-err));
			break;
		}
		err = 0;
	}
out:
	ring_buffer__free(rb);
	bootstrap__destroy(skel);
	return err < 0 ? 1 : 0;
}
