// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User ring buffer round trip: user space reserves/submits/discards, an XDP
 * program test-run drains with bpf_user_ringbuf_drain() and sums what it saw.
 */
#include <stdlib.h>

#include <linux/btf.h>
#include <bpf/libbpf.h>
#include "io_test.h"

/*
 * Callbacks need BTF func_info: a minimal BTF with "int" and two functions,
 * main (global, no args) and cb (static, two int args), is enough.
 */
static int load_with_btf(struct io_asm *a, int cb_at)
{
	static const char strs[] = "\0int\0main\0cb\0a\0b";
	struct btf_header hdr = {};
	__u32 t[64];
	char blob[512];
	struct bpf_func_info fi[2];
	int n = 0, btf_fd, fd;

	/* 1: int */
	t[n++] = 1; t[n++] = BTF_KIND_INT << 24; t[n++] = 4; t[n++] = (BTF_INT_SIGNED << 24) | 32;
	/* 2: int (void) */
	t[n++] = 0; t[n++] = BTF_KIND_FUNC_PROTO << 24; t[n++] = 1;
	/* 3: main, global */
	t[n++] = 5; t[n++] = (BTF_KIND_FUNC << 24) | 1; t[n++] = 2;
	/* 4: int (int a, int b) */
	t[n++] = 0; t[n++] = (BTF_KIND_FUNC_PROTO << 24) | 2; t[n++] = 1;
	t[n++] = 13; t[n++] = 1; t[n++] = 15; t[n++] = 1;
	/* 5: cb, static */
	t[n++] = 10; t[n++] = BTF_KIND_FUNC << 24; t[n++] = 4;

	hdr.magic = BTF_MAGIC;
	hdr.version = BTF_VERSION;
	hdr.hdr_len = sizeof(hdr);
	hdr.type_off = 0;
	hdr.type_len = n * 4;
	hdr.str_off = n * 4;
	hdr.str_len = sizeof(strs);
	memcpy(blob, &hdr, sizeof(hdr));
	memcpy(blob + sizeof(hdr), t, n * 4);
	memcpy(blob + sizeof(hdr) + n * 4, strs, sizeof(strs));
	btf_fd = bpf_btf_load(blob, sizeof(hdr) + n * 4 + sizeof(strs), NULL);
	if (btf_fd < 0) {
		print_message("btf load failed: %d\n", btf_fd);
		return btf_fd;
	}
	fi[0].insn_off = 0;
	fi[0].type_id = 3;
	fi[1].insn_off = cb_at;
	fi[1].type_id = 5;
	{
		LIBBPF_OPTS(bpf_prog_load_opts, o,
			.prog_btf_fd = btf_fd,
			.func_info = fi,
			.func_info_cnt = 2,
			.func_info_rec_size = sizeof(fi[0]),
			.log_buf = io_verifier_log,
			.log_size = sizeof(io_verifier_log));

		fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "io_urb_drain", "GPL",
				   a->insn, a->n, &o);
		if (fd < 0)
			print_message("load failed: %d\n%s\n", fd, io_verifier_log);
	}
	close(btf_fd);
	return fd;
}

/* sum map value: { count, sum of the first u64 of each sample } */
static int drain_prog(int urb_fd, int sum_fd)
{
	struct io_asm a = {};
	int ld_at, cb_at, skip_at;

	io_ld_map(&a, BPF_REG_1, urb_fd);
	ld_at = a.n;
	io_ld_imm64(&a, BPF_REG_2, BPF_PSEUDO_FUNC, 0);
	io_mov_imm(&a, BPF_REG_3, 0);
	io_mov_imm(&a, BPF_REG_4, 0);
	io_call(&a, BPF_FUNC_user_ringbuf_drain);
	io_mov_imm(&a, BPF_REG_0, XDP_PASS);
	io_exit(&a);

	/* callback(dynptr, ctx) */
	cb_at = a.n;
	a.insn[ld_at].imm = cb_at - ld_at - 1;
	io_mov_reg(&a, BPF_REG_6, BPF_REG_1);
	io_st(&a, BPF_W, BPF_REG_10, -4, 0);
	io_mov_reg(&a, BPF_REG_2, BPF_REG_10);
	io_alu_imm(&a, BPF_ADD, BPF_REG_2, -4);
	io_ld_map(&a, BPF_REG_1, sum_fd);
	io_call(&a, BPF_FUNC_map_lookup_elem);
	skip_at = a.n;
	io_jmp_fwd(&a, BPF_JEQ, BPF_REG_0, 0, 0);
	io_mov_reg(&a, BPF_REG_7, BPF_REG_0);
	io_mov_reg(&a, BPF_REG_1, BPF_REG_10);
	io_alu_imm(&a, BPF_ADD, BPF_REG_1, -16);
	io_mov_imm(&a, BPF_REG_2, 8);
	io_mov_reg(&a, BPF_REG_3, BPF_REG_6);
	io_mov_imm(&a, BPF_REG_4, 0);
	io_mov_imm(&a, BPF_REG_5, 0);
	io_call(&a, BPF_FUNC_dynptr_read);
	io_jmp_fwd(&a, BPF_JNE, BPF_REG_0, 0, 4);
	io_ldx(&a, BPF_DW, BPF_REG_1, BPF_REG_10, -16);
	io_atomic_add(&a, BPF_REG_7, 8, BPF_REG_1);
	io_mov_imm(&a, BPF_REG_1, 1);
	io_atomic_add(&a, BPF_REG_7, 0, BPF_REG_1);
	a.insn[skip_at].off = a.n - skip_at - 1;
	io_mov_imm(&a, BPF_REG_0, 0);
	io_exit(&a);
	return load_with_btf(&a, cb_at);
}

