/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The DSN reader: RFC 3464 fields, RFC 6522 nesting, RFC 6533 global DSNs,
 * transfer encodings, line endings, feedback reports, auto-replies,
 * ordinary messages, and the caller-storage contract (too many recipients,
 * too little scratch, strides). The MTA- and provider-specific text
 * layouts have their own tests (test-decoders-*.c).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

#include "dsn-helpers.h"

/* `msg` with its first `from` replaced by `to`, in a buffer that the
 * next call overwrites. */
static const char *replaced(const char *msg, const char *from, const char *to)
{
    static char out[4096];
    const char *at = strstr(msg, from);
    size_t head;

    cr_assert_not_null(at);
    head = (size_t)(at - msg);
    cr_assert_lt(strlen(msg) - strlen(from) + strlen(to), sizeof out);
    memcpy(out, msg, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static const char rfc3464_two[] =
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"B1\"\n"
    "\n"
    "This is a MIME-encapsulated message.\n"
    "\n"
    "--B1\n"
    "Content-Type: text/plain\n"
    "\n"
    "I'm sorry to have to inform you that your message could not be delivered.\n"
    "\n"
    "--B1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "Arrival-Date: Mon, 23 Nov 2026 10:00:00 +0000\n"
    "Original-Envelope-Id: QQ314159\n"
    "\n"
    "Original-Recipient: rfc822;Bob@Example.COM\n"
    "Final-Recipient: rfc822; <bob@example.com>\n"
    "Action: failed\n"
    "Status: 5.1.1 (bad destination mailbox address)\n"
    "Remote-MTA: dns; gmail-smtp-in.l.google.com\n"
    "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\n"
    "    550-5.1.1 not exist. Please try double-checking the recipient's email\n"
    "    550 5.1.1 address for typos or unnecessary spaces. - gsmtp\n"
    "X-Custom-Field: kept\n"
    "\n"
    "Final-Recipient: rfc822; carol@example.net\n"
    "Action: delayed\n"
    "Status: 4.4.1\n"
    "Diagnostic-Code: smtp; connect to mx.example.net[192.0.2.7]:25: Connection timed out\n"
    "Will-Retry-Until: Sat, 28 Nov 2026 10:00:00 +0000\n"
    "\n"
    "--B1\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "Message-ID: <m1@example.com>\n"
    "From: alice@example.com\n"
    "To: bob@example.com, carol@example.net\n"
    "Subject: Lunch?\n"
    "\n"
    "--B1--\n";

static void check_rfc3464_two(struct parsed *p)
{
    cr_assert_eq(p->rc, SMTPSTATUS_OK, "%s", smtpstatus_result_name(p->rc));
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_BOUNCE);
    cr_assert_eq(p->dsn.decoder, SMTPSTATUS_DECODER_RFC3464);
    cr_assert_eq(p->n, 2);
    cr_assert_eq(p->dsn.recipient_count, 2);
    assert_text(p->dsn.reporting_mta, "mx.example.org");
    assert_text(p->dsn.original_envelope_id, "QQ314159");
    assert_text(p->dsn.original_message_id, "<m1@example.com>");
    assert_text(p->dsn.original_subject, "Lunch?");
    assert_text(p->dsn.subject, "Undelivered Mail Returned to Sender");

    const struct smtpstatus_dsn_recipient *bob = &p->r[0];
    assert_text(bob->recipient, "bob@example.com");
    assert_text(bob->recipient_type, "rfc822");
    assert_text(bob->original_recipient, "Bob@Example.COM");
    assert_text(bob->remote_mta, "gmail-smtp-in.l.google.com");
    assert_text(bob->diagnostic_type, "smtp");
    cr_assert_eq(bob->action, SMTPSTATUS_DSN_ACTION_FAILED);
    cr_assert(bob->has_status);
    cr_assert_eq(bob->status.cls, 5);
    cr_assert_eq(bob->status.subject, 1);
    cr_assert_eq(bob->status.detail, 1);
    cr_assert_eq(bob->reply_code, 550);
    cr_assert_eq(bob->verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    cr_assert_eq(bob->verdict.bounce, SMTPSTATUS_BOUNCE_HARD);
    cr_assert_str_eq(bob->verdict.provider, "gmail");
    cr_assert_not(bob->flags & SMTPSTATUS_DSN_STATUS_MISMATCH);

    const struct smtpstatus_dsn_recipient *carol = &p->r[1];
    assert_text(carol->recipient, "carol@example.net");
    cr_assert_eq(carol->action, SMTPSTATUS_DSN_ACTION_DELAYED);
    cr_assert_eq(carol->verdict.outcome, SMTPSTATUS_OUTCOME_TRANSIENT);
    cr_assert_eq(carol->verdict.bounce, SMTPSTATUS_BOUNCE_SOFT);
    cr_assert_eq(carol->verdict.reason, SMTPSTATUS_REASON_CONNECTION_FAILURE);
    assert_text(carol->will_retry_until, "Sat, 28 Nov 2026 10:00:00 +0000");
}

Test(dsn, rfc3464_report_with_two_recipients)
{
    struct parsed *p = parse(rfc3464_two);
    check_rfc3464_two(p);
    release(p);
}

Test(dsn, any_line_ending)
{
    /* CRLF (RFC 5322), LF (Unix mail stores) and bare CR (old Mac tools). */
    static const char *const endings[] = { "\r\n", "\n", "\r" };
    for (size_t i = 0; i < 3; i++) {
        struct parsed *p = parse_eol(rfc3464_two, endings[i]);
        check_rfc3464_two(p);
        release(p);
    }
}

Test(dsn, unknown_fields_are_kept)
{
    struct parsed *p = parse(rfc3464_two);
    struct smtpstatus_text name, value;
    size_t cursor = 0;
    int saw_custom = 0, fields = 0;

    while (smtpstatus_next_field(&p->r[0].fields, &cursor, &name, &value) == SMTPSTATUS_OK) {
        fields++;
        if (text_is(&name, "X-Custom-Field")) {
            assert_text(value, "kept");
            saw_custom = 1;
        }
    }
    cr_assert(saw_custom);
    cr_assert_eq(fields, 7);
    cr_assert_eq(smtpstatus_next_field(&p->r[0].fields, &cursor, &name, &value),
                 SMTPSTATUS_E_NOT_FOUND);
    cr_assert_eq(smtpstatus_next_field(NULL, &cursor, &name, &value), SMTPSTATUS_E_INVALID_ARG);
    release(p);
}

Test(dsn, a_report_nested_in_a_multipart_mixed)
{
    /* RFC 6522 §1 dropped the rule that multipart/report be outermost. */
    static const char msg[] =
        "From: helpdesk@example.com\n"
        "Subject: Fwd: delivery failure\n"
        "Content-Type: multipart/mixed; boundary=outer\n"
        "\n"
        "--outer\n"
        "Content-Type: text/plain\n"
        "\n"
        "See below.\n"
        "--outer\n"
        "Content-Type: multipart/report; report-type=\"delivery-status\"; boundary=\"inner\"\n"
        "\n"
        "--inner\n"
        "Content-Type: text/plain\n"
        "\n"
        "Failed.\n"
        "--inner\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.example.org\n"
        "\n"
        "Final-Recipient: rfc822; dave@example.org\n"
        "Action: failed\n"
        "Status: 5.2.2\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"
        "--inner--\n"
        "--outer--\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "dave@example.org");
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    release(p);
}

Test(dsn, global_delivery_status_in_base64)
{
    /* RFC 6533 §4: message/global-delivery-status may be encoded; the
     * address type is "utf-8" and the address raw UTF-8. The part below is
     * base64 of:
     *   Reporting-MTA: dns; mx.example.org
     *
     *   Final-Recipient: utf-8; jos\xc3\xa9@example.org
     *   Action: failed
     *   Status: 5.1.1
     *   Diagnostic-Code: smtp; 550 5.1.1 unknown user
     */
    static const char msg[] =
        "From: MAILER-DAEMON@mx.example.org\n"
        "Subject: Delivery Status Notification (Failure)\n"
        "Content-Type: multipart/report; report-type=global-delivery-status; boundary=G\n"
        "\n"
        "--G\n"
        "Content-Type: message/global-delivery-status\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "UmVwb3J0aW5nLU1UQTogZG5zOyBteC5leGFtcGxlLm9yZwoKRmluYWwtUmVjaXBpZW50OiB1dGYt\n"
        "ODsgam9zw6lAZXhhbXBsZS5vcmcKQWN0aW9uOiBmYWlsZWQKU3RhdHVzOiA1LjEuMQpEaWFnbm9z\n"
        "dGljLUNvZGU6IHNtdHA7IDU1MCA1LjEuMSB1bmtub3duIHVzZXIK\n"
        "--G--\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->rc, SMTPSTATUS_OK, "%s", smtpstatus_result_name(p->rc));
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "jos\xc3\xa9@example.org");
    assert_text(p->r[0].recipient_type, "utf-8");
    cr_assert_eq(p->r[0].reply_code, 550);
    cr_assert_gt(p->dsn.scratch_used, 0);
    release(p);
}

Test(dsn, quoted_printable_soft_break_inside_a_status)
{
    /* A soft line break may split a token (dsn-fields.md §10.4). */
    static const char msg[] =
        "From: postmaster@example.org\n"
        "Subject: Returned mail\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=Q\n"
        "\n"
        "--Q\n"
        "Content-Type: message/delivery-status\n"
        "Content-Transfer-Encoding: quoted-printable\n"
        "\n"
        "Final-Recipient: rfc822; erin@example.org\n"
        "Action: failed\n"
        "Status: 5.1.=\n"
        "1\n"
        "Diagnostic-Code: smtp; 550 no such user =3D erin\n"
        "--Q--\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->n, 1);
    cr_assert(p->r[0].has_status);
    cr_assert_eq(p->r[0].status.detail, 1);
    assert_text(p->r[0].diagnostic, "550 no such user = erin");
    release(p);
}

static const char *dsn_with(const char *fields)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "From: MAILER-DAEMON@example.org\n"
             "Subject: Delivery Status Notification\n"
             "Content-Type: multipart/report; report-type=delivery-status; boundary=X\n"
             "\n"
             "--X\n"
             "Content-Type: message/delivery-status\n"
             "\n"
             "Reporting-MTA: dns; mx.example.org\n"
             "\n"
             "%s"
             "--X--\n",
             fields);
    return buf;
}

