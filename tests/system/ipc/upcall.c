// SPDX-License-Identifier: MIT
/*
 * Tests of the interrupt primitive under POSIX signals (docs/signals.md):
 * upcall_set, task_interrupt, upcall delivery and upcall_return.
 */
#include <ulib.h>

#define MS 1000000ull

static volatile uint64_t seen_bits;
static volatile uint64_t seen_rax;
static volatile int entries;

/* The upcall entry: called with rdi = frame, as if by a call instruction. */
static void
on_upcall(struct ferry_upcall_frame *f)
{
	seen_bits |= f->bits;
	seen_rax = f->regs.rax;
	entries++;
	ferry_sys_upcall_return(f);
}

static handle_t
self_task(void)
{
	return ubootinfo ? ubootinfo->self_task : ustart->self_task;
}

UTEST(upcall_args, "UPC0001", "upcall_set and task_interrupt reject bad arguments")
{
	UEXPECT_EQ(ferry_sys_upcall_set(0xffffffff80000000ull), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_upcall_set(0), 0);
	UEXPECT_EQ(ferry_sys_task_interrupt(self_task(), 1, 0), -FERRY_ENOTSUP);
	UEXPECT_EQ(ferry_sys_task_interrupt(self_task(), 0, 0), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_task_interrupt(self_task(), 1, 0x80), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_task_interrupt(0x7777, 1, 0), -FERRY_EBADH);
	handle_t q;
	UEXPECT_EQ(ferry_sys_queue_create(1, &q), 0);
	UEXPECT_EQ(ferry_sys_task_interrupt(q, 1, 0), -FERRY_EWRONGTYPE);
	UEXPECT_EQ(ferry_sys_task_interrupt(q, 1, FERRY_INTERRUPT_THREAD), -FERRY_EWRONGTYPE);
	ferry_sys_handle_close(q);
}

UTEST(upcall_self, "UPC0002",
      "a self-interrupt enters the upcall and resumes with registers intact")
{
	seen_bits = 0;
	entries = 0;
	UEXPECT_EQ(ferry_sys_upcall_set((uintptr_t)on_upcall), 0);
	register uint64_t keep_rbx __asm__("rbx") = 0x1111222233334444ull;
	register uint64_t keep_r12 __asm__("r12") = 0x5555666677778888ull;
	__asm__ volatile("" : "+r"(keep_rbx), "+r"(keep_r12));
	long rc = ferry_sys_task_interrupt(self_task(), 0x28, 0);
	__asm__ volatile("" : "+r"(keep_rbx), "+r"(keep_r12));
	UEXPECT_EQ(rc, 0);
	UEXPECT_EQ(entries, 1);
	UEXPECT_EQ(seen_bits, 0x28);
	UEXPECT_EQ(seen_rax, 0);
	UEXPECT_EQ(keep_rbx, 0x1111222233334444ull);
	UEXPECT_EQ(keep_r12, 0x5555666677778888ull);
	/* FPU state survives the upcall too. */
	volatile double d = 1.5;
	d = d * 3.0;
	UEXPECT(ferry_sys_task_interrupt(self_task(), 1, 0) == 0 && d == 4.5);
	ferry_sys_upcall_set(0);
}

static int
role_blocked(void)
{
	ferry_sys_upcall_set((uintptr_t)on_upcall);
	struct ferry_msg m;
	long rc = ferry_sys_msg_recv(ustart->handles[0], &m, FERRY_TIME_INFINITE);
	if (rc == -FERRY_EINTR && entries == 1 && seen_bits == 4)
		return 77;
	return 1;
}

UTEST(upcall_breaks_block, "UPC0003",
      "an interrupt breaks a blocked receive with EINTR after the upcall")
{
	handle_t q, p;
	if (ferry_sys_queue_create(2, &q) || ferry_sys_port_create(q, 1, &p))
		upanic("port");
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "upcall-blocked", sizeof(s.cmd));
	s.handles[0] = q;
	handle_t t;
	UEXPECT_EQ(uspawn("bin/ipctest", &s, &t), 0);
	ferry_sys_thread_sleep(20 * MS); /* let it block */
	UEXPECT_EQ(ferry_sys_task_interrupt(t, 4, 0), 0);
	int code = -1;
	UEXPECT_EQ(ferry_sys_task_wait(t, &code, 5000 * MS), 0);
	UEXPECT_EQ(code, 77);
	UEXPECT_EQ(ferry_sys_task_interrupt(t, 4, 0), -FERRY_EPEER);
	ferry_sys_handle_close(t);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

UTEST(upcall_return_bad, "UPC0004", "upcall_return refuses bad frames")
{
	UEXPECT_EQ(ferry_syscall6(FERRY_SYS_upcall_return, 0, 0, 0, 0, 0, 0), -FERRY_EFAULT);
	UEXPECT_EQ(ferry_syscall6(FERRY_SYS_upcall_return, 0xffff800000000000ll, 0, 0, 0, 0, 0),
	           -FERRY_EFAULT);
	static struct ferry_upcall_frame f __attribute__((aligned(64)));
	memset(&f, 0, sizeof(f));
	f.regs.rip = 0xffffffff80100000ull;
	UEXPECT_EQ(ferry_syscall6(FERRY_SYS_upcall_return, (long)&f, 0, 0, 0, 0, 0), -FERRY_EINVAL);
}

