/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The DSN reader's header readers (lib/dsn/mime.c) against their plain
 * definitions: the word-at-a-time case-insensitive comparison against a
 * byte-by-byte one, the one-pass header scan against a search for each
 * field (smtpstatus__field_find()), and the field reader that keeps the
 * line it looked ahead at against smtpstatus__field_next(). The texts are
 * made of header-like lines of every kind (folded, flush-left
 * continuations, "Name : value", blank lines, CR, LF and CRLF ends).
 * And the quoted-printable body decoder, a block at a time, against a
 * byte-by-byte one, on texts of every length read flush against an
 * unreadable page (guard.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "dsn/mime.h"
#include "guard.h"
#include "xorshift.h"

static int same_bytewise(const char *a, const char *lower, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (smtpstatus__lower((unsigned char)a[i]) != (unsigned char)lower[i])
            return 0;
    return 1;
}

Test(mime, word_comparison_is_the_bytewise_one)
{
    char lower[40], a[40];

    for (unsigned round = 0; round < 200000; round++) {
        size_t n = rnd(33);
        for (size_t i = 0; i < n; i++) {
            unsigned c;
            do
                c = rnd(256);
            while (c >= 'A' && c <= 'Z'); /* the key is lower case */
            lower[i] = (char)c;
            /* The other text: the same byte, its other case, a byte 0x20
             * away, or anything. */
            switch (rnd(5)) {
            case 0:
                a[i] = (char)c;
                break;
            case 1:
                a[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
                break;
            case 2:
                a[i] = (char)(c ^ 0x20);
                break;
            case 3:
                a[i] = (char)(c ^ 0x80);
                break;
            default:
                a[i] = rnd(4) ? (char)c : (char)rnd(256);
            }
        }
        cr_assert_eq(smtpstatus__same_nocase(a, lower, n), same_bytewise(a, lower, n),
                     "round %u, length %zu", round, n);
    }
}

static const char *const lines[] = {
    "Subject: hello",
    "subject:x",
    "SUBJECT :  spaced",
    "Subject",
    "From: a@b",
    "from :",
    "Content-Type: multipart/report; report-type=delivery-status;",
    "content-type: text/plain; charset=\"utf-8\"",
    "Content-Transfer-Encoding: base64",
    "X-Failed-Recipients: x@y",
    "Return-Path: <>",
    "Received: from a by b",
    "To: z@w",
    "Message-ID: <1@2>",
    "  continued",
    "\tcont",
    "boundary=\"BB\"",
    "just some text",
    ":novalue",
    "a b: c",
    "",
    " ",
    "content-typ: e",
    "content-typee: x",
    "X-Mailer: m",
    "x-mailer : n",
    "X-Some-Field-Name-Of-Thirty-Two-: v",
    "X-Some-Field-Name-Of-Thirty-Two-Bytes-And-More: w",
    "X-MAILER: caps",
    "x\rmailer: split by a CR",
    "X-M@iler: near",
    "Subjekt: near",
    "Frum: near",
    "Content-Tape: near",
    "Content-Transfer-Encodinc: near",
    "X-Mailor: near",
    "x-failed-recipientss: q",
    "Final-Recipient: rfc822; a@b",
    "Action: failed",
};
static const char *const ends[] = { "\n", "\r\n", "\r" };

static size_t make_text(char *out, size_t cap)
{
    size_t n = 0, count = 1 + rnd(24);

    for (size_t i = 0; i < count; i++) {
        const char *l = lines[rnd(sizeof lines / sizeof lines[0])];
        const char *e = ends[rnd(3)];
        if (n + strlen(l) + strlen(e) > cap)
            break;
        memcpy(out + n, l, strlen(l));
        n += strlen(l);
        if (i + 1 < count || rnd(2)) {
            memcpy(out + n, e, strlen(e));
            n += strlen(e);
        }
    }
    return n;
}

static int same_text(struct smtpstatus_text a, struct smtpstatus_text b)
{
    return a.ptr == b.ptr && a.len == b.len;
}

Test(mime, one_pass_scan_finds_what_each_search_finds)
{
    static const struct smtpstatus__field_name names[] = {
        SMTPSTATUS__FIELD_NAME("subject"),
        SMTPSTATUS__FIELD_NAME("from"),
        SMTPSTATUS__FIELD_NAME("content-type"),
        SMTPSTATUS__FIELD_NAME("content-transfer-encoding"),
        SMTPSTATUS__FIELD_NAME("x-failed-recipients"),
        SMTPSTATUS__FIELD_NAME("return-path"),
    };
    char tmp[2048];

    for (unsigned round = 0; round < 20000; round++) {
        size_t len = make_text(tmp, sizeof tmp), body_off, hdr_len, split_len, split_off;
        char *buf = malloc(len ? len : 1); /* exact size: ASan sees a read past it */
        struct smtpstatus_text v[6], w[6], f;
        unsigned found, found_early;

        memcpy(buf, tmp, len);
        found = smtpstatus__scan_headers(buf, len, &body_off, &hdr_len, names, 6, v);
        split_off = smtpstatus__split_headers(buf, len, &split_len);
        cr_assert_eq(hdr_len, split_len, "round %u", round);
        cr_assert_eq(body_off, split_off, "round %u", round);
        for (unsigned k = 0; k < 6; k++) {
            int has = smtpstatus__field_find(buf, hdr_len, names[k].name, &f);
            cr_assert_eq((found >> k) & 1, (unsigned)has, "round %u, %s", round, names[k].name);
            cr_assert(same_text(v[k], f), "round %u, %s", round, names[k].name);
        }
        /* Without the block's end asked for, the same fields. */
        found_early = smtpstatus__scan_headers(buf, len, NULL, NULL, names, 6, w);
        cr_assert_eq(found, found_early, "round %u", round);
        for (unsigned k = 0; k < 6; k++)
            cr_assert(same_text(v[k], w[k]), "round %u, %s", round, names[k].name);
        free(buf);
    }
}

/* A scan with a prepared set against one with no filters, which tries
 * every name on every line and compares them by smtpstatus__same_nocase(). */
static void check_against_unfiltered(const struct smtpstatus__field_name *names, size_t n, int plain)
{
    struct smtpstatus__field_set set, every;
    char tmp[2048];

    smtpstatus__field_set_prepare(&set, names, n);
    cr_assert_eq(set.plain, plain);
    memset(&every, 0, sizeof every);
    every.names = names;
    every.n = n;
    for (unsigned c = 0; c < 256; c++)
        every.by_first[c] = (uint16_t)((1u << n) - 1);
    for (unsigned s = 0; s < SMTPSTATUS__FIELD_LEN_SLOTS; s++)
        every.by_len[s] = (uint16_t)((1u << n) - 1);
    for (unsigned round = 0; round < 20000; round++) {
        size_t len = make_text(tmp, sizeof tmp), body_off, hdr_len, body_off2, hdr_len2;
        char *buf = malloc(len ? len : 1); /* exact size: ASan sees a read past it */
        struct smtpstatus_text v[SMTPSTATUS__SCAN_MAX], w[SMTPSTATUS__SCAN_MAX];
        unsigned found, found2;

        memcpy(buf, tmp, len);
        found = smtpstatus__scan_fields(buf, len, &body_off, &hdr_len, &set, v);
        found2 = smtpstatus__scan_fields(buf, len, &body_off2, &hdr_len2, &every, w);
        cr_assert_eq(found, found2, "round %u", round);
        cr_assert_eq(hdr_len, hdr_len2, "round %u", round);
        cr_assert_eq(body_off, body_off2, "round %u", round);
        for (unsigned k = 0; k < n; k++)
            cr_assert(same_text(v[k], w[k]), "round %u, %s", round, names[k].name);
        free(buf);
    }
}

/* The filters only narrow: a scan with them finds what a scan that tries
 * every name on every line finds, for names of every length the length
 * filter tells apart (and past its reach), names sharing a first letter,
 * and names holding a blank or a colon (in every length slot). And names
 * of a-z and '-' only, compared by (byte | 0x20), are found as
 * smtpstatus__same_nocase() finds them. */
Test(mime, field_set_filters_only_narrow)
{
    static const struct smtpstatus__field_name plain[] = {
        SMTPSTATUS__FIELD_NAME("subject"),
        SMTPSTATUS__FIELD_NAME("to"),
        SMTPSTATUS__FIELD_NAME("from"),
        SMTPSTATUS__FIELD_NAME("content-type"),
        SMTPSTATUS__FIELD_NAME("content-transfer-encoding"),
        SMTPSTATUS__FIELD_NAME("x-mailer"),
        SMTPSTATUS__FIELD_NAME("x-some-field-name-of-thirty-two-bytes-and-more"),
    };
    static const struct smtpstatus__field_name names[] = {
        SMTPSTATUS__FIELD_NAME("subject"),
        SMTPSTATUS__FIELD_NAME("content-type"),
        SMTPSTATUS__FIELD_NAME("content-transfer-encoding"),
        SMTPSTATUS__FIELD_NAME("x-failed-recipients"),
        SMTPSTATUS__FIELD_NAME("x-mailer"),
        SMTPSTATUS__FIELD_NAME("x-some-field-name-of-thirty-two-"),
        SMTPSTATUS__FIELD_NAME("x-some-field-name-of-thirty-two-bytes-and-more"),
        SMTPSTATUS__FIELD_NAME("a b"),
        SMTPSTATUS__FIELD_NAME("a-b"),
        SMTPSTATUS__FIELD_NAME(":novalue"),
        SMTPSTATUS__FIELD_NAME(":x"),
        SMTPSTATUS__FIELD_NAME("subject "),
    };

    check_against_unfiltered(plain, sizeof plain / sizeof plain[0], 1);
    check_against_unfiltered(names, sizeof names / sizeof names[0], 0);
}

/* The readers' name sets are written out by hand, filter and all: each
 * filter must be the one smtpstatus__field_set_prepare() builds from its
 * names, or a field would be missed. */
Test(mime, prepared_field_sets_match_their_names)
{
    const struct smtpstatus__field_set *sets[] = { &smtpstatus__top_fields, &smtpstatus__original_fields,
                                                   &smtpstatus__late_field_set, &smtpstatus__part_fields };

    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        struct smtpstatus__field_set want;
        smtpstatus__field_set_prepare(&want, sets[i]->names, sets[i]->n);
        cr_assert(sets[i]->n <= SMTPSTATUS__SCAN_MAX, "set %zu", i);
        for (size_t k = 0; k < sets[i]->n; k++)
            cr_assert_eq(strlen(sets[i]->names[k].name), sets[i]->names[k].len, "set %zu, name %zu", i, k);
        for (unsigned c = 0; c < 256; c++)
            cr_assert_eq(sets[i]->by_first[c], want.by_first[c], "set %zu, byte %u", i, c);
        for (unsigned s = 0; s < SMTPSTATUS__FIELD_LEN_SLOTS; s++)
            cr_assert_eq(sets[i]->by_len[s], want.by_len[s], "set %zu, length %u", i, s);
        cr_assert_eq(sets[i]->plain, want.plain, "set %zu", i);
    }
}

Test(mime, field_reader_reads_as_field_next)
{
    char tmp[2048];

    for (unsigned round = 0; round < 20000; round++) {
        size_t len = make_text(tmp, sizeof tmp);
        char *buf = malloc(len ? len : 1);
        size_t start = len ? rnd((unsigned)len + 1) : 0, cursor = start;
        struct smtpstatus__field_reader r;

        memcpy(buf, tmp, len);
        smtpstatus__field_reader_init(&r, buf, len, start);
        for (;;) {
            struct smtpstatus_text n1, v1, n2, v2;
            int rc1 = smtpstatus__field_next(buf, len, &cursor, &n1, &v1);
            int rc2 = smtpstatus__field_read(&r, &n2, &v2);
            cr_assert_eq(rc1, rc2, "round %u", round);
            if (rc1 != SMTPSTATUS_OK)
                break;
            cr_assert_eq(cursor, r.at, "round %u", round);
            cr_assert(same_text(n1, n2) && same_text(v1, v2), "round %u", round);
        }
        free(buf);
    }
}

/* The definition of a quoted-printable body (RFC 2045 §6.7) as the reader
 * decodes it: "=" and a line end is a soft line break (CRLF, LF or CR
 * alone), "=XX" of two hex digits of either case a byte, any other "="
 * kept as it is. */
static size_t qp_plain(const char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        const char *h1, *h2;
        if (in[i] != '=') {
            out[o++] = in[i];
            continue;
        }
        if (i + 1 < n && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
            i += in[i + 1] == '\r' && i + 2 < n && in[i + 2] == '\n' ? 2 : 1;
            continue;
        }
        if (i + 2 < n && in[i + 1] != 0 && in[i + 2] != 0 &&
            (h1 = strchr(hex, smtpstatus__lower((unsigned char)in[i + 1]))) != NULL &&
            (h2 = strchr(hex, smtpstatus__lower((unsigned char)in[i + 2]))) != NULL) {
            out[o++] = (char)((h1 - hex) * 16 + (h2 - hex));
            i += 2;
            continue;
        }
        out[o++] = '=';
    }
    return o;
}

