/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The MTA text decoders (lib/dsn/decode-{postfix,exim,qmail,sendmail,
 * courier,opensmtpd}.c): bounces without a delivery-status part, written
 * here in each MTA's layout (synthetic, example.* domains and 192.0.2.x
 * addresses), read through smtpstatus_parse_dsn().
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

#include "dsn-helpers.h"

static void assert_status(const struct smtpstatus_dsn_recipient *r, unsigned cls, unsigned subject,
                          unsigned detail)
{
    cr_assert(r->has_status, "no status");
    cr_assert_eq(r->status.cls, cls);
    cr_assert_eq(r->status.subject, subject);
    cr_assert_eq(r->status.detail, detail);
}

/* What every recipient of a text decoder has. */
static void assert_common(const struct parsed *p, unsigned decoder, size_t n)
{
    cr_assert_eq(p->rc, SMTPSTATUS_OK, "rc %d", p->rc);
    cr_assert_eq(p->n, n, "%zu recipients, want %zu", p->n, n);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_BOUNCE);
    cr_assert_eq(p->dsn.decoder, decoder, "decoder %s",
                 smtpstatus_decoder_name((int)p->dsn.decoder));
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(p->r[i].decoder, decoder);
        cr_assert(p->r[i].flags & SMTPSTATUS_DSN_FROM_TEXT);
    }
}

/* ------------------------------------------------------------------ */
/* Postfix                                                             */
/* ------------------------------------------------------------------ */

static const char postfix_two[] =
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
    "To: alice@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"PF1\"\n"
    "\n"
    "This is a MIME-encapsulated message.\n"
    "\n"
    "--PF1\n"
    "Content-Description: Notification\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "This is the mail system at host mx.example.org.\n"
    "\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients. It's attached below.\n"
    "\n"
    "For further assistance, please send mail to <postmaster@example.org>\n"
    "\n"
    "If you do so, please include this problem report. You can\n"
    "delete your own text from the attached returned message.\n"
    "\n"
    "                   The mail system\n"
    "\n"
    "<bob@example.com>: host mx1.example.com[192.0.2.10] said: 550 5.1.1\n"
    "    <bob@example.com>: Recipient address rejected: User unknown in local\n"
    "    recipient table (in reply to RCPT TO command)\n"
    "\n"
    "<carol@example.net> (expanded from\n"
    "    <staff@example.org>): host mx.example.net[192.0.2.20] said: 552 5.2.2\n"
    "    Mailbox full (in reply to end of DATA command)\n"
    "\n"
    "--PF1\n"
    "Content-Description: Undelivered Message\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: alice@example.org\n"
    "To: bob@example.com, staff@example.org\n"
    "Subject: hello\n"
    "\n"
    "Hi.\n"
    "--PF1--\n";

static void check_postfix_two(const struct parsed *p)
{
    assert_common(p, SMTPSTATUS_DECODER_POSTFIX, 2);
    assert_text(p->r[0].recipient, "bob@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    assert_status(&p->r[0], 5, 1, 1);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    assert_text(p->r[0].remote_mta, "mx1.example.com");
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_FAILED);
    assert_has(p->r[0].diagnostic, "User unknown");

    assert_text(p->r[1].recipient, "carol@example.net");
    assert_text(p->r[1].original_recipient, "staff@example.org");
    cr_assert_eq(p->r[1].reply_code, 552);
    assert_status(&p->r[1], 5, 2, 2);
    cr_assert_eq(p->r[1].stage, SMTPSTATUS_STAGE_END_OF_DATA);
    assert_text(p->r[1].remote_mta, "mx.example.net");
}

Test(decoders_mta, postfix_two_recipients)
{
    struct parsed *p = parse(postfix_two);
    check_postfix_two(p);
    release(p);
}

Test(decoders_mta, postfix_crlf)
{
    struct parsed *p = parse_eol(postfix_two, "\r\n");
    check_postfix_two(p);
    cr_assert(memchr(p->r[0].diagnostic.ptr, '\r', p->r[0].diagnostic.len) == NULL ||
              p->r[0].diagnostic.ptr[p->r[0].diagnostic.len - 1] != '\r');
    release(p);
}

static const char postfix_local[] =
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
    "To: alice@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "\n"
    "This is the Postfix program at host mx.example.org.\n"
    "\n"
    "I'm sorry to have to inform you that the message returned\n"
    "below could not be delivered to one or more destinations.\n"
    "\n"
    "\t\t\tThe Postfix program\n"
    "\n"
    "<dave@example.org>: unknown user: \"dave\"\n"
    "\n"
    "<erin@example.com>: host mx.example.com[192.0.2.30] refused to talk to me:\n"
    "    554 5.7.1 Service unavailable; client blocked\n";

Test(decoders_mta, postfix_old_template_local_and_greeting)
{
    struct parsed *p = parse(postfix_local);
    assert_common(p, SMTPSTATUS_DECODER_POSTFIX, 2);
    assert_text(p->r[0].recipient, "dave@example.org");
    assert_text(p->r[0].diagnostic, "unknown user: \"dave\"");
    cr_assert_eq(p->r[0].reply_code, 0);
    assert_text(p->r[1].recipient, "erin@example.com");
    cr_assert_eq(p->r[1].reply_code, 554);
    assert_status(&p->r[1], 5, 7, 1);
    cr_assert_eq(p->r[1].stage, SMTPSTATUS_STAGE_CONNECT);
    assert_text(p->r[1].remote_mta, "mx.example.com");
    release(p);
}

