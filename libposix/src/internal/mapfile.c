/* SPDX-License-Identifier: MIT */
/*
 * The process's shared writable file mappings, for msync.  Two tables:
 * maps (a page range and the index of its description) and descs (a send
 * handle to an open file description, its kernel object id and the
 * number of maps naming it).  mmap adds a map per MAP_SHARED + PROT_WRITE
 * file mapping; munmap and a MAP_FIXED mapping over it remove or trim
 * it; msync tells the server of each description its range meets
 * (FILE_MSYNC: st_mtime and st_ctime).  As Linux's vm_file does, the
 * handle keeps the description open while it is mapped; one handle per
 * description, however many times it is mapped, so mappings do not eat
 * the task's handle table.
 *
 * The tables live in private memory of their own, mapped with the kernel
 * calls directly: never malloc, whose free may munmap and come back here.
 * fork's child inherits a copy, and the handles at the same values.
 * map_lock guards both tables; it is never held across a call to a
 * server (only kernel calls happen under it).
 */
#include <errno.h>
#include <string.h>
#include <ferry/proto/file.h>
#include <ferry/syscall.h>
#include "libposix.h"
#include "lock.h"

#define PAGE 4096UL
/*
 * At most this many recorded mappings: Linux's default vm.max_map_count,
 * the bound a program mapping without end meets there (mmap: ENOMEM).
 * The maps table then takes 1.5 MiB.
 */
#define MAPFILE_MAX 65530

struct map {
	uintptr_t start, end; /* [start, end), page aligned */
	uint32_t desc;        /* index in descs */
};

struct desc {
	uint64_t koid;
	handle_t port; /* owned; 0: free slot */
	uint32_t maps; /* maps naming it */
};

struct table {
	void *base;
	size_t count, cap; /* entries used (descs: slots ever used), room */
};

static struct table maps, descs;
static volatile int map_lock[1];
#define MAP(i)  (((struct map *)maps.base)[i])
#define DESC(i) (((struct desc *)descs.base)[i])

/* Room for one more entry of size esize in t: 0 or -ENOMEM.  Caller holds map_lock. */
static long
grow(struct table *t, size_t esize)
{
	size_t bytes = t->cap ? (t->cap * esize * 2 + PAGE - 1) & ~(PAGE - 1) : PAGE;
	struct ferry_map_req req = {0, bytes,
	                            FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_PRIVATE, 0};
	handle_t mo;
	uintptr_t addr;
	long r;

	if (t->count < t->cap)
		return 0;
	if (ferry_sys_memobj_create(bytes, FERRY_MEMOBJ_ANON, &mo))
		return -ENOMEM;
	r = ferry_sys_vm_map(0, mo, 0, &req, &addr);
	(void)ferry_sys_handle_close(mo);
	if (r)
		return -ENOMEM;
	if (t->base) {
		memcpy((void *)addr, t->base, t->count * esize);
		(void)ferry_sys_vm_unmap(0, (uintptr_t)t->base, t->cap * esize);
	}
	t->base = (void *)addr;
	t->cap = bytes / esize;
	return 0;
}

/* One map fewer on description d: its handle goes with the last.  Caller holds map_lock. */
static void
desc_drop(uint32_t d)
{
	if (--DESC(d).maps == 0) {
		(void)ferry_sys_handle_close(DESC(d).port);
		DESC(d).port = 0;
	}
}

/*
 * Records [start, start + len) as a shared writable mapping of the
 * description port names (the caller keeps port; the table takes a
 * handle of its own unless it has one).  0, -ENOMEM (table full), or
 * the handle calls' error (port closed meanwhile).
 */
long
__ferry_mapfile_add(uintptr_t start, size_t len, handle_t port)
{
	struct ferry_handle_info info;
	size_t d, free = (size_t)-1;
	long r;

	if ((r = __ferry_status(ferry_sys_handle_info(port, &info))))
		return r;
	LOCK(map_lock);
	if (maps.count >= MAPFILE_MAX) {
		r = -ENOMEM;
		goto out;
	}
	if ((r = grow(&maps, sizeof(struct map))))
		goto out;
	for (d = 0; d < descs.count; d++) {
		if (DESC(d).port && DESC(d).koid == info.koid)
			break;
		if (!DESC(d).port && free == (size_t)-1)
			free = d;
	}
	if (d == descs.count) {
		if (free != (size_t)-1)
			d = free;
		else if ((r = grow(&descs, sizeof(struct desc))))
			goto out;
		handle_t h;
		if ((r = __ferry_status(ferry_sys_handle_dup(port, FERRY_RIGHT_SAME, &h))))
			goto out;
		DESC(d).port = h;
		DESC(d).koid = info.koid;
		DESC(d).maps = 0;
		if (d == descs.count)
			descs.count++;
	}
	DESC(d).maps++;
	MAP(maps.count++) = (struct map){start, start + len, (uint32_t)d};
out:
	UNLOCK(map_lock);
	return r;
}

/*
 * Forgets [start, start + len): maps inside it go, maps that overlap it
 * are trimmed; one that contains it is split in two (if the table is
 * full, the tail is forgotten and msync of it marks nothing).
 */
void
__ferry_mapfile_remove(uintptr_t start, size_t len)
{
	uintptr_t end = start + len;

	if (!maps.count) /* the common case: no file mapped shared and writable */
		return;
	LOCK(map_lock);
	for (size_t i = 0; i < maps.count;) {
		struct map *m = &MAP(i);
		if (m->end <= start || m->start >= end) {
			i++;
			continue;
		}
		if (m->start >= start && m->end <= end) {
			desc_drop(m->desc);
			*m = MAP(--maps.count);
			continue;
		}
		if (m->start < start && m->end > end) {
			struct map tail = {end, m->end, m->desc};
			m->end = start;
			if (!grow(&maps, sizeof(struct map))) {
				MAP(maps.count++) = tail;
				DESC(tail.desc).maps++;
			}
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
 * msync's part: FILE_MSYNC to each description with a recorded mapping
 * that [start, start + len) meets (once per map; the calls are cheap and
 * ranges rarely hold more than one).  The servers' answers do not change
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
		for (; i < maps.count; i++) {
			if (MAP(i).start < end && MAP(i).end > start &&
			    !ferry_sys_handle_dup(DESC(MAP(i).desc).port, FERRY_RIGHT_SAME, &h))
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
