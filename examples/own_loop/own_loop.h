/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef OWN_LOOP_H
#define OWN_LOOP_H

/* One record per getppid() call of the traced process. */
struct own_loop_event {
	__u32 tgid;
	__u32 seq;	/* the call's number, from 1 */
	__u64 tag;	/* the value user space stored in the `tag` map */
};

#endif
