// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF and the kernel: the running kernel's BTF (parsed fresh, or once per
 * process and shared), module BTF, BTF objects fetched by id, and loading
 * BTF into the kernel. Uses the bpf() syscall directly so that it does not
 * depend on the order in which the rest of the loader is built.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "btf_layout_internal.h"

static int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	long ret = syscall(__NR_bpf, cmd, attr, size);

	return ret < 0 ? -errno : (int)ret;
}

int evbpf__btf_load(struct btf *btf, char *log_buf, __u32 log_size, __u32 log_level)
{
	union bpf_attr attr;
	const void *raw;
	__u32 size;
	int fd;

	raw = btf__raw_data(btf, &size);
	if (!raw)
		return evbpf__err(-errno);
	memset(&attr, 0, sizeof(attr));
	attr.btf = evbpf__ptr_to_u64(raw);
	attr.btf_size = size;
	if (log_buf && log_size) {
		log_buf[0] = '\0';
		attr.btf_log_buf = evbpf__ptr_to_u64(log_buf);
		attr.btf_log_size = log_size;
		attr.btf_log_level = log_level ? log_level : 1;
	}
	fd = sys_bpf(BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return evbpf__err(fd);
	evbpf__close(btf->fd);
	btf->fd = fd;
	return 0;
}

/* Last @n bytes of the verifier log, starting at a line boundary. */
static const char *log_tail(const char *log, size_t n)
{
	size_t len = strlen(log);
	const char *p;

	if (len <= n)
		return log;
	p = log + len - n;
	while (*p && *p != '\n')
		p++;
	return *p ? p + 1 : log + len - n;
}

int btf__load_into_kernel(struct btf *btf)
{
	const __u32 log_size = 1 << 20;
	char *log;
	int err;

	err = evbpf__btf_load(btf, NULL, 0, 0);
	if (!err)
		return 0;
	/* Repeat with a log so the user learns why. */
	log = malloc(log_size);
	if (!log) {
		pr_warn("BTF: kernel refused BTF (%d)", err);
		return evbpf__err(err);
	}
	err = evbpf__btf_load(btf, log, log_size, 1);
	if (err)
		pr_warn("BTF: kernel refused %u types (%d): %s", btf->nr_types, err,
			log[0] ? log_tail(log, 512) : "(no log)");
	free(log);
	return evbpf__err(err);
}

static struct btf *from_kernel(__u32 id, struct btf *base)
{
	struct bpf_btf_info info;
	union bpf_attr attr;
	struct btf *btf = NULL;
	void *buf = NULL;
	char what[32];
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.btf_id = id;
	fd = sys_bpf(BPF_BTF_GET_FD_BY_ID, &attr, sizeof(attr));
	if (fd < 0)
		return evbpf__err_ptr(fd);
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = evbpf__ptr_to_u64(&info);
	err = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	if (err)
		goto out;
	buf = malloc(info.btf_size ? info.btf_size : 1);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	{
		__u32 want = info.btf_size;

		memset(&info, 0, sizeof(info));
		info.btf = evbpf__ptr_to_u64(buf);
		info.btf_size = want;
		attr.info.info_len = sizeof(info);
		err = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
		if (!err && info.btf_size > want)
			err = -EAGAIN;	/* grew between the calls */
	}
	if (err)
		goto out;
	snprintf(what, sizeof(what), "kernel id %u", id);
	btf = evbpf__btf_parse_data(buf, info.btf_size, base, what);
	if (!btf)
		err = -errno;
out:
	free(buf);
	close(fd);
	return btf ? btf : evbpf__err_ptr(err);
}

struct btf *btf__load_from_kernel_by_id(__u32 id)
{
	return from_kernel(id, NULL);
}

struct btf *btf__load_from_kernel_by_id_split(__u32 id, struct btf *base_btf)
{
	return from_kernel(id, base_btf);
}

/* Where the running kernel's BTF may be, first found wins. */
static struct btf *load_vmlinux(void)
{
	static const char *const paths[] = {
		"/boot/vmlinux-%s",
		"/lib/modules/%s/vmlinux-%s",
		"/lib/modules/%s/build/vmlinux",
		"/usr/lib/modules/%s/kernel/vmlinux",
		"/usr/lib/debug/boot/vmlinux-%s",
	};
	struct utsname uts;
	char path[PATH_MAX];
	struct btf *btf;
	size_t i;

	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return btf__parse_raw("/sys/kernel/btf/vmlinux");
	if (uname(&uts))
		return evbpf__err_ptr(-errno);
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		snprintf(path, sizeof(path), paths[i], uts.release, uts.release);
		if (access(path, R_OK))
			continue;
		btf = btf__parse(path, NULL);
		if (btf)
			return btf;
	}
	pr_warn("BTF: no BTF for the running kernel %s (no /sys/kernel/btf/vmlinux)", uts.release);
	return evbpf__err_ptr(-ESRCH);
}

struct btf *btf__load_vmlinux_btf(void)
{
	return load_vmlinux();
}

struct btf *btf__load_module_btf(const char *module_name, struct btf *vmlinux_btf)
{
	char path[PATH_MAX];

	if (!module_name || !vmlinux_btf || strchr(module_name, '/'))
		return evbpf__err_ptr(-EINVAL);
	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", module_name);
	return btf__parse_split(path, vmlinux_btf);
}

/* ---- process-wide cache ---- */

static pthread_once_t vmlinux_once = PTHREAD_ONCE_INIT;
static struct btf *vmlinux_btf;
static int vmlinux_err;

static void vmlinux_init(void)
{
	struct btf *btf = load_vmlinux();
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
