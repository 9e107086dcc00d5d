/* SPDX-License-Identifier: MIT */
/*
 * Multiboot entry: the loader jumps here in 32-bit protected mode with paging
 * off.  We build boot page tables (identity 1 GiB, the same 1 GiB at the
 * physmap base and at KERNEL_VMA), enter long mode with NX enabled, move to
 * the higher half and call kmain(magic, info_phys).  mmu_init() later
 * replaces these tables with the real kernel address space.
 */
#define KERNEL_VMA 0xffffffff80000000
#define MB_MAGIC 0x1badb002
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16)) /* align mods, mem info, addresses below */

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header                  /* header_addr */
	.long _image_phys_start          /* load_addr */
	.long _edata - KERNEL_VMA        /* load_end_addr */
	.long _end - KERNEL_VMA          /* bss_end_addr */
	.long _start32                   /* entry_addr */

	.section .boot.text, "ax"
	.code32
	.global _start32
_start32:
	cli
	mov %eax, %edi                   /* multiboot magic (kept for kmain) */
	mov %ebx, %esi                   /* multiboot info, physical */

	/* PD: 512 x 2 MiB identity pages = 1 GiB. */
	mov $boot_pd, %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax                   /* present, writable, 2 MiB */
	mov %eax, (%ebx, %ecx, 8)
	movl $0, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov $boot_pd, %eax
	or $0x3, %eax
	mov %eax, boot_pdpt_low          /* PDPT_low[0] -> PD */
	mov %eax, boot_pdpt_high + 510*8 /* PDPT_high[510] -> PD (0xffffffff80000000) */
	mov $boot_pdpt_low, %eax
	or $0x3, %eax
	mov %eax, boot_pml4              /* PML4[0]   identity */
	mov %eax, boot_pml4 + 256*8      /* PML4[256] physmap */
	mov $boot_pdpt_high, %eax
	or $0x3, %eax
	mov %eax, boot_pml4 + 511*8      /* PML4[511] kernel image */

	mov %cr4, %eax
	or $(1 << 5), %eax               /* PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx            /* EFER */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax /* LME, NXE */
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16)), %eax /* PG, WP */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $start64_low

	.code64
start64_low:
	movabs $start64, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.align 4096
boot_pml4:	.fill 512, 8, 0
boot_pdpt_low:	.fill 512, 8, 0
boot_pdpt_high:	.fill 512, 8, 0
boot_pd:	.fill 512, 8, 0
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff         /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff         /* 0x10: data */
boot_gdt_ptr:
	.word boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt

	.text
	.code64
start64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp
	call kmain
2:	cli
	hlt
	jmp 2b

	.bss
	.align 16
	.global boot_stack_bottom
boot_stack_bottom:
	.skip 16384
	.global boot_stack_top
boot_stack_top:
