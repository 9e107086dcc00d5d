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

#include <stddef.h>
#include <stdint.h>
#include <ferry/types.h>

#define LP_HIDDEN __attribute__((__visibility__("hidden")))

/* Process state gathered at startup (init.c), read-only afterwards. */
struct ferry_proc {
	int ready; /* __ferry_init has run */
	int trace; /* FERRY_TRACE set: log unsupported calls */
	handle_t procmgr, vfs_root, cwd, posixsrv, self_task, bootstrap;
	/* vfs_root and cwd are bound to this process at vfs (VFS_SESSION) when
	 * session_for is procmgr: a forked child (new process port) or a new
	 * image binds its own before its first path call (path.c). */
	handle_t session_for;
	int sessions;      /* vfs knows credentials: dirfd calls go through vfs_root */
	int cwd_bound;     /* cwd is a bound vfs port (else another server's directory) */
	handle_t stdio[3]; /* AT_FERRY_STDIN/STDOUT/STDERR */
};
extern LP_HIDDEN struct ferry_proc __ferry_proc;

/* The seam (syscall_arch.h): Linux call n -> value or -errno (syscall.c). */
LP_HIDDEN long __ferry_syscall(long n, long a, long b, long c, long d, long e, long f);
/* Set by the upcall entry when it ran signal handlers on this thread:
 * FERRY_INTR_RESTART if all of them had SA_RESTART (or none ran),
 * FERRY_INTR_NORESTART otherwise; __ferry_syscall clears it per call. */
#define FERRY_INTR_RESTART   1
#define FERRY_INTR_NORESTART 2
extern LP_HIDDEN __thread int __ferry_intr;
/* A pthread_cancel waits for the calling thread (thread/thread.c): a call
 * its signal broke returns EINTR, for musl's cancellation point to act,
 * instead of being restarted. */
LP_HIDDEN int __ferry_cancel_pending(void);

/* Reads auxv and the environment; called once, by the first system call. */
LP_HIDDEN void __ferry_init(void);

/*
 * The descriptor table: fd -> what serves it.  Every open fd owns one send
 * handle to a port: the open file description (dup() duplicates the
 * handle, so two fds may name one description).  Until the console server
 * exists, fds 1 and 2 are the kernel's debug log.
 *
 * The API below is what other parts of libposix (pipe2, sockets, the tty
 * calls, exec's close-on-exec) build on; it is stable:
 *   __ferry_fd_get(fd)                 the entry, or 0 if fd is not open
 *   __ferry_fd_alloc(min, port, flags) lowest free fd >= min takes port
 *   __ferry_fd_install(fd, port, flags) fd takes port (closing what was there)
 *   __ferry_fd_close(fd)               frees fd and closes its handle
 *   __ferry_rpc(...)                   one call on a port, status -> -errno
 *   __ferry_file_read/write(...)       the file protocol, inline or via the
 *                                      transfer area (xfer.c)
 */
enum ferry_fd_kind {
	FERRY_FD_NONE = 0, /* closed */
	FERRY_FD_DEBUGLOG, /* bring-up console: the kernel log (write only) */
	FERRY_FD_PORT,     /* a port to an object's server */
};

struct ferry_fd {
	uint8_t kind;    /* enum ferry_fd_kind */
	uint8_t cloexec; /* FD_CLOEXEC */
	uint16_t pad;
	uint32_t mode; /* S_IFMT type of the object if known (open reply), else 0 */
	handle_t port; /* FERRY_FD_PORT (and an inherited console port) */
};

#define FERRY_FD_MAX 1024
extern LP_HIDDEN struct ferry_fd __ferry_fds[FERRY_FD_MAX];
/* RLIMIT_NOFILE's soft limit (at most FERRY_FD_MAX): alloc and install
 * refuse descriptors at or above it.  From procmgr at exec (AT_FERRY_FDTAB),
 * kept up to date by setrlimit, inherited by fork. */
extern LP_HIDDEN unsigned __ferry_nofile;

/*
 * The table as published for /proc/<pid>/fd (internal/fdpub.c): what each
 * fd is.  alloc and install publish ANON and close CLOSED; the callers
 * that know better say so: _path (opened by name, relative to dirfd or
 * the cwd when dirfd < 0), _set (pipe, socket, terminal: kind and id),
 * _copy (dup).  _cwd_changed: chdir happened.
 */
