/* SPDX-License-Identifier: MIT */
/*
 * POSIX message queues, shared by mq.c (names, queues, descriptions),
 * mq_io.c (messages, waits, notification, readiness) and mq_msg.c (the
 * mq and file protocols on them).
 */
#ifndef POSIXSRV_MQ_INT_H
#define POSIXSRV_MQ_INT_H

#include "posixsrv.h"
#include <ferry/proto/mq.h>

#define MQ_MAX        256    /* queues (Linux's queues_max): -FERRY_ENOSPC */
#define MQ_DESC_MAX   512    /* open descriptions: -FERRY_ENFILE */
#define MQ_WAITERS    16     /* blocked calls per direction: -FERRY_EAGAIN */
#define MQ_ARMS       4      /* armed polls per description: -FERRY_ENOSPC */
#define MQ_USER_BYTES 819200 /* queue memory per creator uid (RLIMIT_MSGQUEUE): -FERRY_EMFILE */
#define MQ_NOBODY     65534u /* the ids of a caller without a valid token */
#define MQ_SI_MESGQ   (-3)   /* si_code of a notification signal */

/* A queued message: its bytes are in slot `slot` of the queue's buffer. */
struct mq_entry {
	uint32_t len;
	uint32_t prio;
	uint32_t slot;
};

/* A blocked mq_receive (answered later). */
/* What every blocked call has (the first member of the two kinds below). */
struct mq_wait {
	uint64_t token;
	uint64_t deadline; /* monotonic ns, 0: none */
	uint32_t desc;     /* the description it came through */
};

struct mq_rwait {
	struct mq_wait w;
	uint32_t len;
	uint8_t *xfer; /* where the message goes, or NULL: inline in the reply */
};

/* A blocked mq_send: the message waits here until there is room. */
struct mq_swait {
	struct mq_wait w;
	uint32_t len, prio;
	int32_t pid;
	const uint8_t *xfer; /* the bytes in the caller's area, or NULL: inl */
	uint8_t inl[MQ_INLINE_MAX];
};

struct mq_arm {
	handle_t port; /* where FILE_READY goes; 0 = slot free */
	uint32_t events;
	uint64_t cookie;
};

struct mq {
	bool used;
	bool linked; /* has its name (else unlinked, alive while open) */
	char name[MQ_NAME_MAX + 1];
	uint32_t id;
	uint32_t uid, gid, mode;
	uint32_t maxmsg, msgsize;
	uint32_t nopen; /* descriptions */
	uint8_t *buf;   /* maxmsg slots of msgsize bytes */
	uint64_t bufsize;
	uint64_t slots_used; /* bit i: slot i holds a message */
	uint64_t bytes;      /* bytes of the queued messages */
	/* Queued messages, highest priority first, FIFO within one. */
	struct mq_entry msgs[MQ_MAXMSG_MAX];
	uint32_t cur;
	uint32_t narmed; /* poll arms on its descriptions */
	struct mq_rwait rd[MQ_WAITERS];
	struct mq_swait wr[MQ_WAITERS];
	uint32_t nrd, nwr;
	/* The notification registration (mq_notify). */
	bool notify;
	uint32_t notify_how;  /* MQ_NOTIFY_NONE, _SIGNAL or _THREAD */
	handle_t notify_port; /* _THREAD: where MQ_NOTIFY_FIRED goes */
	uint32_t notify_desc;
	int32_t notify_pid, notify_sig;
	uint64_t notify_value;
};

struct mq_desc {
	bool used;
	uint32_t q;     /* index in the queue table */
	handle_t mgr;   /* MANAGE-only handle to the description's port */
	uint32_t flags; /* O_ACCMODE | O_NONBLOCK */
	struct xfer_set xfer;
	struct mq_arm arms[MQ_ARMS];
};

/* mq.c: the tables (an entry is in use when its `used` is set). */
extern struct mq mq_queues[MQ_MAX];
extern struct mq_desc mq_descs[MQ_DESC_MAX];

/* The description behind a KEY_MQ index (and its queue), or NULL. */
struct mq_desc *mq_desc_of(uint32_t index, struct mq **q);
/*
 * MQ_OPEN of name[len] with r's flags, mode and attributes, for who:
 * a new description, *port the client's send handle to it and *id the
 * queue's number.  Errors as docs/proto/mq.md "MQ_OPEN".
 */
int mq_open_name(const char *name, uint32_t len, const struct mq_name_req *r,
                 const struct proc_cred_entry *who, handle_t *port, uint32_t *id);
/* MQ_UNLINK: removes the name (the queue lives while open).  -ENOENT, -EACCES, name errors. */
int mq_unlink_name(const char *name, uint32_t len, const struct proc_cred_entry *who);
/*
 * MQ_SEND through description di of r->len bytes at src (inline data or
 * the caller's area), for the call token.  Replies itself and returns
 * FERRY_REPLY_LATER (sent, or waiting for room), or returns an error.
 */
int mq_send(uint32_t di, const struct mq_send_req *r, const uint8_t *src, uint64_t token);
/* MQ_RECEIVE into dst (the caller's area) or the inline reply (dst NULL);
 * as mq_send: FERRY_REPLY_LATER or an error. */
int mq_receive(uint32_t di, const struct mq_receive_req *r, uint8_t *dst, uint64_t token);
/* MQ_NOTIFY on di's queue: register, or remove r->pid's registration.
 * port (0: none) is consumed: kept for MQ_NOTIFY_THREAD, else closed.
 * -EBUSY, -EINVAL. */
int mq_notify(uint32_t di, const struct mq_notify_req *r, int32_t pid, handle_t port);
/* MQ_GETSETATTR: the attributes in *rep, then O_NONBLOCK set when r->set. */
int mq_getsetattr(uint32_t di, const struct mq_attr_req *r, struct mq_attr_rep *rep);
/* No call waits on di's queue (so no pointer into a transfer area is held). */
bool mq_idle(uint32_t di);
/* Description index d of q is closing: its waiting calls are answered
 * -FERRY_EBADH, its poll arms and notification registration dropped. */
void mq_desc_drop(struct mq *q, struct mq_desc *d, uint32_t index);
/* POLLIN/POLLOUT bits of q now. */
uint32_t mq_revents(const struct mq *q);
/* FILE_POLL: *revents if ready now (port closed), else port (consumed) is
 * armed for one FILE_READY message.  -FERRY_ENOSPC: no arm free. */
int mq_poll(uint32_t di, uint32_t events, uint64_t cookie, handle_t port, uint32_t *revents);

#endif
