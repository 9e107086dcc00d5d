// SPDX-License-Identifier: MIT
/*
 * The /proc tree procmgr serves (docs/procmgr.md "/proc"): which nodes
 * exist, the path walk inside it, stat and directory listings, and the
 * text of each file, rendered from the process table and the kernel's
 * counters in the Linux formats Busybox parses.  No state of its own: a
 * node is (type, pid), and every answer is computed from the table when
 * asked.  procfs_msg.c does the protocols.
 *
 * /proc/<pid>/fd comes from the descriptor table the process publishes
 * (fdpub.c), read as untrusted bytes.
 *
 * Entry points: pfs_walk, pfs_stat, pfs_readlink, pfs_render, pfs_readdir,
 * pfs_path.
 */
#include "procmgr.h"
#include <ferry/startup.h>
#include <ferry/syscall.h>
#include <lib/fmt.h>

#define USER_HZ    100 /* clock ticks of /proc's time fields, as on Linux */
#define DT_DIR     4
#define DT_REG     8
#define DT_LNK     10
#define PID_COOKIE 0x10000 /* readdir cookies of /proc/<pid> entries: PID_COOKIE + pid */

struct pfs_ent {
	const char *name;
	enum pfs_type type;
};

static const struct pfs_ent root_ents[] = {
        {"self", PFS_SELF},       {"meminfo", PFS_MEMINFO},         {"uptime", PFS_UPTIME},
        {"loadavg", PFS_LOADAVG}, {"mounts", PFS_MOUNTS},           {"stat", PFS_STAT},
        {"version", PFS_VERSION}, {"filesystems", PFS_FILESYSTEMS}, {"cpuinfo", PFS_CPUINFO},
};
static const struct pfs_ent pid_ents[] = {
        {"stat", PFS_PID_STAT}, {"status", PFS_PID_STATUS}, {"cmdline", PFS_PID_CMDLINE},
        {"comm", PFS_PID_COMM}, {"exe", PFS_PID_EXE},       {"fd", PFS_PID_FD},
};
#define NROOT (sizeof(root_ents) / sizeof(root_ents[0]))
#define NPID  (sizeof(pid_ents) / sizeof(pid_ents[0]))

/* A process /proc shows: live, stopped, zombie or a server (embryos are not yet anyone). */
static bool
is_shown(const struct proc *p)
{
	return p->state == PROC_LIVE || p->state == PROC_ZOMBIE || p->state == PROC_SERVER;
}

static struct proc *
shown(int pid)
{
	struct proc *p = proc_by_pid(pid);
	return p && is_shown(p) ? p : NULL;
}

/*
 * A copy of descriptor fd of pid as published (taken once: the process
 * may rewrite it meanwhile), checked: false if it is not open.
 */
static bool
fd_ent(int pid, int fd, struct ferry_fdpub_ent *e)
{
	struct proc *p = shown(pid);
	const struct ferry_fdpub *v = p ? fdpub_get(p) : NULL;
	if (!v || fd < 0 || fd >= FERRY_FDPUB_FDS || (uint32_t)fd >= v->top)
		return false;
	memcpy(e, &v->ent[fd], sizeof(*e));
	if (e->len > FERRY_FDPUB_NAME || strnlen(e->name, e->len) != e->len)
		e->kind = FERRY_FDPUB_ANON; /* a name we cannot show */
	return e->kind != FERRY_FDPUB_CLOSED && e->kind <= FERRY_FDPUB_LOG;
}

/*
 * What a descriptor names, as Linux writes it (readlink of
 * /proc/<pid>/fd/N).  *path: it is a path that can be walked again.
 */
