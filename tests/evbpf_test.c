// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <gelf.h>
#include <libelf.h>

#include <bpf/libbpf.h>
#include "evbpf_test.h"

int evbpf_test_in_ci(void)
{
	const char *ci = getenv("CI");

	return ci && !strcmp(ci, "true");
}

int evbpf_test_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the DIR's own fd */
}

const char *evbpf_test_prog_path(const char *name)
{
	static __thread char path[4096];	/* tests call this from threads */
	const char *dir = getenv("EVBPF_TEST_PROGS");

	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir ? dir : "tests/progs", name);
	return path;
}

void *evbpf_test_read_file(const char *path, size_t *size)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (buf && read(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	if (buf && size)
		*size = st.st_size;
	return buf;
}

static char log_buf[1 << 16];
static size_t log_len;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static int capture(enum libbpf_print_level level, const char *msg, void *ctx)
{
	size_t n = strlen(msg);

	(void)level;
	(void)ctx;
	pthread_mutex_lock(&log_lock);
	if (log_len + n >= sizeof(log_buf))
		n = sizeof(log_buf) - 1 - log_len;
	memcpy(log_buf + log_len, msg, n);
	log_len += n;
	log_buf[log_len] = '\0';
	pthread_mutex_unlock(&log_lock);
	if (getenv("EVBPF_TEST_VERBOSE"))
		fputs(msg, stderr);
	return 0;
}

void evbpf_test_capture_log(void)
{
	evbpf_test_log_reset();
	evbpf_set_print(capture, NULL);
}

const char *evbpf_test_log(void)
{
	return log_buf;
}

void evbpf_test_log_reset(void)
{
	pthread_mutex_lock(&log_lock);
	log_len = 0;
	log_buf[0] = '\0';
	pthread_mutex_unlock(&log_lock);
}

static int fds_at_start = -1;

int evbpf_test_fd_setup(void **state)
{
	(void)state;
	fds_at_start = evbpf_test_fd_count();
	return 0;
}

int evbpf_test_fd_teardown(void **state)
{
	int now = evbpf_test_fd_count();

	(void)state;
	if (now != fds_at_start) {
		fprintf(stderr, "fd leak: %d fds open at start, %d at end\n",
			fds_at_start, now);
		return -1;
	}
	return 0;
}

struct bpf_insn *evbpf_test_elf_sec_insns(struct Elf *elf, const char *sec, size_t *cnt)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		struct bpf_insn *insns;
		Elf_Data *d;
		GElf_Shdr sh;

		gelf_getshdr(scn, &sh);
		if (strcmp(elf_strptr(elf, shstrndx, sh.sh_name), sec))
			continue;
		d = elf_getdata(scn, NULL);
		assert_non_null(d);
		insns = malloc(d->d_size);
		assert_non_null(insns);
		memcpy(insns, d->d_buf, d->d_size);
		*cnt = d->d_size / sizeof(*insns);
		return insns;
	}
	fail_msg("no section %s", sec);
	return NULL;
}

struct bpf_insn *evbpf_test_sec_insns(const char *path, const char *sec, size_t *cnt)
{
	struct bpf_insn *insns;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	insns = evbpf_test_elf_sec_insns(elf, sec, cnt);
	elf_end(elf);
	close(fd);
	return insns;
}

bool evbpf_test_tcp_cc_usable(const char *name)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	assert_true(fd >= 0);
	ok = setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, strlen(name)) == 0;
	close(fd);
	return ok;
}
