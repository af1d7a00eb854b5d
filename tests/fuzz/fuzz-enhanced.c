/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Fuzz target for the enhanced status code functions:
 * smtpstatus_parse_enhanced() (with and without SMTPSTATUS_ENHANCED_PREFIX),
 * smtpstatus_find_enhanced(), smtpstatus_format_enhanced() and
 * smtpstatus_compare_enhanced(), and the lookups and explanations of codes
 * built from the bytes.
 *
 * The first byte selects the mode:
 *   bit 0  parse with SMTPSTATUS_ENHANCED_PREFIX first (both are run)
 *   bit 1  also pass an unknown flag bit, which must be refused
 * The rest is the text, in a block of exactly its size. Its first bytes are
 * also read as raw codes (class, subject, detail) for the format, compare,
 * lookup and explain round trips, where parse(format(code)) == code must
 * hold.
 */

#include "fuzz.h"

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The header's rule for the byte after a code: not a letter, digit or
 * "_", not a "." followed by a digit. */
static int boundary_after(const char *buf, size_t len, size_t at)
{
    unsigned char c;

    if (at >= len)
        return 1;
    c = (unsigned char)buf[at];
    if (is_digit(c) || is_alpha(c) || c == '_')
        return 0;
    if (c == '.' && at + 1 < len && is_digit((unsigned char)buf[at + 1]))
        return 0;
    return 1;
}

/* ... and the byte before a code found in text: not a letter, digit, ".",
 * "_", "/", "\", "@", nor a "-" after a letter. */
static int boundary_before(const char *buf, size_t at)
{
    unsigned char c;

    if (at == 0)
        return 1;
    c = (unsigned char)buf[at - 1];
    if (is_digit(c) || is_alpha(c) || c == '.' || c == '_' || c == '/' || c == '\\' || c == '@')
        return 0;
    if (c == '-' && at >= 2 && is_alpha((unsigned char)buf[at - 2]))
        return 0;
    return 1;
}

static void check_parse(const char *buf, size_t len, unsigned flags)
{
    struct smtpstatus_enhanced code, again;
    size_t end = (size_t)-1, end2;
    int rc;

    memset(&code, 0xee, sizeof code);
    rc = smtpstatus_parse_enhanced(buf, len, flags, &code, &end);
    FUZZ_CHECK(rc == SMTPSTATUS_OK || rc == SMTPSTATUS_E_SYNTAX || rc == SMTPSTATUS_E_BAD_CODE);
    FUZZ_CHECK(end <= len);
    /* `end` is optional. */
    FUZZ_CHECK(smtpstatus_parse_enhanced(buf, len, flags, &again, NULL) == rc);
    if (rc != SMTPSTATUS_OK) {
        /* Written only on success. */
        FUZZ_CHECK(code.cls == 0xee && code.subject == 0xeeee);
        return;
    }
    FUZZ_CHECK(fuzz_code_valid(&code));
    FUZZ_CHECK(end >= 5 && end <= 9);
    FUZZ_CHECK(smtpstatus_compare_enhanced(&code, &again) == 0);
    if (flags & SMTPSTATUS_ENHANCED_PREFIX) {
        FUZZ_CHECK(boundary_after(buf, len, end));
        /* The code alone parses without the flag, to the same code. */
        FUZZ_CHECK(smtpstatus_parse_enhanced(buf, end, 0, &again, &end2) == SMTPSTATUS_OK);
        FUZZ_CHECK(end2 == end && smtpstatus_compare_enhanced(&code, &again) == 0);
    } else {
        FUZZ_CHECK(end == len);
        /* A whole code is also a prefix code. */
        FUZZ_CHECK(smtpstatus_parse_enhanced(buf, len, SMTPSTATUS_ENHANCED_PREFIX, &again,
                                             &end2) == SMTPSTATUS_OK);
        FUZZ_CHECK(end2 == len && smtpstatus_compare_enhanced(&code, &again) == 0);
    }
    fuzz_check_roundtrip(&code);
}

