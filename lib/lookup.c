/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Lookups in the tables that lib/gen/gen-tables.py generates at build time
 * from lib/data/. The tables are static const (in .rodata, no relocations:
 * strings are uint16_t offsets into one pool), so lookups need no
 * initialisation and are safe from any thread.
 */

#include "internal.h"

#include "smtpstatus-tables.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *smtpstatus__string(uint16_t off)
{
    return off == 0 ? NULL : SMTPSTATUS__POOL + off;
}

const char *smtpstatus_registry_version(void)
{
    return SMTPSTATUS__REGISTRY_DATE;
}

const struct smtpstatus__code_row *smtpstatus__find_code(unsigned subject, unsigned detail)
{
    /* One load in the generated index: the reply parser looks up the code
     * of every reply it parses. */
    unsigned row;

    if (subject >= SMTPSTATUS__CODE_SUBJECTS || detail >= SMTPSTATUS__CODE_DETAILS)
        return NULL;
    row = smtpstatus__code_index[subject][detail];
    return row == 0 ? NULL : &smtpstatus__codes[row - 1];
}

const struct smtpstatus__reply_row *smtpstatus__find_reply(unsigned code)
{
    /* The index holds each code's first row, its RFC 5321 meaning. */
    unsigned row;

    if (code < 100 || code >= 100 + COUNT(smtpstatus__reply_index))
        return NULL;
    row = smtpstatus__reply_index[code - 100];
    return row == 0 ? NULL : &smtpstatus__replies[row - 1];
}

/* smtpstatus__basic_allows() with the reply's class given, for inlining. */
static inline int basic_allows(const struct smtpstatus__code_row *row, unsigned reply, unsigned cls)
{
    if (row->flags & SMTPSTATUS_CODE_ANY_REPLY)
        return 1;
    /* A basic code below 10 is a class wildcard (4XX, 5XX). */
    for (unsigned i = 0; i < row->basic_count; i++) {
        unsigned b = row->basic[i];
        if (b == reply || (b < 10 && b == cls))
            return 1;
    }
    return row->basic_count == 0;
}

int smtpstatus__basic_allows(const struct smtpstatus__code_row *row, unsigned reply)
{
    return basic_allows(row, reply, reply / 100);
}

/* The reply parser asks this of every reply: a few loads in tables that
 * gen-tables.py derives from the two registries. The code's entry holds
 * all that depends on the code alone (the anomalies without an enhanced
 * code, or with one before the code's own tests, the class to test and
 * the code's column); the enhanced code's pairing mask says both whether
 * it is registered (entry 0 is not) and whether its row allows the reply
 * (smtpstatus__basic_allows() as a bit). */
uint32_t smtpstatus__registry_anomalies(unsigned code, const struct smtpstatus_enhanced *enhanced)
{
    unsigned cls, row = 0;
    uint32_t entry, a;
    uint64_t pairs;

    /* The parser's codes are 200 to 599; the tables cover 100 to 599. */
    if (code - 100u >= COUNT(smtpstatus__reply_registry))
        return smtpstatus__registry_anomalies_plain(code, enhanced);
    entry = smtpstatus__reply_registry[code - 100u];
    if (enhanced == NULL)
        return entry >> 24;
    a = entry & 0xFFFu;
    cls = (entry >> 12) & 7u; /* 0 for a 3xx: ENHANCED_ON_3XX instead */
    if (cls != 0 && enhanced->cls != cls)
        a |= SMTPSTATUS_ANOMALY_CLASS_MISMATCH;
    if (enhanced->subject < SMTPSTATUS__CODE_SUBJECTS && enhanced->detail < SMTPSTATUS__CODE_DETAILS)
        row = smtpstatus__code_index[enhanced->subject][enhanced->detail];
    pairs = smtpstatus__code_pairs[row];
    if (pairs == 0)
        a |= SMTPSTATUS_ANOMALY_UNREGISTERED;
    else if (((pairs >> ((entry >> 16) & 63u)) & 1u) == 0)
        a |= SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING;
    return a;
}

/* smtpstatus__registry_anomalies() as it was written before its tables:
 * the definition the tests compare it with. */
uint32_t smtpstatus__registry_anomalies_plain(unsigned code, const struct smtpstatus_enhanced *enhanced)
{
    uint32_t a = 0;
    const struct smtpstatus__reply_row *reply = smtpstatus__find_reply(code);
    const struct smtpstatus__code_row *row;
    unsigned cls = code / 100;

    if (reply == NULL || code % 100 >= 60 ||
        (reply->kind != SMTPSTATUS_REPLY_KIND_STANDARD && reply->kind != SMTPSTATUS_REPLY_KIND_DEPRECATED))
        a |= SMTPSTATUS_ANOMALY_UNKNOWN_CODE;
    if (enhanced == NULL)
        return cls != 3 ? a | SMTPSTATUS_ANOMALY_NO_ENHANCED : a;
    if (cls == 3)
        a |= SMTPSTATUS_ANOMALY_ENHANCED_ON_3XX;
    else if (enhanced->cls != cls)
        a |= SMTPSTATUS_ANOMALY_CLASS_MISMATCH;
    row = smtpstatus__find_code(enhanced->subject, enhanced->detail);
    if (row == NULL)
        a |= SMTPSTATUS_ANOMALY_UNREGISTERED;
    else if (!basic_allows(row, code, cls))
        a |= SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING;
    return a;
}

static const struct smtpstatus__class_row *find_class(unsigned digit)
{
    for (size_t i = 0; i < COUNT(smtpstatus__classes); i++)
        if (smtpstatus__classes[i].digit == digit)
            return &smtpstatus__classes[i];
    return NULL;
}

static const struct smtpstatus__subject_row *find_subject(unsigned subject)
{
    for (size_t i = 0; i < COUNT(smtpstatus__subjects); i++)
        if (smtpstatus__subjects[i].subject == subject)
            return &smtpstatus__subjects[i];
    return NULL;
}

static void fill_code_info(struct smtpstatus_code_info *info, const struct smtpstatus_enhanced *code,
                           const struct smtpstatus__code_row *row)
{
    const struct smtpstatus__class_row *c = find_class(code->cls);
    const struct smtpstatus__subject_row *s = find_subject(code->subject);

    memset(info, 0, sizeof *info);
    info->size = sizeof *info;
    info->code = *code;
    if (c) {
        info->class_title = smtpstatus__string(c->title);
        info->class_description = smtpstatus__string(c->description);
    }
    if (s) {
        info->flags |= SMTPSTATUS_CODE_SUBJECT_KNOWN;
        info->subject_title = smtpstatus__string(s->title);
        info->subject_description = smtpstatus__string(s->description);
    }
    if (row) {
        info->flags |= row->flags;
        info->title = smtpstatus__string(row->title);
        info->description = smtpstatus__string(row->description);
        info->reference = smtpstatus__string(row->reference);
        info->basic_codes_text = smtpstatus__string(row->basic_text);
        info->replaced_by = smtpstatus__string(row->replaced_by);
        for (unsigned i = 0; i < row->basic_count; i++)
            info->basic_codes[i] = row->basic[i];
        info->basic_code_count = row->basic_count;
    } else if (s) {
        /* RFC 3463 §2: degrade to the subject's meaning. */
        info->reference = smtpstatus__string(s->reference);
    }
    {
        const struct smtpstatus__advice_row *advice =
            smtpstatus__find_advice(code->subject, code->detail);
        if (advice) {
            info->party = advice->party;
            info->practical_meaning = smtpstatus__rstring(advice->meaning);
            info->causes = smtpstatus__rstring(advice->causes);
            info->remedy = smtpstatus__rstring(advice->remedy);
        }
    }
}

static int check_info_size(const void *p, size_t size, size_t min)
{
    if (p == NULL)
        return SMTPSTATUS_E_INVALID_ARG;
    if (size < min)
        return SMTPSTATUS_E_STRUCT_SIZE;
    return SMTPSTATUS_OK;
}

int smtpstatus_lookup_enhanced(const struct smtpstatus_enhanced *code,
                               struct smtpstatus_code_info *info)
{
    int rc;
    struct smtpstatus_code_info full;

