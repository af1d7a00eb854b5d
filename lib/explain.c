/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Plain-words renderings of codes and replies, built from the registry
 * tables. Output goes through the bounded builder in textbuf.c, so every
 * call has snprintf() semantics and never allocates.
 */

#include "internal.h"

static const char *class_words(unsigned cls)
{
    switch (cls) {
    case 2:
        return "a success";
    case 4:
        return "a temporary failure (RFC 3463: persistent transient; sending later may succeed)";
    case 5:
        return "a permanent failure (RFC 3463: resending the same message will not succeed)";
    default:
        return "a code";
    }
}

/* Lower-case the first letter of a registry title for use mid-sentence
 * ("Security or Policy Status" reads as "security or policy status"). */
static void out_lower_title(struct smtpstatus__out *o, const char *s)
{
    for (; *s; s++) {
        char c = (char)smtpstatus__lower((unsigned char)*s);
        smtpstatus__out_bytes(o, &c, 1);
    }
}

/* Append a sentence, adding a final period when the data has none. */
static void out_sentence(struct smtpstatus__out *o, const char *s)
{
    size_t n = strlen(s);
    smtpstatus__out_bytes(o, s, n);
    if (n > 0 && s[n - 1] != '.' && s[n - 1] != '!' && s[n - 1] != '?')
        smtpstatus__out_bytes(o, ".", 1);
}

static void explain_code(struct smtpstatus__out *o, const struct smtpstatus_code_info *info)
{
    const struct smtpstatus_enhanced *code = &info->code;

    smtpstatus__out_code(o, code);
    if (info->flags & SMTPSTATUS_CODE_REGISTERED) {
        smtpstatus__out_str(o, " (");
        smtpstatus__out_str(o, info->title ? info->title : "no sample text");
        smtpstatus__out_str(o, ") is ");
    } else {
        smtpstatus__out_str(o, " is not in the IANA registry: detail ");
        smtpstatus__out_uint(o, code->detail);
        smtpstatus__out_str(o, " is provider-specific. By its class and subject it is ");
    }
    if (code->cls != 0)
        smtpstatus__out_str(o, class_words(code->cls));
    else
        smtpstatus__out_str(o, "a code of any class");
    if (info->subject_title) {
        smtpstatus__out_str(o, ", subject ");
        smtpstatus__out_uint(o, code->subject);
        smtpstatus__out_str(o, " (");
        out_lower_title(o, info->subject_title);
        smtpstatus__out_str(o, ")");
    } else {
        smtpstatus__out_str(o, ", with subject ");
        smtpstatus__out_uint(o, code->subject);
        smtpstatus__out_str(o, ", which RFC 3463 does not define");
    }
    smtpstatus__out_str(o, ". ");
    if (info->flags & SMTPSTATUS_CODE_REGISTERED)
        out_sentence(o, info->description);
    else if (info->subject_description)
        out_sentence(o, info->subject_description);
    if (info->replaced_by) {
        smtpstatus__out_str(o, " Deprecated: read it as ");
        smtpstatus__out_str(o, info->replaced_by);
        smtpstatus__out_str(o, ".");
    }
}

int smtpstatus_explain_enhanced(const struct smtpstatus_enhanced *code, char *buf, size_t size)
{
    struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
    struct smtpstatus__out o;
    int rc;

    if (code == NULL || (buf == NULL && size != 0))
        return SMTPSTATUS_E_INVALID_ARG;
    rc = smtpstatus_lookup_enhanced(code, &info);
    if (rc != SMTPSTATUS_OK)
        return rc;
    smtpstatus__out_init(&o, buf, size);
    explain_code(&o, &info);
    return smtpstatus__out_finish(&o);
}

