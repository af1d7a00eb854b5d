/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Postfix's bounce(8) notices, read from their text when the
 * message/delivery-status part is missing or empty. The built-in templates
 * open with "This is the mail system at host X." (Postfix 2.3 and later) or
 * "This is the Postfix program at host X." (before), and list one block per
 * recipient, the address at the start of a line and the text continued on
 * lines indented by four spaces:
 *
 *   <bob@example.com> (expanded from <info@example.org>): host
 *       mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>:
 *       Recipient address rejected: User unknown (in reply to RCPT TO command)
 *
 * Sites may translate the template (bounce_template_file), so the default
 * subjects are a second sign of the layout; the blocks are the same.
 *
 * The postmaster's copies of failed SMTP sessions ("Postfix SMTP server:
 * errors from X", smtpd's and smtp's notify_classes) have no blocks but a
 * transcript, " In:  RCPT TO:<bob@example.com>" and " Out: 550 ..."; the
 * recipients are those of the RCPT commands that failed, or all of them
 * when the message itself was refused.
 */

#include "decoders.h"

static int contains(const char *t, size_t off, size_t end, const char *lower)
{
    return smtpstatus__find_nocase(t, end, off, lower) < end;
}

/* Postfix's default subjects (bounce_template.c). */
static int postfix_subject(const struct smtpstatus__bounce *b)
{
    static const char *const subjects[] = {
        "undelivered mail returned to sender",
        "delayed mail (still being retried)",
        "successful mail delivery report",
        "mail delivery status report",
    };
    const struct smtpstatus_text *s = &b->subject;

    if (s->ptr == NULL)
        return 0;
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++)
        if (contains(s->ptr, 0, s->len, subjects[i]))
            return 1;
    return 0;
}

/* A line that ends Postfix's text in a message that was flattened (the
 * report forwarded as text, a lost MIME structure): a MIME boundary, the
 * delivery-status fields, the returned message's headers. */
static int stop_line(const char *t, const struct smtpstatus__line *ln)
{
    static const char *const fields[] = {
        "reporting-mta:", "final-recipient:", "received:", "return-path:", "content-type:",
    };
    size_t n = ln->end - ln->off;

    if (n >= 3 && t[ln->off] == '-' && t[ln->off + 1] == '-' && t[ln->off + 2] != ' ' &&
        t[ln->off + 2] != '-')
        return 1;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (smtpstatus__match_nocase(t, ln->end, ln->off, fields[i]))
            return 1;
    return 0;
}

