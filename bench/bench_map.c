// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The map-update rows of evbpf-bench: n updates of a fresh hash map (keys
 * 0..n-1, 8-byte values) done
 *   - one BPF_MAP_UPDATE_ELEM command each (the baseline),
 *   - as raw BPF_MAP_UPDATE_BATCH commands of 1024 on the caller's arrays
 *     (what a hand-written batching loop gets),
 *   - through evbpf_mapq (per-operation submits; the program path where the
 *     kernel allows it, or map commands only; batch submissions; and
 *     BPF_NOEXIST updates, which batch commands refuse),
 *   - by a BPF program that makes the updates up itself with bpf_loop, in one
 *     test run: no user memory at all, the floor of any path (what the map
 *     update itself costs).
 * Nothing here opens the per-thread syscall counter: it adds a few hundred
 * ns to every system call and would inflate exactly these rows. System
 * calls are counted by the queue itself (or known: one per command).
 *
 * Every variant first applies n other keys to the same map, untimed, so that
 * a queue has set up its program and grown its buffers (and the memory is
 * faulted in): the rows measure a queue in use, not its creation. The map
 * holds 2n elements, so the timed updates meet the same map state in every
 * variant.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <evbpf/mapops.h>

#include "bench_map.h"

#define RAW_CHUNK 1024

static const char *const kind_names[BENCH_M__CNT] = {
	[BENCH_M_SINGLE] = "bpf_map_update_elem",
	[BENCH_M_RAW_BATCH] = "BPF_MAP_UPDATE_BATCH",
	[BENCH_M_MAPQ_URING] = "mapq io_uring",
	[BENCH_M_MAPQ_EPOLL] = "mapq epoll",
	[BENCH_M_MAPQ_CMDS] = "mapq commands only",
	[BENCH_M_MAPQ_BATCH] = "mapq update_batch",
	[BENCH_M_MAPQ_NOEXIST] = "mapq NOEXIST",
	[BENCH_M_MAPQ_NOEXIST_CMDS] = "mapq NOEXIST commands only",
	[BENCH_M_FLOOR] = "in-program bpf_loop",
};

const char *bench_map_kind_name(enum bench_map_kind k)
{
	return k < BENCH_M__CNT ? kind_names[k] : "?";
}

struct mq_ctx {
	unsigned done;
	int err;
};

static void on_done(void *ctx, const struct evbpf_mapop_done *d)
{
	struct mq_ctx *m = ctx;

	m->done += d->count;
	if (d->res && !m->err)
		m->err = d->res;
}

struct clock2 {
	uint64_t t, cpu;
};

static void clock_start(struct clock2 *c)
{
	c->t = bench_now(CLOCK_MONOTONIC);
	c->cpu = bench_now(CLOCK_THREAD_CPUTIME_ID);
}

static void clock_stop(const struct clock2 *c, struct bench_result *res)
{
	res->elapsed_ns = bench_now(CLOCK_MONOTONIC) - c->t;
	res->cpu_ns = bench_now(CLOCK_THREAD_CPUTIME_ID) - c->cpu;
}

/* Submits keys[from..to) and runs the loop until they completed. */
static int mapq_apply(struct evbpf_loop *loop, struct evbpf_mapq *q, struct mq_ctx *mc,
		      int fd, const __u32 *keys, const __u64 *vals, unsigned from, unsigned to,
		      bool batch_api, __u64 flags)
{
	unsigned i, want = mc->done + (to - from);
	int err = 0, ret;

	for (i = from; i < to && !err; ) {
		if (batch_api) {
			unsigned c = to - i < RAW_CHUNK ? to - i : RAW_CHUNK;

			err = evbpf_mapq_update_batch(q, fd, &keys[i], &vals[i], c, BPF_ANY, NULL,
						      NULL);
			i += c;
		} else {
			err = evbpf_mapq_update(q, fd, &keys[i], &vals[i], flags, NULL);
			i++;
		}
	}
	while (!err && mc->done < want) {
		ret = evbpf_loop_run(loop, 1000);
		if (ret < 0)
			err = ret;
		else if (ret == 0 && !evbpf_mapq_pending(q) && mc->done < want)
			err = -EIO;	/* nothing pending, yet completions missing */
	}
	return err ? err : mc->err;
}

