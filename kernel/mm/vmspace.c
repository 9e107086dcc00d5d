// SPDX-License-Identifier: MIT
/*
 * Address spaces: mapping memory objects into a task, unmapping,
 * protection changes, page-fault resolution (demand-zero and
 * copy-on-write), the fork-time clone, and safe user-memory copies.
 * Entry points: vmspace_create/destroy/clone, vm_map(_rights), vm_unmap,
 * vm_protect, vm_fault, vm_resolve, copy_from_user, copy_to_user.  The
 * areas are kept in a balanced tree (mm/vmtree.c); there are at most
 * VM_MAX_AREAS of them, and a map or split past that is -FERRY_ENOMEM.
 *
 * Private areas (FERRY_MAP_PRIVATE) never write to their backing object:
 * each has an anonymous shadow object that holds the pages the area owns.
 * A fault looks in the shadow first, then in the backing object (mapped
 * read-only), and a write with no page of its own copies the backing page
 * (or takes a zeroed one).  Fork gives the child a new shadow that shares
 * the parent's shadow pages by pmm reference count and write-protects them
 * in the parent; a write fault on a shadow page whose count is above 1
 * copies it, on one whose count is 1 just makes it writable.
 *
 * Ownership and references: pages stay owned by memory objects; page-table
 * entries hold no page references, so unmapping only clears entries.  Each
 * area holds one reference to its backing object and one to its shadow,
 * and is charged to the task's quota; a shadow's range [anon_off,
 * anon_off + len) belongs to exactly one area, so freeing the area frees
 * those pages.
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

/* The tree's links and summaries took the place of the list's: an area
 * still fits the 128-byte kmalloc class it was charged for before. */
_Static_assert(sizeof(struct vm_area) <= 128, "struct vm_area outgrew kmalloc-128");

struct vm_stats vm_stats;

void payload_vm_gone(struct vmspace *vm); /* object/payload.c */

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
	vm_tree_init(vm);
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

/* Unmaps and frees area a, which is no longer in the tree. */
static void
area_release(struct vmspace *vm, struct vm_area *a)
{
	for (uintptr_t va = a->start; va < a->end; va += PAGE_SIZE)
		arch_pt_unmap(vm->root, va);
	if (a->anon) {
		memobj_drop_range(a->anon, a->anon_off, a->end - a->start);
		kobj_unref(&a->anon->obj);
	}
	kobj_unref(&a->mo->obj);
	kfree(a);
	quota_release(&vm->task->quota, sizeof(*a));
}

void
vm_area_free(struct vmspace *vm, struct vm_area *a)
{
	vm_tree_remove(vm, a);
	area_release(vm, a);
}

void
vmspace_destroy(struct vmspace *vm)
{
	payload_vm_gone(vm);
	/* Post-order, each node cut from its parent before it is freed: O(n),
	 * with no rebalancing of a tree about to vanish. */
	struct avl_node *n = vm->areas.root;
	while (n) {
		if (n->left) {
			n = n->left;
		} else if (n->right) {
			n = n->right;
		} else {
			struct avl_node *p = n->parent;
			if (p && p->left == n)
				p->left = NULL;
			else if (p)
				p->right = NULL;
			area_release(vm, vm_area_of(n));
			n = p;
		}
	}
	arch_pt_destroy(vm->root);
	quota_release(&vm->task->quota, sizeof(struct vmspace) + PAGE_SIZE);
	kfree(vm);
}

static unsigned
pte_flags(uint32_t prot)
{
	return ARCH_PTE_USER | ((prot & FERRY_PROT_WRITE) ? ARCH_PTE_WRITE : 0) |
	       ((prot & FERRY_PROT_EXEC) ? ARCH_PTE_EXEC : 0);
}

/* Page-table flags for page pa of private area a at va: writable only when
 * the page is the area's own and nobody else shares it. */