static int
fd_target(const struct ferry_fdpub_ent *e, char *buf, size_t cap, bool *path)
{
	uint32_t maj = (uint32_t)(e->id >> 8) & 0xfff, min = (uint32_t)e->id & 0xff;
	int w;
	*path = false;
	switch (e->kind) {
	case FERRY_FDPUB_PATH:
		*path = e->len > 0 && e->name[0] == '/';
		w = e->len ? usnprintf(buf, cap, "%.*s", (int)e->len, e->name)
		           : usnprintf(buf, cap, "anon_inode:[file]");
		break;
	case FERRY_FDPUB_PIPE:
		w = usnprintf(buf, cap, "pipe:[%lu]", (unsigned long)e->id);
		break;
	case FERRY_FDPUB_SOCKET:
		w = usnprintf(buf, cap, "socket:[%lu]", (unsigned long)e->id);
		break;
	case FERRY_FDPUB_DEV:
		*path = true;
		if (maj == 5 && min == 1)
			w = usnprintf(buf, cap, "/dev/console");
		else if (maj == 5 && min == 2)
			w = usnprintf(buf, cap, "/dev/ptmx");
		else if (maj == 136)
			w = usnprintf(buf, cap, "/dev/pts/%u", min);
		else
			*path = false, w = usnprintf(buf, cap, "/dev/char/%u:%u", maj, min);
		break;
	case FERRY_FDPUB_LOG:
		w = usnprintf(buf, cap, "anon_inode:[kernel-log]");
		break;
	default:
		w = usnprintf(buf, cap, "anon_inode:[ferry]");
	}
	if (w < 0 || (size_t)w >= cap)
		return -FERRY_ENAMETOOLONG;
	return w;
}

bool
pfs_valid(struct pfs_node n)
{
	struct ferry_fdpub_ent e;
	if (n.type == PFS_NONE || n.type >= PFS_NTYPES)
		return false;
	if (n.type == PFS_PID_FD_LINK)
		return fd_ent(n.pid, n.fd, &e);
	return n.type < PFS_PID || shown(n.pid) != NULL;
}

bool
pfs_is_dir(struct pfs_node n)
{
	return n.type == PFS_ROOT || n.type == PFS_PID || n.type == PFS_PID_FD;
}

static bool
is_link(struct pfs_node n)
{
	return n.type == PFS_SELF || n.type == PFS_PID_EXE || n.type == PFS_PID_FD_LINK;
}

static uint64_t
node_ino(struct pfs_node n)
{
	uint64_t fd = n.type == PFS_PID_FD_LINK ? (uint64_t)(uint32_t)n.fd + 1 : 0;
	return fd << 40 | ((uint64_t)(uint32_t)n.pid << 8) | n.type;
}

void
pfs_stat(struct pfs_node n, struct file_stat *st)
{
	struct proc *p = n.type >= PFS_PID ? shown(n.pid) : NULL;
	uint64_t t = p ? p->start_ns : 0;
	memset(st, 0, sizeof(*st));
	st->dev = PFS_DEV;
	st->ino = node_ino(n);
	if (pfs_is_dir(n)) {
		st->mode = VFS_S_IFDIR | 0555;
		st->nlink = 2;
	} else if (is_link(n)) {
		/* A process's descriptors are its owner's business, as on Linux. */
		st->mode = VFS_S_IFLNK | (n.type == PFS_PID_FD_LINK ? 0700 : 0777);
		st->nlink = 1;
	} else {
		st->mode = VFS_S_IFREG | 0444;
		st->nlink = 1;
	}
	if (p) {
		/* ps shows the owner of /proc/<pid>: the real uid, as Linux does. */
		st->uid = p->euid;
		st->gid = p->egid;
	}
	st->atime_ns = st->mtime_ns = st->ctime_ns = (int64_t)t;
}

void
pfs_stat_target(struct pfs_node n, struct file_stat *st)
{
	struct ferry_fdpub_ent e;
	struct proc *p = shown(n.pid);
	memset(st, 0, sizeof(*st));
	st->nlink = 1;
	st->uid = p ? p->euid : 0;
	st->gid = p ? p->egid : 0;
	if (!fd_ent(n.pid, n.fd, &e))
		e.kind = FERRY_FDPUB_ANON;
	if (e.kind == FERRY_FDPUB_PIPE)
		st->mode = VFS_S_IFIFO | 0600;
	else if (e.kind == FERRY_FDPUB_SOCKET)
		st->mode = VFS_S_IFSOCK | 0777;
	else
		st->mode = VFS_S_IFREG | 0600; /* anonymous: Linux says so too */
	st->ino = e.kind == FERRY_FDPUB_PIPE || e.kind == FERRY_FDPUB_SOCKET ? e.id : node_ino(n);
	st->dev = PFS_DEV;
}

