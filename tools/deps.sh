#!/bin/bash
# SPDX-License-Identifier: MIT
# Host dependencies of the Ferry build.
#
#   tools/deps.sh                   install what is missing (a fast no-op when
#                                   everything is there); ./ferry calls this
#   tools/deps.sh check             exit 0 iff nothing is missing, install nothing
#   tools/deps.sh source PKG DIR    fetch and unpack Debian source package PKG
#                                   into DIR with `apt-get source`; the unpacked
#                                   directory is printed on stdout (last line)
#
# apt's output goes to $FERRY_DEPS_LOG (default /tmp/ferry-deps.log); this
# script prints one summary line per step on stderr.  It works as root with
# no standard input (CI); as another user it uses sudo when there is one.
#
# deb-src entries: `apt-get source` needs them and a fresh machine usually has
# none.  They are derived from the machine's own apt configuration, never
# written by hand: every enabled `deb` entry of the distribution's own suites
# (the codename of /etc/os-release and its -updates/-security suites) is
# copied as `deb-src` into sources.list.d/ferry-src.sources (or .list).
# FERRY_APT_DIR (default /etc/apt) exists to test that derivation elsewhere.

set -euo pipefail

PACKAGES=(qemu-system-x86 clang lld llvm meson ninja-build python3 cpio
          xorriso grub-pc-bin grub-common mtools gdb bc make gcc dpkg-dev
          linux-libc-dev)   # Linux UAPI headers: ports (Busybox) include <linux/*.h>

LOG=${FERRY_DEPS_LOG:-${TMPDIR:-/tmp}/ferry-deps.log}
APT_DIR=${FERRY_APT_DIR:-/etc/apt}

say() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly, or through sudo (non-interactively).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root to run: $*"
    fi
}

# Run an apt command with its output appended to the log; on failure show
# the log's tail so the reason is visible without opening it.
apt_logged() {
    printf '\n### %s\n' "$*" >>"$LOG"
    if ! as_root env DEBIAN_FRONTEND=noninteractive "$@" </dev/null >>"$LOG" 2>&1; then
        tail -n 20 "$LOG" >&2
        die "'$*' failed (full output in $LOG)"
    fi
}

# Print the packages of PACKAGES that are not installed.
missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null \
                | awk '$2 == "ii" { print $1 }') || true
    local p
    for p in "${PACKAGES[@]}"; do
        if ! grep -qx -- "$p" <<<"$installed"; then
            echo "$p"
        fi
    done
}

