/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The classifier's phrase matcher (rules.c) finds exactly the matches an
 * obviously correct search finds (tests/phrase-reference.h), in the same
 * order: over the labelled replies, the fuzz corpora and saved crashes,
 * the bounce corpus when it is there, every pattern alone and between
 * letters or spaces, and strings made of pieces of patterns (a fixed seed).
 * Each text is scanned from a block of exactly its size, so that the
 * sanitizers see a read past its end.
 */

#define _DEFAULT_SOURCE /* d_type */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "phrase-reference.h"

#include "replies-vectors.h"

#define NVECTORS (sizeof vectors / sizeof vectors[0])

static struct phrase_hits want, got;
static size_t texts_checked, matches_checked, most_waiting;

/* The scanner again, noting how many matches waited at most: when it
 * hands one out, that one and those still held ([scan.first,
 * scan.count)) waited. The scanner's bound must hold (the generator's
 * SMTPSTATUS__PHRASE_PENDING, and the few final ones it keeps): the
 * scanner drops a match that does not fit. */
static void note_waiting(const char *text, size_t len)
{
    struct smtpstatus__phrase_scan scan;
    unsigned pid;
    size_t end;

    smtpstatus__phrase_start(&scan, text, len);
    while (smtpstatus__phrase_next(&scan, &pid, &end)) {
        if (scan.count - scan.first + 1 > most_waiting)
            most_waiting = scan.count - scan.first + 1;
    }
    cr_assert_leq(most_waiting, smtpstatus__phrase_pending_bound(), "more matches waited than the generator's bound");
}

/* Compare the matcher with the reference on text[0..len); `what` names the
 * text in a failure. */
static void check(const char *bytes, size_t len, const char *what)
{
    char *text = len ? malloc(len) : NULL;
    long diff;

    if (len)
        cr_assert_not_null(text);
    if (len)
        memcpy(text, bytes, len);
    phrase_reference(text, len, &want);
    phrase_matcher(text, len, &got);
    note_waiting(text, len);
    diff = phrase_first_difference(&want, &got);
    if (diff >= 0) {
        size_t i = (size_t)diff;
        cr_assert_fail("%s (%zu bytes): match %zu differs: want %s%u ending at %zu, got %s%u "
                       "ending at %zu (%zu wanted, %zu found)",
                       what, len, i, i < want.n ? "pattern " : "none ", i < want.n ? want.v[i].pattern : 0,
                       i < want.n ? want.v[i].end : 0, i < got.n ? "pattern " : "none ",
                       i < got.n ? got.v[i].pattern : 0, i < got.n ? got.v[i].end : 0, want.n, got.n);
    }
    texts_checked++;
    matches_checked += want.n;
    free(text);
}

static void check_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    cr_assert_not_null(f, "%s", path);
    do {
        if (len == cap) {
            cap = cap ? 2 * cap : 65536;
            buf = realloc(buf, cap);
            cr_assert_not_null(buf);
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    check(buf, len, path);
    free(buf);
}

/* Every regular file in dir and, one level down, in its directories. */
static size_t check_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t files = 0;
    char path[4096];

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR) {
            if (depth > 0)
                files += check_tree(path, depth - 1);
        } else if (e->d_type == DT_REG) {
            check_file(path);
            files++;
        }
    }
    closedir(d);
    return files;
}

static void report(const char *what)
{
    cr_log_info("%s: %zu texts, %zu matches, at most %zu waiting (bound %zu)", what, texts_checked,
                matches_checked, most_waiting, smtpstatus__phrase_pending_bound());
}

Test(phrases, labelled_replies)
{
    for (size_t i = 0; i < NVECTORS; i++) {
        char what[64];
        snprintf(what, sizeof what, "replies.tsv line %d", vectors[i].line);
        check(vectors[i].text, vectors[i].len, what);
    }
    cr_assert_gt(matches_checked, NVECTORS, "the replies should hold many matches");
    report("labelled replies");
}

Test(phrases, fuzz_corpora_and_crashes)
{
    size_t files = check_tree(SMTPSTATUS_SOURCE_ROOT "/tests/fuzz/corpus", 1);

    files += check_tree(SMTPSTATUS_SOURCE_ROOT "/tests/fuzz/crashes", 0);
    cr_assert_gt(files, 1000, "the fuzz corpora should be there");
    report("fuzz corpora");
}

