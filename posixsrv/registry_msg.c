// SPDX-License-Identifier: MIT
/*
 * The registry protocol (include/ferry/proto/registry.h): REGISTER only
 * through the registration port, LOOKUP through either port.
 */
#include "posixsrv.h"

/* A name must be NUL-terminated inside its field and not empty. */
static bool
name_ok(const char *n)
{
	for (int i = 0; i < REGISTRY_NAME_MAX; i++)
		if (!n[i])
			return i > 0;
	return false;
}

static int
on_registry_register(void *st, struct srv_call *c)
{
	(void)st;
	const struct registry_register_req *req = SRV_REQ(c, struct registry_register_req);
	handle_t port = c->req->handles[0];
	struct ferry_handle_info info;
	int rc = -FERRY_EPERM;
	if (KEY_KIND(c->key) != KEY_REGISTER)
		goto fail;
	rc = -FERRY_EINVAL;
	if (!name_ok(req->name))
		goto fail;
	if ((rc = (int)ferry_sys_handle_info(port, &info)))
		goto fail;
	rc = -FERRY_EINVAL;
	if (info.type != FERRY_OBJ_PORT || !(info.rights & FERRY_RIGHT_SEND))
		goto fail;
	if ((rc = registry_add(req->name, port)))
		goto fail;
	uprintf("posixsrv: registered service '%s'\n", req->name);
	return 0;
fail:
	ferry_sys_handle_close(port);
	return rc;
}

static int
on_registry_lookup(void *st, struct srv_call *c)
{
	(void)st;
	const struct registry_lookup_req *req = SRV_REQ(c, struct registry_lookup_req);
	if (!name_ok(req->name))
		return -FERRY_EINVAL;
	handle_t port;
	int rc = registry_find(req->name, &port);
	if (rc)
		return rc;
	struct ferry_status_rep rep = {0, 0};
	if (srv_reply(c->token, 0, &rep, sizeof(rep), &port, 1))
		ferry_sys_handle_close(port);
	return FERRY_REPLY_LATER;
}

const struct srv_op registry_ops[] = {REGISTRY_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t registry_nops = sizeof(registry_ops) / sizeof(registry_ops[0]);
