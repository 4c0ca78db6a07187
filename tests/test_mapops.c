// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Asynchronous map operations completed through the loop, on both backends
 * and on both execution paths (map commands only, and the program path
 * where the kernel and the map type allow it).
 */
#include <stdlib.h>

#include <bpf/libbpf.h>
#include <evbpf/mapops.h>
#include "io_test.h"

#define N 200

struct cfg {
	enum evbpf_backend backend;
	__u32 flags;		/* evbpf_mapq_opts.flags */
};

struct log {
	struct evbpf_mapop_done d[4 * N];
	size_t cnt;
	struct evbpf_mapq *q;	/* for chained submits */
	int chain_fd;
	__u32 chain_key;
	__u64 chain_val;
	int free_res;		/* what evbpf_mapq_free() said from a callback */
	int cancel_res;
	bool free_in_cb, cancel_in_cb, submit_in_cb;
	int submit_res;
};

static void on_done(void *ctx, const struct evbpf_mapop_done *d)
{
	struct log *l = ctx;

	assert_true(l->cnt < 4 * N);
	l->d[l->cnt++] = *d;
	if (l->q && d->cookie == (void *)1)
		assert_int_equal(evbpf_mapq_update(l->q, l->chain_fd, &l->chain_key,
						   &l->chain_val, BPF_ANY, (void *)2), 0);
	if (l->free_in_cb) {
		l->free_in_cb = false;
		l->free_res = evbpf_mapq_free(l->q);
	}
	if (l->submit_in_cb) {
		l->submit_in_cb = false;
		l->submit_res = evbpf_mapq_delete(l->q, l->chain_fd, &l->chain_key, (void *)7);
	}
	if (l->cancel_in_cb) {
		l->cancel_in_cb = false;
		assert_int_equal(evbpf_mapq_update(l->q, l->chain_fd, &l->chain_key,
						   &l->chain_val, BPF_ANY, (void *)9), 0);
		assert_int_equal(evbpf_mapq_update(l->q, l->chain_fd, &l->chain_key,
						   &l->chain_val, BPF_ANY, (void *)8), 0);
		l->cancel_res = evbpf_mapq_cancel(l->q, (void *)9);
	}
}

static struct evbpf_loop *new_loop(void **state)
{
	const struct cfg *c = *state;
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = c->backend);
	struct evbpf_loop *loop = evbpf_loop_new(&lo);

	assert_non_null(loop);
	return loop;
}

static struct evbpf_mapq *new_q(void **state, struct evbpf_loop *loop, struct log *l,
				__u32 extra_flags)
{
	const struct cfg *c = *state;
	LIBBPF_OPTS(evbpf_mapq_opts, qo, .flags = c->flags | extra_flags);
	struct evbpf_mapq *q = evbpf_mapq_new(loop, on_done, l, &qo);

	assert_non_null(q);
	l->q = NULL;
	return q;
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

static struct evbpf_mapq_info info_of(struct evbpf_mapq *q)
{
	struct evbpf_mapq_info in = { .sz = sizeof(in) };

	assert_int_equal(evbpf_mapq_info(q, &in), 0);
	return in;
}

/* The program path runs where it should: off with EVBPF_MAPQ_NO_PROG. */
static void check_path(void **state, struct evbpf_mapq *q, bool prog_expected)
{
	const struct cfg *c = *state;
	struct evbpf_mapq_info in = info_of(q);

	if (c->flags & EVBPF_MAPQ_NO_PROG || !prog_expected)
		assert_int_equal(in.prog_runs, 0);
	else
		assert_true(in.prog_elements > 0);
}

static void test_hash_batches(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	static __u32 keys[N];
	static __u64 vals[N], out[N];
	struct evbpf_mapq *q;
	struct evbpf_stats st;
	struct evbpf_mapq_info in;
	__u32 missing = 9999;
	__u64 v;
	int fd, i;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_h", 4, 8, 2 * N, NULL);
	assert_true(fd >= 0);
	q = new_q(state, loop, l, 0);
	for (i = 0; i < N; i++) {
		keys[i] = i;
		vals[i] = 1000 + i;
		assert_int_equal(evbpf_mapq_update(q, fd, &keys[i], &vals[i], BPF_ANY, NULL), 0);
	}
	/* the same key again with NOEXIST: a run of its own, failing */
	assert_int_equal(evbpf_mapq_update(q, fd, &keys[5], &vals[6], BPF_NOEXIST, NULL), 0);
	assert_int_equal(evbpf_mapq_pending(q), N + 1);
	/* submitting did not touch the map */
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[0], &v), -ENOENT);
	complete(loop, l, N + 1);
	for (i = 0; i < N; i++) {
		assert_int_equal(l->d[i].res, 0);
		assert_int_equal(l->d[i].kind, EVBPF_MAPOP_UPDATE);
		assert_ptr_equal(l->d[i].key, &keys[i]);
		assert_int_equal(l->d[i].count, 1);
		assert_int_equal(l->d[i].applied, 1);
	}
	assert_int_equal(l->d[N].res, -EEXIST);
	assert_int_equal(l->d[N].applied, 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(bpf_map_lookup_elem(fd, &keys[i], &v), 0);
		assert_int_equal(v, 1000 + i);
	}
	assert_int_equal(evbpf_mapq_stats(q, &st), 0);
	assert_int_equal(st.records, N + 1);
	assert_true(st.batches >= 1);
	in = info_of(q);
	assert_int_equal(in.submitted, N + 1);
	assert_int_equal(in.completed, N + 1);
	assert_int_equal(in.failed, 1);
	assert_int_equal(in.pending, 0);
	assert_int_equal(in.pending_max, N + 1);
	/* contiguous keys and values: one batch command or one program run */
	assert_true(in.batch_cmds + in.prog_runs <= 2);
	check_path(state, q, true);

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
	q = new_q(state, loop, l, 0);
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
	assert_int_equal(info_of(q).mmap_ops, 67);
	assert_int_equal(evbpf_mapq_free(q), 0);
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
	q = new_q(state, loop, l, 0);
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
	evbpf_loop_free(loop);
	close(fd);
	free(l);
}

