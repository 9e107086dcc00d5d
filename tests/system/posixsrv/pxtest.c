// SPDX-License-Identifier: MIT
/*
 * The posixsrv system suite (first task: first=bin/pxtest).  pxtest starts
 * posixsrv in test mode (cmd "serve", with the I/O capability so the
 * console is real) and talks to its ports with the registry, pipe, tty,
 * posix and file protocols, error paths included.  Copies of pxtest with
 * a role (ustart->cmd) act as peers in other tasks.
 */
#include <ulib.h>
#include <ferry/proto/file.h>
#include <ferry/proto/mq.h>
#include <ferry/proto/pipe.h>
#include <ferry/proto/posix.h>
#include <ferry/proto/registry.h>
#include <ferry/proto/sock.h>
#include <ferry/proto/tty.h>

#define MS         1000000ull
#define PX_POLLIN_ 0x001
#define SOCK_MAX_  256 /* posixsrv's socket table */

static handle_t service, registrar, server_task;

/* Calls port with op and req; copies the reply's data into rep; returns the status. */
static int
call(handle_t port, uint32_t op, const void *req, size_t reqlen, void *rep, size_t replen,
     struct ferry_msg *out)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.len = (uint16_t)reqlen;
	if (req)
		memcpy(m.data, req, reqlen);
	long rc = ferry_sys_msg_call(port, &m, 5000 * MS);
	if (rc)
		return (int)rc;
	if (rep)
		memcpy(rep, m.data, replen);
	if (out)
		*out = m;
	int32_t st;
	memcpy(&st, m.data, 4);
	return st;
}

static int
pipe_new(uint32_t flags, handle_t *rd, handle_t *wr)
{
	struct pipe_create_req req = {flags, 0};
	struct ferry_msg m;
	int rc = call(service, PIPE_CREATE, &req, sizeof(req), NULL, 0, &m);
	if (rc == 0) {
		*rd = m.handles[0];
		*wr = m.handles[1];
	}
	return rc;
}

static int
fwrite_inline(handle_t port, const char *s, size_t n, uint32_t flags, uint32_t *done)
{
	struct file_write_req req;
	memset(&req, 0, sizeof(req));
	req.len = (uint32_t)n;
	req.flags = flags;
	req.offset = -1;
	memcpy(req.data, s, n);
	struct file_write_rep rep = {0, 0};
	int rc = call(port, FILE_WRITE, &req, sizeof(req), &rep, sizeof(rep), NULL);
	if (done)
		*done = rep.len;
	return rc;
}

static int
fread_inline(handle_t port, char *buf, size_t n, uint32_t flags, uint32_t *got)
{
	struct file_read_req req = {n, -1, flags, 0, 0, 0, 0};
	struct file_read_rep rep;
	memset(&rep, 0, sizeof(rep));
	int rc = call(port, FILE_READ, &req, sizeof(req), &rep, sizeof(rep), NULL);
	*got = rep.len;
	if (rc == 0 && rep.len <= n)
		memcpy(buf, rep.data, rep.len);
	return rc;
}

static int
fioctl(handle_t port, uint32_t cmd, const void *arg, uint32_t len, void *out, uint32_t outlen)
{
	struct file_ioctl_req req;
	memset(&req, 0, sizeof(req));
	req.cmd = cmd;
	req.len = len;
	if (arg)
		memcpy(req.data, arg, len);
	struct file_ioctl_rep rep;
	memset(&rep, 0, sizeof(rep));
	int rc = call(port, FILE_IOCTL, &req, sizeof(req), &rep, sizeof(rep), NULL);
	if (out)
		memcpy(out, rep.data, outlen);
	return rc;
}

static handle_t
spawn_role(const char *role, handle_t h0, handle_t h1)
{
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, role, sizeof(s.cmd));
	s.handles[0] = h0;
	s.handles[1] = h1;
	handle_t t;
	int rc = uspawn("bin/pxtest", &s, &t);
	if (rc)
		upanic("spawn %s: %s", role, ferry_strerror(rc));
	return t;
}

static int
wait_task(handle_t t)
{
	int code = -999;
	long rc = ferry_sys_task_wait(t, &code, 5000 * MS);
	ferry_sys_handle_close(t);
	return rc ? (int)rc : code;
}

/* ---- registry ---- */

UTEST(reg_self, "PX0001", "the registry knows posixsrv, and its port answers uname")
{
	struct registry_lookup_req req;
	memset(&req, 0, sizeof(req));
	strlcpy(req.name, "posixsrv", sizeof(req.name));
	struct ferry_msg m;
	UEXPECT_EQ(call(service, REGISTRY_LOOKUP, &req, sizeof(req), NULL, 0, &m), 0);
	UEXPECT_EQ(m.nhandles, 1);
	struct posix_uname_rep rep;
	struct posix_uname_req ureq = {{0, 0}};
	UEXPECT_EQ(call(m.handles[0], POSIX_UNAME, &ureq, sizeof(ureq), &rep, sizeof(rep), NULL),
	           0);
	UEXPECT(!strcmp(rep.nodename, "ferry"));
	ferry_sys_handle_close(m.handles[0]);
}

static int
reg(handle_t via, const char *name, handle_t h)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = REGISTRY_REGISTER;
	m.len = sizeof(struct registry_register_req);
	memcpy(m.data, name, strlen(name) < REGISTRY_NAME_MAX ? strlen(name) : REGISTRY_NAME_MAX);
	m.nhandles = h ? 1 : 0;
	m.handles[0] = h;
	long rc = ferry_sys_msg_call(via, &m, 5000 * MS);
	if (rc)
		return (int)rc;
	int32_t st;
	memcpy(&st, m.data, 4);
	return st;
}

UTEST(reg_rules, "PX0002",
      "register: only via the registration port, names unique and terminated, ports only")
{
	handle_t q, p, p2, p3, p4, mo;
	UEXPECT_EQ(ferry_sys_queue_create(4, &q), 0);
	UEXPECT_EQ(ferry_sys_port_create(q, 7, &p), 0);
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &p2), 0);
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &p3), 0);
	UEXPECT_EQ(ferry_sys_handle_dup(p, FERRY_RIGHT_SAME, &p4), 0);
	UEXPECT_EQ(reg(service, "pxsvc", p), -FERRY_EPERM);
	UEXPECT_EQ(reg(registrar, "pxsvc", p2), 0);
	UEXPECT_EQ(reg(registrar, "pxsvc", p3), -FERRY_EEXIST);
	UEXPECT_EQ(reg(registrar, "0123456789abcdef0123456789abcdefXX", p4), -FERRY_EINVAL);
	UEXPECT_EQ(ferry_sys_memobj_create(4096, 0, &mo), 0);
	UEXPECT_EQ(reg(registrar, "pxmem", mo), -FERRY_EINVAL);
	UEXPECT_EQ(reg(registrar, "pxnone", 0),
	           -FERRY_EINVAL); /* handle count checked by lib/srv */
	struct registry_lookup_req req;
	memset(&req, 0, sizeof(req));
	strlcpy(req.name, "nosuch", sizeof(req.name));
	UEXPECT_EQ(call(service, REGISTRY_LOOKUP, &req, sizeof(req), NULL, 0, NULL), -FERRY_ENOENT);
	strlcpy(req.name, "pxsvc", sizeof(req.name));
	struct ferry_msg m;
	UEXPECT_EQ(call(service, REGISTRY_LOOKUP, &req, sizeof(req), NULL, 0, &m), 0);
	struct ferry_handle_info a, b;
	ferry_sys_handle_info(m.handles[0], &a);
	ferry_sys_handle_info(q, &b);
	UEXPECT_EQ(a.type, FERRY_OBJ_PORT);
	ferry_sys_handle_close(m.handles[0]);
	ferry_sys_handle_close(q);
}

/* ---- pipes ---- */

UTEST(pipe_basic, "PX0003", "a pipe carries bytes from the write end to the read end, in order")
{
	handle_t r, w;
	UEXPECT_EQ(pipe_new(0, &r, &w), 0);
	uint32_t n;
	UEXPECT_EQ(fwrite_inline(w, "hello ", 6, 0, &n), 0);
	UEXPECT_EQ(n, 6);
	UEXPECT_EQ(fwrite_inline(w, "world", 5, 0, &n), 0);
	char buf[64];
	UEXPECT_EQ(fread_inline(r, buf, 64, 0, &n), 0);
	UEXPECT_EQ(n, 11);
	UEXPECT(!memcmp(buf, "hello world", 11));
	ferry_sys_handle_close(r);
	ferry_sys_handle_close(w);
}

