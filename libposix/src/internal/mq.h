/* SPDX-License-Identifier: MIT */
/*
 * libposix's client side of posixsrv's mq protocol
 * (include/ferry/proto/mq.h, docs/proto/mq.md), shared by the mq/ calls.
 * All return 0 (or a value) or -errno.
 */
#ifndef LIBPOSIX_MQ_H
#define LIBPOSIX_MQ_H

#include <time.h>
#include <ferry/proto/mq.h>
#include "libposix.h"

/* The port of message queue descriptor fd: -EBADF if fd is not open. */
LP_HIDDEN long __ferry_mq_fd(long fd, handle_t *port);
/* One mq call on a description; a server that does not speak it means EBADF. */
LP_HIDDEN long __ferry_mq_rpc(handle_t port, uint32_t op, const void *req, unsigned reqlen,
                              void *rep, unsigned replen);
/*
 * MQ_OPEN or MQ_UNLINK of name (musl has stripped the leading slash) with
 * req's other fields set: the name goes inline, or in a lent page when
 * longer than MQ_NAME_INLINE.  The reply's handle goes to *hout if given.
 */
LP_HIDDEN long __ferry_mq_name_call(uint32_t op, const char *name, struct mq_name_req *req,
                                    struct mq_open_rep *rep, handle_t *hout);
/* The deadline of an absolute CLOCK_REALTIME time at (NULL: 0, none); an
 * invalid one sets MQ_F_BADTIME in *flags (EINVAL only if the call waits). */
LP_HIDDEN uint64_t __ferry_mq_deadline(const struct timespec *at, uint32_t *flags);

#endif
