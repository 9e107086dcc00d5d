// SPDX-License-Identifier: MIT
/*
 * Pipe benchmarks (first=bin/pipebench): posixsrv is started in test mode,
 * a copy of this program runs as the peer task.
 *   pipe_bandwidth   16 MiB in 64 KiB writes (transfer areas on both
 *                    ends), reader in the other task; MiB per guest second
 *   pipe_write_64k   mean cost of one 64 KiB write+read in that stream
 *   pipe_pingpong    1-byte message there and back between two tasks
 *                    through two pipes (median), the pipe round trip
 * Units as in bench/ipc.c: insns under -icount, cycles otherwise.
 */
#include <ulib.h>
#include <ferry/proto/file.h>
#include <ferry/proto/pipe.h>
#include <ferry/proto/posix.h>

#define CHUNK 65536
#define TOTAL (16u << 20)
#define N     1000

static uint64_t samples[N];
static const char *unit = "insns";

#define report ubench_report

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

static uint32_t
attach(handle_t port, uint8_t **addr)
{
	handle_t mo, mine;
	if (ferry_sys_memobj_create(CHUNK, 0, &mo) ||
	    ferry_sys_handle_dup(mo, FERRY_RIGHT_SAME, &mine))
		upanic("memobj");
	struct ferry_map_req r = {0, CHUNK, FERRY_PROT_READ | FERRY_PROT_WRITE, 0};
	uintptr_t a;
	if (ferry_sys_vm_map(0, mine, 0, &r, &a))
		upanic("map");
	*addr = (uint8_t *)a;
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = FILE_XFER_ATTACH;
	uint64_t size = CHUNK;
	m.len = sizeof(struct file_xfer_attach_req);
	memcpy(m.data, &size, 8);
	m.nhandles = 1;
	m.handles[0] = mo;
	if (ferry_sys_msg_call(port, &m, FERRY_TIME_INFINITE))
		upanic("attach");
	struct file_xfer_attach_rep rep;
	memcpy(&rep, m.data, sizeof(rep));
	if (rep.status)
		upanic("attach: %s", ferry_strerror(rep.status));
	return rep.id;
}

/* One read or write of len bytes (inline when id is 0); returns the count or a status. */
static long
io(handle_t port, bool wr, uint32_t id, uint32_t len, const char *inl)
{
	struct ferry_msg m;
	if (wr) {
		struct file_write_req req;
		memset(&req, 0, sizeof(req));
		req.len = len;
		req.offset = -1;
		req.xfer = id;
		if (!id)
			memcpy(req.data, inl, len);
		int rc = call(port, FILE_WRITE, &req, sizeof(req), &m);
		return rc ? rc : ((struct file_write_rep *)m.data)->len;
	}
	struct file_read_req req = {len, -1, 0, id, 0, 0, 0};
	int rc = call(port, FILE_READ, &req, sizeof(req), &m);
	return rc ? rc : ((struct file_read_rep *)m.data)->len;
}

static int
role_peer(void)
{
	handle_t in = ustart->handles[0], out = ustart->handles[1];
	uint8_t *area;
	uint32_t id = attach(in, &area);
	/* Phase 1: drain TOTAL bytes, then say so. */
	uint64_t got = 0;
	while (got < TOTAL) {
		long k = io(in, false, id, CHUNK, NULL);
		if (k <= 0)
			return 1;
		got += (uint64_t)k;
	}
	io(out, true, 0, 1, "d");
	/* Phase 2: echo single bytes until EOF. */
	for (;;) {
		long k = io(in, false, 0, 1, NULL);
		if (k <= 0)
			return 0;
		io(out, true, 0, 1, "p");
	}
}

int
main(void)
{
	if (ustart && !strcmp(ustart->cmd, "peer"))
		return role_peer();
	unit = ubench_unit();

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

	struct pipe_create_req preq = {0, 0};
	handle_t aw, ar, bw, br;
	if (call(service, PIPE_CREATE, &preq, sizeof(preq), &m))
		upanic("pipe");
	ar = m.handles[0], aw = m.handles[1];
	if (call(service, PIPE_CREATE, &preq, sizeof(preq), &m))
		upanic("pipe");
	br = m.handles[0], bw = m.handles[1];
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "peer", sizeof(s.cmd));
	s.handles[0] = ar;
	s.handles[1] = bw;
	handle_t peer;
	if (uspawn("bin/pipebench", &s, &peer))
		upanic("spawn peer");
	ferry_sys_handle_close(ar);
	ferry_sys_handle_close(bw);

	uint8_t *area;
	uint32_t id = attach(aw, &area);
	memset(area, 0x5a, CHUNK);
	uint64_t t0 = unow_ns(), c0 = urdtsc();
	for (uint32_t sent = 0; sent < TOTAL;) {
		long k = io(aw, true, id, CHUNK, NULL);
		if (k <= 0)
			upanic("write: %s", ferry_strerror((int)k));
		sent += (uint32_t)k;
	}
	if (io(br, false, 0, 1, NULL) != 1)
		upanic("peer did not finish");
	uint64_t ns = unow_ns() - t0, cyc = urdtsc() - c0;
	report("pipe_bandwidth", ns ? (uint64_t)TOTAL * 1000000000ull / ns / (1 << 20) : 0,
	       "MiB/s");
	report("pipe_write_64k", cyc / (TOTAL / CHUNK), unit);

	for (int i = 0; i < N + 50; i++) {
		uint64_t a = urdtsc();
		io(aw, true, 0, 1, "x");
		io(br, false, 0, 1, NULL);
		if (i >= 50)
			samples[i - 50] = urdtsc() - a;
	}
	report("pipe_pingpong", ubench_median(samples, N), unit);

	ferry_sys_handle_close(aw);
	ferry_sys_task_wait(peer, NULL, FERRY_TIME_INFINITE);
	struct posix_reboot_req rb = {POSIX_REBOOT_POWER_OFF, 0};
	call(service, POSIX_REBOOT, &rb, sizeof(rb), NULL);
	ferry_sys_task_wait(server, NULL, FERRY_TIME_INFINITE);
	uprintf("SUITE-END pipebench\n");
	return 0;
}