static void explain_reply_code(struct smtpstatus__out *o, const struct smtpstatus_reply_info *info)
{
    smtpstatus__out_uint(o, info->code);
    if (info->kind != SMTPSTATUS_REPLY_KIND_UNKNOWN) {
        if (info->recommended_text && info->recommended_text[0]) {
            smtpstatus__out_str(o, " (\"");
            smtpstatus__out_str(o, info->recommended_text);
            smtpstatus__out_str(o, "\")");
        }
        smtpstatus__out_str(o, " is a ");
        smtpstatus__out_str(o, info->class_name ? info->class_name : "reply");
        smtpstatus__out_str(o, " reply. ");
        out_sentence(o, info->meaning);
        if (info->kind != SMTPSTATUS_REPLY_KIND_STANDARD) {
            smtpstatus__out_str(o, " It is ");
            smtpstatus__out_str(o, info->kind == SMTPSTATUS_REPLY_KIND_REGISTRY_ONLY
                                       ? "defined by no RFC, only listed in the IANA registry"
                                   : info->kind == SMTPSTATUS_REPLY_KIND_DRAFT ? "defined only in an Internet-Draft"
                                   : info->kind == SMTPSTATUS_REPLY_KIND_LEGACY ? "a pre-standard usage"
                                   : info->kind == SMTPSTATUS_REPLY_KIND_DEPRECATED ? "deprecated"
                                                                                   : "not defined by any standard");
            smtpstatus__out_str(o, ".");
        }
        return;
    }
    smtpstatus__out_str(o, " is not a defined reply code; RFC 5321 §4.2.1 reads it by its first digit");
    if (info->class_name) {
        smtpstatus__out_str(o, ": a ");
        smtpstatus__out_str(o, info->class_name);
        smtpstatus__out_str(o, " reply");
    }
    smtpstatus__out_str(o, ".");
}

int smtpstatus_explain_reply_code(unsigned code, char *buf, size_t size)
{
    struct smtpstatus_reply_info info = SMTPSTATUS_REPLY_INFO_INIT;
    struct smtpstatus__out o;
    int rc;

    if (buf == NULL && size != 0)
        return SMTPSTATUS_E_INVALID_ARG;
    rc = smtpstatus_lookup_reply_code(code, &info);
    if (rc != SMTPSTATUS_OK)
        return rc;
    smtpstatus__out_init(&o, buf, size);
    explain_reply_code(&o, &info);
    return smtpstatus__out_finish(&o);
}

static const struct {
    uint32_t bit;
    const char *words;
} anomaly_words[] = {
    { SMTPSTATUS_ANOMALY_CLASS_MISMATCH,
      "the enhanced code's class contradicts the reply code (RFC 2034 §3 requires them to agree; "
      "the reply code decides whether to retry)" },
    { SMTPSTATUS_ANOMALY_CODE_MISMATCH, "its lines carry different reply codes" },
    { SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH, "its lines carry different enhanced codes" },
    { SMTPSTATUS_ANOMALY_ENHANCED_IN_TEXT, "the enhanced code stands inside the text, not after the reply code" },
    { SMTPSTATUS_ANOMALY_UNREGISTERED, "the enhanced code is not registered with IANA" },
    { SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, "the registry does not list this reply code with this enhanced code" },
    { SMTPSTATUS_ANOMALY_UNKNOWN_CODE, "the reply code is not defined by a standard" },
    { SMTPSTATUS_ANOMALY_BARE_LF, "lines end in a bare LF" },
    { SMTPSTATUS_ANOMALY_LONG_LINE, "a line is longer than RFC 5321's 512 octets" },
    { SMTPSTATUS_ANOMALY_8BIT, "the text holds bytes outside printable ASCII" },
    { SMTPSTATUS_ANOMALY_ENHANCED_ON_3XX, "a 3xx reply carries an enhanced code" },
    { SMTPSTATUS_ANOMALY_TRUNCATED, "the reply is cut short after a continuation line" },
};

/* How a sentence names each stage (enum smtpstatus_stage order). */
static const char *const stage_words[] = {
    "an unknown command", "the connection greeting", "EHLO/HELO", "STARTTLS", "AUTH",
    "MAIL FROM", "RCPT TO", "the DATA command", "the end of the message data", "BDAT",
};

