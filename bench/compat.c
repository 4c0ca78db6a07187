// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bench producers loaded and consumed through the libbpf 1.x API only.
 * Compiled twice: against the system's libbpf for evbpf-bench-libbpf, and
 * against evbpf's libbpf-compatible headers inside evbpf-bench, so both
 * sides of a comparison run literally the same code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compat.h"

struct ref {
	struct bench_run run;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	int poll_ms;
	bool timer;
	const struct bench_params *p;
};

static int on_rb(void *ctx, void *data, size_t size)
{
	bench_on_record(ctx, data, size);
	return 0;
}

static void on_pb(void *ctx, int cpu, void *data, __u32 size)
{
	bench_on_record(ctx, data, size);
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	((struct bench_run *)ctx)->lost += cnt;
}

static int step_poll(void *c)
{
	struct ref *r = c;

	if (r->timer) {
		bench_timer_sleep(r->p);
		return ring_buffer__consume(r->rb);
	}
	return ring_buffer__poll(r->rb, r->poll_ms);
}

static int step_consume(void *c)
{
	return ring_buffer__consume(((struct ref *)c)->rb);
}

/* perf_buffer__consume() returns 0, not a count: compare before and after. */
static int step_perf_drain(void *c)
{
	struct ref *r = c;
	uint64_t before = r->run.events;
	int err = perf_buffer__consume(r->pb);

	if (err < 0)
		return err;
	return r->run.events != before;
}

static int step_perf(void *c)
{
	struct ref *r = c;

	if (r->timer) {
		bench_timer_sleep(r->p);
		return step_perf_drain(c);
	}
	return perf_buffer__poll(r->pb, r->poll_ms);
}

/* perf_buffer__new_raw() needs an event callback; it sees the raw perf
 * records, so split samples from lost-record notices here. */
static enum bpf_perf_event_ret on_raw(void *ctx, int cpu, struct perf_event_header *h)
{
	struct bench_run *r = ctx;

	if (h->type == PERF_RECORD_SAMPLE) {
		/* header, then u32 size, then the raw data */
		__u32 *sz = (__u32 *)(h + 1);

		bench_on_record(r, sz + 1, *sz);
	} else if (h->type == PERF_RECORD_LOST) {
		r->lost += ((__u64 *)(h + 1))[1];
	}
	return LIBBPF_PERF_EVENT_CONT;
}

int bench_load(const char *path, const struct bench_params *p,
	       struct bpf_object **objp, struct bench_fds *fds)
{
	const char *want = p->buffer == BENCH_BUF_PB
		? (p->producer == BENCH_PROD_TP ? "tp_pb" : "xdp_pb")
		: (p->producer == BENCH_PROD_TP ? "tp_rb" : "xdp_rb");
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bench_conf conf;
	struct bpf_program *prog;
	struct bpf_map *map;
	int err;

	if (!obj)
		return -errno;
	*objp = obj;
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog), want));
	map = bpf_object__find_map_by_name(obj, ".rodata");
	if (!map)
		return -ENOENT;
	conf = p->conf;
	conf.target_tgid = getpid();
	conf.ts_mask = p->lat_every ? p->lat_every - 1 : 0;
	err = bpf_map__set_initial_value(map, &conf, sizeof(conf));
	if (err)
		return err;
	err = bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "rb"),
				       bench_ring_size(p));
	if (err)
		return err;
	err = bpf_object__load(obj);
	if (err)
		return err;
	fds->prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, want));
	fds->stats_fd = bpf_object__find_map_fd_by_name(obj, "stats");
	fds->ctl_fd = bpf_object__find_map_fd_by_name(obj, "ctl");
	fds->rb_fd = bpf_object__find_map_fd_by_name(obj, "rb");
	fds->pb_fd = bpf_object__find_map_fd_by_name(obj, "pb");
	return 0;
}

int bench_compat_run(const char *path, const struct bench_params *p,
		     enum bench_compat_mode m, struct bench_result *res)
{
	struct bpf_object *obj = NULL;
	struct bench_fds fds;
	struct ref r;
	int err;

