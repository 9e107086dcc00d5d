/* SPDX-License-Identifier: MIT */
/*
 * Client side of the sock protocol shared by the network/ calls: names
 * (sockaddr_un <-> vfs node or abstract text), the data path of
 * send/recv with descriptors (SCM_RIGHTS: each fd's port handle is
 * duplicated and moved with the message; received handles become new
 * fds) and SIGPIPE.  Data up to the inline room travels in the message,
 * more through the thread's transfer area attached to the socket; names
 * of senders and destinations sit at the area's end (NAME_AREA).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <ferry/syscall.h>
#include <ferry/proto/file.h>
#include "sock.h"

#define NAME_AREA 128 /* bytes at the end of the transfer area for a name */

long
__ferry_sock_fd(long fd, handle_t *port)
{
	struct ferry_fd *f = __ferry_fd_get(fd);
	if (!f || f->kind != FERRY_FD_PORT)
		return -EBADF;
	*port = f->port;
	return 0;
}

static long
sock_status(long rc)
{
	/* A file server that has no sock protocol: not a socket. */
	return rc == -ENOSYS ? -ENOTSOCK : rc;
}

long
__ferry_sock_rpc(handle_t port, uint32_t op, const void *req, unsigned reqlen, void *rep,
                 unsigned replen)
{
	return sock_status(__ferry_rpc(port, op, req, reqlen, rep, replen, 0, 0));
}

void
__ferry_sock_cred(struct sock_cred *c)
{
	long pid = __ferry_sys_getpid(0, 0, 0, 0, 0, 0);
	long uid = __ferry_sys_geteuid(0, 0, 0, 0, 0, 0);
	long gid = __ferry_sys_getegid(0, 0, 0, 0, 0, 0);
	c->pid = pid > 0 ? (int32_t)pid : 0;
	c->uid = uid >= 0 ? (uint32_t)uid : 0;
	c->gid = gid >= 0 ? (uint32_t)gid : 0;
}

/* Puts len bytes of text into a (inline, or port's area at off). */
static long
name_text(handle_t port, struct sock_addr_req *a, const void *text, uint32_t len, uint64_t off)
{
	uint32_t id;
	void *base;
	long size;

	a->len = len;
	if (len <= SOCK_ADDR_INLINE) {
		memcpy(a->name, text, len);
		return 0;
	}
	size = __ferry_xfer(port, &id, &base);
	if (size < 0)
		return size;
	if (off + len > (uint64_t)size)
		return -EINVAL;
	memcpy((char *)base + off, text, len);
	a->xfer = id;
	a->xfer_off = off;
	return 0;
}

long
__ferry_sock_addr(handle_t port, const void *sa, socklen_t salen, int bind, struct sock_addr_req *a,
                  uint64_t area_off, char *made, size_t madesz)
{
	const struct sockaddr_un *un = sa;
	char path[sizeof un->sun_path + 1];
	struct stat st;
	size_t n;
	long rc;

	memset(a, 0, sizeof *a);
	if (made && madesz)
		made[0] = 0;
	if (!sa)
		return -EFAULT;
	if (salen < sizeof(sa_family_t) || salen > sizeof(struct sockaddr_un))
		return -EINVAL;
	if (un->sun_family != AF_UNIX)
		return bind ? -EINVAL : -EAFNOSUPPORT;
	n = salen - offsetof(struct sockaddr_un, sun_path);
	if (n == 0)
		return -EINVAL;
	if (un->sun_path[0] == 0) /* abstract */
		return name_text(port, a, un->sun_path, (uint32_t)n, area_off);
	n = strnlen(un->sun_path, n);
	memcpy(path, un->sun_path, n);
	path[n] = 0;
	if (bind) {
		rc = __ferry_sys_mknodat(AT_FDCWD, (long)path, S_IFSOCK | 0777, 0, 0, 0);
		if (rc == -EEXIST)
			return -EADDRINUSE;
		if (rc < 0)
			return rc;
		if (made && madesz > n)
			memcpy(made, path, n + 1);
		rc = __ferry_sys_newfstatat(AT_FDCWD, (long)path, (long)&st, AT_SYMLINK_NOFOLLOW, 0,
		                            0);
	} else {
		rc = __ferry_sys_newfstatat(AT_FDCWD, (long)path, (long)&st, 0, 0, 0);
		if (rc == 0 && !S_ISSOCK(st.st_mode))
			rc = -ECONNREFUSED;
	}
	if (rc < 0)
		return rc;
	a->dev = st.st_dev;
	a->ino = st.st_ino;
	return name_text(port, a, path, (uint32_t)n, area_off);
}

void
__ferry_sock_name_out(const uint8_t *text, uint32_t len, void *sa, socklen_t *salen)
{
	struct sockaddr_un un;
	socklen_t full = (socklen_t)offsetof(struct sockaddr_un, sun_path);

	if (!sa || !salen)
		return;
	memset(&un, 0, sizeof un);
	un.sun_family = AF_UNIX;
	if (len > sizeof un.sun_path)
		len = sizeof un.sun_path;
	memcpy(un.sun_path, text, len);
	full += len;
	if (len && text[0] != 0 && len < sizeof un.sun_path)
		full++; /* a path comes back NUL-terminated, as Linux gives it */
	memcpy(sa, &un, *salen < full ? *salen : full);
	*salen = full;
}

