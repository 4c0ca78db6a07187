/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Our own layout of the bpf(2) attribute block, one struct per command.
 *
 * The system's <linux/bpf.h> may be older than the running kernel and lack
 * fields we need (log_true_size, token fds, path_fd, tcx ordering, ...).
 * The kernel ABI is append-only: each command reads a prefix of the block
 * and requires every byte it does not know to be zero. So each call zeroes
 * a whole union evbpf__attr, fills the command's struct and passes the
 * struct's size; kernels older than a field see zeros past their end.
 *
 * Field order and widths are kernel ABI (as of 6.18); names are ours.
 */
#ifndef EVBPF_LIB_BPF_ATTR_H
#define EVBPF_LIB_BPF_ATTR_H

#include <linux/types.h>

#ifndef __aligned_u64
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#endif

#define EVBPF_OBJ_NAME_LEN 16

struct evbpf__attr_map_create {
	__u32 map_type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
	__u32 inner_map_fd;
	__u32 numa_node;
	char map_name[EVBPF_OBJ_NAME_LEN];
	__u32 map_ifindex;
	__u32 btf_fd;
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
	__u32 btf_vmlinux_value_type_id;
	__aligned_u64 map_extra;
	__s32 value_type_btf_obj_fd;
	__s32 map_token_fd;
	/* exclusive maps (6.18): hash of the only program that may use it */
	__aligned_u64 excl_prog_hash;
	__u32 excl_prog_hash_size;
};

/* BPF_MAP_{LOOKUP,UPDATE,DELETE}_ELEM, GET_NEXT_KEY, LOOKUP_AND_DELETE, FREEZE */
struct evbpf__attr_map_elem {
	__u32 map_fd;
	__aligned_u64 key;
	__aligned_u64 value;	/* next_key for GET_NEXT_KEY */
	__aligned_u64 flags;
};

struct evbpf__attr_map_batch {
	__aligned_u64 in_batch;
	__aligned_u64 out_batch;
	__aligned_u64 keys;
	__aligned_u64 values;
	__u32 count;
	__u32 map_fd;
	__aligned_u64 elem_flags;
	__aligned_u64 flags;
};

struct evbpf__attr_prog_load {
	__u32 prog_type;
	__u32 insn_cnt;
	__aligned_u64 insns;
	__aligned_u64 license;
	__u32 log_level;
	__u32 log_size;
	__aligned_u64 log_buf;
	__u32 kern_version;
	__u32 prog_flags;
	char prog_name[EVBPF_OBJ_NAME_LEN];
	__u32 prog_ifindex;
	__u32 expected_attach_type;
	__u32 prog_btf_fd;
	__u32 func_info_rec_size;
	__aligned_u64 func_info;
	__u32 func_info_cnt;
	__u32 line_info_rec_size;
	__aligned_u64 line_info;
	__u32 line_info_cnt;
	__u32 attach_btf_id;
	__u32 attach_prog_fd;	/* or attach_btf_obj_fd */
	__u32 core_relo_cnt;
	__aligned_u64 fd_array;
	__aligned_u64 core_relos;
	__u32 core_relo_rec_size;
	__u32 log_true_size;
	__s32 prog_token_fd;
	__u32 fd_array_cnt;
};

/* BPF_OBJ_PIN, BPF_OBJ_GET */
struct evbpf__attr_obj {
	__aligned_u64 pathname;
	__u32 bpf_fd;
	__u32 file_flags;
	__s32 path_fd;
};

/* BPF_PROG_ATTACH, BPF_PROG_DETACH */
struct evbpf__attr_prog_attach {
	__u32 target_fd;	/* or target_ifindex */
	__u32 attach_bpf_fd;
	__u32 attach_type;
	__u32 attach_flags;
	__u32 replace_bpf_fd;
	__u32 relative_fd;	/* or relative_id */
	__aligned_u64 expected_revision;
};

struct evbpf__attr_test_run {
	__u32 prog_fd;
	__u32 retval;
	__u32 data_size_in;
	__u32 data_size_out;
	__aligned_u64 data_in;
	__aligned_u64 data_out;
	__u32 repeat;
	__u32 duration;
	__u32 ctx_size_in;
	__u32 ctx_size_out;
	__aligned_u64 ctx_in;
	__aligned_u64 ctx_out;
	__u32 flags;
	__u32 cpu;
	__u32 batch_size;
};

/* BPF_*_GET_NEXT_ID, BPF_*_GET_FD_BY_ID */
struct evbpf__attr_get_id {
	__u32 start_id;		/* or prog_id / map_id / btf_id / link_id */
	__u32 next_id;
	__u32 open_flags;
	__s32 fd_by_id_token_fd;
};

struct evbpf__attr_info {
	__u32 bpf_fd;
	__u32 info_len;
	__aligned_u64 info;
};

struct evbpf__attr_query {
	__u32 target_fd;	/* or target_ifindex */
	__u32 attach_type;
	__u32 query_flags;
	__u32 attach_flags;
	__aligned_u64 prog_ids;
	__u32 prog_cnt;
	__aligned_u64 prog_attach_flags;
	__aligned_u64 link_ids;
	__aligned_u64 link_attach_flags;
	__aligned_u64 revision;
};