struct fixture {
	int urb, sum, prog;
	struct user_ring_buffer *rb;
};

static void fx_init(struct fixture *f, __u32 size)
{
	f->urb = bpf_map_create(BPF_MAP_TYPE_USER_RINGBUF, "io_urb", 0, 0, size, NULL);
	assert_true(f->urb >= 0);
	f->sum = io_array_map(16, false);
	assert_true(f->sum >= 0);
	f->prog = drain_prog(f->urb, f->sum);
	assert_true(f->prog >= 0);
	f->rb = user_ring_buffer__new(f->urb, NULL);
	assert_non_null(f->rb);
}

static void fx_fini(struct fixture *f)
{
	user_ring_buffer__free(f->rb);
	close(f->prog);
	close(f->sum);
	close(f->urb);
}

static void read_sum(struct fixture *f, __u64 *cnt, __u64 *sum)
{
	__u32 key = 0;
	__u64 v[2] = {};

	assert_int_equal(bpf_map_lookup_elem(f->sum, &key, v), 0);
	*cnt = v[0];
	*sum = v[1];
}

static void test_round_trip(void **state)
{
	struct fixture f;
	__u64 cnt, sum, want = 0;
	int i;

	fx_init(&f, 4096);
	for (i = 0; i < 50; i++) {
		/* variable sizes: some samples straddle the ring's end */
		__u64 *p = user_ring_buffer__reserve(f.rb, 8 + (i % 5) * 8);

		assert_non_null(p);
		assert_int_equal((unsigned long)p % 8, 0);
		p[0] = 1000 + i;
		if (i % 4 == 3) {
			user_ring_buffer__discard(f.rb, p);
		} else {
			user_ring_buffer__submit(f.rb, p);
			want += 1000 + i;
		}
		if (i % 10 == 9)
			assert_int_equal(io_run(f.prog, 1), 0);
	}
	read_sum(&f, &cnt, &sum);
	assert_int_equal(cnt, 50 - 12);
	assert_int_equal(sum, want);
	fx_fini(&f);
}

/* A sample still reserved (BUSY) blocks the kernel; later ones wait. */
static void test_busy_blocks(void **state)
{
	struct fixture f;
	__u64 cnt, sum, *a, *b;

	fx_init(&f, 4096);
	a = user_ring_buffer__reserve(f.rb, 8);
	b = user_ring_buffer__reserve(f.rb, 8);
	assert_non_null(a);
	assert_non_null(b);
	*a = 1;
	*b = 2;
	user_ring_buffer__submit(f.rb, b);
	assert_int_equal(io_run(f.prog, 1), 0);
	read_sum(&f, &cnt, &sum);
	assert_int_equal(cnt, 0);
	user_ring_buffer__submit(f.rb, a);
	assert_int_equal(io_run(f.prog, 1), 0);
	read_sum(&f, &cnt, &sum);
	assert_int_equal(cnt, 2);
	assert_int_equal(sum, 3);
	fx_fini(&f);
}

static void test_full_and_blocking(void **state)
{
	struct fixture f;
	__u64 *p, cnt, sum;
	int n = 0;

	fx_init(&f, 4096);
	assert_null(user_ring_buffer__reserve(f.rb, 4096));
	assert_int_equal(errno, E2BIG);
	while ((p = user_ring_buffer__reserve(f.rb, 56))) {
		*p = 1;
		user_ring_buffer__submit(f.rb, p);
		n++;
	}
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(n, 4096 / 64);
	assert_null(user_ring_buffer__reserve_blocking(f.rb, 56, 0));
	assert_int_equal(errno, ENOSPC);
	assert_null(user_ring_buffer__reserve_blocking(f.rb, 56, 20));
	assert_int_equal(errno, ENOSPC);
	assert_null(user_ring_buffer__reserve_blocking(f.rb, 56, -2));
	assert_int_equal(errno, EINVAL);
	/* the kernel drains and wakes us: room again */
	assert_int_equal(io_run(f.prog, 1), 0);
	read_sum(&f, &cnt, &sum);
	assert_int_equal(cnt, n);
	p = user_ring_buffer__reserve_blocking(f.rb, 56, 5000);
	assert_non_null(p);
	user_ring_buffer__discard(f.rb, p);
	fx_fini(&f);
}

static void test_bad_map(void **state)
{
	int fd = io_ringbuf_map(4096);

	assert_null(user_ring_buffer__new(fd, NULL));
	assert_int_equal(errno, EINVAL);
	close(fd);
	user_ring_buffer__free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_busy_blocks),
		cmocka_unit_test(test_full_and_blocking),
		cmocka_unit_test(test_bad_map),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
