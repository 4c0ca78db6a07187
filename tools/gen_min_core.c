// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `evbpf-gen min_core_btf INPUT OUTPUT OBJ...`: the part of a full BTF
 * (e.g. /sys/kernel/btf/vmlinux) that the CO-RE relocations of the objects
 * resolve to, written as raw BTF. Loading an object with
 * bpf_object_open_opts.btf_custom_path = OUTPUT relocates it as against
 * INPUT (type ids of bpf_core_type_id_kernel() aside: they are ids of the
 * reduced BTF).
 *
 * Each object is relocated against INPUT with the loader's own CO-RE
 * engine; every matched relocation reports its target access path, and the
 * types on it are marked:
 *  - field relocations: the root struct/union and, along the path, each
 *    member taken (other members are left out) and its type;
 *  - type relocations (exists/size/matches): the whole type, nested
 *    structs and unions with all their members;
 *  - enum value relocations: the whole enum.
 * A struct or union reached only through a pointer or as a path step keeps
 * its name and size but only the members some relocation used.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include "core/core_internal.h"
#include "core/core_engine_internal.h"
#include "gen.h"

enum { MARK_NONE, MARK_SHELL, MARK_FULL };

struct mark {
	unsigned char state;
	unsigned char *members;	/* struct/union members used; NULL: none */
};

struct min_btf {
	const struct btf *src;
	struct mark *marks;	/* by type id of src */
	__u32 cnt;
	int err;
};

static void mark_type(struct min_btf *m, __u32 id, int want);

/* Marks every type @id reaches through typedefs and modifiers (as a path
 * step: struct/union shells); returns the id of the type they resolve to. */
static __u32 mark_chain(struct min_btf *m, __u32 id)
{
	const struct btf_type *t;

	for (;;) {
		t = btf__type_by_id(m->src, id);
		if (!t)
			return 0;
		if (!btf_is_typedef(t) && !btf_is_mod(t))
			return id;
		mark_type(m, id, MARK_SHELL);
		id = t->type;
	}
}

static void mark_member(struct min_btf *m, __u32 id, __u32 idx)
{
	const struct btf_type *t = btf__type_by_id(m->src, id);
	struct mark *mk = &m->marks[id];

	if (!t || idx >= btf_vlen(t))
		return;
	if (!mk->members) {
		mk->members = calloc(btf_vlen(t), 1);
		if (!mk->members) {
			m->err = -ENOMEM;
			return;
		}
	}
	mk->members[idx] = 1;
	mark_type(m, btf_members(t)[idx].type, MARK_SHELL);
}

static void mark_type(struct min_btf *m, __u32 id, int want)
{
	const struct btf_type *t;
	struct mark *mk;
	__u32 i;

	if (id == 0 || id >= m->cnt || m->marks[id].state >= want)
		return;
	t = btf__type_by_id(m->src, id);
	mk = &m->marks[id];
	mk->state = (unsigned char)want;
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (want == MARK_FULL)
			for (i = 0; i < btf_vlen(t); i++)
				mark_member(m, id, i);
		/* members of a fully kept struct are kept whole too */
		if (want == MARK_FULL)
			for (i = 0; i < btf_vlen(t); i++)
				mark_type(m, btf_members(t)[i].type, MARK_FULL);
		break;
	case BTF_KIND_PTR:
		/* behind a pointer only name and size matter */
		mark_type(m, t->type, MARK_SHELL);
		break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		mark_type(m, t->type, want);
		break;
	case BTF_KIND_ARRAY:
		mark_type(m, btf_array(t)->type, want);
		mark_type(m, btf_array(t)->index_type, MARK_FULL);
		break;
	case BTF_KIND_FUNC_PROTO:
		mark_type(m, t->type, MARK_SHELL);
		for (i = 0; i < btf_vlen(t); i++)
			mark_type(m, btf_params(t)[i].type, MARK_SHELL);
		break;
	default:
		/* int, float, enum, enum64, fwd: whole */
		mk->state = MARK_FULL;
		break;
	}
}

