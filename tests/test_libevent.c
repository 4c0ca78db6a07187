// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The libevent adapter: records delivered from inside event_base_loop(),
 * on both backends.
 */
#include <stdlib.h>
#include <sys/time.h>
#include <event2/event.h>

#include <evbpf/evbpf_event.h>
#include "io_test.h"

struct sink {
	size_t cnt;
	size_t want;
	__u64 next;
	bool bad;
	struct event_base *base;
	int errors;
	int last_err;
	bool fail_once;
};

static int on_batch(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct sink *s = ctx;
	size_t i;

	if (s->fail_once) {
		s->fail_once = false;
		return -EIO;
	}
	for (i = 0; i < n; i++) {
		if (*(const __u64 *)recs[i].data != s->next++)
			s->bad = true;
	}
	s->cnt += n;
	if (s->cnt >= s->want)
		event_base_loopbreak(s->base);
	return (int)n;
}

static void on_error(struct evbpf_loop *loop, int err, void *ctx)
{
	struct sink *s = ctx;

	s->errors++;
	s->last_err = err;
	event_base_loopbreak(s->base);
}

static void test_libevent(void **state)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	struct sink *s = calloc(1, sizeof(*s));
	struct timeval tv = { .tv_sec = 5 };
	struct evbpf_loop *loop;
	struct evbpf_event *ev;
	int rb, st, prog, round;

	s->base = event_base_new();
	assert_non_null(s->base);
	loop = evbpf_loop_new(&lo);
	assert_non_null(loop);
	rb = io_ringbuf_map(8192);
	st = io_array_map(8, false);
	prog = io_xdp_producer(rb, st, -1, IO_PROD_OUTPUT, 7, 0);
	assert_true(rb >= 0 && st >= 0 && prog >= 0);
	assert_non_null(evbpf_ring_new(loop, rb, on_batch, s, NULL));
	ev = evbpf_event_new(s->base, loop, on_error, s);
	assert_non_null(ev);

	for (round = 1; round <= 10; round++) {
		assert_int_equal(io_run(prog, 40), 0);
		s->want = round * 40;
		/* bounded: a timeout event ends the loop if nothing comes */
		assert_int_equal(event_base_loopexit(s->base, &tv), 0);
		assert_int_equal(event_base_loop(s->base, 0), 0);
		assert_int_equal(s->cnt, s->want);
	}
	assert_false(s->bad);
	assert_int_equal(s->errors, 0);

	/* a failing callback reaches the error callback; nothing is lost */
	s->fail_once = true;
	assert_int_equal(io_run(prog, 5), 0);
	assert_int_equal(event_base_loopexit(s->base, &tv), 0);
	assert_int_equal(event_base_loop(s->base, 0), 0);
	assert_int_equal(s->errors, 1);
	assert_int_equal(s->last_err, -EIO);
	s->want = 405;
	assert_int_equal(event_base_loopexit(s->base, &tv), 0);
	assert_int_equal(event_base_loop(s->base, 0), 0);
	assert_int_equal(s->cnt, 405);
	assert_false(s->bad);

	evbpf_event_free(ev);
	evbpf_event_free(NULL);
	evbpf_loop_free(loop);
	event_base_free(s->base);
	close(prog);
	close(st);
	close(rb);
	free(s);
}

/* Options: a budget bounds each dispatch (the event fires again for the
 * rest), the priority is the one asked for, the event is reachable. */
static int on_batch_count(void *ctx, const struct evbpf_rec *recs, size_t n)
{
	struct sink *s = ctx;

	s->cnt += n;
	s->errors += n > 10;	/* never more than the budget per dispatch */
	if (s->cnt >= s->want)
		event_base_loopbreak(s->base);
	return (int)n;
}

static void test_options(void **state)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	LIBBPF_OPTS(evbpf_event_opts, eo, .priority = 1, .budget_records = 10);
	LIBBPF_OPTS(evbpf_ring_opts, ro, .batch_max = 4);
	struct sink *s = calloc(1, sizeof(*s));
	struct timeval tv = { .tv_sec = 5 };
	struct evbpf_loop *loop;
	struct evbpf_event *ev;
	int rb, st, prog;

	s->base = event_base_new();
	assert_non_null(s->base);
	assert_int_equal(event_base_priority_init(s->base, 3), 0);
	loop = evbpf_loop_new(&lo);
	assert_non_null(loop);
	rb = io_ringbuf_map(8192);
	st = io_array_map(8, false);
	prog = io_xdp_producer(rb, st, -1, IO_PROD_OUTPUT, 0, 0);
	assert_true(rb >= 0 && st >= 0 && prog >= 0);
	assert_non_null(evbpf_ring_new(loop, rb, on_batch_count, s, &ro));
	ev = evbpf_event_new_opts(s->base, loop, on_error, s, &eo);
	assert_non_null(ev);
	assert_non_null(evbpf_event_get(ev));
	assert_null(evbpf_event_get(NULL));
	assert_int_equal(event_get_priority(evbpf_event_get(ev)), 0);
	assert_int_equal(io_run(prog, 100), 0);
	s->want = 100;
	assert_int_equal(event_base_loopexit(s->base, &tv), 0);
	assert_int_equal(event_base_loop(s->base, 0), 0);
	assert_int_equal(s->cnt, 100);
	assert_int_equal(s->errors, 0);
	evbpf_event_free(ev);
	/* a priority the base does not have */
	eo.priority = 9;
	assert_null(evbpf_event_new_opts(s->base, loop, NULL, NULL, &eo));
	assert_int_equal(errno, EINVAL);
	evbpf_loop_free(loop);
	event_base_free(s->base);
	close(prog);
	close(st);
	close(rb);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_libevent),
		BOTH(test_options),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
