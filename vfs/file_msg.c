// SPDX-License-Identifier: MIT
/*
 * The file protocol (include/ferry/proto/file.h) on vfs's descriptions:
 * unmarshal, check the description's access mode and the transfer-area
 * range, call tmpfs or devfs, build the reply.  lib/srv has already
 * checked sizes and handle counts.  Errors per op: docs/proto/file.md.
 */
#include <srv.h>
#include <ulib.h>
#include "vfs.h"

#define DESC(c) ((struct desc *)(uintptr_t)(c)->key)

int
on_file_read(void *state, struct srv_call *c)
{
	const struct file_read_req *rq = SRV_REQ(c, struct file_read_req);
	struct file_read_rep *rp = SRV_REP(c, struct file_read_rep);
	struct desc *d = DESC(c);
	struct node *n = d->node;
	void *buf;
	int rc;
	(void)state;

	if (!desc_can_read(d))
		return -FERRY_EBADH;
	if (node_is(n, VFS_S_IFDIR))
		return -FERRY_EISDIR;
	if (rq->xfer) {
		if ((rc = desc_xfer(d, rq->xfer, rq->xfer_off, rq->len, &buf)))
			return rc;
	} else {
		if (rq->len > FILE_INLINE_MAX)
			return -FERRY_EINVAL;
		buf = rp->data;
	}
	if (rq->offset < -1)
		return -FERRY_EINVAL;
	uint64_t off = rq->offset == -1 ? d->off : (uint64_t)rq->offset;
	long got;
	if (node_is(n, VFS_S_IFREG))
		got = (long)reg_read(n, off, buf, rq->len);
	else if (node_is(n, VFS_S_IFCHR))
		got = dev_read(n, buf, rq->len);
	else
		return -FERRY_EINVAL;
	if (got < 0)
		return (int)got;
	if (rq->offset == -1)
		d->off = off + (uint64_t)got;
	n->atime = vfs_now();
	rp->len = (uint32_t)got;
	if (rq->xfer)
		c->rep.len = 8;
	else
		c->rep.len = (uint16_t)(8 + got);
	return 0;
}

int
on_file_write(void *state, struct srv_call *c)
{
	const struct file_write_req *rq = SRV_REQ(c, struct file_write_req);
	struct file_write_rep *rp = SRV_REP(c, struct file_write_rep);
	struct desc *d = DESC(c);
	struct node *n = d->node;
	const void *buf;
	void *area;
	int rc;
	(void)state;

	if (!desc_can_write(d))
		return -FERRY_EBADH;
	if (rq->xfer) {
		if ((rc = desc_xfer(d, rq->xfer, rq->xfer_off, rq->len, &area)))
			return rc;
		buf = area;
	} else {
		if (rq->len > FILE_WRITE_INLINE_MAX)
			return -FERRY_EINVAL;
		buf = rq->data;
	}
	if (rq->offset < -1)
		return -FERRY_EINVAL;
	if (node_is(n, VFS_S_IFCHR)) {
		long r = dev_write(n, buf, rq->len);
		if (r < 0)
			return (int)r;
		rp->len = (uint32_t)r;
		return 0;
	}
	if (!node_is(n, VFS_S_IFREG))
		return -FERRY_EINVAL;
	uint64_t off = rq->offset != -1            ? (uint64_t)rq->offset
	               : (d->flags & VFS_O_APPEND) ? n->reg.size
	                                           : d->off;
	if ((rc = reg_write(n, off, buf, rq->len)))
		return rc;
	if (rq->offset == -1)
		d->off = off + rq->len;
	rp->len = rq->len;
	return 0;
}

int
on_file_seek(void *state, struct srv_call *c)
{
	const struct file_seek_req *rq = SRV_REQ(c, struct file_seek_req);
	struct file_seek_rep *rp = SRV_REP(c, struct file_seek_rep);
	struct desc *d = DESC(c);
	struct node *n = d->node;
	int64_t base;
	(void)state;

	if (node_is(n, VFS_S_IFIFO) || node_is(n, VFS_S_IFSOCK))
		return -FERRY_ESPIPE;
	switch (rq->whence) {
	case 0:
		base = 0;
		break;
	case 1:
		base = (int64_t)d->off;
		break;
	case 2:
		base = node_is(n, VFS_S_IFREG) ? (int64_t)n->reg.size : 0;
		break;
	default:
		return -FERRY_EINVAL;
	}
	if (node_is(n, VFS_S_IFDIR)) {
		/* Directory positions are readdir cookies: only rewinding and
		 * returning to a position told by lseek(fd, 0, SEEK_CUR). */
		if (rq->whence == 2 || (rq->whence == 0 && rq->offset < 0))
			return -FERRY_EINVAL;
		if (rq->whence == 1 && rq->offset != 0)
			return -FERRY_EINVAL;
	}
	if ((rq->offset > 0 && base > INT64_MAX - rq->offset))
		return -FERRY_EOVERFLOW;
	int64_t pos = base + rq->offset;
	if (pos < 0)
		return -FERRY_EINVAL;
	d->off = (uint64_t)pos;
	rp->offset = pos;
	return 0;
}