UTEST(pipe_errors, "PX0004",
      "empty non-blocking read EAGAIN; wrong end EBADF; seek ESPIPE; not a tty")
{
	handle_t r, w;
	UEXPECT_EQ(pipe_new(0, &r, &w), 0);
	char buf[8];
	uint32_t n;
	UEXPECT_EQ(fread_inline(r, buf, 8, FILE_F_NONBLOCK, &n), -FERRY_EAGAIN);
	UEXPECT_EQ(fread_inline(w, buf, 8, FILE_F_NONBLOCK, &n), -FERRY_EBADH);
	UEXPECT_EQ(fwrite_inline(r, "x", 1, 0, &n), -FERRY_EBADH);
	struct file_seek_req s = {0, 0, 0};
	UEXPECT_EQ(call(r, FILE_SEEK, &s, sizeof(s), NULL, 0, NULL), -FERRY_ESPIPE);
	struct tty_termios tio;
	UEXPECT_EQ(fioctl(r, TTY_TCGETS, NULL, 0, &tio, sizeof(tio)), -FERRY_ENOTTY);
	UEXPECT_EQ(fwrite_inline(w, "abc", 3, 0, &n), 0);
	int32_t avail = 0;
	UEXPECT_EQ(fioctl(r, TTY_FIONREAD, NULL, 0, &avail, 4), 0);
	UEXPECT_EQ(avail, 3);
	struct file_stat_rep st;
	struct file_stat_req sreq = {{0, 0}};
	UEXPECT_EQ(call(r, FILE_STAT, &sreq, sizeof(sreq), &st, sizeof(st), NULL), 0);
	UEXPECT_EQ(st.st.mode & 0170000, 0010000);
	ferry_sys_handle_close(r);
	ferry_sys_handle_close(w);
}

UTEST(pipe_eof, "PX0005", "reads see end of file once every write handle is closed, after the data")
{
	handle_t r, w, w2;
	UEXPECT_EQ(pipe_new(0, &r, &w), 0);
	UEXPECT_EQ(ferry_sys_handle_dup(w, FERRY_RIGHT_SAME, &w2), 0);
	uint32_t n;
	UEXPECT_EQ(fwrite_inline(w, "tail", 4, 0, &n), 0);
	ferry_sys_handle_close(w);
	char buf[8];
	UEXPECT_EQ(fread_inline(r, buf, 8, FILE_F_NONBLOCK, &n), 0);
	UEXPECT_EQ(n, 4);
	UEXPECT_EQ(fread_inline(r, buf, 8, FILE_F_NONBLOCK, &n), -FERRY_EAGAIN); /* w2 still open */
	ferry_sys_handle_close(w2);
	UEXPECT_EQ(fread_inline(r, buf, 8, 0, &n), 0);
	UEXPECT_EQ(n, 0);
	ferry_sys_handle_close(r);
}

UTEST(pipe_epipe, "PX0006", "writes fail with EPIPE once the read end is closed")
{
	handle_t r, w;
	UEXPECT_EQ(pipe_new(0, &r, &w), 0);
	ferry_sys_handle_close(r);
	uint32_t n;
	int rc = 0;
	/* The no-senders notice may trail our call by one message. */
	for (int i = 0; i < 100 && (rc = fwrite_inline(w, "x", 1, 0, &n)) == 0; i++)
		ferry_sys_thread_sleep(MS);
	UEXPECT_EQ(rc, -FERRY_EPEER);
	ferry_sys_handle_close(w);
}

static int
role_echo(void)
{
	/* handles[0]: read end of pipe A, handles[1]: write end of pipe B. */
	char buf[64];
	uint32_t n;
	for (;;) {
		int rc = fread_inline(ustart->handles[0], buf, sizeof(buf), 0, &n);
		if (rc)
			return 10;
		if (n == 0)
			return 0; /* EOF: done */
		if (fwrite_inline(ustart->handles[1], buf, n, 0, &n))
			return 11;
	}
}

UTEST(pipe_block, "PX0007", "blocking reads wait for data in another task; EOF ends the peer")
{
	handle_t ar, aw, br, bw;
	UEXPECT_EQ(pipe_new(0, &ar, &aw), 0);
	UEXPECT_EQ(pipe_new(0, &br, &bw), 0);
	handle_t t = spawn_role("echo", ar, bw);
	ferry_sys_handle_close(ar);
	ferry_sys_handle_close(bw);
	for (int i = 0; i < 20; i++) {
		char msg[16], buf[64];
		usnprintf(msg, sizeof(msg), "ping %d", i);
		uint32_t n;
		UEXPECT_EQ(fwrite_inline(aw, msg, strlen(msg), 0, &n), 0);
		UEXPECT_EQ(fread_inline(br, buf, sizeof(buf), 0, &n), 0);
		UEXPECT_EQ(n, strlen(msg));
		UEXPECT(!memcmp(buf, msg, n));
	}
	ferry_sys_handle_close(aw);
	UEXPECT_EQ(wait_task(t), 0);
	char buf[4];
	uint32_t n;
	UEXPECT_EQ(fread_inline(br, buf, 4, 0, &n), 0); /* the peer's exit closed B's write end */
	UEXPECT_EQ(n, 0);
	ferry_sys_handle_close(br);
}

