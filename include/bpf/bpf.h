/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Low-level API: one thin wrapper per bpf(2) command, with libbpf 1.x names,
 * signatures and option structs.
 *
 * Conventions shared by every call here:
 *  - integers: >= 0 on success, -errno on failure, and errno is set too;
 *  - options structs start with `size_t sz` (use LIBBPF_OPTS()); bytes past
 *    the fields this library knows must be zero, or the call fails -EINVAL;
 *  - every fd returned is O_CLOEXEC, never 0, 1 or 2, and owned by the
 *    caller, who closes it.
 */
#ifndef __LIBBPF_BPF_H
#define __LIBBPF_BPF_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libbpf_common.h"
#include "libbpf_legacy.h"
#include "bpf_uapi_ext.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Sets the RLIMIT_MEMLOCK value evbpf raises the limit to, once,
 * before the first map, program or BTF is created -- only on kernels that
 * still charge BPF memory to that limit (before 5.11's memcg accounting).
 * 0 turns the raising off. The default is RLIM_INFINITY.
 * @return 0, or -EBUSY when the limit was raised already
 */
LIBBPF_API int libbpf_set_memlock_rlim(size_t memlock_bytes);

/* ---- maps ---- */

/* A kernel log for commands other than program and BTF loads (kernels
 * after 6.18; older ones write none and report true_size 0). */
struct bpf_log_opts {
	size_t sz; /* sizeof(struct bpf_log_opts) */

	char *buf;
	__u32 size;
	__u32 level;
	__u32 true_size; /* out: bytes the whole log needed, set by the kernel */

	size_t :0;
};
#define bpf_log_opts__last_field true_size

struct bpf_map_create_opts {
	size_t sz; /* sizeof(struct bpf_map_create_opts) */

	__u32 btf_fd;
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
	__u32 btf_vmlinux_value_type_id;

	__u32 inner_map_fd;
	__u32 map_flags;
	__u64 map_extra;

	__u32 numa_node;
	__u32 map_ifindex;
	__s32 value_type_btf_obj_fd;

	__u32 token_fd;

	/* exclusive map (kernels from 6.18 on): the SHA-256 of the only
	 * program allowed to use the map, and its size in bytes (32) */
	const void *excl_prog_hash;
	__u32 excl_prog_hash_size;

	/* the kernel's log of the creation (see struct bpf_log_opts) */
	struct bpf_log_opts *log_opts;
	size_t :0;
};
#define bpf_map_create_opts__last_field log_opts

/**
 * @brief Creates a map (BPF_MAP_CREATE). @p map_name may be NULL; it is
 * truncated to BPF_OBJ_NAME_LEN - 1 characters.
 * @return a new map fd, or -errno
 */
LIBBPF_API int bpf_map_create(enum bpf_map_type map_type,
			      const char *map_name,
			      __u32 key_size,
			      __u32 value_size,
			      __u32 max_entries,
			      const struct bpf_map_create_opts *opts);

/**
 * @brief Stores @p value under @p key. @p flags: BPF_ANY, BPF_NOEXIST,
 * BPF_EXIST, optionally | BPF_F_LOCK.
 * @return 0, or -errno
 */
LIBBPF_API int bpf_map_update_elem(int fd, const void *key, const void *value,
				   __u64 flags);

/**
 * @brief Copies the value stored under @p key into @p value.
 * @return 0, -ENOENT when there is no such key, or another -errno
 */
LIBBPF_API int bpf_map_lookup_elem(int fd, const void *key, void *value);
/** @brief bpf_map_lookup_elem() with @p flags (BPF_F_LOCK). */
LIBBPF_API int bpf_map_lookup_elem_flags(int fd, const void *key, void *value,
					 __u64 flags);
/**
 * @brief Copies out and removes the value under @p key; for queue and stack
 * maps @p key is NULL and the head element is popped.
 * @return 0, -ENOENT when empty / no such key, or another -errno
 */
LIBBPF_API int bpf_map_lookup_and_delete_elem(int fd, const void *key,
					      void *value);
/** @brief bpf_map_lookup_and_delete_elem() with @p flags (BPF_F_LOCK). */
LIBBPF_API int bpf_map_lookup_and_delete_elem_flags(int fd, const void *key,
						    void *value, __u64 flags);
/** @brief Removes @p key. @return 0, -ENOENT, or another -errno */
LIBBPF_API int bpf_map_delete_elem(int fd, const void *key);
/** @brief bpf_map_delete_elem() with @p flags. */
LIBBPF_API int bpf_map_delete_elem_flags(int fd, const void *key, __u64 flags);
/**
 * @brief Writes the key following @p key (the first key when @p key is NULL
 * or absent) into @p next_key.
 * @return 0, -ENOENT after the last key, or another -errno
 */
LIBBPF_API int bpf_map_get_next_key(int fd, const void *key, void *next_key);
/** @brief Makes the map read-only for user space from now on. @return 0 or -errno */
LIBBPF_API int bpf_map_freeze(int fd);

struct bpf_map_batch_opts {
	size_t sz; /* sizeof(struct bpf_map_batch_opts) */
	__u64 elem_flags;
	__u64 flags;
};
#define bpf_map_batch_opts__last_field flags

/**
 * @brief Deletes the *@p count keys at @p keys in one call. On return
 * *@p count holds how many were deleted, also on error.
 * @return 0, or -errno
 */
LIBBPF_API int bpf_map_delete_batch(int fd, const void *keys,
				    __u32 *count,
				    const struct bpf_map_batch_opts *opts);

/**
 * @brief Reads up to *@p count elements into @p keys / @p values. Start with
 * @p in_batch NULL; @p out_batch (a key-sized cookie) receives where to
 * continue: pass it as @p in_batch of the next call. *@p count is set to the
 * number read; -ENOENT means the walk reached the end (elements may still
 * have been returned).
 * @return 0, or -errno
 */
LIBBPF_API int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch,
				    void *keys, void *values, __u32 *count,
				    const struct bpf_map_batch_opts *opts);

