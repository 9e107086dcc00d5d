/* SPDX-License-Identifier: MIT */
/*
 * Threads: the unit of scheduling.  A thread belongs to one task, owns a
 * kernel stack block whose bottom hosts its transient arena, and carries
 * the state of the one blocking operation it may be in.
 *
 * All fields are guarded by the big kernel rule: one CPU, interrupts off
 * while in the kernel, so no locks.
 */
#ifndef KERNEL_CORE_THREAD_H
#define KERNEL_CORE_THREAD_H

#include <stdint.h>
#include <stdbool.h>
#include <ferry/msg.h>
#include <ferry/syscall.h>
#include <lib/list.h>
#include <arch.h>
#include <mm/arena.h>
#include <object/kobject.h>

enum thread_state {
	THREAD_STATE_NEW,
	THREAD_STATE_READY,
	THREAD_STATE_RUNNING,
	THREAD_STATE_BLOCKED,
	THREAD_STATE_DEAD,
};

enum thread_block {
	THREAD_BLOCK_NONE,
	THREAD_BLOCK_RECV, /* in msg_recv on a queue */
	THREAD_BLOCK_SEND, /* queue full */
	THREAD_BLOCK_CALL, /* waiting for a reply */
	THREAD_BLOCK_SLEEP,
	THREAD_BLOCK_FUTEX,
	THREAD_BLOCK_WAIT, /* task_wait */
};

#define THREAD_PRIO_MAX     31
#define THREAD_PRIO_DEFAULT 16
#define THREAD_PRIO_IDLE    0
#define KSTACK_PAGES        4
#define SCHED_SLICE_TICKS   (FERRY_SCHED_SLICE_NS / TICK_NS) /* time slice, in ticks */

struct waitq {
	struct list threads;
};

struct kmsg; /* object/queue.h */

struct thread {
	struct kobject obj;
	struct task *task;
	struct list task_link; /* task->threads */
	struct list run_link;  /* run queue, or the waitq it is blocked on */
	enum thread_state state;
	int prio;
	bool dying;    /* exit at the next return to user mode */
	uint32_t slot; /* index in the global thread table (reply tokens) */
	char name[16];

	uint64_t ksp; /* saved kernel stack pointer (arch_switch) */
	uintptr_t kstack_top;
	struct arena arena; /* transient arena in the bottom of the stack block */
	uint64_t fsbase;
	uint64_t slice_end; /* tick at which the time slice ends */
	/* fxsave area of the user context */
	uint8_t fpu[512] __attribute__((aligned(16)));

	/* Blocking. */
	enum thread_block block;
	struct waitq *waitq;
	uint64_t deadline;    /* ns; UINT64_MAX = none */
	uint32_t timeout_pos; /* 1 + index in the timeout heap; 0: not armed (core/timeout.c) */
	uint64_t timeout_seq; /* arming order, for equal deadlines */
	int wake_status;
	const void
	        *futex_space; /* THREAD_BLOCK_FUTEX: key (futex_space, futex_key), object/futex.c */

	/* IPC: the message being delivered to this thread while it sleeps. */
	struct ferry_msg ipc_msg; /* staged message (handles as kernel refs in ipc_objs) */
	struct kobject *ipc_objs[FERRY_MSG_HANDLES_MAX];
	uint32_t ipc_rights[FERRY_MSG_HANDLES_MAX];
	bool ipc_has_msg;         /* ipc_msg holds a delivered message */
	uint64_t call_token;      /* nonzero while in a call */
	struct task *call_server; /* task that received our call, if any */
	struct list call_link;    /* call_server->pending_calls */
	struct kmsg *call_kmsg;   /* our call, still queued (not yet received) */
	uint64_t futex_key;       /* offset half of the futex key */
	uintptr_t clear_tid;      /* user u32 zeroed and futex-woken at exit (0: none) */
	uint64_t upcall_pending;  /* interrupt bits not yet delivered (core/upcall.c) */
	uint64_t cpu_tsc;         /* TSC cycles it ran, up to its last charge (sched_charge) */
	uintptr_t upcall_stack;   /* base of the stack fault upcalls use (upcall_stack) */
	size_t upcall_stack_size; /* its size; 0: none, frames go on the faulting stack */
};

