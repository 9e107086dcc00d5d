/* SPDX-License-Identifier: MIT */
/*
 * The pieces of the mq_* calls that talk to posixsrv the same way: the
 * descriptor's port, the status mapping, names (inline or a lent page)
 * and deadlines.  include/ferry/proto/mq.h.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <ferry/syscall.h>
#include "mq.h"

long
__ferry_mq_fd(long fd, handle_t *port)
{
	struct ferry_fd *f = __ferry_fd_get(fd);
	if (!f || f->kind != FERRY_FD_PORT)
		return -EBADF;
	*port = f->port;
	return 0;
}

long
__ferry_mq_rpc(handle_t port, uint32_t op, const void *req, unsigned reqlen, void *rep,
               unsigned replen)
{
	long rc = __ferry_rpc(port, op, req, reqlen, rep, replen, 0, 0);
	/* Not a message queue: its server knows no mq op (vfs, a pipe end)
	 * or its op range (the bring-up log never gets here). */
	return rc == -ENOSYS ? -EBADF : rc;
}

/* The call with the name in a lent page: names longer than the inline room. */
static long
payload_call(uint32_t op, const char *name, size_t len, struct mq_name_req *req,
             struct mq_open_rep *rep, handle_t token, handle_t *hout)
{
	struct ferry_msg m;
	int32_t status;
	long rc;

	void *page = (void *)__ferry_sys_mmap(0, 4096, PROT_READ | PROT_WRITE,
	                                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((long)page < 0 && (long)page > -4096) {
		if (token)
			(void)ferry_sys_handle_close(token);
		return (long)page;
	}
	memcpy(page, name, len);
	req->pl = (struct ferry_payload){(uint64_t)(uintptr_t)page, 4096, 0, 0};
	memset(&m, 0, sizeof m);
	m.op = op;
	m.flags = FERRY_MSGF_PAYLOAD;
	m.len = sizeof *req;
	memcpy(m.data, req, sizeof *req);
	m.handles[0] = token;
	m.nhandles = token ? 1 : 0;
	rc = ferry_sys_msg_call(__ferry_proc.posixsrv, &m, FERRY_TIME_INFINITE);
	(void)__ferry_sys_munmap((long)page, 4096, 0, 0, 0, 0);
	if (rc < 0)
		return __ferry_status(rc);
	if (m.len < sizeof status) {
		rc = -EIO;
		goto out;
	}
	memcpy(&status, m.data, sizeof status);
	memset(rep, 0, sizeof *rep);
	memcpy(rep, m.data, m.len < sizeof *rep ? m.len : sizeof *rep);
	rc = status < 0 ? __ferry_status(status) : 0;
	if (rc == 0 && hout && m.nhandles) {
		*hout = m.handles[0];
		m.handles[0] = 0;
	}
out:
	for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		if (m.handles[i])
			(void)ferry_sys_handle_close(m.handles[i]);
	return rc;
}

long
__ferry_mq_name_call(uint32_t op, const char *name, struct mq_name_req *req,
                     struct mq_open_rep *rep, handle_t *hout)
{
	size_t len = strnlen(name, MQ_NAME_MAX + 1);
	handle_t token = 0;

	if (!__ferry_proc.posixsrv)
		return -ENOSYS;
	if (len > MQ_NAME_MAX)
		return -ENAMETOOLONG;
	req->namelen = (uint32_t)len;
	/* Who we are: posixsrv reads our ids from procmgr's table (without a
	 * token, as before procmgr runs, we are nobody to it). */
	(void)__ferry_proc_token(&token);
	if (len > MQ_NAME_INLINE)
		return payload_call(op, name, len, req, rep, token, hout);
	memcpy(req->name, name, len);
	return __ferry_rpc(__ferry_proc.posixsrv, op, req, sizeof *req, rep, sizeof *rep, token,
	                   hout);
}

uint64_t
__ferry_mq_deadline(const struct timespec *at, uint32_t *flags)
{
	uint64_t rt = 0, mono = 0, abs;

	if (!at)
		return 0;
	if (at->tv_sec < 0 || at->tv_nsec < 0 || at->tv_nsec >= 1000000000) {
		*flags |= MQ_F_BADTIME;
		return 0;
	}
	if ((uint64_t)at->tv_sec > (UINT64_MAX - 1000000000) / 1000000000)
		return 0; /* beyond 2554: never */
	abs = (uint64_t)at->tv_sec * 1000000000 + (uint64_t)at->tv_nsec;
	(void)ferry_sys_clock_get(FERRY_CLOCK_REALTIME, &rt);
	(void)ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &mono);
	if (abs <= rt)
		return 1; /* passed: ETIMEDOUT if the call would wait */
	return mono + (abs - rt);
}
