/* SPDX-License-Identifier: MIT */
/*
 * The process's shared writable file mappings, for msync: each entry is a
 * page range and a send handle to the open file description it maps.
 * mmap adds one per MAP_SHARED + PROT_WRITE file mapping; munmap and a
 * MAP_FIXED mapping over it remove or trim it; msync tells the file's
 * server about each one its range meets (FILE_MSYNC: st_mtime and
 * st_ctime).  As Linux's vm_file does, the handle keeps the description
 * open while the mapping lasts.
 *
 * The table lives in private memory of its own, mapped with the kernel
 * calls directly: never malloc, whose free may munmap and come back here.
 * fork's child inherits a copy, and its handles at the same values.
 * map_lock guards tab, count and cap; it is never held across a call to
 * a server (only kernel calls happen under it).
 */
#include <errno.h>
#include <string.h>
#include <ferry/proto/file.h>
#include <ferry/syscall.h>
#include "libposix.h"
#include "lock.h"

#define PAGE 4096UL

struct mapfile {
	uintptr_t start, end; /* [start, end), page aligned */
	handle_t port;        /* owned */
};

static struct mapfile *tab;
static size_t count, cap;
static volatile int map_lock[1];

/* Room for one more entry: 0 or -ENOMEM.  Caller holds map_lock. */
static long
grow(void)
{
	size_t bytes = cap ? cap * sizeof *tab * 2 : PAGE;
	struct ferry_map_req req = {0, bytes,
	                            FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_PRIVATE, 0};
	handle_t mo;
	uintptr_t addr;
	long r;

	if (count < cap)
		return 0;
	if (ferry_sys_memobj_create(bytes, FERRY_MEMOBJ_ANON, &mo))
		return -ENOMEM;
	r = ferry_sys_vm_map(0, mo, 0, &req, &addr);
	(void)ferry_sys_handle_close(mo);
	if (r)
		return -ENOMEM;
	if (tab) {
		memcpy((void *)addr, tab, count * sizeof *tab);
		(void)ferry_sys_vm_unmap(0, (uintptr_t)tab, cap * sizeof *tab);
	}
	tab = (struct mapfile *)addr;
	cap = bytes / sizeof *tab;
	return 0;
}

/*
 * Records [start, start + len) as a shared writable mapping of the
 * description port names (a new handle is taken; the caller keeps port).
 * 0, -ENOMEM (no memory for the table) or the handle dup's error.
 */
long
__ferry_mapfile_add(uintptr_t start, size_t len, handle_t port)
{
	handle_t h;
	long r;

	if ((r = __ferry_status(ferry_sys_handle_dup(port, FERRY_RIGHT_SAME, &h))))
		return r;
	LOCK(map_lock);
	if ((r = grow())) {
		UNLOCK(map_lock);
		(void)ferry_sys_handle_close(h);
		return r;
	}
	tab[count++] = (struct mapfile){start, start + len, h};
	UNLOCK(map_lock);
	return 0;
}

/*
 * Forgets [start, start + len): entries inside it go (their handles are
 * closed), entries that overlap it are trimmed; one that contains it is
 * split in two (the tail keeps a handle of its own; if that cannot be
 * had, the tail is forgotten and msync of it marks nothing).
 */
void
__ferry_mapfile_remove(uintptr_t start, size_t len)
{
	uintptr_t end = start + len;

	if (!count) /* the common case: no file mapped shared and writable */
		return;
	LOCK(map_lock);
	for (size_t i = 0; i < count;) {
		struct mapfile *m = &tab[i];
		if (m->end <= start || m->start >= end) {
			i++;
			continue;
		}
		if (m->start >= start && m->end <= end) {
			(void)ferry_sys_handle_close(m->port);
			*m = tab[--count];
			continue;
		}
		if (m->start < start && m->end > end) {
			handle_t h;
			uintptr_t tail = m->end;
			m->end = start;
			if (!grow() && !ferry_sys_handle_dup(tab[i].port, FERRY_RIGHT_SAME, &h))
				tab[count++] = (struct mapfile){end, tail, h};
			i++;
			continue;
		}
		if (m->start < start)
			m->end = start;
		else
			m->start = end;
		i++;
	}
	UNLOCK(map_lock);
}

/*
 * msync's part: FILE_MSYNC to the description of each recorded mapping
 * that [start, start + len) meets.  The servers' answers do not change
 * msync's result: the mapped pages are the file's own already.
 */
void
__ferry_mapfile_sync(uintptr_t start, size_t len)
{
	uintptr_t end = start + len;
	struct file_msync_req req = {{0, 0}};

	for (size_t i = 0;; i++) {
		handle_t h = 0;
		LOCK(map_lock);
		for (; i < count; i++) {
			if (tab[i].start < end && tab[i].end > start &&
			    !ferry_sys_handle_dup(tab[i].port, FERRY_RIGHT_SAME, &h))
				break;
		}
		UNLOCK(map_lock);
		if (!h)
			return;
		(void)__ferry_rpc(h, FILE_MSYNC, &req, sizeof req, 0, 0, 0, 0);
		(void)ferry_sys_handle_close(h);
	}
}

/* fork from a threaded process: as the descriptor table's lock (fd.c). */
void
__ferry_mapfile_atfork_prepare(void)
{
	LOCK(map_lock);
}

void
__ferry_mapfile_atfork_parent(void)
{
	UNLOCK(map_lock);
}

void
__ferry_mapfile_atfork_child(void)
{
	map_lock[0] = 0;
}
