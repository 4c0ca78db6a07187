// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Asynchronous map operations (include/evbpf/mapops.h).
 *
 * Submitting appends to the queue and kicks the loop; the loop's dispatch
 * then runs the queue as one consumer among the others. The queue is
 * detached before it runs, so completions may submit more.
 *
 * A run is a stretch of updates (or deletes) of one map with the same
 * flags, or one batch submission. A long run goes to the map's program
 * (mapq_prog.c) where that path is available; what is left goes to batch
 * commands. The kernel refuses a batch command as a whole, before any
 * element, for reasons that are not the elements' (flags the batch
 * commands do not take, BPF_F_LOCK without a lock, deletes of an array):
 * it then leaves the count it was given unchanged, and the queue remembers
 * that combination of map, kind and flags and runs it element by element,
 * so that every element gets its own true result. A batch that stops at an
 * element has applied the ones before it; that element runs alone to learn
 * its error, and the batch resumes after it. Keys and values that lie back
 * to back in the submitter's memory are handed to the kernel where they
 * are; others are gathered into a staging buffer first.
 *
 * Array maps created with BPF_F_MMAPABLE are served from a shared writable
 * mapping without any system call.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "bpf/bpf.h"
#include "io_internal.h"
#include "mapq_internal.h"

#define MAPQ_DEFAULT_BATCH	1024
#define MAPQ_MAX_BATCH		(1u << 20)
#define MAPQ_DEFAULT_QUEUE	64
#define MAPQ_MAX_BATCH_OP	(1u << 24)
/* runs shorter than this are not worth a program (nor loading one) */
#define MAPQ_PROG_MIN_RUN	32
#define MAPQ_REFUSALS		4
#define MAPQ_KNOWN_FLAGS	(EVBPF_MAPQ_COPY | EVBPF_MAPQ_NO_PROG)

struct mapq_op {
	struct evbpf_mapop_done d;
	size_t koff, voff;	/* EVBPF_MAPQ_COPY: offsets of the copies */
	bool batch;		/* a batch submission */
	bool cancelled;
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
	int prog_fd;		/* the program path: -1 not yet tried */
	bool prog_no;		/* not eligible, or loading failed */
	/* the service call (q->gen) in which the commands were last found
	 * allowed to write, per kind: the program may write then too */
	__u64 writable_gen[2];
	/* batch commands the kernel refused as a whole: kind and flags */
	struct {
		enum evbpf_mapop_kind kind;
		__u64 flags;
	} refused[MAPQ_REFUSALS];
	int nrefused;
};

