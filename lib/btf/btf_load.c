// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF and the kernel: the running kernel's BTF and module BTF parsed
 * fresh, BTF objects fetched by id, and loading BTF into the kernel
 * (kernel_btf.c keeps the process-wide copies).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpf/bpf.h"
#include "btf_layout_internal.h"

int evbpf__btf_load(struct btf *btf, char *log_buf, __u32 log_size, __u32 log_level,
		    int token_fd)
{
	LIBBPF_OPTS(bpf_btf_load_opts, opts);
	const void *raw;
	__u32 size;
	int fd;

	raw = btf__raw_data(btf, &size);
	if (!raw)
		return evbpf__err(-errno);
	if (log_buf && log_size) {
		log_buf[0] = '\0';
		opts.log_buf = log_buf;
		opts.log_size = log_size;
		opts.log_level = log_level ? log_level : 1;
	}
	if (token_fd > 0) {
		opts.btf_flags |= BPF_F_TOKEN_FD;
		opts.token_fd = (__u32)token_fd;
	}
	fd = bpf_btf_load(raw, size, &opts);
	if (fd < 0)
		return evbpf__err(-errno);
	evbpf__close(btf->fd);
	btf->fd = fd;
	return 0;
}

int btf__load_into_kernel(struct btf *btf)
{
	const __u32 log_size = 1 << 20;
	char *log;
	int err;

	err = evbpf__btf_load(btf, NULL, 0, 0, 0);
	if (!err)
		return 0;
	/* Repeat with a log so the user learns why. */
	log = malloc(log_size);
	if (!log) {
		pr_warn("BTF: kernel refused BTF (%d)", err);
		return evbpf__err(err);
	}
	err = evbpf__btf_load(btf, log, log_size, 1, 0);
	if (err)
		pr_warn("BTF: kernel refused %u types (%d): %s", btf->nr_types, err,
			log[0] ? evbpf__log_tail(log, 512) : "(no log)");
	free(log);
	return evbpf__err(err);
}

static struct btf *from_kernel(__u32 id, struct btf *base)
{
	struct bpf_btf_info info;
	__u32 len;
	struct btf *btf = NULL;
	void *buf = NULL;
	char what[32];
	int fd, err;

	fd = bpf_btf_get_fd_by_id(id);
	if (fd < 0)
		return evbpf__err_ptr(-errno);
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	err = bpf_obj_get_info_by_fd(fd, &info, &len) ? -errno : 0;
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
		len = sizeof(info);
		err = bpf_obj_get_info_by_fd(fd, &info, &len) ? -errno : 0;
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
