// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The program path of the map operation queue: runs of updates or deletes
 * of one map written into a user ring buffer and applied by a small BPF
 * program that drains it (bpf_user_ringbuf_drain), started by one
 * BPF_PROG_TEST_RUN per run. What the path adds over batch commands is that
 * it takes the flags they refuse (BPF_NOEXIST, BPF_EXIST), and that the
 * elements cross into the kernel once, through shared memory.
 *
 * A sample carries up to PER_SAMPLE_MAX elements: an 8-byte header (the
 * slot of its first element, the count), then each element's key, for
 * updates followed by its value, packed. So one reserve and submit, one
 * drain step and callback, one bpf_dynptr_read() and one result lookup
 * serve many elements; the callback applies them with an unrolled sequence
 * (one compare against the count, the map helper, a store of the result per
 * element). Every sample is reserved at full size, so the callback reads a
 * constant length; a run's last sample may count fewer elements.
 *
 * Measured (bench/RESULTS.md; 100000 updates of a hash map, 4-byte keys,
 * 8-byte values, a loaded 2-CPU VM): with one element per sample a queued
 * update took 1.2-1.5 times as long as the in-program bpf_loop floor and
 * about as long as with BPF_MAP_UPDATE_BATCH; with up to 32 per sample it
 * takes 1.2-1.3 times the floor and 0.9 of the batch command, about 200 ns
 * against 230-280 before. Of that, the hash update is most; the program
 * path's own share (copies into the ring, the drain, the callback) is a few
 * ns, the queue's per-operation bookkeeping 10-15 ns.
 *
 * The program's context (the test run's ctx_in) gives the kind and the
 * update flags of the whole run. Element i's result goes to slot i of the
 * one value of a mmapable array (the callback looks the value up once per
 * sample and indexes it, bounded by where the sample starts); before the
 * run every slot gets a positive value no map operation returns, so an
 * element without a result is known not to have been applied. A callback
 * that cannot read its sample or find the slots stops the drain.
 *
 * The program is generated here, one per map, because the map fd, the key
 * and the value sizes are part of it; a sample is copied whole onto the
 * callback's stack, which bounds key + value (EVBPF__MAPQ_PROG_MAX_KV) and
 * the elements per sample.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "bpf/bpf.h"
#include "bpf/libbpf.h"
#include "io_internal.h"
#include "mapq_internal.h"
#include "sys/probe_internal.h"

#define SLOT_UNSET	1	/* no map operation returns a positive value */
#define HDR_SZ		8	/* a sample's header: first slot, element count */
/* elements per sample, at most: the callback applies them unrolled */
#define PER_SAMPLE_MAX	32
/* the callback's copy of a sample: 8 bytes of header and what a map of the
 * largest key + value takes, one element */
#define SAMPLE_MAX	(HDR_SZ + EVBPF__MAPQ_PROG_MAX_KV)
/* elements per run, at most: the result slots are one array value */
#define SLOTS_MAX	65536
#define INSNS_MAX	(64 + PER_SAMPLE_MAX * 20)

/* instructions beyond the probes' set */
#define I_LDX_DW(d, s, o)	P_INSN(BPF_LDX | BPF_MEM | BPF_DW, d, s, o, 0)
#define I_STX_W(d, s, o)	P_INSN(BPF_STX | BPF_MEM | BPF_W, d, s, o, 0)
#define I_JEQ_IMM(d, i, o)	P_INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define I_JNE_IMM(d, i, o)	P_INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define I_JGT_IMM(d, i, o)	P_INSN(BPF_JMP | BPF_JGT | BPF_K, d, 0, o, i)
#define I_JLE_IMM(d, i, o)	P_INSN(BPF_JMP | BPF_JLE | BPF_K, d, 0, o, i)
#define I_LSH64_IMM(d, i)	P_INSN(BPF_ALU64 | BPF_LSH | BPF_K, d, 0, 0, i)
#define I_ADD64_REG(d, s)	P_INSN(BPF_ALU64 | BPF_ADD | BPF_X, d, s, 0, 0)
#define I_JA(o)			P_INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define I_LD_MAP(d, fd)		P_LD_IMM64_SRC(d, BPF_PSEUDO_MAP_FD, fd)
#define I_LD_FUNC(d, rel)	P_LD_IMM64_SRC(d, BPF_PSEUDO_FUNC, rel)

static __u32 round8(__u32 v)
{
	return (v + 7) & ~7u;
}

