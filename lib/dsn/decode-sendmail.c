/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* The sendmail bounce layout (not written yet). */

#include "decoders.h"

size_t smtpstatus__decode_sendmail(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink)
{
    (void)b;
    (void)sink;
    return 0;
}
