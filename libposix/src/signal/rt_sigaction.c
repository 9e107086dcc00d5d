/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include "pm.h"

/*
 * rt_sigaction(sig, act, old, setsize) with the kernel's struct layout
 * (musl's struct k_sigaction: handler, flags, restorer, mask).  procmgr
 * learns which signals are ignored or handled, for default actions.
 */
long
__ferry_sys_rt_sigaction(long sig, long act, long old, long size, long e, long f)
{
	const struct ferry_sigaction *na = (const struct ferry_sigaction *)act;
	struct ferry_sigaction *oa = (struct ferry_sigaction *)old;
	int was_handled, now_handled;
	unsigned long was_flags;

	(void)e, (void)f;
	if (sig < 1 || sig >= FERRY_NSIG || size != 8)
		return -EINVAL;
	if (na && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	__ferry_sig_adopt(); /* an ignored signal kept across exec reads as SIG_IGN */
	if (oa)
		*oa = __ferry_sigact[sig];
	if (!na)
		return 0;
	was_handled = __ferry_sigact[sig].handler != SIG_DFL;
	was_flags = __ferry_sigact[sig].flags;
	__ferry_sigact[sig] = *na;
	now_handled = na->handler != SIG_DFL;
	__ferry_fault_onstack_sync(); /* which faults use the alternate stack */
	/* SIGCHLD's SA_NOCLDSTOP and SA_NOCLDWAIT matter to procmgr (a child's
	 * stop and continue; no zombies). */
	if (was_handled == now_handled && na->handler != SIG_IGN &&
	    !((was_flags ^ na->flags) & SA_NODEFER) &&
	    (sig != SIGCHLD || !((was_flags ^ na->flags) & (SA_NOCLDSTOP | SA_NOCLDWAIT))))
		return 0; /* one handler for another: procmgr's view is unchanged */
	(void)__ferry_sig_sync(PROC_SIGSTATE_IGNORED | PROC_SIGSTATE_HANDLED, 0);
	return 0;
}
