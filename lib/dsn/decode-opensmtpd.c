/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * OpenSMTPD's bounces (smtpd/bounce.c), read from their text. Since 5.x
 * the notice is
 *
 *       Hi!
 *
 *       This is the MAILER-DAEMON, please DO NOT REPLY to this email.
 *
 *       An error has occurred while attempting to deliver a message for
 *       the following list of recipients:
 *
 *   bob@example.com: 550 5.1.1 <bob@example.com>... User unknown
 *
 *       Below is a copy of the original message:
 *
 * with the template's lines indented and each recipient at the start of a
 * line, "addr: error". The same list follows "A message is delayed for more
 * than N for the following list of recipients:" in a warning, "Your message
 * was successfully delivered to these recipients." and "Your message was
 * relayed to these recipients." in the success notices. The errors are the
 * remote reply or OpenSMTPD's own ("Envelope expired", "Domain does not
 * exist", "Network error on destination MXs").
 *
 * Releases before 5 wrote one recipient per message: "Recipient: addr",
 * then "Reason:" and the error on the next line.
 */

#include "decoders.h"

static size_t skip_blank(const char *t, size_t i, size_t end)
{
    while (i < end && (t[i] == ' ' || t[i] == '\t'))
        i++;
    return i;
}

static int contains(const char *t, size_t off, size_t end, const char *lower)
{
    return smtpstatus__find_nocase(t, end, off, lower) < end;
}

static void emit(struct smtpstatus__sink *sink, struct smtpstatus__found *f, uint32_t action,
                 size_t *emitted)
{
    f->action = action;
    f->flags = SMTPSTATUS_DSN_FROM_TEXT;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_OPENSMTPD);
    (*emitted)++;
}

/* "Recipient: addr" / "Reason:" / the error (before 5.x). */
static size_t decode_old(const char *t, size_t len, size_t at, struct smtpstatus__sink *sink)
{
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    size_t emitted = 0, reason = 0;
    int open = 0;

    memset(&f, 0, sizeof f);
    while (smtpstatus__line_at(t, len, at, &ln)) {
        size_t i = skip_blank(t, ln.off, ln.end);
        if (smtpstatus__match_nocase(t, ln.end, i, "below is a copy of the original message"))
            break;
        if (smtpstatus__match_nocase(t, ln.end, i, "recipient:")) {
            if (open)
                emit(sink, &f, SMTPSTATUS_DSN_ACTION_FAILED, &emitted);
            memset(&f, 0, sizeof f);
            open = smtpstatus__find_address(t, ln.end, i, &f.recipient) != 0;
            reason = 0;
        } else if (open && smtpstatus__match_nocase(t, ln.end, i, "reason:")) {
            reason = i + sizeof "reason:" - 1;
            f.diagnostic = smtpstatus__slice(t, reason, ln.end);
        } else if (open && reason != 0) {
            if (i == ln.end)
                reason = 0; /* the error ends at a blank line */
            else
                f.diagnostic = smtpstatus__slice(
                    t, f.diagnostic.len ? (size_t)(f.diagnostic.ptr - t) : i, ln.end);
        }
        at = ln.next;
    }
    if (open)
        emit(sink, &f, SMTPSTATUS_DSN_ACTION_FAILED, &emitted);
    return emitted;
}

size_t smtpstatus__decode_opensmtpd(const struct smtpstatus__bounce *b,
                                    const struct smtpstatus__marks *mk,
                                    struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, at, intro, emitted = 0;
    struct smtpstatus__line ln;
    uint32_t action = SMTPSTATUS_DSN_ACTION_NONE;

    intro = at = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_OPENSMTPD, len);
    if (at == len)
        return 0;
    while (smtpstatus__line_at(t, len, at, &ln)) {
        size_t i = skip_blank(t, ln.off, ln.end);

        if (action == SMTPSTATUS_DSN_ACTION_NONE) {
            /* The template's sentence before the list. */
            if (contains(t, ln.off, ln.end, "list of recipients:") ||
                contains(t, ln.off, ln.end, "to these recipients")) {
                size_t s = ln.off > intro + 512 ? ln.off - 512 : intro;
                if (contains(t, s, ln.end, "is delayed for more than"))
                    action = SMTPSTATUS_DSN_ACTION_DELAYED;
                else if (contains(t, ln.off, ln.end, "successfully delivered"))
                    action = SMTPSTATUS_DSN_ACTION_DELIVERED;
                else if (contains(t, ln.off, ln.end, "relayed to these"))
                    action = SMTPSTATUS_DSN_ACTION_RELAYED;
                else
                    action = SMTPSTATUS_DSN_ACTION_FAILED;
            } else if (smtpstatus__match_nocase(t, ln.end, i, "recipient:")) {
                return decode_old(t, len, ln.off, sink);
            }
        } else if (i > ln.off || i == ln.end) {
            /* Indented: the template again ("Below is a copy...", the
             * warning's "Please note..."); a blank line separates. */
            if (emitted > 0 && i < ln.end)
                break;
        } else {
            struct smtpstatus__found f;
            struct smtpstatus_text addr;
            size_t e = smtpstatus__find_address(t, ln.end, ln.off, &addr);
            if (e == 0 || addr.ptr != t + ln.off || e >= ln.end || t[e] != ':')
                break;
            memset(&f, 0, sizeof f);
            f.recipient = addr;
            f.diagnostic = smtpstatus__slice(t, e + 1, ln.end);
            emit(sink, &f, action, &emitted);
        }
        at = ln.next;
    }
    return emitted;
}
