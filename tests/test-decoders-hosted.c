/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The text decoders for Microsoft Exchange / Office 365, Gmail and Google
 * Groups, Yahoo, Amazon SES / WorkMail, MDaemon, IMail, Domino / Notes and
 * the hosted gateways (decode-hosted.c). Every bounce below is synthetic,
 * written in the layout of the system it imitates, and goes through the
 * public smtpstatus_parse_dsn() placed flush against an unreadable page.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

#include "dsn-helpers.h"

/* The hosted layouts built on an MTA's own notice (GMX on Exim, Biglobe on
 * Sendmail) may be claimed by that MTA's decoder first; the tests that
 * must reach decode-hosted.c call it directly. */
#include "dsn/decoders.h"

#define ANY_STAGE 99u

/* What one recipient should look like. A NULL status means "none"; a NULL
 * remote means "not checked". */
struct want {
    const char *rcpt;
    unsigned reply;
    const char *status;
    uint32_t action;
    uint32_t stage;
    const char *remote;
};

/* Parse `msg` and compare with `want`; `decoder` and `alt` are the
 * decoder ids accepted (alt: the MTA decoder that may legitimately claim
 * a layout built on that MTA, or 0). */
static void check(const char *msg, unsigned decoder, unsigned alt, size_t n,
                  const struct want *want)
{
    struct parsed *p = parse_guarded(msg, strlen(msg));
    cr_assert_eq(p->rc, SMTPSTATUS_OK, "rc %d", p->rc);
    cr_assert_eq(p->n, n, "%zu recipients, want %zu", p->n, n);
    cr_assert(p->dsn.decoder == decoder || (alt && p->dsn.decoder == alt), "decoder %s, want %s",
              smtpstatus_decoder_name((int)p->dsn.decoder), smtpstatus_decoder_name((int)decoder));
    for (size_t i = 0; i < n; i++) {
        const struct smtpstatus_dsn_recipient *r = &p->r[i];
        const struct want *w = &want[i];
        char st[SMTPSTATUS_ENHANCED_TEXT_MAX];

        cr_assert(text_is(&r->recipient, w->rcpt), "recipient %zu: \"%.*s\", want \"%s\"", i,
                  (int)r->recipient.len, r->recipient.ptr ? r->recipient.ptr : "", w->rcpt);
        cr_assert_eq(r->reply_code, w->reply, "%s: reply %u, want %u", w->rcpt, r->reply_code,
                     w->reply);
        if (w->status) {
            cr_assert(r->has_status, "%s: no status, want %s", w->rcpt, w->status);
            smtpstatus_format_enhanced(&r->status, st, sizeof st);
            cr_assert_str_eq(st, w->status, "%s: status %s, want %s", w->rcpt, st, w->status);
        } else {
            cr_assert(!r->has_status, "%s: a status, want none", w->rcpt);
        }
        cr_assert_eq(r->action, w->action, "%s: action %s, want %s", w->rcpt,
                     smtpstatus_dsn_action_name((int)r->action),
                     smtpstatus_dsn_action_name((int)w->action));
        if (w->stage != ANY_STAGE)
            cr_assert_eq(r->stage, w->stage, "%s: stage %s, want %s", w->rcpt,
                         smtpstatus_stage_name((int)r->stage),
                         smtpstatus_stage_name((int)w->stage));
        if (w->remote && w->remote[0] == '\0')
            cr_assert_eq(r->remote_mta.len, 0, "%s: remote \"%.*s\", want none", w->rcpt,
                         (int)r->remote_mta.len, r->remote_mta.ptr);
        else if (w->remote)
            cr_assert(text_is(&r->remote_mta, w->remote), "%s: remote \"%.*s\", want \"%s\"",
                      w->rcpt, (int)r->remote_mta.len, r->remote_mta.ptr ? r->remote_mta.ptr : "",
                      w->remote);
        cr_assert(r->flags & SMTPSTATUS_DSN_FROM_TEXT, "%s: not marked as read from the text",
                  w->rcpt);
    }
    release(p);
}

#define FAILED SMTPSTATUS_DSN_ACTION_FAILED
#define DELAYED SMTPSTATUS_DSN_ACTION_DELAYED
#define NOSTAGE SMTPSTATUS_STAGE_UNKNOWN
#define RCPT SMTPSTATUS_STAGE_RCPT

static const char msg_exchange_admin[] =
    "From: Microsoft Outlook <postmaster@example.com>\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: Quarterly report\n"
    "Content-Language: en-US\n"
    "X-MS-Exchange-Message-Is-Ndr:\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=\"us-ascii\"\n"
    "\n"
    "Delivery has failed to these recipients or groups:\n"
    "\n"
    "bob@example.com<mailto:bob@example.com>\n"
    "The email address you entered couldn't be found. Please check the recipient's email addr"
    "ess and try to resend the message.\n"
    "\n"
    "carol@example.net<mailto:carol@example.net>\n"
    "The recipient's mailbox is full and can't accept messages now. Please try resending this"
    " message later.\n"
    "\n"
    "Diagnostic information for administrators:\n"
    "\n"
    "Generating server: EX01.example.com\n"
    "\n"
    "bob@example.com\n"
    "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n"
    "\n"
    "carol@example.net\n"
    "mx.example.net\n"
    "Remote Server returned '552 5.2.2 Mailbox full; the recipient's quota is exceeded'\n"
    "\n"
    "Original message headers:\n"
    "\n"
    "Received: from EX01.example.com (192.0.2.10) by EX01.example.com\n"
    " (192.0.2.10) with Microsoft SMTP Server id 15.0.1178.4; Mon, 3 Mar 2025 10:00:00 +0000\n"
    "Message-ID: <abc123@example.org>\n"
    "From: Alice <alice@example.org>\n"
    "To: Bob <bob@example.com>, Carol <carol@example.net>\n"
    "Subject: Quarterly report\n";

static const char msg_exchange_expired[] =
    "From: postmaster@example.org\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: Travel plans\n"
    "Content-Type: text/plain; charset=\"us-ascii\"\n"
    "\n"
    "Delivery has failed to these recipients or groups:\n"
    "\n"
    "dave@example.net\n"
    "The server has tried to deliver this message, without success, and has stopped trying. P"
    "lease try sending this message again.\n"
    "\n"
    "Diagnostic information for administrators:\n"
    "\n"
    "Generating server: EX02.example.org\n"
    "Receiving server: mx.example.net (192.0.2.25)\n"
    "\n"
    "dave@example.net\n"
    "3/3/2025 9:15:02 PM - Remote Server at mx.example.net (192.0.2.25) returned '550 4.4.7 Q"
    "UEUE.Expired; message expired'\n"
    "3/3/2025 9:05:40 PM - Remote Server at mx.example.net (192.0.2.25) returned '451 4.4.0 P"
    "rimary target IP address responded with: \"421 4.3.2 Service not available.\"'\n"
    "\n"
    "Original message headers:\n"
    "\n"
    "Message-ID: <def456@example.org>\n";

static const char msg_exchange_french_qp[] =
    "From: postmaster@example.fr\n"
    "To: alice@example.org\n"
    "Subject: Non remis : Bonjour\n"
    "Content-Language: fr-FR\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"NDR-1\"\n"
    "\n"
    "--NDR-1\n"
    "Content-Type: text/plain; charset=\"iso-8859-1\"\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "=C9chec de la remise pour ces destinataires ou groupes :\n"
    "\n"
    "eve@example.fr<mailto:eve@example.fr>\n"
    "L'adresse de messagerie que vous avez entr=E9e est introuvable. V=E9rifiez =\n"
    "l'adresse de messagerie du destinataire et essayez de renvoyer le message.\n"
    "\n"
    "Informations de diagnostic pour les administrateurs :\n"
    "\n"
    "Serveur de g=E9n=E9ration : SRV01.example.fr\n"
    "\n"
    "eve@example.fr\n"
    "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not fou=\n"
    "nd'\n"
    "\n"
    "En-t=EAtes de message d'origine :\n"
    "\n"
    "Received: from SRV01.example.fr (192.0.2.30) by SRV01.example.fr\n"
    "Message-ID: <x1@example.org>\n"
    "\n"
    "--NDR-1--\n";

