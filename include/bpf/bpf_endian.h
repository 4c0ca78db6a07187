/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Byte-order conversion for BPF programs. Each macro folds to a constant when
 * its argument is one (usable in case labels and static initialisers) and
 * otherwise compiles to the BPF byte-swap instruction.
 */
#ifndef __BPF_ENDIAN__
#define __BPF_ENDIAN__

/* Byte swaps written as shifts and masks, so they are constant expressions. */
#define __evbpf_const_swab16(x)						\
	((__u16)((((__u16)(x) & 0x00ffU) << 8) |			\
		 (((__u16)(x) & 0xff00U) >> 8)))
#define __evbpf_const_swab32(x)						\
	((__u32)((((__u32)(x) & 0x000000ffUL) << 24) |			\
		 (((__u32)(x) & 0x0000ff00UL) << 8) |			\
		 (((__u32)(x) & 0x00ff0000UL) >> 8) |			\
		 (((__u32)(x) & 0xff000000UL) >> 24)))
#define __evbpf_const_swab64(x)						\
	((__u64)((((__u64)(x) & 0x00000000000000ffULL) << 56) |	\
		 (((__u64)(x) & 0x000000000000ff00ULL) << 40) |	\
		 (((__u64)(x) & 0x0000000000ff0000ULL) << 24) |	\
		 (((__u64)(x) & 0x00000000ff000000ULL) << 8) |		\
		 (((__u64)(x) & 0x000000ff00000000ULL) >> 8) |		\
		 (((__u64)(x) & 0x0000ff0000000000ULL) >> 24) |	\
		 (((__u64)(x) & 0x00ff000000000000ULL) >> 40) |	\
		 (((__u64)(x) & 0xff00000000000000ULL) >> 56)))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define __bpf_htons(x) __builtin_bswap16(x)
#define __bpf_ntohs(x) __builtin_bswap16(x)
#define __bpf_htonl(x) __builtin_bswap32(x)
#define __bpf_ntohl(x) __builtin_bswap32(x)
#define __bpf_cpu_to_be64(x) __builtin_bswap64(x)
#define __bpf_be64_to_cpu(x) __builtin_bswap64(x)
#define __bpf_constant_htons(x) __evbpf_const_swab16(x)
#define __bpf_constant_ntohs(x) __evbpf_const_swab16(x)
#define __bpf_constant_htonl(x) __evbpf_const_swab32(x)
#define __bpf_constant_ntohl(x) __evbpf_const_swab32(x)
#define __bpf_constant_cpu_to_be64(x) __evbpf_const_swab64(x)
#define __bpf_constant_be64_to_cpu(x) __evbpf_const_swab64(x)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define __bpf_htons(x) (x)
#define __bpf_ntohs(x) (x)
#define __bpf_htonl(x) (x)
#define __bpf_ntohl(x) (x)
#define __bpf_cpu_to_be64(x) (x)
#define __bpf_be64_to_cpu(x) (x)
#define __bpf_constant_htons(x) (x)
#define __bpf_constant_ntohs(x) (x)
#define __bpf_constant_htonl(x) (x)
#define __bpf_constant_ntohl(x) (x)
#define __bpf_constant_cpu_to_be64(x) (x)
#define __bpf_constant_be64_to_cpu(x) (x)
#else
#error "__BYTE_ORDER__ is neither little nor big endian"
#endif

#define __evbpf_pick_swap(c, v, x) (__builtin_constant_p(x) ? c(x) : v(x))

/* Host to network (big-endian) order and back, 16/32/64 bits. */
#define bpf_htons(x) __evbpf_pick_swap(__bpf_constant_htons, __bpf_htons, x)
#define bpf_ntohs(x) __evbpf_pick_swap(__bpf_constant_ntohs, __bpf_ntohs, x)
#define bpf_htonl(x) __evbpf_pick_swap(__bpf_constant_htonl, __bpf_htonl, x)
#define bpf_ntohl(x) __evbpf_pick_swap(__bpf_constant_ntohl, __bpf_ntohl, x)
#define bpf_cpu_to_be64(x)						\
	__evbpf_pick_swap(__bpf_constant_cpu_to_be64, __bpf_cpu_to_be64, x)
#define bpf_be64_to_cpu(x)						\
	__evbpf_pick_swap(__bpf_constant_be64_to_cpu, __bpf_be64_to_cpu, x)

#endif /* __BPF_ENDIAN__ */