Test(dsn, two_final_recipients_in_one_block_are_two_recipients)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: failed\n"
                                      "Status: 5.1.1\n"
                                      "Final-Recipient: rfc822; b@example.org\n"
                                      "Action: failed\n"
                                      "Status: 5.2.2\n"));
    cr_assert_eq(p->n, 2);
    assert_text(p->r[0].recipient, "a@example.org");
    assert_text(p->r[1].recipient, "b@example.org");
    cr_assert_eq(p->r[1].status.subject, 2);
    release(p);
}

Test(dsn, only_successes_make_a_delivery_report)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: delivered\n"
                                      "Status: 2.0.0\n"
                                      "\n"
                                      "Final-Recipient: rfc822; b@example.org\n"
                                      "Action: relayed\n"
                                      "Status: 2.0.0\n"));
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_DELIVERY_REPORT);
    cr_assert_eq(p->n, 2);
    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(p->r[i].verdict.outcome, SMTPSTATUS_OUTCOME_SUCCESS);
        cr_assert_eq(p->r[i].verdict.bounce, SMTPSTATUS_BOUNCE_NONE);
        cr_assert_eq(p->r[i].verdict.reason, SMTPSTATUS_REASON_DELIVERED);
    }
    release(p);
}

Test(dsn, a_failure_with_a_transient_code_expired)
{
    /* RFC 3464 §2.3.3: the MTA gave up on a 4.x.x condition. */
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: failed\n"
                                      "Status: 4.4.7\n"
                                      "Diagnostic-Code: X-Postfix; delivery temporarily suspended\n"));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_EXPIRED);
    cr_assert_eq(p->r[0].verdict.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_SOFT);
    cr_assert_str_eq(p->r[0].verdict.sisimai_reason, "expired");
    release(p);
}

Test(dsn, a_named_cause_survives_the_expiry)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: failed\n"
                                      "Status: 4.2.2\n"
                                      "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\n"));
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    cr_assert_eq(p->r[0].verdict.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    release(p);
}

Test(dsn, status_and_diagnostic_disagree)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0\n"
                                      "Diagnostic-Code: smtp; 450 4.2.0 greylisted, try later\n"));
    cr_assert(p->r[0].flags & SMTPSTATUS_DSN_STATUS_MISMATCH);
    release(p);
}

