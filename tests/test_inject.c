// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Failure injection along open -> load -> attach -> loop -> ring -> mapq ->
 * perf:
 * for every kind (allocation, fd creation, mmap) and every N, the N-th call
 * of that kind inside a step fails. Each time the step must come back with
 * success (the failure was absorbed) or a clean -errno, leave no fd,
 * mapping or heap block behind, and succeed when tried again. A refusal
 * without a warning line is counted and listed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <evbpf/evbpf.h>
#include <evbpf/mapops.h>
#include <sys/wait.h>

#include "btf/btf_internal.h"
#include "core/core_internal.h"
#include "sys/features_internal.h"
#include "inject.h"
#include "io_test.h"

struct ctx {
	struct bpf_object *obj;		/* loaded (attach, ring) */
	struct evbpf_loop *loop;	/* ring, mapq */
	int hash_fd;			/* mapq */
	int pb_fd;			/* perf: a perf event array */
	enum evbpf_backend backend;
	unsigned delivered, completed;
};

static unsigned warnings;

static int count_warn(enum libbpf_print_level level, const char *msg, void *c)
{
	if (level == LIBBPF_WARN)
		warnings++;
	if (getenv("EVBPF_TEST_VERBOSE"))
		fputs(msg, stderr);
	return 0;
}

static int maps_count(void)
{
	char buf[4096];
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC), lines = 0;
	ssize_t n, i;

	assert_true(fd >= 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return lines;
}

/* ---- transient failures on a cold process: never cached ---- */

/*
 * Runs @fn in a child forked before anything in this process touched the
 * process-wide caches (these tests run first), with the @n-th call of
 * @kind failing during its first attempt. The child exits 0 when the
 * first attempt failed and the second one worked, 2 when the injected
 * call was never reached, 1 otherwise.
 */
static int cold_child(int (*fn)(void), enum evbpf_inject_kind kind, unsigned long n)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		bool fired;
		int first, second;

		evbpf_inject_arm(kind, n);
		first = fn();
		evbpf_inject_disarm(&fired);
		if (!fired)
			_exit(2);
		if (getenv("EVBPF_INJECT_TRACE"))
			fprintf(stderr, "-- %s call #%lu: first attempt %d\n",
				evbpf_inject_kind_name(kind), n, first);
		second = fn();
		if (second)
			fprintf(stderr, "%s call #%lu failed: first attempt %d, retry %d\n",
				evbpf_inject_kind_name(kind), n, first, second);
		_exit(second ? 1 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Every N up to the point where the first attempt no longer reaches the
 * injected call: the retry succeeds each time. */
static void cold_sweep(int (*fn)(void), const char *what)
{
	unsigned long n;
	int kind, rc, reached = 0;

	for (kind = 0; kind < EVBPF_INJECT_KINDS; kind++) {
		for (n = 1; (rc = cold_child(fn, kind, n)) != 2; n++) {
			if (rc)
				fail_msg("%s: a failed %s call #%lu stuck: the retry failed too",
					 what, evbpf_inject_kind_name(kind), n);
			reached++;
		}
	}
	print_message("%s: %d injected failures, each retried successfully\n", what, reached);
	assert_true(reached > 0);
}

/* Features the running kernel (6.x) has: after a failed probe, a second
 * call must find them. */
static int feat_probe(void)
{
	static const enum evbpf__feat f[] = { EVBPF_FEAT_ARRAY_MMAP, EVBPF_FEAT_PROG_NAME,
					       EVBPF_FEAT_BTF_DATASEC, EVBPF_FEAT_PERF_LINK };
	size_t i;
	int missing = 0;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		missing += !evbpf__feat_supported(f[i]);
	return missing ? -ENOTSUP : 0;
}

static int vmlinux_load(void)
{
	const struct evbpf__kbtf *list;
	size_t cnt;
	int err;

	if (!evbpf__vmlinux_btf(&err))
		return err;
	return evbpf__kbtf_list(&list, &cnt);
}

/* Opens and loads test object @name, closes it: 0 or -errno. */
static int open_load(const char *name, const struct bpf_object_open_opts *oo)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path(name), oo);
	int err;

	if (!obj)
		return -errno;
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	return err;
}

