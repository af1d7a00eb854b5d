/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Each recipient a decoder finds goes through here: its diagnostic is read
 * as a reply (leniently), the classifier gives the verdict, the DSN's own
 * facts (Action, Status) adjust it, and the result is written into the
 * caller's array at the caller's stride.
 */

#include "lines.h"
#include "text-hints.h"

/* Whether the verdict rests on words or a code that say why delivery
 * failed: a phrase, a provider's documented reply, or a registered code
 * specific enough to be trusted on its own (conf 80 and up: X.2.2 mailbox
 * full, X.4.6 routing loop; not X.s.0 or the subject defaults). */
static int names_a_cause(const struct smtpstatus_verdict *v)
{
    /* A stage that turned the reason rests on the evidence after it. */
    uint32_t top = v->evidence_count > 1 && v->evidence[0].kind == SMTPSTATUS_EVIDENCE_STAGE;

    if (v->evidence_count == 0 || v->confidence < 70)
        return 0;
    if (v->evidence[top].kind != SMTPSTATUS_EVIDENCE_TEXT &&
        v->evidence[top].kind != SMTPSTATUS_EVIDENCE_PROVIDER &&
        !(v->evidence[top].kind == SMTPSTATUS_EVIDENCE_ENHANCED_CODE && v->confidence >= 80))
        return 0;
    switch (v->reason) {
    case SMTPSTATUS_REASON_UNKNOWN:
    case SMTPSTATUS_REASON_CONNECTION_FAILURE:
    case SMTPSTATUS_REASON_EXPIRED:
        return 0;
    default:
        return 1;
    }
}

/* The longest diagnostic read through an unfolded copy (lines.h
 * smtpstatus__unfold()); a longer one is read as it is. */
#define UNFOLD_MAX 1024

/* A reply code that a gateway writes behind a label rather than at the
 * start of the reply: Zoho's "Invalid Address, ERROR_CODE :550, ERROR_CODE
 * :5.1.1 ..." and "ResponseCode 421, , Host not reachable.", or "error
 * code 550" in other gateways' prose. The code must be a reply code of
 * RFC 5321 §4.2 form ([2-5][0-5][0-9]) standing alone. 0 if none. */
static unsigned labelled_reply_code(const char *t, size_t len)
{
    static const char *const labels[] = { "error_code", "responsecode", "response code", "error code",
                                          "reply code" };

    /* Every label ends in "code": one search of the diagnostic rules them
     * all out when it is not there, as for most diagnostics. */
    if (smtpstatus__find_nocase_n(t, len, 0, "code", 4) == len)
        return 0;
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t n = strlen(labels[k]), at = smtpstatus__find_nocase_n(t, len, 0, labels[k], n);
        if (at == len)
            continue;
        at += n;
        while (at < len && (t[at] == ' ' || t[at] == ':' || t[at] == '='))
            at++;
        if (len - at >= 3 && t[at] >= '2' && t[at] <= '5' && t[at + 1] >= '0' && t[at + 1] <= '5' &&
            t[at + 2] >= '0' && t[at + 2] <= '9' &&
            (len - at == 3 || !((t[at + 3] >= '0' && t[at + 3] <= '9') || t[at + 3] == '.')))
            return (unsigned)((t[at] - '0') * 100 + (t[at + 1] - '0') * 10 + (t[at + 2] - '0'));
    }
    return 0;
}

static void classify(const struct smtpstatus__found *f, struct smtpstatus__text_hints *hints,
                     struct smtpstatus_dsn_recipient *r)
{
    struct smtpstatus_classify_input in = SMTPSTATUS_CLASSIFY_INPUT_INIT;
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    struct smtpstatus_verdict *v = &r->verdict;
    int have_reply = 0, program_failed = 0;
    struct smtpstatus_text words = f->diagnostic;
    int program_diagnostic = smtpstatus__text_is(&f->diagnostic_type, "x-unix");
    char converted[UNFOLD_MAX];
    uint16_t map[UNFOLD_MAX];
    size_t unfolded = 0;

