// SPDX-License-Identifier: MIT
/*
 * Intrusive AVL trees (see include/lib/avl.h for the invariants).
 *
 * Every change (link, remove) ends with one walk from the
 * lowest node whose subtree changed towards the root, restoring the
 * balance and recomputing height and augmentation at each step.  The
 * walk stops at the first node whose height and summary come out as they
 * were: everything above depends on the nodes below only through those,
 * so it is still exact.  Most changes stop within a level or two, which
 * is what keeps small trees about as cheap as a list.
 */
#include <stdbool.h>
#include <lib/avl.h>

static int
height(const struct avl_node *n)
{
	return n ? n->height : 0;
}

/* Recomputes n's height and augmentation from its children: whether
 * either changed. */
static bool
fix(struct avl_tree *t, struct avl_node *n)
{
	int l = height(n->left), r = height(n->right);
	int h = 1 + (l > r ? l : r);
	bool changed = h != n->height;
	n->height = h;
	if (t->update && t->update(n))
		changed = true;
	return changed;
}

/* Makes nw take old's place under parent (or at the root). */
static void
replace_child(struct avl_tree *t, struct avl_node *parent, struct avl_node *old,
              struct avl_node *nw)
{
	if (!parent)
		t->root = nw;
	else if (parent->left == old)
		parent->left = nw;
	else
		parent->right = nw;
}

/* x's right child takes x's place, x becoming its left child; returns it. */
static struct avl_node *
rotate_left(struct avl_tree *t, struct avl_node *x)
{
	struct avl_node *y = x->right;
	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	y->parent = x->parent;
	replace_child(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	fix(t, x); /* x is below y now: it goes first */
	fix(t, y);
	return y;
}

/* The mirror image of rotate_left. */
static struct avl_node *
rotate_right(struct avl_tree *t, struct avl_node *x)
{
	struct avl_node *y = x->left;
	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	y->parent = x->parent;
	replace_child(t, x->parent, x, y);
	y->right = x;
	x->parent = y;
	fix(t, x);
	fix(t, y);
	return y;
}

/*
 * Restores the balance at n, whose children are balanced and differ in
 * height by at most 2 (one insertion or removal below), and recomputes
 * it.  Returns the node now at n's place; *changed says whether its
 * height or summary may differ from what n's were.
 */
static struct avl_node *
balance(struct avl_tree *t, struct avl_node *n, bool *changed)
{
	int b = height(n->left) - height(n->right);
	*changed = true; /* after a rotation, another node is at n's place */
	if (b > 1) {
		if (height(n->left->left) < height(n->left->right))
			rotate_left(t, n->left);
		return rotate_right(t, n);
	}
	if (b < -1) {
		if (height(n->right->right) < height(n->right->left))
			rotate_right(t, n->right);
		return rotate_left(t, n);
	}
	*changed = fix(t, n);
	return n;
}

/*
 * Rebalances and recomputes from n towards the root, stopping at the
 * first node that comes out unchanged, but not before passing stale (if
 * not NULL): a node that took another's place, so that what its parent
 * last saw were the other node's height and summary, not its own.
 */
static void
rebalance_up(struct avl_tree *t, struct avl_node *n, const struct avl_node *stale)
{
	while (n) {
		bool changed, passing = n == stale;
		n = balance(t, n, &changed);
		if (passing)
			stale = NULL;
		else if (!changed && !stale)
			return;
		n = n->parent;
	}
}

void
avl_link(struct avl_tree *t, struct avl_node *n, struct avl_node *parent, struct avl_node **link,
         struct avl_node *next)
{
	n->parent = parent;
	n->left = n->right = NULL;
	n->height = 0; /* not yet computed: the walk must not stop at n */
	*link = n;
	/* A leaf's successor is one of its ancestors: the walk passes it. */
	rebalance_up(t, n, next);
}

void
avl_remove(struct avl_tree *t, struct avl_node *n, struct avl_node *next)
{
	struct avl_node *from, *stale = next;
	if (n->left && n->right) {
		/* n's successor s (leftmost of the right subtree, no left
		 * child) moves into n's place; its old parent lost a node. */
		struct avl_node *s = n->right;
		while (s->left)
			s = s->left;
		if (s->parent != n) {
			from = s->parent;
			from->left = s->right;
			if (s->right)
				s->right->parent = from;
			s->right = n->right;
			n->right->parent = s;
		} else {
			from = s;
		}
		s->left = n->left;
		n->left->parent = s;
		s->parent = n->parent;
		replace_child(t, n->parent, n, s);
		stale = s; /* = next, if given */
	} else {
		/* With one child, that child is a leaf (balance); if it is
		 * the right one, it is n's successor: start from it. */
		struct avl_node *child = n->left ? n->left : n->right;
		if (child)
			child->parent = n->parent;
		replace_child(t, n->parent, n, child);
		from = next && next == child ? child : n->parent;
	}
	n->parent = n->left = n->right = NULL;
	rebalance_up(t, from, stale);
}

struct avl_node *
avl_first(const struct avl_tree *t)
{
	struct avl_node *n = t->root;
	if (n)
		while (n->left)
			n = n->left;
	return n;
}

struct avl_node *
avl_last(const struct avl_tree *t)
{
	struct avl_node *n = t->root;
	if (n)
		while (n->right)
			n = n->right;
	return n;
}

struct avl_node *
avl_next(const struct avl_node *n)
{
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct avl_node *)n;
	}
	while (n->parent && n->parent->right == n)
		n = n->parent;
	return n->parent;
}

/* Nodes of n's subtree (its height in *h), or -1; depth bounds the
 * recursion on a corrupted (cyclic) tree. */
static long
check(const struct avl_node *n, const struct avl_node *parent, int depth, int *h)
{
	if (!n) {
		*h = 0;
		return 0;
	}
	int hl, hr;
	if (n->parent != parent || depth > 96)
		return -1;
	long cl = check(n->left, n, depth + 1, &hl);
	long cr = check(n->right, n, depth + 1, &hr);
	if (cl < 0 || cr < 0 || hl - hr > 1 || hr - hl > 1 || n->height != 1 + (hl > hr ? hl : hr))
		return -1;
	*h = n->height;
	return cl + cr + 1;
}

long
avl_check(const struct avl_tree *t)
{
	int h;
	return check(t->root, NULL, 0, &h);
}
