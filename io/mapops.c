// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Asynchronous map operations (include/evbpf/mapops.h).
 *
 * Submitting appends to the queue and kicks the loop; the loop's dispatch
 * then runs the queue as one consumer among the others. Runs of updates (or
 * deletes) of one map with the same flags go to the kernel as one batch
 * command; when a batch stops at a failing element, the elements before it
 * succeeded, that one gets the error, and the batch resumes after it. A map
 * that rejects batch commands altogether is handled element by element from
 * then on. Array maps created with BPF_F_MMAPABLE are served from a shared
 * writable mapping without any system call.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "bpf/bpf.h"
#include "io_internal.h"
#include "evbpf/mapops.h"

#define MAPQ_DEFAULT_BATCH	1024

struct mapq_op {
	struct evbpf_mapop_done d;
};

struct mapq_map {
	int fd;
	int err;		/* map info failed: every op gets it */
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	size_t vstride;		/* bytes of one element's value buffer */
	__u8 *mm;		/* mmapable array: the values */
	size_t mm_size;
	bool no_batch;
};

struct evbpf_mapq {
	struct evbpf__consumer base;
	evbpf_mapop_fn fn;
	void *ctx;
	struct mapq_op *ops;
	size_t cnt, cap;
	struct mapq_map *maps;
	int map_cnt;
	__u32 batch_max;
	int ncpus;
	__u8 *kbuf, *vbuf;
	size_t kcap, vcap;
};

static inline struct evbpf_mapq *to_q(struct evbpf__consumer *c)
{
	return (struct evbpf_mapq *)c;
}

