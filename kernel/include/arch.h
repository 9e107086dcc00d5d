/* SPDX-License-Identifier: MIT */
/*
 * The interface between portable kernel code (core/, object/, mm/, api/)
 * and the architecture (arch/x86_64/).  Portable code calls only these.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <mm/physmap.h>

struct thread;
struct trap_frame;

/* Console (boot serial line). */
void arch_console_init(void);
void arch_console_write(const char *s, size_t n);

/* Power. */
__attribute__((noreturn)) void arch_poweroff(int failed);
__attribute__((noreturn)) void arch_halt_forever(void);
void arch_idle(void); /* wait for an interrupt with interrupts enabled */

/* Time. */
uint64_t arch_time_ns(void); /* monotonic, ns since boot */
uint64_t arch_tsc(void);
/* The TSC's low 32 bits, inline: the context switch's CPU-time charge. */
static inline uint32_t
arch_tsc_low(void)
{
	return (uint32_t)__builtin_ia32_rdtsc();
}
uint64_t arch_tsc_hz(void);
uint64_t arch_realtime_boot_ns(void); /* wall clock at boot, from the RTC */
#define TICK_NS 1000000ull            /* scheduler tick: 1 ms */

/* Threads. */
void arch_thread_init_user(struct thread *t, uintptr_t entry, uintptr_t stack, uint64_t arg);
void arch_thread_init_kernel(struct thread *t, void (*fn)(void *), void *arg);
/* Saves from, resumes to; the caller has set current = to and cleared need_resched. */
void arch_switch(struct thread *from, struct thread *to);
void arch_set_kernel_stack(uintptr_t top);
/* The next return to user mode must run the exit work (see api/syscall.c). */
void arch_work_pending(void);
void arch_set_fsbase(uint64_t base);
struct trap_frame *arch_user_frame(struct thread *t);
/* Prepares t (new) to resume in user mode with the current user registers
 * and FPU state of from (the calling thread), but with retval in the
 * return register: the child side of task_clone (core/clone.c). */
void arch_thread_init_clone(struct thread *t, struct thread *from, uint64_t retval);
void arch_frame_set_return(struct trap_frame *tf, uint64_t value);

/* Interrupt lines (legacy PIC numbering 0..15). */
void arch_irq_mask(unsigned line);
void arch_irq_unmask(unsigned line);
void arch_ioport_allow(uint8_t *bitmap, uint16_t base, uint16_t count);

/* Address spaces: the page-table level.  See mm/vmspace.c for policy. */
#define ARCH_PTE_WRITE   0x1
#define ARCH_PTE_EXEC    0x2
#define ARCH_PTE_USER    0x4
#define ARCH_PTE_NOCACHE 0x8
int arch_pt_create(paddr_t *root);  /* new root sharing the kernel half */
void arch_pt_destroy(paddr_t root); /* frees user page-table pages only */
int arch_pt_map(paddr_t root, uintptr_t va, paddr_t pa, unsigned flags);
/* Removes a mapping; returns the physical page (or 0 if none). */
paddr_t arch_pt_unmap(paddr_t root, uintptr_t va);
/* Looks up a mapping; returns true and fills *pa, *flags if present. */
bool arch_pt_query(paddr_t root, uintptr_t va, paddr_t *pa, unsigned *flags);
void arch_pt_activate(paddr_t root);
void arch_tlb_flush_page(uintptr_t va);
paddr_t arch_kernel_root(void);

/* Kernel virtual region for stacks (with guard pages). */
uintptr_t arch_kstack_alloc(size_t pages); /* returns top; 0 on failure */
void arch_kstack_free(uintptr_t top, size_t pages);

/* Symbolization for backtraces. */
const char *arch_symbolize(uintptr_t addr, uintptr_t *offset);

#define USER_TOP 0x00007ffffffff000ull
#endif
