// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * .kconfig externs: collection and layout from the fixture
 * tests/progs/core_externs.bpf.c, values from a kconfig string, from a
 * plain and a gzip'ed config file, from the running kernel's config, the
 * LINUX_* virtual values, weak defaults and bad values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include <bpf/btf.h>
#include "object/externs_internal.h"
#include "evbpf_test.h"

struct fx {
	struct btf *btf;
	struct evbpf__ext *exts;
	size_t cnt, kcfg_sz;
	char data[256];
};

static struct evbpf__ext *ext(struct fx *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->cnt; i++)
		if (strcmp(f->exts[i].name, name) == 0)
			return &f->exts[i];
	fail_msg("no extern %s", name);
	return NULL;
}

static void fx_open(struct fx *f)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->btf = btf__parse_elf(evbpf_test_prog_path("core_externs"), NULL);
	assert_non_null(f->btf);
	assert_int_equal(evbpf__externs_collect("core_externs", f->btf, &f->exts, &f->cnt,
						&f->kcfg_sz), 0);
	assert_true(f->kcfg_sz <= sizeof(f->data));
	/* the ELF symbol bindings the loader would read */
	for (i = 0; i < f->cnt; i++)
		f->exts[i].is_weak = strstr(f->exts[i].name, "no_such") ||
				     !strcmp(f->exts[i].name, "CONFIG_EVT_MISSING") ||
				     !strcmp(f->exts[i].name, "CONFIG_BPF_SYSCALL") ||
				     !strcmp(f->exts[i].name, "bpf_task_acquire");
}

static void fx_close(struct fx *f)
{
	evbpf__externs_free(f->exts, f->cnt);
	btf__free(f->btf);
}

static __u64 val(struct fx *f, const char *name)
{
	struct evbpf__ext *e = ext(f, name);
	__u64 v = 0;

	memcpy(&v, f->data + e->kcfg.data_off, e->kcfg.sz > 8 ? 8 : e->kcfg.sz);
	if (e->kcfg.is_signed && e->kcfg.sz < 8 && (v >> (e->kcfg.sz * 8 - 1)) & 1)
		v |= ~0ULL << (e->kcfg.sz * 8);
	return v;
}

static const char *good_cfg =
	"# comment\n"
	"CONFIG_EVT_BOOL=y\n"
	"CONFIG_EVT_TRI=m\n"
	"CONFIG_EVT_CHAR=m\n"
	"CONFIG_EVT_INT=-5\n"
	"CONFIG_EVT_U64=0x123456789\n"
	"CONFIG_EVT_STR=\"abcdefghij\"\n"
	"# CONFIG_EVT_MISSING is not set\n"
	"CONFIG_BPF_SYSCALL=n\n"
	"CONFIG_EVT_INT=7\n";

static void test_layout(void **state)
{
	struct fx f;
	size_t i, kcfg = 0;

	fx_open(&f);
	assert_int_equal(f.cnt, 19);
	for (i = 0; i < f.cnt; i++)
		kcfg += f.exts[i].type == EVBPF_EXT_KCFG;
	assert_int_equal(kcfg, 11);
	/* by decreasing alignment, then size, then name */
	assert_int_equal(ext(&f, "CONFIG_EVT_U64")->kcfg.data_off, 0);
	assert_int_equal(ext(&f, "CONFIG_EVT_INT")->kcfg.data_off, 8);
	assert_int_equal(ext(&f, "CONFIG_EVT_MISSING")->kcfg.data_off, 12);
	assert_int_equal(ext(&f, "CONFIG_EVT_TRI")->kcfg.data_off, 16);
	assert_int_equal(ext(&f, "LINUX_KERNEL_VERSION")->kcfg.data_off, 20);
	assert_int_equal(ext(&f, "CONFIG_BPF_SYSCALL")->kcfg.data_off, 24);
	assert_int_equal(ext(&f, "CONFIG_EVT_BOOL")->kcfg.data_off, 25);
	assert_int_equal(ext(&f, "CONFIG_EVT_CHAR")->kcfg.data_off, 26);
	assert_int_equal(ext(&f, "LINUX_HAS_BPF_COOKIE")->kcfg.data_off, 27);
	assert_int_equal(ext(&f, "LINUX_HAS_SYSCALL_WRAPPER")->kcfg.data_off, 28);
	assert_int_equal(ext(&f, "CONFIG_EVT_STR")->kcfg.data_off, 29);
	assert_int_equal(f.kcfg_sz, 37);

	assert_int_equal(ext(&f, "CONFIG_EVT_BOOL")->kcfg.type, EVBPF_KCFG_BOOL);
	assert_int_equal(ext(&f, "CONFIG_EVT_TRI")->kcfg.type, EVBPF_KCFG_TRISTATE);
	assert_int_equal(ext(&f, "CONFIG_EVT_CHAR")->kcfg.type, EVBPF_KCFG_CHAR);
	assert_int_equal(ext(&f, "CONFIG_EVT_INT")->kcfg.type, EVBPF_KCFG_INT);
	assert_true(ext(&f, "CONFIG_EVT_INT")->kcfg.is_signed);
	assert_false(ext(&f, "CONFIG_EVT_U64")->kcfg.is_signed);
	assert_int_equal(ext(&f, "CONFIG_EVT_STR")->kcfg.type, EVBPF_KCFG_CHAR_ARR);
	assert_int_equal(ext(&f, "cpu_number")->type, EVBPF_EXT_KSYM);
	assert_true(ext(&f, "bpf_rcu_read_lock")->ksym.is_func);
	assert_int_equal(ext(&f, "_stext")->ksym.type_id, 0);
	assert_int_not_equal(ext(&f, "cpu_number")->ksym.type_id, 0);
	fx_close(&f);
}

