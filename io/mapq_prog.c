// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The program path of the map operation queue: runs of updates or deletes
 * of one map written into a user ring buffer and applied by a small BPF
 * program that drains it (bpf_user_ringbuf_drain), started by one
 * BPF_PROG_TEST_RUN per run. Per element the kernel pays a ring sample, a
 * callback and the map operation, about what a batch command pays for its
 * two user copies; what the path adds over batch commands is that it takes
 * the flags they refuse (BPF_NOEXIST, BPF_EXIST), at the same cost.
 *
 * Each sample is one element: the key, followed for updates by the value.
 * The program's context (the test run's ctx_in) gives the kind and the
 * update flags of the whole run. It writes every element's result, in
 * drain order, into result slot i of a mmapable array; before the run every
 * slot gets a positive value no map operation returns, so an element
 * without a result is known not to have been applied.
 *
 * The program is generated here, one per map, because the map fd, the key
 * and the value sizes are part of it; both are kept on the callback's stack,
 * which bounds key + value (EVBPF__MAPQ_PROG_MAX_KV).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "bpf/bpf.h"
#include "bpf/libbpf.h"
#include "io_internal.h"
#include "mapq_internal.h"
#include "sys/probe_internal.h"

#define SLOT_UNSET	1	/* no map operation returns a positive value */
#define SLOT_STRIDE	8	/* array values are 8-byte aligned in the mapping */

/* instructions beyond the probes' set */
#define I_LDX_DW(d, s, o)	P_INSN(BPF_LDX | BPF_MEM | BPF_DW, d, s, o, 0)
#define I_STX_W(d, s, o)	P_INSN(BPF_STX | BPF_MEM | BPF_W, d, s, o, 0)
#define I_ST_DW(d, o, i)	P_INSN(BPF_ST | BPF_MEM | BPF_DW, d, 0, o, i)
#define I_JEQ_IMM(d, i, o)	P_INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define I_JNE_IMM(d, i, o)	P_INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define I_JA(o)			P_INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define I_LD_MAP(d, fd)		P_LD_IMM64_SRC(d, BPF_PSEUDO_MAP_FD, fd)
#define I_LD_FUNC(d, rel)	P_LD_IMM64_SRC(d, BPF_PSEUDO_FUNC, rel)
/* bpf_dynptr_read(fp - @buf, @len, dynptr in r6, 0, 0): 7 instructions */
#define I_READ_SAMPLE(buf, len)						\
	P_MOV64_REG(BPF_REG_1, BPF_REG_10),				\
	P_ADD64_IMM(BPF_REG_1, -(buf)),					\
	P_MOV64_IMM(BPF_REG_2, (len)),					\
	P_MOV64_REG(BPF_REG_3, BPF_REG_6),				\
	P_MOV64_IMM(BPF_REG_4, 0),					\
	P_MOV64_IMM(BPF_REG_5, 0),					\
	P_CALL_HELPER(BPF_FUNC_dynptr_read)

static __u32 round8(__u32 v)
{
	return (v + 7) & ~7u;
}

void evbpf__mapq_ring_fini(struct evbpf__mapq_ring *r)
{
	user_ring_buffer__free(r->rb);
	r->rb = NULL;
	if (r->res)
		munmap(r->res, r->res_size);
	r->res = NULL;
	evbpf__close(r->ring_fd);
	evbpf__close(r->res_fd);
	r->ring_fd = r->res_fd = -1;
}

int evbpf__mapq_ring_init(struct evbpf__mapq_ring *r, __u32 slots, __u32 max_kv)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = BPF_F_MMAPABLE);
	size_t page = sysconf(_SC_PAGESIZE), need;
	int err;

	r->ring_fd = r->res_fd = -1;
	r->slots = slots;
	need = (size_t)slots * (8 + round8(max_kv));
	for (r->ring_bytes = page; r->ring_bytes < need && r->ring_bytes < (1u << 24);)
		r->ring_bytes <<= 1;
	r->ring_fd = bpf_map_create(BPF_MAP_TYPE_USER_RINGBUF, "evbpf_mapq_rb", 0, 0,
				    r->ring_bytes, NULL);
	if (r->ring_fd < 0)
		goto fail;
	r->res_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "evbpf_mapq_res", 4, 4, slots, &mo);
	if (r->res_fd < 0)
		goto fail;
	r->res_size = ((size_t)slots * SLOT_STRIDE + page - 1) & ~(page - 1);
	r->res = mmap(NULL, r->res_size, PROT_READ | PROT_WRITE, MAP_SHARED, r->res_fd, 0);
	if (r->res == MAP_FAILED) {
		r->res = NULL;
		goto fail;
	}
	r->rb = user_ring_buffer__new(r->ring_fd, NULL);
	if (!r->rb)
		goto fail;
	return 0;
