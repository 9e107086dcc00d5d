#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds libposix: musl (Debian's source package, fetched at build time)
# with its system call layer replaced, installed with Ferry's SDK.
#
#   libposix/build-musl.sh --source-root DIR --build-root DIR [--stamp FILE]
#
# Layout under the build root:
#   src/musl-<ver>/   pristine unpacked source (never modified)
#   musl/overlay/     symlink farm of it, with libposix's files overlaid
#   musl/obj/         musl's out-of-tree build (configure run here)
#   sdk/sysroot/      include/ (musl + <ferry/...>), lib/ (crt*.o, libc.a)
#   sdk/bin/ferry-cc, sdk/ferry-cross.ini
#
# The overlay follows musl's own override convention, so no musl file is
# edited: arch/x86_64/syscall_arch.h is ours, src/<area>/x86_64/<name>.s
# replaces src/<area>/<name>.c (OVERRIDES below, the one list of replaced
# files), and each libposix/src/<area>/ becomes a new src/ferry_<area>/
# directory, which musl's Makefile globs like its own.
#
# Incremental: a hash of every input is kept in musl/inputs.sha256; when it
# matches, nothing runs.  Otherwise musl's make rebuilds only what changed.
set -euo pipefail

MUSL_VERSION=1.2.3
SRCROOT= BUILDROOT= STAMP=
while [ $# -gt 0 ]; do
    case $1 in
    --source-root) SRCROOT=$(realpath "$2"); shift 2 ;;
    --build-root) BUILDROOT=$(realpath -m "$2"); shift 2 ;;
    --stamp) STAMP=$2; shift 2 ;;
    *) echo "usage: $0 --source-root DIR --build-root DIR [--stamp FILE]" >&2; exit 2 ;;
    esac
done
[ -n "$SRCROOT" ] && [ -n "$BUILDROOT" ] || { echo "$0: missing arguments" >&2; exit 2; }

LP=$SRCROOT/libposix
WORK=$BUILDROOT/musl
OVERLAY=$WORK/overlay
OBJ=$WORK/obj
SDK=$BUILDROOT/sdk
SYSROOT=$SDK/sysroot
LOG=$WORK/build.log
TARGET=x86_64-unknown-linux-musl

say() { printf 'libposix: %s\n' "$*" >&2; }
die() { printf 'libposix: error: %s\n' "$*" >&2; exit 1; }

# Overlay path in musl's tree <- our file in libposix/arch/x86_64/.  Each
# replaced musl file must exist (a musl upgrade that moves one fails here).
# mq_notify.c is the one C file: musl's builds SIGEV_THREAD on netlink.
OVERRIDES=(
    "arch/x86_64/syscall_arch.h:syscall_arch.h"
    "src/thread/x86_64/syscall_cp.s:syscall_cp.s"
    "src/thread/x86_64/__set_thread_area.s:__set_thread_area.s"
    "src/thread/x86_64/__unmapself.s:__unmapself.S"
    "src/thread/x86_64/clone.s:clone.s"
    "src/process/x86_64/vfork.s:vfork.s"
    "src/signal/x86_64/restore.s:restore.s"
    "src/mq/mq_notify.c:mq_notify.c"
)

fetch_musl() {
    local dir=$BUILDROOT/src/musl-$MUSL_VERSION
    if [ ! -f "$dir/VERSION" ]; then
        [ -x "$SRCROOT/tools/deps.sh" ] || die "no musl source in $dir and no tools/deps.sh to fetch it"
        mkdir -p "$BUILDROOT/src"
        say "fetching Debian's musl source package"
        local got
        got=$("$SRCROOT/tools/deps.sh" source musl "$BUILDROOT/src" | tail -n 1)
        [ "$got" = "$dir" ] || [ -f "$dir/VERSION" ] || die "deps.sh unpacked '$got', expected $dir"
    fi
    [ "$(cat "$dir/VERSION")" = "$MUSL_VERSION" ] || die "$dir is not musl $MUSL_VERSION"
    MUSL=$dir
}

inputs_hash() {
    {
        echo "$MUSL_VERSION $TARGET $(clang --version | head -n 1)"
        find "$LP/arch" "$LP/src" "$SRCROOT/include/ferry" "$SRCROOT/tools/sdk" \
            -type f -print0 | sort -z | xargs -0 sha256sum
        sha256sum "$0" "$SRCROOT/tools/gen-syscall-table.py"
    } | sha256sum | cut -d' ' -f1
}

