/* SPDX-License-Identifier: MIT */
/*
 * Client side of the file protocol's data path (include/ferry/proto/file.h):
 * transfers up to FILE_INLINE_MAX bytes inline, larger ones through the
 * transfer area in chunks of its size.  A regular file is read or written
 * chunk after chunk until done or short; any other object (pipe, tty) gets
 * one chunk per call, since a second one could block although data came.
 * Without an area (every slot of a shared description held by live
 * processes) the same goes with inline chunks.
 * A write failing with EPIPE raises SIGPIPE in the calling thread.
 * Requests to character devices (or objects of unknown type) carry the
 * caller's process group, for terminal job control (process/jobctl.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <ferry/proto/file.h>
#include <ferry/proto/tty.h>
#include "libposix.h"
#include "pm.h"
#include "sock.h"

static int32_t
pgrp_for(const struct ferry_fd *f)
{
	return f->mode == 0 || S_ISCHR(f->mode) ? __ferry_pgrp_cached() : 0;
}

/* One read or write; a terminal's TTY_BACKGROUND answer is dealt with here. */
static long
io_rpc(struct ferry_fd *f, uint32_t op, void *req, unsigned reqlen, int32_t *pgrp, void *rep,
       unsigned replen)
{
	long rc, act;

	for (;;) {
		rc = __ferry_rpc(f->port, op, req, reqlen, rep, replen, 0, 0);
		if (rc < 0 || *(int32_t *)rep != TTY_BACKGROUND)
			return rc;
		if ((act = __ferry_tty_background(op == FILE_WRITE)) < 0)
			return act;
		if (act == 1)
			*pgrp = 0; /* SIGTTOU ignored or blocked: write anyway */
	}
}

static long file_write(struct ferry_fd *f, const void *buf, size_t len, int64_t off);

/*
 * No transfer area to be had (every slot of the description is held by
 * live clients, or none could be made): inline requests.  A regular file
 * gets them chunk after chunk until done or short, as with an area; any
 * other object one chunk (a short count the caller goes on from).
 */
static long
inline_loop(struct ferry_fd *f, void *buf, size_t len, int64_t off, bool wr)
{
	size_t max = wr ? FILE_WRITE_INLINE_MAX : FILE_INLINE_MAX, done = 0, chunk;
	long r;

	do {
		chunk = len - done < max ? len - done : max;
		if (wr)
			r = file_write(f, (const char *)buf + done, chunk,
			               off < 0 ? -1 : off + (int64_t)done);
		else
			r = __ferry_file_read(f, (char *)buf + done, chunk,
			                      off < 0 ? -1 : off + (int64_t)done);
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
	} while (S_ISREG(f->mode) && (size_t)r == chunk && done < len);
	return (long)done;
}

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
	req.pgrp = pgrp_for(f);
	if (len <= FILE_INLINE_MAX) {
		req.len = len;
		rc = io_rpc(f, FILE_READ, &req, sizeof req, &req.pgrp, &rep, sizeof rep);
		if (rc < 0)
			return rc;
		if (rep.len > len)
			return -EIO;
		memcpy(buf, rep.data, rep.len);
		return rep.len;
	}
	size = __ferry_xfer(f->port, &id, &area);
	if (size < 0)
		return inline_loop(f, buf, len, off, false);
	while (done < len) {
		chunk = len - done < (size_t)size ? len - done : (size_t)size;
		req.len = chunk;
		req.xfer = id;
		req.xfer_off = 0;
		req.offset = off < 0 ? -1 : off + (int64_t)done;
		rc = io_rpc(f, FILE_READ, &req, sizeof req, &req.pgrp, &rep, sizeof rep);
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
	req.pgrp = pgrp_for(f);
	if (len <= FILE_WRITE_INLINE_MAX) {
		req.len = (uint32_t)len;
		memcpy(req.data, buf, len);
		rc = io_rpc(f, FILE_WRITE, &req, sizeof req, &req.pgrp, &rep, sizeof rep);
		if (rc < 0)
			return rc;
		return rep.len > len ? -EIO : (long)rep.len;
	}
	size = __ferry_xfer(f->port, &id, &area);
	if (size < 0)
		return inline_loop(f, (void *)buf, len, off, true);
	while (done < len) {
		chunk = len - done < (size_t)size ? len - done : (size_t)size;
		memcpy(area, (const char *)buf + done, chunk);
		req.len = (uint32_t)chunk;
		req.xfer = id;
		req.xfer_off = 0;
		req.offset = off < 0 ? -1 : off + (int64_t)done;
		rc = io_rpc(f, FILE_WRITE, &req, sizeof req, &req.pgrp, &rep, sizeof rep);
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
