#!/usr/bin/env python3
"""report_check.py: read a JSON report (one object per line) and print
one summary line per event, from the parsed objects, for the shell tests
to grep. Exits 1 (naming the line) when a line is not a JSON object of
schema version 1 with the keys every event has.

    report_check.py FILE     (- for standard input)

Summary lines:
    run_start target=T database=D offline=0|1
    plan REV REV ...
    step_start N ACTION REV
    step_end N REV ok|failed SECONDS-IS-NUMBER
    error status=S exit=E file=F line=L sqlstate=Q reason=R detail=D hint=H
    record KIND ID head=0|1 current=0|1 parents=A,B labels=X,Y
    output TEXT (first line)
    message LEVEL TEXT
    lock_wait holder=H
    run_end ok|failed exit=E run=N committed=M
"""
import json
import re
import sys

COMMON = ["v", "event", "time", "elapsed", "command"]
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def fail(lineno, why):
    print("report_check: line %d: %s" % (lineno, why), file=sys.stderr)
    sys.exit(1)


def flag(b):
    return "1" if b else "0"


def error_line(e):
    return "status=%s exit=%s file=%s line=%s sqlstate=%s reason=%s " \
           "detail=%s hint=%s" % (e["status"], e["exit_code"], e["file"],
                                  e["line"], e["sqlstate"], e["reason"],
                                  e["detail"], e["hint"])


def summary(o):
    ev = o["event"]
    if ev == "run_start":
        return "run_start target=%s database=%s offline=%s" % (
            o["target"], o["database"], flag(o["offline"]))
    if ev == "plan":
        return "plan " + " ".join(str(s["revision"]) for s in o["steps"])
    if ev == "step_start":
        s = o["step"]
        return "step_start %d %s %s" % (s["index"], s["action"],
                                        s["revision"])
    if ev == "step_end":
        s = o["step"]
        ok = o["ok"]
        if not ok and not o["error"]:
            raise ValueError("a failed step_end without an error")
        return "step_end %d %s %s %s" % (
            s["index"], s["revision"], "ok" if ok else "failed",
            isinstance(o["seconds"], (int, float)))
    if ev == "error":
        return "error " + error_line(o["error"])
    if ev == "record":
        r = o["revision"]
        return "record %s %s head=%s current=%s parents=%s labels=%s" % (
            o["kind"], r["id"], flag(r["head"]), flag(r["current"]),
            ",".join(r["parents"]), ",".join(r["branch_labels"]))
    if ev == "output":
        return "output " + o["text"].split("\n")[0]
    if ev == "message":
        return "message %s %s" % (o["level"], o["text"])
    if ev == "lock_wait":
        return "lock_wait holder=%s" % o["holder"]
    if ev == "run_end":
        return "run_end %s exit=%d run=%d committed=%d" % (
            "ok" if o["ok"] else "failed", o["exit_code"], o["steps_run"],
            o["steps_committed"])
    raise ValueError("unknown event '%s'" % ev)


def main():
    path = sys.argv[1]
    f = sys.stdin if path == "-" else open(path, encoding="utf-8",
                                           errors="strict")
    n = 0
    for n, line in enumerate(f, 1):
        try:
            o = json.loads(line)
        except ValueError as e:
            fail(n, "not JSON: %s" % e)
        if not isinstance(o, dict) or list(o)[:5] != COMMON:
            fail(n, "not an event object: %r" % line[:80])
        if o["v"] != 1 or not TIME.match(o["time"]):
            fail(n, "bad version or time: %r" % line[:80])
        try:
            print(summary(o))
        except (KeyError, TypeError, ValueError) as e:
            fail(n, "bad %s event: %s" % (o["event"], e))
    if n == 0:
        fail(0, "no events")


main()
