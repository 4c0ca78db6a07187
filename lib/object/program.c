// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Programs: the public bpf_program__* API, telling programs from
 * subprograms at open, BTF attach targets, and loading one linked program
 * into the kernel with its verifier log (captured on failure, grown on
 * ENOSPC, its tail logged at WARN, the whole of it in the user's buffer
 * when one is given).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <elf.h>

#include "bpf/bpf.h"
#include "bpf/btf.h"
#include "btf/btf_internal.h"
#include "core/core_internal.h"
#include "externs_internal.h"
#include "sys/features_internal.h"
#include "loader_internal.h"

#define BPF_INSN_SZ sizeof(struct bpf_insn)
#define EVBPF_POISON_MAP_BASE 2001000000

static bool prog_busy(const struct bpf_program *prog)
{
	return prog->obj->loaded || prog->fd >= 0;
}

/* ---- getters and setters ---- */

LIBBPF_API const char *bpf_program__name(const struct bpf_program *prog)
{
	return prog ? prog->name : NULL;
}

LIBBPF_API const char *bpf_program__section_name(const struct bpf_program *prog)
{
	return prog ? prog->sec_name : NULL;
}

LIBBPF_API bool bpf_program__autoload(const struct bpf_program *prog)
{
	return prog && prog->autoload;
}

LIBBPF_API int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)
{
	if (!prog)
		return evbpf__err(-EINVAL);
	if (prog_busy(prog) || prog->obj->prepared)
		return evbpf__err(-EINVAL);
	prog->autoload = autoload;
	return 0;
}

LIBBPF_API bool bpf_program__autoattach(const struct bpf_program *prog)
{
	return prog && prog->autoattach;
}

LIBBPF_API void bpf_program__set_autoattach(struct bpf_program *prog, bool autoattach)
{
	if (prog)
		prog->autoattach = autoattach;
}

LIBBPF_API const struct bpf_insn *bpf_program__insns(const struct bpf_program *prog)
{
	return prog ? prog->insns : NULL;
}

LIBBPF_API size_t bpf_program__insn_cnt(const struct bpf_program *prog)
{
	return prog ? prog->insn_cnt : 0;
}

LIBBPF_API int bpf_program__set_insns(struct bpf_program *prog, struct bpf_insn *new_insns,
				      size_t new_insn_cnt)
{
	struct bpf_insn *copy;

	if (!prog || !new_insns || !new_insn_cnt)
		return evbpf__err(-EINVAL);
	if (prog_busy(prog))
		return evbpf__err(-EBUSY);
	copy = malloc(new_insn_cnt * BPF_INSN_SZ);
	if (!copy)
		return evbpf__err(-ENOMEM);
	memcpy(copy, new_insns, new_insn_cnt * BPF_INSN_SZ);
	free(prog->insns);
	prog->insns = copy;
	prog->insn_cnt = new_insn_cnt;
	prog->user_insns = true;
	/* records of the old image no longer apply */
	free(prog->func_info);
	free(prog->line_info);
	prog->func_info = prog->line_info = NULL;
	prog->func_info_cnt = prog->line_info_cnt = 0;
	free(prog->pieces);
	prog->pieces = NULL;
	prog->nr_pieces = 0;
	return 0;
}

LIBBPF_API int bpf_program__fd(const struct bpf_program *prog)
{
	if (!prog || prog->fd < 0)
		return evbpf__err(-EINVAL);
	return prog->fd;
}

LIBBPF_API void bpf_program__set_ifindex(struct bpf_program *prog, __u32 ifindex)
{
	if (prog && !prog_busy(prog))
		prog->ifindex = ifindex;
}

LIBBPF_API enum bpf_prog_type bpf_program__type(const struct bpf_program *prog)
{
	return prog ? prog->type : BPF_PROG_TYPE_UNSPEC;
}

LIBBPF_API int bpf_program__set_type(struct bpf_program *prog, enum bpf_prog_type type)
{
	if (!prog)
		return evbpf__err(-EINVAL);
	if (prog_busy(prog))
		return evbpf__err(-EBUSY);
	prog->type = type;
	return 0;
}

LIBBPF_API enum bpf_attach_type
bpf_program__expected_attach_type(const struct bpf_program *prog)
{
	return prog ? prog->expected_attach_type : 0;
}

