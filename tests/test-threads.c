/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * docs/thread-safety.md: every function is reentrant and may run in any
 * number of threads at once, on the same or different inputs. Here many
 * threads parse, classify, explain and retry-advise a shared read-only set
 * of inputs (wire replies, log lines, bounce messages, inputs at the
 * limits) for thousands of iterations each, every thread with its own
 * output structs and buffers. Each result is written out as a transcript
 * that names every field (reply code, enhanced code, anomalies, reason,
 * bounce, action, evidence rule ids and spans, explanation texts, retry
 * advice, DSN recipients and their fields) and compared byte for byte with
 * the transcript computed once, single-threaded, before the threads
 * start. Any difference fails the test.
 *
 * Under ThreadSanitizer (-Db_sanitize=thread) a write to shared state in
 * the library is reported as a data race even when it happens to give the
 * right answer; in a normal build the comparison catches hidden state that
 * changes results. SMTPSTATUS_THREADS and SMTPSTATUS_THREAD_ITERATIONS
 * override the defaults (8 threads, 3000 iterations each);
 * SMTPSTATUS_THREADS_DUMP=1 prints the reference transcripts.
 */

#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

#define DEFAULT_THREADS 8
#define DEFAULT_ITERATIONS 3000
#define MAX_THREADS 64
#define MAX_RCPTS 8
#define TRANSCRIPT_MAX (256 * 1024)
#define TEXT_MAX 8192

enum input_kind {
    WIRE,    /* a reply as read from the socket */
    LOGLINE, /* free text quoting a reply: log lines, Diagnostic-Code values */
    MESSAGE, /* a whole message for smtpstatus_parse_dsn() */
};

struct input {
    const char *name;
    enum input_kind kind;
    int stage;           /* given to the classifier */
    const char *host;    /* for smtpstatus_classify(), or NULL */
    const char *text;    /* NUL-terminated unless len is set; the
                          * threads read an exactly sized copy */
    size_t len;          /* 0: strlen(text) */
    size_t rcpt_cap;     /* MESSAGE: array length, 0 for MAX_RCPTS */
    size_t scratch_cap;  /* MESSAGE: scratch size, 0 for len */
};

/* ---- Bounce messages, built here (nothing is read from disk) ---- */

static const char postfix_report[] =
    "Return-Path: <>\r\n"
    "Date: Mon, 23 Nov 2026 10:00:05 +0000 (UTC)\r\n"
    "From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "To: newsletter@example.com\r\n"
    "Auto-Submitted: auto-replied\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
    "\tboundary=\"4A1B2C3D4E.1763892005/mail.example.com\"\r\n"
    "Message-Id: <20261123100005.4A1B2C3D4E@mail.example.com>\r\n"
    "\r\n"
    "This is a MIME-encapsulated message.\r\n"
    "\r\n"
    "--4A1B2C3D4E.1763892005/mail.example.com\r\n"
    "Content-Description: Notification\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "This is the mail system at host mail.example.com.\r\n"
    "\r\n"
    "<bob@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.1\r\n"
    "    <bob@example.org>: Recipient address rejected: User unknown in virtual\r\n"
    "    mailbox table (in reply to RCPT TO command)\r\n"
    "\r\n"
    "<carol@example.net>: host mx.example.net[198.51.100.7] said: 452 4.2.2\r\n"
    "    Mailbox full (in reply to RCPT TO command)\r\n"
    "\r\n"
    "--4A1B2C3D4E.1763892005/mail.example.com\r\n"
    "Content-Description: Delivery report\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; mail.example.com\r\n"
    "X-Postfix-Queue-ID: 4A1B2C3D4E\r\n"
    "Arrival-Date: Sun, 18 Nov 2026 09:59:58 +0000 (UTC)\r\n"
    "\r\n"
    "Final-Recipient: rfc822; bob@example.org\r\n"
    "Original-Recipient: rfc822;bob@example.org\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Remote-MTA: dns; mx.example.org\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected:\r\n"
    "    User unknown in virtual mailbox table\r\n"
    "\r\n"
    "Final-Recipient: rfc822; carol@example.net\r\n"
    "Original-Recipient: rfc822;carol@example.net\r\n"
    "Action: failed\r\n"
    "Status: 4.2.2\r\n"
    "Remote-MTA: dns; mx.example.net\r\n"
    "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\r\n"
    "\r\n"
    "--4A1B2C3D4E.1763892005/mail.example.com\r\n"
    "Content-Description: Undelivered Message Headers\r\n"
    "Content-Type: text/rfc822-headers\r\n"
    "\r\n"
    "From: Example News <newsletter@example.com>\r\n"
    "To: bob@example.org, carol@example.net\r\n"
    "Subject: November offers\r\n"
    "Message-ID: <offers-2026-11@example.com>\r\n"
    "\r\n"
    "--4A1B2C3D4E.1763892005/mail.example.com--\r\n";

/* A report nested in a multipart/mixed, its text quoted-printable and its
 * delivery-status part base64 (decoded into the caller's scratch): three
 * recipients, one a multi-line Gmail reply, one delayed with an X- field. */
