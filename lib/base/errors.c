// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Error strings, libbpf_get_error(), option-struct checks, small helpers. */
#include <fcntl.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "base_internal.h"

static const char *const evbpf_errstr[] = {
	[LIBBPF_ERRNO__LIBELF - __LIBBPF_ERRNO__START] = "Something wrong in libelf",
	[LIBBPF_ERRNO__FORMAT - __LIBBPF_ERRNO__START] = "BPF object format invalid",
	[LIBBPF_ERRNO__KVERSION - __LIBBPF_ERRNO__START] = "'version' section incorrect or lost",
	[LIBBPF_ERRNO__ENDIAN - __LIBBPF_ERRNO__START] = "Endian mismatch",
	[LIBBPF_ERRNO__INTERNAL - __LIBBPF_ERRNO__START] = "Internal error in evbpf",
	[LIBBPF_ERRNO__RELOC - __LIBBPF_ERRNO__START] = "Relocation failed",
	[LIBBPF_ERRNO__LOAD - __LIBBPF_ERRNO__START] = "Failed to load program",
	[LIBBPF_ERRNO__VERIFY - __LIBBPF_ERRNO__START] = "Kernel verifier blocks program loading",
	[LIBBPF_ERRNO__PROG2BIG - __LIBBPF_ERRNO__START] = "Program too big",
	[LIBBPF_ERRNO__KVER - __LIBBPF_ERRNO__START] = "Incorrect kernel version",
	[LIBBPF_ERRNO__PROGTYPE - __LIBBPF_ERRNO__START] = "Kernel doesn't support this program type",
	[LIBBPF_ERRNO__WRNGPID - __LIBBPF_ERRNO__START] = "Wrong pid in netlink message",
	[LIBBPF_ERRNO__INVSEQ - __LIBBPF_ERRNO__START] = "Invalid netlink sequence",
	[LIBBPF_ERRNO__NLPARSE - __LIBBPF_ERRNO__START] = "Incorrect netlink message parsing",
};

LIBBPF_API int libbpf_strerror(int err, char *buf, size_t size)
{
	if (!buf || !size)
		return evbpf__err(-EINVAL);
	if (err < 0)
		err = err == INT_MIN ? INT_MAX : -err;	/* -INT_MIN overflows */

	if (err < __LIBBPF_ERRNO__START) {
		/* GNU strerror_r may return a static string instead of filling buf. */
		const char *s = strerror_r(err, buf, size);

		if (s != buf)
			evbpf__strlcpy(buf, s, size);
		return 0;
	}
	if (err < __LIBBPF_ERRNO__END) {
		evbpf__strlcpy(buf, evbpf_errstr[err - __LIBBPF_ERRNO__START], size);
		return 0;
	}
	snprintf(buf, size, "Unknown evbpf error %d", err);
	return evbpf__err(-EINVAL);
}

const char *evbpf__errstr(int err, char *buf, size_t size)
{
	int saved = errno;

	libbpf_strerror(err, buf, size);
	errno = saved;
	return buf;
}

LIBBPF_API long libbpf_get_error(const void *ptr)
{
	return ptr ? 0 : -errno;
}

LIBBPF_API int libbpf_set_strict_mode(enum libbpf_strict_mode mode)
{
	(void)mode;
	return 0;
}

LIBBPF_API __u32 libbpf_major_version(void)
{
	return LIBBPF_MAJOR_VERSION;
}

LIBBPF_API __u32 libbpf_minor_version(void)
{
	return LIBBPF_MINOR_VERSION;
}

#define STR_(x) #x
#define STR(x) STR_(x)

LIBBPF_API const char *libbpf_version_string(void)
{
	return "v" STR(LIBBPF_MAJOR_VERSION) "." STR(LIBBPF_MINOR_VERSION);
}

bool evbpf__opts_valid(const void *opts, size_t known_sz, const char *type_name)
{
	const unsigned char *bytes = opts;
	size_t sz, i;

	if (!opts)
		return true;
	sz = *(const size_t *)opts;
	if (sz < sizeof(size_t)) {
		pr_warn("%s: sz %zu is smaller than its own field", type_name, sz);
		return false;
	}
	for (i = known_sz; i < sz; i++) {
		if (bytes[i]) {
			pr_warn("%s: unknown non-zero byte at offset %zu (sz %zu, known %zu)",
				type_name, i, sz, known_sz);
			return false;
		}
	}
	return true;
}

char *evbpf__strlcpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return dst;
	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return dst;
}

void evbpf__close(int fd)
{
	int saved = errno;

	if (fd >= 0)
		close(fd);
	errno = saved;
}

int evbpf__open_regular(const char *path, off_t *size)
{
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if (size)
		*size = st.st_size;
	return fd;
}

int evbpf__ensure_mem(void **data, size_t *cap, size_t elem_sz, size_t need)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : evbpf__max((size_t)64 / elem_sz, (size_t)4);
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem_sz)
			return -ENOMEM;
		ncap *= 2;
	}
	p = realloc(*data, ncap * elem_sz);
	if (!p)
		return -ENOMEM;
	*data = p;
	*cap = ncap;
	return 0;
}
