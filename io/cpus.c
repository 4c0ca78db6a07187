// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Per-CPU counter sums, used by the drop accounting of ring buffers (CPU
 * lists are parsed by lib/base/cpus.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "bpf/bpf.h"
#include "io_internal.h"

int evbpf__percpu_sum(int map_fd, __u64 *sum)
{
	__u32 key = 0;
	__u64 *vals;
	int n, i, err;

	n = evbpf__possible_cpus();
	if (n < 0)
		return n;
	vals = calloc(n, sizeof(*vals));
	if (!vals) {
		pr_warn("map fd %d: no memory for the values of %d CPUs", map_fd, n);
		return -ENOMEM;
	}
	err = bpf_map_lookup_elem(map_fd, &key, vals);
	if (err) {
		err = -errno;
		free(vals);
		return err;
	}
	*sum = 0;
	for (i = 0; i < n; i++)
		*sum += vals[i];
	free(vals);
	return 0;
}
