/* SPDX-License-Identifier: MIT */
/*
 * System call numbers and user-space stubs, derived from syscalls.def.
 * ferry_sys_<name>(...) issues the call; the result is the kernel's status
 * (0 or a value, or a negative FERRY_E*).
 */
#ifndef FERRY_SYSCALL_H
#define FERRY_SYSCALL_H

#include <ferry/types.h>
#include <ferry/msg.h>
#include <ferry/errors.h>

enum ferry_sysno {
#define X(name, num, nargs) FERRY_SYS_##name = num,
#include <ferry/syscalls.def>
#undef X
	FERRY_SYS_COUNT
};

/* Clocks for clock_get. */
#define FERRY_CLOCK_MONOTONIC 0 /* ns since boot */
#define FERRY_CLOCK_REALTIME  1 /* ns since the epoch (from the RTC at boot) */
#define FERRY_CLOCK_TSC       2 /* raw time stamp counter */

/* memobj_create flags */
#define FERRY_MEMOBJ_ANON 0x0 /* demand-zero anonymous memory */

/* Protection and placement for vm_map / vm_protect. */
#define FERRY_PROT_READ   0x1
#define FERRY_PROT_WRITE  0x2
#define FERRY_PROT_EXEC   0x4
#define FERRY_MAP_FIXED   0x100 /* at exactly req->addr (replacing what is there) */
#define FERRY_MAP_PRIVATE 0x200 /* copy-on-write view of the object */

/*
 * Most areas (mappings) one address space may hold: Linux's default
 * vm.max_map_count.  A vm_map, or a vm_unmap / vm_protect that would split
 * an area, past it fails with FERRY_ENOMEM (docs/memory.md).
 */
#define FERRY_VM_MAX_AREAS 65530

struct ferry_map_req {
	uintptr_t addr; /* hint or fixed address; 0 = kernel's choice */
	uint64_t len;   /* bytes, multiple of the page size */
	uint32_t prot;  /* FERRY_PROT_* | FERRY_MAP_* */
	uint32_t pad;
};

struct ferry_handle_info {
	uint32_t type;   /* enum ferry_obj_type */
	uint32_t rights; /* FERRY_RIGHT_* */
	uint64_t koid;   /* kernel object id, unique for the boot */
	uint32_t refs;   /* references to the object: handles in every task,
	                  * mappings, messages in flight (a server holding one
	                  * handle and one mapping of a client's memory object
	                  * sees 2 once the client is gone) */
	uint32_t pad;
};

/* vm_populate flags: only check that the range is mapped. */
#define FERRY_VM_CHECK_ONLY 1u

/* The time slice of round-robin scheduling among threads of equal
 * priority (sched_rr_get_interval reports it). */
#define FERRY_SCHED_SLICE_NS 10000000ull

/* kernel_info selectors */
#define FERRY_INFO_TSC_HZ       0
#define FERRY_INFO_FREE_PAGES   1
#define FERRY_INFO_TASK_QUOTA   2 /* bytes of kernel memory left in the caller's quota */
#define FERRY_INFO_PAGES_COPIED 3 /* copy-on-write page copies since boot */
#define FERRY_INFO_PAGE_FAULTS  4 /* page faults resolved since boot */
#define FERRY_INFO_TOTAL_PAGES  5 /* physical pages the allocator manages (free or not) */
/* CPU time (ns, sampled at the 1 ms scheduler tick) of the task named by
 * kernel_info's third argument (a task handle; 0: the caller's own). */
#define FERRY_INFO_TASK_USER_NS 6 /* in user mode */
#define FERRY_INFO_TASK_SYS_NS  7 /* in the kernel, on its threads' behalf */
#define FERRY_INFO_IDLE_NS      8 /* the CPU idle, since boot */
/* Exact CPU time (ns; the TSC is charged to the thread at each switch),
 * user + kernel: of all the threads, live and ended, of the task named by
 * the third argument (0: the caller's); of thread tid (fourth argument; 0:
 * the caller) of that task (-FERRY_ENOENT: no such live thread). */
