// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* USDT: probes this test binary defines (tests/test_usdt_sdt.h), attached
 * explicitly and by section name; arguments read with <bpf/usdt.bpf.h>,
 * cookies, semaphores counted while attached, spec slots reused. */
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "attach/attach_internal.h"
#include "test_attach_util.h"
#include "test_usdt_sdt.h"

EVBPF_USDT_SEMA_DEFINE(evbpftest, sema);

static int sema_fired;

__attribute__((noinline, used)) void usdt_fire_two(int a, unsigned long b)
{
	EVBPF_USDT2(evbpftest, two, a, b);
}

__attribute__((noinline, used)) void usdt_fire_none(void)
{
	EVBPF_USDT0(evbpftest, none);
}

__attribute__((noinline, used)) void usdt_fire_sema(int a)
{
	/* like sdt.h users: only pay for the probe while someone listens */
	if (EVBPF_USDT_ENABLED(evbpftest, sema)) {
		sema_fired++;
		EVBPF_USDT1_SEMA(evbpftest, sema, a);
	}
}

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
	obj = t_open_load("attach_usdt");
	return 0;
}

static int teardown(void **state)
{
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

static void test_usdt_args(void **state)
{
	LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = 0xc0ffee);
	struct bpf_link *link;
	__u64 b0 = t_count(obj, 0);

	link = bpf_program__attach_usdt(t_prog(obj, "usdt_two"), -1, self,
					"evbpftest", "two", &opts);
	assert_non_null(link);
	usdt_fire_two(-7, 1234567890123UL);
	assert_int_equal(t_count(obj, 0), b0 + 1);
	assert_int_equal((long)t_val(obj, 0), -7);
	assert_int_equal(t_val(obj, 1), 1234567890123UL);
	assert_int_equal(t_val(obj, 2), 0xc0ffee);
	assert_int_equal(t_val(obj, 3), 2);
	usdt_fire_two(42, 0);
	assert_int_equal(t_count(obj, 0), b0 + 2);
	assert_int_equal(t_val(obj, 0), 42);
	assert_int_equal(bpf_link__destroy(link), 0);
	usdt_fire_two(1, 1);
	assert_int_equal(t_count(obj, 0), b0 + 2);
}

static void test_usdt_no_args(void **state)
{
	struct bpf_link *link;

	link = bpf_program__attach_usdt(t_prog(obj, "usdt_none"), getpid(), self,
					"evbpftest", "none", NULL);
	assert_non_null(link);
	usdt_fire_none();
	assert_int_equal(t_count(obj, 2), 1);
	assert_int_equal(t_val(obj, 5), 0);
	assert_int_equal((long)t_val(obj, 6), -ENOENT);
	assert_int_equal(t_val(obj, 7), 0);	/* zeroed on error */
	bpf_link__destroy(link);
}

static void test_usdt_semaphore(void **state)
{
	struct bpf_link *link;
	__u64 b1 = t_count(obj, 1);

	usdt_fire_sema(1);
	assert_int_equal(sema_fired, 0);
	assert_false(EVBPF_USDT_ENABLED(evbpftest, sema));

	/* by section name: usdt//proc/self/exe:evbpftest:sema */
	link = bpf_program__attach(t_prog(obj, "usdt_sema"));
	assert_non_null(link);
	assert_true(EVBPF_USDT_ENABLED(evbpftest, sema));
	usdt_fire_sema(-3);
	assert_int_equal(sema_fired, 1);
	assert_int_equal(t_count(obj, 1), b1 + 1);
	assert_int_equal((long)t_val(obj, 4), -3);
	bpf_link__destroy(link);
	assert_false(EVBPF_USDT_ENABLED(evbpftest, sema));
}

static void test_usdt_slots_reused(void **state)
{
	struct bpf_link *links[4], *link;
	int i;

	/* attach_usdt.bpf.c has 4 spec slots: fill them all */
	for (i = 0; i < 4; i++) {
		links[i] = bpf_program__attach_usdt(t_prog(obj, "usdt_two"), -1,
						    self, "evbpftest", "two", NULL);
		assert_non_null(links[i]);
	}
	evbpf_test_capture_log();
	assert_null(bpf_program__attach_usdt(t_prog(obj, "usdt_two"), -1, self,
					     "evbpftest", "two", NULL));
	assert_int_equal(errno, E2BIG);
	assert_non_null(strstr(evbpf_test_log(), "BPF_USDT_MAX_SPEC_CNT"));
	/* each attached site fires */
	usdt_fire_two(1, 2);
	assert_true(t_count(obj, 0) >= 4);
	for (i = 0; i < 4; i++)
		bpf_link__destroy(links[i]);

	/* released slots are taken again */
	for (i = 0; i < 10; i++) {
		link = bpf_program__attach_usdt(t_prog(obj, "usdt_two"), -1, self,
						"evbpftest", "two", NULL);
		assert_non_null(link);
		bpf_link__destroy(link);
	}
}

static void test_usdt_errors(void **state)
{
	struct bpf_object *other;
	struct bpf_link *link = (struct bpf_link *)1;

	evbpf_test_capture_log();
	assert_null(bpf_program__attach_usdt(t_prog(obj, "usdt_two"), -1, self,
					     "evbpftest", "nope", NULL));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(evbpf_test_log(), "USDT probe evbpftest:nope not found"));

	/* bare SEC("usdt"): attaches to nothing */
	assert_int_equal(evbpf__prog_auto_attach(t_prog(obj, "usdt_two"), &link), 0);
	assert_null(link);

	/* a program whose object lacks <bpf/usdt.bpf.h> */
	other = t_open_load("attach_uprobe");
	evbpf_test_log_reset();
	assert_null(bpf_program__attach_usdt(t_prog(other, "up_other"), -1, self,
					     "evbpftest", "two", NULL));
	assert_int_equal(errno, ESRCH);
	assert_non_null(strstr(evbpf_test_log(), "usdt.bpf.h"));
	bpf_object__close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usdt_args),
		cmocka_unit_test(test_usdt_no_args),
		cmocka_unit_test(test_usdt_semaphore),
		cmocka_unit_test(test_usdt_slots_reused),
		cmocka_unit_test(test_usdt_errors),
	};

	return cmocka_run_group_tests_name("usdt", tests, setup, teardown);
}
