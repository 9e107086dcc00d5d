# SPDX-License-Identifier: MIT
# Ferry: __clone(func, stack, flags, arg, ptid, tls, ctid).  Threads and
# posix_spawn's CLONE_VM|CLONE_VFORK children are not there yet: the C side
# (__ferry_clone) reports ENOSYS, so pthread_create fails with EAGAIN and
# posix_spawn with ENOSYS.  The child half (fresh stack, call func, exit)
# will live here, as in musl's own clone.s, once the kernel's
# thread_create is wired up.
.text
.global __clone
.hidden __clone
.hidden __ferry_clone
.type   __clone,@function
__clone:
	jmp __ferry_clone