static handle_t
attach(handle_t port, uint64_t size, uint8_t **addr, uint32_t *id)
{
	handle_t mo, mine;
	if (ferry_sys_memobj_create(size, 0, &mo) ||
	    ferry_sys_handle_dup(mo, FERRY_RIGHT_SAME, &mine))
		upanic("memobj");
	struct ferry_map_req r = {0, size, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t a;
	if (ferry_sys_vm_map(0, mine, 0, &r, &a))
		upanic("map");
	*addr = (uint8_t *)a;
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = FILE_XFER_ATTACH;
	m.len = sizeof(struct file_xfer_attach_req);
	memcpy(m.data, &size, 8);
	m.nhandles = 1;
	m.handles[0] = mo;
	if (ferry_sys_msg_call(port, &m, 5000 * MS))
		upanic("attach call");
	struct file_xfer_attach_rep rep;
	memcpy(&rep, m.data, sizeof(rep));
	*id = rep.status ? 0 : rep.id;
	return mine;
}

static int
xwrite(handle_t port, uint32_t id, uint64_t off, uint32_t len, uint32_t flags, uint32_t *done)
{
	struct file_write_req req;
	memset(&req, 0, sizeof(req));
	req.len = len;
	req.flags = flags;
	req.offset = -1;
	req.xfer = id;
	req.xfer_off = off;
	struct file_write_rep rep = {0, 0};
	int rc = call(port, FILE_WRITE, &req, sizeof(req), &rep, sizeof(rep), NULL);
	*done = rep.len;
	return rc;
}

static int
xread(handle_t port, uint32_t id, uint64_t off, uint32_t len, uint32_t flags, uint32_t *got)
{
	struct file_read_req req = {len, -1, flags, id, off, 0, 0};
	struct file_read_rep rep = {0, 0, {0}};
	int rc = call(port, FILE_READ, &req, sizeof(req), &rep, sizeof(rep), NULL);
	*got = rep.len;
	return rc;
}

UTEST(pipe_atomic, "PX0008",
      "capacity, PIPE_BUF atomicity and partial large writes through transfer areas")
{
	handle_t r, w;
	UEXPECT_EQ(pipe_new(PIPE_O_NONBLOCK, &r, &w), 0);
	uint8_t *wa, *ra;
	uint32_t wid, rid, n;
	handle_t wmo = attach(w, 65536, &wa, &wid);
	handle_t rmo = attach(r, 65536, &ra, &rid);
	UEXPECT(wid && rid);
	for (int i = 0; i < 65536; i++)
		wa[i] = (uint8_t)(i * 7);
	UEXPECT_EQ(xwrite(w, wid, 0, 65536 - 100, 0, &n), 0);
	UEXPECT_EQ(n, 65536 - 100);
	UEXPECT_EQ(xwrite(w, wid, 0, 4096, 0, &n), -FERRY_EAGAIN); /* atomic: all or nothing */
	UEXPECT_EQ(xwrite(w, wid, 0, 5000, 0, &n), 0);             /* large: partial */
	UEXPECT_EQ(n, 100);
	UEXPECT_EQ(xwrite(w, wid, 0, 1, 0, &n), -FERRY_EAGAIN);
	UEXPECT_EQ(xread(r, rid, 0, 65536, 0, &n), 0);
	UEXPECT_EQ(n, 65536);
	int bad = 0;
	for (int i = 0; i < 65436; i++)
		bad += ra[i] != (uint8_t)(i * 7);
	UEXPECT_EQ(bad, 0);
	UEXPECT_EQ(xwrite(w, wid, 65000, 4096, 0, &n), -FERRY_EFAULT); /* beyond the area */
	UEXPECT_EQ(xwrite(w, 99, 0, 16, 0, &n), -FERRY_EFAULT);        /* unknown area */
	ferry_sys_handle_close(wmo);
	ferry_sys_handle_close(rmo);
	ferry_sys_handle_close(r);
	ferry_sys_handle_close(w);
}

UTEST(pipe_poll, "PX0009",
      "poll: ready now answers at once; armed, FILE_READY arrives when data comes")
{
	handle_t r, w, q, p;
	UEXPECT_EQ(pipe_new(0, &r, &w), 0);
	UEXPECT_EQ(ferry_sys_queue_create(4, &q), 0);
	UEXPECT_EQ(ferry_sys_port_create(q, 0x77, &p), 0);
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = FILE_POLL;
	struct file_poll_req req = {1 /* POLLIN */, 0, 0xc00c1e};
	m.len = sizeof(req);
	memcpy(m.data, &req, sizeof(req));
	m.nhandles = 1;
	m.handles[0] = p;
	m.flags = FERRY_MSGF_HANDLES_COPY;
	UEXPECT_EQ(ferry_sys_msg_call(r, &m, 5000 * MS), 0);
	struct file_poll_rep rep;
	memcpy(&rep, m.data, sizeof(rep));
	UEXPECT_EQ(rep.status, 0);
	UEXPECT_EQ(rep.revents, 0);
	/* Write end: writable now. */
	memset(&m, 0, sizeof(m));
	m.op = FILE_POLL;
	req.events = 4;
	m.len = sizeof(req);
	memcpy(m.data, &req, sizeof(req));
	m.nhandles = 1;
	m.handles[0] = p;
	m.flags = FERRY_MSGF_HANDLES_COPY;
	UEXPECT_EQ(ferry_sys_msg_call(w, &m, 5000 * MS), 0);
	memcpy(&rep, m.data, sizeof(rep));
	UEXPECT_EQ(rep.revents & 4, 4);
	uint32_t n;
	UEXPECT_EQ(fwrite_inline(w, "!", 1, 0, &n), 0);
	struct ferry_msg ev;
	UEXPECT_EQ(ferry_sys_msg_recv(q, &ev, 2000 * MS), 0);
	UEXPECT_EQ(ev.op, FILE_READY);
	UEXPECT_EQ(ev.key, 0x77);
	uint64_t cookie;
	uint32_t revents;
	memcpy(&cookie, ev.data, 8);
	memcpy(&revents, ev.data + 8, 4);
	UEXPECT_EQ(cookie, 0xc00c1e);
	UEXPECT_EQ(revents & 1, 1);
	ferry_sys_handle_close(p);
	ferry_sys_handle_close(q);
	ferry_sys_handle_close(r);
	ferry_sys_handle_close(w);
}

UTEST(pipe_fcntl, "PX0010",
      "F_SETFL O_NONBLOCK on an end makes its reads return EAGAIN; F_GETFL reports it")
{
	handle_t r, w;
	UEXPECT_EQ(pipe_new(0, &r, &w), 0);
	struct file_fcntl_req req = {FILE_FCNTL_SETFL, 04000};
	UEXPECT_EQ(call(r, FILE_FCNTL, &req, sizeof(req), NULL, 0, NULL), 0);
	struct file_fcntl_rep rep;
	req.cmd = FILE_FCNTL_GETFL;
	UEXPECT_EQ(call(r, FILE_FCNTL, &req, sizeof(req), &rep, sizeof(rep), NULL), 0);
	UEXPECT_EQ(rep.value, 04000);
	UEXPECT_EQ(call(w, FILE_FCNTL, &req, sizeof(req), &rep, sizeof(rep), NULL), 0);
	UEXPECT_EQ(rep.value, 01);
	char buf[4];
	uint32_t n;
	UEXPECT_EQ(fread_inline(r, buf, 4, 0, &n), -FERRY_EAGAIN);
	ferry_sys_handle_close(r);
	ferry_sys_handle_close(w);
}

UTEST(pipe_flood, "PX0011", "a flood of pipe creations hits ENFILE; closing them frees the table")
{
	static handle_t ends[2 * 300];
	int made = 0, rc = 0;
	while (made < 300 && (rc = pipe_new(0, &ends[2 * made], &ends[2 * made + 1])) == 0)
		made++;
	UEXPECT_EQ(rc, -FERRY_ENFILE);
	UEXPECT(made >= 200);
	for (int i = 0; i < 2 * made; i++)
		ferry_sys_handle_close(ends[i]);
	handle_t r = 0, w = 0;
	rc = -1;
	for (int i = 0; i < 200 && (rc = pipe_new(0, &r, &w)) != 0; i++)
		ferry_sys_thread_sleep(MS);
	UEXPECT_EQ(rc, 0);
	ferry_sys_handle_close(r);
	ferry_sys_handle_close(w);
}

UTEST(bad_input, "PX0012",
      "short requests EINVAL, unknown ops ENOSYS, stray handles dropped, bad flags EINVAL")
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = PIPE_CREATE;
	m.len = 2;
	UEXPECT_EQ(ferry_sys_msg_call(service, &m, 5000 * MS), 0);
	int32_t st;
	memcpy(&st, m.data, 4);
	UEXPECT_EQ(st, -FERRY_EINVAL);
	memset(&m, 0, sizeof(m));
	m.op = 0x0999;
	UEXPECT_EQ(ferry_sys_msg_call(service, &m, 5000 * MS), 0);
	memcpy(&st, m.data, 4);
	UEXPECT_EQ(st, -FERRY_ENOSYS);
	memset(&m, 0, sizeof(m));
	m.op = FILE_READ; /* the service port is no description */
	m.len = sizeof(struct file_read_req);
	UEXPECT_EQ(ferry_sys_msg_call(service, &m, 5000 * MS), 0);
	memcpy(&st, m.data, 4);
	UEXPECT_EQ(st, -FERRY_ENOSYS);
	handle_t mo;
	UEXPECT_EQ(ferry_sys_memobj_create(4096, 0, &mo), 0);
	memset(&m, 0, sizeof(m));
	m.op = POSIX_UNAME;
	m.len = sizeof(struct posix_uname_req);
	m.nhandles = 1;
	m.handles[0] = mo;
	UEXPECT_EQ(ferry_sys_msg_call(service, &m, 5000 * MS), 0);
	memcpy(&st, m.data, 4);
	UEXPECT_EQ(st, -FERRY_EINVAL);
	handle_t r, w;
	UEXPECT_EQ(pipe_new(0x1, &r, &w), -FERRY_EINVAL);
	struct posix_reboot_req rb = {0x1234, 0};
	UEXPECT_EQ(call(service, POSIX_REBOOT, &rb, sizeof(rb), NULL, 0, NULL), -FERRY_EINVAL);
}

static int
role_holder(void)
{
	/* Holds a write end and dies without closing it. */
	ferry_sys_thread_sleep(20 * MS);
	return 0;
}

UTEST(pipe_death, "PX0013",
      "a client that dies holding the only write end releases it: readers see EOF")
{
	handle_t r, w;
	UEXPECT_EQ(pipe_new(0, &r, &w), 0);
	handle_t t = spawn_role("holder", w, 0);
	ferry_sys_handle_close(w);
	char buf[4];
	uint32_t n = 99;
	UEXPECT_EQ(fread_inline(r, buf, 4, 0, &n), 0); /* blocks until the holder is gone */
	UEXPECT_EQ(n, 0);
	UEXPECT_EQ(wait_task(t), 0);
	ferry_sys_handle_close(r);
}

/* ---- console ---- */

static handle_t
console_open(uint32_t flags)
{
	struct tty_open_req req = {TTY_CONSOLE, flags};
	struct ferry_msg m;
	int rc = call(service, TTY_OPEN, &req, sizeof(req), NULL, 0, &m);
	return rc ? 0 : m.handles[0];
}

UTEST(tty_termios, "PX0014",
      "console: TCGETS defaults, TCSETS round trip, window size, process group")
{
	handle_t c = console_open(0);
	UEXPECT(c != 0);
	struct tty_termios t;
	UEXPECT_EQ(fioctl(c, TTY_TCGETS, NULL, 0, &t, sizeof(t)), 0);
	UEXPECT(t.c_lflag & TTY_ICANON);
	UEXPECT(t.c_lflag & TTY_ECHO);
	UEXPECT(t.c_oflag & TTY_ONLCR);
	UEXPECT_EQ(t.c_cc[TTY_VINTR], 3);
	struct tty_termios raw = t;
	raw.c_lflag &= ~(TTY_ICANON | TTY_ECHO);
	raw.c_cc[TTY_VMIN] = 0;
	raw.c_cc[TTY_VTIME] = 1;
	UEXPECT_EQ(fioctl(c, TTY_TCSETS, &raw, sizeof(raw), NULL, 0), 0);
	struct tty_termios back;
	UEXPECT_EQ(fioctl(c, TTY_TCGETS, NULL, 0, &back, sizeof(back)), 0);
	UEXPECT(!memcmp(&back, &raw, sizeof(raw)));
	/* VMIN 0, VTIME 1: a read with no input returns 0 after about 100 ms. */
	char buf[8];
	uint32_t n = 99;
	uint64_t t0 = unow_ns();
	UEXPECT_EQ(fread_inline(c, buf, 8, 0, &n), 0);
	UEXPECT_EQ(n, 0);
	UEXPECT(unow_ns() - t0 >= 90 * MS);
	UEXPECT_EQ(fioctl(c, TTY_TCSETS, &raw, 4, NULL, 0), -FERRY_EINVAL);
	UEXPECT_EQ(fioctl(c, TTY_TCSETS, &t, sizeof(t), NULL, 0), 0);
	struct tty_winsize ws = {50, 132, 0, 0}, ws2;
	UEXPECT_EQ(fioctl(c, TTY_TIOCSWINSZ, &ws, sizeof(ws), NULL, 0), 0);
	UEXPECT_EQ(fioctl(c, TTY_TIOCGWINSZ, NULL, 0, &ws2, sizeof(ws2)), 0);
	UEXPECT_EQ(ws2.ws_row, 50);
	UEXPECT_EQ(ws2.ws_col, 132);
	int32_t pg = 42, pg2 = 0;
	UEXPECT_EQ(fioctl(c, TTY_TIOCSPGRP, &pg, 4, NULL, 0), 0);
	UEXPECT_EQ(fioctl(c, TTY_TIOCGPGRP, NULL, 0, &pg2, 4), 0);
	UEXPECT_EQ(pg2, 42);
	UEXPECT_EQ(fioctl(c, 0x7777, NULL, 0, NULL, 0), -FERRY_ENOTTY);
	ferry_sys_handle_close(c);
}

