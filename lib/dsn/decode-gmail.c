/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Gmail and Google Groups notices read from their text, for the ones that
 * come without a delivery-status part:
 *
 * - the classic Gmail layout (until about 2016): "Delivery to the
 *   following recipient failed permanently:" (or "has been delayed:"),
 *   the addresses indented on lines of their own, then "Technical details
 *   of permanent failure:" and Google's explanation, which may quote the
 *   remote server after "The error that the other server returned was:"
 *   and names it ("... rejected by the server for the recipient domain
 *   example.com by mx.example.com. [192.0.2.1]."). Google appends its
 *   own session state, "(state 14)", which says which command failed;
 * - the later layout: "** Address not found **", "Your message wasn't
 *   delivered to bob@example.com because ...", then "The response from the
 *   remote server was:" (or "The response was:") and the reply;
 * - Google Groups refusing a post: a localized letter from
 *   mailer-daemon@googlemail.com; only X-Failed-Recipients (the group's
 *   address) and the help link are dependable.
 */

#include "decoders.h"

#define SIGN_WINDOW 131072

static size_t window(size_t len)
{
    return len < SIGN_WINDOW ? len : SIGN_WINDOW;
}

static int has(const char *t, size_t len, const char *lower)
{
    return smtpstatus__find_nocase(t, len, 0, lower) < len;
}

/* Whether the From holds "mailer-daemon@googlemail.com" or
 * "mailer-daemon@google.com": one search for what they share, and the two
 * endings compared where it occurs. */
static int from_google(const struct smtpstatus__bounce *b)
{
    static const char daemon[] = "mailer-daemon@google";
    const char *f = b->from.ptr;
    size_t len = b->from.len, p = 0, e;

    if (f == NULL)
        return 0;
    while ((p = smtpstatus__find_nocase_n(f, len, p, daemon, sizeof daemon - 1)) < len) {
        e = p + sizeof daemon - 1;
        if (smtpstatus__match_at_n(f, len, e, "mail.com", 8) ||
            smtpstatus__match_at_n(f, len, e, ".com", 4))
            return 1;
        p++;
    }
    return 0;
}

/* Google's SMTP client states, as its notices print them ("(state 14)"),
 * and the command each is known to stand for. */
static uint32_t stage_of_state(const char *t, size_t len)
{
    size_t p = smtpstatus__find_nocase(t, len, 0, "(state "), n = 0, i;

    if (p == len)
        return SMTPSTATUS_STAGE_UNKNOWN;
    for (i = p + sizeof "(state " - 1;
         i < len && smtpstatus__is_digit((unsigned char)t[i]) && n < 1000; i++)
        n = n * 10 + (size_t)(t[i] - '0');
    if (i >= len || t[i] != ')')
        return SMTPSTATUS_STAGE_UNKNOWN;
    switch (n) {
    case 6:
        return SMTPSTATUS_STAGE_MAIL;
    case 8:
    case 9:
    case 12:
        return SMTPSTATUS_STAGE_AUTH;
    case 13:
        return SMTPSTATUS_STAGE_EHLO;
    case 14:
        return SMTPSTATUS_STAGE_RCPT;
    case 15:
    case 17:
    case 18:
        return SMTPSTATUS_STAGE_DATA;
    default:
        return SMTPSTATUS_STAGE_UNKNOWN;
    }
}

/* "... by mx.example.com. [192.0.2.1]." names the server that refused. */
static struct smtpstatus_text remote_by(const char *t, size_t from, size_t end)
{
    size_t br = smtpstatus__find_nocase(t, end, from, ". [");
    struct smtpstatus_text h = { NULL, 0 };
    size_t s;

    if (br == end)
        return h;
    s = br;
    while (s > from && br - s < 256 && t[s - 1] != ' ' && t[s - 1] != '\n' && t[s - 1] != '\r')
        s--;
    if (s >= from + 3 && smtpstatus__match_nocase(t, br, s - 3, "by "))
        h = smtpstatus__slice(t, s, br);
    return h;
}

/* The reply after one of Google's lead-ins, up to the end of its
 * paragraph (or `end`). */
static int quoted_reply(const char *t, size_t from, size_t end, const char *lead,
                        struct smtpstatus_text *out)
{
    size_t p = smtpstatus__find_nocase(t, end, from, lead), at, stop;
    struct smtpstatus__line ln;

    if (p == end)
        return 0;
    at = p + strlen(lead);
    stop = end;
    /* The reply may start on the next line; it ends at a blank line. */
    if (smtpstatus__line_at(t, end, at, &ln) && smtpstatus__skip_blanks(t, at, ln.end) == ln.end)
        at = ln.next;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        if (smtpstatus__blank_line(t, &ln) && ln.off > p + strlen(lead)) {
            stop = ln.off;
            break;
        }
        at = ln.next;
    }
    *out = smtpstatus__slice(t, p + strlen(lead), stop);
    return out->len > 0;
}

static void emit(struct smtpstatus__sink *sink, struct smtpstatus__found *f)
{
    f->flags = SMTPSTATUS_DSN_FROM_TEXT;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_GMAIL);
}

