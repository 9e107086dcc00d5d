/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry stubs.  Each pushes a dummy error code when
 * the CPU does not, then the vector, then the general registers in the
 * order of struct trap_frame, and calls trap_dispatch(frame).  The same
 * trap_return path resumes user threads created by arch_thread_init_user.
 */
#include "frame.S.h"

	.text
.macro ISR_NOERR n
	.align 16
isr\n:
	pushq $0
	pushq $\n
	jmp isr_common
.endm
.macro ISR_ERR n
	.align 16
isr\n:
	pushq $\n
	jmp isr_common
.endm

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
ISR_NOERR \n
.endr
ISR_NOERR 255

isr_common:
	testb $3, 24(%rsp)           /* CS of the interrupted context */
	jz 1f
	swapgs
1:	PUSH_GPRS
	cld
	mov %rsp, %rdi
	call trap_dispatch
	.global trap_return
trap_return:
	POP_GPRS
	addq $16, %rsp
	testb $3, 8(%rsp)
	jz 2f
	swapgs
2:	iretq

	.section .rodata
	.global isr_table
	.align 8
isr_table:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad isr\n
.endr
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.quad isr\n
.endr
	.quad isr255
