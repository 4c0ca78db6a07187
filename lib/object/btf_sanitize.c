// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object's BTF on its way to the kernel at prepare: a copy is rewritten
 * for what the running kernel lacks (per the feature probes) and loaded;
 * the object's BTF then carries the fd. A refusal is logged and the object
 * goes on without BTF.
 */
#include <stdlib.h>

#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "sys/features_internal.h"
#include "loader_internal.h"

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
			t->info = EVBPF_BTF_INFO(BTF_KIND_INT, 0, 0);
			t->size = 1;
			*(__u32 *)(t + 1) = EVBPF_BTF_INT(0, 0, 8);
			break;
		case BTF_KIND_DATASEC:
			if (has_datasec)
				break;
			{
				struct btf_var_secinfo *v = btf_var_secinfos(t);
				struct btf_member *m = (struct btf_member *)v;
				__u16 i;

				dots_to_underscores(btf, t->name_off);
				t->info = EVBPF_BTF_INFO(BTF_KIND_STRUCT, 0, vlen);
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
				t->info = EVBPF_BTF_INFO(BTF_KIND_ENUM, 0, vlen);
			if (!has_func)
				t->size = sizeof(__u32);
			break;
		case BTF_KIND_FUNC:
			if (!has_func)
				t->info = EVBPF_BTF_INFO(BTF_KIND_TYPEDEF, 0, 0);
			else if (!has_global && vlen != BTF_FUNC_STATIC)
				t->info = EVBPF_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC);
			else if (vlen == BTF_FUNC_EXTERN)
				t->info = EVBPF_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL);
			break;
		case BTF_KIND_FLOAT:
			if (!has_float)
				t->info = EVBPF_BTF_INFO(BTF_KIND_STRUCT, 0, 0);
			break;
		case BTF_KIND_DECL_TAG:
			if (has_decl_tag)
				break;
			t->name_off = 0;
			t->info = EVBPF_BTF_INFO(BTF_KIND_INT, 0, 0);
			t->size = 1;
			*(__u32 *)(t + 1) = EVBPF_BTF_INT(0, 0, 8);
			break;
		case BTF_KIND_TYPE_TAG:
			if (!has_type_tag) {
				t->name_off = 0;
				t->info = EVBPF_BTF_INFO(BTF_KIND_CONST, 0, 0);
			}
			break;
		default:
			break;
		}
	}
}

/* The kernel needs the object's BTF for struct_ops maps (their value type
 * is named by it); everything else loads without it, with less
 * information (no function names or line info in the verifier log). */
static bool btf_mandatory(const struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_maps; i++)
		if (obj->maps[i].type == BPF_MAP_TYPE_STRUCT_OPS && obj->maps[i].autocreate)
			return true;
	return false;
}

/*
 * Loads the object's BTF (sanitised for the running kernel). When the
 * kernel refuses it: a transient failure (out of fds or memory) or an
 * object that cannot do without BTF fails the load; any other object goes
 * on without BTF, with a warning, as libbpf does.
 */
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
	err = evbpf__btf_load(copy, log_buf, log_buf ? log_size : 0, obj->log_level,
			      obj->token_fd);
	if (err && !log_buf) {
		log_size = 1 << 20;
		own_log = malloc(log_size);
		if (own_log) {
			log_buf = own_log;
			err = evbpf__btf_load(copy, log_buf, log_size, 1, obj->token_fd);
		}
	}
	if (err) {
		bool fatal = evbpf__err_transient(err) || btf_mandatory(obj);

		pr_warn("%s: section '.BTF' offset 0: kernel refused the object's BTF (%d), %s%s%s",
			obj->name, err,
			evbpf__err_transient(err) ? "not loading" :
			fatal ? "which its struct_ops maps need" : "continuing without it",
			log_buf && *log_buf ? "; log tail:\n" : "",
			log_buf && *log_buf ? evbpf__log_tail(log_buf, 512) : "");
		free(own_log);
		btf__free(copy);
		return fatal ? err : 0;
	}
	free(own_log);
	fd = btf__fd(copy);
	btf__set_fd(copy, -1);
	btf__free(copy);
	btf__set_fd(obj->btf, fd);
	obj->btf_loaded = true;
	return 0;
}
