/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

#ifndef SMTPSTATUS_DSN_FIELDS_H
#define SMTPSTATUS_DSN_FIELDS_H

#include "dsn.h"

/* Read a message/delivery-status body (already transfer-decoded): the
 * per-message fields into dsn, each recipient into the sink. Returns the
 * number of recipients emitted. */
size_t smtpstatus__read_delivery_status(const struct smtpstatus_text *body, struct smtpstatus_dsn *dsn,
                                        struct smtpstatus__sink *sink);

#endif