static const char postfix_delayed[] =
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
    "To: alice@example.org\n"
    "Subject: Delayed Mail (still being retried)\n"
    "\n"
    "This is the mail system at host mx.example.org.\n"
    "\n"
    "####################################################################\n"
    "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
    "####################################################################\n"
    "\n"
    "Your message could not be delivered for more than 4 hour(s).\n"
    "It will be retried until it is 5 day(s) old.\n"
    "\n"
    "                   The mail system\n"
    "\n"
    "<frank@example.com>: host mx.example.com[192.0.2.40] said: 451 4.7.1\n"
    "    Greylisted, please try again later (in reply to RCPT TO command)\n";

Test(decoders_mta, postfix_delayed)
{
    struct parsed *p = parse(postfix_delayed);
    assert_common(p, SMTPSTATUS_DECODER_POSTFIX, 1);
    assert_text(p->r[0].recipient, "frank@example.com");
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_DELAYED);
    cr_assert_eq(p->r[0].reply_code, 451);
    assert_status(&p->r[0], 4, 7, 1);
    release(p);
}

static const char postfix_smtpd[] =
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
    "To: postmaster@example.org (Postmaster)\n"
    "Subject: Postfix SMTP server: errors from client.example.net[192.0.2.50]\n"
    "\n"
    "Transcript of session follows.\n"
    "\n"
    " Out: 220 mx.example.org ESMTP\n"
    " In:  EHLO client.example.net\n"
    " Out: 250-mx.example.org\n"
    " Out: 250 8BITMIME\n"
    " In:  MAIL FROM:<sender@example.net>\n"
    " Out: 250 2.1.0 Ok\n"
    " In:  RCPT TO:<gina@example.org>\n"
    " Out: 250 2.1.5 Ok\n"
    " In:  RCPT TO:<hank@example.org>\n"
    " Out: 550 5.1.1 <hank@example.org>: Recipient address rejected: User unknown\n"
    " In:  DATA\n"
    " Out: 354 End data with <CR><LF>.<CR><LF>\n"
    " Out: 451 4.3.0 Error: queue file write error\n"
    " In:  QUIT\n"
    " Out: 221 2.0.0 Bye\n"
    "\n"
    "For other details, see the local mail logfile\n";

Test(decoders_mta, postfix_smtpd_transcript)
{
    struct parsed *p = parse(postfix_smtpd);
    assert_common(p, SMTPSTATUS_DECODER_POSTFIX, 2);
    assert_text(p->r[0].recipient, "gina@example.org");
    cr_assert_eq(p->r[0].reply_code, 451);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_END_OF_DATA);
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_DELAYED);
    assert_text(p->r[1].recipient, "hank@example.org");
    cr_assert_eq(p->r[1].reply_code, 550);
    cr_assert_eq(p->r[1].stage, SMTPSTATUS_STAGE_RCPT);
    cr_assert_eq(p->r[1].action, SMTPSTATUS_DSN_ACTION_FAILED);
    release(p);
}

static const char postfix_client[] =
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
    "To: postmaster@example.org (Postmaster)\n"
    "Subject: Postfix SMTP client: errors from mx.example.com[192.0.2.60]\n"
    "\n"
    "Transcript of session follows.\n"
    "\n"
    " In:  220 mx.example.com ESMTP\n"
    " Out: EHLO mx.example.org\n"
    " In:  250 mx.example.com\n"
    " Out: MAIL FROM:<alice@example.org>\n"
    " In:  250 2.1.0 Ok\n"
    " Out: RCPT TO:<ivan@example.com>\n"
    " In:  550 5.1.1 <ivan@example.com>: User unknown\n"
    " Out: QUIT\n";

/* The client side's notice: "Out:" are the commands there. */
Test(decoders_mta, postfix_client_transcript)
{
    struct parsed *p = parse(postfix_client);
    assert_common(p, SMTPSTATUS_DECODER_POSTFIX, 1);
    assert_text(p->r[0].recipient, "ivan@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    release(p);
}

static const char postfix_success[] =
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
    "To: alice@example.org\n"
    "Subject: Successful Mail Delivery Report\n"
    "\n"
    "This is the mail system at host mx.example.org.\n"
    "\n"
    "Your message was successfully delivered to the destination(s)\n"
    "listed below. If the message was delivered to mailbox you will\n"
    "receive no further notifications.\n"
    "\n"
    "                   The mail system\n"
    "\n"
    "<judy@example.com>: delivery via mx.example.com[192.0.2.70]:25: 250 2.0.0 Ok:\n"
    "    queued as 4ABCD\n";

Test(decoders_mta, postfix_success)
{
    struct parsed *p = parse(postfix_success);
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->n, 1);
    cr_assert_eq(p->dsn.decoder, SMTPSTATUS_DECODER_POSTFIX);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_DELIVERY_REPORT);
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_DELIVERED);
    cr_assert_eq(p->r[0].reply_code, 250);
    release(p);
}

/* ------------------------------------------------------------------ */
/* Exim                                                                */
/* ------------------------------------------------------------------ */

