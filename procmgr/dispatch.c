// SPDX-License-Identifier: MIT
/*
 * The dispatch table of protocol "proc", derived from its X-macro list
 * (include/ferry/proto/proc.h): opcode -> handler, request size and
 * handle count, checked by lib/srv before a handler runs.
 */
#include "procmgr.h"

const struct srv_op proc_ops[] = {PROC_PROTO_MESSAGES(SRV_OP_ENTRY)};
const uint32_t proc_nops = sizeof(proc_ops) / sizeof(proc_ops[0]);
