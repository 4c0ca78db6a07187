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

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: see the file comment */
		cmocka_unit_test(test_token_user_namespace),
		cmocka_unit_test(test_token_paths_initial_namespace),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
