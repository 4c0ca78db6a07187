// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Values of an object's .kconfig externs: the virtual LINUX_* ones from
 * the running kernel, CONFIG_* ones from the caller's kconfig string, then
 * the kernel's config file (/boot/config-$(uname -r), else /proc/config.gz,
 * both read through zlib, which also reads uncompressed files).
 *
 * Values are interpreted by the extern's C type, as libbpf does: y/n/m
 * for bool, char and enum libbpf_tristate; quoted strings for char arrays;
 * integers (any base strtoull accepts) for integer and char types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "base/base_internal.h"
#include "sys/features_internal.h"
#include "externs_internal.h"

#define LINE_MAX_LEN 4096

/* enum libbpf_tristate */
enum { TRI_NO = 0, TRI_YES = 1, TRI_MODULE = 2 };

struct kcfg_ctx {
	const char *obj_name;
	struct evbpf__ext *exts;
	size_t cnt;
	char *data;
};

static struct evbpf__ext *find_kcfg(struct kcfg_ctx *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->cnt; i++)
		if (c->exts[i].type == EVBPF_EXT_KCFG && strcmp(c->exts[i].name, name) == 0)
			return &c->exts[i];
	return NULL;
}

static bool fits(const struct evbpf__ext *ext, __u64 v)
{
	unsigned int bits = ext->kcfg.sz * 8;

	if (ext->kcfg.sz >= 8)
		return true;
	if (ext->kcfg.is_signed)
		return v + (1ULL << (bits - 1)) < (1ULL << bits);
	return (v >> bits) == 0;
}

static int set_num(struct kcfg_ctx *c, struct evbpf__ext *ext, __u64 v)
{
	void *p = c->data + ext->kcfg.data_off;

	if (ext->kcfg.type != EVBPF_KCFG_INT && ext->kcfg.type != EVBPF_KCFG_CHAR &&
	    ext->kcfg.type != EVBPF_KCFG_BOOL) {
		pr_warn("object '%s': kconfig '%s': value %llu needs an integer, char or "
			"bool type", c->obj_name, ext->name, (unsigned long long)v);
		return -EINVAL;
	}
	if (ext->kcfg.type == EVBPF_KCFG_BOOL && v > 1) {
		pr_warn("object '%s': kconfig '%s': value %llu is not a bool",
			c->obj_name, ext->name, (unsigned long long)v);
		return -EINVAL;
	}
	if (ext->kcfg.type != EVBPF_KCFG_BOOL && !fits(ext, v)) {
		pr_warn("object '%s': kconfig '%s': value %llu does not fit %u bytes",
			c->obj_name, ext->name, (unsigned long long)v, ext->kcfg.sz);
		return -ERANGE;
	}
	switch (ext->kcfg.sz) {
	case 1: { __u8 x = (__u8)v; memcpy(p, &x, 1); break; }
	case 2: { __u16 x = (__u16)v; memcpy(p, &x, 2); break; }
	case 4: { __u32 x = (__u32)v; memcpy(p, &x, 4); break; }
	case 8: memcpy(p, &v, 8); break;
	default: return -EINVAL;
	}
	ext->is_set = true;
	return 0;
}

static int set_tri(struct kcfg_ctx *c, struct evbpf__ext *ext, char v)
{
	char *p = c->data + ext->kcfg.data_off;
	__u32 tri;

	switch (ext->kcfg.type) {
	case EVBPF_KCFG_BOOL:
		if (v == 'm') {
			pr_warn("object '%s': kconfig '%s': value 'm' needs a tristate or "
				"char type, not bool", c->obj_name, ext->name);
			return -EINVAL;
		}
		*p = v == 'y';
		break;
	case EVBPF_KCFG_TRISTATE:
		tri = v == 'y' ? TRI_YES : v == 'm' ? TRI_MODULE : TRI_NO;
		if (ext->kcfg.sz == 8) {
			__u64 t64 = tri;

			memcpy(p, &t64, 8);
		} else {
			memcpy(p, &tri, 4);
		}
		break;
	case EVBPF_KCFG_CHAR:
		*p = v;
		break;
	default:
		pr_warn("object '%s': kconfig '%s': value '%c' needs a bool, tristate or "
			"char type", c->obj_name, ext->name, v);
		return -EINVAL;
	}
	ext->is_set = true;
	return 0;
}