struct evbpf__attr_raw_tp {
	__aligned_u64 name;
	__u32 prog_fd;
	__aligned_u64 cookie;
};

struct evbpf__attr_btf_load {
	__aligned_u64 btf;
	__aligned_u64 btf_log_buf;
	__u32 btf_size;
	__u32 btf_log_size;
	__u32 btf_log_level;
	__u32 btf_log_true_size;
	__u32 btf_flags;
	__s32 btf_token_fd;
};

struct evbpf__attr_task_fd_query {
	__u32 pid;
	__u32 fd;
	__u32 flags;
	__u32 buf_len;
	__aligned_u64 buf;
	__u32 prog_id;
	__u32 fd_type;
	__aligned_u64 probe_offset;
	__aligned_u64 probe_addr;
};

struct evbpf__attr_link_create {
	__u32 prog_fd;		/* or map_fd (struct_ops) */
	__u32 target_fd;	/* or target_ifindex */
	__u32 attach_type;
	__u32 flags;
	union {
		__u32 target_btf_id;
		struct {
			__aligned_u64 iter_info;
			__u32 iter_info_len;
		};
		struct {
			__aligned_u64 bpf_cookie;
		} perf_event;
		struct {
			__u32 flags;
			__u32 cnt;
			__aligned_u64 syms;
			__aligned_u64 addrs;
			__aligned_u64 cookies;
		} kprobe_multi;
		struct {
			__u32 target_btf_id;
			__aligned_u64 cookie;
		} tracing;
		struct {
			__u32 pf;
			__u32 hooknum;
			__s32 priority;
			__u32 flags;
		} netfilter;
		/* tcx, netkit and cgroup links share this shape */
		struct {
			__u32 relative_fd;	/* or relative_id */
			__aligned_u64 expected_revision;
		} mprog;
		struct {
			__aligned_u64 path;
			__aligned_u64 offsets;
			__aligned_u64 ref_ctr_offsets;
			__aligned_u64 cookies;
			__u32 cnt;
			__u32 flags;
			__u32 pid;
		} uprobe_multi;
		/* BPF_TRACE_{FENTRY,FEXIT,FSESSION}_MULTI (after 6.19) */
		struct {
			__aligned_u64 ids;	/* kernel BTF ids of functions */
			__aligned_u64 cookies;
			__u32 cnt;
		} tracing_multi;
	};
};

struct evbpf__attr_link_update {
	__u32 link_fd;
	__u32 new_prog_fd;	/* or new_map_fd */
	__u32 flags;
	__u32 old_prog_fd;	/* or old_map_fd */
};

struct evbpf__attr_link_detach {
	__u32 link_fd;
};

struct evbpf__attr_enable_stats {
	__u32 type;
};

struct evbpf__attr_iter_create {
	__u32 link_fd;
	__u32 flags;
};

struct evbpf__attr_prog_bind_map {
	__u32 prog_fd;
	__u32 map_fd;
	__u32 flags;
};

struct evbpf__attr_token_create {
	__u32 flags;
	__u32 bpffs_fd;
};

struct evbpf__attr_stream_read {
	__aligned_u64 stream_buf;
	__u32 stream_buf_len;
	__u32 stream_id;
	__u32 prog_fd;
};

struct evbpf__attr_assoc_struct_ops {
	__u32 map_fd;
	__u32 prog_fd;
	__u32 flags;
};

union evbpf__attr {
	struct evbpf__attr_map_create map_create;
	struct evbpf__attr_map_elem elem;
	struct evbpf__attr_map_batch batch;
	struct evbpf__attr_prog_load prog_load;
	struct evbpf__attr_obj obj;
	struct evbpf__attr_prog_attach attach;
	struct evbpf__attr_test_run test;
	struct evbpf__attr_get_id id;
	struct evbpf__attr_info info;
	struct evbpf__attr_query query;
	struct evbpf__attr_raw_tp raw_tp;
	struct evbpf__attr_btf_load btf_load;
	struct evbpf__attr_task_fd_query task_fd_query;
	struct evbpf__attr_link_create link_create;
	struct evbpf__attr_link_update link_update;
	struct evbpf__attr_link_detach link_detach;
	struct evbpf__attr_enable_stats enable_stats;
	struct evbpf__attr_iter_create iter_create;
	struct evbpf__attr_prog_bind_map prog_bind_map;
	struct evbpf__attr_token_create token_create;
	struct evbpf__attr_stream_read stream_read;
	struct evbpf__attr_assoc_struct_ops assoc_struct_ops;
};

/*
 * Attributes every command may take besides its own (kernels after 6.18):
 * passed as bpf(2)'s 4th and 5th arguments when the command number has
 * EVBPF_BPF_COMMON_ATTRS set. Kernels without them refuse that command
 * number (EINVAL).
 */
#define EVBPF_BPF_COMMON_ATTRS (1U << 16)

struct evbpf__attr_common {
	__aligned_u64 log_buf;
	__u32 log_size;
	__u32 log_level;
	__u32 log_true_size;	/* out: bytes the whole log needs */
};

#endif /* EVBPF_LIB_BPF_ATTR_H */