LIBBPF_API int bpf_program__set_expected_attach_type(struct bpf_program *prog,
						     enum bpf_attach_type type)
{
	if (!prog)
		return evbpf__err(-EINVAL);
	if (prog_busy(prog))
		return evbpf__err(-EBUSY);
	prog->expected_attach_type = type;
	return 0;
}

LIBBPF_API __u32 bpf_program__flags(const struct bpf_program *prog)
{
	return prog ? prog->prog_flags : 0;
}

/* The program's records as prepared for the kernel, when they have the
 * layout the UAPI struct describes. */
static void *ext_info(void *recs, __u32 rec_size, size_t want)
{
	if (!recs)
		return evbpf__err_ptr(-ENOENT);
	if (rec_size != want)
		return evbpf__err_ptr(-EOPNOTSUPP);
	return recs;
}

LIBBPF_API struct bpf_func_info *bpf_program__func_info(const struct bpf_program *prog)
{
	if (!prog)
		return evbpf__err_ptr(-EINVAL);
	return ext_info(prog->func_info, prog->func_info_rec_size,
			sizeof(struct bpf_func_info));
}

LIBBPF_API __u32 bpf_program__func_info_cnt(const struct bpf_program *prog)
{
	return prog && prog->func_info ? prog->func_info_cnt : 0;
}

LIBBPF_API struct bpf_line_info *bpf_program__line_info(const struct bpf_program *prog)
{
	if (!prog)
		return evbpf__err_ptr(-EINVAL);
	return ext_info(prog->line_info, prog->line_info_rec_size,
			sizeof(struct bpf_line_info));
}

LIBBPF_API __u32 bpf_program__line_info_cnt(const struct bpf_program *prog)
{
	return prog && prog->line_info ? prog->line_info_cnt : 0;
}

/* prog_flags = (prog_flags & ~@clear) | @set, refused once loaded */
static int change_flags(struct bpf_program *prog, __u32 clear, __u32 set)
{
	if (!prog)
		return evbpf__err(-EINVAL);
	if (prog_busy(prog))
		return evbpf__err(-EBUSY);
	prog->prog_flags = (prog->prog_flags & ~clear) | set;
	return 0;
}

LIBBPF_API int bpf_program__set_flags(struct bpf_program *prog, __u32 flags)
{
	return change_flags(prog, ~0u, flags);
}

LIBBPF_API int bpf_program__add_flags(struct bpf_program *prog, __u32 flags)
{
	return change_flags(prog, 0, flags);
}

LIBBPF_API int bpf_program__clear_flags(struct bpf_program *prog, __u32 flags)
{
	return change_flags(prog, flags, 0);
}

LIBBPF_API __u32 bpf_program__log_level(const struct bpf_program *prog)
{
	return prog ? prog->log_level : 0;
}

LIBBPF_API int bpf_program__set_log_level(struct bpf_program *prog, __u32 log_level)
{
	if (!prog)
		return evbpf__err(-EINVAL);
	if (prog_busy(prog))
		return evbpf__err(-EBUSY);
	prog->log_level = log_level;
	return 0;
}

LIBBPF_API const char *bpf_program__log_buf(const struct bpf_program *prog, size_t *log_size)
{
	if (!prog)
		return NULL;
	if (log_size)
		*log_size = prog->log_size;
	return prog->log_buf;
}

LIBBPF_API int bpf_program__set_log_buf(struct bpf_program *prog, char *log_buf,
					size_t log_size)
{
	if (!prog || !!log_buf != !!log_size || log_size > UINT32_MAX)
		return evbpf__err(-EINVAL);
	if (prog_busy(prog))
		return evbpf__err(-EBUSY);
	prog->log_buf = log_buf;
	prog->log_size = log_size;
	return 0;
}

LIBBPF_API int bpf_program__set_attach_target(struct bpf_program *prog, int attach_prog_fd,
					      const char *attach_func_name)
{
	char *copy = NULL;

	if (!prog || attach_prog_fd < 0)
		return evbpf__err(-EINVAL);
	if (prog_busy(prog))
		return evbpf__err(-EBUSY);
	if (attach_prog_fd && !attach_func_name)
		return evbpf__err(-EINVAL);
	if (attach_func_name) {
		copy = strdup(attach_func_name);
		if (!copy)
			return evbpf__err(-ENOMEM);
	}
	free(prog->attach_name);
	prog->attach_name = copy;
	prog->attach_prog_fd = attach_prog_fd ? attach_prog_fd : -1;
	prog->attach_btf_id = 0;
	return 0;
}