static void test_from_string(void **state)
{
	struct utsname u;
	unsigned int a, b, c;
	struct fx f;

	fx_open(&f);
	memset(f.data, 0xaa, sizeof(f.data));
	assert_int_equal(evbpf__kconfig_resolve_file("core_externs", f.exts, f.cnt, good_cfg,
						     "/nonexistent/evbpf-config", f.data), 0);
	assert_int_equal(val(&f, "CONFIG_EVT_BOOL"), 1);
	assert_int_equal(val(&f, "CONFIG_EVT_TRI"), 2);
	assert_int_equal(val(&f, "CONFIG_EVT_CHAR"), 'm');
	/* first value wins */
	assert_int_equal((__s64)val(&f, "CONFIG_EVT_INT"), -5);
	assert_int_equal(val(&f, "CONFIG_EVT_U64"), 0x123456789ULL);
	/* truncated to the array, NUL-terminated */
	assert_string_equal(f.data + ext(&f, "CONFIG_EVT_STR")->kcfg.data_off, "abcdefg");
	assert_int_equal(val(&f, "CONFIG_EVT_MISSING"), 0);
	assert_false(ext(&f, "CONFIG_EVT_MISSING")->is_set);
	assert_int_equal(val(&f, "CONFIG_BPF_SYSCALL"), 0);
	assert_true(ext(&f, "CONFIG_BPF_SYSCALL")->is_set);

	assert_int_equal(uname(&u), 0);
	assert_int_equal(sscanf(u.release, "%u.%u.%u", &a, &b, &c), 3);
	assert_int_equal(val(&f, "LINUX_KERNEL_VERSION"), (a << 16) + (b << 8) + (c > 255 ? 255 : c));
	/* 6.18 has both */
	assert_int_equal(val(&f, "LINUX_HAS_BPF_COOKIE"), 1);
	assert_int_equal(val(&f, "LINUX_HAS_SYSCALL_WRAPPER"), 1);
	fx_close(&f);
}

static void expect_err(const char *cfg, int err)
{
	struct fx f;

	fx_open(&f);
	evbpf_test_capture_log();
	assert_int_equal(evbpf__kconfig_resolve_file("core_externs", f.exts, f.cnt, cfg,
						     "/nonexistent/evbpf-config", f.data), err);
	assert_int_equal(errno, -err);
	assert_non_null(strstr(evbpf_test_log(), "core_externs"));
	evbpf_test_log_reset();
	fx_close(&f);
}

static void test_bad_values(void **state)
{
	char cfg[1024];

	/* every strong extern has a value, except the one under test */
	snprintf(cfg, sizeof(cfg), "CONFIG_EVT_BOOL=m\n%s", good_cfg);
	expect_err(cfg, -EINVAL);
	snprintf(cfg, sizeof(cfg), "CONFIG_EVT_INT=12abc\n%s", good_cfg);
	expect_err(cfg, -EINVAL);
	snprintf(cfg, sizeof(cfg), "CONFIG_EVT_CHAR=300\n%s", good_cfg);
	expect_err(cfg, -ERANGE);
	snprintf(cfg, sizeof(cfg), "CONFIG_EVT_STR=5\n%s", good_cfg);
	expect_err(cfg, -EINVAL);
	snprintf(cfg, sizeof(cfg), "CONFIG_EVT_TRI=\"x\"\n%s", good_cfg);
	expect_err(cfg, -EINVAL);
	snprintf(cfg, sizeof(cfg), "CONFIG_EVT_NOEQ\n%s", good_cfg);
	expect_err(cfg, -EINVAL);
	snprintf(cfg, sizeof(cfg), "CONFIG_EVT_INT=\n%s", good_cfg);
	expect_err(cfg, -EINVAL);
	/* a strong extern without a value */
	expect_err("CONFIG_EVT_BOOL=y\n", -ESRCH);
}

