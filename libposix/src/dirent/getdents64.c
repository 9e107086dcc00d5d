/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <ferry/proto/file.h>
#include "libposix.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * getdents64(fd, buf, len): FILE_READDIR at the description's position,
 * the protocol's records rewritten as struct linux_dirent64 (never larger,
 * so whatever the server sent fits).
 */
long
__ferry_sys_getdents64(long fd, long bufp, long len, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_readdir_req req;
	struct file_readdir_rep rep;
	const uint8_t *src;
	char *out = (char *)bufp;
	uint32_t id;
	void *area;
	long rc, size, used = 0;
	size_t off;

	(void)d, (void)e, (void)f;
	if (!ent || ent->kind != FERRY_FD_PORT)
		return -EBADF;
	if (len <= 0)
		return -EINVAL;
	memset(&req, 0, sizeof req);
	req.flags = FILE_READDIR_AT_OFFSET;
	size = __ferry_xfer(ent->port, &id, &area);
	if (size > 0) {
		req.xfer = id;
		req.len = (uint64_t)len < (uint64_t)size ? (uint64_t)len : (uint64_t)size;
		src = area;
	} else {
		req.len = len < FILE_INLINE_MAX ? (uint64_t)len : FILE_INLINE_MAX;
		src = rep.data;
	}
	if ((rc = __ferry_rpc(ent->port, FILE_READDIR, &req, sizeof req, &rep, sizeof rep, 0, 0)) <
	    0)
		return rc;
	if (rep.len > req.len)
		return -EIO;
	for (off = 0; off + sizeof(struct file_dirent) <= rep.len;) {
		struct file_dirent de;
		struct linux_dirent64 *l = (struct linux_dirent64 *)(out + used);
		size_t reclen;

		memcpy(&de, src + off, sizeof de);
		if (de.reclen < sizeof de || de.reclen > rep.len - off ||
		    sizeof de + de.namelen > de.reclen)
			return -EIO;
		reclen =
		        (offsetof(struct linux_dirent64, d_name) + de.namelen + 1 + 7) & ~(size_t)7;
		if ((size_t)used + reclen > (size_t)len)
			return -EIO; /* cannot happen: ours are never larger */
		l->d_ino = de.ino;
		l->d_off = (int64_t)de.next;
		l->d_reclen = (unsigned short)reclen;
		l->d_type = de.type;
		memcpy(l->d_name, src + off + sizeof de, de.namelen);
		memset(l->d_name + de.namelen, 0,
		       reclen - offsetof(struct linux_dirent64, d_name) - de.namelen);
		used += (long)reclen;
		off += de.reclen;
	}
	return used;
}
