/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * From facts to a verdict. Every matching rule (rules.c) proposes a reason
 * with a confidence; the strongest wins. The rest follows from the reason
 * and the outcome through the reason table (lib/data/reasons.tsv):
 *
 * - outcome: the reply code's first digit, else the enhanced class; with
 *   neither, inferred from the reason (RFC 2034 §3 and RFC 5321 §4.2.1:
 *   the reply code is what a client acts on);
 * - bounce: hard only for a permanent failure whose reason means the
 *   address is dead; soft for any other failure;
 * - action and party: the reason's defaults for a transient or permanent
 *   failure;
 * - retry_after: a delay the text states, else the rule's, else the
 *   reason's default.
 */

#include "internal.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The stage turned the reason: say so first, before the evidence it
 * overrode (which moves down one place; the weakest drops off a full
 * list). */
static void stage_evidence(struct smtpstatus_verdict *v, const char *rule, const char *source)
{
    uint32_t n = v->evidence_count < SMTPSTATUS_EVIDENCE_MAX ? v->evidence_count : SMTPSTATUS_EVIDENCE_MAX - 1;

    memmove(&v->evidence[1], &v->evidence[0], n * sizeof v->evidence[0]);
    memset(&v->evidence[0], 0, sizeof v->evidence[0]);
    v->evidence[0].kind = SMTPSTATUS_EVIDENCE_STAGE;
    v->evidence[0].reason = v->reason;
    /* As sure as what it overrode; with nothing overridden (no rule at
     * all), as sure as a stage's reply-code default (rules.tsv stage.*). */
    v->evidence[0].confidence = v->confidence > 0 ? v->confidence : 35;
    v->evidence[0].rule = rule;
    v->evidence[0].source = source;
    v->evidence_count = n + 1;
}

/* smtpstatus__enhanced_boundary_before(), with its usual answer in line:
 * a space before a code, or none, leaves it a token of its own. */
static inline int boundary_before(const char *t, size_t at)
{
    return at == 0 || t[at - 1] == ' ' || smtpstatus__enhanced_boundary_before(t, at);
}

/* memcmp(a, b, n) == 0 for a code's few bytes (n <= 7), without a call. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    size_t k = 0;

    while (k < n && a[k] == b[k])
        k++;
    return k == n;
}

/* The first "c.s.d" token in t[from..len) equal to `code`, by
 * smtpstatus_find_enhanced(): the plain form of smtpstatus__find_code_token(),
 * which tests compare it with. */
static int find_code_from(const char *t, size_t len, size_t from, const struct smtpstatus_enhanced *code,
                          struct smtpstatus_span *span)
{
    while (from < len) {
        struct smtpstatus_enhanced found;
        struct smtpstatus_span where;
        if (smtpstatus_find_enhanced(t + from, len - from, 0, &found, &where) != SMTPSTATUS_OK)
            return 0;
        if (smtpstatus_compare_enhanced(&found, code) == 0) {
            span->off = from + where.off;
            span->len = where.len;
            return 1;
        }
        from += where.off + where.len;
    }
    return 0;
}

#if defined(__SSE2__)
/* From i, sixteen starts a step while eighteen bytes remain: the first
 * start of the bytes a, b, c in a row, else the first start with fewer
 * than eighteen bytes after it. The evidence-span searches go to the next
 * place worth a full test with it. */
static inline size_t skip_to_three(const char *t, size_t len, size_t i, char a, char b, char c)
{
    for (; len - i >= 18; i += 16) {
        __m128i x = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(t + i)), _mm_set1_epi8(a));
        __m128i y = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(t + i + 1)), _mm_set1_epi8(b));
        __m128i z = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(t + i + 2)), _mm_set1_epi8(c));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_and_si128(x, y), z));

        if (m != 0)
            return i + smtpstatus__ctz64(m);
    }
    return i;
}
#endif

int smtpstatus__find_code_token_general(const char *t, size_t len, const struct smtpstatus_enhanced *code,
                                        struct smtpstatus_span *span)
{
    return find_code_from(t, len, 0, code, span);
}

/* The same without smtpstatus_find_enhanced()'s stop at every dot (log
 * lines are full of host names and addresses). A token equal to `code` is
 * its canonical text (RFC 3463 §2: no leading zeros), so only the starts
 * of a class digit and a dot are looked at, sixteen or eight at a time,
 * and compared with those bytes. A start inside an earlier token follows
 * a digit or a dot, which no token's start may
 * (smtpstatus__enhanced_boundary_before()), so skipping past the tokens
 * that differ, as find_code_from() does, finds the same one. */
