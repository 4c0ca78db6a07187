// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The malformed-BTF corpus (tests/corpus/btf/, see its README): every
 * bad_*.btf is refused by btf__new() and every ext_bad_*.btfext by
 * btf_ext__new() with -EINVAL and exactly one log line; good_* files parse.
 * The same files also run through the fuzz target's entry point
 * (tests/fuzz/fuzz_btf.c) as the fuzz_btf_corpus test.
 */
#include <dirent.h>
#include <errno.h>

#include "evbpf_test.h"
#include "bpf/btf.h"
#include "bpf/libbpf.h"

static int line_count(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static void test_corpus(void **state)
{
	const char *src = getenv("EVBPF_TEST_SRC");
	char dir[512], path[1024];
	int bad = 0, good = 0;
	struct dirent *de;
	DIR *d;

	assert_non_null(src);
	snprintf(dir, sizeof(dir), "%s/corpus/btf", src);
	d = opendir(dir);
	assert_non_null(d);
	evbpf_test_capture_log();
	while ((de = readdir(d))) {
		bool is_ext = strstr(de->d_name, ".btfext") != NULL;
		size_t size = 0;
		void *data;

		if (!has_prefix(de->d_name, "bad_") && !has_prefix(de->d_name, "ext_bad_") &&
		    !has_prefix(de->d_name, "good_"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		data = evbpf_test_read_file(path, &size);
		if (!data && size == 0)
			data = calloc(1, 1);	/* the empty file */
		assert_non_null(data);
		evbpf_test_log_reset();
		if (has_prefix(de->d_name, "good_")) {
			if (is_ext) {
				struct btf_ext *e = btf_ext__new(data, (__u32)size);

				if (!e)
					fail_msg("%s refused: %s", de->d_name, evbpf_test_log());
				btf_ext__free(e);
			} else {
				struct btf *b = btf__new(data, (__u32)size);

				if (!b)
					fail_msg("%s refused: %s", de->d_name, evbpf_test_log());
				btf__free(b);
			}
			good++;
		} else {
			void *obj = is_ext ? (void *)btf_ext__new(data, (__u32)size)
					   : (void *)btf__new(data, (__u32)size);

			if (obj)
				fail_msg("%s was accepted", de->d_name);
			if (errno != EINVAL)
				fail_msg("%s: errno %d, want EINVAL", de->d_name, errno);
			if (line_count(evbpf_test_log()) != 1)
				fail_msg("%s: want one log line, got: %s", de->d_name, evbpf_test_log());
			print_message("%-36s %s", de->d_name, evbpf_test_log());
			bad++;
		}
		free(data);
	}
	closedir(d);
	assert_true(bad >= 30);
	assert_true(good >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
