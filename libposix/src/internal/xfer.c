/* SPDX-License-Identifier: MIT */
/*
 * The transfer area (docs/proto/file.md, "Transfer area"): one anonymous
 * memory object of FERRY_XFER_SIZE bytes per process, created and mapped
 * on first use, attached with FILE_XFER_ATTACH to each description that
 * moves more than fits inline.  The id a server returns is only valid on
 * that description, so it is cached per port handle; the cache is small
 * and replaces its oldest entry (a forgotten id only costs one more
 * attach, which the server answers with the same id).
 *
 * One area per process means one bulk transfer at a time: fine while
 * libposix is single-threaded; threads will need an area each.
 */
#include <errno.h>
#include <string.h>
#include <ferry/proto/file.h>
#include <ferry/syscall.h>
#include "libposix.h"

#define FERRY_XFER_SIZE (64u << 10)
#define XFER_CACHE 32

static handle_t area_mo;
static void *area;
static struct {
	handle_t port;
	uint32_t id;
} cache[XFER_CACHE];
static unsigned cache_next;

static long
area_create(void)
{
	struct ferry_map_req req = { 0, FERRY_XFER_SIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, 0 };
	uintptr_t addr;
	long rc;

	rc = ferry_sys_memobj_create(FERRY_XFER_SIZE, FERRY_MEMOBJ_ANON, &area_mo);
	if (rc < 0)
		return __ferry_status(rc);
	rc = ferry_sys_vm_map(0, area_mo, 0, &req, &addr);
	if (rc < 0) {
		(void)ferry_sys_handle_close(area_mo);
		area_mo = 0;
		return __ferry_status(rc);
	}
	area = (void *)addr;
	return 0;
}

long
__ferry_xfer(handle_t port, uint32_t *id, void **base)
{
	struct file_xfer_attach_req req = { FERRY_XFER_SIZE };
	struct file_xfer_attach_rep rep;
	handle_t dup;
	unsigned i;
	long rc;

	if (!port)
		return -EBADF;
	for (i = 0; i < XFER_CACHE; i++) {
		if (cache[i].port == port && cache[i].id) {
			*id = cache[i].id;
			*base = area;
			return FERRY_XFER_SIZE;
		}
	}
	if (!area && (rc = area_create()) < 0)
		return rc;
	rc = ferry_sys_handle_dup(area_mo, FERRY_RIGHT_SAME, &dup);
	if (rc < 0)
		return __ferry_status(rc);
	rc = __ferry_rpc(port, FILE_XFER_ATTACH, &req, sizeof req, &rep, sizeof rep, dup, 0);
	if (rc < 0)
		return rc;
	if (!rep.id)
		return -EIO;
	i = cache_next++ % XFER_CACHE;
	cache[i].port = port;
	cache[i].id = rep.id;
	*id = rep.id;
	*base = area;
	return FERRY_XFER_SIZE;
}

void
__ferry_xfer_forget(handle_t port)
{
	for (unsigned i = 0; i < XFER_CACHE; i++)
		if (cache[i].port == port)
			cache[i].port = 0, cache[i].id = 0;
}

void
__ferry_xfer_reset(void)
{
	/* The child's copy of the mapping still names the parent's object. */
	if (area)
		(void)ferry_sys_vm_unmap(0, (uintptr_t)area, FERRY_XFER_SIZE);
	if (area_mo)
		(void)ferry_sys_handle_close(area_mo);
	area = 0;
	area_mo = 0;
	memset(cache, 0, sizeof cache);
}
