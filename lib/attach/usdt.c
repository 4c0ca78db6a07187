// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * USDT attachment: a program is attached as one uprobe per probe site (sites
 * and argument specs come from usdt_parse.c), whose BPF cookie is the slot
 * of the site's spec in the object's __bpf_usdt_specs map. Semaphores are
 * handed to the kernel as the uprobe's reference counter, so they count
 * while a probe is attached.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach_internal.h"
#include "object/object_internal.h"
#include "usdt_internal.h"

/* ---- spec slots ---- */

/*
 * Free slots of every __bpf_usdt_specs map in use, keyed by the kernel map
 * id (a map fd number can be reused after close, an id cannot). A table
 * entry goes away with its last used slot.
 */
struct spec_slots {
	__u32 map_id;
	__u32 max;
	unsigned char *used;	/* one byte per slot */
	size_t nr_used;
};

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static struct spec_slots *slot_tabs;
static size_t nr_slot_tabs;

static int slots_take(__u32 map_id, __u32 max, int *ids, size_t n)
{
	struct spec_slots *t = NULL, *tmp;
	size_t i, got = 0;
	__u32 s;
	int ret = 0;

	pthread_mutex_lock(&slots_lock);
	for (i = 0; i < nr_slot_tabs; i++)
		if (slot_tabs[i].map_id == map_id)
			t = &slot_tabs[i];
	if (!t) {
		tmp = realloc(slot_tabs, (nr_slot_tabs + 1) * sizeof(*tmp));
		if (!tmp) {
			ret = -ENOMEM;
			goto out;
		}
		slot_tabs = tmp;
		t = &slot_tabs[nr_slot_tabs];
		memset(t, 0, sizeof(*t));
		t->map_id = map_id;
		t->max = max;
		t->used = calloc(max ? max : 1, 1);
		if (!t->used) {
			ret = -ENOMEM;
			goto out;
		}
		nr_slot_tabs++;
	}
	for (s = 0; s < t->max && got < n; s++)
		if (!t->used[s])
			ids[got++] = (int)s;
	if (got < n) {
		ret = -E2BIG;
		goto out;
	}
	for (i = 0; i < n; i++)
		t->used[ids[i]] = 1;
	t->nr_used += n;
out:
	pthread_mutex_unlock(&slots_lock);
	return ret;
}

static void slots_put(__u32 map_id, const int *ids, size_t n)
{
	size_t i;

	pthread_mutex_lock(&slots_lock);
	for (i = 0; i < nr_slot_tabs; i++) {
		struct spec_slots *t = &slot_tabs[i];
		size_t j;

		if (t->map_id != map_id)
			continue;
		for (j = 0; j < n; j++) {
			if (ids[j] >= 0 && (__u32)ids[j] < t->max && t->used[ids[j]]) {
				t->used[ids[j]] = 0;
				t->nr_used--;
			}
		}
		if (!t->nr_used) {
			free(t->used);
			slot_tabs[i] = slot_tabs[--nr_slot_tabs];
			if (!nr_slot_tabs) {
				free(slot_tabs);
				slot_tabs = NULL;
			}
		}
		break;
	}
	pthread_mutex_unlock(&slots_lock);
}

/* ---- the USDT link ---- */

struct usdt_link {
	struct bpf_link link;
	struct bpf_link **probes;
	size_t nr_probes;
	int *spec_ids;		/* one per probe */
	__u32 map_id;
};

static int usdt_link_detach(struct bpf_link *link)
{
	struct usdt_link *ul = (struct usdt_link *)link;
	int ret = 0, err;
	size_t i;

	for (i = 0; i < ul->nr_probes; i++) {
		err = bpf_link__destroy(ul->probes[i]);
		if (err && !ret)
			ret = err;
	}
	if (ul->spec_ids)
		slots_put(ul->map_id, ul->spec_ids, ul->nr_probes);
	return ret;
}

static void usdt_link_dealloc(struct bpf_link *link)
{
	struct usdt_link *ul = (struct usdt_link *)link;

	free(ul->probes);
	free(ul->spec_ids);
	free(ul);
}

static int map_id_of(int fd, __u32 *id, __u32 *max, __u32 *value_size)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_map_get_info_by_fd(fd, &info, &len) < 0)
		return -errno;
	*id = info.id;
	*max = info.max_entries;
	*value_size = info.value_size;
	return 0;
}