int smtpstatus_explain_reply(const char *input, size_t len, const struct smtpstatus_reply *reply,
                             char *buf, size_t size)
{
    struct smtpstatus_reply_info rinfo = SMTPSTATUS_REPLY_INFO_INIT;
    struct smtpstatus_code_info cinfo = SMTPSTATUS_CODE_INFO_INIT;
    struct smtpstatus__out o;
    int first = 1;

    (void)input;
    (void)len;
    if (reply == NULL || (buf == NULL && size != 0) || reply->size < SMTPSTATUS__REPLY_SIZE_V1)
        return SMTPSTATUS_E_INVALID_ARG;
    if (smtpstatus_lookup_reply_code(reply->code, &rinfo) != SMTPSTATUS_OK)
        return SMTPSTATUS_E_INVALID_ARG;
    smtpstatus__out_init(&o, buf, size);
    smtpstatus__out_str(&o, "Reply ");
    explain_reply_code(&o, &rinfo);
    if (reply->has_enhanced && smtpstatus_lookup_enhanced(&reply->enhanced, &cinfo) == SMTPSTATUS_OK) {
        smtpstatus__out_str(&o, " Enhanced code ");
        explain_code(&o, &cinfo);
    } else if (reply->code / 100 != 3) {
        smtpstatus__out_str(&o, " The reply carries no enhanced status code.");
    }
    if (reply->stage != SMTPSTATUS_STAGE_UNKNOWN && reply->stage < sizeof stage_words / sizeof stage_words[0]) {
        smtpstatus__out_str(&o, " It answered ");
        smtpstatus__out_str(&o, stage_words[reply->stage]);
        smtpstatus__out_str(&o, ".");
    }
    for (size_t i = 0; i < sizeof anomaly_words / sizeof anomaly_words[0]; i++) {
        if (!(reply->anomalies & anomaly_words[i].bit))
            continue;
        smtpstatus__out_str(&o, first ? " Note: " : "; ");
        smtpstatus__out_str(&o, anomaly_words[i].words);
        first = 0;
    }
    if (!first)
        smtpstatus__out_str(&o, ".");
    return smtpstatus__out_finish(&o);
}

static const char *party_words(unsigned party)
{
    switch (party) {
    case SMTPSTATUS_PARTY_RECIPIENT:
        return "the recipient";
    case SMTPSTATUS_PARTY_RECIPIENT_SYSTEM:
        return "the recipient's mail system";
    case SMTPSTATUS_PARTY_NETWORK:
        return "the network (DNS or connectivity)";
    case SMTPSTATUS_PARTY_SENDER_SETUP:
        return "the sender's setup";
    case SMTPSTATUS_PARTY_SENDER_REPUTATION:
        return "the sender's reputation";
    case SMTPSTATUS_PARTY_CONTENT:
        return "the message content";
    default:
        return "unclear";
    }
}

static const char *outcome_words(const struct smtpstatus_verdict *v)
{
    switch (v->outcome) {
    case SMTPSTATUS_OUTCOME_SUCCESS:
        return "Success";
    case SMTPSTATUS_OUTCOME_INTERMEDIATE:
        return "Intermediate reply (the server waits for more)";
    case SMTPSTATUS_OUTCOME_TRANSIENT:
        return "Temporary failure (soft bounce)";
    case SMTPSTATUS_OUTCOME_PERMANENT:
        return v->bounce == SMTPSTATUS_BOUNCE_HARD ? "Permanent failure (hard bounce)"
                                                    : "Permanent failure (soft bounce: the address is not at fault)";
    default:
        return "Failure of unknown class";
    }
}

static void out_duration(struct smtpstatus__out *o, uint32_t secs)
{
    if (secs % 86400u == 0) {
        smtpstatus__out_uint(o, secs / 86400u);
        smtpstatus__out_str(o, secs == 86400u ? " day" : " days");
    } else if (secs % 3600u == 0) {
        smtpstatus__out_uint(o, secs / 3600u);
        smtpstatus__out_str(o, secs == 3600u ? " hour" : " hours");
    } else if (secs % 60u == 0) {
        smtpstatus__out_uint(o, secs / 60u);
        smtpstatus__out_str(o, secs == 60u ? " minute" : " minutes");
    } else {
        smtpstatus__out_uint(o, secs);
        smtpstatus__out_str(o, secs == 1 ? " second" : " seconds");
    }
}

/* The matched bytes, quoted, with anything that is not printable ASCII
 * replaced, so the paragraph stays one clean line. */
static void out_quoted(struct smtpstatus__out *o, const char *input, size_t len,
                       const struct smtpstatus_span *span)
{
    size_t n = span->len > 80 ? 80 : span->len;

    if (input == NULL || span->off > len || len - span->off < n)
        return;
    smtpstatus__out_str(o, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)input[span->off + i];
        char ch = (c >= 0x20 && c < 0x7F) ? (char)c : (c >= 0x80 ? (char)c : ' ');
        smtpstatus__out_bytes(o, &ch, 1);
    }
    smtpstatus__out_str(o, "\"");
}

