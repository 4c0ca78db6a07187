// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Asynchronous map operations completed through the loop, both backends.
 */
#include <stdlib.h>

#include <evbpf/mapops.h>
#include "io_test.h"

#define N 200

struct log {
	struct evbpf_mapop_done d[4 * N];
	size_t cnt;
	struct evbpf_mapq *q;	/* for chained submits */
	int chain_fd;
	__u32 chain_key;
	__u64 chain_val;
};

static void on_done(void *ctx, const struct evbpf_mapop_done *d)
{
	struct log *l = ctx;

	l->d[l->cnt++] = *d;
	if (l->q && d->cookie == (void *)1)
		assert_int_equal(evbpf_mapq_update(l->q, l->chain_fd, &l->chain_key,
						   &l->chain_val, BPF_ANY, (void *)2), 0);
}

static struct evbpf_loop *new_loop(void **state)
{
	enum evbpf_backend *be = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = *be);
	struct evbpf_loop *loop = evbpf_loop_new(&lo);

	assert_non_null(loop);
	return loop;
}

static void complete(struct evbpf_loop *loop, struct log *l, size_t want)
{
	int rounds = 0;

	while (l->cnt < want) {
		assert_true(io_wait_fd(evbpf_loop_fd(loop), 5000) > 0);
		assert_true(evbpf_loop_dispatch(loop) >= 0);
		assert_true(++rounds < 100);
	}
	assert_int_equal(l->cnt, want);
}

static void test_hash_batches(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	static __u32 keys[N];
	static __u64 vals[N], out[N];
	struct evbpf_mapq *q;
	struct evbpf_stats st;
	__u32 missing = 9999;
	__u64 v;
	int fd, i;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_h", 4, 8, 2 * N, NULL);
	assert_true(fd >= 0);
	q = evbpf_mapq_new(loop, on_done, l, NULL);
	assert_non_null(q);
	for (i = 0; i < N; i++) {
		keys[i] = i;
		vals[i] = 1000 + i;
		assert_int_equal(evbpf_mapq_update(q, fd, &keys[i], &vals[i], BPF_ANY, NULL), 0);
	}
	/* the same key again with NOEXIST: a batch of its own, failing */
	assert_int_equal(evbpf_mapq_update(q, fd, &keys[5], &vals[6], BPF_NOEXIST, NULL), 0);
	assert_int_equal(evbpf_mapq_pending(q), N + 1);
	/* submitting did not touch the map */
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[0], &v), -ENOENT);
	complete(loop, l, N + 1);
	for (i = 0; i < N; i++) {
		assert_int_equal(l->d[i].res, 0);
		assert_int_equal(l->d[i].kind, EVBPF_MAPOP_UPDATE);
		assert_ptr_equal(l->d[i].key, &keys[i]);
	}
	assert_int_equal(l->d[N].res, -EEXIST);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[N - 1], &v), 0);
	assert_int_equal(v, 1000 + N - 1);
	assert_int_equal(evbpf_mapq_stats(q, &st), 0);
	assert_int_equal(st.records, N + 1);
	assert_true(st.batches >= 1);
	assert_true(st.syscalls <= 4);

	/* lookups one by one, deletes batched with one missing key */
	l->cnt = 0;
	for (i = 0; i < 10; i++)
		assert_int_equal(evbpf_mapq_lookup(q, fd, &keys[i], &out[i], NULL), 0);
	assert_int_equal(evbpf_mapq_lookup(q, fd, &missing, &out[10], NULL), 0);
	for (i = 0; i < 50; i++)
		assert_int_equal(evbpf_mapq_delete(q, fd, i == 20 ? &missing : &keys[i], NULL), 0);
	complete(loop, l, 61);
	for (i = 0; i < 10; i++) {
		assert_int_equal(l->d[i].res, 0);
		assert_int_equal(out[i], 1000 + i);
	}
	assert_int_equal(l->d[10].res, -ENOENT);
	for (i = 0; i < 50; i++)
		assert_int_equal(l->d[11 + i].res, i == 20 ? -ENOENT : 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[21], &v), -ENOENT);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[20], &v), 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[50], &v), 0);

	evbpf_loop_free(loop);
	close(fd);
	free(l);
}