struct evbpf_mapq {
	struct evbpf__consumer base;
	evbpf_mapop_fn fn;
	void *ctx;
	__u32 flags;
	__u32 batch_max;
	/* the queue, and a spare swapped in while the queue runs */
	struct mapq_op *ops, *spare;
	size_t cnt, cap, spare_cap;
	/* EVBPF_MAPQ_COPY: copies of keys and values, likewise */
	__u8 *arena, *spare_arena;
	size_t arena_len, arena_cap, spare_arena_cap;
	struct mapq_map *maps;
	int map_cnt;
	int ncpus;
	bool closing;		/* freeing: completions of cancelled ops */
	/* the run whose completions are being reported (mapq_service) */
	struct mapq_op *run_ops;
	size_t run_n, run_next;
	__u64 gen;		/* service calls so far */
	/* staging and results of one run */
	__u8 *kbuf, *vbuf;
	size_t kcap, vcap;
	int *resbuf;
	size_t rescap;
	struct evbpf__mapq_ring ring;
	bool ring_tried;
	struct evbpf_mapq_info info;
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

/* Map types whose program-side update and delete do what the commands do. */
static bool map_prog_eligible(__u32 type)
{
	return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_LRU_HASH ||
	       type == BPF_MAP_TYPE_ARRAY;
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
	if (!m) {
		pr_warn("mapq: map fd %d: no memory to track the map", fd);
		return NULL;
	}
	q->maps = m;
	m = &q->maps[q->map_cnt++];
	memset(m, 0, sizeof(*m));
	m->fd = fd;
	m->prog_fd = -1;
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
	m->prog_no = (q->flags & EVBPF_MAPQ_NO_PROG) || !map_prog_eligible(m->type);
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

static int single_op(struct evbpf_mapq *q, enum evbpf_mapop_kind kind, int fd,
		     const void *key, void *value, __u64 flags)
{
	int err;

	q->base.stats.syscalls++;
	q->info.single_cmds++;
	switch (kind) {
	case EVBPF_MAPOP_LOOKUP:
		err = bpf_map_lookup_elem(fd, key, value);
		break;
	case EVBPF_MAPOP_UPDATE:
		err = bpf_map_update_elem(fd, key, value, flags);
		break;
	default:
		err = bpf_map_delete_elem(fd, key);
		break;
	}
	return err < 0 ? -errno : 0;
}

/* Grows *@bufp to @need bytes at least; -ENOMEM (one log line naming
 * @what) when it cannot. */
static int grow(void *bufp, size_t *cap, size_t need, const char *what)
{
	void **buf = bufp;
	void *p;

	if (need <= *cap)
		return 0;
	if (need < 2 * *cap)
		need = 2 * *cap;
	p = realloc(*buf, need);
	if (!p) {
		pr_warn("mapq: no memory for %zu bytes of %s", need, what);
		return -ENOMEM;
	}
	*buf = p;
	*cap = need;
	return 0;
}

static bool batch_refused(const struct mapq_map *m, enum evbpf_mapop_kind kind, __u64 flags)
{
	int i;

	for (i = 0; i < m->nrefused; i++)
		if (m->refused[i].kind == kind && m->refused[i].flags == flags)
			return true;
	return false;
}

static void batch_refuse(struct mapq_map *m, enum evbpf_mapop_kind kind, __u64 flags)
{
	/* a full table forgets its oldest entry: it is learnt again */
	int i = m->nrefused < MAPQ_REFUSALS ? m->nrefused++ : 0;

	m->refused[i].kind = kind;
	m->refused[i].flags = flags;
}

/* Applies the run @e of map @m with batch commands where the kernel takes
 * them, single commands where it does not. @keys/@vals: the run's keys and
 * values back to back. */
static void batch_exec(struct evbpf_mapq *q, struct mapq_map *m, enum evbpf_mapop_kind kind,
		       __u64 flags, const __u8 *keys, const __u8 *vals, size_t n, int *res)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bo, .elem_flags = flags);
	bool update = kind == EVBPF_MAPOP_UPDATE;
	size_t done = 0, i, want;
	__u32 count;
	int err;

	while (done < n) {
		if (n - done == 1 || batch_refused(m, kind, flags)) {
			res[done] = single_op(q, kind, m->fd, keys + done * m->key_size,
					      update ? (void *)(vals + done * m->vstride) : NULL,
					      flags);
			done++;
			continue;
		}
		want = evbpf__min(n - done, (size_t)UINT32_MAX);
		count = (__u32)want;
		q->base.stats.syscalls++;
		q->base.stats.batches++;
		q->info.batch_cmds++;
		if (update)
			err = bpf_map_update_batch(m->fd, keys + done * m->key_size,
						   vals + done * m->vstride, &count, &bo);
		else
			err = bpf_map_delete_batch(m->fd, keys + done * m->key_size,
						   &count, &bo);
		err = err < 0 ? -errno : 0;
		if (err && count >= want) {
			/* refused before the first element: the count is
			 * the one given, nothing was applied */
			pr_debug("mapq: map fd %d refuses %s batches with flags 0x%llx (%d): "
				 "element by element", m->fd, update ? "update" : "delete",
				 (unsigned long long)flags, err);
			batch_refuse(m, kind, flags);
			continue;
		}
		if (count > want)
			count = (__u32)want;
		for (i = 0; i < count; i++)
			res[done + i] = 0;
		done += count;
		if (!err) {
			/* a success that applied nothing would loop */
			if (!count)
				batch_refuse(m, kind, flags);
			continue;
		}
		/* stopped at element @done: alone, it tells its own error */
		if (done < n) {
			res[done] = single_op(q, kind, m->fd, keys + done * m->key_size,
					      update ? (void *)(vals + done * m->vstride) : NULL,
					      flags);
			done++;
		}
	}
}

