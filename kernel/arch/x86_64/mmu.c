// SPDX-License-Identifier: MIT
/*
 * x86_64 page tables.  The kernel half (PML4 entries 256-511) is built
 * once at boot and shared by every address space: the physmap (all RAM at
 * physmap_base, 2 MiB pages, no-execute), the kernel image (4 KiB pages with
 * text RX, rodata R, data RW+NX) and the kernel-stack region (4 KiB pages
 * with an unmapped guard page below each stack).  The user half is per
 * task.  Entry points: mmu_init, arch_pt_*, arch_kstack_alloc/free.
 */
#include <stdint.h>
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <mm/pmm.h>
#include <lib/klog.h>
#include "cpu.h"

#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_PCD  (1ull << 4)
#define PTE_PS   (1ull << 7)
#define PTE_G    (1ull << 8)
#define PTE_NX   (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define KERNEL_VMA       0xffffffff80000000ull
#define KSTACK_BASE      0xffffff0000000000ull /* PML4 slot 510 */
#define KSTACK_SLOTS     8192                  /* stack slots of KSTACK_SLOT_SIZE */
#define KSTACK_SLOT_SIZE (64 * 1024)

uintptr_t physmap_base = 0xffff800000000000ull;
static paddr_t kernel_root;
/* A bit per slot, a word of 64 at a time; every word below kstack_low is full. */
static uint64_t kstack_used[KSTACK_SLOTS / 64];
static unsigned kstack_low;

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[], _data_start[], _end[];

static uint64_t *
table(paddr_t pa)
{
	return phys_to_virt(pa);
}

/* Returns the next-level table under entry e, allocating it if asked. */
static int
next_level(uint64_t *e, bool alloc, bool user, uint64_t **out)
{
	if (!(*e & PTE_P)) {
		if (!alloc)
			return -FERRY_ENOENT;
		paddr_t pa;
		int rc = pmm_alloc_zeroed(&pa);
		if (rc)
			return rc;
		*e = pa | PTE_P | PTE_W | (user ? PTE_U : 0);
	}
	assert(!(*e & PTE_PS));
	*out = table(*e & PTE_ADDR);
	return 0;
}

/* Finds (allocating) the level-1 entry for va under root. */
static int
walk(paddr_t root, uintptr_t va, bool alloc, uint64_t **pte)
{
	bool user = va < (1ull << 47);
	uint64_t *t = table(root);
	for (int shift = 39; shift > 12; shift -= 9) {
		int rc = next_level(&t[(va >> shift) & 511], alloc, user, &t);
		if (rc)
			return rc;
	}
	*pte = &t[(va >> 12) & 511];
	return 0;
}

static uint64_t
pte_bits(unsigned flags)
{
	uint64_t b = PTE_P;
	if (flags & ARCH_PTE_WRITE)
		b |= PTE_W;
	if (!(flags & ARCH_PTE_EXEC))
		b |= PTE_NX;
	if (flags & ARCH_PTE_USER)
		b |= PTE_U;
	else
		b |= PTE_G;
	if (flags & ARCH_PTE_NOCACHE)
		b |= PTE_PCD;
	return b;
}

int
arch_pt_map(paddr_t root, uintptr_t va, paddr_t pa, unsigned flags)
{
	uint64_t *pte;
	int rc = walk(root, va, true, &pte);
	if (rc)
		return rc;
	bool was = *pte & PTE_P;
	*pte = (pa & PTE_ADDR) | pte_bits(flags);
	if (was && root == (read_cr3() & PTE_ADDR))
		invlpg(va);
	return 0;
}

paddr_t
arch_pt_unmap(paddr_t root, uintptr_t va)
{
	uint64_t *pte;
	if (walk(root, va, false, &pte) || !(*pte & PTE_P))
		return 0;
	paddr_t pa = *pte & PTE_ADDR;
	*pte = 0;
	if (root == (read_cr3() & PTE_ADDR) || va >= (1ull << 47))
		invlpg(va);
	return pa;
}

bool
arch_pt_query(paddr_t root, uintptr_t va, paddr_t *pa, unsigned *flags)
{
	uint64_t *pte;
	if (walk(root, va, false, &pte) || !(*pte & PTE_P))
		return false;
	if (pa)
		*pa = *pte & PTE_ADDR;
	if (flags)
		*flags = ((*pte & PTE_W) ? ARCH_PTE_WRITE : 0) |
		         ((*pte & PTE_NX) ? 0 : ARCH_PTE_EXEC) |
		         ((*pte & PTE_U) ? ARCH_PTE_USER : 0);
	return true;
}

void
arch_tlb_flush_page(uintptr_t va)
{
	invlpg(va);
}

int
arch_pt_create(paddr_t *root)
{
	paddr_t pa;
	int rc = pmm_alloc_zeroed(&pa);
	if (rc)
		return rc;
	memcpy(table(pa) + 256, table(kernel_root) + 256, 256 * sizeof(uint64_t));
	*root = pa;
	return 0;
}

