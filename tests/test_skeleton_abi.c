// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The skeleton ABI without a generator: skeletons built by hand the way
 * older (map element without `link`) and newer (larger elements with fields
 * this library does not know) generators lay them out, plus malformed ones.
 * The library must walk the arrays by the recorded element sizes.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "evbpf_test.h"

/* libbpf < 1.5 map element: no link */
struct old_map_skel {
	const char *name;
	struct bpf_map **map;
	void **mmaped;
};

/* a future map element with more trailing fields */
struct new_map_skel {
	const char *name;
	struct bpf_map **map;
	void **mmaped;
	struct bpf_link **link;
	void *future1;
	long future2;
};

struct new_prog_skel {
	const char *name;
	struct bpf_program **prog;
	struct bpf_link **link;
	void *future;
};

struct globals {
	__u32 filter_pid;
	__u64 rodata_magic;
};

struct handles {
	struct bpf_object *obj;
	struct bpf_map *counts, *rodata, *bss;
	struct bpf_program *tp, *xdp, *manual;
	struct bpf_link *tp_link, *xdp_link, *manual_link;
	void *rodata_mem, *bss_mem;
	void *elf;
	size_t elf_sz;
};

static struct bpf_object_skeleton *make_skel(struct handles *h, int map_sz,
					     int prog_sz)
{
	struct bpf_object_skeleton *s = calloc(1, sizeof(*s));
	const char *map_names[] = { "counts", "skel_bas.rodata", "skel_bas.bss" };
	struct bpf_map **map_slots[] = { &h->counts, &h->rodata, &h->bss };
	void **mem_slots[] = { NULL, &h->rodata_mem, &h->bss_mem };
	const char *prog_names[] = { "skel_on_getppid", "skel_xdp_pass", "skel_manual" };
	struct bpf_program **prog_slots[] = { &h->tp, &h->xdp, &h->manual };
	struct bpf_link **link_slots[] = { &h->tp_link, &h->xdp_link, &h->manual_link };

	h->elf = evbpf_test_read_file(evbpf_test_prog_path("skel_basic"), &h->elf_sz);
	assert_non_null(h->elf);
	s->sz = sizeof(*s);
	s->name = "skel_basic";
	s->data = h->elf;
	s->data_sz = h->elf_sz;
	s->obj = &h->obj;
	s->map_cnt = 3;
	s->map_skel_sz = map_sz;
	s->maps = calloc(3, map_sz);
	for (int i = 0; i < 3; i++) {
		struct old_map_skel *m = (void *)((char *)s->maps + i * map_sz);

		m->name = map_names[i];
		m->map = map_slots[i];
		m->mmaped = mem_slots[i];
	}
	s->prog_cnt = 3;
	s->prog_skel_sz = prog_sz;
	s->progs = calloc(3, prog_sz);
	for (int i = 0; i < 3; i++) {
		struct bpf_prog_skeleton *p = (void *)((char *)s->progs + i * prog_sz);

		p->name = prog_names[i];
		p->prog = prog_slots[i];
		p->link = link_slots[i];
	}
	return s;
}

static void run_skel(int map_sz, int prog_sz)
{
	struct handles h = { 0 };
	struct bpf_object_skeleton *s = make_skel(&h, map_sz, prog_sz);
	struct globals *ro;

	assert_int_equal(bpf_object__open_skeleton(s, NULL), 0);
	assert_non_null(h.obj);
	assert_non_null(h.counts);
	assert_non_null(h.rodata);
	assert_non_null(h.rodata_mem);
	assert_non_null(h.manual);
	ro = h.rodata_mem;
	ro->filter_pid = getpid();
	bpf_program__set_autoattach(h.manual, false);
	assert_int_equal(bpf_object__load_skeleton(s), 0);
	assert_non_null(h.bss_mem);
	assert_int_equal(bpf_object__attach_skeleton(s), 0);
	assert_non_null(h.tp_link);
	assert_null(h.xdp_link);
	assert_null(h.manual_link);
	syscall(SYS_getppid);
	/* bss: tgid, hits, last_magic in BTF order; hits is 1 either way */
	{
		__u32 pid = getpid();
		__u64 val = 0;

		assert_int_equal(bpf_map__lookup_elem(h.counts, &pid, sizeof(pid),
						      &val, sizeof(val), 0), 0);
		assert_int_equal(val, 1);
	}
	bpf_object__detach_skeleton(s);
	assert_null(h.tp_link);
	bpf_object__destroy_skeleton(s);
	free(h.elf);
}

static void test_old_layout(void **state)
{
	run_skel(sizeof(struct old_map_skel), sizeof(struct bpf_prog_skeleton));
}

static void test_current_layout(void **state)
{
	run_skel(sizeof(struct bpf_map_skeleton), sizeof(struct bpf_prog_skeleton));
}

static void test_newer_layout(void **state)
{
	run_skel(sizeof(struct new_map_skel), sizeof(struct new_prog_skel));
}

static void test_malformed(void **state)
{
	struct handles h = { 0 };
	struct bpf_object_skeleton *s;

	/* element too small to hold the fields every skeleton has */
	s = make_skel(&h, sizeof(struct old_map_skel), sizeof(struct bpf_prog_skeleton));
	s->map_skel_sz = 8;
	assert_int_equal(bpf_object__open_skeleton(s, NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
	s->map_skel_sz = sizeof(struct old_map_skel);
	/* a map the object does not have */
	((struct old_map_skel *)s->maps)[0].name = "nope";
	evbpf_test_capture_log();
	assert_int_equal(bpf_object__open_skeleton(s, NULL), -ESRCH);
	assert_non_null(strstr(evbpf_test_log(), "nope"));
	bpf_object__destroy_skeleton(s);
	free(h.elf);

	/* a struct too small to be a skeleton */
	memset(&h, 0, sizeof(h));
	s = make_skel(&h, sizeof(struct old_map_skel), sizeof(struct bpf_prog_skeleton));
	s->sz = 8;
	assert_int_equal(bpf_object__open_skeleton(s, NULL), -EINVAL);
	s->sz = sizeof(*s);
	/* garbage instead of an ELF image */
	memset(h.elf, 0x5a, 64);
	assert_true(bpf_object__open_skeleton(s, NULL) < 0);
	assert_null(h.obj);
	bpf_object__destroy_skeleton(s);
	free(h.elf);

	bpf_object__destroy_skeleton(NULL);
	bpf_object__destroy_subskeleton(NULL);
	assert_int_equal(bpf_object__open_skeleton(NULL, NULL), -EINVAL);
}

static void test_nothing_to_attach(void **state)
{
	struct handles h = { 0 };
	struct bpf_object_skeleton *s;

	s = make_skel(&h, sizeof(struct bpf_map_skeleton), sizeof(struct bpf_prog_skeleton));
	s->prog_cnt = 1;
	((struct bpf_prog_skeleton *)s->progs)[0].name = "skel_xdp_pass";
	((struct bpf_prog_skeleton *)s->progs)[0].prog = &h.xdp;
	((struct bpf_prog_skeleton *)s->progs)[0].link = &h.xdp_link;
	assert_int_equal(bpf_object__open_skeleton(s, NULL), 0);
	assert_int_equal(bpf_object__load_skeleton(s), 0);
	assert_int_equal(bpf_object__attach_skeleton(s), 0);
	assert_null(h.xdp_link);
	bpf_object__destroy_skeleton(s);
	free(h.elf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_layout),
		cmocka_unit_test(test_current_layout),
		cmocka_unit_test(test_newer_layout),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nothing_to_attach),
	};

	return cmocka_run_group_tests_name("skeleton_abi", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
