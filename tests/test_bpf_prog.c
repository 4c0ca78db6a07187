// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Program wrappers of <bpf/bpf.h> against the real kernel: loading
 * hand-written instructions, the verifier log, test runs, fd_array,
 * cgroup attach/detach/query, links, raw tracepoints, task_fd_query. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "base/base_internal.h"
#include "sys/probe_internal.h"
#include "evbpf_test.h"

static const struct bpf_insn ret1[] = {
	P_MOV64_IMM(BPF_REG_0, 1),
	P_EXIT(),
};

static int load(enum bpf_prog_type type, const struct bpf_insn *insns,
		size_t cnt, struct bpf_prog_load_opts *opts)
{
	int fd = bpf_prog_load(type, "evbpf_test", "GPL", insns, cnt, opts);

	if (fd < 0)
		print_message("load failed: %d\n", fd);
	assert_true(fd > 2);
	return fd;
}

static void test_socket_filter_run(void **state)
{
	unsigned char pkt[64] = { 0 };
	int fd;
	LIBBPF_OPTS(bpf_test_run_opts, run,
		.data_in = pkt,
		.data_size_in = sizeof(pkt),
		.repeat = 100,
	);

	fd = load(BPF_PROG_TYPE_SOCKET_FILTER, ret1, ARRAY_SIZE(ret1), NULL);
	assert_int_equal(bpf_prog_test_run_opts(fd, &run), 0);
	assert_int_equal(run.retval, 1);

	/* no opts, or opts with unknown non-zero bytes, are refused */
	assert_int_equal(bpf_prog_test_run_opts(fd, NULL), -EINVAL);
	{
		struct {
			struct bpf_test_run_opts o;
			__u32 extra;
		} big = { .o.sz = sizeof(big), .o.data_in = pkt,
			  .o.data_size_in = sizeof(pkt), .extra = 3 };

		errno = 0;
		assert_int_equal(bpf_prog_test_run_opts(fd, &big.o), -EINVAL);
		assert_int_equal(errno, EINVAL);
	}
	close(fd);
}

static void test_xdp_data_out(void **state)
{
	/* writes 0xab into the first packet byte when the packet has one */
	static const struct bpf_insn insns[] = {
		P_LDX_W(BPF_REG_2, BPF_REG_1, 0),	/* data */
		P_LDX_W(BPF_REG_3, BPF_REG_1, 4),	/* data_end */
		P_MOV64_REG(BPF_REG_4, BPF_REG_2),
		P_ADD64_IMM(BPF_REG_4, 1),
		P_INSN(BPF_JMP | BPF_JGT | BPF_X, BPF_REG_4, BPF_REG_3, 1, 0),
		P_INSN(BPF_ST | BPF_MEM | BPF_B, BPF_REG_2, 0, 0, 0xab),
		P_MOV64_IMM(BPF_REG_0, XDP_PASS),
		P_EXIT(),
	};
	unsigned char in[64], out[128];
	int fd, i;
	LIBBPF_OPTS(bpf_test_run_opts, run,
		.data_in = in,
		.data_size_in = sizeof(in),
		.data_out = out,
		.data_size_out = sizeof(out),
		.repeat = 1,
	);

	for (i = 0; i < (int)sizeof(in); i++)
		in[i] = (unsigned char)i;
	memset(out, 0, sizeof(out));
	fd = load(BPF_PROG_TYPE_XDP, insns, ARRAY_SIZE(insns), NULL);
	assert_int_equal(bpf_prog_test_run_opts(fd, &run), 0);
	assert_int_equal(run.retval, XDP_PASS);
	assert_int_equal(run.data_size_out, sizeof(in));
	assert_int_equal(out[0], 0xab);
	assert_memory_equal(out + 1, in + 1, sizeof(in) - 1);
	close(fd);
}

