/* SPDX-License-Identifier: MIT */
/*
 * sigaltstack: each thread's alternate signal stack, kept here because
 * libposix runs the handlers (sigstate.c).  A handler with SA_ONSTACK
 * runs on it when the thread has one and is not already on it.  The
 * kernel knows it too (upcall_stack, per thread): it writes the frame of
 * a fault there, so that a SIGSEGV handler still runs after a stack
 * overflow (fault.c, docs/signals.md "Faults").
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <ferry/syscall.h>
#include "pm.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31) /* Linux: accepted and ignored here */
#endif

/* A new thread (and the first one) has none; fork keeps the caller's. */
LP_HIDDEN __thread stack_t __ferry_altstack = {0, SS_DISABLE, 0};

/* Runs fn(arg) with rsp = top (rounded down to 16 bytes), then returns. */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl __ferry_call_on_stack\n"
        ".hidden __ferry_call_on_stack\n"
        ".type __ferry_call_on_stack,@function\n"
        "__ferry_call_on_stack:\n"
        "	push %rbp\n"
        "	mov %rsp, %rbp\n"
        "	and $-16, %rdi\n"
        "	mov %rdi, %rsp\n"
        "	mov %rdx, %rdi\n"
        "	call *%rsi\n"
        "	mov %rbp, %rsp\n"
        "	pop %rbp\n"
        "	ret\n"
        ".size __ferry_call_on_stack, .-__ferry_call_on_stack\n");

int
__ferry_on_altstack(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

	if (__ferry_altstack.ss_flags & SS_DISABLE)
		return 0;
	return sp - (uintptr_t)__ferry_altstack.ss_sp < __ferry_altstack.ss_size;
}

/* sigaltstack(ss, old): EPERM while on it, EINVAL bad flags or a range
 * outside user space, ENOMEM below MINSIGSTKSZ. */
long
__ferry_sys_sigaltstack(long ss, long old, long c, long d, long e, long f)
{
	stack_t n, *o = (stack_t *)old;
	int on = __ferry_on_altstack();

	(void)c, (void)d, (void)e, (void)f;
	if (ss) {
		n = *(const stack_t *)ss; /* before *o is written: they may be one */
		n.ss_flags &= ~SS_AUTODISARM;
		if (n.ss_flags != 0 && n.ss_flags != SS_DISABLE && n.ss_flags != SS_ONSTACK)
			return -EINVAL;
		if (on)
			return -EPERM;
		if (n.ss_flags == SS_DISABLE) {
			n.ss_sp = 0;
			n.ss_size = 0;
		} else if (n.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		} else {
			n.ss_flags = 0;
		}
		if (ferry_sys_upcall_stack((uintptr_t)n.ss_sp, n.ss_size) < 0)
			return -EINVAL;
	}
	if (o) {
		*o = __ferry_altstack;
		if (on)
			o->ss_flags = SS_ONSTACK;
	}
	if (ss)
		__ferry_altstack = n;
	return 0;
}
