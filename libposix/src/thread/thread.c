/* SPDX-License-Identifier: MIT */
/*
 * Threads in libposix: ids and the end of a thread.  A thread id is the
 * kernel's (thread_tid, thread_clone: a small nonzero number unique among
 * live threads, what musl keeps as the owner tag in its locks).  A thread
 * ends through __ferry_thread_exit (SYS_exit, the end of __clone's child)
 * or __unmapself (a detached thread, whose stack goes first); both call
 * __ferry_thread_exiting while the thread's stack and TLS still exist.
 */
#include <ferry/syscall.h>
#include "pthread_impl.h"
#include "libposix.h"

long
__ferry_tid(void)
{
	return ferry_sys_thread_tid(0);
}

int
__ferry_cancel_pending(void)
{
	pthread_t self = __pthread_self();

	return self->cancel && self->canceldisable == PTHREAD_CANCEL_ENABLE;
}

/* Gives back what libposix holds for the calling thread alone. */
void
__ferry_thread_exiting(void)
{
	__ferry_xfer_thread_exit();
}

_Noreturn void
__ferry_thread_exit(int code)
{
	(void)code; /* a thread's exit code is not observable (as on Linux) */
	__ferry_thread_exiting();
	ferry_sys_thread_exit();
}