static void test_verifier_log(void **state)
{
	/* exits without setting r0: the verifier refuses it */
	static const struct bpf_insn bad[] = { P_EXIT() };
	char log[4096];
	int fd;
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		.log_buf = log,
		.log_size = sizeof(log),
		.log_level = 1,
	);

	errno = 0;
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bad", "GPL", bad, 1, &opts);
	assert_int_equal(fd, -EACCES);
	assert_int_equal(errno, EACCES);
	assert_non_null(strstr(log, "R0 !read_ok"));
	assert_int_equal(opts.log_true_size, strlen(log) + 1);

	/* level 0 with a buffer: the failure is explained anyway */
	LIBBPF_OPTS_RESET(opts, .log_buf = log, .log_size = sizeof(log));
	memset(log, 'x', sizeof(log));
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bad", "GPL", bad, 1, &opts);
	assert_int_equal(fd, -EACCES);
	assert_non_null(strstr(log, "R0 !read_ok"));
	assert_int_equal(opts.log_true_size, strlen(log) + 1);

	/* a too-small buffer: truncated log, true size reports what it needed */
	LIBBPF_OPTS_RESET(opts, .log_buf = log, .log_size = 16, .log_level = 1);
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bad", "GPL", bad, 1, &opts);
	assert_true(fd < 0);
	assert_int_equal(strlen(log), 15);
	assert_true(opts.log_true_size > 16);

	/* a good program at level 2 still fills the log */
	LIBBPF_OPTS_RESET(opts, .log_buf = log, .log_size = sizeof(log), .log_level = 2);
	fd = load(BPF_PROG_TYPE_SOCKET_FILTER, ret1, ARRAY_SIZE(ret1), &opts);
	assert_true(strlen(log) > 0);
	assert_int_equal(opts.log_true_size, strlen(log) + 1);
	close(fd);

	/* inconsistent log options are refused before the kernel is asked */
	LIBBPF_OPTS_RESET(opts, .log_buf = log);
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", ret1, 2, &opts),
			 -EINVAL);
	LIBBPF_OPTS_RESET(opts, .log_level = 1);
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", ret1, 2, &opts),
			 -EINVAL);
	LIBBPF_OPTS_RESET(opts, .attempts = -1);
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", ret1, 2, &opts),
			 -EINVAL);
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", NULL, 0, NULL),
			 -EINVAL);
}

static void test_load_opts_garbage(void **state)
{
	struct {
		struct bpf_prog_load_opts o;
		char extra[8];
	} big;
	int fd;

	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	fd = load(BPF_PROG_TYPE_SOCKET_FILTER, ret1, ARRAY_SIZE(ret1), &big.o);
	close(fd);
	big.extra[7] = 1;
	errno = 0;
	assert_int_equal(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL",
				       ret1, 2, &big.o), -EINVAL);
	assert_int_equal(errno, EINVAL);
}

/* r0 = *lookup(map, key 0) or 0; the map comes from @ld (ld_imm64 pair) */
static void map_reader(struct bpf_insn *insns, __u8 pseudo, int imm)
{
	const struct bpf_insn prog[] = {
		P_ST_W(BPF_REG_10, -4, 0),			/* key = 0 */
		P_LD_IMM64_SRC(BPF_REG_1, pseudo, imm),
		P_MOV64_REG(BPF_REG_2, BPF_REG_10),
		P_ADD64_IMM(BPF_REG_2, -4),
		P_CALL_HELPER(BPF_FUNC_map_lookup_elem),
		P_INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 2, 0),
		P_LDX_W(BPF_REG_0, BPF_REG_0, 0),
		P_EXIT(),
		P_MOV64_IMM(BPF_REG_0, 0),
		P_EXIT(),
	};

	memcpy(insns, prog, sizeof(prog));
}

#define MAP_READER_LEN 11

static void test_map_access_and_fd_array(void **state)
{
	struct bpf_insn insns[MAP_READER_LEN];
	unsigned char pkt[64] = { 0 };
	__u32 key = 0, value = 42;
	int map_fd, fd, fd_array[1];
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt, .data_size_in = sizeof(pkt));
	LIBBPF_OPTS(bpf_prog_load_opts, opts);

	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "val", 4, 4, 1, NULL);
	assert_true(map_fd > 2);
	assert_int_equal(bpf_map_update_elem(map_fd, &key, &value, BPF_ANY), 0);

	/* the map by fd */
	map_reader(insns, BPF_PSEUDO_MAP_FD, map_fd);
	fd = load(BPF_PROG_TYPE_SOCKET_FILTER, insns, MAP_READER_LEN, NULL);
	assert_int_equal(bpf_prog_test_run_opts(fd, &run), 0);
	assert_int_equal(run.retval, 42);
	close(fd);

	/* the map by index into fd_array */
	map_reader(insns, BPF_PSEUDO_MAP_IDX, 0);
	fd_array[0] = map_fd;
	opts.fd_array = fd_array;
	fd = load(BPF_PROG_TYPE_SOCKET_FILTER, insns, MAP_READER_LEN, &opts);
	value = 43;
	assert_int_equal(bpf_map_update_elem(map_fd, &key, &value, BPF_ANY), 0);
	assert_int_equal(bpf_prog_test_run_opts(fd, &run), 0);
	assert_int_equal(run.retval, 43);
	close(fd);
	close(map_fd);
}