int
on_file_stat(void *state, struct srv_call *c)
{
	(void)state;
	node_stat(DESC(c)->node, &SRV_REP(c, struct file_stat_rep)->st);
	return 0;
}

int
on_file_truncate(void *state, struct srv_call *c)
{
	const struct file_truncate_req *rq = SRV_REQ(c, struct file_truncate_req);
	struct desc *d = DESC(c);
	(void)state;

	if (rq->len < 0)
		return -FERRY_EINVAL;
	if (!desc_can_write(d))
		return -FERRY_EINVAL; /* POSIX: EBADF or EINVAL; Linux says EINVAL */
	if (!node_is(d->node, VFS_S_IFREG))
		return node_is(d->node, VFS_S_IFDIR) ? -FERRY_EISDIR : -FERRY_EINVAL;
	return reg_truncate(d->node, (uint64_t)rq->len);
}

int
on_file_fcntl(void *state, struct srv_call *c)
{
	const struct file_fcntl_req *rq = SRV_REQ(c, struct file_fcntl_req);
	struct file_fcntl_rep *rp = SRV_REP(c, struct file_fcntl_rep);
	struct desc *d = DESC(c);
	const uint32_t settable = VFS_O_APPEND | VFS_O_NONBLOCK;
	(void)state;

	switch (rq->cmd) {
	case FILE_FCNTL_GETFL:
		rp->value = d->flags & ~(uint32_t)(VFS_O_CREAT | VFS_O_EXCL | VFS_O_TRUNC |
		                                   VFS_O_NOCTTY | VFS_O_CLOEXEC | VFS_O_NOFOLLOW);
		return 0;
	case FILE_FCNTL_SETFL:
		d->flags = (d->flags & ~settable) | (rq->arg & settable);
		return 0;
	}
	return -FERRY_EINVAL;
}

int
on_file_ioctl(void *state, struct srv_call *c)
{
	(void)state, (void)c;
	return -FERRY_ENOTTY;
}

int
on_file_poll(void *state, struct srv_call *c)
{
	const struct file_poll_req *rq = SRV_REQ(c, struct file_poll_req);
	struct desc *d = DESC(c);
	(void)state;
	/* Files and memory devices never block: ready at once, nothing armed. */
	ferry_sys_handle_close(c->req->handles[0]);
	uint32_t ready = 0;
	if (desc_can_read(d))
		ready |= rq->events & 0x1; /* POLLIN */
	if (desc_can_write(d))
		ready |= rq->events & 0x4; /* POLLOUT */
	SRV_REP(c, struct file_poll_rep)->revents = ready;
	return 0;
}

/* Appends one record to out[cap] at *used; false when it does not fit. */
static bool
put_dirent(uint8_t *out, size_t cap, size_t *used, uint64_t ino, uint64_t next, uint8_t type,
           const char *name, size_t len)
{
	size_t reclen = (sizeof(struct file_dirent) + len + 7) & ~(size_t)7;
	if (cap - *used < reclen)
		return false;
	struct file_dirent de = {ino, next, (uint16_t)reclen, type, (uint8_t)len, 0};
	memcpy(out + *used, &de, sizeof(de));
	memcpy(out + *used + sizeof(de), name, len);
	memset(out + *used + sizeof(de) + len, 0, reclen - sizeof(de) - len);
	*used += reclen;
	return true;
}

static uint8_t
dtype(const struct node *n)
{
	return (uint8_t)((n->mode & VFS_S_IFMT) >> 12); /* DT_* == S_IFMT >> 12 */
}

