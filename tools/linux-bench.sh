#!/bin/bash
# SPDX-License-Identifier: MIT
# The Linux reference column of `./ferry bench` (docs/benchmarks.md): boots
# Debian's kernel package with bench/linux/linuxbench.c as /init, in the same
# QEMU configuration as Ferry's benchmarks (TCG, -icount shift=0), and prints
# the guest's `BENCH linux_<metric> <value> <unit>` lines without the prefix.
#
#   tools/linux-bench.sh [--timeout SECS]
#
# Everything goes to build/linux-ref/ (not committed): the kernel is fetched
# once with `apt-get download` (linux-image-amd64 names the versioned
# linux-image-6.1.0-N-amd64 package) and cached as build/linux-ref/vmlinuz;
# the programs are built with the host's gcc -static -O2 and packed with cpio
# into build/linux-ref/initramfs.cpio.  Serial log: build/bench-logs/linux.log.
# FERRY_QEMU picks the QEMU binary.  Exit 0 iff the guest got to its
# SUITE-END line.

set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

REF=build/linux-ref
LOG=build/bench-logs/linux.log
QEMU=${FERRY_QEMU:-qemu-system-x86_64}
timeout=300

say() { printf 'linux-bench: %s\n' "$*" >&2; }
die() { printf 'linux-bench: error: %s\n' "$*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout=$2; shift ;;
        -h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown option '$1'" ;;
    esac
    shift
done
mkdir -p "$REF" "$(dirname "$LOG")"

# apt-get download into $1, updating the package lists once if needed.
apt_download() {
    local dir=$1 pkg=$2
    # _apt must be able to write there, or apt warns and downloads as root.
    chmod 0777 "$dir" 2>/dev/null || true
    if ! (cd "$dir" && apt-get download "$pkg") >>"$REF/apt.log" 2>&1; then
        say "apt-get download $pkg failed; running apt-get update once"
        apt-get update >>"$REF/apt.log" 2>&1 || true
        (cd "$dir" && apt-get download "$pkg") >>"$REF/apt.log" 2>&1 ||
            die "apt-get download $pkg failed (see $REF/apt.log)"
    fi
}

# Debian's kernel: linux-image-amd64 -> linux-image-6.1.0-N-amd64 -> vmlinuz.
fetch_kernel() {
    [ -s "$REF/vmlinuz" ] && return 0
    local deb="$REF/deb"
    rm -rf "$deb"
    mkdir -p "$deb"
    say "fetching Debian's kernel package (once; cached in $REF/vmlinuz)"
    apt_download "$deb" linux-image-amd64
    local meta pkg
    meta=$(ls "$deb"/linux-image-amd64_*.deb)
    pkg=$(dpkg-deb -f "$meta" Depends | sed 's/[,|]/\n/g' | sed 's/^ *//; s/ .*//' |
          grep -m1 -E '^linux-image-[0-9].*-amd64$') ||
        die "no versioned kernel in the Depends of $meta"
    apt_download "$deb" "$pkg"
    # Only boot/ is needed; the modules would be hundreds of MiB unpacked.
    rm -rf "$REF/root"
    mkdir -p "$REF/root"
    dpkg-deb --fsys-tarfile "$deb/${pkg}"_*.deb | tar -x -C "$REF/root" ./boot
    local v
    v=$(find "$REF/root/boot" -name 'vmlinuz-*' | head -n 1)
    [ -f "$v" ] || die "no boot/vmlinuz-* in $pkg"
    cp "$v" "$REF/vmlinuz.tmp"
    mv "$REF/vmlinuz.tmp" "$REF/vmlinuz"
    # shellcheck disable=SC2016 # dpkg-deb expands the ${...} fields
    dpkg-deb -W --showformat='${Package} ${Version}\n' "$deb/${pkg}"_*.deb >"$REF/kernel-version"
    rm -rf "$deb"
    say "kernel: $(cat "$REF/kernel-version")"
}

build_initramfs() {
    command -v gcc >/dev/null || die "gcc is missing (./ferry deps installs it)"
    command -v cpio >/dev/null || die "cpio is missing (./ferry deps installs it)"
    if [ ! -e /usr/lib/x86_64-linux-gnu/libc.a ]; then
        say "installing libc6-dev for static linking"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libc6-dev \
            >>"$REF/apt.log" 2>&1 || die "could not install libc6-dev (see $REF/apt.log)"
    fi
    local stage="$REF/stage"
    rm -rf "$stage"
    mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/tmp"
    gcc -static -O2 -Wall -Wextra -o "$stage/init" bench/linux/linuxbench.c -lpthread
    gcc -static -O2 -Wall -o "$stage/bin/exit0" bench/linux/exit0.c
    (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
        cpio -o -H newc -R 0:0 --quiet) >"$REF/initramfs.cpio"
}

fetch_kernel
build_initramfs

# The QEMU configuration of tools/qemu.sh --icount, with Linux's console.
# shellcheck disable=SC2054 # the commas belong to QEMU option values
args=(-kernel "$REF/vmlinuz" -initrd "$REF/initramfs.cpio"
      -append "console=ttyS0 quiet panic=-1"
      -m 512M -display none -serial stdio -monitor none -no-reboot
      -accel tcg -cpu max -icount shift=0,align=off,sleep=off)
say "booting $(cat "$REF/kernel-version" 2>/dev/null || echo Linux) under -icount (timeout ${timeout}s)"
start=$(date +%s)
set +e
timeout --foreground -k 5 "$timeout" "$QEMU" "${args[@]}" </dev/null >"$LOG" 2>&1
status=$?
set -e
tr -d '\r' <"$LOG" | sed -n 's/^\(\[[^]]*\] *\)\{0,1\}BENCH \([^ ]* [^ ]* [^ ]*\) *$/\2/p'
say "QEMU exited with status $status after $(( $(date +%s) - start ))s (log: $LOG)"
if ! tr -d '\r' <"$LOG" | grep -q '^SUITE-END linuxbench'; then
    say "the guest did not finish; last lines:"
    tr -d '\r' <"$LOG" | tail -n 30 | sed 's/^/  | /' >&2
    exit 1
fi
