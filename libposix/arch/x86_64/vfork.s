# SPDX-License-Identifier: MIT
# Ferry: vfork() through the seam, result converted by __syscall_ret as in
# musl's version.  libposix implements vfork as fork (a copy-on-write child,
# which POSIX allows), so unlike Linux's vfork the child may safely return
# here and use this stack frame.
.global vfork
.type vfork,@function
.hidden __ferry_syscall
.hidden __syscall_ret
vfork:
	sub $8,%rsp             # 16-byte alignment for the call
	mov $58,%edi            # SYS_vfork
	call __ferry_syscall
	add $8,%rsp
	mov %rax,%rdi
	jmp __syscall_ret
