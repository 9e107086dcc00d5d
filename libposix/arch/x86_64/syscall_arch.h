/* SPDX-License-Identifier: MIT */
/*
 * Ferry's replacement for musl's arch/x86_64/syscall_arch.h: the one seam
 * between musl and the system.  Every __syscallN musl issues becomes a call
 * to libposix's __ferry_syscall, which dispatches on the Linux x86_64
 * number and implements the call on Ferry's kernel and servers.  The result
 * keeps musl's convention: a value, or -errno for __syscall_ret to convert.
 *
 * No VDSO_* macros: Ferry has no vDSO, so clock_gettime goes straight to
 * __ferry_syscall (which reads the kernel clock with one system call).
 */

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

__attribute__((__visibility__("hidden")))
long __ferry_syscall(long, long, long, long, long, long, long);

static __inline long __syscall0(long n)
{
	return __ferry_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a1)
{
	return __ferry_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a1, long a2)
{
	return __ferry_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
	return __ferry_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	return __ferry_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __ferry_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __ferry_syscall(n, a1, a2, a3, a4, a5, a6);
}

#define IPC_64 0
