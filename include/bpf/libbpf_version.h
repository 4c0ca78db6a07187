/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The libbpf API level evbpf implements, and evbpf's own version. */
#ifndef __LIBBPF_VERSION_H
#define __LIBBPF_VERSION_H

#define LIBBPF_MAJOR_VERSION 1
#define LIBBPF_MINOR_VERSION 5

#define EVBPF_MAJOR_VERSION 0
#define EVBPF_MINOR_VERSION 1

#endif /* __LIBBPF_VERSION_H */
