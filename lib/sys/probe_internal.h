/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Building blocks of the kernel probes (features.c, libbpf_probe.c): raw BPF
 * instructions, raw BTF type records, and loaders that use the bare
 * syscall (never the public wrappers, which themselves consult features).
 */
#ifndef EVBPF_LIB_PROBE_INTERNAL_H
#define EVBPF_LIB_PROBE_INTERNAL_H

#include <linux/bpf.h>
#include <linux/btf.h>

#include "bpf_internal.h"

/* ---- instructions ---- */

#define P_INSN(c, d, s, o, i)						\
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s),	\
			    .off = (o), .imm = (i) })
#define P_MOV64_IMM(d, i)	P_INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define P_MOV64_REG(d, s)	P_INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define P_ADD64_IMM(d, i)	P_INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define P_EXIT()		P_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define P_CALL_HELPER(id)	P_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, id)
/* call to the subprogram @rel instructions after the next one */
#define P_CALL_REL(rel)		P_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, rel)
#define P_LDX_W(d, s, o)	P_INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define P_ST_W(d, o, i)		P_INSN(BPF_ST | BPF_MEM | BPF_W, d, 0, o, i)
#define P_STX_DW(d, s, o)	P_INSN(BPF_STX | BPF_MEM | BPF_DW, d, s, o, 0)
/* two-slot 64-bit immediate load; @src selects the pseudo kind */
#define P_LD_IMM64_SRC(d, src, lo)					\
	P_INSN(BPF_LD | BPF_DW | BPF_IMM, d, src, 0, lo),		\
	P_INSN(0, 0, 0, 0, 0)

/* ---- BTF records ---- */

#define P_BTF_INFO(kind, kflag, vlen)					\
	(((kflag) << 31) | ((kind) << 24) | (vlen))
#define P_BTF_TYPE(name, info, size_or_type) (name), (info), (size_or_type)
/* signed 32-bit int named @name */
#define P_BTF_INT(name)							\
	P_BTF_TYPE(name, P_BTF_INFO(BTF_KIND_INT, 0, 0), 4),		\
	(BTF_INT_SIGNED << 24) | 32
#define P_BTF_PARAM(name, type)	(name), (type)
#define P_BTF_VAR_SECINFO(type, off, size) (type), (off), (size)

/* Loads raw BTF made of @types (@types_len bytes) and @strs (@strs_len
 * bytes, starting with "\0"). Returns the BTF fd or -errno. */
int evbpf__probe_load_btf(const void *types, size_t types_len,
			  const char *strs, size_t strs_len);

/* Loads @cnt instructions as a GPL program of @type. @attr may be NULL or
 * a prefilled block for extra fields (its insns/type/license/log fields are
 * overwritten). When @log is given, the verifier log at level 1 goes there.
 * Returns the program fd or -errno. */
int evbpf__probe_load_prog(enum bpf_prog_type type, const struct bpf_insn *insns,
			   __u32 cnt, union evbpf__attr *attr,
			   char *log, __u32 log_size);

/* Creates a map via the bare syscall. Returns the fd or -errno. */
int evbpf__probe_create_map(union evbpf__attr *attr);

#endif /* EVBPF_LIB_PROBE_INTERNAL_H */
