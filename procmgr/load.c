// SPDX-License-Identifier: MIT
/*
 * Building a new image: the executable's file, its ELF segments mapped
 * into a fresh task (PIE images at a fixed bias), and the SysV initial
 * stack of docs/startup.md with argv, envp, auxv, the AT_FERRY_* handles
 * and the inherited descriptor table (AT_FERRY_FDTAB).  The task has no
 * thread until load_start, so a failure anywhere leaves the caller's old
 * image untouched.  Every mapping is private (copy-on-write): a shared one
 * would stay shared with the children of a fork.  Entry points: load_find, load_image, load_start.
 */
#include "procmgr.h"
#include <ferry/startup.h>
#include <lib/cpio.h>
#include <lib/elf.h>

#define STACK_TOP  0x00007fffff000000ull
#define STACK_SIZE (1024 * 1024)
#define PAGE       4096ull
#define PIE_BIAS   0x0000555555554000ull

const void *archive_base;
size_t archive_size;

#define LOAD_SYMLINKS_MAX 8
#define LOAD_PATH_MAX     256

/*
 * Finds path's file.  Today: the boot archive (vfs's file protocol takes
 * over when vfs serves executables), following symbolic links (Busybox's
 * applets are links to /bin/busybox) relative to the link's directory.
 * -FERRY_ENOENT, -FERRY_EACCES (not a regular file), -FERRY_ELOOP,
 * -FERRY_ENAMETOOLONG.
 */
int
load_find(const char *path, const void **data, size_t *size, uint32_t *mode, uint32_t *uid)
{
	char cur[LOAD_PATH_MAX], next[LOAD_PATH_MAX];
	struct cpio_entry ent;
	while (*path == '/')
		path++;
	if (!archive_base || !*path)
		return -FERRY_ENOENT;
	if (strlcpy(cur, path, sizeof(cur)) >= sizeof(cur))
		return -FERRY_ENAMETOOLONG;
	for (int hops = 0;; hops++) {
		if (cpio_find(archive_base, archive_size, cur, &ent))
			return -FERRY_ENOENT;
		if ((ent.mode & CPIO_S_IFMT) != CPIO_S_IFLNK)
			break;
		if (hops == LOAD_SYMLINKS_MAX)
			return -FERRY_ELOOP;
		const char *target = ent.data;
		size_t tlen = ent.size, dirlen = 0;
		if (tlen == 0 || tlen >= sizeof(next))
			return tlen ? -FERRY_ENAMETOOLONG : -FERRY_ENOENT;
		if (target[0] != '/') {
			/* Relative: from the directory that holds the link. */
			for (size_t i = 0; cur[i]; i++)
				if (cur[i] == '/')
					dirlen = i + 1;
		}
		if (dirlen + tlen >= sizeof(next))
			return -FERRY_ENAMETOOLONG;
		memcpy(next, cur, dirlen);
		memcpy(next + dirlen, target, tlen);
		next[dirlen + tlen] = 0;
		const char *n = next;
		while (*n == '/')
			n++;
		strlcpy(cur, n, sizeof(cur));
	}
	if ((ent.mode & CPIO_S_IFMT) != CPIO_S_IFREG)
		return -FERRY_EACCES;
	*data = ent.data;
	*size = ent.size;
	*mode = ent.mode;
	*uid = ent.uid;
	return 0;
}

struct stack {
	char *local;  /* the stack object mapped here */
	uint64_t top; /* child address of the lowest byte used so far */
};

static char *
at(struct stack *s, uint64_t child)
{
	return s->local + (child - (STACK_TOP - STACK_SIZE));
}

static int
push(struct stack *s, const void *p, size_t n, uint64_t *where)
{
	if (s->top - (STACK_TOP - STACK_SIZE) < n + 4096)
		return -FERRY_E2BIG;
	s->top -= n;
	memcpy(at(s, s->top), p, n);
	*where = s->top;
	return 0;
}

static int
give(handle_t task, handle_t h, handle_t *remote)
{
	*remote = 0;
	return h ? (int)ferry_sys_task_give(task, h, FERRY_RIGHT_SAME, remote) : 0;
}

/* Fills the stack: strings, random bytes, descriptor table, vectors. */
static int
build_stack(const struct load_args *a, handle_t task, const struct elf_info *ei, uint64_t bias,
            struct stack *s, uintptr_t *sp)
{
	static uint64_t strp[2 * PROC_EXEC_ARGC_MAX + 2];
	uint64_t aux[2 * 48];
	size_t na = 0;
	int rc;
	if (a->argc + a->envc > 2 * PROC_EXEC_ARGC_MAX)
		return -FERRY_E2BIG;
	for (unsigned i = 0; i < a->argc; i++)
		if ((rc = push(s, a->argv[i], strlen(a->argv[i]) + 1, &strp[i])))
			return rc;
	for (unsigned i = 0; i < a->envc; i++)
		if ((rc = push(s, a->envp[i], strlen(a->envp[i]) + 1, &strp[a->argc + i])))
			return rc;
	uint64_t execfn, rnd, fdtab;
	if ((rc = push(s, a->path, strlen(a->path) + 1, &execfn)))
		return rc;
	uint8_t random[16];
	uint64_t seed = urdtsc() ^ (uint64_t)a->p->pid << 32;
	for (int i = 0; i < 16; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		random[i] = (uint8_t)(seed >> 56);
	}
	if ((rc = push(s, random, sizeof(random), &rnd)))
		return rc;

