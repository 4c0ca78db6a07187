// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object lifecycle: open (parsing, elf_parse.c), prepare (externs,
 * BTF, maps, relocation), load (programs), close; plus the object-level
 * queries, iteration and pinning of the public API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <libelf.h>

#include "bpf/bpf.h"
#include "bpf/btf.h"
#include "core/core_internal.h"
#include "externs_internal.h"
#include "object_internal.h"

/* ---- open ---- */

static char *name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strchr(base, '.');
	return strndup(base, dot ? (size_t)(dot - base) : strlen(base));
}

static int copy_opts(struct bpf_object *obj, const struct bpf_object_open_opts *opts)
{
	const char *s;

	obj->relaxed_maps = OPTS_GET(opts, relaxed_maps, false);
	obj->log_buf = OPTS_GET(opts, kernel_log_buf, NULL);
	obj->log_size = OPTS_GET(opts, kernel_log_size, 0);
	obj->log_level = OPTS_GET(opts, kernel_log_level, 0);
	if (!!obj->log_buf != !!obj->log_size || obj->log_size > UINT32_MAX)
		return -EINVAL;
	if ((s = OPTS_GET(opts, pin_root_path, NULL)) && !(obj->pin_root_path = strdup(s)))
		return -ENOMEM;
	if ((s = OPTS_GET(opts, kconfig, NULL)) && !(obj->kconfig = strdup(s)))
		return -ENOMEM;
	if ((s = OPTS_GET(opts, btf_custom_path, NULL)) && !(obj->btf_custom_path = strdup(s)))
		return -ENOMEM;
	return 0;
}

static struct bpf_object *open_buf(void *buf, size_t size, const char *path,
				   const struct bpf_object_open_opts *opts)
{
	const char *name = OPTS_GET(opts, object_name, NULL);
	struct bpf_object *obj;
	char tmp[64];
	int err;

	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		free(buf);
		return evbpf__err_ptr(-ENOMEM);
	}
	obj->elf_buf = buf;
	obj->elf_size = size;
	obj->text_sec = obj->maps_sec = obj->legacy_maps_sec = obj->kcfg_map = -1;
	if (name) {
		obj->name = strdup(name);
	} else if (path) {
		obj->name = name_from_path(path);
	} else {
		snprintf(tmp, sizeof(tmp), "%lx-%zx", (unsigned long)buf, size);
		obj->name = strdup(tmp);
	}
	if (path)
		obj->path = strdup(path);
	err = (!obj->name || (path && !obj->path)) ? -ENOMEM : copy_opts(obj, opts);
	if (!err)
		err = evbpf__elf_parse(obj);
	if (!err)
		err = evbpf__obj_externs_collect(obj);
	if (err) {
		bpf_object__close(obj);
		return evbpf__err_ptr(err);
	}
	return obj;
}

LIBBPF_API struct bpf_object *
bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
		     const struct bpf_object_open_opts *opts)
{
	void *copy;

	if (!obj_buf || !obj_buf_sz)
		return evbpf__err_ptr(-EINVAL);
	if (!OPTS_VALID(opts, bpf_object_open_opts, kernel_log_level))
		return evbpf__err_ptr(-EINVAL);
	copy = malloc(obj_buf_sz);
	if (!copy)
		return evbpf__err_ptr(-ENOMEM);
	memcpy(copy, obj_buf, obj_buf_sz);
	return open_buf(copy, obj_buf_sz, NULL, opts);
}

LIBBPF_API struct bpf_object *
bpf_object__open_file(const char *path, const struct bpf_object_open_opts *opts)
{
	struct stat st;
	size_t done = 0;
	void *buf;
	int fd, err;

	if (!path)
		return evbpf__err_ptr(-EINVAL);
	if (!OPTS_VALID(opts, bpf_object_open_opts, kernel_log_level))
		return evbpf__err_ptr(-EINVAL);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		pr_warn("%s: cannot open: %d", path, err);
		return evbpf__err_ptr(err);
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		err = -EINVAL;
		close(fd);
		pr_warn("%s: not a regular, non-empty file", path);
		return evbpf__err_ptr(err);
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		close(fd);
		return evbpf__err_ptr(-ENOMEM);
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, (char *)buf + done, (size_t)st.st_size - done);

		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			close(fd);
			free(buf);
			return evbpf__err_ptr(err);
		}
		done += (size_t)n;
	}
	close(fd);
	return open_buf(buf, done, path, opts);
}