static unsigned
private_flags(struct vm_area *a, uintptr_t va, paddr_t pa, uint32_t prot)
{
	unsigned fl = pte_flags(prot);
	paddr_t own = memobj_peek_page(a->anon, a->anon_off + (va - a->start));
	if (own != pa || pmm_refcount(pa) > 1)
		fl &= ~(unsigned)ARCH_PTE_WRITE;
	return fl;
}

/* A fresh page for a private area: a copy of src, or zeroed when src is 0. */
static int
private_new_page(struct vm_area *a, uint64_t aoff, paddr_t src, paddr_t *out)
{
	paddr_t pa;
	int rc = src ? pmm_alloc(&pa) : pmm_alloc_zeroed(&pa);
	if (rc)
		return rc;
	if (src) {
		memcpy(phys_to_virt(pa), phys_to_virt(src), PAGE_SIZE);
		vm_stats.pages_copied++;
	} else {
		vm_stats.pages_zeroed++;
	}
	if ((rc = memobj_set_page(a->anon, aoff, pa))) {
		pmm_unref(pa);
		return rc;
	}
	*out = pa;
	return 0;
}

static int
private_fault(struct vmspace *vm, struct vm_area *a, uintptr_t va, bool write)
{
	uint64_t aoff = a->anon_off + (va - a->start);
	paddr_t pa = memobj_peek_page(a->anon, aoff);
	int rc;
	if (pa) {
		/* Shared with another shadow (fork) or a payload: copy before writing. */
		if (write && pmm_refcount(pa) > 1 && (rc = private_new_page(a, aoff, pa, &pa)))
			return rc;
	} else {
		uint64_t boff = a->off + (va - a->start);
		if (a->mo != a->anon && boff >= a->mo->end)
			return -FERRY_ERANGE; /* past the end of the backing object */
		paddr_t bpa = a->mo != a->anon ? memobj_peek_page(a->mo, boff) : 0;
		if (bpa && !write)
			pa = bpa; /* read the object's page, read-only */
		else if ((rc = private_new_page(a, aoff, bpa, &pa)))
			return rc;
	}
	return arch_pt_map(vm->root, va, pa, private_flags(a, va, pa, a->prot));
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
	int rc;
	if (a->anon) {
		rc = private_fault(vm, a, va, access & VM_ACCESS_WRITE);
	} else {
		uint64_t off = a->off + (va - a->start);
		paddr_t pa;
		rc = off >= a->mo->end ? -FERRY_ERANGE : memobj_get_page(a->mo, off, &pa);
		if (rc == 0)
			rc = arch_pt_map(
			        vm->root, va, pa,
			        pte_flags(a->prot) |
			                (a->mo->kind == MEMOBJ_PHYS ? ARCH_PTE_NOCACHE : 0));
	}
	if (rc == 0)
		vm_stats.faults++;
	return rc;
}

int
vm_resolve(struct vmspace *vm, uintptr_t va, unsigned access, paddr_t *pa)
{
	unsigned fl;
	va &= ~(uintptr_t)PAGE_MASK;
	if (arch_pt_query(vm->root, va, pa, &fl) &&
	    (!(access & VM_ACCESS_WRITE) || (fl & ARCH_PTE_WRITE)))
		return vm_find(vm, va) ? 0 : -FERRY_EFAULT;
	int rc = vm_fault(vm, va, access);
	if (rc)
		return rc;
	return arch_pt_query(vm->root, va, pa, NULL) ? 0 : -FERRY_EFAULT;
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
	struct vm_area *a = vm_find_from(vm, addr);
	return !a || a->start >= addr + len;
}

/*
 * A free range of len bytes for a kernel-chosen mapping, from the hint
 * upward then from VM_MMAP_BASE, with an unmapped guard page on each side
 * so a linear overrun of one mapping faults instead of reaching the next.
 */