static const char msg_exchange_2007_tag[] =
    "From: postmaster@example.org\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: Minutes\n"
    "Content-Type: text/plain; charset=\"us-ascii\"\n"
    "\n"
    "Delivery has failed to these recipients or distribution lists:\n"
    "\n"
    "frank@example.com\n"
    "The recipient's e-mail address was not found in the recipient's e-mail system. Microsoft"
    " Exchange will not try to redeliver this message for you.\n"
    "\n"
    "Sent by Microsoft Exchange Server 2007\n"
    "\n"
    "Diagnostic information for administrators:\n"
    "\n"
    "Generating server: mail.example.org\n"
    "\n"
    "frank@example.com\n"
    "#< #5.1.1 smtp;550 5.1.1 <frank@example.com>... User unknown> #SMTP#\n"
    "\n"
    "Original message headers:\n"
    "\n"
    "Message-ID: <ghi789@example.org>\n";

static const char msg_exchange_2003[] =
    "From: System Administrator <postmaster@example.org>\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: Lunch\n"
    "X-MS-Embedded-Report:\n"
    "X-MimeOLE: Produced By Microsoft Exchange V6.5\n"
    "Content-Type: text/plain; charset=\"iso-8859-1\"\n"
    "\n"
    "Your message did not reach some or all of the intended recipients.\n"
    "\n"
    "      Subject:\tLunch\n"
    "      Sent:\t3/3/2005 10:00 AM\n"
    "\n"
    "The following recipient(s) could not be reached:\n"
    "\n"
    "      grace@example.net on 3/3/2005 10:00 AM\n"
    "            The e-mail account does not exist at the organization this message was sent "
    "to.\n"
    "            <mx.example.net #5.1.1 smtp;550 5.1.1 <grace@example.net>... User unknown>\n"
    "\n"
    "      heidi@example.org on 3/3/2005 10:00 AM\n"
    "            The recipient name is not recognized\n"
    "            MSEXCH:IMS:EXAMPLE:ORG:EX01 0 (000C05A6) Unknown Recipient\n";

static const char msg_office365_2017[] =
    "From: Microsoft Outlook <postmaster@example.onmicrosoft.com>\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: Invoice\n"
    "X-MS-Exchange-Message-Is-Ndr:\n"
    "Content-Type: text/plain; charset=\"utf-8\"\n"
    "\n"
    "Your message to ivan@example.net couldn't be delivered.\n"
    "\n"
    "ivan wasn't found at example.net.\n"
    "\n"
    "How to Fix It\n"
    "The address may be misspelled or may not exist.\n"
    "\n"
    "More Info for Email Admins\n"
    "Status code: 550 5.1.10\n"
    "\n"
    "Original Message Details\n"
    "Created Date:   3/3/2025 10:00:00 AM\n"
    "Sender Address: alice@example.org\n"
    "Recipient Address:      ivan@example.net\n"
    "Subject:        Invoice\n"
    "\n"
    "Error Details\n"
    "Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP\n"
    "address lookup\n"
    "DSN generated by:       AM0PR01MB0001.eurprd01.prod.example.com\n"
    "\n"
    "Original Message Headers\n"
    "\n"
    "Message-ID: <jkl012@example.org>\n";

static const char msg_outlook_com[] =
    "From: postmaster@hotmail.example.com\n"
    "To: alice@example.org\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "This is an automatically generated Delivery Status Notification.\n"
    "\n"
    "Delivery to the following recipients failed.\n"
    "\n"
    "       judy@example.com\n"
    "\n";

static const char msg_gmail_classic[] =
    "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
    "To: alice@example.org\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "X-Failed-Recipients: judy@example.org\n"
    "Content-Type: text/plain; charset=ISO-8859-1\n"
    "\n"
    "Delivery to the following recipient failed permanently:\n"
    "\n"
    "     judy@example.org\n"
    "\n"
    "Technical details of permanent failure:\n"
    "Google tried to deliver your message, but it was rejected by the server for the recipien"
    "t domain example.org by mx1.example.org. [192.0.2.40].\n"
    "\n"
    "The error that the other server returned was:\n"
    "550 5.1.1 <judy@example.org>... User unknown (state 14).\n"
    "\n"
    "----- Original message -----\n"
    "\n"
    "From: Alice <alice@example.org>\n"
    "To: judy@example.org\n"
    "Subject: Hello\n";

static const char msg_gmail_delay_qp[] =
    "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
    "To: alice@example.org\n"
    "Subject: Delivery Status Notification (Delay)\n"
    "Content-Type: text/plain; charset=ISO-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "This is an automatically generated Delivery Status Notification\n"
    "\n"
    "THIS IS A WARNING MESSAGE ONLY.\n"
    "\n"
    "YOU DO NOT NEED TO RESEND YOUR MESSAGE.\n"
    "\n"
    "Delivery to the following recipient has been delayed:\n"
    "\n"
    "     ken@example.net\n"
    "\n"
    "Message will be retried for 2 more day(s)\n"
    "\n"
    "Technical details of temporary failure:=20\n"
    "Google tried to deliver your message, but it was rejected by the recipient =\n"
    "domain. We recommend contacting the other email provider for further inform=\n"
    "ation about the cause of this error. The error that the other server return=\n"
    "ed was: 452 452 4.2.2 <ken@example.net>... Mailbox full (state 14).\n"
    "\n"
    "----- Original message -----\n"
    "\n"
    "Subject: Weekend\n";

static const char msg_gmail_2016[] =
    "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
    "To: alice@example.org\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "X-Failed-Recipients: leo@example.com\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\n"
    "\n"
    "** Address not found **\n"
    "\n"
    "Your message wasn't delivered to leo@example.com because the address couldn't be found, "
    "or is unable to receive mail.\n"
    "\n"
    "The response from the remote server was:\n"
    "550 5.1.1 The email account that you tried to reach does not exist.\n";

static const char msg_google_groups[] =
    "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
    "To: alice@example.org\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "X-Failed-Recipients: team-list@googlegroups.com\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\n"
    "\n"
    "Hello alice@example.org,\n"
    "\n"
    "We're writing to let you know that the group you tried to contact (team-list) may not ex"
    "ist, or you may not have permission to post messages to the group.\n"
    "\n"
    "If you have questions related to this or any other Google Group, visit the Help Center a"
    "t https://groups.google.com/support/.\n"
    "\n"
    "Thanks,\n"
    "\n"
    "Google Groups\n"
    "\n"
    "----- Original message -----\n"
    "\n"
    "Subject: Hi team\n";

static const char msg_yahoo_two[] =
    "From: MAILER-DAEMON@yahoo.example.com\n"
    "To: alice@example.org\n"
    "Subject: Failure Notice\n"
    "\n"
    "Sorry, we were unable to deliver your message to the following address.\n"
    "\n"
    "<mike@example.com>:\n"
    "Remote host said:\n"
    "550 5.1.1 <mike@example.com>... User Unknown\n"
    "[RCPT_TO]\n"
    "\n"
    "<nina@example.net>:\n"
    "Remote host said: 552 5.2.2 <nina@example.net>... Mailbox Full [RCPT_TO]\n"
    "\n"
    "--- Below this line is a copy of the message.\n"
    "\n"
    "Subject: Party\n";

static const char msg_ses_sns[] =
    "From: AWS Notifications <no-reply@sns.example.com>\n"
    "To: alice@example.org\n"
    "Subject: SES bounce notification\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "x-amz-sns-message-id: 5f0e0000-0000-4000-8000-000000000001\n"
    "\n"
    "{\n"
    "  \"Type\" : \"Notification\",\n"
    "  \"MessageId\" : \"5f0e0000-0000-4000-8000-000000000001\",\n"
    "  \"TopicArn\" : \"arn:aws:sns:us-east-1:123456789012:ses-bounces\",\n"
    "  \"Message\" : \"{\\\"notificationType\\\":\\\"Bounce\\\",\\\"bounce\\\":{\\\"bounceType\\"
    "\":\\\"Permanent\\\""
    ",\\\"bounceSubType\\\":\\\"General\\\",\\\"bouncedRecipients\\\":[{\\\"emailAddress\\\":\\"
    "\"oscar@example."
    "com\\\",\\\"action\\\":\\\"failed\\\",\\\"status\\\":\\\"5.1.1\\\",\\\"diagnosticCode\\\":"
    "\\\"smtp; 550 5.1.1 <o"
    "scar@example.com>: Recipient address rejected: \\\\\\\"User unknown\\\\\\\"\\\"},{\\\"emai"
    "lAddress\\\""
    ":\\\"peggy@example.net\\\",\\\"action\\\":\\\"failed\\\",\\\"status\\\":\\\"5.2.2\\\",\\\""
    "diagnosticCode\\\":\\\"s"
    "mtp; 552 5.2.2 Mailbox full\\\"}],\\\"timestamp\\\":\\\"2025-03-03T10:00:00.000Z\\\",\\\"f"
    "eedbackId\\"
    "\":\\\"0100018f-aaaa-bbbb-cccc-000000000000-000000\\\",\\\"remoteMtaIp\\\":\\\"192.0.2.50\\"
    "\",\\\"repor"
    "tingMTA\\\":\\\"dsn; a1-2.smtp-out.amazonses.com\\\"},\\\"mail\\\":{\\\"timestamp\\\":\\\""
    "2025-03-03T09:"
    "59:59.000Z\\\",\\\"source\\\":\\\"alice@example.org\\\",\\\"destination\\\":[\\\"oscar@exa"
    "mple.com\\\",\\\"p"
    "eggy@example.net\\\"]}}\",\n"
    "  \"Timestamp\" : \"2025-03-03T10:00:00.100Z\"\n"
    "}\n";

