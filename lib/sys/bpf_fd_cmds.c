// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Object-level wrappers of <bpf/bpf.h>: bpffs pin/get, id walks and
 * fd-by-id, object info, task fd queries, statistics, map binding,
 * tokens and program streams.
 */
#include "bpf/bpf.h"
#include "bpf_internal.h"
#include "base/base_internal.h"

/* ---- bpffs ---- */

/* Fills the BPF_OBJ_PIN/BPF_OBJ_GET attr for @pathname (relative to
 * @path_fd when BPF_F_PATH_FD is in @file_flags). */
static void prep_obj_attr(union evbpf__attr *attr, const char *pathname,
			  int path_fd, __u32 file_flags)
{
	memset(attr, 0, sizeof(*attr));
	attr->obj.path_fd = path_fd;
	attr->obj.pathname = evbpf__ptr_to_u64(pathname);
	attr->obj.file_flags = file_flags;
}

LIBBPF_API int bpf_obj_pin_opts(int fd, const char *pathname,
				const struct bpf_obj_pin_opts *opts)
{
	union evbpf__attr attr;

	if (!OPTS_VALID(opts, bpf_obj_pin_opts, path_fd))
		return evbpf__err(-EINVAL);
	if (!pathname)
		return evbpf__err(-EINVAL);

	prep_obj_attr(&attr, pathname, OPTS_GET(opts, path_fd, 0),
		      OPTS_GET(opts, file_flags, 0));
	attr.obj.bpf_fd = fd;
	return evbpf__err(evbpf__sys_bpf(BPF_OBJ_PIN, &attr, sizeof(attr.obj)));
}

LIBBPF_API int bpf_obj_pin(int fd, const char *pathname)
{
	return bpf_obj_pin_opts(fd, pathname, NULL);
}

LIBBPF_API int bpf_obj_get_opts(const char *pathname,
				const struct bpf_obj_get_opts *opts)
{
	union evbpf__attr attr;

	if (!OPTS_VALID(opts, bpf_obj_get_opts, path_fd))
		return evbpf__err(-EINVAL);
	if (!pathname)
		return evbpf__err(-EINVAL);

	prep_obj_attr(&attr, pathname, OPTS_GET(opts, path_fd, 0),
		      OPTS_GET(opts, file_flags, 0));
	return evbpf__err(evbpf__sys_bpf_fd(BPF_OBJ_GET, &attr, sizeof(attr.obj)));
}

LIBBPF_API int bpf_obj_get(const char *pathname)
{
	return bpf_obj_get_opts(pathname, NULL);
}

/* ---- ids ---- */

static int get_next_id(int cmd, __u32 start_id, __u32 *next_id)
{
	union evbpf__attr attr;
	int ret;

	if (!next_id)
		return evbpf__err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.id.start_id = start_id;
	ret = evbpf__sys_bpf(cmd, &attr,
			     offsetofend(struct evbpf__attr_get_id, next_id));
	if (ret == 0)
		*next_id = attr.id.next_id;
	return evbpf__err(ret);
}

LIBBPF_API int bpf_prog_get_next_id(__u32 start_id, __u32 *next_id)
{
	return get_next_id(BPF_PROG_GET_NEXT_ID, start_id, next_id);
}

LIBBPF_API int bpf_map_get_next_id(__u32 start_id, __u32 *next_id)
{
	return get_next_id(BPF_MAP_GET_NEXT_ID, start_id, next_id);
}

LIBBPF_API int bpf_btf_get_next_id(__u32 start_id, __u32 *next_id)
{
	return get_next_id(BPF_BTF_GET_NEXT_ID, start_id, next_id);
}

LIBBPF_API int bpf_link_get_next_id(__u32 start_id, __u32 *next_id)
{
	return get_next_id(BPF_LINK_GET_NEXT_ID, start_id, next_id);
}

static int get_fd_by_id(int cmd, __u32 id,
			const struct bpf_get_fd_by_id_opts *opts)
{
	union evbpf__attr attr;
	unsigned int size;

	if (!OPTS_VALID(opts, bpf_get_fd_by_id_opts, token_fd))
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	attr.id.start_id = id;
	attr.id.open_flags = OPTS_GET(opts, open_flags, 0);
	attr.id.fd_by_id_token_fd = OPTS_GET(opts, token_fd, 0);
	/* kernels without token support reject the longer block only when
	 * a token is really passed */
	size = attr.id.fd_by_id_token_fd ? sizeof(attr.id) :
		offsetofend(struct evbpf__attr_get_id, open_flags);
	return evbpf__err(evbpf__sys_bpf_fd(cmd, &attr, size));
}

LIBBPF_API int bpf_prog_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts)
{
	return get_fd_by_id(BPF_PROG_GET_FD_BY_ID, id, opts);
}

LIBBPF_API int bpf_prog_get_fd_by_id(__u32 id)
{
	return get_fd_by_id(BPF_PROG_GET_FD_BY_ID, id, NULL);
}

LIBBPF_API int bpf_map_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts)
{
	return get_fd_by_id(BPF_MAP_GET_FD_BY_ID, id, opts);
}