    if (words.len == 0 && f->status_comment.len == 0 && hints != NULL) {
        /* No Diagnostic-Code and no comment on the Status: the text for
         * people may hold the server's words for this recipient. */
        const struct smtpstatus__found *tf = smtpstatus__hint_found(hints, &f->recipient);
        if (tf != NULL && tf->diagnostic.len > 0) {
            words = tf->diagnostic;
            program_diagnostic = smtpstatus__text_is(&tf->diagnostic_type, "x-unix");
            if (r->stage == SMTPSTATUS_STAGE_UNKNOWN)
                r->stage = tf->stage;
        }
    }
    in.text = words.ptr;
    in.text_len = words.len;
    if (smtpstatus__is_iso2022jp(words.ptr, words.len)) {
        /* Japanese carriers and Domino write ISO-2022-JP; the classifier's
         * Japanese phrases are UTF-8. The first 1 KiB converted is read. */
        in.text = converted;
        in.text_len = smtpstatus__iso2022jp_to_utf8(words.ptr, words.len, converted, sizeof converted);
    } else if ((unfolded = smtpstatus__unfold(words.ptr, words.len, converted, map, UNFOLD_MAX)) > 0) {
        in.text = converted;
        in.text_len = unfolded;
    }
    if (words.len == 0 && f->status_comment.len > 0) {
        /* No diagnostic: the Status field's comment may name the cause
         * (RFC 3464's own example: "4.0.0 (host name lookup failure)"). */
        in.text = f->status_comment.ptr;
        in.text_len = f->status_comment.len;
    }
    /* An X-Unix diagnostic is what a local delivery program (a pipe to a
     * script, procmail) said, often only its exit status ("X-Unix; 255"):
     * never an SMTP reply, whatever its digits look like. */
    if (words.len > 0 && !program_diagnostic &&
        smtpstatus_parse_reply(words.ptr, words.len, SMTPSTATUS_REPLY_LENIENT, &reply) == SMTPSTATUS_OK) {
        have_reply = 1;
        in.reply_code = reply.code;
        r->reply_code = reply.code;
        if (r->stage == SMTPSTATUS_STAGE_UNKNOWN)
            r->stage = reply.stage;
    }
    if (!have_reply && words.len > 0 && !program_diagnostic) {
        unsigned code = labelled_reply_code(words.ptr, words.len);
        if (code != 0) {
            in.reply_code = code;
            r->reply_code = (uint16_t)code;
        }
    }
    if (r->stage == SMTPSTATUS_STAGE_UNKNOWN && hints != NULL)
        r->stage = smtpstatus__hint_stage(hints, &f->recipient);
    /* The Status field is the reporting MTA's summary; the remote server's
     * own code in the diagnostic names the cause more closely when the two
     * agree on the class but not on the rest: Sendmail writes 5.1.1 for any
     * 550 to RCPT ("550 5.2.2 Over quota" is a full mailbox) and 4.4.7 for
     * a queue timeout whose last reply was "450 4.7.1 Access denied". A
     * different class (a 5.x.x Status over a 4xx reply: the MTA gave up)
     * keeps the Status, which is then the outcome. */
    if (f->has_status &&
        !(have_reply && reply.has_enhanced && reply.enhanced.cls == f->status.cls)) {
        in.has_enhanced = true;
        in.enhanced = f->status;
    } else if (have_reply && reply.has_enhanced) {
        in.has_enhanced = true;
        in.enhanced = reply.enhanced;
    }
    /* A Status of X.0.0 says only the class. A code of that class
     * elsewhere in the diagnostic says more, also where no reply parser
     * would look for it: Amazon SES puts it ahead of the reply ("5.3.0 -
     * Other mail system problem 550-'Unknown user ...'"). */
    if (f->has_status && f->status.subject == 0 && f->status.detail == 0 &&
        !(have_reply && reply.has_enhanced) && words.len > 0 && !program_diagnostic) {
        struct smtpstatus_enhanced found;
        struct smtpstatus_span where;
        if (smtpstatus_find_enhanced(words.ptr, words.len, 0, &found, &where) == SMTPSTATUS_OK &&
            found.cls == f->status.cls && (found.subject != 0 || found.detail != 0))
            in.enhanced = found;
    }
    if (f->has_status && have_reply && reply.has_enhanced &&
        smtpstatus_compare_enhanced(&f->status, &reply.enhanced) != 0)
        r->flags |= SMTPSTATUS_DSN_STATUS_MISMATCH;
    if (f->has_status && have_reply && reply.code / 100 != f->status.cls)
        r->flags |= SMTPSTATUS_DSN_STATUS_MISMATCH;
    /* No reply in the diagnostic, but perhaps a code ("#5.1.1"). */
    if (!in.has_enhanced && !f->has_status && words.len > 0) {
        struct smtpstatus_span where;
        if (smtpstatus_find_enhanced(words.ptr, words.len, 0, &in.enhanced,
                                     &where) == SMTPSTATUS_OK)
            in.has_enhanced = true;
    }
    if (!r->has_status && in.has_enhanced) {
        r->has_status = true;
        r->status = in.enhanced;
    }
    in.stage = r->stage;
    if (f->remote_mta.len > 0) {
        in.host = f->remote_mta.ptr;
        in.host_len = f->remote_mta.len;
    } else if (f->recipient.len > 0) {
        const char *at = memchr(f->recipient.ptr, '@', f->recipient.len);
        if (at) {
            in.host = at + 1;
            in.host_len = f->recipient.len - (size_t)(at + 1 - f->recipient.ptr);
        }
    }
    smtpstatus_classify(&in, v);
    if (unfolded > 0 && words.ptr == f->diagnostic.ptr) {
        /* Spans in the unfolded copy, back to `diagnostic`. */
        for (uint32_t i = 0; i < v->evidence_count; i++) {
            struct smtpstatus_span *sp = &v->evidence[i].span;
            if (sp->len == 0 || sp->off + sp->len > unfolded)
                continue;
            sp->len = (size_t)map[sp->off + sp->len - 1] + 1 - map[sp->off];
            sp->off = map[sp->off];
        }
    } else if (in.text != f->diagnostic.ptr || words.ptr != f->diagnostic.ptr) {
        /* The Status comment, a converted copy or the text for people
         * spoke: its spans are not in `diagnostic`. */
        for (uint32_t i = 0; i < v->evidence_count; i++) {
            v->evidence[i].span.off = 0;
            v->evidence[i].span.len = 0;
        }
    }
    /* A delivery to a program: an X-Unix diagnostic, or a recipient that is
     * a pipe ("|/usr/bin/procmail", as an alias or .forward expands). Its
     * Status is the MTA's translation of an exit code (sendmail's 4.5.0
     * for EX_SOFTWARE), not a server's word. */
    if ((program_diagnostic || (f->recipient.len > 0 && f->recipient.ptr[0] == '|')) &&
        !names_a_cause(v) &&
        (v->outcome == SMTPSTATUS_OUTCOME_PERMANENT || v->outcome == SMTPSTATUS_OUTCOME_TRANSIENT)) {
        /* Nothing more specific in its words: the recipient's own delivery
         * program failed, a fault of the receiving system. */
        struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
        smtpstatus_reason_info(SMTPSTATUS_REASON_SYSTEM_ERROR, &info);
        v->reason = SMTPSTATUS_REASON_SYSTEM_ERROR;
        v->party = info.party;
        v->action = v->outcome == SMTPSTATUS_OUTCOME_PERMANENT ? info.permanent_action
                                                                : info.transient_action;
        v->sisimai_reason = "mailererror";
        v->powermta_category = info.powermta_category;
        v->sparkpost_class = info.sparkpost_class;
        program_failed = 1;
    }

