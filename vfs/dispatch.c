// SPDX-License-Identifier: MIT
/*
 * vfs's dispatch: two tables from the protocol lists, file (0x03xx) and
 * vfs (0x02xx), chosen by the opcode's protocol range; notifications
 * (no-senders) end descriptions and lock owners.  Replies go out with the
 * combined reply+receive call.
 */
#include <srv.h>
#include <ulib.h>
#include "vfs.h"

static const struct srv_op file_ops[] = {FILE_PROTO_MESSAGES(SRV_OP_ENTRY) FILE_MAP_MESSAGES(
        SRV_OP_ENTRY) FILE_LOCK_MESSAGES(SRV_OP_ENTRY)};
static const struct srv_op vfs_ops[] = {VFS_PROTO_MESSAGES(SRV_OP_ENTRY)
                                                VFS_CRED_MESSAGES(SRV_OP_ENTRY)};

void
vfs_notify(void *state, const struct ferry_msg *m)
{
	(void)state;
	if (m->op != FERRY_NOTIFY_NO_SENDERS || !m->key)
		return;
	if (m->key & 1)
		lock_owner_gone((struct lock_owner *)(uintptr_t)(m->key & ~(port_key_t)1));
	else
		desc_close((struct desc *)(uintptr_t)m->key);
}

int
vfs_serve(handle_t queue)
{
	struct srv file_srv = SRV_INIT(queue, file_ops, FERRY_PROTO_BASE_FILE, NULL);
	struct vfs_ctx ctx;
	struct srv vfs_srv = SRV_INIT(queue, vfs_ops, FERRY_PROTO_BASE_VFS, &ctx);
	struct ferry_msg m, out;
	long rc;

	file_srv.on_notify = vfs_notify;
	out.token = 0;
	for (;;) {
		if (out.token) {
			/* One kernel entry answers and takes the next request. */
			uint64_t token = out.token;
			m = out;
			out.token = 0;
			rc = ferry_sys_msg_reply_recv(queue, &m, FERRY_TIME_INFINITE);
			if (rc && rc != -FERRY_EINTR && rc != -FERRY_ETIMEDOUT) {
				/* The reply was refused before the receive: answer with an
				 * error so the caller is not left waiting, then receive. */
				srv_reply(token, -FERRY_EIO, NULL, 0, NULL, 0);
				rc = ferry_sys_msg_recv(queue, &m, FERRY_TIME_INFINITE);
			}
		} else {
			rc = ferry_sys_msg_recv(queue, &m, FERRY_TIME_INFINITE);
		}
		if (rc == -FERRY_EINTR || rc == -FERRY_ETIMEDOUT)
			continue;
		if (rc)
			return (int)rc;
		if ((m.key & 1) && m.op < FERRY_NOTIFY_BASE) {
			/* A lock owner's port only identifies its process. */
			for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
				ferry_sys_handle_close(m.handles[i]);
			if (m.token)
				srv_reply(m.token, -FERRY_EBADH, NULL, 0, NULL, 0);
			continue;
		}
		bool is_vfs = m.op >= FERRY_PROTO_BASE_VFS &&
		              m.op < FERRY_PROTO_BASE_VFS + FERRY_PROTO_RANGE;
		if (is_vfs && m.op < FERRY_NOTIFY_BASE) {
			/* Who the request speaks for, and where its path starts. */
			struct desc *d = (struct desc *)(uintptr_t)m.key;
			if ((rc = d ? vfs_ctx_build(d, &m, &ctx) : -FERRY_EINVAL)) {
				for (unsigned i = 0; i < m.nhandles && i < FERRY_MSG_HANDLES_MAX;
				     i++)
					ferry_sys_handle_close(m.handles[i]);
				if (m.token)
					srv_reply(m.token, (int32_t)rc, NULL, 0, NULL, 0);
				continue;
			}
		}
		srv_handle(is_vfs ? &vfs_srv : &file_srv, &m, &out);
	}
}
