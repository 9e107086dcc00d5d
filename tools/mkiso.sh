#!/bin/sh
# SPDX-License-Identifier: MIT
# mkiso.sh OUT.iso ferry.bin boot.cpio kernel.sym grub.cfg: a GRUB rescue ISO
# (BIOS) that boots Ferry with the boot archive and symbols as modules.
set -eu
out=$1 bin=$2 cpio=$3 sym=$4 cfg=$5
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/boot/grub"
cp "$bin" "$cpio" "$sym" "$tree/boot/"
cp "$cfg" "$tree/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$tree" >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed (needs grub-pc-bin, xorriso, mtools)" >&2
	exit 1
}
