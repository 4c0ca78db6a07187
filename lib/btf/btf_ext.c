// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * .BTF.ext: func_info, line_info and CO-RE relocation records, grouped per
 * ELF section. Parsed into a host-order copy; records keep the size the
 * compiler wrote (rec_size) so newer, longer records still work.
 */
#include <byteswap.h>
#include <stdlib.h>

#include "btf_layout_internal.h"

/* The on-disk header; core_relo_* exist when hdr_len reaches them. */
struct ext_hdr {
	__u16 magic;
	__u8 version;
	__u8 flags;
	__u32 hdr_len;
	__u32 func_info_off;
	__u32 func_info_len;
	__u32 line_info_off;
	__u32 line_info_len;
	__u32 core_relo_off;
	__u32 core_relo_len;
};

#define EXT_HDR_MIN offsetof(struct ext_hdr, core_relo_off)

struct btf_ext {
	void *raw;		/* original bytes */
	__u32 raw_size;
	void *data;		/* host-order copy of everything after the header */
	__u32 hdr_len, data_len;
	bool swap;		/* raw is in the other byte order */
	struct evbpf__btf_ext_info info[__EVBPF_BTF_EXT_KIND_CNT];
	struct evbpf__btf_ext_sec *secs[__EVBPF_BTF_EXT_KIND_CNT];
};

static const char *const kind_names[] = {
	[EVBPF_BTF_EXT_FUNC_INFO] = "func_info",
	[EVBPF_BTF_EXT_LINE_INFO] = "line_info",
	[EVBPF_BTF_EXT_CORE_RELO] = "core_relo",
};

static const __u32 min_rec_size[] = {
	[EVBPF_BTF_EXT_FUNC_INFO] = sizeof(struct bpf_func_info),
	[EVBPF_BTF_EXT_LINE_INFO] = sizeof(struct bpf_line_info),
	[EVBPF_BTF_EXT_CORE_RELO] = sizeof(struct bpf_core_relo),
};

void btf_ext__free(struct btf_ext *ext)
{
	int k;

	if (!ext)
		return;
	for (k = 0; k < __EVBPF_BTF_EXT_KIND_CNT; k++)
		free(ext->secs[k]);
	free(ext->raw);
	free(ext->data);
	free(ext);
}

/* Splits one info area (@off/@len inside ext->data, already host order). */
static int parse_info(struct btf_ext *ext, enum evbpf__btf_ext_kind kind,
		      __u32 off, __u32 len, __u32 data_len, __u32 hdr_len)
{
	struct evbpf__btf_ext_info *info = &ext->info[kind];
	const char *p = (const char *)ext->data + off;
	__u32 pos, rec_size, cnt = 0, n;

	if (!len)
		return 0;
	if ((__u64)off + len > data_len || off % 4 || len % 4 || len < 4) {
		pr_warn("BTF.ext: %s area [%u+%u] outside the %u data bytes",
			kind_names[kind], hdr_len + off, len, data_len);
		return -EINVAL;
	}
	memcpy(&rec_size, p, 4);
	if (rec_size < min_rec_size[kind] || rec_size % 4) {
		pr_warn("BTF.ext: %s record size %u invalid at offset %u (need >= %u, multiple of 4)",
			kind_names[kind], rec_size, hdr_len + off, min_rec_size[kind]);
		return -EINVAL;
	}
	/* Two passes: count sections, then record them. */
	for (n = 0; n < 2; n++) {
		__u32 i = 0;

		for (pos = 4; pos < len; i++) {
			__u32 name_off, num;

			if (len - pos < 8) {
				pr_warn("BTF.ext: %s section #%u header truncated at offset %u",
					kind_names[kind], i, hdr_len + off + pos);
				return -EINVAL;
			}
			memcpy(&name_off, p + pos, 4);
			memcpy(&num, p + pos + 4, 4);
			if (!num || (__u64)num * rec_size > len - pos - 8) {
				pr_warn("BTF.ext: %s section #%u at offset %u: %u records of %u bytes do not fit",
					kind_names[kind], i, hdr_len + off + pos, num, rec_size);
				return -EINVAL;
			}
			if (n == 1) {
				ext->secs[kind][i].sec_name_off = name_off;
				ext->secs[kind][i].num_info = num;
				ext->secs[kind][i].data = p + pos + 8;
			}
			pos += 8 + num * rec_size;
		}
		if (n == 0) {
			cnt = i;
			ext->secs[kind] = calloc(cnt ? cnt : 1, sizeof(*ext->secs[kind]));
			if (!ext->secs[kind])
				return -ENOMEM;
		}
	}
	info->rec_size = rec_size;
	info->sec_cnt = cnt;
	info->secs = ext->secs[kind];
	return 0;
}

struct btf_ext *btf_ext__new(const __u8 *data, __u32 size)
{
	struct ext_hdr hdr = {};
	struct btf_ext *ext;
	__u32 data_len, i;
	bool swap;
	int err = -EINVAL;

