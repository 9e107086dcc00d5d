/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <ferry/proto/file.h>
#include "libposix.h"

/* Fills a struct stat from the protocol's fixed-width one (stat family). */
void
__ferry_stat_fill(struct stat *st, const struct file_stat *fs)
{
	memset(st, 0, sizeof *st);
	st->st_dev = fs->dev;
	st->st_ino = fs->ino;
	st->st_mode = fs->mode;
	st->st_nlink = fs->nlink;
	st->st_uid = fs->uid;
	st->st_gid = fs->gid;
	st->st_rdev = fs->rdev;
	st->st_size = fs->size;
	st->st_blksize = 4096;
	st->st_blocks = (fs->size + 511) / 512;
	st->st_atim.tv_sec = fs->atime_ns / 1000000000;
	st->st_atim.tv_nsec = fs->atime_ns % 1000000000;
	st->st_mtim.tv_sec = fs->mtime_ns / 1000000000;
	st->st_mtim.tv_nsec = fs->mtime_ns % 1000000000;
	st->st_ctim.tv_sec = fs->ctime_ns / 1000000000;
	st->st_ctim.tv_nsec = fs->ctime_ns % 1000000000;
}

/* fstat(fd, st): FILE_STAT; the bring-up console is a character device. */
long
__ferry_sys_fstat(long fd, long stp, long c, long d, long e, long f)
{
	struct ferry_fd *ent = __ferry_fd_get(fd);
	struct file_stat_req req = {{0, 0}};
	struct file_stat_rep rep;
	struct stat *st = (struct stat *)stp;
	long rc;

	(void)c, (void)d, (void)e, (void)f;
	if (!ent)
		return -EBADF;
	if (ent->kind != FERRY_FD_PORT) {
		memset(st, 0, sizeof *st);
		st->st_mode = S_IFCHR | 0620;
		st->st_blksize = 1024;
		return 0;
	}
	rc = __ferry_rpc(ent->port, FILE_STAT, &req, sizeof req, &rep, sizeof rep, 0, 0);
	if (rc < 0)
		return rc;
	__ferry_stat_fill(st, &rep.st);
	return 0;
}
