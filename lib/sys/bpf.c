// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bpf(2) syscall entry, fd hygiene, RLIMIT_MEMLOCK handling and the map
 * wrappers of <bpf/bpf.h> (create, element ops, batch ops, freeze).
 */
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf/bpf.h"
#include "bpf_internal.h"
#include "features_internal.h"
#include "base/base_internal.h"

#ifndef __NR_bpf
#error "__NR_bpf is not defined for this architecture"
#endif

int evbpf__sys_bpf(int cmd, union evbpf__attr *attr, unsigned int size)
{
	/* No retry on EINTR, as in libbpf: an interrupted BPF_PROG_TEST_RUN
	 * with repeat > 1 has already run part of its repetitions, so running
	 * it again would silently repeat side effects. The caller decides. */
	long ret = syscall(__NR_bpf, cmd, attr, size);

	return ret < 0 ? -errno : (int)ret;
}

int evbpf__ensure_good_fd(int fd)
{
	int nfd, err;

	if (fd < 0 || fd > 2)
		return fd;
	/* Someone closed stdio; keep BPF objects out of those slots so that a
	 * stray write to "stdout" can never land in a map or program fd. */
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	err = -errno;
	close(fd);
	if (nfd < 0) {
		errno = -err;
		return err;
	}
	return nfd;
}

int evbpf__sys_bpf_fd(int cmd, union evbpf__attr *attr, unsigned int size)
{
	int fd = evbpf__sys_bpf(cmd, attr, size);

	return evbpf__ensure_good_fd(fd);
}

int evbpf__sys_bpf_common_fd(int cmd, union evbpf__attr *attr, unsigned int size,
			     struct evbpf__attr_common *common, unsigned int common_size)
{
	long ret = syscall(__NR_bpf, cmd | EVBPF_BPF_COMMON_ATTRS, attr, size, common,
			   common_size);

	return evbpf__ensure_good_fd(ret < 0 ? -errno : (int)ret);
}

/* ---- RLIMIT_MEMLOCK ---- */

static pthread_mutex_t memlock_lock = PTHREAD_MUTEX_INITIALIZER;
static bool memlock_bumped;
static size_t memlock_rlim = RLIM_INFINITY;

void evbpf__bump_memlock(void)
{
	struct rlimit rl;

	/* Since 5.11 BPF memory is charged to the memory cgroup and the
	 * rlimit is ignored; only older kernels need it raised. */
	if (evbpf__feat_supported(EVBPF_FEAT_MEMCG_ACCOUNT))
		return;

	pthread_mutex_lock(&memlock_lock);
	if (memlock_bumped)
		goto out;
	memlock_bumped = true;
	if (memlock_rlim == 0)	/* the user turned bumping off */
		goto out;
	rl.rlim_cur = rl.rlim_max = memlock_rlim;
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		pr_warn("could not raise RLIMIT_MEMLOCK to %zu: %s",
			memlock_rlim, strerror(errno));
out:
	pthread_mutex_unlock(&memlock_lock);
}

LIBBPF_API int libbpf_set_memlock_rlim(size_t memlock_bytes)
{
	int err = 0;

	pthread_mutex_lock(&memlock_lock);
	if (memlock_bumped)
		err = -EBUSY;	/* too late: the limit was raised already */
	else
		memlock_rlim = memlock_bytes;
	pthread_mutex_unlock(&memlock_lock);
	return evbpf__err(err);
}

/* ---- map creation ---- */

LIBBPF_API int bpf_map_create(enum bpf_map_type map_type, const char *map_name,
			      __u32 key_size, __u32 value_size,
			      __u32 max_entries,
			      const struct bpf_map_create_opts *opts)
{
	struct bpf_log_opts *log_opts = OPTS_GET(opts, log_opts, NULL);
	struct evbpf__attr_common common;
	struct evbpf__attr_map_create *a;
	union evbpf__attr attr;
	int fd;

	if (!OPTS_VALID(opts, bpf_map_create_opts, log_opts) ||
	    !OPTS_VALID(log_opts, bpf_log_opts, true_size))
		return evbpf__err(-EINVAL);
	if (log_opts && !OPTS_GET(log_opts, buf, NULL) != !OPTS_GET(log_opts, size, 0))
		return evbpf__err(-EINVAL);

	evbpf__bump_memlock();

	memset(&attr, 0, sizeof(attr));
	a = &attr.map_create;
	a->map_type = map_type;
	a->key_size = key_size;
	a->value_size = value_size;
	a->max_entries = max_entries;
	if (map_name && evbpf__feat_supported(EVBPF_FEAT_PROG_NAME))
		evbpf__strlcpy(a->map_name, map_name, sizeof(a->map_name));

	a->btf_fd = OPTS_GET(opts, btf_fd, 0);
	a->btf_key_type_id = OPTS_GET(opts, btf_key_type_id, 0);
	a->btf_value_type_id = OPTS_GET(opts, btf_value_type_id, 0);
	a->btf_vmlinux_value_type_id = OPTS_GET(opts, btf_vmlinux_value_type_id, 0);
	a->value_type_btf_obj_fd = OPTS_GET(opts, value_type_btf_obj_fd, 0);
	a->inner_map_fd = OPTS_GET(opts, inner_map_fd, 0);
	a->map_flags = OPTS_GET(opts, map_flags, 0);
	a->map_extra = OPTS_GET(opts, map_extra, 0);
	a->numa_node = OPTS_GET(opts, numa_node, 0);
	a->map_ifindex = OPTS_GET(opts, map_ifindex, 0);
	a->map_token_fd = OPTS_GET(opts, token_fd, 0);
	a->excl_prog_hash = evbpf__ptr_to_u64(OPTS_GET(opts, excl_prog_hash, NULL));
	a->excl_prog_hash_size = OPTS_GET(opts, excl_prog_hash_size, 0);

	if (!log_opts || !evbpf__feat_supported(EVBPF_FEAT_COMMON_ATTRS)) {
		/* a kernel without common attributes writes no log */
		OPTS_SET(log_opts, true_size, 0);
		return evbpf__err(evbpf__sys_bpf_fd(BPF_MAP_CREATE, &attr, sizeof(*a)));
	}
	memset(&common, 0, sizeof(common));
	common.log_buf = evbpf__ptr_to_u64(OPTS_GET(log_opts, buf, NULL));
	common.log_size = OPTS_GET(log_opts, size, 0);
	common.log_level = OPTS_GET(log_opts, level, 0);
	fd = evbpf__sys_bpf_common_fd(BPF_MAP_CREATE, &attr, sizeof(*a), &common,
				      sizeof(common));
	OPTS_SET(log_opts, true_size, common.log_true_size);
	return evbpf__err(fd);
}

