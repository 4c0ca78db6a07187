// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Per-object CO-RE state: the target BTF chosen for the object, the
 * candidate lists of its local types (pruned as relocations match, so
 * later relocations of a type agree with earlier ones), and one result
 * per applied relocation for diagnostics. The matching itself lives in
 * relo_core.c, candidate indexes in core_cands.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/base_internal.h"
#include "btf/btf_internal.h"
#include "core_engine_internal.h"

struct evbpf__core {
	char *obj_name;
	const struct btf *local_btf;
	const struct btf_ext *btf_ext;
	const struct btf *user_target;
	char *custom_path;
	void (*on_match)(void *ctx, const struct evbpf__core_spec *targ);
	void *on_match_ctx;

	/* target: either an own BTF + index, or the kernel's */
	bool target_ready;
	int target_err;
	struct btf *custom_btf;
	struct evbpf__cand_index *own_idx;
	const char *own_name;
	const struct evbpf__kbtf *vmlinux;

	struct evbpf__core_cands *cands;	/* by local type id */
	__u32 cands_cnt;

	struct evbpf__core_spec *local, *targ, *scratch;

	struct evbpf__core_result *res;
	size_t res_cnt, res_cap;

	/* section names of results: copies, the loader may edit the BTF */
	char **sec_names;
	size_t sec_names_cnt, sec_names_cap;
};

static const char *obj_name(const struct evbpf__core *core)
{
	return core->obj_name ? core->obj_name : "?";
}

struct evbpf__core *evbpf__core_new(const struct evbpf__core_opts *opts)
{
	struct evbpf__core *core;

	if (!opts || !opts->local_btf)
		return evbpf__err_ptr(-EINVAL);
	core = calloc(1, sizeof(*core));
	if (!core)
		return evbpf__err_ptr(-ENOMEM);
	core->local_btf = opts->local_btf;
	core->btf_ext = opts->btf_ext;
	core->user_target = opts->target_btf;
	core->on_match = opts->on_match;
	core->on_match_ctx = opts->on_match_ctx;
	core->obj_name = strdup(opts->obj_name ? opts->obj_name : "?");
	if (opts->btf_custom_path)
		core->custom_path = strdup(opts->btf_custom_path);
	core->local = malloc(sizeof(*core->local));
	core->targ = malloc(sizeof(*core->targ));
	core->scratch = malloc(sizeof(*core->scratch));
	if (!core->obj_name || (opts->btf_custom_path && !core->custom_path) ||
	    !core->local || !core->targ || !core->scratch) {
		evbpf__core_free(core);
		return evbpf__err_ptr(-ENOMEM);
	}
	return core;
}

void evbpf__core_free(struct evbpf__core *core)
{
	size_t i;

	if (!core)
		return;
	for (i = 0; i < core->res_cnt; i++)
		free(core->res[i].text);
	free(core->res);
	for (i = 0; i < core->sec_names_cnt; i++)
		free(core->sec_names[i]);
	free(core->sec_names);
	for (i = 0; core->cands && i < core->cands_cnt; i++)
		free(core->cands[i].c);
	free(core->cands);
	evbpf__cand_index_free(core->own_idx);
	btf__free(core->custom_btf);
	free(core->local);
	free(core->targ);
	free(core->scratch);
	free(core->custom_path);
	free(core->obj_name);
	free(core);
}

static const struct evbpf__btf_ext_sec *find_sec(const struct evbpf__core *core,
						 const char *sec_name)
{
	if (!core->btf_ext || !sec_name)
		return NULL;
	return evbpf__btf_ext_find_sec(core->btf_ext, core->local_btf,
				       EVBPF_BTF_EXT_CORE_RELO, sec_name);
}

size_t evbpf__core_sec_relo_cnt(const struct evbpf__core *core, const char *sec_name)
{
	const struct evbpf__btf_ext_sec *sec = core ? find_sec(core, sec_name) : NULL;

	return sec ? sec->num_info : 0;
}

/* Chooses the target BTF on first need; the outcome (also a failure) is
 * kept for the object's lifetime. */
