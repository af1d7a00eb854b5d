/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Reports that are not bounces: feedback-loop complaints (ARF, RFC 5965)
 * and automatic replies (RFC 3834). They are reported as what they are,
 * with a reason (complaint, auto_reply) and no bounce.
 */

#include "report.h"

size_t smtpstatus__read_feedback(const struct smtpstatus_text *report,
                                 const struct smtpstatus_text *original, struct smtpstatus_dsn *dsn,
                                 struct smtpstatus__sink *sink)
{
    struct smtpstatus_text name, value;
    size_t cursor = 0, before = sink->count;
    struct smtpstatus__found f;

    memset(&f, 0, sizeof f);
    f.has_forced_reason = 1;
    f.forced_reason = SMTPSTATUS_REASON_COMPLAINT;
    f.fields = *report;
    /* RFC 5965 §3.2: Original-Rcpt-To may repeat, once per recipient;
     * Removal-Recipient (§3.3) names who asked to be removed. */
    while (report->ptr &&
           smtpstatus__field_next(report->ptr, report->len, &cursor, &name, &value) == SMTPSTATUS_OK) {
        if (smtpstatus__text_is(&name, "feedback-type") && dsn->feedback_type.len == 0)
            dsn->feedback_type = value;
        else if (smtpstatus__text_is(&name, "reporting-mta") && dsn->reporting_mta.len == 0)
            dsn->reporting_mta = value;
        else if (smtpstatus__text_is(&name, "arrival-date") && dsn->arrival_date.len == 0)
            dsn->arrival_date = value;
    }
    cursor = 0;
    while (report->ptr &&
           smtpstatus__field_next(report->ptr, report->len, &cursor, &name, &value) == SMTPSTATUS_OK) {
        if (smtpstatus__text_is(&name, "original-rcpt-to") ||
            smtpstatus__text_is(&name, "removal-recipient")) {
            struct smtpstatus_text addr;
            if (smtpstatus__find_address(value.ptr, value.len, 0, &addr)) {
                f.recipient = addr;
                smtpstatus__emit(sink, &f, SMTPSTATUS_DECODER_ARF);
            }
        }
    }
    /* None named: the recipients of the reported message. Microsoft's
     * complaint loop (JMRP) names the one who complained in a header of the
     * reported message, X-HmXmrOriginalRecipient. */
    if (sink->count == before && original && original->ptr) {
        size_t hdr_len;
        size_t at = 0;
        struct smtpstatus_text addr;
        smtpstatus__split_headers(original->ptr, original->len, &hdr_len);
        if (smtpstatus__field_find(original->ptr, hdr_len, "x-hmxmroriginalrecipient", &value) &&
            smtpstatus__find_address(value.ptr, value.len, 0, &addr)) {
            f.recipient = addr;
            smtpstatus__emit(sink, &f, SMTPSTATUS_DECODER_ARF);
        } else if (smtpstatus__field_find(original->ptr, hdr_len, "to", &value))
            while ((at = smtpstatus__find_address(value.ptr, value.len, at, &addr)) != 0) {
                f.recipient = addr;
                smtpstatus__emit(sink, &f, SMTPSTATUS_DECODER_ARF);
            }
    }
    /* A complaint with no address at all is still one complaint. */
    if (sink->count == before) {
        f.recipient.ptr = NULL;
        f.recipient.len = 0;
        smtpstatus__emit(sink, &f, SMTPSTATUS_DECODER_ARF);
    }
    return sink->count - before;
}

/* RFC 3834 §5: Auto-Submitted other than "no" marks an automatic message;
 * "auto-replied" a reply. Older responders say X-Autoreply, X-Autorespond,
 * or Precedence: auto_reply; many only say it in the Subject. */
int smtpstatus__auto_reply_signs(const struct smtpstatus__bounce *b)
{
    static const char *const subjects[] = {
        "out of office", "out of the office", "auto:", "automatic reply", "auto reply",
        "autoreply", "auto-reply", "auto response", "autoresponse", "vacation", "away from",
        "i am away", "abwesenheit", "r\xc3\xa9ponse automatique", "absence", "automatische antwort",
        "respuesta autom\xc3\xa1tica", "risposta automatica", "afwezig",
    };
    struct smtpstatus_text v;
    const char *h = b->headers.ptr;
    size_t n = b->headers.len;

    if (h == NULL)
        return 0;
    if (smtpstatus__field_find(h, n, "auto-submitted", &v) &&
        smtpstatus__find_nocase(v.ptr, v.len, 0, "auto-replied") < v.len)
        return 1;
    if (smtpstatus__field_find(h, n, "x-autoreply", &v) || smtpstatus__field_find(h, n, "x-autorespond", &v) ||
        smtpstatus__field_find(h, n, "x-autoresponder", &v))
        return 1;
    if (smtpstatus__field_find(h, n, "precedence", &v) &&
        smtpstatus__find_nocase(v.ptr, v.len, 0, "auto_reply") < v.len)
        return 1;
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++)
        if (b->subject.ptr && smtpstatus__find_nocase(b->subject.ptr, b->subject.len, 0, subjects[i]) < b->subject.len)
            return 1;
    return 0;
}

/* One recipient, the message's sender, with a reason the kind of message
 * decides (an auto-reply: the one who is away; an unsubscribe request:
 * the one who asks to leave); the Subject as the words. */
static size_t emit_sender(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink,
                          uint32_t reason, unsigned decoder)
{
    struct smtpstatus__found f;
    struct smtpstatus_text addr;

    memset(&f, 0, sizeof f);
    f.has_forced_reason = 1;
    f.forced_reason = reason;
    f.diagnostic = b->subject;
    if (b->from.ptr && smtpstatus__find_address(b->from.ptr, b->from.len, 0, &addr))
        f.recipient = addr;
    smtpstatus__emit(sink, &f, decoder);
    return 1;
}

size_t smtpstatus__read_auto_reply(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink)
{
    if (!smtpstatus__auto_reply_signs(b))
        return 0;
    return emit_sender(b, sink, SMTPSTATUS_REASON_AUTO_REPLY, SMTPSTATUS_DECODER_RFC3834);
}

/* Apple Mail's unsubscribe button sends a message to the mailto: address
 * of the list's List-Unsubscribe header (RFC 2369 §3.2) and marks it
 * "X-Apple-Unsubscribe: true". It also says Auto-Submitted: auto-replied,
 * so it is read before the auto-reply signs. The sender is the recipient
 * who asked to leave. */
size_t smtpstatus__read_unsubscribe(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink)
{
    struct smtpstatus_text v;

    if (b->headers.ptr == NULL ||
        !smtpstatus__field_find(b->headers.ptr, b->headers.len, "x-apple-unsubscribe", &v) ||
        !smtpstatus__match_nocase(v.ptr, v.len, smtpstatus__skip_blanks(v.ptr, 0, v.len), "true"))
        return 0;
    return emit_sender(b, sink, SMTPSTATUS_REASON_UNSUBSCRIBE_REQUEST, SMTPSTATUS_DECODER_UNSUBSCRIBE);
}
