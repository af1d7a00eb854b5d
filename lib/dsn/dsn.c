/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * smtpstatus_parse_dsn(): a report message in, one classified result per
 * recipient out. The MIME tree is walked once to find the parts that
 * matter; then, in order:
 *
 * 1. a message/delivery-status (or global) part: RFC 3464 fields;
 * 2. a message/feedback-report part: an ARF complaint;
 * 3. a message that presents itself as a bounce: the text decoders;
 * 4. an automatic reply;
 * 5. otherwise an ordinary message, with nothing to report.
 */

#include "fields.h"
#include "report.h"
#include "text-hints.h"

struct parts {
    struct smtpstatus__part ds, fb, orig, text, html;
    int has_ds, has_fb, has_orig, has_text, has_html, is_report;
};

/* The parts decoded so far: a message's own body can also be the part it
 * reports (a top level of message/delivery-status, or of message/rfc822),
 * and decoding one region twice could need more scratch than the promised
 * `len` bytes. Each region is decoded once. */
struct decoded {
    struct smtpstatus_text src[6], out[6];
    size_t count;
};

static struct smtpstatus_text decode_once(struct decoded *d, const struct smtpstatus_text *body,
                                          int cte, struct smtpstatus__scratch *scratch)
{
    struct smtpstatus_text out;

    for (size_t i = 0; i < d->count; i++)
        if (d->src[i].ptr == body->ptr && d->src[i].len == body->len)
            return d->out[i];
    out = smtpstatus__decode_body(body, cte, scratch);
    if (d->count < sizeof d->src / sizeof d->src[0]) {
        d->src[d->count] = *body;
        d->out[d->count] = out;
        d->count++;
    }
    return out;
}

static int visit(const struct smtpstatus__part *p, void *ctx)
{
    struct parts *ps = ctx;
    const struct smtpstatus__ctype *ct = &p->ctype;

    if (smtpstatus__ctype_is(ct, "message", "delivery-status") ||
        smtpstatus__ctype_is(ct, "message", "global-delivery-status")) {
        if (!ps->has_ds) {
            ps->ds = *p;
            ps->has_ds = 1;
        }
    } else if (smtpstatus__ctype_is(ct, "message", "feedback-report")) {
        if (!ps->has_fb) {
            ps->fb = *p;
            ps->has_fb = 1;
        }
    } else if (smtpstatus__ctype_is(ct, "message", "rfc822") ||
               smtpstatus__ctype_is(ct, "message", "global") ||
               smtpstatus__ctype_is(ct, "text", "rfc822-headers") ||
               smtpstatus__ctype_is(ct, "message", "global-headers") ||
               smtpstatus__ctype_is(ct, "message", "partial")) {
        if (!ps->has_orig) {
            ps->orig = *p;
            ps->has_orig = 1;
        }
    } else if (smtpstatus__ctype_is(ct, "text", "plain")) {
        if (!ps->has_text && !ps->has_orig) {
            ps->text = *p;
            ps->has_text = 1;
        }
    } else if (smtpstatus__ctype_is(ct, "text", "html")) {
        if (!ps->has_html && !ps->has_orig) {
            ps->html = *p;
            ps->has_html = 1;
        }
    }
    return 0;
}

static const struct smtpstatus__field_name original_names[] = {
    SMTPSTATUS__FIELD_NAME("message-id"),
    SMTPSTATUS__FIELD_NAME("from"),
    SMTPSTATUS__FIELD_NAME("to"),
    SMTPSTATUS__FIELD_NAME("subject"),
};

const struct smtpstatus__field_set smtpstatus__original_fields = {
    original_names, 4,
    {
        SMTPSTATUS__FIRST_LETTER('m', 1u << 0),
        SMTPSTATUS__FIRST_LETTER('f', 1u << 1),
        SMTPSTATUS__FIRST_LETTER('t', 1u << 2),
        SMTPSTATUS__FIRST_LETTER('s', 1u << 3),
    },
    { [2] = 1u << 2, [4] = 1u << 1, [7] = 1u << 3, [10] = 1u << 0 },
    1
};

