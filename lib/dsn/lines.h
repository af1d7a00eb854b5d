/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The DSN reader's scans of a block of bytes at a time: line ends (CR and
 * LF), field names, quoted-printable literal runs, a diagnostic's folds
 * and Content-Type delimiters. Each has three forms: SSE2 (sixteen bytes a
 * load, under __SSE2__), portable (eight bytes a word) and the plain
 * byte-by-byte definition the other two are tested against
 * (tests/test-lines.c). None reads past the len it is given: a partial
 * last block ends with a load that ends at len itself, or goes byte by
 * byte.
 *
 * Line ends: a block of 64 bytes becomes a bitmask of its CR and LF bytes
 * once, and the header scan (mime.c) finds the lines within it by their
 * set bits. Searching for each line's end alone restarted a loop per line,
 * whose exit the processor mispredicts once a line.
 */

#ifndef SMTPSTATUS_DSN_LINES_H
#define SMTPSTATUS_DSN_LINES_H

#include "../internal.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define SMTPSTATUS__LINES_SSE2 1
#endif

/* Bit k set when buf[at + k] is a CR or an LF, for k < 64 and at + k < len
 * (at <= len): the plain definition, byte by byte. */
static inline uint64_t smtpstatus__eol_bits_bytewise(const char *buf, size_t len, size_t at)
{
    uint64_t m = 0;
    size_t n = len - at < 64 ? len - at : 64;

    for (size_t k = 0; k < n; k++)
        if (buf[at + k] == '\n' || buf[at + k] == '\r')
            m |= (uint64_t)1 << k;
    return m;
}

/* The zero bytes of y: the top bit of each, exactly (the low seven bits
 * of a byte plus 0x7F carry into its top bit when any is set, and never
 * into the next byte). */
static inline uint64_t smtpstatus__zero_bytes(uint64_t y)
{
    return ~(((y & ~SMTPSTATUS__HIGHS) + ~SMTPSTATUS__HIGHS) | y) & SMTPSTATUS__HIGHS;
}

/* The same, eight bytes at a time: the top bit of each byte of x that is
 * CR or LF, gathered into eight bits by one multiply (each top bit lands
 * on its own bit of the top byte, and no two products overlap, so nothing
 * carries). */
static inline unsigned smtpstatus__eol_bits8(uint64_t x)
{
    uint64_t t = smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * '\n') |
                 smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * '\r');

    return (unsigned)(((t >> 7) * UINT64_C(0x0102040810204080)) >> 56);
}

uint64_t smtpstatus__eol_bits_tail_portable(const char *buf, size_t len, size_t at);

static inline uint64_t smtpstatus__eol_bits_portable(const char *buf, size_t len, size_t at)
{
    uint64_t m = 0;

    if (len - at < 64)
        return smtpstatus__eol_bits_tail_portable(buf, len, at);
    for (unsigned k = 0; k < 64; k += 8)
        m |= (uint64_t)smtpstatus__eol_bits8(smtpstatus__load64(buf + at + k)) << k;
    return m;
}

#ifdef SMTPSTATUS__LINES_SSE2
static inline unsigned smtpstatus__eol_bits16(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
}

/* The last, partial block (fewer than 64 bytes left): out of line, as it
 * is met once a text. */
uint64_t smtpstatus__eol_bits_tail_sse2(const char *buf, size_t len, size_t at);

static inline uint64_t smtpstatus__eol_bits_sse2(const char *buf, size_t len, size_t at)
{
    if (len - at < 64)
        return smtpstatus__eol_bits_tail_sse2(buf, len, at);
    return (uint64_t)smtpstatus__eol_bits16(buf + at) |
           (uint64_t)smtpstatus__eol_bits16(buf + at + 16) << 16 |
           (uint64_t)smtpstatus__eol_bits16(buf + at + 32) << 32 |
           (uint64_t)smtpstatus__eol_bits16(buf + at + 48) << 48;
}
#endif

/* The block's bits as the build computes them. */
static inline uint64_t smtpstatus__eol_bits(const char *buf, size_t len, size_t at)
{
#ifdef SMTPSTATUS__LINES_SSE2
    return smtpstatus__eol_bits_sse2(buf, len, at);
#else
    return smtpstatus__eol_bits_portable(buf, len, at);
#endif
}