/*
 * Submits @n updates of keys[0..n) with @flags (one run), completes them
 * and checks each result against @want (NULL: all 0).
 */
static void run_updates(struct evbpf_loop *loop, struct evbpf_mapq *q, struct log *l,
			int fd, const __u32 *keys, const __u64 *vals, int n, __u64 flags,
			const int *want, int want_all)
{
	int i;

	l->cnt = 0;
	for (i = 0; i < n; i++)
		assert_int_equal(evbpf_mapq_update(q, fd, &keys[i], &vals[i], flags, NULL), 0);
	complete(loop, l, n);
	for (i = 0; i < n; i++) {
		int w = want ? want[i] : want_all;

		if (l->d[i].res != w)
			fail_msg("flags 0x%llx element %d: res %d, want %d",
				 (unsigned long long)flags, i, l->d[i].res, w);
		assert_int_equal(l->d[i].applied, w == 0);
	}
}

/*
 * Whole-batch refusals: the kernel refuses the batch command before any
 * element (flags the batch commands do not take, BPF_F_LOCK without a lock,
 * deletes of an array, a frozen map, unknown flags). Every element must get
 * its own true result, never a 0 for a write that did not happen.
 */
static void test_batch_refusals(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	static __u32 keys[2 * N];
	static __u64 vals[2 * N];
	static int want[2 * N];
	struct evbpf_mapq *q;
	__u64 v;
	int fd, afd, ffd, i;

	for (i = 0; i < 2 * N; i++) {
		keys[i] = i;
		vals[i] = 7 * i + 1;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_r", 4, 8, 2 * N, NULL);
	afd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "io_mq_ra", 4, 8, N, NULL);
	ffd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_rf", 4, 8, N, NULL);
	assert_true(fd >= 0 && afd >= 0 && ffd >= 0);
	q = new_q(state, loop, l, 0);

	/* BPF_F_LOCK on a map without a spin lock: nothing is written */
	run_updates(loop, q, l, fd, keys, vals, 2, BPF_F_LOCK, NULL, -EINVAL);
	run_updates(loop, q, l, fd, keys, vals, N, BPF_F_LOCK, NULL, -EINVAL);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[0], &v), -ENOENT);
	/* flags no command knows */
	run_updates(loop, q, l, fd, keys, vals, N, 1ull << 40, NULL, -EINVAL);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[1], &v), -ENOENT);
	/* BPF_NOEXIST (batch commands take no NOEXIST/EXIST): new keys are
	 * created, one by one if need be */
	run_updates(loop, q, l, fd, keys, vals, N, BPF_NOEXIST, NULL, 0);
	for (i = 0; i < N; i++) {
		assert_int_equal(bpf_map_lookup_elem(fd, &keys[i], &v), 0);
		assert_int_equal(v, vals[i]);
	}
	/* NOEXIST again over existing and new keys: a partial run */
	for (i = 0; i < N; i++)
		want[i] = i < N / 2 ? -EEXIST : 0;
	run_updates(loop, q, l, fd, keys + N / 2, vals + N / 2, N, BPF_NOEXIST, want, 0);
	/* BPF_EXIST: existing keys updated, absent ones ENOENT */
	for (i = 0; i < N; i++)
		want[i] = (N + i) < N + N / 2 ? 0 : -ENOENT;
	run_updates(loop, q, l, fd, keys + N, vals, N, BPF_EXIST, want, 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[N], &v), 0);
	assert_int_equal(v, vals[0]);

	/* deletes of an array: refused as a batch, each element -EINVAL */
	l->cnt = 0;
	for (i = 0; i < N; i++)
		assert_int_equal(evbpf_mapq_delete(q, afd, &keys[i], NULL), 0);
	complete(loop, l, N);
	for (i = 0; i < N; i++)
		assert_int_equal(l->d[i].res, -EINVAL);
	/* array updates past the end: a batch stopping at every element */
	for (i = 0; i < N; i++)
		want[i] = i < N / 2 ? 0 : -E2BIG;
	run_updates(loop, q, l, afd, keys + N / 2, vals, N, BPF_ANY, want, 0);
	assert_int_equal(bpf_map_lookup_elem(afd, &keys[N - 1], &v), 0);
	assert_int_equal(v, vals[N / 2 - 1]);

	/* a read-only fd of a writable map: refused with EPERM, and no
	 * program writes through it either */
	{
		LIBBPF_OPTS(bpf_get_fd_by_id_opts, fo, .open_flags = BPF_F_RDONLY);
		struct bpf_map_info mi = {};
		__u32 len = sizeof(mi);
		int rofd;

		assert_int_equal(bpf_map_get_info_by_fd(afd, &mi, &len), 0);
		rofd = bpf_map_get_fd_by_id_opts(mi.id, &fo);
		assert_true(rofd >= 0);
		run_updates(loop, q, l, rofd, keys, vals, N, BPF_ANY, NULL, -EPERM);
		l->cnt = 0;
		assert_int_equal(evbpf_mapq_delete_batch(q, rofd, keys, N, NULL, NULL), 0);
		complete(loop, l, 1);
		assert_int_equal(l->d[0].res, -EPERM);
		/* key 0 was never written */
		assert_int_equal(bpf_map_lookup_elem(afd, &keys[0], &v), 0);
		assert_int_equal(v, 0);
		assert_int_equal(evbpf_mapq_forget_map(q, rofd), 0);
		close(rofd);
	}

	/* a frozen map: every update refused with EPERM */
	assert_int_equal(bpf_map_freeze(ffd), 0);
	run_updates(loop, q, l, ffd, keys, vals, N, BPF_ANY, NULL, -EPERM);
	run_updates(loop, q, l, ffd, keys, vals, 2, BPF_ANY, NULL, -EPERM);

	/* a full hash: the batch stops at the first element that does not fit */
	assert_int_equal(evbpf_mapq_forget_map(q, ffd), 0);
	close(ffd);
	ffd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_rs", 4, 8, N / 2, NULL);
	assert_true(ffd >= 0);
	for (i = 0; i < N; i++)
		want[i] = i < N / 2 ? 0 : -E2BIG;
	run_updates(loop, q, l, ffd, keys, vals, N, BPF_ANY, want, 0);

	evbpf_loop_free(loop);
	close(fd);
	close(afd);
	close(ffd);
	free(l);
}

