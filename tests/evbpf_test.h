/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The test helpers, one header for every test program (instead of
 * cmocka.h): skips, fd counting, captured logs, compiled objects and their
 * maps, a small BPF assembler for hand-built programs, network namespaces,
 * bounded waits. Functions are static inline or live in evbpf_test.c.
 *
 * Skips: a kernel test may skip only when a capability is truly missing, and
 * says which. Under CI=true every skip is a failure, because CI's machine
 * has every capability the suite needs.
 */
#ifndef EVBPF_TEST_H
#define EVBPF_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
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

/* Skip the current test because @why (a capability) is missing; fails instead
 * when CI=true. */
#define EVBPF_SKIP(why)							\
	do {								\
		if (evbpf_test_in_ci()) {				\
			fail_msg("skip not allowed under CI=true: %s", (why)); \
		} else {						\
			print_message("SKIP: %s\n", (why));		\
			skip();						\
		}							\
	} while (0)

/* True when CI=true is in the environment. */
int evbpf_test_in_ci(void);

/* Whether a TCP socket of this process can select congestion control
 * @name (a registered struct_ops tcp_congestion_ops, for instance). */
bool evbpf_test_tcp_cc_usable(const char *name);

/* A function a uprobe or USDT probe in a test targets: kept out of line,
 * under its own symbol and never cloned or specialised (gcc's .constprop /
 * .isra clones at -O2 and above, and LTO, would leave the probed symbol
 * uncalled). */
#if defined(__has_attribute)
#if __has_attribute(noipa)
#define EVBPF_PROBE_TARGET __attribute__((noipa, used))
#endif
#endif
#ifndef EVBPF_PROBE_TARGET
#define EVBPF_PROBE_TARGET __attribute__((noinline, used, optnone))
#endif

/* Number of open fds of this process (entries of /proc/self/fd). */
int evbpf_test_fd_count(void);

/* Path of the compiled BPF object @name ("minimal" -> .../progs/minimal.bpf.o)
 * in a buffer of the calling thread. */
const char *evbpf_test_prog_path(const char *name);

/* Reads a whole file into a malloc'ed buffer; returns NULL on error. */
void *evbpf_test_read_file(const char *path, size_t *size);

/* Captures library log output into a buffer the test can inspect. */
void evbpf_test_capture_log(void);
const char *evbpf_test_log(void);
void evbpf_test_log_reset(void);

/* Group setup/teardown that fails the group if it leaked fds. Use as the
 * setup/teardown of cmocka_run_group_tests(). */
int evbpf_test_fd_setup(void **state);
int evbpf_test_fd_teardown(void **state);

/* Instructions of ELF section @sec (malloc'ed, *@cnt of them) of the object
 * at @path, or of the open libelf handle @elf; fails the test when absent. */
struct Elf;
struct bpf_insn *evbpf_test_sec_insns(const char *path, const char *sec, size_t *cnt);
struct bpf_insn *evbpf_test_elf_sec_insns(struct Elf *elf, const char *sec, size_t *cnt);

/* ---- assembler ---- */

struct evbpf_test_asm {
	struct bpf_insn insn[512];
	int n;
	int out_fix[64];	/* jumps to the "out" label */
	int nfix;
};

static inline void evbpf_test_emit(struct evbpf_test_asm *a, struct bpf_insn i)
{
	a->insn[a->n++] = i;
}

#define EVBPF_TEST_INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

static inline void evbpf_test_mov_imm(struct evbpf_test_asm *a, int dst, int imm)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm));
}

static inline void evbpf_test_mov_reg(struct evbpf_test_asm *a, int dst, int src)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0));
}

static inline void evbpf_test_alu_imm(struct evbpf_test_asm *a, int op, int dst, int imm)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm));
}

static inline void evbpf_test_alu_reg(struct evbpf_test_asm *a, int op, int dst, int src)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_ALU64 | op | BPF_X, dst, src, 0, 0));
}

static inline void evbpf_test_ld_map(struct evbpf_test_asm *a, int dst, int map_fd)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, map_fd));
	evbpf_test_emit(a, EVBPF_TEST_INSN(0, 0, 0, 0, 0));
}

static inline void evbpf_test_ld_imm64(struct evbpf_test_asm *a, int dst, int src_kind, int imm)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_LD | BPF_DW | BPF_IMM, dst, src_kind, 0, imm));
	evbpf_test_emit(a, EVBPF_TEST_INSN(0, 0, 0, 0, 0));
}

static inline void evbpf_test_stx(struct evbpf_test_asm *a, int size, int dst, int off, int src)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_STX | size | BPF_MEM, dst, src, off, 0));
}

