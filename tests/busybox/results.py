#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes tests/busybox/results.tsv (docs/busybox.md) from a Ferry run's
serial log (its `BBTS-RESULT applet status name` lines, tests/busybox/run.sh)
and the Linux reference (tests/busybox/linux.sh's applet/status/test lines).

  results.py --ferry LOG[,LOG...] --linux LINUX.tsv -o results.tsv

Columns: applet, test, ferry, linux (PASS, FAIL, SKIP, or - when the test
did not report there, e.g. the applet's runtest hit its time limit).  With
several Ferry logs a test is PASS only if it passed in every one.  Prints
the totals and the tests that pass on Linux but not on Ferry.
"""
import argparse
import difflib
import re

RESULT_RE = re.compile(r"BBTS-RESULT\t([^\t]+)\t(PASS|FAIL|SKIP)\t(.*?)\r?$")
KNOWN_RE = re.compile(r"(BBTS-|PASS |FAIL |SUITE-END|FERRY-EXIT|boot:|posixsrv:|exit |/bbtest)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ferry", required=True)
    ap.add_argument("--linux", required=True)
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    order, ferry, linux = [], {}, {}
    for log in a.ferry.split(","):
        seen = set()
        # The serial log sometimes breaks a long line in two (seen on a few
        # BBTS-RESULT lines); a line that starts with none of the known
        # prefixes continues the BBTS-RESULT line before it.
        lines = []
        for line in open(log, errors="replace"):
            line = line.rstrip("\r\n")
            if lines and lines[-1].startswith("BBTS-RESULT") and not KNOWN_RE.match(line):
                lines[-1] += line
            else:
                lines.append(line)
        for line in lines:
            m = RESULT_RE.search(line)
            if not m:
                continue
            key = (m.group(1), m.group(3))
            if key in seen:
                continue
            seen.add(key)
            if key not in ferry:
                order.append(key)
                ferry[key] = m.group(2)
            elif ferry[key] != m.group(2):
                ferry[key] = "FAIL" if "FAIL" in (ferry[key], m.group(2)) else ferry[key]
    for line in open(a.linux, errors="replace"):
        f = line.rstrip("\n").split("\t", 2)
        if len(f) == 3 and (f[0], f[2]) not in linux:
            linux[(f[0], f[2])] = f[1]
    # The serial line drops a character now and then in long lines: a Ferry
    # name that Linux does not have takes the closest Linux name of the same
    # applet (difflib ratio >= 0.9).
    for key in list(order):
        if key in linux:
            continue
        cands = [k[1] for k in linux if k[0] == key[0]]
        best = difflib.get_close_matches(key[1], cands, n=1, cutoff=0.9)
        if best:
            new = (key[0], best[0])
            st = ferry.pop(key)
            order.remove(key)
            if new in ferry:
                ferry[new] = "FAIL" if "FAIL" in (st, ferry[new]) else ferry[new]
            else:
                ferry[new] = st
                order.append(new)
    for key in linux:
        if key not in ferry:
            order.append(key)
    with open(a.output, "w") as out:
        out.write("applet\ttest\tferry\tlinux\n")
        for key in sorted(order, key=lambda k: k[0]):
            out.write(f"{key[0]}\t{key[1]}\t{ferry.get(key, '-')}\t{linux.get(key, '-')}\n")
    for col, d in (("ferry", ferry), ("linux", linux)):
        c = {s: sum(1 for k in order if d.get(k, "-") == s) for s in ("PASS", "FAIL", "SKIP", "-")}
        print(f"{col}: {c['PASS']} pass, {c['FAIL']} fail, {c['SKIP']} skip, {c['-']} not reported")
    diff = [k for k in order if linux.get(k) == "PASS" and ferry.get(k) != "PASS"]
    print(f"{len(diff)} pass on Linux, not on Ferry:")
    for k in diff:
        print(f"  {k[0]}\t{ferry.get(k, '-')}\t{k[1]}")
    diff = [k for k in order if ferry.get(k) == "PASS" and linux.get(k) != "PASS"]
    print(f"{len(diff)} pass on Ferry, not on Linux:")
    for k in diff:
        print(f"  {k[0]}\t{linux.get(k, '-')}\t{k[1]}")


if __name__ == "__main__":
    main()
