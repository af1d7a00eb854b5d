/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The DSN reader's block-at-a-time text scans (lib/dsn/lines.h): the SSE2
 * forms (where the build has SSE2) and the portable eight-byte forms
 * against their plain byte-by-byte definitions, on texts made of the bytes
 * that matter (CR, LF, NUL, blanks, ':', '=', quotes, bytes from 0x7F up)
 * at every length and offset around the block sizes. Every input ends
 * flush against an unreadable page (guard.h): a read past len faults.
 * And two text helpers that use them or are inline: the address search
 * (text.c) and the trim (mime.h), against their plain definitions.
 * And the stage phrases' one pass (text-hints.c), whose candidates are
 * turned away on the bytes before the space, against three plain searches.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "dsn/dsn.h"
#include "dsn/lines.h"
#include "dsn/mime.h"
#include "dsn/text-hints.h"
#include "guard.h"
#define RND_SEED 0x9E3779B97F4A7C15ull
#include "xorshift.h"

static const char interesting[] = { '\r', '\n', '\0', ' ', '\t', ':', '=', '"', '\\', ';',
                                    'a', 'Z', '-', '!', '~', 0x7F, (char)0x80, (char)0xFF };

/* A random text of len bytes, mostly letters, with runs of the bytes
 * that matter. */
static void fill(char *buf, size_t len)
{
    unsigned dense = rnd(4);

    for (size_t i = 0; i < len; i++)
        buf[i] = rnd(8) < 2 + dense ? interesting[rnd(sizeof interesting)] : (char)('a' + rnd(26));
}

#define MAXLEN 300

Test(lines, eol_bits_are_the_bytewise_ones)
{
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 4000; round++) {
        size_t len = rnd(MAXLEN);
        struct guard g;
        const char *buf;

        fill(tmp, len);
        buf = guard_place(&g, tmp, len);
        for (size_t at = 0; at <= len; at++) {
            uint64_t want = smtpstatus__eol_bits_bytewise(buf, len, at);
            cr_assert_eq(smtpstatus__eol_bits_portable(buf, len, at), want, "len %zu at %zu", len, at);
#ifdef SMTPSTATUS__LINES_SSE2
            cr_assert_eq(smtpstatus__eol_bits_sse2(buf, len, at), want, "len %zu at %zu", len, at);
#endif
            cr_assert_eq(smtpstatus__eol_bits(buf, len, at), want, "len %zu at %zu", len, at);
        }
        guard_release(&g);
    }
}

Test(lines, name_end_is_the_bytewise_one)
{
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 4000; round++) {
        size_t len = rnd(MAXLEN);
        struct guard g;
        const char *buf;

        fill(tmp, len);
        /* Field names are long runs of name bytes: make some. */
        for (size_t i = 0; i < len; i++)
            if (rnd(3) && tmp[i] != '\n' && tmp[i] != ':')
                tmp[i] = (char)('!' + rnd(94));
        buf = guard_place(&g, tmp, len);
        for (size_t i = 0; i <= len; i++) {
            size_t want = smtpstatus__name_end_bytewise(buf, i, len);
            cr_assert_eq(smtpstatus__name_end_portable(buf, i, len), want, "len %zu i %zu", len, i);
#ifdef SMTPSTATUS__LINES_SSE2
            cr_assert_eq(smtpstatus__name_end_sse2(buf, i, len), want, "len %zu i %zu", len, i);
#endif
        }
        guard_release(&g);
    }
}

