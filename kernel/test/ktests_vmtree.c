// SPDX-License-Identifier: MIT
/* In-kernel tests of the area tree (mm/vmtree.c) and the area limit:
 * random maps, unmaps and protects against a page model with the tree's
 * invariant checker, splits, the guarded free-range search against a
 * linear oracle, fork's copy of a large tree, VM_MAX_AREAS (KVM-02N). */
#include <lib/string.h>
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <mm/memobj.h>
#include <mm/pmm.h>
#include <mm/vmspace.h>
#include <test/ktest.h>

#define RW  (FERRY_PROT_READ | FERRY_PROT_WRITE)
#define PG  PAGE_SIZE
#define FIX FERRY_MAP_FIXED

/* xorshift64: a fixed seed, so a failure repeats. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * The free-range search as a linear walk over the areas in order (the
 * algorithm the tree replaced): lowest addr >= lo with [addr - PG,
 * addr + len + PG) free and below USER_TOP, or 0.
 */
static uintptr_t
gap_oracle(struct vmspace *vm, uintptr_t lo, size_t len)
{
	uintptr_t addr = lo;
	for (struct vm_area *a = vm_first(vm); a; a = vm_next(a)) {
		if (a->end + PG <= addr)
			continue;
		if (a->start >= addr + len + PG)
			break;
		addr = a->end + PG;
	}
	return addr + len + PG <= USER_TOP ? addr : 0;
}

/* Model of a window of NPAGES pages at MODEL_BASE: 0 unmapped, else prot + 1. */
#define NPAGES     2048
#define MODEL_BASE VM_MMAP_BASE
static uint8_t model[NPAGES];

static uintptr_t
page_va(size_t i)
{
	return MODEL_BASE + i * PG;
}

/* Pages [first, first + n) of the model against the address space. */
static bool
model_agrees(struct vmspace *vm, size_t first, size_t n)
{
	for (size_t i = first; i < first + n && i < NPAGES; i++) {
		struct vm_area *a = vm_find(vm, page_va(i));
		if (model[i] != (a ? a->prot + 1 : 0))
			return false;
	}
	return true;
}

KTEST(vmtree_random, "KVM-020",
      "area tree: random maps, unmaps, protects keep the invariants and match a page model")
{
	struct task *t = ktest_task("vmtree");
	KEXPECT(t != NULL);
	if (!t)
		return;
	struct vmspace *vm = t->vm;
	struct memobj *mo;
	KEXPECT_EQ(memobj_create_anon(t, 64 * PG, &mo), 0);
	memset(model, 0, sizeof(model));
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	int bad_check = 0, bad_model = 0, bad_gap = 0, bad_rc = 0;
	for (int op = 0; op < 4000; op++) {
		uint64_t r = rnd(&seed);
		size_t p = (r >> 8) % NPAGES, n = 1 + (r >> 24) % 12;
		if (p + n > NPAGES)
			n = NPAGES - p;
		uint32_t prot = (r >> 40) % 3 == 0 ? FERRY_PROT_READ : RW;
		uintptr_t got = 0;
		int rc;
		switch (r % 8) {
		case 0:
		case 1:
		case 2: /* fixed map, replacing what is there */
			rc = vm_map(vm, mo, 0, page_va(p), n * PG, prot | FIX, &got);
			bad_rc += rc != 0;
			memset(model + p, (int)prot + 1, n);
			break;
		case 3: { /* kernel-chosen: must be where the linear search puts it */
			uintptr_t want = gap_oracle(vm, vm->mmap_hint, n * PG);
			rc = vm_map(vm, mo, 0, 0, n * PG, prot, &got);
			bad_rc += rc != 0;
			bad_gap += got != want;
			if (got >= page_va(0) && got + n * PG <= page_va(NPAGES))
				memset(model + (got - MODEL_BASE) / PG, (int)prot + 1, n);
			else
				bad_rc += vm_unmap(vm, got, n * PG) != 0;
			p = (got - MODEL_BASE) / PG;
			break;
		}
		case 4:
		case 5:
		case 6: /* unmap (splits at both ends) */
			bad_rc += vm_unmap(vm, page_va(p), n * PG) != 0;
			memset(model + p, 0, n);
			break;
		default: { /* protect: ENOMEM unless every page is mapped */
			bool whole = true;
			for (size_t i = p; i < p + n; i++)
				whole &= model[i] != 0;
			rc = vm_protect(vm, page_va(p), n * PG, prot);
			bad_rc += rc != (whole ? 0 : -FERRY_ENOMEM);
			if (whole)
				memset(model + p, (int)prot + 1, n);
		}
		}
		bad_check += vm_tree_check(vm) != 0;
		if (p < NPAGES)
			bad_model += !model_agrees(vm, p > 0 ? p - 1 : 0, n + 2);
		uintptr_t lo = page_va((r >> 48) % NPAGES);
		size_t len = (1 + (r >> 56) % 6) * PG;
		bad_gap += vm_tree_gap(vm, lo, len) != gap_oracle(vm, lo, len);
		if (op % 500 == 499)
			bad_model += !model_agrees(vm, 0, NPAGES);
	}
	KEXPECT_EQ(bad_rc, 0);
	KEXPECT_EQ(bad_check, 0);
	KEXPECT_EQ(bad_model, 0);
	KEXPECT_EQ(bad_gap, 0);
	KEXPECT(vm->nareas > 50); /* the random mix left a fragmented space */
	/* Unmapping the window leaves only what lies outside it. */
	KEXPECT_EQ(vm_unmap(vm, page_va(0), NPAGES * PG), 0);
	KEXPECT_EQ(vm_tree_check(vm), 0);
	KEXPECT(vm_find_from(vm, page_va(0)) == NULL ||
	        vm_find_from(vm, page_va(0))->start >= page_va(NPAGES));
	kobj_unref(&mo->obj);
	ktest_task_end(t);
}