/* Elements of @esz bytes (key, or key and value) one sample carries. */
static __u32 per_sample(__u32 esz)
{
	__u32 k = (SAMPLE_MAX - HDR_SZ) / esz;

	return k < PER_SAMPLE_MAX ? k : PER_SAMPLE_MAX;
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
	__u32 k = per_sample(max_kv ? max_kv : 1);
	int err;

	r->ring_fd = r->res_fd = -1;
	r->slots = slots < SLOTS_MAX ? slots : SLOTS_MAX;
	need = (size_t)(r->slots + k - 1) / k * (8 + round8(HDR_SZ + k * max_kv));
	for (r->ring_bytes = page; r->ring_bytes < need && r->ring_bytes < (1u << 24);)
		r->ring_bytes <<= 1;
	r->ring_fd = bpf_map_create(BPF_MAP_TYPE_USER_RINGBUF, "evbpf_mapq_rb", 0, 0,
				    r->ring_bytes, NULL);
	if (r->ring_fd < 0)
		goto fail;
	/* one value holding every slot, and room for the last sample's
	 * unused ones: the program checks only where a sample starts */
	r->res_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "evbpf_mapq_res", 4,
				   4 * (r->slots + PER_SAMPLE_MAX), 1, &mo);
	if (r->res_fd < 0)
		goto fail;
	r->res_size = (4 * ((size_t)r->slots + PER_SAMPLE_MAX) + page - 1) & ~(page - 1);
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

/* The program under construction; jumps to the callback's two exits are
 * resolved once its length is known. */
enum { TO_NONE, TO_NEXT, TO_STOP };

struct gen {
	struct bpf_insn in[INSNS_MAX];
	__u8 to[INSNS_MAX];	/* TO_NEXT, TO_STOP: where the jump there goes */
	int n;
};

static void emit_to(struct gen *g, int to, const struct bpf_insn *in, int cnt)
{
	memcpy(g->in + g->n, in, cnt * sizeof(*in));
	memset(g->to + g->n, TO_NONE, cnt);
	g->to[g->n] = to;
	g->n += cnt;
}

#define EMIT(g, ...)	EMIT_TO(g, TO_NONE, __VA_ARGS__)
#define EMIT_TO(g, to, ...)							\
	do {									\
		const struct bpf_insn in_[] = { __VA_ARGS__ };			\
		emit_to(g, to, in_, ARRAY_SIZE(in_));				\
	} while (0)

static void resolve(struct gen *g, int next, int stop)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->to[i] != TO_NONE)
			g->in[i].off = (g->to[i] == TO_NEXT ? next : stop) - i - 1;
}

/* bpf_dynptr_read(fp - @buf, @len, dynptr in r6, 0, 0); a failure stops */
static void emit_read(struct gen *g, short buf, __u32 len)
{
	EMIT(g, P_MOV64_REG(BPF_REG_1, BPF_REG_10), P_ADD64_IMM(BPF_REG_1, -buf),
	     P_MOV64_IMM(BPF_REG_2, len), P_MOV64_REG(BPF_REG_3, BPF_REG_6),
	     P_MOV64_IMM(BPF_REG_4, 0), P_MOV64_IMM(BPF_REG_5, 0),
	     P_CALL_HELPER(BPF_FUNC_dynptr_read));
	EMIT_TO(g, TO_STOP, I_JNE_IMM(BPF_REG_0, 0, 0));
}

/*
 * Element @j of the sample at fp - @buf (elements @esz bytes apart after
 * the header), if the sample's count (r6) takes it: its update (flags in
 * r7) or delete, the result into slot j of the sample's first (r8).
 */
static void emit_elem(struct gen *g, int map_fd, short buf, __u32 j, __u32 ksz, __u32 esz,
		      bool update)
{
	short key = -buf + HDR_SZ + (short)(j * esz);

	EMIT_TO(g, TO_NEXT, I_JLE_IMM(BPF_REG_6, j, 0));
	EMIT(g, I_LD_MAP(BPF_REG_1, map_fd), P_MOV64_REG(BPF_REG_2, BPF_REG_10),
	     P_ADD64_IMM(BPF_REG_2, key));
	if (update)
		EMIT(g, P_MOV64_REG(BPF_REG_3, BPF_REG_10), P_ADD64_IMM(BPF_REG_3, key + ksz),
		     P_MOV64_REG(BPF_REG_4, BPF_REG_7), P_CALL_HELPER(BPF_FUNC_map_update_elem));
	else
		EMIT(g, P_CALL_HELPER(BPF_FUNC_map_delete_elem));
	EMIT(g, I_STX_W(BPF_REG_8, BPF_REG_0, (short)(4 * j)));
}

/*
 * callback(dynptr, ctx): reads the sample (header: first slot, count; then
 * the elements) onto its stack, looks up the result slots once, applies the
 * elements. Returns 1 (stop draining) when it could apply none.
 */