Test(lines, name_stop_is_the_bytewise_one)
{
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 4000; round++) {
        size_t len = rnd(MAXLEN);
        struct guard g;
        const char *buf;

        fill(tmp, len);
        /* Names of every length up to past the look-up's reach: runs of
         * letters, sparse stops. */
        for (size_t i = 0; i < len; i++)
            if (rnd(4) && (tmp[i] == ':' || tmp[i] == ' ' || tmp[i] == '\t'))
                tmp[i] = (char)('a' + rnd(26));
        buf = guard_place(&g, tmp, len);
        for (size_t at = 0; at <= len; at++) {
            size_t want = smtpstatus__name_stop_bytewise(buf, at, len);
            cr_assert(want <= SMTPSTATUS__NAME_STOP_MAX, "len %zu at %zu", len, at);
            cr_assert_eq(smtpstatus__name_stop_portable(buf, at, len), want, "len %zu at %zu", len, at);
#ifdef SMTPSTATUS__LINES_SSE2
            cr_assert_eq(smtpstatus__name_stop_sse2(buf, at, len), want, "len %zu at %zu", len, at);
#endif
            cr_assert_eq(smtpstatus__name_stop(buf, at, len), want, "len %zu at %zu", len, at);
        }
        guard_release(&g);
    }
}

Test(lines, find_either_is_the_bytewise_one)
{
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 4000; round++) {
        size_t len = rnd(MAXLEN);
        char a = interesting[rnd(sizeof interesting)], b = interesting[rnd(sizeof interesting)];
        struct guard g;
        const char *buf;

        fill(tmp, len);
        buf = guard_place(&g, tmp, len);
        for (size_t i = 0; i <= len; i++) {
            size_t want = smtpstatus__find_either_bytewise(buf, i, len, a, b);
            cr_assert_eq(smtpstatus__find_either_portable(buf, i, len, a, b), want, "len %zu", len);
#ifdef SMTPSTATUS__LINES_SSE2
            cr_assert_eq(smtpstatus__find_either_sse2(buf, i, len, a, b), want, "len %zu", len);
#endif
        }
        guard_release(&g);
    }
}

Test(lines, find_of5_is_the_bytewise_one)
{
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 4000; round++) {
        size_t len = rnd(MAXLEN);
        char set[5];
        struct guard g;
        const char *buf;

        for (unsigned k = 0; k < 5; k++)
            set[k] = interesting[rnd(sizeof interesting)];
        fill(tmp, len);
        buf = guard_place(&g, tmp, len);
        for (size_t i = 0; i <= len; i++) {
            size_t want = smtpstatus__find_of5_bytewise(buf, i, len, set[0], set[1], set[2], set[3], set[4]);
            cr_assert_eq(smtpstatus__find_of5_portable(buf, i, len, set[0], set[1], set[2], set[3], set[4]),
                         want, "len %zu", len);
#ifdef SMTPSTATUS__LINES_SSE2
            cr_assert_eq(smtpstatus__find_of5_sse2(buf, i, len, set[0], set[1], set[2], set[3], set[4]),
                         want, "len %zu", len);
#endif
            cr_assert_eq(smtpstatus__find_of5(buf, i, len, ';', ' ', '\t', '\r', '\n'),
                         smtpstatus__find_of5_bytewise(buf, i, len, ';', ' ', '\t', '\r', '\n'), "len %zu", len);
        }
        guard_release(&g);
    }
}

Test(lines, find_run_is_the_bytewise_one)
{
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 3000; round++) {
        size_t len = rnd(MAXLEN);
        char c = interesting[rnd(sizeof interesting)];
        unsigned k = 2 + rnd(15);
        struct guard g;
        const char *buf;

        /* Runs of c of every length, about the block edges too. */
        fill(tmp, len);
        for (unsigned r = rnd(8); r > 0 && len > 0; r--) {
            size_t at = rnd((unsigned)len), n = rnd(20);
            for (size_t q = at; q < len && q < at + n; q++)
                tmp[q] = c;
        }
        buf = guard_place(&g, tmp, len);
        for (size_t i = 0; i <= len; i++) {
            size_t want = smtpstatus__find_run_bytewise(buf, i, len, c, k);
            cr_assert_eq(smtpstatus__find_run_portable(buf, i, len, c, k), want, "len %zu k %u", len, k);
#ifdef SMTPSTATUS__LINES_SSE2
            cr_assert_eq(smtpstatus__find_run_sse2(buf, i, len, c, k), want, "len %zu at %zu k %u", len, i, k);
#endif
        }
        guard_release(&g);
    }
}

