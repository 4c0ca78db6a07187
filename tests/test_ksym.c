// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * .ksyms externs of tests/progs/core_externs.bpf.c resolved on the running
 * kernel: typeless symbols against /proc/kallsyms, typed variables and
 * kfuncs (one with a ___flavor suffix) against /sys/kernel/btf/vmlinux,
 * weak ones left unresolved, strong missing and incompatible ones refused.
 */
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#include <bpf/btf.h>
#include "btf/btf_internal.h"
#include "object/externs_internal.h"
#include "evbpf_test.h"

struct fx {
	struct btf *btf;
	struct evbpf__ext *exts;
	size_t cnt, kcfg_sz;
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
	for (i = 0; i < f->cnt; i++)
		f->exts[i].is_weak = strstr(f->exts[i].name, "no_such") ||
				     !strcmp(f->exts[i].name, "bpf_task_acquire");
}

static void fx_close(struct fx *f)
{
	evbpf__externs_free(f->exts, f->cnt);
	btf__free(f->btf);
}

static unsigned long long kallsyms_addr(const char *name)
{
	char line[512], sym[256], t;
	unsigned long long a, found = 0;
	FILE *fp = fopen("/proc/kallsyms", "r");

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "%llx %c %255s", &a, &t, sym) == 3 && !strcmp(sym, name)) {
			found = a;
			break;
		}
	fclose(fp);
	return found;
}

static const struct btf *vmlinux(void)
{
	const struct btf *v = evbpf__vmlinux_btf(NULL);

	if (!v)
		EVBPF_SKIP("kernel BTF (/sys/kernel/btf/vmlinux)");
	return v;
}

static void test_resolve(void **state)
{
	const struct btf *v = vmlinux();
	struct evbpf__ext *e;
	struct fx f;

	fx_open(&f);
	assert_int_equal(evbpf__ksym_resolve("core_externs", f.btf, f.exts, f.cnt), 0);

	e = ext(&f, "_stext");
	assert_true(e->is_set);
	assert_int_not_equal(e->ksym.addr, 0);
	assert_int_equal(e->ksym.addr, kallsyms_addr("_stext"));
	e = ext(&f, "evt_no_such_symbol");
	assert_false(e->is_set);
	assert_int_equal(e->ksym.addr, 0);

	e = ext(&f, "cpu_number");
	assert_true(e->is_set);
	assert_int_equal(e->ksym.kernel_btf_id, btf__find_by_name_kind(v, "cpu_number", BTF_KIND_VAR));
	assert_int_equal(e->ksym.btf_fd, -1);
	assert_string_equal(e->ksym.module, "vmlinux");
	assert_false(ext(&f, "evt_no_such_var")->is_set);

	e = ext(&f, "bpf_rcu_read_lock");
	assert_true(e->is_set);
	assert_int_equal(e->ksym.kernel_btf_id,
			 btf__find_by_name_kind(v, "bpf_rcu_read_lock", BTF_KIND_FUNC));
	/* the flavor suffix is ignored */
	e = ext(&f, "bpf_rcu_read_unlock___v2");
	assert_true(e->is_set);
	assert_int_equal(e->ksym.kernel_btf_id,
			 btf__find_by_name_kind(v, "bpf_rcu_read_unlock", BTF_KIND_FUNC));
	e = ext(&f, "bpf_task_acquire");
	assert_true(e->is_set);
	assert_int_equal(e->ksym.kernel_btf_id,
			 btf__find_by_name_kind(v, "bpf_task_acquire", BTF_KIND_FUNC));
	assert_false(ext(&f, "evt_no_such_kfunc")->is_set);
	fx_close(&f);
}

static void test_strong_missing(void **state)
{
	struct fx f;

	vmlinux();
	fx_open(&f);
	ext(&f, "evt_no_such_var")->is_weak = false;
	evbpf_test_capture_log();
	assert_int_equal(evbpf__ksym_resolve("core_externs", f.btf, f.exts, f.cnt), -ESRCH);
	assert_non_null(strstr(evbpf_test_log(), "evt_no_such_var"));
	evbpf_test_log_reset();
	fx_close(&f);

	fx_open(&f);
	ext(&f, "evt_no_such_symbol")->is_weak = false;
	evbpf_test_capture_log();
	assert_int_equal(evbpf__ksym_resolve("core_externs", f.btf, f.exts, f.cnt), -ESRCH);
	assert_non_null(strstr(evbpf_test_log(), "evt_no_such_symbol"));
	evbpf_test_log_reset();
	fx_close(&f);
}

/* A typed ksym whose local type does not fit the kernel's. */
static void test_incompatible(void **state)
{
	struct evbpf__ext *exts;
	struct btf *b;
	size_t cnt, sz;
	int i, st, v, sec;

	vmlinux();
	b = btf__new_empty();
	assert_non_null(b);
	i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	st = btf__add_struct(b, "s", 4);
	btf__add_field(b, "x", i, 0, 0);
	v = btf__add_var(b, "cpu_number", BTF_VAR_GLOBAL_EXTERN, st);
	sec = btf__add_datasec(b, ".ksyms", 0);
	assert_true(v > 0 && sec > 0);
	assert_int_equal(btf__add_datasec_var_info(b, v, 0, 4), 0);
	assert_int_equal(evbpf__externs_collect("bad", b, &exts, &cnt, &sz), 0);
	assert_int_equal(cnt, 1);
	evbpf_test_capture_log();
	assert_int_equal(evbpf__ksym_resolve("bad", b, exts, cnt), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(), "cpu_number"));
	evbpf_test_log_reset();
	evbpf__externs_free(exts, cnt);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_strong_missing),
		cmocka_unit_test(test_incompatible),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup, evbpf_test_fd_teardown);
}
