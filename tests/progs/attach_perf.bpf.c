// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A perf_event program counting samples of a software event. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include "attach_common.h"

char LICENSE[] SEC("license") = "GPL";

SEC("perf_event")
int on_sample(void *ctx)
{
	if (mine()) {
		bump(0);
		put(0, bpf_get_attach_cookie(ctx));
	}
	return 0;
}