cmd_install() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        # Not a Debian-like host: check for the tools themselves instead.
        local t missing=()
        for t in qemu-system-x86_64 clang ld.lld llvm-objcopy meson ninja python3 cpio; do
            command -v "$t" >/dev/null 2>&1 || missing+=("$t")
        done
        [ ${#missing[@]} -eq 0 ] && return 0
        die "no dpkg on this host; install these yourself: ${missing[*]}"
    fi
    local missing
    missing=$(missing_packages)
    [ -z "$missing" ] && return 0
    # shellcheck disable=SC2086 # word-splitting the package list is intended
    set -- $missing
    [ "${1:-}" = "" ] && return 0
    say "installing $* (apt output in $LOG)"
    : >"$LOG" 2>/dev/null || true
    apt_logged apt-get update
    apt_logged apt-get install -y --no-install-recommends "$@"
    say "installed $#: $*"
}

cmd_check() {
    local missing
    missing=$(missing_packages | tr '\n' ' ')
    if [ -n "$missing" ]; then
        say "missing: $missing"
        return 1
    fi
    say "all ${#PACKAGES[@]} packages present"
}

# --- deb-src derivation -----------------------------------------------------

codename() {
    local c=""
    if [ -r /etc/os-release ]; then
        # shellcheck disable=SC1091
        c=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    fi
    [ -n "$c" ] || c=$(lsb_release -sc 2>/dev/null || true)
    echo "$c"
}

# deb822 (.sources) files on stdin -> deb-src stanzas on stdout.
# A stanza qualifies when it is not disabled, its Types include "deb" and one
# of its Suites is the distribution's codename or codename-<something>.
derive_deb822() {
    awk -v codename="$1" '
        BEGIN { RS = ""; FS = "\n" }
        {
            types = ""; suites = ""; enabled = "yes"; out = ""
            for (i = 1; i <= NF; i++) {
                line = $i
                if (line ~ /^#/) continue
                key = tolower(line); sub(/:.*/, "", key)
                val = line; sub(/^[^:]*:[ \t]*/, "", val)
                if (key == "types") { types = val; line = "Types: deb-src" }
                else if (key == "suites") suites = val
                else if (key == "enabled") enabled = tolower(val)
                out = out line "\n"
            }
            if (enabled == "no" || enabled == "false") next
            n = split(types, t, /[ \t]+/); has_deb = 0
            for (i = 1; i <= n; i++) if (t[i] == "deb") has_deb = 1
            if (!has_deb) next
            n = split(suites, s, /[ \t]+/); ours = 0
            for (i = 1; i <= n; i++)
                if (s[i] == codename || index(s[i], codename "-") == 1) ours = 1
            if (!ours) next
            printf "%s%s", (printed++ ? "\n" : ""), out
        }'
}

# one-line-style (.list) files on stdin -> deb-src lines on stdout.
derive_list() {
    awk -v codename="$1" '
        /^[ \t]*deb[ \t]/ {
            line = $0; sub(/^[ \t]*deb[ \t]+/, "", line)
            rest = line
            if (rest ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", rest)
            split(rest, f, /[ \t]+/)          # f[1] = URI, f[2] = suite
            if (f[2] == codename || index(f[2], codename "-") == 1)
                print "deb-src " line
        }'
}

# Write ferry-src.{sources,list} unless some deb-src entry is already set up.
ensure_deb_src() {
    local c out list_out f
    if grep -rqsE '^[ \t]*(deb-src[ \t]|Types:.*deb-src)' \
            "$APT_DIR/sources.list" "$APT_DIR"/sources.list.d/*.list \
            "$APT_DIR"/sources.list.d/*.sources 2>/dev/null; then
        return 1        # already present: nothing written
    fi
    c=$(codename)
    [ -n "$c" ] || die "cannot tell the distribution's codename from /etc/os-release"
    out="" list_out=""
    for f in "$APT_DIR"/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        out+=$(derive_deb822 "$c" <"$f")$'\n'
    done
    for f in "$APT_DIR/sources.list" "$APT_DIR"/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        list_out+=$(derive_list "$c" <"$f")$'\n'
    done
    out=$(printf '%s' "$out" | sed '/./,$!d')              # drop leading blanks
    list_out=$(printf '%s' "$list_out" | sed '/^$/d')
    [ -n "$out$list_out" ] || die "no enabled 'deb' entry for '$c' in $APT_DIR to derive deb-src from"
    if [ -n "$out" ]; then
        printf '# Written by Ferry tools/deps.sh: deb-src twins of the deb entries.\n%s\n' "$out" \
            | as_root tee "$APT_DIR/sources.list.d/ferry-src.sources" >/dev/null
        say "wrote $APT_DIR/sources.list.d/ferry-src.sources"
    fi
    if [ -n "$list_out" ]; then
        printf '# Written by Ferry tools/deps.sh: deb-src twins of the deb entries.\n%s\n' "$list_out" \
            | as_root tee "$APT_DIR/sources.list.d/ferry-src.list" >/dev/null
        say "wrote $APT_DIR/sources.list.d/ferry-src.list"
    fi
    return 0
}

# Print "<source-name> <version>" of the newest source package for $1.
showsrc() {
    apt-cache showsrc "$1" 2>/dev/null | awk '
        /^Package:/ { p = $2 }
        /^Version:/ { v = $2; if (!best || system("dpkg --compare-versions \"" v "\" gt \"" best "\"") == 0) { best = v; bp = p } }
        END { if (best) print bp, best }'
}

cmd_source() {
    [ $# -eq 2 ] || die "usage: tools/deps.sh source PKG DESTDIR"
    local pkg=$1 dest=$2 info name version upstream dir
    command -v dpkg-source >/dev/null 2>&1 || cmd_install
    info=$(showsrc "$pkg")
    if [ -z "$info" ]; then
        ensure_deb_src || true
        say "apt-get update for source indexes (output in $LOG)"
        apt_logged apt-get update
        info=$(showsrc "$pkg")
        [ -n "$info" ] || die "no source package '$pkg' is known to apt (see $LOG)"
    fi
    read -r name version <<<"$info"
    upstream=${version#*:}                    # drop the epoch
    case "$upstream" in *-*) upstream=${upstream%-*} ;; esac   # and the Debian revision
    mkdir -p "$dest"
    dest=$(cd "$dest" && pwd)
    dir="$dest/$name-$upstream"
    if [ -d "$dir" ] && compgen -G "$dest/${name}_*.dsc" >/dev/null; then
        say "source $name $version already in $dir"
    else
        say "fetching source $name $version into $dest (output in $LOG)"
        printf '\n### apt-get source %s (in %s)\n' "$pkg" "$dest" >>"$LOG"
        if ! (cd "$dest" && apt-get source -q "$pkg=$version" </dev/null >>"$LOG" 2>&1); then
            tail -n 20 "$LOG" >&2
            die "apt-get source $pkg failed (full output in $LOG)"
        fi
        [ -d "$dir" ] || die "apt-get source $pkg did not unpack into $dir"
    fi
    echo "$dir"
}

case "${1:-install}" in
    install)  cmd_install ;;
    check)    cmd_check ;;
    source)   shift; cmd_source "$@" ;;
    derive-src)   # for testing: print what would be written, write nothing
        c=$(codename)
        for f in "$APT_DIR"/sources.list.d/*.sources; do [ -f "$f" ] && derive_deb822 "$c" <"$f"; done
        for f in "$APT_DIR/sources.list" "$APT_DIR"/sources.list.d/*.list; do [ -f "$f" ] && derive_list "$c" <"$f"; done
        true ;;
    -h|--help|help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$1' (try: tools/deps.sh help)" ;;
esac