static int run_mapq(enum bench_map_kind k, int fd, const __u32 *keys, const __u64 *vals,
		    unsigned n, struct bench_result *res)
{
	LIBBPF_OPTS(evbpf_loop_opts, lo, .backend = k == BENCH_M_MAPQ_EPOLL ?
		    EVBPF_BACKEND_EPOLL : EVBPF_BACKEND_IO_URING);
	LIBBPF_OPTS(evbpf_mapq_opts, qo, .flags = k == BENCH_M_MAPQ_CMDS ||
		    k == BENCH_M_MAPQ_NOEXIST_CMDS ? EVBPF_MAPQ_NO_PROG : 0);
	bool batch_api = k == BENCH_M_MAPQ_BATCH;
	__u64 flags = k == BENCH_M_MAPQ_NOEXIST || k == BENCH_M_MAPQ_NOEXIST_CMDS ?
		      BPF_NOEXIST : BPF_ANY;
	struct mq_ctx mc = { 0, 0 };
	struct evbpf_loop *loop;
	struct evbpf_mapq *q = NULL;
	struct evbpf_stats s0, s1;
	struct clock2 c;
	int err;

	loop = evbpf_loop_new(&lo);
	if (!loop)
		return -errno;
	q = evbpf_mapq_new(loop, on_done, &mc, &qo);
	if (!q) {
		err = -errno;
		goto out;
	}
	err = mapq_apply(loop, q, &mc, fd, keys, vals, n, 2 * n, batch_api, flags);
	if (err)
		goto out;
	evbpf_mapq_stats(q, &s0);
	clock_start(&c);
	err = mapq_apply(loop, q, &mc, fd, keys, vals, 0, n, batch_api, flags);
	clock_stop(&c, res);
	evbpf_mapq_stats(q, &s1);
	res->syscalls = (int64_t)(s1.syscalls - s0.syscalls);
out:
	evbpf_mapq_free(q);
	evbpf_loop_free(loop);
	return err;
}

static int run_single(int fd, const __u32 *keys, const __u64 *vals, unsigned from,
		      unsigned to)
{
	unsigned i;

	for (i = from; i < to; i++)
		if (bpf_map_update_elem(fd, &keys[i], &vals[i], BPF_ANY))
			return -errno;
	return 0;
}

static int run_raw_batch(int fd, const __u32 *keys, const __u64 *vals, unsigned from,
			 unsigned to, int64_t *cmds)
{
	unsigned i;
	__u32 c;

	for (i = from; i < to; i += c) {
		c = to - i < RAW_CHUNK ? to - i : RAW_CHUNK;
		++*cmds;
		if (bpf_map_update_batch(fd, &keys[i], &vals[i], &c, NULL))
			return -errno;
	}
	return 0;
}

/* The floor: the program updates keys 0..n-1 itself. */
static int run_floor(const char *obj_path, unsigned n, struct bench_result *res)
{
	struct bpf_object *obj = bpf_object__open_file(obj_path, NULL);
	struct bpf_program *prog;
	struct bpf_map *map;
	__u32 ctx[2];
	LIBBPF_OPTS(bpf_test_run_opts, to, .ctx_in = ctx, .ctx_size_in = sizeof(ctx));
	struct clock2 c;
	int err;

	if (!obj)
		return -errno;
	map = bpf_object__find_map_by_name(obj, "upd");
	prog = bpf_object__find_program_by_name(obj, "floor_update");
	if (!map || !prog) {
		err = -ENOENT;
		goto out;
	}
	err = bpf_map__set_max_entries(map, 2 * n);
	if (!err)
		err = bpf_object__load(obj);
	if (err)
		goto out;
	ctx[0] = n;		/* from */
	ctx[1] = 2 * n;	/* to */
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &to);
	if (err || to.retval) {
		err = err ? err : -EIO;
		goto out;
	}
	ctx[0] = 0;
	ctx[1] = n;
	clock_start(&c);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &to);
	clock_stop(&c, res);
	if (!err && to.retval)
		err = -EIO;
	res->syscalls = 1;
out:
	bpf_object__close(obj);
	return err;
}

int bench_map_run(enum bench_map_kind k, unsigned n, const char *floor_obj,
		  struct bench_result *res)
{
	__u32 *keys = NULL;
	__u64 *vals = NULL;
	struct clock2 c;
	int fd = -1, err = 0;
	unsigned i;

	memset(res, 0, sizeof(*res));
	res->syscalls = -1;
	res->wakeups = 0;
	if (k == BENCH_M_FLOOR) {
		err = floor_obj ? run_floor(floor_obj, n, res) : -ENOENT;
		goto done;
	}
	keys = calloc(2 * n, sizeof(*keys));
	vals = calloc(2 * n, sizeof(*vals));
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_upd", sizeof(__u32), sizeof(__u64),
			    2 * n, NULL);
	if (!keys || !vals || fd < 0) {
		err = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	for (i = 0; i < 2 * n; i++) {
		keys[i] = i;
		vals[i] = i * 3ull;
	}
	switch (k) {
	case BENCH_M_SINGLE:
		err = run_single(fd, keys, vals, n, 2 * n);
		if (err)
			break;
		clock_start(&c);
		err = run_single(fd, keys, vals, 0, n);
		clock_stop(&c, res);
		res->syscalls = n;
		break;
	case BENCH_M_RAW_BATCH:
		err = run_raw_batch(fd, keys, vals, n, 2 * n, &res->syscalls);
		if (err)
			break;
		res->syscalls = 0;
		clock_start(&c);
		err = run_raw_batch(fd, keys, vals, 0, n, &res->syscalls);
		clock_stop(&c, res);
		break;
	default:
		err = run_mapq(k, fd, keys, vals, n, res);
		break;
	}
out:
	if (fd >= 0)
		close(fd);
	free(keys);
	free(vals);
done:
	res->events = err ? 0 : n;
	/* every update happens in this thread, inside a system call or not */
	res->blocked_ns = err ? 0 : res->cpu_ns;
	return err;
}