struct bpf_link *
bpf_program__attach_usdt(const struct bpf_program *prog, pid_t pid,
			 const char *binary_path, const char *usdt_provider,
			 const char *usdt_name,
			 const struct bpf_usdt_opts *opts)
{
	char path[PATH_MAX], desc[128], what[PATH_MAX + 768], err[EVBPF_ERRSTR_MAX];
	struct evbpf__usdt_note *notes = NULL;
	const struct bpf_object *obj;
	struct usdt_link *ul = NULL;
	struct bpf_map *specs;
	int *ids = NULL;
	__u32 max = 0, value_size = 0;
	size_t nr_notes = 0, i;
	__u64 cookie;
	int map_fd, ret;

	if (!OPTS_VALID(opts, bpf_usdt_opts, usdt_cookie))
		return evbpf__err_ptr(-EINVAL);
	evbpf__prog_desc(prog, desc, sizeof(desc));
	if (!binary_path || !usdt_provider || !usdt_name)
		return evbpf__err_ptr(-EINVAL);
	if (evbpf__prog_fd_checked(prog) < 0)
		return NULL;
	cookie = OPTS_GET(opts, usdt_cookie, 0);
	obj = evbpf__prog_obj(prog);
	specs = obj ? bpf_object__find_map_by_name(obj, EVBPF_USDT_SPECS_MAP) : NULL;
	map_fd = specs ? bpf_map__fd(specs) : -1;
	if (map_fd < 0) {
		pr_warn("%s: USDT needs the %s map: include <bpf/usdt.bpf.h> in the BPF program",
			desc, EVBPF_USDT_SPECS_MAP);
		return evbpf__err_ptr(-ESRCH);
	}
	ret = evbpf__resolve_binary(binary_path, path, sizeof(path));
	if (ret < 0)
		return evbpf__err_ptr(ret);
	ret = evbpf__usdt_read_notes(path, usdt_provider, usdt_name, &notes,
				     &nr_notes);
	if (ret < 0)
		return evbpf__err_ptr(ret);
	if (!nr_notes) {
		pr_warn("%s: USDT probe %s:%s not found in '%s'", desc,
			usdt_provider, usdt_name, path);
		return evbpf__err_ptr(-ENOENT);
	}
	ul = (struct usdt_link *)evbpf__link_alloc(sizeof(*ul), -1);
	if (!ul) {
		ret = -ENOMEM;
		goto fail;
	}
	ul->link.detach = usdt_link_detach;
	ul->link.dealloc = usdt_link_dealloc;
	ul->probes = calloc(nr_notes, sizeof(*ul->probes));
	ids = calloc(nr_notes, sizeof(*ids));
	if (!ul->probes || !ids) {
		free(ids);
		ret = -ENOMEM;
		goto fail;
	}
	ret = map_id_of(map_fd, &ul->map_id, &max, &value_size);
	if (ret < 0) {
		free(ids);
		goto fail;
	}
	if (value_size < sizeof(struct evbpf__usdt_spec)) {
		pr_warn("%s: %s has %u-byte values, USDT specs need %zu", desc,
			EVBPF_USDT_SPECS_MAP, value_size,
			sizeof(struct evbpf__usdt_spec));
		ret = -EINVAL;
		free(ids);
		goto fail;
	}
	ret = slots_take(ul->map_id, max, ids, nr_notes);
	if (ret < 0) {
		free(ids);
		if (ret == -E2BIG)
			pr_warn("%s: %s is full (%u entries); raise BPF_USDT_MAX_SPEC_CNT",
				desc, EVBPF_USDT_SPECS_MAP, max);
		goto fail;
	}
	/* from here on the link owns the slots: detach returns those of
	 * attached probes, the error path below the rest */
	ul->spec_ids = ids;
	for (i = 0; i < nr_notes; i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, uopts);
		struct evbpf__usdt_spec spec;
		struct bpf_link *probe;

		snprintf(what, sizeof(what), "%s:%s:%s at 0x%lx", path,
			 notes[i].provider, notes[i].name, notes[i].loc_off);
		ret = evbpf__usdt_parse_args(notes[i].args, &spec, what);
		if (ret < 0)
			goto fail;
		spec.usdt_cookie = cookie;
		if (bpf_map_update_elem(map_fd, &ul->spec_ids[i], &spec, 0) < 0) {
			ret = -errno;
			pr_warn("%s: failed to store USDT spec of %s: %s", desc,
				what, evbpf__errstr(ret, err, sizeof(err)));
			goto fail;
		}
		uopts.ref_ctr_offset = notes[i].sema_off;
		uopts.bpf_cookie = (__u64)ul->spec_ids[i];
		probe = bpf_program__attach_uprobe_opts(prog, pid, path,
							notes[i].loc_off, &uopts);
		if (!probe) {
			ret = -errno;
			pr_warn("%s: failed to attach USDT %s", desc, what);
			goto fail;
		}
		ul->probes[ul->nr_probes++] = probe;
	}
	evbpf__usdt_notes_free(notes, nr_notes);
	return &ul->link;
fail:
	if (ul && ul->spec_ids)
		slots_put(ul->map_id, ul->spec_ids + ul->nr_probes,
			  nr_notes - ul->nr_probes);
	if (ul)
		bpf_link__destroy(&ul->link);
	evbpf__usdt_notes_free(notes, nr_notes);
	return evbpf__err_ptr(ret);
}