static const char nested_base64_report[] =
    "From: Mail Delivery Subsystem <mailer-daemon@relay.example.com>\r\n"
    "To: newsletter@example.com\r\n"
    "Subject: =?UTF-8?Q?Delivery_Status_Notification_=28Failure=29?=\r\n"
    "Message-ID: <dsn-7f3a@relay.example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"inner\"\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Your message could not be delivered to some recipients =E2=80=94 details=\r\n"
    " below.\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: message/delivery-status\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "UmVwb3J0aW5nLU1UQTogZG5zOyByZWxheS5leGFtcGxlLmNvbQ0KQXJyaXZhbC1EYXRlOiBNb24s\r\n"
    "IDIzIE5vdiAyMDI2IDAzOjIwOjAxIC0wODAwDQoNCkZpbmFsLVJlY2lwaWVudDogcmZjODIyOyBl\r\n"
    "cmluQGV4YW1wbGUubmV0DQpBY3Rpb246IGZhaWxlZA0KU3RhdHVzOiA1LjcuMjYNClJlbW90ZS1N\r\n"
    "VEE6IGRuczsgZ21haWwtc210cC1pbi5sLmdvb2dsZS5jb20NCkRpYWdub3N0aWMtQ29kZTogc210\r\n"
    "cDsgNTUwLTUuNy4yNiBUaGlzIG1haWwgaXMgdW5hdXRoZW50aWNhdGVkLCB3aGljaCBwb3NlcyBh\r\n"
    "IHNlY3VyaXR5IHJpc2sgdG8gdGhlDQogNTUwLTUuNy4yNiBzZW5kZXIgYW5kIEdtYWlsIHVzZXJz\r\n"
    "LCBhbmQgaGFzIGJlZW4gYmxvY2tlZC4gVGhlIHNlbmRlciBtdXN0DQogNTUwIDUuNy4yNiBhdXRo\r\n"
    "ZW50aWNhdGUgd2l0aCBhdCBsZWFzdCBvbmUgb2YgU1BGIG9yIERLSU0uIC0gZ3NtdHANCkxhc3Qt\r\n"
    "QXR0ZW1wdC1EYXRlOiBNb24sIDIzIE5vdiAyMDI2IDAzOjIwOjAyIC0wODAwDQoNCkZpbmFsLVJl\r\n"
    "Y2lwaWVudDogcmZjODIyOyA8ZnJhbmtAZXhhbXBsZS5vcmc+DQpPcmlnaW5hbC1SZWNpcGllbnQ6\r\n"
    "IHJmYzgyMjsgZnJhbmtAZXhhbXBsZS5vcmcNCkFjdGlvbjogZGVsYXllZA0KU3RhdHVzOiA0LjQu\r\n"
    "MQ0KRGlhZ25vc3RpYy1Db2RlOiBYLVBvc3RmaXg7IGNvbm5lY3QgdG8gbXguZXhhbXBsZS5vcmdb\r\n"
    "MTkyLjAuMi4yNV06MjU6IENvbm5lY3Rpb24gdGltZWQgb3V0DQpXaWxsLVJldHJ5LVVudGlsOiBG\r\n"
    "cmksIDI3IE5vdiAyMDI2IDAzOjIwOjAxIC0wODAwDQpYLVJlbGF5LVF1ZXVlOiA3RjNBDQoNCkZp\r\n"
    "bmFsLVJlY2lwaWVudDogcmZjODIyOyBnaW5hQGV4YW1wbGUuY29tDQpBY3Rpb246IGZhaWxlZA0K\r\n"
    "U3RhdHVzOiA1LjIuMg0KUmVtb3RlLU1UQTogZG5zOyBteC5leGFtcGxlLmNvbQ0KRGlhZ25vc3Rp\r\n"
    "Yy1Db2RlOiBzbXRwOyA1NTIgNS4yLjIgPGdpbmFAZXhhbXBsZS5jb20+OiBNYWlsYm94IGZ1bGws\r\n"
    "IHF1b3RhIGV4Y2VlZGVkDQo=\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: Example News <newsletter@example.com>\r\n"
    "To: erin@example.net, frank@example.org, gina@example.com\r\n"
    "Subject: November offers\r\n"
    "Message-ID: <offers-2026-11b@example.com>\r\n"
    "\r\n"
    "Hello.\r\n"
    "--inner--\r\n"
    "\r\n"
    "--outer--\r\n";

/* Text only, LF line endings: read by the qmail decoder. */
static const char qmail_text[] =
    "Return-Path: <>\n"
    "Date: 23 Nov 2026 11:00:00 -0000\n"
    "From: MAILER-DAEMON@relay.example.com\n"
    "To: newsletter@example.com\n"
    "Subject: failure notice\n"
    "\n"
    "Hi. This is the qmail-send program at relay.example.com.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "<dave@example.org>:\n"
    "192.0.2.44 does not like recipient.\n"
    "Remote host said: 550 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using "
    "zen.spamhaus.org\n"
    "Giving up on 192.0.2.44.\n"
    "\n"
    "--- Below this line is a copy of the message.\n"
    "\n"
    "Return-Path: <newsletter@example.com>\n"
    "From: Example News <newsletter@example.com>\n"
    "To: dave@example.org\n"
    "Subject: November offers\n"
    "\n"
    "Hello Dave.\n";

static const char exim_text[] =
    "From: Mail Delivery System <Mailer-Daemon@mx.example.com>\n"
    "To: newsletter@example.com\n"
    "Subject: Mail delivery failed: returning message to sender\n"
    "Auto-Submitted: auto-replied\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n"
    "\n"
    "  kate@example.org\n"
    "    host mx.example.org [192.0.2.25]\n"
    "    SMTP error from remote mail server after RCPT TO:<kate@example.org>:\n"
    "    550 5.2.1 The email account that you tried to reach is disabled.\n"
    "\n"
    "------ This is a copy of the message, including all the headers. ------\n"
    "\n"
    "From: newsletter@example.com\n"
    "To: kate@example.org\n"
    "Subject: November offers\n";

static const char arf_report[] =
    "From: <abuse@mailbox.example.net>\r\n"
    "To: <fbl@example.com>\r\n"
    "Subject: FW: November offers\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=feedback-report;\r\n"
    "    boundary=\"part1_13d.2e68ed54_boundary\"\r\n"
    "\r\n"
    "--part1_13d.2e68ed54_boundary\r\n"
    "Content-Type: text/plain; charset=\"US-ASCII\"\r\n"
    "\r\n"
    "This is an email abuse report for an email message received from IP\r\n"
    "192.0.2.1 on Thu, 8 Mar 2026 14:00:00 EDT.\r\n"
    "\r\n"
    "--part1_13d.2e68ed54_boundary\r\n"
    "Content-Type: message/feedback-report\r\n"
    "\r\n"
    "Feedback-Type: abuse\r\n"
    "User-Agent: SomeGenerator/1.0\r\n"
    "Version: 1\r\n"
    "Original-Mail-From: <newsletter@example.com>\r\n"
    "Original-Rcpt-To: <user@mailbox.example.net>\r\n"
    "Source-IP: 192.0.2.1\r\n"
    "\r\n"
    "--part1_13d.2e68ed54_boundary\r\n"
    "Content-Type: text/rfc822-headers\r\n"
    "\r\n"
    "From: <newsletter@example.com>\r\n"
    "To: <user@mailbox.example.net>\r\n"
    "Subject: November offers\r\n"
    "Message-ID: <offers-2026-11c@example.com>\r\n"
    "\r\n"
    "--part1_13d.2e68ed54_boundary--\r\n";

static const char auto_reply[] =
    "From: Ivy <ivy@example.net>\r\n"
    "To: newsletter@example.com\r\n"
    "Subject: Out of office: November offers\r\n"
    "Auto-Submitted: auto-replied\r\n"
    "\r\n"
    "I am away until December and will not read my mail.\r\n";

static const char ordinary[] =
    "From: Alice <alice@example.com>\r\n"
    "To: Bob <bob@example.org>\r\n"
    "Subject: lunch\r\n"
    "\r\n"
    "550 reasons to have lunch at noon; see 5.1.1 in the notes.\r\n";

/* ---- Replies and log lines (from the labelled vectors, the sample log
 * and examples/replies.txt) ---- */

