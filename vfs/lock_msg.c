// SPDX-License-Identifier: MIT
/*
 * FILE_LOCK on vfs's descriptions: unmarshal the command, check the lock
 * type against the description's access mode, turn (whence, start, len)
 * into an inclusive byte range, and call lock.c.  lib/srv has checked
 * the size and that at most one handle came.  docs/proto/file.md "Locks".
 */
#include <srv.h>
#include <ulib.h>
#include "vfs.h"

#define DESC(c) ((struct desc *)(uintptr_t)(c)->key)

/*
 * The request's range as [*s, *e] (*e = INT64_MAX: to the end of file),
 * POSIX's rules: whence SEEK_CUR counts from the description's offset,
 * SEEK_END from the file's size; len < 0 covers the bytes before start.
 * -FERRY_EINVAL (bad whence, a range starting before 0), -FERRY_EOVERFLOW
 * (an end that cannot be represented in off_t).
 */
static int
lock_range(const struct desc *d, const struct file_lock_req *rq, uint64_t *s, uint64_t *e)
{
	int64_t base, start, last;

	switch (rq->whence) {
	case 0:
		base = 0;
		break;
	case 1:
		base = (int64_t)d->off;
		break;
	case 2:
		base = node_is(d->node, VFS_S_IFREG) ? (int64_t)d->node->reg.size : 0;
		break;
	default:
		return -FERRY_EINVAL;
	}
	if (__builtin_add_overflow(base, rq->start, &start))
		return -FERRY_EOVERFLOW;
	if (rq->len > 0) {
		if (__builtin_add_overflow(start, rq->len - 1, &last))
			return -FERRY_EOVERFLOW;
	} else if (rq->len == 0) {
		last = INT64_MAX;
	} else {
		last = start - 1;
		start += rq->len;
	}
	if (start < 0)
		return -FERRY_EINVAL;
	*s = (uint64_t)start;
	*e = (uint64_t)last;
	return 0;
}

static int
new_owner(struct srv_call *c, uint32_t pid)
{
	uint32_t port;
	int rc = lock_owner_new(pid, &port);

	if (rc)
		return rc;
	/* If the reply cannot be delivered the kernel closes the handle and
	 * the no-senders notice ends the owner. */
	c->rep.nhandles = 1;
	c->rep.handles[0] = port;
	return 0;
}

int
on_file_lock(void *state, struct srv_call *c)
{
	const struct file_lock_req *rq = SRV_REQ(c, struct file_lock_req);
	struct file_lock_rep *rp = SRV_REP(c, struct file_lock_rep);
	struct desc *d = DESC(c);
	uint32_t h = c->req->nhandles ? c->req->handles[0] : 0;
	struct lock_owner *o = NULL;
	uint64_t s = 0, e = INT64_MAX;
	int rc;
	(void)state;

	switch (rq->cmd) {
	case FILE_LOCK_OWNER:
		if (h) {
			ferry_sys_handle_close(h);
			return -FERRY_EINVAL;
		}
		return new_owner(c, rq->pid);
	case FILE_LOCK_GET:
	case FILE_LOCK_SET:
	case FILE_LOCK_SETW:
	case FILE_LOCK_CLOSE:
		if (!h)
			return -FERRY_EINVAL;
		if ((rc = lock_owner_of(h, &o)))
			return rc;
		break;
	case FILE_LOCK_CANCEL:
		if (h && (rc = lock_owner_of(h, &o)))
			return rc;
		if (o)
			lock_cancel(o, false, rq->cookie);
		else
			lock_cancel(d, true, rq->cookie);
		return 0;
	case FILE_LOCK_FLOCK:
	case FILE_LOCK_FLOCKW:
	case FILE_LOCK_OFD_GET:
	case FILE_LOCK_OFD_SET:
	case FILE_LOCK_OFD_SETW:
		if (h) {
			ferry_sys_handle_close(h);
			return -FERRY_EINVAL;
		}
		break;
	default:
		if (h)
			ferry_sys_handle_close(h);
		return -FERRY_EINVAL;
	}
	if (rq->cmd == FILE_LOCK_CLOSE) {
		lock_close(d->node, o);
		return 0;
	}
	bool get = rq->cmd == FILE_LOCK_GET || rq->cmd == FILE_LOCK_OFD_GET;
	bool ofd = rq->cmd >= FILE_LOCK_OFD_GET;
	if (rq->type > FILE_LOCK_UN || (get && rq->type == FILE_LOCK_UN))
		return -FERRY_EINVAL;
	if (d->flags & VFS_O_PATH)
		return -FERRY_EBADH;
	if (rq->cmd == FILE_LOCK_FLOCK || rq->cmd == FILE_LOCK_FLOCKW)
		return lock_set(d->node, d, LOCK_FLOCK, rq->type, 0, INT64_MAX,
		                rq->cmd == FILE_LOCK_FLOCKW, c->token, rq->cookie);
	if ((rc = lock_range(d, rq, &s, &e)))
		return rc;
	if (get)
		return ofd ? lock_get(d->node, d, LOCK_OFD, rq->type, s, e, rp)
		           : lock_get(d->node, o, LOCK_POSIX, rq->type, s, e, rp);
	/* F_SETLK needs the access the lock protects (EBADF otherwise). */
	if ((rq->type == FILE_LOCK_RD && !desc_can_read(d)) ||
	    (rq->type == FILE_LOCK_WR && !desc_can_write(d)))
		return -FERRY_EBADH;
	if (ofd)
		return lock_set(d->node, d, LOCK_OFD, rq->type, s, e, rq->cmd == FILE_LOCK_OFD_SETW,
		                c->token, rq->cookie);
	return lock_set(d->node, o, LOCK_POSIX, rq->type, s, e, rq->cmd == FILE_LOCK_SETW, c->token,
	                rq->cookie);
}
