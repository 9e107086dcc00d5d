/* SPDX-License-Identifier: MIT */
/*
 * Task clone, the kernel half of fork (core/clone.c, docs/memory.md).
 */
#ifndef KERNEL_CORE_CLONE_H
#define KERNEL_CORE_CLONE_H

#include <stdint.h>

struct task;

/*
 * Creates the child of the current thread's task: a copy-on-write copy of
 * its address space and duplicates of all its handles (same values), no
 * threads yet.  The child's object is charged to the parent; its
 * mappings, shared pages and handle table to the child.  -FERRY_EINVAL,
 * -FERRY_EQUOTA, -FERRY_ENOMEM; nothing is left behind on error.
 */
int task_clone_prepare(struct task *parent, struct task **child);
/* Gives dst (with an empty table) a duplicate of every handle of src at the same value. */
int handle_table_clone(struct task *src, struct task *dst);

#endif
