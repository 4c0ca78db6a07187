// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf API symbols outside the loader's main path: source line lookup of
 * loaded programs (bpf_prog_linfo), the pre-1.0 names, and the claimed
 * version.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "evbpf_test.h"

static struct bpf_object *open_load(const char *name)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path(name), NULL);

	assert_non_null(obj);
	assert_int_equal(bpf_object__load(obj), 0);
	return obj;
}

struct linfo_info {
	struct bpf_prog_info info;
	struct bpf_line_info *lines;
	__u64 *jited_lines;
	__u64 *ksyms;
	__u32 *lens;
};

/* Fills @li with the line info of program @fd, JITed parts included. */
static void get_linfo(int fd, struct linfo_info *li)
{
	struct bpf_prog_info *info = &li->info;
	__u32 len = sizeof(*info);
	__u32 nr, nr_j, nr_k, nr_l;

	memset(li, 0, sizeof(*li));
	assert_int_equal(bpf_prog_get_info_by_fd(fd, info, &len), 0);
	nr = info->nr_line_info;
	nr_j = info->nr_jited_line_info;
	nr_k = info->nr_jited_ksyms;
	nr_l = info->nr_jited_func_lens;
	assert_true(nr > 0);
	li->lines = calloc(nr, info->line_info_rec_size);
	li->jited_lines = calloc(nr_j + 1, sizeof(__u64));
	li->ksyms = calloc(nr_k + 1, sizeof(__u64));
	li->lens = calloc(nr_l + 1, sizeof(__u32));
	memset(info, 0, sizeof(*info));
	info->nr_line_info = nr;
	info->line_info_rec_size = sizeof(struct bpf_line_info);
	info->line_info = (__u64)(unsigned long)li->lines;
	info->nr_jited_line_info = nr_j;
	info->jited_line_info_rec_size = sizeof(__u64);
	info->jited_line_info = (__u64)(unsigned long)li->jited_lines;
	info->nr_jited_ksyms = nr_k;
	info->jited_ksyms = (__u64)(unsigned long)li->ksyms;
	info->nr_jited_func_lens = nr_l;
	info->jited_func_lens = (__u64)(unsigned long)li->lens;
	len = sizeof(*info);
	assert_int_equal(bpf_prog_get_info_by_fd(fd, info, &len), 0);
	assert_int_equal(info->nr_line_info, nr);
}

static void put_linfo(struct linfo_info *li)
{
	free(li->lines);
	free(li->jited_lines);
	free(li->ksyms);
	free(li->lens);
}

