// SPDX-License-Identifier: MIT
/*
 * System call entry: the table (from include/ferry/syscalls.def), argument
 * decoding and the thin sys_<name> functions.  Each validates its
 * arguments, looks handles up with the rights it needs, and delegates to
 * the object code.  User memory is touched only through copy_from_user /
 * copy_to_user.  The transient arena is reset on every return to user.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/vmspace.h>
#include <object/irq.h>
#include <object/port.h>
#include <lib/klog.h>
#include "../arch/x86_64/cpu.h"

typedef long (*syscall_fn)(struct trap_frame *tf);

#define ARG0 tf->rdi
#define ARG1 tf->rsi
#define ARG2 tf->rdx
#define ARG3 tf->r10
#define ARG4 tf->r8
#define ARG5 tf->r9

static uint64_t
deadline_from(ferry_time_t timeout)
{
	if (timeout == FERRY_TIME_INFINITE)
		return UINT64_MAX;
	if (timeout == 0)
		return 0;
	uint64_t now = arch_time_ns();
	return now + timeout < now ? UINT64_MAX - 1 : now + timeout;
}

/* Undoes the creation of obj when its handle cannot be handed out. */
static void
discard_new(struct kobject *obj)
{
	if (obj->type == FERRY_OBJ_PORT)
		port_destroy((struct port *)obj); /* drop the queue's reference too */
	kobj_unref(obj);
}

/*
 * Installs obj (consuming the caller's reference) and writes the handle to
 * the user out-parameter.  The pointer is probed first so a bad one fails
 * with nothing installed; a full table fails with nothing leaked.
 */
static int
put_handle(uint64_t uaddr, struct kobject *obj, uint32_t rights)
{
	handle_t h = 0;
	int rc = copy_to_user(uptr(uaddr), &h, sizeof(h));
	if (rc == 0)
		rc = handle_install(current->task, obj, rights, &h);
	if (rc) {
		discard_new(obj);
		return rc;
	}
	copy_to_user(uptr(uaddr), &h, sizeof(h));
	return 0;
}

static int
get_task(handle_t h, uint32_t need, struct task **out)
{
	if (h == 0) {
		*out = current->task;
		return 0;
	}
	struct kobject *o;
	int rc = handle_lookup(current->task, h, FERRY_OBJ_TASK, need, &o, NULL);
	if (rc == 0)
		*out = (struct task *)o;
	return rc;
}

/* ---- basic ---- */

static long
sys_null(struct trap_frame *tf)
{
	(void)tf;
	return 0;
}

static long
sys_debug_write(struct trap_frame *tf)
{
	size_t len = ARG1;
	char buf[256];
	if (len > 65536)
		return -FERRY_EINVAL;
	for (size_t done = 0; done < len;) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		int rc = copy_from_user(buf, uptr(ARG0 + done), n);
		if (rc)
			return rc;
		arch_console_write(buf, n);
		done += n;
	}
	return (long)len;
}

static long
sys_task_exit(struct trap_frame *tf)
{
	task_exit(current->task, (int)ARG0);
	thread_exit_current();
}

static long
sys_thread_exit(struct trap_frame *tf)
{
	(void)tf;
	thread_exit_current();
}

static long
sys_handle_close(struct trap_frame *tf)
{
	return handle_close(current->task, (handle_t)ARG0);
}

static long
sys_handle_dup(struct trap_frame *tf)
{
	struct kobject *o;
	uint32_t have, want = (uint32_t)ARG1;
	int rc = handle_lookup(current->task, (handle_t)ARG0, FERRY_OBJ_NONE, FERRY_RIGHT_DUP, &o,
	                       &have);
	if (rc)
		return rc;
	if (want == FERRY_RIGHT_SAME)
		want = have;
	if (want & ~have)
		return -FERRY_EACCES;
	kobj_ref(o);
	return put_handle(ARG2, o, want);
}

static long
sys_handle_info(struct trap_frame *tf)
{
	struct kobject *o;
	uint32_t rights;
	int rc = handle_lookup(current->task, (handle_t)ARG0, FERRY_OBJ_NONE, 0, &o, &rights);
	if (rc)
		return rc;
	struct ferry_handle_info info = {
	        .type = o->type, .rights = rights, .koid = o->koid, .refs = o->refcount};
	return copy_to_user(uptr(ARG1), &info, sizeof(info));
}

