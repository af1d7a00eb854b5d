/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The classifier's rules, compiled by lib/gen/gen-rules.py from lib/data/
 * into static const tables, and the matching over them.
 *
 * Text matching tests the 4-byte windows of the input at even offsets against the
 * patterns' anchors and verifies the patterns whose anchor is there (see
 * "The phrase matcher" below): one pass, time linear in the input, no
 * backtracking, no allocation. ASCII letters compare without case; other
 * bytes (UTF-8 in non-English patterns, or garbage) compare exactly, so any
 * byte sequence is safe input.
 */

#include "internal.h"

#include "smtpstatus-rules.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define WILDCARD 0xFFFFu

/* At most this many occurrences of patterns with provider rules are kept
 * for weighing after the scan; plain text rules have no such limit. */
#define MATCHES_MAX 64

const char *smtpstatus__rstring(uint32_t off)
{
    return off == 0 ? NULL : SMTPSTATUS__RPOOL + off;
}

const struct smtpstatus__reason_row *smtpstatus__reason(unsigned reason)
{
    return reason < COUNT(smtpstatus__reasons) ? &smtpstatus__reasons[reason] : NULL;
}

size_t smtpstatus__reason_count(void)
{
    return COUNT(smtpstatus__reasons);
}

const struct smtpstatus__rule_row *smtpstatus__rule(unsigned index)
{
    return index < COUNT(smtpstatus__rules) ? &smtpstatus__rules[index] : NULL;
}

/* The tables the verdict reads through inline accessors (internal.h). */
const struct smtpstatus__rule_tables smtpstatus__tables = {
    smtpstatus__reasons, smtpstatus__rules, SMTPSTATUS__RPOOL, COUNT(smtpstatus__reasons), COUNT(smtpstatus__rules),
};

const char *smtpstatus__sisimai_name(unsigned index)
{
    return index < COUNT(smtpstatus__sisimai_names)
               ? smtpstatus__rstring(smtpstatus__sisimai_names[index])
               : NULL;
}

const char *smtpstatus__provider_key(unsigned index)
{
    return index < SMTPSTATUS__PROVIDER_COUNT
               ? smtpstatus__rstring(smtpstatus__providers[index].key)
               : NULL;
}

const struct smtpstatus__advice_row *smtpstatus__find_advice(unsigned subject, unsigned detail)
{
    const struct smtpstatus__advice_row *subject_row = NULL;

    for (size_t i = 0; i < COUNT(smtpstatus__advice); i++) {
        const struct smtpstatus__advice_row *row = &smtpstatus__advice[i];
        if (row->subject != subject)
            continue;
        if (row->detail == detail)
            return row;
        if (row->detail == WILDCARD)
            subject_row = row;
    }
    return subject_row;
}

/* The order of evidence: confidence, then the tier on a confidence tie
 * (provider > text > enhanced code > reply code), then (between two
 * phrases) the longer, more specific one; on a full tie the first found
 * stays ahead. Confidence and tier make one number, compared once. */
static unsigned rank_of(unsigned conf, unsigned kind)
{
    static const uint8_t tier[8] = {
        [SMTPSTATUS__KIND_PROVIDER] = 3,
        [SMTPSTATUS__KIND_TEXT] = 2,
        [SMTPSTATUS__KIND_CODE] = 1,
    };
    return conf << 2 | (kind < 8 ? tier[kind] : 0u);
}

static unsigned rank(const struct smtpstatus__candidate *a)
{
    return rank_of(a->conf, a->kind);
}

/* Whether a candidate of rank r and length len goes before the kept b. */
static int stronger(unsigned r, size_t len, const struct smtpstatus__candidate *b)
{
    return r > b->rank || (r == b->rank && len > b->len);
}

/* Move the kept candidates at pos and after down by one, `moves` of them
 * (at most three): a copy each, not a call to memmove. */
static inline void make_room(struct smtpstatus__collector *c, unsigned pos, unsigned moves)
{
    switch (moves) {
    case 3:
        c->best[pos + 3] = c->best[pos + 2];
        /* fall through */
    case 2:
        c->best[pos + 2] = c->best[pos + 1];
        /* fall through */
    case 1:
        c->best[pos + 1] = c->best[pos];
        break;
    default:
        break;
    }
}

/* collect() for a candidate of rank r (a generator's list has it ready). */
static inline void collect_ranked(struct smtpstatus__collector *c, const struct smtpstatus__candidate *cand,
                                  unsigned r)
{
    unsigned n = c->count, pos;

    /* Full, and no stronger than the last: nothing changes (the usual case
     * for the weaker code rules after the text's). */
    if (n == SMTPSTATUS_EVIDENCE_MAX && !stronger(r, cand->len, &c->best[n - 1]))
        return;
    /* The kept ones are in order, strongest first; the same rule again
     * ranks as it did, so it is before the candidate's place: one walk
     * finds both. */
    for (pos = 0; pos < n; pos++) {
        const struct smtpstatus__candidate *b = &c->best[pos];
        if (stronger(r, cand->len, b))
            break;
        if (b->rule == cand->rule && b->kind == cand->kind)
            return; /* the same rule again: keep its first occurrence */
    }
    if (pos >= SMTPSTATUS_EVIDENCE_MAX)
        return;
    if (n < SMTPSTATUS_EVIDENCE_MAX)
        c->count = ++n;
    make_room(c, pos, n - 1 - pos);
    c->best[pos] = *cand;
    c->best[pos].rank = (uint16_t)r;
}

static inline void collect(struct smtpstatus__collector *c, const struct smtpstatus__candidate *cand)
{
    collect_ranked(c, cand, rank(cand));
}

void smtpstatus__collect(struct smtpstatus__collector *c, const struct smtpstatus__candidate *cand)
{
    collect(c, cand);
}

/* host[0..len) against a lower-case domain of n bytes, ignoring ASCII
 * case: <0, 0 or >0, as memcmp. */