static int core_load(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .kconfig = "CONFIG_EVT_FROM_OPTS=42\n");

	return open_load("core_kern", &oo);
}

static void test_cold_features(void **state)
{
	cold_sweep(feat_probe, "feature probes");
}

static void test_cold_vmlinux(void **state)
{
	cold_sweep(vmlinux_load, "vmlinux and module BTF");
}

static void test_cold_core_load(void **state)
{
	cold_sweep(core_load, "CO-RE object load");
}

/* ---- the steps ---- */

static int step_open(struct ctx *c)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path("io_ringbuf"), NULL);

	if (!obj)
		return -errno;
	bpf_object__close(obj);
	return 0;
}

static int step_load(struct ctx *c)
{
	return open_load("io_ringbuf", NULL);
}

static int step_attach(struct ctx *c)
{
	struct bpf_link *l = bpf_program__attach(bpf_object__find_program_by_name(c->obj, "tp_getppid"));

	if (!l)
		return -errno;
	return bpf_link__destroy(l);
}

static int step_loop(struct ctx *c)
{
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = c->backend);
	struct evbpf_loop *loop = evbpf_loop_new(&lo);
	int ret;

	if (!loop)
		return -errno;
	ret = evbpf_loop_dispatch(loop);
	evbpf_loop_free(loop);
	return ret < 0 ? ret : 0;
}

static int on_batch(void *vc, const struct evbpf_rec *recs, size_t n)
{
	((struct ctx *)vc)->delivered += n;
	return (int)n;
}

static void ring_prepare(struct ctx *c)
{
	int xdp = bpf_program__fd(bpf_object__find_program_by_name(c->obj, "xdp_produce"));

	assert_int_equal(io_run(xdp, 3), 0);
}

static void perf_prepare(struct ctx *c)
{
	if (c->pb_fd < 0)
		assert_true((c->pb_fd = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "inj_pb",
						       4, 4, libbpf_num_possible_cpus(),
						       NULL)) >= 0);
}

static void on_sample(void *vc, int cpu, void *data, __u32 size)
{
	((struct ctx *)vc)->delivered++;
}

/* The perf consumer on the loop, then the libbpf-compatible manager. */
static int step_perf(struct ctx *c)
{
	LIBBPF_OPTS(evbpf_perf_opts, po, .page_cnt = 4);
	struct evbpf_perf *p = evbpf_perf_new(c->loop, c->pb_fd, on_batch, NULL, c, &po);
	struct perf_buffer *pb;
	int ret;

	if (!p)
		return -errno;
	ret = evbpf_loop_dispatch(c->loop);
	if (ret >= 0)
		ret = evbpf_perf_consume(p);
	evbpf_perf_free(p);
	if (ret < 0)
		return ret;
	pb = perf_buffer__new(c->pb_fd, 4, on_sample, NULL, c, NULL);
	if (!pb)
		return -errno;
	ret = perf_buffer__consume(pb);
	perf_buffer__free(pb);
	return ret < 0 ? ret : 0;
}

static int step_ring(struct ctx *c)
{
	int rb = bpf_object__find_map_fd_by_name(c->obj, "rb");
	struct evbpf_ring *r = evbpf_ring_new(c->loop, rb, on_batch, c, NULL);
	int ret = 0;

	if (!r)
		return -errno;
	while (ret >= 0 && io_wait_fd(evbpf_loop_fd(c->loop), 0) > 0)
		ret = evbpf_loop_dispatch(c->loop);
	if (ret >= 0)
		ret = evbpf_ring_consume(r);
	evbpf_ring_free(r);
	return ret < 0 ? ret : 0;
}

