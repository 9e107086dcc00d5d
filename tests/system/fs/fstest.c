// SPDX-License-Identifier: MIT
/*
 * The file-system suite (first task: first=bin/fstest).  It starts vfs
 * itself (sbin/vfs, with the handshake of docs/proto/vfs.md "Start-up"),
 * then tests the vfs and file protocols natively, one test per error path
 * of docs/proto/vfs.md and docs/proto/file.md, and finally runs the musl
 * programs of this directory with the root and working directory given
 * through the auxv.  Test IDs: FS0001... (protocol), FS-PROG-* (programs).
 */
#include <ulib.h>
#include <pmctl.h>
#include <ferry/proto/vfs.h>
#include <ferry/startup.h>

#define MS 1000000ull

static handle_t root; /* the root directory's port */
static handle_t xmo;  /* our transfer area */
static uint8_t *xarea;
static uint32_t xid_root; /* its id on root */
#define XSIZE (64u << 10)

/* One call; returns the reply's status (or the kernel's). */
static int
call(handle_t port, uint32_t op, const void *req, size_t len, void *rep, size_t replen,
     handle_t hin, uint32_t mflags, handle_t *hout)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.len = (uint16_t)len;
	memcpy(m.data, req, len);
	m.flags = (uint8_t)mflags;
	if (hin) {
		m.nhandles = 1;
		m.handles[0] = hin;
	}
	long rc = ferry_sys_msg_call(port, &m, 5000 * MS);
	if (rc)
		return (int)rc;
	if (hout)
		*hout = m.nhandles ? m.handles[0] : 0;
	else if (m.nhandles)
		ferry_sys_handle_close(m.handles[0]);
	if (rep)
		memcpy(rep, m.data, replen < m.len ? replen : m.len);
	int32_t st;
	memcpy(&st, m.data, sizeof(st));
	return st;
}

/* Fills names (inline when it fits, else our transfer area on root). */
static void
names(struct vfs_names *n, char *inl, size_t cap, const char *p1, const char *p2)
{
	size_t l1 = strlen(p1), l2 = p2 ? strlen(p2) : 0;
	memset(n, 0, sizeof(*n));
	n->len = (uint16_t)l1;
	n->len2 = (uint16_t)l2;
	if (l1 + l2 <= cap) {
		memcpy(inl, p1, l1);
		if (l2)
			memcpy(inl + l1, p2, l2);
	} else {
		n->xfer = xid_root;
		memcpy(xarea, p1, l1);
		if (l2)
			memcpy(xarea + l1, p2, l2);
	}
}

static int
v_open(const char *path, uint32_t flags, uint32_t mode, handle_t *out)
{
	struct vfs_open_req rq;
	memset(&rq, 0, sizeof(rq));
	names(&rq.n, rq.names, sizeof(rq.names), path, NULL);
	rq.flags = flags;
	rq.mode = mode;
	handle_t h = 0;
	int rc = call(root, VFS_OPEN, &rq, sizeof(rq), NULL, 0, 0, 0, &h);
	if (out)
		*out = h;
	else if (h)
		ferry_sys_handle_close(h);
	return rc;
}

static int
v_mode(uint32_t op, const char *path, uint32_t flags, uint32_t mode)
{
	struct vfs_mode_req rq;
	memset(&rq, 0, sizeof(rq));
	names(&rq.n, rq.names, sizeof(rq.names), path, NULL);
	rq.flags = flags;
	rq.mode = mode;
	return call(root, op, &rq, sizeof(rq), NULL, 0, 0, 0, NULL);
}

static int
v_path(uint32_t op, const char *path, uint32_t flags, uint32_t mode, void *rep, size_t replen)
{
	struct vfs_path_req rq;
	memset(&rq, 0, sizeof(rq));
	names(&rq.n, rq.names, sizeof(rq.names), path, NULL);
	rq.flags = flags;
	rq.mode = mode;
	return call(root, op, &rq, sizeof(rq), rep, replen, 0, 0, NULL);
}

static int
v_path2(uint32_t op, const char *p1, const char *p2, uint32_t flags, handle_t other)
{
	struct vfs_path2_req rq;
	memset(&rq, 0, sizeof(rq));
	names(&rq.n, rq.names, sizeof(rq.names), p1, p2);
	rq.flags = flags;
	if (op == VFS_SYMLINK)
		return call(root, op, &rq, sizeof(rq), NULL, 0, 0, 0, NULL);
	return call(root, op, &rq, sizeof(rq), NULL, 0, other ? other : root,
	            FERRY_MSGF_HANDLES_COPY, NULL);
}

static int
v_stat(const char *path, uint32_t flags, struct file_stat *st)
{
	struct vfs_stat_rep rp;
	int rc = v_path(VFS_STAT, path, flags, 0, &rp, sizeof(rp));
	if (!rc && st)
		*st = rp.st;
	return rc;
}

static int
f_write(handle_t h, const void *buf, size_t len, int64_t off)
{
	struct file_write_req rq;
	struct file_write_rep rp;
	memset(&rq, 0, sizeof(rq));
	rq.len = (uint32_t)len;
	rq.offset = off;
	memcpy(rq.data, buf, len);
	int rc = call(h, FILE_WRITE, &rq, sizeof(rq), &rp, sizeof(rp), 0, 0, NULL);
	return rc ? rc : (int)rp.len;
}

static int
f_read(handle_t h, void *buf, size_t len, int64_t off)
{
	struct file_read_req rq;
	struct file_read_rep rp;
	memset(&rq, 0, sizeof(rq));
	rq.len = len;
	rq.offset = off;
	int rc = call(h, FILE_READ, &rq, sizeof(rq), &rp, sizeof(rp), 0, 0, NULL);
	if (rc)
		return rc;
	memcpy(buf, rp.data, rp.len);
	return (int)rp.len;
}

static int64_t
f_seek(handle_t h, int64_t off, uint32_t whence)
{
	struct file_seek_req rq = {off, whence, 0};
	struct file_seek_rep rp;
	int rc = call(h, FILE_SEEK, &rq, sizeof(rq), &rp, sizeof(rp), 0, 0, NULL);
	return rc ? rc : rp.offset;
}

static int
f_attach(handle_t h, uint32_t *id)
{
	handle_t dup;
	if (ferry_sys_handle_dup(xmo, FERRY_RIGHT_SAME, &dup))
		return -FERRY_EIO;
	struct file_xfer_attach_req rq = {XSIZE};
	struct file_xfer_attach_rep rp;
	int rc = call(h, FILE_XFER_ATTACH, &rq, sizeof(rq), &rp, sizeof(rp), dup, 0, NULL);
	if (!rc)
		*id = rp.id;
	return rc;
}

static int
f_stat(handle_t h, struct file_stat *st)
{
	struct file_stat_req rq = {{0, 0}};
	struct file_stat_rep rp;
	int rc = call(h, FILE_STAT, &rq, sizeof(rq), &rp, sizeof(rp), 0, 0, NULL);
	if (!rc)
		*st = rp.st;
	return rc;
}

/* Creates path with the given contents. */
static void
mkfile(const char *path, const char *text)
{
	handle_t h;
	if (v_open(path, VFS_O_CREAT | VFS_O_WRONLY | VFS_O_TRUNC, 0644, &h))
		upanic("mkfile %s", path);
	if (text && *text)
		f_write(h, text, strlen(text), -1);
	ferry_sys_handle_close(h);
}

/* ---- start-up and lookup ---- */

UTEST(root_stat, "FS0001", "the root port is a directory; stat by path and by port agree")
{
	struct file_stat a, b;
	UEXPECT_EQ(f_stat(root, &a), 0);
	UEXPECT_EQ(a.mode & VFS_S_IFMT, VFS_S_IFDIR);
	UEXPECT_EQ(v_stat("/", 0, &b), 0);
	UEXPECT_EQ(a.ino, b.ino);
	UEXPECT_EQ(v_stat("/..", 0, &b), 0);
	UEXPECT_EQ(a.ino, b.ino);
}