static const struct input fixed_inputs[] = {
    { "wire 250 queued", WIRE, SMTPSTATUS_STAGE_END_OF_DATA, NULL,
      "250 2.0.0 Ok: queued as 8D1E2F3A\r\n", 0, 0, 0 },
    { "wire 550 user unknown", WIRE, SMTPSTATUS_STAGE_RCPT, "mx.example.org",
      "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual "
      "mailbox table\r\n", 0, 0, 0 },
    { "wire gmail multi-line", WIRE, SMTPSTATUS_STAGE_END_OF_DATA, "gmail-smtp-in.l.google.com",
      "550-5.7.26 This mail is unauthenticated, which poses a security risk to the\r\n"
      "550-5.7.26 sender and Gmail users, and has been blocked. The sender must\r\n"
      "550-5.7.26 authenticate with at least one of SPF or DKIM. For more information, go to\r\n"
      "550 5.7.26  https://support.google.com/mail/answer/81126#authentication - gsmtp\r\n",
      0, 0, 0 },
    { "wire EHLO", WIRE, SMTPSTATUS_STAGE_EHLO, NULL,
      "250-mx.example.org Hello client.example.com [192.0.2.1]\r\n250-SIZE 35882577\r\n"
      "250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n",
      0, 0, 0 },
    { "wire mailbox full", WIRE, SMTPSTATUS_STAGE_RCPT, NULL,
      "452 4.2.2 Mailbox full\r\n", 0, 0, 0 },
    { "wire greylisted", WIRE, SMTPSTATUS_STAGE_RCPT, NULL,
      "450 4.7.1 <dave@example.com>: Recipient address rejected: Greylisted, see "
      "http://postgrey.example.com/ - please try again in 5 minutes\r\n", 0, 0, 0 },
    { "wire yahoo TSS04", WIRE, SMTPSTATUS_STAGE_CONNECT, "mta7.am0.yahoodns.net",
      "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected "
      "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes\r\n",
      0, 0, 0 },
    { "wire microsoft banned IP", WIRE, SMTPSTATUS_STAGE_RCPT,
      "example-com.mail.protection.outlook.com",
      "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this "
      "list please visit https://sender.office.com/ and follow the directions.\r\n", 0, 0, 0 },
    { "wire qmail rcpthosts", WIRE, SMTPSTATUS_STAGE_RCPT, NULL,
      "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n", 0, 0, 0 },
    { "wire spamhaus", WIRE, SMTPSTATUS_STAGE_RCPT, NULL,
      "554 5.7.1 Service unavailable; Client host [198.51.100.200] blocked using "
      "zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.200\r\n", 0, 0, 0 },
    { "wire too large", WIRE, SMTPSTATUS_STAGE_END_OF_DATA, NULL,
      "552 5.3.4 Message size exceeds fixed maximum message size\r\n", 0, 0, 0 },
    { "wire 552 too many recipients", WIRE, SMTPSTATUS_STAGE_RCPT, NULL,
      "552 5.5.3 Too many recipients\r\n", 0, 0, 0 },
    { "wire rate limited", WIRE, SMTPSTATUS_STAGE_MAIL, NULL,
      "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP "
      "reputation. For e-mail delivery information, see https://postmaster.live.com\r\n",
      0, 0, 0 },
    { "wire null MX", WIRE, SMTPSTATUS_STAGE_CONNECT, NULL,
      "556 5.1.10 Recipient address has null MX\r\n", 0, 0, 0 },
    { "wire class mismatch", WIRE, SMTPSTATUS_STAGE_RCPT, NULL,
      "550 4.2.2 mailbox over quota\r\n", 0, 0, 0 },
    { "wire 354", WIRE, SMTPSTATUS_STAGE_DATA, NULL,
      "354 End data with <CR><LF>.<CR><LF>\r\n", 0, 0, 0 },
    { "wire bare LF and 8bit", WIRE, SMTPSTATUS_STAGE_RCPT, NULL,
      "550-5.1.1 Benutzer unbekannt: \xc3\xbc" "ber\n550 5.1.1 M\xc3\xbcller\n", 0, 0, 0 },
    { "wire code mismatch", WIRE, 0, NULL,
      "550-5.1.1 first line\r\n551-5.1.6 second line\r\n550 third line\r\n", 0, 0, 0 },
    { "wire incomplete", WIRE, 0, NULL, "250-first line\r\n250-sec", 0, 0, 0 },
    { "wire syntax error", WIRE, 0, NULL, "hello world\r\n", 0, 0, 0 },
    { "wire bad code", WIRE, 0, NULL, "650 6.1.1 no such class\r\n", 0, 0, 0 },
    { "wire NUL inside", WIRE, 0, NULL, "550 5.1.1 user\0unknown\r\n", 24, 0, 0 },
    { "log postfix bounced", LOGLINE, 0, NULL,
      "Nov 23 09:00:02 mail postfix/smtp[4101]: 3F2A1C002: to=<bob@example.org>, "
      "relay=mx.example.org[192.0.2.25]:25, delay=0.6, delays=0.1/0/0.3/0.2, dsn=5.1.1, "
      "status=bounced (host mx.example.org[192.0.2.25] said: 550 5.1.1 <bob@example.org>: "
      "Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO "
      "command))", 0, 0, 0 },
    { "log postfix gmail joined", LOGLINE, 0, "gmail-smtp-in.l.google.com",
      "Nov 23 09:00:05 mail postfix/smtp[4104]: 3F2A1C005: to=<erin@gmail.example>, "
      "relay=gmail-smtp-in.l.google.com[192.0.2.27]:25, delay=1.1, dsn=5.7.26, status=bounced "
      "(host gmail-smtp-in.l.google.com[192.0.2.27] said: 550-5.7.26 This mail is "
      "unauthenticated, which poses a security risk to the 550-5.7.26 sender and Gmail users, "
      "and has been blocked. The sender must 550 5.7.26 authenticate with at least one of SPF "
      "or DKIM. - gsmtp (in reply to end of DATA command))", 0, 0, 0 },
    { "log postfix timeout", LOGLINE, 0, NULL,
      "Nov 23 09:00:06 mail postfix/smtp[4105]: 3F2A1C006: to=<frank@example.net>, relay=none, "
      "delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to "
      "mx.example.net[198.51.100.7]:25: Connection timed out)", 0, 0, 0 },
    { "log exim defer", LOGLINE, 0, NULL,
      "2026-11-23 09:10:01 1tAbCd-000124-Xy == leo@example.co R=dnslookup T=remote_smtp defer "
      "(-44) H=mx.example.co [203.0.113.9]: SMTP error from remote mail server after RCPT "
      "TO:<leo@example.co>: 421 4.7.0 [TSS04] Messages from 198.51.100.200 temporarily "
      "deferred due to unexpected volume or user complaints", 0, 0, 0 },
    { "log exim unrouteable", LOGLINE, 0, NULL,
      "2026-11-23 09:10:03 1tAbCd-000126-Xy ** ned@nonexistent.example: Unrouteable address",
      0, 0, 0 },
    { "log sendmail", LOGLINE, 0, NULL,
      "Nov 23 09:20:01 mail sm-mta[5202]: 5ANA0A1B000124: to=<pete@example.com>, "
      "delay=00:00:02, mailer=esmtp, relay=mx.example.com. [192.0.2.80], dsn=4.0.0, "
      "stat=Deferred: 421 4.7.0 Too many connections from your IP, try again in 10 minutes",
      0, 0, 0 },
    { "log diagnostic-code", LOGLINE, 0, NULL,
      "Diagnostic-Code: smtp; 550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To "
      "request removal from this list please visit https://sender.office.com/", 0, 0, 0 },
    { "log exchange", LOGLINE, SMTPSTATUS_STAGE_RCPT, NULL,
      "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient "
      "not found by SMTP address lookup'", 0, 0, 0 },
    { "log SES wrapped", LOGLINE, 0, NULL,
      "smtp; 5.1.0 - Unknown address error 550-'5.2.2 <kijitora@example.jp>... Mailbox Full' "
      "(delivery attempts: 0)", 0, 0, 0 },
    { "log words only", LOGLINE, 0, NULL,
      "The recipient's mailbox is full and can't accept messages now.", 0, 0, 0 },
    { "log nothing", LOGLINE, 0, NULL, "", 0, 0, 0 },

    { "dsn postfix report", MESSAGE, 0, NULL, postfix_report, 0, 0, 0 },
    { "dsn nested base64", MESSAGE, 0, NULL, nested_base64_report, 0, 0, 0 },
    { "dsn nested base64, 2 slots", MESSAGE, 0, NULL, nested_base64_report, 0, 2, 0 },
    { "dsn nested base64, small scratch", MESSAGE, 0, NULL, nested_base64_report, 0, 0, 16 },
    { "dsn qmail text", MESSAGE, 0, NULL, qmail_text, 0, 0, 0 },
    { "dsn exim text", MESSAGE, 0, NULL, exim_text, 0, 0, 0 },
    { "dsn arf", MESSAGE, 0, NULL, arf_report, 0, 0, 0 },
    { "dsn auto-reply", MESSAGE, 0, NULL, auto_reply, 0, 0, 0 },
    { "dsn ordinary", MESSAGE, 0, NULL, ordinary, 0, 0, 0 },
};

