/* SPDX-License-Identifier: MIT */
/*
 * Protocol "proc": the process manager (procmgr).  Documented op by op,
 * with every error, in docs/proto/proc.md; the design is docs/procmgr.md.
 *
 * procmgr serves two kinds of ports on one queue:
 *
 *   - the control port (key PROC_KEY_CONTROL), held by whoever started
 *     procmgr (posixsrv, or a test runner): spawning processes from a
 *     path, waiting for them, and the hooks the terminal server needs
 *     (signalling a process group, asking which session a group is in).
 *   - one process port per process, the process's identity: every request
 *     arriving through it is from that process (no pid is ever taken from
 *     the message), and the process holds the only send handle to it, so
 *     the no-senders notice on it tells procmgr the process is gone.
 *     libposix finds it in AT_FERRY_PROCMGR.
 *
 * Values are Linux's: pids, signal numbers, wait options and statuses,
 * RLIMIT_* numbers.  Every reply starts with int32_t status (0 or a
 * negative FERRY_E*).
 */
#ifndef FERRY_PROTO_PROC_H
#define FERRY_PROTO_PROC_H

#include <ferry/proto/proto.h>

#define PROC_KEY_CONTROL 0 /* the key of the control port */

#define PROC_NSIG 65 /* signals 1..64 */

/*
 * The signal a CPU exception (x86 vector) of a process stands for, as on
 * Linux: what libposix runs a handler for when a thread faults, and, for
 * a task the kernel (or libposix, when the signal is blocked, ignored or
 * default) ended with -(128 + vector), the signal procmgr reports, with
 * the core bit (docs/procmgr.md "Faults").
 */
#define PROC_SIGTRAP 5
#define PROC_SIGILL  4
#define PROC_SIGBUS  7
#define PROC_SIGFPE  8
#define PROC_SIGSEGV 11
static inline int
proc_fault_signal(unsigned vector)
{
	switch (vector) {
	case 0:  /* divide error */
	case 16: /* x87 FP error */
	case 19: /* SIMD FP error */
		return PROC_SIGFPE;
	case 6: /* invalid opcode */
		return PROC_SIGILL;
	case 1: /* debug (single step) */
	case 3: /* breakpoint */
		return PROC_SIGTRAP;
	case 17: /* alignment check */
	case 32: /* FERRY_FAULT_PAST_END: a page past a mapped object's end */
		return PROC_SIGBUS;
	default: /* page fault, general protection, stack fault... */
		return PROC_SIGSEGV;
	}
}
#define PROC_RLIM_NLIMITS  16
#define PROC_RLIM_INFINITY (~0ull)
/* RLIMIT_NOFILE: at most the size of libposix's descriptor table (setting
 * more is EPERM, as above Linux's nr_open); libposix enforces it. */
#define PROC_RLIMIT_NOFILE     7
#define PROC_RLIMIT_NOFILE_MAX 1024

/* Linux wait options (waitpid/wait4/waitid). */
#define PROC_WNOHANG    0x00000001
#define PROC_WUNTRACED  0x00000002 /* = WSTOPPED */
#define PROC_WEXITED    0x00000004
#define PROC_WCONTINUED 0x00000008
#define PROC_WNOWAIT    0x01000000

/* An empty request. */
struct proc_none_req {
	uint32_t pad;
};

/* PROC_GETIDS: the caller's identity. */
struct proc_ids_rep {
	int32_t status;
	int32_t pid, ppid, pgid, sid;
	uint32_t uid, euid, suid, gid, egid, sgid;
	uint32_t pad;
};

/* PROC_FORK: a new process (not yet running); its port comes in the reply. */
struct proc_fork_rep {
	int32_t status;
	int32_t pid;
};
/* PROC_FORK_COMMIT: attaches the child task (the handle) to pid. */
struct proc_pid_req {
	int32_t pid;
	uint32_t pad;
};