static void on_done(void *vc, const struct evbpf_mapop_done *d)
{
	struct ctx *c = vc;

	c->completed++;
	if (d->res && !*(int *)d->cookie)
		*(int *)d->cookie = d->res;
}

static int step_mapq(struct ctx *c)
{
	struct evbpf_mapq *q = evbpf_mapq_new(c->loop, on_done, c, NULL);
	__u32 key = 1;
	__u64 val = 7, out = 0;
	int ret, res = 0, tries;
	unsigned want;

	if (!q)
		return -errno;
	c->completed = 0;
	ret = evbpf_mapq_update(q, c->hash_fd, &key, &val, BPF_ANY, &res);
	want = ret ? 0 : 1;
	if (!ret) {
		ret = evbpf_mapq_lookup(q, c->hash_fd, &key, &out, &res);
		want += ret ? 0 : 1;
	}
	for (tries = 0; c->completed < want && tries < 1000; tries++) {
		int r;

		io_wait_fd(evbpf_loop_fd(c->loop), 100);
		r = evbpf_loop_dispatch(c->loop);
		if (r < 0 && !ret)
			ret = r;
	}
	if (c->completed < want && !ret)
		ret = -ETIME;	/* a completion went missing */
	evbpf_mapq_free(q);
	return ret ? ret : res;
}

/* ---- the sweep ---- */

struct step {
	const char *name;
	int (*run)(struct ctx *c);
	void (*prepare)(struct ctx *c);		/* before every run, not injected */
	bool need_obj, need_loop, need_map;
	/* a refusal without its log line or with another errno fails the
	 * test; otherwise it is only listed */
	bool strict;
};

static void sweep(const struct step *s, enum evbpf_backend backend)
{
	struct ctx c = { .hash_fd = -1, .pb_fd = -1, .backend = backend };
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = backend);
	static const int expect[EVBPF_INJECT_KINDS] = { -ENOMEM, -EMFILE, -ENOMEM };
	unsigned long n, calls, total = 0, silent = 0, wrong = 0;
	int kind, fds, maps, ret, i;
	long blocks;
	bool fired;

	evbpf_set_print(count_warn, NULL);
	if (s->need_obj) {
		c.obj = bpf_object__open_file(evbpf_test_prog_path("io_ringbuf"), NULL);
		assert_non_null(c.obj);
		assert_int_equal(bpf_object__load(c.obj), 0);
	}
	if (s->need_loop)
		assert_non_null(c.loop = evbpf_loop_new(&lo));
	if (s->need_map)
		assert_true((c.hash_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "inj", 4, 8, 16, NULL)) >= 0);
	/* twice untouched: process-wide caches (features, BTF) fill here */
	for (i = 0; i < 2; i++) {
		if (s->prepare)
			s->prepare(&c);
		assert_int_equal(s->run(&c), 0);
	}
	fds = evbpf_test_fd_count();
	maps = maps_count();
	blocks = evbpf_inject_live_blocks();

	for (kind = 0; kind < EVBPF_INJECT_KINDS; kind++) {
		for (n = 1;; n++) {
			if (s->prepare)
				s->prepare(&c);
			warnings = 0;
			evbpf_inject_arm(kind, n);
			ret = s->run(&c);
			calls = evbpf_inject_disarm(&fired);
			if (!fired) {
				assert_int_equal(ret, 0);
				break;
			}
			total++;
			if (ret > 0 || ret < -4095)
				fail_msg("%s: %s #%lu: returned %d", s->name,
					 evbpf_inject_kind_name(kind), n, ret);
			if (ret < 0 && ret != expect[kind]) {
				wrong++;
				print_message("errno lost: %s, %s call #%lu failed -> %d (%s)\n",
					      s->name, evbpf_inject_kind_name(kind), n, ret,
					      strerror(-ret));
			}
			if (ret < 0 && !warnings) {
				silent++;
				print_message("silent: %s, %s call #%lu of %lu failed -> %d (%s)\n",
					      s->name, evbpf_inject_kind_name(kind), n,
					      calls, ret, strerror(-ret));
			}
			if (evbpf_test_fd_count() != fds || maps_count() != maps ||
			    evbpf_inject_live_blocks() != blocks)
				fail_msg("%s: %s call #%lu failed -> %d: leaked %d fds, %d mappings, %ld heap blocks",
					 s->name, evbpf_inject_kind_name(kind), n, ret,
					 evbpf_test_fd_count() - fds, maps_count() - maps,
					 evbpf_inject_live_blocks() - blocks);
			if (s->prepare)
				s->prepare(&c);
			ret = s->run(&c);
			if (ret)
				fail_msg("%s: after %s call #%lu failed, the next attempt failed too: %d",
					 s->name, evbpf_inject_kind_name(kind), n, ret);
		}
		print_message("%s: %s: %lu calls, each failed once\n", s->name,
			      evbpf_inject_kind_name(kind), n - 1);
	}
	print_message("%s: %lu injected failures, %lu without a warning line, %lu with another errno\n",
		      s->name, total, silent, wrong);
	if (s->strict && (silent || wrong))
		fail_msg("%s: %lu refusals without a log line, %lu with another errno",
			 s->name, silent, wrong);
	if (c.hash_fd >= 0)
		close(c.hash_fd);
	if (c.pb_fd >= 0)
		close(c.pb_fd);
	evbpf_loop_free(c.loop);
	bpf_object__close(c.obj);
	evbpf_set_print(NULL, NULL);
}

