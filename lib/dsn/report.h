/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

#ifndef SMTPSTATUS_DSN_REPORT_H
#define SMTPSTATUS_DSN_REPORT_H

#include "dsn.h"

/* A message/feedback-report part (ARF): one complaint per reported
 * recipient. `original` is the returned message or its headers. */
size_t smtpstatus__read_feedback(const struct smtpstatus_text *report,
                                 const struct smtpstatus_text *original, struct smtpstatus_dsn *dsn,
                                 struct smtpstatus__sink *sink);

/* A mail client's unsubscribe request; 0 if it is not one. */
size_t smtpstatus__read_unsubscribe(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink);

/* An automatic reply (RFC 3834 and the older signs); 0 if it is not one. */
size_t smtpstatus__read_auto_reply(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink);
/* Whether the message says it is an automatic reply (RFC 3834 headers, or
 * an away subject). */
int smtpstatus__auto_reply_signs(const struct smtpstatus__bounce *b);

#endif
