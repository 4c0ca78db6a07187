// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Uprobes: entry and return probes on a function of this test binary and
 * on libc's getpgid(), explicit and by section name, with cookies, in
 * link, perf-ioctl and legacy (uprobe_events) modes; uprobe.multi. */
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "attach/attach_internal.h"
#include "test_attach_util.h"

__attribute__((noinline, used)) int evbpf_uprobe_target(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x * 2 + 1;
}

__attribute__((noinline, used)) int evbpf_umulti_a(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x + 1;
}

__attribute__((noinline, used)) int evbpf_umulti_b(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x + 2;
}

/* not matched by "evbpf_umulti_*" */
__attribute__((noinline, used)) int evbpf_umult_c(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x + 3;
}

static int (*volatile target)(int) = evbpf_uprobe_target;
static struct bpf_object *obj;
static char self[PATH_MAX];

static int setup(void **state)
{
	ssize_t n;

	if (evbpf_test_fd_setup(state))
		return -1;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	obj = t_open_load("attach_uprobe");
	return 0;
}

static int teardown(void **state)
{
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

static void test_uprobe_by_name(void **state)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = "evbpf_uprobe_target",
		    .bpf_cookie = 77);
	struct bpf_link *up, *ret;
	__u64 b0 = t_count(obj, 0), b1 = t_count(obj, 1);

	up = bpf_program__attach_uprobe_opts(t_prog(obj, "up_func"), 0, self, 0,
					     &opts);
	assert_non_null(up);
	LIBBPF_OPTS_RESET(opts, .func_name = "evbpf_uprobe_target", .retprobe = true);
	ret = bpf_program__attach_uprobe_opts(t_prog(obj, "uret_func"), -1, self,
					      0, &opts);
	assert_non_null(ret);

	assert_int_equal(target(20), 41);
	assert_int_equal(target(5), 11);
	assert_int_equal(t_count(obj, 0), b0 + 2);
	assert_int_equal(t_count(obj, 1), b1 + 2);
	assert_int_equal(t_val(obj, 0), 5);	/* first argument */
	assert_int_equal(t_val(obj, 1), 77);	/* cookie */
	assert_int_equal(t_val(obj, 2), 11);	/* return value */

	bpf_link__destroy(up);
	bpf_link__destroy(ret);
	target(1);
	assert_int_equal(t_count(obj, 0), b0 + 2);
	assert_int_equal(t_count(obj, 1), b1 + 2);
}

static void test_uprobe_by_offset(void **state)
{
	struct bpf_link *up;
	long off = evbpf__elf_func_offset(self, "evbpf_uprobe_target");
	__u64 b0 = t_count(obj, 0);

	assert_true(off > 0);
	up = bpf_program__attach_uprobe(t_prog(obj, "up_func"), false, getpid(),
					self, off);
	assert_non_null(up);
	target(9);
	assert_int_equal(t_count(obj, 0), b0 + 1);
	assert_int_equal(t_val(obj, 0), 9);
	assert_int_equal(t_val(obj, 1), 0);
	bpf_link__destroy(up);
}

static void test_uprobe_auto(void **state)
{
	struct bpf_link *a, *b, *c, *d;
	__u64 b2 = t_count(obj, 2), b3 = t_count(obj, 3);
	__u64 b4 = t_count(obj, 4), b5 = t_count(obj, 5);

	a = bpf_program__attach(t_prog(obj, "up_auto"));
	assert_non_null(a);
	b = bpf_program__attach(t_prog(obj, "uret_auto"));
	assert_non_null(b);
	c = bpf_program__attach(t_prog(obj, "up_libc"));
	assert_non_null(c);
	d = bpf_program__attach(t_prog(obj, "uret_libc"));
	assert_non_null(d);

	target(100);
	assert_int_equal(getpgid(0), getpgrp());
	assert_int_equal(t_count(obj, 2), b2 + 1);
	assert_int_equal(t_count(obj, 3), b3 + 1);
	assert_int_equal(t_val(obj, 3), 201);
	assert_true(t_count(obj, 4) >= b4 + 1);
	assert_true(t_count(obj, 5) >= b5 + 1);
	assert_int_equal(t_val(obj, 4), 0);	/* getpgid(0) */

	bpf_link__destroy(a);
	bpf_link__destroy(b);
	bpf_link__destroy(c);
	bpf_link__destroy(d);
}