Test(mime, quoted_printable_body_decodes_as_its_definition)
{
    static const char bytes[] = "====\r\n\r\n0123456789aFfGgz _\t.\x80\xff";
    char tmp[300], want[300], got[300];

    for (size_t len = 1; len <= 260; len++) {
        for (unsigned round = 0; round < 16; round++) {
            struct guard g;
            struct smtpstatus__scratch scratch = { got, sizeof got, 0, 0, 0 };
            struct smtpstatus_text body, out;
            size_t n;

            /* Runs of text between escapes, short or long. */
            unsigned spread = 1 + rnd(40);
            for (size_t i = 0; i < len; i++)
                tmp[i] = rnd(spread) == 0 ? bytes[rnd(sizeof bytes - 1)] : (char)('a' + rnd(26));
            body.ptr = guard_place(&g, tmp, len);
            body.len = len;
            n = qp_plain(body.ptr, len, want);
            out = smtpstatus__decode_body(&body, SMTPSTATUS__CTE_QP, &scratch);
            cr_assert_eq(out.len, n, "length %zu, round %u", len, round);
            cr_assert(n == 0 || memcmp(out.ptr, want, n) == 0, "length %zu, round %u", len, round);
            guard_release(&g);
        }
    }
}

static int text_eq(struct smtpstatus_text t, const char *want)
{
    if (want == NULL)
        return t.len == 0;
    return t.len == strlen(want) && memcmp(t.ptr, want, t.len) == 0;
}