static int ensure_target(struct evbpf__core *core)
{
	const struct btf *tbtf = NULL;
	int err = 0;

	if (core->target_ready)
		return core->target_err;
	core->target_ready = true;

	if (core->user_target) {
		tbtf = core->user_target;
		core->own_name = "target BTF";
	} else if (core->custom_path) {
		core->custom_btf = btf__parse(core->custom_path, NULL);
		if (!core->custom_btf) {
			err = -errno;
			pr_warn("object '%s': cannot load btf_custom_path '%s': %d",
				obj_name(core), core->custom_path, err);
			core->target_err = err;
			return err;
		}
		tbtf = core->custom_btf;
		core->own_name = core->custom_path;
	}
	if (tbtf) {
		core->own_idx = evbpf__cand_index_new(tbtf, 1);
		if (!core->own_idx)
			err = -ENOMEM;
		core->target_err = err;
		return err;
	}
	err = evbpf__kbtf_vmlinux(&core->vmlinux);
	if (err)
		pr_warn("object '%s': CO-RE relocations need the kernel's BTF "
			"(/sys/kernel/btf/vmlinux): %d", obj_name(core), err);
	core->target_err = err;
	return err;
}

static int find_cands(struct evbpf__core *core, __u32 local_id,
		      struct evbpf__core_cands **out)
{
	struct evbpf__core_cands *cands;
	const struct evbpf__cand_index *idx;
	int n, err;

	if (!core->cands) {
		core->cands_cnt = btf__type_cnt(core->local_btf);
		core->cands = calloc(core->cands_cnt, sizeof(*core->cands));
		if (!core->cands)
			return -ENOMEM;
	}
	if (local_id >= core->cands_cnt)
		return -EINVAL;
	cands = &core->cands[local_id];
	*out = cands;
	if (cands->searched)
		return 0;

	err = ensure_target(core);
	if (err)
		return err;

	if (core->own_idx) {
		n = evbpf__cand_index_find(core->own_idx, core->own_name,
					   core->local_btf, local_id, cands);
		if (n < 0)
			return n;
	} else {
		const struct evbpf__kbtf *mods;
		size_t cnt, i;

		idx = evbpf__cand_index_kernel(core->vmlinux);
		if (!idx)
			return -errno;
		n = evbpf__cand_index_find(idx, "vmlinux", core->local_btf, local_id, cands);
		if (n < 0)
			return n;
		if (n == 0) {
			/* vmlinux has nothing: modules may */
			err = evbpf__kbtf_list(&mods, &cnt);
			if (err)
				return err;
			for (i = 1; i < cnt; i++) {
				idx = evbpf__cand_index_kernel(&mods[i]);
				if (!idx)
					return -errno;
				n = evbpf__cand_index_find(idx, mods[i].name, core->local_btf,
							   local_id, cands);
				if (n < 0)
					return n;
			}
		}
	}
	cands->searched = true;
	return 0;
}

/* A stable copy of @name, one per section and object. */
static const char *sec_name_copy(struct evbpf__core *core, const char *name)
{
	char **names;
	size_t i;

	for (i = 0; i < core->sec_names_cnt; i++)
		if (strcmp(core->sec_names[i], name) == 0)
			return core->sec_names[i];
	if (evbpf__ensure_mem((void **)&core->sec_names, &core->sec_names_cap,
			      sizeof(*core->sec_names), core->sec_names_cnt + 1))
		return NULL;
	names = core->sec_names;
	names[core->sec_names_cnt] = strdup(name);
	if (!names[core->sec_names_cnt])
		return NULL;
	return names[core->sec_names_cnt++];
}

static int add_result(struct evbpf__core *core, const char *sec_name, __u32 insn_off,
		      __u32 relo_idx, enum bpf_core_relo_kind kind,
		      const struct evbpf__core_res *res, char *text)
{
	struct evbpf__core_result *r;

	if (evbpf__ensure_mem((void **)&core->res, &core->res_cap, sizeof(*r), core->res_cnt + 1)) {
		free(text);
		return -ENOMEM;
	}
	r = &core->res[core->res_cnt++];
	r->sec_name = sec_name;
	r->insn_off = insn_off;
	r->relo_idx = relo_idx;
	r->kind = kind;
	r->poisoned = res->poison;
	r->orig_val = res->orig_val;
	r->new_val = res->new_val;
	r->text = text;
	return 0;
}

/* Why candidate @c did not match: the first step of the local access path
 * it cannot follow. Uses core->targ and core->scratch as scratch. */