#include <ferry/startup.h>
extern LP_HIDDEN struct ferry_fdpub *__ferry_fdpub;
LP_HIDDEN void __ferry_fdpub_init(struct ferry_fdpub *pub);
LP_HIDDEN void __ferry_fdpub_set(long fd, int kind, uint64_t id);
LP_HIDDEN void __ferry_fdpub_copy(long from, long to);
LP_HIDDEN void __ferry_fdpub_path(long fd, long dirfd, const char *path);
LP_HIDDEN void __ferry_fdpub_cwd_changed(void);

/* Flags of __ferry_fd_alloc/install. */
#define FERRY_FDF_CLOEXEC 0x1

LP_HIDDEN struct ferry_fd *__ferry_fd_get(long fd);
/* Takes the lowest free fd >= min for port (consumed on success); -EMFILE, -EINVAL. */
LP_HIDDEN long __ferry_fd_alloc(long min, handle_t port, unsigned flags);
/* Makes fd refer to port (consumed), closing fd first if open; fd or -EBADF
 * (fd outside the table or at or above RLIMIT_NOFILE). */
LP_HIDDEN long __ferry_fd_install(long fd, handle_t port, unsigned flags);
/* Closes fd: 0 or -EBADF. */
LP_HIDDEN long __ferry_fd_close(long fd);
/* A new fd for oldfd's description: newfd if >= 0 (dup2), else the lowest >= min. */
LP_HIDDEN long __ferry_fd_dup(long oldfd, long newfd, long min, unsigned flags);
/*
 * pipe2 and socketpair: op with req[reqlen] to posixsrv, whose reply
 * ({status, id}) carries the two ends; they become out[0] and out[1] with
 * flags, type bits mode (0: unknown) and published as kind with the id.
 */
LP_HIDDEN long __ferry_fd_pair(uint32_t op, const void *req, unsigned reqlen, unsigned flags,
                               unsigned mode, int kind, int *out);

/*
 * The target of a sched_* call by Linux thread id: 0 (the caller), a
 * thread of this process, or a process procmgr knows; 0 or -ESRCH.
 */
LP_HIDDEN long __ferry_sched_target(long pid);

/*
 * One call on port: op with req[reqlen] inline; the reply's data (status
 * first) is copied to rep[replen] (rep may be NULL).  A handle in the reply
 * goes to *hout if hout is given, else it is closed.  Returns the reply's
 * status as 0 or -errno (the kernel's call status if the call failed).
 * hin, if non-zero, is moved with the request.
 */
LP_HIDDEN long __ferry_rpc(handle_t port, uint32_t op, const void *req, unsigned reqlen, void *rep,
                           unsigned replen, handle_t hin, handle_t *hout);
/* The same with nin handles (moved) in the request. */
LP_HIDDEN long __ferry_rpc_n(handle_t port, uint32_t op, const void *req, unsigned reqlen,
                             void *rep, unsigned replen, const handle_t *hin, unsigned nin,
                             handle_t *hout);

/*
 * The transfer area (xfer.c): one shared memory object per process, mapped
 * here and attached to each description (port) that needs bulk transfer.
 * __ferry_xfer(port, &id, &base) returns its size (> 0) with the area's id
 * on that port and its address, or -errno (the caller then falls back to
 * inline transfers).  __ferry_xfer_forget(port) drops the cached id when
 * port's handle is closed.  __ferry_xfer_reset() is for the child after
 * fork: it must not share the parent's area.
 */
LP_HIDDEN long __ferry_xfer(handle_t port, uint32_t *id, void **base);
LP_HIDDEN void __ferry_xfer_forget(handle_t port);
LP_HIDDEN void __ferry_xfer_reset(void);

/*
 * Path calls (path.c, docs/proto/vfs.md).  __ferry_at picks the directory
 * port a path starts from (the root for absolute paths, the cwd for
 * AT_FDCWD, else dirfd's port).  __ferry_names puts one or two paths into
 * a request, inline or through port's transfer area.  The *_op helpers
 * make one whole request of the vfs protocol's shapes; __ferry_text_op
 * fetches a reply text (readlink, getcwd) of any length into buf[size]
 * and returns its full length.  All return 0/length or -errno.
 */
struct vfs_names;
LP_HIDDEN long __ferry_at(long dirfd, const char *path, handle_t *port);
LP_HIDDEN long __ferry_names(handle_t port, struct vfs_names *n, char *names, unsigned cap,
                             const char *p1, const char *p2);
LP_HIDDEN long __ferry_path_op(long dirfd, const char *path, uint32_t op, uint32_t flags,
                               uint32_t mode, void *rep, unsigned replen);
LP_HIDDEN long __ferry_mode_op(long dirfd, const char *path, uint32_t op, uint32_t flags,
                               uint32_t mode, uint64_t dev);