/* The message's own header block: one pass finds all its fields read here,
 * the late fields of the decoders included (dsn.h): they used to be read in
 * a second pass over the block when a decoder first asked, which most
 * bounces without a delivery-status part came to (Exchange's test asks). */
static const struct smtpstatus__field_name top_names[] = {
    SMTPSTATUS__FIELD_NAME("subject"),
    SMTPSTATUS__FIELD_NAME("from"),
    SMTPSTATUS__FIELD_NAME("content-type"),
    SMTPSTATUS__FIELD_NAME("content-transfer-encoding"),
    SMTPSTATUS__FIELD_NAME("x-failed-recipients"),
    SMTPSTATUS__FIELD_NAME("return-path"),
    /* The late fields but Content-Type, in the order of enum
     * smtpstatus__late_field. */
    SMTPSTATUS__LATE_FIELDS(SMTPSTATUS__LATE_NAME)
};

#define TOP_NAMES (sizeof top_names / sizeof top_names[0])
#define TOP_CONTENT_TYPE 2
#define TOP_LATE 6 /* where the late fields start */

const struct smtpstatus__field_set smtpstatus__top_fields = {
    top_names, TOP_NAMES,
    {
        SMTPSTATUS__FIRST_LETTER('s', 1u << 0),
        SMTPSTATUS__FIRST_LETTER('f', 1u << 1),
        SMTPSTATUS__FIRST_LETTER('c', 1u << 2 | 1u << 3),
        SMTPSTATUS__FIRST_LETTER('x', 1u << 4 | 1u << 6 | 1u << 7 | 1u << 8 | 1u << 9 | 1u << 12),
        SMTPSTATUS__FIRST_LETTER('r', 1u << 5),
        SMTPSTATUS__FIRST_LETTER('u', 1u << 10),
        SMTPSTATUS__FIRST_LETTER('m', 1u << 11),
    },
    {
        [4] = 1u << 1, [7] = 1u << 0, [8] = 1u << 7, [9] = 1u << 8, [10] = 1u << 10 | 1u << 11,
        [11] = 1u << 5, [12] = 1u << 2, [19] = 1u << 4, [20] = 1u << 6 | 1u << 12, [25] = 1u << 3,
        [28] = 1u << 9,
    },
    1
};

/* `in_scratch`: the original was decoded (a base64 or quoted-printable
 * text/rfc822-headers part) and lives in the scratch buffer. Its encoded
 * words then stay as they are: decoding them into scratch too could need
 * more than the `len` bytes the API promises are enough. */
static void read_original(const struct smtpstatus_text *orig, int in_scratch,
                          struct smtpstatus_dsn *dsn, struct smtpstatus__scratch *scratch)
{
    struct smtpstatus_text v[4];
    unsigned found;

    if (orig->ptr == NULL)
        return;
    /* Where the header block ends does not matter here: the scan stops
     * once it has the four. */
    found = smtpstatus__scan_fields(orig->ptr, orig->len, NULL, NULL, &smtpstatus__original_fields, v);
    if (found & 1)
        dsn->original_message_id = v[0];
    if (found & 2)
        dsn->original_from = in_scratch ? v[1] : smtpstatus__decode_words(&v[1], scratch);
    if (found & 4)
        dsn->original_to = in_scratch ? v[2] : smtpstatus__decode_words(&v[2], scratch);
    if (found & 8)
        dsn->original_subject = in_scratch ? v[3] : smtpstatus__decode_words(&v[3], scratch);
}

/* What the recipients found make of the message: only successes are a
 * delivery report, only complaints a feedback report, anything else a
 * bounce. Recipients past the caller's array are not seen: a bounce. */
static uint32_t kind_of(const struct smtpstatus__sink *sink)
{
    int successes = 1, complaints = 1;

    if (sink->count == 0 || sink->count > sink->capacity)
        return SMTPSTATUS_MESSAGE_BOUNCE;
    for (size_t i = 0; i < sink->count; i++) {
        const struct smtpstatus_dsn_recipient *r = (const void *)(sink->base + i * sink->stride);
        if (r->verdict.outcome != SMTPSTATUS_OUTCOME_SUCCESS)
            successes = 0;
        if (r->verdict.reason != SMTPSTATUS_REASON_COMPLAINT)
            complaints = 0;
    }
    return successes ? SMTPSTATUS_MESSAGE_DELIVERY_REPORT
                     : complaints ? SMTPSTATUS_MESSAGE_FEEDBACK : SMTPSTATUS_MESSAGE_BOUNCE;
}

