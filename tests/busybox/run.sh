#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs Busybox's own testsuite inside Ferry (docs/busybox.md, "Busybox's own
# testsuite").  The boot archive build/image/bbts.cpio (image/meson.build)
# holds the testsuite under /bbtest/testsuite, this script as /bbtest/run.sh,
# the applet list /bbtest/subset.txt, the committed table /bbtest/results.tsv
# and the Busybox .config as /bin/.config (runtest reads $bindir/.config).
#
#   cmd=/bin/sh /bbtest/run.sh SUITE [K/N | APPLET...]
#
# K/N runs the K-th of N parts of subset.txt (every N-th applet from the
# K-th); no argument runs them all.
#
# It copies the testsuite to /tmp/bbts/testsuite (`cp -a`), and for every
# applet runs `./runtest APPLET` (under `timeout`) there and prints, per
# test,
#   BBTS-RESULT <applet> <PASS|FAIL|SKIP> <name>    (the raw result)
#   PASS BBTS-<applet>/<name>                       (passed)
#   FAIL BBTS-<applet>/<name>: regressed            (failed, but passed in
#                                                    results.tsv's ferry column)
# A failure that results.tsv already records prints only BBTS-RESULT.
# Then `SUITE-END SUITE` and a power-off.
suite=${1:-bbts}
shift
applets="$*"
case $applets in
*/*)
	k=${applets%/*} n=${applets#*/}
	applets=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' /bbtest/subset.txt |
		awk -v k="$k" -v n="$n" '(NR - k) % n == 0')
	;;
"") applets=$(sed -e 's/#.*//' /bbtest/subset.txt) ;;
esac
tlimit=${BBTS_TLIMIT:-120}

mkdir -p /tmp/bbts
cp -a /bbtest/testsuite /tmp/bbts/testsuite || exit 1
cd /tmp/bbts/testsuite || exit 1
export bindir=/bin
# As a login would set it (the Linux reference run has the user's SHELL):
# taskset's test runs `$SHELL -c`.
export SHELL=/bin/sh

# The IDs have no spaces: every character but [A-Za-z0-9._+-] becomes '_'.
mkid() { printf '%s' "$1" | tr -c 'A-Za-z0-9._+-' '_'; }

for a in $applets; do
	t0=$(date +%s)
	timeout "$tlimit" ./runtest "$a" >/tmp/bbts/out.$a 2>&1
	rc=$?
	t1=$(date +%s)
	[ $rc -eq 143 ] || [ $rc -eq 124 ] && echo "BBTS-TIMEOUT $a after ${tlimit}s"
	echo "BBTS-APPLET $a rc=$rc $((t1 - t0))s"
	# runtest's lines: "PASS: name", "FAIL: name", "SKIPPED: name",
	# "UNTESTED: name" (both counted as SKIP).
	while IFS= read -r line; do
		case $line in
		"PASS: "*) st=PASS; name=${line#PASS: } ;;
		"FAIL: "*) st=FAIL; name=${line#FAIL: } ;;
		"SKIPPED: "*) st=SKIP; name=${line#SKIPPED: } ;;
		"UNTESTED: "*) st=SKIP; name=${line#UNTESTED: } ;;
		*) continue ;;
		esac
		id="BBTS-$a/$(mkid "$name")"
		printf 'BBTS-RESULT\t%s\t%s\t%s\n' "$a" "$st" "$name"
		case $st in
		PASS) echo "PASS $id" ;;
		FAIL)
			was=$(awk -F'\t' -v a="$a" -v n="$name" '$1 == a && $2 == n { print $3; exit }' /bbtest/results.tsv)
			[ "$was" = PASS ] && echo "FAIL $id: regressed (passed in tests/busybox/results.tsv)"
			;;
		esac
	done </tmp/bbts/out.$a
done
echo "SUITE-END $suite"
poweroff -f
