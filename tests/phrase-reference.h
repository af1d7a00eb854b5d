/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The classifier's phrase matcher against an obviously correct one: every
 * pattern tried at every offset, ASCII case folded byte by byte, the word
 * boundaries checked, then sorted into the order the classifier weighs
 * matches in (by end offset, the longer first on one end, then by pattern
 * id: the order an Aho-Corasick automaton gives its outputs). Shared by
 * tests/test-phrases.c and the classify fuzz target. Test code: it
 * allocates.
 */

#ifndef SMTPSTATUS_PHRASE_REFERENCE_H
#define SMTPSTATUS_PHRASE_REFERENCE_H

#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct phrase_hit {
    size_t end;
    unsigned pattern, len;
};

struct phrase_hits {
    struct phrase_hit *v;
    size_t n, cap;
};

static inline void phrase_push(struct phrase_hits *h, size_t end, unsigned pattern, unsigned len)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 64;
        h->v = realloc(h->v, h->cap * sizeof *h->v);
        if (h->v == NULL)
            abort();
    }
    h->v[h->n].end = end;
    h->v[h->n].pattern = pattern;
    h->v[h->n].len = len;
    h->n++;
}

static inline int phrase_order(const void *pa, const void *pb)
{
    const struct phrase_hit *a = pa, *b = pb;

    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    return a->pattern < b->pattern ? -1 : a->pattern > b->pattern;
}

static inline int phrase_is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline unsigned char phrase_fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* The patterns grouped by their first byte, so that the reference tries
 * at each offset only those that can start there. */
struct phrase_index {
    size_t first[257];
    unsigned *pattern;
};

static inline const struct phrase_index *phrase_index(void)
{
    static struct phrase_index index;
    size_t count = smtpstatus__pattern_count(), n;
    unsigned flags;

    if (index.pattern != NULL)
        return &index;
    index.pattern = malloc(count * sizeof *index.pattern);
    if (index.pattern == NULL)
        abort();
    for (unsigned pid = 0; pid < count; pid++)
        index.first[smtpstatus__pattern_text(pid, &n, &flags)[0] + 1]++;
    for (unsigned b = 1; b <= 256; b++)
        index.first[b] += index.first[b - 1];
    {
        size_t at[256];
        memcpy(at, index.first, sizeof at);
        for (unsigned pid = 0; pid < count; pid++)
            index.pattern[at[smtpstatus__pattern_text(pid, &n, &flags)[0]]++] = pid;
    }
    return &index;
}

/* Every occurrence of every pattern in text[0..len), in the classifier's order. */
static inline void phrase_reference(const char *text, size_t len, struct phrase_hits *out)
{
    const unsigned char *t = (const unsigned char *)text;
    const struct phrase_index *index = phrase_index();

    out->n = 0;
    for (size_t s = 0; s < len; s++) {
        unsigned char c = phrase_fold(t[s]);
        for (size_t k = index->first[c]; k < index->first[c + 1]; k++) {
            unsigned pid = index->pattern[k];
            size_t n, i;
            unsigned flags;
            const unsigned char *p = smtpstatus__pattern_text(pid, &n, &flags);

            if (n > len - s)
                continue;
            for (i = 0; i < n && phrase_fold(t[s + i]) == p[i]; i++)
                ;
            if (i < n)
                continue;
            if ((flags & SMTPSTATUS__PATTERN_WORD_BEFORE) && s > 0 && phrase_is_alnum(t[s - 1]))
                continue;
            if ((flags & SMTPSTATUS__PATTERN_WORD_AFTER) && s + n < len && phrase_is_alnum(t[s + n]))
                continue;
            phrase_push(out, s + n, pid, (unsigned)n);
        }
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, phrase_order);
}

/* What smtpstatus__phrase_next() hands out for the text, in its order. */
static inline void phrase_matcher(const char *text, size_t len, struct phrase_hits *out)
{
    struct smtpstatus__phrase_scan scan;
    unsigned pid;
    size_t end, n;
    unsigned flags;

    out->n = 0;
    smtpstatus__phrase_start(&scan, text, len);
    while (smtpstatus__phrase_next(&scan, &pid, &end)) {
        (void)smtpstatus__pattern_text(pid, &n, &flags);
        phrase_push(out, end, pid, (unsigned)n);
    }
}

/* The index of the first difference between the two lists, or -1 when
 * they are the same. */
static inline long phrase_first_difference(const struct phrase_hits *a, const struct phrase_hits *b)
{
    size_t i;

    for (i = 0; i < a->n && i < b->n; i++)
        if (a->v[i].end != b->v[i].end || a->v[i].pattern != b->v[i].pattern)
            return (long)i;
    return a->n == b->n ? -1 : (long)i;
}

#endif /* SMTPSTATUS_PHRASE_REFERENCE_H */