static void
free_level(paddr_t pa, int level)
{
	uint64_t *t = table(pa);
	if (level > 1) {
		for (int i = 0; i < 512; i++)
			if (t[i] & PTE_P)
				free_level(t[i] & PTE_ADDR, level - 1);
	}
	pmm_unref(pa);
}

/* Frees the user-half page-table pages (not the pages they map: vmspace owns those). */
void
arch_pt_destroy(paddr_t root)
{
	uint64_t *t = table(root);
	for (int i = 0; i < 256; i++)
		if (t[i] & PTE_P)
			free_level(t[i] & PTE_ADDR, 3);
	pmm_unref(root);
}

void
arch_pt_activate(paddr_t root)
{
	if ((read_cr3() & PTE_ADDR) != root)
		write_cr3(root);
}

paddr_t
arch_kernel_root(void)
{
	return kernel_root;
}

static void
map_kernel_range(uintptr_t start, uintptr_t end, unsigned flags)
{
	for (uintptr_t va = start; va < end; va += PAGE_SIZE)
		if (arch_pt_map(kernel_root, va, va - KERNEL_VMA, flags))
			panic("mmu: out of memory mapping the kernel");
}

/*
 * Builds the kernel address space: physmap of [0, top) with 2 MiB pages,
 * the kernel image with section permissions, and pre-allocated level-3
 * tables for every kernel PML4 slot so all tasks share them forever.
 */
void
mmu_init(paddr_t top)
{
	if (pmm_alloc_zeroed(&kernel_root))
		panic("mmu: no memory for the kernel root");
	uint64_t *pml4 = table(kernel_root);
	for (int i = 256; i < 512; i++) {
		paddr_t pa;
		if (pmm_alloc_zeroed(&pa))
			panic("mmu: no memory");
		pml4[i] = pa | PTE_P | PTE_W;
	}
	for (paddr_t pa = 0; pa < top; pa += 2ull << 20) {
		uintptr_t va = physmap_base + pa;
		uint64_t *pdpt = table(pml4[(va >> 39) & 511] & PTE_ADDR);
		uint64_t *pd;
		if (next_level(&pdpt[(va >> 30) & 511], true, false, &pd))
			panic("mmu: no memory for the physmap");
		pd[(va >> 21) & 511] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	}
	map_kernel_range((uintptr_t)_text_start, (uintptr_t)_text_end, ARCH_PTE_EXEC);
	map_kernel_range((uintptr_t)_rodata_start, (uintptr_t)_rodata_end, 0);
	map_kernel_range((uintptr_t)_data_start, (uintptr_t)_end, ARCH_PTE_WRITE);
	write_cr3(kernel_root);
}

/*
 * Kernel stacks live in fixed 64 KiB slots; a stack of `pages` is mapped at
 * the top of its slot, so the page below it (and the rest of the slot) is
 * an unmapped guard.  Returns the stack top, or 0.  The lowest free slot
 * is found a word of the bitmap at a time from the first word that is not
 * full, so a creation costs the same with thousands of threads alive.
 */
uintptr_t
arch_kstack_alloc(size_t pages)
{
	assert(pages * PAGE_SIZE < KSTACK_SLOT_SIZE);
	while (kstack_low < KSTACK_SLOTS / 64 && kstack_used[kstack_low] == ~0ull)
		kstack_low++;
	if (kstack_low == KSTACK_SLOTS / 64)
		return 0;
	unsigned s = kstack_low * 64 + (unsigned)__builtin_ctzll(~kstack_used[kstack_low]);
	uintptr_t top = KSTACK_BASE + (uintptr_t)(s + 1) * KSTACK_SLOT_SIZE;
	size_t i;
	for (i = 0; i < pages; i++) {
		paddr_t pa;
		if (pmm_alloc(&pa))
			break;
		if (arch_pt_map(kernel_root, top - (i + 1) * PAGE_SIZE, pa, ARCH_PTE_WRITE)) {
			pmm_unref(pa);
			break;
		}
	}
	if (i < pages) {
		while (i--)
			pmm_unref(arch_pt_unmap(kernel_root, top - (i + 1) * PAGE_SIZE));
		return 0;
	}
	kstack_used[s / 64] |= 1ull << (s % 64);
	return top;
}

void
arch_kstack_free(uintptr_t top, size_t pages)
{
	for (size_t i = 0; i < pages; i++) {
		paddr_t pa = arch_pt_unmap(kernel_root, top - (i + 1) * PAGE_SIZE);
		if (pa)
			pmm_unref(pa);
	}
	unsigned s = (unsigned)((top - KSTACK_BASE) / KSTACK_SLOT_SIZE) - 1;
	kstack_used[s / 64] &= ~(1ull << (s % 64));
	if (s / 64 < kstack_low)
		kstack_low = s / 64;
}