static void test_prog_linfo(void **state)
{
	struct bpf_object *obj = open_load("compat_net");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "compat_xdp");
	const struct bpf_line_info *first, *last, *r;
	struct bpf_prog_linfo *linfo;
	struct linfo_info li;
	struct btf *btf;
	const char *file;
	__u32 nr, last_insn;

	assert_non_null(prog);
	get_linfo(bpf_program__fd(prog), &li);
	nr = li.info.nr_line_info;
	linfo = bpf_prog_linfo__new(&li.info);
	assert_non_null(linfo);

	first = bpf_prog_linfo__lfind(linfo, 0, 0);
	assert_non_null(first);
	assert_int_equal(first->insn_off, 0);
	assert_memory_equal(first, &li.lines[0], sizeof(*first));
	last_insn = li.info.xlated_prog_len / sizeof(struct bpf_insn) - 1;
	last = bpf_prog_linfo__lfind(linfo, last_insn, 0);
	assert_memory_equal(last, &li.lines[nr - 1], sizeof(*last));
	/* an instruction between two records belongs to the earlier one */
	if (nr > 1 && li.lines[1].insn_off > 1) {
		r = bpf_prog_linfo__lfind(linfo, li.lines[1].insn_off - 1, 0);
		assert_memory_equal(r, &li.lines[0], sizeof(*r));
	}
	errno = 0;
	assert_null(bpf_prog_linfo__lfind(linfo, 0, nr));
	assert_int_equal(errno, ENOENT);

	/* the records name this program's source file */
	btf = btf__load_from_kernel_by_id(li.info.btf_id);
	assert_non_null(btf);
	file = btf__name_by_offset(btf, first->file_name_off);
	assert_non_null(file);
	assert_non_null(strstr(file, "compat_net.bpf.c"));
	btf__free(btf);

	if (li.info.nr_jited_ksyms) {
		__u64 start = li.ksyms[0], end = start + li.lens[0] - 1;

		r = bpf_prog_linfo__lfind_addr_func(linfo, start, 0, 0);
		assert_ptr_equal(r, first);
		r = bpf_prog_linfo__lfind_addr_func(linfo, end, 0, 0);
		assert_ptr_equal(r, last);
		errno = 0;
		assert_null(bpf_prog_linfo__lfind_addr_func(linfo, start, 1, 0));
		assert_int_equal(errno, ENOENT);
		errno = 0;
		assert_null(bpf_prog_linfo__lfind_addr_func(linfo, start - 1, 0, 0));
		assert_int_equal(errno, ENOENT);
	} else {
		/* no JIT: only instruction lookups exist */
		assert_null(bpf_prog_linfo__lfind_addr_func(linfo, 0, 0, 0));
	}
	bpf_prog_linfo__free(linfo);
	bpf_prog_linfo__free(NULL);

	/* no line info at all */
	li.info.nr_line_info = 0;
	errno = 0;
	assert_null(bpf_prog_linfo__new(&li.info));
	assert_int_equal(errno, EINVAL);
	put_linfo(&li);
	bpf_object__close(obj);
}

/* func_info / line_info as prepared: what the kernel then reports */
static void test_program_ext_info(void **state)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path("compat_net"), NULL);
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "compat_xdp");
	const struct btf_type *t;
	struct bpf_func_info *fi;
	struct bpf_line_info *li;
	struct linfo_info kli;
	__u32 i;

	errno = 0;
	assert_null(bpf_program__func_info(prog));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(bpf_program__func_info_cnt(prog), 0);
	assert_int_equal(bpf_object__prepare(obj), 0);

	fi = bpf_program__func_info(prog);
	assert_non_null(fi);
	assert_int_equal(bpf_program__func_info_cnt(prog), 1);
	assert_int_equal(fi[0].insn_off, 0);
	t = btf__type_by_id(bpf_object__btf(obj), fi[0].type_id);
	assert_non_null(t);
	assert_true(btf_is_func(t));
	assert_string_equal(btf__name_by_offset(bpf_object__btf(obj), t->name_off),
			    "compat_xdp");
	li = bpf_program__line_info(prog);
	assert_non_null(li);
	assert_true(bpf_program__line_info_cnt(prog) > 0);
	for (i = 1; i < bpf_program__line_info_cnt(prog); i++)
		assert_true(li[i].insn_off >= li[i - 1].insn_off);

	/* the kernel reports as many line records as were given */
	assert_int_equal(bpf_object__load(obj), 0);
	get_linfo(bpf_program__fd(prog), &kli);
	assert_int_equal(kli.info.nr_line_info, bpf_program__line_info_cnt(prog));
	assert_int_equal(kli.info.nr_func_info, bpf_program__func_info_cnt(prog));
	put_linfo(&kli);
	assert_ptr_equal(bpf_program__line_info(prog), li);
	bpf_object__close(obj);
}

