// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Light skeletons: a generated light skeleton of progs/lskel_basic.bpf.c
 * (LSKEL_HEADER, one build of this file per generator), compiled against
 * evbpf's include/ alone, loads through bpf/skel_internal.h on the running
 * kernel, attaches its raw tracepoint and counts this process's getppid
 * calls into .bss, .data and a hash map. Then bpf_load_and_run() refusals:
 * a malformed loader, a loader the verifier refuses, a loader that fails.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include LSKEL_HEADER
#include "evbpf_test.h"

/* the skeleton must have found evbpf's skel_internal.h, not another
 * library's copy earlier on the include path */
#ifndef __skel_attr_sz
#error "bpf/skel_internal.h is not evbpf's"
#endif

#define CALLS 5

static void test_load_attach_run(void **state)
{
	struct lskel_basic *skel;
	__u32 key = 1;
	__u64 val = 0;
	int fds, err, i;

	(void)state;
	fds = evbpf_test_fd_count();
	skel = lskel_basic__open();
	assert_non_null(skel);
	/* .rodata is set between open and load */
	skel->rodata->target_tgid = (__u32)getpid();
	skel->rodata->target_nr = SYS_getppid;
	assert_int_equal(skel->data->base, 1000);

	err = lskel_basic__load(skel);
	assert_int_equal(err, 0);
	assert_true(skel->maps.counts.map_fd > 0);
	assert_true(skel->maps.bss.map_fd > 0);
	assert_true(skel->progs.count_enter.prog_fd > 0);
	/* global data is now the maps' memory, initial values in place */
	assert_int_equal(skel->data->base, 1000);
	assert_int_equal(skel->rodata->target_tgid, (__u32)getpid());
	assert_int_equal(skel->bss->hits, 0);

	err = lskel_basic__attach(skel);
	assert_int_equal(err, 0);
	assert_true(skel->links.count_enter_fd > 0);
	for (i = 0; i < CALLS; i++)
		syscall(SYS_getppid);

	assert_int_equal(skel->bss->hits, CALLS);
	assert_int_equal(skel->bss->last_arg, SYS_getppid);
	assert_int_equal(skel->data->base, 1000 + CALLS);
	assert_int_equal(bpf_map_lookup_elem(skel->maps.counts.map_fd, &key, &val), 0);
	assert_int_equal(val, CALLS);

	/* writes through the mapping reach the program */
	skel->data->base = 7;
	syscall(SYS_getppid);
	assert_int_equal(skel->data->base, 8);

	/* detached: no more counting */
	lskel_basic__detach(skel);
	skel->links.count_enter_fd = 0;
	syscall(SYS_getppid);
	assert_int_equal(skel->bss->hits, CALLS + 1);

	lskel_basic__destroy(skel);
	assert_int_equal(evbpf_test_fd_count(), fds);
}

/* open_and_load() and destroy() (also of NULL) leave no fds behind */
static void test_open_and_load(void **state)
{
	struct lskel_basic *skel;
	int fds;

	(void)state;
	fds = evbpf_test_fd_count();
	skel = lskel_basic__open_and_load();
	assert_non_null(skel);
	assert_true(skel->progs.count_enter.prog_fd > 0);
	lskel_basic__destroy(skel);
	lskel_basic__destroy(NULL);
	assert_int_equal(evbpf_test_fd_count(), fds);
}

/* a verifier log asked for in the skeleton's ctx: the load succeeds and
 * the kernel wrote the loader's log into the buffer */
static void test_load_with_log(void **state)
{
	static char log[64 * 1024];
	struct lskel_basic *skel;

	(void)state;
	skel = lskel_basic__open();
	assert_non_null(skel);
	log[0] = 0;
	skel->ctx.log_level = 4;	/* BPF_LOG_STATS: written on success too */
	skel->ctx.log_size = sizeof(log);
	skel->ctx.log_buf = (__u64)(unsigned long)log;
	assert_int_equal(lskel_basic__load(skel), 0);
	assert_non_null(strstr(log, "processed"));
	lskel_basic__destroy(skel);
}

static int run_loader(const struct bpf_insn *insns, __u32 insns_sz,
		      struct bpf_load_and_run_opts *opts, char *log, size_t log_sz)
{
	static struct {
		struct bpf_loader_ctx ctx;
		struct bpf_prog_desc prog;
	} skel;
	static const char data[16];

	memset(&skel, 0, sizeof(skel));
	skel.ctx.sz = sizeof(skel);
	if (log) {
		skel.ctx.log_level = 1;
		skel.ctx.log_size = (__u32)log_sz;
		skel.ctx.log_buf = (__u64)(unsigned long)log;
	}
	memset(opts, 0, sizeof(*opts));
	opts->ctx = &skel.ctx;
	opts->data = data;
	opts->data_sz = sizeof(data);
	opts->insns = insns;
	opts->insns_sz = insns_sz;
	return bpf_load_and_run(opts);
}

static void test_refusals(void **state)
{
	/* r0 = -ENOENT; exit */
	const struct bpf_insn fails[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = -ENOENT },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	/* exit with r0 never written: the verifier refuses it */
	const struct bpf_insn unreadable[] = {
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_load_and_run_opts opts;
	char log[4096] = "";
	int fds, err;

	(void)state;
	fds = evbpf_test_fd_count();

	/* malformed: instructions not a whole number of bpf_insn */
	errno = 0;
	err = run_loader(fails, sizeof(fails) - 1, &opts, NULL, 0);
	assert_int_equal(err, -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_non_null(opts.errstr);
	assert_non_null(strstr(opts.errstr, "invalid"));

	/* the kernel refuses the loader: its errno, the verifier's words in
	 * the log buffer of the ctx */
	err = run_loader(unreadable, sizeof(unreadable), &opts, log, sizeof(log));
	assert_int_equal(err, -EACCES);
	assert_int_equal(errno, EACCES);
	assert_string_equal(opts.errstr, "failed to load loader prog");
	assert_non_null(strstr(log, "R0"));

	/* the loader runs and reports the errno of a step */
	err = run_loader(fails, sizeof(fails), &opts, NULL, 0);
	assert_int_equal(err, -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(opts.errstr, "loader prog failed");

	assert_int_equal(evbpf_test_fd_count(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_attach_run),
		cmocka_unit_test(test_open_and_load),
		cmocka_unit_test(test_load_with_log),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("lskel", tests,
					   evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
