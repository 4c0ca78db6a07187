// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Object, program and map calls of the newest libbpf API against the
 * running kernel: loading through a BPF token (bpf_token_path,
 * bpf_object__token_fd), maps exclusive to one program, cloning a prepared
 * program, and multi-function tracing attachment.
 *
 * The token test runs first: it forks a child that enters a user namespace
 * before this process has probed any kernel feature, so the child inherits
 * no cached answer and every probe it needs goes through its token.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mount.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "base/sha256_internal.h"
#include "object/loader_internal.h"
#include "evbpf_test.h"

/* ---- shared helpers ---- */

struct objapi_bss {
	__u64 runs;
};

static int run_socket_prog(int prog_fd, __u32 *retval)
{
	unsigned char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = 1);
	int err;

	err = bpf_prog_test_run_opts(prog_fd, &topts);
	if (retval)
		*retval = topts.retval;
	return err;
}

static __u64 shared_slot(struct bpf_object *obj, __u32 idx)
{
	__u64 v = 0;

	assert_int_equal(bpf_map_lookup_elem(evbpf_test_map_fd(obj, "shared"), &idx, &v), 0);
	return v;
}

/* ---- BPF token ---- */

/* What the child in the user namespace saw, written to the parent. */
struct token_report {
	char skip[96];		/* a missing capability, or "" */
	char failure[256];	/* the first failed check, or "" */
	int token_fd;
	int btf_fd;
	__u64 runs;
	char map_name[BPF_OBJ_NAME_LEN];
	int refused_err;	/* load without delegation */
	char refused_log[512];
	int fds_before, fds_after;
};

static int send_fd(int sock, int fd)
{
	char c = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;

	memset(ctl, 0, sizeof(ctl));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* An fd received on @sock; -1 when the peer sent none (it reports why). */
static int recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	return fd;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		ret = -errno;
	close(fd);
	return ret;
}

#define CHILD_FAIL(rep, ...)						\
	do {								\
		snprintf((rep)->failure, sizeof((rep)->failure), __VA_ARGS__); \
		return;							\
	} while (0)

/* The child: user namespace, two bpffs instances from the parent mounted
 * at @deleg (with delegation) and @plain (without), the object loaded
 * through a token from each. */
