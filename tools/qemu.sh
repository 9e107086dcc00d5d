#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot Ferry in QEMU: the one place that knows the QEMU command line.
# Used by `./ferry run`, and by tools/runtests.py for `./ferry test` and
# `./ferry bench`.  Run it from the repository root.
#
#   tools/qemu.sh [options]
#     --append CMDLINE    kernel command line
#     --initrd LIST       boot modules, comma-separated
#                         (default build/image/boot.cpio,build/kernel/kernel.sym)
#     --kernel FILE       default build/kernel/ferry.bin
#     --icount            deterministic mode: one guest ns per instruction (TCG)
#     --debug             wait for gdb on :1234 (-s -S)
#     --interactive       console on a terminal: -serial mon:stdio when stdin
#                         is a tty (Ctrl-A X quits, Ctrl-C goes to the guest)
#     --print             print the command instead of running it
#     --accel             print "kvm" or "tcg" and the reason, then exit
#
# Environment: FERRY_QEMU (QEMU binary, default qemu-system-x86_64; tests
# point it at a fake), FERRY_QEMU_ARGS (appended, word-split), FERRY_ACCEL
# (kvm or tcg: skip detection), FERRY_QEMU_QUIET=1 (no accel line on stderr).
#
# Exit status is QEMU's: the guest powers off through isa-debug-exit by
# writing V to port 0xf4, and QEMU exits with (V << 1) | 1, so 1 means the
# guest reported success (V=0) and 3 failure (V=1).  Anything else (0 after a
# reset or triple fault under -no-reboot, a QEMU error) is not a clean exit.

set -euo pipefail

QEMU=${FERRY_QEMU:-qemu-system-x86_64}
kernel=build/kernel/ferry.bin
initrd=build/image/boot.cpio,build/kernel/kernel.sym
append=""
icount=0 debug=0 interactive=0 print=0 accel_only=0

die() { printf 'qemu.sh: error: %s\n' "$*" >&2; exit 125; }

while [ $# -gt 0 ]; do
    case "$1" in
        --append)      [ $# -ge 2 ] || die "--append needs an argument"; append=$2; shift ;;
        --initrd)      [ $# -ge 2 ] || die "--initrd needs an argument"; initrd=$2; shift ;;
        --kernel)      [ $# -ge 2 ] || die "--kernel needs an argument"; kernel=$2; shift ;;
        --icount)      icount=1 ;;
        --debug)       debug=1 ;;
        --interactive) interactive=1 ;;
        --print)       print=1 ;;
        --accel)       accel_only=1 ;;
        *)             die "unknown option '$1'" ;;
    esac
    shift
done

# Decide between KVM and TCG.  KVM only with hardware virtualisation in the
# CPU flags and a /dev/kvm we can open: the paravirtual PVM /dev/kvm found on
# some cloud machines (module kvm_pvm, no vmx/svm flag) cannot run an
# ordinary kernel, so it must not be mistaken for the real thing.
accel='' reason=''
if [ "$icount" = 1 ]; then
    accel=tcg reason="--icount needs TCG"
elif [ -n "${FERRY_ACCEL:-}" ]; then
    case "$FERRY_ACCEL" in kvm|tcg) ;; *) die "FERRY_ACCEL must be kvm or tcg" ;; esac
    accel=$FERRY_ACCEL reason="FERRY_ACCEL=$FERRY_ACCEL"
elif ! grep -qwE 'vmx|svm' /proc/cpuinfo 2>/dev/null; then
    accel=tcg reason="no vmx/svm in /proc/cpuinfo"
    if [ -d /sys/module/kvm_pvm ]; then
        reason+="; /dev/kvm is PVM (kvm_pvm), which cannot run an ordinary kernel"
    fi
elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
    accel=tcg reason="/dev/kvm missing or not accessible"
else
    accel=kvm reason="CPU has vmx/svm and /dev/kvm is usable"
fi

if [ "$accel_only" = 1 ]; then
    echo "$accel ($reason)"
    exit 0
fi

# shellcheck disable=SC2054 # the commas belong to QEMU option values
args=(-kernel "$kernel" -initrd "$initrd" -append "$append"
      -m 512M -display none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ "$interactive" = 1 ] && [ -t 0 ]; then
    args+=(-serial mon:stdio)
else
    args+=(-serial stdio)
fi
if [ "$accel" = kvm ]; then
    args+=(-enable-kvm -cpu host)
else
    args+=(-accel tcg -cpu max)
fi
if [ "$icount" = 1 ]; then
    # shellcheck disable=SC2054
    args+=(-icount shift=0,align=off,sleep=off)
fi
if [ "$debug" = 1 ]; then
    args+=(-s -S)
fi
if [ -n "${FERRY_QEMU_ARGS:-}" ]; then
    # shellcheck disable=SC2206 # word-splitting is the documented interface
    args+=($FERRY_QEMU_ARGS)
fi

if [ "$print" = 1 ]; then
    printf '%q' "$QEMU"
    printf ' %q' "${args[@]}"
    printf '\n'
    exit 0
fi

[ "${FERRY_QEMU_QUIET:-0}" = 1 ] || echo "ferry: accel $accel ($reason)" >&2
if [ "$debug" = 1 ]; then
    echo "ferry: QEMU waits for gdb; in another terminal run:" >&2
    echo "    gdb build/kernel/kernel.elf -ex 'target remote :1234'" >&2
fi
IFS=, read -r -a modules <<<"$initrd"
for f in "$kernel" "${modules[@]}"; do
    [ -f "$f" ] || die "$f does not exist (build first: ./ferry build)"
done
command -v "$QEMU" >/dev/null 2>&1 || die "$QEMU not found (tools/deps.sh installs it)"
exec "$QEMU" "${args[@]}"
