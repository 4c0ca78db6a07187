/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The consumer tests' layer over evbpf_test.h: the assembler under its
 * io_* names, ring/perf/array maps, XDP producer programs, test runs on a
 * thread of their own, and BOTH(fn), a test run once on each backend
 * (prestates be_uring and be_epoll).
 */
#ifndef EVBPF_IO_TEST_H
#define EVBPF_IO_TEST_H

#include <pthread.h>
#include <sched.h>

#include <evbpf/evbpf.h>

#include "evbpf_test.h"

#define io_asm evbpf_test_asm
#define io_emit evbpf_test_emit
#define IO_INSN EVBPF_TEST_INSN
#define io_mov_imm evbpf_test_mov_imm
#define io_mov_reg evbpf_test_mov_reg
#define io_alu_imm evbpf_test_alu_imm
#define io_alu_reg evbpf_test_alu_reg
#define io_ld_map evbpf_test_ld_map
#define io_ld_imm64 evbpf_test_ld_imm64
#define io_stx evbpf_test_stx
#define io_st evbpf_test_st
#define io_ldx evbpf_test_ldx
#define io_fetch_add evbpf_test_fetch_add
#define io_atomic_add evbpf_test_atomic_add
#define io_call evbpf_test_call
#define io_exit evbpf_test_exit
#define io_jmp_out evbpf_test_jmp_out
#define io_jmp_fwd evbpf_test_jmp_fwd
#define io_label_out evbpf_test_label_out
#define io_lookup0 evbpf_test_lookup0
#define io_count evbpf_test_count
#define io_wait_fd evbpf_test_wait_fd

/* The backends a BOTH() test runs on, passed as its prestate. */
static enum evbpf_backend be_uring __attribute__((unused)) = EVBPF_BACKEND_IO_URING;
static enum evbpf_backend be_epoll __attribute__((unused)) = EVBPF_BACKEND_EPOLL;

#define BOTH(fn) cmocka_unit_test_prestate(fn, &be_uring), \
		 cmocka_unit_test_prestate(fn, &be_epoll)

static char io_verifier_log[1 << 16];

static inline int io_load(struct io_asm *a, enum bpf_prog_type type, const char *name)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o,
		.log_buf = io_verifier_log,
		.log_size = sizeof(io_verifier_log));
	int fd;

	io_verifier_log[0] = '\0';
	fd = bpf_prog_load(type, name, "GPL", a->insn, a->n, &o);
	if (fd < 0)
		print_message("load %s failed: %d\n%s\n", name, fd, io_verifier_log);
	return fd;
}

/* ---- maps ---- */

static inline int io_ringbuf_map(__u32 size)
{
	return bpf_map_create(BPF_MAP_TYPE_RINGBUF, "io_rb", 0, 0, size, NULL);
}

static inline int io_perf_map(void)
{
	return bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "io_pa", 4, 4, 64, NULL);
}

static inline int io_array_map(__u32 value_size, bool percpu)
{
	return bpf_map_create(percpu ? BPF_MAP_TYPE_PERCPU_ARRAY : BPF_MAP_TYPE_ARRAY,
			      "io_arr", 4, value_size, 1, NULL);
}

static inline __u64 io_array_u64(int map_fd)
{
	__u32 key = 0;
	__u64 v = 0;

	bpf_map_lookup_elem(map_fd, &key, &v);
	return v;
}

/* ---- producers ---- */

enum io_prod_mode {
	IO_PROD_OUTPUT,		/* bpf_ringbuf_output of 8 + (seq & mask) * 8 bytes */
	IO_PROD_DISCARD_ODD,	/* reserve 24 bytes; odd seq discarded */
	IO_PROD_PERF,		/* bpf_perf_event_output, sizes as OUTPUT */
	IO_PROD_FIXED16,	/* bpf_ringbuf_output of 16 bytes */
};

/*
 * XDP producer. Each run takes seq = state[0]++ and writes a record whose
 * every u64 holds seq. @size_mask (0..15) picks the variable sizes of
 * IO_PROD_OUTPUT. A failed output/reserve increments the per-CPU drop
 * counter map @drops_fd (when >= 0). @rb_flags goes to the helper.
 */
static inline int io_xdp_producer(int rb_fd, int state_fd, int drops_fd,
				  enum io_prod_mode mode, int size_mask, int rb_flags)
{
	struct io_asm a = {};
	int i;

	io_mov_reg(&a, BPF_REG_6, BPF_REG_1);
	io_lookup0(&a, state_fd);
	io_mov_imm(&a, BPF_REG_7, 1);
	io_fetch_add(&a, BPF_REG_0, 0, BPF_REG_7);	/* r7 = seq */

