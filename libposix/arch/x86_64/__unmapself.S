/* SPDX-License-Identifier: MIT */
/*
 * Ferry: __unmapself(base, size) unmaps the stack it runs on and ends the
 * thread.  Nothing may touch the stack after the unmap, so this cannot go
 * through __ferry_syscall (a C call); it issues the two kernel calls
 * itself.  Numbers come from the kernel's own list, syscalls.def.
 */
#define X(name, num, nargs) .set FERRY_SYS_##name, num
#include <ferry/syscalls.def>
#undef X

.text
.global __unmapself
.type   __unmapself,@function
__unmapself:
	mov %rsi,%rdx                   /* len */
	mov %rdi,%rsi                   /* addr */
	xor %edi,%edi                   /* task 0: the caller's own */
	mov $FERRY_SYS_vm_unmap,%eax
	syscall
	mov $FERRY_SYS_thread_exit,%eax
	syscall
	ud2
