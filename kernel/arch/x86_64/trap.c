// SPDX-License-Identifier: MIT
/*
 * Trap dispatch: CPU exceptions, hardware interrupts, and the report of a
 * fault.  A fault in user mode that the address space cannot resolve goes
 * to the task's upcall entry (libposix makes it a signal), or, in a task
 * without one, is reported on the log and the task is ended (when the
 * task has an exception port, an exception message goes there first).  A fault in the
 * kernel is a panic with a register dump and symbolized backtrace, except
 * inside the user-copy routine, which fails with -FERRY_EFAULT instead.
 */
#include <stddef.h>
#include <stdint.h>
#include <arch.h>
#include <ferry/errors.h>
#include <core/task.h>
#include <core/thread.h>
#include <mm/vmspace.h>
#include <object/port.h>
#include <lib/klog.h>
#include "cpu.h"

static const char *const exc_names[32] = {
        "divide error",
        "debug",
        "NMI",
        "breakpoint",
        "overflow",
        "bound range",
        "invalid opcode",
        "device not available",
        "double fault",
        "coprocessor overrun",
        "invalid TSS",
        "segment not present",
        "stack fault",
        "general protection",
        "page fault",
        "reserved",
        "x87 FP error",
        "alignment check",
        "machine check",
        "SIMD FP error",
        "virtualization",
        "control protection",
};

/* copy_msg_in_asm (switch.S) knows the message layout. */
_Static_assert(offsetof(struct ferry_msg, len) == 4 && sizeof(((struct ferry_msg *)0)->len) == 2,
               "switch.S reads len as a 16-bit field at offset 4");
_Static_assert(offsetof(struct ferry_msg, data) == 40 && FERRY_MSG_INLINE_MAX == 88 &&
                       FERRY_MSG_INLINE_MAX % 8 == 0,
               "switch.S: header size and inline maximum");
_Static_assert(FERRY_EMSGSIZE == 90 && FERRY_EFAULT == 14, "switch.S error values");

extern char copy_user_fault_ip[], copy_user_fault_ip2[], copy_user_fault_ip3[],
        copy_user_fault_ip4[], copy_user_fault_ip5[], copy_user_fault_ip6[], copy_user_fault_ip7[],
        copy_user_fault_ip8[], copy_user_fault_ip9[], copy_user_fault_ip10[], copy_user_fixup[];

/* The instructions of switch.S that touch user memory for the kernel; a
 * fault on one of them returns -FERRY_EFAULT through copy_user_fixup. */
static const char *const user_access_ips[] = {
        copy_user_fault_ip,  copy_user_fault_ip2,  copy_user_fault_ip3, copy_user_fault_ip4,
        copy_user_fault_ip5, copy_user_fault_ip6,  copy_user_fault_ip7, copy_user_fault_ip8,
        copy_user_fault_ip9, copy_user_fault_ip10,
};

static bool
in_user_copy(uint64_t rip)
{
	for (unsigned i = 0; i < sizeof(user_access_ips) / sizeof(user_access_ips[0]); i++)
		if (rip == (uint64_t)user_access_ips[i])
			return true;
	return false;
}

static void
dump_frame(const struct trap_frame *tf)
{
	kprintf("  rip %016lx  cs %04lx  rflags %016lx\n", tf->rip, tf->cs, tf->rflags);
	kprintf("  rsp %016lx  ss %04lx  error %016lx  cr2 %016lx\n", tf->rsp, tf->ss, tf->error,
	        read_cr2());
	kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", tf->rax, tf->rbx, tf->rcx,
	        tf->rdx);
	kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", tf->rsi, tf->rdi, tf->rbp,
	        tf->r8);
	kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", tf->r9, tf->r10, tf->r11,
	        tf->r12);
	kprintf("  r13 %016lx  r14 %016lx  r15 %016lx\n", tf->r13, tf->r14, tf->r15);
}

static const char *
exc_name(uint64_t v)
{
	if (v == FERRY_FAULT_PAST_END)
		return "access past the end of a mapped object";
	return v < 32 && exc_names[v] ? exc_names[v] : "exception";
}

__attribute__((noreturn)) static void
kernel_exception(struct trap_frame *tf)
{
	kprintf("\nKERNEL EXCEPTION %lu (%s) in thread %s of task %s\n", tf->vector,
	        exc_name(tf->vector), current ? current->name : "?",
	        current ? current->task->name : "?");
	dump_frame(tf);
	kbacktrace(tf->rbp, tf->rip);
	arch_poweroff(1);
}

void ipc_post_exception(struct task *t, const struct ferry_exception_info *info);
bool upcall_deliver(struct trap_frame *tf);
bool upcall_fault(struct trap_frame *tf, uint64_t vector, uint64_t addr, bool mapped);

/* Ends the current task for a fault (status -(128 + vector)), telling its
 * exception port; why is for the log ("killed", "not handled"), tf (or
 * NULL) the registers to dump there. */