/* BPF_F_MMAPABLE arrays: plain loads and stores, no map commands. */
static void test_mmapable_array(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = BPF_F_MMAPABLE);
	static __u32 keys[64];
	static __u64 vals[64], out;
	struct evbpf_mapq *q;
	struct evbpf_stats st;
	__u32 bad = 64;
	__u64 v;
	int fd, i;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "io_mq_a", 4, 8, 64, &mo);
	assert_true(fd >= 0);
	q = evbpf_mapq_new(loop, on_done, l, NULL);
	for (i = 0; i < 64; i++) {
		keys[i] = i;
		vals[i] = i * 3;
		assert_int_equal(evbpf_mapq_update(q, fd, &keys[i], &vals[i], BPF_ANY, NULL), 0);
	}
	assert_int_equal(evbpf_mapq_lookup(q, fd, &keys[7], &out, NULL), 0);
	assert_int_equal(evbpf_mapq_update(q, fd, &bad, &vals[0], BPF_ANY, NULL), 0);
	assert_int_equal(evbpf_mapq_update(q, fd, &keys[0], &vals[0], BPF_NOEXIST, NULL), 0);
	complete(loop, l, 67);
	for (i = 0; i < 65; i++)
		assert_int_equal(l->d[i].res, 0);
	assert_int_equal(out, 21);
	assert_int_equal(l->d[65].res, -E2BIG);
	assert_int_equal(l->d[66].res, -EEXIST);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[63], &v), 0);
	assert_int_equal(v, 63 * 3);
	/* map info and the mapping, nothing per operation */
	assert_int_equal(evbpf_mapq_stats(q, &st), 0);
	assert_int_equal(st.syscalls, 2);
	evbpf_mapq_free(q);
	evbpf_loop_free(loop);
	close(fd);
	free(l);
}

/* A completion may submit; that operation completes in a later dispatch. */
static void test_chained_and_errors(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	__u32 key = 1;
	__u64 val = 5, v;
	struct evbpf_mapq *q;
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_c", 4, 8, 4, NULL);
	assert_true(fd >= 0);
	q = evbpf_mapq_new(loop, on_done, l, NULL);
	l->q = q;
	l->chain_fd = fd;
	l->chain_key = 2;
	l->chain_val = 77;
	assert_int_equal(evbpf_mapq_update(q, fd, &key, &val, BPF_ANY, (void *)1), 0);
	complete(loop, l, 2);
	assert_ptr_equal(l->d[1].cookie, (void *)2);
	assert_int_equal(l->d[1].res, 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &l->chain_key, &v), 0);
	assert_int_equal(v, 77);
	/* a bad fd completes with an error, through res */
	l->q = NULL;
	assert_int_equal(evbpf_mapq_lookup(q, 1000, &key, &v, NULL), 0);
	complete(loop, l, 3);
	assert_true(l->d[2].res < 0);
	assert_int_equal(evbpf_mapq_update(q, fd, NULL, &v, 0, NULL), -EINVAL);
	assert_null(evbpf_mapq_new(NULL, on_done, NULL, NULL));
	evbpf_loop_free(loop);
	close(fd);
	free(l);
}

static enum evbpf_backend be_uring = EVBPF_BACKEND_IO_URING;
static enum evbpf_backend be_epoll = EVBPF_BACKEND_EPOLL;

#define BOTH(fn) cmocka_unit_test_prestate(fn, &be_uring), \
		 cmocka_unit_test_prestate(fn, &be_epoll)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_hash_batches),
		BOTH(test_mmapable_array),
		BOTH(test_chained_and_errors),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