/* ---- Field names (RFC 5322 §3.6.8: printable ASCII other than ':') ----
 * The header readers measure the name of every line they meet; most are
 * a dozen bytes or so, found in one load of sixteen (or two of eight)
 * instead of a look-up a byte. */

/* The top bit of each byte of x that cannot be in a field name. */
static inline uint64_t smtpstatus__not_name8(uint64_t x)
{
    return (~smtpstatus__bytes_in(x, 0x21, 0x7E) & SMTPSTATUS__HIGHS) |
           smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * ':');
}

/* The first offset in [i, end) whose byte cannot be in a field name, or
 * end: the plain definition. */
static inline size_t smtpstatus__name_end_bytewise(const char *buf, size_t i, size_t end)
{
    while (i < end && buf[i] > ' ' && buf[i] != ':' && (unsigned char)buf[i] < 0x7F)
        i++;
    return i;
}

static inline size_t smtpstatus__name_end_portable(const char *buf, size_t i, size_t end)
{
    while (end - i >= 8) {
        uint64_t m = smtpstatus__not_name8(smtpstatus__load64(buf + i));
        if (m != 0)
            return i + smtpstatus__first_byte(m);
        i += 8;
    }
    return smtpstatus__name_end_bytewise(buf, i, end);
}

#ifdef SMTPSTATUS__LINES_SSE2
static inline size_t smtpstatus__name_end_sse2(const char *buf, size_t i, size_t end)
{
    while (end - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
        /* Signed: the bytes from 0x80 are below ' ' too. */
        __m128i stop = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8('!')),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')),
                                                 _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))));
        unsigned m = (unsigned)_mm_movemask_epi8(stop);
        if (m != 0)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
    return smtpstatus__name_end_portable(buf, i, end);
}
#endif

static inline size_t smtpstatus__name_end(const char *buf, size_t i, size_t end)
{
#ifdef SMTPSTATUS__LINES_SSE2
    return smtpstatus__name_end_sse2(buf, i, end);
#else
    return smtpstatus__name_end_portable(buf, i, end);
#endif
}

/* ---- Where a field name stops (the header scan's length filter, mime.c) ----
 * A line can be a field sought only when its first ':', SP or HTAB is
 * right after the name (RFC 5322 §3.6.8, and §4.5.3's blanks before the
 * colon): the offset of that byte picks the names of that length at one
 * look-up, where a line starting with "X-" was tried against each name
 * starting with 'x' in turn. */

#define SMTPSTATUS__NAME_STOP_MAX 32

/* The offset from `at` of the first ':', SP or HTAB in buf[at, len),
 * looking no further than SMTPSTATUS__NAME_STOP_MAX bytes: that maximum
 * when there is none within it, len - at when the text ends first. The
 * plain definition: */
static inline size_t smtpstatus__name_stop_bytewise(const char *buf, size_t at, size_t len)
{
    size_t i = at;

    while (i < len && i - at < SMTPSTATUS__NAME_STOP_MAX && buf[i] != ':' && buf[i] != ' ' &&
           buf[i] != '\t')
        i++;
    return i - at;
}

static inline size_t smtpstatus__name_stop_portable(const char *buf, size_t at, size_t len)
{
    size_t i = at;

    while (len - i >= 8 && i - at < SMTPSTATUS__NAME_STOP_MAX) {
        uint64_t x = smtpstatus__load64(buf + i);
        uint64_t m = smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * ':') |
                     smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * ' ') |
                     smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * '\t');
        if (m != 0)
            return i - at + smtpstatus__first_byte(m);
        i += 8;
    }
    if (i - at >= SMTPSTATUS__NAME_STOP_MAX)
        return SMTPSTATUS__NAME_STOP_MAX;
    return i - at + smtpstatus__name_stop_bytewise(buf, i, len);
}

