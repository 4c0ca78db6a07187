// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * compat-probe: what one libbpf-compatible library makes of one BPF object.
 *
 * This one source file is built twice: against Debian's libbpf 1.1.2
 * (compat-probe-libbpf) and against evbpf (compat-probe-evbpf); it uses only
 * the public libbpf 1.x API, so each binary links exactly one of the two.
 *
 *   compat-probe [--attach] [--insns] [--pin-root DIR] OBJECT.o
 *
 * prints JSON lines on stdout:
 *   {"kind":"object", ...}  open result, object name, program/map counts
 *   {"kind":"map", ...}     each map after open: name, type, sizes, entries
 *   {"kind":"prog", ...}    each program: the object re-opened with only this
 *                           program autoloaded, then loaded (and attached
 *                           with bpf_program__attach() under --attach), so
 *                           one program's failure cannot hide another's
 *                           (a program of an unknown "x/y" section is first
 *                           given the type of "x", see retype()); a loaded
 *                           packet program is run once on a fixed packet
 *                           ("run": its return value). A loaded program's
 *                           instructions are given as a digest, and listed
 *                           in full under --insns.
 *   {"kind":"maps_load",...} last, the object loaded with no program
 *                           autoloaded (BTF, maps and global data only)
 * Every "log" field holds the library's WARN lines of that step (the first
 * and the last few), so a mismatch can be read without re-running.
 *
 * Maps pinned by name go to a private folder in bpffs (--pin-root, default
 * /sys/fs/bpf/evbpf-compat-<lib>-<pid>), emptied and removed at exit. A
 * map-in-map without an inner map definition gets a u32 -> u64 hash map as
 * template before load (set_inner_maps()), and a map left with max_entries
 * 0 for the tool to size at run time gets one entry per CPU (size_maps()),
 * as a user of either library must do.
 * Exit status: 0 when the probe itself worked (whatever the library said),
 * 2 on bad usage.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef COMPAT_LIB
#error "build with -DCOMPAT_LIB=\"libbpf\" or \"evbpf\""
#endif
/* each build must see its own library's headers: evbpf's shadow <bpf/...> */
#if defined(COMPAT_SYSTEM_LIBBPF) && defined(EVBPF_MAJOR_VERSION)
#error "compat-probe-libbpf sees evbpf's <bpf/libbpf.h>"
#endif
#if !defined(COMPAT_SYSTEM_LIBBPF) && !defined(EVBPF_MAJOR_VERSION)
#error "compat-probe-evbpf does not see evbpf's <bpf/libbpf.h>"
#endif

/* ---- capture of the library's log ---- */

#define LOG_HEAD 4
#define LOG_TAIL 8
#define LOG_LINE_MAX 400

static char log_head[LOG_HEAD][LOG_LINE_MAX];
static char log_tail[LOG_TAIL][LOG_LINE_MAX];
static unsigned int log_lines;	/* lines seen since log_reset() */
static char log_partial[LOG_LINE_MAX];
static int verbose;

static void log_reset(void)
{
	log_lines = 0;
	log_partial[0] = '\0';
}

static void log_add_line(const char *s, size_t n)
{
	char *dst;

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (!n)
		return;
	if (log_lines < LOG_HEAD)
		dst = log_head[log_lines];
	else
		dst = log_tail[(log_lines - LOG_HEAD) % LOG_TAIL];
	if (n >= LOG_LINE_MAX)
		n = LOG_LINE_MAX - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	log_lines++;
}

/* Appends @n bytes of @src to the string @dst of capacity LOG_LINE_MAX,
 * truncating. */
static void str_append(char *dst, const char *src, size_t n)
{
	size_t have = strlen(dst);

	if (have + n >= LOG_LINE_MAX)
		n = LOG_LINE_MAX - 1 - have;
	memcpy(dst + have, src, n);
	dst[have + n] = '\0';
}

/* Splits what the library prints into lines; a line may arrive in pieces. */
static void log_add(const char *text)
{
	const char *nl;

	while ((nl = strchr(text, '\n'))) {
		str_append(log_partial, text, (size_t)(nl - text));
		log_add_line(log_partial, strlen(log_partial));
		log_partial[0] = '\0';
		text = nl + 1;
	}
	str_append(log_partial, text, strlen(text));
}

