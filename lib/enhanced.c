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

int smtpstatus_find_enhanced(const char *buf, size_t len, unsigned flags,
                             struct smtpstatus_enhanced *out, struct smtpstatus_span *where)
{
    if ((buf == NULL && len != 0) || out == NULL || flags != 0)
        return SMTPSTATUS_E_INVALID_ARG;
    /* A code is "c.s.d" with c one digit: look for the first dot with
     * memchr (fast on long texts) and check the byte before it. */
    for (size_t dot = 1; dot + 4 <= len; dot++) {
        struct smtpstatus_enhanced code;
        size_t end, i;
        const char *p = memchr(buf + dot, '.', len - 4 - dot + 1);
        char c;

        if (p == NULL)
            break;
        dot = (size_t)(p - buf);
        i = dot - 1;
        c = buf[i];
        if ((c != '2' && c != '4' && c != '5') || !smtpstatus__enhanced_boundary_before(buf, i))
            continue;
        if (smtpstatus__enhanced_at(buf, len, i, &code, &end) != SMTPSTATUS_OK)
            continue;
        /* RFC 3463 defines subjects 0 to 7 only; a larger "subject" in free
         * text is far more often a version ("4.94.2") than a code. */
        if (code.subject > 7 || !smtpstatus__enhanced_ends_at(buf, len, end))
            continue;
        *out = code;
        if (where) {
            where->off = i;
            where->len = end - i;
        }
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
    uint32_t ka = (uint32_t)a->cls * 1000000u + a->subject * 1000u + a->detail;
    uint32_t kb = (uint32_t)b->cls * 1000000u + b->subject * 1000u + b->detail;
    return (ka > kb) - (ka < kb);
}