Test(phrases, bounce_corpus_when_there)
{
    check_tree(SMTPSTATUS_SOURCE_ROOT "/../shared/corpus/emails/bsd", 0);
    report("bounce corpus");
}

/* The matcher tests the windows of the text's last sixteen bytes apart
 * (with SSE2, from a block that overlaps the one before; the last window
 * of an odd length has three bytes): the longest labelled replies cut at
 * every length, so that each match waits at and ends at every place
 * relative to the blocks and the text's end. */
Test(phrases, texts_ending_at_every_length)
{
    size_t longest[8] = { 0 }, done = 0;

    for (size_t i = 0; i < NVECTORS; i++) {
        size_t k = 0;
        while (k < 8 && vectors[longest[k]].len >= vectors[i].len)
            k++;
        if (k < 8) {
            memmove(longest + k + 1, longest + k, (7 - k) * sizeof *longest);
            longest[k] = i;
        }
    }
    for (size_t k = 0; k < 8; k++) {
        for (size_t n = 0; n <= vectors[longest[k]].len; n++, done++) {
            char what[64];
            snprintf(what, sizeof what, "replies.tsv line %d cut", vectors[longest[k]].line);
            check(vectors[longest[k]].text, n, what);
            check(vectors[longest[k]].text + vectors[longest[k]].len - n, n, what);
        }
    }
    cr_assert_gt(done, 8 * 100);
    report("every length");
}

/* Each pattern alone, at the start and the end, between letters, digits
 * or spaces, upper-cased, and cut short by one byte. */
