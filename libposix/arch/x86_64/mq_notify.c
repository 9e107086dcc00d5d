/* SPDX-License-Identifier: MIT */
/*
 * mq_notify, in place of musl's src/mq/mq_notify.c, which builds
 * SIGEV_THREAD on a netlink socket Ferry does not have.  Here a
 * SIGEV_THREAD registration is a kernel queue with one port: a detached
 * thread waits on the queue, and the port goes to posixsrv with the
 * registration (libposix's mq_notify system call takes it from
 * sigev_signo).  posixsrv sends one MQ_NOTIFY_FIRED message through it
 * when the notification fires (the thread then calls the function with
 * the value), and closes it when the registration ends any other way
 * (removed, its descriptor closed, refused): the thread sees no-senders
 * and ends.  Other kinds go straight to the system call.
 * docs/proto/mq.md "MQ_NOTIFY".
 */
#include <errno.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <ferry/proto/mq.h>
#include <ferry/syscall.h>
#include "syscall.h"

struct notify_args {
	handle_t queue;
	void (*fn)(union sigval);
	union sigval value;
};

static void *
notify_thread(void *p)
{
	struct notify_args a = *(struct notify_args *)p;
	struct ferry_msg m;
	long rc;

	free(p);
	do
		rc = ferry_sys_msg_recv(a.queue, &m, FERRY_TIME_INFINITE);
	while (rc == -FERRY_EINTR);
	ferry_sys_handle_close(a.queue);
	if (rc == 0 && m.op == MQ_NOTIFY_FIRED)
		a.fn(a.value);
	return 0;
}

int
mq_notify(mqd_t mqd, const struct sigevent *sev)
{
	struct notify_args *a;
	struct sigevent sev2;
	pthread_attr_t attr;
	pthread_t td;
	handle_t queue, port;

	if (!sev || sev->sigev_notify != SIGEV_THREAD)
		return syscall(SYS_mq_notify, mqd, sev);
	if (!(a = malloc(sizeof *a)))
		return -1;
	if (ferry_sys_queue_create(2, &queue)) {
		free(a);
		errno = EAGAIN;
		return -1;
	}
	if (ferry_sys_port_create(queue, 0, &port)) {
		ferry_sys_handle_close(queue);
		free(a);
		errno = EAGAIN;
		return -1;
	}
	a->queue = queue;
	a->fn = sev->sigev_notify_function;
	a->value = sev->sigev_value;
	if (sev->sigev_notify_attributes)
		attr = *sev->sigev_notify_attributes;
	else
		pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&td, &attr, notify_thread, a)) {
		ferry_sys_handle_close(port);
		ferry_sys_handle_close(queue);
		free(a);
		errno = EAGAIN;
		return -1;
	}
	/* From here the thread owns the queue; the port is always consumed
	 * by the call, and without it the thread ends. */
	sev2 = *sev;
	sev2.sigev_signo = (int)port;
	return syscall(SYS_mq_notify, mqd, &sev2);
}
