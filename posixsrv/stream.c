// SPDX-License-Identifier: MIT
/*
 * What the file-protocol handlers of posixsrv's streams (pipe ends, FIFO
 * descriptions, terminals, pty masters, sockets, message queues) share:
 * where a read's bytes go and a write's come from, O_NONBLOCK,
 * F_GETFL/F_SETFL, FIONREAD, and the answers to the ops a stream does
 * not have.  docs/proto/file.md.
 */
#include "posixsrv.h"

int
stream_read_dst(struct xfer_set *x, const struct file_read_req *req, uint32_t *len, uint8_t **dst)
{
	*len = req->len > UINT32_MAX ? UINT32_MAX : (uint32_t)req->len;
	*dst = NULL;
	if (req->xfer && !(*dst = xfer_ptr(x, req->xfer, req->xfer_off, *len)))
		return -FERRY_EFAULT;
	return 0;
}

int
stream_write_src(struct xfer_set *x, const struct file_write_req *req, const uint8_t **src)
{
	*src = req->data;
	if (req->xfer) {
		if (!(*src = xfer_ptr(x, req->xfer, req->xfer_off, req->len)))
			return -FERRY_EFAULT;
	} else if (req->len > FILE_WRITE_INLINE_MAX) {
		return -FERRY_EINVAL;
	}
	return 0;
}

bool
stream_nonblock(uint32_t req_flags, uint32_t desc_flags)
{
	return (req_flags & FILE_F_NONBLOCK) || (desc_flags & PX_O_NONBLOCK);
}

int
stream_fcntl(uint32_t *flags, struct srv_call *c)
{
	const struct file_fcntl_req *req = SRV_REQ(c, struct file_fcntl_req);
	switch (req->cmd) {
	case FILE_FCNTL_GETFL:
		SRV_REP(c, struct file_fcntl_rep)->value = *flags;
		return 0;
	case FILE_FCNTL_SETFL:
		*flags = (*flags & ~PX_O_NONBLOCK) | (req->arg & PX_O_NONBLOCK);
		return 0;
	}
	return -FERRY_EINVAL;
}

int
stream_fionread(struct srv_call *c, uint32_t n)
{
	struct file_ioctl_rep *rep = SRV_REP(c, struct file_ioctl_rep);
	int32_t v = (int32_t)n;
	memcpy(rep->data, &v, sizeof(v));
	rep->len = sizeof(v);
	return 0;
}

void
stream_ready(handle_t *port, uint64_t cookie, uint32_t revents)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = FILE_READY;
	m.len = 16;
	memcpy(m.data, &cookie, 8);
	memcpy(m.data + 8, &revents, 4);
	/* Never block on a client's full queue: it will poll again. */
	ferry_sys_msg_send(*port, &m, FERRY_IPC_NONBLOCK);
	ferry_sys_handle_close(*port);
	*port = 0;
}

/* The file ops streams do not have, shared by their dispatch tables. */
int
stream_no_seek(void *st, struct srv_call *c)
{
	(void)st, (void)c;
	return -FERRY_ESPIPE;
}

int
stream_no_truncate(void *st, struct srv_call *c)
{
	(void)st, (void)c;
	return -FERRY_EINVAL;
}

int
stream_no_readdir(void *st, struct srv_call *c)
{
	(void)st, (void)c;
	return -FERRY_ENOTDIR;
}

int
stream_no_sync(void *st, struct srv_call *c)
{
	(void)st, (void)c;
	return -FERRY_EINVAL;
}
