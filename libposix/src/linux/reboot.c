/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ferry/proto/posix.h>
#include "libposix.h"

/*
 * reboot(magic, magic2, cmd, arg): posixsrv powers off by ending itself
 * (the kernel powers the machine off when its first task exits).  The
 * call returns 0 and the machine goes away shortly after.
 */
long
__ferry_sys_reboot(long magic, long magic2, long cmd, long arg, long e, long f)
{
	struct posix_reboot_req req = {(uint32_t)cmd, 0};

	(void)arg, (void)e, (void)f;
	if ((unsigned long)magic != 0xfee1deadul || (magic2 != 672274793 && magic2 != 85072278 &&
	                                             magic2 != 369367448 && magic2 != 537993216))
		return -EINVAL;
	if (!__ferry_proc.posixsrv)
		return -ENOSYS;
	return __ferry_rpc(__ferry_proc.posixsrv, POSIX_REBOOT, &req, sizeof req, 0, 0, 0, 0);
}
