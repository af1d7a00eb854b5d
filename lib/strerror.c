/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* Names and descriptions of results. Never NULL, never abort: bindings call
 * these with whatever integer they hold. */

#include "internal.h"

static const struct {
    int value;
    const char *name;
    const char *text;
} results[] = {
    { SMTPSTATUS_OK, "SMTPSTATUS_OK", "success" },
    { SMTPSTATUS_INCOMPLETE, "SMTPSTATUS_INCOMPLETE", "the input ends before the reply does; read more and call again" },
    { SMTPSTATUS_E_INVALID_ARG, "SMTPSTATUS_E_INVALID_ARG", "invalid argument (NULL pointer or unknown flag)" },
    { SMTPSTATUS_E_SYNTAX, "SMTPSTATUS_E_SYNTAX", "syntax error" },
    { SMTPSTATUS_E_BAD_CODE, "SMTPSTATUS_E_BAD_CODE", "code out of range (class, digit count or leading zero)" },
    { SMTPSTATUS_E_TOO_LONG, "SMTPSTATUS_E_TOO_LONG", "line or field longer than the documented limit" },
    { SMTPSTATUS_E_TOO_MANY, "SMTPSTATUS_E_TOO_MANY", "more items than the documented limit or the space given" },
    { SMTPSTATUS_E_UNSUPPORTED, "SMTPSTATUS_E_UNSUPPORTED", "feature not built into this library" },
    { SMTPSTATUS_E_NOT_FOUND, "SMTPSTATUS_E_NOT_FOUND", "nothing of the kind asked for was found" },
    { SMTPSTATUS_E_TRUNCATED, "SMTPSTATUS_E_TRUNCATED", "the input ended inside a reply" },
    { SMTPSTATUS_E_STRUCT_SIZE, "SMTPSTATUS_E_STRUCT_SIZE", "the struct's size member is too small" },
    { SMTPSTATUS_E_NO_SPACE, "SMTPSTATUS_E_NO_SPACE", "a buffer is too small; the call says how much is needed" },
};

const char *smtpstatus_strerror(int result)
{
    for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
        if (results[i].value == result)
            return results[i].text;
    return "unknown result";
}

const char *smtpstatus_result_name(int result)
{
    for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
        if (results[i].value == result)
            return results[i].name;
    return "SMTPSTATUS_UNKNOWN";
}
