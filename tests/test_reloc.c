// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Instruction relocation on our compiled fixtures. The pure part gives the
 * maps made-up fds and runs the linker without the kernel, then checks
 * every patched instruction: map fds, global variables as map value +
 * offset, bpf-to-bpf calls into .text and within a section, callbacks,
 * appended subprograms and their func_info/line_info. The kernel part
 * checks what the kernel recorded for a loaded program.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "object/object_internal.h"
#include "evbpf_test.h"

#define FAKE_FD_BASE 1000

static struct bpf_object *open_prog(const char *name)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path(name), NULL);

	assert_non_null(obj);
	return obj;
}

/* Links without the kernel: maps get fake fds, BTF counts as loaded so
 * func_info/line_info are collected. */
static void link_offline(struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_maps; i++)
		obj->maps[i].fd = FAKE_FD_BASE + (int)i;
	obj->btf_loaded = obj->btf != NULL;
	assert_int_equal(evbpf__relocate(obj), 0);
	for (i = 0; i < obj->nr_maps; i++)
		obj->maps[i].fd = -1;
	obj->btf_loaded = false;
}

static int map_idx(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	assert_non_null(m);
	return (int)(m - obj->maps);
}

static bool is_ldimm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool is_pseudo_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL;
}

/* The function piece that the final-image insn @idx belongs to. */
static const char *piece_name(const struct bpf_program *prog, size_t idx)
{
	const struct bpf_object *obj = prog->obj;
	size_t p;

	for (p = 0; p < prog->nr_pieces; p++) {
		const struct evbpf__func *fn = &obj->funcs[prog->pieces[p].fn];

		if (idx >= prog->pieces[p].off && idx < prog->pieces[p].off + fn->cnt)
			return fn->name;
	}
	return NULL;
}

static void test_map_and_data_refs(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "xdp_main");
	const struct bpf_insn *insns;
	int counters = map_idx(obj, "counters"), outer = map_idx(obj, "outer");
	int jumps = map_idx(obj, "jumps"), bss = map_idx(obj, ".bss");
	int data = map_idx(obj, ".data"), ro = map_idx(obj, ".rodata");
	int custom = map_idx(obj, ".data.custom"), custom_ro = map_idx(obj, ".rodata.custom");
	bool seen[6] = { false };
	size_t i, cnt;

	(void)state;
	link_offline(obj);
	insns = bpf_program__insns(prog);
	cnt = bpf_program__insn_cnt(prog);
	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];

		if (!is_ldimm64(in))
			continue;
		assert_true(i + 1 < cnt);
		if (in->src_reg == BPF_PSEUDO_MAP_FD) {
			assert_true(in->imm >= FAKE_FD_BASE);
			assert_int_equal(in[1].imm, 0);
			if (in->imm == FAKE_FD_BASE + counters)
				seen[0] = true;
			if (in->imm == FAKE_FD_BASE + outer)
				seen[1] = true;
			if (in->imm == FAKE_FD_BASE + jumps)
				seen[2] = true;
		} else if (in->src_reg == BPF_PSEUDO_MAP_VALUE) {
			int m = in->imm - FAKE_FD_BASE;

			assert_true(m == bss || m == data || m == ro || m == custom ||
				    m == custom_ro);
			/* the offset stays inside the variable's section */
			assert_true((__u32)in[1].imm < bpf_map__value_size(&obj->maps[m]));
			if (m == bss)
				seen[3] = true;
			if (m == ro)
				seen[4] = true;
			if (m == data && in[1].imm == 4)
				seen[5] = true; /* data_arr, after data_var */
		}
		i++;
	}
	for (i = 0; i < 6; i++)
		if (!seen[i])
			fail_msg("reference #%zu not relocated", i);
	bpf_object__close(obj);
}

