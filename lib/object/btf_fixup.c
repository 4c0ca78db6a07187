// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object's BTF at open: the compiler leaves DATASEC sizes and variable
 * offsets as placeholders (they are only known from the ELF sections and
 * symbols), and global functions whose symbol is hidden keep their global
 * BTF linkage. Both are fixed in the object's own BTF here, before maps are
 * described from it.
 */
#include <stdlib.h>
#include <gelf.h>
#include <libelf.h>

#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "loader_internal.h"

/* ELF section named @name: its index and size; false when absent. */
static bool elf_sec_by_name(const struct bpf_object *obj, const char *name,
			    size_t *idx, size_t *size)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(obj->elf, &shstrndx))
		return false;
	while ((scn = elf_nextscn(obj->elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh))
			continue;
		n = elf_strptr(obj->elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name)) {
			*idx = elf_ndxscn(scn);
			*size = sh.sh_size;
			return true;
		}
	}
	return false;
}

static const struct evbpf__sym *find_obj_sym(const struct bpf_object *obj,
					     const char *name, size_t shndx)
{
	size_t i;

	for (i = 0; i < obj->nr_syms; i++) {
		const struct evbpf__sym *s = &obj->syms[i];

		if (s->shndx == shndx && s->type == STT_OBJECT && !strcmp(s->name, name))
			return s;
	}
	return NULL;
}

static int fixup_datasec(struct bpf_object *obj, __u32 id, struct btf_type *t)
{
	const char *name = btf__name_by_offset(obj->btf, t->name_off);
	struct btf_var_secinfo *vsi = btf_var_secinfos(t);
	size_t idx, size, i, n = btf_vlen(t);

	if (!name)
		return 0;
	/* .kconfig and .ksyms are laid out by the extern code. */
	if (!strcmp(name, ".kconfig") || !strcmp(name, ".ksyms"))
		return 0;
	if (!elf_sec_by_name(obj, name, &idx, &size)) {
		pr_debug("%s: BTF DATASEC '%s' [%u] has no ELF section", obj->name, name, id);
		return 0;
	}
	if (!t->size)
		t->size = (__u32)size;
	for (i = 0; i < n; i++) {
		const struct btf_type *vt = btf__type_by_id(obj->btf, vsi[i].type);
		const struct evbpf__sym *sym;
		const char *vname;

		if (!vt || !btf_is_var(vt))
			continue;
		vname = btf__name_by_offset(obj->btf, vt->name_off);
		sym = vname ? find_obj_sym(obj, vname, idx) : NULL;
		if (!sym)
			continue;
		if (sym->value > t->size || vsi[i].size > t->size - sym->value) {
			pr_warn("%s: section '%s' offset %#llx: variable '%s' lies outside the section",
				obj->name, name, (unsigned long long)sym->value, vname);
			return -EINVAL;
		}
		vsi[i].offset = (__u32)sym->value;
	}
	evbpf__btf_datasec_sort(t);
	return 0;
}

/*
 * A global function whose symbol is hidden (`__hidden`, visibility
 * "hidden" or "internal") cannot be called from outside the object, so its
 * BTF linkage becomes static: the verifier then checks it in each caller's
 * context instead of on its own as a global function, as libbpf does.
 */
static void hidden_funcs_to_static(struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_syms; i++) {
		const struct evbpf__sym *s = &obj->syms[i];
		struct btf_type *t;
		__s32 id;

		if (s->type != STT_FUNC || s->bind == STB_LOCAL || s->shndx == SHN_UNDEF ||
		    (s->vis != STV_HIDDEN && s->vis != STV_INTERNAL) || !s->name || !*s->name)
			continue;
		id = btf__find_by_name_kind(obj->btf, s->name, BTF_KIND_FUNC);
		if (id <= 0)
			continue;
		t = evbpf__btf_type_mut(obj->btf, (__u32)id);
		if (t && btf_vlen(t) == BTF_FUNC_GLOBAL) {
			t->info = EVBPF_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC);
			pr_debug("%s: hidden function '%s' gets static BTF linkage",
				 obj->name, s->name);
		}
	}
}

int evbpf__btf_fixup(struct bpf_object *obj)
{
	__u32 id, n;
	int err;

	if (!obj->btf)
		return 0;
	hidden_funcs_to_static(obj);
	n = btf__type_cnt(obj->btf);
	for (id = evbpf__btf_start_id(obj->btf); id < n; id++) {
		struct btf_type *t = evbpf__btf_type_mut(obj->btf, id);

		if (!t || !btf_is_datasec(t))
			continue;
		err = fixup_datasec(obj, id, t);
		if (err)
			return err;
	}
	return 0;
}
