/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Sendmail's returned mail, read from its text: sendmail 8 (savemail.c)
 * when the message/delivery-status part is missing, and the older V5
 * sendmail and its descendants, which never had one.
 *
 * Sendmail 8 lists the failed recipients, then the transcript of the
 * sessions that failed:
 *
 *      ----- The following addresses had permanent fatal errors -----
 *   <bob@example.com>
 *       (reason: 550 5.1.1 <bob@example.com>... User unknown)
 *       (expanded from: <info@example.org>)
 *
 *      ----- Transcript of session follows -----
 *   ... while talking to mx.example.com.:
 *   >>> RCPT To:<bob@example.com>
 *   <<< 550 5.1.1 <bob@example.com>... User unknown
 *   550 5.1.1 <bob@example.com>... User unknown
 *
 * ">>>" is what sendmail sent, "<<<" the remote reply, and a line with a
 * code of its own is sendmail's verdict: on a recipient ("550 5.1.1
 * <addr>... text", whose code is the DSN Status), on a host ("421
 * example.com (smtp)... Deferred: ..."), or on the session ("554 5.0.0
 * Service unavailable"). V5 sendmail writes only the transcript; its
 * recipients are those of the verdict lines, and a reply refusing MAIL or
 * DATA stands for every recipient of that session, until the transcript
 * turns to another host. "transient non-fatal errors" and the "THIS IS A
 * WARNING MESSAGE ONLY" banner mark a delay warning.
 *
 * A bounce forwarded inline keeps its layout behind "> " quotes; the
 * quoting is taken off when the section markers carry it.
 */

#include "decoders.h"
#include "lines.h"

/* Recipients of the list remembered with what the transcript says of
 * them; beyond this many, the rest are reported with their list entry
 * alone (each transcript line is compared with this many at most, which
 * keeps the work linear). */
#define LISTED_MAX 64

struct listed {
    struct smtpstatus_text addr, orig, reason;
    struct smtpstatus_text remote, host, own;
    uint32_t stage, action;
    int has_status;
    struct smtpstatus_enhanced status;
};

/* The state of the transcript walk. */
struct session {
    struct smtpstatus_text host;    /* "... while talking to X:" */
    uint32_t stage;                 /* of the last ">>>" command */
    struct smtpstatus_text rcpt;    /* its address, for RCPT */
    struct smtpstatus_text pending; /* a reply refusing the session's message */
    uint32_t pending_stage;
    struct smtpstatus_text pending_host;
    struct smtpstatus_text rcpt_reply; /* the last reply refusing a RCPT */
    struct smtpstatus_text rcpt_reply_to;
    struct smtpstatus_text *growing; /* the reply a "<<< 550-" line continues */
    int continues;
};

static int contains(const char *t, size_t off, size_t end, const char *lower)
{
    return smtpstatus__find_nocase(t, end, off, lower) < end;
}

static size_t skip_blank(const char *t, size_t i, size_t end)
{
    while (i < end && (t[i] == ' ' || t[i] == '\t'))
        i++;
    return i;
}

/* Where a line's own text starts: after one level of "> " quoting when
 * the report is quoted. */
static size_t content(const char *t, const struct smtpstatus__line *ln, int quoted)
{
    size_t i = ln->off;

    if (quoted && i < ln->end && t[i] == '>') {
        i++;
        if (i < ln->end && t[i] == ' ')
            i++;
    }
    return i;
}

/* The code of an SMTP reply at t[i] followed by a space or a hyphen, or 0. */
static unsigned code_at(const char *t, size_t i, size_t end, int *more)
{
    if (i + 3 > end || !smtpstatus__is_digit((unsigned char)t[i]) ||
        !smtpstatus__is_digit((unsigned char)t[i + 1]) ||
        !smtpstatus__is_digit((unsigned char)t[i + 2]))
        return 0;
    if (i + 3 < end && t[i + 3] != ' ' && t[i + 3] != '-')
        return 0;
    if (t[i] < '2' || t[i] > '5')
        return 0;
    if (more)
        *more = i + 3 < end && t[i + 3] == '-';
    return (unsigned)(t[i] - '0') * 100 + (unsigned)(t[i + 1] - '0') * 10 +
           (unsigned)(t[i + 2] - '0');
}

/* Section markers, which "-----" frames. */
enum marker {
    M_NONE,
    M_LIST_FAILED,
    M_LIST_DELAYED,
    M_LIST_DELIVERED,
    M_TRANSCRIPT,
    M_END,
    M_OTHER
};

