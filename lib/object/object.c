// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object lifecycle: open, prepare and load, each a list of steps below
 * (one file per step), and close; plus the object-level queries,
 * iteration and pinning of the public API.
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
#include "sys/features_internal.h"
#include "externs_internal.h"
#include "loader_internal.h"
#include "gen_loader_internal.h"

/* ---- the three phases, each a list of steps run in order ---- */

/* A step reports its own failure (one log line) and returns -errno. */
typedef int (*step_fn)(struct bpf_object *obj);

static int run_steps(struct bpf_object *obj, const step_fn *steps, size_t cnt)
{
	size_t i;
	int err;

	for (i = 0; i < cnt; i++) {
		err = steps[i](obj);
		if (err)
			return err;
	}
	return 0;
}

/* Open: from the owned ELF buffer to a described object; nothing in the
 * kernel yet. */
static const step_fn open_steps[] = {
	evbpf__elf_parse,		/* sections, symbols, functions, .BTF */
	evbpf__progs_collect,		/* programs vs subprograms, SEC() */
	evbpf__btf_fixup,		/* DATASEC sizes, variable offsets */
	evbpf__maps_collect,		/* .maps, maps, global data */
	evbpf__struct_ops_collect,	/* .struct_ops variables */
	evbpf__progs_setup,		/* custom handlers' setup callbacks */
	evbpf__obj_externs_collect,	/* .kconfig, .ksyms */
};

/* CO-RE state of the object, when it has BTF and .BTF.ext. */
static int core_start(struct bpf_object *obj)
{
	struct evbpf__core_opts copts = {
		.obj_name = obj->name,
		.local_btf = obj->btf,
		.btf_ext = obj->btf_ext,
		.btf_custom_path = obj->btf_custom_path,
	};

	if (!obj->btf || !obj->btf_ext)
		return 0;
	obj->core = evbpf__core_new(&copts);
	return obj->core ? 0 : -errno;
}

static int maps_fill_map_slots(struct bpf_object *obj)
{
	return evbpf__maps_init_slots(obj, false);
}

/* bpffs mount tried for a token when neither the options nor the
 * environment name one */
#define DEFAULT_TOKEN_PATH "/sys/fs/bpf"

/*
 * The object's BPF token, from the bpffs at its token path: every later
 * step creates maps, loads BTF and programs and probes features through
 * it. A path the user gave (options or LIBBPF_BPF_TOKEN_PATH) must yield a
 * token; the default mount is only tried: without delegation set up there
 * the object simply loads without a token.
 */
static int token_create(struct bpf_object *obj)
{
	const char *path = obj->token_path ? obj->token_path : DEFAULT_TOKEN_PATH;
	bool mandatory = obj->token_path != NULL;
	char buf[EVBPF_ERRSTR_MAX];
	int bpffs_fd, fd;

	if (obj->token_fd >= 0 || (obj->token_path && !obj->token_path[0]))
		return 0;
	bpffs_fd = open(path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (bpffs_fd < 0) {
		fd = -errno;
		if (!mandatory) {
			pr_debug("%s: no BPF token: cannot open '%s': %s", obj->name, path,
				 evbpf__errstr(fd, buf, sizeof(buf)));
			return 0;
		}
		pr_warn("%s: option 'bpf_token_path': cannot open bpffs '%s': %s", obj->name,
			path, evbpf__errstr(fd, buf, sizeof(buf)));
		return fd;
	}
	fd = bpf_token_create(bpffs_fd, NULL);
	close(bpffs_fd);
	if (fd < 0) {
		if (!mandatory) {
			pr_debug("%s: no BPF token from '%s' (%s); loading without one",
				 obj->name, path, evbpf__errstr(fd, buf, sizeof(buf)));
			return 0;
		}
		pr_warn("%s: option 'bpf_token_path': kernel refused a BPF token from '%s': %s%s",
			obj->name, path, evbpf__errstr(fd, buf, sizeof(buf)),
			fd == -ENOENT ? " (the bpffs mount has no delegate_* options)" :
			fd == -EOPNOTSUPP ? " (tokens exist only in user namespaces other "
					    "than the initial one)" :
			fd == -EINVAL ? " (not the root of a bpffs mount)" : "");
		return fd;
	}
	obj->feat_cache = evbpf__feat_cache_new(fd);
	if (!obj->feat_cache) {
		close(fd);
		return -ENOMEM;
	}
	obj->token_fd = fd;
	pr_debug("%s: using BPF token from '%s'", obj->name, path);
	return 0;
}

/* Prepare: maps in the kernel, every program linked and relocated. */
static const step_fn prepare_steps[] = {
	token_create,			/* BPF token, when configured */
	evbpf__obj_externs_resolve,	/* kconfig values, ksym addresses */
	evbpf__btf_load_sanitized,	/* object BTF into the kernel */
	core_start,			/* CO-RE against the target BTF */
	evbpf__struct_ops_prepare,	/* kernel types, attach ids */
	evbpf__maps_create,		/* create, reuse or pin maps */
	evbpf__relocate,		/* link and patch every program */
	evbpf__maps_create_exclusive,	/* maps only one final image may use */
	maps_fill_map_slots,		/* inner maps of map-in-map */
};

static int progs_load(struct bpf_object *obj)
{
	size_t i;
	int err;

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
			return err;
	}
	return 0;
}