LIBBPF_API struct bpf_object *bpf_object__open(const char *path)
{
	return bpf_object__open_file(path, NULL);
}

/* ---- prepare / load / close ---- */

static void unload_all(struct bpf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++)
		bpf_program__unload(&obj->progs[i]);
	for (i = 0; i < obj->nr_maps; i++) {
		struct bpf_map *map = &obj->maps[i];

		/* a pin made by this load goes with it */
		if (map->pinned && !map->reused && map->pin_path) {
			unlink(map->pin_path);
			map->pinned = false;
		}
		evbpf__map_unload(map);
	}
}

static void release_load_state(struct bpf_object *obj)
{
	evbpf__core_free(obj->core);
	obj->core = NULL;
	evbpf__externs_free(obj->exts, obj->nr_exts);
	obj->exts = NULL;
	obj->nr_exts = 0;
}

static int fail(struct bpf_object *obj, int err)
{
	unload_all(obj);
	release_load_state(obj);
	obj->failed = true;
	return evbpf__err(err);
}

LIBBPF_API int bpf_object__prepare(struct bpf_object *obj)
{
	int err;

	if (!obj)
		return evbpf__err(-EINVAL);
	if (obj->failed) {
		pr_warn("%s: an earlier load failed; close the object", obj->name);
		return evbpf__err(-EINVAL);
	}
	if (obj->prepared)
		return 0;
	err = evbpf__obj_externs_resolve(obj);
	if (!err)
		err = evbpf__btf_load_sanitized(obj);
	if (!err && obj->btf && obj->btf_ext) {
		struct evbpf__core_opts copts = {
			.obj_name = obj->name,
			.local_btf = obj->btf,
			.btf_ext = obj->btf_ext,
			.btf_custom_path = obj->btf_custom_path,
		};

		obj->core = evbpf__core_new(&copts);
		if (!obj->core)
			err = -errno;
	}
	if (!err)
		err = evbpf__struct_ops_prepare(obj);
	if (!err)
		err = evbpf__maps_create(obj);
	if (!err)
		err = evbpf__maps_init_slots(obj, false);
	if (!err)
		err = evbpf__relocate(obj);
	if (err)
		return fail(obj, err);
	obj->prepared = true;
	return 0;
}

LIBBPF_API int bpf_object__load(struct bpf_object *obj)
{
	size_t i;
	int err;

	if (!obj)
		return evbpf__err(-EINVAL);
	if (obj->loaded) {
		pr_warn("%s: already loaded", obj->name);
		return evbpf__err(-EINVAL);
	}
	err = bpf_object__prepare(obj);
	if (err)
		return err;
	for (i = 0; i < obj->nr_progs; i++) {
		struct bpf_program *prog = &obj->progs[i];

		if (!prog->autoload) {
			pr_debug("%s: prog '%s': not loaded (autoload off)", obj->name, prog->name);
			continue;
		}
		if (prog->type == BPF_PROG_TYPE_STRUCT_OPS && !prog->attach_btf_id &&
		    !prog->user_insns) {
			/* no struct_ops map uses it: nothing to load it for */
			pr_debug("%s: prog '%s': no struct_ops map refers to it; not loaded",
				 obj->name, prog->name);
			continue;
		}
		err = evbpf__prog_load(obj, prog);
		if (err)
			return fail(obj, err);
	}
	err = evbpf__maps_init_slots(obj, true);
	if (!err)
		err = evbpf__struct_ops_fill_progs(obj);
	if (err)
		return fail(obj, err);
	release_load_state(obj);
	obj->loaded = true;
	return 0;
}