static enum marker marker_of(const char *t, size_t c, size_t end)
{
    static const char *const ends[] = {
        "message follows", "original message", "unsent message",
        "message header",  "returned message", "headers follow",
    };

    size_t h;

    /* Every line of a text comes here, and most hold no hyphen at all:
     * a search for one byte (lines.h) rules them out, and the search for
     * the five starts at the first, where a marker's are. */
    if (c >= end || (h = smtpstatus__find_either(t, c, end, '-', '-')) == end)
        return M_NONE;
    if (!(end - h >= 5 && memcmp(t + h, "-----", 5) == 0) && !contains(t, h + 1, end, "-----"))
        return M_NONE;
    /* savemail.c's three lists; other "following addresses had ..."
     * sections are resellers' own layouts. */
    if (contains(t, c, end, "following address")) {
        if (contains(t, c, end, "permanent fatal error"))
            return M_LIST_FAILED;
        if (contains(t, c, end, "transient non-fatal error"))
            return M_LIST_DELAYED;
        if (contains(t, c, end, "successful delivery notification"))
            return M_LIST_DELIVERED;
    }
    if (contains(t, c, end, "transcript of session follows"))
        return M_TRANSCRIPT;
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        if (contains(t, c, end, ends[i]))
            return M_END;
    /* Another "----- Title -----" section (a reseller's "Non-delivered
     * information"): its text explains the failure. */
    c = skip_blank(t, c, end);
    while (end > c && (t[end - 1] == ' ' || t[end - 1] == '\t'))
        end--;
    if (end - c > 10 && smtpstatus__match_nocase(t, end, c, "-----") &&
        memcmp(t + end - 5, "-----", 5) == 0)
        return M_OTHER;
    return M_NONE;
}

/* The end of a report that is not framed: a MIME boundary or the
 * delivery-status fields of a flattened multipart. */
static int unframed_end(const char *t, size_t c, size_t end)
{
    if (c + 2 < end && t[c] == '-' && t[c + 1] == '-' && t[c + 2] != '-' && t[c + 2] != ' ')
        return 1;
    return smtpstatus__match_nocase(t, end, c, "reporting-mta:") ||
           smtpstatus__match_nocase(t, end, c, "final-recipient:") ||
           smtpstatus__match_nocase(t, end, c, "content-type:");
}

/* Whether a line holds words besides its addresses (and the brackets
 * and arrows around them). */
static int has_words(const char *t, size_t c, size_t end)
{
    struct smtpstatus_text a;
    size_t i = c;

    while (i < end) {
        size_t next = smtpstatus__find_address(t, end, i, &a);
        size_t stop = next != 0 ? (size_t)(a.ptr - t) : end;
        for (; i < stop; i++)
            if (smtpstatus__is_alnum((unsigned char)t[i]))
                return 1;
        if (next == 0)
            break;
        i = next;
    }
    return 0;
}

/* A list entry's line: the address (with or without angle brackets). */
static void list_line(const char *t, size_t c, size_t end, struct listed *e, uint32_t action)
{
    memset(e, 0, sizeof *e);
    e->action = action;
    smtpstatus__find_address(t, end, c, &e->addr);
    /* More than the address on the line (a reseller's "[Status: Error,
     * Address: <...>, ResponseCode 421, ...]" form): the line is the
     * reason. */
    if (e->addr.len > 0 && has_words(t, c, end))
        e->reason = smtpstatus__slice(t, c, end);
}

/* "(reason: ...)", "(expanded from: <...>)" under a list entry. */
static void list_detail(const char *t, size_t c, size_t end, struct listed *e)
{
    size_t i = skip_blank(t, c, end);

    if (smtpstatus__match_nocase(t, end, i, "(reason:")) {
        size_t e2 = end;
        while (e2 > i && (t[e2 - 1] == ' ' || t[e2 - 1] == '\t'))
            e2--;
        if (e2 > i && t[e2 - 1] == ')')
            e2--;
        e->reason = smtpstatus__slice(t, i + sizeof "(reason:" - 1, e2);
    } else if (smtpstatus__match_nocase(t, end, i, "(expanded from:")) {
        struct smtpstatus_text a;
        if (smtpstatus__find_address(t, end, i, &a) != 0) {
            e->orig = a;
            if (e->addr.len == 0)
                e->addr = a; /* a pipe or a file: the address it came from */
        }
    }
}

