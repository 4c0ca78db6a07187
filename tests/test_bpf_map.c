// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Map wrappers of <bpf/bpf.h> against the real kernel: create, element
 * operations, the four batch operations, queue/stack pops, freeze, option
 * checks and fd hygiene. */
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "evbpf_test.h"

static int make_map(enum bpf_map_type type, __u32 key, __u32 value, __u32 max)
{
	int fd = bpf_map_create(type, "evbpf_test", key, value, max, NULL);

	assert_true(fd > 2);
	return fd;
}

static void test_hash_elem_ops(void **state)
{
	__u32 key, next, value, count = 0, seen = 0;
	int fd = make_map(BPF_MAP_TYPE_HASH, 4, 4, 16);

	for (key = 1; key <= 5; key++) {
		value = key * 10;
		assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST), 0);
	}
	key = 3;
	value = 0;
	errno = 0;
	assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST), -EEXIST);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &value), 0);
	assert_int_equal(value, 30);
	assert_int_equal(bpf_map_lookup_elem_flags(fd, &key, &value, 0), 0);
	assert_int_equal(value, 30);

	key = 99;
	errno = 0;
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &value), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_EXIST), -ENOENT);
	assert_int_equal(bpf_map_delete_elem(fd, &key), -ENOENT);
	assert_int_equal(errno, ENOENT);
	/* no spin lock in the value: BPF_F_LOCK is refused */
	key = 1;
	assert_int_equal(bpf_map_lookup_elem_flags(fd, &key, &value, BPF_F_LOCK), -EINVAL);

	/* walk: NULL start gives the first key; -ENOENT after the last */
	assert_int_equal(bpf_map_get_next_key(fd, NULL, &next), 0);
	do {
		count++;
		seen |= 1u << next;
		key = next;
	} while (bpf_map_get_next_key(fd, &key, &next) == 0);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(count, 5);
	assert_int_equal(seen, 0x3e);

	key = 2;
	assert_int_equal(bpf_map_lookup_and_delete_elem(fd, &key, &value), 0);
	assert_int_equal(value, 20);
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &value), -ENOENT);
	key = 4;
	assert_int_equal(bpf_map_lookup_and_delete_elem_flags(fd, &key, &value, 0), 0);
	assert_int_equal(value, 40);
	key = 5;
	assert_int_equal(bpf_map_delete_elem(fd, &key), 0);
	assert_int_equal(bpf_map_delete_elem_flags(fd, &key, 0), -ENOENT);
	close(fd);
}

static void test_array_elem_ops(void **state)
{
	__u64 value;
	__u32 key, next;
	int fd = make_map(BPF_MAP_TYPE_ARRAY, 4, 8, 4);

	key = 2;
	value = 0x1122334455667788ULL;
	assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_ANY), 0);
	value = 0;
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &value), 0);
	assert_true(value == 0x1122334455667788ULL);
	key = 1;
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &value), 0);
	assert_true(value == 0);
	/* arrays have fixed slots: no NOEXIST, no delete, bounded keys */
	assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_NOEXIST), -EEXIST);
	assert_int_equal(bpf_map_delete_elem(fd, &key), -EINVAL);
	key = 4;
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &value), -ENOENT);
	key = 3;
	assert_int_equal(bpf_map_get_next_key(fd, &key, &next), -ENOENT);
	key = 0;
	assert_int_equal(bpf_map_get_next_key(fd, &key, &next), 0);
	assert_int_equal(next, 1);
	close(fd);
}

static void test_percpu_array(void **state)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *values;
	__u32 key = 0;
	int fd, i;

	assert_true(ncpu > 0);
	values = calloc(ncpu, sizeof(*values));
	assert_non_null(values);
	fd = make_map(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1);
	for (i = 0; i < ncpu; i++)
		values[i] = 100 + i;
	assert_int_equal(bpf_map_update_elem(fd, &key, values, BPF_ANY), 0);
	memset(values, 0, ncpu * sizeof(*values));
	assert_int_equal(bpf_map_lookup_elem(fd, &key, values), 0);
	for (i = 0; i < ncpu; i++)
		assert_true(values[i] == (__u64)(100 + i));
	free(values);
	close(fd);
}

#define BATCH_N 64

