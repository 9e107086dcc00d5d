/* SPDX-License-Identifier: MIT */
/* The IPC fast path (object/fastpath.c). */
#ifndef KERNEL_OBJECT_FASTPATH_H
#define KERNEL_OBJECT_FASTPATH_H

#include <ferry/types.h>

/* Not taken: run the general path.  Outside the status range. */
#define IPC_FAST_MISS 1

long ipc_fast_call(handle_t port, uint64_t umsg, ferry_time_t timeout);
long ipc_fast_reply_recv(handle_t queue, uint64_t umsg, ferry_time_t timeout);

#endif