KTEST(vmtree_split, "KVM-021",
      "area tree: unmap and protect inside an area split it with the right offsets and data")
{
	struct task *t = ktest_task("vmsplit");
	KEXPECT(t != NULL);
	if (!t)
		return;
	struct vmspace *vm = t->vm;
	struct memobj *mo;
	uintptr_t a = 0;
	KEXPECT_EQ(memobj_create_anon(t, 8 * PG, &mo), 0);
	KEXPECT_EQ(vm_map(vm, mo, 0, 0, 8 * PG, RW | FERRY_MAP_PRIVATE, &a), 0);
	size_t n0 = vm->nareas;
	for (int i = 0; i < 8; i++) {
		paddr_t pa;
		KEXPECT_EQ(vm_resolve(vm, a + i * PG, VM_ACCESS_WRITE, &pa), 0);
		*(uint64_t *)phys_to_virt(pa) = 100 + i;
	}
	/* A hole at page 3: two areas, the second starting 4 pages in. */
	KEXPECT_EQ(vm_unmap(vm, a + 3 * PG, PG), 0);
	KEXPECT_EQ(vm->nareas, n0 + 1);
	struct vm_area *lo = vm_find(vm, a), *hi = vm_find(vm, a + 4 * PG);
	KEXPECT(lo && hi && lo != hi && vm_find(vm, a + 3 * PG) == NULL);
	KEXPECT(lo && lo->start == a && lo->end == a + 3 * PG);
	KEXPECT(hi && hi->start == a + 4 * PG && hi->end == a + 8 * PG && hi->off == 4 * PG &&
	        hi->anon_off == lo->anon_off + 4 * PG && vm_next(lo) == hi);
	/* Protect pages 5..6 read-only: three areas out of hi. */
	KEXPECT_EQ(vm_protect(vm, a + 5 * PG, 2 * PG, FERRY_PROT_READ), 0);
	KEXPECT_EQ(vm->nareas, n0 + 3);
	struct vm_area *mid = vm_find(vm, a + 5 * PG);
	KEXPECT(mid && mid->start == a + 5 * PG && mid->end == a + 7 * PG &&
	        mid->prot == FERRY_PROT_READ && mid->off == 5 * PG);
	KEXPECT(vm_find(vm, a + 7 * PG) && vm_find(vm, a + 7 * PG)->prot == RW);
	KEXPECT_EQ(vm_tree_check(vm), 0);
	/* Every page kept its data through the splits. */
	for (int i = 0; i < 8; i++) {
		paddr_t pa;
		if (i == 3) {
			KEXPECT_EQ(vm_resolve(vm, a + i * PG, VM_ACCESS_READ, &pa), -FERRY_EFAULT);
			continue;
		}
		KEXPECT_EQ(vm_resolve(vm, a + i * PG, VM_ACCESS_READ, &pa), 0);
		KEXPECT_EQ(*(uint64_t *)phys_to_virt(pa), 100 + i);
	}
	/* Unmapping across all the pieces takes them all. */
	KEXPECT_EQ(vm_unmap(vm, a, 8 * PG), 0);
	KEXPECT_EQ(vm->nareas, n0 - 1);
	KEXPECT_EQ(vm_tree_check(vm), 0);
	kobj_unref(&mo->obj);
	ktest_task_end(t);
}