/* ---- ports and messages ---- */

static long
sys_queue_create(struct trap_frame *tf)
{
	struct queue *q;
	int rc = queue_create(current->task, (uint32_t)ARG0, &q);
	if (rc)
		return rc;
	return put_handle(ARG1, &q->obj,
	                  FERRY_RIGHT_RECV | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER |
	                          FERRY_RIGHT_MANAGE);
}

static long
sys_port_create(struct trap_frame *tf)
{
	struct kobject *o;
	int rc = handle_lookup(current->task, (handle_t)ARG0, FERRY_OBJ_QUEUE, FERRY_RIGHT_RECV, &o,
	                       NULL);
	if (rc)
		return rc;
	struct port *p;
	if ((rc = port_create(current->task, (struct queue *)o, ARG1, &p)))
		return rc;
	return put_handle(ARG2, &p->obj,
	                  FERRY_RIGHT_SEND | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER |
	                          FERRY_RIGHT_MANAGE);
}

static long
sys_port_destroy(struct trap_frame *tf)
{
	struct kobject *o;
	int rc = handle_lookup(current->task, (handle_t)ARG0, FERRY_OBJ_PORT, FERRY_RIGHT_MANAGE,
	                       &o, NULL);
	if (rc)
		return rc;
	port_destroy((struct port *)o);
	return 0;
}

static int
msg_in(uint64_t uaddr, struct ferry_msg *m)
{
	int rc = copy_msg_from_user(m, uptr(uaddr));
	if (rc == -FERRY_EMSGSIZE)
		user_error("message len over %u", FERRY_MSG_INLINE_MAX);
	if (rc)
		return rc;
	if (m->nhandles > FERRY_MSG_HANDLES_MAX) {
		user_error("message len %u handles %u", m->len, m->nhandles);
		return -FERRY_EMSGSIZE;
	}
	return 0;
}

/* Copies the current thread's received message (header and used payload)
 * to user memory; bytes past len in the user buffer are left as they were. */
static int
copy_msg_out(uint64_t uaddr)
{
	const struct ferry_msg *m = &current->ipc_msg;
	return copy_to_user(uptr(uaddr), m, offsetof(struct ferry_msg, data) + m->len);
}

/*
 * Checks a message buffer is writable before a message is taken for it,
 * leaving its contents as they were (so bytes past the len of what
 * arrives keep them).
 */
static int
msg_probe(uint64_t uaddr)
{
	if (!user_range(uaddr, sizeof(struct ferry_msg)))
		return -FERRY_EFAULT;
	return (int)probe_msg_asm((struct ferry_msg *)uaddr);
}

static int
get_port(handle_t h, struct port **out)
{
	struct kobject *o;
	int rc = handle_lookup(current->task, h, FERRY_OBJ_PORT, FERRY_RIGHT_SEND, &o, NULL);
	if (rc == 0)
		*out = (struct port *)o;
	return rc;
}

static int
get_queue(handle_t h, struct queue **out)
{
	struct kobject *o;
	int rc = handle_lookup(current->task, h, FERRY_OBJ_QUEUE, FERRY_RIGHT_RECV, &o, NULL);
	if (rc == 0)
		*out = (struct queue *)o;
	return rc;
}

static long
sys_msg_send(struct trap_frame *tf)
{
	struct ferry_msg m;
	struct port *p;
	int rc;
	if ((rc = msg_in(ARG1, &m)) || (rc = get_port((handle_t)ARG0, &p)))
		return rc;
	if (ARG2 & ~(uint64_t)FERRY_IPC_NONBLOCK)
		return -FERRY_EINVAL;
	kobj_ref(&p->obj);
	rc = ipc_send(p, &m, (uint32_t)ARG2);
	kobj_unref(&p->obj);
	return rc;
}

long
sys_msg_call_slow(struct trap_frame *tf)
{
	struct ferry_msg m;
	struct port *p;
	int rc;
	if ((rc = msg_in(ARG1, &m)) || (rc = msg_probe(ARG1)) ||
	    (rc = get_port((handle_t)ARG0, &p)))
		return rc;
	kobj_ref(&p->obj);
	rc = ipc_call(p, &m, deadline_from(ARG2));
	kobj_unref(&p->obj);
	if (rc == 0)
		rc = copy_msg_out(ARG1);
	return rc;
}