static uintptr_t
find_free(struct vmspace *vm, size_t len)
{
	uintptr_t addr = vm_tree_gap(vm, vm->mmap_hint, len);
	return addr ? addr : vm_tree_gap(vm, VM_MMAP_BASE, len);
}

/*
 * The change in the number of areas if [addr, addr+len) were unmapped:
 * the splits at its ends minus the areas it meets, so 1 for a hole in
 * the middle of one area, 0 or less otherwise.  (Counting stops at three
 * areas met: more cannot change the sign.)
 */
static int
unmap_growth(struct vmspace *vm, uintptr_t addr, size_t len)
{
	int growth = 0, met = 0;
	struct vm_area *a = vm_find_from(vm, addr);
	if (a && a->start < addr)
		growth++;
	for (; a && a->start < addr + len && met < 3; a = vm_next(a)) {
		met++;
		if (a->end > addr + len)
			growth++;
	}
	return growth - met;
}

int
vm_map(struct vmspace *vm, struct memobj *mo, uint64_t off, uintptr_t addr, size_t len,
       uint32_t prot, uintptr_t *out)
{
	return vm_map_rights(vm, mo, off, addr, len, prot,
	                     FERRY_RIGHT_READ | FERRY_RIGHT_WRITE | FERRY_RIGHT_EXEC, out);
}

/* vm_map_rights; a non-NULL shadow (anonymous) becomes the private area's shadow. */
static int
map_area(struct vmspace *vm, struct memobj *mo, uint64_t off, uintptr_t addr, size_t len,
         uint32_t prot, uint32_t rights, struct memobj *shadow, uintptr_t *out)
{
	bool priv = prot & FERRY_MAP_PRIVATE;
	if (len == 0 || (len & (PAGE_SIZE - 1)) || (off & (PAGE_SIZE - 1)) || off + len < off ||
	    off + len > mo->size || (prot & ~(PROT_MASK | FERRY_MAP_FIXED | FERRY_MAP_PRIVATE)))
		return -FERRY_EINVAL;
	/* Device memory has no pages to copy from through the physmap. */
	if (priv && mo->kind != MEMOBJ_ANON)
		return -FERRY_EINVAL;
	uint32_t maxprot = ((rights & FERRY_RIGHT_READ) ? FERRY_PROT_READ : 0) |
	                   ((rights & FERRY_RIGHT_WRITE) || priv ? FERRY_PROT_WRITE : 0) |
	                   ((rights & FERRY_RIGHT_EXEC) ? FERRY_PROT_EXEC : 0);
	if (prot & PROT_MASK & ~maxprot)
		return -FERRY_EACCES;
	if (prot & FERRY_MAP_FIXED) {
		if (!range_ok(addr, len))
			return -FERRY_EINVAL;
		if ((long)vm->nareas + unmap_growth(vm, addr, len) >= VM_MAX_AREAS)
			return -FERRY_ENOMEM;
	} else if (vm->nareas >= VM_MAX_AREAS) {
		return -FERRY_ENOMEM;
	} else if (!addr || !range_ok(addr, len) || !range_free(vm, addr, len)) {
		addr = find_free(vm, len);
		if (!addr)
			return -FERRY_ENOMEM;
	}
	int rc = quota_charge(&vm->task->quota, sizeof(struct vm_area));
	if (rc)
		return rc;
	struct vm_area *a = kmalloc(sizeof(*a));
	rc = -FERRY_ENOMEM;
	if (!a)
		goto out_quota;
	if (shadow) {
		a->anon = shadow;
		kobj_ref(&shadow->obj);
	} else if (priv && (rc = memobj_create_anon(vm->task, len, &a->anon))) {
		goto out_free;
	}
	if ((prot & FERRY_MAP_FIXED) && (rc = vm_unmap(vm, addr, len)))
		goto out_anon;
	a->start = addr;
	a->end = addr + len;
	a->prot = prot & PROT_MASK;
	a->maxprot = maxprot;
	a->flags = prot & FERRY_MAP_PRIVATE;
	a->mo = mo;
	a->off = off;
	kobj_ref(&mo->obj);
	vm_tree_insert(vm, a);
	if (!(prot & FERRY_MAP_FIXED))
		vm->mmap_hint = addr + len + PAGE_SIZE;
	*out = addr;
	return 0;

out_anon:
	if (a->anon)
		kobj_unref(&a->anon->obj);
out_free:
	kfree(a);
out_quota:
	quota_release(&vm->task->quota, sizeof(struct vm_area));
	return rc;
}

