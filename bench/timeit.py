#!/usr/bin/env python3
"""Time one command: a checked warm-up run, then N timed runs.

    timeit.py [--runs N] [--warmup N] [--timeout S] [--rss]
              [--expect TEXT] [--expect-lines N] [--unset VAR]... -- CMD [ARG]...

The first warm-up run keeps the command's output and checks it (exit status
0, --expect TEXT somewhere in stdout, --expect-lines N lines of stdout).  The
timed runs send stdout to /dev/null.  Wall time is time.perf_counter() around
the whole child process, so it includes the cost of starting it.

Prints one line of tab-separated fields, "-" where a field does not apply:

    STATUS  MEDIAN_S  MIN_S  MAX_S  RSS_KB  NOTE

STATUS is one of
    ok       every run exited 0 and the output checks passed
    wrong    every run exited 0, but the output check failed (NOTE says how);
             the times are still given
    fail     a run exited non-zero; NOTE is the exit status and the first
             line of its stderr (of stdout if stderr was empty); no times
    timeout  a run took longer than --timeout seconds; no times
RSS_KB is the peak resident set of one extra run under /usr/bin/time -f %M
(GNU time) when --rss is given.  Without GNU time it falls back to
getrusage(RUSAGE_CHILDREN), which also counts this helper's own memory
(copied into the child before exec): the value is then prefixed with "<=".

Exit status: 0 when a result line was printed (whatever STATUS says), 2 on a
usage error.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def first_line(path):
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line:
                    return line[:200]
    except OSError:
        pass
    return ""


def describe_failure(code, errpath, outpath=None):
    """The exit status and the first line of stderr (else of stdout)."""
    if code < 0:
        what = "killed by signal %d" % -code
    else:
        what = "exit %d" % code
    line = first_line(errpath)
    if line:
        return "%s: %s" % (what, line)
    line = first_line(outpath) if outpath else ""
    if line:
        return "%s (stderr empty; stdout: %s)" % (what, line)
    return "%s (no output)" % what


def run_once(cmd, env, stdout, errpath, timeout):
    """Return (seconds, returncode); returncode None on timeout.

    The child is reaped with a blocking wait.  Popen.wait(timeout=...) polls
    with sleeps of up to 50 ms, which would be added to the measured time;
    a timer thread kills the child instead when it runs too long.
    """
    expired = threading.Event()

    def kill(proc):
        expired.set()
        proc.kill()

    with open(errpath, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                                stdout=stdout, stderr=err)
        timer = threading.Timer(timeout, kill, (proc,))
        timer.start()
        code = proc.wait()
        secs = time.perf_counter() - start
        timer.cancel()
    return secs, (None if expired.is_set() and code != 0 else code)


def gnu_time():
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    try:
        out = subprocess.run([path, "-f", "%M", "true"],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = out.stderr.decode(errors="replace").strip().splitlines()
    return path if out.returncode == 0 and text and text[-1].isdigit() \
        else None


def peak_rss(cmd, env, tmp, timeout):
    """Peak RSS in KB of one run of cmd, as a string."""
    timer = gnu_time()
    if timer:
        outpath = os.path.join(tmp, "rss")
        errpath = os.path.join(tmp, "rss.err")
        secs, code = run_once([timer, "-f", "%M", "-o", outpath] + cmd, env,
                              subprocess.DEVNULL, errpath, timeout)
        text = first_line(outpath)
        return text if code == 0 and text.isdigit() else "-"
    return "<=%d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def check_output(path, expect, expect_lines):
    """Return "" when stdout passes the checks, else what is wrong."""
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        text = f.read()
    problems = []
    if expect is not None and expect not in text:
        problems.append("'%s' not in output" % expect)
    if expect_lines is not None:
        n = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
        if n != expect_lines:
            problems.append("%d output lines, expected %d" % (n, expect_lines))
    return "; ".join(problems)


def result(status, times=None, rss="-", note="-"):
    if times:
        fields = ["%.6f" % statistics.median(times), "%.6f" % min(times),
                  "%.6f" % max(times)]
    else:
        fields = ["-", "-", "-"]
    note = " ".join(note.split()) or "-"
    print("\t".join([status] + fields + [rss, note]))
    return 0


def main(argv):
    ap = argparse.ArgumentParser(
        description="Time a command: median wall time of N runs.")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed runs first; the first is checked "
                         "(default 1, at least 1)")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds allowed per run (default 600)")
    ap.add_argument("--rss", action="store_true",
                    help="also measure peak RSS in one extra run")
    ap.add_argument("--expect", help="text that stdout must contain")
    ap.add_argument("--expect-lines", type=int,
                    help="number of lines stdout must have")
    ap.add_argument("--unset", action="append", default=[], metavar="VAR",
                    help="remove VAR from the command's environment")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command given")
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    env = dict(os.environ)
    for var in args.unset:
        env.pop(var, None)

    with tempfile.TemporaryDirectory(prefix="migrator-timeit.") as tmp:
        outpath = os.path.join(tmp, "out")
        errpath = os.path.join(tmp, "err")

        for i in range(max(1, args.warmup)):
            try:
                if i == 0:
                    with open(outpath, "wb") as out:
                        secs, code = run_once(cmd, env, out, errpath,
                                              args.timeout)
                else:
                    secs, code = run_once(cmd, env, subprocess.DEVNULL,
                                          errpath, args.timeout)
            except OSError as e:
                return result("fail", note="cannot run %s: %s"
                              % (cmd[0], e.strerror))
            if code is None:
                return result("timeout", note="over %gs" % args.timeout)
            if code != 0:
                return result("fail", note=describe_failure(
                    code, errpath, outpath if i == 0 else None))
            if i == 0:
                wrong = check_output(outpath, args.expect, args.expect_lines)

        times = []
        for _ in range(args.runs):
            secs, code = run_once(cmd, env, subprocess.DEVNULL, errpath,
                                  args.timeout)
            if code is None:
                return result("timeout", note="over %gs" % args.timeout)
            if code != 0:
                return result("fail", note=describe_failure(code, errpath))
            times.append(secs)

        rss = peak_rss(cmd, env, tmp, args.timeout) if args.rss else "-"
        if wrong:
            return result("wrong", times, rss, wrong)
        return result("ok", times, rss)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
