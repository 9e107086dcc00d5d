// SPDX-License-Identifier: MIT
/*
 * posixsrv's nodes in vfs: once vfs is up, bind the device numbers and
 * FIFOs whose opens posixsrv serves (VFS_BIND, docs/proto/vfs.md "Device
 * and FIFO nodes served by other servers") and make /dev/pts, where
 * pty.c adds and removes /dev/pts/N.  vfs never calls posixsrv, so these
 * calls cannot deadlock.
 */
#include "posixsrv.h"

#define VFS_CALL_TIMEOUT_NS 2000000000ull

static const struct {
	uint32_t type, op, flags, obj;
	uint64_t rdev;
	const char *what;
} bindings[] = {
        {VFS_S_IFCHR, TTY_OPEN, 0, TTY_CONSOLE, (5u << 8) | 1, "/dev/console"},
        {VFS_S_IFCHR, TTY_OPEN, 0, TTY_CTTY, (5u << 8) | 0, "/dev/tty"},
        {VFS_S_IFCHR, TTY_OPEN_PTMX, 0, 0, (5u << 8) | 2, "/dev/ptmx"},
        {VFS_S_IFCHR, TTY_OPEN_PTS, VFS_BIND_MAJOR, 0, 136u << 8, "/dev/pts/N"},
        {VFS_S_IFIFO, PIPE_FIFO_OPEN, 0, 0, 0, "FIFOs"},
};

static int
vfs_call(handle_t root, struct ferry_msg *m)
{
	long rc = ferry_sys_msg_call(root, m, VFS_CALL_TIMEOUT_NS);
	int32_t st = 0;
	if (!rc)
		memcpy(&st, m->data, 4);
	return rc ? (int)rc : st;
}

void
devnodes_bind(handle_t root)
{
	for (unsigned i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++) {
		struct ferry_msg m;
		memset(&m, 0, sizeof(m));
		struct vfs_bind_req req = {bindings[i].type, bindings[i].op, bindings[i].rdev,
		                           bindings[i].flags, bindings[i].obj};
		m.op = VFS_BIND;
		m.len = sizeof(req);
		memcpy(m.data, &req, sizeof(req));
		int rc = (int)ferry_sys_handle_dup(px.service, FERRY_RIGHT_SAME, &m.handles[0]);
		if (!rc) {
			m.nhandles = 1;
			rc = vfs_call(root, &m);
		}
		if (rc)
			uprintf("posixsrv: cannot serve %s through vfs: %s\n", bindings[i].what,
			        ferry_strerror(rc));
	}
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	struct vfs_mode_req *r = (void *)m.data;
	static const char pts[] = "/dev/pts";
	r->n.len = sizeof(pts) - 1;
	r->mode = 0755;
	memcpy(r->names, pts, sizeof(pts) - 1);
	m.op = VFS_MKDIR;
	m.len = sizeof(*r);
	int rc = vfs_call(root, &m);
	if (rc && rc != -FERRY_EEXIST)
		uprintf("posixsrv: mkdir /dev/pts: %s\n", ferry_strerror(rc));
}
