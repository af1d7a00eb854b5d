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
#include "lines.h"

/* "type; value" -> type and value; a value without ';' is untyped. */
static void split_typed(const struct smtpstatus_text *v, struct smtpstatus_text *type,
                        struct smtpstatus_text *value)
{
    size_t at = v->ptr ? smtpstatus__find_either(v->ptr, 0, v->len, ';', ';') : 0;
    const char *semi = v->ptr && at < v->len ? v->ptr + at : NULL;

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
    /* "bob@example.com (Bob)": drop the comment. Sixteen bytes a step
     * (lines.h): most addresses have none, and are read to their end. */
    if (addr->len > 0)
        addr->len = smtpstatus__find_of5(addr->ptr, 0, addr->len, ' ', '(', '\t', '\t', '\t');
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

/* The fields read, by name; one look at a name's length and first bytes
 * tells which, rather than a comparison with each name in turn. */
enum field {
    F_OTHER = 0,
    /* A recipient's fields (RFC 3464 §2.3), the first two starting one. */
    F_FINAL_RECIPIENT,
    F_ORIGINAL_RECIPIENT,
    F_X_ACTUAL_RECIPIENT,
    F_ACTION,
    F_STATUS,
    F_REMOTE_MTA,
    F_DIAGNOSTIC_CODE,
    F_LAST_ATTEMPT_DATE,
    F_WILL_RETRY_UNTIL,
    F_FINAL_LOG_ID,
    /* The per-message fields (§2.2) read. */
    F_REPORTING_MTA,
    F_RECEIVED_FROM_MTA,
    F_ARRIVAL_DATE,
    F_ORIGINAL_ENVELOPE_ID
};

/* id when the name is the lower-case word, ignoring case. */
static enum field named(const struct smtpstatus_text *name, const char *word, size_t n, enum field id)
{
    return smtpstatus__text_is_n(name, word, n) ? id : F_OTHER;
}

static enum field field_of(const struct smtpstatus_text *name)
{
#define IS(word, id) named(name, word, sizeof word - 1, id)
    unsigned c = name->len > 0 ? smtpstatus__lower((unsigned char)name->ptr[0]) : 0;