static void test_legacy_names(void **state)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path("compat_net"), NULL);
	struct bpf_program *prog;
	struct bpf_map *map;
	struct btf_ext *ext = NULL;
	const void *a, *b;
	struct btf *btf;
	__u32 sa = 0, sb = 0;

	assert_non_null(obj);
	prog = bpf_object__find_program_by_name(obj, "compat_tc");
	assert_int_equal(bpf_program__get_type(prog), BPF_PROG_TYPE_SCHED_CLS);
	assert_int_equal(bpf_program__get_type(prog), bpf_program__type(prog));
	assert_int_equal(bpf_program__get_expected_attach_type(prog),
			 bpf_program__expected_attach_type(prog));
	map = bpf_object__find_map_by_name(obj, "compat_hits");
	assert_null(bpf_map__get_pin_path(map));
	assert_int_equal(bpf_map__set_pin_path(map, "/sys/fs/bpf/evbpf_legacy_name"), 0);
	assert_string_equal(bpf_map__get_pin_path(map), "/sys/fs/bpf/evbpf_legacy_name");
	bpf_object__close(obj);

	btf = btf__parse_elf(evbpf_test_prog_path("compat_net"), &ext);
	assert_non_null(btf);
	assert_non_null(ext);
	a = btf_ext__get_raw_data(ext, &sa);
	b = btf_ext__raw_data(ext, &sb);
	assert_non_null(a);
	assert_ptr_equal(a, b);
	assert_int_equal(sa, sb);
	a = btf__get_raw_data(btf, &sa);
	b = btf__raw_data(btf, &sb);
	assert_ptr_equal(a, b);
	assert_int_equal(sa, sb);
	btf_ext__free(ext);
	btf__free(btf);

	btf = libbpf_find_kernel_btf();
	assert_non_null(btf);
	assert_true(btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT) > 0);
	btf__free(btf);
}

/* ---- skeletons: struct_ops link slots, targetless sections ---- */

/* A skeleton built the way a generated header builds it, over @name. */
struct hand_skel {
	struct bpf_object_skeleton *s;
	struct bpf_object *obj;
	void *data;
	struct bpf_map *maps[4];
	struct bpf_link *map_links[4];
	struct bpf_program *progs[4];
	struct bpf_link *prog_links[4];
};

static void hand_skel_open(struct hand_skel *h, const char *obj_name,
			   const char *const *maps, int nmaps,
			   const char *const *progs, int nprogs)
{
	size_t size;
	int i;

	memset(h, 0, sizeof(*h));
	h->data = evbpf_test_read_file(evbpf_test_prog_path(obj_name), &size);
	assert_non_null(h->data);
	h->s = calloc(1, sizeof(*h->s));
	h->s->sz = sizeof(*h->s);
	h->s->name = obj_name;
	h->s->data = h->data;
	h->s->data_sz = size;
	h->s->obj = &h->obj;
	h->s->map_cnt = nmaps;
	h->s->map_skel_sz = sizeof(struct bpf_map_skeleton);
	h->s->maps = calloc(nmaps ? nmaps : 1, sizeof(struct bpf_map_skeleton));
	for (i = 0; i < nmaps; i++) {
		h->s->maps[i].name = maps[i];
		h->s->maps[i].map = &h->maps[i];
		h->s->maps[i].link = &h->map_links[i];
	}
	h->s->prog_cnt = nprogs;
	h->s->prog_skel_sz = sizeof(struct bpf_prog_skeleton);
	h->s->progs = calloc(nprogs ? nprogs : 1, sizeof(struct bpf_prog_skeleton));
	for (i = 0; i < nprogs; i++) {
		h->s->progs[i].name = progs[i];
		h->s->progs[i].prog = &h->progs[i];
		h->s->progs[i].link = &h->prog_links[i];
	}
	assert_int_equal(bpf_object__open_skeleton(h->s, NULL), 0);
}

static void hand_skel_destroy(struct hand_skel *h)
{
	bpf_object__destroy_skeleton(h->s);
	free(h->data);
}

/* True when the kernel lists congestion control @name as available. */
static int cc_registered(const char *name)
{
	char buf[4096], *tok, *save = NULL;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_available_congestion_control", "r");
	int found = 0;

	assert_non_null(f);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, name))
			found = 1;
	return found;
}

