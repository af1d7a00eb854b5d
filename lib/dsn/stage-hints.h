/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The SMTP stage of each failed recipient as a report's human-readable
 * text tells it (stage-hints.c), for recipients whose delivery-status
 * fields do not.
 */

#ifndef SMTPSTATUS_DSN_STAGE_HINTS_H
#define SMTPSTATUS_DSN_STAGE_HINTS_H

#include "dsn.h"

/* More failed commands than this in one text are not read; a report of
 * many recipients then falls back on the stage they all agree on. */
#define SMTPSTATUS__STAGE_HINTS_MAX 16

struct smtpstatus__stage_hints {
    struct smtpstatus_text text; /* the human-readable part */
    int scanned;                 /* read on the first question only */
    size_t count;
    struct {
        struct smtpstatus_text addr; /* empty when the text names no recipient */
        uint32_t stage;
    } hint[SMTPSTATUS__STAGE_HINTS_MAX];
    uint32_t agreed; /* the stage every hint names, or UNKNOWN */
};

void smtpstatus__stage_hints_init(struct smtpstatus__stage_hints *h, const struct smtpstatus_text *text);

/* The stage the text gives for this recipient: its own, or else the one
 * stage the text names for all; SMTPSTATUS_STAGE_UNKNOWN otherwise. */
uint32_t smtpstatus__stage_hint(struct smtpstatus__stage_hints *h, const struct smtpstatus_text *recipient);

#endif
