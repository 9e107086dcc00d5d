/* SPDX-License-Identifier: MIT */
/*
 * The server library: one receive loop, dispatch through a table derived
 * from a protocol's X-macro list, and reply helpers.  The loop checks each
 * request's size and handle count against the table before the handler
 * runs, so handlers never repeat those checks; unknown opcodes get
 * -FERRY_ENOSYS.  A handler replies exactly once: by returning a status
 * (the loop sends the reply it built), or by returning FERRY_REPLY_LATER
 * and calling srv_reply() itself later with the saved token.
 *
 *   static const struct srv_op pipe_ops[] = { PIPE_PROTO_MESSAGES(SRV_OP_ENTRY) };
 *   struct srv s = SRV_INIT(queue, pipe_ops, FERRY_PROTO_BASE_PIPE, state);
 *   srv_run(&s);
 */
#ifndef LIB_SRV_H
#define LIB_SRV_H

#include <stdint.h>
#include <stddef.h>
#include <ferry/msg.h>
#include <ferry/proto/proto.h>

struct srv_call {
	const struct ferry_msg *req; /* request as received (handles installed here) */
	port_key_t key;              /* key of the port it came through (the object) */
	uint64_t token;              /* reply token; 0 for a one-way message */
	struct ferry_msg rep;        /* reply being built: data holds the reply struct */
};

typedef int (*srv_handler_fn)(void *state, struct srv_call *c);

struct srv_op {
	srv_handler_fn fn;
	const char *name;
	uint16_t req_size;
	uint16_t rep_size;
	uint8_t handles; /* exact count, or FERRY_PROTO_HANDLES_VAR | max */
};

/* One entry of a dispatch table, from a protocol list line. */
#define SRV_OP_ENTRY(OP, stem, num, req, rep, nh)                                                  \
	[(num)&0xff] = {(srv_handler_fn)on_##stem, #stem, sizeof(req), sizeof(rep), (nh)},

struct srv {
	uint64_t queue; /* handle_t of the receive queue */
	const struct srv_op *ops;
	uint32_t nops;
	uint32_t base; /* protocol's opcode base */
	void *state;
	/* Notifications (no-senders, IRQ, ...) and unknown protocols: may be NULL. */
	void (*on_notify)(void *state, const struct ferry_msg *m);
	/* Requests whose opcode is outside this protocol (another table): may be NULL. */
	int (*on_other)(void *state, struct srv_call *c);
	int trace;
};

#define SRV_INIT(q, table, opbase, st)                                                             \
	{                                                                                          \
		.queue = (q), .ops = (table), .nops = sizeof(table) / sizeof((table)[0]),          \
		.base = (opbase), .state = (st)                                                    \
	}

/* Runs the loop; returns only when the queue fails (status). */
int srv_run(struct srv *s);
/* Handles one received message (exposed for servers with their own loop). */
void srv_dispatch(struct srv *s, struct ferry_msg *m);
/* The same, but the reply is left in *out (out->token != 0: send it, e.g. with
 * msg_reply_recv) instead of being sent. */
void srv_handle(struct srv *s, struct ferry_msg *m, struct ferry_msg *out);
/* Sends a reply for token: status first, then the rest of rep (len bytes incl. status). */
int srv_reply(uint64_t token, int32_t status, void *rep, size_t len, const uint32_t *handles,
              unsigned nhandles);
/* Reply-struct pointer of a call, typed by the handler. */
#define SRV_REP(c, type) ((type *)(c)->rep.data)
#define SRV_REQ(c, type) ((const type *)(c)->req->data)

#endif
