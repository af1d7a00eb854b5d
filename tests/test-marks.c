/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The decoders' one scan for their phrases (lib/dsn/marks.c) answers
 * exactly what a search of the text for each phrase would: the first
 * occurrence, within any limit, from any start. Checked against
 * smtpstatus__find_nocase_n() on texts made of the phrases themselves, in
 * both cases, overlapping, cut short and shifted by one byte.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#define SMTPSTATUS_MARKS_TABLES
#include "dsn/marks.h"

static const char *phrase(unsigned id)
{
    return SMTPSTATUS__MARK_POOL + smtpstatus__mark_phrases[id].off;
}

/* Every answer of the scan against a search, at a few limits and starts. */
static void check_text(const char *t, size_t len)
{
    struct smtpstatus__marks mk;
    size_t lims[] = { 0, 1, len / 3, len / 2, len > 0 ? len - 1 : 0, len };

    smtpstatus__marks_scan(&mk, t, len);
    for (unsigned id = 0; id < SMTPSTATUS__MARK_COUNT; id++) {
        size_t n = smtpstatus__mark_phrases[id].len;
        for (size_t l = 0; l < sizeof lims / sizeof lims[0]; l++) {
            size_t lim = lims[l];
            cr_assert_eq(smtpstatus__mark_find(&mk, id, lim),
                         smtpstatus__find_nocase_n(t, lim, 0, phrase(id), n),
                         "phrase %u (%s), limit %zu of %zu", id, phrase(id), lim, len);
            for (size_t from = 0; from <= lim; from += 1 + lim / 7)
                cr_assert_eq(smtpstatus__mark_find_from(&mk, t, id, from, lim),
                             smtpstatus__find_nocase_n(t, lim, from, phrase(id), n),
                             "phrase %u (%s), from %zu, limit %zu", id, phrase(id), from, lim);
            /* From around the first and the last occurrence the scan saw. */
            if (mk.first[id].end != SIZE_MAX) {
                size_t around[] = { mk.first[id].at, mk.first[id].last };
                for (size_t a = 0; a < 2; a++)
                    for (size_t from = around[a] > 0 ? around[a] - 1 : 0; from <= around[a] + 1; from++)
                        if (from <= lim)
                            cr_assert_eq(smtpstatus__mark_find_from(&mk, t, id, from, lim),
                                         smtpstatus__find_nocase_n(t, lim, from, phrase(id), n),
                                         "phrase %u (%s), from %zu, limit %zu", id, phrase(id), from,
                                         lim);
            }
        }
    }
}

Test(marks, the_scan_answers_as_a_search_would)
{
    static char text[65536];
    size_t len = 0;
    unsigned seed = 12345;

    /* Each phrase three times (a first, a last and one between), in a
     * random mix of cases, between random words; some cut short by a byte,
     * some run into the next. */
    for (unsigned round = 0; round < 3; round++)
        for (unsigned id = 0; id < SMTPSTATUS__MARK_COUNT; id++) {
            const char *p = phrase(id);
            size_t n = smtpstatus__mark_phrases[id].len;
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 5 == 0)
                n--; /* a near miss */
            for (size_t k = 0; k < n && len < sizeof text - 64; k++) {
                seed = seed * 1103515245u + 12345u;
                text[len++] = (seed >> 16) % 2 && p[k] >= 'a' && p[k] <= 'z' ? (char)(p[k] - 32)
                                                                           : p[k];
            }
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 3 != 0) {
                const char *words[] = { " the ", "\r\n", " mail ", "message ", " -- ", "" };
                const char *w = words[(seed >> 20) % 6];
                memcpy(text + len, w, strlen(w));
                len += strlen(w);
            }
        }
    check_text(text, len);
    check_text(text + 1, len - 1);
    check_text(text, len / 2);
    for (size_t cut = 0; cut < 40; cut++)
        check_text(text, cut);
}

Test(marks, a_text_shorter_than_the_window_or_empty)
{
    check_text("", 0);
    check_text("following", 9);
    check_text("FOLLOWIN", 8);
    check_text("xfollowing", 10);
}

/* The scan compares a candidate eight bytes at a time, folding case with
 * a mask (marks.c phrase_at()): each phrase with one byte flipped by 0x20,
 * which is the other case of a letter but a different byte anywhere else
 * ('@' and '`', ' ' and NUL, '[' and '{'), or set to a byte past ASCII;
 * at every offset in a word, so that the flipped byte falls in each
 * position of the eight compared at once, the overlapping last eight too. */
Test(marks, one_byte_off_by_case_or_not_at_each_position)
{
    static char text[65536];

    for (unsigned id = 0; id < SMTPSTATUS__MARK_COUNT; id++) {
        const char *p = phrase(id);
        size_t n = smtpstatus__mark_phrases[id].len;
        for (size_t k = 0; k < n; k++)
            for (unsigned how = 0; how < 2; how++) {
                size_t len = 0;
                for (size_t lead = 0; lead < 3; lead++)
                    text[len++] = 'x';
                memcpy(text + len, p, n);
                text[len + k] = how == 0 ? (char)(p[k] ^ 0x20) : (char)0xC1;
                len += n;
                text[len++] = '.';
                check_text(text, len);
                check_text(text + 3, n); /* the phrase alone, ending the text */
            }
    }
}
