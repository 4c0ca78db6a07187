// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel CPU lists (/sys/devices/system/cpu/{possible,online}, "0-3,5"):
 * one parser, and the count of possible CPUs, which cannot change while
 * the system runs, read once per process.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "base_internal.h"

int evbpf__parse_cpu_list(const char *path, bool **mask, int *cnt)
{
	char buf[4096], *p, *end;
	int fd, len, hi = -1, i;
	long a, b;
	bool *m;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	if (len < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[len] = '\0';

	/* first pass: the highest CPU */
	for (p = buf; *p && *p != '\n';) {
		a = strtol(p, &end, 10);
		if (end == p || a < 0)
			goto bad;
		b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a)
				goto bad;
		}
		if (b > 65535)
			goto bad;
		hi = evbpf__max(hi, (int)b);
		p = *end == ',' ? end + 1 : end;
	}
	if (hi < 0)
		goto bad;
	m = calloc(hi + 1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (p = buf; *p && *p != '\n';) {
		a = strtol(p, &end, 10);
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (i = (int)a; i <= (int)b; i++)
			m[i] = true;
		p = *end == ',' ? end + 1 : end;
	}
	*mask = m;
	*cnt = hi + 1;
	return 0;
bad:
	pr_warn("cannot parse CPU list in %s", path);
	return -EINVAL;
}

int evbpf__possible_cpus(void)
{
	static int cached;
	bool *mask = NULL;
	int cnt, n = 0, i, err;

	cnt = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
	if (cnt > 0)
		return cnt;
	err = evbpf__parse_cpu_list("/sys/devices/system/cpu/possible", &mask, &n);
	if (err)
		return err;
	for (cnt = 0, i = 0; i < n; i++)
		cnt += mask[i];
	free(mask);
	__atomic_store_n(&cached, cnt, __ATOMIC_RELEASE);
	return cnt;
}