static void cand_reason(struct evbpf__core *core, const struct evbpf__core_cand *c,
			char *buf, size_t size)
{
	const struct evbpf__core_spec *l = core->local;
	struct evbpf__core_spec *part = core->targ;
	int k;

	if (evbpf__core_kind_is_enumval(l->kind)) {
		snprintf(buf, size, "no enumerator %s", l->acc[0].name);
		return;
	}
	if (!evbpf__core_kind_is_field(l->kind)) {
		snprintf(buf, size, "type %s", l->kind == BPF_CORE_TYPE_MATCHES ?
			 "does not match" : "is incompatible");
		return;
	}
	*part = *l;
	for (k = 1; k <= l->len; k++) {
		part->len = k;
		if (evbpf__core_spec_match(part, c->btf, c->id, core->scratch) > 0)
			continue;
		if (l->acc[k - 1].name)
			snprintf(buf, size, "no compatible field '%s'", l->acc[k - 1].name);
		else
			snprintf(buf, size, "no element [%u]", l->acc[k - 1].idx);
		return;
	}
	snprintf(buf, size, "mismatch");
}

/* The one-line description of an applied relocation (malloc'ed). */
static char *describe(struct evbpf__core *core, __u32 relo_idx,
		      const struct evbpf__core_res *res, const struct evbpf__core_cands *cands)
{
	char lbuf[512], tbuf[512], cbuf[512];
	const char *where = core->own_name ? core->own_name : "kernel BTF";
	char *text = NULL;
	int n;

	evbpf__core_format_spec(lbuf, sizeof(lbuf), core->local);
	if (res->matched) {
		const char *in = "local BTF";
		size_t i;

		for (i = 0; cands && i < cands->len; i++)
			if (cands->c[i].btf == core->targ->btf && cands->c[i].id == core->targ->root_type_id)
				in = cands->c[i].btf_name;
		evbpf__core_format_spec(tbuf, sizeof(tbuf), core->targ);
		n = asprintf(&text, "relo #%u: %s -> %s in %s: %llu -> %llu%s", relo_idx,
			     lbuf, tbuf, in, (unsigned long long)res->orig_val,
			     (unsigned long long)res->new_val,
			     res->poison ? " (poisoned: field access of changed size)" : "");
	} else {
		size_t i, len = 0;

		cbuf[0] = '\0';
		for (i = 0; cands && i < cands->len && len < sizeof(cbuf); i++) {
			const struct btf_type *t = btf__type_by_id(cands->c[i].btf, cands->c[i].id);
			char reason[128];

			cand_reason(core, &cands->c[i], reason, sizeof(reason));
			len += snprintf(cbuf + len, sizeof(cbuf) - len, "%s[%u] %s %s in %s (%s)",
					i ? ", " : "", cands->c[i].id, evbpf__core_kind_name(t),
					btf__name_by_offset(cands->c[i].btf, t->name_off),
					cands->c[i].btf_name, reason);
		}
		if (!cands || !cands->len)
			snprintf(cbuf, sizeof(cbuf), "none");
		n = asprintf(&text, "relo #%u: %s not found in %s; candidates: %s; %s",
			     relo_idx, lbuf, where, cbuf,
			     res->poison ? "instruction poisoned" : "value");
		if (n >= 0 && !res->poison) {
			char *t2 = NULL;

			n = asprintf(&t2, "%s %llu -> %llu", text,
				     (unsigned long long)res->orig_val,
				     (unsigned long long)res->new_val);
			free(text);
			text = n >= 0 ? t2 : NULL;
		}
	}
	return n >= 0 ? text : NULL;
}