UTEST(archive, "FS0002",
      "the boot archive is unpacked with modes (sbin/vfs, bin/fstest, /tmp 1777)")
{
	struct file_stat st;
	UEXPECT_EQ(v_stat("/sbin/vfs", 0, &st), 0);
	UEXPECT_EQ(st.mode & VFS_S_IFMT, VFS_S_IFREG);
	UEXPECT(st.mode & 0100);
	UEXPECT(st.size > 1000);
	UEXPECT_EQ(v_stat("bin/fstest", 0, &st), 0);
	UEXPECT_EQ(v_stat("/tmp", 0, &st), 0);
	UEXPECT_EQ(st.mode & 07777, 01777);
	/* The data is the archive's: an ELF header. */
	handle_t h;
	char buf[4];
	UEXPECT_EQ(v_open("/sbin/vfs", VFS_O_RDONLY, 0, &h), 0);
	UEXPECT_EQ(f_read(h, buf, 4, -1), 4);
	UEXPECT(!memcmp(buf, "\177ELF", 4));
	ferry_sys_handle_close(h);
}

UTEST(create_excl, "FS0003", "O_CREAT|O_EXCL creates, then fails with EEXIST")
{
	UEXPECT_EQ(v_open("/tmp/excl", VFS_O_CREAT | VFS_O_EXCL | VFS_O_RDWR, 0600, NULL), 0);
	UEXPECT_EQ(v_open("/tmp/excl", VFS_O_CREAT | VFS_O_EXCL | VFS_O_RDWR, 0600, NULL),
	           -FERRY_EEXIST);
	UEXPECT_EQ(v_open("/tmp/excl", VFS_O_CREAT | VFS_O_RDWR, 0600, NULL), 0);
	struct file_stat st;
	UEXPECT_EQ(v_stat("/tmp/excl", 0, &st), 0);
	UEXPECT_EQ(st.mode, VFS_S_IFREG | 0600);
}

UTEST(enoent, "FS0004", "ENOENT: missing file, missing parent, empty path")
{
	UEXPECT_EQ(v_open("/tmp/nothing", VFS_O_RDONLY, 0, NULL), -FERRY_ENOENT);
	UEXPECT_EQ(v_open("/tmp/no/file", VFS_O_CREAT | VFS_O_RDWR, 0600, NULL), -FERRY_ENOENT);
	UEXPECT_EQ(v_open("", VFS_O_RDONLY, 0, NULL), -FERRY_ENOENT);
	UEXPECT_EQ(v_stat("/tmp/nothing", 0, NULL), -FERRY_ENOENT);
}

UTEST(enotdir, "FS0005", "ENOTDIR: a file used as a directory, O_DIRECTORY on a file, file/")
{
	mkfile("/tmp/plain", "x");
	UEXPECT_EQ(v_open("/tmp/plain/x", VFS_O_RDONLY, 0, NULL), -FERRY_ENOTDIR);
	UEXPECT_EQ(v_open("/tmp/plain/x", VFS_O_CREAT | VFS_O_RDWR, 0600, NULL), -FERRY_ENOTDIR);
	UEXPECT_EQ(v_open("/tmp/plain", VFS_O_RDONLY | VFS_O_DIRECTORY, 0, NULL), -FERRY_ENOTDIR);
	UEXPECT_EQ(v_open("/tmp/plain/", VFS_O_RDONLY, 0, NULL), -FERRY_ENOTDIR);
	UEXPECT_EQ(v_stat("/tmp/plain/..", 0, NULL), -FERRY_ENOTDIR);
}

UTEST(eisdir, "FS0006", "EISDIR: a directory opened for writing, O_CREAT of dir/")
{
	UEXPECT_EQ(v_open("/tmp", VFS_O_WRONLY, 0, NULL), -FERRY_EISDIR);
	UEXPECT_EQ(v_open("/tmp", VFS_O_RDWR, 0, NULL), -FERRY_EISDIR);
	UEXPECT_EQ(v_open("/tmp", VFS_O_CREAT | VFS_O_RDONLY, 0600, NULL), -FERRY_EISDIR);
	UEXPECT_EQ(v_open("/tmp/newdir/", VFS_O_CREAT | VFS_O_RDWR, 0600, NULL), -FERRY_EISDIR);
	UEXPECT_EQ(v_open("/tmp", VFS_O_RDONLY | VFS_O_DIRECTORY, 0, NULL), 0);
}

UTEST(nametoolong, "FS0007", "ENAMETOOLONG: a 256-byte component, a path of PATH_MAX bytes")
{
	static char p[VFS_PATH_MAX + 8];
	memcpy(p, "/tmp/", 5);
	memset(p + 5, 'a', 256);
	p[5 + 256] = 0;
	UEXPECT_EQ(v_open(p, VFS_O_CREAT | VFS_O_RDWR, 0600, NULL), -FERRY_ENAMETOOLONG);
	UEXPECT_EQ(v_stat(p, 0, NULL), -FERRY_ENAMETOOLONG);
	p[5 + 255] = 0; /* 255 is fine */
	UEXPECT_EQ(v_open(p, VFS_O_CREAT | VFS_O_RDWR, 0600, NULL), 0);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/d7", 0, 0755), 0);
	/* PATH_MAX bytes (no room for the NUL) */
	size_t n = 0;
	memcpy(p, "/tmp/d7", 7);
	n = 7;
	while (n < VFS_PATH_MAX)
		p[n++] = '/';
	p[n] = 0;
	struct vfs_path_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.n.len = VFS_PATH_MAX;
	rq.n.xfer = xid_root;
	UEXPECT_EQ(call(root, VFS_STAT, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_ENAMETOOLONG);
	/* 4095 slashes after /tmp/d7 resolve (long paths travel in the area) */
	p[VFS_PATH_MAX - 1] = 0;
	UEXPECT_EQ(v_stat(p, 0, NULL), 0);
}

UTEST(eloop, "FS0008", "ELOOP: a symlink cycle; O_NOFOLLOW on a symlink")
{
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "/tmp/loopb", "/tmp/loopa", 0, 0), 0);
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "loopa", "/tmp/loopb", 0, 0), 0);
	UEXPECT_EQ(v_open("/tmp/loopa", VFS_O_RDONLY, 0, NULL), -FERRY_ELOOP);
	UEXPECT_EQ(v_stat("/tmp/loopa/x", 0, NULL), -FERRY_ELOOP);
	mkfile("/tmp/target8", "t");
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "target8", "/tmp/link8", 0, 0), 0);
	UEXPECT_EQ(v_open("/tmp/link8", VFS_O_RDONLY | VFS_O_NOFOLLOW, 0, NULL), -FERRY_ELOOP);
	UEXPECT_EQ(v_open("/tmp/link8", VFS_O_RDONLY, 0, NULL), 0);
}

UTEST(symlinks, "FS0009",
      "symlinks: relative and absolute targets, readlink, lstat, EINVAL on a non-link")
{
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/s9", 0, 0755), 0);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/s9/sub", 0, 0755), 0);
	mkfile("/tmp/s9/sub/f", "hello");
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "sub", "/tmp/s9/rel", 0, 0), 0);
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "/tmp/s9/sub/f", "/tmp/s9/abs", 0, 0), 0);
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "../../s9/rel/f", "/tmp/s9/sub/up", 0, 0), 0);
	struct file_stat a, b;
	UEXPECT_EQ(v_stat("/tmp/s9/rel/f", 0, &a), 0);
	UEXPECT_EQ(v_stat("/tmp/s9/abs", 0, &b), 0);
	UEXPECT_EQ(a.ino, b.ino);
	UEXPECT_EQ(v_stat("/tmp/s9/sub/up", 0, &b), 0);
	UEXPECT_EQ(a.ino, b.ino);
	UEXPECT_EQ(v_stat("/tmp/s9/abs", VFS_AT_SYMLINK_NOFOLLOW, &b), 0);
	UEXPECT_EQ(b.mode & VFS_S_IFMT, VFS_S_IFLNK);
	UEXPECT_EQ(b.size, 13);
	struct vfs_text_rep t;
	UEXPECT_EQ(v_path(VFS_READLINK, "/tmp/s9/abs", 0, 0, &t, sizeof(t)), 0);
	UEXPECT_EQ(t.len, 13);
	UEXPECT(!memcmp(t.data, "/tmp/s9/sub/f", 13));
	UEXPECT_EQ(v_path(VFS_READLINK, "/tmp/s9/sub/f", 0, 0, &t, sizeof(t)), -FERRY_EINVAL);
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "x", "/tmp/s9/abs", 0, 0), -FERRY_EEXIST);
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "", "/tmp/s9/empty", 0, 0), -FERRY_ENOENT);
	UEXPECT_EQ(v_path2(VFS_SYMLINK, "/nowhere", "/tmp/s9/dangling", 0, 0), 0);
	UEXPECT_EQ(v_stat("/tmp/s9/dangling", 0, NULL), -FERRY_ENOENT);
}