LP_HIDDEN long __ferry_path2_op(long olddirfd, const char *old, long newdirfd, const char *new,
                                uint32_t op, uint32_t flags);
LP_HIDDEN long __ferry_text_op(handle_t port, uint32_t op, const char *path, uint32_t flags,
                               char *buf, size_t size);
/*
 * One vfs path request, following redirects (docs/proto/vfs.md): req
 * starts with struct vfs_names, names[cap] is its inline room, path is
 * put there (or in the area) for each server asked.  The reply goes to
 * rep[replen], its handle to *hout (closed if hout is NULL).  With last,
 * the port of the server that answered, if not port, is left open there
 * for the caller to close.  Returns 0, -errno, or VFS_REDIRECT for a
 * device or FIFO another server opens (VFS_OPEN only: *hout is its port,
 * rep the struct vfs_redirect_rep).
 */
LP_HIDDEN long __ferry_vfs_call(handle_t port, uint32_t op, void *req, unsigned reqlen, char *names,
                                unsigned cap, const char *path, void *rep, unsigned replen,
                                handle_t *hout, handle_t *last);
/* The readiness core of poll/ppoll (select/poll.c) and select/pselect6 (select/select.c):
 * timeout_ns < 0 waits for ever; the count of ready fds or -errno. */
struct pollfd;
LP_HIDDEN long __ferry_poll(struct pollfd *fds, unsigned long n, long long timeout_ns,
                            unsigned handlers);
/* r, w, x: fd_set * */
LP_HIDDEN long __ferry_select(long n, void *r, void *w, void *x, long long timeout_ns,
                              unsigned handlers);
/* Makes port (consumed) the working directory (chdir.c). */
LP_HIDDEN long __ferry_set_cwd(handle_t port);
/*
 * Binds the root and working directory to this process at vfs if they
 * are not yet (a forked child, a new image): 0 or -errno (path.c).
 */
LP_HIDDEN long __ferry_session(void);
/* A token naming this process to a server that checks credentials (vfs's
 * VFS_SESSION, posixsrv's MQ_OPEN): a copy of the process port that can
 * only be moved; 0 or -errno. */
LP_HIDDEN long __ferry_proc_token(handle_t *out);
/* port (consumed) as a working directory bound to this process when vfs serves it (path.c). */
LP_HIDDEN handle_t __ferry_bind_cwd(handle_t port);
/* __ferry_vfs_call's answer to procfs's VFS_REDIRECT_FD in an open
 * (/proc/self/fd/N of a pipe or socket): *hout is a new handle to our
 * descriptor N's description, N in the reply's obj. */
#define FERRY_VFS_DUPFD 3
/* struct statfs from the protocol's reply (stat/statfs.c). */
struct statfs;
struct vfs_statfs_rep;
LP_HIDDEN void __ferry_statfs_fill(struct statfs *sf, const struct vfs_statfs_rep *r);
/* The file mode creation mask (umask.c). */
extern LP_HIDDEN unsigned __ferry_umask;

/* struct stat from the protocol's struct file_stat (stat/fstat.c). */
struct stat;
struct file_stat;
LP_HIDDEN void __ferry_stat_fill(struct stat *st, const struct file_stat *fs);

/* File protocol: read/write at off (-1: the description's offset). Bytes or -errno. */
LP_HIDDEN long __ferry_file_read(struct ferry_fd *f, void *buf, size_t len, int64_t off);
LP_HIDDEN long __ferry_file_write(struct ferry_fd *f, const void *buf, size_t len, int64_t off);

/* readv/writev over one system call per buffer (unistd/iov.c). */
typedef long (*__ferry_io_fn)(long, long, long, long, long, long);
struct iovec;
LP_HIDDEN long __ferry_iov_io(long fd, const struct iovec *iov, long n, __ferry_io_fn one);

/* Maps a kernel/server status (0, value, or -FERRY_E*) to a value or -errno. */
LP_HIDDEN long __ferry_status(long status);

/* The Ferry clock serving POSIX clock id clk, or -EINVAL (clock.c). */
LP_HIDDEN long __ferry_clock(long clk);
/* A CPU-time clock (cpuclock.c): a process's (id = pid, 0: the caller's)
 * or a thread's (id = tid, 0: the calling thread). */
struct ferry_cpuclock {
	int thread;
	int id;
};
/* Decodes clk: 1 a CPU-time clock (in *c), 0 another clock, -EINVAL. */
LP_HIDDEN long __ferry_cpuclock(long clk, struct ferry_cpuclock *c);
/* Reads it: 0, -EINVAL (no such thread of ours), -ESRCH (no such process). */
LP_HIDDEN long __ferry_cpuclock_read(const struct ferry_cpuclock *c, uint64_t *ns);

