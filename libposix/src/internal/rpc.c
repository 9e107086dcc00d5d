/* SPDX-License-Identifier: MIT */
/*
 * __ferry_rpc: one request/reply exchange with an object's server, the
 * only place libposix builds a message for the server protocols.
 */
#include <errno.h>
#include <string.h>
#include <ferry/syscall.h>
#include "libposix.h"

long
__ferry_rpc(handle_t port, uint32_t op, const void *req, unsigned reqlen, void *rep,
            unsigned replen, handle_t hin, handle_t *hout)
{
	return __ferry_rpc_n(port, op, req, reqlen, rep, replen, &hin, hin ? 1 : 0, hout);
}

long
__ferry_rpc_n(handle_t port, uint32_t op, const void *req, unsigned reqlen, void *rep,
              unsigned replen, const handle_t *hin, unsigned nin, handle_t *hout)
{
	struct ferry_msg m;
	int32_t status;
	long rc;
	unsigned i;

	if (reqlen > FERRY_MSG_INLINE_MAX || replen > FERRY_MSG_INLINE_MAX)
		return -EINVAL;
	memset(&m, 0, sizeof m);
	m.op = op;
	m.len = (uint16_t)reqlen;
	if (reqlen)
		memcpy(m.data, req, reqlen);
	if (nin > FERRY_MSG_HANDLES_MAX)
		return -EINVAL;
	for (i = 0; i < nin; i++)
		m.handles[i] = hin[i];
	m.nhandles = (uint8_t)nin;
	if (hout)
		*hout = 0;
	rc = ferry_sys_msg_call(port, &m, FERRY_TIME_INFINITE);
	if (rc < 0)
		return __ferry_status(rc);
	for (i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++) {
		if (i == 0 && hout)
			*hout = m.handles[0];
		else
			(void)ferry_sys_handle_close(m.handles[i]);
	}
	if (m.len < sizeof status)
		return -EIO;
	memcpy(&status, m.data, sizeof status);
	if (rep) {
		memset(rep, 0, replen);
		memcpy(rep, m.data, m.len < replen ? m.len : replen);
	}
	if (status < 0 && hout && *hout) {
		(void)ferry_sys_handle_close(*hout);
		*hout = 0;
	}
	return status < 0 ? __ferry_status(status) : 0;
}