	if (!data || size < EXT_HDR_MIN) {
		pr_warn("BTF.ext: %u bytes, too short for a header", size);
		return evbpf__err_ptr(-EINVAL);
	}
	memcpy(&hdr, data, EXT_HDR_MIN);
	swap = hdr.magic == bswap_16(BTF_MAGIC);
	if (!swap && hdr.magic != BTF_MAGIC) {
		pr_warn("BTF.ext: bad magic 0x%04x at offset 0", hdr.magic);
		return evbpf__err_ptr(-EINVAL);
	}
	if (swap)
		hdr.hdr_len = bswap_32(hdr.hdr_len);
	if (hdr.version != BTF_VERSION || hdr.flags) {
		pr_warn("BTF.ext: unsupported version %u / flags 0x%x", hdr.version, hdr.flags);
		return evbpf__err_ptr(-EINVAL);
	}
	if (hdr.hdr_len < EXT_HDR_MIN || hdr.hdr_len > size) {
		pr_warn("BTF.ext: header length %u out of range (%u bytes)", hdr.hdr_len, size);
		return evbpf__err_ptr(-EINVAL);
	}
	memcpy(&hdr, data, evbpf__min((size_t)hdr.hdr_len, sizeof(hdr)));
	if (swap) {
		hdr.hdr_len = bswap_32(hdr.hdr_len);
		hdr.func_info_off = bswap_32(hdr.func_info_off);
		hdr.func_info_len = bswap_32(hdr.func_info_len);
		hdr.line_info_off = bswap_32(hdr.line_info_off);
		hdr.line_info_len = bswap_32(hdr.line_info_len);
		hdr.core_relo_off = bswap_32(hdr.core_relo_off);
		hdr.core_relo_len = bswap_32(hdr.core_relo_len);
	}
	data_len = size - hdr.hdr_len;

	ext = calloc(1, sizeof(*ext));
	if (!ext)
		return evbpf__err_ptr(-ENOMEM);
	ext->raw = malloc(size);
	ext->data = malloc(data_len + 4);
	if (!ext->raw || !ext->data) {
		err = -ENOMEM;
		goto fail;
	}
	memcpy(ext->raw, data, size);
	ext->raw_size = size;
	ext->hdr_len = hdr.hdr_len;
	ext->data_len = data_len;
	ext->swap = swap;
	memcpy(ext->data, data + hdr.hdr_len, data_len);
	if (swap) {
		/* Every field of every info area is a 32-bit word. */
		__u32 *w = ext->data;

		for (i = 0; i < data_len / 4; i++)
			w[i] = bswap_32(w[i]);
	}
	err = parse_info(ext, EVBPF_BTF_EXT_FUNC_INFO, hdr.func_info_off,
			 hdr.func_info_len, data_len, hdr.hdr_len);
	if (!err)
		err = parse_info(ext, EVBPF_BTF_EXT_LINE_INFO, hdr.line_info_off,
				 hdr.line_info_len, data_len, hdr.hdr_len);
	if (!err && hdr.hdr_len >= sizeof(hdr))
		err = parse_info(ext, EVBPF_BTF_EXT_CORE_RELO, hdr.core_relo_off,
				 hdr.core_relo_len, data_len, hdr.hdr_len);
	if (err)
		goto fail;
	return ext;
fail:
	btf_ext__free(ext);
	return evbpf__err_ptr(err);
}

const void *btf_ext__raw_data(const struct btf_ext *ext, __u32 *size)
{
	*size = ext->raw_size;
	return ext->raw;
}

const struct evbpf__btf_ext_info *
evbpf__btf_ext_info(const struct btf_ext *ext, enum evbpf__btf_ext_kind kind)
{
	return &ext->info[kind];
}

const struct evbpf__btf_ext_sec *
evbpf__btf_ext_find_sec(const struct btf_ext *ext, const struct btf *btf,
			enum evbpf__btf_ext_kind kind, const char *sec_name)
{
	const struct evbpf__btf_ext_info *info = &ext->info[kind];
	__u32 i;

	for (i = 0; i < info->sec_cnt; i++) {
		const char *name = btf__name_by_offset(btf, info->secs[i].sec_name_off);

		if (name && strcmp(name, sec_name) == 0)
			return &info->secs[i];
	}
	return NULL;
}

static bool str_in(const struct btf *btf, __u32 off)
{
	return off < evbpf__btf_strs_end(btf);
}

/* Access strings look like "0:1:2": decimal indices separated by ':'. */
static bool access_str_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((*s < '0' || *s > '9') && *s != ':')
			return false;
	return true;
}