/* PROC_WAIT / PROC_CTL_WAIT.  pid: > 0 that child, -1 any, 0 the caller's
 * group, < -1 group -pid.  options: PROC_W*; WEXITED is implied when none
 * of WEXITED/WUNTRACED/WCONTINUED is given (waitpid). */
struct proc_wait_req {
	int32_t pid;
	uint32_t options;
};
struct proc_wait_rep {
	int32_t status;
	int32_t pid;     /* the child reported; 0 with WNOHANG and nothing to report */
	int32_t wstatus; /* Linux wait status word */
	int32_t code; /* waitid si_code: CLD_EXITED 1, KILLED 2, DUMPED 3, STOPPED 5, CONTINUED 6 */
	int32_t value; /* waitid si_status: exit code or signal */
	uint32_t uid;
	uint64_t utime_ns, stime_ns;
};

/*
 * PROC_KILL / PROC_CTL_KILL.  pid: > 0 a process, 0 the caller's group,
 * -1 every process it may signal, < -1 group -pid.  sig 0 checks only.
 * tid: the calling thread (its mask decides what the reply delivers; 0:
 * the process's first thread).  target_tid (PROC_KILL only): a thread of
 * the caller's own process, pid must be the caller (tgkill,
 * pthread_kill); 0: the process.  PROC_KILL_QUEUE (sigqueue): pid > 0,
 * code is the si_code (negative unless pid is the caller: EPERM) and value
 * the si_value; a real-time signal (32..64) is queued once per call, up to
 * RLIMIT_SIGPENDING per process (EAGAIN).
 */
#define PROC_KILL_QUEUE 0x1
struct proc_ctl_kill_req { /* PROC_CTL_KILL needs only these (a proc_kill_req will do) */
	int32_t pid;
	int32_t sig;
};
struct proc_kill_req {
	int32_t pid;
	int32_t sig;
	int32_t tid;
	int32_t target_tid;
	uint32_t flags;
	int32_t code;
	uint64_t value;
};
/* What a delivered signal's handler gets in its siginfo_t.  code: si_code
 * (SI_USER 0, SI_QUEUE -1, SI_TKILL -6, SI_KERNEL 0x80 from procmgr
 * itself); pid, uid: the sender's; value: sigqueue's si_value. */
struct proc_siginfo {
	int32_t sig;
	int32_t code;
	int32_t pid;
	uint32_t uid;
	uint64_t value;
};
/* deliver: a signal that was pending for the calling thread, not blocked
 * and handled (taken off the pending set: run its handler now, with info;
 * at most one per reply, the lowest); pending: what is still pending for
 * the thread (its own and the process's) after that.  PROC_SIGSTATE also
 * answers the thread's mask (blocked) and the ignored set as procmgr has
 * them: what a new image inherited across exec, for libposix's first
 * signal call (how = 0 asks without changing anything). */
struct proc_sig_rep {
	int32_t status;
	uint32_t pad;
	uint64_t deliver;
	uint64_t pending;
	struct proc_siginfo info;
	uint64_t blocked, ignored;
};

/* PROC_SETPGID */
struct proc_setpgid_req {
	int32_t pid;  /* 0: the caller */
	int32_t pgid; /* 0: = pid */
};
/* PROC_GETPGID, PROC_GETSID: pid 0 = the caller.  PROC_SETSID: no argument. */
struct proc_id_rep {
	int32_t status;
	int32_t id;
};

/* PROC_SETCRED: which = PROC_CRED_UID or PROC_CRED_GID; ids[] real,
 * effective, saved, -1 (0xffffffff) = unchanged.  Unprivileged callers may
 * only set each to one of their current real, effective or saved ids. */
#define PROC_CRED_UID 0
#define PROC_CRED_GID 1
struct proc_setcred_req {
	uint32_t which;
	uint32_t ids[3];
};

/* PROC_GROUPS: get (set = 0) or set (root only) the supplementary groups;
 * the reply has the list after the change.  At most PROC_NGROUPS. */