static void token_child(int sock, const char *deleg, const char *plain,
			struct token_report *rep)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_map_info info;
	__u32 len = sizeof(info), retval = 0, zero = 0;
	struct bpf_object *obj;
	struct objapi_bss bss;
	int fs, mnt, err;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS)) {
		snprintf(rep->skip, sizeof(rep->skip), "user namespaces (unshare: %s)",
			 strerror(errno));
		return;
	}
	if (write_file("/proc/self/uid_map", "0 0 1") ||
	    write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/gid_map", "0 0 1"))
		CHILD_FAIL(rep, "uid/gid map of the user namespace: %s", strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		CHILD_FAIL(rep, "making mounts private: %s", strerror(errno));
	/* bpffs instances owned by this user namespace: created here, their
	 * delegation set by the privileged parent */
	for (int i = 0; i < 2; i++) {
		fs = (int)syscall(SYS_fsopen, "bpf", FSOPEN_CLOEXEC);
		if (fs < 0) {
			snprintf(rep->skip, sizeof(rep->skip),
				 "bpffs in a user namespace (fsopen: %s)", strerror(errno));
			return;
		}
		if (send_fd(sock, fs))
			CHILD_FAIL(rep, "sending the bpffs context: %s", strerror(errno));
		close(fs);
		mnt = recv_fd(sock);
		if (mnt < 0)
			CHILD_FAIL(rep, "parent made no bpffs mount");
		if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, i ? plain : deleg,
			    MOVE_MOUNT_F_EMPTY_PATH))
			CHILD_FAIL(rep, "mounting bpffs at %s: %s", i ? plain : deleg,
				   strerror(errno));
		close(mnt);
	}

	evbpf_test_capture_log();
	rep->fds_before = evbpf_test_fd_count();
	opts.bpf_token_path = deleg;
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_objapi"), &opts);
	if (!obj)
		CHILD_FAIL(rep, "open: %s", strerror(errno));
	err = bpf_object__load(obj);
	if (err) {
		snprintf(rep->failure, sizeof(rep->failure), "load through the token: %d: %s",
			 err, evbpf_test_log());
		bpf_object__close(obj);
		return;
	}
	rep->token_fd = bpf_object__token_fd(obj);
	rep->btf_fd = bpf_object__btf_fd(obj);
	memset(&info, 0, sizeof(info));
	if (bpf_map_get_info_by_fd(bpf_map__fd(bpf_object__find_map_by_name(obj, "shared")),
				   &info, &len))
		CHILD_FAIL(rep, "map info: %s", strerror(errno));
	memcpy(rep->map_name, info.name, sizeof(rep->map_name));
	if (run_socket_prog(bpf_program__fd(bpf_object__find_program_by_name(obj, "owner")),
			    &retval))
		CHILD_FAIL(rep, "test run: %s", strerror(errno));
	if (bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, ".bss")),
				&zero, &bss))
		CHILD_FAIL(rep, ".bss lookup: %s", strerror(errno));
	rep->runs = bss.runs;
	bpf_object__close(obj);
	rep->fds_after = evbpf_test_fd_count();

	/* a bpffs without delegate_* options yields no token: the kernel says
	 * so and the load stops there */
	evbpf_test_log_reset();
	opts.bpf_token_path = plain;
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_objapi"), &opts);
	if (!obj)
		CHILD_FAIL(rep, "open: %s", strerror(errno));
	rep->refused_err = bpf_object__load(obj);
	snprintf(rep->refused_log, sizeof(rep->refused_log), "%s", evbpf_test_log());
	bpf_object__close(obj);
}

/* The parent's half: sets delegation on the first bpffs context the child
 * sends, none on the second, and hands both back as mounts. */
static int token_parent(int sock)
{
	static const char *const opts[] = {
		"delegate_cmds", "delegate_maps", "delegate_progs", "delegate_attachs",
	};

	for (int i = 0; i < 2; i++) {
		int fs = recv_fd(sock), mnt;

		if (fs < 0)
			return 0;	/* the child stopped early and says why */
		for (size_t o = 0; i == 0 && o < sizeof(opts) / sizeof(opts[0]); o++)
			if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, opts[o], "any", 0))
				fail_msg("fsconfig %s=any: %s", opts[o], strerror(errno));
		if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
			fail_msg("fsconfig create: %s", strerror(errno));
		mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
		if (mnt < 0)
			fail_msg("fsmount: %s", strerror(errno));
		close(fs);
		assert_int_equal(send_fd(sock, mnt), 0);
		close(mnt);
	}
	return 0;
}