UTEST(tty_io, "PX0015",
      "console: writes reach the UART; a non-blocking read with no input is EAGAIN")
{
	handle_t c = console_open(0);
	UEXPECT(c != 0);
	uint32_t n;
	const char *s = "[PX0015 console line]\n";
	UEXPECT_EQ(fwrite_inline(c, s, strlen(s), 0, &n), 0);
	UEXPECT_EQ(n, strlen(s));
	char buf[8];
	UEXPECT_EQ(fread_inline(c, buf, 8, FILE_F_NONBLOCK, &n), -FERRY_EAGAIN);
	struct tty_open_req bad = {7, 0};
	UEXPECT_EQ(call(service, TTY_OPEN, &bad, sizeof(bad), NULL, 0, NULL), -FERRY_ENODEV);
	ferry_sys_handle_close(c);
}

/* ---- pseudo-terminals ---- */

static handle_t
pty_master(void)
{
	struct tty_open_req req = {0, 0};
	struct ferry_msg m;
	int rc = call(service, TTY_OPEN_PTMX, &req, sizeof(req), NULL, 0, &m);
	return rc ? 0 : m.handles[0];
}

static int
pty_slave(uint32_t n, uint32_t flags, handle_t *h)
{
	struct tty_open_req req = {n, flags};
	struct ferry_msg m;
	int rc = call(service, TTY_OPEN_PTS, &req, sizeof(req), NULL, 0, &m);
	*h = rc ? 0 : m.handles[0];
	return rc;
}

/* A master and an unlocked slave; returns N. */
static uint32_t
pty_pair(handle_t *m, handle_t *s)
{
	uint32_t n = 99;
	int32_t unlock = 0;
	*m = pty_master();
	if (!*m || fioctl(*m, TTY_TIOCGPTN, NULL, 0, &n, 4) ||
	    fioctl(*m, TTY_TIOCSPTLCK, &unlock, 4, NULL, 0) || pty_slave(n, 0, s))
		upanic("pty_pair");
	return n;
}

UTEST(pty_open, "PX0201",
      "pty: ptmx gives a locked master, TIOCGPTN names it, unlockpt lets the slave open; ENXIO, "
      "EIO")
{
	handle_t m = pty_master(), s;
	UEXPECT(m != 0);
	uint32_t n = 99;
	UEXPECT_EQ(fioctl(m, TTY_TIOCGPTN, NULL, 0, &n, 4), 0);
	UEXPECT(n < TTY_PTY_MAX);
	UEXPECT_EQ(pty_slave(n, 0, &s), -FERRY_EIO); /* locked */
	int32_t v = 0;
	UEXPECT_EQ(fioctl(m, TTY_TIOCSPTLCK, &v, 4, NULL, 0), 0);
	UEXPECT_EQ(fioctl(m, TTY_TIOCSPTLCK, &v, 2, NULL, 0), -FERRY_EINVAL);
	UEXPECT_EQ(pty_slave(n, 0, &s), 0);
	handle_t s2;
	UEXPECT_EQ(pty_slave(n, 0, &s2), 0); /* a second description */
	handle_t bad;
	UEXPECT_EQ(pty_slave(n + 1, 0, &bad), -FERRY_ENXIO);
	UEXPECT_EQ(pty_slave(1000, 0, &bad), -FERRY_ENXIO);
	/* Both are terminals; the slave is 136:N, the master 5:2. */
	struct tty_termios t;
	UEXPECT_EQ(fioctl(s, TTY_TCGETS, NULL, 0, &t, sizeof(t)), 0);
	UEXPECT(t.c_lflag & TTY_ICANON);
	UEXPECT_EQ(fioctl(m, TTY_TCGETS, NULL, 0, &t, sizeof(t)), 0);
	struct file_stat_req sr = {{0, 0}};
	struct file_stat_rep st;
	UEXPECT_EQ(call(s, FILE_STAT, &sr, sizeof(sr), &st, sizeof(st), NULL), 0);
	UEXPECT_EQ(st.st.rdev, (136u << 8) | n);
	UEXPECT_EQ(call(m, FILE_STAT, &sr, sizeof(sr), &st, sizeof(st), NULL), 0);
	UEXPECT_EQ(st.st.rdev, (5u << 8) | 2);
	UEXPECT_EQ(fioctl(s, TTY_TIOCGPTN, NULL, 0, &n, 4), -FERRY_ENOTTY);
	ferry_sys_handle_close(s2);
	ferry_sys_handle_close(s);
	ferry_sys_handle_close(m);
}

/* Reads from h until n bytes came or a read returns nothing (non-blocking). */
static uint32_t
read_all(handle_t h, char *buf, uint32_t n)
{
	uint32_t got = 0, k;
	while (got < n && fread_inline(h, buf + got, n - got, FILE_F_NONBLOCK, &k) == 0 && k)
		got += k;
	return got;
}

UTEST(pty_data, "PX0202",
      "pty: slave output reaches the master output-processed; master input goes through the "
      "slave's line discipline with echo")
{
	handle_t m, s;
	pty_pair(&m, &s);
	uint32_t k;
	char buf[64];
	UEXPECT_EQ(fwrite_inline(s, "hi\n", 3, 0, &k), 0);
	UEXPECT_EQ(k, 3);
	int32_t q = 0;
	UEXPECT_EQ(fioctl(m, TTY_FIONREAD, NULL, 0, &q, 4), 0);
	UEXPECT_EQ(q, 4);
	UEXPECT_EQ(read_all(m, buf, sizeof(buf)), 4);
	UEXPECT(!memcmp(buf, "hi\r\n", 4));
	UEXPECT_EQ(fread_inline(m, buf, 8, FILE_F_NONBLOCK, &k), -FERRY_EAGAIN);
	/* Canonical input: a partial line is not readable, erase works, echo comes back. */
	UEXPECT_EQ(fwrite_inline(m, "abx\x7f", 4, 0, &k), 0);
	UEXPECT_EQ(fread_inline(s, buf, 8, FILE_F_NONBLOCK, &k), -FERRY_EAGAIN);
	UEXPECT_EQ(fwrite_inline(m, "c\r", 2, 0, &k), 0);
	UEXPECT_EQ(fread_inline(s, buf, sizeof(buf), 0, &k), 0);
	UEXPECT_EQ(k, 4);
	UEXPECT(!memcmp(buf, "abc\n", 4));
	uint32_t e = read_all(m, buf, sizeof(buf));
	UEXPECT_EQ(e, 9);
	UEXPECT(!memcmp(buf, "abx\b \bc\r\n", 9));
	/* Raw mode set through the master applies to the slave. */
	struct tty_termios t;
	UEXPECT_EQ(fioctl(m, TTY_TCGETS, NULL, 0, &t, sizeof(t)), 0);
	t.c_lflag &= ~(TTY_ICANON | TTY_ECHO);
	t.c_oflag &= ~TTY_OPOST;
	UEXPECT_EQ(fioctl(m, TTY_TCSETS, &t, sizeof(t), NULL, 0), 0);
	UEXPECT_EQ(fwrite_inline(m, "xy", 2, 0, &k), 0);
	UEXPECT_EQ(fread_inline(s, buf, sizeof(buf), 0, &k), 0);
	UEXPECT_EQ(k, 2);
	UEXPECT_EQ(fwrite_inline(s, "\n", 1, 0, &k), 0);
	UEXPECT_EQ(read_all(m, buf, sizeof(buf)), 1);
	UEXPECT_EQ(fread_inline(m, buf, 8, FILE_F_NONBLOCK, &k), -FERRY_EAGAIN);
	ferry_sys_handle_close(s);
	ferry_sys_handle_close(m);
}