int
vm_map_rights(struct vmspace *vm, struct memobj *mo, uint64_t off, uintptr_t addr, size_t len,
              uint32_t prot, uint32_t rights, uintptr_t *out)
{
	return map_area(vm, mo, off, addr, len, prot, rights, NULL, out);
}

int
vm_map_adopt(struct vmspace *vm, struct memobj *mo, uintptr_t *out)
{
	if (mo->kind != MEMOBJ_ANON)
		return -FERRY_EINVAL;
	return map_area(vm, mo, 0, 0, mo->size,
	                FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_PRIVATE,
	                FERRY_RIGHT_READ | FERRY_RIGHT_WRITE, mo, out);
}

void
vm_populate(struct vmspace *vm, uintptr_t addr, size_t len)
{
	/* Read access: private pages shared with others are mapped read-only,
	 * not copied; a failure just leaves the page to a later fault. */
	for (uintptr_t va = addr; va < addr + len; va += PAGE_SIZE)
		if (vm_fault(vm, va, VM_ACCESS_READ))
			break;
}

int
vm_populate_range(struct vmspace *vm, uintptr_t addr, size_t len, bool fault)
{
	if (!range_ok(addr, len))
		return -FERRY_EINVAL;
	for (uintptr_t va = addr; va < addr + len;) {
		struct vm_area *a = vm_find(vm, va);
		if (!a)
			return -FERRY_ENOMEM;
		va = a->end;
	}
	if (fault)
		vm_populate(vm, addr, len);
	return 0;
}

/*
 * Splits a so that addr is a boundary (start < addr < end).  The caller
 * has checked the area limit (the count may pass it by one inside
 * vm_unmap, which then frees at least one area).
 */
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
	b->start = addr;
	b->off = a->off + (addr - a->start);
	b->anon_off = a->anon_off + (addr - a->start);
	a->end = addr; /* b, inserted next, fills the rest: no gap changes */
	kobj_ref(&b->mo->obj);
	if (b->anon)
		kobj_ref(&b->anon->obj);
	vm_tree_insert(vm, b);
	return 0;
}

/* The splits carve(vm, addr, len) would make: 0, 1 or 2. */
static int
carve_splits(struct vmspace *vm, uintptr_t addr, size_t len)
{
	struct vm_area *a = vm_find(vm, addr), *b = vm_find(vm, addr + len - 1);
	return (a && a->start < addr) + (b && b->end > addr + len);
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
	struct vm_area *a = vm_find_from(vm, addr);
	if (a && a->start == addr && a->end == addr + len) {
		vm_area_free(vm, a); /* the common case: one whole mapping */
		return 0;
	}
	/* As Linux: only punching a hole in one area can add one. */
	if ((long)vm->nareas + unmap_growth(vm, addr, len) > VM_MAX_AREAS)
		return -FERRY_ENOMEM;
	int rc = carve(vm, addr, len);
	if (rc)
		return rc;
	/* The areas inside the range are now consecutive. */
	a = vm_find_from(vm, addr);
	while (a && a->start < addr + len) {
		struct vm_area *next = vm_next(a);
		vm_area_free(vm, a);
		a = next;
	}
	return 0;
}

