/* SPDX-License-Identifier: MIT */
/*
 * posixsrv's private types and prototypes, grouped by file.
 *
 * Every object posixsrv serves is a port bound to its one queue; the
 * port's key says what it is (KEY_KIND) and which one (KEY_INDEX):
 *   KEY_SERVICE   the service port: registry lookups, pipe and tty
 *                 creation, reboot/hostname (AT_FERRY_POSIXSRV)
 *   KEY_REGISTER  the registration port given to servers posixsrv starts
 *   KEY_IRQ       the UART's interrupt binding
 *   KEY_PIPE      a pipe end: index = pipe * 2 + end (0 read, 1 write)
 *   KEY_TTY       a terminal description
 *   KEY_CHILD     exit reports from the task-watch threads
 *   KEY_SOCK      a UNIX-domain socket
 *   KEY_PTM       a pty master: index = the pty (N of /dev/pts/N)
 *   KEY_FIFO      a FIFO description
 *   KEY_MQ        a message queue description
 * posixsrv is single-threaded apart from the watch threads, which only
 * wait for a task and send one message; no state is shared with them.
 */
#ifndef POSIXSRV_H
#define POSIXSRV_H

#include <ulib.h>
#include <srv.h>
#include <srv_cred.h>
#include <ferry/proto/file.h>
#include <ferry/proto/pipe.h>
#include <ferry/proto/posix.h>
#include <ferry/proto/registry.h>
#include <ferry/proto/sock.h>
#include <ferry/proto/tty.h>
#include <ferry/proto/vfs.h>
#include <ferry/proto/proc.h>

/* procmgr's control port (include/ferry/proto/proc.h, docs/procmgr.md):
 * the key of the port the starter creates on procmgr's queue, and the
 * one-way request the terminal sends for ^C/^Z/^\ (kill(-pgrp, sig)). */
#define PX_PROC_KEY_CONTROL 0
#define PX_PROC_CTL_KILL    0x0422
struct px_proc_kill_req {
	int32_t pid;
	int32_t sig;
};

enum key_kind {
	KEY_SERVICE = 1,
	KEY_REGISTER = 2,
	KEY_IRQ = 3,
	KEY_PIPE = 4,
	KEY_TTY = 5,
	KEY_CHILD = 6,
	KEY_SOCK = 7,
	KEY_PTM = 8,
	KEY_FIFO = 9,
	KEY_MQ = 10,
};
#define KEY(kind, idx) (((uint64_t)(kind) << 32) | (uint32_t)(idx))
#define KEY_KIND(k)    ((uint32_t)((k) >> 32))
#define KEY_INDEX(k)   ((uint32_t)(k))

/* POSIX poll bits (Linux values). */
#define PX_POLLIN     0x001
#define PX_POLLOUT    0x004
#define PX_POLLERR    0x008
#define PX_POLLHUP    0x010
#define PX_POLLRDNORM 0x040
#define PX_POLLWRNORM 0x100

/* Linux open-flag bits kept on descriptions. */
#define PX_O_ACCMODE  03
#define PX_O_WRONLY   01
#define PX_O_RDWR     02
#define PX_O_NONBLOCK 04000

/* S_IF* and st_mode for stat replies. */
#define PX_S_IFIFO  0010000
#define PX_S_IFCHR  0020000
#define PX_S_IFSOCK 0140000
#define PX_S_IFREG  0100000

struct px {
	handle_t queue;
	handle_t service;     /* send handle of the service port (copies go to clients) */
	handle_t registrar;   /* send handle of the registration port */
	handle_t child_port;  /* send handle the watch threads report through */
	handle_t iocap;       /* I/O and IRQ capability, 0 when not given */
	handle_t procmgr_ctl; /* procmgr's control port, 0 until it runs */
	/* procmgr's credential table (read-only), NULL until it runs */
	const struct proc_cred_table *credtab;
	bool first;       /* the first task (else started by a test with ustart) */
	bool exiting;     /* poweroff requested: leave once output drained */
	bool report_exit; /* print FERRY-EXIT <exit_code> first (cmd=) */
	int exit_code;
};
extern struct px px;