	/* The descriptor table, handles given into the new task. */
	static struct ferry_fdtab_ent ents[PROC_EXEC_HANDLES_MAX + 32];
	struct ferry_fdtab hdr = {0, a->umask};
#define AUX(t, v) (aux[na++] = (t), aux[na++] = (v))
	for (unsigned i = 0; a->stage && i < a->stage->n; i++) {
		const typeof(a->stage->e[0]) *e = &a->stage->e[i];
		handle_t remote;
		if ((rc = give(task, e->h, &remote)))
			return rc;
		if (e->slot >= 0) {
			ents[hdr.count++] = (struct ferry_fdtab_ent){e->slot, remote, 0};
		} else if (-e->slot >= AT_FERRY_BASE && -e->slot < AT_FERRY_END && na < 2 * 40) {
			AUX((uint64_t)-e->slot, remote);
		}
	}
	for (int fd = 0; fd < 32; fd++)
		if (a->debuglog & (1u << fd))
			ents[hdr.count++] = (struct ferry_fdtab_ent){fd, 0, FERRY_FDTAB_DEBUGLOG};
	/* Entries, then the header just below them: one struct ferry_fdtab. */
	s->top &= ~7ull;
	if ((rc = push(s, ents, hdr.count * sizeof(ents[0]), &fdtab)) ||
	    (rc = push(s, &hdr, sizeof(hdr), &fdtab)))
		return rc;
	s->top &= ~15ull;

	handle_t procport, self;
	if ((rc = give(task, a->procport, &procport)) || (rc = give(task, task, &self)))
		return rc;
	AUX(3, ei->phdr_vaddr + bias);                               /* AT_PHDR */
	AUX(4, ei->phentsize);                                       /* AT_PHENT */
	AUX(5, ei->phnum);                                           /* AT_PHNUM */
	AUX(6, PAGE);                                                /* AT_PAGESZ */
	AUX(7, 0);                                                   /* AT_BASE: no interpreter */
	AUX(9, ei->entry + bias);                                    /* AT_ENTRY */
	AUX(11, a->p->uid);                                          /* AT_UID */
	AUX(12, a->p->euid);                                         /* AT_EUID */
	AUX(13, a->p->gid);                                          /* AT_GID */
	AUX(14, a->p->egid);                                         /* AT_EGID */
	AUX(23, a->p->uid != a->p->euid || a->p->gid != a->p->egid); /* AT_SECURE */
	AUX(25, rnd);                                                /* AT_RANDOM */
	AUX(31, execfn);                                             /* AT_EXECFN */
	AUX(AT_FERRY_PROCMGR, procport);
	AUX(AT_FERRY_SELF_TASK, self);
	AUX(AT_FERRY_FDTAB, fdtab);
	AUX(0, 0);
#undef AUX
	size_t words = 1 + a->argc + 1 + a->envc + 1 + na;
	if (s->top - (STACK_TOP - STACK_SIZE) < words * 8 + 4096)
		return -FERRY_E2BIG;
	s->top = (s->top - words * 8) & ~15ull;
	uint64_t *v = (uint64_t *)at(s, s->top);
	size_t w = 0;
	v[w++] = a->argc;
	for (unsigned i = 0; i < a->argc; i++)
		v[w++] = strp[i];
	v[w++] = 0;
	for (unsigned i = 0; i < a->envc; i++)
		v[w++] = strp[a->argc + i];
	v[w++] = 0;
	for (size_t i = 0; i < na; i++)
		v[w++] = aux[i];
	*sp = s->top;
	return 0;
}

/*
 * Creates the task for a->path with its image and stack (no thread yet).
 * -FERRY_ENOENT, -FERRY_EACCES, -FERRY_ENOEXEC (not a valid static ELF),
 * -FERRY_E2BIG (arguments do not fit), or the kernel's error.
 */
int
load_image(const struct load_args *a, handle_t *task, uintptr_t *entry, uintptr_t *sp)
{
	const void *data;
	size_t size;
	uint32_t mode, uid;
	struct elf_info ei;
	int rc = load_find(a->path, &data, &size, &mode, &uid);
	if (rc)
		return rc;
	if (elf_parse(data, size, &ei))
		return -FERRY_ENOEXEC;
	uint64_t bias = ei.is_pie ? PIE_BIAS : 0;
	const char *name = a->path;
	for (const char *q = a->path; *q; q++)
		if (*q == '/')
			name = q + 1;
	if ((rc = (int)ferry_sys_task_create(name, strlen(name), task)))
		return rc;
	if ((rc = umap_elf(*task, data, &ei, bias)))
		goto out_task;
	handle_t smo;
	if ((rc = (int)ferry_sys_memobj_create(STACK_SIZE, FERRY_MEMOBJ_ANON, &smo)))
		goto out_task;
	struct ferry_map_req r = {
	        STACK_TOP - STACK_SIZE, STACK_SIZE,
	        FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_FIXED | FERRY_MAP_PRIVATE, 0};
	struct ferry_map_req l = {0, STACK_SIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t local;
	if ((rc = (int)ferry_sys_vm_map(*task, smo, 0, &r, NULL)) ||
	    (rc = (int)ferry_sys_vm_map(0, smo, 0, &l, &local))) {
		ferry_sys_handle_close(smo);
		goto out_task;
	}
	struct stack s = {(char *)local, STACK_TOP};
	rc = build_stack(a, *task, &ei, bias, &s, sp);
	ferry_sys_vm_unmap(0, local, STACK_SIZE);
	ferry_sys_handle_close(smo);
	if (rc)
		goto out_task;
	*entry = ei.entry + bias;
	return 0;
out_task:
	ferry_sys_task_kill(*task, -SIGKILL);
	ferry_sys_handle_close(*task);
	*task = 0;
	return rc;
}

int
load_start(handle_t task, uintptr_t entry, uintptr_t sp)
{
	return (int)ferry_sys_thread_create(task, entry, sp, 0, NULL);
}