#define NFIXED (sizeof fixed_inputs / sizeof fixed_inputs[0])
#define NGENERATED 5
#define NINPUTS (NFIXED + NGENERATED)

/* The shared, read-only input set: the fixed inputs and some built at
 * start-up (at and past the limits). Written only before the threads
 * start. */
static struct input inputs[NINPUTS];
static char *generated[NGENERATED];
static char *copies[NINPUTS];

static char *repeat_line(const char *head, size_t body, const char *tail)
{
    size_t hl = strlen(head), tl = strlen(tail);
    char *s = malloc(hl + body + tl + 1);

    cr_assert_not_null(s);
    memcpy(s, head, hl);
    for (size_t i = 0; i < body; i++)
        s[hl + i] = (char)('a' + (char)(i % 26));
    memcpy(s + hl + body, tail, tl + 1);
    return s;
}

static void build_inputs(void)
{
    size_t n = 0;

    for (size_t i = 0; i < NFIXED; i++)
        inputs[n++] = fixed_inputs[i];

    /* Over RFC 5321's 512 octets but within SMTPSTATUS_REPLY_LINE_MAX. */
    generated[0] = repeat_line("550 5.1.1 user unknown ", 700, "\r\n");
    /* Over SMTPSTATUS_REPLY_LINE_MAX: E_TOO_LONG. */
    generated[1] = repeat_line("550 5.1.1 ", SMTPSTATUS_REPLY_LINE_MAX + 10, "\r\n");

    /* More than SMTPSTATUS_REPLY_LINES_MAX lines: E_TOO_MANY. */
    {
        static const char line[] = "550-5.7.1 policy\r\n";
        size_t nlines = SMTPSTATUS_REPLY_LINES_MAX + 5, ll = sizeof line - 1;
        char *s = malloc(nlines * ll + 32);
        cr_assert_not_null(s);
        for (size_t i = 0; i < nlines; i++)
            memcpy(s + i * ll, line, ll);
        strcpy(s + nlines * ll, "550 5.7.1 end\r\n");
        generated[2] = s;
    }

    /* A report with more recipients than the array has room for. */
    {
        size_t cap = 8192, len = 0;
        char *s = malloc(cap);
        cr_assert_not_null(s);
        len += (size_t)snprintf(s + len, cap - len,
                                "From: MAILER-DAEMON@mail.example.com\r\n"
                                "Subject: Undelivered Mail Returned to Sender\r\n"
                                "MIME-Version: 1.0\r\n"
                                "Content-Type: multipart/report; report-type=delivery-status; "
                                "boundary=\"b\"\r\n\r\n"
                                "--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n\r\n"
                                "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
                                "Reporting-MTA: dns; mail.example.com\r\n");
        for (int i = 0; i < 11; i++)
            len += (size_t)snprintf(s + len, cap - len,
                                    "\r\nFinal-Recipient: rfc822; user%d@example.org\r\n"
                                    "Action: failed\r\nStatus: 5.%d.1\r\n"
                                    "Diagnostic-Code: smtp; 55%d 5.%d.1 refused (%d)\r\n",
                                    i, i % 8, i % 5, i % 8, i);
        len += (size_t)snprintf(s + len, cap - len, "\r\n--b--\r\n");
        cr_assert_lt(len, cap - 1);
        generated[3] = s;
    }

    /* Nested deeper than SMTPSTATUS_DSN_MIME_DEPTH_MAX. */
    {
        size_t cap = 16384, len = 0;
        int depth = SMTPSTATUS_DSN_MIME_DEPTH_MAX + 4;
        char *s = malloc(cap);
        cr_assert_not_null(s);
        len += (size_t)snprintf(s + len, cap - len, "From: MAILER-DAEMON@x.example\r\n"
                                                    "MIME-Version: 1.0\r\n");
        for (int d = 0; d < depth; d++)
            len += (size_t)snprintf(s + len, cap - len,
                                    "Content-Type: multipart/mixed; boundary=\"d%d\"\r\n\r\n"
                                    "--d%d\r\n", d, d);
        len += (size_t)snprintf(s + len, cap - len,
                                "Content-Type: message/delivery-status\r\n\r\n"
                                "Reporting-MTA: dns; deep.example\r\n\r\n"
                                "Final-Recipient: rfc822; deep@example.org\r\n"
                                "Action: failed\r\nStatus: 5.1.1\r\n\r\n");
        for (int d = depth - 1; d >= 0; d--)
            len += (size_t)snprintf(s + len, cap - len, "--d%d--\r\n", d);
        cr_assert_lt(len, cap - 1);
        generated[4] = s;
    }

    inputs[n++] = (struct input){ "wire long line (LONG_LINE)", WIRE, SMTPSTATUS_STAGE_RCPT, NULL,
                                  generated[0], 0, 0, 0 };
    inputs[n++] = (struct input){ "wire line over REPLY_LINE_MAX", WIRE, 0, NULL, generated[1], 0,
                                  0, 0 };
    inputs[n++] = (struct input){ "wire lines over REPLY_LINES_MAX", WIRE, 0, NULL, generated[2],
                                  0, 0, 0 };
    inputs[n++] = (struct input){ "dsn 11 recipients, 8 slots", MESSAGE, 0, NULL, generated[3], 0,
                                  0, 0 };
    inputs[n++] = (struct input){ "dsn nested too deep", MESSAGE, 0, NULL, generated[4], 0, 0, 0 };
    cr_assert_eq(n, NINPUTS);

    /* Exactly sized heap copies without a NUL, so that ASan and valgrind
     * see any read at or past buf + len. */
    for (size_t i = 0; i < NINPUTS; i++) {
        if (inputs[i].len == 0)
            inputs[i].len = strlen(inputs[i].text);
        copies[i] = malloc(inputs[i].len ? inputs[i].len : 1);
        cr_assert_not_null(copies[i]);
        memcpy(copies[i], inputs[i].text, inputs[i].len);
        inputs[i].text = copies[i];
    }
}

