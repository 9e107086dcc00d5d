// SPDX-License-Identifier: MIT
/*
 * Building a new image: the executable's file (through vfs's file
 * protocol, or the boot archive when procmgr has no vfs), its ELF segments
 * mapped into a fresh task (PIE images at a fixed bias), and the SysV
 * initial stack of docs/startup.md with argv, envp, auxv, the AT_FERRY_*
 * handles and the inherited descriptor table (AT_FERRY_FDTAB).  The task
 * has no thread until load_start, so a failure anywhere leaves the
 * caller's old image untouched.  Every mapping is private (copy-on-write):
 * a shared one would stay shared with the children of a fork.
 * Entry points: exe_open, exe_close, load_image, load_start.
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
handle_t load_vfs_root;

#define LOAD_SYMLINKS_MAX 8
#define LOAD_PATH_MAX     256
#define EXE_SIZE_MAX      (1ull << 30) /* larger files are refused (ENOMEM) */

/*
 * Finds path in the boot archive (procmgr without vfs: the proc suite),
 * following symbolic links (Busybox's applets are links to /bin/busybox)
 * relative to the link's directory.  -FERRY_ENOENT, -FERRY_EACCES (not a
 * regular file), -FERRY_ELOOP, -FERRY_ENAMETOOLONG.
 */
static int
archive_find(const char *path, struct exe *e)
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
	e->data = ent.data;
	e->size = ent.size;
	e->mode = ent.mode;
	e->uid = ent.uid;
	e->gid = ent.gid;
	return 0;
}

