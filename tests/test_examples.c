// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runs the programs of examples/ as a user would: each is started with its
 * stdout on a pipe, the test waits for its "ready" line, makes the event it
 * traces happen, and reads the line it prints. Every wait is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "evbpf_test.h"

#ifndef EXAMPLES_DIR
#error "the build must define EXAMPLES_DIR"
#endif

#define WAIT_MS 20000

struct child {
	pid_t pid;
	int out;		/* read end of its stdout */
	char buf[8192];
	size_t len;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int spawn(struct child *c, char *const argv[])
{
	int p[2];

	memset(c, 0, sizeof(*c));
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		dup2(p[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	c->out = p[0];
	return 0;
}

/* Next line of @c's output into @line (without '\n'); 0, or -1 on EOF or
 * timeout. */
static int read_line(struct child *c, char *line, size_t size, long deadline)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		struct pollfd pfd = { .fd = c->out, .events = POLLIN };
		long left;
		ssize_t n;

		if (nl) {
			size_t l = nl - c->buf;

			snprintf(line, size, "%.*s", (int)l, c->buf);
			memmove(c->buf, nl + 1, c->len - l - 1);
			c->len -= l + 1;
			return 0;
		}
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return -1;
		n = read(c->out, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		if (n <= 0)
			return -1;
		c->len += n;
	}
}

/* Reads lines until one contains @needle (copied to @line); 0 or -1. */
static int wait_for(struct child *c, const char *needle, char *line, size_t size,
		    long deadline)
{
	while (read_line(c, line, size, deadline) == 0)
		if (strstr(line, needle))
			return 0;
	return -1;
}

/* Waits for @c to exit by itself (its stdout reaching EOF first); its exit
 * status, or -1 on timeout (it is then killed). */
static int finish(struct child *c, long deadline)
{
	char drain[256];
	int status;

	for (;;) {
		struct pollfd pfd = { .fd = c->out, .events = POLLIN };
		long left = deadline - now_ms();

		if (left <= 0 || poll(&pfd, 1, left) <= 0) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &status, 0);
			close(c->out);
			return -1;
		}
		if (read(c->out, drain, sizeof(drain)) <= 0)
			break;
	}
	close(c->out);
	waitpid(c->pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_bootstrap(void **state)
{
	char ppid[16], line[512], want[64], *argv[] = {
		EXAMPLES_DIR "/bootstrap", "-P", ppid, "-n", "2", NULL };
	long deadline = now_ms() + WAIT_MS;
	struct child ex;
	pid_t kid;
	int status;

	snprintf(ppid, sizeof(ppid), "%d", getpid());
	assert_int_equal(spawn(&ex, argv), 0);
	if (wait_for(&ex, "ready", line, sizeof(line), deadline)) {
		finish(&ex, now_ms() + 1000);
		fail_msg("bootstrap did not get ready");
	}
	kid = fork();
	if (kid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	assert_true(kid > 0);
	assert_int_equal(waitpid(kid, &status, 0), kid);

	snprintf(want, sizeof(want), " %d ", kid);
	assert_int_equal(wait_for(&ex, want, line, sizeof(line), deadline), 0);
	assert_non_null(strstr(line, "EXEC"));
	assert_non_null(strstr(line, "true"));
	assert_int_equal(wait_for(&ex, want, line, sizeof(line), deadline), 0);
	assert_non_null(strstr(line, "EXIT"));
	assert_non_null(strstr(line, "[0]"));
	/* -n 2: it stops by itself */
	assert_int_equal(finish(&ex, deadline), 0);
}

static void test_uprobe(void **state)
{
	char pidstr[16], line[512], want[64], *argv[] = {
		EXAMPLES_DIR "/uprobe", "-p", pidstr, "-n", "1", "strverscmp", NULL };
	long deadline = now_ms() + WAIT_MS;
	struct child ex;
	int go[2], status;
	pid_t kid;

	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	kid = fork();
	if (kid == 0) {
		/* through a volatile pointer: a real call into libc */
		int (*volatile fn)(const char *, const char *) = strverscmp;
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(fn("a1", "a2") < 0 ? 0 : 2);
	}
	assert_true(kid > 0);
	close(go[0]);
	snprintf(pidstr, sizeof(pidstr), "%d", kid);
	assert_int_equal(spawn(&ex, argv), 0);
	if (wait_for(&ex, "ready", line, sizeof(line), deadline)) {
		close(go[1]);
		waitpid(kid, &status, 0);
		finish(&ex, now_ms() + 1000);
		fail_msg("uprobe example did not get ready");
	}
	assert_int_equal(write(go[1], "x", 1), 1);
	close(go[1]);
	assert_int_equal(waitpid(kid, &status, 0), kid);
	assert_int_equal(WEXITSTATUS(status), 0);

	snprintf(want, sizeof(want), "pid=%d ", kid);
	assert_int_equal(wait_for(&ex, want, line, sizeof(line), deadline), 0);
	assert_non_null(strstr(line, "CALL strverscmp"));
	/* int -1 in a 64-bit return register: printed as -1 or as 2^32 - 1 */
	if (!strstr(line, "ret=-1 ") && !strstr(line, "ret=4294967295 "))
		fail_msg("unexpected return value: %s", line);
	assert_int_equal(finish(&ex, deadline), 0);
}

/* In a child in its own network namespace: runs xdp_counter on lo, sends
 * UDP datagrams over lo, checks the final counts. Returns an exit code. */
static int xdp_in_netns(void)
{
	char line[512], *argv[] = {
		EXAMPLES_DIR "/xdp_counter", "-i", "lo", "-c", "10", "-t", "20", NULL };
	long deadline = now_ms() + WAIT_MS;
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(addr);
	struct ifreq ifr = { 0 };
	unsigned long long udp = 0;
	struct child ex;
	int s, rx, i;
	char *p;

	if (unshare(CLONE_NEWNET))
		return 10;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		return 11;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		return 12;
	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (rx < 0 || bind(rx, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(rx, (struct sockaddr *)&addr, &alen))
		return 13;

	if (spawn(&ex, argv))
		return 14;
	if (wait_for(&ex, "ready", line, sizeof(line), deadline)) {
		finish(&ex, now_ms() + 1000);
		return 15;
	}
	for (i = 0; i < 10; i++)
		if (sendto(s, "ping", 4, 0, (struct sockaddr *)&addr, sizeof(addr)) != 4)
			return 16;
	if (wait_for(&ex, "final", line, sizeof(line), deadline))
		return 17;
	if (finish(&ex, deadline) != 0)
		return 18;
	p = strstr(line, "udp=");
	if (!p || sscanf(p, "udp=%llu", &udp) != 1 || udp < 10)
		return 19;
	close(rx);
	close(s);
	return 0;
}

static void test_xdp_counter(void **state)
{
	int status;
	pid_t kid = fork();

	if (kid == 0)
		_exit(xdp_in_netns());
	assert_true(kid > 0);
	assert_int_equal(waitpid(kid, &status, 0), kid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 10)
		EVBPF_SKIP("cannot create a network namespace");
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef HAVE_VMLINUX_EXAMPLES
		cmocka_unit_test(test_bootstrap),
		cmocka_unit_test(test_uprobe),
#endif
		cmocka_unit_test(test_xdp_counter),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("examples", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