/* The program path for @m, loaded on first use; false when not available. */
static bool prog_ready(struct evbpf_mapq *q, struct mapq_map *m)
{
	__u32 kv = m->key_size + m->vstride;
	int fd;

	if (m->prog_no || q->ring.failed)
		return false;
	if (m->prog_fd >= 0)
		return true;
	if (!q->ring_tried) {
		q->ring_tried = true;
		q->base.stats.syscalls += 4;
		if (evbpf__mapq_ring_init(&q->ring, q->batch_max, kv))
			return false;
	}
	q->base.stats.syscalls++;
	fd = evbpf__mapq_prog_load(&q->ring, m->fd, m->key_size, m->vstride);
	if (fd < 0) {
		m->prog_no = true;
		return false;
	}
	m->prog_fd = fd;
	return true;
}

/*
 * A program writes where user space may not: into a frozen map, or through a
 * read-only fd. An empty batch command tells whether the commands would be
 * allowed to write (the kernel checks the permission before the count);
 * asked once per service call.
 */
static bool commands_may_write(struct evbpf_mapq *q, struct mapq_map *m,
			       enum evbpf_mapop_kind kind)
{
	__u64 *gen = &m->writable_gen[kind == EVBPF_MAPOP_UPDATE];
	__u32 zero = 0;
	int err;

	if (*gen == q->gen)
		return true;
	q->base.stats.syscalls++;
	if (kind == EVBPF_MAPOP_UPDATE)
		err = bpf_map_update_batch(m->fd, NULL, NULL, &zero, NULL);
	else
		err = bpf_map_delete_batch(m->fd, NULL, &zero, NULL);
	if (err)
		return false;
	*gen = q->gen;
	return true;
}

/*
 * Executes the run @e (same map, kind and flags) and puts element i's
 * result in res[i].
 */
static void run_exec(struct evbpf_mapq *q, struct mapq_map *m, enum evbpf_mapop_kind kind,
		     __u64 flags, const struct evbpf__mapq_elems *e, int *res)
{
	bool update = kind == EVBPF_MAPOP_UPDATE, prog;
	size_t done = 0, n = e->n, i;
	long ret;

	q->info.elements += n;
	/* the program takes the update flags of single commands, not
	 * BPF_F_LOCK, and writes only where the commands may */
	prog = n >= MAPQ_PROG_MIN_RUN && !(flags & ~(__u64)(BPF_NOEXIST | BPF_EXIST)) &&
	       prog_ready(q, m) && commands_may_write(q, m, kind);
	while (prog && n - done >= MAPQ_PROG_MIN_RUN && !q->ring.failed) {
		struct evbpf__mapq_elems part = *e;

		if (part.ptrs)
			part.ptrs += done * part.pstride;
		else {
			part.keys += done * m->key_size;
			if (update)
				part.vals += done * m->vstride;
		}
		part.n = n - done;
		q->base.stats.syscalls++;
		q->base.stats.batches++;
		q->info.prog_runs++;
		ret = evbpf__mapq_prog_run(&q->ring, m->prog_fd, kind, flags, &part,
					   m->key_size, m->vstride, res + done);
		if (ret <= 0)
			break;
		q->info.prog_elements += ret;
		done += ret;
	}
	if (done == n)
		return;
	if (e->ptrs) {
		/* gather what is left */
		if (grow(&q->kbuf, &q->kcap, (n - done) * m->key_size, "staged keys") ||
		    (update && grow(&q->vbuf, &q->vcap, (n - done) * m->vstride,
				    "staged values"))) {
			for (i = done; i < n; i++)
				res[i] = -ENOMEM;
			return;
		}
		for (i = done; i < n; i++) {
			memcpy(q->kbuf + (i - done) * m->key_size,
			       evbpf__mapq_key(e, i, m->key_size), m->key_size);
			if (update)
				memcpy(q->vbuf + (i - done) * m->vstride,
				       evbpf__mapq_val(e, i, m->vstride), m->vstride);
		}
		batch_exec(q, m, kind, flags, q->kbuf, q->vbuf, n - done, res + done);
		return;
	}
	batch_exec(q, m, kind, flags, e->keys + done * m->key_size,
		   update ? e->vals + done * m->vstride : NULL, n - done, res + done);
}

