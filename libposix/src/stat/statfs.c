/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

/* Fills struct statfs from the protocol's reply (statfs, fstatfs). */
void
__ferry_statfs_fill(struct statfs *sf, const struct vfs_statfs_rep *r)
{
	memset(sf, 0, sizeof *sf);
	sf->f_type = (unsigned long)r->type;
	sf->f_bsize = (unsigned long)r->bsize;
	sf->f_frsize = (unsigned long)r->bsize;
	sf->f_blocks = r->blocks;
	sf->f_bfree = r->bfree;
	sf->f_bavail = r->bfree;
	sf->f_files = r->files;
	sf->f_ffree = r->ffree;
	memcpy(&sf->f_fsid, &r->fsid, sizeof sf->f_fsid);
	sf->f_namelen = r->namemax;
	sf->f_flags = r->flags;
}

/* statfs(path, buf): VFS_STATFS. */
long
__ferry_sys_statfs(long path, long buf, long c, long d, long e, long f)
{
	struct vfs_statfs_rep rep;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if ((rc = __ferry_path_op(AT_FDCWD, (const char *)path, VFS_STATFS, 0, 0, &rep,
	                          sizeof rep)) < 0)
		return rc;
	__ferry_statfs_fill((struct statfs *)buf, &rep);
	return 0;
}
