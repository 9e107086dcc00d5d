// SPDX-License-Identifier: MIT
/*
 * The vfs protocol's mount-table ops: VFS_MOUNT (a tmpfs instance, or a
 * directory port another server serves), VFS_UMOUNT, VFS_MOUNTS (the
 * table as /proc/mounts text) and VFS_BIND (devices and FIFOs whose opens
 * go to another server).  Errors per op: docs/proto/vfs.md.
 */
#include <srv.h>
#include <ulib.h>
#include "vfs.h"

#define DESC(c) ((struct desc *)(uintptr_t)(c)->key)

/* Mount-table changes and bindings are root's (EPERM), as mount(2). */
static int
do_mount(const struct vfs_ctx *x, struct srv_call *c, handle_t port)
{
	const struct vfs_mount_req *rq = SRV_REQ(c, struct vfs_mount_req);
	char type[sizeof(rq->type) + 1];
	const char *p, *p2;
	struct node *n;
	struct walk w;
	int rc;

	memcpy(type, rq->type, sizeof(rq->type));
	type[sizeof(rq->type)] = 0;
	if (!cred_is_root(&x->cred)) {
		rc = -FERRY_EPERM;
		goto out_close;
	}
	if ((rc = vfs_get_names(DESC(c), &rq->n, rq->names, sizeof(rq->names), &p, &p2)))
		goto out_close;
	if (!port && strcmp(type, "tmpfs") != 0) {
		rc = -FERRY_ENODEV;
		goto out_close;
	}
	if (port && !type[0]) {
		rc = -FERRY_EINVAL;
		goto out_close;
	}
	rc = vfs_walk(vfs_root, x->start, p, rq->n.len, WALK_FOLLOW, &x->cred, &w);
	if (rc) {
		if (rc == VFS_REDIRECT)
			rc = -FERRY_EBUSY; /* on or in another server's file system */
		goto out_close;
	}
	n = w.node;
	if (port)
		rc = mount_foreign(n, port, type);
	else
		rc = mount_tmpfs(n, rq->flags);
	node_unref(n);
	return rc;
out_close:
	if (port)
		ferry_sys_handle_close(port);
	return rc;
}

int
on_vfs_mount(void *state, struct srv_call *c)
{
	return do_mount(state, c, 0);
}

int
on_vfs_mount_port(void *state, struct srv_call *c)
{
	return do_mount(state, c, c->req->handles[0]);
}

int
on_vfs_umount(void *state, struct srv_call *c)
{
	const struct vfs_path_req *rq = SRV_REQ(c, struct vfs_path_req);
	const char *p, *p2;
	const struct vfs_ctx *x = state;
	struct walk w;
	int rc;

	if (!cred_is_root(&x->cred))
		return -FERRY_EPERM;
	if (rq->flags & ~(uint32_t)VFS_MNT_DETACH)
		return -FERRY_EINVAL;
	if ((rc = vfs_get_names(DESC(c), &rq->n, rq->names, sizeof(rq->names), &p, &p2)))
		return rc;
	rc = vfs_walk(vfs_root, x->start, p, rq->n.len, WALK_FOLLOW, &x->cred, &w);
	if (rc == VFS_REDIRECT) {
		/* The path ends at a foreign mount point: that mount goes. */
		if (w.restlen != 1 || w.rest[0] != '.')
			return -FERRY_EINVAL;
		return mount_remove(w.foreign, rq->flags & VFS_MNT_DETACH);
	}
	if (rc)
		return rc;
	struct mount *m = mount_of_root(w.node);
	node_unref(w.node);
	if (!m)
		return -FERRY_EINVAL; /* not a mount point */
	return mount_remove(m, rq->flags & VFS_MNT_DETACH);
}

int
on_vfs_mounts(void *state, struct srv_call *c)
{
	const struct vfs_path_req *rq = SRV_REQ(c, struct vfs_path_req);
	static char buf[16384];
	size_t len;
	int rc;
	(void)state;

	if ((rc = mounts_text(buf, sizeof(buf), &len)))
		return rc;
	return reply_text(c, &rq->n, buf, len);
}

int
on_vfs_bind(void *state, struct srv_call *c)
{
	const struct vfs_bind_req *rq = SRV_REQ(c, struct vfs_bind_req);
	const struct vfs_ctx *x = state;
	if (!cred_is_root(&x->cred)) {
		ferry_sys_handle_close(c->req->handles[0]);
		return -FERRY_EPERM;
	}
	return fwd_bind(rq->type, rq->rdev, rq->flags, rq->op, rq->obj, c->req->handles[0]);
}
