/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* The last block of a text, for lines.h: fewer than 64 bytes. */

#include "lines.h"

uint64_t smtpstatus__eol_bits_tail_portable(const char *buf, size_t len, size_t at)
{
    uint64_t m = 0;
    size_t n = len - at;

    for (size_t k = 0; k < n; k += 8) {
        if (n - k >= 8)
            m |= (uint64_t)smtpstatus__eol_bits8(smtpstatus__load64(buf + at + k)) << k;
        else if (len >= 8)
            /* The last few bytes: the eight that end at len, those before
             * at + k shifted out. */
            m |= (uint64_t)(smtpstatus__eol_bits8(smtpstatus__load64(buf + len - 8)) >> (8 - (n - k)))
                 << k;
        else
            m |= smtpstatus__eol_bits_bytewise(buf, len, at + k) << k;
    }
    return m;
}

#ifdef SMTPSTATUS__LINES_SSE2
uint64_t smtpstatus__eol_bits_tail_sse2(const char *buf, size_t len, size_t at)
{
    uint64_t m = 0;
    size_t n = len - at;

    for (size_t k = 0; k < n; k += 16) {
        if (n - k >= 16)
            m |= (uint64_t)smtpstatus__eol_bits16(buf + at + k) << k;
        else if (len >= 16)
            m |= (uint64_t)(smtpstatus__eol_bits16(buf + len - 16) >> (16 - (n - k))) << k;
        else
            m |= smtpstatus__eol_bits_bytewise(buf, len, at + k) << k;
    }
    return m;
}
#endif
