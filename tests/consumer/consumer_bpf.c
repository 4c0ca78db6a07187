// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A program written against <bpf/bpf.h> the libbpf way, built by
 * scripts/check-install with `pkg-config --cflags --libs evbpf` against the
 * installed library. Exit status 0 means every step worked.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#define CHECK(cond, what)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "consumer_bpf: %s failed (errno %d)\n", \
				(what), errno);				\
			return 1;					\
		}							\
	} while (0)

int main(void)
{
	/* r0 = 7; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 7 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	unsigned char pkt[64];
	char log[4096];
	__u32 key = 0, value = 1234, out = 0, missing = 77;
	int map_fd, hash_fd, prog_fd, err;

	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "consumer_arr", sizeof(key),
				sizeof(value), 1, NULL);
	CHECK(map_fd >= 0, "bpf_map_create(array)");
	err = bpf_map_update_elem(map_fd, &key, &value, BPF_ANY);
	CHECK(err == 0, "bpf_map_update_elem");
	err = bpf_map_lookup_elem(map_fd, &key, &out);
	CHECK(err == 0 && out == 1234, "bpf_map_lookup_elem");

	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		.log_buf = log,
		.log_size = sizeof(log),
	);
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "consumer", "GPL",
				insns, sizeof(insns) / sizeof(insns[0]), &opts);
	if (prog_fd < 0)
		fprintf(stderr, "verifier log:\n%s\n", log);
	CHECK(prog_fd >= 0, "bpf_prog_load");

	memset(pkt, 0, sizeof(pkt));
	LIBBPF_OPTS(bpf_test_run_opts, run,
		.data_in = pkt,
		.data_size_in = sizeof(pkt),
		.repeat = 1,
	);
	err = bpf_prog_test_run_opts(prog_fd, &run);
	CHECK(err == 0, "bpf_prog_test_run_opts");
	CHECK(run.retval == 7, "program return value");

	hash_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "consumer_hash", sizeof(key),
				 sizeof(value), 4, NULL);
	CHECK(hash_fd >= 0, "bpf_map_create(hash)");
	errno = 0;
	err = bpf_map_lookup_elem(hash_fd, &missing, &out);
	CHECK(err == -ENOENT && errno == ENOENT, "lookup of a missing key");

	close(hash_fd);
	close(prog_fd);
	close(map_fd);
	printf("consumer_bpf: ok\n");
	return 0;
}
