/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * What a report's human-readable text says about each recipient, for
 * recipients whose delivery-status fields leave it out (text-hints.c):
 * the SMTP command that failed, and the server's words when there is no
 * Diagnostic-Code.
 */

#ifndef SMTPSTATUS_DSN_TEXT_HINTS_H
#define SMTPSTATUS_DSN_TEXT_HINTS_H

#include "dsn.h"

/* More failed commands than this in one text are not read; a report of
 * many recipients then falls back on the stage they all agree on. */
#define SMTPSTATUS__STAGE_HINTS_MAX 16
/* Recipients the text decoders may lend their words for. */
#define SMTPSTATUS__TEXT_FOUND_MAX 8

struct smtpstatus__text_hints {
    struct smtpstatus__bounce bounce; /* its text: the human-readable part */
    /* Stages: read on the first question only. */
    int scanned;
    size_t count;
    struct {
        struct smtpstatus_text addr; /* empty when the text names no recipient */
        uint32_t stage;
    } hint[SMTPSTATUS__STAGE_HINTS_MAX];
    uint32_t agreed; /* the stage every hint names, or UNKNOWN */
    /* Recipients as the text decoders read the text: decoded on the first
     * question only. */
    int decoded;
    size_t found_count; /* may exceed SMTPSTATUS__TEXT_FOUND_MAX */
    struct smtpstatus__found found[SMTPSTATUS__TEXT_FOUND_MAX];
};

/* Where "reply to ", "mail server after " and ">>> " first occur in
 * t[0, len), ignoring case, or len: smtpstatus__find_nocase() for each, in
 * one pass (tested against it in tests/test-find.c). */
void smtpstatus__stage_phrases(const char *t, size_t len, size_t *reply, size_t *exim, size_t *cmd);

void smtpstatus__text_hints_init(struct smtpstatus__text_hints *h, const struct smtpstatus__bounce *b);

/* The stage the text gives for this recipient: its own, or else the one
 * stage the text names for all; SMTPSTATUS_STAGE_UNKNOWN otherwise. */
uint32_t smtpstatus__hint_stage(struct smtpstatus__text_hints *h, const struct smtpstatus_text *recipient);

/* The one address of the message's X-Failed-Recipients header, into
 * *addr; 0 (and *addr untouched) when it names none or more than one. */
int smtpstatus__hint_failed_address(const struct smtpstatus__text_hints *h, struct smtpstatus_text *addr);

/* What the text decoders found for this recipient (by address, or the one
 * recipient the text names), or NULL. */
const struct smtpstatus__found *smtpstatus__hint_found(struct smtpstatus__text_hints *h,
                                                       const struct smtpstatus_text *recipient);

#endif