build_overlay() {
    rm -rf "$OVERLAY"
    mkdir -p "$OVERLAY"
    cp -as "$MUSL/." "$OVERLAY/"
    rm -rf "$OVERLAY/debian"
    local o dst ours
    for o in "${OVERRIDES[@]}"; do
        dst=${o%%:*} ours=${o#*:}
        [ -e "$OVERLAY/$dst" ] || die "musl has no $dst to replace"
        rm -f "$OVERLAY/$dst"
        ln -s "$LP/arch/x86_64/$ours" "$OVERLAY/$(dirname "$dst")/$ours"
    done
    local area
    for area in "$LP"/src/*/; do
        area=$(basename "$area")
        ln -s "$LP/src/$area" "$OVERLAY/src/ferry_$area"
    done
    mkdir -p "$OVERLAY/src/ferry_gen"
}

configure_musl() {
    mkdir -p "$OBJ"
    # Our own code is held to the project's warnings; musl keeps its flags.
    local ours="-std=c11 -Wall -Wextra -Werror -I$LP/src/internal"
    if [ ! -f "$OBJ/config.mak" ] || ! grep -qF -- "$ours" "$OBJ/config.mak"; then
        say "configuring musl $MUSL_VERSION"
        (cd "$OBJ" && "$OVERLAY/configure" --target=x86_64 --prefix=/ \
            --disable-shared --disable-wrapper \
            CC="clang --target=$TARGET" AR=llvm-ar RANLIB=llvm-ranlib \
            CFLAGS="-g" CPPFLAGS="-I$SRCROOT/include") >>"$LOG" 2>&1 \
            || { tail -n 20 "$LOG" >&2; die "musl configure failed (log: $LOG)"; }
        {
            echo "# Added by libposix/build-musl.sh"
            # musl compiles libc.a from .lo objects when clang makes PIC by default.
            echo "obj/src/ferry_%.o: CFLAGS_ALL += $ours"
            echo "obj/src/ferry_%.lo: CFLAGS_ALL += $ours"
        } >>"$OBJ/config.mak"
    fi
}

make_musl() {
    make -C "$OBJ" -j"$(nproc)" "$@" >>"$LOG" 2>&1 \
        || { grep -E 'error:|Error [0-9]' "$LOG" | tail -n 20 >&2; die "musl make $* failed (log: $LOG)"; }
}

install_sdk() {
    make_musl install DESTDIR="$SYSROOT"
    mkdir -p "$SYSROOT/include/ferry/proto"
    local h
    for h in "$SRCROOT"/include/ferry/*.h "$SRCROOT"/include/ferry/*.def; do
        install -C -m 644 "$h" "$SYSROOT/include/ferry/"
    done
    for h in "$SRCROOT"/include/ferry/proto/*.h; do
        [ -e "$h" ] && install -C -m 644 "$h" "$SYSROOT/include/ferry/proto/"
    done

    # Compiler support routines: clang's builtins when installed, else gcc's
    # libgcc.a (same ABI for static x86_64 code).
    local rt
    rt=$(clang --target=$TARGET -rtlib=compiler-rt -print-libgcc-file-name 2>/dev/null || true)
    if [ ! -f "$rt" ]; then
        rt=$(gcc -print-libgcc-file-name 2>/dev/null || true)
        [ -f "$rt" ] || die "neither compiler-rt builtins nor libgcc.a found"
    fi
    mkdir -p "$SDK/bin"
    sed -e "s|@RTLIB@|$rt|" "$SRCROOT/tools/sdk/ferry-cc.in" >"$SDK/bin/ferry-cc.new"
    chmod 755 "$SDK/bin/ferry-cc.new"
    mv -f "$SDK/bin/ferry-cc.new" "$SDK/bin/ferry-cc"
    sed -e "s|@SDK@|$SDK|g" "$SRCROOT/tools/sdk/ferry-cross.ini.in" >"$SDK/ferry-cross.ini"
}

main() {
    mkdir -p "$WORK"
    fetch_musl
    local hash
    hash=$(inputs_hash)
    if [ -f "$SYSROOT/lib/libc.a" ] && [ "$(cat "$WORK/inputs.sha256" 2>/dev/null)" = "$hash" ]; then
        [ -z "$STAMP" ] || touch "$STAMP"
        return 0
    fi
    : >"$LOG"
    build_overlay
    configure_musl
    say "building musl + libposix (log: $LOG)"
    # musl's Makefile knows nothing of our headers and .def lists (the fd
    # table's layout, dispatch.def): our objects older than the newest of
    # them are rebuilt, or a stale object would use an old layout.
    local newest
    newest=$(ls -t "$LP"/src/internal/*.h "$LP"/src/internal/*.def "$SRCROOT"/include/ferry/*.h \
        "$SRCROOT"/include/ferry/*.def "$SRCROOT"/include/ferry/proto/*.h | head -n 1)
    if [ -d "$OBJ/obj/src" ]; then
        find "$OBJ/obj/src" -path '*/ferry_*' \( -name '*.o' -o -name '*.lo' \) \
            ! -newer "$newest" -delete
    fi
    make_musl obj/include/bits/syscall.h
    python3 "$SRCROOT/tools/gen-syscall-table.py" names \
        "$OBJ/obj/include/bits/syscall.h" "$OVERLAY/src/ferry_gen/syscall_names.c"
    make_musl
    install_sdk
    mkdir -p "$SDK/doc"
    python3 "$SRCROOT/tools/gen-syscall-table.py" doc "$SYSROOT/include/bits/syscall.h" \
        "$LP/src/internal/dispatch.def" "$SDK/doc/syscalls.md"
    echo "$hash" >"$WORK/inputs.sha256"
    [ -z "$STAMP" ] || touch "$STAMP"
    say "SDK ready in $SDK"
}

main
