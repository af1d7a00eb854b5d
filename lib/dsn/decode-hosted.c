/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Hosted services and mail gateways with layouts of their own, each read
 * by a small decoder below that first checks for the layout's own
 * wording, sender or header:
 *
 *   Zoho Mail, GMX and 1&1 (Exim-derived), au/KDDI and EZweb, Biglobe,
 *   McAfee, Verizon, MXLogic, Trend Micro InterScan, MailFoundry,
 *   m-FILTER, Active!Hunter, FML, SurfControl, MailMarshal, Mimecast, and the unnamed layouts
 *   X1 to X6 (sisimai's names for MTAs it could not identify).
 *
 * Everything found here is reported as SMTPSTATUS_DECODER_GENERIC.
 */

#include "decoders.h"

#define SIGN_WINDOW 131072

static size_t window(size_t len)
{
    return len < SIGN_WINDOW ? len : SIGN_WINDOW;
}

/* Where the copy of the original starts, looking only after `from`:
 * some notices open with a sentence that also serves as a separator
 * elsewhere ("The original message was received at ..."). */
static size_t original_after(const struct smtpstatus__marks *mk, const char *t, size_t len,
                             size_t from)
{
    return smtpstatus__original_starts(mk, t, from, len);
}

static int has(const char *t, size_t len, const char *lower)
{
    return smtpstatus__find_nocase(t, len, 0, lower) < len;
}

/* Whether a phrase of marks.tsv is within the window: a search of the
 * window for it, answered by the scan. */
static int text_mark(const struct smtpstatus__bounce *b, const struct smtpstatus__marks *mk,
                     enum smtpstatus__mark id)
{
    return smtpstatus__mark_in(mk, id, window(b->text.len));
}

/* The first occurrence of a phrase of marks.tsv within the window, or the
 * window's end (smtpstatus__find_nocase(t, window(len), 0, phrase)). */
static size_t window_mark(const struct smtpstatus__bounce *b, const struct smtpstatus__marks *mk,
                          enum smtpstatus__mark id)
{
    return smtpstatus__mark_find(mk, id, window(b->text.len));
}

static int from_has(const struct smtpstatus__bounce *b, const char *lower)
{
    return b->from.ptr && has(b->from.ptr, b->from.len, lower);
}

/* A field of the message's header block (read in one pass with the
 * other decoders' ones) has `lower` in its value. */
static int field_has(const struct smtpstatus__bounce *b, enum smtpstatus__late_field id,
                     const char *lower)
{
    struct smtpstatus_text v;

    return smtpstatus__late_field(b, id, &v) && has(v.ptr, v.len, lower);
}

static size_t in_line(const char *t, const struct smtpstatus__line *ln, const char *lower)
{
    return smtpstatus__find_nocase(t, ln->end, ln->off, lower);
}

/* Whether the line, after white space, starts with `lower`; *after is
 * past it. */
static int starts(const char *t, const struct smtpstatus__line *ln, const char *lower,
                  size_t *after)
{
    size_t i = smtpstatus__skip_blanks(t, ln->off, ln->end);

    if (!smtpstatus__match_nocase(t, ln->end, i, lower))
        return 0;
    if (after)
        *after = i + strlen(lower);
    return 1;
}

/* A line that is one address: optionally in <> or "", optionally
 * followed by ':'. *after is past it. */
static int address_line(const char *t, const struct smtpstatus__line *ln,
                        struct smtpstatus_text *addr, size_t *after)
{
    size_t i = smtpstatus__skip_blanks(t, ln->off, ln->end), end;

    if (i < ln->end && (t[i] == '<' || t[i] == '"'))
        i++;
    end = smtpstatus__find_address(t, ln->end, i, addr);
    if (end == 0 || addr->ptr != t + i)
        return 0;
    if (end < ln->end && (t[end] == '>' || t[end] == '"'))
        end++;
    if (end < ln->end && t[end] == ':')
        end++;
    if (after)
        *after = end;
    return smtpstatus__skip_blanks(t, end, ln->end) == ln->end;
}

/* The first address at or after `at` on the line, which must start
 * there (after white space and an optional '<'). */
static int address_at(const char *t, size_t at, size_t end, struct smtpstatus_text *addr,
                      size_t *after)
{
    size_t i = smtpstatus__skip_blanks(t, at, end), e;

    if (i < end && (t[i] == '<' || t[i] == '"'))
        i++;
    e = smtpstatus__find_address(t, end, i, addr);
    if (e == 0 || addr->ptr != t + i)
        return 0;
    if (e < end && (t[e] == '>' || t[e] == '"'))
        e++;
    if (after)
        *after = e;
    return 1;
}

/* The paragraph that starts at the first non-blank line at or after at;
 * *next is past it. */
static struct smtpstatus_text paragraph(const char *t, size_t end, size_t at, size_t *next)
{
    struct smtpstatus__line ln;
    size_t s = at, e = at;

    while (smtpstatus__line_at(t, end, at, &ln) && smtpstatus__blank_line(t, &ln))
        at = ln.next;
    s = at;
    e = at;
    while (smtpstatus__line_at(t, end, at, &ln) && !smtpstatus__blank_line(t, &ln)) {
        e = ln.end;
        at = ln.next;
    }
    if (next)
        *next = at;
    return smtpstatus__slice(t, s, e);
}

/* The paragraph after the line that contains `lower`. */
static struct smtpstatus_text paragraph_after(const char *t, size_t end, const char *lower)
{
    size_t p = smtpstatus__find_nocase(t, end, 0, lower);
    struct smtpstatus__line ln;
    struct smtpstatus_text none = { NULL, 0 };

    if (p == end)
        return none;
    smtpstatus__line_at(t, end, p, &ln);
    return paragraph(t, end, ln.next, NULL);
}

/* Where a line at the start of a line begins with `lower`, or end. */
static size_t line_starting(const char *t, size_t end, size_t from, const char *lower)
{
    struct smtpstatus__line ln;
    size_t at = from;

    while (smtpstatus__line_at(t, end, at, &ln)) {
        if (smtpstatus__match_nocase(t, ln.end, ln.off, lower))
            return ln.off;
        at = ln.next;
    }
    return end;
}

static void init(struct smtpstatus__found *f)
{
    memset(f, 0, sizeof *f);
    f->action = SMTPSTATUS_DSN_ACTION_FAILED;
    f->flags = SMTPSTATUS_DSN_FROM_TEXT;
}

static size_t emit(struct smtpstatus__sink *sink, struct smtpstatus__found *f)
{
    if (f->recipient.len == 0)
        return 0;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_GENERIC);
    return 1;
}

