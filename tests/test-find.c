/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The decoders' case-insensitive search (lib/dsn/text.c,
 * smtpstatus__find_nocase_n(): SSE2 blocks of 64, 32 and 16 positions, or
 * the portable memchr form) against its plain definition, on texts made
 * mostly of the needle's own bytes in both cases, at every length around
 * the block sizes and from every start. Every text ends flush against an
 * unreadable page (guard.h): a read past len faults.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "dsn/dsn.h"
#include "dsn/text-hints.h"
#include "guard.h"
#include "xorshift.h"

/* The definition: the first i in [at, len - n] where each byte, ASCII
 * lower-cased, is the needle's; len when there is none. */
static size_t find_plain(const char *buf, size_t len, size_t at, const char *lower, size_t n)
{
    if (n == 0 || len < n || at > len - n)
        return len;
    for (size_t i = at; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && smtpstatus__lower((unsigned char)buf[i + k]) == (unsigned char)lower[k])
            k++;
        if (k == n)
            return i;
    }
    return len;
}

static const char *const needles[] = {
    "-----", "#< #", "msexch:", ">>> ", "reply to ", "code", "following", "x",
    "mail server after ", "this is a warning message only", "a-b-a-b-a-b-a-b-a-b-a-b-a-b-a-b-x",
};

/* A text of len bytes drawn from the needle's bytes (either case), a few
 * others, and now and then the whole needle. */
static void fill(char *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i < len; i++) {
        unsigned r = rnd(16);
        char c = r < 12 ? needle[rnd((unsigned)n)] : r < 14 ? ' ' : r == 14 ? '\n' : (char)(0x80 + rnd(128));
        if (c >= 'a' && c <= 'z' && rnd(2))
            c = (char)(c - 'a' + 'A');
        buf[i] = c;
    }
    if (len >= n && rnd(3) == 0)
        memcpy(buf + rnd((unsigned)(len - n + 1)), needle, n);
}

/* Every needle of `list`, texts of every length to 300 and four fills
 * each, from every start (every sixteenth past 16): `search` answers as
 * find_plain(). */
static void check_search(size_t (*search)(const char *, size_t, size_t, const char *, size_t),
                         const char *const *list, size_t count)
{
    char tmp[400];

    for (size_t w = 0; w < count; w++) {
        const char *needle = list[w];
        size_t n = strlen(needle);

        for (size_t len = 0; len <= 300; len++) {
            for (unsigned round = 0; round < 4; round++) {
                struct guard g;
                const char *buf;

                fill(tmp, len, needle);
                buf = guard_place(&g, tmp, len);
                for (size_t at = 0; at <= len + 1; at += 1 + at / 16)
                    cr_assert_eq(search(buf, len, at, needle, n), find_plain(buf, len, at, needle, n),
                                 "needle \"%s\", length %zu, from %zu, round %u", needle, len, at, round);
                guard_release(&g);
            }
        }
    }
}

Test(find, search_answers_as_its_definition)
{
    check_search(smtpstatus__find_nocase_n, needles, sizeof needles / sizeof needles[0]);
}

/* The text hints' one pass for three phrases (lib/dsn/text-hints.c,
 * smtpstatus__stage_phrases(): SSE2 rounds of 64 and 32 positions and a
 * last round that overlaps, or three searches) against three searches by
 * the definition. The texts are made of the three phrases' bytes, so that
 * their pairs ("o ", "r ", "> ") stop the scan often, with whole phrases
 * now and then, and one phrase is often found long before the others. */
Test(find, stage_phrases_answer_as_three_searches)
{
    static const char *const phrases[] = { "reply to ", "mail server after ", ">>> " };
    static const char pieces[] = "reply to mail server after >>> <<< ROTE\n";
    char tmp[400];

    for (size_t len = 0; len <= 330; len++) {
        for (unsigned round = 0; round < 8; round++) {
            struct guard g;
            const char *buf;
            size_t got[3], want[3];

            for (size_t i = 0; i < len; i++)
                tmp[i] = pieces[rnd(sizeof pieces - 1)];
            for (unsigned k = rnd(4); k > 0; k--) {
                const char *p = phrases[rnd(3)];
                size_t n = strlen(p);
                if (len >= n)
                    memcpy(tmp + rnd((unsigned)(len - n + 1)), p, n);
            }
            buf = guard_place(&g, tmp, len);
            smtpstatus__stage_phrases(buf, len, &got[0], &got[1], &got[2]);
            for (unsigned k = 0; k < 3; k++) {
                want[k] = find_plain(buf, len, 0, phrases[k], strlen(phrases[k]));
                cr_assert_eq(got[k], want[k], "phrase \"%s\", length %zu, round %u", phrases[k], len,
                             round);
            }
            guard_release(&g);
        }
    }
}

/* The search for a needle led by a rare byte other than a letter
 * (smtpstatus__find_rare_n(): memchr to each) against the definition. */
Test(find, rare_led_search_answers_as_its_definition)
{
    static const char *const led[] = { "#< #", "##", "#", "(#", "> #smtp#", "-----", "#5.1.1 smtp;" };

    check_search(smtpstatus__find_rare_n, led, sizeof led / sizeof led[0]);
}