#define PROC_NGROUPS 16
struct proc_groups_req {
	uint32_t set;
	uint32_t n;
	uint32_t groups[PROC_NGROUPS];
};
struct proc_groups_rep {
	int32_t status;
	uint32_t n;
	uint32_t groups[PROC_NGROUPS];
};

/*
 * The credential table (docs/procmgr.md "Credentials"): a memory object
 * procmgr writes and vfs (VFS_CREDS) and posixsrv (PROC_CTL_CREDS on the
 * control port, replying with a MAP|READ handle) map read-only, one entry
 * per process slot.  koid names the process: the kernel object id of its process port,
 * which only the process (and procmgr) holds.  An entry is a sequence
 * lock: seq is odd while procmgr writes it; a reader copies the entry and
 * retries when seq was odd or changed.  koid 0: a free slot.
 */
#define PROC_CRED_MAGIC 0x44455243u /* "CRED" */
#define PROC_CRED_SLOTS 512
struct proc_cred_entry {
	uint32_t seq;
	uint32_t ngroups;
	uint64_t koid;
	uint32_t uid, euid, gid, egid;
	uint32_t groups[PROC_NGROUPS];
	int32_t pid; /* the process's id (posixsrv: whom a notification is for) */
	uint32_t pad;
};
struct proc_cred_table {
	uint32_t magic;
	uint32_t slots;
	uint64_t pad;
	struct proc_cred_entry e[PROC_CRED_SLOTS];
};
#define PROC_CRED_TABLE_BYTES ((sizeof(struct proc_cred_table) + 4095) & ~(size_t)4095)

/* PROC_RLIMIT: get and optionally set a limit of pid (0: the caller). */
struct proc_rlimit_req {
	int32_t pid;
	uint32_t resource;
	uint32_t set;
	uint32_t pad;
	uint64_t cur, max;
};
struct proc_rlimit_rep {
	int32_t status;
	uint32_t pad;
	uint64_t cur, max; /* the limit before the call */
};

/* PROC_SIGSTATE: the caller's dispositions and mask, as libposix keeps
 * them (procmgr needs them for default actions and delivery).  how: bits
 * PROC_SIGSTATE_* saying which fields to apply (HANDLED applies nodefer
 * too).  A signal handed out in a reply's deliver mask is added to the
 * caller's blocked set unless its handler has SA_NODEFER (nodefer): it
 * stays blocked while its handler runs, and libposix's next PROC_SIGSTATE
 * with the restored mask unblocks it (and delivers what came meanwhile). */
#define PROC_SIGSTATE_IGNORED 0x1
#define PROC_SIGSTATE_HANDLED 0x2
#define PROC_SIGSTATE_BLOCKED 0x4
#define PROC_SIGSTATE_FLAGS   0x8 /* apply flags (PROC_SIGF_*) */
#define PROC_SIGF_NOCLDSTOP   0x1 /* SIGCHLD has SA_NOCLDSTOP */
#define PROC_SIGF_NOCLDWAIT   0x2 /* SIGCHLD has SA_NOCLDWAIT: children leave no zombie */
struct proc_sigstate_req {
	uint32_t how;
	uint32_t flags;
	uint64_t ignored, handled, blocked; /* bit (sig - 1); blocked: the calling thread's */
	uint64_t nodefer;                   /* handled with SA_NODEFER */
	int32_t tid;                        /* the calling thread (0: the first one) */
	uint32_t pad;
};

/* PROC_SIGWAIT: the calling thread (tid) waits until a signal in mask is
 * pending for it (its own or the process's); the reply names it in info
 * (and takes it off the pending set).  timeout_ns ~0: forever, 0: poll.
 * With PROC_SIGWAIT_SUSPEND the mask is the set *blocked* while waiting
 * (sigsuspend) and the signal is delivered (deliver, info) as in
 * proc_sig_rep.  -FERRY_EBUSY: that thread is already waiting. */
