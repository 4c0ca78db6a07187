// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cached probes of kernel features (features_internal.h). Each probe builds the
 * smallest map, program or BTF blob that exercises one feature, asks the
 * kernel, and closes what it made. Results are cached per process; two
 * threads racing on the first use both probe and store the same answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bpf/bpf_uapi_ext.h"
#include "features_internal.h"
#include "base/base_internal.h"
#include "probe_internal.h"

/* ---- raw loaders shared with libbpf_probe.c ---- */

/* The BPF token the probes of this thread pass, 0 for none: set only while
 * a per-object cache (evbpf__feat_scope_enter) runs a probe, so that an
 * object loading through a token probes what the token allows. */
static __thread int probe_token_fd;

int evbpf__probe_load_btf(const void *types, size_t types_len,
			  const char *strs, size_t strs_len)
{
	struct btf_header hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(hdr),
		.type_off = 0,
		.type_len = (__u32)types_len,
		.str_off = (__u32)types_len,
		.str_len = (__u32)strs_len,
	};
	size_t size = sizeof(hdr) + types_len + strs_len;
	union evbpf__attr attr;
	char *raw;
	int fd;

	raw = malloc(size);
	if (!raw)
		return -ENOMEM;
	memcpy(raw, &hdr, sizeof(hdr));
	memcpy(raw + sizeof(hdr), types, types_len);
	memcpy(raw + sizeof(hdr) + types_len, strs, strs_len);

	memset(&attr, 0, sizeof(attr));
	attr.btf_load.btf = evbpf__ptr_to_u64(raw);
	attr.btf_load.btf_size = (__u32)size;
	if (probe_token_fd > 0) {
		attr.btf_load.btf_flags = BPF_F_TOKEN_FD;
		attr.btf_load.btf_token_fd = probe_token_fd;
	}
	fd = evbpf__sys_bpf_fd(BPF_BTF_LOAD, &attr,
			       probe_token_fd > 0 ?
			       offsetofend(struct evbpf__attr_btf_load, btf_token_fd) :
			       offsetofend(struct evbpf__attr_btf_load, btf_log_level));
	free(raw);
	return fd;
}

int evbpf__probe_load_prog(enum bpf_prog_type type, const struct bpf_insn *insns,
			   __u32 cnt, union evbpf__attr *attr,
			   char *log, __u32 log_size)
{
	union evbpf__attr local;

	if (!attr) {
		memset(&local, 0, sizeof(local));
		attr = &local;
	}
	attr->prog_load.prog_type = type;
	attr->prog_load.insns = evbpf__ptr_to_u64(insns);
	attr->prog_load.insn_cnt = cnt;
	attr->prog_load.license = evbpf__ptr_to_u64("GPL");
	if (log && log_size) {
		log[0] = '\0';
		attr->prog_load.log_buf = evbpf__ptr_to_u64(log);
		attr->prog_load.log_size = log_size;
		attr->prog_load.log_level = 1;
	}
	if (probe_token_fd > 0) {
		attr->prog_load.prog_flags |= BPF_F_TOKEN_FD;
		attr->prog_load.prog_token_fd = probe_token_fd;
		return evbpf__sys_bpf_fd(BPF_PROG_LOAD, attr,
					 offsetofend(struct evbpf__attr_prog_load, prog_token_fd));
	}
	return evbpf__sys_bpf_fd(BPF_PROG_LOAD, attr,
				 offsetofend(struct evbpf__attr_prog_load, fd_array));
}

int evbpf__probe_create_map(union evbpf__attr *attr)
{
	if (probe_token_fd > 0) {
		attr->map_create.map_flags |= BPF_F_TOKEN_FD;
		attr->map_create.map_token_fd = probe_token_fd;
		return evbpf__sys_bpf_fd(BPF_MAP_CREATE, attr,
					 offsetofend(struct evbpf__attr_map_create, map_token_fd));
	}
	return evbpf__sys_bpf_fd(BPF_MAP_CREATE, attr,
				 offsetofend(struct evbpf__attr_map_create, map_extra));
}

/* ---- probes: each returns 1 (supported), 0 (not) or -errno ---- */

/* 1 for a valid fd (closed here), 0 when the kernel refused, the -errno of
 * a transient failure (out of fds or memory) that says nothing either way. */
static int fd_ok(int fd)
{
	if (fd < 0)
		return evbpf__err_transient(fd) ? fd : 0;
	close(fd);
	return 1;
}

