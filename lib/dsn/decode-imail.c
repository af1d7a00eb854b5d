/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Ipswitch IMail Server ("X-Mailer: <SMTP32 v8.22>", Subject
 * "Undeliverable Mail", From "Postmaster"). Each failed recipient is one
 * line, IMail's reason then the address:
 *
 *   Unknown user: bob@example.com
 *   User mailbox exceeds allowed size: bob@example.com
 *   Delivery failed 20 attempts: bob@example.com
 *
 * or, when the remote server refused the message, "undeliverable to
 * bob@example.com" and, after "Body of message generated response:", the
 * remote server's reply. The original follows "Original message
 * follows.".
 */

#include "decoders.h"

static int is_imail(const struct smtpstatus__bounce *b)
{
    struct smtpstatus_text v;

    if (smtpstatus__late_field(b, SMTPSTATUS__LATE_X_MAILER, &v) &&
        smtpstatus__match_nocase(v.ptr, v.len, 0, "<smtp32 v"))
        return 1;
    return b->subject.ptr &&
           smtpstatus__match_nocase(b->subject.ptr, b->subject.len, 0, "undeliverable mail") &&
           b->subject.len == sizeof "undeliverable mail" - 1;
}

/* The remote server's reply after "Body of message generated response:",
 * up to a blank line. */
static struct smtpstatus_text generated_response(const char *t, size_t end)
{
    static const char lead[] = "body of message generated response:";
    size_t p = smtpstatus__find_nocase(t, end, 0, lead), at, stop;
    struct smtpstatus__line ln;
    struct smtpstatus_text none = { NULL, 0 };

    if (p == end)
        return none;
    smtpstatus__line_at(t, end, p, &ln);
    at = ln.next;
    stop = end;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        if (smtpstatus__skip_blanks(t, ln.off, ln.end) == ln.end) {
            stop = ln.off;
            break;
        }
        at = ln.next;
    }
    return smtpstatus__slice(t, p + sizeof lead - 1, stop);
}

size_t smtpstatus__decode_imail(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at = 0, emitted = 0;
    struct smtpstatus__line ln;
    struct smtpstatus_text response;

    if (!is_imail(b))
        return 0;
    end = smtpstatus__original_starts(mk, t, 0, b->text.len);
    response = generated_response(t, end);
    while (smtpstatus__line_at(t, end, at, &ln)) {
        size_t i = smtpstatus__skip_blanks(t, ln.off, ln.end), colon, a;
        struct smtpstatus_text addr;
        struct smtpstatus__found f;

        at = ln.next;
        memset(&f, 0, sizeof f);
        if (smtpstatus__match_nocase(t, ln.end, i, "undeliverable to ")) {
            a = smtpstatus__skip_blanks(t, i + sizeof "undeliverable to " - 1, ln.end);
            if (a < ln.end && t[a] == '<')
                a++;
            if (!smtpstatus__find_address(t, ln.end, a, &addr) || addr.ptr != t + a)
                continue;
            f.diagnostic = response.len ? response : smtpstatus__slice(t, i, ln.end);
        } else {
            /* "Reason: address" with the address last on the line. */
            size_t e = ln.end;
            while (e > i && smtpstatus__is_space((unsigned char)t[e - 1]))
                e--;
            colon = e;
            while (colon > i && t[colon - 1] != ':')
                colon--;
            if (colon <= i + 1)
                continue;
            a = smtpstatus__skip_blanks(t, colon, e);
            if (a < e && t[a] == '<')
                a++;
            if (!smtpstatus__find_address(t, e, a, &addr) || addr.ptr != t + a ||
                (size_t)(addr.ptr - t) + addr.len + (t[e - 1] == '>') != e)
                continue;
            /* Words, not a header field of a quoted message ("To: ..."). */
            if (memchr(t + i, ' ', colon - 1 - i) == NULL)
                continue;
            f.diagnostic = smtpstatus__slice(t, i, colon - 1);
            /* IMail's own words when its queue gave up ("Delivery failed
             * 20 attempts"): the retries ran out, whatever the cause was. */
            if (smtpstatus__match_nocase(t, colon - 1, i, "delivery failed ") &&
                smtpstatus__find_nocase(t, colon - 1, i, " attempts") < colon - 1) {
                f.has_forced_reason = 1;
                f.forced_reason = SMTPSTATUS_REASON_EXPIRED;
            }
        }
        f.recipient = addr;
        f.action = SMTPSTATUS_DSN_ACTION_FAILED;
        f.flags = SMTPSTATUS_DSN_FROM_TEXT;
        smtpstatus__emit(sink, &f, SMTPSTATUS_DECODER_IMAIL);
        emitted++;
    }
    return emitted;
}
