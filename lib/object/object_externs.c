// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The loader's side of extern variables and functions (.kconfig, .ksyms):
 * finding them at open (externs_internal.h does the BTF work), laying out the
 * .kconfig map and making the BTF acceptable to the kernel, resolving
 * them at prepare, and patching the instructions that use them.
 */
#include <stdlib.h>
#include <gelf.h>

#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "externs_internal.h"
#include "object_internal.h"

static int vsi_cmp(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static struct evbpf__ext *ext_by_name(const struct bpf_object *obj, const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_exts; i++)
		if (!strcmp(obj->exts[i].name, name))
			return &obj->exts[i];
	return NULL;
}

/*
 * The kernel refuses extern linkage for BTF_KIND_FUNC and unnamed
 * parameters of a function's prototype ("Invalid func linkage", "Invalid
 * arg#N"), which clang emits for kfunc declarations. Such a FUNC becomes
 * global and its unnamed parameters get a name, so that the object's BTF
 * loads.
 */
static int fix_kfunc_btf(struct bpf_object *obj, __u32 func_id)
{
	struct btf_type *t = evbpf__btf_type_mut(obj->btf, func_id);
	struct btf_param *p;
	__u16 i, n;
	int name_off = 0;

	if (!t || !btf_is_func(t))
		return 0;
	if (btf_vlen(t) == BTF_FUNC_EXTERN)
		t->info = (t->info & ~0xffffU) | BTF_FUNC_GLOBAL;
	t = evbpf__btf_type_mut(obj->btf, t->type);
	if (!t || !btf_is_func_proto(t))
		return 0;
	n = btf_vlen(t);
	for (i = 0; i < n; i++) {
		p = &btf_params(t)[i];
		/* a trailing {0, 0} is "...", which needs no name */
		if (p->name_off || (!p->type && i == n - 1))
			continue;
		if (!name_off) {
			__u32 proto_id = evbpf__btf_type_mut(obj->btf, func_id)->type;

			name_off = btf__add_str(obj->btf, "arg");
			if (name_off < 0)
				return name_off;
			t = evbpf__btf_type_mut(obj->btf, proto_id);
			p = &btf_params(t)[i];
		}
		p->name_off = (__u32)name_off;
	}
	return 0;
}

/* .kconfig: offsets from the layout; .ksyms: consecutive slots, kfuncs
 * replaced by a dummy int variable. Extern linkage becomes "allocated",
 * which is all the kernel accepts. */
static int fixup_extern_btf(struct bpf_object *obj)
{
	__s32 kcfg_id = btf__find_by_name_kind(obj->btf, ".kconfig", BTF_KIND_DATASEC);
	__s32 ksym_id = btf__find_by_name_kind(obj->btf, ".ksyms", BTF_KIND_DATASEC);
	struct btf_var_secinfo *vsi;
	struct btf_type *t;
	__u16 i, n;

	if (kcfg_id > 0) {
		t = evbpf__btf_type_mut(obj->btf, (__u32)kcfg_id);
		if (!t)
			return -EINVAL;
		t->size = (__u32)obj->kcfg_sz;
		vsi = btf_var_secinfos(t);
		n = btf_vlen(t);
		for (i = 0; i < n; i++) {
			struct btf_type *vt = evbpf__btf_type_mut(obj->btf, vsi[i].type);
			size_t k;

			for (k = 0; k < obj->nr_exts; k++)
				if (obj->exts[k].btf_id == vsi[i].type)
					vsi[i].offset = obj->exts[k].kcfg.data_off;
			if (vt && btf_is_var(vt))
				btf_var(vt)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
		}
		qsort(vsi, n, sizeof(*vsi), vsi_cmp);
	}
	if (ksym_id > 0) {
		__s32 int_id = -1, dummy = -1;
		__u32 off = 0;

		t = evbpf__btf_type_mut(obj->btf, (__u32)ksym_id);
		if (!t)
			return -EINVAL;
		n = btf_vlen(t);
		for (i = 0; i < n; i++) {
			const struct btf_type *vt;

			t = evbpf__btf_type_mut(obj->btf, (__u32)ksym_id);
			vsi = &btf_var_secinfos(t)[i];
			vt = btf__type_by_id(obj->btf, vsi->type);
			if (vt && btf_is_func(vt)) {
				int err = fix_kfunc_btf(obj, vsi->type);

				if (err)
					return err;
				t = evbpf__btf_type_mut(obj->btf, (__u32)ksym_id);
				vsi = &btf_var_secinfos(t)[i];
				if (dummy < 0) {
					int_id = btf__find_by_name_kind(obj->btf, "int", BTF_KIND_INT);
					if (int_id < 0)
						int_id = btf__add_int(obj->btf, "int", 4, BTF_INT_SIGNED);
					if (int_id < 0)
						return int_id;
					dummy = btf__add_var(obj->btf, "__evbpf_ksym_func",
							     BTF_VAR_GLOBAL_ALLOCATED, int_id);
					if (dummy < 0)
						return dummy;
					/* adding types may move them */
					t = evbpf__btf_type_mut(obj->btf, (__u32)ksym_id);
					vsi = &btf_var_secinfos(t)[i];
				}
				vsi->type = (__u32)dummy;
				vsi->size = sizeof(int);
			} else if (vt && btf_is_var(vt)) {
				struct btf_type *mv = evbpf__btf_type_mut(obj->btf, vsi->type);
				__s64 sz = btf__resolve_size(obj->btf, vt->type);

				btf_var(mv)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
				vsi->size = sz > 0 ? (__u32)sz : sizeof(int);
			}
			off = (off + 7) / 8 * 8;
			vsi->offset = off;
			off += vsi->size;
		}
		t = evbpf__btf_type_mut(obj->btf, (__u32)ksym_id);
		t->size = off;
	}
	return 0;
}