/* main.c: nothing exported. */

/* dispatch.c */
void px_dispatch(struct ferry_msg *m);

/* xfer.c: transfer areas attached to a description (FILE_XFER_ATTACH). */
#define XFER_PER_DESC 4
struct xfer_set {
	struct {
		uint32_t id;
		handle_t mo; /* kept to see whether the client still holds it */
		uint8_t *addr;
		uint64_t size;
	} a[XFER_PER_DESC];
	uint32_t next_id;
};
/*
 * Attaches memory object mo (consumed) as a new area of s.  With all slots
 * taken and idle set (no call waits on the object, so no pointer into an
 * area is held), an area whose client is gone (only our handle and mapping
 * are left) makes room.  -FERRY_ENOSPC when none does: the client then
 * moves its data inline.
 */
int xfer_attach(struct xfer_set *s, handle_t mo, uint64_t size, bool idle, uint32_t *id);
/* The bytes [off, off + len) of area id, or NULL if out of range. */
uint8_t *xfer_ptr(struct xfer_set *s, uint32_t id, uint64_t off, uint64_t len);
void xfer_release(struct xfer_set *s);
/* FILE_XFER_ATTACH on a description owning s (idle: as xfer_attach). */
int on_file_xfer_attach_common(struct xfer_set *s, bool idle, struct srv_call *c);

/* stream.c: the file-protocol pieces posixsrv's streams share. */
/* A FILE_READ's length (clamped to 32 bits) and destination (NULL: the
 * inline reply); -FERRY_EFAULT for an area range that is not there. */
int stream_read_dst(struct xfer_set *x, const struct file_read_req *req, uint32_t *len,
                    uint8_t **dst);
/* A FILE_WRITE's source: the inline data or the area range;
 * -FERRY_EFAULT (area range), -FERRY_EINVAL (inline length). */
int stream_write_src(struct xfer_set *x, const struct file_write_req *req, const uint8_t **src);
/* Non-blocking: the request's FILE_F_NONBLOCK or the description's O_NONBLOCK. */
bool stream_nonblock(uint32_t req_flags, uint32_t desc_flags);
/* FILE_FCNTL F_GETFL/F_SETFL on *flags (F_SETFL changes O_NONBLOCK only). */
int stream_fcntl(uint32_t *flags, struct srv_call *c);
/* The FIONREAD answer n. */
int stream_fionread(struct srv_call *c, uint32_t n);
/* The one FILE_READY (cookie, revents) of an armed poll on *port, which
 * is closed and zeroed: the arm is spent. */
void stream_ready(handle_t *port, uint64_t cookie, uint32_t revents);
/* Handlers for the file ops a stream lacks: FILE_SEEK ESPIPE, FILE_TRUNCATE
 * and FILE_SYNC EINVAL, FILE_READDIR ENOTDIR (each *_msg.c names them as its
 * on_file_* before its table). */
int stream_no_seek(void *st, struct srv_call *c);
int stream_no_truncate(void *st, struct srv_call *c);
int stream_no_readdir(void *st, struct srv_call *c);
int stream_no_sync(void *st, struct srv_call *c);

/* registry.c */
int registry_add(const char *name, handle_t port);
int registry_find(const char *name, handle_t *port);
/* registry_msg.c */
extern const struct srv_op registry_ops[];
extern const uint32_t registry_nops;

/* pipe.c / pipe_msg.c */
/* Makes a port for key on the queue; *client gets a send handle, *mgr a MANAGE-only one. */
int px_make_port(port_key_t key, handle_t *client, handle_t *mgr);
#define PIPE_MAX 256
int pipe_create(uint32_t flags, handle_t *rd, handle_t *wr, uint32_t *id);
void pipe_end_closed(uint32_t index);
extern const struct srv_op pipe_ops[];
extern const uint32_t pipe_nops;
extern const struct srv_op pipe_file_ops[];
extern const uint32_t pipe_file_nops;
uint32_t pipe_count(void);
/* fifo.c / fifo_msg.c: FIFOs opened through vfs's redirect. */
int fifo_open(uint64_t id, uint32_t flags, uint64_t token, handle_t *port);
void fifo_desc_closed(uint32_t index);
uint32_t fifo_count(void);
extern const struct srv_op fifo_file_ops[];
extern const uint32_t fifo_file_nops;