/* The same refusals through evbpf_mapq_update_batch(): one completion with
 * every element's result. */
static void test_batch_submissions(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	static __u32 keys[N];
	static __u64 vals[N];
	static int res[N];
	struct evbpf_mapq *q;
	__u64 v;
	int fd, i;

	for (i = 0; i < N; i++) {
		keys[i] = i;
		vals[i] = 3 * i;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_b", 4, 8, N, NULL);
	assert_true(fd >= 0);
	q = new_q(state, loop, l, 0);
	/* half of them first, then all with NOEXIST: half fail */
	assert_int_equal(evbpf_mapq_update_batch(q, fd, keys, vals, N / 2, BPF_ANY, res,
						 (void *)1), 0);
	assert_int_equal(evbpf_mapq_update_batch(q, fd, keys, vals, N, BPF_NOEXIST, res,
						 (void *)2), 0);
	complete(loop, l, 2);
	assert_int_equal(l->d[0].res, 0);
	assert_int_equal(l->d[0].count, N / 2);
	assert_int_equal(l->d[0].applied, N / 2);
	assert_int_equal(l->d[1].res, -EEXIST);
	assert_int_equal(l->d[1].applied, N / 2);
	assert_ptr_equal(l->d[1].results, res);
	for (i = 0; i < N; i++)
		assert_int_equal(res[i], i < N / 2 ? -EEXIST : 0);
	/* F_LOCK without a lock, results not wanted */
	l->cnt = 0;
	assert_int_equal(evbpf_mapq_update_batch(q, fd, keys, vals, N, BPF_F_LOCK, NULL,
						 NULL), 0);
	assert_int_equal(evbpf_mapq_delete_batch(q, fd, keys, N / 4, res, NULL), 0);
	complete(loop, l, 2);
	assert_int_equal(l->d[0].res, -EINVAL);
	assert_int_equal(l->d[0].applied, 0);
	assert_int_equal(l->d[1].res, 0);
	assert_int_equal(l->d[1].applied, N / 4);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[0], &v), -ENOENT);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[N / 4], &v), 0);
	assert_int_equal(v, 3 * (N / 4));
	/* bad arguments: refused at submission */
	assert_int_equal(evbpf_mapq_update_batch(q, fd, keys, vals, 0, 0, NULL, NULL), -EINVAL);
	assert_int_equal(evbpf_mapq_delete_batch(q, fd, NULL, 4, NULL, NULL), -EINVAL);
	evbpf_loop_free(loop);
	close(fd);
	free(l);
}

