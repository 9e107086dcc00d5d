#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a cpio "newc" archive (the boot archive) from host files.

  mkcpio.py -o OUT [--base IN.cpio] [--add HOST:GUEST]... [--dir GUEST[:MODE]]...
            [--symlink TARGET:GUEST]... [--manifest FILE]

--base copies the members of an existing archive first; later members with
the same name replace earlier ones.  Parent directories are created
implicitly.  Executables keep their mode; other files get 0644.
A manifest has one "HOST GUEST" pair per line.
"""
import argparse
import os
import stat
import sys


def member(name, mode, data=b"", ino=0, mtime=0, nlink=1):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08x" % v for v in (
        ino, mode, 0, 0, nlink, mtime, len(data), 0, 0, 0, 0, len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(data) % 4)
    return out


def read_cpio(path):
    buf = open(path, "rb").read()
    pos, out = 0, []
    while pos + 110 <= len(buf):
        if buf[pos:pos + 6] not in (b"070701", b"070702"):
            sys.exit("mkcpio: %s: bad magic at %d" % (path, pos))
        f = [int(buf[pos + 6 + 8 * i:pos + 14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = f[1], f[6], f[11]
        name = buf[pos + 110:pos + 110 + namesize - 1].decode()
        pos += 110 + namesize
        pos += -pos % 4
        data = buf[pos:pos + size]
        pos += size
        pos += -pos % 4
        if name == "TRAILER!!!":
            break
        out.append((name, mode, data))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--base")
    ap.add_argument("--add", action="append", default=[], metavar="HOST:GUEST")
    ap.add_argument("--dir", action="append", default=[], metavar="GUEST[:MODE]")
    ap.add_argument("--symlink", action="append", default=[], metavar="TARGET:GUEST")
    ap.add_argument("--manifest", action="append", default=[])
    a = ap.parse_args()

    entries = {}
    order = []

    def put(name, mode, data):
        name = name.strip("/")
        if not name:
            return
        parts = name.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in entries:
                entries[d] = (stat.S_IFDIR | 0o755, b"")
                order.append(d)
        if name not in entries:
            order.append(name)
        entries[name] = (mode, data)

    if a.base:
        for name, mode, data in read_cpio(a.base):
            put(name, mode, data)
    for d in a.dir:
        path, _, mode = d.partition(":")
        put(path, stat.S_IFDIR | int(mode or "755", 8), b"")
    pairs = [x.rsplit(":", 1) for x in a.add]
    for m in a.manifest:
        for line in open(m):
            if line.strip() and not line.startswith("#"):
                pairs.append(line.split())
    for host, guest in pairs:
        if not os.path.exists(host):
            sys.exit("mkcpio: %s: no such file" % host)
        st = os.stat(host)
        mode = 0o755 if st.st_mode & 0o111 else 0o644
        put(guest, stat.S_IFREG | mode, open(host, "rb").read())
    for s in a.symlink:
        target, _, guest = s.partition(":")
        put(guest, stat.S_IFLNK | 0o777, target.encode())

    out = bytearray()
    for ino, name in enumerate(order, 1):
        mode, data = entries[name]
        out += member(name, mode, data, ino=ino)
    out += member("TRAILER!!!", 0)
    out += b"\0" * (-len(out) % 512)
    tmp = a.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
