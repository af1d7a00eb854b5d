/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * qmail-send's bounce messages (qmail-send.c), and those of its forks
 * (netqmail, qmail-ldap, s/qmail, notqmail):
 *
 *   Hi. This is the qmail-send program at mx.example.org.
 *   I'm afraid I wasn't able to deliver your message to the following addresses.
 *   This is a permanent error; I've given up. Sorry it didn't work out.
 *
 *   <bob@example.com>:
 *   192.0.2.1 does not like recipient.
 *   Remote host said: 550 5.1.1 <bob@example.com>... User unknown
 *   Giving up on 192.0.2.1.
 *
 *   --- Below this line is a copy of the message.
 *
 * qmail-remote's own words say which command failed ("does not like
 * recipient", "Connected to X but sender was rejected", "X failed after I
 * sent the message"), and its own errors end with an enhanced code such as
 * "(#5.1.1)". When the queue lifetime runs out, "I'm not going to try
 * again; this message has been in the queue too long." follows the last
 * error; that sentence is why the message failed, not what went wrong, so
 * it is left out of the diagnostic (the action says it already).
 */

#include "decoders.h"

static int contains(const char *t, size_t off, size_t end, const char *lower)
{
    return smtpstatus__find_nocase(t, end, off, lower) < end;
}

/* "<addr>:" at the start of a line (anything after the colon is the
 * start of the error, as some forks write it). */
static int recipient_line(const char *t, const struct smtpstatus__line *ln,
                          struct smtpstatus_text *addr, size_t *rest)
{
    size_t e;

    if (ln->off >= ln->end || t[ln->off] != '<')
        return 0;
    e = smtpstatus__angle_address(t, ln->off, ln->end, addr);
    if (e == 0 || e + 1 >= ln->end || t[e + 1] != ':')
        return 0;
    *rest = e + 2;
    return 1;
}

/* "--- Below this line is a copy of the message.", "--- Enclosed is a
 * copy...", "--- Below this line is the original bounce.": the end. */
static int separator(const char *t, const struct smtpstatus__line *ln)
{
    return smtpstatus__match_nocase(t, ln->end, ln->off, "--- ");
}

/* The white-space-delimited token that ends at t[end] (on its line). */
static struct smtpstatus_text token_before(const char *t, size_t start, size_t end)
{
    struct smtpstatus_text tok = { NULL, 0 };
    size_t s = end;

    while (s > start && t[s - 1] != ' ' && t[s - 1] != '\t' && t[s - 1] != '\n' && t[s - 1] != '\r')
        s--;
    if (s < end) {
        tok.ptr = t + s;
        tok.len = end - s;
    }
    return tok;
}

/* The token that starts at t[at], without a final '.' or ','. */
static struct smtpstatus_text token_at(const char *t, size_t at, size_t end)
{
    struct smtpstatus_text tok = { NULL, 0 };
    size_t e = at;

    while (e < end && t[e] != ' ' && t[e] != '\t' && t[e] != '\n' && t[e] != '\r' && t[e] != ';')
        e++;
    while (e > at && (t[e - 1] == '.' || t[e - 1] == ','))
        e--;
    if (e > at) {
        tok.ptr = t + at;
        tok.len = e - at;
    }
    return tok;
}

/* qmail-remote's sentences, the command each speaks of, and whether the
 * host comes before ("X does not like recipient") or after ("Connected
 * to X but ..."). */
static const struct {
    const char *phrase;
    uint8_t stage;
    uint8_t host_before;
} sentences[] = {
    { " does not like recipient", SMTPSTATUS_STAGE_RCPT, 1 },
    { " does not like sender", SMTPSTATUS_STAGE_MAIL, 1 },
    { " failed after i sent the message", SMTPSTATUS_STAGE_END_OF_DATA, 1 },
    { " failed on data command", SMTPSTATUS_STAGE_DATA, 1 },
    { " but sender was rejected", SMTPSTATUS_STAGE_MAIL, 0 },
    { " but greeting failed", SMTPSTATUS_STAGE_CONNECT, 0 },
    { " but my name was rejected", SMTPSTATUS_STAGE_EHLO, 0 },
    { " but connection died", SMTPSTATUS_STAGE_UNKNOWN, 0 },
};

/* "(#5.1.1)" */
static int qmail_code(const char *t, size_t s, size_t e, struct smtpstatus_enhanced *code)
{
    size_t i = s, end;

    while ((i = smtpstatus__find_nocase(t, e, i, "(#")) < e) {
        if (smtpstatus__parse_enhanced_at(t, e, i + 2, code, &end) == SMTPSTATUS_OK &&
            smtpstatus__enhanced_boundary_after(t, e, end))
            return 1;
        i += 2;
    }
    return 0;
}

