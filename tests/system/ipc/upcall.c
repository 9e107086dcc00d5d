// SPDX-License-Identifier: MIT
/*
 * Tests of the interrupt primitive under POSIX signals (docs/signals.md):
 * upcall_set, task_interrupt, upcall delivery and upcall_return; CPU
 * exceptions entering the upcall (UPC0007-UPC0015) and upcall_stack.
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

static int fault_role(const char *r);

int
upcall_role(const char *r)
{
	if (!strcmp(r, "upcall-blocked"))
		return role_blocked();
	if (!strcmp(r, "upcall-badstack"))
		return role_badstack();
	return fault_role(r);
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

/* ---- Faults: a CPU exception enters the upcall entry (UPC0007-UPC0014) ---- */

#define UNMAPPED 0x100000000000ull /* 16 TiB: nothing is mapped there */

static struct ferry_upcall_frame fault_seen __attribute__((aligned(64)));
static volatile int fault_count;
static volatile uint64_t fault_resume; /* nonzero: the rip the entry resumes at */
static volatile uint64_t fault_fix;    /* nonzero: a page the entry makes writable */
static volatile uint64_t fault_frame;  /* where the last frame was */
static volatile uint16_t fault_fcw;    /* the FPU control words inside the entry */
static volatile uint32_t fault_mxcsr;

/* Records the frame, fixes what it was told to, resumes. */
static void
on_fault(struct ferry_upcall_frame *f)
{
	fault_seen = *f;
	fault_frame = (uint64_t)f;
	fault_count++;
	__asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(fault_fcw), "=m"(fault_mxcsr));
	if (fault_fix) {
		ferry_sys_vm_protect(0, fault_fix, 4096, FERRY_PROT_READ | FERRY_PROT_WRITE);
		fault_fix = 0;
	} else if (fault_resume) {
		f->regs.rip = fault_resume;
	}
	f->regs.rflags &= ~0x100ull; /* a single step stops here */
	ferry_sys_upcall_return(f);
}

static void
fault_reset(void)
{
	memset(&fault_seen, 0, sizeof(fault_seen));
	fault_count = 0;
	fault_resume = 0;
	fault_fix = 0;
	fault_frame = 0;
}

UTEST(fault_unmapped, "UPC0007",
      "a page fault enters the upcall entry: address, error code, registers at the fault")
{
	uint64_t at, sp, out = 0;
	fault_reset();
	UEXPECT_EQ(ferry_sys_upcall_set((uintptr_t)on_fault), 0);
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "lea 0f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[at]\n\t"
	                 "mov %%rsp, %[sp]\n\t"
	                 "mov $0x1234567890abcdef, %%rbx\n\t"
	                 "mov $0x5a5a, %%rax\n\t"
	                 "0: mov (%[bad]), %%rax\n\t"
	                 "1: mov %%rax, %[out]"
	                 : [res] "=m"(fault_resume), [at] "=m"(at), [sp] "=m"(sp), [out] "=m"(out)
	                 : [bad] "r"(UNMAPPED + 0x18)
	                 : "rax", "rbx", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.flags, FERRY_UPCALL_F_FAULT);
	UEXPECT_EQ(fault_seen.fault_vector, 14);
	UEXPECT_EQ(fault_seen.fault_addr, UNMAPPED + 0x18);
	UEXPECT_EQ(fault_seen.fault_error & (FERRY_PF_PRESENT | FERRY_PF_WRITE | FERRY_PF_USER),
	           FERRY_PF_USER);
	UEXPECT_EQ(fault_seen.regs.rip, at);
	UEXPECT_EQ(fault_seen.regs.rsp, sp);
	UEXPECT_EQ(fault_seen.regs.rbx, 0x1234567890abcdefull);
	UEXPECT_EQ(fault_seen.regs.rax, 0x5a5a);
	UEXPECT_EQ(out, 0x5a5a); /* resumed past the load, rax as it was */
	UEXPECT_EQ(fault_seen.bits, 0);
	/* The frame: 64-byte aligned, below the red zone of the faulting stack. */
	UEXPECT_EQ(fault_frame % 64, 0);
	UEXPECT(fault_frame + sizeof(fault_seen) <= sp - 128 && fault_frame > sp - 4096);
	/* An instruction fetch from nowhere: the same, with the fetch bit. */
	fault_reset();
	uint64_t back;
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "jmp *%[bad]\n\t"
	                 "1: mov %%rax, %[back]"
	                 : [res] "=m"(fault_resume), [back] "=m"(back)
	                 : [bad] "r"(UNMAPPED)
	                 : "rax", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 14);
	UEXPECT_EQ(fault_seen.fault_addr, UNMAPPED);
	UEXPECT_EQ(fault_seen.regs.rip, UNMAPPED);
	UEXPECT(fault_seen.fault_error & FERRY_PF_INSTR);
	ferry_sys_upcall_set(0);
}

