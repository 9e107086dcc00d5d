/* SPDX-License-Identifier: MIT */
/*
 * Tasks: an address space, a handle table, a kernel-memory quota and a set
 * of threads.  A task ends when its last thread exits or it is killed; the
 * object stays until the last handle to it is closed, so its exit code can
 * be collected with task_wait.
 */
#ifndef KERNEL_CORE_TASK_H
#define KERNEL_CORE_TASK_H

#include <stdint.h>
#include <stdbool.h>
#include <lib/list.h>
#include <mm/quota.h>
#include <object/kobject.h>
#include <object/handle.h>
#include <core/thread.h>
#include <object/port.h>

struct vmspace;
struct port;

enum task_state {
	TASK_STATE_ALIVE,
	TASK_STATE_DEAD,
};

#define TASK_QUOTA_DEFAULT (64ll << 20) /* bytes of kernel memory a task may cause */

struct task {
	struct kobject obj;
	char name[32];
	enum task_state state;
	int exit_code;
	struct vmspace *vm;
	struct handle_table handles;
	struct quota quota;
	struct list threads;
	unsigned nthreads;
	struct list pending_calls; /* caller threads whose call this task received */
	struct waitq exit_waiters;
	struct port *exc_port;   /* exception messages go here (NULL: report and kill) */
	struct port *watch_port; /* FERRY_NOTIFY_TASK_EXIT goes to its queue (holds a ref) */
	struct notify_slot exit_slot;
	uintptr_t upcall_entry; /* user entry for interrupts (0: none) */
	bool suspended;         /* threads park on the way to user mode */
	struct waitq resume_waiters;
	uint8_t *iobitmap; /* NULL or the 8 KiB I/O permission bitmap (kmalloc_large) */
	uint64_t ticks_user, ticks_sys; /* scheduler ticks that found one of its threads running */
	uint64_t cpu_tsc_ended;         /* TSC cycles its ended threads ran */
	uint64_t upcall_onstack;        /* fault vectors whose frame goes on the upcall stack */
};

int task_create(const char *name, struct task *parent, struct task **out);
void task_exit(struct task *t, int code);
struct task *kernel_task(void);
void task_park_if_suspended(void);
/* TSC cycles all threads of t have run, ended ones included. */
uint64_t task_cpu(struct task *t);

#endif
