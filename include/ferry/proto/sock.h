/* SPDX-License-Identifier: MIT */
/*
 * Protocol "sock": UNIX-domain sockets, served by posixsrv.
 *
 * SOCK_CREATE and SOCK_PAIR go to posixsrv's service port and reply with
 * one (two) socket ports, moved.  A socket port is an open file
 * description: it answers the "file" protocol (read = recv, write = send,
 * poll, stat, fcntl, FIONREAD, xfer_attach) and the socket ops below.
 *
 * Names.  A path name is a vfs node (S_IFSOCK, made by the client with
 * VFS_MKNOD) and travels as the node's (dev, ino), so the walk, symlinks
 * and permissions are vfs's and an unlinked node is unreachable; the
 * name's text is kept for getsockname/getpeername.  dev = ino = 0 with a
 * text starting with a NUL byte is Linux's abstract namespace, keyed by
 * the text.  Text longer than the inline room travels in the caller's
 * transfer area attached to the socket port.
 *
 * Descriptors (SCM_RIGHTS) are handles: SOCK_SEND carries up to
 * FERRY_MSG_HANDLES_MAX of them (moved), SOCK_RECV returns them with the
 * bytes they were sent with.  Credentials (SO_PEERCRED) are the ones the
 * client states in SOCK_CREATE/PAIR/LISTEN/CONNECT.
 *
 * Values (domain, types, flags, shutdown how) are Linux x86_64's.  Every
 * op and error: docs/proto/sock.md.
 */
#ifndef FERRY_PROTO_SOCK_H
#define FERRY_PROTO_SOCK_H

#include <ferry/proto/proto.h>

#define SOCK_AF_UNIX     1
#define SOCK_T_STREAM    1
#define SOCK_T_DGRAM     2
#define SOCK_T_SEQPACKET 5
#define SOCK_T_NONBLOCK  04000    /* type flag: the description starts O_NONBLOCK */
#define SOCK_T_CLOEXEC   02000000 /* type flag: client-side only, ignored */

#define SOCK_NAME_MAX    108   /* sizeof sun_path */
#define SOCK_CAPACITY    65536 /* receive buffer bytes per socket */
#define SOCK_BACKLOG_MAX 16    /* pending connections per listener */

/* Call flags (send, recv, accept). */
#define SOCK_F_NONBLOCK 0x1 /* = FILE_F_NONBLOCK: MSG_DONTWAIT */
#define SOCK_F_PEEK     0x2 /* MSG_PEEK: leave the data queued */
/* Reply flags of SOCK_RECV (Linux MSG_* values). */
#define SOCK_M_CTRUNC 0x8
#define SOCK_M_TRUNC  0x20

/* shutdown how */
#define SOCK_SHUT_RD   0
#define SOCK_SHUT_WR   1
#define SOCK_SHUT_RDWR 2

struct sock_cred {
	int32_t pid;
	uint32_t uid, gid;
};

struct sock_create_req {
	uint32_t domain;   /* SOCK_AF_UNIX */
	uint32_t type;     /* SOCK_T_* | SOCK_T_NONBLOCK | SOCK_T_CLOEXEC */
	uint32_t protocol; /* 0 */
	struct sock_cred cred;
	uint32_t pad;
};
struct sock_create_rep {
	int32_t status;
	uint32_t id; /* st_ino of the socket(s) */
};

/* A name: bind, connect. */
#define SOCK_ADDR_INLINE 40
struct sock_addr_req {
	uint64_t dev, ino;     /* the node of a path name; 0, 0: abstract */
	struct sock_cred cred; /* connect: the connecting process */
	uint32_t len;          /* bytes of the name's text (<= SOCK_NAME_MAX) */
	uint32_t xfer;         /* 0: text in name[]; else transfer area id */
	uint32_t pad;
	uint64_t xfer_off;
	uint8_t name[SOCK_ADDR_INLINE];
};

struct sock_listen_req {
	int32_t backlog;
	struct sock_cred cred;
};

struct sock_accept_req {
	uint32_t flags; /* SOCK_F_NONBLOCK (this call) */
	uint32_t type;  /* SOCK_T_NONBLOCK for the new description */
};
struct sock_accept_rep {
	int32_t status;
	uint32_t id;
};

