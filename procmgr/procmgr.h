/* SPDX-License-Identifier: MIT */
/*
 * procmgr's private types and prototypes, grouped by file.  The design is
 * docs/procmgr.md; the protocol include/ferry/proto/proc.h.
 *
 * procmgr is single-threaded: every structure here is touched only from
 * the receive loop, so nothing is locked.
 */
#ifndef PROCMGR_H
#define PROCMGR_H

#include <ulib.h>
#include <srv.h>
#include <ferry/proto/proc.h>
#include <ferry/proto/vfs.h>

#define NPROC             512           /* process table slots */
#define PID_MAX           32768         /* pids wrap below this */
#define NWAITERS          128           /* blocked wait calls at once */
#define PROC_KEY_TIMER    0xffffffffull /* the queue timer's key (no process slot) */
#define PROC_EXE_MAX      128
#define PROC_CMDLINE_MAX  256
#define SIGQ_POOL         4096 /* queued signal records (siginfo), all processes */
#define SIGTHR_POOL       4096 /* signal states of threads beyond each process's first */
#define SIGTHR_PER_PROC   512  /* of them, per process */
#define SIGQUEUE_MAX      64   /* default RLIMIT_SIGPENDING: queued signals per process */
#define RLIMIT_SIGPENDING 11

/* Linux signal numbers procmgr itself needs. */
#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGSEGV   11
#define SIGPIPE   13
#define SIGTERM   15
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGWINCH  28
#define SIGBIT(s) (1ull << ((s)-1))
#define SI_TIMER  (-2) /* si_code of a POSIX timer's signal */

enum proc_state {
	PROC_FREE = 0,
	PROC_EMBRYO, /* forked, its task not yet committed by the parent */
	PROC_LIVE,
	PROC_ZOMBIE, /* dead, status kept for the parent's wait */
	PROC_SERVER, /* a server listed as a process (PROC_CTL_SERVER): no port, no signals */
};

/* A handle staged for an exec or spawn (PROC_EXEC_HANDLE). */
struct stage {
	unsigned n;
	struct {
		int32_t slot;
		uint32_t flags;
		handle_t h;
	} e[PROC_EXEC_HANDLES_MAX];
};

/*
 * The signal state of one thread of a process (signal.c): its mask, the
 * signals directed to it (tgkill, pthread_kill), and its PROC_SIGWAIT
 * call if it is in sigwait/sigsuspend.  tid 0: not known yet (the first
 * thread of a process that has not told procmgr its id).
 */
struct sigthr {
	int32_t tid;
	uint32_t next;         /* SIGTHR_POOL index + 1 of the process's next thread, 0: none */
	uint32_t prev;         /* of its previous one (0: it is the first of thr_head's list) */
	uint32_t hnext;        /* of the next one in its (process, tid) hash bucket */
	uint32_t pnext, pprev; /* pool states with pending != 0: the process's pend_head list */
	uint64_t blocked, pending;
	uint64_t sigwait_token, sigwait_mask, sigwait_saved;
	uint32_t sigwait_flags;
	bool want_intr; /* a handled signal waits for it: interrupt it after this request */
	uint16_t owner; /* pool states: 1 + the proctab index of whose thread this is */
};

