/* SPDX-License-Identifier: MIT */
/*
 * Credentials at the protocol level (docs/proto/vfs.md "Credentials"),
 * included by fstest.c.  A vfs of its own ("vfs3") gets a credential
 * table this test writes as procmgr would, and a port of ours stands for
 * a process's port (its token).  FS0070..FS0074; the whole-system tests
 * are suite fscred (fscred.c, FS0060..FS0067).
 */
#include <ferry/proto/proc.h>

static handle_t c3;                  /* vfs3's announced root (sys: root) */
static struct proc_cred_table *ctab; /* our table, as procmgr's */
static handle_t ctab_mo, cq, tok;    /* tok: the "process port" */
static uint64_t tok_koid;
#define TSLOT 2

/* One call with up to two handles (moved). */
static int
call2(handle_t port, uint32_t op, const void *req, size_t len, handle_t h0, handle_t h1,
      handle_t *hout)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.len = (uint16_t)len;
	memcpy(m.data, req, len);
	if (h0)
		m.handles[m.nhandles++] = h0;
	if (h1)
		m.handles[m.nhandles++] = h1;
	long rc = ferry_sys_msg_call(port, &m, 5000 * MS);
	if (hout)
		*hout = 0;
	if (rc)
		return (int)rc;
	int32_t st;
	memcpy(&st, m.data, sizeof(st));
	for (unsigned i = 0; i < m.nhandles; i++) {
		if (i == 0 && hout && st == 0)
			*hout = m.handles[0];
		else
			ferry_sys_handle_close(m.handles[i]);
	}
	return st;
}

static handle_t
dup_of(handle_t h)
{
	handle_t d = 0;
	if (ferry_sys_handle_dup(h, FERRY_RIGHT_SAME, &d))
		return 0;
	return d;
}

/* VFS_OPEN of path on port; at (moved, 0: none) is a VFS_NAMES_AT start. */
static int
c_open(handle_t port, handle_t at, const char *path, uint32_t flags, uint32_t mode, handle_t *out)
{
	struct vfs_open_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.n.len = (uint16_t)strlen(path);
	memcpy(rq.names, path, rq.n.len);
	if (at)
		rq.n.xfer = VFS_NAMES_AT;
	rq.flags = flags;
	rq.mode = mode;
	handle_t h = 0;
	int rc = call2(port, VFS_OPEN, &rq, sizeof(rq), at, 0, &h);
	if (out)
		*out = h;
	else if (h)
		ferry_sys_handle_close(h);
	return rc;
}

static int
c_stat(handle_t port, handle_t at, const char *path, uint32_t flags, struct file_stat *st)
{
	struct vfs_path_req rq;
	struct vfs_stat_rep rep;
	memset(&rq, 0, sizeof(rq));
	rq.n.len = (uint16_t)strlen(path);
	memcpy(rq.names, path, rq.n.len);
	if (at)
		rq.n.xfer = VFS_NAMES_AT;
	rq.flags = flags;
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = VFS_STAT;
	m.len = sizeof(rq);
	memcpy(m.data, &rq, sizeof(rq));
	if (at)
		m.handles[m.nhandles++] = at;
	long rc = ferry_sys_msg_call(port, &m, 5000 * MS);
	if (rc)
		return (int)rc;
	memcpy(&rep, m.data, sizeof(rep));
	for (unsigned i = 0; i < m.nhandles; i++)
		ferry_sys_handle_close(m.handles[i]);
	if (st)
		*st = rep.st;
	return rep.status;
}

static int
c_mode(handle_t port, handle_t at, uint32_t op, const char *path, uint32_t flags, uint32_t mode)
{
	struct vfs_mode_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.n.len = (uint16_t)strlen(path);
	memcpy(rq.names, path, rq.n.len);
	if (at)
		rq.n.xfer = VFS_NAMES_AT;
	rq.flags = flags;
	rq.mode = mode;
	return call2(port, op, &rq, sizeof(rq), at, 0, NULL);
}