/** @brief bpf_map_lookup_batch() that also deletes what it returns. */
LIBBPF_API int bpf_map_lookup_and_delete_batch(int fd, void *in_batch,
					void *out_batch, void *keys,
					void *values, __u32 *count,
					const struct bpf_map_batch_opts *opts);

/**
 * @brief Stores *@p count key/value pairs. *@p count is set to the number
 * stored, also on error.
 * @return 0, or -errno
 */
LIBBPF_API int bpf_map_update_batch(int fd, const void *keys, const void *values,
				    __u32 *count,
				    const struct bpf_map_batch_opts *opts);

/* ---- programs ---- */

struct bpf_prog_load_opts {
	size_t sz; /* sizeof(struct bpf_prog_load_opts) */

	/* How many times to try when the kernel answers -EAGAIN; 0 means 5. */
	int attempts;

	enum bpf_attach_type expected_attach_type;
	__u32 prog_btf_fd;
	__u32 prog_flags;
	__u32 prog_ifindex;
	__u32 kern_version;

	__u32 attach_btf_id;
	__u32 attach_prog_fd;
	__u32 attach_btf_obj_fd;

	const int *fd_array;

	/* .BTF.ext func_info records */
	const void *func_info;
	__u32 func_info_cnt;
	__u32 func_info_rec_size;

	/* .BTF.ext line_info records */
	const void *line_info;
	__u32 line_info_cnt;
	__u32 line_info_rec_size;

	/* Verifier log: level 0 means "only on failure, if a buffer is given". */
	__u32 log_level;
	__u32 log_size;
	char *log_buf;
	/* Out: size the whole log needed, terminating NUL included (may be
	 * larger than log_size when the log was truncated). */
	__u32 log_true_size;
	__u32 token_fd;

	/* Number of entries of fd_array, when the kernel should see them all. */
	__u32 fd_array_cnt;
	size_t :0;
};
#define bpf_prog_load_opts__last_field fd_array_cnt

/**
 * @brief Loads a program (BPF_PROG_LOAD) of @p insn_cnt instructions.
 * @p prog_name may be NULL. With a log buffer and level 0, the load is
 * retried at level 1 on failure so the buffer explains why.
 * @return a new program fd, or -errno
 */
LIBBPF_API int bpf_prog_load(enum bpf_prog_type prog_type,
			     const char *prog_name, const char *license,
			     const struct bpf_insn *insns, size_t insn_cnt,
			     struct bpf_prog_load_opts *opts);

