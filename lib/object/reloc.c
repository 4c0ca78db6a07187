// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Linking each program into its final image: the program's own function,
 * then every subprogram it reaches (bpf-to-bpf calls and callbacks taken
 * by address) appended once, with the .BTF.ext func_info/line_info records
 * of each piece moved to its new place. Map references become map fds,
 * global variable references map value + offset, extern references what
 * the extern resolution found. CO-RE is applied to each function's
 * instructions in its section copy before it is copied anywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <gelf.h>

#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "core/core_internal.h"
#include "loader_internal.h"

#define BPF_INSN_SZ sizeof(struct bpf_insn)

/* libbpf-compatible poison for references to maps that were not created:
 * the verifier refuses the program only if the instruction is reachable. */
#define EVBPF_POISON_MAP_BASE 2001000000

static bool is_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL);
}

static int rel_err(const struct bpf_object *obj, const struct evbpf__sec *sec,
		   size_t insn_idx, int err, const char *what, const char *name)
{
	pr_warn("%s: section '%s' offset %#zx: %s%s%s%s", obj->name, sec->name,
		insn_idx * BPF_INSN_SZ, what, name ? " '" : "", name ? name : "",
		name ? "'" : "");
	return err;
}

static const struct evbpf__rel *find_rel(const struct evbpf__sec *sec, size_t insn_idx)
{
	size_t lo = 0, hi = sec->nr_rels;
	__u32 off = (__u32)(insn_idx * BPF_INSN_SZ);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sec->rels[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sec->nr_rels && sec->rels[lo].off == off ? &sec->rels[lo] : NULL;
}

/* CO-RE on a function's instructions in its section copy, once. */
static int core_func(struct bpf_object *obj, const struct evbpf__func *fn)
{
	struct evbpf__sec *sec = &obj->secs[fn->sec];
	int err;

	if (!obj->core || sec->core_done[fn->sec_off])
		return 0;
	err = evbpf__core_relocate(obj->core, sec->name, (size_t)fn->sec_off * BPF_INSN_SZ,
				   sec->insns + fn->sec_off, fn->cnt);
	if (err < 0)
		return err;
	sec->core_done[fn->sec_off] = true;
	return 0;
}

struct link_state {
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_insn *insns;
	size_t cnt, cap;
	struct evbpf__piece *pieces;
	size_t nr_pieces, cap_pieces;
};

static int append_func(struct link_state *ls, int fn_idx, __u32 *off)
{
	const struct evbpf__func *fn = &ls->obj->funcs[fn_idx];
	size_t i;
	int err;

	for (i = 0; i < ls->nr_pieces; i++) {
		if (ls->pieces[i].fn == fn_idx) {
			*off = ls->pieces[i].off;
			return 0;
		}
	}
	err = core_func(ls->obj, fn);
	if (err)
		return err;
	if (evbpf__ensure_mem((void **)&ls->insns, &ls->cap, BPF_INSN_SZ, ls->cnt + fn->cnt) ||
	    evbpf__ensure_mem((void **)&ls->pieces, &ls->cap_pieces, sizeof(*ls->pieces),
			      ls->nr_pieces + 1))
		return -ENOMEM;
	memcpy(ls->insns + ls->cnt, ls->obj->secs[fn->sec].insns + fn->sec_off,
	       fn->cnt * BPF_INSN_SZ);
	ls->pieces[ls->nr_pieces].fn = fn_idx;
	ls->pieces[ls->nr_pieces].off = (__u32)ls->cnt;
	ls->nr_pieces++;
	*off = (__u32)ls->cnt;
	ls->cnt += fn->cnt;
	return 0;
}

static struct bpf_map *map_by_def(struct bpf_object *obj, int sec, __u64 off)
{
	size_t i;

	for (i = 0; i < obj->nr_maps; i++)
		if (obj->maps[i].sec == sec && obj->maps[i].sec_off == off &&
		    obj->maps[i].kind == EVBPF_MAP_USER)
			return &obj->maps[i];
	return NULL;
}

static void poison_map_ref(struct bpf_insn *insn, size_t map_idx)
{
	insn[0].code = BPF_JMP | BPF_CALL;
	insn[0].dst_reg = insn[0].src_reg = 0;
	insn[0].off = 0;
	insn[0].imm = EVBPF_POISON_MAP_BASE + (int)map_idx;
	insn[1] = insn[0];
}

/* Remembers that insn @insn of the image being linked loads @map, whose fd
 * comes after relocation. */
static int add_late_ref(struct link_state *ls, struct bpf_insn *insn, struct bpf_map *map)
{
	struct bpf_program *prog = ls->prog;

	if (prog->nr_late_refs == prog->late_refs_cap) {
		size_t cap = prog->late_refs_cap ? prog->late_refs_cap * 2 : 4;
		struct evbpf__map_ref *refs = realloc(prog->late_refs, cap * sizeof(*refs));

		if (!refs)
			return -ENOMEM;
		prog->late_refs = refs;
		prog->late_refs_cap = cap;
	}
	prog->late_refs[prog->nr_late_refs].insn = (__u32)(insn - ls->insns);
	prog->late_refs[prog->nr_late_refs].map = (__u32)(map - ls->obj->maps);
	prog->nr_late_refs++;
	return 0;
}

static int patch_map_ref(struct link_state *ls, const struct evbpf__sec *sec, size_t sidx,
			 struct bpf_insn *insn, struct bpf_map *map, bool value, __u32 off)
{
	if (map->fd < 0 && (map->excl_prog || ls->obj->gen) && map->autocreate) {
		/* the fd is not part of the program's digest: 0 until the
		 * map exists (or, for a generated loader, ever: the loader
		 * refers to maps by index) */
		insn[0].src_reg = value ? BPF_PSEUDO_MAP_VALUE : BPF_PSEUDO_MAP_FD;
		insn[0].imm = 0;
		insn[1].imm = value ? (__s32)off : 0;
		return add_late_ref(ls, insn, map);
	}
	if (map->fd < 0) {
		if (map->autocreate)
			return rel_err(ls->obj, sec, sidx, -EINVAL, "map not created:", map->name);
		pr_debug("%s: prog '%s': map '%s' not created, poisoning its reference",
			 ls->obj->name, ls->prog->name, map->name);
		poison_map_ref(insn, (size_t)(map - ls->obj->maps));
		return 0;
	}
	insn[0].src_reg = value ? BPF_PSEUDO_MAP_VALUE : BPF_PSEUDO_MAP_FD;
	insn[0].imm = map->fd;
	insn[1].imm = value ? (__s32)off : 0;
	return 0;
}

static int relocate_insn(struct link_state *ls, const struct evbpf__piece *piece, size_t i)
{
	struct bpf_object *obj = ls->obj;
	const struct evbpf__func *fn = &obj->funcs[piece->fn];
	const struct evbpf__sec *sec = &obj->secs[fn->sec];
	size_t sidx = fn->sec_off + i, pos = piece->off + i;
	const struct evbpf__rel *rel = find_rel(sec, sidx);
	struct bpf_insn *insn = &ls->insns[pos];
	const struct evbpf__sym *sym = rel ? &obj->syms[rel->sym] : NULL;
	long target = -1;
	int tsec = fn->sec, tfn, err;
	__u32 toff;

	if (evbpf__insn_is_ldimm64(insn) && i + 1 >= fn->cnt)
		return rel_err(obj, sec, sidx, -EINVAL, "ld_imm64 cut off at function end", NULL);
	if (sym && sym->shndx == SHN_UNDEF) {
		err = evbpf__extern_patch(obj, ls->prog, insn, sym);
		return err ? rel_err(obj, sec, sidx, err, "cannot patch extern", sym->name) : 0;
	}
	if (is_call(insn) && insn->src_reg == BPF_PSEUDO_CALL) {
		if (sym) {
			tsec = evbpf__sec_by_shndx(obj, sym->shndx);
			target = (long)(sym->value / BPF_INSN_SZ) + insn->imm + 1;
		} else {
			target = (long)sidx + insn->imm + 1;
		}
	} else if (evbpf__insn_is_ldimm64(insn) && sym) {
		int si = evbpf__sec_by_shndx(obj, sym->shndx);
		const struct evbpf__sec *ts = si >= 0 ? &obj->secs[si] : NULL;

		if (!ts)
			return rel_err(obj, sec, sidx, -EINVAL,
				       "reference to a symbol in an unsupported section:", sym->name);
		switch (ts->kind) {
		case EVBPF_SEC_PROG:
			if ((sym->value + (__u32)insn->imm) % BPF_INSN_SZ)
				return rel_err(obj, sec, sidx, -EINVAL,
					       "misaligned function address", sym->name);
			tsec = si;
			target = (long)((sym->value + (__u32)insn->imm) / BPF_INSN_SZ);
			insn->src_reg = BPF_PSEUDO_FUNC;
			break;
		case EVBPF_SEC_MAPS:
		case EVBPF_SEC_LEGACY_MAPS: {
			/* a static definition may have no symbol of its own: the
			 * section symbol plus the addend in imm names it */
			__u64 def_off = sym->type == STT_SECTION ?
					sym->value + (__u32)insn->imm : sym->value;
			struct bpf_map *map = map_by_def(obj, si, def_off);

			if (!map)
				return rel_err(obj, sec, sidx, -EINVAL,
					       "reference to an unknown map", sym->name);
			return patch_map_ref(ls, sec, sidx, insn, map, false, 0);
		}
		case EVBPF_SEC_DATA:
		case EVBPF_SEC_RODATA:
		case EVBPF_SEC_BSS: {
			__u64 off = sym->value + (__u32)insn->imm;

			if (ts->map_idx < 0 || off >= ts->size)
				return rel_err(obj, sec, sidx, -EINVAL,
					       "global variable reference outside its section",
					       sym->name);
			return patch_map_ref(ls, sec, sidx, insn, &obj->maps[ts->map_idx], true,
					     (__u32)off);
		}
		default:
			return rel_err(obj, sec, sidx, -EINVAL,
				       "reference to a symbol in an unsupported section:", sym->name);
		}
	} else if (sym) {
		return rel_err(obj, sec, sidx, -EINVAL,
			       "relocation on an instruction that is neither call nor ld_imm64",
			       sym->name);
	} else {
		return 0;
	}

	if (tsec < 0 || obj->secs[tsec].kind != EVBPF_SEC_PROG)
		return rel_err(obj, sec, sidx, -EINVAL, "call into a non-code section", NULL);
	tfn = evbpf__func_at(obj, tsec, target);
	if (tfn < 0)
		return rel_err(obj, sec, sidx, -EINVAL, "call target is not inside a function",
			       sym ? sym->name : NULL);
	err = append_func(ls, tfn, &toff);
	if (err)
		return err;
	insn = &ls->insns[pos]; /* the image may have moved */
	insn->imm = (__s32)((long)toff + (target - obj->funcs[tfn].sec_off) - (long)pos - 1);
	return 0;
}

/* func_info / line_info records of every piece, in final positions. */
static int collect_ext_info(struct link_state *ls, enum evbpf__btf_ext_kind kind,
			    void **out, __u32 *out_cnt, __u32 *out_rec_size)
{
	const struct bpf_object *obj = ls->obj;
	const struct evbpf__btf_ext_info *info;
	size_t p, cnt = 0, cap = 0;
	char *buf = NULL;

	*out = NULL;
	*out_cnt = *out_rec_size = 0;
	if (!obj->btf_ext || !obj->btf_loaded)
		return 0;
	info = evbpf__btf_ext_info(obj->btf_ext, kind);
	if (!info || !info->rec_size)
		return 0;
	for (p = 0; p < ls->nr_pieces; p++) {
		const struct evbpf__func *fn = &obj->funcs[ls->pieces[p].fn];
		const struct evbpf__btf_ext_sec *es;
		__u32 r;

		es = evbpf__btf_ext_find_sec(obj->btf_ext, obj->btf, kind,
					     obj->secs[fn->sec].name);
		if (!es)
			continue;
		for (r = 0; r < es->num_info; r++) {
			const void *rec = evbpf__btf_ext_rec(info, es, r);
			__u32 off;

			memcpy(&off, rec, sizeof(off)); /* insn_off leads both record kinds */
			if (off % BPF_INSN_SZ)
				continue;
			off /= BPF_INSN_SZ;
			if (off < fn->sec_off || off >= fn->sec_off + fn->cnt)
				continue;
			if (evbpf__ensure_mem((void **)&buf, &cap, info->rec_size, cnt + 1)) {
				free(buf);
				return -ENOMEM;
			}
			memcpy(buf + cnt * info->rec_size, rec, info->rec_size);
			off = ls->pieces[p].off + (off - fn->sec_off);
			memcpy(buf + cnt * info->rec_size, &off, sizeof(off));
			cnt++;
		}
	}
	*out = buf;
	*out_cnt = (__u32)cnt;
	*out_rec_size = info->rec_size;
	return 0;
}

static int link_prog(struct bpf_object *obj, struct bpf_program *prog)
{
	struct link_state ls = { .obj = obj, .prog = prog };
	size_t p, i;
	__u32 off;
	int err;

	prog->nr_late_refs = 0;
	err = append_func(&ls, prog->fn, &off);
	for (p = 0; !err && p < ls.nr_pieces; p++) {
		const struct evbpf__func *fn = &obj->funcs[ls.pieces[p].fn];

		for (i = 0; !err && i < fn->cnt; i++) {
			struct evbpf__piece piece = ls.pieces[p];

			err = relocate_insn(&ls, &piece, i);
			if (!err && evbpf__insn_is_ldimm64(&ls.insns[piece.off + i]))
				i++;
		}
	}
	if (!err) {
		free(prog->func_info);
		free(prog->line_info);
		prog->func_info = prog->line_info = NULL;
		err = collect_ext_info(&ls, EVBPF_BTF_EXT_FUNC_INFO, &prog->func_info,
				       &prog->func_info_cnt, &prog->func_info_rec_size);
		if (!err)
			err = collect_ext_info(&ls, EVBPF_BTF_EXT_LINE_INFO, &prog->line_info,
					       &prog->line_info_cnt, &prog->line_info_rec_size);
	}
	if (err) {
		free(ls.insns);
		free(ls.pieces);
		if (err == -ENOMEM)
			pr_warn("%s: prog '%s': out of memory while relocating", obj->name,
				prog->name);
		return err;
	}
	free(prog->insns);
	free(prog->pieces);
	prog->insns = ls.insns;
	prog->insn_cnt = ls.cnt;
	prog->pieces = ls.pieces;
	prog->nr_pieces = ls.nr_pieces;
	return 0;
}

int evbpf__relocate(struct bpf_object *obj)
{
	size_t i;
	int err;

	for (i = 0; i < obj->nr_progs; i++) {
		struct bpf_program *prog = &obj->progs[i];

		if (!prog->autoload || prog->user_insns)
			continue;
		err = link_prog(obj, prog);
		if (err)
			return err;
	}
	return 0;
}

bool evbpf__prog_insn_origin(const struct bpf_program *prog, size_t idx,
			     const char **sec_name, __u32 *sec_off)
{
	const struct bpf_object *obj = prog->obj;
	size_t p;

	for (p = 0; p < prog->nr_pieces; p++) {
		const struct evbpf__func *fn = &obj->funcs[prog->pieces[p].fn];

		if (idx >= prog->pieces[p].off && idx < prog->pieces[p].off + fn->cnt) {
			*sec_name = obj->secs[fn->sec].name;
			*sec_off = (__u32)((fn->sec_off + (idx - prog->pieces[p].off)) * BPF_INSN_SZ);
			return true;
		}
	}
	return false;
}
