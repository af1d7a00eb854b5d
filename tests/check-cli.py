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
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