#ifdef SMTPSTATUS__LINES_SSE2
/* Bit k set when p[k] is ':', SP or HTAB, for k < 16. */
static inline unsigned smtpstatus__name_stop16(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

    return (unsigned)_mm_movemask_epi8(_mm_or_si128(
        _mm_cmpeq_epi8(v, _mm_set1_epi8(':')),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')))));
}

/* Most names are shorter than sixteen: one load decides them. */
static inline size_t smtpstatus__name_stop_sse2(const char *buf, size_t at, size_t len)
{
    if (len - at >= 2 * 16) {
        unsigned m = smtpstatus__name_stop16(buf + at);
        if (m != 0)
            return (size_t)__builtin_ctz(m);
        m = smtpstatus__name_stop16(buf + at + 16) | 1u << 16;
        return 16 + (size_t)__builtin_ctz(m);
    }
    return smtpstatus__name_stop_portable(buf, at, len);
}
#endif

static inline size_t smtpstatus__name_stop(const char *buf, size_t at, size_t len)
{
#ifdef SMTPSTATUS__LINES_SSE2
    return smtpstatus__name_stop_sse2(buf, at, len);
#else
    return smtpstatus__name_stop_portable(buf, at, len);
#endif
}

/* ---- The start of a line, looking back (text-hints.c) ----
 * The stage hints look back from a phrase for the line that names its
 * recipient; Postfix's lines run long, and were walked back a byte a
 * step. */

/* The start of the line that holds t[at], looking back no further than
 * floor (floor <= at): the largest i in (floor, at] with t[i - 1] a CR or
 * an LF, else floor. Reads t[floor, at) only. The plain definition: */
static inline size_t smtpstatus__line_start_bytewise(const char *t, size_t at, size_t floor)
{
    while (at > floor && t[at - 1] != '\n' && t[at - 1] != '\r')
        at--;
    return at;
}

/* The same, the eight bytes before `at` a word. */
static inline size_t smtpstatus__line_start(const char *t, size_t at, size_t floor)
{
    while (at - floor >= 8) {
        uint64_t x = smtpstatus__load64(t + at - 8);
        uint64_t m = smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * '\n') |
                     smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * '\r');
        if (m != 0)
            return at - 8 + smtpstatus__last_byte(m) + 1;
        at -= 8;
    }
    return smtpstatus__line_start_bytewise(t, at, floor);
}

/* ---- Runs of literal text (quoted-printable bodies, mime.c) ---- */

/* Copy in[0, n) to out up to the first byte c, which is not copied;
 * returns how many were copied (n when there is no c). out may not lie
 * after in within one buffer: the decoders write behind their reading. */
static inline size_t smtpstatus__copy_to_byte_bytewise(const char *in, size_t n, char *out, char c)
{
    size_t i = 0;

    while (i < n && in[i] != c) {
        out[i] = in[i];
        i++;
    }
    return i;
}

static inline size_t smtpstatus__copy_to_byte_portable(const char *in, size_t n, char *out, char c)
{
    size_t i = 0;

    while (n - i >= 8) {
        uint64_t x, m;
        memcpy(&x, in + i, 8);
        memcpy(out + i, &x, 8); /* the bytes past c are written over later */
        m = smtpstatus__zero_bytes(smtpstatus__load64(in + i) ^ SMTPSTATUS__ONES * (unsigned char)c);
        if (m != 0)
            return i + smtpstatus__first_byte(m);
        i += 8;
    }
    return i + smtpstatus__copy_to_byte_bytewise(in + i, n - i, out + i, c);
}

#ifdef SMTPSTATUS__LINES_SSE2
static inline size_t smtpstatus__copy_to_byte_sse2(const char *in, size_t n, char *out, char c)
{
    size_t i = 0;

    while (n - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
        _mm_storeu_si128((__m128i *)(void *)(out + i), v);
        if (m != 0)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
    return i + smtpstatus__copy_to_byte_portable(in + i, n - i, out + i, c);
}
#endif

static inline size_t smtpstatus__copy_to_byte(const char *in, size_t n, char *out, char c)
{
#ifdef SMTPSTATUS__LINES_SSE2
    return smtpstatus__copy_to_byte_sse2(in, n, out, c);
#else
    return smtpstatus__copy_to_byte_portable(in, n, out, c);
#endif
}

/* ---- Where a diagnostic needs unfolding (sink.c) ---- */

/* The first i in [0, len) where in[i] is a tab, CR or LF, or a space
 * followed by a space, tab, CR or LF; len when there is none. Most
 * diagnostics are one line with single spaces, and are read as they are. */
static inline size_t smtpstatus__first_fold_bytewise(const char *in, size_t len)
{
    size_t i = 0;

    for (; i < len; i++) {
        char c = in[i], d = i + 1 < len ? in[i + 1] : 'x';
        if (c == '\t' || c == '\r' || c == '\n' ||
            (c == ' ' && (d == ' ' || d == '\t' || d == '\r' || d == '\n')))
            break;
    }
    return i;
}

static inline uint64_t smtpstatus__blanks8(uint64_t x)
{
    return smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * '\t') | smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * '\r') |
           smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * '\n');
}

