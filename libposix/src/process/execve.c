/* SPDX-License-Identifier: MIT */
/*
 * execve(path, argv, envp): procmgr builds the new image in a new task and
 * ends this one (docs/procmgr.md "exec").  We stage every descriptor that
 * survives close-on-exec (a copy of its handle) and the vfs and posixsrv
 * handles, then send the strings as a lent page payload with a copy of our
 * process port.  Returning at all means the exec failed; the staged
 * handles are then dropped by procmgr.  A relative path is made absolute
 * with our working directory first: procmgr resolves paths only from
 * vfs's root, never through a port a process hands it (a port that does
 * not answer would stall it).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <ferry/startup.h>
#include <ferry/syscall.h>
#include "pm.h"

static long
stage(int32_t slot, uint32_t flags, handle_t h)
{
	struct proc_exec_handle_req r = {slot, flags};
	handle_t copy;
	long rc = ferry_sys_handle_dup(h, FERRY_RIGHT_SAME, &copy);

	if (rc < 0)
		return __ferry_status(rc);
	return __ferry_pm(PROC_EXEC_HANDLE, &r, sizeof r, 0, 0, copy, 0);
}

static long
stage_all(uint32_t *debuglog)
{
	long rc;

	/* A forked child still holding its parent's bound root and working
	 * directory must not hand them to a new image (which could then act
	 * as the parent at vfs): bound to us first (path.c). */
	if ((rc = __ferry_session()) < 0)
		return rc;
	const handle_t aux[][2] = {
	        {AT_FERRY_VFS_ROOT, __ferry_proc.vfs_root},
	        {AT_FERRY_CWD, __ferry_proc.cwd},
	        {AT_FERRY_POSIXSRV, __ferry_proc.posixsrv},
	        {AT_FERRY_LOCKS, __ferry_lock_owner()},
	};
	int fd;
	unsigned i;

	*debuglog = 0;
	for (fd = 0; fd < FERRY_FD_MAX; fd++) {
		struct ferry_fd *f = __ferry_fd_get(fd);
		if (!f || f->cloexec)
			continue;
		if (f->kind == FERRY_FD_DEBUGLOG) {
			if (fd < 32)
				*debuglog |= 1u << fd;
			continue;
		}
		if (f->port && (rc = stage(fd, 0, f->port)) < 0)
			return rc;
	}
	for (i = 0; i < sizeof aux / sizeof aux[0]; i++)
		if (aux[i][1] && (rc = stage(-(int32_t)aux[i][0], 0, aux[i][1])) < 0)
			return rc;
	return 0;
}

long __ferry_sys_getcwd(long bufp, long size, long c, long d, long e, long f);

/* path made absolute in buf (PATH_MAX bytes) with the working directory. */
static long
absolute(const char *path, char *buf, const char **out)
{
	size_t n, len = strlen(path);
	long rc;

	*out = path;
	if (path[0] == '/' || !path[0] || (!__ferry_proc.cwd && !__ferry_proc.vfs_root))
		return 0; /* without vfs procmgr looks in the boot archive */
	if ((rc = __ferry_sys_getcwd((long)buf, PATH_MAX, 0, 0, 0, 0)) < 0)
		return rc;
	n = (size_t)rc - 1;
	if (n == 0 || buf[n - 1] != '/')
		buf[n++] = '/';
	if (n + len >= PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(buf + n, path, len + 1);
	*out = buf;
	return 0;
}

long
__ferry_sys_execve(long path_, long argv_, long envp_, long d, long e, long f)
{
	const char *path = (const char *)path_, *given = path;
	char *const *argv = (char *const *)argv_, *const *envp = (char *const *)envp_;
	size_t total, n, off, len;
	uint32_t argc = 0, envc = 0;
	struct ferry_map_req mr;
	struct proc_exec_req req;
	struct ferry_msg m;
	handle_t mo;
	uintptr_t buf;
	char abspath[PATH_MAX];
	long rc;

	(void)d, (void)e, (void)f;
	if (!__ferry_proc.procmgr)
		return -ENOSYS;
	if (!path)
		return -EFAULT;
	if ((rc = absolute(path, abspath, &path)) < 0)
		return rc;
	total = strlen(path) + 1;
	for (; argv && argv[argc]; argc++)
		total += strlen(argv[argc]) + 1;
	for (; envp && envp[envc]; envc++)
		total += strlen(envp[envc]) + 1;
	if (total > PROC_EXEC_ARGS_MAX || argc > PROC_EXEC_ARGC_MAX || envc > PROC_EXEC_ARGC_MAX)
		return -E2BIG;
	len = (total + 4095) & ~(size_t)4095;
	rc = ferry_sys_memobj_create(len, FERRY_MEMOBJ_ANON, &mo);
	if (rc < 0)
		return __ferry_status(rc);
	mr = (struct ferry_map_req){0, len, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	rc = ferry_sys_vm_map(0, mo, 0, &mr, &buf);
	(void)ferry_sys_handle_close(mo);
	if (rc < 0)
		return __ferry_status(rc);
	n = strlen(path) + 1;
	memcpy((char *)buf, path, n);
	off = n;
	for (uint32_t i = 0; i < argc; i++, off += n)
		memcpy((char *)buf + off, argv[i], n = strlen(argv[i]) + 1);
	for (uint32_t i = 0; i < envc; i++, off += n)
		memcpy((char *)buf + off, envp[i], n = strlen(envp[i]) + 1);

	memset(&req, 0, sizeof req);
	req.pl.addr = buf;
	req.pl.len = len;
	req.argc = argc;
	req.envc = envc;
	req.umask = &__ferry_umask ? __ferry_umask : 022;
	req.cwdlen = (uint32_t)(strlen(path) - strlen(given));
	if ((rc = stage_all(&req.debuglog)) < 0)
		goto out;
	/* The new image gets the mask procmgr holds: it must be ours exactly
	 * (sigprocmask may have left it behind, signal/sigstate.c). */
	__ferry_sig_adopt();
	if (!__ferry_sig_known || __ferry_sigmask != __ferry_sigmask_pm)
		(void)__ferry_sig_sync(0, 0);
	memset(&m, 0, sizeof m);
	m.op = PROC_EXEC;
	m.len = sizeof req;
	m.flags = FERRY_MSGF_PAYLOAD | FERRY_MSGF_HANDLES_COPY;
	m.nhandles = 1;
	m.handles[0] = __ferry_proc.procmgr;
	memcpy(m.data, &req, sizeof req);
	rc = ferry_sys_msg_call(__ferry_proc.procmgr, &m, FERRY_TIME_INFINITE);
	if (rc >= 0) {
		int32_t status;
		memcpy(&status, m.data, sizeof status);
		rc = status < 0 ? status : -FERRY_EIO; /* success never comes back */
	}
	rc = __ferry_status(rc);
out:
	(void)ferry_sys_vm_unmap(0, buf, len);
	return rc;
}
