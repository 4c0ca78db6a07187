/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The libbpf API level evbpf implements, and evbpf's own version.
 *
 * LIBBPF_MAJOR/MINOR_VERSION name the newest libbpf release whose whole
 * API (every symbol of its version node and of all older ones, see
 * lib/compat/libbpf_symbols.txt) evbpf exports; the libbpf_symbols test
 * fails when a claimed symbol is missing or a newer level is complete.
 */
#ifndef __LIBBPF_VERSION_H
#define __LIBBPF_VERSION_H

#define LIBBPF_MAJOR_VERSION 1
#define LIBBPF_MINOR_VERSION 8

#define EVBPF_MAJOR_VERSION 0
#define EVBPF_MINOR_VERSION 1

#endif /* __LIBBPF_VERSION_H */