UTEST(pty_winsize, "PX0203",
      "pty: TIOCSWINSZ on the master reaches the slave; the slave's process group is the master's "
      "TIOCGPGRP")
{
	handle_t m, s;
	pty_pair(&m, &s);
	struct tty_winsize ws = {40, 100, 0, 0}, back;
	UEXPECT_EQ(fioctl(m, TTY_TIOCSWINSZ, &ws, sizeof(ws), NULL, 0), 0);
	UEXPECT_EQ(fioctl(s, TTY_TIOCGWINSZ, NULL, 0, &back, sizeof(back)), 0);
	UEXPECT_EQ(back.ws_row, 40);
	UEXPECT_EQ(back.ws_col, 100);
	int32_t pg = 7, pg2 = 0;
	UEXPECT_EQ(fioctl(s, TTY_TIOCSPGRP, &pg, 4, NULL, 0), 0);
	UEXPECT_EQ(fioctl(m, TTY_TIOCGPGRP, NULL, 0, &pg2, 4), 0);
	UEXPECT_EQ(pg2, 7);
	ferry_sys_handle_close(s);
	ferry_sys_handle_close(m);
}

UTEST(pty_close, "PX0204",
      "pty: the slave's last close gives the master EIO after the data; the master's close hangs "
      "the slave up (EOF, EIO)")
{
	handle_t m, s;
	uint32_t n = pty_pair(&m, &s), k;
	char buf[16];
	UEXPECT_EQ(fwrite_inline(s, "z", 1, 0, &k), 0);
	ferry_sys_handle_close(s);
	uint64_t t0 = unow_ns();
	/* No-senders reaches posixsrv asynchronously: wait for the EIO. */
	uint32_t got = 0;
	int rc = 0;
	while (unow_ns() - t0 < 2000 * MS) {
		rc = fread_inline(m, buf, sizeof(buf), FILE_F_NONBLOCK, &k);
		if (rc == 0)
			got += k;
		if (rc == -FERRY_EIO)
			break;
		ferry_sys_thread_sleep(MS);
	}
	UEXPECT_EQ(got, 1);
	UEXPECT_EQ(rc, -FERRY_EIO);
	/* A new slave may open again (Linux allows it). */
	UEXPECT_EQ(pty_slave(n, 0, &s), 0);
	ferry_sys_handle_close(m);
	t0 = unow_ns();
	while (unow_ns() - t0 < 2000 * MS) {
		rc = fwrite_inline(s, "q", 1, 0, &k);
		if (rc == -FERRY_EIO)
			break;
		ferry_sys_thread_sleep(MS);
	}
	UEXPECT_EQ(rc, -FERRY_EIO);
	UEXPECT_EQ(fread_inline(s, buf, sizeof(buf), 0, &k), 0);
	UEXPECT_EQ(k, 0);
	handle_t s2;
	UEXPECT_EQ(pty_slave(n, 0, &s2), -FERRY_ENXIO);
	ferry_sys_handle_close(s);
}

UTEST(pty_flood, "PX0205", "pty: the 17th master is EAGAIN; closed ptys are reused")
{
	handle_t m[TTY_PTY_MAX + 1];
	unsigned i;
	for (i = 0; i < TTY_PTY_MAX; i++)
		UEXPECT((m[i] = pty_master()) != 0);
	struct tty_open_req req = {0, 0};
	UEXPECT_EQ(call(service, TTY_OPEN_PTMX, &req, sizeof(req), NULL, 0, NULL), -FERRY_EAGAIN);
	for (i = 0; i < TTY_PTY_MAX; i++)
		ferry_sys_handle_close(m[i]);
	uint64_t t0 = unow_ns();
	handle_t again = 0;
	while (!again && unow_ns() - t0 < 2000 * MS) {
		again = pty_master();
		if (!again)
			ferry_sys_thread_sleep(MS);
	}
	UEXPECT(again != 0);
	ferry_sys_handle_close(again);
}

/* ---- FIFOs ---- */

#define O_WRONLY_   01
#define O_RDWR_     02
#define O_NONBLOCK_ 04000

static int
fifo_open(handle_t srv, uint64_t id, uint32_t flags, handle_t *h)
{
	struct pipe_fifo_open_req req = {0, flags, id};
	struct ferry_msg m;
	int rc = call(srv, PIPE_FIFO_OPEN, &req, sizeof(req), NULL, 0, &m);
	*h = rc ? 0 : m.handles[0];
	return rc;
}

UTEST(fifo_nonblock, "PX0211",
      "FIFO: O_WRONLY|O_NONBLOCK without a reader is ENXIO; O_RDONLY|O_NONBLOCK opens at once; "
      "data, EOF; the data goes with the last close")
{
	uint64_t id = (1ull << 32) | 4242;
	handle_t r, w, w2;
	UEXPECT_EQ(fifo_open(service, id, O_WRONLY_ | O_NONBLOCK_, &w), -FERRY_ENXIO);
	UEXPECT_EQ(fifo_open(service, id, 3, &w), -FERRY_EINVAL);
	UEXPECT_EQ(fifo_open(service, id, O_NONBLOCK_, &r), 0);
	char buf[16];
	uint32_t n = 99;
	UEXPECT_EQ(fread_inline(r, buf, sizeof(buf), 0, &n), 0); /* no writer: end of file */
	UEXPECT_EQ(n, 0);
	UEXPECT_EQ(fifo_open(service, id, O_WRONLY_ | O_NONBLOCK_, &w), 0);
	UEXPECT_EQ(fifo_open(service, id, O_WRONLY_, &w2), 0); /* a reader exists: no wait */
	UEXPECT_EQ(fread_inline(r, buf, sizeof(buf), 0, &n), -FERRY_EAGAIN); /* writers, no data */
	UEXPECT_EQ(fwrite_inline(w, "abc", 3, 0, &n), 0);
	UEXPECT_EQ(fwrite_inline(w2, "de", 2, 0, &n), 0);
	UEXPECT_EQ(fread_inline(r, buf, sizeof(buf), 0, &n), 0);
	UEXPECT_EQ(n, 5);
	UEXPECT(!memcmp(buf, "abcde", 5));
	UEXPECT_EQ(fread_inline(w, buf, 1, 0, &n), -FERRY_EBADH);
	UEXPECT_EQ(fwrite_inline(r, "x", 1, 0, &n), -FERRY_EBADH);
	struct file_stat_req sr = {{0, 0}};
	struct file_stat_rep st;
	UEXPECT_EQ(call(r, FILE_STAT, &sr, sizeof(sr), &st, sizeof(st), NULL), 0);
	UEXPECT_EQ(st.st.mode & 0170000, 0010000);
	UEXPECT_EQ(st.st.ino, 4242);
	UEXPECT_EQ(fwrite_inline(w, "zz", 2, 0, &n), 0);
	ferry_sys_handle_close(w);
	ferry_sys_handle_close(w2);
	uint64_t t0 = unow_ns();
	int rc;
	uint32_t got = 0;
	do { /* no-senders reaches posixsrv asynchronously */
		rc = fread_inline(r, buf, sizeof(buf), FILE_F_NONBLOCK, &n);
		if (rc == 0)
			got += n;
		if (rc == 0 && n == 0)
			break;
		ferry_sys_thread_sleep(MS);
	} while (unow_ns() - t0 < 2000 * MS);
	UEXPECT_EQ(got, 2);
	UEXPECT_EQ(rc, 0);
	/* Writers gone: a write end opened again sees the reader; EPIPE once it closes. */
	UEXPECT_EQ(fifo_open(service, id, O_WRONLY_ | O_NONBLOCK_, &w), 0);
	ferry_sys_handle_close(r);
	t0 = unow_ns();
	do {
		rc = fwrite_inline(w, "q", 1, 0, &n);
		if (rc == -FERRY_EPEER)
			break;
		ferry_sys_thread_sleep(MS);
	} while (unow_ns() - t0 < 2000 * MS);
	UEXPECT_EQ(rc, -FERRY_EPEER);
	ferry_sys_handle_close(w);
	/* Everything closed: the next reader finds no old data. */
	ferry_sys_thread_sleep(20 * MS);
	UEXPECT_EQ(fifo_open(service, id, O_RDWR_, &r), 0);
	UEXPECT_EQ(fread_inline(r, buf, sizeof(buf), FILE_F_NONBLOCK, &n), -FERRY_EAGAIN);
	ferry_sys_handle_close(r);
}

static int
role_fifo_reader(void)
{
	/* handles[0]: posixsrv's service port.  Blocks in the open until a writer comes. */
	handle_t r;
	char buf[16];
	uint32_t n;
	if (fifo_open(ustart->handles[0], (1ull << 32) | 777, 0, &r))
		return 20;
	if (fread_inline(r, buf, sizeof(buf), 0, &n) || n != 4 || memcmp(buf, "ping", 4))
		return 21;
	return 0;
}