/* A host name: letters, digits, '-' and '.', up to the first other byte. */
static struct smtpstatus_text host_at(const char *t, size_t at, size_t end)
{
    size_t e;

    at = smtpstatus__skip_blanks(t, at, end);
    e = at;
    while (e < end && (smtpstatus__is_alnum((unsigned char)t[e]) || t[e] == '-' || t[e] == '.'))
        e++;
    return smtpstatus__slice(t, at, e);
}

/* The stage named at buf[at] ("RCPT", "MAIL FROM", "DATA"...). */
static uint32_t stage_at(const char *t, size_t end, size_t at)
{
    int s = smtpstatus__stage_at(t, end, smtpstatus__skip_blanks(t, at, end), NULL);

    return s > 0 ? (uint32_t)s : SMTPSTATUS_STAGE_UNKNOWN;
}

/* ---- Zoho Mail ----
 *
 *   bob@example.com Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <bob@example.com>...
 *     User Unknown   (on one line)
 *   [Status: Error, Address: <bob@example.com>, ResponseCode 421, , Host not reachable.]
 *     (a delay notice)
 */
static size_t zoho(const struct smtpstatus__bounce *b,
                   const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at = 0, n = 0;
    struct smtpstatus__line ln;
    uint32_t action = SMTPSTATUS_DSN_ACTION_FAILED;

    if (!(from_has(b, "zoho") || field_has(b, SMTPSTATUS__LATE_USER_AGENT, "zoho")) ||
        !(text_mark(b, mk, SMTPSTATUS__MARK_ZOHO_ERROR_CODE) ||
          text_mark(b, mk, SMTPSTATUS__MARK_ZOHO_STATUS)))
        return 0;
    /* The original's header follows the notice directly. */
    end = line_starting(t, original_after(mk, t, b->text.len, 0), 0, "received:");
    if (text_mark(b, mk, SMTPSTATUS__MARK_SENDMAIL_WARNING))
        action = SMTPSTATUS_DSN_ACTION_DELAYED;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t after, p;

        at = ln.next;
        init(&f);
        f.action = action;
        if ((p = in_line(t, &ln, "[status: ")) < ln.end) {
            size_t a = in_line(t, &ln, "address:");
            if (a == ln.end || !address_at(t, a + 8, ln.end, &f.recipient, &after))
                continue;
            p = in_line(t, &ln, "responsecode");
            f.diagnostic = smtpstatus__slice(t, p < ln.end ? p : after, ln.end);
            if (f.diagnostic.len && f.diagnostic.ptr[f.diagnostic.len - 1] == ']')
                f.diagnostic.len--;
        } else if (in_line(t, &ln, "error_code") < ln.end &&
                   address_at(t, ln.off, ln.end, &f.recipient, &after)) {
            f.diagnostic = smtpstatus__slice(t, after, ln.end);
        } else {
            continue;
        }
        n += emit(sink, &f);
    }
    return n;
}

/* ---- GMX, 1&1 (Exim underneath) ----
 *
 *   "bob@example.com":
 *   SMTP error from remote server after RCPT command:
 *   host: mx.example.com
 *   5.1.1 <bob@example.com>... User Unknown
 *
 *   bob@example.com:
 *   SMTP error from remote server for TEXT command, host: mx.example.com (192.0.2.1)
 *     reason: 550 5.2.0 ...   (on one line)
 *
 *   <bob@example.com>
 *
 *   Reason:
 *   delivery retry timeout exceeded
 */
static void gmx_block(const char *t, size_t from, size_t end, struct smtpstatus__found *f)
{
    struct smtpstatus__line ln;
    size_t at = from, p;

    f->diagnostic = smtpstatus__slice(t, from, end);
    while (smtpstatus__line_at(t, end, at, &ln)) {
        at = ln.next;
        if ((p = in_line(t, &ln, "smtp error from remote server")) < ln.end) {
            size_t cmd = in_line(t, &ln, " after ");
            if (cmd == ln.end)
                cmd = in_line(t, &ln, " for ");
            if (cmd < ln.end)
                cmd = smtpstatus__find_nocase(t, ln.end, cmd + 1, " ") + 1;
            if (cmd < ln.end) {
                /* 1&1 calls the message itself the TEXT command. */
                f->stage = smtpstatus__match_nocase(t, ln.end, cmd, "text")
                               ? SMTPSTATUS_STAGE_END_OF_DATA
                               : stage_at(t, ln.end, cmd);
            }
        }
        if ((p = in_line(t, &ln, "host:")) < ln.end) {
            size_t r = in_line(t, &ln, "reason:");
            f->remote_mta = host_at(t, p + 5, ln.end);
            f->diagnostic =
                r < ln.end ? smtpstatus__slice(t, r + 7, end) : smtpstatus__slice(t, ln.next, end);
            return;
        }
        if (starts(t, &ln, "reason:", &p)) {
            f->diagnostic = smtpstatus__slice(t, p, end);
            return;
        }
    }
}