static int add_kconfig_map(struct bpf_object *obj)
{
	if (!evbpf__add_internal_map(obj, ".kconfig", EVBPF_MAP_KCONFIG,
				     (__u32)obj->kcfg_sz))
		return -ENOMEM;
	obj->kcfg_map = (int)obj->nr_maps - 1;
	return 0;
}

int evbpf__obj_externs_collect(struct bpf_object *obj)
{
	size_t i, k;
	int err;

	if (!obj->btf)
		return 0;
	err = evbpf__externs_collect(obj->name, obj->btf, &obj->exts, &obj->nr_exts,
				     &obj->kcfg_sz);
	if (err)
		return err;
	if (!obj->nr_exts)
		return 0;
	for (i = 0; i < obj->nr_exts; i++) {
		for (k = 0; k < obj->nr_syms; k++) {
			const struct evbpf__sym *s = &obj->syms[k];

			if (s->shndx == SHN_UNDEF && !strcmp(s->name, obj->exts[i].name))
				obj->exts[i].is_weak = s->bind == STB_WEAK;
		}
	}
	err = fixup_extern_btf(obj);
	if (!err && obj->kcfg_sz)
		err = add_kconfig_map(obj);
	return err;
}

int evbpf__obj_externs_resolve(struct bpf_object *obj)
{
	int err;

	if (!obj->nr_exts)
		return 0;
	if (obj->kcfg_map >= 0) {
		err = evbpf__kconfig_resolve(obj->name, obj->exts, obj->nr_exts, obj->kconfig,
					     obj->maps[obj->kcfg_map].image);
		if (err)
			return err;
	}
	return evbpf__ksym_resolve(obj->name, obj->btf, obj->exts, obj->nr_exts);
}

static int fd_array_slot(struct bpf_program *prog, int fd)
{
	size_t i;
	int *grown;

	for (i = 1; i < prog->fd_array_cnt; i++)
		if (prog->fd_array[i] == fd)
			return (int)i;
	if (prog->fd_array_cnt >= INT16_MAX)
		return -E2BIG;
	grown = realloc(prog->fd_array, (prog->fd_array_cnt ? prog->fd_array_cnt + 1 : 2) *
				      sizeof(int));
	if (!grown)
		return -ENOMEM;
	prog->fd_array = grown;
	if (!prog->fd_array_cnt) {
		grown[0] = -1;
		prog->fd_array_cnt = 1;
	}
	grown[prog->fd_array_cnt] = fd;
	return (int)prog->fd_array_cnt++;
}

int evbpf__extern_patch(struct bpf_object *obj, struct bpf_program *prog,
			struct bpf_insn *insn, const struct evbpf__sym *sym)
{
	struct evbpf__ext *ext = ext_by_name(obj, sym->name);
	bool ldimm = insn->code == (BPF_LD | BPF_IMM | BPF_DW);
	bool call = insn->code == (BPF_JMP | BPF_CALL);

	if (!ext || (!ldimm && !call))
		return -EINVAL;
	if (ext->type == EVBPF_EXT_KCFG) {
		struct bpf_map *map;

		if (!ldimm || obj->kcfg_map < 0)
			return -EINVAL;
		map = &obj->maps[obj->kcfg_map];
		if (map->fd < 0)
			return -EINVAL;
		insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
		insn[0].imm = map->fd;
		insn[1].imm = (__s32)ext->kcfg.data_off;
		return 0;
	}
	if (call) {
		if (!ext->ksym.is_func)
			return -EINVAL;
		if (!ext->is_set) {
			insn->src_reg = 0;
			insn->imm = EVBPF_POISON_KFUNC_BASE + (int)(ext - obj->exts);
			return 0;
		}
		insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
		insn->imm = ext->ksym.kernel_btf_id;
		insn->off = 0;
		if (ext->ksym.btf_fd >= 0) {
			int slot = fd_array_slot(prog, ext->ksym.btf_fd);

			if (slot < 0)
				return slot;
			insn->off = (__s16)slot;
		}
		return 0;
	}
	if (!ext->is_set) {
		insn[0].src_reg = 0;
		insn[0].imm = 0;
		insn[1].imm = 0;
	} else if (!ext->ksym.is_func && !ext->ksym.type_id) {
		insn[0].src_reg = 0;
		insn[0].imm = (__s32)(__u32)ext->ksym.addr;
		insn[1].imm = (__s32)(__u32)(ext->ksym.addr >> 32);
	} else {
		insn[0].src_reg = BPF_PSEUDO_BTF_ID;
		insn[0].imm = ext->ksym.kernel_btf_id;
		insn[1].imm = ext->ksym.btf_fd >= 0 ? ext->ksym.btf_fd : 0;
	}
	return 0;
}
