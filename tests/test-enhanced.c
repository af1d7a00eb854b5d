/* SPDX-License-Identifier: MIT */

/*
 * Enhanced status codes: parsing, finding in free text, formatting and
 * ordering.
 *
 * The grammar is RFC 3463 §2 (kept by RFC 5248 §2):
 *
 *   status-code = class "." subject "." detail
 *   class       = "2" / "4" / "5"
 *   subject     = 1*3digit
 *   detail      = 1*3digit
 *
 * with no leading zeros in subject or detail (RFC 3463 §2, RFC 3464 §2.3.4).
 * Every expectation here comes from include/smtpstatus.h, not from the
 * implementation.
 */

/* mmap() and MAP_ANONYMOUS for the guard-page test; the build is strict C11.
 * Criterion's pkg-config flags may define it already. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <smtpstatus.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A value no successful parse can produce, to prove `out` was not written. */
static const struct smtpstatus_enhanced sentinel = { 9, 0x5A, 4321, 8765 };

static bool same_code(const struct smtpstatus_enhanced *a, const struct smtpstatus_enhanced *b)
{
    return a->cls == b->cls && a->reserved == b->reserved && a->subject == b->subject &&
           a->detail == b->detail;
}

/* ------------------------------------------------------------------------ */
/* smtpstatus_parse_enhanced(), strict (the whole buffer is the code)        */
/* ------------------------------------------------------------------------ */

struct good_code {
    const char *text;
    uint8_t cls;
    uint16_t subject;
    uint16_t detail;
};

static const struct good_code good_codes[] = {
    { "2.0.0", 2, 0, 0 },
    { "4.4.1", 4, 4, 1 },
    { "5.1.1", 5, 1, 1 },
    /* RFC 3463 §2 uses 2.1.23 as its own example of a multi-digit detail. */
    { "2.1.23", 2, 1, 23 },
    /* Provider-specific details (Microsoft): well formed, merely unregistered. */
    { "5.7.606", 5, 7, 606 },
    { "4.4.316", 4, 4, 316 },
    { "5.0.350", 5, 0, 350 },
    /* The largest values three digits allow. */
    { "5.999.999", 5, 999, 999 },
    { "4.100.100", 4, 100, 100 },
    { "2.10.10", 2, 10, 10 },
    /* Subjects over 7 are not defined, but the grammar allows them. */
    { "5.9.1", 5, 9, 1 },
    /* A lone "0" is not a leading zero. */
    { "5.0.0", 5, 0, 0 },
    { "4.7.30", 4, 7, 30 },
    { "2.6.10", 2, 6, 10 },
};

Test(enhanced, parse_accepts_valid_codes_and_reports_their_length)
{
    for (size_t i = 0; i < COUNT(good_codes); i++) {
        const struct good_code *g = &good_codes[i];
        struct smtpstatus_enhanced out = sentinel;
        size_t end = 12345;
        int rc = smtpstatus_parse_enhanced(g->text, strlen(g->text), 0, &out, &end);

        cr_expect_eq(rc, SMTPSTATUS_OK, "\"%s\": rc %d (%s)", g->text, rc,
                     smtpstatus_result_name(rc));
        cr_expect_eq(out.cls, g->cls, "\"%s\": cls %u", g->text, out.cls);
        cr_expect_eq(out.subject, g->subject, "\"%s\": subject %u", g->text, out.subject);
        cr_expect_eq(out.detail, g->detail, "\"%s\": detail %u", g->text, out.detail);
        /* The header: "reserved: always 0". */
        cr_expect_eq(out.reserved, 0, "\"%s\": reserved %u", g->text, out.reserved);
        cr_expect_eq(end, strlen(g->text), "\"%s\": end %zu", g->text, end);
    }
}

Test(enhanced, parse_with_the_prefix_flag_accepts_every_valid_code_alone)
{
    /* A code that ends the buffer ends at a boundary. */
    for (size_t i = 0; i < COUNT(good_codes); i++) {
        const struct good_code *g = &good_codes[i];
        struct smtpstatus_enhanced out = sentinel;
        size_t end = 0;
        int rc = smtpstatus_parse_enhanced(g->text, strlen(g->text), SMTPSTATUS_ENHANCED_PREFIX,
                                           &out, &end);

        cr_expect_eq(rc, SMTPSTATUS_OK, "\"%s\": rc %d", g->text, rc);
        cr_expect_eq(out.cls, g->cls, "\"%s\"", g->text);
        cr_expect_eq(out.subject, g->subject, "\"%s\"", g->text);
        cr_expect_eq(out.detail, g->detail, "\"%s\"", g->text);
        cr_expect_eq(end, strlen(g->text), "\"%s\": end %zu", g->text, end);
    }
}

struct bad_input {
    const char *text;
    unsigned flags;
    int rc;
    size_t end; /* the offset of the byte where parsing stopped */
};