/* The CO-RE engine's report of one matched relocation. */
static void on_match(void *ctx, const struct evbpf__core_spec *targ)
{
	struct min_btf *m = ctx;
	__u32 id = targ->root_type_id;
	int i;

	if (targ->btf != m->src)
		return;
	if (!evbpf__core_kind_is_field(targ->kind)) {
		/* type relocations and enum values: the whole type */
		mark_type(m, id, MARK_FULL);
		return;
	}
	mark_type(m, id, MARK_SHELL);
	/* raw[0] indexes the root itself; each later step is a member of a
	 * struct/union or an element of an array */
	for (i = 1; i < targ->raw_len && !m->err; i++) {
		const struct btf_type *t;

		id = mark_chain(m, id);
		t = btf__type_by_id(m->src, id);
		if (!t)
			return;
		if (btf_is_composite(t)) {
			if (targ->raw[i] >= btf_vlen(t))
				return;
			mark_member(m, id, targ->raw[i]);
			id = btf_members(t)[targ->raw[i]].type;
		} else if (btf_is_array(t)) {
			mark_type(m, id, MARK_SHELL);
			id = btf_array(t)->type;
		} else {
			return;
		}
	}
	/* the accessed field's own type: its size and signedness */
	mark_type(m, mark_chain(m, id), MARK_SHELL);
}

static const char *name_of(const struct btf *btf, __u32 off)
{
	const char *s = btf__name_by_offset(btf, off);

	return s ? s : "";
}

/* Adds the marked type @id of m->src to @out with references remapped by
 * @new_id. */
static int emit(struct min_btf *m, struct btf *out, const __u32 *new_id, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(m->src, id);
	const char *name = name_of(m->src, t->name_off);
	const struct mark *mk = &m->marks[id];
	__u32 i;
	int err;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return btf__add_int(out, name, t->size, btf_int_encoding(t));
	case BTF_KIND_FLOAT:
		return btf__add_float(out, name, t->size);
	case BTF_KIND_PTR:
		return btf__add_ptr(out, new_id[t->type]);
	case BTF_KIND_TYPEDEF:
		return btf__add_typedef(out, name, new_id[t->type]);
	case BTF_KIND_VOLATILE:
		return btf__add_volatile(out, new_id[t->type]);
	case BTF_KIND_CONST:
		return btf__add_const(out, new_id[t->type]);
	case BTF_KIND_RESTRICT:
		return btf__add_restrict(out, new_id[t->type]);
	case BTF_KIND_TYPE_TAG:
		return btf__add_type_tag(out, name, new_id[t->type]);
	case BTF_KIND_FWD:
		return btf__add_fwd(out, name, btf_kflag(t) ? BTF_FWD_UNION : BTF_FWD_STRUCT);
	case BTF_KIND_ARRAY:
		return btf__add_array(out, new_id[btf_array(t)->index_type],
				      new_id[btf_array(t)->type], btf_array(t)->nelems);
	case BTF_KIND_ENUM:
		err = btf__add_enum(out, name, t->size);
		for (i = 0; err >= 0 && i < btf_vlen(t); i++) {
			int e = btf__add_enum_value(out, name_of(m->src, btf_enum(t)[i].name_off),
						    btf_enum(t)[i].val);
			if (e < 0)
				err = e;
		}
		return err;
	case BTF_KIND_ENUM64:
		err = btf__add_enum64(out, name, t->size, btf_kflag(t));
		for (i = 0; err >= 0 && i < btf_vlen(t); i++) {
			int e = btf__add_enum64_value(out,
						      name_of(m->src, btf_enum64(t)[i].name_off),
						      btf_enum64_value(btf_enum64(t) + i));
			if (e < 0)
				err = e;
		}
		return err;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		err = btf_is_struct(t) ? btf__add_struct(out, name, t->size)
				       : btf__add_union(out, name, t->size);
		for (i = 0; err >= 0 && i < btf_vlen(t); i++) {
			const struct btf_member *bm = btf_members(t) + i;
			int e;

			if (!mk->members || !mk->members[i])
				continue;
			e = btf__add_field(out, name_of(m->src, bm->name_off), new_id[bm->type],
					   btf_member_bit_offset(t, i),
					   btf_member_bitfield_size(t, i));
			if (e < 0)
				err = e;
		}
		return err;
	case BTF_KIND_FUNC_PROTO:
		err = btf__add_func_proto(out, new_id[t->type]);
		for (i = 0; err >= 0 && i < btf_vlen(t); i++) {
			const struct btf_param *p = btf_params(t) + i;
			int e = btf__add_func_param(out, name_of(m->src, p->name_off),
						    new_id[p->type]);
			if (e < 0)
				err = e;
		}
		return err;
	default:
		return -EOPNOTSUPP;
	}
}