static const char msg_ses_complaint[] =
    "From: AWS Notifications <no-reply@sns.example.com>\n"
    "To: alice@example.org\n"
    "Subject: AWS Notification Message (ses-bounces topic)\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "\n"
    "{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddre"
    "ss\":\"ru"
    "pert@example.com\"}],\"timestamp\":\"2025-03-03T10:00:00.000Z\",\"feedbackId\":\"0100018f-"
    "dddd\","
    "\"complaintFeedbackType\":\"abuse\"},\"mail\":{\"source\":\"alice@example.org\",\"destinat"
    "ion\":[\"ru"
    "pert@example.com\"]}}\n";

static const char msg_ses_delivery[] =
    "From: AWS Notifications <no-reply@sns.example.com>\n"
    "To: alice@example.org\n"
    "Subject: AWS Notification Message (ses-bounces topic)\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "\n"
    "{\"notificationType\":\"Delivery\",\"mail\":{\"source\":\"alice@example.org\",\"destinatio"
    "n\":[\"sam@"
    "example.com\"]},\"delivery\":{\"timestamp\":\"2025-03-03T10:00:01.000Z\",\"processingTimeM"
    "illis\""
    ":812,\"recipients\":[\"sam@example.com\"],\"smtpResponse\":\"250 2.0.0 OK 1741000000 queue"
    "d\",\"r"
    "emoteMtaIp\":\"192.0.2.60\",\"reportingMTA\":\"a1-2.smtp-out.amazonses.com\"}}\n";

static const char msg_workmail_b64[] =
    "Return-Path: <>\n"
    "From: MAILER-DAEMON@us-west-2.amazonses.com\n"
    "To: alice@example.org\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"WM-1\"\n"
    "\n"
    "--WM-1\n"
    "Content-Type: text/plain; charset=iso-8859-15\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "QW4gZXJyb3Igb2NjdXJyZWQgd2hpbGUgdHJ5aW5nIHRvIGRlbGl2ZXIgdGhlIG1haWwgdG8gdGhl\n"
    "IGZvbGxvd2luZyByZWNpcGllbnRzOgpxdWVudGluQGV4YW1wbGUubmV0CgpUZWNobmljYWwgcmVw\n"
    "b3J0OgoKUmVwb3J0aW5nLU1UQTogZHNuOyBhMS0yLnNtdHAtb3V0LnVzLXdlc3QtMi5hbWF6b25z\n"
    "ZXMuY29tCgpBY3Rpb246IGZhaWxlZApGaW5hbC1SZWNpcGllbnQ6IHJmYzgyMjsgcXVlbnRpbkBl\n"
    "eGFtcGxlLm5ldApEaWFnbm9zdGljLUNvZGU6IHNtdHA7IDU1NCA0LjQuNyBNZXNzYWdlIGV4cGly\n"
    "ZWQ6IHVuYWJsZSB0byBkZWxpdmVyIGluIDg0MCBtaW51dGVzLjw0MjEgNC40LjIgQ29ubmVjdGlv\n"
    "biB0aW1lZCBvdXQ+ClN0YXR1czogNC40LjcKCg==\n"
    "\n"
    "--WM-1\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "Subject: Hello\n"
    "From: alice@example.org\n"
    "To: quentin@example.net\n"
    "\n"
    "Hi\n"
    "--WM-1--\n";

static const char msg_mdaemon_rcpt[] =
    "From: \"MDaemon at mail.example.org\" <MDaemon@mail.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Permanent Delivery Failure\n"
    "X-MDaemon-Deliver-To: alice@example.org\n"
    "Content-Type: text/plain\n"
    "\n"
    "The attached message had PERMANENT fatal delivery errors!\n"
    "\n"
    "After one or more unsuccessful delivery attempts the attached message has\n"
    "been removed from the mail queue on this server.\n"
    "\n"
    "YOUR MESSAGE WAS NOT DELIVERED TO ONE OR MORE RECIPIENTS!\n"
    "\n"
    "--- Session Transcript ---\n"
    " Mon 2025-03-03 10:00:00.001: Parsing message <pd50000001.msg>\n"
    " Mon 2025-03-03 10:00:00.002: *  From: alice@example.org\n"
    " Mon 2025-03-03 10:00:00.002: *  To: rob@example.com\n"
    " Mon 2025-03-03 10:00:00.002: *  To: sybil@example.com\n"
    " Mon 2025-03-03 10:00:00.100: Attempting SMTP connection to [mx.example.com : 25]\n"
    " Mon 2025-03-03 10:00:00.200: <-- 220 mx.example.com ESMTP\n"
    " Mon 2025-03-03 10:00:00.201: --> EHLO mail.example.org\n"
    " Mon 2025-03-03 10:00:00.250: <-- 250 mx.example.com\n"
    " Mon 2025-03-03 10:00:00.251: --> MAIL From:<alice@example.org>\n"
    " Mon 2025-03-03 10:00:00.300: <-- 250 2.1.0 Ok\n"
    " Mon 2025-03-03 10:00:00.301: --> RCPT To:<rob@example.com>\n"
    " Mon 2025-03-03 10:00:00.350: <-- 550 5.1.1 <rob@example.com>: Recipient address rejecte"
    "d: User unknown\n"
    " Mon 2025-03-03 10:00:00.351: --> RCPT To:<sybil@example.com>\n"
    " Mon 2025-03-03 10:00:00.400: <-- 250 2.1.5 Ok\n"
    " Mon 2025-03-03 10:00:00.401: --> DATA\n"
    " Mon 2025-03-03 10:00:00.450: <-- 354 End data with <CR><LF>.<CR><LF>\n"
    " Mon 2025-03-03 10:00:00.500: <-- 250 2.0.0 Ok: queued\n"
    " Mon 2025-03-03 10:00:00.501: --> QUIT\n"
    "--- End Transcript ---\n";

static const char msg_mdaemon_data[] =
    "From: \"MDaemon at mail.example.org\" <MDaemon@mail.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Permanent Delivery Failure\n"
    "Content-Type: text/plain\n"
    "\n"
    "The attached message had PERMANENT fatal delivery errors!\n"
    "\n"
    "--- Session Transcript ---\n"
    " Mon 2025-03-03 11:00:00.001: *  To: tina@example.com\n"
    " Mon 2025-03-03 11:00:00.002: *  To: uma@example.com\n"
    " Mon 2025-03-03 11:00:00.201: --> EHLO mail.example.org\n"
    " Mon 2025-03-03 11:00:00.250: <-- 250-mx.example.com\n"
    " Mon 2025-03-03 11:00:00.250: <-- 250 SIZE 10240000\n"
    " Mon 2025-03-03 11:00:00.251: --> MAIL From:<alice@example.org>\n"
    " Mon 2025-03-03 11:00:00.300: <-- 250 2.1.0 Ok\n"
    " Mon 2025-03-03 11:00:00.301: --> RCPT To:<tina@example.com>\n"
    " Mon 2025-03-03 11:00:00.350: <-- 250 2.1.5 Ok\n"
    " Mon 2025-03-03 11:00:00.351: --> RCPT To:<uma@example.com>\n"
    " Mon 2025-03-03 11:00:00.400: <-- 250 2.1.5 Ok\n"
    " Mon 2025-03-03 11:00:00.401: --> DATA\n"
    " Mon 2025-03-03 11:00:00.450: <-- 354 End data with <CR><LF>.<CR><LF>\n"
    " Mon 2025-03-03 11:00:00.500: <-- 554-5.7.1 Message rejected: it looks like spam\n"
    " Mon 2025-03-03 11:00:00.500: <-- 554 5.7.1 See https://example.com/policy\n"
    " Mon 2025-03-03 11:00:00.501: --> QUIT\n"
    "--- End Transcript ---\n";