#define SOCK_SEND_INLINE 40
struct sock_send_req {
	uint32_t len;
	uint32_t flags;   /* SOCK_F_NONBLOCK */
	uint32_t xfer;    /* 0: data in data[] */
	uint32_t namelen; /* non-zero: destination given (sendto) */
	uint64_t xfer_off;
	uint64_t dev, ino; /* destination node; 0, 0: abstract name at name_off */
	uint64_t name_off; /* abstract destination text in the transfer area */
	uint8_t data[SOCK_SEND_INLINE];
};
struct sock_send_rep {
	int32_t status;
	uint32_t len;
};

#define SOCK_RECV_INLINE 64
struct sock_recv_req {
	uint64_t len;
	uint32_t flags; /* SOCK_F_NONBLOCK, SOCK_F_PEEK */
	uint32_t xfer;  /* 0: data inline in the reply */
	uint64_t xfer_off;
	uint64_t name_off; /* sender's name goes here (transfer area) if name_cap */
	uint32_t name_cap;
	uint32_t pad;
};
struct sock_recv_rep {
	int32_t status;
	uint32_t len;     /* bytes delivered */
	uint32_t full;    /* the datagram's length (>= len; SOCK_M_TRUNC) */
	uint32_t mflags;  /* SOCK_M_* */
	uint32_t namelen; /* sender's name length (0: unnamed) */
	uint32_t pad;
	uint8_t data[SOCK_RECV_INLINE];
};

struct sock_shutdown_req {
	uint32_t how;
	uint32_t pad;
};

#define SOCK_NAME_INLINE 80
struct sock_name_req {
	uint32_t peer; /* 0: own name, 1: the peer's */
	uint32_t xfer; /* non-zero: the whole text also at xfer_off */
	uint64_t xfer_off;
};
struct sock_name_rep {
	int32_t status;
	uint32_t len; /* 0: unnamed */
	uint8_t name[SOCK_NAME_INLINE];
};

struct sock_info_req {
	uint32_t pad[2];
};
#define SOCK_I_LISTENING 0x1
#define SOCK_I_CONNECTED 0x2
#define SOCK_I_BOUND     0x4
struct sock_info_rep {
	int32_t status;
	uint32_t type;         /* SOCK_T_STREAM, DGRAM, SEQPACKET */
	uint32_t state;        /* SOCK_I_* */
	uint32_t shut;         /* bit 0: reads shut, bit 1: writes shut */
	struct sock_cred peer; /* SO_PEERCRED; pid 0: none */
	uint32_t rcvbuf;
	uint32_t queued; /* bytes waiting to be read */
	uint32_t pad;
};

#define SOCK_PROTO_MESSAGES(X)                                                                     \
	X(SOCK_CREATE, sock_create, 0x0701, struct sock_create_req, struct sock_create_rep, 0)     \
	X(SOCK_PAIR, sock_pair, 0x0702, struct sock_create_req, struct sock_create_rep, 0)         \
	X(SOCK_BIND, sock_bind, 0x0710, struct sock_addr_req, struct ferry_status_rep, 0)          \
	X(SOCK_LISTEN, sock_listen, 0x0711, struct sock_listen_req, struct ferry_status_rep, 0)    \
	X(SOCK_ACCEPT, sock_accept, 0x0712, struct sock_accept_req, struct sock_accept_rep, 0)     \
	X(SOCK_CONNECT, sock_connect, 0x0713, struct sock_addr_req, struct ferry_status_rep, 0)    \
	X(SOCK_SEND, sock_send, 0x0714, struct sock_send_req, struct sock_send_rep,                \
	  FERRY_PROTO_HANDLES_UPTO(FERRY_MSG_HANDLES_MAX))                                         \
	X(SOCK_RECV, sock_recv, 0x0715, struct sock_recv_req, struct sock_recv_rep, 0)             \
	X(SOCK_SHUTDOWN, sock_shutdown, 0x0716, struct sock_shutdown_req, struct ferry_status_rep, \
	  0)                                                                                       \
	X(SOCK_NAME, sock_name, 0x0717, struct sock_name_req, struct sock_name_rep, 0)             \
	X(SOCK_INFO, sock_info, 0x0718, struct sock_info_req, struct sock_info_rep, 0)

FERRY_PROTO_DECLARE(sock, SOCK_PROTO_MESSAGES)

#endif