static void free_inputs(void)
{
    for (size_t i = 0; i < NGENERATED; i++)
        free(generated[i]);
    for (size_t i = 0; i < NINPUTS; i++)
        free(copies[i]);
}

/* ---- The transcript: every result field, in words ---- */

struct sink {
    char *buf;
    size_t cap, len;
    int overflow;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct sink *s, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (s->overflow)
        return;
    va_start(ap, fmt);
    n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= s->cap - s->len) {
        s->overflow = 1;
        return;
    }
    s->len += (size_t)n;
}

static void put_bytes(struct sink *s, const char *p, size_t n)
{
    for (size_t i = 0; i < n && !s->overflow; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7F && c != '\\')
            put(s, "%c", c);
        else
            put(s, "\\x%02x", c);
    }
}

static const char *str(const char *s)
{
    return s ? s : "(null)";
}

static void put_span(struct sink *s, const char *what, const char *base, size_t len,
                     struct smtpstatus_span sp)
{
    put(s, "%s=%zu+%zu", what, sp.off, sp.len);
    if (sp.off <= len && sp.len <= len - sp.off) {
        put(s, " \"");
        put_bytes(s, base + sp.off, sp.len);
        put(s, "\"\n");
    } else {
        put(s, " OUT OF RANGE\n");
    }
}

/* A DSN text points into the message or into the scratch buffer; the
 * scratch differs between threads, so write where and what, not the
 * address. */
static void put_text(struct sink *s, const char *what, struct smtpstatus_text t, const char *msg,
                     size_t msg_len, const char *scratch, size_t scratch_len)
{
    const char *where;
    size_t off = 0;

    if (t.ptr == NULL) {
        put(s, "%s=null len=%zu\n", what, t.len);
        return;
    }
    if (t.ptr >= msg && t.ptr <= msg + msg_len && t.len <= msg_len - (size_t)(t.ptr - msg)) {
        where = "msg";
        off = (size_t)(t.ptr - msg);
    } else if (scratch != NULL && t.ptr >= scratch && t.ptr <= scratch + scratch_len &&
               t.len <= scratch_len - (size_t)(t.ptr - scratch)) {
        where = "scratch";
        off = (size_t)(t.ptr - scratch);
    } else {
        /* Neither the message nor the scratch: a bug; the address makes
         * the transcripts differ, and the bytes are not read. */
        put(s, "%s=OUTSIDE %p+%zu\n", what, (const void *)t.ptr, t.len);
        return;
    }
    put(s, "%s=%s@%zu+%zu \"", what, where, off, t.len);
    put_bytes(s, t.ptr, t.len);
    put(s, "\"\n");
}

static void put_code(struct sink *s, const char *what, const struct smtpstatus_enhanced *c)
{
    char text[SMTPSTATUS_ENHANCED_TEXT_MAX];
    int n = smtpstatus_format_enhanced(c, text, sizeof text);

    put(s, "%s=%u.%u.%u (%s) reserved=%u\n", what, c->cls, c->subject, c->detail,
        n >= 0 ? text : smtpstatus_result_name(n), c->reserved);
}

static void put_rendered(struct sink *s, const char *what, int n, const char *text)
{
    put(s, "%s[%d]=", what, n);
    if (n >= 0)
        put_bytes(s, text, strlen(text));
    else
        put(s, "%s", smtpstatus_result_name(n));
    put(s, "\n");
}

/* Per-thread working storage: every output the library writes. */
struct work {
    struct sink sink;
    char text[TEXT_MAX];
    char *scratch;
    size_t scratch_cap;
    struct smtpstatus_dsn_recipient rcpts[MAX_RCPTS];
};

static void put_verdict(struct work *w, const char *what, const char *input, size_t len,
                        const struct smtpstatus_verdict *v)
{
    struct sink *s = &w->sink;
    struct smtpstatus_retry retry = SMTPSTATUS_RETRY_INIT;
    struct smtpstatus_reason_info ri = SMTPSTATUS_REASON_INFO_INIT;
    int rc;

    put(s, "%s: outcome=%s bounce=%s reason=%s party=%s action=%s retry_after=%u flags=%#x "
        "confidence=%u reply_code=%u stage=%s provider=%s sisimai=%s pmta=%s sparkpost=%u\n",
        what, smtpstatus_outcome_name((int)v->outcome), smtpstatus_bounce_name((int)v->bounce),
        smtpstatus_reason_name((int)v->reason), smtpstatus_party_name((int)v->party),
        smtpstatus_action_name((int)v->action), v->retry_after, v->flags, v->confidence,
        v->reply_code, smtpstatus_stage_name((int)v->stage), str(v->provider),
        str(v->sisimai_reason), str(v->powermta_category), v->sparkpost_class);
    if (v->has_enhanced)
        put_code(s, "  enhanced", &v->enhanced);
    put(s, "  evidence_count=%u\n", v->evidence_count);
    for (uint32_t i = 0; i < v->evidence_count && i < SMTPSTATUS_EVIDENCE_MAX; i++) {
        const struct smtpstatus_evidence *e = &v->evidence[i];
        put(s, "  evidence[%u] kind=%s reason=%s confidence=%u rule=%s source=%s ", i,
            smtpstatus_evidence_kind_name((int)e->kind), smtpstatus_reason_name((int)e->reason),
            e->confidence, str(e->rule), str(e->source));
        put_span(s, "span", input ? input : "", len, e->span);
    }
    rc = smtpstatus_explain_verdict(input, len, v, w->text, sizeof w->text);
    put_rendered(s, "  explain_verdict", rc, w->text);
    for (uint32_t attempts = 1; attempts <= 7; attempts += 3) {
        uint64_t queued = (uint64_t)attempts * 3600u * 7u;
        rc = smtpstatus_retry_advice(v, queued, attempts, &retry);
        put(s, "  retry(%u, %llu)=%s decision=%u delay=%u give_up_after=%u\n", attempts,
            (unsigned long long)queued, smtpstatus_result_name(rc), retry.decision, retry.delay,
            retry.give_up_after);
    }
    rc = smtpstatus_reason_info((int)v->reason, &ri);
    put(s, "  reason_info=%s name=%s party=%s dead=%d actions=%u/%u delay=%u title=%s\n",
        smtpstatus_result_name(rc), str(ri.name), smtpstatus_party_name((int)ri.party),
        ri.address_dead, ri.transient_action, ri.permanent_action, ri.default_delay,
        str(ri.title));
}