static const char exim_three[] =
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Mail delivery failed: returning message to sender\n"
    "X-Failed-Recipients: bob@example.com, carol@example.net, dave@example.org\n"
    "Auto-Submitted: auto-replied\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n"
    "\n"
    "  bob@example.com\n"
    "    host mx1.example.com [192.0.2.10]\n"
    "    SMTP error from remote mail server after RCPT TO:<bob@example.com>:\n"
    "    550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\n"
    "  carol@example.net\n"
    "    SMTP error from remote mail server after MAIL FROM:<alice@example.org> SIZE=1234:\n"
    "    host mx.example.net [192.0.2.20]: 553 5.7.1 Sender address rejected\n"
    "\n"
    "  dave\n"
    "    retry timeout exceeded\n"
    "\n"
    "------ This is a copy of the message, including all the headers. ------\n"
    "\n"
    "From: alice@example.org\n"
    "To: bob@example.com\n"
    "Subject: hello\n"
    "\n"
    "Hi.\n";

Test(decoders_mta, exim_three_recipients)
{
    struct parsed *p = parse(exim_three);
    assert_common(p, SMTPSTATUS_DECODER_EXIM, 3);
    assert_text(p->r[0].recipient, "bob@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    assert_status(&p->r[0], 5, 1, 1);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    assert_text(p->r[0].remote_mta, "mx1.example.com");
    assert_text(p->r[1].recipient, "carol@example.net");
    cr_assert_eq(p->r[1].reply_code, 553);
    assert_status(&p->r[1], 5, 7, 1);
    cr_assert_eq(p->r[1].stage, SMTPSTATUS_STAGE_MAIL);
    assert_text(p->r[1].remote_mta, "mx.example.net");
    /* "dave" is no address: X-Failed-Recipients names it. */
    assert_text(p->r[2].recipient, "dave@example.org");
    assert_text(p->r[2].diagnostic, "retry timeout exceeded");
    cr_assert_eq(p->r[2].action, SMTPSTATUS_DSN_ACTION_FAILED);
    release(p);
}

Test(decoders_mta, exim_crlf)
{
    struct parsed *p = parse_eol(exim_three, "\r\n");
    assert_common(p, SMTPSTATUS_DECODER_EXIM, 3);
    assert_text(p->r[0].recipient, "bob@example.com");
    cr_assert_eq(p->r[1].reply_code, 553);
    assert_text(p->r[2].recipient, "dave@example.org");
    release(p);
}

static const char exim_delayed[] =
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Warning: message 1abcDE-000123-AB delayed 24 hours\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "A message that you sent has not yet been delivered to one or more of its\n"
    "recipients after more than 24 hours on the queue on mx.example.org.\n"
    "\n"
    "The message identifier is:     1abcDE-000123-AB\n"
    "\n"
    "The address to which the message has not yet been delivered is:\n"
    "\n"
    "  erin@example.com\n"
    "    host mx.example.com [192.0.2.30]\n"
    "    Delay reason: SMTP error from remote mail server after MAIL FROM:<alice@example.org>:\n"
    "    450 4.7.1 Client host rejected: cannot find your hostname\n"
    "\n"
    "No action is required on your part. Delivery attempts will continue for\n"
    "some time, and this warning may be repeated at intervals if the message\n"
    "remains undelivered.\n";

Test(decoders_mta, exim_delay_warning)
{
    struct parsed *p = parse(exim_delayed);
    assert_common(p, SMTPSTATUS_DECODER_EXIM, 1);
    assert_text(p->r[0].recipient, "erin@example.com");
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_DELAYED);
    cr_assert_eq(p->r[0].reply_code, 450);
    assert_status(&p->r[0], 4, 7, 1);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_MAIL);
    assert_text(p->r[0].remote_mta, "mx.example.com");
    release(p);
}

static const char exim_pipe[] =
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Mail delivery failed: returning message to sender\n"
    "X-Failed-Recipients: frank@example.org\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "\n"
    "A message that you sent could not be delivered to one or more of its\n"
    "recipients. This is a permanent error. The following address(es) failed:\n"
    "\n"
    "  pipe to |/usr/local/bin/filter frank@example.org\n"
    "    generated by frank@example.org\n"
    "\n"
    "The following text was generated during the delivery attempt:\n"
    "\n"
    "------ pipe to |/usr/local/bin/filter frank@example.org\n"
    "       generated by frank@example.org ------\n"
    "\n"
    "filter: cannot open /var/filter/rules: Permission denied\n"
    "\n"
    "------ This is a copy of the message, including all the headers. ------\n";

Test(decoders_mta, exim_pipe_generated_text)
{
    struct parsed *p = parse(exim_pipe);
    assert_common(p, SMTPSTATUS_DECODER_EXIM, 1);
    assert_text(p->r[0].recipient, "frank@example.org");
    assert_text(p->r[0].diagnostic, "filter: cannot open /var/filter/rules: Permission denied");
    release(p);
}

static const char exim_malformed[] =
    "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Mail failure - malformed recipient address\n"
    "\n"
    "A message that you sent contained one or more recipient addresses that were\n"
    "incorrectly constructed:\n"
    "\n"
    "  bob@example.com <carol@example.net>: malformed address: <carol@example.net> may not "
    "follow bob@example.com\n"
    "\n"
    "This address has been ignored. The other addresses in the message were\n"
    "syntactically valid and have been passed on for an attempt at delivery.\n";