#define PROC_SIGWAIT_SUSPEND 0x1
struct proc_sigwait_req {
	uint64_t mask;
	uint64_t timeout_ns;
	uint32_t flags;
	int32_t tid;
};
struct proc_sigwait_rep {
	int32_t status;
	uint32_t pad;
	uint64_t deliver;
	struct proc_siginfo info;
};

/*
 * PROC_EXEC_HANDLE: stages one handle for the caller's coming exec (or,
 * on the control port, spawn).  slot >= 0: that descriptor (flags:
 * PROC_FD_* plus the description's O_* status is not needed: it lives in
 * the server); slot < 0: -slot is an AT_FERRY_* type (VFS_ROOT, CWD,
 * POSIXSRV) to pass in the new image's auxv.  A failed or completed exec
 * drops what was staged.
 */
#define PROC_FD_DEBUGLOG 0x1 /* descriptor is the bring-up kernel log (no handle) */
struct proc_exec_handle_req {
	int32_t slot;
	uint32_t flags;
};
#define PROC_EXEC_HANDLES_MAX 128 /* staged per exec */

/*
 * PROC_EXEC / PROC_SPAWN: the payload (lent, read-only) holds the path,
 * then argc argument strings, then envc environment strings, each
 * NUL-terminated.  debuglog: descriptors 0..31 that are the kernel log;
 * umask: the file mode creation mask the new image starts with (libposix
 * keeps it; exec carries it over, spawn gives what the spawner says).
 * PROC_EXEC carries a copy of the caller's own process port (to hand to the
 * new image); on success the caller's task is gone and no reply comes.
 */
struct proc_exec_req {
	struct ferry_payload pl;
	uint32_t argc, envc;
	uint32_t debuglog;
	uint32_t umask;
	uint32_t cwdlen; /* leading bytes of the path that are the caller's working
	                  * directory (libposix made a relative path absolute):
	                  * the rest is the path as given, a script's argv[1] */
	uint32_t pad;
};
#define PROC_EXEC_ARGS_MAX (256u << 10) /* path + argv + envp bytes (ARG_MAX) */
#define PROC_EXEC_ARGC_MAX 4096
struct proc_spawn_rep {
	int32_t status;
	int32_t pid;
};

/* PROC_CTL_PGRP: which session process group pgid belongs to. */
struct proc_pgrp_rep {
	int32_t status;
	int32_t sid;
	int32_t nmembers;
	uint32_t pad;
};

/*
 * Timers (alarm, setitimer, timer_create; docs/procmgr.md "Timers").  id: a
 * POSIX timer from PROC_TIMER_CREATE, or one of the process's interval
 * timers: PROC_TIMER_REAL (SIGALRM, real time), PROC_TIMER_VIRTUAL
 * (SIGVTALRM, user CPU time), PROC_TIMER_PROF (SIGPROF, user + system CPU
 * time); those three are kept across exec, unlike the others.
 * Times are relative (libposix converts absolute ones), in the timer's
 * clock: value_ns until the first expiry (0: disarmed), then every
 * interval_ns (0: once).
 * CREATE: clock (PROC_CLOCK_*; clock_tid: the thread whose CPU clock, a
 * thread of the caller's), sig the signal to send (0: none, SIGEV_NONE)
 * with value as its si_value (si_code SI_TIMER), to thread notify_tid of
 * the caller (SIGEV_THREAD_ID; 0: to the process) → id.  flags
 * PROC_TIMER_VALUE_ID: si_value is the new timer's id (timer_create
 * without a sigevent).
 * SET: → the previous setting.  GET: → remaining time, interval, and the
 * overrun count (expiries while the signal was still pending).  DELETE.
 */