/* Every code in the text, one after the other. */
static void check_find(const char *buf, size_t len)
{
    size_t at = 0, found = 0;

    while (at <= len) {
        struct smtpstatus_enhanced code, again;
        struct smtpstatus_span where = { (size_t)-1, (size_t)-1 };
        size_t end;
        const char *rest = buf == NULL ? NULL : buf + at; /* no NULL + 0 */
        int rc = smtpstatus_find_enhanced(rest, len - at, 0, &code, &where);

        FUZZ_CHECK(rc == SMTPSTATUS_OK || rc == SMTPSTATUS_E_NOT_FOUND);
        /* `where` is optional. */
        FUZZ_CHECK(smtpstatus_find_enhanced(rest, len - at, 0, &again, NULL) == rc);
        if (rc != SMTPSTATUS_OK)
            break;
        FUZZ_CHECK(smtpstatus_compare_enhanced(&code, &again) == 0);
        FUZZ_CHECK(fuzz_code_valid(&code));
        FUZZ_CHECK(code.subject <= 7);
        FUZZ_CHECK(fuzz_span_in(where, len - at));
        FUZZ_CHECK(where.len >= 5 && where.len <= 9);
        /* The span is exactly the code, at a token boundary. */
        FUZZ_CHECK(smtpstatus_parse_enhanced(buf + at + where.off, where.len, 0, &again, &end) ==
                   SMTPSTATUS_OK);
        FUZZ_CHECK(smtpstatus_compare_enhanced(&code, &again) == 0);
        FUZZ_CHECK(boundary_before(buf + at, where.off));
        FUZZ_CHECK(boundary_after(buf + at, len - at, where.off + where.len));
        fuzz_check_roundtrip(&code);
        at += where.off + where.len;
        FUZZ_CHECK(++found <= len / 5);
    }
}

struct explain_enhanced_ctx {
    const struct smtpstatus_enhanced *code;
};

static int write_enhanced(const void *ctx, char *buf, size_t size)
{
    const struct explain_enhanced_ctx *c = ctx;
    return smtpstatus_explain_enhanced(c->code, buf, size);
}

static int write_reply_code(const void *ctx, char *buf, size_t size)
{
    return smtpstatus_explain_reply_code(*(const unsigned *)ctx, buf, size);
}

static void check_info(const struct smtpstatus_code_info *info)
{
    FUZZ_CHECK(info->size == sizeof *info);
    FUZZ_CHECK(info->basic_code_count <= SMTPSTATUS_BASIC_CODES_MAX);
    FUZZ_CHECK(info->party <= SMTPSTATUS_PARTY_CONTENT);
    /* The registry gives every code a title, but X.6.10 (deprecated). */
    if ((info->flags & SMTPSTATUS_CODE_REGISTERED) && !(info->flags & SMTPSTATUS_CODE_DEPRECATED))
        FUZZ_CHECK(info->title != NULL);
    if (info->flags & SMTPSTATUS_CODE_DEPRECATED)
        FUZZ_CHECK(info->flags & SMTPSTATUS_CODE_REGISTERED);
}