static size_t gmx(const struct smtpstatus__bounce *b,
                  const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at, head, n = 0, body = 0;
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    int open = 0;

    if (!(from_has(b, "gmx.") || from_has(b, "kundenserver.de") || from_has(b, "1und1") ||
          from_has(b, "@web.de") ||
          text_mark(b, mk, SMTPSTATUS__MARK_GMX_HEADER_FOLLOWING)))
        return 0;
    head = smtpstatus__find_nocase(t, window(b->text.len), 0, "following address");
    if (head == window(b->text.len))
        return 0;
    end = original_after(mk, t, b->text.len, head);
    smtpstatus__line_at(t, end, head, &ln);
    at = ln.next;
    init(&f);
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus_text addr;
        if (address_line(t, &ln, &addr, NULL)) {
            if (open) {
                gmx_block(t, body, ln.off, &f);
                n += emit(sink, &f);
            }
            init(&f);
            f.recipient = addr;
            body = ln.next;
            open = 1;
        }
        at = ln.next;
    }
    if (open) {
        gmx_block(t, body, end, &f);
        n += emit(sink, &f);
    }
    return n;
}

/* ---- au one net (KDDI) ----
 *
 *   Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
 *        Could not be delivered to: <bob@example.com>
 *        As their mailbox is full.
 */
static size_t kddi(const struct smtpstatus__bounce *b,
                   const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at, n = 0;
    struct smtpstatus__line ln;

    at = window_mark(b, mk, SMTPSTATUS__MARK_KDDI_COULD_NOT);
    if (at == window(b->text.len))
        return 0;
    end = original_after(mk, t, b->text.len, at);
    at = 0;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t p = in_line(t, &ln, "could not be delivered to:"), bat, bend;
        struct smtpstatus__line bl;

        at = ln.next;
        init(&f);
        if (p == ln.end ||
            !address_at(t, p + sizeof "could not be delivered to:" - 1, ln.end, &f.recipient, NULL))
            continue;
        /* The indented reason lines that follow. */
        bat = ln.next;
        bend = bat;
        while (smtpstatus__line_at(t, end, bat, &bl) && !smtpstatus__blank_line(t, &bl) &&
               smtpstatus__is_space((unsigned char)t[bl.off]) &&
               in_line(t, &bl, "could not be delivered") == bl.end) {
            bend = bl.end;
            bat = bl.next;
        }
        f.diagnostic = smtpstatus__slice(t, ln.next, bend);
        at = bat;
        n += emit(sink, &f);
    }
    return n;
}

/* ---- au EZweb ----
 *
 *   Each of the following recipients was rejected by a remote
 *   mail server.
 *
 *       Recipient: <bob@ezweb.ne.jp>
 *       >>> RCPT TO:<bob@ezweb.ne.jp>
 *       <<< 550 <bob@ezweb.ne.jp>: User unknown
 *
 * or a sentence ("The user(s) account is disabled.") and the addresses
 * in angle brackets, possibly with the reply after a colon.
 */
static size_t ezweb(const struct smtpstatus__bounce *b,
                    const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    static const char *const sentences[] = {
        "the user(s) account is",
        "your message was not delivered within",
        "each of the following recipients was rejected by a remote",
        "the following recipients did not receive this message",
    };
    const char *t = b->text.ptr;
    size_t end, at = 0, n = 0;
    struct smtpstatus__line ln;
    struct smtpstatus_text sentence = { NULL, 0 };

    if (!(from_has(b, "ezweb.ne.jp") || from_has(b, "@au.com") ||
          (b->subject.ptr && smtpstatus__match_nocase(b->subject.ptr, b->subject.len, 0,
                                                      "mail system error - returned mail"))))
        return 0;
    end = original_after(mk, t, b->text.len, 0);
    end = line_starting(t, end, 0, "-----");
    for (size_t i = 0; i < sizeof sentences / sizeof sentences[0] && sentence.len == 0; i++) {
        size_t p = smtpstatus__find_nocase(t, end, 0, sentences[i]);
        if (p < end)
            sentence = paragraph(t, end, p, NULL);
    }
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t after;

        at = ln.next;
        init(&f);
        if (starts(t, &ln, "recipient:", &after)) {
            /* The transcript: ">>> COMMAND" then "<<< reply" lines. */
            struct smtpstatus__line tl;
            size_t tat = ln.next, first = 0, last = 0;
            if (!address_at(t, after, ln.end, &f.recipient, NULL))
                continue;
            while (smtpstatus__line_at(t, end, tat, &tl) && !smtpstatus__blank_line(t, &tl)) {
                size_t x;
                if (starts(t, &tl, ">>>", &x)) {
                    f.stage = stage_at(t, tl.end, x);
                } else if (starts(t, &tl, "<<<", &x)) {
                    if (first == 0)
                        first = x;
                    last = tl.end;
                } else if (starts(t, &tl, "recipient:", NULL)) {
                    break;
                }
                tat = tl.next;
            }
            f.diagnostic = first ? smtpstatus__slice(t, first, last) : sentence;
            at = tat;
        } else if (smtpstatus__skip_blanks(t, ln.off, ln.end) < ln.end &&
                   t[smtpstatus__skip_blanks(t, ln.off, ln.end)] == '<' &&
                   address_at(t, ln.off, ln.end, &f.recipient, &after)) {
            after = smtpstatus__skip_blanks(t, after, ln.end);
            if (after < ln.end && t[after] == ':')
                f.diagnostic = smtpstatus__slice(t, after + 1, ln.end);
            else if (after == ln.end)
                f.diagnostic = sentence;
            else
                continue;
        } else {
            continue;
        }
        n += emit(sink, &f);
    }
    return n;
}

