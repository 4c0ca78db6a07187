// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading BTF from files: raw BTF blobs and the .BTF/.BTF.ext sections of
 * ELF objects (through libelf).
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf_layout_internal.h"

/* Reads all of @path into a malloc'ed buffer. */
static int read_all(const char *path, void **out, __u32 *size)
{
	size_t cap = 0, len = 0;
	struct stat st;
	void *buf = NULL;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* One allocation when the size is known (sysfs reports it too). */
	if (fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size < UINT32_MAX)
		err = evbpf__btf_grow(&buf, &cap, (size_t)st.st_size + 1);
	for (; !err;) {
		ssize_t n;

		if (len == cap) {
			err = evbpf__btf_grow(&buf, &cap, cap ? cap * 2 : 1 << 16);
			if (err)
				break;
		}
		n = read(fd, (char *)buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > UINT32_MAX) {
			err = -E2BIG;
			break;
		}
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	*size = (__u32)len;
	return 0;
}

static struct btf *parse_raw(const char *path, struct btf *base)
{
	struct btf *btf;
	void *data = NULL;
	__u32 size = 0;
	int err;

	err = read_all(path, &data, &size);
	if (err) {
		pr_debug("BTF %s: cannot read: %d", path, err);
		return evbpf__err_ptr(err);
	}
	btf = evbpf__btf_parse_data(data, size, base, path);
	err = btf ? 0 : -errno;
	free(data);
	return btf ? btf : evbpf__err_ptr(err);
}

struct btf *btf__parse_raw(const char *path)
{
	return parse_raw(path, NULL);
}

struct btf *btf__parse_raw_split(const char *path, struct btf *base_btf)
{
	return parse_raw(path, base_btf);
}

static Elf_Data *section_data(Elf_Scn *scn)
{
	Elf_Data *d = elf_getdata(scn, NULL);

	return d && d->d_buf ? d : NULL;
}

static struct btf *parse_elf(const char *path, struct btf *base,
			     struct btf_ext **btf_ext)
{
	Elf_Data *btf_data = NULL, *ext_data = NULL;
	struct btf *btf = NULL;
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	Elf *elf = NULL;
	GElf_Ehdr ehdr;
	int fd, err = -EINVAL;

	if (btf_ext)
		*btf_ext = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		pr_warn("BTF %s: libelf initialisation failed", path);
		return evbpf__err_ptr(-LIBBPF_ERRNO__LIBELF);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		pr_warn("BTF %s: cannot open: %d", path, err);
		return evbpf__err_ptr(err);
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr) ||
	    elf_getshdrstrndx(elf, &shstrndx)) {
		pr_warn("BTF %s: not a valid ELF file: %s", path, elf_errmsg(-1));
		err = -LIBBPF_ERRNO__FORMAT;
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (strcmp(name, BTF_ELF_SEC) == 0)
			btf_data = section_data(scn);
		else if (strcmp(name, BTF_EXT_ELF_SEC) == 0)
			ext_data = section_data(scn);
	}
	if (!btf_data) {
		pr_debug("BTF %s: no %s section", path, BTF_ELF_SEC);
		err = -ENODATA;
		goto out;
	}
	if (btf_data->d_size > UINT32_MAX) {
		err = -E2BIG;
		goto out;
	}
	btf = evbpf__btf_parse_data(btf_data->d_buf, (__u32)btf_data->d_size, base, path);
	if (!btf) {
		err = -errno;
		goto out;
	}
	if (!btf->ptr_sz)
		btf->ptr_sz = ehdr.e_ident[EI_CLASS] == ELFCLASS32 ? 4 : 8;
	if (btf_ext && ext_data) {
		*btf_ext = btf_ext__new(ext_data->d_buf, (__u32)ext_data->d_size);
		if (!*btf_ext) {
			err = -errno;
			pr_warn("BTF %s: bad %s section", path, BTF_EXT_ELF_SEC);
			btf__free(btf);
			btf = NULL;
			goto out;
		}
	}
	err = 0;
out:
	elf_end(elf);
	close(fd);
	return btf ? btf : evbpf__err_ptr(err);
}

struct btf *btf__parse_elf(const char *path, struct btf_ext **btf_ext)
{
	return parse_elf(path, NULL, btf_ext);
}

struct btf *btf__parse_elf_split(const char *path, struct btf *base_btf)
{
	return parse_elf(path, base_btf, NULL);
}

static bool is_elf(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ret;

	if (fd < 0)
		return false;
	ret = read(fd, magic, 4) == 4 && memcmp(magic, ELFMAG, SELFMAG) == 0;
	close(fd);
	return ret;
}

static struct btf *parse_any(const char *path, struct btf *base, struct btf_ext **ext)
{
	if (ext)
		*ext = NULL;
	if (!path)
		return evbpf__err_ptr(-EINVAL);
	if (access(path, R_OK))
		return evbpf__err_ptr(-errno);
	if (is_elf(path))
		return parse_elf(path, base, ext);
	return parse_raw(path, base);
}

struct btf *btf__parse(const char *path, struct btf_ext **btf_ext)
{
	return parse_any(path, NULL, btf_ext);
}

struct btf *btf__parse_split(const char *path, struct btf *base_btf)
{
	return parse_any(path, base_btf, NULL);
}