UTEST(fault_readonly, "UPC0008",
      "a write to a read-only page: error bits; the entry makes it writable and returns, the "
      "write is done again")
{
	handle_t mo;
	uintptr_t a = 0;
	UEXPECT_EQ(ferry_sys_memobj_create(4096, FERRY_MEMOBJ_ANON, &mo), 0);
	struct ferry_map_req req = {0, 4096, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &req, &a), 0);
	ferry_sys_handle_close(mo);
	volatile uint32_t *p = (volatile uint32_t *)(a + 8);
	*p = 1;
	UEXPECT_EQ(ferry_sys_vm_protect(0, a, 4096, FERRY_PROT_READ), 0);
	fault_reset();
	fault_fix = a;
	UEXPECT_EQ(ferry_sys_upcall_set((uintptr_t)on_fault), 0);
	*p = 7; /* faults once, then is re-executed */
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(*p, 7);
	UEXPECT_EQ(fault_seen.flags, FERRY_UPCALL_F_FAULT | FERRY_UPCALL_F_MAPPED);
	UEXPECT_EQ(fault_seen.fault_vector, 14);
	UEXPECT_EQ(fault_seen.fault_addr, a + 8);
	UEXPECT_EQ(fault_seen.fault_error & (FERRY_PF_PRESENT | FERRY_PF_WRITE | FERRY_PF_USER),
	           FERRY_PF_PRESENT | FERRY_PF_WRITE | FERRY_PF_USER);
	ferry_sys_upcall_set(0);
	ferry_sys_vm_unmap(0, a, 4096);
}

UTEST(fault_vectors, "UPC0009",
      "invalid opcode, divide error, breakpoint and single step: vector, address, rip")
{
	uint64_t at = 0, after = 0;
	UEXPECT_EQ(ferry_sys_upcall_set((uintptr_t)on_fault), 0);
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "lea 0f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[at]\n\t"
	                 "0: ud2\n\t"
	                 "1:"
	                 : [res] "=m"(fault_resume), [at] "=m"(at)
	                 :
	                 : "rax", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 6);
	UEXPECT_EQ(fault_seen.fault_addr, at);
	UEXPECT_EQ(fault_seen.regs.rip, at);
	UEXPECT_EQ(fault_seen.fault_error, 0);
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "lea 0f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[at]\n\t"
	                 "xor %%ecx, %%ecx\n\t"
	                 "mov $1, %%eax\n\t"
	                 "cltd\n\t"
	                 "0: idiv %%ecx\n\t"
	                 "1:"
	                 : [res] "=m"(fault_resume), [at] "=m"(at)
	                 :
	                 : "rax", "rcx", "rdx", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 0);
	UEXPECT_EQ(fault_seen.fault_addr, at);
	UEXPECT_EQ(fault_seen.regs.rip, at);
	/* A trap: rip is already past the int3 (the entry need not move it). */
	fault_reset();
	__asm__ volatile("int3\n\t"
	                 "1: lea 1b(%%rip), %%rax\n\t"
	                 "mov %%rax, %[after]"
	                 : [after] "=m"(after)
	                 :
	                 : "rax", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 3);
	UEXPECT_EQ(fault_seen.regs.rip, after);
	UEXPECT_EQ(fault_seen.fault_addr, after);
	/* Single step: TF set by popf traps after the next instruction. */
	fault_reset();
	__asm__ volatile("pushf\n\t"
	                 "orq $0x100, (%%rsp)\n\t"
	                 "popf\n\t"
	                 "nop\n\t"
	                 "1: lea 1b(%%rip), %%rax\n\t"
	                 "mov %%rax, %[after]"
	                 : [after] "=m"(after)
	                 :
	                 : "rax", "memory", "cc");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 1);
	UEXPECT_EQ(fault_seen.regs.rip, after);
	UEXPECT(fault_seen.regs.rflags & 0x100);
	ferry_sys_upcall_set(0);
}

