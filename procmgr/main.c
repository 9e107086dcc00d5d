// SPDX-License-Identifier: MIT
/*
 * procmgr: the process manager.  Started by posixsrv (or a test runner)
 * with uspawn; ustart->handles[0] is its receive queue, on which the
 * starter has already created the control port (key PROC_KEY_CONTROL) it
 * keeps.  The boot archive comes with the ustart block.  Then: receive,
 * dispatch, reply, interrupt the processes that signals wait for
 * (docs/procmgr.md "Starting procmgr").  Requests of other protocols
 * are procfs's (procfs_msg.c).
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
	struct srv s = {.queue = procmgr_queue,
	                .ops = proc_ops,
	                .nops = proc_nops,
	                .base = FERRY_PROTO_BASE_PROC,
	                .state = NULL,
	                .on_notify = procmgr_notify,
	                .on_other = procfs_dispatch};
	/* Not srv_run: interrupts for signals go out once the queue is empty
	 * (signal.c, sig_flush_interrupts), which costs a separate receive: a
	 * thread whose own call is still queued gets its signal in that
	 * call's reply instead of having the call broken, and the reply to a
	 * kill that wants interrupts waits for them (signal.c). */
	for (;;) {
		struct ferry_msg m;
		long rc = ferry_sys_msg_recv(procmgr_queue, &m,
		                             sig_interrupts_wanted() ? 0 : FERRY_TIME_INFINITE);
		if (rc == -FERRY_EAGAIN || rc == -FERRY_ETIMEDOUT) { /* the queue is empty */
			sig_flush_interrupts();
			continue;
		}
		if (rc == -FERRY_EINTR)
			continue;
		if (rc)
			upanic("procmgr: receive failed: %s", ferry_strerror((int)rc));
		srv_dispatch(&s, &m);
	}
}
