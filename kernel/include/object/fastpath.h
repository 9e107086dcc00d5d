/* SPDX-License-Identifier: MIT */
/* The IPC fast path (object/fastpath.c). */
#ifndef KERNEL_OBJECT_FASTPATH_H
#define KERNEL_OBJECT_FASTPATH_H

#include <ferry/types.h>

/* Not taken: run the general path.  Outside the status range. */
#define IPC_FAST_MISS 1

/* sys_msg_call and sys_msg_reply_recv (object/fastpath.c) try the fast
 * path and fall back to sys_msg_call_slow / sys_msg_reply_recv_slow. */

#endif