static bool map_is_percpu(__u32 type)
{
	return type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static struct mapq_map *map_get(struct evbpf_mapq *q, int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	struct mapq_map *m;
	int i;

	for (i = 0; i < q->map_cnt; i++)
		if (q->maps[i].fd == fd)
			return &q->maps[i];
	m = realloc(q->maps, (q->map_cnt + 1) * sizeof(*m));
	if (!m)
		return NULL;
	q->maps = m;
	m = &q->maps[q->map_cnt++];
	memset(m, 0, sizeof(*m));
	m->fd = fd;
	q->base.stats.syscalls++;
	if (bpf_map_get_info_by_fd(fd, &info, &len)) {
		m->err = -errno;
		return m;
	}
	m->type = info.type;
	m->key_size = info.key_size;
	m->value_size = info.value_size;
	m->max_entries = info.max_entries;
	m->vstride = m->value_size;
	if (map_is_percpu(m->type))
		m->vstride = ((m->value_size + 7) & ~7UL) * q->ncpus;
	if (m->type == BPF_MAP_TYPE_ARRAY && (info.map_flags & BPF_F_MMAPABLE)) {
		size_t page = sysconf(_SC_PAGESIZE);
		size_t sz = (size_t)m->max_entries * ((m->value_size + 7) & ~7UL);

		m->mm_size = (sz + page - 1) & ~(page - 1);
		q->base.stats.syscalls++;
		m->mm = mmap(NULL, m->mm_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m->mm == MAP_FAILED) {
			/* frozen or read-only: fall back to commands */
			m->mm = NULL;
			m->mm_size = 0;
		}
	}
	return m;
}

/* Lookup/update of an mmapable array element with loads and stores. */
static int mm_op(struct mapq_map *m, struct evbpf_mapop_done *d)
{
	__u32 idx;
	__u8 *slot;

	memcpy(&idx, d->key, sizeof(idx));
	if (idx >= m->max_entries)
		return d->kind == EVBPF_MAPOP_LOOKUP ? -ENOENT : -E2BIG;
	slot = m->mm + (size_t)idx * ((m->value_size + 7) & ~7UL);
	if (d->kind == EVBPF_MAPOP_LOOKUP) {
		memcpy(d->value, slot, m->value_size);
		return 0;
	}
	if (d->flags & ~(__u64)BPF_EXIST)
		return d->flags == BPF_NOEXIST ? -EEXIST : -EINVAL;
	memcpy(slot, d->value, m->value_size);
	return 0;
}

static int single_op(struct evbpf_mapq *q, struct evbpf_mapop_done *d)
{
	int err;

	q->base.stats.syscalls++;
	switch (d->kind) {
	case EVBPF_MAPOP_LOOKUP:
		err = bpf_map_lookup_elem(d->map_fd, d->key, d->value);
		break;
	case EVBPF_MAPOP_UPDATE:
		err = bpf_map_update_elem(d->map_fd, d->key, d->value, d->flags);
		break;
	default:
		err = bpf_map_delete_elem(d->map_fd, d->key);
		break;
	}
	return err < 0 ? -errno : 0;
}

static int grow(__u8 **buf, size_t *cap, size_t need)
{
	__u8 *p;

	if (need <= *cap)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

/* Runs @n same-kind, same-flags ops of map @m as batch commands. */
static void batch_ops(struct evbpf_mapq *q, struct mapq_map *m, struct mapq_op *ops, size_t n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bo, .elem_flags = ops[0].d.flags);
	bool update = ops[0].d.kind == EVBPF_MAPOP_UPDATE;
	size_t i, done = 0;
	__u32 count;
	int err;

	if (grow(&q->kbuf, &q->kcap, n * m->key_size) ||
	    (update && grow(&q->vbuf, &q->vcap, n * m->vstride))) {
		for (i = 0; i < n; i++)
			ops[i].d.res = -ENOMEM;
		return;
	}
	for (i = 0; i < n; i++) {
		memcpy(q->kbuf + i * m->key_size, ops[i].d.key, m->key_size);
		if (update)
			memcpy(q->vbuf + i * m->vstride, ops[i].d.value, m->vstride);
	}
	while (done < n) {
		if (m->no_batch) {
			ops[done].d.res = single_op(q, &ops[done].d);
			done++;
			continue;
		}
		count = (__u32)(n - done);
		q->base.stats.syscalls++;
		q->base.stats.batches++;
		if (update)
			err = bpf_map_update_batch(m->fd, q->kbuf + done * m->key_size,
						   q->vbuf + done * m->vstride, &count, &bo);
		else
			err = bpf_map_delete_batch(m->fd, q->kbuf + done * m->key_size,
						   &count, &bo);
		err = err < 0 ? -errno : 0;
		if (count > n - done)
			count = (__u32)(n - done);
		for (i = 0; i < count; i++)
			ops[done + i].d.res = 0;
		done += count;
		if (!err)
			continue;
		if (done == n)
			break;
		/* the element at @done failed, or the map takes no batches:
		 * run it alone to learn which */
		ops[done].d.res = single_op(q, &ops[done].d);
		if (!ops[done].d.res && !count)
			m->no_batch = true;
		done++;
	}
}

static int mapq_service(struct evbpf__consumer *c, __u64 now, bool drain)
{
	struct evbpf_mapq *q = to_q(c);
	struct mapq_op *ops = q->ops;
	size_t n = q->cnt, i, j;

	c->pending = false;
	if (!n)
		return 0;
	/* detach the queue: completions may submit more */
	q->ops = NULL;
	q->cnt = q->cap = 0;

	for (i = 0; i < n; i = j) {
		struct evbpf_mapop_done *d = &ops[i].d;
		struct mapq_map *m = map_get(q, d->map_fd);

		j = i + 1;
		if (!m) {
			d->res = -ENOMEM;
			continue;
		}
		if (m->err) {
			d->res = m->err;
			continue;
		}
		if (m->mm && d->kind != EVBPF_MAPOP_DELETE) {
			d->res = mm_op(m, d);
			continue;
		}
		if (d->kind == EVBPF_MAPOP_LOOKUP) {
			d->res = single_op(q, d);
			continue;
		}
		while (j < n && j - i < q->batch_max && ops[j].d.map_fd == d->map_fd &&
		       ops[j].d.kind == d->kind && ops[j].d.flags == d->flags)
			j++;
		if (j - i == 1)
			d->res = single_op(q, d);
		else
			batch_ops(q, m, &ops[i], j - i);
	}
	for (i = 0; i < n; i++) {
		q->fn(q->ctx, &ops[i].d);
		c->stats.records++;
	}
	free(ops);
	if (q->cnt)
		c->pending = true;
	return (int)evbpf__min(n, (size_t)INT32_MAX);
}

static void mapq_unhold(struct evbpf__consumer *c)
{
}

static void mapq_destroy(struct evbpf__consumer *c)
{
	struct evbpf_mapq *q = to_q(c);
	int i;

	for (i = 0; i < q->map_cnt; i++)
		if (q->maps[i].mm)
			munmap(q->maps[i].mm, q->maps[i].mm_size);
	free(q->maps);
	free(q->ops);
	free(q->kbuf);
	free(q->vbuf);
	free(q);
}

static const struct evbpf__consumer_ops mapq_ops = {
	.service = mapq_service,
	.unhold = mapq_unhold,
	.destroy = mapq_destroy,
};

struct evbpf_mapq *evbpf_mapq_new(struct evbpf_loop *loop, evbpf_mapop_fn fn,
				  void *ctx, const struct evbpf_mapq_opts *opts)
{
	struct evbpf_mapq *q;
	bool *possible = NULL;
	int err;

	if (!OPTS_VALID(opts, evbpf_mapq_opts, batch_max))
		return evbpf__err_ptr(-EINVAL);
	if (!loop || !fn)
		return evbpf__err_ptr(-EINVAL);
	q = calloc(1, sizeof(*q));
	if (!q)
		return evbpf__err_ptr(-ENOMEM);
	q->base.ops = &mapq_ops;
	q->fn = fn;
	q->ctx = ctx;
	q->batch_max = OPTS_GET(opts, batch_max, 0) ?: MAPQ_DEFAULT_BATCH;
	err = evbpf__parse_cpu_list("/sys/devices/system/cpu/possible", &possible,
				    &q->ncpus);
	free(possible);
	if (err) {
		mapq_destroy(&q->base);
		return evbpf__err_ptr(err);
	}
	evbpf__loop_link(loop, &q->base);
	return q;
}

void evbpf_mapq_free(struct evbpf_mapq *q)
{
	if (!q)
		return;
	evbpf__loop_unlink(&q->base);
	mapq_destroy(&q->base);
}

static int mapq_push(struct evbpf_mapq *q, enum evbpf_mapop_kind kind, int map_fd,
		     const void *key, void *value, __u64 flags, void *cookie)
{
	struct mapq_op *op;

	if (!q || !key || (kind != EVBPF_MAPOP_DELETE && !value) || map_fd < 0)
		return evbpf__err(-EINVAL);
	if (q->cnt == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;

		op = realloc(q->ops, cap * sizeof(*op));
		if (!op)
			return evbpf__err(-ENOMEM);
		q->ops = op;
		q->cap = cap;
	}
	op = &q->ops[q->cnt++];
	op->d.kind = kind;
	op->d.map_fd = map_fd;
	op->d.key = key;
	op->d.value = value;
	op->d.flags = flags;
	op->d.cookie = cookie;
	op->d.res = 0;
	/* one kick per burst: the loop fd turns readable (at the end of the
	 * dispatch when submitted from a callback) */
	if (q->cnt == 1 && q->base.loop)
		evbpf__loop_kick(q->base.loop);
	q->base.pending = true;
	return 0;
}

int evbpf_mapq_lookup(struct evbpf_mapq *q, int map_fd, const void *key,
		      void *value, void *cookie)
{
	return mapq_push(q, EVBPF_MAPOP_LOOKUP, map_fd, key, value, 0, cookie);
}

int evbpf_mapq_update(struct evbpf_mapq *q, int map_fd, const void *key,
		      const void *value, __u64 flags, void *cookie)
{
	return mapq_push(q, EVBPF_MAPOP_UPDATE, map_fd, key, (void *)value, flags, cookie);
}

int evbpf_mapq_delete(struct evbpf_mapq *q, int map_fd, const void *key, void *cookie)
{
	return mapq_push(q, EVBPF_MAPOP_DELETE, map_fd, key, NULL, 0, cookie);
}

size_t evbpf_mapq_pending(const struct evbpf_mapq *q)
{
	return q ? q->cnt : 0;
}

int evbpf_mapq_stats(const struct evbpf_mapq *q, struct evbpf_stats *stats)
{
	if (!q || !stats)
		return evbpf__err(-EINVAL);
	*stats = q->base.stats;
	return 0;
}
