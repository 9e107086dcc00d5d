// SPDX-License-Identifier: MIT
/*
 * The area tree: the set of a vmspace's areas ordered by address, an AVL
 * tree (lib/avl.c) keyed by start.  Entry points: vm_find, vm_find_from,
 * vm_tree_insert/remove/resized, vm_tree_gap (placement of kernel-chosen
 * mappings), vm_tree_check; vm_first/vm_next in mm/vmspace.h iterate.
 * Every operation but the check is O(log n), so an address space with
 * tens of thousands of areas maps, faults and unmaps as fast as a small
 * one.
 *
 * Invariants (vm_tree_check tests each; the number it returns names it):
 *   1. the tree is a valid AVL tree of exactly vm->nareas nodes;
 *   2. every area is page aligned with start < end <= USER_TOP, and in
 *      order each area ends at or before the next one starts (disjoint);
 *   3. every node's summary (sub_start, sub_end, sub_gap) is what
 *      area_update computes from the node and its children's summaries:
 *      lowest start, highest end and the largest hole between two
 *      consecutive areas of its subtree.
 * Invariant 3 is what makes the free-range search logarithmic: a whole
 * subtree whose largest hole is too small is passed over in one step.
 */
#include <arch.h>
#include <mm/vmspace.h>

static uintptr_t
max_u(uintptr_t a, uintptr_t b)
{
	return a > b ? a : b;
}

/* The avl update hook: n's summary from its children's (invariant 3). */
static void
area_update(struct avl_node *n)
{
	struct vm_area *a = vm_area_of(n);
	struct vm_area *l = vm_area_of(n->left), *r = vm_area_of(n->right);
	uintptr_t gap = 0;
	a->sub_start = a->start;
	a->sub_end = a->end;
	if (l) {
		a->sub_start = l->sub_start;
		gap = max_u(l->sub_gap, a->start - l->sub_end);
	}
	if (r) {
		a->sub_end = r->sub_end;
		gap = max_u(gap, max_u(r->sub_gap, r->sub_start - a->end));
	}
	a->sub_gap = gap;
}

void
vm_tree_init(struct vmspace *vm)
{
	vm->areas = (struct avl_tree)AVL_TREE_INIT(area_update);
	vm->nareas = 0;
}

struct vm_area *
vm_find(struct vmspace *vm, uintptr_t addr)
{
	struct avl_node *n = vm->areas.root;
	while (n) {
		struct vm_area *a = vm_area_of(n);
		if (addr < a->start)
			n = n->left;
		else if (addr >= a->end)
			n = n->right;
		else
			return a;
	}
	return NULL;
}

struct vm_area *
vm_find_from(struct vmspace *vm, uintptr_t addr)
{
	struct avl_node *n = vm->areas.root;
	struct vm_area *best = NULL;
	/* Areas are disjoint, so ordering by end is ordering by start. */
	while (n) {
		struct vm_area *a = vm_area_of(n);
		if (a->end > addr) {
			best = a;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

void
vm_tree_insert(struct vmspace *vm, struct vm_area *a)
{
	struct avl_node **link = &vm->areas.root, *parent = NULL;
	while (*link) {
		parent = *link;
		link = a->start < vm_area_of(parent)->start ? &parent->left : &parent->right;
	}
	avl_link(&vm->areas, &a->node, parent, link);
	vm->nareas++;
}

void
vm_tree_remove(struct vmspace *vm, struct vm_area *a)
{
	avl_remove(&vm->areas, &a->node);
	vm->nareas--;
}

void
vm_tree_resized(struct vmspace *vm, struct vm_area *a)
{
	avl_propagate(&vm->areas, &a->node);
}

/* ---- placement ---- */

/* A hole of size bytes between areas can take len bytes and two guard pages. */
static bool
hole_fits(uintptr_t size, size_t len)
{
	return size >= 2 * PAGE_SIZE && size - 2 * PAGE_SIZE >= len;
}

/*
 * Where len bytes go in the hole [gs, ge): the lowest address that is at
 * least lo and leaves a guard page after gs and before ge; 0 if none.
 */
static uintptr_t
fit(uintptr_t gs, uintptr_t ge, uintptr_t lo, size_t len)
{
	uintptr_t a = max_u(gs + PAGE_SIZE, lo);
	if (a >= ge || ge - a < PAGE_SIZE || ge - a - PAGE_SIZE < len)
		return 0;
	return a;
}

struct gap_search {
	uintptr_t lo;
	size_t len;
	uintptr_t prev_end; /* end of the last area passed (0: none yet) */
};

/*
 * The first fit in x's subtree, holes before its areas included, visiting
 * in address order.  A subtree none of whose inner holes can take the
 * mapping (too small, or all below lo) is passed in one step; only the
 * subtrees that straddle lo (one path) are entered without a fit being
 * certain, so the search is O(log n).
 */
static uintptr_t
gap_in(struct gap_search *s, struct avl_node *n)
{
	if (!n)
		return 0;
	struct vm_area *x = vm_area_of(n);
	uintptr_t a;
	if (x->sub_end <= s->lo || !hole_fits(x->sub_gap, s->len)) {
		a = fit(s->prev_end, x->sub_start, s->lo, s->len);
		s->prev_end = x->sub_end;
		return a;
	}
	if ((a = gap_in(s, n->left)))
		return a;
	if ((a = fit(s->prev_end, x->start, s->lo, s->len)))
		return a;
	s->prev_end = x->end;
	return gap_in(s, n->right);
}

uintptr_t
vm_tree_gap(struct vmspace *vm, uintptr_t lo, size_t len)
{
	struct gap_search s = {lo, len, 0};
	uintptr_t a = gap_in(&s, vm->areas.root);
	return a ? a : fit(s.prev_end, USER_TOP, lo, len);
}

/* ---- checking ---- */

int
vm_tree_check(struct vmspace *vm)
{
	if (avl_check(&vm->areas) != (long)vm->nareas)
		return -1;
	uintptr_t prev_end = 0;
	for (struct vm_area *a = vm_first(vm); a; a = vm_next(a)) {
		if (((a->start | a->end) & PAGE_MASK) || a->start >= a->end || a->end > USER_TOP ||
		    a->start < prev_end)
			return -2;
		prev_end = a->end;
		uintptr_t start = a->sub_start, end = a->sub_end, gap = a->sub_gap;
		area_update(&a->node);
		if (start != a->sub_start || end != a->sub_end || gap != a->sub_gap)
			return -3;
	}
	return 0;
}
