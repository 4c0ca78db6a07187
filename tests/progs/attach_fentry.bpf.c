// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Trampoline programs (fentry, fexit, fmod_ret, lsm): this kernel refuses
 * them at load with EPERM; the test checks the error. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include "attach_common.h"

char LICENSE[] SEC("license") = "GPL";

SEC("fentry/do_nanosleep")
int fe(__u64 *ctx)
{
	if (mine())
		bump(0);
	return 0;
}

SEC("fexit/do_nanosleep")
int fx(__u64 *ctx)
{
	if (mine())
		bump(1);
	return 0;
}

SEC("fmod_ret/security_file_open")
int fm(__u64 *ctx)
{
	return 0;
}

SEC("lsm/file_open")
int lsm_open(__u64 *ctx)
{
	return 0;
}