static void test_token_user_namespace(void **state)
{
	char deleg[] = "/tmp/evbpf-token-XXXXXX", plain[] = "/tmp/evbpf-notoken-XXXXXX";
	struct token_report *rep;
	int sp[2], status;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(deleg));
	assert_non_null(mkdtemp(plain));
	rep = mmap(NULL, sizeof(*rep), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(rep != MAP_FAILED);
	memset(rep, 0, sizeof(*rep));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sp[0]);
		token_child(sp[1], deleg, plain, rep);
		_exit(0);
	}
	close(sp[1]);
	token_parent(sp[0]);
	close(sp[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	rmdir(deleg);
	rmdir(plain);
	assert_true(WIFEXITED(status));
	if (rep->skip[0]) {
		char why[96];

		memcpy(why, rep->skip, sizeof(why));
		munmap(rep, sizeof(*rep));
		EVBPF_SKIP(why);
	}
	if (rep->failure[0])
		fail_msg("%s", rep->failure);
	/* the token served the maps (no load without it), the BTF (loaded, not
	 * dropped), the feature probes (map names kept) and the programs */
	assert_true(rep->token_fd >= 0);
	assert_true(rep->btf_fd >= 0);
	assert_string_equal(rep->map_name, "shared");
	assert_int_equal(rep->runs, 1);
	/* closing the object closed the token */
	assert_int_equal(rep->fds_after, rep->fds_before);
	assert_int_equal(rep->refused_err, -ENOENT);
	assert_non_null(strstr(rep->refused_log, "bpf_token_path"));
	assert_non_null(strstr(rep->refused_log, "no delegate_* options"));
	munmap(rep, sizeof(*rep));
}

/* Loads loader_objapi with @path as bpf_token_path (NULL: not set);
 * returns the load's result, the token fd in *@token_fd. */
static int load_with_token_path(const char *path, int *token_fd)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .bpf_token_path = path);
	struct bpf_object *obj;
	int err;

	obj = bpf_object__open_file(evbpf_test_prog_path("loader_objapi"), &opts);
	assert_non_null(obj);
	err = bpf_object__load(obj);
	*token_fd = bpf_object__token_fd(obj);
	bpf_object__close(obj);
	return err;
}

static void test_token_paths_initial_namespace(void **state)
{
	char dir[] = "/tmp/evbpf-bpffs-XXXXXX";
	int token_fd, err;

	(void)state;
	evbpf_test_capture_log();
	/* the default mount is only tried: no token in the initial namespace */
	unsetenv("LIBBPF_BPF_TOKEN_PATH");
	assert_int_equal(load_with_token_path(NULL, &token_fd), 0);
	assert_int_equal(token_fd, -1);
	assert_null(strstr(evbpf_test_log(), "bpf_token_path"));

	/* a path the user names must work */
	evbpf_test_log_reset();
	assert_int_equal(load_with_token_path("/nonexistent/evbpf-bpffs", &token_fd), -ENOENT);
	assert_non_null(strstr(evbpf_test_log(),
			       "option 'bpf_token_path': cannot open bpffs '/nonexistent/evbpf-bpffs'"));

	/* a real bpffs, but tokens exist only in other user namespaces: the
	 * kernel's refusal, passed on */
	assert_non_null(mkdtemp(dir));
	if (mount("bpf", dir, "bpf", 0, NULL)) {
		err = -errno;
		rmdir(dir);
		fail_msg("mounting bpffs: %s", strerror(-err));
	}
	evbpf_test_log_reset();
	err = load_with_token_path(dir, &token_fd);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	assert_int_equal(err, -EOPNOTSUPP);
	assert_non_null(strstr(evbpf_test_log(), "kernel refused a BPF token from"));

	/* the environment stands in for the option; "" turns tokens off, and
	 * the option wins over the environment */
	setenv("LIBBPF_BPF_TOKEN_PATH", "/nonexistent/evbpf-bpffs", 1);
	assert_int_equal(load_with_token_path(NULL, &token_fd), -ENOENT);
	assert_int_equal(load_with_token_path("", &token_fd), 0);
	assert_int_equal(token_fd, -1);
	setenv("LIBBPF_BPF_TOKEN_PATH", "", 1);
	assert_int_equal(load_with_token_path(NULL, &token_fd), 0);
	assert_int_equal(token_fd, -1);
	unsetenv("LIBBPF_BPF_TOKEN_PATH");
	assert_int_equal(bpf_object__token_fd(NULL), -1);
}


/* ---- SHA-256 and program digests ---- */

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < EVBPF_SHA256_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_sha256(const void *data, size_t len, const char *want)
{
	uint8_t d[EVBPF_SHA256_SIZE];
	char got[2 * EVBPF_SHA256_SIZE + 1];

	evbpf__sha256(data, len, d);
	hex(d, got);
	assert_string_equal(got, want);
}

/* the examples of FIPS 180-2 appendix B and the empty message, plus
 * lengths around the one-or-two padding blocks boundary */