static const struct step steps[] = {
	{ "open", step_open, .strict = true },
	{ "load", step_load, .strict = true },
	{ "attach", step_attach, NULL, true, .strict = true },
	{ "loop", step_loop, .strict = true },
	{ "ring", step_ring, ring_prepare, true, true, .strict = true },
	{ "mapq", step_mapq, NULL, false, true, true, .strict = true },
	{ "perf", step_perf, perf_prepare, false, true, .strict = true },
};

static void test_open(void **state) { sweep(&steps[0], EVBPF_BACKEND_AUTO); }
static void test_load(void **state) { sweep(&steps[1], EVBPF_BACKEND_AUTO); }
static void test_attach(void **state) { sweep(&steps[2], EVBPF_BACKEND_AUTO); }
static void test_loop_uring(void **state) { sweep(&steps[3], EVBPF_BACKEND_IO_URING); }
static void test_loop_epoll(void **state) { sweep(&steps[3], EVBPF_BACKEND_EPOLL); }
static void test_ring_uring(void **state) { sweep(&steps[4], EVBPF_BACKEND_IO_URING); }
static void test_ring_epoll(void **state) { sweep(&steps[4], EVBPF_BACKEND_EPOLL); }
static void test_mapq_uring(void **state) { sweep(&steps[5], EVBPF_BACKEND_IO_URING); }
static void test_mapq_epoll(void **state) { sweep(&steps[5], EVBPF_BACKEND_EPOLL); }
static void test_perf_uring(void **state) { sweep(&steps[6], EVBPF_BACKEND_IO_URING); }
static void test_perf_epoll(void **state) { sweep(&steps[6], EVBPF_BACKEND_EPOLL); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: their children must start with empty caches */
		cmocka_unit_test(test_cold_features),
		cmocka_unit_test(test_cold_vmlinux),
		cmocka_unit_test(test_cold_core_load),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_loop_uring),
		cmocka_unit_test(test_loop_epoll),
		cmocka_unit_test(test_ring_uring),
		cmocka_unit_test(test_ring_epoll),
		cmocka_unit_test(test_mapq_uring),
		cmocka_unit_test(test_mapq_epoll),
		cmocka_unit_test(test_perf_uring),
		cmocka_unit_test(test_perf_epoll),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
