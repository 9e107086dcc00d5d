#!/bin/sh
# SPDX-License-Identifier: MIT
# check-format.sh SRCDIR: every C source and header of ours is formatted as
# .clang-format says (STYLE.md 10.10).  Third-party-facing trees are left
# out: the Open POSIX and Busybox suite harnesses follow those projects'
# conventions, bench/linux is host code, libposix/arch holds assembler
# overrides and *.S.h files are assembler.  Fix with: tools/check-format.sh --fix
set -u
fix=0
if [ "${1:-}" = "--fix" ]; then
	fix=1
	shift
fi
src=${1:-.}
cd "$src" || exit 1
files=$(git ls-files '*.c' '*.h' | grep -v -e '^tests/posix/' -e '^tests/busybox/' -e '^bench/linux/' \
	-e '^libposix/arch/' -e '\.S\.h$')
if [ $fix = 1 ]; then
	clang-format -i $files
	exit 0
fi
bad=0
for f in $files; do
	if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "FAIL HOST-FORMAT-$(echo "$f" | tr '/.' '--'): $f is not clang-formatted (tools/check-format.sh --fix)"
		bad=1
	fi
done
[ $bad = 0 ] && echo "PASS HOST-FORMAT-ALL every C file is clang-formatted"
exit $bad