/* ---- element operations ---- */

static int map_elem_op(int cmd, int fd, const void *key, const void *value,
		       __u64 flags)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.elem.map_fd = fd;
	attr.elem.key = evbpf__ptr_to_u64(key);
	attr.elem.value = evbpf__ptr_to_u64(value);
	attr.elem.flags = flags;
	return evbpf__err(evbpf__sys_bpf(cmd, &attr, sizeof(attr.elem)));
}

LIBBPF_API int bpf_map_update_elem(int fd, const void *key, const void *value,
				   __u64 flags)
{
	return map_elem_op(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
}

LIBBPF_API int bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return map_elem_op(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

LIBBPF_API int bpf_map_lookup_elem_flags(int fd, const void *key, void *value,
					 __u64 flags)
{
	return map_elem_op(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

LIBBPF_API int bpf_map_lookup_and_delete_elem(int fd, const void *key,
					      void *value)
{
	return map_elem_op(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

LIBBPF_API int bpf_map_lookup_and_delete_elem_flags(int fd, const void *key,
						    void *value, __u64 flags)
{
	return map_elem_op(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, flags);
}

LIBBPF_API int bpf_map_delete_elem(int fd, const void *key)
{
	return map_elem_op(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

LIBBPF_API int bpf_map_delete_elem_flags(int fd, const void *key, __u64 flags)
{
	return map_elem_op(BPF_MAP_DELETE_ELEM, fd, key, NULL, flags);
}

LIBBPF_API int bpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	/* the kernel reads next_key from the slot of value */
	return map_elem_op(BPF_MAP_GET_NEXT_KEY, fd, key, next_key, 0);
}

LIBBPF_API int bpf_map_freeze(int fd)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.elem.map_fd = fd;
	return evbpf__err(evbpf__sys_bpf(BPF_MAP_FREEZE, &attr,
					 offsetofend(struct evbpf__attr_map_elem, map_fd)));
}

/* ---- batch operations ---- */

static int map_batch_op(int cmd, int fd, void *in_batch, void *out_batch,
			const void *keys, const void *values, __u32 *count,
			const struct bpf_map_batch_opts *opts)
{
	union evbpf__attr attr;
	int ret;

	if (!OPTS_VALID(opts, bpf_map_batch_opts, flags))
		return evbpf__err(-EINVAL);
	if (!count)
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = fd;
	attr.batch.in_batch = evbpf__ptr_to_u64(in_batch);
	attr.batch.out_batch = evbpf__ptr_to_u64(out_batch);
	attr.batch.keys = evbpf__ptr_to_u64(keys);
	attr.batch.values = evbpf__ptr_to_u64(values);
	attr.batch.count = *count;
	attr.batch.elem_flags = OPTS_GET(opts, elem_flags, 0);
	attr.batch.flags = OPTS_GET(opts, flags, 0);

	ret = evbpf__sys_bpf(cmd, &attr, sizeof(attr.batch));
	/* the kernel reports progress also when it fails part-way */
	*count = attr.batch.count;
	return evbpf__err(ret);
}

LIBBPF_API int bpf_map_delete_batch(int fd, const void *keys, __u32 *count,
				    const struct bpf_map_batch_opts *opts)
{
	return map_batch_op(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL,
			    count, opts);
}

LIBBPF_API int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch,
				    void *keys, void *values, __u32 *count,
				    const struct bpf_map_batch_opts *opts)
{
	return map_batch_op(BPF_MAP_LOOKUP_BATCH, fd, in_batch, out_batch, keys,
			    values, count, opts);
}

LIBBPF_API int bpf_map_lookup_and_delete_batch(int fd, void *in_batch,
					void *out_batch, void *keys,
					void *values, __u32 *count,
					const struct bpf_map_batch_opts *opts)
{
	return map_batch_op(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch,
			    out_batch, keys, values, count, opts);
}

LIBBPF_API int bpf_map_update_batch(int fd, const void *keys, const void *values,
				    __u32 *count,
				    const struct bpf_map_batch_opts *opts)
{
	return map_batch_op(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values,
			    count, opts);
}