UTEST(fault_gp_ac, "UPC0010",
      "general protection (privileged instruction, non-canonical address) and alignment check")
{
	uint64_t at = 0;
	UEXPECT_EQ(ferry_sys_upcall_set((uintptr_t)on_fault), 0);
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "lea 0f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[at]\n\t"
	                 "0: hlt\n\t"
	                 "1:"
	                 : [res] "=m"(fault_resume), [at] "=m"(at)
	                 :
	                 : "rax", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 13);
	UEXPECT_EQ(fault_seen.fault_error, 0);
	UEXPECT_EQ(fault_seen.fault_addr, at);
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "lea 0f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[at]\n\t"
	                 "movabs $0x8000000000000000, %%rdx\n\t"
	                 "0: mov (%%rdx), %%rax\n\t"
	                 "1:"
	                 : [res] "=m"(fault_resume), [at] "=m"(at)
	                 :
	                 : "rax", "rdx", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 13);
	UEXPECT_EQ(fault_seen.regs.rip, at);
	/* rflags.AC with CR0.AM: a misaligned load is #AC (17), error 0. */
	static uint64_t words[2];
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "lea 0f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[at]\n\t"
	                 "pushf\n\t"
	                 "orq $0x40000, (%%rsp)\n\t"
	                 "popf\n\t"
	                 "0: mov (%[p]), %%eax\n\t"
	                 "1: pushf\n\t"
	                 "andq $~0x40000, (%%rsp)\n\t"
	                 "popf"
	                 : [res] "=m"(fault_resume), [at] "=m"(at)
	                 : [p] "r"((char *)words + 1)
	                 : "rax", "memory", "cc");
	/* Hardware raises it; QEMU's TCG does not implement alignment checks. */
	if (fault_count == 0) {
		uprintf("  #AC not raised by this CPU (QEMU TCG): not checked\n");
	} else {
		UEXPECT_EQ(fault_count, 1);
		UEXPECT_EQ(fault_seen.fault_vector, 17);
		UEXPECT_EQ(fault_seen.regs.rip, at);
		UEXPECT(fault_seen.regs.rflags & 0x40000);
	}
	ferry_sys_upcall_set(0);
}