static void test_skeleton_struct_ops_links(void **state)
{
	static const char *const maps[] = { "evbpf_g_ca", "evbpf_g_ca_link", "evbpf_g_ca_link2" };
	static const char *const progs[] = { "g_ssthresh", "g_cong_avoid", "g_undo_cwnd" };
	struct hand_skel h;

	hand_skel_open(&h, "attach_struct_ops", maps, 3, progs, 3);
	assert_true(bpf_map__autoattach(h.maps[0]));
	/* the second link map reuses the first one's name: it stays out */
	assert_int_equal(bpf_map__set_autoattach(h.maps[2], false), 0);
	assert_false(bpf_map__autoattach(h.maps[2]));
	assert_int_equal(bpf_object__load_skeleton(h.s), 0);
	assert_int_equal(bpf_object__attach_skeleton(h.s), 0);

	assert_non_null(h.map_links[0]);	/* .struct_ops: registered */
	assert_non_null(h.map_links[1]);	/* .struct_ops.link: a BPF link */
	assert_null(h.map_links[2]);
	assert_true(bpf_link__fd(h.map_links[1]) >= 0);
	assert_true(cc_registered("evbpf_g_ca"));
	assert_true(cc_registered("evbpf_g_cal"));
	/* struct_ops programs have no attach of their own */
	assert_null(h.prog_links[0]);

	/* a second attach keeps what is attached */
	assert_int_equal(bpf_object__attach_skeleton(h.s), 0);

	bpf_object__detach_skeleton(h.s);
	assert_null(h.map_links[0]);
	assert_null(h.map_links[1]);
	assert_false(cc_registered("evbpf_g_ca"));
	assert_false(cc_registered("evbpf_g_cal"));
	hand_skel_destroy(&h);
}

static void test_map_autoattach_only_struct_ops(void **state)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path("compat_net"), NULL);
	struct bpf_map *map;

	assert_non_null(obj);
	map = bpf_object__find_map_by_name(obj, "compat_hits");
	errno = 0;
	assert_int_equal(bpf_map__set_autoattach(map, false), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(bpf_map__set_autoattach(NULL, true), -EINVAL);
	assert_false(bpf_map__autoattach(NULL));
	bpf_object__close(obj);
}

static int loud_lines;

static int count_loud(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_DEBUG) {
		loud_lines++;
		vfprintf(stderr, fmt, args);
	}
	return 0;
}

/* SEC("uprobe") and friends name no target: the skeleton attaches none of
 * them and, as with libbpf, says nothing at INFO or WARN level. */
static void test_skeleton_skips_targetless_quietly(void **state)
{
	static const char *const progs[] = { "probe_any_user", "probe_any_user_ret",
					     "probe_any_usdt" };
	libbpf_print_fn_t old;
	struct hand_skel h;

	hand_skel_open(&h, "api_misc", NULL, 0, progs, 3);
	assert_int_equal(bpf_object__load_skeleton(h.s), 0);
	loud_lines = 0;
	old = libbpf_set_print(count_loud);
	assert_int_equal(bpf_object__attach_skeleton(h.s), 0);
	libbpf_set_print(old);
	assert_int_equal(loud_lines, 0);
	assert_null(h.prog_links[0]);
	assert_null(h.prog_links[1]);
	assert_null(h.prog_links[2]);
	/* the explicit call still refuses, with a reason */
	errno = 0;
	assert_null(bpf_program__attach(h.progs[0]));
	assert_int_equal(errno, EOPNOTSUPP);
	hand_skel_destroy(&h);
}

/* ---- program flags, split BTF lookups, struct_ops association ---- */

static void test_program_flag_edits(void **state)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path("compat_net"), NULL);
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "compat_xdp");

	assert_int_equal(bpf_program__set_flags(prog, BPF_F_TEST_RND_HI32), 0);
	assert_int_equal(bpf_program__add_flags(prog, BPF_F_XDP_HAS_FRAGS), 0);
	assert_int_equal(bpf_program__flags(prog), BPF_F_TEST_RND_HI32 | BPF_F_XDP_HAS_FRAGS);
	assert_int_equal(bpf_program__clear_flags(prog, BPF_F_TEST_RND_HI32), 0);
	assert_int_equal(bpf_program__flags(prog), BPF_F_XDP_HAS_FRAGS);
	assert_int_equal(bpf_object__load(obj), 0);
	/* the kernel got the flags: a frags-aware XDP program */
	assert_int_equal(bpf_program__add_flags(prog, BPF_F_TEST_RND_HI32), -EBUSY);
	assert_int_equal(bpf_program__clear_flags(prog, BPF_F_XDP_HAS_FRAGS), -EBUSY);
	assert_int_equal(bpf_program__flags(prog), BPF_F_XDP_HAS_FRAGS);
	assert_int_equal(bpf_program__add_flags(NULL, 1), -EINVAL);
	bpf_object__close(obj);
}

