/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <ferry/proto/file.h>
#include <ferry/syscall.h>
#include "libposix.h"
#include "pm.h"

#define SPIN_NS 10000000ll /* re-poll period when a server could not arm */

/*
 * Asks fd i's server for its ready events, arming a FILE_READY to port
 * (a copy is sent) if none are.  Servers without FILE_POLL are always
 * ready, like regular files.  *spin is set when the server could not arm.
 */
static short
poll_one(const struct ferry_fd *f, const struct pollfd *p, uint64_t cookie, handle_t port,
         int *spin)
{
	struct file_poll_req req = {(uint32_t)(unsigned short)p->events, 0, cookie};
	struct file_poll_rep rep;
	handle_t copy;
	long rc;

	if (f->kind != FERRY_FD_PORT)
		return p->events & (POLLOUT | POLLWRNORM); /* the kernel log: always writable */
	if (ferry_sys_handle_dup(port, FERRY_RIGHT_SAME, &copy) < 0) {
		*spin = 1;
		return 0;
	}
	rc = __ferry_rpc(f->port, FILE_POLL, &req, sizeof req, &rep, sizeof rep, copy, 0);
	if (rc == -EINTR) {
		*spin = 1; /* a handler ran: the caller sees __ferry_sig_count move */
		return 0;
	}
	if (rc == -ENOSYS)
		return p->events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
	if (rc < 0) {
		if (rc == -ENOSPC || rc == -ENOMEM)
			*spin = 1;
		else
			return POLLERR;
		return 0;
	}
	return (short)rep.revents;
}

/*
 * Ends a round's port: destroying it unbinds it, so arms still held by
 * servers fail instead of waking a later round; the handle is ours to
 * close (destroying does not close it).
 */
static void
drop_port(handle_t port)
{
	(void)ferry_sys_port_destroy(port);
	(void)ferry_sys_handle_close(port);
}

/*
 * The readiness core of poll, ppoll, select and pselect: timeout_ns < 0
 * waits for ever.  Each round asks every fd's server (FILE_POLL) with a
 * fresh port on a queue of this call's own, so arms left from an earlier
 * round or call can never wake it; a FILE_READY (or the timeout) ends the
 * wait and the next round asks again.  A signal handler run on this
 * thread at any point of the call (not only while it waits: handlers is
 * __ferry_sig_count when the call began) makes it return -EINTR when
 * nothing is ready, as poll and select must, never restarted.  Returns the count of fds with events, or -EINTR, -EINVAL,
 * -ENOMEM.
 */
long
__ferry_poll(struct pollfd *fds, unsigned long n, long long timeout_ns, unsigned handlers)
{
	handle_t q = 0, port = 0;
	uint64_t now = 0, deadline = 0;
	long ready = 0;
	unsigned long i;
	int spin;

	if (n > FERRY_FD_MAX)
		return -EINVAL;
	if (timeout_ns > 0) {
		(void)ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &now);
		deadline = now + (uint64_t)timeout_ns;
	}
	if (ferry_sys_queue_create(64, &q) < 0)
		return -ENOMEM;
	for (;;) {
		struct ferry_msg m;
		long long wait;
		long rc;

		if (port)
			drop_port(port);
		while (ferry_sys_msg_recv(q, &m, 0) == 0)
			; /* what the previous round's arms sent */
		if (ferry_sys_port_create(q, 1, &port) < 0) {
			ready = -ENOMEM;
			port = 0;
			break;
		}
		spin = 0;
		ready = 0;
		for (i = 0; i < n; i++) {
			struct ferry_fd *f;
			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			if (!(f = __ferry_fd_get(fds[i].fd)))
				fds[i].revents = POLLNVAL;
			else
				fds[i].revents = poll_one(f, &fds[i], i, port, &spin) &
				                 (fds[i].events | POLLERR | POLLHUP | POLLNVAL);
			if (fds[i].revents)
				ready++;
		}
		if (ready)
			break;
		if (__ferry_sig_count != handlers) {
			ready = -EINTR;
			break;
		}
		if (timeout_ns == 0)
			break;
		wait = -1;
		if (timeout_ns > 0) {
			(void)ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &now);
			if (now >= deadline)
				break;
			wait = (long long)(deadline - now);
		}
		if (spin && (wait < 0 || wait > SPIN_NS))
			wait = SPIN_NS;
		rc = ferry_sys_msg_recv(q, &m, wait < 0 ? FERRY_TIME_INFINITE : (ferry_time_t)wait);
		if (rc == -FERRY_EINTR || __ferry_sig_count != handlers) {
			ready = -EINTR;
			break;
		}
		if (rc && rc != -FERRY_ETIMEDOUT) {
			ready = __ferry_status(rc);
			break;
		}
	}
	if (port)
		drop_port(port);
	(void)ferry_sys_handle_close(q);
	return ready;
}

/* poll(fds, n, timeout_ms). */
long
__ferry_sys_poll(long fds, long n, long timeout, long d, long e, long f)
{
	(void)d, (void)e, (void)f;
	return __ferry_poll((struct pollfd *)fds, (unsigned long)n,
	                    (int)timeout < 0 ? -1 : (long long)(int)timeout * 1000000,
	                    __ferry_sig_count);
}
