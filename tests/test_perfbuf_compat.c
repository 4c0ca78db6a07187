// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf-compatible perf_buffer__* with a real producer.
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <linux/perf_event.h>

#include <bpf/libbpf.h>
#include "io_test.h"

struct sink {
	__u64 seen[4096];
	size_t cnt;
	__u64 lost;
	int cpu;
	bool bad;
	int raw_samples;
	int raw_stop_at;
};

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct sink *s = ctx;

	if (cpu != s->cpu || size < 12)
		s->bad = true;
	if (s->cnt < 4096)
		memcpy(&s->seen[s->cnt], data, sizeof(__u64));	/* 4-byte aligned */
	s->cnt++;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	struct sink *s = ctx;

	s->lost += cnt;
}

static enum bpf_perf_event_ret on_raw(void *ctx, int cpu, struct perf_event_header *eh)
{
	struct sink *s = ctx;

	if (eh->type == PERF_RECORD_SAMPLE)
		s->raw_samples++;
	if (s->raw_stop_at && s->raw_samples == s->raw_stop_at)
		return LIBBPF_PERF_EVENT_DONE;
	return LIBBPF_PERF_EVENT_CONT;
}

struct fixture {
	int pa, state, prog, cpu;
	cpu_set_t old;
};

static void fx_init(struct fixture *f, int mask)
{
	cpu_set_t one;

	assert_int_equal(sched_getaffinity(0, sizeof(f->old), &f->old), 0);
	f->cpu = sched_getcpu();
	CPU_ZERO(&one);
	CPU_SET(f->cpu, &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	f->pa = io_perf_map();
	f->state = io_array_map(8, false);
	assert_true(f->pa >= 0 && f->state >= 0);
	f->prog = io_xdp_producer(f->pa, f->state, -1, IO_PROD_PERF, mask, 0);
	assert_true(f->prog >= 0);
}

static void fx_fini(struct fixture *f)
{
	close(f->prog);
	close(f->state);
	close(f->pa);
	sched_setaffinity(0, sizeof(f->old), &f->old);
}

static void test_poll_consume(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct perf_buffer *pb;
	struct fixture f;
	size_t i, ncpu;
	void *buf;
	size_t sz;

	fx_init(&f, 7);
	s->cpu = f.cpu;
	pb = perf_buffer__new(f.pa, 2, on_sample, on_lost, s, NULL);
	assert_non_null(pb);
	ncpu = perf_buffer__buffer_cnt(pb);
	assert_true(ncpu >= 1 && ncpu > (size_t)f.cpu);
	assert_true(perf_buffer__buffer_fd(pb, f.cpu) >= 0);
	assert_int_equal(perf_buffer__buffer_fd(pb, ncpu), -ENOENT);
	assert_int_equal(perf_buffer__buffer(pb, f.cpu, &buf, &sz), 0);
	assert_int_equal(sz, 3 * sysconf(_SC_PAGESIZE));
	assert_true(perf_buffer__epoll_fd(pb) >= 0);
	assert_int_equal(perf_buffer__poll(pb, 0), 0);

	for (int round = 0; round < 20; round++) {
		assert_int_equal(io_run(f.prog, 30), 0);
		while (s->cnt < (size_t)(round + 1) * 30)
			assert_true(perf_buffer__poll(pb, 5000) > 0);
	}
	assert_int_equal(s->cnt, 600);
	assert_int_equal(io_run(f.prog, 10), 0);
	assert_int_equal(perf_buffer__consume_buffer(pb, f.cpu), 0);
	assert_int_equal(s->cnt, 610);
	assert_int_equal(perf_buffer__consume_buffer(pb, ncpu), -ENOENT);
	assert_int_equal(io_run(f.prog, 5), 0);
	assert_int_equal(perf_buffer__consume(pb), 0);
	assert_int_equal(s->cnt, 615);
	assert_false(s->bad);
	for (i = 0; i < 615; i++)
		assert_int_equal(s->seen[i], i);
	perf_buffer__free(pb);
	fx_fini(&f);
	free(s);
}

/* opts.sample_period: woken every 4 samples */
static void test_sample_period(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	LIBBPF_OPTS(perf_buffer_opts, po, .sample_period = 4);
	struct perf_buffer *pb;
	struct fixture f;

	fx_init(&f, 0);
	s->cpu = f.cpu;
	pb = perf_buffer__new(f.pa, 1, on_sample, on_lost, s, &po);
	assert_non_null(pb);
	assert_int_equal(io_run(f.prog, 8), 0);
	while (s->cnt < 8)
		assert_true(perf_buffer__poll(pb, 5000) > 0);
	assert_int_equal(s->cnt, 8);
	assert_false(s->bad);
	perf_buffer__free(pb);
	fx_fini(&f);
	free(s);
}

static void test_lost(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct perf_buffer *pb;
	struct fixture f;

	fx_init(&f, 0);
	s->cpu = f.cpu;
	pb = perf_buffer__new(f.pa, 1, on_sample, on_lost, s, NULL);
	assert_non_null(pb);
	assert_int_equal(io_run(f.prog, 1000), 0);
	assert_int_equal(perf_buffer__consume(pb), 0);
	assert_int_equal(io_run(f.prog, 1), 0);
	assert_int_equal(perf_buffer__consume(pb), 0);
	assert_true(s->lost > 0);
	assert_int_equal(s->cnt + s->lost, 1001);
	perf_buffer__free(pb);
	fx_fini(&f);
	free(s);
}

static void test_raw(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	int cpus[1], keys[1];
	LIBBPF_OPTS(perf_buffer_raw_opts, ro, .cpu_cnt = 1, .cpus = cpus, .map_keys = keys);
	struct perf_buffer *pb;
	struct fixture f;

	fx_init(&f, 0);
	cpus[0] = f.cpu;
	keys[0] = f.cpu;
	pb = perf_buffer__new_raw(f.pa, 1, &attr, on_raw, s, &ro);
	assert_non_null(pb);
	assert_int_equal(perf_buffer__buffer_cnt(pb), 1);
	assert_int_equal(io_run(f.prog, 10), 0);
	s->raw_stop_at = 4;
	/* DONE stops this ring's consumption without an error */
	assert_int_equal(perf_buffer__consume(pb), 0);
	assert_int_equal(s->raw_samples, 4);
	s->raw_stop_at = 0;
	assert_true(perf_buffer__poll(pb, 5000) > 0);
	assert_int_equal(s->raw_samples, 10);
	perf_buffer__free(pb);
	fx_fini(&f);
	free(s);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_eintr(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	struct itimerspec its = { .it_value.tv_nsec = 20 * 1000 * 1000 };
	struct perf_buffer *pb;
	struct fixture f;
	timer_t timer;

	fx_init(&f, 0);
	pb = perf_buffer__new(f.pa, 1, on_sample, NULL, s, NULL);
	assert_non_null(pb);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
	assert_int_equal(timer_settime(timer, 0, &its, NULL), 0);
	assert_int_equal(perf_buffer__poll(pb, 10000), -EINTR);
	assert_int_equal(errno, EINTR);
	timer_delete(timer);
	sigaction(SIGALRM, &old, NULL);
	perf_buffer__free(pb);
	fx_fini(&f);
	free(s);
}

static void test_bad_args(void **state)
{
	int fd = io_perf_map();

	assert_null(perf_buffer__new(fd, 3, on_sample, NULL, NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_null(perf_buffer__new(fd, 1, NULL, NULL, NULL, NULL));
	assert_int_equal(errno, EINVAL);
	perf_buffer__free(NULL);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_consume),
		cmocka_unit_test(test_sample_period),
		cmocka_unit_test(test_lost),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_eintr),
		cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