static void emit_callback(struct gen *g, struct evbpf__mapq_ring *r, int map_fd, __u32 ksz,
			  __u32 vsz)
{
	__u32 ku = per_sample(ksz + vsz), kd = per_sample(ksz), j;
	short buf = (short)round8(HDR_SZ + (ku * (ksz + vsz) > kd * ksz ? ku * (ksz + vsz) :
								       kd * ksz));
	int del_read, read_done, del;

	EMIT(g, P_MOV64_REG(BPF_REG_6, BPF_REG_1), P_MOV64_REG(BPF_REG_7, BPF_REG_2),
	     I_LDX_DW(BPF_REG_2, BPF_REG_7, 0));
	del_read = g->n;
	EMIT(g, I_JEQ_IMM(BPF_REG_2, EVBPF_MAPOP_DELETE, 0));
	emit_read(g, buf, HDR_SZ + ku * (ksz + vsz));
	read_done = g->n;
	EMIT(g, I_JA(0));
	g->in[del_read].off = g->n - del_read - 1;
	emit_read(g, buf, HDR_SZ + kd * ksz);
	g->in[read_done].off = g->n - read_done - 1;
	/* r9 = first slot, r6 = count; key 0 of the result array over the
	 * first, r8 = &slot[first] */
	EMIT(g, P_LDX_W(BPF_REG_9, BPF_REG_10, -buf), P_LDX_W(BPF_REG_6, BPF_REG_10, -buf + 4),
	     P_ST_W(BPF_REG_10, -buf, 0), I_LD_MAP(BPF_REG_1, r->res_fd),
	     P_MOV64_REG(BPF_REG_2, BPF_REG_10), P_ADD64_IMM(BPF_REG_2, -buf),
	     P_CALL_HELPER(BPF_FUNC_map_lookup_elem));
	EMIT_TO(g, TO_STOP, I_JEQ_IMM(BPF_REG_0, 0, 0));
	EMIT_TO(g, TO_STOP, I_JGT_IMM(BPF_REG_9, r->slots, 0));
	EMIT(g, I_LSH64_IMM(BPF_REG_9, 2), I_ADD64_REG(BPF_REG_0, BPF_REG_9),
	     P_MOV64_REG(BPF_REG_8, BPF_REG_0), I_LDX_DW(BPF_REG_2, BPF_REG_7, 0),
	     I_LDX_DW(BPF_REG_7, BPF_REG_7, 8));
	del = g->n;
	EMIT(g, I_JEQ_IMM(BPF_REG_2, EVBPF_MAPOP_DELETE, 0));
	for (j = 0; j < ku; j++)
		emit_elem(g, map_fd, buf, j, ksz, ksz + vsz, true);
	EMIT_TO(g, TO_NEXT, I_JA(0));
	g->in[del].off = g->n - del - 1;
	for (j = 0; j < kd; j++)
		emit_elem(g, map_fd, buf, j, ksz, ksz, false);
	resolve(g, g->n, g->n + 2);
	EMIT(g, P_MOV64_IMM(BPF_REG_0, 0), P_EXIT(), P_MOV64_IMM(BPF_REG_0, 1), P_EXIT());
}

/* Logs why the kernel refused the program: loads it again, with a log (a
 * log of an accepted unrolled program would not fit). */
static void refused(enum bpf_prog_type type, struct gen *g, struct bpf_prog_load_opts *po,
		    int map_fd, int err)
{
	char log[16384];
	size_t len;
	int fd;

	log[0] = 0;
	po->log_buf = log;
	po->log_size = sizeof(log);
	po->log_level = 1;
	fd = bpf_prog_load(type, "evbpf_mapq", "GPL", g->in, g->n, po);
	if (fd >= 0)
		close(fd);
	po->log_buf = NULL;
	po->log_size = po->log_level = 0;
	len = strnlen(log, sizeof(log) - 1);
	log[len] = 0;
	pr_debug("mapq: map fd %d: program (type %d) refused (%d): %s", map_fd, type, err,
		 log + (len > 200 ? len - 200 : 0));
}