static void test_sha256_vectors(void **state)
{
	static const char two_blocks[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *million = malloc(1000000);

	(void)state;
	check_sha256("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_sha256("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_sha256(two_blocks, strlen(two_blocks),
		     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(million);
	memset(million, 'a', 1000000);
	check_sha256(million, 1000000,
		     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* 55 bytes: the length still fits the block; 64: a block of its own */
	check_sha256(million, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check_sha256(million, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	free(million);
}

/* The kernel's program tag is the start of its digest of the program as
 * loaded, map fds left out: ours must agree, or no exclusive map would
 * ever accept its program. */
static void test_prog_digest_matches_kernel_tag(void **state)
{
	struct bpf_object *obj = evbpf_test_open_load("loader_objapi");
	struct bpf_program *prog = evbpf_test_prog(obj, "owner");
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	__u8 d[EVBPF_SHA256_SIZE];

	(void)state;
	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len), 0);
	assert_int_equal(evbpf__prog_digest(bpf_program__insns(prog), bpf_program__insn_cnt(prog),
					    d), 0);
	assert_memory_equal(info.tag, d, sizeof(info.tag));
	bpf_object__close(obj);
}

/* ---- exclusive maps ---- */

/* Whether the kernel knows exclusive maps (6.18 on): older ones refuse the
 * attribute they do not know. */
static bool kernel_has_exclusive_maps(void)
{
	__u8 hash[EVBPF_SHA256_SIZE] = { 0 };
	LIBBPF_OPTS(bpf_map_create_opts, o, .excl_prog_hash = hash,
		    .excl_prog_hash_size = sizeof(hash));
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "excl_probe", 4, 8, 1, &o);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void test_exclusive_map(void **state)
{
	struct bpf_object *obj, *other;
	struct bpf_program *owner, *intruder;
	struct bpf_map *shared;
	__u32 retval = 0;

	(void)state;
	if (!kernel_has_exclusive_maps())
		EVBPF_SKIP("exclusive maps (kernel 6.18 or later)");
	evbpf_test_capture_log();
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_objapi"), NULL);
	other = bpf_object__open_file(evbpf_test_prog_path("loader_objapi"), NULL);
	assert_non_null(obj);
	assert_non_null(other);
	owner = evbpf_test_prog(obj, "owner");
	intruder = evbpf_test_prog(obj, "intruder");
	shared = bpf_object__find_map_by_name(obj, "shared");
	assert_null(bpf_map__exclusive_program(shared));
	/* a program of another object cannot own the map */
	assert_int_equal(bpf_map__set_exclusive_program(shared, evbpf_test_prog(other, "owner")),
			 -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "belongs to another object"));
	bpf_object__close(other);

	assert_int_equal(bpf_map__set_exclusive_program(shared, owner), 0);
	assert_ptr_equal(bpf_map__exclusive_program(shared), owner);
	assert_int_equal(bpf_program__set_autoload(intruder, false), 0);
	assert_int_equal(bpf_object__load(obj), 0);
	/* the owner uses it: a subprogram appended, the map fd patched in
	 * after the map was created from the final image's digest */
	assert_int_equal(run_socket_prog(bpf_program__fd(owner), &retval), 0);
	assert_int_equal(retval, 1);
	assert_int_equal(shared_slot(obj, 0), 3);
	/* too late once the map exists */
	assert_int_equal(bpf_map__set_exclusive_program(shared, owner), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "before the map is created"));
	bpf_object__close(obj);

	/* any other program using the map: the kernel refuses it */
	evbpf_test_log_reset();
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_objapi"), NULL);
	assert_non_null(obj);
	assert_int_equal(bpf_map__set_exclusive_program(bpf_object__find_map_by_name(obj, "shared"),
							evbpf_test_prog(obj, "owner")), 0);
	assert_int_equal(bpf_object__load(obj), -EACCES);
	assert_non_null(strstr(evbpf_test_log(), "prog 'intruder'"));
	assert_non_null(strstr(evbpf_test_log(), "excl_prog_hash"));
	bpf_object__close(obj);

	/* an owner that is not loaded leaves no digest to create the map with */
	evbpf_test_log_reset();
	obj = bpf_object__open_file(evbpf_test_prog_path("loader_objapi"), NULL);
	assert_non_null(obj);
	owner = evbpf_test_prog(obj, "owner");
	assert_int_equal(bpf_map__set_exclusive_program(bpf_object__find_map_by_name(obj, "shared"),
							owner), 0);
	assert_int_equal(bpf_program__set_autoload(owner, false), 0);
	assert_int_equal(bpf_object__load(obj), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "exclusive to prog 'owner', which is not loaded"));
	bpf_object__close(obj);
}

/* bpf_map_create_opts.log_opts: kernels after 6.18 write a log of map
 * creation through bpf(2)'s common attributes; this one does not know them
 * and says so by refusing the command number, so the map is created (or
 * refused) as before and the log stays empty. */
static void test_map_create_log_opts(void **state)
{
	char buf[256] = "untouched";
	/* LIBBPF_OPTS zeroes the padding after true_size, which a plain
	 * initializer may leave dirty (clang does), and which we must refuse */
	LIBBPF_OPTS(bpf_log_opts, log, .buf = buf, .size = sizeof(buf), .level = 1,
		    .true_size = 77);
	LIBBPF_OPTS(bpf_map_create_opts, o, .log_opts = &log);
	struct { struct bpf_log_opts l; __u64 extra; } big;
	__u32 attr[16] = { BPF_MAP_TYPE_ARRAY, 4, 8, 1 };
	long ret;
	int fd;

	(void)state;
	ret = syscall(__NR_bpf, BPF_MAP_CREATE | (1 << 16), attr, sizeof(attr), NULL, 24);
	if (ret >= 0 || errno != EINVAL) {
		/* a kernel with common attributes: the log must come back */
		if (ret >= 0)
			close((int)ret);
		fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "logged", 8, 8, 1, &o);
		assert_int_equal(fd, -EINVAL);
		assert_true(log.true_size > 0);
		return;
	}
	/* an invalid map: the kernel's EINVAL, no log, true_size reset */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "logged", 8, 8, 1, &o);
	assert_int_equal(fd, -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(log.true_size, 0);
	assert_string_equal(buf, "untouched");
	/* a valid one is created as usual */
	log.true_size = 77;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "logged", 4, 8, 1, &o);
	assert_true(fd >= 0);
	assert_int_equal(log.true_size, 0);
	close(fd);
	/* ours to refuse: a buffer without a size, unknown trailing bytes */
	log.size = 0;
	assert_int_equal(bpf_map_create(BPF_MAP_TYPE_ARRAY, "logged", 4, 8, 1, &o), -EINVAL);
	memset(&big, 0, sizeof(big));
	big.l.sz = sizeof(big);
	big.extra = 1;
	o.log_opts = &big.l;
	assert_int_equal(bpf_map_create(BPF_MAP_TYPE_ARRAY, "logged", 4, 8, 1, &o), -EINVAL);
}

