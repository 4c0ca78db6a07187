// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE and externs end to end: tests/progs/core_kern.bpf.c is opened and
 * loaded by evbpf, run with BPF_PROG_TEST_RUN in this task, and reports
 * what it read from task_struct (through CO-RE), kconfig and ksym externs.
 * tests/progs/core_poison.bpf.c must be refused with a one-line reason.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "evbpf_test.h"

struct out {
	__s32 pid, tgid, ppid;
	char comm[16];
	__u32 has_missing_field;
	__u32 missing_val;
	__u32 kver;
	__u32 cookie;
	__u32 bpf_syscall;
	__s32 from_opts;
	__s32 nowhere;
	__u64 stext;
	__s32 cpu;
	__u32 cpu_seen;
	__u32 no_var;
	__u32 no_kfunc;
	__u32 ran;
};

static unsigned long long kallsyms_addr(const char *name)
{
	char line[512], sym[256], t;
	unsigned long long a, found = 0;
	FILE *fp = fopen("/proc/kallsyms", "r");

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "%llx %c %255s", &a, &t, sym) == 3 && !strcmp(sym, name)) {
			found = a;
			break;
		}
	fclose(fp);
	return found;
}

static void test_core_kern(void **state)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .kconfig = "CONFIG_EVT_FROM_OPTS=42\n");
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *bss;
	struct out out;
	struct utsname u;
	unsigned int a, b, c;
	char comm[16] = "";
	__u32 zero = 0;
	FILE *fp;

	obj = bpf_object__open_file(evbpf_test_prog_path("core_kern"), &oo);
	assert_non_null(obj);
	assert_int_equal(bpf_object__load(obj), 0);
	prog = bpf_object__find_program_by_name(obj, "core_kern");
	assert_non_null(prog);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(prog), &run), 0);
	bss = bpf_object__find_map_by_name(obj, ".bss");
	assert_non_null(bss);
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(bss), &zero, &out), 0);

	assert_int_equal(out.ran, 1);
	assert_int_equal(out.pid, syscall(SYS_gettid));
	assert_int_equal(out.tgid, getpid());
	assert_int_equal(out.ppid, getppid());
	fp = fopen("/proc/self/comm", "r");
	assert_non_null(fp);
	assert_non_null(fgets(comm, sizeof(comm), fp));
	fclose(fp);
	comm[strcspn(comm, "\n")] = '\0';
	assert_string_equal(out.comm, comm);
	assert_int_equal(out.has_missing_field, 0);
	assert_int_equal(out.missing_val, 0);

	assert_int_equal(uname(&u), 0);
	assert_int_equal(sscanf(u.release, "%u.%u.%u", &a, &b, &c), 3);
	assert_int_equal(out.kver, (a << 16) + (b << 8) + (c > 255 ? 255 : c));
	assert_int_equal(out.cookie, 1);
	assert_int_equal(out.bpf_syscall, 1);	/* TRI_YES */
	assert_int_equal(out.from_opts, 42);
	assert_int_equal(out.nowhere, 0);
	assert_int_equal(out.stext, kallsyms_addr("_stext"));
	assert_int_equal(out.cpu_seen, 1);
	assert_true(out.cpu >= 0 && out.cpu < sysconf(_SC_NPROCESSORS_CONF));
	assert_int_equal(out.no_var, 0);
	assert_int_equal(out.no_kfunc, 0);
	bpf_object__close(obj);
}

static void test_core_poison(void **state)
{
	struct bpf_object *obj;
	const char *log;

	obj = bpf_object__open_file(evbpf_test_prog_path("core_poison"), NULL);
	assert_non_null(obj);
	evbpf_test_capture_log();
	assert_true(bpf_object__load(obj) < 0);
	log = evbpf_test_log();
	assert_non_null(strstr(log, "prog 'core_poison': relo #"));
	assert_non_null(strstr(log, "struct task_struct___evt.evt_no_such_field"));
	assert_non_null(strstr(log, "not found in kernel BTF; candidates: ["));
	evbpf_test_log_reset();
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_kern),
		cmocka_unit_test(test_core_poison),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