static void test_find_by_name_kind_own(void **state)
{
	struct btf *base = btf__new_empty(), *split;
	int base_int, own_int, own_s;

	assert_non_null(base);
	base_int = btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	assert_true(base_int > 0);
	split = btf__new_empty_split(base);
	assert_non_null(split);
	own_s = btf__add_struct(split, "own_s", 4);
	assert_true(own_s > base_int);
	assert_int_equal(btf__add_field(split, "x", base_int, 0, 0), 0);

	assert_int_equal(btf__find_by_name_kind(split, "int", BTF_KIND_INT), base_int);
	errno = 0;
	assert_int_equal(btf__find_by_name_kind_own(split, "int", BTF_KIND_INT), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(btf__find_by_name_kind_own(split, "own_s", BTF_KIND_STRUCT), own_s);
	assert_int_equal(btf__find_by_name_kind_own(base, "int", BTF_KIND_INT), base_int);
	/* a type of the split BTF shadowing a base name is found as its own */
	own_int = btf__add_int(split, "int", 4, BTF_INT_SIGNED);
	assert_int_equal(btf__find_by_name_kind_own(split, "int", BTF_KIND_INT), own_int);
	assert_int_equal(btf__find_by_name_kind(split, "int", BTF_KIND_INT), base_int);
	assert_int_equal(btf__find_by_name_kind_own(split, "void", BTF_KIND_UNKN), 0);
	btf__free(split);
	btf__free(base);
}

static int log_lines;
static char last_log[512];

static int keep_log(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_DEBUG) {
		log_lines++;
		vsnprintf(last_log, sizeof(last_log), fmt, args);
	}
	return 0;
}

/*
 * BPF_PROG_ASSOC_STRUCT_OPS exists from kernel 6.19 on. Whether this kernel
 * has it is asked with the command itself on fd -1: a known command fails
 * with EBADF, an unknown one with EINVAL.
 */
static bool kernel_has_assoc_struct_ops(void)
{
	__u32 attr[3] = { (__u32)-1, (__u32)-1, 0 };
	long ret = syscall(__NR_bpf, BPF_PROG_ASSOC_STRUCT_OPS, attr, sizeof(attr));

	assert_true(ret < 0);
	return errno != EINVAL;
}