static void test_calls_and_callbacks(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "xdp_main");
	const char *want[] = { "global_add", "text_mul", "in_section_helper" };
	bool called[3] = { false }, callback = false;
	const struct bpf_insn *insns;
	size_t i, k, cnt, own;

	(void)state;
	own = bpf_program__insn_cnt(prog);
	link_offline(obj);
	insns = bpf_program__insns(prog);
	cnt = bpf_program__insn_cnt(prog);
	/* subprograms appended after the program's own instructions */
	assert_true(cnt > own);
	assert_int_equal(prog->nr_pieces, 5);
	assert_string_equal(piece_name(prog, 0), "xdp_main");
	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];
		long target;
		const char *name;

		if (is_pseudo_call(in)) {
			target = (long)i + in->imm + 1;
			assert_true(target >= 0 && (size_t)target < cnt);
			name = piece_name(prog, (size_t)target);
			assert_non_null(name);
			/* calls land on the first instruction of a piece */
			assert_string_not_equal(name, piece_name(prog, (size_t)target - 1));
			for (k = 0; k < 3; k++)
				if (!strcmp(name, want[k]))
					called[k] = true;
		} else if (is_ldimm64(in) && in->src_reg == BPF_PSEUDO_FUNC) {
			target = (long)i + in->imm + 1;
			assert_true(target >= 0 && (size_t)target < cnt);
			assert_string_equal(piece_name(prog, (size_t)target), "loop_cb");
			callback = true;
			i++;
		} else if (is_ldimm64(in)) {
			i++;
		}
	}
	for (k = 0; k < 3; k++)
		if (!called[k])
			fail_msg("no call into %s", want[k]);
	assert_true(callback);

	/* one func_info per piece, at its start, in order; line_info inside */
	assert_int_equal(prog->func_info_cnt, prog->nr_pieces);
	for (k = 0; k < prog->func_info_cnt; k++) {
		const struct bpf_func_info *fi = (const void *)((const char *)prog->func_info +
							       k * prog->func_info_rec_size);

		assert_int_equal(fi->insn_off, prog->pieces[k].off);
	}
	assert_true(prog->line_info_cnt > prog->func_info_cnt);
	for (k = 1; k < prog->line_info_cnt; k++) {
		const struct bpf_line_info *a = (const void *)((const char *)prog->line_info +
							      (k - 1) * prog->line_info_rec_size);
		const struct bpf_line_info *b = (const void *)((const char *)a +
							      prog->line_info_rec_size);

		assert_true(a->insn_off <= b->insn_off);
		assert_true(b->insn_off < cnt);
	}

	/* the socket program shares global_add but has its own copy */
	prog = bpf_object__find_program_by_name(obj, "sock_prog");
	assert_int_equal(prog->nr_pieces, 2);
	assert_string_equal(obj->funcs[prog->pieces[1].fn].name, "global_add");
	bpf_object__close(obj);
}

static void test_legacy_and_static(void **state)
{
	struct bpf_object *obj = open_prog("loader_legacy");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "static_prog");
	int arr = map_idx(obj, "legacy_arr"), hash = map_idx(obj, "legacy_hash");
	const struct bpf_insn *insns;
	bool seen_arr = false, seen_hash = false;
	size_t i;

	(void)state;
	link_offline(obj);
	insns = bpf_program__insns(prog);
	for (i = 0; i < bpf_program__insn_cnt(prog); i++) {
		if (!is_ldimm64(&insns[i]))
			continue;
		assert_int_equal(insns[i].src_reg, BPF_PSEUDO_MAP_FD);
		seen_arr |= insns[i].imm == FAKE_FD_BASE + arr;
		seen_hash |= insns[i].imm == FAKE_FD_BASE + hash;
		i++;
	}
	assert_true(seen_arr && seen_hash);
	/* optional_prog is not autoloaded: left as it was */
	prog = bpf_object__find_program_by_name(obj, "optional_prog");
	assert_int_equal(prog->nr_pieces, 0);
	bpf_object__close(obj);
}

static void test_insn_origin(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "xdp_main");
	const char *sec = NULL;
	__u32 off = 0;
	size_t p;

	(void)state;
	link_offline(obj);
	assert_true(evbpf__prog_insn_origin(prog, 0, &sec, &off));
	assert_string_equal(sec, "xdp");
	assert_int_equal(off, obj->funcs[prog->fn].sec_off * 8);
	for (p = 1; p < prog->nr_pieces; p++) {
		const struct evbpf__func *fn = &obj->funcs[prog->pieces[p].fn];

		assert_true(evbpf__prog_insn_origin(prog, prog->pieces[p].off + 1, &sec, &off));
		assert_string_equal(sec, obj->secs[fn->sec].name);
		assert_int_equal(off, (fn->sec_off + 1) * 8);
	}
	assert_false(evbpf__prog_insn_origin(prog, bpf_program__insn_cnt(prog), &sec, &off));
	bpf_object__close(obj);
}

static void test_kernel_sees_func_and_line_info(void **state)
{
	struct bpf_object *obj = open_prog("loader_basic");
	struct bpf_program *prog;
	struct bpf_prog_info info;
	struct bpf_map_info minfo;
	__u32 len = sizeof(info), mlen = sizeof(minfo);

	(void)state;
	assert_int_equal(bpf_object__load(obj), 0);
	prog = bpf_object__find_program_by_name(obj, "xdp_main");
	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len), 0);
	assert_int_equal(info.nr_func_info, 5);
	assert_true(info.nr_line_info > 5);
	assert_int_equal(info.btf_id != 0, 1);
	/* maps carry the BTF key/value types */
	memset(&minfo, 0, sizeof(minfo));
	assert_int_equal(bpf_map_get_info_by_fd(bpf_map__fd(bpf_object__find_map_by_name(obj,
		"counters")), &minfo, &mlen), 0);
	assert_true(minfo.btf_id != 0);
	assert_true(minfo.btf_key_type_id != 0);
	assert_true(minfo.btf_value_type_id != 0);
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_and_data_refs),
		cmocka_unit_test(test_calls_and_callbacks),
		cmocka_unit_test(test_legacy_and_static),
		cmocka_unit_test(test_insn_origin),
		cmocka_unit_test(test_kernel_sees_func_and_line_info),
	};

	evbpf_test_capture_log();
	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
