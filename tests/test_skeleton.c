// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A generated skeleton driving tests/progs/skel_basic.bpf.c end to end:
 * globals set before load and read after, tracepoint attach, hash map and
 * ring buffer contents, detach, autoattach off, sections without a target.
 *
 * The build compiles this file once per skeleton flavour, naming the header
 * in SKEL_HEADER: evbpf-gen's and bpftool's, each for the BPF side built
 * with evbpf's headers and with the system libbpf's. All use the skeleton
 * name skel_basic, so the code below is the same for every flavour.
 */
#include <signal.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "evbpf_test.h"

#ifndef SKEL_HEADER
#error "the build must define SKEL_HEADER"
#endif
#include SKEL_HEADER

#define KERNEL_VERSION_6_0 ((6 << 16) + (0 << 8))

struct skel_event {
	__u32 pid;
	__u32 hits;
	__u64 magic;
	__u64 counter;
	char tag[8];
};

struct events_seen {
	int n;
	struct skel_event last[8];
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct events_seen *seen = ctx;

	assert_int_equal(size, sizeof(struct skel_event));
	if (seen->n < 8)
		memcpy(&seen->last[seen->n], data, sizeof(struct skel_event));
	seen->n++;
	return 0;
}

/* Child writes to @p: returns the signal that killed it (0 if none). */
static int write_kills_child(volatile __u64 *p)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		/* cmocka catches SIGSEGV; the child must really die of it */
		signal(SIGSEGV, SIG_DFL);
		/* same value: the mapping is shared with the parent */
		*p = *p;
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void trigger(int n)
{
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void test_lifecycle(void **state)
{
	struct events_seen seen = { 0 };
	struct skel_basic *skel;
	struct ring_buffer *rb;
	__u32 pid = getpid();
	__u64 val = 0;

	skel = skel_basic__open();
	assert_non_null(skel);
	assert_non_null(skel->obj);

	/* after open: the initial images */
	assert_non_null(skel->rodata);
	assert_non_null(skel->data);
	assert_non_null(skel->bss);
	assert_int_equal(skel->data->data_counter, 100);
	assert_string_equal(skel->data->data_tag, "init");
	assert_int_equal(skel->rodata->rodata_arr[2], 3);
	assert_int_equal(skel->data_custom->custom_val, 5);
	assert_int_equal(skel->rodata_custom->rodata_custom, 9);
	assert_int_equal(skel->bss->bss_hits, 0);
	/* .kconfig values only exist after load */
	assert_null(skel->kconfig);

	skel->rodata->filter_pid = pid;
	skel->rodata->rodata_magic = 0x1234;
	skel->data->data_counter = 500;
	memcpy(skel->data->data_tag, "hello", 6);
	skel->data_custom->custom_val = 7;
	skel->rodata_custom->rodata_custom = 11;
	bpf_program__set_autoattach(skel->progs.skel_manual, false);

	assert_int_equal(skel_basic__load(skel), 0);

	/* after load: the maps' own memory, values carried over */
	assert_non_null(skel->rodata);
	assert_non_null(skel->bss);
	assert_int_equal(skel->rodata->filter_pid, pid);
	assert_int_equal(skel->rodata->rodata_magic, 0x1234);
	assert_int_equal(skel->data->data_counter, 500);
	/* frozen .rodata is mapped read-only */
	assert_int_equal(write_kills_child((volatile __u64 *)&skel->rodata->rodata_magic),
			 SIGSEGV);
	assert_int_equal(write_kills_child((volatile __u64 *)&skel->data->data_counter), 0);

	assert_int_equal(skel_basic__attach(skel), 0);
	assert_non_null(skel->links.skel_on_getppid);
	assert_null(skel->links.skel_xdp_pass);	/* "xdp" names no target */
	assert_null(skel->links.skel_manual);	/* autoattach off */
	/* attaching again keeps the existing links */
	{
		struct bpf_link *before = skel->links.skel_on_getppid;

		assert_int_equal(skel_basic__attach(skel), 0);
		assert_ptr_equal(skel->links.skel_on_getppid, before);
	}

	trigger(3);
	syscall(SYS_getpgid, 0);

	/* globals written by the program, read through the mapping */
	assert_int_equal(skel->bss->bss_hits, 3);
	assert_int_equal(skel->bss->bss_tgid, pid);
	assert_int_equal(skel->data->data_counter, 503);
	assert_int_equal(skel->bss->bss_last_magic, 0x1234 + 7 + 11 + 4);
	/* .kconfig after load: the loader's values, as the program saw them */
	assert_non_null(skel->kconfig);
	assert_true(skel->kconfig->LINUX_KERNEL_VERSION > KERNEL_VERSION_6_0);
	assert_int_equal(skel->bss->bss_kversion, skel->kconfig->LINUX_KERNEL_VERSION);

	assert_int_equal(bpf_map__lookup_elem(skel->maps.counts, &pid, sizeof(pid),
					      &val, sizeof(val), 0), 0);
	assert_int_equal(val, 3);

	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, &seen, NULL);
	assert_non_null(rb);
	assert_int_equal(ring_buffer__consume(rb), 3);
	assert_int_equal(seen.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(seen.last[i].pid, pid);
		assert_int_equal(seen.last[i].hits, i + 1);
		assert_int_equal(seen.last[i].counter, 501 + i);
		assert_int_equal(seen.last[i].magic, 0x1234 + 7 + 11 + 4);
		assert_string_equal(seen.last[i].tag, "hello");
	}
	ring_buffer__free(rb);

	/* the data pointer is writable after load and the program sees it */
	skel->data->data_counter = 1000;
	skel_basic__detach(skel);
	assert_null(skel->links.skel_on_getppid);
	trigger(2);
	assert_int_equal(skel->bss->bss_hits, 3);
	assert_int_equal(skel->data->data_counter, 1000);

	skel_basic__destroy(skel);
}

