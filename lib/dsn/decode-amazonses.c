/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Amazon SES and Amazon WorkMail.
 *
 * - SES event notifications delivered by e-mail through Amazon SNS: a
 *   JSON object {"notificationType":"Bounce","bounce":{
 *   "bouncedRecipients":[{"emailAddress":...,"action":"failed",
 *   "status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 ..."}],...},
 *   "mail":{...}}, either as the whole body or, in the SNS envelope, as
 *   the string value of "Message" (every quote escaped once more). The
 *   same notifications report complaints ("Complaint",
 *   "complainedRecipients") and deliveries ("Delivery", "delivery":
 *   {"recipients":[...],"smtpResponse":"250 ..."}).
 * - The text part of SES and WorkMail bounces: "An error occurred while
 *   trying to deliver the mail to the following recipients:", the
 *   addresses, then (WorkMail) "Technical report:" with RFC 3464 fields
 *   written into the text. When SES gave up on a temporary failure its
 *   Diagnostic-Code wraps the remote server's last reply: "554 4.4.7
 *   Message expired: unable to deliver in 840 minutes.<421 4.4.2
 *   Connection timed out>"; the inner reply is the one that says why.
 */

#include "decoders.h"

#define SIGN_WINDOW 131072

static size_t window(size_t len)
{
    return len < SIGN_WINDOW ? len : SIGN_WINDOW;
}

/* "smtp; 550 ...": the type before the semicolon goes apart. */
static void set_diagnostic(struct smtpstatus__found *f, struct smtpstatus_text v)
{
    const char *semi = v.len ? memchr(v.ptr, ';', v.len < 16 ? v.len : 16) : NULL;

    if (semi) {
        f->diagnostic_type = smtpstatus__slice(v.ptr, 0, (size_t)(semi - v.ptr));
        v = smtpstatus__slice(v.ptr, (size_t)(semi - v.ptr) + 1, v.len);
    }
    f->diagnostic = v;
}

/* ---- JSON, read in place ----
 *
 * Level 0 is plain JSON; level 1 is JSON inside a JSON string (SNS's
 * "Message"), where the structural quotes are \" and a quote inside a
 * value is \\\". A quote closes a string when the backslashes before it
 * number 0 mod 2 (level 0) or 1 mod 4 (level 1). */
struct json {
    const char *t;
    size_t end;
    int level;
};

/* If a string opens at i, the offset of its first byte, else 0. */
static size_t str_open(const struct json *j, size_t i)
{
    if (j->level == 0)
        return i < j->end && j->t[i] == '"' ? i + 1 : 0;
    return i + 1 < j->end && j->t[i] == '\\' && j->t[i + 1] == '"' ? i + 2 : 0;
}

/* The end of the string content that starts at s; *next is past the
 * closing quote. */
static size_t str_close(const struct json *j, size_t s, size_t *next)
{
    for (size_t i = s; i < j->end; i++) {
        size_t k = 0;
        if (j->t[i] != '"')
            continue;
        while (i - k > s && j->t[i - 1 - k] == '\\')
            k++;
        if (j->level == 0 ? k % 2 == 0 : k % 4 == 1) {
            *next = i + 1;
            return j->level == 0 ? i : i - 1;
        }
    }
    *next = j->end;
    return j->end;
}

static size_t skip_ws(const struct json *j, size_t i)
{
    while (i < j->end && (j->t[i] == ' ' || j->t[i] == '\t' || j->t[i] == '\r' || j->t[i] == '\n'))
        i++;
    return i;
}

/* Past the value at i (a string, or a container up to its matching
 * close, or a bare word). */
static size_t skip_value(const struct json *j, size_t i)
{
    size_t s = str_open(j, i), next;
    int depth = 0;

    if (s) {
        str_close(j, s, &next);
        return next;
    }
    while (i < j->end) {
        char c = j->t[i];
        if ((s = str_open(j, i)) != 0) {
            str_close(j, s, &next);
            i = next;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i;
            if (--depth == 0)
                return i + 1;
        } else if (depth == 0 && (c == ',' || c == '\n')) {
            return i;
        }
        i++;
    }
    return i;
}

/* Find key `name` among the members of the object [from, to) at its top
 * level. On success *value is the offset of its value. */