LIBBPF_API int bpf_program__assoc_struct_ops(struct bpf_program *prog, struct bpf_map *map,
					     struct bpf_prog_assoc_struct_ops_opts *opts)
{
	int prog_fd, map_fd;

	if (!prog || !map)
		return evbpf__err(-EINVAL);
	prog_fd = bpf_program__fd(prog);
	if (prog_fd < 0) {
		pr_warn("%s: prog '%s': cannot associate a struct_ops map: program not loaded",
			prog->obj->name, prog->name);
		return evbpf__err(-EINVAL);
	}
	if (prog->type == BPF_PROG_TYPE_STRUCT_OPS) {
		pr_warn("%s: prog '%s': a struct_ops program is associated by its map already",
			prog->obj->name, prog->name);
		return evbpf__err(-EINVAL);
	}
	map_fd = bpf_map__fd(map);
	if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS || map_fd < 0) {
		pr_warn("%s: prog '%s': map '%s' is not a created struct_ops map",
			prog->obj->name, prog->name, bpf_map__name(map));
		return evbpf__err(-EINVAL);
	}
	return bpf_prog_assoc_struct_ops(prog_fd, map_fd, opts);
}

LIBBPF_API int bpf_program__pin(struct bpf_program *prog, const char *path)
{
	int err;

	if (!prog || !path)
		return evbpf__err(-EINVAL);
	if (prog->fd < 0) {
		pr_warn("%s: prog '%s': cannot pin a program that is not loaded",
			prog->obj->name, prog->name);
		return evbpf__err(-EINVAL);
	}
	err = bpf_obj_pin(prog->fd, path);
	if (err) {
		pr_warn("%s: prog '%s': failed to pin at %s: %d", prog->obj->name, prog->name,
			path, err);
		return evbpf__err(err);
	}
	return 0;
}

LIBBPF_API int bpf_program__unpin(struct bpf_program *prog, const char *path)
{
	if (!prog || !path)
		return evbpf__err(-EINVAL);
	if (unlink(path))
		return evbpf__err(-errno);
	return 0;
}

LIBBPF_API void bpf_program__unload(struct bpf_program *prog)
{
	if (!prog)
		return;
	evbpf__close(prog->fd);
	prog->fd = -1;
}

/* ---- accessors for attach code ---- */

const struct bpf_object *evbpf__prog_obj(const struct bpf_program *prog)
{
	return prog ? prog->obj : NULL;
}

void evbpf__prog_free(struct bpf_program *prog)
{
	if (!prog)
		return;
	evbpf__close(prog->fd);
	prog->fd = -1;
	free(prog->name);
	free(prog->sec_name);
	free(prog->attach_name);
	free(prog->insns);
	free(prog->pieces);
	free(prog->func_info);
	free(prog->line_info);
	free(prog->fd_array);
	free(prog->late_refs);
	memset(prog, 0, sizeof(*prog));
	prog->fd = -1;
}

/* ---- collecting programs at open ---- */

/* Marks functions that code calls or takes the address of: a static
 * function in a program section that others call is a subprogram. */
static void mark_referenced(const struct bpf_object *obj, bool *referenced)
{
	size_t si, r;

	for (si = 0; si < obj->nr_secs; si++) {
		const struct evbpf__sec *s = &obj->secs[si];
		size_t i;

		if (s->kind != EVBPF_SEC_PROG)
			continue;
		r = 0;
		for (i = 0; i < s->insn_cnt; i++) {
			const struct bpf_insn *insn = &s->insns[i];
			const struct evbpf__rel *rel = NULL;
			long target = -1;
			int tsec = (int)si, fn;

			while (r < s->nr_rels && s->rels[r].off < i * BPF_INSN_SZ)
				r++;
			if (r < s->nr_rels && s->rels[r].off == i * BPF_INSN_SZ)
				rel = &s->rels[r];
			if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL) {
				if (rel) {
					const struct evbpf__sym *sym = &obj->syms[rel->sym];

					tsec = evbpf__sec_by_shndx(obj, sym->shndx);
					target = (long)(sym->value / BPF_INSN_SZ) + insn->imm + 1;
				} else {
					target = (long)i + insn->imm + 1;
				}
			} else if (evbpf__insn_is_ldimm64(insn) && rel) {
				const struct evbpf__sym *sym = &obj->syms[rel->sym];

				tsec = evbpf__sec_by_shndx(obj, sym->shndx);
				if (tsec < 0 || obj->secs[tsec].kind != EVBPF_SEC_PROG)
					continue;
				target = (long)((sym->value + (__u32)insn->imm) / BPF_INSN_SZ);
			}
			if (target < 0 || tsec < 0 || target > UINT32_MAX)
				continue;
			fn = evbpf__func_at(obj, tsec, target);
			if (fn >= 0)
				referenced[fn] = true;
		}
	}
}

