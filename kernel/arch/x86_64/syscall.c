// SPDX-License-Identifier: MIT
/* syscall/sysret MSR setup; the entry path is syscall.S. */
#include <stdint.h>
#include "cpu.h"

extern void syscall_entry(void);

/* Lets user space use the FPU and SSE (the kernel is built without them). */
static void
fpu_enable(void)
{
	uint64_t cr0, cr4;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	/* EM off, MP, NE; AM: user code that sets rflags.AC gets #AC (SIGBUS) */
	cr0 = (cr0 & ~(1ull << 2)) | (1ull << 1) | (1ull << 5) | (1ull << 18);
	__asm__ volatile("mov %0, %%cr0" ::"r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1ull << 9) | (1ull << 10); /* OSFXSR, OSXMMEXCPT */
	__asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
	__asm__ volatile("fninit");
}

void
syscall_init(void)
{
	fpu_enable();
	cpu0.self = &cpu0;
	wrmsr(MSR_GSBASE, (uint64_t)&cpu0);
	wrmsr(MSR_KGSBASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1); /* SCE */
	/* sysret loads CS = base+16, SS = base+8 from 0x18 (RPL 3). */
	wrmsr(MSR_STAR, ((uint64_t)0x18 << 48) | ((uint64_t)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700); /* IF, TF, DF, AC, NT, IOPL cleared on entry */
}
