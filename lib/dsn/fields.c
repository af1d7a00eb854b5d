/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The message/delivery-status body (RFC 3464 §2.1; RFC 6533 §4.1 for
 * message/global-delivery-status): a block of per-message fields, then one
 * block per recipient, separated by blank lines. Real generators stray
 * from the grammar (dsn-fields.md §10), so:
 *
 * - blank lines may be missing or doubled; a block starts wherever a
 *   Final-Recipient (or Original-Recipient) follows fields of another one;
 * - a block may give Action, Status or Diagnostic-Code before its
 *   Final-Recipient; they belong to the recipient the block names;
 * - the per-message block may be missing;
 * - a value without "type;" is an untyped address or name;
 * - angle brackets around addresses are dropped, case is kept;
 * - Action values outside RFC 3464's five are mapped (failure, expired,
 *   deliverable) and flagged; unknown ones do not stop the parse;
 * - Status may carry a comment ("5.0.0 (permanent failure)").
 */

#include "fields.h"

/* "type; value" -> type and value; a value without ';' is untyped. */
static void split_typed(const struct smtpstatus_text *v, struct smtpstatus_text *type,
                        struct smtpstatus_text *value)
{
    const char *semi = v->ptr ? memchr(v->ptr, ';', v->len) : NULL;

    type->ptr = NULL;
    type->len = 0;
    *value = *v;
    if (semi) {
        *type = smtpstatus__trim(smtpstatus__slice(v->ptr, 0, (size_t)(semi - v->ptr)));
        value->ptr = semi + 1;
        value->len = v->len - (size_t)(semi + 1 - v->ptr);
        /* A "type" with spaces is not a type: "smtp; 550 ..." is, "Not delivered; ..." is not. */
        for (size_t i = 0; i < type->len; i++)
            if (type->ptr[i] == ' ') {
                type->ptr = NULL;
                type->len = 0;
                *value = *v;
                break;
            }
    }
    *value = smtpstatus__trim(*value);
}

/* An address field value: strip the type, angle brackets, a trailing
 * comment and quotes around the whole. */
static void address_of(const struct smtpstatus_text *v, struct smtpstatus_text *type,
                       struct smtpstatus_text *addr)
{
    split_typed(v, type, addr);
    if (addr->len > 0) {
        const char *lt = memchr(addr->ptr, '<', addr->len);
        if (lt) {
            const char *gt = memchr(lt, '>', addr->len - (size_t)(lt - addr->ptr));
            if (gt && gt > lt + 1)
                *addr = smtpstatus__slice(lt + 1, 0, (size_t)(gt - lt - 1));
        }
    }
    /* "bob@example.com (Bob)": drop the comment. */
    for (size_t i = 0; i < addr->len; i++)
        if (addr->ptr[i] == ' ' || addr->ptr[i] == '(' || addr->ptr[i] == '\t') {
            addr->len = i;
            break;
        }
    while (addr->len >= 2 && addr->ptr[0] == '"' && addr->ptr[addr->len - 1] == '"') {
        addr->ptr++;
        addr->len -= 2;
    }
    if (addr->len == 0)
        addr->ptr = NULL;
}

static uint32_t action_of(const struct smtpstatus_text *v, uint32_t *flags)
{
    static const struct {
        const char *word;
        uint32_t action;
        int standard;
    } actions[] = {
        { "failed", SMTPSTATUS_DSN_ACTION_FAILED, 1 },
        { "delayed", SMTPSTATUS_DSN_ACTION_DELAYED, 1 },
        { "delivered", SMTPSTATUS_DSN_ACTION_DELIVERED, 1 },
        { "relayed", SMTPSTATUS_DSN_ACTION_RELAYED, 1 },
        { "expanded", SMTPSTATUS_DSN_ACTION_EXPANDED, 1 },
        /* RFC 3464's own note says "failure"; others seen in the wild. */
        { "failure", SMTPSTATUS_DSN_ACTION_FAILED, 0 },
        { "expired", SMTPSTATUS_DSN_ACTION_FAILED, 0 },
        { "deliverable", SMTPSTATUS_DSN_ACTION_DELIVERED, 0 },
        { "delay", SMTPSTATUS_DSN_ACTION_DELAYED, 0 },
    };
    struct smtpstatus_text word = smtpstatus__trim(*v);

    /* Some add a comment: "failed (bad mailbox)". */
    for (size_t i = 0; i < word.len; i++)
        if (word.ptr[i] == ' ' || word.ptr[i] == '(' || word.ptr[i] == ';') {
            word.len = i;
            break;
        }
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (smtpstatus__text_is(&word, actions[i].word)) {
            if (!actions[i].standard)
                *flags |= SMTPSTATUS_DSN_ACTION_NONSTANDARD;
            return actions[i].action;
        }
    if (word.len > 0)
        *flags |= SMTPSTATUS_DSN_ACTION_NONSTANDARD;
    return SMTPSTATUS_DSN_ACTION_NONE;
}