Test(lines, line_start_is_the_bytewise_one)
{
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 3000; round++) {
        size_t len = rnd(MAXLEN);
        struct guard g;
        const char *buf;

        fill(tmp, len);
        buf = guard_place(&g, tmp, len);
        for (size_t at = 0; at <= len; at++) {
            size_t floor = rnd(2) ? 0 : rnd((unsigned)at + 1);
            size_t want = smtpstatus__line_start_bytewise(buf, at, floor);
            cr_assert_eq(smtpstatus__line_start(buf, at, floor), want, "len %zu at %zu floor %zu", len,
                         at, floor);
        }
        guard_release(&g);
    }
}

Test(lines, first_fold_is_the_bytewise_one)
{
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 20000; round++) {
        size_t len = rnd(MAXLEN);
        struct guard g;
        const char *buf;

        fill(tmp, len);
        /* Text with single spaces, most of all. */
        for (size_t i = 0; i < len; i++)
            if (rnd(4) && tmp[i] != ' ')
                tmp[i] = (char)('a' + rnd(26));
        buf = guard_place(&g, tmp, len);
        for (size_t at = 0; at <= len; at += 1 + rnd(7)) {
            size_t want = smtpstatus__first_fold_bytewise(buf + at, len - at);
            cr_assert_eq(smtpstatus__first_fold_portable(buf + at, len - at), want, "len %zu", len);
#ifdef SMTPSTATUS__LINES_SSE2
            cr_assert_eq(smtpstatus__first_fold_sse2(buf + at, len - at), want, "len %zu", len);
#endif
        }
        guard_release(&g);
    }
}

/* Unfolding a run at a time gives what a byte a step gives: the text, its
 * map back to the input and its length, also where the result meets the
 * limit. Diagnostics of single spaces mostly, with folds here and there. */
Test(lines, unfold_is_the_bytewise_one)
{
    char tmp[MAXLEN], want_out[MAXLEN], got_out[MAXLEN];
    uint16_t want_map[MAXLEN], got_map[MAXLEN];

    for (unsigned round = 0; round < 20000; round++) {
        size_t len = rnd(MAXLEN), max = rnd(3) == 0 ? rnd(MAXLEN) : MAXLEN, want, got;
        struct guard g;
        const char *buf;

        fill(tmp, len);
        for (size_t i = 0; i < len; i++)
            if (rnd(3) && tmp[i] != ' ')
                tmp[i] = (char)('a' + rnd(26));
        buf = guard_place(&g, tmp, len);
        want = smtpstatus__unfold_bytewise(buf, len, want_out, want_map, max);
        got = smtpstatus__unfold(buf, len, got_out, got_map, max);
        cr_assert_eq(got, want, "round %u len %zu max %zu", round, len, max);
        cr_assert(memcmp(got_out, want_out, want) == 0, "round %u", round);
        cr_assert(memcmp(got_map, want_map, want * sizeof want_map[0]) == 0, "round %u", round);
        guard_release(&g);
    }
    cr_assert_eq(smtpstatus__unfold(NULL, 0, want_out, want_map, MAXLEN), 0);
    cr_assert_eq(smtpstatus__unfold("a  b", 4, got_out, got_map, MAXLEN), 3);
    cr_assert(memcmp(got_out, "a b", 3) == 0);
    cr_assert_eq(got_map[2], 3);
}

/* copy_to_byte writes whole blocks: into an output buffer of exactly n
 * bytes that also ends at a guard page, against the byte-by-byte copy. */
