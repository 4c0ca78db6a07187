// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Subskeletons: a second, non-owning view (SUBSKEL_HEADER, from evbpf-gen or
 * bpftool) of an object opened by skel_basic's skeleton finds the same maps,
 * programs and variables, and its variable pointers stay valid across load.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "evbpf_test.h"

#include "skel_basic.skel.h"
#ifndef SUBSKEL_HEADER
#error "the build must define SUBSKEL_HEADER"
#endif
#include SUBSKEL_HEADER

static void test_subskeleton(void **state)
{
	struct skel_basic *skel = skel_basic__open();
	struct skel_basic_sub *sub;

	assert_non_null(skel);
	sub = skel_basic_sub__open(skel->obj);
	assert_non_null(sub);

	assert_ptr_equal(sub->maps.counts, skel->maps.counts);
	assert_ptr_equal(sub->maps.bss, skel->maps.bss);
	assert_ptr_equal(sub->progs.skel_manual, skel->progs.skel_manual);
	assert_ptr_equal(sub->bss.bss_hits, &skel->bss->bss_hits);
	assert_ptr_equal(sub->rodata.filter_pid, &skel->rodata->filter_pid);
	assert_ptr_equal(sub->data_custom.custom_val, &skel->data_custom->custom_val);
	assert_int_equal(*sub->data.data_counter, 100);
	assert_int_equal((*sub->rodata.rodata_arr)[1], 2);

	*sub->rodata.filter_pid = getpid();
	bpf_program__set_autoattach(sub->progs.skel_manual, false);
	assert_int_equal(skel_basic__load(skel), 0);
	assert_int_equal(skel_basic__attach(skel), 0);
	syscall(SYS_getppid);
	/* same addresses after load, now the maps' memory */
	assert_ptr_equal(sub->bss.bss_hits, &skel->bss->bss_hits);
	assert_int_equal(*sub->bss.bss_hits, 1);
	assert_int_equal(*sub->data.data_counter, 101);

	skel_basic_sub__destroy(sub);
	skel_basic__destroy(skel);
	skel_basic_sub__destroy(NULL);
}

static void test_subskeleton_missing(void **state)
{
	struct skel_basic *skel = skel_basic__open();
	struct bpf_object_subskeleton *s = calloc(1, sizeof(*s));
	struct bpf_map_skeleton *maps = calloc(1, sizeof(*maps));
	struct bpf_map *map = NULL;

	assert_non_null(skel);
	s->sz = sizeof(*s);
	s->obj = skel->obj;
	s->map_cnt = 1;
	s->map_skel_sz = sizeof(*maps);
	s->maps = maps;
	maps[0].name = "no_such_map";
	maps[0].map = &map;
	assert_int_equal(bpf_object__open_subskeleton(s), -ESRCH);
	assert_int_equal(errno, ESRCH);
	bpf_object__destroy_subskeleton(s);
	skel_basic__destroy(skel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subskeleton),
		cmocka_unit_test(test_subskeleton_missing),
	};

	return cmocka_run_group_tests_name(SUBSKEL_HEADER, tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
