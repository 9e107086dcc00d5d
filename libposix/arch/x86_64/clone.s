# SPDX-License-Identifier: MIT
# Ferry: __clone(func, stack, flags, arg, ptid, tls, ctid).  The C side
# (src/thread/clone.c, __ferry_clone) takes the same arguments, makes the
# thread with the kernel's thread_clone and returns its id; the new thread
# starts at __ferry_clone_child below on the stack __ferry_clone prepared:
#     (%rsp) func, 8(%rsp) arg, 16(%rsp) is 16-byte aligned
# with its FS base already set, so it may use TLS at once.  func's return
# value ends the thread (as in musl's own clone.s; pthreads never return).
.text
.global __clone
.hidden __clone
.hidden __ferry_clone
.type   __clone,@function
__clone:
	jmp __ferry_clone
.size __clone,.-__clone

.global __ferry_clone_child
.hidden __ferry_clone_child
.hidden __ferry_thread_exit
.type   __ferry_clone_child,@function
__ferry_clone_child:
	xor %ebp,%ebp           # outermost frame for backtraces
	pop %rax                # func
	pop %rdi                # arg
	call *%rax
	mov %eax,%edi
	call __ferry_thread_exit
	ud2
.size __ferry_clone_child,.-__ferry_clone_child