struct proc {
	enum proc_state state;
	uint32_t gen;  /* part of the port key: a stale key finds no process */
	int pid, ppid; /* ppid 0: started through the control port, or orphaned with no init */
	int pgid, sid;
	bool orphan0;       /* ppid 0 by reparenting: reaped at death, nobody waits */
	bool died_early;    /* embryo whose port closed before the commit */
	bool embryo_orphan; /* embryo whose parent died before the commit */
	bool execd;         /* has exec'd since fork (setpgid by the parent: EACCES) */
	handle_t task;      /* MANAGE handle to its current task (0 while embryo) */
	handle_t port;      /* handle to its process port: MANAGE, DUP, TRANSFER, never SEND */
	uint32_t uid, euid, suid, gid, egid, sgid;
	uint32_t ngroups; /* supplementary groups (PROC_GROUPS) */
	uint32_t groups[PROC_NGROUPS];
	uint64_t rlim[PROC_RLIM_NLIMITS][2];
	uint64_t sig_ignored, sig_handled;
	uint64_t sig_pending; /* directed to the process (any thread not blocking it takes it) */
	uint64_t sig_nodefer; /* handled with SA_NODEFER: not blocked while delivered */
	struct sigthr thr0;   /* its first thread (the one that spoke first, or tid 0) */
	uint32_t thr_head;    /* its other threads: SIGTHR_POOL index + 1, a list */
	uint32_t thr_count;   /* how many are on that list */
	uint32_t pend_head;   /* those of them with signals of their own pending (not thr0) */
	uint32_t thr_waiting; /* threads (thr0 too) in sigwait or sigsuspend */
	bool thr_full;        /* a reclaim found nothing to free, and nothing changed since */
	handle_t thr_task;    /* the task those threads belong to: an exec drops them */
	uint32_t sigq_head;   /* its queued siginfo records: SIGQ_POOL index + 1, oldest first */
	uint32_t sigq_rt;     /* queued real-time instances (RLIMIT_SIGPENDING) */
	int32_t wstatus;      /* zombie: Linux wait status */
	bool stopped;         /* suspended by a stop signal (job control) */
	bool stopped_report, continued_report; /* changes not yet reported to wait */
	int stop_sig;                          /* the signal that stopped it */
	bool want_intr; /* a handled signal waits: interrupt it after this request */
	bool nocldstop; /* its SIGCHLD has SA_NOCLDSTOP: no SIGCHLD for a child's stop/continue */
	bool nocldwait; /* its SIGCHLD has SA_NOCLDWAIT: children are reaped as they die */
	uint64_t start_ns;
	uint64_t cpu_ns[2];  /* user, kernel CPU time of its earlier images (cputime.c) */
	uint64_t ccpu_ns[2]; /* of the children it reaped, theirs included */
	char name[16];
	char exe[PROC_EXE_MAX];         /* the program's path as exec found it (/proc/<pid>/exe) */
	char cmdline[PROC_CMDLINE_MAX]; /* argv, NUL after each (truncated) */
	uint16_t cmdlen;
	struct stage *stage; /* exec handles being staged, or NULL */
	/* A session leader's controlling terminal (ctty.c): its device number
	 * (0: none) and its foreground group as the terminal last said. */
	uint32_t ctty;
	int32_t ctty_pgrp;
	/* Its descriptor table as it publishes it (fdpub.c): our handle to the
	 * object (0: none) and our mapping of it (NULL: not yet). */
	handle_t fdpub;
	struct ferry_fdpub *fdpub_view;
};

extern struct proc proctab[NPROC];
extern handle_t procmgr_queue;
extern struct stage ctl_stage; /* the control port's staged spawn handles */
extern const void *archive_base;
extern size_t archive_size;

/* proc.c: the table */
port_key_t proc_key(const struct proc *p);
struct proc *proc_by_key(port_key_t key);
struct proc *proc_by_pid(int pid);
/* A new process in state st with a fresh port (a send handle to it in *send). */
int proc_new(enum proc_state st, struct proc **out, handle_t *send);
/* A server's entry (ppid 0, root, no port): its pid in *pid. */
int proc_new_server(const char *name, const char *path, handle_t task, int *pid);
/* The process's port has no senders left: it is gone. */
void proc_gone(struct proc *p);
/* Ends p's task with signal sig and makes it a zombie now. */
void proc_terminate(struct proc *p, int sig);
void proc_free(struct proc *p);
int proc_count_uid(uint32_t uid);
void proc_set_name(struct proc *p, const char *path);
/* Records the image's path and argv for /proc (exec, spawn). */
void proc_set_image(struct proc *p, const char *path, const char *const *argv, unsigned argc);
void stage_drop(struct stage *s);

/* pgrp.c */
int pgrp_setpgid(struct proc *caller, int pid, int pgid);
int pgrp_setsid(struct proc *caller);

/* fork.c */
int proc_fork(struct proc *parent, struct proc **child, handle_t *send);
int proc_fork_commit(struct proc *parent, int pid, handle_t task);

/* wait.c */
/* Tries to satisfy a wait by waiter ppid (0 = control); FERRY_REPLY_LATER queues it. */
int wait_start(int ppid, const struct proc_wait_req *req, uint64_t token,
               struct proc_wait_rep *rep);