int smtpstatus__find_code_token(const char *t, size_t len, const struct smtpstatus_enhanced *code,
                                struct smtpstatus_span *span)
{
    char canon[12];
    size_t n = 0;
    unsigned digit = '0' + (unsigned)code->cls;

    /* Subjects past 7 are never tokens (smtpstatus_find_enhanced()), nor
     * is a detail past 999 (only a caller's smtpstatus_classify() input
     * holds one). */
    if (code->subject > 7 || code->detail > 999 || (code->cls != 2 && code->cls != 4 && code->cls != 5))
        return 0;
    canon[n++] = (char)digit;
    canon[n++] = '.';
    canon[n++] = (char)('0' + code->subject);
    canon[n++] = '.';
    if (code->detail >= 100)
        canon[n++] = (char)('0' + code->detail / 100);
    if (code->detail >= 10)
        canon[n++] = (char)('0' + code->detail / 10 % 10);
    canon[n++] = (char)('0' + code->detail % 10);
    for (size_t i = 0; len >= n && i <= len - n; i++) {
#if defined(__SSE2__)
        /* Its first three bytes (class, dot, subject): an address or a
         * version with the class digit and a dot rarely has the subject. */
        i = skip_to_three(t, len, i, (char)digit, '.', canon[2]);
#endif
        while (len - i >= 9) {
            uint64_t m = smtpstatus__bytes_in(smtpstatus__load64(t + i), digit, digit) &
                         smtpstatus__bytes_in(smtpstatus__load64(t + i + 1), '.', '.');
            if (m != 0) {
                i += smtpstatus__first_byte(m);
                break;
            }
            i += 8;
        }
        if (i > len - n)
            break;
        if (same_bytes(t + i, canon, n) && boundary_before(t, i) &&
            smtpstatus__enhanced_ends_at(t, len, i + n)) {
            span->off = i;
            span->len = n;
            return 1;
        }
    }
    return 0;
}

/* The first 3-digit token in t[0..len) equal to `reply`. Sixteen starts
 * at a time to the next of its three digits (a log line has many digits,
 * few of them a reply's), else eight bytes at a time to the next byte
 * equal to its first digit. */
static int find_reply_token(const char *t, size_t len, unsigned reply, struct smtpstatus_span *span)
{
    char digits[3] = { (char)('0' + reply / 100), (char)('0' + reply / 10 % 10),
                       (char)('0' + reply % 10) };

    for (size_t i = 0; i + 3 <= len; i++) {
#if defined(__SSE2__)
        i = skip_to_three(t, len, i, digits[0], digits[1], digits[2]);
#endif
        i = smtpstatus__skip_to_range(t, len, i, (unsigned char)digits[0], (unsigned char)digits[0]);
        if (i + 3 > len)
            break;
        if (t[i] == digits[0] && t[i + 1] == digits[1] && t[i + 2] == digits[2] &&
            (i == 0 || !smtpstatus__is_alnum((unsigned char)t[i - 1])) &&
            (i + 3 == len || !smtpstatus__is_alnum((unsigned char)t[i + 3]))) {
            span->off = i;
            span->len = 3;
            return 1;
        }
    }
    return 0;
}

int smtpstatus__find_reply_token(const char *t, size_t len, unsigned reply, struct smtpstatus_span *span)
{
    return find_reply_token(t, len, reply, span);
}

/* Where the codes are in the text, for the evidence span of code rules:
 * the first token equal to each. When the caller parsed them, the search
 * stops at the parsed span, which is almost always the first one, so a
 * reply costs a few bytes of search instead of its whole text. Either way
 * the answer is the same, so smtpstatus_classify() with the same facts
 * gives the same evidence as smtpstatus_classify_reply(). Each is looked
 * for only when evidence shows it.
 *
 * The usual case, answered without a search: no dot before the parsed
 * code, so smtpstatus_find_enhanced() over the text up to the code's end
 * would look at the code first, and takes it when these checks pass
 * (else the search below runs as before). */
static int parsed_code_first(const struct smtpstatus__facts *f, struct smtpstatus_span *span)
{
    const char *t = f->text;
    size_t off = f->enhanced_span.off, end = off + f->enhanced_span.len, stop;
    struct smtpstatus_enhanced code;

    if (f->enhanced_span.len < 5 || t[off + 1] != '.')
        return 0;
    /* No dot in t[1..off]: a short walk, the code being near the start. */
    if (off > 0) {
        if (off > 16) {
            if (memchr(t + 1, '.', off) != NULL)
                return 0;
        } else {
            for (size_t i = 1; i <= off; i++)
                if (t[i] == '.')
                    return 0;
        }
    }
    if (smtpstatus__enhanced_at(t, end, off, &code, &stop) != SMTPSTATUS_OK || stop != end ||
        code.subject > 7 || code.cls != f->enhanced.cls || code.subject != f->enhanced.subject ||
        code.detail != f->enhanced.detail || !boundary_before(t, off))
        return 0;
    span->off = off;
    span->len = end - off;
    return 1;
}