static int compare_domain(const char *host, size_t len, const char *domain, size_t n)
{
    size_t m = len < n ? len : n;

    for (size_t i = 0; i < m; i++) {
        unsigned char a = smtpstatus__lower((unsigned char)host[i]), b = (unsigned char)domain[i];
        if (a != b)
            return a < b ? -1 : 1;
    }
    return len < n ? -1 : len > n;
}

/* The provider whose domain is exactly host[0..len), or -1: a binary
 * search of the sorted domains. */
static int provider_of_domain(const char *host, size_t len)
{
    size_t lo = 0, hi = SMTPSTATUS__DOMAIN_COUNT;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct smtpstatus__domain_row *d = &smtpstatus__domain_index[mid];
        int c = compare_domain(host, len, SMTPSTATUS__RPOOL + d->name, d->len);
        if (c == 0)
            return d->provider;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

const char *smtpstatus__domain_name(unsigned index, size_t *len)
{
    if (index >= SMTPSTATUS__DOMAIN_COUNT)
        return NULL;
    *len = smtpstatus__domain_index[index].len;
    return SMTPSTATUS__RPOOL + smtpstatus__domain_index[index].name;
}

/* A host name without a trailing dot (an absolute name), space or
 * bracket: its length. */
static size_t trim_host(const char *host, size_t len)
{
    while (len > 0 && (host[len - 1] == '.' || host[len - 1] == ']' || host[len - 1] == ' '))
        len--;
    return len;
}

uint64_t smtpstatus__providers_for_host_searched(const char *host, size_t len)
{
    uint64_t bits = 0;

    if (host == NULL)
        return 0;
    len = trim_host(host, len);
    /* The host is a provider's domain or inside one: look up the host
     * and each suffix after a dot, a binary search each. */
    for (size_t at = 0; at < len;) {
        const char *dot;
        int p = provider_of_domain(host + at, len - at);
        if (p >= 0)
            bits |= (uint64_t)1 << p;
        dot = memchr(host + at, '.', len - at);
        if (dot == NULL)
            break;
        at = (size_t)(dot - host) + 1;
    }
    return bits;
}

/* The same answer from one pass over the host, last byte first: the
 * hash of the bytes read so far is the hash of the suffix they make
 * (FNV-1a, as gen-rules.py's domain_hash()), so at each suffix that starts
 * a label one probe of the generator's open-addressing table finds the
 * domain it may be. A provider's domain has at most 255 bytes (the
 * generator checks), so no longer suffix is looked up. */
uint64_t smtpstatus__providers_for_host(const char *host, size_t len)
{
    uint64_t bits = 0;
    uint32_t h = 0x811C9DC5u;
    const unsigned mask = (1u << SMTPSTATUS__DOMAIN_SLOT_BITS) - 1u;

    if (host == NULL)
        return 0;
    len = trim_host(host, len);
    for (size_t i = len; i-- > 0;) {
        h = (h ^ smtpstatus__lower((unsigned char)host[i])) * 0x01000193u;
        if (i > 0 && host[i - 1] != '.')
            continue;
        if (len - i > 255)
            break;
        for (unsigned at = h >> (32 - SMTPSTATUS__DOMAIN_SLOT_BITS); smtpstatus__domain_slots[at] != 0;
             at = (at + 1) & mask) {
            const struct smtpstatus__domain_row *d = &smtpstatus__domain_index[smtpstatus__domain_slots[at] - 1];
            if (d->len == len - i &&
                compare_domain(host + i, len - i, SMTPSTATUS__RPOOL + d->name, d->len) == 0) {
                bits |= (uint64_t)1 << d->provider;
                break;
            }
        }
    }
    return bits;
}

/* ---- The phrase matcher ----
 *
 * The 4-byte windows of the text that start at an even offset are tested
 * against a table of the hashes of the patterns' anchors (gen-rules.py,
 * choose_anchors, anchor_slot_tag): a byte per slot, the tag of the anchors
 * there or "several". A pattern has two anchors, windows one byte apart, so
 * that one of them starts at an even offset wherever the pattern is: half
 * the windows are tested, for a table with twice the anchors. The test of
 * one window does not wait for the test of the one before, so the
 * processor runs several at once; where an automaton needs a dependent load
 * per byte, this needs an independent one every other byte. Eight windows
 * (16 bytes) are tested at once, into a mask of those that pass. A window
 * that passes is looked up among the anchors of its group, and each pattern
 * of an anchor found there is compared in full where the anchor puts it.
 *
 * A pattern's anchor may be anywhere in it, so matches are found out of the
 * order of their ends. The classifier weighs them by end (and the longer
 * first on one end: the order of an Aho-Corasick automaton's outputs), so
 * each verified match waits, sorted, until no window still to test can
 * give one that ends earlier: a window at q gives ends from q + 3. */

#define WINDOW_FOLD 0x20202020u

static uint32_t load32(const unsigned char *p)
{
    uint32_t w;

    memcpy(&w, p, sizeof w);
    return w;
}

/* The key of the window at p: its bytes as a little-endian number, as the
 * generator computes them, with 0x20 ORed into every byte. */
static uint32_t window_key(const unsigned char *p)
{
    uint32_t w = load32(p);

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    return w | WINDOW_FOLD;
}

/* The group of anchors a window with this key is looked up in: the top
 * bits of its slot in the tag table (gen-rules.py, anchor_group). */
static unsigned anchor_group(uint32_t key)
{
    return (unsigned)((uint32_t)(key * SMTPSTATUS__ANCHOR_HASH) >> SMTPSTATUS__ANCHOR_GROUP_SHIFT) &
           ((1u << SMTPSTATUS__ANCHOR_GROUP_BITS) - 1u);
}

#if defined(__SSE2__)
/* ASCII upper case to lower in every byte, other bytes as they are: an
 * add moves 'A'..'Z' to the 26 lowest signed bytes, where one compare
 * finds them. */
static inline __m128i fold128(__m128i t)
{
    __m128i from_a = _mm_add_epi8(t, _mm_set1_epi8(0x80 - 'A'));
    __m128i upper = _mm_cmplt_epi8(from_a, _mm_set1_epi8(-128 + 26));

    return _mm_or_si128(t, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
}

/* Two 8-byte pieces in one vector (loads of eight bytes, none past them). */
static inline __m128i load_8_8(const unsigned char *a, const unsigned char *b)
{
    return _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(const void *)a),
                              _mm_loadl_epi64((const __m128i *)(const void *)b));
}
#else
static uint64_t load64(const unsigned char *p)
{
    uint64_t w;

    memcpy(&w, p, sizeof w);
    return w;
}

