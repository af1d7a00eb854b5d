/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * MDaemon (Alt-N / MDaemon Technologies). Its bounces explain in a few
 * sentences ("The attached message had PERMANENT fatal delivery
 * errors!", "YOUR MESSAGE WAS NOT DELIVERED TO ONE OR MORE RECIPIENTS!")
 * and then copy the SMTP session:
 *
 *   --- Session Transcript ---
 *    Mon 2018-04-16 10:35:21.045: Parsing message <...>
 *    Mon 2018-04-16 10:35:21.045: *  From: alice@example.org
 *    Mon 2018-04-16 10:35:21.045: *  To: bob@example.com
 *    ...
 *    Mon 2018-04-16 10:35:21.423: --> RCPT To:<bob@example.com>
 *    Mon 2018-04-16 10:35:21.456: <-- 550 5.1.1 <bob@example.com>: User unknown
 *   --- End Transcript ---
 *
 * "-->" lines are what MDaemon sent, "<--" what the remote server
 * answered. A refusal of RCPT names its recipient; a refusal of MAIL,
 * DATA or the message itself applies to every recipient of the session.
 * Without a refusal in the transcript (no MX, no connection), the last
 * error line MDaemon wrote is the reason, for the "To:" recipients.
 */

#include "decoders.h"

#define SIGN_WINDOW 131072

static int has(const char *t, size_t len, const char *lower)
{
    return smtpstatus__find_nocase(t, len, 0, lower) < len;
}

static int is_mdaemon(const struct smtpstatus__bounce *b, const struct smtpstatus__marks *mk,
                      size_t w)
{
    struct smtpstatus_text v;
    const char *t = b->text.ptr;

    if (b->from.ptr &&
        smtpstatus__find_nocase(b->from.ptr, b->from.len, 0, "mdaemon") < b->from.len)
        return 1;
    if (smtpstatus__late_field(b, SMTPSTATUS__LATE_X_MDAEMON_DELIVER_TO, &v) ||
        (smtpstatus__late_field(b, SMTPSTATUS__LATE_X_MAILER, &v) &&
         smtpstatus__find_nocase(v.ptr, v.len, 0, "mdaemon") < v.len))
        return 1;
    return smtpstatus__mark_in(mk, SMTPSTATUS__MARK_MDAEMON_TRANSCRIPT, w) &&
           (has(t, w, "mdaemon") || has(t, w, "fatal delivery errors") ||
            has(t, w, "was not delivered to"));
}

/* A transcript line: where its "-->" or "<--" text starts (after the
 * arrow and a space), and which way it goes. */
static int arrow(const char *t, const struct smtpstatus__line *ln, size_t *text)
{
    size_t p = smtpstatus__find_nocase(t, ln->end, ln->off, "--> ");

    if (p < ln->end) {
        *text = p + 4;
        return 1; /* sent */
    }
    p = smtpstatus__find_nocase(t, ln->end, ln->off, "<-- ");
    if (p < ln->end) {
        *text = p + 4;
        return 2; /* received */
    }
    return 0;
}

static int reply_failed(const char *t, size_t at, size_t end)
{
    return at + 3 <= end && (t[at] == '4' || t[at] == '5') &&
           smtpstatus__is_digit((unsigned char)t[at + 1]) &&
           smtpstatus__is_digit((unsigned char)t[at + 2]) &&
           (at + 3 == end || t[at + 3] == ' ' || t[at + 3] == '-');
}

/* The address in "RCPT To:<bob@example.com>" or "*  To: bob@example.com". */
static int address_after(const char *t, size_t at, size_t end, const char *lower,
                         struct smtpstatus_text *addr)
{
    size_t p = smtpstatus__find_nocase(t, end, at, lower);

    return p < end && smtpstatus__find_address(t, end, p + strlen(lower), addr) != 0;
}

static void emit(struct smtpstatus__sink *sink, struct smtpstatus__found *f)
{
    f->flags = SMTPSTATUS_DSN_FROM_TEXT;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_MDAEMON);
}

/* MDaemon's summary of the message it parsed: "*  To: bob@example.com". */
static int to_line(const char *t, const struct smtpstatus__line *ln, struct smtpstatus_text *addr)
{
    const char *star = memchr(t + ln->off, '*', ln->end - ln->off);
    size_t i;

    if (star == NULL)
        return 0;
    i = (size_t)(star - t) + 1;
    while (i < ln->end && smtpstatus__is_space((unsigned char)t[i]))
        i++;
    return smtpstatus__match_nocase(t, ln->end, i, "to:") &&
           smtpstatus__find_address(t, ln->end, i + 3, addr) != 0;
}