static void locate_enhanced(const struct smtpstatus__facts *f, struct smtpstatus_span *enh_span)
{
    memset(enh_span, 0, sizeof *enh_span);
    if (f->enhanced_first) {
        *enh_span = f->enhanced_span;
        return;
    }
    if (f->has_enhanced) {
        size_t bound = f->spans_known ? f->enhanced_span.off + f->enhanced_span.len : f->len;
        if (!(f->spans_known && bound <= f->len && parsed_code_first(f, enh_span)) &&
            (bound > f->len || !smtpstatus__find_code_token(f->text, bound, &f->enhanced, enh_span)))
            smtpstatus__find_code_token(f->text, f->len, &f->enhanced, enh_span);
    }
}

static void locate_reply(const struct smtpstatus__facts *f, struct smtpstatus_span *reply_span)
{
    const char *t = f->text;

    memset(reply_span, 0, sizeof *reply_span);
    /* The usual case: a parsed reply at the text's start, where no token
     * can come before it. Its three digits, and no letter or digit after
     * them, are what the search below would find first. */
    if (f->reply && f->spans_known && f->reply_span.off == 0 && f->len >= 3) {
        if ((unsigned)(t[0] - '0') < 10 && (unsigned)(t[1] - '0') < 10 && (unsigned)(t[2] - '0') < 10 &&
            (unsigned)(t[0] - '0') * 100u + (unsigned)(t[1] - '0') * 10u + (unsigned)(t[2] - '0') == f->reply &&
            (f->len == 3 || !smtpstatus__is_alnum((unsigned char)t[3]))) {
            reply_span->len = 3;
            return;
        }
        if (find_reply_token(t, f->len < 4 ? f->len : 4, f->reply, reply_span) && reply_span->off == 0)
            return;
    }
    if (f->reply) {
        size_t bound = f->spans_known ? f->reply_span.off + f->reply_span.len : f->len;
        if (bound > f->len || !find_reply_token(f->text, bound, f->reply, reply_span))
            find_reply_token(f->text, f->len, f->reply, reply_span);
    }
}

/* A word of a delay, with its length, so that no comparison needs strlen. */
struct delay_word {
    char word[8];
    uint8_t len;
    uint32_t factor;
};

/* Whether t[end - n .. end) is the lower-case word w, ignoring case, and
 * starts a word. */
static int cue_before(const char *t, size_t end, const struct delay_word *w)
{
    size_t at = end - w->len;

    return end >= w->len && smtpstatus__match_at_n(t, end, at, w->word, w->len) &&
           (at == 0 || !smtpstatus__is_alnum((unsigned char)t[at - 1]));
}

/* Whether the lower-case word w is at t[at..len), ignoring case, and ends
 * a word (no letter after it). */
static int unit_at(const char *t, size_t len, size_t at, const struct delay_word *w)
{
    return smtpstatus__match_at_n(t, len, at, w->word, w->len) &&
           (at + w->len == len || !smtpstatus__is_alpha((unsigned char)t[at + w->len]));
}

/* "try again in 5 minutes", "retry after 300 seconds", "wait 1 hour":
 * a number with a time unit, after a word that speaks of waiting, at
 * t[i]: whether there is one, and its seconds. */