UTEST(fault_fpu, "UPC0011",
      "x87 and SIMD exceptions: the status in the frame's FPU image, a clean FPU in the entry")
{
	static const float one = 1.0f, zero = 0.0f;
	uint64_t at = 0;
	uint32_t unmasked = 0x1f80 & ~0x200u; /* divide-by-zero unmasked */
	uint32_t saved_mxcsr;
	uint16_t fcw = 0x37f & ~0x4u, saved_fcw;
	UEXPECT_EQ(ferry_sys_upcall_set((uintptr_t)on_fault), 0);
	fault_reset();
	__asm__ volatile("stmxcsr %[saved]\n\t"
	                 "lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "lea 0f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[at]\n\t"
	                 "ldmxcsr %[un]\n\t"
	                 "movss %[one], %%xmm0\n\t"
	                 "xorps %%xmm1, %%xmm1\n\t"
	                 "0: divss %%xmm1, %%xmm0\n\t"
	                 "1: ldmxcsr %[saved]"
	                 : [res] "=m"(fault_resume), [at] "=m"(at), [saved] "=m"(saved_mxcsr)
	                 : [un] "m"(unmasked), [one] "m"(one)
	                 : "rax", "xmm0", "xmm1", "memory");
	/* Hardware raises it; QEMU's TCG only sets the flag. */
	if (fault_count == 0) {
		uprintf("  #XM not raised by this CPU (QEMU TCG): not checked\n");
	} else {
		UEXPECT_EQ(fault_count, 1);
		UEXPECT_EQ(fault_seen.fault_vector, 19);
		UEXPECT_EQ(fault_seen.fault_addr, at);
		uint32_t mx;
		memcpy(&mx, fault_seen.fpu + 24, sizeof(mx));
		UEXPECT_EQ(mx & 0x3f, 0x4); /* ZE */
		UEXPECT_EQ((mx >> 7) & 0x3f, 0x3b);
		UEXPECT_EQ(fault_mxcsr, 0x1f80);
		UEXPECT_EQ(fault_fcw, 0x37f);
	}
	/* x87: the error is raised at the next waiting instruction.  MXCSR
	 * set to round down meanwhile: the entry still sees the default. */
	uint32_t down = 0x1f80 | 0x2000, mx_after = 0;
	fault_reset();
	__asm__ volatile("fnstcw %[saved]\n\t"
	                 "stmxcsr %[smx]\n\t"
	                 "ldmxcsr %[down]\n\t"
	                 "lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "lea 0f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[at]\n\t"
	                 "fninit\n\t"
	                 "fldcw %[cw]\n\t"
	                 "fld1\n\t"
	                 "fdivs %[zero]\n\t"
	                 "0: fwait\n\t"
	                 "1: fninit\n\t"
	                 "fldcw %[saved]\n\t"
	                 "stmxcsr %[after]\n\t"
	                 "ldmxcsr %[smx]"
	                 : [res] "=m"(fault_resume), [at] "=m"(at), [saved] "=m"(saved_fcw),
	                   [smx] "=m"(saved_mxcsr), [after] "=m"(mx_after)
	                 : [cw] "m"(fcw), [zero] "m"(zero), [down] "m"(down)
	                 : "rax", "memory", "st");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 16);
	UEXPECT_EQ(fault_seen.regs.rip, at);
	uint16_t fsw;
	memcpy(&fsw, fault_seen.fpu + 2, sizeof(fsw));
	UEXPECT_EQ(fsw & 0x84, 0x84); /* ZE and the error summary */
	UEXPECT_EQ(fault_fcw, 0x37f);
	UEXPECT_EQ(fault_mxcsr, 0x1f80);
	UEXPECT_EQ(mx_after, down); /* and the interrupted state came back */
	ferry_sys_upcall_set(0);
}

/* The entry for UPC0012's nested fault: faults once more inside itself. */
static volatile uint64_t nest_frames[2];
static volatile int nest_depth;

static void
on_fault_nest(struct ferry_upcall_frame *f)
{
	int d = nest_depth++;
	if (d < 2)
		nest_frames[d] = (uint64_t)f;
	if (d == 0) {
		__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
		                 "mov %%rax, %[res]\n\t"
		                 "ud2\n\t"
		                 "1:"
		                 : [res] "=m"(fault_resume)
		                 :
		                 : "rax", "memory");
	} else {
		f->regs.rip = fault_resume;
	}
	if (d == 0)
		f->regs.rip += 2; /* past the outer ud2 */
	ferry_sys_upcall_return(f);
}