Test(lines, copy_to_byte_is_the_bytewise_one)
{
    char tmp[MAXLEN], want[MAXLEN];

    for (unsigned round = 0; round < 20000; round++) {
        size_t n = rnd(MAXLEN), k;
        char c = rnd(2) ? '=' : interesting[rnd(sizeof interesting)];
        size_t (*const fns[])(const char *, size_t, char *, char) = {
            smtpstatus__copy_to_byte_portable,
#ifdef SMTPSTATUS__LINES_SSE2
            smtpstatus__copy_to_byte_sse2,
#endif
            smtpstatus__copy_to_byte,
        };

        fill(tmp, n);
        k = smtpstatus__copy_to_byte_bytewise(tmp, n, want, c);
        for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
            struct guard gi, go;
            const char *in = guard_place(&gi, tmp, n);
            /* n writable bytes before the guard page. */
            char *out;
            guard_place(&go, "", 0);
            out = go.map + go.data_pages * (size_t)sysconf(_SC_PAGESIZE) - n;
            cr_assert_eq(fns[f](in, n, out, c), k, "round %u, n %zu", round, n);
            cr_assert(memcmp(out, want, k) == 0, "round %u", round);
            guard_release(&gi);
            guard_release(&go);
        }
    }
}

static int same_text(struct smtpstatus_text a, struct smtpstatus_text b)
{
    return a.ptr == b.ptr && a.len == b.len;
}

/* The header scan's line ends on the edges of its 64-byte blocks: a CRLF
 * split between two blocks, a CR or LF as the last byte of one, a blank
 * line at the start of the next, and a text that ends mid-line; against
 * the searches for each field, on a text flush against a guard page. */
Test(lines, header_scan_across_block_edges)
{
    static const struct smtpstatus__field_name names[] = {
        SMTPSTATUS__FIELD_NAME("subject"),
        SMTPSTATUS__FIELD_NAME("content-type"),
        SMTPSTATUS__FIELD_NAME("x-failed-recipients"),
    };
    static const char *const ends[] = { "\r\n", "\n", "\r", "\n\r" };
    char tmp[600];

    for (size_t pad = 0; pad < 200; pad++)
        for (size_t e = 0; e < 4; e++)
            for (size_t cut = 0; cut < 3; cut++) {
                size_t n = 0, hdr_len, body_off, split_len, split_off;
                struct smtpstatus_text v[3], f;
                struct guard g;
                const char *buf;
                unsigned found;

                n += (size_t)sprintf(tmp + n, "Received: %.*s%s", (int)pad,
                                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                     ends[e]);
                n += (size_t)sprintf(tmp + n, "Subject: s%s folded%sContent-Type: text/plain%s", ends[e],
                                     ends[e], ends[e]);
                n += (size_t)sprintf(tmp + n, "X-Failed-Recipients: a@b%s%sbody", ends[e], ends[e]);
                /* Cut the text: whole, in the last field, or just after a line end. */
                if (cut == 1)
                    n -= 12;
                else if (cut == 2)
                    n = pad + 11;
                buf = guard_place(&g, tmp, n);
                found = smtpstatus__scan_headers(buf, n, &body_off, &hdr_len, names, 3, v);
                split_off = smtpstatus__split_headers(buf, n, &split_len);
                cr_assert_eq(hdr_len, split_len, "pad %zu end %zu cut %zu", pad, e, cut);
                cr_assert_eq(body_off, split_off, "pad %zu end %zu cut %zu", pad, e, cut);
                for (unsigned k = 0; k < 3; k++) {
                    int has = smtpstatus__field_find(buf, hdr_len, names[k].name, &f);
                    cr_assert_eq((found >> k) & 1, (unsigned)has, "pad %zu end %zu", pad, e);
                    cr_assert(same_text(v[k], f), "pad %zu end %zu cut %zu %s", pad, e, cut,
                              names[k].name);
                }
                guard_release(&g);
            }
}

