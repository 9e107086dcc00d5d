/* SPDX-License-Identifier: MIT */
/*
 * __ferry_pm: a call to procmgr through the process port (AT_FERRY_PROCMGR,
 * replaced in a fork's child), and the cached pid.
 */
#include <errno.h>
#include "pm.h"

LP_HIDDEN int __ferry_pid;

long
__ferry_pm(uint32_t op, const void *req, unsigned reqlen, void *rep, unsigned replen, handle_t hin,
           handle_t *hout)
{
	if (!__ferry_proc.procmgr)
		return -ENOSYS;
	return __ferry_rpc(__ferry_proc.procmgr, op, req, reqlen, rep, replen, hin, hout);
}

long
__ferry_pm_ids(struct proc_ids_rep *r)
{
	struct proc_none_req n = {0};
	long rc = __ferry_pm(PROC_GETIDS, &n, sizeof n, r, sizeof *r, 0, 0);
	if (rc == 0)
		__ferry_pid = r->pid;
	return rc;
}