/* The entry of dir called name[0..len), or PFS_NONE. */
static struct pfs_node
lookup(struct pfs_node dir, const char *name, size_t len)
{
	struct pfs_node n = {PFS_NONE, 0, 0, 0};
	if (dir.type == PFS_ROOT) {
		for (size_t i = 0; i < NROOT; i++)
			if (strlen(root_ents[i].name) == len &&
			    !memcmp(root_ents[i].name, name, len))
				return (struct pfs_node){root_ents[i].type, 0, 0, 0};
		int pid = 0;
		if (len == 0 || len > 6 || name[0] == '0')
			return n;
		for (size_t i = 0; i < len; i++) {
			if (name[i] < '0' || name[i] > '9')
				return n;
			pid = pid * 10 + (name[i] - '0');
		}
		if (shown(pid))
			n = (struct pfs_node){PFS_PID, pid, 0, 0};
	} else if (dir.type == PFS_PID) {
		for (size_t i = 0; i < NPID; i++)
			if (strlen(pid_ents[i].name) == len && !memcmp(pid_ents[i].name, name, len))
				return (struct pfs_node){pid_ents[i].type, dir.pid, 0, 0};
	} else if (dir.type == PFS_PID_FD) {
		struct ferry_fdpub_ent e;
		int fd = 0;
		if (len == 0 || len > 4 || (name[0] == '0' && len > 1))
			return n;
		for (size_t i = 0; i < len; i++) {
			if (name[i] < '0' || name[i] > '9')
				return n;
			fd = fd * 10 + (name[i] - '0');
		}
		if (fd_ent(dir.pid, fd, &e))
			n = (struct pfs_node){PFS_PID_FD_LINK, dir.pid, fd, 0};
	}
	return n;
}

static struct pfs_node
parent(struct pfs_node n)
{
	if (n.type == PFS_PID_FD)
		return (struct pfs_node){PFS_PID, n.pid, 0, 0};
	if (n.type == PFS_PID_FD_LINK)
		return (struct pfs_node){PFS_PID_FD, n.pid, 0, 0};
	return (struct pfs_node){PFS_ROOT, 0, 0, 0};
}

/*
 * Walks path[0..len) from start.  caller: the asking pid (0: unknown, the
 * request came through a shared procfs port).  follow: follow a symlink
 * in the last component.  Returns 0 with *out; PFS_WALK_SELF when "self"
 * must be resolved and the caller is unknown (*rest_at: where "self"
 * starts in path); PFS_WALK_OUT when a symlink leads out of /proc
 * (outpath: the target followed by the rest of the path); or -ENOENT,
 * -ENOTDIR, -ENAMETOOLONG.
 */
int
pfs_walk(int caller, struct pfs_node start, const char *path, size_t len, bool follow,
         struct pfs_node *out, size_t *rest_at, char *outpath, size_t outcap)
{
	struct pfs_node cur = start;
	size_t i = 0;
	bool trailing = len > 0 && path[len - 1] == '/';
	if (!pfs_valid(cur))
		return -FERRY_ENOENT;
	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		size_t s = i;
		while (i < len && path[i] != '/')
			i++;
		size_t clen = i - s;
		size_t j = i;
		while (j < len && path[j] == '/')
			j++;
		bool last = j == len;
		if (clen > VFS_NAME_MAX)
			return -FERRY_ENAMETOOLONG;
		if (!pfs_is_dir(cur))
			return -FERRY_ENOTDIR;
		if (clen == 1 && path[s] == '.')
			continue;
		if (clen == 2 && path[s] == '.' && path[s + 1] == '.') {
			cur = parent(cur);
			continue;
		}
		struct pfs_node n = lookup(cur, path + s, clen);
		if (n.type == PFS_NONE)
			return -FERRY_ENOENT;
		if (n.type == PFS_SELF && !caller) {
			/* Even readlink and lstat of "self" need to know who asks. */
			*rest_at = s;
			return PFS_WALK_SELF;
		}
		if (n.type == PFS_SELF && (!last || follow || trailing)) {
			if (!shown(caller))
				return -FERRY_ENOENT;
			n = (struct pfs_node){PFS_PID, caller, 0, 0};
		} else if (n.type == PFS_PID_EXE && (!last || follow || trailing)) {
			struct proc *p = shown(n.pid);
			if (!p || !p->exe[0])
				return -FERRY_ENOENT;
			int w = usnprintf(outpath, outcap, "%s%s%.*s", p->exe, i < len ? "/" : "",
			                  (int)(len - i), path + i);
			if (w < 0 || (size_t)w >= outcap)
				return -FERRY_ENAMETOOLONG;
			return PFS_WALK_OUT;
		} else if (n.type == PFS_PID_FD_LINK && (!last || follow || trailing)) {
			struct ferry_fdpub_ent e;
			char t[VFS_PATH_MAX];
			bool walkable;
			int w;
			if (!fd_ent(n.pid, n.fd, &e) ||
			    (w = fd_target(&e, t, sizeof(t), &walkable)) < 0)
				return -FERRY_ENOENT;
			if (!walkable) {
				/* A pipe or socket: no path leads there again. */
				if (!last)
					return -FERRY_ENOTDIR;
				*out = n;
				return PFS_WALK_FD;
			}
			w = usnprintf(outpath, outcap, "%s%s%.*s", t, i < len ? "/" : "",
			              (int)(len - i), path + i);
			if (w < 0 || (size_t)w >= outcap)
				return -FERRY_ENAMETOOLONG;
			return PFS_WALK_OUT;
		}
		cur = n;
	}
	if (trailing && !pfs_is_dir(cur))
		return -FERRY_ENOTDIR;
	*out = cur;
	return 0;
}