static int print_cb(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[8192];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (verbose)
		fprintf(stderr, "[%s] %s", COMPAT_LIB, buf);
	if (level == LIBBPF_WARN)
		log_add(buf);
	return 0;
}

/* ---- JSON output ---- */

static void json_str(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_key_str(const char *key, const char *val)
{
	printf(",\"%s\":", key);
	json_str(val);
}

/* Ends the current JSON line with the captured log. */
static void json_log_end(void)
{
	unsigned int i, tail;

	if (log_partial[0]) {
		log_add_line(log_partial, strlen(log_partial));
		log_partial[0] = '\0';
	}
	fputs(",\"log\":[", stdout);
	for (i = 0; i < log_lines && i < LOG_HEAD; i++) {
		if (i)
			putchar(',');
		json_str(log_head[i]);
	}
	tail = log_lines > LOG_HEAD ? log_lines - LOG_HEAD : 0;
	if (tail > LOG_TAIL) {
		printf(",\"... %u lines ...\"", tail - LOG_TAIL);
		for (i = tail - LOG_TAIL; i < tail; i++) {
			putchar(',');
			json_str(log_tail[i % LOG_TAIL]);
		}
	} else {
		for (i = 0; i < tail; i++) {
			putchar(',');
			json_str(log_tail[i]);
		}
	}
	printf("],\"log_lines\":%u}\n", log_lines);
	fflush(stdout);
}

/* ---- the probe ---- */

static char pin_root[128];
static int dump_insns;

static int inner_fd = -1;

/*
 * A map-in-map defined without its inner map (legacy `maps` definitions
 * cannot name one) needs the user to give a template before load, in any
 * library: a hash map of u32 -> u64, as cilium/ebpf's own tests do.
 * Returns how many maps got one.
 */
static int set_inner_maps(struct bpf_object *obj)
{
	struct bpf_map *map;
	int n = 0;

	bpf_object__for_each_map(map, obj) {
		enum bpf_map_type t = bpf_map__type(map);

		if ((t != BPF_MAP_TYPE_ARRAY_OF_MAPS && t != BPF_MAP_TYPE_HASH_OF_MAPS) ||
		    bpf_map__inner_map(map))
			continue;
		if (inner_fd < 0)
			inner_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "compat_inner",
						  4, 8, 1, NULL);
		if (inner_fd >= 0 && !bpf_map__set_inner_map_fd(map, inner_fd))
			n++;
	}
	return n;
}

/*
 * Tools size some maps at run time (one entry per CPU, a user-given count)
 * and leave max_entries 0 in the object, which no kernel accepts for these
 * types; give them the number of possible CPUs, the common choice (and a
 * stack trace map without value size room for 127 frames). Types
 * for which 0 is right (local storage) or that the library sizes itself
 * (perf event array) are left alone. Returns how many maps were set.
 */
static int size_maps(struct bpf_object *obj)
{
	struct bpf_map *map;
	int n = 0, cpus = libbpf_num_possible_cpus();

	if (cpus <= 0)
		return 0;
	bpf_object__for_each_map(map, obj) {
		/* stack depth is the tool's choice too: the kernel's default */
		if (bpf_map__type(map) == BPF_MAP_TYPE_STACK_TRACE &&
		    !bpf_map__value_size(map))
			bpf_map__set_value_size(map, 127 * sizeof(__u64));
		if (bpf_map__max_entries(map))
			continue;
		switch (bpf_map__type(map)) {
		case BPF_MAP_TYPE_HASH:
		case BPF_MAP_TYPE_ARRAY:
		case BPF_MAP_TYPE_PROG_ARRAY:
		case BPF_MAP_TYPE_PERCPU_HASH:
		case BPF_MAP_TYPE_PERCPU_ARRAY:
		case BPF_MAP_TYPE_STACK_TRACE:
		case BPF_MAP_TYPE_LRU_HASH:
		case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		case BPF_MAP_TYPE_ARRAY_OF_MAPS:
		case BPF_MAP_TYPE_HASH_OF_MAPS:
		case BPF_MAP_TYPE_DEVMAP:
		case BPF_MAP_TYPE_SOCKMAP:
		case BPF_MAP_TYPE_CPUMAP:
		case BPF_MAP_TYPE_XSKMAP:
		case BPF_MAP_TYPE_SOCKHASH:
		case BPF_MAP_TYPE_QUEUE:
		case BPF_MAP_TYPE_STACK:
		case BPF_MAP_TYPE_DEVMAP_HASH:
			if (!bpf_map__set_max_entries(map, (__u32)cpus))
				n++;
			break;
		default:
			break;
		}
	}
	return n;
}

