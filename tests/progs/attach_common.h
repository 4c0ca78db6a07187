/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by the attach test programs: the test's pid in cfg[0], hit counters
 * in counts[], observed values (cookies, arguments) in vals[]. User space
 * reads them back with tests/test_attach_util.h.
 */
#ifndef ATTACH_COMMON_H
#define ATTACH_COMMON_H

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");

/* cfg[0]: pid (tgid) of the test; cfg[1]: a free parameter */
static __always_inline __u64 cfg_get(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&cfg, &idx);

	return v ? *v : 0;
}

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == cfg_get(0);
}

static __always_inline void bump(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline void put(__u32 idx, __u64 val)
{
	__u64 *v = bpf_map_lookup_elem(&vals, &idx);

	if (v)
		*v = val;
}

#endif