static int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (!f)
		return -errno;
	if (fwrite(data, 1, size, f) != size)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: evbpf-gen min_core_btf INPUT OUTPUT OBJECT [OBJECT...]\n"
		"  Writes to OUTPUT the raw BTF with the types of INPUT (a BTF\n"
		"  file such as /sys/kernel/btf/vmlinux) that the CO-RE\n"
		"  relocations of the OBJECTs need; load them with\n"
		"  btf_custom_path = OUTPUT.\n");
}

int evbpf_gen__min_core_btf(int argc, char **argv)
{
	struct min_btf m = { 0 };
	struct btf *src = NULL, *out = NULL;
	__u32 *new_id = NULL, id, next = 1;
	const void *raw;
	__u32 raw_sz;
	int i, err, ret = 1;

	if (argc < 4) {
		usage();
		return 2;
	}
	if (evbpf_gen__base_btf) {
		fprintf(stderr, "evbpf-gen min_core_btf: -B (split BTF) is not taken: "
			"INPUT must be a whole BTF\n");
		return 2;
	}
	src = evbpf_gen__parse_btf(argv[1], NULL, false);
	if (!src)
		return 1;
	m.src = src;
	m.cnt = btf__type_cnt(src);
	m.marks = calloc(m.cnt, sizeof(*m.marks));
	new_id = calloc(m.cnt, sizeof(*new_id));
	if (!m.marks || !new_id) {
		fprintf(stderr, "evbpf-gen min_core_btf: out of memory\n");
		goto out;
	}
	for (i = 3; i < argc; i++) {
		struct evbpf__core_opts o = {
			.target_btf = src,
			.on_match = on_match,
			.on_match_ctx = &m,
		};

		if (evbpf_gen__core_walk(argv[i], &o, false, true))
			goto out;
		if (m.err) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(-m.err));
			goto out;
		}
	}

	for (id = 1; id < m.cnt; id++)
		if (m.marks[id].state)
			new_id[id] = next++;
	out = btf__new_empty();
	if (!out) {
		fprintf(stderr, "evbpf-gen min_core_btf: %s\n", strerror(errno));
		goto out;
	}
	for (id = 1; id < m.cnt; id++) {
		if (!m.marks[id].state)
			continue;
		err = emit(&m, out, new_id, id);
		if (err < 0) {
			fprintf(stderr, "%s: cannot copy type [%u] into the reduced BTF: %s\n",
				argv[1], id, strerror(-err));
			goto out;
		}
	}
	raw = btf__raw_data(out, &raw_sz);
	if (!raw) {
		fprintf(stderr, "evbpf-gen min_core_btf: %s\n", strerror(errno));
		goto out;
	}
	err = write_file(argv[2], raw, raw_sz);
	if (err) {
		fprintf(stderr, "%s: cannot write: %s\n", argv[2], strerror(-err));
		goto out;
	}
	ret = 0;
out:
	for (id = 0; m.marks && id < m.cnt; id++)
		free(m.marks[id].members);
	free(m.marks);
	free(new_id);
	btf__free(out);
	btf__free(src);
	return ret;
}
