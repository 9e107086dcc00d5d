/* SPDX-License-Identifier: MIT */
/*
 * Ferry: __unmapself(base, size) unmaps the stack it runs on and ends the
 * thread (musl's detached-thread exit).  First, while the stack is still
 * there, libposix forgets the thread's own state (__ferry_thread_exiting:
 * its transfer area).  Nothing may touch the stack after the unmap, so the
 * two kernel calls are issued here, not through __ferry_syscall (a C
 * call).  Numbers come from the kernel's own list, syscalls.def.
 */
#define X(name, num, nargs) .set FERRY_SYS_##name, num
#include <ferry/syscalls.def>
#undef X

.text
.global __unmapself
.hidden __ferry_thread_exiting
.type   __unmapself,@function
__unmapself:
	push %rdi
	push %rsi                       /* rsp is 16-byte aligned again */
	call __ferry_thread_exiting
	pop %rsi
	pop %rdi
	mov %rsi,%rdx                   /* len */
	mov %rdi,%rsi                   /* addr */
	xor %edi,%edi                   /* task 0: the caller's own */
	mov $FERRY_SYS_vm_unmap,%eax
	syscall
	mov $FERRY_SYS_thread_exit,%eax
	syscall
	ud2