int
pfs_readlink(struct pfs_node n, int caller, char *buf, size_t cap, size_t *len)
{
	int w;
	if (n.type == PFS_SELF) {
		if (!caller)
			return -FERRY_ENOENT;
		w = usnprintf(buf, cap, "%d", caller);
	} else if (n.type == PFS_PID_EXE) {
		struct proc *p = shown(n.pid);
		if (!p || !p->exe[0])
			return -FERRY_ENOENT;
		w = usnprintf(buf, cap, "%s", p->exe);
	} else if (n.type == PFS_PID_FD_LINK) {
		struct ferry_fdpub_ent e;
		bool walkable;
		if (!fd_ent(n.pid, n.fd, &e))
			return -FERRY_ENOENT;
		if ((w = fd_target(&e, buf, cap, &walkable)) < 0)
			return w;
	} else {
		return -FERRY_EINVAL;
	}
	if (w < 0 || (size_t)w >= cap)
		return -FERRY_ENAMETOOLONG;
	*len = (size_t)w;
	return 0;
}

void
pfs_path(struct pfs_node n, char *buf, size_t cap)
{
	switch (n.type) {
	case PFS_ROOT:
		buf[0] = 0;
		break;
	case PFS_PID:
		usnprintf(buf, cap, "/%d", n.pid);
		break;
	case PFS_PID_FD_LINK:
		usnprintf(buf, cap, "/%d/fd/%d", n.pid, n.fd);
		break;
	default:
		for (size_t i = 0; i < NROOT; i++)
			if (root_ents[i].type == n.type) {
				usnprintf(buf, cap, "/%s", root_ents[i].name);
				return;
			}
		for (size_t i = 0; i < NPID; i++)
			if (pid_ents[i].type == n.type) {
				usnprintf(buf, cap, "/%d/%s", n.pid, pid_ents[i].name);
				return;
			}
		buf[0] = 0;
	}
}

static uint8_t
dtype(enum pfs_type t)
{
	struct pfs_node n = {t, 0, 0, 0};
	return pfs_is_dir(n) ? DT_DIR : is_link(n) ? DT_LNK : DT_REG;
}

/*
 * Cookies: 1 ".", 2 "..", 3.. the fixed entries, then (root only)
 * PID_COOKIE + pid in pid order, so a process that comes or goes while a
 * listing is under way never shifts the others.
 */