LIBBPF_API void bpf_object__close(struct bpf_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->nr_progs; i++)
		evbpf__prog_free(&obj->progs[i]);
	free(obj->progs);
	for (i = 0; i < obj->nr_maps; i++)
		evbpf__map_free(&obj->maps[i]);
	free(obj->maps);
	release_load_state(obj);
	btf_ext__free(obj->btf_ext);
	btf__free(obj->btf);
	evbpf__elf_free(obj);
	free(obj->elf_buf);
	free(obj->name);
	free(obj->path);
	free(obj->pin_root_path);
	free(obj->kconfig);
	free(obj->btf_custom_path);
	free(obj);
}

/* ---- queries ---- */

LIBBPF_API const char *bpf_object__name(const struct bpf_object *obj)
{
	return obj ? obj->name : NULL;
}

const char *evbpf__obj_name(const struct bpf_object *obj)
{
	return bpf_object__name(obj);
}

LIBBPF_API unsigned int bpf_object__kversion(const struct bpf_object *obj)
{
	return obj ? obj->kern_version : 0;
}

LIBBPF_API int bpf_object__set_kversion(struct bpf_object *obj, __u32 kern_version)
{
	if (!obj)
		return evbpf__err(-EINVAL);
	if (obj->loaded)
		return evbpf__err(-EINVAL);
	obj->kern_version = kern_version;
	return 0;
}

LIBBPF_API struct btf *bpf_object__btf(const struct bpf_object *obj)
{
	return obj ? obj->btf : NULL;
}

LIBBPF_API int bpf_object__btf_fd(const struct bpf_object *obj)
{
	return obj && obj->btf && obj->btf_loaded ? btf__fd(obj->btf) : -1;
}

LIBBPF_API struct bpf_program *
bpf_object__find_program_by_name(const struct bpf_object *obj, const char *name)
{
	size_t i;

	if (obj && name)
		for (i = 0; i < obj->nr_progs; i++)
			if (!strcmp(obj->progs[i].name, name))
				return &obj->progs[i];
	errno = ENOENT;
	return NULL;
}

LIBBPF_API struct bpf_program *
bpf_object__next_program(const struct bpf_object *obj, struct bpf_program *prog)
{
	size_t idx;

	if (!obj || !obj->nr_progs)
		return NULL;
	if (!prog)
		return &obj->progs[0];
	idx = (size_t)(prog - obj->progs) + 1;
	return idx < obj->nr_progs ? &obj->progs[idx] : NULL;
}

LIBBPF_API struct bpf_program *
bpf_object__prev_program(const struct bpf_object *obj, struct bpf_program *prog)
{
	if (!obj || !obj->nr_progs)
		return NULL;
	if (!prog)
		return &obj->progs[obj->nr_progs - 1];
	return prog == obj->progs ? NULL : prog - 1;
}

LIBBPF_API struct bpf_map *
bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name)
{
	size_t i;

	if (obj && name)
		for (i = 0; i < obj->nr_maps; i++)
			if (!strcmp(obj->maps[i].name, name) ||
			    (obj->maps[i].real_name && !strcmp(obj->maps[i].real_name, name)))
				return &obj->maps[i];
	errno = ENOENT;
	return NULL;
}

LIBBPF_API int bpf_object__find_map_fd_by_name(const struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map)
		return evbpf__err(-ENOENT);
	return bpf_map__fd(map);
}

LIBBPF_API struct bpf_map *
bpf_object__next_map(const struct bpf_object *obj, const struct bpf_map *map)
{
	size_t idx;

	if (!obj || !obj->nr_maps)
		return NULL;
	if (!map)
		return &obj->maps[0];
	idx = (size_t)(map - obj->maps) + 1;
	return idx < obj->nr_maps ? &obj->maps[idx] : NULL;
}

LIBBPF_API struct bpf_map *
bpf_object__prev_map(const struct bpf_object *obj, const struct bpf_map *map)
{
	if (!obj || !obj->nr_maps)
		return NULL;
	if (!map)
		return &obj->maps[obj->nr_maps - 1];
	return map == obj->maps ? NULL : (struct bpf_map *)map - 1;
}

/* ---- pinning ---- */