KTEST(vmtree_gap, "KVM-022",
      "area tree: the free-range search keeps guard pages, honours the start, fails cleanly")
{
	struct task *t = ktest_task("vmgap");
	KEXPECT(t != NULL);
	if (!t)
		return;
	struct vmspace *vm = t->vm;
	struct memobj *mo;
	uintptr_t got;
	const uintptr_t b = 0x500000000000ull;
	KEXPECT_EQ(memobj_create_anon(t, 4 * PG, &mo), 0);
	/* Areas at pages 0, 3 and 8 of b: holes of 2 and 4 pages between them. */
	KEXPECT_EQ(vm_map(vm, mo, 0, b, PG, RW | FIX, &got), 0);
	KEXPECT_EQ(vm_map(vm, mo, 0, b + 3 * PG, PG, RW | FIX, &got), 0);
	KEXPECT_EQ(vm_map(vm, mo, 0, b + 8 * PG, PG, RW | FIX, &got), 0);
	KEXPECT_EQ(vm_tree_gap(vm, b, PG), b + 5 * PG);          /* 2-page hole too small */
	KEXPECT_EQ(vm_tree_gap(vm, b, 2 * PG), b + 5 * PG);      /* just fits the 4-page hole */
	KEXPECT_EQ(vm_tree_gap(vm, b, 3 * PG), b + 10 * PG);     /* above the last area */
	KEXPECT_EQ(vm_tree_gap(vm, b + 6 * PG, PG), b + 6 * PG); /* starts inside the hole */
	KEXPECT_EQ(vm_tree_gap(vm, b + 7 * PG, PG), b + 10 * PG);
	KEXPECT_EQ(vm_tree_gap(vm, USER_TOP - 2 * PG, PG), USER_TOP - 2 * PG); /* just room */
	KEXPECT_EQ(vm_tree_gap(vm, USER_TOP - PG, PG), 0); /* no room for the guard */
	KEXPECT_EQ(vm_tree_gap(vm, b, USER_TOP), 0);
	KEXPECT_EQ(vm_tree_gap(vm, b, (size_t)-1 & ~PAGE_MASK), 0); /* no wrap-around */
	/* A kernel-chosen mapping with the hint at b lands in the same place. */
	vm->mmap_hint = b;
	KEXPECT_EQ(vm_map(vm, mo, 0, 0, 2 * PG, RW, &got), 0);
	KEXPECT_EQ(got, b + 5 * PG);
	KEXPECT_EQ(vm->mmap_hint, b + 8 * PG);
	/* With nothing above the hint, the search starts over at VM_MMAP_BASE. */
	vm->mmap_hint = USER_TOP - PG;
	uintptr_t want = gap_oracle(vm, VM_MMAP_BASE, PG);
	KEXPECT_EQ(vm_map(vm, mo, 0, 0, PG, RW, &got), 0);
	KEXPECT_EQ(got, want);
	KEXPECT(got >= VM_MMAP_BASE && got < b);
	KEXPECT_EQ(vm_tree_check(vm), 0);
	kobj_unref(&mo->obj);
	ktest_task_end(t);
}

KTEST(vmtree_clone, "KVM-023",
      "area tree: fork's copy of 5000 areas is a valid tree of the same areas, lent ones left out")
{
	struct task *p = ktest_task("vmcl-p"), *c = ktest_task("vmcl-c");
	KEXPECT(p && c);
	if (!p || !c)
		return;
	struct memobj *mo;
	uintptr_t got;
	int bad = 0;
	KEXPECT_EQ(memobj_create_anon(p, PG, &mo), 0);
	for (int i = 0; i < 5000; i++)
		bad += vm_map(p->vm, mo, 0, 0, PG, RW | ((i & 1) ? FERRY_MAP_PRIVATE : 0), &got) !=
		       0;
	KEXPECT_EQ(bad, 0);
	/* One area stands for pages lent for a call: the child must not get it
	 * (only the mark matters to the clone; it is taken off before teardown). */
	static char lend_mark;
	struct vm_area *lent = vm_find(p->vm, got);
	KEXPECT(lent != NULL);
	if (!lent)
		return;
	lent->lend = (struct payload_lend *)&lend_mark;
	KEXPECT_EQ(vmspace_clone(p->vm, c->vm), 0);
	lent->lend = NULL;
	KEXPECT_EQ(c->vm->nareas, p->vm->nareas - 1);
	KEXPECT_EQ(vm_tree_check(c->vm), 0);
	KEXPECT(vm_find(c->vm, got) == NULL);
	struct vm_area *a = vm_first(p->vm), *b = vm_first(c->vm);
	for (;; a = vm_next(a), b = vm_next(b)) {
		if (a == lent)
			a = vm_next(a);
		if (!a || !b)
			break;
		bad += a->start != b->start || a->end != b->end || a->prot != b->prot ||
		       a->flags != b->flags || (a->flags ? a->anon == b->anon : a->mo != b->mo);
	}
	KEXPECT(a == NULL && b == NULL);
	KEXPECT_EQ(bad, 0);
	kobj_unref(&mo->obj);
	ktest_task_end(c);
	ktest_task_end(p);
}

