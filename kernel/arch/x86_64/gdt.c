// SPDX-License-Identifier: MIT
/*
 * GDT, TSS and the I/O permission bitmap.  One CPU: one GDT and one TSS.
 * The segment order is fixed by syscall/sysret (see STAR in syscall.c):
 * kernel code, kernel data, (unused 32-bit user code), user data, user code.
 */
#include <stdint.h>
#include <lib/string.h>
#include "cpu.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
	uint8_t iomap[8192 + 1]; /* trailing 0xff byte required by the CPU */
} __attribute__((packed));

static struct tss tss __attribute__((aligned(64)));
static uint64_t gdt[8] __attribute__((aligned(16)));
static uint8_t ist_df_stack[4096] __attribute__((aligned(16)));
static const uint8_t *tss_bitmap_owner;

void
gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* 0x08 kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffffull; /* 0x10 kernel data */
	gdt[3] = 0x00cffa000000ffffull; /* 0x18 user code 32-bit (unused; sysret base) */
	gdt[4] = 0x00cff2000000ffffull; /* 0x20 user data */
	gdt[5] = 0x00affa000000ffffull; /* 0x28 user code, 64-bit */

	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;
	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
	         (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;

	memset(&tss, 0, sizeof(tss));
	tss.iomap_base = (uint16_t) __builtin_offsetof(struct tss, iomap);
	memset(tss.iomap, 0xff, sizeof(tss.iomap));
	tss.ist[0] = (uint64_t)(ist_df_stack + sizeof(ist_df_stack));

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = {sizeof(gdt) - 1, (uint64_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
	                 "mov %1, %%ds\n\t"
	                 "mov %1, %%es\n\t"
	                 "mov %1, %%ss\n\t"
	                 "pushq %2\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "ltr %w3"
	                 :
	                 : "m"(ptr), "r"((uint64_t)GDT_KDATA), "i"(GDT_KCODE), "r"(GDT_TSS)
	                 : "rax", "memory");
}

uint64_t *const tss_rsp0 = &tss.rsp[0];

/* Installs a task's I/O permission bitmap (NULL: deny all).  Copies only on change. */
void
tss_set_iobitmap(const uint8_t *bitmap)
{
	if (bitmap == tss_bitmap_owner)
		return;
	if (bitmap)
		memcpy(tss.iomap, bitmap, 8192);
	else
		memset(tss.iomap, 0xff, 8192);
	tss_bitmap_owner = bitmap;
}

void
arch_ioport_allow(uint8_t *bitmap, uint16_t base, uint16_t count)
{
	for (uint32_t p = base; p < (uint32_t)base + count && p < 65536; p++)
		bitmap[p / 8] &= (uint8_t) ~(1u << (p % 8));
	if (bitmap == tss_bitmap_owner)
		tss_bitmap_owner = NULL; /* force a reload on next switch */
}
