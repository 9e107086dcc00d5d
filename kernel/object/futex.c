// SPDX-License-Identifier: MIT
/*
 * Futexes: the kernel half of every user-space lock, condition variable,
 * join and once.  futex_wait blocks the caller while a user word still
 * holds the value it saw; futex_wake wakes waiters of a word.  There is no
 * futex object: waiters hang on one of FUTEX_BUCKETS wait queues, chosen
 * by a hash of the word's key, and carry the key in their thread.
 *
 * The key names the word independently of who looks at it:
 *   private area (FERRY_MAP_PRIVATE): (vmspace, user address) - stays the
 *     same when copy-on-write moves the page, and is not shared with a
 *     forked child (whose copy is a different word);
 *   shared area: (memory object, offset in it) - the same word for every
 *     task and every address it is mapped at.
 * The caller's flag (Linux FUTEX_PRIVATE_FLAG) is not needed: the area
 * says which case applies, so waiters and wakers always agree, including
 * the kernel's own wake of a clear-tid word at thread exit.
 *
 * One CPU, interrupts off in the kernel: reading the word and queueing the
 * waiter happen with nothing in between, which is the futex guarantee.
 * Entry points: sys_futex_wait, sys_futex_wake, futex_wake,
 * futex_thread_exit.
 */
#include <arch.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <core/task.h>
#include <core/thread.h>
#include <mm/vmspace.h>
#include <object/futex.h>
#include "../arch/x86_64/cpu.h" /* struct trap_frame for the syscall entries only */

#define FUTEX_BUCKETS 256 /* power of two */

struct futex_key {
	const void *space; /* struct vmspace (private) or struct memobj (shared) */
	uint64_t off;      /* user address, or byte offset in the object */
};

static struct waitq buckets[FUTEX_BUCKETS];
static bool buckets_ready;

static struct waitq *
bucket_of(const struct futex_key *k)
{
	if (!buckets_ready) {
		for (unsigned i = 0; i < FUTEX_BUCKETS; i++)
			waitq_init(&buckets[i]);
		buckets_ready = true;
	}
	uint64_t h = ((uintptr_t)k->space >> 4) ^ (k->off >> 2);
	h *= 0x9e3779b97f4a7c15ull;
	return &buckets[h >> (64 - 8)];
}
_Static_assert(FUTEX_BUCKETS == 1 << 8, "bucket_of takes the top 8 bits of the hash");

/* The key of the word at addr: 0, -FERRY_EINVAL (misaligned) or -FERRY_EFAULT (not mapped). */
static int
key_of(struct vmspace *vm, uintptr_t addr, struct futex_key *k)
{
	if (addr & 3)
		return -FERRY_EINVAL;
	if (!vm || !user_range(addr, sizeof(uint32_t)))
		return -FERRY_EFAULT;
	struct vm_area *a = vm_find(vm, addr);
	if (!a)
		return -FERRY_EFAULT;
	if (a->flags & FERRY_MAP_PRIVATE) {
		k->space = vm;
		k->off = addr;
	} else {
		k->space = a->mo;
		k->off = a->off + (addr - a->start);
	}
	return 0;
}

static uint64_t
deadline_of(ferry_time_t timeout)
{
	if (timeout == FERRY_TIME_INFINITE)
		return UINT64_MAX;
	uint64_t now = arch_time_ns();
	return now + timeout < now ? UINT64_MAX - 1 : now + timeout;
}

/*
 * futex_wait(uint32_t *addr, uint32_t val, ferry_time_t timeout): blocks
 * while *addr == val, until a futex_wake on the word, the relative timeout
 * (FERRY_TIME_INFINITE: none) or an interrupt.  0 when woken,
 * -FERRY_EAGAIN (the word differs), -FERRY_ETIMEDOUT, -FERRY_EINTR,
 * -FERRY_EINVAL (misaligned), -FERRY_EFAULT (not readable).
 */
long
sys_futex_wait(struct trap_frame *tf)
{
	uintptr_t addr = tf->rdi;
	uint32_t val = (uint32_t)tf->rsi, cur;
	ferry_time_t timeout = tf->rdx;
	struct futex_key k;
	int rc;

	if ((rc = key_of(current->task->vm, addr, &k)))
		return rc;
	if ((rc = copy_from_user(&cur, uptr(addr), sizeof(cur))))
		return rc;
	if (cur != val)
		return -FERRY_EAGAIN;
	if (timeout == 0)
		return -FERRY_ETIMEDOUT;
	current->futex_space = k.space;
	current->futex_key = k.off;
	rc = thread_block(bucket_of(&k), THREAD_BLOCK_FUTEX, deadline_of(timeout));
	current->futex_space = NULL;
	return rc;
}

static int
wake_key(const struct futex_key *k, uint32_t count)
{
	struct waitq *wq = bucket_of(k);
	struct list *pos, *next;
	int n = 0;

	for (pos = wq->threads.next; pos != &wq->threads && (uint32_t)n < count; pos = next) {
		next = pos->next;
		struct thread *t = container_of(pos, struct thread, run_link);
		if (t->futex_space == k->space && t->futex_key == k->off) {
			thread_wake(t, 0);
			n++;
		}
	}
	return n;
}

int
futex_wake(struct vmspace *vm, uintptr_t addr, uint32_t count)
{
	struct futex_key k;
	int rc = key_of(vm, addr, &k);
	return rc ? rc : wake_key(&k, count);
}

/* futex_wake(uint32_t *addr, uint32_t count): number woken, -FERRY_EINVAL, -FERRY_EFAULT. */
long
sys_futex_wake(struct trap_frame *tf)
{
	return futex_wake(current->task->vm, tf->rdi, (uint32_t)tf->rsi);
}

void
futex_thread_exit(struct thread *t)
{
	uintptr_t addr = t->clear_tid;
	uint32_t zero = 0;

	t->clear_tid = 0;
	if (!addr || t != current || t->task->state == TASK_STATE_DEAD)
		return;
	if (copy_to_user(uptr(addr), &zero, sizeof(zero)) == 0)
		(void)futex_wake(t->task->vm, addr, 1);
}