/* Something about child c changed: wake the waiters that want it. */
void wait_child_changed(struct proc *c);
/* The waiter (a process) is gone: drop its queued waits. */
void wait_drop(int ppid);
bool wait_has_children(int ppid);

/* exec.c, load.c */
int stage_add(struct stage **sp, int32_t slot, uint32_t flags, handle_t h);
int proc_exec(struct proc *p, const struct proc_exec_req *req, const void *blob, size_t bloblen,
              handle_t selfport);
int proc_spawn(const struct proc_exec_req *req, const void *blob, size_t bloblen, int *pid);
struct load_args {
	const char *path;  /* the file being loaded (absolute with vfs) */
	const char *given; /* the path as the program gave it to execve */
	const char *const *argv;
	const char *const *envp;
	unsigned argc, envc;
	const struct proc *p; /* credentials for the auxv */
	const struct stage *stage;
	uint32_t debuglog;
	uint32_t umask;
	handle_t procport; /* given to the new task as AT_FERRY_PROCMGR (copied) */
	struct proc *old;  /* whose published descriptors carry over (exec), or NULL */
	handle_t *fdpub;   /* out: the new image's descriptor table object (fdpub.c), 0: none */
};
/* An executable opened for exec: its bytes mapped here read-only. */
struct exe {
	const uint8_t *data;
	size_t size;
	uint32_t mode, uid, gid;
	handle_t mo;   /* a vfs file's memory object (segments map it), 0: the archive */
	size_t maplen; /* bytes of our window at data (vfs), 0: none */
};
extern handle_t load_vfs_root; /* vfs's root for exec (PROC_CTL_PROCFS), 0: the archive */
/* Opens path for exec with p's permissions; buf (VFS_PATH_MAX) gets the path found. */
int exe_open(const struct proc *p, const char *path, struct exe *e, char *buf);
void exe_close(struct exe *e);
/* Builds a new task for args from e; started only by load_start.  */
int load_image(const struct load_args *a, const struct exe *e, handle_t *task, uintptr_t *entry,
               uintptr_t *sp);
int load_start(handle_t task, uintptr_t entry, uintptr_t sp);

/* signal.c */
int sig_send(struct proc *from, struct proc *to, int sig, bool check_perm);
/* sig_send with the siginfo a handler gets (NULL: from's SI_USER, or
 * SI_KERNEL from procmgr), to thread tid of `to` (0: the process), and
 * queue: sigqueue's (a real-time signal that cannot be queued is EAGAIN). */
int sig_send_info(struct proc *from, struct proc *to, int sig, bool check_perm,
                  const struct proc_siginfo *info, int32_t tid, bool queue);
int sig_kill(struct proc *from, int pid, int sig);
/* The state of thread tid of p (0: its first), made if new; NULL when the
 * pool is exhausted. */
struct sigthr *sig_thread(struct proc *p, int32_t tid);
/* Takes the lowest pending, unblocked, handled signal of thread t for
 * delivery (0: none) into info, blocking it unless SA_NODEFER. */
int sig_take(struct proc *p, struct sigthr *t, struct proc_siginfo *info);
/* What is pending for t: its own and the process's. */
uint64_t sig_pending_for(const struct proc *p, const struct sigthr *t);
/* Lets p's pending signals act (default actions, sigwait, interrupts). */
void sig_poke(struct proc *p);
/* Would sig sent to p now be dropped at once (ignored, or ignored by
 * default and not blocked everywhere)?  Then it is never taken. */
bool sig_dropped_now(struct proc *p, int sig);
/* PROC_SIGWAIT of thread t: FERRY_REPLY_LATER, or an error. */
int sig_wait(struct proc *p, struct sigthr *t, const struct proc_sigwait_req *r, uint64_t token);
/* p died or is freed: its threads' waits end, its records go back. */
void sig_drop(struct proc *p);
/* The requests PROC_SIGSTATE and PROC_KILL from thread t of p. */
int sig_state(struct proc *p, struct sigthr *t, const struct proc_sigstate_req *r,
              struct proc_sig_rep *rep);
int sig_kill_req(struct proc *p, struct sigthr *t, const struct proc_kill_req *r,
                 struct proc_sig_rep *rep);
void sig_stop(struct proc *p, int sig);
void sig_continue(struct proc *p);
void sig_flush_interrupts(void);
int sig_hold_reply(struct proc *p, int32_t tid, uint64_t token, int status,
                   const struct proc_sig_rep *rep);
