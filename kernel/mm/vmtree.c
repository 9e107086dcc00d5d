// SPDX-License-Identifier: MIT
/*
 * The area tree: the set of a vmspace's areas ordered by address, an AVL
 * tree (lib/avl.c) keyed by start.  Entry points: vm_find, vm_find_from,
 * vm_tree_insert/remove, vm_tree_gap (placement of kernel-chosen
 * mappings), vm_tree_check; vm_first/vm_next in mm/vmspace.h iterate.
 * Every operation but the check is O(log n), so an address space with
 * tens of thousands of areas maps, faults and unmaps about as fast as a
 * small one.
 *
 * Each area records the hole before it (gap: its start minus the end of
 * the area before it, or its start for the first area), and the tree
 * keeps, per node, the largest hole of its subtree (sub_gap).  Only the
 * successor's gap depends on a neighbour, and the successor of a node
 * being linked or removed lies on the path the rebalancing walks anyway,
 * so one walk does both; it stops as soon as nothing changes.
 *
 * Invariants (vm_tree_check tests each; the number it returns names it):
 *   1. the tree is a valid AVL tree of exactly vm->nareas nodes;
 *   2. every area is page aligned with start < end <= USER_TOP, and in
 *      order each area ends at or before the next one starts (disjoint);
 *   3. gap = start - (end of the previous area, or 0), and sub_gap is the
 *      largest gap in the node's subtree.
 * Invariant 3 is what makes the free-range search logarithmic: a whole
 * subtree whose largest hole is too small is passed over in one step.
 */
#include <arch.h>
#include <mm/vmspace.h>

/* The avl update hook: n's sub_gap from its gap and its children's. */
static bool
area_update(struct avl_node *n)
{
	struct vm_area *a = vm_area_of(n);
	struct vm_area *l = vm_area_of(n->left), *r = vm_area_of(n->right);
	uintptr_t g = a->gap;
	if (l && l->sub_gap > g)
		g = l->sub_gap;
	if (r && r->sub_gap > g)
		g = r->sub_gap;
	if (g == a->sub_gap)
		return false;
	a->sub_gap = g;
	return true;
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
	struct vm_area *prev = NULL, *next = NULL;
	while (*link) {
		parent = *link;
		if (a->start < vm_area_of(parent)->start) {
			next = vm_area_of(parent);
			link = &parent->left;
		} else {
			prev = vm_area_of(parent);
			link = &parent->right;
		}
	}
	a->gap = a->start - (prev ? prev->end : 0);
	a->sub_gap = a->gap;
	if (next)
		next->gap = next->start - a->end;
	avl_link(&vm->areas, &a->node, parent, link, next ? &next->node : NULL);
	vm->nareas++;
}

void
vm_tree_remove(struct vmspace *vm, struct vm_area *a)
{
	struct vm_area *next = vm_next(a);
	if (next)
		next->gap += a->gap + (a->end - a->start); /* now the hole after a's predecessor */
	avl_remove(&vm->areas, &a->node, next ? &next->node : NULL);
	vm->nareas--;
}

/* Copies src's subtree n to *link under parent in dst, node by node. */
static int
copy_subtree(struct vmspace *dst, struct vmspace *src, struct avl_node *n, struct avl_node *parent,
             struct avl_node **link, vm_area_copy_fn copy)
{
	if (!n)
		return 0;
	struct vm_area *b;
	int rc = copy(dst, src, vm_area_of(n), &b);
	if (rc)
		return rc;
	/* Same areas in the same shape: height, gap and sub_gap stay right. */
	b->node.parent = parent;
	b->node.left = b->node.right = NULL;
	*link = &b->node;
	dst->nareas++;
	if ((rc = copy_subtree(dst, src, n->left, &b->node, &b->node.left, copy)))
		return rc;
	return copy_subtree(dst, src, n->right, &b->node, &b->node.right, copy);
}

int
vm_tree_copy(struct vmspace *dst, struct vmspace *src, vm_area_copy_fn copy)
{
	return copy_subtree(dst, src, src->areas.root, NULL, &dst->areas.root, copy);
}

/* ---- placement ---- */

/*
 * Where len bytes go in the hole [gs, ge): the lowest address that is at
 * least lo and leaves a guard page after gs and before ge; 0 if none.
 */
static uintptr_t
fit(uintptr_t gs, uintptr_t ge, uintptr_t lo, size_t len)
{
	uintptr_t a = gs + PAGE_SIZE > lo ? gs + PAGE_SIZE : lo;
	if (a >= ge || ge - a < PAGE_SIZE || ge - a - PAGE_SIZE < len)
		return 0;
	return a;
}

/*
 * The first area in n's subtree starting at or above top whose hole is
 * at least need bytes, or NULL.  A subtree whose largest hole is smaller
 * is passed in one step; only the path towards top is walked without a
 * find being certain (below it, every subtree entirely at or above top
 * with a large enough hole holds one), so this is O(log n).
 */
static struct vm_area *
hole_from(struct avl_node *n, uintptr_t top, uintptr_t need)
{
	struct vm_area *x = vm_area_of(n), *found;
	if (!x || x->sub_gap < need)
		return NULL;
	if (x->start < top)
		return hole_from(n->right, top, need);
	if ((found = hole_from(n->left, top, need)))
		return found;
	if (x->gap >= need)
		return x;
	return hole_from(n->right, top, need);
}

uintptr_t
vm_tree_gap(struct vmspace *vm, uintptr_t lo, size_t len)
{
	if (len > USER_TOP || lo > USER_TOP)
		return 0;
	/*
	 * A hole [gs, ge) takes the mapping iff ge >= lo + len + PAGE_SIZE
	 * (room above lo) and ge - gs >= len + 2 * PAGE_SIZE (room for both
	 * guards): when gs + PAGE_SIZE < lo the first implies the second,
	 * otherwise the mapping starts at gs + PAGE_SIZE and needs exactly
	 * the second.  So the first fitting hole ends at the first area at or
	 * above lo + len + PAGE_SIZE with a large enough gap, or is the one
	 * after the last area.
	 */
	struct vm_area *a = hole_from(vm->areas.root, lo + len + PAGE_SIZE, len + 2 * PAGE_SIZE);
	if (a) {
		uintptr_t gs = a->start - a->gap;
		return gs + PAGE_SIZE > lo ? gs + PAGE_SIZE : lo;
	}
	struct vm_area *last = vm_area_of(avl_last(&vm->areas));
	return fit(last ? last->end : 0, USER_TOP, lo, len);
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
		if (a->gap != a->start - prev_end)
			return -3;
		prev_end = a->end;
		uintptr_t sub_gap = a->sub_gap;
		area_update(&a->node);
		if (sub_gap != a->sub_gap)
			return -3;
	}
	return 0;
}
