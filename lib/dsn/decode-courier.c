/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Courier's delivery status notifications (courier/module.dsn), read from
 * their text when the delivery-status part is missing. The text is built
 * from dsnheader.txt ("This is a delivery status notification from X,
 * running the Courier mail server, version V."), then, for each kind of
 * result, a centred title and the recipients:
 *
 *                            UNDELIVERABLE MAIL         (dsnfailed.txt)
 *                      DELAYS IN DELIVERING YOUR MESSAGE (dsndelayed.txt)
 *                     MESSAGE DELIVERED SUCCESSFULLY    (dsndelivered.txt)
 *                   MESSAGE DELIVERED TO A MAIL GATEWAY (dsnrelayed.txt)
 *
 *    <bob@example.com>:
 *        mx.example.com [192.0.2.1]:
 *    >>> RCPT TO:<bob@example.com>
 *    <<< 550 5.1.1 <bob@example.com>... User unknown
 *
 * Each recipient is followed by its delivery record (dsn.c,
 * format_del_info): the peer ("host [ip]:"), "***" for a connection error,
 * ">>>" for what was sent and "<<<" for the replies. Older versions put
 * the address at the start of the line, newer ones indent it by one space.
 * dsnfooter.txt, after a line of dashes, ends the list.
 */

#include "decoders.h"

static size_t skip_blank(const char *t, size_t i, size_t end)
{
    while (i < end && (t[i] == ' ' || t[i] == '\t'))
        i++;
    return i;
}

static const struct {
    const char *title;
    uint32_t action;
} sections[] = {
    { "undeliverable mail", SMTPSTATUS_DSN_ACTION_FAILED },
    { "delays in delivering your message", SMTPSTATUS_DSN_ACTION_DELAYED },
    { "message delivered successfully", SMTPSTATUS_DSN_ACTION_DELIVERED },
    { "message delivered to a mail gateway", SMTPSTATUS_DSN_ACTION_RELAYED },
};

/* A section title alone on its line; returns its action or NONE. */
static uint32_t section_of(const char *t, const struct smtpstatus__line *ln)
{
    size_t i = skip_blank(t, ln->off, ln->end);

    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
        size_t n = strlen(sections[k].title);
        if (smtpstatus__match_nocase(t, ln->end, i, sections[k].title) &&
            skip_blank(t, i + n, ln->end) == ln->end)
            return sections[k].action;
    }
    return SMTPSTATUS_DSN_ACTION_NONE;
}

/* " <addr>:" */
static int recipient_line(const char *t, const struct smtpstatus__line *ln,
                          struct smtpstatus_text *addr)
{
    size_t i = skip_blank(t, ln->off, ln->end), e;

    if (i - ln->off > 2 || i >= ln->end || t[i] != '<')
        return 0;
    e = smtpstatus__find_address(t, ln->end, i + 1, addr);
    return e != 0 && addr->ptr == t + i + 1 && e + 1 < ln->end && t[e] == '>' && t[e + 1] == ':' &&
           skip_blank(t, e + 2, ln->end) == ln->end;
}

/* A line of dashes: the footer's separator. */
static int rule_line(const char *t, const struct smtpstatus__line *ln)
{
    size_t i = skip_blank(t, ln->off, ln->end), n = 0;

    while (i < ln->end && t[i] == '-') {
        i++;
        n++;
    }
    return n >= 10 && skip_blank(t, i, ln->end) == ln->end;
}

/* The recipient being read: its delivery record, line by line. */
struct record {
    struct smtpstatus__found f;
    struct smtpstatus_text reply, error;
    uint32_t sent_stage;
    int in_reply, open;
};

static void record_line(const char *t, const struct smtpstatus__line *ln, struct record *r)
{
    size_t i = skip_blank(t, ln->off, ln->end);
    int was_reply = r->in_reply;

    r->in_reply = 0;
    if (smtpstatus__match_nocase(t, ln->end, i, ">>> ")) {
        size_t c = skip_blank(t, i + 4, ln->end);
        int stage = smtpstatus__stage_at(t, ln->end, c, NULL);
        if (c + 1 == ln->end && t[c] == '.')
            stage = SMTPSTATUS_STAGE_END_OF_DATA;
        r->sent_stage = (uint32_t)stage;
    } else if (smtpstatus__match_nocase(t, ln->end, i, "<<< ")) {
        size_t c = skip_blank(t, i + 4, ln->end);
        if (was_reply && r->reply.len > 0) {
            /* A multi-line reply: one "<<< " line each. */
            r->reply.len = ln->end - (size_t)(r->reply.ptr - t);
        } else {
            r->reply = smtpstatus__slice(t, c, ln->end);
            r->f.stage = r->sent_stage;
        }
        r->in_reply = 1;
    } else if (smtpstatus__match_nocase(t, ln->end, i, "*** ")) {
        if (r->error.len == 0)
            r->error = smtpstatus__slice(t, i + 4, ln->end);
    } else if (i < ln->end && ln->end > i + 1 && t[ln->end - 1] == ':') {
        /* The peer: "mx.example.com [192.0.2.1]:" */
        size_t e = i;
        while (e < ln->end && t[e] != ' ' && t[e] != ':')
            e++;
        if (e > i)
            r->f.remote_mta = smtpstatus__slice(t, i, e);
    }
}

static void finish(struct record *r, uint32_t action, struct smtpstatus__sink *sink,
                   size_t *emitted)
{
    if (!r->open)
        return;
    r->f.diagnostic = r->reply.len > 0 ? r->reply : r->error;
    r->f.action = action;
    r->f.flags = SMTPSTATUS_DSN_FROM_TEXT;
    smtpstatus__emit(sink, &r->f, SMTPSTATUS_DECODER_COURIER);
    (*emitted)++;
    r->open = 0;
}

size_t smtpstatus__decode_courier(const struct smtpstatus__bounce *b,
                                  const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, at = 0, emitted = 0;
    struct smtpstatus__line ln;
    struct record r;
    uint32_t action = SMTPSTATUS_DSN_ACTION_NONE;

    if (!smtpstatus__mark_in(mk, SMTPSTATUS__MARK_COURIER, len))
        return 0;
    memset(&r, 0, sizeof r);
    while (smtpstatus__line_at(t, len, at, &ln)) {
        uint32_t sec = section_of(t, &ln);
        struct smtpstatus_text addr;

        if (sec != SMTPSTATUS_DSN_ACTION_NONE) {
            finish(&r, action, sink, &emitted);
            action = sec;
        } else if (action == SMTPSTATUS_DSN_ACTION_NONE) {
            /* before the first section */
        } else if (recipient_line(t, &ln, &addr)) {
            finish(&r, action, sink, &emitted);
            memset(&r, 0, sizeof r);
            r.f.recipient = addr;
            r.open = 1;
        } else if (rule_line(t, &ln)) {
            finish(&r, action, sink, &emitted);
        } else if (r.open) {
            record_line(t, &ln, &r);
        }
        at = ln.next;
    }
    finish(&r, action, sink, &emitted);
    return emitted;
}
