/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Minimal USDT probe definitions for the tests (no <sys/sdt.h> needed): each
 * probe is a nop plus a stapsdt note (type 3, owner "stapsdt") holding the
 * nop's address, the .stapsdt.base address, the semaphore address, the
 * provider, the name and the argument string "size@operand ...", where the
 * compiler prints each operand (register, memory or $immediate).
 */
#ifndef EVBPF_TEST_USDT_SDT_H
#define EVBPF_TEST_USDT_SDT_H

#if !defined(__x86_64__)
#error "the USDT test probes are written for x86-64"
#endif

#define EVBPF_SDT_NOTE(provider, name, sema, argstr)			\
	"990:	nop\n"							\
	".pushsection .note.stapsdt,\"?\",\"note\"\n"			\
	".balign 4\n"							\
	".4byte 992f-991f, 994f-993f, 3\n"				\
	"991:	.asciz \"stapsdt\"\n"					\
	"992:	.balign 4\n"						\
	"993:	.8byte 990b\n"						\
	".8byte _.stapsdt.base\n"					\
	".8byte " sema "\n"						\
	".asciz \"" #provider "\"\n"					\
	".asciz \"" #name "\"\n"					\
	".asciz \"" argstr "\"\n"					\
	"994:	.balign 4\n"						\
	".popsection\n"							\
	".ifndef _.stapsdt.base\n"					\
	".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n" \
	".weak _.stapsdt.base\n"					\
	".hidden _.stapsdt.base\n"					\
	"_.stapsdt.base: .space 1\n"					\
	".size _.stapsdt.base, 1\n"					\
	".popsection\n"							\
	".endif\n"

/* A probe without arguments. */
#define EVBPF_USDT0(provider, name)					\
	__asm__ __volatile__(EVBPF_SDT_NOTE(provider, name, "0", ""))

/* A probe with a signed int and an unsigned long argument. */
#define EVBPF_USDT2(provider, name, a1, a2)				\
	__asm__ __volatile__(EVBPF_SDT_NOTE(provider, name, "0",	\
					    "-4@%0 8@%1")		\
			     :: "nor"((int)(a1)), "nor"((unsigned long)(a2)))

/* Declares the semaphore of probe provider:name (in .probes, like sdt.h). */
#define EVBPF_USDT_SEMA_DEFINE(provider, name)				\
	unsigned short provider##_##name##_semaphore			\
		__attribute__((section(".probes"), used))
/* True while some tracer has the probe attached. */
#define EVBPF_USDT_ENABLED(provider, name)				\
	(__atomic_load_n(&provider##_##name##_semaphore, __ATOMIC_RELAXED) != 0)

/* A probe with a semaphore and one int argument. */
#define EVBPF_USDT1_SEMA(provider, name, a1)				\
	__asm__ __volatile__(EVBPF_SDT_NOTE(provider, name,		\
			     #provider "_" #name "_semaphore", "-4@%0")	\
			     :: "nor"((int)(a1)))

#endif