/* A code made of raw bytes: lookup, explain, format and compare. */
static void check_raw_code(const uint8_t *p, const struct smtpstatus_enhanced *prev)
{
    struct smtpstatus_enhanced code;
    struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
    struct explain_enhanced_ctx ctx;
    int valid, rc, n;

    memset(&code, 0, sizeof code);
    code.cls = p[0];
    code.subject = (uint16_t)(p[1] | p[2] << 8);
    code.detail = (uint16_t)(p[3] | p[4] << 8);
    /* Mostly in range, sometimes not. */
    if (!(p[0] & 0x80)) {
        static const uint8_t classes[] = { 0, 2, 4, 5 };
        code.cls = classes[p[0] & 3];
        code.subject %= 1000;
        code.detail %= 1000;
        if (p[0] & 0x40) {
            code.subject %= 8;
            code.detail %= 30;
        }
    }
    valid = (code.cls == 0 || code.cls == 2 || code.cls == 4 || code.cls == 5) &&
            code.subject <= 999 && code.detail <= 999;

    fuzz_check_roundtrip(&code);
    rc = smtpstatus_lookup_enhanced(&code, &info);
    FUZZ_CHECK(rc == (valid ? SMTPSTATUS_OK : SMTPSTATUS_E_BAD_CODE));
    if (rc == SMTPSTATUS_OK)
        check_info(&info);
    ctx.code = &code;
    n = fuzz_check_snprintf(write_enhanced, &ctx, p[1]);
    FUZZ_CHECK(valid ? n > 0 : n == SMTPSTATUS_E_BAD_CODE);

    /* compare() is a total order. */
    {
        int ab = smtpstatus_compare_enhanced(&code, prev);
        int ba = smtpstatus_compare_enhanced(prev, &code);
        FUZZ_CHECK((ab > 0) == (ba < 0) && (ab == 0) == (ba == 0));
        FUZZ_CHECK(smtpstatus_compare_enhanced(&code, &code) == 0);
        /* Equal means equal, within the documented ranges (0 to 999). */
        if (ab == 0 && valid && code.cls != 0 && fuzz_code_valid(prev))
            FUZZ_CHECK(code.cls == prev->cls && code.subject == prev->subject &&
                       code.detail == prev->detail);
    }

    /* A reply code from the same bytes. */
    {
        unsigned reply = (unsigned)(p[1] | p[2] << 8) % 700u;
        struct smtpstatus_reply_info rinfo = SMTPSTATUS_REPLY_INFO_INIT;
        int valid_reply = reply >= 100 && reply <= 599;
        rc = smtpstatus_lookup_reply_code(reply, &rinfo);
        FUZZ_CHECK(rc == (valid_reply ? SMTPSTATUS_OK : SMTPSTATUS_E_BAD_CODE));
        if (rc == SMTPSTATUS_OK) {
            FUZZ_CHECK(rinfo.code == reply && rinfo.class_digit == reply / 100 &&
                       rinfo.category_digit == reply / 10 % 10);
            FUZZ_CHECK(rinfo.kind <= SMTPSTATUS_REPLY_KIND_DEPRECATED);
            FUZZ_CHECK(rinfo.class_name != NULL);
        }
        n = fuzz_check_snprintf(write_reply_code, &reply, p[3]);
        FUZZ_CHECK(valid_reply ? n > 0 : n == SMTPSTATUS_E_BAD_CODE);
    }

    /* The tables, at an index from the bytes (past the end too). */
    {
        size_t i = (size_t)p[4] % (smtpstatus_enhanced_count() + 3);
        struct smtpstatus_code_info at = SMTPSTATUS_CODE_INFO_INIT;
        struct smtpstatus_reply_info rat = SMTPSTATUS_REPLY_INFO_INIT;
        rc = smtpstatus_enhanced_at(i, &at);
        FUZZ_CHECK(rc ==
                   (i < smtpstatus_enhanced_count() ? SMTPSTATUS_OK : SMTPSTATUS_E_NOT_FOUND));
        if (rc == SMTPSTATUS_OK) {
            check_info(&at);
            FUZZ_CHECK(at.code.cls == 0);
        }
        i = (size_t)(p[3] | p[4] << 8) % (smtpstatus_reply_code_count() + 3);
        rc = smtpstatus_reply_code_at(i, &rat);
        FUZZ_CHECK(rc ==
                   (i < smtpstatus_reply_code_count() ? SMTPSTATUS_OK : SMTPSTATUS_E_NOT_FOUND));
    }
    FUZZ_CHECK(smtpstatus_strerror((int8_t)p[0]) != NULL);
    FUZZ_CHECK(smtpstatus_result_name((int8_t)p[0]) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned mode;
    char *buf;
    size_t len;

    if (size < 1)
        return 0;
    mode = data[0];
    len = size - 1;
    buf = fuzz_dup(data + 1, len);

    if (mode & 1u) {
        check_parse(buf, len, SMTPSTATUS_ENHANCED_PREFIX);
        check_parse(buf, len, 0);
    } else {
        check_parse(buf, len, 0);
        check_parse(buf, len, SMTPSTATUS_ENHANCED_PREFIX);
    }
    if (mode & 2u) {
        struct smtpstatus_enhanced code;
        size_t end;
        FUZZ_CHECK(smtpstatus_parse_enhanced(buf, len, 1u << 4, &code, &end) ==
                   SMTPSTATUS_E_INVALID_ARG);
        FUZZ_CHECK(smtpstatus_find_enhanced(buf, len, 1u, &code, NULL) ==
                   SMTPSTATUS_E_INVALID_ARG);
    }
    /* Every suffix that starts a code, as a caller scanning a line would. */
    for (size_t i = 0; i < len && i < 64; i++) {
        if (buf[i] == '2' || buf[i] == '4' || buf[i] == '5')
            check_parse(buf + i, len - i, SMTPSTATUS_ENHANCED_PREFIX);
    }
    check_find(buf, len);

    {
        struct smtpstatus_enhanced prev = { 5, 0, 1, 1 };
        for (size_t i = 1; i + 5 <= size && i <= 31; i += 5) {
            check_raw_code(data + i, &prev);
            prev.cls = data[i] & 7;
            prev.subject = data[i + 1];
            prev.detail = data[i + 2];
        }
    }

    free(buf);
    return 0;
}
