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