static const struct bpf_insn ret0[] = { P_MOV64_IMM(BPF_REG_0, 0), P_EXIT() };

static int probe_prog_name(void)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	memcpy(attr.prog_load.prog_name, "evbpf_probe", sizeof("evbpf_probe"));
	return fd_ok(evbpf__probe_load_prog(BPF_PROG_TYPE_SOCKET_FILTER, ret0,
					    ARRAY_SIZE(ret0), &attr, NULL, 0));
}

static int make_array(__u32 value_size, __u32 flags)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_create.map_type = BPF_MAP_TYPE_ARRAY;
	attr.map_create.key_size = 4;
	attr.map_create.value_size = value_size;
	attr.map_create.max_entries = 1;
	attr.map_create.map_flags = flags;
	return evbpf__probe_create_map(&attr);
}

static int probe_global_data(void)
{
	struct bpf_insn insns[] = {
		P_LD_IMM64_SRC(BPF_REG_1, BPF_PSEUDO_MAP_VALUE, 0),
		P_ST_W(BPF_REG_1, 0, 42),
		P_MOV64_IMM(BPF_REG_0, 0),
		P_EXIT(),
	};
	int map_fd, ret;

	map_fd = make_array(32, 0);
	if (map_fd < 0)
		return map_fd;
	insns[0].imm = map_fd;
	ret = fd_ok(evbpf__probe_load_prog(BPF_PROG_TYPE_SOCKET_FILTER, insns,
					   ARRAY_SIZE(insns), NULL, NULL, 0));
	close(map_fd);
	return ret;
}

#define BTF_PROBE(types, strs) \
	fd_ok(evbpf__probe_load_btf(types, sizeof(types), strs, sizeof(strs)))

static int probe_btf(void)
{
	static const char strs[] = "\0int";
	static const __u32 types[] = { P_BTF_INT(1) };

	return BTF_PROBE(types, strs);
}

static int probe_btf_func_linkage(__u32 linkage)
{
	static const char strs[] = "\0int\0f";
	const __u32 types[] = {
		P_BTF_INT(1),						/* [1] */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 0), 1),	/* [2] int (void) */
		P_BTF_TYPE(5, P_BTF_INFO(BTF_KIND_FUNC, 0, linkage), 2),	/* [3] f */
	};

	return BTF_PROBE(types, strs);
}

static int probe_btf_func(void)
{
	return probe_btf_func_linkage(BTF_FUNC_STATIC);
}

static int probe_btf_global_func(void)
{
	return probe_btf_func_linkage(BTF_FUNC_GLOBAL);
}

/* int x in a data section named @secname (offset into @strs) */
static int probe_datasec_named(const char *strs, size_t strs_len, __u32 sec_name)
{
	const __u32 types[] = {
		P_BTF_INT(1),						/* [1] int */
		P_BTF_TYPE(5, P_BTF_INFO(BTF_KIND_VAR, 0, 0), 1),	/* [2] x */
		BTF_VAR_GLOBAL_ALLOCATED,
		P_BTF_TYPE(sec_name, P_BTF_INFO(BTF_KIND_DATASEC, 0, 1), 4), /* [3] */
		P_BTF_VAR_SECINFO(2, 0, 4),
	};

	return fd_ok(evbpf__probe_load_btf(types, sizeof(types), strs, strs_len));
}

static int probe_btf_datasec(void)
{
	static const char strs[] = "\0int\0x\0.data";

	return probe_datasec_named(strs, sizeof(strs), 7);
}

static int probe_btf_qmark_datasec(void)
{
	static const char strs[] = "\0int\0x\0?.data";

	return probe_datasec_named(strs, sizeof(strs), 7);
}

static int probe_btf_float(void)
{
	static const char strs[] = "\0float";
	static const __u32 types[] = {
		P_BTF_TYPE(1, P_BTF_INFO(BTF_KIND_FLOAT, 0, 0), 4),
	};

	return BTF_PROBE(types, strs);
}

static int probe_btf_decl_tag(void)
{
	static const char strs[] = "\0int\0x\0tag";
	static const __u32 types[] = {
		P_BTF_INT(1),						/* [1] */
		P_BTF_TYPE(5, P_BTF_INFO(BTF_KIND_VAR, 0, 0), 1),	/* [2] x */
		BTF_VAR_GLOBAL_ALLOCATED,
		P_BTF_TYPE(7, P_BTF_INFO(BTF_KIND_DECL_TAG, 0, 0), 2),	/* [3] on x */
		(__u32)-1,
	};

	return BTF_PROBE(types, strs);
}

