/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared test helpers. Every test includes this instead of cmocka.h.
 *
 * Skips: a kernel test may skip only when a capability is truly missing, and
 * says which. Under CI=true every skip is a failure, because CI's machine
 * has every capability the suite needs.
 */
#ifndef EVBPF_TEST_H
#define EVBPF_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Skip the current test because @why (a capability) is missing; fails instead
 * when CI=true. */
#define EVBPF_SKIP(why)							\
	do {								\
		if (evbpf_test_in_ci()) {				\
			fail_msg("skip not allowed under CI=true: %s", (why)); \
		} else {						\
			print_message("SKIP: %s\n", (why));		\
			skip();						\
		}							\
	} while (0)

/* True when CI=true is in the environment. */
int evbpf_test_in_ci(void);

/* A function a uprobe or USDT probe in a test targets: kept out of line,
 * under its own symbol and never cloned or specialised (gcc's .constprop /
 * .isra clones at -O2 and above, and LTO, would leave the probed symbol
 * uncalled). */
#if defined(__has_attribute)
#if __has_attribute(noipa)
#define EVBPF_PROBE_TARGET __attribute__((noipa, used))
#endif
#endif
#ifndef EVBPF_PROBE_TARGET
#define EVBPF_PROBE_TARGET __attribute__((noinline, used, optnone))
#endif

/* Number of open fds of this process (entries of /proc/self/fd). */
int evbpf_test_fd_count(void);

/* Path of the compiled BPF object @name ("minimal" -> .../progs/minimal.bpf.o)
 * in a buffer of the calling thread. */
const char *evbpf_test_prog_path(const char *name);

/* Reads a whole file into a malloc'ed buffer; returns NULL on error. */
void *evbpf_test_read_file(const char *path, size_t *size);

/* Captures library log output into a buffer the test can inspect. */
void evbpf_test_capture_log(void);
const char *evbpf_test_log(void);
void evbpf_test_log_reset(void);

/* Group setup/teardown that fails the group if it leaked fds. Use as the
 * setup/teardown of cmocka_run_group_tests(). */
int evbpf_test_fd_setup(void **state);
int evbpf_test_fd_teardown(void **state);

#endif
