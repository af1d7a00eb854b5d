#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the Python binding against the real libsmtpstatus.

Run with the library to test in SMTPSTATUS_LIBRARY:

    SMTPSTATUS_LIBRARY=build/lib/libsmtpstatus.so python3 examples/python/test_smtpstatus.py

Standard library only. The DSN tests are skipped, and E_UNSUPPORTED is
checked instead, when the library was built with -Ddsn=disabled.
"""

import base64
import concurrent.futures
import datetime
import glob
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "..", "samples")
sys.path.insert(0, HERE)

import smtpstatus  # noqa: E402  (after the path is set)
from smtpstatus import EnhancedCode  # noqa: E402

HAS_DSN = smtpstatus.has_dsn()

GMAIL_5726 = ("550-5.7.26 This mail is unauthenticated, which poses a security risk to the\r\n"
              "550-5.7.26 sender and Gmail users, and has been blocked. The sender must\r\n"
              "550 5.7.26 authenticate with at least one of SPF or DKIM. - gsmtp\r\n")
GODADDY = "550 5.1.1 <bob@example.com> sent to too many recipients this hour"
GREYLIST = "451 4.7.1 Greylisted, please try again in 5 minutes"
POSTFIX_LOG = ("Nov 23 10:00:05 mail postfix/smtp[123]: 4A1B2C3D4E: to=<bob@example.org>, "
               "relay=mx.example.org[192.0.2.25]:25, delay=0.5, dsn=5.1.1, status=bounced "
               "(host mx.example.org[192.0.2.25] said: 550 5.1.1 <bob@example.org>: Recipient "
               "address rejected: User unknown (in reply to RCPT TO command))")
EXIM_LOG = ("2026-11-23 10:00:00 1abcDE-000123-AB ** bob@example.org R=dnslookup T=remote_smtp "
            "H=mx.example.org [192.0.2.25]: SMTP error from remote mail server after "
            "RCPT TO:<bob@example.org>: 550 5.1.1 <bob@example.org>: User unknown")


def crlf(text):
    """Bytes with CRLF line ends, as mail has them."""
    return text.replace("\n", "\r\n").encode("utf-8")


TWO_RECIPIENTS = crlf("""\
Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: sender@example.com
Subject: Delivery Status Notification
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="SEP"

--SEP
Content-Type: text/plain; charset=us-ascii

Delivery to two recipients failed or was delayed.

--SEP
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com
Received-From-MTA: dns; client.example.com
Original-Envelope-Id: ENV-0042
Arrival-Date: Mon, 23 Nov 2026 09:00:00 +0000

Final-Recipient: rfc822; alice@example.org
Original-Recipient: rfc822; Alice.Alias@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <alice@example.org>: Recipient address
    rejected: User unknown in local recipient table
Last-Attempt-Date: Mon, 23 Nov 2026 09:00:01 +0000
Final-Log-ID: 7C1F2A3B4D
X-Test-Extension: kept as is

Final-Recipient: rfc822; bob@example.net
Action: delayed
Status: 4.2.2
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full, try again later
Will-Retry-Until: Fri, 27 Nov 2026 09:00:00 +0000

--SEP
Content-Type: message/rfc822

From: Sender <sender@example.com>
To: alice@example.org, bob@example.net
Subject: The original subject
Message-ID: <original-0042@example.com>

Hello.

--SEP--
""")

ORDINARY = crlf("""\
From: Alice <alice@example.org>
To: Bob <bob@example.net>
Subject: Lunch tomorrow?
Message-ID: <lunch@example.org>

Shall we meet at noon? 5.1.1 and 550 are just numbers here.
""")


def many_recipients(count):
    """A delivery-status report with `count` recipients, user0 ... userN-1."""
    blocks = "".join(
        f"Final-Recipient: rfc822; user{i}@example.org\n"
        f"Action: failed\n"
        f"Status: 5.1.1\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <user{i}@example.org>: User unknown\n\n"
        for i in range(count))
    return crlf(f"""\
From: MAILER-DAEMON@mx.example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

{count} recipients failed.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

