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

#define NPROC 512        /* process table slots */
#define PID_MAX 32768    /* pids wrap below this */
#define NWAITERS 128     /* blocked wait calls at once */
#define PROC_KEY_TIMER 0xffffffffull /* the queue timer's key (no process slot) */

/* Linux signal numbers procmgr itself needs. */
#define SIGHUP  1
#define SIGINT  2
#define SIGQUIT 3
#define SIGILL  4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS  7
#define SIGFPE  8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG  23
#define SIGWINCH 28
#define SIGBIT(s) (1ull << ((s) - 1))

enum proc_state {
	PROC_FREE = 0,
	PROC_EMBRYO, /* forked, its task not yet committed by the parent */
	PROC_LIVE,
	PROC_ZOMBIE, /* dead, status kept for the parent's wait */
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

struct proc {
	enum proc_state state;
	uint32_t gen;        /* part of the port key: a stale key finds no process */
	int pid, ppid;       /* ppid 0: started through the control port, or orphaned with no init */
	int pgid, sid;
	bool orphan0;        /* ppid 0 by reparenting: reaped at death, nobody waits */
	bool died_early;     /* embryo whose port closed before the commit */
	bool embryo_orphan;  /* embryo whose parent died before the commit */
	bool execd;          /* has exec'd since fork (setpgid by the parent: EACCES) */
	handle_t task;       /* MANAGE handle to its current task (0 while embryo) */
	handle_t port;       /* MANAGE-only handle to its process port (not a sender) */
	uint32_t uid, euid, suid, gid, egid, sgid;
	uint64_t rlim[PROC_RLIM_NLIMITS][2];
	uint64_t sig_ignored, sig_handled, sig_blocked, sig_pending;
	int32_t wstatus;     /* zombie: Linux wait status */
	bool stopped;        /* suspended by a stop signal (job control) */
	bool stopped_report, continued_report; /* changes not yet reported to wait */
	int stop_sig;        /* the signal that stopped it */
	bool want_intr;      /* a handled signal waits: interrupt it after this request */
	bool nocldstop;      /* its SIGCHLD has SA_NOCLDSTOP: no SIGCHLD for a child's stop/continue */
	uint64_t start_ns;
	char name[16];
	struct stage *stage; /* exec handles being staged, or NULL */
	/* A pending PROC_SIGWAIT call. */
	uint64_t sigwait_token, sigwait_mask, sigwait_saved;
	uint32_t sigwait_flags;
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
/* The process's port has no senders left: it is gone. */
void proc_gone(struct proc *p);
/* Ends p's task with signal sig and makes it a zombie now. */
void proc_terminate(struct proc *p, int sig);
void proc_free(struct proc *p);
int proc_count_uid(uint32_t uid);
void proc_set_name(struct proc *p, const char *path);
void stage_drop(struct stage *s);

/* pgrp.c */
int pgrp_setpgid(struct proc *caller, int pid, int pgid);
int pgrp_setsid(struct proc *caller);

/* fork.c */
int proc_fork(struct proc *parent, struct proc **child, handle_t *send);
int proc_fork_commit(struct proc *parent, int pid, handle_t task);

/* wait.c */
/* Tries to satisfy a wait by waiter ppid (0 = control); FERRY_REPLY_LATER queues it. */
int wait_start(int ppid, const struct proc_wait_req *req, uint64_t token, struct proc_wait_rep *rep);
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
	const char *path;     /* as the caller gave it */
	const char *const *argv;
	const char *const *envp;
	unsigned argc, envc;
	const struct proc *p; /* credentials for the auxv */
	const struct stage *stage;
	uint32_t debuglog;
	uint32_t umask;
	handle_t procport;    /* given to the new task as AT_FERRY_PROCMGR (copied) */
};
int load_find(const char *path, const void **data, size_t *size, uint32_t *mode, uint32_t *uid);
/* Builds a new task for args; started only by load_start.  */
int load_image(const struct load_args *a, handle_t *task, uintptr_t *entry, uintptr_t *sp);
int load_start(handle_t task, uintptr_t entry, uintptr_t sp);

/* signal.c */
int sig_send(struct proc *from, struct proc *to, int sig, bool check_perm);
int sig_kill(struct proc *from, int pid, int sig);
uint64_t sig_take(struct proc *p);
bool sig_defaults(struct proc *p);
void sig_wake_sigwait(struct proc *p);
void sig_stop(struct proc *p, int sig);
void sig_continue(struct proc *p);
void sig_flush_interrupts(void);
int sig_from_exit_code(int code, bool *core);

/* timer.c */
int timer_create_(struct proc *p, int32_t sig, int32_t *id);
int timer_set(struct proc *p, const struct proc_timer_req *req, struct proc_timer_rep *rep);
int timer_get(struct proc *p, int32_t id, struct proc_timer_rep *rep);
int timer_delete(struct proc *p, int32_t id);
void timer_drop(struct proc *p, bool keep_real);
void timer_fire(void);

/* pgrp.c (more) */
bool pgrp_exists(int pgid, int *sid, int *n);

/* cred.c */
void cred_init_rlimits(struct proc *p);
bool cred_privileged(const struct proc *p);

/* proc_msg.c: one handler per op (dispatch.c builds the table). */
#define PM_DECLARE_(OP, stem, num, req, rep, nh) int on_##stem(void *state, struct srv_call *c);
PROC_PROTO_MESSAGES(PM_DECLARE_)
#undef PM_DECLARE_
extern const struct srv_op proc_ops[];
extern const uint32_t proc_nops;
void procmgr_notify(void *state, const struct ferry_msg *m);

/* Debug log line for a refused request (hostile or buggy client). */
#define PM_REFUSE(fmt, ...) uprintf("procmgr: %s: " fmt "\n", __func__, ##__VA_ARGS__)

#endif
