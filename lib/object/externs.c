// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Finding an object's extern variables and functions in its BTF (the
 * DATASECs .kconfig and .ksyms that clang emits for __kconfig / __ksym
 * declarations) and laying out the .kconfig image.
 */
#include <stdlib.h>
#include <unistd.h>

#include "base/base_internal.h"
#include "btf/btf_internal.h"
#include "core/core_engine_internal.h"
#include "externs_internal.h"

#define KCONFIG_SEC ".kconfig"
#define KSYMS_SEC ".ksyms"

/* What a kconfig extern's C type allows its value to be. */
static enum evbpf__kcfg_type kcfg_type(const struct btf *btf, __u32 id, bool *is_signed,
				       int depth)
{
	const struct btf_type *t = evbpf__core_skip_mods_typedefs(btf, id, &id);
	const char *name;

	if (!t || depth > 8)
		return EVBPF_KCFG_UNKNOWN;
	name = btf__name_by_offset(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_INT: {
		__u8 enc = btf_int_encoding(t);

		if (enc & BTF_INT_BOOL)
			return t->size == 1 ? EVBPF_KCFG_BOOL : EVBPF_KCFG_UNKNOWN;
		if (is_signed)
			*is_signed = enc & BTF_INT_SIGNED;
		if (t->size == 1)
			return EVBPF_KCFG_CHAR;
		if (t->size != 2 && t->size != 4 && t->size != 8)
			return EVBPF_KCFG_UNKNOWN;
		return EVBPF_KCFG_INT;
	}
	case BTF_KIND_ENUM:
		if (t->size != 4)
			return EVBPF_KCFG_UNKNOWN;
		/* fallthrough */
	case BTF_KIND_ENUM64:
		return name && strcmp(name, "libbpf_tristate") == 0 ?
		       EVBPF_KCFG_TRISTATE : EVBPF_KCFG_UNKNOWN;
	case BTF_KIND_ARRAY:
		if (btf_array(t)->nelems == 0 ||
		    kcfg_type(btf, btf_array(t)->type, NULL, depth + 1) != EVBPF_KCFG_CHAR)
			return EVBPF_KCFG_UNKNOWN;
		return EVBPF_KCFG_CHAR_ARR;
	default:
		return EVBPF_KCFG_UNKNOWN;
	}
}

/* kconfig first; kconfig by decreasing alignment, increasing size, name;
 * the resulting offsets are the ones libbpf (and skeletons) use. */
static int ext_cmp(const void *pa, const void *pb)
{
	const struct evbpf__ext *a = pa, *b = pb;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->type == EVBPF_EXT_KCFG) {
		if (a->kcfg.align != b->kcfg.align)
			return a->kcfg.align > b->kcfg.align ? -1 : 1;
		if (a->kcfg.sz != b->kcfg.sz)
			return a->kcfg.sz < b->kcfg.sz ? -1 : 1;
	}
	return strcmp(a->name, b->name);
}