Test(decoders_mta, exim_malformed_address)
{
    struct parsed *p = parse(exim_malformed);
    assert_common(p, SMTPSTATUS_DECODER_EXIM, 1);
    assert_text(p->r[0].recipient, "carol@example.net");
    assert_has(p->r[0].diagnostic, "malformed address");
    release(p);
}

/* An Exim underneath, its template rewritten (address at the start of
 * the line, one paragraph each). */
static const char exim_flat[] =
    "From: Mail Delivery System <mailer-daemon@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Mail delivery failed: returning message to sender\n"
    "\n"
    "A message that you sent could not be delivered to one or more of\n"
    "its recipients. This is a permanent error. The following address\n"
    "failed:\n"
    "\n"
    "\"kate@example.com\":\n"
    "SMTP error from remote server after RCPT command:\n"
    "host: mx.example.com\n"
    "5.2.2 <kate@example.com>... Mailbox full\n"
    "\n"
    "--- The header of the original message is following. ---\n";

Test(decoders_mta, exim_flat_variant)
{
    struct parsed *p = parse(exim_flat);
    assert_common(p, SMTPSTATUS_DECODER_EXIM, 1);
    assert_text(p->r[0].recipient, "kate@example.com");
    assert_status(&p->r[0], 5, 2, 2);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    assert_text(p->r[0].remote_mta, "mx.example.com");
    release(p);
}

/* ------------------------------------------------------------------ */
/* qmail                                                               */
/* ------------------------------------------------------------------ */

static const char qmail_three[] =
    "From: MAILER-DAEMON@mx.example.org\n"
    "To: alice@example.org\n"
    "Subject: failure notice\n"
    "\n"
    "Hi. This is the qmail-send program at mx.example.org.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "<bob@example.com>:\n"
    "192.0.2.10 does not like recipient.\n"
    "Remote host said: 550 5.1.1 <bob@example.com>... User unknown\n"
    "Giving up on 192.0.2.10.\n"
    "\n"
    "<carol@example.org>:\n"
    "Sorry, no mailbox here by that name. (#5.1.1)\n"
    "\n"
    "<dave@example.net>:\n"
    "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n"
    "I'm not going to try again; this message has been in the queue too long.\n"
    "\n"
    "--- Below this line is a copy of the message.\n"
    "\n"
    "From: alice@example.org\n"
    "To: <zed@example.com>\n"
    "Subject: hello\n"
    "\n"
    "<zed@example.com>:\n"
    "not a recipient\n";

static void check_qmail_three(const struct parsed *p)
{
    assert_common(p, SMTPSTATUS_DECODER_QMAIL, 3);
    assert_text(p->r[0].recipient, "bob@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    assert_status(&p->r[0], 5, 1, 1);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    assert_text(p->r[0].remote_mta, "192.0.2.10");
    assert_text(p->r[0].diagnostic, "550 5.1.1 <bob@example.com>... User unknown");
    assert_text(p->r[1].recipient, "carol@example.org");
    assert_status(&p->r[1], 5, 1, 1);
    cr_assert_eq(p->r[1].reply_code, 0);
    assert_text(p->r[2].recipient, "dave@example.net");
    assert_status(&p->r[2], 4, 4, 1);
    /* The expiry sentence is why it failed, not what went wrong. */
    assert_text(p->r[2].diagnostic,
                "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)");
    cr_assert_eq(p->r[2].action, SMTPSTATUS_DSN_ACTION_FAILED);
}

Test(decoders_mta, qmail_three_recipients)
{
    struct parsed *p = parse(qmail_three);
    check_qmail_three(p);
    release(p);
}

Test(decoders_mta, qmail_crlf)
{
    struct parsed *p = parse_eol(qmail_three, "\r\n");
    check_qmail_three(p);
    release(p);
}

static const char qmail_sender[] =
    "From: MAILER-DAEMON@mx.example.org\n"
    "To: alice@example.org\n"
    "Subject: failure notice\n"
    "\n"
    "Hi. This is the qmail-send program at mx.example.org.\n"
    "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
    "This is a permanent error; I've given up. Sorry it didn't work out.\n"
    "\n"
    "<erin@example.com>:\n"
    "Connected to 192.0.2.20 but sender was rejected.\n"
    "Remote host said: 553 5.7.1 <alice@example.org>... Sender rejected\n"
    "\n"
    "<frank@example.com>:\n"
    "192.0.2.21 failed after I sent the message.\n"
    "Remote host said: 554 5.6.0 Message content rejected\n"
    "\n"
    "--- Enclosed is a copy of the message.\n";

Test(decoders_mta, qmail_stages)
{
    struct parsed *p = parse(qmail_sender);
    assert_common(p, SMTPSTATUS_DECODER_QMAIL, 2);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_MAIL);
    assert_text(p->r[0].remote_mta, "192.0.2.20");
    cr_assert_eq(p->r[0].reply_code, 553);
    cr_assert_eq(p->r[1].stage, SMTPSTATUS_STAGE_END_OF_DATA);
    assert_text(p->r[1].remote_mta, "192.0.2.21");
    cr_assert_eq(p->r[1].reply_code, 554);
    assert_status(&p->r[1], 5, 6, 0);
    release(p);
}