UTEST(fault_stack, "UPC0012",
      "upcall_stack: argument errors; a fault's frame on it when its vector is in the onstack "
      "set (also with rsp pointing at nothing), a nested one below it; interrupts and other "
      "vectors stay on the interrupted stack")
{
	static uint8_t ustack[16384] __attribute__((aligned(64)));
	uint64_t lo = (uint64_t)ustack, hi = lo + sizeof(ustack);
	UEXPECT_EQ(ferry_sys_upcall_stack(0, 4096), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_upcall_stack(lo, FERRY_UPCALL_STACK_MIN - 1), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_upcall_stack(0x00007ffffffff000ull - 4096, 8192), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_upcall_stack(0xffff800000000000ull, 8192), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_upcall_stack(lo, ~0ull - 4096), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_upcall_stack(12345, 0), 0); /* size 0: none, whatever the base */
	UEXPECT_EQ(ferry_sys_upcall_stack(lo, sizeof(ustack)), 0);
	UEXPECT_EQ(ferry_sys_upcall_set_onstack((uintptr_t)on_fault, 1u << 31 | 1), 0);
	UEXPECT_EQ(ferry_sys_upcall_set_onstack((uintptr_t)on_fault, 1ull << FERRY_FAULT_PAST_END),
	           0);
	UEXPECT_EQ(ferry_syscall6(FERRY_SYS_upcall_set, (long)on_fault, 1l << 33, 0, 0, 0, 0),
	           -FERRY_EINVAL);
	/* A vector not in the onstack set: the faulting stack. */
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "ud2\n\t"
	                 "1:"
	                 : [res] "=m"(fault_resume)
	                 :
	                 : "rax", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.flags, FERRY_UPCALL_F_FAULT);
	UEXPECT(fault_frame < lo || fault_frame >= hi);
	/* In the set (#UD 6, #PF 14): the frame at the top of the upcall stack. */
	UEXPECT_EQ(ferry_sys_upcall_set_onstack((uintptr_t)on_fault, 1u << 6 | 1u << 14), 0);
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "ud2\n\t"
	                 "1:"
	                 : [res] "=m"(fault_resume)
	                 :
	                 : "rax", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.flags, FERRY_UPCALL_F_FAULT | FERRY_UPCALL_F_ONSTACK);
	UEXPECT(fault_frame >= lo && fault_frame + sizeof(fault_seen) <= hi &&
	        fault_frame + sizeof(fault_seen) + 64 > hi);
	/* A stack overflow: rsp at an unmapped page, still handled there. */
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "mov %%rsp, %%r12\n\t"
	                 "mov %[bad], %%rsp\n\t"
	                 "push %%rax\n\t"
	                 "1: mov %%r12, %%rsp"
	                 : [res] "=m"(fault_resume)
	                 : [bad] "r"(UNMAPPED + 8)
	                 : "rax", "r12", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.fault_vector, 14);
	UEXPECT_EQ(fault_seen.fault_addr, UNMAPPED);
	UEXPECT_EQ(fault_seen.regs.rsp, UNMAPPED + 8);
	UEXPECT(fault_frame >= lo && fault_frame < hi);
	/* A fault inside the entry, which runs on the upcall stack: below it. */
	nest_depth = 0;
	nest_frames[0] = nest_frames[1] = 0;
	UEXPECT_EQ(ferry_sys_upcall_set_onstack((uintptr_t)on_fault_nest, 1u << 6), 0);
	__asm__ volatile("ud2" ::: "memory");
	UEXPECT_EQ(nest_depth, 2);
	UEXPECT(nest_frames[0] >= lo && nest_frames[0] < hi);
	UEXPECT(nest_frames[1] >= lo && nest_frames[1] < nest_frames[0] - 128);
	/* An interrupt is not a fault: its frame stays on the interrupted stack. */
	UEXPECT_EQ(ferry_sys_upcall_set_onstack((uintptr_t)on_fault, 1u << 6), 0);
	fault_reset();
	UEXPECT_EQ(ferry_sys_task_interrupt(self_task(), 2, 0), 0);
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.flags, 0);
	UEXPECT_EQ(fault_seen.bits, 2);
	UEXPECT(fault_frame < lo || fault_frame >= hi);
	/* An upcall stack that cannot be written: the faulting stack instead. */
	UEXPECT_EQ(ferry_sys_upcall_stack(UNMAPPED, 8192), 0);
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "ud2\n\t"
	                 "1:"
	                 : [res] "=m"(fault_resume)
	                 :
	                 : "rax", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.flags, FERRY_UPCALL_F_FAULT);
	UEXPECT(fault_frame < UNMAPPED || fault_frame >= UNMAPPED + 8192);
	UEXPECT_EQ(ferry_sys_upcall_stack(0, 0), 0);
	/* No upcall stack: the frame goes on the faulting stack again. */
	fault_reset();
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %[res]\n\t"
	                 "ud2\n\t"
	                 "1:"
	                 : [res] "=m"(fault_resume)
	                 :
	                 : "rax", "memory");
	UEXPECT_EQ(fault_count, 1);
	UEXPECT_EQ(fault_seen.flags, FERRY_UPCALL_F_FAULT);
	UEXPECT(fault_frame < lo || fault_frame >= hi);
	ferry_sys_upcall_set(0);
}

