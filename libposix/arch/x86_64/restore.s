# SPDX-License-Identifier: MIT
# Ferry: __restore_rt, where a signal handler returns to.  rt_sigreturn goes
# through the seam with the frame address (the ucontext the handler
# returned over) as its argument, since libposix, not the kernel, delivers
# and unwinds signals.  It never returns; ud2 stops the thread if it does.
.global __restore_rt
.hidden __restore_rt
.hidden __ferry_syscall
.type __restore_rt,@function
__restore_rt:
	mov %rsp,%rsi           # the signal frame
	mov $15,%edi            # SYS_rt_sigreturn
	and $-16,%rsp
	call __ferry_syscall
	ud2
.size __restore_rt,.-__restore_rt
