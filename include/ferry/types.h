/* SPDX-License-Identifier: MIT */
/*
 * Scalar ABI types shared by the kernel and user space.
 */
#ifndef FERRY_TYPES_H
#define FERRY_TYPES_H

#include <stdint.h>
#include <stddef.h>

/*
 * A handle names a capability in the calling task's handle table.  The value
 * encodes a table index and a generation (see handle.h), so a closed and
 * reused slot does not honour stale values.  0 is never a valid handle.
 */
typedef uint32_t handle_t;
#define FERRY_HANDLE_INVALID ((handle_t)0)

/* The key a server attaches to a port; returned with each received message. */
typedef uint64_t port_key_t;

/* Nanoseconds. */
typedef uint64_t ferry_time_t;
#define FERRY_TIME_INFINITE UINT64_MAX

/* Object types, as reported by handle_info. */
enum ferry_obj_type {
	FERRY_OBJ_NONE = 0,
	FERRY_OBJ_PORT = 1,   /* send side of a port */
	FERRY_OBJ_QUEUE = 2,  /* receive queue (port set) */
	FERRY_OBJ_MEMOBJ = 3, /* memory object */
	FERRY_OBJ_TASK = 4,   /* a task (address space + handle table + threads) */
	FERRY_OBJ_THREAD = 5, /* a thread */
	FERRY_OBJ_IRQ = 6,    /* right to bind interrupt lines and I/O ports */
	FERRY_OBJ_COUNT
};

/* Rights carried by a handle. */
#define FERRY_RIGHT_SEND     (1u << 0) /* send/call through a port */
#define FERRY_RIGHT_RECV     (1u << 1) /* receive from a queue */
#define FERRY_RIGHT_DUP      (1u << 2) /* duplicate the handle */
#define FERRY_RIGHT_TRANSFER (1u << 3) /* move or copy it in a message */
#define FERRY_RIGHT_MAP      (1u << 4) /* map a memory object */
#define FERRY_RIGHT_READ     (1u << 5) /* read access (memory: map readable) */
#define FERRY_RIGHT_WRITE    (1u << 6) /* write access (memory: map writable) */
#define FERRY_RIGHT_EXEC     (1u << 7) /* map executable */
#define FERRY_RIGHT_MANAGE   (1u << 8) /* control a task/thread/queue (kill, bind) */
#define FERRY_RIGHTS_ALL     0x1ffu
#define FERRY_RIGHT_SAME     0xffffffffu /* handle_dup: keep the rights */

#endif
