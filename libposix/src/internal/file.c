/* SPDX-License-Identifier: MIT */
/*
 * Client side of the file protocol's data path (include/ferry/proto/file.h):
 * transfers up to FILE_INLINE_MAX bytes inline, larger ones through the
 * transfer area in chunks of its size.  A regular file is read or written
 * chunk after chunk until done or short; any other object (pipe, tty) gets
 * one chunk per call, since a second one could block although data came.
 * A write failing with EPIPE raises SIGPIPE in the calling thread.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <ferry/proto/file.h>
#include "libposix.h"
#include "sock.h"

long
__ferry_file_read(struct ferry_fd *f, void *buf, size_t len, int64_t off)
{
	struct file_read_req req;
	struct file_read_rep rep;
	size_t done = 0, chunk;
	uint32_t id;
	void *area;
	long rc, size;

	memset(&req, 0, sizeof req);
	req.offset = off;
	if (len <= FILE_INLINE_MAX) {
		req.len = len;
		rc = __ferry_rpc(f->port, FILE_READ, &req, sizeof req, &rep, sizeof rep, 0, 0);
		if (rc < 0)
			return rc;
		if (rep.len > len)
			return -EIO;
		memcpy(buf, rep.data, rep.len);
		return rep.len;
	}
	size = __ferry_xfer(f->port, &id, &area);
	if (size < 0)
		return __ferry_file_read(f, buf, FILE_INLINE_MAX, off);
	while (done < len) {
		chunk = len - done < (size_t)size ? len - done : (size_t)size;
		req.len = chunk;
		req.xfer = id;
		req.xfer_off = 0;
		req.offset = off < 0 ? -1 : off + (int64_t)done;
		rc = __ferry_rpc(f->port, FILE_READ, &req, sizeof req, &rep, sizeof rep, 0, 0);
		if (rc < 0)
			return done ? (long)done : rc;
		if (rep.len > chunk)
			return -EIO;
		memcpy((char *)buf + done, area, rep.len);
		done += rep.len;
		if (rep.len < chunk || !S_ISREG(f->mode))
			break;
	}
	return (long)done;
}

static long
file_write(struct ferry_fd *f, const void *buf, size_t len, int64_t off)
{
	struct file_write_req req;
	struct file_write_rep rep;
	size_t done = 0, chunk;
	uint32_t id;
	void *area;
	long rc, size;

	memset(&req, 0, sizeof req);
	req.offset = off;
	if (len <= FILE_WRITE_INLINE_MAX) {
		req.len = (uint32_t)len;
		memcpy(req.data, buf, len);
		rc = __ferry_rpc(f->port, FILE_WRITE, &req, sizeof req, &rep, sizeof rep, 0, 0);
		if (rc < 0)
			return rc;
		return rep.len > len ? -EIO : (long)rep.len;
	}
	size = __ferry_xfer(f->port, &id, &area);
	if (size < 0)
		return file_write(f, buf, FILE_WRITE_INLINE_MAX, off);
	while (done < len) {
		chunk = len - done < (size_t)size ? len - done : (size_t)size;
		memcpy(area, (const char *)buf + done, chunk);
		req.len = (uint32_t)chunk;
		req.xfer = id;
		req.xfer_off = 0;
		req.offset = off < 0 ? -1 : off + (int64_t)done;
		rc = __ferry_rpc(f->port, FILE_WRITE, &req, sizeof req, &rep, sizeof rep, 0, 0);
		if (rc < 0)
			return done ? (long)done : rc;
		if (rep.len > chunk)
			return -EIO;
		done += rep.len;
		if (rep.len < chunk)
			break;
	}
	return (long)done;
}

/* A write that finds no reader (pipe, FIFO, socket: EPIPE) raises SIGPIPE, as on Linux. */
long
__ferry_file_write(struct ferry_fd *f, const void *buf, size_t len, int64_t off)
{
	return __ferry_sigpipe(file_write(f, buf, len, off));
}