static inline void evbpf_test_st(struct evbpf_test_asm *a, int size, int dst, int off, int imm)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_ST | size | BPF_MEM, dst, 0, off, imm));
}

static inline void evbpf_test_ldx(struct evbpf_test_asm *a, int size, int dst, int src, int off)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_LDX | size | BPF_MEM, dst, src, off, 0));
}

/* dst = atomic fetch-and-add (u64 *)(ptr + off) += src; src gets old value */
static inline void evbpf_test_fetch_add(struct evbpf_test_asm *a, int ptr, int off, int src)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_STX | BPF_DW | BPF_ATOMIC, ptr, src, off,
			   BPF_ADD | BPF_FETCH));
}

static inline void evbpf_test_atomic_add(struct evbpf_test_asm *a, int ptr, int off, int src)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_STX | BPF_DW | BPF_ATOMIC, ptr, src, off, BPF_ADD));
}

static inline void evbpf_test_call(struct evbpf_test_asm *a, int helper)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, helper));
}

static inline void evbpf_test_exit(struct evbpf_test_asm *a)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* Conditional jump (BPF_JEQ, ...) of dst against imm to the "out" label. */
static inline void evbpf_test_jmp_out(struct evbpf_test_asm *a, int op, int dst, int imm)
{
	a->out_fix[a->nfix++] = a->n;
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_JMP | op | BPF_K, dst, 0, 0, imm));
}

/* Jump @skip instructions forward when dst op imm. */
static inline void evbpf_test_jmp_fwd(struct evbpf_test_asm *a, int op, int dst, int imm, int skip)
{
	evbpf_test_emit(a, EVBPF_TEST_INSN(BPF_JMP | op | BPF_K, dst, 0, skip, imm));
}

static inline void evbpf_test_label_out(struct evbpf_test_asm *a)
{
	int i;

	for (i = 0; i < a->nfix; i++)
		a->insn[a->out_fix[i]].off = a->n - a->out_fix[i] - 1;
	a->nfix = 0;
}

/* r0 = lookup(map, key 0) with the key at fp-4; jumps to out when NULL. */
static inline void evbpf_test_lookup0(struct evbpf_test_asm *a, int map_fd)
{
	evbpf_test_st(a, BPF_W, BPF_REG_10, -4, 0);
	evbpf_test_mov_reg(a, BPF_REG_2, BPF_REG_10);
	evbpf_test_alu_imm(a, BPF_ADD, BPF_REG_2, -4);
	evbpf_test_ld_map(a, BPF_REG_1, map_fd);
	evbpf_test_call(a, BPF_FUNC_map_lookup_elem);
	evbpf_test_jmp_out(a, BPF_JEQ, BPF_REG_0, 0);
}

/* *(per-CPU u64 at key 0 of @map_fd) += 1; clobbers r0-r5 */
static inline void evbpf_test_count(struct evbpf_test_asm *a, int map_fd)
{
	int skip_at;

	evbpf_test_st(a, BPF_W, BPF_REG_10, -4, 0);
	evbpf_test_mov_reg(a, BPF_REG_2, BPF_REG_10);
	evbpf_test_alu_imm(a, BPF_ADD, BPF_REG_2, -4);
	evbpf_test_ld_map(a, BPF_REG_1, map_fd);
	evbpf_test_call(a, BPF_FUNC_map_lookup_elem);
	skip_at = a->n;
	evbpf_test_jmp_fwd(a, BPF_JEQ, BPF_REG_0, 0, 0);
	evbpf_test_mov_imm(a, BPF_REG_1, 1);
	evbpf_test_atomic_add(a, BPF_REG_0, 0, BPF_REG_1);
	a->insn[skip_at].off = a->n - skip_at - 1;
}

/* ---- test objects (tests/progs/attach_*.bpf.c with attach_common.h) ---- */

/* Opens and loads tests/progs/@name.bpf.o; sets cfg[0] to our pid. */
static inline struct bpf_object *evbpf_test_open_load(const char *name)
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

/* The kernel id of program @fd. */
static inline __u32 evbpf_test_prog_id(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_prog_get_info_by_fd(fd, &info, &len), 0);
	return info.id;
}

static inline struct bpf_program *evbpf_test_prog(struct bpf_object *obj, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	assert_non_null(p);
	return p;
}

static inline int evbpf_test_map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	assert_non_null(m);
	return bpf_map__fd(m);
}

static inline void evbpf_test_cfg(struct bpf_object *obj, __u32 idx, __u64 v)
{
	assert_int_equal(bpf_map_update_elem(evbpf_test_map_fd(obj, "cfg"), &idx, &v, 0), 0);
}