/* Cancel: queued operations of one cookie complete once with -ECANCELED,
 * in place; the others run. */
static void test_cancel(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	static __u32 keys[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static __u64 vals[8] = { 10, 11, 12, 13, 14, 15, 16, 17 };
	struct evbpf_mapq_info in;
	struct evbpf_mapq *q;
	__u64 v;
	int fd, i;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_x", 4, 8, 16, NULL);
	assert_true(fd >= 0);
	q = new_q(state, loop, l, 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(evbpf_mapq_update(q, fd, &keys[i], &vals[i], BPF_ANY,
						   (void *)(long)(i % 2 + 3)), 0);
	assert_int_equal(evbpf_mapq_cancel(q, (void *)3), 4);
	assert_int_equal(evbpf_mapq_cancel(q, (void *)3), 0);
	assert_int_equal(evbpf_mapq_cancel(q, (void *)99), 0);
	assert_int_equal(evbpf_mapq_pending(q), 8);
	complete(loop, l, 8);
	for (i = 0; i < 8; i++) {
		assert_ptr_equal(l->d[i].key, &keys[i]);
		assert_int_equal(l->d[i].res, i % 2 ? 0 : -ECANCELED);
		assert_int_equal(bpf_map_lookup_elem(fd, &keys[i], &v), i % 2 ? 0 : -ENOENT);
	}
	/* from a completion: ops submitted there can be cancelled there */
	l->cnt = 0;
	l->q = q;
	l->chain_fd = fd;
	l->chain_key = 100;
	l->chain_val = 5;
	l->cancel_in_cb = true;
	assert_int_equal(evbpf_mapq_update(q, fd, &keys[0], &vals[0], BPF_ANY, NULL), 0);
	complete(loop, l, 3);
	assert_int_equal(l->cancel_res, 1);
	assert_ptr_equal(l->d[1].cookie, (void *)9);
	assert_int_equal(l->d[1].res, -ECANCELED);
	assert_ptr_equal(l->d[2].cookie, (void *)8);
	assert_int_equal(l->d[2].res, 0);
	in = info_of(q);
	assert_int_equal(in.cancelled, 5);
	assert_int_equal(in.completed, 11);
	assert_int_equal(in.failed, 0);
	/* nothing more comes */
	assert_int_equal(evbpf_loop_dispatch(loop), 0);
	assert_int_equal(l->cnt, 3);
	assert_int_equal(evbpf_mapq_cancel(NULL, NULL), -EINVAL);
	evbpf_loop_free(loop);
	close(fd);
	free(l);
}

/* Freeing: queued operations complete once with -ECANCELED inside the free
 * call; from a completion callback the free is deferred to the end of the
 * dispatch, the rest of the run completing with its results. */
static void test_free_queue(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	__u32 keys[3] = { 1, 2, 3 };
	__u64 vals[3] = { 4, 5, 6 }, v;
	struct evbpf_mapq *q;
	int fd, i;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_f", 4, 8, 16, NULL);
	assert_true(fd >= 0);
	q = new_q(state, loop, l, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(evbpf_mapq_update(q, fd, &keys[i], &vals[i], BPF_ANY,
						   (void *)(long)!i), 0);
	/* the first completion queues one more operation, then frees its
	 * queue: the other two of the run complete inside the free with their
	 * results, the queued one with -ECANCELED, each once */
	l->q = q;
	l->chain_fd = fd;
	l->chain_key = 7;
	l->chain_val = 70;
	l->free_in_cb = true;
	complete(loop, l, 4);
	assert_int_equal(l->free_res, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(l->d[i].res, 0);
		assert_int_equal(bpf_map_lookup_elem(fd, &keys[i], &v), 0);
		assert_int_equal(v, vals[i]);
	}
	assert_ptr_equal(l->d[3].cookie, (void *)2);
	assert_int_equal(l->d[3].res, -ECANCELED);
	assert_int_equal(bpf_map_lookup_elem(fd, &l->chain_key, &v), -ENOENT);
	/* released when the dispatch ended: nothing more comes */
	assert_int_equal(evbpf_loop_dispatch(loop), 0);
	assert_int_equal(l->cnt, 4);
	q = new_q(state, loop, l, 0);
	l->q = q;
	l->chain_key = 1;
	l->cnt = 0;
	/* queued, then freed: each completes with -ECANCELED, nothing ran;
	 * what the completions submit is refused */
	for (i = 0; i < 3; i++)
		assert_int_equal(evbpf_mapq_delete(q, fd, &keys[i], (void *)(long)(i + 20)), 0);
	l->submit_in_cb = true;
	assert_int_equal(evbpf_mapq_free(q), 0);
	assert_int_equal(l->cnt, 3);
	assert_int_equal(l->submit_res, -EBUSY);
	for (i = 0; i < 3; i++) {
		assert_int_equal(l->d[i].res, -ECANCELED);
		assert_ptr_equal(l->d[i].cookie, (void *)(long)(i + 20));
		assert_int_equal(bpf_map_lookup_elem(fd, &keys[i], &v), 0);
	}
	assert_int_equal(evbpf_mapq_free(NULL), 0);

	/* evbpf_loop_free() runs what is queued and frees the queue */
	q = new_q(state, loop, l, 0);
	l->cnt = 0;
	assert_int_equal(evbpf_mapq_delete(q, fd, &keys[0], NULL), 0);
	evbpf_loop_free(loop);
	assert_int_equal(l->cnt, 1);
	assert_int_equal(l->d[0].res, 0);
	close(fd);
	free(l);
}

/* EVBPF_MAPQ_COPY: keys and values may be reused as soon as submit returns. */
static void test_copy(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	struct evbpf_mapq *q;
	__u32 key;
	__u64 val, v, out = 0;
	int fd, i;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_cp", 4, 8, 2 * N, NULL);
	assert_true(fd >= 0);
	q = new_q(state, loop, l, EVBPF_MAPQ_COPY);
	for (i = 0; i < N; i++) {
		key = i;
		val = 11 * i;
		assert_int_equal(evbpf_mapq_update(q, fd, &key, &val, BPF_ANY, NULL), 0);
	}
	key = 3;
	assert_int_equal(evbpf_mapq_lookup(q, fd, &key, &out, NULL), 0);
	key = 4;
	assert_int_equal(evbpf_mapq_delete(q, fd, &key, NULL), 0);
	key = 77777;
	val = 0;
	complete(loop, l, N + 2);
	for (i = 0; i < N; i++) {
		assert_int_equal(l->d[i].res, 0);
		assert_int_equal(*(const __u32 *)l->d[i].key, i);
		assert_int_equal(*(const __u64 *)l->d[i].value, 11 * i);
		key = i;
		assert_int_equal(bpf_map_lookup_elem(fd, &key, &v), i == 4 ? -ENOENT : 0);
		if (i != 4)
			assert_int_equal(v, 11 * i);
	}
	assert_int_equal(l->d[N].res, 0);
	assert_int_equal(out, 33);
	assert_ptr_equal(l->d[N].value, &out);
	assert_int_equal(l->d[N + 1].res, 0);
	assert_int_equal(info_of(q).copied_bytes, N * 12 + 4 + 4);
	/* a map the queue cannot inspect: refused at submission */
	assert_true(evbpf_mapq_update(q, 1000, &key, &val, BPF_ANY, NULL) < 0);
	evbpf_loop_free(loop);
	close(fd);
	free(l);
}

/* Map types and sizes the program path does not take, and the ones it
 * takes, against what the map holds afterwards. */
static void test_paths(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	int ncpu = libbpf_num_possible_cpus();
	static __u32 keys[N];
	static __u8 big[N][512];
	__u64 *pcv = calloc((size_t)N * ncpu, 8), *pco = calloc(ncpu, 8);
	struct evbpf_mapq *q;
	int fd, pfd, bfd, i, c;
	__u64 v;

	assert_true(ncpu > 0 && pcv && pco);
	for (i = 0; i < N; i++) {
		keys[i] = i;
		memset(big[i], i, sizeof(big[i]));
		for (c = 0; c < ncpu; c++)
			pcv[(size_t)i * ncpu + c] = 1000 * i + c;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "io_mq_l", 4, 8, 2 * N, NULL);
	pfd = bpf_map_create(BPF_MAP_TYPE_PERCPU_HASH, "io_mq_p", 4, 8, N, NULL);
	bfd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_big", 4, 512, N, NULL);
	assert_true(fd >= 0 && pfd >= 0 && bfd >= 0);
	q = new_q(state, loop, l, 0);
	/* LRU hash, values from non-adjacent buffers: the program path */
	for (i = 0; i < N; i++)
		assert_int_equal(evbpf_mapq_update(q, fd, &keys[N - 1 - i], &pcv[(size_t)i * ncpu],
						   BPF_ANY, NULL), 0);
	complete(loop, l, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(l->d[i].res, 0);
		assert_int_equal(bpf_map_lookup_elem(fd, &keys[N - 1 - i], &v), 0);
		assert_int_equal(v, 1000 * i);
	}
	check_path(state, q, true);
	/* per-CPU values: every CPU's slot written, by commands */
	l->cnt = 0;
	for (i = 0; i < N; i++)
		assert_int_equal(evbpf_mapq_update(q, pfd, &keys[i], &pcv[(size_t)i * ncpu],
						   BPF_ANY, NULL), 0);
	complete(loop, l, N);
	for (i = 0; i < N; i += 37) {
		assert_int_equal(l->d[i].res, 0);
		assert_int_equal(bpf_map_lookup_elem(pfd, &keys[i], pco), 0);
		for (c = 0; c < ncpu; c++)
			assert_int_equal(pco[c], 1000 * i + c);
	}
	/* values too large for the program's stack: commands */
	l->cnt = 0;
	for (i = 0; i < N; i++)
		assert_int_equal(evbpf_mapq_update(q, bfd, &keys[i], big[i], BPF_ANY, NULL), 0);
	complete(loop, l, N);
	for (i = 0; i < N; i += 13) {
		__u8 got[512];

		assert_int_equal(l->d[i].res, 0);
		assert_int_equal(bpf_map_lookup_elem(bfd, &keys[i], got), 0);
		assert_memory_equal(got, big[i], sizeof(got));
	}
	/* deletes through the program, one key absent */
	l->cnt = 0;
	for (i = 0; i < N; i++)
		assert_int_equal(evbpf_mapq_delete(q, fd, i == 50 ? &keys[0] : &keys[i], NULL), 0);
	complete(loop, l, N);
	for (i = 0; i < N; i++)
		assert_int_equal(l->d[i].res, i == 50 ? -ENOENT : 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[50], &v), 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &keys[51], &v), -ENOENT);
	evbpf_loop_free(loop);
	close(fd);
	close(pfd);
	close(bfd);
	free(pcv);
	free(pco);
	free(l);
}

/* Bytes of key or value @i (@salt tells the two and the rounds apart):
 * distinct for distinct @i in the first bytes, a pattern after them. */
static void fill_bytes(__u8 *b, __u32 sz, __u32 i, __u32 salt)
{
	__u32 j;

	for (j = 0; j < sz; j++)
		b[j] = j < 4 ? (__u8)(i >> (8 * j)) : (__u8)(i * 31 + j * 7 + salt);
	if (sz > 4)
		b[sz - 1] ^= (__u8)salt;
}

struct kv_case {
	__u32 ksz, vsz;
};

/*
 * One map of @c's key and value sizes, three runs long enough for the
 * program path, of odd lengths (so samples of several elements end in a
 * partial one): NOEXIST updates with keys repeated inside the run, EXIST
 * updates with absent keys (from non-adjacent buffers), deletes with absent
 * and twice-deleted keys. Every element's result and the map afterwards are
 * checked. Returns the map: the queue knows it by its fd, which must not be
 * reused for another map while the queue lives.
 */
static int multi_case(struct evbpf_loop *loop, struct log *l,
		       struct evbpf_mapq *q, const struct kv_case *c, size_t n)
{
	__u8 *keys = calloc(n, c->ksz), *vals = calloc(n, c->vsz);
	__u8 *k2 = calloc(2 * n, c->ksz), *v2 = calloc(2 * n, c->vsz);
	__u8 *got = malloc(c->vsz), *want = malloc(c->vsz);
	bool *present = calloc(2 * n, 1);
	__u32 *ver = calloc(2 * n, sizeof(*ver));
	int fd, expect;
	size_t i, id;

	assert_true(keys && vals && k2 && v2 && got && want && present && ver);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "io_mq_kv", c->ksz, c->vsz, 4 * n, NULL);
	assert_true(fd >= 0);
	/* NOEXIST: element i inserts key i, but every seventh repeats the
	 * key before it and must fail */
	l->cnt = 0;
	for (i = 0; i < n; i++) {
		id = i % 7 == 6 ? i - 1 : i;
		fill_bytes(keys + i * c->ksz, c->ksz, id, 0);
		fill_bytes(vals + i * c->vsz, c->vsz, id, 1);
		assert_int_equal(evbpf_mapq_update(q, fd, keys + i * c->ksz, vals + i * c->vsz,
						   BPF_NOEXIST, NULL), 0);
	}
	complete(loop, l, n);
	for (i = 0; i < n; i++) {
		expect = i % 7 == 6 ? -EEXIST : 0;
		assert_int_equal(l->d[i].res, expect);
		if (!expect) {
			present[i] = true;
			ver[i] = 1;
		}
	}
	/* EXIST, keys in reverse order from every other slot of k2: the
	 * key n + i (never inserted) for every fifth */
	l->cnt = 0;
	for (i = 0; i < n; i++) {
		id = i % 5 == 4 ? n + i : n - 1 - i;
		fill_bytes(k2 + 2 * i * c->ksz, c->ksz, id, 0);
		fill_bytes(v2 + 2 * i * c->vsz, c->vsz, id, 2);
		assert_int_equal(evbpf_mapq_update(q, fd, k2 + 2 * i * c->ksz,
						   v2 + 2 * i * c->vsz, BPF_EXIST, NULL), 0);
	}
	complete(loop, l, n);
	for (i = 0; i < n; i++) {
		id = i % 5 == 4 ? n + i : n - 1 - i;
		assert_int_equal(l->d[i].res, present[id] ? 0 : -ENOENT);
		if (present[id])
			ver[id] = 2;
	}
	/* deletes of keys 0..n-1 in order, each eleventh deleted twice */
	l->cnt = 0;
	for (i = 0; i < n; i++) {
		id = i % 11 == 10 ? i - 1 : i;
		fill_bytes(keys + i * c->ksz, c->ksz, id, 0);
		assert_int_equal(evbpf_mapq_delete(q, fd, keys + i * c->ksz, NULL), 0);
	}
	complete(loop, l, n);
	for (i = 0; i < n; i++) {
		id = i % 11 == 10 ? i - 1 : i;
		assert_int_equal(l->d[i].res, present[id] ? 0 : -ENOENT);
		present[id] = false;
	}
	/* what is left: the keys no delete named, at their last version */
	for (id = 0; id < 2 * n; id++) {
		fill_bytes(k2, c->ksz, id, 0);
		if (present[id]) {
			assert_int_equal(bpf_map_lookup_elem(fd, k2, got), 0);
			fill_bytes(want, c->vsz, id, ver[id]);
			assert_memory_equal(got, want, c->vsz);
			assert_int_equal(bpf_map_delete_elem(fd, k2), 0);
		} else {
			assert_int_equal(bpf_map_lookup_elem(fd, k2, got), -ENOENT);
		}
	}
	free(keys);
	free(vals);
	free(k2);
	free(v2);
	free(got);
	free(want);
	free(present);
	free(ver);
	return fd;
}