static int
do_recv(handle_t qh, uint64_t uaddr, ferry_time_t timeout)
{
	struct queue *q;
	int rc;
	if ((rc = msg_probe(uaddr)) || (rc = get_queue(qh, &q)))
		return rc;
	kobj_ref(&q->obj);
	rc = ipc_recv(q, &current->ipc_msg, deadline_from(timeout));
	kobj_unref(&q->obj);
	if (rc == 0)
		rc = copy_msg_out(uaddr);
	return rc;
}

static long
sys_msg_recv(struct trap_frame *tf)
{
	return do_recv((handle_t)ARG0, ARG1, ARG2);
}

static long
sys_msg_reply(struct trap_frame *tf)
{
	struct ferry_msg m;
	struct thread *c;
	int rc;
	if ((rc = msg_in(ARG0, &m)) || (rc = ipc_reply(&m, &c)))
		return rc;
	thread_wake(c, 0);
	return 0;
}

int thread_block_handoff(struct waitq *wq, enum thread_block why, uint64_t deadline,
                         struct thread *t, int status);

/*
 * Reply to the call in *m (if m->token != 0), then receive into *m.  When
 * nothing is waiting on the queue the server blocks and switches straight
 * to the caller it just answered.  A failed reply (caller gone) does not
 * stop the receive; a malformed reply does.
 */
long
sys_msg_reply_recv_slow(struct trap_frame *tf)
{
	struct ferry_msg m;
	struct queue *q;
	struct thread *c = NULL;
	int rc;
	if ((rc = msg_in(ARG1, &m)) || (rc = msg_probe(ARG1)) ||
	    (rc = get_queue((handle_t)ARG0, &q)))
		return rc;
	if (m.token) {
		rc = ipc_reply(&m, &c);
		if (rc && rc != -FERRY_EPEER)
			return rc;
	}
	kobj_ref(&q->obj);
	if (c && q->count == 0 && list_empty(&q->notifs) && ARG2 != 0 && !current->ipc_has_msg) {
		/* Fast path: block in receive and run the caller right away. */
		rc = thread_block_handoff(&q->receivers, THREAD_BLOCK_RECV, deadline_from(ARG2), c,
		                          0);
		if (rc && !current->ipc_has_msg) {
			kobj_unref(&q->obj);
			return rc;
		}
	} else if (c) {
		thread_wake(c, 0);
	}
	rc = ipc_recv(q, &current->ipc_msg, deadline_from(ARG2));
	kobj_unref(&q->obj);
	if (rc == 0)
		rc = copy_msg_out(ARG1);
	return rc;
}

/* ---- time ---- */

static long
sys_clock_get(struct trap_frame *tf)
{
	uint64_t v;
	switch (ARG0) {
	case FERRY_CLOCK_MONOTONIC:
		v = arch_time_ns();
		break;
	case FERRY_CLOCK_REALTIME:
		v = arch_realtime_boot_ns() + arch_time_ns();
		break;
	case FERRY_CLOCK_TSC:
		v = arch_tsc();
		break;
	default:
		return -FERRY_EINVAL;
	}
	return copy_to_user(uptr(ARG1), &v, sizeof(v));
}

static long
sys_thread_sleep(struct trap_frame *tf)
{
	if (ARG0 == 0)
		return 0;
	int rc = thread_block(NULL, THREAD_BLOCK_SLEEP, deadline_from(ARG0));
	return rc == -FERRY_ETIMEDOUT ? 0 : rc;
}

static long
sys_thread_yield(struct trap_frame *tf)
{
	(void)tf;
	sched_yield();
	return 0;
}

/* TSC cycles to ns, without overflow for centuries of CPU time. */
static uint64_t
tsc_to_ns(uint64_t c)
{
	uint64_t hz = arch_tsc_hz();
	return (c / hz) * 1000000000ull + (c % hz) * 1000000000ull / hz;
}

