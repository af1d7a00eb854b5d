/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Declarations shared between the library's translation units. Nothing
 * here is installed; every symbol is hidden (see smtpstatus.map).
 */

#ifndef SMTPSTATUS_INTERNAL_H
#define SMTPSTATUS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "smtpstatus.h"

/* ---- Locale-free ASCII helpers (cmark's rationale: ctype.h follows the
 * locale and is undefined for negative chars). ---- */

static inline int smtpstatus__is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline int smtpstatus__is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline int smtpstatus__is_alnum(unsigned char c)
{
    return smtpstatus__is_digit(c) || smtpstatus__is_alpha(c);
}

static inline int smtpstatus__is_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static inline unsigned char smtpstatus__lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

/* Whether the lower-case ASCII word `lit` occurs at buf[at], ignoring case;
 * never reads past len. Inline, because callers try it at many positions
 * with a literal whose length then folds to a constant; the first byte is
 * compared before anything else, as it rejects almost every position. */
static inline int smtpstatus__match_nocase(const char *buf, size_t len, size_t at, const char *lit)
{
    size_t n;

    if (at >= len || smtpstatus__lower((unsigned char)buf[at]) != (unsigned char)lit[0])
        return lit[0] == '\0' && at <= len;
    n = strlen(lit);
    if (len - at < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (smtpstatus__lower((unsigned char)buf[at + i]) != (unsigned char)lit[i])
            return 0;
    return 1;
}

/* Whether the lower-case `lower` (n bytes) is at buf[at], ignoring case,
 * within len. */
static inline int smtpstatus__match_at_n(const char *buf, size_t len, size_t at, const char *lower,
                                         size_t n)
{
    if (at > len || n > len - at)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (smtpstatus__lower((unsigned char)buf[at + k]) != (unsigned char)lower[k])
            return 0;
    return 1;
}

/* Whether buf[0..len) equals the lower-case ASCII word `lit`, ignoring
 * ASCII case. */
static inline int smtpstatus__equal_nocase(const char *buf, size_t len, const char *lit)
{
    return strlen(lit) == len && smtpstatus__match_nocase(buf, len, 0, lit);
}

/* Inlining where the compiler's own estimate goes wrong on a hot path:
 * NOINLINE keeps a rarely taken branch's work out of a loop's registers;
 * ALWAYS_INLINE lets a scan's constant arguments become constants. */
#if defined(__GNUC__) || defined(__clang__)
#define SMTPSTATUS__NOINLINE __attribute__((noinline))
#define SMTPSTATUS__ALWAYS_INLINE __attribute__((always_inline))
#else
#define SMTPSTATUS__NOINLINE
#define SMTPSTATUS__ALWAYS_INLINE
#endif

/* ---- Eight bytes at a time (SWAR): the reply parser and the classifier
 * test a word of text per step. A word is loaded with memcpy (any
 * alignment) in little-endian order, so that the first byte in memory is
 * the lowest; callers never load past their len. ---- */

#define SMTPSTATUS__ONES UINT64_C(0x0101010101010101)
#define SMTPSTATUS__HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t smtpstatus__load64(const char *p)
{
    uint64_t x;

    memcpy(&x, p, sizeof x);
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

/* The index of the lowest set bit of m (m != 0). */
static inline unsigned smtpstatus__ctz64(uint64_t m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(m);
#else
    unsigned k = 0;
    while (!(m & 1u)) {
        m >>= 1;
        k++;
    }
    return k;
#endif
}

/* The index (0 to 7) of the first byte whose top bit is set in m (m has
 * only top bits, at least one). */
static inline unsigned smtpstatus__first_byte(uint64_t m)
{
    return smtpstatus__ctz64(m) >> 3;
}

/* The top bit of each byte of x that lies in [lo, hi] (lo >= 1, hi <= 127),
 * exactly: each byte is computed apart from its neighbours, so no carry
 * spreads from one to the next. */
static inline uint64_t smtpstatus__bytes_in(uint64_t x, unsigned lo, unsigned hi)
{
    uint64_t low7 = x & ~SMTPSTATUS__HIGHS;
    uint64_t above = low7 + SMTPSTATUS__ONES * (128u - lo);      /* top set: b >= lo */
    uint64_t below = SMTPSTATUS__ONES * (127u + hi + 1u) - low7;   /* top set: b <= hi */

    return above & below & ~x & SMTPSTATUS__HIGHS;
}

/* The index of the last flagged byte of m (non-zero), as above. */
static inline unsigned smtpstatus__last_byte(uint64_t m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (63u - (unsigned)__builtin_clzll(m)) >> 3;
#else
    unsigned k = 7;
    while (!(m & (UINT64_C(0x80) << (8 * k))))
        k--;
    return k;
#endif
}

/* The first index at or after i of a byte in [lo, hi] (as for
 * smtpstatus__bytes_in), eight bytes at a time while eight remain; the last
 * few bytes are not tested, so the caller checks buf[result] itself when
 * fewer than eight bytes were left. Returns len when none is found. */
static inline size_t smtpstatus__skip_to_range(const char *buf, size_t len, size_t i, unsigned lo,
                                               unsigned hi)
{
    while (len - i >= 8) {
        uint64_t m = smtpstatus__bytes_in(smtpstatus__load64(buf + i), lo, hi);
        if (m != 0)
            return i + smtpstatus__first_byte(m);
        i += 8;
    }
    return i;
}

/* ---- Caller-owned structs with a size member (xkbcommon's abi-check):
 * the library fills a full local copy and copies out what fits. ---- */

/* The size of the first published version of each struct: callers must
 * pass at least this much. */
#define SMTPSTATUS__REPLY_SIZE_V1 sizeof(struct smtpstatus_reply)
#define SMTPSTATUS__CODE_INFO_SIZE_V1 sizeof(struct smtpstatus_code_info)
#define SMTPSTATUS__REPLY_INFO_SIZE_V1 sizeof(struct smtpstatus_reply_info)

static inline void smtpstatus__copy_out(void *dst, size_t dst_size, const void *src,
                                        size_t src_size)
{
    size_t n = dst_size < src_size ? dst_size : src_size;
    memcpy(dst, src, n);
    /* Keep the caller's own size value: it describes their struct. */
    memcpy(dst, &dst_size, sizeof dst_size);
}

/* ---- Enhanced codes ---- */

/* The grammar of enhanced.c, inline: the reply parser reads a code at the
 * start of every line it parses. */

/* One sub-code of 1 to 3 digits at buf[*pos] (RFC 3463 §2: no leading
 * zero), its digits read by subtraction. */
static inline int smtpstatus__enhanced_part(const char *buf, size_t len, size_t *pos, uint16_t *value)
{
    size_t p = *pos;
    unsigned d0, d;
    unsigned v;

    if (p >= len || (d0 = (unsigned char)(buf[p] - '0')) > 9u)
        return SMTPSTATUS_E_SYNTAX;
    v = d0;
    if (++p < len && (d = (unsigned char)(buf[p] - '0')) <= 9u) {
        if (d0 == 0) {
            *pos = p - 1;
            return SMTPSTATUS_E_BAD_CODE; /* leading zero */
        }
        v = v * 10 + d;
        if (++p < len && (d = (unsigned char)(buf[p] - '0')) <= 9u) {
            v = v * 10 + d;
            if (++p < len && (unsigned char)(buf[p] - '0') <= 9u) {
                *pos = p;
                return SMTPSTATUS_E_BAD_CODE; /* a fourth digit */
            }
        }
    }
    *value = (uint16_t)v;
    *pos = p;
    return SMTPSTATUS_OK;
}

/* What smtpstatus__parse_enhanced_at() does (below). */
static inline int smtpstatus__enhanced_at(const char *buf, size_t len, size_t at,
                                          struct smtpstatus_enhanced *out, size_t *end)
{
    struct smtpstatus_enhanced code = { 0, 0, 0, 0 };
    size_t p = at;
    int rc;

    if (p >= len || (unsigned char)(buf[p] - '0') > 9u) {
        *end = p;
        return SMTPSTATUS_E_SYNTAX;
    }
    if (buf[p] != '2' && buf[p] != '4' && buf[p] != '5') {
        *end = p;
        return SMTPSTATUS_E_BAD_CODE;
    }
    code.cls = (uint8_t)(buf[p] - '0');
    p++;
    if (p >= len || buf[p] != '.') {
        *end = p;
        return SMTPSTATUS_E_SYNTAX;
    }
    p++;
    rc = smtpstatus__enhanced_part(buf, len, &p, &code.subject);
    if (rc != SMTPSTATUS_OK) {
        *end = p;
        return rc;
    }
    if (p >= len || buf[p] != '.') {
        *end = p;
        return SMTPSTATUS_E_SYNTAX;
    }
    p++;
    rc = smtpstatus__enhanced_part(buf, len, &p, &code.detail);
    *end = p;
    if (rc != SMTPSTATUS_OK)
        return rc;
    *out = code;
    return SMTPSTATUS_OK;
}

/* What smtpstatus__enhanced_boundary_after() does (below). */
static inline int smtpstatus__enhanced_ends_at(const char *buf, size_t len, size_t end)
{
    unsigned char c;

    if (end >= len)
        return 1;
    c = (unsigned char)buf[end];
    if (smtpstatus__is_alnum(c) || c == '_')
        return 0;
    /* "4.4.1.2" and Yahoo's "4.16.55.1" are not codes followed by text. */
    if (c == '.' && end + 1 < len && smtpstatus__is_digit((unsigned char)buf[end + 1]))
        return 0;
    return 1;
}

/* Parse a code at buf[at]; on success set *out and *end (offset just past
 * the code). On failure *end is the offset of the offending byte. Does not
 * look at what follows the code. */
int smtpstatus__parse_enhanced_at(const char *buf, size_t len, size_t at,
                                  struct smtpstatus_enhanced *out, size_t *end);

/* Whether a code may end at buf[end] (the boundary rule of
 * smtpstatus_find_enhanced()). */
int smtpstatus__enhanced_boundary_after(const char *buf, size_t len, size_t end);

/* Whether a code may start at buf[at] (the other boundary rule of
 * smtpstatus_find_enhanced()). */
int smtpstatus__enhanced_boundary_before(const char *buf, size_t at);

/* ---- Replies (reply.c) ---- */

/* smtpstatus_parse_reply() without its fast path, line by line the
 * general scanner: what tests/test-reply-fast.c compares it with. */
int smtpstatus__parse_reply_general(const char *buf, size_t len, unsigned flags,
                                    struct smtpstatus_reply *out);

/* ---- Stages (stage.c) ---- */

/* The stage named by the command phrase at buf[at] ("RCPT TO", "end of
 * DATA", "initial connection", ...), or SMTPSTATUS_STAGE_UNKNOWN; *end
 * (may be NULL) is set past the phrase. */
int smtpstatus__stage_at(const char *buf, size_t len, size_t at, size_t *end);

/* ---- Tables (lookup.c) ---- */

struct smtpstatus__class_row {
    uint8_t digit;
    uint16_t title, description, reference;
};

struct smtpstatus__subject_row {
    uint16_t subject;
    uint16_t title, description, reference;
};

struct smtpstatus__code_row {
    uint16_t subject, detail;
    uint16_t title, description, reference, basic_text, replaced_by;
    uint8_t flags;
    uint8_t basic_count;
    uint16_t basic[SMTPSTATUS_BASIC_CODES_MAX];
};

struct smtpstatus__reply_row {
    uint16_t code;
    uint8_t kind;
    uint16_t context, class_name, category_name, text, meaning, reference, notes;
};

/* The registry row for X.subject.detail, or NULL. */
const struct smtpstatus__code_row *smtpstatus__find_code(unsigned subject, unsigned detail);

/* The preferred table row for a reply code, or NULL. */
const struct smtpstatus__reply_row *smtpstatus__find_reply(unsigned code);

/* A string of the pool by offset; NULL for offset 0 ("absent"). */
const char *smtpstatus__string(uint16_t off);

/* Whether a registered code's entry lists `reply` among its basic codes
 * (directly, as a 4XX/5XX wildcard, or as "Any"). Entries that list
 * nothing ("Not given") allow any code. */
int smtpstatus__basic_allows(const struct smtpstatus__code_row *row, unsigned reply);

/* The reply's SMTPSTATUS_ANOMALY_UNKNOWN_CODE, _NO_ENHANCED,
 * _ENHANCED_ON_3XX, _CLASS_MISMATCH, _UNREGISTERED and _UNUSUAL_PAIRING
 * bits, for reply code `code` and its enhanced code (NULL: none). */
uint32_t smtpstatus__registry_anomalies(unsigned code, const struct smtpstatus_enhanced *enhanced);
/* The same by its plain definition (row lookups and basic-code lists), for
 * the tests. */
uint32_t smtpstatus__registry_anomalies_plain(unsigned code, const struct smtpstatus_enhanced *enhanced);

/* ---- Classifier tables (rules.c, generated by gen-rules.py) ---- */

struct smtpstatus__reason_row {
    uint8_t party, address_dead, transient_action, permanent_action;
    uint32_t delay;
    uint16_t sparkpost;
    uint32_t name, sisimai, powermta, title, meaning, causes, remedy;
};

struct smtpstatus__advice_row {
    uint16_t subject, detail; /* detail 0xFFFF: the subject's row */
    uint8_t party;
    uint32_t meaning, causes, remedy;
};

struct smtpstatus__provider_row {
    uint32_t key, name;
};

/* A provider's domain in the sorted index (lower case). */
struct smtpstatus__domain_row {
    uint32_t name;
    uint8_t len, provider;
};

/* Rule kinds, in the order of enum smtpstatus_evidence_kind. */
#define SMTPSTATUS__KIND_CODE 1
#define SMTPSTATUS__KIND_REPLY 2
#define SMTPSTATUS__KIND_TEXT 3
#define SMTPSTATUS__KIND_PROVIDER 4

struct smtpstatus__rule_row {
    uint32_t id, source, delay;
    uint16_t reply_first;
    uint8_t reply_count, provider, cls, stage, reason, conf, sisimai, kind, has_status, st_cls;
    uint16_t st_subject, st_detail; /* 0xFFFF: any */
};

/* An entry of a generator's code or reply list (gen-rules.py, listed):
 * the candidate its rule offers, with the candidate's rank (rules.c,
 * rank_of); the stage and the provider (index + 1) it needs, or 0; and
 * `rest`, whether its rule has more to test (rule_applies()). */
struct smtpstatus__listed_row {
    uint16_t rule, rank;
    uint8_t reason, conf, kind, stage, provider, rest;
};

/* Pattern flags: word boundary before, after. */
#define SMTPSTATUS__PATTERN_WORD_BEFORE 1u
#define SMTPSTATUS__PATTERN_WORD_AFTER 2u

/* A pattern: its rules are smtpstatus__pattern_rules[rule_first..], its
 * `plain` rules (no provider) first, then its `provider_rules`. */
struct smtpstatus__pattern_row {
    uint8_t len, flags, marker; /* marker: provider index + 1, or 0 */
    uint8_t plain;
    uint16_t rule_first;
    uint8_t provider_rules;
    uint8_t plain_tested; /* 0: no plain rule has a stage or more to test */
    uint16_t text;        /* its bytes: smtpstatus__pattern_bytes + text */
};

/* An anchor of the phrase matcher: the 4-byte window `key` (loaded
 * little-endian, every byte ORed with 0x20) is at offset `at` of the
 * pattern (-1: it starts one byte before a 3-byte pattern). `check` is 4
 * bytes of the pattern, the same way, that the window at q has at q + rel,
 * tested before the pattern is compared: one compare rejects most anchors
 * found in a text without their pattern (0: none, for a masked anchor of a
 * 3-byte pattern). */
struct smtpstatus__anchor {
    uint32_t key;
    uint32_t check;
    uint16_t pattern;
    int8_t at;
    int8_t rel;
};

/* Finding the patterns in a text (rules.c): every occurrence of a pattern
 * whose word boundaries hold, ASCII letters folded, other bytes exact. They
 * come in the order the classifier weighs them: by end offset, then the
 * longer first, then by pattern id. The scanner holds the matches it has
 * verified but cannot hand out yet (an earlier-ending one may still be
 * found); `pending` is sized by the generator so that it never fills. */
#define SMTPSTATUS__PHRASE_PENDING_MAX 256

struct smtpstatus__phrase_scan {
    const unsigned char *text;
    size_t len;
    size_t pos;   /* the next window to test */
    size_t stop;  /* past the last window */
    size_t final; /* the matches waiting that end at or before it are final */
    /* The matches waiting are [first, count), sorted first-first: the
     * next one out is at `first`, and most new ones go at `count`. A
     * match is one number whose order is the order they are handed out in
     * (SMTPSTATUS__PHRASE_ORDER): placing one takes one compare a match
     * passed, not three loads and up to three compares. */
    unsigned first, count;
    uint64_t order[SMTPSTATUS__PHRASE_PENDING_MAX];
};

/* A waiting match as one number: its end from bit 24 (so texts are matched
 * in their first 2^40 - 1 bytes: smtpstatus__phrase_start), 255 less its
 * pattern's length in bits 16 to 23 (the longer first on one end), and its
 * pattern in the low 16 bits (then by pattern). */
#define SMTPSTATUS__PHRASE_ORDER(end, len, pattern) \
    ((uint64_t)(end) << 24 | (uint64_t)(255u - (len)) << 16 | (uint64_t)(pattern))
/* A waiting match's end and pattern, back from its number. */
#define SMTPSTATUS__PHRASE_END(order) ((size_t)((order) >> 24))
#define SMTPSTATUS__PHRASE_PATTERN(order) ((unsigned)((order) & 0xFFFFu))
#define SMTPSTATUS__PHRASE_TEXT_MAX (((uint64_t)1 << 40) - 1)

void smtpstatus__phrase_start(struct smtpstatus__phrase_scan *s, const char *text, size_t len);
/* Verify the windows of the text up to the next final match:
 * smtpstatus__phrase_next() when no match waiting is final. */
int smtpstatus__phrase_more(struct smtpstatus__phrase_scan *s, unsigned *pattern, size_t *end);

/* The next occurrence: 1 with *pattern and *end set, or 0 when there are
 * no more. Inline: a match that is already final is handed out without a
 * call (most are: the matcher verifies sixteen bytes of windows at once),
 * and so is the end, once the whole text is verified (final is SIZE_MAX)
 * and no match waits. */
static inline int smtpstatus__phrase_next(struct smtpstatus__phrase_scan *s, unsigned *pattern, size_t *end)
{
    if (s->first < s->count) {
        uint64_t o = s->order[s->first];

        if (SMTPSTATUS__PHRASE_END(o) <= s->final) {
            *pattern = SMTPSTATUS__PHRASE_PATTERN(o);
            *end = SMTPSTATUS__PHRASE_END(o);
            s->first++;
            return 1;
        }
    } else if (s->final == SIZE_MAX)
        return 0;
    return smtpstatus__phrase_more(s, pattern, end);
}
/* The generator's bound on the matches waiting at once (tests). */
size_t smtpstatus__phrase_pending_bound(void);
size_t smtpstatus__pattern_count(void);
/* Pattern `index`'s lower-case bytes and its flags (SMTPSTATUS__PATTERN_*),
 * or NULL. */
const unsigned char *smtpstatus__pattern_text(unsigned index, size_t *len, unsigned *flags);

/* The first "c.s.d" token of t[0..len) (as smtpstatus_find_enhanced()
 * finds them, one after another) equal to `code`: 1 with *span set, else
 * 0 (classify.c, for an evidence span). The general form searches with
 * smtpstatus_find_enhanced() itself, for the tests. */
int smtpstatus__find_code_token(const char *t, size_t len, const struct smtpstatus_enhanced *code,
                                struct smtpstatus_span *span);
/* The first 3-digit token in t[0..len) equal to `reply` (no letter or
 * digit on either side), for the verdict's evidence span: for the tests. */
int smtpstatus__find_reply_token(const char *t, size_t len, unsigned reply, struct smtpstatus_span *span);
int smtpstatus__find_code_token_general(const char *t, size_t len, const struct smtpstatus_enhanced *code,
                                        struct smtpstatus_span *span);
/* The first delay a text states ("try again in 5 minutes": 300 seconds),
 * as the verdict reads it, and the same by its definition (every number
 * in turn): for the tests. */
int smtpstatus__find_delay(const char *t, size_t len, uint32_t *seconds);
int smtpstatus__find_delay_general(const char *t, size_t len, uint32_t *seconds);

/* The facts a classification starts from. */
struct smtpstatus__facts {
    const char *text;
    size_t len;
    unsigned reply;  /* 0: none */
    int has_enhanced;
    struct smtpstatus_enhanced enhanced;
    unsigned cls;    /* 2..5, or 0 */
    unsigned stage;
    uint64_t providers; /* bit i: provider i recognised */
    /* Where the codes are in the text, when the caller parsed them (else
     * the classifier looks, for the evidence spans). */
    int spans_known;
    struct smtpstatus_span reply_span, enhanced_span;
    /* enhanced_span is the text's first "c.s.d" token (the classifier
     * found it with smtpstatus_find_enhanced()), so it is also the first
     * equal to the code: the evidence span needs no search. */
    int enhanced_first;
};

/* A rule that matched. */
struct smtpstatus__candidate {
    uint16_t rule;
    uint8_t kind, conf, reason;
    uint16_t rank; /* set by smtpstatus__collect() for the ones it keeps */
    size_t off, len;
};

/* The best candidates seen so far, strongest first. */
struct smtpstatus__collector {
    struct smtpstatus__candidate best[SMTPSTATUS_EVIDENCE_MAX];
    unsigned count;
};

void smtpstatus__collect(struct smtpstatus__collector *c, const struct smtpstatus__candidate *cand);
uint64_t smtpstatus__providers_for_host(const char *host, size_t len);
/* The same by a binary search of each suffix: the plain form
 * tests/test-classify.c compares the hashed one with. */
uint64_t smtpstatus__providers_for_host_searched(const char *host, size_t len);
/* Provider domain `index` (sorted), or NULL past the last: for tests. */
const char *smtpstatus__domain_name(unsigned index, size_t *len);
/* Scan the text once: recognise providers (adding to facts->providers) and
 * offer every text and provider rule that applies. */
void smtpstatus__match_text(struct smtpstatus__facts *facts, struct smtpstatus__collector *c);
/* Offer the enhanced-code and reply-code defaults. */
void smtpstatus__match_codes(const struct smtpstatus__facts *facts, struct smtpstatus__collector *c);
/* The same by searches of the keyed rule lists, without the generator's
 * per-code lists: what tests/test-code-rules.c compares them with. */
void smtpstatus__match_codes_keyed(const struct smtpstatus__facts *facts, struct smtpstatus__collector *c);
/* For tests: how many entries of the generator's lists (code, reply,
 * pattern) offer another candidate than their rule's (rank, reason,
 * confidence, kind) or leave out one of its conditions, plus how many
 * of the patterns' rules are not where their row's counts put them (the
 * `plain` ones first, then the provider ones). */
size_t smtpstatus__listed_mismatches(void);

const struct smtpstatus__reason_row *smtpstatus__reason(unsigned reason);
size_t smtpstatus__reason_count(void);
const struct smtpstatus__rule_row *smtpstatus__rule(unsigned index);
const char *smtpstatus__rstring(uint32_t off);

/* The classifier's tables (rules.c), so that the verdict's own reads of
 * them are inline, not calls (LTO is not assumed). */
struct smtpstatus__rule_tables {
    const struct smtpstatus__reason_row *reasons;
    const struct smtpstatus__rule_row *rules;
    const char *pool;
    uint32_t reason_count, rule_count;
};
extern const struct smtpstatus__rule_tables smtpstatus__tables;

/* smtpstatus__reason() and smtpstatus__rule(), inline. */
static inline const struct smtpstatus__reason_row *smtpstatus__reason_inline(unsigned reason)
{
    return reason < smtpstatus__tables.reason_count ? &smtpstatus__tables.reasons[reason] : NULL;
}

static inline const struct smtpstatus__rule_row *smtpstatus__rule_inline(unsigned index)
{
    return index < smtpstatus__tables.rule_count ? &smtpstatus__tables.rules[index] : NULL;
}

/* The evidence item of a kept candidate, with its rule's id and source
 * strings (NULL past the last rule). Every byte of e is set,
 * the padding after the confidence included (the verdict is returned byte
 * for byte, and clearing each item first cost as much as filling it): the
 * three numbers and that padding in one copy, then the fields after it,
 * which have none between them. A rule past the last has NULL id and
 * source. */
_Static_assert(offsetof(struct smtpstatus_evidence, kind) == 0 &&
                   offsetof(struct smtpstatus_evidence, reason) == 4 &&
                   offsetof(struct smtpstatus_evidence, confidence) == 8 &&
                   offsetof(struct smtpstatus_evidence, rule) <= 4 * sizeof(uint32_t),
               "the evidence's numbers fill its head");
_Static_assert(offsetof(struct smtpstatus_evidence, source) ==
                       offsetof(struct smtpstatus_evidence, rule) + sizeof(const char *) &&
                   offsetof(struct smtpstatus_evidence, span) ==
                       offsetof(struct smtpstatus_evidence, source) + sizeof(const char *) &&
                   sizeof(struct smtpstatus_span) == 2 * sizeof(size_t) &&
                   sizeof(struct smtpstatus_evidence) ==
                       offsetof(struct smtpstatus_evidence, span) + sizeof(struct smtpstatus_span),
               "no padding after the evidence's head");
static inline void smtpstatus__evidence_item(struct smtpstatus_evidence *e, const struct smtpstatus__candidate *c)
{
    const struct smtpstatus__rule_tables *t = &smtpstatus__tables;
    const uint32_t head[4] = { c->kind, c->reason, c->conf, 0 };

    memcpy(e, head, offsetof(struct smtpstatus_evidence, rule));
    if (c->rule < t->rule_count) {
        /* Every rule has an id and a source (gen-rules.py fails without),
         * so neither offset is 0, "absent". */
        e->rule = t->pool + t->rules[c->rule].id;
        e->source = t->pool + t->rules[c->rule].source;
    } else {
        e->rule = NULL;
        e->source = NULL;
    }
    e->span.off = c->off;
    e->span.len = c->len;
}

const char *smtpstatus__sisimai_name(unsigned index);

const char *smtpstatus__provider_key(unsigned index);
/* Advice for X.subject.detail, falling back to the subject's row; NULL if none. */
const struct smtpstatus__advice_row *smtpstatus__find_advice(unsigned subject, unsigned detail);

/* ---- A bounded string builder with snprintf() semantics (explain.c).
 * It never writes past size and always counts the full length. ---- */

struct smtpstatus__out {
    char *buf;
    size_t size;
    size_t len; /* full length, may exceed size */
};

void smtpstatus__out_init(struct smtpstatus__out *o, char *buf, size_t size);
void smtpstatus__out_bytes(struct smtpstatus__out *o, const char *s, size_t n);
void smtpstatus__out_str(struct smtpstatus__out *o, const char *s);
void smtpstatus__out_uint(struct smtpstatus__out *o, unsigned long v);
void smtpstatus__out_code(struct smtpstatus__out *o, const struct smtpstatus_enhanced *code);
/* Terminate and return the full length as an int (INT_MAX-capped). */
int smtpstatus__out_finish(struct smtpstatus__out *o);

#endif /* SMTPSTATUS_INTERNAL_H */