    if (code == NULL || info == NULL)
        return SMTPSTATUS_E_INVALID_ARG;
    rc = check_info_size(info, info->size, SMTPSTATUS__CODE_INFO_SIZE_V1);
    if (rc != SMTPSTATUS_OK)
        return rc;
    if ((code->cls != 0 && code->cls != 2 && code->cls != 4 && code->cls != 5) ||
        code->subject > 999 || code->detail > 999)
        return SMTPSTATUS_E_BAD_CODE;
    fill_code_info(&full, code, smtpstatus__find_code(code->subject, code->detail));
    smtpstatus__copy_out(info, info->size, &full, sizeof full);
    return SMTPSTATUS_OK;
}

size_t smtpstatus_enhanced_count(void)
{
    return COUNT(smtpstatus__codes);
}

int smtpstatus_enhanced_at(size_t index, struct smtpstatus_code_info *info)
{
    int rc;
    struct smtpstatus_code_info full;
    struct smtpstatus_enhanced code = { 0, 0, 0, 0 };

    if (info == NULL)
        return SMTPSTATUS_E_INVALID_ARG;
    rc = check_info_size(info, info->size, SMTPSTATUS__CODE_INFO_SIZE_V1);
    if (rc != SMTPSTATUS_OK)
        return rc;
    if (index >= COUNT(smtpstatus__codes))
        return SMTPSTATUS_E_NOT_FOUND;
    code.subject = smtpstatus__codes[index].subject;
    code.detail = smtpstatus__codes[index].detail;
    fill_code_info(&full, &code, &smtpstatus__codes[index]);
    smtpstatus__copy_out(info, info->size, &full, sizeof full);
    return SMTPSTATUS_OK;
}

/* RFC 5321 §4.2.1: the meanings of the first and second digits. */
static const char *const reply_class_names[] = {
    NULL, "positive preliminary", "positive completion", "positive intermediate",
    "transient negative completion", "permanent negative completion",
};
static const char *const reply_category_names[] = {
    "syntax", "information", "connections", "unspecified", "unspecified", "mail system",
};

static void fill_reply_info(struct smtpstatus_reply_info *info, unsigned code,
                            const struct smtpstatus__reply_row *row)
{
    unsigned category = code / 10 % 10;

    memset(info, 0, sizeof *info);
    info->size = sizeof *info;
    info->code = (uint16_t)code;
    info->class_digit = (uint8_t)(code / 100);
    info->category_digit = (uint8_t)category;
    info->class_name = reply_class_names[code / 100];
    info->category_name = category < COUNT(reply_category_names) ? reply_category_names[category]
                                                                 : NULL;
    if (row) {
        info->kind = row->kind;
        info->context = smtpstatus__string(row->context);
        info->recommended_text = smtpstatus__string(row->text);
        info->meaning = smtpstatus__string(row->meaning);
        info->reference = smtpstatus__string(row->reference);
        info->notes = smtpstatus__string(row->notes);
    }
}

int smtpstatus_lookup_reply_code(unsigned code, struct smtpstatus_reply_info *info)
{
    int rc;
    struct smtpstatus_reply_info full;

    if (info == NULL)
        return SMTPSTATUS_E_INVALID_ARG;
    rc = check_info_size(info, info->size, SMTPSTATUS__REPLY_INFO_SIZE_V1);
    if (rc != SMTPSTATUS_OK)
        return rc;
    if (code < 100 || code > 599)
        return SMTPSTATUS_E_BAD_CODE;
    fill_reply_info(&full, code, smtpstatus__find_reply(code));
    smtpstatus__copy_out(info, info->size, &full, sizeof full);
    return SMTPSTATUS_OK;
}

size_t smtpstatus_reply_code_count(void)
{
    return COUNT(smtpstatus__replies);
}

int smtpstatus_reply_code_at(size_t index, struct smtpstatus_reply_info *info)
{
    int rc;
    struct smtpstatus_reply_info full;

    if (info == NULL)
        return SMTPSTATUS_E_INVALID_ARG;
    rc = check_info_size(info, info->size, SMTPSTATUS__REPLY_INFO_SIZE_V1);
    if (rc != SMTPSTATUS_OK)
        return rc;
    if (index >= COUNT(smtpstatus__replies))
        return SMTPSTATUS_E_NOT_FOUND;
    fill_reply_info(&full, smtpstatus__replies[index].code, &smtpstatus__replies[index]);
    smtpstatus__copy_out(info, info->size, &full, sizeof full);
    return SMTPSTATUS_OK;
}
