// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tracefs and perf PMU lookups: where tracefs lives, tracepoint ids, the
 * legacy kprobe_events/uprobe_events files, and the sysfs description of the
 * kprobe/uprobe PMUs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "attach_internal.h"

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

static const char *tracefs_root;
static pthread_once_t tracefs_once = PTHREAD_ONCE_INIT;

static bool is_tracefs(const char *dir)
{
	struct statfs st;

	return statfs(dir, &st) == 0 && st.f_type == TRACEFS_MAGIC;
}

static void find_tracefs(void)
{
	if (is_tracefs("/sys/kernel/tracing")) {
		tracefs_root = "/sys/kernel/tracing";
		return;
	}
	if (is_tracefs("/sys/kernel/debug/tracing")) {
		tracefs_root = "/sys/kernel/debug/tracing";
		return;
	}
	/* Neither is mounted: mount tracefs where it belongs (needs root). */
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
	    is_tracefs("/sys/kernel/tracing")) {
		pr_info("mounted tracefs at /sys/kernel/tracing");
		tracefs_root = "/sys/kernel/tracing";
		return;
	}
	pr_warn("tracefs not found at /sys/kernel/tracing or /sys/kernel/debug/tracing and mounting it failed: %s",
		strerror(errno));
}

const char *evbpf__tracefs_root(void)
{
	pthread_once(&tracefs_once, find_tracefs);
	return tracefs_root;
}

static int tracefs_path(const char *rel, char *buf, size_t size)
{
	const char *root = evbpf__tracefs_root();

	if (!root)
		return -ENOENT;
	if ((size_t)snprintf(buf, size, "%s/%s", root, rel) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int evbpf__tracefs_open(const char *rel, int flags)
{
	char path[PATH_MAX];
	int ret = tracefs_path(rel, path, sizeof(path));

	if (ret < 0)
		return ret;
	ret = open(path, flags | O_CLOEXEC);
	return ret < 0 ? -errno : ret;
}

bool evbpf__tracefs_has(const char *rel)
{
	char path[PATH_MAX];

	return tracefs_path(rel, path, sizeof(path)) == 0 &&
	       access(path, F_OK) == 0;
}

int evbpf__tracefs_write(const char *rel, const char *cmd)
{
	size_t len = strlen(cmd);
	ssize_t n;
	int fd, ret = 0;

	fd = evbpf__tracefs_open(rel, O_WRONLY | O_APPEND);
	if (fd < 0)
		return fd;
	n = write(fd, cmd, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

/* Reads a small decimal or "config:N" style file into @buf. */
static int read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return 0;
}

int evbpf__tracefs_event_id(const char *category, const char *name)
{
	char rel[PATH_MAX], path[PATH_MAX], buf[32];
	char *end;
	long id;
	int ret;

	if ((size_t)snprintf(rel, sizeof(rel), "events/%s/%s/id", category,
			     name) >= sizeof(rel))
		return -ENAMETOOLONG;
	ret = tracefs_path(rel, path, sizeof(path));
	if (ret < 0)
		return ret;
	ret = read_small(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	errno = 0;
	id = strtol(buf, &end, 10);
	if (errno || end == buf || id < 0 || id > INT32_MAX)
		return -EINVAL;
	return (int)id;
}

int evbpf__pmu_type(const char *pmu)
{
	char path[PATH_MAX], buf[32];
	char *end;
	long type;
	int ret;

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", pmu);
	ret = read_small(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	type = strtol(buf, &end, 10);
	if (end == buf || type < 0 || type > INT32_MAX)
		return -EINVAL;
	return (int)type;
}

int evbpf__pmu_retprobe_bit(const char *pmu)
{
	char path[PATH_MAX], buf[32];
	int bit, ret;

	snprintf(path, sizeof(path),
		 "/sys/bus/event_source/devices/%s/format/retprobe", pmu);
	ret = read_small(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	if (sscanf(buf, "config:%d", &bit) != 1 || bit < 0 || bit > 63)
		return -EINVAL;
	return bit;
}