static const char msg_mdaemon_noconnect[] =
    "From: \"MDaemon at mail.example.org\" <MDaemon@mail.example.org>\n"
    "To: alice@example.org\n"
    "Subject: Permanent Delivery Failure\n"
    "Content-Type: text/plain\n"
    "\n"
    "The attached message had PERMANENT fatal delivery errors!\n"
    "\n"
    "--- Session Transcript ---\n"
    " Mon 2025-03-03 12:00:00.001: *  To: victor@example.net\n"
    " Mon 2025-03-03 12:00:00.100: Attempting SMTP connection to [example.net : 25]\n"
    " Mon 2025-03-03 12:00:00.200: Resolving MX records for [example.net] (DNS Server: 192.0."
    "2.53)...\n"
    " Mon 2025-03-03 12:00:00.300: Error: No MX records found for example.net; host not found\n"
    "--- End Transcript ---\n";

static const char msg_imail_user[] = "From: \"Postmaster\" <postmaster@mail.example.org>\n"
                                     "Sender: <postmaster@mail.example.org>\n"
                                     "To: alice@example.org\n"
                                     "Subject: Undeliverable Mail\n"
                                     "X-Mailer: <SMTP32 v8.22>\n"
                                     "Content-Type: text/plain; charset=us-ascii\n"
                                     "\n"
                                     "Unknown user: trent@example.org\n"
                                     "User mailbox exceeds allowed size: ursula@example.org\n"
                                     "Delivery failed 20 attempts: vera@example.net\n"
                                     "\n"
                                     "\n"
                                     "Original message follows.\n"
                                     "\n"
                                     "Subject: Notes\n";

static const char msg_imail_response[] = "From: \"Postmaster\" <postmaster@mail.example.org>\n"
                                         "To: alice@example.org\n"
                                         "Subject: Undeliverable Mail\n"
                                         "Content-Type: text/plain; charset=us-ascii\n"
                                         "\n"
                                         "undeliverable to walter@example.com\n"
                                         "\n"
                                         "Body of message generated response:\n"
                                         "554-5.7.1 Message rejected because of its content.\n"
                                         "554 5.7.1 See https://example.com/policy for details.\n"
                                         "\n"
                                         "Original message follows.\n"
                                         "\n"
                                         "Subject: Offer\n";

static const char msg_domino[] =
    "From: Postmaster@example.com\n"
    "To: alice@example.org\n"
    "Subject: DELIVERY FAILURE: User victor (victor@example.com) not listed in Domino Directo"
    "ry\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "\n"
    "Your message\n"
    "\n"
    "  Subject: Meeting\n"
    "\n"
    "was not delivered to:\n"
    "\n"
    "  victor@example.com\n"
    "\n"
    "because:\n"
    "\n"
    "  User victor (victor@example.com) not listed in Domino Directory\n"
    "\n";

static const char msg_notes[] = "From: postmaster@gw.example.com\n"
                                "To: alice@example.org\n"
                                "Subject: Undeliverable message\n"
                                "Content-Type: text/plain; charset=ISO-8859-1\n"
                                "\n"
                                "------- Failure Reasons  --------\n"
                                "\n"
                                "User not listed in public Name & Address Book\n"
                                "wanda@example.com\n"
                                "\n"
                                "------- Returned Message --------\n"
                                "Subject: Hello\n";

static const char msg_zoho[] =
    "From: mailer-daemon@mail.zoho.example.com\n"
    "To: alice@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "User-Agent: Zoho Mail\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\n"
    "\n"
    "This message was created automatically by mail delivery software.\n"
    "A message that you sent could not be delivered to one or more of its recipients. This is"
    " a permanent error.\n"
    "\n"
    "wendy@example.com Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <wendy@example.com"
    ">... User Unknown\n"
    "xena@example.com Invalid Address, ERROR_CODE :550, ERROR_CODE :5.2.2 <xena@example.com>."
    ".. Mailbox Full\n"
    "\n"
    "\n"
    "Received:from mail.zoho.example.com by mx.zohomail.example.com\n"
    "Subject:Hello\n";

static const char msg_gmx[] = "From: MAILER-DAEMON@mail.gmx.example.net\n"
                              "To: alice@example.org\n"
                              "Subject: Mail delivery failed: returning message to sender\n"
                              "Content-Type: text/plain; charset=utf-8\n"
                              "\n"
                              "This message was created automatically by mail delivery software.\n"
                              "\n"
                              "A message that you sent could not be delivered to one or more of\n"
                              "its recipients. This is a permanent error. The following address\n"
                              "failed:\n"
                              "\n"
                              "\"xavier@example.com\":\n"
                              "SMTP error from remote server after RCPT command:\n"
                              "host: mx.example.com\n"
                              "550 5.1.1 <xavier@example.com>... User Unknown\n"
                              "\n"
                              "\n"
                              "--- The header of the original message is following. ---\n"
                              "\n"
                              "Subject: Hello\n";

static const char msg_kddi[] = "Return-Path: <>\n"
                               "From: no-reply@dion.example.jp\n"
                               "To: alice@example.org\n"
                               "Subject: Mail\n"
                               "Content-Type: text/plain; charset=\"ISO-2022-JP\"\n"
                               "\n"
                               "Your mail sent on: Mon, 3 Mar 2025 10:00:00 +0900\n"
                               "     Could not be delivered to: <yuri@example.jp>\n"
                               "     As their mailbox is full.\n";

/* The same notice as au sends it: no null Return-Path, only its
 * Japanese subject ("mail error notification", RFC 2047) says bounce. */
static const char msg_kddi_subject[] = "From: no-reply@dion.example.jp\n"
                                       "To: alice@example.org\n"
                                       "Subject: =?UTF-8?B?44Oh44O844Or44Ko44Op44O86YCa55+l?=\n"
                                       "Content-Type: text/plain; charset=\"UTF-8\"\n"
                                       "\n"
                                       "Your mail sent on: Mon, 3 Mar 2025 10:00:00 +0900\n"
                                       "     Could not be delivered to: <yuri@example.jp>\n"
                                       "     As their mailbox is full.\n";

static const char msg_ezweb[] = "From: Postmaster@ezweb.example.jp\n"
                                "To: alice@example.org\n"
                                "Subject: Mail System Error - Returned Mail\n"
                                "Content-Type: text/plain; charset=\"ISO-2022-JP\"\n"
                                "\n"
                                "Each of the following recipients was rejected by a remote\n"
                                "mail server.\n"
                                "\n"
                                "    Recipient: <zack@ezweb.example.jp>\n"
                                "    >>> RCPT TO:<zack@ezweb.example.jp>\n"
                                "    <<< 550 <zack@ezweb.example.jp>: User unknown\n"
                                "\n";

static const char msg_biglobe[] =
    "From: postmaster@biglobe.example.jp\n"
    "To: alice@example.org\n"
    "Subject: Returned mail: Service unavailable\n"
    "Content-Type: text/plain; charset=\"iso-2022-jp\"\n"
    "\n"
    "   ----- The following addresses had delivery problems -----\n"
    "amy@example.jp\n"
    "\n"
    "   ----- Non-delivered information -----\n"
    "The number of messages in recipient's mailbox exceeded the local limit.\n";

static const char msg_verizon[] = "Return-Path: <>\n"
                                  "From: post_master@vtext.example.com\n"
                                  "To: alice@example.org\n"
                                  "Subject: Re: Hello\n"
                                  "Content-Type: text/plain; charset=us-ascii\n"
                                  "\n"
                                  "Error: Invalid user address\n"
                                  "\n"
                                  "Error message below:\n"
                                  "550 - Requested action not taken: no such user here\n"
                                  "\n"
                                  "Message details:\n"
                                  "  Subject: Hello\n"
                                  "  Sent date: Mon Mar 03 10:00:00 GMT 2025\n"
                                  "  MAIL FROM: alice@example.org\n"
                                  "  RCPT TO: 5551230000@vtext.example.com\n"
                                  "  Size (in bytes): 222\n";

static const char msg_interscan[] =
    "From: \"InterScan MSS\" <postmaster@example.co.jp>\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable message\n"
    "Content-Type: text/plain\n"
    "\n"
    "Sent <<< RCPT TO:<brian@example.co.jp>\n"
    "Received >>> 550 5.1.1 <brian@example.co.jp>... user unknown\n";