static void test_hash_batch(void **state)
{
	__u32 keys[BATCH_N], values[BATCH_N], out_k[BATCH_N], out_v[BATCH_N];
	__u32 count, total = 0, i, out_batch, key, value;
	void *in = NULL;
	bool seen[BATCH_N] = { false };
	int fd = make_map(BPF_MAP_TYPE_HASH, 4, 4, BATCH_N);
	int err;
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = 0, .flags = 0);

	for (i = 0; i < BATCH_N; i++) {
		keys[i] = i;
		values[i] = i * 3;
	}
	count = BATCH_N;
	assert_int_equal(bpf_map_update_batch(fd, keys, values, &count, &opts), 0);
	assert_int_equal(count, BATCH_N);

	/* read back in chunks of 10; the walk ends with -ENOENT */
	do {
		count = 10;
		err = bpf_map_lookup_batch(fd, in, &out_batch, out_k + total,
					   out_v + total, &count, &opts);
		assert_true(err == 0 || err == -ENOENT);
		total += count;
		in = &out_batch;
		assert_true(total <= BATCH_N);
	} while (err == 0 && total < BATCH_N);
	assert_int_equal(total, BATCH_N);
	for (i = 0; i < total; i++) {
		assert_true(out_k[i] < BATCH_N);
		assert_false(seen[out_k[i]]);
		seen[out_k[i]] = true;
		assert_int_equal(out_v[i], out_k[i] * 3);
	}

	/* delete 8 by batch, then pop the rest by lookup_and_delete_batch */
	count = 8;
	assert_int_equal(bpf_map_delete_batch(fd, keys, &count, NULL), 0);
	assert_int_equal(count, 8);
	key = 3;
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &value), -ENOENT);

	total = 0;
	in = NULL;
	do {
		count = BATCH_N;
		err = bpf_map_lookup_and_delete_batch(fd, in, &out_batch, out_k,
						      out_v, &count, NULL);
		assert_true(err == 0 || err == -ENOENT);
		total += count;
		in = &out_batch;
	} while (err == 0);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(total, BATCH_N - 8);
	assert_int_equal(bpf_map_get_next_key(fd, NULL, &key), -ENOENT);

	/* deleting a key that is gone stops the batch and reports progress */
	count = 2;
	assert_int_equal(bpf_map_delete_batch(fd, keys, &count, NULL), -ENOENT);
	assert_int_equal(count, 0);
	close(fd);
}

static void test_array_batch(void **state)
{
	__u32 keys[8], values[8], out_k[8], out_v[8], count, out_batch, i;
	int fd = make_map(BPF_MAP_TYPE_ARRAY, 4, 4, 8);
	int err;

	for (i = 0; i < 8; i++) {
		keys[i] = i;
		values[i] = 1000 + i;
	}
	count = 8;
	assert_int_equal(bpf_map_update_batch(fd, keys, values, &count, NULL), 0);
	assert_int_equal(count, 8);
	count = 8;
	err = bpf_map_lookup_batch(fd, NULL, &out_batch, out_k, out_v, &count, NULL);
	assert_true(err == 0 || err == -ENOENT);
	assert_int_equal(count, 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(out_k[i], i);
		assert_int_equal(out_v[i], 1000 + i);
	}
	/* arrays cannot delete */
	count = 1;
	assert_true(bpf_map_delete_batch(fd, keys, &count, NULL) < 0);
	/* NULL count is refused before the kernel is asked */
	assert_int_equal(bpf_map_update_batch(fd, keys, values, NULL, NULL), -EINVAL);
	close(fd);
}

