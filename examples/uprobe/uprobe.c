// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * uprobe: traces calls of a libc function (default malloc) with a uprobe
 * and a uretprobe, printing argument, return value and latency.
 *
 *   uprobe [-p PID] [-n COUNT] [-v] [FUNC]
 *
 * -p only calls made by process PID
 * -n exits after COUNT calls
 * Prints "ready" once attached; Ctrl-C stops it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "uprobe.h"
#include "uprobe.skel.h"

static volatile sig_atomic_t exiting;
static bool verbose;
static long remaining = -1;
static const char *func = "malloc";

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

static int handle_call(void *ctx, void *data, size_t size)
{
	const struct call *c = data;

	printf("CALL %s pid=%d comm=%s arg1=0x%lx ret=%ld (%lluns)\n", func, c->pid,
	       c->comm, c->arg1, c->ret, c->latency_ns);
	fflush(stdout);
	if (remaining > 0 && --remaining == 0)
		exiting = 1;
	return 0;
}

/* Path of the libc this program runs with. */
static const char *libc_path(void)
{
	Dl_info info;

	if (dladdr((void *)gnu_get_libc_version, &info) && info.dli_fname)
		return info.dli_fname;
	return "libc.so.6";
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uopts);
	struct ring_buffer *rb = NULL;
	struct uprobe *skel;
	const char *libc;
	int opt, err, pid = -1;

	while ((opt = getopt(argc, argv, "p:n:v")) != -1) {
		switch (opt) {
		case 'p': pid = atoi(optarg); break;
		case 'n': remaining = strtol(optarg, NULL, 10); break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: %s [-p PID] [-n COUNT] [-v] [FUNC]\n", argv[0]);
			return 2;
		}
	}
	if (optind < argc)
		func = argv[optind];
	libbpf_set_print(print_fn);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	skel = uprobe__open();
	if (!skel) {
		fprintf(stderr, "failed to open the BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->target_pid = pid > 0 ? pid : 0;
	err = uprobe__load(skel);
	if (err) {
		fprintf(stderr, "failed to load the BPF skeleton: %s\n", strerror(-err));
		goto out;
	}

	/* attach by function name in the libc binary; pid -1 = every process */
	libc = libc_path();
	uopts.func_name = func;
	uopts.retprobe = false;
	skel->links.on_entry = bpf_program__attach_uprobe_opts(skel->progs.on_entry,
							       pid, libc, 0, &uopts);
	uopts.retprobe = true;
	skel->links.on_return = bpf_program__attach_uprobe_opts(skel->progs.on_return,
								pid, libc, 0, &uopts);
	if (!skel->links.on_entry || !skel->links.on_return) {
		err = -errno;
		fprintf(stderr, "failed to attach to %s in %s: %s\n", func, libc, strerror(errno));
		goto out;
	}
	/* nothing else to auto-attach; the skeleton keeps the links above */
	err = uprobe__attach(skel);
	if (err) {
		fprintf(stderr, "failed to attach the BPF skeleton: %s\n", strerror(-err));
		goto out;
	}

	rb = ring_buffer__new(bpf_map__fd(skel->maps.calls), handle_call, NULL, NULL);
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
	uprobe__destroy(skel);
	return err < 0 ? 1 : 0;
}