static const char msg_mailfoundry[] =
    "From: MAILER-DAEMON@example.org\n"
    "To: alice@example.org\n"
    "Subject: Message delivery has failed\n"
    "Content-Type: text/plain\n"
    "\n"
    "Unable to deliver message to: <cathy@example.org>\n"
    "Delivery failed for the following reason:\n"
    "Server mx.example.org[192.0.2.70] failed with: 550 <cathy@example.org> No such user here\n"
    "\n"
    "This has been a permanent failure.  No further delivery attempts will be made.\n";

static const char msg_mfilter[] =
    "From: POSTMASTER <postmaster@example.co.jp>\n"
    "To: alice@example.org\n"
    "Subject: failure notice\n"
    "Content-Type: text/plain\n"
    "\n"
    "dan@example.co.jp\n"
    "\n"
    "\n"
    "-------server message\n"
    "550 5.1.1 <dan@example.co.jp>: Recipient address rejected: User unknown\n"
    "\n"
    "-------SMTP command\n"
    "RCPT\n"
    "\n"
    "-------original message\n"
    "Subject: Hello\n";

static const char msg_surfcontrol[] =
    "From: <MAILER-DAEMON@example.com>\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable\n"
    "Content-Type: text/plain\n"
    "\n"
    "Your message could not be sent.\n"
    "A transcript of the attempts to send the message follows.\n"
    "The number of attempts made: 1\n"
    "Addressed To: ella@example.com\n"
    "\n"
    "Mon 3 Mar 2025 10:00:00 +0900\n"
    "Failed to send to identified host,\n"
    "ella@example.com: [192.0.2.80], 550 ella@example.com... No such user\n"
    "--- Message non-deliverable.\n";

static const char msg_mailmarshal[] = "From: postmaster@example.com\n"
                                      "To: alice@example.org\n"
                                      "Subject: Undeliverable Mail: \"Hello\"\n"
                                      "Content-Type: text/plain; charset=\"iso-8859-1\"\n"
                                      "\n"
                                      "Your message:\n"
                                      "   From:    alice@example.org\n"
                                      "   Subject: Hello\n"
                                      "\n"
                                      "Could not be delivered because of\n"
                                      "\n"
                                      "550 5.1.1 User unknown\n"
                                      "\n"
                                      "The following recipients were affected:\n"
                                      "    fred@example.com\n"
                                      "\n"
                                      "Additional Information\n"
                                      "======================\n"
                                      "Original Sender:    <alice@example.org>\n"
                                      "Remote-MTA:         <192.0.2.90>\n";

static const char msg_mimecast[] =
    "From: \"postmaster\" <postmaster@example.org>\n"
    "To: <alice@example.jp>\n"
    "Subject: [Postmaster] Email Delivery Failure\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "\n"
    "This is an automated alert notification. Please do not reply.\n"
    "\n"
    "An email that you attempted to send to the following address could not be delivered:\n"
    "-- jack@example.org\n"
    "\n"
    "The problem appears to be :\n"
    "-- Recipient email address is possibly incorrect\n"
    "\n"
    "Additional information follows :\n"
    "-- 550 5.1.1 User unknown\n"
    "\n"
    "This condition occurred after 1 attempt(s) to deliver over\n"
    "a period of 0 hour(s).\n";

static const char msg_x1[] =
    "From: \"Mail Deliver System\" <MAILER-DAEMON@example.jp>\n"
    "To: alice@example.org\n"
    "Subject: Returned Mail: User unknown\n"
    "Content-Type: text/plain\n"
    "\n"
    "The original message was received at Mon, 3 Mar 2025 10:00:00 +0900 (JST)\n"
    "from alice@example.org\n"
    "\n"
    "---The following addresses had delivery errors---\n"
    "\n"
    "gina@example.co.jp [User unknown]\n"
    "\n";

static const char msg_x2[] =
    "From: MAILER-DAEMON@example.co.jp\n"
    "To: alice@example.org\n"
    "Subject: Delivery failure\n"
    "\n"
    "Message from example.co.jp.\n"
    "Unable to deliver message to the following address(es).\n"
    "\n"
    "<hank@example.co.jp>:\n"
    "Sorry, your message to hank@example.co.jp cannot be delivered.  This account is over quo"
    "ta.\n"
    "\n"
    "--- Original message follows.\n"
    "\n"
    "Subject: Hello\n";

static const char msg_x3[] =
    "From: Mail Delivery System <Mail.Delivery.System@mx.example.com>\n"
    "To: alice@example.org\n"
    "Subject: Delivery status notification\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "\n"
    "============================================================================\n"
    "      This is an automatically generated Delivery Status Notification.\n"
    "\n"
    "Delivery to the following recipients was aborted after 5.0 hour(s):\n"
    "\n"
    "  * iris@example.co.jp\n"
    "\n"
    "\n"
    "============================================================================\n"
    "                             Technical details:\n"
    "\n"
    "Routing: Could not find a gateway for iris@example.co.jp\n"
    "\n"
    "\n"
    "============================================================================\n";

static const char msg_x4[] =
    "From: MAILER-DAEMON@smtp.example.net\n"
    "To: alice@example.org\n"
    "Subject: failure notice\n"
    "\n"
    "Your mail message to the following address(es) could not be delivered. This\n"
    "is a permanent error. Please verify the addresses and try again.\n"
    "\n"
    "<jack@example.com>:\n"
    "child status 100...The e-mail message could not be delivered because the user's mailfold"
    "er is full.\n"
    "\n"
    "--- Below this line is a copy of the message.\n"
    "\n"
    "Subject: Hello\n";

static const char msg_x6[] =
    "From: mailer-daemon\n"
    "To: alice@example.org\n"
    "Subject: There was an error sending your mail\n"
    "Auto-Submitted: auto-replied\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "We had trouble delivering your message. Full details follow:\n"
    "\n"
    "Subject: 'Hello'\n"
    "Date: 'Mon, 3 Mar 2025 10:00:00 +0000'\n"
    "\n"
    "1 error(s):\n"
    "\n"
    "SMTP Server <mx.example.org> rejected recipient <kim@example.org> (Error following RCPT "
    "command). It responded as follows: [550 5.1.1 User unknown\n"
    "\n"
    "The attachment contains the original mail headers.\n";

static const char msg_not_a_bounce[] =
    "From: Alice <alice@example.org>\n"
    "To: bob@example.com\n"
    "Subject: About that error\n"
    "Content-Type: text/plain\n"
    "\n"
    "Hi Bob, the server said:\n"
    "\n"
    "bob@example.com\n"
    "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n"
    "\n"
    "Sorry, we were unable to deliver your message to the following address.\n";

static const char msg_exchange_people_only[] =
    "From: postmaster@example.org\n"
    "To: alice@example.org\n"
    "Subject: Undeliverable: Hello\n"
    "X-MS-Exchange-Message-Is-Ndr:\n"
    "Content-Type: text/plain\n"
    "\n"
    "Delivery has failed to these recipients or groups:\n"
    "\n"
    "liam@example.com<mailto:liam@example.com>\n"
    "The email address you entered couldn't be found.\n"
    "\n";

/* ---- Microsoft Exchange, Office 365, Outlook.com ---- */

static const char msg_exchange_one_line[] = "From: System Administrator <postmaster@example.net>\n"
                                            "To: alice@example.org\n"
                                            "Subject: Undeliverable: Lunch\n"
                                            "Content-Type: text/plain; charset=\"us-ascii\"\n"
                                            "\n"
                                            "Your message\n"
                                            "\n"
                                            "  To:      <rob@example.net>\n"
                                            "  Subject: Lunch\n"
                                            "\n"
                                            "did not reach the following recipient: rob@example.net\n";

