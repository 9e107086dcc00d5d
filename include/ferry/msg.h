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
	uint32_t op;      /* protocol opcode, or FERRY_NOTIFY_* for notifications */
	uint16_t len;     /* bytes of data[] in use, <= FERRY_MSG_INLINE_MAX */
	uint8_t nhandles; /* handles[] in use, <= FERRY_MSG_HANDLES_MAX */
	uint8_t flags;    /* FERRY_MSGF_* */
	port_key_t key;   /* on receive: the key of the port it came through */
	uint64_t token;   /* on receive: reply token of a call, 0 for a send */
	handle_t handles[FERRY_MSG_HANDLES_MAX];
	uint8_t data[FERRY_MSG_INLINE_MAX];
};
_Static_assert(sizeof(struct ferry_msg) == 128, "message is two cache lines");

/* msg.flags */
#define FERRY_MSGF_HANDLES_COPY 0x01 /* send copies of the handles, keep ours */
#define FERRY_MSGF_PAYLOAD      0x02 /* data[0..23] is a struct ferry_payload (docs/memory.md) */

/*
 * A page payload: whole pages of the sender's address space that travel
 * with the message without being copied.  By default they are lent, read-
 * only, for the duration of a call (msg_call only): the kernel maps them
 * into the receiver when it receives the call and unmaps them when the
 * call ends (reply, or the caller giving up).  FERRY_PAYLOAD_WRITE lends
 * them writable (the receiver writes the sender's memory).  With
 * FERRY_PAYLOAD_MOVE (send, call or reply) the range leaves the sender's
 * address space and becomes the receiver's private memory.
 *
 * On receive the kernel rewrites addr to where it mapped the pages, or 0
 * if the receiver could not take them (quota, address space).  A message
 * with a payload carries at most FERRY_MSG_HANDLES_MAX - 1 handles.
 */
struct ferry_payload {
	uint64_t addr;     /* page aligned; on receive: where it is mapped (0: dropped) */
	uint64_t len;      /* bytes, a page multiple, 0 < len <= FERRY_PAYLOAD_MAX */
	uint32_t flags;    /* FERRY_PAYLOAD_* */
	uint32_t reserved; /* 0 */
};
_Static_assert(sizeof(struct ferry_payload) == 24, "payload descriptor layout");
#define FERRY_PAYLOAD_WRITE 0x1 /* lend writable */
#define FERRY_PAYLOAD_MOVE  0x2 /* move instead of lend */
#define FERRY_PAYLOAD_MAX   (16ull << 20)

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