static int
c_session(handle_t port, uint32_t flags, handle_t h0, handle_t h1, handle_t *out)
{
	struct vfs_session_req rq = {flags, 0};
	return call2(port, VFS_SESSION, &rq, sizeof(rq), h0, h1, out);
}

static int
c_creds(handle_t port, handle_t mo, uint32_t flags)
{
	struct vfs_creds_req rq = {flags, 0};
	return call2(port, VFS_CREDS, &rq, sizeof(rq), mo, 0, NULL);
}

/* Rewrites the entry of our "process" the way procmgr does (sequence lock). */
static void
entry_set(uint64_t koid, uint32_t uid, uint32_t euid, uint32_t ngroups, uint32_t group)
{
	struct proc_cred_entry *e = &ctab->e[TSLOT];
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
	e->koid = koid;
	e->uid = uid, e->euid = euid;
	e->gid = uid, e->egid = euid;
	e->ngroups = ngroups;
	e->groups[0] = group;
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
}

static int
cred_setup(void)
{
	int rc;
	struct ferry_map_req r = {0, PROC_CRED_TABLE_BYTES, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr;
	struct ferry_handle_info hi;
	if ((rc = ustart_vfs("vfs3", 20000 * MS, &c3, NULL)) ||
	    (rc = (int)ferry_sys_memobj_create(PROC_CRED_TABLE_BYTES, FERRY_MEMOBJ_ANON,
	                                       &ctab_mo)) ||
	    (rc = (int)ferry_sys_vm_map(0, ctab_mo, 0, &r, &addr)) ||
	    (rc = (int)ferry_sys_queue_create(4, &cq)) ||
	    (rc = (int)ferry_sys_port_create(cq, 77, &tok)) ||
	    (rc = (int)ferry_sys_handle_info(tok, &hi)))
		return rc;
	ctab = (struct proc_cred_table *)addr;
	tok_koid = hi.koid;
	/* As root (before the table): files to be refused. */
	if ((rc = c_open(c3, 0, "/secret", VFS_O_CREAT | VFS_O_WRONLY, 0600, NULL)) ||
	    (rc = c_open(c3, 0, "/pub", VFS_O_CREAT | VFS_O_WRONLY, 0644, NULL)) ||
	    (rc = c_open(c3, 0, "/grp", VFS_O_CREAT | VFS_O_WRONLY, 0640, NULL)) ||
	    (rc = c_mode(c3, 0, VFS_MKDIR, "/priv", 0, 0700)))
		return rc;
	struct vfs_chown_req ch;
	memset(&ch, 0, sizeof(ch));
	ch.n.len = 4;
	memcpy(ch.names, "/grp", 4);
	ch.uid = 0;
	ch.gid = 500;
	return call2(c3, VFS_CHOWN, &ch, sizeof(ch), 0, 0, NULL);
}

UTEST(cred_table, "FS0070",
      "VFS_CREDS: EINVAL for flags, a bad table, a port; the table once, then EBUSY; unbound ports "
      "are nobody's from then on, the announced root stays root")
{
	handle_t u, junk;
	UEXPECT_EQ(cred_setup(), 0);
	/* Not a table yet (no magic), flags, a port instead of memory. */
	UEXPECT_EQ(c_creds(c3, dup_of(ctab_mo), 0), -FERRY_EINVAL);
	ctab->magic = PROC_CRED_MAGIC;
	ctab->slots = PROC_CRED_SLOTS + 1;
	UEXPECT_EQ(c_creds(c3, dup_of(ctab_mo), 0), -FERRY_EINVAL);
	ctab->slots = 4;
	UEXPECT_EQ(c_creds(c3, dup_of(ctab_mo), 1), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_port_create(cq, 78, &junk), 0);
	UEXPECT(c_creds(c3, junk, 0) < 0);
	/* An unbound port before the table: root (bring-up). */
	UEXPECT_EQ(c_open(c3, 0, "/", VFS_O_PATH | VFS_O_DIRECTORY, 0, &u), 0);
	UEXPECT_EQ(c_open(u, 0, "/secret", VFS_O_RDONLY, 0, NULL), 0);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, dup_of(tok), 0, NULL), -FERRY_ENOSYS);
	UEXPECT_EQ(c_creds(c3, dup_of(ctab_mo), 0), 0);
	UEXPECT_EQ(c_creds(c3, dup_of(ctab_mo), 0), -FERRY_EBUSY);
	/* Now the same unbound port speaks for nobody (65534); the sys root for root. */
	UEXPECT_EQ(c_open(u, 0, "/secret", VFS_O_RDONLY, 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(c_open(u, 0, "/pub", VFS_O_RDONLY, 0, NULL), 0);
	UEXPECT_EQ(c_open(u, 0, "/x", VFS_O_CREAT | VFS_O_WRONLY, 0644, NULL), -FERRY_EACCES);
	UEXPECT_EQ(c_open(c3, 0, "/secret", VFS_O_RDWR, 0, NULL), 0);
	ferry_sys_handle_close(u);
}

UTEST(cred_session, "FS0071",
      "VFS_SESSION: a bound port is checked against its process's current ids and groups "
      "(changes seen at the next request); a bound working directory; a dead process's ports EPERM")
{
	handle_t b, t, cwd, h;
	struct file_stat st;
	entry_set(tok_koid, 1000, 1000, 0, 0);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, dup_of(tok), 0, &b), 0);
	UEXPECT_EQ(c_open(b, 0, "/secret", VFS_O_RDONLY, 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(c_open(b, 0, "/pub", VFS_O_RDONLY, 0, NULL), 0);
	UEXPECT_EQ(c_open(b, 0, "/pub", VFS_O_RDWR, 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(c_open(b, 0, "/new", VFS_O_CREAT | VFS_O_WRONLY, 0644, NULL), -FERRY_EACCES);
	UEXPECT_EQ(c_stat(b, 0, "/priv/x", 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(c_open(b, 0, "/grp", VFS_O_RDONLY, 0, NULL), -FERRY_EACCES);
	/* setuid back to 0 (as procmgr would write it): seen at once. */
	entry_set(tok_koid, 1000, 0, 0, 0);
	UEXPECT_EQ(c_open(b, 0, "/secret", VFS_O_RDONLY, 0, NULL), 0);
	/* A supplementary group opens the 0640 file of group 500. */
	entry_set(tok_koid, 1000, 1000, 1, 500);
	UEXPECT_EQ(c_open(b, 0, "/grp", VFS_O_RDONLY, 0, NULL), 0);
	UEXPECT_EQ(c_open(b, 0, "/secret", VFS_O_RDONLY, 0, NULL), -FERRY_EACCES);
	/* A working directory bound the same way (no token: the port's binding). */
	UEXPECT_EQ(c_open(c3, 0, "/tmp", VFS_O_PATH | VFS_O_DIRECTORY, 0, &t), 0);
	UEXPECT_EQ(c_session(b, 0, dup_of(t), 0, &cwd), 0);
	UEXPECT_EQ(c_open(cwd, 0, "mine", VFS_O_CREAT | VFS_O_WRONLY, 0600, NULL), 0);
	UEXPECT_EQ(c_stat(cwd, 0, "mine", 0, &st), 0);
	UEXPECT_EQ(st.uid, 1000u);
	UEXPECT_EQ(st.gid, 1000u);
	/* The process dies: procmgr clears its entry; its ports speak for no one. */
	entry_set(0, 0, 0, 0, 0);
	UEXPECT_EQ(c_open(b, 0, "/pub", VFS_O_RDONLY, 0, NULL), -FERRY_EPERM);
	UEXPECT_EQ(c_stat(cwd, 0, "mine", 0, NULL), -FERRY_EPERM);
	UEXPECT_EQ(c_session(b, 0, 0, 0, NULL), -FERRY_EPERM);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, dup_of(tok), 0, NULL), -FERRY_EPERM);
	/* Its slot reused by another process (another koid): still no one. */
	entry_set(tok_koid + 1, 0, 0, 0, 0);
	UEXPECT_EQ(c_open(b, 0, "/pub", VFS_O_RDONLY, 0, NULL), -FERRY_EPERM);
	entry_set(tok_koid, 1000, 1000, 0, 0);
	UEXPECT_EQ(c_open(cwd, 0, "mine", VFS_O_RDONLY, 0, &h), 0);
	ferry_sys_handle_close(h);
	ferry_sys_handle_close(cwd);
	ferry_sys_handle_close(b);
	ferry_sys_handle_close(t);
}

UTEST(cred_forged, "FS0072",
      "VFS_SESSION with hostile tokens: a forged port, a memory object, none on an unbound port "
      "(EPERM); flags, handle counts (EINVAL); a directory not ours (EXDEV), a file (ENOTDIR)")
{
	handle_t forged, u, f, b;
	entry_set(tok_koid, 1000, 1000, 0, 0);
	UEXPECT_EQ(ferry_sys_port_create(cq, 79, &forged), 0);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, forged, 0, NULL), -FERRY_EPERM);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, dup_of(ctab_mo), 0, NULL), -FERRY_EPERM);
	UEXPECT_EQ(c_open(c3, 0, "/", VFS_O_PATH | VFS_O_DIRECTORY, 0, &u), 0);
	UEXPECT_EQ(c_session(u, 0, 0, 0, NULL), -FERRY_EPERM);
	UEXPECT_EQ(c_session(c3, 0, 0, 0, NULL), -FERRY_EPERM); /* the sys root is no process */
	UEXPECT_EQ(c_session(c3, 2, dup_of(tok), 0, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, 0, 0, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, dup_of(tok), dup_of(cq), NULL), -FERRY_EXDEV);
	UEXPECT_EQ(c_open(c3, 0, "/pub", VFS_O_RDONLY, 0, &f), 0);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, dup_of(tok), f, NULL), -FERRY_ENOTDIR);
	/* The token is the process port itself, send right or not. */
	handle_t weak;
	UEXPECT_EQ(ferry_sys_handle_dup(tok, FERRY_RIGHT_TRANSFER, &weak), 0);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, weak, 0, &b), 0);
	UEXPECT_EQ(c_open(b, 0, "/secret", VFS_O_RDONLY, 0, NULL), -FERRY_EACCES);
	ferry_sys_handle_close(b);
	ferry_sys_handle_close(u);
}