/* Roles for UPC0013 and UPC0014: tasks that must end with a given status. */
__asm__(".text\n"
        "fault_bad_entry: ud2\n");
extern char fault_bad_entry[];

static void
on_fault_fatal(struct ferry_upcall_frame *f)
{
	f->flags |= FERRY_UPCALL_F_FATAL;
	ferry_sys_upcall_return(f);
}

static void
on_fault_again(struct ferry_upcall_frame *f)
{
	(void)f;
	fault_count++; /* not at the entry's first instruction */
	__asm__ volatile("ud2");
}

static void
on_fault_storm(struct ferry_upcall_frame *f)
{
	fault_count++;
	ferry_sys_upcall_return(f);
}

static int
fault_role(const char *r)
{
	if (!strcmp(r, "fault-badentry")) {
		ferry_sys_upcall_set((uintptr_t)fault_bad_entry);
		__asm__ volatile("ud2");
	} else if (!strcmp(r, "fault-noentry-fetch")) {
		ferry_sys_upcall_set(UNMAPPED);
		__asm__ volatile("ud2");
	} else if (!strcmp(r, "fault-none")) {
		*(volatile int *)UNMAPPED = 1;
	} else if (!strcmp(r, "fault-nostack")) {
		ferry_sys_upcall_set((uintptr_t)on_fault);
		__asm__ volatile("mov $0x1000, %rsp\n\tud2");
	} else if (!strcmp(r, "fault-fatal")) {
		ferry_sys_upcall_set((uintptr_t)on_fault_fatal);
		__asm__ volatile("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\tcltd\n\tidiv %%ecx" ::
		                         : "rax", "rcx", "rdx");
	} else if (!strcmp(r, "fault-leave-stack")) {
		/* The upcall stack is the middle of the parent's page: the frames
		 * of the recursion in the entry must stay within it. */
		uintptr_t a = 0;
		struct ferry_map_req req = {0, 3 * 4096, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
		if (ferry_sys_vm_map(0, ustart->handles[0], 0, &req, &a))
			return 1;
		ferry_sys_upcall_stack(a + 4096, 4096);
		ferry_sys_upcall_set_onstack((uintptr_t)on_fault_again, 1u << 6);
		__asm__ volatile("ud2");
	} else if (!strcmp(r, "fault-past-end")) {
		uintptr_t a = 0;
		struct ferry_map_req req = {0, 4096, FERRY_PROT_READ, 0};
		if (ferry_sys_vm_map(0, ustart->handles[0], 0, &req, &a))
			return 1;
		(void)*(volatile int *)a;
	} else if (!strcmp(r, "fault-storm")) {
		ferry_sys_upcall_set((uintptr_t)on_fault_storm);
		__asm__ volatile("ud2");
	} else {
		return -1;
	}
	return 0; /* not reached: each of them faults */
}

static long
fault_child(const char *role, handle_t h, int *code)
{
	struct ustart s;
	handle_t t;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, role, sizeof(s.cmd));
	s.handles[0] = h;
	*code = 0;
	if (uspawn("bin/ipctest", &s, &t))
		return -1;
	long rc = ferry_sys_task_wait(t, code, 10000 * MS);
	ferry_sys_handle_close(t);
	return rc;
}

