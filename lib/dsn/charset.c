/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * ISO-2022-JP (RFC 1468) to UTF-8, for the classifier. Japanese carriers
 * and Lotus Domino write their diagnostics in it, and the classifier's
 * Japanese phrases are UTF-8. The text switches sets with escapes:
 *
 *   ESC ( B   ASCII          ESC ( J   JIS X 0201 Roman (ASCII enough)
 *   ESC $ B   JIS X 0208     ESC $ @   JIS X 0208-1978 (the same table)
 *   ESC ( I   JIS X 0201 half-width katakana (RFC 1468 leaves it out;
 *             some senders use it)
 *
 * Anything else (a byte outside the set's range, an unassigned code, an
 * unknown escape) becomes U+FFFD, so the output is always valid UTF-8 and
 * the conversion never fails.
 */

#include "dsn.h"

#include "smtpstatus-jis.h"

enum jis_set { SET_ASCII, SET_JIS0208, SET_KATAKANA };

/* Appends cp as UTF-8 at out[*o] if it fits; 0 when it does not. */
static int put_utf8(char *out, size_t *o, size_t cap, uint32_t cp)
{
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3, i = *o;

    if (n > cap - i)
        return 0;
    if (n == 1) {
        out[i] = (char)cp;
    } else if (n == 2) {
        out[i] = (char)(0xC0 | (cp >> 6));
        out[i + 1] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[i] = (char)(0xE0 | (cp >> 12));
        out[i + 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[i + 2] = (char)(0x80 | (cp & 0x3F));
    }
    *o = i + n;
    return 1;
}

int smtpstatus__is_iso2022jp(const char *in, size_t len)
{
    const char *esc = in ? memchr(in, 0x1B, len) : NULL;

    while (esc != NULL) {
        size_t i = (size_t)(esc - in);
        if (i + 2 < len && in[i + 1] == '$' && (in[i + 2] == 'B' || in[i + 2] == '@'))
            return 1;
        esc = i + 1 < len ? memchr(esc + 1, 0x1B, len - i - 1) : NULL;
    }
    return 0;
}

size_t smtpstatus__iso2022jp_to_utf8(const char *in, size_t len, char *out, size_t cap)
{
    enum jis_set set = SET_ASCII;
    size_t o = 0, i = 0;

    while (i < len && o < cap) {
        unsigned char c = (unsigned char)in[i];
        uint32_t cp;

        if (c == 0x1B && i + 2 < len) {
            char a = in[i + 1], b = in[i + 2];
            if (a == '$' && (b == 'B' || b == '@'))
                set = SET_JIS0208;
            else if (a == '(' && (b == 'B' || b == 'J'))
                set = SET_ASCII;
            else if (a == '(' && b == 'I')
                set = SET_KATAKANA;
            else {
                if (!put_utf8(out, &o, cap, 0xFFFD))
                    break;
                i++;
                continue;
            }
            i += 3;
            continue;
        }
        /* Line ends return to ASCII in practice, whatever RFC 1468 asks. */
        if (c == '\r' || c == '\n' || c < 0x21 || c > 0x7E || set == SET_ASCII) {
            if (c == '\r' || c == '\n')
                set = SET_ASCII;
            if (!put_utf8(out, &o, cap, c < 0x80 ? c : 0xFFFD))
                break;
            i++;
            continue;
        }
        if (set == SET_KATAKANA) {
            cp = c <= 0x5F ? 0xFF40u + c : 0xFFFD; /* 0x21 -> U+FF61 */
            i++;
        } else if (i + 1 < len && (unsigned char)in[i + 1] >= 0x21 && (unsigned char)in[i + 1] <= 0x7E) {
            cp = smtpstatus__jis0208[(c - 0x21) * 94 + ((unsigned char)in[i + 1] - 0x21)];
            if (cp == 0)
                cp = 0xFFFD;
            i += 2;
        } else {
            cp = 0xFFFD;
            i++;
        }
        if (!put_utf8(out, &o, cap, cp))
            break;
    }
    return o;
}