static int delay_at(const char *t, size_t len, size_t i, uint32_t *seconds)
{
    static const struct delay_word units[] = {
        { "seconds", 7, 1 }, { "second", 6, 1 }, { "secs", 4, 1 }, { "sec", 3, 1 }, { "s", 1, 1 },
        { "minutes", 7, 60 }, { "minute", 6, 60 }, { "mins", 4, 60 }, { "min", 3, 60 }, { "m", 1, 60 },
        { "hours", 5, 3600 }, { "hour", 4, 3600 }, { "hrs", 3, 3600 }, { "hr", 2, 3600 }, { "h", 1, 3600 },
        { "days", 4, 86400 }, { "day", 3, 86400 },
    };
    /* By their last letter: n, y, r, t. */
    static const struct delay_word cues[] = {
        { "again", 5, 0 }, { "in", 2, 0 }, { "within", 6, 0 }, { "retry", 5, 0 },
        { "later", 5, 0 }, { "after", 5, 0 }, { "for", 3, 0 }, { "wait", 4, 0 },
    };
    uint64_t n = 0;
    size_t j, k, cue_end;
    unsigned char first;
    int cued = 0;

    if (i == 0 || i >= len || !smtpstatus__is_digit((unsigned char)t[i]) || t[i - 1] != ' ')
        return 0;
    /* The cue word must end just before the number (tested first: most
     * numbers, an enhanced code's first digit after the reply code,
     * have none, and the number need not be read). */
    cue_end = i;
    while (cue_end > 0 && t[cue_end - 1] == ' ')
        cue_end--;
    /* Every cue ends in n, y, r or t: most numbers have none before, and
     * only the cues that end in the letter there are compared. */
    if (cue_end > 0) {
        size_t from = 0, to = 0;
        switch (smtpstatus__lower((unsigned char)t[cue_end - 1])) {
        case 'n':
            to = 3;
            break;
        case 'y':
            from = 3, to = 4;
            break;
        case 'r':
            from = 4, to = 7;
            break;
        case 't':
            from = 7, to = 8;
            break;
        default:
            break;
        }
        for (size_t c = from; c < to && !cued; c++)
            cued = cue_before(t, cue_end, &cues[c]);
    }
    if (!cued)
        return 0;
    j = i;
    while (j < len && smtpstatus__is_digit((unsigned char)t[j]) && n < 1000000)
        n = n * 10 + (uint64_t)(t[j++] - '0');
    if (j < len && (smtpstatus__is_digit((unsigned char)t[j]) || t[j] == '.'))
        return 0; /* too long, or a decimal or address */
    k = j;
    while (k < len && t[k] == ' ')
        k++;
    if (k >= len)
        return 0;
    first = smtpstatus__lower((unsigned char)t[k]);
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        /* Only the units that start with the letter there. */
        if (units[u].word[0] == first && unit_at(t, len, k, &units[u])) {
            uint64_t secs = n * units[u].factor;
            /* Anything beyond a week is not a retry hint. */
            if (secs == 0 || secs > 7u * 86400u)
                return 0;
            *seconds = (uint32_t)secs;
            return 1;
        }
    }
    return 0;
}

/* The first delay in the text, by its definition: every number in turn. */
int smtpstatus__find_delay_general(const char *t, size_t len, uint32_t *seconds)
{
    for (size_t i = 1; i < len; i++)
        if (delay_at(t, len, i, seconds))
            return 1;
    return 0;
}

/* Whether a number at t[k] (k >= 2, a space at t[k - 1]) can have a cue
 * word before it: the cue's last letter (n, y, r or t) at t[k - 2], or
 * more spaces. ORed with 0x20 a few other bytes pass too: delay_at() sees
 * to them. */
static inline int cue_may_end(const char *t, size_t k)
{
    unsigned c = (unsigned char)t[k - 2] | 0x20u;

    return c == 'n' || c == 'y' || c == 'r' || c == 't' || c == ' ';
}

#if defined(__SSE2__)
/* Bit k: p[k] is a digit and p[k - 1] a space (p[-1] is read). A byte is
 * a digit when subtracting '0' leaves it at most 9. */
static inline unsigned spaced_digits16(const char *p)
{
    __m128i x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), _mm_set1_epi8('0'));
    __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x);
    __m128i space = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p - 1)), _mm_set1_epi8(' '));

    return (unsigned)_mm_movemask_epi8(_mm_and_si128(digit, space));
}

/* A delay at t[i + k] for a bit k of m, the first. */
static inline int delay_in(const char *t, size_t len, size_t i, uint32_t m, uint32_t *seconds)
{
    for (; m != 0; m &= m - 1) {
        size_t k = i + (unsigned)smtpstatus__ctz64(m);
        if (cue_may_end(t, k) && delay_at(t, len, k, seconds))
            return 1;
    }
    return 0;
}
#endif

/* The same, looking only where delay_at() can say yes. A cue word ends in
 * a letter, and a number right after a letter is not a number's start: so
 * a number that can be cued has a space before it, and before that its
 * cue's last letter or more spaces (cue_may_end()). A number at t[1] has
 * only a space before it: no cue. The spaced digits are found 32 places
 * at a time (SSE2; then 16, and a last 16 that overlap the ones before),
 * each of a block tried in turn; else eight byte pairs at a time. */
