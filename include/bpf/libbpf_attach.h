/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Part of <bpf/libbpf.h>; see the list there. */
#ifndef __LIBBPF_LIBBPF_ATTACH_H
#define __LIBBPF_LIBBPF_ATTACH_H

#include "libbpf_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_LIBBPF_ATTACH_H */
