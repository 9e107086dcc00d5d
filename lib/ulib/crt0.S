/* SPDX-License-Identifier: MIT */
/* Entry of native programs: rdi = start argument (bootinfo or ustart). */
	.text
	.global _start
_start:
	xor %ebp, %ebp
	and $-16, %rsp
	call ulib_start
	ud2