static int add_program(struct bpf_object *obj, int fn_idx)
{
	struct evbpf__func *fn = &obj->funcs[fn_idx];
	const struct evbpf__sec *s = &obj->secs[fn->sec];
	const char *sec_name = s->name;
	const struct evbpf__sec_def *def;
	struct bpf_program *p;
	bool optional = false;

	/* SEC("?name"): a program that is not loaded unless asked for */
	if (sec_name[0] == '?') {
		optional = true;
		sec_name++;
	}

	p = &obj->progs[obj->nr_progs];
	memset(p, 0, sizeof(*p));
	p->obj = obj;
	p->fd = -1;
	p->fn = fn_idx;
	p->autoload = !optional;
	p->autoattach = true;
	p->attach_prog_fd = -1;
	p->name = strdup(fn->name);
	p->sec_name = strdup(sec_name);
	p->insn_cnt = fn->cnt;
	p->insns = malloc(fn->cnt * BPF_INSN_SZ);
	if (!p->name || !p->sec_name || !p->insns) {
		evbpf__prog_free(p);
		return -ENOMEM;
	}
	memcpy(p->insns, s->insns + fn->sec_off, fn->cnt * BPF_INSN_SZ);
	fn->prog = (int)obj->nr_progs++;

	def = evbpf__find_sec_def(sec_name);
	if (!def) {
		pr_debug("%s: section '%s': program '%s' has an unknown section name",
			 obj->name, sec_name, fn->name);
		return 0;
	}
	p->def = *def;
	p->def.sec = NULL; /* may be freed by unregistering; never used later */
	p->has_def = true;
	p->type = def->prog_type;
	p->expected_attach_type = def->attach_type;
	if (def->flags & EVBPF_SEC_SLEEPABLE)
		p->prog_flags |= BPF_F_SLEEPABLE;
	if (def->flags & EVBPF_SEC_XDP_FRAGS)
		p->prog_flags |= BPF_F_XDP_HAS_FRAGS;
	if (def->flags & EVBPF_SEC_ATTACH_BTF) {
		const char *slash = strchr(sec_name, '/');

		if (slash && slash[1]) {
			p->attach_name = strdup(slash + 1);
			if (!p->attach_name)
				return -ENOMEM;
		}
	}
	return 0;
}

int evbpf__progs_collect(struct bpf_object *obj)
{
	bool *referenced;
	size_t i;
	int err = 0;

	referenced = calloc(obj->nr_funcs ? obj->nr_funcs : 1, sizeof(bool));
	obj->progs = calloc(obj->nr_funcs ? obj->nr_funcs : 1, sizeof(*obj->progs));
	if (!referenced || !obj->progs) {
		free(referenced);
		return -ENOMEM;
	}
	mark_referenced(obj, referenced);
	for (i = 0; i < obj->nr_funcs && !err; i++) {
		const struct evbpf__func *fn = &obj->funcs[i];
		const struct evbpf__sym *sym = &obj->syms[fn->sym];
		size_t k;

		if (fn->sec == obj->text_sec)
			continue;
		if (sym->bind == STB_LOCAL && referenced[i])
			continue;
		for (k = 0; k < obj->nr_progs; k++) {
			if (!strcmp(obj->progs[k].name, fn->name)) {
				pr_warn("%s: section '%s' offset %#zx: duplicate program name",
					obj->name, obj->secs[fn->sec].name,
					(size_t)fn->sec_off * BPF_INSN_SZ);
				err = -EINVAL;
				break;
			}
		}
		if (!err)
			err = add_program(obj, (int)i);
	}
	free(referenced);
	return err;
}

