/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* Names of the classifier's enums, and what the library knows of each
 * reason. The reason names come from the generated table, so the data and
 * the API cannot drift apart. */

#include "internal.h"

#define NAME_OF(table, value) \
    ((value) >= 0 && (size_t)(value) < sizeof(table) / sizeof((table)[0]) && (table)[value] \
         ? (table)[value] \
         : "unknown")

const char *smtpstatus_reason_name(int reason)
{
    const struct smtpstatus__reason_row *row = reason >= 0 ? smtpstatus__reason((unsigned)reason) : NULL;
    return row ? smtpstatus__rstring(row->name) : "unknown";
}

int smtpstatus_reason_from_name(const char *buf, size_t len)
{
    if (buf == NULL)
        return SMTPSTATUS_REASON_UNKNOWN;
    for (size_t r = 0; r < smtpstatus__reason_count(); r++) {
        const char *name = smtpstatus__rstring(smtpstatus__reason((unsigned)r)->name);
        if (smtpstatus__equal_nocase(buf, len, name))
            return (int)r;
    }
    return SMTPSTATUS_REASON_UNKNOWN;
}

const char *smtpstatus_outcome_name(int outcome)
{
    static const char *const names[] = {
        [SMTPSTATUS_OUTCOME_SUCCESS] = "success",
        [SMTPSTATUS_OUTCOME_INTERMEDIATE] = "intermediate",
        [SMTPSTATUS_OUTCOME_TRANSIENT] = "transient",
        [SMTPSTATUS_OUTCOME_PERMANENT] = "permanent",
    };
    return NAME_OF(names, outcome);
}

const char *smtpstatus_bounce_name(int bounce)
{
    static const char *const names[] = { "none", "soft", "hard" };
    return NAME_OF(names, bounce);
}

const char *smtpstatus_party_name(int party)
{
    static const char *const names[] = {
        "unknown", "recipient", "recipient_system", "network", "sender_setup",
        "sender_reputation", "content",
    };
    return NAME_OF(names, party);
}

const char *smtpstatus_action_name(int action)
{
    static const char *const names[] = {
        "none", "retry", "retry_later", "retry_other_ip", "slow_down", "split_recipients",
        "fix_message", "fix_sender_setup", "suppress_recipient", "ignore", "stop",
    };
    return NAME_OF(names, action);
}

const char *smtpstatus_evidence_kind_name(int kind)
{
    static const char *const names[] = {
        "none", "enhanced_code", "reply_code", "text", "provider", "class", "stage",
    };
    return NAME_OF(names, kind);
}

size_t smtpstatus_reason_count(void)
{
    return smtpstatus__reason_count();
}

int smtpstatus_reason_info(int reason, struct smtpstatus_reason_info *info)
{
    struct smtpstatus_reason_info full;
    const struct smtpstatus__reason_row *row;

    if (info == NULL)
        return SMTPSTATUS_E_INVALID_ARG;
    if (info->size < sizeof(struct smtpstatus_reason_info))
        return SMTPSTATUS_E_STRUCT_SIZE;
    row = reason >= 0 ? smtpstatus__reason((unsigned)reason) : NULL;
    if (row == NULL)
        return SMTPSTATUS_E_NOT_FOUND;
    memset(&full, 0, sizeof full);
    full.size = sizeof full;
    full.reason = (uint32_t)reason;
    full.party = row->party;
    full.address_dead = row->address_dead != 0;
    full.transient_action = row->transient_action;
    full.permanent_action = row->permanent_action;
    full.default_delay = row->delay;
    full.name = smtpstatus__rstring(row->name);
    full.sisimai_reason = smtpstatus__rstring(row->sisimai);
    full.powermta_category = smtpstatus__rstring(row->powermta);
    full.sparkpost_class = row->sparkpost;
    full.title = smtpstatus__rstring(row->title);
    full.meaning = smtpstatus__rstring(row->meaning);
    full.causes = smtpstatus__rstring(row->causes);
    full.remedy = smtpstatus__rstring(row->remedy);
    smtpstatus__copy_out(info, info->size, &full, sizeof full);
    return SMTPSTATUS_OK;
}
