#!/bin/sh
# SPDX-License-Identifier: MIT
# The Linux reference for tests/busybox/results.tsv (docs/busybox.md): runs
# Busybox's testsuite on the build machine against Busybox built natively
# with the same source and ports/busybox/config (host gcc, glibc).
#
#   tests/busybox/linux.sh BUSYBOX_TREE OUT.tsv [APPLET...]
#
# BUSYBOX_TREE is a built tree (its busybox and .config; e.g. a copy of
# build/src/busybox-1.35.0 after `cp ports/busybox/config .config;
# yes "" | make oldconfig; make`).  The testsuite is copied to a temporary
# directory and run as on Ferry: `runtest APPLET` per applet of
# tests/busybox/subset.txt, under the Busybox shell, 120 s each.  Build it
# with CONFIG_BUSYBOX_EXEC_PATH="/proc/self/exe" (the Linux default; ours,
# /bin/busybox, is not there on the build machine).
# OUT.tsv gets "applet<TAB>status<TAB>test" lines (PASS, FAIL, SKIP).
set -eu
tree=$(realpath "$1"); out=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
applets="$*"
[ -n "$applets" ] || applets=$(sed -e 's/#.*//' "$here/subset.txt")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$tree/testsuite" "$work/testsuite"
cd "$work/testsuite"
# On Ferry /bin/sh is Busybox's ash; here it is the host's (dash, whose echo
# has no -n/-e: testing.sh's expected output goes wrong).  The scripts run
# directly (#!/bin/sh) get the Busybox shell instead.
grep -rl '^#!/bin/sh' . | while read -r f; do
	sed -i "1s|^#!/bin/sh|#!$tree/busybox sh|" "$f"
done
export bindir="$tree"
: >"$out"
for a in $applets; do
	timeout 120 "$tree/busybox" sh ./runtest "$a" >"$work/out.$a" 2>&1 </dev/null || true
	sed -n -e "s/^PASS: /$a	PASS	/p" -e "s/^FAIL: /$a	FAIL	/p" \
	    -e "s/^SKIPPED: /$a	SKIP	/p" -e "s/^UNTESTED: /$a	SKIP	/p" "$work/out.$a" >>"$out"
done
