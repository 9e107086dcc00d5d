/* SPDX-License-Identifier: MIT */
/* Intrusive circular doubly-linked lists. */
#ifndef KERNEL_LIB_LIST_H
#define KERNEL_LIB_LIST_H

#include <stddef.h>
#include <stdbool.h>

struct list {
	struct list *prev, *next;
};

#define LIST_INIT(name)                                                                            \
	{                                                                                          \
		&(name), &(name)                                                                   \
	}
#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))
#define list_entry                    container_of

static inline void
list_init(struct list *l)
{
	l->prev = l->next = l;
}
static inline bool
list_empty(const struct list *l)
{
	return l->next == l;
}
/* A node is "linked" iff it is not self-referential; nodes must be list_init'ed. */
static inline bool
list_linked(const struct list *n)
{
	return n->next != n;
}

static inline void
list_insert_before(struct list *pos, struct list *n)
{
	n->prev = pos->prev;
	n->next = pos;
	pos->prev->next = n;
	pos->prev = n;
}

static inline void
list_push_back(struct list *l, struct list *n)
{
	list_insert_before(l, n);
}
static inline void
list_push_front(struct list *l, struct list *n)
{
	list_insert_before(l->next, n);
}

static inline void
list_remove(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

static inline struct list *
list_pop_front(struct list *l)
{
	if (list_empty(l))
		return NULL;
	struct list *n = l->next;
	list_remove(n);
	return n;
}

#define list_for_each_safe(pos, tmp, head)                                                         \
	for (pos = (head)->next, tmp = pos->next; pos != (head); pos = tmp, tmp = pos->next)

#endif
