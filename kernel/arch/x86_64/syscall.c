// SPDX-License-Identifier: MIT
/* syscall/sysret MSR setup; the entry path is syscall.S. */
#include <stdint.h>
#include "cpu.h"

extern void syscall_entry(void);

void
syscall_init(void)
{
	cpu0.self = &cpu0;
	wrmsr(MSR_GSBASE, (uint64_t)&cpu0);
	wrmsr(MSR_KGSBASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1); /* SCE */
	/* sysret loads CS = base+16, SS = base+8 from 0x18 (RPL 3). */
	wrmsr(MSR_STAR, ((uint64_t)0x18 << 48) | ((uint64_t)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700); /* IF, TF, DF, AC, NT, IOPL cleared on entry */
}