Test(dsn, nonstandard_actions_are_mapped_and_flagged)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: a@example.org\n"
                                      "Action: failure\n"
                                      "Status: 5.1.1\n"));
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_FAILED);
    cr_assert(p->r[0].flags & SMTPSTATUS_DSN_ACTION_NONSTANDARD);
    /* A value with no "type;" is an untyped address (dsn-fields.md §10.9). */
    assert_text(p->r[0].recipient, "a@example.org");
    cr_assert_null(p->r[0].recipient_type.ptr);
    release(p);
}

Test(dsn, a_feedback_report_is_a_complaint)
{
    static const char msg[] =
        "From: feedback@fbl.example.net\n"
        "Subject: FW: Spam report\n"
        "Content-Type: multipart/report; report-type=feedback-report; boundary=F\n"
        "\n"
        "--F\n"
        "Content-Type: text/plain\n"
        "\n"
        "This is an email abuse report.\n"
        "--F\n"
        "Content-Type: message/feedback-report\n"
        "\n"
        "Feedback-Type: abuse\n"
        "User-Agent: SomeGenerator/1.0\n"
        "Version: 1\n"
        "Original-Rcpt-To: <frank@example.net>\n"
        "--F\n"
        "Content-Type: message/rfc822\n"
        "\n"
        "From: news@example.com\n"
        "To: frank@example.net\n"
        "Subject: Offers\n"
        "\n"
        "Buy now.\n"
        "--F--\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_FEEDBACK);
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "frank@example.net");
    assert_text(p->dsn.feedback_type, "abuse");
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_COMPLAINT);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_NONE);
    cr_assert_eq(p->r[0].verdict.action, SMTPSTATUS_ACTION_SUPPRESS_RECIPIENT);
    cr_assert_str_eq(p->r[0].verdict.sisimai_reason, "feedback");
    assert_text(p->dsn.original_subject, "Offers");
    release(p);
}

Test(dsn, an_auto_reply_is_not_a_bounce)
{
    static const char msg[] =
        "From: Gina <gina@example.org>\n"
        "To: alice@example.com\n"
        "Auto-Submitted: auto-replied\n"
        "Subject: Out of office: Lunch?\n"
        "\n"
        "I am away until Monday.\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_AUTO_REPLY);
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "gina@example.org");
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_AUTO_REPLY);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_NONE);
    cr_assert_eq(p->r[0].verdict.action, SMTPSTATUS_ACTION_IGNORE);
    release(p);
}

/* Apple Mail's unsubscribe button mails the List-Unsubscribe address
 * (RFC 2369) with "X-Apple-Unsubscribe: true" and Auto-Submitted:
 * auto-replied: an unsubscribe request, not an auto-reply. */
Test(dsn, an_apple_unsubscribe_request_is_feedback)
{
    static const char msg[] =
        "From: hana@example.org\n"
        "To: opt-out-42.abc@lists.example.com\n"
        "Subject: unsubscribe\n"
        "Auto-Submitted: auto-replied\n"
        "X-Apple-Unsubscribe:  TRUE\n"
        "\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_FEEDBACK);
    cr_assert_eq(p->dsn.decoder, SMTPSTATUS_DECODER_UNSUBSCRIBE);
    cr_assert_str_eq(smtpstatus_decoder_name((int)p->dsn.decoder), "unsubscribe");
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "hana@example.org");
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_UNSUBSCRIBE_REQUEST);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_NONE);
    cr_assert_eq(p->r[0].verdict.action, SMTPSTATUS_ACTION_SUPPRESS_RECIPIENT);
    cr_assert_str_eq(p->r[0].verdict.sisimai_reason, "feedback");
    release(p);
    /* Any other value is not a request. */
    p = parse(replaced(msg, "TRUE", "false"));
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_AUTO_REPLY);
    release(p);
}

Test(dsn, an_auto_reply_with_a_null_return_path_is_still_one)
{
    /* RFC 3834 §3.1.5 asks responders for a null Return-Path, as bounces
     * have; Exchange's replies say so only in the Subject. */
    static const char msg[] =
        "Return-path: <>\n"
        "From: \"Neko, Nyaan\" <nyaan@example.org>\n"
        "To: alice@example.com\n"
        "Subject: Automatic reply: Lunch?\n"
        "X-Auto-Response-Suppress: All\n"
        "\n"
        "I'm out of the office Friday.\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_AUTO_REPLY);
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "nyaan@example.org");
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_NONE);
    release(p);
}

Test(dsn, an_ordinary_message_yields_nothing)
{
    static const char msg[] =
        "From: alice@example.com\n"
        "To: bob@example.com\n"
        "Subject: Lunch?\n"
        "Content-Type: text/plain\n"
        "\n"
        "Shall we meet at noon? Write to carol@example.net too.\n"
        "550 5.1.1 is a code I saw once.\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_ORDINARY);
    cr_assert_eq(p->n, 0);
    cr_assert_eq(p->dsn.recipient_count, 0);
    release(p);
}

Test(dsn, rfc2047_subject_is_decoded)
{
    static const char msg[] =
        "From: MAILER-DAEMON@example.org\n"
        "Subject: =?UTF-8?B?VW56dXN0ZWxsYmFy?= =?ISO-8859-1?Q?_R=FCckmeldung?=\n"
        "\n"
        "nothing\n";
    struct parsed *p = parse(msg);
    assert_text(p->dsn.subject, "Unzustellbar R\xfc" "ckmeldung");
    release(p);
}

Test(dsn, too_many_recipients_for_the_array)
{
    const char *msg = dsn_with("Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n\n"
                               "Final-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.1.1\n\n"
                               "Final-Recipient: rfc822; c@example.org\nAction: failed\nStatus: 5.1.1\n");
    struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
    struct smtpstatus_dsn_recipient one = SMTPSTATUS_DSN_RECIPIENT_INIT;
    size_t n = 1, len = strlen(msg);
    char *scratch = malloc(len);

    cr_assert_eq(smtpstatus_parse_dsn(msg, len, 0, &dsn, &one, &n, scratch, len),
                 SMTPSTATUS_E_TOO_MANY);
    cr_assert_eq(n, 1);
    cr_assert_eq(dsn.recipient_count, 3);
    cr_assert(text_is(&one.recipient, "a@example.org"));
    /* No array at all: count only. */
    n = 0;
    cr_assert_eq(smtpstatus_parse_dsn(msg, len, 0, &dsn, NULL, &n, scratch, len),
                 SMTPSTATUS_E_TOO_MANY);
    cr_assert_eq(dsn.recipient_count, 3);
    free(scratch);
}