UTEST(fault_fatal, "UPC0013",
      "faults that end the task: the entry itself faulting, no room for the frame, no entry, "
      "upcall_return FATAL (and bad FATAL frames), a frame leaving the upcall stack")
{
	int code;
	UEXPECT_EQ(fault_child("fault-badentry", 0, &code), 0);
	UEXPECT_EQ(code, -(128 + 6));
	UEXPECT_EQ(fault_child("fault-noentry-fetch", 0, &code), 0);
	UEXPECT_EQ(code, -(128 + 14));
	UEXPECT_EQ(fault_child("fault-none", 0, &code), 0);
	UEXPECT_EQ(code, -(128 + 14));
	UEXPECT_EQ(fault_child("fault-nostack", 0, &code), 0);
	UEXPECT_EQ(code, -(128 + 11)); /* no frame: SIGSEGV, whatever the fault */
	UEXPECT_EQ(fault_child("fault-fatal", 0, &code), 0);
	UEXPECT_EQ(code, -(128 + 0));
	/* Shared pages: the child's upcall stack is the middle one. */
	handle_t mo;
	uintptr_t a = 0;
	UEXPECT_EQ(ferry_sys_memobj_create(3 * 4096, FERRY_MEMOBJ_ANON, &mo), 0);
	struct ferry_map_req req = {0, 3 * 4096, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &req, &a), 0);
	memset((void *)a, 0xa5, 3 * 4096);
	UEXPECT_EQ(fault_child("fault-leave-stack", mo, &code), 0);
	UEXPECT_EQ(code, -(128 + 11));
	int below = 0, inside = 0, above = 0;
	for (int i = 0; i < 4096; i++) {
		below += ((uint8_t *)a)[i] != 0xa5;
		inside += ((uint8_t *)a)[4096 + i] != 0xa5;
		above += ((uint8_t *)a)[8192 + i] != 0xa5;
	}
	UEXPECT_EQ(below, 0);
	UEXPECT(inside > 0);
	UEXPECT_EQ(above, 0);
	ferry_sys_vm_unmap(0, a, 3 * 4096);
	ferry_sys_handle_close(mo);
	/* FATAL needs a fault frame with a vector user code can cause. */
	static struct ferry_upcall_frame f __attribute__((aligned(64)));
	memset(&f, 0, sizeof(f));
	f.regs.rip = (uint64_t)fault_bad_entry;
	f.flags = FERRY_UPCALL_F_FATAL;
	UEXPECT_EQ(ferry_syscall6(FERRY_SYS_upcall_return, (long)&f, 0, 0, 0, 0, 0), -FERRY_EINVAL);
	f.flags = FERRY_UPCALL_F_FATAL | FERRY_UPCALL_F_FAULT;
	f.fault_vector = 8;
	UEXPECT_EQ(ferry_syscall6(FERRY_SYS_upcall_return, (long)&f, 0, 0, 0, 0, 0), -FERRY_EINVAL);
	f.fault_vector = 40;
	UEXPECT_EQ(ferry_syscall6(FERRY_SYS_upcall_return, (long)&f, 0, 0, 0, 0, 0), -FERRY_EINVAL);
}

UTEST(fault_storm, "UPC0014",
      "an entry that returns without fixing the fault: the loop takes no more than its share "
      "of the CPU and the task stays killable")
{
	struct ustart s;
	handle_t t;
	int code = 0;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "fault-storm", sizeof(s.cmd));
	UEXPECT_EQ(uspawn("bin/ipctest", &s, &t), 0);
	uint64_t t0 = 0, t1 = 0;
	ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 20; i++)
		ferry_sys_thread_sleep(5 * MS); /* we still run, on time */
	ferry_sys_clock_get(FERRY_CLOCK_MONOTONIC, &t1);
	UEXPECT(t1 - t0 < 2000 * MS);
	UEXPECT_EQ(ferry_sys_task_wait(t, &code, 0), -FERRY_ETIMEDOUT); /* still faulting */
	UEXPECT_EQ(ferry_sys_task_kill(t, -9), 0);
	UEXPECT_EQ(ferry_sys_task_wait(t, &code, 5000 * MS), 0);
	UEXPECT_EQ(code, -9);
	ferry_sys_handle_close(t);
}

