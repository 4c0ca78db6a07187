// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object's BTF on its way to the kernel. At open, the compiler's
 * placeholders are filled in the object's own BTF (DATASEC sizes and
 * variable offsets are only known from the ELF sections and symbols). At
 * load, a copy is rewritten for what the running kernel lacks (per the
 * feature probes) and loaded; the object's BTF then carries the fd.
 */
#include <stdlib.h>
#include <gelf.h>
#include <libelf.h>

#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "sys/features_internal.h"
#include "object_internal.h"

#ifndef BTF_INFO_ENC
#define BTF_INFO_ENC(kind, kflag, vlen) \
	(((__u32)!!(kflag) << 31) | ((__u32)(kind) << 24) | ((vlen) & 0xffff))
#endif
#ifndef BTF_INT_ENC
#define BTF_INT_ENC(encoding, bits_offset, nr_bits) \
	((__u32)(encoding) << 24 | (bits_offset) << 16 | (nr_bits))
#endif

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

static int vsi_cmp(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
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
	qsort(vsi, n, sizeof(*vsi), vsi_cmp);
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
			t->info = BTF_INFO_ENC(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC);
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

/* ---- sanitising a copy for the running kernel ---- */

static void dots_to_underscores(struct btf *btf, __u32 name_off)
{
	char *s = (char *)btf__name_by_offset(btf, name_off);

	for (; s && *s; s++)
		if (*s == '.' || *s == '?')
			*s = '_';
}

static void sanitize(struct btf *btf)
{
	bool has_datasec = evbpf__feat_supported(EVBPF_FEAT_BTF_DATASEC);
	bool has_func = evbpf__feat_supported(EVBPF_FEAT_BTF_FUNC);
	bool has_global = evbpf__feat_supported(EVBPF_FEAT_BTF_GLOBAL_FUNC);
	bool has_float = evbpf__feat_supported(EVBPF_FEAT_BTF_FLOAT);
	bool has_decl_tag = evbpf__feat_supported(EVBPF_FEAT_BTF_DECL_TAG);
	bool has_type_tag = evbpf__feat_supported(EVBPF_FEAT_BTF_TYPE_TAG);
	__u32 id, n = btf__type_cnt(btf);

	for (id = evbpf__btf_start_id(btf); id < n; id++) {
		struct btf_type *t = evbpf__btf_type_mut(btf, id);
		__u16 vlen;

		if (!t)
			continue;
		vlen = btf_vlen(t);
		switch (btf_kind(t)) {
		case BTF_KIND_VAR:
			if (has_datasec)
				break;
			/* same trailer size: a 4-byte int encoding */
			t->info = BTF_INFO_ENC(BTF_KIND_INT, 0, 0);
			t->size = 1;
			*(__u32 *)(t + 1) = BTF_INT_ENC(0, 0, 8);
			break;
		case BTF_KIND_DATASEC:
			if (has_datasec)
				break;
			{
				struct btf_var_secinfo *v = btf_var_secinfos(t);
				struct btf_member *m = (struct btf_member *)v;
				__u16 i;

				dots_to_underscores(btf, t->name_off);
				t->info = BTF_INFO_ENC(BTF_KIND_STRUCT, 0, vlen);
				for (i = 0; i < vlen; i++, v++, m++) {
					__u32 type = v->type, off = v->offset;
					const struct btf_type *vt = btf__type_by_id(btf, type);

					m->name_off = vt ? vt->name_off : 0;
					m->type = type;
					m->offset = off * 8;
				}
			}
			break;
		case BTF_KIND_FUNC_PROTO:
			if (!has_func)
				t->info = BTF_INFO_ENC(BTF_KIND_ENUM, 0, vlen);
			if (!has_func)
				t->size = sizeof(__u32);
			break;
		case BTF_KIND_FUNC:
			if (!has_func)
				t->info = BTF_INFO_ENC(BTF_KIND_TYPEDEF, 0, 0);
			else if (!has_global && vlen != BTF_FUNC_STATIC)
				t->info = BTF_INFO_ENC(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC);
			else if (vlen == BTF_FUNC_EXTERN)
				t->info = BTF_INFO_ENC(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL);
			break;
		case BTF_KIND_FLOAT:
			if (!has_float)
				t->info = BTF_INFO_ENC(BTF_KIND_STRUCT, 0, 0);
			break;
		case BTF_KIND_DECL_TAG:
			if (has_decl_tag)
				break;
			t->name_off = 0;
			t->info = BTF_INFO_ENC(BTF_KIND_INT, 0, 0);
			t->size = 1;
			*(__u32 *)(t + 1) = BTF_INT_ENC(0, 0, 8);
			break;
		case BTF_KIND_TYPE_TAG:
			if (!has_type_tag) {
				t->name_off = 0;
				t->info = BTF_INFO_ENC(BTF_KIND_CONST, 0, 0);
			}
			break;
		default:
			break;
		}
	}
}

static const char *log_tail(const char *log)
{
	size_t len = strlen(log);
	const char *p;

	if (len < 512)
		return log;
	p = log + len - 512;
	while (*p && *p != '\n')
		p++;
	return *p ? p + 1 : p;
}

int evbpf__btf_load_sanitized(struct bpf_object *obj)
{
	char *own_log = NULL, *log_buf = obj->log_buf;
	__u32 log_size = (__u32)evbpf__min(obj->log_size, (size_t)UINT32_MAX);
	struct btf *copy;
	const void *raw;
	__u32 size;
	int err, fd;

	if (!obj->btf || obj->btf_loaded)
		return 0;
	if (!evbpf__feat_supported(EVBPF_FEAT_BTF)) {
		pr_info("%s: kernel has no BTF support; loading without BTF", obj->name);
		return 0;
	}
	raw = btf__raw_data(obj->btf, &size);
	if (!raw)
		return -errno;
	copy = btf__new(raw, size);
	if (!copy)
		return -errno;
	sanitize(copy);
	err = evbpf__btf_load(copy, log_buf, log_buf ? log_size : 0, obj->log_level);
	if (err && !log_buf) {
		log_size = 1 << 20;
		own_log = malloc(log_size);
		if (own_log) {
			log_buf = own_log;
			err = evbpf__btf_load(copy, log_buf, log_size, 1);
		}
	}
	if (err) {
		/* BTF only adds information for programs and maps: go on
		 * without it, as libbpf does. */
		pr_warn("%s: section '.BTF' offset 0: kernel refused the object's BTF (%d), "
			"continuing without it%s%s", obj->name, err,
			log_buf && *log_buf ? "; log tail:\n" : "",
			log_buf && *log_buf ? log_tail(log_buf) : "");
		free(own_log);
		btf__free(copy);
		return 0;
	}
	free(own_log);
	fd = btf__fd(copy);
	btf__set_fd(copy, -1);
	btf__free(copy);
	btf__set_fd(obj->btf, fd);
	obj->btf_loaded = true;
	return 0;
}
