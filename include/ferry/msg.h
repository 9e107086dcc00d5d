/* SPDX-License-Identifier: MIT */
/*
 * The fixed-size message: the only unit of communication between tasks.
 *
 * A message is two cache lines: a header, up to FERRY_MSG_HANDLES_MAX
 * handles and FERRY_MSG_INLINE_MAX bytes of inline payload.  Bulk data
 * never travels inline (see docs/ipc.md).
 */
#ifndef FERRY_MSG_H
#define FERRY_MSG_H

#include <ferry/types.h>

#define FERRY_MSG_HANDLES_MAX 4
#define FERRY_MSG_INLINE_MAX  88

struct ferry_msg {
	uint32_t op;       /* protocol opcode, or FERRY_NOTIFY_* for notifications */
	uint16_t len;      /* bytes of data[] in use, <= FERRY_MSG_INLINE_MAX */
	uint8_t nhandles;  /* handles[] in use, <= FERRY_MSG_HANDLES_MAX */
	uint8_t flags;     /* FERRY_MSGF_* */
	port_key_t key;    /* on receive: the key of the port it came through */
	uint64_t token;    /* on receive: reply token of a call, 0 for a send */
	handle_t handles[FERRY_MSG_HANDLES_MAX];
	uint8_t data[FERRY_MSG_INLINE_MAX];
};
_Static_assert(sizeof(struct ferry_msg) == 128, "message is two cache lines");

/* msg.flags */
#define FERRY_MSGF_HANDLES_COPY 0x01 /* send copies of the handles, keep ours */

/*
 * Notification opcodes.  They arrive on a queue like messages, with key set
 * to the key of the port concerned (or the binding's key), token 0, and
 * data[0..7] holding a count of coalesced events (uint64_t).
 */
#define FERRY_NOTIFY_BASE       0xfff00000u
#define FERRY_NOTIFY_NO_SENDERS (FERRY_NOTIFY_BASE + 1) /* last send handle closed */
#define FERRY_NOTIFY_IRQ        (FERRY_NOTIFY_BASE + 2) /* bound interrupt fired */
#define FERRY_NOTIFY_TIMER      (FERRY_NOTIFY_BASE + 3) /* queue timer expired */
#define FERRY_NOTIFY_EXCEPTION  (FERRY_NOTIFY_BASE + 4) /* a task's thread faulted */
#define FERRY_NOTIFY_TASK_EXIT  (FERRY_NOTIFY_BASE + 5) /* a watched task exited */

/* Payload of FERRY_NOTIFY_EXCEPTION (in data[]). */
struct ferry_exception_info {
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t fault_addr;
	uint64_t rsp;
};

/* Flags for send/call. */
#define FERRY_IPC_NONBLOCK 0x1 /* full queue: fail with FERRY_EAGAIN instead of blocking */

#endif