/* The host of "... while talking to mx.example.com.:" */
static int talking_to(const char *t, size_t c, size_t end, struct smtpstatus_text *host)
{
    size_t i = skip_blank(t, c, end), s, e;

    if (smtpstatus__match_nocase(t, end, i, "..."))
        i = skip_blank(t, i + 3, end);
    if (!smtpstatus__match_nocase(t, end, i, "while talking to "))
        return 0;
    s = i + sizeof "while talking to " - 1;
    e = s;
    while (e < end && t[e] != ' ' && t[e] != '\t')
        e++;
    while (e > s && (t[e - 1] == ':' || t[e - 1] == '.'))
        e--;
    host->ptr = t + s;
    host->len = e - s;
    return 1;
}

/*
 * One of sendmail's own lines: "550 5.1.1 <addr>... text" or, for a
 * deferral, "<addr>... Deferred: text" (kind 'R', *addr set); "421 host
 * (mailer)... text" (kind 'H', *addr the host); any other coded line
 * (kind 'L'). *text is after "... ", *status the enhanced code if any.
 * Returns 0 for a line that is none of these.
 */
static int own_line(const char *t, size_t c, size_t end, struct smtpstatus_text *addr, size_t *text,
                    int *has_status, struct smtpstatus_enhanced *status)
{
    size_t i = c, e, dots;
    int coded = 0;

    *has_status = 0;
    if (code_at(t, c, end, NULL) != 0 && c + 3 < end && t[c + 3] == ' ') {
        coded = 1;
        i = c + 4;
        if (smtpstatus__parse_enhanced_at(t, end, i, status, &e) == SMTPSTATUS_OK && e < end &&
            t[e] == ' ') {
            *has_status = 1;
            i = e + 1;
        }
    }
    dots = smtpstatus__find_nocase(t, end, i, "... ");
    if (dots == end && end >= 3 && end - 3 >= i && memcmp(t + end - 3, "...", 3) == 0)
        dots = end - 3;
    *text = dots == end ? i : skip_blank(t, dots + 3, end);
    if (dots < end && dots > i) {
        size_t s = i + (t[i] == '<');
        e = smtpstatus__find_address(t, dots, s, addr);
        if (e != 0 && addr->ptr == t + s)
            return 'R';
        /* "host (mailer)..." */
        e = i;
        while (e < dots && t[e] != ' ')
            e++;
        if (coded && e + 1 < dots && t[e + 1] == '(' && t[dots - 1] == ')') {
            addr->ptr = t + i;
            addr->len = e - i;
            return 'H';
        }
    }
    return coded ? 'L' : 0;
}

/* Whether a reply carries an enhanced code after its reply code. */
static int has_enhanced(const struct smtpstatus_text *reply)
{
    struct smtpstatus_enhanced code;
    size_t end;

    if (reply->len < 5 || code_at(reply->ptr, 0, reply->len, NULL) == 0)
        return 0;
    return smtpstatus__parse_enhanced_at(reply->ptr, reply->len, 4, &code, &end) == SMTPSTATUS_OK &&
           smtpstatus__enhanced_boundary_after(reply->ptr, reply->len, end);
}

/* Whether a text starts with a failure reply code. */
static int is_failure_reply(const struct smtpstatus_text *x)
{
    return x->len >= 3 && code_at(x->ptr, 0, x->len, NULL) >= 400;
}

/* A "(#5.1.1" code that some servers (qmail's chkusr) put in the text. */
static int hash_code(const char *t, size_t s, size_t e, struct smtpstatus_enhanced *code)
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

static struct listed *find_listed(struct listed *list, size_t n, const struct smtpstatus_text *addr)
{
    for (size_t i = 0; i < n; i++)
        if (smtpstatus__same_address(&list[i].addr, addr))
            return &list[i];
    return NULL;
}

/* What the transcript says beyond its recipients' own lines: the
 * fallbacks for recipients it does not name. */
struct findings {
    struct smtpstatus_text pending, pending_host; /* the last session refusal */
    uint32_t pending_stage;
    size_t npending;
    struct smtpstatus_text lone; /* the first verdict line on no one ("554 5.0.0 ...") */
    int has_lone_status;
    struct smtpstatus_enhanced lone_status;
    struct smtpstatus_text host_line; /* the first verdict on a host */
    struct smtpstatus_text free_text; /* the first line of a mailer's output */
    struct smtpstatus_text other;     /* another section's first paragraph */
};

