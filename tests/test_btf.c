// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF parsing and queries: clang-compiled objects, the running kernel's
 * BTF, byte-swapped (big-endian) blobs, split BTF, the process-wide vmlinux
 * cache, and loading BTF into / fetching it from the kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#include "evbpf_test.h"
#include "bpf/btf.h"
#include "bpf/libbpf.h"
#include "btf/btf_internal.h"


static struct btf *kinds_btf(struct btf_ext **ext)
{
	struct btf *btf = btf__parse_elf(evbpf_test_prog_path("btf_kinds"), ext);

	assert_non_null(btf);
	return btf;
}

static const struct btf_type *by_name(const struct btf *btf, const char *name, int kind)
{
	__s32 id = btf__find_by_name_kind(btf, name, kind);

	assert_true(id > 0);
	return btf__type_by_id(btf, id);
}

static void test_kinds_object(void **state)
{
	struct btf *btf = kinds_btf(NULL);
	const struct btf_type *t, *m;
	bool seen[NR_BTF_KINDS] = {};
	__u32 id, i;

	for (id = 1; id < btf__type_cnt(btf); id++)
		seen[btf_kind(btf__type_by_id(btf, id))] = true;
	/* clang 14 emits every kind but ENUM64 (checked in test_btf_write). */
	for (i = BTF_KIND_INT; i <= BTF_KIND_TYPE_TAG; i++)
		assert_true(seen[i]);

	t = by_name(btf, "kinds", BTF_KIND_STRUCT);
	assert_int_equal(t->size, 128);
	assert_int_equal(btf_vlen(t), 14);
	assert_string_equal(btf__name_by_offset(btf, btf_members(t)[1].name_off), "cv");
	assert_int_equal(btf_member_bit_offset(t, 1), 64);
	assert_int_equal(btf__resolve_size(btf, btf_members(t)[6].type), 32);
	assert_int_equal(btf__align_of(btf, btf__find_by_name_kind(btf, "kinds", BTF_KIND_STRUCT)), 8);

	t = by_name(btf, "bits", BTF_KIND_STRUCT);
	assert_true(btf_kflag(t));
	assert_int_equal(btf_member_bitfield_size(t, 0), 3);
	assert_int_equal(btf_member_bit_offset(t, 1), 3);
	assert_int_equal(btf_member_bitfield_size(t, 3), 40);
	assert_int_equal(btf_member_bitfield_size(t, 2), 0);

	t = by_name(btf, "packed", BTF_KIND_STRUCT);
	assert_int_equal(t->size, 5);
	assert_int_equal(btf__align_of(btf, btf__find_by_name_kind(btf, "packed", BTF_KIND_STRUCT)), 1);

	t = by_name(btf, "colour", BTF_KIND_ENUM);
	assert_int_equal(btf_vlen(t), 3);
	assert_int_equal(btf_enum(t)[2].val, -3);

	t = by_name(btf, "u32_t", BTF_KIND_TYPEDEF);
	assert_int_equal(btf__resolve_type(btf, btf__find_by_name(btf, "u32_t")), (int)t->type);
	assert_int_equal(btf__resolve_size(btf, btf__find_by_name(btf, "u32_t")), 4);

	t = by_name(btf, "helper", BTF_KIND_FUNC);
	m = btf__type_by_id(btf, t->type);
	assert_true(btf_is_func_proto(m));
	assert_int_equal(btf_vlen(m), 2);
	assert_string_equal(btf__name_by_offset(btf, btf_params(m)[1].name_off), "n");

	t = by_name(btf, "arg_tag", BTF_KIND_DECL_TAG);
	assert_int_equal(btf_decl_tag(t)->component_idx, 0);
	t = by_name(btf, "user", BTF_KIND_TYPE_TAG);
	assert_true(btf_is_mod(t));
	t = by_name(btf, "opaque_u", BTF_KIND_FWD);
	assert_true(btf_kflag(t));
	t = by_name(btf, "g_ro", BTF_KIND_VAR);
	assert_int_equal(btf_var(t)->linkage, BTF_VAR_GLOBAL_ALLOCATED);
	t = by_name(btf, ".data", BTF_KIND_DATASEC);
	assert_true(btf_vlen(t) >= 1);
	assert_true(btf_is_var(btf__type_by_id(btf, btf_var_secinfos(t)[0].type)));
	by_name(btf, "double", BTF_KIND_FLOAT);

	assert_int_equal(btf__find_by_name(btf, "void"), 0);
	assert_int_equal(btf__find_by_name(btf, "no_such_type"), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(btf__find_by_name_kind(btf, "kinds", BTF_KIND_UNION), -ENOENT);
	assert_null(btf__type_by_id(btf, btf__type_cnt(btf)));
	assert_int_equal(errno, EINVAL);
	assert_null(btf__name_by_offset(btf, 0x7fffffff));
	assert_int_equal(btf__pointer_size(btf), 8);
	assert_int_equal(btf__endianness(btf),
			 __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? BTF_LITTLE_ENDIAN : BTF_BIG_ENDIAN);
	assert_int_equal(btf__fd(btf), -1);
	assert_null(btf__base_btf(btf));
	btf__free(btf);
}

static void test_raw_roundtrip(void **state)
{
	struct btf *btf = kinds_btf(NULL), *copy;
	const void *raw, *raw2;
	__u32 size, size2;

	raw = btf__raw_data(btf, &size);
	assert_non_null(raw);
	copy = btf__new(raw, size);
	assert_non_null(copy);
	assert_int_equal(btf__type_cnt(copy), btf__type_cnt(btf));
	raw2 = btf__raw_data(copy, &size2);
	assert_int_equal(size, size2);
	assert_memory_equal(raw, raw2, size);
	btf__free(copy);
	btf__free(btf);
}

/* Byte-swaps a host-order raw blob into the other order by hand (the
 * test must not trust the library's own swapping to check it). */
static void *swap_blob(const void *raw, __u32 size)
{
	const struct btf_header *h = raw;
	char *out = malloc(size);
	__u32 *w, i, off, type_end;
	struct btf_header *oh = (struct btf_header *)out;

	memcpy(out, raw, size);
	oh->magic = __builtin_bswap16(h->magic);
	oh->hdr_len = __builtin_bswap32(h->hdr_len);
	oh->type_off = __builtin_bswap32(h->type_off);
	oh->type_len = __builtin_bswap32(h->type_len);
	oh->str_off = __builtin_bswap32(h->str_off);
	oh->str_len = __builtin_bswap32(h->str_len);
	/* All type data is 32-bit words: swap them all. */
	off = h->hdr_len + h->type_off;
	type_end = off + h->type_len;
	w = (__u32 *)(out + off);
	for (i = 0; i < h->type_len / 4; i++)
		w[i] = __builtin_bswap32(w[i]);
	assert_true(type_end <= size);
	return out;
}

static void test_big_endian(void **state)
{
	struct btf *btf = kinds_btf(NULL), *be;
	const struct btf_type *t;
	const void *raw, *raw_be;
	__u32 size, size_be;
	void *swapped;

	raw = btf__raw_data(btf, &size);
	swapped = swap_blob(raw, size);
	be = btf__new(swapped, size);
	assert_non_null(be);
	assert_int_equal(btf__endianness(be), BTF_BIG_ENDIAN);
	assert_int_equal(btf__type_cnt(be), btf__type_cnt(btf));
	t = by_name(be, "bits", BTF_KIND_STRUCT);
	assert_int_equal(btf_member_bitfield_size(t, 3), 40);
	t = by_name(be, "colour", BTF_KIND_ENUM);
	assert_int_equal(btf_enum(t)[2].val, -3);
	/* raw data comes back in the original (big-endian) order ... */
	raw_be = btf__raw_data(be, &size_be);
	assert_int_equal(size_be, size);
	assert_memory_equal(raw_be, swapped, size);
	/* ... and in host order on request. */
	assert_int_equal(btf__set_endianness(be, BTF_LITTLE_ENDIAN), 0);
	raw_be = btf__raw_data(be, &size_be);
	assert_memory_equal(raw_be, raw, size);
	assert_int_equal(btf__set_endianness(be, 7), -EINVAL);
	free(swapped);
	btf__free(be);
	btf__free(btf);
}

static void test_vmlinux(void **state)
{
	struct btf *btf;
	const struct btf_type *t;
	__s32 id;
	__u32 i;
	bool found = false;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		EVBPF_SKIP("no /sys/kernel/btf/vmlinux");
	btf = btf__load_vmlinux_btf();
	assert_non_null(btf);
	assert_true(btf__type_cnt(btf) > 10000);
	id = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
	assert_true(id > 0);
	t = btf__type_by_id(btf, id);
	for (i = 0; i < btf_vlen(t); i++)
		if (strcmp(btf__name_by_offset(btf, btf_members(t)[i].name_off), "tgid") == 0)
			found = true;
	assert_true(found);
	assert_true(btf__resolve_size(btf, id) == t->size);
	assert_int_equal(btf__pointer_size(btf), sizeof(void *));
	assert_true(btf__find_by_name_kind(btf, "bpf_map_type", BTF_KIND_ENUM) > 0);
	btf__free(btf);
}

static void *cache_thread(void *arg)
{
	int err = 0;

	return (void *)evbpf__vmlinux_btf(&err);
}

static void test_vmlinux_cache(void **state)
{
	const struct btf *a, *b;
	pthread_t th[4];
	void *ret;
	int err = 1, i;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		EVBPF_SKIP("no /sys/kernel/btf/vmlinux");
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, cache_thread, NULL), 0);
	a = evbpf__vmlinux_btf(&err);
	assert_non_null(a);
	assert_int_equal(err, 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_ptr_equal(ret, a);
	}
	b = evbpf__vmlinux_btf(NULL);
	assert_ptr_equal(a, b);
	assert_true(btf__find_by_name_kind(a, "task_struct", BTF_KIND_STRUCT) > 0);
}