/* Strict mode: the whole buffer must be the code. */
static const struct bad_input bad_strict[] = {
    /* The input ends early (E_SYNTAX at the end of the input). */
    { "", 0, SMTPSTATUS_E_SYNTAX, 0 },
    { "5", 0, SMTPSTATUS_E_SYNTAX, 1 },
    { "5.", 0, SMTPSTATUS_E_SYNTAX, 2 },
    { "5.1", 0, SMTPSTATUS_E_SYNTAX, 3 },
    { "5.1.", 0, SMTPSTATUS_E_SYNTAX, 4 },
    /* A byte that is not the expected digit or dot. */
    { "5..1", 0, SMTPSTATUS_E_SYNTAX, 2 },
    { "5.1..1", 0, SMTPSTATUS_E_SYNTAX, 4 },
    { ".5.1.1", 0, SMTPSTATUS_E_SYNTAX, 0 },
    { " 5.1.1", 0, SMTPSTATUS_E_SYNTAX, 0 },
    { "\t5.1.1", 0, SMTPSTATUS_E_SYNTAX, 0 },
    { "55.1.1", 0, SMTPSTATUS_E_SYNTAX, 1 },
    { "5,1,1", 0, SMTPSTATUS_E_SYNTAX, 1 },
    { "5-1-1", 0, SMTPSTATUS_E_SYNTAX, 1 },
    { "5.a.1", 0, SMTPSTATUS_E_SYNTAX, 2 },
    { "5.1.a", 0, SMTPSTATUS_E_SYNTAX, 4 },
    { "5. 1.1", 0, SMTPSTATUS_E_SYNTAX, 2 },
    { "+5.1.1", 0, SMTPSTATUS_E_SYNTAX, 0 },
    /* The registry's X.s.d form is not a code a server sends. */
    { "X.1.1", 0, SMTPSTATUS_E_SYNTAX, 0 },
    { "x.1.1", 0, SMTPSTATUS_E_SYNTAX, 0 },
    /* Non-ASCII "digits" are not digits: Latin-1 superscript one, Arabic-Indic one. */
    { "5.\xb9.1", 0, SMTPSTATUS_E_SYNTAX, 2 },
    { "5.\xd9\xa1.1", 0, SMTPSTATUS_E_SYNTAX, 2 },
    { "\xb5.1.1", 0, SMTPSTATUS_E_SYNTAX, 0 },
    /* Trailing bytes after a complete code: parsing stops where they start. */
    { "5.1.1 ", 0, SMTPSTATUS_E_SYNTAX, 5 },
    { "5.1.1x", 0, SMTPSTATUS_E_SYNTAX, 5 },
    { "5.1.1.1", 0, SMTPSTATUS_E_SYNTAX, 5 },
    { "5.1.1\r\n", 0, SMTPSTATUS_E_SYNTAX, 5 },
    { "5.7.606 Access denied", 0, SMTPSTATUS_E_SYNTAX, 7 },
    /* Class not 2, 4 or 5 (RFC 3463 §3.1): E_BAD_CODE at the class digit. */
    { "0.0.0", 0, SMTPSTATUS_E_BAD_CODE, 0 },
    { "1.1.1", 0, SMTPSTATUS_E_BAD_CODE, 0 },
    { "3.1.1", 0, SMTPSTATUS_E_BAD_CODE, 0 },
    { "6.1.1", 0, SMTPSTATUS_E_BAD_CODE, 0 },
    { "7.1.1", 0, SMTPSTATUS_E_BAD_CODE, 0 },
    { "9.9.9", 0, SMTPSTATUS_E_BAD_CODE, 0 },
    /* More than three digits: E_BAD_CODE at the fourth digit. */
    { "5.1000.1", 0, SMTPSTATUS_E_BAD_CODE, 5 },
    { "5.9999.9", 0, SMTPSTATUS_E_BAD_CODE, 5 },
    { "5.1.1000", 0, SMTPSTATUS_E_BAD_CODE, 7 },
    { "4.4.3160", 0, SMTPSTATUS_E_BAD_CODE, 7 },
    /* A leading zero: E_BAD_CODE at the zero, never read as 5.1.1. */
    { "5.01.1", 0, SMTPSTATUS_E_BAD_CODE, 2 },
    { "5.00.1", 0, SMTPSTATUS_E_BAD_CODE, 2 },
    { "5.001.1", 0, SMTPSTATUS_E_BAD_CODE, 2 },
    { "5.1.01", 0, SMTPSTATUS_E_BAD_CODE, 4 },
    { "5.1.00", 0, SMTPSTATUS_E_BAD_CODE, 4 },
    { "5.1.010", 0, SMTPSTATUS_E_BAD_CODE, 4 },
};

/* With SMTPSTATUS_ENHANCED_PREFIX the code may be followed by text, but only
 * at a boundary: not a digit, a letter, or a "." followed by a digit. */
static const struct bad_input bad_prefix[] = {
    { "5.1.1.2", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_SYNTAX, 5 },
    { "5.1.1abc", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_SYNTAX, 5 },
    { "5.1.1Z", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_SYNTAX, 5 },
    { "4.16.55.1", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_SYNTAX, 7 },
    { "5.1", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_SYNTAX, 3 },
    { "5.1 ", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_SYNTAX, 3 },
    { " 5.0.0", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_SYNTAX, 0 },
    { "", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_SYNTAX, 0 },
    { "6.1.1 text", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_BAD_CODE, 0 },
    { "5.01.1 text", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_BAD_CODE, 2 },
    /* A fourth digit is "more than three digits", not "a digit after the code". */
    { "5.1.1000 text", SMTPSTATUS_ENHANCED_PREFIX, SMTPSTATUS_E_BAD_CODE, 7 },
};

static void expect_parse_fails(const struct bad_input *b)
{
    struct smtpstatus_enhanced out = sentinel;
    size_t end = 12345;
    int rc = smtpstatus_parse_enhanced(b->text, strlen(b->text), b->flags, &out, &end);

    cr_expect_eq(rc, b->rc, "\"%s\" (flags %u): rc %s, want %s", b->text, b->flags,
                 smtpstatus_result_name(rc), smtpstatus_result_name(b->rc));
    cr_expect_eq(end, b->end, "\"%s\" (flags %u): end %zu, want %zu", b->text, b->flags, end,
                 b->end);
    /* "written only on success" */
    cr_expect(same_code(&out, &sentinel), "\"%s\" (flags %u): out was written on failure",
              b->text, b->flags);
}