static void test_queue_stack(void **state)
{
	__u32 v;
	int q = make_map(BPF_MAP_TYPE_QUEUE, 0, 4, 4);
	int s = make_map(BPF_MAP_TYPE_STACK, 0, 4, 4);

	for (v = 1; v <= 3; v++) {
		assert_int_equal(bpf_map_update_elem(q, NULL, &v, BPF_ANY), 0);
		assert_int_equal(bpf_map_update_elem(s, NULL, &v, BPF_ANY), 0);
	}
	/* peek does not remove */
	assert_int_equal(bpf_map_lookup_elem(q, NULL, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(bpf_map_lookup_and_delete_elem(q, NULL, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(bpf_map_lookup_and_delete_elem(q, NULL, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(bpf_map_lookup_and_delete_elem(q, NULL, &v), 0);
	assert_int_equal(v, 3);
	errno = 0;
	assert_int_equal(bpf_map_lookup_and_delete_elem(q, NULL, &v), -ENOENT);
	assert_int_equal(errno, ENOENT);

	assert_int_equal(bpf_map_lookup_and_delete_elem(s, NULL, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(bpf_map_lookup_and_delete_elem_flags(s, NULL, &v, 0), 0);
	assert_int_equal(v, 2);
	close(q);
	close(s);
}

static void test_freeze(void **state)
{
	__u32 key = 0, value = 7;
	int fd = make_map(BPF_MAP_TYPE_ARRAY, 4, 4, 1);

	assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_ANY), 0);
	assert_int_equal(bpf_map_freeze(fd), 0);
	value = 8;
	errno = 0;
	assert_int_equal(bpf_map_update_elem(fd, &key, &value, BPF_ANY), -EPERM);
	assert_int_equal(errno, EPERM);
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &value), 0);
	assert_int_equal(value, 7);
	/* freezing twice is refused (the frozen map lost its write access) */
	assert_true(bpf_map_freeze(fd) < 0);
	close(fd);
}

static void test_create_opts(void **state)
{
	struct {
		struct bpf_map_create_opts opts;
		char extra[16];
	} big;
	int fd;

	/* options are honoured: flags and numa */
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "nopre", 4, 4, 8, &opts);
	assert_true(fd > 2);
	close(fd);
	LIBBPF_OPTS_RESET(opts, .map_flags = BPF_F_MMAPABLE);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "mmapable", 4, 4, 8, &opts);
	assert_true(fd > 2);
	close(fd);

	/* a newer caller's struct: zero tail accepted, non-zero refused */
	memset(&big, 0, sizeof(big));
	big.opts.sz = sizeof(big);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, &big.opts);
	assert_true(fd > 2);
	close(fd);
	big.extra[5] = 1;
	errno = 0;
	assert_int_equal(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, &big.opts),
			 -EINVAL);
	assert_int_equal(errno, EINVAL);

	/* sz too small to be an opts struct */
	big.opts.sz = 2;
	assert_int_equal(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, &big.opts),
			 -EINVAL);

	/* batch opts are checked too */
	{
		struct {
			struct bpf_map_batch_opts o;
			__u64 extra;
		} b = { .o.sz = sizeof(b), .extra = 1 };
		__u32 count = 0;
		int afd = make_map(BPF_MAP_TYPE_ARRAY, 4, 4, 1);

		assert_int_equal(bpf_map_lookup_batch(afd, NULL, &count, NULL, NULL,
						      &count, &b.o), -EINVAL);
		close(afd);
	}

	/* the kernel's own refusals come back as -errno */
	errno = 0;
	assert_int_equal(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 0, 1, NULL),
			 -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_true(bpf_map_create((enum bpf_map_type)1000, NULL, 4, 4, 1, NULL) < 0);
}

static void test_fd_hygiene(void **state)
{
	int saved, fd, flags;

	/* with stdin closed the kernel would hand out fd 0 */
	saved = fcntl(0, F_DUPFD_CLOEXEC, 3);
	assert_true(saved >= 3);
	close(0);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "hyg", 4, 4, 1, NULL);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	assert_true(fd > 2);
	flags = fcntl(fd, F_GETFD);
	assert_true(flags >= 0 && (flags & FD_CLOEXEC));
	close(fd);
}

static void test_memlock_rlim(void **state)
{
	struct rlimit before, after;

	/* with memcg accounting (5.11+) the limit is never touched, so
	 * setting the value stays allowed after maps were created */
	assert_int_equal(getrlimit(RLIMIT_MEMLOCK, &before), 0);
	assert_int_equal(libbpf_set_memlock_rlim(64 << 20), 0);
	close(make_map(BPF_MAP_TYPE_ARRAY, 4, 4, 1));
	assert_int_equal(getrlimit(RLIMIT_MEMLOCK, &after), 0);
	assert_true(before.rlim_cur == after.rlim_cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_elem_ops),
		cmocka_unit_test(test_array_elem_ops),
		cmocka_unit_test(test_percpu_array),
		cmocka_unit_test(test_hash_batch),
		cmocka_unit_test(test_array_batch),
		cmocka_unit_test(test_queue_stack),
		cmocka_unit_test(test_freeze),
		cmocka_unit_test(test_create_opts),
		cmocka_unit_test(test_fd_hygiene),
		cmocka_unit_test(test_memlock_rlim),
	};

	return cmocka_run_group_tests(tests, evbpf_test_fd_setup,
				      evbpf_test_fd_teardown);
}