static int probe_btf_type_tag(void)
{
	static const char strs[] = "\0int\0tag";
	static const __u32 types[] = {
		P_BTF_INT(1),						/* [1] */
		P_BTF_TYPE(5, P_BTF_INFO(BTF_KIND_TYPE_TAG, 0, 0), 1),	/* [2] */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_PTR, 0, 0), 2),	/* [3] */
	};

	return BTF_PROBE(types, strs);
}

static int probe_btf_enum64(void)
{
	static const char strs[] = "\0e\0v";
	static const __u32 types[] = {
		P_BTF_TYPE(1, P_BTF_INFO(BTF_KIND_ENUM64, 0, 1), 8),	/* [1] e */
		3, 1, 1,						/* v = 1 << 32 | 1 */
	};

	return BTF_PROBE(types, strs);
}

static int probe_btf_proto_unnamed_params(void)
{
	static const char strs[] = "\0int";
	static const __u32 types[] = {
		P_BTF_INT(1),						/* [1] */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 2), 1), /* [2] int (int, int) */
		P_BTF_PARAM(0, 1),
		P_BTF_PARAM(0, 1),
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_PTR, 0, 0), 2),	/* [3] pointer to it */
	};

	return BTF_PROBE(types, strs);
}

static int probe_array_mmap(void)
{
	return fd_ok(make_array(4, BPF_F_MMAPABLE));
}

static int probe_exp_attach_type(void)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_load.expected_attach_type = BPF_CGROUP_INET_SOCK_CREATE;
	return fd_ok(evbpf__probe_load_prog(BPF_PROG_TYPE_CGROUP_SOCK, ret0,
					    ARRAY_SIZE(ret0), &attr, NULL, 0));
}

static int probe_probe_read_kern(void)
{
	static const struct bpf_insn insns[] = {
		P_MOV64_REG(BPF_REG_1, BPF_REG_10),
		P_ADD64_IMM(BPF_REG_1, -8),
		P_MOV64_IMM(BPF_REG_2, 8),
		P_MOV64_IMM(BPF_REG_3, 0),
		P_CALL_HELPER(BPF_FUNC_probe_read_kernel),
		P_MOV64_IMM(BPF_REG_0, 0),
		P_EXIT(),
	};

	return fd_ok(evbpf__probe_load_prog(BPF_PROG_TYPE_TRACEPOINT, insns,
					    ARRAY_SIZE(insns), NULL, NULL, 0));
}

static int probe_ringbuf_type(__u32 type)
{
	union evbpf__attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_create.map_type = type;
	attr.map_create.max_entries = (__u32)sysconf(_SC_PAGESIZE);
	return fd_ok(evbpf__probe_create_map(&attr));
}

static int probe_ringbuf(void)
{
	return probe_ringbuf_type(BPF_MAP_TYPE_RINGBUF);
}

static int probe_user_ringbuf(void)
{
	return probe_ringbuf_type(BPF_MAP_TYPE_USER_RINGBUF);
}

static int probe_bpf_cookie(void)
{
	static const struct bpf_insn insns[] = {
		P_CALL_HELPER(BPF_FUNC_get_attach_cookie),
		P_MOV64_IMM(BPF_REG_0, 0),
		P_EXIT(),
	};

	return fd_ok(evbpf__probe_load_prog(BPF_PROG_TYPE_TRACEPOINT, insns,
					    ARRAY_SIZE(insns), NULL, NULL, 0));
}

/* Loads a do-nothing program of @type / @exp_attach, issues
 * BPF_LINK_CREATE with @link (prog_fd filled in) and reports whether the
 * kernel answered @want_err (meaning it understood the request). */
static int probe_link(enum bpf_prog_type type, __u32 exp_attach,
		      union evbpf__attr *link, int want_err)
{
	union evbpf__attr attr;
	int prog_fd, fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_load.expected_attach_type = exp_attach;
	prog_fd = evbpf__probe_load_prog(type, ret0, ARRAY_SIZE(ret0), &attr,
					 NULL, 0);
	if (prog_fd < 0)
		return fd_ok(prog_fd);
	link->link_create.prog_fd = prog_fd;
	fd = evbpf__sys_bpf_fd(BPF_LINK_CREATE, link, sizeof(link->link_create));
	close(prog_fd);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return evbpf__err_transient(fd) ? fd : fd == want_err;
}