int
vm_protect(struct vmspace *vm, uintptr_t addr, size_t len, uint32_t prot)
{
	if (!range_ok(addr, len) || (prot & ~PROT_MASK))
		return -FERRY_EINVAL;
	/* Every page of the range must be mapped (POSIX: ENOMEM otherwise),
	 * and no area may be raised above what its handle allowed. */
	for (uintptr_t va = addr; va < addr + len;) {
		struct vm_area *a = vm_find(vm, va);
		if (!a)
			return -FERRY_ENOMEM;
		if (prot & ~a->maxprot)
			return -FERRY_EACCES;
		va = a->end;
	}
	if (vm->nareas + carve_splits(vm, addr, len) > VM_MAX_AREAS)
		return -FERRY_ENOMEM;
	int rc = carve(vm, addr, len);
	if (rc)
		return rc;
	for (struct vm_area *a = vm_find(vm, addr); a && a->start < addr + len; a = vm_next(a)) {
		a->prot = prot;
		for (uintptr_t va = a->start; va < a->end; va += PAGE_SIZE) {
			paddr_t pa;
			unsigned fl;
			if (!arch_pt_query(vm->root, va, &pa, &fl))
				continue;
			if (!prot)
				arch_pt_unmap(vm->root, va);
			else if (a->anon)
				arch_pt_map(vm->root, va, pa, private_flags(a, va, pa, prot));
			else
				arch_pt_map(vm->root, va, pa,
				            pte_flags(prot) |
				                    (a->mo->kind == MEMOBJ_PHYS ? ARCH_PTE_NOCACHE
				                                                : 0));
		}
	}
	return 0;
}

/* ---- fork ---- */

/* Write-protects the present pages of private area a so both sides copy on write. */
static void
protect_shared(struct vmspace *vm, struct vm_area *a)
{
	if (!a->anon->npages_present)
		return;
	for (uintptr_t va = a->start; va < a->end; va += PAGE_SIZE) {
		paddr_t pa;
		unsigned fl;
		if (arch_pt_query(vm->root, va, &pa, &fl) && (fl & ARCH_PTE_WRITE))
			arch_pt_map(vm->root, va, pa, fl & ~(unsigned)ARCH_PTE_WRITE);
	}
}

/* vm_tree_copy's copy: the child's area for src's area a, charged to dst. */
static int
clone_area(struct vmspace *dst, struct vmspace *src, struct vm_area *a, struct vm_area **out)
{
	int rc = quota_charge(&dst->task->quota, sizeof(struct vm_area));
	if (rc)
		return rc;
	struct vm_area *b = kmalloc(sizeof(*b));
	if (!b) {
		quota_release(&dst->task->quota, sizeof(struct vm_area));
		return -FERRY_ENOMEM;
	}
	*b = *a;
	if (a->anon) {
		uint64_t len = a->end - a->start;
		if ((rc = memobj_clone_range(dst->task, a->anon, a->anon_off, len, &b->anon))) {
			kfree(b);
			quota_release(&dst->task->quota, sizeof(struct vm_area));
			return rc;
		}
		b->anon_off = 0;
		if (a->mo == a->anon) {
			/* a moved payload: its shadow is also its backing */
			b->mo = b->anon;
			b->off = 0;
		}
		protect_shared(src, a);
	}
	kobj_ref(&b->mo->obj);
	*out = b;
	return 0;
}

int
vmspace_clone(struct vmspace *src, struct vmspace *dst)
{
	/* The tree is copied whole, shape included (O(n), no rebalancing);
	 * then the copies of areas lent for a call go again, since those
	 * pages belong to that call only.  They are rare. */
	int rc = vm_tree_copy(dst, src, clone_area);
	if (rc)
		return rc;
	struct vm_area *b = vm_first(dst), *next;
	for (; b; b = next) {
		next = vm_next(b);
		if (b->lend) {
			b->lend = NULL;
			vm_area_free(dst, b);
		}
	}
	dst->mmap_hint = src->mmap_hint;
	return 0;
}

/* ---- user copies ---- */

/* copy_from_user and copy_to_user are inline in mm/vmspace.h. */

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
