/* SPDX-License-Identifier: MIT */
#include "libposix.h"

/* renameat(olddirfd, old, newdirfd, new) = renameat2(..., 0). */
long
__ferry_sys_renameat(long odir, long old, long ndir, long new, long e, long f)
{
	(void)e, (void)f;
	return __ferry_sys_renameat2(odir, old, ndir, new, 0, 0);
}