static int maps_fill_prog_slots(struct bpf_object *obj)
{
	return evbpf__maps_init_slots(obj, true);
}

/* Load: programs into the kernel, then what refers to their fds. */
static const step_fn load_steps[] = {
	progs_load,			/* every autoload program */
	maps_fill_prog_slots,		/* program arrays' initial slots */
	evbpf__struct_ops_fill_progs,	/* program fds into struct_ops values */
};

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
	/* the option wins over the environment; "" in either turns tokens off */
	s = OPTS_GET(opts, bpf_token_path, NULL);
	if (!s)
		s = getenv("LIBBPF_BPF_TOKEN_PATH");
	if (s && !(obj->token_path = strdup(s)))
		return -ENOMEM;
	return 0;
}

static struct bpf_object *open_buf(void *buf, size_t size, const char *path,
				   const struct bpf_object_open_opts *opts)
{
	const char *name = OPTS_GET(opts, object_name, NULL);
	unsigned seq = evbpf__warn_seq();
	char tmp[64], errbuf[EVBPF_ERRSTR_MAX];
	struct bpf_object *obj;
	int err;

	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		free(buf);
		pr_warn("%s: cannot open: out of memory", name ? name : path ? path : "object");
		return evbpf__err_ptr(-ENOMEM);
	}
	obj->elf_buf = buf;
	obj->elf_size = size;
	obj->text_sec = obj->maps_sec = obj->legacy_maps_sec = obj->kcfg_map = -1;
	obj->token_fd = -1;
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
		err = run_steps(obj, open_steps, ARRAY_SIZE(open_steps));
	/* errors were logged by the step; leave no sticky libelf error behind
	 * for the next user in this thread */
	(void)elf_errno();
	if (err) {
		if (evbpf__warn_seq() == seq)
			pr_warn("%s: cannot open: %s", obj->name ? obj->name :
				name ? name : path ? path : "object",
				evbpf__errstr(err, errbuf, sizeof(errbuf)));
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
	if (!OPTS_VALID(opts, bpf_object_open_opts, bpf_token_path))
		return evbpf__err_ptr(-EINVAL);
	copy = malloc(obj_buf_sz);
	if (!copy) {
		pr_warn("%s: cannot open: out of memory for %zu bytes",
			OPTS_GET(opts, object_name, NULL) ? OPTS_GET(opts, object_name, NULL) :
			"object in memory", obj_buf_sz);
		return evbpf__err_ptr(-ENOMEM);
	}
	memcpy(copy, obj_buf, obj_buf_sz);
	return open_buf(copy, obj_buf_sz, NULL, opts);
}

