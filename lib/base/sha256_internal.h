/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * SHA-256 (FIPS 180-4), for the digest the kernel computes of a program and
 * compares against an exclusive map's program hash. Never installed.
 */
#ifndef EVBPF_LIB_SHA256_INTERNAL_H
#define EVBPF_LIB_SHA256_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define EVBPF_SHA256_SIZE 32

/* Writes the SHA-256 digest of @len bytes at @data to @out. */
void evbpf__sha256(const void *data, size_t len, uint8_t out[EVBPF_SHA256_SIZE]);

#endif /* EVBPF_LIB_SHA256_INTERNAL_H */
