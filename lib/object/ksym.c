// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Resolving .ksyms externs: typeless variables ("extern const void x
 * __ksym") to addresses from /proc/kallsyms; typed variables and kfuncs to
 * BTF ids of vmlinux or, when vmlinux lacks them, of a module (then with a
 * BTF fd of that module for the program's fd_array). Local and kernel
 * types must be CO-RE compatible. A kfunc may carry a "___flavor" suffix,
 * which is ignored when looking it up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/base_internal.h"
#include "btf/btf_internal.h"
#include "core/core_engine_internal.h"
#include "externs_internal.h"

static struct evbpf__ext *find_ksym(struct evbpf__ext *exts, size_t cnt,
				    const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < cnt; i++) {
		struct evbpf__ext *e = &exts[i];

		if (e->type == EVBPF_EXT_KSYM && !e->ksym.is_func && !e->ksym.type_id &&
		    strlen(e->name) == len && strncmp(e->name, name, len) == 0)
			return e;
	}
	return NULL;
}

static int read_kallsyms(const char *obj_name, struct evbpf__ext *exts, size_t cnt)
{
	char line[1024], type, name[512];
	unsigned long long addr;
	int err = 0;
	FILE *f;

	f = fopen("/proc/kallsyms", "re");
	if (!f) {
		err = -errno;
		pr_warn("object '%s': cannot read /proc/kallsyms for ksym externs: %d",
			obj_name, err);
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		struct evbpf__ext *e;
		const char *llvm;
		size_t len;

		if (sscanf(line, "%llx %c %511s", &addr, &type, name) != 3)
			continue;
		/* LTO-renamed statics: "name.llvm.123" */
		llvm = strstr(name, ".llvm.");
		len = (type == 'd' && llvm) ? (size_t)(llvm - name) : strlen(name);
		e = find_ksym(exts, cnt, name, len);
		if (!e)
			continue;
		if (e->is_set && e->ksym.addr != addr) {
			pr_warn("object '%s': ksym '%s' is ambiguous: 0x%llx or 0x%llx",
				obj_name, e->name, (unsigned long long)e->ksym.addr, addr);
			err = -EINVAL;
			break;
		}
		e->is_set = true;
		e->ksym.addr = addr;
	}
	fclose(f);
	return err;
}

/* Finds @name of @kind in vmlinux, then in modules' own types. */
static int find_kernel(const char *name, size_t len, __u16 kind,
		       const struct evbpf__kbtf **where)
{
	const struct evbpf__kbtf *list;
	char buf[256];
	size_t cnt, i;
	int err, id;

	if (len >= sizeof(buf))
		return -ESRCH;
	memcpy(buf, name, len);
	buf[len] = '\0';

	err = evbpf__core_kernel_vmlinux(&list);
	if (err)
		return err;
	id = btf__find_by_name_kind(list->btf, buf, kind);
	if (id > 0) {
		*where = list;
		return id;
	}
	err = evbpf__core_kernel_btfs(&list, &cnt);
	if (err)
		return err;
	for (i = 1; i < cnt; i++) {
		id = btf__find_by_name_kind(list[i].btf, buf, kind);
		if (id >= (int)evbpf__btf_start_id(list[i].btf)) {
			*where = &list[i];
			return id;
		}
	}
	return -ESRCH;
}

static int resolve_btf(const char *obj_name, const struct btf *btf, struct evbpf__ext *e)
{
	const struct evbpf__kbtf *k = NULL;
	const struct btf_type *kt;
	size_t len = e->ksym.is_func ? evbpf__core_essential_name_len(e->name) : strlen(e->name);
	__u32 ktype;
	int id, ok;

	id = find_kernel(e->name, len, e->ksym.is_func ? BTF_KIND_FUNC : BTF_KIND_VAR, &k);
	if (id < 0) {
		if (id == -ESRCH && e->is_weak)
			return 0;
		pr_warn("object '%s': %s '%s' not found in kernel BTF%s", obj_name,
			e->ksym.is_func ? "kfunc" : "ksym", e->name,
			id == -ESRCH ? "" : " (no kernel BTF)");
		return id;
	}
	kt = btf__type_by_id(k->btf, id);
	if (e->ksym.is_func)
		ktype = kt->type;
	else
		evbpf__core_skip_mods_typedefs(k->btf, kt->type, &ktype);
	ok = evbpf__core_types_are_compat(btf, e->ksym.type_id, k->btf, ktype);
	if (ok <= 0) {
		if (e->is_weak && e->ksym.is_func)
			return 0;
		pr_warn("object '%s': %s '%s': local type [%u] is not compatible with "
			"%s's [%u]", obj_name, e->ksym.is_func ? "kfunc" : "ksym", e->name,
			e->ksym.type_id, k->name, ktype);
		return -EINVAL;
	}
	e->ksym.kernel_btf_id = id;
	e->ksym.module = k->name;
	e->ksym.btf_obj_id = k->id;
	if (k != NULL && strcmp(k->name, "vmlinux") != 0) {
		int fd = evbpf__core_kbtf_fd(k->id);

		if (fd < 0) {
			pr_warn("object '%s': %s '%s': cannot open BTF of module %s: %d",
				obj_name, e->ksym.is_func ? "kfunc" : "ksym", e->name, k->name, fd);
			return fd;
		}
		e->ksym.btf_fd = fd;
	}
	e->is_set = true;
	return 0;
}

int evbpf__ksym_resolve(const char *obj_name, const struct btf *btf,
			struct evbpf__ext *exts, size_t cnt)
{
	bool need_kallsyms = false;
	size_t i;
	int err;

	if (!obj_name)
		obj_name = "?";
	for (i = 0; i < cnt; i++) {
		struct evbpf__ext *e = &exts[i];

		if (e->type != EVBPF_EXT_KSYM)
			continue;
		e->is_set = false;
		if (e->ksym.btf_fd >= 0) {
			close(e->ksym.btf_fd);
			e->ksym.btf_fd = -1;
		}
		if (!e->ksym.is_func && !e->ksym.type_id) {
			need_kallsyms = true;
			continue;
		}
		err = resolve_btf(obj_name, btf, e);
		if (err)
			return evbpf__err(err);
	}
	if (need_kallsyms) {
		err = read_kallsyms(obj_name, exts, cnt);
		if (err)
			return evbpf__err(err);
	}
	for (i = 0; i < cnt; i++) {
		struct evbpf__ext *e = &exts[i];

		if (e->type != EVBPF_EXT_KSYM || e->is_set)
			continue;
		if (!e->is_weak) {
			pr_warn("object '%s': ksym '%s' not found in the kernel", obj_name, e->name);
			return evbpf__err(-ESRCH);
		}
		pr_debug("object '%s': weak ksym '%s' not found, 0", obj_name, e->name);
	}
	return 0;
}