/* ASCII upper case to lower in every byte of a word, other bytes as they
 * are (SWAR: a byte's high bit says whether it lies in 'A'..'Z'). */
static uint64_t fold64(uint64_t x)
{
    uint64_t low7 = x & 0x7F7F7F7F7F7F7F7Fu;
    uint64_t from_a = low7 + 0x3F3F3F3F3F3F3F3Fu; /* bit 7 set from 'A' (0x41) */
    uint64_t past_z = low7 + 0x2525252525252525u; /* bit 7 set from '[' (0x5B) */
    uint64_t upper = from_a & ~past_z & ~x & 0x8080808080808080u;

    return x | upper >> 2;
}

static uint32_t fold32(uint32_t x)
{
    return (uint32_t)fold64(x);
}
#endif

/* Whether text[0..n) folded is the lower-case p[0..n); reads nothing
 * outside either. */
static int same_folded(const unsigned char *text, const unsigned char *p, size_t n)
{
#if defined(__SSE2__)
    /* Sixteen bytes at a time (the last sixteen overlapping); from 8 to 15
     * bytes, the first and last eight in one vector; from 4 to 7, the
     * first and last four. */
    if (n >= 16) {
        for (size_t i = 0;; i += 16) {
            size_t at = i + 16 < n ? i : n - 16;
            __m128i t = fold128(_mm_loadu_si128((const __m128i *)(const void *)(text + at)));
            __m128i same = _mm_cmpeq_epi8(t, _mm_loadu_si128((const __m128i *)(const void *)(p + at)));

            if (_mm_movemask_epi8(same) != 0xFFFF)
                return 0;
            if (at == n - 16)
                return 1;
        }
    }
    if (n >= 8)
        return _mm_movemask_epi8(_mm_cmpeq_epi8(fold128(load_8_8(text, text + n - 8)), load_8_8(p, p + n - 8))) ==
               0xFFFF;
    if (n >= 4) {
        __m128i t = _mm_unpacklo_epi32(_mm_cvtsi32_si128((int)load32(text)), _mm_cvtsi32_si128((int)load32(text + n - 4)));
        __m128i w = _mm_unpacklo_epi32(_mm_cvtsi32_si128((int)load32(p)), _mm_cvtsi32_si128((int)load32(p + n - 4)));

        return (_mm_movemask_epi8(_mm_cmpeq_epi8(fold128(t), w)) & 0xFF) == 0xFF;
    }
#else
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if (fold64(load64(text + i)) != load64(p + i))
                return 0;
        return fold64(load64(text + n - 8)) == load64(p + n - 8);
    }
    if (n >= 4)
        return fold32(load32(text)) == load32(p) && fold32(load32(text + n - 4)) == load32(p + n - 4);
#endif
    for (size_t i = 0; i < n; i++)
        if (smtpstatus__lower(text[i]) != p[i])
            return 0;
    return 1;
}

static int word_boundary(const char *text, size_t len, size_t start, size_t end, unsigned flags)
{
    if ((flags & SMTPSTATUS__PATTERN_WORD_BEFORE) && start > 0 && smtpstatus__is_alnum((unsigned char)text[start - 1]))
        return 0;
    if ((flags & SMTPSTATUS__PATTERN_WORD_AFTER) && end < len && smtpstatus__is_alnum((unsigned char)text[end]))
        return 0;
    return 1;
}

/* The scanner goes on past a block after which matches are final while
 * no more than this many wait, rather than return one and be called again
 * at once, and it compares the candidates of several blocks at once while
 * they and the matches waiting are no more than this many: most texts are
 * scanned in one call. So before a block, either at most this many
 * matches wait or candidates are held, or no match waiting is final; after
 * it, at most this many more than the generator's bound on the matches that
 * end from the block's first window + 3 on (SMTPSTATUS__PHRASE_PENDING)
 * wait. */
#define PHRASE_KEEP 8

_Static_assert(SMTPSTATUS__PHRASE_PENDING + PHRASE_KEEP <= SMTPSTATUS__PHRASE_PENDING_MAX,
               "the generator's bound on waiting matches exceeds struct smtpstatus__phrase_scan");

/* Keep a verified match until its turn. The matches waiting,
 * [first, count), are sorted first-first, so the next one out is at
 * `first`: a block's matches are found in about the order of their ends,
 * so most go last, with one comparison and no move. */
static void hold(struct smtpstatus__phrase_scan *s, size_t end, unsigned pattern)
{
    uint64_t o = SMTPSTATUS__PHRASE_ORDER(end, smtpstatus__patterns[pattern].len, pattern);
    unsigned i;

    if (s->count == SMTPSTATUS__PHRASE_PENDING_MAX) {
        /* Out of room past the last: those handed out make room before
         * the first. */
        if (s->first == 0)
            return; /* cannot happen: the generator bounds the matches waiting */
        memmove(s->order, s->order + s->first, (s->count - s->first) * sizeof s->order[0]);
        s->count -= s->first;
        s->first = 0;
    }
    for (i = s->count; i > s->first && o < s->order[i - 1]; i--)
        s->order[i] = s->order[i - 1];
    s->order[i] = o;
    s->count++;
}

/* The key of the window at q; the text's last window, when it starts at
 * len - 3, is completed with a NUL, as the generator expects. */
static uint32_t key_at(const unsigned char *text, size_t q, size_t len)
{
    unsigned char last[4] = { 0, 0, 0, 0 };

    if (q + 4 <= len)
        return window_key(text + q);
    memcpy(last, text + q, 3);
    return window_key(last);
}