UTEST(fifo_block, "PX0212",
      "FIFO: a blocking O_RDONLY open waits for a writer in another task, and the writer's open "
      "does not wait for it; O_RDWR never waits")
{
	handle_t srv;
	UEXPECT_EQ(ferry_sys_handle_dup(service, FERRY_RIGHT_SAME, &srv), 0);
	handle_t t = spawn_role("fifo_reader", srv, 0);
	ferry_sys_thread_sleep(50 * MS); /* the reader is waiting in its open */
	handle_t w;
	UEXPECT_EQ(fifo_open(service, (1ull << 32) | 777, O_WRONLY_, &w), 0);
	uint32_t n;
	UEXPECT_EQ(fwrite_inline(w, "ping", 4, 0, &n), 0);
	UEXPECT_EQ(wait_task(t), 0);
	ferry_sys_handle_close(w);
	handle_t rw;
	UEXPECT_EQ(fifo_open(service, (1ull << 32) | 778, O_RDWR_, &rw), 0);
	UEXPECT_EQ(fwrite_inline(rw, "self", 4, 0, &n), 0);
	char buf[8];
	UEXPECT_EQ(fread_inline(rw, buf, sizeof(buf), 0, &n), 0);
	UEXPECT_EQ(n, 4);
	ferry_sys_handle_close(rw);
}

/* ---- system ---- */

UTEST(hostname, "PX0016", "sethostname changes uname's nodename; too long is EINVAL")
{
	struct posix_sethostname_req req;
	memset(&req, 0, sizeof(req));
	req.len = 6;
	memcpy(req.name, "pxhost", 6);
	UEXPECT_EQ(call(service, POSIX_SETHOSTNAME, &req, sizeof(req), NULL, 0, NULL), 0);
	struct posix_uname_req u = {{0, 0}};
	struct posix_uname_rep rep;
	UEXPECT_EQ(call(service, POSIX_UNAME, &u, sizeof(u), &rep, sizeof(rep), NULL), 0);
	UEXPECT(!strcmp(rep.nodename, "pxhost"));
	req.len = 65;
	UEXPECT_EQ(call(service, POSIX_SETHOSTNAME, &req, sizeof(req), NULL, 0, NULL),
	           -FERRY_EINVAL);
}

/* ---- UNIX-domain sockets (protocol sock) ---- */

static int
sock_new(uint32_t op, uint32_t type, handle_t *h)
{
	struct sock_create_req req;
	memset(&req, 0, sizeof(req));
	req.domain = SOCK_AF_UNIX;
	req.type = type;
	req.cred.pid = 42;
	struct ferry_msg m;
	int rc = call(service, op, &req, sizeof(req), NULL, 0, &m);
	if (rc == 0) {
		h[0] = m.handles[0];
		if (op == SOCK_PAIR)
			h[1] = m.handles[1];
	}
	return rc;
}

static int
sock_abstract(handle_t s, uint32_t op, const char *name)
{
	struct sock_addr_req a;
	memset(&a, 0, sizeof(a));
	a.len = (uint32_t)strlen(name + 1) + 1;
	memcpy(a.name, name, a.len);
	a.name[0] = 0;
	a.cred.pid = 7;
	return call(s, op, &a, sizeof(a), NULL, 0, NULL);
}