static void test_split(void **state)
{
	struct btf *base = kinds_btf(NULL), *split, *split2;
	const void *raw;
	__u32 size, base_cnt = btf__type_cnt(base);
	int id, ptr;

	split = btf__new_empty_split(base);
	assert_non_null(split);
	assert_ptr_equal(btf__base_btf(split), base);
	ptr = btf__add_ptr(split, btf__find_by_name(base, "kinds"));
	assert_int_equal(ptr, (int)base_cnt);
	id = btf__add_struct(split, "split_s", 8);
	assert_int_equal(btf__add_field(split, "p", ptr, 0, 0), 0);
	assert_int_equal(btf__find_by_name(split, "split_s"), id);
	assert_int_equal(btf__find_by_name(split, "kinds"), btf__find_by_name(base, "kinds"));
	assert_string_equal(btf__name_by_offset(split, btf__type_by_id(split, 6)->name_off), "kinds");

	raw = btf__raw_data(split, &size);
	split2 = btf__new_split(raw, size, base);
	assert_non_null(split2);
	assert_int_equal(btf__type_cnt(split2), base_cnt + 2);
	assert_int_equal(btf__find_by_name_kind(split2, "split_s", BTF_KIND_STRUCT), id);
	assert_int_equal(btf__resolve_size(split2, id), 8);
	/* A split blob needs its base. */
	assert_null(btf__new(raw, size));
	btf__free(split2);
	btf__free(split);
	btf__free(base);
}

