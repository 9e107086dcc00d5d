// SPDX-License-Identifier: MIT
/*
 * IPC benchmarks (first=bin/ipcbench, run by ./ferry bench under -icount,
 * where the TSC advances one tick per guest instruction):
 *   null_syscall     a no-op system call, user to user
 *   ipc_roundtrip    call + reply between two tasks (median of many)
 *   ipc_send_rate    one-way asynchronous sends, per message
 *   handle_transfer  send + receive of a message carrying one handle,
 *                    minus the same without the handle
 */
#include <ulib.h>

#define N 2000

static uint64_t samples[N];

static const char *unit = "insns";
#define report ubench_report

static int
role_server(void)
{
	handle_t q = ustart->handles[0];
	struct ferry_msg m;
	long rc = ferry_sys_msg_recv(q, &m, FERRY_TIME_INFINITE);
	while (rc == 0 && m.op != FERRY_NOTIFY_NO_SENDERS) {
		if (m.token)
			rc = ferry_sys_msg_reply_recv(q, &m, FERRY_TIME_INFINITE);
		else
			rc = ferry_sys_msg_recv(q, &m, FERRY_TIME_INFINITE);
	}
	return 0;
}

static handle_t
spawn_server(handle_t q)
{
	struct ustart s;
	memset(&s, 0, sizeof(s));
	strlcpy(s.cmd, "server", sizeof(s.cmd));
	s.handles[0] = q;
	handle_t t;
	if (uspawn("bin/ipcbench", &s, &t))
		upanic("spawn");
	return t;
}

static void
bench_null(void)
{
	for (int i = 0; i < 100; i++)
		ferry_sys_null();
	uint64_t t0 = urdtsc();
	for (int i = 0; i < N; i++)
		ferry_sys_null();
	uint64_t t1 = urdtsc();
	report("null_syscall", (t1 - t0) / N, unit);
}

static void
bench_roundtrip(void)
{
	handle_t q, p;
	if (ferry_sys_queue_create(16, &q) || ferry_sys_port_create(q, 1, &p))
		upanic("port");
	handle_t t = spawn_server(q);
	ferry_sys_handle_close(q);
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	for (int i = 0; i < 100; i++) {
		m.op = 1;
		ferry_sys_msg_call(p, &m, FERRY_TIME_INFINITE);
	}
	for (int i = 0; i < N; i++) {
		m.op = 1;
		m.len = 16;
		uint64_t a = urdtsc();
		ferry_sys_msg_call(p, &m, FERRY_TIME_INFINITE);
		samples[i] = urdtsc() - a;
	}
	report("ipc_roundtrip", ubench_median(samples, N), unit);

	/* One-way: the server drains while we send; the queue bounds the lag. */
	m.op = 2;
	m.len = 16;
	uint64_t a = urdtsc();
	for (int i = 0; i < N; i++)
		ferry_sys_msg_send(p, &m, 0);
	report("ipc_send_rate", (urdtsc() - a) / N, "insns/msg");
	ferry_sys_handle_close(p);
	ferry_sys_task_wait(t, NULL, FERRY_TIME_INFINITE);
	ferry_sys_handle_close(t);
}

static void
bench_transfer(void)
{
	handle_t q, p, mo;
	if (ferry_sys_queue_create(4, &q) || ferry_sys_port_create(q, 1, &p) ||
	    ferry_sys_memobj_create(4096, 0, &mo))
		upanic("setup");
	struct ferry_msg m, r;
	memset(&m, 0, sizeof(m));
	uint64_t plain = 0, with = 0;
	for (int round = 0; round < 2; round++) {
		uint64_t a = urdtsc();
		for (int i = 0; i < N; i++) {
			m.nhandles = round;
			m.handles[0] = mo;
			if (ferry_sys_msg_send(p, &m, 0) || ferry_sys_msg_recv(q, &r, 0))
				upanic("transfer bench: send/recv failed");
			if (round)
				mo = r.handles[0];
		}
		uint64_t d = (urdtsc() - a) / N;
		if (round == 0)
			plain = d;
		else
			with = d;
	}
	report("handle_transfer", with > plain ? with - plain : 0, unit);
	report("send_recv_self", plain, unit);
}

int
main(void)
{
	if (ustart && !strcmp(ustart->cmd, "server"))
		return role_server();
	unit = ubench_unit();
	bench_null();
	bench_roundtrip();
	bench_transfer();
	uprintf("SUITE-END ipcbench\n");
	return 0;
}