    switch (name->len) {
    case 6:
        return c == 'a' ? IS("action", F_ACTION) : IS("status", F_STATUS);
    case 10:
        return IS("remote-mta", F_REMOTE_MTA);
    case 12:
        return c == 'f' ? IS("final-log-id", F_FINAL_LOG_ID) : IS("arrival-date", F_ARRIVAL_DATE);
    case 13:
        return IS("reporting-mta", F_REPORTING_MTA);
    case 15:
        return c == 'f' ? IS("final-recipient", F_FINAL_RECIPIENT)
                        : IS("diagnostic-code", F_DIAGNOSTIC_CODE);
    case 16:
        return IS("will-retry-until", F_WILL_RETRY_UNTIL);
    case 17:
        return c == 'l' ? IS("last-attempt-date", F_LAST_ATTEMPT_DATE)
                        : IS("received-from-mta", F_RECEIVED_FROM_MTA);
    case 18:
        return c == 'o' ? IS("original-recipient", F_ORIGINAL_RECIPIENT)
                        : IS("x-actual-recipient", F_X_ACTUAL_RECIPIENT);
    case 20:
        return IS("original-envelope-id", F_ORIGINAL_ENVELOPE_ID);
    default:
        return F_OTHER;
    }
#undef IS
}

/* Whether a field starts a recipient. */
static int starts_recipient(enum field id)
{
    return id == F_FINAL_RECIPIENT || id == F_ORIGINAL_RECIPIENT;
}

static int is_recipient_field(enum field id)
{
    return id >= F_FINAL_RECIPIENT && id <= F_FINAL_LOG_ID;
}

static void set_recipient_field(struct smtpstatus__found *f, enum field id,
                                const struct smtpstatus_text *value)
{
    struct smtpstatus_text type;

    switch (id) {
    case F_FINAL_RECIPIENT:
        address_of(value, &f->recipient_type, &f->recipient);
        break;
    case F_ORIGINAL_RECIPIENT:
        address_of(value, &type, &f->original_recipient);
        break;
    case F_X_ACTUAL_RECIPIENT:
        if (f->recipient.len == 0)
            address_of(value, &f->recipient_type, &f->recipient);
        break;
    case F_ACTION:
        f->action = action_of(value, &f->flags);
        break;
    case F_STATUS:
        status_of(value, f);
        break;
    case F_REMOTE_MTA:
        split_typed(value, &type, &f->remote_mta);
        /* "mx.example.net. (192.0.2.27, the server for ...)": the name only. */
        for (size_t i = 0; i < f->remote_mta.len; i++)
            if (f->remote_mta.ptr[i] == ' ' || f->remote_mta.ptr[i] == '(') {
                f->remote_mta.len = i;
                break;
            }
        while (f->remote_mta.len > 0 && f->remote_mta.ptr[f->remote_mta.len - 1] == '.')
            f->remote_mta.len--;
        break;
    case F_DIAGNOSTIC_CODE:
        split_typed(value, &f->diagnostic_type, &f->diagnostic);
        break;
    case F_LAST_ATTEMPT_DATE:
        f->last_attempt_date = *value;
        break;
    case F_WILL_RETRY_UNTIL:
        f->will_retry_until = *value;
        break;
    case F_FINAL_LOG_ID:
        f->final_log_id = *value;
        break;
    default:
        break;
    }
}

static void set_message_field(struct smtpstatus_dsn *dsn, enum field id,
                              const struct smtpstatus_text *value)
{
    struct smtpstatus_text type, v;

    /* RFC 3464 §2.2: each at most once; take the first. */
    if (id == F_REPORTING_MTA && dsn->reporting_mta.len == 0) {
        split_typed(value, &type, &v);
        dsn->reporting_mta = v;
    } else if (id == F_RECEIVED_FROM_MTA && dsn->received_from_mta.len == 0) {
        split_typed(value, &type, &v);
        dsn->received_from_mta = v;
    } else if (id == F_ARRIVAL_DATE && dsn->arrival_date.len == 0) {
        dsn->arrival_date = *value;
    } else if (id == F_ORIGINAL_ENVELOPE_ID && dsn->original_envelope_id.len == 0) {
        dsn->original_envelope_id = *value;
    }
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

/* Whether the block that goes on where the reader is (up to the next
 * blank line) names a recipient: it tells a block written recipient-last
 * (some gateways put Diagnostic-Code, Status and Action before
 * Final-Recipient) from a stray blank line inside one recipient's fields. */
static int block_names_recipient(const struct smtpstatus__field_reader *r, size_t *stop)
{
    struct smtpstatus__field_reader ahead = *r;
    struct smtpstatus_text name, value;
    size_t from = ahead.at;

    *stop = ahead.len;
    while (smtpstatus__field_read(&ahead, &name, &value) == SMTPSTATUS_OK) {
        int gap = gap_between(ahead.buf, from, &name);
        if (gap || starts_recipient(field_of(&name))) {
            *stop = (size_t)(name.ptr - ahead.buf);
            return !gap;
        }
        from = ahead.at;
    }
    return 0;
}

size_t smtpstatus__read_delivery_status(const struct smtpstatus_text *body, struct smtpstatus_dsn *dsn,
                                        struct smtpstatus__sink *sink)
{
    const char *buf = body->ptr;
    size_t len = body->len, before = sink->count, field_start = 0;
    size_t block_start = 0;
    struct smtpstatus_text name, value;
    struct smtpstatus__found f, early;
    struct smtpstatus__field_reader r;
    int have = 0, have_early = 0;
    int have_final = 0, have_original = 0, have_other = 0;
    size_t early_start = 0, looked_to = 0;
    int looked = 0;

    if (buf == NULL)
        return 0;
    memset(&f, 0, sizeof f);
    memset(&early, 0, sizeof early);
    smtpstatus__field_reader_init(&r, buf, len, 0);
    for (;;) {
        enum field id;

        field_start = r.at;
        if (smtpstatus__field_read(&r, &name, &value) != SMTPSTATUS_OK)
            break;
        id = field_of(&name);
        /* One look ahead answers for every field up to where it stopped,
         * so a block of thousands of fields is not read again per field. */
        if (!starts_recipient(id) && is_recipient_field(id) &&
            (have_early || !have || gap_between(buf, field_start, &name)) &&
            ((size_t)(name.ptr - buf) < looked_to ? looked
                                                   : (looked = block_names_recipient(&r, &looked_to)))) {
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
            set_recipient_field(&early, id, &value);
            continue;
        }
        if (starts_recipient(id)) {
            int is_final = id == F_FINAL_RECIPIENT;
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
            set_recipient_field(&f, id, &value);
        } else if (have && is_recipient_field(id)) {
            set_recipient_field(&f, id, &value);
            have_other = 1;
        } else if (!have) {
            set_message_field(dsn, id, &value);
        }
    }
    if (have)
        finish(&f, buf, block_start, len, sink);
    return sink->count - before;
}