/* Compare the pattern whose anchor and quick check held where they put it
 * (text[start..]), and hold it when it is there. start wraps past the
 * text's length when the anchor puts the pattern before the text's start. */
static inline void verify_pattern(struct smtpstatus__phrase_scan *s, size_t start, unsigned pattern)
{
    const struct smtpstatus__pattern_row *p = &smtpstatus__patterns[pattern];

    if (start > s->len || p->len > s->len - start ||
        !same_folded(s->text + start, smtpstatus__pattern_bytes + p->text, p->len) ||
        !word_boundary((const char *)s->text, s->len, start, start + p->len, p->flags))
        return;
    hold(s, start + p->len, pattern);
}

/* The patterns of the windows whose anchor's key and quick check held,
 * and where they would start, not yet compared: at most PHRASE_KEEP before
 * a block (phrase_more), and a block's, which has at most nine windows,
 * each looked up in one group. */
#define CANDIDATES_MAX (PHRASE_KEEP + 9 * SMTPSTATUS__ANCHOR_GROUP_MAX)

struct candidates {
    size_t start[CANDIDATES_MAX];
    uint16_t pattern[CANDIDATES_MAX];
};

/* Find the candidates (above) of the windows at base + k, for each bit k
 * set in hits, into cand after its first n; returns how many it has. `whole`: every window has its
 * four bytes in the text (a block's), else the last may have three. No
 * call, so that its few values stay in registers; the candidates, about
 * one a reply in five blocks, are compared after (verify_candidates).
 * Needs len >= 3.
 *
 * A window is looked up among the anchors of its group (the anchors of
 * its four bytes, and the masked anchors of its first three). Most anchors
 * found are in a text without their pattern: four more of its bytes,
 * folded as the key, reject them before the pattern's row and bytes are
 * read. They are in the text wherever the pattern is. */
SMTPSTATUS__ALWAYS_INLINE static inline unsigned find_candidates(const unsigned char *text, size_t len,
                                                                 size_t base, unsigned hits, int whole,
                                                                 struct candidates *cand, unsigned n)
{
    /* The check's window at c is in the text when c < past, also when c
     * wraps below 0. */
    size_t past = len - 3;

    for (; hits; hits &= hits - 1) {
        unsigned k = smtpstatus__ctz64(hits);
        size_t q = base + k;
        uint32_t key = whole ? window_key(text + q) : key_at(text, q, len);
        unsigned group = anchor_group(key);
        const struct smtpstatus__anchor *a = smtpstatus__anchors + smtpstatus__anchor_start[group];
        const struct smtpstatus__anchor *last = smtpstatus__anchors + smtpstatus__anchor_start[group + 1];
        /* A masked anchor's key is three bytes and a zero, which no
         * window's key has: it is compared with the window's first three. */
        uint32_t key3 = key & 0xFFFFFFu;

        for (; a < last; a++) {
            size_t c;

            if (a->key != key && a->key != key3)
                continue;
            c = q + (size_t)(ptrdiff_t)a->rel;
            if ((c >= past || window_key(text + c) != a->check) && a->check != 0)
                continue;
            cand->start[n] = q - (size_t)(ptrdiff_t)a->at;
            cand->pattern[n] = a->pattern;
            n++;
        }
    }
    return n;
}

/* Compare the patterns of the candidates, and return how many matches
 * wait. Out of the blocks' loop, which keeps its few values in registers;
 * called about once a text. */
SMTPSTATUS__NOINLINE static unsigned verify_candidates(struct smtpstatus__phrase_scan *s,
                                                       const struct candidates *cand, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        verify_pattern(s, cand->start[i], cand->pattern[i]);
    return s->count - s->first;
}

/* Whether the window with this key may be an anchor's: the byte of the
 * tag table for its slot (bits 16 to 29 of the product of key and
 * multiplier) is its tag (bits 9 to 15, and 0x80) or says that the anchors
 * there have different tags (gen-rules.py, anchor_slot_tag). */
static int anchor_hit(uint32_t key)
{
    uint32_t product = key * SMTPSTATUS__ANCHOR_HASH;
    unsigned tag = smtpstatus__anchor_tags[product >> 16 & ((1u << SMTPSTATUS__ANCHOR_SLOT_BITS) - 1u)];

    return tag == ((product >> 9 & 0x7Fu) | 0x80u) || tag == SMTPSTATUS__ANCHOR_TAG_ANY;
}

#if defined(__SSE2__)
_Static_assert(SMTPSTATUS__ANCHOR_SLOT_BITS == 14, "the SSE2 slot is bits 16 to 29 of the product");

/* Lane k: the tag table's byte for the slot in lane k of slot, in the low
 * byte (the high byte is the next one's). One instruction a lane: the
 * load goes into the vector. */
#define GATHER(k) v = _mm_insert_epi16(v, load16(smtpstatus__anchor_tags + _mm_extract_epi16(slot, k)), k)

static int load16(const unsigned char *p)
{
    uint16_t w;

    memcpy(&w, p, sizeof w);
    return w;
}

/* Bit 2k set for each of the eight windows at q + 2k that anchor_hit()
 * accepts (so that the lowest set bit is the offset of the first from q).
 * Reads text[q..q + 18).
 *
 * The 32-bit products of key and multiplier are made from the 16-bit
 * halves of each key (lanes of lo and hi) with the multiplications SSE2
 * has; the slot is bits 16 to 29, the tag bits 9 to 15. */