/* The diagnostic of a recipient's verdict line: the remote reply it
 * repeats when the line has one, else the session's refusal, else the
 * line. */
static void own_diagnostic(const char *t, size_t c, size_t end, size_t text,
                           const struct session *s, struct smtpstatus__found *f)
{
    if (code_at(t, text, end, NULL) != 0) {
        f->diagnostic = smtpstatus__slice(t, text, end);
    } else if (s->pending.len > 0) {
        f->diagnostic = s->pending;
        f->remote_mta = s->pending_host;
        f->stage = s->pending_stage;
    } else if (code_at(t, c, end, NULL) != 0) {
        f->diagnostic = smtpstatus__slice(t, c, end); /* "554 <addr>... Remote protocol error" */
    } else {
        f->diagnostic = smtpstatus__slice(t, text, end); /* "<addr>... Deferred: ..." */
    }
}

/* Sendmail's own code stands in when the chosen reply has none (the
 * remote server's code is the more specific, as in sendmail's own
 * Status field for a refused MAIL or DATA). */
static void own_status(struct smtpstatus__found *f, int has, const struct smtpstatus_enhanced *st)
{
    if (has && !has_enhanced(&f->diagnostic)) {
        f->has_status = 1;
        f->status = *st;
    }
}

static void emit(struct smtpstatus__sink *sink, struct smtpstatus__found *f, size_t *emitted)
{
    f->flags = SMTPSTATUS_DSN_FROM_TEXT;
    if (f->remote_mta.len == 0)
        f->remote_mta.ptr = NULL;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_SENDMAIL);
    (*emitted)++;
}

/* The returned message's first To address (V5 sendmail names only the
 * host when a whole host failed). */
static int original_to(const struct smtpstatus__bounce *b, size_t orig,
                       struct smtpstatus_text *addr)
{
    struct smtpstatus_text o = b->original, to;
    size_t hdr_len;

    if (o.ptr == NULL) {
        if (orig >= b->text.len)
            return 0;
        o.ptr = b->text.ptr + orig;
        o.len = b->text.len - orig;
        while (o.len > 0 && (o.ptr[0] == '\n' || o.ptr[0] == '\r')) {
            o.ptr++;
            o.len--;
        }
    }
    smtpstatus__split_headers(o.ptr, o.len, &hdr_len);
    return smtpstatus__field_find(o.ptr, hdr_len, "to", &to) &&
           smtpstatus__find_address(to.ptr, to.len, 0, addr) != 0;
}

/* Whether `reply` starts with `reason`, "550-" and "550 " alike. */
static int same_start(const struct smtpstatus_text *reason, const struct smtpstatus_text *reply)
{
    if (reason->len > reply->len)
        return 0;
    for (size_t i = 0; i < reason->len; i++) {
        char a = reason->ptr[i], b = reply->ptr[i];
        if (a != b && !(i == 3 && (a == ' ' || a == '-') && (b == ' ' || b == '-')))
            return 0;
    }
    return 1;
}

/* A listed recipient's account: what the transcript said of it, else its
 * list reason, else what the transcript said of no one in particular. */
static void list_diagnostic(const struct listed *e, const struct findings *k,
                            struct smtpstatus__found *f)
{
    int from_session = 1;

    f->stage = e->stage;
    if (e->remote.len > 0) {
        f->diagnostic = e->remote;
        f->remote_mta = e->host;
        from_session = 0;
    } else if (e->own.len > 0) {
        f->diagnostic = e->own;
        from_session = 0;
    } else if (is_failure_reply(&e->reason)) {
        f->diagnostic = e->reason;
        /* The reason is the first line of the last refusal: take it
         * whole, with where and when it came. */
        if (k->npending > 0 && same_start(&e->reason, &k->pending)) {
            f->diagnostic = k->pending;
            f->remote_mta = k->pending_host;
            f->stage = k->pending_stage;
        }
    } else if (k->npending > 0) {
        f->diagnostic = k->pending;
        f->remote_mta = k->pending_host;
        f->stage = k->pending_stage;
    } else if (k->lone.len > 0) {
        f->diagnostic = k->lone;
    } else if (e->reason.len > 0) {
        f->diagnostic = e->reason;
    } else if (k->free_text.len > 0) {
        f->diagnostic = k->free_text;
    } else {
        f->diagnostic = k->other;
    }
    if (e->has_status)
        own_status(f, 1, &e->status);
    else if (from_session)
        own_status(f, k->has_lone_status, &k->lone_status);
}

