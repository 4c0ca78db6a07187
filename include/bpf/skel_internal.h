/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Run-time support of light skeletons (`bpftool gen skeleton -L`,
 * `evbpf-gen skeleton -L`).
 *
 * A light skeleton carries a loader: the instructions of a
 * BPF_PROG_TYPE_SYSCALL program and a data blob. bpf_load_and_run() puts the
 * blob in an array map, loads the loader with that map in its fd_array and
 * runs it once with BPF_PROG_TEST_RUN; the loader creates the object's maps,
 * loads its programs and writes their fds into the skeleton, whose first
 * member is the struct bpf_loader_ctx passed as the run's context.
 *
 * Everything here is static inline and calls bpf(2) directly: a light
 * skeleton links against no BPF library. The struct layouts are the ones
 * generated light skeletons and their loaders read and write; they are an
 * ABI and never change.
 */
#ifndef __SKEL_INTERNAL_H
#define __SKEL_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/types.h>

#include "bpf.h"

/* Under a strict -std=c99/c11 without _DEFAULT_SOURCE, glibc hides
 * syscall() and MAP_ANONYMOUS; both are Linux facts a light skeleton needs. */
#if defined(__GLIBC__) && !defined(__USE_MISC)
extern long int syscall(long int __sysno, ...);
#endif
#ifndef MAP_ANONYMOUS
# if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
     defined(__arm__) || defined(__riscv) || defined(__powerpc__) || \
     defined(__s390__) || defined(__loongarch__)
#  define MAP_ANONYMOUS 0x20
# else
#  error MAP_ANONYMOUS is not known for this architecture
# endif
#endif

#ifndef __NR_bpf
# if defined(__x86_64__)
#  define __NR_bpf 321
# elif defined(__aarch64__) || defined(__riscv) || defined(__loongarch__)
#  define __NR_bpf 280
# elif defined(__i386__)
#  define __NR_bpf 357
# elif defined(__s390__)
#  define __NR_bpf 351
# elif defined(__powerpc__)
#  define __NR_bpf 361
# elif defined(__arm__)
#  define __NR_bpf 386
# else
#  error __NR_bpf is not known for this architecture
# endif
#endif

/* Size of union bpf_attr up to and including FIELD: the bytes a command
 * reads, so that kernels older than these headers accept the call. */
#define __skel_attr_sz(FIELD) \
	(offsetof(union bpf_attr, FIELD) + sizeof(((union bpf_attr *)0)->FIELD))

/* One map of the skeleton. The loader writes map_fd; max_entries and
 * initial_value (the address of the global data's staging copy) are read
 * by the loader. */
struct bpf_map_desc {
	int map_fd;
	__u32 max_entries;
	__aligned_u64 initial_value;
};

/* One program of the skeleton; the loader writes prog_fd. */
struct bpf_prog_desc {
	int prog_fd;
};

enum {
	BPF_SKEL_KERNEL = (1ULL << 0),
};

/* First member of every light skeleton, the loader program's context.
 * sz: bytes of the skeleton the loader may write (maps and progs);
 * log_level/log_size/log_buf: the verifier log of the object's programs. */
struct bpf_loader_ctx {
	__u32 sz;
	__u32 flags;
	__u32 log_level;
	__u32 log_size;
	__u64 log_buf;
};

/* What bpf_load_and_run() needs: ctx is the skeleton; data and insns the
 * loader's blob and instructions. On failure, errstr names the step. */
struct bpf_load_and_run_opts {
	struct bpf_loader_ctx *ctx;
	const void *data;
	const void *insns;
	__u32 data_sz;
	__u32 insns_sz;
	const char *errstr;
};

/**
 * @brief Calls bpf(2) directly.
 * @return the syscall's result: >= 0, or -1 with errno set
 */
static inline int skel_sys_bpf(enum bpf_cmd cmd, union bpf_attr *attr,
			       unsigned int size)
{
	return (int)syscall(__NR_bpf, cmd, attr, size);
}

/**
 * @brief Allocates a zeroed skeleton of @p size bytes.
 * @return the memory, freed with skel_free(); NULL when out of memory
 */
static inline void *skel_alloc(size_t size)
{
	return calloc(1, size);
}

