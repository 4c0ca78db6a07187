// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops through a generated skeleton: the shadow type of the map
 * (skel->struct_ops.evbpf_sk_ca) is written between open and load, a data
 * member (flags) and a program slot (ssthresh), and the kernel's copy of
 * the registered struct shows both; skeleton attach registers the map
 * through its link slot and destroy unregisters it.
 */
#include <errno.h>
#include <stdio.h>

#include "evbpf_test.h"
#include "bpf/btf.h"
#include "skel_struct_ops.skel.h"

#define CA_NAME "evbpf_sk_ca"
#define TCP_CONG_NON_RESTRICTED 0x1

/* Whether @name is in the congestion controls unprivileged users may pick
 * (those registered with TCP_CONG_NON_RESTRICTED). */
static bool cc_allowed(const char *name)
{
	char buf[4096] = "", *tok, *save;
	size_t n;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_allowed_congestion_control", "r");

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, name))
			return true;
	return false;
}

/* Byte offset of member @name of kernel struct @sname. */
static __u32 kern_off(const struct btf *vmlinux, const char *sname, const char *name)
{
	__s32 id = btf__find_by_name_kind(vmlinux, sname, BTF_KIND_STRUCT);
	const struct btf_type *t;
	__u16 i;

	assert_true(id > 0);
	t = btf__type_by_id(vmlinux, id);
	for (i = 0; i < btf_vlen(t); i++)
		if (!strcmp(btf__name_by_offset(vmlinux, btf_members(t)[i].name_off), name))
			return btf_member_bit_offset(t, i) / 8;
	fail_msg("kernel struct %s has no member %s", sname, name);
	return 0;
}

static __u32 prog_id(const struct bpf_program *prog)
{
	return evbpf_test_prog_id(bpf_program__fd(prog));
}

/* What the kernel holds for the registered map: its ssthresh slot (the
 * kernel reports program ids there) and flags. */
static void kern_value(struct skel_struct_ops *skel, __u64 *ssthresh, __u32 *flags)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	__u32 data, zero = 0;
	size_t size = bpf_map__value_size(skel->maps.evbpf_sk_ca);
	char *value = calloc(1, size);

	assert_non_null(vmlinux);
	assert_non_null(value);
	data = kern_off(vmlinux, "bpf_struct_ops_tcp_congestion_ops", "data");
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.evbpf_sk_ca), &zero, value),
			 0);
	memcpy(ssthresh, value + data + kern_off(vmlinux, "tcp_congestion_ops", "ssthresh"),
	       sizeof(*ssthresh));
	memcpy(flags, value + data + kern_off(vmlinux, "tcp_congestion_ops", "flags"),
	       sizeof(*flags));
	free(value);
	btf__free(vmlinux);
}

/* Loads (after @change, when set) and attaches; NULL when the kernel
 * refuses struct_ops programs to this process. */
static struct skel_struct_ops *load_attach(bool change)
{
	struct skel_struct_ops *skel = skel_struct_ops__open();
	int err;

	assert_non_null(skel);
	/* open fills the slots with the compiled programs */
	assert_ptr_equal(skel->struct_ops.evbpf_sk_ca->ssthresh, skel->progs.sk_ssthresh);
	assert_ptr_equal(skel->struct_ops.evbpf_sk_ca->undo_cwnd, skel->progs.sk_undo_cwnd);
	assert_int_equal(skel->struct_ops.evbpf_sk_ca->flags, 0);
	if (change) {
		skel->struct_ops.evbpf_sk_ca->flags = TCP_CONG_NON_RESTRICTED;
		skel->struct_ops.evbpf_sk_ca->ssthresh = skel->progs.sk_ssthresh_alt;
	}
	err = skel_struct_ops__load(skel);
	if (err == -EPERM) {
		skel_struct_ops__destroy(skel);
		return NULL;
	}
	assert_int_equal(err, 0);
	assert_int_equal(skel_struct_ops__attach(skel), 0);
	assert_non_null(skel->links.evbpf_sk_ca);
	return skel;
}

static void test_shadow_defaults(void **state)
{
	struct skel_struct_ops *skel = load_attach(false);
	__u64 ssthresh;
	__u32 flags;

	if (!skel)
		EVBPF_SKIP("the kernel refuses struct_ops programs (EPERM)");
	assert_true(evbpf_test_tcp_cc_usable(CA_NAME));
	assert_false(cc_allowed(CA_NAME));
	kern_value(skel, &ssthresh, &flags);
	assert_int_equal(ssthresh, prog_id(skel->progs.sk_ssthresh));
	assert_int_equal(flags, 0);
	/* no slot names the alternative: it is not loaded */
	assert_true(bpf_program__fd(skel->progs.sk_ssthresh_alt) < 0);
	skel_struct_ops__destroy(skel);
	assert_false(evbpf_test_tcp_cc_usable(CA_NAME));
}

static void test_shadow_changed(void **state)
{
	struct skel_struct_ops *skel = load_attach(true);
	__u64 ssthresh;
	__u32 flags;

	if (!skel)
		EVBPF_SKIP("the kernel refuses struct_ops programs (EPERM)");
	assert_true(evbpf_test_tcp_cc_usable(CA_NAME));
	/* the flag the shadow set: registered as non-restricted */
	assert_true(cc_allowed(CA_NAME));
	kern_value(skel, &ssthresh, &flags);
	assert_int_equal(flags, TCP_CONG_NON_RESTRICTED);
	/* the slot the shadow changed: the alternative program, loaded; the
	 * one it replaced is in no slot and not loaded */
	assert_true(bpf_program__fd(skel->progs.sk_ssthresh_alt) >= 0);
	assert_int_equal(ssthresh, prog_id(skel->progs.sk_ssthresh_alt));
	assert_true(bpf_program__fd(skel->progs.sk_ssthresh) < 0);
	skel_struct_ops__detach(skel);
	assert_null(skel->links.evbpf_sk_ca);
	assert_false(evbpf_test_tcp_cc_usable(CA_NAME));
	skel_struct_ops__destroy(skel);
}

static void test_shadow_bad_slot(void **state)
{
	struct skel_struct_ops *skel = skel_struct_ops__open();
	struct bpf_program *not_a_prog = (struct bpf_program *)&skel->progs;

	assert_non_null(skel);
	evbpf_test_capture_log();
	skel->struct_ops.evbpf_sk_ca->cong_avoid = not_a_prog;
	assert_int_equal(skel_struct_ops__load(skel), -EINVAL);
	assert_non_null(strstr(evbpf_test_log(),
			       "function pointer slot holds no program of this object: "
			       "'cong_avoid'"));
	skel_struct_ops__destroy(skel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shadow_defaults),
		cmocka_unit_test(test_shadow_changed),
		cmocka_unit_test(test_shadow_bad_slot),
	};

	return cmocka_run_group_tests_name("skel_struct_ops", tests, evbpf_test_fd_setup,
					   evbpf_test_fd_teardown);
}