/* ---- the interleaved rounds ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void spread(FILE *f, const char *what, double *v, unsigned n)
{
	if (!n) {
		fprintf(f, "#   %-44s -\n", what);
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	fprintf(f, "#   %-44s %6.2f [%.2f..%.2f]\n", what,
		n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0], v[n - 1]);
}

/* One line: per round, t[num] / t[den] (den == BENCH_M__CNT: t[num] itself),
 * over the rounds in which both ran; @tmp holds @rounds values. */
static void ratio_line(FILE *f, const char *fmt, const double *t, unsigned rounds,
		       unsigned num, unsigned den, double *tmp)
{
	const unsigned kind = den == BENCH_M__CNT ? num : den;
	char what[96];
	unsigned r, m = 0;

	for (r = 0; r < rounds; r++) {
		const double *x = &t[r * BENCH_M__CNT];

		if (x[kind] > 0 && x[num] > 0)
			tmp[m++] = den == BENCH_M__CNT ? x[num] : x[num] / x[den];
	}
	snprintf(what, sizeof(what), fmt, kind_names[kind]);
	spread(f, what, tmp, m);
}

int bench_map_rounds(FILE *f, unsigned n, unsigned rounds, const char *floor_obj)
{
	static const enum bench_map_kind order[] = {
		BENCH_M_SINGLE, BENCH_M_RAW_BATCH, BENCH_M_MAPQ_URING, BENCH_M_MAPQ_EPOLL,
		BENCH_M_MAPQ_CMDS, BENCH_M_MAPQ_BATCH, BENCH_M_MAPQ_NOEXIST,
		BENCH_M_MAPQ_NOEXIST_CMDS, BENCH_M_FLOOR,
	};
	const unsigned nk = sizeof(order) / sizeof(order[0]);
	double *cpu = calloc((size_t)rounds * BENCH_M__CNT, sizeof(double));
	double *wall = calloc((size_t)rounds * BENCH_M__CNT, sizeof(double));
	double *tmp = calloc(rounds, sizeof(double));
	unsigned r, i, k;
	int err = 0;

	if (!cpu || !wall || !tmp) {
		err = -ENOMEM;
		goto out;
	}
	for (r = 0; r < rounds && !err; r++) {
		for (i = 0; i < nk; i++) {
			/* rotate the order so no variant always runs first */
			enum bench_map_kind kk = order[(i + r) % nk];
			struct bench_result res;

			err = bench_map_run(kk, n, floor_obj, &res);
			if (err == -ENOENT && kk == BENCH_M_FLOOR) {
				err = 0;
				continue;
			}
			if (err)
				break;
			cpu[r * BENCH_M__CNT + kk] = (double)res.cpu_ns / n;
			wall[r * BENCH_M__CNT + kk] = (double)res.elapsed_ns / n;
		}
	}
	if (err) {
		fprintf(f, "# map update rounds failed: %s\n", strerror(-err));
		goto out;
	}
	fprintf(f, "# map updates: %u rounds of %u updates of a hash map, every variant once per "
		"round;\n# ratio of per-update time within a round, median [min..max]; "
		"thread CPU time (wall time in brackets below)\n", rounds, n);
	for (k = 0; k < BENCH_M__CNT; k++)
		ratio_line(f, "ns/update %s", cpu, rounds, k, BENCH_M__CNT, tmp);
	for (k = BENCH_M_RAW_BATCH; k < BENCH_M__CNT; k++)
		ratio_line(f, "%s vs one syscall each", cpu, rounds, BENCH_M_SINGLE, k, tmp);
	for (k = BENCH_M_MAPQ_URING; k < BENCH_M__CNT; k++)
		ratio_line(f, "%s vs raw batch", cpu, rounds, BENCH_M_RAW_BATCH, k, tmp);
	for (k = BENCH_M_MAPQ_URING; k <= BENCH_M_MAPQ_BATCH; k++)
		ratio_line(f, "(wall) %s vs raw batch", wall, rounds, BENCH_M_RAW_BATCH, k, tmp);
out:
	free(cpu);
	free(wall);
	free(tmp);
	return err;
}
