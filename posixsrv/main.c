// SPDX-License-Identifier: MIT
/*
 * posixsrv: the personality's root and the first task the kernel starts.
 * It serves the registry, pipes, the console and system calls (reboot,
 * host name) on ports bound to one queue, and brings up the other servers
 * and the command or init (bringup.c).  This file: start-up and the
 * receive -> dispatch loop.  docs/posixsrv.md describes the whole.
 *
 * Two ways to start: as the first task (bootinfo: it owns the I/O
 * capability and powers the machine off by exiting), or from a test
 * (ustart, cmd "serve": handles[0] the I/O capability or 0, handles[1] a
 * port to which it sends its service and registration ports, op 1).
 */
#include "posixsrv.h"

struct px px;

static void
make_port(port_key_t key, handle_t *send)
{
	int rc = (int)ferry_sys_port_create(px.queue, key, send);
	if (rc)
		upanic("posixsrv: port_create: %s", ferry_strerror(rc));
}

static void
setup(void)
{
	int rc = (int)ferry_sys_queue_create(256, &px.queue);
	if (rc)
		upanic("posixsrv: queue_create: %s", ferry_strerror(rc));
	/* posixsrv keeps a send handle to these: they never see no-senders. */
	make_port(KEY(KEY_SERVICE, 0), &px.service);
	make_port(KEY(KEY_REGISTER, 0), &px.registrar);
	make_port(KEY(KEY_CHILD, 0), &px.child_port);
	if (!px.iocap) {
		uprintf("posixsrv: no I/O capability: running without the console\n");
	} else if ((rc = uart_init(px.iocap))) {
		uprintf("posixsrv: FAILED to take COM1: %s; running without the console\n",
		        ferry_strerror(rc));
	}
	tty_console_init();
}

/* Test mode: hand our ports to the spawner. */
static void
announce(handle_t to)
{
	struct ferry_msg m;
	memset(&m, 0, sizeof(m));
	m.op = 1;
	m.flags = FERRY_MSGF_HANDLES_COPY;
	m.nhandles = 2;
	m.handles[0] = px.service;
	m.handles[1] = px.registrar;
	int rc = (int)ferry_sys_msg_send(to, &m, 0);
	if (rc)
		upanic("posixsrv: announce: %s", ferry_strerror(rc));
	ferry_sys_handle_close(to);
}

static ferry_time_t
min_time(ferry_time_t a, ferry_time_t b)
{
	return a < b ? a : b;
}

int
main(void)
{
	if (ubootinfo) {
		px.first = true;
		px.iocap = ubootinfo->iocap;
		uprintf("posixsrv: Ferry POSIX personality (boot archive %lu KiB)\n",
		        (unsigned long)(ubootinfo->archive_size / 1024));
	} else if (ustart && !strcmp(ustart->cmd, "serve")) {
		px.iocap = ustart->handles[0];
	} else {
		upanic("posixsrv must be the first task, or started with cmd 'serve'");
	}
	setup();
	if (!px.first)
		announce(ustart->handles[1]);
	bringup_start();

	struct ferry_msg m;
	while (!px.exiting || !uart_tx_idle()) {
		uint64_t now = unow_ns();
		mq_timers(now);
		ferry_time_t t = min_time(tty_next_timeout(now), bringup_timeout(now));
		t = min_time(t, mq_next_timeout(now));
		if (px.exiting)
			t = min_time(t, 1000000); /* poll the drain; interrupts still feed it */
		long rc = ferry_sys_msg_recv(px.queue, &m, t);
		if (rc == -FERRY_ETIMEDOUT || rc == -FERRY_EAGAIN || rc == -FERRY_EINTR) {
			tty_timers(unow_ns());
			bringup_poll();
			continue;
		}
		if (rc)
			upanic("posixsrv: receive: %s", ferry_strerror((int)rc));
		px_dispatch(&m);
		bringup_poll();
	}
	uart_drain();
	if (px.report_exit)
		uprintf("FERRY-EXIT %d\n", px.exit_code);
	return px.exit_code;
}
