/* SPDX-License-Identifier: MIT */
/*
 * The per-process descriptor table: fd -> port capability (+ close-on-exec).
 * Entries are filled at startup (init.c) and by open/dup/pipe once the
 * servers behind them exist.  Not yet locked: threads come later.
 */
#include "libposix.h"

LP_HIDDEN struct ferry_fd __ferry_fds[FERRY_FD_MAX];

struct ferry_fd *
__ferry_fd_get(long fd)
{
	if (fd < 0 || fd >= FERRY_FD_MAX || __ferry_fds[fd].kind == FERRY_FD_NONE)
		return 0;
	return &__ferry_fds[fd];
}