/* ---- "The following addresses had delivery problems" (Biglobe, McAfee) ----
 *
 *      ----- The following addresses had delivery problems -----
 *   bob@example.com
 *
 *      ----- Non-delivered information -----
 *   The number of messages in recipient's mailbox exceeded the local limit.
 *
 * McAfee: "<bob@example.com>   (Unknown user bob@example.com)".
 */
static size_t delivery_problems(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, head, at, n = 0;
    struct smtpstatus__line ln;
    struct smtpstatus_text info;

    head = window_mark(b, mk, SMTPSTATUS__MARK_PROBLEMS_HEAD);
    if (head == window(b->text.len))
        return 0;
    end = original_after(mk, t, b->text.len, head);
    info = paragraph_after(t, end, "non-delivered information");
    smtpstatus__line_at(t, end, head, &ln);
    at = ln.next;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t after;

        at = ln.next;
        if (smtpstatus__blank_line(t, &ln))
            continue;
        init(&f);
        if (!address_at(t, ln.off, ln.end, &f.recipient, &after))
            break;
        after = smtpstatus__skip_blanks(t, after, ln.end);
        if (after < ln.end && t[after] == '(') {
            size_t close = ln.end;
            while (close > after && t[close - 1] != ')')
                close--;
            f.diagnostic = smtpstatus__slice(t, after + 1, close > after + 1 ? close - 1 : ln.end);
        } else {
            f.diagnostic = info;
        }
        n += emit(sink, &f);
    }
    return n;
}

/* ---- Verizon (vtext.com, vzwpix.com) ----
 *
 *   Error: Invalid user address
 *
 *   Error message below:
 *   550 - Requested action not taken: no such user here
 *
 *   Message details:
 *     RCPT TO: bob@vtext.com
 */
static size_t verizon(const struct smtpstatus__bounce *b,
                      const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, p;
    struct smtpstatus__found f;

    if (!(from_has(b, "vtext.com") || from_has(b, "vzwpix.com") ||
          (text_mark(b, mk, SMTPSTATUS__MARK_VERIZON_BELOW) &&
           text_mark(b, mk, SMTPSTATUS__MARK_VERIZON_DETAILS))))
        return 0;
    init(&f);
    p = smtpstatus__find_nocase(t, len, 0, "rcpt to:");
    if (p < len)
        address_at(t, p + 8, len, &f.recipient, NULL);
    if (f.recipient.len == 0) {
        /* vzwpix: the original follows "Original Message:". */
        size_t o = smtpstatus__find_nocase(t, len, 0, "original message:"), to;
        struct smtpstatus__line ln;
        if (o == len)
            return 0;
        to = line_starting(t, len, o, "to:");
        if (to == len || !smtpstatus__line_at(t, len, to, &ln) ||
            !smtpstatus__find_address(t, ln.end, to + 3, &f.recipient))
            return 0;
    }
    f.diagnostic = paragraph_after(t, len, "error message below:");
    if (f.diagnostic.len == 0) {
        p = smtpstatus__find_nocase(t, window(len), 0, "error:");
        if (p < window(len)) {
            struct smtpstatus__line ln;
            smtpstatus__line_at(t, len, p, &ln);
            f.diagnostic = smtpstatus__slice(t, p + 6, ln.end);
        }
    }
    return emit(sink, &f);
}

/* ---- MXLogic (McAfee SaaS), Exim-like ----
 *
 *   A message that you have sent could not be delivered to one or more
 *   recipients.  This is a permanent error.  The following address failed:
 *
 *     <bob@example.com>: 550 unknown user
 */
static size_t mxlogic(const struct smtpstatus__bounce *b,
                      const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at = 0, n = 0;
    struct smtpstatus__line ln;
    (void)mk; /* read from the header block */

    if (!(from_has(b, "mxlogic") || field_has(b, SMTPSTATUS__LATE_MESSAGE_ID, "mxl~")))
        return 0;
    end = smtpstatus__find_nocase(t, b->text.len, 0, "included is a copy of the message header");
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t after;

        at = ln.next;
        init(&f);
        if (!address_at(t, ln.off, ln.end, &f.recipient, &after) || after >= ln.end ||
            t[after] != ':')
            continue;
        f.diagnostic = smtpstatus__slice(t, after + 1, ln.end);
        n += emit(sink, &f);
    }
    return n;
}

/* ---- Trend Micro InterScan MSS ----
 *
 *   Sent <<< RCPT TO:<bob@example.com>
 *   Received >>> 550 5.1.1 <bob@example.com>... user unknown
 */