Test(dsn, too_little_scratch_says_how_much)
{
    static const char msg[] =
        "From: MAILER-DAEMON@example.org\n"
        "Subject: failure\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=Z\n"
        "\n"
        "--Z\n"
        "Content-Type: message/delivery-status\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "RmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGFAZXhhbXBsZS5vcmcKQWN0aW9uOiBmYWlsZWQKU3Rh\n"
        "dHVzOiA1LjEuMQo=\n"
        "--Z--\n";
    struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
    struct smtpstatus_dsn_recipient r[2];
    size_t n = 2;
    char small[8];

    r[0].size = sizeof r[0];
    cr_assert_eq(smtpstatus_parse_dsn(msg, sizeof msg - 1, 0, &dsn, r, &n, small, sizeof small),
                 SMTPSTATUS_E_NO_SPACE);
    cr_assert_gt(dsn.scratch_used, sizeof small);
    char *enough = malloc(dsn.scratch_used);
    size_t need = dsn.scratch_used;
    n = 2;
    cr_assert_eq(smtpstatus_parse_dsn(msg, sizeof msg - 1, 0, &dsn, r, &n, enough, need),
                 SMTPSTATUS_OK);
    cr_assert_eq(n, 1);
    cr_assert(text_is(&r[0].recipient, "a@example.org"));
    free(enough);
}

Test(dsn, the_stride_is_the_callers_struct_size)
{
    /* A program built against a newer, larger struct: the library writes
     * at that stride and leaves the extra bytes alone. */
    const char *msg = dsn_with("Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n\n"
                               "Final-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.2.2\n");
    size_t stride = sizeof(struct smtpstatus_dsn_recipient) + 64, n = 2, len = strlen(msg);
    unsigned char *mem = malloc(stride * 2);
    struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
    char *scratch = malloc(len);

    memset(mem, 0xA5, stride * 2);
    ((struct smtpstatus_dsn_recipient *)mem)->size = stride;
    cr_assert_eq(smtpstatus_parse_dsn(msg, len, 0, &dsn, (struct smtpstatus_dsn_recipient *)mem,
                                      &n, scratch, len),
                 SMTPSTATUS_OK);
    cr_assert_eq(n, 2);
    const struct smtpstatus_dsn_recipient *second = (const void *)(mem + stride);
    cr_assert(text_is(&second->recipient, "b@example.org"));
    for (size_t i = sizeof(struct smtpstatus_dsn_recipient); i < stride; i++)
        cr_assert_eq(mem[i], 0xA5, "byte %zu of the first element's tail", i);
    free(mem);
    free(scratch);
}

Test(dsn, bad_arguments)
{
    struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
    struct smtpstatus_dsn_recipient r = SMTPSTATUS_DSN_RECIPIENT_INIT;
    size_t n = 1;
    char s[4];

    cr_assert_eq(smtpstatus_parse_dsn("x", 1, 0, NULL, &r, &n, s, 4), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_parse_dsn("x", 1, 1, &dsn, &r, &n, s, 4), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_parse_dsn("x", 1, 0, &dsn, NULL, &n, s, 4), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_parse_dsn("x", 1, 0, &dsn, &r, NULL, s, 4), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_parse_dsn(NULL, 1, 0, &dsn, &r, &n, s, 4), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_parse_dsn("x", 1, 0, &dsn, &r, &n, NULL, 4), SMTPSTATUS_E_INVALID_ARG);
    r.size = 8;
    cr_assert_eq(smtpstatus_parse_dsn("x", 1, 0, &dsn, &r, &n, s, 4), SMTPSTATUS_E_STRUCT_SIZE);
    r.size = sizeof r;
    dsn.size = 8;
    cr_assert_eq(smtpstatus_parse_dsn("x", 1, 0, &dsn, &r, &n, s, 4), SMTPSTATUS_E_STRUCT_SIZE);
    dsn.size = sizeof dsn;
    cr_assert_eq(smtpstatus_parse_dsn("", 0, 0, &dsn, &r, &n, NULL, 0), SMTPSTATUS_OK);
    cr_assert_eq(n, 0);
}

Test(dsn, broken_and_hostile_structure)
{
    /* Unclosed boundaries, a boundary that never appears, nesting past the
     * limit, a header that never ends: each parses, nothing crashes. */
    char deep[8192];
    size_t at = 0;
    at += (size_t)snprintf(deep + at, sizeof deep - at, "From: MAILER-DAEMON@example.org\n");
    for (int i = 0; i < 40; i++)
        at += (size_t)snprintf(deep + at, sizeof deep - at,
                               "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i);
    at += (size_t)snprintf(deep + at, sizeof deep - at,
                           "Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; x@example.org\n"
                           "Action: failed\nStatus: 5.1.1\n");
    struct parsed *p = parse(deep);
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->n, 0, "parts deeper than SMTPSTATUS_DSN_MIME_DEPTH_MAX are not read");
    release(p);

    static const char *const broken[] = {
        "Content-Type: multipart/report; boundary=\"",
        ("Content-Type: multipart/report; boundary=Q\n\n--Q\nContent-Type: message/delivery-status\n\n"
         "Final-Recipient: rfc822; y@example.org\nAction: failed\nStatus: 5.1"),
        "Subject: =?utf-8?B?",
        "Subject: =?utf-8?Q?=",
        "From: MAILER-DAEMON\n\n<@>:\n<a@>:\n<@b.c>:\n",
        "Content-Type: multipart/mixed; boundary=\"\"\n\n----\n",
        "\n\n\n",
        "Content-Transfer-Encoding: base64\nFrom: MAILER-DAEMON@x.org\n\n====\n",
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        p = parse(broken[i]);
        cr_assert(p->rc == SMTPSTATUS_OK, "case %zu: %s", i, smtpstatus_result_name(p->rc));
        release(p);
    }
    p = parse(broken[1]);
    cr_assert_eq(p->n, 1, "an unclosed part still counts");
    release(p);
}

