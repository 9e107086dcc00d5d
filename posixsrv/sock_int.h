/* SPDX-License-Identifier: MIT */
/*
 * UNIX-domain socket objects, shared by sock.c (state machine) and
 * sock_msg.c (the sock and file protocols on socket ports).
 */
#ifndef POSIXSRV_SOCK_INT_H
#define POSIXSRV_SOCK_INT_H

#include "posixsrv.h"
#include "ring.h"
#include <ferry/proto/sock.h>

#define SOCK_RECS    64 /* queued records (datagrams, rights marks) per socket */
#define SOCK_WAITERS 16 /* blocked calls per direction */
#define SOCK_ARMS    8  /* armed polls per socket */
#define SOCK_NH      FERRY_MSG_HANDLES_MAX

/*
 * A record in a receive queue.  Record sockets (DGRAM, SEQPACKET): one per
 * message, starting at pos.  STREAM: only where descriptors travel; they
 * belong to the byte at pos, and a read never crosses such a mark.
 */
struct sock_rec {
	uint32_t pos;  /* ring position of the first byte */
	uint32_t len;  /* record sockets: bytes */
	uint32_t from; /* sender's index + 1 (its name for recvfrom), 0 none */
	uint32_t from_id;
	uint32_t nh;
	handle_t h[SOCK_NH];
};

/* A call answered later: a blocked recv/read, send/write or accept. */
struct sock_waiter {
	uint64_t token;
	uint32_t len;
	uint32_t done;  /* sends: bytes already queued */
	uint32_t flags; /* SOCK_F_* */
	bool recv_ext;  /* recv: reply is sock_recv_rep (else file_read_rep) */
	bool send_ext;  /* send: reply is sock_send_rep (same layout as file_write_rep) */
	uint32_t src;   /* sends: sender's index; accepts: new description's O_NONBLOCK */
	uint8_t *xfer;  /* data in the caller's transfer area, or NULL: inline */
	uint8_t *name;  /* recv: where the sender's name goes, or NULL */
	uint32_t name_cap;
	uint32_t nh;
	handle_t h[SOCK_NH];
	uint8_t inl[FILE_WRITE_INLINE_MAX]; /* >= SOCK_SEND_INLINE */
};
_Static_assert(SOCK_SEND_INLINE <= FILE_WRITE_INLINE_MAX, "inline send room");

struct sock_arm {
	handle_t port; /* where FILE_READY goes; 0 = slot free */
	uint32_t events;
	uint64_t cookie;
};

struct sock_pending {
	uint32_t idx;    /* the server-side socket of the connection */
	handle_t client; /* its send handle, given out by accept */
};

#define SOCK_SHUT_R 0x1
#define SOCK_SHUT_W 0x2

struct sock {
	bool used;
	bool listening;
	bool bound;
	bool peer_lost; /* was connected; the peer is gone */
	uint32_t id;    /* unique, never reused (st_ino, from_id) */
	uint32_t type;  /* SOCK_T_STREAM, DGRAM, SEQPACKET */
	uint32_t flags; /* O_RDWR | O_NONBLOCK */
	uint32_t shut;  /* SOCK_SHUT_R | SOCK_SHUT_W */
	int32_t peer;   /* index of the peer (DGRAM: the default destination), -1 none */
	handle_t mgr;   /* MANAGE-only handle to the socket's port */
	struct sock_cred cred;
	/* name */
	uint64_t dev, ino;
	uint32_t namelen;
	uint8_t name[SOCK_NAME_MAX];
	/* receive side */
	struct ring ring; /* buf NULL until something is queued */
	struct sock_rec recs[SOCK_RECS];
	uint32_t nrecs;
	struct sock_waiter rd[SOCK_WAITERS]; /* readers and accepters */
	struct sock_waiter wr[SOCK_WAITERS]; /* senders into this socket */
	uint32_t nrd, nwr;
	/* listening */
	struct sock_pending backlog[SOCK_BACKLOG_MAX];
	uint32_t nbacklog, maxbacklog;
	struct xfer_set xfer;
	struct sock_arm arms[SOCK_ARMS];
};

struct sock *sock_of(uint32_t index);
uint32_t sock_index(const struct sock *s);
bool sock_is_conn(const struct sock *s);
uint32_t sock_revents(struct sock *s);
int sock_poll(struct sock *s, uint32_t events, uint64_t cookie, handle_t port, uint32_t *revents);
int sock_bind(struct sock *s, const struct sock_addr_req *a, const uint8_t *name);
int sock_listen(struct sock *s, int32_t backlog, const struct sock_cred *cred);
int sock_connect(struct sock *s, const struct sock_addr_req *a, const uint8_t *name);
int sock_accept(struct sock *s, const struct sock_accept_req *req, uint64_t token);
/*
 * One send: w gives the data (inl or xfer), handles, flags and token;
 * named: sendto's destination dest (NULL: no such name).  Consumes w's
 * handles.  0 (rep->len set), FERRY_REPLY_LATER or an error.
 */
int sock_send(struct sock *s, struct sock_waiter *w, bool named, struct sock *dest,
              struct sock_send_rep *rep);
/* One receive for w; always answers through srv_reply (FERRY_REPLY_LATER) or returns an error. */
int sock_recv(struct sock *s, struct sock_waiter *w);
int sock_shutdown(struct sock *s, uint32_t how);
/* The socket named (dev, ino) or abstract text, or NULL. */
struct sock *sock_lookup(uint64_t dev, uint64_t ino, const uint8_t *name, uint32_t len);
uint32_t sock_fionread(const struct sock *s);

#endif