    if (f->has_forced_reason) {
        struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
        smtpstatus_reason_info((int)f->forced_reason, &info);
        v->reason = f->forced_reason;
        v->outcome = SMTPSTATUS_OUTCOME_UNKNOWN;
        v->bounce = SMTPSTATUS_BOUNCE_NONE;
        v->party = info.party;
        v->action = info.transient_action;
        v->retry_after = 0;
        /* A decoder that knows its MTA's own words for a failure (IMail's
         * "Delivery failed 20 attempts") names the reason of a bounce;
         * complaints and auto-replies are not bounces at all. */
        if (f->action == SMTPSTATUS_DSN_ACTION_FAILED) {
            v->outcome = SMTPSTATUS_OUTCOME_PERMANENT;
            v->bounce = info.address_dead ? SMTPSTATUS_BOUNCE_HARD : SMTPSTATUS_BOUNCE_SOFT;
            v->action = info.permanent_action;
        }
        v->confidence = 100;
        v->sisimai_reason = info.sisimai_reason;
        v->powermta_category = info.powermta_category;
        v->sparkpost_class = info.sparkpost_class;
        return;
    }

    switch (f->action) {
    case SMTPSTATUS_DSN_ACTION_DELIVERED:
    case SMTPSTATUS_DSN_ACTION_RELAYED:
    case SMTPSTATUS_DSN_ACTION_EXPANDED:
        /* RFC 3464 §2.3.3: a success, whatever the codes say. */
        v->outcome = SMTPSTATUS_OUTCOME_SUCCESS;
        v->reason = SMTPSTATUS_REASON_DELIVERED;
        v->bounce = SMTPSTATUS_BOUNCE_NONE;
        v->action = SMTPSTATUS_ACTION_NONE;
        v->retry_after = 0;
        v->sisimai_reason = "delivered";
        break;
    case SMTPSTATUS_DSN_ACTION_DELAYED:
        if (v->outcome == SMTPSTATUS_OUTCOME_PERMANENT || v->outcome == SMTPSTATUS_OUTCOME_UNKNOWN) {
            v->outcome = SMTPSTATUS_OUTCOME_TRANSIENT;
            v->bounce = SMTPSTATUS_BOUNCE_SOFT;
        }
        /* Still being retried: the reason stays the cause, but in sisimai's
         * taxonomy a delay without a named cause is "expired". */
        if (!names_a_cause(v) && !program_failed)
            v->sisimai_reason = "expired";
        break;
    case SMTPSTATUS_DSN_ACTION_FAILED:
        /* The reporting MTA has given up. A failure with a transient code
         * means its queue ran out of time (RFC 3464 §2.3.3 note): the
         * delivery expired, unless the text names a cause on the
         * recipient's or the sender's side (a full mailbox, a block, a
         * fault of the receiving system, a DNS failure that lasted the
         * whole retry period), which is what the sender needs to know. A
         * connection that could not be made is what expiry usually
         * means, so it reads as expired, also when the MTA turned it into
         * a 5.x.x of its own as it gave up (Microsoft's "5.4.316 Message
         * expired, connection refused"); the cause stays in the evidence
         * either way. */
        if (v->outcome == SMTPSTATUS_OUTCOME_TRANSIENT && (names_a_cause(v) || program_failed)) {
            v->outcome = SMTPSTATUS_OUTCOME_PERMANENT;
        } else if (v->outcome == SMTPSTATUS_OUTCOME_TRANSIENT ||
                   v->reason == SMTPSTATUS_REASON_CONNECTION_FAILURE) {
            struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
            v->outcome = SMTPSTATUS_OUTCOME_PERMANENT;
            v->reason = SMTPSTATUS_REASON_EXPIRED;
            smtpstatus_reason_info(SMTPSTATUS_REASON_EXPIRED, &info);
            v->party = info.party;
            v->action = info.permanent_action;
            v->bounce = SMTPSTATUS_BOUNCE_SOFT;
            v->retry_after = 0;
            v->sisimai_reason = info.sisimai_reason;
            v->powermta_category = info.powermta_category;
            v->sparkpost_class = info.sparkpost_class;
        }
        break;
    default:
        break;
    }
}