static inline int find_delay(const char *t, size_t len, uint32_t *seconds)
{
    size_t i = 2;

#if defined(__SSE2__)
    if (len >= 18) {
        for (; len - i >= 32; i += 32)
            if (delay_in(t, len, i, spaced_digits16(t + i) | spaced_digits16(t + i + 16) << 16, seconds))
                return 1;
        if (len - i >= 16) {
            if (delay_in(t, len, i, spaced_digits16(t + i), seconds))
                return 1;
            i += 16;
        }
        return i < len && delay_in(t, len, i, spaced_digits16(t + len - 16) >> (i - (len - 16)), seconds);
    }
#endif
    for (; i < len; i++) {
        while (len - i >= 8) {
            uint64_t m = smtpstatus__bytes_in(smtpstatus__load64(t + i), '0', '9') &
                         smtpstatus__bytes_in(smtpstatus__load64(t + i - 1), ' ', ' ');
            if (m != 0) {
                i += smtpstatus__first_byte(m);
                break;
            }
            i += 8;
        }
        if (i >= len)
            break;
        /* The last few bytes come here one at a time: the usual no in line. */
        if (smtpstatus__is_digit((unsigned char)t[i]) && t[i - 1] == ' ' && cue_may_end(t, i) &&
            delay_at(t, len, i, seconds))
            return 1;
    }
    return 0;
}

int smtpstatus__find_delay(const char *t, size_t len, uint32_t *seconds)
{
    return find_delay(t, len, seconds);
}

/* Reasons that are no bounce at all (auto-replies, complaints,
 * unsubscribe requests), a bit each. */
#define NOT_BOUNCES                                                                                      \
    ((uint64_t)1 << SMTPSTATUS_REASON_AUTO_REPLY | (uint64_t)1 << SMTPSTATUS_REASON_COMPLAINT |         \
     (uint64_t)1 << SMTPSTATUS_REASON_UNSUBSCRIBE_REQUEST)
_Static_assert(SMTPSTATUS_REASON_AUTO_REPLY < 64 && SMTPSTATUS_REASON_COMPLAINT < 64 &&
                   SMTPSTATUS_REASON_UNSUBSCRIBE_REQUEST < 64,
               "NOT_BOUNCES holds a bit of each");

static int is_retry_action(unsigned action)
{
    return action == SMTPSTATUS_ACTION_RETRY || action == SMTPSTATUS_ACTION_RETRY_LATER ||
           action == SMTPSTATUS_ACTION_RETRY_OTHER_IP || action == SMTPSTATUS_ACTION_SLOW_DOWN;
}

