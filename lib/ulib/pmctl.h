/* SPDX-License-Identifier: MIT */
/*
 * Starting the POSIX servers and processes without libposix: what
 * posixsrv's bring-up and the test runners share.  procmgr's control port
 * (docs/procmgr.md "Starting procmgr", docs/proto/proc.md) and vfs's
 * start-up handshake (docs/proto/vfs.md "Start-up").
 */
#ifndef ULIB_PMCTL_H
#define ULIB_PMCTL_H

#include "ulib.h"

/*
 * One call on procmgr's control port ctl, carrying h when nonzero (moved,
 * or copied with FERRY_MSGF_HANDLES_COPY in flags).  The reply's status,
 * or the call's error; the first replen bytes of the reply go to rep.
 */
int pm_call(handle_t ctl, uint32_t op, const void *req, size_t reqlen, void *rep, size_t replen,
            uint8_t flags, handle_t h, ferry_time_t timeout);

/* Stages a copy of h for the next spawn as auxv entry type (AT_FERRY_*). */
int pm_stage(handle_t ctl, int type, handle_t h, ferry_time_t timeout);

struct pm_spawn {
	const char *path; /* absolute */
	const char *const *argv, *const *envp;
	handle_t root, cwd, posixsrv; /* staged (copies) when nonzero */
	uint32_t debuglog;            /* fds (bit n = fd n) on the kernel log */
	uint32_t umask;
	handle_t stdio[3]; /* fds 0, 1, 2: staged (copies) when nonzero */
};
/* PROC_SPAWN of s: the new pid, or a negative status (E2BIG: path, argv
 * and envp do not fit in PROC_EXEC_ARGS_MAX). */
int pm_spawn(handle_t ctl, const struct pm_spawn *s, ferry_time_t timeout);

/*
 * PROC_CTL_PROCFS with a copy of vfs's announced root sys: procmgr finds
 * programs through it, mounts /proc and hands vfs its credential table,
 * so that vfs checks each process against its own ids (docs/proto/vfs.md
 * "Credentials").  posixsrv's bring-up and every harness that starts
 * processes with procmgr and vfs call it before the first spawn.
 * procmgr's status (-FERRY_EBUSY: it has a vfs already).
 */
int pm_give_vfs(handle_t ctl, handle_t sys, ferry_time_t timeout);

/*
 * VFS_OPEN of path (inline, so at most the request's names[] bytes)
 * through the directory port dir with flags (VFS_O_*): the new
 * description in *out.  What a starter hands a process is opened this
 * way: "/" (VFS_O_PATH | VFS_O_DIRECTORY) as its root and working
 * directory, a root of nobody's until the process binds it with its
 * token; /dev/null for a descriptor without a terminal.  vfs's status,
 * -FERRY_ENAMETOOLONG, -FERRY_EIO (a reply without the handle).
 */
int uvfs_open(handle_t dir, const char *path, uint32_t flags, ferry_time_t timeout, handle_t *out);

/* Starts procmgr from the boot archive: its control port in *ctl, its
 * task in *task (closed when task is NULL). */
int ustart_procmgr(handle_t *ctl, handle_t *task);

/* Starts sbin/vfs (task name cmd) and waits up to timeout for its root
 * port (*root) and the count of boot-archive members it unpacked. */
int ustart_vfs(const char *cmd, ferry_time_t timeout, handle_t *root, uint32_t *files);
/* The same, also keeping vfs's task in *task (for a harness that may
 * have to replace it). */
int ustart_vfs_task(const char *cmd, ferry_time_t timeout, handle_t *root, uint32_t *files,
                    handle_t *task);

/* Starts posixsrv serving only (pipes, FIFOs, sockets, the registry; no
 * bring-up): its service port in *service. */
int ustart_posixsrv_serve(ferry_time_t timeout, handle_t *service);
/* The same, also keeping its registration port in *registrar. */
int ustart_posixsrv_serve_reg(ferry_time_t timeout, handle_t *service, handle_t *registrar);
/* Gives posixsrv (through its registration port) a copy of procmgr's
 * control port ctl, for the signals of terminals and message queues. */
int upx_set_procmgr(handle_t registrar, handle_t ctl, ferry_time_t timeout);

#endif