SMTPSTATUS__ALWAYS_INLINE static inline unsigned hits16(const unsigned char *text, size_t q)
{
    const __m128i fold = _mm_set1_epi8(0x20);
    const __m128i k_lo = _mm_set1_epi16((short)(SMTPSTATUS__ANCHOR_HASH & 0xFFFFu));
    const __m128i k_hi = _mm_set1_epi16((short)(SMTPSTATUS__ANCHOR_HASH >> 16));
    /* Lane j of lo: the first half of the window at q + 2j; of hi, its
     * second half. */
    __m128i lo = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(text + q)), fold);
    __m128i hi = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(text + q + 2)), fold);
    /* (lo + hi * 2^16) * (k_lo + k_hi * 2^16): bits 0 to 15, 16 to 31 */
    __m128i low = _mm_mullo_epi16(lo, k_lo);
    __m128i top = _mm_add_epi16(_mm_add_epi16(_mm_mulhi_epu16(lo, k_lo), _mm_mullo_epi16(lo, k_hi)),
                                _mm_mullo_epi16(hi, k_lo));
    __m128i slot = _mm_and_si128(top, _mm_set1_epi16(0x3FFF));
    __m128i tag = _mm_or_si128(_mm_srli_epi16(low, 9), _mm_set1_epi16(0x80));
    /* Every lane is written by GATHER: any vector done with will do (no
     * instruction to clear one). */
    __m128i v = hi;

    GATHER(0);
    GATHER(1);
    GATHER(2);
    GATHER(3);
    GATHER(4);
    GATHER(5);
    GATHER(6);
    GATHER(7);
    /* Byte compares: the low byte of each lane is the slot's, its result
     * the even bit of the mask (the high byte, the next slot's, is left out). */
    v = _mm_or_si128(_mm_cmpeq_epi8(v, tag), _mm_cmpeq_epi8(v, _mm_set1_epi16(SMTPSTATUS__ANCHOR_TAG_ANY)));
    return (unsigned)_mm_movemask_epi8(v) & 0x5555u;
}
#endif

/* Test the eight windows q, q + 2, ..., q + 14: bit 2k of the result is
 * set when the window at q + 2k passes anchor_hit(). Needs q + 18 <= len. */
static unsigned test_block(const unsigned char *text, size_t q)
{
#if defined(__SSE2__)
    return hits16(text, q);
#else
    unsigned m = 0;

    /* Eight tests, none waiting for another. */
    for (unsigned j = 0; j < 8; j++)
        m |= (unsigned)anchor_hit(window_key(text + q + 2 * j)) << 2 * j;
    return m;
#endif
}

/* Test the windows from q up to stop (len - 2), those of the text's last
 * sixteen bytes: bit 2k of the result is set when the window at
 * *base + 2k passes anchor_hit(), where *base is q or, with SSE2, up to
 * sixteen before it (no bit is set for a window before q). Needs q < stop
 * and q + 18 > len. */
static unsigned test_tail(const unsigned char *text, size_t q, size_t len, size_t stop, size_t *base)
{
    unsigned m = 0, k = 0;

    *base = q;
#if defined(__SSE2__)
    if (len >= 18) {
        /* The block of the last sixteen bytes, at an even offset, its
         * windows before q (tested already) dropped; when len is odd, the
         * three-byte window at len - 3 is past it. */
        size_t b = (len - 18) & ~(size_t)1;

        *base = b;
        m = hits16(text, b) & (0xFFFFu << (q - b));
        if (b + 16 < stop)
            m |= (unsigned)anchor_hit(key_at(text, b + 16, len)) << 16;
        return m;
    }
#endif
    for (; q + 4 <= len; q += 2, k += 2)
        m |= (unsigned)anchor_hit(window_key(text + q)) << k;
    if (q < stop)
        m |= (unsigned)anchor_hit(key_at(text, q, len)) << k;
    return m;
}

/* The next match waiting, now final. */
static int hand_out(struct smtpstatus__phrase_scan *s, unsigned *pattern, size_t *end)
{
    uint64_t o = s->order[s->first];

    *pattern = SMTPSTATUS__PHRASE_PATTERN(o);
    *end = SMTPSTATUS__PHRASE_END(o);
    s->first++;
    return 1;
}

void smtpstatus__phrase_start(struct smtpstatus__phrase_scan *s, const char *text, size_t len)
{
    s->text = (const unsigned char *)text;
    /* A match's end has 40 bits (SMTPSTATUS__PHRASE_ORDER): a text of a
     * terabyte or more is matched in its first 2^40 - 1 bytes. */
    if ((uint64_t)len > SMTPSTATUS__PHRASE_TEXT_MAX)
        len = (size_t)SMTPSTATUS__PHRASE_TEXT_MAX;
    s->len = len;
    s->pos = 0;
    s->stop = len >= 3 ? len - 2 : 0; /* the shortest pattern has 3 bytes */
    s->final = 0;
    s->first = 0;
    s->count = 0;
}

/* Test the windows a block at a time, and gather the candidates of each
 * that passes the tag test; compare them once they and the matches waiting
 * may be more than PHRASE_KEEP, and at the text's end. After a block, the
 * matches that end at or before the next block's first window + 2 are
 * final (a window at q gives ends from q + 3), all of them once the last
 * block is verified. The matches are handed out only between blocks, which
 * bounds how many wait (gen-rules.py, compile_anchors), and only once more
 * than PHRASE_KEEP wait or the text ends: most texts take one call, and
 * one call to verify_candidates(). */
int smtpstatus__phrase_more(struct smtpstatus__phrase_scan *s, unsigned *pattern, size_t *end)
{
    const unsigned char *text = s->text;
    size_t len = s->len, q = s->pos;
    struct candidates cand;
    unsigned n = 0;
    /* Only verify_candidates() changes it here: a register, not two
     * fields, is tested at each block. */
    unsigned waiting = s->count - s->first;

    if (waiting == 0) /* the next go at the arrays' start */
        s->first = s->count = 0;
    for (; q + 18 <= len; q += 16) {
        unsigned hits = test_block(text, q);

        if (hits != 0)
            n = find_candidates(text, len, q, hits, 1, &cand, n);
        /* The candidates are compared once they and the matches waiting
         * may be more than PHRASE_KEEP (most texts: at their end, in one
         * call), and before any match is handed out. */
        if (waiting + n > PHRASE_KEEP) {
            if (n > 0)
                waiting = verify_candidates(s, &cand, n);
            n = 0;
            if (waiting > PHRASE_KEEP && SMTPSTATUS__PHRASE_END(s->order[s->first]) <= q + 18) {
                s->pos = q + 16;
                s->final = q + 18;
                return hand_out(s, pattern, end);
            }
        }
    }
    if (q < s->stop) {
        size_t base;
        unsigned hits = test_tail(text, q, len, s->stop, &base);

        if (hits != 0)
            n = find_candidates(text, len, base, hits, 0, &cand, n);
    }
    if (n > 0)
        waiting = verify_candidates(s, &cand, n);
    s->pos = s->stop; /* every window verified, every match final */
    s->final = SIZE_MAX;
    return waiting > 0 ? hand_out(s, pattern, end) : 0;
}

