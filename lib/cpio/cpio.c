/* SPDX-License-Identifier: MIT */
/*
 * cpio "newc" reader (see lib/include/lib/cpio.h).  The boot archive is
 * input from outside the kernel's control, so each header field is parsed
 * strictly (exactly eight hex digits), every length is checked against
 * the bytes that remain before it is used, and positions are computed with
 * the remaining length rather than by adding to pointers, so no sum can
 * wrap.
 */
#include <stdbool.h>
#include <ferry/errors.h>
#include <lib/cpio.h>
#include <lib/string.h>

/* Header fields, in archive order after the 6-byte magic. */
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	F_COUNT
};
_Static_assert(6 + F_COUNT * 8 == CPIO_HEADER_SIZE, "newc header layout");

static bool
parse_hex8(const unsigned char *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		unsigned char c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* Round up to 4 without overflow; false if that would pass limit. */
static bool
align4_within(size_t pos, size_t limit, size_t *out)
{
	size_t pad = (4 - (pos & 3)) & 3;

	if (pos > limit || pad > limit - pos)
		return false;
	*out = pos + pad;
	return true;
}

static const char *
strip_prefix(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

int
cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_entry *e)
{
	const unsigned char *a = archive;
	size_t pos = *cursor, name_at, data_at, end;
	uint32_t f[F_COUNT];
	const char *name;

	if (pos > size || size - pos < CPIO_HEADER_SIZE)
		return -FERRY_EINVAL;
	if (memcmp(a + pos, "07070", 5) != 0 || (a[pos + 5] != '1' && a[pos + 5] != '2'))
		return -FERRY_EINVAL;
	for (int i = 0; i < F_COUNT; i++)
		if (!parse_hex8(a + pos + 6 + i * 8, &f[i]))
			return -FERRY_EINVAL;

	name_at = pos + CPIO_HEADER_SIZE;
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > size - name_at)
		return -FERRY_EINVAL;
	name = (const char *)a + name_at;
	/* The NUL must be the last byte of the name field, and the only one. */
	if (name[f[F_NAMESIZE] - 1] != 0 || strlen(name) != f[F_NAMESIZE] - 1)
		return -FERRY_EINVAL;

	if (!align4_within(name_at + f[F_NAMESIZE], size, &data_at))
		return -FERRY_EINVAL;
	if (f[F_FILESIZE] > size - data_at)
		return -FERRY_EINVAL;
	end = data_at + f[F_FILESIZE];
	/* The archive may stop right after the last member's data, unpadded. */
	if (!align4_within(end, size, &end))
		end = size;

	if (strcmp(name, "TRAILER!!!") == 0)
		return 0;

	name = strip_prefix(name);
	e->name = name;
	e->name_len = strlen(name);
	e->ino = f[F_INO];
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->dev_major = f[F_DEVMAJOR];
	e->dev_minor = f[F_DEVMINOR];
	e->rdev_major = f[F_RDEVMAJOR];
	e->rdev_minor = f[F_RDEVMINOR];
	e->size = f[F_FILESIZE];
	e->data = e->size ? a + data_at : NULL;
	*cursor = end;
	return 1;
}

int
cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *out)
{
	struct cpio_entry e;
	size_t cursor = 0;
	int r;

	path = strip_prefix(path);
	while ((r = cpio_next(archive, size, &cursor, &e)) == 1) {
		if (strcmp(e.name, path) == 0) {
			*out = e;
			return 0;
		}
	}
	return r == 0 ? -FERRY_ENOENT : r;
}