/* Key and value sizes from the smallest to the largest the program path
 * takes (several elements per ring sample down to one), runs of odd
 * lengths, per-element failures. A queue per size: its ring is sized for
 * the first map it applies runs to. */
static void test_multi_element(void **state)
{
	static const struct kv_case cases[] = {
		{ 1, 1 }, { 3, 5 }, { 4, 8 }, { 8, 16 }, { 6, 30 }, { 16, 48 },
		{ 64, 100 }, { 200, 240 }, { 8, 440 }, { 440, 8 },
	};
	static const size_t lens[] = { 33, 101, 257 };
	const struct cfg *c = *state;
	int fds[sizeof(cases) / sizeof(cases[0]) * sizeof(lens) / sizeof(lens[0])];
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	struct evbpf_mapq *q;
	size_t i, j, nfd = 0, want;

	assert_non_null(l);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		q = new_q(state, loop, l, 0);
		want = 0;
		for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			if (cases[i].ksz == 1 && lens[j] > 100)
				continue;	/* 2 * 257 keys of one byte */
			fds[nfd++] = multi_case(loop, l, q, &cases[i], lens[j]);
			want += 3 * lens[j];
		}
		/* every element of the runs took the program */
		if (!(c->flags & EVBPF_MAPQ_NO_PROG))
			assert_int_equal(info_of(q).prog_elements, want);
		check_path(state, q, true);
		assert_int_equal(evbpf_mapq_free(q), 0);
	}
	evbpf_loop_free(loop);
	while (nfd)
		close(fds[--nfd]);
	free(l);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* NULL and out-of-range arguments: -EINVAL and one log line each (a NULL
 * queue may stay silent). */
