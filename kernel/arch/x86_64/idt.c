// SPDX-License-Identifier: MIT
/*
 * The IDT: vectors 0-31 are CPU exceptions, 32-47 the remapped legacy PIC
 * lines, 255 the spurious vector.  All go through isr.S to trap_dispatch().
 * The double fault runs on its own IST stack so a kernel stack overflow
 * (guard page hit) is still reported.
 */
#include <stdint.h>
#include "cpu.h"

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(16)));
extern const uint64_t isr_table[49];

/* dpl 3: user code may raise the vector with `int` (int3, into). */
static void
idt_set(unsigned vec, uint64_t handler, uint8_t ist, unsigned dpl)
{
	idt[vec] = (struct idt_entry){
	        .off_lo = handler & 0xffff,
	        .sel = GDT_KCODE,
	        .ist = ist,
	        .type = (uint8_t)(0x8e | dpl << 5), /* present, interrupt gate (IF cleared) */
	        .off_mid = (handler >> 16) & 0xffff,
	        .off_hi = handler >> 32,
	};
}

void
idt_init(void)
{
	for (unsigned v = 0; v < 48; v++)
		idt_set(v, isr_table[v], v == 8 ? 1 : 0, v == 3 || v == 4 ? 3 : 0);
	idt_set(255, isr_table[48], 0, 0);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" ::"m"(ptr));
}