static void put_code_info(struct work *w, const struct smtpstatus_enhanced *code)
{
    struct sink *s = &w->sink;
    struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
    int rc = smtpstatus_lookup_enhanced(code, &info);

    put(s, "  lookup_enhanced=%s flags=%#x class=%s subject=%s title=%s replaced_by=%s "
        "party=%s basic=%u:",
        smtpstatus_result_name(rc), info.flags, str(info.class_title), str(info.subject_title),
        str(info.title), str(info.replaced_by), smtpstatus_party_name((int)info.party),
        info.basic_code_count);
    for (uint32_t i = 0; i < info.basic_code_count && i < SMTPSTATUS_BASIC_CODES_MAX; i++)
        put(s, " %u", info.basic_codes[i]);
    put(s, "\n");
    rc = smtpstatus_explain_enhanced(code, w->text, sizeof w->text);
    put_rendered(s, "  explain_enhanced", rc, w->text);
}

static void put_reply_code_info(struct work *w, unsigned code)
{
    struct sink *s = &w->sink;
    struct smtpstatus_reply_info info = SMTPSTATUS_REPLY_INFO_INIT;
    int rc = smtpstatus_lookup_reply_code(code, &info);

    put(s, "  lookup_reply_code(%u)=%s kind=%u context=%s class=%s category=%s text=%s\n", code,
        smtpstatus_result_name(rc), info.kind, str(info.context), str(info.class_name),
        str(info.category_name), str(info.recommended_text));
    rc = smtpstatus_explain_reply_code(code, w->text, sizeof w->text);
    put_rendered(s, "  explain_reply_code", rc, w->text);
}

static void run_text(struct work *w, const struct input *in)
{
    struct sink *s = &w->sink;
    const char *buf = in->text;
    size_t len = in->len;
    unsigned modes[2] = { 0, SMTPSTATUS_REPLY_LENIENT };
    size_t nmodes = in->kind == WIRE ? 2 : 1;

    if (in->kind == WIRE) {
        modes[0] = 0;
        modes[1] = SMTPSTATUS_REPLY_AT_EOF;
    } else {
        modes[0] = SMTPSTATUS_REPLY_LENIENT;
    }
    for (size_t m = 0; m < nmodes; m++) {
        struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
        struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
        int rc = smtpstatus_parse_reply(buf, len, modes[m], &reply);

        put(s, "parse_reply(flags=%#x)=%s code=%u lines=%u anomalies=%#x stage=%s "
            "parse_flags=%#x consumed=%zu error_offset=%zu has_enhanced=%d\n",
            modes[m], smtpstatus_result_name(rc), reply.code, reply.line_count, reply.anomalies,
            smtpstatus_stage_name((int)reply.stage), reply.parse_flags, reply.consumed,
            reply.error_offset, reply.has_enhanced);
        if (rc != SMTPSTATUS_OK)
            continue;
        if (reply.has_enhanced) {
            put_code(s, "  enhanced", &reply.enhanced);
            put_span(s, "  enhanced_span", buf, len, reply.enhanced_span);
        }
        put_span(s, "  span", buf, len, reply.span);
        put_span(s, "  text", buf, len, reply.text);
        {
            size_t cursor = 0, nlines = 0;
            struct smtpstatus_span line;
            while (smtpstatus_reply_next_line(buf, len, &reply, &cursor, &line) ==
                   SMTPSTATUS_OK) {
                if (nlines < 8 || nlines % 100 == 0) {
                    char what[32];
                    snprintf(what, sizeof what, "  line[%zu]", nlines);
                    put_span(s, what, buf, len, line);
                }
                nlines++;
            }
            put(s, "  next_line count=%zu\n", nlines);
        }
        rc = smtpstatus_explain_reply(buf, len, &reply, w->text, sizeof w->text);
        put_rendered(s, "  explain_reply", rc, w->text);
        rc = smtpstatus_classify_reply(buf, len, &reply, in->stage, &v);
        put(s, "  classify_reply=%s\n", smtpstatus_result_name(rc));
        put_verdict(w, "  verdict(reply)", buf, len, &v);
        put_reply_code_info(w, reply.code);
        if (reply.has_enhanced)
            put_code_info(w, &reply.enhanced);

        /* The same facts, held apart, with the provider's host. */
        {
            struct smtpstatus_classify_input ci = SMTPSTATUS_CLASSIFY_INPUT_INIT;
            struct smtpstatus_verdict v2 = SMTPSTATUS_VERDICT_INIT;
            ci.text = buf + reply.span.off;
            ci.text_len = reply.span.len;
            ci.reply_code = reply.code;
            ci.has_enhanced = reply.has_enhanced;
            ci.enhanced = reply.enhanced;
            ci.stage = (uint32_t)in->stage;
            ci.host = in->host;
            ci.host_len = in->host ? strlen(in->host) : 0;
            rc = smtpstatus_classify(&ci, &v2);
            put(s, "  classify(facts)=%s\n", smtpstatus_result_name(rc));
            put_verdict(w, "  verdict(facts)", ci.text, ci.text_len, &v2);
        }
    }

    {
        struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
        int rc = smtpstatus_classify_text(buf, len, in->stage, &v);
        put(s, "classify_text=%s\n", smtpstatus_result_name(rc));
        put_verdict(w, "verdict(text)", buf, len, &v);
    }
    {
        struct smtpstatus_enhanced code;
        struct smtpstatus_span where = { 0, 0 };
        int rc = smtpstatus_find_enhanced(buf, len, 0, &code, &where);
        put(s, "find_enhanced=%s\n", smtpstatus_result_name(rc));
        if (rc == SMTPSTATUS_OK) {
            put_code(s, "  code", &code);
            put_span(s, "  where", buf, len, where);
            put_code_info(w, &code);
        }
    }
}