static inline __u64 evbpf_test_get(struct bpf_object *obj, const char *map, __u32 idx)
{
	__u64 v = 0;

	assert_int_equal(bpf_map_lookup_elem(evbpf_test_map_fd(obj, map), &idx, &v), 0);
	return v;
}

static inline void evbpf_test_set(struct bpf_object *obj, const char *map, __u32 idx,
			 __u64 v)
{
	assert_int_equal(bpf_map_update_elem(evbpf_test_map_fd(obj, map), &idx, &v, 0), 0);
}

#define evbpf_test_counts(obj, idx) evbpf_test_get((obj), "counts", (idx))
#define evbpf_test_vals(obj, idx) evbpf_test_get((obj), "vals", (idx))

/* ---- hand-built programs ---- */

/* A one-slot u64 array map for the counter. */
static inline int evbpf_test_counter_map(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "t_counter", 4, 8, 1, NULL);

	assert_true(fd >= 0);
	return fd;
}

static inline __u64 evbpf_test_counter_read(int map_fd)
{
	__u32 key = 0;
	__u64 v = 0;

	assert_int_equal(bpf_map_lookup_elem(map_fd, &key, &v), 0);
	return v;
}

/* Waits (bounded, ~5 s) until the counter reaches @want; returns its value.
 * Packets and probes may be counted in softirq after the trigger returns. */
static inline __u64 evbpf_test_counter_wait(int map_fd, __u64 want)
{
	struct timespec start, now;
	__u64 v;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		v = evbpf_test_counter_read(map_fd);
		if (v >= want)
			return v;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 5)
			return v;
		sched_yield();
	}
}

/* Loads a counting program of @type returning @ret. */
static inline int evbpf_test_counting_prog(enum bpf_prog_type type,
				  enum bpf_attach_type eat, int map_fd, int ret)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = eat);
	struct evbpf_test_asm a = {};
	int fd;

	evbpf_test_count(&a, map_fd);
	evbpf_test_mov_imm(&a, BPF_REG_0, ret);
	evbpf_test_exit(&a);
	fd = bpf_prog_load(type, "evbpf_test_counts", "GPL", a.insn, a.n, &opts);

	if (fd < 0)
		print_message("counting prog load failed: %s\n", strerror(errno));
	assert_true(fd >= 0);
	return fd;
}

/* ---- processes ---- */

/* Runs a shell command, quietly; returns its exit status. */
static inline int evbpf_test_sh(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline int evbpf_test_sh(const char *fmt, ...)
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

struct evbpf_test_netns {
	char name[64];
	int orig_fd;	/* our original netns, to go back to */
	int ifindex0;	/* "veth0": frames are sent from here */
	int ifindex1;	/* "veth1": frames arrive here */
};

/*
 * Creates netns evbpf_<tag>_<pid> with veth0 <-> veth1 (both up), and moves
 * this (single-threaded) process into it. Returns 0, or -1 if `ip` cannot.
 */
static inline int evbpf_test_netns_enter(struct evbpf_test_netns *ns, const char *tag)
{
	char path[128];
	int fd;

	snprintf(ns->name, sizeof(ns->name), "evbpf_%s_%d", tag, (int)getpid());
	ns->orig_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(ns->orig_fd >= 0);
	if (evbpf_test_sh("ip netns add %s >/dev/null 2>&1", ns->name)) {
		close(ns->orig_fd);
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", ns->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(setns(fd, CLONE_NEWNET), 0);
	close(fd);
	assert_int_equal(evbpf_test_sh("ip link add veth0 type veth peer name veth1 && "
			      "ip link set veth0 up && ip link set veth1 up"), 0);
	ns->ifindex0 = (int)if_nametoindex("veth0");
	ns->ifindex1 = (int)if_nametoindex("veth1");
	assert_true(ns->ifindex0 > 0 && ns->ifindex1 > 0);
	return 0;
}

/* Goes back to the original netns and deletes the test's namespace. */
static inline void evbpf_test_netns_leave(struct evbpf_test_netns *ns)
{
	assert_int_equal(setns(ns->orig_fd, CLONE_NEWNET), 0);
	close(ns->orig_fd);
	evbpf_test_sh("ip netns del %s >/dev/null 2>&1", ns->name);
}

/* Sends @n raw Ethernet frames (IPv4 ethertype, dummy payload) out of
 * interface @ifindex. */
static inline void evbpf_test_send_frames(int ifindex, int n)
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

/* ---- waiting ---- */

/* Waits up to @ms for @fd to become readable; returns > 0 when it is. */
static inline int evbpf_test_wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do {
		r = poll(&p, 1, ms);
	} while (r < 0 && errno == EINTR);
	return r;
}

#endif /* EVBPF_TEST_H */
