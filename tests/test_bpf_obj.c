// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Object-level wrappers of <bpf/bpf.h> against the real kernel: bpffs
 * pin/get, id walks, fd-by-id, object info, BTF load, prog_bind_map,
 * enable_stats and token creation. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "base/base_internal.h"
#include "sys/probe_internal.h"
#include "evbpf_test.h"

#define BPFFS_MAGIC 0xcafe4a11

static const struct bpf_insn ret1[] = {
	P_MOV64_IMM(BPF_REG_0, 1),
	P_EXIT(),
};

static int load_filter(const char *name)
{
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, name, "GPL", ret1,
			       ARRAY_SIZE(ret1), NULL);

	assert_true(fd > 2);
	return fd;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_map_get_info_by_fd(fd, &info, &len), 0);
	return info.id;
}

/* ---- bpffs ---- */

static char pin_dir[PATH_MAX];

static void make_pin_dir(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) || (unsigned long)st.f_type != BPFFS_MAGIC)
		EVBPF_SKIP("bpffs not mounted at /sys/fs/bpf");
	snprintf(pin_dir, sizeof(pin_dir), "/sys/fs/bpf/evbpf_test_obj_%d", getpid());
	assert_int_equal(mkdir(pin_dir, 0700), 0);
}

static void test_pin_get(void **state)
{
	char path[PATH_MAX + 16];
	__u32 key = 0, value = 5;
	int map, got, ro, dirfd, prog, gprog;
	LIBBPF_OPTS(bpf_obj_get_opts, go, .file_flags = BPF_F_RDONLY);
	LIBBPF_OPTS(bpf_obj_pin_opts, po);

	make_pin_dir();
	map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "pinned", 4, 4, 1, NULL);
	assert_true(map > 2);
	snprintf(path, sizeof(path), "%s/map", pin_dir);
	assert_int_equal(bpf_obj_pin(map, path), 0);
	assert_int_equal(bpf_obj_pin(map, path), -EEXIST);

	got = bpf_obj_get(path);
	assert_true(got > 2);
	assert_int_equal(map_id(got), map_id(map));
	assert_int_equal(bpf_map_update_elem(got, &key, &value, BPF_ANY), 0);
	value = 0;
	assert_int_equal(bpf_map_lookup_elem(map, &key, &value), 0);
	assert_int_equal(value, 5);

	/* read-only fd: lookups work, updates do not */
	ro = bpf_obj_get_opts(path, &go);
	assert_true(ro > 2);
	assert_int_equal(bpf_map_lookup_elem(ro, &key, &value), 0);
	assert_int_equal(bpf_map_update_elem(ro, &key, &value, BPF_ANY), -EPERM);

	/* relative to a directory fd */
	dirfd = open(pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	prog = load_filter("pinned_prog");
	po.file_flags = BPF_F_PATH_FD;
	po.path_fd = dirfd;
	assert_int_equal(bpf_obj_pin_opts(prog, "prog", &po), 0);
	LIBBPF_OPTS_RESET(go, .file_flags = BPF_F_PATH_FD, .path_fd = dirfd);
	gprog = bpf_obj_get_opts("prog", &go);
	assert_true(gprog > 2);
	assert_int_equal(evbpf_test_prog_id(gprog), evbpf_test_prog_id(prog));

	errno = 0;
	assert_int_equal(bpf_obj_get("/sys/fs/bpf/evbpf_no_such_pin"), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(bpf_obj_get(NULL), -EINVAL);
	{
		struct {
			struct bpf_obj_get_opts o;
			__u32 extra;
		} big = { .o.sz = sizeof(big), .extra = 9 };

		assert_int_equal(bpf_obj_get_opts(path, &big.o), -EINVAL);
	}

	snprintf(path, sizeof(path), "%s/prog", pin_dir);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/map", pin_dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(pin_dir), 0);
	close(dirfd);
	close(gprog);
	close(prog);
	close(ro);
	close(got);
	close(map);
}

/* ---- ids and info ---- */

static bool id_listed(int (*next)(__u32, __u32 *), __u32 want)
{
	__u32 id = 0;

	while (next(id, &id) == 0)
		if (id == want)
			return true;
	return false;
}

static void test_ids_and_info(void **state)
{
	LIBBPF_OPTS(bpf_get_fd_by_id_opts, ro, .open_flags = BPF_F_RDONLY);
	struct bpf_map_info minfo;
	struct bpf_prog_info pinfo;
	__u32 len, mid, pid, key = 0, value = 1, next;
	int map, prog, fd;

	map = bpf_map_create(BPF_MAP_TYPE_HASH, "evbpf_ids", 4, 8, 3,
			     &(struct bpf_map_create_opts){ .sz = sizeof(struct bpf_map_create_opts),
							    .map_flags = BPF_F_NO_PREALLOC });
	assert_true(map > 2);
	prog = load_filter("evbpf_ids_prog");

	memset(&minfo, 0, sizeof(minfo));
	len = sizeof(minfo);
	assert_int_equal(bpf_obj_get_info_by_fd(map, &minfo, &len), 0);
	assert_int_equal(minfo.type, BPF_MAP_TYPE_HASH);
	assert_int_equal(minfo.key_size, 4);
	assert_int_equal(minfo.value_size, 8);
	assert_int_equal(minfo.max_entries, 3);
	assert_int_equal(minfo.map_flags, BPF_F_NO_PREALLOC);
	assert_string_equal(minfo.name, "evbpf_ids");
	mid = minfo.id;

	/* a shorter buffer gets a prefix and its length back */
	memset(&minfo, 0, sizeof(minfo));
	len = offsetofend(struct bpf_map_info, id);
	assert_int_equal(bpf_map_get_info_by_fd(map, &minfo, &len), 0);
	assert_int_equal(len, offsetofend(struct bpf_map_info, id));
	assert_int_equal(minfo.id, mid);
	assert_int_equal(minfo.key_size, 0);
	assert_int_equal(bpf_map_get_info_by_fd(map, &minfo, NULL), -EINVAL);

	memset(&pinfo, 0, sizeof(pinfo));
	len = sizeof(pinfo);
	assert_int_equal(bpf_prog_get_info_by_fd(prog, &pinfo, &len), 0);
	assert_int_equal(pinfo.type, BPF_PROG_TYPE_SOCKET_FILTER);
	assert_string_equal(pinfo.name, "evbpf_ids_prog");
	assert_int_equal(pinfo.xlated_prog_len, sizeof(ret1));
	pid = pinfo.id;

	assert_true(id_listed(bpf_map_get_next_id, mid));
	assert_true(id_listed(bpf_prog_get_next_id, pid));
	errno = 0;
	assert_int_equal(bpf_map_get_next_id(0x7ffffff0, &next), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(bpf_prog_get_next_id(0, NULL), -EINVAL);

	fd = bpf_map_get_fd_by_id(mid);
	assert_true(fd > 2);
	assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_ANY), 0);
	close(fd);
	fd = bpf_map_get_fd_by_id_opts(mid, &ro);
	assert_true(fd > 2);
	assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_ANY), -EPERM);
	close(fd);
	fd = bpf_prog_get_fd_by_id(pid);
	assert_true(fd > 2);
	assert_int_equal(evbpf_test_prog_id(fd), pid);
	close(fd);
	fd = bpf_prog_get_fd_by_id_opts(pid, NULL);
	assert_true(fd > 2);
	close(fd);

	errno = 0;
	assert_int_equal(bpf_map_get_fd_by_id(0x7ffffff0), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(bpf_prog_get_fd_by_id(0x7ffffff0), -ENOENT);
	assert_int_equal(bpf_btf_get_fd_by_id(0x7ffffff0), -ENOENT);
	assert_int_equal(bpf_link_get_fd_by_id(0x7ffffff0), -ENOENT);
	{
		struct {
			struct bpf_get_fd_by_id_opts o;
			__u64 extra;
		} big = { .o.sz = sizeof(big), .extra = 1 };

		assert_int_equal(bpf_map_get_fd_by_id_opts(mid, &big.o), -EINVAL);
	}
	close(prog);
	close(map);
}

