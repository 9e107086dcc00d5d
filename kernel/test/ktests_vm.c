// SPDX-License-Identifier: MIT
/* In-kernel tests of virtual memory: copy-on-write, fork's clone,
 * protection, rights, guard gaps, quotas, page payloads (KVM-0NN). */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/clone.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/vmspace.h>
#include <test/ktest.h>

#define RW (FERRY_PROT_READ | FERRY_PROT_WRITE)

/* Loads and stores through an address space as the CPU would (faulting in). */
static int
uread(struct vmspace *vm, uintptr_t va, uint64_t *v)
{
	paddr_t pa;
	int rc = vm_resolve(vm, va, VM_ACCESS_READ, &pa);
	if (rc == 0)
		*v = *(uint64_t *)((char *)phys_to_virt(pa) + (va & PAGE_MASK));
	return rc;
}

static int
uwrite(struct vmspace *vm, uintptr_t va, uint64_t v)
{
	paddr_t pa;
	int rc = vm_resolve(vm, va, VM_ACCESS_WRITE, &pa);
	if (rc == 0)
		*(uint64_t *)((char *)phys_to_virt(pa) + (va & PAGE_MASK)) = v;
	return rc;
}

static uint64_t
rd(struct vmspace *vm, uintptr_t va)
{
	uint64_t v = 0xdeadull;
	(void)uread(vm, va, &v);
	return v;
}

static struct task *
new_task(const char *name)
{
	struct task *t = NULL;
	if (task_create(name, kernel_task(), &t))
		return NULL;
	return t;
}

static void
end_task(struct task *t)
{
	task_exit(t, 0);
	kobj_unref(&t->obj);
}

/* A private anonymous mapping of npages in t. */
static uintptr_t
map_private(struct task *t, size_t npages)
{
	struct memobj *mo;
	uintptr_t a = 0;
	if (memobj_create_anon(t, npages * PAGE_SIZE, &mo))
		return 0;
	if (vm_map(t->vm, mo, 0, 0, npages * PAGE_SIZE, RW | FERRY_MAP_PRIVATE, &a))
		a = 0;
	kobj_unref(&mo->obj);
	return a;
}

KTEST(private_map, "KVM-001", "private mapping: writes never reach the object, reads see it")
{
	struct task *t = new_task("priv");
	KEXPECT(t != NULL);
	struct memobj *mo;
	KEXPECT_EQ(memobj_create_anon(t, 2 * PAGE_SIZE, &mo), 0);
	uintptr_t sh, pv;
	KEXPECT_EQ(vm_map(t->vm, mo, 0, 0, 2 * PAGE_SIZE, RW, &sh), 0);
	KEXPECT_EQ(vm_map(t->vm, mo, 0, 0, 2 * PAGE_SIZE, RW | FERRY_MAP_PRIVATE, &pv), 0);
	KEXPECT_EQ(uwrite(t->vm, sh, 11), 0);
	KEXPECT_EQ(rd(t->vm, pv), 11);          /* reads the object's page */
	KEXPECT_EQ(uwrite(t->vm, pv, 22), 0);   /* copies it */
	KEXPECT_EQ(rd(t->vm, sh), 11);
	KEXPECT_EQ(rd(t->vm, pv), 22);
	KEXPECT_EQ(uwrite(t->vm, pv + PAGE_SIZE, 33), 0); /* absent in the object: zero page */
	KEXPECT_EQ(memobj_peek_page(mo, PAGE_SIZE), 0);
	KEXPECT_EQ(rd(t->vm, sh + PAGE_SIZE), 0);
	kobj_unref(&mo->obj);
	end_task(t);
}

