// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The evbpf-gen command line: subcommand dispatch, `helpers` output, the
 * default skeleton name, and error messages that name the object and what
 * is wrong. (Generated skeletons themselves are exercised by
 * test_skeleton*.)
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "evbpf_test.h"

#ifndef EVBPF_GEN_PATH
#error "the build must define EVBPF_GEN_PATH"
#endif

struct result {
	int status;
	char *out;
	char *err;
};

static char *slurp(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf = calloc(1, size + 1);

	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, size, 0), size);
	close(fd);
	return buf;
}

/* Runs evbpf-gen with @args (NULL-terminated), capturing its output. */
static struct result run(const char *const *args)
{
	const char *argv[16] = { EVBPF_GEN_PATH };
	int out = memfd_create("out", MFD_CLOEXEC), err = memfd_create("err", MFD_CLOEXEC);
	struct result r;
	int i, status;
	pid_t pid;

	assert_true(out >= 0 && err >= 0);
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	r.status = WEXITSTATUS(status);
	r.out = slurp(out);
	r.err = slurp(err);
	return r;
}

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static void test_usage(void **state)
{
	struct result r = run((const char *[]){ NULL });

	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "evbpf-gen skeleton OBJ"));
	result_free(&r);

	r = run((const char *[]){ "frobnicate", NULL });
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
	result_free(&r);

	r = run((const char *[]){ "skeleton", NULL });
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "usage: evbpf-gen skeleton OBJ"));
	result_free(&r);
}

static void test_helpers(void **state)
{
	char path[4096];
	size_t size;
	char *want;
	struct result r = run((const char *[]){ "helpers", NULL });

	snprintf(path, sizeof(path), "%s/include/bpf/bpf_helper_defs.h",
		 getenv("EVBPF_SOURCE_ROOT"));
	want = evbpf_test_read_file(path, &size);
	assert_non_null(want);
	assert_int_equal(r.status, 0);
	assert_int_equal(strlen(r.out), size);
	assert_memory_equal(r.out, want, size);
	assert_non_null(strstr(r.out, "(* const bpf_map_lookup_elem)"));
	free(want);
	result_free(&r);
}

static void test_skeleton_errors(void **state)
{
	char junk[] = "/tmp/evbpf-gen-junk-XXXXXX";
	struct result r;
	int fd;

	r = run((const char *[]){ "skeleton", "/nonexistent/x.bpf.o", NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "/nonexistent/x.bpf.o: cannot read the object"));
	assert_string_equal(r.out, "");
	result_free(&r);

	fd = mkstemp(junk);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not an ELF file at all", 22), 22);
	close(fd);
	r = run((const char *[]){ "skeleton", junk, NULL });
	unlink(junk);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, junk));
	assert_non_null(strstr(r.err, "not a loadable BPF ELF object"));
	assert_string_equal(r.out, "");
	result_free(&r);

	r = run((const char *[]){ "skeleton", evbpf_test_prog_path("hdr_basic"),
				  "name", "1bad-name", NULL });
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "'1bad-name' is not a C identifier"));
	result_free(&r);
}

static void test_skeleton_default_name(void **state)
{
	struct result r = run((const char *[]){ "skeleton",
						evbpf_test_prog_path("skel_basic"), NULL });

	assert_int_equal(r.status, 0);
	/* bpftool's rule: file name without ".o", as an identifier */
	assert_non_null(strstr(r.out, "struct skel_basic_bpf {"));
	assert_non_null(strstr(r.out, "skel_basic_bpf__open_and_load(void)"));
	assert_non_null(strstr(r.out, "struct bpf_program *skel_xdp_pass;"));
	assert_non_null(strstr(r.out, "struct bpf_map *counts;"));
	assert_non_null(strstr(r.out, "struct skel_basic_bpf__data_custom {"));
	/* .rodata loses its const so it can be set before load */
	assert_non_null(strstr(r.out, "struct skel_basic_bpf__kconfig {"));
	assert_non_null(strstr(r.out, "\t\tint LINUX_KERNEL_VERSION;"));
	assert_non_null(strstr(r.out, "\t\t__u64 rodata_magic;"));
	result_free(&r);

	r = run((const char *[]){ "subskeleton", evbpf_test_prog_path("hdr_basic"),
				  "name", "libpart", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "struct libpart {"));
	assert_non_null(strstr(r.out, "__u64 *hits;"));
	assert_non_null(strstr(r.out, "s->maps[2].name = \".rodata\";"));
	result_free(&r);
}

static void test_btf_dispatch(void **state)
{
	struct result r = run((const char *[]){ "btf", "dump",
						evbpf_test_prog_path("hdr_basic"),
						"format", "c", NULL });

	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "struct task_struct___hdr {"));
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_skeleton_errors),
		cmocka_unit_test(test_skeleton_default_name),
		cmocka_unit_test(test_btf_dispatch),
	};

	return cmocka_run_group_tests_name("evbpf_gen", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