/* ---- BTF ---- */

static void test_btf_load_info(void **state)
{
	static const char strs[] = "\0int";
	static const __u32 types[] = { P_BTF_INT(1) };
	static const __u32 bad_types[] = { P_BTF_TYPE(0, P_BTF_INFO(31, 0, 0), 0) };
	struct {
		struct btf_header h;
		__u32 t[ARRAY_SIZE(types) ];
		char s[sizeof(strs)];
	} raw;
	const size_t raw_len = sizeof(raw.h) + sizeof(raw.t) + sizeof(raw.s);
	struct bpf_btf_info info;
	char data[sizeof(raw)], log[1024];
	__u32 len, id;
	int fd, fd2;
	LIBBPF_OPTS(bpf_btf_load_opts, opts, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 1);

	memset(&raw, 0, sizeof(raw));
	raw.h.magic = BTF_MAGIC;
	raw.h.version = BTF_VERSION;
	raw.h.hdr_len = sizeof(raw.h);
	raw.h.type_len = sizeof(raw.t);
	raw.h.str_off = sizeof(raw.t);
	raw.h.str_len = sizeof(raw.s);
	memcpy(raw.t, types, sizeof(types));
	memcpy(raw.s, strs, sizeof(strs));

	fd = bpf_btf_load(&raw, raw_len, &opts);
	assert_true(fd > 2);
	assert_int_equal(opts.log_true_size, strlen(log) + 1);

	memset(&info, 0, sizeof(info));
	info.btf = evbpf__ptr_to_u64(data);
	info.btf_size = sizeof(data);
	len = sizeof(info);
	assert_int_equal(bpf_btf_get_info_by_fd(fd, &info, &len), 0);
	assert_int_equal(info.btf_size, raw_len);
	assert_memory_equal(data, &raw, raw_len);
	id = info.id;
	assert_true(id_listed(bpf_btf_get_next_id, id));
	fd2 = bpf_btf_get_fd_by_id(id);
	assert_true(fd2 > 2);
	close(fd2);
	fd2 = bpf_btf_get_fd_by_id_opts(id, NULL);
	assert_true(fd2 > 2);
	close(fd2);
	close(fd);

	/* an unknown kind: refused, and the log (retried at level 1) says so */
	memcpy(raw.t, bad_types, sizeof(bad_types));
	LIBBPF_OPTS_RESET(opts, .log_buf = log, .log_size = sizeof(log));
	fd = bpf_btf_load(&raw, raw_len, &opts);
	assert_true(fd < 0);
	assert_true(strlen(log) > 0);
	assert_int_equal(opts.log_true_size, strlen(log) + 1);

	LIBBPF_OPTS_RESET(opts, .log_level = 1);
	assert_int_equal(bpf_btf_load(&raw, raw_len, &opts), -EINVAL);
	assert_int_equal(bpf_btf_load(NULL, 0, NULL), -EINVAL);
}