	if (mode == IO_PROD_OUTPUT || mode == IO_PROD_PERF || mode == IO_PROD_FIXED16) {
		io_mov_reg(&a, BPF_REG_8, BPF_REG_7);
		io_alu_imm(&a, BPF_AND, BPF_REG_8, size_mask);
		io_alu_imm(&a, BPF_LSH, BPF_REG_8, 3);
		io_alu_imm(&a, BPF_ADD, BPF_REG_8, 8);	/* r8 = size */
		if (mode == IO_PROD_FIXED16)
			io_mov_imm(&a, BPF_REG_8, 16);
		for (i = 0; i < 16; i++)
			io_stx(&a, BPF_DW, BPF_REG_10, -136 + 8 * i, BPF_REG_7);
		if (mode == IO_PROD_PERF) {
			io_mov_reg(&a, BPF_REG_1, BPF_REG_6);
			io_ld_map(&a, BPF_REG_2, rb_fd);
			/* w3 = BPF_F_CURRENT_CPU, zero-extended */
			io_emit(&a, IO_INSN(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, -1));
			io_mov_reg(&a, BPF_REG_4, BPF_REG_10);
			io_alu_imm(&a, BPF_ADD, BPF_REG_4, -136);
			io_mov_reg(&a, BPF_REG_5, BPF_REG_8);
			io_call(&a, BPF_FUNC_perf_event_output);
		} else {
			io_ld_map(&a, BPF_REG_1, rb_fd);
			io_mov_reg(&a, BPF_REG_2, BPF_REG_10);
			io_alu_imm(&a, BPF_ADD, BPF_REG_2, -136);
			io_mov_reg(&a, BPF_REG_3, BPF_REG_8);
			io_mov_imm(&a, BPF_REG_4, rb_flags);
			io_call(&a, BPF_FUNC_ringbuf_output);
		}
		io_jmp_out(&a, BPF_JEQ, BPF_REG_0, 0);
		if (drops_fd >= 0)
			io_count(&a, drops_fd);
	} else {
		int skip_at;

		io_ld_map(&a, BPF_REG_1, rb_fd);
		io_mov_imm(&a, BPF_REG_2, 24);
		io_mov_imm(&a, BPF_REG_3, 0);
		io_call(&a, BPF_FUNC_ringbuf_reserve);
		skip_at = a.n;
		io_jmp_fwd(&a, BPF_JNE, BPF_REG_0, 0, 0);
		if (drops_fd >= 0)
			io_count(&a, drops_fd);
		a.out_fix[a.nfix++] = a.n;
		io_emit(&a, IO_INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0));
		a.insn[skip_at].off = a.n - skip_at - 1;
		io_stx(&a, BPF_DW, BPF_REG_0, 0, BPF_REG_7);
		io_stx(&a, BPF_DW, BPF_REG_0, 8, BPF_REG_7);
		io_stx(&a, BPF_DW, BPF_REG_0, 16, BPF_REG_7);
		io_mov_reg(&a, BPF_REG_1, BPF_REG_0);
		io_mov_imm(&a, BPF_REG_2, rb_flags);
		io_alu_imm(&a, BPF_AND, BPF_REG_7, 1);
		io_jmp_fwd(&a, BPF_JNE, BPF_REG_7, 0, 2);
		io_call(&a, BPF_FUNC_ringbuf_submit);
		io_emit(&a, IO_INSN(BPF_JMP | BPF_JA, 0, 0, 1, 0));
		io_call(&a, BPF_FUNC_ringbuf_discard);
	}
	io_label_out(&a);
	io_mov_imm(&a, BPF_REG_0, XDP_PASS);
	io_exit(&a);
	return io_load(&a, BPF_PROG_TYPE_XDP, "io_prod");
}

struct io_run_args {
	int prog_fd;
	int repeat;
	int ret;
};

static void *io_run_thread(void *arg)
{
	struct io_run_args *a = arg;
	char pkt[64] = {};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = pkt,
		.data_size_in = sizeof(pkt),
		.repeat = a->repeat);

	a->ret = bpf_prog_test_run_opts(a->prog_fd, &o);
	return NULL;
}

/*
 * Runs @prog_fd @repeat times on a 64-byte packet, on a thread of its own
 * (same CPU affinity as the caller): a test run with repeat stops with EINTR
 * when its thread has pending task work, such as io_uring completions aimed
 * at the loop's thread, and a retried run would produce twice.
 */
static inline int io_run(int prog_fd, int repeat)
{
	struct io_run_args a = { .prog_fd = prog_fd, .repeat = repeat };
	pthread_t t;

	if (pthread_create(&t, NULL, io_run_thread, &a))
		return -errno;
	pthread_join(t, NULL);
	return a.ret;
}

/*
 * A producer running @repeat times on a thread of its own, pinned to @cpu
 * (-1: not pinned), while the caller consumes: io_start() / io_join().
 */
struct io_producer {
	pthread_t t;
	struct io_run_args a;
	int cpu;
	volatile int done;
};

static void *io_producer_thread(void *arg)
{
	struct io_producer *p = arg;

	if (p->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(p->cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	io_run_thread(&p->a);
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static inline int io_start(struct io_producer *p, int prog_fd, int repeat, int cpu)
{
	p->a.prog_fd = prog_fd;
	p->a.repeat = repeat;
	p->a.ret = 0;
	p->cpu = cpu;
	p->done = 0;
	return pthread_create(&p->t, NULL, io_producer_thread, p) ? -errno : 0;
}

static inline int io_join(struct io_producer *p)
{
	pthread_join(p->t, NULL);
	return p->a.ret;
}

static inline bool io_producer_done(struct io_producer *p)
{
	return __atomic_load_n(&p->done, __ATOMIC_ACQUIRE);
}

#endif /* EVBPF_IO_TEST_H */