static size_t skip_ws(const char *t, size_t i, size_t end)
{
    while (i < end && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
        i++;
    return i;
}

/*
 * "<addr>:" or "<addr> (expanded from <alias>):" at the start of a line
 * (Postfix may wrap before the alias); sets the recipient, the alias, and
 * *text to the offset after the colon.
 */
static int block_head(const char *t, size_t len, const struct smtpstatus__line *ln,
                      struct smtpstatus__found *f, size_t *text)
{
    size_t i = ln->off, e;
    struct smtpstatus_text addr;

    /* Some builds indent the address by one space; the text's own lines
     * are indented by four. */
    if (i < ln->end && t[i] == ' ')
        i++;
    if (i >= ln->end || t[i] != '<')
        return 0;
    e = smtpstatus__angle_address(t, i, ln->end, &addr);
    if (e == 0)
        return 0;
    f->recipient = addr;
    i = e + 1;
    if (smtpstatus__match_nocase(t, ln->end, i, " (expanded from")) {
        size_t a = skip_ws(t, i + sizeof " (expanded from" - 1, len);
        /* The alias is on this line or the next: never look further. */
        size_t limit = a + 512 < len ? a + 512 : len;
        const char *gt;
        if (a >= len || t[a] != '<')
            return 0;
        gt = memchr(t + a, '>', limit - a);
        if (gt == NULL || (size_t)(gt - t) + 1 >= len || gt[1] != ')')
            return 0;
        f->original_recipient = smtpstatus__slice(t, a + 1, (size_t)(gt - t));
        i = (size_t)(gt - t) + 2;
    }
    if (i >= len || t[i] != ':')
        return 0;
    *text = i + 1;
    return 1;
}

/* The host name before "[address]" at `at` ("mx.example.com[192.0.2.1]"). */
static struct smtpstatus_text host_at(const char *t, size_t at, size_t end)
{
    struct smtpstatus_text h = { NULL, 0 };
    size_t i = at;

    while (i < end && t[i] != '[' && !smtpstatus__is_space((unsigned char)t[i]) && t[i] != '\n' &&
           t[i] != '\r')
        i++;
    if (i < end && t[i] == '[' && i > at) {
        h.ptr = t + at;
        h.len = i - at;
    }
    return h;
}

/* Read one recipient's text [s, e): who answered, what, to which command. */
static void read_block(const char *t, size_t s, size_t e, struct smtpstatus__found *f)
{
    static const char *const hosts[] = { "host ", "connect to ", "lost connection with ",
                                         "conversation with " };
    size_t d, p;

    s = skip_ws(t, s, e);
    d = s;
    /* The first "host X[ip]", "connect to X[ip]"...: the remote MTA
     * (after "delivery temporarily suspended: " too). */
    for (size_t i = 0, first = e; i < sizeof hosts / sizeof hosts[0]; i++) {
        p = smtpstatus__find_nocase(t, first, s, hosts[i]);
        if (p < first) {
            struct smtpstatus_text h = host_at(t, skip_ws(t, p + strlen(hosts[i]), e), e);
            if (h.len > 0) {
                f->remote_mta = h;
                first = p;
            }
        }
    }
    /* "host X said: <reply>": the remote server's words are what matter. */
    p = smtpstatus__find_nocase(t, e, s, " said:");
    if (p < e) {
        d = p + sizeof " said:" - 1;
    } else if ((p = smtpstatus__find_nocase(t, e, s, "refused to talk to me:")) < e) {
        d = p + sizeof "refused to talk to me:" - 1;
        f->stage = SMTPSTATUS_STAGE_CONNECT;
    }
    p = smtpstatus__find_nocase(t, e, d, "(in reply to");
    if (p < e) {
        size_t q = skip_ws(t, p + sizeof "(in reply to" - 1, e);
        int stage = smtpstatus__stage_at(t, e, q, NULL);
        if (stage != SMTPSTATUS_STAGE_UNKNOWN)
            f->stage = (uint32_t)stage;
        e = p;
    } else if ((p = smtpstatus__find_nocase(t, e, d, "while sending ")) < e) {
        int stage = smtpstatus__stage_at(t, e, p + sizeof "while sending " - 1, NULL);
        if (stage != SMTPSTATUS_STAGE_UNKNOWN)
            f->stage = (uint32_t)stage;
    } else if (contains(t, d, e, "initial server greeting")) {
        f->stage = SMTPSTATUS_STAGE_CONNECT;
    } else if ((p = smtpstatus__find_nocase(t, e, d, "while performing the ")) < e) {
        int stage = smtpstatus__stage_at(t, e, p + sizeof "while performing the " - 1, NULL);
        if (stage != SMTPSTATUS_STAGE_UNKNOWN)
            f->stage = (uint32_t)stage;
    }
    f->diagnostic = smtpstatus__slice(t, d, e);
    /* Success notices ("delivery via mx[...]: 250 2.0.0 Ok", "delivered to
     * mailbox") list the same way. */
    if (smtpstatus__match_nocase(t, e, s, "delivery via ") ||
        smtpstatus__match_nocase(t, e, s, "delivered to "))
        f->action = SMTPSTATUS_DSN_ACTION_DELIVERED;
}

static void emit(struct smtpstatus__sink *sink, struct smtpstatus__found *f, uint32_t action)
{
    if (f->action == SMTPSTATUS_DSN_ACTION_NONE)
        f->action = action;
    f->flags = SMTPSTATUS_DSN_FROM_TEXT;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_POSTFIX);
}

