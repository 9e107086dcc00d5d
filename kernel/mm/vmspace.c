// SPDX-License-Identifier: MIT
/*
 * Address spaces: mapping memory objects into a task, unmapping,
 * protection changes, page-fault resolution, and safe user-memory copies.
 * Entry points: vmspace_create/destroy, vm_map, vm_unmap, vm_protect,
 * vm_fault, copy_from_user, copy_to_user.
 *
 * Pages stay owned by their memory object; page-table entries do not hold
 * page references, so unmapping only clears entries.  Each area holds one
 * reference to its object and is charged to the task's quota.
 */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/slab.h>
#include <mm/vmspace.h>
#include <lib/klog.h>

#define PROT_MASK (FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_PROT_EXEC)

int
vmspace_create(struct task *t, struct vmspace **out)
{
	int rc = quota_charge(&t->quota, sizeof(struct vmspace) + PAGE_SIZE);
	if (rc)
		return rc;
	struct vmspace *vm = kmalloc(sizeof(*vm));
	if (!vm) {
		rc = -FERRY_ENOMEM;
		goto out_quota;
	}
	rc = arch_pt_create(&vm->root);
	if (rc)
		goto out_free;
	list_init(&vm->areas);
	vm->task = t;
	vm->mmap_hint = VM_MMAP_BASE;
	*out = vm;
	return 0;
out_free:
	kfree(vm);
out_quota:
	quota_release(&t->quota, sizeof(struct vmspace) + PAGE_SIZE);
	return rc;
}

static void
area_free(struct vmspace *vm, struct vm_area *a)
{
	for (uintptr_t va = a->start; va < a->end; va += PAGE_SIZE)
		arch_pt_unmap(vm->root, va);
	list_remove(&a->link);
	kobj_unref(&a->mo->obj);
	kfree(a);
	quota_release(&vm->task->quota, sizeof(*a));
}

void
vmspace_destroy(struct vmspace *vm)
{
	while (!list_empty(&vm->areas))
		area_free(vm, container_of(vm->areas.next, struct vm_area, link));
	arch_pt_destroy(vm->root);
	quota_release(&vm->task->quota, sizeof(struct vmspace) + PAGE_SIZE);
	kfree(vm);
}

struct vm_area *
vm_find(struct vmspace *vm, uintptr_t addr)
{
	struct list *pos;
	for (pos = vm->areas.next; pos != &vm->areas; pos = pos->next) {
		struct vm_area *a = container_of(pos, struct vm_area, link);
		if (addr < a->start)
			return NULL;
		if (addr < a->end)
			return a;
	}
	return NULL;
}

static unsigned
pte_flags(uint32_t prot)
{
	return ARCH_PTE_USER | ((prot & FERRY_PROT_WRITE) ? ARCH_PTE_WRITE : 0) |
	       ((prot & FERRY_PROT_EXEC) ? ARCH_PTE_EXEC : 0);
}

int
vm_fault(struct vmspace *vm, uintptr_t addr, unsigned access)
{
	struct vm_area *a = vm_find(vm, addr);
	if (!a)
		return -FERRY_EFAULT;
	if (((access & VM_ACCESS_WRITE) && !(a->prot & FERRY_PROT_WRITE)) ||
	    ((access & VM_ACCESS_EXEC) && !(a->prot & FERRY_PROT_EXEC)) ||
	    !(a->prot & (FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_PROT_EXEC)))
		return -FERRY_EACCES;
	uintptr_t va = addr & ~(PAGE_SIZE - 1);
	paddr_t pa;
	int rc = memobj_get_page(a->mo, a->off + (va - a->start), &pa);
	if (rc)
		return rc;
	return arch_pt_map(vm->root, va, pa, pte_flags(a->prot) |
			   (a->mo->kind == MEMOBJ_PHYS ? ARCH_PTE_NOCACHE : 0));
}

/* Checks that [addr, addr+len) is a page-aligned user range. */
static bool
range_ok(uintptr_t addr, size_t len)
{
	return len && !(addr & (PAGE_SIZE - 1)) && !(len & (PAGE_SIZE - 1)) &&
	       addr >= VM_USER_BASE && addr + len > addr && addr + len <= USER_TOP;
}

static bool
range_free(struct vmspace *vm, uintptr_t addr, size_t len)
{
	struct list *pos;
	for (pos = vm->areas.next; pos != &vm->areas; pos = pos->next) {
		struct vm_area *a = container_of(pos, struct vm_area, link);
		if (a->start < addr + len && addr < a->end)
			return false;
	}
	return true;
}

static uintptr_t
find_free(struct vmspace *vm, size_t len)
{
	uintptr_t addr = vm->mmap_hint;
	for (int tries = 0; tries < 2; tries++) {
		while (addr + len > addr && addr + len <= USER_TOP) {
			if (range_free(vm, addr, len))
				return addr;
			/* jump past the overlapping area */
			struct vm_area *a = NULL;
			struct list *pos;
			for (pos = vm->areas.next; pos != &vm->areas; pos = pos->next) {
				struct vm_area *b = container_of(pos, struct vm_area, link);
				if (b->start < addr + len && addr < b->end) {
					a = b;
					break;
				}
			}
			addr = a->end + PAGE_SIZE; /* leave a guard gap */
		}
		addr = VM_MMAP_BASE;
	}
	return 0;
}

static void
area_insert(struct vmspace *vm, struct vm_area *n)
{
	struct list *pos = vm->areas.next;
	while (pos != &vm->areas && container_of(pos, struct vm_area, link)->start < n->start)
		pos = pos->next;
	list_insert_before(pos, &n->link);
}

