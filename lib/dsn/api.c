/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The public DSN entry points. This file is built in every configuration,
 * so the ABI never depends on the `dsn` build option: without it,
 * smtpstatus_parse_dsn() answers SMTPSTATUS_E_UNSUPPORTED.
 */

#include "mime.h"

int smtpstatus_parse_dsn(const char *buf, size_t len, unsigned flags, struct smtpstatus_dsn *dsn,
                         struct smtpstatus_dsn_recipient *rcpts, size_t *nrcpts, char *scratch,
                         size_t scratch_size)
{
    if (dsn == NULL || nrcpts == NULL || (buf == NULL && len != 0) || flags != 0 ||
        (rcpts == NULL && *nrcpts != 0) || (scratch == NULL && scratch_size != 0))
        return SMTPSTATUS_E_INVALID_ARG;
    if (dsn->size < sizeof(struct smtpstatus_dsn) ||
        (*nrcpts > 0 && rcpts[0].size < sizeof(struct smtpstatus_dsn_recipient)))
        return SMTPSTATUS_E_STRUCT_SIZE;
#ifdef SMTPSTATUS_WITH_DSN
    return smtpstatus__parse_dsn(buf ? buf : "", len, dsn, rcpts, nrcpts, scratch, scratch_size);
#else
    (void)scratch;
    (void)scratch_size;
    *nrcpts = 0;
    return SMTPSTATUS_E_UNSUPPORTED;
#endif
}

int smtpstatus_next_field(const struct smtpstatus_text *block, size_t *cursor,
                          struct smtpstatus_text *name, struct smtpstatus_text *value)
{
    if (block == NULL || cursor == NULL || name == NULL || value == NULL ||
        (block->ptr == NULL && block->len != 0))
        return SMTPSTATUS_E_INVALID_ARG;
    if (block->ptr == NULL || *cursor >= block->len)
        return SMTPSTATUS_E_NOT_FOUND;
    return smtpstatus__field_next(block->ptr, block->len, cursor, name, value);
}

const char *smtpstatus_decoder_name(int decoder)
{
    static const char *const names[] = {
        "none", "rfc3464", "arf", "rfc3834", "postfix", "exim", "sendmail", "qmail", "courier",
        "exchange", "gmail", "yahoo", "amazonses", "opensmtpd", "mdaemon", "imail", "domino",
        "generic", "unsubscribe",
    };
    return decoder >= 0 && (size_t)decoder < sizeof names / sizeof names[0] ? names[decoder] : "none";
}

const char *smtpstatus_message_kind_name(int kind)
{
    static const char *const names[] = { "ordinary", "bounce", "delivery_report", "feedback",
                                         "auto_reply" };
    return kind >= 0 && (size_t)kind < sizeof names / sizeof names[0] ? names[kind] : "unknown";
}

const char *smtpstatus_dsn_action_name(int action)
{
    static const char *const names[] = { "none", "failed", "delayed", "delivered", "relayed",
                                         "expanded" };
    return action >= 0 && (size_t)action < sizeof names / sizeof names[0] ? names[action] : "none";
}
