/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * evbpf's libbpf-compatible high-level API.
 *
 * libbpf declares everything in this one header; evbpf keeps the one include
 * users write but splits the declarations by concern, each part owned by the
 * code that implements it:
 *   libbpf_base.h    logging, errors, version, feature probes, type names
 *   libbpf_object.h  bpf_object / bpf_program / bpf_map: open, load, close
 *   libbpf_attach.h  bpf_link and every bpf_program__attach_*(), XDP, TC
 *   libbpf_buffers.h ring_buffer, ring, user_ring_buffer, perf_buffer
 *   libbpf_skel.h    the skeleton ABI used by generated .skel.h files
 *   libbpf_linker.h  the BPF static linker (bpf_linker__*)
 */
#ifndef __LIBBPF_LIBBPF_H
#define __LIBBPF_LIBBPF_H

/* libbpf.h brings these in for its users; print callbacks commonly rely on
 * <stdio.h> (vfprintf, stderr) without including it themselves. */
#include <stdio.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

#include "libbpf_base.h"
#include "libbpf_object.h"
#include "libbpf_attach.h"
#include "libbpf_buffers.h"
#include "libbpf_skel.h"
#include "libbpf_linker.h"

#endif /* __LIBBPF_LIBBPF_H */