static int probe_perf_link(void)
{
	union evbpf__attr link;

	/* a bad perf event fd is refused with EBADF only by kernels that
	 * know perf links; older ones reject the attach type with EINVAL */
	memset(&link, 0, sizeof(link));
	link.link_create.target_fd = (__u32)-1;
	link.link_create.attach_type = BPF_PERF_EVENT;
	return probe_link(BPF_PROG_TYPE_TRACEPOINT, 0, &link, -EBADF);
}

static int probe_uprobe_multi_link(void)
{
	unsigned long offset = 0;
	union evbpf__attr link;

	/* "/" is no regular file: EBADF from kernels with uprobe_multi */
	memset(&link, 0, sizeof(link));
	link.link_create.attach_type = BPF_TRACE_UPROBE_MULTI;
	link.link_create.uprobe_multi.path = evbpf__ptr_to_u64("/");
	link.link_create.uprobe_multi.offsets = evbpf__ptr_to_u64(&offset);
	link.link_create.uprobe_multi.cnt = 1;
	return probe_link(BPF_PROG_TYPE_KPROBE, BPF_TRACE_UPROBE_MULTI, &link,
			  -EBADF);
}

static int probe_kprobe_multi_link(void)
{
	const char *syms[] = { "bpf_fentry_test1" };
	union evbpf__attr link;

	memset(&link, 0, sizeof(link));
	link.link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
	link.link_create.kprobe_multi.syms = evbpf__ptr_to_u64(syms);
	link.link_create.kprobe_multi.cnt = 1;
	return probe_link(BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, &link, 1);
}

static int probe_ifindex0_link(__u32 attach_type)
{
	union evbpf__attr link;

	/* ifindex 0 names no device: ENODEV once the attach type is known */
	memset(&link, 0, sizeof(link));
	link.link_create.attach_type = attach_type;
	return probe_link(BPF_PROG_TYPE_SCHED_CLS, attach_type, &link, -ENODEV);
}

static int probe_tcx_link(void)
{
	return probe_ifindex0_link(BPF_TCX_INGRESS);
}

static int probe_netkit_link(void)
{
	return probe_ifindex0_link(BPF_NETKIT_PRIMARY);
}

static int probe_memcg_account(void)
{
	/* bpf_ktime_get_coarse_ns arrived in the same release (5.11) as
	 * memcg-based accounting of BPF memory */
	static const struct bpf_insn insns[] = {
		P_CALL_HELPER(BPF_FUNC_ktime_get_coarse_ns),
		P_MOV64_IMM(BPF_REG_0, 0),
		P_EXIT(),
	};

	return fd_ok(evbpf__probe_load_prog(BPF_PROG_TYPE_CGROUP_SKB, insns,
					    ARRAY_SIZE(insns), NULL, NULL, 0));
}

const char *evbpf__syscall_prefix(void)
{
#if defined(__x86_64__)
	return "__x64_";
#elif defined(__i386__)
	return "__ia32_";
#elif defined(__aarch64__)
	return "__arm64_";
#elif defined(__s390x__)
	return "__s390x_";
#elif defined(__riscv)
	return "__riscv_";
#elif defined(__powerpc__)
	return "__powerpc_";
#elif defined(__loongarch__)
	return "__loongarch_";
#else
	return NULL;
#endif
}

static int probe_syscall_wrapper(void)
{
	const char *prefix = evbpf__syscall_prefix();
	char want[64], line[256];
	size_t len;
	FILE *f;
	int found = 0;

	if (!prefix)
		return 0;
	len = (size_t)snprintf(want, sizeof(want), " %ssys_bpf", prefix);
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ' ');	/* after the address */

		if (!p || !(p = strchr(p + 1, ' ')))	/* after the type */
			continue;
		if (!strncmp(p, want, len) && (p[len] == '\n' || p[len] == '\t'))
			found = 1;
	}
	fclose(f);
	return found;
}

