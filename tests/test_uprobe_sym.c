// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ELF symbol resolution for uprobes, without a kernel: function name to file
 * offset (executable and libc, symbol versions), finding libraries the way
 * the dynamic loader does, glob matching. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach/attach_internal.h"
#include "evbpf_test.h"

__attribute__((noinline, used)) int evbpf_uprobe_sym_target(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x + 1;
}

/* File offset of the code at @addr in this process, from /proc/self/maps. */
static long runtime_file_offset(const void *addr, char *path, size_t size)
{
	unsigned long start, end, off, a = (unsigned long)addr;
	char line[PATH_MAX + 128], perms[8], file[PATH_MAX];
	FILE *f = fopen("/proc/self/maps", "r");
	long ret = -1;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		file[0] = '\0';
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095s", &start, &end,
			   perms, &off, file) < 4)
			continue;
		if (a >= start && a < end) {
			ret = (long)(a - start + off);
			snprintf(path, size, "%s", file);
			break;
		}
	}
	fclose(f);
	return ret;
}

static void test_own_function(void **state)
{
	char self[PATH_MAX], mapped[PATH_MAX];
	long want, got;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	want = runtime_file_offset((void *)evbpf_uprobe_sym_target, mapped,
				   sizeof(mapped));
	assert_true(want > 0);
	assert_string_equal(mapped, self);
	got = evbpf__elf_func_offset(self, "evbpf_uprobe_sym_target");
	assert_int_equal(got, want);
}

static void test_libc_function(void **state)
{
	char libc[PATH_MAX], mapped[PATH_MAX], real_a[PATH_MAX], real_b[PATH_MAX];
	long want, got, old;

	assert_int_equal(evbpf__resolve_binary("libc.so.6", libc, sizeof(libc)), 0);
	assert_non_null(strstr(libc, "libc.so.6"));
	want = runtime_file_offset((void *)getppid, mapped, sizeof(mapped));
	assert_true(want > 0);
	assert_non_null(realpath(libc, real_a));
	assert_non_null(realpath(mapped, real_b));
	assert_string_equal(real_a, real_b);
	assert_int_equal(evbpf__elf_func_offset(libc, "getppid"), want);
	assert_int_equal(evbpf__elf_func_offset(libc, "getppid@@GLIBC_2.2.5"), want);
	assert_int_equal(evbpf__elf_func_offset(libc, "getppid@GLIBC_2.2.5"), want);

	/* two versions: the plain name means the default one. Ask libc itself:
	 * under ASan, &realpath is the sanitizer's interceptor. */
	{
		void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
		void *fn;

		assert_non_null(h);
		fn = dlvsym(h, "realpath", "GLIBC_2.3");
		assert_non_null(fn);
		want = runtime_file_offset(fn, mapped, sizeof(mapped));
		dlclose(h);
	}
	got = evbpf__elf_func_offset(libc, "realpath");
	assert_int_equal(got, want);
	old = evbpf__elf_func_offset(libc, "realpath@GLIBC_2.2.5");
	assert_true(old > 0);
	assert_true(old != got);
	assert_int_equal(evbpf__elf_func_offset(libc, "realpath@@GLIBC_2.3"), got);
}

static void test_missing(void **state)
{
	char self[PATH_MAX];
	ssize_t n;

	evbpf_test_capture_log();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	assert_int_equal(evbpf__elf_func_offset(self, "no_such_function_xyz"),
			 -ENOENT);
	assert_non_null(strstr(evbpf_test_log(), "no_such_function_xyz"));
	assert_int_equal(evbpf__elf_func_offset("/nonexistent/bin", "main"),
			 -ENOENT);
	/* not an ELF file */
	assert_true(evbpf__elf_func_offset("/proc/self/status", "main") < 0);
	assert_non_null(strstr(evbpf_test_log(), "not an ELF file"));
}

static void test_resolve(void **state)
{
	char dir[] = "/tmp/evbpf_uprobe_sym_XXXXXX", link[PATH_MAX],
	     out[PATH_MAX], libc[PATH_MAX];
	const char *old = getenv("LD_LIBRARY_PATH");
	char *saved = old ? strdup(old) : NULL;

	evbpf_test_capture_log();
	assert_int_equal(evbpf__resolve_binary("libc.so.6", libc, sizeof(libc)), 0);
	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/libevbpfsymtest.so.1", dir);
	assert_int_equal(symlink(libc, link), 0);

	assert_int_equal(evbpf__resolve_binary("libevbpfsymtest.so.1", out,
					       sizeof(out)), -ENOENT);
	setenv("LD_LIBRARY_PATH", dir, 1);
	assert_int_equal(evbpf__resolve_binary("libevbpfsymtest.so.1", out,
					       sizeof(out)), 0);
	assert_string_equal(out, link);
	if (saved)
		setenv("LD_LIBRARY_PATH", saved, 1);
	else
		unsetenv("LD_LIBRARY_PATH");
	free(saved);
	unlink(link);
	rmdir(dir);

	/* executables come from PATH; paths are taken as they are */
	assert_int_equal(evbpf__resolve_binary("sh", out, sizeof(out)), 0);
	assert_true(out[0] == '/');
	assert_int_equal(evbpf__resolve_binary("/bin/sh", out, sizeof(out)), 0);
	assert_string_equal(out, "/bin/sh");
}

static void test_funcs_matching(void **state)
{
	char libc[PATH_MAX];
	unsigned long *offs;
	char **names;
	size_t cnt, i;
	bool seen = false;

	assert_int_equal(evbpf__resolve_binary("libc.so.6", libc, sizeof(libc)), 0);
	assert_int_equal(evbpf__elf_funcs_matching(libc, "getpp*", &offs, &names,
						   &cnt), 0);
	assert_true(cnt >= 1);
	for (i = 0; i < cnt; i++) {
		assert_true(evbpf__glob_match(names[i], "getpp*"));
		if (!strcmp(names[i], "getppid")) {
			seen = true;
			assert_int_equal(offs[i], evbpf__elf_func_offset(libc, "getppid"));
		}
	}
	assert_true(seen);
	free(offs);
	evbpf__elf_syms_free(names, cnt);
}

static void test_glob(void **state)
{
	assert_true(evbpf__glob_match("getppid", "get*"));
	assert_true(evbpf__glob_match("getppid", "*pid"));
	assert_true(evbpf__glob_match("getppid", "g?tp*d"));
	assert_true(evbpf__glob_match("abc", "*"));
	assert_true(evbpf__glob_match("", "*"));
	assert_false(evbpf__glob_match("getppid", "get"));
	assert_false(evbpf__glob_match("abc", "a?"));
	assert_true(evbpf__glob_match("aXbXc", "a*b*c"));
	assert_false(evbpf__glob_match("aXbXd", "a*b*c"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_function),
		cmocka_unit_test(test_libc_function),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_funcs_matching),
		cmocka_unit_test(test_glob),
	};

	return cmocka_run_group_tests_name("uprobe_sym", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
