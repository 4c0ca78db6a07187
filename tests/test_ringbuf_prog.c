// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Producers written in BPF C with <bpf/evbpf_ringbuf.bpf.h> (loaded with
 * bpf_object__open_file): drop counting through the consumer's stats,
 * adaptive producer wakeups, and a tracepoint producer firing on the test's
 * own getppid() calls. Both backends.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include <bpf/libbpf.h>
#include <evbpf/evbpf.h>
#include "io_test.h"

struct sink {
	size_t cnt;
	__u64 next;
	bool bad;
};

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct sink *s = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		const __u64 *v = recs[i].data;

		if (recs[i].len != 32 || v[0] != s->next || v[3] != v[0])
			s->bad = true;
		s->next = v[0] + 1;
	}
	s->cnt += n;
	return (int)n;
}

struct fixture {
	struct bpf_object *obj;
	struct evbpf_loop *loop;
	int rb, drops, cfg, seq, xdp, tp;
};

static void fx_init(void **state, struct fixture *f)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);

	f->obj = bpf_object__open_file(evbpf_test_prog_path("io_ringbuf"), NULL);
	assert_non_null(f->obj);
	assert_int_equal(bpf_object__load(f->obj), 0);
	f->rb = bpf_object__find_map_fd_by_name(f->obj, "rb");
	f->drops = bpf_object__find_map_fd_by_name(f->obj, "drops");
	f->cfg = bpf_object__find_map_fd_by_name(f->obj, "cfg");
	f->seq = bpf_object__find_map_fd_by_name(f->obj, "seq");
	assert_true(f->rb >= 0 && f->drops >= 0 && f->cfg >= 0 && f->seq >= 0);
	f->xdp = bpf_program__fd(bpf_object__find_program_by_name(f->obj, "xdp_produce"));
	f->tp = bpf_program__fd(bpf_object__find_program_by_name(f->obj, "tp_getppid"));
	assert_true(f->xdp >= 0 && f->tp >= 0);
	f->loop = evbpf_loop_new(&lo);
	assert_non_null(f->loop);
}

static void fx_fini(struct fixture *f)
{
	evbpf_loop_free(f->loop);
	bpf_object__close(f->obj);
}

static void set_cfg(struct fixture *f, __u32 key, __u64 val)
{
	assert_int_equal(bpf_map_update_elem(f->cfg, &key, &val, BPF_ANY), 0);
}

/* Overflow with the BPF-side drop counter: produced = consumed + dropped. */
static void test_drops(void **state)
{
	struct sink s = {};
	struct fixture f;
	struct evbpf_stats st;
	LIBBPF_OPTS(evbpf_ring_opts, ro);

	fx_init(state, &f);
	ro.drops_map_fd = f.drops;
	assert_non_null(evbpf_ring_new(f.loop, f.rb, on_batch, &s, &ro));
	assert_int_equal(io_run(f.xdp, 1000), 0);
	while (s.cnt == 0) {
		assert_true(io_wait_fd(evbpf_loop_fd(f.loop), 5000) > 0);
		assert_true(evbpf_loop_dispatch(f.loop) >= 0);
	}
	assert_true(evbpf_loop_drain(f.loop) >= 0);
	assert_int_equal(evbpf_loop_stats(f.loop, &st), 0);
	assert_false(s.bad);
	assert_true(st.drops > 0);
	assert_int_equal(io_array_u64(f.seq), 1000);
	assert_int_equal(st.records + st.drops, 1000);
	assert_int_equal(st.records, s.cnt);
	fx_fini(&f);
}

/* Adaptive wakeups: below the threshold no wakeup, crossing it forces one. */
static void test_adaptive_wakeup(void **state)
{
	struct sink s = {};
	struct fixture f;
	LIBBPF_OPTS(evbpf_ring_opts, ro, .coalesce_bytes = 1024,
		    .coalesce_usec = 60 * 1000 * 1000);

	fx_init(state, &f);
	set_cfg(&f, 1, 1024);
	/* embedded from the start (an io_uring loop moves onto epoll now) */
	assert_true(evbpf_loop_fd(f.loop) >= 0);
	assert_non_null(evbpf_ring_new(f.loop, f.rb, on_batch, &s, &ro));
	assert_true(evbpf_loop_dispatch(f.loop) >= 0);
	/* 10 records of 40 bytes: under the threshold, nobody is woken */
	assert_int_equal(io_run(f.xdp, 10), 0);
	assert_int_equal(io_wait_fd(evbpf_loop_fd(f.loop), 50), 0);
	/* 30 more cross it: a forced wakeup, and the consumer delivers */
	assert_int_equal(io_run(f.xdp, 30), 0);
	while (s.cnt < 40) {
		assert_true(io_wait_fd(evbpf_loop_fd(f.loop), 5000) > 0);
		assert_true(evbpf_loop_dispatch(f.loop) >= 0);
	}
	assert_int_equal(s.cnt, 40);
	assert_false(s.bad);
	fx_fini(&f);
}

/* A tracepoint producer firing on this process's getppid() calls. */
static void test_tracepoint(void **state)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_TRACEPOINT,
		.sample_period = 1,
	};
	struct sink s = {};
	struct fixture f;
	char buf[32] = {};
	int fd, pfd, i;

	fd = open("/sys/kernel/tracing/events/syscalls/sys_enter_getppid/id", O_RDONLY);
	if (fd < 0)
		fd = open("/sys/kernel/debug/tracing/events/syscalls/sys_enter_getppid/id", O_RDONLY);
	if (fd < 0)
		EVBPF_SKIP("tracefs with syscall tracepoints");
	assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
	close(fd);
	attr.config = strtoull(buf, NULL, 10);

	fx_init(state, &f);
	set_cfg(&f, 0, getpid());
	assert_non_null(evbpf_ring_new(f.loop, f.rb, on_batch, &s, NULL));
	/* this process only, any CPU */
	pfd = syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	assert_true(pfd >= 0);
	assert_int_equal(ioctl(pfd, PERF_EVENT_IOC_SET_BPF, f.tp), 0);
	assert_int_equal(ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0), 0);
	for (i = 0; i < 100; i++)
		syscall(SYS_getppid);
	assert_int_equal(ioctl(pfd, PERF_EVENT_IOC_DISABLE, 0), 0);
	while (s.cnt < 100) {
		assert_true(io_wait_fd(evbpf_loop_fd(f.loop), 5000) > 0);
		assert_true(evbpf_loop_dispatch(f.loop) >= 0);
	}
	close(pfd);
	assert_int_equal(s.cnt, 100);
	assert_false(s.bad);
	assert_int_equal(io_array_u64(f.seq), 100);
	fx_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_drops),
		BOTH(test_adaptive_wakeup),
		BOTH(test_tracepoint),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
