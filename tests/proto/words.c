/* Prototype (not built by meson, not library code): the front end of a
 * phrase matcher over words instead of byte windows, to count its
 * instructions (callgrind) before anyone builds it. Words are maximal runs
 * of ASCII letters and digits. Each word's key (its whole folded bytes,
 * variant 1, words.h from analyse.py with KEYMAX 16; or its first four,
 * variant 2, KEYMAX 4) is hashed once and looked up in an open-addressing
 * table of the patterns' anchor words; each pattern on a key found is
 * compared in full where its anchor puts it (folded, word boundaries), and
 * the matches are sorted as the classifier weighs them (end, longer first,
 * pattern). Left out: the byte path for the patterns with no anchor word,
 * merging its matches, the pending/hand-out protocol of phrase_next(),
 * non-SSE2 code, texts over 2^40 bytes.
 *
 * cc -O2 -DWORDS_H='"/tmp/proto/words1.h"' -I../../include -I../../lib -I../../build/lib
 *    -I../../build/include -I../../build/tests words.c ../../build/lib/libsmtpstatus.a */
#include <emmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wentry { uint64_t lo, hi; uint8_t len; uint16_t first, n; };
struct wpat { uint64_t check; uint16_t pattern; uint8_t at; };
struct wprow { uint32_t off; uint8_t len, flags; };
#include WORDS_H

#define MAXM 256

static inline int alnum(unsigned char c)
{
    return (unsigned)(c - '0') < 10u || (unsigned)((c | 0x20) - 'a') < 26u;
}

/* Bit i set where p[i] (64 bytes) is an ASCII letter or digit. */
static inline uint64_t alnum64(const unsigned char *p)
{
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i f = _mm_or_si128(x, _mm_set1_epi8(0x20));
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(f, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(f, _mm_set1_epi8('z' + 1)));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit)) << (16 * k);
    }
    return m;
}

/* text[0..n) folded equals the lower-case pattern p: 16 bytes at a time
 * where the text has them. */
static inline int equal_folded(const unsigned char *t, size_t room, const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n || (i < n && room - i >= 16); i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(t + i));
        __m128i up = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
        __m128i f = _mm_add_epi8(x, _mm_and_si128(up, _mm_set1_epi8(0x20)));
        unsigned ne = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(f, _mm_loadu_si128((const __m128i *)(p + i)))) ^ 0xFFFFu;
        if (n - i < 16)
            ne &= (1u << (n - i)) - 1u;
        if (ne)
            return 0;
    }
    for (; i < n; i++) {
        unsigned char c = t[i];
        if ((unsigned)(c - 'A') < 26u)
            c |= 0x20;
        if (c != p[i])
            return 0;
    }
    return 1;
}

static const uint64_t LOW[9] = {0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFull, 0xFFFFFFFFFFFFull,
                                0xFFFFFFFFFFFFFFull, ~0ull};

/* One word text[s..e): look its key up, verify the patterns on it. */
static inline __attribute__((always_inline)) unsigned on_word(const unsigned char *text, size_t len, size_t s, size_t e, uint64_t *out, unsigned m)
{
    size_t wl = e - s, kl = wl < KEYMAX ? wl : KEYMAX;
    uint64_t lo, hi = 0, h;

    if (wl > 16)
        return m; /* no anchor word is longer (analyse.py asserts) */
    if (len - s >= 16) {
        uint64_t a, b;
        memcpy(&a, text + s, 8);
        memcpy(&b, text + s + 8, 8);
        lo = (a | 0x2020202020202020ull) & LOW[kl < 8 ? kl : 8];
        hi = kl > 8 ? (b | 0x2020202020202020ull) & LOW[kl - 8] : 0;
    } else {
        unsigned char w[16] = {0};
        for (size_t i = 0; i < kl; i++)
            w[i] = text[s + i] | 0x20;
        memcpy(&lo, w, 8);
        memcpy(&hi, w + 8, 8);
    }
    h = (lo * 0x9E3779B97F4A7C15ull) ^ (hi * 0xC2B2AE3D27D4EB4Full) ^ kl;
    for (unsigned at = (unsigned)((h * 0xFF51AFD7ED558CCDull) >> 32) >> (32 - WSLOT_BITS); wslots[at];
         at = (at + 1) & ((1u << WSLOT_BITS) - 1)) {
        const struct wentry *en = &wentries[wslots[at] - 1];
        if (en->lo != lo || en->hi != hi || en->len != kl)
            continue;
#ifdef NOVERIFY /* the front end alone: count the keys found */
        out[m & (MAXM - 1)] = en->first;
        return m + 1;
#endif
        for (unsigned k = en->first; k < en->first + en->n; k++) {
            const struct wprow *p = &wpats[wlist[k].pattern];
            size_t st = s - wlist[k].at, end = st + p->len;
            if (s < wlist[k].at || end > len)
                continue;
            if (len - st >= 8) { /* 8 bytes |0x20 first: rejects most without the compare */
                uint64_t t8;
                memcpy(&t8, text + st, 8);
                if (((t8 | 0x2020202020202020ull) & LOW[p->len < 8 ? p->len : 8]) != wlist[k].check)
                    continue;
            }
            if (!equal_folded(text + st, len - st, wpool + p->off, p->len))
                continue;
            if ((p->flags & 1) && st > 0 && alnum(text[st - 1]))
                continue;
            if ((p->flags & 2) && end < len && alnum(text[end]))
                continue;
            if (m < MAXM) { /* sorted by the classifier's order: insertion */
                uint64_t o = (uint64_t)end << 24 | (uint64_t)(255u - p->len) << 16 | wlist[k].pattern;
                unsigned j = m++;
                while (j > 0 && out[j - 1] > o) {
                    out[j] = out[j - 1];
                    j--;
                }
                out[j] = o;
            }
        }
        break;
    }
    return m;
}

/* The word-path matches of text[0..len) into out (sorted): their count. */
__attribute__((noinline)) unsigned word_match(const char *buf, size_t len, uint64_t *out)
{
    const unsigned char *text = (const unsigned char *)buf;
    unsigned m = 0;
    size_t start = 0; /* of the word open at a chunk's start */
    uint64_t prev = 0; /* the last byte of the chunk before was alnum */
    int open = 0;      /* a word runs into this chunk from the one before */

    for (size_t q = 0; q < len; q += 64) {
        uint64_t a, starts, ends;

        if (len - q >= 64) {
            a = alnum64(text + q);
        } else { /* the tail, copied: no read past the text */
            unsigned char tail[64] = {0};
            memcpy(tail, text + q, len - q);
            a = alnum64(tail);
        }
        starts = a & ~(a << 1 | prev);
        ends = ~a & (a << 1 | prev); /* the first byte after a word */
        prev = a >> 63;
        /* Starts and ends alternate: a word open from the chunk before
         * ends at the first end, and each start at the next end after it. */
        if (open && ends) {
            m = on_word(text, len, start, q + (unsigned)__builtin_ctzll(ends), out, m);
            ends &= ends - 1;
            open = 0;
        }
        while (starts) {
            start = q + (unsigned)__builtin_ctzll(starts);
            starts &= starts - 1;
            if (!ends) {
                open = 1;
                break;
            }
            m = on_word(text, len, start, q + (unsigned)__builtin_ctzll(ends), out, m);
            ends &= ends - 1;
        }
    }
    if (open) /* a word to the text's end (a full last chunk) */
        m = on_word(text, len, start, len, out, m);
    return m;
}