/* ---- bind_map, stats ---- */

static void test_prog_bind_map(void **state)
{
	struct bpf_prog_info info;
	__u32 ids[4], len, mid;
	int prog, map, fd;
	LIBBPF_OPTS(bpf_prog_bind_opts, bo);

	prog = load_filter("evbpf_bind");
	map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "evbpf_bound", 4, 4, 1, NULL);
	assert_true(map > 2);
	mid = map_id(map);
	assert_int_equal(bpf_prog_bind_map(prog, map, &bo), 0);
	/* binding again is a no-op */
	assert_int_equal(bpf_prog_bind_map(prog, map, NULL), 0);

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = ARRAY_SIZE(ids);
	info.map_ids = evbpf__ptr_to_u64(ids);
	len = sizeof(info);
	assert_int_equal(bpf_prog_get_info_by_fd(prog, &info, &len), 0);
	assert_int_equal(info.nr_map_ids, 1);
	assert_int_equal(ids[0], mid);

	/* the program keeps the map alive after its last fd is closed */
	close(map);
	fd = bpf_map_get_fd_by_id(mid);
	assert_true(fd > 2);
	close(fd);

	bo.flags = 1;
	assert_int_equal(bpf_prog_bind_map(prog, -1, &bo), -EINVAL);
	close(prog);
}

static void test_enable_stats(void **state)
{
	unsigned char pkt[64] = { 0 };
	struct bpf_prog_info info;
	__u32 len;
	int prog, stats;
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = 10);

	prog = load_filter("evbpf_stats");
	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	assert_true(stats > 2);
	assert_true(fcntl(stats, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(bpf_prog_test_run_opts(prog, &run), 0);
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	assert_int_equal(bpf_prog_get_info_by_fd(prog, &info, &len), 0);
	assert_true(info.run_cnt >= 10);
	close(stats);
	assert_true(bpf_enable_stats((enum bpf_stats_type)99) < 0);
	close(prog);
}

static void test_token_create(void **state)
{
	int bpffs, fd;
	LIBBPF_OPTS(bpf_token_create_opts, to);

	bpffs = open("/sys/fs/bpf", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (bpffs < 0)
		EVBPF_SKIP("no /sys/fs/bpf");
	/* The host's bpffs delegates nothing, so the kernel refuses; what
	 * matters is that it understood the command (no -EINVAL). */
	fd = bpf_token_create(bpffs, &to);
	if (fd >= 0)
		close(fd);
	else
		assert_int_not_equal(fd, -EINVAL);
	to.flags = 1u << 31;
	assert_int_equal(bpf_token_create(bpffs, &to), -EINVAL);
	close(bpffs);
}

static void test_prog_stream_read(void **state)
{
	char buf[256];
	int prog;
	LIBBPF_OPTS(bpf_prog_stream_read_opts, so);

	prog = load_filter("evbpf_stream");
	/* a well-behaved program has written nothing */
	assert_int_equal(bpf_prog_stream_read(prog, BPF_STREAM_STDERR, buf, sizeof(buf), &so), 0);
	assert_int_equal(bpf_prog_stream_read(prog, BPF_STREAM_STDOUT, buf, sizeof(buf), NULL), 0);
	assert_int_equal(bpf_prog_stream_read(prog, 77, buf, sizeof(buf), NULL), -ENOENT);
	close(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_get),
		cmocka_unit_test(test_ids_and_info),
		cmocka_unit_test(test_btf_load_info),
		cmocka_unit_test(test_prog_bind_map),
		cmocka_unit_test(test_enable_stats),
		cmocka_unit_test(test_token_create),
		cmocka_unit_test(test_prog_stream_read),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup,
				      evbpf_test_fd_teardown);
}