static int
role_badstack(void)
{
	ferry_sys_upcall_set((uintptr_t)on_upcall);
	/* Point the stack at nothing, then wait to be interrupted. */
	__asm__ volatile("mov $0x1000, %%rsp\n\t"
	                 "mov %0, %%eax\n\t"
	                 "mov $0xffffffffffffffff, %%rdi\n\t"
	                 "syscall\n\t"
	                 "ud2" ::"i"(FERRY_SYS_thread_sleep));
	return 0;
}

UTEST(upcall_bad_stack, "UPC0005", "a thread whose stack cannot take the frame is killed")
{
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "upcall-badstack", sizeof(s.cmd));
	handle_t t;
	UEXPECT_EQ(uspawn("bin/ipctest", &s, &t), 0);
	ferry_sys_thread_sleep(20 * MS);
	UEXPECT_EQ(ferry_sys_task_interrupt(t, 1, 0), 0);
	int code = 0;
	UEXPECT_EQ(ferry_sys_task_wait(t, &code, 5000 * MS), 0);
	UEXPECT_EQ(code, -(128 + 11));
	ferry_sys_handle_close(t);
}

int
upcall_role(const char *r)
{
	if (!strcmp(r, "upcall-blocked"))
		return role_blocked();
	if (!strcmp(r, "upcall-badstack"))
		return role_badstack();
	return -1;
}

static volatile long helper_rc;
static volatile int helper_done;
static volatile long upcall_tid;

static void
on_upcall_tid(struct ferry_upcall_frame *f)
{
	upcall_tid = ferry_sys_thread_tid(0);
	entries++;
	ferry_sys_upcall_return(f);
}

/* A second thread of this task: blocks in a receive until interrupted. */
static void
helper_thread(uint64_t q)
{
	struct ferry_msg m;
	helper_rc = ferry_sys_msg_recv((handle_t)q, &m, FERRY_TIME_INFINITE);
	helper_done = 1;
	ferry_sys_thread_exit();
}

UTEST(upcall_tid, "UPC0006",
      "FERRY_INTERRUPT_TID interrupts one thread of a task by its id; bad ids are ENOENT")
{
	static uint8_t stack[16384] __attribute__((aligned(16)));
	handle_t q;
	uint32_t ptid = 0;
	long me = ferry_sys_thread_tid(0);
	UEXPECT_EQ(ferry_sys_queue_create(1, &q), 0);
	/* Argument errors: both flags, a thread handle's flag with a queue, no such thread. */
	UEXPECT_EQ(ferry_sys_task_interrupt(self_task(), 1,
	                                    FERRY_INTERRUPT_THREAD | FERRY_INTERRUPT_TID),
	           -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_task_interrupt_tid(q, 1, (uint32_t)me), -FERRY_EWRONGTYPE);
	UEXPECT_EQ(ferry_sys_upcall_set((uintptr_t)on_upcall_tid), 0);
	UEXPECT_EQ(ferry_sys_task_interrupt_tid(self_task(), 1, 0xfffff), -FERRY_ENOENT);
	UEXPECT_EQ(ferry_sys_task_interrupt_tid(self_task(), 1, 0), -FERRY_ENOENT);
	/* The other thread, blocked: its receive returns EINTR after its upcall. */
	entries = 0;
	upcall_tid = 0;
	helper_done = 0;
	long tid = ferry_sys_thread_clone((uintptr_t)helper_thread,
	                                  (uintptr_t)(stack + sizeof(stack) - 8), q, 0, &ptid, 0);
	UEXPECT(tid > 0 && tid != me && ptid == (uint32_t)tid);
	ferry_sys_thread_sleep(20 * MS);
	UEXPECT_EQ(entries, 0);
	UEXPECT_EQ(ferry_sys_task_interrupt_tid(self_task(), 2, (uint32_t)tid), 0);
	for (int i = 0; i < 500 && !helper_done; i++)
		ferry_sys_thread_sleep(1 * MS);
	UEXPECT_EQ(helper_done, 1);
	UEXPECT_EQ(helper_rc, -FERRY_EINTR);
	UEXPECT_EQ(upcall_tid, tid);
	UEXPECT_EQ(entries, 1);
	/* It has ended: its id is no longer a thread of ours. */
	for (int i = 0; i < 500 && ferry_sys_thread_tid((uint32_t)tid) == tid; i++)
		ferry_sys_thread_sleep(1 * MS);
	UEXPECT_EQ(ferry_sys_task_interrupt_tid(self_task(), 1, (uint32_t)tid), -FERRY_ENOENT);
	/* Our own id on another task is not one of its threads. */
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "upcall-blocked", sizeof(s.cmd));
	s.handles[0] = q;
	handle_t t;
	UEXPECT_EQ(uspawn("bin/ipctest", &s, &t), 0);
	ferry_sys_thread_sleep(20 * MS);
	UEXPECT_EQ(ferry_sys_task_interrupt_tid(t, 4, (uint32_t)me), -FERRY_ENOENT);
	UEXPECT_EQ(ferry_sys_task_interrupt(t, 4, 0), 0);
	int code = -1;
	UEXPECT_EQ(ferry_sys_task_wait(t, &code, 5000 * MS), 0);
	UEXPECT_EQ(code, 77);
	ferry_sys_handle_close(t);
	ferry_sys_upcall_set(0);
	ferry_sys_handle_close(q);
}
