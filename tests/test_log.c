// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Logging and error reporting: libbpf_set_print, evbpf_set_print,
 * libbpf_strerror, libbpf_get_error, option-struct checks. */
#include <errno.h>

#include <bpf/libbpf.h>
#include "base/base_internal.h"
#include "evbpf_test.h"

static int libbpf_cb_calls;
static char libbpf_cb_msg[256];

static int libbpf_cb(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	libbpf_cb_calls++;
	vsnprintf(libbpf_cb_msg, sizeof(libbpf_cb_msg), fmt, ap);
	return 0;
}

static void test_libbpf_set_print(void **state)
{
	libbpf_print_fn_t old;

	old = libbpf_set_print(libbpf_cb);
	assert_null(old); /* the default printer is not a libbpf_print_fn_t */
	libbpf_cb_calls = 0;
	pr_warn("hello %d", 42);
	pr_debug("debug %d", 1);
	assert_int_equal(libbpf_cb_calls, 2);
	assert_string_equal(libbpf_cb_msg, "evbpf: debug 1\n");
	old = libbpf_set_print(NULL);
	assert_ptr_equal(old, libbpf_cb);
	pr_warn("silent");
	assert_int_equal(libbpf_cb_calls, 2);
}

struct ctx_seen { int calls; enum libbpf_print_level level; };

static int evbpf_cb(enum libbpf_print_level level, const char *msg, void *ctx)
{
	struct ctx_seen *seen = ctx;

	seen->calls++;
	seen->level = level;
	return 0;
}

static void test_evbpf_set_print_ctx(void **state)
{
	struct ctx_seen seen = {0};

	evbpf_set_print(evbpf_cb, &seen);
	pr_info("info");
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.level, LIBBPF_INFO);
	/* libbpf_set_print replaces ours and reports no previous libbpf fn */
	assert_null(libbpf_set_print(NULL));
	pr_warn("dropped");
	assert_int_equal(seen.calls, 1);
	evbpf_test_capture_log();
	pr_warn("errno kept");
	assert_non_null(strstr(evbpf_test_log(), "errno kept"));
}

static void test_log_keeps_errno(void **state)
{
	evbpf_test_capture_log();
	errno = EBADF;
	pr_warn("x");
	assert_int_equal(errno, EBADF);
}

static void test_strerror(void **state)
{
	char buf[64];

	assert_int_equal(libbpf_strerror(-ENOENT, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "No such file or directory");
	assert_int_equal(libbpf_strerror(LIBBPF_ERRNO__FORMAT, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "BPF object format invalid");
	assert_int_equal(libbpf_strerror(-LIBBPF_ERRNO__VERIFY, buf, 10), 0);
	assert_int_equal(strlen(buf), 9);
	assert_int_equal(libbpf_strerror(99999, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(errno, EINVAL);
}

static void test_get_error(void **state)
{
	int x;

	errno = ENOMEM;
	assert_int_equal(libbpf_get_error(NULL), -ENOMEM);
	assert_int_equal(libbpf_get_error(&x), 0);
}

struct demo_opts {
	size_t sz;
	int a;
	long b;
	size_t :0;
};

static void test_opts_valid(void **state)
{
	struct { struct demo_opts o; char extra[16]; } big;
	LIBBPF_OPTS(demo_opts, o, .a = 1);

	evbpf_test_capture_log();
	assert_true(OPTS_VALID((struct demo_opts *)NULL, demo_opts, b));
	assert_true(OPTS_VALID(&o, demo_opts, b));
	assert_int_equal(OPTS_GET(&o, a, 7), 1);

	/* an older, smaller struct: fields it lacks read as the fallback */
	o.sz = offsetofend(struct demo_opts, a);
	assert_true(OPTS_VALID(&o, demo_opts, b));
	assert_int_equal(OPTS_GET(&o, b, 9), 9);

	/* a newer, larger struct: unknown bytes must be zero */
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	assert_true(OPTS_VALID(&big.o, demo_opts, b));
	big.extra[3] = 1;
	assert_false(OPTS_VALID(&big.o, demo_opts, b));
	assert_non_null(strstr(evbpf_test_log(), "demo_opts"));

	o.sz = 2;
	assert_false(OPTS_VALID(&o, demo_opts, b));
}

static void test_version(void **state)
{
	char want[32];

	snprintf(want, sizeof(want), "v%u.%u", libbpf_major_version(),
		 libbpf_minor_version());
	assert_string_equal(libbpf_version_string(), want);
	assert_int_equal(libbpf_major_version(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libbpf_set_print),
		cmocka_unit_test(test_evbpf_set_print_ctx),
		cmocka_unit_test(test_log_keeps_errno),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_get_error),
		cmocka_unit_test(test_opts_valid),
		cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests_name("log", tests, evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