static void test_bad_args(void **state)
{
	struct evbpf_loop *loop = new_loop(state);
	struct log *l = calloc(1, sizeof(*l));
	struct evbpf_mapq *q;
	struct evbpf_mapq_info in = { .sz = 1 };
	__u32 key = 0;
	__u64 v = 0;
	struct {
		struct evbpf_mapq_opts o;
		__u64 extra;
	} big = { .o = { .sz = sizeof(big) }, .extra = 1 };
	LIBBPF_OPTS(evbpf_mapq_opts, bad_batch, .batch_max = 1u << 30);
	LIBBPF_OPTS(evbpf_mapq_opts, bad_flags, .flags = 1u << 20);

	evbpf_test_capture_log();
	q = new_q(state, loop, l, 0);
#define ONE_LINE(call, want)						\
	do {								\
		evbpf_test_log_reset();					\
		assert_int_equal((call), (want));			\
		assert_int_equal(count_lines(evbpf_test_log()), 1);	\
	} while (0)
	ONE_LINE(evbpf_mapq_update(q, 3, NULL, &v, BPF_ANY, NULL), -EINVAL);
	ONE_LINE(evbpf_mapq_update(q, 3, &key, NULL, BPF_ANY, NULL), -EINVAL);
	ONE_LINE(evbpf_mapq_update(q, -1, &key, &v, BPF_ANY, NULL), -EINVAL);
	ONE_LINE(evbpf_mapq_lookup(q, 3, &key, NULL, NULL), -EINVAL);
	ONE_LINE(evbpf_mapq_delete(q, 3, NULL, NULL), -EINVAL);
	ONE_LINE(evbpf_mapq_update_batch(q, 3, &key, &v, 0, 0, NULL, NULL), -EINVAL);
	ONE_LINE(evbpf_mapq_update_batch(q, 3, &key, &v, 1u << 25, 0, NULL, NULL), -EINVAL);
	ONE_LINE(evbpf_mapq_info(q, &in), -EINVAL);
	ONE_LINE(evbpf_mapq_new(loop, NULL, NULL, NULL) ? 0 : -errno, -EINVAL);
	ONE_LINE(evbpf_mapq_new(NULL, on_done, NULL, NULL) ? 0 : -errno, -EINVAL);
	ONE_LINE(evbpf_mapq_new(loop, on_done, NULL, &bad_batch) ? 0 : -errno, -EINVAL);
	ONE_LINE(evbpf_mapq_new(loop, on_done, NULL, &bad_flags) ? 0 : -errno, -EINVAL);
	ONE_LINE(evbpf_mapq_new(loop, on_done, NULL, &big.o) ? 0 : -errno, -EINVAL);
#undef ONE_LINE
	assert_int_equal(evbpf_mapq_update(NULL, 3, &key, &v, BPF_ANY, NULL), -EINVAL);
	assert_int_equal(evbpf_mapq_stats(NULL, NULL), -EINVAL);
	assert_int_equal(evbpf_mapq_info(NULL, NULL), -EINVAL);
	assert_int_equal(evbpf_mapq_pending(NULL), 0);
	assert_int_equal(evbpf_mapq_pending(q), 0);
	evbpf_loop_free(loop);
	free(l);
}

static struct cfg cfg_uring = { EVBPF_BACKEND_IO_URING, 0 };
static struct cfg cfg_epoll = { EVBPF_BACKEND_EPOLL, 0 };
static struct cfg cfg_uring_cmd = { EVBPF_BACKEND_IO_URING, EVBPF_MAPQ_NO_PROG };
static struct cfg cfg_epoll_cmd = { EVBPF_BACKEND_EPOLL, EVBPF_MAPQ_NO_PROG };

#define ALL(fn) cmocka_unit_test_prestate(fn, &cfg_uring),		\
		cmocka_unit_test_prestate(fn, &cfg_epoll),		\
		cmocka_unit_test_prestate(fn, &cfg_uring_cmd),		\
		cmocka_unit_test_prestate(fn, &cfg_epoll_cmd)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ALL(test_hash_batches),
		ALL(test_mmapable_array),
		ALL(test_chained_and_errors),
		ALL(test_batch_refusals),
		ALL(test_batch_submissions),
		ALL(test_cancel),
		ALL(test_free_queue),
		ALL(test_copy),
		ALL(test_paths),
		ALL(test_multi_element),
		ALL(test_bad_args),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