int evbpf__progs_setup(struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++) {
		struct bpf_program *p = &obj->progs[i];
		int err;

		if (!p->has_def || !p->def.setup_fn)
			continue;
		err = p->def.setup_fn(p, p->def.cookie);
		if (err < 0) {
			pr_warn("%s: section '%s': setup callback of program '%s' failed: %d",
				obj->name, p->sec_name, p->name, err);
			return err;
		}
	}
	return 0;
}

/* ---- BTF attach targets ---- */

bool evbpf__prog_is_trampoline(const struct bpf_program *prog)
{
	if (prog->type == BPF_PROG_TYPE_EXT)
		return true;
	if (prog->type == BPF_PROG_TYPE_LSM)
		return true;
	if (prog->type != BPF_PROG_TYPE_TRACING)
		return false;
	switch ((int)prog->expected_attach_type) {
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_MODIFY_RETURN:
	case BPF_TRACE_FENTRY_MULTI:
	case BPF_TRACE_FEXIT_MULTI:
	case BPF_TRACE_FSESSION_MULTI:
		return true;
	default:
		return false;
	}
}

static int btf_name_for(const char *name, enum bpf_attach_type at, char *buf, size_t size,
			int *kind)
{
	const char *pfx = "";
	int n;

	*kind = BTF_KIND_FUNC;
	if (at == BPF_TRACE_RAW_TP) {
		pfx = "btf_trace_";
		*kind = BTF_KIND_TYPEDEF;
	} else if (at == BPF_LSM_MAC || at == BPF_LSM_CGROUP) {
		pfx = "bpf_lsm_";
	} else if (at == BPF_TRACE_ITER) {
		pfx = "bpf_iter_";
	}
	n = snprintf(buf, size, "%s%s", pfx, name);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

LIBBPF_API int libbpf_find_vmlinux_btf_id(const char *name, enum bpf_attach_type attach_type)
{
	const struct btf *vmlinux;
	char full[256];
	int kind, err;
	__s32 id;

	if (!name)
		return evbpf__err(-EINVAL);
	vmlinux = evbpf__vmlinux_btf(&err);
	if (!vmlinux)
		return evbpf__err(err ? err : -ESRCH);
	err = btf_name_for(name, attach_type, full, sizeof(full), &kind);
	if (err)
		return evbpf__err(err);
	id = btf__find_by_name_kind(vmlinux, full, kind);
	if (id <= 0)
		return evbpf__err(-ESRCH);
	return id;
}

/* Target in the BTF of the program @attach_prog_fd (freplace & co). */
static int resolve_in_prog(struct bpf_program *prog)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	struct btf *btf;
	__s32 id;
	int err;

	memset(&info, 0, sizeof(info));
	err = bpf_prog_get_info_by_fd(prog->attach_prog_fd, &info, &len);
	if (err)
		return err;
	if (!info.btf_id) {
		pr_warn("%s: prog '%s': target program has no BTF", prog->obj->name, prog->name);
		return -EINVAL;
	}
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		return -errno;
	id = btf__find_by_name_kind(btf, prog->attach_name, BTF_KIND_FUNC);
	btf__free(btf);
	if (id <= 0) {
		pr_warn("%s: prog '%s': function '%s' not found in the target program",
			prog->obj->name, prog->name, prog->attach_name);
		return -ESRCH;
	}
	prog->attach_btf_id = (__u32)id;
	return 0;
}

