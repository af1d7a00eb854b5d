/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* ASCII case-insensitive comparisons that never consult the locale. */

#include "internal.h"

int smtpstatus__match_nocase(const char *buf, size_t len, size_t at, const char *lit)
{
    size_t n = strlen(lit);

    if (at > len || len - at < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (smtpstatus__lower((unsigned char)buf[at + i]) != (unsigned char)lit[i])
            return 0;
    return 1;
}

int smtpstatus__equal_nocase(const char *buf, size_t len, const char *lit)
{
    return strlen(lit) == len && smtpstatus__match_nocase(buf, len, 0, lit);
}
