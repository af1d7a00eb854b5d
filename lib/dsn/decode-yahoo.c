/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Yahoo! Mail failure notices (also sent by services that run the same
 * software, such as Amazon SES's "Failure Notice"):
 *
 *   Sorry, we were unable to deliver your message to the following address.
 *
 *   <bob@example.com>:
 *   Remote host said: 550 5.1.1 <bob@example.com>... User Unknown [RCPT_TO]
 *
 *   --- Below this line is a copy of the message.
 *
 * Each recipient is "<address>:" on a line of its own, followed by the
 * error (the remote server's reply after "Remote host said:", possibly on
 * the next lines, or Yahoo's own words) and, in brackets, the SMTP step
 * that failed: [RCPT_TO], [MAIL_FROM], [DATA], [BODY], [CONNECT].
 */

#include "decoders.h"

/* "<bob@example.com>:" alone on its line. */
static int recipient_line(const char *t, const struct smtpstatus__line *ln,
                          struct smtpstatus_text *addr)
{
    size_t i = smtpstatus__skip_blanks(t, ln->off, ln->end), end;

    if (i >= ln->end || t[i] != '<')
        return 0;
    end = smtpstatus__find_address(t, ln->end, i + 1, addr);
    if (end == 0 || addr->ptr != t + i + 1 || end >= ln->end || t[end] != '>')
        return 0;
    end = smtpstatus__skip_blanks(t, end + 1, ln->end);
    if (end < ln->end && t[end] == ':')
        end++;
    return smtpstatus__skip_blanks(t, end, ln->end) == ln->end;
}

/* Yahoo's bracketed step names. */
static uint32_t stage_of(const char *t, size_t off, size_t end, size_t *mark)
{
    static const struct {
        const char *name;
        uint32_t stage;
    } steps[] = {
        { "[rcpt_to]", SMTPSTATUS_STAGE_RCPT },
        { "[mail_from]", SMTPSTATUS_STAGE_MAIL },
        { "[data]", SMTPSTATUS_STAGE_DATA },
        { "[body]", SMTPSTATUS_STAGE_END_OF_DATA },
        { "[end_of_data]", SMTPSTATUS_STAGE_END_OF_DATA },
        { "[connect]", SMTPSTATUS_STAGE_CONNECT },
        { "[helo]", SMTPSTATUS_STAGE_EHLO },
        { "[ehlo]", SMTPSTATUS_STAGE_EHLO },
    };

    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        size_t p = smtpstatus__find_nocase(t, end, off, steps[i].name);
        if (p < end) {
            *mark = p;
            return steps[i].stage;
        }
    }
    *mark = end;
    return SMTPSTATUS_STAGE_UNKNOWN;
}

static size_t finish(const char *t, size_t body, size_t end, struct smtpstatus__found *f,
                     struct smtpstatus__sink *sink)
{
    size_t mark, said;

    f->stage = stage_of(t, body, end, &mark);
    said = smtpstatus__find_nocase(t, mark, body, "remote host said:");
    if (said < mark)
        body = said + sizeof "remote host said:" - 1;
    f->diagnostic = smtpstatus__slice(t, body, mark);
    f->action = SMTPSTATUS_DSN_ACTION_FAILED;
    f->flags = SMTPSTATUS_DSN_FROM_TEXT;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_YAHOO);
    return 1;
}

size_t smtpstatus__decode_yahoo(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, head, end, at, body = 0, emitted = 0;
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    int open = 0;

    head = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_YAHOO_UNABLE, len < 65536 ? len : 65536);
    if (head == (len < 65536 ? len : 65536))
        return 0;
    end = smtpstatus__original_starts(mk, t, head, len);
    memset(&f, 0, sizeof f);
    smtpstatus__line_at(t, end, head, &ln);
    at = ln.next;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus_text addr;
        if (recipient_line(t, &ln, &addr)) {
            if (open)
                emitted += finish(t, body, ln.off, &f, sink);
            memset(&f, 0, sizeof f);
            f.recipient = addr;
            body = ln.next;
            open = 1;
        }
        at = ln.next;
    }
    if (open)
        emitted += finish(t, body, end, &f, sink);
    return emitted;
}