Test(enhanced, parse_rejects_bad_input_with_exact_result_and_offset)
{
    for (size_t i = 0; i < COUNT(bad_strict); i++)
        expect_parse_fails(&bad_strict[i]);
}

Test(enhanced, parse_with_prefix_rejects_a_code_that_runs_into_more_token)
{
    for (size_t i = 0; i < COUNT(bad_prefix); i++)
        expect_parse_fails(&bad_prefix[i]);
}

Test(enhanced, parse_with_prefix_stops_at_a_boundary)
{
    static const struct {
        const char *text;
        uint8_t cls;
        uint16_t subject, detail;
        size_t end;
    } cases[] = {
        /* RFC 3464 §2.3.4 Status field followed by a comment. */
        { "5.0.0 (permanent failure)", 5, 0, 0, 5 },
        { "5.1.1,", 5, 1, 1, 5 },
        { "5.1.1;", 5, 1, 1, 5 },
        { "5.1.1)", 5, 1, 1, 5 },
        { "5.1.1\r\n", 5, 1, 1, 5 },
        { "4.7.606 Access denied", 4, 7, 606, 7 },
        /* A "." is a boundary unless a digit follows it: end of a sentence. */
        { "5.1.1.", 5, 1, 1, 5 },
        { "5.1.1. Bye", 5, 1, 1, 5 },
        { "2.1.23 <bob@example.com>... Recipient ok", 2, 1, 23, 6 },
    };

    for (size_t i = 0; i < COUNT(cases); i++) {
        struct smtpstatus_enhanced out = sentinel;
        size_t end = 12345;
        int rc = smtpstatus_parse_enhanced(cases[i].text, strlen(cases[i].text),
                                           SMTPSTATUS_ENHANCED_PREFIX, &out, &end);

        cr_expect_eq(rc, SMTPSTATUS_OK, "\"%s\": rc %s", cases[i].text,
                     smtpstatus_result_name(rc));
        cr_expect_eq(out.cls, cases[i].cls, "\"%s\"", cases[i].text);
        cr_expect_eq(out.subject, cases[i].subject, "\"%s\"", cases[i].text);
        cr_expect_eq(out.detail, cases[i].detail, "\"%s\"", cases[i].text);
        cr_expect_eq(end, cases[i].end, "\"%s\": end %zu, want %zu", cases[i].text, end,
                     cases[i].end);
    }
}

Test(enhanced, parse_end_may_be_null)
{
    struct smtpstatus_enhanced out = sentinel;

    cr_expect_eq(smtpstatus_parse_enhanced("5.1.1", 5, 0, &out, NULL), SMTPSTATUS_OK);
    cr_expect_eq(out.cls, 5);
    cr_expect_eq(out.detail, 1);

    out = sentinel;
    cr_expect_eq(smtpstatus_parse_enhanced("5.1", 3, 0, &out, NULL), SMTPSTATUS_E_SYNTAX);
    cr_expect(same_code(&out, &sentinel));
}

Test(enhanced, parse_rejects_unknown_flag_bits)
{
    static const unsigned bad_flags[] = {
        1u << 1, 1u << 2, 1u << 31, SMTPSTATUS_ENHANCED_PREFIX | (1u << 7), ~0u,
    };

    for (size_t i = 0; i < COUNT(bad_flags); i++) {
        struct smtpstatus_enhanced out = sentinel;
        int rc = smtpstatus_parse_enhanced("5.1.1", 5, bad_flags[i], &out, NULL);

        cr_expect_eq(rc, SMTPSTATUS_E_INVALID_ARG, "flags %#x: rc %s", bad_flags[i],
                     smtpstatus_result_name(rc));
        cr_expect(same_code(&out, &sentinel), "flags %#x: out was written", bad_flags[i]);
    }
}

Test(enhanced, parse_rejects_null_out_and_null_buffer_with_a_length)
{
    struct smtpstatus_enhanced out = sentinel;
    size_t end = 0;

    cr_expect_eq(smtpstatus_parse_enhanced("5.1.1", 5, 0, NULL, &end), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_parse_enhanced("5.1.1", 5, SMTPSTATUS_ENHANCED_PREFIX, NULL, NULL),
                 SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_parse_enhanced(NULL, 5, 0, &out, &end), SMTPSTATUS_E_INVALID_ARG);
    cr_expect(same_code(&out, &sentinel));
}

Test(enhanced, parse_of_null_buffer_with_length_zero_is_empty_input)
{
    /* (NULL, 0) is a valid empty buffer: the input simply ends early. */
    struct smtpstatus_enhanced out = sentinel;
    size_t end = 12345;

    cr_expect_eq(smtpstatus_parse_enhanced(NULL, 0, 0, &out, &end), SMTPSTATUS_E_SYNTAX);
    cr_expect_eq(end, 0);
    cr_expect(same_code(&out, &sentinel));

    end = 12345;
    cr_expect_eq(smtpstatus_parse_enhanced(NULL, 0, SMTPSTATUS_ENHANCED_PREFIX, &out, &end),
                 SMTPSTATUS_E_SYNTAX);
    cr_expect_eq(end, 0);
}

/* ------------------------------------------------------------------------ */
/* Inputs without a terminating NUL                                          */
/* ------------------------------------------------------------------------ */