#define PROC_TIMER_REAL        (-1)
#define PROC_TIMER_VIRTUAL     (-2)
#define PROC_TIMER_PROF        (-3)
#define PROC_TIMERS_MAX        32 /* POSIX timers per process */
#define PROC_CLOCK_MONOTONIC   0
#define PROC_CLOCK_PROCESS_CPU 1 /* the process's CPU time, all threads, user + system */
#define PROC_CLOCK_THREAD_CPU  2 /* thread clock_tid's CPU time */
#define PROC_TIMER_VALUE_ID    1 /* flags */
struct proc_timer_req {
	int32_t id;
	int32_t sig;
	uint64_t value_ns;
	uint64_t interval_ns;
	int32_t clock;
	int32_t clock_tid;
	int32_t notify_tid;
	uint32_t flags;
	uint64_t value; /* si_value */
};
struct proc_timer_rep {
	int32_t status;
	int32_t id;
	uint64_t value_ns;
	uint64_t interval_ns;
	uint32_t overrun;
	uint32_t pad;
};

/*
 * PROC_CPUCLOCK: the CPU-time clock of process pid (0: the caller), as
 * clock_gettime reads it: all its threads, user + system, since fork (its
 * images before the last exec included), in ns; earlier_ns: the part of
 * ns from those earlier images (what libposix adds to its own task's time
 * to read its own clock without asking).  Any process may read it (as on
 * Linux).  -ESRCH: no live process pid.
 */
struct proc_cpuclock_rep {
	int32_t status;
	uint32_t pad;
	uint64_t ns;
	uint64_t earlier_ns;
};

/*
 * PROC_CTL_PROCFS: handles[0] is vfs's root directory port (moved).
 * procmgr keeps it (for /proc/mounts and symlinks leading out of /proc)
 * and mounts its procfs at /proc with VFS_MOUNT_PORT (creating the
 * directory if needed).  The status is the mount's (docs/procmgr.md "/proc").
 */
#define PROCFS_MOUNT_POINT "/proc"

/*
 * PROC_CTL_SERVER: lists a server (vfs, posixsrv, procmgr itself) as a
 * process for /proc and ps: a pid of its own (reply: struct
 * proc_spawn_rep), ppid 0, root, state S.  It cannot be signalled (kill:
 * EPERM), waited for, or made a group member.  At most PROC_SERVERS_MAX.
 * handles[0], optional: a handle to the server's task (no right needed;
 * posixsrv gives one without MANAGE), kept only to read its CPU time for /proc and ps; anything
 * but a task is -EWRONGTYPE.
 */
struct proc_server_req {
	char name[16]; /* NUL-terminated or 16 bytes; also its cmdline and comm */
	char path[48]; /* its program ("/sbin/vfs"): /proc/<pid>/exe; may be empty */
};
#define PROC_SERVERS_MAX 8

/* PROC_TIMES: the caller's CPU time (all its images since fork) and its
 * reaped children's, in ns (times, getrusage; docs/procmgr.md). */
struct proc_times_rep {
	int32_t status;
	uint32_t pad;
	uint64_t utime_ns, stime_ns;   /* its own */
	uint64_t cutime_ns, cstime_ns; /* the children it waited for, theirs included */
};
/*
 * PROC_CTTY: the caller's session and its controlling terminal
 * (docs/procmgr.md "Controlling terminal").  A terminal is named by its
 * device number (rdev: 5:1 the console, 136:N pty slave N), which
 * libposix reads with FILE_STAT on the descriptor.
 *   GET     → rdev of the session's terminal (0: none), sid, and
 *             PROC_CTTY_ORPHANED when the caller's group is orphaned
 *   OPENED  rdev was opened without O_NOCTTY: the caller takes it if it
 *             leads a session with no terminal and no session has rdev
 *             (PROC_CTTY_ACQUIRED in flags); never an error
 *   SET     TIOCSCTTY (arg: steal, root only): -EPERM not a session
 *             leader, the session has another terminal, or rdev belongs
 *             to another session (and no steal)
 *   DROP    TIOCNOTTY on rdev: -ENOTTY when rdev is not the caller's
 *             terminal; a session leader gives it up (its foreground
 *             group gets SIGHUP and SIGCONT)
 *   SID     TIOCGSID on rdev: the session whose terminal it is (-ENOTTY)
 */
