/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* Delivery events out of MTA log lines (Postfix, Exim, Sendmail). */

#ifndef SMTPSTATUS_CLI_TRIAGE_LOG_H
#define SMTPSTATUS_CLI_TRIAGE_LOG_H

#include <stddef.h>

#include <smtpstatus.h>

enum log_status { LOG_SENT = 1, LOG_DEFERRED, LOG_BOUNCED, LOG_EXPIRED };

struct log_event {
    const char *mta; /* "postfix", "exim", "sendmail" */
    int status;      /* enum log_status */
    struct smtpstatus_text recipient, diagnostic, host;
    int has_dsn;     /* the log's own dsn= field */
    struct smtpstatus_enhanced dsn;
};

/* Whether the line records a delivery attempt to a recipient. */
int log_event(const char *line, size_t len, struct log_event *ev);

#endif
