// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf_object__gen_loader(): instead of creating maps and loading programs,
 * bpf_object__load() writes a loader, a BPF_PROG_TYPE_SYSCALL program plus
 * its data blob, that does the same from inside the kernel when
 * bpf_load_and_run() (bpf/skel_internal.h) runs it.
 *
 * The blob is the value of the one-entry array map that bpf_load_and_run()
 * passes as fd_array[0]; the loader addresses it with ld_imm64
 * BPF_PSEUDO_MAP_IDX_VALUE (map 0, byte offset). It holds every bpf_attr
 * the loader passes to bpf_sys_bpf(), the object's BTF, the programs'
 * instructions, func/line info and license, the global data images, and a
 * table of the created map fds that the programs' loads use as their
 * fd_array (map references become BPF_PSEUDO_MAP_IDX[_VALUE] of the map's
 * index). Pointers inside those attrs are kernel addresses of the blob,
 * known only at run time: the loader stores them before each call.
 *
 * The context is the light skeleton: struct bpf_loader_ctx, then one
 * struct bpf_map_desc per map of the object, then one struct bpf_prog_desc
 * per program, both in object order. The loader writes the fds there; on
 * the first failing step it closes every fd it made, zeroes their slots and
 * returns that step's negative errno.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "bpf/btf.h"
#include "bpf/skel_internal.h"
#include "loader_internal.h"
#include "gen_loader_internal.h"

struct evbpf__gen {
	struct gen_loader_opts *opts;
	struct bpf_insn *insns;
	size_t insn_cnt, insn_cap;
	unsigned char *data;
	size_t data_sz, data_cap;
	size_t *fail_jumps;	/* insns that jump to the failure path */
	size_t nr_fail, fail_cap;
	bool nomem;
};

#define CTX_MAPS_OFF sizeof(struct bpf_loader_ctx)
#define BLOB_ALIGN 8

static struct bpf_insn insn_mk(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	struct bpf_insn insn = { .code = code, .dst_reg = dst, .src_reg = src,
				 .off = off, .imm = imm };

	return insn;
}

static void emit(struct evbpf__gen *g, struct bpf_insn insn)
{
	if (evbpf__ensure_mem((void **)&g->insns, &g->insn_cap, sizeof(insn),
			      g->insn_cnt + 1)) {
		g->nomem = true;
		return;
	}
	g->insns[g->insn_cnt++] = insn;
}

/* Appends @sz bytes (@p, or zeros) to the blob; their offset. */
static __u32 add_data(struct evbpf__gen *g, const void *p, size_t sz)
{
	size_t off = (g->data_sz + BLOB_ALIGN - 1) & ~(size_t)(BLOB_ALIGN - 1);

	if (evbpf__ensure_mem((void **)&g->data, &g->data_cap, 1, off + sz + 1)) {
		g->nomem = true;
		return 0;
	}
	memset(g->data + g->data_sz, 0, off - g->data_sz);
	if (p)
		memcpy(g->data + off, p, sz);
	else
		memset(g->data + off, 0, sz);
	g->data_sz = off + sz;
	return (__u32)off;
}

/* reg = kernel address of blob byte @off */
static void emit_ld_blob(struct evbpf__gen *g, int reg, __u32 off)
{
	emit(g, insn_mk(BPF_LD | BPF_DW | BPF_IMM, (__u8)reg, BPF_PSEUDO_MAP_IDX_VALUE, 0, 0));
	emit(g, insn_mk(0, 0, 0, 0, (__s32)off));
}

/* blob u64 at @field = address of blob byte @target */
static void emit_ptr(struct evbpf__gen *g, __u32 field, __u32 target)
{
	emit_ld_blob(g, BPF_REG_0, target);
	emit_ld_blob(g, BPF_REG_1, field);
	emit(g, insn_mk(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_0, 0, 0));
}