static void test_btf_func_info(void **state)
{
	static const char strs[] = "\0int\0main_fn";
	static const __u32 types[] = {
		P_BTF_INT(1),						/* [1] int */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 0), 1),	/* [2] int (void) */
		P_BTF_TYPE(5, P_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL), 2), /* [3] */
	};
	const struct bpf_func_info finfo[] = { { .insn_off = 0, .type_id = 3 } };
	struct bpf_func_info got[2];
	struct bpf_prog_info info;
	__u32 len;
	int btf_fd, fd;
	LIBBPF_OPTS(bpf_prog_load_opts, opts);

	btf_fd = evbpf__probe_load_btf(types, sizeof(types), strs, sizeof(strs));
	assert_true(btf_fd > 2);
	opts.prog_btf_fd = btf_fd;
	opts.func_info = finfo;
	opts.func_info_cnt = 1;
	opts.func_info_rec_size = sizeof(finfo[0]);
	fd = load(BPF_PROG_TYPE_SOCKET_FILTER, ret1, ARRAY_SIZE(ret1), &opts);

	memset(&info, 0, sizeof(info));
	memset(got, 0, sizeof(got));
	info.nr_func_info = ARRAY_SIZE(got);
	info.func_info_rec_size = sizeof(got[0]);
	info.func_info = evbpf__ptr_to_u64(got);
	len = sizeof(info);
	assert_int_equal(bpf_prog_get_info_by_fd(fd, &info, &len), 0);
	assert_int_equal(info.nr_func_info, 1);
	assert_int_equal(got[0].insn_off, 0);
	assert_true(info.btf_id != 0);
	close(fd);

	/* a func_info naming a type that is no function is refused */
	{
		const struct bpf_func_info bad[] = { { .insn_off = 0, .type_id = 1 } };

		opts.func_info = bad;
		assert_true(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL",
					  ret1, 2, &opts) < 0);
	}
	close(btf_fd);
}

/* ---- cgroup attach / query / links ---- */

static char cg_mount[PATH_MAX];
static bool cg_mounted_here;

