// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Tracepoints and raw tracepoints: explicit and section-name attach, BPF
 * cookies, sections naming no target, and the errors of bad targets. The
 * programs count getppid() calls the test makes. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attach/attach_internal.h"
#include "test_attach_util.h"

static struct bpf_object *obj;

static int setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	obj = t_open_load("attach_tp");
	t_cfg(obj, 1, SYS_getppid);
	return 0;
}

static int teardown(void **state)
{
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

static void trigger(int n)
{
	while (n--)
		syscall(SYS_getppid);
}

static void test_tracepoint_explicit(void **state)
{
	LIBBPF_OPTS(bpf_tracepoint_opts, opts, .bpf_cookie = 0x1234);
	struct bpf_link *link;
	__u64 before = t_count(obj, 0);

	link = bpf_program__attach_tracepoint_opts(t_prog(obj, "tp_getppid"),
						   "syscalls", "sys_enter_getppid",
						   &opts);
	assert_non_null(link);
	trigger(3);
	assert_int_equal(t_count(obj, 0), before + 3);
	assert_int_equal(t_val(obj, 0), 0x1234);
	assert_int_equal(bpf_link__destroy(link), 0);
	trigger(2);
	assert_int_equal(t_count(obj, 0), before + 3);

	/* no options: cookie 0 */
	link = bpf_program__attach_tracepoint(t_prog(obj, "tp_getppid"),
					      "syscalls", "sys_enter_getppid");
	assert_non_null(link);
	trigger(1);
	assert_int_equal(t_count(obj, 0), before + 4);
	assert_int_equal(t_val(obj, 0), 0);
	bpf_link__destroy(link);
}

static void test_auto_attach(void **state)
{
	struct bpf_link *l1, *l2;
	__u64 b1 = t_count(obj, 1), b3 = t_count(obj, 3);

	l1 = bpf_program__attach(t_prog(obj, "tp_short"));
	assert_non_null(l1);
	l2 = bpf_program__attach(t_prog(obj, "raw_long"));
	assert_non_null(l2);
	assert_true(bpf_link__fd(l2) >= 0);
	trigger(4);
	assert_int_equal(t_count(obj, 1), b1 + 4);
	assert_int_equal(t_count(obj, 3), b3 + 4);
	bpf_link__destroy(l1);
	bpf_link__destroy(l2);
	trigger(1);
	assert_int_equal(t_count(obj, 1), b1 + 4);
	assert_int_equal(t_count(obj, 3), b3 + 4);
}

static void test_raw_tp_cookie(void **state)
{
	LIBBPF_OPTS(bpf_raw_tracepoint_opts, opts, .cookie = 0xabcdef);
	struct bpf_link *link;
	__u64 before = t_count(obj, 2);

	link = bpf_program__attach_raw_tracepoint_opts(t_prog(obj, "raw_enter"),
						       "sys_enter", &opts);
	assert_non_null(link);
	trigger(2);
	assert_int_equal(t_count(obj, 2), before + 2);
	assert_int_equal(t_val(obj, 2), 0xabcdef);
	bpf_link__destroy(link);

	link = bpf_program__attach_raw_tracepoint(t_prog(obj, "raw_enter"),
						  "sys_enter");
	assert_non_null(link);
	trigger(1);
	assert_int_equal(t_count(obj, 2), before + 3);
	assert_int_equal(t_val(obj, 2), 0);
	bpf_link__destroy(link);
}

static void test_bare_sections(void **state)
{
	struct bpf_link *link = (struct bpf_link *)1;

	evbpf_test_capture_log();
	/* skeleton semantics: success, no link */
	assert_int_equal(evbpf__prog_auto_attach(t_prog(obj, "tp_bare"), &link), 0);
	assert_null(link);
	assert_int_equal(evbpf__prog_auto_attach(t_prog(obj, "raw_bare"), &link), 0);
	assert_null(link);
	/* explicit bpf_program__attach: an error */
	assert_null(bpf_program__attach(t_prog(obj, "tp_bare")));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_non_null(strstr(evbpf_test_log(), "does not say where to attach"));
	trigger(1);
	assert_int_equal(t_count(obj, 4), 0);
	assert_int_equal(t_count(obj, 5), 0);
}

static void test_errors(void **state)
{
	struct bpf_object *fresh;

	evbpf_test_capture_log();
	assert_null(bpf_program__attach_tracepoint(t_prog(obj, "tp_getppid"),
						   "syscalls", "sys_enter_nonexistent"));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(evbpf_test_log(),
			       "tracepoint 'syscalls/sys_enter_nonexistent' not found"));

	evbpf_test_log_reset();
	assert_null(bpf_program__attach(t_prog(obj, "tp_bad")));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "tracepoint/<category>/<name>"));

	assert_null(bpf_program__attach_raw_tracepoint(t_prog(obj, "raw_enter"),
						       "no_such_raw_tp"));
	assert_true(errno == ENOENT || errno == EINVAL);
	assert_null(bpf_program__attach_tracepoint(t_prog(obj, "tp_getppid"),
						   "a/b", "c"));
	assert_int_equal(errno, EINVAL);

	/* not loaded */
	fresh = bpf_object__open_file(evbpf_test_prog_path("attach_tp"), NULL);
	assert_non_null(fresh);
	evbpf_test_log_reset();
	assert_null(bpf_program__attach(t_prog(fresh, "tp_short")));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "attach before load"));
	bpf_object__close(fresh);

	/* opts with unknown non-zero tail */
	{
		struct { struct bpf_tracepoint_opts o; __u64 extra; } big = {
			.o.sz = sizeof(big), .extra = 1,
		};

		assert_null(bpf_program__attach_tracepoint_opts(
			t_prog(obj, "tp_getppid"), "syscalls",
			"sys_enter_getppid", &big.o));
		assert_int_equal(errno, EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracepoint_explicit),
		cmocka_unit_test(test_auto_attach),
		cmocka_unit_test(test_raw_tp_cookie),
		cmocka_unit_test(test_bare_sections),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("attach_tp", tests, setup, teardown);
}