/* Flags to direct loading requirements */
#define MAPS_RELAX_COMPAT	0x01

/* Recommended log buffer size */
#define BPF_LOG_BUF_SIZE (UINT32_MAX >> 8)

struct bpf_btf_load_opts {
	size_t sz; /* sizeof(struct bpf_btf_load_opts) */

	char *log_buf;
	__u32 log_level;
	__u32 log_size;
	/* Out: size the whole log needed, NUL included. */
	__u32 log_true_size;

	__u32 btf_flags;
	__u32 token_fd;
	size_t :0;
};
#define bpf_btf_load_opts__last_field token_fd

/**
 * @brief Loads raw BTF (header + types + strings) into the kernel.
 * @return a new BTF fd, or -errno
 */
LIBBPF_API int bpf_btf_load(const void *btf_data, size_t btf_size,
			    struct bpf_btf_load_opts *opts);

/* ---- bpffs ---- */

struct bpf_obj_pin_opts {
	size_t sz; /* sizeof(struct bpf_obj_pin_opts) */

	__u32 file_flags;
	/* With BPF_F_PATH_FD in file_flags: pathname is relative to this. */
	int path_fd;

	size_t :0;
};
#define bpf_obj_pin_opts__last_field path_fd

/** @brief Pins the map/program/link/BTF @p fd at @p pathname in a bpffs. @return 0 or -errno */
LIBBPF_API int bpf_obj_pin(int fd, const char *pathname);
/** @brief bpf_obj_pin() with options (path_fd). */
LIBBPF_API int bpf_obj_pin_opts(int fd, const char *pathname,
				const struct bpf_obj_pin_opts *opts);

struct bpf_obj_get_opts {
	size_t sz; /* sizeof(struct bpf_obj_get_opts) */

	__u32 file_flags; /* BPF_F_RDONLY, BPF_F_WRONLY, BPF_F_PATH_FD */
	int path_fd;

	size_t :0;
};
#define bpf_obj_get_opts__last_field path_fd

/** @brief Opens the object pinned at @p pathname. @return a new fd, or -errno */
LIBBPF_API int bpf_obj_get(const char *pathname);
/** @brief bpf_obj_get() with options (access flags, path_fd). */
LIBBPF_API int bpf_obj_get_opts(const char *pathname,
				const struct bpf_obj_get_opts *opts);

/* ---- attach / detach / query (BPF_PROG_ATTACH family) ---- */

struct bpf_prog_attach_opts {
	size_t sz; /* sizeof(struct bpf_prog_attach_opts) */
	__u32 flags;
	union {
		int replace_prog_fd;
		int replace_fd;
	};
	/* tcx/netkit ordering: BPF_F_BEFORE/AFTER relative to this fd or id */
	int relative_fd;
	__u32 relative_id;
	__u64 expected_revision;
	size_t :0;
};
#define bpf_prog_attach_opts__last_field expected_revision

struct bpf_prog_detach_opts {
	size_t sz; /* sizeof(struct bpf_prog_detach_opts) */
	__u32 flags;
	int relative_fd;
	__u32 relative_id;
	__u64 expected_revision;
	size_t :0;
};
#define bpf_prog_detach_opts__last_field expected_revision

/** @brief Attaches @p prog_fd to @p attachable_fd (cgroup, sockmap, ...). @return 0 or -errno */
LIBBPF_API int bpf_prog_attach(int prog_fd, int attachable_fd,
			       enum bpf_attach_type type, unsigned int flags);
/** @brief bpf_prog_attach() with options (replace, tcx ordering). */
LIBBPF_API int bpf_prog_attach_opts(int prog_fd, int attachable_fd,
				     enum bpf_attach_type type,
				     const struct bpf_prog_attach_opts *opts);
/** @brief Detaches whatever program of @p type is attached to @p attachable_fd. */
LIBBPF_API int bpf_prog_detach(int attachable_fd, enum bpf_attach_type type);
/** @brief Detaches program @p prog_fd of @p type from @p attachable_fd. */
LIBBPF_API int bpf_prog_detach2(int prog_fd, int attachable_fd,
				enum bpf_attach_type type);