static long
sys_kernel_info(struct trap_frame *tf)
{
	uint64_t v;
	switch (ARG0) {
	case FERRY_INFO_TSC_HZ:
		v = arch_tsc_hz();
		break;
	case FERRY_INFO_FREE_PAGES:
		v = pmm_free_pages();
		break;
	case FERRY_INFO_TASK_QUOTA:
		v = (uint64_t)(current->task->quota.limit - current->task->quota.used);
		break;
	case FERRY_INFO_PAGES_COPIED:
		v = vm_stats.pages_copied;
		break;
	case FERRY_INFO_PAGE_FAULTS:
		v = vm_stats.faults;
		break;
	case FERRY_INFO_TOTAL_PAGES:
		v = pmm_total_pages();
		break;
	case FERRY_INFO_TASK_USER_NS:
	case FERRY_INFO_TASK_SYS_NS: {
		struct task *t;
		int rc = get_task((handle_t)ARG2, 0, &t);
		if (rc)
			return rc;
		v = (ARG0 == FERRY_INFO_TASK_USER_NS ? t->ticks_user : t->ticks_sys) * TICK_NS;
		break;
	}
	case FERRY_INFO_IDLE_NS:
		v = sched_idle_ticks * TICK_NS;
		break;
	case FERRY_INFO_TASK_CPU_NS:
	case FERRY_INFO_THREAD_CPU_NS: {
		struct task *t;
		int rc = get_task((handle_t)ARG2, 0, &t);
		if (rc)
			return rc;
		if (ARG0 == FERRY_INFO_TASK_CPU_NS) {
			v = tsc_to_ns(task_cpu(t));
			break;
		}
		struct thread *th = ARG3 ? thread_by_slot((uint32_t)ARG3) : current;
		if (ARG3 > UINT32_MAX || !th || th->task != t || th->state == THREAD_STATE_DEAD)
			return -FERRY_ENOENT;
		v = tsc_to_ns(sched_thread_cpu(th));
		break;
	}
	default:
		return -FERRY_EINVAL;
	}
	return copy_to_user(uptr(ARG1), &v, sizeof(v));
}

/* ---- memory ---- */

static long
sys_memobj_create(struct trap_frame *tf)
{
	if (ARG1 != FERRY_MEMOBJ_ANON)
		return -FERRY_EINVAL;
	struct memobj *mo;
	int rc = memobj_create_anon(current->task, ARG0, &mo);
	if (rc)
		return rc;
	return put_handle(ARG2, &mo->obj,
	                  FERRY_RIGHT_MAP | FERRY_RIGHT_READ | FERRY_RIGHT_WRITE |
	                          FERRY_RIGHT_EXEC | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER |
	                          FERRY_RIGHT_MANAGE);
}

/* The creator's MANAGE right sets where mappings end (a file's size). */
static long
sys_memobj_set_end(struct trap_frame *tf)
{
	struct kobject *o;
	int rc = handle_lookup(current->task, (handle_t)ARG0, FERRY_OBJ_MEMOBJ, FERRY_RIGHT_MANAGE,
	                       &o, NULL);
	if (rc)
		return rc;
	return memobj_set_end((struct memobj *)o, ARG1);
}

static long
sys_vm_map(struct trap_frame *tf)
{
	struct task *t;
	struct kobject *o;
	uint32_t rights;
	struct ferry_map_req req;
	int rc;
	if ((rc = copy_from_user(&req, uptr(ARG3), sizeof(req))))
		return rc;
	if ((rc = get_task((handle_t)ARG0, FERRY_RIGHT_MANAGE, &t)))
		return rc;
	if ((rc = handle_lookup(current->task, (handle_t)ARG1, FERRY_OBJ_MEMOBJ, FERRY_RIGHT_MAP,
	                        &o, &rights)))
		return rc;
	if (!t->vm)
		return -FERRY_EPEER;
	uintptr_t addr;
	/* vm_map_rights checks prot against the handle's rights and caps vm_protect. */
	if ((rc = vm_map_rights(t->vm, (struct memobj *)o, ARG2, req.addr, req.len, req.prot,
	                        rights, &addr)))
		return rc;
	if (ARG4 && (rc = copy_to_user(uptr(ARG4), &addr, sizeof(addr)))) {
		(void)vm_unmap(t->vm, addr, req.len);
		return rc;
	}
	return 0;
}

static long
sys_vm_unmap(struct trap_frame *tf)
{
	struct task *t;
	int rc = get_task((handle_t)ARG0, FERRY_RIGHT_MANAGE, &t);
	if (rc)
		return rc;
	return t->vm ? vm_unmap(t->vm, ARG1, ARG2) : -FERRY_EPEER;
}

static long
sys_vm_protect(struct trap_frame *tf)
{
	struct task *t;
	int rc = get_task((handle_t)ARG0, FERRY_RIGHT_MANAGE, &t);
	if (rc)
		return rc;
	return t->vm ? vm_protect(t->vm, ARG1, ARG2, (uint32_t)ARG3) : -FERRY_EPEER;
}

