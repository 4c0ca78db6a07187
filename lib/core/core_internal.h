/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * CO-RE: relocating an object's instructions against the target kernel's
 * BTF. Interface between the loader (lib/object/) and the relocation
 * engine (relo_core.c, core_cands.c, core_engine_internal.h). Never installed.
 *
 * Usage by the loader, once per object:
 *
 *	core = evbpf__core_new(&(struct evbpf__core_opts){ ... });
 *	for each function that will be loaded, once, on the section's copy
 *	of its instructions, BEFORE subprograms are appended (records carry
 *	byte offsets into the section; relocating twice would fail the
 *	check of the compiled values):
 *		err = evbpf__core_relocate(core, sec_name, fn_sec_byte_off,
 *					   insns, insn_cnt);
 *	on verifier failure mentioning EVBPF_CORE_POISON_IMM:
 *		r = evbpf__core_find_poisoned(core, sec_name, insn_off);
 *		pr_warn("prog '%s': %s", prog_name, r->text);
 *	evbpf__core_free(core);
 *
 * A relocation whose target cannot be found does not fail the load: its
 * instruction is replaced by a call to the invalid helper id
 * EVBPF_CORE_POISON_IMM (an ld_imm64 gets both halves replaced), so the
 * verifier refuses the program only if that instruction is reachable, with
 * "invalid func unknown#195896080". Errors (malformed records, ambiguous
 * candidates, an instruction that does not fit the relocation kind, no
 * kernel BTF) fail evbpf__core_relocate() with -errno and one log line.
 *
 * Target BTF: a caller-given btf, else btf_custom_path, else the running
 * kernel's vmlinux BTF (process-wide cache) plus module BTFs when vmlinux
 * has no candidate. Candidate indexes of vmlinux/module BTF are built once
 * per process and shared by every object (core_cands.c).
 */
#ifndef EVBPF_LIB_CORE_H
#define EVBPF_LIB_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>

struct btf;
struct btf_ext;
struct btf_type;
struct evbpf__core;
struct evbpf__core_spec;

/* imm of the helper call a failed relocation is replaced with ("bad relo").
 * The verifier reports it as "invalid func unknown#195896080". */
#define EVBPF_CORE_POISON_IMM 0xbad2310

struct evbpf__core_opts {
	const char *obj_name;		/* for log lines; may be NULL */
	const struct btf *local_btf;	/* the object's .BTF; required */
	const struct btf_ext *btf_ext;	/* the object's .BTF.ext; may be NULL */
	/* Optional target BTF given by the caller (borrowed, must outlive
	 * the evbpf__core); when set, module BTFs are not searched. */
	const struct btf *target_btf;
	/* Optional path of a BTF (raw or ELF) to use instead of the kernel's
	 * (bpf_object_open_opts.btf_custom_path); loaded lazily, owned. */
	const char *btf_custom_path;
	/* Optional: called once per applied relocation that matched a
	 * target type, with the target's access path (the types and members
	 * the value was computed from); for tools that record which target
	 * types an object needs. */
	void (*on_match)(void *ctx, const struct evbpf__core_spec *targ);
	void *on_match_ctx;
};

/*
 * One processed relocation. Valid until evbpf__core_free(). A relocation
 * applied several times (a subprogram section relocated for several
 * programs) has one result per application.
 */
struct evbpf__core_result {
	const char *sec_name;		/* ELF section (owned by the evbpf__core) */
	__u32 insn_off;			/* byte offset of the insn in its section */
	__u32 relo_idx;			/* index of the record in its section */
	enum bpf_core_relo_kind kind;
	bool poisoned;			/* insn replaced by the poison call */
	__u64 orig_val;			/* value the compiler put in the insn */
	__u64 new_val;			/* value patched in (unless poisoned) */
	/* One line without the program name, e.g.
	 * "relo #3: <byte_off> struct inet_sock.freebind (0:14 @ offset
	 *  792.2) not found in kernel BTF; candidates: ..." or
	 * "relo #0: <byte_off> struct task_struct.pid (0:53 @ offset 2456)
	 *  -> offset 2512 in vmlinux [134]". */
	char *text;
};

/* Creates the relocation state of one object. Nothing is loaded or indexed
 * until the first relocation needs a target. NULL + errno on bad @opts or
 * ENOMEM. */
struct evbpf__core *evbpf__core_new(const struct evbpf__core_opts *opts);

/* Frees @core and its results; NULL is fine. */
void evbpf__core_free(struct evbpf__core *core);

/* Number of CO-RE records of ELF section @sec_name (0: nothing to do). */
size_t evbpf__core_sec_relo_cnt(const struct evbpf__core *core, const char *sec_name);

/*
 * Applies the CO-RE records of section @sec_name that fall into
 * [@sec_off, @sec_off + @insn_cnt * 8) (byte offsets in the section) to
 * @insns, which holds the section's instructions starting at @sec_off.
 * Returns the number of records applied (poisoned ones included), or
 * -errno (errno set) with one log line naming object, section and record.
 */
int evbpf__core_relocate(struct evbpf__core *core, const char *sec_name,
			 size_t sec_off, struct bpf_insn *insns, size_t insn_cnt);

/* Results of every evbpf__core_relocate() call so far, in order. */
size_t evbpf__core_result_cnt(const struct evbpf__core *core);
const struct evbpf__core_result *evbpf__core_result(const struct evbpf__core *core,
						    size_t idx);

/* The most recent poisoned result at @insn_off of @sec_name, or NULL; for
 * turning the verifier's "invalid func unknown#195896080" into a message. */
const struct evbpf__core_result *
evbpf__core_find_poisoned(const struct evbpf__core *core, const char *sec_name,
			  __u32 insn_off);

/* ---- type matching, also used for ksym externs ---- */

/* Length of @name without a "___flavor" suffix ("foo___v2" -> 3). */
size_t evbpf__core_essential_name_len(const char *name);

/* Skips typedefs and modifiers; *@res_id (may be NULL) gets the final id.
 * NULL for an id out of range. */
const struct btf_type *evbpf__core_skip_mods_typedefs(const struct btf *btf,
						      __u32 id, __u32 *res_id);

/* CO-RE type compatibility (bpf_core_type_exists() and ksym variables):
 * 1/0/-errno. */
int evbpf__core_types_are_compat(const struct btf *local_btf, __u32 local_id,
				 const struct btf *targ_btf, __u32 targ_id);

#endif /* EVBPF_LIB_CORE_H */
