/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Lotus (HCL) Domino and the older Lotus Notes SMTP gateway.
 *
 * Domino, Subject "DELIVERY FAILURE: <reason>" (or "DELIVERY_FAILURE"):
 *
 *   Your message
 *
 *     Subject: Hello
 *
 *   was not delivered to:
 *
 *     bob@example.com
 *
 *   because:
 *
 *     User bob (bob@example.com) not listed in Domino Directory
 *
 * The Notes gateway, Subject "Undeliverable message":
 *
 *   ------- Failure Reasons  --------
 *
 *   User not listed in public Name & Address Book
 *   bob@example.com
 *
 *   ------- Returned Message --------
 *
 * The reasons are often localized (and in the message's own charset);
 * they are passed on as they are.
 */

#include "decoders.h"

static void emit(struct smtpstatus__sink *sink, struct smtpstatus__found *f)
{
    f->action = SMTPSTATUS_DSN_ACTION_FAILED;
    f->flags = SMTPSTATUS_DSN_FROM_TEXT;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_DOMINO);
}

/* The paragraph that starts at the first non-blank line at or after at. */
static struct smtpstatus_text paragraph(const char *t, size_t end, size_t at, size_t *next)
{
    struct smtpstatus__line ln;
    size_t s = end, e = end;

    while (smtpstatus__line_at(t, end, at, &ln) && smtpstatus__blank_line(t, &ln))
        at = ln.next;
    if (at < end) {
        s = at;
        e = at;
        while (smtpstatus__line_at(t, end, at, &ln) && !smtpstatus__blank_line(t, &ln)) {
            e = ln.end;
            at = ln.next;
        }
    }
    *next = at;
    return smtpstatus__slice(t, s, e);
}

static size_t read_domino(const char *t, size_t end, struct smtpstatus__sink *sink)
{
    size_t at = 0, emitted = 0;
    struct smtpstatus__line ln;

    while (smtpstatus__line_at(t, end, at, &ln)) {
        size_t i = smtpstatus__skip_blanks(t, ln.off, ln.end), next, because;
        struct smtpstatus__found f;
        struct smtpstatus_text who;

        at = ln.next;
        if (!smtpstatus__match_nocase(t, ln.end, i, "was not delivered to:"))
            continue;
        memset(&f, 0, sizeof f);
        who = paragraph(t, end, ln.next, &next);
        if (who.len == 0 || !smtpstatus__find_address(who.ptr, who.len, 0, &f.recipient))
            continue;
        at = next;
        /* "because:" opens the reason, before the next recipient. */
        while (smtpstatus__line_at(t, end, at, &ln) && smtpstatus__blank_line(t, &ln))
            at = ln.next;
        because = smtpstatus__skip_blanks(t, at, end);
        if (smtpstatus__match_nocase(t, end, because, "because:")) {
            smtpstatus__line_at(t, end, because, &ln);
            f.diagnostic = paragraph(t, end, ln.next, &next);
            at = next;
        }
        emit(sink, &f);
        emitted++;
    }
    return emitted;
}

static size_t read_notes(const char *t, size_t len, const struct smtpstatus__marks *mk,
                         struct smtpstatus__sink *sink)
{
    size_t w = len < 65536 ? len : 65536,
           start = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_DOMINO_FAILURE_REASONS, w), end, at,
           reason = 0,
           reason_end = 0, emitted = 0;
    struct smtpstatus__line ln;

    if (start == w)
        return 0;
    end = smtpstatus__find_nocase(t, len, start, "------- returned message");
    smtpstatus__line_at(t, end, start, &ln);
    at = ln.next;
    /* Each address follows the lines that give its reason. */
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus_text addr;
        struct smtpstatus__found f;

        at = ln.next;
        if (smtpstatus__blank_line(t, &ln))
            continue;
        if (!smtpstatus__address_line(t, &ln, &addr)) {
            if (reason_end <= reason)
                reason = ln.off;
            reason_end = ln.end;
            continue;
        }
        memset(&f, 0, sizeof f);
        f.recipient = addr;
        if (reason_end > reason)
            f.diagnostic = smtpstatus__slice(t, reason, reason_end);
        reason = reason_end = 0;
        emit(sink, &f);
        emitted++;
    }
    return emitted;
}

size_t smtpstatus__decode_domino(const struct smtpstatus__bounce *b,
                                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, w = len < 65536 ? len : 65536;
    int domino =
        b->subject.ptr &&
        (smtpstatus__match_nocase(b->subject.ptr, b->subject.len, 0, "delivery failure:") ||
         smtpstatus__find_nocase(b->subject.ptr, b->subject.len, 0, "delivery_failure") <
             b->subject.len);

    if (domino || (smtpstatus__mark_in(mk, SMTPSTATUS__MARK_DOMINO_NOT_DELIVERED, w) &&
                   smtpstatus__find_nocase(t, w, 0, "because:") < w)) {
        size_t n = read_domino(t, smtpstatus__original_starts(mk, t, 0, len), sink);
        if (n)
            return n;
    }
    return read_notes(t, len, mk, sink);
}