Test(dsn, names)
{
    cr_assert_str_eq(smtpstatus_decoder_name(SMTPSTATUS_DECODER_QMAIL), "qmail");
    cr_assert_str_eq(smtpstatus_decoder_name(-1), "none");
    cr_assert_str_eq(smtpstatus_decoder_name(999), "none");
    cr_assert_str_eq(smtpstatus_message_kind_name(SMTPSTATUS_MESSAGE_FEEDBACK), "feedback");
    cr_assert_str_eq(smtpstatus_message_kind_name(42), "unknown");
    cr_assert_str_eq(smtpstatus_dsn_action_name(SMTPSTATUS_DSN_ACTION_EXPANDED), "expanded");
    cr_assert_str_eq(smtpstatus_dsn_action_name(42), "none");
}

Test(dsn, an_x_unix_exit_status_is_not_a_reply)
{
    /* "X-Unix; 255" is a delivery program's exit status: were it read as
     * a reply, 255 would be a success. */
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0\n"
                                      "Diagnostic-Code: X-Unix; 255\n"));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].reply_code, 0);
    cr_assert_eq(p->r[0].verdict.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_SYSTEM_ERROR);
    cr_assert_str_eq(p->r[0].verdict.sisimai_reason, "mailererror");
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_SOFT);
    release(p);
}

Test(dsn, the_remote_code_of_the_same_class_names_the_cause)
{
    /* Sendmail's Status 5.1.1 over the server's "552 5.2.2 Over quota":
     * a full mailbox, not an unknown user. Both stay visible. */
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: failed\n"
                                      "Status: 5.1.1\n"
                                      "Diagnostic-Code: smtp; 552 5.2.2 Over quota\n"));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].status.subject, 1); /* the field as written */
    cr_assert_eq(p->r[0].verdict.enhanced.subject, 2);
    cr_assert_eq(p->r[0].verdict.enhanced.detail, 2);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    cr_assert(p->r[0].flags & SMTPSTATUS_DSN_STATUS_MISMATCH);
    release(p);
}

Test(dsn, a_status_of_another_class_stays_the_outcome)
{
    /* The MTA gave up (5.x.x) after a 4xx reply: the Status decides. */
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: failed\n"
                                      "Status: 5.4.7\n"
                                      "Diagnostic-Code: smtp; 451 4.3.0 Temporary lookup failure\n"));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].verdict.enhanced.cls, 5);
    cr_assert_eq(p->r[0].verdict.enhanced.detail, 7);
    release(p);
}

Test(dsn, fields_ahead_of_final_recipient_belong_to_it)
{
    /* Some gateways write a recipient's block recipient-last, others start
     * it with Action; a blank line still separates recipients. */
    struct parsed *p = parse(dsn_with("Diagnostic-Code: smtp; 550 5.1.1 No such user\n"
                                      "Status: 5.1.1\n"
                                      "Action: failed\n"
                                      "Final-Recipient: rfc822; a@example.org\n"
                                      "\n"
                                      "Action: failed\n"
                                      "Final-Recipient: rfc822; b@example.org\n"
                                      "Original-Recipient: rfc822; b@example.org\n"
                                      "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"
                                      "Status: 5.2.2\n"));
    cr_assert_eq(p->n, 2);
    assert_text(p->r[0].recipient, "a@example.org");
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_FAILED);
    cr_assert_eq(p->r[0].reply_code, 550);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    assert_text(p->r[1].recipient, "b@example.org");
    cr_assert_eq(p->r[1].action, SMTPSTATUS_DSN_ACTION_FAILED);
    cr_assert_eq(p->r[1].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    release(p);
}

Test(dsn, a_blank_line_inside_a_recipients_fields_does_not_split_it)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.org\n"
                                      "Action: failed\n"
                                      "\n"
                                      "Status: 5.2.2\n"
                                      "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].status.subject, 2);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    release(p);
}

Test(dsn, white_space_before_a_fields_colon)
{
    /* RFC 5322 §4.5.3: obsolete but still written (Mimecast). */
    struct parsed *p = parse(dsn_with("Action : failed\n"
                                      "Status : 5.0.0\n"
                                      "Diagnostic-Code : smtp;550 5.7.54 Unable to relay recipient\n"
                                      "Original-Recipient : rfc/822;bob@example.net\n"
                                      "Remote-MTA : example.net\n"
                                      "Final-Recipient : rfc/822;bob@example.net\n"));
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "bob@example.net");
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_FAILED);
    cr_assert_eq(p->r[0].reply_code, 550);
    cr_assert_eq(p->r[0].verdict.enhanced.detail, 54);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_RELAY_DENIED);
    release(p);
}

Test(dsn, an_indented_delimiter_still_delimits)
{
    /* RFC 3464's own example, as pasted from the RFC: the delimiter before
     * the delivery-status part is indented; its Status comment is the only
     * diagnostic of the delayed recipient. */
    struct parsed *p = parse("From: MAILER-DAEMON@example.org\n"
                             "Content-Type: multipart/report; report-type=delivery-status;\n"
                             "       boundary=\"B/example.org\"\n"
                             "\n"
                             "--B/example.org\n"
                             "content-type: text/plain; charset=us-ascii\n"
                             "\n"
                             "<a@example.com> (unrecoverable error)\n"
                             "\n"
                             " --B/example.org\n"
                             "content-type: message/delivery-status\n"
                             "\n"
                             "Reporting-MTA: dns; mx.example.org\n"
                             "\n"
                             "Final-Recipient: rfc822;a@example.com\n"
                             "Action: failed\n"
                             "Status: 5.0.0\n"
                             "Diagnostic-Code: smtp; 550 user unknown\n"
                             "Final-Recipient: rfc822;b@example.net\n"
                             "Action: delayed\n"
                             "Status: 4.0.0 (example.net: host name lookup failure)\n"
                             "--B/example.org--\n");
    cr_assert_eq(p->n, 2);
    cr_assert_eq(p->dsn.decoder, SMTPSTATUS_DECODER_RFC3464);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    assert_text(p->r[1].recipient, "b@example.net");
    cr_assert_eq(p->r[1].action, SMTPSTATUS_DSN_ACTION_DELAYED);
    cr_assert_eq(p->r[1].verdict.reason, SMTPSTATUS_REASON_DNS_FAILURE);
    cr_assert_eq(p->r[1].diagnostic.len, 0);
    release(p);
}