/* ---- data ---- */

UTEST(rw_seek, "FS0010", "write, seek (SET/CUR/END), read back; holes read as zeros; pread")
{
	handle_t h;
	char buf[64];
	UEXPECT_EQ(v_open("/tmp/rw", VFS_O_CREAT | VFS_O_RDWR, 0644, &h), 0);
	UEXPECT_EQ(f_write(h, "0123456789", 10, -1), 10);
	UEXPECT_EQ(f_seek(h, 0, 1), 10);
	UEXPECT_EQ(f_seek(h, 2, 0), 2);
	UEXPECT_EQ(f_read(h, buf, 3, -1), 3);
	UEXPECT(!memcmp(buf, "234", 3));
	UEXPECT_EQ(f_seek(h, -1, 2), 9);
	UEXPECT_EQ(f_read(h, buf, 10, -1), 1);
	UEXPECT_EQ(f_read(h, buf, 10, -1), 0);
	UEXPECT_EQ(f_seek(h, 20, 2), 30);
	UEXPECT_EQ(f_write(h, "Z", 1, -1), 1);
	UEXPECT_EQ(f_read(h, buf, 21, 10), 21);
	UEXPECT_EQ(buf[0], 0);
	UEXPECT_EQ(buf[19], 0);
	UEXPECT_EQ(buf[20], 'Z');
	UEXPECT_EQ(f_read(h, buf, 2, 0), 2); /* pread leaves the offset alone */
	UEXPECT_EQ(f_seek(h, 0, 1), 31);
	UEXPECT_EQ(f_seek(h, -100, 1), -FERRY_EINVAL);
	UEXPECT_EQ(f_seek(h, 0, 7), -FERRY_EINVAL);
	ferry_sys_handle_close(h);
}

UTEST(bulk, "FS0011", "bulk transfers through the transfer area (40 KiB write and read back)")
{
	handle_t h;
	uint32_t id;
	UEXPECT_EQ(v_open("/tmp/bulk", VFS_O_CREAT | VFS_O_RDWR, 0644, &h), 0);
	UEXPECT_EQ(f_attach(h, &id), 0);
	for (unsigned i = 0; i < 40960; i++)
		xarea[i] = (uint8_t)(i * 7);
	struct file_write_req w;
	memset(&w, 0, sizeof(w));
	w.len = 40960;
	w.offset = -1;
	w.xfer = id;
	struct file_write_rep wr;
	UEXPECT_EQ(call(h, FILE_WRITE, &w, sizeof(w), &wr, sizeof(wr), 0, 0, NULL), 0);
	UEXPECT_EQ(wr.len, 40960);
	memset(xarea, 0, 40960);
	struct file_read_req r;
	memset(&r, 0, sizeof(r));
	r.len = 40960;
	r.offset = 0;
	r.xfer = id;
	r.xfer_off = 100;
	struct file_read_rep rr;
	UEXPECT_EQ(call(h, FILE_READ, &r, sizeof(r), &rr, sizeof(rr), 0, 0, NULL), 0);
	UEXPECT_EQ(rr.len, 40960);
	int bad = 0;
	for (unsigned i = 0; i < 40960; i++)
		bad += xarea[100 + i] != (uint8_t)(i * 7);
	UEXPECT_EQ(bad, 0);
	/* Attaching the same object again gives the same id. */
	uint32_t id2;
	UEXPECT_EQ(f_attach(h, &id2), 0);
	UEXPECT_EQ(id, id2);
	/* Ranges past the area, and ids of other descriptions, are refused. */
	r.xfer_off = XSIZE - 10;
	r.len = 11;
	UEXPECT_EQ(call(h, FILE_READ, &r, sizeof(r), &rr, sizeof(rr), 0, 0, NULL), -FERRY_EINVAL);
	r.xfer_off = 0;
	r.xfer = id ^ 2;
	UEXPECT_EQ(call(h, FILE_READ, &r, sizeof(r), &rr, sizeof(rr), 0, 0, NULL), -FERRY_EINVAL);
	r.xfer = 0;
	r.len = FILE_INLINE_MAX + 1;
	UEXPECT_EQ(call(h, FILE_READ, &r, sizeof(r), &rr, sizeof(rr), 0, 0, NULL), -FERRY_EINVAL);
	/* Attach errors: bad size, not a memory object. */
	handle_t dup;
	ferry_sys_handle_dup(xmo, FERRY_RIGHT_SAME, &dup);
	struct file_xfer_attach_req a = {100};
	UEXPECT_EQ(call(h, FILE_XFER_ATTACH, &a, sizeof(a), NULL, 0, dup, 0, NULL), -FERRY_EINVAL);
	a.size = XSIZE;
	UEXPECT_EQ(call(h, FILE_XFER_ATTACH, &a, sizeof(a), NULL, 0, root, FERRY_MSGF_HANDLES_COPY,
	                NULL),
	           -FERRY_EWRONGTYPE);
	ferry_sys_handle_close(h);
}

UTEST(access_mode, "FS0012",
      "EBADF (EBADH): read on O_WRONLY, write on O_RDONLY; truncate needs write")
{
	handle_t w, r;
	char c;
	mkfile("/tmp/acc", "abc");
	UEXPECT_EQ(v_open("/tmp/acc", VFS_O_WRONLY, 0, &w), 0);
	UEXPECT_EQ(v_open("/tmp/acc", VFS_O_RDONLY, 0, &r), 0);
	UEXPECT_EQ(f_read(w, &c, 1, -1), -FERRY_EBADH);
	UEXPECT_EQ(f_write(r, "x", 1, -1), -FERRY_EBADH);
	struct file_truncate_req t = {1};
	UEXPECT_EQ(call(r, FILE_TRUNCATE, &t, sizeof(t), NULL, 0, 0, 0, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(call(w, FILE_TRUNCATE, &t, sizeof(t), NULL, 0, 0, 0, NULL), 0);
	t.len = -1;
	UEXPECT_EQ(call(w, FILE_TRUNCATE, &t, sizeof(t), NULL, 0, 0, 0, NULL), -FERRY_EINVAL);
	ferry_sys_handle_close(w);
	ferry_sys_handle_close(r);
}

UTEST(dir_read, "FS0013", "EISDIR: read on a directory; ENOTDIR: readdir on a file")
{
	handle_t d, f;
	char c;
	UEXPECT_EQ(v_open("/tmp", VFS_O_RDONLY, 0, &d), 0);
	UEXPECT_EQ(f_read(d, &c, 1, -1), -FERRY_EISDIR);
	mkfile("/tmp/f13", "x");
	UEXPECT_EQ(v_open("/tmp/f13", VFS_O_RDONLY, 0, &f), 0);
	struct file_readdir_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.len = FILE_INLINE_MAX;
	UEXPECT_EQ(call(f, FILE_READDIR, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_ENOTDIR);
	ferry_sys_handle_close(d);
	ferry_sys_handle_close(f);
}

/* ---- names ---- */

UTEST(mkdir_rmdir, "FS0014",
      "mkdir/rmdir/unlink errors: EEXIST, ENOENT, ENOTEMPTY, ENOTDIR, EISDIR, EINVAL, EBUSY")
{
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/d14", 0, 0755), 0);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/d14", 0, 0755), -FERRY_EEXIST);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/d14/", 0, 0755), -FERRY_EEXIST);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/", 0, 0755), -FERRY_EEXIST);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/none/d", 0, 0755), -FERRY_ENOENT);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/d14/sub/", 0, 0755), 0);
	mkfile("/tmp/d14/file", "");
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14", VFS_AT_REMOVEDIR, 0, NULL, 0), -FERRY_ENOTEMPTY);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14/file", VFS_AT_REMOVEDIR, 0, NULL, 0),
	           -FERRY_ENOTDIR);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14/file/", 0, 0, NULL, 0), -FERRY_ENOTDIR);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14/sub", 0, 0, NULL, 0), -FERRY_EISDIR);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14/sub/.", VFS_AT_REMOVEDIR, 0, NULL, 0),
	           -FERRY_EINVAL);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14/sub/..", VFS_AT_REMOVEDIR, 0, NULL, 0),
	           -FERRY_ENOTEMPTY);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/", VFS_AT_REMOVEDIR, 0, NULL, 0), -FERRY_EBUSY);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14/nothing", 0, 0, NULL, 0), -FERRY_ENOENT);
	struct file_stat st;
	UEXPECT_EQ(v_stat("/tmp/d14", 0, &st), 0);
	UEXPECT_EQ(st.nlink, 3);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14/sub", VFS_AT_REMOVEDIR, 0, NULL, 0), 0);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14/file", 0, 0, NULL, 0), 0);
	UEXPECT_EQ(v_stat("/tmp/d14", 0, &st), 0);
	UEXPECT_EQ(st.nlink, 2);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/d14", VFS_AT_REMOVEDIR, 0, NULL, 0), 0);
	UEXPECT_EQ(v_stat("/tmp/d14", 0, &st), -FERRY_ENOENT);
}