/* ---- bpf_program__clone ---- */

static void test_clone_prepared(void **state)
{
	struct bpf_object *obj = bpf_object__open_file(evbpf_test_prog_path("loader_objapi"), NULL);
	struct bpf_program *owner, *intruder;
	char log[4096];
	LIBBPF_OPTS(bpf_prog_load_opts, o);
	__u32 retval = 0;
	int a, b;

	(void)state;
	assert_non_null(obj);
	evbpf_test_capture_log();
	owner = evbpf_test_prog(obj, "owner");
	intruder = evbpf_test_prog(obj, "intruder");
	/* nothing relocated yet */
	assert_int_equal(bpf_program__clone(owner, NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "cloned only from a prepared object"));
	assert_int_equal(bpf_program__set_autoload(intruder, false), 0);
	assert_int_equal(bpf_object__prepare(obj), 0);

	/* every option from the program and the object: two independent
	 * programs, the object's own program still unloaded */
	a = bpf_program__clone(owner, NULL);
	b = bpf_program__clone(owner, NULL);
	assert_true(a >= 0);
	assert_true(b >= 0);
	assert_int_not_equal(evbpf_test_prog_id(a), evbpf_test_prog_id(b));
	assert_true(bpf_program__fd(owner) < 0);
	assert_int_equal(run_socket_prog(a, &retval), 0);
	assert_int_equal(retval, 1);
	assert_int_equal(run_socket_prog(b, &retval), 0);
	assert_int_equal(shared_slot(obj, 0), 6);
	close(b);

	/* non-zero options override: the caller's log at level 2 */
	log[0] = '\0';
	o.log_buf = log;
	o.log_size = sizeof(log);
	o.log_level = 2;
	b = bpf_program__clone(owner, &o);
	assert_true(b >= 0);
	assert_non_null(strstr(log, "processed"));
	close(b);
	/* ... also where the kernel refuses them: no attach target for a
	 * socket filter */
	memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.attach_btf_id = 1;
	assert_int_equal(bpf_program__clone(owner, &o), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "prog 'owner' (section 'socket'): failed to load"));

	/* a program left out at prepare was never relocated */
	evbpf_test_log_reset();
	assert_int_equal(bpf_program__clone(intruder, NULL), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "not relocated at prepare"));

	/* after load, clones are still independent of the object's program */
	assert_int_equal(bpf_object__load(obj), 0);
	b = bpf_program__clone(owner, NULL);
	assert_true(b >= 0);
	assert_int_not_equal(evbpf_test_prog_id(b), evbpf_test_prog_id(bpf_program__fd(owner)));
	close(b);
	close(a);
	bpf_object__close(obj);
}