void
user_fault_exit(const struct ferry_exception_info *info, const char *why,
                const struct trap_frame *tf)
{
	struct task *t = current->task;
	kprintf("ferry: task %s thread %s: %s at rip %016lx (addr %016lx, error %#lx): %s\n",
	        t->name, current->name, exc_name(info->vector), info->rip, info->fault_addr,
	        info->error_code, why);
	if (tf)
		dump_frame(tf);
	ipc_post_exception(t, info);
	task_exit(t, -(int)(128 + info->vector));
	thread_exit_current();
}

/*
 * A fault of user code: the thread enters its task's upcall entry with the
 * fault (core/upcall.c), or, when that cannot be, the task ends.
 */
static void
user_exception(struct trap_frame *tf, uint64_t vector, uint64_t addr, bool mapped)
{
	if (upcall_fault(tf, vector, addr, mapped))
		return;
	struct ferry_exception_info info = {
	        .vector = vector,
	        .error_code = tf->error,
	        .rip = tf->rip,
	        .fault_addr = addr,
	        .rsp = tf->rsp,
	};
	user_fault_exit(&info, "killed", tf);
}

static void
page_fault(struct trap_frame *tf)
{
	uint64_t addr = read_cr2();
	bool from_user = (tf->cs & 3) == 3;
	unsigned access = ((tf->error & 2) ? VM_ACCESS_WRITE : VM_ACCESS_READ) |
	                  ((tf->error & 16) ? VM_ACCESS_EXEC : 0);
	/* Demand paging and copy-on-write, for user accesses and for the
	 * kernel's copies on behalf of user space.  mapped: the address is
	 * in a mapping that refused the access (SEGV_ACCERR, not MAPERR); a
	 * page past the end of its object is FERRY_FAULT_PAST_END (SIGBUS). */
	bool mapped = false;
	uint64_t vector = tf->vector;
	if (addr < USER_TOP && current && current->task->vm &&
	    (from_user || in_user_copy(tf->rip))) {
		int rc = vm_fault(current->task->vm, addr, access);
		if (rc == 0)
			return;
		mapped = rc != -FERRY_EFAULT;
		if (rc == -FERRY_ERANGE)
			vector = FERRY_FAULT_PAST_END;
	}
	if (!from_user && in_user_copy(tf->rip)) {
		tf->rip = (uint64_t)copy_user_fixup;
		return;
	}
	if (from_user)
		user_exception(tf, vector, addr, mapped);
	else
		kernel_exception(tf);
}

void
trap_dispatch(struct trap_frame *tf)
{
	bool from_user = (tf->cs & 3) == 3;
	if (tf->vector == 14) {
		page_fault(tf);
	} else if (tf->vector < 32) {
		if (from_user)
			user_exception(tf, tf->vector, 0, false);
		else
			kernel_exception(tf);
	} else if (tf->vector < 48) {
		unsigned line = (unsigned)tf->vector - 32;
		if (line == 0) {
			pic_eoi(0);
			sched_account_tick(from_user);
			sched_tick();
		} else {
			irq_dispatch(line);
		}
	}
	/* vector 255: spurious, nothing to do */

	if (from_user || current->prio == THREAD_PRIO_IDLE) {
		if (need_resched && current->state == THREAD_STATE_RUNNING)
			sched_yield();
		if (from_user && current->task->suspended)
			task_park_if_suspended();
		if (from_user && current->dying)
			thread_exit_current();
		if (from_user && current->upcall_pending)
			upcall_deliver(tf);
	}
}

/* ---- symbols (from the kernel.sym boot module: "addr type name" lines) ---- */

static const char *sym_text;
static size_t sym_len;

void
symbols_init(const char *text, size_t len)
{
	sym_text = text;
	sym_len = len;
}

static uint64_t
parse_hex(const char **p, const char *end)
{
	uint64_t v = 0;
	for (; *p < end; (*p)++) {
		char c = **p;
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			break;
		v = v << 4 | d;
	}
	return v;
}

const char *
arch_symbolize(uintptr_t addr, uintptr_t *offset)
{
	static char name[64];
	const char *p = sym_text, *end = sym_text + sym_len;
	uintptr_t best = 0;
	const char *best_name = NULL;
	size_t best_len = 0;
	while (p && p < end) {
		const char *line = p;
		uint64_t a = parse_hex(&p, end);
		if (p + 3 <= end && p > line && p[0] == ' ' && (p[1] == 'T' || p[1] == 't') &&
		    p[2] == ' ') {
			const char *n = p + 3, *e = n;
			while (e < end && *e != '\n')
				e++;
			if (a <= addr && a >= best) {
				best = a;
				best_name = n;
				best_len = (size_t)(e - n);
			}
		}
		while (p < end && *p != '\n')
			p++;
		p++;
	}
	if (!best_name)
		return NULL;
	if (best_len >= sizeof(name))
		best_len = sizeof(name) - 1;
	for (size_t i = 0; i < best_len; i++)
		name[i] = best_name[i];
	name[best_len] = 0;
	*offset = addr - best;
	return name;
}