static size_t interscan(const struct smtpstatus__bounce *b,
                        const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at = 0, n = 0;
    struct smtpstatus__line ln;
    struct smtpstatus_text rcpt = { NULL, 0 };
    uint32_t stage = SMTPSTATUS_STAGE_UNKNOWN;

    if (!(from_has(b, "interscan") || (text_mark(b, mk, SMTPSTATUS__MARK_INTERSCAN_SENT) &&
                                       text_mark(b, mk, SMTPSTATUS__MARK_INTERSCAN_RECEIVED))))
        return 0;
    end = original_after(mk, t, b->text.len, 0);
    while (smtpstatus__line_at(t, end, at, &ln)) {
        size_t x;

        at = ln.next;
        if (starts(t, &ln, "sent <<<", &x)) {
            stage = stage_at(t, ln.end, x);
            if (stage == SMTPSTATUS_STAGE_RCPT) {
                size_t p = in_line(t, &ln, "to:");
                if (p == ln.end || !smtpstatus__find_address(t, ln.end, p + 3, &rcpt))
                    rcpt.len = 0;
            }
        } else if (starts(t, &ln, "received >>>", &x)) {
            struct smtpstatus__found f;
            size_t c = smtpstatus__skip_blanks(t, x, ln.end);
            if (c >= ln.end || (t[c] != '4' && t[c] != '5') || rcpt.len == 0)
                continue;
            init(&f);
            f.recipient = rcpt;
            f.stage = stage;
            f.diagnostic = smtpstatus__slice(t, c, ln.end);
            n += emit(sink, &f);
            if (stage == SMTPSTATUS_STAGE_RCPT)
                rcpt.len = 0;
        }
    }
    return n;
}

/* ---- MailFoundry ----
 *
 *   Unable to deliver message to: <bob@example.com>
 *   Delivery failed for the following reason:
 *   Server mx.example.com[192.0.2.1] failed with: 550 <bob@example.com> No such user here
 */
static size_t mailfoundry(const struct smtpstatus__bounce *b,
                          const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at = 0, n = 0;
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    int open = 0;

    if (!text_mark(b, mk, SMTPSTATUS__MARK_MAILFOUNDRY_UNABLE) ||
        !text_mark(b, mk, SMTPSTATUS__MARK_MAILFOUNDRY_REASON))
        return 0;
    end = original_after(mk, t, b->text.len, 0);
    init(&f);
    while (smtpstatus__line_at(t, end, at, &ln)) {
        size_t x, p;

        at = ln.next;
        if (starts(t, &ln, "unable to deliver message to:", &x)) {
            if (open)
                n += emit(sink, &f);
            init(&f);
            open = address_at(t, x, ln.end, &f.recipient, NULL);
        } else if (open && f.diagnostic.len == 0 && !smtpstatus__blank_line(t, &ln) &&
                   !starts(t, &ln, "delivery failed for the following reason", NULL)) {
            static const char *const leads[] = { "failed with:", "responded with failure:",
                                                 "said:" };
            f.diagnostic = smtpstatus__slice(t, ln.off, ln.end);
            for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++) {
                if ((p = in_line(t, &ln, leads[i])) < ln.end) {
                    size_t h = smtpstatus__skip_blanks(t, ln.off, p), br;
                    if (smtpstatus__match_nocase(t, p, h, "server "))
                        h += 7;
                    br = smtpstatus__find_nocase(t, p, h, "[");
                    f.remote_mta = host_at(t, h, br);
                    f.diagnostic = smtpstatus__slice(t, p + strlen(leads[i]), ln.end);
                    break;
                }
            }
        }
    }
    if (open)
        n += emit(sink, &f);
    return n;
}

/* ---- m-FILTER (Digital Arts) ----
 *
 *   bob@example.com
 *
 *   -------server message
 *   550 5.1.1 <bob@example.com>: Recipient address rejected: ...
 *
 *   -------SMTP command
 *   DATA
 */
static size_t mfilter(const struct smtpstatus__bounce *b,
                      const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, server, at = 0, n = 0;
    struct smtpstatus__line ln;
    struct smtpstatus_text reply, command;
    uint32_t stage = SMTPSTATUS_STAGE_UNKNOWN;

    server = window_mark(b, mk, SMTPSTATUS__MARK_MFILTER_SERVER);
    if (server == window(len))
        return 0;
    reply = paragraph_after(t, len, "-------server message");
    command = paragraph_after(t, len, "-------smtp command");
    if (command.len)
        stage = stage_at(command.ptr, command.len, 0);
    while (smtpstatus__line_at(t, server, at, &ln)) {
        struct smtpstatus__found f;
        at = ln.next;
        init(&f);
        if (!address_line(t, &ln, &f.recipient, NULL))
            continue;
        f.diagnostic = reply;
        f.stage = stage;
        n += emit(sink, &f);
    }
    return n;
}

/* ---- Active!Hunter (Sendmail-like) ----
 *
 *     ----- The following addresses had permanent fatal errors -----
 *   >>> bob@example.com <bob@example.com>
 *
 *     ----- Transcript of session follows -----
 *   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
 */
static size_t activehunter(const struct smtpstatus__bounce *b,
                           const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, head, at, n = 0;
    struct smtpstatus__line ln;
    struct smtpstatus_text transcript;

    if (!field_has(b, SMTPSTATUS__LATE_CONTENT_TYPE, "active!hunter") &&
        !text_mark(b, mk, SMTPSTATUS__MARK_ACTIVEHUNTER))
        return 0;
    head = smtpstatus__find_nocase(t, window(b->text.len), 0,
                                   "the following addresses had permanent fatal errors");
    if (head == window(b->text.len))
        return 0;
    end = original_after(mk, t, b->text.len, head);
    transcript = paragraph_after(t, end, "transcript of session follows");
    smtpstatus__line_at(t, end, head, &ln);
    at = ln.next;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t x;

        at = ln.next;
        if (smtpstatus__blank_line(t, &ln))
            continue;
        if (!starts(t, &ln, ">>>", &x))
            break;
        init(&f);
        if (!address_at(t, x, ln.end, &f.recipient, NULL))
            continue;
        f.diagnostic = transcript;
        n += emit(sink, &f);
    }
    return n;
}

