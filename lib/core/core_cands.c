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
 * themselves come from btf_internal.h's process-wide cache. Modules are
 * enumerated once, the first time vmlinux alone does not do.
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
	if (cands->len == cands->cap) {
		size_t cap = cands->cap ? cands->cap * 2 : 4;
		struct evbpf__core_cand *c = realloc(cands->c, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		cands->c = c;
		cands->cap = cap;
	}
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

/* ---- process-wide kernel BTF list and indexes ---- */

struct kbtf_slot {
	struct evbpf__kbtf k;
	struct evbpf__cand_index *idx;
	char name[64];
};

static pthread_mutex_t kbtf_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kbtf_slot *kbtfs;		/* [0] vmlinux, then modules */
static size_t kbtf_cnt;
static bool modules_done;
static int vmlinux_err;
static struct evbpf__kbtf vmlinux_entry;

static int vmlinux_locked(void)
{
	const struct btf *v;
	int err = 0;

	if (kbtfs)
		return 0;
	if (vmlinux_err)
		return vmlinux_err;
	v = evbpf__vmlinux_btf(&err);
	if (!v) {
		vmlinux_err = err ? err : -ESRCH;
		return vmlinux_err;
	}
	kbtfs = calloc(1, sizeof(*kbtfs));
	if (!kbtfs)
		return -ENOMEM;
	evbpf__strlcpy(kbtfs[0].name, "vmlinux", sizeof(kbtfs[0].name));
	kbtfs[0].k.name = kbtfs[0].name;
	kbtfs[0].k.btf = v;
	kbtf_cnt = 1;
	/* written once, read without the lock (its id stays 0: the full list
	 * of evbpf__core_kernel_btfs() has it) */
	vmlinux_entry.name = "vmlinux";
	vmlinux_entry.btf = v;
	return 0;
}

/* Walks the kernel's BTF objects by id: fills vmlinux's id and adds every
 * module BTF. Modules that fail to parse are skipped with a debug line. */
static int modules_locked(void)
{
	__u32 id = 0;
	int err;

	if (modules_done)
		return 0;
	for (;;) {
		struct bpf_btf_info info;
		__u32 len = sizeof(info);
		char name[64] = "";
		struct kbtf_slot *slots;
		const struct btf *mbtf;
		int fd;

		err = bpf_btf_get_next_id(id, &id);
		if (err) {
			if (errno == ENOENT)
				break;
			if (errno == EPERM || errno == EINVAL)
				break;	/* unprivileged or old kernel: vmlinux only */
			return -errno;
		}
		fd = bpf_btf_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* unloaded meanwhile */
		memset(&info, 0, sizeof(info));
		info.name = evbpf__ptr_to_u64(name);
		info.name_len = sizeof(name);
		err = bpf_btf_get_info_by_fd(fd, &info, &len);
		close(fd);
		if (err || !info.kernel_btf)
			continue;
		if (strcmp(name, "vmlinux") == 0) {
			kbtfs[0].k.id = id;
			continue;
		}
		mbtf = evbpf__module_btf(name, &err);
		if (!mbtf) {
			pr_debug("CO-RE: module '%s' BTF unusable: %d", name, err);
			continue;
		}
		slots = realloc(kbtfs, (kbtf_cnt + 1) * sizeof(*kbtfs));
		if (!slots)
			return -ENOMEM;
		kbtfs = slots;
		memset(&kbtfs[kbtf_cnt], 0, sizeof(*kbtfs));
		evbpf__strlcpy(kbtfs[kbtf_cnt].name, name, sizeof(kbtfs[0].name));
		kbtfs[kbtf_cnt].k.id = id;
		kbtfs[kbtf_cnt].k.btf = mbtf;
		kbtf_cnt++;
	}
	/* realloc may have moved the slots: name pointers follow */
	for (size_t i = 0; i < kbtf_cnt; i++)
		kbtfs[i].k.name = kbtfs[i].name;
	modules_done = true;
	return 0;
}

/* evbpf__kbtf is the first member of its slot, so a list of slots reads as a
 * list of evbpf__kbtf only if the stride matches: hand out a packed copy. */
static struct evbpf__kbtf *kbtf_list;

int evbpf__core_kernel_btfs(const struct evbpf__kbtf **list, size_t *cnt)
{
	int err;
	size_t i;

	pthread_mutex_lock(&kbtf_lock);
	err = vmlinux_locked();
	if (!err)
		err = modules_locked();
	if (!err && !kbtf_list) {
		kbtf_list = calloc(kbtf_cnt, sizeof(*kbtf_list));
		if (!kbtf_list)
			err = -ENOMEM;
		for (i = 0; kbtf_list && i < kbtf_cnt; i++)
			kbtf_list[i] = kbtfs[i].k;
	}
	if (!err) {
		*list = kbtf_list;
		*cnt = kbtf_cnt;
	}
	pthread_mutex_unlock(&kbtf_lock);
	return evbpf__err(err);
}

int evbpf__core_kernel_vmlinux(const struct evbpf__kbtf **k)
{
	int err;

	pthread_mutex_lock(&kbtf_lock);
	err = vmlinux_locked();
	if (!err)
		*k = &vmlinux_entry;
	pthread_mutex_unlock(&kbtf_lock);
	return evbpf__err(err);
}

const struct evbpf__cand_index *evbpf__cand_index_kernel(const struct evbpf__kbtf *k)
{
	struct evbpf__cand_index *idx = NULL;
	size_t i;

	pthread_mutex_lock(&kbtf_lock);
	for (i = 0; i < kbtf_cnt; i++) {
		if (kbtfs[i].k.btf != k->btf)
			continue;
		if (!kbtfs[i].idx)
			kbtfs[i].idx = evbpf__cand_index_new(k->btf,
					i == 0 ? 1 : evbpf__btf_start_id(k->btf));
		idx = kbtfs[i].idx;
		break;
	}
	pthread_mutex_unlock(&kbtf_lock);
	if (!idx)
		errno = i == kbtf_cnt ? ENOENT : ENOMEM;
	return idx;
}

int evbpf__core_kbtf_fd(__u32 id)
{
	int fd = bpf_btf_get_fd_by_id(id);

	return fd < 0 ? evbpf__err(-errno) : fd;
}