static long
sys_vm_populate(struct trap_frame *tf)
{
	struct task *t;
	int rc = get_task((handle_t)ARG0, FERRY_RIGHT_MANAGE, &t);
	if (rc)
		return rc;
	if (ARG3 & ~(uint64_t)FERRY_VM_CHECK_ONLY)
		return -FERRY_EINVAL;
	return t->vm ? vm_populate_range(t->vm, ARG1, ARG2, !(ARG3 & FERRY_VM_CHECK_ONLY))
	             : -FERRY_EPEER;
}

/* ---- tasks and threads ---- */

static long
sys_task_create(struct trap_frame *tf)
{
	char name[32];
	int rc = copy_str_from_user(name, uptr(ARG0), ARG1, sizeof(name) - 1);
	if (rc < 0)
		return rc == -FERRY_ERANGE ? -FERRY_EINVAL : rc;
	struct task *t;
	if ((rc = task_create(name, current->task, &t)))
		return rc;
	return put_handle(ARG2, &t->obj,
	                  FERRY_RIGHT_MANAGE | FERRY_RIGHT_DUP | FERRY_RIGHT_TRANSFER);
}

static long
sys_thread_create(struct trap_frame *tf)
{
	struct task *t;
	int rc = get_task((handle_t)ARG0, FERRY_RIGHT_MANAGE, &t);
	if (rc)
		return rc;
	if (t->state == TASK_STATE_DEAD)
		return -FERRY_EPEER;
	if (ARG1 >= USER_TOP || ARG2 >= USER_TOP || ((ARG2 & 15) != 8 && (ARG2 & 15) != 0))
		return -FERRY_EINVAL;
	struct thread *th = thread_create(t, current->prio, t->name);
	if (!th)
		return -FERRY_EQUOTA;
	arch_thread_init_user(th, ARG1, ARG2, ARG3);
	kobj_ref(&th->obj); /* the handle's reference */
	if (ARG4 && (rc = put_handle(ARG4, &th->obj, FERRY_RIGHT_MANAGE | FERRY_RIGHT_DUP)))
	/* the thread did not start: the handle's ref was dropped; drop the self ref too */
	{
		kobj_unref(&th->obj);
		return rc;
	}
	if (!ARG4)
		kobj_unref(&th->obj);
	thread_start(th);
	return 0;
}

static long
sys_task_give(struct trap_frame *tf)
{
	struct task *t;
	struct kobject *o;
	uint32_t have, want = (uint32_t)ARG2;
	int rc;
	if ((rc = get_task((handle_t)ARG0, FERRY_RIGHT_MANAGE, &t)))
		return rc;
	if ((rc = handle_lookup(current->task, (handle_t)ARG1, FERRY_OBJ_NONE, FERRY_RIGHT_TRANSFER,
	                        &o, &have)))
		return rc;
	if (want == FERRY_RIGHT_SAME)
		want = have;
	if (want & ~have)
		return -FERRY_EACCES;
	if (t->state == TASK_STATE_DEAD)
		return -FERRY_EPEER;
	handle_t remote = 0;
	if ((rc = copy_to_user(uptr(ARG3), &remote, sizeof(remote))))
		return rc;
	kobj_ref(o);
	if ((rc = handle_install(t, o, want, &remote))) {
		kobj_unref(o);
		return rc;
	}
	copy_to_user(uptr(ARG3), &remote, sizeof(remote));
	return 0;
}

static long
sys_task_kill(struct trap_frame *tf)
{
	struct task *t;
	int rc = get_task((handle_t)ARG0, FERRY_RIGHT_MANAGE, &t);
	if (rc)
		return rc;
	task_exit(t, (int)ARG1);
	if (t == current->task)
		thread_exit_current();
	return 0;
}

static long
sys_task_wait(struct trap_frame *tf)
{
	struct task *t;
	int rc = get_task((handle_t)ARG0, 0, &t);
	if (rc)
		return rc;
	if (t == current->task)
		return -FERRY_EINVAL;
	kobj_ref(&t->obj);
	uint64_t deadline = deadline_from(ARG2);
	while (t->state != TASK_STATE_DEAD && rc == 0) {
		if (deadline == 0)
			rc = -FERRY_ETIMEDOUT;
		else
			rc = thread_block(&t->exit_waiters, THREAD_BLOCK_WAIT, deadline);
	}
	int code = t->exit_code;
	kobj_unref(&t->obj);
	if (rc)
		return rc;
	return ARG1 ? copy_to_user(uptr(ARG1), &code, sizeof(code)) : 0;
}