static void decide(struct smtpstatus__facts *f, struct smtpstatus_verdict *v)
{
    struct smtpstatus__collector c;
    struct smtpstatus_span reply_span, enh_span;
    const struct smtpstatus__reason_row *reason;
    const struct smtpstatus__rule_row *rule = NULL;
    unsigned outcome;
    uint32_t delay;

    c.count = 0; /* the entries past count are never read */
    smtpstatus__match_text(f, &c);
    smtpstatus__match_codes(f, &c);

    /* Every byte is set, padding included: the header and the items past
     * the kept ones cleared here, each kept item whole as it is filled
     * below (smtpstatus__evidence_item()). */
    memset(v, 0, offsetof(struct smtpstatus_verdict, evidence));
    for (unsigned i = c.count; i < SMTPSTATUS_EVIDENCE_MAX; i++)
        memset(&v->evidence[i], 0, sizeof v->evidence[i]);
    v->size = sizeof *v;
    v->reply_code = (uint16_t)f->reply;
    v->has_enhanced = f->has_enhanced != 0;
    v->enhanced = f->enhanced;
    v->stage = f->stage;

    /* A code's span is looked for only when evidence of its kind shows it
     * (a rule that matched text has the text's span). */
    for (unsigned i = 0, located = 0; i < c.count; i++) {
        struct smtpstatus_evidence *e = &v->evidence[i];
        smtpstatus__evidence_item(e, &c.best[i]);
        if (c.best[i].len == 0) {
            const struct smtpstatus_span *sp;
            if (c.best[i].kind == SMTPSTATUS__KIND_REPLY) {
                if (!(located & 1u))
                    locate_reply(f, &reply_span);
                located |= 1u;
                sp = &reply_span;
            } else {
                if (!(located & 2u))
                    locate_enhanced(f, &enh_span);
                located |= 2u;
                sp = &enh_span;
            }
            e->span.off = sp->off;
            e->span.len = sp->len;
        }
    }
    v->evidence_count = c.count;

    /* The reply code's first digit, else the enhanced class, else none:
     * the class classify_facts() worked out for the rules. */
    outcome = f->cls;

    if (outcome == SMTPSTATUS_OUTCOME_SUCCESS) {
        /* A 2xx to RCPT or to the end of data (or to an unknown command)
         * is a delivery; a 2xx greeting or a 250 to MAIL FROM is not. */
        if (f->stage == SMTPSTATUS_STAGE_UNKNOWN || f->stage == SMTPSTATUS_STAGE_RCPT ||
            f->stage == SMTPSTATUS_STAGE_END_OF_DATA || f->stage == SMTPSTATUS_STAGE_BDAT)
            v->reason = SMTPSTATUS_REASON_DELIVERED;
    } else if (c.count > 0) {
        v->reason = c.best[0].reason;
        v->confidence = c.best[0].conf;
        rule = smtpstatus__rule_inline(c.best[0].rule);
    }
    if (outcome == SMTPSTATUS_OUTCOME_INTERMEDIATE)
        v->reason = SMTPSTATUS_REASON_UNKNOWN;
    /* Only a few stages can turn the reason: one switch passes the rest by. */
    switch (f->stage) {
    case SMTPSTATUS_STAGE_MAIL:
        /* A refusal of MAIL FROM is about the sender (RFC 5321 §3.3): what
         * would read as a recipient's or a generic policy problem is the
         * sender address being rejected. Sender-side reasons (a block, an
         * authentication failure, a rate limit) stay as they are. */
        if ((outcome == SMTPSTATUS_OUTCOME_PERMANENT || outcome == SMTPSTATUS_OUTCOME_TRANSIENT) &&
            (v->reason == SMTPSTATUS_REASON_UNKNOWN || v->reason == SMTPSTATUS_REASON_POLICY ||
             v->reason == SMTPSTATUS_REASON_RECIPIENT_UNKNOWN || v->reason == SMTPSTATUS_REASON_ADDRESS_INVALID ||
             v->reason == SMTPSTATUS_REASON_DOMAIN_UNKNOWN)) {
            v->reason = SMTPSTATUS_REASON_SENDER_REJECTED;
            rule = NULL; /* the mapping of this reason, not the rule's */
            stage_evidence(v, "stage.mail.sender",
                           "RFC 5321 §3.3: a refusal of MAIL FROM is about the sender");
        }
        break;
    case SMTPSTATUS_STAGE_CONNECT:
    case SMTPSTATUS_STAGE_EHLO:
        /* A permanent refusal of the greeting or of EHLO comes before any
         * sender or recipient is named: all the server knows is the client's
         * address and name, so a generic refusal is a refusal of the client. */
        if (outcome == SMTPSTATUS_OUTCOME_PERMANENT &&
            (v->reason == SMTPSTATUS_REASON_UNKNOWN || v->reason == SMTPSTATUS_REASON_POLICY)) {
            v->reason = SMTPSTATUS_REASON_BLOCKLISTED;
            rule = NULL;
            stage_evidence(v, "stage.connect.client",
                           "RFC 5321 §3.1, §4.1.1.1: before MAIL FROM the server knows only the client");
        }
        break;
    case SMTPSTATUS_STAGE_DATA:
    case SMTPSTATUS_STAGE_END_OF_DATA:
    case SMTPSTATUS_STAGE_BDAT:
        /* Recipients are accepted or refused at RCPT TO (RFC 5321 §3.3); one
         * that was accepted and then called unknown once the message was sent
         * was refused by something that read the message: a content filter, a
         * gateway that checks recipients late, or a personal reception filter
         * (Japanese carriers answer "550 Unknown user" after DATA to senders a
         * subscriber has not allowed). That says nothing certain about the
         * address. An addressing code (X.1.y, RFC 3463 §3.2) is the server's
         * own word that the address is bad, and with PIPELINING (RFC 2920) a
         * refusal of RCPT TO can arrive after DATA was sent, so it stays. So
         * does a provider's documented reply: Yahoo checks recipients after
         * DATA ("dd This user doesn't have a yahoo.com account"). */
        if ((outcome == SMTPSTATUS_OUTCOME_PERMANENT || outcome == SMTPSTATUS_OUTCOME_TRANSIENT) &&
            v->reason == SMTPSTATUS_REASON_RECIPIENT_UNKNOWN && !(f->has_enhanced && f->enhanced.subject == 1) &&
            !(rule != NULL && rule->provider)) {
            v->reason = SMTPSTATUS_REASON_FILTERED;
            rule = NULL;
            stage_evidence(v, "stage.data.filtered",
                           "RFC 5321 §3.3: recipients are refused at RCPT TO; an unknown user after "
                           "DATA was refused by what read the message");
        }
        break;
    default:
        break;
    }
    reason = smtpstatus__reason_inline(v->reason);

    if (outcome == 0 && v->reason != SMTPSTATUS_REASON_UNKNOWN) {
        /* No code at all ("stat=User unknown"): a dead address is a
         * permanent condition; anything else may pass. */
        outcome = reason->address_dead ? SMTPSTATUS_OUTCOME_PERMANENT : SMTPSTATUS_OUTCOME_TRANSIENT;
        v->flags |= SMTPSTATUS_VERDICT_OUTCOME_INFERRED;
    }
    /* RFC 5321 §4.5.3.1.10: RFC 821 sent 552 for too many recipients, and
     * clients should treat that 552 as the temporary 452. */
    if (f->reply == 552 && v->reason == SMTPSTATUS_REASON_TOO_MANY_RECIPIENTS) {
        outcome = SMTPSTATUS_OUTCOME_TRANSIENT;
        v->flags |= SMTPSTATUS_VERDICT_552_AS_452;
    }
    if (f->reply && f->has_enhanced && f->enhanced.cls != f->cls)
        v->flags |= SMTPSTATUS_VERDICT_CLASS_MISMATCH;
    v->outcome = outcome;

    v->party = reason->party;
    /* Every reason names both (gen-rules.py requires them; a test checks):
     * no offset is 0, "absent". */
    v->sisimai_reason = smtpstatus__tables.pool + reason->sisimai;
    if (rule && rule->sisimai)
        v->sisimai_reason = smtpstatus__sisimai_name(rule->sisimai);
    /* sisimai's hostunknown is a hard bounce, a domain that does not exist;
     * a lookup that failed for now (a 4xx, "try again") is what it calls a
     * networkerror. */
    if (outcome == SMTPSTATUS_OUTCOME_TRANSIENT && v->sisimai_reason != NULL &&
        v->sisimai_reason[0] == 'h' && strcmp(v->sisimai_reason, "hostunknown") == 0)
        v->sisimai_reason = "networkerror";
    v->powermta_category = smtpstatus__tables.pool + reason->powermta;
    v->sparkpost_class = reason->sparkpost;
    if (rule && rule->provider)
        v->provider = smtpstatus__provider_key(rule->provider - 1u);
    else if (f->providers != 0) {
        /* The first provider recognised. */
        v->provider = smtpstatus__provider_key(smtpstatus__ctz64(f->providers));
    }

    switch (outcome) {
    case SMTPSTATUS_OUTCOME_SUCCESS:
    case SMTPSTATUS_OUTCOME_INTERMEDIATE:
        v->bounce = SMTPSTATUS_BOUNCE_NONE;
        v->action = SMTPSTATUS_ACTION_NONE;
        break;
    case SMTPSTATUS_OUTCOME_TRANSIENT:
        v->bounce = SMTPSTATUS_BOUNCE_SOFT;
        v->action = reason->transient_action;
        break;
    case SMTPSTATUS_OUTCOME_PERMANENT:
        v->bounce = reason->address_dead ? SMTPSTATUS_BOUNCE_HARD : SMTPSTATUS_BOUNCE_SOFT;
        v->action = reason->permanent_action;
        break;
    default:
        v->bounce = SMTPSTATUS_BOUNCE_SOFT;
        v->action = reason->transient_action;
        break;
    }
    /* Auto-replies and complaints are not bounces at all. */
    if (v->reason < 64 && (NOT_BOUNCES >> v->reason & 1u))
        v->bounce = SMTPSTATUS_BOUNCE_NONE;

    if (is_retry_action(v->action)) {
        if (find_delay(f->text, f->len, &delay))
            v->flags |= SMTPSTATUS_VERDICT_DELAY_FROM_TEXT;
        else if (rule && rule->delay)
            delay = rule->delay;
        else
            delay = reason->delay;
        v->retry_after = delay;
    }
}

