/* SPDX-License-Identifier: MIT */
/*
 * Protocol "posix": the system-wide calls posixsrv answers on its service
 * port (AT_FERRY_POSIXSRV): reboot/poweroff and the host name.
 *
 * POSIX_REBOOT: cmd is a Linux reboot(2) command (POSIX_REBOOT_*).  For
 * POWER_OFF and HALT posixsrv flushes the console and exits, which powers
 * the machine off (the kernel does that when the first task ends); RESTART
 * does the same today (QEMU runs with -no-reboot).  Replies 0 before it
 * goes.  Errors: -FERRY_EINVAL (unknown cmd).  CAD_ON/CAD_OFF reply 0.
 *
 * POSIX_SETHOSTNAME: name[len], len <= POSIX_HOST_NAME_MAX.  Errors:
 * -FERRY_EINVAL (len too large).  POSIX_UNAME replies with the nodename.
 *
 * POSIX_SET_PROCMGR, on the registration port only (whoever started
 * posixsrv in serve mode: a test runner that starts procmgr itself):
 * handles[0] is procmgr's control port (moved), through which posixsrv
 * sends terminal and message-queue signals; it replaces the one posixsrv
 * had.  Errors: -FERRY_EACCES (not the registration port; the handle is
 * closed).
 */
#ifndef FERRY_PROTO_POSIX_H
#define FERRY_PROTO_POSIX_H

#include <ferry/proto/proto.h>

#define POSIX_HOST_NAME_MAX 64

/* Linux reboot(2) commands. */
#define POSIX_REBOOT_RESTART   0x01234567u
#define POSIX_REBOOT_HALT      0xcdef0123u
#define POSIX_REBOOT_POWER_OFF 0x4321fedcu
#define POSIX_REBOOT_CAD_ON    0x89abcdefu
#define POSIX_REBOOT_CAD_OFF   0x00000000u

struct posix_reboot_req {
	uint32_t cmd;
	uint32_t pad;
};
struct posix_sethostname_req {
	uint32_t len;
	uint32_t pad;
	char name[POSIX_HOST_NAME_MAX];
};
struct posix_uname_req {
	uint32_t pad[2];
};
struct posix_uname_rep {
	int32_t status;
	uint32_t len;
	char nodename[POSIX_HOST_NAME_MAX + 1]; /* NUL-terminated */
	uint8_t pad[7];
};

#define POSIX_PROTO_MESSAGES(X)                                                                    \
	X(POSIX_REBOOT, posix_reboot, 0x0801, struct posix_reboot_req, struct ferry_status_rep, 0) \
	X(POSIX_SETHOSTNAME, posix_sethostname, 0x0802, struct posix_sethostname_req,              \
	  struct ferry_status_rep, 0)                                                              \
	X(POSIX_UNAME, posix_uname, 0x0803, struct posix_uname_req, struct posix_uname_rep, 0)     \
	X(POSIX_SET_PROCMGR, posix_set_procmgr, 0x0804, struct posix_uname_req,                    \
	  struct ferry_status_rep, 1)

FERRY_PROTO_DECLARE(posix, POSIX_PROTO_MESSAGES)

#endif
