/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The delivery lines of three MTA logs:
 *
 * Postfix:  ... postfix/smtp[123]: 3F2A1C0: to=<bob@example.org>,
 *           relay=mx.example.org[192.0.2.25]:25, ..., dsn=5.1.1,
 *           status=bounced (host mx.example.org[192.0.2.25] said: 550 ...)
 * Exim:     2026-11-23 10:00:00 1tAbCd-000123-Xy ** bob@example.org
 *           R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.25]: SMTP
 *           error from remote mail server after RCPT TO:<...>: 550 ...
 *           ("**" failed, "==" deferred, "=>" and "->" delivered)
 * Sendmail: ... sm-mta[123]: 5ANA0A1B000123: to=<bob@example.org>, ...,
 *           relay=mx.example.org. [192.0.2.25], dsn=5.1.1, stat=User unknown
 */

#include <string.h>

#include "triage-log.h"

static const char *find(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);

    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (s[i] == word[0] && memcmp(s + i, word, n) == 0)
            return s + i;
    return NULL;
}

static struct smtpstatus_text text(const char *start, const char *end)
{
    struct smtpstatus_text t;
    t.ptr = start;
    t.len = end > start ? (size_t)(end - start) : 0;
    return t;
}

static const char *token_end(const char *p, const char *end, const char *stops)
{
    while (p < end && !strchr(stops, *p))
        p++;
    return p;
}

/* "dsn=5.1.1" anywhere in the line. */
static void dsn_field(const char *line, size_t len, struct log_event *ev)
{
    const char *d = find(line, len, "dsn=");
    if (d) {
        const char *end = line + len;
        const char *e = token_end(d + 4, end, ", ");
        ev->has_dsn = smtpstatus_parse_enhanced(d + 4, (size_t)(e - d - 4), 0, &ev->dsn, NULL) ==
                      SMTPSTATUS_OK;
    }
}

static int postfix_or_sendmail(const char *line, size_t len, struct log_event *ev)
{
    const char *end = line + len, *to = find(line, len, " to=");
    const char *st, *relay;

    if (to == NULL)
        return 0;
    to += 4;
    if (to < end && *to == '<') {
        const char *gt = token_end(to + 1, end, ">");
        ev->recipient = text(to + 1, gt);
    } else {
        ev->recipient = text(to, token_end(to, end, ", "));
    }
    relay = find(line, len, " relay=");
    if (relay) {
        relay += 7;
        ev->host = text(relay, token_end(relay, end, "[, "));
        while (ev->host.len > 0 && ev->host.ptr[ev->host.len - 1] == '.')
            ev->host.len--;
    }
    dsn_field(line, len, ev);
    if ((st = find(line, len, " status=")) != NULL) {
        const char *word = st + 8, *word_end = token_end(word, end, " ,(");
        size_t n = (size_t)(word_end - word);
        ev->mta = "postfix";
        if (n == 4 && memcmp(word, "sent", 4) == 0)
            ev->status = LOG_SENT;
        else if (n == 8 && memcmp(word, "deferred", 8) == 0)
            ev->status = LOG_DEFERRED;
        else if (n == 7 && memcmp(word, "bounced", 7) == 0)
            ev->status = LOG_BOUNCED;
        else if (n == 7 && memcmp(word, "expired", 7) == 0)
            ev->status = LOG_EXPIRED;
        else if (n == 13 && memcmp(word, "undeliverable", 13) == 0)
            ev->status = LOG_BOUNCED;
        else
            return 0;
        /* The reason is in parentheses to the end of the line. */
        const char *open = word_end;
        while (open < end && *open == ' ')
            open++;
        if (open < end && *open == '(') {
            const char *close = end;
            while (close > open + 1 && (close[-1] == ' ' || close[-1] == '\r'))
                close--;
            if (close[-1] == ')')
                close--;
            ev->diagnostic = text(open + 1, close);
        }
        return ev->recipient.len > 0;
    }
    if ((st = find(line, len, " stat=")) != NULL) {
        const char *stat = st + 6;
        ev->mta = "sendmail";
        ev->diagnostic = text(stat, end);
        if (ev->has_dsn)
            ev->status = ev->dsn.cls == 2 ? LOG_SENT : ev->dsn.cls == 4 ? LOG_DEFERRED : LOG_BOUNCED;
        else if (len - (size_t)(stat - line) >= 4 && memcmp(stat, "Sent", 4) == 0)
            ev->status = LOG_SENT;
        else if (len - (size_t)(stat - line) >= 8 && memcmp(stat, "Deferred", 8) == 0)
            ev->status = LOG_DEFERRED;
        else
            ev->status = LOG_BOUNCED;
        return ev->recipient.len > 0;
    }
    return 0;
}

static int exim(const char *line, size_t len, struct log_event *ev)
{
    static const struct {
        const char *flag;
        int status;
    } flags[] = {
        { " ** ", LOG_BOUNCED }, { " == ", LOG_DEFERRED }, { " => ", LOG_SENT }, { " -> ", LOG_SENT },
    };
    const char *end = line + len;

    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const char *f = find(line, len > 80 ? 80 : len, flags[i].flag), *r, *colon, *h;
        if (f == NULL)
            continue;
        r = f + 4;
        ev->mta = "exim";
        ev->status = flags[i].status;
        ev->recipient = text(r, token_end(r, end, " :"));
        if (ev->recipient.len > 0 && ev->recipient.ptr[0] == '<') {
            ev->recipient.ptr++;
            ev->recipient.len -= ev->recipient.len > 1 && ev->recipient.ptr[ev->recipient.len - 1] == '>' ? 2 : 1;
        }
        h = find(r, (size_t)(end - r), " H=");
        if (h)
            ev->host = text(h + 3, token_end(h + 3, end, " [:"));
        /* The error follows the first ": " after the recipient's fields. */
        colon = find(r, (size_t)(end - r), ": ");
        if (colon)
            ev->diagnostic = text(colon + 2, end);
        else if ((colon = find(r, (size_t)(end - r), " defer (")) != NULL)
            ev->diagnostic = text(colon + 1, end);
        if (ev->status == LOG_BOUNCED && ev->diagnostic.len > 0 &&
            find(ev->diagnostic.ptr, ev->diagnostic.len, "retry timeout exceeded"))
            ev->status = LOG_EXPIRED;
        return ev->recipient.len > 0 && memchr(ev->recipient.ptr, '@', ev->recipient.len) != NULL;
    }
    return 0;
}

int log_event(const char *line, size_t len, struct log_event *ev)
{
    memset(ev, 0, sizeof *ev);
    if (postfix_or_sendmail(line, len, ev))
        return 1;
    memset(ev, 0, sizeof *ev);
    return exim(line, len, ev);
}