/* Emit every recipient of the session with the same diagnostic: those
 * MDaemon gave in RCPT commands, or else its "To:" lines. */
static size_t emit_all(const char *t, size_t from, size_t end, struct smtpstatus__found *f,
                       struct smtpstatus__sink *sink)
{
    struct smtpstatus__line ln;
    size_t at = from, n = 0;

    for (int pass = 0; pass < 2 && n == 0; pass++) {
        at = from;
        while (smtpstatus__line_at(t, end, at, &ln)) {
            struct smtpstatus_text addr;
            size_t x;
            at = ln.next;
            if (pass == 0 ? arrow(t, &ln, &x) == 1 &&
                                smtpstatus__match_nocase(t, ln.end, x, "rcpt to:") &&
                                address_after(t, x, ln.end, "rcpt to:", &addr)
                          : to_line(t, &ln, &addr)) {
                f->recipient = addr;
                emit(sink, f);
                n++;
            }
        }
    }
    return n;
}

size_t smtpstatus__decode_mdaemon(const struct smtpstatus__bounce *b,
                                  const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, w = len < SIGN_WINDOW ? len : SIGN_WINDOW, start, end, at,
           emitted = 0, last_error = 0, last_error_end = 0;
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    struct smtpstatus_text rcpt = { NULL, 0 };
    uint32_t stage = SMTPSTATUS_STAGE_CONNECT, action = SMTPSTATUS_DSN_ACTION_FAILED;

    /* The transcript first: the scan found it or not, where the signs of
     * MDaemon would read the header block. */
    start = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_MDAEMON_TRANSCRIPT, len);
    if (start == len || !is_mdaemon(b, mk, w))
        return 0;
    end = smtpstatus__find_nocase(t, len, start, "--- end transcript ---");
    /* MDaemon's warnings: the message stays queued. */
    if (has(t, start, "warning") &&
        (has(t, start, "not yet been delivered") || has(t, start, "will continue") ||
         has(t, start, "still in the queue") || has(t, start, "will be retried")))
        action = SMTPSTATUS_DSN_ACTION_DELAYED;

    at = start;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        size_t x;
        int dir = arrow(t, &ln, &x);

        at = ln.next;
        if (dir == 1) {
            size_t stop;
            int s = smtpstatus__stage_at(t, ln.end, x, &stop);
            if (ln.end - x == 1 && t[x] == '.')
                s = SMTPSTATUS_STAGE_END_OF_DATA;
            if (s != SMTPSTATUS_STAGE_UNKNOWN)
                stage = (uint32_t)s;
            if (s == SMTPSTATUS_STAGE_RCPT && !address_after(t, x, ln.end, "rcpt to:", &rcpt))
                rcpt.len = 0;
            continue;
        }
        if (dir == 2) {
            if (!reply_failed(t, x, ln.end))
                continue;
            memset(&f, 0, sizeof f);
            f.action = action;
            f.stage = stage;
            f.diagnostic = smtpstatus__slice(t, x, ln.end);
            /* A multi-line reply: the first line has the code, the rest
             * repeat it; skip them. */
            while (x + 3 < ln.end && t[x + 3] == '-' && smtpstatus__line_at(t, end, at, &ln)) {
                size_t y;
                if (arrow(t, &ln, &y) != 2)
                    break;
                at = ln.next;
                x = y;
            }
            if (stage == SMTPSTATUS_STAGE_RCPT) {
                if (rcpt.len == 0)
                    continue;
                f.recipient = rcpt;
                emit(sink, &f);
                emitted++;
                continue;
            }
            /* Refused before or after the recipients: all of them. */
            return emitted + emit_all(t, start, end, &f, sink);
        }
        /* MDaemon's own lines: keep the last one that reports a failure. */
        if (smtpstatus__find_nocase(t, ln.end, ln.off, "error") < ln.end ||
            smtpstatus__find_nocase(t, ln.end, ln.off, "failed") < ln.end ||
            smtpstatus__find_nocase(t, ln.end, ln.off, "unable to") < ln.end ||
            smtpstatus__find_nocase(t, ln.end, ln.off, "no mx") < ln.end) {
            last_error = ln.off;
            last_error_end = ln.end;
        }
    }
    if (emitted)
        return emitted;
    memset(&f, 0, sizeof f);
    f.action = action;
    if (last_error_end > last_error) {
        /* Past the time stamp: "Mon 2018-04-16 10:35:21.045: " */
        size_t colon = smtpstatus__find_nocase(t, last_error_end, last_error, ": ");
        size_t from = colon < last_error_end && colon - last_error < 40 ? colon + 2 : last_error;
        f.diagnostic = smtpstatus__slice(t, from, last_error_end);
    }
    return emit_all(t, start, end, &f, sink);
}
