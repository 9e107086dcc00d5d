/* SPDX-License-Identifier: MIT */
/*
 * Page payloads (include/ferry/msg.h, docs/memory.md): whole pages that
 * travel with a message.  In transit a payload is a memory object holding
 * references to the sender's pages; it rides in the last handle slot of
 * the message's object array, marked with PAYLOAD_MARK in its rights, so
 * queues, staging and clean-up treat it like a transferred handle.
 */
#ifndef KERNEL_OBJECT_PAYLOAD_H
#define KERNEL_OBJECT_PAYLOAD_H

#include <stdint.h>
#include <stdbool.h>
#include <ferry/msg.h>
#include <object/kobject.h>

#define PAYLOAD_SLOT (FERRY_MSG_HANDLES_MAX - 1)
#define PAYLOAD_MARK 0x80000000u /* rights[] of a slot that carries a payload */

struct vmspace;

/*
 * Collects the payload described by m (FERRY_MSGF_PAYLOAD) from the current
 * task: *obj gets the in-transit object and *rights its marked flags.  A
 * lend is only valid in a call.  For a move the range is unmapped from the
 * sender.  -FERRY_EINVAL (descriptor, alignment, lend outside a call, too
 * many handles), -FERRY_EFAULT/-FERRY_EACCES (range not mapped or not
 * readable/writable as asked), -FERRY_EQUOTA, -FERRY_ENOMEM.
 */
int payload_gather(const struct ferry_msg *m, bool call, struct kobject **obj, uint32_t *rights);
/* Maps an arrived payload into the current task and rewrites the descriptor
 * in m (addr 0 if it could not be taken).  Consumes the reference in obj. */
void payload_deliver(struct ferry_msg *m, struct kobject *obj, uint32_t rights);
/*
 * The call named by token has ended: pages lent for it leave the receiver.
 * After a reply the mapping is removed; when the caller gave up (timeout,
 * interruption, exit) it is replaced by zero pages so the server does not
 * fault in the middle of its work.
 */
void payload_call_end(uint64_t token, bool replied);
/* vm is being destroyed: forget the lends mapped into it. */
void payload_vm_gone(struct vmspace *vm);

#endif