static int join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* bpffs refuses '.' in names: "obj.bss" is pinned as "obj_bss". */
static int join_map(char *buf, size_t size, const char *dir, const char *name)
{
	size_t start = strlen(dir) + 1;
	int err = join(buf, size, dir, name);

	for (; !err && buf[start]; start++)
		if (buf[start] == '.')
			buf[start] = '_';
	return err;
}

LIBBPF_API int bpf_object__pin_maps(struct bpf_object *obj, const char *path)
{
	char buf[4096];
	size_t i;
	int err = 0;

	if (!obj)
		return evbpf__err(-EINVAL);
	if (!obj->prepared && !obj->loaded) {
		pr_warn("%s: cannot pin maps of an object that is not loaded", obj->name);
		return evbpf__err(-ENOENT);
	}
	for (i = 0; i < obj->nr_maps; i++) {
		struct bpf_map *map = &obj->maps[i];
		const char *p = NULL;

		if (!map->autocreate || map->fd < 0)
			continue;
		if (path) {
			err = join_map(buf, sizeof(buf), path, map->name);
			if (err)
				break;
			p = buf;
		} else if (!map->pin_path) {
			continue;
		}
		err = bpf_map__pin(map, p);
		if (err)
			break;
	}
	if (!err)
		return 0;
	while (i--) {
		struct bpf_map *map = &obj->maps[i];

		if (map->pinned && map->pin_path)
			bpf_map__unpin(map, NULL);
	}
	return evbpf__err(err);
}

LIBBPF_API int bpf_object__unpin_maps(struct bpf_object *obj, const char *path)
{
	char buf[4096];
	size_t i;
	int err;

	if (!obj)
		return evbpf__err(-EINVAL);
	for (i = 0; i < obj->nr_maps; i++) {
		struct bpf_map *map = &obj->maps[i];
		const char *p = NULL;

		if (path) {
			err = join_map(buf, sizeof(buf), path, map->name);
			if (err)
				return evbpf__err(err);
			p = buf;
		} else if (!map->pin_path) {
			continue;
		}
		if (!map->autocreate)
			continue;
		err = bpf_map__unpin(map, p);
		if (err && err != -ENOENT)
			return err;
	}
	return 0;
}

LIBBPF_API int bpf_object__pin_programs(struct bpf_object *obj, const char *path)
{
	char buf[4096];
	size_t i;
	int err = 0;

	if (!obj || !path)
		return evbpf__err(-EINVAL);
	if (!obj->loaded) {
		pr_warn("%s: cannot pin programs of an object that is not loaded", obj->name);
		return evbpf__err(-ENOENT);
	}
	for (i = 0; i < obj->nr_progs; i++) {
		if (obj->progs[i].fd < 0)
			continue;
		err = join(buf, sizeof(buf), path, obj->progs[i].name);
		if (!err)
			err = bpf_program__pin(&obj->progs[i], buf);
		if (err)
			break;
	}
	if (!err)
		return 0;
	while (i--) {
		if (obj->progs[i].fd >= 0 &&
		    !join(buf, sizeof(buf), path, obj->progs[i].name))
			unlink(buf);
	}
	return evbpf__err(err);
}

LIBBPF_API int bpf_object__unpin_programs(struct bpf_object *obj, const char *path)
{
	char buf[4096];
	size_t i;
	int err;

	if (!obj || !path)
		return evbpf__err(-EINVAL);
	for (i = 0; i < obj->nr_progs; i++) {
		if (obj->progs[i].fd < 0)
			continue;
		err = join(buf, sizeof(buf), path, obj->progs[i].name);
		if (!err)
			err = bpf_program__unpin(&obj->progs[i], buf);
		if (err)
			return err;
	}
	return 0;
}

LIBBPF_API int bpf_object__pin(struct bpf_object *obj, const char *path)
{
	int err = bpf_object__pin_maps(obj, path);

	if (err)
		return err;
	err = bpf_object__pin_programs(obj, path);
	if (err) {
		bpf_object__unpin_maps(obj, path);
		return evbpf__err(err);
	}
	return 0;
}

LIBBPF_API int bpf_object__unpin(struct bpf_object *obj, const char *path)
{
	int err = bpf_object__unpin_maps(obj, path);

	if (err)
		return err;
	return bpf_object__unpin_programs(obj, path);
}