static int probe_arg_ctx_tag(void)
{
	/* A global subprogram taking "void *c" may read the context only
	 * when c carries the "arg:ctx" decl tag. */
	static const char strs[] = "\0int\0m\0s\0c\0arg:ctx";
	static const __u32 types[] = {
		P_BTF_INT(1),						/* [1] int */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_PTR, 0, 0), 0),	/* [2] void * */
		P_BTF_TYPE(0, P_BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 1), 1), /* [3] int (void *c) */
		P_BTF_PARAM(9, 2),
		P_BTF_TYPE(5, P_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL), 3), /* [4] m */
		P_BTF_TYPE(7, P_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL), 3), /* [5] s */
		P_BTF_TYPE(11, P_BTF_INFO(BTF_KIND_DECL_TAG, 0, 0), 5), 0, /* [6] on s's arg 0 */
	};
	static const struct bpf_insn insns[] = {
		P_CALL_REL(1),			/* m: return s(ctx) */
		P_EXIT(),
		P_LDX_W(BPF_REG_0, BPF_REG_1, 0),	/* s: return skb->len */
		P_EXIT(),
	};
	const struct bpf_func_info finfo[] = { { 0, 4 }, { 2, 5 } };
	union evbpf__attr attr;
	int btf_fd, ret;

	btf_fd = evbpf__probe_load_btf(types, sizeof(types), strs, sizeof(strs));
	if (btf_fd < 0)
		return fd_ok(btf_fd);
	memset(&attr, 0, sizeof(attr));
	attr.prog_load.prog_btf_fd = btf_fd;
	attr.prog_load.func_info = evbpf__ptr_to_u64(finfo);
	attr.prog_load.func_info_cnt = ARRAY_SIZE(finfo);
	attr.prog_load.func_info_rec_size = sizeof(finfo[0]);
	ret = fd_ok(evbpf__probe_load_prog(BPF_PROG_TYPE_SOCKET_FILTER, insns,
					   ARRAY_SIZE(insns), &attr, NULL, 0));
	close(btf_fd);
	return ret;
}

static int probe_common_attrs(void)
{
	union evbpf__attr attr;
	int fd;

	/* common attributes at an invalid address: a kernel that reads them
	 * says EFAULT; one without them refuses the command number */
	memset(&attr, 0, sizeof(attr));
	fd = evbpf__sys_bpf_common_fd(BPF_PROG_LOAD, &attr,
				      offsetofend(struct evbpf__attr_prog_load, prog_token_fd),
				      NULL, sizeof(struct evbpf__attr_common));
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return evbpf__err_transient(fd) ? fd : fd == -EFAULT;
}

/* ---- the cache ---- */

static const struct {
	const char *name;
	int (*probe)(void);
} feats[__EVBPF_FEAT_CNT] = {
	[EVBPF_FEAT_PROG_NAME] = { "BPF program name", probe_prog_name },
	[EVBPF_FEAT_GLOBAL_DATA] = { "global variables", probe_global_data },
	[EVBPF_FEAT_BTF] = { "BTF", probe_btf },
	[EVBPF_FEAT_BTF_FUNC] = { "BTF_KIND_FUNC", probe_btf_func },
	[EVBPF_FEAT_BTF_GLOBAL_FUNC] = { "BTF global functions", probe_btf_global_func },
	[EVBPF_FEAT_BTF_DATASEC] = { "BTF_KIND_VAR/DATASEC", probe_btf_datasec },
	[EVBPF_FEAT_BTF_FLOAT] = { "BTF_KIND_FLOAT", probe_btf_float },
	[EVBPF_FEAT_BTF_DECL_TAG] = { "BTF_KIND_DECL_TAG", probe_btf_decl_tag },
	[EVBPF_FEAT_BTF_TYPE_TAG] = { "BTF_KIND_TYPE_TAG", probe_btf_type_tag },
	[EVBPF_FEAT_BTF_ENUM64] = { "BTF_KIND_ENUM64", probe_btf_enum64 },
	[EVBPF_FEAT_BTF_FUNC_PROTO_NO_NAME_PARAMS] = { "BTF FUNC_PROTO with unnamed params",
						      probe_btf_proto_unnamed_params },
	[EVBPF_FEAT_ARRAY_MMAP] = { "mmapable array maps", probe_array_mmap },
	[EVBPF_FEAT_EXP_ATTACH_TYPE] = { "expected_attach_type", probe_exp_attach_type },
	[EVBPF_FEAT_PROBE_READ_KERN] = { "bpf_probe_read_kernel", probe_probe_read_kern },
	[EVBPF_FEAT_RINGBUF] = { "ring buffer maps", probe_ringbuf },
	[EVBPF_FEAT_USER_RINGBUF] = { "user ring buffer maps", probe_user_ringbuf },
	[EVBPF_FEAT_BPF_COOKIE] = { "BPF cookie", probe_bpf_cookie },
	[EVBPF_FEAT_PERF_LINK] = { "perf event links", probe_perf_link },
	[EVBPF_FEAT_UPROBE_MULTI_LINK] = { "uprobe_multi links", probe_uprobe_multi_link },
	[EVBPF_FEAT_KPROBE_MULTI_LINK] = { "kprobe_multi links", probe_kprobe_multi_link },
	[EVBPF_FEAT_MEMCG_ACCOUNT] = { "memcg accounting", probe_memcg_account },
	[EVBPF_FEAT_SYSCALL_WRAPPER] = { "syscall wrappers", probe_syscall_wrapper },
	[EVBPF_FEAT_TCX_LINK] = { "tcx links", probe_tcx_link },
	[EVBPF_FEAT_NETKIT_LINK] = { "netkit links", probe_netkit_link },
	[EVBPF_FEAT_BTF_QMARK_DATASEC] = { "'?' in DATASEC names", probe_btf_qmark_datasec },
	[EVBPF_FEAT_ARG_CTX_TAG] = { "arg:ctx tags", probe_arg_ctx_tag },
	[EVBPF_FEAT_COMMON_ATTRS] = { "bpf() common attributes", probe_common_attrs },
};

