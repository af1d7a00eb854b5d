/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The generic layouts: a bounce text that names each failed recipient on
 * a line of its own ("<bob@example.com>:", "bob@example.com", "  bob@...
 * (reason)"), followed by what went wrong, before the copy of the original
 * message. Many MTAs write this way (qmail, Postfix's text part, Exim,
 * Courier, hosted gateways).
 */

#include "decoders.h"

/* Separators before the returned message (marks.tsv): "below this line is
 * a copy of the message", "original message follows", "returned message"... */
static const enum smtpstatus__mark original_marks[] = {
    SMTPSTATUS__MARK_ORIGINAL_BELOW,     SMTPSTATUS__MARK_ORIGINAL_COPY,
    SMTPSTATUS__MARK_ORIGINAL_FOLLOWS,   SMTPSTATUS__MARK_ORIGINAL_DASHES,
    SMTPSTATUS__MARK_ORIGINAL_HEADER,    SMTPSTATUS__MARK_ORIGINAL_RETURNED,
    SMTPSTATUS__MARK_ORIGINAL_THE_HEADER, SMTPSTATUS__MARK_ORIGINAL_CONTENT,
    SMTPSTATUS__MARK_ORIGINAL_FOLLOWING_COPY, SMTPSTATUS__MARK_ORIGINAL_TEXT,
    SMTPSTATUS__MARK_ORIGINAL_HEADERS,   SMTPSTATUS__MARK_ORIGINAL_FRAMED,
    SMTPSTATUS__MARK_ORIGINAL_HEADERS_FOLLOW,
};

size_t smtpstatus__original_starts(const struct smtpstatus__marks *mk, const char *text,
                                   size_t from, size_t len)
{
    /* The start of the first line holding a mark. No mark holds a line
     * end, so that is the line of the first match of any mark. The scan
     * found each mark's first occurrence; only a mark that occurs before
     * `from` is searched for again. */
    size_t at = len;

    for (size_t i = 0; i < sizeof original_marks / sizeof original_marks[0]; i++) {
        size_t p = smtpstatus__mark_find_from(mk, text, original_marks[i], from, len);
        if (p < at)
            at = p;
    }
    while (at < len && at > from && text[at - 1] != '\n' && text[at - 1] != '\r')
        at--;
    return at;
}

/* Whether the line names a recipient and little else: it starts (after
 * white space) with the address, optionally in angle brackets, and ends
 * after it or after a ':' (qmail, Postfix) or a "(...)" note. */
static int recipient_line(const char *t, const struct smtpstatus__line *ln, struct smtpstatus_text *addr)
{
    size_t i = ln->off, end;

    while (i < ln->end && (t[i] == ' ' || t[i] == '\t'))
        i++;
    if (i < ln->end && t[i] == '<')
        i++;
    end = smtpstatus__find_address(t, ln->end, i, addr);
    if (end == 0 || addr->ptr != t + i)
        return 0;
    if (end < ln->end && t[end] == '>')
        end++;
    while (end < ln->end && (t[end] == ' ' || t[end] == '\t' || t[end] == ':' || t[end] == ','))
        end++;
    return end == ln->end || t[end] == '(' || t[end] == '.' ;
}

static int is_daemon(const struct smtpstatus_text *addr)
{
    return smtpstatus__find_nocase(addr->ptr, addr->len, 0, "mailer-daemon") < addr->len ||
           smtpstatus__find_nocase(addr->ptr, addr->len, 0, "postmaster") < addr->len;
}

/* One failed recipient, as these layouts give it: an address and the text
 * that says why. */
static void emit_failed(struct smtpstatus__sink *sink, const struct smtpstatus_text *addr,
                        struct smtpstatus_text diagnostic)
{
    struct smtpstatus__found f;

    memset(&f, 0, sizeof f);
    f.recipient = *addr;
    f.diagnostic = diagnostic;
    f.action = SMTPSTATUS_DSN_ACTION_FAILED;
    f.flags = SMTPSTATUS_DSN_FROM_TEXT;
    smtpstatus__emit(sink, &f, SMTPSTATUS_DECODER_GENERIC);
}

/* The other order: the reason first, then the address, one recipient a
 * line ("User's mailbox is full: <bob@example.com>"), as some older
 * Sendmail-era daemons write. The reason must be words (a space in it), so
 * that a header line of the returned message ("To: <bob@...>") never
 * reads as one; the diagnostic runs on to the next blank line. */
static size_t reason_then_address(const char *t, size_t len, struct smtpstatus__sink *sink)
{
    struct smtpstatus__line ln, next;
    size_t at = 0, emitted = 0;

    while (smtpstatus__line_at(t, len, at, &ln)) {
        struct smtpstatus_text addr;
        size_t end = ln.end, lt, colon, diag_end;

        at = ln.next;
        while (end > ln.off && (t[end - 1] == ' ' || t[end - 1] == '\t'))
            end--;
        if (end - ln.off < 8 || t[end - 1] != '>')
            continue;
        lt = end - 1;
        while (lt > ln.off && t[lt] != '<')
            lt--;
        if (t[lt] != '<' || smtpstatus__angle_address(t, lt, end, &addr) != end - 1 || is_daemon(&addr))
            continue;
        colon = lt;
        while (colon > ln.off && (t[colon - 1] == ' ' || t[colon - 1] == '\t'))
            colon--;
        if (colon <= ln.off || t[colon - 1] != ':' ||
            memchr(t + ln.off, ' ', colon - 1 - ln.off) == NULL)
            continue;
        /* The lines after it, up to a blank one or the next such line,
         * say more. */
        diag_end = colon - 1;
        while (smtpstatus__line_at(t, len, at, &next) && !smtpstatus__blank_line(t, &next) &&
               !(next.end > next.off && t[next.end - 1] == '>')) {
            diag_end = next.end;
            at = next.next;
        }
        emit_failed(sink, &addr, smtpstatus__slice(t, ln.off, diag_end));
        emitted++;
    }
    return emitted;
}

size_t smtpstatus__decode_generic(const struct smtpstatus__bounce *b,
                                  const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = smtpstatus__original_starts(mk, t, 0, b->text.len);
    struct smtpstatus__line ln;
    struct smtpstatus_text open = { NULL, 0 };
    size_t at = 0, diag_start = 0, emitted = 0;

    while (smtpstatus__line_at(t, len, at, &ln)) {
        struct smtpstatus_text addr;
        if (recipient_line(t, &ln, &addr) && !is_daemon(&addr)) {
            if (open.ptr != NULL) {
                emit_failed(sink, &open, smtpstatus__slice(t, diag_start, ln.off));
                emitted++;
            }
            open = addr;
            /* The rest of the line belongs to the diagnostic ("(reason)"). */
            diag_start = (size_t)(addr.ptr - t) + addr.len;
        }
        at = ln.next;
    }
    if (open.ptr != NULL) {
        emit_failed(sink, &open, smtpstatus__slice(t, diag_start, len));
        emitted++;
    }
    if (emitted == 0)
        emitted = reason_then_address(t, len, sink);
    return emitted;
}