int evbpf__prog_resolve_attach_btf(struct bpf_object *obj, struct bpf_program *prog)
{
	const struct evbpf__kbtf *kbtfs;
	char full[256];
	size_t cnt, i;
	int kind, err;

	prog->attach_btf_obj_fd_id = 0;
	if (prog->type == BPF_PROG_TYPE_STRUCT_OPS)
		return 0; /* set from the struct_ops map */
	if (!(prog->has_def && (prog->def.flags & EVBPF_SEC_ATTACH_BTF)) &&
	    !(prog->attach_name && (prog->type == BPF_PROG_TYPE_TRACING ||
				    prog->type == BPF_PROG_TYPE_LSM ||
				    prog->type == BPF_PROG_TYPE_EXT)))
		return 0;
	if (!prog->attach_name) {
		pr_warn("%s: section '%s' offset 0: prog '%s' names no attach target; "
			"use SEC(\"%s/<target>\") or bpf_program__set_attach_target()",
			obj->name, prog->sec_name, prog->name, prog->sec_name);
		return -EINVAL;
	}
	if (prog->attach_prog_fd > 0)
		return resolve_in_prog(prog);
	err = btf_name_for(prog->attach_name, prog->expected_attach_type, full, sizeof(full),
			   &kind);
	if (err)
		return err;
	err = evbpf__kbtf_list(&kbtfs, &cnt);
	if (err) {
		pr_warn("%s: prog '%s': kernel BTF needed for attach target '%s': %d",
			obj->name, prog->name, prog->attach_name, err);
		return err;
	}
	for (i = 0; i < cnt; i++) {
		__s32 id = btf__find_by_name_kind(kbtfs[i].btf, full, kind);

		if (id <= 0 || (i && (__u32)id < evbpf__btf_start_id(kbtfs[i].btf)))
			continue;
		prog->attach_btf_id = (__u32)id;
		if (i)
			prog->attach_btf_obj_fd_id = kbtfs[i].id;
		return 0;
	}
	pr_warn("%s: section '%s' offset 0: prog '%s': attach target '%s' not found in kernel BTF",
		obj->name, prog->sec_name, prog->name, full);
	return -ESRCH;
}

/* ---- loading ---- */

/* Last "N: (85) call unknown#IMM" of the log: the instruction index. */
static long poisoned_insn(const char *log, long long imm)
{
	char needle[64];
	const char *p = log, *hit = NULL;
	long idx = -1;

	snprintf(needle, sizeof(needle), "call unknown#%lld", imm);
	while ((p = strstr(p, needle))) {
		hit = p;
		p++;
	}
	if (!hit)
		return -1;
	while (hit > log && hit[-1] != '\n')
		hit--;
	if (sscanf(hit, "%ld:", &idx) != 1)
		return -1;
	return idx;
}

/* Turns a refusal caused by a poisoned instruction into its reason. */
static bool explain_poison(struct bpf_object *obj, struct bpf_program *prog, const char *log)
{
	const char *sec = NULL;
	const char *p;
	__u32 off = 0;
	long idx;

	if ((p = strstr(log, "invalid func unknown#"))) {
		long long imm = strtoll(p + strlen("invalid func unknown#"), NULL, 10);

		idx = poisoned_insn(log, imm);
		if (imm == EVBPF_CORE_POISON_IMM && obj->core && idx >= 0 &&
		    evbpf__prog_insn_origin(prog, (size_t)idx, &sec, &off)) {
			const struct evbpf__core_result *r =
				evbpf__core_find_poisoned(obj->core, sec, off);

			if (r) {
				pr_warn("%s: prog '%s': %s", obj->name, prog->name, r->text);
				return true;
			}
		}
		if (imm >= EVBPF_POISON_KFUNC_BASE &&
		    imm < EVBPF_POISON_KFUNC_BASE + (long long)obj->nr_exts) {
			pr_warn("%s: prog '%s': insn %ld calls kfunc '%s', which the kernel lacks",
				obj->name, prog->name, idx,
				obj->exts[imm - EVBPF_POISON_KFUNC_BASE].name);
			return true;
		}
		if (imm >= EVBPF_POISON_MAP_BASE &&
		    imm < EVBPF_POISON_MAP_BASE + (long long)obj->nr_maps) {
			pr_warn("%s: prog '%s': insn %ld uses map '%s', which was not created",
				obj->name, prog->name, idx,
				obj->maps[imm - EVBPF_POISON_MAP_BASE].name);
			return true;
		}
	}
	return false;
}

/* The whole log at INFO, in pieces that fit the print callback's lines. */
static void print_log(const struct bpf_object *obj, const struct bpf_program *prog,
		      const char *log)
{
	const size_t chunk = 768;

	pr_info("%s: prog '%s': verifier log:", obj->name, prog->name);
	while (*log) {
		size_t n = strlen(log);
		const char *cut;

		if (n > chunk) {
			n = chunk;
			cut = memrchr(log, '\n', n);
			if (cut && cut > log)
				n = (size_t)(cut - log) + 1;
		}
		pr_info("%.*s", (int)n, log);
		log += n;
	}
}

