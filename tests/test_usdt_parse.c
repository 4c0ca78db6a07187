// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* USDT parsing without a kernel: .note.stapsdt sites of this very binary
 * (probes defined with tests/test_usdt_sdt.h) and argument strings. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attach/usdt_internal.h"
#include "base/base_internal.h"
#include "evbpf_test.h"
#include "test_usdt_sdt.h"

EVBPF_USDT_SEMA_DEFINE(evbpfparse, withsema);

__attribute__((noinline, used)) void parse_site_two(int a, unsigned long b)
{
	EVBPF_USDT2(evbpfparse, two, a, b);
}

__attribute__((noinline, used)) void parse_site_none(void)
{
	EVBPF_USDT0(evbpfparse, none);
}

__attribute__((noinline, used)) void parse_site_sema(int a)
{
	EVBPF_USDT1_SEMA(evbpfparse, withsema, a);
}

static void self_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	assert_true(n > 0);
	buf[n] = '\0';
}

static unsigned char byte_at(const char *path, unsigned long off)
{
	unsigned char c = 0;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	close(fd);
	return c;
}

static void test_notes_of_self(void **state)
{
	struct evbpf__usdt_note *notes;
	char self[PATH_MAX];
	size_t cnt, i;
	int seen = 0;

	self_path(self, sizeof(self));
	assert_int_equal(evbpf__usdt_read_notes(self, "evbpfparse", NULL, &notes,
						&cnt), 0);
	assert_int_equal(cnt, 3);
	for (i = 0; i < cnt; i++) {
		assert_string_equal(notes[i].provider, "evbpfparse");
		/* the site is the nop */
		assert_int_equal(byte_at(self, notes[i].loc_off), 0x90);
		if (!strcmp(notes[i].name, "two")) {
			seen |= 1;
			assert_true(!strncmp(notes[i].args, "-4@", 3));
			assert_non_null(strstr(notes[i].args, " 8@"));
			assert_int_equal(notes[i].sema_addr, 0);
		} else if (!strcmp(notes[i].name, "none")) {
			seen |= 2;
			assert_string_equal(notes[i].args, "");
		} else if (!strcmp(notes[i].name, "withsema")) {
			seen |= 4;
			assert_true(notes[i].sema_addr != 0);
			assert_true(notes[i].sema_off != 0);
			/* the semaphore starts at zero in the file */
			assert_int_equal(byte_at(self, notes[i].sema_off), 0);
		}
	}
	assert_int_equal(seen, 7);
	evbpf__usdt_notes_free(notes, cnt);

	assert_int_equal(evbpf__usdt_read_notes(self, "evbpfparse", "two", &notes,
						&cnt), 0);
	assert_int_equal(cnt, 1);
	evbpf__usdt_notes_free(notes, cnt);
	assert_int_equal(evbpf__usdt_read_notes(self, "nosuchprovider", NULL,
						&notes, &cnt), 0);
	assert_int_equal(cnt, 0);
	assert_null(notes);
}

static void test_notes_bad_file(void **state)
{
	struct evbpf__usdt_note *notes;
	size_t cnt;

	evbpf_test_capture_log();
	assert_int_equal(evbpf__usdt_read_notes("/proc/self/status", NULL, NULL,
						&notes, &cnt),
			 -LIBBPF_ERRNO__FORMAT);
	assert_non_null(strstr(evbpf_test_log(), "not an ELF file"));
	assert_int_equal(evbpf__usdt_read_notes("/nonexistent", NULL, NULL,
						&notes, &cnt), -ENOENT);
}

/* Copies this binary to a temp file whose first stapsdt note claims a
 * descriptor too short for its three addresses. */
static void make_corrupt_copy(char *out, size_t size)
{
	char self[PATH_MAX];
	size_t len, off = 0, name_off, desc_off;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Nhdr nh;
	size_t shstrndx;
	Elf_Data *data;
	char *buf;
	Elf *elf;
	long note_file_off = -1;
	int fd;

	self_path(self, sizeof(self));
	buf = evbpf_test_read_file(self, &len);
	assert_non_null(buf);
	elf_version(EV_CURRENT);
	elf = elf_memory(buf, len);
	assert_non_null(elf);
	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		assert_non_null(gelf_getshdr(scn, &sh));
		if (!strcmp(elf_strptr(elf, shstrndx, sh.sh_name), ".note.stapsdt"))
			break;
	}
	assert_non_null(scn);
	data = elf_getdata(scn, NULL);
	off = gelf_getnote(data, 0, &nh, &name_off, &desc_off);
	assert_true(off > 0);
	/* n_descsz is the second word of the note header */
	note_file_off = (long)sh.sh_offset + 4;
	elf_end(elf);
	*(uint32_t *)(buf + note_file_off) = 12;

	snprintf(out, size, "/tmp/evbpf_usdt_corrupt_%d", (int)getpid());
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	free(buf);
}