/* A tracing program cloned with another attach target: this kernel
 * refuses trampoline programs (EPERM), which the clone passes on; where
 * the kernel allows them the clone must carry the overriding target. */
static void test_clone_tracing_target(void **state)
{
	struct bpf_object *obj;
	struct bpf_program *fe;
	LIBBPF_OPTS(bpf_prog_load_opts, o);
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int id, fd;

	(void)state;
	id = libbpf_find_vmlinux_btf_id("do_nanosleep", BPF_TRACE_FENTRY);
	assert_true(id > 0);
	o.attach_btf_id = (__u32)libbpf_find_vmlinux_btf_id("hrtimer_nanosleep",
							    BPF_TRACE_FENTRY);
	assert_true((int)o.attach_btf_id > 0);
	obj = bpf_object__open_file(evbpf_test_prog_path("attach_fentry"), NULL);
	assert_non_null(obj);
	bpf_object__for_each_program(fe, obj)
		bpf_program__set_autoload(fe, !strcmp(bpf_program__name(fe), "fe"));
	fe = evbpf_test_prog(obj, "fe");
	assert_int_equal(bpf_object__prepare(obj), 0);
	evbpf_test_capture_log();
	fd = bpf_program__clone(fe, &o);
	if (fd == -EPERM) {
		assert_int_equal(errno, EPERM);
		assert_non_null(strstr(evbpf_test_log(),
				       "kernel refused a trampoline program (EPERM)"));
	} else {
		assert_true(fd >= 0);
		memset(&info, 0, sizeof(info));
		assert_int_equal(bpf_prog_get_info_by_fd(fd, &info, &len), 0);
		assert_int_equal(info.attach_btf_id, o.attach_btf_id);
		close(fd);
	}
	bpf_object__close(obj);
}

/* ---- multi-function tracing ---- */