/* The walk over the report, line by line. */
struct walk {
    const struct smtpstatus__bounce *b;
    struct smtpstatus__sink *sink;
    struct listed overflow; /* the entry being read when the table is full */
    struct listed *cur;
    size_t nlisted, emitted, list_start, list_end, orig;
    struct session s;
    struct findings k;
    size_t nseen;
    uint32_t action, list_action, first_action; /* first_action: the first list's */
    int quoted, framed, has_list, other_open;
    /* The tables last: only their first nlisted and nseen entries are
     * read, each written first, so they need no clearing (see
     * smtpstatus__decode_sendmail()). */
    struct listed list[LISTED_MAX];
    /* Recipients already reported from verdict lines (no list): a host
     * tried twice repeats them. */
    struct smtpstatus_text seen[LISTED_MAX];
};

/* Whether addr was reported already; remembers it otherwise. */
static int seen_before(struct walk *w, const struct smtpstatus_text *addr)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (smtpstatus__same_address(&w->seen[i], addr))
            return 1;
    if (w->nseen < LISTED_MAX)
        w->seen[w->nseen++] = *addr;
    return 0;
}

/* A transcript line (see the top of the file). */
static void transcript_line(struct walk *w, const char *t, size_t i, size_t end)
{
    struct session *s = &w->s;
    struct smtpstatus_text host, addr;
    struct smtpstatus_enhanced st;
    size_t text;
    int more = 0, has_st, kind;

    if (!smtpstatus__match_nocase(t, end, i, "<<< "))
        s->growing = NULL;
    if (i == end)
        return;
    if (talking_to(t, i, end, &host)) {
        memset(s, 0, sizeof *s);
        s->host = host;
        s->stage = SMTPSTATUS_STAGE_CONNECT; /* until a command is sent */
    } else if (smtpstatus__match_nocase(t, end, i, ">>> ")) {
        size_t cmd = skip_blank(t, i + 4, end), e;
        int stage = smtpstatus__stage_at(t, end, cmd, &e);
        if (cmd + 1 == end && t[cmd] == '.')
            stage = SMTPSTATUS_STAGE_END_OF_DATA;
        s->stage = (uint32_t)stage;
        s->rcpt.len = 0;
        if (stage == SMTPSTATUS_STAGE_RCPT)
            smtpstatus__find_address(t, end, e, &s->rcpt);
    } else if (smtpstatus__match_nocase(t, end, i, "<<< ")) {
        size_t r = skip_blank(t, i + 4, end);
        unsigned code = code_at(t, r, end, &more);
        if (s->growing != NULL && s->continues) {
            /* "<<< 550-..." continued: widen the reply. */
            s->growing->len = (size_t)(t + end - s->growing->ptr);
        } else if (code >= 400) {
            struct smtpstatus_text reply = smtpstatus__slice(t, r, end);
            struct listed *e;
            s->growing = NULL;
            if (s->stage == SMTPSTATUS_STAGE_RCPT && s->rcpt.len > 0) {
                s->rcpt_reply = reply;
                s->rcpt_reply_to = s->rcpt;
                s->growing = &s->rcpt_reply;
                e = find_listed(w->list, w->nlisted, &s->rcpt);
                if (e != NULL && e->remote.len == 0) {
                    e->remote = reply;
                    e->host = s->host;
                    e->stage = SMTPSTATUS_STAGE_RCPT;
                    s->growing = &e->remote;
                }
            } else if (s->pending.len == 0) {
                s->pending = reply;
                s->pending_stage = s->stage;
                s->pending_host = s->host;
                s->growing = &s->pending;
            }
        } else {
            s->growing = NULL;
        }
        s->continues = more;
    } else if ((kind = own_line(t, i, end, &addr, &text, &has_st, &st)) == 'H') {
        /* A verdict on another host: the session's refusal does not speak
         * for its recipients. */
        if (!smtpstatus__same_address(&addr, &s->host))
            s->pending.len = 0;
        if (w->k.host_line.len == 0)
            w->k.host_line = smtpstatus__slice(t, i, end);
    } else if (kind == 'L') {
        if (w->k.lone.len == 0) {
            w->k.lone = smtpstatus__slice(t, i, end);
            w->k.has_lone_status = has_st || hash_code(t, i, end, &st);
            w->k.lone_status = st;
        }
    } else if (kind == 'R' && w->has_list) {
        struct listed *e = find_listed(w->list, w->nlisted, &addr);
        if (e != NULL && e->remote.len == 0 && e->own.len == 0) {
            struct smtpstatus__found f;
            memset(&f, 0, sizeof f);
            f.stage = e->stage;
            own_diagnostic(t, i, end, text, s, &f);
            if (s->pending.len > 0 && f.diagnostic.ptr == s->pending.ptr) {
                /* the session's refusal */
                e->remote = f.diagnostic;
                e->host = f.remote_mta;
                e->stage = f.stage;
            } else {
                e->own = f.diagnostic;
            }
        }
        if (e != NULL && has_st && !e->has_status) {
            e->has_status = 1;
            e->status = st;
        }
    } else if (kind == 'R' && !seen_before(w, &addr)) {
        /* V5 (no list): each verdict line is a recipient. */
        struct smtpstatus__found f;
        memset(&f, 0, sizeof f);
        f.recipient = addr;
        f.action = w->action;
        if (smtpstatus__same_address(&addr, &s->rcpt_reply_to)) {
            f.diagnostic = s->rcpt_reply;
            f.remote_mta = s->host;
            f.stage = SMTPSTATUS_STAGE_RCPT;
        } else {
            own_diagnostic(t, i, end, text, s, &f);
        }
        own_status(&f, has_st, &st);
        emit(w->sink, &f, &w->emitted);
    } else if (kind == 0 && w->k.free_text.len == 0) {
        w->k.free_text = smtpstatus__slice(t, i, end);
    }
    if (s->pending.len > 0 && (w->k.npending == 0 || w->k.pending.ptr != s->pending.ptr)) {
        w->k.pending = s->pending;
        w->k.pending_host = s->host;
        w->k.pending_stage = s->pending_stage;
        w->k.npending++;
    } else if (s->pending.len > 0) {
        w->k.pending.len = s->pending.len; /* widened */
    }
}