static int member(const struct json *j, size_t from, size_t to, const char *name, size_t *value)
{
    struct json in = *j;
    size_t i = from;

    in.end = to;
    if (i < to && j->t[i] == '{')
        i++;
    while (i < to) {
        size_t s, e, next;
        i = skip_ws(&in, i);
        if (i < to && j->t[i] == ',') {
            i++;
            continue;
        }
        s = str_open(&in, i);
        if (s == 0)
            return 0;
        e = str_close(&in, s, &next);
        i = skip_ws(&in, next);
        if (i >= to || j->t[i] != ':')
            return 0;
        i = skip_ws(&in, i + 1);
        if (i >= to)
            return 0;
        if (smtpstatus__equal_nocase(j->t + s, e - s, name)) {
            *value = i;
            return 1;
        }
        i = skip_value(&in, i);
    }
    return 0;
}

/* The string at i, or an empty text. */
static struct smtpstatus_text string_at(const struct json *j, size_t i)
{
    struct smtpstatus_text v = { NULL, 0 };
    size_t s = str_open(j, i), e, next;

    if (s) {
        e = str_close(j, s, &next);
        v.ptr = j->t + s;
        v.len = e - s;
    }
    return v;
}

static struct smtpstatus_text member_string(const struct json *j, size_t from, size_t to,
                                            const char *name)
{
    size_t at;
    struct smtpstatus_text none = { NULL, 0 };

    return member(j, from, to, name, &at) ? string_at(j, at) : none;
}

/* The first valid address of an array of strings at i. */
static int first_address(const struct json *j, size_t i, struct smtpstatus_text *addr)
{
    size_t stop = skip_value(j, i);

    for (i = i + 1; i < stop;) {
        struct smtpstatus_text v = string_at(j, i);
        if (v.ptr) {
            size_t next;
            if (smtpstatus__is_address(&v)) {
                *addr = v;
                return 1;
            }
            str_close(j, str_open(j, i), &next);
            i = next;
        } else {
            i++;
        }
    }
    return 0;
}

static void emit(struct smtpstatus__sink *sink, const struct smtpstatus__found *f)
{
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_AMAZON_SES);
}

static size_t read_notification(const char *t, size_t len, const struct smtpstatus__marks *mk,
                                struct smtpstatus__sink *sink)
{
    struct json j = { t, len, 0 };
    size_t key = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_SES_NOTIFICATION_TYPE, window(len)),
           obj, at, arr, stop,
           emitted = 0;
    struct smtpstatus_text type, mta = { NULL, 0 };
    struct smtpstatus__found f;

    if (key == window(len) || key == 0)
        return 0;
    /* The level: is the key's opening quote escaped? */
    j.level = key >= 2 && t[key - 1] == '"' && t[key - 2] == '\\';
    /* The object that holds it starts at the last '{' before the key. */
    obj = key;
    while (obj > 0 && t[obj] != '{')
        obj--;
    if (t[obj] != '{')
        return 0;
    stop = skip_value(&j, obj);
    type = member_string(&j, obj, stop, "notificationtype");
    memset(&f, 0, sizeof f);
    f.flags = SMTPSTATUS_DSN_FROM_TEXT;

    if (smtpstatus__text_is(&type, "bounce") && member(&j, obj, stop, "bounce", &at)) {
        size_t bstop = skip_value(&j, at), item, istop;
        if (member(&j, at, bstop, "remotemtaip", &item))
            mta = string_at(&j, item);
        if (!member(&j, at, bstop, "bouncedrecipients", &arr) || t[arr] != '[')
            return 0;
        for (item = skip_ws(&j, arr + 1); item < bstop && t[item] == '{';) {
            struct smtpstatus_text action, status, diag;
            struct smtpstatus_enhanced st;
            size_t st_end;
            istop = skip_value(&j, item);
            memset(&f, 0, sizeof f);
            f.flags = SMTPSTATUS_DSN_FROM_TEXT;
            f.remote_mta = mta;
            f.recipient = member_string(&j, item, istop, "emailaddress");
            action = member_string(&j, item, istop, "action");
            status = member_string(&j, item, istop, "status");
            diag = member_string(&j, item, istop, "diagnosticcode");
            f.action = smtpstatus__text_is(&action, "delayed") ? SMTPSTATUS_DSN_ACTION_DELAYED
                                                               : SMTPSTATUS_DSN_ACTION_FAILED;
            if (status.len && smtpstatus__parse_enhanced_at(status.ptr, status.len, 0, &st,
                                                            &st_end) == SMTPSTATUS_OK) {
                f.has_status = 1;
                f.status = st;
            }
            if (diag.len)
                set_diagnostic(&f, diag);
            if (smtpstatus__is_address(&f.recipient)) {
                emit(sink, &f);
                emitted++;
            }
            item = skip_ws(&j, istop);
            if (item < bstop && t[item] == ',')
                item = skip_ws(&j, item + 1);
        }
        return emitted;
    }
    if (smtpstatus__text_is(&type, "complaint") && member(&j, obj, stop, "complaint", &at)) {
        size_t cstop = skip_value(&j, at), item;
        /* A complaint, not a bounce: its kind decides the reason. */
        f.has_forced_reason = 1;
        f.forced_reason = SMTPSTATUS_REASON_COMPLAINT;
        f.diagnostic = member_string(&j, at, cstop, "complaintfeedbacktype");
        if (member(&j, at, cstop, "complainedrecipients", &arr) && t[arr] == '[') {
            item = skip_ws(&j, arr + 1);
            if (item < cstop && t[item] == '{')
                f.recipient = member_string(&j, item, skip_value(&j, item), "emailaddress");
        }
        /* Relays that fold long lines can break the address; the mail's
         * destination list says the same. */
        if (!smtpstatus__is_address(&f.recipient) && member(&j, obj, stop, "mail", &at)) {
            size_t mstop = skip_value(&j, at), dest;
            if (member(&j, at, mstop, "destination", &dest) && t[dest] == '[')
                first_address(&j, dest, &f.recipient);
        }
        if (!smtpstatus__is_address(&f.recipient))
            return 0;
        emit(sink, &f);
        return 1;
    }
    if (smtpstatus__text_is(&type, "delivery") && member(&j, obj, stop, "delivery", &at)) {
        size_t dstop = skip_value(&j, at), rcpts;
        f.action = SMTPSTATUS_DSN_ACTION_DELIVERED;
        f.diagnostic = member_string(&j, at, dstop, "smtpresponse");
        if (member(&j, at, dstop, "remotemtaip", &rcpts))
            f.remote_mta = string_at(&j, rcpts);
        if (!member(&j, at, dstop, "recipients", &rcpts) || t[rcpts] != '[')
            return 0;
        for (size_t i = rcpts + 1, rstop = skip_value(&j, rcpts); i < rstop;) {
            struct smtpstatus_text v = string_at(&j, i);
            size_t next;
            if (v.ptr == NULL) {
                i++;
                continue;
            }
            if (smtpstatus__is_address(&v)) {
                f.recipient = v;
                emit(sink, &f);
                emitted++;
            }
            str_close(&j, str_open(&j, i), &next);
            i = next;
        }
        return emitted;
    }
    return 0;
}

