#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Ferry's test and benchmark harness, behind `./ferry test` and `./ferry bench`.

    tools/runtests.py test [--list] [--append ARGS] [--subset NAME] [SUITE...]
    tools/runtests.py bench [--append ARGS] [--linux|--linux-only] [BENCH...]

`test` runs the host unit tests (meson suite "host", pseudo-suite name `host`)
and then every system suite of tests/system/suites.txt, or only the named
ones.  Each system suite boots QEMU (tools/qemu.sh) with its kernel command
line and reads the serial line:

    PASS <ID> <description>      one passed test
    FAIL <ID>: <reason>          one failed test
    SUITE-END <suite>            the suite finished; the guest then powers off

A suite that panics (a line containing PANIC or KERNEL EXCEPTION), times out,
exits QEMU other than by a clean power-off, or ends without its SUITE-END
line counts one more failure, `<suite>:BOOT`, and its last 30 serial lines are
shown.  Full serial logs go to build/test-logs/<suite>.log.  The last line of
the output is `N passed, N failed`; the exit status is 0 iff N failed is 0.

`bench` boots each entry of bench/benches.txt in QEMU's -icount mode and
prints the `BENCH <metric> <value> <unit>` lines without the prefix.  With
`--linux` it then runs the Linux reference (tools/linux-bench.sh: Debian's
kernel in the same QEMU configuration), prints its `linux_*` lines and a
table of Ferry / Linux ratios for the pairs of bench/linux/pairs.txt;
`--linux-only` runs only the Linux reference.

Both table files have one entry per line, `name|kernel command line|timeout
seconds`, with `#` comments.  FERRY_TIMEOUT_SCALE multiplies every timeout.
A suite line may have a fourth field, comma-separated options:

    initrd=PATH     boot this archive instead of build/image/boot.cpio; the
                    harness first builds it (`ninja -C build PATH` minus the
                    build/ prefix), so it need not be a default target
    subset=NAME     run this suite only when `--subset NAME` is given (the
                    default subset is `core`) or when it is named
    ids=PREFIX      count only PASS/FAIL lines whose ID starts with PREFIX
                    (the programs under test print lines of their own)
"""

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
SUITES_FILE = "tests/system/suites.txt"
BENCH_FILE = "bench/benches.txt"
BOOT_FILES = ["build/kernel/ferry.bin", "build/image/boot.cpio", "build/kernel/kernel.sym"]
DEFAULT_SUBSET = "core"
SUITE_OPTIONS = ("initrd", "subset", "ids", "input")

TAIL_LINES = 30
PANIC_GRACE = 3.0      # seconds to keep reading after a panic (backtrace)
POWEROFF_GRACE = 15.0  # seconds allowed between SUITE-END and QEMU's exit

# A line may carry a bracketed kernel-log prefix such as "[    1.234] ".
_PREFIX = r"^(?:\[[^\]]*\]\s*)?"
PASS_RE = re.compile(_PREFIX + r"PASS (\S+)(?:\s+(.*))?$")
FAIL_RE = re.compile(_PREFIX + r"FAIL ([^\s:]+):?(?:\s+(.*))?$")
END_RE = re.compile(_PREFIX + r"SUITE-END (\S+)\s*$")
SUMMARY_RE = re.compile(_PREFIX + r"(\d+) passed, (\d+) failed\s*$")
BENCH_RE = re.compile(_PREFIX + r"BENCH (\S+) (\S+) (\S+)$")
CRASH_RE = re.compile(r"PANIC|KERNEL EXCEPTION")
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class HarnessError(Exception):
    """A problem with the harness's inputs (tables, build), not with a test."""


def say(text=""):
    print(text, flush=True)


def timeout_scale():
    raw = os.environ.get("FERRY_TIMEOUT_SCALE", "1")
    try:
        scale = float(raw)
    except ValueError:
        raise HarnessError(f"FERRY_TIMEOUT_SCALE={raw!r} is not a number")
    if scale <= 0:
        raise HarnessError("FERRY_TIMEOUT_SCALE must be positive")
    return scale