static void report_failure(struct bpf_object *obj, struct bpf_program *prog, int err,
			   const char *log)
{
	char buf[EVBPF_ERRSTR_MAX];

	if (err == -EPERM && evbpf__prog_is_trampoline(prog) && (!log || !*log)) {
		pr_warn("%s: prog '%s': kernel refused a trampoline program (EPERM) of section "
			"'%s': this kernel does not allow fentry/fexit/fmod_ret/lsm/freplace "
			"programs (not a memlock limit)", obj->name, prog->name, prog->sec_name);
		return;
	}
	if (log && *log && explain_poison(obj, prog, log))
		return;
	pr_warn("%s: prog '%s' (section '%s'): failed to load: %s%s%s", obj->name, prog->name,
		prog->sec_name, evbpf__errstr(err, buf, sizeof(buf)),
		log && *log ? "; verifier log tail:\n" : "",
		log && *log ? evbpf__log_tail(log, 640) : "");
}

/* Copies every non-zero field of @over known to both sides into @opts. */
static void override_opts(struct bpf_prog_load_opts *opts, const struct bpf_prog_load_opts *over)
{
#define OVER(f) do { if (OPTS_HAS(over, f) && over->f) opts->f = over->f; } while (0)
	OVER(attempts);
	OVER(expected_attach_type);
	OVER(prog_btf_fd);
	OVER(prog_flags);
	OVER(prog_ifindex);
	OVER(kern_version);
	OVER(attach_btf_id);
	OVER(attach_prog_fd);
	OVER(attach_btf_obj_fd);
	OVER(fd_array);
	OVER(func_info);
	OVER(func_info_cnt);
	OVER(func_info_rec_size);
	OVER(line_info);
	OVER(line_info_cnt);
	OVER(line_info_rec_size);
	OVER(log_level);
	OVER(log_size);
	OVER(log_buf);
	OVER(token_fd);
	OVER(fd_array_cnt);
#undef OVER
	/* an fd of the target program replaces the default kernel BTF target */
	if (opts->attach_prog_fd && opts->attach_btf_obj_fd &&
	    OPTS_HAS(over, attach_prog_fd) && over->attach_prog_fd &&
	    !(OPTS_HAS(over, attach_btf_obj_fd) && over->attach_btf_obj_fd))
		opts->attach_btf_obj_fd = 0;
}

/* Loads @prog's current image with the load options the program and the
 * object give, the custom handler's prepare callback, then the non-zero
 * fields of @over (may be NULL). Returns the new fd (the caller's) or
 * -errno after one log line. */