int
pfs_readdir(struct pfs_node dir, uint64_t cookie, char *name, uint8_t *type, uint64_t *ino,
            uint64_t *next)
{
	const struct pfs_ent *ents = dir.type == PFS_ROOT ? root_ents : pid_ents;
	size_t nents = dir.type == PFS_ROOT ? NROOT : dir.type == PFS_PID ? NPID : 0;
	if (cookie < 1)
		cookie = 1;
	if (cookie <= 2) {
		strlcpy(name, cookie == 1 ? "." : "..", VFS_NAME_MAX + 1);
		*type = DT_DIR;
		*ino = node_ino(cookie == 1 ? dir : parent(dir));
		*next = cookie + 1;
		return 1;
	}
	if (cookie - 3 < nents) {
		const struct pfs_ent *e = &ents[cookie - 3];
		strlcpy(name, e->name, VFS_NAME_MAX + 1);
		*type = dtype(e->type);
		*ino = node_ino((struct pfs_node){e->type, dir.pid, 0, 0});
		*next = cookie + 1;
		return 1;
	}
	if (dir.type == PFS_PID_FD) {
		/* Cookie 3 + fd: the published descriptors in order. */
		struct ferry_fdpub_ent e;
		struct proc *p = shown(dir.pid);
		const struct ferry_fdpub *v = p ? fdpub_get(p) : NULL;
		uint64_t top = v ? v->top : 0;
		for (uint64_t fd = cookie - 3; fd < top && fd < FERRY_FDPUB_FDS; fd++) {
			if (!fd_ent(dir.pid, (int)fd, &e))
				continue;
			usnprintf(name, VFS_NAME_MAX + 1, "%d", (int)fd);
			*type = DT_LNK;
			*ino = node_ino((struct pfs_node){PFS_PID_FD_LINK, dir.pid, (int)fd, 0});
			*next = fd + 4;
			return 1;
		}
		return 0;
	}
	if (dir.type != PFS_ROOT)
		return 0;
	int from = cookie < PID_COOKIE ? 0 : (int)(cookie - PID_COOKIE);
	int best = 0;
	for (int i = 0; i < NPROC; i++) {
		const struct proc *p = &proctab[i];
		if (is_shown(p) && p->pid >= from && (!best || p->pid < best))
			best = p->pid;
	}
	if (!best)
		return 0;
	usnprintf(name, VFS_NAME_MAX + 1, "%d", best);
	*type = DT_DIR;
	*ino = node_ino((struct pfs_node){PFS_PID, best, 0, 0});
	*next = PID_COOKIE + (uint64_t)best + 1;
	return 1;
}

/* ---- texts ---- */

struct out {
	char *buf;
	size_t cap, len;
};

static void __attribute__((format(printf, 2, 3))) put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = o->len + (size_t)n < o->cap ? o->len + (size_t)n : o->cap - 1;
}

static uint64_t
kinfo(uint32_t what)
{
	uint64_t v = 0;
	return ferry_sys_kernel_info(what, &v) == 0 ? v : 0;
}

static char
state_char(const struct proc *p)
{
	if (p->state == PROC_ZOMBIE)
		return 'Z';
	return p->stopped ? 'T' : 'S';
}

static const char *
state_name(const struct proc *p)
{
	if (p->state == PROC_ZOMBIE)
		return "Z (zombie)";
	return p->stopped ? "T (stopped)" : "S (sleeping)";
}

static int
nlive(void)
{
	int n = 0;
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state == PROC_LIVE || proctab[i].state == PROC_SERVER)
			n++;
	return n;
}

static int
last_pid(void)
{
	int m = 0;
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state != PROC_FREE && proctab[i].pid > m)
			m = proctab[i].pid;
	return m;
}

#define NS_PER_TICK (1000000000ull / USER_HZ)

/* Linux's 52 fields; what Ferry does not account (memory, faults) is 0. */
static void
render_pid_stat(struct out *o, const struct proc *p)
{
	uint64_t start = p->start_ns / NS_PER_TICK, t[2];
	int fg;
	uint32_t tty = ctty_of(p, &fg);
	cpu_of(p, t);
	put(o,
	    "%d (%s) %c %d %d %d %u %d %u 0 0 0 0 %llu %llu %llu %llu 20 0 1 0 %llu 0 0 "
	    "18446744073709551615 0 0 0 0 0 %llu %llu %llu %llu 0 0 0 %d 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	    "%d\n",
	    p->pid, p->name, state_char(p), p->ppid, p->pgid, p->sid, tty, tty && fg ? fg : -1,
	    0x400000u, (unsigned long long)(t[0] / NS_PER_TICK),
	    (unsigned long long)(t[1] / NS_PER_TICK),
	    (unsigned long long)(p->ccpu_ns[0] / NS_PER_TICK),
	    (unsigned long long)(p->ccpu_ns[1] / NS_PER_TICK), (unsigned long long)start,
	    (unsigned long long)(p->sig_pending & 0x7fffffff),
	    (unsigned long long)(p->thr0.blocked & 0x7fffffff),
	    (unsigned long long)(p->sig_ignored & 0x7fffffff),
	    (unsigned long long)(p->sig_handled & 0x7fffffff), SIGCHLD,
	    p->state == PROC_ZOMBIE ? p->wstatus : 0);
}