def read_table(relpath, options=False):
    """Parse a `name|cmdline|timeout` table into a list of (name, cmdline, secs);
    with options, a fourth field of key=value options is allowed and the
    entries are (name, cmdline, secs, {option: value})."""
    entries = []
    seen = set()
    with open(os.path.join(ROOT, relpath), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split("|")
            where = f"{relpath}:{lineno}"
            opts = {}
            if options and len(fields) == 4:
                for item in filter(None, (x.strip() for x in fields.pop().split(","))):
                    key, eq, value = item.partition("=")
                    if key not in SUITE_OPTIONS or not eq or not value:
                        raise HarnessError(f"{where}: bad option {item!r} (known: "
                                           f"{', '.join(k + '=...' for k in SUITE_OPTIONS)})")
                    opts[key] = value
            if len(fields) != 3:
                raise HarnessError(f"{where}: expected 'name|cmdline|timeout', got {line!r}")
            name, cmdline, secs = (x.strip() for x in fields)
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name == "host":
                raise HarnessError(f"{where}: bad name {name!r}")
            if name in seen:
                raise HarnessError(f"{where}: {name!r} listed twice")
            try:
                secs = float(secs)
            except ValueError:
                raise HarnessError(f"{where}: timeout {secs!r} is not a number")
            seen.add(name)
            entries.append((name, cmdline, secs, opts) if options else (name, cmdline, secs))
    return entries


def select(entries, names, what):
    if not names:
        return entries
    known = {e[0]: e for e in entries}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise HarnessError(f"unknown {what} {', '.join(unknown)} "
                           f"(known: {', '.join(known) or 'none'})")
    return [known[n] for n in names]


def clean(raw):
    return ANSI_RE.sub("", raw.decode("utf-8", "replace")).rstrip("\r\n").replace("\r", "")


class Boot:
    """One QEMU run: the serial lines, how it ended, and why it is a crash."""

    def __init__(self):
        self.lines = []
        self.status = None      # QEMU's exit status, None if killed
        self.crash = None       # reason text when not a clean run
        self.end_seen = False


def read_input(relpath):
    """A console script: lines `SECONDS TEXT` (TEXT with Python escapes, e.g.
    \\x03 for ^C and \\n for Enter); each TEXT is typed SECONDS after the
    previous one.  Blank lines and # comments are skipped."""
    steps = []
    with open(os.path.join(ROOT, relpath), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            delay, _, text = line.rstrip("\n").partition(" ")
            try:
                steps.append((float(delay), text.encode().decode("unicode_escape").encode("latin-1")))
            except ValueError:
                raise HarnessError(f"{relpath}:{lineno}: expected 'SECONDS TEXT'")
    return steps


def boot(cmdline, timeout, logpath, icount=False, end_name=None, on_line=None, initrd=None,
         feed=None):
    """Boot QEMU with `cmdline`, feed each serial line to on_line, return a Boot.
    With feed (from read_input), type those keys into the console.

    The run is a crash when it panics, times out, is not ended by a clean
    power-off (QEMU status 1 or 3), or, with end_name, has no SUITE-END line.
    """
    result = Boot()
    files = BOOT_FILES if not initrd else [BOOT_FILES[0], initrd, BOOT_FILES[2]]
    missing = [f for f in files if not os.path.isfile(os.path.join(ROOT, f))]
    if missing:
        result.crash = (f"not booted: {', '.join(missing)} missing "
                        "(the build did not produce it)")
        return result

    cmd = ["bash", os.path.join(ROOT, "tools/qemu.sh"), "--append", cmdline]
    if initrd:
        cmd += ["--initrd", f"{initrd},{BOOT_FILES[2]}"]
    if icount:
        cmd.append("--icount")
    env = dict(os.environ, FERRY_QEMU_QUIET="1")
    os.makedirs(os.path.dirname(logpath), exist_ok=True)
    log = open(logpath, "w", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env,
                            stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    lines = queue.Queue()

    def typist():
        try:
            for delay, data in feed:
                time.sleep(delay * timeout_scale())
                proc.stdin.write(data)
                proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass

    if feed:
        threading.Thread(target=typist, daemon=True).start()

    def reader():
        for raw in iter(proc.stdout.readline, b""):
            lines.put(raw)
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    deadline = time.monotonic() + timeout
    panic = None
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            try:
                raw = lines.get(timeout=left)
            except queue.Empty:
                continue
            if raw is None:
                break
            line = clean(raw)
            result.lines.append(line)
            log.write(line + "\n")
            log.flush()
            if panic is None and CRASH_RE.search(line):
                panic = line.strip()
                deadline = min(deadline, time.monotonic() + PANIC_GRACE)
            m = END_RE.match(line)
            if end_name and m and m.group(1) == end_name:
                result.end_seen = True
                deadline = min(deadline, time.monotonic() + POWEROFF_GRACE)
            if on_line:
                on_line(line)
        if not timed_out:
            try:
                result.status = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
    finally:
        if proc.poll() is None:
            kill_group(proc)
        log.close()

    if panic is not None:
        result.crash = f"crashed: {panic}"
    elif timed_out and result.end_seen:
        result.crash = f"did not power off within {POWEROFF_GRACE:.0f}s of SUITE-END"
    elif timed_out:
        result.crash = f"timed out after {timeout:.0f}s"
    elif result.status not in (1, 3):
        what = {0: "QEMU exited with status 0 (guest reset or triple fault)",
                125: "QEMU could not be started (status 125)"}
        result.crash = what.get(result.status, f"QEMU exited with status {result.status}"
                                " (not a clean power-off)")
    elif end_name and not result.end_seen:
        result.crash = f"powered off without 'SUITE-END {end_name}'"
    return result


def kill_group(proc):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=3)
            return
        except subprocess.TimeoutExpired:
            pass


def show_tail(label, lines, logpath, what="serial lines"):
    if not lines:
        say(f"(no output from {label}; log: {os.path.relpath(logpath, ROOT)})")
        return
    say(f"--- last {min(len(lines), TAIL_LINES)} {what} of {label} "
        f"(full log: {os.path.relpath(logpath, ROOT)}) ---")
    for line in lines[-TAIL_LINES:]:
        say(f"  | {line}")
    say("---")


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    def ok(self, text):
        self.passed += 1
        say(text)

    def fail(self, test_id, reason):
        self.failed += 1
        self.failures.append(test_id)
        say(f"FAIL {test_id}: {reason}")


def run_host_tests(tally):
    """Run the meson suite `host` and count its PASS/FAIL lines."""
    say("== host unit tests (meson test --suite host)")
    logbase = "ferry-host"
    jsonlog = os.path.join(BUILD, "meson-logs", logbase + ".json")
    if os.path.exists(jsonlog):
        os.remove(jsonlog)
    logdir = os.path.join(BUILD, "test-logs")
    os.makedirs(logdir, exist_ok=True)
    textlog = os.path.join(logdir, "host.log")
    try:
        proc = subprocess.run(["meson", "test", "-C", BUILD, "--suite", "host",
                               "--logbase", logbase],
                              cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True)
    except FileNotFoundError:
        tally.fail("host:RUN", "meson not found (run tools/deps.sh)")
        return
    output = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    with open(textlog, "w", encoding="utf-8") as f:
        f.write(output)
    if not os.path.exists(jsonlog):
        if "No suitable tests defined" in output:
            say("(no host tests are defined yet)")
            return
        tally.fail("host:RUN", f"meson test exited with status {proc.returncode}"
                   " and wrote no results")
        show_tail("meson test", output.splitlines(), textlog, "output lines")
        return
    with open(jsonlog, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for rec in records:
        name = rec.get("name", "?").split(" / ")[-1]
        out = rec.get("stdout") or ""
        cases = 0
        fails = 0
        for line in out.splitlines():
            line = ANSI_RE.sub("", line).rstrip("\r")
            if PASS_RE.match(line):
                cases += 1
                tally.ok(line)
            elif FAIL_RE.match(line):
                cases += 1
                fails += 1
                tally.failed += 1
                tally.failures.append(FAIL_RE.match(line).group(1))
                say(line)
        result = rec.get("result", "?")
        good = result in ("OK", "EXPECTEDFAIL", "SKIP")
        if not good and fails == 0:
            tally.fail(f"host:{name}", f"{result}, exit status {rec.get('returncode')}"
                       f" (log: {os.path.relpath(textlog, ROOT)})")
            tail = (out + (rec.get("stderr") or "")).splitlines()
            show_tail(f"host test {name}", tail, jsonlog, "output lines")
        elif result == "SKIP" and cases == 0:
            say(f"SKIP host:{name} (meson skipped it)")
        elif good and cases == 0:
            tally.ok(f"PASS host:{name} (meson result {result}, no PASS lines)")


def build_initrd(initrd):
    """Build a suite's own archive (not a default target); None or why not."""
    rel = os.path.relpath(os.path.join(ROOT, initrd), BUILD)
    if rel.startswith(".."):
        return f"initrd={initrd} is not under build/"
    say(f"(building {initrd}: ninja -C build {rel})")
    proc = subprocess.run(["ninja", "-C", BUILD, rel], cwd=ROOT, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        for line in proc.stdout.splitlines()[-TAIL_LINES:]:
            say(f"  | {line}")
        return f"could not build {initrd} (ninja status {proc.returncode})"
    return None


def run_suite(tally, name, cmdline, timeout, opts=None):
    opts = opts or {}
    logpath = os.path.join(BUILD, "test-logs", name + ".log")
    initrd = opts.get("initrd")
    ids = opts.get("ids", "")
    say(f"== suite {name}: '{cmdline}', timeout {timeout:.0f}s"
        + (f", archive {initrd}" if initrd else ""))
    if initrd:
        why = build_initrd(initrd)
        if why:
            tally.fail(f"{name}:BUILD", why)
            return
    counted = {"pass": 0, "fail": 0}
    guest_summary = []

    def on_line(line):
        m = PASS_RE.match(line) or FAIL_RE.match(line)
        if m and not m.group(1).startswith(ids):
            return
        m = PASS_RE.match(line)
        if m:
            counted["pass"] += 1
            tally.ok(line)
            return
        m = FAIL_RE.match(line)
        if m:
            counted["fail"] += 1
            tally.failed += 1
            tally.failures.append(m.group(1))
            say(line)
            return
        m = SUMMARY_RE.match(line)
        if m:
            guest_summary.append((int(m.group(1)), int(m.group(2))))

    feed = read_input(opts["input"]) if "input" in opts else None
    result = boot(cmdline, timeout, logpath, end_name=name, on_line=on_line, initrd=initrd,
                  feed=feed)
    if result.crash:
        tally.fail(f"{name}:BOOT", result.crash)
        if result.crash.startswith("not booted"):
            return
        show_tail(f"suite {name}", result.lines, logpath)
        say(f"(reproduce: tools/qemu.sh --initrd {initrd},{BOOT_FILES[2]} --append "
            f"{shell_quote(cmdline)})" if initrd else
            f"(reproduce: ./ferry run --append {shell_quote(cmdline)})")
        return
    if result.status == 3 and counted["fail"] == 0:
        tally.fail(f"{name}:EXIT", "guest powered off reporting failure but printed no FAIL line")
    # The guest's own summary may count whole tests whose checks print
    # PASS lines of their own (more PASS lines than it says passed): only
    # fewer PASS lines, or other FAIL counts, mean lines went missing.
    if guest_summary:
        said_pass, said_fail = guest_summary[-1]
        if said_fail != counted["fail"] or said_pass > counted["pass"]:
            say(f"warning: suite {name} says '{said_pass} passed, {said_fail} failed' but "
                f"the harness read {counted['pass']} PASS and {counted['fail']} FAIL lines")


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def cmd_test(args):
    tally = Tally()
    try:
        listing = "--list" in args
        extra = ""
        subset = DEFAULT_SUBSET
        names = []
        it = iter(args)
        for a in it:
            if a == "--list":
                continue
            if a == "--append":
                extra = next(it, None)
                if extra is None:
                    raise HarnessError("--append needs an argument")
            elif a == "--subset":
                subset = next(it, None)
                if not subset:
                    raise HarnessError("--subset needs a name (core, all)")
            elif a.startswith("-"):
                raise HarnessError(f"unknown option {a!r}")
            else:
                names.append(a)
        if not os.path.exists(os.path.join(ROOT, SUITES_FILE)):
            raise HarnessError(f"{SUITES_FILE} is missing")
        suites = read_table(SUITES_FILE, options=True)
        if listing:
            say("host")
            for name, cmdline, secs, opts in suites:
                extra_opts = ",".join(f"{k}={v}" for k, v in opts.items())
                say(f"{name}\t{cmdline}\t{secs:.0f}s" + (f"\t{extra_opts}" if extra_opts else ""))
            return 0
        want_host = not names or "host" in names
        suites = select(suites, [n for n in names if n != "host"], "suite")
        if names and not [n for n in names if n != "host"]:
            suites = []
        if not [n for n in names if n != "host"]:
            suites = [e for e in suites if e[3].get("subset", subset) == subset]
        scale = timeout_scale()
        if not os.path.isfile(os.path.join(BUILD, "build.ninja")):
            raise HarnessError("build/ is not configured (run ./ferry build)")
        if want_host:
            run_host_tests(tally)
        if suites:
            accel = subprocess.run(["bash", os.path.join(ROOT, "tools/qemu.sh"), "--accel"],
                                   cwd=ROOT, capture_output=True, text=True)
            say(f"qemu accel: {accel.stdout.strip() or accel.stderr.strip()}")
        for name, cmdline, secs, opts in suites:
            full = (cmdline + " " + extra).strip() if extra else cmdline
            run_suite(tally, name, full, secs * scale, opts)
    except HarnessError as e:
        tally.fail("HARNESS", str(e))
    except KeyboardInterrupt:
        say("interrupted")
        tally.fail("HARNESS", "interrupted")
    if tally.failures:
        say("failed: " + " ".join(tally.failures))
    # The last line of the output, with nothing after it.
    say(f"{tally.passed} passed, {tally.failed} failed")
    return 0 if tally.failed == 0 else 1


# ---- the Linux reference column (`bench --linux`, docs/benchmarks.md) ----

LINUX_BENCH = "tools/linux-bench.sh"
LINUX_PAIRS = "bench/linux/pairs.txt"
ICOUNT_UNITS = {"insns": 1, "ns": 1, "us": 1000}


def run_linux_reference(ferry):
    """Run tools/linux-bench.sh, print its lines, then the Ferry/Linux ratios
    of the metrics in `ferry` ({metric: (value, unit)}).  Returns 0 or 1."""
    print("== bench linux: Debian's kernel, same QEMU -icount configuration",
          file=sys.stderr, flush=True)
    linux = {}
    proc = subprocess.Popen([os.path.join(ROOT, LINUX_BENCH)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        line = line.rstrip("\n")
        say(line)
        f = line.split()
        if len(f) == 3:
            linux[f[0]] = (f[1], f[2])
    status = proc.wait()
    rows = []
    with open(os.path.join(ROOT, LINUX_PAIRS), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fm, lm, _what = (x.strip() for x in line.split("|", 2))
            if fm not in ferry or lm not in linux:
                continue
            fv, fu = ferry[fm]
            lv, lu = linux[lm]
            # Under -icount one guest ns is one instruction.
            if fu != lu and fu in ICOUNT_UNITS and lu in ICOUNT_UNITS:
                fv = str(round(float(fv) * ICOUNT_UNITS[fu] / ICOUNT_UNITS[lu]))
                fu = lu
            if fu == lu:
                rows.append((fm, lm, fv, lv, fu))
    if rows:
        say("")
        say(f"{'ferry metric':<20} {'ferry':>10} {'linux metric':<26} {'linux':>10} {'ratio':>6}")
        for fm, lm, fv, lv, unit in rows:
            ratio = float(fv) / float(lv) if float(lv) else float("inf")
            say(f"{fm:<20} {fv:>10} {lm:<26} {lv:>10} {ratio:>6.2f}  {unit}")
    return 1 if status else 0


def cmd_bench(args):
    extra = ""
    names = []
    linux = None  # None, "also" or "only"
    it = iter(args)
    for a in it:
        if a == "--append":
            extra = next(it, None)
            if extra is None:
                raise HarnessError("--append needs an argument")
        elif a in ("--linux", "--linux-only"):
            linux = "only" if a == "--linux-only" else "also"
        elif a.startswith("-"):
            raise HarnessError(f"unknown option {a!r}")
        else:
            names.append(a)
    if not os.path.exists(os.path.join(ROOT, BENCH_FILE)):
        print(f"{BENCH_FILE} does not exist yet: no benchmarks to run", file=sys.stderr)
        return 0
    benches = select(read_table(BENCH_FILE), names, "bench")
    if linux == "only":
        benches = []
    scale = timeout_scale()
    bad = 0
    figures = {}
    for name, cmdline, secs in benches:
        full = (cmdline + " " + extra).strip() if extra else cmdline
        print(f"== bench {name}: '{full}' (icount)", file=sys.stderr, flush=True)
        logpath = os.path.join(BUILD, "bench-logs", name + ".log")

        def on_line(line):
            m = BENCH_RE.match(line)
            if m:
                say(" ".join(m.groups()))
                figures[m.group(1)] = (m.group(2), m.group(3))

        result = boot(full, secs * scale, logpath, icount=True, on_line=on_line)
        if result.crash or result.status != 1:
            bad += 1
            why = result.crash or "guest powered off reporting failure (status 3)"
            print(f"bench {name}: {why}", file=sys.stderr)
            for line in result.lines[-TAIL_LINES:]:
                print(f"  | {line}", file=sys.stderr)
            print(f"(full log: {os.path.relpath(logpath, ROOT)})", file=sys.stderr, flush=True)
    if linux:
        bad += run_linux_reference(figures)
    return 1 if bad else 0


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    cmd, args = argv[1], argv[2:]
    if cmd == "test":
        return cmd_test(args)
    if cmd == "bench":
        try:
            return cmd_bench(args)
        except HarnessError as e:
            print(f"runtests: error: {e}", file=sys.stderr)
            return 2
    print(f"runtests: unknown command {cmd!r} (test or bench)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
