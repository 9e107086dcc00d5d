/* SPDX-License-Identifier: MIT */
/*
 * What the kernel hands the first task (posixsrv, or a test runner chosen
 * with first= on the kernel command line).  Its address arrives in rdi;
 * the page is read-only to the task.  Every other task is started by user
 * space, with whatever its starter passes.
 */
#ifndef FERRY_BOOTINFO_H
#define FERRY_BOOTINFO_H

#include <ferry/types.h>

#define FERRY_BOOTINFO_MAGIC       0x464552525942494full /* "FERRYBIO" */
#define FERRY_BOOTINFO_CMDLINE_MAX 1024

struct ferry_bootinfo {
	uint64_t magic;
	handle_t self_task; /* MANAGE on the first task itself */
	handle_t iocap;     /* the I/O capability (IRQ lines, I/O ports, physical memory) */
	handle_t archive;   /* memory object holding the boot archive (cpio newc), read-only */
	uint32_t pad;
	uint64_t archive_addr; /* where the archive is mapped in the first task */
	uint64_t archive_size; /* bytes */
	uint64_t tsc_hz;
	char cmdline
	        [FERRY_BOOTINFO_CMDLINE_MAX]; /* the kernel command line, after the image name */
};

#endif