KTEST(cow_isolation, "KVM-002", "fork clone: parent and child writes are invisible to each other")
{
	struct task *p = new_task("parent");
	uintptr_t a = map_private(p, 4);
	KEXPECT(a != 0);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(uwrite(p->vm, a + i * PAGE_SIZE, 100 + i), 0);
	struct memobj *shm;
	uintptr_t s;
	KEXPECT_EQ(memobj_create_anon(p, PAGE_SIZE, &shm), 0);
	KEXPECT_EQ(vm_map(p->vm, shm, 0, 0, PAGE_SIZE, RW, &s), 0);
	kobj_unref(&shm->obj);
	KEXPECT_EQ(uwrite(p->vm, s, 7), 0);

	struct task *c = new_task("child");
	KEXPECT_EQ(vmspace_clone(p->vm, c->vm), 0);
	paddr_t pa;
	unsigned fl;
	KEXPECT(arch_pt_query(p->vm->root, a, &pa, &fl) && !(fl & ARCH_PTE_WRITE));
	KEXPECT_EQ(pmm_refcount(pa), 2);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(rd(c->vm, a + i * PAGE_SIZE), 100 + i);
	uint64_t copied = vm_stats.pages_copied;
	KEXPECT_EQ(uwrite(p->vm, a, 1), 0);         /* parent copies */
	KEXPECT_EQ(uwrite(c->vm, a + PAGE_SIZE, 2), 0); /* child copies */
	KEXPECT_EQ(vm_stats.pages_copied - copied, 2);
	KEXPECT_EQ(uwrite(c->vm, a, 3), 0);         /* last sharer: no copy */
	KEXPECT_EQ(vm_stats.pages_copied - copied, 2);
	KEXPECT_EQ(rd(p->vm, a), 1);
	KEXPECT_EQ(rd(c->vm, a), 3);
	KEXPECT_EQ(rd(p->vm, a + PAGE_SIZE), 101);
	KEXPECT_EQ(rd(c->vm, a + PAGE_SIZE), 2);
	KEXPECT_EQ(rd(c->vm, a + 2 * PAGE_SIZE), 102);
	/* shared areas stay shared */
	KEXPECT_EQ(uwrite(c->vm, s, 8), 0);
	KEXPECT_EQ(rd(p->vm, s), 8);
	end_task(c);
	KEXPECT_EQ(rd(p->vm, a + 3 * PAGE_SIZE), 103);
	KEXPECT_EQ(uwrite(p->vm, a + 3 * PAGE_SIZE, 5), 0);
	end_task(p);
}

KTEST(protection, "KVM-003", "protection: read-only, no-exec and none are enforced; NX bit set")
{
	struct task *t = new_task("prot");
	uintptr_t a = map_private(t, 3);
	KEXPECT_EQ(uwrite(t->vm, a, 1), 0);
	paddr_t pa;
	unsigned fl;
	KEXPECT(arch_pt_query(t->vm->root, a, &pa, &fl) && !(fl & ARCH_PTE_EXEC));
	KEXPECT_EQ(vm_fault(t->vm, a, VM_ACCESS_EXEC), -FERRY_EACCES);
	KEXPECT_EQ(vm_protect(t->vm, a, PAGE_SIZE, FERRY_PROT_READ), 0);
	KEXPECT(arch_pt_query(t->vm->root, a, &pa, &fl) && !(fl & ARCH_PTE_WRITE));
	KEXPECT_EQ(uwrite(t->vm, a, 2), -FERRY_EACCES);
	KEXPECT_EQ(rd(t->vm, a), 1);
	KEXPECT_EQ(vm_protect(t->vm, a + PAGE_SIZE, PAGE_SIZE, 0), 0);
	KEXPECT_EQ(vm_fault(t->vm, a + PAGE_SIZE, VM_ACCESS_READ), -FERRY_EACCES);
	KEXPECT_EQ(vm_fault(t->vm, a + 3 * PAGE_SIZE, VM_ACCESS_READ), -FERRY_EFAULT);
	KEXPECT_EQ(vm_protect(t->vm, a, 4 * PAGE_SIZE, FERRY_PROT_READ), -FERRY_ENOMEM);
	KEXPECT_EQ(vm_protect(t->vm, a, PAGE_SIZE, RW), 0);
	KEXPECT_EQ(uwrite(t->vm, a, 2), 0);
	end_task(t);
}

