/* SPDX-License-Identifier: MIT */
/*
 * The descriptor table published for /proc/<pid>/fd (include/ferry/
 * startup.h, struct ferry_fdpub; docs/procmgr.md "/proc"): procmgr maps a
 * shared object into each image (AT_FERRY_FDPUB) and reads it when
 * someone lists or follows /proc/<pid>/fd; we write what each descriptor
 * is when it is made.  Files are named by the path they were opened by,
 * made absolute with the working directory (cached from getcwd until the
 * next chdir).  Writers hold the descriptor table's lock or own the fd.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <ferry/proto/file.h>
#include <ferry/startup.h>
#include <ferry/syscall.h>
#include "libposix.h"

LP_HIDDEN struct ferry_fdpub *__ferry_fdpub;
static char cwd[PATH_MAX];
static volatile int cwd_len; /* 0: ask getcwd again */

long __ferry_sys_getcwd(long bufp, long size, long c, long d, long e, long f);

void
__ferry_fdpub_cwd_changed(void)
{
	cwd_len = 0;
}

static void
put(long fd, int kind, uint64_t id, const char *a, size_t la, const char *b, size_t lb)
{
	struct ferry_fdpub_ent *e;

	if (!__ferry_fdpub || fd < 0 || fd >= FERRY_FDPUB_FDS)
		return;
	e = &__ferry_fdpub->ent[fd];
	if (la > FERRY_FDPUB_NAME)
		la = FERRY_FDPUB_NAME;
	if (lb > FERRY_FDPUB_NAME - la)
		lb = FERRY_FDPUB_NAME - la;
	e->kind = FERRY_FDPUB_CLOSED; /* a reader in between sees it closed, not half named */
	e->id = id;
	memcpy(e->name, a, la);
	memcpy(e->name + la, b, lb);
	e->len = (uint16_t)(la + lb);
	e->kind = (uint8_t)kind;
	if ((uint32_t)fd >= __ferry_fdpub->top)
		__ferry_fdpub->top = (uint32_t)fd + 1;
}

void
__ferry_fdpub_set(long fd, int kind, uint64_t id)
{
	put(fd, kind, id, "", 0, "", 0);
}

void
__ferry_fdpub_copy(long from, long to)
{
	if (!__ferry_fdpub || from < 0 || from >= FERRY_FDPUB_FDS)
		return;
	const struct ferry_fdpub_ent *e = &__ferry_fdpub->ent[from];
	put(to, e->kind ? e->kind : FERRY_FDPUB_ANON, e->id, e->name,
	    e->len < FERRY_FDPUB_NAME ? e->len : FERRY_FDPUB_NAME, "", 0);
}

void
__ferry_fdpub_path(long fd, long dirfd, const char *path)
{
	size_t l = strnlen(path, PATH_MAX);
	long n;

	if (!__ferry_fdpub)
		return;
	if (path[0] == '/') {
		put(fd, FERRY_FDPUB_PATH, 0, path, l, "", 0);
	} else if (dirfd >= 0 && dirfd < FERRY_FDPUB_FDS) {
		const struct ferry_fdpub_ent *d = &__ferry_fdpub->ent[dirfd];
		char dir[FERRY_FDPUB_NAME + 1];
		size_t dl = d->kind == FERRY_FDPUB_PATH && d->len <= FERRY_FDPUB_NAME ? d->len : 0;
		memcpy(dir, d->name, dl);
		dir[dl++] = '/';
		put(fd, dl > 1 ? FERRY_FDPUB_PATH : FERRY_FDPUB_ANON, 0, dir, dl, path, l);
	} else {
		if (!cwd_len &&
		    (n = __ferry_sys_getcwd((long)cwd, sizeof cwd - 1, 0, 0, 0, 0)) > 0) {
			cwd[n - 1] = '/';                /* n counts the NUL */
			cwd_len = (int)(n == 2 ? 1 : n); /* "/" stays "/" */
		}
		put(fd, cwd_len ? FERRY_FDPUB_PATH : FERRY_FDPUB_ANON, 0, cwd, (size_t)cwd_len,
		    path, l);
	}
}

/*
 * At start-up: the object procmgr mapped for us, and a name for the
 * descriptors it could not name (a spawn's), from their servers.
 */
void
__ferry_fdpub_init(struct ferry_fdpub *pub)
{
	struct file_stat_req req = {{0, 0}};
	struct file_stat_rep rep;

	__ferry_fdpub = pub;
	for (long fd = 0; pub && fd < (long)pub->top && fd < FERRY_FDPUB_FDS; fd++) {
		struct ferry_fd *f = __ferry_fd_get(fd);
		if (pub->ent[fd].kind != FERRY_FDPUB_ANON || !f || f->kind != FERRY_FD_PORT)
			continue;
		if (__ferry_rpc(f->port, FILE_STAT, &req, sizeof req, &rep, sizeof rep, 0, 0) < 0)
			continue;
		switch (rep.st.mode & 0170000) {
		case 0020000:
			__ferry_fdpub_set(fd, FERRY_FDPUB_DEV, rep.st.rdev);
			break;
		case 0010000:
			__ferry_fdpub_set(fd, FERRY_FDPUB_PIPE, rep.st.ino);
			break;
		case 0140000:
			__ferry_fdpub_set(fd, FERRY_FDPUB_SOCKET, rep.st.ino);
			break;
		}
	}
}
