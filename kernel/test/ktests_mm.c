// SPDX-License-Identifier: MIT
/* In-kernel tests of memory: page allocator, slab caches, transient arena,
 * handle tables, address spaces. */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/slab.h>
#include <mm/vmspace.h>
#include <test/ktest.h>

KTEST(pmm_roundtrip, "KMM-001", "page allocator: alloc, refcount, free restores the count")
{
	size_t before = pmm_free_pages();
	paddr_t a, b;
	KEXPECT_EQ(pmm_alloc_zeroed(&a), 0);
	KEXPECT_EQ(pmm_alloc(&b), 0);
	KEXPECT(a != b);
	KEXPECT_EQ(((uint64_t *)phys_to_virt(a))[17], 0);
	pmm_ref(a);
	KEXPECT_EQ(pmm_refcount(a), 2);
	pmm_unref(a);
	pmm_unref(a);
	pmm_unref(b);
	KEXPECT_EQ(pmm_free_pages(), before);
}

KTEST(slab_basic, "KMM-002", "kmalloc: distinct zeroed objects, free and reuse")
{
	char *p[64];
	for (int i = 0; i < 64; i++) {
		p[i] = kmalloc(100);
		KEXPECT(p[i] != NULL);
		KEXPECT_EQ(p[i][99], 0);
		memset(p[i], 0xab, 100);
	}
	for (int i = 1; i < 64; i++)
		KEXPECT(p[i] != p[i - 1]);
	for (int i = 0; i < 64; i++)
		kfree(p[i]);
	KEXPECT(kmalloc(0) == NULL);
	KEXPECT(kmalloc(1u << 20) == NULL);
}

KTEST(arena_bounds, "KMM-003", "transient arena: allocations stay below the live stack")
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	char *a = tarena_alloc(512);
	KEXPECT(a != NULL);
	KEXPECT((uintptr_t)a + 512 + ARENA_STACK_GAP <= sp);
	KEXPECT(((uintptr_t)a & 15) == 0);
	KEXPECT(tarena_alloc(KSTACK_PAGES * PAGE_SIZE) == NULL);
	KEXPECT(tarena_alloc(SIZE_MAX) == NULL);
	/* Fill it up: it must fail cleanly, never reach the stack. */
	size_t got = 0;
	while (tarena_alloc(256))
		got += 256;
	KEXPECT(got > 0);
	KEXPECT(current->arena.top + ARENA_STACK_GAP <= sp);
	arena_reset(&current->arena);
	KEXPECT_EQ(arena_used(&current->arena), 0);
}

KTEST(handles_stale, "KMM-004", "handles: lookup by type and rights, stale values rejected")
{
	struct task *t;
	KEXPECT_EQ(task_create("htest", kernel_task(), &t), 0);
	struct memobj *mo;
	KEXPECT_EQ(memobj_create_anon(t, PAGE_SIZE, &mo), 0);
	handle_t h;
	KEXPECT_EQ(handle_install(t, &mo->obj, FERRY_RIGHT_MAP, &h), 0);
	struct kobject *o;
	KEXPECT_EQ(handle_lookup(t, h, FERRY_OBJ_MEMOBJ, FERRY_RIGHT_MAP, &o, NULL), 0);
	KEXPECT_EQ(handle_lookup(t, h, FERRY_OBJ_PORT, 0, &o, NULL), -FERRY_EWRONGTYPE);
	KEXPECT_EQ(handle_lookup(t, h, FERRY_OBJ_MEMOBJ, FERRY_RIGHT_SEND, &o, NULL),
	           -FERRY_EACCES);
	KEXPECT_EQ(handle_close(t, h), 0);
	KEXPECT_EQ(handle_close(t, h), -FERRY_EBADH);
	KEXPECT_EQ(handle_lookup(t, 0, FERRY_OBJ_NONE, 0, &o, NULL), -FERRY_EBADH);
	KEXPECT_EQ(handle_lookup(t, 0x80000001u, FERRY_OBJ_NONE, 0, &o, NULL), -FERRY_EBADH);
	task_exit(t, 0);
	kobj_unref(&t->obj);
}

KTEST(vm_map_fault, "KMM-005", "address space: map, demand-zero fault, protect, unmap")
{
	struct task *t;
	KEXPECT_EQ(task_create("vmtest", kernel_task(), &t), 0);
	struct memobj *mo;
	KEXPECT_EQ(memobj_create_anon(t, 4 * PAGE_SIZE, &mo), 0);
	uintptr_t a;
	KEXPECT_EQ(vm_map(t->vm, mo, 0, 0, 4 * PAGE_SIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, &a),
	           0);
	KEXPECT_EQ(vm_fault(t->vm, a + 5, VM_ACCESS_WRITE), 0);
	KEXPECT_EQ(vm_fault(t->vm, a + 5, VM_ACCESS_EXEC), -FERRY_EACCES);
	KEXPECT_EQ(vm_fault(t->vm, a + 4 * PAGE_SIZE, VM_ACCESS_READ), -FERRY_EFAULT);
	KEXPECT_EQ(vm_protect(t->vm, a + PAGE_SIZE, PAGE_SIZE, FERRY_PROT_READ), 0);
	KEXPECT_EQ(vm_fault(t->vm, a + PAGE_SIZE, VM_ACCESS_WRITE), -FERRY_EACCES);
	KEXPECT_EQ(vm_fault(t->vm, a + 2 * PAGE_SIZE, VM_ACCESS_WRITE), 0);
	KEXPECT_EQ(vm_unmap(t->vm, a, 4 * PAGE_SIZE), 0);
	KEXPECT_EQ(vm_fault(t->vm, a, VM_ACCESS_READ), -FERRY_EFAULT);
	KEXPECT_EQ(vm_map(t->vm, mo, 0, 0, 8 * PAGE_SIZE, FERRY_PROT_READ, &a), -FERRY_EINVAL);
	KEXPECT_EQ(vm_unmap(t->vm, 0x123, PAGE_SIZE), -FERRY_EINVAL);
	kobj_unref(&mo->obj);
	task_exit(t, 0);
	kobj_unref(&t->obj);
}

KTEST(quota_exhaust, "KMM-006", "quota: a task cannot exceed its kernel-memory quota")
{
	struct task *t;
	KEXPECT_EQ(task_create("qtest", kernel_task(), &t), 0);
	t->quota.limit = t->quota.used + 3 * PAGE_SIZE;
	struct memobj *mo;
	KEXPECT_EQ(memobj_create_anon(t, 64 * PAGE_SIZE, &mo), 0);
	int rc = 0;
	uint64_t off;
	paddr_t pa;
	for (off = 0; off < 64 * PAGE_SIZE && rc == 0; off += PAGE_SIZE)
		rc = memobj_get_page(mo, off, &pa);
	KEXPECT_EQ(rc, -FERRY_EQUOTA);
	KEXPECT(off < 64 * PAGE_SIZE);
	kobj_unref(&mo->obj);
	task_exit(t, 0);
	kobj_unref(&t->obj);
}