KTEST(map_rights, "KVM-004", "vm_map: handle rights limit prot and later vm_protect; private may write")
{
	struct task *t = new_task("rights");
	struct memobj *mo;
	uintptr_t a;
	KEXPECT_EQ(memobj_create_anon(t, PAGE_SIZE, &mo), 0);
	uint32_t ro = FERRY_RIGHT_MAP | FERRY_RIGHT_READ;
	KEXPECT_EQ(vm_map_rights(t->vm, mo, 0, 0, PAGE_SIZE, RW, ro, &a), -FERRY_EACCES);
	KEXPECT_EQ(vm_map_rights(t->vm, mo, 0, 0, PAGE_SIZE, FERRY_PROT_READ | FERRY_PROT_EXEC, ro, &a),
		   -FERRY_EACCES);
	KEXPECT_EQ(vm_map_rights(t->vm, mo, 0, 0, PAGE_SIZE, FERRY_PROT_READ, ro, &a), 0);
	KEXPECT_EQ(vm_protect(t->vm, a, PAGE_SIZE, RW), -FERRY_EACCES);
	KEXPECT_EQ(vm_map_rights(t->vm, mo, 0, 0, PAGE_SIZE, RW | FERRY_MAP_PRIVATE, ro, &a), 0);
	KEXPECT_EQ(uwrite(t->vm, a, 9), 0);
	KEXPECT_EQ(memobj_peek_page(mo, 0), 0); /* the write stayed private */
	struct memobj *phys;
	KEXPECT_EQ(memobj_create_phys(t, 0xfee00000ull, PAGE_SIZE, &phys), 0);
	KEXPECT_EQ(vm_map(t->vm, phys, 0, 0, PAGE_SIZE, RW | FERRY_MAP_PRIVATE, &a), -FERRY_EINVAL);
	KEXPECT_EQ(vm_map(t->vm, phys, 0, 0, PAGE_SIZE, RW, &a), 0);
	KEXPECT_EQ(vm_fault(t->vm, a, VM_ACCESS_WRITE), 0);
	paddr_t pa;
	KEXPECT(arch_pt_query(t->vm->root, a, &pa, NULL) && pa == 0xfee00000ull);
	kobj_unref(&phys->obj);
	kobj_unref(&mo->obj);
	end_task(t);
}

KTEST(guard_gaps, "KVM-005", "kernel-chosen mappings are separated by unmapped guard pages")
{
	struct task *t = new_task("guard");
	uintptr_t prev = 0;
	for (int i = 0; i < 8; i++) {
		uintptr_t a = map_private(t, 1 + (i & 1));
		KEXPECT(a != 0);
		if (prev) {
			struct vm_area *pa = vm_find(t->vm, prev);
			KEXPECT(a >= pa->end + PAGE_SIZE);
		}
		KEXPECT(vm_find(t->vm, a - PAGE_SIZE) == NULL);
		prev = a;
	}
	/* a hole exactly the size of a request is not used without its guards */
	uintptr_t x = map_private(t, 1), y = map_private(t, 1), z = map_private(t, 1);
	KEXPECT_EQ(vm_unmap(t->vm, y, PAGE_SIZE), 0);
	t->vm->mmap_hint = x;
	uintptr_t w = map_private(t, 3);
	KEXPECT(w > z);
	end_task(t);
}

KTEST(quota_recovery, "KVM-006", "quota: a memory flood fails with EQUOTA and frees all when its task dies")
{
	size_t before = pmm_free_pages();
	struct task *t = new_task("flood");
	t->quota.limit = 8ll << 20;
	uintptr_t a = map_private(t, 4096); /* 16 MiB: more than the quota */
	KEXPECT(a != 0);
	int rc = 0;
	uintptr_t va;
	for (va = a; va < a + 4096 * PAGE_SIZE && rc == 0; va += PAGE_SIZE)
		rc = uwrite(t->vm, va, va);
	KEXPECT_EQ(rc, -FERRY_EQUOTA);
	KEXPECT(va > a + 1000 * PAGE_SIZE);
	/* more objects and mappings fail cleanly too */
	struct memobj *mo;
	int n = 0;
	while ((rc = memobj_create_anon(t, PAGE_SIZE, &mo)) == 0 && n < 100000) {
		uintptr_t b;
		rc = vm_map(t->vm, mo, 0, 0, PAGE_SIZE, RW, &b);
		kobj_unref(&mo->obj);
		if (rc)
			break;
		n++;
	}
	KEXPECT_EQ(rc, -FERRY_EQUOTA);
	struct task *c = new_task("flood-child");
	c->quota.limit = 1ll << 20;
	KEXPECT_EQ(vmspace_clone(t->vm, c->vm), -FERRY_EQUOTA);
	end_task(c);
	end_task(t);
	KEXPECT_EQ(pmm_free_pages(), before);
}

