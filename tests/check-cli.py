#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""Smoke tests of the smtpstatus command-line tool."""

import subprocess
import sys

CLI = sys.argv[1]
passed = failed = 0


def check(name, args, want_rc, want_out=(), want_err=()):
    global passed, failed
    r = subprocess.run([CLI] + args, capture_output=True, text=True)
    problems = []
    if r.returncode != want_rc:
        problems.append(f"exit {r.returncode}, want {want_rc}")
    for s in want_out:
        if s not in r.stdout:
            problems.append(f"stdout lacks {s!r}")
    for s in want_err:
        if s not in r.stderr:
            problems.append(f"stderr lacks {s!r}")
    if problems:
        failed += 1
        print(f"FAIL {name}: " + "; ".join(problems))
        print(r.stdout, r.stderr)
    else:
        passed += 1
        print(f"ok {name}")


check("explain 5.7.26", ["explain", "5.7.26"], 0,
      ["Multiple authentication checks failed", "permanent failure", "RFC7372"])
check("explain 4.4.1", ["explain", "4.4.1"], 0, ["No answer from host", "temporary failure"])
check("explain X.1.1", ["explain", "X.1.1"], 0, ["Bad destination mailbox address"])
check("explain 550", ["explain", "550"], 0, ["mailbox unavailable", "RFC 5321"])
check("explain 599", ["explain", "599"], 0, ["not a defined reply code"])
check("explain unregistered", ["explain", "5.7.606"], 0, ["provider-specific"])
check("explain reply", ["explain", "550 5.1.1 <bob@example.com>: user unknown"], 0,
      ["Bad destination mailbox address", "550"])
check("explain postfix log", ["explain", "status=bounced (host mx.example.com[192.0.2.1] said: "
      "550 5.1.1 <bob@example.com>: Recipient address rejected (in reply to RCPT TO command))"],
      0, ["rcpt", "5.1.1"])
check("explain garbage", ["explain", "hello world"], 1, [], ["no SMTP reply"])
check("explain bad code", ["explain", "6.1.1"], 1)
check("no arguments", [], 2, [], ["usage"])
check("unknown command", ["frobnicate"], 2, [], ["unknown command"])
check("help", ["--help"], 0, ["explain"])
check("version", ["--version"], 0, ["2024-12-06"])

def check_json(name, args, stdin, want):
    """Each line of output is a JSON object with the keys the issue asks for."""
    global passed, failed
    import json
    r = subprocess.run([CLI] + args, input=stdin, capture_output=True, text=True)
    problems = []
    if r.returncode != 0:
        problems.append(f"exit {r.returncode}")
    objs = []
    for line in r.stdout.splitlines():
        try:
            objs.append(json.loads(line))
        except ValueError as e:
            problems.append(f"bad JSON {line!r}: {e}")
    if len(objs) != len(want):
        problems.append(f"{len(objs)} objects, want {len(want)}")
    keys = {"input", "reply_code", "status", "outcome", "bounce", "reason", "sisimai_reason",
            "action", "retry_after", "party", "rule"}
    for obj, expect in zip(objs, want):
        missing = keys - set(obj)
        if missing:
            problems.append(f"missing keys {sorted(missing)}")
        for k, v in expect.items():
            if obj.get(k) != v:
                problems.append(f"{k} = {obj.get(k)!r}, want {v!r}")
    if problems:
        failed += 1
        print(f"FAIL {name}: " + "; ".join(problems))
    else:
        passed += 1
        print(f"ok {name}")


check_json("classify --json args", ["classify", "--json", "550 5.1.1 <bob@example.com>: User unknown",
           "451 4.7.1 Greylisted, please try again in 5 minutes"], None,
           [{"reply_code": 550, "status": "5.1.1", "outcome": "permanent", "bounce": "hard",
             "reason": "recipient_unknown", "sisimai_reason": "userunknown",
             "action": "suppress_recipient", "retry_after": None, "party": "recipient"},
            {"reply_code": 451, "outcome": "transient", "bounce": "soft", "retry_after": 300}])
check_json("classify --json stdin", ["classify", "--json", "--stage", "rcpt"],
           "550 5.1.1 User unknown\r\n\n250 2.0.0 Ok\n\xff\xfe 554 5.7.1 \x01 rejected\n",
           [{"stage": "rcpt", "reason": "recipient_unknown"},
            {"outcome": "success", "bounce": "none", "action": "none"},
            {"reply_code": 554}])
check("classify text", ["classify", "550 5.1.1 User unknown"], 0, ["recipient_unknown", "hard"])
check("classify bad stage", ["classify", "--stage", "nonsense", "550"], 2, [], ["unknown stage"])
check("classify bad option", ["classify", "--frob"], 2, [], ["unknown option"])
check("explain gives advice for a reply", ["explain", "550 5.1.1 <bob@example.com>: User unknown"],
      0, ["What to do", "hard bounce", "suppress_recipient"])
check("explain 4.4.1 advice", ["explain", "4.4.1"], 0, ["30 minutes", "port 25"])
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