/* A batch submission: one run on the caller's arrays. */
static void batch_op_exec(struct evbpf_mapq *q, struct mapq_map *m, struct mapq_op *op)
{
	struct evbpf_mapop_done *d = &op->d;
	struct evbpf__mapq_elems e = { .keys = d->key, .vals = d->value, .n = d->count };
	int *res = d->results;
	__u32 i;

	if (!res) {
		if (grow(&q->resbuf, &q->rescap, d->count * sizeof(int), "batch results")) {
			d->res = -ENOMEM;
			return;
		}
		res = q->resbuf;
	}
	run_exec(q, m, d->kind, d->flags, &e, res);
	for (i = 0; i < d->count; i++) {
		if (!res[i])
			d->applied++;
		else if (!d->res)
			d->res = res[i];
	}
}

/* Executes ops[i] and the run of like operations after it; returns the
 * index after the last one executed. */
static size_t exec_from(struct evbpf_mapq *q, struct mapq_op *ops, size_t i, size_t n)
{
	struct evbpf_mapop_done *d = &ops[i].d;
	struct mapq_map *m = map_get(q, d->map_fd);
	bool contig = true, update = d->kind == EVBPF_MAPOP_UPDATE;
	struct evbpf__mapq_elems e;
	size_t j, k;

	if (!m) {
		d->res = -ENOMEM;
		return i + 1;
	}
	if (m->err) {
		d->res = m->err;
		if (ops[i].batch)
			d->applied = 0;
		return i + 1;
	}
	if (ops[i].batch) {
		batch_op_exec(q, m, &ops[i]);
		return i + 1;
	}
	if (m->mm && d->kind != EVBPF_MAPOP_DELETE) {
		q->info.mmap_ops++;
		q->info.elements++;
		d->res = mm_op(m, d);
		return i + 1;
	}
	if (d->kind == EVBPF_MAPOP_LOOKUP) {
		q->info.elements++;
		d->res = single_op(q, d->kind, d->map_fd, d->key, d->value, 0);
		return i + 1;
	}
	for (j = i + 1; j < n && j - i < q->batch_max; j++) {
		const struct mapq_op *o = &ops[j];

		if (o->batch || o->cancelled || o->d.map_fd != d->map_fd ||
		    o->d.kind != d->kind || o->d.flags != d->flags)
			break;
		if ((const __u8 *)o->d.key != (const __u8 *)d->key + (j - i) * m->key_size ||
		    (update && (const __u8 *)o->d.value !=
				       (const __u8 *)d->value + (j - i) * m->vstride))
			contig = false;
	}
	if (j - i == 1) {
		q->info.elements++;
		d->res = single_op(q, d->kind, d->map_fd, d->key, d->value, d->flags);
		return j;
	}
	if (grow(&q->resbuf, &q->rescap, (j - i) * sizeof(int), "batch results")) {
		for (k = i; k < j; k++)
			ops[k].d.res = -ENOMEM;
		return j;
	}
	memset(&e, 0, sizeof(e));
	e.n = j - i;
	if (contig) {
		e.keys = d->key;
		e.vals = d->value;
	} else {
		e.ptrs = (const __u8 *)&ops[i].d;
		e.pstride = sizeof(ops[0]);
	}
	run_exec(q, m, d->kind, d->flags, &e, q->resbuf);
	for (k = i; k < j; k++)
		ops[k].d.res = q->resbuf[k - i];
	return j;
}

