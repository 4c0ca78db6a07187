// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf_object__gen_loader() and the light skeletons evbpf-gen -L makes of
 * it, compiled against evbpf's include/ alone: progs/gen_loader.bpf.c loads
 * through its generated loader, attaches, and its events, global data and
 * maps are read back; progs/gen_loader_bad.bpf.c holds a program the
 * verifier refuses, whose error reaches the caller with nothing left open.
 * Then the API itself: generation creates nothing in the kernel, its output
 * runs under bpf_load_and_run() with a context built by hand, and what a
 * loader cannot do is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gen_loader.lskel.h"
#include "gen_loader_bad.lskel.h"
#include <bpf/libbpf.h>
#include "evbpf_test.h"

#define CALLS 3

struct event {
	__u32 tgid;
	__u32 seq;
	__u64 nr;
};

struct events_seen {
	struct event ev[8];
	int n;
};

static int on_event(void *ctx, void *data, size_t sz)
{
	struct events_seen *s = ctx;

	if (sz == sizeof(struct event) && s->n < 8)
		memcpy(&s->ev[s->n], data, sizeof(struct event));
	s->n++;
	return 0;
}

static void test_skeleton_runs(void **state)
{
	struct events_seen seen = { .n = 0 };
	struct bpf_map_info info;
	__u32 info_len = sizeof(info), slot = 7;
	__u64 nr = SYS_getppid, val = 0;
	struct gen_loader *skel;
	struct ring_buffer *rb;
	int fds, i;

	(void)state;
	fds = evbpf_test_fd_count();
	skel = gen_loader__open();
	assert_non_null(skel);
	assert_int_equal(skel->data->base, 40);
	/* staged before load: read-only data, data, bss, a map size */
	skel->rodata->target_tgid = (__u32)getpid();
	skel->rodata->target_nr = SYS_getppid;
	skel->data->base = 100;
	skel->bss->hits = 5;
	skel->maps.slots.max_entries = 8;

	assert_int_equal(gen_loader__load(skel), 0);
	assert_true(skel->maps.events.map_fd > 0);
	assert_true(skel->maps.slots.map_fd > 0);
	assert_true(skel->progs.on_enter.prog_fd > 0);
	assert_int_equal(skel->data->base, 100);
	assert_int_equal(skel->bss->hits, 5);
	assert_int_equal(skel->rodata->target_tgid, (__u32)getpid());
	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_obj_get_info_by_fd(skel->maps.slots.map_fd, &info, &info_len), 0);
	assert_int_equal(info.max_entries, 8);
	/* .rodata was frozen by the loader */
	assert_true(bpf_map_update_elem(skel->maps.rodata.map_fd, &(__u32){0}, skel->rodata,
					0) < 0);

	rb = ring_buffer__new(skel->maps.events.map_fd, on_event, &seen, NULL);
	assert_non_null(rb);
	assert_int_equal(gen_loader__attach(skel), 0);
	assert_true(skel->links.on_enter_fd > 0);
	for (i = 0; i < CALLS; i++)
		syscall(SYS_getppid);
	gen_loader__detach(skel);
	syscall(SYS_getppid);

	assert_int_equal(ring_buffer__consume(rb), CALLS);
	assert_int_equal(seen.n, CALLS);
	for (i = 0; i < CALLS; i++) {
		assert_int_equal(seen.ev[i].seq, i + 1);
		assert_int_equal(seen.ev[i].tgid, (__u32)getpid());
		assert_int_equal(seen.ev[i].nr, SYS_getppid);
	}
	assert_int_equal(skel->bss->hits, 5 + CALLS);
	assert_int_equal(skel->bss->seq, CALLS);
	assert_int_equal(skel->data->base, 100 + 2 * CALLS);
	/* slot 7 exists only with the max_entries set before load */
	assert_int_equal(bpf_map_lookup_elem(skel->maps.slots.map_fd, &slot, &val), 0);
	assert_int_equal(val, CALLS);
	assert_int_equal(bpf_map_lookup_elem(skel->maps.seen.map_fd, &nr, &val), 0);
	assert_int_equal(val, CALLS);

	ring_buffer__free(rb);
	gen_loader__destroy(skel);
	assert_int_equal(evbpf_test_fd_count(), fds);
}

/* the verifier's refusal is the load's result, with its log in the
 * skeleton's buffer; the maps the loader made before are closed */