LIBBPF_API struct bpf_object *
bpf_object__open_file(const char *path, const struct bpf_object_open_opts *opts)
{
	char errbuf[EVBPF_ERRSTR_MAX];
	size_t done = 0;
	off_t size = 0;
	void *buf;
	int fd, err;

	if (!path)
		return evbpf__err_ptr(-EINVAL);
	if (!OPTS_VALID(opts, bpf_object_open_opts, bpf_token_path))
		return evbpf__err_ptr(-EINVAL);
	fd = evbpf__open_regular(path, &size);
	if (fd >= 0 && size <= 0) {
		close(fd);
		fd = -EINVAL;
	}
	if (fd < 0) {
		pr_warn("%s: cannot open: %s", path, fd == -EINVAL ?
			"not a regular, non-empty file" : evbpf__errstr(fd, errbuf, sizeof(errbuf)));
		return evbpf__err_ptr(fd);
	}
	buf = malloc((size_t)size);
	if (!buf) {
		close(fd);
		pr_warn("%s: out of memory for %lld bytes", path, (long long)size);
		return evbpf__err_ptr(-ENOMEM);
	}
	while (done < (size_t)size) {
		ssize_t n = read(fd, (char *)buf + done, (size_t)size - done);

		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			close(fd);
			free(buf);
			pr_warn("%s: read failed at offset %zu: %s", path, done,
				evbpf__errstr(err, errbuf, sizeof(errbuf)));
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

/* Load with bpf_object__gen_loader(): the same preparation up to the
 * relocated programs, then a loader instead of maps and programs. Nothing
 * reaches the kernel; CO-RE and externs resolve against this machine. */
static const step_fn gen_steps[] = {
	evbpf__gen_check,		/* what a loader cannot create */
	evbpf__obj_externs_resolve,	/* kconfig values, ksym addresses */
	core_start,			/* CO-RE against the target BTF */
	evbpf__relocate,		/* maps referred to by index */
	evbpf__gen_emit,		/* loader insns and data blob */
};

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

/* Runs prepare or load steps with the object's feature cache in scope
 * when it loads through a token (the first step may create it). */
static int run_object_steps(struct bpf_object *obj, const step_fn *steps, size_t cnt)
{
	struct evbpf__feat_cache *prev = evbpf__feat_scope_enter(obj->feat_cache);
	size_t i;
	int err = 0;

	for (i = 0; i < cnt && !err; i++) {
		err = steps[i](obj);
		evbpf__feat_scope_enter(obj->feat_cache);
	}
	evbpf__feat_scope_leave(prev);
	return err;
}

/* Unwinds a failed prepare/load; says why when nothing below did (warnings
 * since @seq). */
static int fail(struct bpf_object *obj, int err, unsigned seq, const char *step)
{
	char buf[EVBPF_ERRSTR_MAX];

	if (evbpf__warn_seq() == seq)
		pr_warn("%s: %s failed: %s", obj->name, step, evbpf__errstr(err, buf, sizeof(buf)));
	unload_all(obj);
	release_load_state(obj);
	obj->failed = true;
	return evbpf__err(err);
}

LIBBPF_API int bpf_object__prepare(struct bpf_object *obj)
{
	unsigned seq = evbpf__warn_seq();
	int err;

	if (!obj)
		return evbpf__err(-EINVAL);
	if (obj->failed) {
		pr_warn("%s: an earlier load failed; close the object", obj->name);
		return evbpf__err(-EINVAL);
	}
	if (obj->prepared)
		return 0;
	err = run_object_steps(obj, prepare_steps, ARRAY_SIZE(prepare_steps));
	if (err)
		return fail(obj, err, seq, "prepare");
	obj->prepared = true;
	return 0;
}

LIBBPF_API int bpf_object__load(struct bpf_object *obj)
{
	unsigned seq = evbpf__warn_seq();
	int err;

	if (!obj)
		return evbpf__err(-EINVAL);
	if (obj->loaded) {
		pr_warn("%s: already loaded", obj->name);
		return evbpf__err(-EINVAL);
	}
	if (obj->gen) {
		/* a loader instead: nothing prepared in the kernel */
		if (obj->failed) {
			pr_warn("%s: an earlier load failed; close the object", obj->name);
			return evbpf__err(-EINVAL);
		}
		err = run_object_steps(obj, gen_steps, ARRAY_SIZE(gen_steps));
	} else {
		err = bpf_object__prepare(obj);
		if (err)
			return err;
		err = run_object_steps(obj, load_steps, ARRAY_SIZE(load_steps));
	}
	if (err)
		return fail(obj, err, seq, obj->gen ? "loader generation" : "load");
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
	free(obj->token_path);
	evbpf__close(obj->token_fd);
	evbpf__feat_cache_free(obj->feat_cache);
	evbpf__gen_free(obj->gen);
	free(obj);
}

/* ---- queries ---- */

LIBBPF_API const char *bpf_object__name(const struct bpf_object *obj)
{
	return obj ? obj->name : NULL;
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

LIBBPF_API int bpf_object__token_fd(const struct bpf_object *obj)
{
	return obj && obj->token_fd >= 0 ? obj->token_fd : -1;
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

/* @dir/@name, where @name (a map or program name from the object) must be
 * a plain file name. */
static int join(char *buf, size_t size, const char *dir, const char *name)
{
	int n;

	if (!evbpf__pin_name_ok(name)) {
		pr_warn("cannot pin '%.64s' under '%s': not a file name", name, dir);
		return -EINVAL;
	}
	n = snprintf(buf, size, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= size) {
		pr_warn("cannot pin '%.64s' under '%s': path too long", name, dir);
		return -ENAMETOOLONG;
	}
	return 0;
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
