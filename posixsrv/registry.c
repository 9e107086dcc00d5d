// SPDX-License-Identifier: MIT
/*
 * The service registry: name -> send handle of the port clients should
 * use ("vfs", "procmgr", "posixsrv").  Entries live until posixsrv ends;
 * a server that dies leaves a port whose calls fail with -FERRY_EPEER.
 */
#include "posixsrv.h"

#define REGISTRY_MAX 32

static struct {
	char name[REGISTRY_NAME_MAX];
	handle_t port;
} table[REGISTRY_MAX];

static int
find(const char *name)
{
	for (int i = 0; i < REGISTRY_MAX; i++)
		if (table[i].port && !strcmp(table[i].name, name))
			return i;
	return -1;
}

/* Takes port on success.  -FERRY_EEXIST, -FERRY_ENOSPC. */
int
registry_add(const char *name, handle_t port)
{
	if (find(name) >= 0)
		return -FERRY_EEXIST;
	for (int i = 0; i < REGISTRY_MAX; i++) {
		if (!table[i].port) {
			strlcpy(table[i].name, name, sizeof(table[i].name));
			table[i].port = port;
			return 0;
		}
	}
	return -FERRY_ENOSPC;
}

/* A new send handle to the service's port.  -FERRY_ENOENT, or dup's error. */
int
registry_find(const char *name, handle_t *port)
{
	int i = find(name);
	if (i < 0)
		return -FERRY_ENOENT;
	return (int)ferry_sys_handle_dup(table[i].port, FERRY_RIGHT_SAME, port);
}