UTEST(fault_past_end, "UPC0015",
      "memobj_set_end: needs MANAGE and an end within the object; pages past the end fault "
      "as FERRY_FAULT_PAST_END in shared and private mappings, pages before it do not; "
      "raising the end makes them reachable; no entry ends the task with -(128 + 32)")
{
	handle_t mo, weak;
	uintptr_t a = 0, p = 0;
	UEXPECT_EQ(ferry_sys_memobj_create(4 * 4096, FERRY_MEMOBJ_ANON, &mo), 0);
	UEXPECT_EQ(ferry_sys_handle_dup(mo,
	                                FERRY_RIGHT_MAP | FERRY_RIGHT_READ | FERRY_RIGHT_WRITE |
	                                        FERRY_RIGHT_TRANSFER,
	                                &weak),
	           0);
	UEXPECT_EQ(ferry_sys_memobj_set_end(weak, 4096), -FERRY_EACCES);
	UEXPECT_EQ(ferry_sys_memobj_set_end(0x7777, 4096), -FERRY_EBADH);
	UEXPECT_EQ(ferry_sys_memobj_set_end(mo, 4 * 4096 + 1), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_memobj_set_end(mo, 4096 + 1), 0); /* two pages */
	struct ferry_map_req req = {0, 4 * 4096, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	UEXPECT_EQ(ferry_sys_vm_map(0, weak, 0, &req, &a), 0);
	req.prot |= FERRY_MAP_PRIVATE;
	UEXPECT_EQ(ferry_sys_vm_map(0, weak, 0, &req, &p), 0);
	volatile uint8_t *sh = (volatile uint8_t *)a, *pr = (volatile uint8_t *)p;
	sh[4096 + 4095] = 9; /* the last page before the end */
	UEXPECT_EQ(pr[4096 + 4095], 9);
	pr[10] = 1; /* a private copy */
	UEXPECT_EQ(sh[10], 0);
	UEXPECT_EQ(ferry_sys_upcall_set((uintptr_t)on_fault), 0);
	uint64_t at[3] = {a + 2 * 4096 + 5, a + 3 * 4096, p + 2 * 4096 + 7};
	for (int i = 0; i < 3; i++) {
		uint64_t out = 1;
		fault_reset();
		__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
		                 "mov %%rax, %[res]\n\t"
		                 "xor %%eax, %%eax\n\t"
		                 "movb (%[bad]), %%al\n\t"
		                 "1: mov %%rax, %[out]"
		                 : [res] "=m"(fault_resume), [out] "=m"(out)
		                 : [bad] "r"(at[i])
		                 : "rax", "memory");
		UEXPECT_EQ(fault_count, 1);
		UEXPECT_EQ(fault_seen.fault_vector, FERRY_FAULT_PAST_END);
		UEXPECT_EQ(fault_seen.flags, FERRY_UPCALL_F_FAULT | FERRY_UPCALL_F_MAPPED);
		UEXPECT_EQ(fault_seen.fault_addr, at[i]);
		UEXPECT_EQ(out, 0);
	}
	ferry_sys_upcall_set(0);
	UEXPECT_EQ(ferry_sys_memobj_set_end(mo, 4 * 4096), 0);
	sh[3 * 4096] = 4;
	UEXPECT_EQ(pr[3 * 4096], 4);
	ferry_sys_vm_unmap(0, a, 4 * 4096);
	ferry_sys_vm_unmap(0, p, 4 * 4096);
	/* Without an entry: the task ends as for a bus error. */
	int code;
	UEXPECT_EQ(ferry_sys_memobj_set_end(mo, 0), 0);
	UEXPECT_EQ(fault_child("fault-past-end", weak, &code), 0);
	UEXPECT_EQ(code, -(128 + FERRY_FAULT_PAST_END));
	ferry_sys_handle_close(weak);
	ferry_sys_handle_close(mo);
}