static void test_open_and_load(void **state)
{
	struct skel_basic *skel = skel_basic__open_and_load();

	assert_non_null(skel);
	assert_true(bpf_program__fd(skel->progs.skel_on_getppid) >= 0);
	assert_true(bpf_map__fd(skel->maps.counts) >= 0);
	/* filter_pid 0 matches nobody */
	assert_int_equal(skel_basic__attach(skel), 0);
	trigger(1);
	assert_int_equal(skel->bss->bss_hits, 0);
	skel_basic__destroy(skel);
	skel_basic__destroy(NULL);
}

static void test_open_opts(void **state)
{
	struct {
		struct bpf_object_open_opts opts;
		char extra[16];
	} big;
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "renamed");
	struct skel_basic *skel;

	skel = skel_basic__open_opts(&opts);
	assert_non_null(skel);
	assert_string_equal(bpf_object__name(skel->obj), "renamed");
	/* the data maps are still found when the object name differs */
	assert_non_null(skel->maps.rodata);
	assert_non_null(skel->bss);
	skel_basic__destroy(skel);

	/* unknown non-zero trailing option bytes are refused */
	memset(&big, 0, sizeof(big));
	big.opts.sz = sizeof(big);
	big.extra[3] = 1;
	errno = 0;
	assert_null(skel_basic__open_opts(&big.opts));
	assert_int_equal(errno, EINVAL);
}

static void test_elf_bytes(void **state)
{
	size_t sz = 0, file_sz = 0;
	const unsigned char *p = skel_basic__elf_bytes(&sz);
	void *file = evbpf_test_read_file(evbpf_test_prog_path(SKEL_OBJ), &file_sz);

	assert_non_null(file);
	assert_int_equal(sz, file_sz);
	assert_memory_equal(p, file, sz);
	assert_memory_equal(p, "\177ELF", 4);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_open_and_load),
		cmocka_unit_test(test_open_opts),
		cmocka_unit_test(test_elf_bytes),
	};

	return cmocka_run_group_tests_name(SKEL_HEADER, tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
