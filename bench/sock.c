// SPDX-License-Identifier: MIT
/*
 * UNIX-domain socket benchmark (first=bin/sockbench): posixsrv is started
 * in test mode, a copy of this program runs as the peer task.
 *   sock_pingpong     1 byte there and back on a SOCK_STREAM socketpair
 *                     between two tasks (median): the socket round trip,
 *                     to compare with pipe_pingpong (two pipes)
 *   sock_pingpong_56  the same with 56-byte messages (the largest inline
 *                     write)
 *   dgram_pingpong    1-byte datagrams on a SOCK_DGRAM socketpair
 * Reads and writes are the file protocol's, as libposix's read/write on a
 * socket.  Units as in bench/ipc.c: insns under -icount, cycles otherwise.
 */
#include <ulib.h>
#include <ferry/proto/file.h>
#include <ferry/proto/posix.h>
#include <ferry/proto/sock.h>

#define N    1000
#define WARM 50

static uint64_t samples[N];

static int
call(handle_t port, uint32_t op, const void *req, size_t reqlen, struct ferry_msg *out)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = op;
	m.len = (uint16_t)reqlen;
	memcpy(m.data, req, reqlen);
	long rc = ferry_sys_msg_call(port, &m, FERRY_TIME_INFINITE);
	if (rc)
		return (int)rc;
	if (out)
		*out = m;
	int32_t st;
	memcpy(&st, m.data, 4);
	return st;
}

/* One inline write or read of len bytes; returns the count or a status. */
static long
io(handle_t port, bool wr, uint32_t len)
{
	struct ferry_msg m;
	if (wr) {
		struct file_write_req req;
		memset(&req, 0, sizeof(req));
		req.len = len;
		req.offset = -1;
		memset(req.data, 'p', len);
		int rc = call(port, FILE_WRITE, &req, sizeof(req), &m);
		return rc ? rc : ((struct file_write_rep *)m.data)->len;
	}
	struct file_read_req req = {len, -1, 0, 0, 0, 0, 0};
	int rc = call(port, FILE_READ, &req, sizeof(req), &m);
	return rc ? rc : ((struct file_read_rep *)m.data)->len;
}

/* Echoes what comes on each socket in turn until end of file. */
static int
role_peer(void)
{
	for (int s = 0; s < 2; s++) {
		handle_t h = ustart->handles[s];
		for (;;) {
			long k = io(h, false, FILE_WRITE_INLINE_MAX);
			if (k <= 0)
				break;
			io(h, true, (uint32_t)k);
		}
		ferry_sys_handle_close(h);
	}
	return 0;
}

static void
pair(handle_t service, uint32_t type, handle_t h[2])
{
	struct sock_create_req req;
	memset(&req, 0, sizeof(req));
	req.domain = SOCK_AF_UNIX;
	req.type = type;
	struct ferry_msg m;
	if (call(service, SOCK_PAIR, &req, sizeof(req), &m))
		upanic("socketpair");
	h[0] = m.handles[0];
	h[1] = m.handles[1];
}

static uint64_t
pingpong(handle_t h, uint32_t len)
{
	for (int i = 0; i < N + WARM; i++) {
		uint64_t a = urdtsc();
		if (io(h, true, len) != len || io(h, false, len) != len)
			upanic("pingpong");
		if (i >= WARM)
			samples[i - WARM] = urdtsc() - a;
	}
	return ubench_median(samples, N);
}

int
main(void)
{
	if (ustart && !strcmp(ustart->cmd, "peer"))
		return role_peer();
	const char *unit = ubench_unit();

	handle_t q, p, server, service;
	if (ferry_sys_queue_create(2, &q) || ferry_sys_port_create(q, 1, &p))
		upanic("queue");
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "serve", sizeof(s.cmd));
	s.handles[1] = p;
	if (uspawn("sbin/posixsrv", &s, &server))
		upanic("cannot start posixsrv");
	ferry_sys_handle_close(p);
	struct ferry_msg m;
	if (ferry_sys_msg_recv(q, &m, FERRY_TIME_INFINITE) || m.nhandles != 2)
		upanic("posixsrv did not announce itself");
	service = m.handles[0];
	ferry_sys_handle_close(m.handles[1]);

	handle_t st[2], dg[2];
	pair(service, SOCK_T_STREAM, st);
	pair(service, SOCK_T_DGRAM, dg);
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "peer", sizeof(s.cmd));
	s.handles[0] = st[1];
	s.handles[1] = dg[1];
	handle_t peer;
	if (uspawn("bin/sockbench", &s, &peer))
		upanic("spawn peer");
	ferry_sys_handle_close(st[1]);
	ferry_sys_handle_close(dg[1]);

	ubench_report("sock_pingpong", pingpong(st[0], 1), unit);
	ubench_report("sock_pingpong_56", pingpong(st[0], FILE_WRITE_INLINE_MAX), unit);
	ferry_sys_handle_close(st[0]);
	ubench_report("dgram_pingpong", pingpong(dg[0], 1), unit);
	ferry_sys_handle_close(dg[0]);

	/* The peer leaves at end of file (a datagram socket may not see one:
	 * do not wait for it long). */
	ferry_sys_task_wait(peer, NULL, 1000000000ull);
	struct posix_reboot_req rb = {POSIX_REBOOT_POWER_OFF, 0};
	call(service, POSIX_REBOOT, &rb, sizeof(rb), NULL);
	ferry_sys_task_wait(server, NULL, FERRY_TIME_INFINITE);
	uprintf("SUITE-END sockbench\n");
	return 0;
}
