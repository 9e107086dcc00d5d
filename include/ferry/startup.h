/* SPDX-License-Identifier: MIT */
/*
 * The process startup protocol shared by the spawner (posixsrv, later
 * procmgr's exec) and libposix.  See docs/startup.md.
 *
 * A new task starts at its ELF entry point (musl's unchanged _start) with
 * the standard SysV x86_64 initial stack: argc, argv[], NULL, envp[], NULL,
 * auxv pairs, AT_NULL.  Besides the standard entries (AT_PHDR, AT_PHENT,
 * AT_PHNUM, AT_PAGESZ, AT_ENTRY, AT_RANDOM, AT_EXECFN) the auxv carries
 * the task's initial handles in the entries below; each value is a handle_t
 * in the new task's own handle table, or 0 when the spawner gives none.
 * The values lie far above Linux's AT_* numbers (musl only records entries
 * below 38 at startup and ignores the rest, so they cost nothing).
 */
#ifndef FERRY_STARTUP_H
#define FERRY_STARTUP_H

#define AT_FERRY_BASE      0x4600
#define AT_FERRY_PROCMGR   (AT_FERRY_BASE + 0)  /* port: process manager */
#define AT_FERRY_VFS_ROOT  (AT_FERRY_BASE + 1)  /* port: root directory */
#define AT_FERRY_CWD       (AT_FERRY_BASE + 2)  /* port: working directory */
#define AT_FERRY_STDIN     (AT_FERRY_BASE + 3)  /* port: object behind fd 0 */
#define AT_FERRY_STDOUT    (AT_FERRY_BASE + 4)  /* port: object behind fd 1 */
#define AT_FERRY_STDERR    (AT_FERRY_BASE + 5)  /* port: object behind fd 2 */
#define AT_FERRY_POSIXSRV  (AT_FERRY_BASE + 6)  /* port: posixsrv (registry, pipes, tty) */
#define AT_FERRY_SELF_TASK (AT_FERRY_BASE + 7)  /* task: the new task itself */
#define AT_FERRY_BOOTSTRAP (AT_FERRY_BASE + 8)  /* queue: holds the startup message */
#define AT_FERRY_FDTAB     (AT_FERRY_BASE + 9)  /* address of a struct ferry_fdtab on the stack */
#define AT_FERRY_LOCKS     (AT_FERRY_BASE + 10) /* port: the process's record-lock owner at vfs */
#define AT_FERRY_FDPUB     (AT_FERRY_BASE + 11) /* address of the struct ferry_fdpub (mapped) */
#define AT_FERRY_END       (AT_FERRY_BASE + 12) /* one past the last entry */

#include <stdint.h>

/*
 * The descriptors an exec'd image inherits (procmgr builds it on the new
 * stack; libposix installs it at startup over the stdio defaults).  handle
 * is a port handle in the new task (0 with FERRY_FDTAB_DEBUGLOG).  umask
 * is the new image's file mode creation mask, nofile its RLIMIT_NOFILE.
 */
#define FERRY_FDTAB_DEBUGLOG 0x1 /* the bring-up kernel log */
struct ferry_fdtab_ent {
	int32_t fd;
	uint32_t handle;
	uint32_t flags;
};
struct ferry_fdtab {
	uint32_t count;
	uint32_t umask;
	uint32_t nofile; /* RLIMIT_NOFILE's soft limit */
	struct ferry_fdtab_ent ent[];
};

/*
 * The descriptor table as libposix publishes it for /proc/<pid>/fd
 * (docs/procmgr.md "/proc"): a memory object procmgr makes for each image
 * (and for a fork's child, filled with a copy of the parent's), shared
 * with the process, which writes it, and read by procmgr, which never
 * asks the process anything.  ent[fd] names what fd refers to.  The
 * process may write anything here: procmgr reads it as untrusted bytes.
 */
#define FERRY_FDPUB_CLOSED 0
#define FERRY_FDPUB_PATH   1 /* opened by name: name = the path, made absolute */
#define FERRY_FDPUB_PIPE   2 /* id = the pipe's number (pipe:[id]) */
#define FERRY_FDPUB_SOCKET 3 /* id = the socket's number (socket:[id]) */
#define FERRY_FDPUB_DEV    4 /* a terminal: id = its device number */
#define FERRY_FDPUB_ANON   5 /* something else (received, inherited unnamed) */
#define FERRY_FDPUB_LOG    6 /* the bring-up kernel log */
#define FERRY_FDPUB_NAME   112
#define FERRY_FDPUB_FDS    1024
struct ferry_fdpub_ent {
	uint8_t kind;
	uint8_t pad;
	uint16_t len; /* bytes of name (PATH) */
	uint32_t pad2;
	uint64_t id;
	char name[FERRY_FDPUB_NAME];
};
struct ferry_fdpub {
	uint32_t top; /* one past the highest fd ever published */
	uint32_t pad[31];
	struct ferry_fdpub_ent ent[FERRY_FDPUB_FDS];
};
#define FERRY_FDPUB_SIZE ((sizeof(struct ferry_fdpub) + 4095) & ~4095ull)

#endif
