/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers of the attach tests: a network namespace with a veth pair made
 * with `ip netns`, raw frames sent through it, and tiny hand-built counting
 * programs. Header-only (static functions), included by the attach tests.
 */
#ifndef EVBPF_TEST_ATTACH_UTIL_H
#define EVBPF_TEST_ATTACH_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "evbpf_test.h"

/* ---- test objects (tests/progs/attach_*.bpf.c with attach_common.h) ---- */

/* Opens and loads tests/progs/@name.bpf.o; sets cfg[0] to our pid. */
static inline struct bpf_object *t_open_load(const char *name)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path(name),
						       NULL);
	struct bpf_map *cfg;
	__u32 key = 0;
	__u64 pid = (__u64)getpid();

	assert_non_null(obj);
	assert_int_equal(bpf_object__load(obj), 0);
	cfg = bpf_object__find_map_by_name(obj, "cfg");
	if (cfg)
		assert_int_equal(bpf_map_update_elem(bpf_map__fd(cfg), &key, &pid, 0), 0);
	return obj;
}

static inline struct bpf_program *t_prog(struct bpf_object *obj, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	assert_non_null(p);
	return p;
}

static inline int t_map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	assert_non_null(m);
	return bpf_map__fd(m);
}

static inline void t_cfg(struct bpf_object *obj, __u32 idx, __u64 v)
{
	assert_int_equal(bpf_map_update_elem(t_map_fd(obj, "cfg"), &idx, &v, 0), 0);
}

static inline __u64 t_get(struct bpf_object *obj, const char *map, __u32 idx)
{
	__u64 v = 0;

	assert_int_equal(bpf_map_lookup_elem(t_map_fd(obj, map), &idx, &v), 0);
	return v;
}

static inline void t_set(struct bpf_object *obj, const char *map, __u32 idx,
			 __u64 v)
{
	assert_int_equal(bpf_map_update_elem(t_map_fd(obj, map), &idx, &v, 0), 0);
}

#define t_count(obj, idx) t_get((obj), "counts", (idx))
#define t_val(obj, idx) t_get((obj), "vals", (idx))

/* ---- hand-built programs ---- */

#define T_INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

/*
 * A program that adds 1 to slot 0 of array map @map_fd (u64 values) and
 * returns @ret. @insns must hold 12 entries; returns the count.
 */
static inline int t_counting_insns(struct bpf_insn *insns, int map_fd, int ret)
{
	int n = 0;

	/* *(u32 *)(r10 - 4) = 0 */
	insns[n++] = T_INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0);
	/* r2 = r10 - 4 */
	insns[n++] = T_INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	insns[n++] = T_INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4);
	/* r1 = map */
	insns[n++] = T_INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd);
	insns[n++] = T_INSN(0, 0, 0, 0, 0);
	insns[n++] = T_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	/* if r0 == 0 goto exit */
	insns[n++] = T_INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 2, 0);
	insns[n++] = T_INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1);
	insns[n++] = T_INSN(BPF_STX | BPF_DW | BPF_ATOMIC, BPF_REG_0, BPF_REG_1, 0, BPF_ADD);
	insns[n++] = T_INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, ret);
	insns[n++] = T_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return n;
}

/* A one-slot u64 array map for the counter. */
static inline int t_counter_map(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "t_counter", 4, 8, 1, NULL);

	assert_true(fd >= 0);
	return fd;
}

static inline __u64 t_counter_read(int map_fd)
{
	__u32 key = 0;
	__u64 v = 0;

	assert_int_equal(bpf_map_lookup_elem(map_fd, &key, &v), 0);
	return v;
}

/* Waits (bounded, ~5 s) until the counter reaches @want; returns its value.
 * Packets and probes may be counted in softirq after the trigger returns. */
static inline __u64 t_counter_wait(int map_fd, __u64 want)
{
	struct timespec start, now;
	__u64 v;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		v = t_counter_read(map_fd);
		if (v >= want)
			return v;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 5)
			return v;
		sched_yield();
	}
}

/* Loads a counting program of @type returning @ret. */
static inline int t_counting_prog(enum bpf_prog_type type,
				  enum bpf_attach_type eat, int map_fd, int ret)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = eat);
	struct bpf_insn insns[16];
	int n = t_counting_insns(insns, map_fd, ret);
	int fd = bpf_prog_load(type, "t_count", "GPL", insns, n, &opts);

	if (fd < 0)
		print_message("counting prog load failed: %s\n", strerror(errno));
	assert_true(fd >= 0);
	return fd;
}

/* ---- processes ---- */

/* Runs a shell command, quietly; returns its exit status. */
static inline int t_sh(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline int t_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- network namespace with a veth pair ---- */

struct t_netns {
	char name[64];
	int orig_fd;	/* our original netns, to go back to */
	int ifindex0;	/* "veth0": frames are sent from here */
	int ifindex1;	/* "veth1": frames arrive here */
};

/*
 * Creates netns evbpf_<tag>_<pid> with veth0 <-> veth1 (both up), and moves
 * this (single-threaded) process into it. Returns 0, or -1 if `ip` cannot.
 */
static inline int t_netns_enter(struct t_netns *ns, const char *tag)
{
	char path[128];
	int fd;

	snprintf(ns->name, sizeof(ns->name), "evbpf_%s_%d", tag, (int)getpid());
	ns->orig_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(ns->orig_fd >= 0);
	if (t_sh("ip netns add %s >/dev/null 2>&1", ns->name)) {
		close(ns->orig_fd);
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", ns->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(setns(fd, CLONE_NEWNET), 0);
	close(fd);
	assert_int_equal(t_sh("ip link add veth0 type veth peer name veth1 && "
			      "ip link set veth0 up && ip link set veth1 up"), 0);
	ns->ifindex0 = (int)if_nametoindex("veth0");
	ns->ifindex1 = (int)if_nametoindex("veth1");
	assert_true(ns->ifindex0 > 0 && ns->ifindex1 > 0);
	return 0;
}

/* Goes back to the original netns and deletes the test's namespace. */
static inline void t_netns_leave(struct t_netns *ns)
{
	assert_int_equal(setns(ns->orig_fd, CLONE_NEWNET), 0);
	close(ns->orig_fd);
	t_sh("ip netns del %s >/dev/null 2>&1", ns->name);
}

/* Sends @n raw Ethernet frames (IPv4 ethertype, dummy payload) out of
 * interface @ifindex. */
static inline void t_send_frames(int ifindex, int n)
{
	struct sockaddr_ll sa = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
		.sll_protocol = htons(ETH_P_IP),
	};
	unsigned char frame[64] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* dst: broadcast */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* src */
		0x08, 0x00,				/* IPv4 */
	};
	int fd, i;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(fd >= 0);
	memset(sa.sll_addr, 0xff, ETH_ALEN);
	for (i = 0; i < n; i++)
		assert_int_equal(sendto(fd, frame, sizeof(frame), 0,
					(struct sockaddr *)&sa, sizeof(sa)),
				 (ssize_t)sizeof(frame));
	close(fd);
}

#endif