#define FERRY_INFO_TASK_CPU_NS   9
#define FERRY_INFO_THREAD_CPU_NS 10

/*
 * Interrupts (the kernel's primitive under POSIX signals, docs/signals.md).
 * task_interrupt ORs `bits` into the target thread's pending word (for a
 * task handle: its first live thread), breaks a blocking system call of
 * that thread with -FERRY_EINTR, and on its next return to user mode the
 * thread enters the task's upcall entry with rdi = a struct
 * ferry_upcall_frame built on its user stack (below a 128-byte red zone,
 * 64-byte aligned) holding the pending bits and the interrupted context.
 * A CPU exception of a thread of a task with an upcall entry enters it the
 * same way at once (FERRY_UPCALL_F_FAULT, with the vector, error code and
 * address), on the thread's upcall stack when it registered one
 * (upcall_stack) and the vector is in the task's onstack set (upcall_set).  upcall_return(frame) resumes that (possibly edited)
 * context; with FERRY_UPCALL_F_FATAL in the frame's flags it ends the task
 * as the fault would have without an upcall entry.
 */
struct ferry_upcall_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t rip, rflags, rsp;
};
struct ferry_upcall_frame {
	uint64_t bits;   /* pending bits delivered with this entry */
	uint64_t fsbase; /* the thread's FS base (restored by upcall_return) */
	struct ferry_upcall_regs regs;
	uint32_t flags;        /* FERRY_UPCALL_F_* */
	uint32_t fault_vector; /* with FERRY_UPCALL_F_FAULT: the exception vector */
	uint64_t fault_error;  /* its error code (page fault: FERRY_PF_*), else 0 */
	uint64_t fault_addr;   /* page fault: the address (cr2); others: the faulting rip */
	uint64_t pad;
	uint8_t fpu[512]; /* fxsave image, 64-byte aligned within the frame */
};
#define FERRY_UPCALL_F_FAULT   0x1 /* entered for a CPU exception of this thread */
#define FERRY_UPCALL_F_ONSTACK 0x2 /* the frame is on the thread's upcall stack */
#define FERRY_UPCALL_F_FATAL   0x4 /* upcall_return: end the task with -(128 + fault_vector) */
#define FERRY_UPCALL_F_MAPPED  0x8 /* page fault: the address is mapped, the access refused */
/*
 * Not a CPU vector: a page fault at a page of a memory object at or past
 * the end its owner set (memobj_set_end; a file mapping past the end of
 * the file), reported in its place (fault_addr, fault_error as for 14).
 * Linux's SIGBUS; a task ended by it has the status -(128 + 32).
 */
#define FERRY_FAULT_PAST_END 32
/* Page-fault error code bits (fault_error of vector 14). */
#define FERRY_PF_PRESENT 0x01 /* the page was mapped: a protection violation */
#define FERRY_PF_WRITE   0x02
#define FERRY_PF_USER    0x04
#define FERRY_PF_INSTR   0x10 /* an instruction fetch */
/* upcall_stack's smallest size: one frame, its return address and 1 KiB. */
#define FERRY_UPCALL_STACK_MIN 2048
_Static_assert(sizeof(struct ferry_upcall_frame) % 64 == 0, "upcall frame keeps 64-byte alignment");
#define FERRY_INTERRUPT_THREAD 0x1 /* task_interrupt flag: the handle names a thread */
#define FERRY_INTERRUPT_TID                                                                        \
	0x2 /* task_interrupt flag: the handle names a task, the 4th
                                    * argument the id of one of its threads (thread_tid) */

/* task_clone returns this in the child. */
#define FERRY_CLONE_CHILD 1

#ifndef __KERNEL__
static inline long
ferry_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

#define FERRY_SC(n, a, b, c, d, e, f)                                                              \
	ferry_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static inline long
