// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Iterators: a task iterator attached by section name and explicitly, its
 * output read through bpf_iter_create() and through a pinned link. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "evbpf_test.h"

static struct bpf_object *obj;

static int setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	if (access(evbpf_test_prog_path("attach_btf"), R_OK) == 0)
		obj = evbpf_test_open_load("attach_btf");
	return 0;
}

static int teardown(void **state)
{
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

/* Reads all of @fd into a malloc'ed string. */
static char *read_all(int fd)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t n;

	assert_non_null(buf);
	for (;;) {
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = read(fd, buf + len, cap - len - 1);
		assert_true(n >= 0);
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	return buf;
}

static void check_output(const char *out)
{
	char want[64];

	/* "<tgid> <comm>" of this process, among others */
	snprintf(want, sizeof(want), "\n%d test_iter\n", (int)getpid());
	assert_non_null(strstr(out, want));
	assert_true(strchr(out, '\n') != strrchr(out, '\n'));
}

static void test_iter_read(void **state)
{
	struct bpf_link *link;
	char *out;
	int fd;

	if (!obj)
		EVBPF_SKIP("kernel BTF (vmlinux.h) for attach_btf.bpf.o");
	link = bpf_program__attach(evbpf_test_prog(obj, "iter_tasks"));
	assert_non_null(link);
	fd = bpf_iter_create(bpf_link__fd(link));
	assert_true(fd >= 0);
	out = read_all(fd);
	check_output(out);
	free(out);
	close(fd);
	bpf_link__destroy(link);
}

static void test_iter_pinned(void **state)
{
	struct bpf_link *link;
	char path[128], *out;
	int fd;

	if (!obj)
		EVBPF_SKIP("kernel BTF (vmlinux.h) for attach_btf.bpf.o");
	link = bpf_program__attach_iter(evbpf_test_prog(obj, "iter_tasks"), NULL);
	assert_non_null(link);
	snprintf(path, sizeof(path), "/sys/fs/bpf/evbpf_iter_%d", (int)getpid());
	assert_int_equal(bpf_link__pin(link, path), 0);
	assert_string_equal(bpf_link__pin_path(link), path);
	/* a pinned iterator reads like a file */
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	out = read_all(fd);
	check_output(out);
	free(out);
	close(fd);
	assert_int_equal(bpf_link__unpin(link), 0);
	assert_int_equal(access(path, F_OK), -1);
	bpf_link__destroy(link);
}

static void test_iter_bad_opts(void **state)
{
	struct { struct bpf_iter_attach_opts o; __u64 extra; } big = {
		.o.sz = sizeof(big), .extra = 7,
	};

	if (!obj)
		EVBPF_SKIP("kernel BTF (vmlinux.h) for attach_btf.bpf.o");
	assert_null(bpf_program__attach_iter(evbpf_test_prog(obj, "iter_tasks"), &big.o));
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iter_read),
		cmocka_unit_test(test_iter_pinned),
		cmocka_unit_test(test_iter_bad_opts),
	};

	return cmocka_run_group_tests_name("iter", tests, setup, teardown);
}