fail:
	err = -errno;
	pr_debug("mapq: no user ring buffer for the program path (%d): map commands only", err);
	evbpf__mapq_ring_fini(r);
	r->failed = true;
	return err;
}

int evbpf__mapq_prog_load(struct evbpf__mapq_ring *r, int map_fd, __u32 ksz, __u32 vsz)
{
	/* callback frame: the whole sample (result slot, key, value) at fp-buf */
	const short buf = (short)round8(4 + ksz + vsz);
	struct bpf_insn insns[] = {
		/* main(ctx): ctx[0] kind, ctx[1] flags, copied to this stack
		 * (fp-16, fp-8) as the callback's context */
		I_LDX_DW(BPF_REG_2, BPF_REG_1, 0),
		P_STX_DW(BPF_REG_10, BPF_REG_2, -16),
		I_LDX_DW(BPF_REG_2, BPF_REG_1, 8),
		P_STX_DW(BPF_REG_10, BPF_REG_2, -8),
		I_LD_MAP(BPF_REG_1, r->ring_fd),
		I_LD_FUNC(BPF_REG_2, 6),		/* -> callback */
		P_MOV64_REG(BPF_REG_3, BPF_REG_10),
		P_ADD64_IMM(BPF_REG_3, -16),
		P_MOV64_IMM(BPF_REG_4, BPF_RB_NO_WAKEUP),
		P_CALL_HELPER(BPF_FUNC_user_ringbuf_drain),
		P_EXIT(),
		/* callback(dynptr, ctx): the sample is the result slot (4
		 * bytes), the key, for updates the value */
		P_MOV64_REG(BPF_REG_6, BPF_REG_1),
		P_MOV64_REG(BPF_REG_7, BPF_REG_2),
		I_LDX_DW(BPF_REG_2, BPF_REG_7, 0),
		I_JEQ_IMM(BPF_REG_2, EVBPF_MAPOP_DELETE, 17),	/* -> delete */
		/* update: read the sample, apply it */
		I_READ_SAMPLE(buf, 4 + ksz + vsz),
		I_JNE_IMM(BPF_REG_0, 0, 30),		/* -> out: no result */
		I_LD_MAP(BPF_REG_1, map_fd),
		P_MOV64_REG(BPF_REG_2, BPF_REG_10),
		P_ADD64_IMM(BPF_REG_2, -buf + 4),
		P_MOV64_REG(BPF_REG_3, BPF_REG_10),
		P_ADD64_IMM(BPF_REG_3, -buf + 4 + (short)ksz),
		I_LDX_DW(BPF_REG_4, BPF_REG_7, 8),
		P_CALL_HELPER(BPF_FUNC_map_update_elem),
		I_JA(13),				/* -> store */
		/* delete: */
		I_READ_SAMPLE(buf, 4 + ksz),
		I_JNE_IMM(BPF_REG_0, 0, 13),		/* -> out: no result */
		I_LD_MAP(BPF_REG_1, map_fd),
		P_MOV64_REG(BPF_REG_2, BPF_REG_10),
		P_ADD64_IMM(BPF_REG_2, -buf + 4),
		P_CALL_HELPER(BPF_FUNC_map_delete_elem),
		/* store: the result into the sample's slot */
		P_MOV64_REG(BPF_REG_8, BPF_REG_0),
		I_LD_MAP(BPF_REG_1, r->res_fd),
		P_MOV64_REG(BPF_REG_2, BPF_REG_10),
		P_ADD64_IMM(BPF_REG_2, -buf),
		P_CALL_HELPER(BPF_FUNC_map_lookup_elem),
		I_JEQ_IMM(BPF_REG_0, 0, 1),		/* -> out */
		I_STX_W(BPF_REG_0, BPF_REG_8, 0),
		/* out: */
		P_MOV64_IMM(BPF_REG_0, 0),
		P_EXIT(),
	};
	static const enum bpf_prog_type types[] = {
		BPF_PROG_TYPE_SYSCALL, BPF_PROG_TYPE_RAW_TRACEPOINT,
	};
	/* the callback is a subprogram: the kernel wants BTF for both */
	static const char strs[] = "\0int\0m\0c\0x\0y";
	static const __u32 btf_types[] = {
		P_BTF_INT(1),						/* [1] int */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_PTR, 0, 0), 0),	/* [2] void * */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 1), 1), /* [3] int (void *x) */
		P_BTF_PARAM(9, 2),
		P_BTF_TYPE(5, P_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC), 3), /* [4] m */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 2), 1), /* [5] int (void *x, void *y) */
		P_BTF_PARAM(9, 2),
		P_BTF_PARAM(11, 2),
		P_BTF_TYPE(7, P_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC), 5), /* [6] c */
	};
	const struct bpf_func_info finfo[] = { { 0, 4 }, { 13, 6 } };
	char log[16384];
	LIBBPF_OPTS(bpf_prog_load_opts, po, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 1, .func_info = finfo, .func_info_cnt = ARRAY_SIZE(finfo),
		    .func_info_rec_size = sizeof(finfo[0]));
	int fd = -EINVAL, btf_fd;
	size_t i;

	if (r->failed || round8(ksz) + round8(vsz) > EVBPF__MAPQ_PROG_MAX_KV)
		return -EOPNOTSUPP;
	btf_fd = evbpf__probe_load_btf(btf_types, sizeof(btf_types), strs, sizeof(strs));
	if (btf_fd < 0) {
		pr_debug("mapq: no BTF for the program path (%d)", btf_fd);
		return btf_fd;
	}
	po.prog_btf_fd = btf_fd;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		log[0] = 0;
		po.prog_flags = types[i] == BPF_PROG_TYPE_SYSCALL ? BPF_F_SLEEPABLE : 0;
		fd = bpf_prog_load(types[i], "evbpf_mapq", "GPL", insns, ARRAY_SIZE(insns), &po);
		if (fd >= 0)
			break;
		fd = -errno;
		pr_debug("mapq: map fd %d: program (type %d) refused (%d): %s", map_fd,
			 types[i], fd, log + (strlen(log) > 200 ? strlen(log) - 200 : 0));
	}
	close(btf_fd);
	return fd;
}

