// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * .BTF.ext: func_info, line_info and CO-RE relocation records of clang
 * objects, byte-swapped input, cross-checks against the BTF, and malformed
 * sections (each refused with -EINVAL and one log line).
 */
#include <errno.h>

#include "evbpf_test.h"
#include "bpf/btf.h"
#include "bpf/libbpf.h"
#include "btf/btf_internal.h"

static void *ext_bytes(const char *prog, struct btf **btf_out, __u32 *size)
{
	struct btf_ext *ext = NULL;
	struct btf *btf = btf__parse_elf(evbpf_test_prog_path(prog), &ext);
	const void *raw;
	void *copy;

	assert_non_null(btf);
	assert_non_null(ext);
	raw = btf_ext__raw_data(ext, size);
	copy = malloc(*size);
	memcpy(copy, raw, *size);
	btf_ext__free(ext);
	if (btf_out)
		*btf_out = btf;
	else
		btf__free(btf);
	return copy;
}

static void test_kinds_ext(void **state)
{
	const struct evbpf__btf_ext_info *fi, *li, *cr;
	const struct evbpf__btf_ext_sec *sec;
	const struct bpf_func_info *rec;
	struct btf_ext *ext = NULL;
	struct btf *btf;

	btf = btf__parse_elf(evbpf_test_prog_path("btf_kinds"), &ext);
	assert_non_null(btf);
	assert_non_null(ext);
	fi = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_FUNC_INFO);
	li = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_LINE_INFO);
	cr = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_CORE_RELO);
	assert_int_equal(fi->rec_size, sizeof(struct bpf_func_info));
	assert_int_equal(li->rec_size, sizeof(struct bpf_line_info));
	assert_int_equal(fi->sec_cnt, 2);
	assert_true(li->sec_cnt >= 2);
	assert_int_equal(cr->sec_cnt, 0);

	sec = evbpf__btf_ext_find_sec(ext, btf, EVBPF_BTF_EXT_FUNC_INFO, "socket");
	assert_non_null(sec);
	assert_int_equal(sec->num_info, 1);
	rec = evbpf__btf_ext_rec(fi, sec, 0);
	assert_int_equal(rec->insn_off, 0);
	assert_string_equal(btf__name_by_offset(btf, btf__type_by_id(btf, rec->type_id)->name_off),
			    "btf_kinds_prog");
	sec = evbpf__btf_ext_find_sec(ext, btf, EVBPF_BTF_EXT_FUNC_INFO, ".text");
	assert_non_null(sec);
	rec = evbpf__btf_ext_rec(fi, sec, 0);
	assert_string_equal(btf__name_by_offset(btf, btf__type_by_id(btf, rec->type_id)->name_off),
			    "helper");
	assert_null(evbpf__btf_ext_find_sec(ext, btf, EVBPF_BTF_EXT_LINE_INFO, "nosuch"));
	assert_int_equal(evbpf__btf_ext_validate(ext, btf, "btf_kinds"), 0);
	btf_ext__free(ext);
	btf__free(btf);
}

static void test_core_relos(void **state)
{
	const struct evbpf__btf_ext_info *cr;
	const struct evbpf__btf_ext_sec *sec;
	struct btf_ext *ext;
	struct btf *btf;
	__u32 size, i;
	void *raw = ext_bytes("btf_vmlinux_trace", &btf, &size);
	bool field_off = false;

	ext = btf_ext__new(raw, size);
	assert_non_null(ext);
	cr = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_CORE_RELO);
	assert_int_equal(cr->rec_size, sizeof(struct bpf_core_relo));
	sec = evbpf__btf_ext_find_sec(ext, btf, EVBPF_BTF_EXT_CORE_RELO,
				      "tracepoint/syscalls/sys_enter_getppid");
	assert_non_null(sec);
	for (i = 0; i < sec->num_info; i++) {
		const struct bpf_core_relo *r = evbpf__btf_ext_rec(cr, sec, i);
		const struct btf_type *t = btf__type_by_id(btf, r->type_id);

		if (r->kind == BPF_CORE_FIELD_BYTE_OFFSET &&
		    strcmp(btf__name_by_offset(btf, t->name_off), "task_struct") == 0)
			field_off = true;
	}
	assert_true(field_off);
	assert_int_equal(evbpf__btf_ext_validate(ext, btf, "trace"), 0);
	btf_ext__free(ext);
	btf__free(btf);
	free(raw);
}

