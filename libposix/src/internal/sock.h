/* SPDX-License-Identifier: MIT */
/*
 * libposix's client side of posixsrv's sock protocol
 * (include/ferry/proto/sock.h, docs/proto/sock.md), shared by the
 * network/ calls.  All return 0 (or a value) or -errno.
 */
#ifndef LIBPOSIX_SOCK_H
#define LIBPOSIX_SOCK_H

#include <sys/socket.h>
#include <ferry/proto/sock.h>
#include "libposix.h"

/* fd's port if fd is open: -EBADF otherwise. */
LP_HIDDEN long __ferry_sock_fd(long fd, handle_t *port);
/* One sock-protocol call; a server that does not speak it means ENOTSOCK. */
LP_HIDDEN long __ferry_sock_rpc(handle_t port, uint32_t op, const void *req, unsigned reqlen,
                                void *rep, unsigned replen);
/* The caller's credentials for SO_PEERCRED. */
LP_HIDDEN void __ferry_sock_cred(struct sock_cred *c);
/*
 * A struct sockaddr_un as the protocol's name: a path is looked up
 * (connect, sendto: must be a socket node) or created (bind: S_IFSOCK
 * node, EADDRINUSE if the name exists) in vfs; an abstract name is kept as
 * text.  Text beyond the inline room goes to port's transfer area at
 * area_off.  *made is set when bind created a node (to remove on failure).
 */
LP_HIDDEN long __ferry_sock_addr(handle_t port, const void *sa, socklen_t salen, int bind,
                                 struct sock_addr_req *a, uint64_t area_off, char *made,
                                 size_t madesz);
/* Fills sa (room *salen) from a name text of len bytes; *salen becomes the full length. */
LP_HIDDEN void __ferry_sock_name_out(const uint8_t *text, uint32_t len, void *sa, socklen_t *salen);
/* getsockname (peer 0) or getpeername (peer 1) of fd into addr (room *len). */
LP_HIDDEN long __ferry_sock_name(long fd, void *addr, socklen_t *len, int peer);
/* Sends len bytes with rights to the destination (sa, or the peer). Bytes or -errno. */
LP_HIDDEN long __ferry_sock_send(long fd, const struct iovec *iov, int iovcnt, int flags,
                                 const void *sa, socklen_t salen, const int *fds, unsigned nfds);
/*
 * Receives into iov; the sender's name into sa/salen (may be NULL),
 * descriptors into fds (room *nfds, set to the count; extras closed and
 * *mflags gets MSG_CTRUNC).  Bytes or -errno.
 */
LP_HIDDEN long __ferry_sock_recv(long fd, const struct iovec *iov, int iovcnt, int flags, void *sa,
                                 socklen_t *salen, int *fds, unsigned *nfds, int *mflags);
/* Linux: EPIPE from a write raises SIGPIPE in the writer (unless MSG_NOSIGNAL). */
LP_HIDDEN long __ferry_sigpipe(long rc);

#endif