static void
render_pid_status(struct out *o, const struct proc *p)
{
	put(o,
	    "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
	    "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t64\nGroups:\t\n",
	    p->name, state_name(p), p->pid, p->pid, p->ppid, p->uid, p->euid, p->suid, p->euid,
	    p->gid, p->egid, p->sgid, p->egid);
	if (p->state != PROC_ZOMBIE)
		put(o, "VmPeak:\t       0 kB\nVmSize:\t       0 kB\nVmRSS:\t       0 kB\n"
		       "VmData:\t       0 kB\nVmStk:\t       0 kB\nVmExe:\t       0 kB\n");
	put(o,
	    "Threads:\t1\nSigQ:\t0/0\nSigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\n"
	    "SigIgn:\t%016llx\nSigCgt:\t%016llx\n",
	    0ull, (unsigned long long)p->sig_pending, (unsigned long long)p->thr0.blocked,
	    (unsigned long long)p->sig_ignored, (unsigned long long)p->sig_handled);
}

static void
render_meminfo(struct out *o)
{
	uint64_t total = kinfo(FERRY_INFO_TOTAL_PAGES) * 4,
	         freekb = kinfo(FERRY_INFO_FREE_PAGES) * 4;
	put(o, "MemTotal:       %8llu kB\nMemFree:        %8llu kB\nMemAvailable:   %8llu kB\n",
	    (unsigned long long)total, (unsigned long long)freekb, (unsigned long long)freekb);
	static const char *const zero[] = {"Buffers",   "Cached",       "SwapCached", "Active",
	                                   "Inactive",  "SwapTotal",    "SwapFree",   "Dirty",
	                                   "Writeback", "AnonPages",    "Mapped",     "Shmem",
	                                   "Slab",      "SReclaimable", "SUnreclaim"};
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		put(o, "%s:%*s%8u kB\n", zero[i], (int)(15 - strlen(zero[i])), "", 0u);
}

/* A transfer area attached to vfs's root port, for texts longer than inline. */
static handle_t area_mo; /* kept to attach the same area to other ports */

/* Attaches mo (moved) as a transfer area of vfs port: 0 and *id, or the error. */
static int
area_attach(handle_t port, handle_t mo, uint32_t *id)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = FILE_XFER_ATTACH;
	m.len = sizeof(struct file_xfer_attach_req);
	struct file_xfer_attach_req q = {PFS_TEXT_MAX};
	memcpy(m.data, &q, sizeof(q));
	m.nhandles = 1;
	m.handles[0] = mo;
	int rc = (int)ferry_sys_msg_call(port, &m, FERRY_TIME_INFINITE);
	if (rc == 0) {
		struct file_xfer_attach_rep r;
		memcpy(&r, m.data, sizeof(r));
		rc = r.status;
		*id = r.id;
	}
	for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		ferry_sys_handle_close(m.handles[i]);
	return rc;
}

int
vfs_area_attach(handle_t port, uint32_t *id)
{
	handle_t mo;
	if (!area_mo)
		return -FERRY_ENOENT;
	int rc = (int)ferry_sys_handle_dup(area_mo, FERRY_RIGHT_SAME, &mo);
	return rc ? rc : area_attach(port, mo, id);
}