/* Entries past the table: their list lines alone. */
static void emit_overflow(struct walk *w)
{
    const char *t = w->b->text.ptr;
    size_t seen = 0, end = w->list_end < w->orig ? w->list_end : w->orig, at = w->list_start;
    struct smtpstatus__line ln;
    struct listed e;
    int open = 0;

    memset(&e, 0, sizeof e);
    for (;;) {
        int more = smtpstatus__line_at(t, end, at, &ln);
        size_t i = more ? skip_blank(t, content(t, &ln, w->quoted), ln.end) : 0;
        if (more && i < ln.end && t[i] == '(') {
            if (open)
                list_detail(t, i, ln.end, &e);
        } else if (!more || marker_of(t, i, ln.end) != M_NONE || i < ln.end) {
            if (open && e.addr.len > 0) {
                struct smtpstatus__found f;
                memset(&f, 0, sizeof f);
                f.recipient = e.addr;
                f.original_recipient = e.orig;
                f.diagnostic = e.reason;
                f.action = e.action;
                emit(w->sink, &f, &w->emitted);
            }
            if (!more || marker_of(t, i, ln.end) != M_NONE)
                break;
            open = ++seen > LISTED_MAX;
            list_line(t, i, ln.end, &e, w->first_action);
        }
        at = ln.next;
    }
}