/* Interrupts are waiting to go out (main.c then polls its queue). */
bool sig_interrupts_wanted(void);
int sig_from_exit_code(int code, bool *core);

/* timer.c */
int timer_create_(struct proc *p, const struct proc_timer_req *req, int32_t *id);
int timer_set(struct proc *p, const struct proc_timer_req *req, struct proc_timer_rep *rep);
int timer_get(struct proc *p, int32_t id, struct proc_timer_rep *rep);
int timer_delete(struct proc *p, int32_t id);
void timer_drop(struct proc *p, bool keep_itimers);
void timer_fire(void);
/* The SI_TIMER signal of POSIX timer id of p was taken: its overrun. */
uint32_t timer_taken(struct proc *p, int32_t id);

/* pgrp.c (more) */
bool pgrp_exists(int pgid, int *sid, int *n);

/* fdpub.c: published descriptor tables (/proc/<pid>/fd) */
struct ferry_fdpub;
const struct ferry_fdpub *fdpub_get(struct proc *p);
void fdpub_drop(struct proc *p);
void fdpub_set(struct proc *p, handle_t mo);
int fdpub_new(struct proc *old, const struct stage *st, uint32_t debuglog, bool keep, handle_t task,
              handle_t *mo, uintptr_t *addr);
void fdpub_exec(struct proc *p, const struct stage *st, uint32_t debuglog);
int fdpub_fork(struct proc *parent, struct proc *child, handle_t *give);

/* ctty.c: controlling terminals, hangups, orphaned groups */
int ctty_op(struct proc *p, const struct proc_ctty_req *r, struct proc_ctty_rep *rep);
int ctty_event(const struct proc_ctl_tty_req *r);
/* What an exit hangs up (ctty.c): noted while p is still live, with its
 * children, and signalled when p's exit is complete (p may be gone). */
#define CTTY_EXIT_GROUPS 32
struct ctty_exit {
	int fg; /* the foreground group of the terminal p's session loses, 0: none */
	int n;
	int pgid[CTTY_EXIT_GROUPS]; /* groups p's exit may orphan */
};
void ctty_exit_note(struct proc *p, struct ctty_exit *ce);
/* p's session's terminal (its device number, Linux's tty_nr; 0: none) and
 * that terminal's foreground group in *fg (0: unknown). */
uint32_t ctty_of(const struct proc *p, int *fg);
void ctty_exit_signal(const struct ctty_exit *ce);
bool pgrp_orphaned(int pgid);

/* cputime.c: [0] user, [1] kernel, in ns */
void cpu_of(const struct proc *p, uint64_t out[2]);
/* exec ends task old of p: keep its time. */
void cpu_bank(struct proc *p, handle_t old);
/* Zombie c is reaped by its parent: user and sys (its own and its children's,
 * as the wait reported them) go to the parent's children's time. */
void cpu_reaped(const struct proc *c, uint64_t user, uint64_t sys);
/* Clocks of cpu_clock beyond the protocol's PROC_CLOCK_*: the interval timers'. */
#define CPU_CLOCK_VIRTUAL 3 /* user time, all images since fork */
#define CPU_CLOCK_PROF    4 /* user + system time, likewise */
/* CPU clock `clock` of live p (thread tid for PROC_CLOCK_THREAD_CPU) in *ns;
 * -FERRY_EINVAL when it has no such clock. */
int cpu_clock(const struct proc *p, int clock, int32_t tid, uint64_t *ns);

/* cred.c */
void cred_init_rlimits(struct proc *p);
bool cred_privileged(const struct proc *p);
/* Is gid p's effective group or one of its supplementary groups? */
bool cred_in_group(const struct proc *p, uint32_t gid);
void cred_publish(const struct proc *p);
void cred_unpublish(const struct proc *p);
int cred_give_vfs(handle_t vfsroot);
/* A read-only handle to the table (PROC_CTL_CREDS, VFS_CREDS): 0 or -FERRY_ENOMEM. */
int cred_table_ro(handle_t *out);

