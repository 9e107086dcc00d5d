/* SPDX-License-Identifier: MIT */
/*
 * Address spaces: a sorted list of areas, each a window onto a memory
 * object with protection bits, over the architecture's page tables.
 */
#ifndef KERNEL_MM_VMSPACE_H
#define KERNEL_MM_VMSPACE_H

#include <stdint.h>
#include <stddef.h>
#include <lib/list.h>
#include <mm/physmap.h>

#define VM_ACCESS_READ  0x1
#define VM_ACCESS_WRITE 0x2
#define VM_ACCESS_EXEC  0x4

/* Placement of kernel-chosen mappings. */
#define VM_USER_BASE  0x0000000000010000ull
#define VM_MMAP_BASE  0x0000100000000000ull

struct memobj;
struct task;

struct vm_area {
	struct list link;    /* vmspace->areas, sorted by start */
	uintptr_t start, end;
	uint32_t prot;       /* FERRY_PROT_* */
	uint32_t flags;      /* FERRY_MAP_PRIVATE ... */
	struct memobj *mo;   /* holds a reference */
	uint64_t off;        /* byte offset of start within mo */
};

struct vmspace {
	paddr_t root;
	struct list areas;
	struct task *task;   /* charged for areas and page tables */
	uintptr_t mmap_hint;
};

int vmspace_create(struct task *t, struct vmspace **out);
void vmspace_destroy(struct vmspace *vm);
static inline paddr_t vmspace_root(struct vmspace *vm) { return vm->root; }

/* Resolves a fault at addr for access; 0, or -FERRY_EFAULT (unmapped) / -FERRY_EACCES / -FERRY_ENOMEM. */
int vm_fault(struct vmspace *vm, uintptr_t addr, unsigned access);
/* Maps [off, off+len) of mo at addr (or a free place when !FERRY_MAP_FIXED and addr == 0 or busy). */
int vm_map(struct vmspace *vm, struct memobj *mo, uint64_t off, uintptr_t addr, size_t len,
	   uint32_t prot, uintptr_t *out);
int vm_unmap(struct vmspace *vm, uintptr_t addr, size_t len);
int vm_protect(struct vmspace *vm, uintptr_t addr, size_t len, uint32_t prot);
struct vm_area *vm_find(struct vmspace *vm, uintptr_t addr);

/* User memory access from system calls.  The pointer type is distinct so a
 * user address cannot be dereferenced by accident. */
struct uptr {
	uintptr_t addr;
};
static inline struct uptr uptr(uintptr_t a) { return (struct uptr){ a }; }
int copy_from_user(void *dst, struct uptr src, size_t n);
int copy_to_user(struct uptr dst, const void *src, size_t n);
/* Copies a string of at most max bytes (no NUL needed); returns its length. */
int copy_str_from_user(char *dst, struct uptr src, size_t len, size_t max);

#endif
