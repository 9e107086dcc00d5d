// SPDX-License-Identifier: MIT
/*
 * The fs suite's tests of mounts, forwarded opens, file mappings and
 * readiness (FS0100...), included by fstest.c for its protocol helpers.
 */

/* One vfs request with a path (inline) on port, raw reply in rep. */
static int
v_raw(handle_t port, uint32_t op, const char *path, uint32_t flags, void *rep, size_t replen,
      handle_t *hout)
{
	struct vfs_path_req rq;
	memset(&rq, 0, sizeof(rq));
	rq.n.len = (uint16_t)strlen(path);
	memcpy(rq.names, path, rq.n.len);
	rq.flags = flags;
	return call(port, op, &rq, sizeof(rq), rep, replen, 0, 0, hout);
}

static int
v_mount(const char *path, const char *type, handle_t port)
{
	struct vfs_mount_req rq;
	memset(&rq, 0, sizeof(rq));
	names(&rq.n, rq.names, sizeof(rq.names), path, NULL);
	memcpy(rq.type, type, strlen(type));
	return call(root, port ? VFS_MOUNT_PORT : VFS_MOUNT, &rq, sizeof(rq), NULL, 0, port, 0,
	            NULL);
}

static int
v_mounts(char *buf, size_t size)
{
	struct vfs_path_req rq;
	struct vfs_text_rep rp;
	memset(&rq, 0, sizeof(rq));
	rq.n.xfer = xid_root;
	int rc = call(root, VFS_MOUNTS, &rq, sizeof(rq), &rp, sizeof(rp), 0, 0, NULL);
	if (rc)
		return rc;
	size_t n = rp.len < size - 1 ? rp.len : size - 1;
	memcpy(buf, xarea, n);
	buf[n] = 0;
	return 0;
}

static bool
contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