int evbpf__core_relocate(struct evbpf__core *core, const char *sec_name,
			 size_t sec_off, struct bpf_insn *insns, size_t insn_cnt)
{
	const struct evbpf__btf_ext_info *info;
	const struct evbpf__btf_ext_sec *sec;
	const char *sname;
	char why[256];
	int applied = 0, err;
	__u32 i;

	if (!core || !sec_name || (!insns && insn_cnt))
		return evbpf__err(-EINVAL);
	sec = find_sec(core, sec_name);
	if (!sec)
		return 0;
	info = evbpf__btf_ext_info(core->btf_ext, EVBPF_BTF_EXT_CORE_RELO);
	if (info->rec_size < sizeof(struct bpf_core_relo)) {
		pr_warn("object '%s': sec '%s': CO-RE record size %u too small",
			obj_name(core), sec_name, info->rec_size);
		return evbpf__err(-EINVAL);
	}
	sname = sec_name_copy(core, sec_name);
	if (!sname)
		return evbpf__err(-ENOMEM);

	for (i = 0; i < sec->num_info; i++) {
		struct evbpf__core_cands *cands = NULL;
		struct bpf_core_relo rec;
		struct evbpf__core_res res;
		size_t insn_idx;
		char *text;

		memcpy(&rec, evbpf__btf_ext_rec(info, sec, i), sizeof(rec));
		if (rec.insn_off % sizeof(struct bpf_insn)) {
			pr_warn("object '%s': sec '%s': relo #%u: insn offset %u not "
				"instruction-aligned", obj_name(core), sec_name, i, rec.insn_off);
			return evbpf__err(-EINVAL);
		}
		if (rec.insn_off < sec_off ||
		    rec.insn_off - sec_off >= insn_cnt * sizeof(struct bpf_insn))
			continue;
		insn_idx = (rec.insn_off - sec_off) / sizeof(struct bpf_insn);

		err = evbpf__core_parse_spec(core->local_btf, &rec, core->local);
		if (err) {
			const char *as = btf__str_by_offset(core->local_btf, rec.access_str_off);

			pr_warn("object '%s': sec '%s': relo #%u (insn off %u): %s relocation "
				"of type [%u] with access string '%s' does not fit the type: %d",
				obj_name(core), sec_name, i, rec.insn_off,
				evbpf__core_kind_str(rec.kind), rec.type_id, as ? as : "?", err);
			return evbpf__err(-EINVAL);
		}
		if (rec.kind != BPF_CORE_TYPE_ID_LOCAL) {
			const struct btf_type *lt = btf__type_by_id(core->local_btf, rec.type_id);
			const char *ln = btf__name_by_offset(core->local_btf, lt->name_off);

			if (!ln || !*ln) {
				pr_warn("object '%s': sec '%s': relo #%u (insn off %u): %s "
					"relocation of anonymous type [%u] is not supported",
					obj_name(core), sec_name, i, rec.insn_off,
					evbpf__core_kind_str(rec.kind), rec.type_id);
				return evbpf__err(-EOPNOTSUPP);
			}
			err = find_cands(core, rec.type_id, &cands);
			if (err) {
				pr_warn("object '%s': sec '%s': relo #%u: candidate search for "
					"[%u] %s failed: %d", obj_name(core), sec_name, i,
					rec.type_id, ln, err);
				return evbpf__err(err);
			}
		}

		why[0] = '\0';
		err = evbpf__core_calc_relo(core->local, cands, core->targ, core->scratch,
					    &res, why, sizeof(why));
		if (!err)
			err = evbpf__core_patch_insn(insns + insn_idx, insn_cnt - insn_idx,
						     &res, why, sizeof(why));
		if (err) {
			char lbuf[512];

			evbpf__core_format_spec(lbuf, sizeof(lbuf), core->local);
			pr_warn("object '%s': sec '%s': relo #%u (insn off %u): %s: %s",
				obj_name(core), sec_name, i, rec.insn_off, lbuf, why);
			return evbpf__err(err);
		}
		if (core->on_match && res.matched && rec.kind != BPF_CORE_TYPE_ID_LOCAL)
			core->on_match(core->on_match_ctx, core->targ);
		text = describe(core, i, &res, cands);
		if (!text)
			return evbpf__err(-ENOMEM);
		pr_debug("object '%s': sec '%s': insn off %u: %s", obj_name(core),
			 sec_name, rec.insn_off, text);
		err = add_result(core, sname, rec.insn_off, i, rec.kind, &res, text);
		if (err)
			return evbpf__err(err);
		applied++;
	}
	return applied;
}

size_t evbpf__core_result_cnt(const struct evbpf__core *core)
{
	return core ? core->res_cnt : 0;
}

const struct evbpf__core_result *evbpf__core_result(const struct evbpf__core *core,
						    size_t idx)
{
	if (!core || idx >= core->res_cnt)
		return evbpf__err_ptr(-ENOENT);
	return &core->res[idx];
}

const struct evbpf__core_result *
evbpf__core_find_poisoned(const struct evbpf__core *core, const char *sec_name,
			  __u32 insn_off)
{
	size_t i;

	for (i = core ? core->res_cnt : 0; i-- > 0;) {
		const struct evbpf__core_result *r = &core->res[i];

		if (r->poisoned && r->insn_off == insn_off && strcmp(r->sec_name, sec_name) == 0)
			return r;
	}
	return NULL;
}