/** @brief bpf_prog_detach2() with options (tcx ordering, revision). */
LIBBPF_API int bpf_prog_detach_opts(int prog_fd, int target,
				    enum bpf_attach_type type,
				    const struct bpf_prog_detach_opts *opts);

/* ---- links ---- */

union bpf_iter_link_info; /* defined in linux/bpf.h */
struct bpf_link_create_opts {
	size_t sz; /* sizeof(struct bpf_link_create_opts) */
	__u32 flags;
	union bpf_iter_link_info *iter_info;
	__u32 iter_info_len;
	__u32 target_btf_id;
	union {
		struct {
			__u64 bpf_cookie;
		} perf_event;
		struct {
			__u32 flags;
			__u32 cnt;
			const char **syms;
			const unsigned long *addrs;
			const __u64 *cookies;
		} kprobe_multi;
		struct {
			__u32 flags;
			__u32 cnt;
			const char *path;
			const unsigned long *offsets;
			const unsigned long *ref_ctr_offsets;
			const __u64 *cookies;
			__u32 pid;
		} uprobe_multi;
		struct {
			__u64 cookie;
		} tracing;
		struct {
			__u32 pf;
			__u32 hooknum;
			__s32 priority;
			__u32 flags;
		} netfilter;
		struct {
			__u32 relative_fd;
			__u32 relative_id;
			__u64 expected_revision;
		} tcx;
		struct {
			__u32 relative_fd;
			__u32 relative_id;
			__u64 expected_revision;
		} netkit;
		struct {
			__u32 relative_fd;
			__u32 relative_id;
			__u64 expected_revision;
		} cgroup;
		/* BPF_TRACE_FENTRY_MULTI, _FEXIT_MULTI, _FSESSION_MULTI: kernel
		 * BTF ids of the functions, optional cookies, their count */
		struct {
			const __u32 *ids;
			const __u64 *cookies;
			__u32 cnt;
		} tracing_multi;
	};
	size_t :0;
};
#define bpf_link_create_opts__last_field uprobe_multi.pid

/**
 * @brief Creates a link (BPF_LINK_CREATE) attaching @p prog_fd to
 * @p target_fd (cgroup, ifindex, perf event fd, BTF id, ... per type).
 * @return a new link fd, or -errno
 */
LIBBPF_API int bpf_link_create(int prog_fd, int target_fd,
			       enum bpf_attach_type attach_type,
			       const struct bpf_link_create_opts *opts);

/** @brief Detaches a link while its fd stays open. @return 0 or -errno */
LIBBPF_API int bpf_link_detach(int link_fd);

struct bpf_link_update_opts {
	size_t sz; /* sizeof(struct bpf_link_update_opts) */
	__u32 flags;	   /* BPF_F_REPLACE: only if old_prog_fd is current */
	__u32 old_prog_fd;
	__u32 old_map_fd;  /* struct_ops links */
	size_t :0;
};
#define bpf_link_update_opts__last_field old_map_fd

/** @brief Swaps the program of a link for @p new_prog_fd. @return 0 or -errno */
LIBBPF_API int bpf_link_update(int link_fd, int new_prog_fd,
			       const struct bpf_link_update_opts *opts);

/** @brief Makes a readable iterator fd from an iter link. @return a new fd, or -errno */
LIBBPF_API int bpf_iter_create(int link_fd);

struct bpf_raw_tp_opts {
	size_t sz; /* sizeof(struct bpf_raw_tp_opts) */
	const char *tp_name;
	__u64 cookie;
	size_t :0;
};
#define bpf_raw_tp_opts__last_field cookie

/** @brief Attaches a raw tracepoint / tracing program. @return a new link fd, or -errno */
LIBBPF_API int bpf_raw_tracepoint_open_opts(int prog_fd, struct bpf_raw_tp_opts *opts);
/** @brief bpf_raw_tracepoint_open_opts() with just a tracepoint @p name (or NULL). */
LIBBPF_API int bpf_raw_tracepoint_open(const char *name, int prog_fd);

/* ---- ids, fds and info ---- */

/**
 * @brief Writes the smallest id greater than @p start_id into *@p next_id.
 * @return 0, -ENOENT after the last one, or another -errno
 */
