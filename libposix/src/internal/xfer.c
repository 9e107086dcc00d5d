/* SPDX-License-Identifier: MIT */
/*
 * The transfer areas (docs/proto/file.md, "Transfer area";
 * docs/threads.md).  An area is an anonymous memory object of
 * FERRY_XFER_SIZE bytes, mapped here and attached with FILE_XFER_ATTACH to
 * each description that moves more than fits inline.  The id a server
 * returns is only valid on that description, so each area caches its ids
 * per port handle; the cache is small and replaces its oldest entry (a
 * forgotten id only costs one more attach).
 *
 * Threads: an area carries one bulk transfer at a time, so each thread
 * uses its own.  Areas live in a process-wide pool; a thread takes one on
 * its first bulk transfer and keeps it until it exits
 * (__ferry_xfer_thread_exit), when the next thread may take it over with
 * its attachments.  So the number of areas (and of attachments a server
 * keeps per description) is the number of threads doing bulk I/O at once,
 * not the number of threads ever created.  When the pool is full,
 * __ferry_xfer fails and the caller falls back to inline transfers: a
 * thread never waits for another thread's area, so no lock is held across
 * a blocking call.  The pool lock only guards taking and returning areas.
 */
#include <errno.h>
#include <string.h>
#include <ferry/proto/file.h>
#include <ferry/syscall.h>
#include "lock.h"
#include "libposix.h"

#define FERRY_XFER_SIZE (64u << 10)
#define XFER_CACHE      32
#define XFER_AREAS      64 /* at most this many threads use areas at once */

struct xfer_area {
	int busy; /* a thread owns it (guarded by pool_lock) */
	handle_t mo;
	void *base;
	struct {
		handle_t port;
		uint32_t id;
	} cache[XFER_CACHE];
	unsigned cache_next;
};

static struct xfer_area pool[XFER_AREAS];
static unsigned pool_used; /* pool[0 .. pool_used) have an object (guarded by pool_lock) */
static volatile int pool_lock[1];
static __thread struct xfer_area *mine __attribute__((tls_model("initial-exec")));

static long
area_create(struct xfer_area *a)
{
	struct ferry_map_req req = {0, FERRY_XFER_SIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr;
	long rc;

	rc = ferry_sys_memobj_create(FERRY_XFER_SIZE, FERRY_MEMOBJ_ANON, &a->mo);
	if (rc < 0)
		return __ferry_status(rc);
	rc = ferry_sys_vm_map(0, a->mo, 0, &req, &addr);
	if (rc < 0) {
		(void)ferry_sys_handle_close(a->mo);
		a->mo = 0;
		return __ferry_status(rc);
	}
	a->base = (void *)addr;
	return 0;
}

/* The calling thread's area, taken from the pool on first use; 0 if none is free. */
static struct xfer_area *
area_get(void)
{
	struct xfer_area *a = 0;
	unsigned i;

	if (mine)
		return mine;
	LOCK(pool_lock);
	for (i = 0; i < pool_used && !a; i++)
		if (!pool[i].busy)
			a = &pool[i];
	if (!a && pool_used < XFER_AREAS) {
		if (area_create(&pool[pool_used]) == 0)
			a = &pool[pool_used++];
	}
	if (a)
		a->busy = 1;
	UNLOCK(pool_lock);
	mine = a;
	return a;
}

long
__ferry_xfer(handle_t port, uint32_t *id, void **base)
{
	struct file_xfer_attach_req req = {FERRY_XFER_SIZE};
	struct file_xfer_attach_rep rep;
	struct xfer_area *a;
	handle_t dup;
	unsigned i;
	long rc;

	if (!port)
		return -EBADF;
	if (!(a = area_get()))
		return -EAGAIN;
	for (i = 0; i < XFER_CACHE; i++) {
		if (a->cache[i].port == port && a->cache[i].id) {
			*id = a->cache[i].id;
			*base = a->base;
			return FERRY_XFER_SIZE;
		}
	}
	rc = ferry_sys_handle_dup(a->mo, FERRY_RIGHT_SAME, &dup);
	if (rc < 0)
		return __ferry_status(rc);
	rc = __ferry_rpc(port, FILE_XFER_ATTACH, &req, sizeof req, &rep, sizeof rep, dup, 0);
	if (rc < 0)
		return rc;
	if (!rep.id)
		return -EIO;
	i = a->cache_next++ % XFER_CACHE;
	a->cache[i].port = port;
	a->cache[i].id = rep.id;
	*id = rep.id;
	*base = a->base;
	return FERRY_XFER_SIZE;
}

/*
 * Forgets port's ids in every area: its handle is being closed, and the
 * value may name another description later.  Areas other threads are
 * using are updated in place; a thread racing with the close of the same
 * descriptor gets an error from the server, as it would on Linux.
 */
void
__ferry_xfer_forget(handle_t port)
{
	unsigned i, n = pool_used;

	for (struct xfer_area *a = pool; a < pool + n; a++)
		for (i = 0; i < XFER_CACHE; i++)
			if (a->cache[i].port == port)
				a->cache[i].port = 0, a->cache[i].id = 0;
}

void
__ferry_xfer_thread_exit(void)
{
	struct xfer_area *a = mine;

	if (!a)
		return;
	mine = 0;
	LOCK(pool_lock);
	a->busy = 0;
	UNLOCK(pool_lock);
}

/*
 * In the child after fork: the mappings still name the parent's objects
 * (and other threads' areas belong to threads that did not survive).
 */
void
__ferry_xfer_reset(void)
{
	for (struct xfer_area *a = pool; a < pool + pool_used; a++) {
		if (a->base)
			(void)ferry_sys_vm_unmap(0, (uintptr_t)a->base, FERRY_XFER_SIZE);
		if (a->mo)
			(void)ferry_sys_handle_close(a->mo);
	}
	memset(pool, 0, sizeof pool);
	pool_used = 0;
	pool_lock[0] = 0;
	mine = 0;
}