KTEST(vmtree_limit, "KVM-024",
      "area limit: maps and splits past VM_MAX_AREAS fail with ENOMEM, and all is freed after")
{
	struct task *t = ktest_task("vmlimit");
	KEXPECT(t != NULL);
	if (!t)
		return;
	struct vmspace *vm = t->vm;
	struct memobj *mo;
	uintptr_t big = 0, got = 0, last = 0;
	KEXPECT_EQ(memobj_create_anon(t, 4 * PG, &mo), 0);
	int64_t used0 = t->quota.used;
	size_t n0 = vm->nareas;
	KEXPECT_EQ(vm_map(vm, mo, 0, 0, 4 * PG, RW, &big), 0);
	int rc;
	while ((rc = vm_map(vm, mo, 0, 0, PG, RW, &got)) == 0)
		last = got;
	KEXPECT_EQ(rc, -FERRY_ENOMEM);
	KEXPECT_EQ(vm->nareas, VM_MAX_AREAS);
	KEXPECT_EQ(vm_tree_check(vm), 0);
	/* Splits that would add an area fail and change nothing. */
	KEXPECT_EQ(vm_unmap(vm, big + PG, PG), -FERRY_ENOMEM);
	KEXPECT_EQ(vm_protect(vm, big + PG, PG, FERRY_PROT_READ), -FERRY_ENOMEM);
	KEXPECT_EQ(vm_protect(vm, big, PG, FERRY_PROT_READ), -FERRY_ENOMEM);
	KEXPECT_EQ(vm_map(vm, mo, 0, big + PG, PG, RW | FIX, &got), -FERRY_ENOMEM);
	KEXPECT_EQ(vm_map(vm, mo, 0, 0x500000000000ull, PG, RW | FIX, &got), -FERRY_ENOMEM);
	KEXPECT_EQ(vm->nareas, VM_MAX_AREAS);
	KEXPECT(vm_find(vm, big) && vm_find(vm, big)->end == big + 4 * PG &&
	        vm_find(vm, big)->prot == RW);
	/* Those that do not add one work: a whole area's protection, an end
	 * trimmed, an area replaced by a fixed map. */
	KEXPECT_EQ(vm_protect(vm, big, 4 * PG, FERRY_PROT_READ), 0);
	KEXPECT_EQ(vm_unmap(vm, big + 3 * PG, PG), 0);
	KEXPECT_EQ(vm_map(vm, mo, 0, last, PG, FERRY_PROT_READ | FIX, &got), 0);
	KEXPECT_EQ(vm->nareas, VM_MAX_AREAS);
	/* One area fewer makes room for one more. */
	KEXPECT_EQ(vm_unmap(vm, last, PG), 0);
	KEXPECT_EQ(vm_map(vm, mo, 0, 0, PG, RW, &got), 0);
	KEXPECT_EQ(vm_map(vm, mo, 0, 0, PG, RW, &got), -FERRY_ENOMEM);
	KEXPECT_EQ(vm_tree_check(vm), 0);
	/* Unmapping the whole range frees every area and its charge. */
	KEXPECT_EQ(vm_unmap(vm, VM_MMAP_BASE, USER_TOP - VM_MMAP_BASE), 0);
	KEXPECT_EQ(vm_find_from(vm, VM_MMAP_BASE), NULL);
	KEXPECT_EQ(vm->nareas, n0);
	KEXPECT_EQ(t->quota.used, used0);
	KEXPECT_EQ(vm_tree_check(vm), 0);
	kobj_unref(&mo->obj);
	ktest_task_end(t);
}