LIBBPF_API int bpf_prog_get_next_id(__u32 start_id, __u32 *next_id);
LIBBPF_API int bpf_map_get_next_id(__u32 start_id, __u32 *next_id);
LIBBPF_API int bpf_btf_get_next_id(__u32 start_id, __u32 *next_id);
LIBBPF_API int bpf_link_get_next_id(__u32 start_id, __u32 *next_id);

struct bpf_get_fd_by_id_opts {
	size_t sz; /* sizeof(struct bpf_get_fd_by_id_opts) */
	__u32 open_flags; /* BPF_F_RDONLY / BPF_F_WRONLY (maps) */
	__u32 token_fd;
	size_t :0;
};
#define bpf_get_fd_by_id_opts__last_field token_fd

/** @brief Opens the object with id @p id. @return a new fd, or -errno (-ENOENT: no such id) */
LIBBPF_API int bpf_prog_get_fd_by_id(__u32 id);
LIBBPF_API int bpf_prog_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts);
LIBBPF_API int bpf_map_get_fd_by_id(__u32 id);
LIBBPF_API int bpf_map_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts);
LIBBPF_API int bpf_btf_get_fd_by_id(__u32 id);
LIBBPF_API int bpf_btf_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts);
LIBBPF_API int bpf_link_get_fd_by_id(__u32 id);
LIBBPF_API int bpf_link_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts);

/**
 * @brief Fills @p info (a struct bpf_{prog,map,btf,link}_info matching the
 * fd) with up to *@p info_len bytes; *@p info_len is set to the bytes the
 * kernel wrote. Pointer fields inside @p info are caller buffers.
 * @return 0, or -errno
 */
LIBBPF_API int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len);
/** @brief Typed bpf_obj_get_info_by_fd() for a program fd. */
LIBBPF_API int bpf_prog_get_info_by_fd(int prog_fd, struct bpf_prog_info *info,
				       __u32 *info_len);
/** @brief Typed bpf_obj_get_info_by_fd() for a map fd. */
LIBBPF_API int bpf_map_get_info_by_fd(int map_fd, struct bpf_map_info *info,
				      __u32 *info_len);
/** @brief Typed bpf_obj_get_info_by_fd() for a BTF fd. */
LIBBPF_API int bpf_btf_get_info_by_fd(int btf_fd, struct bpf_btf_info *info,
				      __u32 *info_len);
/** @brief Typed bpf_obj_get_info_by_fd() for a link fd. */
LIBBPF_API int bpf_link_get_info_by_fd(int link_fd, struct bpf_link_info *info,
				       __u32 *info_len);

struct bpf_prog_query_opts {
	size_t sz; /* sizeof(struct bpf_prog_query_opts) */
	__u32 query_flags;
	__u32 attach_flags;	/* out */
	__u32 *prog_ids;
	union {
		/* in: capacity of prog_ids; out: programs attached */
		__u32 prog_cnt;
		__u32 count;
	};
	__u32 *prog_attach_flags;
	__u32 *link_ids;
	__u32 *link_attach_flags;
	__u64 revision;		/* out */
	size_t :0;
};
#define bpf_prog_query_opts__last_field revision

/**
 * @brief Lists the programs of @p type attached to @p target (a cgroup fd,
 * ifindex, netns fd, ...).
 * @return 0, or -errno
 */
LIBBPF_API int bpf_prog_query_opts(int target,
				   enum bpf_attach_type type,
				   struct bpf_prog_query_opts *opts);
/** @brief bpf_prog_query_opts() with positional arguments. */
LIBBPF_API int bpf_prog_query(int target_fd, enum bpf_attach_type type,
			      __u32 query_flags, __u32 *attach_flags,
			      __u32 *prog_ids, __u32 *prog_cnt);

/**
 * @brief Describes what BPF program fd @p fd of process @p pid is attached
 * to (tracepoint name or probe target into @p buf, *@p buf_len in/out).
 * @return 0, or -errno
 */
LIBBPF_API int bpf_task_fd_query(int pid, int fd, __u32 flags, char *buf,
				 __u32 *buf_len, __u32 *prog_id, __u32 *fd_type,
				 __u64 *probe_offset, __u64 *probe_addr);