static void read_block(const char *t, size_t s, size_t e, struct smtpstatus__found *f)
{
    size_t p, d = s;

    /* Boilerplate that ends the text rather than explains it. */
    p = smtpstatus__find_nocase(t, e, s, "i'm not going to try again");
    if (p < e)
        e = p;
    p = smtpstatus__find_nocase(t, e, s, "(other mxes tried");
    if (p < e)
        e = p;

    for (size_t i = 0; i < sizeof sentences / sizeof sentences[0]; i++) {
        p = smtpstatus__find_nocase(t, e, s, sentences[i].phrase);
        if (p == e)
            continue;
        if (sentences[i].stage != SMTPSTATUS_STAGE_UNKNOWN)
            f->stage = sentences[i].stage;
        if (sentences[i].host_before) {
            f->remote_mta = token_before(t, s, p);
        } else {
            size_t c = smtpstatus__find_nocase(t, p, s, "connected to ");
            if (c < p)
                f->remote_mta = token_at(t, c + sizeof "connected to " - 1, p);
        }
        break;
    }
    /* "Sorry, no SMTP connection got far enough; most progress was RCPT
     * TO response; remote host X said: 550 ..." */
    p = smtpstatus__find_nocase(t, e, s, "most progress was ");
    if (p < e) {
        int stage = smtpstatus__stage_at(t, e, p + sizeof "most progress was " - 1, NULL);
        if (stage != SMTPSTATUS_STAGE_UNKNOWN)
            f->stage = (uint32_t)stage;
    }
    p = smtpstatus__find_nocase(t, e, s, "remote host said:");
    if (p < e) {
        d = p + sizeof "remote host said:" - 1;
        /* "Giving up on X." closes qmail's account of the attempt. */
        p = smtpstatus__find_nocase(t, e, d, "giving up on ");
        if (p < e) {
            if (f->remote_mta.len == 0)
                f->remote_mta = token_at(t, p + sizeof "giving up on " - 1, e);
            e = p;
        }
    } else if ((p = smtpstatus__find_nocase(t, e, s, "remote host ")) < e) {
        size_t said = smtpstatus__find_nocase(t, e, p, " said:");
        if (said < e) {
            f->remote_mta = token_at(t, p + sizeof "remote host " - 1, said);
            d = said + sizeof " said:" - 1;
        }
    }
    if (qmail_code(t, s, e, &f->status))
        f->has_status = 1;
    f->diagnostic = smtpstatus__slice(t, d, e);
}

size_t smtpstatus__decode_qmail(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, at, emitted = 0, text = 0, block_end = 0;
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    uint32_t action = SMTPSTATUS_DSN_ACTION_FAILED;
    int open = 0;

    at = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_QMAIL_SEND, len);
    if (at == len) {
        /* Forks and relabelled hosts keep the sentence that follows. */
        at = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_QMAIL_AFRAID, len);
        if (at == len)
            return 0;
    }
    /* Forks that warn before giving up ("I'm still trying", "This is not a
     * permanent error"). */
    if (contains(t, at, at + 1024 < len ? at + 1024 : len, "still trying") ||
        contains(t, at, at + 1024 < len ? at + 1024 : len, "not a permanent error"))
        action = SMTPSTATUS_DSN_ACTION_DELAYED;

    memset(&f, 0, sizeof f);
    while (smtpstatus__line_at(t, len, at, &ln)) {
        struct smtpstatus_text addr;
        size_t rest;
        int head;

        if (separator(t, &ln))
            break;
        head = recipient_line(t, &ln, &addr, &rest);
        if (head && open) {
            read_block(t, text, block_end, &f);
            f.action = action;
            f.flags = SMTPSTATUS_DSN_FROM_TEXT;
            smtpstatus__emit(sink, &f, SMTPSTATUS_DECODER_QMAIL);
            emitted++;
        }
        if (head) {
            memset(&f, 0, sizeof f);
            f.recipient = addr;
            text = rest;
            block_end = ln.end;
            open = 1;
        } else if (open && ln.end > ln.off) {
            block_end = ln.end;
        }
        at = ln.next;
    }
    if (open) {
        read_block(t, text, block_end, &f);
        f.action = action;
        f.flags = SMTPSTATUS_DSN_FROM_TEXT;
        smtpstatus__emit(sink, &f, SMTPSTATUS_DECODER_QMAIL);
        emitted++;
    }
    return emitted;
}
