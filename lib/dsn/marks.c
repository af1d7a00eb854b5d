/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * One scan of a text for all the decoders' phrases: Wu and Manber's
 * multi-pattern search ("A fast algorithm for multi-pattern searching",
 * 1994), with the tables of gen-marks.py. A window of WINDOW bytes slides
 * over the text; the hash of its last three bytes says how far it may move
 * without passing the key (WINDOW bytes) of any phrase, so on ordinary text
 * it moves several bytes a step, and only where a key may end are the
 * phrases compared. Linear: each step moves the window by one at least,
 * and compares the few phrases of one list, each phrase at most until it
 * is found.
 */

#define SMTPSTATUS_MARKS_TABLES
#include "marks.h"

/* Case aside, as gen-marks.py's block_hash(): a letter's low five bits do
 * not depend on its case, and OR-ing 0x20 makes a letter lower case. */
static inline unsigned mark_hash(const unsigned char *p)
{
    unsigned a = p[0], b = p[1], c = p[2];

    return (((a & 31u) << 7) ^ ((b & 31u) << 2) ^ ((c | 32u) & 127u)) &
           ((1u << SMTPSTATUS__MARK_HASH_BITS) - 1);
}

/* The phrases whose key may end at the window starting at pos. A phrase's
 * occurrences are met in the order of their starts (the window moves
 * forward only), so the first one met is the first one. */
static void compare(struct smtpstatus__marks *mk, const char *text, size_t len, size_t pos,
                    const uint8_t *list)
{
    for (; *list != SMTPSTATUS__MARK_END; list++) {
        unsigned id = *list;
        size_t key = smtpstatus__mark_phrases[id].key, n = smtpstatus__mark_phrases[id].len, s;

        if (mk->first[id].end != SIZE_MAX || pos < key)
            continue;
        s = pos - key;
        if (smtpstatus__match_at_n(text, len, s,
                                   SMTPSTATUS__MARK_POOL + smtpstatus__mark_phrases[id].off, n)) {
            mk->first[id].at = s;
            mk->first[id].end = s + n;
        }
    }
}

void smtpstatus__marks_scan(struct smtpstatus__marks *mk, const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t pos = 0;

    for (size_t i = 0; i < SMTPSTATUS__MARK_COUNT; i++)
        mk->first[i].end = SIZE_MAX;
    if (text == NULL || len < SMTPSTATUS__MARK_WINDOW)
        return;
    /* The window is t[pos, pos + WINDOW); its last block starts at
     * pos + WINDOW - 3. */
    t += SMTPSTATUS__MARK_WINDOW - 3;
    while (pos <= len - SMTPSTATUS__MARK_WINDOW) {
        unsigned step = smtpstatus__mark_step[mark_hash(t + pos)];

        if (step < SMTPSTATUS__MARK_SHIFT_LIMIT) {
            pos += step;
            continue;
        }
        compare(mk, text, len, pos,
                smtpstatus__mark_candidates + (step - SMTPSTATUS__MARK_SHIFT_LIMIT));
        pos++;
    }
}

size_t smtpstatus__mark_find_from(const struct smtpstatus__marks *mk, const char *text,
                                  enum smtpstatus__mark id, size_t from, size_t lim)
{
    size_t p = mk->first[id].at, e = mk->first[id].end;

    if (e == SIZE_MAX)
        return lim; /* nowhere in the text */
    if (p >= from)
        return e <= lim ? p : lim;
    /* An occurrence before `from`: the scan kept only the first. */
    return smtpstatus__find_nocase_n(text, lim, from,
                                     SMTPSTATUS__MARK_POOL + smtpstatus__mark_phrases[id].off,
                                     smtpstatus__mark_phrases[id].len);
}
