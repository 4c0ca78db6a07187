// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Loader fixture: .kconfig and .ksyms externs patched into instructions. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_EVBPF_SURELY_MISSING __kconfig __weak;
extern const void __start_rodata __ksym __weak;

__u32 seen_version;
int seen_missing = -1;
__u64 seen_ksym;

SEC("socket")
int read_externs(struct __sk_buff *skb)
{
	seen_version = LINUX_KERNEL_VERSION;
	seen_missing = CONFIG_EVBPF_SURELY_MISSING;
	seen_ksym = (__u64)(unsigned long)&__start_rodata;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
