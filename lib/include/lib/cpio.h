/* SPDX-License-Identifier: MIT */
/*
 * Reader for cpio archives in the "newc" format (magic 070701, or 070702
 * whose checksum field is ignored), the format of the boot archive.  It
 * walks an archive held in memory and never copies: entries point into the
 * archive.  Every header is treated as hostile.
 *
 * Layout of one member: a 110-byte ASCII header (magic, then 13 fields of
 * 8 hex digits), the name of namesize bytes including its NUL, padding to
 * a multiple of 4 from the archive start, the data, padding to 4 again.
 * The member named "TRAILER!!!" ends the archive.
 */
#ifndef LIB_CPIO_H
#define LIB_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE 110

/* File type bits of cpio_entry.mode (the POSIX S_IF* values). */
#define CPIO_S_IFMT  0170000u
#define CPIO_S_IFDIR 0040000u
#define CPIO_S_IFREG 0100000u
#define CPIO_S_IFLNK 0120000u

struct cpio_entry {
	const char *name; /* into the archive, NUL-terminated; leading "/" and "./" removed */
	size_t name_len;  /* strlen(name) */
	uint32_t mode, uid, gid, nlink, mtime, ino;
	uint32_t dev_major, dev_minor, rdev_major, rdev_minor;
	const void *data; /* into the archive; NULL when size is 0 */
	size_t size;
};

/*
 * Decode the member at *cursor (start with *cursor = 0) of archive[size].
 * Returns 1 with *out filled and *cursor advanced to the next member, 0 at
 * the trailer (cursor is left on it), or -FERRY_EINVAL if the member is
 * malformed: bad magic, a field that is not 8 hex digits, a name that is
 * empty or not NUL-terminated exactly at namesize, or a name or data that
 * runs past the end of the archive (including running out of archive
 * before a trailer).
 */
int cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_entry *out)
        __attribute__((warn_unused_result));

/*
 * Find the member whose name equals path (compared after removing leading
 * "/" and "./" from both).  Returns 0 with *out filled, -FERRY_ENOENT if
 * the archive has no such member, or -FERRY_EINVAL if the archive is
 * malformed before the member is found.
 */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *out)
        __attribute__((warn_unused_result));

#endif