static int load_image(struct bpf_object *obj, struct bpf_program *prog,
		      const struct bpf_prog_load_opts *over)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	char *user_buf = prog->log_buf ? prog->log_buf : obj->log_buf;
	size_t user_size = prog->log_buf ? prog->log_size : obj->log_size;
	__u32 level = prog->log_level ? prog->log_level : obj->log_level;
	size_t own_size = 1 << 16;
	bool want_log;
	char *own = NULL;
	int btf_obj_fd = -1, fd = -ENOMEM, err;

	if (!prog->has_def && !prog->type) {
		pr_warn("%s: section '%s' offset 0: prog '%s': unknown section name, no program "
			"type; use bpf_program__set_type()", obj->name, prog->sec_name, prog->name);
		return -EINVAL;
	}
	err = evbpf__prog_resolve_attach_btf(obj, prog);
	if (err)
		return err;
	if (prog->attach_btf_obj_fd_id) {
		btf_obj_fd = evbpf__kbtf_fd(prog->attach_btf_obj_fd_id);
		if (btf_obj_fd < 0)
			return btf_obj_fd;
		opts.attach_btf_obj_fd = (__u32)btf_obj_fd;
	}
	opts.expected_attach_type = prog->expected_attach_type;
	opts.prog_flags = prog->prog_flags;
	if (obj->token_fd > 0) {
		opts.prog_flags |= BPF_F_TOKEN_FD;
		opts.token_fd = (__u32)obj->token_fd;
	}
	opts.prog_ifindex = prog->ifindex;
	opts.kern_version = obj->kern_version;
	opts.attach_btf_id = prog->attach_btf_id;
	if (prog->attach_prog_fd > 0)
		opts.attach_prog_fd = (__u32)prog->attach_prog_fd;
	if (obj->btf_loaded && prog->func_info_cnt) {
		opts.prog_btf_fd = (__u32)btf__fd(obj->btf);
		opts.func_info = prog->func_info;
		opts.func_info_cnt = prog->func_info_cnt;
		opts.func_info_rec_size = prog->func_info_rec_size;
		opts.line_info = prog->line_info;
		opts.line_info_cnt = prog->line_info_cnt;
		opts.line_info_rec_size = prog->line_info_rec_size;
	}
	if (prog->fd_array_cnt)
		opts.fd_array = prog->fd_array;
	if (prog->has_def && prog->def.prepare_fn) {
		err = prog->def.prepare_fn(prog, &opts, prog->def.cookie);
		if (err < 0) {
			pr_warn("%s: prog '%s': prepare_load callback failed: %d", obj->name,
				prog->name, err);
			evbpf__close(btf_obj_fd);
			return err;
		}
	}
	if (user_buf) {
		opts.log_buf = user_buf;
		opts.log_size = (__u32)user_size;
		opts.log_level = level;
	}
	if (over)
		override_opts(&opts, over);
	if (opts.log_buf) {
		user_buf = opts.log_buf;
		level = opts.log_level;
		user_buf[0] = '\0';
	}
	want_log = level > 0;
	for (;;) {
		if (!user_buf && want_log) {
			/* our own log: on failure (and at the level asked for),
			 * grown while the kernel says it is too short */
			char *grown = realloc(own, own_size);

			if (!grown) {
				fd = -ENOMEM;
				break;
			}
			own = grown;
			own[0] = '\0';
			opts.log_buf = own;
			opts.log_size = (__u32)own_size;
			opts.log_level = level ? level : 1;
		}
		fd = bpf_prog_load(prog->type, prog->name,
				   obj->license,
				   prog->insns, prog->insn_cnt, &opts);
		if (fd >= 0 || user_buf)
			break;
		if (!want_log) {
			want_log = true; /* again, with a log that says why */
			continue;
		}
		if (fd != -ENOSPC || own_size >= (1u << 26))
			break;
		own_size = evbpf__max(own_size * 4, (size_t)opts.log_true_size);
	}
	evbpf__close(btf_obj_fd);
	if (fd < 0) {
		report_failure(obj, prog, fd, opts.log_buf);
		free(own);
		return fd;
	}
	if (own && level && evbpf__log_enabled(LIBBPF_INFO))
		print_log(obj, prog, own);
	free(own);
	return fd;
}

int evbpf__prog_load(struct bpf_object *obj, struct bpf_program *prog)
{
	int fd = load_image(obj, prog, NULL);

	if (fd < 0)
		return fd;
	prog->fd = fd;
	return 0;
}

LIBBPF_API int bpf_program__clone(struct bpf_program *prog, const struct bpf_prog_load_opts *opts)
{
	struct evbpf__feat_cache *scope;
	struct bpf_object *obj;
	int fd;

	if (!prog || !OPTS_VALID(opts, bpf_prog_load_opts, fd_array_cnt))
		return evbpf__err(-EINVAL);
	obj = prog->obj;
	if (!obj->prepared || obj->failed) {
		pr_warn("%s: prog '%s': cloned only from a prepared object (bpf_object__prepare())",
			obj->name, prog->name);
		return evbpf__err(-EINVAL);
	}
	if (!prog->nr_pieces && !prog->user_insns) {
		pr_warn("%s: prog '%s': not relocated at prepare (autoload was off): nothing to "
			"clone", obj->name, prog->name);
		return evbpf__err(-EINVAL);
	}
	if (obj->loaded && prog->fd_array_cnt > 1 && !OPTS_GET(opts, fd_array, NULL)) {
		/* the module BTF fds of its kfunc calls went with the load state */
		pr_warn("%s: prog '%s': calls module kfuncs, whose BTF fds are released at load: "
			"clone it before bpf_object__load() or pass fd_array", obj->name,
			prog->name);
		return evbpf__err(-EINVAL);
	}
	scope = evbpf__feat_scope_enter(obj->feat_cache);
	fd = load_image(obj, prog, opts);
	evbpf__feat_scope_leave(scope);
	return evbpf__err(fd);
}