/** @brief Frees what skel_alloc() returned; NULL is accepted. */
static inline void skel_free(const void *p)
{
	free((void *)p);
}

/**
 * @brief Unmaps a global-data section of @p sz bytes at @p p, whether it is
 * still the staging copy or the map's mapping; @p addr is unused.
 */
static inline void skel_free_map_data(void *p, __u64 addr, size_t sz)
{
	(void)addr;
	if (p)
		munmap(p, sz);
}

/**
 * @brief Stages a global-data section before load: an anonymous mapping of
 * @p mmap_sz bytes holding the @p val_sz bytes of @p val. The loader copies
 * it into the map; skel_finalize_map_data() then maps the map over it.
 * @return the mapping, or NULL with errno set
 */
static inline void *skel_prep_map_data(const void *val, size_t mmap_sz,
				       size_t val_sz)
{
	void *addr;

	addr = mmap(NULL, mmap_sz, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED)
		return NULL;
	memcpy(addr, val, val_sz);
	return addr;
}

/**
 * @brief Replaces the staging copy at *@p init_val by a shared mapping of
 * the map @p fd at the same address, with protection @p flags.
 * @return the mapping (the same address), or NULL with errno set
 */
static inline void *skel_finalize_map_data(__u64 *init_val, size_t mmap_sz,
					   int flags, int fd)
{
	void *addr;

	addr = mmap((void *)(long)*init_val, mmap_sz, flags,
		    MAP_SHARED | MAP_FIXED, fd, 0);
	if (addr == MAP_FAILED)
		return NULL;
	return addr;
}

/** @brief Closes @p fd when it is a descriptor a skeleton owns (> 0). */
static inline void skel_closenz(int fd)
{
	if (fd > 0)
		close(fd);
}

/**
 * @brief Creates a map (BPF_MAP_CREATE) named @p map_name.
 * @return the map fd, or -1 with errno set
 */
static inline int skel_map_create(enum bpf_map_type map_type,
				  const char *map_name, __u32 key_size,
				  __u32 value_size, __u32 max_entries)
{
	const unsigned int attr_sz = __skel_attr_sz(map_extra);
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.map_type = map_type;
	strncpy(attr.map_name, map_name, sizeof(attr.map_name) - 1);
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	return skel_sys_bpf(BPF_MAP_CREATE, &attr, attr_sz);
}

/**
 * @brief Stores @p value at @p key in map @p fd (BPF_MAP_UPDATE_ELEM).
 * @return 0, or -1 with errno set
 */
static inline int skel_map_update_elem(int fd, const void *key,
				       const void *value, __u64 flags)
{
	const unsigned int attr_sz = __skel_attr_sz(flags);
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.map_fd = fd;
	attr.key = (__u64)(unsigned long)key;
	attr.value = (__u64)(unsigned long)value;
	attr.flags = flags;
	return skel_sys_bpf(BPF_MAP_UPDATE_ELEM, &attr, attr_sz);
}

/**
 * @brief Deletes @p key from map @p fd (BPF_MAP_DELETE_ELEM).
 * @return 0, or -1 with errno set
 */
static inline int skel_map_delete_elem(int fd, const void *key)
{
	const unsigned int attr_sz = __skel_attr_sz(flags);
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.map_fd = fd;
	attr.key = (__u64)(unsigned long)key;
	return skel_sys_bpf(BPF_MAP_DELETE_ELEM, &attr, attr_sz);
}

/**
 * @brief Opens the map of id @p id (BPF_MAP_GET_FD_BY_ID).
 * @return the map fd, or -1 with errno set
 */
static inline int skel_map_get_fd_by_id(__u32 id)
{
	const unsigned int attr_sz = __skel_attr_sz(open_flags);
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.map_id = id;
	return skel_sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, attr_sz);
}

/**
 * @brief Attaches program @p prog_fd to raw tracepoint @p name, or, with
 * @p name NULL, a tracing program to its BTF target
 * (BPF_RAW_TRACEPOINT_OPEN).
 * @return the attachment fd, or -1 with errno set
 */
static inline int skel_raw_tracepoint_open(const char *name, int prog_fd)
{
	const unsigned int attr_sz = __skel_attr_sz(raw_tracepoint.prog_fd);
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.raw_tracepoint.name = (__u64)(unsigned long)name;
	attr.raw_tracepoint.prog_fd = prog_fd;
	return skel_sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, attr_sz);
}