/* The classic layout. Its two phrases are the scan's (marks.tsv): where
 * they are is known, t being the text scanned. */
static size_t read_classic(const struct smtpstatus__marks *mk, const char *t, size_t end,
                           struct smtpstatus__sink *sink)
{
    size_t head = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_GMAIL_DELIVERY_TO, end);
    size_t tech, at, first, emitted = 0;
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    uint32_t action = SMTPSTATUS_DSN_ACTION_FAILED;

    if (head == end)
        return 0;
    smtpstatus__line_at(t, end, head, &ln);
    if (smtpstatus__find_nocase(t, ln.end, head, "delayed") < ln.end)
        action = SMTPSTATUS_DSN_ACTION_DELAYED;
    first = ln.next;
    tech = smtpstatus__mark_find_from(mk, t, SMTPSTATUS__MARK_GMAIL_TECHNICAL, first, end);
    memset(&f, 0, sizeof f);
    f.action = action;
    if (tech < end) {
        size_t colon, body;
        smtpstatus__line_at(t, end, tech, &ln);
        colon = smtpstatus__find_nocase(t, ln.end, tech, ":");
        body = colon < ln.end ? colon + 1 : ln.next;
        f.remote_mta = remote_by(t, body, end);
        if (!quoted_reply(t, body, end,
                          "the error that the other server returned was:", &f.diagnostic))
            f.diagnostic = smtpstatus__slice(t, body, end);
        f.stage = stage_of_state(f.diagnostic.ptr, f.diagnostic.len);
    }
    /* The recipients: indented addresses up to the first other text. */
    at = first;
    while (smtpstatus__line_at(t, tech, at, &ln)) {
        struct smtpstatus_text addr;
        at = ln.next;
        if (smtpstatus__blank_line(t, &ln))
            continue;
        if (!smtpstatus__address_line(t, &ln, &addr))
            break;
        f.recipient = addr;
        emit(sink, &f);
        emitted++;
    }
    return emitted;
}

/* The later layout, and Google Groups: the recipients from the sentence
 * or from X-Failed-Recipients. */
static size_t read_later(const struct smtpstatus__bounce *b, size_t end,
                         struct smtpstatus__sink *sink)
{
    static const char *const leads[] = {
        "the response from the remote server was:",
        "the response was:",
        "the error that the other server returned was:",
    };
    const char *t = b->text.ptr;
    struct smtpstatus_text failed, addr;
    struct smtpstatus__found f;
    size_t emitted = 0, at;
    int groups;

    memset(&f, 0, sizeof f);
    f.action = SMTPSTATUS_DSN_ACTION_FAILED;
    /* "There was a temporary problem delivering your message to ...
     * Gmail will retry for 47 more hours." */
    if (has(t, window(end), "temporary problem delivering") ||
        has(t, window(end), "** delivery incomplete **") || has(t, window(end), "will retry for "))
        f.action = SMTPSTATUS_DSN_ACTION_DELAYED;
    for (size_t i = 0; i < sizeof leads / sizeof leads[0] && f.diagnostic.len == 0; i++)
        quoted_reply(t, 0, end, leads[i], &f.diagnostic);
    groups = has(t, window(end), "groups.google.com") || has(t, window(end), "google groups");
    if (f.diagnostic.len == 0) {
        /* No reply quoted: Google's own words are all there is. */
        if (!groups && !has(t, window(end), "** "))
            return 0;
        f.diagnostic = smtpstatus__slice(t, 0, end);
    }
    f.stage = stage_of_state(f.diagnostic.ptr, f.diagnostic.len);
    if (b->has_failed_recipients) {
        failed = b->failed_recipients;
        at = 0;
        while ((at = smtpstatus__find_address(failed.ptr, failed.len, at, &addr)) != 0) {
            f.recipient = addr;
            emit(sink, &f);
            emitted++;
        }
        return emitted;
    }
    /* "Your message wasn't delivered to bob@example.com because ..." */
    {
        static const char *const sentences[] = { "delivered to ", "your message to ",
                                                 "message to " };
        for (size_t i = 0; i < sizeof sentences / sizeof sentences[0]; i++) {
            size_t p = smtpstatus__find_nocase(t, window(end), 0, sentences[i]), s;
            struct smtpstatus__line ln;
            if (p == window(end))
                continue;
            s = p + strlen(sentences[i]);
            smtpstatus__line_at(t, end, p, &ln);
            if (smtpstatus__find_address(t, ln.end, s, &addr) && addr.ptr == t + s) {
                f.recipient = addr;
                emit(sink, &f);
                return 1;
            }
        }
    }
    return 0;
}

size_t smtpstatus__decode_gmail(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t w = window(b->text.len), end, n;
    int google = from_google(b);

    if (!google && !(smtpstatus__mark_in(mk, SMTPSTATUS__MARK_GMAIL_DELIVERY_TO, w) &&
                     smtpstatus__mark_in(mk, SMTPSTATUS__MARK_GMAIL_TECHNICAL, w)))
        return 0;
    end = smtpstatus__original_starts(mk, t, 0, b->text.len);
    n = read_classic(mk, t, end, sink);
    if (n == 0 && google)
        n = read_later(b, end, sink);
    return n;
}