static void
close_msg_handles(struct ferry_msg *m)
{
	for (unsigned i = 0; i < m->nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		ferry_sys_handle_close(m->handles[i]);
	m->nhandles = 0;
}

/* One call on vfs's root (or a description it gave us); the reply's status. */
static int
vfs_rpc(handle_t h, uint32_t op, const void *req, size_t len, struct ferry_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->op = op;
	m->len = (uint16_t)len;
	memcpy(m->data, req, len);
	int rc = (int)ferry_sys_msg_call(h, m, FERRY_TIME_INFINITE);
	if (rc)
		return rc;
	int32_t status;
	memcpy(&status, m->data, sizeof(status));
	if (status < 0)
		close_msg_handles(m);
	return status;
}

/*
 * *bound: a root of vfs bound to caller (VFS_SESSION with a copy of its
 * process port as the token), whose path requests are checked with the
 * caller's ids; 0 when there is no running caller (a spawn by the control
 * port builds a process that has no task nor published ids yet) or vfs
 * has no credential table (ENOSYS: a test runner's vfs, where everyone is
 * root).  The caller closes *bound.
 */
static int
exe_session(const struct proc *caller, handle_t *bound)
{
	struct vfs_session_req rq = {VFS_SESSION_TOKEN, 0};
	struct ferry_msg m;
	handle_t token;
	*bound = 0;
	if (!caller || !caller->port || !caller->task)
		return 0;
	int rc = (int)ferry_sys_handle_dup(caller->port, FERRY_RIGHT_TRANSFER, &token);
	if (rc)
		return rc;
	memset(&m, 0, sizeof(m));
	m.op = VFS_SESSION;
	m.len = sizeof(rq);
	memcpy(m.data, &rq, sizeof(rq));
	m.nhandles = 1;
	m.handles[0] = token; /* moved */
	if ((rc = (int)ferry_sys_msg_call(load_vfs_root, &m, FERRY_TIME_INFINITE)))
		return rc;
	memcpy(&rc, m.data, sizeof(rc));
	if (rc == 0 && m.nhandles == 1) {
		*bound = m.handles[0];
		return 0;
	}
	close_msg_handles(&m);
	return rc == -FERRY_ENOSYS ? 0 : rc ? rc : -FERRY_EIO;
}

/*
 * Search permission for caller on every directory of path (the walk below
 * is done with vfs's announced root, as root): VFS_ACCESS F_OK with the
 * effective ids on a root bound to caller.  A walk into /proc (redirect)
 * is left to the walk.  0 or the walk's error (EACCES, ENOENT, ...).
 */
static int
exe_search_ok(const struct proc *caller, const char *path)
{
	handle_t bound;
	struct ferry_msg m;
	struct vfs_path_req q;
	size_t len = strlen(path);
	int rc = exe_session(caller, &bound);
	if (rc || !bound)
		return rc;
	memset(&q, 0, sizeof(q));
	q.n.len = (uint16_t)len;
	q.flags = VFS_AT_EACCESS;
	if (len >= VFS_PATH_MAX) {
		rc = -FERRY_ENAMETOOLONG;
	} else if (len <= sizeof(q.names)) {
		memcpy(q.names, path, len);
	} else {
		char *area;
		uint32_t id;
		if ((rc = vfs_area(&area, &id)) == 0 && (rc = vfs_area_attach(bound, &id)) == 0) {
			memcpy(area, path, len);
			q.n.xfer = id;
		}
	}
	if (rc == 0) {
		rc = vfs_rpc(bound, VFS_ACCESS, &q, sizeof(q), &m);
		close_msg_handles(&m);
		if (rc == VFS_REDIRECT)
			rc = 0;
	}
	ferry_sys_handle_close(bound);
	return rc;
}

/*
 * VFS_OPEN of the absolute path read-only from vfs's root, after
 * exe_search_ok.  A walk into /proc is redirected to us: procfs is
 * resolved here (the caller known, so /proc/self/exe works), a link out of
 * it (exe) restarts the open at the root with the target; a procfs file
 * itself, a device or a FIFO served elsewhere is not executable (EACCES).
 * *h: the description.
 */
static int
vfs_open_exe(const struct proc *caller, char *path, size_t cap, handle_t *h)
{
	struct ferry_msg m;
	int denied = exe_search_ok(caller, path);
	if (denied)
		return denied;
	for (int hop = 0; hop <= VFS_REDIRECT_HOPS; hop++) {
		size_t len = strlen(path);
		struct vfs_open_req q;
		memset(&q, 0, sizeof(q));
		q.n.len = (uint16_t)len;
		q.flags = VFS_O_RDONLY;
		if (len >= VFS_PATH_MAX)
			return -FERRY_ENAMETOOLONG;
		if (len <= sizeof(q.names)) {
			memcpy(q.names, path, len);
		} else {
			char *area;
			uint32_t id;
			if (vfs_area(&area, &id) || len > PFS_TEXT_MAX)
				return -FERRY_ENAMETOOLONG;
			memcpy(area, path, len);
			q.n.xfer = id;
		}
		int rc = vfs_rpc(load_vfs_root, VFS_OPEN, &q, sizeof(q), &m);
		if (rc == 0 && m.nhandles == 1) {
			*h = m.handles[0];
			return 0;
		}
		if (rc != VFS_REDIRECT) {
			close_msg_handles(&m);
			/* ENXIO: a device or FIFO nobody serves; not a regular file anyway. */
			return rc == -FERRY_ENXIO ? -FERRY_EACCES : rc ? rc : -FERRY_EIO;
		}
		struct vfs_redirect_rep r;
		memcpy(&r, m.data, sizeof(r));
		close_msg_handles(&m);
		if (r.kind != VFS_REDIRECT_WALK || !procfs_vfs_root)
			return -FERRY_EACCES;
		/* The rest of the path inside /proc (our own procfs). */
		static char rest[VFS_PATH_MAX];
		const char *src = r.rest;
		if (r.len > sizeof(r.rest)) {
			char *area;
			uint32_t id;
			if (!q.n.xfer || vfs_area(&area, &id))
				return -FERRY_ENAMETOOLONG;
			src = area;
		}
		if (r.len >= sizeof(rest))
			return -FERRY_ENAMETOOLONG;
		memcpy(rest, src, r.len);
		struct pfs_node n;
		size_t at;
		rc = pfs_walk(caller ? caller->pid : 0, (struct pfs_node){PFS_ROOT, 0, 0, 0}, rest,
		              r.len, true, &n, &at, path, cap);
		if (rc == PFS_WALK_OUT)
			continue; /* path is the link's target now */
		if (rc < 0)
			return rc;
		return -FERRY_EACCES;
	}
	return -FERRY_ELOOP;
}

/* Execute permission on a file with mode, uid, gid for p (root: any x bit). */
static bool
may_exec(const struct proc *p, uint32_t mode, uint32_t uid, uint32_t gid)
{
	if (!p || p->euid == 0)
		return (mode & 0111) != 0;
	if (p->euid == uid)
		return (mode & 0100) != 0;
	if (cred_in_group(p, gid))
		return (mode & 0010) != 0;
	return (mode & 0001) != 0;
}

/*
 * Opens path for exec as p: through vfs when procmgr has its root,
 * else the boot archive.  buf (VFS_PATH_MAX bytes) gets the path as
 * found (links out of /proc followed).  A vfs file is mapped here read-only through
 * FILE_MMAP (its memory object is kept for mapping segments).
 * -FERRY_ENOENT, -FERRY_EACCES (not a regular file, no execute
 * permission, /proc), -FERRY_ENOMEM (over 1 GiB), the walk's errors.
 */
int
exe_open(const struct proc *p, const char *path, struct exe *e, char *buf)
{
	handle_t h;
	struct ferry_msg m;
	int rc;
	memset(e, 0, sizeof(*e));
	if (!*path)
		return -FERRY_ENOENT;
	if (strlcpy(buf, path, VFS_PATH_MAX) >= VFS_PATH_MAX)
		return -FERRY_ENAMETOOLONG;
	if (!load_vfs_root)
		return archive_find(path, e);
	if (path[0] != '/')
		return -FERRY_ENOENT; /* libposix sends absolute paths */
	if ((rc = vfs_open_exe(p, buf, VFS_PATH_MAX, &h)))
		return rc;
	struct file_stat_req sq = {{0, 0}};
	if ((rc = vfs_rpc(h, FILE_STAT, &sq, sizeof(sq), &m)))
		goto out;
	struct file_stat_rep st;
	memcpy(&st, m.data, sizeof(st));
	e->mode = st.st.mode;
	e->uid = st.st.uid;
	e->gid = st.st.gid;
	rc = -FERRY_EACCES;
	if ((e->mode & VFS_S_IFMT) != VFS_S_IFREG || !may_exec(p, e->mode, e->uid, e->gid))
		goto out;
	struct file_mmap_req mq = {FERRY_PROT_READ | FERRY_PROT_EXEC, FILE_MMAP_PRIVATE};
	if ((rc = vfs_rpc(h, FILE_MMAP, &mq, sizeof(mq), &m)))
		goto out;
	struct file_mmap_rep mr;
	memcpy(&mr, m.data, sizeof(mr));
	if (m.nhandles != 1) {
		close_msg_handles(&m);
		rc = -FERRY_EIO;
		goto out;
	}
	e->mo = m.handles[0];
	e->size = mr.size;
	rc = -FERRY_ENOMEM;
	if (e->size > EXE_SIZE_MAX)
		goto out;
	if (e->size) {
		e->maplen = (e->size + PAGE - 1) & ~(PAGE - 1);
		struct ferry_map_req r = {0, e->maplen, FERRY_PROT_READ | FERRY_MAP_PRIVATE, 0};
		uintptr_t at;
		if ((rc = (int)ferry_sys_vm_map(0, e->mo, 0, &r, &at))) {
			e->maplen = 0;
			goto out;
		}
		e->data = (const void *)at;
	}
	rc = 0;
out:
	ferry_sys_handle_close(h);
	if (rc)
		exe_close(e);
	return rc;
}

void
exe_close(struct exe *e)
{
	if (e->maplen)
		ferry_sys_vm_unmap(0, (uintptr_t)e->data, e->maplen);
	if (e->mo)
		ferry_sys_handle_close(e->mo);
	memset(e, 0, sizeof(*e));
}

/*
 * Page va (unbiased) of the image can be the file's own page, mapped
 * copy-on-write: no writable segment and no zero-filled tail touches it,
 * and every segment on it maps the same file offset there (*off).  *prot:
 * the union of the protections of the segments on it (0: a hole).
 */
static bool
page_from_file(const struct elf_info *ei, uint64_t va, uint64_t *off, uint32_t *prot)
{
	bool file = true, any = false;
	*prot = 0;
	*off = 0;
	for (unsigned i = 0; i < ei->nseg; i++) {
		const struct elf_seg *s = &ei->seg[i];
		if (va + PAGE <= s->vaddr || va >= s->vaddr + s->memsz)
			continue;
		*prot |= s->prot;
		uint64_t end = va + PAGE < s->vaddr + s->memsz ? va + PAGE : s->vaddr + s->memsz;
		uint64_t o = 0; /* the file offset this segment puts at va */
		if (va >= s->vaddr)
			o = s->offset + (va - s->vaddr);
		else if (s->vaddr - va <= s->offset)
			o = s->offset - (s->vaddr - va);
		else
			file = false;
		if ((s->prot & FERRY_PROT_WRITE) || end > s->vaddr + s->filesz || o % PAGE ||
		    (any && o != *off))
			file = false;
		*off = o;
		any = true;
	}
	return any && file;
}

/*
 * Maps the segments of a vfs file into task: read-only pages straight from
 * the file's memory object (copy-on-write, nothing copied), the others
 * (writable, zero-filled tails, pages shared by segments that disagree)
 * copied into one anonymous object.  Runs of pages of one kind and
 * protection go in one mapping.
 */
static int
map_from_file(handle_t task, const struct exe *e, const struct elf_info *ei, uint64_t bias)
{
	uint64_t lo = ei->lo, hi = ei->hi, off;
	uint32_t prot;
	handle_t anon = 0;
	uintptr_t tmp = 0;
	int rc = 0;
	for (uint64_t va = lo; va < hi && !anon; va += PAGE) {
		if (page_from_file(ei, va, &off, &prot) || !prot)
			continue;
		if ((rc = (int)ferry_sys_memobj_create(hi - lo, FERRY_MEMOBJ_ANON, &anon)))
			return rc;
		struct ferry_map_req r = {0, hi - lo, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
		if ((rc = (int)ferry_sys_vm_map(0, anon, 0, &r, &tmp)))
			goto out;
		for (unsigned i = 0; i < ei->nseg; i++) {
			const struct elf_seg *s = &ei->seg[i];
			for (uint64_t p = s->vaddr & ~(PAGE - 1); p < s->vaddr + s->filesz;
			     p += PAGE) {
				if (page_from_file(ei, p, &off, &prot))
					continue;
				uint64_t a = p > s->vaddr ? p : s->vaddr;
				uint64_t b = p + PAGE < s->vaddr + s->filesz ? p + PAGE
				                                             : s->vaddr + s->filesz;
				memcpy((void *)(tmp + a - lo), e->data + s->offset + (a - s->vaddr),
				       b - a);
			}
		}
		ferry_sys_vm_unmap(0, tmp, hi - lo);
	}
	uint64_t start = lo, start_off = 0;
	uint32_t run_prot = 0;
	bool run_file = false;
	for (uint64_t va = lo; va <= hi; va += PAGE) {
		bool file = false;
		prot = 0;
		if (va < hi)
			file = page_from_file(ei, va, &off, &prot);
		if (va > start && va < hi && prot == run_prot && file == run_file &&
		    (!file || off == start_off + (va - start)))
			continue;
		if (va > start && run_prot) {
			struct ferry_map_req r = {start + bias, va - start,
			                          run_prot | FERRY_MAP_FIXED | FERRY_MAP_PRIVATE,
			                          0};
			rc = run_file ? (int)ferry_sys_vm_map(task, e->mo, start_off, &r, NULL)
			              : (int)ferry_sys_vm_map(task, anon, start - lo, &r, NULL);
			if (rc)
				goto out;
		}
		start = va;
		start_off = off;
		run_prot = prot;
		run_file = file;
	}
	rc = 0;
out:
	if (anon)
		ferry_sys_handle_close(anon);
	return rc;
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
	uint64_t nofile = a->p->rlim[PROC_RLIMIT_NOFILE][0];
	struct ferry_fdtab hdr = {0, a->umask,
	                          nofile < PROC_RLIMIT_NOFILE_MAX ? (uint32_t)nofile
	                                                          : PROC_RLIMIT_NOFILE_MAX};
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
	if (a->fdpub) {
		/* Without one the process still runs: /proc/<pid>/fd is empty. */
		uintptr_t pub;
		/* An exec keeps the object unless it changes credentials (fdpub.c). */
		bool keep = a->old && a->p->euid == a->old->euid && a->p->egid == a->old->egid;
		if (!fdpub_new(a->old, a->stage, a->debuglog, keep, task, a->fdpub, &pub))
			AUX(AT_FERRY_FDPUB, pub);
	}
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
 * Creates the task for the opened file e with its image and stack (no
 * thread yet).  -FERRY_ENOEXEC (not a valid static ELF for the user half
 * below the stack), -FERRY_E2BIG (arguments do not fit), or the kernel's
 * error.
 */
int
load_image(const struct load_args *a, const struct exe *e, handle_t *task, uintptr_t *entry,
           uintptr_t *sp)
{
	struct elf_info ei;
	int rc;
	if (elf_parse(e->data, e->size, &ei))
		return -FERRY_ENOEXEC;
	uint64_t bias = ei.is_pie ? PIE_BIAS : 0;
	/* The image must fit below the stack once biased (elf_parse checked the unbiased one). */
	if (ei.hi > STACK_TOP - STACK_SIZE - bias)
		return -FERRY_ENOEXEC;
	const char *name = a->path;
	for (const char *q = a->path; *q; q++)
		if (*q == '/')
			name = q + 1;
	if ((rc = (int)ferry_sys_task_create(name, strlen(name), task)))
		return rc;
	if ((rc = e->mo ? map_from_file(*task, e, &ei, bias) : umap_elf(*task, e->data, &ei, bias)))
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
	if (a->fdpub && *a->fdpub && !(a->old && *a->fdpub == a->old->fdpub)) {
		ferry_sys_handle_close(*a->fdpub);
		*a->fdpub = 0;
	}
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