static struct bpf_object *open_obj(const char *path, int *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_root);
	struct bpf_object *obj;

	errno = 0;
	obj = bpf_object__open_file(path, &opts);
	*err = obj ? 0 : (errno ? -errno : -EINVAL);
	return obj;
}

static struct bpf_program *nth_program(struct bpf_object *obj, int n)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		if (n-- == 0)
			return prog;
	return NULL;
}

static void clean_pin_root(void)
{
	struct dirent *de;
	DIR *d = opendir(pin_root);
	char p[512];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", pin_root, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(pin_root);
}

/* libbpf >= 1.2 (and evbpf) turn a call of an unresolved weak kfunc into a
 * helper call with this id base plus the extern's index; 1.1 kept a kfunc
 * call with id 0. Either way the verifier removes it as dead code. */
#define POISON_CALL_KFUNC_BASE 2002000000

static __u32 name_hash(const char *s)
{
	__u32 h = 2166136261u;

	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* What may differ between two loads that mean the same thing. */
static void normalize(const struct bpf_object *obj, struct bpf_insn *x)
{
	if (x->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	    (x->src_reg == BPF_PSEUDO_MAP_FD || x->src_reg == BPF_PSEUDO_MAP_VALUE)) {
		/* an fd: name the map instead */
		struct bpf_map *map;
		int fd = x->imm;

		x->imm = 0;
		bpf_object__for_each_map(map, obj)
			if (bpf_map__fd(map) == fd)
				x->imm = (__s32)name_hash(bpf_map__name(map));
	}
	if (x->code != (BPF_JMP | BPF_CALL))
		return;
	if (x->src_reg == BPF_PSEUDO_KFUNC_CALL)
		x->off = 0;	/* slot of the module BTF fd */
	if ((x->src_reg == BPF_PSEUDO_KFUNC_CALL && x->imm == 0) ||
	    (x->src_reg == 0 && x->imm >= POISON_CALL_KFUNC_BASE &&
	     x->imm < POISON_CALL_KFUNC_BASE + 0x10000)) {
		x->src_reg = 0;
		x->imm = POISON_CALL_KFUNC_BASE;
	}
}

/*
 * Prints the count and a digest (FNV-1a) of the program's instructions after
 * load, as relocated by the library: CO-RE offsets, subprograms, helper and
 * kfunc ids, normalized (normalize()) so that equal loads compare equal.
 */
static void insns_digest(const struct bpf_object *obj, const struct bpf_program *prog)
{
	const struct bpf_insn *in = bpf_program__insns(prog);
	size_t i, cnt = bpf_program__insn_cnt(prog);
	unsigned long long h = 0xcbf29ce484222325ULL;

	if (!in || !cnt)
		return;
	for (i = 0; i < cnt; i++) {
		struct bpf_insn x = in[i];
		const unsigned char *b = (const unsigned char *)&x;
		size_t k;

		normalize(obj, &x);
		for (k = 0; k < sizeof(x); k++) {
			h ^= b[k];
			h *= 0x100000001b3ULL;
		}
	}
	printf(",\"insn_cnt\":%zu,\"insns\":\"%016llx\"", cnt, h);
	if (!dump_insns)
		return;
	fputs(",\"insn_list\":[", stdout);
	for (i = 0; i < cnt; i++) {
		struct bpf_insn x = in[i];

		normalize(obj, &x);
		printf("%s\"%02x %x %x %d %d\"", i ? "," : "", x.code, x.dst_reg,
		       x.src_reg, x.off, x.imm);
	}
	putchar(']');
}

/*
 * Runs a packet program once on a fixed IPv4/UDP packet with
 * BPF_PROG_TEST_RUN and prints its return value: both libraries load the
 * same code against fresh maps, so a different value means the relocated
 * instructions differ.
 */
static void test_run(struct bpf_program *prog)
{
	static const unsigned char pkt[64] = {
		0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x00,	/* eth */
		0x45, 0, 0, 50, 0, 1, 0, 0, 64, 17, 0, 0,			/* ipv4 */
		10, 0, 0, 1, 10, 0, 0, 2,
		0x30, 0x39, 0x00, 0x35, 0, 30, 0, 0,				/* udp */
	};
	unsigned char out[256];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
	int err;

	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_CGROUP_SKB:
		break;
	default:
		return;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (err)
		printf(",\"run\":{\"err\":%d}", err < 0 ? -errno : err);
	else
		printf(",\"run\":{\"retval\":%u}", opts.retval);
}

/*
 * A program whose section names no type by libbpf's rules ("socket/2": only
 * "socket" is known, exactly) gets the type of the section's first
 * component, as a user would set it (and as cilium/ebpf does on its own):
 * the code then still reaches the kernel and its relocations are checked.
 */
static void retype(struct bpf_program *prog)
{
	enum bpf_attach_type at;
	enum bpf_prog_type t;
	char prefix[64];
	const char *sec = bpf_program__section_name(prog);
	size_t n = strcspn(sec, "/");

	if (bpf_program__type(prog) != BPF_PROG_TYPE_UNSPEC || !sec[n] ||
	    n >= sizeof(prefix))
		return;
	memcpy(prefix, sec, n);
	prefix[n] = '\0';
	if (libbpf_prog_type_by_name(prefix, &t, &at))
		return;
	bpf_program__set_type(prog, t);
	bpf_program__set_expected_attach_type(prog, at);
	printf(",\"retyped\":%d", (int)t);
}

static void probe_prog(const char *path, int idx, int do_attach)
{
	struct bpf_program *prog, *p;
	struct bpf_object *obj;
	int open_err, load_err = 0, attach_err = 0;
	const char *tname;

	log_reset();
	obj = open_obj(path, &open_err);
	printf("{\"kind\":\"prog\",\"lib\":\"%s\"", COMPAT_LIB);
	json_key_str("obj", path);
	printf(",\"idx\":%d", idx);
	prog = obj ? nth_program(obj, idx) : NULL;
	if (!prog) {
		/* a second open failed although the first worked */
		printf(",\"open\":%d,\"load\":null,\"attach\":null",
		       open_err ? open_err : -ENOENT);
		json_log_end();
		bpf_object__close(obj);
		return;
	}
	json_key_str("prog", bpf_program__name(prog));
	json_key_str("sec", bpf_program__section_name(prog));
	tname = libbpf_bpf_prog_type_str(bpf_program__type(prog));
	printf(",\"type\":%d", (int)bpf_program__type(prog));
	json_key_str("type_name", tname);
	printf(",\"attach_type\":%d", (int)bpf_program__expected_attach_type(prog));

	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	set_inner_maps(obj);
	size_maps(obj);
	retype(prog);
	log_reset();
	errno = 0;
	load_err = bpf_object__load(obj);
	if (load_err > 0)
		load_err = -load_err;
	printf(",\"open\":0,\"load\":%d", load_err);
	if (!load_err) {
		insns_digest(obj, prog);
		test_run(prog);
	}
	if (!load_err && do_attach) {
		struct bpf_link *link;

		errno = 0;
		link = bpf_program__attach(prog);
		if (!link) {
			attach_err = errno ? -errno : -EINVAL;
		} else {
			long e = libbpf_get_error(link);

			if (e) {
				attach_err = (int)e;
			} else {
				attach_err = 0;
				bpf_link__destroy(link);
			}
		}
		printf(",\"attach\":%d", attach_err);
	} else {
		fputs(",\"attach\":null", stdout);
	}
	json_log_end();
	bpf_object__close(obj);
}

/* Loads the object with no program autoloaded: BTF, maps, global data. */
static void probe_maps(const char *path)
{
	struct bpf_program *p;
	struct bpf_object *obj;
	int err, inner = 0, sized = 0;

	log_reset();
	obj = open_obj(path, &err);
	if (obj) {
		bpf_object__for_each_program(p, obj)
			bpf_program__set_autoload(p, false);
		inner = set_inner_maps(obj);
		sized = size_maps(obj);
		log_reset();
		errno = 0;
		err = bpf_object__load(obj);
		if (err > 0)
			err = -err;
	}
	printf("{\"kind\":\"maps_load\",\"lib\":\"%s\"", COMPAT_LIB);
	json_key_str("obj", path);
	printf(",\"inner_map_templates\":%d,\"maps_sized\":%d", inner, sized);
	if (obj)
		printf(",\"open\":0,\"load\":%d", err);
	else
		printf(",\"open\":%d,\"load\":null", err);
	json_log_end();
	bpf_object__close(obj);
}

static int probe(const char *path, int do_attach)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *map;
	int err, nprogs = 0, nmaps = 0, i;

	log_reset();
	obj = open_obj(path, &err);
	if (obj) {
		bpf_object__for_each_program(prog, obj)
			nprogs++;
		bpf_object__for_each_map(map, obj)
			nmaps++;
	}
	printf("{\"kind\":\"object\",\"lib\":\"%s\"", COMPAT_LIB);
	json_key_str("obj", path);
	json_key_str("name", obj ? bpf_object__name(obj) : NULL);
	json_key_str("version", libbpf_version_string());
	printf(",\"open\":%d,\"progs\":%d,\"maps\":%d", err, nprogs, nmaps);
	json_log_end();
	if (!obj)
		return 0;

	bpf_object__for_each_map(map, obj) {
		printf("{\"kind\":\"map\",\"lib\":\"%s\"", COMPAT_LIB);
		json_key_str("obj", path);
		json_key_str("map", bpf_map__name(map));
		printf(",\"type\":%d", (int)bpf_map__type(map));
		json_key_str("type_name", libbpf_bpf_map_type_str(bpf_map__type(map)));
		printf(",\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,"
		       "\"flags\":%u}\n",
		       bpf_map__key_size(map), bpf_map__value_size(map),
		       bpf_map__max_entries(map), bpf_map__map_flags(map));
	}
	fflush(stdout);
	bpf_object__close(obj);

	for (i = 0; i < nprogs; i++)
		probe_prog(path, i, do_attach);
	/* last: libbpf 1.1.2 crashes here on struct_ops maps */
	probe_maps(path);
	return 0;
}