/* ------------------------------------------------------------------ */
/* Sendmail                                                            */
/* ------------------------------------------------------------------ */

static const char sendmail_two[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Returned mail: see transcript for details\n"
    "\n"
    "The original message was received at Thu, 1 Jan 2026 00:00:00 +0000\n"
    "from client.example.org [192.0.2.1]\n"
    "\n"
    "   ----- The following addresses had permanent fatal errors -----\n"
    "<bob@example.com>\n"
    "    (reason: 550 5.1.1 <bob@example.com>... User unknown)\n"
    "<carol@example.net>\n"
    "    (reason: 552-5.2.2 Mailbox full)\n"
    "    (expanded from: <staff@example.org>)\n"
    "\n"
    "   ----- Transcript of session follows -----\n"
    "... while talking to mx.example.com.:\n"
    ">>> RCPT To:<bob@example.com>\n"
    "<<< 550 5.1.1 <bob@example.com>... User unknown\n"
    "550 5.1.1 <bob@example.com>... User unknown\n"
    "... while talking to mx.example.net.:\n"
    ">>> DATA\n"
    "<<< 552-5.2.2 Mailbox full\n"
    "<<< 552 5.2.2 Try again later\n"
    "554 5.0.0 Service unavailable\n"
    "\n"
    "   ----- Original message follows -----\n"
    "\n"
    "From: alice@example.org\n"
    "To: bob@example.com\n"
    "Subject: hello\n"
    "\n"
    "Hi.\n";

static void check_sendmail_two(const struct parsed *p)
{
    assert_common(p, SMTPSTATUS_DECODER_SENDMAIL, 2);
    assert_text(p->r[0].recipient, "bob@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    assert_status(&p->r[0], 5, 1, 1);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    assert_text(p->r[0].remote_mta, "mx.example.com");
    assert_text(p->r[1].recipient, "carol@example.net");
    assert_text(p->r[1].original_recipient, "staff@example.org");
    cr_assert_eq(p->r[1].reply_code, 552);
    /* The remote code, not sendmail's "554 5.0.0 Service unavailable". */
    assert_status(&p->r[1], 5, 2, 2);
    cr_assert_eq(p->r[1].stage, SMTPSTATUS_STAGE_DATA);
    assert_text(p->r[1].remote_mta, "mx.example.net");
    assert_has(p->r[1].diagnostic, "Try again later");
}

Test(decoders_mta, sendmail_two_recipients)
{
    struct parsed *p = parse(sendmail_two);
    check_sendmail_two(p);
    release(p);
}

Test(decoders_mta, sendmail_crlf)
{
    struct parsed *p = parse_eol(sendmail_two, "\r\n");
    check_sendmail_two(p);
    release(p);
}

static const char sendmail_mail_refused[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Returned mail: see transcript for details\n"
    "\n"
    "   ----- The following addresses had permanent fatal errors -----\n"
    "<dave@example.com>\n"
    "    (reason: 550 Sender not allowed)\n"
    "\n"
    "   ----- Transcript of session follows -----\n"
    "... while talking to smtp.example.com.:\n"
    ">>> MAIL From:<alice@example.org> SIZE=100\n"
    "<<< 550 Sender not allowed\n"
    "554 5.0.0 Service unavailable\n";

Test(decoders_mta, sendmail_mail_refused)
{
    struct parsed *p = parse(sendmail_mail_refused);
    assert_common(p, SMTPSTATUS_DECODER_SENDMAIL, 1);
    assert_text(p->r[0].recipient, "dave@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    /* No code in the reply: sendmail's own stands in. */
    assert_status(&p->r[0], 5, 0, 0);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_MAIL);
    assert_text(p->r[0].remote_mta, "smtp.example.com");
    release(p);
}

static const char sendmail_warning[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Warning: could not send message for past 4 hours\n"
    "\n"
    "    **********************************************\n"
    "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
    "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
    "    **********************************************\n"
    "\n"
    "   ----- Transcript of session follows -----\n"
    "... while talking to mx.example.com.:\n"
    "<<< 421 4.3.2 Service shutting down\n"
    "<erin@example.com>... Deferred: 421 4.3.2 Service shutting down\n"
    "Warning: message still undelivered after 4 hours\n"
    "Will keep trying until message is 5 days old\n";

Test(decoders_mta, sendmail_warning_without_list)
{
    struct parsed *p = parse(sendmail_warning);
    assert_common(p, SMTPSTATUS_DECODER_SENDMAIL, 1);
    assert_text(p->r[0].recipient, "erin@example.com");
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_DELAYED);
    cr_assert_eq(p->r[0].reply_code, 421);
    assert_status(&p->r[0], 4, 3, 2);
    release(p);
}

static const char sendmail_v5[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Returned mail: User unknown\n"
    "\n"
    "   ----- Transcript of session follows -----\n"
    "While talking to mx.example.edu:\n"
    ">>> MAIL From:<alice@example.org>\n"
    "<<< 550 Relaying denied\n"
    "554 <bob@example.edu>... Remote protocol error\n"
    "550 example.net (smtp)... 550 Host unknown\n"
    "554 <carol@example.net>... 550 Host unknown (Authoritative answer from name server)\n"
    "While talking to mail.example.com:\n"
    ">>> RCPT To:<dave@example.com>\n"
    "<<< 550 No such user here\n"
    "550 <dave@example.com>... User unknown\n"
    "\n"
    "   ----- Unsent message follows -----\n"
    "From: alice@example.org\n"
    "To: bob@example.edu\n"
    "Subject: hello\n"
    "\n"
    "Hi.\n";

Test(decoders_mta, sendmail_v5_transcript)
{
    struct parsed *p = parse(sendmail_v5);
    assert_common(p, SMTPSTATUS_DECODER_SENDMAIL, 3);
    /* The session's refusal stands for its recipient... */
    assert_text(p->r[0].recipient, "bob@example.edu");
    assert_text(p->r[0].diagnostic, "550 Relaying denied");
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_MAIL);
    assert_text(p->r[0].remote_mta, "mx.example.edu");
    /* ...but not for another host's. */
    assert_text(p->r[1].recipient, "carol@example.net");
    assert_has(p->r[1].diagnostic, "550 Host unknown");
    cr_assert_eq(p->r[1].reply_code, 550);
    assert_text(p->r[2].recipient, "dave@example.com");
    assert_text(p->r[2].diagnostic, "550 No such user here");
    cr_assert_eq(p->r[2].stage, SMTPSTATUS_STAGE_RCPT);
    release(p);
}

static const char sendmail_v5_host[] =
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Returned mail: Cannot send message for 5 days\n"
    "\n"
    "   ----- Transcript of session follows -----\n"
    "421 example.com (smtp)... Deferred: Connection timed out with example.com\n"
    "\n"
    "   ----- Unsent message follows -----\n"
    "From: alice@example.org\n"
    "To: frank@example.com\n"
    "Subject: hello\n"
    "\n"
    "Hi.\n";

Test(decoders_mta, sendmail_v5_host_only)
{
    struct parsed *p = parse(sendmail_v5_host);
    assert_common(p, SMTPSTATUS_DECODER_SENDMAIL, 1);
    assert_text(p->r[0].recipient, "frank@example.com");
    cr_assert_eq(p->r[0].reply_code, 421);
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_FAILED);
    release(p);
}

static const char sendmail_forwarded[] =
    "From: Alice <alice@example.org>\n"
    "To: help@example.org\n"
    "Subject: Fwd: Returned mail: see transcript for details\n"
    "\n"
    "Why did this bounce?\n"
    "\n"
    "> The original message was received at Thu, 1 Jan 2026 00:00:00 +0000\n"
    ">\n"
    ">    ----- The following addresses had permanent fatal errors -----\n"
    "> <gina@example.com>\n"
    ">     (reason: 550 5.1.1 <gina@example.com>... User unknown)\n"
    ">\n"
    ">    ----- Transcript of session follows -----\n"
    "> ... while talking to mx.example.com.:\n"
    ">>>> RCPT To:<gina@example.com>\n"
    "> <<< 550 5.1.1 <gina@example.com>... User unknown\n"
    "> 550 5.1.1 <gina@example.com>... User unknown\n";

Test(decoders_mta, sendmail_quoted_forward)
{
    struct parsed *p = parse(sendmail_forwarded);
    assert_common(p, SMTPSTATUS_DECODER_SENDMAIL, 1);
    assert_text(p->r[0].recipient, "gina@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    assert_text(p->r[0].remote_mta, "mx.example.com");
    release(p);
}

/* More recipients than the decoder keeps a table for: all are still
 * reported, in order. */
Test(decoders_mta, sendmail_many_recipients)
{
    static const char head[] =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
        "To: alice@example.org\n"
        "Subject: Returned mail: see transcript for details\n"
        "\n"
        "   ----- The following addresses had permanent fatal errors -----\n";
    static const char tail[] =
        "\n   ----- Transcript of session follows -----\n"
        "550 5.1.1 <u0@example.com>... User unknown\n";
    size_t cap = sizeof head + sizeof tail + 100 * 64;
    char *msg = malloc(cap), *w;
    struct parsed *p;

    cr_assert_not_null(msg);
    w = msg + sprintf(msg, "%s", head);
    for (int i = 0; i < 100; i++)
        w += sprintf(w, "<u%d@example.com>\n    (reason: 550 5.1.1 User unknown)\n", i);
    sprintf(w, "%s", tail);
    p = parse(msg);
    cr_assert_eq(p->rc, SMTPSTATUS_E_TOO_MANY);
    cr_assert_eq(p->dsn.recipient_count, 100);
    cr_assert_eq(p->dsn.decoder, SMTPSTATUS_DECODER_SENDMAIL);
    assert_text(p->r[0].recipient, "u0@example.com");
    assert_text(p->r[7].recipient, "u7@example.com");
    release(p);
    free(msg);
}

/* ------------------------------------------------------------------ */
/* Courier                                                             */
/* ------------------------------------------------------------------ */

static const char courier_failed[] =
    "From: Courier mail server at mx.example.org <@>\n"
    "To: alice@example.org\n"
    "Subject: NOTICE: mail delivery status.\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"=_courier_0\"\n"
    "\n"
    "--=_courier_0\n"
    "Content-Type: text/plain; charset=\"utf-8\"\n"
    "\n"
    "This is a delivery status notification from mx.example.org,\n"
    "running the Courier mail server, version 1.1.\n"
    "\n"
    "The original message was received on Thu, 01 Jan 2026 00:00:00 +0000\n"
    "from client.example.org (client.example.org [192.0.2.1])\n"
    "\n"
    "---------------------------------------------------------------------------\n"
    "\n"
    "                           UNDELIVERABLE MAIL\n"
    "\n"
    "Your message to the following recipients cannot be delivered:\n"
    "\n"
    " <bob@example.com>:\n"
    "     mx.example.com [192.0.2.10]:\n"
    " >>> RCPT TO:<bob@example.com>\n"
    " <<< 550 5.1.1 <bob@example.com>... User unknown\n"
    "\n"
    " <carol@example.net>:\n"
    "     mx.example.net [192.0.2.20]:\n"
    " >>> DATA\n"
    " <<< 554-5.7.1 Message rejected\n"
    " <<< 554 5.7.1 See policy\n"
    "\n"
    "---------------------------------------------------------------------------\n"
    "\n"
    "If your message was also sent to additional recipients, their delivery\n"
    "status is not included in this report.\n"
    "\n"
    "--=_courier_0\n"
    "Content-Type: text/rfc822-headers; charset=\"utf-8\"\n"
    "\n"
    "From: alice@example.org\n"
    "To: bob@example.com\n"
    "\n"
    "--=_courier_0--\n";

Test(decoders_mta, courier_two_recipients)
{
    struct parsed *p = parse(courier_failed);
    assert_common(p, SMTPSTATUS_DECODER_COURIER, 2);
    assert_text(p->r[0].recipient, "bob@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    assert_status(&p->r[0], 5, 1, 1);
    cr_assert_eq(p->r[0].stage, SMTPSTATUS_STAGE_RCPT);
    assert_text(p->r[0].remote_mta, "mx.example.com");
    assert_text(p->r[1].recipient, "carol@example.net");
    cr_assert_eq(p->r[1].reply_code, 554);
    cr_assert_eq(p->r[1].stage, SMTPSTATUS_STAGE_DATA);
    assert_has(p->r[1].diagnostic, "See policy");
    release(p);
}

static const char courier_delayed[] =
    "Return-Path: <>\n"
    "From: Courier mail server at mx.example.org <@>\n"
    "To: alice@example.org\n"
    "Subject: WARNING: delayed mail.\n"
    "\n"
    "This is a delivery status notification from mx.example.org,\n"
    "running the Courier mail server, version 1.1.\n"
    "\n"
    "---------------------------------------------------------------------------\n"
    "\n"
    "                     DELAYS IN DELIVERING YOUR MESSAGE\n"
    "\n"
    "The delivery of the following E-mail message has been delayed.\n"
    "\n"
    " <dave@example.com>:\n"
    " *** Connection refused\n";

Test(decoders_mta, courier_delayed)
{
    struct parsed *p = parse(courier_delayed);
    assert_common(p, SMTPSTATUS_DECODER_COURIER, 1);
    assert_text(p->r[0].recipient, "dave@example.com");
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_DELAYED);
    assert_text(p->r[0].diagnostic, "Connection refused");
    release(p);
}

/* ------------------------------------------------------------------ */
/* OpenSMTPD                                                           */
/* ------------------------------------------------------------------ */

static const char opensmtpd_two[] =
    "From: Mailer Daemon <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Delivery status notification: error\n"
    "\n"
    "    Hi!\n"
    "\n"
    "    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n"
    "\n"
    "    An error has occurred while attempting to deliver a message for\n"
    "    the following list of recipients:\n"
    "\n"
    "bob@example.com: 550 5.1.1 <bob@example.com>... User unknown\n"
    "carol@example.net: Domain does not exist\n"
    "\n"
    "    Below is a copy of the original message:\n"
    "\n"
    "From: alice@example.org\n"
    "To: bob@example.com\n"
    "\n"
    "zed@example.com: not a recipient\n";

Test(decoders_mta, opensmtpd_two_recipients)
{
    struct parsed *p = parse(opensmtpd_two);
    assert_common(p, SMTPSTATUS_DECODER_OPENSMTPD, 2);
    assert_text(p->r[0].recipient, "bob@example.com");
    cr_assert_eq(p->r[0].reply_code, 550);
    assert_status(&p->r[0], 5, 1, 1);
    assert_text(p->r[1].recipient, "carol@example.net");
    assert_text(p->r[1].diagnostic, "Domain does not exist");
    cr_assert_eq(p->r[1].action, SMTPSTATUS_DSN_ACTION_FAILED);
    release(p);
}

Test(decoders_mta, opensmtpd_crlf)
{
    struct parsed *p = parse_eol(opensmtpd_two, "\r\n");
    assert_common(p, SMTPSTATUS_DECODER_OPENSMTPD, 2);
    assert_text(p->r[1].diagnostic, "Domain does not exist");
    release(p);
}

static const char opensmtpd_delayed[] =
    "From: Mailer Daemon <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Delivery status notification: delayed\n"
    "\n"
    "    Hi!\n"
    "\n"
    "    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n"
    "\n"
    "    A message is delayed for more than 4 hours for the following\n"
    "    list of recipients:\n"
    "\n"
    "dave@example.com: 421 4.7.0 Try again later\n"
    "\n"
    "    Please note that this is only a temporary failure report.\n";

Test(decoders_mta, opensmtpd_delayed)
{
    struct parsed *p = parse(opensmtpd_delayed);
    assert_common(p, SMTPSTATUS_DECODER_OPENSMTPD, 1);
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_DELAYED);
    cr_assert_eq(p->r[0].reply_code, 421);
    release(p);
}

static const char opensmtpd_old[] =
    "From: Mailer Daemon <MAILER-DAEMON@mx.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Delivery status notification\n"
    "\n"
    "Hi !\n"
    "\n"
    "This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n"
    "An error has occurred while attempting to deliver a message.\n"
    "\n"
    "Recipient: erin@example.com\n"
    "Reason:\n"
    "550 5.7.1 Relaying denied\n"
    "\n"
    "Below is a copy of the original message:\n";

Test(decoders_mta, opensmtpd_before_5)
{
    struct parsed *p = parse(opensmtpd_old);
    assert_common(p, SMTPSTATUS_DECODER_OPENSMTPD, 1);
    assert_text(p->r[0].recipient, "erin@example.com");
    assert_text(p->r[0].diagnostic, "550 5.7.1 Relaying denied");
    cr_assert_eq(p->r[0].reply_code, 550);
    release(p);
}

/* ------------------------------------------------------------------ */
/* Not bounces, and robustness                                         */
/* ------------------------------------------------------------------ */

static const char ordinary[] =
    "From: Bob <bob@example.com>\n"
    "To: alice@example.org\n"
    "Subject: notes from the mail admin meeting\n"
    "\n"
    "Hi Alice,\n"
    "\n"
    "The templates we compared:\n"
    "\n"
    "Hi. This is the qmail-send program at mx.example.org.\n"
    "<carol@example.net>:\n"
    "Remote host said: 550 5.1.1 User unknown\n"
    "\n"
    "   ----- The following addresses had permanent fatal errors -----\n"
    "<dave@example.net>\n"
    "\n"
    "The following address(es) failed:\n"
    "\n"
    "  erin@example.net\n"
    "    retry timeout exceeded\n"
    "\n"
    "Bob\n";

Test(decoders_mta, ordinary_message_has_no_recipient)
{
    struct parsed *p = parse(ordinary);
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->n, 0);
    cr_assert_eq(p->dsn.recipient_count, 0);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_ORDINARY);
    release(p);
}

