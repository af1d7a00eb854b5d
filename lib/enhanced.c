/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Enhanced status codes: RFC 3463 §2 grammar, as RFC 5248 keeps it.
 *
 *   status-code = class "." subject "." detail
 *   class       = "2" / "4" / "5"
 *   subject     = 1*3digit
 *   detail      = 1*3digit
 *
 * RFC 3463 §2 and RFC 3464 §2.3.4 forbid leading zeros in the sub-codes;
 * we reject them rather than normalise, so that "5.01.1" is never silently
 * read as 5.1.1 (and never matched inside free text).
 */

#include "internal.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define ENHANCED_SSE2 1
#endif

int smtpstatus__parse_enhanced_at(const char *buf, size_t len, size_t at,
                                  struct smtpstatus_enhanced *out, size_t *end)
{
    return smtpstatus__enhanced_at(buf, len, at, out, end);
}

int smtpstatus__enhanced_boundary_after(const char *buf, size_t len, size_t end)
{
    return smtpstatus__enhanced_ends_at(buf, len, end);
}

/* The byte before a code found in free text must not make it part of a
 * larger token: an address ("192.0.2.1"), a version ("v5.2.1",
 * "Postfix-2.5.1", "exim/4.4.1") or an identifier ("id_5.1.1"). A hyphen
 * after a digit is fine: that is "550-5.1.1". */
int smtpstatus__enhanced_boundary_before(const char *buf, size_t at)
{
    unsigned char c;

    if (at == 0)
        return 1;
    c = (unsigned char)buf[at - 1];
    if (smtpstatus__is_alnum(c) || c == '.' || c == '_' || c == '/' || c == '\\' || c == '@')
        return 0;
    if (c == '-' && at >= 2 && smtpstatus__is_alpha((unsigned char)buf[at - 2]))
        return 0;
    return 1;
}

int smtpstatus_parse_enhanced(const char *buf, size_t len, unsigned flags,
                              struct smtpstatus_enhanced *out, size_t *end)
{
    struct smtpstatus_enhanced code;
    size_t stop = 0;
    int rc;

    if ((buf == NULL && len != 0) || out == NULL || (flags & ~SMTPSTATUS_ENHANCED_PREFIX)) {
        if (end)
            *end = 0;
        return SMTPSTATUS_E_INVALID_ARG;
    }
    rc = smtpstatus__parse_enhanced_at(buf, len, 0, &code, &stop);
    if (rc == SMTPSTATUS_OK) {
        if (flags & SMTPSTATUS_ENHANCED_PREFIX) {
            if (!smtpstatus__enhanced_boundary_after(buf, len, stop))
                rc = SMTPSTATUS_E_SYNTAX;
        } else if (stop != len) {
            rc = SMTPSTATUS_E_SYNTAX; /* trailing bytes */
        }
    }
    if (rc == SMTPSTATUS_OK)
        *out = code;
    if (end)
        *end = stop;
    return rc;
}

/* Whether a code found in free text starts at buf[i], with buf[i + 1] a
 * dot: sets *out and *where when it does. */
static int code_in_text_at(const char *buf, size_t len, size_t i, struct smtpstatus_enhanced *out,
                           struct smtpstatus_span *where)
{
    struct smtpstatus_enhanced code;
    size_t end;
    char c = buf[i];

    if ((c != '2' && c != '4' && c != '5') || !smtpstatus__enhanced_boundary_before(buf, i))
        return 0;
    if (smtpstatus__enhanced_at(buf, len, i, &code, &end) != SMTPSTATUS_OK)
        return 0;
    /* RFC 3463 defines subjects 0 to 7 only; a larger "subject" in free
     * text is far more often a version ("4.94.2") than a code. */
    if (code.subject > 7 || !smtpstatus__enhanced_ends_at(buf, len, end))
        return 0;
    *out = code;
    if (where) {
        where->off = i;
        where->len = end - i;
    }
    return 1;
}