int main(int argc, char **argv)
{
	int do_attach = 0, argi = 1, ret;
	const char *v = getenv("COMPAT_VERBOSE");

	verbose = v && *v && strcmp(v, "0");
	for (; argi < argc && argv[argi][0] == '-'; argi++) {
		if (!strcmp(argv[argi], "--attach"))
			do_attach = 1;
		else if (!strcmp(argv[argi], "--insns"))
			dump_insns = 1;
		else if (!strcmp(argv[argi], "--pin-root") && argi + 1 < argc)
			snprintf(pin_root, sizeof(pin_root), "%s", argv[++argi]);
		else
			break;
	}
	if (argi != argc - 1) {
		fprintf(stderr, "usage: %s [--attach] [--insns] [--pin-root DIR] OBJECT.o\n",
			argv[0]);
		return 2;
	}
	libbpf_set_print(print_cb);
	if (!pin_root[0])
		snprintf(pin_root, sizeof(pin_root), "/sys/fs/bpf/evbpf-compat-%s-%d",
			 COMPAT_LIB, (int)getpid());
	if (mkdir(pin_root, 0700) && errno != EEXIST)
		fprintf(stderr, "compat-probe: mkdir %s: %s\n", pin_root, strerror(errno));
	ret = probe(argv[argi], do_attach);
	clean_pin_root();
	if (inner_fd >= 0)
		close(inner_fd);
	return ret;
}
