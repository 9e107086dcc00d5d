# SPDX-License-Identifier: MIT
# Ferry: __set_thread_area(tp) as arch_prctl(ARCH_SET_FS, tp) through the
# seam; libposix turns it into the kernel's thread_set_fs.  Runs before TLS
# exists: the path it takes (__ferry_syscall, arch_prctl) uses no TLS.
.text
.global __set_thread_area
.hidden __set_thread_area
.hidden __ferry_syscall
.type __set_thread_area,@function
__set_thread_area:
	mov %rdi,%rdx           # tp
	mov $0x1002,%esi        # ARCH_SET_FS
	mov $158,%edi           # SYS_arch_prctl
	jmp __ferry_syscall