static void test_verifier_refusal(void **state)
{
	static char log[64 * 1024];
	struct gen_loader_bad *skel;
	int fds, err;

	(void)state;
	fds = evbpf_test_fd_count();
	skel = gen_loader_bad__open();
	assert_non_null(skel);
	log[0] = 0;
	skel->ctx.log_level = 1;
	skel->ctx.log_size = sizeof(log);
	skel->ctx.log_buf = (__u64)(unsigned long)log;
	err = gen_loader_bad__load(skel);
	assert_int_equal(err, -EACCES);
	assert_non_null(strstr(log, "invalid access to map value"));
	assert_int_equal(skel->maps.vals.map_fd, 0);
	assert_int_equal(skel->maps.data.map_fd, 0);
	assert_int_equal(skel->progs.past_end.prog_fd, 0);
	gen_loader_bad__destroy(skel);
	assert_int_equal(evbpf_test_fd_count(), fds);
	assert_null(gen_loader_bad__open_and_load());
	assert_int_equal(evbpf_test_fd_count(), fds);
}

/* generation touches no kernel object; its output runs with a context laid
 * out as the contract says: loader ctx, map descs, prog descs */
static void test_api(void **state)
{
	LIBBPF_OPTS(gen_loader_opts, gopts);
	struct bpf_load_and_run_opts lopts;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	size_t nr_maps = 0, nr_progs = 0, i, sz;
	struct bpf_loader_ctx *ctx;
	struct bpf_map_desc *mdesc;
	struct bpf_prog_desc *pdesc;
	int fds;

	(void)state;
	assert_int_equal(bpf_object__gen_loader(NULL, &gopts), -EINVAL);
	obj = bpf_object__open_file(evbpf_test_prog_path("gen_loader"), NULL);
	assert_non_null(obj);
	assert_int_equal(bpf_object__gen_loader(obj, NULL), -EINVAL);
	assert_int_equal(bpf_object__gen_loader(obj, &gopts), 0);
	fds = evbpf_test_fd_count();
	assert_int_equal(bpf_object__load(obj), 0);
	assert_int_equal(evbpf_test_fd_count(), fds);
	bpf_object__for_each_map(map, obj) {
		assert_true(bpf_map__fd(map) < 0);
		nr_maps++;
	}
	bpf_object__for_each_program(prog, obj) {
		assert_true(bpf_program__fd(prog) < 0);
		nr_progs++;
	}
	assert_true(gopts.insns_sz > 0 && gopts.insns_sz % sizeof(struct bpf_insn) == 0);
	assert_true(gopts.data_sz > 0);
	assert_int_equal(bpf_object__load(obj), -EINVAL);
	assert_int_equal(bpf_object__gen_loader(obj, &gopts), -EINVAL);

	sz = sizeof(*ctx) + nr_maps * sizeof(*mdesc) + nr_progs * sizeof(*pdesc);
	ctx = calloc(1, sz);
	assert_non_null(ctx);
	ctx->sz = (__u32)sz;
	mdesc = (struct bpf_map_desc *)(ctx + 1);
	pdesc = (struct bpf_prog_desc *)(mdesc + nr_maps);
	memset(&lopts, 0, sizeof(lopts));
	lopts.ctx = ctx;
	lopts.data = gopts.data;
	lopts.data_sz = gopts.data_sz;
	lopts.insns = gopts.insns;
	lopts.insns_sz = gopts.insns_sz;
	assert_int_equal(bpf_load_and_run(&lopts), 0);
	for (i = 0; i < nr_maps; i++) {
		assert_true(mdesc[i].map_fd > 0);
		close(mdesc[i].map_fd);
	}
	for (i = 0; i < nr_progs; i++) {
		assert_true(pdesc[i].prog_fd > 0);
		close(pdesc[i].prog_fd);
	}
	free(ctx);
	bpf_object__close(obj);
	assert_int_equal(evbpf_test_fd_count(), fds);
}

/* maps in maps cannot be made by a loader: refused at load, one line */
static void test_refusal_map_in_map(void **state)
{
	LIBBPF_OPTS(gen_loader_opts, gopts);
	struct bpf_object *obj;
	int fds;

	(void)state;
	fds = evbpf_test_fd_count();
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_basic"), NULL);
	assert_non_null(obj);
	assert_int_equal(bpf_object__gen_loader(obj, &gopts), 0);
	evbpf_test_capture_log();
	assert_int_equal(bpf_object__load(obj), -EOPNOTSUPP);
	assert_non_null(strstr(evbpf_test_log(), "map-in-map"));
	assert_int_equal(gopts.insns_sz, 0);
	bpf_object__close(obj);
	assert_int_equal(evbpf_test_fd_count(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skeleton_runs),
		cmocka_unit_test(test_verifier_refusal),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_refusal_map_in_map),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