static void test_parse_variants(void **state)
{
	struct btf_ext *ext = NULL;
	struct btf *btf, *raw_btf;
	const void *raw;
	char path[] = "/tmp/evbpf-test-btf-XXXXXX";
	__u32 size;
	int fd;

	btf = btf__parse(evbpf_test_prog_path("btf_kinds"), &ext);
	assert_non_null(btf);
	assert_non_null(ext);
	raw = btf__raw_data(btf, &size);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, raw, size), (ssize_t)size);
	close(fd);
	raw_btf = btf__parse(path, NULL);
	assert_non_null(raw_btf);
	assert_int_equal(btf__type_cnt(raw_btf), btf__type_cnt(btf));
	btf__free(raw_btf);
	raw_btf = btf__parse_raw(path);
	assert_non_null(raw_btf);
	btf__free(raw_btf);
	/* Not an ELF file: parse_elf refuses it. */
	assert_null(btf__parse_elf(path, NULL));
	unlink(path);
	assert_null(btf__parse("/nonexistent/evbpf.o", NULL));
	assert_int_equal(errno, ENOENT);
	btf_ext__free(ext);
	btf__free(btf);
}

static int btf_id_of_fd(int fd, __u32 *id)
{
	struct bpf_btf_info info = {};
	union bpf_attr attr = {};

	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (unsigned long)&info;
	if (syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)))
		return -errno;
	*id = info.id;
	return 0;
}

