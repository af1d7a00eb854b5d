/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

#include "internal.h"

const char *smtpstatus_version(void)
{
    return SMTPSTATUS_VERSION_STRING;
}

uint32_t smtpstatus_version_number(void)
{
    return SMTPSTATUS_VERSION_NUMBER;
}
