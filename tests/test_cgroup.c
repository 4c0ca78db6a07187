// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Cgroup links: cgroup_skb ingress/egress and cgroup/sock_create programs on
 * a cgroup v2 directory the test creates and moves itself into; UDP over
 * loopback is counted. The cgroup is removed at the end. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include "evbpf_test.h"

#define CG_ROOT "/sys/fs/cgroup/unified"

static char cg_path[256];
static int cg_fd = -1;
static struct bpf_object *obj;

static int write_pid(const char *dir)
{
	char path[300], buf[32];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

static int setup(void **state)
{
	if (evbpf_test_fd_setup(state))
		return -1;
	obj = evbpf_test_open_load("attach_net");
	snprintf(cg_path, sizeof(cg_path), CG_ROOT "/evbpf_cg_%d", (int)getpid());
	if (mkdir(cg_path, 0755) == 0)
		cg_fd = open(cg_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return 0;
}

static int teardown(void **state)
{
	if (cg_fd >= 0) {
		write_pid(CG_ROOT);
		close(cg_fd);
		rmdir(cg_path);
	}
	bpf_object__close(obj);
	return evbpf_test_fd_teardown(state);
}

static void test_cgroup_skb_and_sock(void **state)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct bpf_link *eg, *in, *sk;
	socklen_t alen = sizeof(addr);
	struct timeval tv = { 5, 0 };
	char buf[16];
	int rx, tx;

	if (cg_fd < 0)
		EVBPF_SKIP("cgroup v2 at " CG_ROOT);
	eg = bpf_program__attach_cgroup(evbpf_test_prog(obj, "cg_egress"), cg_fd);
	assert_non_null(eg);
	in = bpf_program__attach_cgroup(evbpf_test_prog(obj, "cg_ingress"), cg_fd);
	assert_non_null(in);
	sk = bpf_program__attach_cgroup(evbpf_test_prog(obj, "cg_sock"), cg_fd);
	assert_non_null(sk);

	/* nothing in the cgroup yet */
	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(rx >= 0);
	close(rx);
	assert_int_equal(evbpf_test_counts(obj, 7), 0);

	assert_int_equal(write_pid(cg_path), 0);
	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(rx >= 0 && tx >= 0);
	assert_int_equal(evbpf_test_counts(obj, 7), 2);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(rx, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&addr, &alen), 0);
	assert_int_equal(setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(sendto(tx, "hello", 5, 0, (struct sockaddr *)&addr,
				sizeof(addr)), 5);
	/* the datagram has passed both hooks once it is received */
	assert_int_equal(recv(rx, buf, sizeof(buf), 0), 5);
	assert_true(evbpf_test_counts(obj, 5) >= 1);
	assert_true(evbpf_test_counts(obj, 6) >= 1);
	close(rx);
	close(tx);

	assert_int_equal(write_pid(CG_ROOT), 0);
	bpf_link__destroy(eg);
	bpf_link__destroy(in);
	bpf_link__destroy(sk);
}

static void test_cgroup_update_and_errors(void **state)
{
	struct bpf_link *link;
	int fd;

	if (cg_fd < 0)
		EVBPF_SKIP("cgroup v2 at " CG_ROOT);
	link = bpf_program__attach_cgroup(evbpf_test_prog(obj, "cg_egress"), cg_fd);
	assert_non_null(link);
	/* cgroup links switch programs of the same type; not across types */
	assert_int_equal(bpf_link__update_program(link, evbpf_test_prog(obj, "cg_ingress")), 0);
	assert_int_equal(bpf_link__update_program(link, evbpf_test_prog(obj, "cg_sock")), -EINVAL);
	bpf_link__destroy(link);

	/* not a cgroup */
	evbpf_test_capture_log();
	fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_null(bpf_program__attach_cgroup(evbpf_test_prog(obj, "cg_egress"), fd));
	assert_non_null(strstr(evbpf_test_log(), "failed to attach to cgroup"));
	close(fd);
}

/* Ordering among a cgroup hook's programs with bpf_cgroup_opts: the second
 * program asks to run before the first, and a stale revision is refused by
 * the kernel. */
static void test_cgroup_opts_ordering(void **state)
{
	struct bpf_object *obj2 = evbpf_test_open_load("attach_net");
	struct bpf_program *a = evbpf_test_prog(obj, "cg_egress"), *b = evbpf_test_prog(obj2, "cg_egress");
	LIBBPF_OPTS(bpf_prog_query_opts, q);
	struct bpf_link *la, *lb;
	__u32 ids[4] = {};
	__u64 rev;

	if (cg_fd < 0)
		EVBPF_SKIP("cgroup v2 at " CG_ROOT);
	la = bpf_program__attach_cgroup_opts(a, cg_fd, NULL);
	assert_non_null(la);
	q.prog_ids = ids;
	q.count = 4;
	assert_int_equal(bpf_prog_query_opts(cg_fd, BPF_CGROUP_INET_EGRESS, &q), 0);
	assert_int_equal(q.count, 1);
	rev = q.revision;

	LIBBPF_OPTS(bpf_cgroup_opts, stale, .expected_revision = rev + 100);
	errno = 0;
	assert_null(bpf_program__attach_cgroup_opts(b, cg_fd, &stale));
	assert_int_equal(errno, ESTALE);

	/* anchored at the first program's link */
	LIBBPF_OPTS(bpf_cgroup_opts, before, .flags = BPF_F_BEFORE | BPF_F_LINK,
		    .relative_fd = (__u32)bpf_link__fd(la), .expected_revision = rev);
	lb = bpf_program__attach_cgroup_opts(b, cg_fd, &before);
	assert_non_null(lb);
	memset(ids, 0, sizeof(ids));
	q.count = 4;
	assert_int_equal(bpf_prog_query_opts(cg_fd, BPF_CGROUP_INET_EGRESS, &q), 0);
	assert_int_equal(q.count, 2);
	assert_true(q.revision > rev);
	{
		struct bpf_prog_info ia = {}, ib = {};
		__u32 len = sizeof(ia);

		assert_int_equal(bpf_prog_get_info_by_fd(bpf_program__fd(a), &ia, &len), 0);
		len = sizeof(ib);
		assert_int_equal(bpf_prog_get_info_by_fd(bpf_program__fd(b), &ib, &len), 0);
		assert_int_equal(ids[0], ib.id);
		assert_int_equal(ids[1], ia.id);
	}
	/* both anchors at once is the caller's error */
	LIBBPF_OPTS(bpf_cgroup_opts, both, .flags = BPF_F_AFTER, .relative_fd = 1,
		    .relative_id = 1);
	assert_null(bpf_program__attach_cgroup_opts(a, cg_fd, &both));
	assert_int_equal(errno, EINVAL);
	bpf_link__destroy(lb);
	bpf_link__destroy(la);
	bpf_object__close(obj2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_skb_and_sock),
		cmocka_unit_test(test_cgroup_update_and_errors),
		cmocka_unit_test(test_cgroup_opts_ordering),
	};

	return cmocka_run_group_tests_name("cgroup", tests, setup, teardown);
}