UTEST(rename, "FS0015",
      "rename: replaces atomically; EINVAL, EISDIR, ENOTDIR, ENOTEMPTY, ENOENT, EXDEV")
{
	struct file_stat a, b;
	mkfile("/tmp/r1", "one");
	mkfile("/tmp/r2", "two");
	UEXPECT_EQ(v_stat("/tmp/r1", 0, &a), 0);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/r1", "/tmp/r2", 0, 0), 0);
	UEXPECT_EQ(v_stat("/tmp/r2", 0, &b), 0);
	UEXPECT_EQ(a.ino, b.ino);
	UEXPECT_EQ(b.nlink, 1);
	UEXPECT_EQ(v_stat("/tmp/r1", 0, NULL), -FERRY_ENOENT);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/r1", "/tmp/r3", 0, 0), -FERRY_ENOENT);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/rd", 0, 0755), 0);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/rd/in", 0, 0755), 0);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/re", 0, 0755), 0);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/rd", "/tmp/rd/in/x", 0, 0), -FERRY_EINVAL);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/r2", "/tmp/re", 0, 0), -FERRY_EISDIR);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/re", "/tmp/r2", 0, 0), -FERRY_ENOTDIR);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/re", "/tmp/rd", 0, 0), -FERRY_ENOTEMPTY);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/r2/", "/tmp/r4", 0, 0), -FERRY_ENOTDIR);
	/* A directory over an empty one, moving to another parent. */
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/re", "/tmp/rd/in", 0, 0), 0);
	UEXPECT_EQ(v_stat("/tmp/rd", 0, &a), 0);
	UEXPECT_EQ(a.nlink, 3);
	UEXPECT_EQ(v_stat("/tmp/rd/in/..", 0, &b), 0);
	UEXPECT_EQ(a.ino, b.ino);
	/* Relative to another directory port (renameat) */
	handle_t d;
	UEXPECT_EQ(v_open("/tmp/rd", VFS_O_RDONLY | VFS_O_DIRECTORY, 0, &d), 0);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/r2", "moved", 0, d), 0);
	UEXPECT_EQ(v_stat("/tmp/rd/moved", 0, NULL), 0);
	/* A port vfs does not serve: EXDEV */
	handle_t q, p;
	ferry_sys_queue_create(4, &q);
	ferry_sys_port_create(q, 1, &p);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/tmp/rd/moved", "x", 0, p), -FERRY_EXDEV);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
	ferry_sys_handle_close(d);
}

UTEST(links, "FS0016", "link: nlink counts, EPERM on directories, EEXIST, data shared")
{
	struct file_stat st;
	mkfile("/tmp/l1", "shared");
	UEXPECT_EQ(v_path2(VFS_LINK, "/tmp/l1", "/tmp/l2", 0, 0), 0);
	UEXPECT_EQ(v_stat("/tmp/l2", 0, &st), 0);
	UEXPECT_EQ(st.nlink, 2);
	UEXPECT_EQ(v_path2(VFS_LINK, "/tmp/l1", "/tmp/l2", 0, 0), -FERRY_EEXIST);
	UEXPECT_EQ(v_path2(VFS_LINK, "/tmp", "/tmp/l3", 0, 0), -FERRY_EPERM);
	UEXPECT_EQ(v_path2(VFS_LINK, "/tmp/none", "/tmp/l3", 0, 0), -FERRY_ENOENT);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/l1", 0, 0, NULL, 0), 0);
	handle_t h;
	char buf[8];
	UEXPECT_EQ(v_open("/tmp/l2", VFS_O_RDONLY, 0, &h), 0);
	UEXPECT_EQ(f_read(h, buf, 8, -1), 6);
	UEXPECT(!memcmp(buf, "shared", 6));
	UEXPECT_EQ(f_stat(h, &st), 0);
	UEXPECT_EQ(st.nlink, 1);
	ferry_sys_handle_close(h);
}

UTEST(unlinked_open, "FS0017", "an unlinked file stays readable through an open description")
{
	handle_t h;
	char buf[8];
	mkfile("/tmp/gone", "still");
	UEXPECT_EQ(v_open("/tmp/gone", VFS_O_RDWR, 0, &h), 0);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/gone", 0, 0, NULL, 0), 0);
	UEXPECT_EQ(f_read(h, buf, 8, 0), 5);
	UEXPECT_EQ(f_write(h, "!", 1, 5), 1);
	struct file_stat st;
	UEXPECT_EQ(f_stat(h, &st), 0);
	UEXPECT_EQ(st.nlink, 0);
	UEXPECT_EQ(st.size, 6);
	ferry_sys_handle_close(h);
}