UTEST(cred_at, "FS0073",
      "VFS_NAMES_AT: a path from another description, checked as the bound caller; "
      "AT_EMPTY_PATH chmod of its own file and EPERM on root's; a foreign handle: "
      "VFS_FOREIGN_AT; no handle: EINVAL; mount, umount, bind: EPERM for non-root")
{
	handle_t b, d, f, mine;
	entry_set(tok_koid, 1000, 1000, 0, 0);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, dup_of(tok), 0, &b), 0);
	UEXPECT_EQ(c_open(c3, 0, "/priv", VFS_O_RDONLY | VFS_O_DIRECTORY, 0, &d), 0);
	UEXPECT_EQ(c_mode(c3, 0, VFS_MKNOD, "/priv/f", 0, 0644), 0);
	/* root's 0700 directory, opened by root: no search for 1000 through it. */
	UEXPECT_EQ(c_stat(b, dup_of(d), "f", 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(c_stat(c3, dup_of(d), "f", 0, NULL), 0);
	UEXPECT_EQ(c_open(b, 0, "/pub", VFS_O_RDONLY, 0, &f), 0);
	UEXPECT_EQ(c_mode(b, dup_of(f), VFS_CHMOD, "", VFS_AT_EMPTY_PATH, 0666), -FERRY_EPERM);
	UEXPECT_EQ(c_open(c3, 0, "/tmp/mine", VFS_O_RDONLY, 0, &mine), 0);
	UEXPECT_EQ(c_mode(b, dup_of(mine), VFS_CHMOD, "", VFS_AT_EMPTY_PATH, 0640), 0);
	struct file_stat st;
	UEXPECT_EQ(c_stat(b, dup_of(mine), "", VFS_AT_EMPTY_PATH, &st), 0);
	UEXPECT_EQ(st.mode & 07777, 0640u);
	/* Not one of ours: the client sends it there itself. */
	UEXPECT_EQ(c_stat(b, dup_of(tok), "x", 0, NULL), VFS_FOREIGN_AT);
	struct vfs_path_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.n.xfer = VFS_NAMES_AT;
	UEXPECT_EQ(call2(b, VFS_STAT, &rq, sizeof(rq), 0, 0, NULL), -FERRY_EINVAL);
	/* The mount table is root's. */
	struct vfs_mount_req mr;
	memset(&mr, 0, sizeof(mr));
	mr.n.len = 4;
	memcpy(mr.names, "/tmp", 4);
	memcpy(mr.type, "tmpfs", 5);
	UEXPECT_EQ(call2(b, VFS_MOUNT, &mr, sizeof(mr), 0, 0, NULL), -FERRY_EPERM);
	memset(&rq, 0, sizeof(rq));
	rq.n.len = 4;
	memcpy(rq.names, "/tmp", 4);
	UEXPECT_EQ(call2(b, VFS_UMOUNT, &rq, sizeof(rq), 0, 0, NULL), -FERRY_EPERM);
	struct vfs_bind_req br = {VFS_S_IFCHR, 1, (5u << 8) | 1, 0, 0};
	UEXPECT_EQ(call2(b, VFS_BIND, &br, sizeof(br), dup_of(tok), 0, NULL), -FERRY_EPERM);
	ferry_sys_handle_close(b);
	ferry_sys_handle_close(d);
	ferry_sys_handle_close(f);
	ferry_sys_handle_close(mine);
}

UTEST(cred_garbage, "FS0074",
      "garbage to the credential ops and VFS_NAMES_AT (sizes, handles, flags): errors, no crash, "
      "vfs keeps serving")
{
	handle_t b;
	entry_set(tok_koid, 1000, 1000, 0, 0);
	UEXPECT_EQ(c_session(c3, VFS_SESSION_TOKEN, dup_of(tok), 0, &b), 0);
	uint8_t junk[FERRY_MSG_INLINE_MAX];
	uint32_t x = 0x12345678;
	for (int i = 0; i < 300; i++) {
		for (unsigned k = 0; k < sizeof(junk); k++) {
			x = x * 1103515245u + 12345u;
			junk[k] = (uint8_t)(x >> 16);
		}
		struct ferry_msg m;
		memset(&m, 0, sizeof(m));
		static const uint32_t ops[] = {VFS_SESSION, VFS_CREDS, VFS_OPEN,
		                               VFS_STAT,    VFS_CHMOD, VFS_RENAME};
		m.op = ops[i % 6];
		m.len = (uint16_t)(x % (sizeof(junk) + 1));
		memcpy(m.data, junk, m.len);
		if (i % 3 == 0)
			m.handles[m.nhandles++] = dup_of(tok);
		if (i % 5 == 0)
			m.handles[m.nhandles++] = dup_of(ctab_mo);
		/* On the bound port only: as uid 1000 the junk cannot rename
		 * root's files away from under the checks below. */
		(void)ferry_sys_msg_call(b, &m, 5000 * MS);
		for (unsigned k = 0; k < m.nhandles; k++)
			ferry_sys_handle_close(m.handles[k]);
	}
	struct file_stat st;
	UEXPECT_EQ(c_stat(b, 0, "/pub", 0, &st), 0);
	UEXPECT_EQ(c_open(b, 0, "/secret", VFS_O_RDONLY, 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(c_creds(c3, dup_of(ctab_mo), 0), -FERRY_EBUSY);
	ferry_sys_handle_close(b);
}