Test(dsn, a_microsoft_jmrp_complaint_is_feedback)
{
    /* Microsoft's complaint loop predates ARF: no feedback-report part;
     * the complainer is in a header of the attached message. */
    struct parsed *p = parse("From: staff@hotmail.com\n"
                             "Subject: complaint about message from 192.0.2.222\n"
                             "To: abuse@example.org\n"
                             "Content-Type: multipart/mixed; boundary=\"B\"\n"
                             "\n"
                             "--B\n"
                             "Content-Type: message/rfc822\n"
                             "\n"
                             "X-HmXmrOriginalRecipient: <carol@example.com>\n"
                             "From: news@example.org\n"
                             "To: list@example.org\n"
                             "Subject: Offers\n"
                             "\n"
                             "Hello\n"
                             "--B--\n");
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_FEEDBACK);
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "carol@example.com");
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_COMPLAINT);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_NONE);
    release(p);
}

Test(dsn, an_auto_reply_says_so_louder_than_an_address_in_its_text)
{
    /* Null Return-Path and RFC 3834 Auto-Submitted, nothing else of a
     * bounce: an address in the text does not make it one. */
    static const char msg[] =
        "Return-Path: <>\n"
        "From: <foo@example.net>\n"
        "To: postmaster@example.com\n"
        "Subject: Re: your mail\n"
        "Auto-Submitted: auto-replied\n"
        "\n"
        "Ich bin bis Montag nicht im Haus.\n"
        "karl@example.de\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_AUTO_REPLY);
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "foo@example.net");
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_AUTO_REPLY);
    release(p);
}

Test(dsn, an_iso_2022_jp_diagnostic_is_read_in_japanese)
{
    /* "550 <a@example.jp>: ユーザが存在しません" (no such user) in
     * ISO-2022-JP, as Japanese carriers send it; the evidence spans would
     * point into a converted copy, so there are none. */
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.jp\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0\n"
                                      "Diagnostic-Code: smtp; 550 <a@example.jp>: "
                                      "\x1b$B%f!<%6$,B8:_$7$^$;$s\x1b(B\n"));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].reply_code, 550);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_HARD);
    cr_assert(p->r[0].verdict.evidence_count > 0);
    cr_assert_eq(p->r[0].verdict.evidence[0].span.len, 0);
    /* The diagnostic itself stays as it came. */
    cr_assert(memchr(p->r[0].diagnostic.ptr, 0x1B, p->r[0].diagnostic.len) != NULL);
    release(p);
}

Test(dsn, broken_iso_2022_jp_never_fails)
{
    /* A lone escape, a byte pair cut off at the end, half-width katakana
     * (ESC ( I), unassigned codes: converted as far as they go. */
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; a@example.jp\n"
                                      "Action: failed\n"
                                      "Status: 5.2.2\n"
                                      "Diagnostic-Code: smtp; 552 \x1b$B\x7e\x7e\x1b(I\x21\x5f\x7e"
                                      "\x1b$@%\x1b\n"));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].reply_code, 552);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    release(p);
}

/* RFC 3464 has no field for the SMTP command; Postfix names it in the text
 * for people, per recipient. A recipient accepted at RCPT TO and called
 * unknown after the message was sent was refused by a filter. */
static const char postfix_stages[] =
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"S1\"\n"
    "\n"
    "--S1\n"
    "Content-Type: text/plain\n"
    "\n"
    "<ann@example.net>: host mx.example.net[192.0.2.1] said: 550 Unknown user\n"
    "    ann@example.net (in\n"
    "    reply to RCPT TO command)\n"
    "\n"
    "<ben@example.net>: host mx.example.net[192.0.2.1] said: 550 Unknown user\n"
    "    ben@example.net (in reply to end of DATA\n"
    "    command)\n"
    "\n"
    "--S1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Final-Recipient: rfc822; ann@example.net\n"
    "Action: failed\n"
    "Status: 5.0.0\n"
    "Diagnostic-Code: smtp; 550 Unknown user ann@example.net\n"
    "\n"
    "Final-Recipient: rfc822; Ben@Example.NET\n"
    "Action: failed\n"
    "Status: 5.0.0\n"
    "Diagnostic-Code: smtp; 550 Unknown user ben@example.net\n"
    "\n"
    "--S1--\n";

Test(dsn, stage_from_the_text_for_people)
{
    struct parsed *p = parse(postfix_stages);

    cr_assert_eq(p->rc, SMTPSTATUS_OK, "%s", smtpstatus_result_name(p->rc));
    cr_assert_eq(p->n, 2);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_HARD);
    /* Matched by address, whatever its case. */
    cr_assert_eq(p->r[1].stage, SMTPSTATUS_STAGE_END_OF_DATA);
    cr_assert_eq(p->r[1].verdict.reason, SMTPSTATUS_REASON_FILTERED);
    cr_assert_eq(p->r[1].verdict.bounce, SMTPSTATUS_BOUNCE_SOFT);
    cr_assert_eq(p->r[1].verdict.action, SMTPSTATUS_ACTION_STOP);
    cr_assert_str_eq(p->r[1].verdict.sisimai_reason, "filtered");
    release(p);
}

/* Sendmail copies the session: the first refusal after ">>> DATA" answers
 * it; the "503" that follows is the session unwinding. A stage without an
 * address holds for every recipient when it is the only one named. */
static const char sendmail_transcript[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
    "Subject: Returned mail: see transcript for details\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"T1\"\n"
    "\n"
    "--T1\n"
    "\n"
    "   ----- Transcript of session follows -----\n"
    "... while talking to mx.example.net.:\n"
    ">>> DATA\n"
    "<<< 550 Unknown user cat@example.net\n"
    "554 5.0.0 Service unavailable\n"
    "<<< 503 Need RCPT (recipient)\n"
    "\n"
    "--T1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Final-Recipient: RFC822; cat@example.net\n"
    "Action: failed\n"
    "Status: 5.2.0\n"
    "Diagnostic-Code: SMTP; 550 Unknown user cat@example.net\n"
    "\n"
    "--T1--\n";

Test(dsn, stage_from_a_session_transcript)
{
    struct parsed *p = parse(sendmail_transcript);

    cr_assert_eq(p->rc, SMTPSTATUS_OK, "%s", smtpstatus_result_name(p->rc));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_DATA);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_FILTERED);
    release(p);
}

/* With PIPELINING (RFC 2920) the refusal of RCPT TO can follow ">>> DATA";
 * its X.1.1 code says the address is bad, whatever the transcript's order. */
Test(dsn, an_addressing_code_after_data_stays_an_unknown_user)
{
    struct parsed *p = parse(replaced(sendmail_transcript,
                                      "Diagnostic-Code: SMTP; 550 Unknown user cat@example.net\n",
                                      "Diagnostic-Code: SMTP; 550 5.1.1 Unknown user cat@example.net\n"));

    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_DATA);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_HARD);
    release(p);
}