/* ---- FML (mailing list manager) ----
 *
 * Message-Id "<201704292334.FMLAAB00002.list@example.jp>"; the notice
 * names the address it refers to ("Duplicated Message-ID in
 * <list@example.jp>.", "NOT MEMBER article from bob@example.com") before
 * "Original mail as follows:".
 */
static size_t fml(const struct smtpstatus__bounce *b,
                  const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at = 0;
    struct smtpstatus__line ln;
    (void)mk; /* read from the header block */

    if (!field_has(b, SMTPSTATUS__LATE_MESSAGE_ID, ".fml"))
        return 0;
    end = smtpstatus__find_nocase(t, b->text.len, 0, "original mail as follows");
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        at = ln.next;
        init(&f);
        if (!smtpstatus__find_address(t, ln.end, ln.off, &f.recipient))
            continue;
        f.diagnostic = smtpstatus__slice(t, ln.off, ln.end);
        return emit(sink, &f);
    }
    return 0;
}

/* ---- SurfControl ----
 *
 *   Your message could not be sent.
 *   A transcript of the attempts to send the message follows.
 *   Addressed To: bob@example.com
 *   ...
 *   Failed to send to identified host,
 *   bob@example.com: [192.0.2.1], 550 bob@example.com... No such user
 */
static size_t surfcontrol(const struct smtpstatus__bounce *b,
                          const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at = 0, n = 0;
    struct smtpstatus__line ln;

    if (!text_mark(b, mk, SMTPSTATUS__MARK_SURFCONTROL_TRANSCRIPT))
        return 0;
    end = original_after(mk, t, b->text.len, 0);
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t after, br;

        at = ln.next;
        init(&f);
        if (!address_at(t, ln.off, ln.end, &f.recipient, &after) || after >= ln.end ||
            t[after] != ':')
            continue;
        br = in_line(t, &ln, "], ");
        f.diagnostic = smtpstatus__slice(t, br < ln.end ? br + 3 : after + 1, ln.end);
        n += emit(sink, &f);
    }
    if (n == 0) {
        /* No attempt line: "Addressed To:" names them. */
        at = 0;
        while (smtpstatus__line_at(t, end, at, &ln)) {
            struct smtpstatus__found f;
            size_t x;
            at = ln.next;
            init(&f);
            if (starts(t, &ln, "addressed to:", &x) &&
                address_at(t, x, ln.end, &f.recipient, NULL)) {
                f.diagnostic = paragraph_after(t, end, "failed to send");
                n += emit(sink, &f);
            }
        }
    }
    return n;
}

/* ---- MailMarshal (Trustwave SEG) ----
 *
 *   Could not be delivered because of
 *
 *   550 5.1.1 User unknown
 *
 *   The following recipients were affected:
 *       bob@example.com
 *
 *   Additional Information
 *   ======================
 *   Remote-MTA:         <192.0.2.1>
 */
static size_t mailmarshal(const struct smtpstatus__bounce *b,
                          const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len, head, at, n = 0, p;
    struct smtpstatus__line ln;
    struct smtpstatus_text reason, remote = { NULL, 0 };

    head = window_mark(b, mk, SMTPSTATUS__MARK_MAILMARSHAL_AFFECTED);
    if (head == window(len) || !has(t, head, "could not be delivered because of"))
        return 0;
    reason = paragraph_after(t, head, "could not be delivered because of");
    p = smtpstatus__find_nocase(t, window(len), head, "remote-mta:");
    if (p < window(len)) {
        smtpstatus__line_at(t, len, p, &ln);
        p = smtpstatus__skip_blanks(t, p + sizeof "remote-mta:" - 1, ln.end);
        if (p < ln.end && t[p] == '<')
            p++;
        remote = host_at(t, p, ln.end);
    }
    smtpstatus__line_at(t, len, head, &ln);
    at = ln.next;
    while (smtpstatus__line_at(t, len, at, &ln)) {
        struct smtpstatus__found f;
        at = ln.next;
        if (smtpstatus__blank_line(t, &ln))
            break;
        init(&f);
        if (!address_line(t, &ln, &f.recipient, NULL))
            continue;
        f.diagnostic = reason;
        f.remote_mta = remote;
        n += emit(sink, &f);
    }
    return n;
}

/* ---- Mimecast ----
 *
 *   An email that you attempted to send to the following address could not be delivered:
 *   -- bob@example.com
 *
 *   The problem appears to be :
 *   -- Recipient email address is possibly incorrect
 *
 *   Additional information follows :
 *   -- 5.4.1 Recipient address rejected: Access denied. [...]
 *
 * One notice per recipient. The "additional information" is the server's
 * reply; without it, Mimecast's own summary of the problem.
 */

/* The "-- " paragraph that follows the line holding `lower`, before end. */
static struct smtpstatus_text dashed_after(const char *t, size_t end, const char *lower)
{
    struct smtpstatus_text none = { NULL, 0 }, para;
    size_t p = smtpstatus__find_nocase(t, end, 0, lower);
    struct smtpstatus__line ln;

    if (p == end)
        return none;
    smtpstatus__line_at(t, end, p, &ln);
    para = paragraph(t, end, ln.next, NULL);
    if (para.len < 3 || memcmp(para.ptr, "-- ", 3) != 0)
        return none;
    para.ptr += 3;
    para.len -= 3;
    return para;
}