void smtpstatus__emit(struct smtpstatus__sink *sink, const struct smtpstatus__found *f,
                      unsigned decoder)
{
    struct smtpstatus_dsn_recipient r;

    if (sink->count == 0)
        sink->decoder = decoder;
    if (sink->found != NULL) {
        if (sink->count < sink->capacity)
            sink->found[sink->count] = *f;
        sink->count++;
        return;
    }
    if (sink->count >= sink->capacity) {
        sink->count++;
        return;
    }
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.verdict.size = sizeof r.verdict;
    r.recipient = f->recipient;
    /* Exim names a failed delivery to a pipe or a file in Final-Recipient
     * ("|/usr/local/bin/filter", "/var/mail/spool/..."), which is where an
     * alias or .forward led, not the address the sender wrote; that one is
     * in X-Failed-Recipients. The raw field stays in `fields`. */
    if (sink->hints != NULL && f->recipient.len > 0 &&
        (f->recipient.ptr[0] == '|' || f->recipient.ptr[0] == '/'))
        (void)smtpstatus__hint_failed_address(sink->hints, &r.recipient);
    r.recipient_type = f->recipient_type;
    r.original_recipient = f->original_recipient;
    r.action = f->action;
    r.flags = f->flags;
    r.decoder = decoder;
    r.stage = f->stage;
    r.has_status = f->has_status != 0;
    r.status = f->status;
    r.remote_mta = f->remote_mta;
    r.diagnostic = f->diagnostic;
    r.diagnostic_type = f->diagnostic_type;
    r.last_attempt_date = f->last_attempt_date;
    r.will_retry_until = f->will_retry_until;
    r.final_log_id = f->final_log_id;
    r.fields = f->fields;
    classify(f, sink->hints, &r);
    smtpstatus__copy_out(sink->base + sink->count * sink->stride, sink->stride, &r, sizeof r);
    sink->count++;
}