/* getsockname (peer 0) and getpeername (peer 1): SOCK_NAME, long names
 * through the transfer area. */
long
__ferry_sock_name(long fd, void *addr, socklen_t *len, int peer)
{
	struct sock_name_req req = {(uint32_t)peer, 0, 0};
	struct sock_name_rep rep;
	handle_t port;
	uint32_t id;
	void *area = 0;
	long rc;

	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if (!addr || !len)
		return -EFAULT;
	if (__ferry_xfer(port, &id, &area) > 0)
		req.xfer = id;
	else
		area = 0;
	if ((rc = __ferry_sock_rpc(port, SOCK_NAME, &req, sizeof req, &rep, sizeof rep)))
		return rc;
	__ferry_sock_name_out(area ? (const uint8_t *)area : rep.name,
	                      area || rep.len <= SOCK_NAME_INLINE ? rep.len : SOCK_NAME_INLINE,
	                      addr, len);
	return 0;
}

long
__ferry_sigpipe(long rc)
{
	if (rc == -EPIPE)
		(void)__ferry_tkill(__ferry_tid(), SIGPIPE);
	return rc;
}

static size_t
iov_total(const struct iovec *iov, int iovcnt)
{
	size_t t = 0;
	for (int i = 0; i < iovcnt; i++)
		t += iov[i].iov_len;
	return t;
}

/* Copies bytes [off, off + n) of the iovec's concatenation into dst (gather) or out (scatter). */
static void
iov_copy(const struct iovec *iov, int iovcnt, size_t off, void *buf, size_t n, int gather)
{
	for (int i = 0; i < iovcnt && n; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		size_t k = iov[i].iov_len - off;
		if (k > n)
			k = n;
		if (gather)
			memcpy(buf, (char *)iov[i].iov_base + off, k);
		else
			memcpy((char *)iov[i].iov_base + off, buf, k);
		buf = (char *)buf + k;
		n -= k;
		off = 0;
	}
}

static long
send_call(handle_t port, struct sock_send_req *req, handle_t *h, unsigned nh)
{
	struct ferry_msg m;
	struct sock_send_rep rep;
	long rc;

	memset(&m, 0, sizeof m);
	m.op = SOCK_SEND;
	m.len = sizeof *req;
	memcpy(m.data, req, sizeof *req);
	m.nhandles = (uint8_t)nh;
	for (unsigned i = 0; i < nh; i++)
		m.handles[i] = h[i];
	rc = ferry_sys_msg_call(port, &m, FERRY_TIME_INFINITE);
	if (rc < 0) {
		for (unsigned i = 0; i < nh; i++)
			ferry_sys_handle_close(h[i]); /* not sent: still ours */
		return sock_status(__ferry_status(rc));
	}
	for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		ferry_sys_handle_close(m.handles[i]);
	memcpy(&rep, m.data, sizeof rep);
	if (rep.status)
		return sock_status(__ferry_status(rep.status));
	return rep.len;
}

long
__ferry_sock_send(long fd, const struct iovec *iov, int iovcnt, int flags, const void *sa,
                  socklen_t salen, const int *fds, unsigned nfds)
{
	struct sock_send_req req;
	struct sock_addr_req a;
	handle_t port, h[FERRY_MSG_HANDLES_MAX];
	size_t len = iov_total(iov, iovcnt), done = 0, chunk, room;
	uint32_t id = 0;
	void *area = NULL;
	long rc, size = 0;

	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if (nfds > FERRY_MSG_HANDLES_MAX)
		return -ETOOMANYREFS;
	if (flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_EOR | MSG_MORE | MSG_CONFIRM))
		return -EOPNOTSUPP;
	memset(&req, 0, sizeof req);
	req.flags = (flags & MSG_DONTWAIT) ? SOCK_F_NONBLOCK : 0;
	if (len > SOCK_SEND_INLINE || sa) {
		size = __ferry_xfer(port, &id, &area);
		if (size < 0 && len > SOCK_SEND_INLINE)
			size = 0; /* no area: inline chunks */
	}
	room = size > NAME_AREA ? (size_t)size - NAME_AREA : SOCK_SEND_INLINE;
	if (sa) {
		if ((rc = __ferry_sock_addr(port, sa, salen, 0, &a,
		                            size > NAME_AREA ? (uint64_t)room : 0, 0, 0)))
			return rc;
		req.namelen = a.len;
		req.dev = a.dev;
		req.ino = a.ino;
		req.name_off = a.xfer_off;
		if (!a.dev && !a.ino) {
			if (!a.xfer) {
				/* An abstract name must sit in the area. */
				if (size <= NAME_AREA)
					return -ENOMEM;
				memcpy((char *)area + room, a.name, a.len);
				req.name_off = room;
			}
		}
	}
	for (unsigned i = 0; i < nfds; i++) {
		handle_t p;
		if ((rc = __ferry_sock_fd(fds[i], &p)) ||
		    (rc = __ferry_status(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &h[i])))) {
			while (i--)
				ferry_sys_handle_close(h[i]);
			return rc;
		}
	}
	do {
		chunk = len - done;
		if (size > NAME_AREA) {
			if (chunk > room)
				chunk = room;
			iov_copy(iov, iovcnt, done, area, chunk, 1);
			req.xfer = id;
			req.xfer_off = 0;
		} else {
			if (chunk > SOCK_SEND_INLINE)
				chunk = SOCK_SEND_INLINE;
			iov_copy(iov, iovcnt, done, req.data, chunk, 1);
		}
		req.len = (uint32_t)chunk;
		rc = send_call(port, &req, h, nfds);
		nfds = 0; /* the rights go with the first chunk */
		if (rc < 0)
			break;
		done += (size_t)rc;
		if ((size_t)rc < chunk)
			break;
	} while (done < len);
	if (rc < 0 && !done)
		return (flags & MSG_NOSIGNAL) ? rc : __ferry_sigpipe(rc);
	return (long)done;
}

