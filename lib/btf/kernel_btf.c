// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The running kernel's BTF, process-wide: vmlinux and module BTF parsed
 * once and shared read-only, and the list of the kernel's BTF objects
 * (vmlinux first, then every module with BTF, with their object ids) that
 * CO-RE, ksym externs and BTF attach targets search. Everything here lives
 * until process exit.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "bpf/bpf.h"
#include "btf_layout_internal.h"

/* ---- vmlinux and module BTF, parsed once per process ---- */

static pthread_once_t vmlinux_once = PTHREAD_ONCE_INIT;
static struct btf *vmlinux_btf;
static int vmlinux_err;

static void vmlinux_init(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	__s32 r;

	if (!btf) {
		vmlinux_err = -errno;
		return;
	}
	/* Build the name index (and pointer size) now: afterwards the object
	 * is only ever read, so threads may share it without locks. */
	r = btf__find_by_name(btf, "int");
	(void)btf__pointer_size(btf);
	if (r < 0 && errno != ENOENT) {
		vmlinux_err = -errno;
		btf__free(btf);
		return;
	}
	vmlinux_btf = btf;
}

const struct btf *evbpf__vmlinux_btf(int *err)
{
	pthread_once(&vmlinux_once, vmlinux_init);
	if (!vmlinux_btf) {
		if (err)
			*err = vmlinux_err;
		errno = -vmlinux_err;
		return NULL;
	}
	if (err)
		*err = 0;
	return vmlinux_btf;
}

/* Module BTF cache: a short locked list; modules are few. */
struct mod_entry {
	struct mod_entry *next;
	struct btf *btf;
	int err;
	char name[];
};

static pthread_mutex_t mod_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mod_entry *mods;

const struct btf *evbpf__module_btf(const char *name, int *err)
{
	const struct btf *vml;
	struct mod_entry *e;
	int r = 0;

	vml = evbpf__vmlinux_btf(&r);
	if (!vml)
		goto fail;
	pthread_mutex_lock(&mod_lock);
	for (e = mods; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			break;
	if (!e) {
		e = calloc(1, sizeof(*e) + strlen(name) + 1);
		if (!e) {
			pthread_mutex_unlock(&mod_lock);
			r = -ENOMEM;
			goto fail;
		}
		strcpy(e->name, name);
		/* The cached vmlinux BTF is read-only; a split BTF only reads
		 * its base, so the cast is safe. */
		e->btf = btf__load_module_btf(name, (struct btf *)vml);
		if (e->btf) {
			(void)btf__find_by_name(e->btf, "int");
			(void)btf__pointer_size(e->btf);
		} else {
			e->err = -errno;
		}
		e->next = mods;
		mods = e;
	}
	pthread_mutex_unlock(&mod_lock);
	if (e->btf) {
		if (err)
			*err = 0;
		return e->btf;
	}
	r = e->err;
fail:
	if (err)
		*err = r;
	errno = -r;
	return NULL;
}

/* ---- the list of kernel BTF objects ---- */

struct kbtf_slot {
	struct evbpf__kbtf k;
	char name[64];
};

static pthread_mutex_t kbtf_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kbtf_slot *kbtfs;		/* [0] vmlinux, then modules */
static size_t kbtf_cnt, kbtf_cap;
static bool modules_done;
static int list_err;
static struct evbpf__kbtf vmlinux_entry;

static int vmlinux_locked(void)
{
	const struct btf *v;
	int err = 0;

	if (kbtfs)
		return 0;
	if (list_err)
		return list_err;
	v = evbpf__vmlinux_btf(&err);
	if (!v) {
		list_err = err ? err : -ESRCH;
		return list_err;
	}
	if (evbpf__ensure_mem((void **)&kbtfs, &kbtf_cap, sizeof(*kbtfs), 1))
		return -ENOMEM;
	memset(kbtfs, 0, sizeof(*kbtfs));
	evbpf__strlcpy(kbtfs[0].name, "vmlinux", sizeof(kbtfs[0].name));
	kbtfs[0].k.name = kbtfs[0].name;
	kbtfs[0].k.btf = v;
	kbtf_cnt = 1;
	/* written once, read without the lock (its id stays 0: the full list
	 * of evbpf__kbtf_list() has it) */
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
			pr_debug("kernel BTF: module '%s' BTF unusable: %d", name, err);
			continue;
		}
		if (evbpf__ensure_mem((void **)&kbtfs, &kbtf_cap, sizeof(*kbtfs), kbtf_cnt + 1))
			return -ENOMEM;
		memset(&kbtfs[kbtf_cnt], 0, sizeof(*kbtfs));
		evbpf__strlcpy(kbtfs[kbtf_cnt].name, name, sizeof(kbtfs[0].name));
		kbtfs[kbtf_cnt].k.id = id;
		kbtfs[kbtf_cnt].k.btf = mbtf;
		kbtf_cnt++;
	}
	/* growing may have moved the slots: name pointers follow */
	for (size_t i = 0; i < kbtf_cnt; i++)
		kbtfs[i].k.name = kbtfs[i].name;
	modules_done = true;
	return 0;
}

/* evbpf__kbtf is the first member of its slot, so a list of slots reads as a
 * list of evbpf__kbtf only if the stride matches: hand out a packed copy. */
static struct evbpf__kbtf *kbtf_list;

int evbpf__kbtf_list(const struct evbpf__kbtf **list, size_t *cnt)
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

int evbpf__kbtf_vmlinux(const struct evbpf__kbtf **k)
{
	int err;

	pthread_mutex_lock(&kbtf_lock);
	err = vmlinux_locked();
	if (!err)
		*k = &vmlinux_entry;
	pthread_mutex_unlock(&kbtf_lock);
	return evbpf__err(err);
}

int evbpf__kbtf_fd(__u32 id)
{
	int fd = bpf_btf_get_fd_by_id(id);

	return fd < 0 ? evbpf__err(-errno) : fd;
}