static void complete(struct evbpf_mapq *q, struct mapq_op *op)
{
	struct evbpf_mapop_done *d = &op->d;

	if (!op->batch)
		d->applied = d->res == 0;
	q->base.stats.records++;
	q->info.completed++;
	q->info.pending--;
	if (d->res == -ECANCELED && op->cancelled)
		q->info.cancelled++;
	else if (d->res)
		q->info.failed++;
	q->fn(q->ctx, d);
}

/* Points the operations' keys and values at their copies in @arena. */
static void resolve_copies(struct mapq_op *ops, size_t n, __u8 *arena)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ops[i].koff != SIZE_MAX)
			ops[i].d.key = arena + ops[i].koff;
		if (ops[i].voff != SIZE_MAX)
			ops[i].d.value = arena + ops[i].voff;
	}
}

/* Takes the queue for running, leaving the spare buffers in its place. */
static void detach(struct evbpf_mapq *q, struct mapq_op **ops, size_t *n, size_t *cap,
		   __u8 **arena, size_t *acap)
{
	*ops = q->ops;
	*n = q->cnt;
	*cap = q->cap;
	*arena = q->arena;
	*acap = q->arena_cap;
	q->ops = q->spare;
	q->cap = q->spare_cap;
	q->spare = NULL;
	q->spare_cap = 0;
	q->cnt = 0;
	q->arena = q->spare_arena;
	q->arena_cap = q->spare_arena_cap;
	q->arena_len = 0;
	q->spare_arena = NULL;
	q->spare_arena_cap = 0;
}

/* Gives the buffers of a finished run back: as the queue's own when it is
 * empty and they are larger (the queue keeps the size it grew to), else as
 * spares, else frees them. */
static void retire(struct evbpf_mapq *q, struct mapq_op *ops, size_t cap, __u8 *arena,
		   size_t acap)
{
	if (!q->cnt && cap > q->cap) {
		struct mapq_op *small = q->ops;
		size_t small_cap = q->cap;

		q->ops = ops;
		q->cap = cap;
		ops = small;
		cap = small_cap;
	}
	if (!q->arena_len && acap > q->arena_cap) {
		__u8 *small = q->arena;
		size_t small_cap = q->arena_cap;

		q->arena = arena;
		q->arena_cap = acap;
		arena = small;
		acap = small_cap;
	}
	if (!q->spare) {
		q->spare = ops;
		q->spare_cap = cap;
	} else {
		free(ops);
	}
	if (!q->spare_arena) {
		q->spare_arena = arena;
		q->spare_arena_cap = acap;
	} else {
		free(arena);
	}
}

static int mapq_service(struct evbpf__consumer *c, __u64 now, bool drain)
{
	struct evbpf_mapq *q = to_q(c);
	struct mapq_op *ops;
	__u8 *arena;
	size_t n, cap, acap, i;

	c->pending = false;
	if (!q->cnt)
		return 0;
	detach(q, &ops, &n, &cap, &arena, &acap);
	if (arena)
		resolve_copies(ops, n, arena);
	q->gen++;
	for (i = 0; i < n;) {
		if (ops[i].cancelled) {
			i++;
			continue;
		}
		i = exec_from(q, ops, i, n);
	}
	/* a completion may free the queue: evbpf_mapq_free() then reports
	 * the rest of this run itself and moves run_next to the end */
	q->run_ops = ops;
	q->run_n = n;
	for (q->run_next = 0; q->run_next < q->run_n;)
		complete(q, &ops[q->run_next++]);
	q->run_ops = NULL;
	retire(q, ops, cap, arena, acap);
	if (q->cnt && !c->doomed)
		c->pending = true;
	return (int)evbpf__min(n, (size_t)INT32_MAX);
}