int evbpf__mapq_prog_load(struct evbpf__mapq_ring *r, int map_fd, __u32 ksz, __u32 vsz)
{
	/* main(ctx): ctx[0] kind, ctx[1] flags, copied to this stack (fp-16,
	 * fp-8) as the callback's context; returns what the drain returns */
	static const struct bpf_insn main_insns[] = {
		I_LDX_DW(BPF_REG_2, BPF_REG_1, 0),
		P_STX_DW(BPF_REG_10, BPF_REG_2, -16),
		I_LDX_DW(BPF_REG_2, BPF_REG_1, 8),
		P_STX_DW(BPF_REG_10, BPF_REG_2, -8),
		I_LD_MAP(BPF_REG_1, 0),			/* the ring, set below */
		I_LD_FUNC(BPF_REG_2, 6),		/* -> callback */
		P_MOV64_REG(BPF_REG_3, BPF_REG_10),
		P_ADD64_IMM(BPF_REG_3, -16),
		P_MOV64_IMM(BPF_REG_4, BPF_RB_NO_WAKEUP),
		P_CALL_HELPER(BPF_FUNC_user_ringbuf_drain),
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
	LIBBPF_OPTS(bpf_prog_load_opts, po, .func_info = finfo,
		    .func_info_cnt = ARRAY_SIZE(finfo), .func_info_rec_size = sizeof(finfo[0]));
	int fd = -EINVAL, btf_fd;
	struct gen *g;
	size_t i;

	if (r->failed || !ksz || round8(ksz) + round8(vsz) > EVBPF__MAPQ_PROG_MAX_KV)
		return -EOPNOTSUPP;
	g = calloc(1, sizeof(*g));
	if (!g) {
		pr_debug("mapq: no memory for a program");
		return -ENOMEM;
	}
	emit_to(g, TO_NONE, main_insns, ARRAY_SIZE(main_insns));
	g->in[4].imm = r->ring_fd;
	emit_callback(g, r, map_fd, ksz, vsz);
	btf_fd = evbpf__probe_load_btf(btf_types, sizeof(btf_types), strs, sizeof(strs));
	if (btf_fd < 0) {
		pr_debug("mapq: no BTF for the program path (%d)", btf_fd);
		free(g);
		return btf_fd;
	}
	po.prog_btf_fd = btf_fd;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		po.prog_flags = types[i] == BPF_PROG_TYPE_SYSCALL ? BPF_F_SLEEPABLE : 0;
		fd = bpf_prog_load(types[i], "evbpf_mapq", "GPL", g->in, g->n, &po);
		if (fd >= 0)
			break;
		fd = -errno;
		refused(types[i], g, &po, map_fd, fd);
	}
	close(btf_fd);
	free(g);
	return fd;
}

/* Copies elements [@i, @i + @c) of @e into a sample's element area @p. */
static void fill(__u8 *p, const struct evbpf__mapq_elems *e, size_t i, __u32 c, __u32 ksz,
		 __u32 vsz, bool update)
{
	size_t end = i + c;

	for (; i < end; i++) {
		memcpy(p, evbpf__mapq_key(e, i, ksz), ksz);
		p += ksz;
		if (update) {
			memcpy(p, evbpf__mapq_val(e, i, vsz), vsz);
			p += vsz;
		}
	}
}

long evbpf__mapq_prog_run(struct evbpf__mapq_ring *r, int prog_fd,
			  enum evbpf_mapop_kind kind, __u64 flags,
			  const struct evbpf__mapq_elems *e, __u32 ksz, __u32 vsz,
			  int *res)
{
	bool update = kind == EVBPF_MAPOP_UPDATE;
	__u32 esz = ksz + (update ? vsz : 0), k = per_sample(esz);
	/* every sample has room for k elements: the program reads that many */
	__u32 sample = HDR_SZ + k * esz, c, *hdr;
	__u64 ctx[2] = { kind, flags };
	LIBBPF_OPTS(bpf_test_run_opts, to, .ctx_in = ctx, .ctx_size_in = sizeof(ctx));
	__s32 *slot = (__s32 *)r->res;
	size_t n = e->n, room = r->ring_bytes / (8 + round8(sample)) * k, i;
	int err;

	if (n > r->slots)
		n = r->slots;
	if (n > room)
		n = room;
	for (i = 0; i < n; i += c) {
		c = n - i < k ? (__u32)(n - i) : k;
		hdr = user_ring_buffer__reserve(r->rb, sample);
		if (!hdr)
			break;
		hdr[0] = (__u32)i;
		hdr[1] = c;
		fill((__u8 *)hdr + HDR_SZ, e, i, c, ksz, vsz, update);
		user_ring_buffer__submit(r->rb, hdr);
	}
	n = i;
	if (!n) {
		/* a ring the last run left samples in: never again */
		r->failed = true;
		return 0;
	}
	for (i = 0; i < n; i++)
		slot[i] = SLOT_UNSET;
	err = bpf_prog_test_run_opts(prog_fd, &to);
	if (err) {
		err = -errno;
		pr_debug("mapq: program run failed (%d): map commands from now on", err);
		r->failed = true;
	} else if (to.retval != (n + k - 1) / k) {
		pr_debug("mapq: program drained %d of %zu samples: map commands from now on",
			 (int)to.retval, (n + k - 1) / k);
		r->failed = true;
	}
	for (i = 0; i < n; i++) {
		__s32 v = ((volatile __s32 *)slot)[i];

		if (v == SLOT_UNSET)
			break;
		res[i] = v;
	}
	if (i < n)
		r->failed = true;
	return !i && err ? err : (long)i;
}
