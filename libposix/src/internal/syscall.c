/* SPDX-License-Identifier: MIT */
/*
 * __ferry_syscall: the other side of syscall_arch.h.  Every system call
 * musl makes arrives here with its Linux x86_64 number and is dispatched
 * through a table built from dispatch.def.  Calls not in the table return
 * -ENOSYS and, when FERRY_TRACE is set in the environment, say so on the
 * kernel log.
 */
#include <errno.h>
#include <sys/syscall.h>
#include "libposix.h"

LP_HIDDEN __thread int __ferry_intr;

static const ferry_syscall_fn dispatch[] = {
#define SYS(name, note)          [SYS_##name] = __ferry_sys_##name,
#define ALIAS(name, other, note) [SYS_##name] = __ferry_sys_##other,
#include "dispatch.def"
#undef SYS
#undef ALIAS
};

/* Appends the decimal form of v to p; returns the new end. */
static char *
put_ulong(char *p, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* FERRY_TRACE=all: "ferry: <task> name(a, b, c) = rc" for every call. */
static void
trace_call(long n, long a, long b, long c, long rc)
{
	char line[160], *p = line;
	const char *s, *name = "?";
	long v[4] = {a, b, c, rc};

	if (n >= 0 && (unsigned long)n < __ferry_syscall_names_count && __ferry_syscall_names[n])
		name = __ferry_syscall_names[n];
	for (s = "ferry: "; *s; s++)
		*p++ = *s;
	p = put_ulong(p, (unsigned long)__ferry_proc.self_task);
	*p++ = ' ';
	for (s = name; *s && p < line + 64; s++)
		*p++ = *s;
	for (int i = 0; i < 4; i++) {
		*p++ = i == 0 ? '(' : i == 3 ? ')' : ',';
		if (i == 3) {
			*p++ = ' ';
			*p++ = '=';
		}
		*p++ = ' ';
		if (v[i] < 0) {
			*p++ = '-';
			v[i] = -v[i];
		}
		p = put_ulong(p, (unsigned long)v[i]);
	}
	*p++ = '\n';
	*p = 0;
	__ferry_log(line);
}

static void
trace_unsupported(long n)
{
	char line[96], *p = line;
	const char *name = "?";
	const char *s;

	if (n >= 0 && (unsigned long)n < __ferry_syscall_names_count && __ferry_syscall_names[n])
		name = __ferry_syscall_names[n];
	for (s = "ferry: unsupported syscall "; *s; s++)
		*p++ = *s;
	for (s = name; *s && p < line + 64; s++)
		*p++ = *s;
	*p++ = ' ';
	*p++ = '(';
	if (n < 0) {
		*p++ = '-';
		n = -n;
	}
	p = put_ulong(p, (unsigned long)n);
	*p++ = ')';
	*p++ = '\n';
	*p = 0;
	__ferry_log(line);
}

/*
 * Calls that SA_RESTART restarts (Linux's list, as far as we have them).
 * Each is safe to issue again after an interrupt: the server answered
 * nothing (a read's data stays in the pipe when the late reply fails; a
 * blocked pipe write that fits PIPE_ATOMIC_MAX is taken back; a wait's
 * status is consumed only when the reply arrives).  nanosleep, poll,
 * select, sigsuspend and pause are never restarted, as on Linux.
 */
static int
restartable(long n)
{
	switch (n) {
	case SYS_read:
	case SYS_readv:
	case SYS_pread64:
	case SYS_write:
	case SYS_writev:
	case SYS_pwrite64:
	case SYS_ioctl:
	case SYS_open:
	case SYS_openat:
	case SYS_creat:
	case SYS_wait4:
	case SYS_waitid:
	case SYS_fcntl:
	case SYS_mq_timedsend:
	case SYS_mq_timedreceive:
		return 1;
	default:
		return 0;
	}
}

/*
 * Calls that Linux never breaks with a signal (they wait for nothing a
 * signal could end) but that reach a server here, where a handled signal's
 * upcall breaks the wait: they run again whatever SA_RESTART says, as a
 * shell's SIGCHLD handler without it must not fail a pipe() or a stat().
 * Each is safe to repeat: it changes nothing, or changes our state only
 * once the reply is in (chdir), or the server drops what a reply that
 * found no caller carried (pipe: posixsrv/pipe_msg.c closes both ends).
 */
static int
unbroken(long n)
{
	switch (n) {
	case SYS_pipe:
	case SYS_pipe2:
	case SYS_stat:
	case SYS_lstat:
	case SYS_newfstatat:
	case SYS_fstat:
	case SYS_statfs:
	case SYS_fstatfs:
	case SYS_access:
	case SYS_faccessat:
	case SYS_faccessat2:
	case SYS_readlink:
	case SYS_readlinkat:
	case SYS_getcwd:
	case SYS_chdir:
	case SYS_fchdir:
	case SYS_mq_unlink:
	case SYS_mq_getsetattr:
	case SYS_mq_notify:
		return 1;
	default:
		return 0;
	}
}

/*
 * Performs Linux x86_64 system call n with arguments a..f on Ferry.
 * Returns the call's value or -errno.  A call broken by a signal whose
 * handlers all had SA_RESTART runs again, an unbroken() one always.
 */
long
__ferry_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	long rc;

	if (!__ferry_proc.ready)
		__ferry_init();
	if (n >= 0 && (unsigned long)n < sizeof dispatch / sizeof dispatch[0] && dispatch[n]) {
		/* Only restartable calls touch the thread-local flag: the others
		 * include the ones musl makes before TLS exists. */
		if (unbroken(n))
			do
				rc = dispatch[n](a, b, c, d, e, f);
			while (rc == -EINTR);
		else if (!restartable(n))
			rc = dispatch[n](a, b, c, d, e, f);
		else
			do {
				__ferry_intr = 0;
				rc = dispatch[n](a, b, c, d, e, f);
			} while (rc == -EINTR && __ferry_intr == FERRY_INTR_RESTART &&
			         !__ferry_cancel_pending());
		if (__ferry_proc.trace == 2)
			trace_call(n, a, b, c, rc);
		return rc;
	}
	if (__ferry_proc.trace)
		trace_unsupported(n);
	return -ENOSYS;
}
