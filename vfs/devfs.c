// SPDX-License-Identifier: MIT
/*
 * devfs: /dev with the memory devices vfs serves itself (null, zero, full,
 * random, urandom), the standard symlinks (/dev/fd, /dev/std*), and the
 * nodes of devices served by posixsrv (console, tty, ptmx), which open
 * with ENXIO until posixsrv registers a port for them (docs/proto/vfs.md,
 * "Devices"), and the directory shm (mode 01777) that vfs's start-up
 * mounts a tmpfs instance on: musl's shm_open and sem_open keep their
 * objects in /dev/shm, as on Linux.  random and urandom are a xorshift generator seeded from
 * the time: not for cryptography (there is no entropy source yet).
 */
#include <lib/string.h>
#include "vfs.h"

static const struct cred root_cred = {.uid = 0, .gid = 0};

static const struct {
	const char *name;
	uint32_t mode;
	uint32_t rdev;
} devices[] = {
        {"null", 0666, DEV_NULL},       {"zero", 0666, DEV_ZERO},       {"full", 0666, DEV_FULL},
        {"random", 0666, DEV_RANDOM},   {"urandom", 0666, DEV_URANDOM}, {"tty", 0666, DEV_TTY},
        {"console", 0600, DEV_CONSOLE}, {"ptmx", 0666, DEV_PTMX},
};

static const struct {
	const char *name, *target;
} symlinks[] = {
        {"fd", "/proc/self/fd"},
        {"stdin", "/proc/self/fd/0"},
        {"stdout", "/proc/self/fd/1"},
        {"stderr", "/proc/self/fd/2"},
};

int
devfs_populate(struct node *root)
{
	struct node *dev, *n;
	struct dirent *de = dir_find(root, "dev", 3);
	int rc;

	if (de) {
		dev = de->node;
		if (!node_is(dev, VFS_S_IFDIR))
			return -FERRY_ENOTDIR;
	} else {
		if ((rc = tmpfs_mknode(root, "dev", 3, VFS_S_IFDIR | 0755, 0, &root_cred, &dev)))
			return rc;
		node_unref(dev);
	}
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		if (dir_find(dev, devices[i].name, strlen(devices[i].name)))
			continue;
		if ((rc = tmpfs_mknode(dev, devices[i].name, strlen(devices[i].name),
		                       VFS_S_IFCHR | devices[i].mode, devices[i].rdev, &root_cred,
		                       &n)))
			return rc;
		node_unref(n);
	}
	if (!dir_find(dev, "shm", 3)) {
		if ((rc = tmpfs_mknode(dev, "shm", 3, VFS_S_IFDIR | 01777, 0, &root_cred, &n)))
			return rc;
		node_unref(n);
	}
	for (size_t i = 0; i < sizeof(symlinks) / sizeof(symlinks[0]); i++) {
		if (dir_find(dev, symlinks[i].name, strlen(symlinks[i].name)))
			continue;
		if ((rc = tmpfs_mknode(dev, symlinks[i].name, strlen(symlinks[i].name),
		                       VFS_S_IFLNK | 0777, 0, &root_cred, &n)))
			return rc;
		rc = lnk_set(n, symlinks[i].target, strlen(symlinks[i].target));
		node_unref(n);
		if (rc)
			return rc;
	}
	return 0;
}

int
dev_open(const struct node *n)
{
	switch (n->rdev) {
	case DEV_NULL:
	case DEV_ZERO:
	case DEV_FULL:
	case DEV_RANDOM:
	case DEV_URANDOM:
		return 0;
	}
	return -FERRY_ENXIO;
}

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	if (!rng_state)
		rng_state = (uint64_t)vfs_now() | 1;
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

long
dev_read(const struct node *n, void *buf, size_t len)
{
	switch (n->rdev) {
	case DEV_NULL:
		return 0;
	case DEV_ZERO:
	case DEV_FULL:
		memset(buf, 0, len);
		return (long)len;
	case DEV_RANDOM:
	case DEV_URANDOM:
		for (size_t i = 0; i < len; i += 8) {
			uint64_t v = rng_next();
			memcpy((char *)buf + i, &v, len - i < 8 ? len - i : 8);
		}
		return (long)len;
	}
	return -FERRY_ENXIO;
}

long
dev_write(const struct node *n, const void *buf, size_t len)
{
	(void)buf;
	switch (n->rdev) {
	case DEV_NULL:
	case DEV_ZERO:
	case DEV_RANDOM:
	case DEV_URANDOM:
		return (long)len;
	case DEV_FULL:
		return -FERRY_ENOSPC;
	}
	return -FERRY_ENXIO;
}