static void mapq_unhold(struct evbpf__consumer *c)
{
}

/* Completes every queued operation with -ECANCELED (the queue goes away);
 * what the completions submit is refused. */
static void cancel_all(struct evbpf_mapq *q)
{
	struct mapq_op *ops;
	__u8 *arena;
	size_t n, cap, acap, i;

	q->closing = true;
	while (q->cnt) {
		detach(q, &ops, &n, &cap, &arena, &acap);
		resolve_copies(ops, n, arena);
		for (i = 0; i < n; i++) {
			ops[i].cancelled = true;
			ops[i].d.res = -ECANCELED;
			complete(q, &ops[i]);
		}
		retire(q, ops, cap, arena, acap);
	}
}

static void mapq_destroy(struct evbpf__consumer *c)
{
	struct evbpf_mapq *q = to_q(c);
	int i;

	if (q->fn)
		cancel_all(q);
	for (i = 0; i < q->map_cnt; i++) {
		if (q->maps[i].mm)
			munmap(q->maps[i].mm, q->maps[i].mm_size);
		evbpf__close(q->maps[i].prog_fd);
	}
	if (q->ring_tried)
		evbpf__mapq_ring_fini(&q->ring);
	free(q->maps);
	free(q->ops);
	free(q->spare);
	free(q->arena);
	free(q->spare_arena);
	free(q->kbuf);
	free(q->vbuf);
	free(q->resbuf);
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
	__u32 batch_max, flags, qsize;
	int err;

	if (!OPTS_VALID(opts, evbpf_mapq_opts, queue_size))
		return evbpf__err_ptr(-EINVAL);
	if (!loop || !fn) {
		pr_warn("mapq: a queue needs a loop and a completion callback");
		return evbpf__err_ptr(-EINVAL);
	}
	batch_max = OPTS_GET(opts, batch_max, 0) ?: MAPQ_DEFAULT_BATCH;
	flags = OPTS_GET(opts, flags, 0);
	qsize = OPTS_GET(opts, queue_size, 0) ?: MAPQ_DEFAULT_QUEUE;
	if (batch_max > MAPQ_MAX_BATCH || flags & ~MAPQ_KNOWN_FLAGS ||
	    qsize > MAPQ_MAX_BATCH_OP) {
		pr_warn("mapq: batch_max %u (at most %u), flags 0x%x or queue_size %u out of range",
			batch_max, MAPQ_MAX_BATCH, flags, qsize);
		return evbpf__err_ptr(-EINVAL);
	}
	q = calloc(1, sizeof(*q));
	if (!q) {
		pr_warn("mapq: no memory for the queue");
		return evbpf__err_ptr(-ENOMEM);
	}
	q->base.ops = &mapq_ops;
	q->ctx = ctx;
	q->flags = flags;
	q->batch_max = batch_max;
	q->ring.ring_fd = q->ring.res_fd = -1;
	q->cap = q->spare_cap = qsize;
	q->ops = malloc(qsize * sizeof(*q->ops));
	q->spare = malloc(qsize * sizeof(*q->spare));
	if (!q->ops || !q->spare) {
		pr_warn("mapq: no memory for a queue of %u operations", qsize);
		mapq_destroy(&q->base);
		return evbpf__err_ptr(-ENOMEM);
	}
	err = evbpf__parse_cpu_list("/sys/devices/system/cpu/possible", &possible,
				    &q->ncpus);
	free(possible);
	if (err) {
		pr_warn("mapq: cannot read the possible CPUs: %d", err);
		mapq_destroy(&q->base);
		return evbpf__err_ptr(err);
	}
	q->fn = fn;
	evbpf__loop_link(loop, &q->base);
	return q;
}

