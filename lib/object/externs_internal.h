/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Extern variables and functions of a BPF object: .kconfig values
 * (kconfig.c) and .ksyms kernel symbols and kfuncs (ksym.c).
 * Interface for the loader. Never installed.
 *
 * Usage by the loader, once per object:
 *
 *	evbpf__externs_collect(obj_name, btf, &exts, &cnt, &kcfg_sz);
 *	for each ext: ext->is_weak = ELF symbol binding is STB_WEAK;
 *	          (the loader finds relocations against an extern's ELF symbol
 *	           by name: ext->name)
 *	at load:
 *	evbpf__kconfig_resolve(obj_name, exts, cnt, kconfig_opt, kcfg_data);
 *	  -> the .kconfig map (read-only, kcfg_sz bytes) gets kcfg_data;
 *	     ld_imm64 of a kconfig extern = BPF_PSEUDO_MAP_VALUE of that map,
 *	     off = ext->kcfg.data_off.
 *	evbpf__ksym_resolve(obj_name, btf, exts, cnt);
 *	  -> patch per ext (see struct evbpf__ext_ksym).
 *	evbpf__externs_free(exts, cnt);  (after load; closes module BTF fds)
 */
#ifndef EVBPF_LIB_EXTERNS_H
#define EVBPF_LIB_EXTERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

struct btf;

/* Poison imm of an unresolved weak kfunc call: POISON_KFUNC_BASE + ext
 * index; the verifier then reports "invalid func unknown#2002000NNN" if the
 * call is reachable. */
#define EVBPF_POISON_KFUNC_BASE 2002000000

enum evbpf__ext_type {
	EVBPF_EXT_KCFG = 1,		/* in DATASEC .kconfig */
	EVBPF_EXT_KSYM,			/* in DATASEC .ksyms */
};

enum evbpf__kcfg_type {
	EVBPF_KCFG_UNKNOWN,
	EVBPF_KCFG_CHAR,		/* char: 'y'/'n'/'m' as a character */
	EVBPF_KCFG_BOOL,		/* bool: y/m -> true */
	EVBPF_KCFG_INT,			/* any integer, 1/2/4/8 bytes */
	EVBPF_KCFG_TRISTATE,		/* enum libbpf_tristate */
	EVBPF_KCFG_CHAR_ARR,		/* char[N]: quoted string values */
};

struct evbpf__ext_kcfg {
	enum evbpf__kcfg_type type;
	__u32 sz;			/* bytes */
	__u32 align;
	__u32 data_off;			/* offset in the .kconfig image */
	bool is_signed;
};

/*
 * Result of ksym resolution, for the loader's patching:
 *  - typeless variable (is_func false, type_id 0): ld_imm64 gets @addr
 *    (imm = low 32 bits, next imm = high 32 bits), src_reg 0;
 *  - typed variable: ld_imm64 gets src_reg BPF_PSEUDO_BTF_ID,
 *    imm = kernel_btf_id, next imm = btf_fd (0 when btf_fd is -1, vmlinux);
 *  - kfunc call: src_reg BPF_PSEUDO_KFUNC_CALL, imm = kernel_btf_id,
 *    off = index of btf_fd in the program's fd_array (0 for vmlinux);
 *    ld_imm64 of a kfunc (bpf_ksym_exists()): as for a typed variable;
 *  - weak and unresolved (is_set false): ld_imm64 gets 0 (src_reg 0,
 *    both imm 0); a kfunc call gets imm EVBPF_POISON_KFUNC_BASE + index,
 *    src_reg 0 (a helper call the verifier refuses if reachable).
 */
struct evbpf__ext_ksym {
	bool is_func;			/* BTF_KIND_FUNC extern: a kfunc */
	__u32 type_id;			/* local type of a typed var (0: typeless) */
	__u64 addr;			/* typeless: address from /proc/kallsyms */
	__s32 kernel_btf_id;		/* typed var / kfunc: id in kernel BTF */
	int btf_fd;			/* -1: vmlinux; else module BTF fd (owned) */
	__u32 btf_obj_id;		/* kernel BTF object id (0: vmlinux or
					 * unknown); equal ids = same module */
	const char *module;		/* "vmlinux" or module name (static) */
};

struct evbpf__ext {
	const char *name;		/* owned copy (the BTF may change) */
	__u32 btf_id;			/* its BTF_KIND_VAR or BTF_KIND_FUNC */
	__u32 sec_btf_id;		/* the DATASEC holding it */
	enum evbpf__ext_type type;
	bool is_weak;			/* set by the loader before resolving */
	bool is_set;			/* resolved (else zero / poison if weak) */
	struct evbpf__ext_kcfg kcfg;	/* type == EVBPF_EXT_KCFG */
	struct evbpf__ext_ksym ksym;	/* type == EVBPF_EXT_KSYM */
};

/*
 * Finds every extern of @btf (VARs and FUNCs with extern linkage in the
 * DATASECs .kconfig and .ksyms), checks kconfig types, and lays out the
 * .kconfig image (*@kcfg_sz bytes, 0 when there are no kconfig externs):
 * sorted by decreasing alignment, then size, then name, like libbpf, so offsets are
 * the ones a skeleton expects. *@exts is malloc'ed (NULL when *@cnt is 0);
 * free with evbpf__externs_free(). Returns 0 or -errno with one log line.
 *
 * The loader must give the .kconfig DATASEC of its BTF size *@kcfg_sz and
 * each var's offset ext->kcfg.data_off before loading the BTF.
 */
int evbpf__externs_collect(const char *obj_name, const struct btf *btf,
			   struct evbpf__ext **exts, size_t *cnt, size_t *kcfg_sz);

/* Closes module BTF fds and frees @exts; NULL is fine. */
void evbpf__externs_free(struct evbpf__ext *exts, size_t cnt);

/*
 * Fills @kcfg_data (the kcfg_sz bytes from evbpf__externs_collect(),
 * zeroed by this call) with the values of the kconfig externs of @exts:
 * LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER
 * from the running kernel; others from @kconfig (the open option, lines of
 * "CONFIG_X=value"), then /boot/config-$(uname -r), else /proc/config.gz
 * (as libbpf), read only when still needed; the first value seen wins. A weak extern missing everywhere stays 0;
 * a non-weak one fails with -ESRCH. Bad values / type mismatches: -EINVAL.
 */
int evbpf__kconfig_resolve(const char *obj_name, struct evbpf__ext *exts, size_t cnt,
			   const char *kconfig, void *kcfg_data);

/*
 * Like evbpf__kconfig_resolve() but reads system config from @path (a
 * gzip or plain file) instead of /boot and /proc/config.gz; for tests.
 */
int evbpf__kconfig_resolve_file(const char *obj_name, struct evbpf__ext *exts,
				size_t cnt, const char *kconfig, const char *path,
				void *kcfg_data);

/*
 * Resolves the ksym externs of @exts: typeless ones through
 * /proc/kallsyms, typed vars and kfuncs through vmlinux BTF, then module
 * BTFs (opening a BTF fd for a module that provides one, owned by the
 * ext). @btf is the object's BTF (for local types). A non-weak extern that
 * is not found: -ESRCH; incompatible types: -EINVAL; one log line each.
 */
int evbpf__ksym_resolve(const char *obj_name, const struct btf *btf,
			struct evbpf__ext *exts, size_t cnt);

#endif /* EVBPF_LIB_EXTERNS_H */
