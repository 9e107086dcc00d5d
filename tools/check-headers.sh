#!/bin/sh
# SPDX-License-Identifier: MIT
# check-headers.sh SRCDIR: every public header (include/ferry/**.h) and
# every lib/ header compiles on its own, for the freestanding target, in
# C11 with -Wall -Wextra -Werror.  Prints PASS/FAIL lines per header.
set -u
src=$1
fail=0
for h in $(cd "$src" && find include/ferry lib/include -name '*.h' | sort); do
	id=HOST-HDR-$(echo "$h" | tr '/.' '--')
	if out=$(clang --target=x86_64-unknown-none-elf -ffreestanding -std=gnu11 -Wall -Wextra -Werror \
		-fsyntax-only -I"$src/include" -I"$src/lib/include" -x c -include "$src/$h" /dev/null 2>&1); then
		echo "PASS $id $h compiles on its own"
	else
		echo "FAIL $id: $h does not compile on its own: $(echo "$out" | head -1)"
		fail=1
	fi
done
exit $fail
