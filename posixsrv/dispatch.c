// SPDX-License-Identifier: MIT
/*
 * Message routing: the port's key says which kind of object a message is
 * for, the opcode's range which protocol; each (object kind, protocol)
 * pair has its table from lib/srv, which checks sizes and handle counts
 * before any handler runs.  Notifications go to their object's owner.
 */
#include "posixsrv.h"

static struct srv registry_srv = {.base = FERRY_PROTO_BASE_REGISTRY};
static struct srv pipe_srv = {.base = FERRY_PROTO_BASE_PIPE};
static struct srv tty_srv = {.base = FERRY_PROTO_BASE_TTY};
static struct srv posix_srv = {.base = FERRY_PROTO_BASE_POSIX};
static struct srv pipe_file_srv = {.base = FERRY_PROTO_BASE_FILE};
static struct srv tty_file_srv = {.base = FERRY_PROTO_BASE_FILE};
static struct srv sock_srv = {.base = FERRY_PROTO_BASE_SOCK};
static struct srv sock_file_srv = {.base = FERRY_PROTO_BASE_FILE};
static struct srv pty_file_srv = {.base = FERRY_PROTO_BASE_FILE};
static struct srv fifo_file_srv = {.base = FERRY_PROTO_BASE_FILE};
static struct srv mq_srv = {.base = FERRY_PROTO_BASE_MQ};
static struct srv mq_file_srv = {.base = FERRY_PROTO_BASE_FILE};
static bool ready;

static void
setup(void)
{
	registry_srv.ops = registry_ops, registry_srv.nops = registry_nops;
	pipe_srv.ops = pipe_ops, pipe_srv.nops = pipe_nops;
	tty_srv.ops = tty_ops, tty_srv.nops = tty_nops;
	posix_srv.ops = posix_ops, posix_srv.nops = posix_nops;
	pipe_file_srv.ops = pipe_file_ops, pipe_file_srv.nops = pipe_file_nops;
	tty_file_srv.ops = tty_file_ops, tty_file_srv.nops = tty_file_nops;
	sock_srv.ops = sock_ops, sock_srv.nops = sock_nops;
	sock_file_srv.ops = sock_file_ops, sock_file_srv.nops = sock_file_nops;
	pty_file_srv.ops = pty_file_ops, pty_file_srv.nops = pty_file_nops;
	fifo_file_srv.ops = fifo_file_ops, fifo_file_srv.nops = fifo_file_nops;
	mq_srv.ops = mq_ops, mq_srv.nops = mq_nops;
	mq_file_srv.ops = mq_file_ops, mq_file_srv.nops = mq_file_nops;
	ready = true;
}

static void
notify(const struct ferry_msg *m)
{
	uint32_t idx = KEY_INDEX(m->key);
	switch (m->op) {
	case FERRY_NOTIFY_NO_SENDERS:
		if (KEY_KIND(m->key) == KEY_PIPE)
			pipe_end_closed(idx);
		else if (KEY_KIND(m->key) == KEY_TTY)
			tty_desc_closed(idx);
		else if (KEY_KIND(m->key) == KEY_SOCK)
			sock_closed(idx);
		else if (KEY_KIND(m->key) == KEY_PTM)
			pty_master_closed(idx);
		else if (KEY_KIND(m->key) == KEY_FIFO)
			fifo_desc_closed(idx);
		else if (KEY_KIND(m->key) == KEY_MQ)
			mq_desc_closed(idx);
		break;
	case FERRY_NOTIFY_IRQ:
		if (KEY_KIND(m->key) == KEY_IRQ)
			uart_irq();
		break;
	}
}

void
px_dispatch(struct ferry_msg *m)
{
	if (!ready)
		setup();
	if (m->op >= FERRY_NOTIFY_BASE) {
		notify(m);
		return;
	}
	struct srv *s = NULL;
	switch (KEY_KIND(m->key)) {
	case KEY_SERVICE:
	case KEY_REGISTER:
		switch (m->op & ~(uint32_t)(FERRY_PROTO_RANGE - 1)) {
		case FERRY_PROTO_BASE_REGISTRY:
			s = &registry_srv;
			break;
		case FERRY_PROTO_BASE_PIPE:
			s = &pipe_srv;
			break;
		case FERRY_PROTO_BASE_TTY:
			s = &tty_srv;
			break;
		case FERRY_PROTO_BASE_POSIX:
			s = &posix_srv;
			break;
		case FERRY_PROTO_BASE_SOCK:
			s = &sock_srv;
			break;
		case FERRY_PROTO_BASE_MQ:
			s = &mq_srv;
			break;
		}
		break;
	case KEY_SOCK:
		s = (m->op & ~(uint32_t)(FERRY_PROTO_RANGE - 1)) == FERRY_PROTO_BASE_SOCK
		            ? &sock_srv
		            : &sock_file_srv;
		break;
	case KEY_MQ:
		s = (m->op & ~(uint32_t)(FERRY_PROTO_RANGE - 1)) == FERRY_PROTO_BASE_MQ
		            ? &mq_srv
		            : &mq_file_srv;
		break;
	case KEY_PIPE:
		s = &pipe_file_srv;
		break;
	case KEY_TTY:
		s = &tty_file_srv;
		break;
	case KEY_PTM:
		s = &pty_file_srv;
		break;
	case KEY_FIFO:
		s = &fifo_file_srv;
		break;
	case KEY_CHILD:
		bringup_child_exit(m);
		return;
	}
	if (KEY_KIND(m->key) == KEY_REGISTER && m->op == VFS_START_ROOT && !m->token) {
		bringup_vfs_started(m);
		return;
	}
	/* Unknown protocol: any table answers -FERRY_ENOSYS and drops handles. */
	srv_dispatch(s ? s : &posix_srv, m);
}