/* ---- The text part of SES and WorkMail bounces ---- */

/* The value of a field found anywhere on a line (WorkMail's report can
 * lose line breaks between fields), with its continuation lines. */
static int text_field(const char *t, size_t from, size_t end, const char *lower,
                      struct smtpstatus_text *v)
{
    size_t p = smtpstatus__find_nocase(t, end, from, lower), s, e;
    struct smtpstatus__line ln;

    /* A field name, not the end of a longer word ("Transaction:"). */
    while (p < end && p > from &&
           (smtpstatus__is_alnum((unsigned char)t[p - 1]) || t[p - 1] == '-'))
        p = smtpstatus__find_nocase(t, end, p + 1, lower);
    if (p == end)
        return 0;
    s = p + strlen(lower);
    smtpstatus__line_at(t, end, p, &ln);
    e = ln.end;
    while (smtpstatus__line_at(t, end, ln.next, &ln) && ln.end > ln.off &&
           smtpstatus__is_space((unsigned char)t[ln.off]))
        e = ln.end;
    *v = smtpstatus__slice(t, s, e);
    return 1;
}

/* "Message expired: ...<421 4.4.2 Connection timed out>": the wrapped
 * reply of the remote server. */
static void unwrap_expired(struct smtpstatus__found *f)
{
    const char *d = f->diagnostic.ptr;
    size_t n = f->diagnostic.len;

    if (smtpstatus__find_nocase(d, n, 0, "expired") == n)
        return;
    for (size_t i = 0; i + 4 < n; i++) {
        if (d[i] == '<' && (d[i + 1] == '4' || d[i + 1] == '5') &&
            smtpstatus__is_digit((unsigned char)d[i + 2]) &&
            smtpstatus__is_digit((unsigned char)d[i + 3]) && (d[i + 4] == ' ' || d[i + 4] == '-')) {
            size_t e = n;
            while (e > i + 1 && d[e - 1] != '>')
                e--;
            f->diagnostic = smtpstatus__slice(d, i + 1, e > i + 1 ? e - 1 : n);
            f->has_status = 0;
            return;
        }
    }
}