static inline size_t smtpstatus__first_fold_portable(const char *in, size_t len)
{
    size_t i = 0;

    /* Eight positions a step, with the byte after each (a second load, one
     * byte on). */
    while (len - i >= 9) {
        uint64_t x = smtpstatus__load64(in + i), y = smtpstatus__load64(in + i + 1);
        uint64_t other = smtpstatus__blanks8(x);
        uint64_t next = smtpstatus__blanks8(y) | smtpstatus__zero_bytes(y ^ SMTPSTATUS__ONES * ' ');
        uint64_t m = other | (smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * ' ') & next);
        if (m != 0)
            return i + smtpstatus__first_byte(m);
        i += 8;
    }
    return i + smtpstatus__first_fold_bytewise(in + i, len - i);
}

#ifdef SMTPSTATUS__LINES_SSE2
static inline size_t smtpstatus__first_fold_sse2(const char *in, size_t len)
{
    size_t i = 0;
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'),
                  lf = _mm_set1_epi8('\n');

    while (len - i >= 17) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 1));
        __m128i other = _mm_or_si128(_mm_cmpeq_epi8(x, tab),
                                     _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, lf)));
        __m128i next = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(y, sp), _mm_cmpeq_epi8(y, tab)),
                                    _mm_or_si128(_mm_cmpeq_epi8(y, cr), _mm_cmpeq_epi8(y, lf)));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(other, _mm_and_si128(_mm_cmpeq_epi8(x, sp), next)));
        if (m != 0)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
    return i + smtpstatus__first_fold_portable(in + i, len - i);
}
#endif

static inline size_t smtpstatus__first_fold(const char *in, size_t len)
{
    /* An empty diagnostic may have no bytes at all (NULL): no pointer
     * arithmetic on it. */
    if (len == 0)
        return 0;
#ifdef SMTPSTATUS__LINES_SSE2
    return smtpstatus__first_fold_sse2(in, len);
#else
    return smtpstatus__first_fold_portable(in, len);
#endif
}

/* ---- Unfolding a diagnostic (sink.c) ----
 * A diagnostic folded over lines ("can't determine Purported\r\n
 * Responsible Address") is read with each run of white space (space, tab,
 * CR, LF) that holds a line break or more than one blank made one space
 * (RFC 5322 §2.2.3 unfolding, then RFC 3464's "free-form text" compared
 * word by word). out[0, j) is the result and map[j] the offset in `in` of
 * out[j]. Returns j; 0 when nothing needed joining (smtpstatus__first_fold()
 * finds no fold), when the result would be longer than `max`, or when len
 * is more than a map entry holds. out and map hold max entries. */

static inline int smtpstatus__is_fold_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Unfold in[i, len) into out from j on: the byte-by-byte rule that both
 * forms below end with. Returns the length, or 0 past max. */
static inline size_t smtpstatus__unfold_rest(const char *in, size_t len, size_t i, char *out, uint16_t *map,
                                             size_t j, size_t max)
{
    while (i < len) {
        if (j == max)
            return 0;
        map[j] = (uint16_t)i;
        if (smtpstatus__is_fold_space(in[i])) {
            out[j++] = ' ';
            while (i < len && smtpstatus__is_fold_space(in[i]))
                i++;
        } else {
            out[j++] = in[i++];
        }
    }
    return j;
}