#ifdef __cplusplus
/* C++ cannot forward-declare a C enum without its underlying type. */
LIBBPF_API int bpf_enable_stats(int type);
#else
enum bpf_stats_type; /* defined in linux/bpf.h */
/**
 * @brief Turns on kernel-wide statistics of @p type (BPF_STATS_RUN_TIME)
 * while the returned fd stays open.
 * @return a new fd, or -errno
 */
LIBBPF_API int bpf_enable_stats(enum bpf_stats_type type);
#endif

struct bpf_prog_bind_opts {
	size_t sz; /* sizeof(struct bpf_prog_bind_opts) */
	__u32 flags;
};
#define bpf_prog_bind_opts__last_field flags

/** @brief Keeps @p map_fd's map alive as long as the program lives. @return 0 or -errno */
LIBBPF_API int bpf_prog_bind_map(int prog_fd, int map_fd,
				 const struct bpf_prog_bind_opts *opts);

struct bpf_test_run_opts {
	size_t sz; /* sizeof(struct bpf_test_run_opts) */
	const void *data_in; /* optional */
	void *data_out;      /* optional */
	__u32 data_size_in;
	__u32 data_size_out; /* in: capacity of data_out; out: bytes written */
	const void *ctx_in;  /* optional */
	void *ctx_out;       /* optional */
	__u32 ctx_size_in;
	__u32 ctx_size_out;  /* in: capacity of ctx_out; out: bytes written */
	__u32 retval;        /* out: the program's return value */
	int repeat;
	__u32 duration;      /* out: average ns per run */
	__u32 flags;
	__u32 cpu;
	__u32 batch_size;
};
#define bpf_test_run_opts__last_field batch_size

/**
 * @brief Runs the program in the kernel on the given input (BPF_PROG_RUN);
 * the outputs land in @p opts.
 * @return 0, or -errno
 */
LIBBPF_API int bpf_prog_test_run_opts(int prog_fd,
				      struct bpf_test_run_opts *opts);

/* ---- program streams ---- */

struct bpf_prog_stream_read_opts {
	size_t sz; /* sizeof(struct bpf_prog_stream_read_opts) */
	size_t :0;
};
#define bpf_prog_stream_read_opts__last_field sz

/**
 * @brief Reads up to @p buf_len bytes of what program @p prog_fd wrote to
 * its stream @p stream_id (BPF_STREAM_STDOUT or BPF_STREAM_STDERR; the kernel writes
 * faults and stalls to BPF_STREAM_STDERR). Read data is consumed.
 * @return the number of bytes read (0 when the stream is empty), or -errno
 */
LIBBPF_API int bpf_prog_stream_read(int prog_fd, __u32 stream_id, void *buf,
				    __u32 buf_len,
				    struct bpf_prog_stream_read_opts *opts);

/* ---- struct_ops association ---- */

struct bpf_prog_assoc_struct_ops_opts {
	size_t sz; /* sizeof(struct bpf_prog_assoc_struct_ops_opts) */
	__u32 flags;
	size_t :0;
};
#define bpf_prog_assoc_struct_ops_opts__last_field flags

/**
 * @brief Associates program @p prog_fd with struct_ops map @p map_fd
 * (BPF_PROG_ASSOC_STRUCT_OPS, kernels from 6.19 on): kfuncs called by the
 * program can then find the struct_ops instance it serves.
 * @return 0, or -errno (-EINVAL from kernels without the command)
 */
LIBBPF_API int bpf_prog_assoc_struct_ops(int prog_fd, int map_fd,
					 struct bpf_prog_assoc_struct_ops_opts *opts);

/* ---- tokens ---- */

struct bpf_token_create_opts {
	size_t sz; /* sizeof(struct bpf_token_create_opts) */
	__u32 flags;
	size_t :0;
};
#define bpf_token_create_opts__last_field flags

/**
 * @brief Creates a BPF token from a bpffs mounted with delegation options
 * (@p bpffs_fd: an O_RDONLY fd of the mount's root).
 * @return a new token fd, or -errno
 */
LIBBPF_API int bpf_token_create(int bpffs_fd,
				struct bpf_token_create_opts *opts);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBBPF_BPF_H */