static void write_cfg(const char *path, const char *text, bool gz)
{
	if (gz) {
		gzFile g = gzopen(path, "wb");

		assert_non_null(g);
		assert_int_equal(gzputs(g, text), (int)strlen(text));
		assert_int_equal(gzclose(g), Z_OK);
	} else {
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		assert_int_equal(fputs(text, fp) >= 0, 1);
		fclose(fp);
	}
}

static void test_from_files(void **state)
{
	char path[128];
	struct fx f;
	int gz;

	for (gz = 0; gz < 2; gz++) {
		snprintf(path, sizeof(path), "/tmp/evbpf-test-kconfig-%d-%d%s", (int)getpid(),
			 gz, gz ? ".gz" : "");
		write_cfg(path, good_cfg, gz);
		fx_open(&f);
		/* the option string comes first and wins */
		assert_int_equal(evbpf__kconfig_resolve_file("core_externs", f.exts, f.cnt,
							     "CONFIG_EVT_INT=99\n", path,
							     f.data), 0);
		assert_int_equal(val(&f, "CONFIG_EVT_INT"), 99);
		assert_int_equal(val(&f, "CONFIG_EVT_TRI"), 2);
		assert_int_equal(val(&f, "CONFIG_EVT_U64"), 0x123456789ULL);
		fx_close(&f);
		unlink(path);
	}
}

/* The running kernel's config (/boot/config-* or /proc/config.gz). */
static void test_system_config(void **state)
{
	struct evbpf__ext sub[4];
	const char *keep[] = { "CONFIG_BPF_SYSCALL", "LINUX_KERNEL_VERSION",
			       "CONFIG_EVT_MISSING", "LINUX_HAS_BPF_COOKIE" };
	char buf[64];
	struct fx f;
	size_t i;

	if (access("/proc/config.gz", R_OK) != 0) {
		struct utsname u;
		char boot[300];

		uname(&u);
		snprintf(boot, sizeof(boot), "/boot/config-%s", u.release);
		if (access(boot, R_OK) != 0)
			EVBPF_SKIP("no /proc/config.gz or /boot/config-$(uname -r)");
	}
	fx_open(&f);
	for (i = 0; i < 4; i++)
		sub[i] = *ext(&f, keep[i]);
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(evbpf__kconfig_resolve("core_externs", sub, 4, NULL, buf), 0);
	assert_true(sub[0].is_set);
	assert_int_equal(buf[sub[0].kcfg.data_off], 1);
	assert_false(sub[2].is_set);
	assert_int_equal(buf[sub[2].kcfg.data_off], 0);
	/* and directly from /proc/config.gz */
	if (access("/proc/config.gz", R_OK) == 0) {
		assert_int_equal(evbpf__kconfig_resolve_file("core_externs", sub, 4, NULL,
							     "/proc/config.gz", buf), 0);
		assert_int_equal(buf[sub[0].kcfg.data_off], 1);
	}
	fx_close(&f);
}

static void test_bad_types(void **state)
{
	struct btf *b = btf__new_empty();
	struct evbpf__ext *exts;
	size_t cnt, sz;
	int i, st, v, sec;

	assert_non_null(b);
	i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	st = btf__add_struct(b, "s", 4);
	btf__add_field(b, "x", i, 0, 0);
	v = btf__add_var(b, "CONFIG_EVT_STRUCT", BTF_VAR_GLOBAL_EXTERN, st);
	sec = btf__add_datasec(b, ".kconfig", 0);
	assert_true(v > 0 && sec > 0);
	assert_int_equal(btf__add_datasec_var_info(b, v, 0, 4), 0);
	evbpf_test_capture_log();
	assert_int_equal(evbpf__externs_collect("bad", b, &exts, &cnt, &sz), -ENOTSUP);
	assert_non_null(strstr(evbpf_test_log(), "CONFIG_EVT_STRUCT"));
	assert_null(exts);
	evbpf_test_log_reset();
	btf__free(b);

	/* no extern sections at all */
	b = btf__new_empty();
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	assert_int_equal(evbpf__externs_collect("none", b, &exts, &cnt, &sz), 0);
	assert_int_equal(cnt, 0);
	assert_int_equal(sz, 0);
	evbpf__externs_free(exts, cnt);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_from_string),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_from_files),
		cmocka_unit_test(test_system_config),
		cmocka_unit_test(test_bad_types),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