/* Finds (or mounts) cgroup v2 and makes a fresh empty child in @path. */
static int make_cgroup(char *path, size_t size)
{
	struct mntent *m;
	FILE *f = setmntent("/proc/self/mounts", "re");

	cg_mount[0] = '\0';
	while (f && (m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(cg_mount, sizeof(cg_mount), "%s", m->mnt_dir);
			break;
		}
	}
	if (f)
		endmntent(f);
	if (!cg_mount[0]) {
		snprintf(cg_mount, sizeof(cg_mount), "/tmp/evbpf_cg2.%d", getpid());
		if (mkdir(cg_mount, 0700) || mount("none", cg_mount, "cgroup2", 0, NULL))
			return -errno;
		cg_mounted_here = true;
	}
	snprintf(path, size, "%s/evbpf_test_prog_%d", cg_mount, getpid());
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void drop_cgroup(const char *path)
{
	rmdir(path);
	if (cg_mounted_here) {
		umount(cg_mount);
		rmdir(cg_mount);
		cg_mounted_here = false;
	}
}

static void test_cgroup_attach_query(void **state)
{
	char path[PATH_MAX];
	__u32 ids[4], cnt, attach_flags;
	int cg, p1, p2;
	LIBBPF_OPTS(bpf_prog_query_opts, q);
	LIBBPF_OPTS(bpf_prog_attach_opts, a);
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = BPF_CGROUP_INET_INGRESS);

	cg = make_cgroup(path, sizeof(path));
	if (cg < 0)
		EVBPF_SKIP("cgroup v2 unavailable");
	p1 = load(BPF_PROG_TYPE_CGROUP_SKB, ret1, ARRAY_SIZE(ret1), &lo);
	p2 = load(BPF_PROG_TYPE_CGROUP_SKB, ret1, ARRAY_SIZE(ret1), &lo);

	assert_int_equal(bpf_prog_attach(p1, cg, BPF_CGROUP_INET_INGRESS,
					 BPF_F_ALLOW_MULTI), 0);
	cnt = ARRAY_SIZE(ids);
	assert_int_equal(bpf_prog_query(cg, BPF_CGROUP_INET_INGRESS, 0,
					&attach_flags, ids, &cnt), 0);
	assert_int_equal(cnt, 1);
	assert_int_equal(ids[0], evbpf_test_prog_id(p1));
	assert_int_equal(attach_flags, BPF_F_ALLOW_MULTI);

	/* replace p1 by p2 in place */
	a.flags = BPF_F_ALLOW_MULTI | BPF_F_REPLACE;
	a.replace_prog_fd = p1;
	assert_int_equal(bpf_prog_attach_opts(p2, cg, BPF_CGROUP_INET_INGRESS, &a), 0);
	q.prog_ids = ids;
	q.prog_cnt = ARRAY_SIZE(ids);
	assert_int_equal(bpf_prog_query_opts(cg, BPF_CGROUP_INET_INGRESS, &q), 0);
	assert_int_equal(q.prog_cnt, 1);
	assert_int_equal(ids[0], evbpf_test_prog_id(p2));

	/* relative_fd and relative_id together are refused */
	LIBBPF_OPTS_RESET(a, .relative_fd = p1, .relative_id = 1);
	assert_int_equal(bpf_prog_attach_opts(p1, cg, BPF_CGROUP_INET_INGRESS, &a),
			 -EINVAL);

	assert_int_equal(bpf_prog_detach2(p2, cg, BPF_CGROUP_INET_INGRESS), 0);
	assert_int_equal(bpf_prog_detach2(p2, cg, BPF_CGROUP_INET_INGRESS), -ENOENT);
	cnt = ARRAY_SIZE(ids);
	assert_int_equal(bpf_prog_query(cg, BPF_CGROUP_INET_INGRESS, 0, NULL, ids, &cnt), 0);
	assert_int_equal(cnt, 0);

	/* single-program mode: detach without naming the program */
	assert_int_equal(bpf_prog_attach(p1, cg, BPF_CGROUP_INET_INGRESS, 0), 0);
	assert_int_equal(bpf_prog_detach(cg, BPF_CGROUP_INET_INGRESS), 0);

	close(p1);
	close(p2);
	close(cg);
	drop_cgroup(path);
}