/**
 * @brief Creates a link of @p prog_fd to @p target_fd (BPF_LINK_CREATE).
 * @return the link fd, or -1 with errno set
 */
static inline int skel_link_create(int prog_fd, int target_fd,
				   enum bpf_attach_type attach_type)
{
	const unsigned int attr_sz = __skel_attr_sz(link_create.iter_info_len);
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.link_create.prog_fd = prog_fd;
	attr.link_create.target_fd = target_fd;
	attr.link_create.attach_type = attach_type;
	return skel_sys_bpf(BPF_LINK_CREATE, &attr, attr_sz);
}

/**
 * @brief Loads a light skeleton: creates the loader's data map from
 * opts->data, loads the opts->insns loader (BPF_PROG_TYPE_SYSCALL,
 * sleepable, the data map as fd_array[0]) and runs it once with
 * opts->ctx as its context. The loader's verifier log goes where
 * ctx->log_buf points when ctx->log_level is set.
 * @return 0 with the skeleton's map and program fds filled in; -errno
 * (errno set too) and opts->errstr naming the failed step otherwise. A
 * negative loader result is the errno of the bpf(2) call the loader made.
 */
static inline int bpf_load_and_run(struct bpf_load_and_run_opts *opts)
{
	const unsigned int load_sz = __skel_attr_sz(fd_array);
	const unsigned int run_sz = __skel_attr_sz(test.ctx_out);
	int map_fd = -1, prog_fd = -1, key = 0, err;
	union bpf_attr attr;

	opts->errstr = NULL;
	if (!opts->ctx || !opts->insns || !opts->data ||
	    opts->insns_sz == 0 || opts->insns_sz % sizeof(struct bpf_insn) ||
	    opts->ctx->sz < sizeof(*opts->ctx)) {
		opts->errstr = "invalid light skeleton loader";
		errno = EINVAL;
		return -EINVAL;
	}

	map_fd = skel_map_create(BPF_MAP_TYPE_ARRAY, "__loader.map", 4,
				 opts->data_sz, 1);
	if (map_fd < 0) {
		opts->errstr = "failed to create loader map";
		err = -errno;
		goto out;
	}
	if (skel_map_update_elem(map_fd, &key, opts->data, 0) < 0) {
		opts->errstr = "failed to update loader map";
		err = -errno;
		goto out;
	}

	memset(&attr, 0, load_sz);
	attr.prog_type = BPF_PROG_TYPE_SYSCALL;
	attr.insns = (__u64)(unsigned long)opts->insns;
	attr.insn_cnt = opts->insns_sz / sizeof(struct bpf_insn);
	attr.license = (__u64)(unsigned long)"Dual BSD/GPL";
	memcpy(attr.prog_name, "__loader.prog", sizeof("__loader.prog"));
	attr.fd_array = (__u64)(unsigned long)&map_fd;
	attr.log_level = opts->ctx->log_level;
	attr.log_size = opts->ctx->log_size;
	attr.log_buf = opts->ctx->log_buf;
	attr.prog_flags = BPF_F_SLEEPABLE;
	prog_fd = skel_sys_bpf(BPF_PROG_LOAD, &attr, load_sz);
	if (prog_fd < 0) {
		opts->errstr = "failed to load loader prog";
		err = -errno;
		goto out;
	}

	memset(&attr, 0, run_sz);
	attr.test.prog_fd = prog_fd;
	attr.test.ctx_in = (__u64)(unsigned long)opts->ctx;
	attr.test.ctx_size_in = opts->ctx->sz;
	err = skel_sys_bpf(BPF_PROG_RUN, &attr, run_sz);
	if (err < 0) {
		opts->errstr = "failed to execute loader prog";
		err = -errno;
		goto out;
	}
	if ((int)attr.test.retval < 0) {
		opts->errstr = "loader prog failed";
		err = (int)attr.test.retval;
		goto out;
	}
	err = 0;
out:
	if (map_fd >= 0)
		close(map_fd);
	if (prog_fd >= 0)
		close(prog_fd);
	if (err < 0)
		errno = -err;
	return err;
}

#endif /* __SKEL_INTERNAL_H */