#ifdef ENHANCED_SSE2
/* Bit k: a dot at p[k + 1] and a digit at p[k + 2], the middle of every
 * code ("c.s"); for the positions k of one block. A text has few such
 * pairs (addresses, versions, codes) and many dots and digits alone. */
static inline unsigned dot_digit_at(const char *p)
{
    const __m128i dot = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)), _mm_set1_epi8('.'));
    /* Adding 0x50 moves '0' to '9' to the ten smallest signed bytes. */
    const __m128i d = _mm_add_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 2)), _mm_set1_epi8(0x50));

    return (unsigned)_mm_movemask_epi8(_mm_and_si128(dot, _mm_cmplt_epi8(d, _mm_set1_epi8((char)0x8A))));
}
#endif

int smtpstatus_find_enhanced(const char *buf, size_t len, unsigned flags,
                             struct smtpstatus_enhanced *out, struct smtpstatus_span *where)
{
    size_t i = 0;

    if ((buf == NULL && len != 0) || out == NULL || flags != 0)
        return SMTPSTATUS_E_INVALID_ARG;
    /* A code "c.s.d" starts at i with i + 5 <= len and a dot at i + 1. */
#ifdef ENHANCED_SSE2
    /* Only the positions with a digit after the dot are looked at, 32 a
     * step; the last step's block ends at len and overlaps the one before
     * (the positions already looked at are shifted out, and the last four
     * have no room for a code). Shorter texts take the loop below. */
    if (len >= 34) {
        uint32_t m;
        size_t base;

        for (; len - i >= 34; i += 32)
            for (m = dot_digit_at(buf + i) | (uint32_t)dot_digit_at(buf + i + 16) << 16; m != 0; m &= m - 1)
                if (code_in_text_at(buf, len, i + (unsigned)__builtin_ctz(m), out, where))
                    return SMTPSTATUS_OK;
        if (i + 5 > len)
            return SMTPSTATUS_E_NOT_FOUND;
        base = len - 34;
        m = (dot_digit_at(buf + base) | (uint32_t)dot_digit_at(buf + base + 16) << 16) & UINT32_C(0x3FFFFFFF);
        for (m >>= i - base; m != 0; m &= m - 1)
            if (code_in_text_at(buf, len, i + (unsigned)__builtin_ctz(m), out, where))
                return SMTPSTATUS_OK;
        return SMTPSTATUS_E_NOT_FOUND;
    }
#endif
    /* Each dot by memchr (fast on long texts), and the byte before it. */
    for (size_t dot = i + 1; dot + 4 <= len; dot++) {
        const char *p = memchr(buf + dot, '.', len - 4 - dot + 1);

        if (p == NULL)
            break;
        dot = (size_t)(p - buf);
        if (code_in_text_at(buf, len, dot - 1, out, where))
            return SMTPSTATUS_OK;
    }
    return SMTPSTATUS_E_NOT_FOUND;
}

int smtpstatus_format_enhanced(const struct smtpstatus_enhanced *code, char *buf, size_t size)
{
    struct smtpstatus__out o;

    if (code == NULL || (buf == NULL && size != 0))
        return SMTPSTATUS_E_INVALID_ARG;
    if ((code->cls != 0 && code->cls != 2 && code->cls != 4 && code->cls != 5) ||
        code->subject > 999 || code->detail > 999)
        return SMTPSTATUS_E_BAD_CODE;
    smtpstatus__out_init(&o, buf, size);
    smtpstatus__out_code(&o, code);
    return smtpstatus__out_finish(&o);
}

int smtpstatus_compare_enhanced(const struct smtpstatus_enhanced *a,
                                const struct smtpstatus_enhanced *b)
{
    /* Each field in its own bits: a caller's struct may hold a subject or
     * detail past the documented 999 (up to 65535), and a decimal key
     * would let 5.1.1000 equal 5.2.0. */
    uint64_t ka = (uint64_t)a->cls << 32 | (uint64_t)a->subject << 16 | a->detail;
    uint64_t kb = (uint64_t)b->cls << 32 | (uint64_t)b->subject << 16 | b->detail;
    return (ka > kb) - (ka < kb);
}
