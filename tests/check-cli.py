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
check("explain a reason", ["explain", "filtered"], 0,
      ["filtered: Refused by a filter", "What to do:", "stop when permanent", "sisimai"])
check("explain the unknown reason", ["explain", "unknown"], 0, ["unknown: "])
check("explain no such reason", ["explain", "filteredx"], 1, [], ["no SMTP reply"])
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
check("classify words only", ["classify", "stat=User unknown"], 0, ["recipient_unknown"])
check("classify nothing to go on", ["classify", "550 5.1.1 User unknown", "hello world"], 1,
      ["recipient_unknown", "unknown"])
check("classify bad stage", ["classify", "--stage", "nonsense", "550"], 2, [], ["unknown stage"])
check("classify bad option", ["classify", "--frob"], 2, [], ["unknown option"])
check("explain gives advice for a reply", ["explain", "550 5.1.1 <bob@example.com>: User unknown"],
      0, ["What to do", "hard bounce", "suppress_recipient"])
check("explain 4.4.1 advice", ["explain", "4.4.1"], 0, ["30 minutes", "port 25"])

import json
import os

SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "samples")
# A library built with -Ddsn=disabled reads no bounce messages.
HAS_DSN = "not built" not in subprocess.run([CLI, "dsn", os.path.join(SAMPLES, "postfix-dsn.eml")],
                                            capture_output=True, text=True).stderr
LOG = os.path.join(SAMPLES, "mail.log")
check("triage text", ["triage", "--quiet", LOG], 0,
      ["Addresses to suppress", "bob@example.org", "Domains with transient trouble", "example.net",
       "Problems on the sender's side", "blocklisted", "auth_failure"])


def check_output(name, args, test):
    global passed, failed
    r = subprocess.run([CLI] + args, capture_output=True, text=True)
    try:
        problem = test(r)
    except Exception as e:  # noqa: BLE001 - any failure of the check is a failure
        problem = f"{type(e).__name__}: {e}"
    if r.returncode != 0:
        problem = problem or f"exit {r.returncode}"
    if problem:
        failed += 1
        print(f"FAIL {name}: {problem}")
    else:
        passed += 1
        print(f"ok {name}")


def triage_json(r):
    doc = json.loads(r.stdout)
    suppressed = {s["address"]: s["why"] for s in doc["suppress"]}
    if suppressed.get("bob@example.org") != "hard bounce":
        return f"bob not suppressed: {suppressed}"
    if suppressed.get("carol@example.net") != "repeated soft bounces":
        return "carol (three soft bounces) not suppressed"
    if "dave@example.com" in suppressed:
        return "greylisted then delivered dave was suppressed"
    if doc["outcomes"]["delivered"] != 5 or doc["bounces"]["hard"] != 5:
        return f"counts {doc['outcomes']} {doc['bounces']}"
    if not any(p["reason"] == "blocklisted" for p in doc["sender_problems"]):
        return "no blocklisting among the sender problems"
    return None


def triage_csv(r):
    rows = r.stdout.splitlines()
    if rows[0] != "address,suppress,why,last_reason,hard,soft,complaints,delivered":
        return f"header {rows[0]!r}"
    if not any(row.startswith('"bob@example.org",yes,') for row in rows):
        return "bob missing"
    return None


def dsn_json(r):
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    keys = {"file", "recipient", "status", "reply_code", "reason", "sisimai_reason", "hardbounce",
            "bounce", "action", "decoded_by"}
    for o in objs:
        if keys - set(o):
            return f"missing {keys - set(o)}"
    # "hardbounce" is Sisimai's flag, a function of its reason (smtpstatus.1).
    for o in objs:
        if o["sisimai_reason"] in ("userunknown", "hostunknown", "hasmoved"):
            if o["hardbounce"] is not True:
                return f"hardbounce false for {o['sisimai_reason']}"
        elif o["sisimai_reason"] != "notaccept" and o["hardbounce"] is not False:
            return f"hardbounce true for {o['sisimai_reason']}"
    got = {(o["recipient"], o["reason"], o["hardbounce"]) for o in objs}
    want = {("bob@example.org", "recipient_unknown", True), ("carol@example.net", "mailbox_full", False),
            ("dave@example.org", "blocklisted", False), ("erin@example.net", "auth_failure", False),
            ("frank@example.net", "complaint", False)}
    return None if want <= got else f"missing {want - got}"


check_output("triage --json", ["triage", "--json", "--quiet", LOG], triage_json)
check_output("triage --csv", ["triage", "--csv", "--quiet", LOG], triage_csv)
if HAS_DSN:
  check_output("triage of bounce messages", ["triage", "--json", "--quiet", SAMPLES + "/postfix-dsn.eml",
               SAMPLES + "/qmail-text.eml"],
               lambda r: None if json.loads(r.stdout)["messages"] == 2 and json.loads(r.stdout)["bounces"]["hard"] == 1
               else r.stdout[:300])
  check_output("dsn --json samples", ["dsn", "--json"] + sorted(
      os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES) if f.endswith(".eml")), dsn_json)
  # An mbox of two bounces reads alike with LF, CRLF and bare CR line
  # endings (the library takes all three; so must the mbox splitter).
  def mbox_rows(eol):
      msgs = []
      for name in ("postfix-dsn.eml", "qmail-text.eml"):
          text = open(os.path.join(SAMPLES, name), "rb").read().replace(b"\r\n", b"\n")
          msgs.append(b"From MAILER-DAEMON  Mon Nov 23 10:00:00 2026\n" + text)
      data = b"\n".join(msgs).replace(b"\n", eol)
      r = subprocess.run([CLI, "dsn", "--json", "-"], input=data, capture_output=True)
      return r.returncode, sorted((o.get("message"), o["recipient"], o["reason"])
                                  for o in map(json.loads, r.stdout.decode().splitlines()))
  lf = mbox_rows(b"\n")
  for eol, label in ((b"\r\n", "CRLF"), (b"\r", "CR")):
      got = mbox_rows(eol)
      if lf[0] == 0 and len(lf[1]) >= 2 and {m for m, _, _ in lf[1]} == {1, 2} and got == lf:
          passed += 1
          print(f"ok dsn mbox with {label} line endings")
      else:
          failed += 1
          print(f"FAIL dsn mbox with {label} line endings: {got} want {lf}")
check("triage usage", ["triage"], 2, [], ["usage"])
check("triage missing file", ["triage", "--quiet", "/nonexistent/log"], 1, [], ["nonexistent"])
check("dsn missing file", ["dsn", "/nonexistent/x.eml"], 1, [], ["nonexistent"])
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
