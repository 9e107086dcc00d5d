/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <ferry/proto/vfs.h>
#include "libposix.h"

static long
ns_of(const struct timespec *ts)
{
	if (ts->tv_nsec == UTIME_NOW)
		return VFS_UTIME_NOW;
	if (ts->tv_nsec == UTIME_OMIT)
		return VFS_UTIME_OMIT;
	return (long)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/*
 * utimensat(dirfd, path, times, flags): VFS_UTIMENS.  A NULL path is
 * futimens(dirfd): the fd's own port with an empty path.  times NULL sets
 * both to now.
 */
long
__ferry_sys_utimensat(long dirfd, long pathp, long timesp, long flags, long e, long f)
{
	const struct timespec *times = (const struct timespec *)timesp;
	const char *path = pathp ? (const char *)pathp : "";
	struct vfs_utimens_req req;
	handle_t port;
	long rc;
	int i;

	(void)e, (void)f;
	if (flags & ~(long)AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	for (i = 0; times && i < 2; i++)
		if ((times[i].tv_nsec < 0 || times[i].tv_nsec >= 1000000000) &&
		    times[i].tv_nsec != UTIME_NOW && times[i].tv_nsec != UTIME_OMIT)
			return -EINVAL;
	if (!pathp) {
		struct ferry_fd *ent = __ferry_fd_get(dirfd);
		if (!ent || ent->kind != FERRY_FD_PORT)
			return -EBADF;
		port = ent->port;
		flags |= VFS_AT_EMPTY_PATH;
	} else if ((rc = __ferry_at(dirfd, path, &port)) < 0) {
		return rc;
	}
	memset(&req, 0, sizeof req);
	req.flags = (uint32_t)flags;
	req.atime_ns = times ? ns_of(&times[0]) : VFS_UTIME_NOW;
	req.mtime_ns = times ? ns_of(&times[1]) : VFS_UTIME_NOW;
	return __ferry_vfs_call(port, VFS_UTIMENS, &req, sizeof req, req.names, sizeof req.names,
	                        path, 0, 0, 0, 0);
}