static void test_swapped(void **state)
{
	const struct evbpf__btf_ext_info *a, *b;
	struct btf_ext *ext, *sw;
	__u32 size, i, s;
	void *raw = ext_bytes("btf_kinds", NULL, &size);
	unsigned char *swapped = malloc(size);
	const void *back;
	__u32 back_size, hdr_len;

	/* Swap by hand: the 16-bit magic, then every 32-bit word. */
	memcpy(swapped, raw, size);
	swapped[0] = ((unsigned char *)raw)[1];
	swapped[1] = ((unsigned char *)raw)[0];
	memcpy(&hdr_len, (char *)raw + 4, 4);
	for (i = 4; i + 4 <= size; i += 4) {
		__u32 w;

		memcpy(&w, (char *)raw + i, 4);
		w = __builtin_bswap32(w);
		memcpy(swapped + i, &w, 4);
	}
	ext = btf_ext__new(raw, size);
	sw = btf_ext__new(swapped, size);
	assert_non_null(ext);
	assert_non_null(sw);
	for (int k = 0; k < __EVBPF_BTF_EXT_KIND_CNT; k++) {
		a = evbpf__btf_ext_info(ext, k);
		b = evbpf__btf_ext_info(sw, k);
		assert_int_equal(a->rec_size, b->rec_size);
		assert_int_equal(a->sec_cnt, b->sec_cnt);
		for (s = 0; s < a->sec_cnt; s++) {
			assert_int_equal(a->secs[s].num_info, b->secs[s].num_info);
			assert_int_equal(a->secs[s].sec_name_off, b->secs[s].sec_name_off);
			assert_memory_equal(a->secs[s].data, b->secs[s].data,
					    a->secs[s].num_info * a->rec_size);
		}
	}
	back = btf_ext__raw_data(sw, &back_size);
	assert_int_equal(back_size, size);
	assert_memory_equal(back, swapped, size);
	assert_int_equal(btf_ext__endianness(sw), !btf_ext__endianness(ext));
	/* flipping the swapped one gives the original bytes back */
	assert_int_equal(btf_ext__set_endianness(sw, btf_ext__endianness(ext)), 0);
	back = btf_ext__raw_data(sw, &back_size);
	assert_memory_equal(back, raw, size);
	assert_int_equal(btf_ext__set_endianness(ext, !btf_ext__endianness(ext)), 0);
	back = btf_ext__raw_data(ext, &back_size);
	assert_memory_equal(back, swapped, size);
	assert_int_equal(btf_ext__set_endianness(ext, 5), -EINVAL);
	btf_ext__free(ext);
	btf_ext__free(sw);
	free(swapped);
	free(raw);
}

/* Patches the 32-bit word at @off of a copy and expects a refusal. */
static void refuse(const void *raw, __u32 size, __u32 cut, __u32 off, __u32 val, const char *why)
{
	unsigned char *buf = malloc(size);
	struct btf_ext *ext;

	memcpy(buf, raw, size);
	if (off != ~0u)
		memcpy(buf + off, &val, 4);
	evbpf_test_log_reset();
	ext = btf_ext__new(buf, size - cut);
	if (ext)
		fail_msg("accepted: %s", why);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "BTF.ext"));
	/* exactly one line */
	assert_null(strchr(strchr(evbpf_test_log(), '\n') + 1, '\n'));
	free(buf);
}

static void test_malformed(void **state)
{
	__u32 size, hdr_len, fi_off, li_off;
	void *raw = ext_bytes("btf_kinds", NULL, &size);

	memcpy(&hdr_len, (char *)raw + 4, 4);
	memcpy(&fi_off, (char *)raw + 8, 4);
	memcpy(&li_off, (char *)raw + 16, 4);
	evbpf_test_capture_log();
	refuse(raw, size, size - 7, ~0u, 0, "short header");
	refuse(raw, size, 0, 0, 0x0001abcd, "bad magic");
	refuse(raw, size, 0, 4, size + 1, "header longer than data");
	refuse(raw, size, 0, 12, size, "func_info length beyond end");
	refuse(raw, size, 0, hdr_len + fi_off, 4, "func_info record size too small");
	refuse(raw, size, 0, hdr_len + fi_off, 10, "record size not a multiple of 4");
	refuse(raw, size, 0, hdr_len + fi_off + 8, 0x10000, "too many records");
	refuse(raw, size, 0, hdr_len + fi_off + 8, 0, "zero records");
	refuse(raw, size, 0, hdr_len + li_off, 8, "line_info record size too small");
	refuse(raw, size, 0, 8, 2, "misaligned func_info offset");
	assert_null(btf_ext__new(NULL, 0));
	free(raw);
}

static void test_validate_bad_records(void **state)
{
	const struct evbpf__btf_ext_info *fi;
	struct btf_ext *ext;
	struct btf *btf;
	__u32 size;
	void *raw = ext_bytes("btf_kinds", &btf, &size);
	struct bpf_func_info *rec;

	ext = btf_ext__new(raw, size);
	fi = evbpf__btf_ext_info(ext, EVBPF_BTF_EXT_FUNC_INFO);
	rec = (struct bpf_func_info *)fi->secs[0].data;
	evbpf_test_capture_log();
	rec->type_id = 1;	/* a PTR, not a FUNC */
	assert_int_equal(evbpf__btf_ext_validate(ext, btf, "objx"), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "objx: .BTF.ext func_info of section"));
	assert_non_null(strstr(evbpf_test_log(), "record #0"));
	rec->type_id = 0xffffff;
	assert_int_equal(evbpf__btf_ext_validate(ext, btf, "objx"), -EINVAL);
	btf_ext__free(ext);
	btf__free(btf);
	free(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_ext),
		cmocka_unit_test(test_core_relos),
		cmocka_unit_test(test_swapped),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_validate_bad_records),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