size_t smtpstatus__phrase_pending_bound(void)
{
    return SMTPSTATUS__PHRASE_PENDING + PHRASE_KEEP;
}

size_t smtpstatus__pattern_count(void)
{
    return SMTPSTATUS__PATTERN_COUNT;
}

const unsigned char *smtpstatus__pattern_text(unsigned index, size_t *len, unsigned *flags)
{
    if (index >= SMTPSTATUS__PATTERN_COUNT)
        return NULL;
    *len = smtpstatus__patterns[index].len;
    *flags = smtpstatus__patterns[index].flags & (SMTPSTATUS__PATTERN_WORD_BEFORE | SMTPSTATUS__PATTERN_WORD_AFTER);
    return smtpstatus__pattern_bytes + smtpstatus__patterns[index].text;
}

static int status_matches(const struct smtpstatus__rule_row *r, const struct smtpstatus__facts *f)
{
    if (!r->has_status)
        return 1;
    if (!f->has_enhanced)
        return 0;
    if (r->st_cls != 0 && r->st_cls != f->enhanced.cls)
        return 0;
    if (r->st_subject != WILDCARD && r->st_subject != f->enhanced.subject)
        return 0;
    if (r->st_detail != WILDCARD && r->st_detail != f->enhanced.detail)
        return 0;
    return 1;
}

static int reply_matches(const struct smtpstatus__rule_row *r, unsigned reply)
{
    if (r->reply_count == 0)
        return 1;
    for (unsigned i = 0; i < r->reply_count; i++) {
        unsigned v = smtpstatus__reply_values[r->reply_first + i];
        if (v == reply || (v < 10 && reply / 100 == v))
            return 1;
    }
    return 0;
}

/* Constraints shared by every kind of rule. */
static int rule_applies(const struct smtpstatus__rule_row *r, const struct smtpstatus__facts *f)
{
    if (r->provider != 0 && !(f->providers & ((uint64_t)1 << (r->provider - 1))))
        return 0;
    if (r->cls != 0 && r->cls != f->cls)
        return 0;
    if (r->stage != 0 && r->stage != f->stage)
        return 0;
    return status_matches(r, f) && reply_matches(r, f->reply);
}

/* Whether the rule of a generator's list entry holds for these facts: its
 * stage and provider are in the entry, the rest (rare) in its rule row. */
static inline int listed_holds(const struct smtpstatus__facts *f, const struct smtpstatus__listed_row *e)
{
    return (e->stage == 0 || e->stage == f->stage) &&
           (e->provider == 0 || (f->providers & ((uint64_t)1 << (e->provider - 1)))) &&
           (!e->rest || rule_applies(&smtpstatus__rules[e->rule], f));
}

/* Offer the candidates of a pattern's rules e[0..n) that hold, for its
 * match at off: its plain rules (`provider_rules` 0: no provider to test)
 * or its provider rules (1: a provider always). The test is
 * listed_holds() with the provider's part only where there is one (calling
 * it measured 13 instructions a reply more), and none at all (`tested` 0)
 * for plain rules the generator found nothing to test in (most of them:
 * the pattern row's plain_tested). Inline: its calls for every match cost
 * as much as its work. */
static inline SMTPSTATUS__ALWAYS_INLINE void
offer_match(const struct smtpstatus__facts *f, struct smtpstatus__collector *c,
            const struct smtpstatus__listed_row *e, unsigned n, size_t off, size_t len, int provider_rules,
            int tested)
{
    for (const struct smtpstatus__listed_row *last = e + n; e < last; e++) {
        struct smtpstatus__candidate cand;

        if (tested && ((e->stage != 0 && e->stage != f->stage) ||
                       (provider_rules && !(f->providers & ((uint64_t)1 << (e->provider - 1)))) ||
                       (e->rest && !rule_applies(&smtpstatus__rules[e->rule], f))))
            continue;
        cand.rule = e->rule;
        cand.kind = e->kind;
        cand.conf = e->conf;
        cand.reason = e->reason;
        cand.off = off;
        cand.len = len;
        collect_ranked(c, &cand, e->rank);
    }
}

void smtpstatus__match_text(struct smtpstatus__facts *f, struct smtpstatus__collector *c)
{
    /* Occurrences of patterns that have provider rules: those are weighed
     * after the scan, because a provider's marker ("- gsmtp") often comes
     * after the phrase its rules look for. Other rules are weighed at once,
     * so no occurrence is ever dropped for them. */
    struct {
        uint16_t pattern;
        size_t end;
    } later[MATCHES_MAX];
    unsigned nlater = 0;
    struct smtpstatus__phrase_scan scan;
    unsigned pid;
    size_t end;

    smtpstatus__phrase_start(&scan, f->text, f->len);
    while (smtpstatus__phrase_next(&scan, &pid, &end)) {
        const struct smtpstatus__pattern_row *p = &smtpstatus__patterns[pid];
        if (p->marker)
            f->providers |= (uint64_t)1 << (p->marker - 1);
        if (p->plain_tested)
            offer_match(f, c, smtpstatus__pattern_rules + p->rule_first, p->plain, end - p->len, p->len, 0, 1);
        else if (p->plain)
            offer_match(f, c, smtpstatus__pattern_rules + p->rule_first, p->plain, end - p->len, p->len, 0, 0);
        if (p->provider_rules && nlater < MATCHES_MAX) {
            later[nlater].pattern = (uint16_t)pid;
            later[nlater].end = end;
            nlater++;
        }
    }
    for (unsigned m = 0; m < nlater; m++) {
        const struct smtpstatus__pattern_row *p = &smtpstatus__patterns[later[m].pattern];
        offer_match(f, c, smtpstatus__pattern_rules + p->rule_first + p->plain, p->provider_rules,
                    later[m].end - p->len, p->len, 1, 1);
    }
}

