#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes the boot archive of Busybox's own testsuite (docs/busybox.md):
boot.cpio plus the fetched tree's testsuite/ under /bbtest/testsuite, the
wrapper run.sh, subset.txt and results.tsv under /bbtest, and Busybox's
.config as /bin/.config (runtest reads $bindir/.config, bindir=/bin).

  image.py --mkcpio tools/mkcpio.py --base boot.cpio --testsuite DIR
           --config .config --dir tests/busybox -o OUT
"""
import argparse
import os
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mkcpio", required=True)
    ap.add_argument("--base", required=True)
    ap.add_argument("--testsuite", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--dir", required=True, help="tests/busybox")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    pairs = []
    for root, dirs, files in os.walk(a.testsuite):
        dirs.sort()
        for f in sorted(files):
            host = os.path.join(root, f)
            rel = os.path.relpath(host, a.testsuite)
            if any(c.isspace() for c in host):
                sys.exit(f"image.py: {host}: white space in a name")
            pairs.append((host, "bbtest/testsuite/" + rel))
    for f in ("run.sh", "subset.txt", "results.tsv"):
        pairs.append((os.path.join(a.dir, f), "bbtest/" + f))
    pairs.append((a.config, "bin/.config"))
    with tempfile.NamedTemporaryFile("w", suffix=".manifest", delete=False) as m:
        for host, guest in pairs:
            m.write(f"{os.path.abspath(host)} {guest}\n")
    try:
        subprocess.run([sys.executable, a.mkcpio, "-o", a.output, "--base", a.base,
                        "--manifest", m.name], check=True)
    finally:
        os.unlink(m.name)


if __name__ == "__main__":
    main()
