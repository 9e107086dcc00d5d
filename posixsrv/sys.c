// SPDX-License-Identifier: MIT
/*
 * System-wide calls (include/ferry/proto/posix.h): reboot/poweroff and
 * the host name, procmgr's control port for a posixsrv in serve mode.  Power-off is posixsrv leaving: the kernel powers the
 * machine off when its first task ends, so POSIX_REBOOT replies first and
 * the main loop exits once the console has drained.
 */
#include "posixsrv.h"

static char hostname[POSIX_HOST_NAME_MAX + 1] = "ferry";

static int
on_posix_reboot(void *st, struct srv_call *c)
{
	(void)st;
	const struct posix_reboot_req *req = SRV_REQ(c, struct posix_reboot_req);
	switch (req->cmd) {
	case POSIX_REBOOT_CAD_ON:
	case POSIX_REBOOT_CAD_OFF:
		return 0;
	case POSIX_REBOOT_POWER_OFF:
	case POSIX_REBOOT_HALT:
	case POSIX_REBOOT_RESTART:
		uprintf("posixsrv: %s requested\n",
		        req->cmd == POSIX_REBOOT_RESTART
		                ? "restart (powering off: QEMU runs -no-reboot)"
		                : "power-off");
		px.exiting = true;
		px.exit_code = 0;
		return 0;
	}
	return -FERRY_EINVAL;
}

static int
on_posix_sethostname(void *st, struct srv_call *c)
{
	(void)st;
	const struct posix_sethostname_req *req = SRV_REQ(c, struct posix_sethostname_req);
	if (req->len > POSIX_HOST_NAME_MAX)
		return -FERRY_EINVAL;
	memcpy(hostname, req->name, req->len);
	hostname[req->len] = 0;
	return 0;
}

static int
on_posix_uname(void *st, struct srv_call *c)
{
	(void)st;
	struct posix_uname_rep *rep = SRV_REP(c, struct posix_uname_rep);
	rep->len = (uint32_t)strlcpy(rep->nodename, hostname, sizeof(rep->nodename));
	return 0;
}

static int
on_posix_set_procmgr(void *st, struct srv_call *c)
{
	(void)st;
	handle_t h = c->req->handles[0];
	if (KEY_KIND(c->key) != KEY_REGISTER) {
		ferry_sys_handle_close(h);
		return -FERRY_EACCES;
	}
	if (px.procmgr_ctl)
		ferry_sys_handle_close(px.procmgr_ctl);
	px.procmgr_ctl = h;
	return 0;
}

const struct srv_op posix_ops[] = {POSIX_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t posix_nops = sizeof(posix_ops) / sizeof(posix_ops[0]);