UTEST(mount_tmpfs, "FS0100",
      "mount a tmpfs instance: crossing both ways, st_dev, EXDEV, EBUSY, mount table, umount")
{
	struct file_stat st, mst, inner;
	char text[1024];
	handle_t h;
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/mnt", 0, 0755), 0);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/mnt/t", 0, 0755), 0);
	mkfile("/mnt/t/under", "hidden");
	UEXPECT_EQ(v_mount("/mnt/t", "tmpfs", 0), 0);
	UEXPECT_EQ(v_mount("/mnt/t", "tmpfs", 0), -FERRY_EBUSY); /* no stacking */
	UEXPECT_EQ(v_mount("/", "tmpfs", 0), -FERRY_EBUSY);
	UEXPECT_EQ(v_mount("/etc/passwd", "tmpfs", 0), -FERRY_ENOTDIR);
	UEXPECT_EQ(v_mount("/mnt", "ext4", 0), -FERRY_ENODEV);
	UEXPECT_EQ(v_mount("/nonexistent", "tmpfs", 0), -FERRY_ENOENT);
	UEXPECT_EQ(v_stat("/mnt/t/under", 0, NULL), -FERRY_ENOENT); /* covered */
	UEXPECT_EQ(v_stat("/mnt/t", 0, &st), 0);
	UEXPECT_EQ(v_stat("/mnt", 0, &mst), 0);
	UEXPECT(st.dev != mst.dev);
	UEXPECT_EQ(st.mode, VFS_S_IFDIR | 01777);
	mkfile("/mnt/t/in", "inside");
	UEXPECT_EQ(v_stat("/mnt/t/in", 0, &inner), 0);
	UEXPECT_EQ(inner.dev, st.dev);
	UEXPECT_EQ(v_stat("/mnt/t/..", 0, &st), 0); /* out of the mounted root */
	UEXPECT_EQ(st.ino, mst.ino);
	UEXPECT_EQ(v_stat("/mnt/t/../t/in", 0, &st), 0);
	UEXPECT_EQ(st.ino, inner.ino);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/mnt/t/in", "/tmp/in", 0, 0), -FERRY_EXDEV);
	UEXPECT_EQ(v_path2(VFS_LINK, "/mnt/t/in", "/tmp/in", 0, 0), -FERRY_EXDEV);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/mnt/t", VFS_AT_REMOVEDIR, 0, NULL, 0), -FERRY_EBUSY);
	UEXPECT_EQ(v_path2(VFS_RENAME, "/mnt/t", "/mnt/u", 0, 0), -FERRY_EBUSY);
	UEXPECT_EQ(v_mounts(text, sizeof(text)), 0);
	UEXPECT(contains(text, "rootfs / tmpfs rw 0 0\n"));
	UEXPECT(contains(text, "tmpfs /mnt/t tmpfs rw 0 0\n"));
	/* getpath crosses back out of the instance. */
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/mnt/t/d", 0, 0755), 0);
	struct vfs_text_rep tp;
	UEXPECT_EQ(v_path(VFS_GETPATH, "/mnt/t/d", 0, 0, &tp, sizeof(tp)), 0);
	UEXPECT_EQ(tp.len, 8);
	UEXPECT(!memcmp(tp.data, "/mnt/t/d", 8));
	/* Busy while a description is open below it. */
	UEXPECT_EQ(v_open("/mnt/t/in", VFS_O_RDONLY, 0, &h), 0);
	UEXPECT_EQ(v_path(VFS_UMOUNT, "/mnt/t", 0, 0, NULL, 0), -FERRY_EBUSY);
	ferry_sys_handle_close(h);
	ferry_sys_thread_sleep(20 * MS); /* no-senders reaches vfs */
	UEXPECT_EQ(v_path(VFS_UMOUNT, "/mnt", 0, 0, NULL, 0), -FERRY_EINVAL); /* not a mount */
	UEXPECT_EQ(v_path(VFS_UMOUNT, "/mnt/t", 0x8, 0, NULL, 0), -FERRY_EINVAL);
	UEXPECT_EQ(v_path(VFS_UMOUNT, "/mnt/t", 0, 0, NULL, 0), 0);
	UEXPECT_EQ(v_stat("/mnt/t/in", 0, NULL), -FERRY_ENOENT);
	UEXPECT_EQ(v_stat("/mnt/t/under", 0, NULL), 0); /* uncovered */
	UEXPECT_EQ(v_mounts(text, sizeof(text)), 0);
	UEXPECT(!contains(text, "/mnt/t"));
	/* MNT_DETACH takes a busy instance away; its open file still works. */
	UEXPECT_EQ(v_mount("/mnt/t", "tmpfs", 0), 0);
	mkfile("/mnt/t/keep", "kept");
	UEXPECT_EQ(v_open("/mnt/t/keep", VFS_O_RDONLY, 0, &h), 0);
	UEXPECT_EQ(v_path(VFS_UMOUNT, "/mnt/t", VFS_MNT_DETACH, 0, NULL, 0), 0);
	char b[8];
	UEXPECT_EQ(f_read(h, b, 4, 0), 4);
	UEXPECT(!memcmp(b, "kept", 4));
	ferry_sys_handle_close(h);
}

/* Starts another vfs and returns its root port (the other server of FS0101). */
static int
second_vfs(handle_t *out)
{
	return ustart_vfs("vfs2", 20000 * MS, out, NULL);
}