long
__ferry_sock_recv(long fd, const struct iovec *iov, int iovcnt, int flags, void *sa,
                  socklen_t *salen, int *fds, unsigned *nfds, int *mflags)
{
	struct sock_recv_req req;
	struct sock_recv_rep rep;
	struct ferry_msg m;
	handle_t port;
	size_t len = iov_total(iov, iovcnt), done = 0, chunk, room;
	uint32_t id = 0;
	void *area = NULL;
	long rc, size;
	unsigned want = nfds ? *nfds : 0, got = 0;

	if ((rc = __ferry_sock_fd(fd, &port)))
		return rc;
	if (flags &
	    ~(MSG_DONTWAIT | MSG_PEEK | MSG_WAITALL | MSG_TRUNC | MSG_CMSG_CLOEXEC | MSG_NOSIGNAL))
		return -EOPNOTSUPP;
	if (nfds)
		*nfds = 0;
	if (mflags)
		*mflags = 0;
	size = __ferry_xfer(port, &id, &area);
	room = size > NAME_AREA ? (size_t)size - NAME_AREA : FILE_INLINE_MAX;
	memset(&req, 0, sizeof req);
	req.flags = ((flags & MSG_DONTWAIT) ? SOCK_F_NONBLOCK : 0) |
	            ((flags & MSG_PEEK) ? SOCK_F_PEEK : 0);
	if (size > NAME_AREA) {
		req.xfer = id;
		if (sa && salen) {
			req.name_off = room;
			req.name_cap = SOCK_NAME_MAX;
		}
	}
	for (;;) {
		chunk = len - done < room ? len - done : room;
		if (chunk > SOCK_RECV_INLINE && !req.xfer)
			chunk = SOCK_RECV_INLINE;
		req.len = chunk;
		memset(&m, 0, sizeof m);
		m.op = SOCK_RECV;
		m.len = sizeof req;
		memcpy(m.data, &req, sizeof req);
		rc = ferry_sys_msg_call(port, &m, FERRY_TIME_INFINITE);
		if (rc < 0) {
			rc = sock_status(__ferry_status(rc));
			break;
		}
		memcpy(&rep, m.data, sizeof rep);
		for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++) {
			long nfd = got < want ? __ferry_fd_alloc(0, m.handles[i],
			                                         (flags & MSG_CMSG_CLOEXEC)
			                                                 ? FERRY_FDF_CLOEXEC
			                                                 : 0)
			                      : -1;
			if (nfd < 0) {
				ferry_sys_handle_close(m.handles[i]);
				if (mflags)
					*mflags |= MSG_CTRUNC;
				continue;
			}
			fds[got++] = (int)nfd;
		}
		if (rep.status) {
			rc = sock_status(__ferry_status(rep.status));
			break;
		}
		if (rep.len > chunk) {
			rc = -EIO;
			break;
		}
		iov_copy(iov, iovcnt, done, req.xfer ? area : rep.data, rep.len, 0);
		done += rep.len;
		rc = 0;
		if (sa && salen && done == rep.len) {
			if (req.name_cap)
				__ferry_sock_name_out((const uint8_t *)area + room,
				                      rep.namelen > SOCK_NAME_MAX ? SOCK_NAME_MAX
				                                                  : rep.namelen,
				                      sa, salen);
			else
				__ferry_sock_name_out((const uint8_t *)"", 0, sa, salen);
		}
		if (rep.full > rep.len) {
			/* A record longer than the buffer: the rest is gone (MSG_TRUNC). */
			if (mflags)
				*mflags |= MSG_TRUNC;
			if (flags & MSG_TRUNC)
				done = rep.full;
			break;
		}
		/* MSG_WAITALL on a stream: go on until full or end of file. */
		if (!(flags & MSG_WAITALL) || (flags & MSG_PEEK) || rep.len == 0 || done >= len ||
		    rep.full != rep.len || rep.mflags)
			break;
		if (got)
			break;
	}
	if (nfds)
		*nfds = got;
	if (rc < 0 && !done)
		return rc;
	return (long)done;
}
