/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * USDT internals shared by usdt.c and its unit tests: the spec layout the
 * BPF side (<bpf/usdt.bpf.h>) reads from the __bpf_usdt_specs map, and the
 * pure parsers of .note.stapsdt and of argument strings. Never installed.
 */
#ifndef EVBPF_LIB_USDT_INTERNAL_H
#define EVBPF_LIB_USDT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* Layout shared with the BPF side; an interface fact of libbpf's
 * usdt.bpf.h, so objects built against either header work. */
enum evbpf__usdt_arg_type {
	EVBPF_USDT_ARG_CONST,
	EVBPF_USDT_ARG_REG,
	EVBPF_USDT_ARG_REG_DEREF,
};

struct evbpf__usdt_arg_spec {
	__u64 val_off;
	__u32 arg_type;		/* enum evbpf__usdt_arg_type */
	short reg_off;
	bool arg_signed;
	char arg_bitshift;
};

#define EVBPF_USDT_MAX_ARGS 12

struct evbpf__usdt_spec {
	struct evbpf__usdt_arg_spec args[EVBPF_USDT_MAX_ARGS];
	__u64 usdt_cookie;
	short arg_cnt;
};

#define EVBPF_USDT_SPECS_MAP "__bpf_usdt_specs"
#define EVBPF_USDT_IP_MAP "__bpf_usdt_ip_to_spec_id"

/* One probe site of .note.stapsdt, addresses already adjusted for
 * prelinking (.stapsdt.base). */
struct evbpf__usdt_note {
	char *provider;
	char *name;
	char *args;
	unsigned long loc_addr;		/* virtual address of the probe nop */
	unsigned long sema_addr;	/* virtual address of the semaphore, 0 */
	unsigned long loc_off;		/* file offsets of the above */
	unsigned long sema_off;
};

/*
 * Reads every probe site of @path matching @provider/@name (NULL: all).
 * *@notes: malloc'ed array of *@cnt entries; free with evbpf__usdt_notes_free.
 * 0 (possibly with *@cnt 0), or -errno with one log line.
 */
int evbpf__usdt_read_notes(const char *path, const char *provider,
			   const char *name, struct evbpf__usdt_note **notes,
			   size_t *cnt);
void evbpf__usdt_notes_free(struct evbpf__usdt_note *notes, size_t cnt);

/* Parses the argument string @args ("-4@%eax 8@-8(%rbp) 4@$5") into
 * @spec. 0 or -EINVAL/-EOPNOTSUPP with one log line naming @what. */
int evbpf__usdt_parse_args(const char *args, struct evbpf__usdt_spec *spec,
			   const char *what);

#endif /* EVBPF_LIB_USDT_INTERNAL_H */