ferry_sys_null(void)
{
	return FERRY_SC(FERRY_SYS_null, 0, 0, 0, 0, 0, 0);
}
static inline long
ferry_sys_debug_write(const char *b, size_t n)
{
	return FERRY_SC(FERRY_SYS_debug_write, b, n, 0, 0, 0, 0);
}
static inline __attribute__((noreturn)) void
ferry_sys_task_exit(int code)
{
	FERRY_SC(FERRY_SYS_task_exit, code, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
static inline __attribute__((noreturn)) void
ferry_sys_thread_exit(void)
{
	FERRY_SC(FERRY_SYS_thread_exit, 0, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
static inline long
ferry_sys_handle_close(handle_t h)
{
	return FERRY_SC(FERRY_SYS_handle_close, h, 0, 0, 0, 0, 0);
}
static inline long
ferry_sys_handle_dup(handle_t h, uint32_t rights, handle_t *out)
{
	return FERRY_SC(FERRY_SYS_handle_dup, h, rights, out, 0, 0, 0);
}
static inline long
ferry_sys_handle_info(handle_t h, struct ferry_handle_info *out)
{
	return FERRY_SC(FERRY_SYS_handle_info, h, out, 0, 0, 0, 0);
}
static inline long
ferry_sys_queue_create(uint32_t cap, handle_t *out)
{
	return FERRY_SC(FERRY_SYS_queue_create, cap, out, 0, 0, 0, 0);
}
static inline long
ferry_sys_port_create(handle_t q, port_key_t key, handle_t *out)
{
	return FERRY_SC(FERRY_SYS_port_create, q, key, out, 0, 0, 0);
}
static inline long
ferry_sys_port_destroy(handle_t p)
{
	return FERRY_SC(FERRY_SYS_port_destroy, p, 0, 0, 0, 0, 0);
}
static inline long
ferry_sys_msg_send(handle_t p, const struct ferry_msg *m, uint32_t flags)
{
	return FERRY_SC(FERRY_SYS_msg_send, p, m, flags, 0, 0, 0);
}
static inline long
ferry_sys_msg_recv(handle_t q, struct ferry_msg *m, ferry_time_t t)
{
	return FERRY_SC(FERRY_SYS_msg_recv, q, m, t, 0, 0, 0);
}
static inline long
ferry_sys_msg_call(handle_t p, struct ferry_msg *m, ferry_time_t t)
{
	return FERRY_SC(FERRY_SYS_msg_call, p, m, t, 0, 0, 0);
}
static inline long
ferry_sys_msg_reply(const struct ferry_msg *m)
{
	return FERRY_SC(FERRY_SYS_msg_reply, m, 0, 0, 0, 0, 0);
}
static inline long
ferry_sys_msg_reply_recv(handle_t q, struct ferry_msg *m, ferry_time_t t)
{
	return FERRY_SC(FERRY_SYS_msg_reply_recv, q, m, t, 0, 0, 0);
}
static inline long
ferry_sys_clock_get(uint32_t clk, uint64_t *ns)
{
	return FERRY_SC(FERRY_SYS_clock_get, clk, ns, 0, 0, 0, 0);
}
static inline long
ferry_sys_thread_sleep(ferry_time_t ns)
{
	return FERRY_SC(FERRY_SYS_thread_sleep, ns, 0, 0, 0, 0, 0);
}
static inline long
ferry_sys_memobj_create(uint64_t size, uint32_t flags, handle_t *out)
{
	return FERRY_SC(FERRY_SYS_memobj_create, size, flags, out, 0, 0, 0);
}
static inline long
ferry_sys_memobj_set_end(handle_t mo, uint64_t end)
{
	return FERRY_SC(FERRY_SYS_memobj_set_end, mo, end, 0, 0, 0, 0);
}
static inline long
ferry_sys_vm_map(handle_t task, handle_t mo, uint64_t off, const struct ferry_map_req *req,
                 uintptr_t *out)
{
	return FERRY_SC(FERRY_SYS_vm_map, task, mo, off, req, out, 0);
}
static inline long
ferry_sys_vm_unmap(handle_t task, uintptr_t addr, size_t len)
{
	return FERRY_SC(FERRY_SYS_vm_unmap, task, addr, len, 0, 0, 0);
}
static inline long
ferry_sys_vm_protect(handle_t task, uintptr_t addr, size_t len, uint32_t prot)
{
	return FERRY_SC(FERRY_SYS_vm_protect, task, addr, len, prot, 0, 0);
}
static inline long
ferry_sys_vm_populate(handle_t task, uintptr_t addr, size_t len, uint32_t flags)
{
	return FERRY_SC(FERRY_SYS_vm_populate, task, addr, len, flags, 0, 0);
}
static inline long
ferry_sys_task_create(const char *name, size_t len, handle_t *out)
{
	return FERRY_SC(FERRY_SYS_task_create, name, len, out, 0, 0, 0);
}
static inline long
ferry_sys_thread_create(handle_t task, uintptr_t entry, uintptr_t stack, uint64_t arg,
                        handle_t *out)
{
	return FERRY_SC(FERRY_SYS_thread_create, task, entry, stack, arg, out, 0);
}
static inline long
ferry_sys_task_give(handle_t task, handle_t h, uint32_t rights, handle_t *remote)
{
	return FERRY_SC(FERRY_SYS_task_give, task, h, rights, remote, 0, 0);
}
static inline long
ferry_sys_task_kill(handle_t task, int code)
{
	return FERRY_SC(FERRY_SYS_task_kill, task, code, 0, 0, 0, 0);
}
static inline long
ferry_sys_task_clone(uint32_t flags, handle_t *child)
{
	return FERRY_SC(FERRY_SYS_task_clone, flags, child, 0, 0, 0, 0);
}
static inline long
ferry_sys_thread_set_fs(uintptr_t base)
{
	return FERRY_SC(FERRY_SYS_thread_set_fs, base, 0, 0, 0, 0, 0);
}
static inline long
ferry_sys_irq_bind(handle_t cap, uint32_t line, handle_t q, port_key_t key)
{
	return FERRY_SC(FERRY_SYS_irq_bind, cap, line, q, key, 0, 0);
}
static inline long
ferry_sys_irq_ack(handle_t cap, uint32_t line)
{
	return FERRY_SC(FERRY_SYS_irq_ack, cap, line, 0, 0, 0, 0);
}
static inline long
ferry_sys_ioport_grant(handle_t cap, handle_t task, uint16_t base, uint16_t n)
{
	return FERRY_SC(FERRY_SYS_ioport_grant, cap, task, base, n, 0, 0);
}
static inline long
ferry_sys_futex_wait(uint32_t *a, uint32_t v, ferry_time_t t)
{
	return FERRY_SC(FERRY_SYS_futex_wait, a, v, t, 0, 0, 0);
}
static inline long
ferry_sys_futex_wake(uint32_t *a, uint32_t n)
{
	return FERRY_SC(FERRY_SYS_futex_wake, a, n, 0, 0, 0, 0);
}
static inline long
ferry_sys_task_set_exc(handle_t task, handle_t port)
{
	return FERRY_SC(FERRY_SYS_task_set_exc, task, port, 0, 0, 0, 0);
}
static inline long
ferry_sys_memobj_phys(handle_t cap, uint64_t pa, uint64_t size, handle_t *out)
{
	return FERRY_SC(FERRY_SYS_memobj_phys, cap, pa, size, out, 0, 0);
}
static inline long
ferry_sys_thread_yield(void)
{
	return FERRY_SC(FERRY_SYS_thread_yield, 0, 0, 0, 0, 0, 0);
}
static inline long
ferry_sys_task_wait(handle_t task, int *code, ferry_time_t t)
{
	return FERRY_SC(FERRY_SYS_task_wait, task, code, t, 0, 0, 0);
}
static inline long
ferry_sys_kernel_info(uint32_t what, uint64_t *out)
{
	return FERRY_SC(FERRY_SYS_kernel_info, what, out, 0, 0, 0, 0);
}
/* kernel_info about the task task (FERRY_INFO_TASK_*_NS). */
static inline long
ferry_sys_kernel_info_task(uint32_t what, handle_t task, uint64_t *out)
{
	return FERRY_SC(FERRY_SYS_kernel_info, what, out, task, 0, 0, 0);
}
/* kernel_info about thread tid of task task (FERRY_INFO_THREAD_CPU_NS). */
static inline long
ferry_sys_kernel_info_thread(uint32_t what, handle_t task, uint32_t tid, uint64_t *out)
{
	return FERRY_SC(FERRY_SYS_kernel_info, what, out, task, tid, 0, 0);
}
/* Arms the queue's timer: FERRY_NOTIFY_TIMER (with key) at deadline (absolute
 * FERRY_CLOCK_MONOTONIC ns), then every period ns (0: once); deadline 0 disarms. */
static inline long
ferry_sys_timer_set(handle_t q, port_key_t key, ferry_time_t deadline, ferry_time_t period)
{
	return FERRY_SC(FERRY_SYS_timer_set, q, key, deadline, period, 0, 0);
}
/* Asks for FERRY_NOTIFY_TASK_EXIT (with key) on port's queue when task ends
 * (MANAGE on task, SEND on port; one watcher per task, port 0 cancels). */
static inline long
ferry_sys_task_watch(handle_t task, handle_t port, port_key_t key)
{
	return FERRY_SC(FERRY_SYS_task_watch, task, port, key, 0, 0, 0);
}
/* Stops (stop = 1) or resumes (0) every thread of task (MANAGE): job control. */
static inline long
ferry_sys_task_suspend(handle_t task, uint32_t stop)
{
	return FERRY_SC(FERRY_SYS_task_suspend, task, stop, 0, 0, 0, 0);
}
static inline long
ferry_sys_upcall_set(uintptr_t entry)
{
	return FERRY_SC(FERRY_SYS_upcall_set, entry, 0, 0, 0, 0, 0);
}
/* The same, with the fault vectors (bit n: vector n) whose frame goes on
 * the faulting thread's upcall stack. */
static inline long
ferry_sys_upcall_set_onstack(uintptr_t entry, uint64_t onstack)
{
	return FERRY_SC(FERRY_SYS_upcall_set, entry, onstack, 0, 0, 0, 0);
}
static inline long
ferry_sys_task_interrupt(handle_t h, uint64_t bits, uint32_t flags)
{
	return FERRY_SC(FERRY_SYS_task_interrupt, h, bits, flags, 0, 0, 0);
}
/* task_interrupt of thread tid of task h (FERRY_INTERRUPT_TID). */
static inline long
ferry_sys_task_interrupt_tid(handle_t h, uint64_t bits, uint32_t tid)
{
	return FERRY_SC(FERRY_SYS_task_interrupt, h, bits, FERRY_INTERRUPT_TID, tid, 0, 0);
}
static inline long
ferry_sys_upcall_stack(uintptr_t base, size_t size)
{
	return FERRY_SC(FERRY_SYS_upcall_stack, base, size, 0, 0, 0, 0);
}
static inline __attribute__((noreturn)) void
ferry_sys_upcall_return(const void *frame)
{
	FERRY_SC(FERRY_SYS_upcall_return, frame, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
static inline long
ferry_sys_thread_clone(uintptr_t entry, uintptr_t stack, uint64_t arg, uintptr_t fsbase,
                       uint32_t *ptid, uint32_t *ctid)
{
	return FERRY_SC(FERRY_SYS_thread_clone, entry, stack, arg, fsbase, ptid, ctid);
}
static inline long
ferry_sys_thread_set_tid_address(uint32_t *ctid)
{
	return FERRY_SC(FERRY_SYS_thread_set_tid_address, ctid, 0, 0, 0, 0, 0);
}
static inline long
ferry_sys_thread_tid(uint32_t tid)
{
	return FERRY_SC(FERRY_SYS_thread_tid, tid, 0, 0, 0, 0, 0);
}
#endif /* !__KERNEL__ */

#endif