static long
sys_task_set_exc(struct trap_frame *tf)
{
	struct task *t;
	struct kobject *o = NULL;
	int rc = get_task((handle_t)ARG0, FERRY_RIGHT_MANAGE, &t);
	if (rc)
		return rc;
	if (ARG1 && (rc = handle_lookup(current->task, (handle_t)ARG1, FERRY_OBJ_PORT,
	                                FERRY_RIGHT_SEND, &o, NULL)))
		return rc;
	if (t->state == TASK_STATE_DEAD)
		return -FERRY_EPEER;
	if (t->exc_port)
		kobj_unref(&t->exc_port->obj);
	if (o)
		kobj_ref(o);
	t->exc_port = (struct port *)o;
	return 0;
}

static long
sys_thread_set_fs(struct trap_frame *tf)
{
	if (ARG0 >= USER_TOP)
		return -FERRY_EINVAL;
	current->fsbase = ARG0;
	arch_set_fsbase(ARG0);
	return 0;
}

long sys_task_clone(struct trap_frame *tf);       /* syscall.S: full frame, then ... */
long sys_task_clone_frame(struct trap_frame *tf); /* ... this, from syscall_dispatch */
long sys_msg_call(struct trap_frame *tf);
long sys_msg_reply_recv(struct trap_frame *tf);
long sys_upcall_set(struct trap_frame *tf);
long sys_upcall_stack(struct trap_frame *tf);
long sys_timer_set(struct trap_frame *tf);
long sys_task_watch(struct trap_frame *tf);
long sys_task_suspend(struct trap_frame *tf);
long sys_task_interrupt(struct trap_frame *tf);
long sys_upcall_return(struct trap_frame *tf); /* likewise */
long sys_upcall_return_frame(struct trap_frame *tf);
bool upcall_deliver(struct trap_frame *tf);
long sys_futex_wait(struct trap_frame *tf);
long sys_futex_wake(struct trap_frame *tf);
long sys_thread_clone(struct trap_frame *tf);
long sys_thread_set_tid_address(struct trap_frame *tf);
long sys_thread_tid(struct trap_frame *tf);
long sys_irq_bind(struct trap_frame *tf);
long sys_irq_ack(struct trap_frame *tf);
long sys_ioport_grant(struct trap_frame *tf);
long sys_memobj_phys(struct trap_frame *tf);

/* Indexed by syscall.S's fast path; every number below FERRY_SYS_COUNT has an entry. */
const syscall_fn syscall_table[FERRY_SYS_COUNT] = {
#define X(name, num, nargs) [num] = sys_##name,
#include <ferry/syscalls.def>
#undef X
};
_Static_assert(FERRY_SYS_COUNT == 49, "update SYS_COUNT in arch/x86_64/syscall.S");

/*
 * Work before returning to user mode, when cpu0.work says there may be
 * some: release the transient arena, reschedule, die, enter an upcall.
 * tf is complete (syscall.S filled in the callee-saved registers); rv is
 * the system call's result, stored into tf->rax.  Returns 1 when the frame
 * was rewritten (upcall) and the exit must restore it all (iret).
 */
int
syscall_exit_work(struct trap_frame *tf, long rv)
{
	tf->rax = (uint64_t)rv;
	while (cpu0.work) {
		cpu0.work = 0;
		arena_reset(&current->arena);
		if (need_resched)
			sched_yield();
		if (current->dying)
			thread_exit_current();
		if (current->task->suspended) {
			task_park_if_suspended();
			cpu0.work = 1; /* look again: resumed, killed or interrupted */
		}
	}
	return upcall_deliver(tf) ? 1 : 0;
}

/* The full-frame path (syscall.S sys_task_clone / sys_upcall_return). */
void
syscall_dispatch(struct trap_frame *tf)
{
	long rc = tf->rax == FERRY_SYS_task_clone ? sys_task_clone_frame(tf)
	                                          : sys_upcall_return_frame(tf);
	cpu0.work = 1; /* always run the exit work here: this path is rare */
	syscall_exit_work(tf, rc);
}