/* The plain definition, a byte a step. */
static inline size_t smtpstatus__unfold_bytewise(const char *in, size_t len, char *out, uint16_t *map,
                                                 size_t max)
{
    size_t i = smtpstatus__first_fold_bytewise(in, len), j;

    if (i == len || i > max || len > UINT16_MAX)
        return 0;
    for (j = 0; j < i; j++) {
        out[j] = in[j];
        map[j] = (uint16_t)j;
    }
    return smtpstatus__unfold_rest(in, len, i, out, map, j, max);
}

/* The same, a block at a time: a block of the text is copied whole with
 * its map, up to its first fold (as smtpstatus__first_fold() finds them:
 * the bytes before it need no change, a single space included), where
 * the run of white space becomes one space. The last bytes, and those
 * within a block of `max`, go a byte a step. */
static inline size_t smtpstatus__unfold(const char *in, size_t len, char *out, uint16_t *map, size_t max)
{
    size_t i = smtpstatus__first_fold(in, len), j = 0;

    if (i == len || i > max || len > UINT16_MAX)
        return 0;
    i = 0;
#ifdef SMTPSTATUS__LINES_SSE2
    {
        const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'),
                      lf = _mm_set1_epi8('\n');
        const __m128i lo = _mm_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7), eight = _mm_set1_epi16(8);

        while (len - i >= 17 && max - j >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
            __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 1));
            __m128i other = _mm_or_si128(_mm_cmpeq_epi8(x, tab),
                                         _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, lf)));
            __m128i next = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(y, sp), _mm_cmpeq_epi8(y, tab)),
                                        _mm_or_si128(_mm_cmpeq_epi8(y, cr), _mm_cmpeq_epi8(y, lf)));
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(other, _mm_and_si128(_mm_cmpeq_epi8(x, sp), next)));
            __m128i at = _mm_add_epi16(_mm_set1_epi16((short)i), lo);

            _mm_storeu_si128((__m128i *)(void *)(out + j), x);
            _mm_storeu_si128((__m128i *)(void *)(map + j), at);
            _mm_storeu_si128((__m128i *)(void *)(map + j + 8), _mm_add_epi16(at, eight));
            if (m == 0) {
                i += 16;
                j += 16;
                continue;
            }
            m = (unsigned)__builtin_ctz(m);
            i += m;
            j += m;
            map[j] = (uint16_t)i;
            out[j++] = ' ';
            while (i < len && smtpstatus__is_fold_space(in[i]))
                i++;
        }
    }
#else
    while (len - i >= 9 && max - j >= 8) {
        uint64_t x = smtpstatus__load64(in + i), y = smtpstatus__load64(in + i + 1);
        uint64_t next = smtpstatus__blanks8(y) | smtpstatus__zero_bytes(y ^ SMTPSTATUS__ONES * ' ');
        uint64_t m = smtpstatus__blanks8(x) | (smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * ' ') & next);
        size_t n = m == 0 ? 8 : smtpstatus__first_byte(m);

        memcpy(out + j, in + i, 8);
        for (size_t k = 0; k < 8; k++)
            map[j + k] = (uint16_t)(i + k);
        i += n;
        j += n;
        if (m != 0) {
            map[j] = (uint16_t)i;
            out[j++] = ' ';
            while (i < len && smtpstatus__is_fold_space(in[i]))
                i++;
        }
    }
#endif
    return smtpstatus__unfold_rest(in, len, i, out, map, j, max);
}

/* ---- One of two bytes (Content-Type parameters, mime.c) ---- */

/* The first offset in [i, len) of byte a or byte b, or len. */
static inline size_t smtpstatus__find_either_bytewise(const char *s, size_t i, size_t len, char a, char b)
{
    while (i < len && s[i] != a && s[i] != b)
        i++;
    return i;
}

static inline size_t smtpstatus__find_either_portable(const char *s, size_t i, size_t len, char a, char b)
{
    while (len - i >= 8) {
        uint64_t x = smtpstatus__load64(s + i);
        uint64_t m = smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * (unsigned char)a) |
                     smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * (unsigned char)b);
        if (m != 0)
            return i + smtpstatus__first_byte(m);
        i += 8;
    }
    return smtpstatus__find_either_bytewise(s, i, len, a, b);
}

