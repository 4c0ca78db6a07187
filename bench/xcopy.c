// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evbpf-xcopy: how fast records can cross from one CPU to another on this
 * machine with no kernel and no BPF involved. A writer thread on CPU 0
 * fills records of SIZE bytes into a 4 MiB ring and publishes its position
 * every 16 records; the reader, on CPU 1, reads every 8 bytes of every
 * record and publishes its own position after each pass. Then the writer
 * alone fills 90 % of the ring once more, the same way, with nobody
 * reading. Both rates are printed: the first is a ceiling for a consumer on
 * the other CPU that reads whole records a producer wrote whole, the second
 * the counterpart of a producer-alone row.
 *
 * With "head", the writer writes only a record's first 24 bytes and the
 * reader reads only its first 8, as the bench's BPF producer (a header and
 * a 16-byte stamp, whatever the record size) and a consumer that reads the
 * stamp do: one line per record crosses, however large the record.
 *
 *   evbpf-xcopy [SIZE [RECORDS [head]]]     default 1024 bytes, 256 MiB worth
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RING	(4u << 20)
#define PUBLISH	16

static volatile uint64_t sink;	/* keeps the reader's loads */

struct xring {
	unsigned char *data;
	size_t size;		/* record bytes, a multiple of 8 */
	uint64_t count;
	size_t touch;		/* bytes written and read per record */
	uint64_t prod __attribute__((aligned(64)));
	uint64_t cons __attribute__((aligned(64)));
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *writer(void *arg)
{
	struct xring *x = arg;
	uint64_t pos = 0, i;

	pin(0);
	for (i = 0; i < x->count; i++) {
		while (pos + x->size - __atomic_load_n(&x->cons, __ATOMIC_ACQUIRE) > RING)
			;
		memset(x->data + pos % RING, (int)i, x->touch);
		pos += x->size;
		if (i % PUBLISH == PUBLISH - 1 || i == x->count - 1)
			__atomic_store_n(&x->prod, pos, __ATOMIC_RELEASE);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct xring x = { .size = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024 };
	uint64_t pos = 0, end, sum = 0, fill, i;
	double t0, t1, t2, t3;
	pthread_t t;
	size_t j;

	if (x.size < 8 || x.size > RING / 4 || x.size % 8) {
		fprintf(stderr, "evbpf-xcopy: SIZE must be a multiple of 8 from 8 to %u\n",
			RING / 4);
		return 2;
	}
	x.count = argc > 2 ? strtoull(argv[2], NULL, 0) : (256ull << 20) / x.size;
	x.touch = argc > 3 && !strcmp(argv[3], "head") && x.size > 24 ? 24 : x.size;
	x.data = aligned_alloc(4096, RING);
	if (!x.data || !x.count)
		return 1;
	memset(x.data, 0, RING);
	pin(1);
	t0 = now_s();
	if (pthread_create(&t, NULL, writer, &x))
		return 1;
	end = x.count * x.size;
	while (pos < end) {
		uint64_t prod = __atomic_load_n(&x.prod, __ATOMIC_ACQUIRE);

		for (; pos < prod; pos += x.size)
			for (j = 0; j < (x.touch < x.size ? 8 : x.size); j += 8)
				sum += *(const uint64_t *)(x.data + (pos + j) % RING);
		__atomic_store_n(&x.cons, pos, __ATOMIC_RELEASE);
	}
	t1 = now_s();
	pthread_join(t, NULL);
	/* the writer alone, on the reader's CPU (its cache is now the warm one) */
	fill = RING / 10 * 9 / x.size;
	t2 = now_s();
	for (i = 0; i < fill; i++)
		memset(x.data + i * x.size, (int)i, x.touch);
	t3 = now_s();
	sink = sum;
	/* GB/s of the bytes written */
	printf("%zu B records%s: across CPUs %.2f M/s (%.2f GB/s), writer alone %.2f M/s"
	       " (%.2f GB/s)\n", x.size, x.touch < x.size ? ", first 24 B written" : "",
	       (double)x.count / (t1 - t0) / 1e6,
	       (double)x.count * (double)x.touch / (t1 - t0) / 1e9,
	       (double)fill / (t3 - t2) / 1e6,
	       (double)fill * (double)x.touch / (t3 - t2) / 1e9);
	free(x.data);
	return 0;
}