/* A bounce that names no recipient in any of these layouts. */
static const char no_layout[] =
    "From: MAILER-DAEMON@mx.example.org\n"
    "To: alice@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "\n"
    "This is the mail system at host mx.example.org.\n"
    "\n"
    "Something went wrong; nothing more is known.\n";

Test(decoders_mta, bounce_without_recipients)
{
    struct parsed *p = parse(no_layout);
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->n, 0);
    release(p);
}

/* Every prefix of every sample parses without reading past its end (the
 * copies are exactly sized; run under ASan to see over-reads). */
Test(decoders_mta, truncated_inputs)
{
    static const char *const samples[] = {
        postfix_two,        postfix_local,    postfix_delayed,  postfix_smtpd,
        postfix_client,     postfix_success,  exim_three,       exim_delayed,
        exim_pipe,          exim_malformed,   exim_flat,        qmail_three,
        qmail_sender,       sendmail_two,     sendmail_mail_refused,
        sendmail_warning,   sendmail_v5,      sendmail_v5_host, sendmail_forwarded,
        courier_failed,     courier_delayed,  opensmtpd_two,    opensmtpd_delayed,
        opensmtpd_old,
    };

    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
        size_t n = strlen(samples[s]);
        for (size_t cut = 0; cut <= n; cut++) {
            struct parsed *p = parse_part(samples[s], "\n", cut);
            cr_assert(p->rc == SMTPSTATUS_OK, "sample %zu cut %zu: rc %d", s, cut, p->rc);
            cr_assert(p->n <= MAX_RCPTS);
            release(p);
        }
    }
}

/* Bytes of each sample replaced by line ends, colons, brackets, digits
 * and dashes at pseudo-random places: whatever the decoders make of it,
 * they stay inside the buffer and report no more than they can. */
Test(decoders_mta, mutated_inputs)
{
    static const char *const samples[] = {
        postfix_two, postfix_smtpd, exim_three, exim_pipe, qmail_three, sendmail_two,
        sendmail_v5, sendmail_forwarded, courier_failed, opensmtpd_two, opensmtpd_old,
    };
    static const char noise[] = "\n\r:<>@-(). 5>#";
    uint32_t seed = 12345;

    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
        size_t n = strlen(samples[s]);
        char *m = malloc(n + 1);
        cr_assert_not_null(m);
        for (int round = 0; round < 200; round++) {
            struct parsed *p;
            memcpy(m, samples[s], n + 1);
            for (int k = 0; k < 8; k++) {
                seed = seed * 1103515245u + 12345u;
                m[(seed >> 8) % n] = noise[(seed >> 20) % (sizeof noise - 1)];
            }
            p = parse(m);
            cr_assert(p->rc == SMTPSTATUS_OK || p->rc == SMTPSTATUS_E_TOO_MANY, "rc %d", p->rc);
            release(p);
        }
        free(m);
    }
}