/*
 * "--- Delivery report unavailable ---": Postfix lost the per-recipient
 * log (the bounce logfile was removed), and the report says nothing about
 * anyone. The returned message's To is the only recipient known.
 */
static size_t report_unavailable(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink)
{
    struct smtpstatus__found f;
    struct smtpstatus_text to;
    size_t hdr_len;

    if (b->original.ptr == NULL)
        return 0;
    smtpstatus__split_headers(b->original.ptr, b->original.len, &hdr_len);
    if (!smtpstatus__field_find(b->original.ptr, hdr_len, "to", &to))
        return 0;
    memset(&f, 0, sizeof f);
    if (smtpstatus__find_address(to.ptr, to.len, 0, &f.recipient) == 0)
        return 0;
    emit(sink, &f, SMTPSTATUS_DSN_ACTION_FAILED);
    return 1;
}

/* The code of an SMTP reply at t[i], or 0. */
static unsigned reply_code_at(const char *t, size_t i, size_t end)
{
    if (i + 3 > end || !smtpstatus__is_digit((unsigned char)t[i]) ||
        !smtpstatus__is_digit((unsigned char)t[i + 1]) ||
        !smtpstatus__is_digit((unsigned char)t[i + 2]))
        return 0;
    if (i + 3 < end && t[i + 3] != ' ' && t[i + 3] != '-')
        return 0;
    return (unsigned)(t[i] - '0') * 100 + (unsigned)(t[i + 1] - '0') * 10 +
           (unsigned)(t[i + 2] - '0');
}

/*
 * A transcript line, " In:  ..." or " Out: ...": 'R' for a reply (it starts
 * with a code), 'C' for a command. smtpd's notices show the client's
 * commands as "In:", smtp's (the client side) as "Out:", so the words
 * decide, not the arrow.
 */
static int transcript_line(const char *t, const struct smtpstatus__line *ln, size_t *rest)
{
    size_t i = ln->off;

    while (i < ln->end && t[i] == ' ')
        i++;
    if (smtpstatus__match_nocase(t, ln->end, i, "out:"))
        i += 4;
    else if (smtpstatus__match_nocase(t, ln->end, i, "in:"))
        i += 3;
    else
        return 0;
    *rest = skip_ws(t, i, ln->end);
    return reply_code_at(t, *rest, ln->end) != 0 ? 'R' : 'C';
}

/*
 * The postmaster notice's transcript. First pass: the first failure reply
 * to anything but a RCPT (the message refused as a whole) and its
 * command. Second pass: one recipient per "RCPT TO:<addr>", with its own
 * failure reply, or the message's.
 */