int evbpf__btf_ext_validate(const struct btf_ext *ext, const struct btf *btf,
			    const char *obj)
{
	__u32 ntypes = btf__type_cnt(btf);
	int k;

	for (k = 0; k < __EVBPF_BTF_EXT_KIND_CNT; k++) {
		const struct evbpf__btf_ext_info *info = &ext->info[k];
		__u32 s, r;

		for (s = 0; s < info->sec_cnt; s++) {
			const struct evbpf__btf_ext_sec *sec = &info->secs[s];
			const char *name = str_in(btf, sec->sec_name_off) ?
					   btf__name_by_offset(btf, sec->sec_name_off) : NULL;

			if (!name || !*name) {
				pr_warn("%s: .BTF.ext %s section #%u: bad section name offset %u",
					obj, kind_names[k], s, sec->sec_name_off);
				return evbpf__err(-EINVAL);
			}
			for (r = 0; r < sec->num_info; r++) {
				const void *rec = evbpf__btf_ext_rec(info, sec, r);
				const char *why = NULL;

				if (k == EVBPF_BTF_EXT_FUNC_INFO) {
					const struct bpf_func_info *fi = rec;

					if (fi->type_id >= ntypes ||
					    !btf_is_func(btf__type_by_id(btf, fi->type_id)))
						why = "type id is not a FUNC";
					else if (fi->insn_off % 8)
						why = "instruction offset not a multiple of 8";
				} else if (k == EVBPF_BTF_EXT_LINE_INFO) {
					const struct bpf_line_info *li = rec;

					if (!str_in(btf, li->file_name_off) || !str_in(btf, li->line_off))
						why = "file or line string offset out of range";
					else if (li->insn_off % 8)
						why = "instruction offset not a multiple of 8";
				} else {
					const struct bpf_core_relo *cr = rec;

					if (cr->type_id >= ntypes)
						why = "type id out of range";
					else if (!str_in(btf, cr->access_str_off) ||
						 !access_str_ok(btf__name_by_offset(btf, cr->access_str_off)))
						why = "bad access string";
					else if ((__u32)cr->kind > 12)
						why = "unknown relocation kind";
					else if (cr->insn_off % 8)
						why = "instruction offset not a multiple of 8";
				}
				if (why) {
					pr_warn("%s: .BTF.ext %s of section '%s' record #%u: %s",
						obj, kind_names[k], name, r, why);
					return evbpf__err(-EINVAL);
				}
			}
		}
	}
	return 0;
}

/* Keeps btf_ext__raw_data() in step with the host copy: the data part
 * after the header, in the raw byte order. */
static void sync_raw_data(struct btf_ext *ext)
{
	__u32 i, *w;

	memcpy((char *)ext->raw + ext->hdr_len, ext->data, ext->data_len);
	if (ext->swap) {
		w = (__u32 *)((char *)ext->raw + ext->hdr_len);
		for (i = 0; i < ext->data_len / 4; i++)
			w[i] = bswap_32(w[i]);
	}
}

int evbpf__btf_ext_remap_types(struct btf_ext *ext, __u32 (*map)(__u32 id, void *ctx), void *ctx)
{
	__u32 s, r, *w;
	int k;

	for (k = 0; k < __EVBPF_BTF_EXT_KIND_CNT; k++) {
		const struct evbpf__btf_ext_info *info = &ext->info[k];

		if (k == EVBPF_BTF_EXT_LINE_INFO)
			continue;	/* no type ids */
		for (s = 0; s < info->sec_cnt; s++) {
			for (r = 0; r < info->secs[s].num_info; r++) {
				/* func_info and core_relo keep type_id at word 1 */
				w = (__u32 *)evbpf__btf_ext_rec(info, &info->secs[s], r);
				w[1] = map(w[1], ctx);
			}
		}
	}
	sync_raw_data(ext);
	return 0;
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_ENDIAN BTF_LITTLE_ENDIAN
#else
#define HOST_ENDIAN BTF_BIG_ENDIAN
#endif

enum btf_endianness btf_ext__endianness(const struct btf_ext *ext)
{
	return ext->swap ? (enum btf_endianness)!HOST_ENDIAN : HOST_ENDIAN;
}

int btf_ext__set_endianness(struct btf_ext *ext, enum btf_endianness endian)
{
	__u32 i, *w;
	__u16 *magic;

	if (endian != BTF_LITTLE_ENDIAN && endian != BTF_BIG_ENDIAN)
		return evbpf__err(-EINVAL);
	if (btf_ext__endianness(ext) == endian)
		return 0;
	/* Flip the header in place (16-bit magic, then 32-bit words past
	 * version/flags), then rebuild the data part from the host copy. */
	magic = ext->raw;
	*magic = bswap_16(*magic);
	w = (__u32 *)((char *)ext->raw + 4);
	for (i = 0; i < (ext->hdr_len - 4) / 4; i++)
		w[i] = bswap_32(w[i]);
	ext->swap = !ext->swap;
	sync_raw_data(ext);
	return 0;
}