/* proc_msg.c: one handler per op (dispatch.c builds the table). */
#define PM_DECLARE_(OP, stem, num, req, rep, nh) int on_##stem(void *state, struct srv_call *c);
PROC_PROTO_MESSAGES(PM_DECLARE_)
#undef PM_DECLARE_
extern const struct srv_op proc_ops[];
extern const uint32_t proc_nops;
void procmgr_notify(void *state, const struct ferry_msg *m);

/* procfs.c: the /proc tree (nodes, walk, texts) */
enum pfs_type {
	PFS_NONE = 0,
	PFS_ROOT,
	PFS_SELF, /* symlink to the caller's pid */
	PFS_MEMINFO,
	PFS_UPTIME,
	PFS_LOADAVG,
	PFS_MOUNTS,
	PFS_STAT,
	PFS_VERSION,
	PFS_FILESYSTEMS,
	PFS_CPUINFO,
	PFS_PID, /* /proc/<pid>/ */
	PFS_PID_STAT,
	PFS_PID_STATUS,
	PFS_PID_CMDLINE,
	PFS_PID_COMM,
	PFS_PID_EXE,     /* symlink to the image's path */
	PFS_PID_FD,      /* directory of the process's published descriptors (fdpub.c) */
	PFS_PID_FD_LINK, /* /proc/<pid>/fd/<fd>: symlink to what fd is */
	PFS_NTYPES
};
struct pfs_node {
	uint32_t type; /* enum pfs_type */
	int32_t pid;   /* per-process nodes */
	int32_t fd;    /* PFS_PID_FD_LINK */
	uint32_t pad;
};
#define PFS_DEV      0xf0 /* st_dev of every procfs node (vfs numbers its own from 1) */
#define PFS_TEXT_MAX 16384
/* Walk results besides 0 and errors: where the request goes on. */
#define PFS_WALK_SELF 1 /* "self" met without a caller: *rest_at = its offset */
#define PFS_WALK_OUT  2 /* a symlink leads out of /proc: out[] = the new absolute path */
#define PFS_WALK_FD                                                                                \
	3 /* followed /proc/<pid>/fd/<fd> to an object without a path: *out = the link */
int pfs_walk(int caller, struct pfs_node start, const char *path, size_t len, bool follow,
             struct pfs_node *out, size_t *rest_at, char *outpath, size_t outcap);
bool pfs_valid(struct pfs_node n);
bool pfs_is_dir(struct pfs_node n);
void pfs_stat(struct pfs_node n, struct file_stat *st);
/* Stat of what descriptor link n names when that has no path (a pipe, a socket). */
void pfs_stat_target(struct pfs_node n, struct file_stat *st);
/* The symlink text of a link node (caller = the asking pid, 0 unknown); -ENOENT, -EINVAL. */
int pfs_readlink(struct pfs_node n, int caller, char *buf, size_t cap, size_t *len);
/* Renders a file node's text into buf (at most cap bytes): its length, or an error. */
int pfs_render(struct pfs_node n, char *buf, size_t cap);
/* One directory entry at or after cookie: 1 found (name, type, ino, *next), 0 at the end. */
int pfs_readdir(struct pfs_node dir, uint64_t cookie, char *name, uint8_t *dtype, uint64_t *ino,
                uint64_t *next);
/* The node's path below the mount point ("" for the root). */
void pfs_path(struct pfs_node n, char *buf, size_t cap);
/* Our transfer area on vfs's root (PFS_TEXT_MAX bytes), attached at first use. */
int vfs_area(char **base, uint32_t *id);
/* Attaches the same area to another vfs port (a bound root): its *id there. */
int vfs_area_attach(handle_t port, uint32_t *id);

/* procfs_msg.c: vfs and file ops on procfs ports and process ports */
#define PFS_KEY_BIT (1ull << 63) /* keys of procfs descriptions (process keys never have it) */
extern handle_t procfs_vfs_root; /* vfs's root, from PROC_CTL_PROCFS (0: not mounted) */
int procfs_mount(handle_t vfsroot);
/* on_other of the proc server: vfs and file ops (procfs ports, vfs ops on process ports). */
int procfs_dispatch(void *state, struct srv_call *c);
void procfs_gone(port_key_t key);

/* Debug log line for a refused request (hostile or buggy client). */
#define PM_REFUSE(fmt, ...) uprintf("procmgr: %s: " fmt "\n", __func__, ##__VA_ARGS__)

#endif