/* No Diagnostic-Code: Exim reports a local delivery with a bare Status and
 * writes the reason for people; the text decoders lend their reading. */
static const char exim_local[] =
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "Subject: Mail delivery failed: returning message to sender\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"E1\"\n"
    "\n"
    "--E1\n"
    "Content-type: text/plain; charset=us-ascii\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n"
    "\n"
    "  dora@example.org\n"
    "    mailbox is full: retry timeout exceeded\n"
    "\n"
    "--E1\n"
    "Content-type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "\n"
    "Action: failed\n"
    "Final-Recipient: rfc822;dora@example.org\n"
    "Status: 5.0.0\n"
    "\n"
    "--E1--\n";

Test(dsn, words_from_the_text_when_there_is_no_diagnostic)
{
    struct parsed *p = parse(exim_local);

    cr_assert_eq(p->rc, SMTPSTATUS_OK, "%s", smtpstatus_result_name(p->rc));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->dsn.decoder, SMTPSTATUS_DECODER_RFC3464);
    cr_assert_eq(p->r[0].decoder, SMTPSTATUS_DECODER_RFC3464);
    cr_assert_eq(p->r[0].diagnostic.len, 0);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_SOFT);
    /* The words are not in `diagnostic`, so the spans are empty. */
    for (uint32_t i = 0; i < p->r[0].verdict.evidence_count; i++)
        cr_assert_eq(p->r[0].verdict.evidence[i].span.len, 0);
    release(p);
}

/* A diagnostic of its own is never replaced by the text's. */
Test(dsn, a_diagnostic_of_its_own_is_kept)
{
    struct parsed *p = parse(replaced(exim_local, "Status: 5.0.0\n",
                                      "Status: 5.0.0\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n"));

    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    release(p);
}

/* A queue that ran out of time on a DNS failure names that failure; one
 * that could not connect has simply expired (RFC 3464 §2.3.3). */
Test(dsn, a_failed_transient_dns_failure_is_named)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; gus@example.net\n"
                                      "Action: failed\n"
                                      "Status: 4.4.7\n"
                                      "Diagnostic-Code: X-Postfix; Host or domain name not found. Name\n"
                                      "    service error for name=example.net type=MX: Host not found, try again\n"
                                      "\n"
                                      "Final-Recipient: rfc822; hal@example.org\n"
                                      "Action: failed\n"
                                      "Status: 4.4.7\n"
                                      "Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.7]:25:\n"
                                      "    Connection timed out\n"));
    cr_assert_eq(p->n, 2);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_DNS_FAILURE);
    cr_assert_eq(p->r[0].verdict.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    cr_assert_eq(p->r[0].verdict.bounce, SMTPSTATUS_BOUNCE_SOFT);
    cr_assert_eq(p->r[1].verdict.reason, SMTPSTATUS_REASON_EXPIRED);
    release(p);
}

/* A registered code that names its cause (X.4.6, a routing loop) is a
 * named cause too, Diagnostic-Code or not; a generic one (X.4.7, X.0.0)
 * is not. A connection refused is what expiry usually means, even when
 * the reporting MTA gave up with a 5.x.x of its own (Microsoft's
 * "5.4.316 Message expired, connection refused"). */
Test(dsn, a_specific_code_names_the_cause_of_a_failure)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; lou@example.net\n"
                                      "Action: failed\n"
                                      "Status: 4.4.6\n"
                                      "\n"
                                      "Final-Recipient: rfc822; max@example.org\n"
                                      "Action: failed\n"
                                      "Status: 5.4.316\n"
                                      "Diagnostic-Code: smtp; 550 5.4.316 Message expired, connection refused\n"
                                      "\n"
                                      "Final-Recipient: rfc822; ned@example.org\n"
                                      "Action: failed\n"
                                      "Status: 4.0.0\n"));
    cr_assert_eq(p->n, 3);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_ROUTING_ERROR);
    cr_assert_eq(p->r[0].verdict.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    cr_assert_str_eq(p->r[0].verdict.sisimai_reason, "networkerror");
    cr_assert_eq(p->r[1].verdict.reason, SMTPSTATUS_REASON_EXPIRED);
    cr_assert_eq(p->r[1].verdict.bounce, SMTPSTATUS_BOUNCE_SOFT);
    cr_assert_eq(p->r[2].verdict.reason, SMTPSTATUS_REASON_EXPIRED);
    /* Still delayed: the cause, not an expiry. */
    release(p);
    p = parse(dsn_with("Final-Recipient: rfc822; max@example.org\n"
                       "Action: delayed\n"
                       "Status: 4.4.316\n"
                       "Diagnostic-Code: smtp; 451 4.4.316 Connection refused\n"));
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_CONNECTION_FAILURE);
    cr_assert_eq(p->r[0].verdict.outcome, SMTPSTATUS_OUTCOME_TRANSIENT);
    release(p);
}

/* A Status of X.0.0 gives only the class; the diagnostic's own code of
 * that class says more, even ahead of the reply (Amazon SES's layout). A
 * code of another class, or one in an X-Unix exit status, does not. */
Test(dsn, a_generic_status_takes_the_diagnostic_code)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; olga@example.jp\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0 (permanent failure)\n"
                                      "Diagnostic-Code: smtp; 5.3.0 - Other mail system problem 550-'Unknown\n"
                                      "    user olga@example.jp' (delivery attempts: 0)\n"
                                      "\n"
                                      "Final-Recipient: rfc822; pia@example.jp\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0\n"
                                      "Diagnostic-Code: smtp; 4.2.2 - over quota, 550 rejected\n"));
    cr_assert_eq(p->n, 2);
    cr_assert_eq(p->r[0].reply_code, 550);
    cr_assert(p->r[0].verdict.has_enhanced);
    cr_assert_eq(p->r[0].verdict.enhanced.subject, 3);
    cr_assert_eq(p->r[0].verdict.enhanced.detail, 0);
    cr_assert_eq(p->r[0].status.subject, 0, "the Status field itself is kept as it was");
    cr_assert_eq(p->r[1].verdict.enhanced.cls, 5);
    cr_assert_eq(p->r[1].verdict.enhanced.subject, 0);
    release(p);
}

/* A reply code behind a label ("ResponseCode 421", "error code 550") is
 * the reply code when no reply starts the diagnostic; numbers that are
 * not a lone reply code (an address, a four-digit figure) are not. */
