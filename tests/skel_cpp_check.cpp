// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A generated skeleton (SKEL_HEADER) compiled as C++ against evbpf's
 * headers, using the C++ static member API. Exit 0 on success, 77 when the
 * object cannot be loaded for lack of privileges.
 */
#include <cerrno>
#include <cstdio>
#include <unistd.h>

#include SKEL_HEADER

int main()
{
	size_t sz = 0;
	struct skel_basic *skel = skel_basic::open();

	if (!skel || !skel_basic::elf_bytes(&sz) || sz == 0) {
		std::fprintf(stderr, "open failed: %d\n", errno);
		return 1;
	}
	skel->rodata->filter_pid = (__u32)getpid();
	if (skel_basic::load(skel)) {
		int err = errno;

		skel_basic::destroy(skel);
		std::fprintf(stderr, "load failed: %d\n", err);
		return err == EPERM ? 77 : 1;
	}
	int err = skel_basic::attach(skel);
	if (err || !skel->links.skel_on_getppid) {
		std::fprintf(stderr, "attach failed: %d (link %p)\n", err,
			     (void *)skel->links.skel_on_getppid);
		skel_basic::destroy(skel);
		return 1;
	}
	getppid();
	int ok = skel->bss->bss_hits == 1;
	if (!ok)
		std::fprintf(stderr, "bss_hits %llu after one getppid(), want 1\n",
			     (unsigned long long)skel->bss->bss_hits);
	skel_basic::detach(skel);
	skel_basic::destroy(skel);
	return ok ? 0 : 1;
}
