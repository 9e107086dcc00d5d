// SPDX-License-Identifier: MIT
/*
 * Intrusive AVL trees (see include/lib/avl.h for the invariants).
 *
 * Every change (link, remove) ends with one walk from the lowest node
 * whose subtree changed up to the root, restoring the balance and
 * recomputing height and augmentation at each step.  A plain AVL tree
 * could stop that walk early once a height stops changing; an augmented
 * one cannot (a summary above may still change), and the walk is only
 * O(log n) anyway, so it always goes to the root.  That keeps one path
 * for both operations and the augmentation always exact.
 */
#include <stdbool.h>
#include <lib/avl.h>

static int
height(const struct avl_node *n)
{
	return n ? n->height : 0;
}

/* Recomputes n's height and augmentation from its children. */
static void
fix(struct avl_tree *t, struct avl_node *n)
{
	int l = height(n->left), r = height(n->right);
	n->height = 1 + (l > r ? l : r);
	if (t->update)
		t->update(n);
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
 * it.  Returns the node now at n's place.
 */
static struct avl_node *
balance(struct avl_tree *t, struct avl_node *n)
{
	int b = height(n->left) - height(n->right);
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
	fix(t, n);
	return n;
}

static void
rebalance_up(struct avl_tree *t, struct avl_node *n)
{
	while (n)
		n = balance(t, n)->parent;
}

void
avl_link(struct avl_tree *t, struct avl_node *n, struct avl_node *parent, struct avl_node **link)
{
	n->parent = parent;
	n->left = n->right = NULL;
	n->height = 1;
	*link = n;
	rebalance_up(t, n);
}

void
avl_remove(struct avl_tree *t, struct avl_node *n)
{
	struct avl_node *from; /* the lowest node whose subtree lost a node */
	if (n->left && n->right) {
		/* n's successor s (leftmost of the right subtree, no left
		 * child) moves into n's place. */
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
	} else {
		struct avl_node *child = n->left ? n->left : n->right;
		if (child)
			child->parent = n->parent;
		replace_child(t, n->parent, n, child);
		from = n->parent;
	}
	n->parent = n->left = n->right = NULL;
	rebalance_up(t, from);
}

void
avl_propagate(struct avl_tree *t, struct avl_node *n)
{
	for (; n; n = n->parent)
		fix(t, n);
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

struct avl_node *
avl_prev(const struct avl_node *n)
{
	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (struct avl_node *)n;
	}
	while (n->parent && n->parent->left == n)
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