static size_t mimecast(const struct smtpstatus__bounce *b,
                       const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end = window(b->text.len), problem;
    struct smtpstatus__found f;
    struct smtpstatus__line ln;
    size_t at = 0;

    problem = window_mark(b, mk, SMTPSTATUS__MARK_MIMECAST_PROBLEM);
    if (problem == end ||
        (!has(t, problem, "could not be delivered") && !has(t, problem, "delivery failure")))
        return 0;
    init(&f);
    /* The address is on the first "-- " line before the problem. */
    while (smtpstatus__line_at(t, problem, at, &ln) && f.recipient.len == 0) {
        at = ln.next;
        if (ln.end - ln.off > 3 && memcmp(t + ln.off, "-- ", 3) == 0)
            address_at(t, ln.off + 3, ln.end, &f.recipient, NULL);
    }
    f.diagnostic = dashed_after(t, end, "additional information follows :");
    if (f.diagnostic.len == 0)
        f.diagnostic = dashed_after(t, end, "the problem appears to be :");
    return emit(sink, &f);
}

/* ---- X1 ----
 *
 *   ---The following addresses had delivery errors---
 *
 *   bob@example.com [User unknown]
 */
static size_t x1(const struct smtpstatus__bounce *b,
                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, head, at, n = 0;
    struct smtpstatus__line ln;

    head = window_mark(b, mk, SMTPSTATUS__MARK_X1_ERRORS);
    if (head == window(b->text.len))
        return 0;
    end = original_after(mk, t, b->text.len, head);
    smtpstatus__line_at(t, end, head, &ln);
    at = ln.next;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t after;

        at = ln.next;
        if (smtpstatus__blank_line(t, &ln))
            continue;
        init(&f);
        if (!address_at(t, ln.off, ln.end, &f.recipient, &after))
            break;
        after = smtpstatus__skip_blanks(t, after, ln.end);
        if (after < ln.end && t[after] == '[') {
            size_t close = ln.end;
            while (close > after && t[close - 1] != ']')
                close--;
            f.diagnostic = smtpstatus__slice(t, after + 1, close > after + 1 ? close - 1 : ln.end);
        } else {
            f.diagnostic = smtpstatus__slice(t, after, ln.end);
        }
        n += emit(sink, &f);
    }
    return n;
}

/* Blocks of "<bob@example.com>:" followed by the error, up to the next
 * such line (the qmail-like layouts X2 and X4). */
static size_t colon_blocks(const char *t, size_t from, size_t end, struct smtpstatus__sink *sink)
{
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    size_t at = from, body = 0, n = 0;
    int open = 0;

    init(&f);
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus_text addr;
        size_t i = smtpstatus__skip_blanks(t, ln.off, ln.end), after;
        if (i < ln.end && t[i] == '<' && address_line(t, &ln, &addr, &after) &&
            t[after - 1] == ':') {
            if (open) {
                f.diagnostic = smtpstatus__slice(t, body, ln.off);
                n += emit(sink, &f);
            }
            init(&f);
            f.recipient = addr;
            body = ln.next;
            open = 1;
        }
        at = ln.next;
    }
    if (open) {
        f.diagnostic = smtpstatus__slice(t, body, end);
        n += emit(sink, &f);
    }
    return n;
}

/* ---- X2 ----
 *
 *   Unable to deliver message to the following address(es).
 *
 *   <bob@example.com>:
 *   This user doesn't have a example.com account (bob@example.com) [-9]
 *
 *   --- Original message follows.
 *
 * and a later form:
 *
 *   Your delivery to the following address has been failed.
 *   Delivery failed: bob@example.com
 *   192.0.2.1 failed after I sent the message.
 *   Remote host said[Response Message]: 554 5.4.14 Hop count exceeded ...
 *   STEP: DATA SEND
 */
static size_t x2(const struct smtpstatus__bounce *b,
                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, head, at = 0, n = 0;
    struct smtpstatus__line ln;

    head = window_mark(b, mk, SMTPSTATUS__MARK_X2_UNABLE);
    if (head < window(b->text.len))
        return colon_blocks(t, head, original_after(mk, t, b->text.len, head), sink);
    if (!text_mark(b, mk, SMTPSTATUS__MARK_X2_FAILED))
        return 0;
    end = original_after(mk, t, b->text.len, 0);
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        struct smtpstatus__line bl;
        size_t x, bat;

        at = ln.next;
        init(&f);
        if (!starts(t, &ln, "delivery failed:", &x) ||
            !address_at(t, x, ln.end, &f.recipient, NULL))
            continue;
        bat = ln.next;
        while (smtpstatus__line_at(t, end, bat, &bl) && !smtpstatus__blank_line(t, &bl) &&
               !starts(t, &bl, "delivery failed:", NULL)) {
            size_t p = in_line(t, &bl, "said");
            if (p < bl.end) {
                size_t c = smtpstatus__find_nocase(t, bl.end, p, ":");
                f.diagnostic = smtpstatus__slice(t, c < bl.end ? c + 1 : p + 4, bl.end);
            } else if (starts(t, &bl, "step:", &x)) {
                f.stage = stage_at(t, bl.end, x);
            }
            bat = bl.next;
        }
        at = bat;
        n += emit(sink, &f);
    }
    return n;
}

