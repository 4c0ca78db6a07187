// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf_prog_linfo: source line lookup for a loaded program, from the line
 * info the kernel reports in struct bpf_prog_info. Two lookups: by
 * instruction offset (the xlated program), and by address inside the JITed
 * image of one function (the kernel's jited_line_info holds one address per
 * line info record, in record order).
 */
#include <stdlib.h>
#include <string.h>

#include "bpf/libbpf.h"
#include "base/base_internal.h"

struct bpf_prog_linfo {
	/* line info records, rec_size bytes each, in instruction order */
	void *raw;
	__u32 nr;
	__u32 rec_size;
	/* JITed: one address per record, and per function the index of its
	 * first record and the number of its records */
	__u64 *addrs;
	__u32 nr_funcs;
	__u32 *func_first;
	__u32 *func_cnt;
};

LIBBPF_API void bpf_prog_linfo__free(struct bpf_prog_linfo *l)
{
	if (!l)
		return;
	free(l->raw);
	free(l->addrs);
	free(l->func_first);
	free(l->func_cnt);
	free(l);
}

static const struct bpf_line_info *rec(const struct bpf_prog_linfo *l, __u32 i)
{
	return (const void *)((const char *)l->raw + (size_t)i * l->rec_size);
}

/*
 * Splits the JITed records by function: function f owns the records whose
 * address lies in [jited_ksyms[f], jited_ksyms[f] + jited_func_lens[f]).
 * Records are in instruction order and functions in address order of
 * their first instruction, so each function's records are contiguous.
 */
static int split_jited(struct bpf_prog_linfo *l, const struct bpf_prog_info *info)
{
	const __u64 *ksyms = (const __u64 *)(unsigned long)info->jited_ksyms;
	const __u32 *lens = (const __u32 *)(unsigned long)info->jited_func_lens;
	const char *src = (const char *)(unsigned long)info->jited_line_info;
	__u32 i, f;

	l->addrs = calloc(l->nr, sizeof(*l->addrs));
	l->func_first = calloc(info->nr_jited_ksyms, sizeof(__u32));
	l->func_cnt = calloc(info->nr_jited_ksyms, sizeof(__u32));
	if (!l->addrs || !l->func_first || !l->func_cnt)
		return -ENOMEM;
	l->nr_funcs = info->nr_jited_ksyms;
	for (i = 0; i < l->nr; i++)
		memcpy(&l->addrs[i], src + (size_t)i * info->jited_line_info_rec_size,
		       sizeof(__u64));
	for (f = 0; f < l->nr_funcs; f++) {
		__u32 first = l->nr, cnt = 0;

		for (i = 0; i < l->nr; i++) {
			if (l->addrs[i] < ksyms[f] || l->addrs[i] >= ksyms[f] + lens[f])
				continue;
			if (first == l->nr)
				first = i;
			cnt++;
		}
		/* every function starts with a record at its first byte */
		if (!cnt || l->addrs[first] != ksyms[f] || first + cnt > l->nr) {
			pr_warn("prog_linfo: function %u of the JITed image has no "
				"line info at its start\n", f);
			return -EINVAL;
		}
		l->func_first[f] = first;
		l->func_cnt[f] = cnt;
	}
	return 0;
}

LIBBPF_API struct bpf_prog_linfo *bpf_prog_linfo__new(const struct bpf_prog_info *info)
{
	struct bpf_prog_linfo *l;
	int err;

	if (!info || !info->nr_line_info || !info->line_info ||
	    info->line_info_rec_size < sizeof(struct bpf_line_info))
		return evbpf__err_ptr(-EINVAL);
	/* JITed line info is usable only complete: one address per record and
	 * the address and length of every function */
	if (info->nr_jited_line_info &&
	    (info->nr_jited_line_info != info->nr_line_info ||
	     info->jited_line_info_rec_size < sizeof(__u64) ||
	     !info->jited_line_info || !info->nr_jited_ksyms ||
	     info->nr_jited_ksyms != info->nr_jited_func_lens ||
	     !info->jited_ksyms || !info->jited_func_lens))
		return evbpf__err_ptr(-EINVAL);

	l = calloc(1, sizeof(*l));
	if (!l)
		return evbpf__err_ptr(-ENOMEM);
	l->nr = info->nr_line_info;
	l->rec_size = info->line_info_rec_size;
	l->raw = malloc((size_t)l->nr * l->rec_size);
	if (!l->raw) {
		err = -ENOMEM;
		goto err_out;
	}
	memcpy(l->raw, (const void *)(unsigned long)info->line_info,
	       (size_t)l->nr * l->rec_size);
	if (info->nr_jited_line_info) {
		err = split_jited(l, info);
		if (err)
			goto err_out;
	}
	return l;

err_out:
	bpf_prog_linfo__free(l);
	return evbpf__err_ptr(err);
}

LIBBPF_API const struct bpf_line_info *
bpf_prog_linfo__lfind(const struct bpf_prog_linfo *l, __u32 insn_off, __u32 nr_skip)
{
	__u32 i;

	if (!l || nr_skip >= l->nr || insn_off < rec(l, nr_skip)->insn_off)
		return evbpf__err_ptr(-ENOENT);
	/* the record covering insn_off is the last one starting at or before it */
	for (i = nr_skip + 1; i < l->nr && rec(l, i)->insn_off <= insn_off; i++)
		;
	return rec(l, i - 1);
}

LIBBPF_API const struct bpf_line_info *
bpf_prog_linfo__lfind_addr_func(const struct bpf_prog_linfo *l, __u64 addr,
				__u32 func_idx, __u32 nr_skip)
{
	__u32 first, cnt, i;

	if (!l || !l->addrs || func_idx >= l->nr_funcs)
		return evbpf__err_ptr(-ENOENT);
	first = l->func_first[func_idx];
	cnt = l->func_cnt[func_idx];
	if (nr_skip >= cnt || addr < l->addrs[first + nr_skip])
		return evbpf__err_ptr(-ENOENT);
	for (i = first + nr_skip + 1; i < first + cnt && l->addrs[i] <= addr; i++)
		;
	return rec(l, i - 1);
}