/* decide() clears the verdict's header and each item of evidence apart:
 * nothing may lie after the evidence. */
_Static_assert(sizeof(struct smtpstatus_verdict) ==
                   offsetof(struct smtpstatus_verdict, evidence) +
                       SMTPSTATUS_EVIDENCE_MAX * sizeof(struct smtpstatus_evidence),
               "the evidence ends the verdict");

static int check_verdict(struct smtpstatus_verdict *out)
{
    if (out == NULL)
        return SMTPSTATUS_E_INVALID_ARG;
    if (out->size < sizeof(struct smtpstatus_verdict))
        return SMTPSTATUS_E_STRUCT_SIZE;
    return SMTPSTATUS_OK;
}

/* Decide straight into the caller's verdict when it is this version's
 * size (the usual case: no copy), else through a local one. */
static void classify_facts(struct smtpstatus__facts *f, struct smtpstatus_verdict *out)
{
    struct smtpstatus_verdict v;
    int direct = out->size == sizeof v;

    f->cls = f->reply ? f->reply / 100 : f->has_enhanced ? f->enhanced.cls : 0;
    /* One call, so that decide() is inlined here once. */
    decide(f, direct ? out : &v);
    if (!direct)
        smtpstatus__copy_out(out, out->size, &v, sizeof v);
}