/* The thread id musl records for the calling thread (thread.c). */
LP_HIDDEN long __ferry_tid(void);
/* Releases the calling thread's libposix state; its stack and TLS still exist (thread.c). */
LP_HIDDEN void __ferry_thread_exiting(void);
/* Ends the calling thread (SYS_exit, __clone's child returning). */
LP_HIDDEN _Noreturn void __ferry_thread_exit(int code);
/* tkill: sig to thread tid of this process; -EINVAL, -ESRCH, -ENOSYS (tkill.c). */
LP_HIDDEN long __ferry_tkill(long tid, long sig);
/* Gives the calling thread's transfer area back to the pool (xfer.c). */
LP_HIDDEN void __ferry_xfer_thread_exit(void);
/* The fd-table lock around fork's clone: before, then parent or child (fd.c). */
LP_HIDDEN void __ferry_fd_atfork_prepare(void);
LP_HIDDEN void __ferry_fd_atfork_parent(void);
LP_HIDDEN void __ferry_fd_atfork_child(void);

/* fcntl's open-file-description lock commands (Linux's numbers; musl
 * names them only with _GNU_SOURCE). */
#define FERRY_F_OFD_GETLK  36
#define FERRY_F_OFD_SETLK  37
#define FERRY_F_OFD_SETLKW 38

/*
 * Shared writable file mappings, for msync (mapfile.c): _add records a
 * range and a new handle to the description port maps (0, -ENOMEM);
 * _remove forgets a range (munmap, MAP_FIXED); _sync sends FILE_MSYNC
 * for each recorded mapping a range meets.  The atfork hooks are called
 * by the fd table's (fd.c).
 */
LP_HIDDEN long __ferry_mapfile_add(uintptr_t start, size_t len, handle_t port);
LP_HIDDEN void __ferry_mapfile_remove(uintptr_t start, size_t len);
LP_HIDDEN void __ferry_mapfile_sync(uintptr_t start, size_t len);
LP_HIDDEN void __ferry_mapfile_atfork_prepare(void);
LP_HIDDEN void __ferry_mapfile_atfork_parent(void);
LP_HIDDEN void __ferry_mapfile_atfork_child(void);

/*
 * Locked memory, for msync's EBUSY (mlocked.c): _set locks or unlocks a
 * page range (0, -ENOMEM: table full); _mapped is told of each new
 * mapping (locked only under MCL_FUTURE); _all is mlockall's (0,
 * -ENOMEM), _clear munlockall's; _busy says whether a mapped page of a range is locked.
 * _atfork_child is called by the fd table's (fd.c): the child has no
 * locks.
 */
LP_HIDDEN long __ferry_mlocked_set(uintptr_t start, uintptr_t end, int on);
LP_HIDDEN void __ferry_mlocked_mapped(uintptr_t start, uintptr_t end);
LP_HIDDEN long __ferry_mlocked_all(int flags);
LP_HIDDEN void __ferry_mlocked_clear(void);
LP_HIDDEN int __ferry_mlocked_busy(uintptr_t start, uintptr_t end);
LP_HIDDEN void __ferry_mlocked_atfork_child(void);

/*
 * Record locks and flock (fcntl/reclock.c): __ferry_lock_call makes one
 * FILE_LOCK call (hin: a copy of it is sent; *hout: the reply's handle);
 * __ferry_lock_fcntl serves F_GETLK/F_SETLK/F_SETLKW and F_OFD_GETLK/
 * F_OFD_SETLK/F_OFD_SETLKW (Linux's 36, 37, 38); __ferry_lock_closing
 * drops the process's record locks on port's file before a descriptor of
 * it closes; __ferry_lock_fork_child forgets the parent's lock owner.
 */
struct file_lock_req;
struct file_lock_rep;
struct flock;
LP_HIDDEN long __ferry_lock_call(handle_t port, struct file_lock_req *req,
                                 struct file_lock_rep *rep, handle_t hin, handle_t *hout);
LP_HIDDEN long __ferry_lock_fcntl(handle_t port, long cmd, struct flock *fl);
LP_HIDDEN unsigned __ferry_lock_cookie(void);
/* The record-lock owner port (0 until the first lock call), and setting the one
 * an exec handed over (AT_FERRY_LOCKS). */
LP_HIDDEN handle_t __ferry_lock_owner(void);
LP_HIDDEN void __ferry_lock_owner_set(handle_t h);
LP_HIDDEN void __ferry_lock_closing(handle_t port);
LP_HIDDEN void __ferry_lock_fork_child(void);

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