/* Content-Type: type and subtype always; the boundary of a multipart type
 * only (the one parameter the reader uses; other types' parameters are
 * not parsed). */
Test(mime, content_type_reads_a_multipart_boundary_only)
{
    static const struct {
        const char *value, *type, *subtype, *boundary;
    } cases[] = {
        { "multipart/report; report-type=delivery-status;\r\n\tboundary=\"abc def\"", "multipart", "report",
          "abc def" },
        { "Multipart/Mixed; BOUNDARY=xyz", "Multipart", "Mixed", "xyz" },
        { "multipart/alternative; boundary=\"a\"; boundary=\"b\"", "multipart", "alternative", "b" },
        { "multipart/mixed;boundary=\"q\\\"r\"", "multipart", "mixed", "q\\\"r" },
        { "  multipart/mixed ; charset=us-ascii", "multipart", "mixed", NULL },
        { "text/plain; boundary=\"zzz\"", "text", "plain", NULL },
        { "message/rfc822", "message", "rfc822", NULL },
        { "multiparty/mixed; boundary=x", "multiparty", "mixed", NULL },
        { "multipart", "multipart", NULL, NULL },
        { "", NULL, NULL, NULL },
    };

    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct smtpstatus_text v = { cases[k].value, strlen(cases[k].value) };
        struct smtpstatus__ctype ct;

        smtpstatus__parse_ctype(&v, &ct);
        cr_assert(text_eq(ct.type, cases[k].type), "case %zu type", k);
        cr_assert(text_eq(ct.subtype, cases[k].subtype), "case %zu subtype", k);
        cr_assert(text_eq(ct.boundary, cases[k].boundary), "case %zu boundary", k);
    }
}