enum { FEAT_UNKNOWN, FEAT_YES, FEAT_NO };
static int feat_cache[__EVBPF_FEAT_CNT];

struct evbpf__feat_cache {
	int token_fd;
	int state[__EVBPF_FEAT_CNT];
};

/* The cache the probes of this thread use instead of the process-wide one
 * (an object loading through a token), NULL for the process-wide one. */
static __thread struct evbpf__feat_cache *feat_scope;

struct evbpf__feat_cache *evbpf__feat_cache_new(int token_fd)
{
	struct evbpf__feat_cache *cache = calloc(1, sizeof(*cache));

	if (cache)
		cache->token_fd = token_fd;
	return cache;
}

void evbpf__feat_cache_free(struct evbpf__feat_cache *cache)
{
	free(cache);
}

struct evbpf__feat_cache *evbpf__feat_scope_enter(struct evbpf__feat_cache *cache)
{
	struct evbpf__feat_cache *prev = feat_scope;

	feat_scope = cache;
	return prev;
}

void evbpf__feat_scope_leave(struct evbpf__feat_cache *prev)
{
	feat_scope = prev;
}

bool evbpf__feat_supported(enum evbpf__feat feat)
{
	int state, ret, saved_errno, saved_token;
	int *slot;

	if ((unsigned int)feat >= __EVBPF_FEAT_CNT)
		return false;
	/* features of the machine itself, not of what a token allows */
	if (feat_scope && feat != EVBPF_FEAT_SYSCALL_WRAPPER)
		slot = &feat_scope->state[feat];
	else
		slot = &feat_cache[feat];
	state = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (state != FEAT_UNKNOWN)
		return state == FEAT_YES;

	saved_errno = errno;
	saved_token = probe_token_fd;
	if (slot != &feat_cache[feat])
		probe_token_fd = feat_scope->token_fd;
	ret = feats[feat].probe();
	probe_token_fd = saved_token;
	if (ret < 0 && evbpf__err_transient(ret)) {
		char buf[EVBPF_ERRSTR_MAX];

		/* the next call probes again */
		pr_warn("probing %s failed: %s; assuming unsupported this time",
			feats[feat].name, evbpf__errstr(ret, buf, sizeof(buf)));
		errno = saved_errno;
		return false;
	} else if (ret < 0) {
		char buf[EVBPF_ERRSTR_MAX];

		pr_debug("probing %s failed: %s; assuming unsupported",
			 feats[feat].name, evbpf__errstr(ret, buf, sizeof(buf)));
	} else {
		pr_debug("kernel feature %s: %s", feats[feat].name,
			 ret ? "supported" : "not supported");
	}
	state = ret > 0 ? FEAT_YES : FEAT_NO;
	__atomic_store_n(slot, state, __ATOMIC_RELEASE);
	errno = saved_errno;
	return state == FEAT_YES;
}

const char *evbpf__feat_name(enum evbpf__feat feat)
{
	if ((unsigned int)feat >= __EVBPF_FEAT_CNT)
		return "unknown feature";
	return feats[feat].name;
}