int
vfs_area(char **base, uint32_t *id)
{
	static char *area;
	static uint32_t area_id;
	if (!area) {
		handle_t mo;
		uintptr_t addr;
		struct ferry_map_req mr = {0, PFS_TEXT_MAX, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
		int rc = (int)ferry_sys_memobj_create(PFS_TEXT_MAX, FERRY_MEMOBJ_ANON, &mo);
		if (rc)
			return rc;
		if ((rc = (int)ferry_sys_vm_map(0, mo, 0, &mr, &addr))) {
			ferry_sys_handle_close(mo);
			return rc;
		}
		if ((rc = (int)ferry_sys_handle_dup(mo, FERRY_RIGHT_SAME, &area_mo)))
			area_mo = 0;
		rc = area_attach(load_vfs_root, mo, &area_id);
		if (rc) {
			ferry_sys_vm_unmap(0, addr, PFS_TEXT_MAX);
			return rc;
		}
		area = (char *)addr;
	}
	*base = area;
	*id = area_id;
	return 0;
}

/* /proc/mounts: vfs's table (VFS_MOUNTS on its root; vfs never calls us). */
static int
render_mounts(struct out *o)
{
	if (!procfs_vfs_root)
		return 0;
	struct ferry_msg m;
	struct vfs_path_req q;
	char *area = NULL;
	uint32_t id = 0;
	memset(&m, 0, sizeof(m));
	memset(&q, 0, sizeof(q));
	if (vfs_area(&area, &id) == 0)
		q.n.xfer = id;
	m.op = VFS_MOUNTS;
	m.len = sizeof(q);
	memcpy(m.data, &q, sizeof(q));
	int rc = (int)ferry_sys_msg_call(procfs_vfs_root, &m, FERRY_TIME_INFINITE);
	if (rc)
		return rc;
	struct vfs_text_rep r;
	memcpy(&r, m.data, sizeof(r));
	for (unsigned i = 0; i < m.nhandles; i++)
		ferry_sys_handle_close(m.handles[i]);
	if (r.status < 0)
		return r.status;
	const char *text = r.data;
	size_t n = r.len;
	if (n > FILE_INLINE_MAX) {
		if (!area) /* no area: the first 64 bytes (the root and /proc) */
			n = FILE_INLINE_MAX;
		else
			text = area, n = n < PFS_TEXT_MAX - 1 ? n : PFS_TEXT_MAX - 1;
	}
	put(o, "%.*s", (int)n, text);
	if (n && text[n - 1] != '\n')
		put(o, "\n");
	return 0;
}

int
pfs_render(struct pfs_node n, char *buf, size_t cap)
{
	struct out o = {buf, cap, 0};
	struct proc *p = n.type >= PFS_PID ? shown(n.pid) : NULL;
	uint64_t now = unow_ns();
	buf[0] = 0;
	if (n.type >= PFS_PID && !p)
		return -FERRY_ENOENT;
	switch (n.type) {
	case PFS_MEMINFO:
		render_meminfo(&o);
		break;
	case PFS_UPTIME:
		put(&o, "%llu.%02llu 0.00\n", (unsigned long long)(now / 1000000000ull),
		    (unsigned long long)(now / 10000000ull % 100));
		break;
	case PFS_LOADAVG:
		put(&o, "0.00 0.00 0.00 1/%d %d\n", nlive(), last_pid());
		break;
	case PFS_MOUNTS: {
		int rc = render_mounts(&o);
		if (rc)
			return rc;
		break;
	}
	case PFS_STAT: {
		/* user and system: the processes shown (servers and the dead
		 * not counted); idle: the kernel's idle ticks. */
		uint64_t user = 0, sys = 0, idle = 0, t[2];
		for (int i = 0; i < NPROC; i++) {
			if (proctab[i].state != PROC_LIVE && proctab[i].state != PROC_ZOMBIE)
				continue;
			cpu_of(&proctab[i], t);
			user += t[0] / NS_PER_TICK;
			sys += t[1] / NS_PER_TICK;
		}
		if (ferry_sys_kernel_info(FERRY_INFO_IDLE_NS, &idle))
			idle = 0;
		idle /= NS_PER_TICK;
		for (int cpu = 0; cpu < 2; cpu++)
			put(&o, "%s %llu 0 %llu %llu 0 0 0 0 0 0\n", cpu ? "cpu0" : "cpu ",
			    (unsigned long long)user, (unsigned long long)sys,
			    (unsigned long long)idle);
		put(&o, "intr 0\nctxt 0\nbtime 0\nprocesses %d\nprocs_running 1\nprocs_blocked 0\n",
		    last_pid());
		break;
	}
	case PFS_VERSION:
		put(&o, "Ferry version 0.1 (ferry@ferry) (clang) #1 x86_64 microkernel\n");
		break;
	case PFS_FILESYSTEMS:
		put(&o, "nodev\ttmpfs\nnodev\tproc\n");
		break;
	case PFS_CPUINFO:
		put(&o,
		    "processor\t: 0\nvendor_id\t: Ferry\nmodel name\t: x86_64\n"
		    "cpu MHz\t\t: %llu\n\n",
		    (unsigned long long)(kinfo(FERRY_INFO_TSC_HZ) / 1000000));
		break;
	case PFS_PID_STAT:
		render_pid_stat(&o, p);
		break;
	case PFS_PID_STATUS:
		render_pid_status(&o, p);
		break;
	case PFS_PID_CMDLINE:
		if (p->state != PROC_ZOMBIE) {
			size_t k = p->cmdlen < cap ? p->cmdlen : cap;
			memcpy(buf, p->cmdline, k);
			o.len = k;
		}
		break;
	case PFS_PID_COMM:
		put(&o, "%s\n", p->name);
		break;
	default:
		return -FERRY_EINVAL;
	}
	return (int)o.len;
}
