/* SPDX-License-Identifier: MIT */
/*
 * The readers' side of procmgr's credential table (include/ferry/proto/
 * proc.h, docs/procmgr.md "Credentials"): servers that check who calls
 * them (vfs, posixsrv's message queues) map the table read-only and name
 * a caller by the kernel object id of its token, a copy of its process
 * port that only it and procmgr hold.
 */
#ifndef LIB_SRV_CRED_H
#define LIB_SRV_CRED_H

#include <stdbool.h>
#include <stdint.h>
#include <ferry/proto/proc.h>

/* Maps the table mo (consumed) read-only: 0, -FERRY_EINVAL (not a table),
 * or the map's error. */
int srv_cred_map(uint32_t mo, const struct proc_cred_table **out);
/*
 * Copies slot's entry under its sequence lock (the groups only as many as
 * there are: this runs on every checked request).  False if the slot no
 * longer belongs to koid (the process died or the slot was reused).
 */
bool srv_cred_read(const struct proc_cred_table *t, uint32_t slot, uint64_t koid,
                   struct proc_cred_entry *out);
/* The slot whose process port has this koid, or -1. */
int srv_cred_slot(const struct proc_cred_table *t, uint64_t koid);
/*
 * The entry of the process whose token h is (h is consumed; 0: none):
 * 0, or -FERRY_EPERM for no token, a forged one (another object, a
 * process that is gone) or no table.
 */
int srv_cred_of_token(const struct proc_cred_table *t, uint32_t h, struct proc_cred_entry *out);

#endif
