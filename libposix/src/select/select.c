/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/time.h>
#include "libposix.h"
#include "pm.h"

/*
 * select and pselect: the fd sets become a pollfd array for __ferry_poll
 * (POLLIN for reading, POLLOUT for writing, POLLPRI for exceptions), and
 * the results go back into the sets.  Returns the count of bits set.
 */
long
__ferry_select(long n, void *rp, void *wp, void *xp, long long timeout_ns, unsigned handlers)
{
	fd_set *r = rp, *w = wp, *x = xp;
	struct pollfd pfd[FD_SETSIZE];
	unsigned long k = 0, i;
	long rc, count = 0;

	if (n < 0 || n > FD_SETSIZE)
		return -EINVAL;
	for (i = 0; i < (unsigned long)n; i++) {
		short ev = 0;
		if (r && FD_ISSET(i, r))
			ev |= POLLIN;
		if (w && FD_ISSET(i, w))
			ev |= POLLOUT;
		if (x && FD_ISSET(i, x))
			ev |= POLLPRI;
		if (!ev)
			continue;
		if (!__ferry_fd_get((long)i))
			return -EBADF;
		pfd[k].fd = (int)i;
		pfd[k].events = ev;
		k++;
	}
	if ((rc = __ferry_poll(pfd, k, timeout_ns, handlers)) < 0)
		return rc;
	if (r)
		FD_ZERO(r);
	if (w)
		FD_ZERO(w);
	if (x)
		FD_ZERO(x);
	for (i = 0; i < k; i++) {
		short re = pfd[i].revents;
		if (r && (re & (POLLIN | POLLHUP | POLLERR)) && (pfd[i].events & POLLIN))
			FD_SET(pfd[i].fd, r), count++;
		if (w && (re & (POLLOUT | POLLERR)) && (pfd[i].events & POLLOUT))
			FD_SET(pfd[i].fd, w), count++;
		if (x && (re & POLLPRI))
			FD_SET(pfd[i].fd, x), count++;
	}
	return count;
}

/* select(n, r, w, x, timeval). */
long
__ferry_sys_select(long n, long r, long w, long x, long tmo, long f)
{
	const struct timeval *tv = (const struct timeval *)tmo;
	(void)f;
	if (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000))
		return -EINVAL;
	return __ferry_select(
	        n, (void *)r, (void *)w, (void *)x,
	        tv ? (long long)tv->tv_sec * 1000000000 + (long long)tv->tv_usec * 1000 : -1,
	        __ferry_sig_count);
}