Test(lines, empty_and_tiny_texts)
{
    static const struct smtpstatus__field_name names[] = { SMTPSTATUS__FIELD_NAME("a") };
    struct smtpstatus_text v;
    size_t hdr_len = 1, body_off = 1;

    cr_assert_eq(smtpstatus__eol_bits(NULL, 0, 0), 0);
    cr_assert_eq(smtpstatus__scan_headers("", 0, &body_off, &hdr_len, names, 1, &v), 0u);
    cr_assert_eq(hdr_len, 0);
    cr_assert_eq(body_off, 0);
    cr_assert_eq(smtpstatus__scan_headers("\r", 1, &body_off, &hdr_len, names, 1, &v), 0u);
    cr_assert_eq(hdr_len, 0);
    cr_assert_eq(body_off, 1);
    cr_assert_eq(smtpstatus__scan_headers("a:b", 3, &body_off, &hdr_len, names, 1, &v), 1u);
    cr_assert_eq(v.len, 1);
    cr_assert_eq(hdr_len, 3);
    cr_assert_eq(smtpstatus__first_fold(NULL, 0), 0);
}

/* smtpstatus__find_address() as it was written before its '@' search
 * went sixteen bytes at a time: every byte tested in turn. */
static int plain_local(unsigned char c)
{
    return smtpstatus__is_alnum(c) || c >= 0x80 || (c && strchr("!#$%&'*+-/=?^_`{|}~.", c));
}

static int plain_domain(unsigned char c)
{
    return smtpstatus__is_alnum(c) || c >= 0x80 || c == '-' || c == '.';
}

static size_t plain_find_address(const char *buf, size_t len, size_t at, struct smtpstatus_text *addr)
{
    for (size_t i = at; i < len; i++) {
        size_t s, e;

        if (buf[i] != '@')
            continue;
        s = i;
        while (s > at && plain_local((unsigned char)buf[s - 1]))
            s--;
        e = i + 1;
        while (e < len && plain_domain((unsigned char)buf[e]))
            e++;
        while (e > i + 1 && buf[e - 1] == '.')
            e--;
        while (s < i && buf[s] == '.')
            s++;
        if (s == i || e <= i + 1 || memchr(buf + i + 1, '.', e - i - 1) == NULL)
            continue;
        addr->ptr = buf + s;
        addr->len = e - s;
        return e;
    }
    addr->ptr = NULL;
    addr->len = 0;
    return 0;
}

Test(lines, find_address_is_its_bytewise_definition)
{
    static const char bytes[] = { '@', '@', '.', '.', ' ', '<', '>', '-', '\n', '\0', 'a', 'b', 'x', '1',
                                  (char)0xC3, '!', '(' };
    char tmp[MAXLEN];

    for (unsigned round = 0; round < 3000; round++) {
        size_t len = rnd(MAXLEN), at = len > 0 ? rnd((unsigned)len + 1) : 0;
        unsigned dense = rnd(3);
        struct smtpstatus_text got, want;
        struct guard g;
        const char *buf;
        size_t e_got, e_want;

        for (size_t i = 0; i < len; i++)
            tmp[i] = rnd(16) < 1 + dense * 4 ? bytes[rnd(sizeof bytes)] : (char)('a' + rnd(26));
        buf = guard_place(&g, tmp, len);
        /* Every start on the short texts, one on the long ones. */
        for (size_t from = len < 40 ? 0 : at; from <= (len < 40 ? len : at); from++) {
            e_got = smtpstatus__find_address(buf, len, from, &got);
            e_want = plain_find_address(buf, len, from, &want);
            cr_assert_eq(e_got, e_want, "round %u len %zu from %zu", round, len, from);
            cr_assert(got.ptr == want.ptr && got.len == want.len, "round %u len %zu from %zu", round, len,
                      from);
        }
        guard_release(&g);
    }
}

/* smtpstatus__trim() (inline, mime.h) against the plain definition: the
 * four white-space bytes stripped from both ends, NULL when none is left. */