Test(enhanced, parse_reads_exactly_len_bytes_of_an_unterminated_array)
{
    /* No NUL anywhere: a strlen() inside the library would run off the end. */
    const char exact[5] = { '5', '.', '7', '.', '1' };
    /* More bytes follow the code than the caller hands over. */
    const char longer[7] = { '5', '.', '7', '.', '1', '2', 'x' };
    struct smtpstatus_enhanced out = sentinel;
    size_t end = 0;

    cr_expect_eq(smtpstatus_parse_enhanced(exact, sizeof exact, 0, &out, &end), SMTPSTATUS_OK);
    cr_expect_eq(out.cls, 5);
    cr_expect_eq(out.subject, 7);
    cr_expect_eq(out.detail, 1);
    cr_expect_eq(end, 5);

    /* len 5 of "5.7.12x" is the code 5.7.1: the "2" is not the caller's. */
    out = sentinel;
    cr_expect_eq(smtpstatus_parse_enhanced(longer, 5, 0, &out, &end), SMTPSTATUS_OK);
    cr_expect_eq(out.detail, 1);
    cr_expect_eq(end, 5);
    out = sentinel;
    cr_expect_eq(smtpstatus_parse_enhanced(longer, 5, SMTPSTATUS_ENHANCED_PREFIX, &out, &end),
                 SMTPSTATUS_OK);
    cr_expect_eq(out.detail, 1);
    cr_expect_eq(end, 5);

    /* len 6 takes the "2" in: 5.7.12. len 7 adds a trailing letter. */
    cr_expect_eq(smtpstatus_parse_enhanced(longer, 6, 0, &out, &end), SMTPSTATUS_OK);
    cr_expect_eq(out.detail, 12);
    cr_expect_eq(end, 6);
    cr_expect_eq(smtpstatus_parse_enhanced(longer, 7, 0, &out, &end), SMTPSTATUS_E_SYNTAX);
    cr_expect_eq(end, 6);

    /* len 4 of "5.7.1" ends before the detail. */
    out = sentinel;
    cr_expect_eq(smtpstatus_parse_enhanced(exact, 4, 0, &out, &end), SMTPSTATUS_E_SYNTAX);
    cr_expect_eq(end, 4);
    cr_expect(same_code(&out, &sentinel));
}

Test(enhanced, parse_treats_an_embedded_nul_as_a_trailing_byte)
{
    /* The length, not a NUL, ends the input. */
    const char with_nul[6] = { '5', '.', '1', '.', '1', '\0' };
    struct smtpstatus_enhanced out = sentinel;
    size_t end = 0;

    cr_expect_eq(smtpstatus_parse_enhanced(with_nul, sizeof with_nul, 0, &out, &end),
                 SMTPSTATUS_E_SYNTAX);
    cr_expect_eq(end, 5);
    cr_expect(same_code(&out, &sentinel));
    /* A NUL is not a letter or digit, so it is a boundary. */
    cr_expect_eq(smtpstatus_parse_enhanced(with_nul, sizeof with_nul, SMTPSTATUS_ENHANCED_PREFIX,
                                           &out, &end),
                 SMTPSTATUS_OK);
    cr_expect_eq(end, 5);
}

/* Copy `n` bytes so that they end exactly where an inaccessible page starts:
 * any read at or past buf + n faults and fails the test. */
static char *copy_before_guard_page(const char *src, size_t n, void **map, size_t *map_len)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t psz = page > 0 ? (size_t)page : 4096;
    char *base;

    cr_assert_leq(n, psz);
    *map_len = 2 * psz;
    *map = mmap(NULL, *map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(*map, MAP_FAILED);
    base = *map;
    cr_assert_eq(mprotect(base + psz, psz, PROT_NONE), 0);
    memcpy(base + psz - n, src, n);
    return base + psz - n;
}

