// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xdp_counter: attaches an XDP program to an interface and prints how many
 * packets it saw per IP protocol, reading a per-CPU array map.
 *
 *   xdp_counter -i IFACE [-c COUNT] [-t MS]
 *
 * -c exits once COUNT packets were seen (printing the final counts)
 * -t print interval in milliseconds (default 1000)
 * Prints "ready" once attached; Ctrl-C stops it. The program detaches when
 * the skeleton is destroyed (it is attached through a BPF link).
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include "xdp_counter.skel.h"

struct counter {
	__u64 packets;
	__u64 bytes;
};

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	exiting = 1;
}

/* Sums the per-CPU values of one protocol slot. */
static int read_slot(struct bpf_map *map, __u32 key, int ncpus, struct counter *sum)
{
	struct counter vals[ncpus];
	int i, err;

	err = bpf_map__lookup_elem(map, &key, sizeof(key), vals, sizeof(vals), 0);
	if (err)
		return err;
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < ncpus; i++) {
		sum->packets += vals[i].packets;
		sum->bytes += vals[i].bytes;
	}
	return 0;
}

static __u64 print_counts(struct bpf_map *map, int ncpus, const char *prefix)
{
	struct counter total = { 0 }, c, tcp = { 0 }, udp = { 0 }, icmp = { 0 };
	__u32 key;

	for (key = 0; key <= 256; key++) {
		if (read_slot(map, key, ncpus, &c))
			continue;
		total.packets += c.packets;
		total.bytes += c.bytes;
		if (key == IPPROTO_TCP)
			tcp = c;
		else if (key == IPPROTO_UDP)
			udp = c;
		else if (key == IPPROTO_ICMP || key == IPPROTO_ICMPV6)
			icmp.packets += c.packets;
	}
	printf("%s total=%llu bytes=%llu tcp=%llu udp=%llu icmp=%llu\n", prefix,
	       (unsigned long long)total.packets, (unsigned long long)total.bytes,
	       (unsigned long long)tcp.packets, (unsigned long long)udp.packets,
	       (unsigned long long)icmp.packets);
	fflush(stdout);
	return total.packets;
}

int main(int argc, char **argv)
{
	const char *iface = NULL;
	struct xdp_counter *skel;
	long count = 0, interval = 1000;
	int opt, ifindex, ncpus, err = 0;

	while ((opt = getopt(argc, argv, "i:c:t:")) != -1) {
		switch (opt) {
		case 'i': iface = optarg; break;
		case 'c': count = strtol(optarg, NULL, 10); break;
		case 't': interval = strtol(optarg, NULL, 10); break;
		default:
			iface = NULL;
			break;
		}
	}
	if (!iface) {
		fprintf(stderr, "usage: %s -i IFACE [-c COUNT] [-t MS]\n", argv[0]);
		return 2;
	}
	ifindex = if_nametoindex(iface);
	if (!ifindex) {
		fprintf(stderr, "no interface '%s'\n", iface);
		return 1;
	}
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		fprintf(stderr, "cannot count CPUs\n");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	skel = xdp_counter__open_and_load();
	if (!skel) {
		fprintf(stderr, "failed to load the BPF skeleton: %s\n", strerror(errno));
		return 1;
	}
	/* SEC("xdp") names no interface: attach explicitly */
	skel->links.xdp_count = bpf_program__attach_xdp(skel->progs.xdp_count, ifindex);
	if (!skel->links.xdp_count) {
		err = -errno;
		fprintf(stderr, "failed to attach XDP to %s: %s\n", iface, strerror(errno));
		goto out;
	}
	printf("ready\n");
	fflush(stdout);
	while (!exiting) {
		/* wait one interval (or a signal) between map reads */
		poll(NULL, 0, interval);
		if (print_counts(skel->maps.counters, ncpus, "now") >= (__u64)count && count)
			break;
	}
	print_counts(skel->maps.counters, ncpus, "final");
out:
	xdp_counter__destroy(skel);
	return err < 0 ? 1 : 0;
}
