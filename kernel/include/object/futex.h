/* SPDX-License-Identifier: MIT */
/*
 * Futexes: wait on a 32-bit user word while it holds an expected value,
 * wake the waiters of a word.  A word is named by a key: (address space,
 * address) in a private area, (memory object, offset) in a shared one, so
 * a shared mapping is one futex in every task that maps it and a private
 * one survives copy-on-write (object/futex.c, docs/threads.md).
 */
#ifndef KERNEL_OBJECT_FUTEX_H
#define KERNEL_OBJECT_FUTEX_H

#include <stdint.h>

struct thread;
struct vmspace;

/*
 * Wakes up to count threads waiting on the word at user address addr of
 * vm.  Returns how many were woken, or -FERRY_EINVAL (misaligned) /
 * -FERRY_EFAULT (not mapped).
 */
int futex_wake(struct vmspace *vm, uintptr_t addr, uint32_t count);

/*
 * The CLONE_CHILD_CLEARTID half of thread exit: if t (the current, exiting
 * thread of a live task) has a clear-tid word, stores 0 there and wakes
 * one waiter.  A word that is no longer mapped is skipped.
 */
void futex_thread_exit(struct thread *t);

#endif