/* A code or reply rule that holds: its candidate, with no span (the
 * verdict locates the code's bytes itself). */
static void offer_rule(struct smtpstatus__collector *c, const struct smtpstatus__rule_row *r, unsigned ri)
{
    struct smtpstatus__candidate cand;

    cand.rule = (uint16_t)ri;
    cand.kind = r->kind;
    cand.conf = r->conf;
    cand.reason = r->reason;
    cand.off = 0;
    cand.len = 0;
    collect(c, &cand);
}

static void offer(const struct smtpstatus__facts *f, struct smtpstatus__collector *c, unsigned ri)
{
    const struct smtpstatus__rule_row *r = &smtpstatus__rules[ri];

    if (!rule_applies(r, f))
        return;
    offer_rule(c, r, ri);
}

/* The first index in keys[lo..n) whose key is not below `key`. */
static size_t lower_bound(const uint32_t *keys, size_t lo, size_t n, uint32_t key)
{
    size_t hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The same, for a key at the top of the sorted keys: a walk down from the
 * end, over the few keys not below it, gives the same index. */
static size_t lower_bound_from_top(const uint32_t *keys, size_t n, uint32_t key)
{
    while (n > 0 && keys[n - 1] >= key)
        n--;
    return n;
}

/* Offer the rules of `index` (sorted by `keys`) whose key is `key`, from
 * their first index `i`; returns the index past them. Code rules are keyed
 * subject * 1001 + detail, with 1000 for a wildcard; reply rules by the
 * code, or by its first digit for a class wildcard. */
static size_t offer_key(const struct smtpstatus__facts *f, struct smtpstatus__collector *c,
                        const uint16_t *index, const uint32_t *keys, size_t n, size_t i, uint32_t key)
{
    for (; i < n && keys[i] == key; i++)
        offer(f, c, index[i]);
    return i;
}

/* The rules of `index` for the enhanced code: its exact key, its subject
 * with any detail, and the any-code key, the largest there is. When the
 * first two keys are in order, the second search starts where the first
 * stopped. */
static void offer_code_keys(const struct smtpstatus__facts *f, struct smtpstatus__collector *c,
                            const uint16_t *index, const uint32_t *keys, size_t n)
{
    unsigned s = f->enhanced.subject, d = f->enhanced.detail;
    uint32_t exact = s * 1001u + d, any_detail = s * 1001u + 1000u, any = 1000u * 1001u + 1000u;
    size_t i = offer_key(f, c, index, keys, n, lower_bound(keys, 0, n, exact), exact);

    offer_key(f, c, index, keys, n, lower_bound(keys, exact < any_detail ? i : 0, n, any_detail),
              any_detail);
    offer_key(f, c, index, keys, n, lower_bound_from_top(keys, n, any), any);
}

/* The candidates of a generator's list (its rules that hold for these
 * facts, the strongest first) into the kept evidence, which they leave as
 * collect() one at a time would. They have no length, so each goes after
 * every kept one of its rank or above, and the next, no stronger, after it:
 * one walk down the evidence places them all, and once one has no place,
 * no later one has. None can be a rule already kept: the lists hold code,
 * reply and pattern-less provider rules, each once, and each list is taken
 * once a verdict, so there is no duplicate to look for. */
static inline SMTPSTATUS__ALWAYS_INLINE void
take_listed(const struct smtpstatus__facts *f, struct smtpstatus__collector *c,
            const struct smtpstatus__listed_row *e, const struct smtpstatus__listed_row *end)
{
    unsigned n = c->count, pos = 0;

    /* Full, and the list's strongest no stronger than the last kept: the
     * walk below would reach the end for it and stop. */
    if (n == SMTPSTATUS_EVIDENCE_MAX && (e == end || c->best[n - 1].rank >= e->rank))
        return;
    for (; e < end; e++) {
        struct smtpstatus__candidate *b;

        while (pos < n && c->best[pos].rank >= e->rank)
            pos++;
        if (pos == SMTPSTATUS_EVIDENCE_MAX)
            break;
        if (!listed_holds(f, e))
            continue;
        make_room(c, pos, n - pos - (n == SMTPSTATUS_EVIDENCE_MAX));
        if (n < SMTPSTATUS_EVIDENCE_MAX)
            n++;
        b = &c->best[pos++];
        b->rule = e->rule;
        b->kind = e->kind;
        b->conf = e->conf;
        b->reason = e->reason;
        b->rank = e->rank;
        b->off = 0;
        b->len = 0;
    }
    c->count = n;
}

/* The rules of a generator's code list (gen-rules.py, compile_code_lists)
 * for the enhanced code, whose class is one of a reply's: the list of its
 * class, subject and detail, in a table of `subjects` and `details`. */
static inline SMTPSTATUS__ALWAYS_INLINE void
offer_code_list(const struct smtpstatus__facts *f, struct smtpstatus__collector *c, const uint16_t *start,
                const struct smtpstatus__listed_row *list, unsigned subjects, unsigned details)
{
    unsigned cls = f->enhanced.cls, s = f->enhanced.subject, d = f->enhanced.detail, cell;

    if (s > subjects)
        s = subjects;
    if (d > details)
        d = details;
    cell = ((cls == 2 ? 0u : cls - 3u) * (subjects + 1u) + s) * (details + 1u) + d;
    take_listed(f, c, list + start[cell], list + start[cell + 1]);
}

/* The code rules for the enhanced code, and the provider rules keyed by
 * it when a provider is known: from the generator's lists when its class
 * is one of a reply's; else by the keyed searches, which keep the same
 * evidence. */
static void offer_code_rules(const struct smtpstatus__facts *f, struct smtpstatus__collector *c)
{
    unsigned cls = f->enhanced.cls;

    if (cls != 2 && cls != 4 && cls != 5) {
        offer_code_keys(f, c, smtpstatus__code_rules, smtpstatus__code_rule_keys,
                        SMTPSTATUS__CODE_RULE_COUNT);
        if (f->providers)
            offer_code_keys(f, c, smtpstatus__provider_code_rules,
                            smtpstatus__provider_code_rule_keys, SMTPSTATUS__PROVIDER_CODE_RULE_COUNT);
        return;
    }
    offer_code_list(f, c, smtpstatus__code_list_start, smtpstatus__code_list,
                    SMTPSTATUS__CODE_LIST_SUBJECTS, SMTPSTATUS__CODE_LIST_DETAILS);
    if (f->providers)
        offer_code_list(f, c, smtpstatus__provider_code_list_start, smtpstatus__provider_code_list,
                        SMTPSTATUS__PROVIDER_CODE_LIST_SUBJECTS, SMTPSTATUS__PROVIDER_CODE_LIST_DETAILS);
}

void smtpstatus__match_codes_keyed(const struct smtpstatus__facts *f, struct smtpstatus__collector *c)
{
    if (f->has_enhanced) {
        offer_code_keys(f, c, smtpstatus__code_rules, smtpstatus__code_rule_keys,
                        SMTPSTATUS__CODE_RULE_COUNT);
        if (f->providers)
            offer_code_keys(f, c, smtpstatus__provider_code_rules,
                            smtpstatus__provider_code_rule_keys, SMTPSTATUS__PROVIDER_CODE_RULE_COUNT);
    }
    if (f->reply) {
        const uint32_t *keys = smtpstatus__reply_rule_keys;
        size_t n = SMTPSTATUS__REPLY_RULE_COUNT, cls = 0;

        offer_key(f, c, smtpstatus__reply_rules, keys, n, lower_bound(keys, 0, n, f->reply),
                  f->reply);
        while (cls < n && keys[cls] < f->reply / 100)
            cls++;
        offer_key(f, c, smtpstatus__reply_rules, keys, n, cls, f->reply / 100);
    }
}

void smtpstatus__match_codes(const struct smtpstatus__facts *f, struct smtpstatus__collector *c)
{
    if (f->has_enhanced)
        offer_code_rules(f, c);
    if (f->reply >= 200 && f->reply <= 599) {
        /* The generator's list for the code and stage (compile_reply_lists). */
        unsigned stage = f->stage < SMTPSTATUS__REPLY_LIST_STAGES ? f->stage : 0;
        unsigned l = smtpstatus__reply_cells[(f->reply - 200) * SMTPSTATUS__REPLY_LIST_STAGES + stage];

        take_listed(f, c, smtpstatus__reply_list + smtpstatus__reply_list_start[l],
                    smtpstatus__reply_list + smtpstatus__reply_list_start[l + 1]);
    } else if (f->reply) {
        const uint32_t *keys = smtpstatus__reply_rule_keys;
        size_t n = SMTPSTATUS__REPLY_RULE_COUNT, cls = 0;

        offer_key(f, c, smtpstatus__reply_rules, keys, n, lower_bound(keys, 0, n, f->reply),
                  f->reply);
        /* The class keys (2 to 5) are the first few: a walk finds them. */
        while (cls < n && keys[cls] < f->reply / 100)
            cls++;
        offer_key(f, c, smtpstatus__reply_rules, keys, n, cls, f->reply / 100);
    }
}

/* Entries of one generator's list that do not offer their rule's candidate
 * or drop one of its conditions; `settled`: what the list settles (1: the
 * status, 2: the reply values, 4: the stage). */
static size_t listed_mismatches(const struct smtpstatus__listed_row *list, size_t n, unsigned settled)
{
    size_t bad = 0;

    for (size_t i = 0; i < n; i++) {
        const struct smtpstatus__listed_row *e = &list[i];
        const struct smtpstatus__rule_row *r = smtpstatus__rule(e->rule);

        if (r == NULL || e->rank != rank_of(r->conf, r->kind) || e->reason != r->reason ||
            e->conf != r->conf || e->kind != r->kind || e->provider != r->provider ||
            (e->stage != r->stage && !(e->stage == 0 && (settled & 4u))) ||
            (!e->rest && (r->cls != 0 || (r->has_status && !(settled & 1u)) ||
                          (r->reply_count != 0 && !(settled & 2u)))))
            bad++;
    }
    return bad;
}

/* Patterns whose first `plain` rules are not the plain ones and the
 * `provider_rules` after them the provider ones (offer_match() walks each
 * part apart and tests no provider in the first), or that have a plain rule
 * with something to test but no plain_tested (it would be taken untested). */
static size_t pattern_order_mismatches(void)
{
    size_t bad = 0;

    for (size_t p = 0; p < COUNT(smtpstatus__patterns); p++) {
        const struct smtpstatus__pattern_row *row = &smtpstatus__patterns[p];
        const struct smtpstatus__listed_row *e = smtpstatus__pattern_rules + row->rule_first;
        for (unsigned k = 0; k < (unsigned)row->plain + row->provider_rules; k++)
            if ((e[k].provider != 0) != (k >= row->plain) ||
                (k < row->plain && !row->plain_tested && (e[k].stage != 0 || e[k].rest)))
                bad++;
    }
    return bad;
}

size_t smtpstatus__listed_mismatches(void)
{
    return pattern_order_mismatches() +
           listed_mismatches(smtpstatus__code_list, COUNT(smtpstatus__code_list), 1u) +
           listed_mismatches(smtpstatus__provider_code_list, COUNT(smtpstatus__provider_code_list), 1u) +
           listed_mismatches(smtpstatus__reply_list, COUNT(smtpstatus__reply_list), 2u | 4u) +
           listed_mismatches(smtpstatus__pattern_rules, COUNT(smtpstatus__pattern_rules), 0u);
}

