/* SPDX-License-Identifier: MIT */
/*
 * Intrusive AVL trees with an optional augmentation hook (lib/avl.c).
 *
 * The tree knows no keys: the caller walks down to the empty link where a
 * new node belongs and hands it over with avl_link(), so each user keeps
 * its own ordering and lookups.  Ordered iteration is avl_first/avl_next.
 *
 * Invariants, for every node n:
 *   - n->left, n->right are NULL or have n as parent; the root's parent is NULL;
 *   - n->height = 1 + max(height of n->left, height of n->right), an
 *     empty subtree having height 0;
 *   - those two heights differ by at most 1 (so a tree of n nodes is at
 *     most 1.44 log2(n + 2) high);
 *   - if the tree has an update hook, the summary it keeps in n (the
 *     augmentation) is what update(n) computes from n and its children's
 *     summaries, so it describes n's whole subtree.
 */
#ifndef KERNEL_LIB_AVL_H
#define KERNEL_LIB_AVL_H

#include <stdbool.h>
#include <stddef.h>

struct avl_node {
	struct avl_node *parent, *left, *right;
	int height; /* of the subtree rooted here: 1 for a leaf */
};

struct avl_tree {
	struct avl_node *root;
	/* Recomputes n's augmented fields from n and its children, saying
	 * whether they changed (NULL: no augmentation). */
	bool (*update)(struct avl_node *n);
};

#define AVL_TREE_INIT(update_fn)                                                                   \
	{                                                                                          \
		NULL, (update_fn)                                                                  \
	}

/*
 * Inserts n at *link, an empty child link of parent (or &t->root with
 * parent NULL) found by the caller's search, then rebalances and updates
 * the augmentation as far up as it changes.  next: NULL, or n's successor
 * in order if the caller changed that node's own part of its summary
 * (it is recomputed on the way).  O(log n).
 */
void avl_link(struct avl_tree *t, struct avl_node *n, struct avl_node *parent,
              struct avl_node **link, struct avl_node *next);
/*
 * Removes n from t (n's links are then NULL); next as for avl_link, n's
 * successor or NULL.  O(log n).
 */
void avl_remove(struct avl_tree *t, struct avl_node *n, struct avl_node *next);
/* The first, last and next nodes in order, or NULL. */
struct avl_node *avl_first(const struct avl_tree *t);
struct avl_node *avl_last(const struct avl_tree *t);
struct avl_node *avl_next(const struct avl_node *n);

/* Checks the structural invariants above (not the augmentation): the
 * number of nodes, or -1 if one is broken.  O(n); for tests. */
long avl_check(const struct avl_tree *t);

#endif