static void status_of(const struct smtpstatus_text *v, struct smtpstatus__found *f)
{
    struct smtpstatus_text t = smtpstatus__trim(*v);
    struct smtpstatus_enhanced code;
    size_t end;

    if (t.len > 0 &&
        smtpstatus_parse_enhanced(t.ptr, t.len, SMTPSTATUS_ENHANCED_PREFIX, &code, &end) == SMTPSTATUS_OK) {
        f->has_status = 1;
        f->status = code;
        /* RFC 3464 §2.3.4 allows a comment: "(host name lookup failure)". */
        f->status_comment = smtpstatus__trim(smtpstatus__slice(t.ptr, end, t.len));
        if (f->status_comment.len >= 2 && f->status_comment.ptr[0] == '(' &&
            f->status_comment.ptr[f->status_comment.len - 1] == ')') {
            f->status_comment.ptr++;
            f->status_comment.len -= 2;
        }
    }
}

/* Whether a field name starts a recipient. */
static int starts_recipient(const struct smtpstatus_text *name)
{
    return smtpstatus__text_is(name, "final-recipient") ||
           smtpstatus__text_is(name, "original-recipient");
}

static int is_recipient_field(const struct smtpstatus_text *name)
{
#define NAME(s) { s, sizeof s - 1 }
    static const struct {
        const char *name;
        size_t len;
    } names[] = {
        NAME("final-recipient"),   NAME("original-recipient"), NAME("action"),
        NAME("status"),            NAME("remote-mta"),         NAME("diagnostic-code"),
        NAME("last-attempt-date"), NAME("will-retry-until"),   NAME("final-log-id"),
        NAME("x-actual-recipient"),
    };
#undef NAME
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (smtpstatus__text_is_n(name, names[i].name, names[i].len))
            return 1;
    return 0;
}

static void set_recipient_field(struct smtpstatus__found *f, const struct smtpstatus_text *name,
                                const struct smtpstatus_text *value)
{
    struct smtpstatus_text type;

    if (smtpstatus__text_is(name, "final-recipient")) {
        address_of(value, &f->recipient_type, &f->recipient);
    } else if (smtpstatus__text_is(name, "original-recipient")) {
        address_of(value, &type, &f->original_recipient);
    } else if (smtpstatus__text_is(name, "x-actual-recipient")) {
        if (f->recipient.len == 0)
            address_of(value, &f->recipient_type, &f->recipient);
    } else if (smtpstatus__text_is(name, "action")) {
        f->action = action_of(value, &f->flags);
    } else if (smtpstatus__text_is(name, "status")) {
        status_of(value, f);
    } else if (smtpstatus__text_is(name, "remote-mta")) {
        split_typed(value, &type, &f->remote_mta);
        /* "mx.example.net. (192.0.2.27, the server for ...)": the name only. */
        for (size_t i = 0; i < f->remote_mta.len; i++)
            if (f->remote_mta.ptr[i] == ' ' || f->remote_mta.ptr[i] == '(') {
                f->remote_mta.len = i;
                break;
            }
        while (f->remote_mta.len > 0 && f->remote_mta.ptr[f->remote_mta.len - 1] == '.')
            f->remote_mta.len--;
    } else if (smtpstatus__text_is(name, "diagnostic-code")) {
        split_typed(value, &f->diagnostic_type, &f->diagnostic);
    } else if (smtpstatus__text_is(name, "last-attempt-date")) {
        f->last_attempt_date = *value;
    } else if (smtpstatus__text_is(name, "will-retry-until")) {
        f->will_retry_until = *value;
    } else if (smtpstatus__text_is(name, "final-log-id")) {
        f->final_log_id = *value;
    }
}

static void set_message_field(struct smtpstatus_dsn *dsn, const struct smtpstatus_text *name,
                              const struct smtpstatus_text *value)
{
    struct smtpstatus_text type, v;

    split_typed(value, &type, &v);
    /* RFC 3464 §2.2: each at most once; take the first. */
    if (smtpstatus__text_is(name, "reporting-mta") && dsn->reporting_mta.len == 0)
        dsn->reporting_mta = v;
    else if (smtpstatus__text_is(name, "received-from-mta") && dsn->received_from_mta.len == 0)
        dsn->received_from_mta = v;
    else if (smtpstatus__text_is(name, "arrival-date") && dsn->arrival_date.len == 0)
        dsn->arrival_date = *value;
    else if (smtpstatus__text_is(name, "original-envelope-id") && dsn->original_envelope_id.len == 0)
        dsn->original_envelope_id = *value;
}

