// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Hostile input to the loader: pin-by-name map names that would leave the
 * pin folder, an object whose BTF the kernel refuses, a FIFO and a device
 * where a file is expected, a uprobe target that would inject a second
 * command into uprobe_events. Each refusal is a -errno and one log line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "evbpf_test.h"

/* Reads test object @name and replaces every "\0@from\0" with @to (same
 * length, may hold NULs). */
static void *patched(const char *name, const char *from, const char *to, size_t len,
		     size_t *size)
{
	unsigned char *buf = evbpf_test_read_file(evbpf_test_prog_path(name), size);
	size_t i, hits = 0;

	assert_non_null(buf);
	for (i = 1; i + len + 1 < *size; i++) {
		if (buf[i - 1] || buf[i + len] || memcmp(buf + i, from, len))
			continue;
		memcpy(buf + i, to, len);
		hits++;
	}
	assert_true(hits > 0);
	return buf;
}

static int count_lines(const char *log, const char *needle)
{
	int n = 0;

	for (; (log = strstr(log, needle)); log++)
		n++;
	return n;
}

static void check_pin_name(const char *to)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "hostile",
		    .pin_root_path = "/sys/fs/bpf/evbpf_hostile");
	size_t size;
	void *buf = patched("loader_pin", "pinned_counts", to, 13, &size);
	struct bpf_object *obj;

	evbpf_test_capture_log();
	obj = bpf_object__open_mem(buf, size, &oo);
	assert_null(obj);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(count_lines(evbpf_test_log(), "evbpf: "), 1);
	free(buf);
}

/* PIN_BY_NAME with a name that is no file name: refused at open. */
static void test_pin_traversal(void **state)
{
	check_pin_name("../../pwned_x");
	assert_non_null(strstr(evbpf_test_log(), "no file name"));
	check_pin_name("pinned/counts");
	check_pin_name("..\0nned_counts");
	check_pin_name(".\0inned_counts");
	check_pin_name("\0pinned_count");	/* NUL first: an empty name */
}

/* A pin root that makes the path longer than PATH_MAX. */
static void test_pin_overlong(void **state)
{
	static char root[PATH_MAX + 16];
	LIBBPF_OPTS(bpf_object_open_opts, oo, .pin_root_path = root);
	struct bpf_object *obj;

	memset(root, 'a', sizeof(root) - 1);
	root[0] = '/';
	evbpf_test_capture_log();
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_pin"), &oo);
	assert_null(obj);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_int_equal(count_lines(evbpf_test_log(), "evbpf: "), 1);
}

/* Loads test object @name with the type name @from renamed to @to (not
 * an identifier: the kernel refuses the BTF); @loads: whether the load must
 * succeed; @line: what the warning must say. */
static void check_btf_refused(const char *name, const char *from, const char *to,
			      bool loads, const char *line)
{
	size_t size;
	void *buf = patched(name, from, to, strlen(from), &size);
	struct bpf_object *obj;

	evbpf_test_capture_log();
	obj = bpf_object__open_mem(buf, size, NULL);
	assert_non_null(obj);
	if (loads)
		assert_int_equal(bpf_object__load(obj), 0);
	else
		assert_true(bpf_object__load(obj) < 0);
	assert_non_null(strstr(evbpf_test_log(), line));
	bpf_object__close(obj);
	free(buf);
}

/* An object that can do without BTF loads, with a warning... */
static void test_btf_refused_optional(void **state)
{
	check_btf_refused("io_ringbuf", "xdp_md", "xdp-md", true, "continuing without it");
}

/* ...but an object with struct_ops maps, which need it, does not. */
static void test_btf_refused_mandatory(void **state)
{
	check_btf_refused("loader_struct_ops", "sock", "so-k", false,
			  "which its struct_ops maps need");
}

static void on_alarm(int sig)
{
	(void)sig;
	fail_msg("blocked on a FIFO");
}

/* A FIFO nobody writes to, and /dev/zero: refused at once. */
static void test_not_regular_files(void **state)
{
	char fifo[64] = "/tmp/evbpf_hostile_XXXXXX";	/* room for "/fifo" */
	struct btf *btf;

	assert_non_null(mkdtemp(fifo));
	strcat(fifo, "/fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(20);
	evbpf_test_capture_log();
	assert_null(bpf_object__open_file(fifo, NULL));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(count_lines(evbpf_test_log(), "evbpf: "), 1);
	evbpf_test_log_reset();
	btf = btf__parse(fifo, NULL);
	assert_null(btf);
	assert_int_equal(errno, EINVAL);
	alarm(0);
	evbpf_test_log_reset();
	assert_null(btf__parse("/dev/zero", NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(btf__parse_raw("/dev/zero"));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_object__open_file("/dev/zero", NULL));
	assert_int_equal(errno, EINVAL);
	unlink(fifo);
	*strrchr(fifo, '/') = '\0';
	rmdir(fifo);
}

/* A binary path with a newline would add a second uprobe_events command. */
static void test_uprobe_events_injection(void **state)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .attach_mode = PROBE_ATTACH_MODE_LEGACY);
	char dir[] = "/tmp/evbpf_hostile_XXXXXX", path[PATH_MAX], self[PATH_MAX];
	struct bpf_object *obj;
	struct bpf_link *link;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a\np:evbpf_injected_x x", dir);
	if (symlink(self, path))
		fail_msg("symlink: %s", strerror(errno));
	obj = bpf_object__open_file(evbpf_test_prog_path("attach_uprobe"), NULL);
	assert_non_null(obj);
	assert_int_equal(bpf_object__load(obj), 0);
	evbpf_test_capture_log();
	link = bpf_program__attach_uprobe_opts(bpf_object__next_program(obj, NULL), -1,
					       path, 0x1000, &uo);
	assert_null(link);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "whitespace or control characters"));
	assert_int_equal(count_lines(evbpf_test_log(), "evbpf: "), 1);
	bpf_object__close(obj);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_traversal),
		cmocka_unit_test(test_pin_overlong),
		cmocka_unit_test(test_btf_refused_optional),
		cmocka_unit_test(test_btf_refused_mandatory),
		cmocka_unit_test(test_not_regular_files),
		cmocka_unit_test(test_uprobe_events_injection),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
