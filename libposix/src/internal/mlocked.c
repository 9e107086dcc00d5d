/* SPDX-License-Identifier: MIT */
/*
 * The process's locked memory, for msync: POSIX (and Linux) make
 * msync(MS_INVALIDATE) fail with EBUSY on locked pages.  Ferry never pages
 * memory out, so that answer is all a lock changes (mman/mlock.c).
 *
 * A sorted table of disjoint page ranges [start, end): mlock adds its
 * range, munlock and munmap take theirs out.  mlockall(MCL_CURRENT) locks
 * every mapping there is, which only the kernel could list: it locks the
 * whole user range, and each mapping made afterwards (mmap) is taken out
 * as it is made, or added with MCL_FUTURE.  So the table may cover holes,
 * and __ferry_mlocked_busy asks the kernel whether what it meets is
 * mapped.  munlockall empties it; a fork's child starts with no locks
 * (POSIX), as does a new image.
 *
 * At most MLOCK_RANGES ranges (4 KiB, mapped at the first lock): mlock and munlock that would need
 * more are ENOMEM (Linux's answer past its mapping count), and a new
 * mapping or munmap that would split a range of a full table leaves the
 * range whole, so msync(MS_INVALIDATE) there is EBUSY where Linux would
 * succeed.  mlocked_lock guards the table, nlocked and future; only
 * kernel calls happen under it (busy's checks), never a server's.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ferry/syscall.h>
#include "libposix.h"
#include "lock.h"

#define PAGE         4096UL
#define USER_TOP     (1UL << 47)
#define MLOCK_RANGES 256

struct range {
	uintptr_t start, end;
};

/* Mapped at the first lock: 4 KiB of .bss would be one more page that a
 * fork's child touches (a fault, some 1 700 instructions per fork). */
static struct range *locked;
static unsigned nlocked;
static int future; /* MCL_FUTURE: new mappings are locked */
static volatile int mlocked_lock[1];

/* Maps the table: 0 or -ENOMEM.  Caller holds mlocked_lock. */
static long
map_table(void)
{
	struct ferry_map_req req = {0, MLOCK_RANGES * sizeof(struct range),
	                            FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_PRIVATE, 0};
	handle_t mo;
	uintptr_t addr;
	long r;

	if (ferry_sys_memobj_create(req.len, FERRY_MEMOBJ_ANON, &mo))
		return -ENOMEM;
	r = ferry_sys_vm_map(0, mo, 0, &req, &addr);
	(void)ferry_sys_handle_close(mo);
	if (r)
		return -ENOMEM;
	locked = (struct range *)addr;
	return 0;
}

/*
 * Makes [start, end) locked (on) or not in the table, in place (no room
 * on the stack: this runs on every munmap).  0, or -ENOMEM when the
 * table has no room for the ranges it would take (then unchanged).
 * Caller holds mlocked_lock.
 */
static long
set(uintptr_t start, uintptr_t end, int on)
{
	struct range piece[2];
	unsigned i0 = 0, i1, k = 0;
	long r;

	if (start >= end || (!on && !nlocked))
		return 0;
	if (!locked && (r = map_table()))
		return r;
	/* [i0, i1): the ranges that meet or touch [start, end). */
	while (i0 < nlocked && locked[i0].end < start)
		i0++;
	for (i1 = i0; i1 < nlocked && locked[i1].start <= end; i1++)
		;
	if (on) {
		piece[k++] = (struct range){
		        i0 < i1 && locked[i0].start < start ? locked[i0].start : start,
		        i0 < i1 && locked[i1 - 1].end > end ? locked[i1 - 1].end : end};
	} else {
		if (i0 < i1 && locked[i0].start < start)
			piece[k++] = (struct range){locked[i0].start, start};
		if (i0 < i1 && locked[i1 - 1].end > end)
			piece[k++] = (struct range){end, locked[i1 - 1].end};
	}
	unsigned n = nlocked - (i1 - i0) + k;
	if (n > MLOCK_RANGES)
		return -ENOMEM;
	memmove(&locked[i0 + k], &locked[i1], (nlocked - i1) * sizeof(locked[0]));
	for (unsigned j = 0; j < k; j++)
		locked[i0 + j] = piece[j];
	nlocked = n;
	return 0;
}

long
__ferry_mlocked_set(uintptr_t start, uintptr_t end, int on)
{
	LOCK(mlocked_lock);
	long r = set(start, end, on);
	UNLOCK(mlocked_lock);
	return r;
}

void
__ferry_mlocked_mapped(uintptr_t start, uintptr_t end)
{
	LOCK(mlocked_lock);
	if (nlocked || future)
		(void)set(start, end, future);
	UNLOCK(mlocked_lock);
}

long
__ferry_mlocked_all(int flags)
{
	long r = 0;

	LOCK(mlocked_lock);
	if ((flags & MCL_CURRENT) && !locked)
		r = map_table();
	if (!r && (flags & MCL_CURRENT)) {
		locked[0] = (struct range){0, USER_TOP};
		nlocked = 1;
	}
	if (!r)
		future = (flags & MCL_FUTURE) != 0;
	UNLOCK(mlocked_lock);
	return r;
}

void
__ferry_mlocked_clear(void)
{
	LOCK(mlocked_lock);
	nlocked = 0;
	future = 0;
	UNLOCK(mlocked_lock);
}

/* Is every page of [start, end) mapped? */
static int
mapped(uintptr_t start, uintptr_t end)
{
	return ferry_sys_vm_populate(0, start, end - start, FERRY_VM_CHECK_ONLY) == 0;
}

int
__ferry_mlocked_busy(uintptr_t start, uintptr_t end)
{
	int busy = 0;

	/* Kernel calls only under the lock (as mapfile.c's). */
	LOCK(mlocked_lock);
	for (unsigned i = 0; i < nlocked && locked[i].start < end && !busy; i++) {
		uintptr_t a = locked[i].start < start ? start : locked[i].start;
		uintptr_t b = locked[i].end > end ? end : locked[i].end;
		if (a >= b)
			continue;
		busy = mapped(a, b);
		/* Partly mapped (the table covers holes after mlockall): page by page. */
		for (uintptr_t p = a; p < b && !busy; p += PAGE)
			busy = mapped(p, p + PAGE);
	}
	UNLOCK(mlocked_lock);
	return busy;
}

/*
 * fork's child: no locks, whatever the table held (POSIX).  No lock is
 * taken around the clone: the child drops the table whatever state
 * another thread left it in.  Only what is set is written, so that a
 * fork does not cost the child (or, through the lock, the parent) a
 * copy of the page.
 */
void
__ferry_mlocked_atfork_child(void)
{
	if (nlocked || future) {
		nlocked = 0;
		future = 0;
	}
	if (mlocked_lock[0])
		mlocked_lock[0] = 0;
}