Test(lines, trim_is_its_bytewise_definition)
{
    char tmp[40];

    for (unsigned round = 0; round < 100000; round++) {
        size_t len = rnd(sizeof tmp), s = 0, e;
        struct smtpstatus_text t, got;

        for (size_t i = 0; i < len; i++)
            tmp[i] = rnd(2) ? interesting[rnd(sizeof interesting)] : (char)rnd(256);
        e = len;
        while (s < e && (tmp[s] == ' ' || tmp[s] == '\t' || tmp[s] == '\r' || tmp[s] == '\n'))
            s++;
        while (e > s && (tmp[e - 1] == ' ' || tmp[e - 1] == '\t' || tmp[e - 1] == '\r' || tmp[e - 1] == '\n'))
            e--;
        t.ptr = tmp;
        t.len = len;
        got = smtpstatus__trim(t);
        if (s == e)
            cr_assert(got.ptr == NULL && got.len == 0, "round %u", round);
        else
            cr_assert(got.ptr == tmp + s && got.len == e - s, "round %u", round);
    }
}

/* Every byte value in the local part and in the domain of an address,
 * against the plain definition. */
Test(lines, find_address_classifies_every_byte)
{
    for (unsigned c = 0; c < 256; c++) {
        char tmp[16];
        struct smtpstatus_text got, want;
        size_t e_got, e_want;

        memcpy(tmp, "xQy@exQmple.com", 15);
        tmp[1] = (char)c;
        tmp[6] = (char)c;
        e_got = smtpstatus__find_address(tmp, 15, 0, &got);
        e_want = plain_find_address(tmp, 15, 0, &want);
        cr_assert_eq(e_got, e_want, "byte 0x%02X", c);
        cr_assert(got.ptr == want.ptr && got.len == want.len, "byte 0x%02X", c);
    }
}

/* The first lower[0, n) in t[0, len), ignoring the case of t, or len. */
static size_t find_plain_nocase(const char *t, size_t len, const char *lower, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && smtpstatus__lower((unsigned char)t[i + k]) == (unsigned char)lower[k])
            k++;
        if (k == n)
            return i;
    }
    return len;
}

/* smtpstatus__stage_phrases() turns a candidate ("o ", "r ", "> ") away on
 * the bytes before it ("y t", "e", ">") folded with 0x20 before comparing
 * the phrase. Texts of near misses in every case ("x to ", "AFTER ",
 * "> >> "), bytes that fold onto the letters tested ('T' 0x54, 'Y', 'E',
 * 0x1E onto '>'), and the phrases in mixed case, at every length around
 * the 64- and 32-byte rounds. */
Test(lines, stage_phrases_reject_as_three_searches)
{
    static const char *const phrases[] = { "reply to ", "mail server after ", ">>> " };
    static const char *const pieces[] = {
        "reply to ", "REPLY TO ", "RePlY tO ", "x to ", "y to ", "Y TO ", "repl to ", "replyto ",
        "mail server after ", "MAIL SERVER AFTER ", "Mail Server AfTeR ", "after ", "AFTER ", "ter ",
        "server  after ", ">>> ", "> ", ">> ", "> >> ", "\x1e> ", "\x1e\x1e> ", "o ", "r ", "\n", " ",
        "\x54o ", "\x59 to ", "\xc5r ",
    };
    char tmp[400];

    for (size_t len = 0; len <= 300; len++) {
        for (unsigned round = 0; round < 12; round++) {
            struct guard g;
            const char *buf;
            size_t got[3], n = 0;

            while (n < len) {
                const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
                size_t k = strlen(p);
                if (k > len - n)
                    k = len - n;
                memcpy(tmp + n, p, k);
                n += k;
            }
            buf = guard_place(&g, tmp, len);
            smtpstatus__stage_phrases(buf, len, &got[0], &got[1], &got[2]);
            for (unsigned k = 0; k < 3; k++)
                cr_assert_eq(got[k], find_plain_nocase(buf, len, phrases[k], strlen(phrases[k])),
                             "phrase \"%s\", length %zu, round %u", phrases[k], len, round);
            guard_release(&g);
        }
    }
}