static int set_str(struct kcfg_ctx *c, struct evbpf__ext *ext, const char *v)
{
	char *p = c->data + ext->kcfg.data_off;
	size_t len = strlen(v);

	if (ext->kcfg.type != EVBPF_KCFG_CHAR_ARR) {
		pr_warn("object '%s': kconfig '%s': string value %s needs a char array",
			c->obj_name, ext->name, v);
		return -EINVAL;
	}
	if (len < 2 || v[len - 1] != '"') {
		pr_warn("object '%s': kconfig '%s': bad string value %s",
			c->obj_name, ext->name, v);
		return -EINVAL;
	}
	len -= 2;
	if (len >= ext->kcfg.sz) {
		pr_info("object '%s': kconfig '%s': string of %zu bytes truncated to %u",
			c->obj_name, ext->name, len, ext->kcfg.sz - 1);
		len = ext->kcfg.sz - 1;
	}
	memcpy(p, v + 1, len);
	p[len] = '\0';
	ext->is_set = true;
	return 0;
}

/* One "CONFIG_X=value" line (comments and other lines are ignored). The
 * first value of an extern wins. */
static int process_line(struct kcfg_ctx *c, char *line, const char *src)
{
	struct evbpf__ext *ext;
	char *sep, *v;
	size_t len;

	if (strncmp(line, "CONFIG_", 7))
		return 0;
	len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	sep = strchr(line, '=');
	if (!sep) {
		pr_warn("object '%s': kconfig from %s: no '=' in '%s'", c->obj_name, src, line);
		return -EINVAL;
	}
	*sep = '\0';
	v = sep + 1;
	if (!*v) {
		pr_warn("object '%s': kconfig from %s: no value for %s", c->obj_name, src, line);
		return -EINVAL;
	}
	ext = find_kcfg(c, line);
	if (!ext || ext->is_set)
		return 0;

	switch (*v) {
	case 'y':
	case 'n':
	case 'm':
		return set_tri(c, ext, *v);
	case '"':
		return set_str(c, ext, v);
	default: {
		unsigned long long num;
		char *end;

		errno = 0;
		num = strtoull(v, &end, 0);
		if (errno || *end) {
			pr_warn("object '%s': kconfig '%s': value '%s' from %s is not an integer",
				c->obj_name, ext->name, v, src);
			return -EINVAL;
		}
		if (ext->kcfg.type != EVBPF_KCFG_INT && ext->kcfg.type != EVBPF_KCFG_CHAR) {
			pr_warn("object '%s': kconfig '%s': integer value '%s' needs an integer "
				"type", c->obj_name, ext->name, v);
			return -EINVAL;
		}
		return set_num(c, ext, num);
	}
	}
}

static int parse_mem(struct kcfg_ctx *c, const char *cfg)
{
	char line[LINE_MAX_LEN];
	int err;

	while (*cfg) {
		const char *nl = strchr(cfg, '\n');
		size_t n = nl ? (size_t)(nl - cfg) : strlen(cfg);

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, cfg, n);
		line[n] = '\0';
		err = process_line(c, line, "the kconfig option");
		if (err)
			return err;
		cfg = nl ? nl + 1 : cfg + strlen(cfg);
	}
	return 0;
}

static int parse_file(struct kcfg_ctx *c, const char *path)
{
	char line[LINE_MAX_LEN];
	gzFile f = gzopen(path, "re");
	int err = 0;

	if (!f)
		return -ENOENT;
	while (gzgets(f, line, sizeof(line))) {
		err = process_line(c, line, path);
		if (err)
			break;
	}
	gzclose(f);
	return err;
}

/* KERNEL_VERSION of the running kernel; Ubuntu's real version when it says
 * so; 0 when unknown. */
static __u32 kernel_version(void)
{
	unsigned int a, b, p;
	struct utsname u;
	FILE *f;

	f = fopen("/proc/version_signature", "re");
	if (f) {
		int n = fscanf(f, "%*s %*s %u.%u.%u", &a, &b, &p);

		fclose(f);
		if (n == 3)
			return (a << 16) + (b << 8) + (p > 255 ? 255 : p);
	}
	if (uname(&u) || sscanf(u.release, "%u.%u.%u", &a, &b, &p) != 3)
		return 0;
	return (a << 16) + (b << 8) + (p > 255 ? 255 : p);
}

