// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* perf_event programs on a software event (page faults of this thread, one
 * sample each), attached through a BPF link with a cookie and through the
 * perf ioctl; the link owns the perf fd. */
#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include "attach/attach_internal.h"
#include "test_attach_util.h"

static struct bpf_object *obj;

static int setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	obj = t_open_load("attach_perf");
	return 0;
}

static int teardown(void **state)
{
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

static int open_page_faults(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_PAGE_FAULTS,
		.sample_period = 1,
		.disabled = 1,
	};
	int fd = (int)syscall(__NR_perf_event_open, &attr, 0, -1, -1,
			      PERF_FLAG_FD_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* Touches @n fresh pages: at least @n page faults. */
static void fault_pages(int n)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	assert_true(p != MAP_FAILED);
	for (i = 0; i < n; i++)
		p[i * page] = 1;
	munmap((void *)p, n * page);
}

static void test_perf_link_cookie(void **state)
{
	LIBBPF_OPTS(bpf_perf_event_opts, opts, .bpf_cookie = 0xfeed);
	struct bpf_link *link;
	__u64 before, after;

	link = bpf_program__attach_perf_event_opts(t_prog(obj, "on_sample"),
						   open_page_faults(), &opts);
	assert_non_null(link);
	before = t_count(obj, 0);
	fault_pages(16);
	after = t_count(obj, 0);
	assert_true(after >= before + 16);
	assert_int_equal(t_val(obj, 0), 0xfeed);
	/* destroy disables the event and closes the perf fd */
	assert_int_equal(bpf_link__destroy(link), 0);
	after = t_count(obj, 0);
	fault_pages(4);
	assert_int_equal(t_count(obj, 0), after);
}

static void test_perf_ioctl(void **state)
{
	LIBBPF_OPTS(bpf_perf_event_opts, opts, .force_ioctl_attach = true);
	struct bpf_link *link;
	__u64 before;
	int pfd;

	link = bpf_program__attach_perf_event_opts(t_prog(obj, "on_sample"),
						   open_page_faults(), &opts);
	assert_non_null(link);
	/* the link's fd is the perf event itself */
	before = t_count(obj, 0);
	fault_pages(8);
	assert_true(t_count(obj, 0) >= before + 8);
	assert_int_equal(t_val(obj, 0), 0);
	bpf_link__destroy(link);

	/* an ioctl attachment cannot carry a cookie; the fd stays the caller's */
	evbpf_test_capture_log();
	opts.bpf_cookie = 1;
	pfd = open_page_faults();
	assert_null(bpf_program__attach_perf_event_opts(t_prog(obj, "on_sample"),
							pfd, &opts));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_non_null(strstr(evbpf_test_log(), "BPF cookies need perf-event BPF links"));
	close(pfd);
}

static void test_perf_plain_and_errors(void **state)
{
	struct bpf_link *link = (struct bpf_link *)1;

	link = bpf_program__attach_perf_event(t_prog(obj, "on_sample"),
					      open_page_faults());
	assert_non_null(link);
	fault_pages(2);
	bpf_link__destroy(link);

	evbpf_test_capture_log();
	assert_null(bpf_program__attach_perf_event(t_prog(obj, "on_sample"), -1));
	assert_int_equal(errno, EINVAL);
	/* not a perf event fd */
	assert_null(bpf_program__attach_perf_event(t_prog(obj, "on_sample"), 0));
	assert_non_null(strstr(evbpf_test_log(), "perf event fd 0"));
	/* SEC("perf_event") names no event */
	assert_int_equal(evbpf__prog_auto_attach(t_prog(obj, "on_sample"), &link), 0);
	assert_null(link);
	assert_null(bpf_program__attach(t_prog(obj, "on_sample")));
	assert_int_equal(errno, EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf_link_cookie),
		cmocka_unit_test(test_perf_ioctl),
		cmocka_unit_test(test_perf_plain_and_errors),
	};

	return cmocka_run_group_tests_name("attach_perf", tests, setup, teardown);
}