UTEST(mount_foreign, "FS0101",
      "a directory port of another server mounted: walks redirected, '..' back out, umount")
{
	handle_t other, dup, h;
	struct vfs_redirect_rep rd;
	struct file_stat st, mst;
	char text[1024];
	UEXPECT_EQ(second_vfs(&other), 0);
	UEXPECT_EQ(ferry_sys_handle_dup(other, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(v_mode(VFS_MKDIR, "/mnt/f", 0, 0755), 0);
	UEXPECT_EQ(v_mount("/mnt/f", "", dup), -FERRY_EINVAL); /* a type is needed */
	UEXPECT_EQ(ferry_sys_handle_dup(other, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(v_mount("/mnt/f", "other", dup), 0);
	UEXPECT_EQ(ferry_sys_handle_dup(xmo, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(v_mount("/mnt", "other", dup), -FERRY_EWRONGTYPE); /* not a port */
	/* A walk into it comes back as a redirect with the rest of the path. */
	memset(&rd, 0, sizeof(rd));
	UEXPECT_EQ(v_raw(root, VFS_STAT, "/mnt/f/etc/passwd", 0, &rd, sizeof(rd), &h),
	           VFS_REDIRECT);
	UEXPECT_EQ(rd.kind, VFS_REDIRECT_WALK);
	UEXPECT_EQ(rd.len, 10);
	UEXPECT(!memcmp(rd.rest, "etc/passwd", 10));
	UEXPECT(h != 0);
	struct vfs_stat_rep sr;
	UEXPECT_EQ(v_raw(h, VFS_STAT, "etc/passwd", 0, &sr, sizeof(sr), NULL),
	           0); /* answered there */
	ferry_sys_handle_close(h);
	UEXPECT_EQ(v_raw(root, VFS_STAT, "/mnt/f", 0, &rd, sizeof(rd), &h), VFS_REDIRECT);
	UEXPECT_EQ(rd.len, 1);
	UEXPECT_EQ(rd.rest[0], '.');
	ferry_sys_handle_close(h);
	UEXPECT_EQ(v_raw(root, VFS_UNLINK, "/mnt/f/newdir", 0, &rd, sizeof(rd), &h), VFS_REDIRECT);
	UEXPECT(!memcmp(rd.rest, "newdir", 6));
	ferry_sys_handle_close(h);
	/* ".." right after the mount point stays in this namespace. */
	UEXPECT_EQ(v_stat("/mnt/f/..", 0, &st), 0);
	UEXPECT_EQ(v_stat("/mnt", 0, &mst), 0);
	UEXPECT_EQ(st.ino, mst.ino);
	UEXPECT_EQ(v_stat("/mnt/f/../f/..", 0, &st), 0);
	UEXPECT_EQ(st.ino, mst.ino);
	/* Two-path ops and mounting cannot cross into it. */
	UEXPECT_EQ(v_path2(VFS_RENAME, "/mnt/f/etc", "/tmp/x", 0, 0), -FERRY_EXDEV);
	UEXPECT_EQ(v_path2(VFS_LINK, "/mnt/f/etc/passwd", "/tmp/x", 0, 0), -FERRY_EXDEV);
	UEXPECT_EQ(v_mount("/mnt/f/tmp", "tmpfs", 0), -FERRY_EBUSY);
	UEXPECT_EQ(v_path(VFS_UNLINK, "/mnt/f", VFS_AT_REMOVEDIR, 0, NULL, 0), -FERRY_EBUSY);
	UEXPECT_EQ(v_mounts(text, sizeof(text)), 0);
	UEXPECT(contains(text, "other /mnt/f other rw 0 0\n"));
	UEXPECT_EQ(v_path(VFS_UMOUNT, "/mnt/f/etc", 0, 0, NULL, 0), -FERRY_EINVAL);
	UEXPECT_EQ(v_path(VFS_UMOUNT, "/mnt/f", 0, 0, NULL, 0), 0);
	UEXPECT_EQ(v_stat("/mnt/f/etc", 0, NULL), -FERRY_ENOENT);
	ferry_sys_handle_close(other);
}

UTEST(forward_open, "FS0102",
      "device and FIFO nodes bound to another server: open redirects there; bind errors")
{
	handle_t q, p, dup, h;
	struct ferry_handle_info pi, hi;
	struct vfs_redirect_rep rd;
	struct file_stat st;
	UEXPECT_EQ(ferry_sys_queue_create(4, &q), 0);
	UEXPECT_EQ(ferry_sys_port_create(q, 9, &p), 0);
	UEXPECT_EQ(ferry_sys_handle_info(p, &pi), 0);
	/* Unbound: ENXIO as before. */
	UEXPECT_EQ(v_open("/dev/console", VFS_O_RDWR, 0, NULL), -FERRY_ENXIO);
	UEXPECT_EQ(v_mode(VFS_MKNOD, "/tmp/fifo", 0, VFS_S_IFIFO | 0644), 0);
	UEXPECT_EQ(v_open("/tmp/fifo", VFS_O_RDONLY, 0, NULL), -FERRY_ENXIO);
	/* Bind 5:1 to our port with op 0x0601 (TTY_OPEN), object 7. */
	struct vfs_bind_req br = {VFS_S_IFCHR, 0x0601, (5u << 8) | 1, 0, 7};
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(call(root, VFS_BIND, &br, sizeof(br), NULL, 0, dup, 0, NULL), 0);
	memset(&rd, 0, sizeof(rd));
	UEXPECT_EQ(v_raw(root, VFS_OPEN, "/dev/console", 0, &rd, sizeof(rd), &h), VFS_REDIRECT);
	UEXPECT_EQ(rd.kind, VFS_REDIRECT_OPEN);
	UEXPECT_EQ(rd.op, 0x0601);
	UEXPECT_EQ(rd.obj, 7);
	UEXPECT_EQ(rd.mode & VFS_S_IFMT, VFS_S_IFCHR);
	UEXPECT_EQ(ferry_sys_handle_info(h, &hi), 0);
	UEXPECT_EQ(hi.koid, pi.koid);
	ferry_sys_handle_close(h);
	/* O_PATH still opens the node itself. */
	UEXPECT_EQ(v_open("/dev/console", VFS_O_PATH, 0, NULL), 0);
	/* A whole major: the minor is the object. */
	br = (struct vfs_bind_req){VFS_S_IFCHR, 0x0602, 136u << 8, VFS_BIND_MAJOR, 0};
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(call(root, VFS_BIND, &br, sizeof(br), NULL, 0, dup, 0, NULL), 0);
	UEXPECT_EQ(v_mode(VFS_MKNOD, "/tmp/pts3", 0, VFS_S_IFCHR | 0620), 0);
	struct vfs_mode_req mr;
	memset(&mr, 0, sizeof(mr));
	names(&mr.n, mr.names, sizeof(mr.names), "/tmp/pts5", NULL);
	mr.mode = VFS_S_IFCHR | 0620;
	mr.dev = (136u << 8) | 5;
	UEXPECT_EQ(call(root, VFS_MKNOD, &mr, sizeof(mr), NULL, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(v_raw(root, VFS_OPEN, "/tmp/pts5", 0, &rd, sizeof(rd), &h), VFS_REDIRECT);
	UEXPECT_EQ(rd.op, 0x0602);
	UEXPECT_EQ(rd.obj, 5);
	ferry_sys_handle_close(h);
	/* FIFOs: one server for all, told the node's identity. */
	br = (struct vfs_bind_req){VFS_S_IFIFO, 0x0520, 0, 0, 0};
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(call(root, VFS_BIND, &br, sizeof(br), NULL, 0, dup, 0, NULL), 0);
	UEXPECT_EQ(v_raw(root, VFS_OPEN, "/tmp/fifo", VFS_O_WRONLY, &rd, sizeof(rd), &h),
	           VFS_REDIRECT);
	UEXPECT_EQ(v_stat("/tmp/fifo", 0, &st), 0);
	UEXPECT_EQ(rd.op, 0x0520);
	UEXPECT_EQ(rd.id, (st.dev << 32) | st.ino);
	ferry_sys_handle_close(h);
	/* Errors. */
	br = (struct vfs_bind_req){VFS_S_IFREG, 1, 0, 0, 0};
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(call(root, VFS_BIND, &br, sizeof(br), NULL, 0, dup, 0, NULL), -FERRY_EINVAL);
	br = (struct vfs_bind_req){VFS_S_IFCHR, 1, 0x101, 0x80, 0};
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(call(root, VFS_BIND, &br, sizeof(br), NULL, 0, dup, 0, NULL), -FERRY_EINVAL);
	br = (struct vfs_bind_req){VFS_S_IFCHR, 1, 0x101, 0, 0};
	UEXPECT_EQ(ferry_sys_handle_dup(xmo, FERRY_RIGHT_SAME, &dup), 0);
	UEXPECT_EQ(call(root, VFS_BIND, &br, sizeof(br), NULL, 0, dup, 0, NULL), -FERRY_EWRONGTYPE);
	UEXPECT_EQ(call(root, VFS_BIND, &br, sizeof(br), NULL, 0, 0, 0, NULL),
	           -FERRY_EINVAL); /* no handle */
	/* vfs's own devices stay vfs's. */
	UEXPECT_EQ(v_open("/dev/null", VFS_O_RDWR, 0, NULL), 0);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}

static int
f_mmap(handle_t h, uint32_t prot, uint32_t flags, handle_t *mo, uint64_t *size)
{
	struct file_mmap_req rq = {prot, flags};
	struct file_mmap_rep rp;
	int rc = call(h, FILE_MMAP, &rq, sizeof(rq), &rp, sizeof(rp), 0, 0, mo);
	if (!rc && size)
		*size = rp.size;
	return rc;
}

static int
f_msync(handle_t h)
{
	struct file_msync_req rq = {{0, 0}};
	return call(h, FILE_MSYNC, &rq, sizeof(rq), NULL, 0, 0, 0, NULL);
}

UTEST(mmap_file, "FS0103",
      "FILE_MMAP: the file's memory object, coherent with read/write both ways; private copies; "
      "truncate; errors; st_atime marked; FILE_MSYNC marks st_mtime/st_ctime, its errors")
{
	handle_t h, ro, mo, dir;
	uint64_t size;
	uintptr_t a, pa;
	char b[16];
	struct file_stat st0, st1;
	mkfile("/tmp/map", "hello, mapped world");
	UEXPECT_EQ(v_open("/tmp/map", VFS_O_RDWR, 0, &h), 0);
	UEXPECT_EQ(f_stat(h, &st0), 0);
	ferry_sys_thread_sleep(2 * MS);
	UEXPECT_EQ(f_mmap(h, 3, 0, &mo, &size), 0);
	UEXPECT_EQ(size, 19);
	UEXPECT_EQ(f_stat(h, &st1), 0);
	UEXPECT(st1.atime_ns > st0.atime_ns);
	UEXPECT_EQ(st1.mtime_ns, st0.mtime_ns);
	ferry_sys_thread_sleep(2 * MS);
	UEXPECT_EQ(f_msync(h), 0);
	UEXPECT_EQ(f_stat(h, &st0), 0);
	UEXPECT(st0.mtime_ns > st1.mtime_ns && st0.ctime_ns > st1.ctime_ns);
	struct ferry_map_req req = {0, 8192, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &req, &a), 0);
	char *m = (char *)a;
	UEXPECT(!memcmp(m, "hello, mapped world", 19));
	UEXPECT_EQ(m[19], 0);
	m[0] = 'J'; /* mapping -> read */
	UEXPECT_EQ(f_read(h, b, 5, 0), 5);
	UEXPECT(!memcmp(b, "Jello", 5));
	UEXPECT_EQ(f_write(h, "MAPPED", 6, 7), 6); /* write -> mapping */
	UEXPECT(!memcmp(m + 7, "MAPPED", 6));
	/* Growing past the heap limit keeps the same object (and the mapping). */
	static char big[6000];
	memset(big, 'z', sizeof(big));
	for (int off = 0; off < 6000; off += 48)
		UEXPECT_EQ(f_write(h, big, 48, 100 + off), 48);
	UEXPECT_EQ(m[100], 'z');
	UEXPECT_EQ(m[6099], 'z');
	/* A private mapping: its writes stay its own; it sees the file until it writes a page. */
	struct ferry_map_req preq = {0, 4096,
	                             FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_MAP_PRIVATE, 0};
	UEXPECT_EQ(ferry_sys_vm_map(0, mo, 0, &preq, &pa), 0);
	char *pm = (char *)pa;
	UEXPECT_EQ(pm[0], 'J');
	pm[0] = 'P';
	UEXPECT_EQ(m[0], 'J');
	UEXPECT_EQ(f_read(h, b, 1, 0), 1);
	UEXPECT_EQ(b[0], 'J');
	/* Truncate: the cut bytes read as zeros in the mapping and after regrowth. */
	struct file_truncate_req tr = {4};
	UEXPECT_EQ(call(h, FILE_TRUNCATE, &tr, sizeof(tr), NULL, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(m[4], 0);
	UEXPECT_EQ(m[100], 0);
	tr.len = 200;
	UEXPECT_EQ(call(h, FILE_TRUNCATE, &tr, sizeof(tr), NULL, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(f_read(h, b, 8, 0), 8);
	UEXPECT(!memcmp(b, "Jell\0\0\0\0", 8));
	/* Rights follow the open mode. */
	UEXPECT_EQ(v_open("/tmp/map", VFS_O_RDONLY, 0, &ro), 0);
	UEXPECT_EQ(f_mmap(ro, 3, 0, NULL, NULL), -FERRY_EACCES);
	UEXPECT_EQ(f_msync(ro), -FERRY_EACCES); /* it cannot have a writable mapping */
	handle_t rmo;
	UEXPECT_EQ(f_mmap(ro, 1, 0, &rmo, NULL), 0);
	uintptr_t ra;
	UEXPECT_EQ(ferry_sys_vm_map(0, rmo, 0, &req, &ra), -FERRY_EACCES); /* no WRITE right */
	struct ferry_map_req rreq = {0, 4096, FERRY_PROT_READ, 0};
	UEXPECT_EQ(ferry_sys_vm_map(0, rmo, 0, &rreq, &ra), 0);
	UEXPECT_EQ(((char *)ra)[0], 'J');
	ferry_sys_vm_unmap(0, ra, 4096);
	ferry_sys_handle_close(rmo);
	UEXPECT_EQ(f_mmap(ro, 3, FILE_MMAP_PRIVATE, &rmo, NULL),
	           0); /* private: writable copy allowed */
	ferry_sys_handle_close(rmo);
	ferry_sys_handle_close(ro);
	UEXPECT_EQ(v_open("/tmp", VFS_O_RDONLY, 0, &dir), 0);
	UEXPECT_EQ(f_mmap(dir, 1, 0, NULL, NULL), -FERRY_ENODEV);
	UEXPECT_EQ(f_msync(dir), -FERRY_ENODEV);
	ferry_sys_handle_close(dir);
	UEXPECT_EQ(v_open("/dev/zero", VFS_O_RDWR, 0, &dir), 0);
	UEXPECT_EQ(f_mmap(dir, 1, 0, NULL, NULL), -FERRY_ENODEV);
	UEXPECT_EQ(f_msync(dir), -FERRY_ENODEV);
	ferry_sys_handle_close(dir);
	/* An unlinked file's mapping lives on. */
	UEXPECT_EQ(v_path(VFS_UNLINK, "/tmp/map", 0, 0, NULL, 0), 0);
	ferry_sys_handle_close(h);
	ferry_sys_thread_sleep(20 * MS);
	UEXPECT_EQ(m[0], 'J');
	ferry_sys_vm_unmap(0, a, 8192);
	ferry_sys_vm_unmap(0, pa, 4096);
	ferry_sys_handle_close(mo);
}

UTEST(poll_file, "FS0104",
      "FILE_POLL on files and devices: ready at once by access mode, nothing armed")
{
	handle_t h, q, p;
	UEXPECT_EQ(ferry_sys_queue_create(4, &q), 0);
	UEXPECT_EQ(ferry_sys_port_create(q, 3, &p), 0);
	const char *paths[] = {"/etc/passwd", "/dev/null"};
	uint32_t acc[] = {VFS_O_RDONLY, VFS_O_WRONLY}, want[] = {1, 4};
	for (int i = 0; i < 2; i++) {
		UEXPECT_EQ(v_open(paths[i], acc[i], 0, &h), 0);
		struct file_poll_req rq = {1 | 4, 0, 42};
		struct file_poll_rep rp;
		UEXPECT_EQ(call(h, FILE_POLL, &rq, sizeof(rq), &rp, sizeof(rp), p,
		                FERRY_MSGF_HANDLES_COPY, NULL),
		           0);
		UEXPECT_EQ(rp.revents, want[i]);
		ferry_sys_handle_close(h);
	}
	struct ferry_msg m;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 10 * MS), -FERRY_ETIMEDOUT);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
}
