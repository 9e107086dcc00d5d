# SPDX-License-Identifier: MIT
# Ferry: __syscall_cp_asm(&self->cancel, nr, u, v, w, x, y, z), the
# cancellation-point system call.  Same shape as musl's: test the cancel
# flag, then issue the call, here through libposix's __ferry_syscall instead
# of the syscall instruction.  The arguments shift down one register and the
# last one moves into our own incoming stack slot (the callee owns it).
#
# A tail jump leaves __cp_begin..__cp_end around the dispatch only, not the
# blocking kernel call inside it, so a cancellation signal arriving while
# blocked is not yet acted on at once; that is for the signals work, which
# will mark the blocking points inside libposix.
.text
.global __cp_begin
.hidden __cp_begin
.global __cp_end
.hidden __cp_end
.global __cp_cancel
.hidden __cp_cancel
.hidden __cancel
.hidden __ferry_syscall
.global __syscall_cp_asm
.hidden __syscall_cp_asm
.type   __syscall_cp_asm,@function
__syscall_cp_asm:

__cp_begin:
	mov (%rdi),%eax
	test %eax,%eax
	jnz __cp_cancel
	mov %rsi,%rdi
	mov %rdx,%rsi
	mov %rcx,%rdx
	mov %r8,%rcx
	mov %r9,%r8
	mov 8(%rsp),%r9
	mov 16(%rsp),%rax
	mov %rax,8(%rsp)
	jmp __ferry_syscall
__cp_end:
	ret
__cp_cancel:
	jmp __cancel
