#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Open POSIX Test Suite harness (docs/posix.md): build, image, Linux
reference and results table.  The suite itself (Debian's `posixtestsuite`
1.5.2) is fetched at build time into build/src/ and never committed.

    pts.py build --cc CC --out DIR [--subset core|all] [-j N] [--stamp F]
        compile every test of the subset's conformance/interfaces/<iface>/
        (NUMBER-NUMBER.c run tests, *-buildonly.c compile-only tests) into
        DIR/bin/<iface>/<test>, one static program per file; writes
        DIR/build-<subset>.tsv (id, kind, BUILT or BUILD-FAIL, binary) and a log per
        failure in DIR/log/.  Objects are cached (DIR/obj/) and relinked
        when a --relink-on file (libc.a) changes.
    pts.py image --build-list DIR/build-<subset>.tsv --base boot.cpio [--part K/N] -o OUT.cpio
        OUT = boot.cpio (without the other suites' programs in bin/) + the
        binaries under posix/<iface>/<test> + the
        runner's list posix/list.txt (id, path or -, expectation from the
        committed results.tsv: P when Ferry passed it, T when it timed out,
        else -).  --part K/N: only the K-th of N slices (at interface
        boundaries) of the run tests.
    pts.py linux [--subset core|all] [-j N] [--timeout S]
        the Linux reference: build with musl-gcc (else cc) into
        build/posix/linux/ and run each test on this host with a time limit
        (in parallel, then what did not pass once more alone); results in
        build/posix/linux/results-<subset>.tsv.
    pts.py table [--linux FILE]... [--ferry-log LOG]... [--build-list FILE]...
        merge the Linux results and the Ferry serial logs of posixts or
        posixts-all runs (build/test-logs/*.log) into tests/posix/results.tsv
        (tests not seen in the logs keep their committed Ferry result) and
        print the per-interface summary for docs/posix.md.

Result words: PASS FAIL UNRESOLVED UNSUPPORTED UNTESTED (the suite's exit
codes 0 1 2 4 5, include/posixtest.h), BUILD-FAIL, TIMEOUT, CRASH (killed
by a signal or a fault), INTERRUPTED (any other exit status, as the suite's
own Makefile calls it), BUILD-ONLY (a compile-only test that compiled).
"""

import argparse
import concurrent.futures
import hashlib
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SRC_PARENT = os.path.join(ROOT, "build", "src")
SRC_NAME = "posixtestsuite-1.5.2"
CORE_LIST = os.path.join(HERE, "core.txt")
RESULTS = os.path.join(HERE, "results.tsv")
LINUX_DIR = os.path.join(ROOT, "build", "posix", "linux")

# The suite's own flags (its Makefile and LDFLAGS file) without -Werror and
# -g: -std=gnu99 -D_POSIX_C_SOURCE=200112L -D_GNU_SOURCE -lpthread -lrt.
CFLAGS = ["-O2", "-std=gnu99", "-w", "-D_POSIX_C_SOURCE=200112L", "-D_GNU_SOURCE"]
LIBS = ["-lpthread", "-lrt", "-lm"]

CODES = {0: "PASS", 1: "FAIL", 2: "UNRESOLVED", 4: "UNSUPPORTED", 5: "UNTESTED"}
RUN_RE = re.compile(r"^(\d+)-(\d+)\.c$")
BUILDONLY_RE = re.compile(r"^\d+-.*buildonly\.c$")


def die(msg):
    print(f"pts: error: {msg}", file=sys.stderr)
    sys.exit(2)


def source_dir(fetch=True):
    """The unpacked suite, fetched with tools/deps.sh when missing."""
    d = os.path.join(SRC_PARENT, SRC_NAME)
    if os.path.isdir(os.path.join(d, "conformance", "interfaces")):
        return d
    if not fetch:
        die(f"{d} is missing (tools/deps.sh source posixtestsuite build/src)")
    os.makedirs(SRC_PARENT, exist_ok=True)
    subprocess.run([os.path.join(ROOT, "tools", "deps.sh"), "source", "posixtestsuite",
                    SRC_PARENT], check=True, stdout=subprocess.DEVNULL)
    if not os.path.isdir(os.path.join(d, "conformance", "interfaces")):
        die(f"tools/deps.sh did not unpack {d}")
    return d


def core_interfaces():
    out = []
    with open(CORE_LIST, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


def tests_of(src, subset):
    """[(id, iface, stem, kind, source path)] of a subset, in a stable order."""
    base = os.path.join(src, "conformance", "interfaces")
    if subset == "core":
        ifaces = [i for i in core_interfaces() if os.path.isdir(os.path.join(base, i))]
    else:
        ifaces = sorted(os.listdir(base))
    out = []
    for iface in ifaces:
        d = os.path.join(base, iface)
        if not os.path.isdir(d):
            continue
        names = []
        for name in os.listdir(d):
            m = RUN_RE.match(name)
            if m:
                names.append(((int(m.group(1)), int(m.group(2)), name), "run", name))
            elif BUILDONLY_RE.match(name):
                names.append(((10**6, 0, name), "build", name))
        for _, kind, name in sorted(names):
            stem = name[:-2]
            out.append((f"POSIX-{iface}-{stem}", iface, stem, kind, os.path.join(d, name)))
    return out


def is_newer(path, than):
    try:
        return os.path.getmtime(path) >= than
    except OSError:
        return False


def has_main(obj):
    r = subprocess.run(["nm", "-g", obj], capture_output=True, text=True)
    return r.returncode != 0 or re.search(r" T main$", r.stdout, re.M) is not None


def compile_one(t, args, inc, flags_sig):
    """Compile one test (cached); returns (id, kind, status, object)."""
    tid, iface, stem, kind, srcpath = t
    obj = os.path.join(args.out, "obj", iface, stem + ".o")
    logp = os.path.join(args.out, "log", tid + ".log")
    failp = obj + ".fail"
    os.makedirs(os.path.dirname(obj), exist_ok=True)
    src_mtime = max(os.path.getmtime(srcpath), flags_sig)
    if is_newer(failp, src_mtime):
        return tid, kind, "BUILD-FAIL", None
    nomain = obj + ".nomain"
    if not is_newer(obj, src_mtime):
        if os.path.exists(nomain):
            os.remove(nomain)
        r = subprocess.run(args.cc_cmd + CFLAGS + ["-I", inc, "-c", "-o", obj, srcpath],
                           cwd=os.path.dirname(srcpath), capture_output=True, text=True)
        if r.returncode != 0:
            with open(logp, "w", encoding="utf-8") as f:
                f.write(r.stdout + r.stderr)
            with open(failp, "w", encoding="utf-8") as f:
                f.write("compile\n")
            return tid, kind, "BUILD-FAIL", None
        if kind == "run" and not has_main(obj):
            open(nomain, "w").close()
    if os.path.exists(nomain):
        kind = "build"  # the suite's Makefile: no main, nothing to link or run
    return tid, kind, "BUILT", obj


def link_template(cc_cmd, obj):
    """The linker command the compiler driver would run, with {out} and {obj}
    in place: running ld.lld directly is three times faster than through
    the driver, which matters when libc.a changes and every test relinks."""
    r = subprocess.run(cc_cmd + ["-###", "-s", "-o", "/pts-out", obj] + LIBS,
                       capture_output=True, text=True)
    lines = [l for l in r.stderr.splitlines() if l.startswith(" \"")]
    if r.returncode != 0 or not lines:
        return None
    argv = shlex.split(lines[-1])
    if "/pts-out" not in argv or obj not in argv:
        return None
    return ["{out}" if a == "/pts-out" else "{obj}" if a == obj else a for a in argv]


def link_one(tid, obj, args, template, relink_mtime):
    """Link one test unless its binary is newer than its object and libc."""
    iface, stem = os.path.relpath(obj, os.path.join(args.out, "obj"))[:-2].split(os.sep)
    binp = os.path.join(args.out, "bin", iface, stem)
    if is_newer(binp, os.path.getmtime(obj)) and is_newer(binp, relink_mtime):
        return binp
    os.makedirs(os.path.dirname(binp), exist_ok=True)
    if template:
        cmd = [binp if a == "{out}" else obj if a == "{obj}" else a for a in template]
    else:
        cmd = args.cc_cmd + ["-s", "-o", binp, obj] + LIBS
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        with open(os.path.join(args.out, "log", tid + ".log"), "w", encoding="utf-8") as f:
            f.write(" ".join(cmd) + "\n" + r.stdout + r.stderr)
        return None
    return binp


def cmd_build(args):
    src = source_dir()
    inc = os.path.join(src, "include")
    tests = tests_of(src, args.subset)
    os.makedirs(os.path.join(args.out, "log"), exist_ok=True)
    # A change of compiler or flags rebuilds every object.
    sig = " ".join(args.cc_cmd + CFLAGS + LIBS)
    sigfile = os.path.join(args.out, "flags")
    old = open(sigfile, encoding="utf-8").read() if os.path.exists(sigfile) else None
    if old != sig:
        with open(sigfile, "w", encoding="utf-8") as f:
            f.write(sig)
    flags_sig = os.path.getmtime(sigfile)
    relink = max([os.path.getmtime(p) for p in args.relink_on if os.path.exists(p)] or [0])
    start = time.monotonic()
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        futs = [ex.submit(compile_one, t, args, inc, flags_sig) for t in tests]
        for fut in concurrent.futures.as_completed(futs):
            tid, kind, status, obj = fut.result()
            results[tid] = (kind, status, obj)
        objs = [(tid, r[2]) for tid, r in results.items() if r[0] == "run" and r[1] == "BUILT"]
        template = link_template(args.cc_cmd, objs[0][1]) if objs else None
        futs = {ex.submit(link_one, tid, obj, args, template, relink): tid for tid, obj in objs}
        for fut in concurrent.futures.as_completed(futs):
            tid = futs[fut]
            binp = fut.result()
            kind = results[tid][0]
            results[tid] = (kind, "BUILT", binp) if binp else (kind, "BUILD-FAIL", None)
    with open(os.path.join(args.out, f"build-{args.subset}.tsv"), "w", encoding="utf-8") as f:
        f.write("# id\tkind\tbuild\tbinary (relative to this directory)\n")
        for t in tests:
            kind, status, binp = results[t[0]]
            rel = os.path.relpath(binp, args.out) if binp and kind == "run" else "-"
            f.write(f"{t[0]}\t{kind}\t{status}\t{rel}\n")
    nfail = sum(1 for k, s, _ in results.values() if s == "BUILD-FAIL")
    print(f"pts: {args.subset}: {len(tests)} tests, {len(tests) - nfail} built, "
          f"{nfail} BUILD-FAIL ({time.monotonic() - start:.0f} s, logs in "
          f"{os.path.relpath(os.path.join(args.out, 'log'), ROOT)})", file=sys.stderr)
    if args.stamp:
        with open(args.stamp, "w", encoding="utf-8") as f:
            f.write(f"{len(tests)} {nfail}\n")


def read_build(listfile):
    """[(id, kind, status, binary or None)] of a build-<subset>.tsv."""
    d = os.path.dirname(os.path.abspath(listfile))
    rows = []
    with open(listfile, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            tid, kind, status, rel = line.rstrip("\n").split("\t")
            rows.append((tid, kind, status, None if rel == "-" else os.path.join(d, rel)))
    return rows


def read_results(path=RESULTS):
    """{id: (linux, ferry)} from the committed table (empty when absent)."""
    table = {}
    if not os.path.exists(path):
        return table
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 3:
                table[fields[0]] = (fields[1], fields[2])
    return table


def part_of(rows, part):
    """The rows of part "K/N": the run tests cut in order into N slices of
    about equal size in bytes.  vfs copies the boot archive into tmpfs,
    charged to its kernel-memory quota (64 MiB): an archive of more than
    about 50 MiB kills it, so the tests are spread over several boots."""
    k, n = (int(x) for x in part.split("/"))
    runs = [r for r in rows if r[1] == "run"]
    sizes = [os.path.getsize(r[3]) if r[3] else 0 for r in runs]
    total, acc, out = sum(sizes) or 1, 0, []
    for r, size in zip(runs, sizes):
        if min(n, 1 + (acc + size // 2) * n // total) == k:
            out.append(r)
        acc += size
    return out


def newc_members(data):
    """(name, mode, start, end) of each member of a cpio newc archive."""
    off = 0
    while off + 110 <= len(data) and data[off:off + 6] == b"070701":
        mode = int(data[off + 14:off + 22], 16)
        filesize = int(data[off + 54:off + 62], 16)
        namesize = int(data[off + 94:off + 102], 16)
        name = data[off + 110:off + 110 + namesize - 1].decode("utf-8", "replace")
        end = (off + 110 + namesize + 3) & ~3
        end = (end + filesize + 3) & ~3
        yield name, mode, off, end
        off = end
        if name == "TRAILER!!!":
            break


def base_keeps(name, mode):
    """What the posix archives take from boot.cpio: the servers, Busybox and
    its links, /etc and the rest of the tree, the proc suite's reaper (the
    runner's pid 1), but not the other suites' programs under bin/ (several
    MiB: vfs holds every byte in tmpfs)."""
    if not name.startswith("bin/"):
        return True
    return name in ("bin/busybox", "bin/proc/init") or (mode & 0o170000) in (0o120000, 0o040000)


def filtered_base(src, dst):
    data = open(src, "rb").read()
    with open(dst, "wb") as f:
        for name, mode, start, end in newc_members(data):
            if name == "TRAILER!!!" or base_keeps(name, mode):
                f.write(data[start:end])


def cmd_image(args):
    rows = read_build(args.build_list)
    if args.part:
        rows = part_of(rows, args.part)
    bindir = os.path.join(os.path.dirname(os.path.abspath(args.build_list)), "bin")
    table = read_results()
    with tempfile.TemporaryDirectory() as tmp:
        lst = os.path.join(tmp, "list.txt")
        manifest = os.path.join(tmp, "manifest")
        with open(lst, "w", encoding="utf-8") as lf, open(manifest, "w", encoding="utf-8") as mf:
            lf.write("# id path expect (tests/posix/results.tsv on Ferry: P passed, T timed out)\n")
            for tid, kind, status, binp in rows:
                if kind != "run":
                    continue
                expect = {"PASS": "P", "TIMEOUT": "T"}.get(table.get(tid, ("", ""))[1], "-")
                if binp is None:
                    lf.write(f"{tid} - {expect}\n")
                    continue
                guest = "posix/" + os.path.relpath(binp, bindir)
                lf.write(f"{tid} {guest} {expect}\n")
                mf.write(f"{binp} {guest}\n")
            mf.write(f"{lst} posix/list.txt\n")
            if args.runner:
                mf.write(f"{args.runner} bin/posixrun\n")
        base = os.path.join(tmp, "base.cpio")
        filtered_base(args.base, base)
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkcpio.py"), "--base",
                        base, "--manifest", manifest, "-o", args.output], check=True)


# ---- the Linux reference ----

def host_cc():
    for cc in ("musl-gcc", "cc"):
        if subprocess.run(["sh", "-c", f"command -v {cc}"], capture_output=True).returncode == 0:
            return cc
    die("no host C compiler")


def unprivileged():
    """Run by the child before exec: the tests run as nobody with limits, so
    that clock_settime, SCHED_FIFO busy loops, mlockall and the like cannot
    disturb the build host (they fail with EPERM instead; docs/posix.md)."""
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    resource.setrlimit(resource.RLIMIT_NPROC, (4096, 4096))
    if os.getuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)


def run_host(binp, timeout):
    """Runs one test in its own session and temporary directory; result word."""
    with tempfile.TemporaryDirectory(prefix="pts-") as tmp:
        os.chmod(tmp, 0o777)
        p = subprocess.Popen([binp], cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True,
                             preexec_fn=unprivileged)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = None
        # Children the test left behind go with its session.
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if rc is None:
            p.wait()
            return "TIMEOUT"
    if rc < 0:
        return "CRASH"
    return CODES.get(rc, "INTERRUPTED")


def cmd_linux(args):
    cc = host_cc()
    out = LINUX_DIR
    bargs = argparse.Namespace(cc_cmd=[cc, "-static"], out=out, subset=args.subset, jobs=args.jobs,
                               stamp=None, relink_on=[])
    cmd_build(bargs)
    rows = read_build(os.path.join(out, f"build-{args.subset}.tsv"))
    print(f"pts: running {len(rows)} tests on this host ({cc}, time limit {args.timeout} s, "
          f"-j{args.jobs})", file=sys.stderr)
    res = {}

    def one(row):
        tid, kind, status, binp = row
        if status == "BUILD-FAIL":
            return tid, "BUILD-FAIL"
        if kind == "build":
            return tid, "BUILD-ONLY"
        return tid, run_host(binp, args.timeout)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for tid, r in ex.map(one, rows):
            res[tid] = r
    # Tests that fork or time things can lose to their neighbours in the
    # parallel run: whatever did not pass runs once more, alone.
    again = [row for row in rows if res[row[0]] not in ("PASS", "BUILD-FAIL", "BUILD-ONLY")]
    print(f"pts: running the {len(again)} that did not pass again, one at a time", file=sys.stderr)
    for row in again:
        r = one(row)[1]
        if r == "PASS":
            res[row[0]] = r
    path = os.path.join(out, f"results-{args.subset}.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# Linux reference ({cc} -static, {os.uname().release}), limit {args.timeout} s\n")
        for row in rows:
            f.write(f"{row[0]}\t{res[row[0]]}\n")
    counts = {}
    for r in res.values():
        counts[r] = counts.get(r, 0) + 1
    print("pts: linux: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) +
          f" -> {os.path.relpath(path, ROOT)}", file=sys.stderr)


# ---- the committed table ----

PASS_LINE = re.compile(r"PASS (POSIX-\S+)")
FAIL_LINE = re.compile(r"FAIL (POSIX-[^\s:]+): was PASS, now (\S+)")
RESULT_LINE = re.compile(r"RESULT (POSIX-\S+) (\S+)")


def ferry_results(logs):
    """{id: result} from runner logs.  A test that appears in several logs
    is PASS only if it passed in all of them (a flaky pass in the table
    would make the next run report a regression); otherwise its last
    other result."""
    seen = {}
    for log in logs:
        with open(log, encoding="utf-8", errors="replace") as f:
            for line in f:
                for rx in (RESULT_LINE, FAIL_LINE):
                    m = rx.search(line)
                    if m:
                        seen.setdefault(m.group(1), []).append(m.group(2))
                        break
                else:
                    m = PASS_LINE.search(line)
                    if m and line.lstrip("[0123456789. ]").startswith("PASS POSIX-"):
                        seen.setdefault(m.group(1), []).append("PASS")
    res = {}
    for tid, results in seen.items():
        others = [r for r in results if r != "PASS"]
        res[tid] = others[-1] if others else "PASS"
    return res


def iface_of(tid):
    return tid[len("POSIX-"):].split("-", 1)[0]  # interface names have no "-"


def cmd_table(args):
    src = source_dir(fetch=False)
    every = tests_of(src, "all")
    old = read_results()
    linux = {}
    for path in args.linux:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#") and line.strip():
                    tid, r = line.rstrip("\n").split("\t")[:2]
                    linux[tid] = r
    ferry = ferry_results(args.ferry_log)
    built = {}
    for listfile in args.build_list:
        for tid, kind, status, _ in read_build(listfile):
            if status == "BUILD-FAIL":
                built[tid] = "BUILD-FAIL"
            elif kind == "build":
                built[tid] = "BUILD-ONLY"
    rows = []
    for tid, iface, stem, kind, _ in every:
        lr = linux.get(tid, old.get(tid, ("-", "-"))[0])
        fr = built.get(tid) or ferry.get(tid) or old.get(tid, ("-", "-"))[1]
        rows.append((tid, lr, fr))
    with open(RESULTS, "w", encoding="utf-8") as f:
        f.write("# Open POSIX Test Suite 1.5.2 results: id, Linux (musl, this build host), Ferry.\n"
                "# Regenerate: docs/posix.md \"Updating the table\".  - = not run yet.\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    summary(rows)


CATEGORIES = [  # (name, interface prefixes), first match wins
    ("threads", ("pthread_",)),
    ("signals", ("sig", "raise", "kill", "killpg")),
    ("process", ("fork", "getpid", "exec", "wait")),
    ("scheduling", ("sched_",)),
    ("semaphores", ("sem_",)),
    ("message queues", ("mq_",)),
    ("async I/O", ("aio_", "lio_")),
    ("timers and clocks", ("clock", "timer_", "nanosleep", "time", "difftime", "asctime", "ctime",
                           "gmtime", "localtime", "mktime", "strftime")),
    ("memory", ("mmap", "munmap", "mlock", "munlock", "shm_", "mprotect", "msync")),
]


def category(iface):
    for name, prefixes in CATEGORIES:
        if iface.startswith(prefixes):
            return name
    return "other"


def summary(rows):
    """Per-interface and per-category tables (Markdown) on stdout."""
    summary_table(rows, lambda tid: iface_of(tid), "interface", True)
    print()
    summary_table(rows, lambda tid: category(iface_of(tid)), "category", False)
    print()
    core = set(core_interfaces())
    summary_table([r for r in rows if iface_of(r[0]) in core], lambda tid: "core subset",
                  "subset", False)


def summary_table(rows, key, what, mark_core):
    per = {}
    core = set(core_interfaces()) if mark_core else set()
    for tid, lr, fr in rows:
        s = per.setdefault(key(tid), [0, 0, 0, 0])
        s[0] += 1
        s[1] += lr not in ("BUILD-FAIL", "-")
        s[2] += lr in ("PASS", "BUILD-ONLY")
        s[3] += fr in ("PASS", "BUILD-ONLY")
    print(f"| {what} | tests | built | Linux pass | Ferry pass |")
    print("| --- | ---: | ---: | ---: | ---: |")
    tot = [0, 0, 0, 0]
    for name in sorted(per):
        s = per[name]
        tot = [a + b for a, b in zip(tot, s)]
        label = f"{name} (core)" if name in core else name
        print(f"| {label} | {s[0]} | {s[1]} | {s[2]} | {s[3]} |")
    if len(per) > 1:
        print(f"| total | {tot[0]} | {tot[1]} | {tot[2]} | {tot[3]} |")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--cc", required=True, help="compiler (a shell script is run with sh)")
    b.add_argument("--out", required=True)
    b.add_argument("--subset", choices=["core", "all"], default="core")
    b.add_argument("-j", "--jobs", type=int, default=2)
    b.add_argument("--stamp")
    b.add_argument("--relink-on", action="append", default=[])
    i = sub.add_parser("image")
    i.add_argument("--build-list", required=True, help="build-<subset>.tsv of pts.py build")
    i.add_argument("--base", required=True)
    i.add_argument("--runner")
    i.add_argument("--part", help="K/N: only the K-th of N parts of the tests")
    i.add_argument("-o", "--output", required=True)
    ln = sub.add_parser("linux")
    ln.add_argument("--subset", choices=["core", "all"], default="all")
    ln.add_argument("-j", "--jobs", type=int, default=2)
    ln.add_argument("--timeout", type=float, default=20)
    t = sub.add_parser("table")
    t.add_argument("--linux", action="append", default=[])
    t.add_argument("--ferry-log", action="append", default=[])
    t.add_argument("--build-list", action="append", default=[])
    args = ap.parse_args(argv)
    if args.cmd == "build":
        args.out = os.path.abspath(args.out)
        args.cc = os.path.abspath(args.cc) if os.sep in args.cc else args.cc
        with open(args.cc, "rb") as f:
            script = f.read(2) == b"#!"  # ferry-cc may lack the execute bit
        args.cc_cmd = (["sh", args.cc] if script else [args.cc])
        cmd_build(args)
    elif args.cmd == "image":
        cmd_image(args)
    elif args.cmd == "linux":
        cmd_linux(args)
    elif args.cmd == "table":
        cmd_table(args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
