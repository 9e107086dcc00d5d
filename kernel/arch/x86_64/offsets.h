/* SPDX-License-Identifier: MIT */
/*
 * Field offsets of struct thread, struct task and struct vmspace for the
 * assembly context switch (switch.S).  thread.c checks every one of them
 * against offsetof at compile time, so a layout change cannot go unnoticed.
 */
#ifndef ARCH_X86_64_OFFSETS_H
#define ARCH_X86_64_OFFSETS_H

#define THREAD_TASK           0x20
#define THREAD_DYING          0x50
#define THREAD_KSP            0x68
#define THREAD_KSTACK_TOP     0x70
#define THREAD_ARENA_BASE     0x78
#define THREAD_ARENA_TOP      0x80
#define THREAD_FSBASE         0x98
#define THREAD_FPU            0xb0
#define THREAD_UPCALL_PENDING 0x3d8
#define TASK_VM               0x48
#define TASK_SUSPENDED        0x4f0
#define TASK_IOBITMAP         0x508
#define VMSPACE_ROOT          0x0

#define PERCPU_KSTACK_TOP 8
#define PERCPU_WORK       24

#endif