UTEST(readdir, "FS0018", "readdir: ., .., every entry once, cookies stable across removal")
{
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/rdd", 0, 0755), 0);
	mkfile("/tmp/rdd/alpha", "");
	mkfile("/tmp/rdd/beta", "");
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/rdd/gamma", 0, 0755), 0);
	handle_t d;
	UEXPECT_EQ(v_open("/tmp/rdd", VFS_O_RDONLY | VFS_O_DIRECTORY, 0, &d), 0);
	uint64_t cookie = 0;
	int seen = 0, rounds = 0, dirs = 0;
	for (;;) {
		struct file_readdir_req rq;
		struct file_readdir_rep rp;
		memset(&rq, 0, sizeof(rq));
		rq.cookie = cookie;
		rq.len = 40; /* one entry at a time */
		int rc = call(d, FILE_READDIR, &rq, sizeof(rq), &rp, sizeof(rp), 0, 0, NULL);
		UEXPECT_EQ(rc, 0);
		if (rc || ++rounds > 10)
			break;
		for (uint32_t off = 0; off < rp.len;) {
			struct file_dirent de;
			memcpy(&de, rp.data + off, sizeof(de));
			const char *nm = (const char *)rp.data + off + sizeof(de);
			seen++;
			if (de.type == 4)
				dirs++;
			if (de.namelen == 4 && !memcmp(nm, "beta", 4) && seen < 10) {
				/* Removing an entry already returned changes nothing. */
				UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/rdd/beta", 0, 0, NULL, 0), 0);
			}
			off += de.reclen;
		}
		cookie = rp.next;
		if (cookie == FILE_READDIR_END)
			break;
	}
	UEXPECT_EQ(seen, 5);
	UEXPECT_EQ(dirs, 3);
	/* Too small a buffer for the next entry: EINVAL */
	struct file_readdir_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.len = 8;
	UEXPECT_EQ(call(d, FILE_READDIR, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_EINVAL);
	ferry_sys_handle_close(d);
}

UTEST(attrs, "FS0019", "chmod, chown, utimens; a write moves mtime; lstat vs stat")
{
	struct file_stat st;
	mkfile("/tmp/attr", "");
	UEXPECT_EQ(v_mode(VFS_CHMOD, "/tmp/attr", 0, 0640), 0);
	UEXPECT_EQ(v_stat("/tmp/attr", 0, &st), 0);
	UEXPECT_EQ(st.mode, VFS_S_IFREG | 0640);
	struct vfs_chown_req co;
	memset(&co, 0, sizeof(co));
	names(&co.n, co.names, sizeof(co.names), "/tmp/attr", NULL);
	co.uid = 12;
	co.gid = UINT32_MAX;
	UEXPECT_EQ(call(root, VFS_CHOWN, &co, sizeof(co), NULL, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(v_stat("/tmp/attr", 0, &st), 0);
	UEXPECT_EQ(st.uid, 12);
	UEXPECT_EQ(st.gid, 0);
	struct vfs_utimens_req ut;
	memset(&ut, 0, sizeof(ut));
	names(&ut.n, ut.names, sizeof(ut.names), "/tmp/attr", NULL);
	ut.atime_ns = 1000000000;
	ut.mtime_ns = 2000000000;
	UEXPECT_EQ(call(root, VFS_UTIMENS, &ut, sizeof(ut), NULL, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(v_stat("/tmp/attr", 0, &st), 0);
	UEXPECT_EQ(st.atime_ns, 1000000000);
	UEXPECT_EQ(st.mtime_ns, 2000000000);
	ut.atime_ns = VFS_UTIME_OMIT;
	ut.mtime_ns = VFS_UTIME_NOW;
	UEXPECT_EQ(call(root, VFS_UTIMENS, &ut, sizeof(ut), NULL, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(v_stat("/tmp/attr", 0, &st), 0);
	UEXPECT_EQ(st.atime_ns, 1000000000);
	UEXPECT(st.mtime_ns > 2000000000);
	int64_t before = st.mtime_ns;
	ferry_sys_thread_sleep(2 * MS);
	handle_t h;
	UEXPECT_EQ(v_open("/tmp/attr", VFS_O_WRONLY, 0, &h), 0);
	f_write(h, "x", 1, -1);
	ferry_sys_handle_close(h);
	UEXPECT_EQ(v_stat("/tmp/attr", 0, &st), 0);
	UEXPECT(st.mtime_ns > before);
	UEXPECT_EQ(v_mode(VFS_CHMOD, "/tmp/none", 0, 0640), -FERRY_ENOENT);
}

UTEST(access, "FS0020", "access: F_OK, R/W for root, X_OK needs an x bit (EACCES), ENOENT")
{
	mkfile("/tmp/acx", "");
	UEXPECT_EQ(v_mode(VFS_CHMOD, "/tmp/acx", 0, 0644), 0);
	UEXPECT_EQ(v_path(VFS_ACCESS, "/tmp/acx", 0, 0, NULL, 0), 0);
	UEXPECT_EQ(v_path(VFS_ACCESS, "/tmp/acx", 0, 6, NULL, 0), 0);
	UEXPECT_EQ(v_path(VFS_ACCESS, "/tmp/acx", 0, 1, NULL, 0), -FERRY_EACCES);
	UEXPECT_EQ(v_path(VFS_ACCESS, "/sbin/vfs", 0, 1, NULL, 0), 0);
	UEXPECT_EQ(v_path(VFS_ACCESS, "/tmp/nope", 0, 0, NULL, 0), -FERRY_ENOENT);
	UEXPECT_EQ(v_path(VFS_ACCESS, "/tmp/acx", 0, 8, NULL, 0), -FERRY_EINVAL);
}

UTEST(devfs, "FS0021",
      "devfs: null, zero, full (ENOSPC), urandom; console without posixsrv is ENXIO")
{
	handle_t h;
	char buf[32];
	UEXPECT_EQ(v_open("/dev/null", VFS_O_RDWR, 0, &h), 0);
	UEXPECT_EQ(f_read(h, buf, 8, -1), 0);
	UEXPECT_EQ(f_write(h, "abc", 3, -1), 3);
	ferry_sys_handle_close(h);
	UEXPECT_EQ(v_open("/dev/zero", VFS_O_RDONLY, 0, &h), 0);
	memset(buf, 1, sizeof(buf));
	UEXPECT_EQ(f_read(h, buf, 32, -1), 32);
	UEXPECT_EQ(buf[0] | buf[31], 0);
	ferry_sys_handle_close(h);
	UEXPECT_EQ(v_open("/dev/full", VFS_O_WRONLY, 0, &h), 0);
	UEXPECT_EQ(f_write(h, "a", 1, -1), -FERRY_ENOSPC);
	ferry_sys_handle_close(h);
	UEXPECT_EQ(v_open("/dev/urandom", VFS_O_RDONLY, 0, &h), 0);
	memset(buf, 0, sizeof(buf));
	UEXPECT_EQ(f_read(h, buf, 32, -1), 32);
	int nz = 0;
	for (int i = 0; i < 32; i++)
		nz += buf[i] != 0;
	UEXPECT(nz > 16);
	ferry_sys_handle_close(h);
	struct file_stat st;
	UEXPECT_EQ(v_stat("/dev/null", 0, &st), 0);
	UEXPECT_EQ(st.mode & VFS_S_IFMT, VFS_S_IFCHR);
	UEXPECT_EQ(st.rdev, (1 << 8) | 3);
	UEXPECT_EQ(v_open("/dev/console", VFS_O_RDWR, 0, NULL), -FERRY_ENXIO);
	UEXPECT_EQ(v_stat("/dev/stdin", VFS_AT_SYMLINK_NOFOLLOW, &st), 0);
}

UTEST(nosenders, "FS0022", "2000 opens and closes: descriptions are freed, vfs keeps serving")
{
	uint64_t before = 0, after = 0;
	int fails = 0;
	mkfile("/tmp/many", "m");
	for (int i = 0; i < 2000; i++) {
		handle_t h;
		if (v_open("/tmp/many", VFS_O_RDONLY, 0, &h))
			fails++;
		else
			ferry_sys_handle_close(h);
		if (i == 100)
			ferry_sys_kernel_info(FERRY_INFO_FREE_PAGES, &before);
	}
	ferry_sys_kernel_info(FERRY_INFO_FREE_PAGES, &after);
	UEXPECT_EQ(fails, 0);
	/* Nothing grows per open: at most a few pages of slack. */
	UEXPECT(after + 8 >= before);
	UEXPECT_EQ(v_stat("/tmp/many", 0, NULL), 0);
}

UTEST(garbage, "FS0023",
      "hostile requests: short, unknown op, NUL in a path, bad handles; vfs survives")
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = VFS_OPEN;
	m.len = 4;
	UEXPECT_EQ(ferry_sys_msg_call(root, &m, 5000 * MS), 0);
	UEXPECT_EQ(*(int32_t *)m.data, -FERRY_EINVAL);
	memset(&m, 0, sizeof(m));
	m.op = 0x02fe;
	m.len = 88;
	UEXPECT_EQ(ferry_sys_msg_call(root, &m, 5000 * MS), 0);
	UEXPECT_EQ(*(int32_t *)m.data, -FERRY_ENOSYS);
	/* A handle where none is expected is refused (and dropped). */
	struct vfs_path_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.n.len = 4;
	memcpy(rq.names, "/tmp", 4);
	UEXPECT_EQ(
	        call(root, VFS_STAT, &rq, sizeof(rq), NULL, 0, root, FERRY_MSGF_HANDLES_COPY, NULL),
	        -FERRY_EINVAL);
	/* Embedded NUL */
	memcpy(rq.names, "/t\0p", 4);
	UEXPECT_EQ(call(root, VFS_STAT, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_EINVAL);
	/* Lengths beyond the inline names without an area */
	rq.n.len = 70;
	UEXPECT_EQ(call(root, VFS_STAT, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_EINVAL);
	rq.n.len = 0xffff;
	UEXPECT_EQ(call(root, VFS_STAT, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_ENAMETOOLONG);
	/* A forged transfer-area id, and a range past the area */
	rq.n.len = 4;
	rq.n.xfer = 0x12345;
	UEXPECT_EQ(call(root, VFS_STAT, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_EINVAL);
	rq.n.xfer = xid_root;
	rq.n.xfer_off = UINT64_MAX - 1;
	UEXPECT_EQ(call(root, VFS_STAT, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_EINVAL);
	/* Bad open flags */
	struct vfs_open_req o;
	memset(&o, 0, sizeof(o));
	o.n.len = 1;
	o.names[0] = '/';
	o.flags = 3;
	UEXPECT_EQ(call(root, VFS_OPEN, &o, sizeof(o), NULL, 0, 0, 0, NULL), -FERRY_EINVAL);
	/* Still serving */
	UEXPECT_EQ(v_stat("/tmp", 0, NULL), 0);
}

UTEST(getpath, "FS0024", "getpath names a directory from the root (getcwd)")
{
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/gp", 0, 0755), 0);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/tmp/gp/inner", 0, 0755), 0);
	struct vfs_text_rep t;
	UEXPECT_EQ(v_path(VFS_GETPATH, "/tmp/gp/./inner/../inner", 0, 0, &t, sizeof(t)), 0);
	UEXPECT_EQ(t.len, 13);
	UEXPECT(!memcmp(t.data, "/tmp/gp/inner", 13));
	UEXPECT_EQ(v_path(VFS_GETPATH, "/", 0, 0, &t, sizeof(t)), 0);
	UEXPECT_EQ(t.len, 1);
	UEXPECT_EQ(v_path(VFS_GETPATH, "/sbin/vfs", 0, 0, &t, sizeof(t)), -FERRY_ENOTDIR);
	/* A removed directory has no path. */
	handle_t d;
	UEXPECT_EQ(v_open("/tmp/gp/inner", VFS_O_RDONLY | VFS_O_DIRECTORY, 0, &d), 0);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/gp/inner", VFS_AT_REMOVEDIR, 0, NULL, 0), 0);
	struct vfs_path_req rq;
	memset(&rq, 0, sizeof(rq));
	UEXPECT_EQ(call(d, VFS_GETPATH, &rq, sizeof(rq), NULL, 0, 0, 0, NULL), -FERRY_ENOENT);
	/* Creating in it fails too. */
	memset(&rq, 0, sizeof(rq));
	struct vfs_open_req o;
	memset(&o, 0, sizeof(o));
	o.n.len = 1;
	o.names[0] = 'x';
	o.flags = VFS_O_CREAT | VFS_O_RDWR;
	UEXPECT_EQ(call(d, VFS_OPEN, &o, sizeof(o), NULL, 0, 0, 0, NULL), -FERRY_ENOENT);
	ferry_sys_handle_close(d);
}

UTEST(trunc_append, "FS0025",
      "O_TRUNC empties, O_APPEND writes at the end, truncate grows with zeros")
{
	handle_t h;
	char buf[16];
	struct file_stat st;
	mkfile("/tmp/ta", "abcdef");
	UEXPECT_EQ(v_open("/tmp/ta", VFS_O_WRONLY | VFS_O_APPEND, 0, &h), 0);
	UEXPECT_EQ(f_write(h, "XY", 2, -1), 2);
	ferry_sys_handle_close(h);
	UEXPECT_EQ(v_open("/tmp/ta", VFS_O_RDONLY, 0, &h), 0);
	UEXPECT_EQ(f_read(h, buf, 16, -1), 8);
	UEXPECT(!memcmp(buf, "abcdefXY", 8));
	ferry_sys_handle_close(h);
	UEXPECT_EQ(v_open("/tmp/ta", VFS_O_RDWR | VFS_O_TRUNC, 0, &h), 0);
	UEXPECT_EQ(f_stat(h, &st), 0);
	UEXPECT_EQ(st.size, 0);
	struct file_truncate_req t = {10};
	UEXPECT_EQ(call(h, FILE_TRUNCATE, &t, sizeof(t), NULL, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(f_read(h, buf, 16, 0), 10);
	UEXPECT_EQ(buf[9], 0);
	/* fcntl: GETFL shows the access mode; SETFL sets O_APPEND */
	struct file_fcntl_req fr = {FILE_FCNTL_GETFL, 0};
	struct file_fcntl_rep fp;
	UEXPECT_EQ(call(h, FILE_FCNTL, &fr, sizeof(fr), &fp, sizeof(fp), 0, 0, NULL), 0);
	UEXPECT_EQ(fp.value & VFS_O_ACCMODE, VFS_O_RDWR);
	UEXPECT_EQ(fp.value & VFS_O_TRUNC, 0);
	ferry_sys_handle_close(h);
}

UTEST(statfs, "FS0026", "statfs reports tmpfs")
{
	struct vfs_statfs_rep rp;
	UEXPECT_EQ(v_path(VFS_STATFS, "/tmp", 0, 0, &rp, sizeof(rp)), 0);
	UEXPECT_EQ(rp.type, 0x01021994);
	UEXPECT_EQ(rp.namemax, 255);
	UEXPECT_EQ(v_path(VFS_STATFS, "/none", 0, 0, &rp, sizeof(rp)), -FERRY_ENOENT);
}

/* ---- record locks and flock (docs/proto/file.md "Locks") ---- */

/* One FILE_LOCK call on h; owner (if any) travels as a copy. */
static int
lk(handle_t h, uint32_t cmd, uint16_t type, uint16_t whence, int64_t start, int64_t len,
   handle_t owner, struct file_lock_rep *rep)
{
	struct file_lock_req rq;
	struct file_lock_rep rp;
	memset(&rq, 0, sizeof(rq));
	rq.cmd = cmd;
	rq.type = type;
	rq.whence = whence;
	rq.start = start;
	rq.len = len;
	rq.pid = 4242;
	memset(&rp, 0, sizeof(rp));
	int rc = call(h, FILE_LOCK, &rq, sizeof(rq), &rp, sizeof(rp), owner,
	              owner ? FERRY_MSGF_HANDLES_COPY : 0, NULL);
	if (rep)
		*rep = rp;
	return rc;
}

/* A new owner with pid (made through h). */
static handle_t
lk_owner(handle_t h, uint32_t pid)
{
	struct file_lock_req rq;
	handle_t o = 0;
	memset(&rq, 0, sizeof(rq));
	rq.cmd = FILE_LOCK_OWNER;
	rq.pid = pid;
	if (call(h, FILE_LOCK, &rq, sizeof(rq), NULL, 0, 0, 0, &o))
		return 0;
	return o;
}

/* The type of the lock another owner (probe) sees on [start, start+len). */
static int
lk_probe(handle_t h, handle_t probe, int64_t start, int64_t len, struct file_lock_rep *rp)
{
	struct file_lock_rep r;
	if (lk(h, FILE_LOCK_GET, FILE_LOCK_WR, 0, start, len, probe, &r))
		return -1;
	if (rp)
		*rp = r;
	return r.type;
}

UTEST(locks, "FS0027",
      "record locks: read/write conflicts, split and merge, upgrade/downgrade, whence, negative "
      "len, F_GETLK")
{
	handle_t h, a, b;
	struct file_lock_rep r;
	mkfile("/tmp/lk", "0123456789");
	UEXPECT_EQ(v_open("/tmp/lk", VFS_O_RDWR, 0, &h), 0);
	UEXPECT((a = lk_owner(h, 100)) != 0);
	UEXPECT((b = lk_owner(h, 200)) != 0);
	/* Readers share, a writer conflicts. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 0, 10, a, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 5, 10, b, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 9, 1, b, NULL), -FERRY_EAGAIN);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 10, 5, b, NULL), 0); /* upgrade past a's */
	UEXPECT_EQ(lk(h, FILE_LOCK_GET, FILE_LOCK_RD, 0, 12, 1, a, &r), 0);
	UEXPECT_EQ(r.type, FILE_LOCK_WR);
	UEXPECT_EQ(r.start, 10);
	UEXPECT_EQ(r.len, 5);
	UEXPECT_EQ(r.pid, 200);
	/* The owner's own locks never conflict with it. */
	UEXPECT_EQ(lk(h, FILE_LOCK_GET, FILE_LOCK_WR, 0, 10, 5, b, &r), 0);
	UEXPECT_EQ(r.type, FILE_LOCK_UN);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 0, 0, b, NULL), 0);
	/* Split: a holds RD [0,10); unlocking [3,5) leaves [0,3) and [5,10). */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 3, 2, a, NULL), 0);
	UEXPECT_EQ(lk_probe(h, b, 3, 2, NULL), FILE_LOCK_UN);
	UEXPECT_EQ(lk_probe(h, b, 0, 3, &r), FILE_LOCK_RD);
	UEXPECT_EQ(r.start, 0);
	UEXPECT_EQ(r.len, 3);
	UEXPECT_EQ(lk_probe(h, b, 4, 3, &r), FILE_LOCK_RD);
	UEXPECT_EQ(r.start, 5);
	UEXPECT_EQ(r.len, 5);
	/* Merge: relocking [3,5) read joins them into one [0,10). */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 3, 2, a, NULL), 0);
	UEXPECT_EQ(lk_probe(h, b, 2, 5, &r), FILE_LOCK_RD);
	UEXPECT_EQ(r.start, 0);
	UEXPECT_EQ(r.len, 10);
	/* Upgrade the middle to write: three records, b sees the write one. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 4, 2, a, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_GET, FILE_LOCK_RD, 0, 0, 0, b, &r), 0);
	UEXPECT_EQ(r.type, FILE_LOCK_WR);
	UEXPECT_EQ(r.start, 4);
	UEXPECT_EQ(r.len, 2);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 0, 4, b, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 4, 1, b, NULL), -FERRY_EAGAIN);
	/* Downgrade back: b may read-lock it now; merged again into [0,10). */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 4, 2, a, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 4, 1, b, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 0, 0, b, NULL), 0);
	UEXPECT_EQ(lk_probe(h, b, 0, 0, &r), FILE_LOCK_RD);
	UEXPECT_EQ(r.start, 0);
	UEXPECT_EQ(r.len, 10);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk_probe(h, b, 0, 0, NULL), FILE_LOCK_UN);
	/* len 0 runs to the end and beyond; whence END and CUR; negative len. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 2, -2, 0, a, NULL), 0); /* [8, EOF] */
	UEXPECT_EQ(lk_probe(h, b, 1000000, 1, &r), FILE_LOCK_WR);
	UEXPECT_EQ(r.start, 8);
	UEXPECT_EQ(r.len, 0);
	UEXPECT_EQ(lk_probe(h, b, 7, 1, NULL), FILE_LOCK_UN);
	struct file_seek_req sk = {3, 0, 0};
	UEXPECT_EQ(call(h, FILE_SEEK, &sk, sizeof(sk), NULL, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 1, 0, -2, a, NULL), 0); /* [1, 2] */
	UEXPECT_EQ(lk_probe(h, b, 0, 5, &r), FILE_LOCK_RD);
	UEXPECT_EQ(r.start, 1);
	UEXPECT_EQ(r.len, 2);
	ferry_sys_handle_close(a);
	ferry_sys_handle_close(b);
	ferry_sys_handle_close(h);
}

UTEST(lock_errors, "FS0028",
      "lock errors: EBADF (access mode, O_PATH), EINVAL, EOVERFLOW, EAGAIN, ENOLCK budget, foreign "
      "owners")
{
	handle_t h, ro, wo, p, a, b;
	struct file_lock_rep r;
	mkfile("/tmp/lke", "x");
	UEXPECT_EQ(v_open("/tmp/lke", VFS_O_RDWR, 0, &h), 0);
	UEXPECT_EQ(v_open("/tmp/lke", VFS_O_RDONLY, 0, &ro), 0);
	UEXPECT_EQ(v_open("/tmp/lke", VFS_O_WRONLY, 0, &wo), 0);
	UEXPECT_EQ(v_open("/tmp/lke", VFS_O_PATH, 0, &p), 0);
	UEXPECT((a = lk_owner(h, 1)) != 0);
	UEXPECT((b = lk_owner(h, 2)) != 0);
	/* The lock type needs the matching access mode. */
	UEXPECT_EQ(lk(ro, FILE_LOCK_SET, FILE_LOCK_WR, 0, 0, 0, a, NULL), -FERRY_EBADH);
	UEXPECT_EQ(lk(wo, FILE_LOCK_SET, FILE_LOCK_RD, 0, 0, 0, a, NULL), -FERRY_EBADH);
	UEXPECT_EQ(lk(ro, FILE_LOCK_SET, FILE_LOCK_RD, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk(wo, FILE_LOCK_SET, FILE_LOCK_WR, 0, 0, 0, b, NULL), -FERRY_EAGAIN);
	UEXPECT_EQ(lk(ro, FILE_LOCK_SET, FILE_LOCK_UN, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk(p, FILE_LOCK_GET, FILE_LOCK_RD, 0, 0, 0, a, NULL), -FERRY_EBADH);
	UEXPECT_EQ(lk(p, FILE_LOCK_FLOCK, FILE_LOCK_RD, 0, 0, 0, 0, NULL), -FERRY_EBADH);
	/* Bad type, whence, command; GET of UN; ranges before 0 or past off_t. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, 3, 0, 0, 0, a, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 3, 0, 0, a, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, 99, FILE_LOCK_RD, 0, 0, 0, a, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_GET, FILE_LOCK_UN, 0, 0, 0, a, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, -1, 1, a, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 0, -1, a, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, INT64_MAX, 2, a, NULL), -FERRY_EOVERFLOW);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 2, INT64_MAX, 1, a, NULL), -FERRY_EOVERFLOW);
	/* Record-lock commands need an owner of this vfs; flock takes none. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 0, 0, 0, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 0, 0, root, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_RD, 0, 0, 0, xmo, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_FLOCK, FILE_LOCK_RD, 0, 0, 0, a, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(lk(h, FILE_LOCK_OWNER, 0, 0, 0, 0, a, NULL), -FERRY_EINVAL);
	/* An owner port answers nothing itself. */
	UEXPECT_EQ(lk(a, FILE_LOCK_GET, FILE_LOCK_RD, 0, 0, 0, 0, NULL), -FERRY_EBADH);
	/* A blocking request that would close a cycle: EDEADLK needs a waiter,
	 * FS0029 and the fslock programs cover it; here the budget: 256 records
	 * and waits per owner, then ENOLCK (every other byte: no merging). */
	int ok = 0, nolck = 0;
	for (int i = 0; i < 300; i++) {
		int rc = lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 1000 + 2 * i, 1, b, NULL);
		ok += rc == 0;
		nolck += rc == -FERRY_ENOLCK;
	}
	UEXPECT_EQ(ok, 256);
	UEXPECT_EQ(nolck, 44);
	/* Splitting one more record by an unlock is refused too. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 1000, 1, b, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 999, 3, b, NULL), 0);  /* joins 1002 */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 5000, 1, b, NULL), 0); /* 256 again */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 1000, 1, b, NULL), -FERRY_ENOLCK);
	/* Unlocking everything frees the budget. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 0, 0, b, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 1000, 1, b, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_GET, FILE_LOCK_RD, 0, 0, 0, a, &r), 0);
	UEXPECT_EQ(r.type, FILE_LOCK_WR);
	UEXPECT_EQ(r.start, 1000);
	ferry_sys_handle_close(a);
	ferry_sys_handle_close(b);
	ferry_sys_handle_close(h);
	ferry_sys_handle_close(ro);
	ferry_sys_handle_close(wo);
	ferry_sys_handle_close(p);
}

/* A FILE_LOCK call that gives up after ms (the caller "interrupted"). */
static int
lk_timed(handle_t h, uint32_t cmd, uint16_t type, handle_t owner, uint64_t ms)
{
	struct ferry_msg m;
	struct file_lock_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.cmd = cmd;
	rq.type = type;
	rq.cookie = 77;
	memset(&m, 0, sizeof(m));
	m.op = FILE_LOCK;
	m.len = sizeof(rq);
	memcpy(m.data, &rq, sizeof(rq));
	if (owner) {
		m.flags = FERRY_MSGF_HANDLES_COPY;
		m.nhandles = 1;
		m.handles[0] = owner;
	}
	long rc = ferry_sys_msg_call(h, &m, ms * MS);
	return rc ? (int)rc : *(int32_t *)m.data;
}