KTEST(clone_16m, "KVM-007", "clone of a task with 16 MiB touched shares every page until written")
{
	size_t before = pmm_free_pages();
	struct task *p = new_task("big");
	uintptr_t a = map_private(p, 4096);
	for (uintptr_t va = a; va < a + (16u << 20); va += PAGE_SIZE)
		KEXPECT_EQ(uwrite(p->vm, va, va ^ 0x5a5a), 0);
	size_t touched = pmm_free_pages();
	struct task *c = new_task("big-child");
	uint64_t copied = vm_stats.pages_copied;
	KEXPECT_EQ(vmspace_clone(p->vm, c->vm), 0);
	KEXPECT(touched - pmm_free_pages() < 64); /* only tables and objects, no data pages */
	KEXPECT_EQ(vm_stats.pages_copied, copied);
	int bad = 0;
	for (uintptr_t va = a; va < a + (16u << 20); va += 64 * PAGE_SIZE)
		bad += rd(c->vm, va) != (va ^ 0x5a5a);
	KEXPECT_EQ(bad, 0);
	for (uintptr_t va = a; va < a + (16u << 20); va += PAGE_SIZE)
		(void)uwrite(c->vm, va, 1);
	KEXPECT_EQ(vm_stats.pages_copied - copied, 4096);
	KEXPECT_EQ(rd(p->vm, a + 5 * PAGE_SIZE), (a + 5 * PAGE_SIZE) ^ 0x5a5a);
	end_task(c);
	end_task(p);
	KEXPECT_EQ(pmm_free_pages(), before);
}

KTEST(handle_clone, "KVM-008", "clone: the child's handle table has duplicates at the same values")
{
	struct task *p = new_task("hparent");
	struct memobj *mo;
	handle_t h1, h2, h3;
	KEXPECT_EQ(memobj_create_anon(p, PAGE_SIZE, &mo), 0);
	kobj_ref(&mo->obj);
	KEXPECT_EQ(handle_install(p, &mo->obj, FERRY_RIGHT_MAP, &h1), 0);
	kobj_ref(&mo->obj);
	KEXPECT_EQ(handle_install(p, &mo->obj, FERRY_RIGHT_MAP | FERRY_RIGHT_DUP, &h2), 0);
	KEXPECT_EQ(handle_close(p, h1), 0);
	kobj_ref(&mo->obj);
	KEXPECT_EQ(handle_install(p, &mo->obj, FERRY_RIGHT_READ, &h3), 0);
	KEXPECT(h3 != h1);
	struct task *c = new_task("hchild");
	KEXPECT_EQ(handle_table_clone(p, c), 0);
	struct kobject *o;
	uint32_t r;
	KEXPECT_EQ(handle_lookup(c, h2, FERRY_OBJ_MEMOBJ, 0, &o, &r), 0);
	KEXPECT(o == &mo->obj && r == (FERRY_RIGHT_MAP | FERRY_RIGHT_DUP));
	KEXPECT_EQ(handle_lookup(c, h3, FERRY_OBJ_MEMOBJ, FERRY_RIGHT_READ, &o, NULL), 0);
	KEXPECT_EQ(handle_lookup(c, h1, FERRY_OBJ_NONE, 0, &o, NULL), -FERRY_EBADH);
	KEXPECT_EQ(mo->obj.refcount, 5);
	end_task(c);
	KEXPECT_EQ(mo->obj.refcount, 3);
	kobj_unref(&mo->obj);
	end_task(p);
}
