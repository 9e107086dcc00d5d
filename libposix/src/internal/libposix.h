/* SPDX-License-Identifier: MIT */
/*
 * libposix internals shared by the system call implementations: the
 * process's startup handles, the descriptor table, the status -> errno
 * mapping and the handler prototypes.  Everything here is hidden.
 *
 * Conventions: a handler __ferry_sys_<name> implements Linux x86_64 system
 * call <name>, takes the six raw argument registers and returns a value or
 * -errno, never touching errno (musl's __syscall_ret converts once).
 */
#ifndef LIBPOSIX_H
#define LIBPOSIX_H

#include <stdint.h>
#include <ferry/types.h>

#define LP_HIDDEN __attribute__((__visibility__("hidden")))

/* Process state gathered at startup (init.c), read-only afterwards. */
struct ferry_proc {
	int ready; /* __ferry_init has run */
	int trace; /* FERRY_TRACE set: log unsupported calls */
	handle_t procmgr, vfs_root, cwd, posixsrv, self_task, bootstrap;
	handle_t stdio[3]; /* AT_FERRY_STDIN/STDOUT/STDERR */
};
extern LP_HIDDEN struct ferry_proc __ferry_proc;

/* The seam (syscall_arch.h): Linux call n -> value or -errno (syscall.c). */
LP_HIDDEN long __ferry_syscall(long n, long a, long b, long c, long d, long e, long f);

/* Reads auxv and the environment; called once, by the first system call. */
LP_HIDDEN void __ferry_init(void);

/*
 * The descriptor table: fd -> what serves it.  Until the console server
 * and the fd protocols exist, fds 1 and 2 are the kernel's debug log.
 */
enum ferry_fd_kind {
	FERRY_FD_NONE = 0, /* closed */
	FERRY_FD_DEBUGLOG, /* bring-up console: the kernel log (write only) */
	FERRY_FD_PORT,     /* a port to an object's server */
};

struct ferry_fd {
	uint8_t kind;    /* enum ferry_fd_kind */
	uint8_t cloexec; /* FD_CLOEXEC */
	handle_t port;   /* FERRY_FD_PORT (and an inherited console port) */
};

#define FERRY_FD_MAX 1024
extern LP_HIDDEN struct ferry_fd __ferry_fds[FERRY_FD_MAX];

/* The entry for fd, or 0 if fd is not open. */
LP_HIDDEN struct ferry_fd *__ferry_fd_get(long fd);

/* Maps a kernel/server status (0, value, or -FERRY_E*) to a value or -errno. */
LP_HIDDEN long __ferry_status(long status);

/* The Ferry clock serving POSIX clock id clk, or -EINVAL (clock.c). */
LP_HIDDEN long __ferry_clock(long clk);

/* The thread id musl records for the calling thread (thread.c). */
LP_HIDDEN long __ferry_tid(void);

/* Writes a message to the kernel log (bring-up diagnostics). */
LP_HIDDEN void __ferry_log(const char *s);

/* Linux x86_64 system call names by number (generated); 0 where unknown. */
extern LP_HIDDEN const char *const __ferry_syscall_names[];
extern LP_HIDDEN const unsigned __ferry_syscall_names_count;

typedef long (*ferry_syscall_fn)(long, long, long, long, long, long);

#define SYS(name, note) LP_HIDDEN long __ferry_sys_##name(long, long, long, long, long, long);
#define ALIAS(name, other, note)
#include "dispatch.def"
#undef SYS
#undef ALIAS

#endif