/*
 * Repeats a FILE_LOCK call (whole file) for up to a second until it
 * answers want (GET: the type seen; else the status): a no-senders notice
 * may reach vfs after a call made after the close.  Returns 0 when seen.
 */
static int
lk_settle(handle_t h, uint32_t cmd, uint16_t type, handle_t owner, int want)
{
	for (int i = 0; i < 100; i++) {
		struct file_lock_rep r;
		int rc = lk(h, cmd, type, 0, 0, 0, owner, &r);
		if ((cmd == FILE_LOCK_GET ? (rc ? -1 : (int)r.type) : rc) == want)
			return 0;
		ferry_sys_thread_sleep(10 * MS);
	}
	return -1;
}

UTEST(lock_life, "FS0029",
      "lock lifetimes: CLOSE, owner death, given-up waits never granted, EDEADLK, flock per "
      "description")
{
	handle_t h, h2, a, b, c;
	mkfile("/tmp/lkl", "y");
	mkfile("/tmp/lkl2", "z");
	UEXPECT_EQ(v_open("/tmp/lkl", VFS_O_RDWR, 0, &h), 0);
	UEXPECT_EQ(v_open("/tmp/lkl2", VFS_O_RDWR, 0, &h2), 0);
	UEXPECT((a = lk_owner(h, 1)) != 0);
	UEXPECT((b = lk_owner(h, 2)) != 0);
	UEXPECT((c = lk_owner(h, 3)) != 0);
	/* CLOSE drops a's locks on that file only. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk(h2, FILE_LOCK_SET, FILE_LOCK_WR, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_CLOSE, 0, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk_probe(h, b, 0, 0, NULL), FILE_LOCK_UN);
	UEXPECT_EQ(lk_probe(h2, b, 0, 0, NULL), FILE_LOCK_WR);
	/* A wait whose caller gave up is never granted: b waits, times out,
	 * a unlocks, and c finds the file free. */
	UEXPECT_EQ(lk_timed(h2, FILE_LOCK_SETW, FILE_LOCK_WR, b, 50), -FERRY_ETIMEDOUT);
	UEXPECT_EQ(lk(h2, FILE_LOCK_SET, FILE_LOCK_UN, 0, 0, 0, a, NULL), 0);
	/* Deadlock: a holds lkl, b holds lkl2, b waits for lkl (gives up
	 * later); a asking for lkl2 would wait for b: EDEADLK at once. */
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk(h2, FILE_LOCK_SET, FILE_LOCK_WR, 0, 0, 0, b, NULL), 0);
	UEXPECT_EQ(lk_timed(h, FILE_LOCK_SETW, FILE_LOCK_WR, b, 50), -FERRY_ETIMEDOUT);
	UEXPECT_EQ(lk(h2, FILE_LOCK_SETW, FILE_LOCK_WR, 0, 0, 0, a, NULL), -FERRY_EDEADLK);
	/* b's interrupted client cancels its wait: no cycle any more, so a
	 * would now wait (a short wait here) rather than fail. */
	UEXPECT_EQ(lk(h, FILE_LOCK_CANCEL, 0, 0, 0, 0, b, NULL), 0); /* cookie 0: none */
	struct file_lock_req cq;
	memset(&cq, 0, sizeof(cq));
	cq.cmd = FILE_LOCK_CANCEL;
	cq.cookie = 77;
	UEXPECT_EQ(call(h, FILE_LOCK, &cq, sizeof(cq), NULL, 0, b, FERRY_MSGF_HANDLES_COPY, NULL),
	           0);
	UEXPECT_EQ(lk_timed(h2, FILE_LOCK_SETW, FILE_LOCK_WR, a, 50), -FERRY_ETIMEDOUT);
	/* Owner death: closing b's last handle drops its locks and waits
	 * (when vfs takes the no-senders notice: a call may overtake it). */
	ferry_sys_handle_close(b);
	UEXPECT_EQ(lk_settle(h2, FILE_LOCK_GET, FILE_LOCK_WR, c, FILE_LOCK_UN), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 0, 0, a, NULL), 0);
	/* flock: per description, shared by holders of one port, never
	 * conflicting with record locks. */
	handle_t d1, d2;
	UEXPECT_EQ(v_open("/tmp/lkl", VFS_O_RDONLY, 0, &d1), 0);
	UEXPECT_EQ(v_open("/tmp/lkl", VFS_O_RDONLY, 0, &d2), 0);
	UEXPECT_EQ(lk(d1, FILE_LOCK_FLOCK, FILE_LOCK_WR, 0, 0, 0, 0, NULL),
	           0); /* LOCK_EX on O_RDONLY */
	UEXPECT_EQ(lk(d1, FILE_LOCK_FLOCK, FILE_LOCK_WR, 0, 0, 0, 0, NULL),
	           0); /* again: same owner */
	UEXPECT_EQ(lk(d2, FILE_LOCK_FLOCK, FILE_LOCK_RD, 0, 0, 0, 0, NULL), -FERRY_EAGAIN);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_WR, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk(h, FILE_LOCK_SET, FILE_LOCK_UN, 0, 0, 0, a, NULL), 0);
	UEXPECT_EQ(lk(d1, FILE_LOCK_FLOCK, FILE_LOCK_RD, 0, 0, 0, 0, NULL), 0); /* downgrade */
	UEXPECT_EQ(lk(d2, FILE_LOCK_FLOCK, FILE_LOCK_RD, 0, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(lk(d2, FILE_LOCK_FLOCK, FILE_LOCK_WR, 0, 0, 0, 0, NULL), -FERRY_EAGAIN);
	UEXPECT_EQ(lk_timed(d2, FILE_LOCK_FLOCKW, FILE_LOCK_WR, 0, 50), -FERRY_ETIMEDOUT);
	/* That blocking conversion dropped d2's shared lock first (Linux's
	 * rule), so d1 may convert to exclusive and back. */
	UEXPECT_EQ(lk(d1, FILE_LOCK_FLOCK, FILE_LOCK_WR, 0, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(lk(d1, FILE_LOCK_FLOCK, FILE_LOCK_RD, 0, 0, 0, 0, NULL), 0);
	/* The description's end releases its flock (no-senders), and the
	 * given-up wait above is not granted. */
	ferry_sys_handle_close(d1);
	UEXPECT_EQ(lk_settle(d2, FILE_LOCK_FLOCK, FILE_LOCK_WR, 0, 0), 0);
	UEXPECT_EQ(lk(d2, FILE_LOCK_FLOCK, FILE_LOCK_UN, 0, 0, 0, 0, NULL), 0);
	ferry_sys_handle_close(d2);
	ferry_sys_handle_close(a);
	ferry_sys_handle_close(c);
	ferry_sys_handle_close(h);
	ferry_sys_handle_close(h2);
}

#include "fsmount.c"
#include "fscredp.c"

/* ---- musl programs ---- */

static int
run_prog(const char *path, char *const argv[])
{
	handle_t r, c, t;
	int code = -1;
	if (ferry_sys_handle_dup(root, FERRY_RIGHT_SAME, &r) ||
	    ferry_sys_handle_dup(root, FERRY_RIGHT_SAME, &c))
		return -1;
	uint64_t aux[] = {AT_FERRY_VFS_ROOT, r, AT_FERRY_CWD, c};
	char *envp[] = {"HOME=/", "FERRY_TRACE=1", NULL};
	int rc = uspawn_posix(path, argv, envp, aux, 2, &t);
	ferry_sys_handle_close(r);
	ferry_sys_handle_close(c);
	if (rc) {
		uprintf("  cannot run %s: %s\n", path, ferry_strerror(rc));
		return -1;
	}
	rc = (int)ferry_sys_task_wait(t, &code, 60000 * MS);
	ferry_sys_handle_close(t);
	return rc ? -1 : code;
}

UTEST(prog_files, "FS-PROG-files",
      "musl program: open/read/write/lseek/stat/mkdir/rename/unlink/getdents")
{
	char *argv[] = {"fsprog", NULL};
	UEXPECT_EQ(run_prog("bin/fs/fsprog", argv), 0);
}

static int
start_vfs(void)
{
	uint32_t files = 0;
	int rc = ustart_vfs("vfs", 10000 * MS, &root, &files);
	if (rc)
		return rc;
	uprintf("fstest: vfs up, %u archive members unpacked\n", files);
	/* Our transfer area, attached to the root port for long paths. */
	struct ferry_map_req req = {0, XSIZE, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t addr;
	if ((rc = (int)ferry_sys_memobj_create(XSIZE, FERRY_MEMOBJ_ANON, &xmo)) ||
	    (rc = (int)ferry_sys_vm_map(0, xmo, 0, &req, &addr)))
		return rc;
	xarea = (uint8_t *)addr;
	return f_attach(root, &xid_root);
}

int
main(void)
{
	int rc = start_vfs();
	if (rc) {
		uprintf("FAIL FS0000: vfs did not start: %s\n", ferry_strerror(rc));
		uprintf("0 passed, 1 failed\nSUITE-END fs\n");
		return 1;
	}
	char buf[64];
	const char *filter = ucmdline_get("only", buf, sizeof(buf));
	return utest_run("fs", filter ? filter : "") ? 1 : 0;
}