static void test_cgroup_link(void **state)
{
	struct bpf_link_info info;
	char path[PATH_MAX];
	__u32 ids[4], cnt, len;
	int cg, p1, p2, link;
	LIBBPF_OPTS(bpf_link_update_opts, up);
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = BPF_CGROUP_INET_EGRESS);

	cg = make_cgroup(path, sizeof(path));
	if (cg < 0)
		EVBPF_SKIP("cgroup v2 unavailable");
	p1 = load(BPF_PROG_TYPE_CGROUP_SKB, ret1, ARRAY_SIZE(ret1), &lo);
	p2 = load(BPF_PROG_TYPE_CGROUP_SKB, ret1, ARRAY_SIZE(ret1), &lo);

	link = bpf_link_create(p1, cg, BPF_CGROUP_INET_EGRESS, NULL);
	assert_true(link > 2);
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	assert_int_equal(bpf_link_get_info_by_fd(link, &info, &len), 0);
	assert_int_equal(info.type, BPF_LINK_TYPE_CGROUP);
	assert_int_equal(info.prog_id, evbpf_test_prog_id(p1));
	assert_int_equal(info.cgroup.attach_type, BPF_CGROUP_INET_EGRESS);

	/* swap the program; with BPF_F_REPLACE only if p1 is current */
	up.flags = BPF_F_REPLACE;
	up.old_prog_fd = p2;
	assert_int_equal(bpf_link_update(link, p2, &up), -EPERM);
	up.old_prog_fd = p1;
	assert_int_equal(bpf_link_update(link, p2, &up), 0);
	cnt = ARRAY_SIZE(ids);
	assert_int_equal(bpf_prog_query(cg, BPF_CGROUP_INET_EGRESS, 0, NULL, ids, &cnt), 0);
	assert_int_equal(cnt, 1);
	assert_int_equal(ids[0], evbpf_test_prog_id(p2));
	LIBBPF_OPTS_RESET(up, .old_prog_fd = p1, .old_map_fd = p2);
	assert_int_equal(bpf_link_update(link, p1, &up), -EINVAL);

	/* detached but still open */
	assert_int_equal(bpf_link_detach(link), 0);
	cnt = ARRAY_SIZE(ids);
	assert_int_equal(bpf_prog_query(cg, BPF_CGROUP_INET_EGRESS, 0, NULL, ids, &cnt), 0);
	assert_int_equal(cnt, 0);
	close(link);

	/* union fields a cgroup link cannot use are refused */
	{
		LIBBPF_OPTS(bpf_link_create_opts, lc, .perf_event.bpf_cookie = 1);

		assert_int_equal(bpf_link_create(p1, cg, BPF_TRACE_ITER, &lc), -EINVAL);
	}
	{
		struct {
			struct bpf_link_create_opts o;
			__u64 extra;
		} big = { .o.sz = sizeof(big), .extra = 1 };

		assert_int_equal(bpf_link_create(p1, cg, BPF_CGROUP_INET_EGRESS, &big.o),
				 -EINVAL);
	}
	close(p1);
	close(p2);
	close(cg);
	drop_cgroup(path);
}

/* ---- raw tracepoints, task_fd_query, iterators ---- */

static void test_raw_tracepoint(void **state)
{
	static const struct bpf_insn ret0[] = { P_MOV64_IMM(BPF_REG_0, 0), P_EXIT() };
	struct bpf_link_info info;
	char buf[64];
	__u32 len, pid_prog, fd_type;
	__u64 off, addr;
	int prog, link, link2;
	LIBBPF_OPTS(bpf_raw_tp_opts, o, .tp_name = "sched_process_exec", .cookie = 0x1234);

	prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, ret0, ARRAY_SIZE(ret0), NULL);
	link = bpf_raw_tracepoint_open("sched_process_exec", prog);
	assert_true(link > 2);

	len = sizeof(buf);
	assert_int_equal(bpf_task_fd_query(getpid(), link, 0, buf, &len, &pid_prog,
					   &fd_type, &off, &addr), 0);
	assert_int_equal(fd_type, BPF_FD_TYPE_RAW_TRACEPOINT);
	assert_string_equal(buf, "sched_process_exec");
	assert_int_equal(pid_prog, evbpf_test_prog_id(prog));
	/* too small a buffer: -ENOSPC and the needed length */
	len = 4;
	assert_int_equal(bpf_task_fd_query(getpid(), link, 0, buf, &len, &pid_prog,
					   &fd_type, &off, &addr), -ENOSPC);
	assert_int_equal(len, strlen("sched_process_exec"));

	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	assert_int_equal(bpf_link_get_info_by_fd(link, &info, &len), 0);
	assert_int_equal(info.type, BPF_LINK_TYPE_RAW_TRACEPOINT);

	/* not an iterator link */
	assert_int_equal(bpf_iter_create(link), -EINVAL);

	link2 = bpf_raw_tracepoint_open_opts(prog, &o);
	assert_true(link2 > 2);
	close(link2);

	assert_true(bpf_raw_tracepoint_open("no_such_tracepoint_evbpf", prog) < 0);
	close(link);
	close(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_filter_run),
		cmocka_unit_test(test_xdp_data_out),
		cmocka_unit_test(test_verifier_log),
		cmocka_unit_test(test_load_opts_garbage),
		cmocka_unit_test(test_map_access_and_fd_array),
		cmocka_unit_test(test_btf_func_info),
		cmocka_unit_test(test_cgroup_attach_query),
		cmocka_unit_test(test_cgroup_link),
		cmocka_unit_test(test_raw_tracepoint),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup,
				      evbpf_test_fd_teardown);
}