	memset(&r, 0, sizeof(r));
	r.p = p;
	r.poll_ms = p->poll_ms;
	r.timer = p->conf.wakeup == BENCH_WAKE_NONE;
	err = bench_load(path, p, &obj, &fds);
	if (err)
		goto out_obj;
	err = bench_run_init(&r.run, p, &fds);
	if (err)
		goto out;
	if (p->buffer == BENCH_BUF_RB) {
		r.rb = ring_buffer__new(fds.rb_fd, on_rb, &r.run, NULL);
		if (!r.rb) {
			err = -errno;
			goto out;
		}
	} else {
		struct perf_event_attr attr;

		if (m == BENCH_C_PERF) {
			r.pb = perf_buffer__new(fds.pb_fd, bench_pb_pages(p), on_pb, on_lost,
						&r.run, NULL);
		} else {
			memset(&attr, 0, sizeof(attr));
			attr.config = PERF_COUNT_SW_BPF_OUTPUT;
			attr.type = PERF_TYPE_SOFTWARE;
			attr.sample_type = PERF_SAMPLE_RAW;
			attr.sample_period = 1;
			attr.wakeup_events = p->pb_wakeup;
			r.pb = perf_buffer__new_raw(fds.pb_fd, bench_pb_pages(p), &attr,
						    on_raw, &r.run, NULL);
		}
		if (!r.pb) {
			err = -errno;
			goto out;
		}
	}
	if (p->producer == BENCH_PROD_TP) {
		err = bench_attach_tp(&r.run);
		if (err)
			goto out;
	}
	if (m == BENCH_C_POLL || m == BENCH_C_BUSY) {
		err = bench_consumer_warm(&r.run, step_consume, &r);
		if (err)
			goto out;
	}
	err = bench_run_start(&r.run);
	if (err)
		goto out;
	switch (m) {
	case BENCH_C_POLL:
		err = bench_consume_loop(&r.run, step_poll, step_consume, &r);
		break;
	case BENCH_C_BUSY:
		err = bench_consume_loop(&r.run, step_consume, step_consume, &r);
		break;
	case BENCH_C_DRAIN:
		err = bench_drain_laps(&r.run, r.rb ? step_consume : step_perf_drain, &r);
		break;
	case BENCH_C_PERF:
	case BENCH_C_PERF_TUNED:
		err = bench_consume_loop(&r.run, step_perf, step_perf_drain, &r);
		break;
	}
	if (err)
		goto out;
	err = bench_run_finish(&r.run, res);
out:
	bench_run_free(&r.run);
	ring_buffer__free(r.rb);
	perf_buffer__free(r.pb);
out_obj:
	bpf_object__close(obj);
	return err;
}


int bench_compat_load(char *const *paths, unsigned n, struct bench_result *res)
{
	struct bench_measure m;
	unsigned i;
	int err = 0;

	memset(res, 0, sizeof(*res));
	bench_measure_begin(&m);
	for (i = 0; i < n && !err; i++) {
		struct bpf_object *obj = bpf_object__open_file(paths[i], NULL);

		if (!obj) {
			err = -errno;
			break;
		}
		err = bpf_object__load(obj);
		bpf_object__close(obj);
	}
	bench_measure_end(&m, res);
	res->events = err ? 0 : n;
	return err;
}

int bench_compat_mapupdate(unsigned n, struct bench_result *res)
{
	struct bench_measure m;
	int fd, err = 0;
	unsigned i;

	memset(res, 0, sizeof(*res));
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_upd", sizeof(__u32), sizeof(__u64),
			    n, NULL);
	if (fd < 0)
		return -errno;
	bench_measure_begin(&m);
	for (i = 0; i < n && !err; i++) {
		__u64 v = i * 3ull;

		if (bpf_map_update_elem(fd, &i, &v, BPF_ANY))
			err = -errno;
	}
	bench_measure_end(&m, res);
	close(fd);
	res->events = err ? 0 : n;
	/* every microsecond of it was spent blocked in bpf(2) */
	res->blocked_ns = res->elapsed_ns;
	return err;
}