static void test_assoc_struct_ops(void **state)
{
	struct bpf_object *st = open_load("attach_struct_ops");
	struct bpf_object *net = bpf_object__open_file(evbpf_test_prog_path("compat_net"), NULL);
	struct bpf_map *st_map = bpf_object__find_map_by_name(st, "evbpf_g_ca");
	struct bpf_program *xdp = bpf_object__find_program_by_name(net, "compat_xdp");
	struct bpf_program *st_prog = bpf_object__find_program_by_name(st, "g_ssthresh");
	libbpf_print_fn_t old = libbpf_set_print(keep_log);
	int ret;

	/* refused before the kernel is asked, each with one line */
	log_lines = 0;
	assert_int_equal(bpf_program__assoc_struct_ops(xdp, st_map, NULL), -EINVAL);
	assert_int_equal(log_lines, 1);
	assert_non_null(strstr(last_log, "not loaded"));
	assert_int_equal(bpf_object__load(net), 0);
	log_lines = 0;
	assert_int_equal(bpf_program__assoc_struct_ops(xdp,
			 bpf_object__find_map_by_name(net, "compat_hits"), NULL), -EINVAL);
	assert_int_equal(log_lines, 1);
	assert_non_null(strstr(last_log, "not a created struct_ops map"));
	log_lines = 0;
	assert_int_equal(bpf_program__assoc_struct_ops(st_prog, st_map, NULL), -EINVAL);
	assert_int_equal(log_lines, 1);

	/* the kernel's answer */
	log_lines = 0;
	errno = 0;
	ret = bpf_program__assoc_struct_ops(xdp, st_map, NULL);
	if (kernel_has_assoc_struct_ops()) {
		assert_int_equal(ret, 0);
	} else {
		print_message("kernel has no BPF_PROG_ASSOC_STRUCT_OPS: refused with %d\n", ret);
		assert_int_equal(ret, -EINVAL);
		assert_int_equal(errno, EINVAL);
		/* the refusal is the kernel's, not one of ours */
		assert_int_equal(log_lines, 0);
	}
	/* unknown flags: the opts are passed through, the kernel judges */
	LIBBPF_OPTS(bpf_prog_assoc_struct_ops_opts, o, .flags = 0);
	ret = bpf_prog_assoc_struct_ops(bpf_program__fd(xdp), bpf_map__fd(st_map), &o);
	assert_true(ret == 0 || ret == -EINVAL);
	libbpf_set_print(old);
	bpf_object__close(net);
	bpf_object__close(st);
}

/*
 * Exclusive maps: a map created with the hash of one program refuses every
 * other program. Kernels before 6.18 refuse the map itself (the attr they
 * do not know is not zero: E2BIG).
 */
static void test_map_create_exclusive(void **state)
{
	unsigned char hash[32];
	struct bpf_insn insns[] = {
		/* r1 = map; r0 = 0; exit -- the program only references the map */
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1,
		  .src_reg = BPF_PSEUDO_MAP_FD },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd, pfd;

	memset(hash, 0xab, sizeof(hash));
	LIBBPF_OPTS(bpf_map_create_opts, o, .excl_prog_hash = hash,
		    .excl_prog_hash_size = sizeof(hash));
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "excl", 4, 8, 1, &o);
	if (fd < 0) {
		print_message("kernel refuses exclusive maps: %s\n", strerror(errno));
		assert_int_equal(fd, -E2BIG);
		return;
	}
	/* a program with another hash may not use it */
	insns[0].imm = fd;
	pfd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "not_excl", "GPL", insns, 4, NULL);
	print_message("program of another hash: %d (%s)\n", pfd, strerror(-pfd));
	assert_true(pfd < 0);
	assert_int_equal(pfd, -errno);
	close(fd);

	/* a hash of the wrong size is the kernel's EINVAL */
	o.excl_prog_hash_size = 16;
	assert_int_equal(bpf_map_create(BPF_MAP_TYPE_ARRAY, "excl", 4, 8, 1, &o), -EINVAL);
	/* ordinary maps are unaffected */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "plain", 4, 8, 1, NULL);
	assert_true(fd >= 0);
	insns[0].imm = fd;
	pfd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "plain", "GPL", insns, 4, NULL);
	assert_true(pfd >= 0);
	close(pfd);
	close(fd);
}

static void test_version(void **state)
{
	char want[32];

	assert_int_equal(libbpf_major_version(), LIBBPF_MAJOR_VERSION);
	assert_int_equal(libbpf_minor_version(), LIBBPF_MINOR_VERSION);
	snprintf(want, sizeof(want), "v%d.%d", LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
	assert_string_equal(libbpf_version_string(), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prog_linfo),
		cmocka_unit_test(test_program_ext_info),
		cmocka_unit_test(test_legacy_names),
		cmocka_unit_test(test_skeleton_struct_ops_links),
		cmocka_unit_test(test_map_autoattach_only_struct_ops),
		cmocka_unit_test(test_skeleton_skips_targetless_quietly),
		cmocka_unit_test(test_program_flag_edits),
		cmocka_unit_test(test_find_by_name_kind_own),
		cmocka_unit_test(test_assoc_struct_ops),
		cmocka_unit_test(test_map_create_exclusive),
		cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