int smtpstatus_classify(const struct smtpstatus_classify_input *in, struct smtpstatus_verdict *out)
{
    struct smtpstatus__facts f;
    int rc = check_verdict(out);

    if (rc != SMTPSTATUS_OK)
        return rc;
    if (in == NULL || (in->text == NULL && in->text_len != 0) ||
        (in->host == NULL && in->host_len != 0))
        return SMTPSTATUS_E_INVALID_ARG;
    if (in->size < sizeof(struct smtpstatus_classify_input))
        return SMTPSTATUS_E_STRUCT_SIZE;
    if ((in->reply_code != 0 && (in->reply_code < 200 || in->reply_code > 599)) ||
        (in->has_enhanced && in->enhanced.cls != 2 && in->enhanced.cls != 4 &&
         in->enhanced.cls != 5))
        return SMTPSTATUS_E_BAD_CODE;

    memset(&f, 0, sizeof f);
    f.text = in->text;
    f.len = in->text_len;
    f.reply = in->reply_code;
    f.has_enhanced = in->has_enhanced;
    f.enhanced = in->enhanced;
    f.stage = in->stage;
    f.providers = smtpstatus__providers_for_host(in->host, in->host_len);
    classify_facts(&f, out);
    return SMTPSTATUS_OK;
}

/* The facts of a parsed reply, with where its codes are. */
static void reply_facts(struct smtpstatus__facts *f, const struct smtpstatus_reply *reply)
{
    f->reply = reply->code;
    f->has_enhanced = reply->has_enhanced;
    f->enhanced = reply->enhanced;
    f->spans_known = 1;
    f->reply_span.off = reply->span.off;
    f->reply_span.len = 3;
    if (reply->has_enhanced)
        f->enhanced_span = reply->enhanced_span;
}

int smtpstatus_classify_reply(const char *buf, size_t len, const struct smtpstatus_reply *reply,
                              int stage, struct smtpstatus_verdict *out)
{
    struct smtpstatus__facts f;
    size_t end;
    int rc = check_verdict(out);

    if (rc != SMTPSTATUS_OK)
        return rc;
    if (reply == NULL || (buf == NULL && len != 0) || reply->size < sizeof *reply ||
        reply->code == 0 || stage < 0)
        return SMTPSTATUS_E_INVALID_ARG;
    if (reply->code < 200 || reply->code > 599 ||
        (reply->has_enhanced && reply->enhanced.cls != 2 && reply->enhanced.cls != 4 &&
         reply->enhanced.cls != 5))
        return SMTPSTATUS_E_BAD_CODE;
    end = reply->span.off + reply->span.len;
    if (end > len || end < reply->span.off || reply->span.len < 3 ||
        (reply->has_enhanced &&
         (reply->enhanced_span.off > len || reply->enhanced_span.len > len - reply->enhanced_span.off)))
        return SMTPSTATUS_E_INVALID_ARG;
    memset(&f, 0, sizeof f);
    /* A reply found inside a log line is read with its surroundings (they
     * can say "Connection timed out" or name the provider); a reply read
     * off the wire is read alone, without what may follow it. */
    f.text = buf;
    f.len = (reply->parse_flags & SMTPSTATUS_REPLY_LENIENT) ? len : end;
    reply_facts(&f, reply);
    f.stage = stage ? (unsigned)stage : reply->stage;
    classify_facts(&f, out);
    return SMTPSTATUS_OK;
}

int smtpstatus_classify_text(const char *buf, size_t len, int stage, struct smtpstatus_verdict *out)
{
    struct smtpstatus__facts f;
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    int rc = check_verdict(out);

    if (rc != SMTPSTATUS_OK)
        return rc;
    if ((buf == NULL && len != 0) || stage < 0)
        return SMTPSTATUS_E_INVALID_ARG;
    memset(&f, 0, sizeof f);
    f.text = buf;
    f.len = len;
    f.spans_known = 1;
    if (smtpstatus_parse_reply(buf, len, SMTPSTATUS_REPLY_LENIENT, &reply) == SMTPSTATUS_OK)
        reply_facts(&f, &reply);
    f.stage = stage ? (unsigned)stage : reply.stage;
    if (!f.has_enhanced) {
        /* No reply, or one without an enhanced code: a log's "dsn=4.4.1"
         * or a DSN's "Status: 5.1.1" still says something. */
        if (smtpstatus_find_enhanced(buf, len, 0, &f.enhanced, &f.enhanced_span) == SMTPSTATUS_OK)
            f.has_enhanced = f.enhanced_first = 1;
    }
    classify_facts(&f, out);
    return SMTPSTATUS_OK;
}
