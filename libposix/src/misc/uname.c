/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <ferry/proto/posix.h>
#include "libposix.h"

/*
 * uname(buf): fixed system identity; the node name comes from posixsrv
 * ("ferry" until sethostname), or "ferry" when posixsrv is not reachable.
 */
long
__ferry_sys_uname(long buf, long b, long c, long d, long e, long f)
{
	struct utsname *u = (struct utsname *)buf;
	struct posix_uname_req req = {{0, 0}};
	struct posix_uname_rep rep;

	(void)b, (void)c, (void)d, (void)e, (void)f;
	if (!u)
		return -EFAULT;
	memset(u, 0, sizeof *u);
	strcpy(u->sysname, "Ferry");
	strcpy(u->release, "0.1.0");
	strcpy(u->version, "#1");
	strcpy(u->machine, "x86_64");
	strcpy(u->nodename, "ferry");
	strcpy(u->__domainname, "(none)");
	if (__ferry_proc.posixsrv && __ferry_rpc(__ferry_proc.posixsrv, POSIX_UNAME, &req,
	                                         sizeof req, &rep, sizeof rep, 0, 0) == 0) {
		rep.nodename[POSIX_HOST_NAME_MAX] = 0;
		strncpy(u->nodename, rep.nodename, sizeof u->nodename - 1);
	}
	return 0;
}
