/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * One scan of a text for all the decoders' phrases: Wu and Manber's
 * multi-pattern search ("A fast algorithm for multi-pattern searching",
 * 1994), with the tables of gen-marks.py. A window of WINDOW bytes slides
 * over the text; the hash of its last three bytes (one word, one multiply)
 * says how far it may move without passing the key (WINDOW bytes) of any
 * phrase, so on ordinary text it moves several bytes a step, and only where
 * a key may end are the phrases compared. Linear: each step moves the window by one at least,
 * and compares the few phrases of one list, each phrase at most until it
 * is found.
 */

#define SMTPSTATUS_MARKS_TABLES
#include "marks.h"

/* The block of three bytes at p, as gen-marks.py's block_word(): little-
 * endian, 0x20 OR-ed into each byte, which makes a letter lower case (so
 * either case of a letter gives one word). p[-1] must be readable: on a
 * little-endian machine the four bytes from p - 1 are read at once. */
static inline uint32_t block_word(const unsigned char *p)
{
    uint32_t w;

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&w, p - 1, sizeof w);
    w >>= 8;
#else
    w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
#endif
    return w | SMTPSTATUS__MARK_FOLD;
}

/* As gen-marks.py's block_hash(): the top bits of one multiply. */
static inline unsigned mark_hash(uint32_t word)
{
    return (unsigned)((uint32_t)(word * SMTPSTATUS__MARK_MULTIPLIER) >> (32 - SMTPSTATUS__MARK_HASH_BITS));
}

/* phrase_at() reads the last eight bytes of a phrase within it. */
_Static_assert(SMTPSTATUS__MARK_WINDOW >= 8, "every phrase is at least eight bytes");

static inline uint64_t load8(const void *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

/* Whether phrase `id` occurs at text[s], ignoring case: what
 * smtpstatus__match_at_n() answers, eight bytes at a time. OR-ing 0x20
 * into a byte where the phrase holds a lower-case letter lets either case
 * of it through, and no other byte; elsewhere the bytes must be equal
 * (smtpstatus__mark_fold). Every phrase is at least WINDOW (9) bytes, so
 * the last eight, read last, start within it. A true key block meets this
 * comparison often ("delivered" and "following" are in most bounces),
 * byte by byte it was a third of the scan's work. */
static int phrase_at(const char *text, size_t len, size_t s, unsigned id)
{
    size_t n = smtpstatus__mark_phrases[id].len, off = smtpstatus__mark_phrases[id].off, k;
    const char *p = SMTPSTATUS__MARK_POOL + off;
    const uint8_t *fold = smtpstatus__mark_fold + off;

    if (s > len || n > len - s)
        return 0;
    for (k = 0; k + 8 < n; k += 8)
        if (((load8(text + s + k) | load8(fold + k)) ^ load8(p + k)) != 0)
            return 0;
    k = n - 8;
    return ((load8(text + s + k) | load8(fold + k)) ^ load8(p + k)) == 0;
}

/* The phrases whose key may end at the window starting at pos, whose last
 * block is `word`. A phrase's occurrences are met in the order of their
 * starts (the window moves forward only, and stops at every window where
 * a key may end), so the first one met is the first one, and each later
 * one met is the last so far. Most candidates fail on the block itself:
 * its hash is what matched, not its bytes. */
static void compare(struct smtpstatus__marks *mk, const char *text, size_t len, size_t pos,
                    uint32_t word, const uint8_t *list)
{
    for (; *list != SMTPSTATUS__MARK_END; list++) {
        unsigned id = *list;
        size_t key = smtpstatus__mark_phrases[id].key, n = smtpstatus__mark_phrases[id].len, s;

        if (word != smtpstatus__mark_phrases[id].tail || pos < key)
            continue;
        s = pos - key;
        if (phrase_at(text, len, s, id)) {
            if (mk->first[id].end == SIZE_MAX) {
                mk->first[id].at = s;
                mk->first[id].end = s + n;
            }
            mk->first[id].last = s;
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
        uint32_t word = block_word(t + pos);
        unsigned step = smtpstatus__mark_step[mark_hash(word)];

        if (step < SMTPSTATUS__MARK_SHIFT_LIMIT) {
            pos += step;
            continue;
        }
        compare(mk, text, len, pos, word,
                smtpstatus__mark_candidates + (step - SMTPSTATUS__MARK_SHIFT_LIMIT));
        pos++;
    }
}

size_t smtpstatus__mark_find_from(const struct smtpstatus__marks *mk, const char *text,
                                  enum smtpstatus__mark id, size_t from, size_t lim)
{
    size_t p = mk->first[id].at, e = mk->first[id].end, n, to;

    if (e == SIZE_MAX)
        return lim; /* nowhere in the text */
    if (p >= from)
        return e <= lim ? p : lim;
    if (mk->first[id].last < from)
        return lim; /* none starts at or after `from` */
    /* One before `from` and one from there on: the first of those, which
     * is at most the last, is searched for up to the end of the last. */
    n = smtpstatus__mark_phrases[id].len;
    to = mk->first[id].last + n < lim ? mk->first[id].last + n : lim;
    p = smtpstatus__find_nocase_n(text, to, from,
                                  SMTPSTATUS__MARK_POOL + smtpstatus__mark_phrases[id].off, n);
    return p < to ? p : lim;
}