{blocks}--B--
""")


def base64_report():
    """A report whose delivery-status part is base64: decoded text needs scratch."""
    status = crlf("Reporting-MTA: dns; mx.example.com\n\n"
                  "Final-Recipient: rfc822; zed@example.org\nAction: failed\nStatus: 5.1.1\n"
                  "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n")
    encoded = base64.encodebytes(status).replace(b"\n", b"\r\n")
    return (crlf("From: MAILER-DAEMON@mx.example.com\nSubject: Undeliverable\nMIME-Version: 1.0\n"
                 "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
                 "--b1\nContent-Type: text/plain\n\nfailed\n--b1\n"
                 "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n")
            + encoded + b"--b1--\r\n")


class TestLibrary(unittest.TestCase):
    """Versions, result names, stage names, errors."""

    def test_versions(self):
        self.assertRegex(smtpstatus.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(".".join(map(str, smtpstatus.version_info())), smtpstatus.version())
        self.assertRegex(smtpstatus.registry_version(), r"^\d{4}-\d{2}-\d{2}$")

    def test_result_names(self):
        self.assertEqual(smtpstatus.result_name(0), "SMTPSTATUS_OK")
        self.assertEqual(smtpstatus.result_name(1), "SMTPSTATUS_INCOMPLETE")
        self.assertEqual(smtpstatus.result_name(-2), "SMTPSTATUS_E_SYNTAX")
        self.assertEqual(smtpstatus.result_name(-10), "SMTPSTATUS_E_NO_SPACE")
        self.assertEqual(smtpstatus.result_name(12345), "SMTPSTATUS_UNKNOWN")
        self.assertEqual(smtpstatus.strerror(12345), "unknown result")
        self.assertTrue(smtpstatus.strerror(-2))

    def test_error_classes(self):
        err = smtpstatus.SmtpStatusError.from_result(-2, 7)
        self.assertEqual((err.result, err.value, err.offset), ("SMTPSTATUS_E_SYNTAX", -2, 7))
        self.assertIn("byte 7", str(err))
        self.assertIsInstance(smtpstatus.SmtpStatusError.from_result(1), smtpstatus.Incomplete)
        unsupported = smtpstatus.SmtpStatusError.from_result(-6)
        self.assertIsInstance(unsupported, smtpstatus.Unsupported)
        self.assertEqual(unsupported.result, "SMTPSTATUS_E_UNSUPPORTED")
        self.assertEqual(str(unsupported), smtpstatus.strerror(-6))

    def test_stages(self):
        self.assertEqual(smtpstatus.stage_name(6), "rcpt")
        self.assertEqual(smtpstatus.stage_name(8), "end-of-data")
        self.assertEqual(smtpstatus.stage_name(999), "unknown")
        self.assertEqual(smtpstatus.stage_from_name("RCPT TO"), 6)
        self.assertEqual(smtpstatus.stage_from_name(b"mail from"), 5)
        self.assertEqual(smtpstatus.stage_from_name("end-of-data"), 8)
        self.assertEqual(smtpstatus.stage_from_name("nonsense"), 0)

    def test_type_errors(self):
        with self.assertRaises(TypeError):
            smtpstatus.find_enhanced(42)
        with self.assertRaises(TypeError):
            smtpstatus.lookup(550)
        with self.assertRaises(ValueError):
            smtpstatus.classify("550 x", stage="bogus-stage")


class TestEnhancedCodes(unittest.TestCase):
    """Parsing, formatting, ordering and finding enhanced status codes."""

    def test_parse_and_str(self):
        code = EnhancedCode.parse("5.1.1")
        self.assertEqual((code.cls, code.subject, code.detail), (5, 1, 1))
        self.assertEqual(str(code), "5.1.1")
        self.assertEqual(repr(code), "EnhancedCode('5.1.1')")
        self.assertEqual(EnhancedCode.parse(b"4.4.316"), EnhancedCode(4, 4, 316))
        self.assertEqual(str(EnhancedCode.parse("X.7.26")), "X.7.26")
        self.assertEqual(EnhancedCode.parse("5.7.26").any_class, EnhancedCode(0, 7, 26))
        self.assertEqual(hash(EnhancedCode(5, 1, 1)), hash(EnhancedCode.parse("5.1.1")))

    def test_parse_errors(self):
        cases = {"5.1": ("SMTPSTATUS_E_SYNTAX", 3), "6.1.1": ("SMTPSTATUS_E_BAD_CODE", 0),
                 "5.01.1": ("SMTPSTATUS_E_BAD_CODE", 2), "5.1000.1": ("SMTPSTATUS_E_BAD_CODE", 5),
                 "5.1.1 trailing": ("SMTPSTATUS_E_SYNTAX", 5)}
        for text, (result, offset) in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(smtpstatus.SmtpStatusError) as ctx:
                    EnhancedCode.parse(text)
                self.assertEqual(ctx.exception.result, result)
                self.assertEqual(ctx.exception.offset, offset)
        with self.assertRaises(ValueError):
            EnhancedCode(6, 1, 1)
        with self.assertRaises(ValueError):
            EnhancedCode(5, 1000, 0)
        with self.assertRaises(ValueError):
            EnhancedCode(300, 1, 1)  # would not fit the C struct's uint8_t

    def test_parse_prefix(self):
        code, end = EnhancedCode.parse_prefix("5.0.0 (permanent failure)")
        self.assertEqual((str(code), end), ("5.0.0", 5))
        self.assertEqual(EnhancedCode.parse("2.1.5 ok", prefix=True), EnhancedCode(2, 1, 5))
        with self.assertRaises(smtpstatus.SmtpStatusError):
            EnhancedCode.parse_prefix("5.1.1x")

    def test_ordering(self):
        a, b, c = EnhancedCode(5, 1, 2), EnhancedCode(5, 1, 10), EnhancedCode(4, 7, 1)
        self.assertLess(a, b)  # numerically, not as text
        self.assertGreater(a, c)
        self.assertLessEqual(a, EnhancedCode(5, 1, 2))
        self.assertEqual(sorted([b, a, c]), [c, a, b])

    def test_find_enhanced(self):
        found = smtpstatus.find_enhanced("Remote host said: Recipient rejected (#5.7.1)")
        self.assertEqual(str(found.code), "5.7.1")
        self.assertEqual((found.start, found.end), (39, 44))
        self.assertEqual(str(smtpstatus.find_enhanced("to=<a@b>, dsn=4.4.1, status=deferred").code),
                         "4.4.1")
        # UTF-8 text: offsets are byte offsets.
        text = "délai dépassé 4.4.7"
        found = smtpstatus.find_enhanced(text)
        self.assertEqual(text.encode()[found.start:found.end], b"4.4.7")
        for text in ("relay 192.0.2.1 said", "Postfix-2.5.1 and v5.2.1", "Yahoo 4.16.55.1", ""):
            with self.subTest(text=text):
                self.assertIsNone(smtpstatus.find_enhanced(text))

    def test_code_methods(self):
        code = EnhancedCode.parse("5.2.2")
        self.assertEqual(code.lookup().title, "Mailbox full")
        self.assertIn("5.2.2", code.explain())


class TestLookups(unittest.TestCase):
    """The registry and the reply-code table."""

    def test_lookup_5726(self):
        info = smtpstatus.lookup("5.7.26")
        self.assertEqual(info.code, EnhancedCode(5, 7, 26))
        self.assertEqual(info.title, "Multiple authentication checks failed")
        self.assertTrue(info.registered)
        self.assertFalse(info.deprecated)
        self.assertEqual(info.class_title, "Permanent Failure")
        self.assertEqual(info.subject_title, "Security or Policy Status")
        self.assertIn("RFC7372", info.reference)
        self.assertEqual(info.basic_codes, (550,))
        self.assertEqual(info.basic_codes_text, "550")
        self.assertEqual(info.party, "sender_setup")
        for text in (info.description, info.practical_meaning, info.causes, info.remedy,
                     info.class_description, info.subject_description):
            self.assertTrue(text)
        self.assertEqual(info.flags, frozenset({"registered", "subject_known"}))

    def test_lookup_forms(self):
        self.assertEqual(smtpstatus.lookup(EnhancedCode(5, 1, 1)), smtpstatus.lookup(b"5.1.1"))
        self.assertEqual(smtpstatus.lookup((5, 1, 1)).title, "Bad destination mailbox address")
        any_class = smtpstatus.lookup("X.7.26")
        self.assertEqual(any_class.code.cls, 0)
        self.assertIsNone(any_class.class_title)

    def test_unregistered_and_deprecated(self):
        info = smtpstatus.lookup("5.7.606")
        self.assertFalse(info.registered)
        self.assertIsNone(info.title)
        self.assertEqual(info.subject_title, "Security or Policy Status")
        dep = smtpstatus.lookup("X.6.10")
        self.assertTrue(dep.deprecated)
        self.assertEqual(dep.replaced_by, "X.6.8")
        self.assertTrue(smtpstatus.lookup("X.0.0").any_reply)

    def test_registry_all_81(self):
        entries = list(smtpstatus.registry())
        self.assertEqual(len(entries), 81)
        self.assertEqual(len({e.code for e in entries}), 81)
        self.assertEqual([e.code for e in entries],
                         sorted(e.code for e in entries), "ordered by subject, then detail")
        for entry in entries:
            with self.subTest(code=str(entry.code)):
                self.assertEqual(entry.code.cls, 0)
                self.assertTrue(str(entry.code).startswith("X."))
                self.assertTrue(entry.registered)
                self.assertTrue(entry.subject_known)
                self.assertTrue(entry.reference)
                self.assertTrue(entry.title or entry.description)
                self.assertTrue(entry.practical_meaning and entry.remedy)
                self.assertIn(entry.party, ("unknown", "recipient", "recipient_system",
                                            "network", "sender_setup", "sender_reputation",
                                            "content"))
                self.assertEqual(len(entry.basic_codes), len(set(entry.basic_codes)))
                self.assertEqual(smtpstatus.lookup(entry.code), entry)
                self.assertTrue(entry.code.explain())
                for cls in (2, 4, 5):  # every class form looks up too
                    self.assertEqual(
                        smtpstatus.lookup((cls, entry.code.subject, entry.code.detail)).title,
                        entry.title)
        self.assertEqual(sum(e.deprecated for e in entries), 1)

    def test_lookup_reply_code(self):
        info = smtpstatus.lookup_reply_code(550)
        self.assertEqual((info.code, info.class_digit, info.category_digit), (550, 5, 5))
        self.assertEqual(info.kind, "standard")
        self.assertEqual(info.context, "general")
        self.assertEqual(info.class_name, "permanent negative completion")
        self.assertEqual(info.category_name, "mail system")
        self.assertIn("RFC 5321", info.reference)
        self.assertTrue(info.meaning and info.recommended_text)
        self.assertEqual(smtpstatus.lookup_reply_code(571).kind, "nonstandard")
        self.assertEqual(smtpstatus.lookup_reply_code(299).kind, "unknown")
        with self.assertRaises(smtpstatus.SmtpStatusError) as ctx:
            smtpstatus.lookup_reply_code(600)
        self.assertEqual(ctx.exception.result, "SMTPSTATUS_E_BAD_CODE")

    def test_reply_code_table(self):
        rows = list(smtpstatus.reply_codes())
        self.assertGreater(len(rows), 40)
        self.assertEqual([r.code for r in rows], sorted(r.code for r in rows))
        self.assertIn(421, {r.code for r in rows})
        self.assertTrue(all(100 <= r.code <= 599 and r.meaning for r in rows))


class TestReplies(unittest.TestCase):
    """parse_reply in its three modes, with errors and offsets."""

    def test_single_line(self):
        reply = smtpstatus.parse_reply(b"550 5.1.1 <bob@example.com>: user unknown\r\n")
        self.assertEqual(reply.code, 550)
        self.assertEqual(reply.enhanced, EnhancedCode(5, 1, 1))
        self.assertEqual(reply.enhanced_span, (4, 9))
        self.assertEqual(reply.text, "<bob@example.com>: user unknown")
        self.assertEqual(reply.lines, ["<bob@example.com>: user unknown"])
        self.assertEqual(reply.line_count, 1)
        self.assertEqual(reply.anomalies, frozenset())
        self.assertEqual(reply.consumed, 43)
        self.assertEqual(reply.stage, "unknown")
        self.assertEqual(reply.reply_text, "550 5.1.1 <bob@example.com>: user unknown")

    def test_multi_line(self):
        reply = smtpstatus.parse_reply(GMAIL_5726)
        self.assertEqual(reply.code, 550)
        self.assertEqual(str(reply.enhanced), "5.7.26")
        self.assertEqual(len(reply.lines), 3)
        self.assertEqual(reply.lines[2], "authenticate with at least one of SPF or DKIM. - gsmtp")
        self.assertEqual(reply.consumed, len(GMAIL_5726))
        self.assertIn("5.7.26", reply.explain())

    def test_anomalies(self):
        reply = smtpstatus.parse_reply("250-a\r\n251 b\r\n")
        self.assertEqual(reply.anomalies, {"code_mismatch", "no_enhanced"})
        reply = smtpstatus.parse_reply("550 5.1.1 x\n")
        self.assertIn("bare_lf", reply.anomalies)
        reply = smtpstatus.parse_reply(b"250 caf\xc3\xa9 \xff\r\n")
        self.assertIn("8bit", reply.anomalies)
        self.assertEqual(reply.text, "caf\u00e9 \ufffd")  # undecodable byte replaced
        reply = smtpstatus.parse_reply("550 Service unavailable (#5.7.1)\r\n")
        self.assertIn("enhanced_in_text", reply.anomalies)

    def test_pipelined(self):
        data = b"250 2.1.0 OK\r\n550 5.1.1 nope\r\n"
        first = smtpstatus.parse_reply(data)
        self.assertEqual((first.code, first.consumed), (250, 14))
        second = smtpstatus.parse_reply(data[first.consumed:])
        self.assertEqual((second.code, str(second.enhanced)), (550, "5.1.1"))

    def test_incomplete(self):
        for data in ("250-mx.example.com\r\n", "250-mx.example.com\r\n250-PIPELINING", "250 OK",
                     ""):
            with self.subTest(data=data):
                with self.assertRaises(smtpstatus.Incomplete) as ctx:
                    smtpstatus.parse_reply(data)
                self.assertEqual(ctx.exception.result, "SMTPSTATUS_INCOMPLETE")
        self.assertEqual(smtpstatus.parse_reply("250 OK", at_eof=True).text, "OK")
        with self.assertRaises(smtpstatus.SmtpStatusError) as ctx:
            smtpstatus.parse_reply("250-mx\r\n", at_eof=True)
        self.assertNotIsInstance(ctx.exception, smtpstatus.Incomplete)
        self.assertEqual(ctx.exception.result, "SMTPSTATUS_E_TRUNCATED")

    def test_bad_input(self):
        cases = [("25x OK\r\n", {}, "SMTPSTATUS_E_SYNTAX", 2),
                 ("650 no\r\n", {}, "SMTPSTATUS_E_BAD_CODE", 0),
                 ("550 5.1.1 x\n", {"strict_crlf": True}, "SMTPSTATUS_E_SYNTAX", 11),
                 ("no reply here", {"lenient": True}, "SMTPSTATUS_E_NOT_FOUND", 13)]
        for data, kwargs, result, offset in cases:
            with self.subTest(data=data):
                with self.assertRaises(smtpstatus.SmtpStatusError) as ctx:
                    smtpstatus.parse_reply(data, **kwargs)
                self.assertEqual(ctx.exception.result, result)
                self.assertEqual(ctx.exception.offset, offset)
        with self.assertRaises(smtpstatus.SmtpStatusError) as ctx:
            smtpstatus.parse_reply("220 x\r\n", lenient=True, strict_crlf=True)
        self.assertEqual(ctx.exception.result, "SMTPSTATUS_E_INVALID_ARG")
        with self.assertRaises(smtpstatus.SmtpStatusError) as ctx:
            smtpstatus.parse_reply(b"250 " + b"x" * 9000 + b"\r\n")
        self.assertEqual(ctx.exception.result, "SMTPSTATUS_E_TOO_LONG")

    def test_lenient_log_lines(self):
        reply = smtpstatus.parse_reply(POSTFIX_LOG, lenient=True)
        self.assertEqual((reply.code, str(reply.enhanced), reply.stage), (550, "5.1.1", "rcpt"))
        self.assertEqual(reply.text, "<bob@example.org>: Recipient address rejected: User unknown")
        start, end = reply.span
        self.assertTrue(POSTFIX_LOG.encode()[start:end].startswith(b"550 5.1.1"))
        reply = smtpstatus.parse_reply(EXIM_LOG, lenient=True)
        self.assertEqual((reply.code, reply.stage), (550, "rcpt"))
        reply = smtpstatus.parse_reply(
            "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'",
            lenient=True)
        self.assertEqual(reply.lines, ["RESOLVER.ADR.RecipNotFound; not found"])
        folded = ("smtp; 550-5.7.26 This mail is unauthenticated\n 550-5.7.26 sender blocked\n"
                  " 550 5.7.26 SPF or DKIM. - gsmtp")
        reply = smtpstatus.parse_reply(folded, lenient=True)
        self.assertEqual(len(reply.lines), 3)
        self.assertEqual(reply.classify().provider, "gmail")

    def test_reply_classify(self):
        reply = smtpstatus.parse_reply("452 4.5.3 Too many recipients\r\n")
        verdict = reply.classify(stage="rcpt")
        self.assertEqual(verdict.reason, "too_many_recipients")
        self.assertEqual(verdict.stage, "rcpt")
        self.assertEqual(verdict.action, "split_recipients")


class TestClassify(unittest.TestCase):
    """Verdicts, evidence, explanations and retry advice."""

    def test_hard_bounce(self):
        v = smtpstatus.classify("550 5.1.1 <bob@example.com>: Recipient address rejected: "
                                "User unknown in virtual mailbox table", stage="rcpt")
        self.assertEqual((v.outcome, v.bounce, v.reason),
                         ("permanent", "hard", "recipient_unknown"))
        self.assertEqual((v.party, v.action), ("recipient", "suppress_recipient"))
        self.assertEqual((v.reply_code, v.enhanced, v.stage), (550, EnhancedCode(5, 1, 1), "rcpt"))
        self.assertEqual(v.retry_after, 0)
        self.assertEqual(v.sisimai_reason, "userunknown")
        self.assertEqual(v.powermta_category, "bad-mailbox")
        self.assertEqual(v.sparkpost_class, 10)
        self.assertTrue(1 <= len(v.evidence) <= 4)
        self.assertEqual(v.confidence, v.evidence[0].confidence)
        self.assertEqual(v.rule, v.evidence[0].rule)
        for e in v.evidence:
            self.assertTrue(e.rule and e.source)
            self.assertIn(e.kind, ("enhanced_code", "reply_code", "text", "provider", "class", "stage"))
        phrase = [e for e in v.evidence if e.kind == "text"][0]
        self.assertEqual(phrase.text.lower(), "user unknown")
        self.assertEqual(phrase.reason, "recipient_unknown")
        explained = v.explain()
        self.assertIn("hard bounce", explained)
        self.assertIn("5.1.1", explained)

    def test_greylisting(self):
        v = smtpstatus.classify(GREYLIST)
        self.assertEqual((v.outcome, v.bounce, v.reason), ("transient", "soft", "greylisted"))
        self.assertEqual(v.action, "retry_later")
        self.assertEqual(v.retry_after, 300)
        self.assertIn("delay_from_text", v.flags)
        self.assertEqual(v.evidence[0].text, "Greylist")
        advice = v.retry_advice(0, 1)
        self.assertEqual((advice.decision, advice.delay), ("retry_at", 300))
        self.assertEqual(advice.give_up_after, 5 * 86400)
        self.assertEqual(smtpstatus.retry_advice(v, datetime.timedelta(days=6), 9).decision,
                         "give_up")

    def test_gmail_5726(self):
        v = smtpstatus.classify(GMAIL_5726)
        self.assertEqual((v.reason, v.provider), ("auth_failure", "gmail"))
        self.assertEqual((v.outcome, v.bounce, v.action), ("permanent", "soft", "fix_sender_setup"))
        self.assertEqual(v.party, "sender_setup")
        self.assertEqual(str(v.enhanced), "5.7.26")
        # The same facts held apart, with the provider named by its MX.
        v2 = smtpstatus.classify("This mail is unauthenticated", reply_code=550, status="5.7.26",
                                 host="gmail-smtp-in.l.google.com")
        self.assertEqual((v2.reason, v2.provider, v2.reply_code), ("auth_failure", "gmail", 550))

    def test_godaddy_rate_limit(self):
        v = smtpstatus.classify(GODADDY)
        self.assertEqual(v.reason, "rate_limited")
        self.assertEqual((v.outcome, v.bounce), ("permanent", "soft"))
        self.assertEqual(v.action, "slow_down")
        self.assertEqual(v.evidence[0].text, "too many recipients this hour")
        self.assertIn("recipient_unknown", [e.reason for e in v.evidence[1:]])
        self.assertEqual(v.retry_advice(0, 1).decision, "retry_at")

    def test_host_hint(self):
        text = "421 4.7.0 Try again later, closing connection."
        self.assertIsNone(smtpstatus.classify(text).provider)
        v = smtpstatus.classify(text, host=b"gmail-smtp-in.l.google.com")
        self.assertEqual((v.provider, v.reason), ("gmail", "rate_limited"))

    def test_facts_without_text(self):
        v = smtpstatus.classify(None, reply_code=552, status=EnhancedCode(5, 2, 2))
        self.assertEqual(v.reason, "mailbox_full")
        v = smtpstatus.classify("", status="4.4.1", infer=False)
        self.assertEqual((v.outcome, v.reply_code), ("transient", None))
        v = smtpstatus.classify("dsn=5.1.1, status=bounced", infer=False, reply_code=0)
        self.assertIsNone(v.enhanced)  # not read from the text with infer=False
        with self.assertRaises(smtpstatus.SmtpStatusError) as ctx:
            smtpstatus.classify("x", reply_code=700)
        self.assertEqual(ctx.exception.result, "SMTPSTATUS_E_BAD_CODE")

    def test_log_line_and_stage(self):
        v = smtpstatus.classify(POSTFIX_LOG)
        self.assertEqual((v.reason, v.stage, v.bounce), ("recipient_unknown", "rcpt", "hard"))
        v = smtpstatus.classify("552 5.5.3 Too many recipients", stage="RCPT TO")
        self.assertEqual((v.reason, v.outcome), ("too_many_recipients", "transient"))
        self.assertIn("552_as_452", v.flags)
        v = smtpstatus.classify("250 2.0.0 Ok: queued as 4A1B2C3D4E", stage=8)
        self.assertEqual((v.outcome, v.reason, v.bounce), ("success", "delivered", "none"))
        self.assertEqual(v.retry_advice().decision, "none")

    def test_retry_advice(self):
        hard = smtpstatus.classify("550 5.1.1 user unknown")
        self.assertEqual(smtpstatus.retry_advice(hard, 0, 1).decision, "give_up")
        full = smtpstatus.classify("452 4.2.2 Mailbox full")
        advice = smtpstatus.retry_advice(full, 3600.5, 2)
        self.assertEqual(advice.decision, "retry_at")
        self.assertGreaterEqual(advice.delay, 3600)
        self.assertEqual(advice.give_up_after, 3 * 86400)
        with self.assertRaises(ValueError):
            smtpstatus.retry_advice(full, -1, 1)
        with self.assertRaises(TypeError):
            smtpstatus.retry_advice("452 4.2.2", 0, 1)

    def test_explain(self):
        self.assertIn("Multiple authentication checks failed", smtpstatus.explain("5.7.26"))
        self.assertIn("any class", smtpstatus.explain("X.7.26"))
        self.assertIn("provider-specific", smtpstatus.explain(EnhancedCode(5, 7, 606)))
        self.assertIn("mailbox unavailable", smtpstatus.explain(550))
        self.assertEqual(smtpstatus.explain("550"), smtpstatus.explain(550))
        reply = smtpstatus.parse_reply(GMAIL_5726)
        self.assertEqual(smtpstatus.explain(reply), reply.explain())
        self.assertIn("It answered RCPT TO", smtpstatus.explain(POSTFIX_LOG))
        verdict = smtpstatus.classify(GREYLIST)
        self.assertEqual(smtpstatus.explain(verdict), verdict.explain())
        long_text = verdict.explain()
        self.assertGreater(len(long_text), 200)  # more than any first guess at a buffer
        self.assertNotIn("\0", long_text)
        with self.assertRaises(smtpstatus.SmtpStatusError):
            smtpstatus.explain("no code at all")
        with self.assertRaises(smtpstatus.SmtpStatusError):
            smtpstatus.explain(700)

    def test_reasons(self):
        infos = smtpstatus.reasons()
        self.assertEqual(len(infos), 35)
        self.assertEqual([i.value for i in infos], list(range(35)))
        self.assertEqual(infos[34].name, "unsubscribe_request")
        self.assertEqual(infos[0].name, "unknown")
        for info in infos:
            self.assertEqual(smtpstatus.reason_info(info.name), info)
        full = smtpstatus.reason_info("mailbox_full")
        self.assertEqual((full.party, full.address_dead), ("recipient", False))
        self.assertEqual(full.transient_action, "retry_later")
        self.assertEqual(full.default_delay, 21600)
        self.assertEqual((full.sisimai_reason, full.powermta_category), ("mailboxfull",
                                                                          "quota-issues"))
        self.assertTrue(full.title and full.meaning and full.causes and full.remedy)
        self.assertTrue(smtpstatus.reason_info(b"recipient_unknown").address_dead)
        for bad in ("no_such_reason", 99):
            with self.assertRaises(smtpstatus.SmtpStatusError) as ctx:
                smtpstatus.reason_info(bad)
            self.assertEqual(ctx.exception.result, "SMTPSTATUS_E_NOT_FOUND")

    def test_threads(self):
        texts = [GODADDY, GREYLIST, GMAIL_5726, POSTFIX_LOG] * 50
        expected = [smtpstatus.classify(t).reason for t in texts]

        def work(text):
            v = smtpstatus.classify(text)
            v.explain()
            return v.reason

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            self.assertEqual(list(pool.map(work, texts)), expected)


@unittest.skipUnless(HAS_DSN, "libsmtpstatus built without DSN support")
class TestDsn(unittest.TestCase):
    """parse_dsn on synthetic and shipped bounce messages."""

    def test_two_recipients(self):
        report = smtpstatus.parse_dsn(TWO_RECIPIENTS)
        self.assertEqual((report.kind, report.decoder), ("bounce", "rfc3464"))
        self.assertEqual(report.reporting_mta, "mx.example.com")
        self.assertEqual(report.received_from_mta, "client.example.com")
        self.assertEqual(report.original_envelope_id, "ENV-0042")
        self.assertEqual(report.arrival_date, "Mon, 23 Nov 2026 09:00:00 +0000")
        self.assertEqual(report.subject, "Delivery Status Notification")
        self.assertIn("MAILER-DAEMON@mx.example.com", report.from_)
        self.assertEqual(report.original_message_id, "<original-0042@example.com>")
        self.assertEqual(report.original_subject, "The original subject")
        self.assertIn("sender@example.com", report.original_from)
        self.assertIsNone(report.feedback_type)
        self.assertEqual(len(report.recipients), 2)

        alice, bob = report.recipients
        self.assertEqual(alice.recipient, "alice@example.org")
        self.assertEqual(alice.recipient_type, "rfc822")
        self.assertEqual(alice.original_recipient, "Alice.Alias@example.org")
        self.assertEqual((alice.action, alice.decoder), ("failed", "rfc3464"))
        self.assertEqual((alice.status, alice.reply_code), (EnhancedCode(5, 1, 1), 550))
        self.assertEqual(alice.remote_mta, "mx.example.org")
        self.assertEqual(alice.diagnostic_type, "smtp")
        self.assertTrue(alice.diagnostic.startswith("550 5.1.1 <alice@example.org>"))
        self.assertEqual(alice.final_log_id, "7C1F2A3B4D")
        self.assertEqual(alice.last_attempt_date, "Mon, 23 Nov 2026 09:00:01 +0000")
        self.assertIsNone(alice.will_retry_until)
        self.assertEqual(alice.fields["X-Test-Extension"], "kept as is")
        self.assertEqual(alice.field("x-test-extension"), "kept as is")
        self.assertEqual(alice.field("final-log-id"), "7C1F2A3B4D")
        self.assertIsNone(alice.field("X-Absent"))
        self.assertEqual(alice.flags, frozenset())
        v = alice.verdict
        self.assertEqual((v.reason, v.bounce, v.action), ("recipient_unknown", "hard",
                                                          "suppress_recipient"))
        for e in v.evidence:  # offsets are into the diagnostic text
            self.assertEqual(alice.diagnostic.encode()[e.span[0]:e.span[1]].decode(), e.text)
        self.assertIn("hard bounce", v.explain())

        self.assertEqual(bob.recipient, "bob@example.net")
        self.assertIsNone(bob.original_recipient)
        self.assertEqual((bob.action, bob.status, bob.reply_code),
                         ("delayed", EnhancedCode(4, 2, 2), 452))
        self.assertEqual(bob.will_retry_until, "Fri, 27 Nov 2026 09:00:00 +0000")
        self.assertEqual((bob.verdict.reason, bob.verdict.outcome), ("mailbox_full", "transient"))
        self.assertEqual(bob.verdict.retry_advice(3600, 2).decision, "retry_at")

    def test_str_input(self):
        report = smtpstatus.parse_dsn(TWO_RECIPIENTS.decode())
        self.assertEqual([r.recipient for r in report.recipients],
                         ["alice@example.org", "bob@example.net"])

    def test_samples(self):
        expected = {
            "postfix-dsn.eml": ("bounce", [("bob@example.org", "5.1.1", 550, "recipient_unknown",
                                            "hard"),
                                           ("carol@example.net", "4.2.2", 452, "mailbox_full",
                                            "soft")]),
            "gmail-auth.eml": ("bounce", [("erin@example.net", "5.7.26", 550, "auth_failure",
                                           "soft")]),
            "qmail-text.eml": ("bounce", [("dave@example.org", "5.7.1", 550, "blocklisted",
                                           "soft")]),
            "feedback-arf.eml": ("feedback", [("frank@example.net", None, None, "complaint",
                                               "none")]),
        }
        paths = sorted(glob.glob(os.path.join(SAMPLES, "*.eml")))
        self.assertTrue(paths, f"no samples in {SAMPLES}")
        for path in paths:
            name = os.path.basename(path)
            with self.subTest(sample=name):
                with open(path, "rb") as f:
                    report = smtpstatus.parse_dsn(f.read())
                self.assertNotEqual(report.kind, "ordinary")
                self.assertTrue(report.recipients)
                for r in report.recipients:
                    self.assertIn("@", r.recipient)
                    self.assertNotEqual(r.decoder, "none")
                    self.assertTrue(r.verdict.reason)
                if name in expected:
                    kind, rows = expected[name]
                    self.assertEqual(report.kind, kind)
                    got = [(r.recipient, str(r.status) if r.status else None, r.reply_code,
                            r.verdict.reason, r.verdict.bounce) for r in report.recipients]
                    self.assertEqual(got, rows)

    def test_sample_details(self):
        with open(os.path.join(SAMPLES, "feedback-arf.eml"), "rb") as f:
            arf = smtpstatus.parse_dsn(f.read())
        self.assertEqual((arf.decoder, arf.feedback_type), ("arf", "abuse"))
        self.assertEqual(arf.original_message_id, "<offers-2026-11@example.com>")
        self.assertEqual(arf.recipients[0].verdict.action, "suppress_recipient")
        with open(os.path.join(SAMPLES, "gmail-auth.eml"), "rb") as f:
            gmail = smtpstatus.parse_dsn(f.read())
        erin = gmail.recipients[0]
        self.assertEqual(gmail.reporting_mta, "googlemail.com")
        self.assertEqual(erin.verdict.provider, "gmail")
        self.assertIn("gsmtp", erin.diagnostic)
        self.assertTrue(erin.remote_mta.startswith("gmail-smtp-in.l.google.com"))

    def test_ordinary_message(self):
        report = smtpstatus.parse_dsn(ORDINARY)
        self.assertEqual((report.kind, report.decoder, report.recipients),
                         ("ordinary", "none", []))
        self.assertEqual(report.subject, "Lunch tomorrow?")
        self.assertEqual(smtpstatus.parse_dsn(b"").kind, "ordinary")

    def test_recipient_array_grows(self):
        message = many_recipients(150)
        for initial in (0, 1, 16, 150, 1000):
            with self.subTest(initial_recipients=initial):
                report = smtpstatus.parse_dsn(message, initial_recipients=initial)
                self.assertEqual(len(report.recipients), 150)
                # Every element read at the right stride, in order.
                self.assertEqual([r.recipient for r in report.recipients],
                                 [f"user{i}@example.org" for i in range(150)])
                self.assertTrue(all(r.verdict.reason == "recipient_unknown"
                                    for r in report.recipients))
                self.assertEqual(report.recipients[149].diagnostic,
                                 "550 5.1.1 <user149@example.org>: User unknown")

    def test_scratch_grows(self):
        message = base64_report()
        results = []
        for initial in (0, 8, 65536):
            with self.subTest(initial_scratch=initial):
                report = smtpstatus.parse_dsn(message, initial_scratch=initial)
                self.assertGreater(report.scratch_used, 0)
                self.assertEqual(len(report.recipients), 1)
                r = report.recipients[0]
                self.assertEqual((r.recipient, str(r.status)), ("zed@example.org", "5.1.1"))
                self.assertEqual(r.diagnostic, "550 5.1.1 user unknown")
                self.assertEqual(r.verdict.evidence[0].text, "user unknown")
                results.append(report)
        self.assertEqual(results[0], results[2])

    def test_decoding_errors(self):
        message = TWO_RECIPIENTS.replace(b"The original subject", b"Caf\xe9 menu")
        report = smtpstatus.parse_dsn(message)
        self.assertEqual(report.original_subject, "Caf\ufffd menu")
        report = smtpstatus.parse_dsn(message, errors="surrogateescape")
        self.assertEqual(report.original_subject.encode("utf-8", "surrogateescape"),
                         b"Caf\xe9 menu")


@unittest.skipIf(HAS_DSN, "libsmtpstatus built with DSN support")
class TestDsnUnsupported(unittest.TestCase):
    """A -Ddsn=disabled library: parse_dsn says so clearly."""

    def test_unsupported(self):
        with self.assertRaises(smtpstatus.Unsupported) as ctx:
            smtpstatus.parse_dsn(TWO_RECIPIENTS)
        self.assertEqual(ctx.exception.result, "SMTPSTATUS_E_UNSUPPORTED")
        self.assertIn("without DSN support", str(ctx.exception))
        self.assertFalse(smtpstatus.has_dsn())


if __name__ == "__main__":
    unittest.main(verbosity=2)