static int add_ext(const char *obj_name, const struct btf *btf, __u32 sec_id, bool kcfg,
		   const struct btf_var_secinfo *vs, struct evbpf__ext *ext)
{
	const struct btf_type *t = btf__type_by_id(btf, vs->type);
	const char *name;
	__s64 sz;
	int align;

	memset(ext, 0, sizeof(*ext));
	ext->ksym.btf_fd = -1;
	if (!t || (!btf_is_var(t) && !btf_is_func(t))) {
		pr_warn("object '%s': extern section %s: entry [%u] is neither a variable "
			"nor a function", obj_name, kcfg ? KCONFIG_SEC : KSYMS_SEC, vs->type);
		return -EINVAL;
	}
	name = btf__name_by_offset(btf, t->name_off);
	ext->btf_id = vs->type;
	ext->sec_btf_id = sec_id;
	if (!name || !*name) {
		pr_warn("object '%s': extern [%u] has no name", obj_name, vs->type);
		return -EINVAL;
	}
	/* a copy: the loader edits the BTF, which moves its strings */
	ext->name = strdup(name);
	if (!ext->name)
		return -ENOMEM;
	if (btf_is_var(t) && btf_var(t)->linkage != BTF_VAR_GLOBAL_EXTERN) {
		pr_warn("object '%s': '%s' in %s is not an extern", obj_name, ext->name,
			kcfg ? KCONFIG_SEC : KSYMS_SEC);
		return -EINVAL;
	}

	if (!kcfg) {
		ext->type = EVBPF_EXT_KSYM;
		ext->ksym.is_func = btf_is_func(t);
		evbpf__core_skip_mods_typedefs(btf, t->type, &ext->ksym.type_id);
		return 0;
	}

	ext->type = EVBPF_EXT_KCFG;
	if (btf_is_func(t)) {
		pr_warn("object '%s': function '%s' in %s", obj_name, ext->name, KCONFIG_SEC);
		return -EINVAL;
	}
	sz = btf__resolve_size(btf, t->type);
	align = btf__align_of(btf, t->type);
	ext->kcfg.type = kcfg_type(btf, t->type, &ext->kcfg.is_signed, 0);
	if (sz <= 0 || align <= 0 || ext->kcfg.type == EVBPF_KCFG_UNKNOWN) {
		pr_warn("object '%s': kconfig extern '%s' has an unsupported type "
			"(bool, char, integers, enum libbpf_tristate, char arrays)",
			obj_name, ext->name);
		return -ENOTSUP;
	}
	ext->kcfg.sz = (__u32)sz;
	ext->kcfg.align = (__u32)align;
	return 0;
}

int evbpf__externs_collect(const char *obj_name, const struct btf *btf,
			   struct evbpf__ext **exts, size_t *cnt, size_t *kcfg_sz)
{
	struct evbpf__ext *arr = NULL;
	size_t n = 0, i, off = 0;
	__u32 id, type_cnt;
	int err = 0;

	*exts = NULL;
	*cnt = 0;
	*kcfg_sz = 0;
	if (!obj_name)
		obj_name = "?";
	if (!btf)
		return 0;
	type_cnt = btf__type_cnt(btf);
	for (id = 1; id < type_cnt && !err; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vs;
		const char *name;
		bool kcfg;
		int j;

		if (!btf_is_datasec(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name)
			continue;
		if (strcmp(name, KCONFIG_SEC) == 0)
			kcfg = true;
		else if (strcmp(name, KSYMS_SEC) == 0)
			kcfg = false;
		else
			continue;
		vs = btf_var_secinfos(t);
		for (j = 0; j < btf_vlen(t); j++) {
			struct evbpf__ext *grown = realloc(arr, (n + 1) * sizeof(*arr));

			if (!grown) {
				err = -ENOMEM;
				break;
			}
			arr = grown;
			err = add_ext(obj_name, btf, id, kcfg, &vs[j], &arr[n]);
			if (err) {
				free((char *)arr[n].name);
				break;
			}
			n++;
		}
	}
	if (err) {
		evbpf__externs_free(arr, n);
		return evbpf__err(err);
	}
	if (n)
		qsort(arr, n, sizeof(*arr), ext_cmp);
	for (i = 0; i < n && arr[i].type == EVBPF_EXT_KCFG; i++) {
		off = (off + arr[i].kcfg.align - 1) / arr[i].kcfg.align * arr[i].kcfg.align;
		arr[i].kcfg.data_off = (__u32)off;
		off += arr[i].kcfg.sz;
	}
	*exts = arr;
	*cnt = n;
	*kcfg_sz = off;
	return 0;
}

void evbpf__externs_free(struct evbpf__ext *exts, size_t cnt)
{
	size_t i;

	for (i = 0; exts && i < cnt; i++) {
		if (exts[i].type == EVBPF_EXT_KSYM && exts[i].ksym.btf_fd >= 0)
			close(exts[i].ksym.btf_fd);
		free((char *)exts[i].name);
	}
	free(exts);
}