extern struct thread *current;

struct thread *thread_create(struct task *task, int prio, const char *name);
void thread_start(struct thread *t);
__attribute__((noreturn)) void thread_exit_current(void);
void thread_kill(struct thread *t);
void thread_discard_unstarted(struct thread *t);
#define THREAD_SLOTS 4096
extern struct thread *thread_slots[THREAD_SLOTS]; /* by slot; 0 is never used */
/* The live thread with this slot (reply tokens name their caller so), or NULL. */
static inline struct thread *
thread_by_slot(uint32_t slot)
{
	return slot < THREAD_SLOTS ? thread_slots[slot] : NULL;
}

/* Blocks the current thread on wq (may be NULL) until woken or deadline
 * (absolute ns, UINT64_MAX for none).  Returns the wake status, or
 * -FERRY_ETIMEDOUT. */
int thread_block(struct waitq *wq, enum thread_block why, uint64_t deadline);
/* Wakes a blocked thread with status; it becomes ready. */
void thread_wake(struct thread *t, int status);
/* Wakes t and switches to it immediately (IPC handoff); the current thread
 * must already be blocked or ready. */
void thread_wake_switch(struct thread *t, int status);
/* The first thread blocked on wq, or NULL. */
static inline struct thread *
waitq_first(struct waitq *wq)
{
	if (list_empty(&wq->threads))
		return NULL;
	return container_of(wq->threads.next, struct thread, run_link);
}
static inline void
waitq_init(struct waitq *wq)
{
	list_init(&wq->threads);
}
void waitq_wake_all(struct waitq *wq, int status);

/* Transient arena of the current thread. */
void *tarena_alloc(size_t size);

/* Scheduler. */
void sched_init(void);
void sched_ready(struct thread *t);
void schedule(void); /* current is not runnable (blocked/dead) or yields */
void sched_yield(void);
void sched_tick(void);
/* Charges the tick to the running thread's task (user or kernel mode) or to idle. */
void sched_account_tick(bool user);
extern uint64_t sched_idle_ticks;
void sched_switch_to(struct thread *t);
void sched_reap_prev(void);
extern struct thread *sched_prev_dead;
/* Runs on the new thread right after every switch (also for new threads). */
static inline void
sched_after_switch(void)
{
	if (sched_prev_dead)
		sched_reap_prev();
}
/*
 * CPU time: the running thread's time since the last charge is not yet in
 * its cpu_tsc.  Every switch and every 1 ms tick charges it, so no charge
 * spans more than a tick, far below 2^32 TSC cycles: the low 32 bits of
 * the TSC are enough, which keeps the switch's share to five instructions.
 */
extern uint32_t sched_switch_tsc;
/* Charges the time since the last charge to t, the running thread (which
 * may be leaving the CPU). */
static inline void
sched_charge(struct thread *t)
{
	uint32_t now = arch_tsc_low();
	t->cpu_tsc += (uint32_t)(now - sched_switch_tsc);
	sched_switch_tsc = now;
}
/* TSC cycles t has run so far (the running thread's included). */
uint64_t sched_thread_cpu(const struct thread *t);
void timeouts_run(uint64_t now);
/* Timeouts of blocked threads (core/timeout.c): arm at t->deadline, cancel, earliest. */
void timeout_arm(struct thread *t);
void timeout_cancel(struct thread *t);
struct thread *timeout_first(void);
static inline bool
timeout_armed(const struct thread *t)
{
	return t->timeout_pos != 0;
}
extern uint64_t sched_tick_count;
static inline uint64_t
sched_ticks(void)
{
	return sched_tick_count;
}
extern bool need_resched;

#endif