int
vm_map(struct vmspace *vm, struct memobj *mo, uint64_t off, uintptr_t addr, size_t len,
       uint32_t prot, uintptr_t *out)
{
	if (len == 0 || (len & (PAGE_SIZE - 1)) || (off & (PAGE_SIZE - 1)) || off + len < off ||
	    off + len > mo->size || (prot & ~(PROT_MASK | FERRY_MAP_FIXED | FERRY_MAP_PRIVATE)))
		return -FERRY_EINVAL;
	if (prot & FERRY_MAP_FIXED) {
		if (!range_ok(addr, len))
			return -FERRY_EINVAL;
		int rc = vm_unmap(vm, addr, len);
		if (rc)
			return rc;
	} else if (!addr || !range_ok(addr, len) || !range_free(vm, addr, len)) {
		addr = find_free(vm, len);
		if (!addr)
			return -FERRY_ENOMEM;
		vm->mmap_hint = addr + len + PAGE_SIZE;
	}
	int rc = quota_charge(&vm->task->quota, sizeof(struct vm_area));
	if (rc)
		return rc;
	struct vm_area *a = kmalloc(sizeof(*a));
	if (!a) {
		quota_release(&vm->task->quota, sizeof(struct vm_area));
		return -FERRY_ENOMEM;
	}
	list_init(&a->link);
	a->start = addr;
	a->end = addr + len;
	a->prot = prot & PROT_MASK;
	a->flags = prot & ~PROT_MASK & ~FERRY_MAP_FIXED;
	a->mo = mo;
	a->off = off;
	kobj_ref(&mo->obj);
	area_insert(vm, a);
	*out = addr;
	return 0;
}

/* Splits a so that addr is a boundary (start < addr < end). */
static int
area_split(struct vmspace *vm, struct vm_area *a, uintptr_t addr)
{
	int rc = quota_charge(&vm->task->quota, sizeof(struct vm_area));
	if (rc)
		return rc;
	struct vm_area *b = kmalloc(sizeof(*b));
	if (!b) {
		quota_release(&vm->task->quota, sizeof(struct vm_area));
		return -FERRY_ENOMEM;
	}
	*b = *a;
	list_init(&b->link);
	b->start = addr;
	b->off = a->off + (addr - a->start);
	a->end = addr;
	kobj_ref(&b->mo->obj);
	list_insert_before(a->link.next, &b->link);
	return 0;
}

/* Makes [addr, addr+len) area-aligned: no area straddles either boundary. */
static int
carve(struct vmspace *vm, uintptr_t addr, size_t len)
{
	struct vm_area *a = vm_find(vm, addr);
	int rc;
	if (a && a->start < addr && (rc = area_split(vm, a, addr)))
		return rc;
	a = vm_find(vm, addr + len - 1);
	if (a && a->end > addr + len && (rc = area_split(vm, a, addr + len)))
		return rc;
	return 0;
}

int
vm_unmap(struct vmspace *vm, uintptr_t addr, size_t len)
{
	if (!range_ok(addr, len))
		return -FERRY_EINVAL;
	int rc = carve(vm, addr, len);
	if (rc)
		return rc;
	struct list *pos, *tmp;
	list_for_each_safe(pos, tmp, &vm->areas)
	{
		struct vm_area *a = container_of(pos, struct vm_area, link);
		if (a->start >= addr && a->end <= addr + len)
			area_free(vm, a);
	}
	return 0;
}

int
vm_protect(struct vmspace *vm, uintptr_t addr, size_t len, uint32_t prot)
{
	if (!range_ok(addr, len) || (prot & ~PROT_MASK))
		return -FERRY_EINVAL;
	/* Every page of the range must be mapped (POSIX: ENOMEM otherwise). */
	for (uintptr_t va = addr; va < addr + len;) {
		struct vm_area *a = vm_find(vm, va);
		if (!a)
			return -FERRY_ENOMEM;
		va = a->end;
	}
	int rc = carve(vm, addr, len);
	if (rc)
		return rc;
	struct list *pos;
	for (pos = vm->areas.next; pos != &vm->areas; pos = pos->next) {
		struct vm_area *a = container_of(pos, struct vm_area, link);
		if (a->start < addr || a->end > addr + len)
			continue;
		a->prot = prot;
		for (uintptr_t va = a->start; va < a->end; va += PAGE_SIZE) {
			paddr_t pa;
			if (!arch_pt_query(vm->root, va, &pa, NULL))
				continue;
			if (prot)
				arch_pt_map(vm->root, va, pa, pte_flags(prot));
			else
				arch_pt_unmap(vm->root, va);
		}
	}
	return 0;
}

/* ---- user copies ---- */

long copy_user_asm(void *dst, const void *src, size_t n);

static bool
user_range(uintptr_t addr, size_t n)
{
	return addr + n >= addr && addr + n <= USER_TOP && addr >= PAGE_SIZE;
}

int
copy_from_user(void *dst, struct uptr src, size_t n)
{
	if (!user_range(src.addr, n))
		return -FERRY_EFAULT;
	return (int)copy_user_asm(dst, (const void *)src.addr, n);
}

int
copy_to_user(struct uptr dst, const void *src, size_t n)
{
	if (!user_range(dst.addr, n))
		return -FERRY_EFAULT;
	return (int)copy_user_asm((void *)dst.addr, src, n);
}

int
copy_str_from_user(char *dst, struct uptr src, size_t len, size_t max)
{
	if (len > max)
		return -FERRY_ERANGE;
	int rc = copy_from_user(dst, src, len);
	if (rc)
		return rc;
	dst[len] = 0;
	return (int)len;
}
