// SPDX-License-Identifier: MIT
/*
 * procmgr's control port and vfs's start-up handshake for programs without
 * libposix (pmctl.h): posixsrv's bring-up and the test runners.
 */
#include "pmctl.h"
#include <ferry/proto/posix.h>
#include <ferry/proto/proc.h>
#include <ferry/proto/vfs.h>
#include <ferry/startup.h>

/* Closes the handles m carries. */
static void
drop_handles(const struct ferry_msg *m)
{
	for (unsigned i = 0; i < m->nhandles && i < FERRY_MSG_HANDLES_MAX; i++)
		ferry_sys_handle_close(m->handles[i]);
}

int
pm_call(handle_t ctl, uint32_t op, const void *req, size_t reqlen, void *rep, size_t replen,
        uint8_t flags, handle_t h, ferry_time_t timeout)
{
	struct ferry_msg m;
	int32_t status;
	if (reqlen > FERRY_MSG_INLINE_MAX || replen > FERRY_MSG_INLINE_MAX)
		return -FERRY_EMSGSIZE;
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.len = (uint16_t)reqlen;
	m.flags = flags;
	memcpy(m.data, req, reqlen);
	if (h) {
		m.nhandles = 1;
		m.handles[0] = h;
	}
	long rc = ferry_sys_msg_call(ctl, &m, timeout);
	if (rc)
		return (int)rc;
	drop_handles(&m);
	if (m.len < sizeof(status))
		return -FERRY_EIO;
	memcpy(&status, m.data, sizeof(status));
	if (rep)
		memcpy(rep, m.data, replen);
	return status;
}

/* Stages a copy of h for the next spawn in slot (a descriptor, or -AT_FERRY_*). */
static int
stage(handle_t ctl, int32_t slot, handle_t h, ferry_time_t timeout)
{
	handle_t d;
	int rc = (int)ferry_sys_handle_dup(h, FERRY_RIGHT_SAME, &d);
	if (rc)
		return rc;
	struct proc_exec_handle_req r = {slot, 0};
	return pm_call(ctl, PROC_EXEC_HANDLE, &r, sizeof(r), NULL, 0, 0, d, timeout);
}

int
pm_stage(handle_t ctl, int type, handle_t h, ferry_time_t timeout)
{
	return stage(ctl, -type, h, timeout);
}

/* Appends the string s (with its NUL) at *off in buf; false when full. */
static bool
put(char *buf, size_t *off, const char *s)
{
	size_t n = strlen(s) + 1;
	if (n > PROC_EXEC_ARGS_MAX - *off)
		return false;
	memcpy(buf + *off, s, n);
	*off += n;
	return true;
}

int
pm_spawn(handle_t ctl, const struct pm_spawn *s, ferry_time_t timeout)
{
	struct proc_exec_req req;
	struct proc_spawn_rep rep;
	size_t off = 0;
	int rc;
	memset(&req, 0, sizeof(req));
	for (int fd = 0; fd < 3; fd++)
		if (s->stdio[fd] && (rc = stage(ctl, fd, s->stdio[fd], timeout)))
			return rc;
	if ((s->root && (rc = pm_stage(ctl, AT_FERRY_VFS_ROOT, s->root, timeout))) ||
	    (s->cwd && (rc = pm_stage(ctl, AT_FERRY_CWD, s->cwd, timeout))) ||
	    (s->posixsrv && (rc = pm_stage(ctl, AT_FERRY_POSIXSRV, s->posixsrv, timeout))))
		return rc;
	char *buf = umap_anon(PROC_EXEC_ARGS_MAX);
	if (!buf)
		return -FERRY_ENOMEM;
	rc = -FERRY_E2BIG;
	if (!put(buf, &off, s->path))
		goto out;
	for (; s->argv && s->argv[req.argc]; req.argc++)
		if (!put(buf, &off, s->argv[req.argc]))
			goto out;
	for (; s->envp && s->envp[req.envc]; req.envc++)
		if (!put(buf, &off, s->envp[req.envc]))
			goto out;
	req.pl.addr = (uint64_t)buf;
	req.pl.len = PROC_EXEC_ARGS_MAX;
	req.debuglog = s->debuglog;
	req.umask = s->umask;
	rc = pm_call(ctl, PROC_SPAWN, &req, sizeof(req), &rep, sizeof(rep), FERRY_MSGF_PAYLOAD, 0,
	             timeout);
	if (rc == 0)
		rc = rep.pid;
out:
	uunmap(buf, PROC_EXEC_ARGS_MAX);
	return rc;
}

int
pm_give_vfs(handle_t ctl, handle_t sys, ferry_time_t timeout)
{
	struct proc_none_req none = {0};
	return pm_call(ctl, PROC_CTL_PROCFS, &none, sizeof(none), NULL, 0, FERRY_MSGF_HANDLES_COPY,
	               sys, timeout);
}