static void test_kernel_load(void **state)
{
	struct btf *btf = btf__new_empty(), *back;
	__u32 kid = 0;
	int i_id, s_id, err;

	assert_non_null(btf);
	i_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	s_id = btf__add_struct(btf, "evbpf_test_load", 8);
	assert_int_equal(btf__add_field(btf, "a", i_id, 0, 0), 0);
	assert_int_equal(btf__add_field(btf, "b", i_id, 32, 0), 0);
	err = btf__load_into_kernel(btf);
	if (err == -EPERM)
		EVBPF_SKIP("BPF_BTF_LOAD needs CAP_BPF");
	assert_int_equal(err, 0);
	assert_true(btf__fd(btf) >= 0);
	assert_int_equal(btf_id_of_fd(btf__fd(btf), &kid), 0);
	back = btf__load_from_kernel_by_id(kid);
	assert_non_null(back);
	assert_int_equal(btf__type_cnt(back), 3);
	assert_int_equal(btf__find_by_name_kind(back, "evbpf_test_load", BTF_KIND_STRUCT), s_id);
	assert_int_equal(btf__fd(back), -1);
	btf__free(back);
	btf__free(btf);	/* closes the fd: checked by the fd-leak teardown */

	/* A BTF the kernel refuses: one log line with its verdict. */
	btf = btf__new_empty();
	i_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	btf__add_ptr(btf, i_id);
	/* make the pointer named: the kernel rejects that */
	evbpf__btf_type_mut(btf, 2)->name_off = 1;
	evbpf_test_capture_log();
	err = btf__load_into_kernel(btf);
	assert_true(err < 0);
	assert_non_null(strstr(evbpf_test_log(), "kernel refused"));
	btf__free(btf);
	assert_null(btf__load_from_kernel_by_id(0xfffffff0u));
}

/* Module BTF, when the kernel has modules with BTF (any will do). */
static void test_kernel_module_btf(void **state)
{
	struct btf *vml, *mod;
	struct dirent *de;
	DIR *dir;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		EVBPF_SKIP("no /sys/kernel/btf/vmlinux");
	vml = btf__load_vmlinux_btf();
	assert_non_null(vml);
	dir = opendir("/sys/kernel/btf");
	assert_non_null(dir);
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "vmlinux") == 0)
			continue;
		mod = btf__load_module_btf(de->d_name, vml);
		assert_non_null(mod);
		assert_ptr_equal(btf__base_btf(mod), vml);
		assert_true(btf__type_cnt(mod) > btf__type_cnt(vml));
		assert_non_null(evbpf__module_btf(de->d_name, NULL));
		btf__free(mod);
		break;
	}
	closedir(dir);
	assert_null(btf__load_module_btf("no_such_module_evbpf", vml));
	assert_int_equal(errno, ENOENT);
	assert_null(evbpf__module_btf("no_such_module_evbpf", NULL));
	assert_null(btf__load_module_btf("../vmlinux", vml));
	assert_int_equal(errno, EINVAL);
	btf__free(vml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_object),
		cmocka_unit_test(test_raw_roundtrip),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_vmlinux),
		cmocka_unit_test(test_vmlinux_cache),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_parse_variants),
		cmocka_unit_test(test_kernel_load),
		cmocka_unit_test(test_kernel_module_btf),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