static void run_message(struct work *w, const struct input *in)
{
    struct sink *s = &w->sink;
    const char *buf = in->text;
    size_t len = in->len;
    struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
    size_t n = in->rcpt_cap ? in->rcpt_cap : MAX_RCPTS;
    size_t scratch_size = in->scratch_cap ? in->scratch_cap : len;
    int rc;

    /* No cr_assert here: this runs in the worker threads. */
    if (n > MAX_RCPTS || scratch_size > w->scratch_cap) {
        put(s, "bad test input\n");
        return;
    }
    /* Poison, so that a field the library forgets to write shows. */
    memset(w->rcpts, 0xA5, sizeof w->rcpts);
    memset(w->scratch, 0x5A, scratch_size);
    w->rcpts[0].size = sizeof w->rcpts[0];
    rc = smtpstatus_parse_dsn(buf, len, 0, &dsn, w->rcpts, &n, w->scratch, scratch_size);
    put(s, "parse_dsn=%s kind=%s decoder=%s recipient_count=%u written=%zu scratch_used=%zu\n",
        smtpstatus_result_name(rc), smtpstatus_message_kind_name((int)dsn.kind),
        smtpstatus_decoder_name((int)dsn.decoder), dsn.recipient_count, n, dsn.scratch_used);
    if (rc != SMTPSTATUS_OK && rc != SMTPSTATUS_E_TOO_MANY)
        return;
#define T(field) put_text(s, "  " #field, dsn.field, buf, len, w->scratch, scratch_size)
    T(reporting_mta);
    T(received_from_mta);
    T(arrival_date);
    T(original_envelope_id);
    T(subject);
    T(from);
    T(original_message_id);
    T(original_from);
    T(original_to);
    T(original_subject);
    T(feedback_type);
#undef T
    for (size_t i = 0; i < n && i < MAX_RCPTS; i++) {
        const struct smtpstatus_dsn_recipient *r = &w->rcpts[i];
        put(s, "rcpt[%zu] action=%s flags=%#x decoder=%s stage=%s reply_code=%u has_status=%d\n",
            i, smtpstatus_dsn_action_name((int)r->action), r->flags,
            smtpstatus_decoder_name((int)r->decoder), smtpstatus_stage_name((int)r->stage),
            r->reply_code, r->has_status);
        if (r->has_status)
            put_code(s, "  status", &r->status);
#define T(field) put_text(s, "  " #field, r->field, buf, len, w->scratch, scratch_size)
        T(recipient);
        T(recipient_type);
        T(original_recipient);
        T(remote_mta);
        T(diagnostic);
        T(diagnostic_type);
        T(last_attempt_date);
        T(will_retry_until);
        T(final_log_id);
        T(fields);
#undef T
        {
            size_t cursor = 0;
            struct smtpstatus_text name, value;
            while (smtpstatus_next_field(&r->fields, &cursor, &name, &value) == SMTPSTATUS_OK) {
                put_text(s, "  field.name", name, buf, len, w->scratch, scratch_size);
                put_text(s, "  field.value", value, buf, len, w->scratch, scratch_size);
            }
        }
        put_verdict(w, "  verdict", r->diagnostic.ptr, r->diagnostic.ptr ? r->diagnostic.len : 0,
                    &r->verdict);
    }
}

static void run(struct work *w, const struct input *in)
{
    w->sink.len = 0;
    w->sink.overflow = 0;
    put(&w->sink, "input %s (%zu bytes)\n", in->name, in->len);
    if (in->kind == MESSAGE)
        run_message(w, in);
    else
        run_text(w, in);
}

static void work_init(struct work *w)
{
    size_t scratch = 0;

    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < NINPUTS; i++)
        if (inputs[i].len > scratch)
            scratch = inputs[i].len;
    w->sink.cap = TRANSCRIPT_MAX;
    w->sink.buf = malloc(w->sink.cap);
    w->scratch_cap = scratch + 1;
    w->scratch = malloc(w->scratch_cap);
    if (w->sink.buf == NULL || w->scratch == NULL)
        abort(); /* runs in the worker threads too: no cr_assert */
}

static void work_free(struct work *w)
{
    free(w->sink.buf);
    free(w->scratch);
}

/* ---- The reference, then the threads ---- */

struct reference {
    char *text;
    size_t len;
};

static struct reference refs[NINPUTS];

struct thread_ctx {
    pthread_t thread;
    unsigned id;
    unsigned iterations;
    pthread_barrier_t *barrier;
    /* Results, read by the main thread after the join. */
    unsigned long runs, mismatches;
    size_t first_input;
    char first_diff[512];
};

/* Describe where a transcript first differs from the reference: the input
 * line it is on, from a little before the first differing byte. */
static void describe_diff(char *out, size_t size, const struct reference *ref, const struct sink *got)
{
    size_t i = 0, line_start = 0, from, n = ref->len < got->len ? ref->len : got->len;
    const char *re, *ge;
    int rl, gl;

    if (got->overflow) {
        snprintf(out, size, "transcript overflow");
        return;
    }
    while (i < n && ref->text[i] == got->buf[i]) {
        if (ref->text[i] == '\n')
            line_start = i + 1;
        i++;
    }
    from = i - line_start > 60 ? i - 60 : line_start;
    re = memchr(ref->text + from, '\n', ref->len - from);
    ge = memchr(got->buf + from, '\n', got->len - from);
    rl = (int)(re ? (size_t)(re - ref->text) - from : ref->len - from);
    gl = (int)(ge ? (size_t)(ge - got->buf) - from : got->len - from);
    snprintf(out, size, "at byte %zu: want \"%s%.*s\" got \"%s%.*s\"", i,
             from > line_start ? "..." : "", rl > 160 ? 160 : rl, ref->text + from,
             from > line_start ? "..." : "", gl > 160 ? 160 : gl, got->buf + from);
}

static void *worker(void *arg)
{
    struct thread_ctx *t = arg;
    struct work w;
    /* Coprime with NINPUTS (47, a prime) for up to 23 threads: every
     * thread then visits every input in each scattered block. */
    size_t step = 1 + 2 * (size_t)t->id;

    work_init(&w);
    for (unsigned it = 0; it < t->iterations; it++) {
        size_t block = it / NINPUTS, idx;

        /* Resynchronise at each block, so that the threads really do
         * overlap; alternate blocks walk the inputs in lockstep (the same
         * input in every thread at once) and in a per-thread order
         * (different inputs at once). */
        if (it % NINPUTS == 0)
            pthread_barrier_wait(t->barrier);
        if (block % 2 == 0)
            idx = it % NINPUTS;
        else
            idx = ((size_t)it * step + (size_t)t->id * 7) % NINPUTS;
        run(&w, &inputs[idx]);
        t->runs++;
        if (w.sink.overflow || w.sink.len != refs[idx].len ||
            memcmp(w.sink.buf, refs[idx].text, w.sink.len) != 0) {
            if (t->mismatches++ == 0) {
                t->first_input = idx;
                describe_diff(t->first_diff, sizeof t->first_diff, &refs[idx], &w.sink);
            }
        }
    }
    work_free(&w);
    return NULL;
}

static unsigned env_unsigned(const char *name, unsigned def, unsigned max)
{
    const char *v = getenv(name);
    char *end;
    unsigned long n;

    if (v == NULL || *v == '\0')
        return def;
    n = strtoul(v, &end, 10);
    if (*end != '\0' || n == 0 || n > max)
        return def;
    return (unsigned)n;
}

static void setup(void)
{
    build_inputs();
}