#define PROC_CTTY_GET           0
#define PROC_CTTY_OPENED        1
#define PROC_CTTY_SET           2
#define PROC_CTTY_DROP          3
#define PROC_CTTY_SID           4
#define PROC_CTTY_ACQUIRED      0x1 /* rep.flags */
#define PROC_CTTY_ORPHANED      0x2
#define PROC_CTTY_RDEV_VALID(d) ((d) == ((5u << 8) | 1) || ((d) >> 8) == 136u)
struct proc_ctty_req {
	uint32_t cmd;
	uint32_t rdev;
	int32_t arg;
	uint32_t pad;
};
struct proc_ctty_rep {
	int32_t status;
	uint32_t rdev;
	int32_t sid;
	uint32_t flags;
};

/*
 * PROC_CTL_TTY, one-way from the terminal server on the control port:
 * what happened to terminal rdev.  FG: its foreground group is now pgrp
 * (kept for the SIGHUP at its session leader's exit).  HANGUP: it hung
 * up (a pty master closed): the session loses it, its leader gets SIGHUP
 * and SIGCONT, the foreground group pgrp SIGHUP.
 */
#define PROC_TTY_FG     1
#define PROC_TTY_HANGUP 2
struct proc_ctl_tty_req {
	uint32_t what;
	uint32_t rdev;
	int32_t pgrp;
	uint32_t pad;
};

/*
 * procfs's own kind of vfs redirect (struct vfs_redirect_rep.kind, next to
 * VFS_REDIRECT_WALK 1 and VFS_REDIRECT_OPEN 2 of include/ferry/proto/vfs.h):
 * no handle comes; send the same request, path 1 = the rest, to your own
 * process port (AT_FERRY_PROCMGR), which answers it as procfs seen by you.
 * That is how "/proc/self" knows who asks (docs/procmgr.md "/proc").
 */
#define VFS_REDIRECT_SELF 3
/*
 * Also procfs's: the path named one of the caller's own descriptors
 * (/proc/self/fd/N, /dev/stdin) whose object has no path to reopen (a
 * pipe, a socket): no handle comes; obj is the descriptor, which the
 * caller duplicates for an open.  Only a process port answers it.
 */
#define VFS_REDIRECT_FD 4

/*
 * PROC_CTL_SIGQUEUE, one-way (or a call) from posixsrv on the control
 * port: sig (1..64) to process pid with a siginfo of posixsrv's making:
 * si_code code (negative: a user-space source, e.g. SI_MESGQ -3 for a
 * message queue notification), si_pid from_pid (the process that caused
 * it; si_uid is its real uid, 0 if it is gone), si_value value.  No
 * permission check (the target asked for it).  Errors: -FERRY_EINVAL
 * (signal, code >= 0), -FERRY_ESRCH, -FERRY_EPERM (a server),
 * -FERRY_EAGAIN (real-time queue full).
 */
struct proc_ctl_sigqueue_req {
	int32_t pid;
	int32_t sig;
	int32_t code;
	int32_t from_pid;
	uint64_t value;
};