LIBBPF_API int bpf_map_get_fd_by_id(__u32 id)
{
	return get_fd_by_id(BPF_MAP_GET_FD_BY_ID, id, NULL);
}

LIBBPF_API int bpf_btf_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts)
{
	return get_fd_by_id(BPF_BTF_GET_FD_BY_ID, id, opts);
}

LIBBPF_API int bpf_btf_get_fd_by_id(__u32 id)
{
	return get_fd_by_id(BPF_BTF_GET_FD_BY_ID, id, NULL);
}

LIBBPF_API int bpf_link_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts)
{
	return get_fd_by_id(BPF_LINK_GET_FD_BY_ID, id, opts);
}

LIBBPF_API int bpf_link_get_fd_by_id(__u32 id)
{
	return get_fd_by_id(BPF_LINK_GET_FD_BY_ID, id, NULL);
}

/* ---- info ---- */

LIBBPF_API int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len)
{
	union evbpf__attr attr;
	int ret;

	if (!info_len)
		return evbpf__err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = bpf_fd;
	attr.info.info_len = *info_len;
	attr.info.info = evbpf__ptr_to_u64(info);

	ret = evbpf__sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr.info));
	if (ret == 0)
		*info_len = attr.info.info_len;
	return evbpf__err(ret);
}

LIBBPF_API int bpf_prog_get_info_by_fd(int prog_fd, struct bpf_prog_info *info,
				       __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(prog_fd, info, info_len);
}

LIBBPF_API int bpf_map_get_info_by_fd(int map_fd, struct bpf_map_info *info,
				      __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(map_fd, info, info_len);
}

LIBBPF_API int bpf_btf_get_info_by_fd(int btf_fd, struct bpf_btf_info *info,
				      __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(btf_fd, info, info_len);
}

LIBBPF_API int bpf_link_get_info_by_fd(int link_fd, struct bpf_link_info *info,
				       __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(link_fd, info, info_len);
}

LIBBPF_API int bpf_task_fd_query(int pid, int fd, __u32 flags, char *buf,
				 __u32 *buf_len, __u32 *prog_id, __u32 *fd_type,
				 __u64 *probe_offset, __u64 *probe_addr)
{
	struct evbpf__attr_task_fd_query *q;
	union evbpf__attr attr;
	int ret;

	if (!buf_len || !prog_id || !fd_type || !probe_offset || !probe_addr)
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	q = &attr.task_fd_query;
	q->pid = pid;
	q->fd = fd;
	q->flags = flags;
	q->buf = evbpf__ptr_to_u64(buf);
	q->buf_len = *buf_len;

	ret = evbpf__sys_bpf(BPF_TASK_FD_QUERY, &attr, sizeof(*q));

	/* buf_len reports the needed size also on -ENOSPC */
	*buf_len = q->buf_len;
	*prog_id = q->prog_id;
	*fd_type = q->fd_type;
	*probe_offset = q->probe_offset;
	*probe_addr = q->probe_addr;
	return evbpf__err(ret);
}

/* ---- statistics, binding, tokens ---- */

LIBBPF_API int bpf_enable_stats(enum bpf_stats_type type)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = type;
	return evbpf__err(evbpf__sys_bpf_fd(BPF_ENABLE_STATS, &attr,
					    sizeof(attr.enable_stats)));
}

LIBBPF_API int bpf_prog_bind_map(int prog_fd, int map_fd,
				 const struct bpf_prog_bind_opts *opts)
{
	union evbpf__attr attr;

	if (!OPTS_VALID(opts, bpf_prog_bind_opts, flags))
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	attr.prog_bind_map.prog_fd = prog_fd;
	attr.prog_bind_map.map_fd = map_fd;
	attr.prog_bind_map.flags = OPTS_GET(opts, flags, 0);
	return evbpf__err(evbpf__sys_bpf(BPF_PROG_BIND_MAP, &attr,
					 sizeof(attr.prog_bind_map)));
}

LIBBPF_API int bpf_token_create(int bpffs_fd, struct bpf_token_create_opts *opts)
{
	union evbpf__attr attr;

	if (!OPTS_VALID(opts, bpf_token_create_opts, flags))
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	attr.token_create.bpffs_fd = bpffs_fd;
	attr.token_create.flags = OPTS_GET(opts, flags, 0);
	return evbpf__err(evbpf__sys_bpf_fd(BPF_TOKEN_CREATE, &attr,
					    sizeof(attr.token_create)));
}

LIBBPF_API int bpf_prog_stream_read(int prog_fd, __u32 stream_id, void *buf,
				    __u32 buf_len,
				    struct bpf_prog_stream_read_opts *opts)
{
	union evbpf__attr attr;

	if (!OPTS_VALID(opts, bpf_prog_stream_read_opts, sz))
		return evbpf__err(-EINVAL);

	memset(&attr, 0, sizeof(attr));
	attr.stream_read.stream_buf = evbpf__ptr_to_u64(buf);
	attr.stream_read.stream_buf_len = buf_len;
	attr.stream_read.stream_id = stream_id;
	attr.stream_read.prog_fd = prog_fd;
	return evbpf__err(evbpf__sys_bpf(BPF_PROG_STREAM_READ_BY_FD, &attr,
					 sizeof(attr.stream_read)));
}