/* blob word at @dst = blob word at @src (@size: BPF_W or BPF_DW) */
static void emit_copy_blob(struct evbpf__gen *g, __u32 dst, __u32 src, int size)
{
	emit_ld_blob(g, BPF_REG_1, src);
	emit(g, insn_mk(BPF_LDX | BPF_MEM | size, BPF_REG_0, BPF_REG_1, 0, 0));
	emit_ld_blob(g, BPF_REG_1, dst);
	emit(g, insn_mk(BPF_STX | BPF_MEM | size, BPF_REG_1, BPF_REG_0, 0, 0));
}

/* blob word at @dst = ctx word at @ctx_off */
static void emit_copy_ctx(struct evbpf__gen *g, __u32 dst, __u32 ctx_off, int size)
{
	emit(g, insn_mk(BPF_LDX | BPF_MEM | size, BPF_REG_0, BPF_REG_6, (__s16)ctx_off, 0));
	emit_ld_blob(g, BPF_REG_1, dst);
	emit(g, insn_mk(BPF_STX | BPF_MEM | size, BPF_REG_1, BPF_REG_0, 0, 0));
}

/* if r0 s< 0 goto failure */
static void emit_check(struct evbpf__gen *g)
{
	if (evbpf__ensure_mem((void **)&g->fail_jumps, &g->fail_cap, sizeof(size_t),
			      g->nr_fail + 1)) {
		g->nomem = true;
		return;
	}
	g->fail_jumps[g->nr_fail++] = g->insn_cnt;
	emit(g, insn_mk(BPF_JMP | BPF_JSLT | BPF_K, BPF_REG_0, 0, 0, 0));
}

/* r0 = bpf_sys_bpf(cmd, &blob[attr], size); failure when negative */
static void emit_sys_bpf(struct evbpf__gen *g, int cmd, __u32 attr, __u32 size)
{
	emit(g, insn_mk(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, cmd));
	emit_ld_blob(g, BPF_REG_2, attr);
	emit(g, insn_mk(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, (__s32)size));
	emit(g, insn_mk(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_sys_bpf));
	emit_check(g);
}

/* closes the fd in the blob word @off (when > 0) */
static void emit_close_blob(struct evbpf__gen *g, __u32 off)
{
	emit_ld_blob(g, BPF_REG_1, off);
	emit(g, insn_mk(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_1, 0, 0));
	emit(g, insn_mk(BPF_JMP | BPF_JSLE | BPF_K, BPF_REG_1, 0, 1, 0));
	emit(g, insn_mk(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_sys_close));
}

/* closes the fd in ctx word @off (when > 0) and zeroes the slot */
static void emit_close_ctx(struct evbpf__gen *g, __u32 off)
{
	emit(g, insn_mk(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_6, (__s16)off, 0));
	emit(g, insn_mk(BPF_JMP | BPF_JSLE | BPF_K, BPF_REG_1, 0, 3, 0));
	emit(g, insn_mk(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_sys_close));
	emit(g, insn_mk(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 0));
	emit(g, insn_mk(BPF_STX | BPF_MEM | BPF_W, BPF_REG_6, BPF_REG_1, (__s16)off, 0));
}

#define ATTR_END(field) ((__u32)(offsetof(union bpf_attr, field) + \
				 sizeof(((union bpf_attr *)0)->field)))
#define ATTR_AT(attr_off, field) ((__u32)((attr_off) + offsetof(union bpf_attr, field)))

static __u32 map_desc_off(size_t i)
{
	return (__u32)(CTX_MAPS_OFF + i * sizeof(struct bpf_map_desc));
}

static __u32 prog_desc_off(const struct bpf_object *obj, size_t i)
{
	return (__u32)(map_desc_off(obj->nr_maps) + i * sizeof(struct bpf_prog_desc));
}

