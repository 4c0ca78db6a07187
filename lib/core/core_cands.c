// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CO-RE candidate lookup: for a local type "foo" (or "foo___flavor"), every
 * target type of a compatible kind whose name without its flavor suffix is
 * "foo".
 *
 * A linear scan of the 150k-type vmlinux BTF per local type is what makes
 * loading many CO-RE objects slow, so each target BTF gets a name index
 * once: (hash of essential name, type id) pairs sorted by hash then id.
 * Indexes of kernel BTF (vmlinux and modules) are process-wide, built on
 * first use under a mutex, and never freed; the kernel BTF objects
 * themselves come from btf/kernel_btf.c, which enumerates modules once,
 * the first time vmlinux alone does not do.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/base_internal.h"
#include "btf/btf_internal.h"
#include "core_engine_internal.h"
#include "bpf/bpf.h"

struct cand_ent {
	__u32 hash;
	__u32 id;
};

struct evbpf__cand_index {
	const struct btf *btf;
	struct cand_ent *ents;
	size_t cnt;
};

/* FNV-1a over the first @len bytes. */
static __u32 name_hash(const char *s, size_t len)
{
	__u32 h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct cand_ent *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

struct evbpf__cand_index *evbpf__cand_index_new(const struct btf *btf, __u32 start_id)
{
	struct evbpf__cand_index *idx;
	__u32 id, n = btf__type_cnt(btf);

	idx = calloc(1, sizeof(*idx));
	if (!idx)
		return evbpf__err_ptr(-ENOMEM);
	idx->btf = btf;
	if (start_id < 1)
		start_id = 1;
	if (n > start_id) {
		idx->ents = malloc(sizeof(*idx->ents) * (n - start_id));
		if (!idx->ents) {
			free(idx);
			return evbpf__err_ptr(-ENOMEM);
		}
	}
	for (id = start_id; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!t || !t->name_off)
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name || !*name)
			continue;
		idx->ents[idx->cnt].hash = name_hash(name, evbpf__core_essential_name_len(name));
		idx->ents[idx->cnt].id = id;
		idx->cnt++;
	}
	if (idx->cnt)
		qsort(idx->ents, idx->cnt, sizeof(*idx->ents), ent_cmp);
	return idx;
}

void evbpf__cand_index_free(struct evbpf__cand_index *idx)
{
	if (!idx)
		return;
	free(idx->ents);
	free(idx);
}

static int cands_push(struct evbpf__core_cands *cands, const struct btf *btf,
		      __u32 id, const char *btf_name)
{
	if (evbpf__ensure_mem((void **)&cands->c, &cands->cap, sizeof(*cands->c), cands->len + 1))
		return -ENOMEM;
	cands->c[cands->len].btf = btf;
	cands->c[cands->len].id = id;
	cands->c[cands->len].btf_name = btf_name;
	cands->len++;
	return 0;
}

int evbpf__cand_index_find(const struct evbpf__cand_index *idx, const char *btf_name,
			   const struct btf *local_btf, __u32 local_id,
			   struct evbpf__core_cands *cands)
{
	const struct btf_type *lt = btf__type_by_id(local_btf, local_id);
	const char *lname;
	size_t llen, lo, hi, i;
	__u32 h;
	int added = 0, err;

	if (!lt)
		return -EINVAL;
	lname = btf__name_by_offset(local_btf, lt->name_off);
	if (!lname || !*lname)
		return -EINVAL;
	llen = evbpf__core_essential_name_len(lname);
	h = name_hash(lname, llen);

	/* first entry with this hash */
	lo = 0;
	hi = idx->cnt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (idx->ents[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < idx->cnt && idx->ents[i].hash == h; i++) {
		const struct btf_type *t = btf__type_by_id(idx->btf, idx->ents[i].id);
		const char *name = btf__name_by_offset(idx->btf, t->name_off);

		if (!btf_kind_core_compat(t, lt))
			continue;
		if (evbpf__core_essential_name_len(name) != llen || strncmp(name, lname, llen))
			continue;
		err = cands_push(cands, idx->btf, idx->ents[i].id, btf_name);
		if (err)
			return err;
		added++;
	}
	return added;
}


/* ---- indexes of kernel BTF, process-wide ---- */

/* A short locked list: one entry per kernel BTF object ever searched. */
struct kidx {
	struct kidx *next;
	const struct btf *btf;
	struct evbpf__cand_index *idx;
};

static pthread_mutex_t kidx_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kidx *kidxs;

const struct evbpf__cand_index *evbpf__cand_index_kernel(const struct evbpf__kbtf *k)
{
	struct evbpf__cand_index *idx = NULL;
	struct kidx *e;

	pthread_mutex_lock(&kidx_lock);
	for (e = kidxs; e && e->btf != k->btf; e = e->next)
		;
	if (!e && (e = calloc(1, sizeof(*e)))) {
		e->btf = k->btf;
		e->next = kidxs;
		kidxs = e;
	}
	if (e && !e->idx)
		e->idx = evbpf__cand_index_new(k->btf, evbpf__btf_start_id(k->btf));
	if (e)
		idx = e->idx;
	pthread_mutex_unlock(&kidx_lock);
	if (!idx)
		errno = ENOMEM;
	return idx;
}