Test(enhanced, nothing_at_or_past_buf_plus_len_is_read)
{
    static const char *const texts[] = {
        "5.1.1", "5.7.606", "5.999.999", "5.1.1000", "5.01.1", "5.1", "5.1.1.", "5.1.1.2",
        "550 5.1.1", "said (#4.4.5", "Exim 4.94.2", "192.0.2.1", "v5.2.1",
    };

    for (size_t t = 0; t < COUNT(texts); t++) {
        size_t n = strlen(texts[t]);

        /* Every prefix length, each placed right before the guard page. */
        for (size_t len = 0; len <= n; len++) {
            void *map;
            size_t map_len;
            char *buf = copy_before_guard_page(texts[t], len, &map, &map_len);
            struct smtpstatus_enhanced out;
            struct smtpstatus_span where;
            size_t end;

            (void)smtpstatus_parse_enhanced(buf, len, 0, &out, &end);
            cr_expect_leq(end, len, "\"%.*s\": end %zu past len", (int)len, texts[t], end);
            (void)smtpstatus_parse_enhanced(buf, len, SMTPSTATUS_ENHANCED_PREFIX, &out, &end);
            cr_expect_leq(end, len, "\"%.*s\" prefix: end %zu past len", (int)len, texts[t],
                          end);
            if (smtpstatus_find_enhanced(buf, len, 0, &out, &where) == SMTPSTATUS_OK)
                cr_expect_leq(where.off + where.len, len, "\"%.*s\": span past len", (int)len,
                              texts[t]);
            munmap(map, map_len);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* smtpstatus_find_enhanced()                                                */
/* ------------------------------------------------------------------------ */

struct find_hit {
    const char *text;
    uint8_t cls;
    uint16_t subject, detail;
    size_t off, len;
};

/* Where real bounces put codes (sisimai and mailbox test corpora). */
static const struct find_hit find_hits[] = {
    /* qmail-style "#" prefix and the parenthesised forms. */
    { "#5.1.1", 5, 1, 1, 1, 5 },
    { "(5.7.1)", 5, 7, 1, 1, 5 },
    { "(#4.4.5)", 4, 4, 5, 2, 5 },
    { "sorry, no mailbox here by that name. (#5.1.1)", 5, 1, 1, 39, 5 },
    /* RFC 2034 §3: the code right after the reply code, on a continuation line too. */
    { "550-5.1.1 The email account that you tried to reach does not exist.", 5, 1, 1, 4, 5 },
    { "550 5.1.1 <bob@example.com>: Recipient address rejected", 5, 1, 1, 4, 5 },
    /* RFC 3464 §2.3.4 Status field. */
    { "Status: 5.0.0 (permanent failure)", 5, 0, 0, 8, 5 },
    /* Postfix/Exim log fields. */
    { "dsn=4.4.1,", 4, 4, 1, 4, 5 },
    { "ERROR_CODE :5.1.1", 5, 1, 1, 12, 5 },
    /* An unregistered three-digit detail at the start. */
    { "5.7.606 Access denied, banned sending IP", 5, 7, 606, 0, 7 },
    { "Diagnostic-Code: smtp; 550 5.1.10 recipient has null MX", 5, 1, 10, 27, 6 },
    { "Remote Server returned '550 5.7.26 Multiple authentication checks failed'", 5, 7, 26,
      28, 6 },
    /* A code that ends the buffer, or is the whole buffer. */
    { "said 5.1.1", 5, 1, 1, 5, 5 },
    { "5.1.1", 5, 1, 1, 0, 5 },
    { "2.0.0 Ok: queued as 4BXYZ1", 2, 0, 0, 0, 5 },
    /* A "." that ends a sentence is a boundary. */
    { "Mailbox unavailable 5.2.1. Try later", 5, 2, 1, 20, 5 },
    /* Non-ASCII neighbours (UTF-8 curly quotes) are not letters. */
    { "\xe2\x80\x9c" "5.2.2" "\xe2\x80\x9d", 5, 2, 2, 3, 5 },
    /* The first of several codes wins. */
    { "4.2.2 then 5.1.1", 4, 2, 2, 0, 5 },
    { "550 5.1.1 (#5.7.1)", 5, 1, 1, 4, 5 },
    /* False candidates before the real code are skipped. */
    { "4.4.1.2 then 4.4.7", 4, 4, 7, 13, 5 },
    { "Exim 4.94.2 said: 550 5.1.1 user unknown", 5, 1, 1, 22, 5 },
    { "host 192.0.2.1 said: 554 5.7.1 rejected", 5, 7, 1, 25, 5 },
    { "5.01.1 or 5.1.1", 5, 1, 1, 10, 5 },
};

Test(enhanced, find_locates_codes_where_bounces_write_them)
{
    for (size_t i = 0; i < COUNT(find_hits); i++) {
        const struct find_hit *h = &find_hits[i];
        struct smtpstatus_enhanced out = sentinel;
        struct smtpstatus_span where = { 999, 999 };
        int rc = smtpstatus_find_enhanced(h->text, strlen(h->text), 0, &out, &where);

        cr_expect_eq(rc, SMTPSTATUS_OK, "\"%s\": rc %s", h->text, smtpstatus_result_name(rc));
        if (rc != SMTPSTATUS_OK)
            continue;
        cr_expect_eq(out.cls, h->cls, "\"%s\": cls %u", h->text, out.cls);
        cr_expect_eq(out.subject, h->subject, "\"%s\": subject %u", h->text, out.subject);
        cr_expect_eq(out.detail, h->detail, "\"%s\": detail %u", h->text, out.detail);
        cr_expect_eq(out.reserved, 0, "\"%s\"", h->text);
        cr_expect_eq(where.off, h->off, "\"%s\": off %zu, want %zu", h->text, where.off, h->off);
        cr_expect_eq(where.len, h->len, "\"%s\": len %zu, want %zu", h->text, where.len, h->len);
    }
}

Test(enhanced, find_span_parses_back_to_the_same_code)
{
    /* The span must cover exactly the code: a strict parse of it agrees. */
    for (size_t i = 0; i < COUNT(find_hits); i++) {
        const char *text = find_hits[i].text;
        struct smtpstatus_enhanced found, parsed;
        struct smtpstatus_span where;
        size_t end;

        cr_assert_eq(smtpstatus_find_enhanced(text, strlen(text), 0, &found, &where),
                     SMTPSTATUS_OK, "\"%s\"", text);
        cr_expect_eq(smtpstatus_parse_enhanced(text + where.off, where.len, 0, &parsed, &end),
                     SMTPSTATUS_OK, "\"%s\": span [%zu, +%zu) is not a code", text, where.off,
                     where.len);
        cr_expect(same_code(&found, &parsed), "\"%s\"", text);
    }
}

Test(enhanced, find_does_not_mistake_other_numbers_for_codes)
{
    static const char *const misses[] = {
        /* IPv4 addresses. */
        "192.0.2.1",
        "[192.0.2.25]",
        "Remote-MTA: dns; mx.example.com [203.0.113.5]",
        /* Four-part numbers, including Yahoo's "4.16.55.1". */
        "4.4.1.2",
        "421 4.16.55.1 [TS01] Messages from 192.0.2.1 temporarily deferred",
        "2.5.1.0",
        /* Versions. */
        "v5.2.1",
        "Postfix-2.5.1",
        "exim/4.4.1",
        /* Subject over 7 (RFC 3463 defines 0 to 7): versions, not codes. */
        "Exim 4.94.2",
        "version 2.11.3",
        "5.8.1",
        /* Dates. */
        "2024.5.1.12",
        /* A leading zero is never read as a code (RFC 3463 §2). */
        "5.01.1",
        "4.4.01",
        /* Four digits. */
        "5.1.1000",
        /* Glued to letters, digits or "_". */
        "a5.1.1",
        "5.1.1a",
        "_5.1.1",
        "5.1.1_",
        "id_5.1.1",
        "15.1.1",
        "5.1.19999",
        /* Not a code at all. */
        "5.1",
        "550 user unknown",
        "no code here",
        "X.1.1 Bad destination mailbox address",
        "6.1.1 3.1.1 1.1.1",
    };

    for (size_t i = 0; i < COUNT(misses); i++) {
        struct smtpstatus_enhanced out = sentinel;
        struct smtpstatus_span where = { 999, 999 };
        int rc = smtpstatus_find_enhanced(misses[i], strlen(misses[i]), 0, &out, &where);

        cr_expect_eq(rc, SMTPSTATUS_E_NOT_FOUND,
                     "\"%s\": rc %s, found %u.%u.%u at %zu", misses[i],
                     smtpstatus_result_name(rc), out.cls, out.subject, out.detail, where.off);
        cr_expect(same_code(&out, &sentinel), "\"%s\": out written without a hit", misses[i]);
    }
}

Test(enhanced, find_in_empty_input_finds_nothing)
{
    struct smtpstatus_enhanced out = sentinel;
    struct smtpstatus_span where = { 7, 7 };

    cr_expect_eq(smtpstatus_find_enhanced("", 0, 0, &out, &where), SMTPSTATUS_E_NOT_FOUND);
    cr_expect_eq(smtpstatus_find_enhanced(NULL, 0, 0, &out, &where), SMTPSTATUS_E_NOT_FOUND);
    cr_expect(same_code(&out, &sentinel));
}

Test(enhanced, find_accepts_a_null_span_and_rejects_bad_arguments)
{
    struct smtpstatus_enhanced out = sentinel;
    struct smtpstatus_span where;

    cr_expect_eq(smtpstatus_find_enhanced("(#5.7.1)", 8, 0, &out, NULL), SMTPSTATUS_OK);
    cr_expect_eq(out.cls, 5);
    cr_expect_eq(out.subject, 7);
    cr_expect_eq(out.detail, 1);

    /* "flags: must be 0"; no flag is defined for this function. */
    out = sentinel;
    cr_expect_eq(smtpstatus_find_enhanced("5.1.1", 5, SMTPSTATUS_ENHANCED_PREFIX, &out, &where),
                 SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_find_enhanced("5.1.1", 5, 1u << 31, &out, &where),
                 SMTPSTATUS_E_INVALID_ARG);
    cr_expect(same_code(&out, &sentinel));
    cr_expect_eq(smtpstatus_find_enhanced("5.1.1", 5, 0, NULL, &where), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_find_enhanced(NULL, 5, 0, &out, &where), SMTPSTATUS_E_INVALID_ARG);
}

Test(enhanced, find_reads_exactly_len_bytes_of_an_unterminated_array)
{
    /* "said 5.1.1" then a digit the caller did not hand over: the code ends the buffer. */
    const char text[11] = { 's', 'a', 'i', 'd', ' ', '5', '.', '1', '.', '1', '2' };
    struct smtpstatus_enhanced out = sentinel;
    struct smtpstatus_span where = { 0, 0 };

    cr_expect_eq(smtpstatus_find_enhanced(text, 10, 0, &out, &where), SMTPSTATUS_OK);
    cr_expect_eq(out.detail, 1);
    cr_expect_eq(where.off, 5);
    cr_expect_eq(where.len, 5);

    /* All 11 bytes: the code is 5.1.12. */
    cr_expect_eq(smtpstatus_find_enhanced(text, sizeof text, 0, &out, &where), SMTPSTATUS_OK);
    cr_expect_eq(out.detail, 12);
    cr_expect_eq(where.len, 6);

    /* Cut inside the code: nothing to find. */
    out = sentinel;
    cr_expect_eq(smtpstatus_find_enhanced(text, 9, 0, &out, &where), SMTPSTATUS_E_NOT_FOUND);
    cr_expect(same_code(&out, &sentinel));
}

Test(enhanced, find_takes_a_code_at_any_offset_and_length_among_decoys)
{
    /* The search looks at a block of positions at a time, the last block
     * ending at len: a code must be found wherever it falls against the
     * blocks, after decoys that have a dot and a digit ("a.1", "v4.2.1",
     * "192.0.2.1", "4.94.2") and are not codes, and nothing may be read at
     * or past len. "5.7.12" at `at`, then text, in texts of every length
     * up to 100; each cut at every length. */
    static const char decoys[] = "a.1 v4.2.1 x 192.0.2.1 ver 4.94.2 end.9 5.x.1 z ";
    char text[101];
    void *map;
    size_t map_len;
    /* One page before the unreadable one, refilled for each cut. */
    char *page_end = copy_before_guard_page("", 0, &map, &map_len);

    for (size_t n = 6; n <= 100; n++) {
        for (size_t at = 0; at + 6 <= n; at++) {
            for (size_t k = 0; k < n; k++)
                text[k] = decoys[k % (sizeof decoys - 1)];
            if (at > 0)
                text[at - 1] = ' ';
            memcpy(text + at, "5.7.12", 6);
            if (at + 6 < n)
                text[at + 6] = ' ';
            for (size_t cut = 0; cut <= n; cut++) {
                char *buf = memcpy(page_end - cut, text, cut);
                struct smtpstatus_enhanced out = sentinel;
                struct smtpstatus_span where = { 999, 999 };
                int rc = smtpstatus_find_enhanced(buf, cut, 0, &out, &where);

                if (cut < at + 5) {
                    cr_expect_eq(rc, SMTPSTATUS_E_NOT_FOUND, "n %zu at %zu cut %zu", n, at, cut);
                } else {
                    cr_expect_eq(rc, SMTPSTATUS_OK, "n %zu at %zu cut %zu", n, at, cut);
                    cr_expect_eq(where.off, at, "n %zu at %zu cut %zu: off %zu", n, at, cut, where.off);
                    cr_expect_eq(where.len, cut == at + 5 ? 5u : 6u, "n %zu at %zu cut %zu", n, at, cut);
                    cr_expect_eq(out.detail, cut == at + 5 ? 1u : 12u, "n %zu at %zu cut %zu", n, at, cut);
                }
            }
        }
    }
    munmap(map, map_len);
}

/* ------------------------------------------------------------------------ */
/* smtpstatus_format_enhanced()                                              */
/* ------------------------------------------------------------------------ */

Test(enhanced, format_writes_the_code_and_returns_its_length)
{
    static const struct {
        struct smtpstatus_enhanced code;
        const char *text;
    } cases[] = {
        { { 5, 0, 1, 1 }, "5.1.1" },
        { { 2, 0, 0, 0 }, "2.0.0" },
        { { 4, 0, 4, 316 }, "4.4.316" },
        { { 2, 0, 1, 23 }, "2.1.23" },
        { { 5, 0, 999, 999 }, "5.999.999" },
        /* The registry's "any class" form (RFC 5248 §2.4 writes codes as X.s.d). */
        { { 0, 0, 1, 1 }, "X.1.1" },
        { { 0, 0, 6, 10 }, "X.6.10" },
        { { 0, 0, 999, 999 }, "X.999.999" },
    };

    for (size_t i = 0; i < COUNT(cases); i++) {
        char buf[32];
        int n;

        memset(buf, '#', sizeof buf);
        n = smtpstatus_format_enhanced(&cases[i].code, buf, sizeof buf);
        cr_expect_eq(n, (int)strlen(cases[i].text), "%s: returned %d", cases[i].text, n);
        cr_expect_str_eq(buf, cases[i].text);
    }
}

Test(enhanced, format_max_text_fits_the_documented_buffer)
{
    /* 5.999.999 is the longest code: 9 characters and a NUL. */
    const struct smtpstatus_enhanced longest = { 5, 0, 999, 999 };
    char buf[SMTPSTATUS_ENHANCED_TEXT_MAX];

    cr_expect_eq(SMTPSTATUS_ENHANCED_TEXT_MAX, 10);
    cr_expect_eq(smtpstatus_format_enhanced(&longest, buf, sizeof buf), 9);
    cr_expect_str_eq(buf, "5.999.999");
}

Test(enhanced, format_truncates_like_snprintf)
{
    const struct smtpstatus_enhanced code = { 4, 0, 7, 606 };
    char buf[16];

    /* size 0: nothing written, full length returned, NULL allowed. */
    cr_expect_eq(smtpstatus_format_enhanced(&code, NULL, 0), 7);
    memset(buf, '#', sizeof buf);
    cr_expect_eq(smtpstatus_format_enhanced(&code, buf, 0), 7);
    cr_expect_eq(buf[0], '#', "size 0 wrote a byte");

    /* Every size from 1 to the full length: size - 1 characters and a NUL,
     * nothing after them. */
    for (size_t size = 1; size <= 8; size++) {
        memset(buf, '#', sizeof buf);
        cr_expect_eq(smtpstatus_format_enhanced(&code, buf, size), 7, "size %zu", size);
        cr_expect_eq(strncmp(buf, "4.7.606", size - 1), 0, "size %zu: \"%s\"", size, buf);
        cr_expect_eq(buf[size - 1], '\0', "size %zu: no NUL at the end", size);
        for (size_t k = size; k < sizeof buf; k++)
            cr_expect_eq(buf[k], '#', "size %zu: byte %zu written", size, k);
    }
}

Test(enhanced, format_rejects_bad_codes_and_arguments)
{
    static const struct smtpstatus_enhanced bad[] = {
        { 1, 0, 1, 1 }, { 3, 0, 1, 1 }, { 6, 0, 1, 1 }, { 7, 0, 1, 1 },
        { 9, 0, 1, 1 }, { 255, 0, 1, 1 }, { 5, 0, 1000, 1 }, { 5, 0, 1, 1000 },
        { 5, 0, 65535, 65535 }, { 0, 0, 1000, 0 },
    };
    const struct smtpstatus_enhanced good = { 5, 0, 1, 1 };
    char buf[32];

    for (size_t i = 0; i < COUNT(bad); i++) {
        int rc = smtpstatus_format_enhanced(&bad[i], buf, sizeof buf);

        cr_expect_eq(rc, SMTPSTATUS_E_BAD_CODE, "%u.%u.%u: rc %d", bad[i].cls, bad[i].subject,
                     bad[i].detail, rc);
    }
    cr_expect_eq(smtpstatus_format_enhanced(NULL, buf, sizeof buf), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_format_enhanced(&good, NULL, 10), SMTPSTATUS_E_INVALID_ARG);
}

/* ------------------------------------------------------------------------ */
/* smtpstatus_compare_enhanced()                                             */
/* ------------------------------------------------------------------------ */

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

Test(enhanced, compare_orders_by_class_then_subject_then_detail_numerically)
{
    /* Sorted ascending; every pair must compare in list order. */
    static const struct smtpstatus_enhanced ascending[] = {
        { 0, 0, 9, 9 },     { 2, 0, 0, 0 },     { 2, 0, 999, 999 }, { 4, 0, 0, 0 },
        { 4, 0, 4, 316 },   { 4, 0, 9, 0 },     { 4, 0, 10, 0 },    { 5, 0, 0, 0 },
        { 5, 0, 1, 1 },     { 5, 0, 1, 2 },     { 5, 0, 1, 10 },    { 5, 0, 1, 999 },
        { 5, 0, 2, 0 },     { 5, 0, 7, 26 },    { 5, 0, 7, 606 },   { 5, 0, 999, 999 },
    };

    for (size_t i = 0; i < COUNT(ascending); i++) {
        for (size_t j = 0; j < COUNT(ascending); j++) {
            int want = (i > j) - (i < j);
            int got = smtpstatus_compare_enhanced(&ascending[i], &ascending[j]);

            cr_expect_eq(sign(got), want, "%u.%u.%u vs %u.%u.%u: %d", ascending[i].cls,
                         ascending[i].subject, ascending[i].detail, ascending[j].cls,
                         ascending[j].subject, ascending[j].detail, got);
        }
    }
}

Test(enhanced, compare_is_numeric_not_textual)
{
    const struct smtpstatus_enhanced a = { 5, 0, 1, 2 };
    const struct smtpstatus_enhanced b = { 5, 0, 1, 10 };
    const struct smtpstatus_enhanced c = { 5, 0, 1, 2 };

    /* As text "5.1.10" < "5.1.2"; as numbers 5.1.2 < 5.1.10. */
    cr_expect_lt(smtpstatus_compare_enhanced(&a, &b), 0);
    cr_expect_gt(smtpstatus_compare_enhanced(&b, &a), 0);
    cr_expect_eq(smtpstatus_compare_enhanced(&a, &c), 0);
    cr_expect_eq(smtpstatus_compare_enhanced(&a, &a), 0);
}

Test(enhanced, compare_puts_class_before_subject_and_detail)
{
    const struct smtpstatus_enhanced transient_high = { 4, 0, 999, 999 };
    const struct smtpstatus_enhanced permanent_low = { 5, 0, 0, 0 };
    const struct smtpstatus_enhanced subject_low_detail_high = { 5, 0, 1, 999 };
    const struct smtpstatus_enhanced subject_high_detail_low = { 5, 0, 2, 0 };

    cr_expect_lt(smtpstatus_compare_enhanced(&transient_high, &permanent_low), 0);
    cr_expect_gt(smtpstatus_compare_enhanced(&permanent_low, &transient_high), 0);
    cr_expect_lt(smtpstatus_compare_enhanced(&subject_low_detail_high, &subject_high_detail_low),
                 0);
}

Test(enhanced, compare_orders_fields_past_the_documented_range)
{
    /* The fields are uint16_t; a caller's struct may hold more than 999.
     * A decimal key (cls * 10^6 + subject * 10^3 + detail) made 5.1.1000
     * equal 5.2.0 and 5.1000.0 equal 6.0.0. */
    static const struct smtpstatus_enhanced ascending[] = {
        { 5, 0, 1, 999 }, { 5, 0, 1, 1000 }, { 5, 0, 1, 65535 }, { 5, 0, 2, 0 },
        { 5, 0, 999, 0 }, { 5, 0, 1000, 0 }, { 5, 0, 65535, 65535 }, { 6, 0, 0, 0 },
        { 255, 0, 0, 0 },
    };

    for (size_t i = 0; i < COUNT(ascending); i++)
        for (size_t j = 0; j < COUNT(ascending); j++)
            cr_expect_eq(sign(smtpstatus_compare_enhanced(&ascending[i], &ascending[j])), (i > j) - (i < j),
                         "%u.%u.%u vs %u.%u.%u", ascending[i].cls, ascending[i].subject, ascending[i].detail,
                         ascending[j].cls, ascending[j].subject, ascending[j].detail);
}

/* ------------------------------------------------------------------------ */
/* Round trips                                                               */
/* ------------------------------------------------------------------------ */

Test(enhanced, format_then_parse_round_trips_over_a_grid_of_codes)
{
    static const uint8_t classes[] = { 2, 4, 5 };
    static const uint16_t parts[] = { 0, 1, 7, 8, 9, 10, 23, 99, 100, 316, 606, 999 };

    for (size_t c = 0; c < COUNT(classes); c++) {
        for (size_t s = 0; s < COUNT(parts); s++) {
            for (size_t d = 0; d < COUNT(parts); d++) {
                const struct smtpstatus_enhanced code = { classes[c], 0, parts[s], parts[d] };
                struct smtpstatus_enhanced back = sentinel;
                char text[SMTPSTATUS_ENHANCED_TEXT_MAX];
                char expect[32];
                size_t end = 0;
                int n = smtpstatus_format_enhanced(&code, text, sizeof text);

                snprintf(expect, sizeof expect, "%u.%u.%u", (unsigned)code.cls,
                         (unsigned)code.subject, (unsigned)code.detail);
                cr_expect_str_eq(text, expect);
                cr_assert_eq(n, (int)strlen(expect), "%s: %d", expect, n);
                cr_expect_eq(smtpstatus_parse_enhanced(text, (size_t)n, 0, &back, &end),
                             SMTPSTATUS_OK, "%s", text);
                cr_expect_eq(end, (size_t)n, "%s", text);
                cr_expect_eq(smtpstatus_compare_enhanced(&code, &back), 0, "%s", text);
                cr_expect(same_code(&code, &back), "%s", text);
            }
        }
    }
}