/* What a loader cannot do, refused before anything is emitted. */
static int check_object(struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_maps; i++) {
		const struct bpf_map *map = &obj->maps[i];
		const char *why = NULL;

		if (!map->autocreate)
			continue;
		if (map->inner || map->inner_map_fd >= 0 || map->nr_init_slots)
			why = "map-in-map and initial slots";
		else if (map->type == BPF_MAP_TYPE_STRUCT_OPS || map->btf_vmlinux_value_type_id)
			why = "struct_ops maps";
		else if (map->pin_path)
			why = "pinned maps";
		else if (map->excl_prog)
			why = "exclusive maps";
		else if (map->reused || map->fd >= 0)
			why = "reused maps";
		if (why) {
			pr_warn("%s: map '%s': the generated loader cannot create %s", obj->name,
				map->name, why);
			return -EOPNOTSUPP;
		}
	}
	for (i = 0; i < obj->nr_progs; i++) {
		const struct bpf_program *prog = &obj->progs[i];

		if (!prog->autoload)
			continue;
		if (!prog->has_def && !prog->type) {
			pr_warn("%s: section '%s' offset 0: prog '%s': unknown section name, no "
				"program type; use bpf_program__set_type()", obj->name,
				prog->sec_name, prog->name);
			return -EINVAL;
		}
		if (prog->type == BPF_PROG_TYPE_STRUCT_OPS) {
			pr_warn("%s: prog '%s': the generated loader cannot load struct_ops "
				"programs", obj->name, prog->name);
			return -EOPNOTSUPP;
		}
		if (prog->attach_prog_fd > 0 || (prog->has_def && prog->def.prepare_fn) ||
		    prog->ifindex) {
			pr_warn("%s: prog '%s': the generated loader cannot load programs with an "
				"attach program fd, an offload ifindex or a custom prepare "
				"callback", obj->name, prog->name);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

int evbpf__gen_check(struct bpf_object *obj)
{
	int err = check_object(obj);

	if (err)
		return err;
	/* the BTF goes into the blob, not the kernel: func/line info and the
	 * maps' type ids are kept as if it were loaded */
	if (obj->btf)
		obj->btf_loaded = true;
	return 0;
}

static void emit_btf(struct evbpf__gen *g, struct bpf_object *obj, __u32 btf_fd_slot)
{
	union bpf_attr attr;
	const void *raw;
	__u32 size, data, at;

	raw = btf__raw_data(obj->btf, &size);
	if (!raw) {
		g->nomem = true;
		return;
	}
	data = add_data(g, raw, size);
	memset(&attr, 0, sizeof(attr));
	attr.btf_size = size;
	at = add_data(g, &attr, sizeof(attr));
	emit_ptr(g, ATTR_AT(at, btf), data);
	emit_sys_bpf(g, BPF_BTF_LOAD, at, ATTR_END(btf_log_level));
	emit_ld_blob(g, BPF_REG_1, btf_fd_slot);
	emit(g, insn_mk(BPF_STX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_0, 0, 0));
}

static int emit_map(struct evbpf__gen *g, struct bpf_object *obj, size_t i,
		    __u32 fds, __u32 btf_fd_slot)
{
	struct bpf_map *map = &obj->maps[i];
	__u32 desc = map_desc_off(i), fd_slot = fds + (__u32)(i * sizeof(int));
	bool internal = map->kind != EVBPF_MAP_USER;
	union bpf_attr attr;
	__u32 at, image = 0, key, ua, fa;
	size_t skip_at;
	int err;

	err = evbpf__map_create_defaults(map);
	if (err)
		return err;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = map->type;
	attr.key_size = map->key_size;
	attr.value_size = map->value_size;
	attr.max_entries = map->max_entries;
	attr.map_flags = map->map_flags;
	attr.numa_node = map->numa_node;
	attr.map_extra = map->map_extra;
	strncpy(attr.map_name, map->name, sizeof(attr.map_name) - 1);
	if (obj->btf && map->btf_value_type_id) {
		attr.btf_key_type_id = map->btf_key_type_id;
		attr.btf_value_type_id = map->btf_value_type_id;
	}
	at = add_data(g, &attr, sizeof(attr));
	if (obj->btf && map->btf_value_type_id)
		emit_copy_blob(g, ATTR_AT(at, btf_fd), btf_fd_slot, BPF_W);
	/* a max_entries the skeleton set before load wins */
	emit(g, insn_mk(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_0, BPF_REG_6,
			(__s16)(desc + offsetof(struct bpf_map_desc, max_entries)), 0));
	skip_at = g->insn_cnt;
	emit(g, insn_mk(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 0, 0));
	emit_ld_blob(g, BPF_REG_1, ATTR_AT(at, max_entries));
	emit(g, insn_mk(BPF_STX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_0, 0, 0));
	if (!g->nomem)
		g->insns[skip_at].off = (__s16)(g->insn_cnt - skip_at - 1);
	emit_sys_bpf(g, BPF_MAP_CREATE, at, ATTR_END(map_extra));
	emit(g, insn_mk(BPF_STX | BPF_MEM | BPF_W, BPF_REG_6, BPF_REG_0,
			(__s16)(desc + offsetof(struct bpf_map_desc, map_fd)), 0));
	emit_ld_blob(g, BPF_REG_1, fd_slot);
	emit(g, insn_mk(BPF_STX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_0, 0, 0));
	if (!internal || !map->image)
		return 0;

	/* global data: the skeleton's staging copy (initial_value) when it
	 * gives one, else the object's image, becomes element 0 */
	image = add_data(g, map->image, map->value_size);
	emit(g, insn_mk(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_3, BPF_REG_6,
			(__s16)(desc + offsetof(struct bpf_map_desc, initial_value)), 0));
	skip_at = g->insn_cnt;
	emit(g, insn_mk(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_3, 0, 0, 0));
	emit_ld_blob(g, BPF_REG_1, image);
	emit(g, insn_mk(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, (__s32)map->value_size));
	emit(g, insn_mk(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_0, BPF_REG_6,
			offsetof(struct bpf_loader_ctx, flags), 0));
	emit(g, insn_mk(BPF_JMP | BPF_JSET | BPF_K, BPF_REG_0, 0, 2, BPF_SKEL_KERNEL));
	emit(g, insn_mk(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_copy_from_user));
	emit(g, insn_mk(BPF_JMP | BPF_JA, 0, 0, 1, 0));
	emit(g, insn_mk(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_kernel));
	emit_check(g);
	if (!g->nomem)
		g->insns[skip_at].off = (__s16)(g->insn_cnt - skip_at - 1);

	key = add_data(g, NULL, sizeof(__u32));
	memset(&attr, 0, sizeof(attr));
	ua = add_data(g, &attr, sizeof(attr));
	emit_copy_blob(g, ATTR_AT(ua, map_fd), fd_slot, BPF_W);
	emit_ptr(g, ATTR_AT(ua, key), key);
	emit_ptr(g, ATTR_AT(ua, value), image);
	emit_sys_bpf(g, BPF_MAP_UPDATE_ELEM, ua, ATTR_END(flags));
	if (map->kind == EVBPF_MAP_RODATA || map->kind == EVBPF_MAP_KCONFIG) {
		fa = add_data(g, &attr, sizeof(attr));
		emit_copy_blob(g, ATTR_AT(fa, map_fd), fd_slot, BPF_W);
		emit_sys_bpf(g, BPF_MAP_FREEZE, fa, ATTR_END(map_fd));
	}
	return 0;
}

/* The final image with map references turned into fd_array indexes. */
static int emit_prog(struct evbpf__gen *g, struct bpf_object *obj, size_t i,
		     __u32 fds, __u32 btf_fd_slot, __u32 license)
{
	struct bpf_program *prog = &obj->progs[i];
	struct bpf_insn *insns;
	union bpf_attr attr;
	__u32 at, code, fi = 0, li = 0;
	size_t k;
	int err;

	err = evbpf__prog_resolve_attach_btf(obj, prog);
	if (err)
		return err;
	if (prog->attach_btf_obj_fd_id || prog->fd_array_cnt > 1) {
		pr_warn("%s: prog '%s': the generated loader resolves BTF ids against vmlinux "
			"only; this program needs a kernel module's BTF", obj->name, prog->name);
		return -EOPNOTSUPP;
	}
	insns = malloc(prog->insn_cnt * sizeof(*insns) + 1);
	if (!insns)
		return -ENOMEM;
	memcpy(insns, prog->insns, prog->insn_cnt * sizeof(*insns));
	for (k = 0; k < prog->nr_late_refs; k++) {
		struct bpf_insn *insn = &insns[prog->late_refs[k].insn];

		insn->src_reg = insn->src_reg == BPF_PSEUDO_MAP_VALUE ? BPF_PSEUDO_MAP_IDX_VALUE :
									BPF_PSEUDO_MAP_IDX;
		insn->imm = (__s32)prog->late_refs[k].map;
	}
	for (k = 0; k + 1 < prog->insn_cnt; k++) {
		if (insns[k].code != (BPF_LD | BPF_DW | BPF_IMM))
			continue;
		if (insns[k].src_reg == BPF_PSEUDO_BTF_ID && insns[k + 1].imm) {
			pr_warn("%s: prog '%s': insn %zu: the generated loader cannot refer to a "
				"kernel module's variable", obj->name, prog->name, k);
			free(insns);
			return -EOPNOTSUPP;
		}
		k++;
	}
	code = add_data(g, insns, prog->insn_cnt * sizeof(*insns));
	free(insns);
	if (prog->func_info_cnt) {
		fi = add_data(g, prog->func_info, (size_t)prog->func_info_cnt *
						  prog->func_info_rec_size);
		li = add_data(g, prog->line_info, (size_t)prog->line_info_cnt *
						  prog->line_info_rec_size);
	}

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = prog->type;
	attr.insn_cnt = (__u32)prog->insn_cnt;
	attr.kern_version = obj->kern_version;
	attr.prog_flags = prog->prog_flags;
	strncpy(attr.prog_name, prog->name, sizeof(attr.prog_name) - 1);
	attr.expected_attach_type = prog->expected_attach_type;
	attr.attach_btf_id = prog->attach_btf_id;
	if (prog->func_info_cnt) {
		attr.func_info_rec_size = prog->func_info_rec_size;
		attr.func_info_cnt = prog->func_info_cnt;
		attr.line_info_rec_size = prog->line_info_rec_size;
		attr.line_info_cnt = prog->line_info_cnt;
	}
	at = add_data(g, &attr, sizeof(attr));
	emit_ptr(g, ATTR_AT(at, insns), code);
	emit_ptr(g, ATTR_AT(at, license), license);
	if (obj->nr_maps)
		emit_ptr(g, ATTR_AT(at, fd_array), fds);
	if (prog->func_info_cnt) {
		emit_ptr(g, ATTR_AT(at, func_info), fi);
		if (prog->line_info_cnt)
			emit_ptr(g, ATTR_AT(at, line_info), li);
		emit_copy_blob(g, ATTR_AT(at, prog_btf_fd), btf_fd_slot, BPF_W);
	}
	/* the skeleton's verifier log settings */
	emit_copy_ctx(g, ATTR_AT(at, log_level), offsetof(struct bpf_loader_ctx, log_level),
		      BPF_W);
	emit_copy_ctx(g, ATTR_AT(at, log_size), offsetof(struct bpf_loader_ctx, log_size),
		      BPF_W);
	emit_copy_ctx(g, ATTR_AT(at, log_buf), offsetof(struct bpf_loader_ctx, log_buf),
		      BPF_DW);
	emit_sys_bpf(g, BPF_PROG_LOAD, at, ATTR_END(fd_array));
	emit(g, insn_mk(BPF_STX | BPF_MEM | BPF_W, BPF_REG_6, BPF_REG_0,
			(__s16)prog_desc_off(obj, i), 0));
	return 0;
}

int evbpf__gen_emit(struct bpf_object *obj)
{
	struct evbpf__gen *g = obj->gen;
	__u32 fds, btf_fd_slot, license;
	size_t i, k, fail;
	int err = 0;

	free(g->insns);
	free(g->data);
	g->insns = NULL;
	g->data = NULL;
	g->insn_cnt = g->insn_cap = g->data_sz = g->data_cap = g->nr_fail = 0;
	g->nomem = false;

	fds = add_data(g, NULL, evbpf__max(obj->nr_maps, (size_t)1) * sizeof(int));
	btf_fd_slot = add_data(g, NULL, sizeof(int));
	license = add_data(g, obj->license, strlen(obj->license) + 1);

	emit(g, insn_mk(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0));
	if (obj->btf)
		emit_btf(g, obj, btf_fd_slot);
	for (i = 0; i < obj->nr_maps && !err; i++)
		if (obj->maps[i].autocreate)
			err = emit_map(g, obj, i, fds, btf_fd_slot);
	for (i = 0; i < obj->nr_progs && !err; i++)
		if (obj->progs[i].autoload)
			err = emit_prog(g, obj, i, fds, btf_fd_slot, license);
	if (err)
		return err;
	/* success: the BTF fd was a temporary (maps and programs hold it) */
	if (obj->btf)
		emit_close_blob(g, btf_fd_slot);
	emit(g, insn_mk(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0));
	emit(g, insn_mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));

	/* failure: r0 is the errno of the failed step */
	fail = g->insn_cnt;
	emit(g, insn_mk(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0));
	if (obj->btf)
		emit_close_blob(g, btf_fd_slot);
	for (i = 0; i < obj->nr_maps; i++)
		if (obj->maps[i].autocreate)
			emit_close_ctx(g, map_desc_off(i));
	for (i = 0; i < obj->nr_progs; i++)
		if (obj->progs[i].autoload)
			emit_close_ctx(g, prog_desc_off(obj, i));
	emit(g, insn_mk(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_7, 0, 0));
	emit(g, insn_mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	if (g->nomem)
		return -ENOMEM;
	for (k = 0; k < g->nr_fail; k++) {
		size_t at = g->fail_jumps[k];

		if (fail - at - 1 > INT16_MAX) {
			pr_warn("%s: generated loader too long (%zu insns)", obj->name, g->insn_cnt);
			return -E2BIG;
		}
		g->insns[at].off = (__s16)(fail - at - 1);
	}
	if (g->data_sz > UINT32_MAX || g->insn_cnt * sizeof(struct bpf_insn) > UINT32_MAX) {
		pr_warn("%s: generated loader too large", obj->name);
		return -E2BIG;
	}
	g->opts->data = (const char *)g->data;
	g->opts->data_sz = (__u32)g->data_sz;
	g->opts->insns = (const char *)g->insns;
	g->opts->insns_sz = (__u32)(g->insn_cnt * sizeof(struct bpf_insn));
	pr_debug("%s: generated loader: %zu insns, %zu bytes of data", obj->name,
		 g->insn_cnt, g->data_sz);
	return 0;
}

void evbpf__gen_free(struct evbpf__gen *g)
{
	if (!g)
		return;
	free(g->insns);
	free(g->data);
	free(g->fail_jumps);
	free(g);
}

LIBBPF_API int bpf_object__gen_loader(struct bpf_object *obj, struct gen_loader_opts *opts)
{
	struct evbpf__gen *g;

	if (!obj || !opts || !OPTS_VALID(opts, gen_loader_opts, insns_sz))
		return evbpf__err(-EINVAL);
	if (obj->prepared || obj->loaded || obj->failed) {
		pr_warn("%s: bpf_object__gen_loader() must come before bpf_object__load()",
			obj->name);
		return evbpf__err(-EINVAL);
	}
	if (obj->gen) {
		obj->gen->opts = opts;
		return 0;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return evbpf__err(-ENOMEM);
	g->opts = opts;
	obj->gen = g;
	return 0;
}