UTEST(sock_errors, "PX0101",
      "sock: bad domain/type/protocol, ENOTSOCK, names (EINVAL, EADDRINUSE, ECONNREFUSED, "
      "EPROTOTYPE), ENOTCONN, EISCONN, listen on DGRAM")
{
	handle_t a[2], b[2], d;
	struct sock_create_req req;
	memset(&req, 0, sizeof(req));
	req.domain = 2;
	req.type = SOCK_T_STREAM;
	UEXPECT_EQ(call(service, SOCK_CREATE, &req, sizeof(req), NULL, 0, NULL),
	           -FERRY_EAFNOSUPPORT);
	req.domain = SOCK_AF_UNIX;
	req.type = 3;
	UEXPECT_EQ(call(service, SOCK_CREATE, &req, sizeof(req), NULL, 0, NULL),
	           -FERRY_EPROTONOSUPPORT);
	req.type = SOCK_T_STREAM;
	req.protocol = 6;
	UEXPECT_EQ(call(service, SOCK_CREATE, &req, sizeof(req), NULL, 0, NULL),
	           -FERRY_EPROTONOSUPPORT);
	req.protocol = 0;
	req.type = SOCK_T_STREAM | 0x100;
	UEXPECT_EQ(call(service, SOCK_CREATE, &req, sizeof(req), NULL, 0, NULL), -FERRY_EINVAL);
	/* Socket ops on the service port or a pipe end: not a socket. */
	struct sock_shutdown_req sh = {SOCK_SHUT_RD, 0};
	UEXPECT_EQ(call(service, SOCK_SHUTDOWN, &sh, sizeof(sh), NULL, 0, NULL), -FERRY_ENOTSOCK);
	handle_t rd, wr;
	UEXPECT_EQ(pipe_new(0, &rd, &wr), 0);
	UEXPECT_EQ(call(rd, SOCK_SHUTDOWN, &sh, sizeof(sh), NULL, 0, NULL), -FERRY_ENOSYS);
	ferry_sys_handle_close(rd);
	ferry_sys_handle_close(wr);
	UEXPECT_EQ(sock_new(SOCK_CREATE, SOCK_T_STREAM, a), 0);
	UEXPECT_EQ(sock_new(SOCK_CREATE, SOCK_T_DGRAM, &d), 0);
	/* A path name without its node, an empty one: EINVAL. */
	struct sock_addr_req ad;
	memset(&ad, 0, sizeof(ad));
	ad.len = 4;
	memcpy(ad.name, "/x/y", 4);
	UEXPECT_EQ(call(a[0], SOCK_BIND, &ad, sizeof(ad), NULL, 0, NULL), -FERRY_EINVAL);
	ad.len = 0;
	UEXPECT_EQ(call(a[0], SOCK_BIND, &ad, sizeof(ad), NULL, 0, NULL), -FERRY_EINVAL);
	ad.len = 60; /* longer than inline, no area */
	UEXPECT_EQ(call(a[0], SOCK_BIND, &ad, sizeof(ad), NULL, 0, NULL), -FERRY_EINVAL);
	ad.xfer = 99;
	UEXPECT_EQ(call(a[0], SOCK_BIND, &ad, sizeof(ad), NULL, 0, NULL), -FERRY_EFAULT);
	UEXPECT_EQ(sock_abstract(a[0], SOCK_CONNECT, "@px-none"), -FERRY_ECONNREFUSED);
	UEXPECT_EQ(sock_abstract(a[0], SOCK_BIND, "@px-l"), 0);
	UEXPECT_EQ(sock_abstract(a[0], SOCK_BIND, "@px-l2"), -FERRY_EINVAL); /* bound already */
	UEXPECT_EQ(sock_abstract(d, SOCK_BIND, "@px-l"), -FERRY_EADDRINUSE);
	UEXPECT_EQ(sock_abstract(d, SOCK_CONNECT, "@px-l"), -FERRY_EPROTOTYPE);
	struct sock_listen_req lr = {4, {1, 0, 0}};
	UEXPECT_EQ(call(d, SOCK_LISTEN, &lr, sizeof(lr), NULL, 0, NULL), -FERRY_ENOTSUP);
	UEXPECT_EQ(call(a[0], SOCK_LISTEN, &lr, sizeof(lr), NULL, 0, NULL), 0);
	struct sock_send_req sr;
	memset(&sr, 0, sizeof(sr));
	sr.len = 1;
	UEXPECT_EQ(call(a[0], SOCK_SEND, &sr, sizeof(sr), NULL, 0, NULL), -FERRY_ENOTCONN);
	UEXPECT_EQ(call(d, SOCK_SEND, &sr, sizeof(sr), NULL, 0, NULL), -FERRY_ENOTCONN);
	sr.len = 41; /* inline room is 40 */
	UEXPECT_EQ(call(d, SOCK_SEND, &sr, sizeof(sr), NULL, 0, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(sock_new(SOCK_CREATE, SOCK_T_STREAM, b), 0);
	UEXPECT_EQ(sock_abstract(b[0], SOCK_CONNECT, "@px-l"), 0);
	UEXPECT_EQ(sock_abstract(b[0], SOCK_CONNECT, "@px-l"), -FERRY_EISCONN);
	/* Short request: refused before any handler. */
	UEXPECT_EQ(call(b[0], SOCK_RECV, &sr, 8, NULL, 0, NULL), -FERRY_EINVAL);
	ferry_sys_handle_close(a[0]);
	ferry_sys_handle_close(b[0]);
	ferry_sys_handle_close(d);
}

UTEST(sock_accept, "PX0102",
      "sock: connect queues, accept hands the connection over with SO_PEERCRED both ways; names; "
      "FILE_POLL on the listener")
{
	handle_t l, c, q, p;
	UEXPECT_EQ(sock_new(SOCK_CREATE, SOCK_T_STREAM, &l), 0);
	UEXPECT_EQ(sock_abstract(l, SOCK_BIND, "@px-acc"), 0);
	struct sock_listen_req lr = {2, {11, 0, 0}};
	UEXPECT_EQ(call(l, SOCK_LISTEN, &lr, sizeof(lr), NULL, 0, NULL), 0);
	UEXPECT_EQ(ferry_sys_queue_create(4, &q), 0);
	UEXPECT_EQ(ferry_sys_port_create(q, 5, &p), 0);
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = FILE_POLL;
	struct file_poll_req pr = {PX_POLLIN_, 0, 77};
	m.len = sizeof(pr);
	memcpy(m.data, &pr, sizeof(pr));
	m.nhandles = 1;
	m.handles[0] = p;
	UEXPECT_EQ(ferry_sys_msg_call(l, &m, 5000 * MS), 0);
	struct file_poll_rep prep;
	memcpy(&prep, m.data, sizeof(prep));
	UEXPECT_EQ(prep.status, 0);
	UEXPECT_EQ(prep.revents, 0);
	UEXPECT_EQ(sock_new(SOCK_CREATE, SOCK_T_STREAM, &c), 0);
	UEXPECT_EQ(sock_abstract(c, SOCK_CONNECT, "@px-acc"), 0);
	UEXPECT_EQ(ferry_sys_msg_recv(q, &m, 5000 * MS), 0);
	UEXPECT_EQ(m.op, FILE_READY);
	struct sock_accept_req ar = {0, 0};
	UEXPECT_EQ(call(l, SOCK_ACCEPT, &ar, sizeof(ar), NULL, 0, &m), 0);
	UEXPECT_EQ(m.nhandles, 1);
	handle_t s = m.handles[0];
	struct sock_info_req ir = {{0, 0}};
	struct sock_info_rep info;
	UEXPECT_EQ(call(s, SOCK_INFO, &ir, sizeof(ir), &info, sizeof(info), NULL), 0);
	UEXPECT_EQ(info.peer.pid, 7); /* the connecting side's */
	UEXPECT_EQ(call(c, SOCK_INFO, &ir, sizeof(ir), &info, sizeof(info), NULL), 0);
	UEXPECT_EQ(info.peer.pid, 11); /* the listener's */
	struct sock_name_req nr = {1, 0, 0};
	struct sock_name_rep nrep;
	UEXPECT_EQ(call(c, SOCK_NAME, &nr, sizeof(nr), &nrep, sizeof(nrep), NULL), 0);
	UEXPECT_EQ(nrep.len, 7);
	UEXPECT(!memcmp(nrep.name + 1, "px-acc", 6));
	uint32_t done = 0, got = 0;
	char buf[16];
	UEXPECT_EQ(fwrite_inline(c, "sock", 4, 0, &done), 0);
	UEXPECT_EQ(fread_inline(s, buf, sizeof(buf), 0, &got), 0);
	UEXPECT_EQ(got, 4);
	/* Closing the client: the server side reads end of file. */
	ferry_sys_handle_close(c);
	UEXPECT_EQ(fread_inline(s, buf, sizeof(buf), 0, &got), 0);
	UEXPECT_EQ(got, 0);
	ar.flags = SOCK_F_NONBLOCK;
	UEXPECT_EQ(call(l, SOCK_ACCEPT, &ar, sizeof(ar), NULL, 0, NULL), -FERRY_EAGAIN);
	ferry_sys_handle_close(s);
	ferry_sys_handle_close(l);
	ferry_sys_handle_close(q);
}

UTEST(sock_flood, "PX0103",
      "sock: a flood of socketpairs hits ENFILE; closing them frees the table; rights in flight "
      "are closed with their socket")
{
	static handle_t h[SOCK_MAX_ + 2][2];
	int n = 0, rc = 0;
	while (n < SOCK_MAX_ && (rc = sock_new(SOCK_PAIR, SOCK_T_DGRAM, h[n])) == 0)
		n++;
	UEXPECT_EQ(rc, -FERRY_ENFILE);
	UEXPECT(n >= 100);
	for (int i = 0; i < n; i++) {
		ferry_sys_handle_close(h[i][0]);
		ferry_sys_handle_close(h[i][1]);
	}
	ferry_sys_thread_sleep(50 * MS);
	/* A pipe end in flight keeps the pipe open until its socket goes. */
	handle_t sv[2], rd, wr;
	UEXPECT_EQ(sock_new(SOCK_PAIR, SOCK_T_STREAM, sv), 0);
	UEXPECT_EQ(pipe_new(0, &rd, &wr), 0);
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = SOCK_SEND;
	struct sock_send_req sr;
	memset(&sr, 0, sizeof(sr));
	sr.len = 1;
	sr.data[0] = 'r';
	m.len = sizeof(sr);
	memcpy(m.data, &sr, sizeof(sr));
	m.nhandles = 1;
	m.handles[0] = rd;
	UEXPECT_EQ(ferry_sys_msg_call(sv[0], &m, 5000 * MS), 0);
	int32_t st;
	memcpy(&st, m.data, 4);
	UEXPECT_EQ(st, 0);
	uint32_t done = 0;
	UEXPECT_EQ(fwrite_inline(wr, "x", 1, 0, &done), 0); /* a reader exists: in flight */
	ferry_sys_handle_close(sv[0]);
	ferry_sys_handle_close(sv[1]);
	int rc2 = 0;
	for (int i = 0; i < 100 && (rc2 = fwrite_inline(wr, "x", 1, 0, &done)) == 0; i++)
		ferry_sys_thread_sleep(MS);
	UEXPECT_EQ(rc2, -FERRY_EPEER);
	ferry_sys_handle_close(wr);
	UEXPECT_EQ(sock_new(SOCK_PAIR, SOCK_T_STREAM, sv), 0);
	ferry_sys_handle_close(sv[0]);
	ferry_sys_handle_close(sv[1]);
}

/* ---- message queues (the protocol's error paths; the rest: suite pxmq) ---- */

static int
mq_name_call(uint32_t op, const char *name, uint32_t namelen, uint32_t flags, uint32_t maxmsg,
             uint32_t msgsize, handle_t *h)
{
	struct mq_name_req req;
	memset(&req, 0, sizeof(req));
	req.flags = flags;
	req.mode = 0600;
	req.maxmsg = maxmsg;
	req.msgsize = msgsize;
	req.namelen = namelen;
	memcpy(req.name, name, namelen < MQ_NAME_INLINE ? namelen : MQ_NAME_INLINE);
	struct ferry_msg m;
	int rc = call(service, op, &req, sizeof(req), NULL, 0, &m);
	if (h)
		*h = rc == 0 && m.nhandles ? m.handles[0] : 0;
	return rc;
}

static int
mq_send_inline(handle_t q, const char *s, uint32_t len, uint32_t prio)
{
	struct mq_send_req req;
	memset(&req, 0, sizeof(req));
	req.len = len;
	req.prio = prio;
	memcpy(req.data, s, len < MQ_INLINE_MAX ? len : MQ_INLINE_MAX);
	return call(q, MQ_SEND, &req, sizeof(req), NULL, 0, NULL);
}

static uint32_t
mq_cur(handle_t q)
{
	struct mq_attr_req req = {0, 0};
	struct mq_attr_rep rep;
	memset(&rep, 0, sizeof(rep));
	if (call(q, MQ_GETSETATTR, &req, sizeof(req), &rep, sizeof(rep), NULL))
		return 999;
	return rep.curmsgs;
}

UTEST(mq_bad_input, "PX0301",
      "mq protocol: short requests, bad names, flags, priorities, lengths, areas, notify "
      "kinds, ops on the wrong port, one-way sends and POSIX_SET_PROCMGR off the "
      "registration port get clear errors")
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = MQ_OPEN;
	m.len = 8;
	UEXPECT_EQ(ferry_sys_msg_call(service, &m, 5000 * MS), 0);
	int32_t st;
	memcpy(&st, m.data, 4);
	UEXPECT_EQ(st, -FERRY_EINVAL);
	uint32_t rw = MQ_O_RDWR | MQ_O_CREAT;
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "x", 40, rw, 0, 0, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "x", 300, rw, 0, 0, NULL), -FERRY_ENAMETOOLONG);
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "a/b", 3, rw, 0, 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "a\0b", 3, rw, 0, 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "", 0, rw, 0, 0, NULL), -FERRY_EACCES);
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "q", 1, rw | 0x40000000, 0, 0, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "q", 1, rw, 0, 16, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "q", 1, rw, UINT32_MAX, 16, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(mq_name_call(MQ_UNLINK, "q", 1, 0, 0, 0, NULL), -FERRY_ENOENT);
	handle_t q;
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "px301", 5, rw, 2, 16, &q), 0);
	UEXPECT_EQ(mq_send_inline(q, "x", 1, MQ_PRIO_LIMIT), -FERRY_EINVAL);
	UEXPECT_EQ(mq_send_inline(q, "x", 17, 0), -FERRY_EMSGSIZE);
	UEXPECT_EQ(mq_send_inline(q, "x", 49, 0), -FERRY_EMSGSIZE);
	struct mq_send_req sr;
	memset(&sr, 0, sizeof(sr));
	sr.len = 8;
	sr.xfer = 7; /* never attached */
	UEXPECT_EQ(call(q, MQ_SEND, &sr, sizeof(sr), NULL, 0, NULL), -FERRY_EFAULT);
	struct mq_receive_req rr;
	memset(&rr, 0, sizeof(rr));
	rr.len = 8;
	UEXPECT_EQ(call(q, MQ_RECEIVE, &rr, sizeof(rr), NULL, 0, NULL), -FERRY_EMSGSIZE);
	rr.len = 16;
	rr.xfer = 3;
	UEXPECT_EQ(call(q, MQ_RECEIVE, &rr, sizeof(rr), NULL, 0, NULL), -FERRY_EFAULT);
	rr.xfer = 0;
	rr.flags = MQ_F_NONBLOCK;
	UEXPECT_EQ(call(q, MQ_RECEIVE, &rr, sizeof(rr), NULL, 0, NULL), -FERRY_EAGAIN);
	rr.flags = MQ_F_BADTIME;
	UEXPECT_EQ(call(q, MQ_RECEIVE, &rr, sizeof(rr), NULL, 0, NULL), -FERRY_EINVAL);
	rr.flags = 0;
	rr.deadline = 1;
	UEXPECT_EQ(call(q, MQ_RECEIVE, &rr, sizeof(rr), NULL, 0, NULL), -FERRY_ETIMEDOUT);
	struct mq_notify_req nr = {9, 0, 0, 0};
	UEXPECT_EQ(call(q, MQ_NOTIFY, &nr, sizeof(nr), NULL, 0, NULL), -FERRY_EINVAL);
	nr = (struct mq_notify_req){MQ_NOTIFY_SIGNAL, 65, 0, 0};
	UEXPECT_EQ(call(q, MQ_NOTIFY, &nr, sizeof(nr), NULL, 0, NULL), -FERRY_EINVAL);
	/* Without a token the caller is no process: it may not register. */
	nr = (struct mq_notify_req){MQ_NOTIFY_NONE, 0, 0, 0};
	UEXPECT_EQ(call(q, MQ_NOTIFY, &nr, sizeof(nr), NULL, 0, NULL), -FERRY_EPERM);
	nr = (struct mq_notify_req){MQ_NOTIFY_REMOVE, 0, 0, 0};
	UEXPECT_EQ(call(q, MQ_NOTIFY, &nr, sizeof(nr), NULL, 0, NULL), 0);
	/* Ops on the wrong port. */
	UEXPECT_EQ(mq_send_inline(service, "x", 1, 0), -FERRY_EBADH);
	UEXPECT_EQ(call(q, MQ_UNLINK, NULL, sizeof(struct mq_name_req), NULL, 0, NULL),
	           -FERRY_ENOSYS);
	handle_t r, w;
	UEXPECT_EQ(pipe_new(0, &r, &w), 0);
	UEXPECT_EQ(mq_send_inline(w, "x", 1, 0), -FERRY_ENOSYS);
	ferry_sys_handle_close(r);
	ferry_sys_handle_close(w);
	/* The file protocol on a queue description. */
	uint32_t got;
	char buf[8];
	UEXPECT_EQ(fread_inline(q, buf, 8, 0, &got), -FERRY_EINVAL);
	UEXPECT_EQ(fwrite_inline(q, "x", 1, 0, NULL), -FERRY_EINVAL);
	UEXPECT_EQ(fioctl(q, TTY_FIONREAD, NULL, 0, NULL, 0), -FERRY_ENOTTY);
	struct file_seek_req sk = {0, 0, 0};
	UEXPECT_EQ(call(q, FILE_SEEK, &sk, sizeof(sk), NULL, 0, NULL), -FERRY_ESPIPE);
	struct file_stat_req sq = {{0, 0}};
	struct file_stat_rep srep;
	UEXPECT_EQ(call(q, FILE_STAT, &sq, sizeof(sq), &srep, sizeof(srep), NULL), 0);
	UEXPECT_EQ(srep.st.mode, 0100600);
	/* A send that arrives one-way (its caller gave up) is dropped. */
	memset(&m, 0, sizeof(m));
	m.op = MQ_SEND;
	m.len = sizeof(struct mq_send_req);
	UEXPECT_EQ(ferry_sys_msg_send(q, &m, 0), 0);
	UEXPECT_EQ(mq_cur(q), 0);
	UEXPECT_EQ(mq_send_inline(q, "ok", 2, 1), 0);
	UEXPECT_EQ(mq_cur(q), 1);
	/* procmgr's control port only through the registration port. */
	handle_t anyport;
	UEXPECT_EQ(pipe_new(0, &r, &anyport), 0);
	ferry_sys_handle_close(r);
	memset(&m, 0, sizeof(m));
	m.op = POSIX_SET_PROCMGR;
	m.len = sizeof(struct posix_uname_req);
	m.nhandles = 1;
	m.handles[0] = anyport;
	UEXPECT_EQ(ferry_sys_msg_call(service, &m, 5000 * MS), 0);
	memcpy(&st, m.data, 4);
	UEXPECT_EQ(st, -FERRY_EACCES);
	/* Closed, the queue keeps its name and message until unlinked. */
	ferry_sys_handle_close(q);
	UEXPECT_EQ(mq_name_call(MQ_OPEN, "px301", 5, MQ_O_RDONLY, 0, 0, &q), 0);
	UEXPECT_EQ(mq_cur(q), 1);
	UEXPECT_EQ(mq_send_inline(q, "x", 1, 0), -FERRY_EBADH); /* read-only */
	ferry_sys_handle_close(q);
	UEXPECT_EQ(mq_name_call(MQ_UNLINK, "px301", 5, 0, 0, 0, NULL), 0);
	UEXPECT_EQ(mq_name_call(MQ_UNLINK, "px301", 5, 0, 0, 0, NULL), -FERRY_ENOENT);
}