int smtpstatus__parse_dsn(const char *buf, size_t len, struct smtpstatus_dsn *out,
                          struct smtpstatus_dsn_recipient *rcpts, size_t *nrcpts, char *scratch_buf,
                          size_t scratch_size)
{
    struct smtpstatus_dsn dsn;
    struct parts ps;
    struct smtpstatus__scratch scratch = { scratch_buf, scratch_size, 0, 0, 0 };
    struct smtpstatus__sink sink;
    struct smtpstatus__bounce b;
    struct decoded decoded;
    struct smtpstatus__late_fields late;
    struct smtpstatus_text top[TOP_NAMES], original = { NULL, 0 };
    struct smtpstatus__ctype top_ctype;
    size_t hdr_len, body_off;
    unsigned found;
    int top_cte, looks_like_bounce;

    memset(&dsn, 0, sizeof dsn);
    dsn.size = sizeof dsn;
    /* A part is read only when its flag says visit() filled it: the flags
     * are cleared, not the five parts (about 700 bytes). */
    ps.has_ds = ps.has_fb = ps.has_orig = ps.has_text = ps.has_html = ps.is_report = 0;
    memset(&b, 0, sizeof b);
    decoded.count = 0;
    sink.base = (char *)rcpts;
    sink.stride = *nrcpts > 0 ? rcpts[0].size : sizeof(struct smtpstatus_dsn_recipient);
    sink.capacity = *nrcpts;
    sink.count = 0;
    sink.decoder = SMTPSTATUS_DECODER_NONE;
    sink.hints = NULL;
    sink.found = NULL;

    /* One pass over the message's header block finds all its fields read here. */
    found = smtpstatus__scan_fields(buf, len, &body_off, &hdr_len, &smtpstatus__top_fields, top);
    b.headers.ptr = buf;
    b.headers.len = hdr_len;
    /* What smtpstatus__late_field() would find reading b.headers: the
     * same fields, first of each name, in the same block (the pass above
     * ends where b.headers does). */
    late.read = 1;
    late.found = 0;
    for (unsigned k = 0; k < SMTPSTATUS__LATE_COUNT; k++) {
        unsigned at = k == SMTPSTATUS__LATE_CONTENT_TYPE ? TOP_CONTENT_TYPE : TOP_LATE + k;
        late.values[k] = top[at];
        late.found |= ((found >> at) & 1u) << k;
    }
    b.late = &late;
    b.failed_recipients = top[4];
    b.has_failed_recipients = (found & 16) != 0;
    b.return_path = top[5];
    b.has_return_path = (found & 32) != 0;
    if (found & 1)
        b.subject = smtpstatus__decode_words(&top[0], &scratch);
    if (found & 2)
        b.from = smtpstatus__decode_words(&top[1], &scratch);
    dsn.subject = b.subject;
    dsn.from = b.from;
    smtpstatus__parse_ctype(&top[TOP_CONTENT_TYPE], &top_ctype);
    ps.is_report = smtpstatus__ctype_is(&top_ctype, "multipart", "report");

    top_cte = smtpstatus__parse_cte(&top[3]);
    smtpstatus__walk_scanned(buf, len, hdr_len, body_off, &top_ctype, top_cte, visit, &ps);

    if (ps.has_orig) {
        original = decode_once(&decoded, &ps.orig.body, ps.orig.cte, &scratch);
        read_original(&original, original.ptr != ps.orig.body.ptr, &dsn, &scratch);
    }
    if (ps.has_text) {
        b.text = decode_once(&decoded, &ps.text.body, ps.text.cte, &scratch);
    } else if (ps.has_html) {
        b.text = decode_once(&decoded, &ps.html.body, ps.html.cte, &scratch);
    } else if (!smtpstatus__text_is(&top_ctype.type, "multipart")) {
        struct smtpstatus_text body = { buf + body_off, len - body_off };
        b.text = decode_once(&decoded, &body, top_cte, &scratch);
    }
    b.original = original;

    if (ps.has_ds) {
        struct smtpstatus_text ds = decode_once(&decoded, &ps.ds.body, ps.ds.cte, &scratch);
        struct smtpstatus__text_hints hints;
        /* The fields have no stage, and sometimes no diagnostic; the text
         * for people often has both. */
        smtpstatus__text_hints_init(&hints, &b);
        sink.hints = &hints;
        if (smtpstatus__read_delivery_status(&ds, &dsn, &sink) > 0)
            dsn.kind = kind_of(&sink);
        sink.hints = NULL;
    }
    if (sink.count == 0 && ps.has_fb) {
        struct smtpstatus_text fb = decode_once(&decoded, &ps.fb.body, ps.fb.cte, &scratch);
        if (smtpstatus__read_feedback(&fb, &original, &dsn, &sink) > 0)
            dsn.kind = SMTPSTATUS_MESSAGE_FEEDBACK;
    }
    /* Microsoft's complaint loop (JMRP) predates ARF: no feedback-report
     * part, only its subject and the reported message attached. */
    if (sink.count == 0 && !ps.has_fb && ps.has_orig && b.subject.ptr &&
        smtpstatus__find_nocase(b.subject.ptr, b.subject.len, 0, "complaint about message from") <
            b.subject.len) {
        struct smtpstatus_text none = { NULL, 0 };
        if (smtpstatus__read_feedback(&none, &original, &dsn, &sink) > 0)
            dsn.kind = SMTPSTATUS_MESSAGE_FEEDBACK;
    }
    looks_like_bounce = ps.has_ds || ps.is_report || smtpstatus__looks_like_bounce(&b);
    b.presents_as_bounce = looks_like_bounce || smtpstatus__null_return_path(&b);
    if (sink.count == 0) {
        unsigned decoder = SMTPSTATUS_DECODER_NONE;
        int decode = 1;
        /* A message whose only sign of a bounce is its null Return-Path,
         * which RFC 3834 §3.1.5 asks of auto-replies too, and which says
         * it is an auto-reply: the generic decoder's "an address, then
         * some text" is weaker evidence than that. A dry run (a sink with
         * no room writes nothing) tells which decoder would read it. */
        if (!looks_like_bounce && b.presents_as_bounce && smtpstatus__auto_reply_signs(&b)) {
            struct smtpstatus__sink dry = sink;
            dry.capacity = 0;
            decode = smtpstatus__decode_text(&b, &dry, &decoder) > 0 &&
                     decoder != SMTPSTATUS_DECODER_GENERIC;
        }
        if (decode && smtpstatus__decode_text(&b, &sink, &decoder) > 0)
            dsn.kind = kind_of(&sink);
    }
    /* Bounces often carry "Auto-Submitted: auto-replied" too (RFC 3834
     * §2 asks it of them); only a message that is not one is an
     * auto-reply, or a mail client's unsubscribe request. */
    if (sink.count == 0 && !looks_like_bounce && smtpstatus__read_unsubscribe(&b, &sink) > 0)
        dsn.kind = SMTPSTATUS_MESSAGE_FEEDBACK;
    if (sink.count == 0 && !looks_like_bounce && smtpstatus__read_auto_reply(&b, &sink) > 0)
        dsn.kind = SMTPSTATUS_MESSAGE_AUTO_REPLY;

    dsn.decoder = sink.decoder;
    dsn.recipient_count = sink.count > UINT32_MAX ? UINT32_MAX : (uint32_t)sink.count;
    dsn.scratch_used = scratch.needed;
    *nrcpts = sink.count < sink.capacity ? sink.count : sink.capacity;
    smtpstatus__copy_out(out, out->size, &dsn, sizeof dsn);
    if (scratch.needed > scratch.size)
        return SMTPSTATUS_E_NO_SPACE;
    if (sink.count > sink.capacity)
        return SMTPSTATUS_E_TOO_MANY;
    return SMTPSTATUS_OK;
}