Test(dsn, a_labelled_reply_code_is_read)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; quin@example.jp\n"
                                      "Action: delayed\n"
                                      "Status: 4.0.0\n"
                                      "Diagnostic-Code: smtp; ResponseCode 421, , Host not reachable.\n"
                                      "\n"
                                      "Final-Recipient: rfc822; rosa@example.jp\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0\n"
                                      "Diagnostic-Code: smtp; Remote server returned error code 550:\n"
                                      "    mailbox unavailable\n"
                                      "\n"
                                      "Final-Recipient: rfc822; sam@example.jp\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0\n"
                                      "Diagnostic-Code: smtp; error code 5501 from 250.1.2.3\n"
                                      "\n"
                                      "Final-Recipient: rfc822; tom@example.jp\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0\n"
                                      "Diagnostic-Code: X-Unix; error code 255\n"));
    cr_assert_eq(p->n, 4);
    cr_assert_eq(p->r[0].reply_code, 421);
    cr_assert_eq(p->r[1].reply_code, 550);
    cr_assert_eq(p->r[2].reply_code, 0);
    cr_assert_eq(p->r[3].reply_code, 0);
    release(p);
}

/* Exim's Final-Recipient for a delivery to a pipe is the pipe; the
 * address the sender wrote is the one in X-Failed-Recipients. */
Test(dsn, a_pipe_recipient_is_named_by_x_failed_recipients)
{
    static const char msg[] =
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
        "To: alice@example.com\n"
        "Subject: Mail delivery failed: returning message to sender\n"
        "X-Failed-Recipients: uma@example.org\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"E\"\n"
        "\n"
        "--E\n"
        "Content-Type: text/plain\n"
        "\n"
        "  pipe to |/usr/local/bin/filter uma@example.org\n"
        "    generated by uma@example.org\n"
        "--E\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.example.org\n"
        "\n"
        "Action: failed\n"
        "Final-Recipient: rfc822;|/usr/local/bin/filter uma@example.org\n"
        "Status: 5.0.0\n"
        "--E--\n";
    struct parsed *p = parse(msg);
    cr_assert_eq(p->n, 1);
    assert_text(p->r[0].recipient, "uma@example.org");
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_SYSTEM_ERROR, "still a program's failure");
    release(p);
    /* Two addresses there: which one led to the pipe is unknown. */
    p = parse(replaced(msg, "X-Failed-Recipients: uma@example.org\n",
                       "X-Failed-Recipients: uma@example.org, vic@example.org\n"));
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->r[0].recipient.ptr[0], '|');
    release(p);
}

/* A delivery to a program (an X-Unix diagnostic, or a recipient that is a
 * pipe) failed on the receiving system: its Status is the MTA's reading of
 * an exit code, not a server's word, and a delay is not an expiry. */
Test(dsn, a_failed_delivery_program_is_a_system_error)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; ivy@example.org\n"
                                      "Action: delayed\n"
                                      "Status: 4.5.0\n"
                                      "Diagnostic-Code: X-Unix; 71\n"
                                      "\n"
                                      "Final-Recipient: rfc822; |/usr/local/bin/autoresponder ivy\n"
                                      "Action: failed\n"
                                      "Status: 5.0.0\n"));
    cr_assert_eq(p->n, 2);
    cr_assert_eq(p->r[0].reply_code, 0);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_SYSTEM_ERROR);
    cr_assert_eq(p->r[0].verdict.outcome, SMTPSTATUS_OUTCOME_TRANSIENT);
    cr_assert_str_eq(p->r[0].verdict.sisimai_reason, "mailererror");
    cr_assert_eq(p->r[1].verdict.reason, SMTPSTATUS_REASON_SYSTEM_ERROR);
    cr_assert_str_eq(p->r[1].verdict.sisimai_reason, "mailererror");
    release(p);
}

/* A phrase folded over lines reads as one; its evidence span points at
 * the folded bytes of `diagnostic`. */
Test(dsn, a_phrase_across_a_fold)
{
    struct parsed *p = parse(dsn_with("Final-Recipient: rfc822; jo@example.org\n"
                                      "Action: failed\n"
                                      "Status: 5.7.1\n"
                                      "Diagnostic-Code: smtp; 550 5.7.1 can't determine Purported\n"
                                      "      Responsible Address\n"));
    const struct smtpstatus_verdict *v;
    const char *d;
    int seen = 0;

    cr_assert_eq(p->n, 1);
    v = &p->r[0].verdict;
    d = p->r[0].diagnostic.ptr;
    cr_assert_eq(v->reason, SMTPSTATUS_REASON_SENDER_REJECTED);
    for (uint32_t i = 0; i < v->evidence_count; i++) {
        const struct smtpstatus_span *sp = &v->evidence[i].span;
        cr_assert_leq(sp->off + sp->len, p->r[0].diagnostic.len);
        if (v->evidence[i].kind == SMTPSTATUS_EVIDENCE_TEXT) {
            cr_assert_eq(sp->len, strlen("Purported\n      Responsible Address"));
            cr_assert_eq(memcmp(d + sp->off, "Purported\n      Responsible Address", sp->len), 0);
            seen = 1;
        }
    }
    cr_assert(seen);
    release(p);
}

/* The reason first, then the address, one recipient a line; a header line
 * of the returned message ("To: <...>") is never taken for one. */
Test(dsn, reason_then_address_lines)
{
    struct parsed *p = parse("From: MAILER-DAEMON@mx.example.org\n"
                             "Subject: Returned mail: Lunch\n"
                             "\n"
                             "User's mailbox is full: <kim@example.jp>\n"
                             "Unable to deliver mail.\n"
                             "\n"
                             "No such user here: <lou@example.jp>\n"
                             "\n"
                             "To: <max@example.jp>\n");

    cr_assert_eq(p->rc, SMTPSTATUS_OK, "%s", smtpstatus_result_name(p->rc));
    cr_assert_eq(p->n, 2);
    cr_assert_eq(p->dsn.decoder, SMTPSTATUS_DECODER_GENERIC);
    assert_text(p->r[0].recipient, "kim@example.jp");
    assert_text(p->r[0].diagnostic, "User's mailbox is full: <kim@example.jp>\nUnable to deliver mail.");
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    assert_text(p->r[1].recipient, "lou@example.jp");
    cr_assert_eq(p->r[1].verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    release(p);
}