/* Whether uprobe_events still lists a probe of this process. */
static bool legacy_probe_listed(void)
{
	char buf[8192], tag[64];
	size_t n;
	FILE *f = fopen("/sys/kernel/tracing/uprobe_events", "r");

	if (!f)
		f = fopen("/sys/kernel/debug/tracing/uprobe_events", "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	snprintf(tag, sizeof(tag), "evbpf_%d_", (int)getpid());
	return strstr(buf, tag) != NULL;
}

static void test_uprobe_modes(void **state)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = "evbpf_uprobe_target",
		    .attach_mode = PROBE_ATTACH_MODE_LEGACY);
	struct bpf_link *l;
	__u64 b7 = t_count(obj, 7);

	/* legacy: a probe in uprobe_events, removed again on destroy; the
	 * perf event still gets a BPF link, so cookies work */
	l = bpf_program__attach_uprobe_opts(t_prog(obj, "up_other"), -1, self, 0,
					    &opts);
	assert_non_null(l);
	assert_true(legacy_probe_listed());
	target(1);
	assert_int_equal(t_count(obj, 7), b7 + 1);
	bpf_link__destroy(l);
	assert_false(legacy_probe_listed());
	opts.bpf_cookie = 31;
	l = bpf_program__attach_uprobe_opts(t_prog(obj, "up_func"), -1, self, 0,
					    &opts);
	assert_non_null(l);
	target(3);
	assert_int_equal(t_val(obj, 1), 31);
	assert_int_equal(t_val(obj, 0), 3);
	bpf_link__destroy(l);
	assert_false(legacy_probe_listed());
	opts.bpf_cookie = 0;

	/* perf ioctl: works, but cannot carry a cookie */
	opts.attach_mode = PROBE_ATTACH_MODE_PERF;
	l = bpf_program__attach_uprobe_opts(t_prog(obj, "up_other"), -1, self, 0,
					    &opts);
	assert_non_null(l);
	target(1);
	assert_int_equal(t_count(obj, 7), b7 + 2);
	bpf_link__destroy(l);

	evbpf_test_capture_log();
	opts.bpf_cookie = 5;
	assert_null(bpf_program__attach_uprobe_opts(t_prog(obj, "up_other"), -1,
						    self, 0, &opts));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_non_null(strstr(evbpf_test_log(), "BPF cookies need perf-event BPF links"));

	/* link mode explicitly */
	LIBBPF_OPTS_RESET(opts, .func_name = "evbpf_uprobe_target",
			  .attach_mode = PROBE_ATTACH_MODE_LINK);
	l = bpf_program__attach_uprobe_opts(t_prog(obj, "up_other"), -1, self, 0,
					    &opts);
	assert_non_null(l);
	target(1);
	assert_int_equal(t_count(obj, 7), b7 + 3);
	bpf_link__destroy(l);
}

static void test_uprobe_multi(void **state)
{
	const char *syms[] = { "evbpf_umulti_a", "evbpf_umulti_b" };
	const __u64 cookies[] = { 11, 22 };
	LIBBPF_OPTS(bpf_uprobe_multi_opts, opts, .syms = syms, .cookies = cookies,
		    .cnt = 2);
	struct bpf_link *l;
	__u64 b6 = t_count(obj, 6), b8 = t_count(obj, 8), b9 = t_count(obj, 9);

	/* by section: the pattern matches _a and _b, not evbpf_umult_c */
	l = bpf_program__attach(t_prog(obj, "umulti"));
	assert_non_null(l);
	evbpf_umulti_a(1);
	evbpf_umulti_b(1);
	evbpf_umult_c(1);
	assert_int_equal(t_count(obj, 6), b6 + 2);
	bpf_link__destroy(l);

	/* by names, with a cookie each */
	l = bpf_program__attach_uprobe_multi(t_prog(obj, "umulti"), 0, self, NULL,
					     &opts);
	assert_non_null(l);
	evbpf_umulti_a(1);
	evbpf_umulti_b(1);
	evbpf_umulti_b(1);
	assert_int_equal(t_count(obj, 6), b6 + 5);
	assert_int_equal(t_count(obj, 8), b8 + 1);
	assert_int_equal(t_count(obj, 9), b9 + 2);
	bpf_link__destroy(l);
	evbpf_umulti_a(1);
	assert_int_equal(t_count(obj, 6), b6 + 5);
}

static void test_uprobe_errors(void **state)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = "no_such_function_xyz");
	struct bpf_link *link = (struct bpf_link *)1;

	evbpf_test_capture_log();
	assert_null(bpf_program__attach_uprobe_opts(t_prog(obj, "up_func"), -1,
						    self, 0, &opts));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(evbpf_test_log(), "no_such_function_xyz"));

	assert_null(bpf_program__attach_uprobe(t_prog(obj, "up_func"), false, -1,
					       "libnosuchlib.so.9", 0));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(evbpf_test_log(), "libnosuchlib.so.9"));

	evbpf_test_log_reset();
	assert_null(bpf_program__attach(t_prog(obj, "up_bad")));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "uprobe/<path>:<function>"));

	/* malformed sections */
	{
		static const struct { const char *prog, *why; } bad[] = {
			{ "uret_offset", "uretprobes take no offset" },
			{ "usdt_bad", "usdt/<path>:<provider>:<name>" },
			{ "umulti_bad", "uprobe.multi/<path>:<pattern>" },
			{ "up_badoff", "uprobe/<path>:<function>[+<offset>]" },
		};
		size_t i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			evbpf_test_log_reset();
			assert_null(bpf_program__attach(t_prog(obj, bad[i].prog)));
			assert_int_equal(errno, EINVAL);
			assert_non_null(strstr(evbpf_test_log(), bad[i].why));
		}
	}

	/* bare SEC("uprobe"): nothing to attach to */
	assert_int_equal(evbpf__prog_auto_attach(t_prog(obj, "up_func"), &link), 0);
	assert_null(link);

	assert_null(bpf_program__attach_uprobe_multi(t_prog(obj, "umulti"), -1,
						     self, "no_match_*", NULL));
	assert_int_equal(errno, ENOENT);
	assert_null(bpf_program__attach_uprobe_multi(t_prog(obj, "umulti"), -1,
						     self, NULL, NULL));
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uprobe_by_name),
		cmocka_unit_test(test_uprobe_by_offset),
		cmocka_unit_test(test_uprobe_auto),
		cmocka_unit_test(test_uprobe_modes),
		cmocka_unit_test(test_uprobe_multi),
		cmocka_unit_test(test_uprobe_errors),
	};

	return cmocka_run_group_tests_name("uprobe", tests, setup, teardown);
}