int evbpf_mapq_free(struct evbpf_mapq *q)
{
	if (!q)
		return 0;
	/* from a completion reported by this free: it is under way */
	if (q->closing || q->base.doomed)
		return 0;
	if (evbpf__consumer_release(&q->base)) {
		mapq_destroy(&q->base);
		return 0;
	}
	/*
	 * From a callback of the loop (the queue's own completions included):
	 * the rest of the run being reported completes now with its results
	 * (those operations ran), what is queued with -ECANCELED; the memory
	 * goes when the dispatch ends.
	 */
	q->closing = true;
	if (q->run_ops) {
		while (q->run_next < q->run_n)
			complete(q, &q->run_ops[q->run_next++]);
	}
	cancel_all(q);
	return 0;
}

/* Copies @len bytes of @src into the arena; returns the offset or SIZE_MAX. */
static size_t arena_put(struct evbpf_mapq *q, const void *src, size_t len)
{
	size_t off = (q->arena_len + 7) & ~(size_t)7;

	if (grow(&q->arena, &q->arena_cap, off + len ?: 1, "copied keys and values"))
		return SIZE_MAX;
	memcpy(q->arena + off, src, len);
	q->arena_len = off + len;
	q->info.copied_bytes += len;
	return off;
}

static int mapq_push(struct evbpf_mapq *q, enum evbpf_mapop_kind kind, int map_fd,
		     const void *key, void *value, __u64 flags, void *cookie,
		     __u32 count, int *results)
{
	bool batch = count > 0;
	struct mapq_op *op;
	struct mapq_map *m;

	if (!q)
		return evbpf__err(-EINVAL);
	if (!key || (kind == EVBPF_MAPOP_UPDATE && !value) || map_fd < 0) {
		pr_warn("mapq: map fd %d: %s", map_fd,
			map_fd < 0 ? "not a map fd" : !key ? "no key" : "no value");
		return evbpf__err(-EINVAL);
	}
	if (count > MAPQ_MAX_BATCH_OP) {
		pr_warn("mapq: map fd %d: a batch of %u elements (at most %u)", map_fd, count,
			MAPQ_MAX_BATCH_OP);
		return evbpf__err(-EINVAL);
	}
	if (q->closing) {
		pr_warn("mapq: map fd %d: the queue is being freed", map_fd);
		return evbpf__err(-EBUSY);
	}
	if (q->cnt == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : MAPQ_DEFAULT_QUEUE;

		op = realloc(q->ops, cap * sizeof(*op));
		if (!op) {
			pr_warn("mapq: map fd %d: no memory to queue one more operation",
				map_fd);
			return evbpf__err(-ENOMEM);
		}
		q->ops = op;
		q->cap = cap;
	}
	op = &q->ops[q->cnt];
	op->d.kind = kind;
	op->d.map_fd = map_fd;
	op->d.key = key;
	op->d.value = value;
	op->d.flags = flags;
	op->d.cookie = cookie;
	op->d.res = 0;
	op->d.count = batch ? count : 1;
	op->d.applied = 0;
	op->d.results = results;
	op->koff = op->voff = SIZE_MAX;
	op->batch = batch;
	op->cancelled = false;
	if ((q->flags & EVBPF_MAPQ_COPY) && !batch) {
		m = map_get(q, map_fd);
		if (!m)
			return evbpf__err(-ENOMEM);	/* map_get() said why */
		if (m->err) {
			pr_warn("mapq: map fd %d: cannot inspect the map to copy its key: %d",
				map_fd, m->err);
			return evbpf__err(m->err);
		}
		op->koff = arena_put(q, key, m->key_size);
		if (op->koff != SIZE_MAX && kind == EVBPF_MAPOP_UPDATE)
			op->voff = arena_put(q, value, m->vstride);
		/* grow() said why */
		if (op->koff == SIZE_MAX ||
		    (kind == EVBPF_MAPOP_UPDATE && op->voff == SIZE_MAX))
			return evbpf__err(-ENOMEM);
	}
	q->cnt++;
	q->info.submitted++;
	if (++q->info.pending > q->info.pending_max)
		q->info.pending_max = q->info.pending;
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
	if (q && !value) {
		pr_warn("mapq: map fd %d: a lookup needs a value buffer", map_fd);
		return evbpf__err(-EINVAL);
	}
	return mapq_push(q, EVBPF_MAPOP_LOOKUP, map_fd, key, value, 0, cookie, 0, NULL);
}

