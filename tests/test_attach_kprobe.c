// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Kernel probes: kprobe, kretprobe, ksyscall, kretsyscall, kprobe.multi.
 * Where the kernel has the hook the test triggers it and sees the program
 * run; where it has not (no kprobe PMU, no kprobe_events) it checks the
 * exact error. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attach/attach_internal.h"
#include "test_attach_util.h"

static struct bpf_object *obj;
static bool has_kprobes;

static int setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	obj = t_open_load("attach_kprobe");
	has_kprobes = evbpf__pmu_type("kprobe") >= 0 ||
		      evbpf__tracefs_has("kprobe_events");
	return 0;
}

static int teardown(void **state)
{
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

#define NO_KPROBES "kernel has no kprobe support: no kprobe PMU and no kprobe_events"

static void check_single(const char *prog, int counter)
{
	struct bpf_link *link;

	evbpf_test_capture_log();
	link = bpf_program__attach(t_prog(obj, prog));
	if (!has_kprobes) {
		assert_null(link);
		assert_int_equal(errno, EOPNOTSUPP);
		assert_non_null(strstr(evbpf_test_log(), NO_KPROBES));
		return;
	}
	assert_non_null(link);
	syscall(SYS_getppid);
	{
		struct timespec ts = { 0, 1 };

		nanosleep(&ts, NULL);
	}
	assert_true(t_count(obj, counter) >= 1);
	bpf_link__destroy(link);
}

static void test_kprobe(void **state)
{
	check_single("kp", 0);
}

static void test_kretprobe(void **state)
{
	check_single("krp", 1);
}

static void test_ksyscall(void **state)
{
	check_single("ksys", 2);
	check_single("kretsys", 3);
}

static void test_kprobe_explicit(void **state)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .bpf_cookie = 3, .offset = 0,
		    .attach_mode = PROBE_ATTACH_MODE_LEGACY);
	LIBBPF_OPTS(bpf_ksyscall_opts, sopts, .retprobe = true);
	struct bpf_link *link;

	if (has_kprobes)
		skip();
	evbpf_test_capture_log();
	assert_null(bpf_program__attach_kprobe(t_prog(obj, "kp"), false, "do_nanosleep"));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_null(bpf_program__attach_kprobe_opts(t_prog(obj, "kp"), "do_nanosleep", &opts));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_null(bpf_program__attach_ksyscall(t_prog(obj, "ksys"), "getppid", &sopts));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_non_null(strstr(evbpf_test_log(), "'__x64_sys_getppid'"));
	assert_non_null(strstr(evbpf_test_log(), NO_KPROBES));
	/* the ulimit hint of libbpf never appears */
	assert_null(strstr(evbpf_test_log(), "ulimit"));

	/* bare SEC("kprobe"): nothing to attach to */
	link = (struct bpf_link *)1;
	assert_int_equal(evbpf__prog_auto_attach(t_prog(obj, "kbare"), &link), 0);
	assert_null(link);
	assert_null(bpf_program__attach_kprobe(t_prog(obj, "kp"), false, NULL));
	assert_int_equal(errno, EINVAL);
}

static void test_kprobe_multi(void **state)
{
	const char *syms[] = { "__x64_sys_getppid" };
	const __u64 cookies[] = { 99 };
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = syms, .cookies = cookies,
		    .cnt = 1);
	struct bpf_link *l1, *l2;
	int err;

	evbpf_test_capture_log();
	l1 = bpf_program__attach(t_prog(obj, "kmulti"));
	if (!l1) {
		/* kprobe.multi rides on fprobe, which needs the same support */
		err = errno;
		assert_false(has_kprobes);
		assert_int_equal(err, EOPNOTSUPP);
		assert_non_null(strstr(evbpf_test_log(), "kprobe.multi link: " NO_KPROBES));
		assert_null(bpf_program__attach_kprobe_multi_opts(t_prog(obj, "kmulti"),
								  NULL, &opts));
		assert_int_equal(errno, EOPNOTSUPP);
		return;
	}
	l2 = bpf_program__attach(t_prog(obj, "kretmulti"));
	assert_non_null(l2);
	syscall(SYS_getppid);
	assert_true(t_count(obj, 4) >= 1);
	assert_true(t_count(obj, 5) >= 1);
	bpf_link__destroy(l1);
	bpf_link__destroy(l2);

	l1 = bpf_program__attach_kprobe_multi_opts(t_prog(obj, "kmulti"), NULL, &opts);
	assert_non_null(l1);
	syscall(SYS_getppid);
	assert_int_equal(t_val(obj, 4), 99);
	bpf_link__destroy(l1);
}

static void test_kprobe_multi_bad_args(void **state)
{
	const char *syms[] = { "a" };
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = syms, .cnt = 1);

	evbpf_test_capture_log();
	/* a pattern and syms at once */
	assert_null(bpf_program__attach_kprobe_multi_opts(t_prog(obj, "kmulti"),
							  "x*", &opts));
	assert_int_equal(errno, EINVAL);
	/* neither */
	assert_null(bpf_program__attach_kprobe_multi_opts(t_prog(obj, "kmulti"),
							  NULL, NULL));
	assert_int_equal(errno, EINVAL);
	/* nothing matches */
	assert_null(bpf_program__attach_kprobe_multi_opts(t_prog(obj, "kmulti"),
							  "no_such_fn_evbpf_*", NULL));
	assert_true(errno == ENOENT || errno == EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kprobe),
		cmocka_unit_test(test_kretprobe),
		cmocka_unit_test(test_ksyscall),
		cmocka_unit_test(test_kprobe_explicit),
		cmocka_unit_test(test_kprobe_multi),
		cmocka_unit_test(test_kprobe_multi_bad_args),
	};

	return cmocka_run_group_tests_name("attach_kprobe", tests, setup, teardown);
}