#define PROC_PROTO_MESSAGES(X)                                                                     \
	X(PROC_GETIDS, proc_getids, 0x0401, struct proc_none_req, struct proc_ids_rep, 0)          \
	X(PROC_FORK, proc_fork, 0x0402, struct proc_none_req, struct proc_fork_rep, 0)             \
	X(PROC_FORK_COMMIT, proc_fork_commit, 0x0403, struct proc_pid_req,                         \
	  struct ferry_status_rep, 1)                                                              \
	X(PROC_WAIT, proc_wait, 0x0404, struct proc_wait_req, struct proc_wait_rep, 0)             \
	X(PROC_KILL, proc_kill, 0x0405, struct proc_kill_req, struct proc_sig_rep, 0)              \
	X(PROC_SETPGID, proc_setpgid, 0x0406, struct proc_setpgid_req, struct ferry_status_rep, 0) \
	X(PROC_GETPGID, proc_getpgid, 0x0407, struct proc_pid_req, struct proc_id_rep, 0)          \
	X(PROC_SETSID, proc_setsid, 0x0408, struct proc_none_req, struct proc_id_rep, 0)           \
	X(PROC_GETSID, proc_getsid, 0x0409, struct proc_pid_req, struct proc_id_rep, 0)            \
	X(PROC_SETCRED, proc_setcred, 0x040a, struct proc_setcred_req, struct ferry_status_rep, 0) \
	X(PROC_RLIMIT, proc_rlimit, 0x040c, struct proc_rlimit_req, struct proc_rlimit_rep, 0)     \
	X(PROC_SIGSTATE, proc_sigstate, 0x040d, struct proc_sigstate_req, struct proc_sig_rep, 0)  \
	X(PROC_SIGWAIT, proc_sigwait, 0x040e, struct proc_sigwait_req, struct proc_sigwait_rep, 0) \
	X(PROC_TIMER_CREATE, proc_timer_create, 0x0430, struct proc_timer_req,                     \
	  struct proc_timer_rep, 0)                                                                \
	X(PROC_TIMER_SET, proc_timer_set, 0x0431, struct proc_timer_req, struct proc_timer_rep, 0) \
	X(PROC_TIMER_GET, proc_timer_get, 0x0432, struct proc_timer_req, struct proc_timer_rep, 0) \
	X(PROC_TIMER_DELETE, proc_timer_delete, 0x0433, struct proc_timer_req,                     \
	  struct ferry_status_rep, 0)                                                              \
	X(PROC_CPUCLOCK, proc_cpuclock, 0x0434, struct proc_pid_req, struct proc_cpuclock_rep, 0)  \
	X(PROC_EXEC_HANDLE, proc_exec_handle, 0x0410, struct proc_exec_handle_req,                 \
	  struct ferry_status_rep, 1)                                                              \
	X(PROC_EXEC, proc_exec, 0x0411, struct proc_exec_req, struct ferry_status_rep, 1)          \
	X(PROC_TIMES, proc_times, 0x0412, struct proc_none_req, struct proc_times_rep, 0)          \
	X(PROC_CTTY, proc_ctty, 0x0413, struct proc_ctty_req, struct proc_ctty_rep, 0)             \
	X(PROC_GROUPS, proc_groups, 0x0414, struct proc_groups_req, struct proc_groups_rep, 0)     \
	X(PROC_SPAWN, proc_spawn, 0x0420, struct proc_exec_req, struct proc_spawn_rep, 0)          \
	X(PROC_CTL_WAIT, proc_ctl_wait, 0x0421, struct proc_wait_req, struct proc_wait_rep, 0)     \
	X(PROC_CTL_KILL, proc_ctl_kill, 0x0422, struct proc_ctl_kill_req, struct ferry_status_rep, \
	  0)                                                                                       \
	X(PROC_CTL_PGRP, proc_ctl_pgrp, 0x0423, struct proc_pid_req, struct proc_pgrp_rep, 0)      \
	X(PROC_CTL_PROCFS, proc_ctl_procfs, 0x0424, struct proc_none_req, struct ferry_status_rep, \
	  1)                                                                                       \
	X(PROC_CTL_SERVER, proc_ctl_server, 0x0425, struct proc_server_req, struct proc_spawn_rep, \
	  FERRY_PROTO_HANDLES_VAR | 1)                                                             \
	X(PROC_CTL_TTY, proc_ctl_tty, 0x0426, struct proc_ctl_tty_req, struct ferry_status_rep, 0) \
	X(PROC_CTL_SIGQUEUE, proc_ctl_sigqueue, 0x0427, struct proc_ctl_sigqueue_req,              \
	  struct ferry_status_rep, 0)                                                              \
	X(PROC_CTL_CREDS, proc_ctl_creds, 0x0428, struct proc_none_req, struct ferry_status_rep, 0)

FERRY_PROTO_DECLARE(proc, PROC_PROTO_MESSAGES)

#endif