int
on_file_readdir(void *state, struct srv_call *c)
{
	const struct file_readdir_req *rq = SRV_REQ(c, struct file_readdir_req);
	struct file_readdir_rep *rp = SRV_REP(c, struct file_readdir_rep);
	struct desc *d = DESC(c);
	struct node *n = d->node;
	uint8_t *out;
	size_t used = 0, cap;
	int rc;
	(void)state;

	if (!node_is(n, VFS_S_IFDIR))
		return -FERRY_ENOTDIR;
	if (d->flags & VFS_O_PATH)
		return -FERRY_EBADH;
	if (rq->xfer) {
		if ((rc = desc_xfer(d, rq->xfer, rq->xfer_off, rq->len, (void **)&out)))
			return rc;
		cap = rq->len;
	} else {
		out = rp->data;
		cap = rq->len < FILE_INLINE_MAX ? rq->len : FILE_INLINE_MAX;
	}
	uint64_t pos = (rq->flags & FILE_READDIR_AT_OFFSET) ? d->off : rq->cookie;
	if (pos == 0)
		pos = DIR_SEQ_DOT;
	if (pos == DIR_SEQ_DOT) {
		if (!put_dirent(out, cap, &used, n->ino, DIR_SEQ_DOTDOT, 4, ".", 1))
			goto full;
		pos = DIR_SEQ_DOTDOT;
	}
	if (pos == DIR_SEQ_DOTDOT) {
		if (!put_dirent(out, cap, &used, n->dir.parent->ino, DIR_SEQ_FIRST, 4, "..", 2))
			goto full;
		pos = DIR_SEQ_FIRST;
	}
	struct dirent *e = n->dir.first;
	bool at_off = rq->flags & FILE_READDIR_AT_OFFSET;
	if (at_off && d->cursor && d->cursor_removals == n->dir.removals && d->cursor->seq == pos)
		e = d->cursor; /* where the last call stopped: no walk from the start */
	while (e && e->seq < pos)
		e = e->next;
	for (; e; e = e->next) {
		uint64_t next = e->next ? e->next->seq : FILE_READDIR_END;
		if (!put_dirent(out, cap, &used, e->node->ino, next, dtype(e->node), e->name,
		                e->namelen))
			break;
		pos = next;
	}
	if (!e)
		pos = FILE_READDIR_END;
	if (at_off) {
		d->cursor = e;
		d->cursor_removals = n->dir.removals;
	}
full:
	if (used == 0 && pos != FILE_READDIR_END)
		return -FERRY_EINVAL; /* the buffer cannot hold the next entry */
	if (rq->flags & FILE_READDIR_AT_OFFSET)
		d->off = pos;
	n->atime = vfs_now();
	rp->len = (uint32_t)used;
	rp->next = pos;
	c->rep.len = (uint16_t)(16 + (rq->xfer ? 0 : used));
	return 0;
}

int
on_file_sync(void *state, struct srv_call *c)
{
	(void)state, (void)c;
	return 0;
}

int
on_file_xfer_attach(void *state, struct srv_call *c)
{
	const struct file_xfer_attach_req *rq = SRV_REQ(c, struct file_xfer_attach_req);
	(void)state;
	return desc_xfer_attach(DESC(c), c->req->handles[0], rq->size,
	                        &SRV_REP(c, struct file_xfer_attach_rep)->id);
}

int
on_file_mmap(void *state, struct srv_call *c)
{
	const struct file_mmap_req *rq = SRV_REQ(c, struct file_mmap_req);
	struct desc *d = DESC(c);
	uint32_t rights = FERRY_RIGHT_MAP | FERRY_RIGHT_READ | FERRY_RIGHT_EXEC |
	                  FERRY_RIGHT_TRANSFER | FERRY_RIGHT_DUP;
	handle_t h;
	int rc;
	(void)state;

	if (!node_is(d->node, VFS_S_IFREG))
		return -FERRY_ENODEV;
	if (!desc_can_read(d))
		return -FERRY_EACCES;
	if ((rq->prot & 2) && !(rq->flags & FILE_MMAP_PRIVATE)) {
		if (!desc_can_write(d))
			return -FERRY_EACCES;
		rights |= FERRY_RIGHT_WRITE;
	}
	if ((rc = vfs_data_memobj(d->node, rights, &h)))
		return rc;
	d->node->atime = vfs_now(); /* mapping reads the file (Linux: file_accessed) */
	SRV_REP(c, struct file_mmap_rep)->size = d->node->reg.size;
	c->rep.nhandles = 1;
	c->rep.handles[0] = h;
	return 0;
}

int
on_file_msync(void *state, struct srv_call *c)
{
	struct desc *d = DESC(c);
	(void)state;

	if (!node_is(d->node, VFS_S_IFREG))
		return -FERRY_ENODEV;
	if (!desc_can_write(d))
		return -FERRY_EACCES;
	d->node->mtime = d->node->ctime = vfs_now();
	return 0;
}
