// SPDX-License-Identifier: MIT
/*
 * procmgr: the process manager.  Started by posixsrv (or a test runner)
 * with uspawn; ustart->handles[0] is its receive queue, on which the
 * starter has already created the control port (key PROC_KEY_CONTROL) it
 * keeps.  The boot archive comes with the ustart block.  Then: receive,
 * dispatch, reply (docs/procmgr.md "Starting procmgr").
 */
#include "procmgr.h"

handle_t procmgr_queue;

int
main(void)
{
	if (!ustart || !ustart->handles[0])
		upanic("procmgr: start me with uspawn and my queue in handles[0]");
	procmgr_queue = ustart->handles[0];
	handle_t mo;
	if (!uarchive(&archive_base, &archive_size, &mo))
		uprintf("procmgr: no boot archive: exec will find nothing\n");
	struct srv s = { .queue = procmgr_queue, .ops = proc_ops, .nops = proc_nops,
			 .base = FERRY_PROTO_BASE_PROC, .state = NULL,
			 .on_notify = procmgr_notify };
	int rc = srv_run(&s);
	upanic("procmgr: receive failed: %s", ferry_strerror(rc));
}
