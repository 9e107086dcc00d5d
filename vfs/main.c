// SPDX-License-Identifier: MIT
/*
 * vfs: the namespace server.  Start-up (docs/proto/vfs.md, "Start-up"):
 * ustart->handles[0] is a send port for the root announcement; the boot
 * archive (ustart's archive) is unpacked into the tmpfs root, devfs is
 * added with a tmpfs instance mounted on /dev/shm, and the root
 * directory's port goes out in one VFS_START_ROOT message.  Then the
 * receive -> dispatch -> reply loop, forever.
 */
#include <srv.h>
#include <ulib.h>
#include "vfs.h"

int64_t
vfs_now(void)
{
	uint64_t ns = 0;
	(void)ferry_sys_clock_get(FERRY_CLOCK_REALTIME, &ns);
	return (int64_t)ns;
}

static int
announce(handle_t to, int32_t status, uint32_t files, handle_t root_port)
{
	struct ferry_msg m;
	struct vfs_start_msg s = {status, files};
	memset(&m, 0, sizeof(m));
	m.op = VFS_START_ROOT;
	m.len = sizeof(s);
	memcpy(m.data, &s, sizeof(s));
	if (root_port) {
		m.nhandles = 1;
		m.handles[0] = root_port;
	}
	return (int)ferry_sys_msg_send(to, &m, 0);
}

/* Linux mounts a tmpfs on /dev/shm (mode 01777); so do we, for shm_open and sem_open. */
static int
mount_shm(struct node *root)
{
	struct dirent *dev = dir_find(root, "dev", 3);
	struct dirent *shm = dev ? dir_find(dev->node, "shm", 3) : NULL;
	if (!shm)
		return -FERRY_ENOENT;
	return mount_tmpfs(shm->node, 0);
}

static int
start(handle_t *queue, uint32_t *files, handle_t *root_port)
{
	const void *arch;
	size_t arch_size;
	handle_t arch_mo;
	struct node *root;
	int rc;

	if ((rc = (int)ferry_sys_queue_create(256, queue)))
		return rc;
	vfs_set_queue(*queue);
	if (!(root = tmpfs_root()))
		return -FERRY_ENOMEM;
	vfs_root = root;
	if (uarchive(&arch, &arch_size, &arch_mo)) {
		rc = vfs_unpack(root, arch, arch_size);
		if (rc < 0)
			uprintf("vfs: boot archive malformed (%s); keeping what was unpacked\n",
			        ferry_strerror(rc));
		else
			*files = (uint32_t)rc;
	}
	if ((rc = devfs_populate(root)))
		uprintf("vfs: devfs: %s\n", ferry_strerror(rc));
	else if ((rc = mount_shm(root)))
		uprintf("vfs: /dev/shm: %s\n", ferry_strerror(rc));
	if (!dir_find(root, "tmp", 3)) {
		struct node *tmp;
		static const struct cred root_cred = {.uid = 0, .gid = 0};
		if (tmpfs_mknode(root, "tmp", 3, VFS_S_IFDIR | 01777, 0, &root_cred, &tmp) == 0)
			node_unref(tmp);
	}
	struct desc *d;
	if ((rc = desc_open(root, VFS_O_RDONLY | VFS_O_DIRECTORY, root_port, &d)))
		return rc;
	d->sys = true; /* the starter's: servers act as root through it (cred.c) */
	return 0;
}

int
main(void)
{
	handle_t queue = 0, root_port = 0;
	uint32_t files = 0;

	if (!ustart || !ustart->handles[0])
		upanic("vfs: start me with a port for the root announcement in handles[0]");
	int rc = start(&queue, &files, &root_port);
	if (rc) {
		uprintf("vfs: cannot start: %s\n", ferry_strerror(rc));
		announce(ustart->handles[0], rc, 0, 0);
		return 1;
	}
	if ((rc = announce(ustart->handles[0], 0, files, root_port)))
		upanic("vfs: root announcement failed: %s", ferry_strerror(rc));
	ferry_sys_handle_close(ustart->handles[0]);
	return vfs_serve(queue);
}