static void teardown(void)
{
    for (size_t i = 0; i < NINPUTS; i++)
        free(refs[i].text);
    free_inputs();
}

TestSuite(threads, .init = setup, .fini = teardown, .timeout = 600);

/* The reference itself is sane: the transcripts say what the other tests
 * check in detail, and computing them twice gives the same bytes. */
static void compute_references(void)
{
    struct work w;

    work_init(&w);
    for (size_t i = 0; i < NINPUTS; i++) {
        run(&w, &inputs[i]);
        cr_assert(!w.sink.overflow, "transcript of %s overflows", inputs[i].name);
        refs[i].len = w.sink.len;
        refs[i].text = malloc(w.sink.len + 1);
        cr_assert_not_null(refs[i].text);
        memcpy(refs[i].text, w.sink.buf, w.sink.len);
        refs[i].text[w.sink.len] = '\0';
    }
    for (size_t i = 0; i < NINPUTS; i++) {
        run(&w, &inputs[NINPUTS - 1 - i]);
        cr_assert(w.sink.len == refs[NINPUTS - 1 - i].len &&
                      memcmp(w.sink.buf, refs[NINPUTS - 1 - i].text, w.sink.len) == 0,
                  "%s: a second single-threaded run differs", inputs[NINPUTS - 1 - i].name);
    }
    work_free(&w);
}

static const char *ref_of(const char *name)
{
    for (size_t i = 0; i < NINPUTS; i++)
        if (strcmp(inputs[i].name, name) == 0)
            return refs[i].text;
    cr_assert_fail("no input %s", name);
    return NULL;
}

#define assert_ref_has(name, needle) \
    cr_assert_not_null(strstr(ref_of(name), (needle)), "%s lacks \"%s\":\n%s", (name), \
                       (needle), ref_of(name))

static int dsn_supported(void)
{
    struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
    size_t n = 0;

    return smtpstatus_parse_dsn("", 0, 0, &dsn, NULL, &n, NULL, 0) != SMTPSTATUS_E_UNSUPPORTED;
}

static void check_references(void)
{
    assert_ref_has("wire 550 user unknown", "verdict(text): outcome=permanent bounce=hard "
                                            "reason=recipient_unknown");
    assert_ref_has("wire 550 user unknown", "action=suppress_recipient");
    assert_ref_has("wire 550 user unknown", "explain_verdict[");
    assert_ref_has("wire gmail multi-line", "parse_reply(flags=0)=SMTPSTATUS_OK code=550 lines=4");
    assert_ref_has("wire gmail multi-line", "reason=auth_failure");
    assert_ref_has("wire greylisted", "reason=greylisted");
    assert_ref_has("wire incomplete", "parse_reply(flags=0)=SMTPSTATUS_INCOMPLETE");
    assert_ref_has("wire incomplete", "parse_reply(flags=0x1)=SMTPSTATUS_E_TRUNCATED");
    assert_ref_has("wire syntax error", "=SMTPSTATUS_E_SYNTAX");
    assert_ref_has("wire long line (LONG_LINE)", "=SMTPSTATUS_OK code=550 lines=1 anomalies=0x200 ");
    assert_ref_has("wire line over REPLY_LINE_MAX", "=SMTPSTATUS_E_TOO_LONG");
    assert_ref_has("wire lines over REPLY_LINES_MAX", "=SMTPSTATUS_E_TOO_MANY");
    assert_ref_has("log postfix bounced", "reason=recipient_unknown");
    if (!dsn_supported()) {
        /* -Ddsn=disabled: the messages still go through the threads. */
        assert_ref_has("dsn postfix report", "parse_dsn=SMTPSTATUS_E_UNSUPPORTED");
        return;
    }
    assert_ref_has("dsn postfix report", "parse_dsn=SMTPSTATUS_OK kind=bounce decoder=rfc3464 "
                                         "recipient_count=2 written=2");
    assert_ref_has("dsn postfix report", "recipient=msg@");
    assert_ref_has("dsn nested base64", "recipient_count=3 written=3");
    assert_ref_has("dsn nested base64", "recipient=scratch@");
    assert_ref_has("dsn nested base64", "field.name=scratch@");
    assert_ref_has("dsn nested base64", "\"X-Relay-Queue\"");
    assert_ref_has("dsn nested base64", "action=delayed");
    assert_ref_has("dsn nested base64, 2 slots", "parse_dsn=SMTPSTATUS_E_TOO_MANY");
    assert_ref_has("dsn nested base64, 2 slots", "recipient_count=3 written=2");
    assert_ref_has("dsn nested base64, small scratch", "parse_dsn=SMTPSTATUS_E_NO_SPACE");
    assert_ref_has("dsn 11 recipients, 8 slots", "recipient_count=11 written=8");
    assert_ref_has("dsn qmail text", "decoder=qmail");
    assert_ref_has("dsn arf", "kind=feedback");
    assert_ref_has("dsn ordinary", "kind=ordinary");
}

Test(threads, many_threads_get_the_single_threaded_results)
{
    unsigned nthreads = env_unsigned("SMTPSTATUS_THREADS", DEFAULT_THREADS, MAX_THREADS);
    unsigned iterations = env_unsigned("SMTPSTATUS_THREAD_ITERATIONS", DEFAULT_ITERATIONS,
                                       10000000u);
    struct thread_ctx ctx[MAX_THREADS];
    pthread_barrier_t barrier;
    unsigned long runs = 0, mismatches = 0;

    compute_references();
    if (getenv("SMTPSTATUS_THREADS_DUMP"))
        for (size_t i = 0; i < NINPUTS; i++)
            fputs(refs[i].text, stderr);
    check_references();

    cr_assert_eq(pthread_barrier_init(&barrier, NULL, nthreads), 0);
    memset(ctx, 0, sizeof ctx);
    for (unsigned i = 0; i < nthreads; i++) {
        ctx[i].id = i;
        ctx[i].iterations = iterations;
        ctx[i].barrier = &barrier;
        cr_assert_eq(pthread_create(&ctx[i].thread, NULL, worker, &ctx[i]), 0,
                     "pthread_create %u", i);
    }
    for (unsigned i = 0; i < nthreads; i++)
        cr_assert_eq(pthread_join(ctx[i].thread, NULL), 0);
    pthread_barrier_destroy(&barrier);

    for (unsigned i = 0; i < nthreads; i++) {
        runs += ctx[i].runs;
        mismatches += ctx[i].mismatches;
        cr_expect_eq(ctx[i].mismatches, 0, "thread %u: %lu of %lu results differ; first: %s: %s",
                     i, ctx[i].mismatches, ctx[i].runs, inputs[ctx[i].first_input].name,
                     ctx[i].first_diff);
    }
    cr_assert_eq(runs, (unsigned long)nthreads * iterations);
    cr_log_info("%u threads x %u iterations over %zu inputs: %lu runs, %lu mismatches", nthreads,
                iterations, (size_t)NINPUTS, runs, mismatches);
}