int smtpstatus_explain_verdict(const char *input, size_t len, const struct smtpstatus_verdict *v,
                               char *buf, size_t size)
{
    struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
    struct smtpstatus__out o;

    if (v == NULL || (buf == NULL && size != 0) || (input == NULL && len != 0) ||
        v->size < sizeof *v)
        return SMTPSTATUS_E_INVALID_ARG;
    if (smtpstatus_reason_info((int)v->reason, &info) != SMTPSTATUS_OK)
        smtpstatus_reason_info(SMTPSTATUS_REASON_UNKNOWN, &info);
    smtpstatus__out_init(&o, buf, size);
    smtpstatus__out_str(&o, outcome_words(v));
    smtpstatus__out_str(&o, ": ");
    out_sentence(&o, info.title);
    if (v->outcome != SMTPSTATUS_OUTCOME_SUCCESS && v->outcome != SMTPSTATUS_OUTCOME_INTERMEDIATE) {
        smtpstatus__out_str(&o, " ");
        out_sentence(&o, info.meaning);
    }
    if (v->evidence_count > 0) {
        const struct smtpstatus_evidence *e = &v->evidence[0];
        smtpstatus__out_str(&o, " Evidence: ");
        switch (e->kind) {
        case SMTPSTATUS_EVIDENCE_PROVIDER:
            smtpstatus__out_str(&o, "a rule for ");
            smtpstatus__out_str(&o, v->provider ? v->provider : "the provider");
            break;
        case SMTPSTATUS_EVIDENCE_TEXT:
            smtpstatus__out_str(&o, "the text");
            break;
        case SMTPSTATUS_EVIDENCE_ENHANCED_CODE:
            smtpstatus__out_str(&o, "the enhanced status code");
            break;
        case SMTPSTATUS_EVIDENCE_REPLY_CODE:
            smtpstatus__out_str(&o, "the reply code");
            break;
        case SMTPSTATUS_EVIDENCE_STAGE:
            smtpstatus__out_str(&o, "the command it answered, ");
            smtpstatus__out_str(&o, smtpstatus_stage_name((int)v->stage));
            break;
        default:
            smtpstatus__out_str(&o, "the class");
            break;
        }
        if (e->span.len > 0) {
            smtpstatus__out_str(&o, " ");
            out_quoted(&o, input, len, &e->span);
        }
        smtpstatus__out_str(&o, " (rule ");
        smtpstatus__out_str(&o, e->rule ? e->rule : "?");
        if (e->source) {
            smtpstatus__out_str(&o, "; ");
            smtpstatus__out_str(&o, e->source);
        }
        smtpstatus__out_str(&o, "; confidence ");
        smtpstatus__out_uint(&o, e->confidence);
        smtpstatus__out_str(&o, "%).");
    }
    if (v->outcome == SMTPSTATUS_OUTCOME_SUCCESS || v->outcome == SMTPSTATUS_OUTCOME_INTERMEDIATE)
        return smtpstatus__out_finish(&o);
    smtpstatus__out_str(&o, " Likely causes: ");
    out_sentence(&o, info.causes);
    smtpstatus__out_str(&o, " Who must act: ");
    smtpstatus__out_str(&o, party_words(v->party));
    smtpstatus__out_str(&o, ". What to do: ");
    out_sentence(&o, info.remedy);
    if (v->retry_after) {
        smtpstatus__out_str(&o, " Next try: in ");
        out_duration(&o, v->retry_after);
        smtpstatus__out_str(&o, (v->flags & SMTPSTATUS_VERDICT_DELAY_FROM_TEXT) ? " (as the server asked)."
                                                                               : ".");
    }
    if (v->flags & SMTPSTATUS_VERDICT_552_AS_452)
        smtpstatus__out_str(&o, " The 552 is read as a temporary 452, as RFC 5321 section 4.5.3.1.10 asks.");
    if (v->flags & SMTPSTATUS_VERDICT_CLASS_MISMATCH)
        smtpstatus__out_str(&o, " The enhanced code's class contradicts the reply code; the reply code decides (RFC 2034).");
    return smtpstatus__out_finish(&o);
}
