// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * examples/http_server end to end, with curl as the HTTP client, on
 * 127.0.0.1 only: an SSE client sees the exec of a child of this test, a
 * POST /block of another child's pid (answered from the map update's
 * completion) keeps that one's exec off the stream, GET /stats answers
 * from the map lookup, SIGTERM stops the server cleanly.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "evbpf_test.h"

#ifndef HTTP_SERVER_PATH
#error "the build must define HTTP_SERVER_PATH"
#endif

#define WAIT_MS 10000

struct child {
	pid_t pid;
	int out;		/* its stdout */
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

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	c->len = 0;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (!c->pid) {
		dup2(p[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	c->out = p[0];
	return 0;
}

/* Reads until a line containing @needle arrives (copied to @line); 0, or -1
 * on EOF or timeout. */
static int wait_for(struct child *c, const char *needle, char *line, size_t size,
		    long deadline)
{
	for (;;) {
		char *nl;
		struct pollfd pfd = { .fd = c->out, .events = POLLIN };
		ssize_t n;

		while ((nl = memchr(c->buf, '\n', c->len))) {
			size_t l = nl - c->buf;

			snprintf(line, size, "%.*s", (int)l, c->buf);
			memmove(c->buf, nl + 1, c->len - l - 1);
			c->len -= l + 1;
			if (strstr(line, needle))
				return 0;
		}
		if (deadline - now_ms() <= 0 || poll(&pfd, 1, deadline - now_ms()) <= 0)
			return -1;
		n = read(c->out, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		if (n <= 0)
			return -1;
		c->len += n;
	}
}

static int finish(struct child *c, int sig)
{
	int status;

	if (sig)
		kill(c->pid, sig);
	close(c->out);
	if (waitpid(c->pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* One curl request; its whole output (one line is enough here) in @out. */
static int curl(const char *method, const char *url, char *out, size_t size)
{
	char *argv[] = { "/usr/bin/curl", "-s", "-S", "--max-time", "10", "-X",
			 (char *)method, (char *)url, NULL };
	struct child c;

	if (spawn(&c, argv))
		return -1;
	if (wait_for(&c, "", out, size, now_ms() + WAIT_MS))
		out[0] = 0;
	return finish(&c, 0);
}

/* A child that execs /bin/true when told to through a pipe. */
struct execer {
	pid_t pid;
	int go;
};

static int execer_new(struct execer *e)
{
	int p[2];
	char b;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	e->pid = fork();
	if (e->pid < 0)
		return -errno;
	if (!e->pid) {
		char *argv[] = { "/bin/true", NULL };

		if (read(p[0], &b, 1) == 1)
			execv(argv[0], argv);
		_exit(1);
	}
	close(p[0]);
	e->go = p[1];
	return 0;
}

static int execer_run(struct execer *e)
{
	int status;

	if (write(e->go, "x", 1) != 1)
		return -1;
	close(e->go);
	if (waitpid(e->pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_http_server(void **state)
{
	char *server_argv[] = { HTTP_SERVER_PATH, "-p", "0", NULL };
	char line[1024], url[128], want[64], bad[64], base[64];
	struct child server, sse;
	struct execer blocked, shown;
	long deadline = now_ms() + WAIT_MS;
	unsigned long long execs;
	int port;

	if (access("/usr/bin/curl", X_OK))
		EVBPF_SKIP("no HTTP client: /usr/bin/curl is missing");
	assert_int_equal(spawn(&server, server_argv), 0);
	assert_int_equal(wait_for(&server, "listening on 127.0.0.1:", line, sizeof(line),
				  deadline), 0);
	assert_int_equal(sscanf(line, "listening on 127.0.0.1:%d", &port), 1);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);

	/* the stream is open before anything execs */
	snprintf(url, sizeof(url), "%s/events", base);
	{
		char *argv[] = { "/usr/bin/curl", "-s", "-N", url, NULL };

		assert_int_equal(spawn(&sse, argv), 0);
	}
	assert_int_equal(wait_for(&sse, ": connected", line, sizeof(line), deadline), 0);

	/* block one child's pid: the reply comes from the update's completion */
	assert_int_equal(execer_new(&blocked), 0);
	assert_int_equal(execer_new(&shown), 0);
	snprintf(url, sizeof(url), "%s/block?key=%d", base, blocked.pid);
	assert_int_equal(curl("POST", url, line, sizeof(line)), 0);
	snprintf(want, sizeof(want), "blocked %d", blocked.pid);
	assert_string_equal(line, want);

	/* the blocked one execs first: had it been streamed, it would come
	 * before the other one */
	assert_int_equal(execer_run(&blocked), 0);
	assert_int_equal(execer_run(&shown), 0);
	snprintf(want, sizeof(want), "\"pid\":%d,", shown.pid);
	snprintf(bad, sizeof(bad), "\"pid\":%d,", blocked.pid);
	do {
		assert_int_equal(wait_for(&sse, "data: ", line, sizeof(line), deadline), 0);
		assert_null(strstr(line, bad));
	} while (!strstr(line, want));
	assert_non_null(strstr(line, "\"comm\":\"true\""));

	/* stats from the asynchronous lookup */
	snprintf(url, sizeof(url), "%s/stats", base);
	assert_int_equal(curl("GET", url, line, sizeof(line)), 0);
	assert_int_equal(sscanf(line, "{\"execs\":%llu,", &execs), 1);
	assert_true(execs >= 2);
	/* bad input gets a 400, unknown paths a 404 */
	snprintf(url, sizeof(url), "%s/block?key=x", base);
	assert_int_equal(curl("POST", url, line, sizeof(line)), 0);
	assert_string_equal(line, "bad key");
	snprintf(url, sizeof(url), "%s/nope", base);
	assert_int_equal(curl("GET", url, line, sizeof(line)), 0);
	assert_string_equal(line, "no such resource");

	assert_int_equal(finish(&server, SIGTERM), 0);
	finish(&sse, SIGTERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_server),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