UTEST(mq_payload_name, "PX0302",
      "mq protocol: a 200-byte name travels in a lent page (open, EEXIST, unlink)")
{
	char *page = umap_anon(4096);
	UEXPECT(page != NULL);
	if (!page)
		return;
	memset(page, 'n', 200);
	for (int round = 0; round < 3; round++) {
		struct mq_name_req req;
		memset(&req, 0, sizeof(req));
		req.pl = (struct ferry_payload){(uint64_t)(uintptr_t)page, 4096, 0, 0};
		req.flags = MQ_O_RDWR | MQ_O_CREAT | MQ_O_EXCL;
		req.namelen = 200;
		struct ferry_msg m;
		memset(&m, 0, sizeof(m));
		m.op = round == 2 ? MQ_UNLINK : MQ_OPEN;
		m.flags = FERRY_MSGF_PAYLOAD;
		m.len = sizeof(req);
		memcpy(m.data, &req, sizeof(req));
		UEXPECT_EQ(ferry_sys_msg_call(service, &m, 5000 * MS), 0);
		int32_t st;
		memcpy(&st, m.data, 4);
		UEXPECT_EQ(st, round == 1 ? -FERRY_EEXIST : 0);
		for (unsigned i = 0; i < m.nhandles; i++)
			ferry_sys_handle_close(m.handles[i]);
	}
	uunmap(page, 4096);
}

UTEST(poweroff, "PX0099", "POSIX_REBOOT power-off: posixsrv replies and exits with status 0")
{
	struct posix_reboot_req req = {POSIX_REBOOT_POWER_OFF, 0};
	UEXPECT_EQ(call(service, POSIX_REBOOT, &req, sizeof(req), NULL, 0, NULL), 0);
	int code = -999;
	UEXPECT_EQ(ferry_sys_task_wait(server_task, &code, 5000 * MS), 0);
	UEXPECT_EQ(code, 0);
}

static void
start_server(void)
{
	handle_t q, p;
	if (ferry_sys_queue_create(2, &q) || ferry_sys_port_create(q, 1, &p))
		upanic("queue");
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "serve", sizeof(s.cmd));
	s.handles[0] = ubootinfo->iocap;
	s.handles[1] = p;
	int rc = uspawn("sbin/posixsrv", &s, &server_task);
	if (rc)
		upanic("pxtest: cannot start posixsrv: %s", ferry_strerror(rc));
	ferry_sys_handle_close(p);
	struct ferry_msg m;
	if ((rc = (int)ferry_sys_msg_recv(q, &m, 5000 * MS)) || m.nhandles != 2)
		upanic("pxtest: posixsrv did not announce itself: %s", ferry_strerror(rc));
	service = m.handles[0];
	registrar = m.handles[1];
	ferry_sys_handle_close(q);
}

int
main(void)
{
	if (ustart && !strcmp(ustart->cmd, "echo"))
		return role_echo();
	if (ustart && !strcmp(ustart->cmd, "holder"))
		return role_holder();
	if (ustart && !strcmp(ustart->cmd, "fifo_reader"))
		return role_fifo_reader();
	if (!ubootinfo)
		upanic("pxtest must be the first task");
	start_server();
	char buf[32];
	const char *filter = ucmdline_get("only", buf, sizeof(buf));
	return utest_run("posix", filter ? filter : "") ? 1 : 0;
}