static void test_notes_malformed(void **state)
{
	struct evbpf__usdt_note *notes = (void *)1;
	char path[128];
	size_t cnt = 5;

	make_corrupt_copy(path, sizeof(path));
	evbpf_test_capture_log();
	assert_int_equal(evbpf__usdt_read_notes(path, NULL, NULL, &notes, &cnt),
			 -LIBBPF_ERRNO__FORMAT);
	assert_null(notes);
	assert_int_equal(cnt, 0);
	assert_non_null(strstr(evbpf_test_log(), path));
	assert_non_null(strstr(evbpf_test_log(),
			       "malformed stapsdt note in .note.stapsdt at offset"));
	unlink(path);
}

static void test_parse_args(void **state)
{
	struct evbpf__usdt_spec s;

	assert_int_equal(evbpf__usdt_parse_args(
		"-4@%eax 8@-8(%rbp) 4@$5 -1@%r8b 2@(%rsp) 8@$-3 8@%rdi",
		&s, "test"), 0);
	assert_int_equal(s.arg_cnt, 7);

	assert_int_equal(s.args[0].arg_type, EVBPF_USDT_ARG_REG);
	assert_int_equal(s.args[0].reg_off, 80);
	assert_true(s.args[0].arg_signed);
	assert_int_equal(s.args[0].arg_bitshift, 32);

	assert_int_equal(s.args[1].arg_type, EVBPF_USDT_ARG_REG_DEREF);
	assert_int_equal(s.args[1].reg_off, 32);
	assert_int_equal((long long)s.args[1].val_off, -8);
	assert_false(s.args[1].arg_signed);
	assert_int_equal(s.args[1].arg_bitshift, 0);

	assert_int_equal(s.args[2].arg_type, EVBPF_USDT_ARG_CONST);
	assert_int_equal(s.args[2].val_off, 5);
	assert_int_equal(s.args[2].arg_bitshift, 32);

	assert_int_equal(s.args[3].reg_off, 72);
	assert_int_equal(s.args[3].arg_bitshift, 56);
	assert_true(s.args[3].arg_signed);

	assert_int_equal(s.args[4].arg_type, EVBPF_USDT_ARG_REG_DEREF);
	assert_int_equal(s.args[4].reg_off, 152);
	assert_int_equal(s.args[4].val_off, 0);
	assert_int_equal(s.args[4].arg_bitshift, 48);

	assert_int_equal((long long)s.args[5].val_off, -3);
	assert_int_equal(s.args[6].reg_off, 112);

	assert_int_equal(evbpf__usdt_parse_args("", &s, "test"), 0);
	assert_int_equal(s.arg_cnt, 0);
}

static void test_parse_args_bad(void **state)
{
	struct evbpf__usdt_spec s;

	evbpf_test_capture_log();
	assert_int_equal(evbpf__usdt_parse_args("3@%eax", &s, "site-a"), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "site-a"));
	assert_int_equal(evbpf__usdt_parse_args("4%eax", &s, "t"), -EINVAL);
	assert_int_equal(evbpf__usdt_parse_args("4@", &s, "t"), -EINVAL);
	assert_int_equal(evbpf__usdt_parse_args("8@%xmm0", &s, "t"), -EOPNOTSUPP);
	assert_int_equal(evbpf__usdt_parse_args("8@(%rax,%rbx,8)", &s, "t"),
			 -EOPNOTSUPP);
	assert_int_equal(evbpf__usdt_parse_args("8@8(%rax", &s, "t"), -EINVAL);
	assert_int_equal(evbpf__usdt_parse_args(
		"8@$1 8@$1 8@$1 8@$1 8@$1 8@$1 8@$1 8@$1 8@$1 8@$1 8@$1 8@$1 8@$1",
		&s, "t"), -E2BIG);
	assert_non_null(strstr(evbpf_test_log(), "unsupported"));
}

static void test_layout(void **state)
{
	/* the BPF side reads these bytes: libbpf's layout */
	assert_int_equal(sizeof(struct evbpf__usdt_arg_spec), 16);
	assert_int_equal(offsetof(struct evbpf__usdt_spec, usdt_cookie), 192);
	assert_int_equal(offsetof(struct evbpf__usdt_spec, arg_cnt), 200);
	assert_int_equal(sizeof(struct evbpf__usdt_spec), 208);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes_of_self),
		cmocka_unit_test(test_notes_bad_file),
		cmocka_unit_test(test_notes_malformed),
		cmocka_unit_test(test_parse_args),
		cmocka_unit_test(test_parse_args_bad),
		cmocka_unit_test(test_layout),
	};

	return cmocka_run_group_tests_name("usdt_parse", tests,
					   evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