static int resolve(const char *obj_name, struct evbpf__ext *exts, size_t cnt,
		   const char *kconfig, const char *path, void *kcfg_data)
{
	struct kcfg_ctx c = { obj_name ? obj_name : "?", exts, cnt, kcfg_data };
	bool need_config = false;
	size_t i, data_sz = 0;
	int err;

	for (i = 0; i < cnt; i++)
		if (exts[i].type == EVBPF_EXT_KCFG)
			data_sz = evbpf__max(data_sz, (size_t)exts[i].kcfg.data_off + exts[i].kcfg.sz);
	if (data_sz)
		memset(kcfg_data, 0, data_sz);

	for (i = 0; i < cnt; i++) {
		struct evbpf__ext *ext = &exts[i];
		__u64 v;

		if (ext->type != EVBPF_EXT_KCFG)
			continue;
		ext->is_set = false;
		if (strncmp(ext->name, "CONFIG_", 7) == 0) {
			need_config = true;
			continue;
		}
		if (strcmp(ext->name, "LINUX_KERNEL_VERSION") == 0) {
			v = kernel_version();
			if (!v) {
				pr_warn("object '%s': kconfig '%s': cannot tell the kernel version",
					c.obj_name, ext->name);
				return evbpf__err(-EINVAL);
			}
		} else if (strcmp(ext->name, "LINUX_HAS_BPF_COOKIE") == 0) {
			v = evbpf__feat_supported(EVBPF_FEAT_BPF_COOKIE);
		} else if (strcmp(ext->name, "LINUX_HAS_SYSCALL_WRAPPER") == 0) {
			v = evbpf__feat_supported(EVBPF_FEAT_SYSCALL_WRAPPER);
		} else if (strncmp(ext->name, "LINUX_", 6) == 0 && ext->is_weak) {
			continue;	/* an unknown virtual extern may stay 0 */
		} else {
			pr_warn("object '%s': kconfig extern '%s' is neither CONFIG_* nor a "
				"known LINUX_* value", c.obj_name, ext->name);
			return evbpf__err(-EINVAL);
		}
		err = set_num(&c, ext, v);
		if (err)
			return evbpf__err(err);
	}

	if (need_config && kconfig) {
		err = parse_mem(&c, kconfig);
		if (err)
			return evbpf__err(err);
	}
	for (i = 0, need_config = false; i < cnt; i++)
		if (exts[i].type == EVBPF_EXT_KCFG && !exts[i].is_set &&
		    strncmp(exts[i].name, "CONFIG_", 7) == 0)
			need_config = true;
	if (need_config) {
		if (path) {
			err = parse_file(&c, path);
		} else {
			char boot[512];
			struct utsname u;

			err = -ENOENT;
			if (uname(&u) == 0) {
				snprintf(boot, sizeof(boot), "/boot/config-%s", u.release);
				err = parse_file(&c, boot);
			}
			if (err == -ENOENT)
				err = parse_file(&c, "/proc/config.gz");
			path = "/proc/config.gz";
		}
		if (err == -ENOENT)
			pr_info("object '%s': no kernel config (%s)", c.obj_name, path);
		else if (err)
			return evbpf__err(err);
	}

	for (i = 0; i < cnt; i++) {
		if (exts[i].type != EVBPF_EXT_KCFG || exts[i].is_set)
			continue;
		if (!exts[i].is_weak) {
			pr_warn("object '%s': kconfig extern '%s' has no value (declare it "
				"__weak to default to 0)", c.obj_name, exts[i].name);
			return evbpf__err(-ESRCH);
		}
		pr_debug("object '%s': weak kconfig '%s' not found, 0", c.obj_name, exts[i].name);
	}
	return 0;
}

int evbpf__kconfig_resolve(const char *obj_name, struct evbpf__ext *exts, size_t cnt,
			   const char *kconfig, void *kcfg_data)
{
	return resolve(obj_name, exts, cnt, kconfig, NULL, kcfg_data);
}

int evbpf__kconfig_resolve_file(const char *obj_name, struct evbpf__ext *exts,
				size_t cnt, const char *kconfig, const char *path,
				void *kcfg_data)
{
	return resolve(obj_name, exts, cnt, kconfig, path, kcfg_data);
}
