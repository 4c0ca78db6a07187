// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* BTF-typed tracing: tp_btf attached by section name and explicitly with a
 * cookie, seen running on getppid(); trampoline programs (fentry, fexit,
 * fmod_ret, lsm, freplace), which this kernel refuses at load, checked for
 * the exact error at load and at attach. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attach/attach_internal.h"
#include "test_attach_util.h"

static int setup(void **state)
{
	return evbpf_test_fd_setup(state);
}

static bool have_obj(const char *name)
{
	return access(evbpf_test_prog_path(name), R_OK) == 0;
}

static void test_tp_btf(void **state)
{
	LIBBPF_OPTS(bpf_trace_opts, opts, .cookie = 0x55);
	struct bpf_object *obj;
	struct bpf_link *link;

	if (!have_obj("attach_btf"))
		EVBPF_SKIP("kernel BTF (vmlinux.h) for attach_btf.bpf.o");
	obj = t_open_load("attach_btf");
	t_cfg(obj, 1, SYS_getppid);

	link = bpf_program__attach(t_prog(obj, "tpbtf_enter"));
	assert_non_null(link);
	syscall(SYS_getppid);
	syscall(SYS_getppid);
	assert_int_equal(t_count(obj, 0), 2);
	assert_int_equal(t_val(obj, 0), 0);
	bpf_link__destroy(link);
	syscall(SYS_getppid);
	assert_int_equal(t_count(obj, 0), 2);

	link = bpf_program__attach_trace_opts(t_prog(obj, "tpbtf_enter"), &opts);
	assert_non_null(link);
	syscall(SYS_getppid);
	assert_int_equal(t_count(obj, 0), 3);
	assert_int_equal(t_val(obj, 0), 0x55);
	bpf_link__destroy(link);
	bpf_object__close(obj);
}

/* Loads attach_fentry with only @keep autoloaded; expects the EPERM. */
static void check_refused(const char *keep)
{
	struct bpf_object *obj;
	struct bpf_program *p;

	obj = bpf_object__open_file(evbpf_test_prog_path("attach_fentry"), NULL);
	assert_non_null(obj);
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), keep));
	evbpf_test_capture_log();
	assert_int_equal(bpf_object__load(obj), -EPERM);
	assert_int_equal(errno, EPERM);
	assert_non_null(strstr(evbpf_test_log(),
			       "kernel refused a trampoline program (EPERM)"));
	assert_null(strstr(evbpf_test_log(), "ulimit"));

	/* and attaching what did not load says so */
	evbpf_test_log_reset();
	p = t_prog(obj, keep);
	if (bpf_program__type(p) == BPF_PROG_TYPE_LSM)
		assert_null(bpf_program__attach_lsm(p));
	else
		assert_null(bpf_program__attach_trace(p));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "attach before load"));
	assert_null(bpf_program__attach(p));
	assert_int_equal(errno, EINVAL);
	bpf_object__close(obj);
}

static void test_fentry_refused(void **state)
{
	check_refused("fe");
}

static void test_fexit_refused(void **state)
{
	check_refused("fx");
}

static void test_fmod_ret_refused(void **state)
{
	check_refused("fm");
}

static void test_lsm_refused(void **state)
{
	check_refused("lsm_open");
}

static void test_freplace_args(void **state)
{
	struct bpf_object *obj = t_open_load("attach_tp");

	evbpf_test_capture_log();
	/* a target fd without a function name, and a non-EXT program */
	assert_null(bpf_program__attach_freplace(t_prog(obj, "raw_enter"), 3, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_freplace(t_prog(obj, "raw_enter"), 0, NULL));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "BPF_PROG_TYPE_EXT"));
	bpf_object__close(obj);
}

static void test_freplace_refused(void **state)
{
	struct bpf_object *target, *ext;
	struct bpf_program *tc, *nt;
	int target_fd;

	target = bpf_object__open_file(evbpf_test_prog_path("attach_freplace"), NULL);
	assert_non_null(target);
	bpf_program__set_autoload(t_prog(target, "new_target"), false);
	assert_int_equal(bpf_object__load(target), 0);
	tc = t_prog(target, "tc_main");
	target_fd = bpf_program__fd(tc);

	ext = bpf_object__open_file(evbpf_test_prog_path("attach_freplace"), NULL);
	assert_non_null(ext);
	bpf_program__set_autoload(t_prog(ext, "tc_main"), false);
	nt = t_prog(ext, "new_target");
	assert_int_equal(bpf_program__set_attach_target(nt, target_fd,
							"freplace_target"), 0);
	evbpf_test_capture_log();
	assert_int_equal(bpf_object__load(ext), -EPERM);
	assert_non_null(strstr(evbpf_test_log(),
			       "kernel refused a trampoline program (EPERM)"));
	evbpf_test_log_reset();
	assert_null(bpf_program__attach_freplace(nt, target_fd, "freplace_target"));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "attach before load"));
	bpf_object__close(ext);
	bpf_object__close(target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tp_btf),
		cmocka_unit_test(test_fentry_refused),
		cmocka_unit_test(test_fexit_refused),
		cmocka_unit_test(test_fmod_ret_refused),
		cmocka_unit_test(test_lsm_refused),
		cmocka_unit_test(test_freplace_args),
		cmocka_unit_test(test_freplace_refused),
	};

	return cmocka_run_group_tests_name("attach_trace", tests, setup,
					   evbpf_test_fd_teardown);
}