static void test_tracing_multi(void **state)
{
	struct bpf_object *obj, *sock_obj;
	struct bpf_program *entry, *exit_prog;
	LIBBPF_OPTS(bpf_tracing_multi_opts, mo);
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	__u32 ids[2];
	int err, id;

	(void)state;
	evbpf_test_capture_log();
	obj = bpf_object__open_file(evbpf_test_prog_path("attach_multi"), NULL);
	assert_non_null(obj);
	entry = evbpf_test_prog(obj, "multi_entry");
	exit_prog = evbpf_test_prog(obj, "multi_exit");
	assert_int_equal(bpf_program__type(entry), BPF_PROG_TYPE_TRACING);
	assert_int_equal(bpf_program__expected_attach_type(entry), BPF_TRACE_FENTRY_MULTI);
	assert_int_equal(bpf_program__expected_attach_type(exit_prog), BPF_TRACE_FEXIT_MULTI);

	/* what is ours to refuse, before the kernel is asked */
	id = libbpf_find_vmlinux_btf_id("bpf_fentry_test1", BPF_TRACE_FENTRY);
	assert_true(id > 0);
	ids[0] = (__u32)id;
	ids[1] = (__u32)libbpf_find_vmlinux_btf_id("bpf_fentry_test2", BPF_TRACE_FENTRY);
	mo.ids = ids;
	mo.cnt = 2;
	assert_null(bpf_program__attach_tracing_multi(entry, "bpf_fentry_test*", &mo));
	assert_int_equal(errno, EINVAL);
	assert_null(bpf_program__attach_tracing_multi(entry, NULL, NULL));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "takes a pattern or opts.ids"));
	/* not loaded yet */
	assert_null(bpf_program__attach_tracing_multi(entry, "bpf_fentry_test*", NULL));
	assert_int_equal(errno, EINVAL);
	/* a program of another kind */
	sock_obj = evbpf_test_open_load("loader_objapi");
	assert_null(bpf_program__attach_tracing_multi(evbpf_test_prog(sock_obj, "owner"),
						      "bpf_fentry_test*", NULL));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "no multi-function tracing program"));

	/* the kernel's answer to a multi-function link request, asked with a
	 * program it has: kernels without such links refuse the attach type */
	lo.tracing_multi.ids = ids;
	lo.tracing_multi.cnt = 2;
	err = bpf_link_create(bpf_program__fd(evbpf_test_prog(sock_obj, "owner")), 0,
			      BPF_TRACE_FENTRY_MULTI, &lo);
	assert_true(err < 0);
	assert_int_equal(err, -errno);
	bpf_object__close(sock_obj);

	/* the kernel's answer to the programs: this one has no multi-function
	 * tracing (EINVAL for the attach type, or EPERM where trampoline
	 * programs are refused altogether); a kernel that loads them must
	 * attach them and run them on bpf_fentry_test1..8 */
	evbpf_test_log_reset();
	err = bpf_object__load(obj);
	if (err) {
		assert_true(err == -EINVAL || err == -EPERM);
		assert_int_equal(errno, -err);
		assert_non_null(strstr(evbpf_test_log(), "prog 'multi_entry'"));
		bpf_object__close(obj);
		return;
	}
	{
		struct bpf_link *l1 = bpf_program__attach_tracing_multi(entry, "bpf_fentry_test*",
									 NULL);
		struct bpf_link *l2 = bpf_program__attach_tracing_multi(exit_prog, NULL, &mo);

		assert_non_null(l1);
		assert_non_null(l2);
		assert_null(bpf_program__attach_tracing_multi(entry, "evbpf_no_such_fn*", NULL));
		assert_int_equal(errno, ENOENT);
		bpf_link__destroy(l1);
		bpf_link__destroy(l2);
	}
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: see the file comment */
		cmocka_unit_test(test_token_user_namespace),
		cmocka_unit_test(test_token_paths_initial_namespace),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_prog_digest_matches_kernel_tag),
		cmocka_unit_test(test_exclusive_map),
		cmocka_unit_test(test_map_create_log_opts),
		cmocka_unit_test(test_clone_prepared),
		cmocka_unit_test(test_clone_tracing_target),
		cmocka_unit_test(test_tracing_multi),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