Test(decoders_hosted, exchange_recipient_on_the_heading_line)
{
    static const struct want w[] = {
        { "rob@example.net", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_exchange_one_line, SMTPSTATUS_DECODER_EXCHANGE, 0, 1, w);
}

Test(decoders_hosted, exchange_administrators_part_two_recipients)
{
    /* The quote of the second reply holds an apostrophe of its own; the
     * host line between address and reply names the remote server. */
    static const struct want w[] = {
        { "bob@example.com", 550, "5.1.1", FAILED, NOSTAGE, "" },
        { "carol@example.net", 552, "5.2.2", FAILED, NOSTAGE, "mx.example.net" },
    };
    check(msg_exchange_admin, SMTPSTATUS_DECODER_EXCHANGE, 0, 2, w);
}

Test(decoders_hosted, exchange_latest_attempt_of_several)
{
    static const struct want w[] = {
        { "dave@example.net", 550, "4.4.7", FAILED, NOSTAGE, "mx.example.net" },
    };
    check(msg_exchange_expired, SMTPSTATUS_DECODER_EXCHANGE, 0, 1, w);
}

Test(decoders_hosted, exchange_localized_quoted_printable)
{
    static const struct want w[] = {
        { "eve@example.fr", 550, "5.1.1", FAILED, NOSTAGE, NULL },
    };
    check(msg_exchange_french_qp, SMTPSTATUS_DECODER_EXCHANGE, 0, 1, w);
}

Test(decoders_hosted, exchange_2007_smtp_tag)
{
    static const struct want w[] = {
        { "frank@example.com", 550, "5.1.1", FAILED, NOSTAGE, NULL },
    };
    check(msg_exchange_2007_tag, SMTPSTATUS_DECODER_EXCHANGE, 0, 1, w);
}

Test(decoders_hosted, exchange_2003_tag_and_msexch_code)
{
    static const struct want w[] = {
        { "grace@example.net", 550, "5.1.1", FAILED, NOSTAGE, "mx.example.net" },
        { "heidi@example.org", 0, NULL, FAILED, NOSTAGE, "" },
    };
    check(msg_exchange_2003, SMTPSTATUS_DECODER_EXCHANGE, 0, 2, w);
}

Test(decoders_hosted, office365_2017_layout)
{
    static const struct want w[] = {
        { "ivan@example.net", 550, "5.1.10", FAILED, NOSTAGE,
          "AM0PR01MB0001.eurprd01.prod.example.com" },
    };
    check(msg_office365_2017, SMTPSTATUS_DECODER_EXCHANGE, 0, 1, w);
}

Test(decoders_hosted, outlook_com_names_only_the_recipient)
{
    static const struct want w[] = {
        { "judy@example.com", 0, NULL, FAILED, NOSTAGE, "" },
    };
    check(msg_outlook_com, SMTPSTATUS_DECODER_EXCHANGE, 0, 1, w);
}

Test(decoders_hosted, exchange_part_for_people_alone)
{
    static const struct want w[] = {
        { "liam@example.com", 0, NULL, FAILED, NOSTAGE, "" },
    };
    check(msg_exchange_people_only, SMTPSTATUS_DECODER_EXCHANGE, 0, 1, w);
}

/* ---- Gmail, Google Groups ---- */

Test(decoders_hosted, gmail_classic_with_state_and_host)
{
    static const struct want w[] = {
        { "judy@example.org", 550, "5.1.1", FAILED, RCPT, "mx1.example.org" },
    };
    check(msg_gmail_classic, SMTPSTATUS_DECODER_GMAIL, 0, 1, w);
}

Test(decoders_hosted, gmail_delay_in_quoted_printable)
{
    static const struct want w[] = {
        { "ken@example.net", 452, "4.2.2", DELAYED, RCPT, NULL },
    };
    check(msg_gmail_delay_qp, SMTPSTATUS_DECODER_GMAIL, 0, 1, w);
}

Test(decoders_hosted, gmail_2016_layout)
{
    static const struct want w[] = {
        { "leo@example.com", 550, "5.1.1", FAILED, NOSTAGE, NULL },
    };
    check(msg_gmail_2016, SMTPSTATUS_DECODER_GMAIL, 0, 1, w);
}

Test(decoders_hosted, google_groups_refusal)
{
    static const struct want w[] = {
        { "team-list@googlegroups.com", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_google_groups, SMTPSTATUS_DECODER_GMAIL, 0, 1, w);
}

/* ---- Yahoo ---- */

Test(decoders_hosted, yahoo_two_recipients_and_steps)
{
    static const struct want w[] = {
        { "mike@example.com", 550, "5.1.1", FAILED, RCPT, NULL },
        { "nina@example.net", 552, "5.2.2", FAILED, RCPT, NULL },
    };
    check(msg_yahoo_two, SMTPSTATUS_DECODER_YAHOO, SMTPSTATUS_DECODER_QMAIL, 2, w);
}

/* ---- Amazon SES, Amazon WorkMail ---- */

Test(decoders_hosted, ses_notification_inside_sns_envelope)
{
    static const struct want w[] = {
        { "oscar@example.com", 550, "5.1.1", FAILED, NOSTAGE, "192.0.2.50" },
        { "peggy@example.net", 552, "5.2.2", FAILED, NOSTAGE, "192.0.2.50" },
    };
    check(msg_ses_sns, SMTPSTATUS_DECODER_AMAZON_SES, 0, 2, w);
    /* The Diagnostic-Code's type goes apart, as in a delivery-status part. */
    struct parsed *p = parse_guarded(msg_ses_sns, strlen(msg_ses_sns));
    cr_assert(text_is(&p->r[0].diagnostic_type, "smtp"));
    cr_assert(p->r[0].diagnostic.len > 3 && memcmp(p->r[0].diagnostic.ptr, "550", 3) == 0);
    release(p);
}

Test(decoders_hosted, ses_notification_inside_sns_envelope_known_by_its_json)
{
    /* SNS's own subject says nothing of a bounce, nor does its sender: only
     * the escaped \"notificationType\" in the JSON does. */
    static const struct want w[] = {
        { "oscar@example.com", 550, "5.1.1", FAILED, NOSTAGE, NULL },
        { "peggy@example.net", 552, "5.2.2", FAILED, NOSTAGE, NULL },
    };
    char msg[sizeof msg_ses_sns + 64];
    const char *subject = strstr(msg_ses_sns, "Subject: ");
    const char *rest = strchr(subject, '\n');

    cr_assert(subject && rest);
    snprintf(msg, sizeof msg, "%.*sSubject: AWS Notification Message%s", (int)(subject - msg_ses_sns),
             msg_ses_sns, rest);
    check(msg, SMTPSTATUS_DECODER_AMAZON_SES, 0, 2, w);
}

Test(decoders_hosted, ses_complaint_and_delivery_notifications)
{
    struct parsed *p = parse_guarded(msg_ses_complaint, strlen(msg_ses_complaint));
    cr_assert_eq(p->n, 1);
    cr_assert(text_is(&p->r[0].recipient, "rupert@example.com"));
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_COMPLAINT);
    release(p);

    p = parse_guarded(msg_ses_delivery, strlen(msg_ses_delivery));
    cr_assert_eq(p->n, 1);
    cr_assert(text_is(&p->r[0].recipient, "sam@example.com"));
    cr_assert_eq(p->r[0].action, SMTPSTATUS_DSN_ACTION_DELIVERED);
    cr_assert_eq(p->r[0].reply_code, 250);
    release(p);
}

Test(decoders_hosted, workmail_report_in_base64_unwraps_the_expired_reply)
{
    /* "554 4.4.7 Message expired: ...<421 4.4.2 Connection timed out>":
     * the remote server's last reply is the one kept. */
    static const struct want w[] = {
        { "quentin@example.net", 421, "4.4.2", FAILED, NOSTAGE, NULL },
    };
    check(msg_workmail_b64, SMTPSTATUS_DECODER_AMAZON_SES, 0, 1, w);
}

/* ---- MDaemon ---- */

Test(decoders_hosted, mdaemon_rcpt_refusal_names_its_recipient)
{
    static const struct want w[] = {
        { "rob@example.com", 550, "5.1.1", FAILED, RCPT, NULL },
    };
    check(msg_mdaemon_rcpt, SMTPSTATUS_DECODER_MDAEMON, 0, 1, w);
}

Test(decoders_hosted, mdaemon_data_refusal_applies_to_every_recipient)
{
    static const struct want w[] = {
        { "tina@example.com", 554, "5.7.1", FAILED, SMTPSTATUS_STAGE_DATA, NULL },
        { "uma@example.com", 554, "5.7.1", FAILED, SMTPSTATUS_STAGE_DATA, NULL },
    };
    check(msg_mdaemon_data, SMTPSTATUS_DECODER_MDAEMON, 0, 2, w);
}

Test(decoders_hosted, mdaemon_without_a_session)
{
    static const struct want w[] = {
        { "victor@example.net", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_mdaemon_noconnect, SMTPSTATUS_DECODER_MDAEMON, 0, 1, w);
    struct parsed *p = parse_guarded(msg_mdaemon_noconnect, strlen(msg_mdaemon_noconnect));
    cr_assert(
        text_is(&p->r[0].diagnostic, "Error: No MX records found for example.net; host not found"),
        "diagnostic \"%.*s\"", (int)p->r[0].diagnostic.len, p->r[0].diagnostic.ptr);
    release(p);
}

/* ---- IMail ---- */

Test(decoders_hosted, imail_reason_lines)
{
    static const struct want w[] = {
        { "trent@example.org", 0, NULL, FAILED, NOSTAGE, NULL },
        { "ursula@example.org", 0, NULL, FAILED, NOSTAGE, NULL },
        { "vera@example.net", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_imail_user, SMTPSTATUS_DECODER_IMAIL, 0, 3, w);
}

/* IMail's words for its own queue giving up name the reason: expired, a
 * soft bounce of a delivery that has failed. */
Test(decoders_hosted, imail_reasons)
{
    struct parsed *p = parse_guarded(msg_imail_user, strlen(msg_imail_user));
    cr_assert_eq(p->n, 3);
    cr_assert_eq(p->r[0].verdict.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    cr_assert_eq(p->r[1].verdict.reason, SMTPSTATUS_REASON_MAILBOX_FULL);
    cr_assert_eq(p->r[2].verdict.reason, SMTPSTATUS_REASON_EXPIRED);
    cr_assert_eq(p->r[2].verdict.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    cr_assert_eq(p->r[2].verdict.bounce, SMTPSTATUS_BOUNCE_SOFT);
    cr_assert_eq(p->r[2].verdict.action, SMTPSTATUS_ACTION_STOP);
    assert_text(p->r[2].diagnostic, "Delivery failed 20 attempts");
    release(p);
}

Test(decoders_hosted, imail_generated_response)
{
    static const struct want w[] = {
        { "walter@example.com", 554, "5.7.1", FAILED, NOSTAGE, NULL },
    };
    check(msg_imail_response, SMTPSTATUS_DECODER_IMAIL, 0, 1, w);
}

/* ---- Domino, Notes ---- */

Test(decoders_hosted, domino_because)
{
    static const struct want w[] = {
        { "victor@example.com", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_domino, SMTPSTATUS_DECODER_DOMINO, 0, 1, w);
    struct parsed *p = parse_guarded(msg_domino, strlen(msg_domino));
    cr_assert(text_is(&p->r[0].diagnostic,
                      "User victor (victor@example.com) not listed in Domino Directory"));
    release(p);
}

Test(decoders_hosted, notes_failure_reasons)
{
    static const struct want w[] = {
        { "wanda@example.com", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_notes, SMTPSTATUS_DECODER_DOMINO, 0, 1, w);
}

/* ---- Hosted services and gateways ---- */

Test(decoders_hosted, zoho_error_codes)
{
    /* "ERROR_CODE :550" is no reply the reply parser takes, but a
     * labelled reply code; the enhanced code comes through as well. */
    static const struct want w[] = {
        { "wendy@example.com", 550, "5.1.1", FAILED, NOSTAGE, NULL },
        { "xena@example.com", 550, "5.2.2", FAILED, NOSTAGE, NULL },
    };
    check(msg_zoho, SMTPSTATUS_DECODER_GENERIC, 0, 2, w);
}

Test(decoders_hosted, gmx_remote_host_and_command)
{
    static const struct want w[] = {
        { "xavier@example.com", 550, "5.1.1", FAILED, RCPT, "mx.example.com" },
    };
    check(msg_gmx, SMTPSTATUS_DECODER_GENERIC, SMTPSTATUS_DECODER_EXIM, 1, w);
}

Test(decoders_hosted, kddi_mailbox_full)
{
    static const struct want w[] = {
        { "yuri@example.jp", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_kddi, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, kddi_known_by_its_japanese_subject)
{
    static const struct want w[] = {
        { "yuri@example.jp", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_kddi_subject, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, ezweb_transcript)
{
    static const struct want w[] = {
        { "zack@ezweb.example.jp", 550, NULL, FAILED, RCPT, NULL },
    };
    check(msg_ezweb, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, biglobe_non_delivered_information)
{
    static const struct want w[] = {
        { "amy@example.jp", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_biglobe, SMTPSTATUS_DECODER_GENERIC, SMTPSTATUS_DECODER_SENDMAIL, 1, w);
}

Test(decoders_hosted, verizon_message_details)
{
    static const struct want w[] = {
        { "5551230000@vtext.example.com", 550, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_verizon, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, interscan_transcript)
{
    static const struct want w[] = {
        { "brian@example.co.jp", 550, "5.1.1", FAILED, RCPT, NULL },
    };
    check(msg_interscan, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, mailfoundry_server_failed_with)
{
    static const struct want w[] = {
        { "cathy@example.org", 550, NULL, FAILED, NOSTAGE, "mx.example.org" },
    };
    check(msg_mailfoundry, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, mfilter_server_message_and_command)
{
    static const struct want w[] = {
        { "dan@example.co.jp", 550, "5.1.1", FAILED, RCPT, NULL },
    };
    check(msg_mfilter, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, surfcontrol_attempt_line)
{
    static const struct want w[] = {
        { "ella@example.com", 550, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_surfcontrol, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, mailmarshal_affected_recipients)
{
    static const struct want w[] = {
        { "fred@example.com", 550, "5.1.1", FAILED, NOSTAGE, "192.0.2.90" },
    };
    check(msg_mailmarshal, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, mimecast_dashed_sections)
{
    static const struct want w[] = {
        { "jack@example.org", 550, "5.1.1", FAILED, NOSTAGE, NULL },
    };
    check(msg_mimecast, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

Test(decoders_hosted, x1_bracketed_reason)
{
    static const struct want w[] = {
        { "gina@example.co.jp", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_x1, SMTPSTATUS_DECODER_GENERIC, SMTPSTATUS_DECODER_SENDMAIL, 1, w);
}

Test(decoders_hosted, x2_address_blocks)
{
    static const struct want w[] = {
        { "hank@example.co.jp", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_x2, SMTPSTATUS_DECODER_GENERIC, SMTPSTATUS_DECODER_QMAIL, 1, w);
}

Test(decoders_hosted, x3_bullets_and_technical_details)
{
    static const struct want w[] = {
        { "iris@example.co.jp", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_x3, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
    struct parsed *p = parse_guarded(msg_x3, strlen(msg_x3));
    cr_assert(
        text_is(&p->r[0].diagnostic, "Routing: Could not find a gateway for iris@example.co.jp"));
    release(p);
}

Test(decoders_hosted, x4_qmail_blocks)
{
    static const struct want w[] = {
        { "jack@example.com", 0, NULL, FAILED, NOSTAGE, NULL },
    };
    check(msg_x4, SMTPSTATUS_DECODER_GENERIC, SMTPSTATUS_DECODER_QMAIL, 1, w);
}

Test(decoders_hosted, x6_rejected_recipient)
{
    static const struct want w[] = {
        { "kim@example.org", 550, "5.1.1", FAILED, RCPT, "mx.example.org" },
    };
    check(msg_x6, SMTPSTATUS_DECODER_GENERIC, 0, 1, w);
}

/* Run the hosted decoder alone on a bare text. */
static size_t hosted_alone(const char *from, const char *text, struct smtpstatus_dsn_recipient *r,
                           size_t cap)
{
    struct smtpstatus__bounce b;
    struct smtpstatus__sink sink;
    struct smtpstatus__marks mk;

    memset(&b, 0, sizeof b);
    memset(r, 0, cap * sizeof *r);
    b.from.ptr = from;
    b.from.len = strlen(from);
    b.text.ptr = text;
    b.text.len = strlen(text);
    r[0].size = sizeof *r;
    sink.base = (char *)r;
    sink.stride = sizeof *r;
    sink.capacity = cap;
    sink.count = 0;
    sink.decoder = SMTPSTATUS_DECODER_NONE;
    sink.hints = NULL;
    sink.found = NULL;
    smtpstatus__marks_scan(&mk, b.text.ptr, b.text.len);
    return smtpstatus__decode_hosted(&b, &mk, &sink);
}

Test(decoders_hosted, gmx_and_1und1_read_by_the_hosted_decoder)
{
    static const char gmx_text[] =
        "A message that you sent could not be delivered to one or more of\n"
        "its recipients. This is a permanent error. The following address\n"
        "failed:\n"
        "\n"
        "\"xavier@example.com\":\n"
        "SMTP error from remote server after RCPT command:\n"
        "host: mx.example.com\n"
        "550 5.1.1 <xavier@example.com>... User Unknown\n"
        "\n"
        "<yves@example.net>\n"
        "\n"
        "Reason:\n"
        "delivery retry timeout exceeded\n"
        "\n"
        "--- The header of the original message is following. ---\n"
        "\n"
        "Subject: Hello\n";
    static const char einsundeins_text[] =
        "A message that you sent could not be delivered to one or more of\n"
        "its recipients. This is a permanent error. The following address(es)\n"
        "failed:\n"
        "\n"
        "zora@example.fr:\n"
        "SMTP error from remote server for TEXT command, host: smtp-in.example.fr (192.0.2.99) "
        "reason: 550 5.2.0 Message rejected\n"
        "\n"
        "--- The header of the original message is following. ---\n";
    struct smtpstatus_dsn_recipient r[4];

    cr_assert_eq(hosted_alone("MAILER-DAEMON@mail.gmx.example.net", gmx_text, r, 4), 2);
    cr_assert(text_is(&r[0].recipient, "xavier@example.com"));
    cr_assert_eq(r[0].reply_code, 550);
    cr_assert_eq(r[0].stage, SMTPSTATUS_STAGE_RCPT);
    cr_assert(text_is(&r[0].remote_mta, "mx.example.com"));
    cr_assert(text_is(&r[1].recipient, "yves@example.net"));
    cr_assert(text_is(&r[1].diagnostic, "delivery retry timeout exceeded"));

    cr_assert_eq(hosted_alone("Mail Delivery System <mailer-daemon@kundenserver.example.de>",
                              einsundeins_text, r, 4),
                 1);
    cr_assert(text_is(&r[0].recipient, "zora@example.fr"));
    cr_assert_eq(r[0].reply_code, 550);
    cr_assert_eq(r[0].stage, SMTPSTATUS_STAGE_END_OF_DATA);
    cr_assert(text_is(&r[0].remote_mta, "smtp-in.example.fr"));
}

Test(decoders_hosted, delivery_problems_read_by_the_hosted_decoder)
{
    static const char biglobe_text[] =
        "   ----- The following addresses had delivery problems -----\n"
        "amy@example.jp\n"
        "\n"
        "   ----- Non-delivered information -----\n"
        "The number of messages in recipient's mailbox exceeded the local limit.\n";
    static const char mcafee_text[] = "    --- The following addresses had delivery problems ---\n"
                                      "\n"
                                      "<bea@example.co.jp>   (Unknown user bea@example.co.jp)\n"
                                      "<cid@example.co.jp>   (Unknown user cid@example.co.jp)\n";
    struct smtpstatus_dsn_recipient r[4];

    cr_assert_eq(hosted_alone("postmaster@biglobe.example.jp", biglobe_text, r, 4), 1);
    cr_assert(text_is(&r[0].recipient, "amy@example.jp"));
    cr_assert(text_is(&r[0].diagnostic,
                      "The number of messages in recipient's mailbox exceeded the local limit."));
    cr_assert_eq(hosted_alone("<MAILER-DAEMON@smtp.example.ne.jp>", mcafee_text, r, 4), 2);
    cr_assert(text_is(&r[1].recipient, "cid@example.co.jp"));
    cr_assert(text_is(&r[1].diagnostic, "Unknown user cid@example.co.jp"));
}

/* ---- What must not be taken ---- */

Test(decoders_hosted, an_ordinary_message_quoting_a_report_is_not_one)
{
    struct parsed *p = parse_guarded(msg_not_a_bounce, strlen(msg_not_a_bounce));
    cr_assert_eq(p->rc, SMTPSTATUS_OK);
    cr_assert_eq(p->n, 0);
    cr_assert_eq(p->dsn.kind, SMTPSTATUS_MESSAGE_ORDINARY);
    release(p);
}

static const char *const all_messages[] = {
    msg_exchange_admin,
    msg_exchange_expired,
    msg_exchange_french_qp,
    msg_exchange_2007_tag,
    msg_exchange_2003,
    msg_office365_2017,
    msg_outlook_com,
    msg_gmail_classic,
    msg_gmail_delay_qp,
    msg_gmail_2016,
    msg_google_groups,
    msg_yahoo_two,
    msg_ses_sns,
    msg_ses_complaint,
    msg_ses_delivery,
    msg_workmail_b64,
    msg_mdaemon_rcpt,
    msg_mdaemon_data,
    msg_mdaemon_noconnect,
    msg_imail_user,
    msg_imail_response,
    msg_domino,
    msg_notes,
    msg_zoho,
    msg_gmx,
    msg_kddi,
    msg_kddi_subject,
    msg_ezweb,
    msg_biglobe,
    msg_verizon,
    msg_interscan,
    msg_mailfoundry,
    msg_mfilter,
    msg_surfcontrol,
    msg_mailmarshal,
    msg_mimecast,
    msg_exchange_one_line,
    msg_x1,
    msg_x2,
    msg_x3,
    msg_x4,
    msg_x6,
    msg_not_a_bounce,
    msg_exchange_people_only,
};

Test(decoders_hosted, every_prefix_of_every_layout_stays_in_bounds)
{
    /* Cut each message at every length: the decoders meet texts that end
     * mid-line, mid-address and mid-JSON, each flush against the guard
     * page, and must neither read past it nor report a malformed one. */
    for (size_t m = 0; m < sizeof all_messages / sizeof all_messages[0]; m++) {
        size_t len = strlen(all_messages[m]);
        for (size_t cut = 0; cut <= len; cut++) {
            struct parsed *p = parse_guarded(all_messages[m], cut);
            cr_assert(p->rc == SMTPSTATUS_OK || p->rc == SMTPSTATUS_E_TOO_MANY,
                      "message %zu cut at %zu: rc %d", m, cut, p->rc);
            for (size_t i = 0; i < p->n; i++)
                cr_assert(p->r[i].recipient.len == 0 ||
                              memchr(p->r[i].recipient.ptr, '@', p->r[i].recipient.len),
                          "message %zu cut at %zu: recipient without @", m, cut);
            release(p);
        }
    }
}

Test(decoders_hosted, crlf_line_endings)
{
    /* Every layout above again with CRLF: the same recipients. */
    for (size_t m = 0; m < sizeof all_messages / sizeof all_messages[0]; m++) {
        const char *msg = all_messages[m];
        size_t len;
        char *crlf = with_eol(msg, "\r\n", &len);
        struct parsed *a = parse_guarded(msg, strlen(msg));
        struct parsed *b = parse_guarded(crlf, len);

        cr_assert_eq(a->n, b->n, "message %zu: %zu recipients with LF, %zu with CRLF", m, a->n,
                     b->n);
        for (size_t i = 0; i < a->n; i++) {
            cr_assert_eq(a->r[i].recipient.len, b->r[i].recipient.len);
            cr_assert(
                memcmp(a->r[i].recipient.ptr, b->r[i].recipient.ptr, a->r[i].recipient.len) == 0);
            cr_assert_eq(a->r[i].reply_code, b->r[i].reply_code, "message %zu recipient %zu", m, i);
        }
        release(a);
        release(b);
        free(crlf);
    }
}

/* The Exchange decoder's one pass over a From for the names that say
 * Outlook.com or Office 365, against a search of the From for each, on
 * Froms made of the names, their near misses ("hotmai", "@msn.co",
 * ".onmicrosoft"), the names in other cases and bytes between, cut at
 * every length. */
Test(exchange, from_signs_answer_as_searches)
{
    static const char *const names[] = { "hotmail", "outlook", "@msn.com", "@live.", ".onmicrosoft.com",
                                         "postmaster@outlook.com" };
    static const char *const pieces[] = {
        "hotmail", "HotMail", "hotmai", "outlook", "OUTLOOK", "outloo", "@msn.com", "@MSN.Com", "@msn.co",
        "@live.", "@LIVE.", "@live", ".onmicrosoft.com", ".OnMicrosoft.COM", ".onmicrosoft", "postmaster@",
        "POSTMASTER@", "postmaster", ".com", ".COM", "p", "o", "h", "@", ".", " <", ">", "x", "\xc8", "\x8f",
    };
    unsigned long long state = 0x9E3779B97F4A7C15ull;
    char from[96];

    for (unsigned round = 0; round < 20000; round++) {
        size_t len = 0;
        unsigned got, want = 0;

        while (len < 64) {
            const char *p;
            size_t k;
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            p = pieces[state % (sizeof pieces / sizeof pieces[0])];
            k = strlen(p);
            memcpy(from + len, p, k);
            len += k;
        }
        len = round % (len + 1);
        got = smtpstatus__exchange_from_signs(from, len);
        for (unsigned k = 0; k < sizeof names / sizeof names[0]; k++)
            if (smtpstatus__find_nocase(from, len, 0, names[k]) < len)
                want |= 1u << k;
        cr_assert_eq(got, want, "From \"%.*s\": %#x, searches %#x", (int)len, from, got, want);
    }
    cr_assert_eq(smtpstatus__exchange_from_signs(NULL, 0), 0u);
}