long evbpf__mapq_prog_run(struct evbpf__mapq_ring *r, int prog_fd,
			  enum evbpf_mapop_kind kind, __u64 flags,
			  const struct evbpf__mapq_elems *e, __u32 ksz, __u32 vsz,
			  int *res)
{
	bool update = kind == EVBPF_MAPOP_UPDATE;
	__u32 sample = 4 + ksz + (update ? vsz : 0), slot;
	__u64 ctx[2] = { kind, flags };
	LIBBPF_OPTS(bpf_test_run_opts, to, .ctx_in = ctx, .ctx_size_in = sizeof(ctx));
	size_t n = e->n, i;
	__u8 *p;
	int err;

	if (n > r->slots)
		n = r->slots;
	if (n > r->ring_bytes / (8 + round8(sample)))
		n = r->ring_bytes / (8 + round8(sample));
	for (i = 0; i < n; i++) {
		p = user_ring_buffer__reserve(r->rb, sample);
		if (!p)
			break;
		slot = (__u32)i;
		memcpy(p, &slot, 4);
		memcpy(p + 4, evbpf__mapq_key(e, i, ksz), ksz);
		if (update)
			memcpy(p + 4 + ksz, evbpf__mapq_val(e, i, vsz), vsz);
		user_ring_buffer__submit(r->rb, p);
		*(__s32 *)(r->res + i * SLOT_STRIDE) = SLOT_UNSET;
	}
	n = i;
	if (!n) {
		/* a ring the last run left samples in: never again */
		r->failed = true;
		return 0;
	}
	err = bpf_prog_test_run_opts(prog_fd, &to);
	if (err) {
		err = -errno;
		pr_debug("mapq: program run failed (%d): map commands from now on", err);
		r->failed = true;
	} else if (to.retval != n) {
		pr_debug("mapq: program drained %d of %zu elements: map commands from now on",
			 (int)to.retval, n);
		r->failed = true;
	}
	for (i = 0; i < n; i++) {
		__s32 v = *(volatile __s32 *)(r->res + i * SLOT_STRIDE);

		if (v == SLOT_UNSET)
			break;
		res[i] = v;
	}
	if (i < n)
		r->failed = true;
	return !i && err ? err : (long)i;
}
