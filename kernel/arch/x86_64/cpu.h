/* SPDX-License-Identifier: MIT */
/* x86_64 instruction wrappers and constants private to arch/x86_64. */
#ifndef ARCH_X86_64_CPU_H
#define ARCH_X86_64_CPU_H

#include <stdint.h>

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x23 /* 0x20 | RPL 3 */
#define GDT_UCODE 0x2b /* 0x28 | RPL 3 */
#define GDT_TSS   0x30

#define MSR_EFER    0xc0000080
#define MSR_STAR    0xc0000081
#define MSR_LSTAR   0xc0000082
#define MSR_SFMASK  0xc0000084
#define MSR_FSBASE  0xc0000100
#define MSR_GSBASE  0xc0000101
#define MSR_KGSBASE 0xc0000102

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}
static inline void
io_wait(void)
{
	outb(0x80, 0);
}
static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t
read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}
static inline uint64_t
read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}
static inline void
write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory");
}
static inline void
invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}

/*
 * The register frame saved on the kernel stack on every entry from user
 * mode (interrupt, exception, system call) and on kernel-mode exceptions.
 * Layout is shared with isr.S and syscall.S.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout shared with asm");

/* Per-CPU block reached through GS in kernel mode (syscall.S uses offsets). */
struct percpu {
	uint64_t user_rsp;   /* 0: scratch for syscall entry */
	uint64_t kstack_top; /* 8: current thread's kernel stack top */
	struct percpu *self; /* 16 */
	uint8_t work;        /* 24: the syscall exit must call syscall_exit_work */
};

void gdt_init(void);
void idt_init(void);
extern uint64_t *const tss_rsp0; /* &tss.rsp[0] */
static inline void
tss_set_rsp0(uint64_t rsp0)
{
	*tss_rsp0 = rsp0;
}
void tss_set_iobitmap(const uint8_t *bitmap);
void pic_init(void);
void pic_eoi(unsigned line);
void pit_init(void);
void tsc_calibrate(void);
void syscall_init(void);
void trap_dispatch(struct trap_frame *tf);
struct ferry_exception_info;
__attribute__((noreturn)) void user_fault_exit(const struct ferry_exception_info *info,
                                               const char *why, const struct trap_frame *tf);
void irq_dispatch(unsigned line);
extern struct percpu cpu0;

#endif