/* sock.c / sock_msg.c: UNIX-domain sockets. */
#define SOCK_MAX 256
int sock_create(const struct sock_create_req *req, handle_t *h, uint32_t *id);
int sock_pair(const struct sock_create_req *req, handle_t h[2], uint32_t *id);
void sock_closed(uint32_t index);
uint32_t sock_count(void);
extern const struct srv_op sock_ops[];
extern const uint32_t sock_nops;
extern const struct srv_op sock_file_ops[];
extern const uint32_t sock_file_nops;

/* mq.c / mq_msg.c: POSIX message queues. */
void mq_desc_closed(uint32_t index);
/* Nanoseconds until the next mq_timedsend/receive deadline (FERRY_TIME_INFINITE: none). */
ferry_time_t mq_next_timeout(uint64_t now);
/* Ends the timed waits whose deadline has passed (-FERRY_ETIMEDOUT). */
void mq_timers(uint64_t now);
extern const struct srv_op mq_ops[];
extern const uint32_t mq_nops;
extern const struct srv_op mq_file_ops[];
extern const uint32_t mq_file_nops;

/* uart.c: the 16550 on COM1. */
int uart_init(handle_t iocap);
void uart_irq(void);
bool uart_present(void);
/* Queues bytes for the wire; returns how many fitted. */
size_t uart_write(const uint8_t *s, size_t n);
size_t uart_tx_space(void);
bool uart_tx_idle(void);
/* Waits (polling) until every queued byte has left the UART. */
void uart_drain(void);

/* tty.c / tty_msg.c */
#define TTY_DESC_MAX 64
int tty_console_init(void);
bool tty_console_present(void);
int tty_open(uint32_t tty, uint32_t flags, handle_t *port);
void tty_desc_closed(uint32_t index);
void tty_input(const uint8_t *s, size_t n);
void tty_tx_space(void);
/* Nanoseconds until the next VTIME deadline (FERRY_TIME_INFINITE: none). */
ferry_time_t tty_next_timeout(uint64_t now);
void tty_timers(uint64_t now);
extern const struct srv_op tty_ops[];
extern const uint32_t tty_nops;
extern const struct srv_op tty_file_ops[];
extern const uint32_t tty_file_nops;

/* pty.c / pty_msg.c: pseudo-terminals (the slave is a tty of tty.c). */
int pty_open_master(uint32_t flags, handle_t *port);
int pty_open_slave(uint32_t n, uint32_t flags, handle_t *port);
void pty_master_closed(uint32_t index);
extern const struct srv_op pty_file_ops[];
extern const uint32_t pty_file_nops;

/* sys.c: reboot, hostname. */
extern const struct srv_op posix_ops[];
extern const uint32_t posix_nops;

/* devnodes.c: VFS_BIND of posixsrv's devices and FIFOs, /dev/pts. */
void devnodes_bind(handle_t root);

/* bringup.c */
void bringup_start(void);
void bringup_child_exit(const struct ferry_msg *m);
/* vfs's start-up announcement (docs/proto/vfs.md): registers a root as "vfs"
 * for everyone and keeps the announced one, through which servers act as
 * root (docs/proto/vfs.md "Credentials"), for posixsrv and procmgr. */
void bringup_vfs_started(const struct ferry_msg *m);
/* A copy of vfs's announced root port into *out: 0, or -FERRY_ENOENT (no vfs). */
int bringup_vfs_sys(handle_t *out);
/* Watches task (not consumed) on a thread; reports tag through child_port. */
int bringup_watch(handle_t task, uint32_t tag);
void bringup_poll(void);
/* Nanoseconds the main loop may sleep before bring-up needs a look. */
ferry_time_t bringup_timeout(uint64_t now);

#endif