int evbpf_mapq_update(struct evbpf_mapq *q, int map_fd, const void *key,
		      const void *value, __u64 flags, void *cookie)
{
	return mapq_push(q, EVBPF_MAPOP_UPDATE, map_fd, key, (void *)value, flags, cookie,
			 0, NULL);
}

int evbpf_mapq_delete(struct evbpf_mapq *q, int map_fd, const void *key, void *cookie)
{
	return mapq_push(q, EVBPF_MAPOP_DELETE, map_fd, key, NULL, 0, cookie, 0, NULL);
}

int evbpf_mapq_update_batch(struct evbpf_mapq *q, int map_fd, const void *keys,
			    const void *values, __u32 count, __u64 flags, int *results,
			    void *cookie)
{
	if (q && !count) {
		pr_warn("mapq: map fd %d: a batch of no elements", map_fd);
		return evbpf__err(-EINVAL);
	}
	return mapq_push(q, EVBPF_MAPOP_UPDATE, map_fd, keys, (void *)values, flags, cookie,
			 count, results);
}

int evbpf_mapq_delete_batch(struct evbpf_mapq *q, int map_fd, const void *keys,
			    __u32 count, int *results, void *cookie)
{
	if (q && !count) {
		pr_warn("mapq: map fd %d: a batch of no elements", map_fd);
		return evbpf__err(-EINVAL);
	}
	return mapq_push(q, EVBPF_MAPOP_DELETE, map_fd, keys, NULL, 0, cookie, count, results);
}

int evbpf_mapq_cancel(struct evbpf_mapq *q, void *cookie)
{
	size_t i;
	int n = 0;

	if (!q)
		return evbpf__err(-EINVAL);
	for (i = 0; i < q->cnt; i++) {
		struct mapq_op *op = &q->ops[i];

		if (op->d.cookie != cookie || op->cancelled)
			continue;
		op->cancelled = true;
		op->d.res = -ECANCELED;
		n++;
	}
	return n;
}

int evbpf_mapq_forget_map(struct evbpf_mapq *q, int map_fd)
{
	int i;

	if (!q)
		return evbpf__err(-EINVAL);
	for (i = 0; i < q->map_cnt; i++) {
		struct mapq_map *m = &q->maps[i];

		if (m->fd != map_fd)
			continue;
		if (m->mm)
			munmap(m->mm, m->mm_size);
		evbpf__close(m->prog_fd);
		q->maps[i] = q->maps[--q->map_cnt];
		return 0;
	}
	return 0;
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

int evbpf_mapq_info(const struct evbpf_mapq *q, struct evbpf_mapq_info *info)
{
	size_t sz;

	if (!q || !info || info->sz < sizeof(info->sz)) {
		if (q && info)
			pr_warn("mapq: info->sz %zu is too small", info->sz);
		return evbpf__err(-EINVAL);
	}
	sz = evbpf__min(info->sz, sizeof(*info));
	memcpy((__u8 *)info + sizeof(info->sz), (const __u8 *)&q->info + sizeof(info->sz),
	       sz - sizeof(info->sz));
	return 0;
}