#ifdef SMTPSTATUS__LINES_SSE2
/* Bit k set when p[k] is a or b, for k < 16. */
static inline unsigned smtpstatus__either_mask16(const char *p, char a, char b)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)), _mm_cmpeq_epi8(v, _mm_set1_epi8(b))));
}

static inline size_t smtpstatus__find_either_sse2(const char *s, size_t i, size_t len, char a, char b)
{
    unsigned m;

    while (len - i >= 16) {
        m = smtpstatus__either_mask16(s + i, a, b);
        if (m != 0)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
    if (i >= len)
        return len;
    if (len < 16)
        return smtpstatus__find_either_portable(s, i, len, a, b);
    /* The last block ends at len; its bytes before i (within s, already
     * tested) are shifted out. */
    m = smtpstatus__either_mask16(s + len - 16, a, b) >> (16 - (len - i));
    return m != 0 ? i + (size_t)__builtin_ctz(m) : len;
}
#endif

static inline size_t smtpstatus__find_either(const char *s, size_t i, size_t len, char a, char b)
{
#ifdef SMTPSTATUS__LINES_SSE2
    return smtpstatus__find_either_sse2(s, i, len, a, b);
#else
    return smtpstatus__find_either_portable(s, i, len, a, b);
#endif
}

/* ---- One of five bytes (Content-Type delimiters, mime.c) ---- */

/* Inlined where it is used, whatever the compiler's estimate of its size
 * (SMTPSTATUS__ALWAYS_INLINE): its five bytes are then constants, where a
 * call builds five vectors from its arguments, which costs more than a
 * short search. */

/* The first offset in [i, len) of any of the bytes a, b, c, d, e (repeat
 * one for fewer), or len. */
static inline size_t smtpstatus__find_of5_bytewise(const char *s, size_t i, size_t len, char a, char b,
                                                   char c, char d, char e)
{
    while (i < len && s[i] != a && s[i] != b && s[i] != c && s[i] != d && s[i] != e)
        i++;
    return i;
}

static inline size_t smtpstatus__find_of5_portable(const char *s, size_t i, size_t len, char a, char b,
                                                   char c, char d, char e)
{
    while (len - i >= 8) {
        uint64_t x = smtpstatus__load64(s + i);
        uint64_t m = smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * (unsigned char)a) |
                     smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * (unsigned char)b) |
                     smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * (unsigned char)c) |
                     smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * (unsigned char)d) |
                     smtpstatus__zero_bytes(x ^ SMTPSTATUS__ONES * (unsigned char)e);
        if (m != 0)
            return i + smtpstatus__first_byte(m);
        i += 8;
    }
    return smtpstatus__find_of5_bytewise(s, i, len, a, b, c, d, e);
}

#ifdef SMTPSTATUS__LINES_SSE2
/* Bit k set when p[k] is one of the five, for k < 16. */
static inline unsigned smtpstatus__of5_mask16(const char *p, char a, char b, char c, char d, char e)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8(b))),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8(d)))),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8(e))));
}

