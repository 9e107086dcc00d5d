/* SPDX-License-Identifier: MIT */
/*
 * Machinery shared by every IPC protocol header.
 *
 * A protocol is one X-macro list of its messages:
 *
 *   #define PIPE_PROTO_MESSAGES(X)                                                  \
 *       X(PIPE_READ,  pipe_read,  0x0301, struct pipe_read_req,  struct pipe_read_rep,  0) \
 *       X(PIPE_WRITE, pipe_write, 0x0302, struct pipe_write_req, struct pipe_write_rep, 0)
 *   FERRY_PROTO_DECLARE(pipe, PIPE_PROTO_MESSAGES)
 *
 * Columns: opcode name, handler stem (servers implement on_<stem>), opcode
 * value (explicit, never reused; each protocol owns a disjoint 256-value
 * range, see FERRY_PROTO_BASE_*), request struct, reply struct, number of
 * handles the request carries (exactly, or at most n when written
 * FERRY_PROTO_HANDLES_UPTO(n): SCM_RIGHTS).  FERRY_PROTO_DECLARE derives the opcode
 * enum, the size checks against the inline payload and a name function
 * for tracing.  Every reply struct starts with `int32_t status`.
 * Servers build their dispatch table from the same list (lib/srv).
 */
#ifndef FERRY_PROTO_PROTO_H
#define FERRY_PROTO_PROTO_H

#include <stdint.h>
#include <ferry/msg.h>

/* Opcode ranges, one per protocol. */
#define FERRY_PROTO_BASE_REGISTRY 0x0100
#define FERRY_PROTO_BASE_VFS      0x0200
#define FERRY_PROTO_BASE_FILE     0x0300 /* open file descriptions (any object server) */
#define FERRY_PROTO_BASE_PROC     0x0400
#define FERRY_PROTO_BASE_PIPE     0x0500
#define FERRY_PROTO_BASE_TTY      0x0600
#define FERRY_PROTO_BASE_SOCK     0x0700
#define FERRY_PROTO_BASE_POSIX    0x0800 /* posixsrv's own calls: reboot, hostname */
#define FERRY_PROTO_BASE_MQ       0x0900 /* POSIX message queues (posixsrv) */
#define FERRY_PROTO_RANGE         0x0100

/* Handle column value: the request carries 0 to n handles. */
#define FERRY_PROTO_HANDLES_UPTO(n) (0x80 | (n))
#define FERRY_PROTO_HANDLES_VAR     0x80

/* A handler's pseudo-status: it will reply later (srv_reply_later). */
#define FERRY_REPLY_LATER 1

#define FERRY_PROTO_ENUM_(OP, stem, num, req, rep, nh) OP = (num),
#define FERRY_PROTO_CHECK_(OP, stem, num, req, rep, nh)                                            \
	_Static_assert(sizeof(req) <= FERRY_MSG_INLINE_MAX,                                        \
	               #OP ": request exceeds the inline payload");                                \
	_Static_assert(sizeof(rep) <= FERRY_MSG_INLINE_MAX,                                        \
	               #OP ": reply exceeds the inline payload");                                  \
	_Static_assert(((nh)&0x7f) <= FERRY_MSG_HANDLES_MAX, #OP ": too many handles");
#define FERRY_PROTO_NAME_(OP, stem, num, req, rep, nh)                                             \
	case (num):                                                                                \
		return #stem;

#define FERRY_PROTO_DECLARE(proto, LIST)                                                           \
	enum proto##_op{LIST(FERRY_PROTO_ENUM_)};                                                  \
	LIST(FERRY_PROTO_CHECK_)                                                                   \
	static inline const char *proto##_op_name(uint32_t op)                                     \
	{                                                                                          \
		switch (op) {                                                                      \
			LIST(FERRY_PROTO_NAME_)                                                    \
		}                                                                                  \
		return "?";                                                                        \
	}

/* The generic reply: just a status. */
struct ferry_status_rep {
	int32_t status;
	uint32_t pad;
};

#endif