static size_t read_text(const char *t, size_t len, const struct smtpstatus__marks *mk,
                        struct smtpstatus__sink *sink)
{
    static const char head_text[] =
        "an error occurred while trying to deliver the mail to the following recipients:";
    size_t head = smtpstatus__mark_find(mk, SMTPSTATUS__MARK_SES_ERROR_OCCURRED, window(len)),
           end, list, list_end,
           report, at, emitted = 0, listed = 0, list_cursor;
    struct smtpstatus__line ln;

    if (head == window(len))
        return 0;
    end = smtpstatus__original_starts(mk, t, head, len);
    list = head + sizeof head_text - 1;
    report = smtpstatus__find_nocase(t, end, list, "technical report:");
    /* The addresses: the lines after the sentence, up to a blank one. */
    list_end = list;
    at = list;
    while (smtpstatus__line_at(t, report, at, &ln)) {
        if (smtpstatus__skip_blanks(t, ln.off, ln.end) == ln.end && ln.off > list)
            break;
        list_end = ln.end;
        at = ln.next;
    }

    list_cursor = list;
    /* The field groups of the report, blank-line separated. */
    if (report < end) {
        at = report;
        smtpstatus__line_at(t, end, at, &ln);
        at = ln.next;
        while (at < end) {
            size_t g = at, ge = at;
            struct smtpstatus_text v;
            struct smtpstatus__found f;
            while (smtpstatus__line_at(t, end, at, &ln) && smtpstatus__skip_blanks(t, ln.off, ln.end) == ln.end)
                at = ln.next;
            g = at;
            while (smtpstatus__line_at(t, end, at, &ln) &&
                   smtpstatus__skip_blanks(t, ln.off, ln.end) < ln.end) {
                ge = ln.end;
                at = ln.next;
            }
            if (ge <= g)
                break;
            if (smtpstatus__find_nocase(t, ge, g, "diagnostic-code:") == ge &&
                smtpstatus__find_nocase(t, ge, g, "final-recipient:") == ge)
                continue;
            memset(&f, 0, sizeof f);
            f.flags = SMTPSTATUS_DSN_FROM_TEXT;
            f.action = SMTPSTATUS_DSN_ACTION_FAILED;
            if (text_field(t, g, ge, "final-recipient:", &v))
                smtpstatus__find_address(v.ptr, v.len, 0, &f.recipient);
            /* The n-th group goes with the n-th listed address. */
            {
                struct smtpstatus_text addr;
                size_t next = list_cursor < list_end
                                  ? smtpstatus__find_address(t, list_end, list_cursor, &addr)
                                  : 0;
                list_cursor = next ? next : list_end;
                if (f.recipient.len == 0 && next)
                    f.recipient = addr;
            }
            if (text_field(t, g, ge, "action:", &v) &&
                smtpstatus__find_nocase(v.ptr, v.len, 0, "delayed") < v.len)
                f.action = SMTPSTATUS_DSN_ACTION_DELAYED;
            if (text_field(t, g, ge, "diagnostic-code:", &v))
                set_diagnostic(&f, v);
            if (text_field(t, g, ge, "status:", &v)) {
                struct smtpstatus_enhanced st;
                size_t se;
                if (v.len &&
                    smtpstatus__parse_enhanced_at(v.ptr, v.len, 0, &st, &se) == SMTPSTATUS_OK) {
                    f.has_status = 1;
                    f.status = st;
                }
            }
            if (text_field(t, g, ge, "remote-mta:", &v)) {
                const char *semi = memchr(v.ptr, ';', v.len);
                f.remote_mta =
                    semi ? smtpstatus__slice(v.ptr, (size_t)(semi - v.ptr) + 1, v.len) : v;
            }
            unwrap_expired(&f);
            if (f.recipient.len == 0)
                continue;
            emit(sink, &f);
            emitted++;
        }
        if (emitted)
            return emitted;
    }
    /* No report: the listed addresses, with nothing more to say. */
    at = list;
    {
        struct smtpstatus_text addr;
        while ((at = smtpstatus__find_address(t, list_end, at, &addr)) != 0) {
            struct smtpstatus__found f;
            memset(&f, 0, sizeof f);
            f.flags = SMTPSTATUS_DSN_FROM_TEXT;
            f.action = SMTPSTATUS_DSN_ACTION_FAILED;
            f.recipient = addr;
            emit(sink, &f);
            listed++;
        }
    }
    return listed;
}

size_t smtpstatus__decode_amazonses(const struct smtpstatus__bounce *b,
                                    const struct smtpstatus__marks *mk,
                                    struct smtpstatus__sink *sink)
{
    size_t n = read_notification(b->text.ptr, b->text.len, mk, sink);

    if (n == 0)
        n = read_text(b->text.ptr, b->text.len, mk, sink);
    return n;
}