/* ---- X3 ----
 *
 *   This is an automatically generated Delivery Status Notification.
 *
 *   Delivery to the following recipients failed permanently:
 *
 *     * bob@example.com
 *
 *   ==========================================================
 *                         Technical details:
 *
 *   Routing: Could not find a gateway for bob@example.com
 */
static size_t x3(const struct smtpstatus__bounce *b,
                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, at = 0, n = 0, tech;
    struct smtpstatus__line ln;
    struct smtpstatus_text details = { NULL, 0 }, head = { NULL, 0 };

    if (!text_mark(b, mk, SMTPSTATUS__MARK_X3_AUTOMATIC))
        return 0;
    end = original_after(mk, t, b->text.len, 0);
    tech = smtpstatus__find_nocase(t, end, 0, "technical details:");
    if (tech < end) {
        smtpstatus__line_at(t, end, tech, &ln);
        details = smtpstatus__slice(t, ln.next, line_starting(t, end, ln.next, "===="));
    }
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t x;

        at = ln.next;
        if (in_line(t, &ln, "to the following recipients") < ln.end)
            head = smtpstatus__slice(t, ln.off, ln.end);
        init(&f);
        if (!starts(t, &ln, "* ", &x) || !address_at(t, x, ln.end, &f.recipient, NULL))
            continue;
        f.diagnostic = details.len ? details : head;
        n += emit(sink, &f);
    }
    return n;
}

/* ---- X4 (qmail-based) ----
 *
 *   Your mail message to the following address(es) could not be
 *   delivered. This is a permanent error. ...
 *
 *   <bob@example.com>:
 *   child status 100...The e-mail message could not be delivered because the user's
 *     mailfolder is full.   (on one line)
 */
static size_t x4(const struct smtpstatus__bounce *b,
                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t head;

    head = window_mark(b, mk, SMTPSTATUS__MARK_X4_YOUR_MAIL);
    if (head == window(b->text.len))
        return 0;
    return colon_blocks(t, head, original_after(mk, t, b->text.len, head), sink);
}

/* ---- X6 ----
 *
 *   We had trouble delivering your message. Full details follow:
 *   ...
 *   1 error(s):
 *
 *   SMTP Server <mx.example.com> rejected recipient <bob@example.com> (Error following RCPT
 *     command). It responded as follows: [550 5.1.1 User unknown
 *   The following recipients returned permanent errors: bob@example.com. Reason: SMTP Server
 *     <192.0.2.1> refused to accept your message (DATA), with the following error ...
 *
 * (each on one line)
 */
static size_t x6(const struct smtpstatus__bounce *b,
                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end = b->text.len, at = 0, n = 0;
    struct smtpstatus__line ln;

    if (!text_mark(b, mk, SMTPSTATUS__MARK_X6_TROUBLE))
        return 0;
    end = smtpstatus__find_nocase(t, end, 0, "the attachment contains the original");
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus__found f;
        size_t p, q;

        at = ln.next;
        init(&f);
        if ((p = in_line(t, &ln, "rejected recipient ")) < ln.end) {
            if (!address_at(t, p + sizeof "rejected recipient " - 1, ln.end, &f.recipient, NULL))
                continue;
            if ((q = in_line(t, &ln, "smtp server <")) < p)
                f.remote_mta = host_at(t, q + sizeof "smtp server <" - 1, p);
            if ((q = in_line(t, &ln, "following ")) < ln.end)
                f.stage = stage_at(t, ln.end, q + sizeof "following " - 1);
            q = in_line(t, &ln, "as follows:");
            f.diagnostic =
                smtpstatus__slice(t, q < ln.end ? q + sizeof "as follows:" - 1 : p, ln.end);
            if (f.diagnostic.len && f.diagnostic.ptr[0] == '[') {
                f.diagnostic.ptr++;
                f.diagnostic.len--;
            }
            n += emit(sink, &f);
        } else if ((p = in_line(t, &ln, "returned permanent errors:")) < ln.end ||
                   (p = in_line(t, &ln, "returned temporary errors:")) < ln.end) {
            /* "a@x, b@y. Reason: ..." */
            size_t r = in_line(t, &ln, ". reason:"), a = p;
            struct smtpstatus_text diag =
                smtpstatus__slice(t, r < ln.end ? r + sizeof ". reason:" - 1 : p, ln.end);
            size_t paren = smtpstatus__find_nocase(diag.ptr, diag.len, 0, "(");
            struct smtpstatus_text addr;
            if (paren + 1 < diag.len)
                f.stage = stage_at(diag.ptr, diag.len, paren + 1);
            if ((q = smtpstatus__find_nocase(diag.ptr, diag.len, 0, "smtp server <")) < diag.len)
                f.remote_mta = host_at(diag.ptr, q + sizeof "smtp server <" - 1, diag.len);
            while ((a = smtpstatus__find_address(t, r, a, &addr)) != 0) {
                f.recipient = addr;
                f.diagnostic = diag;
                n += emit(sink, &f);
            }
        }
    }
    return n;
}

size_t smtpstatus__decode_hosted(const struct smtpstatus__bounce *b,
                                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink)
{
    static size_t (*const layouts[])(const struct smtpstatus__bounce *,
                                     const struct smtpstatus__marks *,
                                     struct smtpstatus__sink *) = {
        zoho,         gmx,     kddi,        ezweb,       delivery_problems,
        verizon,      mxlogic, interscan,   mailfoundry, mfilter,
        activehunter, fml,     surfcontrol, mailmarshal, mimecast, x1,
        x2,           x3,      x4,          x6,
    };

    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        size_t n = layouts[i](b, mk, sink);
        if (n > 0)
            return n;
    }
    return 0;
}