int
uvfs_open(handle_t dir, const char *path, uint32_t flags, ferry_time_t timeout, handle_t *out)
{
	struct ferry_msg m;
	struct vfs_open_req *r = (void *)m.data;
	size_t len = strlen(path);
	int32_t status;
	*out = 0;
	if (len > sizeof(r->names))
		return -FERRY_ENAMETOOLONG;
	memset(&m, 0, sizeof(m));
	m.op = VFS_OPEN;
	m.len = sizeof(*r);
	r->n.len = (uint16_t)len;
	r->flags = flags;
	memcpy(r->names, path, len);
	int rc = (int)ferry_sys_msg_call(dir, &m, timeout);
	if (rc)
		return rc;
	rc = -FERRY_EIO;
	if (m.len >= sizeof(status)) {
		memcpy(&status, m.data, sizeof(status));
		rc = status ? status : m.nhandles == 1 ? 0 : -FERRY_EIO;
	}
	if (rc == 0) {
		*out = m.handles[0];
		return 0;
	}
	drop_handles(&m);
	return rc;
}

int
ustart_procmgr(handle_t *ctl, handle_t *task)
{
	handle_t q, t;
	struct ustart s;
	int rc;
	if ((rc = (int)ferry_sys_queue_create(64, &q)))
		return rc;
	if ((rc = (int)ferry_sys_port_create(q, PROC_KEY_CONTROL, ctl)))
		goto out;
	memset(&s, 0, sizeof(s));
	s.handles[0] = q;
	if ((rc = uspawn("sbin/procmgr", &s, &t)) == 0) {
		if (task)
			*task = t;
		else
			ferry_sys_handle_close(t);
	}
out:
	ferry_sys_handle_close(q);
	return rc;
}

/*
 * Starts path as task cmd with a port of a new queue in start handle slot
 * slot (s's other slots as given) and waits up to timeout for the first
 * message the server sends to it, in *m.  The server's task goes to *task
 * (closed when task is NULL).
 */
static int
start_and_hear(const char *path, const char *cmd, struct ustart *s, unsigned slot,
               ferry_time_t timeout, struct ferry_msg *m, handle_t *task)
{
	handle_t q, p, t;
	int rc;
	if ((rc = (int)ferry_sys_queue_create(2, &q)))
		return rc;
	if ((rc = (int)ferry_sys_port_create(q, 1, &p)))
		goto out;
	s->handles[slot] = p;
	strlcpy(s->cmd, cmd, sizeof(s->cmd));
	rc = uspawn(path, s, &t);
	ferry_sys_handle_close(p);
	if (rc)
		goto out;
	if ((rc = (int)ferry_sys_msg_recv(q, m, timeout)) == 0 && task)
		*task = t;
	else
		ferry_sys_handle_close(t);
out:
	ferry_sys_handle_close(q);
	return rc;
}

int
ustart_vfs_task(const char *cmd, ferry_time_t timeout, handle_t *root, uint32_t *files,
                handle_t *task)
{
	struct ustart s;
	struct ferry_msg m;
	struct vfs_start_msg sm;
	handle_t t;
	memset(&s, 0, sizeof(s));
	int rc = start_and_hear("sbin/vfs", cmd, &s, 0, timeout, &m, &t);
	if (rc)
		return rc;
	memset(&sm, 0, sizeof(sm));
	memcpy(&sm, m.data, m.len < sizeof(sm) ? m.len : sizeof(sm));
	if (m.op != VFS_START_ROOT || sm.status || m.nhandles != 1) {
		drop_handles(&m);
		ferry_sys_handle_close(t);
		return sm.status ? sm.status : -FERRY_EIO;
	}
	*root = m.handles[0];
	if (files)
		*files = sm.files;
	if (task)
		*task = t;
	else
		ferry_sys_handle_close(t);
	return 0;
}

int
ustart_vfs(const char *cmd, ferry_time_t timeout, handle_t *root, uint32_t *files)
{
	return ustart_vfs_task(cmd, timeout, root, files, NULL);
}

int
ustart_posixsrv_serve_reg(ferry_time_t timeout, handle_t *service, handle_t *registrar)
{
	struct ustart s;
	struct ferry_msg m;
	memset(&s, 0, sizeof(s));
	s.handles[0] = ubootinfo->iocap;
	int rc = start_and_hear("sbin/posixsrv", "serve", &s, 1, timeout, &m, NULL);
	if (rc)
		return rc;
	if (m.nhandles != 2) {
		drop_handles(&m);
		return -FERRY_EIO;
	}
	*service = m.handles[0];
	if (registrar)
		*registrar = m.handles[1];
	else
		ferry_sys_handle_close(m.handles[1]);
	return 0;
}

int
ustart_posixsrv_serve(ferry_time_t timeout, handle_t *service)
{
	return ustart_posixsrv_serve_reg(timeout, service, NULL);
}

int
upx_set_procmgr(handle_t registrar, handle_t ctl, ferry_time_t timeout)
{
	handle_t h;
	int rc = (int)ferry_sys_handle_dup(ctl, FERRY_RIGHT_SEND | FERRY_RIGHT_TRANSFER, &h);
	if (rc)
		return rc;
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = POSIX_SET_PROCMGR;
	m.len = sizeof(struct posix_uname_req);
	m.nhandles = 1;
	m.handles[0] = h;
	rc = (int)ferry_sys_msg_call(registrar, &m, timeout);
	if (rc) {
		ferry_sys_handle_close(h);
		return rc;
	}
	int32_t status;
	memcpy(&status, m.data, sizeof(status));
	return status;
}