static void finish(struct smtpstatus__found *f, const char *block, size_t block_start, size_t end,
                   struct smtpstatus__sink *sink)
{
    if (f->recipient.len == 0 && f->original_recipient.len == 0)
        return;
    if (f->recipient.len == 0) {
        f->recipient = f->original_recipient;
    }
    f->fields = smtpstatus__slice(block, block_start, end);
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_RFC3464);
}

/* Whether a blank (or unreadable) line lies between two fields: the
 * cursor after a field is the start of the next line, so any line end
 * before the next field's name is such a line. */
static int gap_between(const char *buf, size_t from, const struct smtpstatus_text *name)
{
    size_t to = (size_t)(name->ptr - buf);
    return to > from && memchr(buf + from, '\n', to - from) != NULL;
}

/* Whether the block that goes on at `cursor` (up to the next blank line)
 * names a recipient: it tells a block written recipient-last (some
 * gateways put Diagnostic-Code, Status and Action before Final-Recipient)
 * from a stray blank line inside one recipient's fields. */
static int block_names_recipient(const char *buf, size_t len, size_t cursor, size_t *stop)
{
    struct smtpstatus_text name, value;
    size_t from = cursor;

    *stop = len;
    while (smtpstatus__field_next(buf, len, &cursor, &name, &value) == SMTPSTATUS_OK) {
        int gap = gap_between(buf, from, &name);
        if (gap || starts_recipient(&name)) {
            *stop = (size_t)(name.ptr - buf);
            return !gap;
        }
        from = cursor;
    }
    return 0;
}

size_t smtpstatus__read_delivery_status(const struct smtpstatus_text *body, struct smtpstatus_dsn *dsn,
                                        struct smtpstatus__sink *sink)
{
    const char *buf = body->ptr;
    size_t len = body->len, cursor = 0, before = sink->count, field_start = 0;
    size_t block_start = 0;
    struct smtpstatus_text name, value;
    struct smtpstatus__found f, early;
    int have = 0, have_early = 0;
    int have_final = 0, have_original = 0, have_other = 0;
    size_t early_start = 0, looked_to = 0;
    int looked = 0;

    if (buf == NULL)
        return 0;
    memset(&f, 0, sizeof f);
    memset(&early, 0, sizeof early);
    for (;;) {
        field_start = cursor;
        if (smtpstatus__field_next(buf, len, &cursor, &name, &value) != SMTPSTATUS_OK)
            break;
        /* One look ahead answers for every field up to where it stopped,
         * so a block of thousands of fields is not read again per field. */
        if (!starts_recipient(&name) && is_recipient_field(&name) &&
            (have_early || !have || gap_between(buf, field_start, &name)) &&
            ((size_t)(name.ptr - buf) < looked_to
                 ? looked
                 : (looked = block_names_recipient(buf, len, cursor, &looked_to)))) {
            /* A recipient's fields ahead of its Final-Recipient: keep them
             * for it. A new block ends the recipient before. */
            if (have) {
                finish(&f, buf, block_start, field_start, sink);
                memset(&f, 0, sizeof f);
                have = have_final = have_original = have_other = 0;
            }
            if (!have_early)
                early_start = (size_t)(name.ptr - buf);
            have_early = 1;
            set_recipient_field(&early, &name, &value);
            continue;
        }
        if (starts_recipient(&name)) {
            int is_final = smtpstatus__text_is(&name, "final-recipient");
            /* A new recipient starts when this kind of field was already
             * seen for the current one (two Final-Recipients in one block),
             * or when an Original-Recipient follows a complete recipient.
             * Postfix writes Original-Recipient right after Final-Recipient:
             * that is the same recipient. */
            if (have && ((is_final && have_final) || (!is_final && have_original) ||
                         (!is_final && have_final && have_other))) {
                finish(&f, buf, block_start, field_start, sink);
                memset(&f, 0, sizeof f);
                have = have_final = have_original = have_other = 0;
            }
            if (!have)
                block_start = name.ptr - buf;
            if (!have && have_early) {
                f = early;
                block_start = early_start;
                memset(&early, 0, sizeof early);
                have_early = 0;
            }
            have = 1;
            if (is_final)
                have_final = 1;
            else
                have_original = 1;
            set_recipient_field(&f, &name, &value);
        } else if (have && is_recipient_field(&name)) {
            set_recipient_field(&f, &name, &value);
            have_other = 1;
        } else if (!have) {
            set_message_field(dsn, &name, &value);
        }
    }
    if (have)
        finish(&f, buf, block_start, len, sink);
    return sink->count - before;
}
