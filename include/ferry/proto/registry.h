/* SPDX-License-Identifier: MIT */
/*
 * Protocol "registry": the service registry kept by posixsrv.  Servers
 * started at boot register the port clients should use ("vfs", "procmgr",
 * "posixsrv"); libposix and other servers look them up.  A lookup's reply
 * carries a send handle (copy) of the registered port.
 *
 * Errors: REGISTER -FERRY_EEXIST (name taken), -FERRY_EINVAL (empty or
 * unterminated name, not a port), -FERRY_ENOSPC (table full);
 * LOOKUP -FERRY_ENOENT (no such service), -FERRY_EINVAL (bad name).
 * Who may call: REGISTER only through the registration port posixsrv
 * gives the servers it starts; LOOKUP anyone holding the registry port.
 */
#ifndef FERRY_PROTO_REGISTRY_H
#define FERRY_PROTO_REGISTRY_H

#include <ferry/proto/proto.h>

#define REGISTRY_NAME_MAX 32

struct registry_register_req {
	char name[REGISTRY_NAME_MAX]; /* NUL-terminated */
};
struct registry_lookup_req {
	char name[REGISTRY_NAME_MAX];
};

#define REGISTRY_PROTO_MESSAGES(X)                                                                 \
	X(REGISTRY_REGISTER, registry_register, 0x0101, struct registry_register_req,              \
	  struct ferry_status_rep, 1)                                                              \
	X(REGISTRY_LOOKUP, registry_lookup, 0x0102, struct registry_lookup_req,                    \
	  struct ferry_status_rep, 0)

FERRY_PROTO_DECLARE(registry, REGISTRY_PROTO_MESSAGES)

#endif