Test(phrases, every_pattern_in_every_position)
{
    static const char *const around[] = { "", " ", "a", "Z", "0", "_", "\xc3", "\r\n" };
    size_t count = smtpstatus__pattern_count();
    char buf[600];

    cr_assert_gt(count, 1000);
    for (unsigned pid = 0; pid < count; pid++) {
        size_t n;
        unsigned flags;
        const unsigned char *p = smtpstatus__pattern_text(pid, &n, &flags);

        for (size_t a = 0; a < sizeof around / sizeof around[0]; a++) {
            for (size_t b = 0; b < sizeof around / sizeof around[0]; b++) {
                size_t la = strlen(around[a]), lb = strlen(around[b]), len = 0;
                memcpy(buf, around[a], la);
                len += la;
                for (size_t i = 0; i < n; i++)
                    buf[len + i] = (char)((a + b) % 2 && p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
                len += n;
                memcpy(buf + len, around[b], lb);
                len += lb;
                check(buf, len, "a pattern alone");
                check(buf, la + n - 1, "a pattern cut short");
                check(buf + 1, len - 1, "a pattern without its first byte");
            }
        }
    }
    report("every pattern");
}

/* A pattern of three or four bytes at an odd offset is found by a masked
 * anchor: its last three bytes (or all three) and any byte after them.
 * Every short pattern, at both parities, followed by every byte value and
 * preceded by a few, so that every window such an anchor stands for is
 * met, in the middle of a text and as its last, three-byte window. */
Test(phrases, short_patterns_followed_by_every_byte)
{
    static const char lead[] = { ' ', 'q', '\x80', '\0' };
    size_t count = smtpstatus__pattern_count(), shorts = 0;
    char buf[16];

    for (unsigned pid = 0; pid < count; pid++) {
        size_t n;
        unsigned flags;
        const unsigned char *p = smtpstatus__pattern_text(pid, &n, &flags);

        if (n > 4)
            continue;
        shorts++;
        for (size_t before = 0; before < 4; before++) {
            for (unsigned y = 0; y < 256; y++) {
                size_t len = 0;
                for (size_t i = 0; i < before; i++)
                    buf[len++] = lead[(i + y) % sizeof lead];
                for (size_t i = 0; i < n; i++)
                    buf[len++] = (char)(y % 2 && p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
                buf[len++] = (char)y;
                check(buf, len, "a short pattern and a byte");
                buf[len++] = 'x';
                check(buf, len, "a short pattern, a byte and a letter");
            }
        }
    }
    cr_assert_gt(shorts, 0);
    report("short patterns");
}

/* The matcher tests only the windows at even offsets, each pattern having
 * two anchors a byte apart: every pattern at offsets 0 to 5, after and
 * before bytes that are NUL, above 0x7F, letters or spaces, with up to three
 * bytes after it, so each of its anchors is met at the text's start, middle
 * and end (where the last window has three bytes). */
Test(phrases, every_pattern_at_both_parities)
{
    static const char fill[] = { '\0', '\xff', 'x', ' ', '\x80', '.' };
    size_t count = smtpstatus__pattern_count();
    char buf[300];

    for (unsigned pid = 0; pid < count; pid++) {
        size_t n;
        unsigned flags;
        const unsigned char *p = smtpstatus__pattern_text(pid, &n, &flags);

        for (size_t before = 0; before < 6; before++) {
            for (size_t after = 0; after < 4; after++) {
                size_t len = 0;
                for (size_t i = 0; i < before; i++)
                    buf[len++] = fill[(pid + i) % sizeof fill];
                for (size_t i = 0; i < n; i++)
                    buf[len++] = (char)((before + i) % 3 == 0 && p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
                for (size_t i = 0; i < after; i++)
                    buf[len++] = fill[(pid + before + i + 1) % sizeof fill];
                check(buf, len, "a pattern at an odd or even offset");
            }
        }
    }
    report("both parities");
}

/* The matcher tests the windows eight at a time (16 bytes), and the last
 * ones of a text one by one: every pattern at every offset from 0 to 33
 * (two blocks and two more bytes), with 0 to 19 bytes after it (a few of
 * them, different ones for each pattern and offset), so that it
 * starts and ends at every place in a block, in the last full block and
 * in the tail after it. */
Test(phrases, every_pattern_at_every_block_offset)
{
    size_t count = smtpstatus__pattern_count();
    char buf[320];

    for (unsigned pid = 0; pid < count; pid++) {
        size_t n;
        unsigned flags;
        const unsigned char *p = smtpstatus__pattern_text(pid, &n, &flags);

        for (size_t before = 0; before < 34; before++) {
            for (size_t after = (before + pid) % 2; after < 20; after += 2 + (before + pid) % 4) {
                size_t len = 0;
                for (size_t i = 0; i < before; i++)
                    buf[len++] = (char)(i % 7 == 6 ? ' ' : 'q');
                memcpy(buf + len, p, n);
                len += n;
                for (size_t i = 0; i < after; i++)
                    buf[len++] = (char)(i % 5 == 4 ? '.' : 'k');
                check(buf, len, "a pattern at an offset in a block");
            }
        }
    }
    report("every block offset");
}

static uint64_t next_random(uint64_t *state)
{
    /* xorshift64*: a fixed sequence on every platform */
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717u;
}

/* Strings of pieces of patterns (whole, prefixes, suffixes, middles, case
 * changed) and separators, so that patterns overlap, nest, end together
 * and nearly match. */
Test(phrases, strings_made_of_pattern_pieces)
{
    static const char *const separators[] = { "",  "", " ", "-", ".", "x", "1", "\xc3\xa9", "\r\n",
                                              "@", "_", "[", "]" };
    size_t count = smtpstatus__pattern_count();
    uint64_t state = 0x5eed5eed5eedull;
    char buf[1024];

    for (unsigned round = 0; round < 6000; round++) {
        size_t len = 0, pieces = 1 + next_random(&state) % 12;
        for (size_t k = 0; k < pieces; k++) {
            uint64_t r = next_random(&state);
            size_t n, from, to;
            unsigned flags;
            const unsigned char *p = smtpstatus__pattern_text((unsigned)(r % count), &n, &flags);
            const char *sep = separators[(r >> 16) % (sizeof separators / sizeof separators[0])];
            switch ((r >> 24) % 4) {
            case 0: /* whole */
                from = 0, to = n;
                break;
            case 1: /* a prefix */
                from = 0, to = 1 + (r >> 32) % n;
                break;
            case 2: /* a suffix */
                from = (r >> 32) % n, to = n;
                break;
            default: /* a middle */
                from = (r >> 32) % n, to = from + (r >> 40) % (n - from + 1);
                break;
            }
            if (len + strlen(sep) + (to - from) > sizeof buf)
                break;
            memcpy(buf + len, sep, strlen(sep));
            len += strlen(sep);
            for (size_t i = from; i < to; i++) {
                unsigned char c = p[i];
                if (c >= 'a' && c <= 'z' && (r >> (48 + i % 16)) & 1)
                    c = (unsigned char)(c - 32);
                buf[len++] = (char)c;
            }
        }
        check(buf, len, "a string of pattern pieces");
    }
    report("pattern pieces");
}

/* The same patterns again and again: more matches wait at once than
 * anywhere else (ends close together, suffixes of each other). */
Test(phrases, dense_repeats)
{
    size_t count = smtpstatus__pattern_count();
    char buf[2048];

    for (unsigned pid = 0; pid < count; pid++) {
        size_t n, len = 0;
        unsigned flags;
        const unsigned char *p = smtpstatus__pattern_text(pid, &n, &flags);
        while (len + n + 1 <= sizeof buf && len < 400) {
            memcpy(buf + len, p, n);
            len += n;
            buf[len++] = (char)(pid % 2 ? ' ' : p[0]);
        }
        check(buf, len, "a pattern repeated");
        /* With nothing between: a match at every n bytes. */
        for (len = 0; len + n <= sizeof buf && len < 400; len += n)
            memcpy(buf + len, p, n);
        check(buf, len, "a pattern repeated, nothing between");
    }
    cr_assert_gt(most_waiting, 1);
    report("repeats");
}

/* The matches waiting are [first, count) of the scanner's arrays; one
 * held when count is at their end moves them back to the start. Texts
 * rarely get there (the waiting run out between blocks), so the scan of a
 * pattern repeated is put there: once it has handed out its first match,
 * the others waiting are moved to the arrays' end, and the rest of the scan
 * must still give the reference's matches. */
Test(phrases, matches_waiting_at_the_arrays_end)
{
    size_t count = smtpstatus__pattern_count(), moved = 0;
    char buf[400];

    for (unsigned pid = 0; pid < count; pid++) {
        struct smtpstatus__phrase_scan scan;
        size_t n, len, end, i = 0;
        unsigned flags, got_pid;
        const unsigned char *p = smtpstatus__pattern_text(pid, &n, &flags);

        for (len = 0; len + n <= sizeof buf; len += n)
            memcpy(buf + len, p, n);
        phrase_reference(buf, len, &want);
        smtpstatus__phrase_start(&scan, buf, len);
        while (smtpstatus__phrase_next(&scan, &got_pid, &end)) {
            cr_assert_lt(i, want.n, "pattern %u repeated: more matches than the reference", pid);
            cr_assert(want.v[i].pattern == got_pid && want.v[i].end == end,
                      "pattern %u repeated: match %zu differs", pid, i);
            if (i++ == 0 && scan.first < scan.count) {
                unsigned waiting = scan.count - scan.first, to = SMTPSTATUS__PHRASE_PENDING_MAX - waiting;

                memmove(scan.order + to, scan.order + scan.first, waiting * sizeof scan.order[0]);
                scan.first = to;
                scan.count = SMTPSTATUS__PHRASE_PENDING_MAX;
                moved++;
            }
        }
        cr_assert_eq(i, want.n, "pattern %u repeated: fewer matches than the reference", pid);
    }
    cr_assert_gt(moved, 100);
    cr_log_info("%zu scans moved to the arrays' end\n", moved);
}

/* A pattern is compared in full, case folded, by the matcher's wide loads
 * (sixteen bytes, or the first and last eight or four, overlapping): every
 * pattern with each of its bytes changed in the bit that folds case (0x20),
 * the high bit, or both, alone and after 1 to 3 other bytes, so that every
 * byte of every length is met in each part of those loads: a letter of
 * either case is the same, 'A' | 0x80 or a space without 0x20 is not. The
 * anchor's window folds 0x20 itself, so most of these texts get as far as
 * the full compare. */
Test(phrases, every_byte_of_every_pattern_changed)
{
    static const unsigned char flip[] = { 0x20, 0x80, 0xA0 };
    size_t count = smtpstatus__pattern_count();
    char buf[300];

    for (unsigned pid = 0; pid < count; pid++) {
        size_t n;
        unsigned flags;
        const unsigned char *p = smtpstatus__pattern_text(pid, &n, &flags);
        size_t lead = pid % 4;

        memset(buf, ' ', lead);
        for (size_t i = 0; i < n; i++) {
            for (size_t f = 0; f < sizeof flip; f++) {
                memcpy(buf + lead, p, n);
                buf[lead + i] = (char)(p[i] ^ flip[f]);
                buf[lead + n] = '.';
                check(buf, lead + n + 1, "a pattern with a byte changed");
            }
        }
    }
    report("bytes changed");
}
