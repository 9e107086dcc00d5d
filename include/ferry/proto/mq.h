/* SPDX-License-Identifier: MIT */
/*
 * Protocol "mq": POSIX message queues, served by posixsrv.
 *
 * MQ_OPEN and MQ_UNLINK go to posixsrv's service port (AT_FERRY_POSIXSRV).
 * MQ_OPEN replies with a port, moved to the caller: the open message
 * queue description (mqd_t is a file descriptor holding it).  It answers
 * the ops below and, of the "file" protocol, poll (readable: not empty,
 * writable: not full), stat, fcntl F_GETFL/F_SETFL and xfer_attach.
 * Closing every handle to it closes the description (no-senders).
 *
 * Names are Linux's: the text after the one leading slash (the client
 * strips it), 1..MQ_NAME_MAX bytes, no '/', not "." or "..".  A name of at
 * most MQ_NAME_INLINE bytes travels inline; a longer one in a page payload
 * lent with the call (FERRY_MSGF_PAYLOAD: struct ferry_payload first, the
 * name at its start).  handles[0]: the caller's token (a copy of its
 * process port, as for VFS_SESSION); posixsrv reads the caller's ids from
 * procmgr's credential table, and a call without a valid token acts as
 * nobody (docs/proto/mq.md, "Credentials").
 *
 * Message bytes: up to MQ_INLINE_MAX inline; larger through the caller's
 * transfer area attached to the description (xfer, xfer_off), as in the
 * file protocol.
 *
 * Deadlines are FERRY_CLOCK_MONOTONIC nanoseconds (the client converts
 * the absolute CLOCK_REALTIME time POSIX gives); 0 waits for ever.
 *
 * Every op and error: docs/proto/mq.md.
 */
#ifndef FERRY_PROTO_MQ_H
#define FERRY_PROTO_MQ_H

#include <ferry/proto/proto.h>

#define MQ_NAME_MAX        255   /* NAME_MAX */
#define MQ_NAME_INLINE     32    /* bytes of name that fit in the request */
#define MQ_INLINE_MAX      48    /* message bytes carried inline */
#define MQ_PRIO_LIMIT      32768 /* MQ_PRIO_MAX: priorities are below it */
#define MQ_MAXMSG_DEFAULT  10    /* Linux's defaults without attributes */
#define MQ_MSGSIZE_DEFAULT 8192
#define MQ_MAXMSG_MAX      64    /* attributes above these: -FERRY_EINVAL */
#define MQ_MSGSIZE_MAX     65536 /* the transfer area's size in libposix */

/* Open flags: Linux values. */
#define MQ_O_ACCMODE  03
#define MQ_O_RDONLY   00
#define MQ_O_WRONLY   01
#define MQ_O_RDWR     02
#define MQ_O_CREAT    0100
#define MQ_O_EXCL     0200
#define MQ_O_NONBLOCK 04000
#define MQ_O_CLOEXEC  02000000 /* client-side only */

/* MQ_OPEN / MQ_UNLINK.  With FERRY_MSGF_PAYLOAD, pl describes the lent
 * page(s) holding the name and name[] is unused; else pl is ignored. */
struct mq_name_req {
	struct ferry_payload pl;
	uint32_t flags;   /* MQ_O_* (open) */
	uint32_t mode;    /* O_CREAT: permission bits, umask applied */
	uint32_t maxmsg;  /* O_CREAT: 0 with msgsize 0 = the defaults */
	uint32_t msgsize; /* O_CREAT */
	uint32_t namelen;
	uint32_t pad;
	char name[MQ_NAME_INLINE];
};
struct mq_open_rep {
	int32_t status;
	uint32_t id; /* the queue's number (st_ino) */
};

/* MQ_SEND: flags. */
#define MQ_F_NONBLOCK 0x1 /* fail with -FERRY_EAGAIN instead of waiting */
#define MQ_F_BADTIME  0x2 /* the timeout was invalid: -FERRY_EINVAL if it must wait */
struct mq_send_req {
	uint32_t len;
	uint32_t prio;
	uint32_t flags; /* MQ_F_* */
	uint32_t xfer;  /* 0: data inline; else transfer area id */
	uint64_t xfer_off;
	uint64_t deadline; /* monotonic ns, 0: none */
	int32_t pid;       /* the sender (a notification's si_pid; procmgr adds si_uid) */
	uint32_t pad;
	uint8_t data[MQ_INLINE_MAX];
};

struct mq_send_rep {
	int32_t status;
	int32_t notified; /* the process this message's notification signal went to, 0: none */
};

struct mq_receive_req {
	uint32_t len; /* room for the message: -FERRY_EMSGSIZE below mq_msgsize */
	uint32_t flags;
	uint32_t xfer; /* 0: the message inline in the reply */
	uint32_t pad;
	uint64_t xfer_off;
	uint64_t deadline;
};
struct mq_receive_rep {
	int32_t status;
	uint32_t len;
	uint32_t prio;
	uint32_t pad;
	uint8_t data[MQ_INLINE_MAX];
};

/* MQ_NOTIFY: how. */
#define MQ_NOTIFY_REMOVE 0 /* mq_notify(NULL): drop the caller's registration */
#define MQ_NOTIFY_NONE   1 /* SIGEV_NONE: registered, nothing delivered */
#define MQ_NOTIFY_SIGNAL 2 /* SIGEV_SIGNAL: signo with si_code SI_MESGQ and value */
/* handles[0]: the caller's token (as for MQ_OPEN): the registering process
 * is the one procmgr's table names (no valid token: -FERRY_EPERM).
 * SIGEV_THREAD: handles[1] is a port (moved); when the notification fires
 * posixsrv sends it one message of op MQ_NOTIFY_FIRED (no data), and it
 * closes the port whenever the registration ends (fired, removed, or its
 * description closed): the client's thread waiting on it sees no-senders. */
#define MQ_NOTIFY_THREAD 3
#define MQ_NOTIFY_FIRED  0x09ff /* one-way message op (not a request) */
struct mq_notify_req {
	uint32_t how;
	int32_t signo;
	uint64_t pad;
	uint64_t value; /* si_value */
};

struct mq_attr_req {
	uint32_t set;   /* 1: set the description's O_NONBLOCK from flags */
	uint32_t flags; /* MQ_O_NONBLOCK or 0 */
};
struct mq_attr_rep {
	int32_t status;
	uint32_t flags; /* before a set */
	uint32_t maxmsg, msgsize, curmsgs;
	uint32_t pad;
};

#define MQ_PROTO_MESSAGES(X)                                                                       \
	X(MQ_OPEN, mq_open, 0x0901, struct mq_name_req, struct mq_open_rep,                        \
	  FERRY_PROTO_HANDLES_VAR | 1)                                                             \
	X(MQ_UNLINK, mq_unlink, 0x0902, struct mq_name_req, struct ferry_status_rep,               \
	  FERRY_PROTO_HANDLES_VAR | 1)                                                             \
	X(MQ_SEND, mq_send, 0x0903, struct mq_send_req, struct mq_send_rep, 0)                     \
	X(MQ_RECEIVE, mq_receive, 0x0904, struct mq_receive_req, struct mq_receive_rep, 0)         \
	X(MQ_NOTIFY, mq_notify, 0x0905, struct mq_notify_req, struct ferry_status_rep,             \
	  FERRY_PROTO_HANDLES_UPTO(2))                                                             \
	X(MQ_GETSETATTR, mq_getsetattr, 0x0906, struct mq_attr_req, struct mq_attr_rep, 0)

FERRY_PROTO_DECLARE(mq, MQ_PROTO_MESSAGES)

#endif