static size_t decode_transcript(const char *t, size_t len, struct smtpstatus__sink *sink)
{
    struct smtpstatus__line ln;
    struct smtpstatus_text fail = { NULL, 0 };
    uint32_t fail_stage = SMTPSTATUS_STAGE_UNKNOWN, stage = SMTPSTATUS_STAGE_CONNECT;
    size_t at = 0, rest, emitted = 0;
    struct smtpstatus__found f;
    int open = 0, kind;

    while (smtpstatus__line_at(t, len, at, &ln)) {
        kind = transcript_line(t, &ln, &rest);
        if (kind == 'C') {
            stage = (uint32_t)smtpstatus__stage_at(t, ln.end, rest, NULL);
        } else if (kind == 'R') {
            unsigned code = reply_code_at(t, rest, ln.end);
            if (code == 354)
                stage = SMTPSTATUS_STAGE_END_OF_DATA; /* the next reply answers the message */
            else if (code >= 400 && stage != SMTPSTATUS_STAGE_RCPT && fail.ptr == NULL &&
                     stage != SMTPSTATUS_STAGE_UNKNOWN) {
                fail = smtpstatus__slice(t, rest, ln.end);
                fail_stage = stage;
            }
        }
        at = ln.next;
    }

    at = 0;
    memset(&f, 0, sizeof f);
    while (smtpstatus__line_at(t, len, at, &ln)) {
        kind = transcript_line(t, &ln, &rest);
        if (kind == 'R' && open) {
            unsigned code = reply_code_at(t, rest, ln.end);
            open = 0;
            if (code >= 400) {
                f.diagnostic = smtpstatus__slice(t, rest, ln.end);
                f.stage = SMTPSTATUS_STAGE_RCPT;
            } else if (fail.ptr != NULL && fail_stage != SMTPSTATUS_STAGE_MAIL) {
                f.diagnostic = fail;
                f.stage = fail_stage;
            } else {
                at = ln.next;
                continue;
            }
            /* The client is told to try again after a 4xx: a delay, not
             * a failure. */
            emit(sink, &f,
                 f.diagnostic.len > 0 && f.diagnostic.ptr[0] == '5'
                     ? SMTPSTATUS_DSN_ACTION_FAILED
                     : SMTPSTATUS_DSN_ACTION_DELAYED);
            emitted++;
        } else if (kind == 'C') {
            size_t e;
            open = 0;
            if (smtpstatus__stage_at(t, ln.end, rest, &e) == SMTPSTATUS_STAGE_RCPT) {
                memset(&f, 0, sizeof f);
                if (smtpstatus__find_address(t, ln.end, e, &f.recipient) != 0)
                    open = 1;
            }
        }
        at = ln.next;
    }
    return emitted;
}

size_t smtpstatus__decode_postfix(const struct smtpstatus__bounce *b,
                                  const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, at = 0, emitted = 0, intro, text = 0, block_end = 0;
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    uint32_t action = SMTPSTATUS_DSN_ACTION_FAILED;
    int open = 0;

    intro = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_POSTFIX_MAIL_SYSTEM, len);
    if (intro == len)
        intro = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_POSTFIX_PROGRAM, len);
    if (intro == len && !postfix_subject(b)) {
        if (b->subject.ptr && contains(b->subject.ptr, 0, b->subject.len, "postfix smtp") &&
            contains(b->subject.ptr, 0, b->subject.len, "errors from"))
            return decode_transcript(t, len, sink);
        return 0;
    }
    if (intro == len)
        intro = 0;
    /* The delay template's banner; the success template's sentence. */
    if (contains(t, intro, len, "this is a warning only"))
        action = SMTPSTATUS_DSN_ACTION_DELAYED;
    else if (contains(t, intro, len, "successfully delivered to the destination"))
        action = SMTPSTATUS_DSN_ACTION_DELIVERED;

    memset(&f, 0, sizeof f);
    at = intro;
    while (smtpstatus__line_at(t, len, at, &ln)) {
        struct smtpstatus__found next;
        size_t next_text;
        int head, cont;

        if (stop_line(t, &ln))
            break;
        memset(&next, 0, sizeof next);
        head = block_head(t, len, &ln, &next, &next_text);
        /* A blank line ends a recipient's text. Its lines are indented,
         * but a delivery command's output may break that ("Command
         * output:" then the program's own lines). */
        cont = !head && skip_ws(t, ln.off, ln.end) < ln.end;
        if (open && !cont) {
            read_block(t, text, block_end, &f);
            emit(sink, &f, action);
            emitted++;
            open = 0;
        }
        if (head) {
            f = next;
            text = next_text;
            open = 1;
        }
        if (open)
            block_end = ln.end;
        at = ln.next;
    }
    if (open) {
        read_block(t, text, block_end, &f);
        emit(sink, &f, action);
        emitted++;
    }
    if (emitted == 0 && contains(t, intro, len, "delivery report unavailable"))
        emitted = report_unavailable(b, sink);
    return emitted;
}