static inline SMTPSTATUS__ALWAYS_INLINE size_t smtpstatus__find_of5_sse2(const char *s, size_t i, size_t len,
                                                                         char a, char b, char c, char d,
                                                                         char e)
{
    unsigned m;

    while (len - i >= 16) {
        m = smtpstatus__of5_mask16(s + i, a, b, c, d, e);
        if (m != 0)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
    if (i >= len)
        return len;
    if (len < 16)
        return smtpstatus__find_of5_portable(s, i, len, a, b, c, d, e);
    /* The last block ends at len; its bytes before i (within s, already
     * tested) are shifted out. Content-Type values are short, so this is
     * where most searches end. */
    m = smtpstatus__of5_mask16(s + len - 16, a, b, c, d, e) >> (16 - (len - i));
    return m != 0 ? i + (size_t)__builtin_ctz(m) : len;
}
#endif

static inline SMTPSTATUS__ALWAYS_INLINE size_t smtpstatus__find_of5(const char *s, size_t i, size_t len,
                                                                    char a, char b, char c, char d, char e)
{
#ifdef SMTPSTATUS__LINES_SSE2
    return smtpstatus__find_of5_sse2(s, i, len, a, b, c, d, e);
#else
    return smtpstatus__find_of5_portable(s, i, len, a, b, c, d, e);
#endif
}

/* ---- A run of one byte ("-----", decode-sendmail.c) ---- */

/* The first offset p where s[p, p + k) are all c, counting on from `run`
 * bytes c just before i, with p + k in (i, len]; else len. */
static inline size_t smtpstatus__run_from(const char *s, size_t i, size_t len, char c, unsigned k,
                                          unsigned run)
{
    for (; i < len; i++) {
        run = s[i] == c ? run + 1 : 0;
        if (run == k)
            return i + 1 - k;
    }
    return len;
}

/* The first offset p in [i, len) where s[p, p + k) are all c (k from 2 to
 * 16), or len: the plain definition. */
static inline size_t smtpstatus__find_run_bytewise(const char *s, size_t i, size_t len, char c, unsigned k)
{
    return smtpstatus__run_from(s, i, len, c, k, 0);
}

/* Each c found (find_either), and the run from it counted. */
static inline size_t smtpstatus__find_run_portable(const char *s, size_t i, size_t len, char c, unsigned k)
{
    while ((i = smtpstatus__find_either_portable(s, i, len, c, c)) < len) {
        size_t q = i;
        while (q < len && s[q] == c && q - i < k)
            q++;
        if (q - i == k)
            return i;
        i = q;
    }
    return len;
}

#ifdef SMTPSTATUS__LINES_SSE2
/* The bits of m (a block of `width` bytes from i, bit p for s[i + p] == c)
 * where a run of k starts, given the `*carry` bytes c that end the block
 * before: the run's start, or len when there is none; *carry becomes the
 * bytes c that end this block (fewer than k, or a run would start in it). */
static inline size_t smtpstatus__run_in(uint64_t m, unsigned width, size_t i, unsigned k, unsigned *carry,
                                        size_t len)
{
    uint64_t r = m, full = width == 64 ? ~(uint64_t)0 : ((uint64_t)1 << width) - 1;
    unsigned lead = m == full ? width : smtpstatus__ctz64(~m);

    if (*carry > 0 && *carry + lead >= k)
        return i - *carry;
    for (unsigned t = 1; t < k; t++)
        r &= m >> t;
    if (r != 0)
        return i + smtpstatus__ctz64(r);
    /* No run of k within the block: its last bytes c are fewer. */
    *carry = m == 0 ? 0 : (unsigned)__builtin_clzll(~(m << (64 - width)));
    return len;
}

static inline size_t smtpstatus__find_run_sse2(const char *s, size_t i, size_t len, char c, unsigned k)
{
    const __m128i v = _mm_set1_epi8(c);
    unsigned carry = 0;
    size_t p;

    /* Sixty-four bytes a round; most rounds of a text hold no c at all,
     * one test rules them out. */
    while (len - i >= 64) {
        __m128i a = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), v);
        __m128i b = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i + 16)), v);
        __m128i d = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i + 32)), v);
        __m128i e = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i + 48)), v);
        uint64_t m;

        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(d, e))) == 0) {
            carry = 0;
            i += 64;
            continue;
        }
        m = (uint64_t)(unsigned)_mm_movemask_epi8(a) | (uint64_t)(unsigned)_mm_movemask_epi8(b) << 16 |
            (uint64_t)(unsigned)_mm_movemask_epi8(d) << 32 | (uint64_t)(unsigned)_mm_movemask_epi8(e) << 48;
        if ((p = smtpstatus__run_in(m, 64, i, k, &carry, len)) < len)
            return p;
        i += 64;
    }
    while (len - i >= 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), v));
        if (m == 0)
            carry = 0;
        else if ((p = smtpstatus__run_in(m, 16, i, k, &carry, len)) < len)
            return p;
        i += 16;
    }
    /* The last bytes, counting on from the run that ends the blocks. */
    return smtpstatus__run_from(s, i, len, c, k, carry);
}
#endif

static inline size_t smtpstatus__find_run(const char *s, size_t i, size_t len, char c, unsigned k)
{
#ifdef SMTPSTATUS__LINES_SSE2
    return smtpstatus__find_run_sse2(s, i, len, c, k);
#else
    return smtpstatus__find_run_portable(s, i, len, c, k);
#endif
}

#endif