static void walk_lines(struct walk *w)
{
    const char *t = w->b->text.ptr;
    size_t len = w->b->text.len, at = 0;
    struct smtpstatus__line ln;
    enum marker state = M_NONE;

    while (smtpstatus__line_at(t, len, at, &ln)) {
        size_t c = content(t, &ln, w->quoted), i;
        enum marker m = marker_of(t, c, ln.end);

        if (m != M_NONE && !w->framed) {
            /* The first marker decides whether the report is quoted. */
            w->framed = 1;
            w->quoted = ln.off < ln.end && t[ln.off] == '>';
            c = content(t, &ln, w->quoted);
        }
        if (m == M_END || (w->framed && unframed_end(t, c, ln.end))) {
            w->orig = m == M_END ? ln.next : ln.off;
            return;
        }
        i = skip_blank(t, c, ln.end);
        if (m == M_LIST_FAILED || m == M_LIST_DELAYED || m == M_LIST_DELIVERED) {
            if (state == M_LIST_FAILED && w->list_end == len)
                w->list_end = ln.off;
            state = M_LIST_FAILED; /* one state for the three lists */
            w->has_list = 1;
            w->cur = NULL;
            w->list_action = m == M_LIST_FAILED    ? SMTPSTATUS_DSN_ACTION_FAILED
                             : m == M_LIST_DELAYED ? SMTPSTATUS_DSN_ACTION_DELAYED
                                                   : SMTPSTATUS_DSN_ACTION_DELIVERED;
            if (w->list_start == len) {
                w->list_start = ln.next;
                w->first_action = w->list_action;
            }
        } else if (m == M_TRANSCRIPT || m == M_OTHER) {
            if (state == M_LIST_FAILED && w->list_end == len)
                w->list_end = ln.off;
            state = m;
        } else if (state == M_OTHER) {
            struct smtpstatus_text *o = &w->k.other;
            if (i < ln.end && (o->len == 0 || w->other_open)) {
                if (o->len == 0)
                    o->ptr = t + i;
                o->len = (size_t)(t + ln.end - o->ptr);
                w->other_open = 1;
            } else if (o->len > 0) {
                w->other_open = 0; /* the first paragraph only */
            }
        } else if (state == M_LIST_FAILED) {
            if (i == ln.end) {
                /* blank */
            } else if (t[i] == '(' && w->cur != NULL) {
                list_detail(t, i, ln.end, w->cur);
            } else {
                w->cur = w->nlisted < LISTED_MAX ? &w->list[w->nlisted++] : &w->overflow;
                list_line(t, i, ln.end, w->cur, w->list_action);
            }
        } else if (state == M_TRANSCRIPT) {
            transcript_line(w, t, i, ln.end);
        }
        at = ln.next;
    }
}

size_t smtpstatus__decode_sendmail(const struct smtpstatus__bounce *b,
                                   const struct smtpstatus__marks *mk,
                                   struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t len = b->text.len;
    struct walk w;

    /* Only a framed report is read (w.framed), and marker_of() finds no
     * section marker on a line without five dashes: without them anywhere,
     * the walk would find nothing. (A search for a run of one byte, which
     * passes over most of a text sixty-four bytes a test.) */
    if (smtpstatus__find_run(t, 0, len, '-', 5) == len)
        return 0;
    /* Every message the decoders before this one pass over comes here:
     * clearing the tables too (9 KB) cost as much as reading the text. */
    memset(&w, 0, offsetof(struct walk, list));
    w.b = b;
    w.sink = sink;
    w.list_start = w.list_end = w.orig = len;
    w.action = SMTPSTATUS_DSN_ACTION_FAILED;
    if (smtpstatus__mark_in(mk, SMTPSTATUS__MARK_SENDMAIL_WARNING, len) ||
        (b->subject.ptr && smtpstatus__match_nocase(b->subject.ptr, b->subject.len, 0, "warning:")))
        w.action = SMTPSTATUS_DSN_ACTION_DELAYED;

    walk_lines(&w);
    if (!w.framed)
        return 0;

    if (w.has_list) {
        for (size_t i = 0; i < w.nlisted; i++) {
            const struct listed *e = &w.list[i];
            struct smtpstatus__found f;
            if (e->addr.len == 0 || (w.nseen > 0 && seen_before(&w, &e->addr)))
                continue;
            memset(&f, 0, sizeof f);
            f.recipient = e->addr;
            f.original_recipient = e->orig;
            f.action = e->action;
            list_diagnostic(e, &w.k, &f);
            emit(sink, &f, &w.emitted);
        }
        if (w.nlisted == LISTED_MAX)
            emit_overflow(&w);
    } else if (w.emitted == 0) {
        /* V5 sendmail names only the host when a whole host failed; a
         * queue-wide error names no one. The returned message's To is
         * the recipient then. */
        struct smtpstatus__found f;
        memset(&f, 0, sizeof f);
        f.diagnostic = w.k.host_line.len > 0 ? w.k.host_line : w.k.lone;
        if (f.diagnostic.len > 0 && original_to(b, w.orig, &f.recipient)) {
            f.action = w.action;
            if (f.diagnostic.ptr == w.k.lone.ptr)
                own_status(&f, w.k.has_lone_status, &w.k.lone_status);
            emit(sink, &f, &w.emitted);
        }
    }
    return w.emitted;
}
